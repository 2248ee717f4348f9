"""What the rewritten XLSForm import takes from forms officers really start from (Kobo, ODK,
pyxform examples, a colleague's old `.xls`), and how it says what it left out or cannot use.

Every problem and warning is checked where the officer will look for it (sheet, Excel row,
column) and in both languages; every adaptation is checked by what a volunteer filling the
form would meet.
"""

from __future__ import annotations

import json
import shutil
import zipfile
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fieldkit.core.forms.answers import check_answers
from fieldkit.core.forms.definition import FormDefinition, load_form
from fieldkit.core.forms.import_problems import ImportProblem, report
from fieldkit.core.forms.xlsform import (
    Conversion,
    FormImportError,
    import_workbook,
    read_form,
)
from tests.core.test_xlsform import (
    CHOICES,
    SETTINGS,
    SURVEY,
    in_both_languages,
    with_cell,
    write_workbook,
)

PYXFORM = Path(__file__).parents[1] / "data" / "xlsforms" / "pyxform"
TODAY = date(2026, 11, 22)


def warning_at(conversion: Conversion | list[ImportProblem], sheet: str, row: int | None,
               column: str | None) -> ImportProblem:
    warnings = conversion.warnings if isinstance(conversion, Conversion) else conversion
    found = [w for w in warnings if (w.sheet, w.row, w.column) == (sheet, row, column)]
    assert len(found) == 1, warnings
    return in_both_languages(found[0])


def refusal(path: Path) -> FormImportError:
    with pytest.raises(FormImportError) as caught:
        read_form(path)
    return caught.value


def loaded(tmp_path: Path, conversion: Conversion) -> FormDefinition:
    """The definition as the form screen gets it."""
    path = tmp_path / "loaded.json"
    path.write_text(json.dumps(conversion.definition, ensure_ascii=False), encoding="utf-8")
    return load_form(path)


def rows_by_name(conversion: Conversion) -> dict[str, dict[str, Any]]:
    return {row["name"]: row for row in conversion.definition["survey"] if "name" in row}


def pyxform_copy(tmp_path: Path, name: str, as_name: str | None = None) -> Path:
    source = PYXFORM / name
    if not source.exists():
        pytest.fail(f"{source} is missing: the pyxform corpus ships with the tests")
    return Path(shutil.copy(source, tmp_path / (as_name or name)))


# --- (1) every problem at once ------------------------------------------------------------

def test_every_problem_in_the_workbook_is_listed_with_its_excel_row_in_both_languages(
        tmp_path: Path):
    survey = with_cell(SURVEY, 5, "type", "rank")  # an unsupported type
    survey = with_cell(survey, 12, "constraint", "frobnicate(.) < 150")  # an unknown function
    survey = with_cell(survey, 13, "type", "select_one insured")  # a list not on choices
    path = write_workbook(tmp_path / "three.xlsx", survey=survey)

    error = refusal(path)

    assert [(p.sheet, p.row, p.column) for p in error.problems] == [
        ("survey", 5, "type"), ("survey", 12, "constraint"), ("survey", 13, "type")]
    rank, function, missing = map(in_both_languages, error.problems)
    assert "'rank'" in rank.en and "'rank'" in rank.vi
    assert "unknown function 'frobnicate'" in function.en and "'frobnicate'" in function.vi
    assert "'insured'" in missing.en and "'insured'" in missing.vi
    vietnamese = report(str(path), error.problems, "vi").splitlines()
    english = report(str(path), error.problems, "en").splitlines()
    assert vietnamese[0] == f"{path}: không nhập được, 3 lỗi cần sửa"
    assert english[0] == f"{path}: not imported, 3 problems to fix"
    assert vietnamese[1].startswith("  - trang 'survey', dòng 5, cột type: ")
    assert english[3].startswith("  - sheet 'survey', row 13, column type: ")
    assert len(vietnamese) == len(english) == 4


def test_problems_on_several_sheets_are_all_listed(tmp_path: Path):
    choices = [*CHOICES, ["yes_no", "yes", "Vâng", "Yes", None]]  # duplicate, choices row 9
    survey = with_cell(SURVEY, 11, "type", "geotrace")
    path = write_workbook(tmp_path / "two.xlsx", survey=survey, choices=choices)

    error = refusal(path)

    assert {(p.sheet, p.row) for p in error.problems} == {("choices", 9), ("survey", 11)}


# --- (2) .xls files ----------------------------------------------------------------------

def test_a_real_xls_workbook_imports_with_its_questions_repeat_and_choices(tmp_path: Path):
    path = pyxform_copy(tmp_path, "tutorial.xls")

    imported = import_workbook(path, tmp_path / "forms")

    form = load_form(imported.path)
    assert (form.id, form.version) == ("tutorial", "1")
    (repeat,) = form.repeats()
    assert repeat.name == "member"
    fields = {f.name: f for f in form.fields()}
    assert list(fields) == [
        "name", "relationship_to_household_head", "sex", "resident", "stayed_last_night",
        "older_than_five", "age_in_months", "age_in_years", "literate", "pregnant"]
    assert fields["sex"].list_name == "sexes"
    assert [c.name for c in form.choices["sexes"]] == ["male", "female"]
    assert fields["age_in_years"].constraint.text == ". >= 5"
    assert fields["age_in_months"].relevant.references == {"older_than_five"}
    assert fields["name"].label["vi"] == "What is this household member's name?"


def test_an_xls_written_in_english_only_shows_the_english_and_says_so(tmp_path: Path):
    conversion = read_form(pyxform_copy(tmp_path, "text_and_integer.xls"))

    rows = rows_by_name(conversion)
    assert rows["your_name"]["type"] == "text" and rows["your_age"]["type"] == "integer"
    assert rows["your_age"]["label"] == {"vi": "How many years old are you?",
                                         "en": "How many years old are you?"}
    assert any("no Vietnamese" in in_both_languages(w).en for w in conversion.warnings)


def test_an_xls_saved_under_an_xlsx_name_still_opens(tmp_path: Path):
    conversion = read_form(pyxform_copy(tmp_path, "yes_or_no_question.xls", "renamed.xlsx"))
    assert conversion.definition["id"] == "renamed"
    assert rows_by_name(conversion)["good_day"]["type"] == "select_one yes_or_no"


# --- (3) no settings sheet ---------------------------------------------------------------

def test_without_a_settings_sheet_the_file_name_is_the_id_and_the_version_is_1(tmp_path: Path):
    path = write_workbook(tmp_path / "village_census.xlsx", settings=None)  # type: ignore[arg-type]

    imported = import_workbook(path, tmp_path / "forms")

    assert imported.path.name == "village_census.json"
    assert (imported.definition["id"], imported.definition["version"]) == ("village_census",
                                                                            "1")
    assert "village_census" in warning_at(imported.warnings, "settings", None, "form_id").en
    version = warning_at(imported.warnings, "settings", None, "version")
    assert "version 1" in version.en and "phiên bản 1" in version.vi
    assert imported.definition["title"] == {"vi": "village_census"}
    warning_at(imported.warnings, "settings", None, "form_title")
    # The warning matters: the same file imported again is refused until a version is added.
    with pytest.raises(FormImportError, match="bump the version"):
        import_workbook(path, tmp_path / "forms")


# --- (4) settings FieldKit has no use for --------------------------------------------------

def test_settings_for_odk_servers_are_each_ignored_with_a_warning(tmp_path: Path):
    settings = [["form_id", "version", "form_title", "instance_name", "style", "public_key",
                 "submission_url"],
                ["census", "3", "Điều tra dân số", "concat(${name}, '-', today())", "pages",
                 "MIIBIjANBgkqh", "https://kobo.example.org/submission"]]
    conversion = read_form(write_workbook(tmp_path / "f.xlsx", settings=settings))

    assert conversion.definition["title"] == {"vi": "Điều tra dân số"}
    assert (conversion.definition["id"], conversion.definition["version"]) == ("census", "3")
    for letter, setting in zip("DEFG", settings[0][3:], strict=True):
        warning = warning_at(conversion, "settings", 2, letter)
        assert f"setting '{setting}'" in warning.en and f"'{setting}'" in warning.vi
    assert len(conversion.warnings) == 4
    assert "kobo.example.org" not in json.dumps(conversion.definition)


def test_only_the_first_settings_row_is_read_and_the_others_are_warned(tmp_path: Path):
    settings = [*SETTINGS, ["other_id", "9", "Khác", "Other", "English"]]
    conversion = read_form(write_workbook(tmp_path / "f.xlsx", settings=settings))
    assert conversion.definition["id"] == "household_survey"
    assert "first settings row" in warning_at(conversion, "settings", 3, None).en


def test_a_form_id_and_version_with_spaces_are_made_file_names_with_a_warning(tmp_path: Path):
    settings = [["form_id", "version"], ["Khảo sát hộ", "2026 tháng 1"]]
    imported = import_workbook(write_workbook(tmp_path / "f.xlsx", settings=settings),
                               tmp_path / "forms")
    assert imported.definition["id"] == "Kh_o_s_t_h"
    assert imported.definition["version"] == "2026_th_ng_1"
    assert imported.path == tmp_path / "forms" / "Kh_o_s_t_h.json"
    assert "'Kh_o_s_t_h'" in warning_at(imported.warnings, "settings", 2, "form_id").en
    assert "'2026_th_ng_1'" in warning_at(imported.warnings, "settings", 2, "version").en


# --- (5) pyxform features and spellings ----------------------------------------------------

PYXFORM_SURVEY = [
    ["type", "name", "label:English", "label:Vietnamese", "constraint", "bind:jr:constraintMsg"],
    ["start", "started"],  # 2
    ["select_one colours or_other", "colour", "Colour", "Màu"],  # 3
    ["acknowledge", "agree", "I agree to answer", "Tôi đồng ý trả lời"],  # 4
    ["integer", "age", "Age (form opened ${started})", "Tuổi (mở lúc ${started})", ". < 150",
     "Tuổi phải dưới 150"],  # 5
    ["note", "summary", "Colour: ${colour}", "Màu: ${colour}"],  # 6
]
PYXFORM_CHOICES = [["list_name", "name", "label:English", "label:Vietnamese"],
                   ["colours", "red", "Red", "Đỏ"], ["colours", "blue", "Blue", "Xanh"]]


def pyxform_features(tmp_path: Path) -> Conversion:
    return read_form(write_workbook(tmp_path / "features.xlsx", survey=PYXFORM_SURVEY,
                                    choices=PYXFORM_CHOICES))


def test_old_label_spellings_give_both_languages(tmp_path: Path):
    rows = rows_by_name(pyxform_features(tmp_path))
    assert rows["colour"]["label"] == {"vi": "Màu", "en": "Colour"}
    assert rows["agree"]["label"] == {"vi": "Tôi đồng ý trả lời", "en": "I agree to answer"}


def test_bind_jr_constraint_msg_is_the_constraint_message(tmp_path: Path):
    conversion = pyxform_features(tmp_path)
    age = next(f for f in loaded(tmp_path, conversion).fields() if f.name == "age")
    assert age.constraint.text == ". < 150"
    assert age.constraint_message == {"vi": "Tuổi phải dưới 150"}
    problems = check_answers(loaded(tmp_path, conversion),
                             {"colour": "red", "agree": "OK", "age": 200}, TODAY)
    assert [(p.field, p.message) for p in problems] == [("age", "Tuổi phải dưới 150")]


def test_or_other_asks_what_the_other_is_only_when_it_is_picked(tmp_path: Path):
    conversion = pyxform_features(tmp_path)
    rows = rows_by_name(conversion)
    assert rows["colour"]["type"] == "select_one colours_or_other"
    assert [c["name"] for c in conversion.definition["choices"]["colours_or_other"]] == [
        "red", "blue", "other"]
    assert conversion.definition["choices"]["colours_or_other"][-1]["label"] == {
        "vi": "Khác", "en": "Other"}
    assert rows["colour_other"]["type"] == "text"
    form = loaded(tmp_path, conversion)
    other = next(f for f in form.fields() if f.name == "colour_other")
    assert other.relevant.references == {"colour"}
    assert [row.get("name") for row in conversion.definition["survey"]][1:3] == [
        "colour", "colour_other"]


def test_or_specify_other_is_the_same_as_or_other(tmp_path: Path):
    survey = with_cell(PYXFORM_SURVEY, 3, "type", "select one colours or specify other")
    conversion = read_form(write_workbook(tmp_path / "f.xlsx", survey=survey,
                                          choices=PYXFORM_CHOICES))
    assert rows_by_name(conversion)["colour"]["type"] == "select_one colours_or_other"
    assert "colour_other" in rows_by_name(conversion)


def test_acknowledge_is_a_single_tick_stored_as_ok_like_odk(tmp_path: Path):
    conversion = pyxform_features(tmp_path)
    agree = next(f for f in loaded(tmp_path, conversion).fields() if f.name == "agree")
    assert agree.type == "select_one"
    assert [c.name for c in loaded(tmp_path, conversion).choices[agree.list_name]] == ["OK"]


def test_metadata_start_is_an_empty_value_a_label_may_still_show(tmp_path: Path):
    conversion = pyxform_features(tmp_path)
    rows = rows_by_name(conversion)
    assert rows["started"] == {"type": "calculate", "name": "started", "calculation": "''"}
    assert rows["age"]["label"]["en"] == "Age (form opened ${started})"
    warning = warning_at(conversion, "survey", 2, "type")
    assert "'start' is metadata" in warning.en and "'start'" in warning.vi
    loaded(tmp_path, conversion)  # the loader accepts the reference to the empty value


def test_the_pyxform_features_form_warns_only_about_the_metadata(tmp_path: Path):
    conversion = pyxform_features(tmp_path)
    assert [(w.sheet, w.row, w.column) for w in conversion.warnings] == [("survey", 2, "type")]


@pytest.mark.parametrize(("type_", "good", "bad"), [
    ("time", "07:30", "25:00"),
    ("datetime", "2026-11-22 07:30", "22/11/2026"),
    ("phone number", "0912345678", "091-234"),
])
def test_time_datetime_and_phone_are_text_boxes_that_check_the_shape(
        tmp_path: Path, type_: str, good: str, bad: str):
    survey = [["type", "name", "label"], [type_, "answer", "Câu hỏi"]]
    form = loaded(tmp_path, read_form(write_workbook(tmp_path / "f.xlsx", survey=survey,
                                                     choices=None)))
    (field,) = form.fields()
    assert field.type == "text" and field.hint["vi"]
    assert check_answers(form, {"answer": good}, TODAY) == []
    assert [p.field for p in check_answers(form, {"answer": bad}, TODAY)] == ["answer"]


def test_range_is_a_number_box_held_to_its_bounds(tmp_path: Path):
    survey = [["type", "name", "label", "parameters"],
              ["range", "score", "Điểm", "start=0 end=5 step=0.5"]]
    form = loaded(tmp_path, read_form(write_workbook(tmp_path / "f.xlsx", survey=survey,
                                                     choices=None)))
    (field,) = form.fields()
    assert field.type == "decimal"
    assert check_answers(form, {"score": 2.5}, TODAY) == []
    assert [p.field for p in check_answers(form, {"score": 6}, TODAY)] == ["score"]


def test_hidden_is_a_value_with_no_question(tmp_path: Path):
    survey = [["type", "name", "label", "default"], ["hidden", "source", None, "kobo"]]
    conversion = read_form(write_workbook(tmp_path / "f.xlsx", survey=survey, choices=None))
    assert rows_by_name(conversion)["source"] == {"type": "calculate", "name": "source",
                                                  "calculation": "'kobo'"}


@pytest.mark.parametrize(("type_", "vi", "en"), [("image", "ảnh", "photo"),
                                                 ("audio", "ghi âm", "audio recording"),
                                                 ("video", "video", "video"),
                                                 ("file", "tệp đính kèm", "file attachment")])
def test_a_photo_or_file_question_is_shown_as_skipped_never_asked(tmp_path: Path, type_: str,
                                                                  vi: str, en: str):
    survey = [["type", "name", "label::vi", "label::en", "required"],
              [type_, "proof", "Giấy tờ", "Papers", "yes"]]
    conversion = read_form(write_workbook(tmp_path / "f.xlsx", survey=survey, choices=None))
    proof = rows_by_name(conversion)["proof"]
    assert proof["type"] == "note" and "required" not in proof
    assert proof["label"]["vi"].startswith("Giấy tờ (") and "bỏ qua" in proof["label"]["vi"]
    assert proof["label"]["en"].startswith("Papers (") and "skipped" in proof["label"]["en"]
    assert f"the {en} question" in warning_at(conversion, "survey", 2, "type").en


def test_a_geopoint_is_an_optional_box_a_volunteer_may_leave_empty(tmp_path: Path):
    survey = [["type", "name", "label", "required"], ["geopoint", "where", "Vị trí", "yes"]]
    conversion = read_form(write_workbook(tmp_path / "f.xlsx", survey=survey, choices=None))
    form = loaded(tmp_path, conversion)
    assert check_answers(form, {}, TODAY) == []
    assert check_answers(form, {"where": "21.0285 105.8542"}, TODAY) == []
    assert [p.field for p in check_answers(form, {"where": "Hà Nội"}, TODAY)] == ["where"]
    assert "GPS" in warning_at(conversion, "survey", 2, "type").en


def test_names_with_dashes_or_dots_are_renamed_everywhere_with_a_warning(tmp_path: Path):
    survey = [["type", "name", "label", "relevant"],
              ["text", "first-name", "Tên"],
              ["note", "greeting.note", "Xin chào ${first-name}", "${first-name} != ''"]]
    conversion = read_form(write_workbook(tmp_path / "f.xlsx", survey=survey, choices=None))
    rows = rows_by_name(conversion)
    assert set(rows) == {"first_name", "greeting_note"}
    assert rows["greeting_note"]["label"] == {"vi": "Xin chào ${first_name}"}
    assert rows["greeting_note"]["relevant"] == "${first_name} != ''"
    assert "'first_name'" in warning_at(conversion, "survey", 2, "name").en
    assert "'greeting_note'" in warning_at(conversion, "survey", 3, "name").en
    loaded(tmp_path, conversion)


def test_a_rename_that_would_collide_is_refused(tmp_path: Path):
    survey = [["type", "name", "label"], ["text", "first_name", "Tên"],
              ["text", "first-name", "Tên khác"]]
    error = refusal(write_workbook(tmp_path / "f.xlsx", survey=survey, choices=None))
    (problem,) = error.problems
    assert (problem.sheet, problem.row, problem.column) == ("survey", 3, "name")
    assert "would become 'first_name', which row 2" in in_both_languages(problem).en


def test_a_sheet_that_is_not_xlsform_is_ignored_with_a_warning(tmp_path: Path):
    conversion = read_form(write_workbook(tmp_path / "f.xlsx", notes=[["Ghi chú"], ["x"]]))
    assert "not part of XLSForm" in warning_at(conversion, "notes", None, None).en


def test_a_formula_gives_the_value_excel_last_showed(tmp_path: Path):
    survey = [["type", "name", "label"], ["text", "full_name", '=CONCATENATE("Họ ", "tên")']]
    path = write_workbook(tmp_path / "f.xlsx", survey=survey, choices=None)
    sheet = "xl/worksheets/sheet1.xml"
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    xml = parts[sheet].decode("utf-8")
    assert '<c r="C2"><f>' in xml and "<v />" in xml, "openpyxl writes no saved result"
    # What Excel stores once it has calculated the cell: the formula and its result.
    parts[sheet] = xml.replace('<c r="C2">', '<c r="C2" t="str">').replace(
        "<v />", "<v>Họ tên</v>").encode("utf-8")
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)

    conversion = read_form(path)

    assert rows_by_name(conversion)["full_name"]["label"] == {"vi": "Họ tên"}


# --- (6) files that are not workbooks ----------------------------------------------------

def truncated_xlsx(path: Path) -> None:
    whole = write_workbook(path.with_name("whole.xlsx")).read_bytes()
    path.write_bytes(whole[: len(whole) * 2 // 3])


def damaged_xls(path: Path) -> None:
    # An Excel 97 header and nothing sound after it.
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)


def truncated_xls(path: Path) -> None:
    whole = (PYXFORM / "tutorial.xls").read_bytes()
    path.write_bytes(whole[: len(whole) // 2])


@pytest.mark.parametrize(("name", "make", "en"), [
    ("empty.xlsx", lambda path: path.write_bytes(b""), "the file is empty (0 bytes)"),
    ("notes.xlsx", lambda path: path.write_text("type,name,label\n", encoding="utf-8"),
     "this is not an Excel workbook"),
    ("cut.xlsx", truncated_xlsx, "the workbook is damaged and cannot be read"),
    ("damaged.xls", damaged_xls, "the .xls file is damaged and cannot be read"),
    ("cut.xls", truncated_xls, "the .xls file is damaged and cannot be read"),
])
def test_a_file_that_cannot_be_read_is_one_problem_in_both_languages(
        tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, make: Any, en: str):
    path = tmp_path / name
    make(path)

    error = refusal(path)

    (problem,) = error.problems
    assert problem.en.startswith(en) and in_both_languages(problem)
    assert (problem.sheet, problem.row, problem.column) == ("", None, None)
    assert report(str(path), error.problems, "en") == f"{path}: {problem.en}"
    assert report(str(path), error.problems, "vi") == f"{path}: {problem.vi}"
    assert capsys.readouterr() == ("", ""), "the reader prints nothing of its own"


def test_a_file_that_is_not_there_is_one_problem(tmp_path: Path):
    (problem,) = refusal(tmp_path / "missing.xlsx").problems
    assert "cannot open the file" in in_both_languages(problem).en
