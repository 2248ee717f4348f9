"""The campaign progress as an XLSX workbook, in the form the commune reports upward.

One sheet per commune with a campaign: a title row (commune, campaign period, date made), a
two-row header (each measure's target, achieved and %), one row per hamlet and a total row,
then the definitions. Two more sheets hold every commune's volunteers and weeks. Values are
written, not formulas, so the file reads the same in any spreadsheet program and in
`openpyxl`; text cells are typed as strings, so a hamlet name typed on a laptop as "=…"
stays a name (see `export`).
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from fieldkit.core.i18n import tr
from fieldkit_server.web.display import local_date
from fieldkit_server.web.progress import CommuneProgress, HamletProgress

# Texts are Vietnamese sources: the workbook is written in the officer's language (see `tr`).
MEASURES = ("Hộ đã tiếp cận", "Tài khoản VNeID mức 2", "Tờ khai đã hoàn thành")
PARTS = ("Chỉ tiêu", "Đạt", "Tỷ lệ")
LISTED = ("Hộ trong danh sách xã", ("Số hộ", "Đã tiếp cận"))
NOTES = (
    "Hộ đã tiếp cận: hộ có ít nhất một lượt thăm bắt đầu trong thời gian chiến dịch.",
    "Tài khoản VNeID mức 2: nhân khẩu của các hộ trong thôn/bản có tài khoản mức 2 "
    "(tính lũy kế theo tình trạng hiện tại).",
    "Tờ khai đã hoàn thành: tờ khai hoàn thành trong thời gian chiến dịch.",
    "Hộ trong danh sách xã: hộ trong danh sách xã đã nhập; đã tiếp cận: hộ trong danh sách "
    "đã được đăng ký trên FieldKit và được thăm trong thời gian chiến dịch.",
    "Tỷ lệ để trống khi thôn/bản chưa có chỉ tiêu. Không tính dữ liệu thực hành và dữ liệu "
    "đã xóa.",
)
VOLUNTEER_SHEET = "Theo tình nguyện viên"
WEEK_SHEET = "Theo tuần"
_BOLD = Font(bold=True)
_TITLE = Font(bold=True, size=13)
_HEAD_FILL = PatternFill("solid", fgColor="E9EEF2")
_THIN = Side(style="thin", color="9AA5B1")
_BOX = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_CENTRE = Alignment(horizontal="center", vertical="center", wrap_text=True)
_SHEET_NAME_UNSAFE = re.compile(r"[\[\]:*?/\\]")


def file_name(today: date) -> str:
    return f"fieldkit-tien-do-chien-dich-{today.isoformat()}.xlsx"


def period_text(found: CommuneProgress) -> str:
    assert found.campaign is not None
    return tr("từ {start} đến {end} ({days} ngày)").format(
        start=local_date(found.campaign.starts_on), end=local_date(found.campaign.ends_on),
        days=found.campaign.days)


def title_text(found: CommuneProgress, today: date) -> str:
    return tr("{commune} ({province}) – tiến độ chiến dịch {period} – lập ngày {date}").format(
        commune=found.name, province=found.province, period=period_text(found),
        date=local_date(today))


def to_xlsx(communes: Sequence[CommuneProgress], today: date) -> bytes:
    """The workbook of every commune in `communes` that has a campaign."""
    running = [c for c in communes if c.campaign is not None]
    book = Workbook()
    used: set[str] = set()
    first = True
    for found in running:
        sheet = book.active if first else book.create_sheet()
        first = False
        sheet.title = _sheet_title(found.name, used)
        _commune_sheet(sheet, found, today)
    volunteers = book.active if first else book.create_sheet()
    volunteers.title = _sheet_title(tr(VOLUNTEER_SHEET), used)
    _table_sheet(volunteers,
                 tr("Tiến độ theo tình nguyện viên – lập ngày {date}").format(
                     date=local_date(today)),
                 [tr("Xã/phường"), tr("Thời gian chiến dịch"), tr("Tình nguyện viên"),
                  tr("Lượt thăm"), tr("Hộ đã tiếp cận"), tr("Lượt hướng dẫn")],
                 [[c.name, period_text(c), v.name, v.visits, v.households, v.guide_runs]
                  for c in running for v in c.volunteers])
    weeks = book.create_sheet()
    weeks.title = _sheet_title(tr(WEEK_SHEET), used)
    _table_sheet(weeks,
                 tr("Tiến độ theo tuần của chiến dịch – lập ngày {date}").format(
                     date=local_date(today)),
                 [tr("Xã/phường"), tr("Tuần"), tr("Từ ngày"), tr("Đến ngày"), tr("Lượt thăm"),
                  tr("Hộ tiếp cận mới"), tr("Lũy kế hộ đã tiếp cận"),
                  tr("Tờ khai đã hoàn thành")],
                 [[c.name, tr("Tuần {number}").format(number=w.number), local_date(w.first),
                   local_date(w.last),
                   w.visits, w.new_households, w.reached_so_far, w.forms]
                  for c in running for w in c.weeks])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _sheet_title(name: str, used: set[str]) -> str:
    """A name Excel accepts (31 characters, none of []:*?/\\), unique in the workbook."""
    base = _SHEET_NAME_UNSAFE.sub(" ", name).strip().strip("'") or tr("Xã")
    title, number = base[:31], 2
    while title.lower() in used:
        suffix = f" ({number})"
        title, number = base[:31 - len(suffix)] + suffix, number + 1
    used.add(title.lower())
    return title


def _put(sheet: Worksheet, row: int, column: int, value: Any) -> Any:
    cell = sheet.cell(row=row, column=column)
    if value is None or (isinstance(value, int | float) and not isinstance(value, bool)):
        cell.value = value
    else:
        cell.value = str(value)
        cell.data_type = TYPE_STRING
    return cell


def _commune_sheet(sheet: Worksheet, found: CommuneProgress, today: date) -> None:
    columns = 2 + 3 * len(MEASURES) + 2
    _put(sheet, 1, 1, title_text(found, today)).font = _TITLE
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=columns)
    _put(sheet, 2, 1, tr("Thời gian: {timing}; đã qua {percent}% thời gian chiến dịch.").format(
        timing=found.timing, percent=found.elapsed_percent))
    sheet.merge_cells(start_row=2, start_column=1, end_row=2, end_column=columns)
    top, sub = 4, 5
    for column, text in ((1, tr("STT")), (2, tr("Thôn/bản"))):
        _put(sheet, top, column, text)
        sheet.merge_cells(start_row=top, start_column=column, end_row=sub, end_column=column)
    for index, measure in enumerate(MEASURES):
        start = 3 + 3 * index
        _put(sheet, top, start, tr(measure))
        sheet.merge_cells(start_row=top, start_column=start, end_row=top, end_column=start + 2)
        for offset, part in enumerate(PARTS):
            _put(sheet, sub, start + offset, tr(part))
    start = 3 + 3 * len(MEASURES)
    _put(sheet, top, start, tr(LISTED[0]))
    sheet.merge_cells(start_row=top, start_column=start, end_row=top, end_column=start + 1)
    for offset, part in enumerate(LISTED[1]):
        _put(sheet, sub, start + offset, tr(part))
    for row in (top, sub):
        for column in range(1, columns + 1):
            cell = sheet.cell(row=row, column=column)
            cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEAD_FILL, _CENTRE, _BOX
    row = sub + 1
    for number, hamlet in enumerate(found.hamlets, start=1):
        _hamlet_row(sheet, row, number, hamlet)
        row += 1
    _hamlet_row(sheet, row, None, found.total)
    for column in range(1, columns + 1):
        sheet.cell(row=row, column=column).font = _BOLD
    for index, note in enumerate(NOTES, start=row + 2):
        _put(sheet, index, 1, tr("Ghi chú: {note}").format(note=tr(note)) if index == row + 2
             else tr(note))
    sheet.column_dimensions["A"].width = 6
    sheet.column_dimensions["B"].width = max(
        [12, *(len(h.name) + 2 for h in found.hamlets)])
    for column in range(3, columns + 1):
        sheet.column_dimensions[get_column_letter(column)].width = 12
    sheet.row_dimensions[top].height = 32
    sheet.freeze_panes = sheet.cell(row=sub + 1, column=3)


def _hamlet_row(sheet: Worksheet, row: int, number: int | None,
                hamlet: HamletProgress) -> None:
    _put(sheet, row, 1, number)
    _put(sheet, row, 2, hamlet.name)
    for index, measure in enumerate(hamlet.measures):
        start = 3 + 3 * index
        _put(sheet, row, start, measure.target)
        _put(sheet, row, start + 1, measure.achieved)
        share = _put(sheet, row, start + 2, measure.fraction)
        share.number_format = "0%"
    start = 3 + 3 * len(hamlet.measures)
    _put(sheet, row, start, hamlet.listed)
    _put(sheet, row, start + 1, hamlet.listed_reached)
    for column in range(1, start + 2):
        sheet.cell(row=row, column=column).border = _BOX


def _table_sheet(sheet: Worksheet, title: str, headers: list[str],
                 rows: list[list[Any]]) -> None:
    _put(sheet, 1, 1, title).font = _TITLE
    for column, header in enumerate(headers, start=1):
        cell = _put(sheet, 3, column, header)
        cell.font, cell.fill, cell.alignment, cell.border = _BOLD, _HEAD_FILL, _CENTRE, _BOX
    widths = [len(h) + 2 for h in headers]
    for index, values in enumerate(rows, start=4):
        for column, value in enumerate(values, start=1):
            _put(sheet, index, column, value).border = _BOX
            widths[column - 1] = max(widths[column - 1], len(str(value)) + 2)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width, 50)
    sheet.freeze_panes = "A4"
