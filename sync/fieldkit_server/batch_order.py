"""A batch sent ahead waits, on the event loop, for the batch it follows (see AFTER_HEADER).

The wait holds no worker thread. The threads are few (the thread pool's 40 by default) and
every request's database work needs one: at the end of a campaign, with more laptops syncing
at once than there are threads, waits held in threads would take them all, and the batches
they wait for, each needing a thread to be stored, would queue behind them until every wait
ran out.

A batch stored in this process wakes only the pushes waiting for that batch, at once. One
stored by another process (several `serve` workers on PostgreSQL, or a sync file imported from
the command line beside the server) is seen by looking in the database again, soon and then
less often.
"""

import asyncio
import threading
import time

from sqlalchemy import Engine, select
from starlette.concurrency import run_in_threadpool

from fieldkit.core.sync_protocol import AFTER_WAIT_S
from fieldkit_server.db import is_sqlite, reading
from fieldkit_server.device_auth import Device
from fieldkit_server.tables import push_batch

# Seconds between looks in the database: from the first to the longest, doubling. Each look is
# a query, which takes turns with the batch being written. On SQLite `serve` runs one process
# and only a command-line import writes beside it, so it looks seldom there.
_LOOK_AGAIN_S = (0.01, 0.2)
_LOOK_AGAIN_SQLITE_S = (0.25, 0.25)


class EarlierBatchMissing(Exception):
    """The batch a push was sent after is not stored within AFTER_WAIT_S."""


class _Waiters:
    """The pushes of this process waiting for each batch id: told by the thread that stored
    the batch, on their own event loop."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._waiting: dict[str, list[tuple[asyncio.AbstractEventLoop,
                                            asyncio.Future[str]]]] = {}

    def watch(self, batch_id: str) -> asyncio.Future[str]:
        """A future told the device id of whoever stores `batch_id` from now on."""
        loop = asyncio.get_running_loop()
        stored: asyncio.Future[str] = loop.create_future()
        with self._lock:
            self._waiting.setdefault(batch_id, []).append((loop, stored))
        return stored

    def forget(self, batch_id: str, stored: asyncio.Future[str]) -> None:
        with self._lock:
            left = [(loop, waiter) for loop, waiter in self._waiting.get(batch_id, [])
                    if waiter is not stored]
            if left:
                self._waiting[batch_id] = left
            else:
                self._waiting.pop(batch_id, None)

    def stored(self, batch_id: str, device_id: str) -> None:
        with self._lock:
            waiting = self._waiting.pop(batch_id, [])
        for loop, waiter in waiting:
            loop.call_soon_threadsafe(_tell, waiter, device_id)


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
    look_again, longest = _LOOK_AGAIN_SQLITE_S if is_sqlite(engine) else _LOOK_AGAIN_S
    # Watched before the first look: a batch stored between the look and the wait still wakes.
    stored = _WAITERS.watch(batch_id)
    try:
        while True:
            sender = await run_in_threadpool(_sender, engine, batch_id)
            if sender == device.id:
                return
            left = deadline - time.monotonic()
            if sender is not None or left <= 0:  # another laptop's batch is never this one's
                raise EarlierBatchMissing(batch_id)
            done, _ = await asyncio.wait((stored,), timeout=min(left, look_again))
            if done:
                if stored.result() != device.id:
                    raise EarlierBatchMissing(batch_id)
                return
            look_again = min(look_again * 2, longest)
    finally:
        _WAITERS.forget(batch_id, stored)


def _sender(engine: Engine, batch_id: str) -> str | None:
    """The device whose push stored `batch_id`, if any did."""
    with reading(engine) as conn:
        return conn.execute(select(push_batch.c.device_id).where(
            push_batch.c.batch_id == batch_id)).scalar_one_or_none()
