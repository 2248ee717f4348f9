"""Forms nobody here wrote, imported from pyxform's examples and filled on screen through the
real widgets: pyxform's tutorial (a repeat of household members with relevance on age and
sex), its cascading selects (state -> county -> city by choice_filter, with the same
county name under two states), onadata's `begin loop` over transport types (one question per
ticked type) and a select whose choice texts name earlier answers (`${name1}`)."""

from __future__ import annotations

from pathlib import Path

from fieldkit.core.forms.definition import FormDefinition, load_form
from fieldkit.core.forms.xlsform import import_workbook
from fieldkit.ui.form_widgets import ComboInput, FieldInput, MultiInput, RadioInput

from .keyboard import replace_text, tick
from .test_form_window_fixes import _answers, _line, _open

CORPUS = Path(__file__).parents[1] / "data" / "xlsforms" / "pyxform"
ONADATA = Path(__file__).parents[1] / "data" / "xlsforms" / "onadata"


def _imported(tmp_path: Path, name: str, corpus: Path = CORPUS) -> FormDefinition:
    """Import a workbook as the volunteer's import does, then load what it wrote: the screen
    must work from the saved definition, not from the importer's objects."""
    return load_form(import_workbook(corpus / name, tmp_path / "forms").path)


def test_pyxform_tutorial_repeat_and_relevance_on_screen(qtbot, store, make_household,
                                                         tmp_path):
    window = _open(qtbot, store, make_household, _imported(tmp_path, "tutorial.xls"))
    window.go_to_page(window.page_of["member"])
    window.repeats["member"].add_button.click()
    replace = _line(window, "member[0].name")
    replace.setText("Lò Thị Mai")
    replace.editingFinished.emit()
    sex = window.views["member[0].sex"].input
    assert isinstance(sex, RadioInput)
    sex.choose("female")
    older = window.views["member[0].older_than_five"].input
    assert isinstance(older, RadioInput)
    # Relevance: months for a young child, years otherwise; literacy only for women 15-49.
    older.choose("no")
    qtbot.waitUntil(lambda: window.views["member[0].age_in_months"].isVisible())
    assert not window.views["member[0].age_in_years"].isVisible()
    older.choose("yes")
    qtbot.waitUntil(lambda: window.views["member[0].age_in_years"].isVisible())
    assert not window.views["member[0].age_in_months"].isVisible()
    years = _line(window, "member[0].age_in_years")
    years.setText("30")
    years.editingFinished.emit()
    qtbot.waitUntil(lambda: window.views["member[0].literate"].isVisible())
    # The import's own constraint (`. >= 5`) still speaks to the volunteer.
    years.setText("3")
    years.editingFinished.emit()
    qtbot.waitUntil(lambda: window.views["member[0].age_in_years"].error.isVisible())
    assert not window.views["member[0].literate"].isVisible()
    saved = _answers(store, window.record_id)["member"][0]
    assert saved["name"] == "Lò Thị Mai" and saved["sex"] == "female"
    assert saved["age_in_years"] == 3


def test_pyxform_cascading_selects_filter_choices_on_screen(qtbot, store, make_household,
                                                            tmp_path):
    window = _open(qtbot, store, make_household, _imported(tmp_path, "choice_filter_test.xlsx"))
    county = window.views["county"].input
    city = window.views["city"].input
    assert isinstance(county, ComboInput) and isinstance(city, ComboInput)

    def offered(widget: ComboInput) -> list[str]:
        return [widget.combo.itemText(i) for i in range(1, widget.combo.count())]

    window.views["state"].input.choose("texas")
    qtbot.waitUntil(lambda: offered(county) == ["King", "Cameron"])
    county.combo.setCurrentIndex(2)
    county.committed.emit()
    qtbot.waitUntil(lambda: offered(city) == ["brownsville", "harlingen"])
    window.views["state"].input.choose("washington")
    qtbot.waitUntil(lambda: offered(county) == ["King", "Pierce"])
    assert _answers(store, window.record_id)["state"] == "washington"


def test_onadata_loop_over_transport_types_asks_only_about_ticked_types(qtbot, store,
                                                                        make_household,
                                                                        tmp_path):
    window = _open(qtbot, store, make_household,
                   _imported(tmp_path, "main-transportation.xls", ONADATA))
    types = window.views["available_transportation_types_to_referral_facility"].input
    assert isinstance(types, MultiInput)
    # The loop's copies: the first keeps the sheet's name, the others carry their choice.
    question = {"ambulance": "frequency_to_referral_facility",
                "bicycle": "bicycle_frequency_to_referral_facility",
                "bus": "bus_frequency_to_referral_facility",
                "taxi": "taxi_frequency_to_referral_facility"}
    window.go_to_page(window.page_of[question["bicycle"]])
    assert not any(window.views[path].isVisible() for path in question.values()), \
        "nothing is asked about a type before it is ticked"

    tick(types.boxes["ambulance"])
    tick(types.boxes["bicycle"])
    qtbot.waitUntil(lambda: window.views[question["bicycle"]].isVisible())
    assert window.views[question["ambulance"]].isVisible()
    assert not window.views[question["bus"]].isVisible()
    assert not window.views[question["taxi"]].isVisible()
    # A type's heading goes with its question: no column of empty headings for the rest.
    assert window.groups["bicycle"].isVisible()
    assert not window.groups["bus"].isVisible() and not window.groups["taxi"].isVisible()
    # %(label)s is the choice's label; boat_canoe's label ("boat/canoe") differs from its name.
    assert window.views[question["ambulance"]].label.text() == (
        "Is ambulance available daily or weekly?")
    assert window.views[question["bicycle"]].label.text() == (
        "Is bicycle available daily or weekly?")
    assert window.views["boat_canoe_frequency_to_referral_facility"].label.text() == (
        "Is boat/canoe available daily or weekly?")

    bicycle = window.views[question["bicycle"]].input
    assert isinstance(bicycle, RadioInput)
    tick(bicycle.buttons["weekly"])
    saved = _answers(store, window.record_id)
    assert saved["available_transportation_types_to_referral_facility"] == "ambulance bicycle"
    assert saved[question["bicycle"]] == "weekly"
    assert question["ambulance"] not in saved, "the ambulance copy was not answered"

    # Unticking bicycle hides its question again.
    tick(types.boxes["bicycle"])
    qtbot.waitUntil(lambda: not window.views[question["bicycle"]].isVisible())
    assert not window.groups["bicycle"].isVisible()
    assert window.views[question["ambulance"]].isVisible()


def _option_texts(widget: FieldInput) -> dict[str, str]:
    """What the volunteer reads on each option, by choice name, whichever input the select
    got: the buttons of a short list or the items of a drop-down."""
    if isinstance(widget, RadioInput):
        return {name: button.text() for name, button in widget.buttons.items()}
    assert isinstance(widget, ComboInput), type(widget)
    return {widget.combo.itemData(i): widget.combo.itemText(i)
            for i in range(1, widget.combo.count())}


def test_choice_texts_follow_the_names_typed_above(qtbot, store, make_household, tmp_path):
    window = _open(qtbot, store, make_household,
                   _imported(tmp_path, "bug_xl_date_ambiguous_v1.xlsx"))
    names = window.views["names"].input
    assert names is not None
    # Unfilled, the options are blank, never the raw `${name1}` of the sheet.
    assert not any("${" in text for text in _option_texts(names).values())

    replace_text(_line(window, "name1"), "Lò Văn Pọm")
    replace_text(_line(window, "name2"), "Quàng Thị Ánh")
    qtbot.waitUntil(lambda: _option_texts(names)["name2"] == "Quàng Thị Ánh")
    assert _option_texts(names) == {"name1": "Lò Văn Pọm", "name2": "Quàng Thị Ánh",
                                    "name3": ""}

    # A corrected name is corrected in the list too.
    replace_text(_line(window, "name2"), "Quàng Thị Đôi")
    qtbot.waitUntil(lambda: _option_texts(names)["name2"] == "Quàng Thị Đôi")
    assert _option_texts(names)["name1"] == "Lò Văn Pọm"

    if isinstance(names, RadioInput):
        tick(names.buttons["name2"])
    else:
        assert isinstance(names, ComboInput)
        names.combo.setCurrentIndex(names.combo.findData("name2"))
        names.combo.activated.emit(names.combo.currentIndex())
    # The record keeps the choice's name; the text shown is only what it stood for then.
    assert _answers(store, window.record_id)["names"] == "name2"
    assert _option_texts(names)["name2"] == "Quàng Thị Đôi"
