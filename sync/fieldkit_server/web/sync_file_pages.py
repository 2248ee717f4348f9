"""Sync by USB stick at the commune: the officer uploads a laptop's file and downloads the
answer file to carry back (see `sync_files`). Answers are kept a week, then deleted: a
volunteer comes back within days, and the file is only of use to that one laptop."""

from __future__ import annotations

import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import delete, insert, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from fieldkit.core.columns import utcnow
from fieldkit.core.i18n import tr
from fieldkit.core.sync_file import SUFFIX, SyncFileError
from fieldkit_server.audit import write_audit
from fieldkit_server.db import reading, writing
from fieldkit_server.sync_files import import_sync_file
from fieldkit_server.tables import device, sync_answer
from fieldkit_server.web.context import Admin, CsrfForm, chosen_commune, render, state
from fieldkit_server.web.lists import paged

router = APIRouter()
MAX_FILE_BYTES = 64 * 1024 * 1024
KEPT = timedelta(days=7)


@router.get("/sync-files")
def sync_files_page(request: Request, session: Admin, page: int = 1) -> Response:
    return _page(request, session, page=page)


@router.post("/sync-files")
async def import_file(request: Request, session: Admin, form: CsrfForm) -> Response:
    upload = form.get("file")
    if not isinstance(upload, UploadFile) or not upload.filename:
        return _page(request, session, 400, tr("Hãy chọn tệp đồng bộ do máy tính xuất ra "
                                               "(đuôi {suffix}).").format(suffix=SUFFIX))
    data = await upload.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        return _page(request, session, 413,
                     tr("Tệp lớn hơn 64 MB, không phải tệp FieldKit xuất."))
    engine = state(request).engine
    officer = session.username or "?"
    try:
        # Off the event loop: a week of a hamlet's work is thousands of rows to check.
        answer, done = await run_in_threadpool(import_sync_file, engine, data, officer)
    except SyncFileError as refused:
        with writing(engine) as conn:
            write_audit(conn, officer, "sync_file_refused",
                        f"{Path(upload.filename).name}: {refused}")
        return _page(request, session, 422, str(refused))
    answer_id = str(uuid.uuid4())
    name = f"{Path(upload.filename).stem}-tra-loi{SUFFIX}"
    with writing(engine) as conn:
        conn.execute(delete(sync_answer).where(sync_answer.c.made_at < utcnow() - KEPT))
        conn.execute(insert(sync_answer).values(
            id=answer_id, device_id=done.device_id, file_name=name[:255], content=answer,
            summary=f"Máy “{done.device_name or done.device_id}”: {done.summary()}.",
            made_at=utcnow(), made_by=officer))
    return RedirectResponse(f"/sync-files?made={answer_id}", status_code=303)


@router.get("/sync-files/{answer_id}")
def download_answer(request: Request, session: Admin, answer_id: str) -> Response:
    with reading(state(request).engine) as conn:
        row = conn.execute(select(sync_answer.c.file_name, sync_answer.c.content).where(
            sync_answer.c.id == answer_id)).first()
    if row is None:
        return _page(request, session, 404, tr("Tệp trả lời không còn (quá 7 ngày): hãy nhập "
                                               "lại tệp của máy tính để tạo tệp trả lời mới."))
    return Response(row.content, media_type="application/octet-stream", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(row.file_name)}",
        "Cache-Control": "no-store"})


def _page(request: Request, session: Any, status_code: int = 200,
          error: str | None = None, page: int = 1) -> Response:
    query = (select(sync_answer.c.id, sync_answer.c.file_name, sync_answer.c.summary,
                    sync_answer.c.made_at, sync_answer.c.made_by, device.c.name)
             .outerjoin(device, device.c.id == sync_answer.c.device_id)
             .where(sync_answer.c.made_at >= utcnow() - KEPT)
             .order_by(sync_answer.c.made_at.desc(), sync_answer.c.id))
    if (only := chosen_commune(session)) is not None:
        query = query.where(device.c.commune_id == only)
    made_id = request.query_params.get("made")
    with reading(state(request).engine) as conn:
        result = paged(conn, query, page)
        made = conn.execute(query.where(sync_answer.c.id == made_id)).first() if made_id \
            else None
    return render(request, "sync_files.html", session, status_code=status_code, error=error,
                  answers=result.rows, result=result, made=made, suffix=SUFFIX)
