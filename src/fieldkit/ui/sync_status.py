"""The Sync button, its progress and the automatic sync when the commune server is in reach.

Volunteers sync on the road back when a bar of signal appears, or leave the laptop open in
the commune office. So sync runs by itself every few minutes once the laptop is enrolled and
quietly waits when the server is out of reach; the button is for "now". It runs on a plain
thread (the sync client is Qt-free), reports through queued signals and can be cancelled
between requests, leaving the store consistent. Practice data never syncs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import datetime
from typing import Any

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QProgressBar, QPushButton, QWidget

from fieldkit.core.columns import as_utc
from fieldkit.core.store import Store
from fieldkit.ui.icons import icon
from fieldkit.ui.style import set_role

AUTO_SYNC_MS = 5 * 60_000
FIRST_AUTO_SYNC_MS = 15_000
# Longer than the sync client's longest request (10 s to connect, 60 s to read): the store
# must not close under a sync thread still writing to it.
STOP_WAIT_SECONDS = 75.0


class BackgroundCall(QObject):
    """Runs one Qt-free call on a thread; its result or error comes back as a signal."""

    progress = Signal(int, int, str)
    succeeded = Signal(object)
    failed = Signal(object)  # the exception

    def __init__(self, call: Callable[[Callable[[int, int, str], None], threading.Event], Any],
                 parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.cancel = threading.Event()
        self._call = call
        self._thread = threading.Thread(target=self._run, name="fieldkit-sync", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wait(self, seconds: float | None = None) -> None:
        self._thread.join(seconds)

    def running(self) -> bool:
        return self._thread.is_alive()

    def _run(self) -> None:
        try:
            result = self._call(self.progress.emit, self.cancel)
        except Exception as exc:  # reported to the volunteer on the GUI thread
            self.failed.emit(exc)
            return
        self.succeeded.emit(result)


class SyncStatus(QWidget):
    """Lives in the main window's status bar: the button, a progress bar and Cancel."""

    synced = Signal(object)  # SyncReport: the window refreshes what the pull changed
    revoked = Signal()  # the commune revoked this laptop; the store is locked (remote disable)

    def __init__(self, store: Store, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.call: BackgroundCall | None = None
        self.last_error: str = ""
        self.button = QPushButton(icon("sync"), self.tr("Đồng bộ"))
        self.button.setToolTip(self.tr("Gửi dữ liệu lên máy chủ của xã và nhận cập nhật"))
        self.button.clicked.connect(lambda: self.start(auto=False))
        self.bar = QProgressBar()
        self.bar.setMaximumWidth(160)
        self.bar.hide()
        self.cancel_button = QPushButton(self.tr("Hủy"))
        self.cancel_button.clicked.connect(self.cancel)
        self.cancel_button.hide()
        self.message = QLabel()
        set_role(self.message, "hint")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.message, self.bar, self.cancel_button, self.button):
            layout.addWidget(widget)
        self.timer = QTimer(self)
        self.timer.timeout.connect(lambda: self.start(auto=True))
        if store.is_demo:
            self.button.setEnabled(False)
            self.button.setToolTip(self.tr("Dữ liệu thực hành không bao giờ được đồng bộ"))
        else:
            self.timer.start(FIRST_AUTO_SYNC_MS)
        self.show_state()

    def enrolled(self) -> bool:
        return bool(self.store.meta.get("server_url") and self.store.meta.get("device_token"))

    def show_state(self) -> None:
        if self.store.is_demo:
            self.message.setText("")
            return
        if not self.enrolled():
            self.message.setText(self.tr("Chưa đăng ký với máy chủ xã"))
            return
        last = self.store.meta.get("last_sync_at")
        if self.last_error:
            self.message.setText(self.last_error)
        elif last:
            when = as_utc(datetime.fromisoformat(last)).astimezone()
            self.message.setText(self.tr("Đồng bộ lần cuối {time}").format(
                time=when.strftime("%H:%M %d/%m")))
        else:
            self.message.setText(self.tr("Chưa đồng bộ lần nào"))

    def start(self, auto: bool) -> bool:
        """Sync now; an automatic round does nothing if one is running or not enrolled."""
        if self.store.is_demo or (self.call is not None and self.call.running()):
            return False
        if not self.enrolled():
            if not auto:
                self.last_error = self.tr("Hãy đăng ký máy với máy chủ xã trước "
                                          "(Tệp → Đăng ký với máy chủ xã…).")
                self.message.setText(self.last_error)
            return False
        from fieldkit.sync_client.runner import sync

        store = self.store
        self.call = BackgroundCall(lambda progress, cancel: sync(store, progress, cancel), self)
        self.call.progress.connect(self._progress)
        self.call.succeeded.connect(self._finished)
        self.call.failed.connect(lambda exc, quiet=auto: self._failed(exc, quiet))
        self.button.setEnabled(False)
        self.bar.setRange(0, 0)
        self.bar.show()
        self.cancel_button.show()
        self.message.setText(self.tr("Đang đồng bộ…"))
        self.call.start()
        return True

    def stop(self) -> None:
        """No more automatic rounds; a running sync is cancelled and waited for (it stops
        between requests, each bounded by the client's timeouts)."""
        self.timer.stop()
        if self.call is not None and self.call.running():
            self.call.cancel.set()
            self.call.wait(STOP_WAIT_SECONDS)

    def cancel(self) -> None:
        if self.call is not None:
            self.call.cancel.set()
            self.message.setText(self.tr("Đang dừng…"))

    def _progress(self, done: int, total: int, phase: str) -> None:
        self.bar.setRange(0, max(total, 0))
        self.bar.setValue(min(done, total) if total else 0)
        self.message.setText(self.tr("Đang gửi…") if phase == "push"
                             else self.tr("Đang nhận…"))

    def _idle(self) -> None:
        self.button.setEnabled(True)
        self.bar.hide()
        self.cancel_button.hide()
        self.timer.start(AUTO_SYNC_MS)

    def _finished(self, report: Any) -> None:
        self._idle()
        self.last_error = ""
        self.show_state()
        if report.cancelled:
            self.message.setText(self.tr("Đã dừng đồng bộ; lần sau sẽ làm tiếp."))
        elif report.conflicts or report.quarantined:
            self.message.setText(self.tr(
                "Đã đồng bộ; {conflicts} xung đột, {rejected} bản ghi bị từ chối cần xem "
                "(Tệp → Xung đột đồng bộ…)").format(conflicts=report.conflicts,
                                                       rejected=report.quarantined))
        self.synced.emit(report)

    def _failed(self, error: Exception, quiet: bool) -> None:
        from fieldkit.core.revocation import revocation_of
        from fieldkit.sync_client.client import Revoked, Unreachable

        if isinstance(error, Revoked) or revocation_of(self.store) is not None:
            # No more rounds: the token is gone and the window closes to the locked screen.
            self.timer.stop()
            self.button.setEnabled(False)
            self.bar.hide()
            self.cancel_button.hide()
            self.last_error = str(error)
            self.message.setText(self.last_error)
            self.revoked.emit()
            return
        self._idle()
        if quiet and isinstance(error, Unreachable):
            self.last_error = self.tr("Chưa kết nối được máy chủ; sẽ tự thử lại.")
        else:
            self.last_error = str(error)
        self.message.setText(self.last_error)
