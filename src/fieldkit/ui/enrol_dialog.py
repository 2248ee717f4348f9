"""Enrolling this laptop with the commune server: its address and a one-time code.

The commune IT officer prints the code with `fieldkit-server enroll` as text and as a QR; a
USB scanner reading that QR types its whole text into any field, so a pasted QR text is
recognised wherever it lands and fills both fields.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.store import Store
from fieldkit.ui.style import set_role
from fieldkit.ui.sync_status import BackgroundCall


class EnrolDialog(QDialog):
    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.call: BackgroundCall | None = None
        self.setWindowTitle(self.tr("Đăng ký với máy chủ xã"))
        explanation = QLabel(self.tr(
            "Nhập địa chỉ máy chủ và mã đăng ký do cán bộ kỹ thuật của xã cấp, hoặc quét mã QR "
            "đăng ký vào ô bất kỳ. Mỗi mã chỉ dùng được một lần."))
        explanation.setWordWrap(True)
        self.url = QLineEdit(store.meta.get("server_url", ""))
        self.url.setPlaceholderText("http://192.168.1.10:8000")
        self.code = QLineEdit()
        self.code.setPlaceholderText("ABCD-EFGH-JKLM-NPQR")
        for field in (self.url, self.code):
            field.textChanged.connect(lambda text, f=field: self._maybe_qr(f, text))
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_role(self.error, "error")
        self.error.hide()
        self.done_label = QLabel()
        self.done_label.setWordWrap(True)
        set_role(self.done_label, "saved")
        self.done_label.hide()
        self.buttons = QDialogButtonBox()
        self.enrol_button = self.buttons.addButton(self.tr("Đăng ký"),
                                                   QDialogButtonBox.ButtonRole.AcceptRole)
        self.close_button = self.buttons.addButton(self.tr("Đóng"),
                                                   QDialogButtonBox.ButtonRole.RejectRole)
        self.enrol_button.clicked.connect(self.enrol)
        self.close_button.clicked.connect(self.reject)
        form = QFormLayout()
        form.addRow(self.tr("Địa chỉ máy chủ"), self.url)
        form.addRow(self.tr("Mã đăng ký"), self.code)
        layout = QVBoxLayout(self)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addWidget(self.done_label)
        layout.addWidget(self.buttons)
        self.resize(520, 240)

    def _maybe_qr(self, field: QLineEdit, text: str) -> None:
        if not text.lstrip().startswith("{"):
            return
        from fieldkit.sync_client.client import SyncError
        from fieldkit.sync_client.enrol import parse_enrolment_text

        try:
            url, code = parse_enrolment_text(text)
        except SyncError:
            return  # still being typed by the scanner, or not a QR at all
        for target, value in ((self.url, url), (self.code, code)):
            target.blockSignals(True)
            target.setText(value)
            target.blockSignals(False)

    def enrol(self) -> None:
        """Spend the code off the GUI thread: the server may be slow to answer over 3G."""
        from fieldkit.sync_client.enrol import enrol

        url, code, store = self.url.text(), self.code.text(), self.store
        self.error.hide()
        self.enrol_button.setEnabled(False)
        self.call = BackgroundCall(lambda _progress, _cancel: enrol(store, url, code), self)
        self.call.succeeded.connect(self._enrolled)
        self.call.failed.connect(self._failed)
        self.call.start()

    def _enrolled(self, response) -> None:
        self.enrol_button.setEnabled(True)
        self.done_label.setText(self.tr("Đã đăng ký với máy chủ của {commune}. Máy sẽ tự đồng "
                                        "bộ khi có mạng.").format(commune=response.commune_name))
        self.done_label.show()
        self.code.clear()

    def _failed(self, error: Exception) -> None:
        self.enrol_button.setEnabled(True)
        self.error.setText(str(error))
        self.error.show()
