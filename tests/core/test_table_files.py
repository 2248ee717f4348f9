"""Household lists read from the files communes really have: .xlsx with title rows, CSV in
the encodings and separators Vietnamese offices export, and HTML tables saved as .xls."""

import unicodedata
from pathlib import Path

import pytest
from openpyxl import Workbook

from fieldkit.core.forms.workbook import WorkbookUnreadable
from fieldkit.core.table_files import MAX_ROWS, read_table

ROWS = [["STT", "Họ và tên chủ hộ", "Thôn/Bản", "Số CCCD"],
        ["1", "Lò Văn Pánh", "Bản Nà Hẩu", "011085000123"],
        ["2", "Giàng Thị Mỷ", "Bản Tà Xùa", "011190000456"]]


# Windows' Vietnamese code page has the letters with ^, ˘ and ' (â, ă, ơ) but keeps the five
# tone marks apart, as combining characters after the letter.
TONE_MARKS = "\u0300\u0301\u0303\u0309\u0323"


def cp1258(text: str) -> bytes:
    letters = []
    for character in text:
        parts = unicodedata.normalize("NFD", character)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in TONE_MARKS))
        letters.append(base + "".join(c for c in parts if c in TONE_MARKS))
    return "".join(letters).encode("cp1258")


def cells(path: Path) -> list[list[str]]:
    (sheet,) = read_table(path).sheets
    return [row for _, row in sheet.rows]


@pytest.mark.parametrize(("encoding", "separator"), [
    ("utf-8", ","), ("utf-8-sig", ";"), ("utf-16", "\t"), ("cp1258", ",")])
def test_csv_in_every_encoding_and_separator_offices_use(tmp_path: Path, encoding: str,
                                                           separator: str):
    path = tmp_path / "ds.csv"
    text = "\r\n".join(separator.join(row) for row in ROWS)
    path.write_bytes(cp1258(text) if encoding == "cp1258" else text.encode(encoding))
    assert cells(path) == ROWS


def test_an_xlsx_keeps_excel_row_numbers_title_rows_and_drops_excel_errors(tmp_path: Path):
    book = Workbook()
    sheet = book.active
    sheet.title = "Thôn 1"
    sheet.append(["DANH SÁCH HỘ GIA ĐÌNH THÔN 1"])
    sheet.append([])
    for row in ROWS:
        sheet.append(row)
    sheet.append(["", "#N/A", "#REF!", ""])  # what a lookup formula leaves down a template
    book.save(tmp_path / "ds.xlsx")
    (read,) = read_table(tmp_path / "ds.xlsx").sheets
    assert read.title == "Thôn 1"
    assert [number for number, _ in read.rows] == [1, 3, 4, 5]
    assert read.rows[1][1] == ROWS[0]


def test_an_html_table_saved_as_xls_is_read(tmp_path: Path):
    # How the commune e-government export "Mau_Import_NhanKhau_ChinhQuyenSo.xls" is made.
    body = "".join("<tr>" + "".join(f"<td>{cell}</td>" for cell in row) + "</tr>"
                   for row in ROWS)
    path = tmp_path / "nhan-khau.xls"
    path.write_bytes(("\ufeff<html><head><meta charset=\"utf-8\"></head><body><table>"
                      f"{body}</table></body></html>").encode())
    assert cells(path) == ROWS


def test_a_merged_header_cell_in_html_keeps_the_columns_in_place(tmp_path: Path):
    path = tmp_path / "ds.xls"
    path.write_text("<table><tr><th>Họ và tên</th><th colspan=\"2\">Ngày sinh</th></tr>"
                    "<tr><td></td><td>Nam</td><td>Nữ</td></tr>"
                    "<tr><td>Lò Văn Pánh</td><td>1985</td><td></td></tr></table>",
                    encoding="utf-8")
    assert cells(path) == [["Họ và tên", "Ngày sinh", ""], ["", "Nam", "Nữ"],
                           ["Lò Văn Pánh", "1985", ""]]


def test_files_that_are_no_list_are_refused_with_a_reason(tmp_path: Path):
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    binary = tmp_path / "photo.csv"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    for path, said in ((empty, "rỗng"), (binary, "không phải bảng tính")):
        with pytest.raises(WorkbookUnreadable) as refused:
            read_table(path)
        assert said in refused.value.problem.vi


def test_a_csv_longer_than_the_limit_is_cut_with_a_problem(tmp_path: Path):
    path = tmp_path / "long.csv"
    path.write_text("\n".join(f"{n},Hộ {n}" for n in range(MAX_ROWS + 5)), encoding="utf-8")
    table = read_table(path)
    assert len(table.sheets[0].rows) == MAX_ROWS
    assert "chỉ đọc 20.000 dòng đầu" in table.problems[0].vi


def test_a_workbook_under_the_wrong_name_still_opens(tmp_path: Path):
    book = Workbook()
    for row in ROWS:
        book.active.append(row)
    book.save(tmp_path / "ds.xlsx")
    for name in ("ds.XLS", "danh-sach"):
        (tmp_path / "ds.xlsx").rename(tmp_path / name)
        assert cells(tmp_path / name) == ROWS
        (tmp_path / name).rename(tmp_path / "ds.xlsx")


def test_cells_spanning_rows_in_html_keep_the_columns_below_in_place(tmp_path: Path):
    path = tmp_path / "ds.xls"
    path.write_text("<table><tr><th rowspan=\"2\">Họ tên</th><th colspan=\"2\">Ngày sinh</th>"
                    "<th rowspan=\"2\">Mã hộ</th></tr><tr><th>Nam</th><th>Nữ</th></tr>"
                    "<tr><td>Lò Văn Pánh</td><td>1985</td><td></td><td rowspan=\"2\">HD1</td>"
                    "</tr><tr><td>Lò Thị Mai</td><td></td><td>1990</td></tr></table>",
                    encoding="utf-8")
    assert cells(path) == [["Họ tên", "Ngày sinh", "", "Mã hộ"],
                           ["Họ tên", "Nam", "Nữ", "Mã hộ"],
                           ["Lò Văn Pánh", "1985", "", "HD1"],
                           ["Lò Thị Mai", "", "1990", "HD1"]]
