"""Checking a filled record with the shared validator: hidden answers are ignored, required
and constraint messages come from the definition, repeat entries get their own paths, and
calculations are worked out in the order they depend on each other."""

import json
from datetime import date
from typing import Any

import pytest

from fieldkit.core.forms.answers import Problem, check_answers
from fieldkit.core.forms.definition import FormDefinition, load_form

TODAY = date(2026, 3, 1)
GOOD_ID = "001090012345"  # Hà Nội, male, born in 1990


def vi(text: str) -> dict[str, str]:
    return {"vi": text, "en": text}


FORM: dict[str, Any] = {
    "id": "small",
    "version": "1",
    "title": vi("Tờ khai nhỏ"),
    "survey": [
        {"type": "begin_group", "name": "applicant", "label": vi("Người khai")},
        {"type": "text", "name": "full_name", "label": vi("Họ tên"), "required": "yes"},
        {"type": "integer", "name": "age", "label": vi("Tuổi"), "required": "yes",
         "constraint": ". >= 0 and . < 120", "constraint_message": vi("Tuổi từ 0 đến 119")},
        {"type": "id_number", "name": "id_number", "label": vi("Số định danh")},
        {"type": "phone", "name": "phone", "label": vi("Điện thoại")},
        {"type": "ethnicity", "name": "ethnicity", "label": vi("Dân tộc")},
        {"type": "date", "name": "dob", "label": vi("Ngày sinh"), "constraint": ". <= today()",
         "constraint_message": vi("Ngày sinh không thể sau hôm nay")},
        {"type": "select_one yes_no", "name": "has_child", "label": vi("Có con?"),
         "required": "yes"},
        {"type": "text", "name": "child_name", "label": vi("Tên con"),
         "relevant": "${has_child} = 'yes'", "required": "yes",
         "required_message": vi("Nhập tên con")},
        {"type": "integer", "name": "child_age", "label": vi("Tuổi con"),
         "relevant": "${has_child} = 'yes'"},
        {"type": "select_one province", "name": "province", "label": vi("Tỉnh")},
        {"type": "select_one commune", "name": "commune", "label": vi("Xã"),
         "choice_filter": "province = ${province}"},
        {"type": "end_group"},
        {"type": "begin_group", "name": "spouse", "label": vi("Vợ/chồng"),
         "relevant": "${age} >= 18"},
        {"type": "text", "name": "spouse_name", "label": vi("Tên vợ/chồng"), "required": "yes"},
        {"type": "end_group"},
        {"type": "begin_group", "name": "household", "label": vi("Hộ")},
        {"type": "integer", "name": "member_count", "label": vi("Số thành viên")},
        {"type": "begin_repeat", "name": "members", "label": vi("Thành viên"),
         "repeat_count": "${member_count}"},
        {"type": "text", "name": "member_name", "label": vi("Họ tên thành viên"),
         "required": "yes"},
        {"type": "integer", "name": "member_age", "label": vi("Tuổi thành viên"),
         "constraint": ". <= ${age} + 100", "constraint_message": vi("Tuổi quá lớn")},
        {"type": "text", "name": "guardian", "label": vi("Người giám hộ"),
         "relevant": "${member_age} < 16", "required": "yes"},
        {"type": "end_repeat"},
        # Declared before what it reads: the validator must still compute `doubled` first.
        {"type": "calculate", "name": "check_total", "calculation": "${doubled} + 1"},
        {"type": "calculate", "name": "doubled", "calculation": "${age} * 2"},
        {"type": "integer", "name": "confirm", "label": vi("Xác nhận"),
         "constraint": ". = ${check_total}", "constraint_message": vi("Phải bằng tuổi×2+1")},
        {"type": "end_group"},
    ],
    "choices": {
        "yes_no": [{"name": "yes", "label": vi("Có")}, {"name": "no", "label": vi("Không")}],
        "province": [{"name": "01", "label": vi("Hà Nội")}, {"name": "79", "label": vi("HCM")}],
        "commune": [{"name": "c1", "label": vi("Xã 1"), "province": "01"},
                    {"name": "c2", "label": vi("Xã 2"), "province": "79"}],
    },
}

VALID: dict[str, Any] = {
    "full_name": "Lò Văn Pọm", "age": "36", "id_number": GOOD_ID, "phone": "0912345678",
    "ethnicity": "Thái", "dob": "1990-05-04", "has_child": "no", "province": "01",
    "commune": "c1", "spouse_name": "Lò Thị Xuân", "member_count": 2,
    "members": [{"member_name": "Lò Thị Xuân", "member_age": "33"},
                {"member_name": "Lò Văn Ban", "member_age": 10, "guardian": "Lò Văn Pọm"}],
    "confirm": 73,
}


@pytest.fixture(scope="module")
def form(tmp_path_factory: pytest.TempPathFactory) -> FormDefinition:
    path = tmp_path_factory.mktemp("forms") / "small.json"
    path.write_text(json.dumps(FORM, ensure_ascii=False), encoding="utf-8")
    return load_form(path)


def check(form: FormDefinition, **changes: Any) -> list[Problem]:
    return check_answers(form, VALID | changes, TODAY)


def test_a_complete_record_has_no_problems(form: FormDefinition):
    assert check_answers(form, VALID, TODAY) == []


def test_answers_are_not_modified(form: FormDefinition):
    answers = json.loads(json.dumps(VALID))
    check_answers(form, answers, TODAY)
    assert answers == VALID


def test_a_hidden_branch_is_skipped_with_its_values(form: FormDefinition):
    # "no": the child's name is not asked, and junk left from an earlier "yes" is ignored.
    assert check(form, has_child="no", child_age="not a number") == []
    # "yes": the branch appears, with its own required message.
    assert check(form, has_child="yes", child_age="3") == [Problem("child_name", "Nhập tên con")]


def test_a_hidden_page_is_skipped(form: FormDefinition):
    minor = {"age": 16, "confirm": 33, "spouse_name": ""}
    assert check(form, **minor) == []
    assert check(form, spouse_name="") == [
        Problem("spouse_name", "Bắt buộc nhập “Tên vợ/chồng”.")]


def test_required_without_a_message_names_the_field(form: FormDefinition):
    assert check(form, full_name="  ") == [Problem("full_name", "Bắt buộc nhập “Họ tên”.")]


def test_a_constraint_reports_its_message(form: FormDefinition):
    assert check(form, age=130, confirm=261) == [Problem("age", "Tuổi từ 0 đến 119")]
    assert check(form, dob="2027-01-01") == [Problem("dob", "Ngày sinh không thể sau hôm nay")]


def test_repeat_entries_are_checked_one_by_one(form: FormDefinition):
    members = [{"member_name": "", "member_age": 200},
               {"member_name": "Lò Văn Ban", "member_age": 10}]
    assert check(form, members=members) == [
        Problem("members[0].member_name", "Bắt buộc nhập “Họ tên thành viên”."),
        Problem("members[0].member_age", "Tuổi quá lớn"),
        Problem("members[1].guardian", "Bắt buộc nhập “Người giám hộ”."),
    ]


def test_repeat_count_fixes_the_number_of_entries(form: FormDefinition):
    problems = check(form, member_count="3")
    assert [p.field for p in problems] == ["members"]
    assert "3" in problems[0].message and "2" in problems[0].message


def test_calculations_run_in_dependency_order(form: FormDefinition):
    assert check(form, age=40, confirm=81) == []
    assert check(form, age=40, confirm=73) == [Problem("confirm", "Phải bằng tuổi×2+1")]


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"age": "ba mươi"}, "age", "số nguyên"),
    ({"dob": "04/05/1990"}, "dob", "2024-03-15"),
    ({"has_child": "maybe"}, "has_child", "'maybe'"),
    ({"id_number": "00109001234"}, "id_number", "12 chữ số"),
    ({"phone": "02438123456"}, "phone", ""),
    ({"ethnicity": "Thai"}, "ethnicity", "54 dân tộc"),
    ({"commune": "c2"}, "commune", "'c2'"),
])
def test_values_of_the_wrong_type_say_how_to_fix_them(form: FormDefinition,
                                                      changes: dict[str, Any], field: str,
                                                      words: str):
    problems = check(form, **changes)
    assert [p.field for p in problems] == [field]
    assert words in problems[0].message


def test_the_id_number_uses_the_card_checks(form: FormDefinition):
    problems = check(form, id_number="999090012345")
    assert problems and "Ba chữ số đầu (999)" in problems[0].message
