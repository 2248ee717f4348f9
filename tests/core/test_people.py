"""Household members, their consent, and support visits, as the volunteer enters them."""

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

from fieldkit.core.consent import (
    PERSONAL_FIELDS,
    ConsentInput,
    active_consent,
    record_consent,
    required_givers,
    withdraw_consent,
)
from fieldkit.core.errors import ConsentRequired, FieldError
from fieldkit.core.households import members
from fieldkit.core.models import Consent, Household, Person, Visit
from fieldkit.core.people import add_person, create_household, person_problems, update_person
from fieldkit.core.profile import Profile
from fieldkit.core.search import search_households
from fieldkit.core.store import Store
from fieldkit.core.visits import (
    end_visit,
    open_visit,
    set_notes,
    set_services,
    start_visit,
    visit_services,
    visits_of,
)

PASSPHRASE = "passphrase-for-tests"
SELF = ConsentInput(given_by="self")
ID_NUMBER = "001085012345"  # Hà Nội, male born in the 1900s, year 85


def outbox(store: Store, row_id: str) -> list[tuple[str, int]]:
    with store.engine.connect() as conn:
        return [
            (r.table_name, r.version)
            for r in conn.execute(
                text("SELECT table_name, version FROM outbox WHERE row_id = :r ORDER BY seq"),
                {"r": row_id},
            )
        ]


def get_person(store: Store, person_id: str) -> Person:
    with store.read() as session:
        person = session.get(Person, person_id)
        assert person is not None
        return person


def get_household(store: Store, household_id: str) -> Household:
    with store.read() as session:
        household = session.get(Household, household_id)
        assert household is not None
        return household


def search(store: Store, query: str) -> list[str]:
    with store.read() as session:
        return search_households(session.connection(), query)


@pytest.fixture
def full_head(make_household: Callable[..., Any], store: Store) -> Any:
    """A head of household with every personal field filled in."""
    made = make_household(
        "Nguyễn Văn Bình",
        id_number=ID_NUMBER,
        date_of_birth=date(1985, 3, 15),
        gender="male",
        phone="0912 345 678",
    )
    with store.write() as session:
        update_person(session, made.head_id, "ethnicity", "Tày")
        update_person(session, made.head_id, "has_smartphone", True)
        update_person(session, made.head_id, "phone_has_nfc", False)
        update_person(session, made.head_id, "phone_in_own_name", True)
        update_person(session, made.head_id, "vneid_status", "level1")
    return made


# -- consent comes first ---------------------------------------------------------------------


def test_values_are_saved_while_consent_is_active(store: Store, full_head: Any) -> None:
    head = get_person(store, full_head.head_id)
    assert (head.full_name, head.id_number, head.date_of_birth, head.gender) == (
        "Nguyễn Văn Bình", ID_NUMBER, date(1985, 3, 15), "male")
    assert (head.ethnicity, head.phone, head.has_smartphone, head.phone_has_nfc) == (
        "Tày", "0912345678", True, False)
    assert head.phone_in_own_name is True
    assert head.vneid_status == "level1"
    assert get_household(store, full_head.household_id).head_name == "Nguyễn Văn Bình"


@pytest.mark.parametrize(
    ("field", "value"),
    [("full_name", "Nguyễn Văn Bình"), ("phone", "0987654321"), ("ethnicity", "Kinh"),
     ("vneid_status", "level2"), ("date_of_birth", date(1985, 3, 15))],
)
def test_no_personal_data_after_consent_is_withdrawn(
    store: Store, full_head: Any, field: str, value: Any
) -> None:
    with store.write() as session:
        withdraw_consent(session, full_head.head_id)
    erased = get_person(store, full_head.head_id)
    with pytest.raises(ConsentRequired), store.write() as session:
        update_person(session, full_head.head_id, field, value)
    after = get_person(store, full_head.head_id)
    assert getattr(after, field) == getattr(erased, field)
    assert after.version == erased.version


def test_withdrawal_erases_every_personal_field_and_the_erasure_syncs(
    store: Store, full_head: Any, data_dir: Path
) -> None:
    before_person = get_person(store, full_head.head_id)
    before_household = get_household(store, full_head.household_id)
    with store.read() as session:
        consent_id = session.exec(
            select(Consent.id).where(Consent.person_id == full_head.head_id)
        ).one()
    assert search(store, "binh") == [full_head.household_id]

    with store.write() as session:
        withdraw_consent(session, full_head.head_id)

    store.close()
    reopened = Store.open(data_dir, PASSPHRASE)
    try:
        with reopened.read() as session:
            person = session.get(Person, full_head.head_id)
            household = session.get(Household, full_head.household_id)
            consent = session.get(Consent, consent_id)
            assert person is not None and household is not None and consent is not None
            for field in PERSONAL_FIELDS:
                assert getattr(person, field) is None, field
            assert person.vneid_status == "none"
            assert not person.deleted  # the erased row stays so that the erasure syncs
            assert household.head_name == ""
            assert household.sort_key == ""
            assert consent.withdrawn_at is not None
            assert active_consent(session, full_head.head_id) is None

            assert person.version == before_person.version + 1
            assert household.version == before_household.version + 1
            assert consent.version == 2

            conn = session.connection()
            for query in ("binh", "nguyen van", "001085", "0912"):
                assert search_households(conn, query) == [], query
            assert search_households(conn, "") == [full_head.household_id]
        # The erasure is queued for the commune server like any other change.
        assert outbox(reopened, person.id)[-1] == ("person", person.version)
        assert outbox(reopened, household.id)[-1] == ("household", household.version)
        assert outbox(reopened, consent.id)[-1] == ("consent", consent.version)
    finally:
        reopened.close()


def test_withdrawal_by_a_member_keeps_the_head_name(
    store: Store, profile: Profile, make_household: Callable[..., Any]
) -> None:
    made = make_household("Đặng Thị Hoa")
    with store.write() as session:
        member = add_person(session, made.household_id, profile.volunteer_id, SELF, "spouse")
        update_person(session, member.id, "full_name", "Lường Văn Tú")
        member_id = member.id
    household_version = get_household(store, made.household_id).version
    with store.write() as session:
        withdraw_consent(session, member_id)
    household = get_household(store, made.household_id)
    assert household.head_name == "Đặng Thị Hoa"
    assert household.version == household_version
    assert get_person(store, member_id).full_name is None
    assert search(store, "luong") == []
    assert search(store, "dang") == [made.household_id]


def test_withdrawing_twice_is_refused(store: Store, full_head: Any) -> None:
    with store.write() as session:
        withdraw_consent(session, full_head.head_id)
    with pytest.raises(ConsentRequired), store.write() as session:
        withdraw_consent(session, full_head.head_id)


def test_consent_given_again_allows_entering_data_again(
    store: Store, profile: Profile, full_head: Any
) -> None:
    with store.write() as session:
        withdraw_consent(session, full_head.head_id)
    with store.write() as session:
        record_consent(session, full_head.head_id, profile.volunteer_id, SELF)
        update_person(session, full_head.head_id, "full_name", "Nguyễn Văn Bình")
    assert get_person(store, full_head.head_id).full_name == "Nguyễn Văn Bình"
    assert get_household(store, full_head.household_id).head_name == "Nguyễn Văn Bình"


# -- refused values --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "hint"),
    [
        ("full_name", "   ", "họ và tên"),
        ("id_number", "0010850123", "12 chữ số"),
        ("id_number", "00108501234O", "chữ số"),
        ("id_number", "999085012345", "mã tỉnh"),
        ("id_number", "123456789", "chứng minh"),
        ("phone", "12345", "chữ số"),
        ("phone", "0912 abc 678", "ký tự"),
        ("phone", "024 3825 1234", "máy bàn"),
        ("phone", "+1 212 555 0100", "không phải số Việt Nam"),
        ("date_of_birth", date.today() + timedelta(days=1), "tương lai"),
        ("date_of_birth", date(1858, 1, 1), "1900"),
        ("date_of_birth", "15/03/1985", "không hợp lệ"),
        ("gender", "Nam", "không hợp lệ"),
        ("ethnicity", "Klingon", "54 dân tộc"),
        ("relation_to_head", "", "chọn"),
        ("relation_to_head", "boss", "không hợp lệ"),
        ("vneid_status", "level3", "không hợp lệ"),
    ],
)
def test_invalid_values_are_refused_in_vietnamese_and_change_nothing(
    store: Store, full_head: Any, field: str, value: Any, hint: str
) -> None:
    before = get_person(store, full_head.head_id)
    household_before = get_household(store, full_head.household_id)
    queued = store.outbox_size()
    # The form catches the error and goes on; the rest of the transaction still commits.
    with store.write() as session, pytest.raises(FieldError) as caught:
        update_person(session, full_head.head_id, field, value)
    error = caught.value
    assert error.field == field
    assert error.messages
    assert all(not message.isascii() for message in error.messages), error.messages
    assert any(hint in message for message in error.messages), error.messages

    after = get_person(store, full_head.head_id)
    assert after.model_dump() == before.model_dump()
    assert get_household(store, full_head.household_id).model_dump() == (
        household_before.model_dump()
    )
    assert store.outbox_size() == queued


@pytest.mark.parametrize(
    ("field", "value", "stored"),
    [
        ("full_name", "  Nguyễn   Văn  Bình ", "Nguyễn Văn Bình"),
        ("phone", "+84 987 654 321", "0987654321"),
        ("id_number", " 001085012345 ", "001085012345"),
        ("ethnicity", None, None),
        ("phone", "  ", None),
        ("phone_in_own_name", False, False),
        ("phone_in_own_name", None, None),
    ],
)
def test_accepted_values_are_stored_cleaned(
    store: Store, full_head: Any, field: str, value: Any, stored: Any
) -> None:
    with store.write() as session:
        update_person(session, full_head.head_id, field, value)
    assert getattr(get_person(store, full_head.head_id), field) == stored


def test_whose_name_the_number_is_in_needs_the_vneid_consent(
    store: Store, profile: Profile, village_id: str
) -> None:
    """It decides the level-1 route, so it is VNeID data like the smartphone answers."""
    without_vneid = ConsentInput("self", categories=("identity", "contact"))
    with store.write() as session:
        _household, head = create_household(session, village_id, profile.volunteer_id,
                                            without_vneid)
        update_person(session, head.id, "full_name", "Triệu Thị Mẩy")
    with pytest.raises(ConsentRequired) as refused, store.write() as session:
        update_person(session, head.id, "phone_in_own_name", False)
    assert "Tình trạng tài khoản VNeID" in str(refused.value)
    assert get_person(store, head.id).phone_in_own_name is None


def test_unknown_fields_are_a_programming_error(store: Store, full_head: Any) -> None:
    with pytest.raises(KeyError), store.write() as session:
        update_person(session, full_head.head_id, "deleted", True)
    assert not get_person(store, full_head.head_id).deleted


# -- checks across fields --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("id_number", "date_of_birth", "gender", "digits"),
    [
        (ID_NUMBER, date(1985, 3, 15), "female", "thứ 4"),  # 4th digit 0 is for men
        (ID_NUMBER, date(1990, 3, 15), "male", "5–6"),  # digits 5-6 say 85
        ("001285012345", date(1985, 3, 15), "male", "thứ 4"),  # 4th digit 2 is for the 2000s
    ],
)
def test_person_problems_flags_an_id_number_that_disagrees(
    store: Store, make_household: Callable[..., Any], id_number: str, date_of_birth: date,
    gender: str, digits: str
) -> None:
    made = make_household("Nguyễn Văn Bình", id_number=id_number,
                          date_of_birth=date_of_birth, gender=gender)
    problems = person_problems(get_person(store, made.head_id))
    assert list(problems) == ["id_number"]
    assert any(digits in message for message in problems["id_number"]), problems


def test_person_problems_is_empty_when_everything_agrees(
    store: Store, full_head: Any, make_household: Callable[..., Any]
) -> None:
    assert person_problems(get_person(store, full_head.head_id)) == {}
    bare = make_household("Lò Văn Páo")
    assert person_problems(get_person(store, bare.head_id)) == {}
    with store.write() as session:
        person = update_person(session, bare.head_id, "id_number", "011203004567")
    assert person_problems(person) == {}  # nothing to compare with yet
    with store.write() as session:
        person = update_person(session, bare.head_id, "date_of_birth", date(2003, 5, 1))
    assert person_problems(person) == {}
    with store.write() as session:
        person = update_person(session, bare.head_id, "gender", "female")
    assert "thứ 4" in " ".join(person_problems(person)["id_number"])


# -- consent input rules ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "field"),
    [
        (ConsentInput(given_by="parent"), "guardian_name"),
        (ConsentInput(given_by="parent", guardian_name="   "), "guardian_name"),
        (ConsentInput(given_by="self_and_parent"), "guardian_name"),
        (ConsentInput(given_by="neighbour", guardian_name="Lò Văn Páo"), "given_by"),
        (ConsentInput(given_by="self", categories=()), "categories"),
        (ConsentInput(given_by="self", categories=("identity", "password")), "categories"),
    ],
)
def test_incomplete_consent_is_refused(
    store: Store, profile: Profile, village_id: str, given: ConsentInput, field: str
) -> None:
    with pytest.raises(FieldError) as caught, store.write() as session:
        create_household(session, village_id, profile.volunteer_id, given)
    assert caught.value.field == field
    assert all(not message.isascii() for message in caught.value.messages)
    with store.read() as session:
        assert session.exec(select(Household)).all() == []
        assert session.exec(select(Person)).all() == []


def test_a_refused_consent_adds_no_member_even_when_the_form_carries_on(
    store: Store, profile: Profile, make_household: Callable[..., Any]
) -> None:
    """Members are "added only with consent": a refused consent must not leave an empty,
    consentless member behind in the household (it would also be pushed to the commune)."""
    made = make_household("Đặng Thị Hoa")
    with store.write() as session, pytest.raises(FieldError):
        add_person(session, made.household_id, profile.volunteer_id,
                   ConsentInput(given_by="parent"), "child")
    with store.read() as session:
        assert [p.id for p in members(session, made.household_id)] == [made.head_id]
        in_household = select(Person.id).where(Person.household_id == made.household_id)
        assert session.exec(in_household).all() == [made.head_id]


def test_a_parent_consent_records_the_parent_name(
    store: Store, profile: Profile, make_household: Callable[..., Any]
) -> None:
    made = make_household("Đặng Thị Hoa")
    with store.write() as session:
        child = add_person(
            session, made.household_id, profile.volunteer_id,
            ConsentInput(given_by="parent", guardian_name="  Đặng Thị Hoa "), "child",
        )
        update_person(session, child.id, "full_name", "Lường Thị Mây")
        consent = active_consent(session, child.id)
        assert consent is not None
        assert (consent.given_by, consent.guardian_name) == ("parent", "Đặng Thị Hoa")
        assert consent.volunteer_id == profile.volunteer_id


TODAY = date(2025, 9, 1)


@pytest.mark.parametrize(
    ("date_of_birth", "needed"),
    [
        (date(2020, 9, 1), "parent"),  # 5
        (date(2013, 9, 1), "self_and_parent"),  # 12
        (date(1995, 9, 1), None),  # 30
        (date(2025, 8, 31), "parent"),  # a newborn
        (date(2018, 9, 2), "parent"),  # 7 tomorrow
        (date(2018, 9, 1), "self_and_parent"),  # 7 today
        (date(2007, 9, 2), "self_and_parent"),  # 18 tomorrow
        (date(2007, 9, 1), None),  # 18 today
        (None, None),
    ],
)
def test_required_givers_by_age(date_of_birth: date | None, needed: str | None) -> None:
    assert required_givers(date_of_birth, today=TODAY) == needed


# -- visits ----------------------------------------------------------------------------------


def test_a_visit_from_arrival_to_departure(
    store: Store, profile: Profile, make_household: Callable[..., Any]
) -> None:
    made = make_household("Nguyễn Văn Bình")
    with store.write() as session:
        visit = start_visit(session, made.household_id, profile.volunteer_id)
        visit_id = visit.id
    with store.write() as session:
        set_services(session, visit_id, ["vneid_level1", "scam_awareness", "vneid_level1"])
    with store.write() as session:
        set_notes(session, visit_id, "  Cần quay lại khi có thẻ căn cước.  ")
    with store.write() as session:
        end_visit(session, visit_id, "partly")

    with store.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        assert visit_services(visit) == ["scam_awareness", "vneid_level1"]
        assert visit.notes == "Cần quay lại khi có thẻ căn cước."
        assert visit.outcome == "partly"
        assert visit.ended_at is not None and visit.ended_at >= visit.started_at
        assert visit.volunteer_id == profile.volunteer_id
        assert open_visit(session, made.household_id) is None
        assert [v.id for v in visits_of(session, made.household_id)] == [visit_id]
    assert outbox(store, visit_id) == [("visit", 1), ("visit", 2), ("visit", 3), ("visit", 4)]


def test_an_ended_visit_cannot_be_ended_or_changed_again(
    store: Store, profile: Profile, make_household: Callable[..., Any]
) -> None:
    made = make_household("Nguyễn Văn Bình")
    with store.write() as session:
        visit_id = start_visit(session, made.household_id, profile.volunteer_id).id
        end_visit(session, visit_id, "done")
    ended = store_visit(store, visit_id)
    for change in (
        lambda s: end_visit(s, visit_id, "revisit"),
        lambda s: set_services(s, visit_id, ["other"]),
        lambda s: set_notes(s, visit_id, "sửa lại"),
    ):
        with pytest.raises(FieldError) as caught, store.write() as session:
            change(session)
        assert "kết thúc" in caught.value.messages[0]
    assert store_visit(store, visit_id).model_dump() == ended.model_dump()


def store_visit(store: Store, visit_id: str) -> Visit:
    with store.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        return visit


def test_starting_again_resumes_the_open_visit(
    store: Store, profile: Profile, make_household: Callable[..., Any]
) -> None:
    made = make_household("Nguyễn Văn Bình")
    with store.write() as session:
        first = start_visit(session, made.household_id, profile.volunteer_id).id
    with store.write() as session:
        set_services(session, first, ["vneid_activation"])
    # The app restarted after a crash and the volunteer taps "start visit" again.
    with store.write() as session:
        again = start_visit(session, made.household_id, profile.volunteer_id)
        assert again.id == first
        assert visit_services(again) == ["vneid_activation"]
    with store.read() as session:
        assert len(visits_of(session, made.household_id)) == 1

    with store.write() as session:
        end_visit(session, first, "done")
    with store.write() as session:
        second = start_visit(session, made.household_id, profile.volunteer_id).id
    assert second != first
    with store.read() as session:
        assert {v.id for v in visits_of(session, made.household_id)} == {first, second}
        current = open_visit(session, made.household_id)
        assert current is not None and current.id == second


def test_unknown_services_and_outcomes_are_refused(
    store: Store, profile: Profile, make_household: Callable[..., Any]
) -> None:
    made = make_household("Nguyễn Văn Bình")
    with store.write() as session:
        visit_id = start_visit(session, made.household_id, profile.volunteer_id).id
    with pytest.raises(FieldError) as caught, store.write() as session:
        set_services(session, visit_id, ["vneid_level1", "password_reset"])
    assert "password_reset" in caught.value.messages[0]
    with pytest.raises(FieldError), store.write() as session:
        end_visit(session, visit_id, "finished")
    visit = store_visit(store, visit_id)
    assert visit.ended_at is None and visit.outcome is None
    assert visit_services(visit) == []


def test_a_village_added_again_is_the_same_village(store: Store, profile: Profile) -> None:
    """Its id comes from the commune and the name, so the same hamlet added on two laptops
    offline is one village after sync; case does not make another, diacritics do."""
    from fieldkit.core.households import add_village
    from fieldkit.core.ids import village_id

    with store.write() as session:
        nam = add_village(session, profile.commune_id, "Bản  Nà Tấu", kind="ban")
        assert nam.id == village_id(profile.commune_id, "bản nà tấu")
        other = add_village(session, profile.commune_id, "Bản Na Tấu", kind="ban")
        assert other.id != nam.id
        with pytest.raises(FieldError, match="Đã có “Bản Nà Tấu”"):
            add_village(session, profile.commune_id, "BẢN NÀ TẤU", kind="ban")
        nam.deleted = True
        session.add(nam)
        session.flush()
        again = add_village(session, profile.commune_id, "Bản Nà Tấu", kind="ban")
        assert again.id == nam.id and not again.deleted
