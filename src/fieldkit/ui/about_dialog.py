"""Help → About FieldKit: what the IT officer asks for first on the phone (which version, on
what Python and Qt, where the data is)."""

import platform
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.app_log import app_version
from fieldkit.ui.app import qt_versions
from fieldkit.ui.style import set_role

LICENCE = "GPL-3.0-or-later"


class AboutDialog(QDialog):
    def __init__(self, data_dir: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Giới thiệu FieldKit"))
        self.setMinimumWidth(460)
        title = QLabel(f"FieldKit {app_version()}")
        set_role(title, "title")
        description = QLabel(self.tr(
            "Giúp tình nguyện viên hỗ trợ người dân dùng VNeID và làm thủ tục hành chính, "
            "cả khi không có mạng."))
        description.setWordWrap(True)
        self.facts: dict[str, QLabel] = {}
        form = QFormLayout()
        for key, caption, value in (
                ("version", self.tr("Phiên bản"), app_version()),
                ("licence", self.tr("Giấy phép"), LICENCE),
                ("qt", "Qt", qt_versions()),
                ("python", "Python", platform.python_version()),
                ("data", self.tr("Thư mục dữ liệu"), str(data_dir))):
            label = QLabel(value)
            # Selectable, so the IT officer can copy the version or the folder's path.
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            label.setWordWrap(True)
            form.addRow(caption, label)
            self.facts[key] = label
        # Not QDialogButtonBox's standard button: Qt ships no Vietnamese for "Close".
        close = QPushButton(self.tr("Đóng"))
        close.setDefault(True)
        close.clicked.connect(self.accept)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(title)
        layout.addWidget(description)
        layout.addLayout(form)
        layout.addLayout(buttons)
