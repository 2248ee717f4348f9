"""Forms nobody here wrote, imported from pyxform's examples and filled on screen through the
real widgets: pyxform's tutorial (a repeat of household members with relevance on age and
sex) and its cascading selects (state -> county -> city by choice_filter, with the same
county name under two states)."""

from __future__ import annotations

from pathlib import Path

from fieldkit.core.forms.definition import load_form
from fieldkit.core.forms.xlsform import import_workbook
from fieldkit.ui.form_widgets import ComboInput, RadioInput

from .test_form_window_fixes import _answers, _line, _open

CORPUS = Path(__file__).parents[1] / "data" / "xlsforms" / "pyxform"


def _imported(tmp_path: Path, name: str):
    return load_form(import_workbook(CORPUS / name, tmp_path / "forms").path)


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
