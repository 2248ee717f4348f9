"""Review fixes on the form screen, through the real widgets: a typed value that cannot be saved
holds the record back, choice filters narrow the lists, a repeat of grouped fields takes
entries, the picker offers the newest version, and numbers are read only when unambiguous."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt

from fieldkit.core.communes import communes_of, provinces
from fieldkit.core.forms.definition import FormDefinition, load_form
from fieldkit.core.forms.records import start_record
from fieldkit.core.models import FormRecord
from fieldkit.ui.form_picker import FormPicker, available_forms
from fieldkit.ui.form_widgets import ComboInput, LineInput, MultiInput
from fieldkit.ui.form_window import FormWindow

from .keyboard import replace_text, type_text
from .test_form_pdf import BIRTH_ANSWERS, FORMS, MOTHER
from .test_form_versions import _two_versions


def _record(store, record_id: str) -> FormRecord:
    with store.read() as session:
        return session.get(FormRecord, record_id)


def _answers(store, record_id: str) -> dict[str, Any]:
    return json.loads(_record(store, record_id).answers)


def _open(qtbot, store, make_household, form: FormDefinition,
          answers: dict[str, Any] | None = None) -> FormWindow:
    made = make_household(MOTHER)
    with store.write() as session:
        record_id = start_record(session, form, made.household_id, made.head_id,
                                 prefilled=answers or {}).id
    window = FormWindow(store, form, record_id)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    return window


def _inline(tmp_path: Path, survey: list[dict[str, Any]],
            choices: dict[str, Any] | None = None) -> FormDefinition:
    path = tmp_path / "inline.json"
    path.write_text(json.dumps({
        "id": "inline", "version": "1", "title": {"vi": "Thử"}, "default_language": "vi",
        "survey": survey, "choices": choices or {"yes_no": [
            {"name": "yes", "label": {"vi": "Có"}}, {"name": "no", "label": {"vi": "Không"}}]},
    }, ensure_ascii=False), encoding="utf-8")
    return load_form(path)


def _line(window: FormWindow, path: str):
    view = window.views[path]
    assert isinstance(view.input, LineInput)
    return view.input.edit


# -- 1. an unparsed typed value blocks completion, page changes and closing ----------------

def test_unsaved_typed_date_blocks_completion_until_fixed(qtbot, store, make_household):
    form = load_form(FORMS / "birth_registration.json")
    window = _open(qtbot, store, make_household, form, BIRTH_ANSWERS)
    window.go_to_page(window.page_of["child_dob"])
    dob = _line(window, "child_dob")
    dob.setFocus()
    dob.selectAll()
    type_text(dob, "1/13/1950")  # month 13: cannot be read, so it cannot be saved

    qtbot.mouseClick(window.complete_button, Qt.MouseButton.LeftButton)
    record = _record(store, window.record_id)
    assert record.status == "draft", "the old stored date must not be completed"
    assert json.loads(record.answers)["child_dob"] == "2025-02-27"
    assert window.banner.isVisible()
    assert "chưa được lưu" in window.banner.text()
    assert window.stack.currentIndex() == window.page_of["child_dob"]
    assert dob.hasFocus()
    assert dob.text() == "1/13/1950", "the typed text is kept for correcting"
    assert window.views["child_dob"].error.isVisible()

    # Neither the next page nor closing lets the typed text go.
    page = window.stack.currentIndex()
    qtbot.mouseClick(window.next_button, Qt.MouseButton.LeftButton)
    assert window.stack.currentIndex() == page
    window.close()
    assert window.isVisible()
    assert dob.hasFocus()

    replace_text(dob, "26/02/2025")
    assert not window.input_errors
    qtbot.mouseClick(window.complete_button, Qt.MouseButton.LeftButton)
    record = _record(store, window.record_id)
    assert record.status == "complete", window.banner.text()
    assert json.loads(record.answers)["child_dob"] == "2025-02-26"
    window.close()
    assert not window.isVisible()


# -- 2. choice_filter ---------------------------------------------------------------------

def test_choice_filter_narrows_lists_as_answers_change(qtbot, store, make_household, tmp_path):
    form = _inline(tmp_path, [
        {"type": "select_one regions", "name": "region", "label": {"vi": "Miền"}},
        {"type": "select_one cities", "name": "city", "label": {"vi": "Thành phố"},
         "choice_filter": "region = ${region}"},
        {"type": "select_multiple cities", "name": "visited", "label": {"vi": "Đã đến"},
         "choice_filter": "region = ${region}"},
    ], {
        "regions": [{"name": "north", "label": {"vi": "Miền Bắc"}},
                    {"name": "south", "label": {"vi": "Miền Nam"}}],
        "cities": [{"name": "hn", "label": {"vi": "Hà Nội"}, "region": "north"},
                   {"name": "hp", "label": {"vi": "Hải Phòng"}, "region": "north"},
                   {"name": "hcm", "label": {"vi": "TP Hồ Chí Minh"}, "region": "south"}],
    })
    window = _open(qtbot, store, make_household, form)
    city = window.views["city"].input
    visited = window.views["visited"].input
    assert isinstance(city, ComboInput) and isinstance(visited, MultiInput)

    def offered() -> list[str]:
        return [city.combo.itemData(i) for i in range(1, city.combo.count())]

    def ticks() -> list[str]:
        return [n for n, box in visited.boxes.items() if not box.isHidden()]

    assert offered() == [] and ticks() == [], "nothing matches before a region is chosen"
    window.views["region"].input.choose("north")
    assert offered() == ["hn", "hp"]
    assert ticks() == ["hn", "hp"]
    combo = city.combo
    combo.setCurrentIndex(combo.findData("hp"))
    combo.activated.emit(combo.currentIndex())
    assert _answers(store, window.record_id)["city"] == "hp"

    window.views["region"].input.choose("south")
    assert offered() == ["hcm"]
    assert ticks() == ["hcm"]


def test_commune_follows_the_province_its_filter_names(qtbot, store, make_household,
                                                        tmp_path):
    form = _inline(tmp_path, [
        {"type": "province", "name": "birth_province", "label": {"vi": "Tỉnh nơi sinh"}},
        {"type": "province", "name": "home_province", "label": {"vi": "Tỉnh thường trú"}},
        {"type": "commune", "name": "home_commune", "label": {"vi": "Xã thường trú"},
         "choice_filter": "province = ${home_province}"},
    ])
    (first, _), (second, _) = provinces()[:2]
    window = _open(qtbot, store, make_household, form,
                   {"birth_province": str(first), "home_province": str(second)})
    commune = window.views["home_commune"].input
    assert isinstance(commune, ComboInput)
    offered = {commune.combo.itemData(i) for i in range(1, commune.combo.count())}
    assert offered == {str(c.code) for c in communes_of(second)}


# -- 3. a repeat whose fields sit in a group ----------------------------------------------

def test_repeat_of_grouped_fields_adds_entries(qtbot, store, make_household, tmp_path):
    form = _inline(tmp_path, [
        {"type": "text", "name": "note_top", "label": {"vi": "Ghi chú"}},
        {"type": "begin_repeat", "name": "witnesses", "label": {"vi": "Người làm chứng"}},
        {"type": "begin_group", "name": "who", "label": {"vi": "Là ai"}},
        {"type": "text", "name": "witness_name", "label": {"vi": "Họ tên"}},
        {"type": "end_group"},
        {"type": "end_repeat"},
    ])
    window = _open(qtbot, store, make_household, form)
    window.go_to_page(window.page_of["witnesses"])
    repeat = window.repeats["witnesses"]
    qtbot.mouseClick(repeat.add_button, Qt.MouseButton.LeftButton)
    assert not window.banner.isVisible(), window.banner.text()
    assert len(repeat.entries) == 1
    assert len(_answers(store, window.record_id)["witnesses"]) == 1
    replace_text(_line(window, "witnesses[0].witness_name"), "Lò Văn Pao")
    qtbot.mouseClick(repeat.add_button, Qt.MouseButton.LeftButton)
    assert len(repeat.entries) == 2
    names = [e.get("witness_name") for e in _answers(store, window.record_id)["witnesses"]]
    assert names == ["Lò Văn Pao", None]


# -- 4. the picker's newest version --------------------------------------------------------

def test_picker_offers_the_newest_version_numerically(qtbot, store, make_household, tmp_path):
    made = make_household("Lò Văn Pao")
    picker = FormPicker(store, made.household_id, forms=available_forms(_two_versions(tmp_path)))
    qtbot.addWidget(picker)
    offered = [picker.form_choice.itemData(i) for i in range(picker.form_choice.count())]
    assert offered == [("residence_ct01", "2026.10")]


# -- 5. numbers --------------------------------------------------------------------------

@pytest.fixture
def numbers(qtbot, store, make_household, tmp_path) -> FormWindow:
    form = _inline(tmp_path, [
        {"type": "integer", "name": "count", "label": {"vi": "Số người"}},
        {"type": "decimal", "name": "area", "label": {"vi": "Diện tích"}},
    ])
    return _open(qtbot, store, make_household, form, {"count": 3, "area": 2.5})


@pytest.mark.parametrize(("path", "typed"), [
    ("area", "nan"), ("area", "inf"), ("area", "1e3"), ("area", "1_000"), ("area", "1.000"),
    ("area", "1,5,0"), ("area", "1.000,5"), ("area", "١٢"), ("area", "2,"),
    ("count", "1.000"), ("count", "1_000"), ("count", "+5"), ("count", "١٢"), ("count", "12,0"),
    ("count", "1e3"),
])
def test_ambiguous_numbers_are_refused(numbers, store, path, typed) -> None:
    before = _answers(store, numbers.record_id)[path]
    replace_text(_line(numbers, path), typed)
    assert path in numbers.input_errors
    error = numbers.views[path].error
    assert error.isVisible()
    assert "số" in error.text()
    assert _answers(store, numbers.record_id)[path] == before


@pytest.mark.parametrize(("path", "typed", "stored"), [
    ("area", "2,75", 2.75), ("area", "1.5", 1.5), ("area", "1000", 1000),
    ("area", "-0,5", -0.5), ("count", "12", 12), ("count", "-4", -4),
])
def test_plain_numbers_are_saved(numbers, store, path, typed, stored) -> None:
    replace_text(_line(numbers, path), typed)
    assert not numbers.input_errors
    assert _answers(store, numbers.record_id)[path] == stored


def test_large_decimal_is_shown_so_it_reads_back(numbers, store) -> None:
    replace_text(_line(numbers, "area"), "1000000")
    numbers.refresh(load_values=True)
    assert _line(numbers, "area").text() == "1000000"
    replace_text(_line(numbers, "area"), "0,25")
    numbers.refresh(load_values=True)
    assert _line(numbers, "area").text() == "0,25"
