"""Pushing the outbox: batches of at most MAX_CHANGES, each saved before it is sent.

A batch is saved in the store (with its id and exact changes) before the request leaves, and
forgotten only in the transaction that records its answer. When the connection drops after
the server committed, the next attempt (or the next sync, after a restart) sends the same
batch again, and the server answers it from its store: nothing is applied twice and no answer
is lost.
"""

import uuid
from collections.abc import Callable

from pydantic import ValidationError

from fieldkit.core.store import Store
from fieldkit.core.sync_apply import (
    PushOutcome,
    pending_changes,
    record_results,
    save_batch,
    saved_batch,
)
from fieldkit.core.sync_protocol import MAX_CHANGES, PUSH_PATH, PushRequest, PushResponse
from fieldkit.sync_client.client import BAD_ANSWER, SyncClient, SyncError

Progress = Callable[[int, int, str], None]


def push_pending(client: SyncClient, store: Store, progress: Progress | None = None,
                 batch_size: int = MAX_CHANGES) -> PushOutcome:
    """Push until the outbox holds nothing sendable; returns the summed answers."""
    total = store.pending_changes()
    done = 0
    summed = PushOutcome()
    while True:
        request = saved_batch(store)
        if request is None:
            changes = pending_changes(store, batch_size)
            if not changes:
                return summed
            request = PushRequest(batch_id=str(uuid.uuid4()), changes=changes)
            save_batch(store, request)
        body = client.post_json(PUSH_PATH, request.model_dump(mode="json"))
        try:
            response = PushResponse.model_validate(body)
        except ValidationError as exc:
            raise SyncError(BAD_ANSWER.format(detail=f"push: {exc.error_count()} lỗi")) from exc
        if response.batch_id != request.batch_id:
            raise SyncError(BAD_ANSWER.format(detail="push: batch_id khác lô đã gửi"))
        outcome = record_results(store, request.changes, response)
        if outcome.unanswered == len(request.changes):
            # Sending the same rows again would loop for ever.
            raise SyncError(BAD_ANSWER.format(detail="push: không trả lời thay đổi nào"))
        for name in ("applied", "duplicate", "conflict", "rejected", "unanswered"):
            setattr(summed, name, getattr(summed, name) + getattr(outcome, name))
        done += len(request.changes) - outcome.unanswered
        if progress is not None:
            progress(done, max(total, done), "push")
