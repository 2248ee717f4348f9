"""Logging in and out of the commune's web pages.

Attempts are limited per client address (LOGIN_ATTEMPTS_PER_MINUTE), counted before the
password is checked so a guesser cannot use the scrypt check as a free oracle. Successful and
failed logins go to the audit log; a failure never says whether the user name exists.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from fieldkit.core.i18n import tr
from fieldkit_server.admins import check_admin_password
from fieldkit_server.audit import write_audit
from fieldkit_server.db import writing
from fieldkit_server.web.context import (
    Admin,
    CsrfForm,
    current_session,
    render,
    set_session,
    state,
)
from fieldkit_server.web.sessions import COOKIE_NAME

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path on this server: `//evil.example` or a full URL would send the officer away
    after logging in."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def _client(request: Request) -> str:
    return request.client.host if request.client else "?"


@router.get("/login")
def login_page(request: Request, next: str = "/") -> Response:
    session = current_session(request)
    if session is not None and session.username:
        return RedirectResponse(safe_next(next), status_code=303)
    session = session or state(request).signer.new(None)
    response = render(request, "login.html", session, next=safe_next(next))
    set_session(request, response, session)
    return response


@router.post("/login")
def login(request: Request, form: CsrfForm) -> Response:
    web = state(request)
    session = current_session(request)
    target = safe_next(str(form.get("next", "/")))
    if not web.login_limit.allow(_client(request)):
        return render(request, "login.html", session, status_code=429,
                      error=tr("Có quá nhiều lần đăng nhập từ máy này trong một phút. "
                               "Hãy đợi một phút rồi thử lại."),
                      next=target)
    username = str(form.get("username", "")).strip()[:64]
    password = str(form.get("password", ""))
    if not username or not check_admin_password(web.engine, username, password):
        with writing(web.engine) as conn:
            write_audit(conn, username or "?", "login_failed", f"từ {_client(request)}")
        return render(request, "login.html", session, status_code=401,
                      error=tr("Tên đăng nhập hoặc mật khẩu không đúng."),
                      next=target, username=username)
    with writing(web.engine) as conn:
        write_audit(conn, username, "login", f"từ {_client(request)}")
    response = RedirectResponse(target, status_code=303)
    set_session(request, response, web.signer.new(username))
    return response


@router.post("/logout")
def logout(request: Request, session: Admin,
                 _: CsrfForm) -> Response:
    with writing(state(request).engine) as conn:
        write_audit(conn, session.username or "?", "logout")
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(COOKIE_NAME, path="/")
    return response
