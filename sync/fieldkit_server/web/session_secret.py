"""The key that signs the officers' login cookies, drawn once and kept in the database.

Kept there rather than drawn per process: a restart (a Windows update on the office PC) then
keeps officers logged in, and the workers of `serve --workers N` accept each other's cookies
without any setting. `FIELDKIT_WEB_SECRET` still wins when set, for a province that manages
its keys itself.
"""

from __future__ import annotations

import os
import secrets

from sqlalchemy import Engine, insert, select
from sqlalchemy.exc import IntegrityError

from fieldkit.core.columns import utcnow
from fieldkit_server.db import reading, writing
from fieldkit_server.tables import server_secret
from fieldkit_server.web.sessions import SECRET_ENV

NAME = "web_session"


def session_secret(engine: Engine) -> bytes:
    """The configured key, else the stored one, made now if this is the first start."""
    configured = os.environ.get(SECRET_ENV, "")
    if configured:
        return configured.encode()
    stored = _stored(engine)
    if stored is None:
        try:
            with writing(engine) as conn:
                conn.execute(insert(server_secret).values(
                    name=NAME, value=secrets.token_hex(32), created_at=utcnow()))
        except IntegrityError:
            pass  # another worker starting at the same moment stored its key first
        stored = _stored(engine)
        assert stored is not None
    return bytes.fromhex(stored)


def _stored(engine: Engine) -> str | None:
    with reading(engine) as conn:
        return conn.execute(select(server_secret.c.value)
                            .where(server_secret.c.name == NAME)).scalar_one_or_none()
