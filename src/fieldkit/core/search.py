"""Type-ahead search over households: heads, members, ID numbers and phones.

An FTS5 table holds one row of folded text (see `folding`) for each household (head name,
address, phone) and for each living member (name, ID number, phone). Every typed word must
start a word of the same row, so "lo van" finds "Lò Văn Pao" but not a household that merely
has a "Lò Thị" and a "Cầm Văn". Each row's key carries the household's sort key, so sorting
happens in SQL without reading the household table. The village is a second,
unprefixed FTS column, so a village filter narrows the match inside the index instead of
discarding most of a broad match afterwards. Callers get ids and load the rows they show
lazily.
"""

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Connection, bindparam, text

from fieldkit.core.folding import fold

_OLD_KEYS = text("SELECT id FROM search_key WHERE household_id = :h")
_DROP_TEXT = text("DELETE FROM search_text WHERE rowid IN :keys").bindparams(
    bindparam("keys", expanding=True))
_DROP_KEYS = text("DELETE FROM search_key WHERE household_id = :h")
_HOUSEHOLD = text(
    "SELECT village_id, sort_key, head_name, address, phone, deleted FROM household WHERE id = :h")
_MEMBERS = text(
    "SELECT id, full_name, id_number, phone FROM person WHERE household_id = :h AND deleted = 0")
_ADD_KEY = text(
    "INSERT INTO search_key (row_id, household_id, sort_key) VALUES (:r, :h, :s) RETURNING id")
_ADD_TEXT = text("INSERT INTO search_text (rowid, body, village) VALUES (:k, :b, :v)")


def village_token(village_id: str) -> str:
    """A village id as one FTS token (the tokenizer would split a UUID at its dashes)."""
    return village_id.replace("-", "")


def _joined(*parts: str | None) -> str:
    return " ".join(p for p in parts if p)


def reindex_households(conn: Connection, household_ids: Iterable[str]) -> None:
    """Rewrite the search rows of these households inside the caller's transaction.

    All old rows go first: a member who moved between two of these households must be gone
    from the old one before being added to the new one.
    """
    household_ids = list(household_ids)
    for household_id in household_ids:
        old = conn.execute(_OLD_KEYS, {"h": household_id}).scalars().all()
        if old:
            conn.execute(_DROP_TEXT, {"keys": old})
            conn.execute(_DROP_KEYS, {"h": household_id})
    for household_id in household_ids:
        head = conn.execute(_HOUSEHOLD, {"h": household_id}).one_or_none()
        if head is None or head.deleted:
            continue
        rows = [(household_id, _joined(head.head_name, head.address, head.phone))]
        rows += [(m.id, _joined(m.full_name, m.id_number, m.phone))
                 for m in conn.execute(_MEMBERS, {"h": household_id})]
        for row_id, words in rows:
            body = fold(words)
            if not body:
                continue
            key = conn.execute(_ADD_KEY, {"r": row_id, "h": household_id,
                                          "s": head.sort_key}).scalar_one()
            conn.execute(_ADD_TEXT, {"k": key, "b": body, "v": village_token(head.village_id)})


def match_expression(query: str, village_id: str | None = None) -> str | None:
    """FTS5 query for what the volunteer typed: every word must start a word of the row's
    text, and the row must be in the village when one is given.

    Folding leaves only [a-z0-9] words, so no FTS5 syntax can be injected.
    """
    words: list[str] = []
    for word in fold(query).split():
        # "0912 345 678" is one phone number typed in groups, stored without spaces.
        if words and word.isdigit() and words[-1].isdigit():
            words[-1] += word
        else:
            words.append(word)
    if not words:
        return None
    terms = [f'body : "{w}"*' for w in words]
    if village_id:
        terms.append(f'village : "{village_token(village_id)}"')
    return " AND ".join(terms)


SEARCH_SQL = (
    "SELECT DISTINCT k.sort_key, k.household_id FROM search_text "
    "JOIN search_key k ON k.id = search_text.rowid "
    "WHERE search_text MATCH :q ORDER BY k.sort_key, k.household_id"
)
LIST_SQL = "SELECT h.sort_key, h.id FROM household h WHERE h.deleted = 0{village} " \
           "ORDER BY h.sort_key, h.id"


def search_statement(query: str, village_id: str | None) -> tuple[str, dict[str, str]]:
    """The SQL and parameters for a search; shared with the benchmark's raw baseline."""
    expression = match_expression(query, village_id)
    if expression is not None:
        return SEARCH_SQL, {"q": expression}
    if village_id:
        return LIST_SQL.format(village=" AND h.village_id = :v"), {"v": village_id}
    return LIST_SQL.format(village=""), {}


def search_households(conn: Connection, query: str, village_id: str | None = None) -> list[str]:
    """Ids of matching households sorted by head name; all of them when `query` is blank.

    Read through the driver's cursor: building 50,000 SQLAlchemy rows for a list of ids
    would cost more than the query itself.
    """
    sql, params = search_statement(query, village_id)
    cursor: Any = conn.connection.driver_connection.execute(sql, params)  # type: ignore[union-attr]
    return [row[1] for row in cursor]


def household_rows(conn: Connection, ids: Sequence[str]) -> list[Any]:
    """What the household list shows for these ids: head, address, phone, member count."""
    return list(conn.execute(_ROWS, {"ids": list(ids)}))


_ROWS = text(
    "SELECT h.id, h.head_name, h.address, h.phone, "
    "(SELECT count(*) FROM person p WHERE p.household_id = h.id AND p.deleted = 0) AS members "
    "FROM household h WHERE h.id IN :ids"
).bindparams(bindparam("ids", expanding=True))
