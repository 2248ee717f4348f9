"""Locks the app after a stretch without keyboard or mouse input: a laptop left on a table in
a busy commune hall must not show anyone's ID number to the next person."""

from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication

INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleLock(QObject):
    def __init__(self, app: QApplication, idle_ms: int, on_idle: Callable[[], None]) -> None:
        super().__init__()
        self._app = app
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(idle_ms)
        self._timer.timeout.connect(on_idle)
        app.installEventFilter(self)
        self._timer.start()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in INPUT_EVENTS:
            self._timer.start()
        return False

    def set_interval(self, idle_ms: int) -> None:
        self._timer.setInterval(idle_ms)
        self._timer.start()

    def stop(self) -> None:
        self._timer.stop()
        self._app.removeEventFilter(self)
