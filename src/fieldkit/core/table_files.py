"""Lists kept in spreadsheets, read as rows of cell texts: `.xlsx`, `.xls` and `.csv`.

Communes keep their household lists in Excel, saved by whatever was at hand: an `.xlsx`, an old
`.xls`, a `.csv` exported from another system, or the "Excel" file some Vietnamese e-government
and school systems export, which is an HTML table under an `.xls` name. CSV files from
Vietnamese offices come in UTF-8 (with or without the byte-order mark Excel writes), UTF-16
(Excel's "Unicode text") or the old Windows code page 1258, separated by commas, semicolons
(Excel in a locale whose decimal mark is a comma) or tabs; all are recognised from the bytes,
so the officer never has to say which. Cells come back as Excel shows them (see
`forms.workbook.cell_text`), rows numbered as Excel numbers them, so a report can send the
officer to the right line. An Excel error left by a formula ("#N/A" from a lookup down an empty
template) reads as an empty cell.
"""

from __future__ import annotations

import csv
import io
import re
import shutil
import tempfile
import unicodedata
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path

from fieldkit.core.forms.import_problems import ImportProblem
from fieldkit.core.forms.workbook import WorkbookUnreadable, read_workbook

# Rows read per sheet: a commune of 10,000 households, with room for title and footer rows.
MAX_ROWS = 20_000
MAX_COLUMNS = 200
_ZIP = b"PK\x03\x04"
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_SEPARATORS = ",;\t"
_XLSX_SUFFIXES = (".xlsx", ".xlsm", ".xltx", ".xltm")
_HTML = re.compile(r"(?is)^\s*(<!doctype html|<html|<table|<meta)")
_EXCEL_ERRORS = {"#N/A", "#REF!", "#VALUE!", "#DIV/0!", "#NAME?", "#NUM!", "#NULL!"}


@dataclass
class TableSheet:
    title: str
    # (row number as Excel shows it, cell texts from column A on); blank rows left out.
    rows: list[tuple[int, list[str]]]


@dataclass
class TableFile:
    sheets: list[TableSheet]
    problems: list[ImportProblem] = field(default_factory=list)


def read_table(path: Path) -> TableFile:
    """Every sheet of a spreadsheet (one for a CSV file); WorkbookUnreadable when the file is
    none of the three, or damaged."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(8)
    except OSError as exc:
        raise _unreadable(f"không mở được tệp: {exc.strerror or exc}",
                          f"cannot open the file: {exc.strerror or exc}") from None
    if magic.startswith(_ZIP) and path.suffix.lower() not in _XLSX_SUFFIXES:
        # openpyxl goes by the name: a workbook saved as "ds.XLS" or "ds" opens under one.
        with tempfile.TemporaryDirectory() as folder:
            named = Path(folder) / f"{path.stem or 'list'}.xlsx"
            shutil.copyfile(path, named)
            return read_table(named)
    if magic.startswith(_ZIP) or magic == _OLE:
        book = read_workbook(path, max_rows=MAX_ROWS)
        sheets = [TableSheet(sheet.title, _with_first_row(sheet.headers, sheet.rows))
                  for sheet in book.sheets.values()]
        return TableFile(sheets, book.problems)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise _unreadable(f"không đọc được tệp: {exc.strerror or exc}",
                          f"cannot read the file: {exc.strerror or exc}") from None
    if _HTML.match(_decoded(data[:2048])):
        return read_html(data, path.stem)
    return read_csv(data, path.stem)


def read_html(data: bytes, title: str) -> TableFile:
    """The rows of an HTML page's tables, one sheet per table."""
    parser = _Tables()
    parser.feed(_decoded(data))
    parser.close()
    sheets = [TableSheet(title if len(parser.tables) == 1 else f"{title} ({n})",
                         [(number, cells) for number, cells in enumerate(rows, start=1)
                          if any(cells)][:MAX_ROWS])
              for n, rows in enumerate(parser.tables, start=1) if rows]
    if not sheets:
        raise _unreadable("tệp HTML không có bảng nào", "the HTML file holds no table")
    return TableFile(sheets)


def read_csv(data: bytes, title: str) -> TableFile:
    """A CSV file's rows, whatever its encoding and separator (see the module notes)."""
    if not data.strip():
        raise _unreadable("tệp rỗng", "the file is empty")
    text = _decoded(data)
    if "\x00" in text:
        raise _unreadable("đây không phải bảng tính (.xlsx, .xls) hay tệp CSV",
                          "this is not a spreadsheet (.xlsx, .xls) or a CSV file")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_separator(text))
    rows: list[tuple[int, list[str]]] = []
    problems: list[ImportProblem] = []
    try:
        for number, cells in enumerate(reader, start=1):
            if number > MAX_ROWS:
                problems.append(ImportProblem(
                    title, number, None,
                    f"tệp có hơn {MAX_ROWS:,} dòng; chỉ đọc {MAX_ROWS:,} dòng đầu"
                    .replace(",", "."),
                    f"the file has more than {MAX_ROWS:,} rows; only the first "
                    f"{MAX_ROWS:,} were read"))
                break
            texts = [_cell(cell) for cell in cells[:MAX_COLUMNS]]
            if any(texts):
                rows.append((number, texts))
    except csv.Error as exc:
        raise _unreadable(f"tệp CSV bị hỏng ở dòng {reader.line_num}: {exc}",
                          f"the CSV file is damaged at line {reader.line_num}: {exc}") from None
    return TableFile([TableSheet(title, rows)], problems)


def _with_first_row(first: list[str], rest: list[tuple[int, dict[int, str]]]
                    ) -> list[tuple[int, list[str]]]:
    """The workbook reader keeps row 1 apart (an XLSForm's header); a list's header may be on
    any row, so row 1 goes back in front."""
    rows = [(1, [_cell(text) for text in first])] if any(first) else []
    for number, cells in rest:
        texts = [_cell(cells.get(index, "")) for index in range(max(cells) + 1)]
        if any(texts):
            rows.append((number, texts))
    return rows


def _cell(text: str) -> str:
    text = " ".join(text.replace("\u00a0", " ").split())
    return "" if text in _EXCEL_ERRORS else text


class _Tables(HTMLParser):
    """Cell texts of every <table>. A cell spanning columns is followed by empty ones; a cell
    spanning rows is repeated in the rows below it, so those rows' cells stay in their
    columns ("Họ tên" over two header rows keeps "Nam" and "Nữ" under "Ngày sinh", and a
    household code merged down its members' rows is on each of them)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[list[list[str]]] = []
        self._cell: list[str] | None = None
        self._span = (1, 1)  # columns, rows of the open cell
        # Per table: column -> (rows still covered, text) of cells spanning rows.
        self._down: dict[int, tuple[int, str]] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self.tables.append([])
            self._down = {}
        elif tag == "tr" and self.tables:
            self._end_row()
            self.tables[-1].append([])
        elif tag in ("td", "th") and self.tables and self.tables[-1]:
            self._cell = []
            found = dict(attrs)
            self._span = (_span(found.get("colspan")), _span(found.get("rowspan")))
        elif tag == "br" and self._cell is not None:
            self._cell.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("td", "th") and self._cell is not None:
            row = self.tables[-1][-1]
            self._fill_down(row)
            text = _cell("".join(self._cell))
            columns, rows = self._span
            if rows > 1:
                self._down[len(row)] = (rows - 1, text)
            row.append(text)
            row.extend([""] * (columns - 1))
            self._cell = None
        elif tag == "table":
            self._end_row()

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)

    def _fill_down(self, row: list[str]) -> None:
        """Put the cells above that span into this row where they stand."""
        while len(row) in self._down:
            left, text = self._down.pop(len(row))
            if left > 1:
                self._down[len(row)] = (left - 1, text)
            row.append(text)

    def _end_row(self) -> None:
        if self.tables and self.tables[-1]:
            row = self.tables[-1][-1]
            while self._down and max(self._down) >= len(row):
                if len(row) in self._down:
                    self._fill_down(row)
                else:
                    row.append("")


def _span(value: str | None) -> int:
    return min(int(value), MAX_COLUMNS) if value and value.isdigit() and int(value) > 0 else 1


def _decoded(data: bytes) -> str:
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    elif data.startswith(b"\xef\xbb\xbf"):
        text = data[3:].decode("utf-8", errors="replace")
    else:
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            # Windows' Vietnamese code page writes tone marks as combining characters.
            text = data.decode("cp1258", errors="replace")
    return unicodedata.normalize("NFC", text)


def _separator(text: str) -> str:
    """The separator of the first lines: the candidate splitting most of them into the same
    number of cells, more than one."""
    lines = [line for line in text.splitlines()[:30] if line.strip()]
    best, best_score = ",", (0, 0)
    for candidate in _SEPARATORS:
        counts = [len(next(csv.reader([line], delimiter=candidate))) for line in lines]
        widest = max(counts, default=1)
        score = (sum(1 for count in counts if count == widest and count > 1), widest)
        if score > best_score:
            best, best_score = candidate, score
    return best


def _unreadable(vi: str, en: str) -> WorkbookUnreadable:
    return WorkbookUnreadable(ImportProblem("", None, None, vi, en))
