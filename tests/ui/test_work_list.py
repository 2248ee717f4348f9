"""The work list window driven from the keyboard on the real main window: assignments first,
counts on the kind buttons, a hamlet filter, Enter to open a household, and a listed
household registered with consent first and its list values copied in."""

from datetime import date

from PySide6.QtCore import Qt
from sqlmodel import select

from fieldkit.core.households import add_village
from fieldkit.core.models import Assignment, ListedHousehold, Person
from fieldkit.core.people import update_person
from fieldkit.ui.person_dialog import PersonDialog
from fieldkit.ui.work_list_dialog import WorkListDialog

from .keyboard import tick
from .test_register_household import _open_dialog


def _listed(store, village_id: str, head: str, **values) -> str:
    with store.write() as session:
        entry = ListedHousehold(village_id=village_id, head_name=head, **values)
        session.add(entry)
        session.flush()
        return entry.id


def _open_work_list(qtbot, window) -> WorkListDialog:
    window.work_list_action.trigger()
    dialogs = [d for d in window.findChildren(WorkListDialog) if d.isVisible()]
    assert len(dialogs) == 1
    qtbot.waitActive(dialogs[0])
    return dialogs[0]


def _rows(dialog: WorkListDialog) -> list[tuple[str, str]]:
    model = dialog.model
    return [(model.index(r, 1).data(), model.index(r, 3).data())
            for r in range(model.rowCount())]


def test_assigned_first_counts_filters_and_enter_opens_the_household(
        qtbot, main_window, store, profile, village_id, make_household):
    with store.write() as session:
        other = add_village(session, profile.commune_id, "Bản Tà Xùa", "ban").id
    waiting = make_household("Lò Thị Chờ", village=other)
    with store.write() as session:
        update_person(session, waiting.head_id, "vneid_status", "level1")
    make_household("Cầm Văn Chưa")
    given = _listed(store, village_id, "Sùng A Giao")
    _listed(store, other, "Hà Văn Danh Sách")
    with store.write() as session:
        session.add(Assignment(volunteer_id=profile.volunteer_id, village_id=village_id,
                               listed_household_id=given, due_on=date(2027, 1, 20)))

    dialog = _open_work_list(qtbot, main_window)
    assert _rows(dialog) == [
        ("Sùng A Giao", "Hộ được giao chưa đến"),
        ("Cầm Văn Chưa", "Chưa có tài khoản VNeID: 1 người"),
        ("Lò Thị Chờ", "Chờ lên mức 2 tại công an: 1 người"),
        ("Hà Văn Danh Sách", "Hộ trong danh sách xã chưa đến")]
    assert dialog.model.index(0, 4).data() == "20/01/2027"
    texts = [b.text() for b in dialog.kind_buttons.buttons()]
    assert texts[0] == "Tất cả (4)" and "Chờ lên mức 2 tại công an (1)" in texts

    qtbot.keyClick(dialog, Qt.Key.Key_5, Qt.KeyboardModifier.AltModifier)  # waiting level 2
    assert _rows(dialog) == [("Lò Thị Chờ", "Chờ lên mức 2 tại công an: 1 người")]
    qtbot.keyClick(dialog, Qt.Key.Key_0, Qt.KeyboardModifier.AltModifier)
    dialog.village.setCurrentIndex(dialog.village.findText("Bản Tà Xùa"))
    assert [name for name, _ in _rows(dialog)] == ["Lò Thị Chờ", "Hà Văn Danh Sách"]
    assert dialog.count.text() == "2 hộ"

    qtbot.waitUntil(dialog.table.hasFocus)  # the list, not a button, takes the keys
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: main_window.detail.title.text() == "Lò Thị Chờ")


def test_a_listed_household_is_registered_consent_first(qtbot, main_window, store, profile,
                                                        village_id):
    entry = _listed(store, village_id, "Lò Văn Pánh", id_number="011085000123",
                    date_of_birth=date(1985, 3, 15), birth_year=1985, gender="male",
                    address="Số 3")
    dialog = _open_work_list(qtbot, main_window)
    assert _rows(dialog) == [("Lò Văn Pánh", "Hộ trong danh sách xã chưa đến")]
    qtbot.keyClick(dialog.table, Qt.Key.Key_Return)
    person = _open_dialog(main_window)
    assert isinstance(person, PersonDialog)
    with store.read() as session:  # nothing written before consent
        assert session.exec(select(Person)).all() == []
    page = person.consent_page
    tick(page.confirm)
    qtbot.mouseClick(page.button, Qt.MouseButton.LeftButton)
    form = person.person_form
    assert form is not None
    assert (form.full_name.text(), form.id_number.text(), form.date_of_birth.text()) == (
        "Lò Văn Pánh", "011085000123", "15/03/1985")
    assert person.household_form is not None
    assert person.household_form.address.text() == "Số 3"
    qtbot.mouseClick(person.done_button, Qt.MouseButton.LeftButton)
    qtbot.waitUntil(lambda: _rows(dialog) == [("Lò Văn Pánh",
                                               "Chưa có tài khoản VNeID: 1 người")])
    with store.read() as session:
        linked = session.get(ListedHousehold, entry)
        assert linked is not None and linked.household_id == person.household_id
