"""A commune's household list imported into the server, whole or not at all.

The list is checked (`fieldkit.core.household_lists`) against what the server already holds
in the same transaction that writes it, so two officers importing overlapping lists at once
cannot both add a household: the change feed's lock is taken first and the second import
waits, then sees the first one's rows as duplicates. Hamlets the list names are matched to
the commune's villages by their folded names ("THÔN 3", "Thôn 3" and "thon 3" are one); a
hamlet the server does not know yet is created, with the id a laptop would give it, so the
village a volunteer typed offline and the imported one become the same row. Every row
written goes into the change feed, so the commune's laptops pull the list at their next sync.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, insert, select, update

from fieldkit.core.columns import utcnow
from fieldkit.core.communes import commune
from fieldkit.core.folding import fold
from fieldkit.core.household_list_columns import village_kind
from fieldkit.core.household_lists import (
    ACCEPTED,
    REFUSED,
    Known,
    ListCheck,
    Seen,
    check_list,
    duplicate_keys,
)
from fieldkit.core.i18n import tr
from fieldkit.core.ids import commune_id, uuid7, village_id
from fieldkit.core.table_files import TableFile
from fieldkit_server.audit import write_audit
from fieldkit_server.change_feed import lock_feed, log_changes
from fieldkit_server.db import writing
from fieldkit_server.enrolment import ensure_commune
from fieldkit_server.ownership import table_of

LISTED = table_of("listed_household")
VILLAGE = table_of("village")
HOUSEHOLD = table_of("household")
PERSON = table_of("person")
# Rows per executemany: a 10,000-household list is written in a few statements.
_CHUNK = 1_000


@dataclass
class ImportResult:
    check: ListCheck
    imported: int  # 0 when only checked, or when nothing was written
    villages_created: list[str]
    commune_id: str


def import_households(engine: Engine, commune_code: int, table: TableFile, file_name: str,
                      actor: str, *, mappings: dict[str, dict[int, str]] | None = None,
                      village: str | None = None, write: bool = True, partial: bool = False,
                      today: date | None = None) -> ImportResult:
    """Check `table` against the commune's households and, with `write`, import its accepted
    rows in one transaction. Nothing is written when no row is accepted, nor when a row is
    refused unless `partial` (the officer chose to import the rest)."""
    commune(commune_code)  # ValueError, in Vietnamese, for a code that is no commune
    with writing(engine) as conn:
        if write:
            lock_feed(conn)
        row_id = commune_id(commune_code)
        check = check_list(table, known_households(conn, row_id), mappings, village, today)
        entries = [(row.sheet, row.row, row.entry) for row in check.rows
                   if row.status == ACCEPTED and row.entry is not None]
        if not write or not entries or (check.counts[REFUSED] and not partial):
            return ImportResult(check, 0, [], row_id)
        ensure_commune(conn, commune_code)
        now = utcnow()
        villages, created = _villages(conn, row_id, {e.village for _, _, e in entries}, now)
        rows: list[dict[str, Any]] = []
        for sheet, number, entry in entries:
            rows.append({
                "id": uuid7(), "version": 1, "updated_at": now, "device_id": "",
                "deleted": False, "demo": False, "village_id": villages[entry.village],
                "head_name": entry.head_name, "id_number": entry.id_number,
                "date_of_birth": entry.date_of_birth, "birth_year": entry.birth_year,
                "gender": entry.gender, "phone": entry.phone, "address": entry.address,
                "household_code": entry.household_code, "members": entry.members,
                "source": _source(file_name, sheet, number, len(table.sheets)),
                "household_id": None})
        for start in range(0, len(rows), _CHUNK):
            conn.execute(insert(LISTED), rows[start:start + _CHUNK])
        log_changes(conn, [("listed_household", row["id"], 1, row_id, None) for row in rows])
        counts = check.counts
        write_audit(conn, actor, "households_imported",
                    f"{file_name}: {len(rows)} hộ nhập, {counts['duplicate']} trùng, "
                    f"{counts['refused']} bị từ chối; thôn mới: {', '.join(created) or 'không'}",
                    row_id)
    return ImportResult(check, len(rows), created, row_id)


def known_households(conn: Connection, commune: str) -> Known:
    """The `duplicate_keys` of every household of the commune on the server: listed ones, and
    those volunteers registered (by their head's name and address, and the head's ID)."""
    known = Known()
    village_names = dict(conn.execute(select(VILLAGE.c.id, VILLAGE.c.name).where(
        VILLAGE.c.commune_id == commune)).all())
    ids = list(village_names)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        for row in conn.execute(select(
                LISTED.c.head_name, LISTED.c.village_id, LISTED.c.address,
                LISTED.c.birth_year, LISTED.c.id_number, LISTED.c.source).where(
                LISTED.c.village_id.in_(chunk), LISTED.c.deleted.is_(False))):
            where = tr("danh sách đã nhập ({source})").format(source=row.source) \
                if row.source else tr("danh sách đã nhập")
            for key in duplicate_keys(row.head_name, village_names[row.village_id],
                                      row.address, row.birth_year, row.id_number):
                known.add(key, Seen(where, row.id_number, row.birth_year))
        heads = select(PERSON.c.household_id, PERSON.c.id_number, PERSON.c.date_of_birth).where(
            PERSON.c.relation_to_head == "head", PERSON.c.deleted.is_(False)).subquery()
        for row in conn.execute(select(
                HOUSEHOLD.c.head_name, HOUSEHOLD.c.village_id, HOUSEHOLD.c.address,
                heads.c.id_number, heads.c.date_of_birth).outerjoin(
                heads, heads.c.household_id == HOUSEHOLD.c.id).where(
                HOUSEHOLD.c.village_id.in_(chunk), HOUSEHOLD.c.deleted.is_(False))):
            if not row.head_name:
                continue
            born = row.date_of_birth.year if row.date_of_birth else None
            for key in duplicate_keys(row.head_name, village_names[row.village_id],
                                      row.address, born, row.id_number):
                known.add(key, Seen(tr("hộ tình nguyện viên đã đăng ký trên FieldKit"),
                                    row.id_number, born))
    return known


def _villages(conn: Connection, commune_id: str, names: set[str], now: Any
              ) -> tuple[dict[str, str], list[str]]:
    """Each hamlet name's village id, the commune's own where the folded names agree, a new
    village otherwise; and the names of those created."""
    existing = conn.execute(select(VILLAGE.c.id, VILLAGE.c.name, VILLAGE.c.deleted,
                                   VILLAGE.c.version).where(
        VILLAGE.c.commune_id == commune_id)).all()
    live = [row for row in existing if not row.deleted]
    by_fold = {fold(row.name): row.id for row in live}
    bare: dict[str, list[str]] = {}
    for row in live:
        bare.setdefault(_bare(row.name), []).append(row.id)
    found: dict[str, str] = {}
    created: list[str] = []
    for name in sorted(names):
        # "Nà Hẩu" on the list is the commune's "Bản Nà Hẩu" when no other hamlet is.
        same = by_fold.get(fold(name)) or (bare[_bare(name)][0]
                                            if len(bare.get(_bare(name), [])) == 1 else None)
        if same is not None:
            found[name] = same
            continue
        row_id = village_id(commune_id, name)
        removed = next((row for row in existing if row.id == row_id), None)
        values = {"name": name, "kind": village_kind(name), "deleted": False,
                  "updated_at": now, "device_id": ""}
        if removed is not None:  # removed once and named again: the same village comes back
            version = removed.version + 1
            conn.execute(update(VILLAGE).where(VILLAGE.c.id == row_id).values(
                version=version, **values))
        else:
            version = 1
            conn.execute(insert(VILLAGE).values(id=row_id, version=1, demo=False,
                                                commune_id=commune_id, **values))
        log_changes(conn, [("village", row_id, version, commune_id, None)])
        by_fold[fold(name)] = row_id
        found[name] = row_id
        created.append(name)
    return found, created


def _bare(name: str) -> str:
    """A hamlet's folded name without the word for its kind."""
    return _KIND_WORD.sub("", fold(name))


_KIND_WORD = re.compile(r"^(thon|ban|ap|xom|to dan pho|khu pho|to) ")


def _source(file_name: str, sheet: str, row: int, sheets: int) -> str:
    name = Path(file_name).name
    return f"{name}, trang {sheet}, dòng {row}" if sheets > 1 else f"{name}, dòng {row}"
