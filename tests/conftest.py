"""Fixtures shared by every test: a real encrypted store with a volunteer and a village, and
households entered the way a volunteer enters them."""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from sqlalchemy import text

from fieldkit.core.communes import communes_of, provinces
from fieldkit.core.consent import PERSONAL_FIELDS, ConsentInput
from fieldkit.core.households import add_village, update_household
from fieldkit.core.models import Person
from fieldkit.core.people import add_person, create_household, update_person
from fieldkit.core.profile import Profile, load_profile, set_up_profile
from fieldkit.core.store import Store

if TYPE_CHECKING:
    from tests.live_server import LiveServer

PASSPHRASE = "passphrase-for-tests"
VILLAGE = "Bản Phiêng Luông"
VOLUNTEER_NAME = "Lò Thị Linh"
VOLUNTEER_PHONE = "0912345678"
SELF = ConsentInput(given_by="self")


def first_commune_code() -> int:
    """A real commune code from `vietnam-provinces`, as the setup window would offer it."""
    return communes_of(provinces()[0][0])[0].code


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = Store.create(data_dir, PASSPHRASE)
    profile = set_up_profile(opened, VOLUNTEER_NAME, VOLUNTEER_PHONE, first_commune_code())
    with opened.write() as session:
        add_village(session, profile.commune_id, VILLAGE, kind="ban")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def profile(store: Store) -> Profile:
    loaded = load_profile(store)
    assert loaded is not None
    return loaded


@pytest.fixture
def village_id(store: Store) -> str:
    with store.engine.connect() as conn:
        return conn.execute(text("SELECT id FROM village ORDER BY name")).scalars().first()


@dataclass(frozen=True)
class Made:
    household_id: str
    head_id: str


@pytest.fixture
def make_household(store: Store, profile: Profile, village_id: str) -> Callable[..., Made]:
    """Enter a household the way the volunteer does: consent, then one field at a time."""

    def make(
        head_name: str,
        *,
        village: str | None = None,
        id_number: str | None = None,
        date_of_birth: date | None = None,
        gender: str | None = None,
        phone: str | None = None,
        address: str | None = None,
        members: tuple[str, ...] = (),
    ) -> Made:
        with store.write() as session:
            household, head = create_household(
                session, village or village_id, profile.volunteer_id, SELF
            )
            made = Made(household.id, head.id)
        fields = {
            "full_name": head_name or None,
            "date_of_birth": date_of_birth,
            "gender": gender,
            "id_number": id_number,
            "phone": phone,
        }
        for field, value in fields.items():
            if value is not None:
                with store.write() as session:
                    update_person(session, made.head_id, field, value)
        if address is not None:
            with store.write() as session:
                update_household(session, made.household_id, "address", address)
        for name in members:
            with store.write() as session:
                member = add_person(
                    session, made.household_id, profile.volunteer_id, SELF, "child"
                )
                update_person(session, member.id, "full_name", name)
        return made

    return make


def person_row(store: Store, person_id: str) -> Person:
    """The member as stored now (what a reopened dialog would show)."""
    with store.read() as session:
        person = session.get(Person, person_id)
    assert person is not None
    return person


def person_snapshot(store: Store, person_id: str) -> dict[str, object]:
    """Personal fields and version: equal snapshots mean nothing was written."""
    person = person_row(store, person_id)
    return {name: getattr(person, name) for name in (*PERSONAL_FIELDS, "version")}


@pytest.fixture
def sync_server(tmp_path: Path) -> Iterator["LiveServer"]:
    """A real commune server (uvicorn on 127.0.0.1) over a fresh SQLite file, for the
    laptop's sync tests; the server's own suite also runs on PostgreSQL (tests/server)."""
    from tests.live_server import start_server

    live = start_server(f"sqlite:///{tmp_path / 'server.db'}")
    try:
        yield live
    finally:
        live.stop()
