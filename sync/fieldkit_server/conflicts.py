"""Resolving the conflicts pushes left for review: the commune keeps one side, on purpose.

"server" keeps the row as the server holds it; "incoming" makes the laptop's side the row's
next version, which every laptop of the commune then pulls. Either way the conflict keeps
both sides, who chose and when, and the audit log says so.

"incoming" is refused once the row has moved past the version the conflict shows: the laptop's
side is a whole row, so writing it would silently undo every change made since, including
fields both sides of the conflict agreed on. The officer looks again at the newer row.
"""

import json
from typing import Literal

from sqlalchemy import Engine, select, update

from fieldkit.core.columns import utcnow
from fieldkit.core.sync_protocol import RowError, row_values
from fieldkit_server.audit import write_audit
from fieldkit_server.change_feed import lock_feed
from fieldkit_server.db import writing
from fieldkit_server.ownership import stored_row
from fieldkit_server.push import store_row
from fieldkit_server.tables import conflict

Resolution = Literal["server", "incoming"]

MOVED_ON = ("Dòng này đã được sửa tiếp sau khi xung đột số {id} xảy ra (phiên bản {then} → "
            "{now}); giữ bản từ máy tính sẽ xóa mất những sửa đổi đó. Hãy xem lại bản mới "
            "trên máy chủ rồi quyết định.")


class ConflictError(ValueError):
    """Why a conflict cannot be resolved as asked (Vietnamese, for the admin page)."""


def resolve_conflict(engine: Engine, conflict_id: int, resolution: Resolution,
                     admin: str) -> None:
    if resolution not in ("server", "incoming"):
        raise ConflictError("Hãy chọn giữ bản trên máy chủ hoặc bản từ máy tính.")
    with writing(engine) as conn:
        lock_feed(conn)
        found = conn.execute(select(conflict).where(conflict.c.id == conflict_id)).first()
        if found is None:
            raise ConflictError(f"Không có xung đột số {conflict_id}.")
        if found.resolved_at is not None:
            raise ConflictError(f"Xung đột số {conflict_id} đã được giải quyết rồi.")
        detail = f"{found.table_name} {found.row_id}: giữ bản "
        if resolution == "incoming":
            try:
                values = row_values(found.table_name, json.loads(found.incoming))
            except RowError as error:
                raise ConflictError(f"Bản từ máy tính không còn hợp lệ: {error}") from None
            now = stored_row(conn, found.table_name, found.row_id)
            now_version = 0 if now is None else now["version"]
            if now_version != found.server_version:
                raise ConflictError(MOVED_ON.format(id=conflict_id, then=found.server_version,
                                                    now=now_version))
            # A new version every laptop pulls, the sender included: it must learn the
            # number its row now has on the server.
            version = store_row(conn, found.table_name, values, found.commune_id,
                                found.device_id, None)
            detail += f"từ máy tính (phiên bản mới {version})"
        else:
            detail += "trên máy chủ"
        conn.execute(update(conflict).where(conflict.c.id == conflict_id).values(
            resolved_at=utcnow(), resolved_by=admin[:64], resolution=resolution))
        write_audit(conn, admin, "resolve_conflict", detail, found.commune_id)
