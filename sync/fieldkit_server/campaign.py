"""The commune's campaign: its period and the officer's targets per hamlet, kept on the server.

One campaign per commune at a time: setting a new period replaces the old one, and the
targets saved with it replace the commune's old targets whole (a hamlet left at 0 has none).
Saving is one transaction that also writes the audit entry. It starts by upserting the
commune's `campaign` row, whose lock queues a second officer saving the same commune at the
same moment (PostgreSQL) the way `BEGIN IMMEDIATE` does on SQLite: the later save then
replaces the earlier one whole, never a mix of both.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Engine, delete, insert, select
from sqlalchemy.dialects import postgresql, sqlite

from fieldkit.core.columns import utcnow
from fieldkit_server.audit import write_audit
from fieldkit_server.db import is_sqlite, writing
from fieldkit_server.tables import campaign, campaign_target

MAX_TARGET = 100_000
"""A commune has a few thousand households; a larger number is a typing slip."""
MAX_DAYS = 366


@dataclass(frozen=True)
class Target:
    households: int = 0  # households to reach
    level2: int = 0  # people with a level-2 VNeID account
    forms: int = 0  # completed procedure forms

    def is_empty(self) -> bool:
        return not (self.households or self.level2 or self.forms)


@dataclass(frozen=True)
class Campaign:
    commune_id: str
    starts_on: date
    ends_on: date  # included
    targets: dict[str, Target]  # village id → target

    @property
    def days(self) -> int:
        return (self.ends_on - self.starts_on).days + 1

    def target(self, village_id: str) -> Target:
        return self.targets.get(village_id, Target())


def load_campaigns(conn: Connection) -> dict[str, Campaign]:
    """Every commune's campaign, by commune id."""
    targets: dict[str, dict[str, Target]] = {}
    for row in conn.execute(select(campaign_target)):
        targets.setdefault(row.commune_id, {})[row.village_id] = Target(
            row.households, row.level2, row.forms)
    return {row.commune_id: Campaign(row.commune_id, row.starts_on, row.ends_on,
                                     targets.get(row.commune_id, {}))
            for row in conn.execute(select(campaign))}


def save_campaign(engine: Engine, commune_id: str, starts_on: date, ends_on: date,
                  targets: dict[str, Target], actor: str, commune_label: str) -> None:
    """Replace the commune's campaign and targets (callers check the values first)."""
    if ends_on < starts_on or (ends_on - starts_on).days + 1 > MAX_DAYS:
        raise ValueError("campaign period out of range")
    if any(not 0 <= n <= MAX_TARGET for t in targets.values()
           for n in (t.households, t.level2, t.forms)):
        raise ValueError("target out of range")
    now = utcnow()
    with writing(engine) as conn:
        values = {"commune_id": commune_id, "starts_on": starts_on, "ends_on": ends_on,
                  "updated_at": now, "updated_by": actor[:64]}
        dialect = sqlite if is_sqlite(conn) else postgresql
        upsert = dialect.insert(campaign).values(**values)
        conn.execute(upsert.on_conflict_do_update(
            index_elements=[campaign.c.commune_id],
            set_={key: upsert.excluded[key] for key in values if key != "commune_id"}))
        conn.execute(delete(campaign_target).where(campaign_target.c.commune_id == commune_id))
        kept = [{"village_id": village, "commune_id": commune_id, "households": t.households,
                 "level2": t.level2, "forms": t.forms, "updated_at": now,
                 "updated_by": actor[:64]}
                for village, t in targets.items() if not t.is_empty()]
        if kept:
            conn.execute(insert(campaign_target), kept)
        total = Target(sum(t.households for t in targets.values()),
                       sum(t.level2 for t in targets.values()),
                       sum(t.forms for t in targets.values()))
        write_audit(conn, actor, "campaign_targets",
                    f"{commune_label}: {starts_on:%d/%m/%Y}–{ends_on:%d/%m/%Y}, "
                    f"{len(kept)} thôn/bản có chỉ tiêu; tổng {total.households} hộ, "
                    f"{total.level2} tài khoản mức 2, {total.forms} tờ khai", commune_id)
