"""Loading form definitions: a good file becomes a tree, a bad one is refused at load time
with the file, the field (or row) and the reason, so whoever edits `forms/` knows what to fix."""

import copy
import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from fieldkit.core.forms.definition import (
    FormError,
    Group,
    Repeat,
    load_form,
    load_forms,
)
from fieldkit.core.forms.expressions import ExpressionError, compile_expression


def vi(text: str) -> dict[str, str]:
    return {"vi": text, "en": text}


GOOD: dict[str, Any] = {
    "id": "sample",
    "version": "2026.1",
    "title": vi("Tờ khai mẫu"),
    "default_language": "vi",
    "survey": [
        {"type": "begin_group", "name": "child", "label": vi("Trẻ")},
        {"type": "text", "name": "child_name", "label": vi("Họ tên trẻ"), "required": "yes",
         "prefill": "person.full_name"},
        {"type": "select_one gender", "name": "child_gender", "label": vi("Giới tính")},
        {"type": "date", "name": "child_dob", "label": vi("Ngày sinh"),
         "constraint": ". <= today()", "constraint_message": vi("Ngày sinh không thể sau hôm nay")},
        {"type": "end_group"},
        {"type": "begin_group", "name": "family", "label": vi("Gia đình"),
         "relevant": "${child_name} != ''"},
        {"type": "integer", "name": "member_count", "label": vi("Số người")},
        {"type": "begin_repeat", "name": "members", "label": vi("Thành viên"),
         "repeat_count": "${member_count}"},
        {"type": "text", "name": "member_name", "label": vi("Họ tên")},
        {"type": "province", "name": "member_province", "label": vi("Tỉnh")},
        {"type": "select_one commune", "name": "member_commune", "label": vi("Xã"),
         "choice_filter": "province = ${member_province}"},
        {"type": "end_repeat"},
        {"type": "calculate", "name": "total", "calculation": "count(${members})"},
        {"type": "end_group"},
    ],
    "choices": {
        "gender": [{"name": "male", "label": vi("Nam")}, {"name": "female", "label": vi("Nữ")}],
        "commune": [{"name": "1", "label": vi("Xã A"), "province": "11"}],
    },
}


def write(tmp_path: Path, data: object, name: str = "sample.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False),
                    encoding="utf-8")
    return path


def test_a_good_definition_becomes_pages_repeats_and_fields(tmp_path: Path):
    form = load_form(write(tmp_path, GOOD))

    assert (form.id, form.version, form.title["vi"], form.default_language) == (
        "sample", "2026.1", "Tờ khai mẫu", "vi")
    assert [page.name for page in form.pages] == ["child", "family"]
    child, family = form.pages
    assert [f.name for f in child.children] == ["child_name", "child_gender", "child_dob"]
    name, gender, dob = child.children
    assert name.required is True and name.prefill == "person.full_name"
    assert (gender.type, gender.list_name) == ("select_one", "gender")
    assert dob.constraint is not None and dob.constraint.uses_dot
    assert dob.constraint_message["vi"] == "Ngày sinh không thể sau hôm nay"
    assert family.relevant is not None and family.relevant.references == {"child_name"}
    repeat = family.children[1]
    assert isinstance(repeat, Repeat) and repeat.repeat_count is not None
    assert [f.name for f in repeat.children] == ["member_name", "member_province",
                                                "member_commune"]
    assert [f.name for f in form.fields()] == [
        "child_name", "child_gender", "child_dob", "member_count", "member_name",
        "member_province", "member_commune", "total"]
    assert [r.name for r in form.repeats()] == ["members"]
    assert [c.name for c in form.choices["gender"]] == ["male", "female"]
    assert form.choices["commune"][0].properties == {"province": "11"}
    assert all(isinstance(page, Group) for page in form.pages)


def test_load_forms_reads_every_json_file_in_name_order(tmp_path: Path):
    second = copy.deepcopy(GOOD) | {"id": "another"}
    write(tmp_path, second, "b.json")
    write(tmp_path, GOOD, "a.json")
    (tmp_path / "README.md").write_text("not a form", encoding="utf-8")

    assert [form.id for form in load_forms(tmp_path)] == ["sample", "another"]


def rows(form: dict[str, Any]) -> list[dict[str, Any]]:
    return form["survey"]


def find(form: dict[str, Any], name: str) -> dict[str, Any]:
    return next(row for row in rows(form) if row.get("name") == name)


Mutation = Callable[[dict[str, Any]], object]

# (case, change to GOOD, text the error must contain: where, then why)
BROKEN: list[tuple[str, Mutation, list[str]]] = [
    ("missing id", lambda f: f.pop("id"), ["header", "missing 'id'"]),
    ("missing version", lambda f: f.pop("version"), ["header", "missing 'version'"]),
    ("missing title", lambda f: f.pop("title"), ["header", "missing 'title'"]),
    ("unknown type", lambda f: find(f, "child_name").update(type="textarea"),
     ["field 'child_name' (row 2)", "unknown type 'textarea'"]),
    ("missing name", lambda f: find(f, "child_name").pop("name"),
     ["row 2", "has no 'name'"]),
    ("invalid name", lambda f: find(f, "child_name").update(name="2nd name"),
     ["field '2nd name' (row 2)", "invalid name"]),
    ("duplicate name", lambda f: find(f, "member_name").update(name="child_name"),
     ["field 'child_name' (row 9)", "duplicate name, first used on row 2"]),
    ("end without begin", lambda f: rows(f).insert(0, {"type": "end_group"}),
     ["row 1", "unbalanced 'end_group'"]),
    ("end_group closing a repeat", lambda f: rows(f).__setitem__(11, {"type": "end_group"}),
     ["row 12", "unbalanced 'end_group'", "'end_repeat'"]),
    ("group never closed", lambda f: rows(f).pop(),
     ["field 'family' (row 6)", "never closed"]),
    ("select without a list", lambda f: find(f, "child_gender").update(type="select_one"),
     ["field 'child_gender' (row 3)", "needs one choice list name"]),
    ("select with a missing list", lambda f: find(f, "child_gender").update(
        type="select_one sex"), ["field 'child_gender' (row 3)", "'sex' is not in 'choices'"]),
    ("duplicate choice", lambda f: f["choices"]["gender"].append(
        {"name": "male", "label": vi("Nam")}), ["choice list 'gender' item 3",
                                               "duplicate choice name 'male'"]),
    ("label without Vietnamese", lambda f: find(f, "child_dob").update(
        label={"en": "Date of birth"}), ["field 'child_dob' (row 4)", "no Vietnamese"]),
    ("hint without Vietnamese", lambda f: find(f, "child_dob").update(hint={"en": "dd"}),
     ["field 'child_dob' (row 4)", "'hint' has no Vietnamese"]),
    ("choice label without Vietnamese", lambda f: f["choices"]["gender"][0].update(
        label={"en": "Male"}), ["choice 'male'", "no Vietnamese"]),
    ("malformed expression", lambda f: find(f, "family").update(relevant="${child_name} !="),
     ["field 'family' (row 6)", "malformed relevant", "position"]),
    ("unknown reference", lambda f: find(f, "family").update(relevant="${child_nmae} != ''"),
     ["field 'family' (row 6)", "unknown field ${child_nmae}"]),
    ("dot outside a constraint", lambda f: find(f, "child_name").update(relevant=". != ''"),
     ["field 'child_name' (row 2)", "only allowed in a constraint"]),
    ("calculate without calculation", lambda f: find(f, "total").pop("calculation"),
     ["field 'total' (row 13)", "needs a 'calculation'"]),
    ("calculation referring to itself", lambda f: find(f, "total").update(
        calculation="${total} + 1"), ["field 'total'", "cycle", "${total} -> ${total}"]),
    ("unknown prefill root", lambda f: find(f, "child_name").update(prefill="mother.full_name"),
     ["field 'child_name' (row 2)", "unknown prefill source 'mother.full_name'"]),
    ("unknown prefill field", lambda f: find(f, "child_name").update(prefill="head.fullname"),
     ["field 'child_name' (row 2)", "head has no field 'fullname'"]),
    ("choice_filter key no choice has", lambda f: find(f, "member_commune").update(
        choice_filter="district = ${member_province}"),
     ["field 'member_commune' (row 11)", "'district'"]),
]


@pytest.mark.parametrize(("mutate", "expected"), [(m, e) for _, m, e in BROKEN],
                         ids=[case for case, _, _ in BROKEN])
def test_a_broken_definition_names_file_field_and_reason(tmp_path: Path, mutate: Mutation,
                                                        expected: list[str]):
    broken = copy.deepcopy(GOOD)
    mutate(broken)
    path = write(tmp_path, broken)

    with pytest.raises(FormError) as caught:
        load_form(path)

    message = str(caught.value)
    assert message.startswith(str(path)), message
    for part in expected:
        assert part in message, message


def test_an_indirect_calculation_cycle_names_every_step(tmp_path: Path):
    form = copy.deepcopy(GOOD)
    rows(form)[-1:-1] = [
        {"type": "calculate", "name": "a", "calculation": "${b} + 1"},
        {"type": "calculate", "name": "b", "calculation": "${c} * 2"},
        {"type": "calculate", "name": "c", "calculation": "${a} - ${member_count}"},
    ]
    with pytest.raises(FormError, match=r"cycle: \$\{a\} -> \$\{b\} -> \$\{c\} -> \$\{a\}"):
        load_form(write(tmp_path, form))


def test_a_malformed_expression_keeps_the_evaluator_reason_and_position(tmp_path: Path):
    form = copy.deepcopy(GOOD)
    find(form, "child_dob").update(constraint=". <= todayy()")
    with pytest.raises(FormError) as caught:
        load_form(write(tmp_path, form))
    message = str(caught.value)
    assert "unknown function 'todayy'" in message
    assert "at position 5" in message


def test_invalid_json_names_the_file_and_the_line(tmp_path: Path):
    path = write(tmp_path, '{"id": "sample",\n  "version": }')
    with pytest.raises(FormError) as caught:
        load_form(path)
    assert str(path) in str(caught.value)
    assert "line 2" in str(caught.value) and "invalid JSON" in str(caught.value)


def test_domain_types_are_known(tmp_path: Path):
    form = copy.deepcopy(GOOD)
    rows(form)[1:1] = [
        {"type": kind, "name": f"x_{kind}", "label": vi(kind)}
        for kind in ("id_number", "phone", "ethnicity", "province", "commune")
    ]
    loaded = load_form(write(tmp_path, form))
    assert [f.type for f in loaded.pages[0].children][:5] == [
        "id_number", "phone", "ethnicity", "province", "commune"]


def test_every_prefill_root_accepts_its_model_fields(tmp_path: Path):
    form = copy.deepcopy(GOOD)
    for number, source in enumerate(("head.id_number", "person.date_of_birth",
                                     "household.address")):
        rows(form).insert(1, {"type": "text", "name": f"p{number}", "label": vi("x"),
                              "prefill": source})
    assert len(list(load_form(write(tmp_path, form)).fields())) == 11


# --- every reason in Vietnamese as well as English ---------------------------------------

# Letters only Vietnamese text has: an English reason can never match, a Vietnamese one
# written without its diacritics cannot either.
VIETNAMESE = re.compile("[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữự"
                        "ỳýỷỹỵ]", re.IGNORECASE)


def assert_in_both_languages(error: FormError) -> None:
    assert error.reason and error.reason_vi, (error.reason, error.reason_vi)
    assert error.reason != error.reason_vi, error.reason
    assert VIETNAMESE.search(error.reason_vi), error.reason_vi


# (case, change to GOOD, where, text the Vietnamese reason must contain)
BROKEN_VI: list[tuple[str, Mutation, str, str]] = [
    ("missing label", lambda f: find(f, "child_name").pop("label"),
     "field 'child_name' (row 2)", "thiếu 'label'"),
    ("unknown type", lambda f: find(f, "child_name").update(type="textarea"),
     "field 'child_name' (row 2)", "loại 'textarea' không được hỗ trợ"),
    ("duplicate name", lambda f: find(f, "member_name").update(name="child_name"),
     "field 'child_name' (row 9)", "tên trùng, đã dùng ở dòng 2"),
    ("unknown function", lambda f: find(f, "child_dob").update(constraint=". <= todayy()"),
     "field 'child_dob' (row 4)", "hàm 'todayy' không được hỗ trợ (tại vị trí 5)"),
    ("unknown field", lambda f: find(f, "family").update(relevant="${child_nmae} != ''"),
     "field 'family' (row 6)", "${child_nmae}"),
]


@pytest.mark.parametrize(("mutate", "where", "expected_vi"),
                         [(m, w, e) for _, m, w, e in BROKEN_VI],
                         ids=[case for case, _, _, _ in BROKEN_VI])
def test_a_broken_definition_gives_its_reason_in_vietnamese_too(tmp_path: Path,
                                                                 mutate: Mutation, where: str,
                                                                 expected_vi: str):
    broken = copy.deepcopy(GOOD)
    mutate(broken)
    with pytest.raises(FormError) as caught:
        load_form(write(tmp_path, broken))

    error = caught.value
    assert_in_both_languages(error)
    assert error.where == where  # the same in both languages: other code parses it
    assert expected_vi in error.reason_vi, error.reason_vi


def test_a_wrapped_expression_error_keeps_the_code_and_says_why_in_vietnamese(tmp_path: Path):
    form = copy.deepcopy(GOOD)
    find(form, "child_dob").update(constraint=". <= todayy()")
    with pytest.raises(FormError) as caught:
        load_form(write(tmp_path, form))
    assert caught.value.reason_vi == ("biểu thức constraint '. <= todayy()' không đúng: "
                                      "hàm 'todayy' không được hỗ trợ (tại vị trí 5)")


@pytest.mark.parametrize("mutate", [m for _, m, _ in BROKEN], ids=[c for c, _, _ in BROKEN])
def test_every_broken_definition_has_a_vietnamese_reason(tmp_path: Path, mutate: Mutation):
    broken = copy.deepcopy(GOOD)
    mutate(broken)
    with pytest.raises(FormError) as caught:
        load_form(write(tmp_path, broken))
    assert_in_both_languages(caught.value)


def test_invalid_json_has_a_vietnamese_reason(tmp_path: Path):
    with pytest.raises(FormError) as caught:
        load_form(write(tmp_path, '{"id": "sample",\n  "version": }'))
    assert_in_both_languages(caught.value)
    assert caught.value.where == "line 2 column 14"


@pytest.mark.parametrize(("text", "expected_vi"), [
    ("foo(1)", "hàm 'foo' không được hỗ trợ"),
    ("'abc", "chuỗi ký tự chưa được đóng"),
    ("(1 + 2", "thiếu ')'"),
    ("1 +", "biểu thức kết thúc khi chưa viết xong"),
    ("substr('a')", "cần từ 2 đến 3, nhưng có 1"),
    ("${1x}", "tham chiếu trường '${1x}' không đúng"),
    ("regex(., '(a+)+')", "có thể chạy rất lâu"),
])
def test_an_expression_error_gives_its_reason_in_vietnamese_too(text: str, expected_vi: str):
    with pytest.raises(ExpressionError) as caught:
        compile_expression(text)
    error = caught.value
    assert error.message == str(error)
    assert error.message and error.message_vi and error.message != error.message_vi
    assert VIETNAMESE.search(error.message_vi), error.message_vi
    assert expected_vi in error.message_vi, error.message_vi


def test_the_vietnamese_reason_cannot_be_left_out():
    with pytest.raises(TypeError):
        FormError("a.json", "header", "missing 'id'")  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        ExpressionError("unknown function 'foo'", 0)  # type: ignore[call-arg]
