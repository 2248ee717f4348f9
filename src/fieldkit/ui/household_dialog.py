"""Editing a household's own fields (address, phone, notes) from the household view, for when
the head's details are not the thing being changed."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QDialog, QHBoxLayout, QPushButton, QVBoxLayout, QWidget

from fieldkit.core.store import Store
from fieldkit.ui.household_form import HouseholdForm
from fieldkit.ui.icons import icon
from fieldkit.ui.style import set_role


class HouseholdDialog(QDialog):
    changed = Signal(str)  # household id

    def __init__(self, store: Store, household_id: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.household_id = household_id
        self.setWindowTitle(self.tr("Thông tin của hộ"))
        self.setMinimumWidth(560)
        self.form = HouseholdForm(store, household_id)
        self.form.saved.connect(self.changed.emit)
        done = QPushButton(icon("done", "#ffffff"), self.tr("Xong"))
        set_role(done, "primary")
        done.setAutoDefault(False)  # Enter completes a field; it must not close the dialog
        done.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(done)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        layout.addLayout(buttons)
