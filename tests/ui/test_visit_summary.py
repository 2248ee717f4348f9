"""The end-of-visit summary dialog: what the family reads on screen, and the A4 PDF they take
home, read back with pypdf (text in NFC, page size, embedded fonts), never by eye."""

import unicodedata
from datetime import date
from pathlib import Path

import pytest
from pypdf import PdfReader
from PySide6.QtPrintSupport import QPrinter

from fieldkit.core.consent import withdraw_consent
from fieldkit.core.forms.definition import load_form
from fieldkit.core.forms.records import start_record
from fieldkit.core.guide_runs import finish_run, record_outcome, start_run
from fieldkit.core.guides import GuideFacts, load_guide
from fieldkit.core.households import members
from fieldkit.core.people import update_person
from fieldkit.core.visits import end_visit, set_services, start_visit
from fieldkit.ui.visit_summary_dialog import VisitSummaryDialog
from tests.conftest import VOLUNTEER_NAME

ROOT = Path(__file__).resolve().parents[2]
GRANDMOTHER = "Lò Thị Xuân"
SON = "Lò Văn Minh"
WITHDRAWN = "Lò Văn Tú"
NO_NFC = GuideFacts(has_smartphone=True, phone_has_nfc=False, age=68, number_in_own_name=True)
NO_SMARTPHONE = GuideFacts(has_smartphone=False, age=46)
A4_POINTS = (595, 842)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def pdf_text(path: Path) -> str:
    """All pages in NFC, white space collapsed: Qt places words one by one and pypdf
    rebuilds the gaps as tabs or line breaks."""
    reader = PdfReader(path)
    return " ".join(" ".join(nfc(page.extract_text()).split()) for page in reader.pages)


@pytest.fixture
def visit_id(store, profile, make_household) -> str:
    made = make_household(GRANDMOTHER, date_of_birth=date(1958, 2, 3), gender="female",
                          address="Số 3, Bản Phiêng Luông", members=(SON, WITHDRAWN))
    with store.read() as session:
        ids = {p.full_name: p.id for p in members(session, made.household_id)}
    with store.write() as session:
        update_person(session, ids[SON], "has_smartphone", False)
    level1 = load_guide(ROOT / "resources" / "guides" / "register_level1.json")
    with store.write() as session:
        visit = start_visit(session, made.household_id, profile.volunteer_id).id
        set_services(session, visit, ["vneid_level1", "residence"])

    def walk(run_id: str, facts: GuideFacts, until: str | None) -> None:
        step: str | None = level1.first_step
        while step != until:
            assert step is not None
            with store.write() as session:
                step = record_outcome(session, run_id, level1, step, "done", facts)

    with store.write() as session:
        run = start_run(session, level1, visit, ids[GRANDMOTHER]).id
    walk(run, NO_NFC, "face_photo")
    with store.write() as session:
        record_outcome(session, run, level1, "face_photo", "problem", NO_NFC,
                       problem_id="face_capture_fails")
    walk_from = "face_photo"
    while walk_from is not None:
        with store.write() as session:
            walk_from = record_outcome(session, run, level1, walk_from, "done", NO_NFC)
    with store.write() as session:
        finish_run(session, run, "level1")
        son_run = start_run(session, level1, visit, ids[SON]).id
    walk(son_run, NO_SMARTPHONE, None)
    with store.write() as session:
        finish_run(session, son_run, None)
        withdrawn_run = start_run(session, level1, visit, ids[WITHDRAWN]).id
        record_outcome(session, withdrawn_run, level1, "who_for", "skipped", NO_NFC,
                       reason="Để lần sau")
        start_record(session, load_form(ROOT / "forms" / "residence_ct01.json"),
                     made.household_id, ids[GRANDMOTHER])
        withdraw_consent(session, ids[WITHDRAWN])
        end_visit(session, visit, "partly")
    return visit


@pytest.fixture
def dialog(qtbot, store, visit_id) -> VisitSummaryDialog:
    shown = VisitSummaryDialog(store, visit_id)
    qtbot.addWidget(shown)
    shown.show()
    qtbot.waitExposed(shown)
    return shown


def test_the_dialog_shows_each_person_and_what_remains(dialog) -> None:
    text = dialog.browser.toPlainText()
    assert "Tóm tắt buổi hỗ trợ" in text
    assert text.index(GRANDMOTHER) < text.index(SON)
    assert VOLUNTEER_NAME in text and "Hoàn thành một phần" in text
    assert "Khai báo cư trú (CT01)" in text
    # The grandmother: her problem, its fix, then activation of the account.
    assert "Gặp vấn đề ở bước “Chụp ảnh chân dung”" in text
    assert "đã khắc phục" in text and "Tháo kính và khẩu trang" in text
    assert "kích hoạt tài khoản trong ứng dụng VNeID" in text
    # The son without a smartphone is sent to the commune police; the draft form waits.
    assert "Công an xã; mang theo thẻ căn cước gắn chip" in text
    assert "Hoàn thành tờ khai “Tờ khai thay đổi thông tin cư trú (Mẫu CT01)”" in text
    # The member who withdrew is there, without any personal data.
    assert "Một thành viên đã rút lại đồng ý" in text
    assert WITHDRAWN not in text and "Để lần sau" not in text
    assert "Làm tiếp hướng dẫn" not in text
    # The address already names the village: it is not said twice.
    assert text.count("Bản Phiêng Luông") == 1
    assert dialog.width() >= 640 and dialog.height() >= 560


def test_buttons_print_save_and_close(qtbot, dialog) -> None:
    assert [b.text() for b in (dialog.print_button, dialog.pdf_button, dialog.close_button)] == [
        "In…", "Lưu PDF…", "Đóng"]
    dialog.close_button.click()
    assert not dialog.isVisible()


def test_save_pdf_writes_a4_vietnamese_text_in_embedded_fonts(dialog, tmp_path) -> None:
    path = tmp_path / "tom-tat.pdf"
    assert dialog.save_pdf(path)
    text = pdf_text(path)
    for expected in ("Tóm tắt buổi hỗ trợ", GRANDMOTHER, SON, VOLUNTEER_NAME,
                     "kích hoạt tài khoản trong ứng dụng VNeID",
                     "Công an xã; mang theo thẻ căn cước gắn chip",
                     "Ở đâu: Cùng tình nguyện viên, ở lần hỗ trợ sau"):
        assert nfc(expected) in text, expected
    assert WITHDRAWN not in text
    reader = PdfReader(path)
    assert reader.metadata.title == f"Tóm tắt buổi hỗ trợ — {GRANDMOTHER}"
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_POINTS
    fonts = [font.get_object() for page in reader.pages
             for font in page["/Resources"]["/Font"].values()]
    assert fonts
    for font in fonts:
        descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font \
            else font
        descriptor = descendant["/FontDescriptor"].get_object()
        assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), \
            font["/BaseFont"]
    assert "Đã lưu PDF" in dialog.message.text()


def test_printing_sends_the_same_document_to_the_printer(dialog, tmp_path) -> None:
    path = tmp_path / "printed.pdf"
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    dialog.print_to(printer)
    del printer
    text = pdf_text(path)
    assert nfc(GRANDMOTHER) in text and nfc("Việc còn lại") in text


def test_a_pdf_that_cannot_be_written_is_explained(dialog, tmp_path) -> None:
    assert not dialog.save_pdf(tmp_path / "no-such-folder" / "tom-tat.pdf")
    assert dialog.message.isVisible()
    assert "Không lưu được tệp PDF" in dialog.message.text()


def test_choosing_a_file_name_adds_the_pdf_extension(dialog, tmp_path, monkeypatch) -> None:
    chosen = tmp_path / "cho-gia-dinh"
    monkeypatch.setattr("fieldkit.ui.visit_summary_dialog.QFileDialog.getSaveFileName",
                        lambda *args: (str(chosen), "PDF"))
    assert dialog.default_pdf_path().name.startswith("tom-tat-lo-thi-xuan-")
    dialog.choose_pdf_path()
    assert nfc(GRANDMOTHER) in pdf_text(chosen.with_suffix(".pdf"))


def test_english_content_follows_the_language(qtbot, store, visit_id) -> None:
    shown = VisitSummaryDialog(store, visit_id, language="en")
    qtbot.addWidget(shown)
    text = shown.browser.toPlainText()
    assert "Register a level-1 VNeID account" in text
    assert "activate the account in the VNeID app" in text
    assert "The commune police; bring the chip ID card" in text
