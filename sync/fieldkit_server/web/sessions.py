"""The admin's browser session: a signed cookie holding who is logged in and a CSRF token.

Signed, not stored: the server keeps no session table, and a cookie changed by hand fails
the HMAC check. The cookie is HttpOnly (scripts cannot read it) and SameSite=Strict (another
site's page cannot make the browser send it), and every POST form also carries the session's
CSRF token, so a forged form fails even in a browser that ignores SameSite.

A visitor who is not logged in gets an anonymous session too, so the login form itself has a
CSRF token: otherwise another site could log the officer's browser into an account of its
choosing.

The session also remembers which commune the officer chose to look at, on a server shared by
several communes (None: all of them).

The signing key comes from `FIELDKIT_WEB_SECRET` when set, otherwise from the database (see
`session_secret`), so a restart keeps officers logged in and every server process accepts the
cookie another one signed.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import time
from dataclasses import dataclass

COOKIE_NAME = "fieldkit_session"
SECRET_ENV = "FIELDKIT_WEB_SECRET"
# A working day: the officer logs in in the morning and is not asked again before evening.
LIFETIME_SECONDS = 10 * 60 * 60


@dataclass(frozen=True)
class WebSession:
    username: str | None
    csrf: str
    expires: int
    commune: int | None = None  # official code of the commune chosen; None for all


class SessionSigner:
    def __init__(self, secret: bytes) -> None:
        self.secret = secret

    def new(self, username: str | None) -> WebSession:
        """A fresh session with a new CSRF token: logging in replaces the anonymous one, so a
        token seen before login is worthless after it."""
        return WebSession(username, secrets.token_urlsafe(24),
                          int(time.time()) + LIFETIME_SECONDS)

    def dump(self, session: WebSession) -> str:
        body = json.dumps({"u": session.username, "c": session.csrf, "e": session.expires,
                           "k": session.commune}, separators=(",", ":")).encode()
        encoded = base64.urlsafe_b64encode(body).decode().rstrip("=")
        return f"{encoded}.{self._sign(encoded)}"

    def load(self, cookie: str | None) -> WebSession | None:
        """The session in `cookie`, or None if it is missing, altered or expired."""
        if not cookie or "." not in cookie or len(cookie) > 1024:
            return None
        encoded, _, signature = cookie.rpartition(".")
        if not hmac.compare_digest(signature, self._sign(encoded)):
            return None
        try:
            data = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)))
            commune = data.get("k")
            session = WebSession(data["u"], str(data["c"]), int(data["e"]),
                                 None if commune is None else int(commune))
        except (ValueError, KeyError, TypeError):
            return None
        if session.expires <= time.time():
            return None
        return session

    def _sign(self, encoded: str) -> str:
        return hmac.new(self.secret, encoded.encode(), hashlib.sha256).hexdigest()


def csrf_matches(session: WebSession | None, submitted: str | None) -> bool:
    return (session is not None and bool(submitted)
            and hmac.compare_digest(session.csrf, submitted or ""))
