"""Withdrawn consent on the server (Decree 13/2023): the erasure wins over any base, personal
data is not taken back, and conflict copies forget it too."""

import json
from typing import Any

from sqlalchemy import select, text

from fieldkit.core.columns import utcnow
from fieldkit.core.consent import PERSONAL_FIELDS
from fieldkit.core.ids import uuid7
from fieldkit.core.models import Consent, Person, Volunteer
from fieldkit.core.vocabulary import CONSENT_PURPOSE
from fieldkit_server.tables import conflict
from tests.live_server import LiveServer
from tests.server.laptop import Laptop, commune_codes, enrol, household, person

NAME = "Lò Thị Mai"


def registered(live_server: LiveServer) -> tuple[Laptop, Laptop, Person, Consent]:
    """Two laptops of one commune and a head with consent, pushed by the first in one batch
    (the consent after the person, as a laptop orders it)."""
    code = commune_codes()[0]
    first, second = enrol(live_server, code, "Máy 1"), enrol(live_server, code, "Máy 2")
    village = first.village()
    home = household(village, head_name=NAME)
    volunteer = Volunteer(id=uuid7(), full_name="Lò Thị Linh", commune_id=first.commune_id)
    head = person(home, full_name=NAME, phone="0912345678")
    consent = Consent(id=uuid7(), person_id=head.id, purpose=CONSENT_PURPOSE[0],
                      given_by="self", volunteer_id=volunteer.id, given_at=utcnow())
    results = first.push_ok([first.change(row) for row in (village, volunteer, home, head,
                                                            consent)])
    assert [r["status"] for r in results] == ["applied"] * 5
    return first, second, head, consent


def edited(row: Person, **fields: Any) -> Person:
    """Another laptop's copy of `row`, changed."""
    return Person(**{**row.model_dump(), **fields})


def withdrawn(head: Person, consent: Consent) -> tuple[Person, Consent]:
    consent.withdrawn_at = utcnow()
    return edited(head, **dict.fromkeys(PERSONAL_FIELDS)), consent


def stored(live_server: LiveServer, person_id: str) -> dict[str, Any]:
    with live_server.engine.connect() as conn:
        return dict(conn.execute(text("SELECT * FROM person WHERE id = :i"),
                                 {"i": person_id}).one()._mapping)


def kept_conflicts(live_server: LiveServer) -> str:
    with live_server.engine.connect() as conn:
        return " ".join(f"{row.incoming} {row.current}"
                        for row in conn.execute(select(conflict)))


def test_an_erasure_from_an_older_base_is_applied_over_the_newer_row(
        live_server: LiveServer):
    first, second, head, consent = registered(live_server)
    assert second.push_ok([second.change(edited(head, phone="0987654321"),
                                         base_version=1)])[0]["version"] == 2
    erased, consent = withdrawn(head, consent)
    results = first.push_ok([first.change(erased, base_version=1),
                             first.change(consent, base_version=1)])
    assert [(r["status"], r["version"]) for r in results] == [("applied", 3), ("applied", 2)]
    row = stored(live_server, head.id)
    assert all(row[name] is None for name in PERSONAL_FIELDS), row
    assert row["version"] == 3 and kept_conflicts(live_server) == ""
    pulled = [c for c in second.pull_all() if c["id"] == head.id]
    assert pulled[0]["version"] == 3 and pulled[0]["data"]["full_name"] is None


def test_an_erasure_that_differs_in_more_is_applied_and_the_rest_kept_as_a_conflict(
        live_server: LiveServer):
    first, second, head, consent = registered(live_server)
    second.push_ok([second.change(edited(head, relation_to_head="spouse"), base_version=1)])
    erased, consent = withdrawn(head, consent)
    results = first.push_ok([first.change(erased, base_version=1),
                             first.change(consent, base_version=1)])
    assert [(r["status"], r["version"]) for r in results] == [("conflict", 3), ("applied", 2)]
    row = stored(live_server, head.id)
    assert row["full_name"] is None and row["relation_to_head"] == "spouse"
    with live_server.engine.connect() as conn:
        kept = conn.execute(select(conflict)).one()
    assert json.loads(kept.incoming)["relation_to_head"] == "head"
    assert NAME not in kept.incoming + kept.current


def test_personal_data_for_a_withdrawn_person_is_refused_and_old_conflicts_forget_it(
        live_server: LiveServer):
    first, second, head, consent = registered(live_server)
    first.push_ok([first.change(edited(head, phone="0987654321"), base_version=1)])
    # A stale edit, kept as a conflict while consent still stands: it holds the name.
    stale = edited(head, phone="0911111111")
    assert second.push_ok([second.change(stale, base_version=1)])[0]["status"] == "conflict"
    assert NAME in kept_conflicts(live_server)

    erased, consent = withdrawn(head, consent)
    first.push_ok([first.change(erased, base_version=2), first.change(consent, base_version=1)])
    kept = kept_conflicts(live_server)
    assert NAME not in kept and "0911111111" not in kept and "0987654321" not in kept
    # The stale laptop sends its row again ("keep mine"): refused, and not parked anywhere.
    again = second.push_ok([second.change(stale, base_version=3)])
    assert again[0]["status"] == "rejected" and "rút lại sự đồng ý" in again[0]["reason"]
    assert stored(live_server, head.id)["full_name"] is None
    assert NAME not in kept_conflicts(live_server)


def test_consent_given_again_in_the_same_batch_lets_the_data_back(live_server: LiveServer):
    first, _, head, consent = registered(live_server)
    erased, consent = withdrawn(head, consent)
    first.push_ok([first.change(erased, base_version=1), first.change(consent, base_version=1)])
    again = Consent(id=uuid7(), person_id=head.id, purpose=CONSENT_PURPOSE[0],
                    given_by="self", volunteer_id=consent.volunteer_id, given_at=utcnow())
    # Persons go before consents in a batch: the new consent arrives after the data.
    results = first.push_ok([first.change(edited(erased, full_name=NAME), base_version=2),
                             first.change(again)])
    assert [r["status"] for r in results] == ["applied", "applied"]
    assert stored(live_server, head.id)["full_name"] == NAME
