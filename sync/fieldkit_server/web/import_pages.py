"""Import a commune's household list: upload, check the columns against a preview, confirm.

The uploaded file is kept in the database (`list_upload`) between the steps, so any server
process answers the next page. Checking is repeated on every page from the file itself with
the officer's column choices, in a transaction that writes nothing; the confirmed import runs
the same check again in its own transaction, so what is imported is what the server holds at
that moment, not what it held when the preview was drawn.
"""

from __future__ import annotations

import tempfile
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Engine, delete, func, insert, select
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from fieldkit.core.columns import utcnow
from fieldkit.core.communes import commune
from fieldkit.core.forms.import_problems import column_letter
from fieldkit.core.forms.workbook import WorkbookUnreadable
from fieldkit.core.household_list_columns import FIELDS, IGNORED
from fieldkit.core.household_lists import DUPLICATE, REFUSED, STATUS_LABELS
from fieldkit.core.i18n import tr
from fieldkit.core.models import Commune
from fieldkit.core.table_files import TableFile, read_table
from fieldkit_server.db import reading, writing
from fieldkit_server.household_import import ImportResult, import_households
from fieldkit_server.household_report import report_csv
from fieldkit_server.ownership import table_of
from fieldkit_server.tables import list_upload
from fieldkit_server.web.context import Admin, CsrfForm, render, state
from fieldkit_server.web.language import pick

router = APIRouter()
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
UPLOAD_LIFETIME = timedelta(days=1)
PREVIEW_ROWS = 8
FLAGGED_SHOWN = 200
COMMUNES = Commune.__table__  # type: ignore[attr-defined]
LISTED = table_of("listed_household")
VILLAGE = table_of("village")


@router.get("/households/import")
def import_page(request: Request, session: Admin) -> Response:
    return _upload_page(request, session)


@router.post("/households/import")
async def upload(request: Request, session: Admin, form: CsrfForm) -> Response:
    file, code = form.get("file"), str(form.get("commune_code", "")).strip()
    if not isinstance(file, UploadFile) or not file.filename:
        return _upload_page(request, session, 400,
                            tr("Hãy chọn tệp danh sách (.xlsx, .xls, .csv)."))
    if not code.isdigit():
        return _upload_page(request, session, 400, tr("Hãy chọn xã/phường của danh sách."))
    content = await file.read(MAX_UPLOAD_BYTES + 1)
    if len(content) > MAX_UPLOAD_BYTES:
        return _upload_page(request, session, 413, tr("Tệp lớn hơn 10 MB: hãy tách danh sách "
                                                      "theo thôn rồi nhập từng tệp."))
    try:
        # Off the event loop: a big workbook takes a second or two to read.
        upload_id = await run_in_threadpool(_keep, state(request).engine, content,
                                            file.filename, int(code), session.username or "?")
    except WorkbookUnreadable as error:
        problem = pick((error.problem.vi, error.problem.en))
        return _upload_page(request, session, 422,
                            tr("Không đọc được tệp: {problem}.").format(problem=problem))
    return RedirectResponse(f"/households/import/{upload_id}", status_code=303)


def _keep(engine: Engine, content: bytes, file_name: str, code: int, officer: str) -> str:
    """Store an upload that reads as a table (WorkbookUnreadable if not); returns its id."""
    _read(content, file_name)
    upload_id = str(uuid.uuid4())
    with writing(engine) as conn:
        conn.execute(delete(list_upload).where(
            list_upload.c.uploaded_at < utcnow() - UPLOAD_LIFETIME))
        conn.execute(insert(list_upload).values(
            id=upload_id, commune_code=code, file_name=Path(file_name).name[:255],
            content=content, uploaded_by=officer, uploaded_at=utcnow()))
    return upload_id


@router.get("/households/import/{upload_id}")
def preview(request: Request, session: Admin, upload_id: str) -> Response:
    found = _upload(state(request).engine, upload_id)
    if found is None:
        return _gone(request, session)
    choices = dict(request.query_params)
    return _preview(request, session, found, choices)


@router.get("/households/import/{upload_id}/report.csv")
def report(request: Request, session: Admin, upload_id: str) -> Response:
    found = _upload(state(request).engine, upload_id)
    if found is None:
        return _gone(request, session)
    result = _check(state(request).engine, found, _read(found["content"], found["file_name"]),
                    dict(request.query_params))
    name = f"ket-qua-{Path(found['file_name']).stem}.csv"
    return Response(report_csv(result.check), media_type="text/csv; charset=utf-8", headers={
        "Content-Disposition": f"attachment; filename*=UTF-8''{quote(name)}",
        "Cache-Control": "no-store"})


@router.post("/households/import/{upload_id}")
def confirm(request: Request, session: Admin, upload_id: str, form: CsrfForm) -> Response:
    engine = state(request).engine
    found = _upload(engine, upload_id)
    if found is None:
        return _gone(request, session)
    choices = {key: str(value) for key, value in form.items() if key != "csrf_token"}
    partial = choices.pop("partial", "") == "1"
    result = _check(engine, found, _read(found["content"], found["file_name"]), choices,
                    write=True, partial=partial, actor=session.username or "?")
    if result.check.counts[REFUSED] and not partial:
        return _preview(request, session, found, choices, status_code=409,
                        error=tr("Có dòng bị từ chối: chọn “nhập các dòng hợp lệ” để bỏ qua "
                                 "chúng, hoặc sửa tệp rồi tải lên lại."))
    if not result.imported:
        return _preview(request, session, found, choices, status_code=409,
                        error=tr("Không có hộ mới nào để nhập."))
    with writing(engine) as conn:
        conn.execute(delete(list_upload).where(list_upload.c.id == upload_id))
    return render(request, "households_imported.html", session, result=result,
                  file_name=found["file_name"], counts=result.check.counts)


def _upload_page(request: Request, session: Any, status_code: int = 200,
                 error: str | None = None) -> Response:
    with reading(state(request).engine) as conn:
        communes = conn.execute(select(COMMUNES.c.code, COMMUNES.c.name).where(
            COMMUNES.c.deleted.is_(False)).order_by(COMMUNES.c.name)).all()
        listed = conn.execute(
            select(COMMUNES.c.name, VILLAGE.c.name.label("village"),
                   func.count(LISTED.c.id).label("households"),
                   func.count(LISTED.c.household_id).label("registered"))
            .join(VILLAGE, VILLAGE.c.commune_id == COMMUNES.c.id)
            .join(LISTED, LISTED.c.village_id == VILLAGE.c.id)
            .where(LISTED.c.deleted.is_(False))
            .group_by(COMMUNES.c.name, VILLAGE.c.name)
            .order_by(COMMUNES.c.name, VILLAGE.c.name)).all()
    return render(request, "households_import.html", session, status_code=status_code,
                  error=error, communes=communes, listed=listed,
                  max_mb=MAX_UPLOAD_BYTES // (1024 * 1024))


def _gone(request: Request, session: Any) -> Response:
    return _upload_page(request, session, 404, tr("Tệp đã tải lên không còn (đã nhập xong "
                                                  "hoặc quá một ngày): hãy tải lên lại."))


def _upload(engine: Engine, upload_id: str) -> dict[str, Any] | None:
    with reading(engine) as conn:
        row = conn.execute(select(list_upload).where(list_upload.c.id == upload_id)).first()
    return None if row is None else dict(row._mapping)


def _read(content: bytes, file_name: str) -> TableFile:
    """The file as rows; the readers open files by path, so it passes through a temporary
    one that is gone when this returns."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / (Path(file_name).stem or "danh-sach")
        path.write_bytes(content)
        return read_table(path)


def _check(engine: Engine, found: dict[str, Any], table: TableFile, choices: dict[str, str],
           *, write: bool = False, partial: bool = False, actor: str = "?") -> ImportResult:
    titles = [sheet.title for sheet in table.sheets]
    mappings: dict[str, dict[int, str]] = {}
    for key, value in choices.items():
        sheet, _, column = key.removeprefix("c").partition("_")
        if key.startswith("c") and sheet.isdigit() and column.isdigit() \
                and int(sheet) < len(titles) and (value in FIELDS or value == IGNORED):
            mappings.setdefault(titles[int(sheet)], {})[int(column)] = value
    village = choices.get("village", "").strip() or None
    return import_households(engine, found["commune_code"], table, found["file_name"],
                             actor, mappings=mappings, village=village, write=write,
                             partial=partial)


def _preview(request: Request, session: Any, found: dict[str, Any], choices: dict[str, str],
             status_code: int = 200, error: str | None = None) -> Response:
    engine = state(request).engine
    table = _read(found["content"], found["file_name"])
    try:
        result = _check(engine, found, table, choices)
    except ValueError as refused:  # a commune code the official list does not have
        return _upload_page(request, session, 422, str(refused))
    titles = [sheet.title for sheet in table.sheets]
    sheets = []
    for layout in result.check.layouts:
        index = titles.index(layout.sheet)
        sample = [row for row in result.check.rows if row.sheet == layout.sheet][:PREVIEW_ROWS]
        sheets.append({"index": index, "layout": layout, "sample": sample,
                       "letters": [column_letter(i) for i in range(len(layout.headers))]})
    flagged = [row for row in result.check.rows if row.status in (REFUSED, DUPLICATE)]
    # From the official list: the commune's row is made only by its first import.
    commune_name = commune(found["commune_code"]).name
    query = urlencode({key: value for key, value in choices.items() if key != "partial"})
    return render(request, "households_preview.html", session, status_code=status_code,
                  error=error, upload=found, result=result, counts=result.check.counts,
                  sheets=sheets, fields=FIELDS, flagged=flagged[:FLAGGED_SHOWN],
                  more_flagged=max(0, len(flagged) - FLAGGED_SHOWN), labels=STATUS_LABELS,
                  village=choices.get("village", ""), query=query,
                  commune_name=commune_name)
