"""The migrated server schema is exactly the models: the shared synced tables plus the
server's own, on SQLite and on PostgreSQL."""

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import select
from sqlmodel import SQLModel

from fieldkit_server.db import migrate, open_database, schema_metadata
from fieldkit_server.tables import SERVER_METADATA, sync_counter


def test_the_migrated_schema_matches_the_metadata(db_url: str):
    engine = open_database(db_url)
    try:
        migrate(engine)  # a second run at start-up changes nothing
        with engine.connect() as conn:
            context = MigrationContext.configure(conn, opts={"compare_type": True})
            assert compare_metadata(context, schema_metadata()) == []
            assert conn.execute(select(sync_counter)).all() == [(1, 0)]
    finally:
        engine.dispose()


def test_server_tables_stay_out_of_the_shared_metadata():
    assert not set(SERVER_METADATA.tables) & set(SQLModel.metadata.tables)
    assert set(schema_metadata().tables) >= set(SERVER_METADATA.tables)
