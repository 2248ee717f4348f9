"""The XLSForm structures Kobo and early ODK forms lean on, which FieldKit's one-answer-per-name
definitions cannot hold as written: loops over a choice list, the same question name in two
groups, sibling answers written as XPath (`../zone`), the title set from the survey sheet,
choices kept on the external_choices sheet. Each is checked by what reaches the volunteer (the
questions asked, which answer an expression reads) and by what the officer is told.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from fieldkit.core.forms.answers import check_answers
from fieldkit.core.forms.definition import FormDefinition, load_form, walk
from fieldkit.core.forms.expressions import Context, compile_expression
from fieldkit.core.forms.workbook import read_workbook
from fieldkit.core.forms.xlsform import Conversion, read_form
from tests.core.test_xlsform import write_workbook
from tests.core.test_xlsform_features import loaded, refusal, rows_by_name, warning_at

TODAY = date(2026, 12, 6)
HEADER = ["type", "name", "label"]
SETTINGS = [["form_id", "version", "form_title"], ["khao_sat", "3", "Khảo sát"]]
TRANSPORT = [["list_name", "name", "label"], ["transport", "bus", "xe buýt"],
             ["transport", "boat", "thuyền"], ["transport", "none", "không có"]]


def form_of(tmp_path: Path, survey: list[list[Any]], choices: list[list[Any]] | None = None,
            **sheets: list[list[Any]]) -> Conversion:
    return read_form(write_workbook(tmp_path / "form.xlsx", survey=survey, choices=choices,
                                    settings=SETTINGS, **sheets))


def names_in(definition: FormDefinition) -> list[str]:
    return [node.name for node in walk(definition.children)]


# --- loops over a choice list -------------------------------------------------------------

LOOP = [[*HEADER, "relevant", "required"],
        ["select_multiple transport", "used", "Phương tiện nào đi được?"],
        ["begin loop over transport", "how_often"],
        ["integer", "trips", "Bao nhiêu chuyến %(label)s mỗi tuần?",
         "selected(${used}, '%(name)s')", "yes"],
        ["end loop"]]


def test_a_loop_asks_its_questions_once_per_choice_in_a_group_named_after_it(tmp_path: Path):
    conversion = form_of(tmp_path, LOOP, TRANSPORT)
    form = loaded(tmp_path, conversion)
    # pyxform leaves a select's "none" answer out of a loop; each copy is its own group.
    assert names_in(form) == ["used", "how_often", "bus", "trips", "boat", "boat_trips"]
    rows = rows_by_name(conversion)
    assert rows["bus"]["label"] == {"vi": "xe buýt"}
    assert rows["trips"]["label"] == {"vi": "Bao nhiêu chuyến xe buýt mỗi tuần?"}
    assert rows["boat_trips"]["label"] == {"vi": "Bao nhiêu chuyến thuyền mỗi tuần?"}
    assert rows["boat_trips"]["relevant"] == "selected(${used}, 'boat')"
    # The renamed copy is reported on the loop's row, in both languages.
    warning = warning_at(conversion, "survey", 4, "name")
    assert "'boat_trips'" in warning.en and "'boat_trips'" in warning.vi


def test_a_loop_copy_is_asked_only_when_its_choice_was_picked(tmp_path: Path):
    form = loaded(tmp_path, form_of(tmp_path, LOOP, TRANSPORT))
    # Buses were not picked, so their (required) question is not asked.
    assert check_answers(form, {"used": "boat", "boat_trips": 2}, TODAY) == []
    problems = check_answers(form, {"used": "bus boat", "boat_trips": 2}, TODAY)
    assert [p.field for p in problems] == ["trips"]


def test_a_loop_over_a_missing_list_or_left_open_is_refused_on_its_row(tmp_path: Path):
    missing = refusal(write_workbook(tmp_path / "a.xlsx", survey=LOOP, choices=None,
                                     settings=SETTINGS))
    assert any(p.row == 3 and "goes over list 'transport', which is not on the choices "
               "sheet" in p.en and p.vi for p in missing.problems)
    unclosed = refusal(write_workbook(tmp_path / "b.xlsx", survey=LOOP[:-1], choices=TRANSPORT,
                                      settings=SETTINGS))
    assert any(p.row == 3 and "never closed with 'end loop'" in p.en for p in unclosed.problems)
    stray = refusal(write_workbook(tmp_path / "c.xlsx",
                                   survey=[HEADER, ["text", "q", "Câu hỏi"], ["end loop"]],
                                   choices=None, settings=SETTINGS))
    assert [(p.row, p.en) for p in stray.problems] == [
        (3, "'end loop' with no 'begin loop' open")]


# --- the same name in two groups ----------------------------------------------------------

HOUSEHOLD = [[*HEADER, "relevant", "calculation"],
             ["text", "name", "Tên chủ hộ"],
             ["begin repeat", "child", "Con"],
             ["text", "name", "Tên con"],
             ["note", "greet", "Chào ${name}"],
             ["end repeat"],
             ["begin group", "spouse", "Vợ/chồng"],
             ["text", "name", "Tên vợ/chồng"],
             ["integer", "age", "Tuổi của ${name}"],
             ["end group"],
             ["calculate", "head", None, None, "concat('Chủ hộ: ', ${name})"]]


def test_a_name_used_again_in_another_group_is_renamed_after_that_group(tmp_path: Path):
    conversion = form_of(tmp_path, HOUSEHOLD)
    rows = rows_by_name(conversion)
    assert [r.get("name") for r in conversion.definition["survey"]] == [
        "name", "child", "child_name", "greet", None, "spouse", "spouse_name", "age", None,
        "head"]
    for row, renamed in ((4, "child_name"), (8, "spouse_name")):
        warning = warning_at(conversion, "survey", row, "name")
        assert f"'{renamed}'" in warning.en and "row 2" in warning.en
    # ${name} means the one nearest around the row that shows it, as in pyxform's repeats.
    assert rows["greet"]["label"] == {"vi": "Chào ${child_name}"}
    assert rows["age"]["label"] == {"vi": "Tuổi của ${spouse_name}"}
    assert rows["head"]["calculation"] == "concat('Chủ hộ: ', ${name})"
    form = loaded(tmp_path, conversion)
    answers = {"name": "Lò Văn Páo", "child": [{"child_name": "Lò Thị Mai"}],
               "spouse_name": "Tòng Thị Xuân", "age": 41}
    assert check_answers(form, answers, TODAY) == []


def test_a_name_shared_by_two_groups_and_named_from_neither_is_refused(tmp_path: Path):
    survey = [[*HEADER, "relevant"],
              ["begin group", "a", "A"], ["text", "phone", "Điện thoại"], ["end group"],
              ["begin group", "b", "B"], ["text", "phone", "Điện thoại"], ["end group"],
              ["note", "n", "Đã ghi", "${phone} != ''"]]
    error = refusal(write_workbook(tmp_path / "f.xlsx", survey=survey, choices=None,
                                   settings=SETTINGS))
    (problem,) = error.problems
    assert (problem.sheet, problem.row, problem.column) == ("survey", 8, "relevant")
    assert "${phone} is ambiguous: 2 questions in different groups" in problem.en
    assert problem.vi and problem.vi != problem.en


def test_the_same_name_twice_in_one_group_is_refused_with_both_rows(tmp_path: Path):
    survey = [HEADER, ["text", "ten", "Tên"], ["begin group", "g", "G"],
              ["text", "ten", "Tên"], ["text", "ten", "Tên lại"], ["end group"]]
    error = refusal(write_workbook(tmp_path / "f.xlsx", survey=survey, choices=None,
                                   settings=SETTINGS))
    (problem,) = error.problems
    assert (problem.row, problem.column) == (5, "name")
    assert problem.en == ("name 'ten' is already used on row 4 in the same group; choose "
                          "another name")


# --- early XLSForm habits -----------------------------------------------------------------

def test_a_sibling_written_as_an_xpath_path_is_read_as_that_field(tmp_path: Path):
    survey = [[*HEADER, "relevant"], ["select_one zone", "zone", "Vùng"],
              ["text", "hamlet", "Thôn", "../zone = 'north'"],
              ["text", "note_text", "Ghi chú", "../other/x = 'a'"]]
    choices = [["list_name", "name", "label"], ["zone", "north", "Bắc"],
               ["zone", "south", "Nam"]]
    conversion = form_of(tmp_path, survey[:3], choices)
    assert rows_by_name(conversion)["hamlet"]["relevant"] == "${zone} = 'north'"
    # A path that names no field of the form is left for the expression check to refuse.
    error = refusal(write_workbook(tmp_path / "g.xlsx", survey=survey, choices=choices,
                                   settings=SETTINGS))
    assert [p.row for p in error.problems] == [4]


def test_set_form_title_and_id_rows_name_the_form_unless_settings_do(tmp_path: Path):
    survey = [HEADER, ["set form title", "Điều tra dân số thôn"], ["set form id", "dieu_tra"],
              ["text", "q", "Câu hỏi"]]
    conversion = read_form(write_workbook(tmp_path / "f.xlsx", survey=survey, choices=None,
                                          settings=[["version"], ["2"]]))
    assert conversion.definition["id"] == "dieu_tra"
    assert conversion.definition["title"] == {"vi": "Điều tra dân số thôn"}
    assert [r["name"] for r in conversion.definition["survey"]] == ["q"]
    overridden = read_form(write_workbook(tmp_path / "g.xlsx", survey=survey, choices=None,
                                          settings=SETTINGS))
    assert overridden.definition["id"] == "khao_sat"


def test_a_note_without_a_name_gets_pyxforms_generated_name(tmp_path: Path):
    conversion = form_of(tmp_path, [HEADER, ["note", None, "Cảm ơn gia đình"],
                                    ["text", "q", "Câu hỏi"]])
    assert rows_by_name(conversion)["generated_note_name_2"]["label"] == {
        "vi": "Cảm ơn gia đình"}


def test_curly_quotes_typed_in_an_expression_are_straightened_with_a_warning(tmp_path: Path):
    survey = [[*HEADER, "relevant"], ["select_one yn", "married", "Đã kết hôn?"],
              ["text", "spouse", "Tên vợ/chồng", "${married} = ‘yes’"],
              ["text", "nick", "Tên gọi", "${spouse} != “it’s”"]]
    choices = [["list_name", "name", "label"], ["yn", "yes", "Có"], ["yn", "no", "Không"]]
    conversion = form_of(tmp_path, survey, choices)
    rows = rows_by_name(conversion)
    assert rows["spouse"]["relevant"] == "${married} = 'yes'"
    assert "curly quotes" in warning_at(conversion, "survey", 3, "relevant").en
    # Inside a string a curled apostrophe is text, and stays.
    assert rows["nick"]["relevant"] == "${spouse} != \"it’s\""


def test_a_stray_word_on_the_choices_sheet_is_passed_over_with_a_warning(tmp_path: Path):
    choices = [["list_name", "name", "label"], ["yn", "yes", "Có"], [None, None, "Không"],
               ["No"], ["yn", "no", "Không"]]
    conversion = form_of(tmp_path, [HEADER, ["select_one yn", "q", "Có không?"]], choices)
    assert [c["name"] for c in conversion.definition["choices"]["yn"]] == ["yes", "no"]
    for row in (3, 4):
        assert "not a choice" in warning_at(conversion, "choices", row, None).en


# --- sheets of ODK features -----------------------------------------------------------------

def test_select_one_external_asks_the_list_of_the_external_choices_sheet(tmp_path: Path):
    survey = [[*HEADER, "choice_filter"], ["select_one province", "province", "Tỉnh"],
              ["select_one_external commune", "commune", "Xã", "province=${province}"]]
    choices = [["list_name", "name", "label"], ["province", "dien_bien", "Điện Biên"],
               ["province", "lai_chau", "Lai Châu"],
               # The choices sheet may use the list name too; the external list stays apart.
               ["commune", "x", "không dùng"]]
    external = [["list_name", "name", "label", "province"],
                ["commune", "muong_nhe", "Mường Nhé", "dien_bien"],
                ["commune", "sin_ho", "Sìn Hồ", "lai_chau"]]
    conversion = form_of(tmp_path, survey, choices, external_choices=external)
    form = loaded(tmp_path, conversion)
    commune = next(f for f in form.fields() if f.name == "commune")
    assert [c.name for c in form.choices[commune.list_name or ""]] == ["muong_nhe", "sin_ho"]
    assert check_answers(form, {"province": "lai_chau", "commune": "sin_ho"}, TODAY) == []
    assert check_answers(form, {"province": "lai_chau", "commune": "muong_nhe"}, TODAY)


def test_osm_questions_are_kept_empty_and_entities_ignored_with_warnings(tmp_path: Path):
    survey = [HEADER, ["osm building", "house", "Ngôi nhà"], ["text", "q", "Câu hỏi"]]
    conversion = form_of(tmp_path, survey, None,
                         osm=[["list_name", "name", "label"], ["building", "roof", "Mái"]],
                         entities=[["list_name", "label"], ["households", "${q}"]])
    rows = rows_by_name(conversion)
    assert rows["house"]["type"] == "note"
    assert "OpenStreetMap tags" in warning_at(conversion, "survey", 2, "type").en
    assert "osm" in warning_at(conversion, "osm", None, None).en
    assert "entities" in warning_at(conversion, "entities", None, None).en


# --- answers inside choice labels -----------------------------------------------------------

def test_a_choice_label_may_show_an_answer_and_must_name_a_real_field(tmp_path: Path):
    survey = [HEADER, ["text", "first", "Tên người thứ nhất"],
              ["select_one who", "head", "Ai là chủ hộ?"]]
    choices = [["list_name", "name", "label"], ["who", "a", "${first}"],
               ["who", "b", "Người khác"]]
    conversion = form_of(tmp_path, survey, choices)
    assert conversion.definition["choices"]["who"][0]["label"] == {"vi": "${first}"}
    broken = [["list_name", "name", "label"], ["who", "a", "${frist}"]]
    error = refusal(write_workbook(tmp_path / "g.xlsx", survey=survey, choices=broken,
                                   settings=SETTINGS))
    (problem,) = error.problems
    assert problem.row == 3
    assert problem.en == "choice 'a' shows unknown field ${frist}"
    assert problem.vi.startswith("lựa chọn 'a' hiển thị ${frist}")


# --- formulas and maths ---------------------------------------------------------------------

def test_a_formula_without_a_saved_result_in_a_calculated_file_reads_as_empty(tmp_path: Path):
    """Excel saves an empty result as no value; only a file where no formula has any result
    was never calculated."""
    import zipfile

    path = write_workbook(tmp_path / "f.xlsx", settings=SETTINGS, choices=None,
                          survey=[HEADER, ["text", "q", '=IF(1=1, "Câu hỏi", "")'],
                                  ["note", "n", '=IF(1=2, "x", "")']])
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    sheet = "xl/worksheets/sheet1.xml"
    xml = parts[sheet].decode("utf-8")
    parts[sheet] = xml.replace('<c r="C2">', '<c r="C2" t="str">').replace(
        "<v />", "<v>Câu hỏi</v>", 1).encode("utf-8")
    with zipfile.ZipFile(path, "w") as target:
        for name, data in parts.items():
            target.writestr(name, data)
    book = read_workbook(path)
    assert book.problems == []
    assert book.sheets["survey"].rows == [(2, {0: "text", 1: "q", 2: "Câu hỏi"}),
                                          (3, {0: "note", 1: "n"})]


def test_many_uncalculated_formulas_are_reported_once_per_sheet(tmp_path: Path):
    survey = [HEADER] + [["text", f"q{i}", f'=CONCATENATE("a", "{i}")'] for i in range(30)]
    error = refusal(write_workbook(tmp_path / "f.xlsx", survey=survey, choices=None,
                                   settings=SETTINGS))
    formula = [p for p in error.problems if "never calculated" in p.en]
    assert [(p.sheet, p.row, p.column) for p in formula] == [("survey", 2, "C")]
    assert "29 more formula cells" in formula[0].en and "29" in formula[0].vi


@pytest.mark.parametrize(("expression", "expected"), [
    ("round(15 div sqrt(cos(atan(${slope} div 100))), 2)", 15.23),
    ("round(sin(pi() div 2), 3)", 1.0),
    ("round(atan2(1, 1) * 4, 4)", 3.1416),
    ("log10(1000)", 3.0),
    ("round(exp(1), 4)", 2.7183),
    ("exp10(2)", 100.0),
    ("round(log(exp(2)), 6)", 2.0),
])
def test_odk_maths_functions_compute_what_collect_computes(expression: str, expected: float):
    """The slope correction of pyxform's UCL biomass plot form, and the rest of ODK's maths."""
    value = compile_expression(expression).evaluate_number(Context({"slope": 25}, "", TODAY))
    assert value == pytest.approx(expected)


@pytest.mark.parametrize("expression", ["log(-1)", "acos(2)", "log10(0)", "exp(100000)"])
def test_maths_outside_a_functions_domain_gives_nan_not_a_crash(expression: str):
    value = compile_expression(expression).evaluate_number(Context({}, "", TODAY))
    assert value != value  # NaN, as JavaRosa gives


def test_the_definition_written_is_plain_json_the_loader_reads(tmp_path: Path):
    conversion = form_of(tmp_path, HOUSEHOLD)
    path = tmp_path / "form.json"
    path.write_text(json.dumps(conversion.definition, ensure_ascii=False), encoding="utf-8")
    assert load_form(path).id == "khao_sat"


def test_every_finding_of_the_loader_is_listed_with_its_row(tmp_path: Path):
    """Unknown names are only found once the whole form is read; each row is reported, not
    just the first, so the officer fixes the workbook in one go."""
    survey = [[*HEADER, "relevant"], ["text", "q1", "Một"], ["text", "q2", "Hai", "${nope} = 1"],
              ["text", "q3", "Ba ${missing}"], ["integer", "q4", "Bốn", "${q1} != ''"],
              ["text", "q5", "Năm", "${gone} > 2"]]
    error = refusal(write_workbook(tmp_path / "f.xlsx", survey=survey, choices=None,
                                   settings=SETTINGS))
    assert [(p.row, p.en) for p in error.problems] == [
        (3, "relevant refers to unknown field ${nope}"),
        (4, "label shows unknown field ${missing}"),
        (6, "relevant refers to unknown field ${gone}"),
    ]
    assert all(p.vi and p.vi != p.en for p in error.problems)
