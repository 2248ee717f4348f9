"""Journey 1 steps 5-6 through the real widgets: a birth registration started from the household
view, prefilled, filled with a relevance branch and a constraint error, completed; a draft
reopened on its page; repeat entries added and removed, each change saved at once."""

import json
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from sqlmodel import select

from fieldkit.core.dates import format_vn_date
from fieldkit.core.models import FormRecord, FormRevision
from fieldkit.ui.form_picker import FormPicker, FormRecordModel, available_forms
from fieldkit.ui.form_widgets import ComboInput, LineInput, RadioInput
from fieldkit.ui.form_window import FormWindow

from .keyboard import press_enter, replace_text, type_text

HEAD_ID = "001085012345"
MOTHER_ID = "001198034567"


def _picker(qtbot, main_window, household_id: str) -> FormPicker:
    main_window.refresh_households(select_id=household_id)
    detail = main_window.detail
    assert detail.forms_button.isVisible()
    qtbot.mouseClick(detail.forms_button, Qt.MouseButton.LeftButton)
    picker = next(p for p in detail.findChildren(FormPicker) if p.isVisible())
    qtbot.waitExposed(picker)
    return picker


def _start(qtbot, picker: FormPicker, form_id: str, person_name: str) -> FormWindow:
    picker.form_choice.setCurrentIndex(
        next(i for i in range(picker.form_choice.count())
             if picker.form_choice.itemData(i)[0] == form_id))
    picker.person_choice.setCurrentIndex(picker.person_choice.findText(person_name))
    with qtbot.waitSignal(picker.opened) as opened:
        qtbot.mouseClick(picker.start_button, Qt.MouseButton.LeftButton)
    window = opened.args[0]
    qtbot.waitExposed(window)
    return window


def _line(window: FormWindow, path: str):
    view = window.views[path]
    assert isinstance(view.input, LineInput)
    return view.input.edit


def _fill(window: FormWindow, path: str, text: str) -> None:
    replace_text(_line(window, path), text)


def _combo(window: FormWindow, path: str, text: str) -> None:
    view = window.views[path]
    assert isinstance(view.input, ComboInput)
    edit = view.input.combo.lineEdit()
    edit.setFocus()
    edit.selectAll()
    type_text(edit, text)
    press_enter(edit)
    QApplication.activePopupWidget() and QApplication.activePopupWidget().hide()
    view.input.committed.emit()


def _choose(window: FormWindow, path: str, name: str) -> None:
    """Pick a choice as a click does: a radio button, or a short list's item."""
    view = window.views[path]
    if isinstance(view.input, RadioInput):
        view.input.buttons[name].click()
        return
    assert isinstance(view.input, ComboInput)
    combo = view.input.combo
    combo.setCurrentIndex(combo.findData(name))
    combo.activated.emit(combo.currentIndex())


def _record(store, record_id: str) -> FormRecord:
    with store.read() as session:
        return session.get(FormRecord, record_id)


def test_birth_registration_is_filled_with_relevance_and_a_constraint(
        qtbot, main_window, store, make_household):
    made = make_household("Lò Văn Pao", id_number=HEAD_ID, address="Bản Phiêng Luông",
                          members=("Lò Thị Mai",))
    picker = _picker(qtbot, main_window, made.household_id)
    window = _start(qtbot, picker, "birth_registration", "Lò Văn Pao")

    # Requester page, prefilled from the person and the household.
    assert window.progress_label.text() == "Trang 1/5"
    assert window.page_title.text() == "Người đi đăng ký khai sinh"
    assert _line(window, "requester_full_name").text() == "Lò Văn Pao"
    assert _line(window, "requester_id_number").text() == HEAD_ID
    assert _line(window, "requester_residence").text() == "Bản Phiêng Luông"
    assert not any(v.error.isVisible() for v in window.views.values()), \
        "an untouched form is not covered in red"
    other = window.views["requester_relation_other"]
    assert not other.isVisible()
    _choose(window, "requester_relation", "father")

    window.raise_()
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.keyClick(QApplication.focusWidget(), Qt.Key.Key_PageDown)
    assert window.progress_label.text() == "Trang 2/5"
    assert _record(store, window.record_id).page == 1
    _fill(window, "child_full_name", "Lò Thị Hoa")
    assert _line(window, "child_dob").hasFocus(), "Enter moves on to the next field"
    future = date.today() + timedelta(days=3)
    _fill(window, "child_dob", format_vn_date(future))
    dob_error = window.views["child_dob"].error
    assert dob_error.isVisible()
    assert "sau ngày hôm nay" in dob_error.text()
    assert _line(window, "child_nationality").text() == "Việt Nam", "defaults fill in"
    _choose(window, "child_gender", "female")
    _combo(window, "child_ethnicity", "thai")
    _fill(window, "child_birth_place", "Trạm y tế xã Mường Phăng")
    _fill(window, "child_home_town", "Xã Mường Phăng, Tỉnh Điện Biên")

    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    _fill(window, "mother_full_name", "Lò Thị Mai")
    _fill(window, "mother_birth_year", "1998")
    _combo(window, "mother_ethnicity", "Thái")

    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.page_title.text() == "Thông tin người cha"
    _choose(window, "father_declared", "no")
    assert not window.views["father_full_name"].isVisible()
    _choose(window, "father_declared", "yes")
    assert window.views["father_full_name"].isVisible()
    _fill(window, "father_full_name", "Lò Văn Pao")
    _fill(window, "father_birth_year", "1985")
    _combo(window, "father_ethnicity", "Thái")
    _fill(window, "father_residence", "Bản Phiêng Luông")

    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    _choose(window, "evidence_type", "birth_certificate")
    _fill(window, "birth_certificate_number", "GCS-0042")

    # The future birth date is refused: completion jumps back to it and says why.
    qtbot.mouseClick(window.complete_button, Qt.MouseButton.LeftButton)
    assert _record(store, window.record_id).status == "draft"
    assert window.page_title.text() == "Người được khai sinh"
    assert dob_error.isVisible()
    assert window.banner.isVisible()

    _fill(window, "child_dob", format_vn_date(date.today() - timedelta(days=6)))
    assert not dob_error.isVisible()
    qtbot.mouseClick(window.complete_button, Qt.MouseButton.LeftButton)
    record = _record(store, window.record_id)
    assert record.status == "complete"
    answers = json.loads(record.answers)
    assert answers["child_full_name"] == "Lò Thị Hoa"
    assert answers["child_ethnicity"] == "Thái"
    assert answers["child_dob"] == (date.today() - timedelta(days=6)).isoformat()
    assert answers["mother_birth_year"] == 1998

    # Completed: read-only, until reopened for a correction (history kept).
    assert window.reopen_button.isVisible() and not window.complete_button.isVisible()
    assert not _line(window, "child_full_name").isEnabled()
    qtbot.mouseClick(window.reopen_button, Qt.MouseButton.LeftButton)
    assert _record(store, window.record_id).status == "draft"
    assert _line(window, "child_full_name").isEnabled()
    with store.read() as session:
        assert len(session.exec(select(FormRevision)).all()) == 1

    picker.reload()
    assert picker.model.rowCount() == 1
    assert picker.model.index(0, 2).data() == "Bản nháp"


def test_draft_reopens_on_its_page_and_repeat_entries_autosave(
        qtbot, qtmodeltester, main_window, store, make_household):
    made = make_household("Lò Văn Pao", id_number=HEAD_ID, members=("Lò Thị Mai",))
    picker = _picker(qtbot, main_window, made.household_id)
    window = _start(qtbot, picker, "residence_ct01", "Lò Văn Pao")
    record_id = window.record_id
    assert _line(window, "full_name").text() == "Lò Văn Pao"

    while window.repeats["members"].isHidden() or not window.repeats["members"].isVisible():
        qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    members_page = window.stack.currentIndex()
    repeat = window.repeats["members"]
    qtbot.mouseClick(repeat.add_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(repeat.add_button, Qt.MouseButton.LeftButton)
    assert len(repeat.entries) == 2
    _fill(window, "members[0].member_full_name", "Lò Thị Mai")
    _fill(window, "members[1].member_full_name", "Lò Văn Tủa")
    _fill(window, "members[1].member_dob", "02/09/2010")
    answers = json.loads(_record(store, record_id).answers)
    assert [m.get("member_full_name") for m in answers["members"]] == ["Lò Thị Mai",
                                                                       "Lò Văn Tủa"]

    qtbot.mouseClick(repeat.remove_buttons[0], Qt.MouseButton.LeftButton)
    assert len(repeat.entries) == 1
    assert _line(window, "members[0].member_full_name").text() == "Lò Văn Tủa"
    assert _line(window, "members[0].member_dob").text() == "02/09/2010"
    answers = json.loads(_record(store, record_id).answers)
    assert [m["member_full_name"] for m in answers["members"]] == ["Lò Văn Tủa"]

    window.close()
    picker.reload()
    qtmodeltester.check(picker.model)
    assert isinstance(picker.model, FormRecordModel)
    with qtbot.waitSignal(picker.opened) as opened:
        qtbot.mouseClick(picker.open_button, Qt.MouseButton.LeftButton)
    reopened = opened.args[0]
    assert reopened.record_id == record_id
    assert reopened.stack.currentIndex() == members_page
    assert len(reopened.repeats["members"].entries) == 1


def test_every_shipped_form_renders(qtbot, store, make_household):
    made = make_household("Lò Văn Pao")
    forms = available_forms()
    picker = FormPicker(store, made.household_id, forms=forms)
    qtbot.addWidget(picker)
    for form_id, _version in forms:
        window = picker.start(form_id)
        assert window is not None, picker.error.text()
        assert window.progress_label.text().startswith("Trang 1/")
        window.close()
