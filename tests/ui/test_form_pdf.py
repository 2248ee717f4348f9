"""The printed declaration, checked the way the commune office uses it: the text is read back
with pypdf and the QR is decoded from a rendered page with zxing-cpp, never by eye."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pypdfium2
import pytest
import zxingcpp
from pypdf import PdfReader

from fieldkit.core.forms.definition import FormDefinition, load_form
from fieldkit.core.forms.records import start_record
from fieldkit.core.models import FormRecord
from fieldkit.core.receipts import ReceiptError, make_receipt, reference_code, verify_receipt
from fieldkit.core.store import Store
from fieldkit.ui.form_pdf import qr_matrix, write_pdf

FORMS = Path(__file__).resolve().parents[2] / "forms"
VOLUNTEER = "Lò Thị Linh"
CHILD = "Trần Ngọc Bảo Anh"
MOTHER = "Nguyễn Thị Thu Hương"
FATHER = "Trần Văn Đức"
DPI = 200

BIRTH_ANSWERS: dict[str, Any] = {
    "requester_full_name": MOTHER,
    "requester_residence": "Thôn Đông Hải, xã Hải Thịnh, tỉnh Ninh Bình",
    "requester_id_number": "036195012345",
    "requester_relation": "mother",
    "child_full_name": CHILD,
    "child_dob": "2025-02-27",
    "child_gender": "female",
    "child_ethnicity": "Kinh",
    "child_nationality": "Việt Nam",
    "child_birth_place": "Bệnh viện Đa khoa tỉnh Ninh Bình",
    "child_home_town": "Xã Hải Thịnh, tỉnh Ninh Bình",
    "mother_full_name": MOTHER,
    "mother_birth_year": 1995,
    "mother_ethnicity": "Kinh",
    "mother_nationality": "Việt Nam",
    "mother_residence": "Thôn Đông Hải, xã Hải Thịnh, tỉnh Ninh Bình",
    "father_declared": "no",
    # Typed before "Không" was chosen: hidden by relevance, so it must not be printed.
    "father_full_name": FATHER,
    "father_birth_year": 1992,
    "evidence_type": "birth_certificate",
    "birth_certificate_number": "125/GCS-BV",
}


def nfc_text(path: Path) -> list[str]:
    """Each page's text in NFC with runs of white space made one space: Qt places every
    word on its own, and pypdf rebuilds the gaps as tabs or line breaks."""
    reader = PdfReader(path)
    return [" ".join(unicodedata.normalize("NFC", page.extract_text()).split())
            for page in reader.pages]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def first_page_barcodes(path: Path) -> list[zxingcpp.Result]:
    document = pypdfium2.PdfDocument(path)
    page = document[0]
    bitmap = page.render(scale=DPI / 72)
    try:
        image = bitmap.to_numpy().copy()
    finally:
        # Closed child first, by hand: left to the garbage collector at exit, pdfium's
        # objects can be freed after the library itself.
        bitmap.close()
        page.close()
        document.close()
    return zxingcpp.read_barcodes(image)


@pytest.fixture
def printed(qapp, tmp_path: Path, store: Store, make_household: Callable[..., Any]
            ) -> Callable[[FormDefinition, dict[str, Any]], tuple[Path, FormRecord, str]]:
    """Print a record saved in the real store, with a receipt signed by the store's key."""

    def print_record(form: FormDefinition, answers: dict[str, Any]
                     ) -> tuple[Path, FormRecord, str]:
        made = make_household(MOTHER)
        with store.write() as session:
            record = start_record(session, form, made.household_id, made.head_id,
                                  prefilled=answers)
            session.expunge(record)
        receipt = make_receipt(
            form_id=form.id, form_version=form.version, record_id=record.id,
            answers=json.loads(record.answers), device_id=store.device_id,
            private_key=store.signing_key(),
            signed_at=datetime(2025, 3, 14, 9, 30, 5, tzinfo=UTC),
        )
        path = tmp_path / f"{form.id}.pdf"
        write_pdf(path, form, record, receipt, reference_code(record.id), VOLUNTEER)
        return path, record, receipt

    return print_record


def test_pdf_text_holds_the_vietnamese_answers(printed) -> None:
    form = load_form(FORMS / "birth_registration.json")
    path, record, _receipt = printed(form, BIRTH_ANSWERS)
    text = " ".join(nfc_text(path))
    for expected in (CHILD, MOTHER, VOLUNTEER, form.title["vi"], reference_code(record.id),
                     "27/02/2025", "Nữ", "Giấy chứng sinh", "birth_registration", "2026.1"):
        assert nfc(expected) in text, expected
    # Codes are translated, not printed.
    assert "female" not in text
    assert "2025-02-27" not in text


def test_fields_hidden_by_relevance_are_not_printed(printed) -> None:
    form = load_form(FORMS / "birth_registration.json")
    path, _record, _receipt = printed(form, BIRTH_ANSWERS)
    text = " ".join(nfc_text(path))
    assert nfc(FATHER) not in text
    assert "1992" not in text
    assert nfc("Họ, chữ đệm và tên của cha") not in text
    # The answer that hid them is printed.
    assert nfc("Có khai thông tin người cha không? Không") in text


def test_qr_on_page_one_decodes_to_a_receipt_that_verifies(printed) -> None:
    form = load_form(FORMS / "birth_registration.json")
    path, record, receipt = printed(form, BIRTH_ANSWERS)
    barcodes = first_page_barcodes(path)
    assert [b.format for b in barcodes] == [zxingcpp.BarcodeFormat.QRCode]
    scanned = barcodes[0].text
    assert scanned == receipt
    decoded = verify_receipt(scanned)
    assert decoded.answers == BIRTH_ANSWERS
    assert (decoded.form_id, decoded.form_version, decoded.record_id) == (
        form.id, form.version, record.id)
    assert decoded.reference == reference_code(record.id)
    # Big enough to scan from paper: the symbol without its quiet zone, measured on the page.
    corners = barcodes[0].position
    width_mm = (corners.top_right.x - corners.top_left.x) / DPI * 25.4
    modules = len(qr_matrix(receipt)[0])
    assert width_mm >= 45 * (modules - 8) / modules


def test_a_modified_receipt_is_refused(printed) -> None:
    form = load_form(FORMS / "birth_registration.json")
    path, _record, _receipt = printed(form, BIRTH_ANSWERS)
    scanned = first_page_barcodes(path)[0].text
    position = len(scanned) // 2
    changed = "A" if scanned[position] != "A" else "B"
    with pytest.raises(ReceiptError):
        verify_receipt(scanned[:position] + changed + scanned[position + 1:])


def test_receipt_uses_alphanumeric_mode_at_a_scannable_version() -> None:
    receipt = "FK1:" + "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 $%*+-./:" * 31  # ~1,400 characters
    matrix, version = qr_matrix(receipt)
    # Alphanumeric at level M fits 1,399 characters in version 25; bytes would need 30.
    assert version == 25
    assert len(matrix) == version * 4 + 17 + 8


def test_long_record_continues_on_more_pages_with_the_qr_on_the_first(printed) -> None:
    form = load_form(FORMS / "health_insurance_renewal.json")
    members = [{"member_full_name": f"Thành viên Nguyễn Văn Số {number}",
                "member_dob": "1990-01-15", "member_gender": "male"}
               for number in range(1, 16)]
    path, _record, receipt = printed(form, {"head_full_name": MOTHER, "members": members})
    pages = nfc_text(path)
    assert len(pages) > 1
    assert f"Trang 1/{len(pages)}" in pages[0]
    assert nfc("Thành viên Nguyễn Văn Số 15") in pages[-1]
    assert nfc("Thành viên Nguyễn Văn Số 15") not in pages[0]
    assert [b.text for b in first_page_barcodes(path)] == [receipt]


def test_nested_entries_and_labels_naming_answers_print_filled(printed, tmp_path) -> None:
    source = tmp_path / "census.json"
    source.write_text(json.dumps({
        "id": "census", "version": "1", "title": {"vi": "Điều tra hộ"},
        "survey": [
            {"type": "text", "name": "village", "label": {"vi": "Tên bản"}},
            {"type": "begin_repeat", "name": "households", "label": {"vi": "Hộ ở ${village}"}},
            {"type": "text", "name": "head", "label": {"vi": "Chủ hộ"}},
            {"type": "begin_repeat", "name": "members",
             "label": {"vi": "Người trong hộ ${head}"}},
            {"type": "text", "name": "name", "label": {"vi": "Họ tên"}},
            {"type": "integer", "name": "age", "label": {"vi": "Tuổi của ${name}"}},
            {"type": "end_repeat"},
            {"type": "end_repeat"},
        ],
    }, ensure_ascii=False), encoding="utf-8")
    path, _record, _receipt = printed(load_form(source), {"village": "Na Sang", "households": [
        {"head": "Lò Văn Pọm", "members": [{"name": "Lò Thị Ánh", "age": 34},
                                           {"name": "Lò Văn Đạt", "age": 9}]}]})
    text = " ".join(nfc_text(path))
    for expected in ("Hộ ở Na Sang — 1", "Người trong hộ Lò Văn Pọm — 2",
                     "Tuổi của Lò Thị Ánh 34", "Tuổi của Lò Văn Đạt 9"):
        assert nfc(expected) in text, expected
    assert "${" not in text
