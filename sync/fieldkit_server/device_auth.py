"""Which enrolled laptop is calling: the bearer token checked against the device table.

Every failure (no header, an unknown token, an expired one) is the same 401, so a caller
learns nothing about which tokens exist. One case says more: a token that belongs to a device
the commune revoked. Whoever presents it holds that very token, so telling them "revoked, at
this time" leaks nothing to anyone else, and it lets the laptop lock its store and tell the
volunteer why instead of asking for a new code it will not get ("remote disable"). That answer
is the same 401 with machine-readable fields beside the message:

    {"detail": "<Vietnamese message>", "reason": "revoked", "revoked_at": "<ISO 8601 UTC>"}

Tokens stay hashed (one indexed lookup by SHA-256 digest, whatever the outcome). A readmitted
device's old token hash is replaced, so after `readmit` the old token is simply unknown.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from fastapi import HTTPException, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine, or_, select, update

from fieldkit.core.columns import as_utc, utcnow
from fieldkit.core.i18n import tr
from fieldkit_server.audit import write_audit
from fieldkit_server.db import reading, writing
from fieldkit_server.tables import device
from fieldkit_server.tokens import digest

# How stale the devices page's "last seen" may be.
LAST_SEEN_STEP = timedelta(minutes=1)
NOT_AUTHENTICATED = ("Máy chưa được đăng ký, đã bị thu hồi hoặc mã truy cập đã hết hạn. "
                     "Hãy đăng ký lại máy với cán bộ xã.")
REVOKED_REASON = "revoked"
REVOKED = ("Máy này đã bị cán bộ xã thu hồi quyền đồng bộ lúc {time} (giờ UTC). Máy sẽ tự khóa "
           "dữ liệu nhưng không xóa gì; hãy gặp cán bộ kỹ thuật của xã để được cho đăng ký lại.")
TOLD_REVOKED = "told_revoked"
CHALLENGE = {"WWW-Authenticate": "Bearer"}


@dataclass(frozen=True)
class Device:
    id: str
    commune_id: str
    commune_code: int


class TokenRevoked(HTTPException):
    """401 for the holder of a revoked device's own token; `revoked_answer` renders it."""

    def __init__(self, revoked_at: datetime) -> None:
        self.revoked_at = as_utc(revoked_at)
        super().__init__(401, tr(REVOKED).format(time=f"{self.revoked_at:%H:%M %d/%m/%Y}"),
                         headers={"WWW-Authenticate": 'Bearer error="invalid_token"'})


async def revoked_answer(_request: Request, exc: Exception) -> JSONResponse:
    """The exception handler for TokenRevoked: FastAPI's own shape (`detail`) plus the reason
    and the time, for the laptop to act on."""
    assert isinstance(exc, TokenRevoked)
    return JSONResponse({"detail": exc.detail, "reason": REVOKED_REASON,
                         "revoked_at": exc.revoked_at.isoformat()},
                        status_code=401, headers=exc.headers)


def not_authenticated() -> HTTPException:
    return HTTPException(401, tr(NOT_AUTHENTICATED), headers=dict(CHALLENGE))


def authenticate(engine: Engine, authorization: str | None) -> Device | HTTPException:
    """The calling device, or the 401 to answer: TokenRevoked for a revoked device's own token,
    the generic refusal for anything else."""
    token = bearer_token(authorization)
    if token is None:
        return not_authenticated()
    found = _check(engine, token)
    return not_authenticated() if found is None else found


def device_for_token(engine: Engine, token: str) -> Device | None:
    """The enrolled, unrevoked, unexpired device holding `token`, its last-seen time noted."""
    found = _check(engine, token)
    return found if isinstance(found, Device) else None


def _check(engine: Engine, token: str) -> Device | TokenRevoked | None:
    """The time is written at most once a minute: a sync sends a request per batch, and a write
    on every one would cost each batch a commit (a disk flush) for a time the officer reads
    to the minute."""
    now = utcnow()
    with reading(engine) as conn:
        row = conn.execute(select(device).where(device.c.token_hash == digest(token))).first()
    if row is None:
        return None
    if row.revoked_at is not None:
        # Revoked before expiry is checked: an expired token of a revoked laptop still hears
        # the truth, since a new code alone would not let it back in.
        revoked_at = as_utc(row.revoked_at)
        if row.last_seen_at is None or as_utc(row.last_seen_at) <= revoked_at:
            _note_told(engine, row.id, revoked_at)  # a write only on the first contact
        return TokenRevoked(revoked_at)
    if as_utc(row.expires_at) <= now:
        return None
    if row.last_seen_at is None or as_utc(row.last_seen_at) <= now - LAST_SEEN_STEP:
        with writing(engine) as conn:
            conn.execute(update(device).where(device.c.id == row.id).values(last_seen_at=now))
    return Device(row.id, row.commune_id, row.commune_code)


def _note_told(engine: Engine, device_id: str, revoked_at: datetime) -> None:
    """The first contact after the revocation is audited (the officer learns the laptop got
    the word and locked itself) and seen; later ones, until it is readmitted, are not. The
    conditional update makes the first contact the only one, even for concurrent requests."""
    now = utcnow()
    with writing(engine) as conn:
        first = conn.execute(
            update(device).where(device.c.id == device_id,
                                 or_(device.c.last_seen_at.is_(None),
                                     device.c.last_seen_at <= revoked_at))
            .values(last_seen_at=now)).rowcount == 1
        if first:
            write_audit(conn, device_id, TOLD_REVOKED,
                        "máy bị thu hồi đã liên lạc và được báo; máy tự khóa dữ liệu")


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer …` header, or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 256:
        return None
    return token
