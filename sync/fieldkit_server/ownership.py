"""Which commune a synced row belongs to, found by walking its parents up to the commune.

A laptop may only write rows of its own commune, and may only point at rows of its own
commune: a visit naming another commune's volunteer, or a person moved into another commune's
household, would leak data across communes through the next pull. Parents are read from the
server's tables inside the pushing transaction, so a parent applied earlier in the same batch
counts.
"""

from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

from sqlalchemy import Connection, Table, select

from fieldkit.core.sync_protocol import TABLES

# The column naming each table's owning parent, and that parent's table.
OWNER: dict[str, tuple[str, str]] = {
    "volunteer": ("commune_id", "commune"),
    "village": ("commune_id", "commune"),
    "household": ("village_id", "village"),
    "listed_household": ("village_id", "village"),
    "assignment": ("village_id", "village"),
    "person": ("household_id", "household"),
    "visit": ("household_id", "household"),
    "form_record": ("household_id", "household"),
    "consent": ("person_id", "person"),
    "form_revision": ("record_id", "form_record"),
    "guide_run": ("visit_id", "visit"),
    "guide_step_outcome": ("run_id", "guide_run"),
}
# Deep enough for the longest chain (outcome → run → visit → household → village → commune).
_MAX_DEPTH = 8


class UnknownParent(LookupError):
    """A row names a row the server does not hold."""


@cache  # SQLModel's `__table__` is a slow class attribute, and a push asks per row
def table_of(name: str) -> Table:
    return TABLES[name].__table__  # type: ignore[attr-defined]


# How a caller reads a stored row by table and id (a push reads through its batch's cache).
Find = Callable[[str, str], Mapping[str, Any] | None]


# What one push has worked out so far: (table, row id) -> the commune id of that row.
Known = dict[tuple[str, str], str]


def commune_of(conn: Connection, table: str, values: Mapping[str, Any], depth: int = 0, *,
               find: Find | None = None, known: Known | None = None) -> str:
    """The commune id `values` (a row of `table`) belongs to; UnknownParent if a parent on
    the way up is missing. Each parent's commune found is put in `known`, if given, and read
    from there next time: the rows of a batch share a few villages and households, and
    walking up from each of them cost a tenth of the push."""
    if table == "commune":
        return str(values["id"])
    if depth > _MAX_DEPTH:
        raise UnknownParent(f"{table} {values['id']}")
    column, parent = OWNER[table]
    return _commune_of_row(conn, parent, values[column], depth + 1, find, known)


def _commune_of_row(conn: Connection, table: str, row_id: str, depth: int, find: Find | None,
                    known: Known | None) -> str:
    if known is not None and (table, row_id) in known:
        return known[(table, row_id)]
    row = stored_row(conn, table, row_id) if find is None else find(table, row_id)
    if row is None:
        raise UnknownParent(f"{table} {row_id}")
    commune = commune_of(conn, table, row, depth, find=find, known=known)
    if known is not None:
        known[(table, row_id)] = commune
    return commune


def stored_row(conn: Connection, table: str, row_id: str) -> Mapping[str, Any] | None:
    found = table_of(table)
    row = conn.execute(select(found).where(found.c.id == row_id)).first()
    return None if row is None else row._mapping


def referenced_communes(conn: Connection, table: str, values: Mapping[str, Any], *,
                        find: Find | None = None, known: Known | None = None) -> set[str]:
    """The communes of every row `values` points at (owner and others, such as the volunteer
    of a visit); UnknownParent for a reference the server does not hold."""
    return {_commune_of_row(conn, parent, values[column], 0, find, known)
            for column, parent in references(table) if values.get(column) is not None}


@cache
def references(table: str) -> tuple[tuple[str, str], ...]:
    """(column, table it names) of each of `table`'s foreign keys, read once: SQLAlchemy's
    key objects are slow to ask, and a push asks for every row."""
    return tuple(sorted((key.parent.name, key.column.table.name)
                        for key in table_of(table).foreign_keys))
