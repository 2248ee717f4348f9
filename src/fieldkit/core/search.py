"""Type-ahead search over households: heads, members, ID numbers and phones.

An FTS5 table holds one row of folded text per household (see `folding`); each typed word is
matched as a prefix, so "nguyen van" finds "Nguyễn Văn An" and "0912" finds a phone number.
Filtering and sorting happen in SQL; callers get ids and load rows lazily.
"""

from collections.abc import Iterable

from sqlalchemy import Connection, text

from fieldkit.core.folding import fold


def reindex_households(conn: Connection, household_ids: Iterable[str]) -> None:
    """Rewrite the search rows of these households inside the caller's transaction.

    FTS5 finds rows by integer rowid only, so `household_search_key` gives each household a
    stable one; deleting by an unindexed household id would scan the whole index per write.
    """
    for household_id in household_ids:
        conn.execute(
            text("INSERT OR IGNORE INTO household_search_key (household_id) VALUES (:h)"),
            {"h": household_id},
        )
        key = conn.execute(
            text("SELECT id FROM household_search_key WHERE household_id = :h"),
            {"h": household_id},
        ).scalar_one()
        conn.execute(text("DELETE FROM household_search WHERE rowid = :k"), {"k": key})
        head = conn.execute(
            text("SELECT head_name, address, phone, deleted FROM household WHERE id = :h"),
            {"h": household_id},
        ).one_or_none()
        if head is None or head.deleted:
            continue
        parts = [head.head_name, head.address, head.phone or ""]
        for member in conn.execute(
            text(
                "SELECT full_name, id_number, phone FROM person "
                "WHERE household_id = :h AND deleted = 0"
            ),
            {"h": household_id},
        ):
            parts.extend(p for p in member if p)
        conn.execute(
            text("INSERT INTO household_search (rowid, body) VALUES (:k, :b)"),
            {"k": key, "b": fold(" ".join(p for p in parts if p))},
        )


def match_expression(query: str) -> str | None:
    """FTS5 query for what the volunteer typed: every word must start a word in the row.

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
    return " ".join(f'"{w}"*' for w in words)


SEARCH_SQL = (
    "SELECT h.id FROM household_search s "
    "JOIN household_search_key k ON k.id = s.rowid JOIN household h ON h.id = k.household_id "
    "WHERE household_search MATCH :q AND h.deleted = 0{village} "
    "ORDER BY h.sort_key, h.id"
)
LIST_SQL = "SELECT h.id FROM household h WHERE h.deleted = 0{village} ORDER BY h.sort_key, h.id"


def search_households(conn: Connection, query: str, village_id: str | None = None) -> list[str]:
    """Ids of matching households, sorted by head name; all of them when `query` is blank."""
    village = " AND h.village_id = :v" if village_id else ""
    expression = match_expression(query)
    params: dict[str, str] = {"v": village_id} if village_id else {}
    if expression is None:
        sql = LIST_SQL.format(village=village)
    else:
        sql = SEARCH_SQL.format(village=village)
        params["q"] = expression
    return list(conn.execute(text(sql), params).scalars())
