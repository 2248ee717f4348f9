"""The screen a laptop revoked by its commune shows instead of the main window.

It says what happened (disabled by the commune, when, by which server), that the work not yet
sent is kept encrypted on this laptop, and what to do: see the commune IT officer, who
readmits the laptop and gives a new enrolment code. The code (typed, or its QR scanned into
the field) is spent at the server that disabled the laptop; on success the mark is lifted in
the same transaction that keeps the new token, and the app opens as usual. No personal data
is shown here, only counts.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.revocation import Revocation, local_time
from fieldkit.core.store import Store
from fieldkit.ui.icons import icon
from fieldkit.ui.style import set_role
from fieldkit.ui.sync_status import BackgroundCall


class DisabledWindow(QWidget):
    reenrolled = Signal(object)  # the store, enrolled again and unlocked
    lock_requested = Signal()

    def __init__(self, store: Store, revocation: Revocation,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.revocation = revocation
        self.call: BackgroundCall | None = None
        self.setWindowTitle("FieldKit")
        self.setMinimumWidth(560)
        title = QLabel(self.tr("Máy này đã bị xã vô hiệu hóa"))
        set_role(title, "title")
        when = revocation.revoked_at or revocation.noticed_at
        server = revocation.server_url
        if revocation.commune:
            server = f"{revocation.commune} ({server})"
        self.reason = QLabel(self.tr(
            "Cán bộ xã đã thu hồi quyền đồng bộ của máy này lúc {time}, trên máy chủ {server}. "
            "Vì vậy FieldKit không mở dữ liệu để làm việc tiếp trên máy này.").format(
                time=local_time(when), server=server))
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        pending = store.pending_changes()
        self.kept = QLabel(self.tr(
            "Không có gì bị xóa: dữ liệu trên máy, kể cả {n} bản ghi chưa gửi lên máy chủ, "
            "vẫn được giữ nguyên và mã hóa trên máy này.").format(n=pending))
        self.kept.setWordWrap(True)
        set_role(self.kept, "saved")
        steps = QLabel(self.tr(
            "Nếu máy bị thu hồi do nhầm lẫn, hoặc đã được tìm lại: hãy gặp cán bộ kỹ thuật của "
            "xã để được cho phép đăng ký lại, rồi nhập mã đăng ký mới (hoặc quét mã QR đăng ký) "
            "vào ô dưới đây. Sau khi đăng ký lại, máy mở bình thường và gửi nốt dữ liệu chưa "
            "gửi."))
        steps.setWordWrap(True)
        set_role(steps, "hint")
        self.code = QLineEdit()
        self.code.setPlaceholderText("ABCD-EFGH-JKLM-NPQR")
        self.code.setAccessibleName(self.tr("Mã đăng ký mới"))
        self.code.textChanged.connect(self._maybe_qr)
        self.code.returnPressed.connect(self.enrol)
        server_label = QLabel(revocation.server_url)
        server_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form = QFormLayout()
        form.addRow(self.tr("Máy chủ xã"), server_label)
        form.addRow(self.tr("Mã đăng ký mới"), self.code)
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_role(self.error, "error")
        self.error.hide()
        self.enrol_button = QPushButton(icon("sync", "#ffffff"), self.tr("Đăng ký lại"))
        set_role(self.enrol_button, "primary")
        self.enrol_button.setDefault(True)
        self.enrol_button.clicked.connect(self.enrol)
        self.lock_button = QPushButton(icon("lock"), self.tr("Khóa máy"))
        self.lock_button.clicked.connect(self.lock_requested.emit)
        buttons = QHBoxLayout()
        buttons.addWidget(self.lock_button)
        buttons.addStretch(1)
        buttons.addWidget(self.enrol_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 32, 32, 32)
        layout.setSpacing(12)
        for widget in (title, self.reason, self.kept, steps):
            layout.addWidget(widget)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        self.code.setFocus()

    def _maybe_qr(self, text: str) -> None:
        """A scanned enrolment QR types its whole text: keep the code, check the address."""
        if not text.lstrip().startswith("{"):
            return
        from fieldkit.sync_client.client import SyncError
        from fieldkit.sync_client.enrol import parse_enrolment_text

        try:
            url, code = parse_enrolment_text(text)
        except SyncError:
            return  # still being typed by the scanner
        self.code.blockSignals(True)
        self.code.setText(code)
        self.code.blockSignals(False)
        if url.strip().rstrip("/") != self.revocation.server_url.rstrip("/"):
            self._show_error(self.tr("Mã QR này là của máy chủ {url}, không phải máy chủ đã vô "
                                     "hiệu hóa máy này.").format(url=url))

    def enrol(self) -> None:
        """Spend the code at the server that disabled the laptop, off the GUI thread."""
        code = self.code.text().strip()
        if not code:
            self._show_error(self.tr("Hãy nhập mã đăng ký mới do cán bộ xã cấp."))
            return
        if self.call is not None and self.call.running():
            return
        from fieldkit.sync_client.enrol import enrol

        store, url = self.store, self.revocation.server_url
        self.error.hide()
        self.enrol_button.setEnabled(False)
        self.enrol_button.setText(self.tr("Đang đăng ký…"))
        self.call = BackgroundCall(lambda _progress, _cancel: enrol(store, url, code), self)
        self.call.succeeded.connect(self._enrolled)
        self.call.failed.connect(self._failed)
        self.call.start()

    def _enrolled(self, _response: object) -> None:
        self.code.clear()
        self.reenrolled.emit(self.store)

    def _failed(self, error: Exception) -> None:
        self.enrol_button.setEnabled(True)
        self.enrol_button.setText(self.tr("Đăng ký lại"))
        self._show_error(str(error))

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
        self.code.setFocus()
        self.code.selectAll()

    def closeEvent(self, event) -> None:
        # An enrolment in flight writes to the store; it must end before the store closes.
        if self.call is not None and self.call.running():
            self.call.wait(75.0)
        super().closeEvent(event)
