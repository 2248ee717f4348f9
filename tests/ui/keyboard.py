"""Typing any Unicode text into a widget as key events.

QTest.keyClicks only knows ASCII (it aborts on "ò"), but volunteers type Vietnamese through an
input method and scanners type names with diacritics, which reach the widget as key events
carrying text. This sends exactly that, one character at a time.
"""

from PySide6.QtCore import QEvent, QPoint, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLineEdit, QWidget


def _target(widget: QWidget) -> QWidget:
    # As with a real keyboard, an open popup (a completer's list) gets the keys first.
    return QApplication.activePopupWidget() or widget


def type_text(widget: QWidget, text: str) -> None:
    for ch in text:
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            QApplication.sendEvent(_target(widget),
                                   QKeyEvent(kind, 0, Qt.KeyboardModifier.NoModifier, ch))


def press_enter(widget: QWidget) -> None:
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        QApplication.sendEvent(
            _target(widget),
            QKeyEvent(kind, Qt.Key.Key_Return, Qt.KeyboardModifier.NoModifier, "\r"))


def replace_text(edit: QLineEdit, text: str) -> None:
    """What a volunteer does: select what is in the field, type over it, press Enter."""
    edit.setFocus()
    edit.selectAll()
    type_text(edit, text)
    press_enter(edit)


def tick(box: QAbstractButton) -> None:
    """Click a check box on its indicator: the centre of a stretched box is outside its hit area."""
    QTest.mouseClick(box, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier,
                     QPoint(8, box.height() // 2))
