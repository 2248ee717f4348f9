"""Spreadsheets read the way XLSForm tools read them: `.xlsx`/`.xlsm` and the older `.xls`.

Officers start from forms published by ODK, Kobo and pyxform, and many of those are still
`.xls` files from Excel 97–2003; refusing them would send the officer to convert files by
hand. The format is recognised from the file's first bytes, not its name, so a workbook saved
under the wrong extension still opens. Cells come back as they appear in Excel: numbers
without a needless ".0", dates as ISO text, text trimmed, the non-breaking spaces some editors
insert turned into plain ones.

A formula cell gives the result Excel last saved with it (as pyxform does). Excel saves an
empty result with no value at all, so a formula without one reads as empty, unless no formula
in the whole file has a result: then the file was written by a script and never calculated,
and each sheet holding formulas is reported once.
"""

from __future__ import annotations

import io
import struct
import warnings
import zlib
from dataclasses import dataclass, field
from datetime import date, datetime, time
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from fieldkit.core.forms.import_problems import ImportProblem, column_letter

# Largest sheet read; a bigger one is refused rather than held in memory.
MAX_ROWS = 5_000
MAX_COLUMNS = 200
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class WorkbookUnreadable(ValueError):
    """The file is not a spreadsheet, or is damaged: one line says so in both languages."""

    def __init__(self, problem: ImportProblem) -> None:
        super().__init__(problem.en)
        self.problem = problem


@dataclass
class Sheet:
    title: str
    headers: list[str]
    # (row number as Excel shows it, column index -> non-empty cell text), blank rows left out.
    rows: list[tuple[int, dict[int, str]]]


@dataclass
class Workbook:
    sheets: dict[str, Sheet]
    problems: list[ImportProblem] = field(default_factory=list)


def read_workbook(path: Path, max_rows: int = MAX_ROWS) -> Workbook:
    """Every sheet of the file by its lower-cased, trimmed name; a sheet longer than
    `max_rows` is cut there, with a problem saying so."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(8)
    except OSError as exc:
        raise _unreadable(f"không mở được tệp: {exc.strerror or exc}",
                          f"cannot open the file: {exc.strerror or exc}") from None
    if not magic:
        raise _unreadable("tệp rỗng (0 byte)", "the file is empty (0 bytes)")
    if magic.startswith(_ZIP):
        return _read_xlsx(path, max_rows)
    if magic == _OLE:
        return _read_xls(path, max_rows)
    raise _unreadable("đây không phải bảng tính Excel (.xlsx hoặc .xls); hãy lưu biểu mẫu "
                      "từ Excel dưới dạng .xlsx",
                      "this is not an Excel workbook (.xlsx or .xls); save the form from "
                      "Excel as .xlsx")


def _unreadable(vi: str, en: str) -> WorkbookUnreadable:
    return WorkbookUnreadable(ImportProblem("", None, None, vi, en))


def cell_text(value: object) -> str:
    """A cell as Excel shows it to the author."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == time() else \
            value.isoformat(sep=" ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).replace("\u00a0", " ").strip()


class _Formulas:
    """Formula cells seen without a saved result, to judge once the whole file is read."""

    def __init__(self) -> None:
        self.calculated = False
        # sheet title -> (row, column letter) of the first such cell, and how many there are.
        self.first: dict[str, tuple[int, str]] = {}
        self.count: dict[str, int] = {}

    def missing(self, sheet: str, row: int, column: int) -> None:
        self.first.setdefault(sheet, (row, column_letter(column)))
        self.count[sheet] = self.count.get(sheet, 0) + 1

    def report(self, book: Workbook) -> None:
        if self.calculated:
            return
        for sheet, (row, letter) in self.first.items():
            more = self.count[sheet] - 1
            book.problems.append(ImportProblem(
                sheet, row, letter,
                "ô chứa công thức chưa từng được tính (tệp do chương trình tạo ra); hãy mở và "
                "lưu tệp bằng Excel hoặc LibreOffice, hoặc gõ thẳng giá trị vào ô"
                + (f" ({more} ô công thức khác trên trang này cũng vậy)" if more else ""),
                "the cell holds a formula that was never calculated (a file written by a "
                "program); open and save the file in Excel or LibreOffice, or type the value "
                "itself" + (f" ({more} more formula cells on this sheet are the same)"
                            if more else "")))


class _Collector:
    """Cells of one sheet, with the size limits applied as rows arrive."""

    def __init__(self, title: str, book: Workbook, max_rows: int) -> None:
        self.sheet = Sheet(title, [], [])
        self.book = book
        self.max_rows = max_rows
        self.stopped = False

    def add(self, number: int, values: list[object]) -> None:
        texts = [cell_text(value) for value in values]
        present = [i for i, text in enumerate(texts) if text]
        if not present or self.stopped:
            return
        if present[-1] >= MAX_COLUMNS:
            self.book.problems.append(ImportProblem(
                self.sheet.title, number, column_letter(MAX_COLUMNS),
                f"trang tính có hơn {MAX_COLUMNS} cột; FieldKit đọc tối đa {MAX_COLUMNS} cột",
                f"the sheet has more than {MAX_COLUMNS} columns; FieldKit reads at most "
                f"{MAX_COLUMNS}"))
            self.stopped = True
            return
        if number > self.max_rows:
            most = self.max_rows
            self.book.problems.append(ImportProblem(
                self.sheet.title, number, None,
                f"trang tính có hơn {most} dòng; FieldKit đọc tối đa {most} dòng",
                f"the sheet has more than {most} rows; FieldKit reads at most {most}"))
            self.stopped = True
            return
        if number == 1:
            self.sheet.headers = texts
        else:
            self.sheet.rows.append((number, {i: texts[i] for i in present}))


def _read_xlsx(path: Path, max_rows: int) -> Workbook:
    # openpyxl warns on stderr about Excel extensions it drops (data validation, slicers),
    # which say nothing about the form.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        return _read_xlsx_quietly(path, max_rows)


def _read_xlsx_quietly(path: Path, max_rows: int) -> Workbook:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    # What a damaged .xlsx makes openpyxl raise: a broken zip or deflate stream, a
    # compression it does not know, XML that does not parse (a SyntaxError), odd content.
    damaged = (BadZipFile, zlib.error, NotImplementedError, SyntaxError, KeyError, ValueError,
               TypeError, IndexError, AttributeError, EOFError)
    try:
        formulas = load_workbook(path, read_only=True, data_only=False)
    except (OSError, InvalidFileException, *damaged) as exc:
        raise _unreadable(f"bảng tính bị hỏng, không đọc được ({exc})",
                          f"the workbook is damaged and cannot be read ({exc})") from None
    try:
        results = load_workbook(path, read_only=True, data_only=True)
    except (OSError, InvalidFileException, *damaged) as exc:
        formulas.close()
        raise _unreadable(f"bảng tính bị hỏng, không đọc được ({exc})",
                          f"the workbook is damaged and cannot be read ({exc})") from None
    book = Workbook({})
    seen = _Formulas()
    try:
        for name in formulas.sheetnames:
            book.sheets[name.strip().lower()] = _read_xlsx_sheet(
                formulas[name], results[name], book, seen, max_rows)
        seen.report(book)
    except damaged as exc:
        raise _unreadable(f"bảng tính bị hỏng, không đọc được ({exc})",
                          f"the workbook is damaged and cannot be read ({exc})") from None
    finally:
        formulas.close()
        results.close()
    return book


def _read_xlsx_sheet(sheet: Any, results: Any, book: Workbook, seen: _Formulas,
                     max_rows: int) -> Sheet:
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    # Some writers store a wrong sheet size, which read-only mode would trust.
    sheet.reset_dimensions()
    results.reset_dimensions()
    collector = _Collector(sheet.title, book, max_rows)
    for number, (row, saved) in enumerate(zip(sheet.iter_rows(), results.iter_rows(),
                                              strict=False), start=1):
        if collector.stopped:
            break
        values: list[object] = []
        for index, cell in enumerate(row):
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f" or isinstance(
                    value, ArrayFormula | DataTableFormula):
                value = getattr(saved[index], "value", None) if index < len(saved) else None
                if value is None:
                    seen.missing(sheet.title, number, index)
                else:
                    seen.calculated = True
            values.append(value)
        collector.add(number, values)
    return collector.sheet


def _read_xls(path: Path, max_rows: int) -> Workbook:
    import xlrd
    from xlrd.compdoc import CompDocError

    # What a damaged .xls makes xlrd raise: its own errors, and the struct, codec and
    # indexing errors of the parsing underneath.
    damaged = (xlrd.XLRDError, CompDocError, struct.error, LookupError, ValueError,
               IndexError, AssertionError, EOFError, TypeError, AttributeError,
               OverflowError)
    try:
        # xlrd prints its complaints about a damaged file to stdout unless told otherwise.
        workbook = xlrd.open_workbook(str(path), on_demand=True, logfile=io.StringIO())
    except (OSError, *damaged) as exc:
        raise _unreadable(f"tệp .xls bị hỏng, không đọc được ({exc})",
                          f"the .xls file is damaged and cannot be read ({exc})") from None
    book = Workbook({})
    try:
        for index in range(workbook.nsheets):
            sheet = workbook.sheet_by_index(index)
            collector = _Collector(sheet.name, book, max_rows)
            for row in range(min(sheet.nrows, max_rows + 1)):
                collector.add(row + 1, [_xls_value(workbook, cell)
                                        for cell in sheet.row(row)[:MAX_COLUMNS + 1]])
            book.sheets[sheet.name.strip().lower()] = collector.sheet
    except damaged as exc:
        raise _unreadable(f"tệp .xls bị hỏng, không đọc được ({exc})",
                          f"the .xls file is damaged and cannot be read ({exc})") from None
    finally:
        workbook.release_resources()
    return book


def _xls_value(workbook: Any, cell: Any) -> object:
    import xlrd

    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return bool(cell.value)
    if cell.ctype == xlrd.XL_CELL_ERROR:
        return None
    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            parts = xlrd.xldate_as_tuple(cell.value, workbook.datemode)
        except (xlrd.xldate.XLDateError, ValueError, OverflowError):
            return cell.value
        if parts[:3] == (0, 0, 0):
            return time(*parts[3:])
        return datetime(*parts)
    return cell.value
