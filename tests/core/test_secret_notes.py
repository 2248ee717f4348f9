"""Passwords, OTPs, passcodes and security answers are refused wherever free text is saved,
without false alarms on the numbers and notes volunteers really type."""

import unicodedata
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlmodel import select

from fieldkit.core.errors import FieldError
from fieldkit.core.forms.definition import load_form
from fieldkit.core.forms.records import save_answer, start_record
from fieldkit.core.households import add_village, update_household
from fieldkit.core.models import FormRecord, Household, Village, Visit
from fieldkit.core.people import update_person
from fieldkit.core.profile import Profile
from fieldkit.core.secret_notes import (
    find_secrets,
    message,
    refuse_secrets,
    refuse_secrets_in_answer,
)
from fieldkit.core.store import Store
from fieldkit.core.visits import set_notes, start_visit
from tests.conftest import person_snapshot

FORMS = Path(__file__).resolve().parents[2] / "forms"

SECRETS = [
    ("OTP 482913", "otp"),
    ("otp: 482913", "otp"),
    ("ma otp la 482913", "otp"),
    ("Mã OTP của bà là 482913", "otp"),
    ("mã xác thực: 4829 13", "otp"),
    ("MÃ XÁC NHẬN 4829", "otp"),
    ("mật khẩu: Abc@1234", "password"),
    ("mat khau Abc@1234", "password"),
    ("mk Abc@1234", "password"),
    ("pass=xyz12345", "password"),
    ("Password: hoa12345", "password"),
    ("Mật khẩu VNeID của bà là Hoa@2024", "password"),
    ("mật khẩu: MatKhauMoi", "password"),
    ("passcode 123456", "passcode"),
    ("mã passcode: 123456", "passcode"),
    ("Mã PIN 1234", "passcode"),
    ("pin: 123456", "passcode"),
    ("câu hỏi bảo mật: tên con vật nuôi đầu tiên - Mèo", "security"),
    ("Câu trả lời bảo mật là Mèo Mướp", "security"),
    ("cau tra loi bao mat: meo", "security"),
    ("security answer: blue", "security"),
    # No keyword, but shaped like a VNeID password (upper, lower, digit, special; 8–20).
    ("Bà đặt Abc@1234 rồi", "password"),
    ("(Lan#2024vn)", "password"),
]

EXAMPLES_WITHOUT_SECRETS = [
    "0912 345 678",
    "gọi 0912345678",
    "001085012345",
    "15/03/1985",
    "Số 12, thôn 3",
    "hẹn 8h30",
    "Bà không có điện thoại thông minh; hẹn con gái về nhà tối nay",
    "đã hướng dẫn cách nhận OTP trên điện thoại của bà",
    "đóng 1.200.000 đồng",
    "GD4010123456789",
    "Nguyễn",
]

ORDINARY_NOTES = [
    "Cần quay lại khi có thẻ căn cước.",
    "Ông Lò Văn Pao đi làm nương, hẹn chiều thứ Bảy 15h00 quay lại.",
    "Bà Nguyễn Thị Hoa 78 tuổi, mắt kém, con trai Bình (0987 654 321) giúp.",
    "Đã kích hoạt VNeID mức 1, bà tự nhập mật khẩu và passcode trên điện thoại.",
    "Nhắc bà không đọc mã OTP cho ai, kể cả người xưng là công an.",
    "Điện thoại không có NFC, hẹn mượn máy của cháu để quét chip.",
    "OTP gửi về số 0912 345 678 nhưng sim hết tiền, hẹn nạp thẻ rồi làm lại.",
    "Mật khẩu VNeID phải có 8-20 ký tự, gồm chữ hoa, chữ thường, số và ký tự đặc biệt.",
    "Bà quên mật khẩu, đã hướng dẫn bấm “Quên mật khẩu” để đặt lại.",
    "Mật khẩu của bà đã đổi xong, bà tự ghi nhớ.",
    "Câu hỏi bảo mật là gì? Đã giải thích, bà tự chọn và tự trả lời.",
    "Đã hướng dẫn bà chọn 2 câu hỏi bảo mật.",
    "Pin điện thoại còn 20%, sạc pin 5000 mAh mang theo.",
    "Đóng BHYT 1.105.650 đồng cho 5 người, thẻ GD4010123456789.",
    "Nhà số 45/2 ngõ 7, tổ dân phố 3, cạnh trường mầm non.",
    "Sinh ngày 01-02-2020, giấy khai sinh số 123/2020.",
    "Đã xác nhận 2 người trong hộ; mã hồ sơ G01.123-240101-0001 trên cổng dịch vụ công.",
    "Email của con gái: nguyen.Mai95@gmail.com",
    "Hẹn 7h30 sáng 20/11 tại nhà văn hoá thôn 3, mang CCCD và sổ hộ khẩu cũ.",
    "Chưa có sim chính chủ; số 0369123456 đứng tên con rể.",
    "Nhận trợ cấp 500.000đ/tháng qua tài khoản ngân hàng.",
    "Ông nghe kém, nói chậm; nên đến buổi sáng.",
]


@pytest.mark.parametrize(("text", "kind"), SECRETS)
def test_secrets_are_caught_and_explained(text: str, kind: str) -> None:
    messages = find_secrets(text)
    assert message(kind) in messages
    for shown in messages:
        assert "Nghị định 13/2023" in shown
        assert "điện thoại của mình" in shown
        assert "xoá" in shown


@pytest.mark.parametrize("text", EXAMPLES_WITHOUT_SECRETS + ORDINARY_NOTES)
def test_ordinary_text_raises_no_false_alarm(text: str) -> None:
    assert find_secrets(text) == []
    refuse_secrets("notes", text)


def test_the_secret_itself_is_never_repeated_in_the_message() -> None:
    with pytest.raises(FieldError) as caught:
        refuse_secrets("notes", "OTP 482913, mật khẩu: Abc@1234")
    assert caught.value.field == "notes"
    assert caught.value.messages == [message("otp"), message("password")]
    assert not any("482913" in m or "Abc@1234" in m for m in caught.value.messages)


def test_decomposed_diacritics_are_matched_too() -> None:
    assert find_secrets(unicodedata.normalize("NFD", "Mật khẩu: Hoa@2024")) == [
        message("password")]


def test_form_answers_for_id_numbers_and_phones_are_not_checked() -> None:
    refuse_secrets_in_answer("id_number", "Abc@1234")
    refuse_secrets_in_answer("members[0].member_id_number", "Abc@1234")
    refuse_secrets_in_answer("phone", "Abc@1234")
    with pytest.raises(FieldError):
        refuse_secrets_in_answer("request_content", "OTP 482913")
    with pytest.raises(FieldError):
        refuse_secrets_in_answer("members[0].member_full_name", "mk Abc@1234")


# -- where free text is saved --------------------------------------------------------------


def test_visit_notes_refuse_a_secret_and_keep_the_old_notes(
    store: Store, profile: Profile, make_household: Callable[..., Any]
) -> None:
    made = make_household("Nguyễn Văn Bình")
    with store.write() as session:
        visit_id = start_visit(session, made.household_id, profile.volunteer_id).id
    with store.write() as session:
        set_notes(session, visit_id, "Hẹn 8h30 sáng mai.")
    with pytest.raises(FieldError) as caught, store.write() as session:
        set_notes(session, visit_id, "OTP 482913")
    assert caught.value.field == "notes"
    assert caught.value.messages == [message("otp")]
    with store.read() as session:
        visit = session.get(Visit, visit_id)
        assert visit is not None
        assert visit.notes == "Hẹn 8h30 sáng mai."


def test_household_notes_refuse_a_secret_and_store_nothing(
    store: Store, make_household: Callable[..., Any]
) -> None:
    made = make_household("Nguyễn Văn Bình")
    with pytest.raises(FieldError) as caught, store.write() as session:
        update_household(session, made.household_id, "notes", "mật khẩu: Abc@1234")
    assert caught.value.field == "notes"
    with store.read() as session:
        household = session.get(Household, made.household_id)
        assert household is not None
        assert household.notes in (None, "")
    with store.write() as session:
        update_household(session, made.household_id, "phone", "0912 345 678")
        update_household(session, made.household_id, "address", "Số 12, thôn 3")


def test_village_names_and_person_fields_refuse_a_secret(
    store: Store, profile: Profile, make_household: Callable[..., Any]
) -> None:
    with pytest.raises(FieldError), store.write() as session:
        add_village(session, profile.commune_id, "Thôn Abc@1234")
    with store.read() as session:
        assert all("Abc@1234" not in v.name for v in session.exec(select(Village)).all())
    made = make_household("Nguyễn Văn Bình", id_number="001085012345",
                          date_of_birth=date(1985, 3, 15), gender="male", phone="0912345678")
    before = person_snapshot(store, made.head_id)
    with pytest.raises(FieldError), store.write() as session:
        update_person(session, made.head_id, "full_name", "Bình mk Abc@1234")
    assert person_snapshot(store, made.head_id) == before


def test_a_form_answer_with_a_secret_is_refused_and_not_stored(
    store: Store, make_household: Callable[..., Any]
) -> None:
    made = make_household("Lò Văn Pao")
    ct01 = load_form(FORMS / "residence_ct01.json")
    with store.write() as session:
        record_id = start_record(session, ct01, made.household_id).id
    with store.write() as session:
        save_answer(session, record_id, "request_content", "Đăng ký thường trú cho con.")
    with pytest.raises(FieldError) as caught, store.write() as session:
        save_answer(session, record_id, "request_content", "mã OTP của bà là 482913")
    assert caught.value.field == "request_content"
    with store.read() as session:
        record = session.get(FormRecord, record_id)
        assert record is not None
        assert "482913" not in record.answers
        assert "Đăng ký thường trú cho con." in record.answers
    with store.write() as session:
        save_answer(session, record_id, "phone", "0912 345 678")
        save_answer(session, record_id, "id_number", "011085012345")
