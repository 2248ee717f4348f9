"""Sync: a laptop's visits, households, people and consents pushed to a real commune server.

The laptop is a real encrypted store filled through its own sessions (so the outbox is what
real use leaves), enrolled with a real server, `fieldkit-server serve` in a process of its own
as a commune runs it, on 127.0.0.1 over a temporary SQLite file, and synced with
`fieldkit.sync_client.runner.sync`, exactly as `fieldkit sync` does. Every request goes
through a small counting TCP relay in a process of its own, so "bytes on the wire" is
everything both ways: headers, gzip bodies, push answers and the pull that follows the push.
The benchmark starts that process by spawning: run it from a script that guards its entry
point (`if __name__ == "__main__"`), as `run_all.py` does.

Also reported: rows pushed a second, the 95th percentile of the server's own time per push
request, as its Server-Timing header gives it (the database work, HTTP excluded), and the CPU
time the server's process and the laptop's (this process) spent during the sync. The server
stores batches one after another in one process, under one interpreter lock, so the sync can
hardly take less time than the server's CPU time, whatever of the laptop's work overlaps with
it. The sync is run on several copies of one laptop store, each against a new server and each
just after a bulk insert of its own, and the run with the median ratio is reported. On a
shared machine the speed drifts over minutes, by up to a third: a sync and a bulk insert
measured a minute apart could be in different phases of it, where a pair measured together is
not.

Baselines, all measured in the same run on the same rows:
- time: a raw bulk insert of the same rows into a freshly migrated server database (one
  `executemany` per table, one transaction, no HTTP, no checks): the least storing them costs;
- bytes: one gzip (level 6) of the rows' JSON, the least that could carry them;
- both: the same rows pushed one request per row, the way a naive client would;
- a sync with nothing to send: one bare authenticated GET of the ping endpoint;
- the same sync over a link with a 50 ms round trip (the relay holds each chunk back 25 ms
  each way): the reported loopback sync, to show what a village's phone link adds.
"""

from __future__ import annotations

import gzip
import json
import multiprocessing
import os
import queue
import random
import re
import shutil
import socket
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime, timedelta
from itertools import groupby
from multiprocessing.connection import Connection
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psutil
import requests

from cached_store import COMMUNE_CODE
from measurement import FORMATS, Measurement, median, percentile

if TYPE_CHECKING:
    from fieldkit.core.store import Store
    from fieldkit.core.sync_protocol import Change

ROOT = Path(__file__).resolve().parents[1]
VISITS_PER_HOUSEHOLD = 4  # a campaign comes back: first contact, level 1, level 2, follow-up
VILLAGES = 40
PASSPHRASE = "benchmark-sync-2025"
# Pushing one row per request costs a commit each; past this many rows, a slice of the
# households (with all their people, consents and visits) is pushed and the time scaled up.
ONE_BY_ONE_MAX_ROWS = 1_000
BULK_TARGET = 10.0
BYTES_TARGET = 1.3
PUSH_P95_TARGET_MS = 500.0
NO_CHANGE_TARGET_MS = 100.0
# A phone link in a village: the sync over it is reported beside the loopback one.
FAR_ROUND_TRIP_S = 0.05
# Wire sizes are in the tens of kilobytes to megabytes: whole megabytes would hide them.
FORMATS.setdefault("KB", "{:,.0f} KB")
FORMATS.setdefault("rows/s", "{:,.0f} rows/s")


def measure(visits: int, seed: int, no_change_runs: int,
            sync_runs: int = 3) -> list[Measurement]:
    """Build the laptop, sync copies of it `sync_runs` times (each timed and counted, against
    a new server, right after a bulk insert of the same rows), then the other baselines on
    the very rows those syncs pushed: the outbox is read before the first sync, so nothing
    differs but the path. The run reported is the one with the median ratio (see the module
    notes)."""
    from fieldkit.core.store import Store
    from fieldkit.core.sync_apply import pending_changes
    from fieldkit.core.sync_protocol import MAX_CHANGES
    from fieldkit.sync_client.runner import sync

    households = max(1, visits // VISITS_PER_HOUSEHOLD)
    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        store = _laptop_store(tmp / "laptop", seed, households, visits)
        changes = pending_changes(store, limit=sys.maxsize)
        rows = [change.data for change in changes]
        store.close()
        runs: list[tuple[float, float, list[float], int, int, float, float]] = []
        for run in range(sync_runs):
            copy = tmp / f"laptop-{run}"
            shutil.copytree(tmp / "laptop", copy)
            store = Store.open(copy, PASSPHRASE)
            # The bulk insert commits to disk, and must not pay for writing out what the
            # benchmark wrote before it (the store it built, the copy): right after the copy
            # it took 0.024-0.034 s against 0.021-0.024 s before it, at 1,000 visits.
            _flush_disk()
            bulk = _bulk_insert(tmp / f"bulk-{run}.db", changes)
            try:
                with _served(tmp / f"server-{run}.db", store) as (relay, server_cpu):
                    relay.reset()
                    server_before, laptop_before = server_cpu(), time.process_time()
                    started = time.perf_counter()
                    report = sync(store)
                    synced = time.perf_counter() - started
                    laptop = time.process_time() - laptop_before
                    serving = server_cpu() - server_before
                    pushes = relay.push_timings()
                    sent, received = relay.reset()
                    runs.append((synced, bulk, pushes, sent, received, serving, laptop))
                    if report.pushed_rejected or report.pushed_conflict or store.outbox_size():
                        raise RuntimeError(f"the benchmark sync did not push cleanly: {report}")
                    if run == sync_runs - 1:
                        quiet, ping, round_trips = _no_change(store, relay.url, no_change_runs)
            finally:
                if run < sync_runs - 1:
                    store.close()
        try:
            synced, bulk, pushes, sent, received, serving, laptop = sorted(
                runs, key=lambda taken: taken[0] / taken[1])[len(runs) // 2]
            push_p95 = percentile(pushes, 95) if pushes else 0.0
            wire = sent + received
            gzipped = len(_gzip_json(rows))
            with _served(tmp / "one-by-one.db", store) as (relay, _):
                one_time, one_bytes, sample = _one_by_one(store, relay, changes)
        finally:
            store.close()
        far = _far_sync(tmp, sync_runs)
    kinds = Counter(change.table for change in changes)
    what = (f"push {kinds['visit']:,} visits + {kinds['household']:,} households, "
            f"{kinds['person']:,} people, {kinds['consent']:,} consents "
            f"({len(rows):,} rows)")
    scaled = "" if sample == len(rows) else f", sample of {sample:,} rows scaled"
    ratios = ", ".join(f"{taken[0] / taken[1]:.1f}×" for taken in runs)
    runs_said = "" if sync_runs == 1 else f", median of {sync_runs} paired runs ({ratios})"
    return [
        Measurement(f"{what}: sync time vs raw bulk insert{runs_said}", synced, bulk, "s",
                    f"≤ {BULK_TARGET:.0f}× raw insert", synced <= BULK_TARGET * bulk),
        Measurement("same push: CPU time of the server's process (every thread) during the sync "
                    "vs raw bulk insert", serving, bulk, "s", "(reported)", True),
        Measurement("same push: CPU time of the laptop (this process, every thread) during the "
                    "sync vs raw bulk insert", laptop, bulk, "s", "(reported)", True),
        Measurement(f"same push: rows a second vs raw bulk insert's ({len(rows):,} rows)",
                    len(rows) / synced, len(rows) / bulk, "rows/s", "(reported)", True),
        Measurement(f"same push: server time per push request of ≤ {MAX_CHANGES} rows, p95 "
                    f"of {len(pushes)} vs raw bulk insert of as many rows",
                    push_p95 * 1000, bulk / len(rows) * MAX_CHANGES * 1000, "ms",
                    f"< {PUSH_P95_TARGET_MS:.0f} ms", push_p95 * 1000 < PUSH_P95_TARGET_MS),
        Measurement(f"same push: sync time vs one request per row{scaled}", synced, one_time,
                    "s", "< one per row", synced < one_time),
        Measurement(f"same push: bytes on the wire, {sent / 1000:,.0f} KB up + "
                    f"{received / 1000:,.0f} KB down (push answers, pull), vs gzip of the rows' "
                    "JSON", wire / 1000, gzipped / 1000, "KB",
                    f"≤ {BYTES_TARGET}× gzip", wire <= BYTES_TARGET * gzipped),
        Measurement(f"same push: bytes on the wire vs one request per row{scaled}",
                    wire / 1000, one_bytes / 1000, "KB", "< one per row", wire < one_bytes),
        Measurement(f"same push over a link with a {FAR_ROUND_TRIP_S * 1000:.0f} ms round trip "
                    "(the relay holding each chunk back) vs on loopback", far, synced, "s",
                    "(reported)", True),
        Measurement(f"no-change sync, median of {no_change_runs} "
                    f"({round_trips} request{'' if round_trips == 1 else 's'}) vs one ping",
                    quiet * 1000, ping * 1000, "ms",
                    f"1 request, < {NO_CHANGE_TARGET_MS:.0f} ms",
                    round_trips == 1 and quiet * 1000 < NO_CHANGE_TARGET_MS),
    ]


def _far_sync(tmp: Path, copy_no: int) -> float:
    """Seconds of one more sync of the same laptop, through a relay that holds every chunk
    back half of FAR_ROUND_TRIP_S each way: a village's phone link, not loopback."""
    from fieldkit.core.store import Store
    from fieldkit.sync_client.runner import sync

    copy = tmp / f"laptop-{copy_no}"
    shutil.copytree(tmp / "laptop", copy)
    store = Store.open(copy, PASSPHRASE)
    try:
        with _served(tmp / "far.db", store, FAR_ROUND_TRIP_S / 2):
            started = time.perf_counter()
            report = sync(store)
            taken = time.perf_counter() - started
    finally:
        store.close()
    if report.pushed_rejected or report.pushed_conflict or report.outbox:
        raise RuntimeError(f"the far sync did not push cleanly: {report}")
    return taken


def _laptop_store(data_dir: Path, seed: int, households: int, visits: int) -> Store:
    """A store with `households` synthetic households and `visits` ended visits among them,
    every row written through the store's sessions so the outbox is filled the normal way."""
    from sqlmodel import select

    from fieldkit.core.columns import dumps_codes
    from fieldkit.core.models import Household, Visit
    from fieldkit.core.profile import set_up_profile
    from fieldkit.core.store import Store
    from fieldkit.core.synthetic import REFERENCE_DATE, populate
    from fieldkit.core.vocabulary import SERVICES, VISIT_OUTCOMES

    store = Store.create(data_dir, PASSPHRASE)
    profile = set_up_profile(store, "Lò Thị Linh", "0912345678", COMMUNE_CODE)
    populate(store, profile, seed, households, VILLAGES, as_of=REFERENCE_DATE)
    with store.read() as session:
        household_ids = list(session.exec(select(Household.id).order_by(Household.id)))
    rng = random.Random(seed)
    services, outcomes = list(SERVICES), list(VISIT_OUTCOMES)
    first = datetime.combine(REFERENCE_DATE, datetime.min.time(), tzinfo=UTC)
    for start in range(0, visits, 500):  # one transaction per 500 visits, like a day's sync
        with store.write() as session:
            for n in range(start, min(start + 500, visits)):
                started = first + timedelta(days=n // 40, minutes=rng.randrange(8 * 60))
                session.add(Visit(
                    household_id=household_ids[n % len(household_ids)],
                    volunteer_id=profile.volunteer_id, started_at=started,
                    ended_at=started + timedelta(minutes=rng.randrange(15, 90)),
                    services=dumps_codes(rng.sample(services, rng.randrange(1, 4))),
                    outcome=rng.choice(outcomes)))
    return store


# The server's header on every push answer; a header line cannot occur inside a body that is
# JSON (quoted, no raw line breaks) or gzip (whose bytes would not spell a whole line).
_PUSH_TIMING = re.compile(rb"\r\nserver-timing: push;dur=([0-9.]+)\r\n", re.IGNORECASE)
_TAIL = 64


class _CountingRelay:
    """A TCP relay in front of the server that counts every byte in both directions, in a
    process of its own. In the laptop's process its threads took the interpreter lock from the
    laptop's own (the one sending, the one reading the next batch): a 10,000-visit sync took
    0.4-0.6 s longer through it than straight to the server. Out here it costs the laptop what
    a network hop would."""

    def __init__(self, target_port: int, delay_s: float = 0.0) -> None:
        context = multiprocessing.get_context("spawn")  # nothing of the laptop goes with it
        self._commands, theirs = context.Pipe()
        self._process = context.Process(target=_relay_process,
                                        args=(target_port, delay_s, theirs), daemon=True)
        self._process.start()
        self.url: str = self._commands.recv()

    def reset(self) -> tuple[int, int]:
        """Bytes sent and received by the laptop since the last reset."""
        return self._ask("reset")

    def push_timings(self) -> list[float]:
        """Seconds of each push's database work since the last reset, from the answers'
        Server-Timing headers."""
        return self._ask("timings")

    def close(self) -> None:
        self._ask("close")
        self._process.join()

    def _ask(self, command: str) -> Any:
        self._commands.send(command)
        return self._commands.recv()


def _relay_process(target_port: int, delay_s: float, commands: Connection) -> None:
    """The relay's process: relays until told to close, answering its owner's questions."""
    relay = _Relay(target_port, delay_s)
    commands.send(relay.url)
    while True:
        command = commands.recv()
        if command == "reset":
            commands.send(relay.reset())
        elif command == "timings":
            commands.send(relay.push_timings())
        else:
            relay.close()
            commands.send(None)
            return


class _Relay:
    """The relay itself: a thread per connection and direction. With `delay_s`, each chunk is
    passed on that long after it came, as over a link with a round trip of twice that (a
    second thread per direction sends them, so a delay never holds up what follows)."""

    def __init__(self, target_port: int, delay_s: float = 0.0) -> None:
        self._target = ("127.0.0.1", target_port)
        self._delay_s = delay_s
        self._listener = socket.create_server(("127.0.0.1", 0))
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._lock = threading.Lock()
        self._sent = self._received = 0  # by the laptop, to and from the server
        self._timings: list[float] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def reset(self) -> tuple[int, int]:
        """Bytes sent and received by the laptop since the last reset."""
        with self._lock:
            counted = self._sent, self._received
            self._sent = self._received = 0
            self._timings.clear()
        return counted

    def push_timings(self) -> list[float]:
        """Seconds of each push's database work since the last reset, from the answers'
        Server-Timing headers."""
        with self._lock:
            return list(self._timings)

    def close(self) -> None:
        self._listener.close()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._listener.accept()
            except OSError:  # closed
                return
            server = socket.create_connection(self._target)
            for source, sink, upward in ((client, server, True), (server, client, False)):
                source.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                threading.Thread(target=self._pump, args=(source, sink, upward),
                                 daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, upward: bool) -> None:
        tail = b""  # the end of the last chunk: a header may be split between two
        send = sink.sendall if not self._delay_s else self._delayed(source, sink)
        with suppress(OSError):
            while chunk := source.recv(65536):
                send(chunk)
                timings = [] if upward else [float(m[1]) / 1000 for m in
                                             _PUSH_TIMING.finditer(tail + chunk)]
                tail = chunk[-_TAIL:]
                with self._lock:
                    if upward:
                        self._sent += len(chunk)
                    else:
                        self._received += len(chunk)
                        self._timings += timings
        # One side hung up: pass it on (after what is still on its way), so the pump the
        # other way ends too.
        if self._delay_s:
            send(b"")
        else:
            _hang_up(source, sink)

    def _delayed(self, source: socket.socket, sink: socket.socket) -> Callable[[bytes], None]:
        """A `sendall` for `sink` that sends each chunk `delay_s` after it was handed over;
        an empty chunk hangs up both ends once the chunks before it are sent."""
        chunks: queue.Queue[tuple[float, bytes]] = queue.Queue()

        def forward() -> None:
            with suppress(OSError):
                while chunk := (item := chunks.get())[1]:
                    time.sleep(max(0.0, item[0] - time.monotonic()))
                    sink.sendall(chunk)
            _hang_up(source, sink)

        threading.Thread(target=forward, daemon=True).start()
        return lambda chunk: chunks.put((time.monotonic() + self._delay_s, chunk))


def _hang_up(*ends: socket.socket) -> None:
    for end in ends:
        with suppress(OSError):
            end.shutdown(socket.SHUT_RDWR)


@contextmanager
def _served(db_file: Path, store: Store, delay_s: float = 0.0
            ) -> Iterator[tuple[_CountingRelay, Callable[[], float]]]:
    """A real server on `db_file` behind a counting relay (passing each chunk on `delay_s`
    late), with `store` enrolled through it; and a reading of the CPU seconds its process has
    used so far."""
    if str(ROOT) not in sys.path:  # the tests' helper runs `fieldkit-server serve` as it is
        sys.path.insert(0, str(ROOT))
    from tests.live_server import start_serve

    from fieldkit.sync_client.enrol import enrol

    server = start_serve(f"sqlite:///{db_file}", 1, db_file.with_suffix(".log"))
    relay = _CountingRelay(int(server.url.rsplit(":", 1)[1]), delay_s)
    try:
        enrol(store, relay.url, server.enrolment_code(COMMUNE_CODE), "benchmark")
        serving = psutil.Process(server.process.pid)  # one worker: the process is the server

        def cpu() -> float:
            used = serving.cpu_times()
            return used.user + used.system

        yield relay, cpu
    finally:
        relay.close()
        server.stop()


def _no_change(store: Store, url: str, runs: int) -> tuple[float, float, int]:
    """Median seconds of a sync with nothing queued and of one bare ping (a new connection
    each, as each sync opens its own), alternated; and the most requests any sync made."""
    from fieldkit.core.sync_protocol import PING_PATH
    from fieldkit.sync_client.runner import sync

    headers = {"Authorization": f"Bearer {store.meta['device_token']}"}
    synced, pinged, round_trips = [], [], 0
    for _ in range(runs):
        started = time.perf_counter()
        report = sync(store)
        synced.append(time.perf_counter() - started)
        round_trips = max(round_trips, report.requests)
        started = time.perf_counter()
        requests.get(url + PING_PATH, headers=headers, timeout=10).raise_for_status()
        pinged.append(time.perf_counter() - started)
    return median(synced), median(pinged), round_trips


def _flush_disk() -> None:
    """Write every file's pending pages out now (where the system has a call for it: not on
    Windows, where nothing is done)."""
    if hasattr(os, "sync"):
        os.sync()


def _bulk_insert(db_file: Path, changes: list[Change]) -> float:
    """Seconds to insert the changes' rows (parents first, as pushed) into a freshly migrated
    server database: one `executemany` per table in one transaction, on a connection with the
    server's own pragmas (WAL, synchronous=FULL, foreign keys)."""
    from fieldkit.core.sync_protocol import TABLES
    from fieldkit_server.db import open_database

    by_table: list[tuple[str, list[tuple[Any, ...]]]] = []
    for table, group in groupby(changes, key=lambda change: change.table):
        columns = list(TABLES[table].__table__.columns.keys())  # type: ignore[attr-defined]
        by_table.append((f"INSERT INTO {table} ({', '.join(columns)}) "
                         f"VALUES ({', '.join('?' * len(columns))})",
                         [tuple(change.data[column] for column in columns)
                          for change in group]))
    engine = open_database(f"sqlite:///{db_file}")
    connection = engine.raw_connection()
    try:
        cursor = connection.cursor()
        started = time.perf_counter()
        cursor.execute("BEGIN")
        for statement, values in by_table:
            cursor.executemany(statement, values)
        cursor.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        connection.close()
        engine.dispose()


def _gzip_json(rows: list[dict[str, Any]]) -> bytes:
    """The rows as one compact JSON array, gzipped as the client gzips its bodies."""
    text = json.dumps(rows, ensure_ascii=False, separators=(",", ":"))
    return gzip.compress(text.encode("utf-8"), compresslevel=6)


def _one_by_one(store: Store, relay: _CountingRelay, changes: list[Change]
                ) -> tuple[float, float, int]:
    """Seconds and wire bytes to push `changes` one per request (scaled up from a slice when
    there are too many), and how many rows were really pushed. Only the HTTP exchange is
    counted, none of the laptop's bookkeeping, so this baseline is if anything flattered."""
    from fieldkit.core.sync_protocol import PUSH_PATH, PushRequest
    from fieldkit.sync_client.client import SyncClient

    sample = _slice(changes, ONE_BY_ONE_MAX_ROWS)
    relay.reset()
    with SyncClient(relay.url, store.meta["device_token"]) as client:
        started = time.perf_counter()
        for change in sample:
            request = PushRequest(batch_id=str(uuid.uuid4()), changes=[change])
            answer = client.post_json(PUSH_PATH, request.model_dump(mode="json"))
            if answer["results"][0]["status"] not in ("applied", "duplicate"):
                raise RuntimeError(f"one-by-one push refused: {answer}")
        elapsed = time.perf_counter() - started
    scale = len(changes) / len(sample)
    return elapsed * scale, sum(relay.reset()) * scale, len(sample)


def _slice(changes: list[Change], most: int) -> list[Change]:
    """All of `changes` if there are at most `most`, else the commune, volunteer and villages
    with the first households and everything under them, in push order, about `most` rows: a
    slice with the same mix of tables, whose every row has its parents on the server."""
    if len(changes) <= most:
        return changes
    households = [c for c in changes if c.table == "household"]
    share = most / len(changes)
    kept = {c.id for c in households[:max(1, int(len(households) * share))]}
    people = {c.id for c in changes if c.table == "person" and c.data["household_id"] in kept}
    return [c for c in changes
            if c.table not in ("household", "person", "consent", "visit")
            or c.id in kept or c.id in people
            or (c.table == "consent" and c.data["person_id"] in people)
            or (c.table == "visit" and c.data["household_id"] in kept)]
