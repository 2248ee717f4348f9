"""Procedure forms: opening the largest form, and validating 1,000 filled records.

Opening: the real `FormWindow` for the form with the most fields, on a real record, built,
shown and painted once, against a hand-built window of the same size (one QLabel and one
QLineEdit per field in a QFormLayout), the least any screen of that form could cost.

Validating: `check_answers`, the one validator the laptop and the server share, over 1,000
filled records of the same form, against only reading those records from their JSON text,
the least any validation must do.
"""

import json
import time
from datetime import date
from pathlib import Path

from measurement import Measurement, median

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT / "tests" / "core" / "form_samples"
RECORDS = 1_000
TODAY = date(2026, 11, 22)  # the samples' dates are relative to this day
OPEN_TARGET_S = 1.0
VALIDATE_TARGET_S = 1.0


def measure(runs: int) -> list[Measurement]:
    from fieldkit.core.forms.definition import load_forms
    from fieldkit.core.paths import forms_dir

    forms = load_forms(forms_dir())
    largest = max(forms, key=lambda form: sum(1 for _ in form.fields()))
    fields = sum(1 for _ in largest.fields())
    opened, bare = _open_times(largest, runs)
    checked, parsed = _validation_times(largest, runs)
    return [
        Measurement(f"open + paint largest form ({largest.id}, {fields} fields), median",
                    opened, bare, "s", f"< {OPEN_TARGET_S:.0f} s", opened < OPEN_TARGET_S),
        Measurement(f"validate {RECORDS:,} filled records ({largest.id}), median",
                    checked, parsed, "s", f"< {VALIDATE_TARGET_S:.0f} s",
                    checked < VALIDATE_TARGET_S),
    ]


def _validation_times(form, runs: int) -> tuple[float, float]:
    from fieldkit.core.forms.answers import check_answers

    sample = json.loads((SAMPLES / f"{form.id}.valid.json").read_text(encoding="utf-8"))
    texts = [json.dumps(_varied(sample, n), ensure_ascii=False) for n in range(RECORDS)]
    for text in texts[:3]:  # the samples must stay valid, or this measures error paths
        assert check_answers(form, json.loads(text), TODAY) == [], "sample no longer valid"
    checked, parsed = [], []
    for _ in range(runs):
        started = time.perf_counter()
        for text in texts:
            check_answers(form, json.loads(text), TODAY)
        checked.append(time.perf_counter() - started)
        started = time.perf_counter()
        for text in texts:
            json.loads(text)
        parsed.append(time.perf_counter() - started)
    return median(checked), median(parsed)


def _varied(sample: dict, n: int) -> dict:
    """Each record a little different (names), so no cache can serve them all alike."""
    record = dict(sample)
    for key, value in sample.items():
        if key.endswith("full_name") and isinstance(value, str):
            record[key] = f"{value} {n}"
    return record


def _open_times(form, runs: int) -> tuple[float, float]:
    import tempfile

    from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QWidget

    from fieldkit.core.communes import communes_of, provinces
    from fieldkit.core.consent import ConsentInput
    from fieldkit.core.forms.prefill import prefill_answers
    from fieldkit.core.forms.records import start_record
    from fieldkit.core.households import add_village
    from fieldkit.core.people import create_household, update_person
    from fieldkit.core.profile import set_up_profile
    from fieldkit.core.settings import Settings
    from fieldkit.core.store import Store
    from fieldkit.ui.app import make_app
    from fieldkit.ui.form_window import FormWindow

    app = make_app(["bench"], Settings())
    fields = sum(1 for _ in form.fields())
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.create(Path(tmp) / "data", "benchmark-forms")
        try:
            profile = set_up_profile(store, "Lò Thị Linh", "",
                                     communes_of(provinces()[0][0])[0].code)
            with store.write() as session:
                village = add_village(session, profile.commune_id, "Bản Phiêng Luông", "ban")
                household, head = create_household(session, village.id, profile.volunteer_id,
                                                   ConsentInput("self"))
                update_person(session, head.id, "full_name", "Lò Văn Pao")
                prefilled = prefill_answers(session, form, household.id, head.id)
                record = start_record(session, form, household.id, head.id, prefilled)

            def open_form() -> None:
                window = FormWindow(store, form, record.id)
                window.show()
                window.grab()
                window.close()
                window.deleteLater()

            def open_bare() -> None:
                window = QWidget()
                layout = QFormLayout(window)
                for n in range(fields):
                    layout.addRow(QLabel(f"Trường {n}"), QLineEdit())
                window.show()
                window.grab()
                window.close()
                window.deleteLater()

            opened, bare = [], []
            for _ in range(runs):
                for run, into in ((open_form, opened), (open_bare, bare)):
                    started = time.perf_counter()
                    run()
                    into.append(time.perf_counter() - started)
                    app.processEvents()
        finally:
            store.close()
    return median(opened), median(bare)
