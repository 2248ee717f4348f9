"""Which enrolled laptop is calling: the bearer token checked against the device table.

Any failure (no header, unknown, expired or revoked token) is the same 401, so a caller
learns nothing about which tokens exist.
"""

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import Engine, select, update

from fieldkit.core.columns import as_utc, utcnow
from fieldkit_server.db import reading, writing
from fieldkit_server.tables import device
from fieldkit_server.tokens import digest

# How stale the devices page's "last seen" may be.
LAST_SEEN_STEP = timedelta(minutes=1)
NOT_AUTHENTICATED = ("Máy chưa được đăng ký, đã bị thu hồi hoặc mã truy cập đã hết hạn. "
                     "Hãy đăng ký lại máy với cán bộ xã.")


@dataclass(frozen=True)
class Device:
    id: str
    commune_id: str
    commune_code: int


def device_for_token(engine: Engine, token: str) -> Device | None:
    """The enrolled, unrevoked, unexpired device holding `token`, its last-seen time noted.

    The time is written at most once a minute: a sync sends a request per batch, and a write
    on every one would cost each batch a commit (a disk flush) for a time the officer reads
    to the minute."""
    now = utcnow()
    with reading(engine) as conn:
        row = conn.execute(select(device).where(device.c.token_hash == digest(token))).first()
    if row is None or row.revoked_at is not None or as_utc(row.expires_at) <= now:
        return None
    if row.last_seen_at is None or as_utc(row.last_seen_at) <= now - LAST_SEEN_STEP:
        with writing(engine) as conn:
            conn.execute(update(device).where(device.c.id == row.id).values(last_seen_at=now))
    return Device(row.id, row.commune_id, row.commune_code)


def bearer_token(authorization: str | None) -> str | None:
    """The token of an `Authorization: Bearer …` header, or None."""
    if not authorization:
        return None
    scheme, _, token = authorization.partition(" ")
    token = token.strip()
    if scheme.lower() != "bearer" or not token or len(token) > 256:
        return None
    return token
