"""The main window by keyboard, on a small laptop screen, in large text and in Vietnamese."""

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, QSize, Qt, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QPushButton

from fieldkit.core.consent import ConsentInput
from fieldkit.core.households import villages
from fieldkit.core.people import create_household, update_person
from fieldkit.ui.main_window import default_size
from fieldkit.ui.person_dialog import PersonDialog
from fieldkit.ui.style import LARGE_POINT_SIZE, apply_style
from fieldkit.ui.village_dialog import VillageDialog
from tests.conftest import VILLAGE

from .keyboard import press_enter, type_text

HEADS = ("Lò Văn Pao", "Lò Thị Mai", "Quàng Văn Sơn")


@pytest.fixture
def households(store, profile) -> list[str]:
    with store.read() as session:
        village_id = villages(session, profile.commune_id)[0].id
    ids = []
    for name in HEADS:
        with store.write() as session:
            household, head = create_household(session, village_id, profile.volunteer_id,
                                               ConsentInput(given_by="self"))
            update_person(session, head.id, "full_name", name)
            ids.append(household.id)
    return ids


@pytest.fixture
def window(qtbot, households, main_window):
    main_window.load_villages()
    main_window.activateWindow()
    qtbot.waitUntil(main_window.isActiveWindow)
    return main_window


def _select_village(window, caption: str) -> None:
    item = window.village_list.findItems(caption, Qt.MatchFlag.MatchContains)[0]
    window.village_list.setCurrentItem(item)


def _open_person_dialogs(window) -> list[PersonDialog]:
    return [d for d in window.findChildren(PersonDialog) if d.isVisible()]


# -- keyboard ------------------------------------------------------------------------------


def test_ctrl_f_focuses_the_search_box_with_its_text_selected(qtbot, window):
    qtbot.keyClicks(window.search, "pao")
    window.village_list.setFocus()
    qtbot.keyClick(window.village_list, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert window.search.hasFocus()
    assert window.search.selectedText() == "pao", "the next search is typed over the last"


def test_ctrl_n_registers_a_household_only_once_a_village_is_chosen(qtbot, window):
    _select_village(window, "Tất cả thôn/bản")
    qtbot.keyClick(window.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert _open_person_dialogs(window) == [], "a household needs its village"

    _select_village(window, VILLAGE)
    window.search.setFocus()
    qtbot.keyClick(window.search, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    dialogs = _open_person_dialogs(window)
    assert len(dialogs) == 1 and dialogs[0].household_id is None
    dialogs[0].close()


@pytest.mark.parametrize("key", [Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down])
def test_enter_or_down_in_the_search_box_goes_to_the_first_result(qtbot, window, key):
    window.search.setFocus()
    type_text(window.search, "lò")
    # At once, before the typing pause refreshes the list: the key must not see old results.
    qtbot.keyClick(window.search, key)
    assert window.table.hasFocus()
    assert window.model.rowCount() == 2
    assert window.table.selectionModel().selectedRows()[0].row() == 0
    assert window.detail.title.text() == window.model.index(0, 0).data()
    assert window.model.index(0, 0).data() in ("Lò Văn Pao", "Lò Thị Mai")


def test_enter_with_no_results_stays_in_the_search_box(qtbot, window):
    window.search.setFocus()
    qtbot.keyClicks(window.search, "khong ai ten nay")
    press_enter(window.search)
    assert window.search.hasFocus()
    assert window.model.rowCount() == 0


# -- screen size ---------------------------------------------------------------------------


def test_default_size_fits_a_small_laptop():
    # 1366x768 with a 40-pixel task bar.
    available = QRect(0, 0, 1366, 728)
    size = default_size(available)
    assert size.width() <= available.width() and size.height() <= available.height() - 30, \
        "room is left for the title bar"
    assert default_size(QRect(0, 0, 2560, 1400)) == QSize(1280, 800)
    assert default_size(None) == QSize(1280, 720)


def test_the_window_fits_the_screen_it_opens_on(window):
    available = window.screen().availableGeometry()
    assert window.width() <= available.width()
    assert window.height() <= available.height()


# -- large text ----------------------------------------------------------------------------


@pytest.fixture
def styled_app() -> Iterator[QApplication]:
    app = QApplication.instance()
    font, sheet = app.font(), app.styleSheet()
    apply_style(app)
    try:
        yield app
    finally:
        app.setFont(font)
        app.setStyleSheet(sheet)


def test_large_text_applies_to_open_widgets_at_once(qtbot, styled_app, window):
    before = window.search.font().pointSize()
    assert before != LARGE_POINT_SIZE
    window.large_text_action.trigger()
    qtbot.waitUntil(lambda: window.search.font().pointSize() == LARGE_POINT_SIZE)
    assert window.table.font().pointSize() == LARGE_POINT_SIZE
    assert window.settings.large_text
    window.large_text_action.trigger()
    qtbot.waitUntil(lambda: window.search.font().pointSize() == before)


# -- Vietnamese buttons --------------------------------------------------------------------


def test_language_notice_has_a_vietnamese_close_button(qtbot, window):
    seen: list[str] = []

    def answer() -> None:
        box = QApplication.activeModalWidget()
        assert isinstance(box, QMessageBox)
        seen.extend(button.text() for button in box.buttons())
        press_enter(box)

    QTimer.singleShot(0, answer)
    window.set_language("en")
    assert seen == ["Đóng"]
    assert window.settings.language == "en"


def test_village_dialog_buttons_are_vietnamese_and_enter_adds(qtbot, store, profile):
    dialog = VillageDialog(store, profile.commune_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    captions = {button.text() for button in dialog.findChildren(QPushButton)}
    assert captions == {"Thêm", "Hủy"}
    dialog.name.setFocus()
    type_text(dialog.name, "Nà Hang")
    with qtbot.waitSignal(dialog.accepted):
        press_enter(dialog.name)
    with store.read() as session:
        names = [village.name for village in villages(session, profile.commune_id)]
    assert dialog.village_id is not None and "Nà Hang" in " ".join(names)


def test_village_dialog_cancel_adds_nothing(qtbot, store, profile):
    dialog = VillageDialog(store, profile.commune_id)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    type_text(dialog.name, "Nà Hang")
    with qtbot.waitSignal(dialog.rejected):
        qtbot.mouseClick(dialog.cancel_button, Qt.MouseButton.LeftButton)
    with store.read() as session:
        assert len(villages(session, profile.commune_id)) == 1
