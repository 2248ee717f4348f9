"""The trainer's demo sandbox in real encrypted stores: seeded the same way every time, every row
flagged demo, reset to the seed after a class, and never anywhere near the real store."""

import hashlib
from collections.abc import Callable, Iterator
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

from fieldkit.core import paths
from fieldkit.core.cccd import validate_id_number
from fieldkit.core.columns import utcnow
from fieldkit.core.consent import required_givers
from fieldkit.core.dates import age_on
from fieldkit.core.demo import (
    DEMO_PASSPHRASE,
    HOUSEHOLDS,
    PREPARED,
    SEEDED_KEY,
    Scenario,
    demo_data_dir,
    open_demo,
    reset_demo,
    scenarios,
)
from fieldkit.core.forms.definition import load_form
from fieldkit.core.forms.records import start_record
from fieldkit.core.guide_runs import facts_of, record_outcome, start_run
from fieldkit.core.guides import load_guide
from fieldkit.core.households import members
from fieldkit.core.models import SYNCED_TABLES, FormRevision, Person
from fieldkit.core.people import create_household, update_person
from fieldkit.core.profile import Profile, load_profile
from fieldkit.core.store import Store, StoreError
from fieldkit.core.synthetic import (
    FAMILY_NAMES,
    GIVEN_NAMES,
    MIDDLE_NAMES,
    populate,
    populate_commune_list,
)
from fieldkit.core.visits import start_visit
from tests.conftest import SELF

TODAY = date(2025, 9, 1)
GUIDES = paths.resources_dir() / "guides"
PREPARED_COUNT = len(PREPARED)


@pytest.fixture(scope="module")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    """One sandbox for the tests that only read it: seeding takes about a second."""
    store = open_demo(tmp_path_factory.mktemp("seeded"), TODAY)
    try:
        yield store
    finally:
        store.close()


@pytest.fixture(scope="module")
def seed_content(seeded: Store) -> dict[str, Any]:
    return content(seeded)


def rows(store: Store, sql: str) -> list[tuple[Any, ...]]:
    with store.engine.connect() as conn:
        return sorted((tuple(r) for r in conn.execute(text(sql))), key=repr)


def content(store: Store) -> dict[str, Any]:
    """Everything a trainer can see, with ids, times and device ids replaced by what they
    point at (a household is known by its address, which is unique in the sandbox)."""
    household = "(SELECT address FROM household WHERE id = {})"
    person = ("(SELECT p.full_name || ' / ' || h.address FROM person p "
              "JOIN household h ON h.id = p.household_id WHERE p.id = {})")
    with store.read() as session:
        found = [(s.id, s.title, s.description, s.guide_id,
                  session.get(Person, s.person_id).full_name,  # type: ignore[union-attr]
                  rows(store, "SELECT address FROM household WHERE id = "
                              f"'{s.household_id}'"))
                 for s in scenarios(store)]
    return {
        "commune": rows(store, "SELECT code, name, province_code, province_name, deleted "
                               "FROM commune"),
        "volunteer": rows(store, "SELECT full_name, phone, deleted FROM volunteer"),
        "villages": rows(store, "SELECT name, kind, deleted FROM village"),
        "households": rows(store, "SELECT (SELECT name FROM village WHERE id = village_id), "
                                  "head_name, address, phone, notes, sort_key, deleted "
                                  "FROM household"),
        "people": rows(store, f"SELECT {household.format('household_id')}, full_name, "
                              "id_number, date_of_birth, gender, ethnicity, phone, "
                              "relation_to_head, has_smartphone, phone_has_nfc, "
                              "phone_in_own_name, vneid_status, deleted FROM person"),
        "consents": rows(store, f"SELECT {person.format('person_id')}, given_by, "
                                "guardian_name, data_categories, purpose, withdrawn_at IS NULL, "
                                "deleted FROM consent"),
        "visits": rows(store, f"SELECT {household.format('household_id')}, ended_at IS NULL "
                              "FROM visit"),
        "meta": sorted(k for k in store.meta if k not in ("device_id",)),
        "scenarios": found,
    }


def file_hashes(directory: Path) -> dict[str, str]:
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(directory.iterdir()) if f.is_file()}


def scenario(store: Store, scenario_id: str) -> Scenario:
    return next(s for s in scenarios(store) if s.id == scenario_id)


def person(store: Store, person_id: str) -> Person:
    with store.read() as session:
        row = session.get(Person, person_id)
    assert row is not None
    return row


def write_one_of_everything(store: Store, household_id: str, person_id: str) -> None:
    """What a class does: a visit, a guide run with a step, a form, a new household;
    afterwards every synced table holds at least one row."""
    profile = load_profile(store)
    assert profile is not None
    guide = load_guide(GUIDES / "register_level1.json")
    form = load_form(paths.forms_dir() / "residence_ct01.json")
    with store.write() as session:
        visit = start_visit(session, household_id, profile.volunteer_id)
        run = start_run(session, guide, visit.id, person_id)
        facts = facts_of(session.get(Person, person_id), TODAY)  # type: ignore[arg-type]
        record_outcome(session, run.id, guide, guide.first_step, "done", facts)
        record = start_record(session, form, household_id, person_id)
        # A revision is made by completing a form; only the stamping matters here.
        session.add(FormRevision(record_id=record.id, number=1, answers="{}",
                                 completed_at=utcnow()))
        village_id = session.exec(text("SELECT id FROM village LIMIT 1")).scalar_one()
        _household, head = create_household(session, village_id, profile.volunteer_id, SELF)
        update_person(session, head.id, "full_name", "Vàng A Dế")


def flag_counts(store: Store) -> dict[str, tuple[int, int]]:
    """(rows, rows flagged demo) of every synced table."""
    with store.engine.connect() as conn:
        return {table.__tablename__: tuple(conn.execute(text(  # type: ignore[misc]
            f"SELECT count(*), coalesce(sum(demo = 1), 0) FROM {table.__tablename__}")).one())
            for table in SYNCED_TABLES}


# -- where the sandbox lives ------------------------------------------------------------------


def test_the_sandbox_lives_in_its_own_directory_and_never_touches_the_real_store(
    tmp_path: Path,
) -> None:
    data_dir = tmp_path / "data"
    real = Store.create(data_dir, "passphrase-for-tests")
    real.close()
    before = file_hashes(data_dir)

    store = open_demo(data_dir, TODAY)
    try:
        assert store.data_dir == demo_data_dir(data_dir) == data_dir / "demo"
        assert store.is_demo
        assert paths.store_exists(data_dir / "demo")
        assert file_hashes(data_dir) == before
        assert sorted(p.name for p in data_dir.iterdir() if p.is_dir()) == ["demo"]
    finally:
        store.close()
    reopened = Store.open(data_dir, "passphrase-for-tests")
    try:
        assert not reopened.is_demo
        assert flag_counts(reopened)["household"] == (0, 0)
    finally:
        reopened.close()


def test_without_a_real_store_the_sandbox_makes_none(tmp_path: Path) -> None:
    store = open_demo(tmp_path, TODAY)
    store.close()
    assert not paths.db_path(tmp_path).exists()
    assert not paths.key_path(tmp_path).exists()
    assert paths.db_path(tmp_path / "demo").exists()


def test_an_existing_sandbox_is_opened_not_seeded_again(seeded: Store, tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    first = open_demo(data_dir, TODAY)
    device, people = first.device_id, rows(first, "SELECT id FROM person")
    first.close()
    calls: list[int] = []
    again = open_demo(data_dir, TODAY, progress=calls.append)
    try:
        assert (again.device_id, rows(again, "SELECT id FROM person")) == (device, people)
        assert calls == []
    finally:
        again.close()


def test_a_store_in_the_demo_directory_that_is_not_a_sandbox_is_refused_and_kept(
    tmp_path: Path,
) -> None:
    directory = demo_data_dir(tmp_path)
    for passphrase in ("someone-elses-passphrase", DEMO_PASSPHRASE):
        Store.create(directory, passphrase).close()
        before = file_hashes(directory)
        with pytest.raises(StoreError):
            open_demo(tmp_path, TODAY).close()
        assert file_hashes(directory) == before
        for name in before:
            (directory / name).unlink()


# -- what the seed holds ----------------------------------------------------------------------


def test_the_same_day_gives_the_same_sandbox(tmp_path: Path, seeded: Store,
                                             seed_content: dict[str, Any]) -> None:
    again = open_demo(tmp_path / "again", TODAY)
    other_day = open_demo(tmp_path / "other", TODAY + timedelta(days=400))
    try:
        assert content(again) == seed_content
        # The ids differ, so the comparison above really did leave them out.
        assert rows(again, "SELECT id FROM person") != rows(seeded, "SELECT id FROM person")
        # Ages are counted to the seed's day: another day gives other birth dates.
        assert content(other_day)["people"] != seed_content["people"]
        assert content(other_day)["villages"] == seed_content["villages"]
    finally:
        again.close()
        other_day.close()


def test_about_200_households_in_a_real_mountain_commune(
        seeded: Store, seed_content: dict[str, Any]) -> None:
    assert len(seed_content["households"]) == HOUSEHOLDS + PREPARED_COUNT
    addresses = [h[2] for h in seed_content["households"]]
    assert len(set(addresses)) == len(addresses)
    profile = load_profile(seeded)
    assert profile is not None
    assert (profile.commune_name, profile.province_name) == ("Xã Tủa Chùa", "Điện Biên")
    assert len(profile.volunteer_name.split()) == 3
    assert {kind for _, kind, _ in seed_content["villages"]} == {"ban", "thon"}
    ethnicities = {p[5] for p in seed_content["people"]}
    assert {"H'Mông", "Thái", "Dao"} <= ethnicities


def test_the_people_a_trainer_needs_are_there(seed_content: dict[str, Any]) -> None:
    people = [dict(zip(("household", "full_name", "id_number", "born", "gender", "ethnicity",
                        "phone", "relation", "smartphone", "nfc", "own_name", "vneid",
                        "deleted"), p, strict=True)) for p in seed_content["people"]]
    ages = [age_on(date.fromisoformat(p["born"]), TODAY) for p in people]
    assert any(a < 6 for a in ages)
    assert any(6 <= a < 14 for a in ages)
    assert any(14 <= a < 60 for a in ages)
    assert any(a >= 70 for a in ages)
    assert any(p["smartphone"] == 0 for p in people)
    assert any(p["smartphone"] == 1 and p["nfc"] == 0 for p in people)
    assert any(p["smartphone"] == 1 and p["nfc"] == 1 for p in people)
    assert {p["vneid"] for p in people} == {"none", "level1", "activated", "level2"}
    for p in people:
        family, middle, given = p["full_name"].split()
        assert family in FAMILY_NAMES, p
        assert middle in MIDDLE_NAMES[p["gender"]], p
        assert given in GIVEN_NAMES[p["gender"]], p
        if p["id_number"]:
            born = date.fromisoformat(p["born"])
            assert validate_id_number(p["id_number"], born, p["gender"]) == [], p


def test_every_consent_was_given_by_the_right_people(seed_content: dict[str, Any]) -> None:
    born = {f"{p[1]} / {p[0]}": date.fromisoformat(p[3]) for p in seed_content["people"]}
    assert len(seed_content["consents"]) == len(born) == len(seed_content["people"])
    for who, given_by, guardian, *_ in seed_content["consents"]:
        assert given_by == (required_givers(born[who], TODAY) or "self"), who
        assert (guardian is not None) == (given_by != "self"), who
    assert {c[1] for c in seed_content["consents"]} == {"self", "parent", "self_and_parent"}


# -- every row is demo, and only there --------------------------------------------------------


def test_every_row_of_every_synced_table_in_the_sandbox_is_flagged(tmp_path: Path) -> None:
    store = open_demo(tmp_path, TODAY)
    try:
        chosen = scenario(store, "phone_no_nfc")
        write_one_of_everything(store, chosen.household_id, chosen.person_id)
        counts = flag_counts(store)
        assert all(total > 0 for total, _ in counts.values()), counts
        assert all(flagged == total for total, flagged in counts.values()), counts
    finally:
        store.close()


def test_rows_of_a_normal_store_are_never_flagged(
        store: Store, profile: Profile, make_household: Callable[..., Any]) -> None:
    populate(store, profile, seed=1, household_count=20, villages=3, as_of=TODAY)
    populate_commune_list(store, profile, seed=2, unvisited=5, as_of=TODAY)
    made = make_household("Lò Văn Pánh", date_of_birth=date(1985, 3, 15), gender="male")
    write_one_of_everything(store, made.household_id, made.head_id)
    counts = flag_counts(store)
    assert not store.is_demo
    assert all(total > 0 for total, _ in counts.values()), counts
    assert all(flagged == 0 for _, flagged in counts.values()), counts


# -- reset ------------------------------------------------------------------------------------


def test_reset_brings_back_the_seed_after_a_class(tmp_path: Path,
                                                  seed_content: dict[str, Any]) -> None:
    store = open_demo(tmp_path, TODAY)
    assert content(store) == seed_content
    chosen = scenario(store, "grandmother_no_smartphone")
    write_one_of_everything(store, chosen.household_id, chosen.person_id)
    with store.write() as session:
        update_person(session, chosen.person_id, "has_smartphone", True)
    edited = content(store)
    assert edited != seed_content
    assert len(edited["households"]) == len(seed_content["households"]) + 1
    assert edited["visits"] != []

    calls: list[int] = []
    store = reset_demo(store, TODAY, progress=calls.append)
    try:
        assert store.is_demo
        assert content(store) == seed_content
        assert rows(store, "SELECT count(*) FROM visit") == [(0,)]
        assert rows(store, "SELECT count(*) FROM guide_run") == [(0,)]
        assert person(store, scenario(store, "grandmother_no_smartphone").person_id
                      ).has_smartphone is False
        assert calls and calls[-1] == 100 and calls == sorted(calls)
    finally:
        store.close()


def test_reset_refuses_a_real_store_and_leaves_it_whole(store: Store, data_dir: Path,
                                                         make_household: Callable[..., Any]
                                                         ) -> None:
    make_household("Nguyễn Văn Bình")
    with pytest.raises(ValueError):
        reset_demo(store, TODAY)
    assert paths.store_exists(data_dir)
    assert rows(store, "SELECT head_name FROM household") == [("Nguyễn Văn Bình",)]
    assert scenarios(store) == []


@pytest.mark.parametrize("stop_at", [5, 10, 90])
def test_an_interrupted_seed_is_done_again_on_the_next_open(
        tmp_path: Path, stop_at: int, seed_content: dict[str, Any]) -> None:
    def interrupt(percent: int) -> None:
        if percent >= stop_at:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        open_demo(tmp_path, TODAY, progress=interrupt)
    half = Store.open(demo_data_dir(tmp_path), DEMO_PASSPHRASE)
    try:
        assert half.is_demo and SEEDED_KEY not in half.meta
    finally:
        half.close()

    store = open_demo(tmp_path, TODAY)
    try:
        assert content(store) == seed_content
    finally:
        store.close()


# -- the prepared scenarios -------------------------------------------------------------------

# The step each scenario exists to show, and the step it must not reach.
INTENDED = {
    "grandmother_no_smartphone": ("no_smartphone", "open_app"),
    "phone_no_nfc": ("scan_card_qr_auth", "read_chip_nfc"),
    "newborn": ("gather_papers", "at_commune"),
    "number_not_own_name": ("fix_number_owner", "open_app"),
}


def test_each_scenario_walks_its_guide_through_the_intended_branch(seeded: Store) -> None:
    found = scenarios(seeded)
    assert [s.id for s in found] == list(INTENDED)
    for chosen in found:
        subject = person(seeded, chosen.person_id)
        assert subject.household_id == chosen.household_id
        guide = load_guide(GUIDES / f"{chosen.guide_id}.json")
        facts = facts_of(subject, TODAY)
        assert guide.applies(facts), chosen.id
        walk = guide.walk(facts)
        wanted, avoided = INTENDED[chosen.id]
        assert wanted in walk and avoided not in walk, (chosen.id, walk)
        assert set(chosen.title) == set(chosen.description) == {"vi", "en"}
        assert subject.full_name in chosen.description["vi"]
        assert subject.full_name in chosen.description["en"]


def test_the_scenario_people_are_who_the_trainer_describes(seeded: Store) -> None:
    def of(scenario_id: str) -> Person:
        return person(seeded, scenario(seeded, scenario_id).person_id)

    grandmother = of("grandmother_no_smartphone")
    assert age_on(grandmother.date_of_birth, TODAY) == 72  # type: ignore[arg-type]
    assert (grandmother.gender, grandmother.has_smartphone, grandmother.vneid_status) == (
        "female", False, "none")
    no_nfc = of("phone_no_nfc")
    assert age_on(no_nfc.date_of_birth, TODAY) == 40  # type: ignore[arg-type]
    assert (no_nfc.has_smartphone, no_nfc.phone_has_nfc, no_nfc.phone_in_own_name) == (
        True, False, True)
    not_own = of("number_not_own_name")
    assert age_on(not_own.date_of_birth, TODAY) == 30  # type: ignore[arg-type]
    assert (not_own.has_smartphone, not_own.phone_has_nfc, not_own.phone_in_own_name) == (
        True, True, False)
    for adult in (grandmother, no_nfc, not_own):
        assert adult.id_number is not None
        assert validate_id_number(adult.id_number, adult.date_of_birth, adult.gender) == []

    mother = of("newborn")
    with seeded.read() as session:
        family = members(session, mother.household_id)
        consents = {p.id: c for p in family for c in session.exec(
            text(f"SELECT given_by, guardian_name FROM consent WHERE person_id = '{p.id}'"))}
        people = {p.relation_to_head: p for p in family}
    assert set(people) == {"head", "spouse", "child"}
    baby = people["child"]
    assert baby.date_of_birth == TODAY - timedelta(days=20)
    assert baby.id_number is None
    assert consents[baby.id] == ("parent", people["head"].full_name)
    assert mother.vneid_status == "level2" and mother.has_smartphone
    for member in family:
        wanted = required_givers(member.date_of_birth, TODAY) or "self"
        assert consents[member.id][0] == wanted


def test_a_removed_scenario_person_drops_out_until_reset(tmp_path: Path) -> None:
    store = open_demo(tmp_path, TODAY)
    try:
        chosen = scenario(store, "phone_no_nfc")
        with store.write() as session:
            row = session.exec(select(Person).where(Person.id == chosen.person_id)).one()
            row.deleted = True
            session.add(row)
        assert "phone_no_nfc" not in [s.id for s in scenarios(store)]
        store = reset_demo(store, TODAY)
        assert "phone_no_nfc" in [s.id for s in scenarios(store)]
    finally:
        store.close()
