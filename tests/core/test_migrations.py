"""A laptop that skipped releases must still open: stores made by the first schema are upgraded
in place, keep every row, and find old households by search."""

from datetime import date
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, text
from sqlmodel import SQLModel

from fieldkit.core import paths
from fieldkit.core.ids import commune_id
from fieldkit.core.keys import KeyParams, derive_key
from fieldkit.core.models import (
    SYNCED_TABLES,
    Commune,
    Consent,
    Household,
    Person,
    Village,
    Volunteer,
)
from fieldkit.core.outbox import LOCAL_METADATA
from fieldkit.core.people import update_person
from fieldkit.core.profile import load_profile, set_up_profile
from fieldkit.core.search import search_households
from fieldkit.core.store import MIGRATIONS_DIR, SCHEMA_HEAD, Store, _make_engine, migrate

PASSPHRASE = "passphrase-for-tests"
DEVICE_ID = "5f0c2a7e-9d1b-4c3e-8a6f-2b7d9e1c4a50"
COMMUNE_ID = "0190a1b2-0000-7000-8000-000000000001"
VILLAGE_ID = "0190a1b2-0000-7000-8000-000000000002"
VOLUNTEER_ID = "0190a1b2-0000-7000-8000-000000000003"
HOUSEHOLD_ID = "0190a1b2-0000-7000-8000-000000000004"
PERSON_ID = "0190a1b2-0000-7000-8000-000000000005"
CONSENT_ID = "0190a1b2-0000-7000-8000-000000000006"
STAMP = "2025-07-15 08:30:00.000000"

FIRST_RELEASE_ROWS = [
    "INSERT INTO local_meta (key, value) VALUES ('device_id', :device)",
    "INSERT INTO commune VALUES ('" + COMMUNE_ID + "', 1, :stamp, :device, 0, 31108, "
    "'Đặc khu Kiên Hải', 91, 'An Giang')",
    "INSERT INTO village (id, version, updated_at, device_id, deleted, commune_id, name, kind) "
    "VALUES ('" + VILLAGE_ID + "', 1, :stamp, :device, 0, '" + COMMUNE_ID + "', 'Bản Nà Tấu', "
    "'ban')",
    "INSERT INTO volunteer (id, version, updated_at, device_id, deleted, full_name, phone, "
    "commune_id) VALUES ('" + VOLUNTEER_ID + "', 1, :stamp, :device, 0, 'Lò Thị Linh', "
    "'0912345678', '" + COMMUNE_ID + "')",
    "INSERT INTO household (id, version, updated_at, device_id, deleted, village_id, head_name, "
    "address, phone, notes, sort_key) VALUES ('" + HOUSEHOLD_ID + "', 2, :stamp, :device, 0, '"
    + VILLAGE_ID + "', 'Nguyễn Văn Ân', 'Thôn Nà Tấu', NULL, '', 'nguyen van an')",
    "INSERT INTO person (id, version, updated_at, device_id, deleted, household_id, full_name, "
    "id_number, date_of_birth, gender, ethnicity, phone, relation_to_head, has_smartphone, "
    "phone_has_nfc, vneid_status) VALUES ('" + PERSON_ID + "', 3, :stamp, :device, 0, '"
    + HOUSEHOLD_ID + "', 'Nguyễn Văn Ân', '011078001234', '1978-04-02', 'male', 'Thái', "
    "'0987654321', 'head', 1, 0, 'level1')",
    "INSERT INTO consent (id, version, updated_at, device_id, deleted, person_id, purpose, "
    "data_categories, given_by, guardian_name, volunteer_id, given_at, withdrawn_at) VALUES ('"
    + CONSENT_ID + "', 1, :stamp, :device, 0, '" + PERSON_ID + "', 'Hỗ trợ VNeID', "
    "'[\"identity\"]', 'self', NULL, '" + VOLUNTEER_ID + "', :stamp, NULL)",
    "INSERT INTO outbox (table_name, row_id, version, created_at) VALUES ('person', '"
    + PERSON_ID + "', 3, :stamp)",
]


def make_first_release_store(data_dir: Path) -> Engine:
    """The files a laptop running the first release (schema 0001) left behind."""
    data_dir.mkdir(parents=True)
    params = KeyParams.new()
    engine = _make_engine(paths.db_path(data_dir), derive_key(PASSPHRASE, params))
    migrate(engine, "0001")
    with engine.begin() as conn:
        for sql in FIRST_RELEASE_ROWS:
            conn.execute(text(sql), {"device": DEVICE_ID, "stamp": STAMP})
    params.save(paths.key_path(data_dir))
    return engine


def revision(engine: Engine) -> str:
    with engine.connect() as conn:
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()


def test_schema_head_matches_the_migration_scripts() -> None:
    scripts = ScriptDirectory(str(MIGRATIONS_DIR))
    assert scripts.get_heads() == [SCHEMA_HEAD]
    assert scripts.get_current_head() == SCHEMA_HEAD


def test_the_fixture_really_is_a_first_release_store(tmp_path: Path) -> None:
    engine = make_first_release_store(tmp_path / "data")
    try:
        assert revision(engine) == "0001"
        with engine.connect() as conn:
            tables = set(
                conn.execute(text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars()
            )
        assert "household" in tables
        assert "household_search" not in tables
    finally:
        engine.dispose()


def test_opening_a_first_release_store_upgrades_it_and_keeps_the_data(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    make_first_release_store(data_dir).dispose()

    store = Store.open(data_dir, PASSPHRASE)
    try:
        assert revision(store.engine) == SCHEMA_HEAD
        assert store.device_id == DEVICE_ID
        assert store.outbox_size() == 1
        with store.read() as session:
            household = session.get(Household, HOUSEHOLD_ID)
            person = session.get(Person, PERSON_ID)
            assert household is not None and person is not None
            assert (household.head_name, household.address, household.version) == (
                "Nguyễn Văn Ân",
                "Thôn Nà Tấu",
                2,
            )
            assert (person.full_name, person.id_number, person.date_of_birth) == (
                "Nguyễn Văn Ân",
                "011078001234",
                date(1978, 4, 2),
            )
            assert (person.ethnicity, person.vneid_status, person.has_smartphone) == (
                "Thái",
                "level1",
                True,
            )
            conn = session.connection()
            assert search_households(conn, "nguyen van an") == [HOUSEHOLD_ID]
            assert search_households(conn, "ân") == [HOUSEHOLD_ID]
            assert search_households(conn, "0110780") == [HOUSEHOLD_ID]
            assert search_households(conn, "") == [HOUSEHOLD_ID]
    finally:
        store.close()


def test_an_upgraded_store_keeps_working_and_survives_reopening(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    make_first_release_store(data_dir).dispose()

    store = Store.open(data_dir, PASSPHRASE)
    try:
        with store.write() as session:
            update_person(session, PERSON_ID, "full_name", "Nguyễn Văn Ánh")
    finally:
        store.close()

    store = Store.open(data_dir, PASSPHRASE)
    try:
        assert revision(store.engine) == SCHEMA_HEAD
        with store.read() as session:
            person = session.get(Person, PERSON_ID)
            assert person is not None
            assert (person.full_name, person.version, person.device_id) == (
                "Nguyễn Văn Ánh",
                4,
                DEVICE_ID,
            )
            conn = session.connection()
            assert search_households(conn, "anh") == [HOUSEHOLD_ID]
            assert search_households(conn, "nguyen van an ") == [HOUSEHOLD_ID]  # prefix of Ánh
            assert search_households(conn, "bình") == []
    finally:
        store.close()


def test_migrate_to_head_directly(tmp_path: Path) -> None:
    engine = make_first_release_store(tmp_path / "data")
    try:
        migrate(engine)
        assert revision(engine) == SCHEMA_HEAD
        with engine.connect() as conn:
            assert search_households(conn, "nguyen") == [HOUSEHOLD_ID]
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
        migrate(engine)  # already at head: nothing to do, nothing broken
        assert revision(engine) == SCHEMA_HEAD
    finally:
        engine.dispose()


@pytest.mark.parametrize("start", ["fresh", "0001"])
def test_migrated_schema_matches_the_models(tmp_path: Path, start: str) -> None:
    """Migrations and models must not drift apart, however the store reached the head."""
    if start == "fresh":
        store = Store.create(tmp_path / "data", PASSPHRASE)
        engine = store.engine
    else:
        engine = make_first_release_store(tmp_path / "data")
        migrate(engine)
    # The search index is laptop-only and kept by raw SQL, outside the shared models.
    search_tables = {"search_key", "search_text"}

    def is_search(name: str) -> bool:
        return name in search_tables or name.startswith("search_text_")

    def include(obj, name, type_, reflected, compare_to) -> bool:
        if type_ == "table" and name is not None:
            return not is_search(name)
        if type_ == "index":
            return not is_search(obj.table.name)
        return True

    try:
        with engine.connect() as conn:
            context = MigrationContext.configure(
                conn, opts={"include_object": include, "compare_type": True}
            )
            diff = compare_metadata(context, [SQLModel.metadata, LOCAL_METADATA])
        assert diff == []
    finally:
        engine.dispose()


def test_a_store_at_0005_upgrades_to_0006_with_its_rows_real_not_demo(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    engine = make_first_release_store(data_dir)
    try:
        migrate(engine, "0005")
        assert revision(engine) == "0005"
        with engine.connect() as conn:
            columns = {row[1] for row in conn.exec_driver_sql("PRAGMA table_info(person)")}
        assert "demo" not in columns and "phone_in_own_name" not in columns
    finally:
        engine.dispose()

    store = Store.open(data_dir, PASSPHRASE)
    try:
        assert revision(store.engine) == SCHEMA_HEAD
        assert not store.is_demo
        with store.engine.connect() as conn:
            for table in SYNCED_TABLES:
                demo = conn.execute(
                    text(f"SELECT count(*), coalesce(sum(demo), 0) FROM {table.__tablename__}")
                ).one()
                assert demo[1] == 0, table.__tablename__
                if table in (Commune, Volunteer, Village, Household, Person, Consent):
                    assert demo[0] == 1, table.__tablename__
        with store.read() as session:
            person = session.get(Person, PERSON_ID)
            assert person is not None
            assert (person.full_name, person.id_number, person.version) == (
                "Nguyễn Văn Ân", "011078001234", 3)
            assert (person.has_smartphone, person.phone_in_own_name, person.demo) == (
                True, None, False)
        with store.write() as session:
            update_person(session, PERSON_ID, "full_name", "Nguyễn Văn Ánh")
        with store.read() as session:
            person = session.get(Person, PERSON_ID)
            assert person is not None
            assert (person.full_name, person.demo, person.version) == (
                "Nguyễn Văn Ánh", False, 4)
    finally:
        store.close()


def test_0007_gives_the_commune_its_official_id_and_keeps_every_reference(
        tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    engine = make_first_release_store(data_dir)
    try:
        migrate(engine, "0006")
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO local_meta (key, value) VALUES ('commune_id', :c), "
                              "('volunteer_id', :v)"), {"c": COMMUNE_ID, "v": VOLUNTEER_ID})
            conn.execute(text("INSERT INTO outbox (table_name, row_id, version, created_at) "
                              "VALUES ('commune', :c, 1, :stamp)"),
                         {"c": COMMUNE_ID, "stamp": STAMP})
    finally:
        engine.dispose()

    store = Store.open(data_dir, PASSPHRASE)
    official = commune_id(31108)
    try:
        assert official != COMMUNE_ID
        with store.read() as session:
            assert session.get(Commune, COMMUNE_ID) is None
            assert session.get(Commune, official).name == "Đặc khu Kiên Hải"
            assert session.get(Village, VILLAGE_ID).commune_id == official
            assert session.get(Volunteer, VOLUNTEER_ID).commune_id == official
        with store.engine.connect() as conn:
            queued = conn.execute(text("SELECT row_id FROM outbox WHERE table_name = 'commune'"))
            assert queued.scalars().all() == [official]
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        assert store.meta["commune_id"] == official
        assert load_profile(store).commune_id == official
    finally:
        store.close()


def test_two_laptops_set_up_for_one_commune_make_the_same_commune_row(tmp_path: Path) -> None:
    ids = []
    for name in ("a", "b"):
        store = Store.create(tmp_path / name, PASSPHRASE)
        try:
            profile = set_up_profile(store, "Lò Thị Linh", "", 31108)
            ids.append(profile.commune_id)
        finally:
            store.close()
    assert ids[0] == ids[1] == commune_id(31108)
