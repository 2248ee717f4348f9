"""Synced tables shared by the laptop store and the commune server.

Every synced row carries a device-made UUIDv7 `id`, a `version` that grows on every write, the
`updated_at` time and `device_id` of that write, and a `deleted` tombstone: rows are never removed,
so a deletion travels through sync like any other change. Personal fields are nullable because
withdrawing consent erases them while the row (and the fact that it was erased) survives.

`demo` marks a row written in the trainer's demo sandbox: synthetic people who must never reach
a commune server, so both ends of sync can refuse them by a column rather than by trust.

Enumerated values are stored as their short codes (see `vocabulary`) rather than as database
enums, so adding a value never needs a table rebuild on SQLite.
"""

from datetime import date, datetime

from sqlalchemy import Index, Text
from sqlmodel import Field, SQLModel

from fieldkit.core.ids import uuid7


class SyncedRow(SQLModel):
    """Columns every synced row has; stamped by the store, never by callers."""

    id: str = Field(default_factory=uuid7, primary_key=True, max_length=36)
    version: int = Field(default=0)
    updated_at: datetime | None = Field(default=None)
    device_id: str = Field(default="", max_length=36)
    deleted: bool = Field(default=False)
    demo: bool = Field(default=False)


class Commune(SyncedRow, table=True):
    code: int = Field(index=True, unique=True, description="Official ward/commune code")
    name: str
    province_code: int
    province_name: str


class Volunteer(SyncedRow, table=True):
    full_name: str
    phone: str | None = None
    commune_id: str = Field(foreign_key="commune.id", index=True)


class Village(SyncedRow, table=True):
    commune_id: str = Field(foreign_key="commune.id", index=True)
    name: str
    kind: str = Field(default="thon", max_length=16)


class Household(SyncedRow, table=True):
    # Covering indexes: the household list is read in sort order without touching the table.
    __table_args__ = (
        Index("ix_household_village_sort", "village_id", "deleted", "sort_key", "id"),
        Index("ix_household_sort", "deleted", "sort_key", "id"),
    )

    village_id: str = Field(foreign_key="village.id")
    head_name: str = Field(default="")
    address: str = Field(default="")
    phone: str | None = None
    notes: str = Field(default="", sa_type=Text)
    # Diacritic-free head name: lets the household list sort in SQL the way Vietnamese
    # readers expect ("Đặng" beside "Dương", not after "Z").
    sort_key: str = Field(default="")


class ListedHousehold(SyncedRow, table=True):
    """A household on the commune's own list (residence data, earlier campaigns), imported on
    the commune server so volunteers know whom to visit. It holds only what the commune
    already holds; the visit makes it a FieldKit household, with consent recorded before
    anything new is typed, and `household_id` then points at that household."""

    __tablename__ = "listed_household"  # type: ignore[assignment]

    village_id: str = Field(foreign_key="village.id", index=True)
    head_name: str
    id_number: str | None = Field(default=None, max_length=12)
    date_of_birth: date | None = None
    birth_year: int | None = None  # lists often give the year alone
    gender: str | None = Field(default=None, max_length=8)
    phone: str | None = Field(default=None, max_length=16)
    address: str = Field(default="")
    household_code: str | None = Field(default=None, max_length=32)
    members: int | None = None
    source: str = Field(default="")  # the file and row it came from
    household_id: str | None = Field(default=None, foreign_key="household.id")


class Assignment(SyncedRow, table=True):
    """The commune's word that a volunteer is to visit a hamlet, or one household on its list:
    made by the officer on the server and pulled by the commune's laptops, whose work list
    puts the volunteer's own assignments first. Withdrawn by its tombstone."""

    __tablename__ = "assignment"  # type: ignore[assignment]

    volunteer_id: str = Field(foreign_key="volunteer.id", index=True)
    village_id: str = Field(foreign_key="village.id", index=True)
    # None: the whole hamlet.
    listed_household_id: str | None = Field(default=None, foreign_key="listed_household.id")
    due_on: date | None = None
    note: str = Field(default="")


class Person(SyncedRow, table=True):
    household_id: str = Field(foreign_key="household.id", index=True)
    full_name: str | None = None
    id_number: str | None = Field(default=None, max_length=12)
    date_of_birth: date | None = None
    gender: str | None = Field(default=None, max_length=8)
    ethnicity: str | None = None
    phone: str | None = Field(default=None, max_length=16)
    relation_to_head: str = Field(default="other", max_length=16)
    has_smartphone: bool | None = None
    phone_has_nfc: bool | None = None
    # VNeID level 1 needs a number registered in the citizen's own name (số thuê bao chính chủ).
    phone_in_own_name: bool | None = None
    vneid_status: str = Field(default="none", max_length=16)


class Consent(SyncedRow, table=True):
    person_id: str = Field(foreign_key="person.id", index=True)
    purpose: str = Field(sa_type=Text)
    # JSON list of category codes from `vocabulary.DATA_CATEGORIES`.
    data_categories: str = Field(default="[]")
    given_by: str = Field(max_length=16)
    guardian_name: str | None = None
    volunteer_id: str = Field(foreign_key="volunteer.id")
    given_at: datetime
    withdrawn_at: datetime | None = None


class Visit(SyncedRow, table=True):
    household_id: str = Field(foreign_key="household.id", index=True)
    volunteer_id: str = Field(foreign_key="volunteer.id")
    started_at: datetime
    ended_at: datetime | None = None
    # JSON list of service codes from `vocabulary.SERVICES`.
    services: str = Field(default="[]")
    notes: str = Field(default="", sa_type=Text)
    outcome: str | None = Field(default=None, max_length=16)


class FormRecord(SyncedRow, table=True):
    """One filled procedure form. Answers are JSON (repeats as lists of objects) because each
    form version has its own fields; the definition that reads them is `form_id` at
    `form_version`, which a record keeps for life even when a newer version arrives."""

    __tablename__ = "form_record"  # type: ignore[assignment]

    form_id: str = Field(index=True, max_length=64)
    form_version: str = Field(max_length=32)
    household_id: str = Field(foreign_key="household.id", index=True)
    person_id: str | None = Field(default=None, foreign_key="person.id")
    status: str = Field(default="draft", max_length=16)
    answers: str = Field(default="{}", sa_type=Text)
    # The page the volunteer was on, so a draft reopens where it was left.
    page: int = Field(default=0)
    completed_at: datetime | None = None


class FormRevision(SyncedRow, table=True):
    """The answers as they stood at each completion: a corrected record keeps its history."""

    __tablename__ = "form_revision"  # type: ignore[assignment]

    record_id: str = Field(foreign_key="form_record.id", index=True)
    number: int
    answers: str = Field(sa_type=Text)
    completed_at: datetime


class GuideRun(SyncedRow, table=True):
    """One person walked through one guide during a visit. The guide is named by `guide_id` at
    `guide_version`, which the run keeps for life; `result_status` is the VNeID status the run
    set when it finished (None when it set none)."""

    __tablename__ = "guide_run"  # type: ignore[assignment]

    visit_id: str = Field(foreign_key="visit.id", index=True)
    person_id: str = Field(foreign_key="person.id", index=True)
    guide_id: str = Field(max_length=64)
    guide_version: str = Field(max_length=32)
    # The step the volunteer is on; None once the guide has no step left.
    current_step: str | None = Field(default=None, max_length=64)
    # "open", "finished" or "abandoned".
    status: str = Field(default="open", max_length=16)
    started_at: datetime
    ended_at: datetime | None = None
    result_status: str | None = Field(default=None, max_length=16)


class GuideStepOutcome(SyncedRow, table=True):
    """What happened at one step of a run: done, a known problem (by id), or skipped with a
    reason. A step retried after a problem has several outcomes, in `recorded_at` order."""

    __tablename__ = "guide_step_outcome"  # type: ignore[assignment]

    run_id: str = Field(foreign_key="guide_run.id", index=True)
    step_id: str = Field(max_length=64)
    # "done", "problem" or "skipped".
    outcome: str = Field(max_length=16)
    problem_id: str | None = Field(default=None, max_length=64)
    reason: str = Field(default="", sa_type=Text)
    recorded_at: datetime


SYNCED_TABLES: tuple[type[SyncedRow], ...] = (
    Commune,
    Volunteer,
    Village,
    Household,
    ListedHousehold,
    Assignment,
    Person,
    Consent,
    Visit,
    FormRecord,
    FormRevision,
    GuideRun,
    GuideStepOutcome,
)
