"""Answering a laptop's pull: the feed after its cursor, its commune's rows and definitions.

Everything is read in one snapshot (see `db.reading`), so each entry's row is read as of the
same instant as the entry itself, at the version the entry names.
"""

from collections import defaultdict
from typing import Any

from sqlalchemy import Engine, or_, select

from fieldkit.core.sync_protocol import (
    DEFINITION_TABLES,
    MAX_PULL_LIMIT,
    TABLES,
    PulledChange,
    PullResponse,
    row_data,
)
from fieldkit_server.db import reading
from fieldkit_server.definitions import DEFINITION_VERSION
from fieldkit_server.device_auth import Device
from fieldkit_server.ownership import table_of
from fieldkit_server.tables import change_log, definition


def pull(engine: Engine, device: Device, since: int, limit: int) -> PullResponse:
    """Up to `limit` entries after `since`, in sequence order, each with its row's data."""
    limit = min(limit, MAX_PULL_LIMIT)
    with reading(engine) as conn:
        entries = conn.execute(
            select(change_log)
            .where(change_log.c.seq > since,
                   or_(change_log.c.commune_id == device.commune_id,
                       change_log.c.commune_id.is_(None)))
            .order_by(change_log.c.seq).limit(limit + 1)).all()
        more = len(entries) > limit
        entries = entries[:limit]
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
                model, columns = TABLES[table], table_of(table)
                for found in conn.execute(select(columns).where(columns.c.id.in_(ids))):
                    rows[found.id] = (found.version, row_data(model(**found._mapping)))
    changes = [PulledChange(seq=entry.seq, table=entry.table_name, id=entry.row_id,
                            version=rows[entry.row_id][0], data=rows[entry.row_id][1])
               for entry in entries]
    return PullResponse(changes=changes, next_cursor=entries[-1].seq if entries else since,
                        more=more)
