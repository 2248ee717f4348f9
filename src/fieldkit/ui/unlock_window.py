"""The passphrase screen shown at every start and after auto-lock."""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.ui.style import set_role


class UnlockWindow(QWidget):
    unlocked = Signal(object)

    def __init__(self, data_dir: Path, wait_for_imports: Callable[[], None]) -> None:
        super().__init__()
        self.data_dir = data_dir
        self._wait_for_imports = wait_for_imports
        self.setWindowTitle("FieldKit")
        self.setMinimumWidth(440)
        title = QLabel(self.tr("Mở khóa FieldKit"))
        set_role(title, "title")
        hint = QLabel(self.tr("Nhập cụm mật khẩu của bạn. Dữ liệu trên máy được mã hóa."))
        hint.setWordWrap(True)
        set_role(hint, "hint")
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.passphrase.setPlaceholderText(self.tr("Cụm mật khẩu"))
        self.passphrase.setAccessibleName(self.tr("Cụm mật khẩu"))
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_role(self.error, "error")
        self.error.hide()
        self.button = QPushButton(self.tr("Mở khóa"))
        set_role(self.button, "primary")
        self.button.setDefault(True)
        self.button.clicked.connect(self._unlock_clicked)
        self.passphrase.returnPressed.connect(self._unlock_clicked)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.setSpacing(12)
        for widget in (title, hint, self.passphrase, self.error, self.button):
            layout.addWidget(widget)
        self.passphrase.setFocus()

    def _unlock_clicked(self) -> None:
        self.unlock_with(self.passphrase.text())

    def unlock_with(self, passphrase: str) -> None:
        if not passphrase:
            self._show_error(self.tr("Hãy nhập cụm mật khẩu."))
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._wait_for_imports()
            from fieldkit.core.store import Store, StoreError

            try:
                store = Store.open(self.data_dir, passphrase)
            except StoreError as exc:
                self._show_error(str(exc))
                self.passphrase.selectAll()
                return
        finally:
            QApplication.restoreOverrideCursor()
        self.passphrase.clear()
        self.unlocked.emit(store)

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.passphrase.setFocus()
