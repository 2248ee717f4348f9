"""One household: who lives there, their VNeID status, and its support visits."""

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.dates import format_vn_date
from fieldkit.core.households import members
from fieldkit.core.models import Household
from fieldkit.core.profile import Profile
from fieldkit.core.store import Store
from fieldkit.core.vocabulary import RELATIONS, VNEID_STATUSES, label
from fieldkit.ui.household_dialog import HouseholdDialog
from fieldkit.ui.icons import icon
from fieldkit.ui.style import set_role
from fieldkit.ui.visit_panel import VisitPanel

if TYPE_CHECKING:
    from fieldkit.ui.form_picker import FormPicker


class HouseholdDetail(QWidget):
    edit_person = Signal(str)  # person id
    add_member = Signal(str)  # household id
    changed = Signal(str)  # household id

    def __init__(self, store: Store, profile: Profile | None, language: str = "vi",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.language = language
        self.household_id: str | None = None
        self.title = QLabel()
        set_role(self.title, "title")
        self.subtitle = QLabel()
        self.subtitle.setWordWrap(True)
        set_role(self.subtitle, "hint")
        self.members = QTableWidget(0, 5)
        self.members.setHorizontalHeaderLabels([
            self.tr("Họ và tên"), self.tr("Ngày sinh"), self.tr("Quan hệ"),
            self.tr("Số định danh"), self.tr("VNeID")])
        self.members.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.members.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.members.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.members.verticalHeader().hide()
        self.members.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.members.horizontalHeader().setStretchLastSection(True)
        self.members.itemActivated.connect(self._activated)
        self.members.setMinimumHeight(170)
        self.add_button = QPushButton(icon("add_member"), self.tr("Thêm thành viên"))
        self.add_button.clicked.connect(lambda: self.add_member.emit(self.household_id))
        self.edit_button = QPushButton(icon("edit_member"), self.tr("Xem/sửa thành viên"))
        self.edit_button.clicked.connect(self._edit_selected)
        self.household_button = QPushButton(icon("household"), self.tr("Sửa thông tin hộ"))
        self.household_button.clicked.connect(self.edit_household)
        self.forms_button = QPushButton(icon("forms"), self.tr("Tờ khai"))
        self.forms_button.setToolTip(self.tr(
            "Bắt đầu tờ khai thủ tục (khai sinh, cư trú, ...) hoặc mở tờ khai đã có của hộ"))
        self.forms_button.clicked.connect(self.open_forms)
        self.visit_panel = VisitPanel(store, profile, language)
        self.visit_panel.changed.connect(lambda: self.changed.emit(self.household_id))
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.household_button)
        buttons.addWidget(self.forms_button)
        buttons.addStretch(1)
        self.empty = QLabel(self.tr("Chọn một hộ trong danh sách, hoặc đăng ký hộ mới."))
        set_role(self.empty, "hint")
        layout = QVBoxLayout(self)
        layout.addWidget(self.empty)
        layout.addWidget(self.title)
        layout.addWidget(self.subtitle)
        layout.addWidget(self.members, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.visit_panel)
        self.show_household(None)

    def show_household(self, household_id: str | None) -> None:
        self.household_id = household_id
        present = household_id is not None
        for widget in (self.title, self.subtitle, self.members, self.add_button,
                       self.edit_button, self.household_button, self.forms_button,
                       self.visit_panel):
            widget.setVisible(present)
        self.empty.setVisible(not present)
        self.visit_panel.show_household(household_id)
        if not present:
            return
        with self.store.read() as session:
            household = session.get(Household, household_id)
            people = members(session, household_id)
        assert household is not None
        self.title.setText(household.head_name or self.tr("(chưa có tên chủ hộ)"))
        details = [household.address, household.phone or "", household.notes]
        self.subtitle.setText(" · ".join(d for d in details if d))
        self.members.setRowCount(len(people))
        for row, person in enumerate(people):
            cells = [
                person.full_name or self.tr("(đã xóa theo yêu cầu)"),
                format_vn_date(person.date_of_birth) if person.date_of_birth else "",
                label(RELATIONS, person.relation_to_head, self.language),  # type: ignore[arg-type]
                person.id_number or "",
                label(VNEID_STATUSES, person.vneid_status, self.language),  # type: ignore[arg-type]
            ]
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, person.id)
                self.members.setItem(row, column, item)

    def edit_household(self) -> HouseholdDialog:
        assert self.household_id is not None
        dialog = HouseholdDialog(self.store, self.household_id, self)
        dialog.changed.connect(self.changed.emit)
        dialog.finished.connect(lambda _r: self.show_household(self.household_id))
        dialog.show()
        return dialog

    def open_forms(self) -> "FormPicker":
        """The household's procedure forms: start one, or reopen a draft where it was left."""
        # The form engine and definitions load on first use, not when the main window opens.
        from fieldkit.ui.form_picker import FormPicker

        assert self.household_id is not None
        picker = FormPicker(self.store, self.household_id, self.language, parent=self)
        picker.show()
        return picker

    def _activated(self, item: QTableWidgetItem) -> None:
        self.edit_person.emit(item.data(Qt.ItemDataRole.UserRole))

    def _edit_selected(self) -> None:
        items = self.members.selectedItems()
        if items:
            self.edit_person.emit(items[0].data(Qt.ItemDataRole.UserRole))
        elif self.members.rowCount():
            self.edit_person.emit(self.members.item(0, 0).data(Qt.ItemDataRole.UserRole))
