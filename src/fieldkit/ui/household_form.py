"""The household's own fields (address, phone, notes), saved as they are completed."""

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from fieldkit.core.households import update_household
from fieldkit.core.models import Household
from fieldkit.core.store import Store
from fieldkit.ui.autosave import AutoSaver


class HouseholdForm(QWidget):
    saved = Signal(str)  # household id

    def __init__(self, store: Store, household_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.household_id = household_id
        self.address = QLineEdit()
        self.address.setPlaceholderText(self.tr("Số nhà, xóm, thôn…"))
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("09xx xxx xxx")
        self.notes = QLineEdit()
        self.notes.setPlaceholderText(self.tr("Ví dụ: nhà cuối dốc, đi qua suối"))
        status = QLabel()
        self.saver = AutoSaver(self._save, status)
        self.saver.after_save = lambda _n: self.saved.emit(self.household_id)
        form = QFormLayout()
        for caption, name, edit in (
            (self.tr("Địa chỉ"), "address", self.address),
            (self.tr("Điện thoại của hộ"), "phone", self.phone),
            (self.tr("Ghi chú"), "notes", self.notes),
        ):
            row = self.saver.bind_line(name, edit)
            form.addRow(caption, edit)
            form.addRow("", row.error)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(status)
        self.load()

    def load(self) -> None:
        with self.store.read() as session:
            household = session.get(Household, self.household_id)
        assert household is not None
        self.address.setText(household.address)
        self.phone.setText(household.phone or "")
        self.notes.setText(household.notes)

    def fill_address_if_empty(self, address: str) -> None:
        """A scanned head's card carries the permanent address: offer it, never overwrite."""
        if not self.address.text().strip() and address:
            self.address.setText(address)
            self.saver.commit("address")

    def _save(self, name: str, value: Any) -> None:
        with self.store.write() as session:
            update_household(session, self.household_id, name, value)
