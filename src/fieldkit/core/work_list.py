"""Who to visit next: every household with something left to do, ranked, with counts.

What remains for a household, most pressing first:
- a visit left open (started and never ended: the volunteer was interrupted);
- on the volunteer's assignments, a household of the commune's list nobody has visited yet;
- people with no VNeID account yet;
- a procedure form started and not completed;
- people with a level-1 account waiting for level 2 at the commune police;
- any other household of the commune's list not visited yet.

A volunteer's assignments (`Assignment`: a whole hamlet, or one listed household) come before
everything else, soonest due first. The same list is drawn on the laptop, from its encrypted
store, and on the commune's web pages for each volunteer, from the server's tables: the
queries use only the shared synced tables, through whatever connection is given. Each query
groups in SQL, so a laptop holding 50,000 households draws the list without loading them.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Connection, case, func, or_, select

from fieldkit.core.folding import fold
from fieldkit.core.models import (
    Assignment,
    FormRecord,
    Household,
    ListedHousehold,
    Person,
    Village,
    Visit,
)

KINDS: dict[str, tuple[str, str]] = {
    "open_visit": ("Lượt thăm chưa kết thúc", "Visit left open"),
    "assigned": ("Hộ được giao chưa đến", "Assigned household not visited"),
    "no_vneid": ("Chưa có tài khoản VNeID", "No VNeID account yet"),
    "draft_form": ("Tờ khai chưa xong", "Form not completed"),
    "waiting_level2": ("Chờ lên mức 2 tại công an", "Waiting for level 2 at the police"),
    "listed": ("Hộ trong danh sách xã chưa đến", "Listed household not visited"),
}
# What a count of each kind counts.
UNITS: dict[str, tuple[str, str]] = {
    "open_visit": ("lượt thăm", "visits"), "assigned": ("hộ", "households"),
    "no_vneid": ("người", "people"), "draft_form": ("tờ khai", "forms"),
    "waiting_level2": ("người", "people"), "listed": ("hộ", "households"),
}
_RANK = {kind: rank for rank, kind in enumerate(KINDS)}
_WAITING = ("level1", "activated")
_T = {name: model.__table__ for name, model in (  # type: ignore[attr-defined]
    ("household", Household), ("person", Person), ("visit", Visit), ("form", FormRecord),
    ("listed", ListedHousehold), ("assignment", Assignment), ("village", Village))}


@dataclass(frozen=True)
class WorkItem:
    """One household to go to: registered (`household_id`) or only on the commune's list."""

    household_id: str | None
    listed_id: str | None
    village_id: str
    village: str
    head_name: str
    address: str
    counts: dict[str, int]  # kind -> how many
    assigned: bool
    due_on: date | None

    @property
    def first_kind(self) -> str:
        return min(self.counts, key=_RANK.__getitem__)

    def sort_key(self) -> tuple[object, ...]:
        return (not self.assigned, self.due_on or date.max, _RANK[self.first_kind],
                -sum(self.counts.values()), fold(self.village), fold(self.head_name))


@dataclass
class WorkList:
    items: list[WorkItem]
    counts: dict[str, int] = field(default_factory=dict)  # kind -> total over the items

    def of_kind(self, kind: str) -> list[WorkItem]:
        return [item for item in self.items if kind in item.counts]


def work_list(conn: Connection, commune_id: str, volunteer_id: str | None,
              village_id: str | None = None, assigned_only: bool = False) -> WorkList:
    """The commune's households with something left to do, `volunteer_id`'s assignments
    first; only one hamlet's with `village_id`, only the assigned with `assigned_only` (the
    list a volunteer's web page shows)."""
    villages = _villages(conn, commune_id, village_id)
    if not villages:
        return WorkList([])
    scope = _assigned(conn, volunteer_id, list(villages)) if volunteer_id else _Scope()
    counts: dict[str, dict[str, int]] = {}

    def add(household_id: str, kind: str, number: int) -> None:
        if number:
            counts.setdefault(household_id, {})[kind] = number

    household, person, visit, form = _T["household"], _T["person"], _T["visit"], _T["form"]
    live = household.c.deleted.is_(False) & household.c.village_id.in_(list(villages))
    for row in conn.execute(
            select(person.c.household_id,
                   func.sum(case((person.c.vneid_status == "none", 1), else_=0)),
                   func.sum(case((person.c.vneid_status.in_(_WAITING), 1), else_=0)))
            .join(household, household.c.id == person.c.household_id)
            .where(live, person.c.deleted.is_(False))
            .group_by(person.c.household_id)):
        add(row[0], "no_vneid", int(row[1] or 0))
        add(row[0], "waiting_level2", int(row[2] or 0))
    for kind, table, condition in (
            ("open_visit", visit, visit.c.ended_at.is_(None)),
            ("draft_form", form, form.c.status == "draft")):
        for household_id, number in conn.execute(
                select(table.c.household_id, func.count())
                .join(household, household.c.id == table.c.household_id)
                .where(live, table.c.deleted.is_(False), condition)
                .group_by(table.c.household_id)):
            add(household_id, kind, number)
    items = _registered(conn, counts, villages, scope)
    items += _unvisited(conn, villages, scope, assigned_only)
    if assigned_only:
        items = [item for item in items if item.assigned]
    items.sort(key=WorkItem.sort_key)
    totals: dict[str, int] = {}
    for item in items:
        for kind, number in item.counts.items():
            totals[kind] = totals.get(kind, 0) + number
    return WorkList(items, totals)


@dataclass
class _Scope:
    """What a volunteer was given: hamlets whole (id -> due date) and listed households."""

    villages: dict[str, date | None] = field(default_factory=dict)
    listed: dict[str, date | None] = field(default_factory=dict)

    def due(self, village_id: str, listed_ids: Iterable[str | None]) -> tuple[bool, date | None]:
        dates = [self.listed[i] for i in listed_ids if i in self.listed]
        if village_id in self.villages:
            dates.append(self.villages[village_id])
        if not dates:
            return False, None
        known = [d for d in dates if d is not None]
        return True, min(known) if known else None


def _villages(conn: Connection, commune_id: str, village_id: str | None) -> dict[str, str]:
    village = _T["village"]
    query = select(village.c.id, village.c.name).where(village.c.commune_id == commune_id,
                                                       village.c.deleted.is_(False))
    if village_id is not None:
        query = query.where(village.c.id == village_id)
    return dict(conn.execute(query).all())


def _assigned(conn: Connection, volunteer_id: str, villages: list[str]) -> _Scope:
    assignment = _T["assignment"]
    scope = _Scope()
    for row in conn.execute(select(assignment.c.village_id, assignment.c.listed_household_id,
                                   assignment.c.due_on).where(
            assignment.c.volunteer_id == volunteer_id, assignment.c.deleted.is_(False),
            assignment.c.village_id.in_(villages))):
        given = scope.villages if row.listed_household_id is None else scope.listed
        key = row.village_id if row.listed_household_id is None else row.listed_household_id
        given[key] = _earlier(given[key], row.due_on) if key in given else row.due_on
    return scope


def _earlier(one: date | None, other: date | None) -> date | None:
    return min((d for d in (one, other) if d is not None), default=None)


def _registered(conn: Connection, counts: dict[str, dict[str, int]], villages: dict[str, str],
                scope: _Scope) -> list[WorkItem]:
    household, listed = _T["household"], _T["listed"]
    ids = list(counts)
    linked: dict[str, list[str]] = {}
    rows = []
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        rows += conn.execute(select(household.c.id, household.c.village_id,
                                    household.c.head_name, household.c.address).where(
            household.c.id.in_(chunk))).all()
        for listed_id, household_id in conn.execute(select(
                listed.c.id, listed.c.household_id).where(listed.c.household_id.in_(chunk),
                                                          listed.c.deleted.is_(False))):
            linked.setdefault(household_id, []).append(listed_id)
    items = []
    for row in rows:
        assigned, due = scope.due(row.village_id, linked.get(row.id, []))
        items.append(WorkItem(row.id, None, row.village_id, villages[row.village_id],
                              row.head_name, row.address, counts[row.id], assigned, due))
    return items


def _unvisited(conn: Connection, villages: dict[str, str], scope: _Scope,
               assigned_only: bool) -> list[WorkItem]:
    """Listed households nobody has registered yet."""
    listed = _T["listed"]
    query = select(listed.c.id, listed.c.village_id, listed.c.head_name, listed.c.address).where(
        listed.c.household_id.is_(None), listed.c.deleted.is_(False),
        listed.c.village_id.in_(list(villages)))
    if assigned_only:
        query = query.where(or_(listed.c.village_id.in_(list(scope.villages)),
                                listed.c.id.in_(list(scope.listed))))
    items = []
    for row in conn.execute(query):
        assigned, due = scope.due(row.village_id, [row.id])
        kind = "assigned" if assigned else "listed"
        items.append(WorkItem(None, row.id, row.village_id, villages[row.village_id],
                              row.head_name, row.address, {kind: 1}, assigned, due))
    return items
