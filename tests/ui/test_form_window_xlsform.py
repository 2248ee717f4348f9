"""What real XLSForms use, on the form screen through the real widgets: a repeat inside a
repeat (added to, filled, emptied and reopened), labels that show earlier answers (`${name}`),
and the appearance words `minimal`, `horizontal`, `multiline` and `field-list`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPlainTextEdit

from fieldkit.ui.form_widgets import ComboInput, LineInput, MultiInput, RadioInput, TextBoxInput
from fieldkit.ui.form_window import FormWindow

from .keyboard import press_enter, replace_text, tick, type_text
from .test_form_window_fixes import _answers, _inline, _line, _open

CENSUS = [
    {"type": "text", "name": "village", "label": {"vi": "Tên bản"}},
    {"type": "begin_repeat", "name": "households", "label": {"vi": "Các hộ ở bản ${village}"}},
    {"type": "text", "name": "head", "label": {"vi": "Chủ hộ"}},
    {"type": "integer", "name": "size", "label": {"vi": "Số người trong hộ"}},
    {"type": "begin_repeat", "name": "members", "label": {"vi": "Người trong hộ ${head}"},
     "repeat_count": "${size}"},
    {"type": "text", "name": "name", "label": {"vi": "Họ tên"}},
    {"type": "integer", "name": "age", "label": {"vi": "Tuổi của ${name}"}},
    {"type": "select_one yes_no", "name": "in_school", "label": {"vi": "Còn đi học?"},
     "relevant": "${age} < 18"},
    {"type": "calculate", "name": "group", "label": {"vi": "Nhóm tuổi"},
     "calculation": "if(${age} < 18, 'trẻ em', 'người lớn')"},
    {"type": "end_repeat"},
    {"type": "end_repeat"},
]


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _reopen(qtbot, window: FormWindow) -> FormWindow:
    window.close()
    again = FormWindow(window.store, window.form, window.record_id)
    qtbot.addWidget(again)
    again.show()
    qtbot.waitExposed(again)
    return again


# -- 1. a repeat inside a repeat ------------------------------------------------------------

def test_inner_entries_are_added_saved_removed_and_rebuilt_on_reopening(
        qtbot, store, make_household, tmp_path):
    window = _open(qtbot, store, make_household, _inline(tmp_path, CENSUS))
    replace_text(_line(window, "village"), "Na Sang")
    window.go_to_page(window.page_of["households"])
    _click(qtbot, window.repeats["households"].add_button)
    replace_text(_line(window, "households[0].head"), "Lò Văn Pọm")
    replace_text(_line(window, "households[0].size"), "2")

    members = window.repeats["households[0].members"]
    qtbot.waitUntil(members.isVisible)  # Qt shows widgets added to a shown page a moment later
    assert members.title.text() == "Người trong hộ Lò Văn Pọm"
    assert "Danh sách lồng nhau" not in " ".join(
        label.text() for label in window.findChildren(type(members.title)))
    _click(qtbot, members.add_button)
    _click(qtbot, members.add_button)
    assert len(members.entries) == 2
    qtbot.waitUntil(_line(window, "households[0].members[1].name").hasFocus)  # the new entry
    assert _answers(store, window.record_id)["households"] == [
        {"head": "Lò Văn Pọm", "size": 2, "members": [{}, {}]}]

    replace_text(_line(window, "households[0].members[0].name"), "Lò Thị Mai")
    replace_text(_line(window, "households[0].members[0].age"), "40")
    replace_text(_line(window, "households[0].members[1].name"), "Lò Văn Tủa")
    replace_text(_line(window, "households[0].members[1].age"), "8")
    # Labels, relevance and calculations each use their own member's answers.
    assert window.views["households[0].members[1].age"].label.text() == "Tuổi của Lò Văn Tủa"
    # (isHidden: widgets of a new entry are shown by Qt a moment later.)
    assert window.views["households[0].members[0].in_school"].isHidden()
    assert not window.views["households[0].members[1].in_school"].isHidden()
    assert window.views["households[0].members[0].group"].hint.text() == "người lớn"
    assert window.views["households[0].members[1].group"].hint.text() == "trẻ em"
    window.views["households[0].members[1].in_school"].input.choose("yes")
    assert _answers(store, window.record_id)["households"][0]["members"] == [
        {"name": "Lò Thị Mai", "age": 40},
        {"name": "Lò Văn Tủa", "age": 8, "in_school": "yes"}]

    # A second household starts with no members of its own; the first keeps its two.
    _click(qtbot, window.repeats["households"].add_button)
    assert len(window.repeats["households[1].members"].entries) == 0
    assert len(window.repeats["households[0].members"].entries) == 2
    assert _line(window, "households[0].members[1].name").text() == "Lò Văn Tủa"

    members = window.repeats["households[0].members"]
    _click(qtbot, members.remove_buttons[0])
    assert len(members.entries) == 1
    assert _line(window, "households[0].members[0].name").text() == "Lò Văn Tủa"
    assert not window.views["households[0].members[0].in_school"].isHidden()
    assert _answers(store, window.record_id)["households"] == [
        {"head": "Lò Văn Pọm", "size": 2,
         "members": [{"name": "Lò Văn Tủa", "age": 8, "in_school": "yes"}]},
        {}]

    # repeat_count on an inner repeat is reported on that repeat, as on a top-level one.
    _click(qtbot, window.complete_button)
    error = window.repeats["households[0].members"].error
    qtbot.waitUntil(error.isVisible)
    assert "Cần đúng 2 mục" in error.text()

    again = _reopen(qtbot, window)
    assert len(again.repeats["households"].entries) == 2
    inner = again.repeats["households[0].members"]
    assert len(inner.entries) == 1
    assert inner.title.text() == "Người trong hộ Lò Văn Pọm"
    assert _line(again, "households[0].members[0].name").text() == "Lò Văn Tủa"
    assert again.views["households[0].members[0].in_school"].input.value() == "yes"
    assert len(again.repeats["households[1].members"].entries) == 0


def test_an_entry_holding_only_a_repeat_can_be_added(qtbot, store, make_household, tmp_path):
    window = _open(qtbot, store, make_household, _inline(tmp_path, [
        {"type": "begin_repeat", "name": "visits", "label": {"vi": "Các lần đến"}},
        {"type": "begin_repeat", "name": "people", "label": {"vi": "Người gặp"}},
        {"type": "text", "name": "who", "label": {"vi": "Họ tên"}},
        {"type": "end_repeat"},
        {"type": "end_repeat"},
    ]))
    _click(qtbot, window.repeats["visits"].add_button)
    assert not window.banner.isVisible(), window.banner.text()
    _click(qtbot, window.repeats["visits[0].people"].add_button)
    replace_text(_line(window, "visits[0].people[0].who"), "Quàng Thị Ơn")
    assert _answers(store, window.record_id) == {"visits": [{"people": [{"who": "Quàng Thị Ơn"}]}]}


# -- 2. labels showing earlier answers ------------------------------------------------------

def test_labels_hints_and_titles_show_the_answers_they_name(
        qtbot, store, make_household, tmp_path):
    window = _open(qtbot, store, make_household, _inline(tmp_path, [
        {"type": "text", "name": "name", "label": {"vi": "Tên người được hỏi"}},
        {"type": "note", "name": "greeting", "label": {"vi": "Xin chào ${name}"}},
        {"type": "text", "name": "village", "label": {"vi": "${name} ở bản nào?"},
         "hint": {"vi": "Hỏi ${name} tên bản"}, "required": "yes"},
        {"type": "begin_group", "name": "family", "label": {"vi": "Gia đình ${name}"}},
        {"type": "begin_group", "name": "inner", "label": {"vi": "Các con của ${name}"}},
        {"type": "begin_repeat", "name": "children", "label": {"vi": "Con của ${name}"}},
        {"type": "text", "name": "child", "label": {"vi": "Tên con"}},
        {"type": "integer", "name": "child_age", "label": {"vi": "${child} bao nhiêu tuổi?"},
         "required": "yes", "required_message": {"vi": "Hãy hỏi tuổi của ${child}."}},
        {"type": "end_repeat"},
        {"type": "end_group"},
        {"type": "end_group"},
    ]))
    greeting = window.views["greeting"].label
    assert greeting.text() == "Xin chào "
    replace_text(_line(window, "name"), "Lan")
    assert greeting.text() == "Xin chào Lan"
    village = window.views["village"]
    assert village.label.text() == "Lan ở bản nào? *"
    assert village.hint.text() == "Hỏi Lan tên bản"
    assert village.input.focus_target().accessibleName() == "Lan ở bản nào?"

    window.go_to_page(window.page_of["children"])
    assert window.page_title.text() == "Gia đình Lan"
    titles = [label.text() for _path, label, _text in window.piped_titles]
    assert "Các con của Lan" in titles
    assert window.repeats["children"].title.text() == "Con của Lan"
    repeat = window.repeats["children"]
    _click(qtbot, repeat.add_button)
    _click(qtbot, repeat.add_button)
    replace_text(_line(window, "children[0].child"), "Mai")
    replace_text(_line(window, "children[1].child"), "Tủa")
    assert window.views["children[0].child_age"].label.text() == "Mai bao nhiêu tuổi? *"
    assert window.views["children[1].child_age"].label.text() == "Tủa bao nhiêu tuổi? *"
    _click(qtbot, window.complete_button)
    assert window.views["children[1].child_age"].error.text() == "Hãy hỏi tuổi của Tủa."

    replace_text(_line(window, "name"), "Hoa")
    assert window.repeats["children"].title.text() == "Con của Hoa"


# -- 3. appearances ---------------------------------------------------------------------------

def test_appearance_words_choose_the_inputs(qtbot, store, make_household, tmp_path):
    form = _inline(tmp_path, [
        {"type": "begin_group", "name": "page", "label": {"vi": "Một trang"},
         "appearance": "field-list"},
        {"type": "select_one yes_no", "name": "dropdown", "label": {"vi": "Có giấy khai sinh?"},
         "appearance": "minimal"},
        {"type": "select_one yes_no", "name": "radios", "label": {"vi": "Có sổ hộ khẩu?"},
         "appearance": "quick unknown-word"},
        {"type": "select_multiple papers", "name": "papers", "label": {"vi": "Giấy tờ mang theo"},
         "appearance": "horizontal-compact"},
        {"type": "select_multiple papers", "name": "lost", "label": {"vi": "Giấy tờ bị mất"}},
        {"type": "text", "name": "address", "label": {"vi": "Địa chỉ"},
         "appearance": "multiline"},
        {"type": "text", "name": "after", "label": {"vi": "Ghi chú"}},
        {"type": "end_group"},
    ], {
        "yes_no": [{"name": "yes", "label": {"vi": "Có"}},
                   {"name": "no", "label": {"vi": "Không"}}],
        "papers": [{"name": f"p{i}", "label": {"vi": f"Giấy {i}"}} for i in range(1, 7)],
    })
    window = _open(qtbot, store, make_household, form)
    assert window.page_title.text() == "Một trang"

    dropdown = window.views["dropdown"].input
    assert isinstance(dropdown, ComboInput), "minimal: a drop-down even for two choices"
    assert [dropdown.combo.itemText(i) for i in range(dropdown.combo.count())] == [
        "", "Có", "Không"]
    dropdown.combo.setCurrentIndex(dropdown.combo.findData("no"))
    dropdown.combo.activated.emit(dropdown.combo.currentIndex())
    assert _answers(store, window.record_id)["dropdown"] == "no"
    assert isinstance(window.views["radios"].input, RadioInput), "unknown words are ignored"

    papers = window.views["papers"].input
    assert isinstance(papers, MultiInput)
    tops = [box.geometry().top() for box in papers.boxes.values()]
    assert tops[:4] == [tops[0]] * 4, "check boxes side by side"
    assert tops[4] > tops[0], "a long list wraps onto the next row"
    tick(papers.boxes["p2"])
    tick(papers.boxes["p5"])
    assert _answers(store, window.record_id)["papers"] == "p2 p5"
    lost = window.views["lost"].input
    assert isinstance(lost, MultiInput)
    lefts = {box.geometry().left() for box in lost.boxes.values()}
    assert len(lefts) == 1, "without an appearance: one under another"

    address = window.views["address"].input
    assert isinstance(address, TextBoxInput)
    box = address.focus_target()
    assert isinstance(box, QPlainTextEdit)
    box.setFocus()
    type_text(box, "Số 3, Bản Phiêng Luông")
    press_enter(box)
    type_text(box, "Xã Mường Phăng")
    assert box.hasFocus(), "Enter starts a new line"
    assert "address" not in _answers(store, window.record_id), "saved on leaving the box"
    qtbot.keyClick(box, Qt.Key.Key_Return, Qt.KeyboardModifier.ControlModifier)
    assert not box.hasFocus(), "Ctrl+Enter moves on"
    assert _answers(store, window.record_id)["address"] == \
        "Số 3, Bản Phiêng Luông\nXã Mường Phăng"
    box.setFocus()
    type_text(box, ", tỉnh Điện Biên")
    line = window.views["after"].input
    assert isinstance(line, LineInput)
    line.edit.setFocus()
    assert _answers(store, window.record_id)["address"] == \
        "Số 3, Bản Phiêng Luông\nXã Mường Phăng, tỉnh Điện Biên"

    again = _reopen(qtbot, window)
    text = again.views["address"].input.focus_target().toPlainText()
    assert text.splitlines() == ["Số 3, Bản Phiêng Luông", "Xã Mường Phăng, tỉnh Điện Biên"]
    assert isinstance(again.views["dropdown"].input, ComboInput)
    assert again.views["dropdown"].input.value() == "no"
    assert again.views["papers"].input.value() == "p2 p5"



def test_a_calculated_number_is_shown_as_the_volunteer_writes_it(qtbot, store, make_household,
                                                                 tmp_path):
    """Kobo forms show a computed year or count under its label: 1986, not "1986.0", and a
    count of zero as 0, not as nothing."""
    survey = [
        {"type": "decimal", "name": "age", "label": {"vi": "Tuổi"}},
        {"type": "calculate", "name": "born", "label": {"vi": "Năm sinh"},
         "calculation": "2026 - ${age}"},
        {"type": "calculate", "name": "over", "label": {"vi": "Số năm quá 40"},
         "calculation": "if(${age} > 40, ${age} - 40, 0)"},
    ]
    window = _open(qtbot, store, make_household, _inline(tmp_path, survey))
    replace_text(_line(window, "age"), "40")
    assert window.views["born"].hint.text() == "1986"
    assert window.views["over"].hint.text() == "0"
    replace_text(_line(window, "age"), "42.5")
    assert window.views["born"].hint.text() == "1983.5"
