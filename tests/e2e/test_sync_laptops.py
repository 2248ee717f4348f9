"""Two laptops of one commune and a real commune server over real HTTP: what one registers
the other finds, a row edited on both is kept twice (never overwritten), a refused row waits
in quarantine without blocking the others, and the demo sandbox never syncs."""

import os
import threading
import uuid

import pytest
from sqlalchemy import text

from fieldkit.core.demo import open_demo
from fieldkit.core.households import update_household
from fieldkit.core.people import update_person
from fieldkit.core.search import search_households
from fieldkit.core.sync_apply import (
    conflicts,
    pending_changes,
    quarantined,
    save_batch,
)
from fieldkit.core.sync_protocol import MAX_BODY_BYTES, PING_PATH, PushRequest
from fieldkit.core.synthetic import populate
from fieldkit.sync_client.client import NotEnrolled, SyncClient, SyncError
from fieldkit.sync_client.enrol import enrol
from fieldkit.sync_client.push import push_pending
from fieldkit.sync_client.runner import sync
from tests.e2e.sync_laptops import FAST_RETRY, enrolled, new_laptop
from tests.live_server import LiveServer


def server_count(server: LiveServer, table: str) -> int:
    with server.engine.connect() as conn:
        return conn.execute(text(f"SELECT count(*) FROM {table}")).scalar_one()


def test_what_one_laptop_registers_the_other_finds(laptop_a, laptop_b, server):
    household_id, _ = laptop_a.register("Lò Thị Mai", members=("Cầm Văn Pao",))
    report = sync(laptop_a.store, retry=FAST_RETRY)
    assert report.pushed_rejected == 0 and report.pushed_conflict == 0
    assert report.pushed_applied > 0
    assert laptop_a.store.outbox_size() == 0
    assert server_count(server, "person") == 2

    phases: list[str] = []
    pulled = sync(laptop_b.store, progress=lambda done, total, phase: phases.append(phase),
                  retry=FAST_RETRY)
    assert pulled.pulled >= 5  # village, volunteer, household, two members (and consents)
    assert "pull" in phases
    with laptop_b.store.engine.connect() as conn:
        assert search_households(conn, "cam van") == [household_id]
        assert search_households(conn, "lo thi mai") == [household_id]
    assert laptop_b.store.outbox_size() == 0
    # Each laptop holds the same rows now: A's pushed, B's volunteer pushed and pulled back.
    sync(laptop_a.store, retry=FAST_RETRY)
    for table in ("household", "person", "consent", "village", "volunteer", "commune"):
        assert laptop_a.count(table) == laptop_b.count(table) == server_count(server, table)


def test_a_sync_with_nothing_new_is_one_request(laptop_a):
    laptop_a.register("Lò Thị Mai")
    sync(laptop_a.store, retry=FAST_RETRY)
    report = sync(laptop_a.store, retry=FAST_RETRY)
    assert report.requests == 1
    assert (report.pushed_applied, report.pulled, report.outbox) == (0, 0, 0)
    assert "last_sync_at" in laptop_a.store.meta


def test_one_row_edited_on_two_laptops_keeps_both_versions(laptop_a, laptop_b, server):
    _, head_id = laptop_a.register("Lò Thị Mai")
    sync(laptop_a.store, retry=FAST_RETRY)
    sync(laptop_b.store, retry=FAST_RETRY)
    with laptop_b.store.write() as session:
        update_person(session, head_id, "phone", "0987654321")
    with laptop_a.store.write() as session:
        update_person(session, head_id, "phone", "0912000111")
    assert sync(laptop_b.store, retry=FAST_RETRY).pushed_applied == 1
    report = sync(laptop_a.store, retry=FAST_RETRY)
    assert report.pushed_conflict == 1 and report.conflicts == 1
    [conflict] = conflicts(laptop_a.store)
    assert conflict.local_data["phone"] == "0912000111"
    assert conflict.server_data is not None and conflict.server_data["phone"] == "0987654321"
    with laptop_a.store.engine.connect() as conn:
        mine = conn.execute(text("SELECT phone FROM person WHERE id = :i"), {"i": head_id})
        assert mine.scalar_one() == "0912000111"  # nothing overwritten on the laptop
    with server.engine.connect() as conn:
        assert conn.execute(text("SELECT phone FROM person WHERE id = :i"),
                            {"i": head_id}).scalar_one() == "0987654321"
        assert conn.execute(text("SELECT count(*) FROM conflict")).scalar_one() == 1
    # Syncing again neither repeats nor multiplies the conflict.
    again = sync(laptop_a.store, retry=FAST_RETRY)
    assert (again.pushed_conflict, again.conflicts) == (0, 1)
    sync(laptop_b.store, retry=FAST_RETRY)
    assert conflicts(laptop_b.store) == []
    assert server_count(server, "conflict") == 1


def test_a_refused_row_is_quarantined_and_the_rest_goes_through(laptop_a, server):
    good, _ = laptop_a.register("Lò Thị Mai")
    bad, bad_head = laptop_a.register("Cầm Văn Pao")
    # A note the laptop's filter would have refused, written around it (an old or damaged
    # laptop): the server runs the same filter and refuses this one row.
    with laptop_a.store.write() as session:
        session.connection().execute(
            text("UPDATE household SET notes = 'mật khẩu VNeID: Abc@12345' WHERE id = :i"),
            {"i": bad})
    report = sync(laptop_a.store, retry=FAST_RETRY)
    # The household, and under it its head and the head's consent (no parent on the server).
    assert report.pushed_rejected == 3 and report.quarantined == 3
    held = {q.row_id: q for q in quarantined(laptop_a.store)}
    assert "mật khẩu" in held[bad].reason
    assert "dòng cha" in held[bad_head].reason
    with server.engine.connect() as conn:
        ids = set(conn.execute(text("SELECT id FROM household")).scalars())
    assert good in ids and bad not in ids
    assert laptop_a.store.outbox_size() == 0
    assert sync(laptop_a.store, retry=FAST_RETRY).requests == 1  # nothing re-sent unedited

    with laptop_a.store.write() as session:
        update_household(session, bad, "notes", "Nhà sàn cuối bản")
    fixed = sync(laptop_a.store, retry=FAST_RETRY)
    # Once the household is accepted, the rows held back under it go without an edit.
    assert (fixed.pushed_applied, fixed.quarantined, fixed.outbox) == (3, 0, 0)
    assert server_count(server, "person") == 2


def test_the_demo_sandbox_never_syncs(tmp_path, server):
    demo = open_demo(tmp_path / "trainer")
    try:
        with pytest.raises(SyncError, match="thực hành"):
            enrol(demo, server.url, server.enrolment_code(demo_code(demo)))
        with pytest.raises(SyncError, match="thực hành"):
            sync(demo)
    finally:
        demo.close()
    assert server_count(server, "device") == 0


def demo_code(store) -> int:
    from fieldkit.core.demo import demo_commune

    return demo_commune().code


def test_a_revoked_or_unknown_token_is_told_plainly(laptop_a, server):
    with SyncClient(server.url, "not-a-token", retry=FAST_RETRY) as client, \
            pytest.raises(NotEnrolled, match="chưa đăng ký, quyền đồng bộ đã hết hạn"):
        client.get_json(PING_PATH)
    fresh = new_laptop(laptop_a.store.data_dir.parent / "c", "C")
    try:
        with pytest.raises(NotEnrolled):
            sync(fresh.store)
    finally:
        fresh.store.close()


def test_a_cancelled_sync_resumes_where_it_stopped(laptop_a, server):
    populate(laptop_a.store, laptop_a.profile, seed=5, household_count=120, villages=2)
    households = laptop_a.count("household")
    cancel = threading.Event()
    phases: list[str] = []

    def cancel_after_first_batch(done: int, total: int, phase: str) -> None:
        phases.append(phase)
        cancel.set()

    report = sync(laptop_a.store, progress=cancel_after_first_batch, cancel=cancel,
                  retry=FAST_RETRY)
    assert report.cancelled and phases == ["push"] and report.requests == 1
    # Parents go first: the first batch holds every household and the first members.
    assert server_count(server, "household") == households
    assert server_count(server, "consent") < laptop_a.count("consent")
    assert laptop_a.store.outbox_size() > 0
    assert "pull_cursor" not in laptop_a.store.meta or laptop_a.store.meta["pull_cursor"] == "0"

    finished = sync(laptop_a.store, retry=FAST_RETRY)
    assert not finished.cancelled and finished.outbox == 0
    assert finished.pushed_duplicate == 0  # nothing of the first batch was sent again
    assert server_count(server, "household") == households
    assert server_count(server, "person") == laptop_a.count("person")


def test_a_batch_id_taken_by_another_laptop_goes_out_again_under_a_new_one(
        laptop_a, tmp_path, server):
    """The server refuses a batch id another device used (409). Resending the same batch
    would block the queue for good; its rows go out again in a new batch instead."""
    laptop_a.register("Lò Thị Mai")
    sync(laptop_a.store, retry=FAST_RETRY)
    with server.engine.connect() as conn:
        taken = conn.execute(text("SELECT batch_id FROM push_batch")).scalars().first()
    laptop_c = enrolled(new_laptop(tmp_path / "c", "C"), server, "Máy C")
    try:
        laptop_c.register("Cầm Văn Pao")
        changes = pending_changes(laptop_c.store)
        save_batch(laptop_c.store, PushRequest(batch_id=taken, changes=changes))
        report = sync(laptop_c.store, retry=FAST_RETRY)
        assert report.quarantined == 0 and laptop_c.store.outbox_size() == 0
    finally:
        laptop_c.store.close()
    with server.engine.connect() as conn:
        heads = conn.execute(text("SELECT head_name FROM household")).scalars().all()
    assert sorted(heads) == ["Cầm Văn Pao", "Lò Thị Mai"]


def test_a_row_that_makes_the_server_refuse_its_batch_is_set_aside_alone(laptop_a, server):
    """A batch the server refuses whole (here 413: one row far too big for any push) would get
    the same answer every time. It is narrowed down until only that row waits in quarantine,
    with the reason, and everything else arrives."""
    _, mai = laptop_a.register("Lò Thị Mai")
    laptop_a.register("Cầm Văn Pao")
    changes = pending_changes(laptop_a.store)
    huge = next(c for c in changes if c.id == mai)
    huge.data["full_name"] = os.urandom(3 * MAX_BODY_BYTES).hex()  # incompressible
    save_batch(laptop_a.store, PushRequest(batch_id=str(uuid.uuid4()), changes=changes))

    report = sync(laptop_a.store, retry=FAST_RETRY)
    waiting = {q.table: q for q in quarantined(laptop_a.store)}
    # Her consent waits with her: the server cannot take it without its person.
    assert set(waiting) == {"person", "consent"} and waiting["person"].row_id == mai
    assert "413" in waiting["person"].reason
    assert report.pushed_applied + report.pushed_duplicate == len(changes) - 2
    with server.engine.connect() as conn:
        heads = conn.execute(text("SELECT head_name FROM household")).scalars().all()
        names = conn.execute(text("SELECT full_name FROM person")).scalars().all()
    assert sorted(heads) == ["Cầm Văn Pao", "Lò Thị Mai"]
    assert names == ["Cầm Văn Pao"]


def test_a_row_edited_while_later_batches_wait_reaches_the_server_at_its_last_version(
        laptop_a, server):
    """Batches are read ahead of their sending: an edit made while the first batch is on the
    wire must still arrive, and no conflict must come of it."""
    household_ids = [laptop_a.register(f"Lò Văn Số {n}")[0] for n in range(40)]
    last = household_ids[-1]
    edited = []

    def progress(done: int, total: int, phase: str) -> None:
        if phase == "push" and not edited:  # after the first batch's answer is recorded
            with laptop_a.store.write() as session:
                update_household(session, last, "address", "Số 99, Bản Phiêng Luông")
            edited.append(done)

    with SyncClient(server.url, laptop_a.store.meta["device_token"]) as client:
        outcome = push_pending(client, laptop_a.store, progress, batch_size=20)
        assert edited and outcome.conflict == outcome.rejected == 0
        assert push_pending(client, laptop_a.store, None, batch_size=20).applied == 0
    assert laptop_a.store.outbox_size() == 0
    with server.engine.connect() as conn:
        assert conn.execute(text("SELECT address FROM household WHERE id = :i"),
                            {"i": last}).scalar_one() == "Số 99, Bản Phiêng Luông"
