"""Help menu: the About box, and the error log saved as one .zip for the IT officer, which must
hold what went on in the session and nothing about the people registered in it."""

import logging
import platform
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, qVersion
from PySide6.QtWidgets import QMenu

from fieldkit.core import app_log
from fieldkit.core.settings import Settings
from fieldkit.core.store import Store, WrongPassphrase
from fieldkit.ui.about_dialog import AboutDialog
from fieldkit.ui.person_dialog import PersonDialog
from tests.conftest import VILLAGE, VOLUNTEER_NAME, VOLUNTEER_PHONE
from tests.ui.test_usb_sync import answered

from .keyboard import press_enter, tick, type_text

CARD = ("001085012345||Lò Văn Pao|15031985|Nam|"
        "Bản Phiêng Luông, Xã Mường Phăng, Tỉnh Điện Biên|20042021")
PERSONAL = ("Lò Văn Pao", "001085012345", "0987654321", "0987 654 321", "15031985",
            "15/03/1985", "1985-03-15", "Mường Phăng", VOLUNTEER_NAME, VOLUNTEER_PHONE)


@pytest.fixture
def app_logging(data_dir: Path) -> Iterator[Path]:
    """The log started as `fieldkit` starts it, before the store is made or unlocked."""
    path = app_log.start_logging(data_dir, "gui")
    assert path is not None
    try:
        yield path
    finally:
        app_log.stop_logging()


def _help_menu_texts(qtbot, store, profile, data_dir) -> tuple[str, list[str]]:
    from fieldkit.ui.main_window import MainWindow

    window = MainWindow(store, profile, data_dir, Settings())
    qtbot.addWidget(window)
    menu = window.menuBar().actions()[-1].menu()
    assert isinstance(menu, QMenu)
    return menu.title(), [action.text() for action in menu.actions()]


def test_help_menu_offers_the_log_and_the_about_box_in_vietnamese(qtbot, store, profile,
                                                                    data_dir):
    title, texts = _help_menu_texts(qtbot, store, profile, data_dir)
    assert title == "Trợ &giúp"
    assert "Gửi nhật ký lỗi…" in texts and "Giới thiệu FieldKit" in texts


def test_help_menu_offers_the_log_and_the_about_box_in_english(qtbot, english, store, profile,
                                                                 data_dir):
    title, texts = _help_menu_texts(qtbot, store, profile, data_dir)
    assert title == "&Help"
    assert "Send error log…" in texts and "About FieldKit" in texts


def test_about_box_shows_version_licence_versions_and_data_folder(qtbot, main_window,
                                                                  data_dir):
    main_window.about_action.trigger()
    dialogs = main_window.findChildren(AboutDialog)
    assert len(dialogs) == 1
    about = dialogs[0]
    qtbot.waitExposed(about)

    assert about.windowTitle() == "Giới thiệu FieldKit"
    assert about.facts["version"].text() == app_log.app_version() == "0.1.0"
    assert about.facts["licence"].text() == "GPL-3.0-or-later"
    assert qVersion() in about.facts["qt"].text()
    assert about.facts["python"].text() == platform.python_version()
    assert about.facts["data"].text() == str(data_dir)


def _register_through_the_window(qtbot, window) -> None:
    """Consent, scan the head's card, type a phone number: as a volunteer registers."""
    item = window.village_list.findItems(VILLAGE, Qt.MatchFlag.MatchContains)[0]
    window.village_list.setCurrentItem(item)
    qtbot.mouseClick(window.new_household_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in window.findChildren(PersonDialog) if d.isVisible())
    page = dialog.consent_page
    page.given_by.setCurrentIndex(page.given_by.findData("self"))
    tick(page.confirm)
    qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    form = dialog.person_form
    for edit, text in ((form.scan, CARD), (form.phone, "0987 654 321")):
        edit.setFocus()
        type_text(edit, text)
        press_enter(edit)
    assert form.full_name.text() == "Lò Văn Pao"
    qtbot.mouseClick(dialog.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: window.model.rowCount() == 1)


def test_sent_log_holds_the_session_and_no_personal_data(qtbot, app_logging, main_window,
                                                         store, data_dir, tmp_path: Path):
    _register_through_the_window(qtbot, main_window)
    with pytest.raises(WrongPassphrase):
        Store.open(data_dir, "a wrong guess")
    # A careless message somewhere: the log file must still not carry the numbers.
    logging.getLogger("fieldkit.somewhere").info("checked card 001085012345, phone 0987654321")
    stick = tmp_path / "usb"
    stick.mkdir()
    target = stick / "log.zip"

    said = answered(qtbot, lambda: main_window.send_error_log(target))

    assert str(target) in said and "không chứa thông tin cá nhân" in said
    assert [p.name for p in stick.iterdir()] == ["log.zip"]  # nothing half-written beside it
    with zipfile.ZipFile(target) as archive:
        assert archive.namelist() == [app_log.INFO_NAME, "fieldkit.log"]
        info = archive.read(app_log.INFO_NAME).decode()
        log = archive.read("fieldkit.log").decode()
    assert f"FieldKit {app_log.app_version()}" in info and f"Qt {qVersion()}" in info
    assert f"Device id: {store.device_id}" in info
    assert "started (gui)" in log and "new store created" in log
    assert "unlock refused: wrong passphrase" in log
    assert "checked card [id-number], phone [phone]" in log
    for personal in PERSONAL:
        assert personal not in info and personal not in log


def test_a_place_that_cannot_be_written_is_reported_clearly(qtbot, app_logging, main_window):
    """sysfs takes no new file, not even from root (which any chmod'ed folder would let in):
    the stand-in for a write-protected stick."""
    read_only = Path("/sys")

    said = answered(qtbot, lambda: not main_window.send_error_log(read_only / "log.zip"))

    assert said.startswith("Không được phép ghi vào /sys: USB có thể đang bị khóa ghi")
    assert not (read_only / "log.zip").exists()


def test_any_other_failure_to_save_is_reported_with_its_cause(qtbot, app_logging, main_window,
                                                              tmp_path):
    not_a_folder = tmp_path / "notes.txt"
    not_a_folder.write_text("a file, where a folder was chosen", encoding="utf-8")

    said = answered(qtbot, lambda: not main_window.send_error_log(not_a_folder / "log.zip"))

    assert said.startswith(f"Không lưu được {not_a_folder / 'log.zip'}: ")
    assert said.endswith("Hãy chọn nơi khác.")
    assert not_a_folder.read_text(encoding="utf-8") == "a file, where a folder was chosen"
