"""Answering a laptop's pull: the feed after its cursor, its commune's rows and definitions.

Everything is read in one snapshot (see `db.reading`), so each entry's row is read as of the
same instant as the entry itself, at the version the entry names.
"""

from collections import defaultdict
from typing import Any

from sqlalchemy import Engine, func, or_, select

from fieldkit.core.sync_protocol import (
    DEFINITION_TABLES,
    MAX_PULL_LIMIT,
    PulledChange,
    PullResponse,
    mapping_data,
)
from fieldkit_server.db import reading
from fieldkit_server.definitions import DEFINITION_VERSION
from fieldkit_server.device_auth import Device
from fieldkit_server.ownership import table_of
from fieldkit_server.tables import change_log, definition


def pull(engine: Engine, device: Device, since: int, limit: int) -> PullResponse:
    """Up to `limit` entries after `since`, in sequence order, each with its row's data."""
    limit = min(limit, MAX_PULL_LIMIT)
    ours = or_(change_log.c.commune_id == device.commune_id, change_log.c.commune_id.is_(None))
    with reading(engine) as conn:
        entries = conn.execute(
            select(change_log)
            .where(change_log.c.seq > since, ours,
                   or_(change_log.c.device_id.is_(None), change_log.c.device_id != device.id))
            .order_by(change_log.c.seq).limit(limit + 1)).all()
        more = len(entries) > limit
        entries = entries[:limit]
        # On the last page the cursor moves past the device's own entries too (read in the
        # same snapshot), so the next pull does not walk over them again.
        cursor = entries[-1].seq if more else conn.execute(
            select(func.max(change_log.c.seq)).where(change_log.c.seq > since, ours)
        ).scalar_one_or_none() or since
        ids_by_table: dict[str, list[str]] = defaultdict(list)
        for entry in entries:
            ids_by_table[entry.table_name].append(entry.row_id)
        rows: dict[str, tuple[int, dict[str, Any]]] = {}
        for table, ids in ids_by_table.items():
            if table in DEFINITION_TABLES:
                for found in conn.execute(select(definition)
                                          .where(definition.c.row_id.in_(ids))):
                    rows[found.row_id] = (DEFINITION_VERSION, {"id": found.definition_id,
                                              "version": found.version, "body": found.body})
            else:
                columns = table_of(table)
                for found in conn.execute(select(columns).where(columns.c.id.in_(ids))):
                    rows[found.id] = (found.version, mapping_data(table, found._mapping))
    # Built without validation: every value comes from the server's own tables, and a page of
    # a thousand rows would otherwise be checked field by field for nothing.
    changes = [PulledChange.model_construct(
        seq=entry.seq, table=entry.table_name, id=entry.row_id,
        version=rows[entry.row_id][0], data=rows[entry.row_id][1]) for entry in entries]
    return PullResponse.model_construct(changes=changes, next_cursor=cursor, more=more)
