"""Inserts and updates of many rows handed straight to the database driver's executemany.

A push writes tens of thousands of rows. Through `conn.execute(insert(table), rows)`,
SQLAlchemy compiles the statement and then builds every row's parameters in Python, type
conversion included, which cost more than the database's own work on them. Here the SQL text
and each column's conversion (SQLAlchemy's own bind processor for the dialect, so a datetime
is stored exactly as an ORM write would store it) are worked out once per table and dialect,
and each row becomes a plain tuple.
"""

from collections.abc import Callable, Mapping, Sequence
from contextlib import closing
from datetime import UTC, datetime, timedelta, timezone
from functools import cache
from operator import itemgetter
from typing import Any

from sqlalchemy import Connection, DateTime, Table, TypeDecorator
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeEngine

Params = Callable[[Mapping[str, Any]], Sequence[Any]]
# Values per IN (...) list: well under every backend's limit on bound parameters.
IN_LIST = 500


def insert_rows(conn: Connection, table: Table, rows: Sequence[Mapping[str, Any]]) -> None:
    """INSERT every row of `rows` (each with a value for every column of `table`)."""
    if rows:
        sql, params = _insert(table, conn.dialect)
        conn.exec_driver_sql(sql, [params(row) for row in rows])


def update_rows(conn: Connection, table: Table, key: str,
                rows: Sequence[Mapping[str, Any]]) -> None:
    """UPDATE, for every row of `rows`, the row whose `key` column has the row's value:
    every other column set to the row's."""
    if rows:
        sql, params = _update(table, key, conn.dialect)
        conn.exec_driver_sql(sql, [params(row) for row in rows])


def select_in(conn: Connection, table: Table, names: Sequence[str], key: str,
              values: Sequence[Any], where: Mapping[str, Any] | None = None
              ) -> list[dict[str, Any]]:
    """The rows of `table` whose `key` column is one of `values` (and whose columns named in
    `where` equal its values), as dicts of the columns `names`: read by the driver as they are
    stored, so only for columns that need no conversion (text, integers). Any number of
    `values`: they are asked for IN_LIST at a time."""
    mark = _placeholder(conn.dialect)
    columns = ", ".join(_quoted(conn.dialect, name) for name in names)
    equal = "".join(f"{_quoted(conn.dialect, name)} = {mark} AND " for name in where or {})
    found: list[dict[str, Any]] = []
    # The driver's own cursor, in this connection's transaction: its rows come as tuples in
    # one call, where SQLAlchemy's result fetched and wrapped them one at a time.
    with closing(conn.connection.cursor()) as cursor:
        for start in range(0, len(values), IN_LIST):
            part = values[start:start + IN_LIST]
            cursor.execute(f"SELECT {columns} FROM {_quoted(conn.dialect, table.name)} WHERE "
                           f"{equal}{_quoted(conn.dialect, key)} IN "
                           f"({', '.join(mark for _ in part)})",
                           (*(where or {}).values(), *part))
            found += [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    return found


@cache
def _insert(table: Table, dialect: Dialect) -> tuple[str, Params]:
    names = [c.name for c in table.columns]
    mark = _placeholder(dialect)
    return (f"INSERT INTO {_quoted(dialect, table.name)} "
            f"({', '.join(_quoted(dialect, name) for name in names)}) "
            f"VALUES ({', '.join(mark for _ in names)})", _params(table, dialect, names))


@cache
def _update(table: Table, key: str, dialect: Dialect) -> tuple[str, Params]:
    names = [c.name for c in table.columns if c.name != key]
    mark = _placeholder(dialect)
    assignments = ", ".join(f"{_quoted(dialect, name)} = {mark}" for name in names)
    return (f"UPDATE {_quoted(dialect, table.name)} SET {assignments} "
            f"WHERE {_quoted(dialect, key)} = {mark}", _params(table, dialect, [*names, key]))


def _params(table: Table, dialect: Dialect, names: list[str]) -> Params:
    """A row's parameters for `names`, in order: the values taken at once, then converted
    only in the columns whose type needs it (dates and times, on SQLite)."""
    take = itemgetter(*names)
    converted = [(index, process) for index, name in enumerate(names)
                 if (process := _processor(table.c[name].type, dialect)) is not None]
    if len(names) == 1:
        return lambda row: (converted[0][1](take(row)),) if converted else (take(row),)
    if not converted:
        return take

    # Each column's last value and its conversion: a batch's change-log entries share one
    # time, and converting it again for each of them cost a third of all time conversions.
    # Kept as one tuple, replaced whole, so a thread never pairs a value with another's text.
    last: list[tuple[Any, Any]] = [(_NOTHING, None)] * len(converted)

    def params(row: Mapping[str, Any]) -> tuple[Any, ...]:
        values = list(take(row))
        for at, (index, process) in enumerate(converted):
            value = values[index]
            seen = last[at]
            if seen[0] is not value:
                seen = last[at] = (value, process(value))
            values[index] = seen[1]
        return tuple(values)

    return params


_NOTHING = object()  # no value converted yet


def _processor(kind: TypeEngine[Any], dialect: Dialect) -> Callable[[Any], Any] | None:
    """SQLAlchemy's conversion of a value of `kind` for `dialect`; for a time on SQLite, the
    same text made by `datetime.isoformat` in C, several times faster than SQLAlchemy's
    formatting in Python, used only once it gives the very same text on sample times."""
    own = kind.dialect_impl(dialect).bind_processor(dialect)
    if own is None or dialect.name != "sqlite" or not isinstance(kind, DateTime | TypeDecorator):
        return own
    for fast in (_sqlite_utc_time, _sqlite_time):
        try:
            if all(fast(moment) == own(moment) for moment in _SAMPLE_TIMES):
                return fast
        except (TypeError, ValueError):
            continue
    return own


def _sqlite_utc_time(value: datetime | None) -> str | None:
    """An aware time as UTC text (a naive one is refused, as by its column type)."""
    if value is None:
        return None
    if value.tzinfo is UTC:  # as pushed rows are read: their text is cut, not converted
        return value.isoformat(" ", "microseconds")[:-6]
    if value.utcoffset() is None:
        raise ValueError("a time without its time zone")
    return value.astimezone(UTC).replace(tzinfo=None).isoformat(" ", "microseconds")


def _sqlite_time(value: datetime | None) -> str | None:
    """A time's own fields as text, whatever its zone."""
    if value is None:
        return None
    return value.replace(tzinfo=None).isoformat(" ", "microseconds")


_SAMPLE_TIMES = (
    None,
    datetime(2026, 12, 6, 4, 11, 42, 123456, tzinfo=UTC),
    datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone(timedelta(hours=7))),
    datetime(999, 12, 31, 23, 59, 59, 1, tzinfo=timezone(timedelta(hours=-5, minutes=-30))),
)


def _placeholder(dialect: Dialect) -> str:
    # sqlite3 takes "?"; psycopg "%s" (its pyformat style accepts the positional form).
    return "?" if dialect.paramstyle == "qmark" else "%s"


def _quoted(dialect: Dialect, name: str) -> str:
    return dialect.identifier_preparer.quote(name)
