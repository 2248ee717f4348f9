"""One input per form field type, each reading and showing answers the way `records` stores them.

Inputs only translate between what the volunteer sees and the stored value (dates typed as
dd/mm/yyyy and stored ISO, communes shown by name and stored by code). Whether a value is
acceptable is never decided here: the window saves it and asks the core validator, so the
laptop and the commune server cannot disagree.

A field's XLSForm `appearance` words choose between inputs the way ODK Collect does: `minimal`
turns a short select_one into a drop-down, `horizontal` (or `horizontal-compact`) lays a
select_multiple's boxes out in rows, `multiline` gives text a box for several lines. Words
this renderer does not know are ignored, as ODK ignores them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFocusEvent, QKeyEvent
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.dates import format_vn_date, parse_vn_date
from fieldkit.core.errors import FieldError
from fieldkit.core.forms.definition import Choice, Field, FormDefinition
from fieldkit.core.forms.piping import fill
from fieldkit.ui.folded_completer import folded_match, use_folded_completion
from fieldkit.ui.style import mark_invalid, set_role

# Numbers as typed on a Vietnamese keyboard: ASCII digits only, an optional leading minus, and
# for decimals one separator. No grouping, exponent, "nan" or "1_000": Python's int/float
# would take those, but a volunteer who types them meant something else.
_INTEGER = re.compile(r"-?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"-?[0-9]+(?:[.,][0-9]+)?", re.ASCII)
# "1.000" is one thousand to a Vietnamese reader: a dot before exactly three digits is refused.
_GROUPED = re.compile(r"-?[0-9]+\.[0-9]{3}", re.ASCII)

# Up to this many choices are shown as radio buttons: one keystroke each, all visible at once.
RADIO_LIMIT = 4
# Check boxes per row of a `horizontal` select_multiple: a long list wraps instead of
# stretching the page sideways.
ROW_LENGTH = 4


def text_of(texts: dict[str, str], language: str) -> str:
    """Definitions always carry Vietnamese; other languages may be missing."""
    return texts.get(language) or texts.get("vi", "")


class FieldInput(QWidget):
    """Base of every input: `committed` fires when an answer is complete and should be saved;
    `advance` when the volunteer pressed Enter and expects the next field."""

    committed = Signal()
    advance = Signal()

    def value(self) -> Any:
        raise NotImplementedError

    def set_value(self, value: Any) -> None:
        raise NotImplementedError

    def focus_target(self) -> QWidget:
        return self

    def relabel(self, labels: Mapping[str, str]) -> None:
        """Show new texts for the choices named in `labels`; an input without choices has
        none to change."""


class LineInput(FieldInput):
    """Text, id_number, phone, integer and decimal: typed as is; the core says what is wrong."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.edit = QLineEdit()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self.edit.editingFinished.connect(self.committed.emit)
        self.edit.returnPressed.connect(self.advance.emit)

    def value(self) -> Any:
        text = self.edit.text().strip()
        # Numbers are stored as numbers; anything that is not plainly a number is refused
        # here, with what to type instead, rather than guessed at.
        if self.field.type == "integer" and text:
            if not _INTEGER.fullmatch(text):
                raise FieldError(self.field.name, [self.tr(
                    "“{text}” không phải số nguyên: chỉ gõ các chữ số 0-9 liền nhau (có thể "
                    "có dấu trừ ở đầu), không dấu chấm, dấu phẩy hay khoảng trắng, ví dụ 1000."
                ).format(text=text)])
            return int(text)
        if self.field.type == "decimal" and text:
            if _GROUPED.fullmatch(text):
                raise FieldError(self.field.name, [self.tr(
                    "“{text}” dễ bị hiểu nhầm: nếu là số nguyên hãy viết liền không dấu chấm "
                    "(ví dụ 1000); nếu là số thập phân hãy dùng dấu phẩy (ví dụ 1,5)."
                ).format(text=text)])
            if not _DECIMAL.fullmatch(text):
                raise FieldError(self.field.name, [self.tr(
                    "“{text}” không phải một số: chỉ gõ các chữ số 0-9, nhiều nhất một dấu "
                    "phẩy thập phân (ví dụ 2,5), không dấu chấm ngăn cách hàng nghìn."
                ).format(text=text)])
            return float(text.replace(",", "."))
        return text

    def set_value(self, value: Any) -> None:
        if isinstance(value, float):
            # Plain digits, never "1e+06": what is shown must be accepted back as typed.
            value = format(Decimal(repr(value)), "f").replace(".", ",")
            if "," in value:
                value = value.rstrip("0").rstrip(",")
        self.edit.setText("" if value is None else str(value))

    def focus_target(self) -> QWidget:
        return self.edit


class DateInput(LineInput):
    """A date as written on Vietnamese papers; stored ISO so expressions compare dates."""

    def __init__(self, field: Field, parent: QWidget | None = None) -> None:
        super().__init__(field, parent)
        self.edit.setPlaceholderText(self.tr("ngày/tháng/năm, ví dụ 15/03/1985"))

    def value(self) -> Any:
        text = self.edit.text().strip()
        if not text:
            return ""
        try:
            return parse_vn_date(text).isoformat()
        except ValueError as exc:
            raise FieldError(self.field.name, [str(exc)]) from None

    def set_value(self, value: Any) -> None:
        try:
            self.edit.setText(format_vn_date(date.fromisoformat(str(value))) if value else "")
        except ValueError:
            self.edit.setText(str(value))


class _PlainText(QPlainTextEdit):
    """A text box that reports leaving it (it has no editingFinished) and Ctrl+Enter."""

    left = Signal()
    ctrl_enter = Signal()

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        self.left.emit()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if (event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
                and event.modifiers() & Qt.KeyboardModifier.ControlModifier):
            self.ctrl_enter.emit()
            return
        super().keyPressEvent(event)


class TextBoxInput(FieldInput):
    """`multiline` text (an address, a description): Enter starts a new line, so the answer
    is saved on leaving the box, and Ctrl+Enter moves on to the next field."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.edit = _PlainText()
        # Tab must still move between fields for keyboard-only volunteers.
        self.edit.setTabChangesFocus(True)
        # Enter moves on everywhere else, so the box says why it does not here.
        self.edit.setPlaceholderText(self.tr("Enter: xuống dòng · Ctrl+Enter: sang ô tiếp theo"))
        # Four lines in the font the style sheet gives it (large text included).
        self.edit.ensurePolished()
        self.edit.setFixedHeight(self.edit.fontMetrics().lineSpacing() * 4 + 12)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.edit)
        self.setFocusProxy(self.edit)
        self.edit.left.connect(self.committed.emit)
        self.edit.ctrl_enter.connect(self.committed.emit)
        self.edit.ctrl_enter.connect(self.advance.emit)

    def value(self) -> Any:
        return self.edit.toPlainText().strip()

    def set_value(self, value: Any) -> None:
        text = "" if value is None else str(value)
        # Setting the same text again would throw the cursor back to the start mid-typing.
        if self.edit.toPlainText() != text:
            self.edit.setPlainText(text)

    def focus_target(self) -> QWidget:
        return self.edit


class ComboInput(FieldInput):
    """A list too long for radio buttons; editable lists complete ignoring diacritics."""

    def __init__(self, items: list[tuple[str, str]], searchable: bool,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.searchable = searchable
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        self.setFocusProxy(self.combo)
        self.set_items(items)
        self.combo.activated.connect(lambda _i: self.committed.emit())
        if searchable:
            self.combo.lineEdit().editingFinished.connect(self.committed.emit)
            self.combo.lineEdit().returnPressed.connect(self.advance.emit)

    def set_items(self, items: list[tuple[str, str]]) -> None:
        """Replace the list, keeping the answer when the new list still offers it."""
        current = self.combo.currentData()
        self.combo.blockSignals(True)
        self.combo.clear()
        self.combo.addItem("", "")
        for name, label in items:
            self.combo.addItem(label, name)
        if self.searchable:
            use_folded_completion(self.combo)
        index = self.combo.findData(current)
        self.combo.setCurrentIndex(max(index, 0))
        self.combo.blockSignals(False)

    def value(self) -> Any:
        if not self.searchable:
            return self.combo.currentData() or ""
        if not self.combo.currentText().strip():
            return ""
        row = folded_match(self.combo)
        # Typed text naming no item is kept, so the validator can say it is not in the list.
        return self.combo.itemData(row) if row > 0 else self.combo.currentText().strip()

    def set_value(self, value: Any) -> None:
        index = self.combo.findData(str(value) if value not in (None, "") else "")
        if index >= 0:
            self.combo.setCurrentIndex(index)
        elif self.searchable:
            self.combo.setEditText(str(value))

    def focus_target(self) -> QWidget:
        return self.combo

    def relabel(self, labels: Mapping[str, str]) -> None:
        for index in range(1, self.combo.count()):
            text = labels.get(self.combo.itemData(index))
            if text is not None and text != self.combo.itemText(index):
                self.combo.setItemText(index, text)


class RadioInput(FieldInput):
    """A short list as radio buttons: every option readable without opening anything."""

    def __init__(self, items: list[tuple[str, str]], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.buttons: dict[str, QRadioButton] = {}
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for name, label in items:
            button = QRadioButton(label)
            self.group.addButton(button)
            self.buttons[name] = button
            layout.addWidget(button)
        layout.addStretch(1)
        if self.buttons:
            self.setFocusProxy(next(iter(self.buttons.values())))
        self.group.buttonClicked.connect(lambda _b: self.committed.emit())

    def value(self) -> Any:
        return next((name for name, b in self.buttons.items() if b.isChecked()), "")

    def set_value(self, value: Any) -> None:
        button = self.buttons.get(str(value))
        if button is not None:
            button.setChecked(True)
            return
        self.group.setExclusive(False)
        for other in self.buttons.values():
            other.setChecked(False)
        self.group.setExclusive(True)

    def choose(self, name: str) -> None:
        """Pick an option as a click would (used by keyboard shortcuts and tests)."""
        self.buttons[name].click()

    def relabel(self, labels: Mapping[str, str]) -> None:
        for name, button in self.buttons.items():
            if name in labels:
                button.setText(labels[name])


class MultiInput(FieldInput):
    """select_multiple: one check box per choice, stored as space-separated names (XLSForm);
    one under another, or `horizontal`: side by side, ROW_LENGTH to a row."""

    def __init__(self, items: list[tuple[str, str]], horizontal: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.boxes: dict[str, QCheckBox] = {}
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        row_length = ROW_LENGTH if horizontal else 1
        for index, (name, label) in enumerate(items):
            box = QCheckBox(label)
            box.clicked.connect(lambda _c: self.committed.emit())
            self.boxes[name] = box
            layout.addWidget(box, index // row_length, index % row_length)
        if horizontal:
            layout.setColumnStretch(row_length, 1)
        if self.boxes:
            self.setFocusProxy(next(iter(self.boxes.values())))

    def value(self) -> Any:
        return " ".join(name for name, box in self.boxes.items() if box.isChecked())

    def set_value(self, value: Any) -> None:
        picked = set(value.split() if isinstance(value, str) else value or [])
        for name, box in self.boxes.items():
            box.setChecked(name in picked)

    def set_allowed(self, allowed: set[str]) -> None:
        """Offer only `allowed` (a choice_filter's verdict); a box already ticked stays shown
        so the volunteer can untick it."""
        for name, box in self.boxes.items():
            box.setVisible(name in allowed or box.isChecked())

    def relabel(self, labels: Mapping[str, str]) -> None:
        for name, box in self.boxes.items():
            if name in labels:
                box.setText(labels[name])


def choice_items(choices: list[Choice], language: str) -> list[tuple[str, str]]:
    return [(c.name, text_of(c.label, language)) for c in choices]


def make_input(field: Field, form: FormDefinition, language: str) -> FieldInput | None:
    """The input for `field`, or None for rows without one (notes, calculations)."""
    if field.type in ("note", "calculate"):
        return None
    if field.type == "date":
        return DateInput(field)
    if field.type in ("select_one", "select_multiple"):
        assert field.list_name is not None
        items = choice_items(form.choices[field.list_name], language)
        if field.type == "select_multiple":
            return MultiInput(items, horizontal=bool(
                field.appearance & {"horizontal", "horizontal-compact"}))
        if (len(items) <= RADIO_LIMIT and field.choice_filter is None
                and "minimal" not in field.appearance):
            return RadioInput(items)
        return ComboInput(items, searchable=len(items) > 10)
    if field.type == "ethnicity":
        from fieldkit.core.ethnicity import ETHNIC_GROUPS

        return ComboInput([(name, name) for name in ETHNIC_GROUPS], searchable=True)
    if field.type == "province":
        from fieldkit.core.communes import provinces

        return ComboInput([(str(code), name) for code, name in provinces()], searchable=True)
    if field.type == "commune":
        return ComboInput(commune_items(None), searchable=True)
    if field.type == "text" and "multiline" in field.appearance:
        return TextBoxInput()
    return LineInput(field)


def commune_items(province: str | None) -> list[tuple[str, str]]:
    """Communes of `province` (a code), or of the whole country when none is chosen yet."""
    from fieldkit.core.communes import communes, communes_of

    if province and str(province).isdigit():
        return [(str(c.code), c.name) for c in communes_of(int(province))]
    return [(str(c.code), f"{c.name}, {c.province_name}") for c in communes().values()]


class FieldView(QWidget):
    """A field as the volunteer sees it: label, hint, input and the validator's messages.

    A label or hint naming earlier answers (`${name}`) is `piped`: the window fills it in with
    `show_values` on every redraw, so "Xin chào ${name}" follows what was typed.
    """

    def __init__(self, field: Field, path: str, form: FormDefinition, language: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.field = field
        self.path = path
        self.input = make_input(field, form, language)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 4)
        self.label_text = text_of(field.label, language)
        self.hint_text = text_of(field.hint, language)
        # Choice texts naming answers (`${name}`), refilled like the label.
        self.choice_texts = {
            c.name: text_of(c.label, language)
            for c in (form.choices.get(field.list_name, []) if field.list_name else [])
        } if field.type in ("select_one", "select_multiple") else {}
        if not any("${" in text for text in self.choice_texts.values()):
            self.choice_texts = {}
        self.piped = "${" in self.label_text + self.hint_text or bool(self.choice_texts)
        self.label = QLabel()
        self.label.setWordWrap(True)
        if field.type == "note":
            set_role(self.label, "warning")
        layout.addWidget(self.label)
        self.hint = QLabel()
        self.hint.setWordWrap(True)
        set_role(self.hint, "hint")
        self.hint.setVisible(bool(self.hint_text))
        if self.input is not None:
            self.label.setBuddy(self.input.focus_target())
            layout.addWidget(self.input)
        layout.addWidget(self.hint)
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_role(self.error, "error")
        self.error.hide()
        layout.addWidget(self.error)
        self.show_values({})

    def show_values(self, values: Mapping[str, object]) -> None:
        """Write the label and hint with `${name}` filled from `values` (what an expression at
        this field sees); a calculation's hint line shows its value instead, set elsewhere."""
        label = fill(self.label_text, values)
        self.label.setText(label + (" *" if self.field.required is True else ""))
        if self.input is not None:
            self.input.focus_target().setAccessibleName(label)
        if self.field.type != "calculate":
            self.hint.setText(fill(self.hint_text, values))
        if self.choice_texts and self.input is not None:
            self.input.relabel({name: fill(text, values)
                                for name, text in self.choice_texts.items()})

    def show_errors(self, messages: list[str]) -> None:
        if self.input is not None:
            mark_invalid(self.input.focus_target(), bool(messages))
        self.error.setText("\n".join(messages))
        self.error.setVisible(bool(messages))
