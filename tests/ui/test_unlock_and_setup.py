"""Getting in and being locked out: first-launch setup, unlocking, auto-lock and Ctrl+L lock."""

from pathlib import Path

import psutil
import pytest
from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit

from fieldkit.core import paths
from fieldkit.core.profile import load_profile
from fieldkit.core.settings import Settings
from fieldkit.core.store import Store
from fieldkit.ui.app import Controller
from fieldkit.ui.idle_lock import IdleLock
from fieldkit.ui.main_window import MainWindow
from fieldkit.ui.person_dialog import PersonDialog
from fieldkit.ui.setup_window import SetupWindow
from fieldkit.ui.unlock_window import UnlockWindow
from tests.conftest import PASSPHRASE

from .keyboard import press_enter, type_text


def no_wait() -> None:
    """The heavy modules are already imported in the test process."""


def _type(edit: QLineEdit, text: str) -> None:
    edit.setFocus()
    type_text(edit, text)


# -- unlock --------------------------------------------------------------------------------


@pytest.fixture
def closed_store_dir(store: Store, data_dir: Path) -> Path:
    store.close()
    return data_dir


@pytest.fixture
def unlock_window(qtbot, closed_store_dir: Path) -> UnlockWindow:
    window = UnlockWindow(closed_store_dir, no_wait)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def test_wrong_passphrase_is_refused_in_vietnamese(qtbot, unlock_window):
    window = unlock_window
    assert not window.error.isVisible()
    with qtbot.assertNotEmitted(window.unlocked):
        _type(window.passphrase, "mật khẩu sai rồi")
        press_enter(window.passphrase)
    assert window.error.isVisible()
    assert "Sai" in window.error.text()
    assert window.isVisible(), "the unlock window stays up for another try"


def test_right_passphrase_unlocks_the_store(qtbot, unlock_window):
    window = unlock_window
    _type(window.passphrase, "mật khẩu sai rồi")
    press_enter(window.passphrase)
    assert window.error.isVisible()

    window.passphrase.selectAll()
    with qtbot.waitSignal(window.unlocked, timeout=10_000) as blocker:
        type_text(window.passphrase, PASSPHRASE)
        press_enter(window.passphrase)
    opened = blocker.args[0]
    try:
        assert isinstance(opened, Store)
        profile = load_profile(opened)
        assert profile is not None and profile.volunteer_name == "Lò Thị Linh"
        assert window.passphrase.text() == "", "the passphrase does not linger in the field"
    finally:
        opened.close()


# -- first-launch setup ------------------------------------------------------------------


@pytest.fixture
def fresh_dir(tmp_path: Path) -> Path:
    return tmp_path / "fresh"


@pytest.fixture
def setup_window(qtbot, fresh_dir: Path) -> SetupWindow:
    window = SetupWindow(fresh_dir, no_wait)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


def _fill(window: SetupWindow, passphrase: str, repeat: str, pick_commune: bool = True) -> None:
    _type(window.name, "Lò Thị Linh")
    _type(window.phone, "0912 345 678")
    window.province.setCurrentIndex(1)
    assert window.commune.count() > 0, "choosing a province lists its communes"
    if pick_commune:
        window.commune.setCurrentIndex(0)
    _type(window.passphrase, passphrase)
    _type(window.repeat, repeat)


def _files(directory: Path) -> list[Path]:
    return sorted(directory.rglob("*")) if directory.exists() else []


def test_setup_creates_a_store_with_the_volunteer_profile(qtbot, setup_window, fresh_dir):
    window = setup_window
    _fill(window, "cụm mật khẩu dài", "cụm mật khẩu dài")
    province, commune = window.province.currentText(), window.commune.itemText(0)
    with qtbot.waitSignal(window.unlocked, timeout=20_000) as blocker:
        qtbot.mouseClick(window.button, Qt.MouseButton.LeftButton)
    created = blocker.args[0]
    try:
        assert paths.store_exists(fresh_dir)
        profile = load_profile(created)
        assert profile is not None
        assert (profile.volunteer_name, profile.commune_name, profile.province_name) == \
            ("Lò Thị Linh", commune, province)
    finally:
        created.close()
    reopened = Store.open(fresh_dir, "cụm mật khẩu dài")
    try:
        assert load_profile(reopened) == profile
    finally:
        reopened.close()


def test_mismatched_passphrases_create_nothing(qtbot, setup_window, fresh_dir):
    window = setup_window
    _fill(window, "cụm mật khẩu dài", "cụm mật khẩu dai")
    with qtbot.assertNotEmitted(window.unlocked):
        qtbot.mouseClick(window.button, Qt.MouseButton.LeftButton)
    assert window.error.isVisible()
    assert "không khớp" in window.error.text()
    assert _files(fresh_dir) == []


def test_missing_commune_creates_nothing(qtbot, setup_window, fresh_dir):
    window = setup_window
    _fill(window, "cụm mật khẩu dài", "cụm mật khẩu dài", pick_commune=False)
    with qtbot.assertNotEmitted(window.unlocked):
        qtbot.mouseClick(window.button, Qt.MouseButton.LeftButton)
    assert window.error.isVisible()
    assert "xã/phường" in window.error.text()
    assert _files(fresh_dir) == []


def test_setup_starts_again_after_an_interrupted_setup(qtbot, setup_window, fresh_dir):
    # A setup killed before its key file was written leaves a database nobody can open.
    fresh_dir.mkdir(parents=True)
    paths.db_path(fresh_dir).write_bytes(b"remains of an interrupted setup")
    window = setup_window
    _fill(window, "cụm mật khẩu dài", "cụm mật khẩu dài")
    with qtbot.waitSignal(window.unlocked, timeout=20_000) as blocker:
        qtbot.mouseClick(window.button, Qt.MouseButton.LeftButton)
    created = blocker.args[0]
    try:
        assert paths.store_exists(fresh_dir)
        profile = load_profile(created)
        assert profile is not None and profile.volunteer_name == "Lò Thị Linh"
    finally:
        created.close()


def test_setup_shows_why_it_cannot_create_the_store(qtbot, setup_window, fresh_dir):
    # Key parameters without a database (the database was moved away): setup must not write
    # over them, and must say so on screen rather than fail silently.
    fresh_dir.mkdir(parents=True)
    key_file = paths.key_path(fresh_dir)
    key_file.write_text('{"kdf": "scrypt"}', encoding="utf-8")
    window = setup_window
    _fill(window, "cụm mật khẩu dài", "cụm mật khẩu dài")
    with qtbot.assertNotEmitted(window.unlocked):
        qtbot.mouseClick(window.button, Qt.MouseButton.LeftButton)
    assert window.error.isVisible()
    assert "Đã có dữ liệu FieldKit" in window.error.text()
    assert key_file.read_text(encoding="utf-8") == '{"kdf": "scrypt"}'
    assert QApplication.overrideCursor() is None, "the wait cursor is not left behind"


# -- auto-lock ---------------------------------------------------------------------------


@pytest.fixture
def typing_target(qtbot) -> QLineEdit:
    edit = QLineEdit()
    qtbot.addWidget(edit)
    edit.show()
    qtbot.waitExposed(edit)
    return edit


def test_idle_lock_fires_after_idle_time(qtbot, typing_target):
    fired: list[int] = []
    idle = IdleLock(QApplication.instance(), 200, lambda: fired.append(1))
    try:
        qtbot.waitUntil(lambda: fired == [1], timeout=5_000)
    finally:
        idle.stop()


def test_key_presses_postpone_the_idle_lock(qtbot, typing_target):
    presses = 12  # one every 60 ms: together far longer than the 200 ms idle time
    sent: list[int] = []
    fired_after: list[int] = []

    def press() -> None:
        type_text(typing_target, "a")
        sent.append(1)
        if len(sent) == presses:
            ticker.stop()

    ticker = QTimer()
    ticker.setInterval(60)
    ticker.timeout.connect(press)
    idle = IdleLock(QApplication.instance(), 200, lambda: fired_after.append(len(sent)))
    ticker.start()
    try:
        qtbot.waitUntil(lambda: fired_after != [], timeout=10_000)
    finally:
        ticker.stop()
        idle.stop()
    assert fired_after == [presses], "the lock must wait until the typing has stopped"
    assert typing_target.text() == "a" * presses


def test_idle_lock_stop_cancels_it(qtbot, typing_target):
    fired: list[int] = []
    idle = IdleLock(QApplication.instance(), 100, lambda: fired.append(1))
    idle.stop()
    control: list[int] = []
    other = IdleLock(QApplication.instance(), 300, lambda: control.append(1))
    try:
        qtbot.waitUntil(lambda: control == [1], timeout=5_000)
    finally:
        other.stop()
    assert fired == []


# -- locking -----------------------------------------------------------------------------


def _open_store_files(data_dir: Path) -> list[str]:
    root = str(data_dir.resolve())
    return [f.path for f in psutil.Process().open_files() if f.path.startswith(root)]


def test_lock_closes_main_window_and_store_and_asks_for_the_passphrase(qtbot, store, data_dir):
    app = QApplication.instance()
    controller = Controller(app, data_dir, Settings())
    controller.show_main(store)
    main = controller.window
    assert isinstance(main, MainWindow) and main.isVisible()
    dialog = main.new_household()
    assert isinstance(dialog, PersonDialog) and dialog.isVisible()
    assert _open_store_files(data_dir), "an unlocked store holds its database open"

    controller.lock()
    unlock = controller.window
    qtbot.addWidget(unlock)

    assert not main.isVisible()
    assert not dialog.isVisible(), "no window showing personal data survives the lock"
    assert isinstance(unlock, UnlockWindow) and unlock.isVisible()
    assert controller.store is None
    assert controller.idle is None
    assert _open_store_files(data_dir) == [], "the locked store keeps no database file open"
    visible = [w for w in app.topLevelWidgets() if w.isVisible()]
    assert visible == [unlock]


def test_retry_after_a_refused_profile_reuses_the_new_store(qtbot, setup_window, fresh_dir,
                                                            monkeypatch):
    # The store is made before the profile is saved; if the profile is refused, creating the
    # store again would be refused as existing data and the volunteer could never finish.
    from fieldkit.core import profile as profile_module
    from fieldkit.core.errors import FieldError

    real_set_up = profile_module.set_up_profile
    calls: list[object] = []

    def refuse_once(store, *args):
        calls.append(store)
        if len(calls) == 1:
            raise FieldError("full_name", ["Tên này chưa được nhận, hãy thử lại."])
        return real_set_up(store, *args)

    monkeypatch.setattr(profile_module, "set_up_profile", refuse_once)
    window = setup_window
    _fill(window, "cụm mật khẩu dài", "cụm mật khẩu dài")
    with qtbot.assertNotEmitted(window.unlocked):
        qtbot.mouseClick(window.button, Qt.MouseButton.LeftButton)
    assert "hãy thử lại" in window.error.text()
    assert paths.store_exists(fresh_dir)
    assert not window.passphrase.isVisible() and not window.repeat.isVisible(), \
        "the passphrase is settled once the store exists"
    assert window.passphrase.text() == "", "the passphrase does not linger in the field"

    with qtbot.waitSignal(window.unlocked, timeout=20_000) as blocker:
        qtbot.mouseClick(window.button, Qt.MouseButton.LeftButton)
    created = blocker.args[0]
    try:
        assert calls == [created, created], "the retry used the store made the first time"
        profile = load_profile(created)
        assert profile is not None and profile.volunteer_name == "Lò Thị Linh"
    finally:
        created.close()
    reopened = Store.open(fresh_dir, "cụm mật khẩu dài")
    try:
        assert load_profile(reopened) == profile
    finally:
        reopened.close()
