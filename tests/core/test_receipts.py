"""QR receipts: what a volunteer prints and what the commune one-stop-shop scans and trusts."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from fieldkit.core import base45
from fieldkit.core.receipts import (
    PREFIX,
    ReceiptError,
    generate_device_key,
    make_receipt,
    public_key_of,
    reference_code,
    verify_receipt,
)

VN = timezone(timedelta(hours=7))
SIGNED_AT = datetime(2025, 3, 14, 9, 30, 5, tzinfo=VN)
RECORD_ID = "01958f3a-7c2e-7b41-9d6a-3f2c8e1a4b5d"

# A birth registration declaration as the form engine would hold it: about 40 answers.
BIRTH_ANSWERS = {
    "nguoi_yeu_cau_ho_ten": "Nguyễn Thị Thu Hương",
    "nguoi_yeu_cau_so_dinh_danh": "036195012345",
    "nguoi_yeu_cau_dien_thoai": "0912345678",
    "nguoi_yeu_cau_noi_cu_tru": "Thôn Đông Hải, xã Hải Thịnh, tỉnh Ninh Bình",
    "nguoi_yeu_cau_quan_he": "me",
    "tre_ho_ten": "Trần Ngọc Bảo Anh",
    "tre_gioi_tinh": "nu",
    "tre_ngay_sinh": "2025-02-27",
    "tre_gio_sinh": "06:45",
    "tre_noi_sinh": "Bệnh viện Đa khoa tỉnh Ninh Bình",
    "tre_noi_sinh_loai": "co_so_y_te",
    "tre_dan_toc": "Kinh",
    "tre_quoc_tich": "Việt Nam",
    "tre_que_quan": "Xã Hải Thịnh, tỉnh Ninh Bình",
    "tre_can_nang_gram": 3150,
    "giay_chung_sinh_so": "125/GCS-BV",
    "giay_chung_sinh_ngay": "2025-02-28",
    "me_ho_ten": "Nguyễn Thị Thu Hương",
    "me_ngay_sinh": "1995-08-12",
    "me_dan_toc": "Kinh",
    "me_quoc_tich": "Việt Nam",
    "me_so_dinh_danh": "036195012345",
    "me_noi_cu_tru": "Thôn Đông Hải, xã Hải Thịnh, tỉnh Ninh Bình",
    "cha_ho_ten": "Trần Văn Đức",
    "cha_ngay_sinh": "1992-11-03",
    "cha_dan_toc": "Kinh",
    "cha_quoc_tich": "Việt Nam",
    "cha_so_dinh_danh": "036092007788",
    "cha_noi_cu_tru": "Thôn Đông Hải, xã Hải Thịnh, tỉnh Ninh Bình",
    "cha_me_dang_ky_ket_hon": "co",
    "ket_hon_so": "42/2019",
    "ket_hon_noi_dang_ky": "UBND xã Hải Thịnh",
    "dang_ky_thuong_tru": True,
    "cap_the_bhyt": True,
    "co_so_kcb_ban_dau": "Trạm Y tế xã Hải Thịnh",
    "nhan_ket_qua": "buu_chinh",
    "dia_chi_nhan": "Thôn Đông Hải, xã Hải Thịnh, tỉnh Ninh Bình",
    "so_ban_sao": 2,
    "ghi_chu": "Mẹ đi làm xa, ông bà nội đưa hồ sơ đến xã.",
    "thanh_vien_ho": [
        {"ho_ten": "Trần Văn Đức", "quan_he": "chu_ho", "nam_sinh": 1992},
        {"ho_ten": "Nguyễn Thị Thu Hương", "quan_he": "vo", "nam_sinh": 1995},
        {"ho_ten": "Trần Văn Lộc", "quan_he": "bo", "nam_sinh": 1964},
        {"ho_ten": "Phạm Thị Nguyệt", "quan_he": "me", "nam_sinh": 1967},
    ],
}


@pytest.fixture(scope="module")
def device_key() -> bytes:
    return generate_device_key()


@pytest.fixture(scope="module")
def receipt_text(device_key: bytes) -> str:
    return _birth_receipt(device_key)


def _birth_receipt(private_key: bytes, device_id: str = "may-tinh-07") -> str:
    return make_receipt(
        form_id="dang_ky_khai_sinh",
        form_version="2025.1",
        record_id=RECORD_ID,
        answers=BIRTH_ANSWERS,
        device_id=device_id,
        private_key=private_key,
        signed_at=SIGNED_AT,
    )


def _seal(body: bytes, private_key: bytes, version: int = 1) -> str:
    """Build a receipt by hand from the documented layout, as a foreign program would."""
    key = Ed25519PrivateKey.from_private_bytes(private_key)
    signed = bytes([version]) + body
    raw = signed + key.sign(signed) + key.public_key().public_bytes_raw()
    return PREFIX + base45.encode(raw)


def _refusal(text: str, **kwargs: object) -> ReceiptError:
    with pytest.raises(ReceiptError) as caught:
        verify_receipt(text, **kwargs)  # type: ignore[arg-type]
    return caught.value


@pytest.mark.parametrize(
    ("data", "text"),
    [
        (b"AB", "BB8"),
        (b"Hello!!", "%69 VD92EX0"),
        (b"base-45", "UJCLQE7W581"),
        (b"ietf!", "QED8WEX0"),
        (b"", ""),
    ],
)
def test_base45_matches_rfc_9285_vectors(data: bytes, text: str) -> None:
    assert base45.encode(data) == text
    assert base45.decode(text) == data


@pytest.mark.parametrize("text", ["GGW", "ZZZ", "ab", "BB8A", ":::"])
def test_base45_refuses_what_rfc_9285_calls_invalid(text: str) -> None:
    with pytest.raises(ValueError):
        base45.decode(text)


def test_a_birth_registration_round_trips_with_diacritics_and_repeats(
    receipt_text: str, device_key: bytes
) -> None:
    receipt = verify_receipt(receipt_text)

    assert receipt.form_id == "dang_ky_khai_sinh"
    assert receipt.form_version == "2025.1"
    assert receipt.record_id == RECORD_ID
    assert receipt.answers == BIRTH_ANSWERS
    assert receipt.answers["thanh_vien_ho"][3]["ho_ten"] == "Phạm Thị Nguyệt"
    assert receipt.device_id == "may-tinh-07"
    assert receipt.signed_at == SIGNED_AT
    assert receipt.signed_at.utcoffset() == timedelta(hours=7)
    assert receipt.public_key == public_key_of(device_key)
    assert receipt.reference == reference_code(RECORD_ID)


def test_a_birth_registration_fits_a_qr_code_in_alphanumeric_mode(receipt_text: str) -> None:
    alphabet = set(base45.ALPHABET)
    assert set(receipt_text) <= alphabet
    # Version 40-M holds 3391 alphanumeric characters; staying far below keeps the code
    # small enough for a cheap scanner to read from paper.
    assert len(receipt_text) < 1500


def test_every_changed_character_is_refused(receipt_text: str) -> None:
    body_start = len(PREFIX)
    positions = sorted({*range(body_start, len(receipt_text), 17), len(receipt_text) - 1})
    for position in positions:
        original = receipt_text[position]
        for replacement in {"0", "Q", "$", ":"} - {original}:
            forged = receipt_text[:position] + replacement + receipt_text[position + 1:]
            with pytest.raises(ReceiptError):
                verify_receipt(forged)


def test_changed_answers_under_the_old_signature_are_refused(
    receipt_text: str,
) -> None:
    raw = bytearray(base45.decode(receipt_text[len(PREFIX):]))
    body = json.loads(zlib.decompress(bytes(raw[1:-96])))
    body["a"]["tre_ho_ten"] = "Trần Văn Khác"
    forged_body = zlib.compress(json.dumps(body).encode())
    forged = bytes(raw[:1]) + forged_body + bytes(raw[-96:])

    assert _refusal(PREFIX + base45.encode(forged)).reason == "signature"


def test_a_receipt_signed_by_another_key_is_intact_but_not_trusted(device_key: bytes) -> None:
    impostor = generate_device_key()
    forged = _birth_receipt(impostor)
    trusted = {"may-tinh-07": public_key_of(device_key)}

    assert verify_receipt(forged).public_key == public_key_of(impostor)
    assert _refusal(forged, trusted_keys=trusted).reason == "untrusted"
    unknown_device = _birth_receipt(device_key, device_id="may-tinh-99")
    assert _refusal(unknown_device, trusted_keys=trusted).reason == "untrusted"
    assert verify_receipt(_birth_receipt(device_key), trusted_keys=trusted).answers


@pytest.mark.parametrize(
    "noise",
    [
        lambda text: text + "\r\n",
        lambda text: "  " + text + "\n",
        lambda text: text + "\t",
        lambda text: text.lower(),
        lambda text: " " + text.lower() + "\r\n",
    ],
)
def test_what_a_scanner_adds_is_tolerated(
    receipt_text: str, noise: Callable[[str], str]
) -> None:
    assert verify_receipt(noise(receipt_text)).record_id == RECORD_ID


def test_base45_never_ends_with_a_space_so_stripping_is_safe() -> None:
    for data in (b"\xff\xff", b"\xff", b"\x00", bytes(range(256))):
        assert not base45.encode(data).endswith(" ")


def test_a_decompression_bomb_is_refused_before_it_is_inflated(device_key: bytes) -> None:
    # 1 MiB of zeros compresses small enough to fit in a QR code, so only the inflation
    # guard stands between it and memory.
    payload = b'{"a":{"x":"' + b"0" * (1024 * 1024) + b'"}}'
    bomb = _seal(zlib.compress(payload, 9), device_key)
    assert len(bomb) < 4_296

    error = _refusal(bomb)

    assert error.reason == "too_large"
    assert "64 KiB" in str(error)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("", "not_receipt"),
        ("036195012345|Nguyễn Thị Thu Hương|12081995|Nữ", "not_receipt"),
        ("FK1:ABCD", "damaged"),
        ("FK1:" + "ü" * 10, "damaged"),
        ("FK1:" + base45.encode(b"\x01" + b"x" * 20), "damaged"),
    ],
)
def test_what_is_not_a_receipt_is_refused_with_a_reason(text: str, reason: str) -> None:
    error = _refusal(text)
    assert error.reason == reason
    assert str(error)


def test_an_unknown_format_version_asks_for_an_update(device_key: bytes) -> None:
    error = _refusal(_seal(zlib.compress(b"{}"), device_key, version=2))
    assert error.reason == "version"
    assert "cập nhật" in str(error)


@pytest.mark.parametrize(
    ("body", "missing"),
    [
        (b'{"f":"x","v":"1","r":"r","a":{},"t":"2025-03-14T09:30:05+07:00"}', "device_id"),
        (b'{"f":"x","v":"1","r":"r","a":[],"d":"d","t":"2025-03-14T09:30:05+07:00"}', "answers"),
        (b'["not", "an", "object"]', None),
        (b"\xff\xfe", None),
        (b'{"f":"x","v":"1","r":"r","a":{},"d":"d","t":"yesterday"}', None),
    ],
)
def test_a_signed_payload_with_missing_or_wrong_fields_is_refused(
    device_key: bytes, body: bytes, missing: str | None
) -> None:
    error = _refusal(_seal(zlib.compress(body), device_key))
    assert error.reason == "fields"
    if missing:
        assert missing in str(error)


def test_a_truncated_or_padded_compressed_payload_is_refused(device_key: bytes) -> None:
    stream = zlib.compress(b'{"f":"x"}')
    assert _refusal(_seal(stream[:-3], device_key)).reason == "fields"
    assert _refusal(_seal(stream + b"extra", device_key)).reason == "fields"


def test_reference_codes_are_stable_readable_and_grouped() -> None:
    code = reference_code(RECORD_ID)

    # Pinned: a code printed today must still find its record after any upgrade.
    assert code == "QA1Q-SYV5"
    assert len(code) == 9
    assert code[4] == "-"
    assert set(code.replace("-", "")) <= set("0123456789ABCDEFGHJKMNPQRSTVWXYZ")
    assert reference_code("01958f3a-7c2e-7b41-9d6a-3f2c8e1a4b5e") != code


def test_a_signing_time_without_time_zone_is_refused(device_key: bytes) -> None:
    with pytest.raises(ValueError, match="time zone"):
        make_receipt(
            form_id="f",
            form_version="1",
            record_id=RECORD_ID,
            answers={},
            device_id="d",
            private_key=device_key,
            signed_at=datetime(2025, 3, 14, 9, 30),
        )


def test_text_longer_than_any_qr_code_is_refused_unread(device_key: bytes) -> None:
    assert _refusal("FK1:" + "A" * 10_000).reason == "too_large"


def test_a_declaration_too_long_for_paper_carries_the_digest_of_its_answers(
    device_key: bytes,
) -> None:
    import random

    from fieldkit.core.receipts import MAX_RECEIPT_CHARS, answers_digest

    scatter = random.Random(7)  # text that does not compress, like real long free text
    answers = {"request_content": "".join(chr(0x1EA0 + scatter.randrange(90))
                                          for _ in range(4_000))}
    text = make_receipt(form_id="residence_ct01", form_version="2026.1", record_id=RECORD_ID,
                        answers=answers, device_id="device-1", private_key=device_key,
                        signed_at=SIGNED_AT)
    assert len(text) <= MAX_RECEIPT_CHARS
    receipt = verify_receipt(text)
    assert receipt.answers is None
    assert receipt.answers_sha256 == answers_digest(answers)
    assert receipt.record_id == RECORD_ID
