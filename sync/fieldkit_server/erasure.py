"""Withdrawn consent on the server: the erasure wins, and nothing brings the data back.

Decree 13/2023 makes withdrawal of consent an erasure, and a laptop sends it as the person's
row with the personal fields emptied. Two laptops race: the one that withdrew may push from an
older version than the server holds, which on its own would be a conflict and would leave the
personal data on the server for an officer to pick. So, once a person's consents on the server
are all withdrawn:
- an erasing row is applied on top of whatever the server holds (its personal fields emptied),
  whatever version it was made from;
- a row carrying personal data is refused, so a stale laptop's edit (or its "keep mine") can
  neither restore the data nor park it in a conflict;
- the copies of the person's row kept in conflicts lose their personal fields too.

"Withdrawn" means the person has consents on the server and none is active. A person with no
consent at all is not refused: on a laptop's first sync a long queue is sent in batches,
parents first, so every person may arrive a batch before the consents recorded with it.
"""

import json
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, select, update

from fieldkit.core.consent import PERSONAL_FIELDS
from fieldkit_server.ownership import table_of
from fieldkit_server.tables import conflict

# Columns that differ on every write and say nothing about the row's content.
_BOOKKEEPING = ("version", "device_id", "updated_at")


def carries_personal_data(row: Mapping[str, Any]) -> bool:
    return any(row[name] is not None for name in PERSONAL_FIELDS)


def consent_withdrawn(conn: Connection, person_id: str) -> bool:
    """True when the person's consents on the server have all been withdrawn (or deleted)."""
    consent = table_of("consent")
    given = conn.execute(select(consent.c.withdrawn_at, consent.c.deleted)
                         .where(consent.c.person_id == person_id)).all()
    return bool(given) and all(row.withdrawn_at is not None or row.deleted for row in given)


def erased(current: Mapping[str, Any], incoming: Mapping[str, Any]) -> dict[str, Any]:
    """The server's row with its personal fields emptied, stamped with the erasing row's
    time: the erasure, applied on top of changes the erasing laptop never saw."""
    return {**current, **dict.fromkeys(PERSONAL_FIELDS), "updated_at": incoming["updated_at"]}


def same_content(left: Mapping[str, Any], right: Mapping[str, Any]) -> bool:
    """Whether two versions of a row agree on everything but bookkeeping."""
    return all(left[name] == right[name] for name in left if name not in _BOOKKEEPING)


def forget_in_conflicts(conn: Connection, person_id: str) -> None:
    """Empty the personal fields of every copy of the person's row kept in conflicts, open
    or resolved: the conflict history must not outlive the erasure."""
    kept = conn.execute(select(conflict.c.id, conflict.c.incoming, conflict.c.current).where(
        conflict.c.table_name == "person", conflict.c.row_id == person_id)).all()
    for found in kept:
        conn.execute(update(conflict).where(conflict.c.id == found.id).values(
            incoming=_without_personal_data(found.incoming),
            current=_without_personal_data(found.current)))


def _without_personal_data(kept: str) -> str:
    row = json.loads(kept)
    row.update({name: None for name in PERSONAL_FIELDS if name in row})
    return json.dumps(row, ensure_ascii=False, sort_keys=True)
