"""Pushing the outbox: batches of at most MAX_CHANGES, each saved before it is sent.

A batch is saved in the store (with its id and exact changes) before the request leaves, and
forgotten only in the transaction that records its answer. When the connection drops after
the server committed, the next attempt (or the next sync, after a restart) sends the same
batch again, and the server answers it from its store: nothing is applied twice and no answer
is lost.

The laptop keeps the server busy: the next batch is read, compressed and saved (see
`NEXT_BATCH_KEY`) before the answer to the one on the wire comes. To a server that keeps
order (it says so on its answers, see AFTER_HEADER) that next batch leaves at once, naming
the batch before it, and the server applies it the moment that one is stored: no round trip
between two batches. To any other server it leaves the moment the answer comes, before that
answer is recorded, so batches reach it one at a time. Either way a child row never overtakes
its parent, and recording an answer happens while the server works on the next batch, in one
transaction with saving the batch after that: one commit per batch.
"""

from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import suppress
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
    AFTER_HEADER,
    ANSWERS_HEADER,
    IN_ORDER,
    KEEPS_ORDER,
    MAX_CHANGES,
    ORDER_HEADER,
    PUSH_PATH,
    TOO_EARLY,
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
    # `then`, sent before `batch` is answered, to a server that keeps order; `sent_ahead`:
    # `sending` is such a batch. Once any batch is refused whole, the rest of the push goes
    # one batch at a time: a batch sent ahead of a refused one waits out AFTER_WAIT_S.
    ahead: Future[Any] | None = None
    sent_ahead = keeps_order = one_at_a_time = False
    # Requests go out from threads of their own: while they are on the wire and the server
    # works on them, this thread reads, compresses and saves the next batch. A push that
    # ends on Cancel or an error does not wait for a request still out: its batch is saved.
    sender = ThreadPoolExecutor(max_workers=2, thread_name_prefix="fieldkit-push")
    try:
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
                if keeps_order and not one_at_a_time and then is not None and ahead is None \
                        and not client.cancel.is_set() and not _failed(sending):
                    ahead = _send(sender, client, then, after=batch)
            finally:
                answered, ordered = _settled(sending)
                sending = None
            if not isinstance(answered, Refused):
                keeps_order = ordered  # as the server that answered last says
            if isinstance(answered, Refused) and answered.status == TOO_EARLY and sent_ahead:
                # It waited on the server longer than the server waits for the batch before
                # it, which is answered by now: it goes again as it is (after "Cancel", next
                # time, as the saved batch it is).
                following_saved, sent_ahead = then, False
                if not client.cancel.is_set():
                    sending = _send(sender, client, batch)
                continue
            sent_ahead = False
            if isinstance(answered, Refused):
                one_at_a_time = True
                if ahead is not None:
                    # Sent ahead, it waits on the server for this batch, which will never be
                    # stored: it is turned away (TOO_EARLY) and goes again in its turn.
                    _forgotten(ahead)
                    ahead = None
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
                # Saved already; see the module notes.
                sending = ahead if ahead is not None else _send(sender, client, then)
                sent_ahead, ahead = ahead is not None, None
                following_saved = following()
            elif ahead is not None:
                # Left already, but not taken for sent (Cancel, or an answer short of some
                # changes): saved, it goes again, next time or next, and a server answers a
                # batch it applied from its store.
                _forgotten(ahead)
                ahead = None
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
    finally:
        sender.shutdown(wait=False)


def _send(sender: ThreadPoolExecutor, client: SyncClient, batch: Batch,
          after: Batch | None = None) -> "Future[Any]":
    """`batch` on its way; with `after`, before that batch is answered (see AFTER_HEADER)."""
    headers = {ANSWERS_HEADER: IN_ORDER}
    if after is not None:
        headers[AFTER_HEADER] = after.batch_id
    return sender.submit(_post, client, batch, headers)


def _post(client: SyncClient, batch: Batch, headers: dict[str, str]) -> tuple[Any, bool]:
    """The answer's parsed body, and whether the server said it keeps order."""
    answer_headers: dict[str, str] = {}
    body = client.post_compressed(PUSH_PATH, batch.body, headers=headers,
                                  answer_headers=answer_headers)
    return body, answer_headers.get(ORDER_HEADER.lower(), "").strip().lower() == KEEPS_ORDER


def _settled(sending: "Future[Any]") -> tuple[Any, bool]:
    """The answer's parsed body, or the Refused the server answered with, and whether the
    server keeps order; any other failure (unreachable, cancelled) is raised."""
    try:
        return sending.result()
    except Refused as refusal:
        return refusal, False


def _failed(sending: "Future[Any]") -> bool:
    """Whether the request has ended already without an answer to record (refused, or worse):
    nothing is sent ahead of it, since the server would hold that batch for nothing."""
    return sending.done() and sending.exception() is not None


def _forgotten(sending: "Future[Any]") -> None:
    """Wait for a request whose answer this push will not record, whatever it is: its batch
    is saved and goes again, and a server answers a batch it applied from its store."""
    with suppress(Exception):
        sending.result()


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
