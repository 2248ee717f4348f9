"""Definitions arrive from synced files and answers from anyone: neither may crash, hang or
exhaust memory, and each refusal must say what to fix."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from fieldkit.core.forms.answers import (
    MAX_NUMBER_TEXT,
    _as_count,
    _calculation_order,
    check_answers,
    evaluate_answers,
)
from fieldkit.core.forms.definition import (
    FormDefinition,
    FormError,
    load_form,
    load_forms,
    load_forms_reporting,
)
from fieldkit.core.forms.expressions import (
    MAX_REGEX_SUBJECT,
    MAX_STRING,
    Context,
    ExpressionError,
    compile_expression,
)
from fieldkit.core.forms.workbook import MAX_COLUMNS, MAX_ROWS
from fieldkit.core.forms.xlsform import FormImportError, convert_workbook, import_workbook

ROOT = Path(__file__).resolve().parents[2]
FORMS_DIR = ROOT / "forms"
SHIPPED = sorted(FORMS_DIR.glob("*.json"))
TODAY = date(2026, 11, 22)


def vi(text: str) -> dict[str, str]:
    return {"vi": text, "en": text}


def definition(survey: list[dict[str, Any]], choices: dict[str, Any] | None = None,
               version: str = "1") -> dict[str, Any]:
    return {"id": "hard", "version": version, "title": vi("Thử"), "survey": survey,
            "choices": choices or {}}


def write(tmp_path: Path, data: object, name: str = "hard.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False),
                    encoding="utf-8")
    return path


def load(tmp_path: Path, data: object) -> FormDefinition:
    return load_form(write(tmp_path, data))


def refused(tmp_path: Path, data: object) -> FormError:
    with pytest.raises(FormError) as caught:
        load(tmp_path, data)
    return caught.value


def evaluate(text: str, **values: object) -> object:
    return compile_expression(text).evaluate(Context(values, "", TODAY))


# --- 1. answers never raise ------------------------------------------------------------------

NUMBERS = definition([
    {"type": "integer", "name": "n", "label": vi("Số")},
    {"type": "decimal", "name": "d", "label": vi("Thập phân")},
    {"type": "province", "name": "prov", "label": vi("Tỉnh")},
    {"type": "begin_repeat", "name": "items", "label": vi("Mục"), "repeat_count": "${n}"},
    {"type": "text", "name": "item_name", "label": vi("Tên")},
    {"type": "end_repeat"},
])


@pytest.mark.parametrize("name", ["n", "d", "prov"])
def test_numeric_text_longer_than_the_cap_is_a_problem_not_a_crash(tmp_path: Path, name: str):
    form = load(tmp_path, NUMBERS)
    problems = check_answers(form, {name: "9" * 5000}, TODAY)
    assert [p.field for p in problems] == [name]
    assert "số quá dài" in problems[0].message
    # At the cap it still reads as a number.
    assert check_answers(form, {"n": "1" * MAX_NUMBER_TEXT, "items": []}, TODAY) != []
    assert not [p for p in check_answers(form, {"d": "1" * MAX_NUMBER_TEXT}, TODAY)
                if p.field == "d"]


def test_an_infinite_or_huge_repeat_count_gives_no_count_check(tmp_path: Path):
    assert _as_count(float("inf")) is None
    assert _as_count(float("-inf")) is None
    assert _as_count(float("nan")) is None
    assert _as_count("9" * 5000) is None
    assert _as_count(3.0) == 3
    form = load(tmp_path, NUMBERS)
    assert check_answers(form, {"d": 1e308, "n": 10 ** 400}, TODAY) is not None


JSON_LIKE = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner,
                                                                 max_size=4),
    max_leaves=20,
)


def _answer_strategy(form: FormDefinition) -> st.SearchStrategy[dict[str, Any]]:
    names = [f.name for f in form.fields()] + [r.name for r in form.repeats()]
    entry = st.dictionaries(st.sampled_from(names), JSON_LIKE, max_size=6)
    value = JSON_LIKE | st.lists(entry, max_size=3)
    return st.dictionaries(st.sampled_from(names) | st.text(max_size=6), value, max_size=12)


@pytest.mark.parametrize("path", SHIPPED, ids=[p.stem for p in SHIPPED])
def test_check_answers_never_raises_on_json_like_answers(path: Path):
    form = load_form(path)

    @settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
    @given(_answer_strategy(form))
    def check(answers: dict[str, Any]) -> None:
        assert isinstance(check_answers(form, answers, TODAY), list)

    check()


def test_answers_that_are_not_an_object_or_nest_too_deep_are_problems():
    form = load_form(SHIPPED[0])
    assert check_answers(form, [], TODAY)  # type: ignore[arg-type]
    deep: object = "x"
    for _ in range(5000):
        deep = [deep]
    name = next(form.fields()).name
    assert isinstance(check_answers(form, {name: deep}, TODAY), list)


# --- 2. expressions stay bounded -------------------------------------------------------------

@pytest.mark.parametrize("pattern", ["(a+)+", "(a*)*", "(a|a)*", "(.*a){3}", "(?:a+)+b",
                                     "^(ab|cd)*$", "((a)+)*"])
def test_a_literal_pattern_with_nested_quantifiers_is_refused(pattern: str):
    with pytest.raises(ExpressionError, match="pattern may take exponential time"):
        compile_expression(f"regex(., '{pattern}')")


@pytest.mark.parametrize("pattern", ["^GD[0-9]{13}$", "^[0-9]{3}[13579]", "(a|b)*", "(ab)+",
                                     "^[^@ ]+@[^@ ]+[.][^@ ]+$", "^(0|84)?[0-9]{9}$"])
def test_ordinary_patterns_are_still_accepted(pattern: str):
    compile_expression(f"regex(., '{pattern}')")


def test_regex_looks_only_at_the_start_of_a_long_text():
    expression = compile_expression("regex(${t}, 'b')")
    assert expression.evaluate_bool(Context({"t": "a" * (MAX_REGEX_SUBJECT - 1) + "b"}))
    assert not expression.evaluate_bool(Context({"t": "a" * MAX_REGEX_SUBJECT + "b"}))


def test_a_dangerous_pattern_from_an_answer_is_never_run():
    started = time.monotonic()
    assert evaluate("regex(${t}, ${p})", t="a" * 40 + "!", p="(a+)+$") is False
    assert evaluate("regex(${t}, ${p})", t="abc", p="b" * 500) is False
    assert time.monotonic() - started < 1


def test_built_strings_are_truncated_to_the_cap():
    doubled = "concat(${x}, ${x}, ${x})"
    assert len(evaluate(doubled, x="a" * MAX_STRING)) == MAX_STRING  # type: ignore[arg-type]
    assert evaluate("concat('ab', 'c')") == "abc"
    assert len(evaluate("string(${x})", x="a" * (MAX_STRING + 5))) == MAX_STRING  # type: ignore
    assert len(evaluate("substr(${x}, 1)", x="a" * (MAX_STRING + 5))) == MAX_STRING  # type: ignore
    assert len(evaluate("format-date('2020-01-01', ${p})",  # type: ignore[arg-type]
                        p="%Y" * MAX_STRING)) == MAX_STRING


def test_a_chain_of_doubling_calculations_stays_small(tmp_path: Path):
    survey: list[dict[str, Any]] = [{"type": "text", "name": "c0", "label": vi("Bắt đầu")}]
    survey += [{"type": "calculate", "name": f"c{i}",
                "calculation": f"concat(${{c{i - 1}}}, ${{c{i - 1}}})"} for i in range(1, 80)]
    form = load(tmp_path, definition(survey))
    evaluation = evaluate_answers(form, {"c0": "ab"}, TODAY)
    assert len(evaluation.values["c79"]) == MAX_STRING


def test_evaluation_never_raises_recursion_or_memory_errors():
    deep: object = {}
    for _ in range(5000):
        deep = {"k": deep}
    assert evaluate("concat(${x}, 'a')", x=deep) == "a"
    assert compile_expression("string-length(${x}) > 0").evaluate_bool(Context({"x": deep})) \
        is False


def test_round_with_absurd_places_gives_a_number():
    assert evaluate("round(1.5, 1000000000)") == 1.5
    assert evaluate("round(1.5, -1000000000)") in (0.0, 1.5)


# --- 3. definitions ---------------------------------------------------------------------------

def test_many_calculations_in_reverse_order_load_and_evaluate(tmp_path: Path):
    count = 1500
    survey: list[dict[str, Any]] = [
        {"type": "calculate", "name": f"c{i}", "calculation": f"${{c{i + 1}}} + 1"}
        for i in range(count)
    ]
    survey.append({"type": "integer", "name": f"c{count}", "label": vi("Gốc")})
    form = load(tmp_path, definition(survey))
    order = _calculation_order(form)
    assert order[0] == f"c{count - 1}" and order[-1] == "c0"
    assert evaluate_answers(form, {f"c{count}": 1}, TODAY).values["c0"] == count + 1


def test_a_long_calculation_cycle_is_still_named(tmp_path: Path):
    survey = [{"type": "calculate", "name": f"c{i}", "calculation": f"${{c{(i + 1) % 1200}}}"}
              for i in range(1200)]
    error = refused(tmp_path, definition(survey))
    assert "calculations form a cycle" in error.reason


def test_deeply_nested_json_is_a_form_error_naming_the_file(tmp_path: Path):
    path = write(tmp_path, "[" * 100_000 + "]" * 100_000)
    with pytest.raises(FormError) as caught:
        load_form(path)
    assert caught.value.file == str(path) and "nested too deeply" in str(caught.value)
    path = write(tmp_path, '{"id": ' + "1" * 5000 + "}", "big.json")
    with pytest.raises(FormError, match=r"big\.json"):
        load_form(path)


def test_deeply_nested_groups_are_refused(tmp_path: Path):
    survey: list[dict[str, Any]] = []
    for i in range(2000):
        survey.append({"type": "begin_group", "name": f"g{i}", "label": vi("Nhóm")})
    survey.append({"type": "text", "name": "t", "label": vi("Chữ")})
    survey += [{"type": "end_group"}] * 2000
    assert "nested more than" in refused(tmp_path, definition(survey)).reason


REPEAT_SURVEY: list[dict[str, Any]] = [
    {"type": "begin_repeat", "name": "members", "label": vi("Người")},
    {"type": "begin_group", "name": "details", "label": vi("Chi tiết")},
    {"type": "integer", "name": "age", "label": vi("Tuổi")},
    {"type": "end_group"},
    {"type": "text", "name": "nick", "label": vi("Tên gọi"), "relevant": "${age} > 3"},
    {"type": "end_repeat"},
]


def test_reading_a_repeat_field_from_outside_is_refused(tmp_path: Path):
    survey = [*REPEAT_SURVEY,
              {"type": "text", "name": "outside", "label": vi("Ngoài"), "relevant": "${age} > 3"}]
    error = refused(tmp_path, definition(survey))
    assert "field 'outside'" in str(error)
    assert "${age}, which is inside repeat 'members'" in error.reason


def test_a_repeat_relevance_cannot_read_its_own_fields(tmp_path: Path):
    survey = [dict(REPEAT_SURVEY[0], relevant="${age} > 1"), *REPEAT_SURVEY[1:]]
    assert "inside repeat 'members'" in refused(tmp_path, definition(survey)).reason


def test_count_may_look_into_a_repeat_and_groups_inside_repeats_are_fine(tmp_path: Path):
    survey = [*REPEAT_SURVEY,
              {"type": "calculate", "name": "total", "calculation": "count(${members})"},
              {"type": "calculate", "name": "ages", "calculation": "count(${age})"}]
    form = load(tmp_path, definition(survey))
    assert [r.name for r in form.repeats()] == ["members"]


def test_count_does_not_excuse_another_read_of_the_same_field(tmp_path: Path):
    survey = [*REPEAT_SURVEY,
              {"type": "calculate", "name": "x", "calculation": "count(${age}) + ${age}"}]
    assert "inside repeat" in refused(tmp_path, definition(survey)).reason


def test_a_repeat_inside_a_repeat_is_checked_entry_by_entry(tmp_path: Path):
    """Households with their members (pyxform's nested repeats): an inner field reads its own
    entry and the outer entry around it, and problems name both indexes."""
    survey = [
        {"type": "begin_repeat", "name": "outer", "label": vi("Hộ")},
        {"type": "integer", "name": "size", "label": vi("Số người")},
        {"type": "begin_group", "name": "g", "label": vi("Nhóm")},
        {"type": "begin_repeat", "name": "inner", "label": vi("Người"),
         "repeat_count": "${size}"},
        {"type": "integer", "name": "age", "label": vi("Tuổi"), "constraint": ". < 120",
         "required": "${size} > 1"},
        {"type": "end_repeat"},
        {"type": "end_group"},
        {"type": "end_repeat"},
        {"type": "calculate", "name": "total_age", "calculation": "sum(${age})"},
    ]
    form = load_form(write(tmp_path, definition(survey)))
    answers = {"outer": [{"size": 2, "inner": [{"age": 30}, {"age": 130}]},
                         {"size": 1, "inner": [{"age": 5}, {"age": 1}]}]}
    evaluation = evaluate_answers(form, answers, date(2026, 1, 1))
    assert {(p.field, p.message[:8]) for p in evaluation.problems} == {
        ("outer[0].inner[1].age", "Giá trị "),
        ("outer[1].inner", "Cần đúng"),
    }
    assert evaluation.values["total_age"] == 166


def test_a_field_outside_a_repeat_cannot_read_one_entry_of_it(tmp_path: Path):
    survey = [
        {"type": "begin_repeat", "name": "outer", "label": vi("Hộ")},
        {"type": "begin_repeat", "name": "inner", "label": vi("Người")},
        {"type": "integer", "name": "age", "label": vi("Tuổi")},
        {"type": "end_repeat"},
        {"type": "text", "name": "note_age", "label": vi("Ghi chú"), "relevant": "${age} > 1"},
        {"type": "end_repeat"},
    ]
    error = refused(tmp_path, definition(survey))
    assert error.where == "field 'note_age' (row 5)"
    assert "inside repeat 'inner'" in error.reason


def test_one_bad_file_does_not_hide_the_others(tmp_path: Path):
    good = definition([{"type": "text", "name": "t", "label": vi("Chữ")}])
    write(tmp_path, good, "a.json")
    write(tmp_path, "{not json", "b.json")
    write(tmp_path, dict(good, id="c"), "c.json")
    forms, errors = load_forms_reporting(tmp_path)
    assert [f.id for f in forms] == ["hard", "c"]
    assert [Path(e.file).name for e in errors] == ["b.json"]
    with pytest.raises(FormError, match=r"b\.json"):
        load_forms(tmp_path)


PROVINCE_FORM = definition(
    [
        {"type": "province", "name": "prov", "label": vi("Tỉnh")},
        {"type": "select_one districts", "name": "district", "label": vi("Huyện"),
         "choice_filter": "province = ${prov}"},
        {"type": "select_one provinces", "name": "picked", "label": vi("Tỉnh (danh sách)")},
        {"type": "select_one districts", "name": "district2", "label": vi("Huyện 2"),
         "choice_filter": "province = ${picked}"},
    ],
    {
        "districts": [
            {"name": "ba_dinh", "label": vi("Ba Đình"), "province": "01"},
            {"name": "quan_1", "label": vi("Quận 1"), "province": "79"},
        ],
        "provinces": [{"name": "01", "label": vi("Hà Nội")},
                      {"name": "79", "label": vi("TP. Hồ Chí Minh")}],
    },
)


@pytest.mark.parametrize("prov", ["1", "01", 1])
def test_province_codes_match_with_or_without_leading_zeros(tmp_path: Path, prov: object):
    form = load(tmp_path, PROVINCE_FORM)
    assert check_answers(form, {"prov": prov, "district": "ba_dinh"}, TODAY) == []
    wrong = check_answers(form, {"prov": prov, "district": "quan_1"}, TODAY)
    assert [p.field for p in wrong] == ["district"]


def test_a_select_one_code_still_matches_its_property(tmp_path: Path):
    form = load(tmp_path, PROVINCE_FORM)
    assert check_answers(form, {"picked": "01", "district2": "ba_dinh"}, TODAY) == []
    assert [p.field for p in check_answers(form, {"picked": "01", "district2": "quan_1"},
                                           TODAY)] == ["district2"]


# --- 4. relevance after calculations settle --------------------------------------------------

def test_relevance_reads_a_calculation_recomputed_after_hiding(tmp_path: Path):
    form = load(tmp_path, definition([
        {"type": "select_one yes_no", "name": "show_a", "label": vi("Hiện a?")},
        {"type": "integer", "name": "a", "label": vi("A"), "relevant": "${show_a} = 'yes'"},
        {"type": "calculate", "name": "c", "calculation": "${a} * 2"},
        {"type": "text", "name": "b", "label": vi("B"), "required": "yes",
         "relevant": "${c} > 5"},
    ], {"yes_no": [{"name": "yes", "label": vi("Có")}, {"name": "no", "label": vi("Không")}]}))
    # a is hidden, so its 10 is dropped, c is no longer 20, and b is not asked.
    evaluation = evaluate_answers(form, {"show_a": "no", "a": 10}, TODAY)
    assert evaluation.problems == []
    assert {"a", "b"} <= evaluation.hidden
    # With a shown, b is required.
    problems = check_answers(form, {"show_a": "yes", "a": 10}, TODAY)
    assert [p.field for p in problems] == ["b"]


# --- 5. workbooks ---------------------------------------------------------------------------

SURVEY = [["type", "name", "label"], ["text", "t", "Chữ"]]
SETTINGS = [["form_id", "version", "form_title"], ["wb", "1", "Thử"]]


def workbook(path: Path, survey: list[list[Any]] = SURVEY,
             settings_rows: list[list[Any]] = SETTINGS) -> Path:
    book = Workbook()
    book.remove(book.active)
    for title, rows in (("survey", survey), ("settings", settings_rows)):
        sheet = book.create_sheet(title)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row, start=1):
                if value is not None:
                    sheet.cell(number, column, value)
    book.save(path)
    return path


def test_a_plain_workbook_still_converts(tmp_path: Path):
    assert convert_workbook(workbook(tmp_path / "f.xlsx"))["version"] == "1"


def test_a_formula_never_calculated_is_refused_with_sheet_row_and_column(tmp_path: Path):
    # openpyxl, like any script, writes the formula without a saved result to read.
    survey = [*SURVEY, ["text", "u", '=CONCATENATE("a", "b")']]
    with pytest.raises(FormImportError) as caught:
        convert_workbook(workbook(tmp_path / "f.xlsx", survey))
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("survey", 3, "C")
    assert "formula that was never calculated" in problem.en and problem.vi


@pytest.mark.parametrize(("version", "cleaned"), [("../../evil", "evil"), ("1 2", "1_2"),
                                                  ("v" * 33, "v" * 32), ("1/2", "1_2"),
                                                  ("phiên bản 2", "phi_n_b_n_2")])
def test_a_version_that_cannot_name_a_file_is_cleaned_and_stays_in_the_folder(
        tmp_path: Path, version: str, cleaned: str):
    out = tmp_path / "forms"
    first = import_workbook(workbook(tmp_path / "a.xlsx"), out)
    second = import_workbook(workbook(tmp_path / "b.xlsx", settings_rows=[
        SETTINGS[0], ["wb", version, "Thử"]]), out)

    assert second.definition["version"] == cleaned
    (warning,) = [w for w in second.warnings if w.column == "version"]
    assert (warning.sheet, warning.row) == ("settings", 2) and cleaned in warning.en
    assert second.path == first.path
    # The replaced version is kept under a name its own version builds: still in `out`.
    assert sorted(p.name for p in out.iterdir()) == ["wb.json", "wb@1.json"]
    assert [p.name for p in tmp_path.iterdir() if p.suffix == ".json"] == []


@pytest.mark.parametrize("version", ["///", "…", "版本"])
def test_a_version_with_nothing_to_name_a_file_is_refused(tmp_path: Path, version: str):
    settings_rows = [SETTINGS[0], ["wb", version, "Thử"]]
    with pytest.raises(FormImportError) as caught:
        import_workbook(workbook(tmp_path / "f.xlsx", settings_rows=settings_rows),
                        tmp_path / "forms")
    (problem,) = caught.value.problems
    assert (problem.sheet, problem.row, problem.column) == ("settings", 2, "version")
    assert "must be letters, digits" in problem.en
    assert not (tmp_path / "forms").exists() or not any((tmp_path / "forms").iterdir())


def test_too_many_rows_or_columns_are_refused(tmp_path: Path):
    wide = [[*SURVEY[0], *([None] * MAX_COLUMNS), "extra"], SURVEY[1]]
    with pytest.raises(FormImportError, match=f"more than {MAX_COLUMNS} columns"):
        convert_workbook(workbook(tmp_path / "wide.xlsx", wide))
    long = [SURVEY[0], *([["text", f"t{i}", "Chữ"] for i in range(MAX_ROWS)])]
    with pytest.raises(FormImportError, match=f"row {MAX_ROWS + 1}: .*more than {MAX_ROWS} rows"):
        convert_workbook(workbook(tmp_path / "long.xlsx", long))


def test_a_malformed_form_already_in_place_is_an_import_error(tmp_path: Path):
    out = tmp_path / "forms"
    out.mkdir()
    (out / "wb.json").write_text('{"id": "wb", "version": "0", "survey": 3}', encoding="utf-8")
    with pytest.raises(FormImportError, match="cannot be read"):
        import_workbook(workbook(tmp_path / "f.xlsx"), out)
    assert not list(out.glob(".*importing"))
