"""Pushing the outbox: batches of at most MAX_CHANGES, each saved before it is sent.

A batch is saved in the store (with its id and exact changes) before the request leaves, and
forgotten only in the transaction that records its answer. When the connection drops after
the server committed, the next attempt (or the next sync, after a restart) sends the same
batch again, and the server answers it from its store: nothing is applied twice and no answer
is lost.

The laptop keeps the server busy: the next batch is read, compressed and saved (see
`NEXT_BATCH_KEY`) before the answer to the one on the wire comes, and leaves the moment it
comes, before that answer is recorded. Recording it happens while the server works on the
next batch, in one transaction with saving the batch after that: one commit per batch.
Batches still reach the server one at a time, in order, each after the answer to the one
before: a child row never overtakes its parent.
"""

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any

from pydantic import ValidationError

from fieldkit.core.store import Store
from fieldkit.core.sync_apply import (
    Answer,
    Batch,
    PushOutcome,
    PushQueue,
    WireChange,
    make_batch,
    match_answers,
    record_answers,
    save_batch,
    save_next,
    saved_batch,
    saved_next,
)
from fieldkit.core.sync_protocol import (
    ANSWERS_HEADER,
    IN_ORDER,
    MAX_CHANGES,
    PUSH_PATH,
    PushResponse,
)
from fieldkit.sync_client.client import BAD_ANSWER, Refused, SyncClient, SyncError

Progress = Callable[[int, int, str], None]
BATCH_ID_TAKEN = 409
# What an answer in order holds: `_in_order` reads only this shape.
_IN_ORDER_KEYS = frozenset({"batch_id", "in_order", "results"})
_RESULT_KEYS = frozenset({"status", "version", "reason"})
_STATUSES = ("applied", "duplicate", "conflict", "rejected")


def push_pending(client: SyncClient, store: Store, progress: Progress | None = None,
                 batch_size: int = MAX_CHANGES) -> PushOutcome:
    """Push until the outbox holds nothing sendable; returns the summed answers."""
    total = store.pending_changes()
    done = 0
    summed = PushOutcome()
    queue = PushQueue(store)
    # Parts of a batch the server refused whole, to be sent as batches of their own, and the
    # batch saved to follow it, which keeps its id (it may have left before a restart).
    parts: list[list[WireChange] | Batch] = []

    def following() -> Batch | None:
        """The batch after this one, from what is already read (see `PushQueue`)."""
        if parts:
            part = parts.pop()
            return part if isinstance(part, Batch) else make_batch(part)
        changes = queue.take(batch_size)
        return make_batch(changes) if changes else None

    batch = saved_batch(store)
    following_saved = saved_next(store) if batch is not None else None
    sending: Future[Any] | None = None
    # The request goes out from a thread of its own: while it is on the wire and the server
    # works on it, this thread reads, compresses and saves the next batch.
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="fieldkit-push") as sender:
        while True:
            if sending is None and client.cancel.is_set():
                return summed  # nothing more is sent after "Cancel" (the pull says it stopped)
            if batch is None:
                # Every answer is recorded: the queue's order is read again, for rows the
                # last reading did not see (edited meanwhile, or set free by their parent's
                # answer).
                queue.read_order()
                batch = following()
                if batch is None:
                    return summed
                save_batch(store, batch)
            if sending is None:
                sending = _send(sender, client, batch)
            try:
                # Saved already: with the last answer, or before a restart.
                then, following_saved = following_saved, None
                if then is None and not client.cancel.is_set():
                    then = following()
                    if then is not None:
                        save_next(store, then)
            finally:
                answered = _settled(sending)
                sending = None
            if isinstance(answered, Refused):
                # The server gives this batch the same answer every time: sent again as it
                # is, it would block the queue for good. A batch id another laptop took goes
                # out again under a new id; any other refusal is narrowed down by halves
                # until the one row it is about is set aside (quarantined with the reason,
                # sent again once edited) and the rest goes through. The batch saved to follow
                # waits its turn after them, under its own id: after a restart it may have
                # left already.
                refusal = answered
                if refusal.status == BATCH_ID_TAKEN or len(batch.changes) > 1:
                    if then is not None:
                        parts.append(then)
                    again = batch.changes
                    if refusal.status != BATCH_ID_TAKEN:
                        half = len(again) // 2
                        parts.append(again[half:])
                        again = again[:half]
                    batch = make_batch(again)
                    save_batch(store, batch)
                    continue
                answers = [Answer(batch.changes[0], "rejected", None, str(refusal))]
            else:
                answers = _answers(answered, batch)
            if then is not None and len(answers) == len(batch.changes) \
                    and not client.cancel.is_set():  # "Cancel" sends nothing more
                sending = _send(sender, client, then)  # saved already; see the module notes
                following_saved = following()
            # An answer to none of the changes ends this push below: nothing is kept to
            # follow (its rows stay queued for the next sync).
            outcome = record_answers(store, batch, answers, then if answers else None,
                                     following_saved)
            if outcome.unanswered == len(batch.changes):
                # Sending the same rows again would loop for ever.
                raise SyncError(BAD_ANSWER.format(detail="push: không trả lời thay đổi nào"))
            for name in ("applied", "duplicate", "conflict", "rejected", "unanswered"):
                setattr(summed, name, getattr(summed, name) + getattr(outcome, name))
            done += len(batch.changes) - outcome.unanswered
            if progress is not None:
                progress(done, max(total, done), "push")
            batch = then


def _send(sender: ThreadPoolExecutor, client: SyncClient, batch: Batch) -> "Future[Any]":
    return sender.submit(client.post_compressed, PUSH_PATH, batch.body,
                         headers={ANSWERS_HEADER: IN_ORDER})


def _settled(sending: "Future[Any]") -> Any:
    """The answer's parsed body, or the Refused the server answered with; any other failure
    (unreachable, cancelled) is raised."""
    try:
        return sending.result()
    except Refused as refusal:
        return refusal


def _answers(body: Any, batch: Batch) -> list[Answer]:
    """The server's answers to `batch`'s changes; SyncError for an answer outside the
    protocol. The usual answer (in order, well formed) is read straight from the parsed JSON:
    a model per result would cost more than recording it. Anything else (a full answer from an
    older server, or one that does not look right) is read, or refused, by the protocol's
    models."""
    answers = _in_order(body, batch)
    if answers is not None:
        return answers
    try:
        response = PushResponse.model_validate(body)
        answers = match_answers(batch.changes, response)
    except ValidationError as exc:
        raise SyncError(BAD_ANSWER.format(detail=f"push: {exc.error_count()} lỗi")) from exc
    except ValueError as exc:
        raise SyncError(BAD_ANSWER.format(detail=f"push: {exc}")) from exc
    if response.batch_id != batch.batch_id:
        raise SyncError(BAD_ANSWER.format(detail="push: batch_id khác lô đã gửi"))
    return answers


def _in_order(body: Any, batch: Batch) -> list[Answer] | None:
    """A well-formed answer in order to `batch`, one result per change; None for anything
    else. Every check `PushResponse` makes of such an answer is made here."""
    if (type(body) is not dict or body.keys() != _IN_ORDER_KEYS
            or body["in_order"] is not True or body["batch_id"] != batch.batch_id):
        return None
    results = body["results"]
    if type(results) is not list or len(results) != len(batch.changes):
        return None
    answers = []
    for change, result in zip(batch.changes, results, strict=True):
        if type(result) is not dict or not result.keys() <= _RESULT_KEYS:
            return None
        status, version, reason = result.get("status"), result.get("version"), result.get(
            "reason")
        if (status not in _STATUSES or (version is not None and type(version) is not int)
                or (reason is not None and type(reason) is not str)):
            return None
        answers.append(Answer(change, status, version, reason))
    return answers
