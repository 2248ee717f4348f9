"""A member's details through the real widgets: card scans, refused values, and erasure."""

from typing import Any

from fieldkit.core.consent import PERSONAL_FIELDS, ConsentInput
from fieldkit.core.households import villages
from fieldkit.core.people import add_person, create_household, update_person
from tests.conftest import person_row, person_snapshot

from .keyboard import replace_text

HEAD_CARD = ("001085012345||Lò Văn Pao|15031985|Nam|"
             "Bản Phiêng Luông, Xã Mường Phăng, Tỉnh Điện Biên|20042021")
ERASED = "(đã xóa theo yêu cầu)"


def _new_household(store, profile, **head_fields: Any) -> tuple[str, str]:
    """A household whose head has consented, with these fields already saved."""
    with store.write() as session:
        village = villages(session, profile.commune_id)[0]
        household, head = create_household(session, village.id, profile.volunteer_id,
                                           ConsentInput(given_by="self"))
        for name, value in head_fields.items():
            update_person(session, head.id, name, value)
        return household.id, head.id





def test_malformed_card_line_shows_an_error_and_changes_nothing(store, profile, open_dialog):
    _, head_id = _new_household(store, profile, full_name="Lò Văn Pao", phone="0987654321")
    form = open_dialog(head_id).person_form
    before = person_snapshot(store, head_id)
    assert not form.scan_error.isVisible()

    # The scanner stopped half-way: too few fields.
    replace_text(form.scan, "001085012345||Lò Văn Pao|15031985")

    assert form.scan_error.isVisible()
    assert "quét lại" in form.scan_error.text()
    assert person_snapshot(store, head_id) == before
    assert form.full_name.text() == "Lò Văn Pao"
    assert form.id_number.text() == ""
    assert form.phone.text() == "0987654321"


def test_card_line_typed_into_the_name_field_fills_the_fields(store, profile, open_dialog):
    _, head_id = _new_household(store, profile)
    form = open_dialog(head_id).person_form

    # The cursor was in the name field when the scanner fired.
    replace_text(form.full_name, HEAD_CARD)

    person = person_row(store, head_id)
    assert person.full_name == "Lò Văn Pao", "the scanned line must not be saved as a name"
    assert person.id_number == "001085012345"
    assert person.date_of_birth is not None and person.date_of_birth.isoformat() == "1985-03-15"
    assert person.gender == "male"
    assert form.full_name.text() == "Lò Văn Pao"
    assert form.id_number.text() == "001085012345"
    assert form.date_of_birth.text() == "15/03/1985"
    assert form.gender.currentData() == "male"
    assert not form.saver.rows["full_name"].error.isVisible()


def test_invalid_phone_is_refused_and_the_saved_number_kept(store, profile, open_dialog):
    _, head_id = _new_household(store, profile, full_name="Lò Văn Pao")
    form = open_dialog(head_id).person_form
    error = form.saver.rows["phone"].error

    replace_text(form.phone, "0987 654 321")
    assert not error.isVisible()
    assert person_row(store, head_id).phone == "0987654321"

    replace_text(form.phone, "09876")
    assert error.isVisible()
    assert "Số điện thoại" in error.text() and "chữ số" in error.text()
    assert form.phone.text() == "09876", "the refused value stays on screen to be corrected"
    assert person_row(store, head_id).phone == "0987654321"


def test_id_number_with_unknown_province_code_is_refused(store, profile, open_dialog):
    _, head_id = _new_household(store, profile, full_name="Lò Văn Pao")
    form = open_dialog(head_id).person_form
    error = form.saver.rows["id_number"].error

    replace_text(form.id_number, "003085012345")

    assert error.isVisible()
    assert "(003)" in error.text()
    assert "3 chữ số đầu" in error.text()
    assert person_row(store, head_id).id_number is None


def test_withdrawing_consent_erases_the_member_everywhere(qtbot, store, profile, main_window):
    household_id, head_id = _new_household(store, profile, full_name="Lò Văn Pao")
    with store.write() as session:
        member = add_person(session, household_id, profile.volunteer_id,
                            ConsentInput(given_by="self"), relation_to_head="spouse")
        member_id = member.id
        for name, value in (("full_name", "Lò Thị Mai"), ("id_number", "001188034567"),
                            ("phone", "0912 111 222")):
            update_person(session, member_id, name, value)

    window = main_window

    def found(query: str) -> int:
        window.search.clear()
        qtbot.keyClicks(window.search, query)
        window.refresh_households()
        return window.model.rowCount()

    queries = ("001188034567", "0912111222", "lo thi mai")
    assert [found(q) for q in queries] == [1, 1, 1]
    assert found("") == 1
    window.table.selectRow(window.model.row_of(household_id))
    detail = window.detail
    assert detail.household_id == household_id
    names = {detail.members.item(r, 0).text() for r in range(detail.members.rowCount())}
    assert names == {"Lò Văn Pao", "Lò Thị Mai"}

    dialog = window.edit_person(member_id)
    qtbot.addWidget(dialog)
    assert dialog.person_form is not None
    assert dialog.person_form.full_name.text() == "Lò Thị Mai"
    dialog.withdraw_confirmed()

    erased = person_row(store, member_id)
    assert all(getattr(erased, name) is None for name in PERSONAL_FIELDS)
    assert erased.deleted is False, "the erased row stays so that the erasure syncs"
    assert person_row(store, head_id).full_name == "Lò Văn Pao"
    assert not dialog.isVisible()

    rows = {detail.members.item(r, 0).text(): r for r in range(detail.members.rowCount())}
    assert set(rows) == {"Lò Văn Pao", ERASED}
    assert detail.members.item(rows[ERASED], 3).text() == "", "no ID number left on screen"
    assert window.model.index(window.model.row_of(household_id), 0).data() == "Lò Văn Pao"

    # Opening the erased member again says the data is gone instead of offering a form.
    again = window.edit_person(member_id)
    qtbot.addWidget(again)
    assert again.person_form is None
    assert not again.withdraw.isVisible()
    again.done_button.click()

    # Nothing of the erased member can still be found by searching.
    assert [found(q) for q in queries] == [0, 0, 0]
    assert found("pao") == 1
