"""Starting a procedure form for a household, and finding the ones already started there.

A new record is prefilled from the household (and from the person it is for), with the
definition's defaults filled in, so the volunteer types only what the family has not already
told her. Records keep the form version they were started on: a draft begun before an update
still opens, and finishes, on its own version.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.dates import format_vn_date
from fieldkit.core.errors import ConsentRequired, FieldError
from fieldkit.core.forms.definition import (
    Field,
    FormDefinition,
    FormError,
    load_forms_reporting,
    walk,
)
from fieldkit.core.forms.prefill import prefill_answers
from fieldkit.core.forms.records import records_of, start_record
from fieldkit.core.households import members
from fieldkit.core.json_files import version_key
from fieldkit.core.paths import forms_dir, synced_definitions
from fieldkit.core.store import Store
from fieldkit.ui.form_widgets import text_of
from fieldkit.ui.form_window import FormWindow, default_answers
from fieldkit.ui.style import set_role

_Index = QModelIndex | QPersistentModelIndex


def available_forms(*directories: Path) -> dict[tuple[str, str], FormDefinition]:
    """Definitions by (id, version), shipped ones by default; a record names both."""
    return _load_forms(*directories)[0]


def _load_forms(*directories: Path) -> tuple[dict[tuple[str, str], FormDefinition],
                                             list[FormError]]:
    """Every usable definition, and why the others are not: one damaged file (a bad sync,
    a hand edit) must not take every form away from the volunteer. For one id@version the
    first directory wins (the shipped forms come first): the server checks records against
    the shipped file, so a published file of the same version must not replace it here."""
    if not directories:
        from fieldkit.core.paths import forms_dir

        directories = (forms_dir(),)
    forms, errors = load_forms_reporting(*directories)
    found: dict[tuple[str, str], FormDefinition] = {}
    for form in forms:
        found.setdefault((form.id, form.version), form)
    return found, errors


class FormRecordModel(QAbstractTableModel):
    """The household's records, newest change first; few per household, so held whole."""

    COLUMNS = 4

    def __init__(self, forms: dict[tuple[str, str], FormDefinition], language: str,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.forms = forms
        self.language = language
        self.rows: list[dict[str, Any]] = []

    def load(self, rows: list[dict[str, Any]]) -> None:
        self.beginResetModel()
        self.rows = rows
        self.endResetModel()

    def rowCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.rows)

    def columnCount(self, parent: _Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self.COLUMNS

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if (orientation != Qt.Orientation.Horizontal or role != Qt.ItemDataRole.DisplayRole
                or not 0 <= section < self.COLUMNS):
            return None
        return (self.tr("Mẫu tờ khai"), self.tr("Cho ai"), self.tr("Trạng thái"),
                self.tr("Cập nhật"))[section]

    def data(self, index: _Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or index.row() >= len(self.rows):
            return None
        row = self.rows[index.row()]
        if role == Qt.ItemDataRole.UserRole:
            return row["id"]
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        form = self.forms.get((row["form_id"], row["form_version"]))
        title = text_of(form.title, self.language) if form else row["form_id"]
        statuses = {"draft": self.tr("Bản nháp"), "complete": self.tr("Đã hoàn thành"),
                    "synced": self.tr("Đã gửi")}
        updated = row["updated_at"]
        return (title, row["person"], statuses.get(row["status"], row["status"]),
                format_vn_date(updated) if updated else "")[index.column()]


class FormPicker(QDialog):
    """Choose a form (and whom it is for) to start, or open one of the household's records."""

    opened = Signal(object)  # FormWindow

    def __init__(self, store: Store, household_id: str, language: str = "vi",
                 forms: dict[tuple[str, str], FormDefinition] | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.household_id = household_id
        self.language = language
        unusable: list[FormError] = []
        if forms is None:
            # Shipped forms, and those the commune published that arrived by sync.
            forms, unusable = _load_forms(forms_dir(),
                                          synced_definitions(store.data_dir, "forms"))
        self.forms = forms
        self.setWindowTitle(self.tr("Tờ khai của hộ"))
        self.resize(720, 480)

        self.form_choice = QComboBox()
        newest: dict[str, FormDefinition] = {}
        for form in self.forms.values():
            newest[form.id] = max(newest.get(form.id, form), form,
                                  key=lambda f: version_key(f.version))
        for form in sorted(newest.values(), key=lambda f: text_of(f.title, language)):
            self.form_choice.addItem(text_of(form.title, language), (form.id, form.version))
        self.person_choice = QComboBox()
        self.start_button = QPushButton(self.tr("Bắt đầu tờ khai"))
        self.start_button.setAutoDefault(False)
        self.start_button.clicked.connect(self._start_clicked)
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_role(self.error, "error")
        self.error.hide()
        if unusable:
            self._show_error(self.tr("Một số mẫu tờ khai bị lỗi nên tạm không dùng được: "
                                     "{files}. Hãy báo cán bộ kỹ thuật của xã.").format(
                files=", ".join(sorted(Path(e.file).name for e in unusable))))

        self.model = FormRecordModel(self.forms, language, self)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(
            QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setStretchLastSection(True)
        self.table.activated.connect(self._open_index)
        self.open_button = QPushButton(self.tr("Mở tờ khai đã chọn"))
        self.open_button.setAutoDefault(False)
        self.open_button.clicked.connect(self._open_selected)

        start = QFormLayout()
        start.addRow(self.tr("Mẫu tờ khai"), self.form_choice)
        start.addRow(self.tr("Người khai / người liên quan"), self.person_choice)
        heading = QLabel(self.tr("Bắt đầu tờ khai mới"))
        set_role(heading, "title")
        listed = QLabel(self.tr("Tờ khai đã có của hộ"))
        set_role(listed, "title")
        buttons = QHBoxLayout()
        buttons.addWidget(self.start_button)
        buttons.addStretch(1)
        buttons.addWidget(self.open_button)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addLayout(start)
        layout.addWidget(self.error)
        layout.addWidget(listed)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.reload()

    def reload(self) -> None:
        with self.store.read() as session:
            people = members(session, self.household_id)
            records = records_of(session, self.household_id)
        names = {p.id: p.full_name or "" for p in people}
        current = self.person_choice.currentData()
        self.person_choice.clear()
        for person in people:
            self.person_choice.addItem(person.full_name or self.tr("(đã xóa theo yêu cầu)"),
                                       person.id)
        self.person_choice.setCurrentIndex(max(self.person_choice.findData(current), 0))
        self.model.load([{
            "id": r.id, "form_id": r.form_id, "form_version": r.form_version,
            "person": names.get(r.person_id or "", ""), "status": r.status,
            "updated_at": r.updated_at,
        } for r in records])
        self.open_button.setEnabled(bool(records))

    def start(self, form_id: str, person_id: str | None = None) -> FormWindow | None:
        """Start a new record of the newest version of `form_id`, prefilled, and open it."""
        versions = [f for (fid, _v), f in self.forms.items() if fid == form_id]
        if not versions:
            self._show_error(self.tr("Không tìm thấy mẫu tờ khai {id}.").format(id=form_id))
            return None
        form = max(versions, key=lambda f: version_key(f.version))
        try:
            with self.store.write() as session:
                answers = prefill_answers(session, form, self.household_id, person_id)
                top = [n for n in walk(form.children) if isinstance(n, Field)
                       and _outside_repeats(form, n)]
                answers |= default_answers(top, answers, date.today())
                record = start_record(session, form, self.household_id, person_id, answers)
                record_id = record.id
        except (ConsentRequired, FieldError, LookupError) as exc:
            self._show_error(str(exc))
            return None
        self.reload()
        return self.open_record(record_id, form)

    def open_record(self, record_id: str, form: FormDefinition | None = None
                    ) -> FormWindow | None:
        if form is None:
            row = next((r for r in self.model.rows if r["id"] == record_id), None)
            key = (row["form_id"], row["form_version"]) if row else None
            form = self.forms.get(key) if key else None
            if form is None:
                self._show_error(self.tr(
                    "Không có mẫu tờ khai đúng phiên bản của bản ghi này trên máy; hãy đồng "
                    "bộ để nhận mẫu."))
                return None
        self.error.hide()
        window = FormWindow(self.store, form, record_id, self.language, parent=self)
        window.changed.connect(lambda _id: self.reload())
        window.show()
        self.opened.emit(window)
        return window

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    def _start_clicked(self) -> None:
        key = self.form_choice.currentData()
        if key is not None:
            self.start(key[0], self.person_choice.currentData())

    def _open_index(self, index: QModelIndex) -> None:
        self.open_record(self.model.data(index, Qt.ItemDataRole.UserRole))

    def _open_selected(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        index = rows[0] if rows else self.model.index(0, 0)
        if index.isValid():
            self._open_index(index)


def _outside_repeats(form: FormDefinition, target: Field) -> bool:
    """Defaults of repeat fields belong to entries, which `FormWindow.add_entry` creates."""
    return all(target not in list(walk(r.children)) for r in form.repeats())
