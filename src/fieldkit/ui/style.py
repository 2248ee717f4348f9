"""Fusion style, one palette and one stylesheet, and the large-text setting."""

from PySide6.QtGui import QColor, QFont, QPalette
from PySide6.QtWidgets import QApplication, QWidget

from fieldkit.core.paths import resources_dir

NORMAL_POINT_SIZE = 11
LARGE_POINT_SIZE = 15


def apply_style(app: QApplication, large_text: bool = False) -> None:
    app.setStyle("Fusion")
    palette = QPalette()
    palette.setColor(QPalette.ColorRole.Window, QColor("#f6f7f9"))
    palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
    palette.setColor(QPalette.ColorRole.Text, QColor("#1b1f24"))
    palette.setColor(QPalette.ColorRole.WindowText, QColor("#1b1f24"))
    palette.setColor(QPalette.ColorRole.Highlight, QColor("#0b5cad"))
    palette.setColor(QPalette.ColorRole.HighlightedText, QColor("#ffffff"))
    app.setPalette(palette)
    set_large_text(app, large_text)
    qss = resources_dir() / "styles" / "fieldkit.qss"
    app.setStyleSheet(qss.read_text(encoding="utf-8"))


def set_large_text(app: QApplication, large: bool) -> None:
    font = QFont(app.font())
    font.setPointSize(LARGE_POINT_SIZE if large else NORMAL_POINT_SIZE)
    app.setFont(font)
    # The stylesheet style gave every open widget its font when it polished it, and setFont
    # alone does not re-polish: without this the new size waits for a restart.
    if qss := app.styleSheet():
        app.setStyleSheet("")
        app.setStyleSheet(qss)


def set_role(widget: QWidget, role: str) -> None:
    """Tag a widget for the stylesheet (`[role="..."]`) and re-polish it."""
    widget.setProperty("role", role)
    widget.style().unpolish(widget)
    widget.style().polish(widget)


def mark_invalid(widget: QWidget, invalid: bool) -> None:
    widget.setProperty("invalid", invalid)
    widget.style().unpolish(widget)
    widget.style().polish(widget)
