"""One sync: push the outbox, then pull until up to date. What the GUI's Sync button and
`fieldkit sync` call.

Push comes first so that the pull which follows brings back the server's side of any
conflict the push found, and a laptop with nothing to send makes a single request (one pull
page). Cancel is honoured between requests and during back-off; every step commits on its
own, so a cancelled or interrupted sync leaves the store consistent and the next one carries
on where it stopped.
"""

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from fieldkit.core.columns import utcnow
from fieldkit.core.store import Store
from fieldkit.core.sync_apply import conflicts, quarantined
from fieldkit.sync_client.client import Cancelled, RetryPolicy, SyncError
from fieldkit.sync_client.pull import pull_all
from fieldkit.sync_client.push import push_pending
from fieldkit.sync_client.store_client import store_client

# progress(done, total, phase): phase "push" or "pull"; total 0 while it is not known.
Progress = Callable[[int, int, str], None]

logger = logging.getLogger(__name__)


@dataclass
class SyncReport:
    """What one sync did; `as_dict` is what `fieldkit sync` prints as JSON."""

    pushed_applied: int = 0
    pushed_duplicate: int = 0
    pushed_conflict: int = 0
    pushed_rejected: int = 0
    pulled: int = 0
    pulled_echoes: int = 0
    pulled_conflicts: int = 0
    waiting_for_parent: int = 0
    definitions: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    conflicts: int = 0  # open conflicts after this sync, old and new
    quarantined: int = 0  # rows refused by the server, waiting for an edit
    outbox: int = 0  # outbox entries left (edits made during the sync, or on Cancel)
    requests: int = 0
    retries: int = 0
    bytes_sent: int = 0
    seconds: float = 0.0
    cancelled: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def sync(store: Store, progress: Progress | None = None,
         cancel: threading.Event | None = None, *,
         retry: RetryPolicy | None = None,
         timeout: float | tuple[float, float] = (10.0, 60.0)) -> SyncReport:
    """Push then pull with the enrolled server. Raises SyncError (message in Vietnamese) when
    it cannot go on: a demo store, no enrolment, an expired token, the server out of reach
    after the bounded retries, or an answer outside the protocol. `Revoked` (a SyncError)
    when the commune revoked this laptop: the store is locked by then (see `store_client`),
    or was already."""
    logger.info("sync started: %d outbox entries waiting", store.outbox_size())
    try:
        report = _sync(store, progress, cancel, retry, timeout)
    except SyncError as exc:
        logger.warning("sync stopped: %s (%s)", exc, type(exc).__name__)
        raise
    except Exception:
        logger.exception("sync stopped by an unexpected error")
        raise
    logger.info("sync %s in %.1f s: pushed %d applied, %d duplicate, %d conflict, %d rejected; "
                "pulled %d, %d conflicts, %d waiting for parent, %d refused; open conflicts %d, "
                "quarantined %d, outbox %d; %d requests, %d retries, %d bytes sent",
                "cancelled" if report.cancelled else "finished", report.seconds,
                report.pushed_applied, report.pushed_duplicate, report.pushed_conflict,
                report.pushed_rejected, report.pulled, report.pulled_conflicts,
                report.waiting_for_parent, len(report.refused), report.conflicts,
                report.quarantined, report.outbox, report.requests, report.retries,
                report.bytes_sent)
    return report


def _sync(store: Store, progress: Progress | None, cancel: threading.Event | None,
          retry: RetryPolicy | None, timeout: float | tuple[float, float]) -> SyncReport:
    started = time.monotonic()
    report = SyncReport()
    with store_client(store, timeout=timeout, retry=retry, cancel=cancel) as client:
        try:
            pushed = push_pending(client, store, progress)
            report.pushed_applied, report.pushed_duplicate = pushed.applied, pushed.duplicate
            report.pushed_conflict, report.pushed_rejected = pushed.conflict, pushed.rejected
            pulled = pull_all(client, store, progress)
            report.pulled, report.pulled_echoes = pulled.applied, pulled.echoes
            report.pulled_conflicts, report.waiting_for_parent = pulled.conflicts, pulled.held
            report.definitions, report.refused = pulled.definitions, pulled.refused
            with store.write() as session:
                store.set_meta(session, {"last_sync_at": utcnow().isoformat()})
        except Cancelled:
            report.cancelled = True
        finally:
            report.requests = client.traffic.requests
            report.retries = client.traffic.retries
            report.bytes_sent = client.traffic.bytes_sent
    report.conflicts = len(conflicts(store))
    report.quarantined = len(quarantined(store))
    report.outbox = store.outbox_size()
    report.seconds = round(time.monotonic() - started, 3)
    return report
