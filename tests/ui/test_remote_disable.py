"""Remote disable in the app, against a real commune server over real HTTP: a sync (the button
or the automatic one) that hears "revoked" closes the main window to the locked screen, which
says why; unlocking a locked store shows that screen instead of the main window; and a new
code typed there (after the officer readmits the laptop) opens the app and sends the kept
work, once."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from shiboken6 import isValid
from sqlalchemy import select, text

from fieldkit.core.columns import as_utc
from fieldkit.core.models import Visit
from fieldkit.core.revocation import local_time, revocation_of
from fieldkit.core.settings import Settings
from fieldkit.core.visits import open_visit
from fieldkit.sync_client.client import Revoked
from fieldkit.sync_client.enrol import enrol
from fieldkit.sync_client.runner import sync
from fieldkit.ui.app import Controller
from fieldkit.ui.disabled_window import DisabledWindow
from fieldkit.ui.main_window import MainWindow
from fieldkit.ui.unlock_window import UnlockWindow
from fieldkit_server.devices import readmit_device, revoke_device
from fieldkit_server.tables import device
from tests.conftest import PASSPHRASE, first_commune_code
from tests.e2e.sync_laptops import FAST_RETRY
from tests.live_server import LiveServer

from .keyboard import type_text

NOTE = "Đã hướng dẫn bà kích hoạt tài khoản mức 1."


@pytest.fixture
def server(sync_server: LiveServer) -> LiveServer:
    return sync_server


@pytest.fixture
def controller(qtbot) -> Iterator[Controller]:
    made: list[Controller] = []

    def make(data_dir) -> Controller:
        made.append(Controller(QApplication.instance(), data_dir, Settings()))
        return made[-1]

    yield make
    for one in made:
        one._close_all()


def visible_windows() -> list:
    return [w for w in QApplication.topLevelWidgets() if w.isVisible()
            and not isinstance(w, QMessageBox)]


def server_rows(server: LiveServer, table: str) -> int:
    with server.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def revoked_at(server: LiveServer, device_id: str):
    with server.engine.connect() as conn:
        return as_utc(conn.execute(select(device.c.revoked_at)
                                   .where(device.c.id == device_id)).scalar_one())


@pytest.mark.parametrize("how", ["button", "background"])
def test_a_sync_that_hears_revoked_closes_the_app_to_the_locked_screen(
        qtbot, how, store, data_dir, server, make_household, controller):
    made = make_household("Lò Thị Mai")
    enrol(store, server.url, server.enrolment_code(first_commune_code()), retry=FAST_RETRY)
    sync(store, retry=FAST_RETRY)
    make_household("Cầm Văn Pao")  # not sent yet
    pending, outbox = store.pending_changes(), store.outbox_size()
    app = controller(data_dir)
    app.show_main(store)
    main = app.window
    assert isinstance(main, MainWindow)
    # A visit note still waiting for its pause, and a member's details open beside it.
    main.refresh_households(select_id=made.household_id)
    panel = main.detail.visit_panel
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    panel.notes.setFocus()
    type_text(panel.notes, NOTE)
    dialog = main.edit_person(made.head_id)
    assert dialog.isVisible()

    assert revoke_device(server.engine, store.device_id)
    when = revoked_at(server, store.device_id)
    if how == "button":
        qtbot.mouseClick(main.sync_status.button, Qt.MouseButton.LeftButton)
    else:
        main.sync_status.timer.start(1)  # the automatic round, due now
    qtbot.waitUntil(lambda: isinstance(app.window, DisabledWindow), timeout=30_000)

    locked = app.window
    qtbot.addWidget(locked)
    for gone in (main, dialog):  # closed, and maybe deleted already (deleteLater)
        assert not isValid(gone) or not gone.isVisible()
    assert visible_windows() == [locked], "nothing with personal data stays on screen"
    assert local_time(when) in locked.reason.text()
    assert server.url in locked.reason.text()
    # Marked, token forgotten, and nothing lost: the visit and its open note were saved on
    # the way out, and are counted among the records kept for later.
    assert revocation_of(store) is not None and "device_token" not in store.meta
    assert app.store is store
    assert store.pending_changes() == pending + 1 and store.outbox_size() > outbox
    assert f"{pending + 1} bản ghi chưa gửi" in locked.kept.text()
    with store.read() as session:
        visit = open_visit(session, made.household_id)
        assert visit is not None and session.get(Visit, visit.id).notes == NOTE
    assert server_rows(server, "household") == 1


def test_unlocking_a_locked_store_shows_the_locked_screen_and_a_new_code_opens_the_app(
        qtbot, store, data_dir, server, make_household, controller):
    make_household("Lò Thị Mai")
    enrol(store, server.url, server.enrolment_code(first_commune_code()), retry=FAST_RETRY)
    sync(store, retry=FAST_RETRY)
    make_household("Cầm Văn Pao", members=("Cầm Thị Dung",))
    pending = store.pending_changes()
    assert revoke_device(server.engine, store.device_id)
    with pytest.raises(Revoked):
        sync(store, retry=FAST_RETRY)
    store.close()

    app = controller(data_dir)
    unlock = app.first_window()
    assert isinstance(unlock, UnlockWindow)
    unlock.unlock_with(PASSPHRASE)
    locked = app.window
    assert isinstance(locked, DisabledWindow), "a locked store never opens the main window"
    # Not handed to qtbot: the app itself closes and deletes this window once the new code
    # opens the main window (the `controller` fixture closes whatever is left).
    assert visible_windows() == [locked]
    reopened = app.store
    assert reopened is not None and reopened is not store

    # Before the officer readmits the laptop, a new code is refused by the server; it stays
    # locked and says why.
    locked.code.setFocus()
    type_text(locked.code, server.enrolment_code(first_commune_code()))
    qtbot.mouseClick(locked.enrol_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(locked.error.isVisible, timeout=30_000)
    assert "thu hồi" in locked.error.text()
    assert app.window is locked and revocation_of(reopened) is not None

    # Readmitted: the code from the QR (scanned into the field) opens the app.
    assert readmit_device(server.engine, reopened.device_id)
    locked.code.clear()
    qr = json.dumps({"url": server.url, "code": server.enrolment_code(first_commune_code())})
    type_text(locked.code, qr)
    assert not locked.code.text().startswith("{")
    qtbot.mouseClick(locked.enrol_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: isinstance(app.window, MainWindow), timeout=30_000)
    main = app.window
    assert revocation_of(reopened) is None and reopened.meta["device_token"]
    # The kept work goes up at once, each row exactly once.
    qtbot.waitUntil(lambda: main.sync_status.call is not None
                    and not main.sync_status.call.running()
                    and main.sync_status.message.text().startswith("Đồng bộ lần cuối"),
                    timeout=60_000)
    assert reopened.outbox_size() == 0 and pending > 0
    assert server_rows(server, "household") == 2
    assert server_rows(server, "person") == 3
    assert visible_windows() == [main]


def test_the_locked_screen_speaks_english_when_asked(qtbot, store, server, english):
    enrol(store, server.url, server.enrolment_code(first_commune_code()), retry=FAST_RETRY)
    assert revoke_device(server.engine, store.device_id)
    with pytest.raises(Revoked):
        sync(store, retry=FAST_RETRY)
    locked = DisabledWindow(store, revocation_of(store))
    qtbot.addWidget(locked)
    assert locked.enrol_button.text() == "Enrol again"
    assert "revoked this laptop's right to sync" in locked.reason.text()
    assert server.url in locked.reason.text()
