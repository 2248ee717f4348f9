"""Which enrolled laptop is calling: the bearer token checked against the device table.

Any failure (no header, unknown, expired or revoked token) is the same 401, so a caller
learns nothing about which tokens exist.
"""

from dataclasses import dataclass

from sqlalchemy import Engine, select, update

from fieldkit.core.columns import as_utc, utcnow
from fieldkit_server.db import writing
from fieldkit_server.tables import device
from fieldkit_server.tokens import digest

NOT_AUTHENTICATED = ("Máy chưa được đăng ký, đã bị thu hồi hoặc mã truy cập đã hết hạn. "
                     "Hãy đăng ký lại máy với cán bộ xã.")


@dataclass(frozen=True)
class Device:
    id: str
    commune_id: str
    commune_code: int


def device_for_token(engine: Engine, token: str) -> Device | None:
    """The enrolled, unrevoked, unexpired device holding `token`, its last-seen time noted."""
    now = utcnow()
    with writing(engine) as conn:
        row = conn.execute(select(device).where(device.c.token_hash == digest(token))).first()
        if row is None or row.revoked_at is not None or as_utc(row.expires_at) <= now:
            return None
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
