"""The encrypted store: nothing readable on disk, a wrong passphrase touches nothing, every write
is stamped and queued for sync in the same transaction."""

import hashlib
import shutil
import time
import uuid
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text
from sqlmodel import select

from fieldkit.core import paths
from fieldkit.core.consent import ConsentInput
from fieldkit.core.households import add_village, update_household
from fieldkit.core.models import Household, Person, Village
from fieldkit.core.people import create_household, update_person
from fieldkit.core.profile import Profile, set_up_profile
from fieldkit.core.search import search_households
from fieldkit.core.store import Store, StoreError, WrongPassphrase
from tests.conftest import first_commune_code

PASSPHRASE = "passphrase-for-tests"
SELF = ConsentInput(given_by="self")
HEAD_NAME = "Nguyễn Văn Bình"
ID_NUMBER = "001085012345"


def file_hashes(data_dir: Path) -> dict[str, str]:
    return {
        f.name: hashlib.sha256(f.read_bytes()).hexdigest()
        for f in sorted(data_dir.iterdir())
        if f.is_file()
    }


def raw_bytes(data_dir: Path) -> dict[str, bytes]:
    return {f.name: f.read_bytes() for f in sorted(data_dir.iterdir()) if f.is_file()}


def outbox_rows(store: Store, row_id: str) -> list[tuple[str, int]]:
    with store.engine.connect() as conn:
        return [
            (r.table_name, r.version)
            for r in conn.execute(
                text("SELECT table_name, version FROM outbox WHERE row_id = :r ORDER BY seq"),
                {"r": row_id},
            )
        ]


# -- nothing readable on disk ------------------------------------------------------------


def test_database_file_is_not_a_plain_sqlite_file(store: Store, data_dir: Path) -> None:
    header = paths.db_path(data_dir).read_bytes()[:16]
    assert not header.startswith(b"SQLite format 3")


def test_names_and_id_numbers_never_appear_in_the_files(
    store: Store, data_dir: Path, make_household: Callable[..., Any]
) -> None:
    make_household(HEAD_NAME, id_number=ID_NUMBER, address="Thôn Nà Hang")
    needles = {
        "name": HEAD_NAME.encode("utf-8"),
        "folded name": b"nguyen van binh",
        "id number": ID_NUMBER.encode("ascii"),
        "volunteer": "Lò Thị Linh".encode(),
    }

    def leaks() -> list[tuple[str, str]]:
        found = []
        for file_name, content in raw_bytes(data_dir).items():
            found += [(file_name, what) for what, needle in needles.items() if needle in content]
        return found

    # While open, the recent writes sit in the -wal file.
    assert (data_dir / "fieldkit.db-wal").exists()
    assert leaks() == []
    store.close()
    assert paths.db_path(data_dir).stat().st_size > 0
    assert leaks() == []


def test_reopening_with_the_right_passphrase_returns_the_data(
    store: Store, data_dir: Path, make_household: Callable[..., Any]
) -> None:
    made = make_household(HEAD_NAME, id_number=ID_NUMBER)
    device_id = store.device_id
    store.close()
    reopened = Store.open(data_dir, PASSPHRASE)
    try:
        assert reopened.device_id == device_id
        with reopened.read() as session:
            household = session.get(Household, made.household_id)
            head = session.get(Person, made.head_id)
            assert household is not None and household.head_name == HEAD_NAME
            assert head is not None and head.id_number == ID_NUMBER
            assert search_households(session.connection(), "binh") == [made.household_id]
    finally:
        reopened.close()


# -- a wrong passphrase ------------------------------------------------------------------


def test_wrong_passphrase_on_a_closed_store_changes_no_byte(
    store: Store, data_dir: Path, make_household: Callable[..., Any]
) -> None:
    make_household(HEAD_NAME)
    store.close()
    before = file_hashes(data_dir)
    with pytest.raises(WrongPassphrase) as caught:
        Store.open(data_dir, "passphrase-for-test")  # one letter short
    assert isinstance(caught.value, StoreError)
    assert "mật khẩu" in str(caught.value)
    assert file_hashes(data_dir) == before

    reopened = Store.open(data_dir, PASSPHRASE)
    try:
        with reopened.read() as session:
            assert session.exec(select(Household.head_name)).all() == [HEAD_NAME]
    finally:
        reopened.close()


def test_wrong_passphrase_while_another_instance_has_it_open_changes_no_byte(
    store: Store, data_dir: Path, make_household: Callable[..., Any]
) -> None:
    made = make_household(HEAD_NAME)
    wal = data_dir / "fieldkit.db-wal"
    assert wal.exists() and wal.stat().st_size > 0, "the writes should still be in the WAL"
    before = file_hashes(data_dir)
    assert {"fieldkit.db", "fieldkit.db-wal", "fieldkit.db-shm"} <= set(before)

    with pytest.raises(WrongPassphrase):
        Store.open(data_dir, "PASSPHRASE-FOR-TESTS")
    # -shm included: the key check must not even begin a WAL read (which claims a read-mark
    # slot in the -shm) before the key is known to be right.
    assert file_hashes(data_dir) == before

    # The open instance is unharmed and still writes.
    with store.write() as session:
        update_household(session, made.household_id, "address", "Thôn Mới")
    with store.read() as session:
        household = session.get(Household, made.household_id)
        assert household is not None and household.address == "Thôn Mới"


def test_wrong_passphrase_after_a_power_cut_changes_no_byte(
    store: Store, data_dir: Path, tmp_path: Path, make_household: Callable[..., Any]
) -> None:
    """The battery died with the app open: the files on disk still hold a -wal (and -shm).
    A mistyped passphrase at the next start must not checkpoint, rewrite or delete anything."""
    make_household(HEAD_NAME, id_number=ID_NUMBER)
    crashed = tmp_path / "after-power-cut"
    shutil.copytree(data_dir, crashed)  # the files as a power cut would leave them
    store.close()
    assert (crashed / "fieldkit.db-wal").stat().st_size > 0
    before = file_hashes(crashed)

    with pytest.raises(WrongPassphrase):
        Store.open(crashed, "wrong passphrase")
    assert file_hashes(crashed) == before

    reopened = Store.open(crashed, PASSPHRASE)
    try:
        with reopened.read() as session:
            assert session.exec(select(Person.id_number)).all() == [ID_NUMBER]
    finally:
        reopened.close()


# -- creating ------------------------------------------------------------------------------


def test_create_refuses_an_existing_store_and_leaves_it_intact(
    store: Store, data_dir: Path, make_household: Callable[..., Any]
) -> None:
    make_household(HEAD_NAME)
    store.close()
    before = file_hashes(data_dir)
    with pytest.raises(StoreError):
        Store.create(data_dir, "another-long-passphrase")
    assert file_hashes(data_dir) == before
    reopened = Store.open(data_dir, PASSPHRASE)
    try:
        with reopened.read() as session:
            assert session.exec(select(Household.head_name)).all() == [HEAD_NAME]
    finally:
        reopened.close()


@pytest.mark.parametrize("passphrase", ["", "short", "1234567"])
def test_create_refuses_short_passphrases_and_writes_nothing(
    tmp_path: Path, passphrase: str
) -> None:
    target = tmp_path / "new"
    with pytest.raises(StoreError) as caught:
        Store.create(target, passphrase)
    assert "8 ký tự" in str(caught.value)
    assert not target.exists() or list(target.iterdir()) == []


def test_create_accepts_an_eight_character_passphrase(tmp_path: Path) -> None:
    created = Store.create(tmp_path / "new", "12345678")
    created.close()
    Store.open(tmp_path / "new", "12345678").close()
    assert paths.store_exists(tmp_path / "new")


def test_an_interrupted_setup_can_simply_start_again(tmp_path: Path) -> None:
    """store.py: until the key file exists the directory does not count as a store, "so an
    interrupted setup simply starts again" (the app shows the setup window again)."""
    target = tmp_path / "new"
    Store.create(target, PASSPHRASE).close()
    paths.key_path(target).unlink()  # setup died before the key parameters were saved
    assert not paths.store_exists(target)

    again = Store.create(target, "a-new-passphrase")
    again.close()
    assert paths.store_exists(target)
    Store.open(target, "a-new-passphrase").close()


# -- connection settings -------------------------------------------------------------------


def pragmas(conn) -> tuple[str, int, int]:
    return (
        conn.exec_driver_sql("PRAGMA journal_mode").scalar(),
        conn.exec_driver_sql("PRAGMA synchronous").scalar(),
        conn.exec_driver_sql("PRAGMA foreign_keys").scalar(),
    )


def test_pragmas_are_in_force_on_store_connections(store: Store, data_dir: Path) -> None:
    with store.engine.connect() as conn:
        assert pragmas(conn) == ("wal", 2, 1)
    with store.write() as session:
        assert pragmas(session.connection()) == ("wal", 2, 1)
    store.close()
    reopened = Store.open(data_dir, PASSPHRASE)
    try:
        with reopened.read() as session:
            assert pragmas(session.connection()) == ("wal", 2, 1)
    finally:
        reopened.close()


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(Exception, match="FOREIGN KEY"), store.write() as session:
        session.add(Household(village_id="no-such-village"))
    with store.read() as session:
        assert session.exec(select(Household)).all() == []


# -- transactions, stamping and the outbox -------------------------------------------------


class Boom(Exception):
    pass


def test_a_failed_write_leaves_nothing_behind(
    store: Store, profile: Profile, village_id: str
) -> None:
    outbox_before = store.outbox_size()
    with pytest.raises(Boom), store.write() as session:
        household, head = create_household(session, village_id, profile.volunteer_id, SELF)
        update_person(session, head.id, "full_name", HEAD_NAME)
        ids = (household.id, head.id)
        raise Boom
    assert store.outbox_size() == outbox_before
    with store.read() as session:
        assert session.get(Household, ids[0]) is None
        assert session.get(Person, ids[1]) is None
        assert search_households(session.connection(), "binh") == []
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM consent")).scalar() == 0
        assert conn.execute(
            text("SELECT count(*) FROM outbox WHERE row_id IN (:a, :b)"),
            {"a": ids[0], "b": ids[1]},
        ).scalar() == 0


def test_every_write_is_stamped_and_queued_once(
    store: Store, profile: Profile, village_id: str
) -> None:
    with store.write() as session:
        household, _head = create_household(session, village_id, profile.volunteer_id, SELF)
        household_id = household.id
    with store.read() as session:
        first = session.get(Household, household_id)
        assert first is not None
        assert first.version == 1
        assert first.device_id == store.device_id
        assert isinstance(first.updated_at, datetime)
    assert outbox_rows(store, household_id) == [("household", 1)]

    time.sleep(0.01)
    with store.write() as session:
        update_household(session, household_id, "address", "Thôn Nà Hang")
    with store.read() as session:
        second = session.get(Household, household_id)
        assert second is not None
        assert second.version == 2
        assert second.device_id == store.device_id
        assert second.updated_at > first.updated_at
    assert outbox_rows(store, household_id) == [("household", 1), ("household", 2)]

    with store.write() as session:
        update_household(session, household_id, "notes", "Có hai cháu nhỏ")
    assert outbox_rows(store, household_id)[-1] == ("household", 3)


def test_one_write_touching_two_rows_queues_one_entry_for_each(
    store: Store, make_household: Callable[..., Any]
) -> None:
    made = make_household("")
    household_before = outbox_rows(store, made.household_id)
    head_before = outbox_rows(store, made.head_id)
    with store.write() as session:
        # Naming the head also names the household.
        update_person(session, made.head_id, "full_name", HEAD_NAME)
    household_after = outbox_rows(store, made.household_id)
    head_after = outbox_rows(store, made.head_id)
    assert household_after == [*household_before, ("household", household_before[-1][1] + 1)]
    assert head_after == [*head_before, ("person", head_before[-1][1] + 1)]


def test_deleting_a_synced_row_is_refused(
    store: Store, make_household: Callable[..., Any]
) -> None:
    made = make_household(HEAD_NAME)
    with pytest.raises(StoreError), store.write() as session:
        household = session.get(Household, made.household_id)
        session.delete(household)
        session.flush()
    with store.read() as session:
        household = session.get(Household, made.household_id)
        assert household is not None and not household.deleted
        assert session.exec(select(Village)).all() != []


def test_ids_are_uuid7_and_sort_by_creation_time(
    store: Store, profile: Profile, village_id: str
) -> None:
    made: list[str] = []
    for _ in range(5):
        with store.write() as session:
            household, head = create_household(session, village_id, profile.volunteer_id, SELF)
            made += [household.id, head.id]
        time.sleep(0.003)
    for row_id in [*made, profile.volunteer_id]:
        parsed = uuid.UUID(row_id)
        assert parsed.version == 7
        assert parsed.variant == uuid.RFC_4122
        assert str(parsed) == row_id
    # The commune's id is derived from its official code instead, the same on every laptop.
    assert uuid.UUID(profile.commune_id).version == 5
    households = made[0::2]
    assert sorted(households) == households
    millis = uuid.UUID(households[-1]).int >> 80
    assert abs(millis - time.time() * 1000) < 60_000


# -- the trainer's demo sandbox ------------------------------------------------------------


def demo_flags(store: Store) -> list[tuple[str, bool]]:
    with store.engine.connect() as conn:
        return [(r.tbl, bool(r.demo)) for r in conn.execute(text(
            "SELECT 'commune' AS tbl, demo FROM commune UNION ALL "
            "SELECT 'volunteer', demo FROM volunteer UNION ALL "
            "SELECT 'household', demo FROM household UNION ALL "
            "SELECT 'person', demo FROM person"))]


def test_a_demo_store_flags_every_row_it_writes_even_after_reopening(tmp_path: Path) -> None:
    target = tmp_path / "demo"
    created = Store.create(target, PASSPHRASE, demo=True)
    try:
        assert created.is_demo
        profile = set_up_profile(created, "Lò Thị Ánh", "0389123456", first_commune_code())
    finally:
        created.close()
    store = Store.open(target, PASSPHRASE)
    try:
        assert store.is_demo
        with store.write() as session:
            village_id = add_village(session, profile.commune_id, "Bản Nà Hỳ", "ban").id
            _household, head = create_household(session, village_id, profile.volunteer_id, SELF)
        with store.write() as session:
            update_person(session, head.id, "full_name", HEAD_NAME)
        flags = demo_flags(store)
        assert {t for t, _ in flags} == {"commune", "volunteer", "household", "person"}
        assert all(demo for _, demo in flags), flags
    finally:
        store.close()


def test_a_normal_store_is_not_demo_and_never_flags_a_row(
    store: Store, make_household: Callable[..., Any]
) -> None:
    made = make_household(HEAD_NAME, id_number=ID_NUMBER)
    with store.write() as session:
        update_person(session, made.head_id, "full_name", "Nguyễn Văn Bảo")
    assert not store.is_demo
    flags = demo_flags(store)
    assert {t for t, _ in flags} == {"commune", "volunteer", "household", "person"}
    assert not any(demo for _, demo in flags), flags
