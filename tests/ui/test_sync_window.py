"""Sync from the main window, against a real commune server over real HTTP: enrol by pasting
the QR text, press Sync and watch the status, see another laptop's households arrive, and
settle a conflict by comparing both versions."""

from __future__ import annotations

import json

import pytest
from PySide6.QtCore import Qt
from sqlalchemy import text

from fieldkit.core.models import Person
from fieldkit.core.people import update_person
from fieldkit.sync_client.runner import sync
from tests.conftest import first_commune_code
from tests.e2e.sync_laptops import FAST_RETRY, enrolled, new_laptop
from tests.live_server import LiveServer

from .keyboard import type_text


@pytest.fixture
def server(sync_server: LiveServer) -> LiveServer:
    return sync_server


def sync_from_window(qtbot, window) -> None:
    status = window.sync_status
    with qtbot.waitSignal(status.synced, timeout=60_000):
        qtbot.mouseClick(status.button, Qt.MouseButton.LeftButton)


def test_enrol_by_pasting_the_qr_text_then_sync(qtbot, main_window, store, server,
                                                make_household, tmp_path):
    assert main_window.sync_status.message.text() == "Chưa đăng ký với máy chủ xã"
    made = make_household("Lò Văn Pao")
    dialog = main_window.open_enrolment()
    qtbot.addWidget(dialog)
    qr_text = json.dumps({"url": server.url, "code": server.enrolment_code(
        first_commune_code())})
    dialog.code.setFocus()
    type_text(dialog.code, qr_text)  # what a USB scanner types
    assert dialog.url.text() == server.url and not dialog.code.text().startswith("{")
    qtbot.mouseClick(dialog.enrol_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: dialog.done_label.isVisible() or dialog.error.isVisible(),
                    timeout=30_000)
    assert not dialog.error.isVisible(), dialog.error.text()
    assert "Đã đăng ký" in dialog.done_label.text()
    dialog.close()

    sync_from_window(qtbot, main_window)
    assert main_window.sync_status.message.text().startswith("Đồng bộ lần cuối")
    assert store.outbox_size() == 0
    with server.engine.connect() as conn:
        on_server = conn.execute(text("SELECT head_name FROM household WHERE id = :id"),
                                 {"id": made.household_id}).scalar_one()
    assert on_server == "Lò Văn Pao"

    # Another laptop of the commune registers a family; it shows up here after a sync.
    other = enrolled(new_laptop(tmp_path / "b", "b"), server, "b")
    try:
        other.register("Giàng Thị Dợ", ["Giàng A Sử"])
        sync(other.store, retry=FAST_RETRY)
    finally:
        other.store.close()
    sync_from_window(qtbot, main_window)
    main_window.village_list.setCurrentRow(0)  # every village, the other laptop's included
    main_window.search.setText("giang thi do")
    main_window.refresh_households()
    assert main_window.model.rowCount() == 1


def test_a_conflict_is_shown_side_by_side_and_settled_by_the_volunteer(
        qtbot, main_window, store, server, make_household, tmp_path):
    from fieldkit.sync_client.enrol import enrol

    made = make_household("Lò Thị Mai")
    enrol(store, server.url, server.enrolment_code(first_commune_code()), retry=FAST_RETRY)
    sync_from_window(qtbot, main_window)
    other = enrolled(new_laptop(tmp_path / "b", "b", village=None), server, "b")
    try:
        sync(other.store, retry=FAST_RETRY)
        with other.store.write() as session:
            update_person(session, made.head_id, "phone", "0987654321")
        sync(other.store, retry=FAST_RETRY)
    finally:
        other.store.close()
    with store.write() as session:
        update_person(session, made.head_id, "phone", "0912345678")

    sync_from_window(qtbot, main_window)
    assert "xung đột" in main_window.sync_status.message.text()
    dialog = main_window.open_sync_issues()
    qtbot.addWidget(dialog)
    assert dialog.tabs.tabText(0) == "Xung đột (1)"
    assert dialog.conflict_list.item(0).text() == "Thành viên: Lò Thị Mai"
    rows = {dialog.compare.item(r, 0).text(): (dialog.compare.item(r, 1).text(),
                                               dialog.compare.item(r, 2).text())
            for r in range(dialog.compare.rowCount())}
    assert rows["phone"] == ("0912345678", "0987654321")  # both versions kept

    qtbot.mouseClick(dialog.keep_server, Qt.MouseButton.LeftButton)
    assert dialog.tabs.tabText(0) == "Xung đột (0)"
    with store.read() as session:
        assert session.get(Person, made.head_id).phone == "0987654321"


def test_practice_data_has_no_sync(qtbot, tmp_path):
    from fieldkit.core.demo import open_demo
    from fieldkit.core.profile import load_profile
    from fieldkit.core.settings import Settings
    from fieldkit.ui.main_window import MainWindow

    demo = open_demo(tmp_path)
    try:
        window = MainWindow(demo, load_profile(demo), tmp_path, Settings())
        qtbot.addWidget(window)
        assert not window.sync_status.button.isEnabled()
        assert not window.sync_action.isEnabled() and not window.enrol_action.isEnabled()
        assert not window.sync_status.start(auto=False)
        assert not window.sync_status.timer.isActive()
        window.close()
    finally:
        demo.close()
