"""What makes the trainer's sandbox look unmistakably like practice, and its loading screen.

A volunteer who has practised in class must never wonder, back in a village, whether the
screen in front of her is the sandbox. So while the sandbox is open every window carries the
same orange banner and a title marked as practice: the main window builds it in, and every
other window (dialogs, forms, guides, summaries, including ones added later) gets it from one
application-wide event filter when it is first shown, so no screen can forget it.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QBoxLayout,
    QDialog,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.store import Store

BANNER_NAME = "demo_banner"


class DemoBanner(QLabel):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(BANNER_NAME)
        self.setText(self.tr("CHẾ ĐỘ THỰC HÀNH — dữ liệu mẫu, không phải người thật. "
                             "Không dùng khi làm việc với người dân; không bao giờ đồng bộ."))
        self.setWordWrap(True)
        self.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.setStyleSheet("background: #d9480f; color: #ffffff; font-weight: 600; "
                           "padding: 6px; border-radius: 0px;")


def practice_title(title: str) -> str:
    prefix = QApplication.translate("DemoBanner", "[THỰC HÀNH]")
    return title if title.startswith(prefix) else f"{prefix} {title}"


def has_banner(window: QWidget) -> bool:
    return window.findChild(QLabel, BANNER_NAME) is not None


class DemoMarker(QObject):
    """Installed on the application while the sandbox is open: marks each window it shows."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (event.type() == QEvent.Type.Show and isinstance(watched, QDialog)
                and watched.isWindow()):
            mark_window(watched)
        return False


def mark_window(window: QWidget) -> None:
    """Banner on top and a practice title. Message boxes and file pickers keep their own
    layouts (Qt builds those) and only get the title."""
    window.setWindowTitle(practice_title(window.windowTitle() or "FieldKit"))
    if isinstance(window, QMessageBox | QFileDialog) or has_banner(window):
        return
    layout = window.layout()
    if isinstance(layout, QBoxLayout):
        banner = DemoBanner(window)
        layout.insertWidget(0, banner)
        banner.show()  # the window is already being shown: a new child is not, by itself


class Cancelled(Exception):
    """The trainer cancelled preparing the sandbox."""


class DemoLoading(QWidget):
    """Shown while the sandbox is seeded or reset (a few seconds), with progress.

    The work is Qt-free core code and runs on a plain thread, so this window keeps painting;
    its result comes back to the GUI thread through a queued signal."""

    ready = Signal(object)  # the opened Store
    failed = Signal(str)
    retry_requested = Signal()
    leave_requested = Signal()
    _progress = Signal(int)
    _done = Signal(object, object)  # store or None, error or None

    def __init__(self, work: Callable[[Callable[[int], None]], Store],
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(practice_title("FieldKit"))
        self.message = QLabel(self.tr("Đang chuẩn bị dữ liệu thực hành (khoảng 200 hộ mẫu)…"))
        self.message.setWordWrap(True)
        self.bar = QProgressBar()
        self.bar.setRange(0, 100)
        self._cancel = threading.Event()
        # Cancel stops the seed at its next progress report; the half-made sandbox is never
        # marked complete, so the next open seeds it again from the start.
        self.cancel_button = QPushButton(self.tr("Hủy"))
        self.cancel_button.clicked.connect(self._cancel.set)
        self.retry_button = QPushButton(self.tr("Thử lại"))
        self.retry_button.clicked.connect(self.retry_requested.emit)
        self.leave_button = QPushButton(self.tr("Thoát chế độ thực hành"))
        self.leave_button.clicked.connect(self.leave_requested.emit)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        for button in (self.cancel_button, self.retry_button, self.leave_button):
            buttons.addWidget(button)
        self.retry_button.hide()
        self.leave_button.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(DemoBanner(self))
        layout.addWidget(self.message)
        layout.addWidget(self.bar)
        layout.addLayout(buttons)
        self.resize(520, 180)
        self._progress.connect(self.bar.setValue)
        self._done.connect(self._finish)
        self._work = work
        self._thread = threading.Thread(target=self._run, name="fieldkit-demo", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def wait(self) -> None:
        self._thread.join()

    def _run(self) -> None:
        def progress(percent: int) -> None:
            if self._cancel.is_set():
                raise Cancelled(self.tr("Đã hủy."))
            self._progress.emit(percent)

        try:
            store = self._work(progress)
        except Exception as exc:  # shown to the trainer; the sandbox is rebuilt next time
            self._done.emit(None, exc)
            return
        self._done.emit(store, None)

    def _finish(self, store: Store | None, error: Exception | None) -> None:
        if error is not None:
            self.message.setText(self.tr("Không chuẩn bị được dữ liệu thực hành: {error}").format(
                error=error))
            self.cancel_button.hide()
            self.retry_button.show()
            self.leave_button.show()
            self.failed.emit(str(error))
            return
        self.bar.setValue(100)
        self.ready.emit(store)
