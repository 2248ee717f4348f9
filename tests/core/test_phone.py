"""Phone numbers as volunteers meet them, checked for VNeID's OTP by SMS."""

from __future__ import annotations

import sys

import pytest

from fieldkit.core.phone import normalize_phone, validate_phone


@pytest.mark.parametrize(
    "number",
    [
        "0912 345 678",
        "0912345678",
        "+84912345678",
        "+84 91 234 5678",
        "84912345678",
        "0084912345678",
        "0912.345.678",
        "0912-345-678",
        "(091) 234-5678",
        "  0912345678\t",
    ],
)
def test_ways_of_writing_one_mobile_number_are_accepted_and_stored_alike(number: str) -> None:
    assert validate_phone(number) == []
    assert normalize_phone(number) == "0912345678"


@pytest.mark.parametrize(
    "number",
    [
        "0867123456",  # Viettel
        "0381234567",  # Viettel
        "0812345678",  # VinaPhone
        "0701234567",  # MobiFone
        "0561234567",  # Vietnamobile
        "0592345678",  # Gmobile
    ],
)
def test_mobile_numbers_of_each_network_pass(number: str) -> None:
    assert validate_phone(number) == []
    assert normalize_phone(number) == number


def test_number_marked_fixed_line_or_mobile_counts_as_mobile(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Vietnamese metadata keeps the two apart today; some releases merge them,
    # and such a number can still receive the OTP.
    import phonenumbers

    monkeypatch.setattr(
        phonenumbers,
        "number_type",
        lambda _number: phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE,
    )
    assert validate_phone("0912345678") == []


def test_normalised_form_is_ten_digits_starting_with_zero() -> None:
    result = normalize_phone("+84 38 123 4567")
    assert result == "0381234567"
    assert len(result) == 10


def test_empty_number_asks_for_it() -> None:
    assert "Chưa nhập" in validate_phone("  ")[0]


def test_too_few_digits_says_so() -> None:
    problems = validate_phone("091234567")
    assert len(problems) == 1
    assert "thiếu chữ số" in problems[0]
    assert "mới có 9 chữ số" in problems[0]
    assert "10 chữ số" in problems[0]


def test_too_many_digits_says_so() -> None:
    problems = validate_phone("09123456789")
    assert len(problems) == 1
    assert "thừa chữ số" in problems[0]
    assert "có 11 chữ số" in problems[0]


def test_landline_is_not_a_mobile_number() -> None:
    problems = validate_phone("024 3825 3535")
    assert len(problems) == 1
    assert "máy bàn" in problems[0]
    assert "không phải số di động" in problems[0]


def test_service_number_is_not_a_mobile_number() -> None:
    problems = validate_phone("1900 1234")
    assert len(problems) == 1
    assert "không phải số di động" in problems[0]


def test_foreign_number_is_not_vietnamese() -> None:
    problems = validate_phone("+1 415 555 2671")
    assert len(problems) == 1
    assert "không phải số Việt Nam" in problems[0]
    assert "+1" in problems[0]


def test_unused_prefix_is_named() -> None:
    problems = validate_phone("0521234567")
    assert len(problems) == 1
    assert "Đầu số 052" in problems[0]


def test_old_eleven_digit_number_suggests_the_new_one() -> None:
    problems = validate_phone("0168 912 3456")
    assert len(problems) == 1
    assert "đầu số cũ 0168" in problems[0]
    assert "0389123456" in problems[0]


@pytest.mark.parametrize(("number", "bad"), [("0912abc678", "abc"), ("0912 345 678 (Lan)", "Lan")])
def test_letters_are_refused_not_read_as_keypad_digits(number: str, bad: str) -> None:
    problems = validate_phone(number)
    assert len(problems) == 1
    assert "chỉ được gồm chữ số" in problems[0]
    assert all(ch in problems[0] for ch in bad)


def test_unparseable_input_is_explained() -> None:
    problems = validate_phone("+")
    assert len(problems) == 1
    assert "Không đọc được" in problems[0]


@pytest.mark.parametrize("number", ["091234567", "024 3825 3535", "", "+14155552671", "abc"])
def test_normalize_refuses_what_validate_refuses(number: str) -> None:
    with pytest.raises(ValueError) as info:
        normalize_phone(number)
    assert str(info.value) == " ".join(validate_phone(number))


def test_importing_the_module_does_not_load_phonenumbers() -> None:
    import subprocess

    code = (
        "import sys; import fieldkit.core.phone; "
        "sys.exit(1 if 'phonenumbers' in sys.modules else 0)"
    )
    result = subprocess.run([sys.executable, "-c", code], env=_child_env(), check=False)
    assert result.returncode == 0


def _child_env() -> dict[str, str]:
    import os
    from pathlib import Path

    import fieldkit

    src = str(Path(fieldkit.__file__).resolve().parent.parent)
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [src, env.get("PYTHONPATH")]))
    return env


def test_a_number_in_the_stored_form_is_read_exactly_as_the_parser_reads_it() -> None:
    """The stored form ("0" and nine digits) skips phonenumbers' parser (see `_parsed`):
    every prefix, with tails across the range, must give the very number the parser gives."""
    import random

    import phonenumbers

    from fieldkit.core.phone import _parsed

    pick = random.Random(84)
    tails = ["0000000", "9999999", *(f"{pick.randrange(10**7):07d}" for _ in range(30))]
    numbers = [f"0{prefix}{tail}" for prefix in range(10, 100) for tail in tails]
    assert len(numbers) == 90 * 32
    for number in numbers:
        assert _parsed(number) == phonenumbers.parse(number, "VN"), number
    assert validate_phone("0912345678") == [] and normalize_phone("0912 345 678") == "0912345678"


def test_numbers_are_judged_by_the_type_phonenumbers_gives_them() -> None:
    """The check asks phonenumbers for a number's type once and takes UNKNOWN for invalid
    (its own definition of `is_valid_number`): on every prefix, in every length around the
    mobile one, a number is accepted, called a landline, called a service number or refused
    otherwise exactly as the library's two calls together say."""
    import random

    import phonenumbers

    kinds = phonenumbers.PhoneNumberType
    pick = random.Random(1984)
    numbers = [f"0{prefix}{pick.randrange(10**digits):0{digits}d}"
               for prefix in range(10, 100) for digits in (5, 6, 7, 8, 9) for _ in range(4)]
    numbers += ["+84 1800 1234", "19001234", "0672123456", "0241234567", "1990001"]
    seen = set()
    for number in numbers:
        parsed = phonenumbers.parse(number, "VN")
        kind = phonenumbers.number_type(parsed)
        expected = ("other" if not phonenumbers.is_valid_number(parsed)
                    else "mobile" if kind in (kinds.MOBILE, kinds.FIXED_LINE_OR_MOBILE)
                    else "landline" if kind == kinds.FIXED_LINE else "service")
        said = " ".join(validate_phone(number))
        judged = ("mobile" if not said else "landline" if "máy bàn" in said
                  else "service" if "tổng đài/dịch vụ" in said else "other")
        assert judged == expected, (number, said)
        seen.add(expected)
    assert seen == {"mobile", "landline", "service", "other"}
