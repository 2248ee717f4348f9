"""Which column of a commune's household list holds what, and where the list starts.

Lists come from the residence-data clean-up, earlier campaigns and the hamlets themselves,
each laid out by whoever made it: a title ("DANH SÁCH HỘ GIA ĐÌNH THÔN NÀ HẨU") and blank
rows above the header, headers split over two lines ("Họ và tên\\nchủ hộ"), written with or
without diacritics, a row of column numbers "(1) (2) (3)" under the header, one sheet per
hamlet. The header row is the first of the top rows naming a head-of-household column and at
least one other; each header is recognised from its folded words (see `HEADER_WORDS`), and the
officer can correct any guess before importing (`Layout.with_mapping`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from fieldkit.core.folding import fold
from fieldkit.core.table_files import TableSheet

# What a column can be mapped to, with its name in both languages.
FIELDS: dict[str, tuple[str, str]] = {
    "head_name": ("Họ và tên chủ hộ", "Head of household"),
    "name_start": ("Họ và tên đệm (khi tên ở cột riêng)", "Family and middle names (when the "
                   "given name has its own column)"),
    "village": ("Thôn/bản/ấp/tổ dân phố", "Hamlet"),
    "id_number": ("Số định danh (CCCD) chủ hộ", "Head's personal ID number"),
    "date_of_birth": ("Ngày sinh (hoặc năm sinh) chủ hộ", "Head's date (or year) of birth"),
    "gender": ("Giới tính", "Gender"),
    "phone": ("Số điện thoại", "Phone number"),
    "address": ("Địa chỉ, số nhà", "Address"),
    "household_code": ("Mã hộ, số hộ khẩu", "Household code"),
    "members": ("Số nhân khẩu", "Number of members"),
    "relation": ("Quan hệ với chủ hộ", "Relation to the head"),
    # Under a "Ngày sinh" header split into "Nam" and "Nữ": the column written in gives both.
    "born_male": ("Ngày sinh – cột Nam", "Date of birth – male column"),
    "born_female": ("Ngày sinh – cột Nữ", "Date of birth – female column"),
}
IGNORED = ""

# Folded header texts for each field, most specific first: a header equal to one of these, or
# starting with one followed by more words, names that field.
HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "head_name": ("ho va ten chu ho", "ho ten chu ho", "ten chu ho", "chu ho", "ho va ten",
                  "ho ten", "ho ten nguoi dai dien", "ten"),
    "name_start": ("ho dem", "ho va ten dem", "ho va chu dem", "ho lot", "ho va dem"),
    "relation": ("quan he voi chu ho", "quan he chu ho", "qh voi chu ho", "quan he", "qh",
                 "moi quan he", "moi quan he voi chu ho"),
    "village": ("thon ban ap to dan pho", "thon ban", "thon xom", "thon to", "thon bon",
                "thon ap", "ten thon", "thon", "ban", "ap", "xom", "to dan pho", "tdp", "to",
                "khu pho", "dia ban", "thon to dan pho"),
    "id_number": ("so dinh danh ca nhan", "so dinh danh", "so cccd",
                  "cccd", "so can cuoc cong dan", "so can cuoc", "can cuoc cong dan",
                  "can cuoc", "so cmnd cccd", "cmnd cccd", "cccd cmnd", "so cmnd", "cmnd",
                  "so dinh danh cccd", "so giay to tuy than"),
    "date_of_birth": ("ngay thang nam sinh", "ngay sinh", "nam sinh", "sinh ngay",
                      "ngay thang nam sinh chu ho"),
    "gender": ("gioi tinh", "gt", "nam nu"),
    "phone": ("so dien thoai", "dien thoai", "so dt", "sdt", "dt", "dien thoai lien he",
              "so dien thoai lien he", "so dien thoai di dong"),
    "address": ("dia chi", "so nha", "noi o hien tai", "noi o hien nay", "cho o hien nay",
                "noi thuong tru", "dia chi thuong tru", "noi cu tru"),
    "household_code": ("ma ho gia dinh", "ma ho", "ma so ho", "so ho khau", "so so ho khau",
                       "ma ho khau"),
    "members": ("so nhan khau", "so khau", "nhan khau", "so thanh vien", "so nguoi trong ho",
                "so nguoi", "tong so nhan khau"),
}
# Headers that are known and deliberately left out (row numbers, notes, signatures).
_KNOWN_OTHER = ("stt", "tt", "so tt", "so thu tu", "ghi chu", "ky ten", "ky nhan", "dan toc",
                "nghe nghiep", "ton giao", "quoc tich")
# A row of column numbers under the header: "1", "(1)", "[1]", "A".
_EXACT_HEADERS = {text for texts in HEADER_WORDS.values() for text in texts} | set(_KNOWN_OTHER)
# A list names its households by one of these beside the name (a lookup sheet of relation
# codes, "Tên" and "Mối quan hệ", is no list).
_LOCATING = {"village", "id_number", "date_of_birth", "born_male", "born_female", "phone",
             "address", "household_code"}
# A template's field code under a header: "HoTen", "CMND", "Ngay_sinh", "MaSoBHXH".
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9_]*$")
_NUMBERING = re.compile(r"^[\(\[]?([0-9]{1,2}|[a-z])[\)\]]?$")
# How far down the header may be, and how far the title naming the hamlet may be above it.
_HEADER_SEARCH_ROWS = 30


def field_of_header(header: str) -> str | None:
    """The field a header names, IGNORED for a known column FieldKit does not take, or None
    for a header it does not know."""
    words = fold(header)
    if not words:
        return None
    for name, texts in HEADER_WORDS.items():
        if words in texts:
            return name
    if words in _KNOWN_OTHER:
        return IGNORED
    for name, texts in HEADER_WORDS.items():
        # "Họ và tên chủ hộ (viết in hoa)", "Ngày sinh (dd/mm/yyyy)", "Số CCCD/CMND".
        if any(len(text) > 3 and words.startswith(text + " ") for text in texts):
            return name
    return None


@dataclass(frozen=True)
class Layout:
    """Where a sheet's list is: its header row and which column holds which field."""

    sheet: str
    header_row: int  # as Excel numbers it
    data_from: int  # the first row under the header (and its second line, if any)
    headers: tuple[str, ...]
    mapping: tuple[str, ...]  # a field (or IGNORED) per column
    # The hamlet named above the header or by the sheet's name, for lists without a column.
    village: str | None

    def column(self, name: str) -> int | None:
        return self.mapping.index(name) if name in self.mapping else None

    def with_mapping(self, mapping: dict[int, str]) -> Layout:
        """The officer's choices (column index -> field or IGNORED) over the guess; a field
        chosen for one column is taken from any other."""
        chosen = list(self.mapping)
        for index, name in mapping.items():
            if not 0 <= index < len(chosen) or (name and name not in FIELDS):
                raise ValueError(f"{index}: {name}")
            if name:
                chosen = [IGNORED if other == name else other for other in chosen]
        for index, name in mapping.items():
            chosen[index] = name
        return replace(self, mapping=tuple(chosen))


def parse_choices(layouts: list[Layout], specs: list[str]) -> dict[str, dict[int, str]]:
    """Column choices typed as "C=id_number" (a column letter) or "Số CMND=id_number" (its
    header), "C=" leaving the column out, applied to every sheet having that column; the
    choices per sheet title. ValueError, in Vietnamese, for a choice that fits nothing."""
    chosen: dict[str, dict[int, str]] = {}
    for spec in specs:
        where, equals, name = spec.partition("=")
        name = name.strip()
        if not equals or (name and name not in FIELDS):
            raise ValueError(f"Không hiểu “{spec}”: viết CỘT=TRƯỜNG, với TRƯỜNG là một trong "
                             f"{', '.join(FIELDS)} (hoặc để trống để bỏ qua cột).")
        matched = False
        for layout in layouts:
            index = _column_index(layout, where.strip())
            if index is not None:
                chosen.setdefault(layout.sheet, {})[index] = name
                matched = True
        if not matched:
            raise ValueError(f"Không có cột “{where.strip()}” trong danh sách.")
    return chosen


def _column_index(layout: Layout, where: str) -> int | None:
    if re.fullmatch(r"[A-Za-z]{1,3}", where):
        index = 0
        for letter in where.upper():
            index = index * 26 + ord(letter) - ord("A") + 1
        if index - 1 < len(layout.headers):
            return index - 1
    folded = fold(where)
    return next((i for i, header in enumerate(layout.headers) if fold(header) == folded), None)


def find_layout(sheet: TableSheet) -> Layout | None:
    """The sheet's header and the guessed mapping, or None when no row near the top looks like
    a household list's header: the first row naming the head and something that tells
    households apart (hamlet, ID, birth date, phone, address, household code), else the first
    naming the head beside other headers, whose columns the officer then chooses."""
    weak: Layout | None = None
    for position, (number, cells) in enumerate(sheet.rows[:_HEADER_SEARCH_ROWS]):
        headers, data_from = list(cells), number + 1
        following = sheet.rows[position + 1] if position + 1 < len(sheet.rows) else None
        if following is not None and any(_guess(cells)) and _continues_header(following[1]):
            headers, data_from = _two_line_headers(cells, following[1]), following[0] + 1
        guessed = _guess(headers)
        if "head_name" not in guessed:
            continue
        above = [" ".join(c for c in row if c) for _, row in sheet.rows[:position]]
        layout = Layout(sheet.title, number, data_from, tuple(headers), tuple(guessed),
                        named_village(above) or named_village([sheet.title]))
        if set(guessed) & _LOCATING:
            return layout
        if weak is None and sum(1 for header in headers if header) >= 2:
            weak = layout
    return weak


def data_rows(sheet: TableSheet, layout: Layout) -> list[tuple[int, list[str]]]:
    """The rows under the header, without a numbering row right below it."""
    rows = [(number, cells) for number, cells in sheet.rows if number >= layout.data_from]
    if rows and _is_numbering(rows[0][1]):
        rows = rows[1:]
    return rows


def _continues_header(below: list[str]) -> bool:
    """Whether the row under a header is its second line: sub-headers under a merged cell
    ("Ngày sinh" over "Nam" and "Nữ"), headers of cells merged down, or the field codes some
    templates put under the Vietnamese names (HoTen, CMND, NgaySinh)."""
    present = [fold(text) for text in below if text]
    # Exact headers only: "Thôn Đông" starts like a "Thôn" header but is a hamlet's heading.
    return bool(present) and all(
        text in _EXACT_HEADERS or text in ("nam", "nu") or _CODE.match(text)
        for text in present)


def _two_line_headers(top: list[str], below: list[str]) -> list[str]:
    """One header per column from two lines: a sub-header under a merged cell is read with
    it ("Ngày sinh Nam"), a field code under a name is dropped, and a column headed only on
    the second line takes that."""
    headers: list[str] = []
    parent = ""
    for index in range(max(len(top), len(below))):
        upper = top[index] if index < len(top) else ""
        lower = below[index] if index < len(below) else ""
        if upper:
            parent = upper
        if lower and fold(lower) in ("nam", "nu") and parent and \
                field_of_header(parent) == "date_of_birth":
            headers.append(f"{parent} {lower}")
        elif upper:
            headers.append(upper)
        else:
            headers.append("" if _CODE.match(lower) else lower)
    return headers


def _guess(cells: list[str]) -> list[str]:
    guessed: list[str] = []
    for cell in cells:
        name = field_of_header(cell) or IGNORED
        if name == "date_of_birth" and fold(cell).endswith((" nam", " nu")):
            name = "born_male" if fold(cell).endswith(" nam") else "born_female"
        # The first column naming a field takes it ("Họ và tên" over a later "Họ tên").
        guessed.append(IGNORED if name in guessed else name)
    return guessed


def _is_numbering(cells: list[str]) -> bool:
    present = [fold(cell) for cell in cells if cell]
    return len(present) >= 2 and all(_NUMBERING.match(text) for text in present)


def named_village(texts: list[str]) -> str | None:
    """A hamlet named in a title ("DANH SÁCH HỘ THÔN NÀ HẨU, XÃ ..."), a sheet name or an
    address ("Thôn 9, xã Minh Châu")."""
    for text in texts:
        found = _IN_TITLE.search(" ".join(text.split()))
        if found:
            return _shaped(_AFTER_NAME.split(found.group(0))[0].strip(" .:-–"))
    return None


def village_name(text: str, header: str = "") -> str | None:
    """A hamlet's name as FieldKit writes it ("Thôn Nà Hẩu", "Tổ dân phố 3") from a cell and
    its column's header; None for an empty cell."""
    words = " ".join(text.split()).strip(" .:-–")
    if not words:
        return None
    if _STARTS_NAMED.match(words):
        return _shaped(words)
    kind_word = _KIND_WORDS.get(fold(header))
    if kind_word is not None:
        return _shaped(f"{kind_word} {words}")
    if words.isdigit():
        return f"Thôn {int(words)}"
    return _shaped(words)


def starts_with_village_word(text: str) -> bool:
    """Whether a cell names a hamlet ("Thôn 3", "BẢN TÀ XÙA"): a heading between groups."""
    return bool(_STARTS_NAMED.match(" ".join(text.split())))


def village_kind(name: str) -> str:
    """The kind of hamlet (vocabulary.VILLAGE_KINDS) its name starts with; "thon" else."""
    found = _STARTS_NAMED.match(name)
    return VILLAGE_KINDS_BY_WORD.get(fold(found.group(1)), "thon") if found else "thon"


_NAMING = r"(thôn|bản|ấp|xóm|tổ dân phố|khu phố|tổ(?= \d))"
_STARTS_NAMED = re.compile(rf"(?i)^{_NAMING} \S")
# Not the "bản" of "cơ bản" (basic) or "văn bản" (document) in a title.
_IN_TITLE = re.compile(rf"(?i)(?<!\w)(?<!cơ )(?<!văn ){_NAMING} \S.*$")
# Where a hamlet's name in a title ends: the commune, district or province after it.
_AFTER_NAME = re.compile(r"(?i)[,;(]| (?=(?:xã|phường|thị trấn|huyện|tỉnh|năm) )")
VILLAGE_KINDS_BY_WORD = {"thon": "thon", "ban": "ban", "ap": "ap", "xom": "thon",
                         "to dan pho": "to_dan_pho", "khu pho": "to_dan_pho",
                         "to": "to_dan_pho"}
# Headers naming one kind of hamlet: a bare name under them takes the kind's word.
_KIND_WORDS = {"thon": "Thôn", "ten thon": "Thôn", "ban": "Bản", "ten ban": "Bản",
               "ap": "Ấp", "xom": "Xóm", "to dan pho": "Tổ dân phố", "tdp": "Tổ dân phố",
               "to": "Tổ"}


def _shaped(name: str) -> str:
    """Names typed in capitals ("THÔN NÀ HẨU") in title case; others as typed, and numbers
    without their leading zeros ("Tổ 03" is "Tổ 3")."""
    words = name.split()
    if name.isupper():
        words = [word.capitalize() for word in words]
    words[0] = words[0][:1].upper() + words[0][1:]
    return " ".join(str(int(word)) if word.isdigit() else word for word in words)
