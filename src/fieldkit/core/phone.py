"""Vietnamese mobile numbers, as VNeID needs them.

VNeID level 1 needs a mobile number registered in the citizen's own name, and
the OTP arrives by SMS, so a landline, a service number or a foreign number is
useless even if it is a real number. Volunteers meet numbers written in many
ways ("0912 345 678", "+84 912 345 678", "84912345678", the old 11-digit
"0168..." numbers), so every form phonenumbers understands is accepted and
stored the same way: the 10-digit national form starting with 0.

phonenumbers carries a large metadata table; it is imported inside the
functions so that merely importing this module does not slow start-up.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from fieldkit.core.i18n import current_language, tr

# Separators people write between digit groups. Letters are rejected before
# phonenumbers sees them, because it would read them as keypad digits
# ("0912abc..." becomes "0912222...").
_ALLOWED = re.compile(r"^[0-9\s.\-()+]+$")

_MOBILE_LENGTH = 10  # national form including the leading 0

# The form numbers are stored in: "0" and nine digits, the first of them not 0. phonenumbers
# reads it as the national prefix "0" (which no number of the Vietnamese plan begins with, so
# it is always stripped) before the national number: that reading is made here without its
# parser, which cost a commune server more than every other check of a pushed person
# together. `test_phone` holds it to the parser's own on every prefix.
_NATIONAL_FORM = re.compile(r"0[1-9][0-9]{8}")

# The 2018 switch from 11 to 10 digits (old prefix -> new prefix), so an old
# number copied from a paper record can be corrected instead of just refused.
_OLD_PREFIXES: dict[str, str] = {
    # Viettel
    "0162": "032", "0163": "033", "0164": "034", "0165": "035",
    "0166": "036", "0167": "037", "0168": "038", "0169": "039",
    # VinaPhone
    "0123": "083", "0124": "084", "0125": "085", "0127": "081", "0129": "082",
    # MobiFone
    "0120": "070", "0121": "079", "0122": "077", "0126": "076", "0128": "078",
    # Vietnamobile
    "0186": "056", "0188": "058",
    # Gmobile
    "0199": "059",
}


def validate_phone(number: str) -> list[str]:
    """Return what is wrong with a phone number for VNeID, in the current language.

    An empty list means the number is a Vietnamese mobile number that can
    receive the OTP. Messages say what to fix (missing digits, landline,
    foreign country code, old 11-digit prefix) rather than only "invalid".
    """
    return list(_judged(number.strip(), current_language())[0])


@lru_cache(maxsize=8192)
def _judged(text: str, language: str) -> tuple[tuple[str, ...], str]:
    """(problems, national form) of a stripped number, worked out once: parsing is the
    costly part, and a commune server checks every phone of every pushed person. The
    language is part of the key because the problems are worded in it."""
    problems = _problems(text)
    if problems:
        return tuple(problems), ""
    import phonenumbers

    return (), "0" + phonenumbers.national_significant_number(_parsed(text))


@lru_cache(maxsize=64)
def _parsed(text: str) -> Any:
    """The number as phonenumbers reads it (NumberParseException if it cannot): the checks
    and the national form read the same parse."""
    import phonenumbers

    if _NATIONAL_FORM.fullmatch(text):
        return phonenumbers.PhoneNumber(country_code=84, national_number=int(text[1:]))
    return phonenumbers.parse(text, "VN")


def _problems(text: str) -> list[str]:
    import phonenumbers

    if not text:
        return [tr("Chưa nhập số điện thoại di động.")]
    if not _ALLOWED.match(text):
        bad = "".join(dict.fromkeys(ch for ch in text if not _ALLOWED.match(ch)))
        return [
            tr("Số điện thoại chỉ được gồm chữ số (có thể có dấu cách, dấu chấm, gạch ngang, "
               "dấu ngoặc hoặc dấu + ở đầu); có ký tự không hợp lệ: {bad}.").format(bad=repr(bad))
        ]
    try:
        parsed = _parsed(text)
    except phonenumbers.NumberParseException:
        return [
            tr("Không đọc được số điện thoại này. Hãy nhập số di động 10 chữ số, "
               "ví dụ 0912 345 678.")
        ]

    if parsed.country_code != 84:
        return [
            tr("Đây không phải số Việt Nam (mã quốc gia +{code}). "
               "VNeID cần số di động Việt Nam đăng ký chính chủ.").format(code=parsed.country_code)
        ]

    national = "0" + phonenumbers.national_significant_number(parsed)
    # For a +84 number, phonenumbers' `is_valid_number` is exactly its `number_type` not
    # being UNKNOWN (both match the same plan's patterns): asked once, as the type, instead
    # of walking the patterns twice.
    kind = phonenumbers.number_type(parsed)
    if kind != phonenumbers.PhoneNumberType.UNKNOWN:
        mobile_kinds = (
            phonenumbers.PhoneNumberType.MOBILE,
            phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
        )
        if kind in mobile_kinds:
            return []
        if kind == phonenumbers.PhoneNumberType.FIXED_LINE:
            return [
                tr("Số {number} là số máy bàn (cố định), không phải số di động. "
                   "VNeID cần số di động để nhận mã OTP qua tin nhắn.").format(number=national)
            ]
        return [
            tr("Số {number} là số tổng đài/dịch vụ, không phải số di động. "
               "VNeID cần số di động để nhận mã OTP qua tin nhắn.").format(number=national)
        ]

    old_prefix = national[:4]
    if len(national) == 11 and old_prefix in _OLD_PREFIXES:
        suggestion = _OLD_PREFIXES[old_prefix] + national[4:]
        return [
            tr("Số {number} có 11 chữ số với đầu số cũ {prefix}; từ năm 2018 số này đã "
               "chuyển sang 10 chữ số. Số mới có thể là {suggestion}, hãy hỏi lại người dân."
               ).format(number=national, prefix=old_prefix, suggestion=suggestion)
        ]
    if len(national) < _MOBILE_LENGTH:
        return [
            tr("Số điện thoại thiếu chữ số: mới có {count} chữ số, số di động Việt Nam "
               "có {length} chữ số (kể cả số 0 ở đầu).").format(count=len(national),
                                                                 length=_MOBILE_LENGTH)
        ]
    if len(national) > _MOBILE_LENGTH:
        return [
            tr("Số điện thoại thừa chữ số: có {count} chữ số, số di động Việt Nam "
               "có {length} chữ số (kể cả số 0 ở đầu).").format(count=len(national),
                                                                 length=_MOBILE_LENGTH)
        ]
    return [
        tr("Đầu số {prefix} không phải đầu số di động Việt Nam đang dùng. "
           "Hãy kiểm tra lại 3 chữ số đầu.").format(prefix=national[:3])
    ]


def normalize_phone(number: str) -> str:
    """Return the 10-digit national form ("0912345678") so one number is stored one way.

    A single stored form lets records be matched and de-duplicated across
    volunteers' laptops. Raises ValueError with the validation messages when
    the number is not a usable Vietnamese mobile number.
    """
    problems, national = _judged(number.strip(), current_language())
    if problems:
        raise ValueError(" ".join(problems))
    return national
