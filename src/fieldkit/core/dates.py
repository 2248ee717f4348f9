"""Dates as Vietnamese volunteers type them, and sanity checks on past dates.

Paper records and ID cards write dates day-first (15/03/1985), the card QR
packs them as 15031985, and exported data uses ISO (1985-03-15). Accepting all
of these avoids retyping; anything else is refused with a message that shows
the expected form instead of guessing, because a swapped day and month on a
birth date would silently break an ID-number cross-check later.
"""

from __future__ import annotations

import calendar
import datetime
import re

from fieldkit.core.i18n import tr

_EARLIEST_YEAR = 1900

_DAY_FIRST = re.compile(r"^([0-9]{1,2})([/-])([0-9]{1,2})\2([0-9]{4})$")
_COMPACT = re.compile(r"^([0-9]{2})([0-9]{2})([0-9]{4})$")
_ISO = re.compile(r"^([0-9]{4})-([0-9]{1,2})-([0-9]{1,2})$")
_SHORT_YEAR = re.compile(r"^[0-9]{1,2}([/-])[0-9]{1,2}\1[0-9]{2}$")



def format_vn_date(value: datetime.date) -> str:
    """Show a date the way it is written on Vietnamese papers (dd/mm/yyyy)."""
    return value.strftime("%d/%m/%Y")


def age_on(date_of_birth: datetime.date, today: datetime.date) -> int:
    """Completed years: the law counts a birthday as reached on the day itself."""
    return today.year - date_of_birth.year - ((today.month, today.day) <
                                              (date_of_birth.month, date_of_birth.day))


def validate_past_date(
    value: datetime.date,
    today: datetime.date | None = None,
    label: str | None = None,
) -> list[str]:
    """Return why a date that must lie in the past looks mistyped.

    Births, issue dates and deaths cannot be in the future, and a year before
    1900 is almost always a typo (1858 for 1958). ``today`` is injectable so
    the result does not depend on the laptop clock in tests; ``label`` names
    the field ("Ngày sinh", "Ngày cấp") in the message, already in the current language.
    """
    label = label if label is not None else tr("Ngày")
    reference = today if today is not None else datetime.date.today()
    problems: list[str] = []
    if value > reference:
        problems.append(
            tr("{label} {date} nằm ở tương lai (hôm nay là {today}). Hãy kiểm tra lại ngày, "
               "tháng, năm.").format(label=label, date=format_vn_date(value),
                                     today=format_vn_date(reference))
        )
    if value.year < _EARLIEST_YEAR:
        problems.append(
            tr("{label} {date} trước năm {year}, có lẽ đã gõ nhầm năm. Hãy kiểm tra lại năm."
               ).format(label=label, date=format_vn_date(value), year=_EARLIEST_YEAR)
        )
    return problems


def _build(day: int, month: int, year: int, text: str) -> datetime.date:
    if not 1 <= month <= 12:
        raise ValueError(
            tr("Tháng {month} trong '{text}' không hợp lệ: tháng chỉ từ 1 đến 12. "
               "Hãy nhập ngày/tháng/năm, ví dụ 15/03/1985.").format(month=month, text=text)
        )
    if year < 1:
        raise ValueError(tr("Năm {year} trong '{text}' không hợp lệ.").format(year=year, text=text))
    days_in_month = calendar.monthrange(year, month)[1]
    if not 1 <= day <= days_in_month:
        raise ValueError(
            tr("Ngày {day} trong '{text}' không có thật: tháng {month}/{year} chỉ có {days} ngày."
               ).format(day=day, text=text, month=month, year=year, days=days_in_month)
        )
    return datetime.date(year, month, day)


def parse_vn_date(text: str) -> datetime.date:
    """Read a date typed as dd/mm/yyyy, dd-mm-yyyy, ddmmyyyy or yyyy-mm-dd.

    Day and month may have one digit (5/3/1985), as people often write them.
    Two-digit years are refused because 15/03/25 could be 1925 or 2025.
    Raises ValueError with a message (current language) saying which part is wrong.
    """
    raw = text.strip()
    if not raw:
        raise ValueError(tr("Chưa nhập ngày. Hãy nhập ngày/tháng/năm, ví dụ 15/03/1985."))
    if match := _DAY_FIRST.match(raw):
        day, _, month, year = match.groups()
        return _build(int(day), int(month), int(year), raw)
    if match := _COMPACT.match(raw):
        day, month, year = match.groups()
        return _build(int(day), int(month), int(year), raw)
    if match := _ISO.match(raw):
        year, month, day = match.groups()
        return _build(int(day), int(month), int(year), raw)
    if _SHORT_YEAR.match(raw):
        raise ValueError(
            tr("Năm trong '{text}' chỉ có 2 chữ số; hãy nhập đủ 4 chữ số của năm, "
               "ví dụ 15/03/1985.").format(text=raw)
        )
    raise ValueError(
        tr("Không hiểu ngày '{text}'. Hãy nhập theo dạng ngày/tháng/năm, ví dụ 15/03/1985 "
           "(hoặc 15-03-1985, 15031985, 1985-03-15).").format(text=raw)
    )
