"""A commune's household list checked row by row before anything of it is imported.

Every row is read with the validators a volunteer's typing goes through (name, personal ID
number with its cross-checks against date of birth and gender, mobile phone, past dates), so
a list cannot bring onto the server what a laptop would refuse. The outcome of each row is
one of:
- accepted: imported as one household to visit;
- duplicate: the same head's personal ID number, or the same head at the same address, is
  already on the list above or on the server, so it is not imported twice;
- member: a person-by-person list's row for someone other than the head, counted into the
  head's household;
- refused: with every reason, in words the officer can fix in the spreadsheet.

What Excel does to such lists is undone where it is certain: an ID number or phone typed as a
number loses its leading zero (001085012345 shows as 1085012345; no ID has 10 or 11 digits,
no mobile number 9), and names typed in capitals are written in title case. Rows that are not
households (a hamlet's heading between groups, totals, the signature block under the list)
are recognised and left out without a report line.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from fieldkit.core.cccd import validate_id_number
from fieldkit.core.dates import parse_vn_date, validate_past_date
from fieldkit.core.errors import FieldError
from fieldkit.core.folding import fold
from fieldkit.core.household_list_columns import (
    IGNORED,
    Layout,
    data_rows,
    find_layout,
    named_village,
    starts_with_village_word,
    village_name,
)
from fieldkit.core.i18n import tr
from fieldkit.core.people import clean_person_value
from fieldkit.core.phone import normalize_phone, validate_phone
from fieldkit.core.table_files import TableFile

ACCEPTED, DUPLICATE, MEMBER, REFUSED = "accepted", "duplicate", "member", "refused"
NO_HEAD_NAME = "Thiếu họ và tên chủ hộ."
STATUS_LABELS = {ACCEPTED: ("Nhập", "Imported"), DUPLICATE: ("Trùng", "Duplicate"),
                 MEMBER: ("Thành viên hộ", "Household member"),
                 REFUSED: ("Bị từ chối", "Refused")}
MAX_CODE_LENGTH = 32
MAX_ADDRESS_LENGTH = 200
# Where the list ends: the signature block and totals under it.
# Whole words only: "Trương Bảng" and "Tòng Văn Pọm" are people, "Trưởng bản" and "Tổng
# cộng" are not.
_FOOTER = re.compile(r"^(nguoi lap( bieu)?|lap bieu|xac nhan|truong thon|truong ban|t ?m|"
                     r"ky ten|can bo|ngay \d+ thang \d+|chu tich)(?= |$)"
                     # "Tổng cộng: 45 hộ" ends a list; "Tống Công Hiếu" is a man.
                     r"|^tong (cong|so)( \d| ho( |$)| nhan khau|$)")
_SUBTOTAL = re.compile(r"^(tong cong|tong so|cong)(?= |$)")
_HEAD_WORDS = {"chu ho", "ch", "chu", "ho", "chu ho gia dinh", "ban than"}
_GENDERS = {"nam": "male", "m": "male", "male": "male", "trai": "male",
            "nu": "female", "f": "female", "female": "female", "gai": "female"}
_DOTTED_DATE = re.compile(r"^([0-9]{1,2})\.([0-9]{1,2})\.([0-9]{4})$")
_MONTH_YEAR = re.compile(r"^[0-9]{1,2}[/.-]([0-9]{4})$")
_PHONE_SPLIT = re.compile(r"\s*[/,;|]\s*|\s+-\s+|\s{2,}")


@dataclass(frozen=True)
class ListedEntry:
    """One household of the list as it will be imported."""

    village: str
    head_name: str
    id_number: str | None = None
    date_of_birth: date | None = None
    birth_year: int | None = None
    gender: str | None = None
    phone: str | None = None
    address: str = ""
    household_code: str | None = None
    members: int | None = None

    def duplicate_keys(self) -> list[str]:
        """What makes two entries the same household (see `duplicate_keys`)."""
        return duplicate_keys(self.head_name, self.village, self.address, self.birth_year,
                              self.id_number)


def duplicate_keys(head_name: str, village: str, address: str, birth_year: int | None,
                   id_number: str | None) -> list[str]:
    """The head's ID number, and the head's name at the address (the hamlet when the list
    gives none), folded so diacritics, case and spacing do not make two of one household.
    A name key alone is not enough to call two rows one household: see `_Seen.same`."""
    keys = [f"name:{fold(head_name)}|{fold(address) or fold(village)}"]
    if id_number:
        keys.insert(0, f"id:{id_number}")
    return keys


@dataclass(frozen=True)
class Seen:
    """A household met before under a key: how to name it, its head's ID and birth year."""

    where: str
    id_number: str | None
    birth_year: int | None

    def same(self, entry: ListedEntry) -> bool:
        """Different ID numbers, or different birth years, are different people whatever
        their names: a father and son of one name in one house, namesakes in one hamlet
        (common among H'Mông and Dao families)."""
        return not ((self.id_number and entry.id_number and self.id_number != entry.id_number)
                    or (self.birth_year and entry.birth_year
                        and self.birth_year != entry.birth_year))


@dataclass
class ListRow:
    sheet: str
    row: int  # as Excel numbers it
    status: str
    reasons: list[str]
    entry: ListedEntry | None
    cells: list[str]


@dataclass
class ListCheck:
    layouts: list[Layout]
    rows: list[ListRow]
    problems: list[str] = field(default_factory=list)  # about the whole file

    @property
    def counts(self) -> Counter[str]:
        return Counter(row.status for row in self.rows)

    @property
    def accepted(self) -> list[ListedEntry]:
        return [row.entry for row in self.rows if row.status == ACCEPTED and row.entry]


@dataclass
class Known:
    """Households already on the server, by `duplicate_keys`."""

    keys: dict[str, list[Seen]] = field(default_factory=dict)

    def add(self, key: str, seen: Seen) -> None:
        self.keys.setdefault(key, []).append(seen)


def check_list(table: TableFile, known: Known | None = None,
               mappings: dict[str, dict[int, str]] | None = None,
               village: str | None = None, today: date | None = None) -> ListCheck:
    """Every row of every sheet that holds a household list. `mappings` are the officer's
    corrections per sheet title (column index -> field), `village` the hamlet for rows that
    name none."""
    known = known or Known()
    layouts: list[Layout] = []
    check = ListCheck(layouts, [], [p.vi for p in table.problems])
    seen = Known()  # households met earlier in this file
    for sheet in table.sheets:
        layout = find_layout(sheet)
        if layout is None:
            continue
        if mappings and sheet.title in mappings:
            layout = layout.with_mapping(mappings[sheet.title])
        layouts.append(layout)
        if layout.column("head_name") is None:  # the officer left this sheet out
            continue
        _check_sheet(check, layout, data_rows(sheet, layout), known, seen,
                     village, today or date.today())
    if not layouts:
        check.problems.append(tr(
            "Không tìm thấy dòng tiêu đề của danh sách hộ: cần một dòng có cột “Họ và tên chủ "
            "hộ” (hoặc “Họ và tên”) và ít nhất một cột khác như “Thôn/Bản”, “Số CCCD”, "
            "“Ngày sinh”, trong 30 dòng đầu của trang tính."))
    return check


def _check_sheet(check: ListCheck, layout: Layout, rows: list[tuple[int, list[str]]],
                 known: Known, seen: Known, default_village: str | None,
                 today: date) -> None:
    section: str | None = None
    head: ListRow | None = None
    name_at = layout.column("head_name")
    assert name_at is not None
    for number, cells in rows:
        values = {name: cells[index] if index < len(cells) else ""
                  for index, name in enumerate(layout.mapping) if name != IGNORED}
        present = [cell for cell in cells if cell]
        name_text = values.get("head_name", "")
        if _FOOTER.match(fold(" ".join(present[:2]))):
            # Said, so a list cut short by a row read as its signature block is noticed.
            check.problems.append(tr(
                "Trang “{sheet}”: danh sách được đọc đến hết dòng {last}; từ dòng {row} "
                "(“{text}”) là phần ký tên hoặc tổng cộng.").format(
                    sheet=layout.sheet, last=number - 1, row=number,
                    text=" ".join(present[:2])))
            return
        if not name_text or (_SUBTOTAL.match(fold(name_text))
                             and any(c.isdigit() or c == ":" for c in name_text)):
            if len(present) <= 2 and any(starts_with_village_word(cell) for cell in present):
                section = village_name(next(c for c in present if starts_with_village_word(c)))
                continue
            if any(values.get(name) for name in ("id_number", "date_of_birth", "phone")):
                check.rows.append(ListRow(layout.sheet, number, REFUSED,
                                          [tr(NO_HEAD_NAME)], None, cells))
            continue
        code = values.get("household_code", "").strip()
        same_code = bool(code) and head is not None and head.entry is not None \
            and head.entry.household_code == code
        relation = fold(values.get("relation", ""))
        if (relation and relation not in _HEAD_WORDS) or (same_code and not relation):
            if head is not None and head.status == ACCEPTED and head.entry is not None:
                check.rows.append(ListRow(layout.sheet, number, MEMBER,
                                          [tr("Thành viên của hộ ở dòng {row}.").format(
                                              row=head.row)], None,
                                          cells))
                if layout.column("members") is None:
                    _count_member(head)
            else:
                check.rows.append(ListRow(
                    layout.sheet, number, MEMBER,
                    [tr("Thành viên hộ, không có dòng chủ hộ ở trên nên không được tính.")],
                    None,
                    cells))
            continue
        header = layout.headers[layout.column("village")] if layout.column("village") \
            is not None else ""
        # The officer's hamlet for the list comes before a guess from its title or name.
        hamlet = (village_name(values.get("village", ""), header) or section
                  or named_village([values.get("address", "")]) or default_village
                  or layout.village)
        if values.get("name_start"):
            values["head_name"] = f"{values['name_start']} {name_text}"
        for column, gender in (("born_male", "Nam"), ("born_female", "Nữ")):
            if values.get(column) and not values.get("date_of_birth"):
                values["date_of_birth"], values["gender"] = values[column], gender
        row = _checked_row(layout.sheet, number, cells, values, hamlet, today)
        if row.entry is not None:
            entry = row.entry
            for key in entry.duplicate_keys():
                match = next((one for one in seen.keys.get(key, []) + known.keys.get(key, [])
                              if one.same(entry)), None)
                if match is not None:
                    row.status, row.reasons = DUPLICATE, [_same_as(key, match.where)]
                    break
            if row.status == ACCEPTED:
                here = Seen(tr("dòng {row} trang “{sheet}”").format(
                    row=number, sheet=layout.sheet), entry.id_number,
                            entry.birth_year)
                for key in entry.duplicate_keys():
                    seen.add(key, here)
        check.rows.append(row)
        head = row


def _same_as(key: str, where: str) -> str:
    if key.startswith("id:"):
        return tr("Trùng với hộ cùng số định danh ở {where}.").format(where=where)
    return tr("Trùng với hộ cùng chủ hộ và địa chỉ ở {where}.").format(where=where)


def _count_member(head: ListRow) -> None:
    """A member row adds one to its head's household (the head counted once, first)."""
    assert head.entry is not None
    members = head.entry.members or 1
    head.entry = ListedEntry(**{**head.entry.__dict__, "members": members + 1})


def _checked_row(sheet: str, number: int, cells: list[str], values: dict[str, str],
                 village: str | None, today: date) -> ListRow:
    reasons: list[str] = []
    parsed: dict[str, object] = {}
    for name, reader in _READERS.items():
        text = values.get(name, "").strip()
        if not text:
            continue
        try:
            parsed.update(reader(text, today))
        except FieldError as refused:
            reasons.extend(refused.messages)
        except ValueError as refused:
            reasons.append(str(refused))
    if not village:
        reasons.append(tr("Không rõ hộ thuộc thôn/bản nào: thêm cột “Thôn/Bản” hoặc chọn "
                          "thôn cho cả danh sách."))
    id_number, year = parsed.get("id_number"), parsed.get("birth_year")
    if isinstance(id_number, str):
        # The ID's own checks against the head's year of birth and gender (only the year of
        # a birth date is compared, so a list giving the year alone is checked as well).
        reasons.extend(validate_id_number(
            id_number, date(year, 1, 1) if isinstance(year, int) else None,
            parsed.get("gender")))  # type: ignore[arg-type]
    if reasons or "head_name" not in parsed:
        return ListRow(sheet, number, REFUSED, reasons or [tr(NO_HEAD_NAME)], None,
                       cells)
    assert village is not None
    return ListRow(sheet, number, ACCEPTED, [], ListedEntry(village=village, **parsed), cells)  # type: ignore[arg-type]


def _name(text: str, _: date) -> dict[str, object]:
    if not any(character.isalpha() for character in text):
        raise ValueError(tr("“{text}” không phải họ và tên.").format(text=text))
    if text.isupper():
        text = " ".join(word.capitalize() for word in text.split())
    return {"head_name": clean_person_value("full_name", text)}


def _id_number(text: str, _: date) -> dict[str, object]:
    digits = re.sub(r"[\s.'’]", "", text)
    if digits.isdigit() and len(digits) in (10, 11):
        digits = digits.zfill(12)  # Excel dropped the leading zeros of a number
    elif digits.isdigit() and len(digits) == 8:
        digits = digits.zfill(9)
    if problems := validate_id_number(digits):
        raise FieldError("id_number", problems)
    return {"id_number": digits}


def _born(text: str, today: date) -> dict[str, object]:
    text = text.strip().removesuffix(" 00:00:00")
    if text.isdigit() and len(text) == 4:
        year = int(text)
        if not 1900 <= year <= today.year:
            raise ValueError(tr("Năm sinh {year} không hợp lệ.").format(year=year))
        return {"birth_year": year}
    if found := _MONTH_YEAR.match(text):
        return _born(found.group(1), today)
    if found := _DOTTED_DATE.match(text):
        text = "/".join(found.groups())
    born = parse_vn_date(text)
    if problems := validate_past_date(born, today, label="Ngày sinh"):
        raise FieldError("date_of_birth", problems)
    return {"date_of_birth": born, "birth_year": born.year}


def _gender(text: str, _: date) -> dict[str, object]:
    gender = _GENDERS.get(fold(text))
    if gender is None:
        raise ValueError(tr("Giới tính “{text}” không rõ: ghi “Nam” hoặc “Nữ”.").format(
            text=text))
    return {"gender": gender}


def _phone(text: str, _: date) -> dict[str, object]:
    first = _PHONE_SPLIT.split(text.strip().lstrip("'"))[0]
    digits = re.sub(r"[\s.]", "", first)
    if digits.isdigit() and len(digits) == 9 and digits[0] in "35789":
        digits = "0" + digits  # Excel dropped the leading zero of a number
    if problems := validate_phone(digits):
        raise FieldError("phone", problems)
    return {"phone": normalize_phone(digits)}


def _address(text: str, _: date) -> dict[str, object]:
    address = " ".join(text.split())
    if len(address) > MAX_ADDRESS_LENGTH:
        raise ValueError(tr("Địa chỉ dài quá {most} ký tự.").format(most=MAX_ADDRESS_LENGTH))
    return {"address": address}


def _code(text: str, _: date) -> dict[str, object]:
    code = "".join(text.split()).lstrip("'")
    if len(code) > MAX_CODE_LENGTH:
        raise ValueError(tr("Mã hộ “{code}” dài quá {most} ký tự.").format(
            code=code, most=MAX_CODE_LENGTH))
    return {"household_code": code}


def _members(text: str, _: date) -> dict[str, object]:
    if not text.isdigit() or not 1 <= int(text) <= 99:
        raise ValueError(tr("Số nhân khẩu “{text}” phải là một số từ 1 đến 99.").format(
            text=text))
    return {"members": int(text)}


_READERS = {"head_name": _name, "id_number": _id_number, "date_of_birth": _born,
            "gender": _gender, "phone": _phone, "address": _address,
            "household_code": _code, "members": _members}
