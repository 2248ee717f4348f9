"""A batch sent ahead waits, on the event loop, for the batch it follows (see AFTER_HEADER).

The wait holds no worker thread. The threads are few (the thread pool's 40 by default) and
every request's database work needs one: at the end of a campaign, with more laptops syncing
at once than there are threads, waits held in threads would take them all, and the batches
they wait for, each needing a thread to be stored, would queue behind them until every wait
ran out.

A batch stored in this process wakes only the pushes waiting for that batch, at once. One
stored by another process (several `serve` workers on PostgreSQL, or a sync file imported from
the command line beside the server) is seen by looking in the database: one query for every
batch this process's pushes wait for, however many they are.
"""

import asyncio
import logging
import threading
import time
from dataclasses import dataclass, field

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from starlette.concurrency import run_in_threadpool

from fieldkit.core.sync_protocol import AFTER_WAIT_S
from fieldkit_server.db import is_sqlite, reading
from fieldkit_server.device_auth import Device
from fieldkit_server.driver_sql import select_in
from fieldkit_server.tables import push_batch

log = logging.getLogger(__name__)

# Seconds between looks in the database while any push of the process waits. A look is one
# small query however many pushes wait. On SQLite `serve` runs one process and only a
# command-line import writes beside it, so it looks seldom there.
_LOOK_EVERY_S = 0.01
_LOOK_EVERY_SQLITE_S = 0.25


class EarlierBatchMissing(Exception):
    """The batch a push was sent after is not stored within AFTER_WAIT_S."""


@dataclass
class _Loop:
    """The pushes waiting on one event loop with one database, and that loop's look in the
    database, running while any does."""

    loop: asyncio.AbstractEventLoop
    engine: Engine
    waiting: dict[str, list[asyncio.Future[str]]] = field(default_factory=dict)
    # Held here: the event loop keeps only a weak reference to a task it runs.
    look: "asyncio.Task[None] | None" = None


class _Waiters:
    """Every push of this process waiting for a batch: told by the thread that stored the
    batch, or by its loop's look in the database, on its own event loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._loops: dict[tuple[asyncio.AbstractEventLoop, Engine], _Loop] = {}

    def watch(self, engine: Engine, batch_id: str) -> asyncio.Future[str]:
        """A future told the device id of whoever stores `batch_id` from now on; the loop's
        look in the database is started if it is not running."""
        loop = asyncio.get_running_loop()
        stored: asyncio.Future[str] = loop.create_future()
        with self._lock:
            waits = self._loops.setdefault((loop, engine), _Loop(loop, engine))
            waits.waiting.setdefault(batch_id, []).append(stored)
            if waits.look is None:
                waits.look = loop.create_task(self._look(waits))
        return stored

    def forget(self, engine: Engine, batch_id: str, stored: asyncio.Future[str]) -> None:
        with self._lock:
            waits = self._loops.get((asyncio.get_running_loop(), engine))
            if waits is None:
                return
            left = [waiter for waiter in waits.waiting.get(batch_id, []) if waiter is not stored]
            if left:
                waits.waiting[batch_id] = left
            else:
                waits.waiting.pop(batch_id, None)

    def stored(self, batch_id: str, device_id: str) -> None:
        """Tell every push waiting for `batch_id`, on any loop (called from any thread)."""
        with self._lock:
            told = [(waits.loop, waits.waiting.pop(batch_id)) for waits in self._loops.values()
                    if batch_id in waits.waiting]
        for loop, waiting in told:
            for waiter in waiting:
                try:
                    loop.call_soon_threadsafe(_tell, waiter, device_id)
                except RuntimeError:  # that loop is closed: its requests are gone
                    continue

    async def _look(self, waits: _Loop) -> None:
        """Look in the database for the batches this loop's pushes wait for, while any do."""
        pause = _LOOK_EVERY_SQLITE_S if is_sqlite(waits.engine) else _LOOK_EVERY_S
        while True:
            await asyncio.sleep(pause)
            with self._lock:
                wanted = sorted(waits.waiting)
                if not wanted:
                    del self._loops[(waits.loop, waits.engine)]
                    return
            try:
                found = await run_in_threadpool(_senders, waits.engine, wanted)
            except SQLAlchemyError:
                # The database is briefly unreachable: the pushes wait on (their own bound
                # ends them), and a store in this process still wakes them.
                log.warning("Không đọc được cơ sở dữ liệu để tìm các lô đang được chờ; sẽ thử lại.",
                            exc_info=True)
                continue
            for batch_id, device_id in found.items():
                self.stored(batch_id, device_id)


def _tell(waiter: asyncio.Future[str], device_id: str) -> None:
    if not waiter.done():  # its request may have ended meanwhile
        waiter.set_result(device_id)


_WAITERS = _Waiters()


def note_stored(batch_id: str, device_id: str) -> None:
    """Wake the pushes waiting for `batch_id`, now committed by `device_id`'s push."""
    _WAITERS.stored(batch_id, device_id)


async def wait_for_batch(engine: Engine, device: Device, batch_id: str) -> None:
    """Return once the batch `batch_id` of `device` is stored; else EarlierBatchMissing, at
    once for another laptop's batch, or past AFTER_WAIT_S."""
    deadline = time.monotonic() + AFTER_WAIT_S
    # Watched before the first look: a batch stored between the look and the wait still wakes.
    stored = _WAITERS.watch(engine, batch_id)
    try:
        sender = (await run_in_threadpool(_senders, engine, [batch_id])).get(batch_id)
        if sender is None:
            await asyncio.wait((stored,), timeout=deadline - time.monotonic())
            sender = stored.result() if stored.done() else None
        if sender != device.id:  # not stored in time, or another laptop's batch
            raise EarlierBatchMissing(batch_id)
    finally:
        _WAITERS.forget(engine, batch_id, stored)


def _senders(engine: Engine, batch_ids: list[str]) -> dict[str, str]:
    """batch id -> the device whose push stored it, for those of `batch_ids` stored."""
    with reading(engine) as conn:
        return {row["batch_id"]: row["device_id"] for row in select_in(
            conn, push_batch, ("batch_id", "device_id"), "batch_id", batch_ids)}
