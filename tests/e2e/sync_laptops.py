"""Laptops for the sync tests: real encrypted stores, set up and filled the way a volunteer
does it, enrolled with a real server over HTTP."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import text

from fieldkit.core.households import add_village
from fieldkit.core.people import add_person, create_household, update_person
from fieldkit.core.profile import Profile, set_up_profile
from fieldkit.core.store import Store
from fieldkit.sync_client.client import RetryPolicy
from fieldkit.sync_client.enrol import enrol
from tests.conftest import PASSPHRASE, SELF, first_commune_code
from tests.live_server import LiveServer

# Quick retries: the tests wait on real sockets, not on long back-offs.
FAST_RETRY = RetryPolicy(attempts=8, base_delay=0.02, max_delay=0.3)


@dataclass
class Laptop:
    store: Store
    profile: Profile
    village_id: str

    def register(self, head_name: str, members: Iterable[str] = ()) -> tuple[str, str]:
        """A household entered field by field; returns (household id, head id)."""
        with self.store.write() as session:
            household, head = create_household(session, self.village_id,
                                               self.profile.volunteer_id, SELF)
            update_person(session, head.id, "full_name", head_name)
            for name in members:
                member = add_person(session, household.id, self.profile.volunteer_id, SELF,
                                    "child")
                update_person(session, member.id, "full_name", name)
            return household.id, head.id

    def count(self, table: str) -> int:
        with self.store.engine.connect() as conn:
            return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def new_laptop(directory: Path, name: str, village: str | None = "Bản Phiêng Luông",
               volunteer: str = "Lò Thị Linh") -> Laptop:
    store = Store.create(directory, PASSPHRASE)
    profile = set_up_profile(store, volunteer, "0912345678", first_commune_code())
    village_id = ""
    if village:
        with store.write() as session:
            village_id = add_village(session, profile.commune_id, village, kind="ban").id
    return Laptop(store, profile, village_id)


def enrolled(laptop: Laptop, server: LiveServer, name: str) -> Laptop:
    code = server.enrolment_code(first_commune_code())
    enrol(laptop.store, server.url, code, device_name=name, retry=FAST_RETRY)
    return laptop


def server_person(server: LiveServer, person_id: str) -> dict:
    """The person as the commune server holds it now."""
    with server.engine.connect() as conn:
        return dict(conn.execute(text("SELECT * FROM person WHERE id = :i"),
                                 {"i": person_id}).one()._mapping)
