"""The laptop's queue of rows waiting to be pushed, and other laptop-only tables.

These tables live in their own metadata: the commune server shares the synced models but has
no outbox, so it must never create one.
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
