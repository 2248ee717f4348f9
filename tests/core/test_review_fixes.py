"""Fixes from review, checked through the real encrypted store: consent categories, one head per
household, erasure on withdrawal and removal, Unicode normalisation, and opening a store that
cannot or must not be opened."""

import hashlib
import json
import unicodedata
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, text
from sqlmodel import select

from fieldkit.core import paths
from fieldkit.core.cccd import parse_card_qr
from fieldkit.core.consent import PERSONAL_FIELDS, ConsentInput, withdraw_consent
from fieldkit.core.errors import ConsentRequired, FieldError
from fieldkit.core.ethnicity import ETHNIC_GROUPS
from fieldkit.core.folding import fold
from fieldkit.core.households import add_village, members, update_household
from fieldkit.core.models import SYNCED_TABLES, Consent, Household, Person, Village, Volunteer
from fieldkit.core.people import (
    add_person,
    consented_fields,
    create_household,
    remove_person,
    update_person,
)
from fieldkit.core.profile import Profile, load_profile, set_up_profile
from fieldkit.core.search import search_households
from fieldkit.core.store import Store, StoreError
from fieldkit.core.visits import set_notes, start_visit
from tests.conftest import PASSPHRASE, SELF, Made, first_commune_code

IDENTITY_ONLY = ConsentInput(given_by="self", categories=("identity",))
VILLAGE = "Bản Phiêng Luông"


def _person(store: Store, person_id: str) -> Person:
    with store.read() as session:
        person = session.get(Person, person_id)
    assert person is not None
    return person


def _household(store: Store, household_id: str) -> Household:
    with store.read() as session:
        household = session.get(Household, household_id)
    assert household is not None
    return household


def _set(store: Store, person_id: str, field: str, value) -> Person:
    with store.write() as session:
        return update_person(session, person_id, field, value)


def _set_household(store: Store, household_id: str, field: str, value: str) -> Household:
    with store.write() as session:
        return update_household(session, household_id, field, value)


def _search(store: Store, query: str) -> list[str]:
    with store.engine.connect() as conn:
        return search_households(conn, query)


def _new_household(store: Store, profile: Profile, village_id: str,
                   consent: ConsentInput) -> Made:
    with store.write() as session:
        household, head = create_household(session, village_id, profile.volunteer_id, consent)
        return Made(household.id, head.id)


def _new_member(store: Store, profile: Profile, household_id: str, consent: ConsentInput,
                name: str, relation: str = "child") -> str:
    with store.write() as session:
        member = add_person(session, household_id, profile.volunteer_id, consent, relation)
        update_person(session, member.id, "full_name", name)
        return member.id


def _file_hashes(data_dir: Path) -> dict[str, str]:
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest()
            for f in sorted(data_dir.iterdir()) if f.is_file()}


# -- 1. consent covers categories, not just the person ------------------------------------


def test_identity_only_consent_allows_identity_fields(store, profile, village_id) -> None:
    made = _new_household(store, profile, village_id, IDENTITY_ONLY)
    _set(store, made.head_id, "full_name", "Lò Văn Pao")
    _set(store, made.head_id, "date_of_birth", date(1985, 3, 15))
    _set(store, made.head_id, "gender", "male")

    head = _person(store, made.head_id)
    assert (head.full_name, head.date_of_birth, head.gender) == (
        "Lò Văn Pao", date(1985, 3, 15), "male")
    with store.read() as session:
        assert consented_fields(session, made.head_id) == {
            "full_name", "date_of_birth", "gender", "relation_to_head"}


@pytest.mark.parametrize(("field", "value", "category_label"), [
    ("id_number", "001085012345", "Số định danh cá nhân"),
    ("phone", "0987654321", "Số điện thoại, địa chỉ"),
    ("ethnicity", "Thái", "Dân tộc"),
    ("vneid_status", "level1", "Tình trạng tài khoản VNeID"),
    ("has_smartphone", True, "Tình trạng tài khoản VNeID"),
])
def test_fields_outside_the_consented_categories_are_refused(
    store, profile, village_id, field, value, category_label,
) -> None:
    made = _new_household(store, profile, village_id, IDENTITY_ONLY)
    _set(store, made.head_id, "full_name", "Lò Văn Pao")
    before = _person(store, made.head_id)

    with pytest.raises(ConsentRequired) as refused:
        _set(store, made.head_id, field, value)

    message = str(refused.value)
    assert category_label in message
    assert "đồng ý" in message
    after = _person(store, made.head_id)
    assert getattr(after, field) == getattr(before, field)
    assert after.version == before.version


# -- 2. household contact data needs a member's contact consent -----------------------------


def test_household_address_and_phone_need_a_members_contact_consent(
    store, profile, village_id,
) -> None:
    made = _new_household(store, profile, village_id, IDENTITY_ONLY)
    _set(store, made.head_id, "full_name", "Lò Văn Pao")

    for field, value in (("address", "Bản Phiêng Luông, nhà số 4"), ("phone", "0987654321")):
        with pytest.raises(ConsentRequired) as refused:
            _set_household(store, made.household_id, field, value)
        assert "số điện thoại, địa chỉ" in str(refused.value)
    household = _household(store, made.household_id)
    assert (household.address, household.phone) == ("", None)

    # Notes need only some active consent in the household.
    _set_household(store, made.household_id, "notes", "Nhà cuối dốc")
    assert _household(store, made.household_id).notes == "Nhà cuối dốc"

    # A member who agreed to contact data makes the household's contact data writable.
    member_id = _new_member(store, profile, made.household_id, SELF, "Lò Thị Mai", "spouse")
    _set_household(store, made.household_id, "address", "Bản Phiêng Luông, nhà số 4")
    _set_household(store, made.household_id, "phone", "0987 654 321")
    household = _household(store, made.household_id)
    assert (household.address, household.phone) == ("Bản Phiêng Luông, nhà số 4", "0987654321")

    # Once that member is gone (entered by mistake), nobody living there has agreed any more.
    with store.write() as session:
        remove_person(session, member_id)
    with pytest.raises(ConsentRequired):
        _set_household(store, made.household_id, "address", "Nhà số 5")


def test_household_notes_need_an_active_consent(store, profile, village_id) -> None:
    made = _new_household(store, profile, village_id, SELF)
    _set(store, made.head_id, "full_name", "Lò Văn Pao")
    with store.write() as session:
        withdraw_consent(session, made.head_id)

    with pytest.raises(ConsentRequired) as refused:
        _set_household(store, made.household_id, "notes", "Nhà cuối dốc")
    assert "đồng ý" in str(refused.value)
    assert _household(store, made.household_id).notes == ""


# -- 3. one head per household --------------------------------------------------------------


def test_a_second_head_is_refused_naming_the_current_one(store, make_household) -> None:
    made = make_household("Lò Văn Pao", members=("Lò Thị Mai",))
    with store.read() as session:
        mai = next(p for p in members(session, made.household_id) if p.id != made.head_id)

    with pytest.raises(FieldError) as refused:
        _set(store, mai.id, "relation_to_head", "head")

    assert refused.value.field == "relation_to_head"
    assert any("Lò Văn Pao" in m for m in refused.value.messages)
    assert _person(store, mai.id).relation_to_head == "child"
    assert _household(store, made.household_id).head_name == "Lò Văn Pao"


def test_demoting_the_head_clears_the_head_name_and_its_sort_place(
    store, make_household,
) -> None:
    an = make_household("Bùi Văn An")
    pao = make_household("Lò Văn Pao", members=("Lò Thị Mai",))
    dinh = make_household("Vàng A Dính")
    assert _search(store, "") == [an.household_id, pao.household_id, dinh.household_id]

    _set(store, pao.head_id, "relation_to_head", "spouse")

    household = _household(store, pao.household_id)
    assert household.head_name == ""
    # Without a head, the household no longer sorts under "Lò Văn Pao".
    assert _search(store, "") == [pao.household_id, an.household_id, dinh.household_id]

    # Now the other member may become head, and the list follows her name.
    with store.read() as session:
        mai = next(p for p in members(session, pao.household_id) if p.id != pao.head_id)
    _set(store, mai.id, "relation_to_head", "head")
    assert _household(store, pao.household_id).head_name == "Lò Thị Mai"
    assert _search(store, "") == [an.household_id, pao.household_id, dinh.household_id]
    assert _search(store, "lo thi mai") == [pao.household_id]


# -- 4. withdrawal erases household data nobody agreed to any more --------------------------


def test_withdrawing_the_only_consent_clears_the_household_contact_data(
    store, make_household,
) -> None:
    made = make_household("Lò Văn Pao", phone="0987654321", address="Bản Phiêng Luông, nhà 4")
    _set_household(store, made.household_id, "phone", "0912000111")
    _set_household(store, made.household_id, "notes", "Nhà cuối dốc")

    with store.write() as session:
        withdraw_consent(session, made.head_id)

    household = _household(store, made.household_id)
    assert (household.address, household.phone, household.notes, household.head_name) == (
        "", None, "", "")
    assert _search(store, "0912000111") == []
    assert _search(store, "pao") == []


def test_withdrawal_keeps_the_address_another_member_agreed_to(
    store, profile, make_household,
) -> None:
    made = make_household("Lò Văn Pao", address="Bản Phiêng Luông, nhà 4")
    _set_household(store, made.household_id, "phone", "0912000111")
    _new_member(store, profile, made.household_id, SELF, "Lò Thị Mai", "spouse")

    with store.write() as session:
        withdraw_consent(session, made.head_id)

    household = _household(store, made.household_id)
    assert household.address == "Bản Phiêng Luông, nhà 4"
    assert household.phone == "0912000111"
    assert household.head_name == ""
    assert _person(store, made.head_id).full_name is None


# -- 5. removing a member entered by mistake --------------------------------------------------


def test_removed_member_is_tombstoned_erased_and_unfindable(store, make_household) -> None:
    made = make_household("Lò Văn Pao", members=("Giàng Thị Sùng",))
    with store.read() as session:
        sung = next(p for p in members(session, made.household_id) if p.id != made.head_id)
    _set(store, sung.id, "date_of_birth", date(2012, 6, 1))
    _set(store, sung.id, "gender", "female")
    before = _person(store, sung.id)
    assert _search(store, "giang thi sung") == [made.household_id]

    with store.write() as session:
        remove_person(session, sung.id)

    after = _person(store, sung.id)
    assert after.deleted is True
    assert {name: getattr(after, name) for name in PERSONAL_FIELDS} == dict.fromkeys(
        PERSONAL_FIELDS)
    assert after.version > before.version
    with store.read() as session:
        assert [p.id for p in members(session, made.household_id)] == [made.head_id]
    assert _search(store, "giang thi sung") == []
    assert _search(store, "pao") == [made.household_id]
    with pytest.raises(LookupError):
        _set(store, sung.id, "full_name", "Giàng Thị Sùng")


# -- 6. no smartphone, no NFC -----------------------------------------------------------------


def test_unticking_smartphone_clears_nfc(store, make_household) -> None:
    made = make_household("Lò Văn Pao")
    _set(store, made.head_id, "has_smartphone", True)
    _set(store, made.head_id, "phone_has_nfc", True)
    assert _person(store, made.head_id).phone_has_nfc is True

    _set(store, made.head_id, "has_smartphone", False)

    head = _person(store, made.head_id)
    assert head.has_smartphone is False
    assert head.phone_has_nfc is None


# -- 7. ethnicity typed without diacritics ----------------------------------------------------


@pytest.mark.parametrize(("typed", "stored"), [
    ("tay", "Tày"), ("H'mong", "H'Mông"), ("kinh", "Kinh"), ("  THAI ", "Thái"),
    ("e de", "Ê Đê"),
])
def test_ethnicity_typed_plainly_is_stored_canonically(
    store, make_household, typed, stored,
) -> None:
    made = make_household("Lò Văn Pao")
    _set(store, made.head_id, "ethnicity", typed)
    assert _person(store, made.head_id).ethnicity == stored


def test_every_ethnic_group_typed_without_diacritics_finds_itself(store, make_household) -> None:
    made = make_household("Lò Văn Pao")
    for name in ETHNIC_GROUPS:
        _set(store, made.head_id, "ethnicity", fold(name))
        assert _person(store, made.head_id).ethnicity == name


def test_unknown_ethnicity_is_refused(store, make_household) -> None:
    made = make_household("Lò Văn Pao")
    _set(store, made.head_id, "ethnicity", "Thái")
    with pytest.raises(FieldError) as refused:
        _set(store, made.head_id, "ethnicity", "Klingon")
    assert refused.value.field == "ethnicity"
    assert "54 dân tộc" in " ".join(refused.value.messages)
    assert _person(store, made.head_id).ethnicity == "Thái"


# -- 8. one spelling for one text --------------------------------------------------------------


def test_decomposed_text_is_stored_composed(store, make_household) -> None:
    made = make_household("Lò Văn Pao")
    name = unicodedata.normalize("NFD", "Nguyễn Thị Ánh")
    address = unicodedata.normalize("NFD", "Bản Phiêng Luông, nhà số 4")
    assert not unicodedata.is_normalized("NFC", name)

    _set(store, made.head_id, "full_name", name)
    _set_household(store, made.household_id, "address", address)

    head = _person(store, made.head_id)
    household = _household(store, made.household_id)
    assert head.full_name == "Nguyễn Thị Ánh"
    assert unicodedata.is_normalized("NFC", head.full_name)
    assert household.head_name == "Nguyễn Thị Ánh"
    assert household.address == "Bản Phiêng Luông, nhà số 4"
    # Typed composed, the name finds the household either way.
    assert _search(store, "Ánh") == [made.household_id]


def test_a_decomposed_village_name_is_a_duplicate(store, profile) -> None:
    with pytest.raises(FieldError) as refused, store.write() as session:
        add_village(session, profile.commune_id, unicodedata.normalize("NFD", VILLAGE), "ban")
    assert refused.value.field == "name"
    with store.read() as session:
        count = session.exec(select(func.count()).select_from(Village)).one()
    assert count == 1


# -- 9. passphrase typed by another keyboard --------------------------------------------------


@pytest.mark.parametrize("created_as", ["NFC", "NFD"])
def test_passphrase_opens_whichever_way_its_diacritics_are_sent(
    tmp_path: Path, created_as: str,
) -> None:
    passphrase = "Mật khẩu rừng xanh"
    opened_as = "NFD" if created_as == "NFC" else "NFC"
    typed_then = unicodedata.normalize(created_as, passphrase)
    typed_now = unicodedata.normalize(opened_as, passphrase)
    assert typed_then != typed_now
    Store.create(tmp_path / "data", typed_then).close()

    reopened = Store.open(tmp_path / "data", typed_now)
    reopened.close()


# -- 10. stores that must not be opened --------------------------------------------------------


@pytest.mark.parametrize("damage", ["truncated", "empty", "zeros", "not-an-object", "bad-salt",
                                    "bad-cost"])
def test_corrupt_key_file_is_a_store_error(store, data_dir: Path, damage: str) -> None:
    store.close()
    key_file = paths.key_path(data_dir)
    original = key_file.read_text(encoding="utf-8")
    damaged = {
        "truncated": original[: len(original) // 2],
        "empty": "",
        "zeros": "\0" * len(original),
        "not-an-object": "[]",
        "bad-salt": original.replace('"salt": "', '"salt": "zz'),
        "bad-cost": original.replace('"n": 32768', '"n": 32769'),
    }[damage]
    assert damaged != original
    key_file.write_text(damaged, encoding="utf-8")

    with pytest.raises(StoreError) as refused:
        Store.open(data_dir, PASSPHRASE).close()

    assert paths.KEY_NAME in str(refused.value)
    assert "Tệp khóa" in str(refused.value)


def test_store_from_a_newer_fieldkit_is_refused_untouched(store, data_dir: Path) -> None:
    with store.write() as session:
        session.connection().execute(text("UPDATE alembic_version SET version_num = '9999'"))
    store.close()
    before = _file_hashes(data_dir)

    with pytest.raises(StoreError) as refused:
        Store.open(data_dir, PASSPHRASE).close()

    assert "mới hơn" in str(refused.value)
    assert "FieldKit" in str(refused.value)
    assert _file_hashes(data_dir) == before


# -- 11. a card QR with a birth date in the future --------------------------------------------


@pytest.mark.parametrize("ahead", [timedelta(days=1), timedelta(days=5 * 366)])
def test_card_with_future_birth_date_is_refused(ahead: timedelta) -> None:
    born = date.today() + ahead
    # A self-consistent number (2000s, male, year digits), so only the date itself is wrong.
    number = f"0012{born.year % 100:02d}012345"
    line = f"{number}||Lò Văn Pao|{born:%d%m%Y}|Nam|Bản Phiêng Luông|"

    with pytest.raises(ValueError, match="Ngày sinh") as refused:
        parse_card_qr(line)
    assert "tương lai" in str(refused.value)


# -- 12. what waits for sync -------------------------------------------------------------------


def _synced_rows_and_writes(store: Store) -> tuple[int, int]:
    rows = writes = 0
    with store.read() as session:
        for table in SYNCED_TABLES:
            versions = session.exec(select(table.version)).all()
            rows += len(versions)
            writes += sum(versions)
    return rows, writes


def test_pending_changes_counts_records_and_outbox_counts_writes(
    store, profile, make_household,
) -> None:
    made = make_household("Lò Văn Pao")
    pending, queued = store.pending_changes(), store.outbox_size()

    member_id = _new_member(store, profile, made.household_id, SELF, "Lò Thị Mai", "spouse")
    # A member and their consent: two records.
    assert store.pending_changes() == pending + 2
    pending, queued = store.pending_changes(), store.outbox_size()

    for name in ("Lò Thị Ma", "Lò Thị Mại", "Lò Thị Mái", "Lò Thị May", "Lò Thị Mai"):
        _set(store, member_id, "full_name", name)

    assert store.pending_changes() == pending
    assert store.outbox_size() == queued + 5
    # Nothing has been pushed yet: every record waits once, every write is queued once.
    assert (store.pending_changes(), store.outbox_size()) == _synced_rows_and_writes(store)


# -- 13. setting up the profile ------------------------------------------------------------------


def test_profile_is_remembered_and_survives_reopening(tmp_path: Path) -> None:
    data_dir = tmp_path / "fresh"
    created = Store.create(data_dir, PASSPHRASE)
    try:
        profile = set_up_profile(created, "Lò Thị Linh", "0912345678", first_commune_code())
        assert created.meta["volunteer_id"] == profile.volunteer_id
        assert created.meta["commune_id"] == profile.commune_id
        assert load_profile(created) == profile
    finally:
        created.close()

    reopened = Store.open(data_dir, PASSPHRASE)
    try:
        assert load_profile(reopened) == profile
        assert reopened.meta["volunteer_id"] == profile.volunteer_id
    finally:
        reopened.close()


def test_failed_profile_setup_leaves_no_half_profile(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    data_dir = tmp_path / "fresh"
    created = Store.create(data_dir, PASSPHRASE)
    real_set_meta = created.set_meta

    def set_meta_then_fail(session, values: dict[str, str]) -> None:
        real_set_meta(session, values)
        raise RuntimeError("power cut")

    monkeypatch.setattr(created, "set_meta", set_meta_then_fail)
    try:
        with pytest.raises(RuntimeError):
            set_up_profile(created, "Lò Thị Linh", "0912345678", first_commune_code())
        assert "volunteer_id" not in created.meta
        assert load_profile(created) is None
        with created.read() as session:
            assert session.exec(select(Volunteer)).all() == []
    finally:
        created.close()

    reopened = Store.open(data_dir, PASSPHRASE)
    try:
        assert load_profile(reopened) is None
        # Setup simply runs again.
        profile = set_up_profile(reopened, "Lò Thị Linh", "0912345678", first_commune_code())
        assert load_profile(reopened) == profile
    finally:
        reopened.close()



# -- second review: removal, moves, damaged costs, scanner lines -----------------------------


CARD_LINE = "001085012345||Lò Văn Pao|15031985|Nam|Bản Phiêng Luông|20042021"


def test_removing_the_last_contact_consent_clears_the_household_contact(
    store, profile, village_id
) -> None:
    identity_only = ConsentInput("self", categories=("identity",))
    made = _new_household(store, profile, village_id, identity_only)
    member = _new_member(store, profile, made.household_id, SELF, "Lò Thị Mai")
    _set_household(store, made.household_id, "address", "Số 3, Bản Phiêng Luông")
    _set_household(store, made.household_id, "phone", "0912345678")
    with store.write() as session:
        remove_person(session, member)
    household = _household(store, made.household_id)
    assert (household.address, household.phone) == ("", None)
    with store.read() as session:
        assert all(c.withdrawn_at is not None
                   for c in session.exec(select(Consent).where(Consent.person_id == member)))


def test_a_member_moved_to_another_household_is_found_there_only(
    store, profile, village_id, make_household
) -> None:
    first = make_household("Hà Văn Tủa", members=("Hà Thị Dung",))
    second = make_household("Sùng A Chứ")
    with store.write() as session:
        moved = next(p for p in members(session, first.household_id)
                     if p.full_name == "Hà Thị Dung")
        moved.household_id = second.household_id
        session.add(moved)
    assert _search(store, "ha thi dung") == [second.household_id]


@pytest.mark.parametrize("n, r, p", [(2**20, 8, 1), (2**22, 8, 1), (2**21, 16, 4)])
def test_a_key_file_asking_for_too_much_memory_is_a_store_error(
    store, data_dir, n, r, p
) -> None:
    store.close()
    key_file = paths.key_path(data_dir)
    params = json.loads(key_file.read_text())
    params.update(n=n, r=r, p=p)
    key_file.write_text(json.dumps(params))
    with pytest.raises(StoreError, match=r"fieldkit\.key\.json"):
        Store.open(data_dir, PASSPHRASE)


def test_a_scanned_card_line_is_never_kept_as_free_text(store, profile, village_id,
                                                        make_household) -> None:
    made = make_household("Hà Văn Tủa")
    with store.write() as session:
        visit = start_visit(session, made.household_id, profile.volunteer_id)
    for change in (
        lambda s: set_notes(s, visit.id, CARD_LINE),
        lambda s: add_village(s, profile.commune_id, CARD_LINE),
        lambda s: update_household(s, made.household_id, "notes", CARD_LINE),
        lambda s: update_person(s, made.head_id, "full_name", CARD_LINE),
    ):
        with pytest.raises(FieldError, match="Quét thẻ"), store.write() as session:
            change(session)
    assert _person(store, made.head_id).full_name == "Hà Văn Tủa"
    assert _household(store, made.household_id).notes == ""
