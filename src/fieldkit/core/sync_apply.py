"""The laptop's half of sync that touches the store: what to push, what the answers mean, and
how pulled rows land. No HTTP here (that is `fieldkit.sync_client`), so every rule below is
tested over a real encrypted store without a server.

Why it works the way it does:
- Pushed rows go parent before child (`SYNCED_TABLES` order), so the server never sees a member
  before its household, and each answer is recorded in one transaction with the outbox, so a
  crash leaves either the old queue or the new one, never half of each.
- Outbox entries are removed only up to the version that was sent: a field typed while the push
  was on the wire stays queued for the next push.
- A conflicting or refused row leaves the queue (it would block nothing, but would be sent again
  forever) and is listed for the volunteer instead: both versions of a conflict are kept.
- Pulled rows are written with plain Core statements, not through the store's stamping session:
  a row from the server is not a local edit and must not be queued back to the server. The
  search index is rewritten for the households they touch.
- The laptop's `version` of a row never goes down. The server recognises a resent change by
  this laptop's own version of the row (`local_version`), so reusing a number after a pull
  would make a new edit look like an old duplicate and lose it. A pulled row takes the server's
  version, or the next local number when that is higher.
- The server's change log moves a row to the end on every change, so an edited household can
  come after its members, even pages later. A row whose parent has not arrived yet is held
  inside the store and applied when the parent comes, rather than breaking a foreign key.
- Withdrawn consent is an erasure (Decree 13/2023). When a pulled erasure or withdrawal
  lands, the person's personal fields are emptied in the conflict copies too, and "keep mine"
  is refused for a person whose consent is withdrawn while the laptop's row still holds
  personal data: it would send the erased data back.
"""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import uuid
from collections.abc import Iterable, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import Any, Literal, NamedTuple, TypedDict

import orjson
from sqlalchemy import (
    Boolean,
    Connection,
    DateTime,
    TypeDecorator,
    and_,
    delete,
    insert,
    select,
    update,
)
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from fieldkit.core.columns import as_utc, utcnow
from fieldkit.core.consent import PERSONAL_FIELDS, forget_conflict_copies
from fieldkit.core.folding import fold
from fieldkit.core.i18n import tr
from fieldkit.core.models import SYNCED_TABLES, Consent, Person
from fieldkit.core.outbox import outbox, sync_conflict, sync_quarantine, sync_state
from fieldkit.core.paths import synced_definitions
from fieldkit.core.store import Store
from fieldkit.core.sync_protocol import (
    DEFINITION_TABLES,
    MAX_CHANGES,
    TABLES,
    Change,
    ChangeStatus,
    PulledChange,
    PushRequest,
    PushResponse,
    RowError,
    row_data,
    row_values,
)

TABLE_ORDER = {table.__tablename__: rank for rank, table in enumerate(SYNCED_TABLES)}
# Pulled rows waiting for their parent row, as JSON of `PulledChange`s, in local_meta.
HELD_KEY = "pull_held"
# Published definitions this release could not read (a newer form feature): the pull cursor
# moves on, so they are kept here and tried again at every pull, until an updated FieldKit
# reads them.
UNREADABLE_KEY = "pull_unreadable"
# The batch on the wire: kept until its answer is recorded, so a lost answer is asked for
# again with the same batch id and exactly the same changes. Kept as its request body (gzip,
# in base64; see `Batch`), or as plain JSON when an earlier release saved it.
BATCH_KEY = "push_batch"
# The batch to follow it, saved while the one before is on the wire and sent the moment that
# one is answered, before its answer is recorded: the server never waits on the laptop's
# commit. It may have left when the laptop stops, so it goes again, as it is, right after
# BATCH_KEY's; it becomes BATCH_KEY in the transaction that records that one's answer.
NEXT_BATCH_KEY = "push_batch_next"
DEFINITION_DIRS = {"form_definition": "forms", "guide_definition": "guides"}
# Definition ids and versions become file names: nothing that could climb out of the folder.
_SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}$")
# SQLite's bound-parameter limit is far above this; chunks keep statements small.
_CHUNK = 500


@dataclass
class PushOutcome:
    """How the server answered one pushed batch."""

    applied: int = 0
    duplicate: int = 0
    conflict: int = 0
    rejected: int = 0
    unanswered: int = 0


@dataclass
class PullOutcome:
    """What one pulled page did to the store."""

    applied: int = 0
    echoes: int = 0  # this laptop's own changes coming back
    conflicts: int = 0
    held: int = 0  # waiting for a parent row that has not arrived yet
    definitions: list[str] = field(default_factory=list)  # files written
    refused: list[str] = field(default_factory=list)  # rows or definitions not taken, and why


@dataclass(frozen=True)
class Conflict:
    """A row changed both here and on the server; both sides are kept until someone chooses.
    `server_data` is None until the server's side has been pulled."""

    seq: int
    table: str
    row_id: str
    local_data: dict[str, Any]
    server_data: dict[str, Any] | None
    server_version: int
    detected_at: datetime


@dataclass(frozen=True)
class Quarantined:
    """A row the server refused, with its reason; it is sent again once edited."""

    table: str
    row_id: str
    local_version: int
    reason: str
    at: datetime


# -- push ------------------------------------------------------------------------------------


class WireChange(TypedDict):
    """A pushed change as plain JSON values, with `Change`'s fields in their order, so it
    serialises to the same bytes. A push moves tens of thousands: a model object each (and
    its dump) would cost more than reading the row."""

    table: str
    id: str
    base_version: int
    local_version: int
    data: dict[str, Any]


class Answer(NamedTuple):
    """The server's answer to one change of a batch."""

    change: WireChange
    status: ChangeStatus
    version: int | None
    reason: str | None


@dataclass(frozen=True)
class Batch:
    """A batch as it is sent and saved. `body` is the request body byte for byte (its JSON,
    gzip-compressed), made once for both; saved compressed, a batch costs the transaction
    that saves it a quarter of the pages."""

    batch_id: str
    changes: list[WireChange]
    body: bytes


def make_batch(changes: list[WireChange], batch_id: str | None = None) -> Batch:
    """A batch of `changes` under `batch_id`, or under a new id."""
    batch_id = batch_id or str(uuid.uuid4())
    raw = orjson.dumps({"batch_id": batch_id, "changes": changes})
    # The level `SyncClient.post_json` compresses every other body at.
    return Batch(batch_id, changes, gzip.compress(raw, compresslevel=6))


def pending_changes(store: Store, limit: int = MAX_CHANGES) -> list[Change]:
    """The next rows to push (at most `limit`), parents first, each as it stands now."""
    queue = PushQueue(store)
    queue.read_order()
    return [Change.model_validate(c) for c in queue.take(limit)]


class PushQueue:
    """The outbox in push order, for one push. The order costs a scan and sort of the whole
    queue, so it is read once and batch after batch is cut from it; each batch's rows are read
    as they stand when it is made. A row edited after its batch was made goes at that version
    and its newer one stays queued for the next reading of the order."""

    def __init__(self, store: Store) -> None:
        self._store = store
        self._order: list[tuple[str, str]] = []
        self._at = 0
        self._held_back: dict[str, int] = {}

    def read_order(self) -> None:
        """Read the queue's order afresh. Only while no batch waits for its answer: its rows
        are still queued and would go out a second time."""
        with self._store.engine.connect() as conn:
            # A first sync queues tens of thousands of rows, read before the first batch leaves.
            queued: list[tuple[str, str]] = _driver_rows(
                conn, "SELECT table_name, row_id FROM outbox GROUP BY row_id ORDER BY row_id")
            # Read with the order, and good for all of it: an answer sets aside only rows it
            # answers (gone from the order), and a row it frees once its parent is accepted
            # (`_requeue_children`) is in the order only if edited since, so not held back.
            self._held_back = _held_back(conn)
        # Parents first: by table here (by id within a table, as read), as the database
        # would sort them on a temporary B-tree at twice the cost.
        by_table: dict[str, list[tuple[str, str]]] = {}
        for pair in queued:
            by_table.setdefault(pair[0], []).append(pair)
        self._order = [pair for table in sorted(by_table, key=lambda t: TABLE_ORDER.get(t, 99))
                       for pair in by_table[table]]
        self._at = 0

    def take(self, count: int) -> list[WireChange]:
        """The next (at most) `count` changes in the order read; [] once it is used up."""
        changes: list[WireChange] = []
        if self._at >= len(self._order):
            return changes
        with self._store.engine.connect() as conn:
            while len(changes) < count and self._at < len(self._order):
                part = self._order[self._at:self._at + count - len(changes)]
                self._at += len(part)
                changes += _read_changes(conn, part, self._held_back)
        return changes


def _held_back(conn: Connection) -> dict[str, int]:
    """Quarantined rows and the version refused: not sent again until edited."""
    return dict(conn.execute(select(sync_quarantine.c.row_id,
                                    sync_quarantine.c.local_version)).all())


def _read_changes(conn: Connection, pairs: Sequence[tuple[str, str]],
                  held_back: dict[str, int]) -> list[WireChange]:
    """The rows named by the (table, id) `pairs` as changes, in that order; a row gone, of a
    table this release does not sync, or held back at its current version is left out."""
    changes: list[WireChange] = []
    for table, ids in _by_table(pairs):
        if table not in TABLES:
            continue
        shape = _shape(table)
        states = _server_versions(conn, ids)
        for chunk in _chunks(ids):
            rows = {row[shape.id_at]: row for row in _driver_rows(
                conn, shape.select + _placeholders(len(chunk)), tuple(chunk))}
            for row_id in chunk:
                row = rows.get(row_id)
                if row is None or held_back.get(row_id) == row[shape.version_at]:
                    continue
                changes.append({"table": table, "id": row_id,
                                "base_version": states.get(row_id, 0),
                                "local_version": row[shape.version_at], "data": shape.data(row)})
    return changes


@dataclass(frozen=True)
class _Shape:
    """How rows of a synced table are read with plain SQL into `mapping_data`'s JSON values.
    SQLAlchemy's result types would build a datetime, an aware one, then its text again, per
    value; here only times (kept as UTC text without an offset) and flags (0 or 1) are
    converted. Dates are kept as ISO text already, and the rest is stored as it travels."""

    select: str
    columns: tuple[str, ...]
    id_at: int
    version_at: int
    times: tuple[str, ...]
    flags: tuple[str, ...]

    def data(self, row: Sequence[Any]) -> dict[str, Any]:
        data = dict(zip(self.columns, row, strict=True))
        for name in self.times:
            if data[name] is not None:
                data[name] = _iso_utc(data[name])
        for name in self.flags:
            if data[name] is not None:
                data[name] = bool(data[name])
        return data


@cache
def _shape(table: str) -> _Shape:
    columns = list(TABLES[table].__table__.columns)  # type: ignore[attr-defined]
    kinds = [c.type.impl_instance if isinstance(c.type, TypeDecorator) else c.type
             for c in columns]
    names = tuple(c.name for c in columns)
    quoted = ", ".join(f'"{name}"' for name in names)
    return _Shape(
        select=f'SELECT {quoted} FROM "{table}" WHERE "id" IN ',
        columns=names, id_at=names.index("id"), version_at=names.index("version"),
        times=tuple(n for n, k in zip(names, kinds, strict=True) if isinstance(k, DateTime)),
        flags=tuple(n for n, k in zip(names, kinds, strict=True) if isinstance(k, Boolean)))


def _iso_utc(stored: str) -> str:
    # SQLAlchemy stores times as "YYYY-MM-DD HH:MM:SS.ffffff": rewritten as text, that is
    # what parsing and `isoformat` give (which leaves out zero microseconds), at a tenth of
    # the cost. Any other form is parsed.
    if len(stored) == 26 and stored[10] == " " and stored[19] == ".":
        fraction = "" if stored.endswith("000000") else stored[19:]
        return f"{stored[:10]}T{stored[11:19]}{fraction}+00:00"
    return as_utc(datetime.fromisoformat(stored)).astimezone(UTC).isoformat()


def _driver_rows(conn: Connection, sql: str, params: Sequence[Any] = ()) -> list[Any]:
    """The rows of `sql` as the driver's tuples, in this connection's transaction: a push reads
    tens of thousands, and SQLAlchemy's row objects for them cost more than the query."""
    with closing(conn.connection.cursor()) as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _placeholders(count: int) -> str:
    return f"({', '.join('?' * count)})"


def _wire(change: Change) -> WireChange:
    return {"table": change.table, "id": change.id, "base_version": change.base_version,
            "local_version": change.local_version, "data": change.data}


def save_batch(store: Store, batch: Batch) -> None:
    """Remember a batch before it is sent (see `BATCH_KEY`), in place of any before it and of
    any saved to follow: the caller keeps that one, to save again when its turn comes. (Should
    the laptop stop first, its rows are still queued and go in a later batch, each answered
    duplicate if that batch had left already.)"""
    with store.write() as session:
        store.set_meta(session, {BATCH_KEY: _saved_form(batch), NEXT_BATCH_KEY: ""})


def save_next(store: Store, batch: Batch) -> None:
    """Remember the batch to send once the saved one is answered (see `NEXT_BATCH_KEY`)."""
    with store.write() as session:
        store.set_meta(session, {NEXT_BATCH_KEY: _saved_form(batch)})


def saved_batch(store: Store) -> Batch | None:
    """The batch sent without a recorded answer, to be sent again as it is."""
    return _saved(store, BATCH_KEY)


def saved_next(store: Store) -> Batch | None:
    """The batch saved to follow `saved_batch`, perhaps sent already: it goes next, as it is."""
    return _saved(store, NEXT_BATCH_KEY)


def _saved(store: Store, key: str) -> Batch | None:
    raw = store.meta.get(key)
    if not raw:
        return None
    request = PushRequest.model_validate_json(_saved_json(raw))
    return make_batch([_wire(c) for c in request.changes], request.batch_id)


def _saved_form(batch: Batch | None) -> str:
    return base64.b64encode(batch.body).decode() if batch is not None else ""


def _saved_json(raw: str) -> bytes:
    """The JSON of a saved batch: kept compressed, or as plain JSON by earlier releases."""
    return raw.encode() if raw.startswith("{") else gzip.decompress(base64.b64decode(raw))


def match_answers(sent: Sequence[WireChange], response: PushResponse) -> list[Answer]:
    """The changes of `sent` that `response` answers, each with its answer: one for one when
    answered in order; otherwise by table and id, where the first answer to a change counts
    and answers to changes not sent are ignored. ValueError when an answer in order does not
    hold one result per change (a truncated or foreign answer)."""
    if response.in_order:
        if len(response.results) != len(sent):
            raise ValueError(f"{len(response.results)} answers for {len(sent)} changes")
        return [Answer(c, r.status, r.version, r.reason)
                for c, r in zip(sent, response.results, strict=True)]
    by_key = {(c["table"], c["id"]): c for c in sent}
    answers = []
    for result in response.results:
        change = by_key.pop((result.table, result.id), None)
        if change is not None:
            answers.append(Answer(change, result.status, result.version, result.reason))
    return answers


def record_answers(store: Store, batch: Batch, answers: Sequence[Answer], then: Batch | None,
                   after: Batch | None = None) -> PushOutcome:
    """Record the answers to `batch`, the saved batch, in one transaction (see the module
    notes) that also forgets it, makes `then` (saved to follow it, or None) the saved batch
    and saves `after` to follow `then`: every batch is saved before it is sent and forgotten
    only with its answer, at one commit per batch."""
    return _record(store, batch.changes, answers,
                   {BATCH_KEY: _saved_form(then), NEXT_BATCH_KEY: _saved_form(after)})


def record_results(store: Store, sent: Sequence[Change], response: PushResponse) -> PushOutcome:
    """Record the server's answer to `sent` in one transaction (see the module notes); the
    saved batch it answers is forgotten in the same transaction."""
    changes = [_wire(c) for c in sent]
    raw = store.meta.get(BATCH_KEY)
    answers_saved = bool(raw) and orjson.loads(_saved_json(raw))["batch_id"] == response.batch_id
    return _record(store, changes, match_answers(changes, response), {
        BATCH_KEY: store.meta.get(NEXT_BATCH_KEY, ""), NEXT_BATCH_KEY: ""} if answers_saved
        else {})


def _record(store: Store, sent: Sequence[WireChange], answers: Sequence[Answer],
            meta: dict[str, str]) -> PushOutcome:
    """The answers (at most one per change of `sent`) and `meta` written in one transaction."""
    outcome = PushOutcome()
    now = utcnow()
    with store.write() as session:
        conn = session.connection()
        # Applied or duplicate, recorded together (`_record_taken`).
        taken: list[Answer] = []
        for answer in answers:
            change = answer.change
            if answer.status in ("applied", "duplicate"):
                taken.append(answer)
                if answer.status == "applied":
                    outcome.applied += 1
                else:
                    outcome.duplicate += 1
                continue
            _record_taken(conn, taken)
            _drop_queued(conn, change["id"], change["local_version"])
            if answer.status == "conflict":
                _keep_conflict(conn, change["table"], change["id"], change["data"], None,
                               answer.version or 0, now)
                outcome.conflict += 1
            else:
                conn.execute(delete(sync_quarantine).where(
                    sync_quarantine.c.row_id == change["id"]))
                conn.execute(insert(sync_quarantine).values(
                    row_id=change["id"], table_name=change["table"],
                    local_version=change["local_version"],
                    reason=answer.reason or tr("máy chủ từ chối, không nêu lý do"), at=now))
                outcome.rejected += 1
        _record_taken(conn, taken)
        # The quarantine is small (rows the server refused): read whole, not per row sent.
        held = set(conn.execute(select(sync_quarantine.c.row_id)).scalars())
        accepted = {a.change["id"] for a in answers} - held
        _requeue_children(conn, accepted, {c["id"] for c in sent}, now)
        if meta:
            store.set_meta(session, meta)
    outcome.unanswered = len({(c["table"], c["id"]) for c in sent}) - len(answers)
    return outcome


def _record_taken(conn: Connection, taken: list[Answer]) -> None:
    """For each change the server applied or answered duplicate, with the version it named:
    the row's queue entries up to the version sent dropped, the server's version remembered
    and any quarantine of the row lifted; one executemany per statement. `taken` is emptied."""
    if not taken:
        return
    # Plain SQL handed to the driver's executemany: SQLAlchemy would build each of a few
    # thousand parameter sets in Python first, which cost more than the statements.
    conn.exec_driver_sql(_DROP_SENT, [(a.change["id"], a.change["local_version"])
                                      for a in taken])
    versions: dict[str, tuple[str, str, int]] = {}
    for answer in taken:
        if answer.version is not None:
            row_id = answer.change["id"]
            versions.pop(row_id, None)
            versions[row_id] = (row_id, answer.change["table"], answer.version)
    if versions:
        conn.exec_driver_sql(_REMEMBER_VERSION, list(versions.values()))
    if conn.execute(select(sync_quarantine.c.row_id).limit(1)).first() is not None:
        conn.exec_driver_sql(_LIFT_QUARANTINE, [(a.change["id"],) for a in taken])
    taken.clear()


_DROP_SENT = (f"DELETE FROM {outbox.name} WHERE {outbox.c.row_id.name} = ? "
              f"AND {outbox.c.version.name} <= ?")
_REMEMBER_VERSION = (
    f"INSERT INTO {sync_state.name} ({sync_state.c.row_id.name}, {sync_state.c.table_name.name}, "
    f"{sync_state.c.server_version.name}) VALUES (?, ?, ?) "
    f"ON CONFLICT ({sync_state.c.row_id.name}) DO UPDATE SET "
    f"{sync_state.c.server_version.name} = excluded.{sync_state.c.server_version.name} "
    # Server versions only grow: an answer read late (a sync file carried back after an online
    # sync) must not take a row back to a version the laptop has seen pass.
    f"WHERE excluded.{sync_state.c.server_version.name} > "
    f"{sync_state.name}.{sync_state.c.server_version.name}")
_LIFT_QUARANTINE = (f"DELETE FROM {sync_quarantine.name} "
                    f"WHERE {sync_quarantine.c.row_id.name} = ?")


def _requeue_children(conn: Connection, accepted: set[str], just_sent: set[str],
                      now: datetime) -> None:
    """A row refused earlier because its parent was missing on the server goes back in the
    queue once the parent has been accepted, without waiting for someone to edit it. (Rows
    refused in this very batch had their parent there already: they were refused for
    themselves.)"""
    if not accepted:
        return
    everything_held = conn.execute(select(sync_quarantine)).all()
    still_refused = {held.row_id for held in everything_held}
    for held in everything_held:
        table = TABLES.get(held.table_name)
        if table is None:
            continue
        row = conn.execute(select(table.__table__).where(  # type: ignore[attr-defined]
            table.__table__.c.id == held.row_id)).one_or_none()  # type: ignore[attr-defined]
        if row is None or held.row_id in just_sent:
            continue
        parents = {row._mapping[column] for column, _ in _parents(held.table_name)}
        if not parents & accepted or parents & still_refused:
            continue
        still_refused.discard(held.row_id)
        conn.execute(delete(sync_quarantine).where(sync_quarantine.c.row_id == held.row_id))
        conn.execute(insert(outbox).values(table_name=held.table_name, row_id=held.row_id,
                                           version=row.version, created_at=now))


def _drop_queued(conn: Connection, row_id: str, up_to: int) -> None:
    conn.execute(delete(outbox).where(and_(outbox.c.row_id == row_id,
                                           outbox.c.version <= up_to)))


def _set_server_version(conn: Connection, table: str, row_id: str, version: int) -> None:
    statement = sqlite_insert(sync_state).values(row_id=row_id, table_name=table,
                                                 server_version=version)
    conn.execute(statement.on_conflict_do_update(
        index_elements=[sync_state.c.row_id], set_={"server_version": version}))


def _keep_conflict(conn: Connection, table: str, row_id: str, local: dict[str, Any] | None,
                   server: dict[str, Any] | None, server_version: int, now: datetime) -> bool:
    """One open conflict per row: a second clash updates it instead of adding another.
    Returns True when a new conflict was opened."""
    open_seq = conn.execute(select(sync_conflict.c.seq).where(and_(
        sync_conflict.c.row_id == row_id, sync_conflict.c.resolved_at.is_(None)))).scalar()
    values: dict[str, Any] = {"server_version": server_version}
    if local is not None:
        values["local_data"] = _dumps(local)
    if server is not None:
        values["server_data"] = _dumps(server)
    if open_seq is not None:
        conn.execute(update(sync_conflict).where(sync_conflict.c.seq == open_seq).values(values))
        return False
    values.setdefault("local_data", _dumps(None))
    values.setdefault("server_data", _dumps(None))
    conn.execute(insert(sync_conflict).values(table_name=table, row_id=row_id, detected_at=now,
                                              **values))
    return True


# -- pull ------------------------------------------------------------------------------------


def apply_pulled(store: Store, changes: Sequence[PulledChange],
                 cursor: int | None = None) -> PullOutcome:
    """Apply one pulled page in one transaction, saving `cursor` (when given) in the same
    transaction, so an interrupted pull resumes after the last page that landed."""
    outcome = PullOutcome()
    rows = [c for c in changes if c.table not in DEFINITION_TABLES]
    unreadable = [change for change in _kept(store, UNREADABLE_KEY)
                  + [c for c in changes if c.table in DEFINITION_TABLES]
                  if not _save_definition(store.data_dir, change, outcome)]
    waiting = _newest(_kept(store, HELD_KEY) + rows)
    now = utcnow()
    with store.write() as session:
        conn = session.connection()
        still_held = _apply_rows(conn, waiting, outcome, now)
        meta = {HELD_KEY: json.dumps([c.model_dump(mode="json") for c in still_held]),
                UNREADABLE_KEY: json.dumps([c.model_dump(mode="json") for c in unreadable])}
        if cursor is not None:
            meta["pull_cursor"] = str(cursor)
        store.set_meta(session, meta)
    outcome.held = len(still_held)
    return outcome


def _kept(store: Store, key: str) -> list[PulledChange]:
    """Pulled changes set aside in `local_meta` (held for a parent, or unreadable yet)."""
    raw = store.meta.get(key)
    return [PulledChange.model_validate(c) for c in json.loads(raw)] if raw else []


def _newest(changes: Iterable[PulledChange]) -> list[PulledChange]:
    """One change per row (the newest), parents' tables first."""
    newest: dict[str, PulledChange] = {}
    for change in changes:
        seen = newest.get(change.id)
        if seen is None or change.version >= seen.version:
            newest[change.id] = change
    return sorted(newest.values(), key=lambda c: (TABLE_ORDER.get(c.table, 99), c.seq))


def _apply_rows(conn: Connection, changes: list[PulledChange], outcome: PullOutcome,
                now: datetime) -> list[PulledChange]:
    """Apply what can be applied; returns the changes still waiting for a parent."""
    ids = [c.id for c in changes]
    states = _server_versions(conn, ids)
    local_edits = _locally_changed(conn, ids)
    candidates: list[tuple[PulledChange, dict[str, Any]]] = []
    for change in changes:
        try:
            values = row_values(change.table, change.data)
        except RowError as exc:
            outcome.refused.append(f"{change.table} {change.id}: {exc}")
            continue
        if values["id"] != change.id or values["demo"]:
            outcome.refused.append(f"{change.table} {change.id}: " + tr(
                "dữ liệu thực hành hoặc mã không khớp, không nhận"))
            continue
        if states.get(change.id, 0) >= change.version:
            outcome.echoes += 1
            continue
        candidates.append((change, values))
    ready, held = _with_parents(conn, candidates)
    touched: set[str] = set()
    erasing = _erasing_persons(ready)
    for change, values in ready:
        model = TABLES[change.table]
        table = model.__table__  # type: ignore[attr-defined]
        current = conn.execute(select(table).where(table.c.id == change.id)).one_or_none()
        if change.id in local_edits and current is not None:
            local = row_data(model(**current._mapping))
            if _keep_conflict(conn, change.table, change.id, local, change.data,
                              change.version, now):
                outcome.conflicts += 1
            continue
        if change.table == "household":
            values["sort_key"] = fold(values["head_name"])
            touched.add(change.id)
        elif change.table == "person":
            touched.add(values["household_id"])
            if current is not None:
                touched.add(current.household_id)
        if current is None:
            values["version"] = change.version
            conn.execute(insert(table).values(values))
        else:
            values["version"] = max(change.version, current.version + 1)
            conn.execute(update(table).where(table.c.id == change.id).values(values))
        _set_server_version(conn, change.table, change.id, change.version)
        outcome.applied += 1
    if touched:
        from fieldkit.core.search import reindex_households

        reindex_households(conn, touched)
    for person_id in erasing:
        if _consent_withdrawn(conn, person_id):
            forget_conflict_copies(conn, "person", person_id, dict.fromkeys(PERSONAL_FIELDS))
    return held


def _erasing_persons(ready: list[tuple[PulledChange, dict[str, Any]]]) -> set[str]:
    """Persons a pulled page may have erased: an emptied person row or a withdrawn consent
    (they can arrive pages apart, so either one is enough to look)."""
    found: set[str] = set()
    for change, values in ready:
        if change.table == "person" and not _carries_personal_data(values):
            found.add(change.id)
        elif change.table == "consent" and values["withdrawn_at"] is not None:
            found.add(values["person_id"])
    return found


def _carries_personal_data(row: dict[str, Any]) -> bool:
    return any(row[name] is not None for name in PERSONAL_FIELDS)


def _consent_withdrawn(conn: Connection, person_id: str) -> bool:
    """True when the person has consents here and every one has been withdrawn (or
    removed); a person whose consent has not been pulled yet is not counted."""
    consent = Consent.__table__  # type: ignore[attr-defined]
    given = conn.execute(select(consent.c.withdrawn_at, consent.c.deleted)
                         .where(consent.c.person_id == person_id)).all()
    return bool(given) and all(row.withdrawn_at is not None or row.deleted for row in given)


def _with_parents(conn: Connection, candidates: list[tuple[PulledChange, dict[str, Any]]]
                  ) -> tuple[list[tuple[PulledChange, dict[str, Any]]], list[PulledChange]]:
    """Split into rows whose parents exist (in the store or among the ready rows) and rows
    that must wait; repeated until stable, since a held parent holds its children too."""
    wanted: dict[str, set[str]] = {}
    for change, values in candidates:
        for column, parent in _parents(change.table):
            if values[column] is not None:
                wanted.setdefault(parent, set()).add(values[column])
    present: set[str] = set()
    for parent, ids in wanted.items():
        table = TABLES[parent].__table__  # type: ignore[attr-defined]
        for chunk in _chunks(sorted(ids)):
            present.update(conn.execute(select(table.c.id).where(table.c.id.in_(chunk)))
                           .scalars())
    ready = list(candidates)
    while True:
        available = present | {change.id for change, _ in ready}
        keep = [(c, v) for c, v in ready
                if all(v[col] is None or v[col] in available for col, _ in _parents(c.table))]
        if len(keep) == len(ready):
            break
        ready = keep
    ready_ids = {change.id for change, _ in ready}
    held = [change for change, _ in candidates if change.id not in ready_ids]
    return ready, held


def _parents(table: str) -> list[tuple[str, str]]:
    """(column, parent table) of each foreign key of a synced table."""
    model = TABLES[table]
    return [(fk.parent.name, fk.column.table.name)
            for fk in model.__table__.foreign_keys]  # type: ignore[attr-defined]


def _locally_changed(conn: Connection, ids: list[str]) -> set[str]:
    """Rows holding local changes the server has not taken: queued, in an open conflict or
    refused by the server. A pulled version of these is kept beside them, never over them."""
    found: set[str] = set()
    for chunk in _chunks(ids):
        found.update(conn.execute(select(outbox.c.row_id).where(outbox.c.row_id.in_(chunk)))
                     .scalars())
        found.update(conn.execute(select(sync_conflict.c.row_id).where(and_(
            sync_conflict.c.row_id.in_(chunk), sync_conflict.c.resolved_at.is_(None))))
            .scalars())
        found.update(conn.execute(select(sync_quarantine.c.row_id).where(
            sync_quarantine.c.row_id.in_(chunk))).scalars())
    return found


def _save_definition(data_dir: Path, change: PulledChange, outcome: PullOutcome) -> bool:
    """Write a published form or guide after the same loader the app uses has accepted it.

    False when this release cannot read it (to be tried again at the next pull); an unsafe
    id or version is refused for good (True: nothing to retry)."""
    from fieldkit.core.forms.definition import FormError, load_form
    from fieldkit.core.guides import GuideError, load_guide

    def_id, version, body = (change.data.get(k) for k in ("id", "version", "body"))
    label = f"{change.table} {def_id}@{version}"
    if not (isinstance(def_id, str) and isinstance(version, str) and isinstance(body, str)
            and _SAFE_NAME.match(def_id) and _SAFE_NAME.match(version)):
        outcome.refused.append(f"{label}: " + tr("thiếu mã, phiên bản hoặc nội dung hợp lệ"))
        return True
    folder = synced_definitions(data_dir, DEFINITION_DIRS[change.table])
    target = folder / f"{def_id}@{version}.json"
    folder.mkdir(parents=True, exist_ok=True)
    # Checked under a name the folder loaders skip (not *.json) but whose stem still names
    # the id, as the loaders require; renamed into place only once accepted.
    part = target.with_name(target.name + ".part")
    part.write_text(body, encoding="utf-8")
    try:
        loaded = (load_form(part) if change.table == "form_definition" else load_guide(part))
        if (loaded.id, loaded.version) != (def_id, version):
            raise ValueError(tr("nội dung ghi {found}").format(
                found=f"{loaded.id}@{loaded.version}"))
    except (FormError, GuideError, ValueError) as exc:
        part.unlink()
        outcome.refused.append(f"{label}: {exc}")
        return False
    os.replace(part, target)
    outcome.definitions.append(str(target))
    return True


# -- review ----------------------------------------------------------------------------------


def conflicts(store: Store, *, include_resolved: bool = False) -> list[Conflict]:
    """Conflicts for the volunteer to settle, oldest first."""
    query = select(sync_conflict).order_by(sync_conflict.c.seq)
    if not include_resolved:
        query = query.where(sync_conflict.c.resolved_at.is_(None))
    with store.engine.connect() as conn:
        return [Conflict(r.seq, r.table_name, r.row_id, json.loads(r.local_data),
                         json.loads(r.server_data), r.server_version, as_utc(r.detected_at))
                for r in conn.execute(query)]


def quarantined(store: Store) -> list[Quarantined]:
    """Rows the server refused, oldest first."""
    with store.engine.connect() as conn:
        return [Quarantined(r.table_name, r.row_id, r.local_version, r.reason, as_utc(r.at))
                for r in conn.execute(select(sync_quarantine).order_by(sync_quarantine.c.at))]


def resolve_conflict(store: Store, seq: int, keep: Literal["local", "server"]) -> None:
    """Settle a conflict. Keeping the server's side writes it as a pulled row; keeping the
    laptop's side saves the local row again on top of the server's version, so the next push
    carries it as an ordinary edit (the server's old side stays in its conflict history)."""
    with store.write() as session:
        conn = session.connection()
        found = conn.execute(select(sync_conflict).where(and_(
            sync_conflict.c.seq == seq, sync_conflict.c.resolved_at.is_(None)))).one_or_none()
        if found is None:
            raise LookupError(seq)
        if found.server_data == "null":
            raise ValueError(tr("Chưa nhận được bản trên máy chủ; hãy đồng bộ rồi chọn lại."))
        if keep == "local" and found.table_name == "person":
            person = session.get(Person, found.row_id)
            if (person is not None and _carries_personal_data(person.model_dump())
                    and _consent_withdrawn(conn, found.row_id)):
                raise ValueError(tr("Người này đã rút lại sự đồng ý nên thông tin cá nhân của họ "
                                    "phải được xóa; không thể giữ bản trên máy này. Hãy chọn giữ "
                                    "bản trên máy chủ (đã xóa)."))
        conn.execute(update(sync_conflict).where(sync_conflict.c.seq == seq)
                     .values(resolved_at=utcnow()))
        if keep == "server":
            conn.execute(delete(outbox).where(outbox.c.row_id == found.row_id))
            conn.execute(delete(sync_quarantine).where(sync_quarantine.c.row_id == found.row_id))
            pulled = PulledChange(seq=0, table=found.table_name, id=found.row_id,
                                  version=found.server_version,
                                  data=json.loads(found.server_data))
            outcome = PullOutcome()
            if _apply_rows(conn, [pulled], outcome, utcnow()) or outcome.refused:
                raise ValueError(tr("Không ghi được bản trên máy chủ: {why}").format(
                    why="; ".join(outcome.refused or [tr("thiếu bản ghi cha")])))
            return
        _set_server_version(conn, found.table_name, found.row_id, found.server_version)
        model = TABLES[found.table_name]
        row = session.get(model, found.row_id)
        if row is None:
            raise LookupError(found.row_id)
        # Any change marks the row for stamping (new version, outbox entry).
        row.updated_at = utcnow()
        session.add(row)


# -- helpers ---------------------------------------------------------------------------------


def _server_versions(conn: Connection, ids: Sequence[str]) -> dict[str, int]:
    # Plain SQL: SQLAlchemy would compile the expanding IN anew for each chunk, which a push
    # of tens of thousands of rows pays for a hundred times.
    found: dict[str, int] = {}
    for chunk in _chunks(ids):
        found.update(conn.exec_driver_sql(_SERVER_VERSIONS + _placeholders(len(chunk)),
                                          tuple(chunk)).all())
    return found


_SERVER_VERSIONS = (f"SELECT {sync_state.c.row_id.name}, {sync_state.c.server_version.name} "
                    f"FROM {sync_state.name} WHERE {sync_state.c.row_id.name} IN ")


def _by_table(pairs: Iterable[tuple[str, str]]) -> list[tuple[str, list[str]]]:
    """Consecutive (table, id) pairs grouped by table, order kept."""
    groups: list[tuple[str, list[str]]] = []
    for table, row_id in pairs:
        if not groups or groups[-1][0] != table:
            groups.append((table, []))
        groups[-1][1].append(row_id)
    return groups


def _chunks(items: Sequence[str]) -> Iterable[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start:start + _CHUNK]


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)

