"""Sync by USB stick from the real main window: export the pending work, the commune imports
it on its server, the answer file is read back and the window shows what arrived."""

from pathlib import Path

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox

from fieldkit.sync_client.enrol import enrol
from fieldkit_server.sync_files import import_sync_file
from tests.conftest import first_commune_code


def answered(qtbot, action) -> str:
    """Run `action`, which ends on a message box; returns the box's text, the box closed."""
    said: list[str] = []

    def close_box() -> None:
        for box in QApplication.topLevelWidgets():
            if isinstance(box, QMessageBox) and box.isVisible():
                said.append(box.text())
                box.accept()
                return
        QTimer.singleShot(20, close_box)

    QTimer.singleShot(20, close_box)
    assert action()
    qtbot.waitUntil(lambda: bool(said))
    return said[0]


def test_export_then_the_commune_answer_brings_the_laptop_up_to_date(
        qtbot, main_window, store, make_household, sync_server, tmp_path: Path):
    enrol(store, sync_server.url, sync_server.enrolment_code(first_commune_code()), "Máy A")
    make_household("Lò Văn Pao")
    pending = store.pending_changes()
    stick = tmp_path / "usb"
    stick.mkdir()
    said = answered(qtbot, lambda: main_window.export_to_usb(stick / "a.fksync"))
    assert f"Đã ghi {pending} thay đổi" in said
    assert store.pending_changes() == pending  # kept until the commune answers

    answer, done = import_sync_file(sync_server.engine, (stick / "a.fksync").read_bytes(),
                                    "minh")
    (stick / "answer.fksync").write_bytes(answer)
    said = answered(qtbot, lambda: main_window.import_from_usb(stick / "answer.fksync"))
    assert f"đã nhận {done.statuses['applied']} thay đổi mới" in said
    assert store.pending_changes() == 0


def test_a_file_that_is_not_an_answer_is_refused_with_the_reason(
        qtbot, main_window, store, sync_server, tmp_path: Path):
    enrol(store, sync_server.url, sync_server.enrolment_code(first_commune_code()), "Máy A")
    stray = tmp_path / "photo.fksync"
    stray.write_bytes(b"\x89PNG not a sync file")
    said: list[str] = []

    def close_box() -> None:
        for box in QApplication.topLevelWidgets():
            if isinstance(box, QMessageBox) and box.isVisible():
                said.append(box.text())
                box.accept()
                return
        QTimer.singleShot(20, close_box)

    QTimer.singleShot(20, close_box)
    assert not main_window.import_from_usb(stray)
    assert said == ["Đây không phải tệp đồng bộ FieldKit."]


def test_practice_data_cannot_be_exported(qtbot, data_dir):
    from fieldkit.core.demo import open_demo
    from fieldkit.core.profile import load_profile
    from fieldkit.core.settings import Settings
    from fieldkit.ui.main_window import MainWindow

    demo = open_demo(data_dir / "demo")
    try:
        window = MainWindow(demo, load_profile(demo), data_dir, Settings())
        qtbot.addWidget(window)
        assert not window.usb_export_action.isEnabled()
        assert not window.usb_import_action.isEnabled()
    finally:
        demo.close()
