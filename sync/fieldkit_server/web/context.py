"""What every page handler needs: the database, the session, CSRF checks and rendering.

Handlers ask for the logged-in admin with `require_admin`; a visitor without a valid session
is sent to the login page (a `LoginRequired` exception the app turns into a redirect), so no
page can forget the check by accident and render anyway.

On a server shared by several communes the officer picks one in the page header (see
`commune_pages`); handlers filter by `chosen_commune(session)`, None meaning every commune.
Admin accounts are global: the choice is a view, not a permission.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy import Engine, select

from fieldkit.core.ids import commune_id
from fieldkit.core.models import Commune
from fieldkit_server.db import reading
from fieldkit_server.rate_limit import RateLimit
from fieldkit_server.tables import admin
from fieldkit_server.web.display import local_date, local_time
from fieldkit_server.web.session_secret import session_secret
from fieldkit_server.web.sessions import (
    COOKIE_NAME,
    LIFETIME_SECONDS,
    SessionSigner,
    WebSession,
    csrf_matches,
)

TEMPLATES_DIR = Path(__file__).resolve().parent / "templates"
STATIC_DIR = Path(__file__).resolve().parent / "static"
LOGIN_ATTEMPTS_PER_MINUTE = 10
COMMUNES = Commune.__table__  # type: ignore[attr-defined]


class LoginRequired(Exception):
    """Raised by `require_admin`; answered with a redirect to the login page."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class CsrfRefused(Exception):
    """A POST without the session's CSRF token; answered 403."""


@dataclass
class WebState:
    engine: Engine
    signer: SessionSigner
    login_limit: RateLimit
    templates: Jinja2Templates


def make_state(engine: Engine) -> WebState:
    templates = Jinja2Templates(directory=str(TEMPLATES_DIR))
    templates.env.filters["local_time"] = local_time
    templates.env.filters["local_date"] = local_date
    templates.env.filters["number"] = lambda n: f"{n:,}".replace(",", ".")
    templates.env.globals["page_link"] = page_link
    return WebState(engine, SessionSigner(session_secret(engine)),
                    RateLimit(LOGIN_ATTEMPTS_PER_MINUTE, 60.0), templates)


def page_link(request: Request, page: int) -> str:
    """The current page's address at another page number, every other filter kept."""
    query = [(key, value) for key, value in request.query_params.multi_items()
             if key != "page"]
    return "?" + urlencode([*query, ("page", str(page))])


def state(request: Request) -> WebState:
    return request.app.state.web


def current_session(request: Request) -> WebSession | None:
    return state(request).signer.load(request.cookies.get(COOKIE_NAME))


def require_admin(request: Request) -> WebSession:
    """The session of an enabled admin, or LoginRequired. The account is read on every
    request so disabling an admin ends their session at once, not when the cookie expires."""
    session = current_session(request)
    if session is not None and session.username is not None:
        with reading(state(request).engine) as conn:
            disabled = conn.execute(select(admin.c.disabled).where(
                admin.c.username == session.username)).scalar_one_or_none()
        if disabled is False:
            return session
    target = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    raise LoginRequired(target)


async def require_csrf(request: Request) -> dict[str, Any]:
    """The POSTed form, once its CSRF token matches the session's; CsrfRefused otherwise."""
    form = await request.form()
    token = form.get("csrf_token")
    if not csrf_matches(current_session(request), token if isinstance(token, str) else None):
        raise CsrfRefused
    return dict(form)


Admin = Annotated[WebSession, Depends(require_admin)]
"""A handler parameter of this type runs only for a logged-in admin."""
CsrfForm = Annotated[dict[str, Any], Depends(require_csrf)]
"""A handler parameter of this type is the POSTed form, its CSRF token already checked."""


def set_session(request: Request, response: Response, session: WebSession) -> None:
    response.set_cookie(COOKIE_NAME, state(request).signer.dump(session),
                        max_age=LIFETIME_SECONDS, httponly=True, samesite="strict",
                        secure=request.url.scheme == "https", path="/")


def chosen_commune(session: WebSession) -> str | None:
    """The id of the commune the officer chose to look at; None for all of them."""
    return None if session.commune is None else commune_id(session.commune)


def served_communes(request: Request) -> list[tuple[int, str]]:
    """(official code, name) of the communes this server holds, by name."""
    with reading(state(request).engine) as conn:
        return [(code, name) for code, name in conn.execute(
            select(COMMUNES.c.code, COMMUNES.c.name).where(COMMUNES.c.deleted.is_(False))
            .order_by(COMMUNES.c.name, COMMUNES.c.code))]


def render(request: Request, template: str, session: WebSession | None,
           status_code: int = 200, **values: Any) -> HTMLResponse:
    # The header's commune selector, shown only when there is a choice to make.
    communes = served_communes(request) if session and session.username else []
    response = state(request).templates.TemplateResponse(
        request, template, {"session": session, "path": request.url.path,
                            "served_communes": communes if len(communes) > 1 else [],
                            **values},
        status_code=status_code)
    # Pages show personal data: never kept by a shared browser's cache or shown in a frame.
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'")
    return response


def login_redirect(next_path: str) -> RedirectResponse:
    return RedirectResponse(f"/login?next={quote(next_path, safe='')}", status_code=303)
