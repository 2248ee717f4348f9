"""The declaration's QR receipt shown large on screen, for when there is no printer.

The officer at the one-stop-shop scans it from the laptop (or from a photo the family took of
it), so the symbol is the very one printed on the PDF: same receipt, same `qr_matrix`, drawn
with whole pixels per module so every module has the same size and edges stay sharp.
"""

from __future__ import annotations

from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QFont, QImage, QPainter, QPixmap
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QVBoxLayout, QWidget

from fieldkit.ui.form_pdf import qr_matrix
from fieldkit.ui.style import set_role

# Wanted width of the symbol on screen, quiet zone included, and the smallest module that a
# phone camera or a USB scanner reads reliably off a laptop screen.
TARGET_PIXELS = 560
MIN_MODULE_PIXELS = 4


def qr_image(receipt: str, target: int = TARGET_PIXELS, alphanumeric: bool = True) -> QImage:
    """The receipt's QR as a black-on-white image, whole pixels per module (`alphanumeric`
    False for any other text, such as a link).

    Each row's run of dark modules becomes one rectangle and all are painted with a single
    `drawRects` call: PySide6 leaks a reference to None on every call that returns nothing,
    so a module-per-call drawing of a long receipt could abort the interpreter.
    """
    matrix, _version = qr_matrix(receipt, alphanumeric)
    modules = len(matrix)
    module = max(MIN_MODULE_PIXELS, target // modules)
    side = modules * module
    rects: list[QRect] = []
    for y, row in enumerate(matrix):
        x = 0
        while x < modules:
            if not row[x]:
                x += 1
                continue
            start = x
            while x < modules and row[x]:
                x += 1
            rects.append(QRect(start * module, y * module, (x - start) * module, module))
    image = QImage(side, side, QImage.Format.Format_RGB32)
    image.fill(QColor("white"))
    painter = QPainter(image)
    try:
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor("black"))
        painter.drawRects(rects)
    finally:
        painter.end()
    return image


class ReceiptDialog(QDialog):
    """The QR, the reference code in large type, and what to do with them."""

    def __init__(self, receipt: str, reference: str, title: str = "",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.receipt = receipt
        self.reference = reference
        self.setWindowTitle(self.tr("Mã QR biên nhận") + (f" — {title}" if title else ""))
        self.image = qr_image(receipt)

        self.qr_label = QLabel()
        self.qr_label.setPixmap(QPixmap.fromImage(self.image))
        self.qr_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        # The symbol must never be scaled: a resampled module blurs into its neighbours.
        self.qr_label.setMinimumSize(self.image.size())
        self.qr_label.setAccessibleName(self.tr("Mã QR biên nhận"))

        caption = QLabel(self.tr("Mã tham chiếu"))
        caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reference_label = QLabel(reference)
        font = QFont(self.reference_label.font())
        font.setPointSize(28)
        font.setBold(True)
        self.reference_label.setFont(font)
        self.reference_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.reference_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse)
        self.explanation = QLabel(self.tr("Đưa mã này cho cán bộ một cửa quét, hoặc chụp lại."))
        self.explanation.setWordWrap(True)
        self.explanation.setAlignment(Qt.AlignmentFlag.AlignCenter)
        set_role(self.explanation, "hint")

        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        self.close_button = buttons.button(QDialogButtonBox.StandardButton.Close)
        self.close_button.setText(self.tr("Đóng"))

        layout = QVBoxLayout(self)
        layout.addWidget(self.qr_label, 1)
        layout.addWidget(caption)
        layout.addWidget(self.reference_label)
        layout.addWidget(self.explanation)
        layout.addWidget(buttons)
