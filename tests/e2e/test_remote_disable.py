"""Remote disable: a laptop the commune revoked locks its store at its next contact with the
server and says why; its data is kept, encrypted, and comes back with it once the officer
readmits it and it enrols again.

Real commune server (uvicorn on 127.0.0.1), real encrypted laptop stores, real HTTP, and the
real `fieldkit` command as a separate process.
"""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, text, update

from fieldkit.core.columns import as_utc, utcnow
from fieldkit.core.people import update_person
from fieldkit.core.revocation import (
    StoreDisabled,
    local_time,
    refuse_if_disabled,
    revocation_of,
)
from fieldkit.core.store import Store
from fieldkit.core.sync_apply import saved_batch
from fieldkit.core.sync_protocol import PING_PATH
from fieldkit.core.synthetic import populate
from fieldkit.sync_client.client import NotEnrolled, Revoked, SyncError
from fieldkit.sync_client.enrol import enrol
from fieldkit.sync_client.runner import sync
from fieldkit.sync_client.store_client import store_client
from fieldkit_server.devices import readmit_device, revoke_device
from fieldkit_server.tables import audit_log, device
from tests.conftest import PASSPHRASE, first_commune_code
from tests.e2e.sync_laptops import FAST_RETRY, Laptop, enrolled, new_laptop
from tests.e2e.test_cli import run_fieldkit
from tests.live_server import LiveServer


def run(laptop: Laptop):
    return sync(laptop.store, retry=FAST_RETRY)


def server_count(server: LiveServer, table: str) -> int:
    with server.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def revoked_at(server: LiveServer, laptop: Laptop):
    with server.engine.connect() as conn:
        return as_utc(conn.execute(select(device.c.revoked_at).where(
            device.c.id == laptop.store.device_id)).scalar_one())


def unsent_work(laptop: Laptop) -> tuple[str, int]:
    """A synced household, then a second one and an edit made offline: what must survive."""
    _, head = laptop.register("Lò Thị Mai")
    run(laptop)
    laptop.register("Cầm Văn Pao", members=("Cầm Thị Dung",))
    with laptop.store.write() as session:
        update_person(session, head, "phone", "0987654321")
    return head, laptop.store.pending_changes()


def test_a_revoked_laptop_locks_at_its_next_sync_and_says_why(laptop_a, server):
    _, pending = unsent_work(laptop_a)
    outbox, households = laptop_a.store.outbox_size(), laptop_a.count("household")
    assert revoke_device(server.engine, laptop_a.store.device_id)
    when = revoked_at(server, laptop_a)

    with pytest.raises(Revoked) as told:
        run(laptop_a)
    message = str(told.value)
    assert "vô hiệu hóa" in message and server.url in message
    assert local_time(when) in message
    assert "Dữ liệu chưa gửi vẫn được giữ nguyên" in message

    store = laptop_a.store
    mark = revocation_of(store)
    assert mark is not None and mark.reason == "revoked"
    assert mark.revoked_at == when and mark.server_url == server.url
    assert "device_token" not in store.meta, "the revoked token is forgotten"
    assert store.meta["server_url"] == server.url  # where to come back to
    # Nothing of the work is touched, nor sent.
    assert (store.outbox_size(), store.pending_changes()) == (outbox, pending)
    assert laptop_a.count("household") == households == 2
    assert server_count(server, "household") == 1
    with server.engine.connect() as conn:
        audited = conn.execute(select(audit_log.c.action).where(
            audit_log.c.actor == store.device_id)).scalars().all()
    assert audited.count("told_revoked") == 1


def test_the_lock_holds_in_a_fresh_process_and_refuses_sync_without_asking(laptop_a, server):
    unsent_work(laptop_a)
    outbox = laptop_a.store.outbox_size()
    assert revoke_device(server.engine, laptop_a.store.device_id)
    with pytest.raises(Revoked):
        run(laptop_a)
    laptop_a.store.close()

    reopened = Store.open(laptop_a.store.data_dir, PASSPHRASE)
    try:
        mark = revocation_of(reopened)
        assert mark is not None and mark.server_url == server.url
        with pytest.raises(StoreDisabled, match="vô hiệu hóa"):
            refuse_if_disabled(reopened)
        before = server_count(server, "audit_log")
        with pytest.raises(Revoked, match="vô hiệu hóa"):
            sync(reopened, retry=FAST_RETRY)
        assert server_count(server, "audit_log") == before
        assert reopened.outbox_size() == outbox
    finally:
        reopened.close()


def test_a_ping_or_any_other_request_locks_the_store_too(laptop_a, server):
    assert revoke_device(server.engine, laptop_a.store.device_id)
    with store_client(laptop_a.store, retry=FAST_RETRY) as client, pytest.raises(Revoked):
        client.get_json(PING_PATH)
    assert revocation_of(laptop_a.store) is not None
    assert "device_token" not in laptop_a.store.meta


def test_a_revocation_mid_push_keeps_the_rest_for_later(laptop_a, server):
    """Revoked between two batches of a long push: the first batch is on the server, the rest
    stays queued, and after readmission every row lands exactly once."""
    populate(laptop_a.store, laptop_a.profile, seed=5, household_count=120, villages=2)
    revoked: list[bool] = []

    def revoke_after_first_batch(done: int, total: int, phase: str) -> None:
        if not revoked:
            revoked.append(revoke_device(server.engine, laptop_a.store.device_id))

    with pytest.raises(Revoked):
        sync(laptop_a.store, progress=revoke_after_first_batch, retry=FAST_RETRY)
    assert revoked == [True] and revocation_of(laptop_a.store) is not None
    assert saved_batch(laptop_a.store) is not None, "the batch refused mid-push is kept"
    # Parents go first: the first batch holds every household, not yet every consent.
    assert server_count(server, "household") == laptop_a.count("household")
    assert server_count(server, "consent") < laptop_a.count("consent")

    assert readmit_device(server.engine, laptop_a.store.device_id)
    enrol(laptop_a.store, server.url, server.enrolment_code(first_commune_code()),
          retry=FAST_RETRY)
    report = run(laptop_a)
    assert report.pushed_duplicate == 0 and report.pushed_conflict == 0
    assert report.pushed_rejected == 0 and laptop_a.store.outbox_size() == 0
    for table in ("household", "person", "consent"):
        assert server_count(server, table) == laptop_a.count(table)


def test_unknown_or_expired_tokens_do_not_lock_the_store(laptop_a, server):
    """Only "revoked" locks: an expired token (or a server that forgot the laptop) asks for a
    new code, as before, and keeps the laptop usable."""
    with server.engine.begin() as conn:
        conn.execute(update(device).values(expires_at=utcnow() - timedelta(minutes=1)))
    with pytest.raises(NotEnrolled) as told:
        run(laptop_a)
    assert not isinstance(told.value, Revoked)
    assert revocation_of(laptop_a.store) is None
    assert laptop_a.store.meta["device_token"]
    refuse_if_disabled(laptop_a.store)  # no error: the laptop stays in use

    with server.engine.begin() as conn:
        conn.execute(text("DELETE FROM device"))
    with pytest.raises(NotEnrolled) as told:
        run(laptop_a)
    assert not isinstance(told.value, Revoked)
    assert revocation_of(laptop_a.store) is None


def test_readmit_and_a_new_code_unlock_and_the_kept_rows_go_up_exactly_once(laptop_a, server):
    head, pending = unsent_work(laptop_a)
    assert revoke_device(server.engine, laptop_a.store.device_id)
    with pytest.raises(Revoked):
        run(laptop_a)

    # Before the officer readmits it, a new code does not help, and the lock stays.
    with pytest.raises(SyncError, match="thu hồi"):
        enrol(laptop_a.store, server.url, server.enrolment_code(first_commune_code()),
              retry=FAST_RETRY)
    assert revocation_of(laptop_a.store) is not None
    # Only the server that disabled it may let it back in.
    with pytest.raises(SyncError, match="chỉ đăng ký lại được"):
        enrol(laptop_a.store, "http://127.0.0.1:9", "ABCD-EFGH-JKMN-PQRS", retry=FAST_RETRY)

    assert readmit_device(server.engine, laptop_a.store.device_id)
    enrol(laptop_a.store, server.url, server.enrolment_code(first_commune_code()),
          device_name="Máy A", retry=FAST_RETRY)
    assert revocation_of(laptop_a.store) is None
    refuse_if_disabled(laptop_a.store)

    report = run(laptop_a)
    assert report.pushed_applied == pending
    assert (report.pushed_duplicate, report.pushed_conflict, report.outbox) == (0, 0, 0)
    assert server_count(server, "household") == laptop_a.count("household") == 2
    assert server_count(server, "person") == laptop_a.count("person") == 3
    with server.engine.connect() as conn:
        phone = conn.execute(text("SELECT phone FROM person WHERE id = :i"),
                             {"i": head}).scalar_one()
    assert phone == "0987654321"
    assert run(laptop_a).pushed_applied == 0

    laptop_a.store.close()
    reopened = Store.open(laptop_a.store.data_dir, PASSPHRASE)
    try:
        assert revocation_of(reopened) is None
    finally:
        reopened.close()


# -- the command line ---------------------------------------------------------------------------

@pytest.mark.slow
def test_the_command_line_refuses_a_locked_store_but_enrols_it_again(tmp_path, server):
    laptop = enrolled(new_laptop(tmp_path / "laptop", "A"), server, "Máy A")
    laptop.register("Lò Thị Mai", members=("Cầm Văn Pao",))
    device_id, data_dir = laptop.store.device_id, laptop.store.data_dir
    laptop.store.close()
    assert revoke_device(server.engine, device_id)
    dir_args = ("--data-dir", str(data_dir))

    first = run_fieldkit(*dir_args, "sync", passphrase=PASSPHRASE)
    assert first.returncode == 3, first.stderr
    assert "vô hiệu hóa" in first.stderr and server.url in first.stderr
    again = run_fieldkit(*dir_args, "sync", passphrase=PASSPHRASE)
    assert again.returncode == 3 and "vô hiệu hóa" in again.stderr
    smoke = run_fieldkit(*dir_args, "--smoke-test", passphrase=PASSPHRASE)
    assert smoke.returncode == 3, smoke.stdout + smoke.stderr
    assert "vô hiệu hóa" in smoke.stderr and "smoke test passed" not in smoke.stdout

    assert readmit_device(server.engine, device_id)
    qr = json.dumps({"url": server.url, "code": server.enrolment_code(first_commune_code())})
    back = run_fieldkit(*dir_args, "enroll", qr, passphrase=PASSPHRASE)
    assert back.returncode == 0, back.stderr
    assert "mở khóa" in back.stdout
    synced = run_fieldkit(*dir_args, "sync", passphrase=PASSPHRASE)
    assert synced.returncode == 0, synced.stderr
    assert json.loads(synced.stdout)["outbox"] == 0
    assert server_count(server, "person") == 2
    smoke = run_fieldkit(*dir_args, "--smoke-test", passphrase=PASSPHRASE)
    assert smoke.returncode == 0, smoke.stderr
