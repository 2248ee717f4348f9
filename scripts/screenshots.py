"""Render FieldKit's main screens offscreen with synthetic data, for the README.

    QT_QPA_PLATFORM=offscreen .venv/bin/python scripts/screenshots.py docs/screenshots

The dashboard of the commune server is rendered by headless Chromium (`apt install
chromium`), through scripts/server_screenshot.py.

Everything shown is synthetic (fieldkit.core.synthetic); no real person appears.
"""

import json
import os
import sys
import tempfile
from datetime import date
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QWidget

from fieldkit.core.communes import communes
from fieldkit.core.profile import load_profile, set_up_profile
from fieldkit.core.settings import Settings
from fieldkit.core.store import Store
from fieldkit.core.synthetic import populate
from fieldkit.ui.app import make_app

PASSPHRASE = "screenshots-only"
ROOT = Path(__file__).resolve().parents[1]
SAMPLE_DAY = date(2026, 11, 22)  # the sample answers' dates are relative to this day
COMMUNE = "Xã Mường Phăng"


def save(widget: QWidget, out: Path, name: str) -> None:
    widget.show()
    for _ in range(3):  # wrapped labels settle their height over a couple of layout passes
        QApplication.processEvents()
    widget.grab().save(str(out / f"{name}.png"))
    print(f"wrote {out / name}.png")


def main(out: Path) -> int:
    out.mkdir(parents=True, exist_ok=True)
    settings = Settings()
    make_app(sys.argv[:1], settings)
    from fieldkit.ui.main_window import MainWindow
    from fieldkit.ui.person_dialog import PersonDialog
    from fieldkit.ui.setup_window import SetupWindow
    from fieldkit.ui.unlock_window import UnlockWindow

    commune = next(c for c in communes().values() if c.name == COMMUNE)
    with tempfile.TemporaryDirectory() as tmp:
        data_dir = Path(tmp) / "data"

        setup = SetupWindow(data_dir, lambda: None)
        setup.name.setText("Lò Thị Linh")
        setup.phone.setText("0912 345 678")
        setup.province.setCurrentIndex(setup.province.findData(commune.province_code))
        setup.commune.setCurrentIndex(setup.commune.findData(commune.code))
        setup.resize(640, 560)
        save(setup, out, "setup")
        setup.close()

        store = Store.create(data_dir, PASSPHRASE)
        profile = set_up_profile(store, "Lò Thị Linh", "0912345678", commune.code)
        populate(store, profile, seed=2025, household_count=240, villages=6)
        store.close()

        unlock = UnlockWindow(data_dir, lambda: None)
        unlock.resize(480, 280)
        unlock.unlock_with("sai mat khau")
        save(unlock, out, "unlock")
        unlock.close()

        store = Store.open(data_dir, PASSPHRASE)
        window = MainWindow(store, profile, data_dir, settings)
        window.resize(1366, 768)
        window.village_list.setCurrentRow(1)
        window.search.setText("lo van")
        window.refresh_households()
        window.table.selectRow(0)
        panel = window.detail.visit_panel
        panel.start()
        for code in ("vneid_level1", "scam_awareness"):
            panel.service_checks[code].setChecked(True)
        panel.notes.setPlainText("Bà không có điện thoại thông minh; hẹn con gái về nhà tối nay.")
        save(window, out, "main")
        save_guide(panel, out)

        dialog = PersonDialog(store, profile, household_id=window.detail.household_id,
                              parent=window)
        dialog.resize(680, 760)
        save(dialog, out, "consent")
        dialog.consent_page.confirm.setChecked(True)
        dialog.consent_page.submit()
        form = dialog.person_form
        form.apply_card_line("011190004321||Lò Thị Ngọc Ánh|02091990|Nữ|"
                             "Bản Phiêng Luông, Xã Mường Phăng, Tỉnh Điện Biên|12052022")
        form.phone.setText("0912 34")
        form.saver.commit("phone")
        form.id_number.setText("011188004321")
        form.saver.commit("id_number")
        form.id_number.setFocus(Qt.FocusReason.OtherFocusReason)
        save(dialog, out, "person")
        dialog.close()
        save_forms(store, window.detail.household_id, out)
        window.close()
        store.close()
    save_demo(settings, out)
    # The commune server's dashboard, rendered by the distribution's headless Chromium.
    import server_screenshot

    server_screenshot.main(out / "dashboard.png")
    print(f"wrote {out / 'dashboard.png'}")
    return 0


def save_guide(panel, out: Path) -> None:
    """A step of level-1 registration with a known problem picked and its fix showing."""
    guide_window = panel.open_guides()
    for field in ("has_smartphone", "phone_has_nfc", "phone_in_own_name"):
        box = guide_window.facts[field]
        box.setCurrentIndex(box.findData(True))
        guide_window.save_fact(field)
    guide_window.choose(guide_window.person.currentData(), "register_level1")
    guide_window.start()
    while guide_window.step_view.step.id != "face_photo":
        guide_window.record("done")
    problems = guide_window.step_view.problems
    problems.setCurrentRow(0)
    guide_window.resize(820, 760)
    save(guide_window, out, "guide")
    guide_window.record("problem", problem=problems.currentItem().data(
        Qt.ItemDataRole.UserRole))
    guide_window.close()
    panel.outcome.setCurrentIndex(panel.outcome.findData("revisit"))
    panel.end()
    summary = panel.summary_dialog
    summary.resize(820, 760)
    save(summary, out, "summary")
    summary.close()


def save_demo(settings: Settings, out: Path) -> None:
    """The practice sandbox with its banner, and the tour pointing at the visit panel."""
    from fieldkit.core.demo import open_demo
    from fieldkit.ui.main_window import MainWindow

    with tempfile.TemporaryDirectory() as tmp:
        store = open_demo(Path(tmp), today=SAMPLE_DAY)
        window = MainWindow(store, load_profile(store), Path(tmp), settings)
        window.resize(1366, 768)
        window.table.selectRow(0)
        save(window, out, "demo")
        tour = window.start_tour()
        while tour.steps[tour.current].target(window) is not window.detail.visit_panel:
            tour.next()
        save(window, out, "tour")
        tour.exit()
        window.close()
        store.close()


def save_forms(store: Store, household_id: str, out: Path) -> None:
    """A page of the birth registration being filled, and page one of a printed declaration."""
    from datetime import UTC, datetime

    import pypdfium2

    from fieldkit.core.forms.records import complete_record, save_answer
    from fieldkit.core.receipts import make_receipt, reference_code
    from fieldkit.ui.form_pdf import write_pdf
    from fieldkit.ui.form_picker import FormPicker

    picker = FormPicker(store, household_id)
    form_window = picker.start("birth_registration")
    assert form_window is not None
    record_id = form_window.record_id
    answers = json.loads(
        (ROOT / "tests" / "core" / "form_samples" / "birth_registration.valid.json").read_text(
            encoding="utf-8"))
    with store.write() as session:
        for key, value in answers.items():
            save_answer(session, record_id, key, value)
    form_window.close()
    form_window = picker.open_record(record_id)
    assert form_window is not None
    form_window.go_to_page(1)
    form_window.resize(820, 720)
    save(form_window, out, "form")
    form_window.close()
    with store.write() as session:
        record = complete_record(session, record_id, form_window.form, SAMPLE_DAY)
    signed = datetime(2026, 11, 22, 9, 30, tzinfo=UTC)
    receipt = make_receipt(form_id=record.form_id, form_version=record.form_version,
                           record_id=record.id, answers=json.loads(record.answers),
                           device_id=store.device_id, private_key=store.signing_key(),
                           signed_at=signed)
    pdf = out / "declaration.pdf"
    write_pdf(pdf, form_window.form, record, receipt, reference_code(record.id), "Lò Thị Linh")
    page = pypdfium2.PdfDocument(str(pdf))[0]
    page.render(scale=110 / 72).to_pil().save(out / "pdf.png")
    pdf.unlink()
    print(f"wrote {out / 'form.png'} and {out / 'pdf.png'}")


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/screenshots")))
