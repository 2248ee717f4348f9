"""A completed record's outputs from its window: the PDF saved for printing and the QR shown on
screen. Both carry the same signed receipt, checked by decoding, never by eye."""

from __future__ import annotations

import errno
import json
from pathlib import Path

import pytest
import zxingcpp
from PySide6.QtWidgets import QMessageBox

from fieldkit.core.forms.definition import load_form
from fieldkit.core.forms.records import complete_record, start_record
from fieldkit.core.models import FormRecord
from fieldkit.core.receipts import public_key_of, reference_code, verify_receipt
from fieldkit.ui.form_window import FormWindow
from fieldkit.ui.receipt_dialog import ReceiptDialog

from .images import image_array
from .test_form_pdf import BIRTH_ANSWERS, FORMS, MOTHER, first_page_barcodes, nfc, nfc_text

VOLUNTEER = "Lò Thị Linh"  # the `store` fixture's volunteer


@pytest.fixture
def open_record(qtbot, store, make_household):
    """A birth registration window over a record in the real store, completed or not."""
    form = load_form(FORMS / "birth_registration.json")

    def open_it(*, completed: bool = True) -> FormWindow:
        made = make_household(MOTHER)
        with store.write() as session:
            record = start_record(session, form, made.household_id, made.head_id,
                                  prefilled=BIRTH_ANSWERS)
            record_id = record.id
        if completed:
            with store.write() as session:
                complete_record(session, record_id, form)
        window = FormWindow(store, form, record_id)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return open_it


def test_completed_record_saves_a_pdf_and_shows_the_same_qr(open_record, store, tmp_path):
    window = open_record()
    assert window.pdf_button.isVisible() and window.qr_button.isVisible()
    reference = reference_code(window.record_id)
    assert window.default_pdf_path().name == f"birth_registration-{reference}.pdf"

    path = tmp_path / "to-dien.pdf"
    assert window.save_pdf(path)
    assert path.stat().st_size > 0
    assert window.banner.property("role") == "saved"
    text = " ".join(nfc_text(path))
    for expected in (reference, nfc(VOLUNTEER), nfc(BIRTH_ANSWERS["child_full_name"])):
        assert expected in text, expected

    dialog = window.show_qr()
    assert isinstance(dialog, ReceiptDialog)
    assert dialog.isVisible()
    assert dialog.reference_label.text() == reference
    assert "cán bộ một cửa quét" in dialog.explanation.text()
    on_screen = zxingcpp.read_barcodes(image_array(dialog.image))
    assert [b.format for b in on_screen] == [zxingcpp.BarcodeFormat.QRCode]
    trusted = {store.device_id: public_key_of(store.signing_key())}
    decoded = verify_receipt(on_screen[0].text, trusted)
    assert decoded.record_id == window.record_id
    assert decoded.reference == reference
    assert (decoded.form_id, decoded.form_version) == ("birth_registration",
                                                       window.form.version)
    with store.read() as session:
        record = session.get(FormRecord, window.record_id)
        assert decoded.answers == json.loads(record.answers)

    # The paper and the screen carry the very same receipt.
    on_paper = first_page_barcodes(path)
    assert [b.text for b in on_paper] == [on_screen[0].text]
    assert on_screen[0].text == dialog.receipt


def test_a_failed_write_is_explained_inline(open_record, tmp_path, monkeypatch):
    window = open_record()
    missing = tmp_path / "no-such-folder" / "to-khai.pdf"
    assert not window.save_pdf(missing)
    assert window.banner.isVisible()
    assert window.banner.property("role") == "error"
    assert "Không lưu được tệp PDF" in window.banner.text()
    assert "thư mục không tồn tại" in window.banner.text()

    def disk_full(*_args, **_kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("fieldkit.ui.form_window.write_pdf", disk_full)
    assert not window.save_pdf(tmp_path / "to-khai.pdf")
    assert "ổ đĩa đã đầy" in window.banner.text()


def test_the_save_button_asks_where_then_offers_to_open(open_record, tmp_path, monkeypatch):
    window = open_record()
    chosen = tmp_path / "chon"
    asked: dict[str, str] = {}

    def get_save_file_name(_parent, _title, default, _filter):
        asked["default"] = default
        return str(chosen), "PDF"

    opened: list[str] = []
    monkeypatch.setattr("fieldkit.ui.form_window.QFileDialog.getSaveFileName",
                        get_save_file_name)
    monkeypatch.setattr("fieldkit.ui.form_window.QMessageBox.question",
                        lambda *_a, **_k: QMessageBox.StandardButton.Yes)
    monkeypatch.setattr("fieldkit.ui.form_window.QDesktopServices.openUrl",
                        lambda url: opened.append(url.toLocalFile()) or True)
    window.pdf_button.click()
    assert Path(asked["default"]).name == window.default_pdf_path().name
    assert Path(opened[0]) == chosen.with_suffix(".pdf")
    assert chosen.with_suffix(".pdf").stat().st_size > 0


def test_a_draft_has_no_outputs(open_record):
    window = open_record(completed=False)
    assert window.status == "draft"
    assert not window.pdf_button.isVisible()
    assert not window.qr_button.isVisible()
    assert window.show_qr() is None
    assert window.banner.property("role") == "error"
