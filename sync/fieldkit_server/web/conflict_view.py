"""Both sides of an open conflict, field by field, for the officer to choose between.

The conflict row keeps the pushed row (`incoming`) and the server's row when the conflict was
found (`current`) as sync-protocol JSON. Columns the officer cannot judge (ids, versions,
timestamps) are shown after the others and never counted as the difference.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, replace
from datetime import datetime
from types import SimpleNamespace
from typing import Any

from sqlalchemy import Connection, select

from fieldkit.core.i18n import tr
from fieldkit_server.tables import conflict, device
from fieldkit_server.web.lists import Page, paged

TABLE_LABELS = {
    "commune": "Xã/phường", "volunteer": "Tình nguyện viên", "village": "Thôn/bản",
    "household": "Hộ gia đình", "person": "Nhân khẩu", "consent": "Đồng ý xử lý dữ liệu",
    "visit": "Lượt thăm", "form_record": "Tờ khai", "form_revision": "Bản sửa tờ khai",
    "guide_run": "Lượt hướng dẫn", "guide_step_outcome": "Kết quả bước hướng dẫn",
}
COLUMN_LABELS = {
    "head_name": "Chủ hộ", "address": "Địa chỉ", "phone": "Điện thoại", "notes": "Ghi chú",
    "full_name": "Họ và tên", "id_number": "Số định danh", "date_of_birth": "Ngày sinh",
    "gender": "Giới tính", "ethnicity": "Dân tộc", "relation_to_head": "Quan hệ với chủ hộ",
    "vneid_status": "Tài khoản VNeID", "has_smartphone": "Có điện thoại thông minh",
    "phone_has_nfc": "Điện thoại có NFC", "phone_in_own_name": "Thuê bao chính chủ",
    "name": "Tên", "kind": "Loại", "services": "Hỗ trợ", "outcome": "Kết quả",
    "started_at": "Bắt đầu", "ended_at": "Kết thúc", "status": "Trạng thái",
    "answers": "Câu trả lời", "page": "Trang", "completed_at": "Hoàn thành lúc",
    "deleted": "Đã xóa", "household_id": "Hộ", "village_id": "Thôn/bản",
    "volunteer_id": "Tình nguyện viên", "person_id": "Người",
}
# Labels are Vietnamese sources, translated when a page is drawn (see `tr`).
# Bookkeeping columns: shown for completeness, not what the officer decides on.
BOOKKEEPING = ("id", "version", "updated_at", "device_id", "demo", "sort_key")


@dataclass(frozen=True)
class FieldRow:
    column: str
    label: str
    server: str
    incoming: str
    differs: bool


@dataclass(frozen=True)
class ConflictView:
    id: int
    table: str
    table_label: str
    row_id: str
    device_name: str
    detected_at: datetime
    server_version: int
    base_version: int
    summary: str
    fields: list[FieldRow]


def _shown(value: Any) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return tr("Có") if value else tr("Không")
    return str(value)


def field_rows(current: dict[str, Any], incoming: dict[str, Any]) -> list[FieldRow]:
    columns = [c for c in dict.fromkeys([*current, *incoming]) if c not in BOOKKEEPING]
    columns += [c for c in BOOKKEEPING if c in current or c in incoming]
    return [FieldRow(column, tr(COLUMN_LABELS.get(column, column)), _shown(current.get(column)),
                     _shown(incoming.get(column)),
                     column not in BOOKKEEPING and current.get(column) != incoming.get(column))
            for column in columns]


def open_conflicts(conn: Connection, commune_id: str | None = None,
                   page: int = 1) -> Page:
    """A page of the open conflicts (the commune's, or all), oldest first: rows are views."""
    names = dict(conn.execute(select(device.c.id, device.c.name)).all())
    query = (select(conflict).where(conflict.c.resolved_at.is_(None))
             .order_by(conflict.c.detected_at, conflict.c.id))
    if commune_id is not None:
        query = query.where(conflict.c.commune_id == commune_id)
    result = paged(conn, query, page)
    views = []
    for row in (SimpleNamespace(**item) for item in result.rows):
        current = json.loads(row.current)
        incoming = json.loads(row.incoming)
        summary = (current.get("head_name") or current.get("full_name") or current.get("name")
                   or incoming.get("head_name") or incoming.get("full_name") or row.row_id)
        views.append(ConflictView(
            id=row.id, table=row.table_name,
            table_label=tr(TABLE_LABELS.get(row.table_name, row.table_name)), row_id=row.row_id,
            device_name=names.get(row.device_id) or row.device_id,
            detected_at=row.detected_at, server_version=row.server_version,
            base_version=row.base_version, summary=str(summary),
            fields=field_rows(current, incoming)))
    return replace(result, rows=views)
