"""Saving a form field the moment it is completed, with the verdict shown beside it.

A crash or a flat battery must lose at most the field being typed, so every committed field is
its own transaction. Refused values stay on screen, marked, with the reason underneath.

A USB card scanner types its QR line into whichever field has the cursor. Such a line is
never saved as a name, address or note: it goes to `on_card_line`, or is refused with a hint.
"""

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QCoreApplication, QTime
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from fieldkit.core.cccd import looks_like_card_line
from fieldkit.core.errors import ConsentRequired, FieldError
from fieldkit.ui.style import mark_invalid, set_role

Saver = Callable[[str, Any], None]


class FieldRow:
    """One input, its error label, and how to read its value."""

    def __init__(self, name: str, widget: QWidget, read: Callable[[], Any],
                 raw: Callable[[], str] | None = None) -> None:
        self.name = name
        self.widget = widget
        self.read = read
        self.raw = raw
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_role(self.error, "error")
        self.error.hide()

    def show_errors(self, messages: list[str]) -> None:
        mark_invalid(self.widget, bool(messages))
        self.error.setText("\n".join(messages))
        self.error.setVisible(bool(messages))


class AutoSaver:
    """Connects inputs to a save function; `status` tells the volunteer what was saved."""

    def __init__(self, save: Saver, status: QLabel) -> None:
        self._save = save
        self.status = status
        self.rows: dict[str, FieldRow] = {}
        self.after_save: Callable[[str], None] = lambda _name: None
        self.on_card_line: Callable[[str], None] | None = None
        set_role(status, "saved")

    def bind_line(self, name: str, edit: QLineEdit,
                  convert: Callable[[str], Any] = lambda s: s) -> FieldRow:
        row = FieldRow(name, edit, lambda: convert(edit.text()), raw=edit.text)
        edit.editingFinished.connect(lambda: self.commit(name))
        self.rows[name] = row
        return row

    def bind_combo(self, name: str, combo: QComboBox) -> FieldRow:
        def read() -> Any:
            if combo.isEditable():
                index = combo.findText(combo.currentText().strip())
                return combo.itemData(index) if index >= 0 else combo.currentText()
            return combo.currentData()

        raw = combo.currentText if combo.isEditable() else None
        row = FieldRow(name, combo, read, raw=raw)
        combo.activated.connect(lambda _i: self.commit(name))
        if combo.isEditable():
            combo.lineEdit().editingFinished.connect(lambda: self.commit(name))
        self.rows[name] = row
        return row

    def bind_check(self, name: str, check: QCheckBox) -> FieldRow:
        row = FieldRow(name, check, check.isChecked)
        check.clicked.connect(lambda _c: self.commit(name))
        self.rows[name] = row
        return row

    def commit(self, name: str) -> bool:
        row = self.rows[name]
        if row.raw is not None and looks_like_card_line(row.raw()):
            self._card_line(row)
            return False
        try:
            value = row.read()
            self._save(name, value)
        except FieldError as exc:
            row.show_errors(exc.messages)
            return False
        except ConsentRequired as exc:
            row.show_errors([str(exc)])
            return False
        except LookupError:
            # Removed meanwhile (another window, or the dialog closing after a removal).
            row.show_errors([QCoreApplication.translate(
                "AutoSaver", "Bản ghi này đã bị xóa nên không lưu được nữa.")])
            return False
        row.show_errors([])
        self.status.setText(
            QCoreApplication.translate("AutoSaver", "Đã lưu lúc {time}").format(
                time=QTime.currentTime().toString("HH:mm:ss")))
        self.after_save(name)
        return True

    def _card_line(self, row: FieldRow) -> None:
        line = row.raw()  # type: ignore[misc]
        if self.on_card_line is None:
            row.show_errors([QCoreApplication.translate(
                "AutoSaver", "Đây là dòng mã QR của thẻ căn cước, không lưu vào ô này. "
                "Hãy quét thẻ vào ô “Quét thẻ” của thành viên.")])
            return
        row.show_errors([])
        self.on_card_line(line)
