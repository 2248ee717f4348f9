"""The searchable, paginated lists: households, visits and form records.

Search folds the query the way the laptop does (`fold`: no diacritics, đ→d, lower case), so
"lo van" finds "Lò Văn". Filtering and paging happen in SQL: household names are matched on
`sort_key`, which the laptop already stores folded; volunteer and village names come from
small tables, so they are folded here and turned into id lists for the query. Each list can be
narrowed to one commune (`commune_id`), the one the officer chose in the page header.

`paged` is the one way every long list on the pages is cut into pages.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, and_, func, or_, select

from fieldkit.core.folding import fold
from fieldkit.core.receipts import reference_code
from fieldkit.core.vocabulary import SERVICES, VISIT_OUTCOMES
from fieldkit_server.web.display import code_label
from fieldkit_server.web.figures import (
    form_record,
    household,
    live,
    person,
    village,
    visit,
    volunteer,
)
from fieldkit_server.web.form_texts import FormCatalogue

PAGE_SIZE = 50


@dataclass(frozen=True)
class Page:
    rows: list[Any]  # dicts of the columns selected, unless the caller made them views
    total: int
    page: int
    pages: int


def _words(query: str) -> list[str]:
    return fold(query).split()


def _matching_ids(conn: Connection, table, name_column, words: list[str]) -> list[str]:
    """Ids of rows of a small table whose folded name holds every word."""
    return [row_id for row_id, name in conn.execute(select(table.c.id, name_column))
            if all(word in fold(name or "") for word in words)]


def paged(conn: Connection, query: Select, page: int) -> Page:
    """Page `page` of `query` (clamped to the pages there are), counted in SQL."""
    total = int(conn.execute(select(func.count()).select_from(query.subquery())).scalar_one())
    pages = max(1, -(-total // PAGE_SIZE))
    page = min(max(page, 1), pages)
    rows = [dict(row._mapping) for row in
            conn.execute(query.limit(PAGE_SIZE).offset((page - 1) * PAGE_SIZE))]
    return Page(rows, total, page, pages)


def in_commune(stmt: Select, commune_id: str | None) -> Select:
    """`stmt` (which joins `village`) narrowed to one commune's villages; all when None."""
    return stmt if commune_id is None else stmt.where(village.c.commune_id == commune_id)


def _name_matches(words: list[str]):
    """Every word in the household head's folded name (one LIKE per word)."""
    return and_(*(household.c.sort_key.like(f"%{word}%") for word in words))


def households(conn: Connection, query: str, page: int,
               commune_id: str | None = None) -> Page:
    words = _words(query)
    members = (select(person.c.household_id, func.count().label("members"))
               .where(live(person)).group_by(person.c.household_id).subquery())
    last = (select(visit.c.household_id, func.max(visit.c.started_at).label("last_visit"))
            .where(live(visit)).group_by(visit.c.household_id).subquery())
    stmt = (select(household.c.id, household.c.head_name, household.c.address,
                   village.c.name.label("village"),
                   func.coalesce(members.c.members, 0).label("members"), last.c.last_visit)
            .join(village, village.c.id == household.c.village_id)
            .outerjoin(members, members.c.household_id == household.c.id)
            .outerjoin(last, last.c.household_id == household.c.id)
            .where(live(household))
            .order_by(household.c.sort_key, household.c.id))
    stmt = in_commune(stmt, commune_id)
    if words:
        villages = _matching_ids(conn, village, village.c.name, words)
        stmt = stmt.where(or_(_name_matches(words), household.c.village_id.in_(villages)))
    return paged(conn, stmt, page)


def visits(conn: Connection, query: str, page: int,
           commune_id: str | None = None) -> Page:
    words = _words(query)
    stmt = (select(visit.c.id, visit.c.started_at, visit.c.services, visit.c.outcome,
                   household.c.head_name, village.c.name.label("village"),
                   volunteer.c.full_name.label("volunteer"))
            .join(household, household.c.id == visit.c.household_id)
            .join(village, village.c.id == household.c.village_id)
            .outerjoin(volunteer, volunteer.c.id == visit.c.volunteer_id)
            .where(live(visit), live(household))
            .order_by(visit.c.started_at.desc(), visit.c.id))
    stmt = in_commune(stmt, commune_id)
    if words:
        volunteers = _matching_ids(conn, volunteer, volunteer.c.full_name, words)
        villages = _matching_ids(conn, village, village.c.name, words)
        stmt = stmt.where(or_(_name_matches(words), visit.c.volunteer_id.in_(volunteers),
                              household.c.village_id.in_(villages)))
    result = paged(conn, stmt, page)
    for row in result.rows:
        row["services"] = ", ".join(code_label(SERVICES, code)
                                    for code in _codes(row["services"]))
        row["outcome"] = code_label(VISIT_OUTCOMES, row["outcome"])
    return result


def forms(conn: Connection, query: str, page: int, catalogue: FormCatalogue,
          commune_id: str | None = None) -> Page:
    words = _words(query)
    stmt = (select(form_record.c.id, form_record.c.form_id, form_record.c.status,
                   form_record.c.completed_at, form_record.c.updated_at,
                   household.c.head_name, village.c.name.label("village"))
            .join(household, household.c.id == form_record.c.household_id)
            .join(village, village.c.id == household.c.village_id)
            .where(live(form_record), live(household))
            .order_by(form_record.c.updated_at.desc(), form_record.c.id))
    stmt = in_commune(stmt, commune_id)
    if words:
        form_ids = [form_id for form_id, title in catalogue.newest_title.items()
                    if all(word in fold(title) for word in words)]
        conditions = [_name_matches(words), form_record.c.form_id.in_(form_ids)]
        code = _reference_query(query)
        if code:
            # A reference code is a hash of the id: only the rows themselves can be checked.
            ids = [row_id for (row_id,) in conn.execute(
                select(form_record.c.id).where(live(form_record)))
                if reference_code(row_id) == code]
            conditions.append(form_record.c.id.in_(ids))
        stmt = stmt.where(or_(*conditions))
    result = paged(conn, stmt, page)
    for row in result.rows:
        row["title"] = catalogue.title(row["form_id"])
        row["reference"] = reference_code(row["id"])
    return result


def _reference_query(query: str) -> str | None:
    """"abcd efgh", "ABCD-EFGH" and "abcdefgh" all name the same reference code."""
    compact = "".join(ch for ch in query.upper() if ch.isalnum())
    return f"{compact[:4]}-{compact[4:]}" if len(compact) == 8 else None


def _codes(text: str | None) -> list[str]:
    try:
        codes = json.loads(text or "[]")
    except ValueError:
        return []
    return [str(code) for code in codes] if isinstance(codes, list) else []

