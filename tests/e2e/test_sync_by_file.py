"""Sync by USB stick for hamlets with no signal: a laptop's encrypted, signed file imported at
the commune with the rules of an online push, the answer file carried back, and any mix of
file and online sync ending with exactly one copy of every row. Real SQLCipher stores, a
real commune server and its database, the real commands."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from fieldkit.core.households import update_household
from fieldkit.core.sync_apply import conflicts
from fieldkit.core.sync_file import SyncFileError
from fieldkit.core.usb_sync import export_sync_file, import_answer_file
from fieldkit.sync_client.runner import sync
from fieldkit_server.devices import revoke_device
from fieldkit_server.sync_files import import_sync_file
from tests.conftest import PASSPHRASE
from tests.e2e.sync_laptops import FAST_RETRY, Laptop, enrolled, new_laptop
from tests.e2e.test_cli import run_fieldkit
from tests.live_server import LiveServer

TABLES = ("village", "household", "person", "consent")


def counts(server: LiveServer) -> dict[str, int]:
    with server.engine.connect() as conn:
        return {table: conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()
                for table in TABLES}


@pytest.fixture
def laptop_c(tmp_path: Path, server: LiveServer) -> Iterator[Laptop]:
    """A laptop of the same commune with a hamlet of its own."""
    laptop = enrolled(new_laptop(tmp_path / "c", "C", village="Bản Tà Xùa",
                                 volunteer="Cầm Văn Sáng"), server, "Máy C")
    yield laptop
    laptop.store.close()


def carry(laptop: Laptop, server: LiveServer, stick: Path) -> tuple[Path, object]:
    """Export on the laptop, import at the commune; returns the answer file and the report."""
    exported = export_sync_file(laptop.store, stick / "to-commune.fksync")
    answer, done = import_sync_file(server.engine, exported.path.read_bytes(), "minh")
    path = stick / "answer.fksync"
    path.write_bytes(answer)
    return path, done


def test_a_round_trip_by_file_then_online_sync_leaves_one_copy_of_every_row(
        laptop_a, laptop_b, server, tmp_path):
    laptop_a.register("Lò Thị Mai", members=("Cầm Văn Pao", "Lò Văn Pánh"))
    laptop_a.register("Giàng A Páo")
    waiting, queued = laptop_a.store.pending_changes(), laptop_a.store.outbox_size()
    answer, done = carry(laptop_a, server, tmp_path)
    # Every record once; the commune's row, made by the server too, is answered "duplicate".
    assert (done.statuses["applied"], done.statuses["duplicate"]) == (waiting - 1, 1)
    assert laptop_a.store.outbox_size() == queued  # nothing forgotten until the answer
    assert counts(server) == {"village": 1, "household": 2, "person": 4, "consent": 4}

    report = import_answer_file(laptop_a.store, answer)
    assert report.applied == waiting - 1 and laptop_a.store.outbox_size() == 0
    online = sync(laptop_a.store, retry=FAST_RETRY)
    assert online.pushed_applied == 0 and online.pulled == 0
    assert sync(laptop_b.store, retry=FAST_RETRY).pulled >= 2 + 4 + 4
    for table in TABLES:
        assert laptop_a.count(table) == laptop_b.count(table) == counts(server)[table], table


def test_importing_the_same_file_twice_changes_nothing(laptop_a, server, tmp_path):
    laptop_a.register("Lò Thị Mai")
    exported = export_sync_file(laptop_a.store, tmp_path / "f.fksync").path.read_bytes()
    _, first = import_sync_file(server.engine, exported, "minh")
    before = counts(server)
    with server.engine.connect() as conn:
        seq = conn.execute(text("SELECT value FROM sync_counter")).scalar_one()
    answer, again = import_sync_file(server.engine, exported, "minh")
    assert counts(server) == before
    with server.engine.connect() as conn:
        assert conn.execute(text("SELECT value FROM sync_counter")).scalar_one() == seq
    # The stored answers are given again, and said to be old news.
    assert (again.replayed, again.statuses) == (first.batches, {})
    (tmp_path / "a.fksync").write_bytes(answer)
    assert import_answer_file(laptop_a.store, tmp_path / "a.fksync").applied == \
        first.statuses["applied"]
    assert laptop_a.store.outbox_size() == 0


def test_a_file_sent_online_first_and_its_answer_read_late_leaves_no_conflict(
        laptop_a, server, tmp_path):
    household_id, _ = laptop_a.register("Lò Thị Mai")
    exported = export_sync_file(laptop_a.store, tmp_path / "f.fksync")
    # Signal came back before the stick reached the commune: an online sync, then an edit.
    sync(laptop_a.store, retry=FAST_RETRY)
    with laptop_a.store.write() as session:
        update_household(session, household_id, "address", "Số 5, Bản Phiêng Luông")
    sync(laptop_a.store, retry=FAST_RETRY)
    answer, done = import_sync_file(server.engine, exported.path.read_bytes(), "minh")
    assert done.statuses["applied"] == 0  # the server had every change already
    (tmp_path / "late.fksync").write_bytes(answer)
    import_answer_file(laptop_a.store, tmp_path / "late.fksync")
    with laptop_a.store.write() as session:
        update_household(session, household_id, "address", "Số 6, Bản Phiêng Luông")
    report = sync(laptop_a.store, retry=FAST_RETRY)
    assert report.pushed_conflict == 0 and report.pushed_applied == 1
    assert conflicts(laptop_a.store) == []
    with server.engine.connect() as conn:
        assert conn.execute(text("SELECT address FROM household")).scalar_one() == \
            "Số 6, Bản Phiêng Luông"


def test_a_tampered_foreign_or_revoked_file_is_refused_and_nothing_is_stored(
        laptop_a, laptop_c, server, tmp_path):
    laptop_a.register("Lò Thị Mai")
    data = bytearray(export_sync_file(laptop_a.store, tmp_path / "f.fksync").path.read_bytes())
    tampered = bytearray(data)
    tampered[-5] ^= 0x01
    with pytest.raises(SyncFileError, match="đã bị sửa"):
        import_sync_file(server.engine, bytes(tampered), "minh")
    with pytest.raises(SyncFileError, match="không phải tệp đồng bộ"):
        import_sync_file(server.engine, b"PK\x03\x04 a spreadsheet", "minh")
    assert counts(server)["household"] == 0

    laptop_c.register("Cầm Văn Sáng")
    answer, _ = carry(laptop_c, server, tmp_path)
    with pytest.raises(SyncFileError, match="máy khác"):
        import_answer_file(laptop_a.store, answer)

    revoke_device(server.engine, laptop_a.store.device_id)
    with pytest.raises(SyncFileError, match="thu hồi"):
        import_sync_file(server.engine, bytes(data), "minh")
    assert counts(server)["household"] == 1  # laptop B's only


def test_the_answer_brings_back_what_an_online_pull_would(laptop_a, laptop_c, server,
                                                          tmp_path):
    laptop_c.register("Cầm Văn Sáng")
    sync(laptop_c.store, retry=FAST_RETRY)
    laptop_a.register("Lò Thị Mai")
    answer, done = carry(laptop_a, server, tmp_path)
    assert done.pulled >= 3  # B's household, its head and consent
    import_answer_file(laptop_a.store, answer)
    assert laptop_a.count("household") == 2 and laptop_a.count("village") == 2


def test_the_commands_carry_a_file_both_ways(laptop_a, server, tmp_path):
    laptop_a.register("Lò Thị Mai")
    data_dir = laptop_a.store.data_dir
    laptop_a.store.close()
    stick = tmp_path / "usb"
    stick.mkdir()
    exported = run_fieldkit("--data-dir", str(data_dir), "export-sync", str(stick),
                            passphrase=PASSPHRASE)
    assert exported.returncode == 0, exported.stderr
    (made,) = stick.glob("fieldkit-*.fksync")
    assert "thay đổi" in exported.stdout
    imported = run_server("import-sync", str(made), "--db", server.db_url)
    assert imported.returncode == 0, imported.stderr
    assert "nhận mới" in imported.stdout
    (answer,) = stick.glob("*-tra-loi.fksync")
    back = run_fieldkit("--data-dir", str(data_dir), "import-sync", str(answer),
                        passphrase=PASSPHRASE)
    assert back.returncode == 0, back.stderr
    assert "Máy chủ đã nhận" in back.stdout
    tampered = stick / "bad.fksync"
    tampered.write_bytes(made.read_bytes()[:-3] + b"xyz")
    refused = run_server("import-sync", str(tampered), "--db", server.db_url)
    assert refused.returncode == 1 and "đã bị sửa" in refused.stderr


def run_server(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "fieldkit_server.cli", *args],
                          capture_output=True, text=True, timeout=120)


def test_an_old_file_imported_after_a_newer_online_edit_is_old_news_not_a_conflict(
        laptop_a, server, tmp_path):
    household_id, _ = laptop_a.register("Lò Thị Mai")
    sync(laptop_a.store, retry=FAST_RETRY)
    with laptop_a.store.write() as session:
        update_household(session, household_id, "address", "Số 5")
    exported = export_sync_file(laptop_a.store, tmp_path / "old.fksync")
    with laptop_a.store.write() as session:
        update_household(session, household_id, "address", "Số 6")
    sync(laptop_a.store, retry=FAST_RETRY)
    answer, done = import_sync_file(server.engine, exported.path.read_bytes(), "minh")
    assert done.statuses["conflict"] == 0
    with server.engine.connect() as conn:
        assert conn.execute(text("SELECT address FROM household")).scalar_one() == "Số 6"
        assert conn.execute(text("SELECT count(*) FROM conflict")).scalar_one() == 0
    (tmp_path / "late.fksync").write_bytes(answer)
    assert import_answer_file(laptop_a.store, tmp_path / "late.fksync").conflict == 0
    assert conflicts(laptop_a.store) == []


def test_files_broken_in_other_ways_are_refused_with_a_reason_not_a_crash(
        laptop_a, server, tmp_path):
    from fieldkit.core.sync_file import MAGIC
    from fieldkit_server.devices import readmit_device

    for broken in (MAGIC + b"\x00\x00\x00\x03[1]" + b"\x00" * 20,  # a header that is no object
                   MAGIC + b"\xff\xff\xff\xff",  # a length past the end
                   b""):
        with pytest.raises(SyncFileError, match="không phải tệp đồng bộ"):
            import_sync_file(server.engine, broken, "minh")
    laptop_a.register("Lò Thị Mai")
    data = export_sync_file(laptop_a.store, tmp_path / "f.fksync").path.read_bytes()
    revoke_device(server.engine, laptop_a.store.device_id)
    readmit_device(server.engine, laptop_a.store.device_id)
    with pytest.raises(SyncFileError, match="đăng ký lại"):
        import_sync_file(server.engine, data, "minh")
