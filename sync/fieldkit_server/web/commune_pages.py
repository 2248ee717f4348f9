"""Choosing the commune the pages show, on a server shared by several communes.

The choice lives in the officer's signed session cookie, so it follows them from page to page
and is theirs alone: two officers of different communes on one server each see their own.
It is a POST with the CSRF token, like every other change the pages make.
"""

from __future__ import annotations

from dataclasses import replace

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from fieldkit_server.web.context import Admin, CsrfForm, served_communes, set_session
from fieldkit_server.web.login import safe_next

router = APIRouter()


@router.post("/commune")
def choose_commune(request: Request, session: Admin, form: CsrfForm) -> Response:
    typed = str(form.get("commune", "")).strip()
    codes = {code for code, _ in served_communes(request)}
    chosen = int(typed) if typed.isdigit() and int(typed) in codes else None
    response = RedirectResponse(safe_next(str(form.get("next", "/"))), status_code=303)
    set_session(request, response, replace(session, commune=chosen))
    return response
