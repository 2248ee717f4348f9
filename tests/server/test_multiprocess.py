"""Several server processes on one PostgreSQL database: `fieldkit-server serve --workers 2`.

The server is the real CLI in a subprocess, so its workers are real processes with their own
connection pools, and everything goes over real HTTP. Eight laptops push at once, each request
on a new connection, which the kernel hands to whichever worker accepts first; three of them
also pull after each push, and a fresh laptop of the same commune keeps pulling from cursor 0
all along. The server must hold every pushed row once, every push must be answered applied,
and every puller must receive every row exactly once: a change that one process commits after
another process committed a later-numbered one would be passed over by a cursor that had
already moved beyond it (see `change_feed`). Such a slip shows only if a pull lands in that
instant, so the pullers read the head of the feed as often as they can while pushes commit.

PostgreSQL only: `serve` refuses several workers on SQLite (see `fieldkit_server.serving`).
"""

from __future__ import annotations

import os
import re
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import psutil
import pytest
import requests
from sqlalchemy import func, select

from fieldkit.core.models import Household, Person, Village
from fieldkit_server.admins import create_admin
from fieldkit_server.ownership import table_of
from fieldkit_server.tables import applied_change, change_log, push_batch
from tests.live_server import ServerProcess, start_serve
from tests.server.conftest import PG_ENV, _fresh_postgres_database
from tests.server.laptop import TIMEOUT_S, Laptop, commune_codes, enrol, household, person

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get(PG_ENV),
                       reason=f"several server processes need PostgreSQL: set {PG_ENV} "
                              "(see tests/server/conftest.py)"),
]

WORKERS = 2
LAPTOPS = 8  # plus the puller: 9 enrolments, under the limit of 10 a minute per process
# Laptops that also pull after each of their pushes, reading the head of the feed while the
# others commit: where a change committed out of sequence order would be passed over.
PULLING = 3
ROWS_PER_LAPTOP = 2_000
BATCH = 250
PULL_LIMIT = 1_000
# Each worker must have done at least this share of the work (CPU time) while laptops pushed:
# proof that the pushes really went through both processes.
MIN_WORKER_SHARE = 0.1
ADMIN, PASSWORD = "minh", "mat-khau-cua-minh"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
PAGE_VIEWS = 20


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServerProcess]:
    database = _fresh_postgres_database(os.environ[PG_ENV])
    try:
        server = start_serve(next(database), WORKERS, tmp_path / "serve.log")
        try:
            yield server
        finally:
            server.stop()
    finally:
        database.close()  # drops it


class Checked(threading.Thread):
    """A thread whose exception `join` raises again, so a failing laptop fails the test with
    its own error rather than with a missing answer."""

    error: BaseException | None = None

    def run(self) -> None:
        try:
            super().run()
        except BaseException as error:
            self.error = error

    def join(self, timeout: float | None = None) -> None:
        super().join(timeout)
        if self.error is not None:
            raise self.error


def planned_batches(laptop: Laptop, rows: int = ROWS_PER_LAPTOP, batch: int = BATCH
                    ) -> list[list[dict[str, Any]]]:
    """`rows` new rows of `laptop` in push order, `batch` to a request: its village, then
    households each followed by two people, as a volunteer's first sync would send them."""
    village = laptop.village(f"Bản {laptop.device_id[:8]}")
    made: list[Village | Household | Person] = [village]
    while len(made) < rows:
        home = household(village, f"Lò Văn {len(made)}")
        made += [home, person(home), person(home, full_name="Lò Văn Pọm", gender="male",
                                            relation_to_head="child",
                                            date_of_birth=date(2016, 3, 2))]
    changes = [laptop.change(row) for row in made[:rows]]
    return [changes[start:start + batch] for start in range(0, len(changes), batch)]


@dataclass
class Pushed:
    """What the concurrent push sent, what the server answered, and what each laptop pulled
    between its pushes (empty lists when it did not pull)."""

    batches: list[list[dict[str, Any]]]
    answers: list[tuple[int, dict[str, Any]]]  # (HTTP status, body), one per batch
    pulled: list[list[dict[str, Any]]]  # per laptop
    cursors: list[int]  # per laptop, after its last pull
    seconds: float

    @property
    def rows(self) -> int:
        return sum(len(batch) for batch in self.batches)


def push_concurrently(laptops: list[Laptop], plans: list[list[list[dict[str, Any]]]],
                      pulling: int = 0) -> Pushed:
    """Every laptop pushes its batches in order, all laptops at once (one thread each, released
    together); the first `pulling` laptops also pull to the head of the feed after each push,
    as a laptop syncing after every batch would. Returns once all are answered."""
    start = threading.Barrier(len(laptops) + 1)
    answers: list[list[tuple[int, dict[str, Any]]]] = [[] for _ in laptops]
    pulled: list[list[dict[str, Any]]] = [[] for _ in laptops]
    cursors = [0] * len(laptops)

    def run(index: int) -> None:
        start.wait()
        for changes in plans[index]:
            answer = laptops[index].push(changes, str(uuid.uuid4()))
            answers[index].append((answer.status_code, answer.json()))
            if index < pulling:
                cursors[index] = pull_to_head(laptops[index], cursors[index], pulled[index])

    threads = [Checked(target=run, args=(i,)) for i in range(len(laptops))]
    for thread in threads:
        thread.start()
    start.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    seconds = time.perf_counter() - began
    return Pushed([batch for plan in plans for batch in plan],
                  [answer for mine in answers for answer in mine], pulled, cursors, seconds)


def pull_to_head(laptop: Laptop, cursor: int, into: list[dict[str, Any]]) -> int:
    """Pull after `cursor` until the server has nothing more; returns the new cursor."""
    while True:
        page = laptop.pull(cursor, PULL_LIMIT)
        into += page["changes"]
        cursor = page["next_cursor"]
        if not page["more"]:
            return cursor


def tail(laptop: Laptop, pushes_done: threading.Event) -> list[dict[str, Any]]:
    """Pull from cursor 0 while others push, until a pull that began after the last push was
    answered (so after it committed) finds nothing more."""
    pulled: list[dict[str, Any]] = []
    cursor = 0
    while True:
        finished = pushes_done.is_set()
        cursor = pull_to_head(laptop, cursor, pulled)
        if finished:
            return pulled
        time.sleep(0.02)


def check_feed(pulled: list[dict[str, Any]], expected: dict[str, str]) -> None:
    """`pulled` holds every row of `expected` (id: table) exactly once, in sequence order."""
    ids = Counter(change["id"] for change in pulled)
    missing = set(expected) - set(ids)
    assert not missing, f"{len(missing)} rows never pulled"
    assert set(ids) == set(expected)
    assert max(ids.values()) == 1, "rows pulled twice"
    assert all(change["table"] == expected[change["id"]] for change in pulled)
    seqs = [change["seq"] for change in pulled]
    assert seqs == sorted(seqs)


def cpu_seconds(processes: list[psutil.Process]) -> list[float]:
    return [sum(p.cpu_times()[:2]) for p in processes]


def test_eight_laptops_push_through_two_processes_and_a_puller_gets_every_row_once(
        served: ServerProcess):
    code = commune_codes()[0]
    laptops = [enrol(served, code, f"Máy {n}") for n in range(LAPTOPS)]
    puller = enrol(served, code, "Máy mới")
    plans = [planned_batches(laptop) for laptop in laptops]
    workers = served.workers()
    assert len(workers) == WORKERS

    pushes_done = threading.Event()
    tailed: list[list[dict[str, Any]]] = []
    tailer = Checked(target=lambda: tailed.append(tail(puller, pushes_done)))
    cpu_before = cpu_seconds(workers)
    tailer.start()
    try:
        pushed = push_concurrently(laptops, plans, pulling=PULLING)
    finally:
        pushes_done.set()
        tailer.join()
    cpu_used = [after - before for before, after in zip(cpu_before, cpu_seconds(workers),
                                                        strict=True)]

    # Every push answered, every row applied, in the order sent.
    assert [status for status, _ in pushed.answers] == [200] * len(pushed.batches)
    for batch, (_, body) in zip(pushed.batches, pushed.answers, strict=True):
        assert [(r["id"], r["status"], r["version"]) for r in body["results"]] == \
               [(change["id"], "applied", 1) for change in batch]
    sent = {change["id"]: change["table"] for batch in pushed.batches for change in batch}
    assert len(sent) == pushed.rows == LAPTOPS * ROWS_PER_LAPTOP
    # Both processes did a real part of the work.
    assert all(used >= MIN_WORKER_SHARE * sum(cpu_used) for used in cpu_used), cpu_used

    # The server holds exactly the pushed rows, each once, at version 1.
    with served.engine.connect() as conn:
        for table in ("village", "household", "person"):
            stored = Counter(conn.execute(select(table_of(table).c.id,
                                                 table_of(table).c.version)).all())
            expected = {(row_id, 1) for row_id, kind in sent.items() if kind == table}
            assert sum(stored.values()) == len(expected), table
            assert set(stored) == expected, table
        logged = conn.execute(select(change_log.c.row_id, change_log.c.seq)).all()
        assert conn.execute(select(func.count()).select_from(applied_change)).scalar_one() \
               == pushed.rows
        assert conn.execute(select(func.count()).select_from(push_batch)).scalar_one() \
               == len(pushed.batches)
    commune = laptops[0].commune_id
    assert sorted(row_id for row_id, _ in logged) == sorted([*sent, commune])
    assert len({seq for _, seq in logged}) == len(logged)

    # Every laptop, pulling after each of its pushes and once more at the end, receives every
    # row of the others exactly once, in sequence order (its own it has: see `change_feed`).
    # So does the fresh one, tailing the feed during the pushes, then reading it whole from
    # cursor 0, with the laptops' rows and the commune's.
    feed = {**sent, commune: "commune"}
    for index in range(PULLING):
        laptop, pulled = laptops[index], pushed.pulled[index]
        pull_to_head(laptop, pushed.cursors[index], pulled)
        own = {change["id"] for batch in plans[index] for change in batch}
        check_feed(pulled, {row_id: table for row_id, table in feed.items() if row_id not in own})
    check_feed(tailed[0], feed)
    check_feed(puller.pull_all(PULL_LIMIT), feed)
    print(f"\n{pushed.rows:,} rows in {len(pushed.batches)} pushes through {WORKERS} "
          f"processes: {pushed.seconds:.1f} s, {pushed.rows / pushed.seconds:,.0f} rows/s; "
          f"worker CPU {', '.join(f'{s:.1f} s' for s in cpu_used)}")


def test_an_admin_logged_in_through_one_worker_is_logged_in_through_every_one(
        served: ServerProcess):
    """The session cookie one worker signs is accepted by the others: `serve` gives all its
    workers one signing key (otherwise each draws its own, see `web.sessions`)."""
    create_admin(served.engine, ADMIN, PASSWORD)
    browser = requests.Session()
    browser.headers["Connection"] = "close"  # a new connection, so any worker, every request
    form = browser.get(served.url + "/login", timeout=TIMEOUT_S)
    csrf = CSRF.search(form.text)
    assert csrf, form.text
    answer = browser.post(served.url + "/login", timeout=TIMEOUT_S, allow_redirects=False,
                          data={"username": ADMIN, "password": PASSWORD, "next": "/",
                                "csrf_token": csrf.group(1)})
    assert answer.status_code == 303, answer.text
    views = [browser.get(served.url + "/", timeout=TIMEOUT_S, allow_redirects=False).status_code
             for _ in range(PAGE_VIEWS)]
    assert views == [200] * PAGE_VIEWS
