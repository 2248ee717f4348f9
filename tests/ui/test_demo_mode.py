"""Demo mode as a trainer uses it: the sandbox opens without a passphrase, every window says it
is practice, a scenario opens its household at the right guide, reset brings the seed back,
and switching between the sandbox and real data never mixes the two."""

from __future__ import annotations

from pathlib import Path

import psutil
import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QDialog, QLabel, QVBoxLayout
from sqlalchemy import text

from fieldkit.core import paths
from fieldkit.core.demo import demo_data_dir
from fieldkit.core.settings import Settings
from fieldkit.ui.app import Controller
from fieldkit.ui.demo_mode import BANNER_NAME, DemoLoading, has_banner
from fieldkit.ui.main_window import MainWindow
from fieldkit.ui.unlock_window import UnlockWindow


def wait_for_main(qtbot, controller: Controller) -> MainWindow:
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow), timeout=60_000)
    window = controller.window
    assert isinstance(window, MainWindow)
    return window  # the controller closes and deletes it: not handed to qtbot


@pytest.fixture
def demo(qtbot, tmp_path: Path):
    """A Controller started as `fieldkit --demo` over an empty data directory."""
    controller = Controller(QApplication.instance(), tmp_path / "data", Settings(), demo=True)
    loading = controller.first_window()
    assert isinstance(loading, DemoLoading)
    yield controller, wait_for_main(qtbot, controller)
    controller._close_all()
    controller._mark_practice(False)


def visible_banner(window) -> QLabel | None:
    banner = window.findChild(QLabel, BANNER_NAME)
    return banner if banner is not None and banner.isVisible() else None


def test_the_sandbox_opens_without_a_passphrase_and_says_it_is_practice(demo, tmp_path):
    controller, window = demo
    assert controller.store.is_demo
    assert visible_banner(window) is not None
    assert "THỰC HÀNH" in visible_banner(window).text()
    assert window.windowTitle().startswith("[THỰC HÀNH]")
    assert "không bao giờ đồng bộ" in window.statusBar().currentMessage()
    assert window.model.rowCount() > 190
    # The sandbox lives in its own directory; no real store was made beside it.
    assert paths.store_exists(demo_data_dir(tmp_path / "data"))
    assert not paths.store_exists(tmp_path / "data")


def test_every_other_window_gets_the_banner_too(qtbot, demo):
    _controller, window = demo
    window.table.selectRow(0)
    dialog = window.edit_person(window.detail.members.item(0, 0).data(Qt.ItemDataRole.UserRole))
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    assert has_banner(dialog) and visible_banner(dialog) is not None
    assert dialog.windowTitle().startswith("[THỰC HÀNH]")
    picker = window.detail.open_forms()
    qtbot.addWidget(picker)
    assert visible_banner(picker) is not None


@pytest.mark.parametrize(("scenario", "guide_title", "second_step"), [
    ("grandmother_no_smartphone", "Đăng ký tài khoản định danh điện tử mức 1", "no_smartphone"),
    ("phone_no_nfc", "Đăng ký tài khoản định danh điện tử mức 1", "open_app"),
    ("number_not_own_name", "Đăng ký tài khoản định danh điện tử mức 1", "fix_number_owner"),
    ("newborn", "Liên thông khai sinh", None),
])
def test_a_scenario_opens_its_household_at_the_right_guide(qtbot, demo, scenario, guide_title,
                                                          second_step):
    _controller, window = demo
    action = window.scenario_actions[scenario]
    action.trigger()
    guide_window = window.detail.visit_panel.guide_window
    assert guide_window is not None and guide_window.isVisible()
    qtbot.addWidget(guide_window)
    assert visible_banner(guide_window) is not None
    assert window.detail.visit_panel.visit_id is not None  # a visit was started for it
    assert guide_window.pages.currentIndex() == 1
    assert guide_window.heading.text().startswith(guide_title)
    if second_step is not None:
        guide_window.record("done")
        assert guide_window.step_view.step.id == second_step


def test_reset_brings_back_the_seed(qtbot, demo):
    controller, window = demo
    households = window.model.rowCount()
    window.scenario_actions["phone_no_nfc"].trigger()
    window.detail.visit_panel.guide_window.record("done")
    with controller.store.read() as session:
        assert session.execute(text("SELECT count(*) FROM guide_run")).scalar() == 1

    controller.reset_demo()
    qtbot.waitUntil(lambda: isinstance(controller.window, MainWindow)
                    and controller.window is not window, timeout=60_000)
    fresh = controller.window
    with controller.store.read() as session:
        assert session.execute(text("SELECT count(*) FROM guide_run")).scalar() == 0
        assert session.execute(text("SELECT count(*) FROM visit")).scalar() == 0
    assert fresh.model.rowCount() == households


def test_switching_from_real_data_to_practice_and_back(qtbot, store, data_dir):
    controller = Controller(QApplication.instance(), data_dir, Settings())
    controller.show_main(store)
    real = controller.window
    real.demo_action.trigger()
    practice = wait_for_main(qtbot, controller)
    assert controller.store.is_demo and practice.banner is not None
    assert [w for w in QApplication.topLevelWidgets() if w.isVisible()] == [practice]
    real_db = str(paths.db_path(data_dir).resolve())
    assert not [f for f in psutil.Process().open_files() if f.path.startswith(real_db)], \
        "the real store was closed, not left open behind the practice data"

    practice.leave_demo_requested.emit()
    unlock = controller.window
    qtbot.addWidget(unlock)
    assert isinstance(unlock, UnlockWindow)  # back to real data: the passphrase again
    assert controller.store is None and controller.marker is None
    # Windows opened for real data are no longer marked as practice.
    dialog = QDialog()
    QVBoxLayout(dialog).addWidget(QLabel("Lò Thị Mai"))
    qtbot.addWidget(dialog)
    dialog.show()
    assert not has_banner(dialog) and not dialog.windowTitle().startswith("[THỰC HÀNH]")
