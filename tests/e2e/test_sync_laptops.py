"""Two laptops of one commune and a real commune server over real HTTP: what one registers
the other finds, a row edited on both is kept twice (never overwritten), a refused row waits
in quarantine without blocking the others, and the demo sandbox never syncs."""

import gzip
import os
import threading
import time
from collections import Counter
from collections.abc import Callable
from typing import Any

import orjson
import pytest
from sqlalchemy import text

from fieldkit.core.demo import open_demo
from fieldkit.core.households import update_household
from fieldkit.core.people import update_person
from fieldkit.core.search import search_households
from fieldkit.core.store import Store
from fieldkit.core.sync_apply import (
    PushQueue,
    conflicts,
    make_batch,
    pending_changes,
    quarantined,
    save_batch,
    save_next,
    saved_batch,
    saved_next,
)
from fieldkit.core.sync_protocol import (
    AFTER_HEADER,
    KEEPS_ORDER,
    MAX_BODY_BYTES,
    ORDER_HEADER,
    PING_PATH,
    TOO_EARLY,
)
from fieldkit.core.synthetic import populate
from fieldkit.sync_client.client import BAD_ANSWER, NotEnrolled, Refused, SyncClient, SyncError
from fieldkit.sync_client.enrol import enrol
from fieldkit.sync_client.push import push_pending
from fieldkit.sync_client.runner import sync
from tests.conftest import PASSPHRASE
from tests.e2e.sync_laptops import FAST_RETRY, Laptop, enrolled, new_laptop
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
    # The second batch left as the first one's answer came, before "Cancel": it is finished
    # and recorded. The third, read meanwhile, is kept to go first next time; nothing more
    # is sent, nor read to be sent.
    assert report.cancelled and phases == ["push", "push"] and report.requests == 2
    kept = saved_batch(laptop_a.store)
    assert kept is not None and saved_next(laptop_a.store) is None
    # Parents go first: the first batch holds every household and the first members.
    assert server_count(server, "household") == households
    assert server_count(server, "consent") < laptop_a.count("consent")
    assert laptop_a.store.outbox_size() > 0
    assert "pull_cursor" not in laptop_a.store.meta or laptop_a.store.meta["pull_cursor"] == "0"

    with DyingClient(server, laptop_a) as resumed:
        outcome = push_pending(resumed, laptop_a.store)
    assert resumed.pushed[0]["batch_id"] == kept.batch_id
    assert outcome.duplicate == 0  # nothing of the first two batches was sent again
    finished = sync(laptop_a.store, retry=FAST_RETRY)
    assert not finished.cancelled and finished.outbox == 0
    assert server_count(server, "household") == households
    assert server_count(server, "person") == laptop_a.count("person")


class Killed(BaseException):
    """The process dying (a flat battery): none of the push's own handling runs."""


class DyingClient(SyncClient):
    """Keeps the body of every push it is asked to send; dies at push number `dies_at`,
    before that request leaves or, with `after_answer`, once its answer has come back. Dead,
    it sends nothing more (a push thread still running would otherwise go on)."""

    def __init__(self, server: LiveServer, laptop: Laptop, dies_at: int = 0,
                 after_answer: bool = False) -> None:
        super().__init__(server.url, laptop.store.meta["device_token"], retry=FAST_RETRY)
        self.dies_at, self.after_answer = dies_at, after_answer
        self.pushed: list[dict[str, Any]] = []
        self.dead = False

    def post_compressed(self, path: str, data: bytes, **kwargs: Any) -> Any:
        if self.dead:
            raise Killed
        self.pushed.append(orjson.loads(gzip.decompress(data)))
        dies = len(self.pushed) == self.dies_at
        if dies and not self.after_answer:
            self.dead = True
            raise Killed
        answer = super().post_compressed(path, data, **kwargs)
        if dies:
            self.dead = True
            raise Killed
        return answer


@pytest.mark.parametrize("after_answer", [False, True],
                         ids=["before-it-leaves", "after-its-answer"])
def test_a_push_killed_between_batches_sends_the_batch_in_flight_once_after_a_restart(
        laptop_a, server, after_answer):
    """The answer to one batch is recorded in the transaction that saves the next. Killed
    before that next batch's answer is recorded, the laptop sends the same batch (same id,
    same changes) first after a restart, and no change goes in two batches. The batch after it
    may have left already (sent ahead): it goes again too, as it was."""
    for n in range(30):
        laptop_a.register(f"Lò Văn Số {n}", members=("Lò Thị Một",))
    rows = laptop_a.store.pending_changes()
    with (DyingClient(server, laptop_a, dies_at=2, after_answer=after_answer) as dying,
          pytest.raises(Killed)):
        push_pending(dying, laptop_a.store, batch_size=20)
    in_flight = dying.pushed[1]
    laptop_a.store.close()
    laptop_a.store = Store.open(laptop_a.store.data_dir, PASSPHRASE)

    with DyingClient(server, laptop_a) as restarted:
        outcome = push_pending(restarted, laptop_a.store, batch_size=20)
    assert restarted.pushed[0] == in_flight
    assert outcome.conflict == outcome.rejected == 0
    assert laptop_a.store.outbox_size() == 0
    # The batches out when it died were asked for twice (the one that died before it left
    # or lost its answer, and the one sent ahead of it, if any), and each change went in
    # exactly one batch.
    sent = dying.pushed + restarted.pushed
    assert {i for i, n in Counter(b["batch_id"] for b in sent).items() if n > 1} == {
        b["batch_id"] for b in dying.pushed[1:]}
    batches_of = Counter((c["id"], c["local_version"]) for b in {
        b["batch_id"]: b for b in sent}.values() for c in b["changes"])
    assert len(batches_of) == rows and set(batches_of.values()) == {1}
    assert server_count(server, "person") == laptop_a.count("person")


def test_a_push_killed_while_recording_an_answer_sends_both_saved_batches_again(
        laptop_a, server, monkeypatch):
    """The next batch leaves as soon as an answer comes, before that answer is recorded.
    Killed while recording it, the laptop has two batches out: after a restart both go again,
    in order and as they were, and the server answers them from its store."""
    import fieldkit.sync_client.push as pushing

    for n in range(30):
        laptop_a.register(f"Lò Văn Số {n}", members=("Lò Thị Một",))
    rows = laptop_a.store.pending_changes()

    def dies(*_args: Any) -> None:
        raise Killed

    monkeypatch.setattr(pushing, "record_answers", dies)
    with DyingClient(server, laptop_a) as dying, pytest.raises(Killed):
        push_pending(dying, laptop_a.store, batch_size=20)
    monkeypatch.undo()
    # The second left before the first answer was recorded, from a push thread the dying push
    # did not wait for: it may still be on its way out.
    deadline = time.monotonic() + 10
    while len(dying.pushed) < 2 and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(dying.pushed) == 2
    laptop_a.store.close()
    laptop_a.store = Store.open(laptop_a.store.data_dir, PASSPHRASE)

    with DyingClient(server, laptop_a) as restarted:
        outcome = push_pending(restarted, laptop_a.store, batch_size=20)
    assert restarted.pushed[:2] == dying.pushed
    assert outcome.conflict == outcome.rejected == 0
    assert laptop_a.store.outbox_size() == 0 and saved_batch(laptop_a.store) is None
    batches_of = Counter((c["id"], c["local_version"]) for b in {
        b["batch_id"]: b for b in dying.pushed + restarted.pushed}.values()
        for c in b["changes"])
    assert len(batches_of) == rows and set(batches_of.values()) == {1}
    assert server_count(server, "person") == laptop_a.count("person")


def test_a_batch_saved_to_follow_keeps_its_id_when_the_one_before_is_refused_after_a_restart(
        laptop_a):
    """After a restart both saved batches go again, the second perhaps sent already. When the
    first is now refused whole (a server with a smaller limit), its halves go first and the
    second still goes as it was, under its own id, one request at a time."""
    for n in range(6):
        laptop_a.register(f"Lò Văn Số {n}", members=("Lò Thị Một",))
    queue = PushQueue(laptop_a.store)
    queue.read_order()
    first, second = make_batch(queue.take(8)), make_batch(queue.take(8))
    save_batch(laptop_a.store, first)
    save_next(laptop_a.store, second)
    sent: list[dict[str, Any]] = []
    busy = threading.Lock()

    def answer(request: dict[str, Any]) -> dict[str, Any]:
        assert busy.acquire(blocking=False), "two pushes on the wire at once"
        try:
            sent.append(request)
            if len(request["changes"]) > 4 and request["batch_id"] == first.batch_id:
                raise Refused(413, "quá lớn")
            return in_order(request, status="applied", version=1)
        finally:
            busy.release()

    with AnsweringClient(answer) as client:
        outcome = push_pending(client, laptop_a.store)
    ids = [request["batch_id"] for request in sent]
    assert ids[0] == first.batch_id and ids.count(second.batch_id) == 1
    at = ids.index(second.batch_id)
    assert [c for r in sent[1:at] for c in r["changes"]] == first.changes  # halves first
    assert sent[at]["changes"] == second.changes
    assert outcome.rejected == outcome.conflict == 0 and laptop_a.store.outbox_size() == 0


class AnsweringClient(SyncClient):
    """Answers each push itself, with `answer(request)`: a server that is not one."""

    def __init__(self, answer: Callable[[dict[str, Any]], Any]) -> None:
        super().__init__("http://127.0.0.1:9")
        self.answer = answer

    def post_compressed(self, path: str, data: bytes, **kwargs: Any) -> Any:
        return self.answer(orjson.loads(gzip.decompress(data)))


def in_order(request: dict[str, Any], **result: Any) -> dict[str, Any]:
    return {"batch_id": request["batch_id"], "in_order": True,
            "results": [dict(result) for _ in request["changes"]]}


@pytest.mark.parametrize(("answer", "detail"), [
    (lambda r: {**in_order(r, status="applied"), "results": in_order(r, status="applied")[
        "results"][1:]}, "answers for"),
    (lambda r: in_order(r, status="maybe", version=1), "lỗi"),
    (lambda r: in_order(r, status="applied", version=1.0), "lỗi"),
    (lambda r: in_order(r, status="applied", version=True), "lỗi"),
    (lambda r: {**in_order(r, status="applied"), "results": "all applied"}, "lỗi"),
    (lambda r: {**in_order(r, status="applied"), "batch_id": "another"}, "batch_id khác"),
], ids=["one-short", "bad-status", "float-version", "bool-version", "no-list", "other-batch"])
def test_an_answer_outside_the_protocol_is_refused_and_the_batch_kept(laptop_a, answer, detail):
    laptop_a.register("Lò Thị Mai", members=("Lò Văn Pao",))
    queued = laptop_a.store.outbox_size()
    with AnsweringClient(answer) as client, pytest.raises(SyncError) as refused:
        push_pending(client, laptop_a.store)
    assert str(refused.value).startswith(BAD_ANSWER.split("(")[0]) and detail in str(
        refused.value)
    assert saved_batch(laptop_a.store) is not None and laptop_a.store.outbox_size() == queued


def test_each_answer_in_order_lands_on_its_change_and_a_full_answer_is_read_too(laptop_a):
    """The usual answer names no rows (FieldKit-Answers: in-order); an older server's names
    each, in any order, and may answer a change twice or one never sent."""
    _, mai = laptop_a.register("Lò Thị Mai")
    _, pao = laptop_a.register("Lò Văn Pao")

    def answer(request: dict[str, Any]) -> dict[str, Any]:
        ids = [c["id"] for c in request["changes"]]
        results = [{"status": "applied", "version": 1} for _ in ids]
        results[ids.index(mai)] = {"status": "rejected", "reason": "person.gender: sai"}
        results[ids.index(pao)] = {"status": "conflict", "version": 7}
        return {"batch_id": request["batch_id"], "in_order": True, "results": results}

    with AnsweringClient(answer) as client:
        outcome = push_pending(client, laptop_a.store)
    assert (outcome.rejected, outcome.conflict, outcome.unanswered) == (1, 1, 0)
    [held] = quarantined(laptop_a.store)
    assert (held.row_id, held.reason) == (mai, "person.gender: sai")
    [clash] = conflicts(laptop_a.store)
    assert (clash.row_id, clash.server_version) == (pao, 7)

    laptop_a.register("Cầm Văn Sáng")
    pending = laptop_a.store.pending_changes()

    def full(request: dict[str, Any]) -> dict[str, Any]:
        results = [{"table": c["table"], "id": c["id"], "status": "applied", "version": 1,
                    "reason": None} for c in reversed(request["changes"])]
        stranger = {**results[0], "id": "0" * 36}
        return {"batch_id": request["batch_id"], "results": [*results, results[0], stranger]}

    with AnsweringClient(full) as client:
        outcome = push_pending(client, laptop_a.store)
    assert (outcome.applied, outcome.unanswered) == (pending, 0)
    assert laptop_a.store.outbox_size() == 0 and saved_batch(laptop_a.store) is None


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
        changes = [c.model_dump() for c in pending_changes(laptop_c.store)]
        save_batch(laptop_c.store, make_batch(changes, taken))
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
    changes = [c.model_dump() for c in pending_changes(laptop_a.store)]
    huge = next(c for c in changes if c["id"] == mai)
    huge["data"]["full_name"] = os.urandom(3 * MAX_BODY_BYTES).hex()  # incompressible
    save_batch(laptop_a.store, make_batch(changes))

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


def test_a_batch_read_while_a_refused_one_was_on_the_wire_waits_for_its_halves(
        laptop_a, server):
    """The next batch is read while one is on the wire. When the one on the wire is refused
    whole, its halves go first and the batch read meanwhile after them: every row arrives in
    this very sync, parents before children, and only the oversized row (with the consent
    that needs it) waits."""
    people = [laptop_a.register(f"Lò Văn Số {n}")[1] for n in range(6)]
    huge = people[2]
    with laptop_a.store.write() as session:  # what a damaged or foreign client could queue
        session.connection().exec_driver_sql(
            "UPDATE person SET full_name = ? WHERE id = ?",
            (os.urandom(3 * MAX_BODY_BYTES).hex(), huge))
    queued = len(pending_changes(laptop_a.store, limit=10_000))

    with SyncClient(server.url, laptop_a.store.meta["device_token"],
                    retry=FAST_RETRY) as client:
        outcome = push_pending(client, laptop_a.store, batch_size=4)
    waiting = {q.table: q.row_id for q in quarantined(laptop_a.store)}
    assert waiting == {"person": huge, "consent": waiting["consent"]}
    assert outcome.applied + outcome.duplicate == queued - 2 and outcome.rejected == 2
    with server.engine.connect() as conn:
        names = conn.execute(text("SELECT full_name FROM person")).scalars().all()
    assert sorted(names) == sorted(f"Lò Văn Số {n}" for n in range(6) if n != 2)


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


class WatchingClient(SyncClient):
    """A real client that notes each push's batch id, the batch it was sent after, and how
    many pushes were out at once."""

    def __init__(self, server: LiveServer, laptop: Laptop) -> None:
        super().__init__(server.url, laptop.store.meta["device_token"], retry=FAST_RETRY)
        self.sent: list[tuple[str, str | None]] = []
        self.out = self.most_out = 0
        self._watch = threading.Lock()

    def post_compressed(self, path: str, data: bytes, **kwargs: Any) -> Any:
        with self._watch:
            self.sent.append((orjson.loads(gzip.decompress(data))["batch_id"],
                              (kwargs.get("headers") or {}).get(AFTER_HEADER)))
            self.out += 1
            self.most_out = max(self.most_out, self.out)
        try:
            return super().post_compressed(path, data, **kwargs)
        finally:
            with self._watch:
                self.out -= 1


def test_to_a_server_that_keeps_order_the_next_batch_leaves_before_the_answer(
        laptop_a, server):
    """The server's first answer says it keeps order: from then on each batch leaves as
    soon as it is read, naming the batch before it, so the server need not wait a round trip
    between two. Never more than two are out, and everything is applied once, parents first."""
    for n in range(40):
        laptop_a.register(f"Lò Văn Số {n}", members=("Lò Thị Một",))
    rows = laptop_a.store.pending_changes()
    with WatchingClient(server, laptop_a) as client:
        outcome = push_pending(client, laptop_a.store, batch_size=20)
    ids = [batch_id for batch_id, _ in client.sent]
    assert len(ids) == len(set(ids)) >= 8  # each batch sent once
    assert client.sent[0][1] is None and client.sent[1][1] is None  # order not known yet
    assert [after for _, after in client.sent[2:]] == ids[1:-1]
    assert client.most_out == 2
    assert (outcome.applied, outcome.rejected, outcome.conflict) == (rows - 1, 0, 0)
    assert outcome.duplicate == 1  # the commune's own row, which the server made
    assert laptop_a.store.outbox_size() == 0 and saved_batch(laptop_a.store) is None
    assert server_count(server, "person") == laptop_a.count("person")


class OrderKeepingClient(AnsweringClient):
    """`AnsweringClient` for a server that says it keeps order; `answer` also gets the batch
    the push was sent after."""

    def __init__(self, answer: Callable[[dict[str, Any], str | None], Any]) -> None:
        super().__init__(lambda request: None)
        self.answer_after = answer

    def post_compressed(self, path: str, data: bytes, **kwargs: Any) -> Any:
        answer = self.answer_after(orjson.loads(gzip.decompress(data)),
                                   (kwargs.get("headers") or {}).get(AFTER_HEADER))
        kwargs["answer_headers"][ORDER_HEADER.lower()] = KEEPS_ORDER
        return answer


def test_a_batch_sent_ahead_and_turned_away_as_too_early_goes_again_as_it_was(laptop_a):
    """The batch before took the server longer than it waits (425): the batch sent ahead
    goes again, same id and changes, once that one is answered, and the push carries on."""
    for n in range(6):
        laptop_a.register(f"Lò Văn Số {n}", members=("Lò Thị Một",))
    sent: list[tuple[dict[str, Any], str | None]] = []
    applied: list[str] = []

    def answer(request: dict[str, Any], after: str | None) -> dict[str, Any]:
        sent.append((request, after))
        if after is not None and sum(1 for _, a in sent if a is not None) == 1:
            raise Refused(TOO_EARLY, "lô trước chưa đến")
        applied.append(request["batch_id"])
        return in_order(request, status="applied", version=1)

    with OrderKeepingClient(answer) as client:
        outcome = push_pending(client, laptop_a.store, batch_size=8)
    turned_away = next(request for request, after in sent if after is not None)
    again = [request for request, _ in sent if request["batch_id"] == turned_away["batch_id"]]
    assert len(again) == 2 and again[0] == again[1]
    assert len(applied) == len(set(applied))  # each batch applied once
    assert outcome.rejected == outcome.conflict == 0 and laptop_a.store.outbox_size() == 0


def test_a_batch_refused_whole_with_the_next_sent_ahead_goes_in_parts_then_the_next(
        laptop_a):
    """The server refuses a batch whole (too large for it) while the next one was sent ahead
    of it: that one is turned away (it names a batch never stored), the refused batch goes
    in halves, the next follows them under its own id, and the rest goes one at a time."""
    for n in range(8):
        laptop_a.register(f"Lò Văn Số {n}", members=("Lò Thị Một",))
    sent: list[tuple[dict[str, Any], str | None]] = []
    stored: list[str] = []

    def answer(request: dict[str, Any], after: str | None) -> dict[str, Any]:
        sent.append((request, after))
        if after is not None and after not in stored:
            raise Refused(TOO_EARLY, "lô trước chưa đến")
        if len(request["changes"]) > 4 and len(stored) == 1:
            time.sleep(0.3)  # answered once the upload is in: the next batch has left
            raise Refused(413, "quá lớn")
        stored.append(request["batch_id"])
        return in_order(request, status="applied", version=1)

    with OrderKeepingClient(answer) as client:
        outcome = push_pending(client, laptop_a.store, batch_size=8)
    refused, ahead = sent[1][0], sent[2][0]
    assert sent[2][1] == refused["batch_id"] and ahead["batch_id"] not in stored[:1]
    at = stored.index(ahead["batch_id"])
    halves = [c for request, _ in sent[3:] if request["batch_id"] in stored[1:at]
              for c in request["changes"]]
    assert halves == refused["changes"]  # the refused batch's rows, in halves, first
    assert all(after is None for _, after in sent[3:])  # then one batch at a time
    assert len(stored) == len(set(stored))
    assert outcome.rejected == outcome.conflict == 0 and laptop_a.store.outbox_size() == 0


def test_nothing_is_sent_ahead_of_a_batch_already_refused(laptop_a):
    """A refusal that is back before the next batch is ready (a malformed batch, a revoked
    laptop) leaves nothing to send ahead of it: the server would only hold that batch until
    its wait runs out."""
    for n in range(8):
        laptop_a.register(f"Lò Văn Số {n}", members=("Lò Thị Một",))
    sent: list[tuple[dict[str, Any], str | None]] = []
    refused: list[str] = []

    def answer(request: dict[str, Any], after: str | None) -> dict[str, Any]:
        sent.append((request, after))
        if len(request["changes"]) > 4 and len(sent) == 2:
            refused.append(request["batch_id"])
            raise Refused(422, "hỏng")
        return in_order(request, status="applied", version=1)

    with OrderKeepingClient(answer) as client:
        outcome = push_pending(client, laptop_a.store, batch_size=8)
    assert refused and refused[0] not in {after for _, after in sent}
    assert outcome.rejected == outcome.conflict == 0 and laptop_a.store.outbox_size() == 0
