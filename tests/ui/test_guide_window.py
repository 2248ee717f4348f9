"""Walking a household member through a guide inside a visit, through the real widgets: the
facts that choose the branches, each step's outcome, a known problem with its fix, a skip with
its reason, resuming after the window closes, and the VNeID status set at the end."""

from __future__ import annotations

from datetime import date

import pytest
import zxingcpp
from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QComboBox, QListWidget
from sqlmodel import select

from fieldkit.core.guide_runs import outcomes_of
from fieldkit.core.guides import load_guide
from fieldkit.core.models import GuideRun, Person
from fieldkit.core.paths import resources_dir
from fieldkit.core.visits import end_visit, open_visit
from fieldkit.ui.guide_window import GuideWindow

from .images import image_array
from .keyboard import type_text

GUIDES = resources_dir() / "guides"


def choose(box: QComboBox, text: str) -> None:
    """Pick an entry the way a keyboard user does, so `activated` fires as it does for her."""
    box.setFocus()
    target = box.findText(text)
    assert target >= 0, text
    key = Qt.Key.Key_Down if target > box.currentIndex() else Qt.Key.Key_Up
    while box.currentIndex() != target:
        QTest.keyClick(box, key)


def click_item(qtbot, view: QListWidget, text: str) -> None:
    items = view.findItems(text, Qt.MatchFlag.MatchStartsWith)
    assert items, text
    rect = view.visualItemRect(items[0])
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def guide_window(qtbot, main_window, make_household):
    """The household of Lò Thị Mai selected, a visit started, the guide window opened from the
    visit panel's button."""

    def open_it(**person) -> tuple[GuideWindow, str]:
        made = make_household("Lò Thị Mai", date_of_birth=date(1968, 4, 2), gender="female",
                              phone="0912345678", **person)
        main_window.refresh_households(select_id=made.household_id)
        panel = main_window.detail.visit_panel
        click(qtbot, panel.start_button)
        click(qtbot, panel.guide_button)
        window = panel.guide_window
        assert window is not None
        qtbot.addWidget(window)
        qtbot.waitExposed(window)
        return window, made.head_id

    return open_it


def current_step(window: GuideWindow) -> str:
    assert window.step_view.step is not None
    return window.step_view.step.id


def test_level1_walk_with_one_problem_sets_her_status(qtbot, main_window, store, guide_window):
    window, mai = guide_window()
    assert window.person.currentText() == "Lò Thị Mai"
    assert "VNeID: Chưa có tài khoản" in window.age.text()
    for field in ("has_smartphone", "phone_has_nfc", "phone_in_own_name"):
        choose(window.facts[field], "Có")
    person = store_person(store, mai)
    assert (person.has_smartphone, person.phone_has_nfc, person.phone_in_own_name) == (
        True, True, True)

    click_item(qtbot, window.guide_list, "Đăng ký tài khoản định danh điện tử mức 1")
    click(qtbot, window.start_button)
    guide = load_guide(GUIDES / "register_level1.json")
    route = guide.walk(window_facts(store, mai))
    assert window.progress.text() == f"Bước 1/{len(route)}"
    assert window.step_view.instruction.text().startswith("Xác nhận người đăng ký")

    while current_step(window) != "face_photo":
        click(qtbot, window.step_view.done_button)
    assert window.progress.text() == f"Bước {route.index('face_photo') + 1}/{len(route)}"
    # Her face is not recognised: the volunteer picks the known problem, reads its fix aloud.
    assert not window.step_view.fix.isVisible()
    click_item(qtbot, window.step_view.problems, "Chụp ảnh chân dung không được")
    assert window.step_view.fix.isVisible()
    assert window.step_view.fix.text().startswith("Cách xử lý:")
    click(qtbot, window.step_view.problem_button)
    assert current_step(window) == "face_photo"  # a problem keeps the run on its step
    assert window.history.item(window.history.count() - 1).text().startswith("! ")

    while window.pages.currentIndex() == 1:
        click(qtbot, window.step_view.done_button)
    # The end of this guide offers level 1; the volunteer confirms it.
    assert window.result.currentData() == "level1"
    click(qtbot, window.finish_button)

    assert "Lò Thị Mai" in window.saved.text() and window.saved.isVisible()
    assert store_person(store, mai).vneid_status == "level1"
    with store.read() as session:
        run = session.exec(select(GuideRun)).one()
        outcomes = outcomes_of(session, run.id)
    assert (run.status, run.result_status) == ("finished", "level1")
    assert [o.step_id for o in outcomes if o.outcome == "problem"] == ["face_photo"]
    assert [o.problem_id for o in outcomes if o.outcome == "problem"] == ["face_capture_fails"]
    assert [o.step_id for o in outcomes if o.outcome == "done"] == route
    # The household screen behind the window shows her new status.
    members = main_window.detail.members
    assert members.item(0, 4).text() == "Mức 1 (đã đăng ký)"

    # Leaving: the visit ends and its summary tells the family what comes next.
    panel = main_window.detail.visit_panel
    choose(panel.outcome, panel.outcome.itemText(1))
    click(qtbot, panel.end_button)
    assert not window.isVisible()
    summary = panel.summary_dialog
    assert summary is not None and summary.isVisible()
    qtbot.addWidget(summary)
    shown = summary.document().toPlainText()
    assert "Lò Thị Mai" in shown and "Chụp ảnh chân dung không được" in shown
    assert "kích hoạt" in shown


def test_a_phone_without_nfc_takes_the_card_qr_steps(qtbot, store, guide_window):
    window, _mai = guide_window()
    choose(window.facts["has_smartphone"], "Có")
    choose(window.facts["phone_has_nfc"], "Không")
    choose(window.facts["phone_in_own_name"], "Có")
    click_item(qtbot, window.guide_list, "Đăng ký tài khoản định danh điện tử mức 1")
    click(qtbot, window.start_button)
    seen = []
    while window.pages.currentIndex() == 1:
        seen.append(current_step(window))
        click(qtbot, window.step_view.done_button)
    assert "scan_card_qr_auth" in seen and "read_chip_nfc" not in seen


def test_a_skip_needs_a_reason_and_never_takes_a_secret(qtbot, store, guide_window):
    window, _mai = guide_window()
    choose(window.facts["has_smartphone"], "Có")
    click_item(qtbot, window.guide_list, "Kích hoạt tài khoản")
    click(qtbot, window.start_button)
    first = current_step(window)
    click(qtbot, window.step_view.skip_button)
    assert window.error.isVisible() and "lý do" in window.error.text()
    window.step_view.reason.setFocus()
    type_text(window.step_view.reason, "OTP 482913")
    click(qtbot, window.step_view.skip_button)
    assert "OTP" in window.error.text() and "482913" not in window.error.text()
    assert current_step(window) == first
    window.step_view.reason.clear()
    type_text(window.step_view.reason, "Bà đã làm bước này ở nhà con gái")
    click(qtbot, window.step_view.skip_button)
    assert not window.error.isVisible()
    assert current_step(window) != first
    assert "bỏ qua: Bà đã làm bước này ở nhà con gái" in window.history.item(0).text()
    with store.read() as session:
        outcomes = outcomes_of(session, session.exec(select(GuideRun)).one().id)
    assert [o.outcome for o in outcomes] == ["skipped"]
    assert "482913" not in outcomes[0].reason


def test_closing_the_window_keeps_the_run_and_reopening_resumes_it(
        qtbot, main_window, store, guide_window):
    window, _mai = guide_window()
    choose(window.facts["has_smartphone"], "Có")
    click_item(qtbot, window.guide_list, "Kích hoạt tài khoản")
    click(qtbot, window.start_button)
    click(qtbot, window.step_view.done_button)
    reached = current_step(window)
    window.close()

    panel = main_window.detail.visit_panel
    click(qtbot, panel.guide_button)
    again = panel.guide_window
    again.back_to_chooser()
    assert again.guide_list.findItems("Kích hoạt tài khoản", Qt.MatchFlag.MatchStartsWith)[
        0].text().endswith("đang làm dở")
    click_item(qtbot, again.guide_list, "Kích hoạt tài khoản")
    click(qtbot, again.start_button)
    assert current_step(again) == reached
    with store.read() as session:
        assert len(session.exec(select(GuideRun)).all()) == 1


def test_guides_for_smartphone_owners_are_greyed_out_without_one(qtbot, store, guide_window):
    window, mai = guide_window()
    choose(window.facts["has_smartphone"], "Không")
    install = window.guide_list.findItems("Cài ứng dụng VNeID", Qt.MatchFlag.MatchStartsWith)[0]
    assert not install.flags() & Qt.ItemFlag.ItemIsEnabled
    # Without a smartphone there is no NFC to ask about, and the stored value is cleared.
    assert not window.facts["phone_has_nfc"].isEnabled()
    assert store_person(store, mai).phone_has_nfc is None
    window.guide_list.setCurrentItem(install)
    assert not window.start()
    assert "phù hợp" in window.error.text()


def test_the_install_step_shows_the_official_store_links_as_scannable_qr(
        qtbot, store, guide_window):
    window, _mai = guide_window()
    choose(window.facts["has_smartphone"], "Có")
    click_item(qtbot, window.guide_list, "Cài ứng dụng VNeID")
    click(qtbot, window.start_button)
    assert not window.step_view.store_box.isVisible()
    while current_step(window) != "open_store":
        click(qtbot, window.step_view.done_button)
    assert window.step_view.store_box.isVisible()
    guide = load_guide(GUIDES / "install_vneid.json")
    decoded = set()
    grid = window.step_view.store_grid
    for index in range(grid.count()):
        pixmap = grid.itemAt(index).widget().pixmap()
        if pixmap is not None and not pixmap.isNull():
            decoded.update(b.text for b in zxingcpp.read_barcodes(image_array(pixmap.toImage())))
    assert decoded == set(guide.store_links.values())
    click(qtbot, window.step_view.done_button)
    assert not window.step_view.store_box.isVisible()


def test_the_secret_reminder_is_shown_apart_on_a_password_step(qtbot, store, guide_window):
    window, _mai = guide_window()
    choose(window.facts["has_smartphone"], "Có")
    click_item(qtbot, window.guide_list, "Kích hoạt tài khoản")
    click(qtbot, window.start_button)
    while current_step(window) != "set_password":
        click(qtbot, window.step_view.done_button)
    assert window.step_view.secret_tips.isVisible()
    assert "tự" in window.step_view.secret_tips.text()


def test_a_visit_ended_elsewhere_stops_the_guide_with_a_reason(qtbot, store, guide_window):
    window, mai = guide_window()
    choose(window.facts["has_smartphone"], "Có")
    click_item(qtbot, window.guide_list, "Kích hoạt tài khoản")
    click(qtbot, window.start_button)
    step = current_step(window)
    # Ended from another window (or by a sync) while this one stayed open.
    with store.write() as session:
        end_visit(session, window.visit_id, "partly")
    click(qtbot, window.step_view.done_button)
    assert "đã kết thúc" in window.error.text()
    assert current_step(window) == step
    with store.read() as session:
        assert open_visit(session, store_person(store, mai).household_id) is None


def test_ending_the_visit_closes_the_guide_window(qtbot, main_window, guide_window):
    window, _mai = guide_window()
    panel = main_window.detail.visit_panel
    choose(panel.outcome, panel.outcome.itemText(1))
    click(qtbot, panel.end_button)
    assert not window.isVisible()
    assert panel.summary_dialog is not None
    qtbot.addWidget(panel.summary_dialog)
    assert "Không có ai được hỗ trợ" in panel.summary_dialog.document().toPlainText()


def store_person(store, person_id: str) -> Person:
    with store.read() as session:
        person = session.get(Person, person_id)
    assert person is not None
    return person


def window_facts(store, person_id: str):
    from fieldkit.core.guide_runs import facts_of

    return facts_of(store_person(store, person_id), date.today())
