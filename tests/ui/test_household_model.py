"""The household list model: a correct Qt model that keeps ids and reads rows a page at a time."""

from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

from fieldkit.core.communes import communes_of, provinces
from fieldkit.core.consent import ConsentInput
from fieldkit.core.folding import fold
from fieldkit.core.households import add_village
from fieldkit.core.people import create_household, update_person
from fieldkit.core.profile import set_up_profile
from fieldkit.core.store import Store
from fieldkit.ui.household_table import ID_ROLE, PAGE, HouseholdTableModel
from tests.conftest import PASSPHRASE

SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng",
            "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý", "Lò", "Đinh", "Giàng", "Quàng")
MIDDLE = ("Văn", "Thị", "Đức", "Minh", "Hữu", "Ngọc", "Thanh")
GIVEN = ("An", "Bình", "Chi", "Dũng", "Giang", "Hà", "Khánh", "Lan", "Mai", "Nam", "Oanh",
         "Phúc", "Quân", "Sơn", "Thảo", "Uyên", "Vy", "Yến", "Tùng", "Xuân", "Hạnh")
COUNT = 250


def head_names() -> list[str]:
    return [f"{SURNAMES[i % len(SURNAMES)]} {MIDDLE[i % len(MIDDLE)]} {GIVEN[i % len(GIVEN)]}"
            for i in range(COUNT)]


@pytest.fixture(scope="module")
def big_store(tmp_path_factory) -> Iterator[Store]:
    data_dir: Path = tmp_path_factory.mktemp("households") / "data"
    store = Store.create(data_dir, PASSPHRASE)
    code = communes_of(provinces()[0][0])[0].code
    profile = set_up_profile(store, "Lò Thị Linh", "0912345678", code)
    with store.write() as session:
        village = add_village(session, profile.commune_id, "Bản Phiêng Luông", kind="ban")
        for name in head_names():
            _, head = create_household(session, village.id, profile.volunteer_id,
                                       ConsentInput(given_by="self"))
            update_person(session, head.id, "full_name", name)
    try:
        yield store
    finally:
        store.close()


def shown_heads(model: HouseholdTableModel) -> list[str]:
    return [model.index(row, 0).data() for row in range(model.rowCount())]


def test_model_is_a_correct_qt_model_for_the_whole_list(qtmodeltester, big_store):
    model = HouseholdTableModel(big_store)
    model.search("", None)
    assert model.rowCount() == COUNT
    qtmodeltester.check(model)


def test_model_is_a_correct_qt_model_for_a_search(qtmodeltester, big_store):
    model = HouseholdTableModel(big_store)
    model.search("nguyen", None)
    assert 0 < model.rowCount() < COUNT
    qtmodeltester.check(model)


def test_rows_are_read_a_page_at_a_time_only_when_shown(big_store):
    assert COUNT > 2 * PAGE, "the list must span several pages for this test to mean anything"
    model = HouseholdTableModel(big_store)
    model.search("", None)
    assert model.rowCount() == COUNT
    assert model._rows == {}, "searching must read ids only, not rows"

    assert model.index(0, 0).data()
    assert 0 < len(model._rows) <= PAGE
    first_page = dict(model._rows)

    last = COUNT - 1
    assert model.index(last, 0).data()
    assert len(model._rows) <= len(first_page) + PAGE
    assert model.household_id(last) in model._rows
    assert first_page.items() <= model._rows.items(), "a loaded page stays cached"

    model.search("", None)
    assert model._rows == {}, "a new search forgets the rows it had read"


def test_typing_without_diacritics_finds_dang(big_store):
    model = HouseholdTableModel(big_store)
    model.search("dang", None)
    expected = sorted(n for n in head_names() if n.startswith("Đặng "))
    assert expected, "the fixture must hold some Đặng heads"
    heads = shown_heads(model)
    assert sorted(heads) == expected
    ids = [model.index(row, 0).data(ID_ROLE) for row in range(model.rowCount())]
    assert len(set(ids)) == len(expected)


def test_list_is_sorted_by_folded_head_name(big_store):
    model = HouseholdTableModel(big_store)
    model.search("", None)
    heads = shown_heads(model)
    assert sorted(heads) == sorted(head_names())
    folded = [fold(h) for h in heads]
    assert folded == sorted(folded)
    # Vietnamese order, not code-point order: "Đặng" sits with the d's, before "Hoàng",
    # where a plain string sort would put it after "Vũ".
    first_dang = next(i for i, h in enumerate(heads) if h.startswith("Đặng "))
    first_hoang = next(i for i, h in enumerate(heads) if h.startswith("Hoàng "))
    last_duong = max(i for i, h in enumerate(heads) if h.startswith("Dương "))
    assert first_dang < first_hoang
    assert first_dang < last_duong
    assert model.headerData(0, Qt.Orientation.Horizontal) == "Chủ hộ"
