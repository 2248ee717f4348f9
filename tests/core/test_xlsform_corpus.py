"""pyxform's own example workbooks, written by other people, run through the import.

Each file either imports (and its definition loads and fills like the shipped forms) or is
refused with every unsupported feature named; the table says which, file by file, so a change
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

CORPUS = Path(__file__).parents[1] / "data" / "xlsforms" / "pyxform"

# File -> None when it imports, else words every refusal must contain (English text), in order.
EXPECTED: dict[str, list[str] | None] = {
    "allow_comment_rows_test.xls": None,
    "attribute_columns_test.xlsx": None,
    "bad_calc.xlsx": ["unterminated string"],
    "bug_ODKValidateWarnings.xlsx": None,
    "bug_UCL_Biomass_Plot_Form.xlsx": ["unexpected character '‘'", "exponential time",
                                       "choices from a file"],
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
    "bug_xl_date_ambiguous.xlsx": ["shows an answer with ${...}"],
    "bug_xl_date_ambiguous_v1.xlsx": ["shows an answer with ${...}"],
    "calculate.xls": None,
    "cascading_select_test_equivalent.xls": None,
    "case_insensitivity.xls": ["choices from an external file", "ODK entities",
                               "OpenStreetMap tags"],
    "case_insensitivity.xlsx": ["choices from an external file", "ODK entities",
                                "OpenStreetMap tags"],
    "choice_filter_test.xlsx": None,
    "choice_name_as_type.xls": ["choices from an external file", "external choices"],
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
    "loop.xls": ["'begin loop over toilet_type' is not supported", "'end loop'"],
    "loop.xlsx": ["'begin loop over toilet_type' is not supported", "'end loop'"],
    "or_other.xlsx": ["choice_filter refers to 'yes'"],
    "pull_data.xlsx": ["unknown function 'pulldata'"],
    "repeat_date_test.xls": ["'note' row has no 'name'"],
    "simple_loop.xls": ["'begin loop over my_columns' is not supported", "'end loop'"],
    "sms_info.xls": None,
    "specify_other.xls": None,
    "specify_other.xlsx": None,
    "style_settings.xls": None,
    "survey_no_name.xlsx": None,
    "table-list.xls": None,
    "text_and_integer.xls": None,
    "text_and_integer.xlsx": None,
    "tutorial.xls": None,
    "unknown_question_type.xls": ["'set form title' is not supported",
                                  "'set form id' is not supported",
                                  "unexpected character '/'"],
    "widgets.xls": None,
    "xlsform_spec_test.xlsx": None,
    "xml_escaping.xls": None,
    "yes_or_no_question.xls": None,
    "yes_or_no_question.xlsx": None,
}


def test_the_table_covers_every_workbook_of_the_corpus():
    assert sorted(EXPECTED) == sorted(p.name for p in CORPUS.glob("*.xls*"))
    imported = sum(1 for outcome in EXPECTED.values() if outcome is None)
    assert (imported, len(EXPECTED)) == (36, 58)


@pytest.mark.parametrize("name", sorted(n for n, outcome in EXPECTED.items() if outcome is None))
def test_a_workbook_imports_and_fills(name: str, tmp_path: Path):
    """Written where `fieldkit forms check` looks, loaded back, and an empty record checked
    without a crash: the volunteer could open it."""
    imported = import_workbook(CORPUS / name, tmp_path)
    form = load_form(imported.path)
    assert list(form.fields()), name
    check_answers(form, {}, date(2026, 12, 5))
    for warning in imported.warnings:
        assert warning.vi and warning.en and warning.vi != warning.en


@pytest.mark.parametrize("name", sorted(n for n, outcome in EXPECTED.items() if outcome))
def test_a_workbook_is_refused_naming_each_unsupported_feature(name: str, tmp_path: Path):
    with pytest.raises(FormImportError) as caught:
        import_workbook(CORPUS / name, tmp_path)
    problems = caught.value.problems
    expected = EXPECTED[name]
    assert expected is not None
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
