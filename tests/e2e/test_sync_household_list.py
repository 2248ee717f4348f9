"""A household list imported on the commune server reaches the laptops' encrypted stores at
their next sync, and a hamlet typed offline on a laptop meets the same hamlet on the list as
one village."""

from datetime import date
from pathlib import Path

from openpyxl import Workbook
from sqlalchemy import text

from fieldkit.core.commune_list import register_listed
from fieldkit.core.ids import village_id
from fieldkit.core.table_files import read_table
from fieldkit.core.work_list import work_list
from fieldkit.sync_client.runner import sync
from fieldkit_server.assignments import assign
from fieldkit_server.household_import import import_households
from tests.conftest import SELF, first_commune_code
from tests.e2e.sync_laptops import FAST_RETRY


def commune_list(path: Path) -> Path:
    book = Workbook()
    sheet = book.active
    for row in (["Họ và tên chủ hộ", "Bản", "Năm sinh", "Số CCCD", "Địa chỉ"],
                ["Lò Văn Pánh", "Phiêng Luông", "1985", "011085000123", "Số 1"],
                ["Giàng Thị Mỷ", "Tà Xùa", "1990", "011190000456", "Số 2"]):
        sheet.append(row)
    book.save(path)
    return path


def test_both_laptops_pull_the_list_and_the_typed_hamlet_stays_one(laptop_a, laptop_b,
                                                                     server, tmp_path):
    table = read_table(commune_list(tmp_path / "ds.xlsx"))
    result = import_households(server.engine, first_commune_code(), table, "ds.xlsx", "cli")
    assert result.imported == 2
    for laptop in (laptop_a, laptop_b):
        report = sync(laptop.store, retry=FAST_RETRY)
        assert report.pushed_rejected == report.pushed_conflict == report.pulled_conflicts == 0
        with laptop.store.engine.connect() as conn:
            listed = conn.execute(text(
                "SELECT l.head_name, l.id_number, l.birth_year, v.name FROM listed_household l "
                "JOIN village v ON v.id = l.village_id ORDER BY l.head_name")).all()
            villages = conn.execute(text("SELECT name FROM village ORDER BY name")).scalars()
            assert [tuple(row) for row in listed] == [
                ("Giàng Thị Mỷ", "011190000456", 1990, "Bản Tà Xùa"),
                ("Lò Văn Pánh", "011085000123", 1985, "Bản Phiêng Luông")]
            assert list(villages) == ["Bản Phiêng Luông", "Bản Tà Xùa"]
    with server.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM village")).scalar_one() == 2


def test_an_assignment_made_on_the_server_tops_the_volunteers_work_list(laptop_a, server,
                                                                         tmp_path):
    assert sync(laptop_a.store, retry=FAST_RETRY).pushed_rejected == 0  # volunteer, hamlet
    table = read_table(commune_list(tmp_path / "ds.xlsx"))
    import_households(server.engine, first_commune_code(), table, "ds.xlsx", "cli")
    ta_xua = village_id(laptop_a.profile.commune_id, "Bản Tà Xùa")
    assign(server.engine, "minh", laptop_a.profile.volunteer_id, ta_xua, [], date(2027, 1, 20))
    report = sync(laptop_a.store, retry=FAST_RETRY)
    assert report.pulled_conflicts == 0
    with laptop_a.store.read() as session:
        work = work_list(session.connection(), laptop_a.profile.commune_id,
                         laptop_a.profile.volunteer_id)
    assert [(item.head_name, item.assigned, item.due_on) for item in work.items] == [
        ("Giàng Thị Mỷ", True, date(2027, 1, 20)), ("Lò Văn Pánh", False, None)]


def test_a_household_registered_from_the_list_is_linked_on_the_server(laptop_a, server,
                                                                       tmp_path):
    table = read_table(commune_list(tmp_path / "ds.xlsx"))
    import_households(server.engine, first_commune_code(), table, "ds.xlsx", "cli")
    sync(laptop_a.store, retry=FAST_RETRY)
    with laptop_a.store.read() as session:
        listed_id = session.connection().execute(text(
            "SELECT id FROM listed_household WHERE head_name = 'Lò Văn Pánh'")).scalar_one()
    with laptop_a.store.write() as session:
        household, _ = register_listed(session, listed_id, laptop_a.profile.volunteer_id, SELF)
        household_id = household.id
    report = sync(laptop_a.store, retry=FAST_RETRY)
    assert report.pushed_rejected == report.pushed_conflict == 0
    with server.engine.connect() as conn:
        assert conn.execute(text("SELECT household_id FROM listed_household WHERE id = :i"),
                            {"i": listed_id}).scalar_one() == household_id
        assert conn.execute(text("SELECT id_number FROM person")).scalar_one() == \
            "011085000123"
