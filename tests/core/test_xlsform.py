"""XLSForm import: real .xlsx workbooks, as commune IT staff would write them in Excel or Kobo.

What is still refused is checked at its sheet, Excel row and column in both languages; what
used to be refused and now imports is checked with the warning the officer sees.
"""

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from fieldkit.core.forms.definition import (
    Field,
    FormDefinition,
    Group,
    Repeat,
    load_form,
    load_forms,
)
from fieldkit.core.forms.import_problems import ImportProblem
from fieldkit.core.forms.xlsform import (
    Conversion,
    FormImportError,
    convert_workbook,
    import_workbook,
    read_form,
)

VI, EN = "label::Tiếng Việt (vi)", "label::English (en)"
SURVEY_HEADER = [
    "type", "name", VI, EN, "hint::vi", "hint::English", "required", "relevant", "constraint",
    "constraint_message::Tiếng Việt (vi)", "constraint_message::English (en)", "calculation",
    "default", "choice_filter", "repeat_count", "prefill", "appearance",
]


# Keyword spellings for the translated columns, whose headers are not Python names.
ALIASES = {
    "hint_vi": "hint::vi", "hint_en": "hint::English",
    "msg_vi": "constraint_message::Tiếng Việt (vi)", "msg_en": "constraint_message::English (en)",
}


def survey_row(type_: str, name: str = "", vi: str = "", en: str = "", **columns: str
               ) -> list[str | None]:
    values: dict[str, str] = {"type": type_, "name": name, VI: vi, EN: en}
    values.update({ALIASES.get(key, key): value for key, value in columns.items()})
    return [values.get(column) or None for column in SURVEY_HEADER]


# Excel row numbers are in the comments: the header is row 1, row 7 is left blank.
SURVEY: list[list[Any]] = [
    SURVEY_HEADER,
    survey_row("begin group", "place", "Nơi ở", "Residence", appearance="field-list"),  # 2
    survey_row("select_one provinces", "province", "Tỉnh", "Province", required="yes"),  # 3
    survey_row("select_one districts", "district", "Huyện", "District",  # 4
               choice_filter="province = ${province}"),
    survey_row("text", "village", "Thôn, tổ dân phố", "Village", prefill="household.address",
               default="Thôn 1", hint_vi="Ghi như trên sổ hộ khẩu",
               hint_en="As written in the household book"),  # 5
    survey_row("end group"),  # 6
    [],  # 7
    survey_row("begin_group", "people", "Thành viên", "Members"),  # 8
    survey_row("integer", "member_total", "Số người trong hộ", "People in the household",
               required="yes", constraint=". >= 1 and . <= 20",
               msg_vi="Nhập từ 1 đến 20 người.",
               msg_en="Enter 1 to 20 people."),  # 9
    survey_row("begin repeat", "members", "Người trong hộ", "Household member",
               repeat_count="${member_total}"),  # 10
    survey_row("text", "member_name", "Họ và tên", "Full name", required="yes"),  # 11
    survey_row("integer", "member_age", "Tuổi", "Age", constraint=". < 150",
               msg_vi="Tuổi phải dưới 150.",
               msg_en="Age must be under 150."),  # 12
    survey_row("select_one yes_no", "member_insured", "Có thẻ BHYT?", "Insured?",
               appearance="minimal"),  # 13
    survey_row("text", "card", "Số thẻ BHYT", "Insurance card number",
               relevant="${member_insured} = 'yes'"),  # 14
    survey_row("end repeat"),  # 15
    survey_row("calculate", "member_count", calculation="count(${members})"),  # 16
    survey_row("note", "mismatch", "Số người chưa khớp", "The count does not match",
               relevant="${member_count} != ${member_total}"),  # 17
    survey_row("end_group"),  # 18
]
CHOICES: list[list[Any]] = [
    ["list_name", "name", VI, EN, "province"],
    ["provinces", "01", "Hà Nội", "Hanoi", None],
    ["provinces", "79", "TP. Hồ Chí Minh", "Ho Chi Minh City", None],
    ["districts", "ba_dinh", "Ba Đình", "Ba Dinh", "01"],
    ["districts", "quan_1", "Quận 1", "District 1", "79"],
    [],
    ["yes_no", "yes", "Có", "Yes", None],
    ["yes_no", "no", "Không", "No", None],
]
SETTINGS: list[list[Any]] = [
    ["form_id", "version", "form_title::Tiếng Việt (vi)", "form_title::English (en)",
     "default_language"],
    ["household_survey", "2026.1", "Khảo sát hộ gia đình", "Household survey", "Tiếng Việt (vi)"],
]


def write_workbook(path: Path, survey: list[list[Any]] = SURVEY,
                   choices: list[list[Any]] | None = CHOICES,
                   settings: list[list[Any]] = SETTINGS,
                   **other_sheets: list[list[Any]]) -> Path:
    book = Workbook()
    sheets = {"survey": survey, "choices": choices, "settings": settings, **other_sheets}
    book.remove(book.active)
    for title, rows in sheets.items():
        if rows is None:
            continue
        sheet = book.create_sheet(title)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(number, column, value)
    book.save(path)
    return path


def with_cell(rows: list[list[Any]], row: int, column: str, value: Any) -> list[list[Any]]:
    """A copy of a sheet with one cell set, adding the column if the header lacks it."""
    copy = [list(r) for r in rows]
    header = copy[0]
    if column not in header:
        header.append(column)
    index = header.index(column)
    while len(copy) < row:
        copy.append([])
    target = copy[row - 1]
    target.extend([None] * (index + 1 - len(target)))
    target[index] = value
    return copy


def refused(tmp_path: Path, **sheets: Any) -> FormImportError:
    """The refusal of a workbook written with these sheets (the others as above)."""
    path = write_workbook(tmp_path / "form.xlsx", **sheets)
    with pytest.raises(FormImportError) as caught:
        convert_workbook(path)
    error = caught.value
    assert error.source == str(path)
    assert str(error).startswith(f"{path}: "), str(error)
    return error


def converted(tmp_path: Path, **sheets: Any) -> Conversion:
    return read_form(write_workbook(tmp_path / "form.xlsx", **sheets))


def in_both_languages(problem: ImportProblem) -> ImportProblem:
    """What the officer reads exists in Vietnamese and in English, and is not one copied."""
    assert problem.vi.strip() and problem.en.strip(), problem
    assert problem.vi != problem.en, problem
    return problem


def problem_at(error: FormImportError, sheet: str, row: int | None,
               column: str | None = None) -> ImportProblem:
    """The one problem reported at this sheet and Excel row (and column, when given)."""
    found = [p for p in error.problems if (p.sheet, p.row) == (sheet, row)
             and (column is None or p.column == column)]
    assert len(found) == 1, error.problems
    return in_both_languages(found[0])


def warning_at(warnings: list[ImportProblem], sheet: str, row: int | None,
               column: str | None) -> ImportProblem:
    found = [w for w in warnings if (w.sheet, w.row, w.column) == (sheet, row, column)]
    assert len(found) == 1, warnings
    return in_both_languages(found[0])


def load_form_from(tmp_path: Path, definition: dict[str, Any]) -> FormDefinition:
    path = tmp_path / "converted.json"
    path.write_text(json.dumps(definition, ensure_ascii=False), encoding="utf-8")
    return load_form(path)


def test_a_full_workbook_becomes_a_definition_the_loader_accepts(tmp_path: Path):
    path = write_workbook(tmp_path / "household.xlsx")

    imported = import_workbook(path, tmp_path / "forms")

    assert imported.path == tmp_path / "forms" / "household_survey.json"
    assert imported.warnings == [], "a clean workbook imports without a word of warning"
    form = load_form(imported.path)
    assert (form.id, form.version, form.default_language) == ("household_survey", "2026.1", "vi")
    assert form.title == {"vi": "Khảo sát hộ gia đình", "en": "Household survey"}
    assert [page.name for page in form.pages] == ["place", "people"]
    assert form.pages[1].label == {"vi": "Thành viên", "en": "Members"}
    assert form.pages[0].appearance == {"field-list"}

    fields = {f.name: f for f in form.fields()}
    assert fields["province"].list_name == "provinces" and fields["province"].required is True
    assert fields["district"].choice_filter.text == "province = ${province}"
    assert [c.properties for c in form.choices["districts"]] == [{"province": "01"},
                                                                  {"province": "79"}]
    assert [c.name for c in form.choices["provinces"]] == ["01", "79"]
    assert form.choices["yes_no"][1].label == {"vi": "Không", "en": "No"}
    village = fields["village"]
    assert village.hint == {"vi": "Ghi như trên sổ hộ khẩu",
                            "en": "As written in the household book"}
    assert village.prefill == "household.address"
    assert village.default.text == "'Thôn 1'", "an XLSForm default is a value, ours an expression"

    total = fields["member_total"]
    assert total.constraint.text == ". >= 1 and . <= 20"
    assert total.constraint_message == {"vi": "Nhập từ 1 đến 20 người.",
                                        "en": "Enter 1 to 20 people."}
    assert total.label == {"vi": "Số người trong hộ", "en": "People in the household"}

    (repeat,) = form.repeats()
    assert repeat.name == "members" and repeat.repeat_count.references == {"member_total"}
    assert [child.name for child in repeat.children] == [
        "member_name", "member_age", "member_insured", "card"]
    assert fields["member_age"].constraint_message["en"] == "Age must be under 150."
    assert fields["member_insured"].appearance == {"minimal"}
    assert fields["card"].relevant.text == "${member_insured} = 'yes'"
    assert fields["member_count"].calculation.text == "count(${members})"
    assert fields["mismatch"].relevant.references == {"member_count", "member_total"}
    people = form.pages[1]
    assert isinstance(people.children[1], Repeat) and isinstance(people.children[-1], Field)
    assert all(isinstance(page, Group) for page in form.children)


def test_convert_gives_the_definition_row_for_row_with_the_honoured_appearances(tmp_path: Path):
    definition = convert_workbook(write_workbook(tmp_path / "household.xlsx"))

    assert definition["survey"][0] == {"type": "begin_group", "name": "place",
                                       "label": {"vi": "Nơi ở", "en": "Residence"},
                                       "appearance": "field-list"}
    assert definition["survey"][4] == {"type": "end_group"}
    assert len(definition["survey"]) == 16, "the blank row is skipped"
    assert definition["survey"][10]["type"] == "select_one yes_no"
    assert definition["survey"][10]["appearance"] == "minimal"
    assert definition["choices"]["provinces"][0] == {
        "name": "01", "label": {"vi": "Hà Nội", "en": "Hanoi"}}
    json.dumps(definition)


def test_headers_are_trimmed_and_case_insensitive_and_short_language_names_work(tmp_path: Path):
    survey = [
        [" TYPE ", "Name", "Label::vi", "LABEL::English", "Required"],
        ["begin_group", "page", "Trang", "Page"],
        ["text", "full_name", "Họ tên", "Name", "YES"],
        ["end_group"],
    ]
    settings = [["Form_ID", " Version ", "Title"], ["short", 3, "Mẫu ngắn"]]
    path = write_workbook(tmp_path / "f.xlsx", survey=survey, choices=None, settings=settings)
    definition = convert_workbook(path)

    assert definition["version"] == "3"
    assert definition["title"] == {"vi": "Mẫu ngắn"}
    assert definition["survey"][1] == {"type": "text", "name": "full_name",
                                       "label": {"vi": "Họ tên", "en": "Name"},
                                       "required": "true()"}
    (field,) = load_form_from(tmp_path, definition).fields()
    assert field.required is True, "'YES' in required makes the question required"


def test_a_plain_label_column_is_in_the_default_language(tmp_path: Path):
    survey = [["type", "name", "label", "label::Vietnamese"],
              ["text", "name", "Name", "Tên"]]
    settings = [["form_id", "version", "title", "title::vi", "default_language"],
                ["english_first", "1", "Form", "Mẫu", "English"]]
    definition = convert_workbook(write_workbook(tmp_path / "f.xlsx", survey=survey,
                                                 choices=None, settings=settings))

    assert definition["default_language"] == "en"
    assert definition["survey"][0]["label"] == {"en": "Name", "vi": "Tên"}


def test_an_empty_unknown_column_is_harmless_and_kobo_bookkeeping_is_ignored(tmp_path: Path):
    survey = with_cell(SURVEY, 1, "media::image", None)
    survey = with_cell(survey, 3, "$kuid", "abc123")
    conversion = converted(tmp_path, survey=survey)
    assert "$kuid" not in json.dumps(conversion.definition)
    assert conversion.warnings == [], "neither an empty column nor $kuid is worth a warning"


# --- still refused: each problem at its sheet, Excel row and column, in both languages -----

@pytest.mark.parametrize(("type_", "feature"), [
    ("rank", "ranking"),
    ("select_one_from_file places.csv", "choices from a file"),
    ("geotrace", "a line or area on a map"),
    ("geoshape", "a line or area on a map"),
    ("frobnicate", "question type 'frobnicate' is not supported"),
])
def test_a_type_fieldkit_cannot_ask_is_refused_with_its_row(tmp_path: Path, type_: str,
                                                            feature: str):
    error = refused(tmp_path, survey=with_cell(SURVEY, 11, "type", type_))
    problem = problem_at(error, "survey", 11, "type")
    assert f"'{type_}'" in problem.en and feature in problem.en
    assert f"'{type_}'" in problem.vi
    assert "sheet 'survey', row 11, column type: " in str(error)


def test_a_trigger_column_is_refused_naming_the_row(tmp_path: Path):
    error = refused(tmp_path, survey=with_cell(SURVEY, 12, "trigger", "${member_name}"))
    assert "'trigger'" in problem_at(error, "survey", 12, "trigger").en


def test_an_unknown_field_reference_names_the_excel_row_and_the_reference(tmp_path: Path):
    # Row 14 comes after the blank row 7: the loader's own row number would be 12.
    error = refused(tmp_path, survey=with_cell(SURVEY, 14, "relevant", "${insured} = 'yes'"))
    problem = problem_at(error, "survey", 14)
    assert problem.en == "relevant refers to unknown field ${insured}"
    assert "${insured}" in problem.vi
    assert "sheet 'survey', row 14: relevant refers to unknown field ${insured}" in str(error)


def test_a_malformed_expression_names_the_excel_row_and_column(tmp_path: Path):
    error = refused(tmp_path, survey=with_cell(SURVEY, 12, "constraint", ". < "))
    problem = problem_at(error, "survey", 12, "constraint")
    assert problem.en.startswith("constraint '. <' cannot be used")


def test_an_unknown_function_is_refused_by_name(tmp_path: Path):
    error = refused(tmp_path, survey=with_cell(SURVEY, 12, "constraint", "pulldata('x') > 1"))
    problem = problem_at(error, "survey", 12, "constraint")
    assert "'pulldata'" in problem.en and "'pulldata'" in problem.vi


def test_a_select_whose_list_is_missing_is_refused(tmp_path: Path):
    error = refused(tmp_path, survey=with_cell(SURVEY, 13, "type", "select_one insured"))
    problem = problem_at(error, "survey", 13, "type")
    assert problem.en == "choice list 'insured' is not on the choices sheet"


def test_a_choice_filter_on_a_column_no_choice_has_is_refused(tmp_path: Path):
    error = refused(tmp_path, survey=with_cell(SURVEY, 4, "choice_filter",
                                               "region = ${province}"))
    assert problem_at(error, "survey", 4).en.startswith("choice_filter refers to 'region'")


def test_an_answer_shown_in_the_title_is_refused(tmp_path: Path):
    error = refused(tmp_path, settings=with_cell(SETTINGS, 2, "form_title::English (en)",
                                                 "Survey of ${province}"))
    problem = problem_at(error, "settings", 2, "form_title")
    assert "form_title (en) shows an answer with ${...}" in problem.en
    assert len(error.problems) == 1


def test_a_row_with_a_name_but_no_type_is_refused(tmp_path: Path):
    error = refused(tmp_path, survey=with_cell(SURVEY, 20, "name", "orphan"))
    assert problem_at(error, "survey", 20).en == "the row has a name or label but no type"


def test_an_unclosed_group_names_its_row(tmp_path: Path):
    error = refused(tmp_path, survey=SURVEY[:-1])
    assert "'begin_group' is never closed" in problem_at(error, "survey", 8).en


def test_a_duplicate_choice_is_refused_with_both_rows(tmp_path: Path):
    error = refused(tmp_path, choices=[*CHOICES, ["yes_no", "yes", "Vâng", "Yes", None]])
    problem = problem_at(error, "choices", 9)
    assert problem.en == "duplicate choice 'yes' in list 'yes_no', first on row 7"
    assert "7" in problem.vi


def test_two_columns_for_the_same_text_and_language_are_refused(tmp_path: Path):
    error = refused(tmp_path, survey=with_cell(SURVEY, 3, "label", "Tỉnh/thành phố"))
    problem = problem_at(error, "survey", None, "R")
    assert problem.en == f"columns '{VI}' and 'label' both give label in 'vi'; keep one"


def test_a_file_that_is_not_a_workbook_is_refused_in_one_line(tmp_path: Path):
    path = tmp_path / "form.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(FormImportError) as caught:
        convert_workbook(path)
    (problem,) = caught.value.problems
    assert "not an Excel workbook" in in_both_languages(problem).en
    assert str(caught.value) == f"{path}: {problem.en}"


# --- once refused, now imported: each with the warning the officer sees -------------------

@pytest.mark.parametrize(("type_", "words"), [
    ("geopoint", "no GPS"),
    ("image", "photo question is kept but always left empty"),
    ("audio", "audio recording question is kept but always left empty"),
    ("barcode", "USB scanner"),
    ("start", "'start' is metadata"),
])
def test_a_type_a_laptop_cannot_capture_imports_with_a_warning_on_its_row(
        tmp_path: Path, type_: str, words: str):
    conversion = converted(tmp_path, survey=with_cell(SURVEY, 11, "type", type_))
    assert words in warning_at(conversion.warnings, "survey", 11, "type").en
    (row,) = [r for r in conversion.definition["survey"] if r.get("name") == "member_name"]
    assert row["type"] in ("text", "note", "calculate")


@pytest.mark.parametrize("column", ["media::image", "read_only", "body::accept", "relevant::vi",
                                    "frequency"])
def test_an_unknown_column_with_content_is_ignored_with_a_warning_naming_it(tmp_path: Path,
                                                                            column: str):
    conversion = converted(tmp_path, survey=with_cell(SURVEY, 12, column, "x"))
    # The header has 17 columns, A to Q: the added one is R.
    warning = warning_at(conversion.warnings, "survey", None, "R")
    assert f"column '{column}'" in warning.en and f"'{column}'" in warning.vi
    assert conversion.definition == convert_workbook(write_workbook(tmp_path / "clean.xlsx"))


def test_parameters_on_a_type_that_takes_none_are_ignored_with_a_warning(tmp_path: Path):
    conversion = converted(tmp_path, survey=with_cell(SURVEY, 12, "parameters", "x"))
    assert "no effect" in warning_at(conversion.warnings, "survey", 12, "parameters").en


def test_content_under_no_header_is_ignored_with_a_warning_at_its_cell(tmp_path: Path):
    survey = with_cell(SURVEY, 9, "placeholder", "stray")
    survey[0][-1] = None
    conversion = converted(tmp_path, survey=survey)
    warning = warning_at(conversion.warnings, "survey", 9, "R")
    assert warning.en == "a column with no header holds content, which was ignored"
    assert "stray" not in json.dumps(conversion.definition)


def test_a_language_fieldkit_does_not_show_is_left_out(tmp_path: Path):
    conversion = converted(tmp_path, survey=with_cell(SURVEY, 3, "label::Klingon", "Qo'noS"))
    assert "Qo'noS" not in json.dumps(conversion.definition, ensure_ascii=False)
    assert conversion.definition["survey"][1]["label"] == {"vi": "Tỉnh", "en": "Province"}


def test_or_other_adds_an_other_choice_and_a_box_shown_when_it_is_picked(tmp_path: Path):
    conversion = converted(tmp_path,
                           survey=with_cell(SURVEY, 13, "type", "select_one yes_no or_other"))
    definition = conversion.definition
    names = [row.get("name") for row in definition["survey"]]
    insured = definition["survey"][names.index("member_insured")]
    other = definition["survey"][names.index("member_insured") + 1]
    assert insured["type"] == "select_one yes_no_or_other"
    assert [c["name"] for c in definition["choices"]["yes_no_or_other"]] == ["yes", "no", "other"]
    assert other == {"type": "text", "name": "member_insured_other",
                     "label": {"vi": "Khác, ghi rõ:", "en": "Specify other:"},
                     "relevant": "selected(${member_insured}, 'other')"}
    assert names[names.index("member_insured") + 2] == "card", "the box follows its question"


@pytest.mark.parametrize("column", ["form_id", "version"])
def test_a_missing_form_id_or_version_is_filled_in_with_a_warning(tmp_path: Path, column: str):
    conversion = converted(tmp_path, settings=with_cell(SETTINGS, 2, column, None))
    expected = {"form_id": ("id", "form"), "version": ("version", "1")}[column]
    assert conversion.definition[expected[0]] == expected[1], "the file is form.xlsx"
    warning = warning_at(conversion.warnings, "settings", None, column)
    assert f"no {column}" in warning.en


def test_a_missing_settings_sheet_imports_under_the_file_name(tmp_path: Path):
    path = tmp_path / "ho_gia_dinh.xlsx"
    book = Workbook()
    book.active.title = "survey"
    book.active.append(["type", "name", "label"])
    book.active.append(["text", "name", "Tên"])
    book.save(path)

    conversion = read_form(path)

    assert (conversion.definition["id"], conversion.definition["version"]) == ("ho_gia_dinh", "1")
    assert conversion.definition["title"] == {"vi": "ho_gia_dinh"}
    assert {(w.sheet, w.column) for w in conversion.warnings} == {
        ("settings", "form_id"), ("settings", "version"), ("settings", "form_title")}


@pytest.mark.parametrize(("appearance", "kept"), [("numbers", None), ("likert minimal", "minimal"),
                                                  ("quick", None)])
def test_an_appearance_fieldkit_does_not_draw_is_ignored_with_a_warning(
        tmp_path: Path, appearance: str, kept: str | None):
    conversion = converted(tmp_path, survey=with_cell(SURVEY, 13, "appearance", appearance))
    ignored = appearance.split()[0]
    warning = warning_at(conversion.warnings, "survey", 13, "appearance")
    assert f"appearance '{ignored}' was ignored" in warning.en
    (row,) = [r for r in conversion.definition["survey"] if r.get("name") == "member_insured"]
    assert row.get("appearance") == kept


def test_a_question_label_may_show_an_earlier_answer(tmp_path: Path):
    conversion = converted(tmp_path, survey=with_cell(SURVEY, 11, EN, "Name of ${member_total}"))
    (row,) = [r for r in conversion.definition["survey"] if r.get("name") == "member_name"]
    assert row["label"]["en"] == "Name of ${member_total}"
    assert conversion.warnings == []


def test_a_column_a_group_cannot_use_is_left_out_with_a_warning(tmp_path: Path):
    conversion = converted(tmp_path, survey=with_cell(SURVEY, 8, "constraint", ". > 1"))
    warning = warning_at(conversion.warnings, "survey", 8, "constraint")
    assert "no effect on a begin_group row" in warning.en
    assert "constraint" not in conversion.definition["survey"][5], "nothing is checked there"


def test_repeat_count_on_a_plain_group_is_still_refused(tmp_path: Path):
    error = refused(tmp_path, survey=with_cell(SURVEY, 8, "repeat_count", "3"))
    assert "only applies to begin_repeat" in problem_at(error, "survey", 8).en


def test_a_choice_without_a_vietnamese_label_shows_the_english_one(tmp_path: Path):
    conversion = converted(tmp_path, choices=with_cell(CHOICES, 5, VI, None))
    (district_1,) = [c for c in conversion.definition["choices"]["districts"]
                     if c["name"] == "quan_1"]
    assert district_1["label"] == {"vi": "District 1", "en": "District 1"}
    (warning,) = conversion.warnings
    assert "no Vietnamese" in in_both_languages(warning).en
    assert warning.sheet == "choices", "the officer is sent to the sheet to translate"


def test_a_media_column_in_choices_is_ignored_with_a_warning(tmp_path: Path):
    conversion = converted(tmp_path, choices=with_cell(CHOICES, 2, "media::image", "hanoi.png"))
    assert "'media::image'" in warning_at(conversion.warnings, "choices", None, "F").en
    assert "hanoi.png" not in json.dumps(conversion.definition)


# --- writing the definition --------------------------------------------------------------

def test_the_same_id_and_version_is_never_overwritten(tmp_path: Path):
    out = tmp_path / "forms"
    first = import_workbook(write_workbook(tmp_path / "a.xlsx"), out).path
    before = first.read_bytes()
    changed = with_cell(SURVEY, 11, EN, "Changed")

    with pytest.raises(FormImportError, match=r"already holds form 'household_survey' version "
                                              r"2026\.1; bump the version") as caught:
        import_workbook(write_workbook(tmp_path / "b.xlsx", survey=changed), out)
    problem_at(caught.value, "settings", None, "version")
    assert first.read_bytes() == before

    bumped = with_cell(SETTINGS, 2, "version", "2026.2")
    second = import_workbook(write_workbook(tmp_path / "c.xlsx", survey=changed,
                                            settings=bumped), out).path
    assert second == first and load_form(second).version == "2026.2"
    # The replaced version stays, so drafts started on it still open and finish on it.
    assert sorted(p.name for p in out.iterdir()) == [
        "household_survey.json", "household_survey@2026.1.json"]
    assert load_form(out / "household_survey@2026.1.json").version == "2026.1"
    assert [f.version for f in load_forms(out)] == ["2026.2", "2026.1"]


def test_a_refused_import_leaves_nothing_behind(tmp_path: Path):
    out = tmp_path / "forms"
    broken = with_cell(SURVEY, 14, "relevant", "${nobody}")
    with pytest.raises(FormImportError):
        import_workbook(write_workbook(tmp_path / "f.xlsx", survey=broken), out)
    assert not out.exists() or list(out.iterdir()) == []
