"""XLSForm import: real .xlsx workbooks, as commune IT staff would write them in Excel or Kobo."""

import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook

from fieldkit.core.forms.definition import Field, Group, Repeat, load_form, load_forms
from fieldkit.core.forms.xlsform import FormImportError, convert_workbook, import_workbook

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


def refusal(tmp_path: Path, **sheets: Any) -> str:
    path = write_workbook(tmp_path / "form.xlsx", **sheets)
    with pytest.raises(FormImportError) as caught:
        convert_workbook(path)
    message = str(caught.value)
    assert message.startswith(f"{path}: "), message
    return message


def test_a_full_workbook_becomes_a_definition_the_loader_accepts(tmp_path: Path):
    path = write_workbook(tmp_path / "household.xlsx")

    written = import_workbook(path, tmp_path / "forms")

    assert written == tmp_path / "forms" / "household_survey.json"
    form = load_form(written)
    assert (form.id, form.version, form.default_language) == ("household_survey", "2026.1", "vi")
    assert form.title == {"vi": "Khảo sát hộ gia đình", "en": "Household survey"}
    assert [page.name for page in form.pages] == ["place", "people"]
    assert form.pages[1].label == {"vi": "Thành viên", "en": "Members"}

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
    assert fields["card"].relevant.text == "${member_insured} = 'yes'"
    assert fields["member_count"].calculation.text == "count(${members})"
    assert fields["mismatch"].relevant.references == {"member_count", "member_total"}
    people = form.pages[1]
    assert isinstance(people.children[1], Repeat) and isinstance(people.children[-1], Field)
    assert all(isinstance(page, Group) for page in form.children)


def test_convert_gives_the_definition_row_for_row_without_cosmetic_appearance(tmp_path: Path):
    definition = convert_workbook(write_workbook(tmp_path / "household.xlsx"))

    assert definition["survey"][0] == {"type": "begin_group", "name": "place",
                                       "label": {"vi": "Nơi ở", "en": "Residence"}}
    assert definition["survey"][4] == {"type": "end_group"}
    assert len(definition["survey"]) == 16, "the blank row is skipped"
    assert definition["survey"][10]["type"] == "select_one yes_no"
    assert "appearance" not in definition["survey"][10]
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
    definition = convert_workbook(write_workbook(tmp_path / "f.xlsx", survey=survey,
                                                 choices=None, settings=settings))

    assert definition["version"] == "3"
    assert definition["title"] == {"vi": "Mẫu ngắn"}
    assert definition["survey"][1] == {"type": "text", "name": "full_name",
                                       "label": {"vi": "Họ tên", "en": "Name"}, "required": "YES"}


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
    definition = convert_workbook(write_workbook(tmp_path / "f.xlsx", survey=survey))
    assert "$kuid" not in json.dumps(definition)


@pytest.mark.parametrize("type_", ["geopoint", "image", "audio", "barcode", "range", "rank",
                                   "start", "select_one_from_file places.csv"])
def test_an_unknown_type_is_refused_with_its_row(tmp_path: Path, type_: str):
    message = refusal(tmp_path, survey=with_cell(SURVEY, 11, "type", type_))
    assert "survey sheet row 11: " in message
    assert f"type '{type_}' is not supported" in message


@pytest.mark.parametrize("column", ["media::image", "trigger", "parameters", "read_only",
                                    "body::accept", "relevant::vi"])
def test_an_unknown_column_with_content_is_refused_naming_it(tmp_path: Path, column: str):
    message = refusal(tmp_path, survey=with_cell(SURVEY, 12, column, "x"))
    assert "survey sheet row 12: " in message
    assert f"column '{column}'" in message


def test_content_under_no_header_is_refused(tmp_path: Path):
    survey = with_cell(SURVEY, 9, "placeholder", "stray")
    survey[0][-1] = None
    message = refusal(tmp_path, survey=survey)
    assert "survey sheet row 9: a column with no header holds content" in message


def test_an_unknown_language_is_refused(tmp_path: Path):
    message = refusal(tmp_path, survey=with_cell(SURVEY, 3, "label::Klingon", "Qo'noS"))
    assert "survey sheet row 3: column 'label::Klingon': unknown language 'Klingon'" in message


def test_an_unknown_field_reference_names_the_excel_row_and_the_reference(tmp_path: Path):
    # Row 14 comes after the blank row 7: the loader's own row number would be 12.
    message = refusal(tmp_path, survey=with_cell(SURVEY, 14, "relevant", "${insured} = 'yes'"))
    assert "survey sheet row 14 (field 'card'): relevant refers to unknown field ${insured}" \
        in message


def test_a_malformed_expression_names_the_excel_row(tmp_path: Path):
    message = refusal(tmp_path, survey=with_cell(SURVEY, 12, "constraint", ". < "))
    assert "survey sheet row 12 (field 'member_age'): malformed constraint" in message


def test_a_select_whose_list_is_missing_is_refused(tmp_path: Path):
    message = refusal(tmp_path, survey=with_cell(SURVEY, 13, "type", "select_one insured"))
    assert "survey sheet row 13 (field 'member_insured'): choice list 'insured' is not in " \
        "'choices'" in message


def test_or_other_is_refused(tmp_path: Path):
    message = refusal(tmp_path, survey=with_cell(SURVEY, 13, "type", "select_one yes_no or_other"))
    assert "survey sheet row 13: " in message and "'or_other' is not supported" in message


@pytest.mark.parametrize("column", ["form_id", "version"])
def test_a_missing_form_id_or_version_is_refused(tmp_path: Path, column: str):
    settings = with_cell(SETTINGS, 2, column, None)
    message = refusal(tmp_path, settings=settings)
    assert f"settings sheet row 2: missing {column}" in message


def test_a_missing_settings_sheet_is_refused(tmp_path: Path):
    path = tmp_path / "f.xlsx"
    book = Workbook()
    book.active.title = "survey"
    book.active.append(["type", "name", "label"])
    book.active.append(["text", "name", "Tên"])
    book.save(path)
    with pytest.raises(FormImportError, match="no 'settings' sheet"):
        convert_workbook(path)


def test_a_choice_filter_on_a_column_no_choice_has_is_refused(tmp_path: Path):
    message = refusal(tmp_path, survey=with_cell(SURVEY, 4, "choice_filter",
                                                 "region = ${province}"))
    assert "survey sheet row 4 (field 'district'): choice_filter refers to 'region'" in message


def test_an_appearance_that_changes_the_answer_is_refused(tmp_path: Path):
    message = refusal(tmp_path, survey=with_cell(SURVEY, 9, "appearance", "numbers"))
    assert "survey sheet row 9: appearance 'numbers' is not supported" in message


def test_a_label_that_shows_an_answer_is_refused(tmp_path: Path):
    message = refusal(tmp_path, survey=with_cell(SURVEY, 11, EN, "Name of ${member_total}"))
    assert "survey sheet row 11: label (en) shows an answer with ${...}" in message


def test_a_column_a_group_cannot_use_is_refused(tmp_path: Path):
    message = refusal(tmp_path, survey=with_cell(SURVEY, 8, "constraint", ". > 1"))
    assert "survey sheet row 8: 'constraint' cannot be used on a begin_group row" in message


def test_a_row_with_content_but_no_type_is_refused(tmp_path: Path):
    message = refusal(tmp_path, survey=with_cell(SURVEY, 20, "name", "orphan"))
    assert "survey sheet row 20: the row has content but no type" in message


def test_an_unclosed_group_names_its_row(tmp_path: Path):
    message = refusal(tmp_path, survey=SURVEY[:-1])
    assert "survey sheet row 8 (field 'people'): 'begin_group' is never closed" in message


def test_a_duplicate_choice_is_refused_with_both_rows(tmp_path: Path):
    choices = [*CHOICES, ["yes_no", "yes", "Vâng", "Yes", None]]
    message = refusal(tmp_path, choices=choices)
    assert "choices sheet row 9: duplicate choice 'yes' in list 'yes_no', first on row 7" \
        in message


def test_a_choice_without_a_vietnamese_label_names_its_choices_row(tmp_path: Path):
    message = refusal(tmp_path, choices=with_cell(CHOICES, 5, VI, None))
    assert "choices sheet row 5 (list 'districts'): 'label' has no Vietnamese text" in message


def test_a_media_column_in_choices_is_refused(tmp_path: Path):
    message = refusal(tmp_path, choices=with_cell(CHOICES, 2, "media::image", "hanoi.png"))
    assert "choices sheet row 2: column 'media::image' is not supported" in message


def test_external_choices_are_refused(tmp_path: Path):
    message = refusal(tmp_path, external_choices=[["list_name", "name"], ["x", "y"]])
    assert "external_choices sheet: choices from an external file are not supported" in message


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path):
    path = tmp_path / "form.xlsx"
    path.write_text("not a workbook", encoding="utf-8")
    with pytest.raises(FormImportError, match="cannot read the workbook"):
        convert_workbook(path)


def test_the_same_id_and_version_is_never_overwritten(tmp_path: Path):
    out = tmp_path / "forms"
    first = import_workbook(write_workbook(tmp_path / "a.xlsx"), out)
    before = first.read_bytes()
    changed = with_cell(SURVEY, 11, EN, "Changed")

    with pytest.raises(FormImportError, match=r"already holds form 'household_survey' version "
                                              r"2026\.1; bump the version"):
        import_workbook(write_workbook(tmp_path / "b.xlsx", survey=changed), out)
    assert first.read_bytes() == before

    bumped = with_cell(SETTINGS, 2, "version", "2026.2")
    second = import_workbook(write_workbook(tmp_path / "c.xlsx", survey=changed,
                                            settings=bumped), out)
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


def test_two_columns_for_the_same_text_and_language_are_refused(tmp_path: Path):
    message = refusal(tmp_path, survey=with_cell(SURVEY, 3, "label", "Tỉnh/thành phố"))
    assert f"survey sheet: columns '{VI}' and 'label' both give label in 'vi'" in message
