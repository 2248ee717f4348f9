"""The audit log on a page: who did what, when, newest first, by action and by commune.

Entries are read as they were written (see `audit.write_audit`); the page only names the
actions in words and the laptops by their names. An entry about no commune in particular
(a login, a form published for all) is shown when no commune is chosen, and left out when
one is: the filter answers "what happened to this commune".
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from fieldkit.core.ids import commune_id
from fieldkit_server.db import reading
from fieldkit_server.tables import audit_log, device
from fieldkit_server.web.context import COMMUNES, Admin, render, state
from fieldkit_server.web.lists import paged

router = APIRouter()
ACTIONS = {
    "login": "Đã đăng nhập",
    "login_failed": "Đăng nhập không thành công",
    "logout": "Đã đăng xuất",
    "create_admin": "Tạo tài khoản quản trị",
    "create_enrolment_code": "Tạo mã đăng ký máy",
    "enroll": "Máy đăng ký",
    "reenroll": "Máy đăng ký lại",
    "enroll_retry": "Máy gửi lại yêu cầu đăng ký",
    "revoke_device": "Đã thu hồi máy",
    "readmit_device": "Đã cho máy đăng ký lại",
    "told_revoked": "Máy bị thu hồi đã được báo",
    "resolve_conflict": "Giải quyết xung đột",
    "export": "Đã xuất dữ liệu",
    "households_imported": "Đã nhập danh sách hộ",
    "sync_file_imported": "Nhập tệp đồng bộ USB",
    "sync_file_refused": "Từ chối tệp đồng bộ USB",
    "import_receipt": "Đã nhập biên nhận",
    "receipt_refused": "Từ chối biên nhận",
    "assigned": "Đã giao việc",
    "assignment_withdrawn": "Thu hồi việc được giao",
    "campaign_targets": "Đặt chỉ tiêu chiến dịch",
    "publish_definition": "Công bố biểu mẫu, hướng dẫn",
}
"""Each action in words (Vietnamese source; the page shows them through `tr`)."""


@router.get("/audit")
def audit_page(request: Request, session: Admin, action: str = "",
               commune: str | None = None, page: int = 1) -> Response:
    # No `commune` in the address: the one chosen in the header; an empty one: all of them.
    if commune is None:
        commune = "" if session.commune is None else str(session.commune)
    query = select(audit_log).order_by(audit_log.c.at.desc(), audit_log.c.id.desc())
    if action:
        query = query.where(audit_log.c.action == action)
    if commune.isdigit():
        query = query.where(audit_log.c.commune_id == commune_id(int(commune)))
    with reading(state(request).engine) as conn:
        result = paged(conn, query, page)
        devices = dict(conn.execute(select(device.c.id, device.c.name)).all())
        communes = conn.execute(select(COMMUNES.c.id, COMMUNES.c.code, COMMUNES.c.name)
                                .order_by(COMMUNES.c.name, COMMUNES.c.code)).all()
        written = set(conn.execute(select(audit_log.c.action).distinct()).scalars())
    names = {row.id: row.name for row in communes}
    for row in result.rows:
        row["label"] = ACTIONS.get(row["action"], row["action"])
        row["device"] = devices.get(row["actor"])
        row["commune"] = names.get(row["commune_id"], "")
    offered = written | ({action} & set(ACTIONS))
    actions = sorted(((code, ACTIONS.get(code, code)) for code in offered),
                     key=lambda pair: pair[1])
    return render(request, "audit.html", session, result=result, actions=actions,
                  action=action, communes=[(row.code, row.name) for row in communes],
                  commune=commune)
