"""The laptop's encrypted store: SQLCipher under SQLAlchemy, with stamping and an outbox.

Why it is built this way:
- The key is derived from the passphrase with scrypt (see `keys`) and handed to SQLCipher as a
  raw key, so SQLCipher's own PBKDF2 does not run again on every connection.
- A wrong passphrase is detected on a bare connection that only reads, before any pragma or
  migration could write, so a mistyped passphrase never changes a byte on disk.
- `journal_mode=WAL` with `synchronous=FULL`: field data is irreplaceable and laptops lose
  power; a committed write must survive a flat battery.
- Every flush of a synced row is stamped (version, time, device) and queued in the outbox by a
  session event, inside the same transaction, so no caller can forget either.
- A demo store (the trainer's sandbox) is one from birth: the mark is written with the device
  id, before the store exists for anyone, and the same stamping marks every row it writes
  `demo`, so a synthetic person can never pass for a real one in sync.
"""

import logging
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import URL, Engine, create_engine, delete, event, insert, inspect, select, text
from sqlalchemy.pool import QueuePool
from sqlmodel import Session

from fieldkit.core import paths
from fieldkit.core.columns import utcnow
from fieldkit.core.folding import fold
from fieldkit.core.i18n import tr
from fieldkit.core.keys import KeyParams, derive_key
from fieldkit.core.models import Household, Person, SyncedRow
from fieldkit.core.outbox import local_meta, outbox

# The newest migration; checked against the migration scripts by a test, and compared here so
# that a store already at the head opens without importing Alembic (unlock time matters).
SCHEMA_HEAD = "0009"
KNOWN_REVISIONS = frozenset({"0001", "0002", "0003", "0004", "0005", "0006", "0007",
                             "0008", "0009"})
MIGRATIONS_DIR = Path(__file__).with_name("migrations")

logger = logging.getLogger(__name__)


class StoreError(Exception):
    """A problem the volunteer can act on; the message is shown as it is."""


class WrongPassphrase(StoreError):
    pass


class StoreSession(Session):
    """Sessions of the laptop store; the stamping events below apply to these only, not to
    the server, which assigns its own versions."""


def _raw_key(key: bytes) -> str:
    return f"x'{key.hex()}'"


def _check_key(db_file: Path, key: bytes) -> None:
    """Try the key on page 1 of the main file only.

    `immutable=1` makes SQLite skip locks, the WAL and its index: a normal connection would,
    on closing, fold a WAL left by a crash into the main file, or touch the -shm of a store
    open elsewhere. Page 1 is always in the main file once the store exists, and SQLCipher's
    HMAC on it fails for a wrong key.
    """
    import sqlcipher3

    uri = f"{db_file.resolve().as_uri()}?immutable=1"
    conn = sqlcipher3.connect(uri, uri=True, isolation_level=None)
    try:
        # A wrong key is an expected event here, not something to log to stderr.
        conn.execute("PRAGMA cipher_log_level = NONE")
        conn.execute(f'PRAGMA key = "{_raw_key(key)}"')
        conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
    except sqlcipher3.DatabaseError as exc:
        logger.warning("unlock refused: wrong passphrase")
        raise WrongPassphrase(
            tr("Sai cụm mật khẩu. Hãy gõ lại (chú ý chữ hoa, chữ thường và dấu).")
        ) from exc
    finally:
        conn.close()


def _make_engine(db_file: Path, key: bytes) -> Engine:
    url = URL.create("sqlite+pysqlcipher", password=_raw_key(key), database=str(db_file))
    # A queue of connections rather than the dialect's one-per-thread default, so that a
    # short query (the outbox count) can run while a session holds its own connection.
    engine = create_engine(url, poolclass=QueuePool, pool_size=4,
                           connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _pragmas(dbapi_conn: Any, _record: Any) -> None:
        # Transactions are begun explicitly below, not by the driver's guesswork.
        dbapi_conn.isolation_level = None
        cur = dbapi_conn.cursor()
        cur.execute("PRAGMA journal_mode=WAL")
        cur.execute("PRAGMA synchronous=FULL")
        cur.execute("PRAGMA foreign_keys=ON")
        cur.execute("PRAGMA busy_timeout=5000")
        # Erased personal data (withdrawn consent) is overwritten, not left in free pages.
        cur.execute("PRAGMA secure_delete=ON")
        # 32 MiB of decrypted pages: search over tens of thousands of households stays in memory.
        cur.execute("PRAGMA cache_size=-32768")
        cur.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        # Writers take the write lock up front, so two writers queue instead of deadlocking.
        write = conn.get_execution_options().get("fieldkit_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")

    return engine


@event.listens_for(StoreSession, "before_flush")
def _stamp(session: Session, _flush_context: Any, _instances: Any) -> None:
    device_id = session.info["device_id"]
    demo = session.info.get("demo", False)
    now = utcnow()
    touched: set[str] = session.info.setdefault("touched_households", set())
    queued: list[dict[str, Any]] = []
    for obj in session.deleted:
        if isinstance(obj, SyncedRow):
            raise StoreError("Synced rows are never deleted; set `deleted` (a tombstone) instead.")
    changed = [o for o in session.new if isinstance(o, SyncedRow)]
    changed += [
        o
        for o in session.dirty
        if isinstance(o, SyncedRow) and session.is_modified(o, include_collections=False)
    ]
    for obj in changed:
        obj.version = (obj.version or 0) + 1
        obj.updated_at = now
        obj.device_id = device_id
        if demo:
            obj.demo = True
        if isinstance(obj, Household):
            obj.sort_key = fold(obj.head_name)
            touched.add(obj.id)
        elif isinstance(obj, Person):
            touched.add(obj.household_id)
            # A member moved (by a sync pull, say) must leave the old household's index too.
            touched.update(inspect(obj).attrs.household_id.history.deleted or ())
        queued.append(
            {
                "table_name": type(obj).__tablename__,
                "row_id": obj.id,
                "version": obj.version,
                "created_at": now,
            }
        )
    if queued:
        session.connection().execute(insert(outbox), queued)


@event.listens_for(StoreSession, "after_flush")
def _reindex(session: Session, _flush_context: Any) -> None:
    touched: set[str] = session.info.pop("touched_households", set())
    if touched:
        from fieldkit.core.search import reindex_households

        reindex_households(session.connection(), touched)


class Store:
    """An open, unlocked store. Create with `Store.create` or `Store.open`."""

    def __init__(self, engine: Engine, data_dir: Path) -> None:
        self.engine = engine
        self.data_dir = data_dir
        self._write_engine = engine.execution_options(fieldkit_write=True)
        self.meta = self._read_meta()
        self.device_id = self.meta["device_id"]

    # -- opening -------------------------------------------------------------------------

    @classmethod
    def create(cls, data_dir: Path, passphrase: str, *, demo: bool = False) -> "Store":
        """Make a new, empty store; refuses to touch an existing one. A `demo` store marks
        every row it will ever write as demo data (see `fieldkit.core.demo`)."""
        if len(passphrase) < 8:
            raise StoreError(tr("Cụm mật khẩu cần ít nhất 8 ký tự."))
        db_file, key_file = paths.db_path(data_dir), paths.key_path(data_dir)
        if key_file.exists():
            raise StoreError(tr("Đã có dữ liệu FieldKit trong {folder}; không tạo đè lên."
                                ).format(folder=data_dir))
        # Without its key file a database is the remains of an interrupted setup: it holds
        # nothing anyone entered (setup writes the key file before any data), so start again.
        for leftover in (db_file, Path(f"{db_file}-wal"), Path(f"{db_file}-shm")):
            leftover.unlink(missing_ok=True)
        data_dir.mkdir(parents=True, exist_ok=True)
        params = KeyParams.new()
        engine = _make_engine(db_file, derive_key(passphrase, params))
        migrate(engine)
        with engine.execution_options(fieldkit_write=True).begin() as conn:
            conn.execute(insert(local_meta).values(key="device_id", value=str(uuid.uuid4())))
            if demo:
                conn.execute(insert(local_meta).values(key="demo", value="1"))
        # The key file is written last: until it exists, the directory does not count as a
        # store (paths.store_exists), so an interrupted setup simply starts again.
        params.save(key_file)
        logger.info("new store created (schema %s)%s", SCHEMA_HEAD,
                    ", practice data" if demo else "")
        return cls(engine, data_dir)

    @classmethod
    def open(cls, data_dir: Path, passphrase: str) -> "Store":
        db_file, key_file = paths.db_path(data_dir), paths.key_path(data_dir)
        if not paths.store_exists(data_dir):
            raise StoreError(tr("Chưa có dữ liệu FieldKit trong {folder}.").format(folder=data_dir))
        try:
            params = KeyParams.load(key_file)
        except (OSError, ValueError, KeyError, TypeError) as exc:
            logger.error("unlock failed: key file unreadable (%s)", type(exc).__name__)
            raise StoreError(
                tr("Tệp khóa {file} bị hỏng nên không mở được dữ liệu. Hãy chép lại tệp này từ "
                   "bản sao lưu, hoặc nhờ cán bộ kỹ thuật của xã.").format(file=key_file.name)
            ) from exc
        try:
            key = derive_key(passphrase, params)
        except ValueError as exc:
            logger.error("unlock failed: key file parameters refused (%s)", exc)
            raise StoreError(
                tr("Tệp khóa {file} có tham số không dùng được ({problem})."
                   ).format(file=key_file.name, problem=exc)
            ) from exc
        _check_key(db_file, key)
        engine = _make_engine(db_file, key)
        with engine.connect() as conn:
            current = conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if current != SCHEMA_HEAD:
            if current not in KNOWN_REVISIONS:
                logger.error("unlock refused: store schema %s is newer than this FieldKit's %s",
                             current, SCHEMA_HEAD)
                engine.dispose()
                raise StoreError(
                    tr("Dữ liệu này do một phiên bản FieldKit mới hơn tạo ra. Hãy cập nhật "
                       "FieldKit rồi mở lại; dữ liệu không bị thay đổi.")
                )
            logger.info("store schema %s is older than %s: migrating", current, SCHEMA_HEAD)
            migrate(engine)
        logger.info("store unlocked (schema %s)", SCHEMA_HEAD)
        return cls(engine, data_dir)

    def close(self) -> None:
        self.engine.dispose()

    @property
    def is_demo(self) -> bool:
        """True for the trainer's sandbox, whose rows are all synthetic and never synced."""
        return self.meta.get("demo") == "1"

    # -- sessions ------------------------------------------------------------------------

    @contextmanager
    def read(self) -> Iterator[Session]:
        with StoreSession(self.engine, expire_on_commit=False) as session:
            yield session

    @contextmanager
    def write(self) -> Iterator[Session]:
        """One transaction: everything inside commits together or not at all."""
        with StoreSession(self._write_engine, expire_on_commit=False) as session:
            session.info["device_id"] = self.device_id
            session.info["demo"] = self.is_demo
            with session.begin():
                yield session

    # -- laptop-only settings kept inside the encrypted file ------------------------------

    def _read_meta(self) -> dict[str, str]:
        with self.engine.connect() as conn:
            return {row.key: row.value for row in conn.execute(select(local_meta))}

    def set_meta(self, session: Session, values: dict[str, str]) -> None:
        """Write laptop settings inside the caller's transaction; `meta` follows on commit."""
        conn = session.connection()
        for key, value in values.items():
            conn.execute(delete(local_meta).where(local_meta.c.key == key))
            conn.execute(insert(local_meta).values(key=key, value=value))

        @event.listens_for(session, "after_commit", once=True)
        def _remember(_session: Session) -> None:
            self.meta.update(values)

    def signing_key(self) -> bytes:
        """This laptop's Ed25519 key for QR receipts, made on first use and kept only inside
        the encrypted store; the commune server learns the public half at enrolment."""
        if "signing_key" not in self.meta:
            from fieldkit.core.receipts import generate_device_key

            with self.write() as session:
                self.set_meta(session, {"signing_key": generate_device_key().hex()})
        return bytes.fromhex(self.meta["signing_key"])

    def outbox_size(self) -> int:
        """Outbox entries: one per write of a synced row."""
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM outbox")).scalar_one()

    def pending_changes(self) -> int:
        """Records waiting to be pushed (a record edited five times counts once)."""
        with self.engine.connect() as conn:
            return conn.execute(text("SELECT count(DISTINCT row_id) FROM outbox")).scalar_one()


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the schema to `revision`. Foreign keys are off while tables are rebuilt (SQLite
    batch migrations copy tables) and checked before the change is committed."""
    from alembic import command
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    started = time.monotonic()
    with engine.execution_options(fieldkit_write=True).connect() as conn:
        # Outside any transaction, where SQLite honours this pragma.
        raw = conn.connection.driver_connection
        raw.execute("PRAGMA foreign_keys=OFF")
        try:
            with conn.begin():
                config.attributes["connection"] = conn
                command.upgrade(config, revision)
                broken = conn.exec_driver_sql("PRAGMA foreign_key_check").fetchall()
                if broken:
                    raise StoreError(f"Migration left broken references: {broken[:5]}")
        except Exception:
            logger.exception("store schema migration to %s failed; nothing was changed", revision)
            raise
        finally:
            raw.execute("PRAGMA foreign_keys=ON")
    logger.info("store schema migrated to %s in %.1f s", revision, time.monotonic() - started)
