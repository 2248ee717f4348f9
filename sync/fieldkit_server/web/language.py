"""The language of the officer's pages: Vietnamese, or English for an officer who asks for it.

The choice is a cookie set by the switch in the page header; without one, the browser's
Accept-Language decides, and Vietnamese wins unless the browser ranks English above it. Each
request runs inside `language(code)`, so `tr` answers in that language in templates and
handlers alike without a handler passing the language along. The sync API goes through the
same door: a laptop sends no cookie but the Accept-Language of its own setting, so refusals
and quarantine reasons reach the volunteer in the language of their screen.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from jinja2 import Environment
from markupsafe import Markup, escape
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Receive, Scope, Send

from fieldkit.core.i18n import LANGUAGES, SOURCE_LANGUAGE, current_language, language, tr
from fieldkit_server.web.login import safe_next

COOKIE_NAME = "fieldkit_language"
COOKIE_MAX_AGE = 365 * 24 * 60 * 60
CATALOGUE = Path(__file__).resolve().with_name("i18n_en.json")
NAMES = {"vi": "Tiếng Việt", "en": "English"}
"""Each language named in itself, so an officer finds theirs whatever the page is in."""

router = APIRouter()


def preferred(accept_language: str) -> str:
    """The language of LANGUAGES the browser ranks highest ("en-GB,en;q=0.9,vi;q=0.8" → en);
    Vietnamese when it names none of them."""
    best, best_weight = SOURCE_LANGUAGE, 0.0
    for part in accept_language.split(",")[:20]:
        tag, _, parameters = part.partition(";")
        code = tag.strip().lower().split("-")[0]
        weight = 1.0
        name, _, value = parameters.strip().partition("=")
        if name.strip() == "q":
            try:
                weight = float(value)
            except ValueError:
                continue
        if code in LANGUAGES and weight > best_weight:
            best, best_weight = code, weight
    return best


def chosen_language(connection: HTTPConnection) -> str:
    cookie = connection.cookies.get(COOKIE_NAME, "")
    if cookie in LANGUAGES:
        return cookie
    return preferred(connection.headers.get("accept-language", ""))


class LanguageMiddleware:
    """Runs every request inside `language(...)`: the officer's choice for the pages, the
    laptop's for the sync API."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with language(chosen_language(HTTPConnection(scope))):
            await self.app(scope, receive, send)


@router.get("/language/{code}")
def switch_language(request: Request, code: str, next: str = "/") -> Response:
    """Remember the officer's language and go back to the page they were on. A plain link
    rather than a form: it changes nothing but how the pages read, so it needs no CSRF token
    and works on the login page too."""
    response = RedirectResponse(safe_next(next), status_code=303)
    if code in LANGUAGES:
        response.set_cookie(COOKIE_NAME, code, max_age=COOKIE_MAX_AGE, httponly=True,
                            samesite="lax", secure=request.url.scheme == "https", path="/")
    return response


def page_text(text: str, **values: Any) -> str:
    """`tr` for templates. With values, the translation is filled in as markup and the values
    escaped unless they are markup already, so a sentence holding a link or a bold date is
    translated whole rather than cut into fragments that translate badly."""
    translated = tr(text)
    if not values:
        return translated
    return Markup(escape(translated)).format(**values)


def pick(labels: tuple[str, str]) -> str:
    """The current language's half of a (Vietnamese, English) label pair from core."""
    return labels[0] if current_language() == SOURCE_LANGUAGE else labels[1]


def install(environment: Environment) -> None:
    """What every template needs to speak the officer's language."""
    environment.globals["tr"] = page_text
    environment.globals["current_language"] = current_language
    environment.globals["language_names"] = NAMES
    environment.filters["tr"] = tr
    environment.filters["pick"] = pick
