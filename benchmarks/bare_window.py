"""Baseline process for first paint and memory: a bare PySide6 window on the same platform.

It does only what any Qt application must (QApplication, one shown QWidget) and exits once the
window has painted, printing its resident memory at that moment.
"""

import sys

import psutil
from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import QApplication, QWidget


class QuitAfterPaint(QObject):
    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint:
            # After this paint has finished, as FieldKit's own first-paint smoke test does.
            QTimer.singleShot(0, QApplication.quit)
        return False


def main() -> None:
    app = QApplication(sys.argv[:1])
    window = QWidget()
    window.setWindowTitle("baseline")
    watcher = QuitAfterPaint(window)
    window.installEventFilter(watcher)
    window.show()
    app.exec()
    print(f"rss {psutil.Process().memory_info().rss}")


if __name__ == "__main__":
    main()
