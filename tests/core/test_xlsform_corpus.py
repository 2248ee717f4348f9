"""Workbooks written by other people (pyxform's examples, Kobo's onadata and formpack
fixtures, ODK Central's), run through the import.

Each file either imports (and its definition loads and fills like the shipped forms) or is
refused with every unsupported feature named; the tables say which, file by file, so a change
that stops a real form importing, or lets a refused feature through unnamed, fails here.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from fieldkit.core.forms.answers import check_answers
from fieldkit.core.forms.definition import load_form
from fieldkit.core.forms.xlsform import FormImportError, import_workbook, read_form

DATA = Path(__file__).parents[1] / "data" / "xlsforms"
CORPUS = DATA / "pyxform"

# File -> None when it imports, else words the refusal must contain (English text).
PYXFORM: dict[str, list[str] | None] = {
    "allow_comment_rows_test.xls": None,
    "attribute_columns_test.xlsx": None,
    "bad_calc.xlsx": ["unterminated string"],
    "bug_ODKValidateWarnings.xlsx": None,
    "bug_UCL_Biomass_Plot_Form.xlsx": ["exponential time", "choices from a file"],
    "bug_bad_calc.xlsx": ["unterminated string"],
    "bug_badly_named_choices_sheet.xls": None,
    "bug_blank_second_row.xls": None,
    "bug_calculate_without_calculation.xls": ["needs a 'calculation'"],
    "bug_duplicate_columns.xlsx": ["columns 'label' and 'label' both give label"],
    "bug_excel_with_macros.xlsm": None,
    "bug_extra_columns.xls": None,
    "bug_group_name_test.xls": ["'begin_group' row has no 'name'"],
    "bug_ict_survey_fails.xls": None,
    "bug_spaces_in_choices_header.xls": None,
    "bug_xl_date_ambiguous.xlsx": ["choice_filter \"label::English != ''\" cannot be used"],
    "bug_xl_date_ambiguous_v1.xlsx": None,
    "calculate.xls": None,
    "cascading_select_test_equivalent.xls": None,
    "case_insensitivity.xls": None,
    "case_insensitivity.xlsx": None,
    "choice_filter_test.xlsx": None,
    "choice_name_as_type.xls": None,
    "choice_name_same_as_select_name.xls": None,
    "default_time_demo.xls": None,
    "extra_columns.xlsx": None,
    "extra_sheet_names.xlsx": None,
    "field-list.xlsx": None,
    "flat_xlsform_test.xlsx": None,
    "gps.xls": None,
    "group.xls": None,
    "group.xlsx": None,
    "hidden.xls": None,
    "include.xls": ["including another form"],
    "include.xlsx": ["including another form"],
    "include_json.xls": ["including another form"],
    "include_json.xlsx": ["including another form"],
    "loop.xls": None,
    "loop.xlsx": None,
    "or_other.xlsx": ["choice_filter refers to 'yes'"],
    "pull_data.xlsx": ["unknown function 'pulldata'"],
    "repeat_date_test.xls": None,
    "simple_loop.xls": None,
    "sms_info.xls": None,
    "specify_other.xls": None,
    "specify_other.xlsx": None,
    "style_settings.xls": None,
    "survey_no_name.xlsx": None,
    "table-list.xls": None,
    "text_and_integer.xls": None,
    "text_and_integer.xlsx": None,
    "tutorial.xls": None,
    "unknown_question_type.xls": ["question type 'unknown' is not supported"],
    "widgets.xls": None,
    "xlsform_spec_test.xlsx": None,
    "xml_escaping.xls": None,
    "yes_or_no_question.xls": None,
    "yes_or_no_question.xlsx": None,
}


# Kobo's onadata test fixtures (also in kpi), named after the folder they came from.
ONADATA: dict[str, list[str] | None] = {
    "api-forms-tutorial.xls": None,
    "libs-data-tutorial.xls": None,
    "libs-tutorial.xls": None,
    "logger-childrens_survey.xls": ["missing 'label'"],
    "logger-childrens_survey_unicode.xls": None,
    "logger-childrens_survey_with_a_very_long_name.xls": None,
    "logger-fixtures-new_repeats.xls": None,
    "logger-fixtures-test_forms-survey_names.xls": None,
    "logger-fixtures-test_forms-tutorial.xls": None,
    "logger-fixtures-tutorial.xls": None,
    "logger-fixtures-tutorial-tutorial_arabic_labels.xls": None,
    "logger-ziggy-cc_monthly_report_form.xls": None,
    "logger-ziggy-village_profile.xls": None,
    "main-bug_fixes-Enumerator_Training_Practice_Survey.xls": None,
    "main-bug_fixes-MCH_v1.xls": None,
    "main-bug_fixes-battery_life.xls": None,
    "main-bug_fixes-enumerator_weekly.xls": ["columns 'label' and 'label' both give label"],
    "main-bug_fixes-new_cascading_select.xls": ["duplicate choice 'king' in list 'counties'"],
    "main-cascading_selects-new_cascading_select.xls": [
        "duplicate choice 'king' in list 'counties'"],
    "main-csv_export-double_repeat.xls": None,
    "main-csv_export-tutorial.xls": None,
    "main-csv_export-tutorial_w_repeats.xls": None,
    "main-exp.xlsx": None,
    "main-exp_line_break.xlsx": None,
    "main-form_with_unicode_in_relevant_column.xlsx": None,
    "main-good_eats_multilang.xls": None,
    "main-gps.xls": None,
    "main-group_names_must_be_unique.xls": None,
    "main-sample_accent.xlsx": None,
    "main-transportation.xls": None,
    "main-transportation-mongo-transportation_with_dirty_mongo_ids.xls": None,
    "main-transportation-transportation.bad_id.xls": ["'begin_group' row has no 'name'"],
    "main-transportation-transportation.id_starts_with_num.xls": None,
    "main-transportation-transportation.no_choices.xls": [
        "the loop goes over list 'transport_types', which is not on the choices sheet"],
    "main-transportation-transportation_encrypted.xls": None,
    "main-transportation-transportation_export.xls": ["no 'type' column"],
    "main-transportation-transportation_updated.xls": None,
    "main-transportation-transportation_with_long_id_string.xls": None,
    "main-transportation-transportation_with_long_id_string_updated.xls": None,
    "main-userone-userone_with_dot_name_fields.xls": None,
    "restservice-dhisform.xls": None,
    "sms_support-sms_tutorial.xls": None,
    "viewer-grouped_gps.xls": None,
    "viewer-groups_in_repeats.xls": None,
    "viewer-household.xls": None,
    "viewer-name_survey.xls": None,
    "viewer-nested_repeats.xls": None,
    "viewer-new_repeats.xls": None,
    "viewer-repeat_child_name_matches_repeat.xls": None,
    "viewer-test_data_types.xls": None,
    "viewer-xlsx_output.xls": None,
}
FORMPACK: dict[str, list[str] | None] = {
    "library-locking-example.xls": None,
    "library-locking-example.xlsx": None,
}
ODK_CENTRAL: dict[str, list[str] | None] = {
    "simple.xlsx": None,
    "empty.xlsx": ["the file is empty (0 bytes)"],
}
CORPORA = {"pyxform": PYXFORM, "onadata": ONADATA, "formpack": FORMPACK,
           "odk-central": ODK_CENTRAL}
CASES = [(corpus, name, outcome) for corpus, table in CORPORA.items()
         for name, outcome in sorted(table.items())]


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_the_table_covers_every_workbook_of_the_corpus(corpus: str):
    assert sorted(CORPORA[corpus]) == sorted(p.name for p in (DATA / corpus).glob("*.xls*"))


def test_four_in_five_real_world_workbooks_import():
    """The import's reach on forms nobody here wrote: the figure forms/README.md quotes."""
    outcomes = [outcome for _, _, outcome in CASES]
    imported = sum(1 for outcome in outcomes if outcome is None)
    assert (imported, len(outcomes)) == (91, 113)
    assert imported / len(outcomes) >= 0.8


@pytest.mark.parametrize(("corpus", "name"),
                         [(c, n) for c, n, outcome in CASES if outcome is None])
def test_a_workbook_imports_and_fills(corpus: str, name: str, tmp_path: Path):
    """Written where `fieldkit forms check` looks, loaded back, and an empty record checked
    without a crash: the volunteer could open it."""
    imported = import_workbook(DATA / corpus / name, tmp_path)
    form = load_form(imported.path)
    assert list(form.fields()), name
    check_answers(form, {}, date(2026, 12, 5))
    for warning in imported.warnings:
        assert warning.vi and warning.en and warning.vi != warning.en


@pytest.mark.parametrize(("corpus", "name", "expected"),
                         [case for case in CASES if case[2] is not None])
def test_a_workbook_is_refused_naming_each_unsupported_feature(
        corpus: str, name: str, expected: list[str], tmp_path: Path):
    with pytest.raises(FormImportError) as caught:
        import_workbook(DATA / corpus / name, tmp_path)
    problems = caught.value.problems
    for words in expected:
        assert any(words in problem.en for problem in problems), (words, problems)
    for problem in problems:
        assert problem.vi and problem.en and problem.vi != problem.en
    assert not list(tmp_path.iterdir()), "a refused import writes nothing"


def test_old_pyxform_spellings_keep_their_meaning():
    """tutorial.xls and specify_other.xls are from the first pyxform years: `select one
    from ... or specify other`, `label:English`, `bind:jr:constraintMsg`."""
    specify = read_form(CORPUS / "specify_other.xls").definition
    rows = {row["name"]: row for row in specify["survey"] if "name" in row}
    assert rows["sex"]["type"] == "select_one sexes_or_other"
    assert rows["sex_other"]["relevant"] == "selected(${sex}, 'other')"
    assert specify["choices"]["sexes_or_other"][-1]["name"] == "other"
    spec = read_form(CORPUS / "xlsform_spec_test.xlsx")
    rows = {row["name"]: row for row in spec.definition["survey"] if "name" in row}
    # `label-test` is not a FieldKit name: renamed, with a warning naming the row.
    assert "label_test" in rows and "label-test" not in rows
    assert any("label-test" in w.en and w.row for w in spec.warnings)
    # An image question is kept as a skipped note, not dropped.
    assert rows["image_test"]["type"] == "note"
    assert "skipped" in rows["image_test"]["label"].get("en", "") or \
        "bỏ qua" in rows["image_test"]["label"]["vi"]
    assert json.dumps(spec.definition, ensure_ascii=False)
