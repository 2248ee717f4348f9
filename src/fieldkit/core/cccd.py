"""Personal ID numbers (số định danh cá nhân) and the QR code on chip ID cards.

Volunteers copy ID numbers by hand in poor light, and a wrong digit only
surfaces days later when the portal rejects a file. The ID number is not
random, though: its first six digits repeat the province of birth
registration, the century and gender, and the year of birth. Checking those
parts against what else the citizen told us catches most typos on the spot,
and naming the wrong part tells the volunteer which digits to re-read.

Kept free of Qt and third-party imports so it loads instantly and can be
tested and reused anywhere.
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from fieldkit.core.dates import validate_past_date
from fieldkit.core.errors import FieldError
from fieldkit.core.i18n import tr

Gender = Literal["male", "female"]

# Circular 07/2016/TT-BCA: codes of the 63 pre-merger provinces. Numbers issued
# before the 2025 merger keep these codes, so they stay valid for checking.
PROVINCE_CODES: dict[str, str] = {
    "001": "Hà Nội",
    "002": "Hà Giang",
    "004": "Cao Bằng",
    "006": "Bắc Kạn",
    "008": "Tuyên Quang",
    "010": "Lào Cai",
    "011": "Điện Biên",
    "012": "Lai Châu",
    "014": "Sơn La",
    "015": "Yên Bái",
    "017": "Hòa Bình",
    "019": "Thái Nguyên",
    "020": "Lạng Sơn",
    "022": "Quảng Ninh",
    "024": "Bắc Giang",
    "025": "Phú Thọ",
    "026": "Vĩnh Phúc",
    "027": "Bắc Ninh",
    "030": "Hải Dương",
    "031": "Hải Phòng",
    "033": "Hưng Yên",
    "034": "Thái Bình",
    "035": "Hà Nam",
    "036": "Nam Định",
    "037": "Ninh Bình",
    "038": "Thanh Hóa",
    "040": "Nghệ An",
    "042": "Hà Tĩnh",
    "044": "Quảng Bình",
    "045": "Quảng Trị",
    "046": "Thừa Thiên Huế",
    "048": "Đà Nẵng",
    "049": "Quảng Nam",
    "051": "Quảng Ngãi",
    "052": "Bình Định",
    "054": "Phú Yên",
    "056": "Khánh Hòa",
    "058": "Ninh Thuận",
    "060": "Bình Thuận",
    "062": "Kon Tum",
    "064": "Gia Lai",
    "066": "Đắk Lắk",
    "067": "Đắk Nông",
    "068": "Lâm Đồng",
    "070": "Bình Phước",
    "072": "Tây Ninh",
    "074": "Bình Dương",
    "075": "Đồng Nai",
    "077": "Bà Rịa–Vũng Tàu",
    "079": "Hồ Chí Minh",
    "080": "Long An",
    "082": "Tiền Giang",
    "083": "Bến Tre",
    "084": "Trà Vinh",
    "086": "Vĩnh Long",
    "087": "Đồng Tháp",
    "089": "An Giang",
    "091": "Kiên Giang",
    "092": "Cần Thơ",
    "093": "Hậu Giang",
    "094": "Sóc Trăng",
    "095": "Bạc Liêu",
    "096": "Cà Mau",
}

_GENDER_WORD: dict[str, str] = {"male": "nam", "female": "nữ"}

# Characters a scanner or a copy-paste may leave around a value that
# str.strip() does not treat as whitespace.
_STRAY = r"[\s\ufeff\u200b\u200c\u200d\u2060]+"
_STRAY_EDGES = re.compile(rf"^{_STRAY}|{_STRAY}$")


def _is_ascii_digits(text: str) -> bool:
    # str.isdigit() alone would accept full-width and other Unicode digits,
    # which the portal rejects.
    return text.isascii() and text.isdigit()


def _gender_word(gender: str) -> str:
    return tr("nam") if gender == "male" else tr("nữ")


def _check_gender_argument(gender: str | None) -> None:
    if gender is not None and gender not in _GENDER_WORD:
        raise ValueError(
            f"Giới tính không hợp lệ: {gender!r}. Chỉ nhận 'male' (nam) hoặc 'female' (nữ)."
        )


def validate_id_number(
    number: str,
    date_of_birth: datetime.date | None = None,
    gender: str | None = None,
) -> list[str]:
    """Return what is wrong with an ID number, in words a volunteer can act on.

    Every message names the part of the number at fault (the first three
    digits, the 4th digit, digits 5–6) so the volunteer re-reads those digits
    on the card rather than the whole number. Date of birth and gender are
    optional because a volunteer may type the ID before the rest of the form;
    the cross-checks run as soon as they are known.

    Raises ValueError for a gender other than "male"/"female", because that is
    a programming error, not something the citizen typed.
    """
    _check_gender_argument(gender)
    text = number.strip()
    if not text:
        return [tr("Chưa nhập số định danh cá nhân (12 chữ số trên thẻ căn cước).")]

    if not _is_ascii_digits(text):
        bad = "".join(dict.fromkeys(ch for ch in text if not ("0" <= ch <= "9")))
        return [
            tr("Số định danh chỉ được gồm chữ số 0–9, không có dấu cách hay ký tự khác; "
               "đã gõ ký tự không hợp lệ: {bad}. Hãy xoá các ký tự đó.").format(bad=repr(bad))
        ]
    if len(text) != 12:
        message = tr("Số định danh phải có đúng 12 chữ số, nhưng đã nhập {count} chữ số. "
                     "Hãy đếm lại các chữ số trên thẻ.").format(count=len(text))
        if len(text) == 9:
            message += " " + tr("Số 9 chữ số là số chứng minh nhân dân cũ; hãy nhập số định "
                                "danh 12 chữ số trên thẻ căn cước.")
        return [message]

    problems: list[str] = []
    province = text[:3]
    if province not in PROVINCE_CODES:
        problems.append(
            tr("Ba chữ số đầu ({province}) phải là mã tỉnh nơi đăng ký khai sinh, nhưng không "
               "có tỉnh nào mang mã này. Hãy đọc lại 3 chữ số đầu trên thẻ."
               ).format(province=province)
        )

    code = int(text[3])
    century_start = 1900 + (code // 2) * 100
    code_gender = "male" if code % 2 == 0 else "female"
    if gender is not None and gender != code_gender:
        problems.append(
            tr("Chữ số thứ 4 (mã thế kỷ và giới tính) là {code}, dành cho {code_gender}, "
               "nhưng giới tính đã chọn là {gender}. Hãy kiểm tra lại chữ số thứ 4 hoặc giới "
               "tính.").format(code=code, code_gender=_gender_word(code_gender),
                               gender=_gender_word(gender))
        )
    if date_of_birth is not None:
        year = date_of_birth.year
        if not century_start <= year < century_start + 100:
            problems.append(
                tr("Chữ số thứ 4 (mã thế kỷ và giới tính) là {code}, nghĩa là sinh trong các "
                   "năm {first}–{last}, nhưng ngày sinh là năm {year}. Hãy kiểm tra lại chữ số "
                   "thứ 4 hoặc năm sinh.").format(code=code, first=century_start,
                                                  last=century_start + 99, year=year)
            )
        year_digits = text[4:6]
        if year_digits != f"{year % 100:02d}":
            problems.append(
                tr("Hai số năm sinh trong số định danh (chữ số thứ 5–6) là {digits} nhưng "
                   "ngày sinh là năm {year}. Hãy kiểm tra lại chữ số thứ 5–6 hoặc năm sinh."
                   ).format(digits=year_digits, year=year)
            )
    return problems


@dataclass(frozen=True)
class CardData:
    """What the QR on a chip ID card tells us, already checked for consistency."""

    id_number: str
    old_id_number: str | None
    full_name: str
    date_of_birth: datetime.date
    gender: Gender
    address: str
    issue_date: datetime.date | None


_MIN_QR_FIELDS = 6  # the issue date (7th field) is missing on some cards


def _clean(value: str) -> str:
    return _STRAY_EDGES.sub("", value)


def _collapse_spaces(value: str) -> str:
    return " ".join(value.split())


def _parse_qr_date(raw: str, label: str) -> datetime.date:
    if len(raw) != 8 or not _is_ascii_digits(raw):
        raise ValueError(
            tr("{label} trong mã QR ({raw}) không hợp lệ: cần 8 chữ số theo dạng "
               "ngày-tháng-năm (ddmmyyyy). Hãy quét lại thẻ.").format(label=label, raw=repr(raw))
        )
    try:
        return datetime.date(int(raw[4:]), int(raw[2:4]), int(raw[:2]))
    except ValueError:
        raise ValueError(
            tr("{label} trong mã QR ({raw}) không phải ngày có thật. Hãy quét lại thẻ."
               ).format(label=label, raw=repr(raw))
        ) from None


def _parse_qr_gender(raw: str) -> Gender:
    word = unicodedata.normalize("NFC", raw).casefold()
    if word == "nam":
        return "male"
    if word == "nữ":
        return "female"
    raise ValueError(
        tr("Giới tính trong mã QR ({raw}) không đọc được: cần 'Nam' hoặc 'Nữ'. "
           "Hãy quét lại thẻ.").format(raw=repr(raw))
    )


def looks_like_card_line(text: str) -> bool:
    """A card QR line has at least five `|` separators; no name, address or note has."""
    return text.count("|") >= 4


def refuse_card_line(field: str, text: str) -> None:
    """A scanner fires into whichever field has the cursor. Its line carries a whole card
    (ID number, name, birth date, address) and must never be kept as free text, here or on
    the server that re-checks what laptops send."""
    if looks_like_card_line(text):
        raise FieldError(field, [
            tr("Đây là dòng mã QR của thẻ căn cước, không lưu vào ô này. "
               "Hãy quét thẻ vào ô “Quét thẻ” của thành viên.")])


def parse_card_qr(text: str) -> CardData:
    """Turn the line a USB 2D scanner types from a card's QR into checked fields.

    The format comes from community code, not an official spec, and scanners
    type it as keystrokes, so the input is treated as untrusted: Unicode is
    NFC-normalised (some scanners and keyboard layouts send decomposed
    Vietnamese), stray whitespace and line endings are dropped, extra trailing
    fields are ignored and the issue date may be missing. Anything that would
    put a wrong value into a form raises ValueError with a message (current language)
    the volunteer can show, rather than being silently guessed.
    """
    line = _clean(unicodedata.normalize("NFC", text))
    if not line:
        raise ValueError(tr("Chưa có dữ liệu: ô quét đang trống. Hãy quét mã QR trên thẻ căn "
                            "cước."))
    if "\n" in line or "\r" in line:
        raise ValueError(
            tr("Dữ liệu quét có nhiều dòng, có thể thẻ đã được quét hai lần. "
               "Hãy xoá ô và quét lại một lần.")
        )
    if "|" not in line:
        raise ValueError(
            tr("Dữ liệu quét không giống mã QR trên thẻ căn cước gắn chip (không có dấu '|' "
               "ngăn cách các trường). Hãy quét đúng mã QR ở mặt trước của thẻ.")
        )

    fields = [_clean(field) for field in line.split("|")]
    if len(fields) < _MIN_QR_FIELDS:
        raise ValueError(
            tr("Mã QR thiếu trường: cần ít nhất {needed} trường (số định danh, số CMND cũ, họ "
               "tên, ngày sinh, giới tính, địa chỉ thường trú) nhưng chỉ đọc được {found}. Có "
               "thể máy quét đọc chưa hết, hãy quét lại.").format(needed=_MIN_QR_FIELDS,
                                                                   found=len(fields))
        )

    id_number = fields[0]
    if len(id_number) != 12 or not _is_ascii_digits(id_number):
        raise ValueError(
            tr("Số định danh trong mã QR ({number}) không phải 12 chữ số. Hãy quét lại thẻ."
               ).format(number=repr(id_number))
        )
    old_id_number = fields[1] or None
    full_name = _collapse_spaces(fields[2])
    if not full_name:
        raise ValueError(tr("Mã QR không có họ tên. Hãy quét lại thẻ."))
    date_of_birth = _parse_qr_date(fields[3], tr("Ngày sinh"))
    gender = _parse_qr_gender(fields[4])
    address = _collapse_spaces(fields[5])
    issue_raw = fields[6] if len(fields) > 6 else ""
    issue_date = _parse_qr_date(issue_raw, tr("Ngày cấp")) if issue_raw else None
    # A misread digit can give a date that parses but cannot be true.
    for value, label in ((date_of_birth, tr("Ngày sinh trên thẻ")),
                         (issue_date, tr("Ngày cấp thẻ"))):
        if value is not None and (problems := validate_past_date(value, label=label)):
            raise ValueError(" ".join(problems))

    problems = validate_id_number(id_number, date_of_birth, gender)
    if problems:
        raise ValueError(
            tr("Số định danh trong mã QR không khớp với ngày sinh/giới tính trên thẻ: ")
            + " ".join(problems)
        )

    return CardData(
        id_number=id_number,
        old_id_number=old_id_number,
        full_name=full_name,
        date_of_birth=date_of_birth,
        gender=gender,
        address=address,
        issue_date=issue_date,
    )
