"""The trainer's tour over the real main window: it points at the real widgets, walks forward
and back by button and by key, lets nothing through to the window, and leaves no trace."""

import pytest
from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QSplitter, QWidget

from fieldkit.core.consent import ConsentInput
from fieldkit.core.households import add_village
from fieldkit.core.people import create_household
from fieldkit.core.profile import set_up_profile
from fieldkit.core.settings import Settings
from fieldkit.core.store import Store
from fieldkit.ui.main_window import MainWindow
from fieldkit.ui.person_dialog import PersonDialog
from fieldkit.ui.tour import GAP, Tour, TourOverlay, place_bubble
from tests.conftest import PASSPHRASE, VILLAGE, first_commune_code

from .keyboard import press_enter, type_text


@pytest.fixture
def households(make_household) -> list[str]:
    return [make_household("Lò Văn Pao", members=("Lò Thị Mai",)).household_id,
            make_household("Quàng Văn Sơn").household_id]


def _ready(qtbot, window) -> None:
    """Active, so keys sent to the window reach its focus widget; and the status bar is up (the
    window makes it on its first status update, just after it shows)."""
    window.activateWindow()
    qtbot.waitUntil(window.isActiveWindow)
    qtbot.waitUntil(lambda: window.statusBar().isVisible())


@pytest.fixture
def window(qtbot, households, main_window):
    main_window.load_villages()
    _ready(qtbot, main_window)
    return main_window


@pytest.fixture
def empty_window(qtbot, main_window):
    _ready(qtbot, main_window)
    return main_window


@pytest.fixture
def tour(window):
    return Tour(window)


def _targets(window) -> list[QWidget]:
    detail = window.detail
    return [window.search, window.village_list, window.table, window.new_household_button,
            detail.members, detail.add_button, detail.forms_button, detail.visit_panel,
            window.statusBar()]


def _on_overlay(widget: QWidget, overlay: QWidget) -> QRect:
    """Worked out through screen coordinates, independently of the tour's own mapping."""
    return QRect(widget.mapToGlobal(QPoint(0, 0)) - overlay.mapToGlobal(QPoint(0, 0)),
                 widget.size())


def _click_on_screen(window, widget: QWidget) -> None:
    """A click where `widget` is on screen, delivered to whatever is on top there, as a real
    mouse click would be (QTest.mouseClick on a widget would hand it straight to that widget)."""
    centre = widget.mapTo(window, widget.rect().center())
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, centre)


def _key(window, key: Qt.Key,
         modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    """Through the window, so the key goes to the focus widget and past the shortcut map."""
    QTest.keyClick(window.windowHandle(), key, modifier)


def _person_dialogs(window) -> list[PersonDialog]:
    return [d for d in window.findChildren(PersonDialog) if d.isVisible()]


def _close_dialogs(qtbot, window) -> None:
    for dialog in _person_dialogs(window):
        dialog.close()
    qtbot.waitUntil(lambda: not _person_dialogs(window))
    window.activateWindow()  # window shortcuts only fire in the active window
    qtbot.waitUntil(window.isActiveWindow)


def _go_to(tour: Tour, window, target: QWidget) -> None:
    for _ in tour.steps:
        assert tour.overlay is not None, f"the tour ended before reaching {target!r}"
        if tour.steps[tour.current].target(window) is target:
            return
        tour.next()
    pytest.fail(f"no step points at {target!r}")


def _assert_points_at(tour: Tour, target: QWidget) -> None:
    overlay = tour.overlay
    assert overlay is not None
    assert target.isVisible()
    assert overlay.highlight == _on_overlay(target, overlay)
    bubble = overlay.bubble.geometry()
    assert overlay.rect().contains(bubble), "the bubble stays on the window"
    assert not bubble.intersects(overlay.highlight), "the bubble hides nothing it explains"


# -- what it shows ---------------------------------------------------------------------------


def test_start_covers_the_window_and_shows_the_first_step(tour, window):
    tour.start()
    overlay = tour.overlay
    assert overlay is not None and overlay.isVisible()
    assert overlay.geometry() == window.rect(), "menus and status bar are covered too"
    assert overlay.hasFocus()
    assert tour.current == 0
    assert [step.target(window) for step in tour.steps] == _targets(window)
    bubble = overlay.bubble
    assert bubble.isVisible()
    assert bubble.counter.text() == "1/9"
    assert bubble.title.text() == "Tìm hộ"
    assert "không dấu" in bubble.text.text()
    assert not bubble.back_button.isEnabled()
    assert bubble.next_button.text() == "Tiếp"
    _assert_points_at(tour, window.search)


def test_each_step_rings_its_real_widget(qtbot, tour, window):
    tour.start()
    for number, target in enumerate(_targets(window), start=1):
        assert tour.overlay.bubble.counter.text() == f"{number}/9"
        _assert_points_at(tour, target)
        # Still true once the layout has settled: the ring follows the widget, not a guess.
        qtbot.waitUntil(lambda t=target: tour.overlay.highlight == _on_overlay(t, tour.overlay))
        _assert_points_at(tour, target)
        tour.next()
    assert tour.overlay is None, "next on the last step ends the tour"


def test_the_household_steps_open_a_household_so_the_visit_panel_shows(qtbot, tour, window):
    panel = window.detail.visit_panel
    assert window.detail.household_id is None and not panel.isVisible()

    tour.start()
    _go_to(tour, window, panel)
    assert window.detail.household_id == window.model.household_id(0)
    assert panel.start_button.isVisible()
    assert tour.overlay.bubble.title.text() == "Buổi hỗ trợ"
    assert "OTP" in tour.overlay.bubble.text.text()
    qtbot.waitUntil(lambda: tour.overlay.highlight == _on_overlay(panel, tour.overlay))
    _assert_points_at(tour, panel)


def test_back_goes_back_and_stops_at_the_first_step(tour, window):
    tour.start()
    tour.next()
    tour.next()
    tour.back()
    assert tour.current == 1
    assert tour.overlay.bubble.counter.text() == "2/9"
    _assert_points_at(tour, window.village_list)
    tour.back()
    tour.back()
    assert tour.current == 0
    _assert_points_at(tour, window.search)


def test_the_last_step_offers_to_finish(qtbot, tour):
    tour.start()
    for _ in range(8):
        tour.next()
    assert tour.overlay.bubble.next_button.text() == "Xong"
    with qtbot.waitSignal(tour.finished):
        tour.next()
    assert tour.overlay is None


def test_in_demo_mode_the_tour_starts_at_the_practice_banner(qtbot, tmp_path):
    """Where the trainer uses it: the sandbox, whose banner says it is practice data."""
    data_dir = tmp_path / "demo"
    store = Store.create(data_dir, PASSPHRASE, demo=True)
    try:
        profile = set_up_profile(store, "Lò Thị Trang", "0987654321", first_commune_code())
        with store.write() as session:
            village = add_village(session, profile.commune_id, VILLAGE, kind="ban")
            create_household(session, village.id, profile.volunteer_id,
                             ConsentInput(given_by="self"))
        window = MainWindow(store, profile, data_dir, Settings())
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        _ready(qtbot, window)
        assert window.banner is not None

        tour = Tour(window)
        tour.start()
        assert [step.target(window) for step in tour.steps] == [window.banner, *_targets(window)]
        assert tour.overlay.bubble.counter.text() == "1/10"
        assert tour.overlay.bubble.title.text() == "Chế độ thực hành"
        _assert_points_at(tour, window.banner)
        tour.exit()
        window.close()
    finally:
        store.close()


def test_an_empty_store_leaves_out_the_household_steps(empty_window):
    window = empty_window
    assert window.model.rowCount() == 0
    tour = Tour(window)
    tour.start()
    expected = [window.search, window.village_list, window.table,
                window.new_household_button, window.statusBar()]
    assert [step.target(window) for step in tour.steps] == expected
    for number, target in enumerate(expected, start=1):
        assert tour.overlay.bubble.counter.text() == f"{number}/5"
        _assert_points_at(tour, target)
        tour.next()
    assert tour.overlay is None
    assert window.detail.household_id is None


def test_a_search_that_found_nobody_is_cleared_for_the_household_steps(tour, window):
    window.search.setFocus()
    type_text(window.search, "không ai tên này")
    press_enter(window.search)
    assert window.model.rowCount() == 0
    tour.start()
    assert len(tour.steps) == 9
    assert window.search.text() == ""
    assert window.detail.household_id == window.model.household_id(0)


def test_a_village_with_no_household_gives_way_to_all_villages(store, profile, tour, window):
    with store.write() as session:
        empty = add_village(session, profile.commune_id, "Nậm Cang", kind="ban").id
    window.load_villages(select_id=empty)
    assert window.model.rowCount() == 0
    tour.start()
    assert len(tour.steps) == 9
    assert window.current_village() is None, "all villages"
    assert window.detail.household_id is not None


def test_the_ring_and_the_overlay_follow_a_resize(qtbot, tour, window):
    tour.start()
    _go_to(tour, window, window.detail.members)
    before = tour.overlay.highlight
    window.resize(window.width() - 200, window.height() - 100)
    qtbot.waitUntil(lambda: tour.overlay.geometry() == window.rect())
    qtbot.waitUntil(
        lambda: tour.overlay.highlight == _on_overlay(window.detail.members, tour.overlay))
    assert tour.overlay.highlight != before
    _assert_points_at(tour, window.detail.members)


# -- driving it --------------------------------------------------------------------------------


def test_the_bubble_buttons_work_with_the_mouse(qtbot, tour, window):
    tour.start()
    bubble = tour.overlay.bubble
    _click_on_screen(window, bubble.next_button)
    assert tour.current == 1
    _click_on_screen(window, bubble.next_button)
    assert tour.current == 2
    _click_on_screen(window, bubble.back_button)
    assert tour.current == 1
    with qtbot.waitSignal(tour.finished):
        _click_on_screen(window, bubble.exit_button)
    assert tour.overlay is None


def test_the_keys_work(qtbot, tour, window):
    tour.start()
    _key(window, Qt.Key.Key_Right)
    assert tour.current == 1
    _key(window, Qt.Key.Key_Return)
    assert tour.current == 2
    _key(window, Qt.Key.Key_Enter)
    assert tour.current == 3
    _key(window, Qt.Key.Key_Left)
    assert tour.current == 2
    _key(window, Qt.Key.Key_Tab)
    assert tour.overlay.hasFocus(), "Tab does not walk out to the widgets under the dim"
    with qtbot.waitSignal(tour.finished):
        _key(window, Qt.Key.Key_Escape)
    assert tour.overlay is None


def test_clicks_do_not_reach_the_window_under_the_tour(qtbot, tour, window):
    button = window.new_household_button
    assert button.isEnabled()
    _click_on_screen(window, button)  # without the tour the same click registers a household
    assert len(_person_dialogs(window)) == 1
    _close_dialogs(qtbot, window)

    tour.start()
    _click_on_screen(window, button)  # dimmed, on the first step
    _go_to(tour, window, button)
    _click_on_screen(window, button)  # even while it is the one in the ring
    _click_on_screen(window, window.table)
    assert _person_dialogs(window) == []
    assert tour.current == 3, "clicks on the window do not move the tour either"
    assert window.detail.household_id == window.model.household_id(0), \
        "the click on the list did not pick another household"


def test_shortcuts_do_not_reach_the_window_under_the_tour(qtbot, tour, window):
    _key(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    assert len(_person_dialogs(window)) == 1, "without the tour Ctrl+N registers a household"
    _close_dialogs(qtbot, window)

    tour.start()
    _key(window, Qt.Key.Key_N, Qt.KeyboardModifier.ControlModifier)
    _key(window, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    assert _person_dialogs(window) == []
    assert tour.overlay.hasFocus(), "Ctrl+F did not take the keyboard to the search box"


def test_the_ring_follows_a_widget_moved_inside_the_window(qtbot, tour, window):
    """A splitter moves the household panel; the members table stays put inside its parent."""
    members = window.detail.members
    tour.start()
    _go_to(tour, window, members)
    qtbot.waitUntil(lambda: tour.overlay.highlight == _on_overlay(members, tour.overlay))
    before = tour.overlay.highlight
    splitter = window.detail.parentWidget()
    assert isinstance(splitter, QSplitter)
    sizes = splitter.sizes()
    splitter.setSizes([sizes[0], sizes[1] + 120, sizes[2] - 120])
    qtbot.waitUntil(lambda: _on_overlay(members, tour.overlay) != before)
    assert tour.overlay.highlight == _on_overlay(members, tour.overlay)


def test_exit_removes_the_overlay_and_gives_focus_back(qtbot, tour, window):
    window.village_list.setFocus()
    qtbot.waitUntil(window.village_list.hasFocus)
    tour.start()
    tour.next()
    with qtbot.waitSignal(tour.finished):
        tour.exit()
    assert tour.overlay is None and tour.current == -1
    assert window.findChildren(TourOverlay) == []
    assert window.village_list.hasFocus()
    _click_on_screen(window, window.new_household_button)
    assert len(_person_dialogs(window)) == 1, "the window takes clicks again"
    _close_dialogs(qtbot, window)


def test_a_second_tour_starts_afresh(qtbot, tour, window):
    tour.start()
    tour.next()
    tour.exit()
    tour.start()
    assert len(window.findChildren(TourOverlay)) == 1
    assert tour.current == 0
    assert tour.overlay.bubble.counter.text() == "1/9"
    _assert_points_at(tour, window.search)
    _key(window, Qt.Key.Key_Right)
    assert tour.current == 1
    with qtbot.waitSignal(tour.finished):
        _key(window, Qt.Key.Key_Escape)


# -- where the bubble goes ---------------------------------------------------------------------

BOUNDS = QRect(0, 0, 1000, 700)
BUBBLE = QSize(300, 150)


def _inside(point: QPoint) -> bool:
    return BOUNDS.adjusted(GAP, GAP, -GAP, -GAP).contains(QRect(point, BUBBLE))


def test_the_bubble_goes_to_the_right_of_a_widget_with_room_there():
    ring = QRect(40, 100, 200, 300)
    point = place_bubble(BUBBLE, ring, BOUNDS)
    assert point == QPoint(ring.right() + 1 + GAP, ring.top())


def test_the_bubble_goes_left_of_a_widget_at_the_right_edge():
    ring = QRect(600, 500, 390, 180)
    point = place_bubble(BUBBLE, ring, BOUNDS)
    assert point.x() + BUBBLE.width() + GAP == ring.left()
    assert _inside(point), "slid up to stay on the window"


def test_the_bubble_goes_above_a_full_width_bar_at_the_bottom():
    ring = QRect(0, 660, 1000, 40)
    point = place_bubble(BUBBLE, ring, BOUNDS)
    assert point.y() + BUBBLE.height() + GAP == ring.top()
    assert _inside(point)


def test_the_bubble_stays_on_the_window_over_a_widget_that_fills_it():
    point = place_bubble(BUBBLE, BOUNDS, BOUNDS)
    assert _inside(point)
