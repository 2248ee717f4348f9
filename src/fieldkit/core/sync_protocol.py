"""The sync protocol between a laptop and its commune server: bodies, limits and row encoding.

Both ends import this module, so a field renamed on one side cannot silently drift from the
other. The outline (see DESIGN.md):

- Push: `POST /api/v1/sync/push` with a client-made `batch_id`. Each change carries the row as
  the laptop has it, the server version the edit started from (`base_version`, 0 for a row the
  server has never seen) and the laptop's own version of the row (`local_version`), so a change
  resent after a lost answer is recognised as a duplicate. The same batch sent again gets the
  stored answer again. Each change is answered applied, duplicate, conflict (both versions kept
  on the server for review) or rejected with a reason; with the `FieldKit-Answers: in-order`
  header, the answers follow the changes' order without their tables and ids. Versions are
  strict integers: `false` or `1024.0` make the change malformed (422).
- Pull: `GET /api/v1/sync/pull?since=CURSOR&limit=N` returns changes in commit order with
  `next_cursor` and `more`, leaving out the versions the asking laptop pushed itself (its push
  answers gave it their numbers); on the last page the cursor moves past them too. Form and
  guide definitions travel the same way, as rows of the pseudo-tables in `DEFINITION_TABLES`.

Rows travel as JSON objects of their columns: dates and times as ISO 8601 (times in UTC),
everything else as JSON scalars. `row_data` and `row_values` are exact inverses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictInt
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
MAX_VERSION = 2**63 - 1

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
    # Strict: JSON's `false` or `1024.0` is not a version, even where Python would convert it;
    # and a version fits the databases' 64-bit integers.
    base_version: StrictInt = Field(ge=0, le=MAX_VERSION)
    local_version: StrictInt = Field(ge=1, le=MAX_VERSION)
    data: dict[str, Any]


class PushRequest(_Body):
    batch_id: str = Field(min_length=36, max_length=36)
    changes: list[Change] = Field(max_length=MAX_CHANGES)


# The request header by which a laptop asks for answers in the order of its changes, without
# their tables and ids (the laptop has them): a push's answer then costs a few bytes a row
# instead of an id each, which gzip cannot shrink. A server that does not know the header
# answers in full, which the laptop reads as before.
ANSWERS_HEADER = "FieldKit-Answers"
IN_ORDER = "in-order"
# A laptop may send its next batch before the answer to the one on the wire comes, naming that
# one in AFTER_HEADER: the server applies it only once the named batch of the same laptop is
# stored, so a child row never overtakes its parent. A server says it keeps this order with
# ORDER_HEADER on its push answers; the laptop waits for every answer until it has seen it (an
# older server would apply the two side by side). Past AFTER_WAIT_S without the named batch
# (refused whole, lost, or still being applied) the batch is refused with TOO_EARLY and nothing
# of it is stored: the laptop sends it again once the batch before it is answered.
AFTER_HEADER = "FieldKit-After"
ORDER_HEADER = "FieldKit-Order"
KEEPS_ORDER = "after"
AFTER_WAIT_S = 15.0
TOO_EARLY = 425


class ChangeResult(_Body):
    # Empty in an answer given in order (see ANSWERS_HEADER).
    table: str = ""
    id: str = ""
    status: ChangeStatus
    # The server's version of the row after this change (applied, duplicate) or as the server
    # holds it (conflict); None when rejected.
    version: StrictInt | None = None
    reason: str | None = None


class PushResponse(_Body):
    batch_id: str
    results: list[ChangeResult]
    # True when `results` answer the changes one for one, in order, without table and id.
    in_order: bool = False


class PulledChange(_Body):
    seq: StrictInt
    table: str
    id: str
    version: StrictInt
    data: dict[str, Any]


class PullResponse(_Body):
    changes: list[PulledChange]
    next_cursor: StrictInt
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
    return mapping_data(type(row).__tablename__,  # type: ignore[arg-type]
                        {name: getattr(row, name) for name in _columns(
                            type(row).__tablename__)})  # type: ignore[arg-type]


def mapping_data(table: str, values: Mapping[str, Any]) -> dict[str, Any]:
    """The same from a database row's mapping: building a model object first would cost
    more than the row itself, and a sync moves tens of thousands."""
    data: dict[str, Any] = {}
    for name in _columns(table):
        value = values[name]
        if isinstance(value, datetime):
            value = (value if value.tzinfo else value.replace(tzinfo=UTC)).astimezone(
                UTC).isoformat()
        elif isinstance(value, date):
            value = value.isoformat()
        data[name] = value
    return data


class RowError(ValueError):
    """A pushed or pulled row that does not fit its table; the message says which column."""


@dataclass(frozen=True)
class _Column:
    name: str
    kind: str  # "datetime", "date", "bool", "int" or "text"
    required: bool  # not nullable and not the primary key
    length: int | None
    shown: str  # the column type as messages name it


@cache
def _columns(table: str) -> tuple[str, ...]:
    return tuple(TABLES[table].__table__.columns.keys())  # type: ignore[attr-defined]


@cache
def _checks(table: str) -> tuple[_Column, ...]:
    """How each column of `table` is read from JSON, worked out once per table."""
    found = []
    for column in TABLES[table].__table__.columns:  # type: ignore[attr-defined]
        kind = column.type
        # SQLModel wraps its column types (aware `datetime` columns are a decorated
        # DateTime): judge a value by the type underneath, or times would pass as text.
        if isinstance(kind, TypeDecorator):
            kind = kind.impl_instance
        name = ("datetime" if isinstance(kind, DateTime) else "date" if isinstance(kind, Date)
                else "bool" if isinstance(kind, Boolean) else "int"
                if isinstance(kind, Integer) else "text")
        found.append(_Column(column.name, name, not column.nullable and not column.primary_key,
                             getattr(kind, "length", None), str(kind)))
    return tuple(found)


def row_values(table: str, data: dict[str, Any]) -> dict[str, Any]:
    """The column values of a row of `table` from its JSON form, checked column by column.

    Unknown columns are refused rather than dropped: a newer laptop's field must not vanish
    silently on an older server. Missing columns are refused too, so an update is always the
    whole row."""
    if table not in TABLES:
        raise RowError(f"unknown table {table!r}")
    names = _names(table)
    if data.keys() != names:
        unknown = sorted(set(data) - names)
        if unknown:
            raise RowError(f"{table}: unknown column(s) {', '.join(unknown)}")
        missing = sorted(names - set(data))
        raise RowError(f"{table}: missing column(s) {', '.join(missing)}")
    values: dict[str, Any] = {}
    for name, plain, optional, length, column in _plain_checks(table):
        value = data[name]
        # Most values are taken as they are: judged here, without a call per column (a push
        # reads tens of thousands of rows); times, dates and anything doubtful go to `_value`.
        if (optional if value is None else type(value) is plain
                and (length is None or len(value) <= length)
                and (plain is not int or _SMALLEST <= value <= _LARGEST)):
            values[name] = value
        elif plain is _Time and type(value) is str:
            values[name] = _moment(table, column, value)
        else:
            values[name] = _value(table, column, value)
    return values


class _Time:
    """The mark of a time column in `_PLAIN`: no value is of this type, so none is taken as
    it is; text is read by `_moment`."""


# The type a column's values have when they are taken as they are: text, integer, boolean.
_PLAIN: dict[str, type] = {"text": str, "int": int, "bool": bool, "datetime": _Time}
# Integer columns are 64-bit in both databases: a number outside would fail the write itself
# (a server error instead of the row's reason).
_SMALLEST, _LARGEST = -(2**63), 2**63 - 1


@cache
def _plain_checks(table: str) -> tuple[tuple[str, type | None, bool, int | None, _Column], ...]:
    """(name, plain JSON type, may be empty, longest, column) of each column of `table`."""
    return tuple((column.name, _PLAIN.get(column.kind), not column.required, column.length,
                  column) for column in _checks(table))


def _moment(table: str, column: _Column, text: str) -> datetime:
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise RowError(f"{table}.{column.name}: {text!r} is not a valid {column.shown}"
                       ) from None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment


@cache
def _names(table: str) -> frozenset[str]:
    return frozenset(_columns(table))


def _value(table: str, column: _Column, value: Any) -> Any:
    where = f"{table}.{column.name}"  # only here: most values never reach this function
    if value is None:
        if column.required:
            raise RowError(f"{where} must not be empty")
        return None
    kind = column.kind
    if kind == "text":
        if not isinstance(value, str):
            raise RowError(f"{where}: expected text, got {type(value).__name__}")
        if column.length is not None and len(value) > column.length:
            raise RowError(f"{where}: longer than {column.length} characters")
        return value
    try:
        if kind == "datetime":
            if not isinstance(value, str):
                raise TypeError
            moment = datetime.fromisoformat(value)
            return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment
        if kind == "date":
            if not isinstance(value, str):
                raise TypeError
            return date.fromisoformat(value)
        if kind == "bool":
            if not isinstance(value, bool):
                raise TypeError
            return value
        if isinstance(value, bool) or not isinstance(value, int) or not (
                _SMALLEST <= value <= _LARGEST):
            raise TypeError
        return value
    except (TypeError, ValueError):
        raise RowError(f"{where}: {value!r} is not a valid {column.shown}") from None
