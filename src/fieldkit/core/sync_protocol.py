"""The sync protocol between a laptop and its commune server: bodies, limits and row encoding.

Both ends import this module, so a field renamed on one side cannot silently drift from the
other. The outline (see DESIGN.md):

- Push: `POST /api/v1/sync/push` with a client-made `batch_id`. Each change carries the row as
  the laptop has it, the server version the edit started from (`base_version`, 0 for a row the
  server has never seen) and the laptop's own version of the row (`local_version`), so a change
  resent after a lost answer is recognised as a duplicate. The same batch sent again gets the
  stored answer again. Each change is answered applied, duplicate, conflict (both versions kept
  on the server for review) or rejected with a reason.
- Pull: `GET /api/v1/sync/pull?since=CURSOR&limit=N` returns changes in commit order with
  `next_cursor` and `more`. Form and guide definitions travel the same way, as rows of the
  pseudo-tables in `DEFINITION_TABLES`.

Rows travel as JSON objects of their columns: dates and times as ISO 8601 (times in UTC),
everything else as JSON scalars. `row_data` and `row_values` are exact inverses.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field
from sqlalchemy import Boolean, Date, DateTime, Integer, TypeDecorator

from fieldkit.core.models import SYNCED_TABLES, SyncedRow

API_PREFIX = "/api/v1"
PUSH_PATH = f"{API_PREFIX}/sync/push"
PULL_PATH = f"{API_PREFIX}/sync/pull"
ENROLL_PATH = f"{API_PREFIX}/enroll"
PING_PATH = f"{API_PREFIX}/ping"

# Bounds both ends enforce. A push of MAX_CHANGES rows of the largest kind (form records) stays
# well under the decompressed limit; the compressed limit is what a slow link must carry.
MAX_CHANGES = 500
MAX_PULL_LIMIT = 1000
MAX_BODY_BYTES = 4 * 1024 * 1024
MAX_DECOMPRESSED_BYTES = 32 * 1024 * 1024

TABLES: dict[str, type[SyncedRow]] = {
    table.__tablename__: table for table in SYNCED_TABLES  # type: ignore[misc]
}
# Definitions the commune publishes; their `data` is {"id", "version", "body"} (body: the JSON
# text of the file, checked by the core loaders on arrival).
DEFINITION_TABLES = ("form_definition", "guide_definition")

# Columns the server sets on its side: the laptop's values of these are not authoritative.
SERVER_COLUMNS = ("version",)

ChangeStatus = Literal["applied", "duplicate", "conflict", "rejected"]


class _Body(BaseModel):
    model_config = ConfigDict(extra="forbid")


class Change(_Body):
    table: str = Field(max_length=32)
    id: str = Field(min_length=36, max_length=36)
    base_version: int = Field(ge=0)
    local_version: int = Field(ge=1)
    data: dict[str, Any]


class PushRequest(_Body):
    batch_id: str = Field(min_length=36, max_length=36)
    changes: list[Change] = Field(max_length=MAX_CHANGES)


class ChangeResult(_Body):
    table: str
    id: str
    status: ChangeStatus
    # The server's version of the row after this change (applied, duplicate) or as the server
    # holds it (conflict); None when rejected.
    version: int | None = None
    reason: str | None = None


class PushResponse(_Body):
    batch_id: str
    results: list[ChangeResult]


class PulledChange(_Body):
    seq: int
    table: str
    id: str
    version: int
    data: dict[str, Any]


class PullResponse(_Body):
    changes: list[PulledChange]
    next_cursor: int
    more: bool


class EnrollRequest(_Body):
    code: str = Field(min_length=4, max_length=64)
    device_id: str = Field(min_length=36, max_length=36)
    device_name: str = Field(default="", max_length=120)
    # Hex of the laptop's Ed25519 public key, so the commune can verify its QR receipts.
    public_key: str = Field(min_length=64, max_length=64)


class EnrollResponse(_Body):
    token: str
    expires_at: datetime
    commune_code: int
    commune_id: str
    commune_name: str


def row_data(row: SyncedRow) -> dict[str, Any]:
    """Every column of `row` as JSON-ready values."""
    data: dict[str, Any] = {}
    for column in type(row).__table__.columns:  # type: ignore[attr-defined]
        value = getattr(row, column.name)
        if isinstance(value, datetime):
            value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(
                UTC).isoformat()
        elif isinstance(value, date):
            value = value.isoformat()
        data[column.name] = value
    return data


class RowError(ValueError):
    """A pushed or pulled row that does not fit its table; the message says which column."""


def row_values(table: str, data: dict[str, Any]) -> dict[str, Any]:
    """The column values of a row of `table` from its JSON form, checked column by column.

    Unknown columns are refused rather than dropped: a newer laptop's field must not vanish
    silently on an older server. Missing columns are refused too, so an update is always the
    whole row."""
    model = TABLES.get(table)
    if model is None:
        raise RowError(f"unknown table {table!r}")
    columns = {c.name: c for c in model.__table__.columns}  # type: ignore[attr-defined]
    unknown = sorted(set(data) - set(columns))
    if unknown:
        raise RowError(f"{table}: unknown column(s) {', '.join(unknown)}")
    missing = sorted(set(columns) - set(data))
    if missing:
        raise RowError(f"{table}: missing column(s) {', '.join(missing)}")
    values: dict[str, Any] = {}
    for name, column in columns.items():
        values[name] = _value(table, name, column, data[name])
    return values


def _value(table: str, name: str, column: Any, value: Any) -> Any:
    where = f"{table}.{name}"
    if value is None:
        if not column.nullable and not column.primary_key:
            raise RowError(f"{where} must not be empty")
        return None
    kind = column.type
    # SQLModel wraps its column types (aware `datetime` columns are a decorated DateTime):
    # judge a value by the type underneath, or times would pass through as text.
    if isinstance(kind, TypeDecorator):
        kind = kind.impl_instance
    try:
        if isinstance(kind, DateTime):
            if not isinstance(value, str):
                raise TypeError
            moment = datetime.fromisoformat(value)
            return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
        if isinstance(kind, Date):
            if not isinstance(value, str):
                raise TypeError
            return date.fromisoformat(value)
        if isinstance(kind, Boolean):
            if not isinstance(value, bool):
                raise TypeError
            return value
        if isinstance(kind, Integer):
            if isinstance(value, bool) or not isinstance(value, int):
                raise TypeError
            return value
    except (TypeError, ValueError):
        raise RowError(f"{where}: {value!r} is not a valid {kind}") from None
    if not isinstance(value, str):
        raise RowError(f"{where}: expected text, got {type(value).__name__}")
    length = getattr(kind, "length", None)
    if length is not None and len(value) > length:
        raise RowError(f"{where}: longer than {length} characters")
    return value
