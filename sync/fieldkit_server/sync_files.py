"""A laptop's sync file imported at the commune, and the answer file written for it.

The file is opened with the key of the laptop it names and its signature checked against the
laptop's enrolled public key; a revoked or expired laptop's file is refused as its online
sync would be. Each batch then goes through the same `push` an online sync reaches, batch by
batch, with the same idempotent rules: a batch already received (by file or online) gets its
stored answer, a change already applied is answered duplicate. The answer file carries those
answers and everything the laptop would pull after its cursor (other laptops' work, the
commune's list and assignments, published forms and guides), sealed for that laptop alone.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError
from sqlalchemy import Engine, select

from fieldkit.core.columns import as_utc, utcnow
from fieldkit.core.sync_file import (
    ANSWER,
    PUSH,
    SyncFileError,
    file_key,
    open_sealed,
    read_header,
    seal,
)
from fieldkit.core.sync_protocol import MAX_CHANGES, MAX_PULL_LIMIT, PushRequest
from fieldkit_server.audit import write_audit
from fieldkit_server.db import reading, writing
from fieldkit_server.device_auth import Device
from fieldkit_server.pull import pull
from fieldkit_server.push import BatchOfAnotherDevice, push
from fieldkit_server.tables import device, push_batch

# More batches than any laptop's outbox: a file claiming more is not one FieldKit wrote.
MAX_BATCHES = 2_000


@dataclass
class FileImport:
    device_id: str
    device_name: str
    batches: int = 0
    # Batches this server had answered already (the same file imported again, or the batch
    # sent online first): their stored answers are given again and nothing changes.
    replayed: int = 0
    statuses: Counter[str] = field(default_factory=Counter)  # of the batches new here
    pulled: int = 0

    def summary(self) -> str:
        counts = self.statuses
        again = (f" ({self.replayed} lô đã nhập từ trước, không thay đổi gì)"
                 if self.replayed else "")
        return (f"{self.batches} lô{again}, {sum(counts.values())} thay đổi: "
                f"{counts['applied']} nhận mới, {counts['duplicate']} đã có, "
                f"{counts['conflict']} xung đột, {counts['rejected']} bị từ chối; tệp trả lời "
                f"mang {self.pulled} thay đổi về máy")


def import_sync_file(engine: Engine, data: bytes, actor: str) -> tuple[bytes, FileImport]:
    """Apply a laptop's sync file; returns the answer file and what was done."""
    header = read_header(data)
    if header.kind != PUSH:
        raise SyncFileError("Đây là tệp trả lời của máy chủ, không phải tệp do máy tính xuất: "
                            "hãy nhập nó trên máy tính.")
    with reading(engine) as conn:
        row = conn.execute(select(device).where(device.c.id == header.device_id)).first()
    if row is None:
        raise SyncFileError("Tệp của một máy chưa đăng ký với máy chủ này.")
    if row.revoked_at is not None:
        raise SyncFileError(f"Máy “{row.name}” đã bị thu hồi quyền đồng bộ: không nhận tệp "
                            "của máy này.")
    if as_utc(row.expires_at) <= utcnow():
        raise SyncFileError(f"Mã truy cập của máy “{row.name}” đã hết hạn: hãy đăng ký lại máy "
                            "rồi xuất tệp mới.")
    key = file_key(row.token_hash)
    body = open_sealed(data, key, bytes.fromhex(row.public_key))
    sender = Device(row.id, row.commune_id, row.commune_code)
    requests = _requests(body)
    done = FileImport(row.id, row.name)
    with reading(engine) as conn:
        known = set(conn.execute(select(push_batch.c.batch_id).where(
            push_batch.c.batch_id.in_([r.batch_id for r in requests] or [""]),
            push_batch.c.device_id == row.id)).scalars())
    answers: list[dict[str, Any]] = []
    for request in requests:
        try:
            response = push(engine, sender, request)
        except BatchOfAnotherDevice:
            raise SyncFileError("Một lô trong tệp mang mã của máy khác: tệp không hợp lệ.") \
                from None
        done.batches += 1
        if request.batch_id in known:
            done.replayed += 1
        else:
            done.statuses.update(result.status for result in response.results)
        answers.append({"request": request.model_dump(mode="json"),
                        "response": response.full()})
    since = body.get("since")
    cursor = since if isinstance(since, int) and since >= 0 else 0
    pulled: list[dict[str, Any]] = []
    while True:
        page = pull(engine, sender, cursor, MAX_PULL_LIMIT)
        pulled += [change.model_dump(mode="json") for change in page.changes]
        cursor = page.next_cursor
        if not page.more:
            break
    done.pulled = len(pulled)
    answer = seal(ANSWER, row.id, {"answers": answers, "pull": pulled, "next_cursor": cursor},
                  key)
    with writing(engine) as conn:
        write_audit(conn, actor, "sync_file_imported", f"{row.name or row.id}: {done.summary()}",
                    row.commune_id)
    return answer, done


def _requests(body: dict[str, Any]) -> list[PushRequest]:
    batches = body.get("batches")
    if not isinstance(batches, list) or len(batches) > MAX_BATCHES:
        raise SyncFileError("Tệp đồng bộ không đúng dạng.")
    try:
        requests = [PushRequest.model_validate(batch) for batch in batches]
    except ValidationError as error:
        raise SyncFileError(f"Tệp đồng bộ không đúng dạng ({error.error_count()} lỗi).") \
            from None
    if any(len(request.changes) > MAX_CHANGES for request in requests):
        raise SyncFileError("Tệp đồng bộ không đúng dạng.")
    return requests
