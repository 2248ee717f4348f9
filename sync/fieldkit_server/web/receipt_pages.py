"""Import receipt: the text a USB scanner types from a printed declaration's QR code."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fieldkit.core.receipts import ReceiptError
from fieldkit_server.audit import write_audit
from fieldkit_server.db import writing
from fieldkit_server.web.context import Admin, CsrfForm, render, state
from fieldkit_server.web.receipt_import import import_receipt

router = APIRouter()


@router.get("/receipts")
def receipt_page(request: Request, session: Admin) -> Response:
    return render(request, "receipts.html", session)


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
        return render(request, "receipts.html", session, status_code=422, error=str(refusal))
    return render(request, "receipts.html", session, result=result)
