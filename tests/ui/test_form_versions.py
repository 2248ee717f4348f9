"""A changed procedure arrives as a new form version; drafts started on the old one still open
and finish on it, and new records take the newest (journey 5)."""

import json
from pathlib import Path

from fieldkit.core.models import FormRecord
from fieldkit.core.paths import forms_dir, synced_definitions
from fieldkit.ui.form_picker import FormPicker, available_forms


def _two_versions(tmp_path: Path) -> Path:
    """CT01 as shipped (2026.1), plus 2026.9 and 2026.10 of it: "10" is newer than "9"."""
    shipped = json.loads((forms_dir() / "residence_ct01.json").read_text(encoding="utf-8"))
    out = tmp_path / "forms"
    out.mkdir()
    for version in ("2026.9", "2026.10"):
        (out / f"residence_ct01@{version}.json").write_text(
            json.dumps({**shipped, "version": version}, ensure_ascii=False), encoding="utf-8")
    return out


def test_new_records_take_the_newest_version_and_old_drafts_keep_theirs(
    qtbot, store, make_household, tmp_path
) -> None:
    made = make_household("Lò Văn Pao")
    forms = available_forms(_two_versions(tmp_path))
    assert sorted(v for _, v in forms) == ["2026.10", "2026.9"]
    picker = FormPicker(store, made.household_id, forms=forms)
    qtbot.addWidget(picker)

    window = picker.start("residence_ct01")
    assert window is not None and window.form.version == "2026.10"
    with store.read() as session:
        assert session.get(FormRecord, window.record_id).form_version == "2026.10"
    window.close()

    older = {k: f for k, f in forms.items() if k[1] == "2026.9"}
    old_picker = FormPicker(store, made.household_id, forms=older)
    qtbot.addWidget(old_picker)
    draft = old_picker.start("residence_ct01")
    assert draft is not None
    draft.close()

    picker.reload()
    reopened = picker.open_record(draft.record_id)
    assert reopened is not None and reopened.form.version == "2026.9"


def test_a_damaged_form_file_does_not_take_the_other_forms_away(
    qtbot, store, make_household, tmp_path, monkeypatch
) -> None:
    made = make_household("Lò Văn Pao")
    folder = tmp_path / "forms"
    folder.mkdir()
    shipped = (forms_dir() / "residence_ct01.json").read_text(encoding="utf-8")
    (folder / "residence_ct01.json").write_text(shipped, encoding="utf-8")
    (folder / "death_registration.json").write_text('{"id": "death_registration", ',
                                                    encoding="utf-8")
    monkeypatch.setattr("fieldkit.ui.form_picker.forms_dir", lambda: folder)

    picker = FormPicker(store, made.household_id)
    qtbot.addWidget(picker)
    picker.show()

    assert picker.form_choice.count() == 1
    assert picker.error.isVisible()
    assert "death_registration.json" in picker.error.text()
    window = picker.start("residence_ct01")
    assert window is not None


def test_a_version_published_by_the_commune_is_offered_once_synced(
    qtbot, store, make_household
) -> None:
    """Sync writes published definitions into the profile's `definitions/forms/`; the picker
    offers the newest of them beside the shipped forms."""
    made = make_household("Lò Văn Pao")
    synced = synced_definitions(store.data_dir, "forms")
    shipped = json.loads((forms_dir() / "residence_ct01.json").read_text(encoding="utf-8"))
    synced.mkdir(parents=True)
    (synced / "residence_ct01@2026.12.json").write_text(
        json.dumps({**shipped, "version": "2026.12"}, ensure_ascii=False), encoding="utf-8")

    picker = FormPicker(store, made.household_id)
    qtbot.addWidget(picker)
    assert ("residence_ct01", "2026.12") in picker.forms
    assert any(form_id == "birth_registration" for form_id, _ in picker.forms)  # shipped
    window = picker.start("residence_ct01")
    assert window is not None and window.form.version == "2026.12"
    window.close()
