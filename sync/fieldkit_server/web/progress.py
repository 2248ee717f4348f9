"""Campaign progress per commune: each hamlet against its targets, each volunteer, each week.

Counted in SQL over the synced tables, commune by commune (each has its own period), leaving
out tombstones (`deleted`) and demo rows like every other figure (see `figures`). The period
runs from 00:00 office time on its first day to 24:00 on its last. Definitions, also shown on
the page and in the export:
- a household is *reached* when it has at least one visit that started within the period.
  A visit is the one thing a volunteer records at every household they help; a listed
  household linked to a FieldKit household (`household_id`) only says that a laptop matched
  it, which can happen without anyone going there this campaign;
- *level-2 accounts* are the people of the hamlet's households whose VNeID status is level 2
  now (the status carries no date, so this is cumulative, not only this campaign's);
- *forms* are procedure forms completed (status "complete") within the period;
- *on the commune's list*: households on the imported list (`listed_household`) of the
  hamlet; *of which reached*: those linked to a FieldKit household reached in the period.
Weeks are the campaign's own: week 1 is its first seven days, the last one may be shorter.
Volunteers are credited with their visits; a form records no volunteer, so they get none.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Connection, Select, distinct, func, or_, select

from fieldkit.core.columns import as_utc
from fieldkit.core.i18n import tr
from fieldkit.core.models import Commune, ListedHousehold
from fieldkit_server.campaign import Campaign, load_campaigns
from fieldkit_server.web.figures import (
    COMMUNE_TIME,
    form_record,
    guide_run,
    household,
    live,
    person,
    village,
    visit,
    volunteer,
)

commune = Commune.__table__  # type: ignore[attr-defined]
listed_household = ListedHousehold.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Measure:
    """One target and what was achieved against it; a target of 0 means none was set."""

    target: int
    achieved: int

    @property
    def fraction(self) -> float | None:
        return self.achieved / self.target if self.target else None

    @property
    def percent(self) -> int | None:
        return None if self.fraction is None else round(self.fraction * 100)

    @property
    def bar(self) -> int:
        """The bar's filled part, full at the target (achieving more still shows full)."""
        return min(self.achieved, self.target)


@dataclass(frozen=True)
class HamletProgress:
    village_id: str
    name: str
    households: Measure
    level2: Measure
    forms: Measure
    listed: int
    listed_reached: int

    @property
    def measures(self) -> tuple[Measure, Measure, Measure]:
        return self.households, self.level2, self.forms


@dataclass(frozen=True)
class VolunteerProgress:
    name: str
    visits: int
    households: int
    guide_runs: int


@dataclass(frozen=True)
class WeekProgress:
    number: int  # 1 for the campaign's first seven days
    first: date
    last: date
    visits: int
    new_households: int  # reached for the first time in the campaign that week
    reached_so_far: int
    forms: int


@dataclass(frozen=True)
class CommuneProgress:
    commune_id: str
    code: int
    name: str
    province: str
    today: date
    campaign: Campaign | None
    hamlets: list[HamletProgress]
    volunteers: list[VolunteerProgress]
    weeks: list[WeekProgress]

    @property
    def total(self) -> HamletProgress:
        def add(pick) -> Measure:
            return Measure(sum(pick(h).target for h in self.hamlets),
                           sum(pick(h).achieved for h in self.hamlets))

        return HamletProgress("", tr("Tổng cộng"), add(lambda h: h.households),
                              add(lambda h: h.level2), add(lambda h: h.forms),
                              sum(h.listed for h in self.hamlets),
                              sum(h.listed_reached for h in self.hamlets))

    @property
    def timing(self) -> str:
        """Where today falls in the period, in words: "ngày 12/45, còn 33 ngày"."""
        if self.campaign is None:
            return ""
        start, end = self.campaign.starts_on, self.campaign.ends_on
        if self.today < start:
            return tr("chưa bắt đầu, còn {days} ngày nữa").format(days=(start - self.today).days)
        if self.today > end:
            return tr("đã kết thúc")
        left = (end - self.today).days
        day = (self.today - start).days + 1
        if not left:
            return tr("ngày {day}/{days}, hôm nay là ngày cuối").format(
                day=day, days=self.campaign.days)
        return tr("ngày {day}/{days}, còn {left} ngày").format(day=day, days=self.campaign.days,
                                                             left=left)

    @property
    def days_left(self) -> int | None:
        if self.campaign is None:
            return None
        return max(0, (self.campaign.ends_on - max(self.today, self.campaign.starts_on)).days)

    @property
    def elapsed_percent(self) -> int | None:
        """Share of the period gone by the end of today: the pace to compare the bars with."""
        if self.campaign is None:
            return None
        gone = (min(self.today, self.campaign.ends_on) - self.campaign.starts_on).days + 1
        return round(100 * max(0, gone) / self.campaign.days)


def period_bounds(campaign: Campaign) -> tuple[datetime, datetime]:
    """The period as UTC instants: [first day 00:00, day after the last 00:00) office time."""
    def midnight(day: date) -> datetime:
        return datetime.combine(day, datetime.min.time(), COMMUNE_TIME)

    return midnight(campaign.starts_on), midnight(campaign.ends_on + timedelta(days=1))


def local_day(moment: datetime) -> date:
    return as_utc(moment).astimezone(COMMUNE_TIME).date()


def communes_shown(conn: Connection) -> list[tuple[str, int, str, str]]:
    """(id, code, name, province) of the live communes, by name."""
    return [tuple(row) for row in conn.execute(  # type: ignore[misc]
        select(commune.c.id, commune.c.code, commune.c.name, commune.c.province_name)
        .where(live(commune)).order_by(commune.c.name, commune.c.code))]


def hamlets_of(conn: Connection, commune_id: str) -> list[tuple[str, str]]:
    """(id, name) of the commune's live villages, by name."""
    return [tuple(row) for row in conn.execute(  # type: ignore[misc]
        select(village.c.id, village.c.name)
        .where(live(village), village.c.commune_id == commune_id)
        .order_by(village.c.name, village.c.id))]


def listed_counts(conn: Connection, commune_id: str) -> dict[str, int]:
    """Households on the commune's list, by village id."""
    return dict(conn.execute(  # type: ignore[arg-type]
        select(listed_household.c.village_id, func.count())
        .join(village, village.c.id == listed_household.c.village_id)
        .where(live(listed_household), live(village), village.c.commune_id == commune_id)
        .group_by(listed_household.c.village_id)).all())


def progress(conn: Connection, today: date | None = None,
             only: str | None = None) -> list[CommuneProgress]:
    """Every live commune's progress (or the one whose id is `only`), by commune name; no
    figures where no campaign is set."""
    today = today or datetime.now(COMMUNE_TIME).date()
    campaigns = load_campaigns(conn)
    shown = []
    for commune_id, code, name, province in communes_shown(conn):
        if only is not None and commune_id != only:
            continue
        found = campaigns.get(commune_id)
        if found is None:
            shown.append(CommuneProgress(commune_id, code, name, province, today, None,
                                         [], [], []))
            continue
        visits = _visits_in_period(commune_id, found).subquery()
        shown.append(CommuneProgress(
            commune_id, code, name, province, today, found,
            _hamlets(conn, commune_id, found, visits),
            _volunteers(conn, commune_id, visits),
            _weeks(conn, commune_id, found, visits, today)))
    return shown


def _visits_in_period(commune_id: str, campaign: Campaign) -> Select:
    """The commune's visits that count and started within the period, with their hamlet."""
    since, until = period_bounds(campaign)
    return (select(visit.c.id, visit.c.household_id, visit.c.volunteer_id,
                   visit.c.started_at, household.c.village_id)
            .join(household, household.c.id == visit.c.household_id)
            .join(village, village.c.id == household.c.village_id)
            .where(live(visit), live(household), live(village),
                   village.c.commune_id == commune_id,
                   visit.c.started_at >= since, visit.c.started_at < until))


def _completed_forms(commune_id: str, campaign: Campaign) -> Select:
    since, until = period_bounds(campaign)
    return (select(form_record.c.id, form_record.c.completed_at, household.c.village_id)
            .join(household, household.c.id == form_record.c.household_id)
            .join(village, village.c.id == household.c.village_id)
            .where(live(form_record), live(household), live(village),
                   village.c.commune_id == commune_id, form_record.c.status == "complete",
                   form_record.c.completed_at >= since, form_record.c.completed_at < until))


def _hamlets(conn: Connection, commune_id: str, campaign: Campaign,
             visits) -> list[HamletProgress]:
    def by_village(query: Select) -> dict[str, int]:
        return dict(conn.execute(query).all())  # type: ignore[arg-type]

    reached = by_village(select(visits.c.village_id, func.count(distinct(visits.c.household_id)))
                         .group_by(visits.c.village_id))
    level2 = by_village(
        select(household.c.village_id, func.count())
        .select_from(person.join(household, household.c.id == person.c.household_id)
                     .join(village, village.c.id == household.c.village_id))
        .where(live(person), live(household), live(village), village.c.commune_id == commune_id,
               person.c.vneid_status == "level2")
        .group_by(household.c.village_id))
    forms = _completed_forms(commune_id, campaign).subquery()
    completed = by_village(select(forms.c.village_id, func.count()).group_by(forms.c.village_id))
    listed = listed_counts(conn, commune_id)
    listed_reached = by_village(
        select(listed_household.c.village_id, func.count())
        .where(live(listed_household),
               listed_household.c.household_id.in_(select(visits.c.household_id)))
        .group_by(listed_household.c.village_id))
    rows = []
    for village_id, name in hamlets_of(conn, commune_id):
        target = campaign.target(village_id)
        rows.append(HamletProgress(
            village_id, name, Measure(target.households, reached.get(village_id, 0)),
            Measure(target.level2, level2.get(village_id, 0)),
            Measure(target.forms, completed.get(village_id, 0)),
            listed.get(village_id, 0), listed_reached.get(village_id, 0)))
    return rows


def _volunteers(conn: Connection, commune_id: str, visits) -> list[VolunteerProgress]:
    per_visit = {row.volunteer_id: row for row in conn.execute(
        select(visits.c.volunteer_id, func.count(visits.c.id).label("visits"),
               func.count(distinct(visits.c.household_id)).label("households"))
        .group_by(visits.c.volunteer_id))}
    runs = dict(conn.execute(
        select(visits.c.volunteer_id, func.count(guide_run.c.id))
        .join(guide_run, guide_run.c.visit_id == visits.c.id)
        .where(live(guide_run)).group_by(visits.c.volunteer_id)).all())
    people = conn.execute(
        select(volunteer.c.id, volunteer.c.full_name)
        .where(live(volunteer), or_(volunteer.c.commune_id == commune_id,
                                    volunteer.c.id.in_(list(per_visit))))
        .order_by(volunteer.c.full_name, volunteer.c.id)).all()
    rows = []
    for volunteer_id, name in people:
        found = per_visit.get(volunteer_id)
        rows.append(VolunteerProgress(name, found.visits if found else 0,
                                      found.households if found else 0,
                                      int(runs.get(volunteer_id, 0))))
    rows.sort(key=lambda v: -v.visits)  # stable: by name within equal counts
    return rows


def _weeks(conn: Connection, commune_id: str, campaign: Campaign, visits,
           today: date) -> list[WeekProgress]:
    """The campaign's weeks up to this one (all of them once it ended).

    Bucketed here rather than in SQL, like the dashboard's weeks: day arithmetic in office
    time differs between SQLite and PostgreSQL, and one campaign's visits are few rows."""
    def week_of(moment: datetime) -> int:
        return (local_day(moment) - campaign.starts_on).days // 7

    visit_counts: Counter[int] = Counter()
    first_visit: dict[str, datetime] = {}
    for home, started in conn.execute(select(visits.c.household_id, visits.c.started_at)):
        visit_counts[week_of(started)] += 1
        if home not in first_visit or as_utc(started) < as_utc(first_visit[home]):
            first_visit[home] = started
    new_homes = Counter(week_of(started) for started in first_visit.values())
    forms = _completed_forms(commune_id, campaign).subquery()
    form_counts = Counter(week_of(done) for (done,) in conn.execute(
        select(forms.c.completed_at)))
    last_day = min(max(today, campaign.starts_on), campaign.ends_on)
    last = max([(last_day - campaign.starts_on).days // 7, *visit_counts, *form_counts])
    weeks, so_far = [], 0
    for index in range(last + 1):
        first = campaign.starts_on + timedelta(weeks=index)
        so_far += new_homes[index]
        weeks.append(WeekProgress(index + 1, first,
                                  min(first + timedelta(days=6), campaign.ends_on),
                                  visit_counts[index], new_homes[index], so_far,
                                  form_counts[index]))
    return weeks
