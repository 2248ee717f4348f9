"""The change log pull reads, and the counter that numbers it.

Every change takes its number from the single `sync_counter` row inside the writing
transaction. Writers lock that row first (`lock_feed`) and hold it until they commit, so
numbers are handed out in commit order and a pull never passes over a change that commits
later with a smaller number, as it could with a PostgreSQL sequence.

An entry's `device_id` names the laptop that already holds the row at exactly that version
(the one whose push made it); its own pulls skip the entry, since the push answer gave it the
version number, and sending the row back would double what the laptop moves for nothing. A
version the server made (a conflict resolved, an erasure merged, a definition published) names
no device, and every laptop pulls it.
"""

from sqlalchemy import Connection, insert, select, update

from fieldkit.core.columns import utcnow
from fieldkit_server.db import is_sqlite
from fieldkit_server.driver_sql import insert_rows, select_in, update_rows
from fieldkit_server.tables import change_log, sync_counter


def lock_feed(conn: Connection) -> None:
    """Take the counter row's lock now, before reading what the transaction will change, so
    writers of the feed run one after another. On SQLite every writer already holds the
    database's one write lock from its BEGIN IMMEDIATE (see `db`), and SQLite has no row locks
    to take: nothing to do."""
    if not is_sqlite(conn):
        conn.execute(select(sync_counter.c.value).where(sync_counter.c.id == 1)
                     .with_for_update())


def next_seq(conn: Connection) -> int:
    return conn.execute(
        update(sync_counter).where(sync_counter.c.id == 1)
        .values(value=sync_counter.c.value + 1).returning(sync_counter.c.value)
    ).scalar_one()


def log_change(conn: Connection, table: str, row_id: str, version: int,
               commune_id: str | None, device_id: str | None) -> int:
    """Move the row's single log entry to a new sequence number; returns that number."""
    seq = next_seq(conn)
    values = {"table_name": table, "seq": seq, "version": version, "commune_id": commune_id,
              "device_id": device_id, "changed_at": utcnow()}
    moved = conn.execute(update(change_log).where(change_log.c.row_id == row_id).values(values))
    if moved.rowcount == 0:
        conn.execute(insert(change_log).values(row_id=row_id, **values))
    return seq


def log_changes(conn: Connection, changes: list[tuple[str, str, int, str | None, str | None]],
                new: set[str] | frozenset[str] = frozenset()) -> None:
    """`log_change` for each (table, row id, version, commune id, device id) in turn, with one
    range of numbers taken from the counter at once: the same entries and the same counter.
    `new`: ids of rows the caller just created, which have no entry yet (rows are never
    deleted, only tombstoned), so they are not looked up first."""
    last = conn.execute(
        update(sync_counter).where(sync_counter.c.id == 1)
        .values(value=sync_counter.c.value + len(changes)).returning(sync_counter.c.value)
    ).scalar_one()
    now = utcnow()
    entries: dict[str, dict[str, object]] = {}
    for seq, (table, row_id, version, commune_id, device_id) in enumerate(
            changes, start=last - len(changes) + 1):
        entries.pop(row_id, None)  # a row changed twice keeps its last number only
        entries[row_id] = {"row_id": row_id, "table_name": table, "seq": seq,
                           "version": version, "commune_id": commune_id,
                           "device_id": device_id, "changed_at": now}
    logged = {row["row_id"] for row in select_in(
        conn, change_log, ("row_id",), "row_id",
        [row_id for row_id in entries if row_id not in new])}
    update_rows(conn, change_log, "row_id",
                [entry for entry in entries.values() if entry["row_id"] in logged])
    insert_rows(conn, change_log,
                [entry for entry in entries.values() if entry["row_id"] not in logged])
