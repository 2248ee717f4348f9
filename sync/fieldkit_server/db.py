"""The server's database: one engine per URL, migrated with Alembic, and the two ways to use it.

SQLite (the default, one file beside the office PC's server) and PostgreSQL (a provincial VM)
are both supported. Every write goes through `writing`, which on SQLite starts with
`BEGIN IMMEDIATE`: two pushes then queue on the busy timeout instead of both reading and one
failing when it tries to upgrade its lock. Reads go through `reading`, which on PostgreSQL is
REPEATABLE READ so a pull sees the change log and the rows it names at one instant.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, Engine, MetaData, create_engine, event
from sqlalchemy.engine import make_url
from sqlmodel import SQLModel

from fieldkit.core.models import SYNCED_TABLES
from fieldkit_server.tables import SERVER_METADATA

MIGRATIONS_DIR = Path(__file__).resolve().parent / "migrations"
DEFAULT_DB_FILE = "fieldkit-server.db"
# How long a SQLite writer waits for another before giving up (milliseconds).
SQLITE_BUSY_TIMEOUT_MS = 30_000


def default_db_url() -> str:
    """A SQLite file in the current directory: the office PC case needs no setup at all."""
    return f"sqlite:///{Path.cwd() / DEFAULT_DB_FILE}"


def is_sqlite(engine: Engine | Connection) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str) -> Engine:
    """An engine for `url` (`sqlite:///path` or `postgresql+psycopg://...`), unmigrated."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        engine = create_engine(url, connect_args={"check_same_thread": False, "timeout": 30})
        event.listen(engine, "connect", _sqlite_pragmas)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    if parsed.get_backend_name() != "postgresql":
        raise ValueError(f"Không hỗ trợ cơ sở dữ liệu {parsed.get_backend_name()!r}: "
                         "hãy dùng sqlite:/// hoặc postgresql+psycopg://")
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # The driver's own transaction handling is switched off so `_sqlite_begin` decides how a
    # transaction starts (SQLAlchemy's documented recipe for SQLite locking control).
    dbapi_connection.isolation_level = None
    for pragma in ("journal_mode=WAL", "synchronous=FULL", "foreign_keys=ON",
                   f"busy_timeout={SQLITE_BUSY_TIMEOUT_MS}"):
        dbapi_connection.execute(f"PRAGMA {pragma}")


def _sqlite_begin(conn: Connection) -> None:
    mode = "DEFERRED" if conn.get_execution_options().get("fieldkit_read") else "IMMEDIATE"
    conn.exec_driver_sql(f"BEGIN {mode}")


@contextmanager
def writing(engine: Engine) -> Iterator[Connection]:
    """One write transaction: committed when the block ends, rolled back if it raises."""
    with engine.begin() as conn:
        yield conn


@contextmanager
def reading(engine: Engine) -> Iterator[Connection]:
    """One read-only transaction with a single snapshot of the database."""
    options: dict[str, Any] = {"fieldkit_read": True}
    if not is_sqlite(engine):
        options["isolation_level"] = "REPEATABLE READ"
    with engine.connect() as conn, conn.execution_options(**options).begin():
        yield conn


def schema_metadata() -> MetaData:
    """The whole server schema: the shared synced tables plus the server's own.

    Copies, so nothing is added to `SQLModel.metadata` (the laptop's migration tests compare
    against it in the same process) or to `SERVER_METADATA`."""
    metadata = MetaData()
    for model in SYNCED_TABLES:
        SQLModel.metadata.tables[model.__tablename__].to_metadata(metadata)  # type: ignore[attr-defined]
    for table in SERVER_METADATA.tables.values():
        table.to_metadata(metadata)
    return metadata


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`; safe to run at every start."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    with writing(engine) as conn:
        config.attributes["connection"] = conn
        command.upgrade(config, revision)


def open_database(url: str) -> Engine:
    """An engine for `url` with the schema brought up to date: what `serve` and tests use."""
    engine = make_engine(url)
    migrate(engine)
    return engine
