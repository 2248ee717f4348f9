"""The laptop's queue of rows waiting to be pushed, and other laptop-only tables.

These tables live in their own metadata: the commune server shares the synced models but has
no outbox, so it must never create one.

Sync state is kept beside the outbox, inside the encrypted file and in the same transactions:
the server version each row was last seen at (what a push sends as `base_version`), conflicts
found while pulling (both sides kept until the volunteer or the commune resolves them) and rows
the server refused (quarantined with its reason, so they stop blocking the queue).
"""

from sqlalchemy import Column, DateTime, Integer, MetaData, String, Table, Text

LOCAL_METADATA = MetaData()

outbox = Table(
    "outbox",
    LOCAL_METADATA,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("table_name", String(32), nullable=False),
    Column("row_id", String(36), nullable=False, index=True),
    Column("version", Integer, nullable=False),
    Column("created_at", DateTime, nullable=False),
)

local_meta = Table(
    "local_meta",
    LOCAL_METADATA,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

sync_state = Table(
    "sync_state",
    LOCAL_METADATA,
    Column("row_id", String(36), primary_key=True),
    Column("table_name", String(32), nullable=False),
    Column("server_version", Integer, nullable=False),
)

sync_conflict = Table(
    "sync_conflict",
    LOCAL_METADATA,
    Column("seq", Integer, primary_key=True, autoincrement=True),
    Column("table_name", String(32), nullable=False),
    Column("row_id", String(36), nullable=False, index=True),
    # JSON of the row as the laptop has it and as the server sent it (`sync_protocol` form).
    Column("local_data", Text, nullable=False),
    Column("server_data", Text, nullable=False),
    Column("server_version", Integer, nullable=False),
    Column("detected_at", DateTime, nullable=False),
    Column("resolved_at", DateTime, nullable=True),
)

sync_quarantine = Table(
    "sync_quarantine",
    LOCAL_METADATA,
    Column("row_id", String(36), primary_key=True),
    Column("table_name", String(32), nullable=False),
    Column("local_version", Integer, nullable=False),
    Column("reason", Text, nullable=False),
    Column("at", DateTime, nullable=False),
)
