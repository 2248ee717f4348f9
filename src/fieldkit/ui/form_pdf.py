"""The printed declaration: an A4 PDF of the answers with the signed QR receipt.

The family carries this paper to the commune one-stop-shop, where the officer scans the QR
to get the answers without retyping and reads the reference code over the phone when asked.
So the QR must scan from an office printout, and the Vietnamese text must be real text in an
embedded font that has the diacritics: the officer's software copies and searches it.

Layout is measured first and painted second, so every page can say "Trang 2/3" and a loose
page found on a desk can be matched to its declaration by the reference code.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import qrcode
import qrcode.util
from PySide6.QtCore import QMarginsF, QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontDatabase,
    QFontMetricsF,
    QPageLayout,
    QPageSize,
    QPainter,
    QPdfWriter,
)

from fieldkit.core.dates import format_vn_date
from fieldkit.core.forms.definition import FormDefinition
from fieldkit.core.forms.printout import Entry, Item, RepeatTable, Row, printout
from fieldkit.core.models import FormRecord

RESOLUTION = 1200  # dots per inch of the PDF's coordinate space
MARGIN_MM = 15.0
# A module of 0.5 mm is two dots of a cheap 300 dpi office laser and several pixels of a
# phone camera; the symbol is kept between these widths (quiet zone included) so a short
# receipt is not a postage stamp and a long one still leaves room for the header.
MODULE_MM = 0.5
QR_MIN_MM = 50.0
QR_MAX_MM = 75.0
_PREFERRED_FAMILIES = ("DejaVu Sans", "Noto Sans", "Liberation Sans", "Arial")
_LABEL_SHARE = 0.42
_BAND = "#e6e6e6"
_RULE = "#b0b0b0"


PRACTICE_MARK = "BẢN THỰC HÀNH — dữ liệu mẫu, không có giá trị, không nộp"


def write_pdf(path: Path | str, form: FormDefinition, record: FormRecord, receipt: str,
              reference: str, volunteer: str, practice: bool = False) -> None:
    """Write the declaration of `record` to `path`, the receipt's QR on the first page.

    `practice` (the trainer's sandbox) marks every page, so a printout taken home from class
    can never pass for a real declaration."""
    writer = QPdfWriter(str(path))
    writer.setResolution(RESOLUTION)
    writer.setTitle(f"{form.title.get('vi', form.id)} — {reference}")
    writer.setCreator("FieldKit")
    writer.setPageLayout(QPageLayout(QPageSize(QPageSize.PageSizeId.A4),
                                     QPageLayout.Orientation.Portrait, QMarginsF(0, 0, 0, 0),
                                     QPageLayout.Unit.Millimeter))
    today = date.today()
    sections = printout(form, json.loads(record.answers), today)
    layout = _Layout(writer, vietnamese_family())
    if practice:
        layout.y += layout.write(PRACTICE_MARK, layout.font(14, bold=True), layout.left,
                                 layout.right - layout.left)
        layout.y += layout.mm(4)
    layout.header(form, receipt, reference, volunteer, today)
    for section in sections:
        layout.section(section.title, section.items)
    layout.footers(f"{reference} — {PRACTICE_MARK}" if practice else reference)
    painter = QPainter()
    if not painter.begin(writer):
        raise OSError(f"cannot write the PDF file {path}")
    try:
        for number, page in enumerate(layout.pages):
            if number:
                writer.newPage()
            page.paint(painter)
    finally:
        painter.end()


def qr_matrix(receipt: str, alphanumeric: bool = True) -> tuple[list[list[bool]], int]:
    """The receipt's modules (quiet zone included) and the QR version chosen.

    The mode is forced to alphanumeric, which the receipt alphabet was chosen for: 5.5 bits a
    character instead of 8, the difference between a scannable symbol and a dense one. Other
    text (a store link, in lower case) is left to the encoder's choice.
    """
    code = qrcode.QRCode(error_correction=qrcode.constants.ERROR_CORRECT_M, border=4)
    if alphanumeric:
        code.add_data(qrcode.util.QRData(receipt, mode=qrcode.util.MODE_ALPHA_NUM), optimize=0)
    else:
        code.add_data(receipt)
    code.make(fit=True)
    return code.get_matrix(), code.version


def vietnamese_family() -> str:
    """A font with Vietnamese glyphs, so no letter falls back to a font Qt might not embed."""
    vietnamese = QFontDatabase.WritingSystem.Vietnamese
    families = QFontDatabase.families(vietnamese)
    for family in _PREFERRED_FAMILIES:
        if family in families:
            return family
    if families:
        return families[0]
    return QFontDatabase.systemFont(QFontDatabase.SystemFont.GeneralFont).family()


@dataclass(frozen=True)
class _Text:
    rect: QRectF
    text: str
    font: QFont
    flags: int


@dataclass
class _Page:
    """What one page shows, gathered so each colour is filled with a single call.

    PySide6 6.12 on Python 3.11 drops a reference to None on every call of a method that
    returns nothing, and the interpreter aborts once None's count runs out; a QR of 20,000
    modules drawn one call each used it up. Batching keeps a page to a few dozen calls.
    """

    texts: list[_Text] = field(default_factory=list)
    fills: dict[str, list[QRectF]] = field(default_factory=dict)

    def fill(self, rect: QRectF, color: str) -> None:
        self.fills.setdefault(color, []).append(rect)

    def paint(self, painter: QPainter) -> None:
        painter.setPen(Qt.PenStyle.NoPen)
        for color, rects in self.fills.items():
            painter.setBrush(QColor(color))
            painter.drawRects(rects)
        painter.setPen(QColor("black"))
        font: QFont | None = None
        for text in self.texts:
            if text.font is not font:
                font = text.font
                painter.setFont(font)
            painter.drawText(text.rect, text.flags, text.text)


def _qr_rects(origin: QPointF, module: float, matrix: list[list[bool]]) -> list[QRectF]:
    """Dark modules as vector rectangles, crisp at any printer resolution; each row's run of
    dark modules is one rectangle, so no hairline seams appear between neighbours."""
    rects = []
    for y, row in enumerate(matrix):
        x = 0
        while x < len(row):
            if not row[x]:
                x += 1
                continue
            start = x
            while x < len(row) and row[x]:
                x += 1
            rects.append(QRectF(origin.x() + start * module, origin.y() + y * module,
                                (x - start) * module, module))
    return rects


class _Layout:
    """Places everything on pages in device units, breaking pages between rows."""

    def __init__(self, writer: QPdfWriter, family: str) -> None:
        self.writer = writer
        self.family = family
        self.dots_per_mm = RESOLUTION / 25.4
        page = writer.pageLayout().fullRectPoints()
        self.width = page.width() / 72 * RESOLUTION
        self.height = page.height() / 72 * RESOLUTION
        self.margin = MARGIN_MM * self.dots_per_mm
        self.left = self.margin
        self.right = self.width - self.margin
        # Room kept at the bottom for the page footer.
        self.bottom = self.height - self.margin - 6 * self.dots_per_mm
        self.fonts: dict[tuple[float, bool], QFont] = {}
        self.body = self.font(10)
        self.bold = self.font(10, bold=True)
        self.pages = [_Page()]
        self.y = self.margin

    def font(self, points: float, *, bold: bool = False) -> QFont:
        """One QFont per size, shared, so painting switches fonts only when they change."""
        if (points, bold) not in self.fonts:
            font = QFont(self.family)
            font.setPointSizeF(points)
            font.setBold(bold)
            self.fonts[points, bold] = font
        return self.fonts[points, bold]

    def mm(self, value: float) -> float:
        return value * self.dots_per_mm

    def measure(self, text: str, font: QFont, width: float) -> float:
        metrics = QFontMetricsF(font, self.writer)
        flags = int(Qt.TextFlag.TextWordWrap)
        return metrics.boundingRect(QRectF(0, 0, width, 1e9), flags, text or " ").height()

    def room_for(self, height: float) -> None:
        if self.y + height > self.bottom:
            self.pages.append(_Page())
            self.y = self.margin

    def write(self, text: str, font: QFont, left: float, width: float, *,
              align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft) -> float:
        """Text at the current line, without moving it; the height it took."""
        height = self.measure(text, font, width)
        flags = int(Qt.TextFlag.TextWordWrap) | int(align) | int(Qt.AlignmentFlag.AlignTop)
        self.pages[-1].texts.append(_Text(QRectF(left, self.y, width, height), text, font,
                                          flags))
        return height

    def header(self, form: FormDefinition, receipt: str, reference: str, volunteer: str,
               today: date) -> None:
        matrix, _version = qr_matrix(receipt)
        modules = len(matrix)
        wanted = min(max(modules * MODULE_MM, QR_MIN_MM), QR_MAX_MM)
        # Whole device units per module keep every module the same size on paper.
        module = float(int(self.mm(wanted) / modules))
        side = module * modules
        qr_left = self.right - side
        self.pages[-1].fill(QRectF(qr_left, self.y, side, side), "white")
        for rect in _qr_rects(QPointF(qr_left, self.y), module, matrix):
            self.pages[-1].fill(rect, "black")
        caption_top = self.y + side
        text_width = qr_left - self.left - self.mm(6)
        top = self.y
        title = form.title.get("vi", form.id)
        self.y += self.write(title, self.font(16, bold=True), self.left, text_width)
        self.y += self.mm(2)
        self.y += self.write(f"Biểu mẫu: {form.id}, phiên bản {form.version}", self.body,
                             self.left, text_width)
        self.y += self.mm(6)
        self.y += self.write("Mã tham chiếu", self.body, self.left, text_width)
        self.y += self.write(reference, self.font(28, bold=True), self.left, text_width)
        self.y += self.mm(6)
        self.y += self.write(f"Ngày in: {format_vn_date(today)}", self.body, self.left,
                             text_width)
        self.y += self.mm(1)
        self.y += self.write(f"Người hỗ trợ kê khai: {volunteer}", self.body, self.left,
                             text_width)
        left_bottom = self.y
        self.y = caption_top
        self.y += self.write("Biên nhận có chữ ký số: quét mã QR để kiểm tra.", self.font(8),
                             qr_left, side, align=Qt.AlignmentFlag.AlignHCenter)
        self.y = max(self.y, left_bottom, top) + self.mm(6)

    def section(self, title: str, items: tuple[Item, ...]) -> None:
        if title:
            height = self.measure(title, self.font(11, bold=True), self.right - self.left)
            pad = self.mm(1.5)
            # A title alone at the foot of a page is useless: keep it with its first row.
            self.room_for(height + 2 * pad + self.mm(8))
            self.pages[-1].fill(QRectF(self.left, self.y, self.right - self.left,
                                       height + 2 * pad), _BAND)
            self.y += pad
            self.write(title, self.font(11, bold=True), self.left + pad,
                       self.right - self.left - 2 * pad)
            self.y += height + pad + self.mm(1)
        self.items(items, self.left)
        self.y += self.mm(4)

    def items(self, items: tuple[Item, ...], left: float) -> None:
        for item in items:
            if isinstance(item, Row):
                self.row(item, left)
            else:
                self.repeat(item, left)

    def row(self, row: Row, left: float) -> None:
        width = self.right - left
        label_width = width * _LABEL_SHARE
        value_left = left + label_width + self.mm(3)
        value_width = self.right - value_left
        gap = self.mm(1.2)
        height = max(self.measure(row.label, self.body, label_width),
                     self.measure(row.value, self.bold, value_width))
        self.room_for(height + gap)
        self.write(row.label, self.body, left, label_width)
        self.write(row.value, self.bold, value_left, value_width)
        self.y += height + gap / 2
        self.pages[-1].fill(QRectF(left, self.y, width, max(1.0, self.mm(0.1))), _RULE)
        self.y += gap / 2

    def repeat(self, table: RepeatTable, left: float) -> None:
        if not table.entries:
            self.row(Row(table.title, "Không có"), left)
            return
        for entry in table.entries:
            self.entry(table.title, entry, left)

    def entry(self, title: str, entry: Entry, left: float) -> None:
        heading = f"{title} — {entry.number}"
        font = self.font(10, bold=True)
        height = self.measure(heading, font, self.right - left)
        self.room_for(height + self.mm(8))
        self.y += self.mm(1)
        self.y += self.write(heading, font, left, self.right - left) + self.mm(1)
        self.items(entry.items, left + self.mm(6))

    def footers(self, reference: str) -> None:
        font = self.font(8)
        total = len(self.pages)
        top = self.height - self.margin - self.mm(4)
        for number, page in enumerate(self.pages, start=1):
            text = f"Mã tham chiếu {reference} · Trang {number}/{total}"
            flags = int(Qt.AlignmentFlag.AlignRight) | int(Qt.AlignmentFlag.AlignTop)
            page.texts.append(_Text(QRectF(self.left, top, self.right - self.left,
                                           self.mm(5)), text, font, flags))
