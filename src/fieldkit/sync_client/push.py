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
    BATCH_KEY,
    PushOutcome,
    pending_changes,
    record_results,
    save_batch,
    saved_batch,
)
from fieldkit.core.sync_protocol import (
    ANSWERS_HEADER,
    IN_ORDER,
    MAX_CHANGES,
    PUSH_PATH,
    Change,
    ChangeResult,
    PushRequest,
    PushResponse,
)
from fieldkit.sync_client.client import BAD_ANSWER, Refused, SyncClient, SyncError

Progress = Callable[[int, int, str], None]
BATCH_ID_TAKEN = 409
READ_AHEAD = 10


def push_pending(client: SyncClient, store: Store, progress: Progress | None = None,
                 batch_size: int = MAX_CHANGES) -> PushOutcome:
    """Push until the outbox holds nothing sendable; returns the summed answers."""
    total = store.pending_changes()
    done = 0
    summed = PushOutcome()
    # Parts of a batch the server refused whole, to be sent as batches of their own.
    parts: list[list[Change]] = []
    # Changes read ahead for the next batches: one read of the outbox (a scan of the whole
    # queue, sorted parents first) serves READ_AHEAD batches instead of one. A row edited
    # meanwhile is safe: its older version goes now and its newer one stays queued.
    ahead: list[Change] = []
    while True:
        request = saved_batch(store)
        if request is None:
            if parts:
                changes = parts.pop()
            else:
                if not ahead:
                    ahead = pending_changes(store, batch_size * READ_AHEAD)
                changes, ahead = ahead[:batch_size], ahead[batch_size:]
            if not changes:
                return summed
            request = PushRequest(batch_id=str(uuid.uuid4()), changes=changes)
            save_batch(store, request)
        try:
            body = client.post_json(PUSH_PATH, request.model_dump(mode="json"),
                                    headers={ANSWERS_HEADER: IN_ORDER})
        except Refused as refusal:
            # The server gives this batch the same answer every time: sent again as it is,
            # it would block the queue for good. A batch id another laptop took goes out
            # again under a new id; any other refusal is narrowed down by halves until the
            # one row it is about is set aside (quarantined with the reason, sent again
            # once edited) and the rest goes through.
            if refusal.status == BATCH_ID_TAKEN:
                parts.append(list(request.changes))
            elif len(request.changes) > 1:
                half = len(request.changes) // 2
                parts += [list(request.changes[half:]), list(request.changes[:half])]
            else:
                body = _all_rejected(request, refusal).model_dump(mode="json")
            if refusal.status == BATCH_ID_TAKEN or len(request.changes) > 1:
                with store.write() as session:
                    store.set_meta(session, {BATCH_KEY: ""})
                continue
        try:
            response = PushResponse.model_validate(body).matched_to(list(request.changes))
        except ValidationError as exc:
            raise SyncError(BAD_ANSWER.format(detail=f"push: {exc.error_count()} lỗi")) from exc
        except ValueError as exc:
            raise SyncError(BAD_ANSWER.format(detail=f"push: {exc}")) from exc
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


def _all_rejected(request: PushRequest, refusal: Refused) -> PushResponse:
    return PushResponse(batch_id=request.batch_id, results=[
        ChangeResult(table=c.table, id=c.id, status="rejected", reason=str(refusal))
        for c in request.changes])
