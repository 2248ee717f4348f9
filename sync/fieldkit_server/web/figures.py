"""The dashboard's figures, counted in SQL over the synced tables.

Every count leaves out tombstones (`deleted`) and demo rows. Demo rows never reach the server
(push refuses them), but a figure the commune reports upward must not depend on that staying
true, so the filter is written here as well.

Definitions shown on the page as footnotes, so the officer can say what a number means:
- a household is *reached* when it has at least one visit;
- a person is *helped* when a guide was run with them during a visit, or a procedure form
  was filled for them;
- VNeID figures count people by their status now, cumulatively: an activated account was
  registered at level 1 first, and a level-2 account was activated first.

On a server shared by several communes the figures are one commune's when the officer chose
one (`commune_id`), and every commune's otherwise; hamlets and volunteers of different
communes are then told apart by their commune's name.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone

from sqlalchemy import (
    ColumnElement,
    Connection,
    Select,
    and_,
    distinct,
    func,
    or_,
    select,
    true,
    union,
)

from fieldkit.core.models import (
    Commune,
    FormRecord,
    GuideRun,
    Household,
    Person,
    Village,
    Visit,
    Volunteer,
)

COMMUNE_TIME = timezone(timedelta(hours=7))
"""Vietnam has one time zone and no daylight saving: weeks are counted in office time."""
WEEKS_SHOWN = 12

household = Household.__table__  # type: ignore[attr-defined]
person = Person.__table__  # type: ignore[attr-defined]
village = Village.__table__  # type: ignore[attr-defined]
visit = Visit.__table__  # type: ignore[attr-defined]
volunteer = Volunteer.__table__  # type: ignore[attr-defined]
form_record = FormRecord.__table__  # type: ignore[attr-defined]
guide_run = GuideRun.__table__  # type: ignore[attr-defined]
commune = Commune.__table__  # type: ignore[attr-defined]


def live(table) -> object:
    """Rows that count: not deleted and not demo."""
    return and_(table.c.deleted.is_(False), table.c.demo.is_(False))


@dataclass(frozen=True)
class VillageFigures:
    name: str
    households: int
    reached: int
    visits: int
    people_helped: int


@dataclass(frozen=True)
class VolunteerFigures:
    name: str
    visits: int
    households: int
    guide_runs: int


@dataclass(frozen=True)
class Dashboard:
    households: int
    households_reached: int
    people: int
    people_helped: int
    vneid_level1: int
    vneid_activated: int
    vneid_level2: int
    forms_draft: int
    forms_complete: int
    visits: int
    villages: list[VillageFigures]
    volunteers: list[VolunteerFigures]
    weeks: list[tuple[date, int]]


def in_commune(commune_id: str | None) -> ColumnElement[bool]:
    """Households of the commune's villages (every household when `commune_id` is None)."""
    if commune_id is None:
        return true()
    return household.c.village_id.in_(select(village.c.id)
                                      .where(village.c.commune_id == commune_id))


def _live_visits(commune_id: str | None) -> Select:
    """Visits that count, joined to a household that counts."""
    return (select(visit.c.id, visit.c.household_id, visit.c.volunteer_id, visit.c.started_at)
            .join(household, household.c.id == visit.c.household_id)
            .where(live(visit), live(household), in_commune(commune_id)))


def helped_people(commune_id: str | None) -> Select:
    """Ids of the people helped (see the module docstring for the definition)."""
    by_guide = (select(guide_run.c.person_id.label("person_id"))
                .join(visit, visit.c.id == guide_run.c.visit_id)
                .where(live(guide_run), live(visit)))
    by_form = (select(form_record.c.person_id.label("person_id"))
               .where(live(form_record), form_record.c.person_id.is_not(None)))
    ids = union(by_guide, by_form).subquery()
    return (select(person.c.id, person.c.household_id)
            .join(ids, ids.c.person_id == person.c.id)
            .join(household, household.c.id == person.c.household_id)
            .where(live(person), in_commune(commune_id)))


def dashboard(conn: Connection, today: date | None = None,
              commune_id: str | None = None) -> Dashboard:
    today = today or datetime.now(COMMUNE_TIME).date()
    visits = _live_visits(commune_id).subquery()
    helped = helped_people(commune_id).subquery()
    people_here = (select(person.c.vneid_status)
                   .join(household, household.c.id == person.c.household_id)
                   .where(live(person), in_commune(commune_id)).subquery())

    def scalar(query: Select) -> int:
        return int(conn.execute(query).scalar_one() or 0)

    statuses = dict(conn.execute(
        select(people_here.c.vneid_status, func.count())
        .group_by(people_here.c.vneid_status)).all())
    forms = dict(conn.execute(
        select(form_record.c.status, func.count())
        .join(household, household.c.id == form_record.c.household_id)
        .where(live(form_record), live(household), in_commune(commune_id))
        .group_by(form_record.c.status)).all())
    return Dashboard(
        households=scalar(select(func.count()).select_from(household)
                          .where(live(household), in_commune(commune_id))),
        households_reached=scalar(select(func.count(distinct(visits.c.household_id)))),
        people=scalar(select(func.count()).select_from(people_here)),
        people_helped=scalar(select(func.count()).select_from(helped)),
        vneid_level1=sum(statuses.get(s, 0) for s in ("level1", "activated", "level2")),
        vneid_activated=sum(statuses.get(s, 0) for s in ("activated", "level2")),
        vneid_level2=statuses.get("level2", 0),
        forms_draft=forms.get("draft", 0),
        forms_complete=forms.get("complete", 0),
        visits=scalar(select(func.count()).select_from(visits)),
        villages=_villages(conn, visits, helped, commune_id),
        volunteers=_volunteers(conn, visits, commune_id),
        weeks=_weeks(conn, visits, today),
    )


def _villages(conn: Connection, visits, helped,
              commune_id: str | None) -> list[VillageFigures]:
    homes = (select(household.c.village_id, func.count().label("n"))
             .where(live(household)).group_by(household.c.village_id).subquery())
    reached = (select(household.c.village_id,
                      func.count(distinct(visits.c.household_id)).label("reached"),
                      func.count(visits.c.id).label("visits"))
               .join(visits, visits.c.household_id == household.c.id)
               .group_by(household.c.village_id).subquery())
    people = (select(household.c.village_id, func.count().label("n"))
              .join(helped, helped.c.household_id == household.c.id)
              .where(live(household)).group_by(household.c.village_id).subquery())
    query = (select(village.c.name, func.coalesce(homes.c.n, 0),
                    func.coalesce(reached.c.reached, 0), func.coalesce(reached.c.visits, 0),
                    func.coalesce(people.c.n, 0), village.c.commune_id, commune.c.name)
             .outerjoin(homes, homes.c.village_id == village.c.id)
             .outerjoin(reached, reached.c.village_id == village.c.id)
             .outerjoin(people, people.c.village_id == village.c.id)
             .outerjoin(commune, commune.c.id == village.c.commune_id)
             .where(live(village)).order_by(village.c.name, commune.c.name))
    if commune_id is not None:
        query = query.where(village.c.commune_id == commune_id)
    rows = conn.execute(query).all()
    several = len({row[5] for row in rows}) > 1
    return [VillageFigures(_named(name, commune_name, several), *counts)
            for name, *counts, _, commune_name in rows]


def _named(name: str, commune_name: str | None, several: bool) -> str:
    """A hamlet's or volunteer's name, with their commune's when several are shown at once:
    two communes may each have a "Thôn 1"."""
    return f"{name} ({commune_name})" if several and commune_name else name


def _volunteers(conn: Connection, visits, commune_id: str | None) -> list[VolunteerFigures]:
    per_visit = (select(visits.c.volunteer_id,
                        func.count(visits.c.id).label("visits"),
                        func.count(distinct(visits.c.household_id)).label("households"))
                 .group_by(visits.c.volunteer_id).subquery())
    runs = (select(visits.c.volunteer_id, func.count(guide_run.c.id).label("runs"))
            .join(guide_run, guide_run.c.visit_id == visits.c.id)
            .where(live(guide_run)).group_by(visits.c.volunteer_id).subquery())
    query = (select(volunteer.c.full_name, func.coalesce(per_visit.c.visits, 0),
                    func.coalesce(per_visit.c.households, 0), func.coalesce(runs.c.runs, 0),
                    volunteer.c.commune_id, commune.c.name)
             .outerjoin(per_visit, per_visit.c.volunteer_id == volunteer.c.id)
             .outerjoin(runs, runs.c.volunteer_id == volunteer.c.id)
             .outerjoin(commune, commune.c.id == volunteer.c.commune_id)
             .where(live(volunteer))
             .order_by(func.coalesce(per_visit.c.visits, 0).desc(), volunteer.c.full_name))
    if commune_id is not None:
        # The commune's volunteers, and any other who visited its households.
        query = query.where(or_(volunteer.c.commune_id == commune_id,
                                per_visit.c.visits.is_not(None)))
    rows = conn.execute(query).all()
    several = len({row[4] for row in rows}) > 1
    return [VolunteerFigures(_named(name, commune_name, several), *counts)
            for name, *counts, _, commune_name in rows]


def week_start(moment: datetime) -> date:
    """The Monday (office time) of the week `moment` falls in."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    day = moment.astimezone(COMMUNE_TIME).date()
    return day - timedelta(days=day.weekday())


def _weeks(conn: Connection, visits, today: date) -> list[tuple[date, int]]:
    """Visits per week for the last WEEKS_SHOWN weeks, oldest first, empty weeks as 0.

    Bucketed here rather than in SQL because week arithmetic in office time differs between
    SQLite and PostgreSQL, and twelve weeks of one commune's visits are few rows."""
    this_monday = today - timedelta(days=today.weekday())
    first = this_monday - timedelta(weeks=WEEKS_SHOWN - 1)
    since = datetime.combine(first, datetime.min.time(), COMMUNE_TIME).astimezone(UTC)
    counts = {first + timedelta(weeks=i): 0 for i in range(WEEKS_SHOWN)}
    for (started,) in conn.execute(select(visits.c.started_at)
                                   .where(visits.c.started_at >= since)):
        monday = week_start(started)
        if monday in counts:
            counts[monday] += 1
    return sorted(counts.items())
