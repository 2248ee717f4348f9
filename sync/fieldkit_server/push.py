"""Applying a laptop's push: one transaction per request, one answer per change.

Order of checks per change (each a reason the volunteer can read): the row must fit its
table, must not be demo data, must belong to and point only into the device's commune, and
must pass the laptop's own validators. Then a change already applied from this device is
answered duplicate; a change made from the server's current version is applied as the next
version; any other is a conflict that keeps both sides and changes nothing.

Validation comes before conflict detection (the spec left the order open): a row the server
would refuse is refused whatever its base, so a conflict never stores a password or a bad ID
number for an admin to pick.

Changes to a person the server already holds are settled at the end of the batch, once the
batch's consents are in (a batch sends persons before consents): a withdrawn consent makes the
person's erasure win over any base and refuses personal data (see `erasure`).
"""

import json
import random
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from itertools import groupby
from typing import Any

import orjson
from sqlalchemy import Connection, Engine, insert, select, update
from sqlalchemy.exc import IntegrityError, OperationalError

from fieldkit.core.columns import utcnow
from fieldkit.core.i18n import tr
from fieldkit.core.sync_protocol import (
    TABLES,
    Change,
    ChangeStatus,
    PushRequest,
    RowError,
    row_data,
    row_values,
)
from fieldkit_server.batch_order import note_stored
from fieldkit_server.change_feed import lock_feed, log_change, log_changes
from fieldkit_server.db import reading, writing
from fieldkit_server.device_auth import Device
from fieldkit_server.driver_sql import IN_LIST, insert_rows, select_in, update_rows
from fieldkit_server.erasure import (
    carries_personal_data,
    consent_withdrawn,
    erased,
    forget_in_conflicts,
    same_content,
)
from fieldkit_server.ownership import (
    Known,
    UnknownParent,
    commune_of,
    referenced_communes,
    references,
    stored_row,
    table_of,
)
from fieldkit_server.row_checks import Verdicts, row_problems
from fieldkit_server.tables import applied_change, conflict, push_batch

# Transactions lost to a lock or serialization failure are tried again this many times.
ATTEMPTS = 5

NOT_SYNCED = "Bảng “{table}” không được đồng bộ."
ID_MISMATCH = "Mã dòng trong dữ liệu ({data_id}) khác mã của thay đổi ({change_id})."
DEMO = "Đây là dữ liệu thực hành: dữ liệu thực hành không bao giờ được đồng bộ."
OTHER_COMMUNE = ("Dòng này thuộc xã khác hoặc trỏ tới dữ liệu của xã khác; "
                 "máy chỉ được gửi dữ liệu của xã mình.")
UNKNOWN_PARENT = "Máy chủ chưa có dòng cha ({parent}); hãy gửi dòng đó trước."
COMMUNE_OFFICIAL = ("Thông tin xã lấy theo danh mục hành chính chính thức và do máy chủ quản lý; "
                    "không sửa được từ máy tính.")
NOT_STORED = "Máy chủ không lưu được dòng này: {error}"
SERVER_MADE = ("Việc được giao và danh sách hộ của xã do cán bộ xã lập trên máy chủ; máy tính "
               "chỉ ghi được hộ nào trong danh sách đã được đăng ký, hoặc gạch hộ khỏi danh sách.")
# What a laptop may change in a listed household: which household it became, or that it is
# struck off (moved away, no longer there).
_LISTED_FROM_LAPTOP = ("household_id", "deleted", "version", "updated_at", "device_id")
CONSENT_WITHDRAWN = ("Người này đã rút lại sự đồng ý nên máy chủ đã xóa thông tin cá nhân của "
                     "họ; không nhận lại thông tin cá nhân. Hãy đồng bộ để nhận bản đã xóa; "
                     "muốn ghi lại thì phải xin sự đồng ý mới.")
_OFFICIAL_COMMUNE_FIELDS = ("code", "name", "province_code", "province_name")


class BatchOfAnotherDevice(Exception):
    """The batch id was already used by a different device."""


@dataclass(frozen=True, slots=True)
class Result:
    """One change's answer, as the protocol's `ChangeResult` says it. A plain object: a push
    answers thousands of changes, and building a validated model for each cost more than
    checking the change."""

    table: str
    id: str
    status: ChangeStatus
    # The server's version after the change (applied, duplicate) or as it holds the row
    # (conflict); None when rejected.
    version: int | None = None
    reason: str | None = None


@dataclass(frozen=True)
class PushAnswer:
    """The answer to a push, in the protocol's `PushResponse` JSON (either of its forms)."""

    batch_id: str
    results: list[Result] = field(default_factory=list)

    def full(self) -> dict[str, Any]:
        """The answer as every laptop reads it, each result with its table and id."""
        return {"batch_id": self.batch_id, "results": [
            {"table": r.table, "id": r.id, "status": r.status, "version": r.version,
             "reason": r.reason} for r in self.results]}

    def full_json(self) -> bytes:
        return orjson.dumps(self.full())

    def in_order_json(self) -> bytes:
        """The answer in the order of the changes, without tables and ids (ANSWERS_HEADER)."""
        return orjson.dumps({"batch_id": self.batch_id, "in_order": True, "results": [
            {key: value for key, value in (("status", r.status), ("version", r.version),
                                           ("reason", r.reason)) if value is not None}
            for r in self.results]})

    @classmethod
    def stored(cls, text: str) -> "PushAnswer":
        """An answer as `full_json` stored it (or as the validated model did before)."""
        parsed = orjson.loads(text)
        return cls(parsed["batch_id"], [
            Result(r["table"], r["id"], r["status"], r.get("version"), r.get("reason"))
            for r in parsed["results"]])


@dataclass(frozen=True)
class _Waiting:
    """A change to a stored person, checked and settled after the rest of its batch."""

    change: Change
    values: dict[str, Any]


@dataclass(frozen=True)
class Checked:
    """What a change's row says on its own, worked out before the writing transaction: a
    reason to refuse it at once, or its values and what the laptop's validators find."""

    values: dict[str, Any] | None
    refusal: str | None
    problems: list[str]


def push(engine: Engine, device: Device, request: PushRequest) -> PushAnswer:
    """Apply `request` in one transaction, retried if the database asks for it."""
    return store_checked(engine, device, request, check_changes(engine, request.changes))


def store_checked(engine: Engine, device: Device, request: PushRequest,
                  checked: list[Checked]) -> PushAnswer:
    """Apply `request`, its changes checked already by `check_changes`, in one transaction,
    retried if the database asks for it.

    The rows are read and checked before, outside that transaction: pushes take the change
    feed's lock one after another, so only what needs the database's current state is done
    while holding it, and the CPU-heavy checks of several processes run side by side. A
    batch sent ahead is checked before it waits for the one it follows, too (a row's checks
    read no other synced row): while that one is written, the database works without Python's
    lock, and the checks take that time instead of following it."""
    for attempt in range(ATTEMPTS):
        try:
            with writing(engine) as conn:
                answer = _push(conn, device, request, checked)
            note_stored(request.batch_id, device.id)
            return answer
        except OperationalError:
            # SQLite "database is locked" after the busy timeout, PostgreSQL serialization or
            # deadlock failures: all leave nothing behind, so the whole push can run again.
            if attempt == ATTEMPTS - 1:
                raise
            time.sleep(random.uniform(0.05, 0.2) * 2**attempt)
    raise AssertionError("unreachable")


def check_changes(engine: Engine, changes: list[Change]) -> list[Checked]:
    """What each change's row says on its own (see `Checked`), in the changes' order."""
    verdicts: Verdicts = {}  # a batch repeats names, sexes, villages: each judged once
    found: list[Checked] = []
    with reading(engine) as conn:  # completed forms are checked against their definitions
        for change in changes:
            if change.table not in TABLES:
                found.append(Checked(None, tr(NOT_SYNCED).format(table=change.table), []))
                continue
            try:
                values = row_values(change.table, change.data)
            except RowError as error:
                found.append(Checked(None, str(error), []))
                continue
            if values["id"] != change.id:
                refusal = tr(ID_MISMATCH).format(data_id=values["id"], change_id=change.id)
                found.append(Checked(None, refusal, []))
            elif values["demo"]:
                found.append(Checked(None, tr(DEMO), []))
            else:
                found.append(Checked(values, None, row_problems(conn, change.table, values,
                                                                verdicts)))
    return found


def _push(conn: Connection, device: Device, request: PushRequest,
          checked: list[Checked]) -> PushAnswer:
    lock_feed(conn)
    stored = conn.execute(select(push_batch).where(
        push_batch.c.batch_id == request.batch_id)).first()
    if stored is not None:
        if stored.device_id != device.id:
            raise BatchOfAnotherDevice(request.batch_id)
        return PushAnswer.stored(stored.response)
    try:
        # The batch's reads prefetched and its writes sent together; a row the database
        # refuses undoes all that and the batch is applied again row by row, each row in a
        # savepoint of its own, so only that row is rejected.
        with conn.begin_nested():
            results = _apply_batch(_BatchRows(conn, device, request.changes), device,
                                   request.changes, checked)
    except IntegrityError:
        results = _apply_batch(_Rows(conn), device, request.changes, checked)
    response = PushAnswer(request.batch_id, results)
    conn.execute(insert(push_batch).values(batch_id=request.batch_id, device_id=device.id,
                                           response=response.full_json().decode(),
                                           received_at=utcnow()))
    return response


def _apply_batch(db: "_Rows", device: Device, changes: list[Change],
                 checked: list[Checked]) -> list[Result]:
    answers = [_apply(db, device, change, found)
               for change, found in zip(changes, checked, strict=True)]
    if any(isinstance(answer, _Waiting) for answer in answers):
        db.flush()  # the batch's consents, read by `consent_withdrawn`
    results = [_settle_person(db, device, answer) if isinstance(answer, _Waiting) else answer
               for answer in answers]
    db.finish()
    return results


class _Rows:
    """The database as a push reads and writes it, one statement at a time: the rows it
    writes stored at once, each in a savepoint of its own."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        # The communes of rows read so far (see `ownership.commune_of`); None: not kept.
        self.communes: Known | None = None

    def row(self, table: str, row_id: str) -> Mapping[str, Any] | None:
        """The stored row, as the database returns it."""
        return stored_row(self.conn, table, row_id)

    def parent(self, table: str, row_id: str) -> Mapping[str, Any] | None:
        """The stored row, for its id and references only."""
        return stored_row(self.conn, table, row_id)

    def applied(self, device_id: str, row_id: str, local_version: int) -> int | None:
        return self.conn.execute(select(applied_change.c.server_version).where(
            applied_change.c.device_id == device_id, applied_change.c.row_id == row_id,
            applied_change.c.local_version == local_version)).scalar_one_or_none()

    def superseded(self, device_id: str, row_id: str, local_version: int) -> bool:
        """Whether a later version of the row from the same laptop was applied already."""
        return self.conn.execute(select(applied_change.c.local_version).where(
            applied_change.c.device_id == device_id, applied_change.c.row_id == row_id,
            applied_change.c.local_version > local_version).limit(1)).first() is not None

    def remember(self, device_id: str, row_id: str, local_version: int, version: int) -> None:
        self.conn.execute(insert(applied_change).values(
            device_id=device_id, row_id=row_id, local_version=local_version,
            server_version=version))

    def store(self, table: str, values: dict[str, Any], commune_id: str, device_id: str,
              sender_has_it: bool = True) -> int:
        """Write the row's next version. `sender_has_it`: the sending laptop holds exactly
        this version already, so its pulls skip it (see `change_feed`)."""
        return store_row(self.conn, table, values, commune_id, device_id,
                         device_id if sender_has_it else None)

    def store_applied(self, change: Change, values: dict[str, Any], commune_id: str,
                      device_id: str) -> int:
        """`store` and `remember`, together or not at all (IntegrityError)."""
        with self.conn.begin_nested():
            version = self.store(change.table, values, commune_id, device_id)
            self.remember(device_id, change.id, change.local_version, version)
        return version

    def flush(self) -> None:
        """Send the writes kept back (none here)."""

    def finish(self) -> None:
        """Send the writes kept back, the change log's included (none here)."""


class _BatchRows(_Rows):
    """The same reads and writes for a whole batch at a time: the rows the batch names and
    its applied changes read in one query per table before the first change, the writes kept
    in order and sent as one executemany per run of the same table, and the change log moved
    at the end with one range of sequence numbers taken from the counter (whose row the
    transaction has held locked since `lock_feed`, so the numbers still follow commit order).
    """

    def __init__(self, conn: Connection, device: Device, changes: list[Change]) -> None:
        super().__init__(conn)
        # Kept for the whole batch: a row is stored only once it and every row it names are
        # in the device's commune, before and after, so no write changes a commune found.
        self.communes = {}
        self._rows: dict[tuple[str, str], Mapping[str, Any] | None] = {}
        # Rows this batch wrote: as written, not yet as the database would return them.
        self._written: set[tuple[str, str]] = set()
        self._writes: list[tuple[str, str, dict[str, Any]]] = []
        self._applied: dict[tuple[str, int], int] = {}
        self._newest: dict[str, int] = {}  # row id -> the newest local version applied
        self._new_applied: list[dict[str, Any]] = []
        self._created: set[str] = set()  # rows this batch inserted: none has a log entry yet
        self._log: list[tuple[str, str, int, str, str]] = []
        by_table: dict[str, set[str]] = {}
        for change in changes:
            if change.table in TABLES:
                by_table.setdefault(change.table, set()).add(change.id)
        # Parents: only their ids and references, which is all the ownership walk reads.
        self._parents: dict[tuple[str, str], Mapping[str, Any] | None] = {}
        self._prefetch(by_table, self._rows, whole=True)
        # Then the rows they point at, and the rows those point at, up to the commune: the
        # ownership check walks that chain for every change.
        data = [(change.table, change.data) for change in changes if change.table in TABLES]
        for _ in range(_MAX_CHAIN):
            wanted = self._missing(_references(data))
            if not wanted:
                break
            data = self._prefetch(wanted, self._parents, whole=False)
        for entry in select_in(conn, applied_change,
                               ("row_id", "local_version", "server_version"), "row_id",
                               sorted({change.id for change in changes}),
                               where={"device_id": device.id}):
            row_id, local_version = entry["row_id"], entry["local_version"]
            self._applied[(row_id, local_version)] = entry["server_version"]
            self._newest[row_id] = max(self._newest.get(row_id, 0), local_version)

    def _prefetch(self, by_table: dict[str, set[str]],
                  into: dict[tuple[str, str], Mapping[str, Any] | None], *, whole: bool
                  ) -> list[tuple[str, Mapping[str, Any]]]:
        """Read these rows (`whole`, or only their ids and references) in one query per table
        (and per IN_LIST ids), into `into` (None kept for those missing); returns the rows
        found."""
        fetched: list[tuple[str, Mapping[str, Any]]] = []
        for table, ids in by_table.items():
            found = table_of(table)
            into.update(dict.fromkeys(((table, i) for i in ids), None))
            # Ids and references are text, read as stored; whole rows are converted by
            # SQLAlchemy, and only those the database holds (a first sync sends new rows).
            rows: list[Mapping[str, Any]] = select_in(
                self.conn, found, _reference_columns(table), "id", sorted(ids))
            if whole:
                held = [row["id"] for row in rows]
                rows = [row._mapping for start in range(0, len(held), IN_LIST)
                        for row in self.conn.execute(select(found).where(
                            found.c.id.in_(held[start:start + IN_LIST])))]
            for row in rows:
                into[(table, row["id"])] = row
                fetched.append((table, row))
        return fetched

    def _missing(self, wanted: dict[str, set[str]]) -> dict[str, set[str]]:
        missing = {table: {i for i in ids
                           if (table, i) not in self._rows and (table, i) not in self._parents}
                   for table, ids in wanted.items()}
        return {table: ids for table, ids in missing.items() if ids}

    def row(self, table: str, row_id: str) -> Mapping[str, Any] | None:
        key = (table, row_id)
        if key in self._written:
            self.flush()
            self._written.discard(key)
            self._rows[key] = stored_row(self.conn, table, row_id)
        if key not in self._rows:
            self._rows[key] = stored_row(self.conn, table, row_id)
        return self._rows[key]

    def parent(self, table: str, row_id: str) -> Mapping[str, Any] | None:
        key = (table, row_id)
        if key in self._rows:
            return self._rows[key]
        if key in self._parents:
            return self._parents[key]
        return self.row(table, row_id)

    def applied(self, device_id: str, row_id: str, local_version: int) -> int | None:
        return self._applied.get((row_id, local_version))

    def superseded(self, device_id: str, row_id: str, local_version: int) -> bool:
        return self._newest.get(row_id, 0) > local_version

    def remember(self, device_id: str, row_id: str, local_version: int, version: int) -> None:
        self._applied[(row_id, local_version)] = version
        self._newest[row_id] = max(self._newest.get(row_id, 0), local_version)
        self._new_applied.append({"device_id": device_id, "row_id": row_id,
                                  "local_version": local_version, "server_version": version})

    def store(self, table: str, values: dict[str, Any], commune_id: str, device_id: str,
              sender_has_it: bool = True) -> int:
        key = (table, values["id"])
        # As last written in this batch if it was, without sending the writes kept back.
        current = self._rows[key] if key in self._rows else self.row(table, values["id"])
        version = (0 if current is None else current["version"]) + 1
        row = {**values, "version": version, "device_id": device_id}
        self._writes.append(("insert" if current is None else "update", table, row))
        if current is None:
            self._created.add(values["id"])
        self._rows[(table, values["id"])] = row
        self._written.add((table, values["id"]))
        self._log.append((table, values["id"], version, commune_id,
                          device_id if sender_has_it else None))
        return version

    def store_applied(self, change: Change, values: dict[str, Any], commune_id: str,
                      device_id: str) -> int:
        version = self.store(change.table, values, commune_id, device_id)
        self.remember(device_id, change.id, change.local_version, version)
        return version

    def flush(self) -> None:
        writes, self._writes = self._writes, []
        for (kind, table), run in groupby(writes, key=lambda write: write[:2]):
            rows = [write[2] for write in run]
            if kind == "insert":
                insert_rows(self.conn, table_of(table), rows)
            else:
                update_rows(self.conn, table_of(table), "id", rows)
        applied, self._new_applied = self._new_applied, []
        insert_rows(self.conn, applied_change, applied)

    def finish(self) -> None:
        self.flush()
        log, self._log = self._log, []
        if log:
            log_changes(self.conn, log, new=self._created)


# Prefetch rounds: the longest chain of parents (outcome → run → visit → household → village
# → commune); a deeper one is read row by row as before.
_MAX_CHAIN = 6


@cache
def _reference_columns(table: str) -> tuple[str, ...]:
    """A table's id and the columns naming other rows (all text)."""
    return ("id", *sorted({column for column, _ in references(table)}))


def _references(rows: list[tuple[str, Mapping[str, Any]]]) -> dict[str, set[str]]:
    """The ids each row names in its foreign-key columns, by the table they name."""
    wanted: dict[str, set[str]] = {}
    for table, values in rows:
        for column, parent in references(table):
            target = values.get(column)
            if isinstance(target, str):
                wanted.setdefault(parent, set()).add(target)
    return wanted


def _rejected(change: Change, reason: str) -> Result:
    return Result(table=change.table, id=change.id, status="rejected", reason=reason)


def _apply(db: _Rows, device: Device, change: Change,
           checked: Checked) -> Result | _Waiting:
    def rejected(reason: str) -> Result:
        return _rejected(change, reason)

    if checked.values is None:
        return rejected(checked.refusal or "")
    values = dict(checked.values)  # written into below (erasure); the check's copy stays
    current = db.row(change.table, change.id)
    if change.table == "commune":
        return _commune_change(device, change, values, current)
    try:
        communes = referenced_communes(db.conn, change.table, values, find=db.parent,
                                       known=db.communes)
        if current is not None:
            communes.add(commune_of(db.conn, change.table, current, find=db.parent,
                                    known=db.communes))
    except UnknownParent as missing:
        return rejected(tr(UNKNOWN_PARENT).format(parent=missing))
    if communes != {device.commune_id}:
        return rejected(tr(OTHER_COMMUNE))
    if checked.problems:
        return rejected(" ".join(checked.problems))
    if change.table == "assignment" or (change.table == "listed_household" and (
            current is None or any(values[name] != current[name] for name in values
                                   if name not in _LISTED_FROM_LAPTOP))):
        return rejected(tr(SERVER_MADE))
    seen = db.applied(device.id, change.id, change.local_version)
    if seen is not None:
        return Result(table=change.table, id=change.id, status="duplicate", version=seen)
    if current is not None and db.superseded(device.id, change.id, change.local_version):
        # An older version arriving after a newer one from the same laptop (a sync file
        # carried in after an online sync): the laptop's own later edit replaced it already,
        # so it is no conflict, only old news.
        return Result(table=change.table, id=change.id, status="duplicate",
                            version=current["version"])
    if change.table == "person" and current is not None:
        return _Waiting(change, values)
    return _store_or_keep(db, device, change, values, current)


def _store_or_keep(db: _Rows, device: Device, change: Change, values: dict[str, Any],
                   current: Mapping[str, Any] | None) -> Result:
    """Apply a change made from the server's version; keep any other as a conflict."""
    current_version = 0 if current is None else current["version"]
    if change.base_version != current_version and current is not None \
            and _same_content(values, current):
        # Made the same on two laptops (a village both created by its name, a correction
        # both typed): nothing to choose between, so no conflict to review.
        db.remember(device.id, change.id, change.local_version, current_version)
        return Result(table=change.table, id=change.id, status="duplicate",
                            version=current_version)
    if change.base_version != current_version:
        _keep_conflict(db.conn, device, change, current)
        return Result(table=change.table, id=change.id, status="conflict",
                            version=current_version)
    return _store_applied(db, device, change, values)


# Written by whoever stored the row last; not part of what the row says.
_BOOKKEEPING = ("version", "updated_at", "device_id")


def _same_content(values: Mapping[str, Any], current: Mapping[str, Any]) -> bool:
    return all(values[name] == current[name] for name in values if name not in _BOOKKEEPING)


def _store_applied(db: _Rows, device: Device, change: Change,
                   values: dict[str, Any]) -> Result:
    """Write `values` as the row's next version, remembered as this change's answer (so a
    resend of this change is answered duplicate too, see `applied_change`)."""
    try:
        version = db.store_applied(change, values, device.commune_id, device.id)
    except IntegrityError as error:
        return _rejected(change, tr(NOT_STORED).format(error=error.orig))
    return Result(table=change.table, id=change.id, status="applied", version=version)


def _settle_person(db: _Rows, device: Device, waiting: _Waiting) -> Result:
    """A stored person's change, now that the batch's consents are in: with the consent
    withdrawn, personal data is refused and an erasure wins over any base (see `erasure`)."""
    change, values = waiting.change, waiting.values
    current = db.row("person", change.id)
    assert current is not None  # rows are never deleted, only tombstoned
    if not consent_withdrawn(db.conn, change.id):
        return _store_or_keep(db, device, change, values, current)
    if carries_personal_data(values):
        return _rejected(change, tr(CONSENT_WITHDRAWN))
    forget_in_conflicts(db.conn, change.id)
    if change.base_version == current["version"] or not carries_personal_data(current):
        return _store_or_keep(db, device, change, values, current)
    return _erase_on_top(db, device, change, values, current)


def _erase_on_top(db: _Rows, device: Device, change: Change, values: dict[str, Any],
                  current: Mapping[str, Any]) -> Result:
    """Erase the personal data the server holds although the erasing laptop had not seen its
    latest version. When the laptop's row differs in more than that (another field changed on
    both sides), the erasure is still applied and the rest is kept as a conflict, as usual."""
    result = erased(current, values)
    if same_content(result, values):
        return _store_applied(db, device, change, result)
    # The laptop sent other content than this merge: it must pull this version.
    version = db.store("person", result, device.commune_id, device.id, sender_has_it=False)
    _keep_conflict(db.conn, device, change, db.row("person", change.id))
    return Result(table="person", id=change.id, status="conflict", version=version)


def store_row(conn: Connection, table: str, values: dict[str, Any], commune_id: str,
              device_id: str, holder: str | None) -> int:
    """Write `values` as the row's next server version and move it to the head of the feed;
    returns that version. `device_id` is who sent the row, whatever the row claims; `holder`
    the device that already holds this very version (its pulls skip it), if any."""
    found = table_of(table)
    current = conn.execute(select(found.c.version).where(found.c.id == values["id"])
                           ).scalar_one_or_none()
    version = (current or 0) + 1
    row = {**values, "version": version, "device_id": device_id}
    if current is not None:
        conn.execute(update(found).where(found.c.id == values["id"]).values(row))
    else:
        conn.execute(insert(found).values(row))
    log_change(conn, table, values["id"], version, commune_id, holder)
    return version


def _commune_change(device: Device, change: Change, values: dict[str, Any],
                    current: Mapping[str, Any] | None) -> Result:
    """Every laptop makes its commune's row offline from the official list; the server made
    the same row at enrolment. Matching official fields mean the server already has it."""
    if change.id != device.commune_id or current is None:
        return Result(table="commune", id=change.id, status="rejected",
                            reason=tr(OTHER_COMMUNE))
    if any(values[name] != current[name] for name in _OFFICIAL_COMMUNE_FIELDS):
        return Result(table="commune", id=change.id, status="rejected",
                            reason=tr(COMMUNE_OFFICIAL))
    return Result(table="commune", id=change.id, status="duplicate",
                        version=current["version"])


def current_json(table: str, current: Mapping[str, Any]) -> str:
    """The server's row in the protocol's JSON form (what a laptop would pull)."""
    return json.dumps(row_data(TABLES[table](**current)), ensure_ascii=False)


def _keep_conflict(conn: Connection, device: Device, change: Change,
                   current: Mapping[str, Any] | None) -> None:
    """Store both sides for review, once: a laptop resending the same change while the
    conflict is open does not pile up copies."""
    incoming = json.dumps(change.data, ensure_ascii=False, sort_keys=True)
    server_version = 0 if current is None else current["version"]
    already = conn.execute(select(conflict.c.id).where(
        conflict.c.row_id == change.id, conflict.c.device_id == device.id,
        conflict.c.base_version == change.base_version,
        conflict.c.server_version == server_version, conflict.c.incoming == incoming,
        conflict.c.resolved_at.is_(None))).first()
    if already is not None:
        return
    conn.execute(insert(conflict).values(
        table_name=change.table, row_id=change.id, commune_id=device.commune_id,
        device_id=device.id, base_version=change.base_version, server_version=server_version,
        incoming=incoming, current="{}" if current is None else current_json(change.table, current),
        detected_at=utcnow()))
