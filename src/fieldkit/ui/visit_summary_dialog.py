"""The end-of-visit summary shown, printed or saved as a PDF for the family to keep.

The household keeps this page after the volunteer leaves, so one rich-text document serves the
screen, the printer and the PDF alike: what the family reads on the laptop is what they take
home. The PDF carries real text in an embedded font with the Vietnamese diacritics (the same
font choice as the printed declarations), so it can be searched and copied.

Guide and form definitions are loaded when the dialog opens, not at import: they are only
needed for titles and fixes, and a damaged file costs a title (shown as its id), never the
summary.
"""

from __future__ import annotations

import errno
import os
from datetime import datetime
from html import escape
from pathlib import Path

from PySide6.QtCore import QMarginsF, QStandardPaths
from PySide6.QtGui import (
    QFont,
    QPagedPaintDevice,
    QPageLayout,
    QPageSize,
    QPdfWriter,
    QTextDocument,
)
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QLabel,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.dates import format_vn_date
from fieldkit.core.folding import fold
from fieldkit.core.forms.definition import load_forms_reporting
from fieldkit.core.guides import load_guides_reporting, newest_guides
from fieldkit.core.paths import forms_dir, guides_dir, synced_definitions
from fieldkit.core.store import Store
from fieldkit.core.visit_summary import (
    FormNote,
    GuideRunSummary,
    NextStep,
    PersonSummary,
    VisitSummary,
    summarise_visit,
)
from fieldkit.core.vocabulary import Language
from fieldkit.ui.form_pdf import vietnamese_family
from fieldkit.ui.style import set_role

PDF_POINT_SIZE = 11.0
RESOLUTION = 1200


class VisitSummaryDialog(QDialog):
    """One screen per household: the visit, then a section per person helped."""

    def __init__(self, store: Store, visit_id: str, language: Language = "vi",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.visit_id = visit_id
        self.language = language
        self.setWindowTitle(self.tr("Tóm tắt buổi hỗ trợ"))
        self.setMinimumSize(640, 560)
        self.resize(860, 820)

        guides, _guide_errors = load_guides_reporting(
            guides_dir(), synced_definitions(store.data_dir, "guides"))
        forms, _form_errors = load_forms_reporting(
            forms_dir(), synced_definitions(store.data_dir, "forms"))
        with store.read() as session:
            self.summary = summarise_visit(session, visit_id, newest_guides(guides),
                                           {f.id: f for f in forms}, language)
        self.html = self.summary_html()

        self.browser = QTextBrowser()
        self.browser.setOpenLinks(False)
        self.browser.setHtml(self.html)
        self.browser.setAccessibleName(self.tr("Tóm tắt buổi hỗ trợ"))
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.hide()

        buttons = QDialogButtonBox()
        self.print_button = QPushButton(self.tr("In…"))
        self.print_button.clicked.connect(self.choose_printer)
        self.pdf_button = QPushButton(self.tr("Lưu PDF…"))
        self.pdf_button.clicked.connect(self.choose_pdf_path)
        self.close_button = QPushButton(self.tr("Đóng"))
        self.close_button.clicked.connect(self.reject)
        buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.pdf_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)

        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(self.message)
        layout.addWidget(buttons)

    # -- the document ------------------------------------------------------------------------

    def summary_html(self) -> str:
        summary = self.summary
        title = self.tr("Tóm tắt buổi hỗ trợ")
        parts = [f"<h1>{escape(title)}</h1>", self._header(summary)]
        if self.store.is_demo:  # a printout from class must never pass for a real one
            mark = self.tr("BẢN THỰC HÀNH — dữ liệu mẫu, không có giá trị")
            parts.insert(0, f"<p style='color:#d9480f'><b>{escape(mark)}</b></p>")
        if not summary.people and not summary.household_forms:
            nobody = self.tr("Không có ai được hỗ trợ trong buổi này.")
            parts.append(f"<p>{escape(nobody)}</p>")
        parts += [self._person(person) for person in summary.people]
        if summary.household_forms:
            household_forms = self.tr("Giấy tờ chung của hộ")
            parts.append(f"<h2>{escape(household_forms)}</h2>")
            parts.append(self._forms(summary.household_forms))
            parts.append(self._next_steps(summary.household_next_steps))
        keep = self.tr("Hãy giữ tờ này: việc còn lại và nơi cần đến được ghi ở trên.")
        parts.append(f"<p><i>{escape(keep)}</i></p>")
        return "\n".join(parts)

    def _header(self, summary: VisitSummary) -> str:
        home = summary.household
        place = _place_line((home.address, home.village, home.commune, home.province))
        started = summary.started_at.astimezone()
        if summary.ended_at is not None:
            when = self.tr("{date}, từ {start} đến {end}").format(
                date=format_vn_date(started), start=_clock(started),
                end=_clock(summary.ended_at.astimezone()))
        else:
            when = self.tr("{date}, từ {start} (chưa kết thúc)").format(
                date=format_vn_date(started), start=_clock(started))
        rows = [
            (self.tr("Chủ hộ"), home.head_name or self.tr("(chưa có tên)")),
            (self.tr("Địa chỉ"), place),
            (self.tr("Thời gian"), when),
            (self.tr("Tình nguyện viên"), summary.volunteer),
            (self.tr("Kết quả"), summary.outcome or self.tr("Buổi hỗ trợ chưa kết thúc")),
            (self.tr("Đã hỗ trợ"), ", ".join(summary.services) or self.tr("Không có")),
        ]
        lines = "<br>".join(f"<b>{escape(name)}:</b> {escape(value)}" for name, value in rows)
        return f"<p>{lines}</p>"

    def _person(self, person: PersonSummary) -> str:
        if person.erased:
            heading = self.tr("Một thành viên đã rút lại đồng ý (thông tin cá nhân đã được xóa)")
        else:
            name = person.name or self.tr("(chưa có tên)")
            heading = f"{name} ({person.relation})" if person.relation else name
        parts = [f"<h2>{escape(heading)}</h2>"]
        if person.vneid_status is not None:
            parts.append("<p>" + escape(self.tr("Tài khoản VNeID: {status}").format(
                status=person.vneid_status)) + "</p>")
        if person.guides:
            done = self.tr("Đã làm")
            parts.append(f"<h3>{escape(done)}</h3>")
            parts.append("<ul>" + "".join(self._guide(run) for run in person.guides) + "</ul>")
        if person.forms:
            forms = self.tr("Tờ khai")
            parts.append(f"<h3>{escape(forms)}</h3>")
            parts.append(self._forms(person.forms))
        parts.append(self._next_steps(person.next_steps))
        return "\n".join(parts)

    def _guide(self, run: GuideRunSummary) -> str:
        line = self.tr("Hướng dẫn “{guide}”: {status}").format(guide=run.title,
                                                               status=run.status_label)
        if run.result is not None:
            line += ". " + self.tr("Tài khoản sau hướng dẫn: {status}").format(status=run.result)
        details = []
        for problem in run.problems:
            text = self.tr("Gặp vấn đề ở bước “{step}”: {problem}").format(
                step=problem.step, problem=problem.title)
            if problem.times > 1:
                text += " " + self.tr("({times} lần)").format(times=problem.times)
            text += " — " + (self.tr("đã khắc phục") if problem.resolved
                             else self.tr("chưa khắc phục"))
            if problem.fix:
                text += ". " + self.tr("Cách khắc phục: {fix}").format(fix=problem.fix)
            details.append(text)
        for skipped in run.skipped:
            if skipped.reason:
                details.append(self.tr("Bỏ qua bước “{step}”: {reason}").format(
                    step=skipped.step, reason=skipped.reason))
            else:
                details.append(self.tr("Bỏ qua bước “{step}”").format(step=skipped.step))
        nested = "".join(f"<li>{escape(text)}</li>" for text in details)
        return f"<li>{escape(line)}" + (f"<ul>{nested}</ul>" if nested else "") + "</li>"

    def _forms(self, forms: tuple[FormNote, ...]) -> str:
        items = []
        for form in forms:
            text = f"{form.title}: {form.status_label}"
            if form.reference:
                text += ", " + self.tr("mã tham chiếu {reference}").format(
                    reference=form.reference)
            items.append(f"<li>{escape(text)}</li>")
        return "<ul>" + "".join(items) + "</ul>"

    def _next_steps(self, steps: tuple[NextStep, ...]) -> str:
        remaining = self.tr("Việc còn lại")
        heading = f"<h3>{escape(remaining)}</h3>"
        if not steps:
            nothing = self.tr("Không còn việc gì phải làm.")
            return heading + f"<p>{escape(nothing)}</p>"
        items = "".join(
            f"<li><b>{escape(step.what)}</b><br>"
            + escape(self.tr("Ở đâu: {where}").format(where=step.where)) + "</li>"
            for step in steps)
        return heading + f"<ol>{items}</ol>"

    def document(self) -> QTextDocument:
        """The summary as a document for paper: a font with every Vietnamese letter, so no
        glyph falls back to a font the PDF might not embed."""
        document = QTextDocument(self)
        document.setDefaultFont(QFont(vietnamese_family(), PDF_POINT_SIZE))
        document.setHtml(self.html)
        return document

    def title(self) -> str:
        head = self.summary.household.head_name
        title = self.tr("Tóm tắt buổi hỗ trợ")
        return f"{title} — {head}" if head else title

    # -- output ------------------------------------------------------------------------------

    def print_to(self, device: QPagedPaintDevice) -> None:
        self.document().print_(device)

    def choose_printer(self) -> None:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
        printer.setDocName(self.title())
        dialog = QPrintDialog(printer, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.print_to(printer)

    def default_pdf_path(self) -> Path:
        """`tom-tat-<head>-<date>.pdf` in Documents: plain letters travel safely by USB stick
        and Zalo, where diacritics in file names get mangled."""
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        head = fold(self.summary.household.head_name or "").replace(" ", "-")
        day = self.summary.started_at.astimezone().date()
        name = "-".join(part for part in ("tom-tat", head, day.isoformat()) if part)
        return Path(folder) / f"{name}.pdf"

    def choose_pdf_path(self) -> None:
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Lưu tóm tắt thành PDF"), str(self.default_pdf_path()),
            self.tr("Tệp PDF (*.pdf)"))
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        self.save_pdf(path)

    def save_pdf(self, path: Path | str) -> bool:
        """Write the summary as an A4 PDF; on failure say why in the dialog."""
        try:
            # Opening the file first gives the system's reason (permission, no such folder),
            # which QPdfWriter would swallow.
            with open(path, "ab"):
                pass
            writer = QPdfWriter(str(path))
            writer.setResolution(RESOLUTION)
            writer.setTitle(self.title())
            writer.setCreator("FieldKit")
            # No page margins: QTextDocument.print_ keeps 2 cm on every side by itself.
            writer.setPageLayout(QPageLayout(
                QPageSize(QPageSize.PageSizeId.A4), QPageLayout.Orientation.Portrait,
                QMarginsF(0, 0, 0, 0), QPageLayout.Unit.Millimeter))
            self.print_to(writer)
            # The writer finishes the file when it is deleted; then an empty file is the only
            # sign of a full disk.
            del writer
            if Path(path).stat().st_size == 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        except OSError as exc:
            self._show(self.tr("Không lưu được tệp PDF ({reason}). Hãy chọn thư mục khác hoặc "
                               "kiểm tra ổ đĩa còn chỗ trống.").format(
                                   reason=exc.strerror or str(exc)), "error")
            return False
        self._show(self.tr("Đã lưu PDF: {path}").format(path=path), "saved")
        return True

    def _show(self, text: str, role: str) -> None:
        self.message.setText(text)
        set_role(self.message, role)
        self.message.show()


def _clock(moment: datetime) -> str:
    return moment.strftime("%H:%M")


def _place_line(parts: tuple[str, ...]) -> str:
    """The address often already names the village ("Số 3, Bản Phiêng Luông"): each part is
    added only when the line does not say it yet."""
    kept: list[str] = []
    for part in parts:
        if part and fold(part) not in fold(", ".join(kept)):
            kept.append(part)
    return ", ".join(kept)
