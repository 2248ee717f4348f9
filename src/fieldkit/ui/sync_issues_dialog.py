"""What sync could not settle by itself: conflicts, with both versions, and refused records.

A conflict is a record changed here and on the server (by another laptop or the commune)
since this laptop last saw it. Nothing was overwritten; the volunteer compares the two side by
side, field by field, and keeps one. A refused record was not accepted by the server (the
reason says why); it stays on the laptop and is sent again once it is corrected.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.store import Store
from fieldkit.core.sync_apply import Conflict, conflicts, quarantined, resolve_conflict
from fieldkit.ui.style import set_role

# Bookkeeping columns every row has; they differ on every edit and tell the volunteer nothing.
HIDDEN = {"id", "version", "updated_at", "device_id", "demo"}


class SyncIssuesDialog(QDialog):
    resolved = Signal()  # a kept server version changed local rows: the window refreshes

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.kinds = {
            "household": self.tr("Hộ"), "person": self.tr("Thành viên"),
            "visit": self.tr("Buổi hỗ trợ"), "consent": self.tr("Đồng ý"),
            "village": self.tr("Thôn/bản"), "form_record": self.tr("Tờ khai"),
            "form_revision": self.tr("Bản sửa tờ khai"),
            "guide_run": self.tr("Lượt hướng dẫn"),
            "guide_step_outcome": self.tr("Bước hướng dẫn"),
            "volunteer": self.tr("Tình nguyện viên"), "commune": self.tr("Xã"),
        }
        self.setWindowTitle(self.tr("Xung đột đồng bộ và bản ghi bị từ chối"))
        self.conflict_list = QListWidget()
        self.conflict_list.currentItemChanged.connect(self._show_conflict)
        self.compare = QTableWidget(0, 3)
        self.compare.setHorizontalHeaderLabels([self.tr("Thông tin"), self.tr("Trên máy này"),
                                                self.tr("Trên máy chủ")])
        self.compare.horizontalHeader().setStretchLastSection(True)
        self.compare.verticalHeader().hide()
        self.keep_local = QPushButton(self.tr("Giữ bản trên máy này"))
        self.keep_server = QPushButton(self.tr("Dùng bản trên máy chủ"))
        self.keep_local.clicked.connect(lambda: self.resolve("local"))
        self.keep_server.clicked.connect(lambda: self.resolve("server"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_role(self.error, "error")
        self.error.hide()
        choose = QHBoxLayout()
        choose.addWidget(self.keep_local)
        choose.addWidget(self.keep_server)
        choose.addStretch(1)
        conflict_page = QWidget()
        conflict_layout = QVBoxLayout(conflict_page)
        conflict_layout.addWidget(QLabel(self.tr(
            "Bản ghi đã được sửa cả trên máy này và trên máy chủ. Không bản nào bị ghi đè: "
            "hãy so sánh rồi chọn bản đúng.")))
        conflict_layout.addWidget(self.conflict_list)
        conflict_layout.addWidget(self.compare, 1)
        conflict_layout.addLayout(choose)
        conflict_layout.addWidget(self.error)
        self.refused_list = QListWidget()
        refused_page = QWidget()
        refused_layout = QVBoxLayout(refused_page)
        refused_layout.addWidget(QLabel(self.tr(
            "Máy chủ chưa nhận các bản ghi này. Hãy sửa theo lý do; bản đã sửa sẽ được gửi "
            "lại ở lần đồng bộ sau. Các bản ghi khác vẫn được đồng bộ bình thường.")))
        refused_layout.addWidget(self.refused_list)
        self.tabs = QTabWidget()
        self.tabs.addTab(conflict_page, "")
        self.tabs.addTab(refused_page, "")
        layout = QVBoxLayout(self)
        layout.addWidget(self.tabs)
        self.resize(820, 620)
        self.load()

    def load(self) -> None:
        open_conflicts = conflicts(self.store)
        refused = quarantined(self.store)
        self.tabs.setTabText(0, self.tr("Xung đột ({n})").format(n=len(open_conflicts)))
        self.tabs.setTabText(1, self.tr("Bị từ chối ({n})").format(n=len(refused)))
        self.conflict_list.clear()
        for conflict in open_conflicts:
            item = QListWidgetItem(self._describe(conflict.table, conflict.local_data))
            item.setData(Qt.ItemDataRole.UserRole, conflict)
            self.conflict_list.addItem(item)
        self.refused_list.clear()
        for row in refused:
            self.refused_list.addItem(f"{self.kinds.get(row.table, row.table)} "
                                      f"({row.row_id[:8]}): {row.reason}")
        if open_conflicts:
            self.conflict_list.setCurrentRow(0)
        else:
            self._show_conflict(None)

    def _describe(self, table: str, data: dict[str, Any] | None) -> str:
        data = data or {}
        name = data.get("full_name") or data.get("head_name") or data.get("name") or ""
        kind = self.kinds.get(table, table)
        return f"{kind}: {name}" if name else kind

    def _show_conflict(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        conflict: Conflict | None = item.data(Qt.ItemDataRole.UserRole) if item else None
        self.keep_local.setEnabled(conflict is not None)
        self.keep_server.setEnabled(conflict is not None and conflict.server_data is not None)
        self.compare.setRowCount(0)
        if conflict is None:
            return
        server = conflict.server_data or {}
        names = [n for n in conflict.local_data if n not in HIDDEN]
        self.compare.setRowCount(len(names))
        for row, name in enumerate(names):
            mine, theirs = conflict.local_data.get(name), server.get(name)
            cells = [name, "" if mine is None else str(mine),
                     "" if theirs is None else str(theirs)]
            for column, text in enumerate(cells):
                cell = QTableWidgetItem(text)
                if conflict.server_data is not None and mine != theirs:
                    cell.setBackground(QColor("#fff4d6"))
                self.compare.setItem(row, column, cell)
        self.compare.resizeColumnsToContents()

    def resolve(self, keep: str) -> bool:
        item = self.conflict_list.currentItem()
        if item is None:
            return False
        conflict: Conflict = item.data(Qt.ItemDataRole.UserRole)
        try:
            resolve_conflict(self.store, conflict.seq, keep)  # type: ignore[arg-type]
        except (LookupError, ValueError) as exc:
            self.error.setText(str(exc))
            self.error.show()
            return False
        self.error.hide()
        self.load()
        self.resolved.emit()
        return True
