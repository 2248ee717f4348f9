"""Who to visit next: the work list (`fieldkit.core.work_list`) in a window the volunteer
drives from the keyboard.

Type-ahead is not needed here: the list is short and ranked. Up and down move, Enter opens
the household (or, for a household only on the commune's list, starts its registration with
the consent page), Alt+1…6 show one kind of work and Alt+0 all of it, and the hamlet box
narrows it to one hamlet. The counts on the kind buttons are over the hamlet shown.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QFont, QKeyEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.households import villages
from fieldkit.core.profile import Profile
from fieldkit.core.store import Store
from fieldkit.core.vocabulary import label
from fieldkit.core.work_list import KINDS, UNITS, WorkItem, WorkList, work_list
from fieldkit.ui.style import set_role

Index = QModelIndex | QPersistentModelIndex
ALL = ""


class WorkListModel(QAbstractTableModel):
    def __init__(self, language: str) -> None:
        super().__init__()
        self.language = language
        self.items: list[WorkItem] = []
        self.headers = [self.tr("Thôn/bản"), self.tr("Chủ hộ"), self.tr("Địa chỉ"),
                        self.tr("Còn lại"), self.tr("Hạn")]

    def show(self, items: list[WorkItem]) -> None:
        self.beginResetModel()
        self.items = items
        self.endResetModel()

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.items)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self.items):
            return None
        item = self.items[index.row()]
        if role == Qt.ItemDataRole.FontRole and item.assigned:
            bold = QFont()
            bold.setBold(True)
            return bold
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        column = index.column()
        if column == 0:
            return item.village
        if column == 1:
            return item.head_name or self.tr("(chưa có tên chủ hộ)")
        if column == 2:
            return item.address
        if column == 3:
            return "; ".join(self.remaining(kind, number)
                             for kind, number in item.counts.items())
        if item.due_on is not None:
            return item.due_on.strftime("%d/%m/%Y")
        return self.tr("Được giao") if item.assigned else ""

    def remaining(self, kind: str, number: int) -> str:
        name = label(KINDS, kind, self.language)  # type: ignore[arg-type]
        if kind in ("assigned", "listed"):
            return name
        return f"{name}: {number} {label(UNITS, kind, self.language)}"  # type: ignore[arg-type]


class WorkListDialog(QDialog):
    open_household = Signal(str)  # a registered household's id
    register_listed = Signal(str)  # a listed household's id, to register with consent

    def __init__(self, store: Store, profile: Profile, language: str = "vi",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.profile = profile
        self.language = language
        self.work = WorkList([])
        self.kind = ALL
        self.setWindowTitle(self.tr("Việc cần làm"))
        self.resize(960, 620)

        self.village = QComboBox()
        self.village.setAccessibleName(self.tr("Thôn/bản"))
        self.village.addItem(self.tr("Tất cả thôn/bản"), ALL)
        with store.read() as session:
            for row in villages(session, profile.commune_id):
                self.village.addItem(row.name, row.id)
        self.village.currentIndexChanged.connect(self.refresh)
        self.mine = QCheckBox(self.tr("Chỉ việc được giao cho tôi"))
        self.mine.toggled.connect(self.refresh)
        filters = QHBoxLayout()
        filters.addWidget(QLabel(self.tr("Thôn/bản:")))
        filters.addWidget(self.village, 1)
        filters.addWidget(self.mine)

        self.kind_buttons = QButtonGroup(self)
        self.kind_buttons.setExclusive(True)
        kinds = QHBoxLayout()
        for number, kind in enumerate([ALL, *KINDS]):
            button = QPushButton()
            button.setCheckable(True)
            button.setChecked(kind == ALL)
            button.setProperty("kind", kind)
            set_role(button, "chip")
            button.setAutoDefault(False)
            self.kind_buttons.addButton(button, number)
            kinds.addWidget(button)
        kinds.addStretch(1)
        self.kind_buttons.idClicked.connect(self._kind_chosen)

        self.model = WorkListModel(language)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        # Fixed starting widths: measuring every row's text would be slow on a big commune.
        for column, width in ((0, 170), (1, 210), (2, 230), (4, 120)):
            self.table.setColumnWidth(column, width)
        self.table.activated.connect(self._open)
        self.count = QLabel()
        self.open_button = QPushButton(self.tr("Mở hộ (Enter)"))
        set_role(self.open_button, "primary")
        self.open_button.clicked.connect(lambda: self._open(self.table.currentIndex()))
        close = QPushButton(self.tr("Đóng"))
        close.clicked.connect(self.reject)
        # The table opens on Enter itself; a default button would open the row twice.
        for button in (self.open_button, close):
            button.setAutoDefault(False)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count, 1)
        bottom.addWidget(self.open_button)
        bottom.addWidget(close)

        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addLayout(kinds)
        layout.addWidget(self.table, 1)
        layout.addLayout(bottom)
        self.refresh()

    def refresh(self) -> None:
        """Draw the list again from the store (after a sync or a registration)."""
        village = self.village.currentData() or None
        with self.store.read() as session:
            self.work = work_list(session.connection(), self.profile.commune_id,
                                  self.profile.volunteer_id, village_id=village,
                                  assigned_only=self.mine.isChecked())
        for button in self.kind_buttons.buttons():
            kind = button.property("kind")
            # All: households; a kind: what it counts (people, forms, visits, households).
            total = len(self.work.items) if kind == ALL else self.work.counts.get(kind, 0)
            name = self.tr("Tất cả") if kind == ALL else label(KINDS, kind, self.language)  # type: ignore[arg-type]
            button.setText(f"{name} ({total})")
            button.setEnabled(kind == ALL or total > 0)
        self._show()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        """Alt+0…6 choose the kind of work shown, wherever the focus is."""
        digit = event.key() - Qt.Key.Key_0
        if event.modifiers() == Qt.KeyboardModifier.AltModifier and \
                0 <= digit < len(self.kind_buttons.buttons()):
            self.kind_buttons.button(digit).click()
            return
        super().keyPressEvent(event)

    def _kind_chosen(self, number: int) -> None:
        self.kind = self.kind_buttons.button(number).property("kind")
        self._show()

    def _show(self) -> None:
        items = self.work.items if self.kind == ALL else self.work.of_kind(self.kind)
        self.model.show(items)
        self.count.setText(self.tr("{n} hộ").format(n=len(items)))
        self.open_button.setEnabled(bool(items))
        if items:
            self.table.selectRow(0)
        self.table.setFocus()

    def _open(self, index: QModelIndex) -> None:
        if not index.isValid():
            return
        item = self.model.items[index.row()]
        if item.household_id is not None:
            self.open_household.emit(item.household_id)
        elif item.listed_id is not None:
            self.register_listed.emit(item.listed_id)
