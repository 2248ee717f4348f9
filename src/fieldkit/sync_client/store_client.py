"""The client a store talks to its server with: its address and token, and the remote disable.

Every authenticated request of the laptop goes through `store_client`, so whichever request
first hears "revoked" from the server (a push, a pull, a ping) locks the store before the
error reaches the caller: the mark and the forgotten token are written in one transaction
(`fieldkit.core.revocation.mark_revoked`), and the caller gets `Revoked` with the message for
the volunteer. A store already locked is refused before anything is sent.
"""

import threading
from datetime import datetime

from fieldkit.core.revocation import mark_revoked, revocation_of
from fieldkit.core.store import Store
from fieldkit.sync_client.client import (
    NOT_ENROLLED,
    NotEnrolled,
    RetryPolicy,
    Revoked,
    SyncClient,
    SyncError,
)
from fieldkit.sync_client.enrol import DEMO_REFUSED


def refuse_if_revoked(store: Store) -> None:
    """Revoked, with the stored story, for a store locked by an earlier contact."""
    found = revocation_of(store)
    if found is not None:
        raise Revoked(found.message(), found.revoked_at)


def store_client(store: Store, *, timeout: float | tuple[float, float] = (10.0, 60.0),
                 retry: RetryPolicy | None = None,
                 cancel: threading.Event | None = None) -> SyncClient:
    """A client for the server this store is enrolled with. Raises SyncError for the practice
    store, Revoked for a locked one, NotEnrolled when there is no token."""
    if store.is_demo:
        raise SyncError(DEMO_REFUSED)
    refuse_if_revoked(store)
    url, token = store.meta.get("server_url"), store.meta.get("device_token")
    if not url or not token:
        raise NotEnrolled(NOT_ENROLLED)

    def lock(revoked_at: datetime | None) -> None:
        mark_revoked(store, url, revoked_at)

    return SyncClient(url, token, timeout=timeout, retry=retry, cancel=cancel, on_revoked=lock)
