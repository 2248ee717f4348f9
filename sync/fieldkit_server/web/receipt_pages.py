"""Import receipt: the text a USB scanner types from a printed declaration's QR code; below the
form, the receipts imported so far (the chosen commune's), newest first."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response
from sqlalchemy import select

from fieldkit.core.receipts import ReceiptError, reference_code
from fieldkit_server.audit import write_audit
from fieldkit_server.db import reading, writing
from fieldkit_server.tables import device, imported_receipt
from fieldkit_server.web.context import Admin, CsrfForm, chosen_commune, render, state
from fieldkit_server.web.form_texts import load_catalogue
from fieldkit_server.web.lists import Page, paged
from fieldkit_server.web.receipt_import import import_receipt
from fieldkit_server.web.sessions import WebSession

router = APIRouter()


@router.get("/receipts")
def receipt_page(request: Request, session: Admin, page: int = 1) -> Response:
    return render(request, "receipts.html", session, imported=_imported(request, session, page))


def _imported(request: Request, session: WebSession, page: int = 1) -> Page:
    query = (select(imported_receipt.c.record_id, imported_receipt.c.form_id,
                    imported_receipt.c.signed_at, imported_receipt.c.imported_at,
                    imported_receipt.c.imported_by, device.c.name.label("device"))
             .outerjoin(device, device.c.id == imported_receipt.c.device_id)
             .order_by(imported_receipt.c.imported_at.desc(), imported_receipt.c.record_id))
    if (only := chosen_commune(session)) is not None:
        query = query.where(device.c.commune_id == only)
    with reading(state(request).engine) as conn:
        result = paged(conn, query, page)
        catalogue = load_catalogue(conn)
    for row in result.rows:
        row["reference"] = reference_code(row["record_id"])
        row["title"] = catalogue.title(row["form_id"])
    return result


@router.post("/receipts")
def receipt_import(request: Request, session: Admin,
                         form: CsrfForm) -> Response:
    text = str(form.get("receipt", ""))
    engine = state(request).engine
    officer = session.username or "?"
    try:
        result = import_receipt(engine, text, officer)
    except ReceiptError as refusal:
        with writing(engine) as conn:
            write_audit(conn, officer, "receipt_refused", refusal.reason)
        return render(request, "receipts.html", session, status_code=422, error=str(refusal),
                      imported=_imported(request, session))
    return render(request, "receipts.html", session, result=result,
                  imported=_imported(request, session))
