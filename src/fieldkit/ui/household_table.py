"""The household list: holds only ids and loads rows a page at a time when they are shown.

Searching 50,000 households returns ids in SQL order; only the rows that scroll into view are
read, so a search stays fast however many households match.
"""

from typing import Any

from PySide6.QtCore import QAbstractTableModel, QModelIndex, QPersistentModelIndex, Qt

from fieldkit.core.search import household_rows, search_households
from fieldkit.core.store import Store

PAGE = 100
Index = QModelIndex | QPersistentModelIndex

ID_ROLE = Qt.ItemDataRole.UserRole


class HouseholdTableModel(QAbstractTableModel):
    def __init__(self, store: Store) -> None:
        super().__init__()
        self.store = store
        self._ids: list[str] = []
        self._rows: dict[str, tuple[Any, ...]] = {}
        self.headers = [self.tr("Chủ hộ"), self.tr("Địa chỉ"), self.tr("Số người"),
                        self.tr("Điện thoại")]

    def search(self, query: str, village_id: str | None) -> None:
        with self.store.read() as session:
            ids = search_households(session.connection(), query, village_id)
        self.beginResetModel()
        self._ids = ids
        self._rows.clear()
        self.endResetModel()

    def refresh_row(self, household_id: str) -> None:
        """Reload one household after an edit, keeping the list and its order."""
        self._rows.pop(household_id, None)
        if household_id in self._ids:
            row = self._ids.index(household_id)
            self.dataChanged.emit(self.index(row, 0), self.index(row, self.columnCount() - 1))

    def household_id(self, row: int) -> str:
        return self._ids[row]

    def row_of(self, household_id: str) -> int:
        return self._ids.index(household_id) if household_id in self._ids else -1

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self._ids)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headers)

    def headerData(self, section: int, orientation: Qt.Orientation,
                   role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if role == Qt.ItemDataRole.DisplayRole and orientation == Qt.Orientation.Horizontal:
            return self.headers[section]
        return None

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._ids):
            return None
        household_id = self._ids[index.row()]
        if role == ID_ROLE:
            return household_id
        if role not in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return None
        row = self._rows.get(household_id) or self._load_page(index.row())
        _, head, address, phone, members = row
        if index.column() == 0:
            return head or self.tr("(chưa có tên chủ hộ)")
        return (address, members, phone or "")[index.column() - 1]

    def _load_page(self, row: int) -> tuple[Any, ...]:
        start = row - row % PAGE
        wanted = [i for i in self._ids[start:start + PAGE] if i not in self._rows]
        with self.store.read() as session:
            for found in household_rows(session.connection(), wanted):
                self._rows[found.id] = tuple(found)
        return self._rows[self._ids[row]]
