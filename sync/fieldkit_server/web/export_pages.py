"""Downloads for the province: CSV or XLSX of one kind of record, each one audited.

Downloads are POSTs with the CSRF token: an export copies personal data out of the server,
so it must be the officer's own click, and the audit log says who took which file.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fieldkit.core.i18n import tr
from fieldkit_server.audit import write_audit
from fieldkit_server.db import reading, writing
from fieldkit_server.web.context import Admin, CsrfForm, chosen_commune, render, state
from fieldkit_server.web.export import EXPORTS, file_name, to_csv, to_xlsx
from fieldkit_server.web.figures import COMMUNE_TIME
from fieldkit_server.web.form_texts import load_catalogue

router = APIRouter()
FORMATS = {
    "csv": (to_csv, "text/csv; charset=utf-8"),
    "xlsx": (to_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


@router.get("/export")
def export_page(request: Request, session: Admin) -> Response:
    return render(request, "export.html", session, exports=EXPORTS)


@router.post("/export")
def export(request: Request, session: Admin,
                 form: CsrfForm) -> Response:
    kind, fmt = str(form.get("kind", "")), str(form.get("format", ""))
    if kind not in EXPORTS or fmt not in FORMATS:
        return render(request, "export.html", session, exports=EXPORTS, status_code=400,
                      error=tr("Hãy chọn loại dữ liệu và định dạng tệp."))
    chosen = EXPORTS[kind]
    write, media_type = FORMATS[fmt]
    engine = state(request).engine
    with reading(engine) as conn:
        content = write(chosen, chosen.rows(conn, load_catalogue(conn), chosen_commune(session)))
    name = file_name(kind, fmt, datetime.now(COMMUNE_TIME).date())
    with writing(engine) as conn:
        write_audit(conn, session.username or "?", "export", f"{name} ({len(content)} byte)",
                    chosen_commune(session))
    return Response(content, media_type=media_type, headers={
        "Content-Disposition": f"attachment; filename=\"{name}\"; "
                               f"filename*=UTF-8''{quote(name)}",
        "Cache-Control": "no-store"})
