"""The forms shipped in `forms/` load, speak both languages, and check real answers right.

For every form a realistic filled record (tests/core/form_samples/<id>.valid.json) must check
clean, and a wrongly filled one (<id>.invalid.json) must give exactly the problems it lists:
each expected field path once, with a message containing the expected words, and nothing else
(in particular nothing for a field hidden by `relevant`). Dates are relative to a fixed day.
"""

from __future__ import annotations

import json
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fieldkit.core.cccd import validate_id_number
from fieldkit.core.forms.answers import check_answers
from fieldkit.core.forms.definition import FormDefinition, load_form, load_forms
from fieldkit.core.phone import validate_phone

ROOT = Path(__file__).resolve().parents[2]
FORMS_DIR = ROOT / "forms"
SAMPLES = Path(__file__).resolve().parent / "form_samples"
TODAY = date(2026, 11, 22)
FORM_IDS = [
    "birth_registration",
    "death_registration",
    "health_insurance_renewal",
    "marriage_registration",
    "residence_ct01",
    "under6_combined",
]
_TEXT_KEYS = ("label", "hint", "constraint_message", "required_message")


def form(form_id: str) -> FormDefinition:
    return load_form(FORMS_DIR / f"{form_id}.json")


def sample(form_id: str, kind: str) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (SAMPLES / f"{form_id}.{kind}.json").read_text(encoding="utf-8"))
    return data


def problems_by_path(form_id: str, answers: dict[str, Any]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for problem in check_answers(form(form_id), answers, TODAY):
        found.setdefault(problem.field, []).append(problem.message)
    return found


def raw_texts(form_id: str) -> list[tuple[str, Any]]:
    """Every translatable text of a form file, with where it stands."""
    data = json.loads((FORMS_DIR / f"{form_id}.json").read_text(encoding="utf-8"))
    texts: list[tuple[str, Any]] = [("title", data["title"])]
    for number, row in enumerate(data["survey"], start=1):
        for key in _TEXT_KEYS:
            if key in row:
                texts.append((f"row {number} ({row.get('name')}) {key}", row[key]))
    for list_name, items in data.get("choices", {}).items():
        for item in items:
            texts.append((f"choice {list_name}.{item['name']} label", item["label"]))
    return texts


# -- loading ---------------------------------------------------------------------------------

def test_every_shipped_form_loads_with_a_unique_id() -> None:
    forms = load_forms(FORMS_DIR)
    assert sorted(f.id for f in forms) == FORM_IDS
    for definition in forms:
        assert definition.path is not None
        assert definition.path.name == f"{definition.id}.json"
        assert definition.version
        assert definition.pages, f"{definition.id} has no page"


def test_every_form_has_a_sample_pair() -> None:
    names = {p.name for p in SAMPLES.glob("*.json")}
    expected = {f"{i}.{kind}.json" for i in FORM_IDS for kind in ("valid", "invalid")}
    assert names == expected


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_every_text_has_vietnamese_and_english(form_id: str) -> None:
    missing = [where for where, texts in raw_texts(form_id)
               if not (isinstance(texts, dict) and str(texts.get("vi", "")).strip()
                       and str(texts.get("en", "")).strip())]
    assert missing == []


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_texts_are_nfc_normalised(form_id: str) -> None:
    # A decomposed "ế" looks the same on screen but breaks search and the PDF's text.
    wrong = [(where, language) for where, texts in raw_texts(form_id)
             for language, text in texts.items()
             if unicodedata.normalize("NFC", text) != text]
    assert wrong == []


# -- the samples -----------------------------------------------------------------------------

@pytest.mark.parametrize("form_id", FORM_IDS)
def test_valid_sample_checks_clean(form_id: str) -> None:
    assert check_answers(form(form_id), sample(form_id, "valid"), TODAY) == []


@pytest.mark.parametrize("form_id", FORM_IDS)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_valid_sample_checks_clean_in_either_language(form_id: str, language: str) -> None:
    assert check_answers(form(form_id), sample(form_id, "valid"), TODAY, language) == []


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_invalid_sample_gives_exactly_the_expected_problems(form_id: str) -> None:
    data = sample(form_id, "invalid")
    found = problems_by_path(form_id, data["answers"])
    assert sorted(found) == sorted(data["expected"])
    for path, words in data["expected"].items():
        assert len(found[path]) == 1, (path, found[path])
        assert words in found[path][0], (path, found[path][0])


@pytest.mark.parametrize("form_id", FORM_IDS)
def test_invalid_sample_breaks_several_kinds_of_rule(form_id: str) -> None:
    """Guards the samples themselves: each exercises required, constraint or domain checks,
    and a wrongly typed or wrongly chosen value, not one rule many times."""
    expected = sample(form_id, "invalid")["expected"].values()
    assert any("Bắt buộc nhập" in words for words in expected)
    assert len(set(expected)) >= 4


def test_valid_samples_use_real_ids_and_phones() -> None:
    """The ID numbers agree with the date of birth and gender written beside them."""
    people = [
        ("birth_registration", "requester_id_number", None, None),
        ("death_registration", "deceased_id_number", "deceased_dob", "deceased_gender"),
        ("health_insurance_renewal", "head_id_number", "head_dob", "head_gender"),
        ("marriage_registration", "bride_id_number", "bride_dob", "female"),
        ("marriage_registration", "groom_id_number", "groom_dob", "male"),
        ("residence_ct01", "id_number", "date_of_birth", "gender"),
        ("under6_combined", "requester_id_number", None, "female"),
    ]
    for form_id, id_key, dob_key, gender in people:
        answers = sample(form_id, "valid")
        dob = date.fromisoformat(answers[dob_key]) if dob_key else None
        gender = answers.get(gender, gender) if gender else None
        assert validate_id_number(answers[id_key], dob, gender) == [], (form_id, id_key)
    for form_id in ("health_insurance_renewal", "residence_ct01"):
        for entry in sample(form_id, "valid")["members"]:
            if entry["member_id_number"]:
                assert validate_id_number(entry["member_id_number"],
                                          date.fromisoformat(entry["member_dob"]),
                                          entry["member_gender"]) == []
    assert validate_phone(sample("residence_ct01", "valid")["phone"]) == []
    assert validate_phone(sample("under6_combined", "valid")["requester_phone"]) == []


@pytest.mark.parametrize("form_id", ["health_insurance_renewal", "residence_ct01"])
def test_repeat_samples_have_several_entries(form_id: str) -> None:
    assert 2 <= len(sample(form_id, "valid")["members"]) <= 3
    assert any(path.startswith("members[") for path in sample(form_id, "invalid")["expected"])


# -- relevance -------------------------------------------------------------------------------

@pytest.mark.parametrize(("form_id", "changes", "hidden"), [
    # Father not declared: his required fields, even a mistyped year, are not asked.
    ("birth_registration", {"father_declared": "no", "father_full_name": "",
                            "father_birth_year": "không rõ"},
     ["father_full_name", "father_birth_year"]),
    ("under6_combined", {"father_declared": "no", "father_full_name": "",
                         "father_residence": ""}, ["father_full_name"]),
    # Not a witness birth: no witness name needed.
    ("under6_combined", {"evidence_type": "commitment", "witness_full_name": ""},
     ["witness_full_name"]),
    # No hour of death: the minute is not asked, whatever it holds.
    ("death_registration", {"death_hour": "", "death_minute": "75"}, ["death_minute"]),
    ("death_registration", {"requester_relation": "child", "requester_relation_other": ""},
     ["requester_relation_other"]),
])
def test_hidden_fields_are_not_reported(form_id: str, changes: dict[str, Any],
                                        hidden: list[str]) -> None:
    # Each hidden field is required or constrained when shown: only relevance keeps it quiet.
    fields = {f.name: f for f in form(form_id).fields()}
    assert all(fields[name].relevant is not None
               and (fields[name].required is True or fields[name].constraint is not None)
               for name in hidden)
    answers = {**sample(form_id, "valid"), **changes}
    assert problems_by_path(form_id, answers) == {}


@pytest.mark.parametrize(("form_id", "changes", "path", "words"), [
    ("birth_registration", {"requester_relation": "other", "requester_relation_other": ""},
     "requester_relation_other", "Bắt buộc nhập"),
    ("birth_registration", {"evidence_type": "witness"}, "witness_full_name",
     "Bắt buộc nhập"),
    ("under6_combined", {"father_full_name": ""}, "father_full_name", "Bắt buộc nhập"),
    ("death_registration", {"requester_relation": "other"}, "requester_relation_other",
     "Bắt buộc nhập"),
    ("death_registration", {"death_minute": 75}, "death_minute", "Nhập phút từ 0 đến 59"),
])
def test_shown_fields_are_reported(form_id: str, changes: dict[str, Any], path: str,
                                   words: str) -> None:
    found = problems_by_path(form_id, {**sample(form_id, "valid"), **changes})
    assert list(found) == [path]
    assert words in found[path][0]


# -- age limits on the day -------------------------------------------------------------------

@pytest.mark.parametrize(("form_id", "key", "born", "refused"), [
    ("marriage_registration", "bride_dob", "2008-11-22", False),  # 18 today
    ("marriage_registration", "bride_dob", "2008-11-23", True),  # 18 tomorrow
    ("marriage_registration", "groom_dob", "2006-11-22", False),  # 20 today
    ("marriage_registration", "groom_dob", "2006-11-21", False),
    ("under6_combined", "child_dob", "2020-11-23", False),  # 6 tomorrow
    ("under6_combined", "child_dob", "2020-11-21", True),
    ("under6_combined", "child_dob", "2026-11-23", True),  # not born yet
    ("marriage_registration", "groom_dob", "2006-11-23", True),  # 20 tomorrow
    ("under6_combined", "child_dob", "2020-11-22", True),  # 6 today
])
def test_age_limits(form_id: str, key: str, born: str, refused: bool) -> None:
    # Only the date's own check matters here: the sample's ID number was issued for the
    # sample's date of birth, so its year digits may now disagree.
    found = problems_by_path(form_id, {**sample(form_id, "valid"), key: born})
    assert (key in found) == refused


# -- ID numbers against birth dates, communes against provinces, choices -----------------------


@pytest.mark.parametrize(("form_id", "changes", "path"), [
    # Declarant born 1994 (female): digits 5-6 say 1985.
    ("residence_ct01", {"id_number": "014185006789"}, "id_number"),
    # Head born 1968: digits 5-6 say 1985.
    ("health_insurance_renewal", {"head_id_number": "019085003214"}, "head_id_number"),
    # Deceased born 1948 (male): ID says a woman born in 2048.
    ("death_registration", {"deceased_id_number": "036348001357"}, "deceased_id_number"),
    # Bride born 1999: digits 5-6 say 1985.
    ("marriage_registration", {"bride_id_number": "040185001234"}, "bride_id_number"),
    # Bride's ID has a man's 4th digit.
    ("marriage_registration", {"bride_id_number": "040099001234"}, "bride_id_number"),
])
def test_id_number_contradicting_birth_is_refused(form_id: str, changes: dict[str, Any],
                                                  path: str) -> None:
    found = problems_by_path(form_id, {**sample(form_id, "valid"), **changes})
    assert list(found) == [path]


def test_id_number_contradicting_birth_in_a_repeat_is_refused() -> None:
    answers = sample("residence_ct01", "valid")
    answers["members"][0]["member_id_number"] = "014210003456"  # born 2016, digits say 2010
    found = problems_by_path("residence_ct01", answers)
    assert list(found) == ["members[0].member_id_number"]


@pytest.mark.parametrize(("form_id", "path"), [
    ("marriage_registration", "registration_commune"),  # Nghệ An chosen, commune in Hà Nội
    ("under6_combined", "residence_commune"),  # Hà Nội chosen, commune in Nghệ An
])
def test_commune_of_another_province_is_refused(form_id: str, path: str) -> None:
    other = {"marriage_registration": "70", "under6_combined": "17179"}[form_id]
    found = problems_by_path(form_id, {**sample(form_id, "valid"), path: other})
    assert list(found) == [path]


def test_wrong_type_for_a_choice_says_to_choose() -> None:
    answers = {**sample("under6_combined", "valid"), "card_delivery": ["post"]}
    found = problems_by_path("under6_combined", answers)
    assert list(found) == ["card_delivery"]
    assert "chọn" in found["card_delivery"][0]
