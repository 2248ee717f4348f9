"""The laptop's side of sync by file (see `sync_file`): its pending work written for the
commune, and the commune's answer read back.

Exporting changes nothing in the store: the outbox keeps every change until an answer says
the server has it, from the answer file or from an online sync, whichever comes first, so a
stick lost on the way costs nothing but the trip. The file is written beside its final name
and renamed once flushed, so a stick pulled out mid-write leaves no half file under that
name.

Reading the answer records each batch's answers exactly as an online push records them, then
applies what the server sent as an online pull applies it. An answer arriving after an online
sync already did the same is harmless: answers only drop queued versions the server has, a
row's known server version never goes backwards, and pulled rows already here change nothing.
The pull cursor moves forward only.
"""

from __future__ import annotations

import logging
import os
import sys
import uuid
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from fieldkit.core.i18n import tr
from fieldkit.core.revocation import revocation_of
from fieldkit.core.store import Store
from fieldkit.core.sync_apply import PullOutcome, apply_pulled, pending_changes, record_results
from fieldkit.core.sync_file import (
    ANSWER,
    PUSH,
    SyncFileError,
    file_key,
    open_sealed,
    read_header,
    seal,
    token_digest,
)
from fieldkit.core.sync_protocol import (
    MAX_CHANGES,
    MAX_PULL_LIMIT,
    PulledChange,
    PushRequest,
    PushResponse,
)

CURSOR_KEY = "pull_cursor"  # shared with the online pull (sync_client.pull)

logger = logging.getLogger(__name__)


@dataclass
class ExportReport:
    path: Path
    changes: int
    batches: int


@dataclass
class ImportReport:
    applied: int = 0
    duplicate: int = 0
    conflict: int = 0
    rejected: int = 0
    pulled: PullOutcome | None = None


def default_file_name(store: Store, when: str) -> str:
    return f"fieldkit-{store.device_id[:8]}-{when}.fksync"


def export_sync_file(store: Store, path: Path) -> ExportReport:
    """Write every pending change, in batches as an online push sends them, to `path`."""
    try:
        report = _export_sync_file(store, path)
    except (SyncFileError, OSError) as exc:
        logger.warning("USB export to %s refused or failed: %s", path.name, exc)
        raise
    logger.info("USB export: %d changes in %d batches written to %s", report.changes,
                report.batches, path.name)
    return report


def _export_sync_file(store: Store, path: Path) -> ExportReport:
    key = _key(store)
    changes = pending_changes(store, limit=sys.maxsize)
    batches = [PushRequest(batch_id=str(uuid.uuid4()), changes=changes[at:at + MAX_CHANGES])
               for at in range(0, len(changes), MAX_CHANGES)]
    body = {"batches": [batch.model_dump(mode="json") for batch in batches],
            "since": int(store.meta.get(CURSOR_KEY) or 0)}
    data = seal(PUSH, store.device_id, body, key, store.signing_key())
    partial = path.with_name(path.name + ".part")
    with partial.open("wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(partial, path)
    return ExportReport(path, len(changes), len(batches))


def import_answer_file(store: Store, path: Path) -> ImportReport:
    """Record the commune's answers and apply what it sent (see the module notes)."""
    try:
        report = _import_answer_file(store, path)
    except (SyncFileError, OSError) as exc:
        logger.warning("USB answer %s refused or unreadable: %s", path.name, exc)
        raise
    pulled = report.pulled or PullOutcome()
    logger.info("USB answer %s imported: pushed %d applied, %d duplicate, %d conflict, "
                "%d rejected; pulled %d applied, %d conflicts, %d refused", path.name,
                report.applied, report.duplicate, report.conflict, report.rejected,
                pulled.applied, pulled.conflicts, len(pulled.refused))
    return report


def _import_answer_file(store: Store, path: Path) -> ImportReport:
    data = path.read_bytes()
    header = read_header(data)
    if header.kind != ANSWER:
        raise SyncFileError(tr("Đây là tệp máy này xuất cho xã; hãy đưa nó cho cán bộ xã để "
                               "nhập trên máy chủ, rồi nhập tệp trả lời họ đưa lại."))
    if header.device_id != store.device_id:
        raise SyncFileError(tr("Tệp trả lời này dành cho một máy khác, không phải máy này."))
    body = open_sealed(data, _key(store))
    report = ImportReport()
    try:
        answers = [(PushRequest.model_validate(a["request"]),
                    PushResponse.model_validate(a["response"])) for a in body["answers"]]
        pulled = [PulledChange.model_validate(change) for change in body["pull"]]
        next_cursor = int(body["next_cursor"])
    except (ValidationError, KeyError, TypeError, ValueError):
        raise SyncFileError(tr("Tệp trả lời không đúng dạng.")) from None
    for request, response in answers:
        outcome = record_results(store, request.changes, response)
        report.applied += outcome.applied
        report.duplicate += outcome.duplicate
        report.conflict += outcome.conflict
        report.rejected += outcome.rejected
    summed = PullOutcome()
    for at in range(0, max(len(pulled), 1), MAX_PULL_LIMIT):
        last = at + MAX_PULL_LIMIT >= len(pulled)
        current = int(store.meta.get(CURSOR_KEY) or 0)
        # The cursor only moves forward, after the last page, and never back past an online
        # pull made since the file was written.
        cursor = max(current, next_cursor) if last else current
        outcome = apply_pulled(store, pulled[at:at + MAX_PULL_LIMIT], cursor=cursor)
        for name in ("applied", "echoes", "conflicts", "definitions"):
            setattr(summed, name, getattr(summed, name) + getattr(outcome, name))
        summed.held = outcome.held
        summed.refused += outcome.refused
    report.pulled = summed
    return report


def _key(store: Store) -> bytes:
    if store.is_demo:
        raise SyncFileError(tr("Đây là dữ liệu thực hành: không bao giờ được gửi cho xã, kể cả "
                               "qua USB."))
    revoked = revocation_of(store)
    if revoked is not None:
        raise SyncFileError(revoked.message())
    token = store.meta.get("device_token")
    if not token:
        raise SyncFileError(tr("Máy chưa đăng ký với máy chủ xã: hãy đăng ký máy (cần mạng một "
                               "lần) trước khi đồng bộ qua USB."))
    return file_key(token_digest(token))
