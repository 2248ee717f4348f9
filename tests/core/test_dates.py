"""Dates typed the Vietnamese way, and dates that cannot be right."""

from __future__ import annotations

from datetime import date

import pytest

from fieldkit.core.dates import parse_vn_date, validate_past_date

TODAY = date(2025, 8, 15)


@pytest.mark.parametrize(
    "text",
    ["15/03/1985", "15-03-1985", "15031985", "1985-03-15", "15/3/1985", " 15/03/1985 \n"],
)
def test_accepted_forms_give_the_same_date(text: str) -> None:
    assert parse_vn_date(text) == date(1985, 3, 15)


def test_day_comes_before_month() -> None:
    assert parse_vn_date("05/03/1985") == date(1985, 3, 5)
    assert parse_vn_date("5/3/1985") == date(1985, 3, 5)


def test_leap_day_is_accepted_in_a_leap_year() -> None:
    assert parse_vn_date("29/02/2024") == date(2024, 2, 29)


def test_empty_text_asks_for_a_date() -> None:
    with pytest.raises(ValueError, match="Chưa nhập ngày"):
        parse_vn_date("  ")


def test_month_out_of_range_is_named() -> None:
    with pytest.raises(ValueError, match="Tháng 13") as info:
        parse_vn_date("15/13/1985")
    assert "1 đến 12" in str(info.value)


def test_month_first_american_order_is_caught() -> None:
    with pytest.raises(ValueError, match="Tháng 15"):
        parse_vn_date("03/15/1985")


def test_day_that_does_not_exist_is_named() -> None:
    with pytest.raises(ValueError, match="Ngày 29") as info:
        parse_vn_date("29/02/2023")
    assert "chỉ có 28 ngày" in str(info.value)


def test_day_31_in_a_30_day_month_is_refused() -> None:
    with pytest.raises(ValueError, match="chỉ có 30 ngày"):
        parse_vn_date("31042021")


def test_two_digit_year_is_refused_with_advice() -> None:
    with pytest.raises(ValueError, match="4 chữ số"):
        parse_vn_date("15/03/85")


@pytest.mark.parametrize(
    "text", ["hôm qua", "15.03.1985", "15/03-1985", "1985/03/15", "١٥/٠٣/١٩٨٥"]
)
def test_unknown_forms_show_the_expected_form(text: str) -> None:
    with pytest.raises(ValueError, match="Không hiểu ngày") as info:
        parse_vn_date(text)
    assert "15/03/1985" in str(info.value)


def test_year_zero_is_refused() -> None:
    with pytest.raises(ValueError, match="Năm 0"):
        parse_vn_date("01/01/0000")


def test_past_date_is_fine() -> None:
    assert validate_past_date(date(1985, 3, 15), today=TODAY) == []


def test_today_is_not_in_the_future() -> None:
    assert validate_past_date(TODAY, today=TODAY) == []


def test_future_date_is_reported_with_the_label() -> None:
    problems = validate_past_date(date(2025, 8, 16), today=TODAY, label="Ngày sinh")
    assert len(problems) == 1
    assert problems[0].startswith("Ngày sinh 16/08/2025")
    assert "tương lai" in problems[0]
    assert "15/08/2025" in problems[0]


def test_date_before_1900_is_reported() -> None:
    problems = validate_past_date(date(1858, 1, 1), today=TODAY, label="Ngày cấp")
    assert len(problems) == 1
    assert problems[0].startswith("Ngày cấp 01/01/1858")
    assert "trước năm 1900" in problems[0]


def test_first_day_of_1900_is_allowed() -> None:
    assert validate_past_date(date(1900, 1, 1), today=TODAY) == []


def test_default_label_and_default_today() -> None:
    problems = validate_past_date(date(9999, 1, 1))
    assert problems[0].startswith("Ngày 01/01/9999")
