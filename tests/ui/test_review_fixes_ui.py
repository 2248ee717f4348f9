"""Fixes from review, through the real widgets: card lines in the wrong field, a second card,
fields outside consent, a visit ended elsewhere, local times, and the dialog's buttons."""

import os
import time
from datetime import UTC, date, datetime
from typing import Any

import pytest
from PySide6.QtCore import Qt
from sqlmodel import select

from fieldkit.core.consent import ConsentInput
from fieldkit.core.households import villages
from fieldkit.core.models import Household, Person, Visit
from fieldkit.core.people import add_person, create_household, update_person
from fieldkit.core.visits import end_visit, open_visit, start_visit
from fieldkit.core.vocabulary import DATA_CATEGORIES
from fieldkit.ui.person_dialog import PersonDialog
from fieldkit.ui.visit_panel import VisitPanel, local_time
from tests.conftest import VILLAGE, person_row, person_snapshot

from .keyboard import replace_text, tick, type_text

CARD_ADDRESS = "Bản Phiêng Luông, Xã Mường Phăng, Tỉnh Điện Biên"
HEAD_CARD = f"001085012345||Lò Văn Pao|15031985|Nam|{CARD_ADDRESS}|20042021"
SON_CARD = f"011203001234||Lò Văn Sơn|07082003|Nam|{CARD_ADDRESS}|10052022"


def _village_id(store, profile) -> str:
    with store.read() as session:
        return villages(session, profile.commune_id)[0].id


def _new_household(store, profile, consent: ConsentInput | None = None,
                   **head_fields: Any) -> tuple[str, str]:
    with store.write() as session:
        household, head = create_household(session, _village_id(store, profile),
                                           profile.volunteer_id,
                                           consent or ConsentInput(given_by="self"))
        for name, value in head_fields.items():
            update_person(session, head.id, name, value)
        return household.id, head.id



def _give_consent(qtbot, dialog: PersonDialog) -> None:
    page = dialog.consent_page
    tick(page.confirm)
    qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    assert dialog.person_form is not None




@pytest.fixture
def new_household_dialog(qtbot, main_window) -> PersonDialog:
    window = main_window
    item = window.village_list.findItems(VILLAGE, Qt.MatchFlag.MatchContains)[0]
    window.village_list.setCurrentItem(item)
    qtbot.mouseClick(window.new_household_button, Qt.MouseButton.LeftButton)
    dialogs = [d for d in window.findChildren(PersonDialog) if d.isVisible()]
    assert len(dialogs) == 1
    return dialogs[0]


# -- 14. a card line typed into the household address ----------------------------------------


def test_card_line_in_the_address_field_fills_the_head_not_the_address(
    qtbot, store, new_household_dialog,
) -> None:
    dialog = new_household_dialog
    _give_consent(qtbot, dialog)
    assert dialog.household_form is not None

    # The cursor was in the address field when the scanner fired.
    replace_text(dialog.household_form.address, HEAD_CARD)

    with store.read() as session:
        household = session.exec(select(Household)).one()
        head = session.exec(select(Person)).one()
    assert "|" not in household.address, "the raw card line must not be saved as the address"
    assert household.address == CARD_ADDRESS
    assert (head.full_name, head.id_number, head.date_of_birth, head.gender) == (
        "Lò Văn Pao", "001085012345", date(1985, 3, 15), "male")
    assert household.head_name == "Lò Văn Pao"
    form = dialog.person_form
    assert form.full_name.text() == "Lò Văn Pao"
    assert form.id_number.text() == "001085012345"
    assert form.date_of_birth.text() == "15/03/1985"
    assert form.gender.currentData() == "male"
    assert dialog.household_form.address.text() == CARD_ADDRESS
    assert not dialog.household_form.saver.rows["address"].error.isVisible()


# -- 15. a second person's card ------------------------------------------------------------


def _pao_with_card(store, profile) -> str:
    _, head_id = _new_household(store, profile, full_name="Lò Văn Pao",
                                id_number="001085012345", date_of_birth=date(1985, 3, 15),
                                gender="male", phone="0987654321")
    return head_id


def test_a_different_persons_card_scanned_waits_for_the_volunteer(
    store, profile, open_dialog,
) -> None:
    head_id = _pao_with_card(store, profile)
    form = open_dialog(head_id).person_form
    before = person_snapshot(store, head_id)
    assert not form.card_bar.isVisible()

    # The scanner types the line and then Enter, like every scan.
    replace_text(form.scan, SON_CARD)

    assert form.card_bar.isVisible(), "the scanner's own Enter must not answer the question"
    assert "Lò Văn Sơn" in form.card_question.text()
    assert "Lò Văn Pao" in form.card_question.text()
    assert person_snapshot(store, head_id) == before, "nothing changes before the volunteer decides"
    assert form.full_name.text() == "Lò Văn Pao"
    assert form.id_number.text() == "001085012345"


def test_keep_leaves_the_person_and_replace_takes_the_card(
    qtbot, store, profile, open_dialog,
) -> None:
    head_id = _pao_with_card(store, profile)
    dialog = open_dialog(head_id)
    dialog.activateWindow()
    qtbot.waitUntil(dialog.isActiveWindow)  # leaving a field by Tab needs keyboard focus
    form = dialog.person_form
    before = person_snapshot(store, head_id)

    def scan_into_name_and_move_on() -> None:
        # The cursor was in the name field; the volunteer then tabs to the next field.
        form.full_name.setFocus()
        form.full_name.selectAll()
        type_text(form.full_name, SON_CARD)
        qtbot.keyClick(form.full_name, Qt.Key.Key_Tab)

    scan_into_name_and_move_on()
    assert form.card_bar.isVisible()
    assert person_snapshot(store, head_id) == before
    assert form.full_name.text() == "Lò Văn Pao", "the card line is not left in the name field"

    qtbot.mouseClick(form.keep_button, Qt.MouseButton.LeftButton)
    assert not form.card_bar.isVisible()
    assert person_snapshot(store, head_id) == before
    assert form.full_name.text() == "Lò Văn Pao"

    scan_into_name_and_move_on()
    assert form.card_bar.isVisible()
    assert person_snapshot(store, head_id) == before
    qtbot.mouseClick(form.replace_button, Qt.MouseButton.LeftButton)

    assert not form.card_bar.isVisible()
    son = person_row(store, head_id)
    assert (son.full_name, son.id_number, son.date_of_birth, son.gender) == (
        "Lò Văn Sơn", "011203001234", date(2003, 8, 7), "male")
    assert son.phone == "0987654321", "fields not on the card are kept"
    assert form.full_name.text() == "Lò Văn Sơn"
    assert form.id_number.text() == "011203001234"


def test_the_same_persons_card_fills_without_asking(store, profile, open_dialog) -> None:
    _, head_id = _new_household(store, profile, full_name="lo van pao")
    form = open_dialog(head_id).person_form

    replace_text(form.scan, HEAD_CARD)

    assert not form.card_bar.isVisible()
    head = person_row(store, head_id)
    assert (head.full_name, head.id_number) == ("Lò Văn Pao", "001085012345")


# -- 16. fields outside the consent ----------------------------------------------------------


def test_id_number_is_disabled_without_id_number_consent(store, profile, open_dialog) -> None:
    without_id = tuple(c for c in DATA_CATEGORIES if c != "id_number")
    _, head_id = _new_household(store, profile,
                                ConsentInput(given_by="self", categories=without_id),
                                full_name="Lò Văn Pao")
    form = open_dialog(head_id).person_form

    assert not form.id_number.isEnabled()
    assert form.id_number.toolTip()
    for enabled in (form.full_name, form.date_of_birth, form.gender, form.phone,
                    form.ethnicity):
        assert enabled.isEnabled()

    # A scanned card fills what was agreed to, but not the ID number.
    replace_text(form.scan, HEAD_CARD)
    head = person_row(store, head_id)
    assert head.date_of_birth == date(1985, 3, 15)
    assert head.id_number is None
    assert form.id_number.text() == ""


# -- 17. a visit ended elsewhere -----------------------------------------------------------


@pytest.fixture
def panel(qtbot, store, profile) -> VisitPanel:
    widget = VisitPanel(store, profile)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def test_ticking_a_service_after_the_visit_ended_elsewhere_says_so(
    qtbot, store, profile, panel,
) -> None:
    household_id, _ = _new_household(store, profile, full_name="Lò Văn Pao")
    panel.show_household(household_id)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    assert panel.open_part.isVisible()
    with store.read() as session:
        visit = open_visit(session, household_id)
    assert visit is not None

    with store.write() as session:
        end_visit(session, visit.id, "done")

    tick(panel.service_checks["scam_awareness"])

    assert panel.error.isVisible()
    assert "kết thúc" in panel.error.text()
    assert not panel.open_part.isVisible()
    assert panel.start_button.isVisible()
    assert panel.state.text() == "Chưa có buổi hỗ trợ nào đang mở."
    assert panel.history.count() == 1
    with store.read() as session:
        ended = session.get(Visit, visit.id)
    assert ended is not None and ended.services == "[]" and ended.outcome == "done"


def test_unsaved_notes_of_a_visit_ended_elsewhere_stay_readable(
    qtbot, store, profile, panel,
) -> None:
    household_id, _ = _new_household(store, profile, full_name="Lò Văn Pao")
    panel.show_household(household_id)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    with store.read() as session:
        visit = open_visit(session, household_id)
    assert visit is not None
    panel.notes.setFocus()
    type_text(panel.notes, "Hẹn quay lại thứ Bảy")  # typed, not yet saved (pause timer)
    with store.write() as session:
        end_visit(session, visit.id, "done")

    tick(panel.service_checks["scam_awareness"])

    assert panel.error.isVisible()
    assert "Hẹn quay lại thứ Bảy" in panel.error.text()
    assert panel.start_button.isVisible()


def test_ending_a_visit_removed_elsewhere_says_so(qtbot, store, profile, panel) -> None:
    household_id, _ = _new_household(store, profile, full_name="Lò Văn Pao")
    panel.show_household(household_id)
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    with store.write() as session:
        visit = open_visit(session, household_id)
        assert visit is not None
        visit.deleted = True
        session.add(visit)

    panel.outcome.setCurrentIndex(panel.outcome.findData("done"))
    qtbot.mouseClick(panel.end_button, Qt.MouseButton.LeftButton)

    assert panel.error.isVisible()
    assert "Không tìm thấy" in panel.error.text()
    assert panel.start_button.isVisible()
    assert panel.history.count() == 0


# -- 18. times shown in the laptop's zone -----------------------------------------------------


@pytest.fixture
def vietnam_time():
    saved = os.environ.get("TZ")
    os.environ["TZ"] = "Asia/Ho_Chi_Minh"
    time.tzset()
    try:
        yield
    finally:
        if saved is None:
            os.environ.pop("TZ", None)
        else:
            os.environ["TZ"] = saved
        time.tzset()


def test_local_time_shows_utc_in_the_local_zone(vietnam_time) -> None:
    assert local_time(datetime(2026, 1, 1, 0, 0, tzinfo=UTC)) == "01/01/2026 07:00"
    assert local_time(datetime(2025, 12, 31, 20, 30, tzinfo=UTC)) == "01/01/2026 03:30"


def test_visit_panel_shows_stored_times_in_the_local_zone(
    vietnam_time, store, profile, panel,
) -> None:
    household_id, _ = _new_household(store, profile, full_name="Lò Văn Pao")
    with store.write() as session:
        for started in (datetime(2026, 1, 1, 0, 0, tzinfo=UTC),
                        datetime(2026, 1, 2, 1, 15, tzinfo=UTC)):
            visit = start_visit(session, household_id, profile.volunteer_id)
            visit.started_at = started
            session.add(visit)
            session.flush()
            if started.day == 1:
                end_visit(session, visit.id, "done")

    panel.show_household(household_id)

    assert "02/01/2026 08:15" in panel.state.text()
    assert panel.history.count() == 1
    assert panel.history.item(0).text().startswith("01/01/2026 07:00")


# -- 19. the dialog's buttons ---------------------------------------------------------------


def test_done_is_offered_only_after_consent(qtbot, store, new_household_dialog) -> None:
    dialog = new_household_dialog
    assert not dialog.done_button.isVisible()
    assert not dialog.remove.isVisible()

    _give_consent(qtbot, dialog)

    assert dialog.done_button.isVisible()
    assert dialog.done_button.text() == "Xong"
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    assert not dialog.isVisible()


def test_removing_a_member_entered_by_mistake_updates_the_detail(
    qtbot, store, profile, main_window,
) -> None:
    household_id, head_id = _new_household(store, profile, full_name="Lò Văn Pao")
    with store.write() as session:
        member = add_person(session, household_id, profile.volunteer_id,
                            ConsentInput(given_by="self"), relation_to_head="child")
        update_person(session, member.id, "full_name", "Lò Văn Nhầm")
        member_id = member.id
    window = main_window
    window.refresh_households()
    window.table.selectRow(window.model.row_of(household_id))
    detail = window.detail
    names = {detail.members.item(r, 0).text() for r in range(detail.members.rowCount())}
    assert names == {"Lò Văn Pao", "Lò Văn Nhầm"}

    dialog = window.edit_person(member_id)
    qtbot.addWidget(dialog)
    assert dialog.remove.isVisible()
    assert dialog.remove.text() == "Xóa thành viên nhập nhầm"
    dialog.remove_confirmed()

    assert not dialog.isVisible()
    assert detail.members.rowCount() == 1
    assert detail.members.item(0, 0).text() == "Lò Văn Pao"
    assert person_row(store, member_id).deleted is True
    assert person_row(store, head_id).full_name == "Lò Văn Pao"
