"""What a volunteer sees when typing an ID number or scanning a card's QR."""

from __future__ import annotations

import dataclasses
import unicodedata
from datetime import date

import pytest

from fieldkit.core.cccd import PROVINCE_CODES, CardData, parse_card_qr, validate_id_number

GOOD_QR = (
    "001085012345|123456789|Nguyễn Văn An|15031985|Nam|"
    "Thôn Nà Hang, Xã Thượng Lâm, Tỉnh Tuyên Quang|20042021"
)
GOOD_CARD = CardData(
    id_number="001085012345",
    old_id_number="123456789",
    full_name="Nguyễn Văn An",
    date_of_birth=date(1985, 3, 15),
    gender="male",
    address="Thôn Nà Hang, Xã Thượng Lâm, Tỉnh Tuyên Quang",
    issue_date=date(2021, 4, 20),
)


# --- province codes -------------------------------------------------------


def test_province_codes_cover_the_63_pre_merger_provinces() -> None:
    assert len(PROVINCE_CODES) == 63
    assert len(set(PROVINCE_CODES.values())) == 63
    assert all(len(code) == 3 and code.isdigit() for code in PROVINCE_CODES)


@pytest.mark.parametrize(
    ("code", "name"),
    [
        ("001", "Hà Nội"),
        ("008", "Tuyên Quang"),
        ("038", "Thanh Hóa"),
        ("046", "Thừa Thiên Huế"),
        ("066", "Đắk Lắk"),
        ("079", "Hồ Chí Minh"),
        ("096", "Cà Mau"),
    ],
)
def test_province_names_carry_correct_diacritics(code: str, name: str) -> None:
    assert PROVINCE_CODES[code] == name
    assert unicodedata.is_normalized("NFC", PROVINCE_CODES[code])


@pytest.mark.parametrize("missing", ["003", "005", "013", "097", "000"])
def test_codes_that_were_never_assigned_are_absent(missing: str) -> None:
    assert missing not in PROVINCE_CODES


# --- validate_id_number: good numbers -------------------------------------


@pytest.mark.parametrize(
    ("number", "dob", "gender"),
    [
        ("001085012345", date(1985, 3, 15), "male"),
        ("008191000123", date(1991, 12, 1), "female"),
        ("079205004321", date(2005, 6, 30), "male"),
        ("096312345678", date(2012, 1, 9), "female"),
        ("038199999999", date(1999, 1, 1), "female"),
        ("001000000001", date(1900, 1, 1), "male"),
    ],
)
def test_consistent_numbers_pass(number: str, dob: date, gender: str) -> None:
    assert validate_id_number(number, dob, gender) == []


def test_number_alone_passes_when_dob_and_gender_not_known_yet() -> None:
    assert validate_id_number("001085012345") == []


def test_surrounding_whitespace_is_ignored() -> None:
    assert validate_id_number("  001085012345\t\n", date(1985, 3, 15), "male") == []


# --- validate_id_number: each wrong part ----------------------------------


def test_empty_number_asks_for_it() -> None:
    problems = validate_id_number("   ")
    assert len(problems) == 1
    assert "Chưa nhập" in problems[0]


@pytest.mark.parametrize(("number", "typed"), [("00108501234", 11), ("0010850123456", 13)])
def test_wrong_length_says_how_many_digits_were_typed(number: str, typed: int) -> None:
    problems = validate_id_number(number)
    assert len(problems) == 1
    assert "12 chữ số" in problems[0]
    assert f"đã nhập {typed} chữ số" in problems[0]


def test_nine_digits_is_recognised_as_an_old_cmnd() -> None:
    problems = validate_id_number("123456789")
    assert "chứng minh nhân dân cũ" in problems[0]


@pytest.mark.parametrize(("number", "bad"), [("001085 12345", " "), ("00108501234O", "O")])
def test_non_digits_are_named(number: str, bad: str) -> None:
    problems = validate_id_number(number)
    assert len(problems) == 1
    assert "chỉ được gồm chữ số" in problems[0]
    assert repr(bad) in problems[0]


def test_full_width_digits_are_not_accepted_as_digits() -> None:
    problems = validate_id_number("００１０８５０１２３４５")
    assert "chỉ được gồm chữ số" in problems[0]


def test_unknown_province_code_names_the_first_three_digits() -> None:
    problems = validate_id_number("003085012345", date(1985, 3, 15), "male")
    assert len(problems) == 1
    assert "Ba chữ số đầu (003)" in problems[0]
    assert "mã tỉnh" in problems[0]


def test_gender_digit_contradicting_gender_names_the_fourth_digit() -> None:
    problems = validate_id_number("001185012345", date(1985, 3, 15), "male")
    assert len(problems) == 1
    assert "Chữ số thứ 4" in problems[0]
    assert "dành cho nữ" in problems[0]
    assert "giới tính đã chọn là nam" in problems[0]


def test_female_with_male_digit_is_reported() -> None:
    problems = validate_id_number("001205012345", date(2005, 3, 15), "female")
    assert len(problems) == 1
    assert "dành cho nam" in problems[0]
    assert "giới tính đã chọn là nữ" in problems[0]


def test_gender_digit_checked_even_without_date_of_birth() -> None:
    problems = validate_id_number("001185012345", gender="male")
    assert len(problems) == 1
    assert "Chữ số thứ 4" in problems[0]


def test_century_digit_contradicting_year_of_birth_names_the_century() -> None:
    # 2 means born 2000–2099 (male), but the person was born in 1985.
    problems = validate_id_number("001285012345", date(1985, 3, 15), "male")
    assert len(problems) == 1
    assert "Chữ số thứ 4" in problems[0]
    assert "2000–2099" in problems[0]
    assert "năm 1985" in problems[0]


def test_year_digits_contradicting_year_of_birth_names_digits_five_and_six() -> None:
    problems = validate_id_number("001085012345", date(1986, 3, 15), "male")
    assert len(problems) == 1
    assert "Hai số năm sinh trong số định danh" in problems[0]
    assert "là 85 nhưng ngày sinh là năm 1986" in problems[0]
    assert "5–6" in problems[0]


def test_year_digits_compare_with_leading_zero() -> None:
    assert validate_id_number("001205012345", date(2005, 1, 1), "male") == []
    problems = validate_id_number("001250012345", date(2005, 1, 1), "male")
    assert "là 50 nhưng ngày sinh là năm 2005" in problems[0]


def test_several_wrong_parts_are_all_reported() -> None:
    problems = validate_id_number("003185012345", date(2085, 3, 15), "male")
    text = " ".join(problems)
    assert len(problems) == 3
    assert "Ba chữ số đầu" in text
    assert "dành cho nữ" in text
    assert "1900–1999" in text and "2085" in text


@pytest.mark.parametrize("gender", ["Nam", "m", "other", ""])
def test_unknown_gender_argument_is_a_programming_error(gender: str) -> None:
    with pytest.raises(ValueError, match="male"):
        validate_id_number("001085012345", gender=gender)


# --- parse_card_qr: good lines --------------------------------------------


def test_good_line_parses_to_exact_fields() -> None:
    assert parse_card_qr(GOOD_QR) == GOOD_CARD


def test_card_data_is_immutable() -> None:
    card = parse_card_qr(GOOD_QR)
    with pytest.raises(dataclasses.FrozenInstanceError):
        card.full_name = "Khác"  # type: ignore[misc]


@pytest.mark.parametrize(
    "line",
    [
        GOOD_QR + "\r\n",
        GOOD_QR + "\n",
        GOOD_QR + "\t",
        "\ufeff" + GOOD_QR,
        "  " + GOOD_QR + " \r\n",
    ],
)
def test_scanner_line_endings_and_stray_characters_are_ignored(line: str) -> None:
    assert parse_card_qr(line) == GOOD_CARD


def test_spaces_around_fields_are_dropped() -> None:
    line = (
        " 001085012345 | 123456789 |  Nguyễn Văn An | 15031985 | Nam |"
        " Thôn Nà Hang, Xã Thượng Lâm, Tỉnh Tuyên Quang | 20042021 "
    )
    assert parse_card_qr(line) == GOOD_CARD


def test_repeated_spaces_inside_the_name_are_collapsed() -> None:
    card = parse_card_qr(GOOD_QR.replace("Nguyễn Văn An", "Nguyễn   Văn  An"))
    assert card.full_name == "Nguyễn Văn An"


def test_extra_trailing_fields_are_ignored() -> None:
    assert parse_card_qr(GOOD_QR + "|ABC|") == GOOD_CARD


def test_missing_issue_date_field_gives_none() -> None:
    line = GOOD_QR.rsplit("|", 1)[0]
    assert parse_card_qr(line) == dataclasses.replace(GOOD_CARD, issue_date=None)


def test_empty_issue_date_gives_none() -> None:
    line = GOOD_QR.rsplit("|", 1)[0] + "|"
    assert parse_card_qr(line).issue_date is None


def test_empty_old_id_gives_none() -> None:
    card = parse_card_qr(GOOD_QR.replace("|123456789|", "||"))
    assert card.old_id_number is None


def test_decomposed_unicode_is_normalised() -> None:
    female_line = (
        "008191000123||Hoàng Thị Nữ|01121991|Nữ|"
        "Bản Khuổi Phủ, Xã Lâm Bình, Tỉnh Tuyên Quang|05062022"
    )
    card = parse_card_qr(unicodedata.normalize("NFD", female_line))
    assert card.gender == "female"
    assert card.full_name == "Hoàng Thị Nữ"
    assert unicodedata.is_normalized("NFC", card.full_name)
    assert card.address == "Bản Khuổi Phủ, Xã Lâm Bình, Tỉnh Tuyên Quang"
    assert card.old_id_number is None
    assert card.date_of_birth == date(1991, 12, 1)
    assert card.issue_date == date(2022, 6, 5)


def test_nfd_gender_word_alone_is_understood() -> None:
    line = "008191000123||Hoàng Thị Mai|01121991|{}|Tuyên Quang|05062022"
    assert parse_card_qr(line.format(unicodedata.normalize("NFD", "Nữ"))).gender == "female"


@pytest.mark.parametrize(("word", "gender"), [("NAM", "male"), ("nam", "male"), ("NỮ", "female")])
def test_gender_word_is_case_insensitive(word: str, gender: str) -> None:
    number = "001085012345" if gender == "male" else "001185012345"
    line = f"{number}||Nguyễn Văn An|15031985|{word}|Hà Nội"
    assert parse_card_qr(line).gender == gender


# --- parse_card_qr: broken lines ------------------------------------------


@pytest.mark.parametrize("text", ["", "   ", "\r\n", "\t"])
def test_empty_input_is_refused(text: str) -> None:
    with pytest.raises(ValueError, match="trống"):
        parse_card_qr(text)


def test_text_without_separators_does_not_look_like_a_card_qr() -> None:
    with pytest.raises(ValueError, match="không giống mã QR") as info:
        parse_card_qr("https://example.com/khong-phai-the")
    assert "'|'" in str(info.value)


def test_too_few_fields_says_how_many_were_read() -> None:
    with pytest.raises(ValueError, match="thiếu trường") as info:
        parse_card_qr("001085012345|123456789|Nguyễn Văn An|15031985")
    assert "chỉ đọc được 4" in str(info.value)


@pytest.mark.parametrize("separator", ["\r\n", "\n", "\r"])
def test_two_scans_in_one_field_are_refused(separator: str) -> None:
    with pytest.raises(ValueError, match="quét hai lần"):
        parse_card_qr(GOOD_QR + separator + GOOD_QR)


@pytest.mark.parametrize("bad_id", ["00108501234", "0010850123456", "00108501234X", ""])
def test_id_that_is_not_twelve_digits_is_refused(bad_id: str) -> None:
    with pytest.raises(ValueError, match="không phải 12 chữ số"):
        parse_card_qr(GOOD_QR.replace("001085012345", bad_id))


@pytest.mark.parametrize("bad_dob", ["1503198", "15/03/1985", "31021985", "abcdefgh"])
def test_bad_date_of_birth_is_named(bad_dob: str) -> None:
    with pytest.raises(ValueError, match="Ngày sinh") as info:
        parse_card_qr(GOOD_QR.replace("15031985", bad_dob))
    assert repr(bad_dob) in str(info.value)


def test_impossible_date_of_birth_is_called_not_real() -> None:
    with pytest.raises(ValueError, match="không phải ngày có thật"):
        parse_card_qr(GOOD_QR.replace("15031985", "31021985"))


@pytest.mark.parametrize("bad_issue", ["2004202", "32042021", "20-04-2021"])
def test_bad_issue_date_is_named(bad_issue: str) -> None:
    with pytest.raises(ValueError, match="Ngày cấp"):
        parse_card_qr(GOOD_QR.replace("20042021", bad_issue))


@pytest.mark.parametrize("word", ["Male", "Khác", "", "N"])
def test_unknown_gender_word_is_refused(word: str) -> None:
    with pytest.raises(ValueError, match="Giới tính") as info:
        parse_card_qr(GOOD_QR.replace("|Nam|", f"|{word}|"))
    assert "'Nam' hoặc 'Nữ'" in str(info.value)


def test_missing_name_is_refused() -> None:
    with pytest.raises(ValueError, match="họ tên"):
        parse_card_qr(GOOD_QR.replace("Nguyễn Văn An", "   "))


def test_id_contradicting_card_gender_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="không khớp") as info:
        parse_card_qr(GOOD_QR.replace("|Nam|", "|Nữ|"))
    assert "Chữ số thứ 4" in str(info.value)


def test_id_contradicting_card_birth_year_is_refused_with_the_reason() -> None:
    with pytest.raises(ValueError, match="là 85 nhưng ngày sinh là năm 1986"):
        parse_card_qr(GOOD_QR.replace("15031985", "15031986"))


def test_id_with_unknown_province_is_refused() -> None:
    with pytest.raises(ValueError, match="Ba chữ số đầu"):
        parse_card_qr(GOOD_QR.replace("001085012345", "099085012345"))
