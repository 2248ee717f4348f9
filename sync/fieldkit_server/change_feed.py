"""The change log pull reads, and the counter that numbers it.

Every change takes its number from the single `sync_counter` row inside the writing
transaction. Writers lock that row first (`lock_feed`) and hold it until they commit, so
numbers are handed out in commit order and a pull never passes over a change that commits
later with a smaller number, as it could with a PostgreSQL sequence.
"""

from sqlalchemy import Connection, insert, select, update

from fieldkit.core.columns import utcnow
from fieldkit_server.tables import change_log, sync_counter


def lock_feed(conn: Connection) -> None:
    """Take the counter row's lock now, before reading what the transaction will change, so
    writers of the feed run one after another (SQLite's BEGIN IMMEDIATE already does)."""
    conn.execute(select(sync_counter.c.value).where(sync_counter.c.id == 1).with_for_update())


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
