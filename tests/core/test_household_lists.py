"""A commune's household list checked row by row, on the layouts real lists have.

The layouts are those of public Vietnamese spreadsheets: a title naming the hamlet above the
header and a row of column numbers under it (commune lists), a "Ngày sinh" header split into
"Nam" and "Nữ" columns (the Youth Union roster export), field codes under the Vietnamese
headers (VNPT's social-insurance template), a person-by-person list grouped by household code
with ASCII headers (a commune e-government export), names split into "Họ đệm" and "Tên".
"""

import re
from datetime import date

import pytest

from fieldkit.core.household_list_columns import find_layout, parse_choices, village_name
from fieldkit.core.household_lists import (
    ACCEPTED,
    DUPLICATE,
    MEMBER,
    REFUSED,
    Known,
    Seen,
    check_list,
    duplicate_keys,
)
from fieldkit.core.i18n import language
from fieldkit.core.table_files import TableFile, TableSheet

TODAY = date(2026, 12, 6)


def table(rows: list[list[str]], title: str = "Sheet1") -> TableFile:
    return TableFile([TableSheet(title, [(n, row) for n, row in enumerate(rows, start=1)
                                         if any(row)])])


def outcomes(checked_rows: list) -> list[tuple[int, str]]:
    return [(row.row, row.status) for row in checked_rows]


COMMUNE_LIST = [
    ["DANH SÁCH HỘ GIA ĐÌNH THÔN NÀ HẨU, XÃ NÀ HẨU, HUYỆN VĂN YÊN"],
    [],
    ["STT", "Họ và tên\nchủ hộ", "Ngày sinh", "Giới tính", "Số CCCD", "Số điện thoại",
     "Địa chỉ"],
    ["(1)", "(2)", "(3)", "(4)", "(5)", "(6)", "(7)"],
    ["1", "NGUYỄN VĂN AN", "15/03/1985", "Nam", "1085012345", "912345678", "Số 3"],
    ["2", "Lò Thị Bình", "1990", "Nữ", "011190012345", "0987 654 321", ""],
    ["3", "Giàng A Páo", "32/01/1970", "Nam", "", "", ""],
    ["4", "Nguyễn Văn An", "15.03.1985", "nam", "001085012345", "", "Số 3"],
    ["5", "Vàng Thị Dợ", "", "", "", "", "Số 7"],
    ["", "Cộng: 5 hộ", "", "", "", "", ""],
    ["6", "TÒNG VĂN PỌM", "", "", "", "", "Số 8"],
    ["7", "Trương Bảng", "", "", "", "", "Số 9"],
    ["", "Tổng cộng: 5 hộ", "", "", "", "", ""],
    ["", "Người lập biểu", "", "", "", "", ""],
    ["", "Trần Văn Cường", "", "", "", "", ""],
]


def test_a_commune_list_with_title_numbering_row_and_signature_block():
    checked = check_list(table(COMMUNE_LIST), today=TODAY)
    (layout,) = checked.layouts
    assert (layout.header_row, layout.village) == (3, "Thôn Nà Hẩu")
    # Tòng and Trương are family names, not "tổng" totals or a "trưởng" signing.
    assert outcomes(checked.rows) == [(5, ACCEPTED), (6, ACCEPTED), (7, REFUSED),
                                      (8, DUPLICATE), (9, ACCEPTED), (11, ACCEPTED),
                                      (12, ACCEPTED)]
    first, second = checked.accepted[:2]
    # Excel dropped the leading zeros of the ID and phone typed as numbers; capitals folded.
    assert first.head_name == "Nguyễn Văn An"
    assert (first.id_number, first.phone) == ("001085012345", "0912345678")
    assert (first.date_of_birth, first.gender, first.village) == (
        date(1985, 3, 15), "male", "Thôn Nà Hẩu")
    assert (second.date_of_birth, second.birth_year, second.phone) == (None, 1990, "0987654321")
    assert "32" in checked.rows[2].reasons[0]
    assert "dòng 5" in checked.rows[3].reasons[0]


def test_every_reason_of_a_refused_row_is_given_in_vietnamese():
    rows = [["Họ và tên chủ hộ", "Thôn", "Số CCCD", "Ngày sinh", "Giới tính", "SĐT"],
            ["Lò Văn Pánh", "Nà Hẩu", "11085000123", "15/03/1990", "Nữ", "0241234567"]]
    (row,) = check_list(table(rows), today=TODAY).rows
    assert row.status == REFUSED
    text = " ".join(row.reasons)
    assert "di động" in text or "cố định" in text  # a landline cannot get VNeID's OTP
    assert "12 chữ số" not in text  # 11 digits: the zero restored, then checked as 12
    assert "năm sinh" in text  # digits 5-6 say 85, the date says 1990
    assert "giới tính" in text  # the 4th digit says male


def test_an_officer_reading_in_english_gets_every_reason_in_english():
    """The web pages show these reasons to an officer who chose English: the list's own
    reasons, the validators' and the place of a duplicate all follow the language."""
    rows = [["Họ và tên chủ hộ", "Thôn", "Số CCCD", "Ngày sinh", "Giới tính", "SĐT"],
            ["Lò Văn Pánh", "Nà Hẩu", "11085000123", "15/03/1990", "Không rõ", "0241234567"],
            ["Cầm Văn Pao", "Nà Hẩu", "", "1970", "Nam", ""],
            ["Cầm Văn Pao", "Nà Hẩu", "", "1970", "Nam", ""],
            ["", "", "001085012345", "", "", ""]]
    with language("en"):
        checked = check_list(table(rows), today=TODAY)
    reasons = " ".join(reason for row in checked.rows for reason in row.reasons)
    assert "Gender “Không rõ” is unclear" in reasons
    assert "Same head and address as the household in row 3 of sheet" in reasons
    assert "The head of household's name is missing." in reasons
    letters = "ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ"
    unquoted = re.sub(r"“[^”]*”", "", reasons)
    assert not [word for word in unquoted.split() if any(c in letters for c in word.lower())]


def test_an_id_number_against_a_year_of_birth_alone_is_checked_too():
    rows = [["Họ tên chủ hộ", "Năm sinh", "CCCD", "Bản"],
            ["Lò Văn Pánh", "1990", "011085000123", "Nà Hẩu"]]
    (row,) = check_list(table(rows), today=TODAY).rows
    assert row.status == REFUSED and "1990" in " ".join(row.reasons)


def test_birth_date_split_into_male_and_female_columns():
    rows = [["CHI ĐOÀN 1"], [],
            ["STT", "Họ và tên", "Ngày sinh", "", "Số CMND/CCCD", "Thôn/Bản"],
            ["", "", "Nam", "Nữ", "", ""],
            ["1", "Bùi Quốc Bình", "25/01/1997", "", "083097835163", "Thôn 3"],
            ["2", "Dương Thanh Trang", "", "22/02/1997", "087197744314", "Thôn 3"]]
    checked = check_list(table(rows), today=TODAY)
    (layout,) = checked.layouts
    assert layout.data_from == 5
    assert [(e.gender, e.date_of_birth) for e in checked.accepted] == [
        ("male", date(1997, 1, 25)), ("female", date(1997, 2, 22))]


def test_field_codes_under_the_headers_are_not_a_household():
    rows = [["Dữ liệu nhập bắt đầu từ dòng thứ 4"],
            ["STT", "Họ tên", "CMND", "Mã hộ gia đình", "Ngày sinh", "Tên Thôn/Xóm"],
            ["", "HoTen", "CMND", "MaHoGiaDinh", "NgaySinh", "MaThon"],
            ["1", "Lò Văn Pánh", "011085000123", "123", "15/03/1985", "Xóm Bến"]]
    checked = check_list(table(rows), today=TODAY)
    assert outcomes(checked.rows) == [(4, ACCEPTED)]
    assert checked.accepted[0].village == "Xóm Bến"


def test_a_person_by_person_export_keeps_the_heads_and_counts_the_members():
    rows = [["Ma ho", "Ho va ten", "Gioi tinh", "Ngay sinh", "CCCD", "Quan he voi chu ho",
             "Dia chi hien tai"],
            ["HD001", "Nguyễn Văn An", "Nam", "1950-05-12", "001050000001", "Chu ho",
             "Thôn 9, Xã Minh Châu"],
            ["HD001", "Nguyễn Thị Lan", "Nu", "1955-07-22", "001155000002", "Vo",
             "Thôn 9, Xã Minh Châu"],
            ["HD001", "Nguyễn Văn Bình", "Nam", "1988-03-10", "001088000003", "",
             "Thôn 9, Xã Minh Châu"],
            ["HD002", "Trần Thị Bình", "Nu", "1975-02-14", "001175000006", "Chu ho",
             "Thôn 9, Xã Minh Châu"]]
    checked = check_list(table(rows), today=TODAY)
    assert outcomes(checked.rows) == [(2, ACCEPTED), (3, MEMBER), (4, MEMBER), (5, ACCEPTED)]
    first, second = checked.accepted
    assert (first.members, first.village, first.household_code) == (3, "Thôn 9", "HD001")
    assert second.members is None


def test_names_split_in_two_columns_and_hamlet_headings_between_groups():
    rows = [["TT", "Họ đệm", "Tên", "Năm sinh"],
            ["THÔN ĐÔNG"],
            ["1", "Nguyễn Thanh", "Tùng", "1970"],
            ["Bản Tà Xùa"],
            ["2", "Giàng A", "Páo", "1965"]]
    checked = check_list(table(rows), today=TODAY)
    assert [(e.head_name, e.village) for e in checked.accepted] == [
        ("Nguyễn Thanh Tùng", "Thôn Đông"), ("Giàng A Páo", "Bản Tà Xùa")]


def test_rows_naming_no_hamlet_are_refused_unless_the_officer_names_one():
    rows = [["Họ và tên chủ hộ", "Ngày sinh"], ["Lò Văn Pánh", "15/03/1985"]]
    (row,) = check_list(table(rows), today=TODAY).rows
    assert row.status == REFUSED and "thôn/bản" in row.reasons[0]
    given = check_list(table(rows), village="Bản Mển", today=TODAY)
    assert given.accepted[0].village == "Bản Mển"


def test_households_already_on_the_server_are_duplicates():
    rows = [["Họ và tên chủ hộ", "Thôn", "Địa chỉ", "CCCD"],
            ["Lò Văn Pánh", "Nà Hẩu", "Số 3", ""],
            ["Lo Van Panh", "Thôn Nà Hẩu", "số 3", ""],
            ["Giàng A Páo", "Nà Hẩu", "", "011085000123"]]
    known = Known({key: [Seen("danh sách đã nhập", "011085000123", None)]
                   for key in duplicate_keys("Giàng Thị Mỷ", "Thôn Nà Hẩu", "Số 9", None,
                                             "011085000123")})
    checked = check_list(table(rows), known, today=TODAY)
    assert outcomes(checked.rows) == [(2, ACCEPTED), (3, DUPLICATE), (4, DUPLICATE)]
    assert "danh sách đã nhập" in checked.rows[2].reasons[0]


def test_a_secret_or_card_line_in_a_name_is_refused_as_when_typed():
    rows = [["Họ và tên chủ hộ", "Thôn"], ["Mật khẩu 123456", "Thôn 1"],
            ["011085000123|123456789|Lò Văn Pánh|15031985|Nam|Bản Nà|01012021", "Thôn 1"]]
    assert [row.status for row in check_list(table(rows), today=TODAY).rows] == [
        REFUSED, REFUSED]


def test_the_officers_column_choices_override_the_guess():
    rows = [["Họ và tên chủ hộ", "Mã định danh đoàn viên", "Thôn", "Ghi chú"],
            ["Lò Văn Pánh", "1234567", "Thôn 1", "011085000123"]]
    layouts = [find_layout(table(rows).sheets[0])]
    assert layouts[0] is not None
    assert layouts[0].mapping == ("head_name", "", "village", "")
    choices = parse_choices(layouts, ["D=id_number", "Thôn="])  # type: ignore[list-item]
    checked = check_list(table(rows), mappings=choices, village="Bản Mển", today=TODAY)
    entry = checked.accepted[0]
    assert (entry.id_number, entry.village) == ("011085000123", "Bản Mển")
    with pytest.raises(ValueError, match="Không có cột"):
        parse_choices(layouts, ["Số nhà=address"])  # type: ignore[list-item]
    with pytest.raises(ValueError, match="CỘT=TRƯỜNG"):
        parse_choices(layouts, ["D=password"])  # type: ignore[list-item]


def test_a_sheet_that_is_no_household_list_is_said_so():
    checked = check_list(table([["Mã", "Tên dân tộc"], ["01", "Kinh"]]), today=TODAY)
    assert not checked.rows and "dòng tiêu đề" in checked.problems[0]


@pytest.mark.parametrize(("cell", "header", "named"), [
    ("Nà Hẩu", "Bản", "Bản Nà Hẩu"), ("3", "Thôn/Bản", "Thôn 3"), ("THÔN ĐÔNG", "", "Thôn Đông"),
    ("03", "Tổ", "Tổ 3"), ("Khe Ván", "Thôn/Bản", "Khe Ván"), ("", "Thôn", None)])
def test_hamlet_names_are_written_one_way(cell: str, header: str, named: str | None):
    assert village_name(cell, header) == named


def test_namesakes_of_one_hamlet_are_two_households_unless_nothing_tells_them_apart():
    rows = [["Họ và tên chủ hộ", "Bản", "Năm sinh", "CCCD"],
            ["Giàng A Páo", "Tả Phìn", "1950", ""],
            ["Giàng A Páo", "Tả Phìn", "1988", ""],  # his son: another household
            ["Giàng A Páo", "Tả Phìn", "", ""],  # nothing tells him apart: the same
            ["Sùng A Tủa", "Tả Phìn", "", "011088000123"],
            ["Sùng A Tủa", "Tả Phìn", "", "011088000456"]]  # another ID: another man
    checked = check_list(table(rows), today=TODAY)
    assert outcomes(checked.rows) == [(2, ACCEPTED), (3, ACCEPTED), (4, DUPLICATE),
                                      (5, ACCEPTED), (6, ACCEPTED)]


def test_a_name_like_a_total_is_a_person_and_the_end_of_the_list_is_said():
    rows = [["Họ và tên chủ hộ", "Thôn"], ["Tống Công Hiếu", "Thôn 1"],
            ["Lò Văn Pánh", "Thôn 1"], ["Tổng cộng: 2 hộ", ""], ["Người lập biểu", ""],
            ["Trần Văn Cường", ""]]
    checked = check_list(table(rows), today=TODAY)
    assert [e.head_name for e in checked.accepted] == ["Tống Công Hiếu", "Lò Văn Pánh"]
    assert "đọc đến hết dòng 3" in checked.problems[0]


def test_the_officers_hamlet_comes_before_a_guess_from_the_title():
    rows = [["DANH SÁCH THÔNG TIN CƠ BẢN CÁC HỘ GIA ĐÌNH"], ["Họ và tên chủ hộ", "Năm sinh"],
            ["Lò Văn Pánh", "1985"]]
    assert find_layout(table(rows).sheets[0]).village is None  # type: ignore[union-attr]
    checked = check_list(table([["DANH SÁCH HỘ THÔN 5"], *rows[1:]]), village="Thôn 3",
                         today=TODAY)
    assert checked.accepted[0].village == "Thôn 3"
