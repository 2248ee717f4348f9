"""Safety around guides and practice mode, found in review: no window of one store left open
beside the other, no write about a person after consent is withdrawn, no run left open by a
guide update, fresh people when the guide window reopens, a way out of a failed sandbox, and
practice printouts marked as practice."""

from __future__ import annotations

import dataclasses
import json
import unicodedata
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from sqlmodel import select

from fieldkit.core.consent import withdraw_consent
from fieldkit.core.forms.definition import load_form
from fieldkit.core.forms.records import start_record
from fieldkit.core.guide_runs import outcomes_of
from fieldkit.core.models import GuideRun
from fieldkit.core.people import add_person, update_person
from fieldkit.core.settings import Settings
from fieldkit.core.store import Store
from fieldkit.ui.app import Controller
from fieldkit.ui.demo_mode import DemoLoading
from fieldkit.ui.form_window import FormWindow

from ..conftest import PASSPHRASE, SELF
from .keyboard import type_text
from .test_demo_mode import demo, wait_for_main  # noqa: F401
from .test_form_pdf import BIRTH_ANSWERS, FORMS
from .test_guide_window import choose, click, click_item, guide_window  # noqa: F401


def _open_runs(store: Store) -> list[GuideRun]:
    with store.read() as session:
        return list(session.exec(select(GuideRun).where(GuideRun.status == "open")))


def _invalid_form_window(qtbot, store: Store, household_id: str, person_id: str) -> FormWindow:
    """A birth form with a date typed that cannot be read: FormWindow refuses to close."""
    form = load_form(FORMS / "birth_registration.json")
    with store.write() as session:
        record_id = start_record(session, form, household_id, person_id,
                                 prefilled=BIRTH_ANSWERS).id
    window = FormWindow(store, form, record_id)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    window.go_to_page(window.page_of["child_dob"])
    dob = window.views["child_dob"].input.edit
    dob.setFocus()
    dob.selectAll()
    type_text(dob, "1/13/1950")
    return window


# -- guide window ----------------------------------------------------------------------------

def test_reopening_the_guide_window_lists_a_member_added_since(
        qtbot, main_window, store, profile, guide_window):  # noqa: F811
    """The volunteer opens the guides for the head, closes the window, adds the daughter to
    the household, and opens the guides again for her. `VisitPanel.open_guides` reuses the
    window of the same visit and only shows it: the person list is never reloaded, so the
    daughter is not there (and facts edited in the person dialog meanwhile are stale)."""
    window, mai = guide_window()
    window.close()
    with store.write() as session:
        household_id = window.household_id
        daughter = add_person(session, household_id, profile.volunteer_id, SELF, "child")
        update_person(session, daughter.id, "full_name", "Lò Thị Hoa")
        update_person(session, mai, "has_smartphone", False)
    main_window.refresh_households(select_id=household_id)
    panel = main_window.detail.visit_panel
    click(qtbot, panel.guide_button)
    again = panel.guide_window
    names = [again.person.itemText(i) for i in range(again.person.count())]
    assert "Lò Thị Hoa" in names
    again.person.setCurrentIndex(again.person.findText("Lò Thị Mai"))
    assert again.facts["has_smartphone"].currentData() is False


def test_a_new_guide_version_does_not_leave_the_old_run_open_forever(
        qtbot, store, guide_window):  # noqa: F811
    """A run started on guide version A is shown as "đang làm dở" (in progress); after the
    guide file is updated to version B, "start" silently makes a second run instead of resuming
    (start_run matches on the version), and the old run stays open for good: the summary then
    tells the family to "carry on" with a guide that was in fact finished."""
    window, _mai = guide_window()
    choose(window.facts["has_smartphone"], "Có")
    click_item(qtbot, window.guide_list, "Kích hoạt tài khoản")
    click(qtbot, window.start_button)
    click(qtbot, window.step_view.done_button)
    window.back_to_chooser()
    # The guide file changes (a new release of FieldKit, same visit reopened after restart).
    old = window.guides["activate_account"]
    window.guides["activate_account"] = dataclasses.replace(old, version=old.version + ".1")
    window._person_changed()
    item = window.guide_list.findItems("Kích hoạt tài khoản", Qt.MatchFlag.MatchStartsWith)[0]
    assert item.text().endswith("đang làm dở")
    window.guide_list.setCurrentItem(item)
    assert window.start()
    assert len(_open_runs(store)) == 1, "two open runs of one guide for one person"


def test_no_outcome_is_recorded_after_the_person_withdrew_consent(
        qtbot, store, guide_window):  # noqa: F811
    """Consent is withdrawn (from the person dialog, beside the non-modal guide window) while
    a run is on screen. The guide window keeps recording outcomes, including a free-text skip
    reason about the person: `record_outcome` never checks consent, unlike `start_run`."""
    window, mai = guide_window()
    choose(window.facts["has_smartphone"], "Có")
    click_item(qtbot, window.guide_list, "Kích hoạt tài khoản")
    click(qtbot, window.start_button)
    with store.write() as session:
        withdraw_consent(session, mai)
    window.step_view.reason.setFocus()
    type_text(window.step_view.reason, "Bà bị ốm, con trai nói để hôm khác")
    click(qtbot, window.step_view.skip_button)
    with store.read() as session:
        run = session.exec(select(GuideRun)).one()
        assert outcomes_of(session, run.id) == []


# -- demo mode -------------------------------------------------------------------------------

def visible_windows() -> list:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()
            and not isinstance(w, QMessageBox)]


def test_practice_mode_waits_while_a_real_form_holds_an_unsaved_value(
        qtbot, store, data_dir, make_household):
    """A real declaration with a value it could not save refuses to close; switching to
    practice then waits (and says why) instead of opening the sandbox beside it."""
    made = make_household("Lò Thị Mai", date_of_birth=date(1995, 3, 1), gender="female")
    controller = Controller(QApplication.instance(), data_dir, Settings())
    controller.show_main(store)
    real = controller.window
    form = _invalid_form_window(qtbot, store, made.household_id, made.head_id)
    try:
        real.demo_action.trigger()
        assert controller.window is real and controller.store is store and not store.is_demo
        assert form.isVisible()
        boxes = [w for w in QApplication.topLevelWidgets()
                 if isinstance(w, QMessageBox) and w.isVisible()]
        assert boxes and "chưa lưu được" in boxes[0].text()
        for box in boxes:
            box.close()
        # Once the value is cleared and the window closed, the switch goes ahead.
        form.views["child_dob"].input.edit.clear()
        form.input_errors.clear()
        form.close()
        assert not form.isVisible()
        real.demo_action.trigger()
        practice = wait_for_main(qtbot, controller)
        assert controller.store.is_demo
        assert visible_windows() == [practice]
    finally:
        form.input_errors.clear()
        form.close()
        form.deleteLater()
        controller._close_all()
        controller._mark_practice(False)


def test_a_lock_leaves_no_form_on_screen_even_with_an_unsaved_value(
        qtbot, store, data_dir, make_household):
    made = make_household("Lò Thị Mai", date_of_birth=date(1995, 3, 1), gender="female")
    controller = Controller(QApplication.instance(), data_dir, Settings())
    controller.show_main(store)
    form = _invalid_form_window(qtbot, store, made.household_id, made.head_id)
    controller.lock()
    unlock = controller.window
    qtbot.addWidget(unlock)
    assert not form.isVisible()
    assert visible_windows() == [unlock]


def test_reset_waits_while_a_practice_form_holds_an_unsaved_value(qtbot, demo):  # noqa: F811
    controller, window = demo
    store = controller.store
    window.table.selectRow(0)
    household_id = window.detail.household_id
    person_id = window.detail.members.item(0, 0).data(Qt.ItemDataRole.UserRole)
    form = _invalid_form_window(qtbot, store, household_id, person_id)
    try:
        controller.reset_demo()
        assert controller.window is window and controller.store is store
        assert form.isVisible()
        with store.read() as session:  # the sandbox under the form is still the open one
            assert session.exec(select(GuideRun)).all() == []
    finally:
        for box in QApplication.topLevelWidgets():
            if isinstance(box, QMessageBox):
                box.close()
        form.input_errors.clear()
        form.close()
        form.deleteLater()


def test_a_failed_sandbox_open_leaves_the_trainer_a_way_out(qtbot, data_dir):
    """A store that is not a sandbox sits in data/demo: `open_demo` refuses it, and the
    loading screen offers to try again or to leave practice mode."""
    Store.create(data_dir / "demo", PASSPHRASE).close()
    controller = Controller(QApplication.instance(), data_dir, Settings(), demo=True)
    loading = controller.first_window()
    assert isinstance(loading, DemoLoading)
    loading.wait()
    qtbot.waitUntil(lambda: "Không chuẩn bị được" in loading.message.text())
    assert loading.retry_button.isVisible() and loading.leave_button.isVisible()
    assert not loading.cancel_button.isVisible()
    qtbot.mouseClick(loading.leave_button, Qt.MouseButton.LeftButton)
    assert not controller.demo
    assert not isinstance(controller.window, DemoLoading)
    qtbot.addWidget(controller.window)


def test_cancelling_the_seed_leaves_no_sandbox_that_opens_as_complete(qtbot, data_dir):
    controller = Controller(QApplication.instance(), data_dir, Settings(), demo=True)
    loading = controller.first_window()
    loading.cancel_button.click()  # before the first progress report
    loading.wait()
    qtbot.waitUntil(lambda: loading.retry_button.isVisible())
    assert "Đã hủy" in loading.message.text()
    qtbot.mouseClick(loading.retry_button, Qt.MouseButton.LeftButton)
    practice = wait_for_main(qtbot, controller)
    assert practice.model.rowCount() > 190
    controller._close_all()
    controller._mark_practice(False)


def test_the_practice_summary_printout_says_it_is_practice(qtbot, demo):  # noqa: F811
    """The banner is only on screen: the printed/PDF visit summary (and the form PDF) made in
    the sandbox carry no practice mark, yet name a real commune and tell the "family" to file
    at the one-stop office. A practice printout taken home or left in class passes for real."""
    _controller, window = demo
    window.scenario_actions["phone_no_nfc"].trigger()
    guide = window.detail.visit_panel.guide_window
    qtbot.addWidget(guide)
    guide.record("done")
    dialog = window.detail.visit_panel.show_summary(window.detail.visit_panel.visit_id)
    qtbot.addWidget(dialog)
    printed = dialog.document().toPlainText()
    assert "BẢN THỰC HÀNH" in printed


def test_a_practice_declaration_pdf_is_marked_on_every_page(tmp_path):
    from pypdf import PdfReader

    from fieldkit.core.models import FormRecord
    from fieldkit.ui.form_pdf import PRACTICE_MARK, write_pdf

    form = load_form(FORMS / "birth_registration.json")
    record = FormRecord(form_id=form.id, form_version=form.version, household_id="h",
                        status="complete", answers=json.dumps(BIRTH_ANSWERS))
    for practice in (True, False):
        path = tmp_path / f"{practice}.pdf"
        write_pdf(path, form, record, "FK1:ABC", "ABCD-1234", "Lò Thị Ánh", practice=practice)
        pages = [" ".join(unicodedata.normalize("NFC", page.extract_text()).split())
                 for page in PdfReader(path).pages]
        marked = [PRACTICE_MARK.split(" —")[0] in text for text in pages]
        assert marked == [practice] * len(pages)
