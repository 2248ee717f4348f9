"""The printout shows what the family said, in Vietnamese, and only what the form showed."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from fieldkit.core.forms.definition import load_form
from fieldkit.core.forms.printout import Entry, RepeatTable, Row, Section, printout

FORMS = Path(__file__).resolve().parents[2] / "forms"
TODAY = date(2025, 3, 14)


def write_form(tmp_path: Path, survey: list[dict[str, Any]],
               choices: dict[str, Any] | None = None) -> Path:
    path = tmp_path / "sample.json"
    path.write_text(json.dumps({"id": "sample", "version": "1", "title": {"vi": "Mẫu thử"},
                                "survey": survey, "choices": choices or {}},
                               ensure_ascii=False), encoding="utf-8")
    return path


def rows(sections: list[Section]) -> dict[str, str]:
    return {item.label: item.value for section in sections for item in section.items
            if isinstance(item, Row)}


def test_choices_print_their_vietnamese_labels_and_dates_day_first() -> None:
    form = load_form(FORMS / "birth_registration.json")
    printed = printout(form, {"child_gender": "female", "child_dob": "2025-02-27",
                              "requester_relation": "mother", "father_declared": "yes"}, TODAY)
    shown = rows(printed)
    assert shown["Giới tính"] == "Nữ"
    assert shown["Ngày, tháng, năm sinh"] == "27/02/2025"
    assert shown["Quan hệ với người được khai sinh"] == "Mẹ"
    assert shown["Có khai thông tin người cha không?"] == "Có"
    assert [s.title for s in printed][:2] == ["Người đi đăng ký khai sinh",
                                              "Người được khai sinh"]


def test_select_multiple_decimal_and_unknown_codes(tmp_path: Path) -> None:
    form = load_form(write_form(tmp_path, [
        {"type": "select_multiple papers", "name": "papers", "label": {"vi": "Giấy tờ"}},
        {"type": "decimal", "name": "weight", "label": {"vi": "Cân nặng (kg)"}},
        {"type": "select_one papers", "name": "odd", "label": {"vi": "Khác"}},
    ], {"papers": [{"name": "cccd", "label": {"vi": "Căn cước"}},
                   {"name": "gcs", "label": {"vi": "Giấy chứng sinh"}}]}))
    shown = rows(printout(form, {"papers": ["gcs", "cccd"], "weight": "3,15",
                                 "odd": "lost"}, TODAY))
    assert shown == {"Giấy tờ": "Giấy chứng sinh, Căn cước", "Cân nặng (kg)": "3,15",
                     # A code the list lacks is printed as stored, never dropped.
                     "Khác": "lost"}


def test_fields_hidden_by_relevance_are_left_out() -> None:
    form = load_form(FORMS / "birth_registration.json")
    printed = printout(form, {"father_declared": "no", "father_full_name": "Trần Văn Đức",
                              "evidence_type": "witness", "witness_full_name": "Lò Văn Pọm",
                              "birth_certificate_number": "125/GCS"}, TODAY)
    shown = rows(printed)
    assert "Họ, chữ đệm và tên của cha" not in shown
    assert "Trần Văn Đức" not in shown.values()
    assert "125/GCS" not in shown.values()
    assert "Lò Văn Pọm" in shown.values()
    # Notes are instructions to the volunteer, not answers.
    assert not any(label.startswith("Đã quá 60 ngày") for label in shown)


def test_repeats_become_numbered_tables_with_hidden_fields_left_out(tmp_path: Path) -> None:
    form = load_form(write_form(tmp_path, [
        {"type": "begin_group", "name": "page", "label": {"vi": "Hộ gia đình"}},
        {"type": "text", "name": "head", "label": {"vi": "Chủ hộ"}},
        {"type": "begin_repeat", "name": "members", "label": {"vi": "Thành viên"}},
        {"type": "text", "name": "name", "label": {"vi": "Họ và tên"}},
        {"type": "date", "name": "dob", "label": {"vi": "Ngày sinh"}},
        {"type": "text", "name": "school", "label": {"vi": "Trường học"},
         "relevant": "${dob} > '2010-01-01'"},
        {"type": "end_repeat"},
        {"type": "calculate", "name": "count", "calculation": "count(${members})"},
        {"type": "end_group"},
    ]))
    printed = printout(form, {"head": "Lò Văn Pọm", "members": [
        {"name": "Lò Thị Ánh", "dob": "1990-05-01", "school": "typed by mistake"},
        {"name": "Lò Văn Đạt", "dob": "2015-09-02", "school": "Trường Tiểu học Mường Thanh"},
    ]}, TODAY)
    assert printed == [Section("Hộ gia đình", (
        Row("Chủ hộ", "Lò Văn Pọm"),
        RepeatTable("Thành viên", (
            Entry(1, (Row("Họ và tên", "Lò Thị Ánh"), Row("Ngày sinh", "01/05/1990"))),
            Entry(2, (Row("Họ và tên", "Lò Văn Đạt"), Row("Ngày sinh", "02/09/2015"),
                      Row("Trường học", "Trường Tiểu học Mường Thanh"))),
        )),
    ))]


def test_a_hidden_page_and_unanswered_fields(tmp_path: Path) -> None:
    form = load_form(write_form(tmp_path, [
        {"type": "select_one yes_no", "name": "married", "label": {"vi": "Đã kết hôn?"}},
        {"type": "begin_group", "name": "spouse", "label": {"vi": "Vợ/chồng"},
         "relevant": "${married} = 'yes'"},
        {"type": "text", "name": "spouse_name", "label": {"vi": "Họ tên vợ/chồng"}},
        {"type": "end_group"},
        {"type": "text", "name": "note", "label": {"vi": "Ghi chú"}},
    ], {"yes_no": [{"name": "yes", "label": {"vi": "Có"}},
                   {"name": "no", "label": {"vi": "Không"}}]}))
    printed = printout(form, {"married": "no", "spouse_name": "Nguyễn Văn A"}, TODAY)
    # Unanswered but shown fields stay, blank, as on the paper form.
    assert printed == [Section("", (Row("Đã kết hôn?", "Không"), Row("Ghi chú", "")))]


def test_labels_print_filled_with_the_answers_of_their_own_entry(tmp_path: Path) -> None:
    form = load_form(write_form(tmp_path, [
        {"type": "text", "name": "village", "label": {"vi": "Tên bản"}},
        {"type": "begin_group", "name": "page", "label": {"vi": "Các hộ ở bản ${village}"}},
        {"type": "begin_repeat", "name": "households", "label": {"vi": "Hộ ở ${village}"}},
        {"type": "text", "name": "head", "label": {"vi": "Chủ hộ"}},
        {"type": "begin_repeat", "name": "members", "label": {"vi": "Người trong hộ ${head}"}},
        {"type": "text", "name": "name", "label": {"vi": "Họ tên"}},
        {"type": "integer", "name": "age", "label": {"vi": "Tuổi của ${name} (bản ${village})"}},
        {"type": "end_repeat"},
        {"type": "end_repeat"},
        {"type": "end_group"},
    ]))
    printed = printout(form, {"village": "Na Sang", "households": [
        {"head": "Lò Văn Pọm", "members": [{"name": "Lò Thị Ánh", "age": 34}]},
        {"head": "Quàng Văn Đôi", "members": []},
    ]}, TODAY)
    assert printed[1] == Section("Các hộ ở bản Na Sang", (
        RepeatTable("Hộ ở Na Sang", (
            Entry(1, (Row("Chủ hộ", "Lò Văn Pọm"), RepeatTable("Người trong hộ Lò Văn Pọm", (
                Entry(1, (Row("Họ tên", "Lò Thị Ánh"),
                          Row("Tuổi của Lò Thị Ánh (bản Na Sang)", "34"))),
            )))),
            Entry(2, (Row("Chủ hộ", "Quàng Văn Đôi"),
                      RepeatTable("Người trong hộ Quàng Văn Đôi", ()))),
        )),
    ))



def test_choices_naming_answers_print_filled_as_the_screen_showed_them(tmp_path: Path) -> None:
    # Choice texts may be the household's own names (pyxform's `${name1}` choice labels): the
    # paper must say who was chosen, never "${spouse}"; in a repeat, with that entry's names.
    form = load_form(write_form(tmp_path, [
        {"type": "text", "name": "head", "label": {"vi": "Chủ hộ"}},
        {"type": "text", "name": "spouse", "label": {"vi": "Vợ/chồng"}},
        {"type": "select_one adults", "name": "decides", "label": {"vi": "Ai quyết định?"}},
        {"type": "select_multiple adults", "name": "present", "label": {"vi": "Ai có mặt?"}},
        {"type": "begin_repeat", "name": "children", "label": {"vi": "Con"}},
        {"type": "text", "name": "child", "label": {"vi": "Tên con"}},
        {"type": "select_one carers", "name": "carer", "label": {"vi": "Người chăm"}},
        {"type": "end_repeat"},
    ], {"adults": [{"name": "head", "label": {"vi": "${head}"}},
                   {"name": "spouse", "label": {"vi": "${spouse} (vợ/chồng)"}}],
        "carers": [{"name": "self", "label": {"vi": "${child} tự lo"}},
                   {"name": "mother", "label": {"vi": "Mẹ ${spouse}"}}]}))
    printed = printout(form, {
        "head": "Lò Văn Pọm", "spouse": "Lò Thị Ánh", "decides": "spouse",
        "present": "head spouse", "children": [{"child": "Lò Văn Đạt", "carer": "self"},
                                                {"child": "Lò Thị Mai", "carer": "mother"}]},
        TODAY)
    shown = rows(printed)
    assert shown["Ai quyết định?"] == "Lò Thị Ánh (vợ/chồng)"
    assert shown["Ai có mặt?"] == "Lò Văn Pọm, Lò Thị Ánh (vợ/chồng)"
    children = next(item for item in printed[0].items if isinstance(item, RepeatTable))
    assert children.entries == (
        Entry(1, (Row("Tên con", "Lò Văn Đạt"), Row("Người chăm", "Lò Văn Đạt tự lo"))),
        Entry(2, (Row("Tên con", "Lò Thị Mai"), Row("Người chăm", "Mẹ Lò Thị Ánh"))),
    )
