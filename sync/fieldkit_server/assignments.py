"""The officer's assignments: which volunteer is to visit which hamlet, or which households
of the commune's list, by when.

Assignments are synced rows the server makes (as it makes imported households): written with
the change feed's lock held and logged under their commune, so the volunteer's laptop pulls
them at its next sync and puts them first on its work list. Withdrawing one is a tombstone,
which travels the same way. A volunteer, a hamlet and the households must all be of one
commune; an assignment already standing is not made twice.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import Connection, Engine, and_, func, insert, select, update

from fieldkit.core.columns import utcnow
from fieldkit.core.ids import uuid7
from fieldkit.core.secret_notes import find_secrets
from fieldkit_server.audit import write_audit
from fieldkit_server.change_feed import lock_feed, log_changes
from fieldkit_server.db import writing
from fieldkit_server.ownership import table_of

ASSIGNMENT, VOLUNTEER = table_of("assignment"), table_of("volunteer")
VILLAGE, LISTED, COMMUNE = table_of("village"), table_of("listed_household"), table_of("commune")
MAX_NOTE = 500


class AssignmentRefused(ValueError):
    """What the officer asked cannot be assigned; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class Assigned:
    id: str
    volunteer_id: str
    volunteer: str
    commune: str
    village: str
    household: str | None  # the listed household's head, None for the whole hamlet
    due_on: date | None
    note: str
    listed: int  # households of the commune's list it covers
    visited: int  # of those, registered by a volunteer since


def assign(engine: Engine, actor: str, volunteer_id: str, village_id: str,
           listed_ids: list[str], due_on: date | None, note: str = "") -> int:
    """Assign the hamlet (no `listed_ids`) or those listed households of it; returns how many
    assignments were made (those already standing are not made again)."""
    note = " ".join(note.split())
    if len(note) > MAX_NOTE:
        raise AssignmentRefused(f"Ghi chú dài quá {MAX_NOTE} ký tự.")
    if secrets := find_secrets(note):
        raise AssignmentRefused(" ".join(secrets))
    with writing(engine) as conn:
        lock_feed(conn)
        volunteer = conn.execute(select(VOLUNTEER.c.full_name, VOLUNTEER.c.commune_id).where(
            VOLUNTEER.c.id == volunteer_id, VOLUNTEER.c.deleted.is_(False))).first()
        village = conn.execute(select(VILLAGE.c.name, VILLAGE.c.commune_id).where(
            VILLAGE.c.id == village_id, VILLAGE.c.deleted.is_(False))).first()
        if volunteer is None or village is None:
            raise AssignmentRefused("Không tìm thấy tình nguyện viên hoặc thôn/bản đã chọn.")
        if volunteer.commune_id != village.commune_id:
            raise AssignmentRefused(f"{volunteer.full_name} không thuộc xã của {village.name}.")
        wanted: list[str | None] = list(dict.fromkeys(listed_ids)) or [None]
        if listed_ids:
            found = set(conn.execute(select(LISTED.c.id).where(
                LISTED.c.id.in_(listed_ids), LISTED.c.village_id == village_id,
                LISTED.c.deleted.is_(False))).scalars())
            if found != set(listed_ids):
                raise AssignmentRefused(f"Có hộ đã chọn không thuộc danh sách của {village.name}.")
        standing = {row.listed_household_id for row in conn.execute(
            select(ASSIGNMENT.c.listed_household_id).where(
                ASSIGNMENT.c.volunteer_id == volunteer_id, ASSIGNMENT.c.village_id == village_id,
                ASSIGNMENT.c.deleted.is_(False)))}
        now = utcnow()
        rows = [{"id": uuid7(), "version": 1, "updated_at": now, "device_id": "",
                 "deleted": False, "demo": False, "volunteer_id": volunteer_id,
                 "village_id": village_id, "listed_household_id": listed, "due_on": due_on,
                 "note": note} for listed in wanted if listed not in standing]
        if not rows:
            return 0
        conn.execute(insert(ASSIGNMENT), rows)
        log_changes(conn, [("assignment", row["id"], 1, village.commune_id, None)
                           for row in rows])
        what = "cả thôn" if not listed_ids else f"{len(rows)} hộ"
        write_audit(conn, actor, "assigned",
                    f"{volunteer.full_name}: {village.name}, {what}"
                    + (f", hạn {due_on:%d/%m/%Y}" if due_on else ""), village.commune_id)
    return len(rows)


def withdraw(engine: Engine, actor: str, assignment_id: str) -> bool:
    """Withdraw a standing assignment (its tombstone goes to the laptops); False if none."""
    with writing(engine) as conn:
        lock_feed(conn)
        row = conn.execute(select(ASSIGNMENT.c.version, VILLAGE.c.commune_id, VILLAGE.c.name,
                                  VOLUNTEER.c.full_name)
                           .join(VILLAGE, VILLAGE.c.id == ASSIGNMENT.c.village_id)
                           .join(VOLUNTEER, VOLUNTEER.c.id == ASSIGNMENT.c.volunteer_id)
                           .where(ASSIGNMENT.c.id == assignment_id,
                                  ASSIGNMENT.c.deleted.is_(False))).first()
        if row is None:
            return False
        version = row.version + 1
        conn.execute(update(ASSIGNMENT).where(ASSIGNMENT.c.id == assignment_id).values(
            deleted=True, version=version, updated_at=utcnow(), device_id=""))
        log_changes(conn, [("assignment", assignment_id, version, row.commune_id, None)])
        write_audit(conn, actor, "assignment_withdrawn", f"{row.full_name}: {row.name}",
                    row.commune_id)
    return True


def standing_assignments(conn: Connection, volunteer_id: str | None = None,
                         commune_id: str | None = None) -> list[Assigned]:
    """Every standing assignment (or one volunteer's, or one commune's), with how much of it
    is done."""
    household = LISTED.alias("one")
    query = (select(ASSIGNMENT.c.id, ASSIGNMENT.c.volunteer_id, VOLUNTEER.c.full_name,
                    COMMUNE.c.name.label("commune"), VILLAGE.c.name.label("village"),
                    ASSIGNMENT.c.village_id, ASSIGNMENT.c.listed_household_id,
                    household.c.head_name, household.c.household_id, ASSIGNMENT.c.due_on,
                    ASSIGNMENT.c.note)
             .join(VOLUNTEER, VOLUNTEER.c.id == ASSIGNMENT.c.volunteer_id)
             .join(VILLAGE, VILLAGE.c.id == ASSIGNMENT.c.village_id)
             .join(COMMUNE, COMMUNE.c.id == VILLAGE.c.commune_id)
             .outerjoin(household, household.c.id == ASSIGNMENT.c.listed_household_id)
             .where(ASSIGNMENT.c.deleted.is_(False))
             .order_by(COMMUNE.c.name, VOLUNTEER.c.full_name, VILLAGE.c.name,
                       household.c.head_name))
    if volunteer_id is not None:
        query = query.where(ASSIGNMENT.c.volunteer_id == volunteer_id)
    if commune_id is not None:
        query = query.where(VILLAGE.c.commune_id == commune_id)
    rows = conn.execute(query).all()
    hamlets = {row.village_id for row in rows if row.listed_household_id is None}
    sizes = {village: (total, visited) for village, total, visited in conn.execute(
        select(LISTED.c.village_id, func.count(), func.count(LISTED.c.household_id)).where(
            and_(LISTED.c.village_id.in_(hamlets), LISTED.c.deleted.is_(False)))
        .group_by(LISTED.c.village_id))} if hamlets else {}
    found = []
    for row in rows:
        if row.listed_household_id is None:
            listed, visited = sizes.get(row.village_id, (0, 0))
        else:
            listed, visited = 1, int(row.household_id is not None)
        found.append(Assigned(row.id, row.volunteer_id, row.full_name, row.commune,
                              row.village, row.head_name, row.due_on, row.note, listed,
                              visited))
    return found
