"""Synthetic households: reproducible, realistic enough for benchmarks, and valid by the same
checks the volunteer's input must pass."""

import unicodedata
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import text

from fieldkit.core.cccd import validate_id_number
from fieldkit.core.consent import required_givers
from fieldkit.core.ethnicity import ETHNIC_GROUPS
from fieldkit.core.folding import fold
from fieldkit.core.households import villages
from fieldkit.core.models import Household
from fieldkit.core.phone import normalize_phone, validate_phone
from fieldkit.core.profile import Profile
from fieldkit.core.search import search_households
from fieldkit.core.store import Store
from fieldkit.core.synthetic import (
    FAMILY_NAMES,
    GIVEN_NAMES,
    MIDDLE_NAMES,
    REFERENCE_DATE,
    SyntheticHousehold,
    SyntheticPerson,
    households,
    populate,
    village_names,
)
from fieldkit.core.vocabulary import RELATIONS, VNEID_STATUSES

VILLAGES = village_names(12, seed=3)


def age(person: SyntheticPerson, today: date = REFERENCE_DATE) -> int:
    born = person.date_of_birth
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


@pytest.fixture(scope="module")
def sample() -> list[SyntheticHousehold]:
    return list(households(seed=11, count=2000, village_names=VILLAGES))


@pytest.fixture(scope="module")
def people(sample: list[SyntheticHousehold]) -> list[SyntheticPerson]:
    return [person for household in sample for person in household.members]


def test_the_same_seed_gives_the_same_households() -> None:
    first = list(households(seed=5, count=300, village_names=VILLAGES))
    again = list(households(seed=5, count=300, village_names=VILLAGES))
    other = list(households(seed=6, count=300, village_names=VILLAGES))
    assert first == again
    assert first != other
    assert village_names(12, seed=3) == VILLAGES


def test_village_names_are_distinct_and_half_of_them_mountain_hamlets() -> None:
    names = village_names(40, seed=1)
    assert len(set(names)) == 40
    assert sum(name.startswith("Bản ") for name in names) == 20
    assert sum(name.startswith("Thôn ") for name in names) == 20


def test_about_four_people_per_household(sample: list[SyntheticHousehold]) -> None:
    sizes = [len(household.members) for household in sample]
    assert 3.6 <= sum(sizes) / len(sizes) <= 4.4
    assert min(sizes) == 1
    assert max(sizes) >= 7


def test_every_id_number_matches_date_of_birth_and_gender(people: list[SyntheticPerson]) -> None:
    numbers = [p.id_number for p in people if p.id_number]
    assert len(numbers) == len(set(numbers))
    for person in people:
        if person.id_number:
            assert validate_id_number(person.id_number, person.date_of_birth,
                                      person.gender) == [], person
    adults = [p for p in people if age(p) >= 14]
    assert sum(p.id_number is not None for p in adults) / len(adults) > 0.85


def test_phones_are_valid_mobiles_stored_in_national_form(people: list[SyntheticPerson]) -> None:
    phones = [p.phone for p in people if p.phone]
    assert len(phones) == len(set(phones))
    for phone in phones:
        assert validate_phone(phone) == [], phone
        assert normalize_phone(phone) == phone
    assert all(p.phone is None for p in people if age(p) < 14)
    adults = [p for p in people if age(p) >= 18]
    assert 0.5 < sum(p.phone is not None for p in adults) / len(adults) < 0.95


def test_names_are_family_middle_given_with_diacritics(people: list[SyntheticPerson]) -> None:
    for person in people:
        family, middle, given = person.full_name.split()
        assert family in FAMILY_NAMES
        assert middle in MIDDLE_NAMES[person.gender], person
        assert given in GIVEN_NAMES[person.gender], person
        assert unicodedata.is_normalized("NFC", person.full_name)
    with_marks = sum(p.full_name != fold(p.full_name).title() for p in people)
    assert with_marks / len(people) > 0.95
    heads = Counter(p.full_name.split()[0] for p in people if p.relation_to_head == "head")
    assert heads.most_common(1)[0][0] == "Nguyễn"
    assert {"Lò", "Giàng", "Sùng", "Thào"} <= set(heads)


def test_names_within_a_household_differ(sample: list[SyntheticHousehold]) -> None:
    for household in sample:
        names = [p.full_name for p in household.members]
        assert len(names) == len(set(names))


def test_relations_agree_with_ages(sample: list[SyntheticHousehold]) -> None:
    for household in sample:
        head = household.head
        assert head.relation_to_head == "head"
        assert [p.relation_to_head for p in household.members].count("head") == 1
        for person in household.members[1:]:
            assert person.relation_to_head in RELATIONS
            gap = age(head) - age(person)
            if person.relation_to_head in ("spouse", "child_in_law"):
                assert age(person) >= 18
            elif person.relation_to_head == "child":
                assert gap >= 16, household
            elif person.relation_to_head == "grandchild":
                assert gap >= 36, household
            elif person.relation_to_head == "parent":
                assert gap <= -18, household


def test_ages_smartphones_and_vneid_are_mixed(people: list[SyntheticPerson]) -> None:
    ages = [age(p) for p in people]
    assert any(a < 6 for a in ages)
    assert any(6 <= a < 14 for a in ages)
    assert any(a >= 75 for a in ages)
    elderly = [p for p in people if age(p) >= 65]
    assert any(p.has_smartphone is False for p in elderly)
    assert any(p.has_smartphone and p.phone_has_nfc is False for p in people)
    assert any(p.has_smartphone and p.phone_has_nfc for p in people)
    assert all(p.phone_has_nfc is None for p in people if not p.has_smartphone)
    assert {p.vneid_status for p in people} == set(VNEID_STATUSES)
    assert {p.gender for p in people} == {"male", "female"}


def test_ethnicities_follow_the_village(sample: list[SyntheticHousehold]) -> None:
    mountain = Counter(p.ethnicity for h in sample if h.village.startswith("Bản ")
                       for p in h.members)
    lowland = Counter(p.ethnicity for h in sample if h.village.startswith("Thôn ")
                      for p in h.members)
    assert set(mountain) | set(lowland) <= set(ETHNIC_GROUPS)
    assert {"H'Mông", "Thái", "Tày", "Dao", "Kinh"} <= set(mountain)
    assert lowland.most_common(1)[0][0] == "Kinh"
    assert mountain["Kinh"] < mountain["H'Mông"]


def test_addresses_name_a_house_in_the_village(sample: list[SyntheticHousehold]) -> None:
    for household in sample:
        assert household.village in VILLAGES
        number, village = household.address.split(", ", 1)
        assert village == household.village
        assert number.startswith("Số ") and number[3:].isdigit()


# -- writing into a real store ------------------------------------------------------------------


def test_populate_writes_searchable_households(store: Store, profile: Profile) -> None:
    populate(store, profile, seed=2, household_count=120, villages=4, as_of=REFERENCE_DATE)
    expected = list(households(2, 120, village_names(4, 2), REFERENCE_DATE))
    with store.read() as session:
        conn = session.connection()
        count = conn.execute(text("SELECT count(*) FROM household")).scalar_one()
        persons = conn.execute(text("SELECT count(*) FROM person")).scalar_one()
        consents = conn.execute(text("SELECT count(*) FROM consent")).scalar_one()
        assert count == 120
        assert persons == consents == sum(len(h.members) for h in expected)
        names = {v.name for v in villages(session, profile.commune_id)}
        assert set(village_names(4, 2)) <= names
        for synthetic in expected[:20]:
            typed = fold(synthetic.head.full_name)
            heads = {session.get(Household, i).head_name  # type: ignore[union-attr]
                     for i in search_households(conn, typed)}
            assert synthetic.head.full_name in heads, typed
    assert store.outbox_size() >= count + persons + consents


def test_populate_records_a_parent_consent_for_children(store: Store, profile: Profile) -> None:
    populate(store, profile, seed=4, household_count=40, villages=2, as_of=REFERENCE_DATE)
    with store.read() as session:
        rows = session.connection().execute(text(
            "SELECT p.date_of_birth, c.given_by, c.guardian_name FROM person p "
            "JOIN consent c ON c.person_id = p.id")).all()
    for born, given_by, guardian in rows:
        wanted = required_givers(date.fromisoformat(born), REFERENCE_DATE) or "self"
        assert given_by == wanted
        assert (guardian is not None) == (wanted != "self")
    assert {"self", "parent", "self_and_parent"} <= {row.given_by for row in rows}


def test_populate_fills_a_village_that_already_exists(store: Store, profile: Profile) -> None:
    with store.read() as session:
        before = {v.name: v.id for v in villages(session, profile.commune_id)}
    seed = next(s for s in range(1000) if set(village_names(3, s)) & set(before))
    populate(store, profile, seed=seed, household_count=30, villages=3, as_of=REFERENCE_DATE)
    reused = (set(village_names(3, seed)) & set(before)).pop()
    with store.read() as session:
        after = villages(session, profile.commune_id)
        filled = session.connection().execute(
            text("SELECT count(*) FROM household WHERE village_id = :v"),
            {"v": before[reused]}).scalar_one()
    names = [v.name for v in after]
    assert len(names) == len(set(names))
    assert {v.name: v.id for v in after}.items() >= before.items()
    assert filled > 0
