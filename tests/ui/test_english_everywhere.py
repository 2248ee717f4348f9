"""A volunteer who picked English sees no Vietnamese on the main screens, a form page showing a
validation error, or a guide step: the Qt strings come from the .qm file, and the messages and
labels made in core (validation, vocabulary, forms, guides) from core's English catalogue.
People's names and village names are data and stay as they were written."""

import re
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QComboBox,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPlainTextEdit,
    QTabWidget,
    QTextEdit,
    QWidget,
)
from sqlmodel import select

from fieldkit.core.dates import format_vn_date
from fieldkit.core.ethnicity import ETHNIC_GROUPS
from fieldkit.core.models import Village
from fieldkit.core.settings import Settings
from fieldkit.ui.form_picker import FormPicker
from fieldkit.ui.form_widgets import LineInput
from fieldkit.ui.form_window import FormWindow
from fieldkit.ui.guide_window import GuideWindow
from fieldkit.ui.main_window import MainWindow

from .keyboard import replace_text

VIETNAMESE_ONLY = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]",
                             re.IGNORECASE)
# Words shown exactly as the phone or a paper shows them ("Kích hoạt tài khoản" (activate
# account)) are quoted, so the volunteer can find them on the Vietnamese screen.
QUOTED = re.compile(r'"[^"]*"|“[^”]*”')
HEAD, MEMBER, ADDRESS = "Lò Văn Pao", "Lò Thị Mai", "Bản Phiêng Luông"


@pytest.fixture
def window(qtbot, english, store, profile, data_dir, make_household) -> MainWindow:
    made = make_household(HEAD, id_number="001085012345", date_of_birth=date(1985, 5, 2),
                          gender="male", phone="0912345678", address=ADDRESS,
                          members=(MEMBER,))
    main = MainWindow(store, profile, data_dir, Settings(language="en"))
    qtbot.addWidget(main)
    main.show()
    qtbot.waitExposed(main)
    main.refresh_households(select_id=made.household_id)
    main.household_id = made.household_id
    return main


def _data(store, profile) -> list[str]:
    """Names, not words: people, hamlets, the commune and province, the 54 ethnic groups."""
    with store.read() as session:
        villages = [v.name for v in session.exec(select(Village)).all()]
    names = [HEAD, MEMBER, ADDRESS, *villages, *ETHNIC_GROUPS, profile.volunteer_name,
             profile.commune_name, profile.province_name]
    return sorted(names, key=len, reverse=True)


def _texts(widget: QWidget) -> Iterator[tuple[str, str]]:
    """(where, text) for what the widget itself shows: captions, buttons, tooltips, choices,
    headers; not the cells of a table or list, which hold the household's data."""
    kind = type(widget).__name__
    name = widget.objectName() or kind
    if widget.isWindow():
        yield f"{name} title", widget.windowTitle()
    yield f"{name} tooltip", widget.toolTip()
    yield f"{name} status tip", widget.statusTip()
    if isinstance(widget, QLabel | QAbstractButton):
        yield f"{name} text", widget.text()
    elif isinstance(widget, QGroupBox):
        yield f"{name} title", widget.title()
    elif isinstance(widget, QLineEdit | QPlainTextEdit | QTextEdit):
        yield f"{name} placeholder", widget.placeholderText()
    elif isinstance(widget, QComboBox):
        for index in range(widget.count()):
            yield f"{name} item {index}", widget.itemText(index)
    elif isinstance(widget, QTabWidget):
        for index in range(widget.count()):
            yield f"{name} tab {index}", widget.tabText(index)
    if isinstance(widget, QAbstractItemView) and not isinstance(widget, QListWidget):
        model = widget.model()
        if model is not None:
            for column in range(model.columnCount()):
                yield f"{name} header {column}", str(
                    model.headerData(column, Qt.Orientation.Horizontal) or "")
    if isinstance(widget, QMainWindow):
        yield f"{name} status", widget.statusBar().currentMessage()
        for action in widget.menuBar().actions():
            yield f"{name} menu", action.text()
            menu = action.menu()
            for item in menu.actions() if menu is not None else []:
                yield f"{name} menu item", item.text()
                yield f"{name} menu tip", item.toolTip()


def vietnamese_on_screen(top: QWidget, data: list[str]) -> list[str]:
    """Every visible text of `top` that still holds Vietnamese once the data is taken out."""
    found = []
    for widget in [top, *top.findChildren(QWidget)]:
        if not widget.isVisible():
            continue
        for where, text in _texts(widget):
            shown = QUOTED.sub("", text or "")
            for value in data:
                shown = shown.replace(value, "")
            if VIETNAMESE_ONLY.search(shown):
                found.append(f"{where}: {text!r}")
    return found


def _open_form(qtbot, window: MainWindow) -> FormWindow:
    detail = window.detail
    qtbot.mouseClick(detail.forms_button, Qt.MouseButton.LeftButton)
    picker = next(p for p in detail.findChildren(FormPicker) if p.isVisible())
    picker.form_choice.setCurrentIndex(
        next(i for i in range(picker.form_choice.count())
             if picker.form_choice.itemData(i)[0] == "birth_registration"))
    picker.person_choice.setCurrentIndex(picker.person_choice.findText(HEAD))
    with qtbot.waitSignal(picker.opened) as opened:
        qtbot.mouseClick(picker.start_button, Qt.MouseButton.LeftButton)
    form = opened.args[0]
    qtbot.addWidget(form)
    qtbot.waitExposed(form)
    return form


def _open_guide_step(qtbot, window: MainWindow) -> GuideWindow:
    panel = window.detail.visit_panel
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(panel.guide_button, Qt.MouseButton.LeftButton)
    guide = panel.guide_window
    assert guide is not None
    qtbot.addWidget(guide)
    qtbot.waitExposed(guide)
    guide.guide_list.setCurrentRow(0)
    qtbot.mouseClick(guide.start_button, Qt.MouseButton.LeftButton)
    assert guide.step_view.step is not None
    return guide


def test_main_window_with_a_household_is_all_english(qtbot, window, store, profile):
    assert window.new_household_button.text() == "Register new household"
    found = vietnamese_on_screen(window, _data(store, profile))
    assert not found, "Vietnamese in the English main window:\n" + "\n".join(found)


def test_form_page_with_a_validation_error_is_all_english(qtbot, window, store, profile):
    form = _open_form(qtbot, window)
    qtbot.mouseClick(form.next_button, Qt.MouseButton.LeftButton)
    view = form.views["child_dob"]
    assert isinstance(view.input, LineInput)
    replace_text(view.input.edit, format_vn_date(date.today() + timedelta(days=3)))
    assert view.error.isVisible()
    assert "later than today" in view.error.text()
    found = vietnamese_on_screen(form, _data(store, profile))
    assert not found, "Vietnamese in the English form page:\n" + "\n".join(found)


def test_form_required_message_comes_from_core_in_english(qtbot, window, store, profile):
    form = _open_form(qtbot, window)
    qtbot.mouseClick(form.next_button, Qt.MouseButton.LeftButton)
    qtbot.mouseClick(form.complete_button, Qt.MouseButton.LeftButton)
    assert form.banner.isVisible()
    errors = [v.error.text() for v in form.views.values() if v.error.isVisible()]
    assert any(text.endswith("is required.") for text in errors), errors
    found = vietnamese_on_screen(form, _data(store, profile))
    assert not found, "Vietnamese in the English form page:\n" + "\n".join(found)


def test_guide_step_is_all_english(qtbot, window, store, profile):
    guide = _open_guide_step(qtbot, window)
    assert guide.step_view.instruction.text()
    found = vietnamese_on_screen(guide, _data(store, profile))
    assert not found, "Vietnamese in the English guide step:\n" + "\n".join(found)
