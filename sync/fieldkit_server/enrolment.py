"""Enrolling a laptop: a one-time code made by the commune, exchanged for a device token.

The code is short enough to type from paper (or scanned from its QR) and lives a few days;
the token is long, random and lives months. Both are stored as digests only. The commune's
own row is made when its first code is, so the server can hold rows of every commune it serves.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, Row, insert, select, update

from fieldkit.core.columns import utcnow
from fieldkit.core.communes import commune
from fieldkit.core.ids import commune_id
from fieldkit.core.models import Commune
from fieldkit.core.sync_protocol import EnrollRequest, EnrollResponse
from fieldkit_server.audit import CLI_ACTOR, write_audit
from fieldkit_server.change_feed import lock_feed, log_change
from fieldkit_server.db import writing
from fieldkit_server.tables import device, enrolment_code
from fieldkit_server.tokens import digest, new_enrolment_code, new_token, normalise_code

CODE_DAYS = 7
TOKEN_DAYS = 180
REFUSED = ("Mã đăng ký không đúng, đã được dùng hoặc đã hết hạn. "
           "Hãy xin cán bộ xã một mã mới.")
BAD_KEY = "Khóa công khai của máy không hợp lệ; hãy cập nhật FieldKit rồi thử lại."
REVOKED = "Máy này đã bị cán bộ xã thu hồi nên không đăng ký lại được; hãy liên hệ cán bộ xã."
OTHER_LAPTOP = ("Mã thiết bị này đã được đăng ký với khóa khác hoặc cho xã khác; "
                "hãy liên hệ cán bộ xã.")

COMMUNES = Commune.__table__  # type: ignore[attr-defined]


class EnrolmentRefused(Exception):
    """Why a laptop may not enrol, in Vietnamese for the volunteer's screen."""


@dataclass(frozen=True)
class EnrolmentCode:
    code: str
    commune_code: int
    expires_at: datetime


def ensure_commune(conn: Connection, code: int) -> str:
    """The commune's row (made now, at server version 1, if missing); returns its id.

    The row is logged in the feed under its own commune so its laptops pull it and learn the
    server's version of it."""
    info = commune(code)
    row_id = commune_id(code)
    if conn.execute(select(COMMUNES.c.id).where(COMMUNES.c.id == row_id)).first() is None:
        lock_feed(conn)
        conn.execute(insert(COMMUNES).values(
            id=row_id, version=1, updated_at=utcnow(), device_id="", deleted=False, demo=False,
            code=info.code, name=info.name, province_code=info.province_code,
            province_name=info.province_name))
        log_change(conn, "commune", row_id, 1, row_id, None)
    return row_id


def create_enrolment_code(engine: Engine, commune_code: int, created_by: str = CLI_ACTOR,
                          days: int = CODE_DAYS) -> EnrolmentCode:
    """A new one-time code for a laptop of `commune_code` (ValueError for an unknown commune
    or a lifetime under one day)."""
    with writing(engine) as conn:
        return add_enrolment_code(conn, commune_code, created_by, days)


def add_enrolment_code(conn: Connection, commune_code: int, created_by: str,
                       days: int = CODE_DAYS) -> EnrolmentCode:
    """`create_enrolment_code` inside the caller's transaction, so a code can be made together
    with what it is for (a readmitted laptop) or not at all."""
    if days < 1:
        raise ValueError("Mã đăng ký phải có hạn ít nhất 1 ngày.")
    code = new_enrolment_code()
    expires_at = utcnow() + timedelta(days=days)
    row_id = ensure_commune(conn, commune_code)
    conn.execute(insert(enrolment_code).values(
        code_hash=digest(code), commune_code=commune_code, created_at=utcnow(),
        expires_at=expires_at, created_by=created_by[:64]))
    write_audit(conn, created_by, "create_enrolment_code",
                f"xã {commune_code}, hết hạn {expires_at:%Y-%m-%d %H:%M} UTC", row_id)
    return EnrolmentCode(code, commune_code, expires_at)


def enroll_device(engine: Engine, request: EnrollRequest,
                  token_days: int = TOKEN_DAYS) -> EnrollResponse:
    """Spend the code and register the laptop, or give a registered laptop a fresh token;
    EnrolmentRefused leaves everything unchanged.

    Enrolling is safe to repeat, because its answer can be lost after the server committed:
    the laptop that spent a code may present it again while the code is valid, and a
    registered laptop whose token was lost or ran out may present a new code. Either way the
    token is replaced, so the one in a lost answer never works."""
    code_hash = digest(normalise_code(request.code))
    try:
        bytes.fromhex(request.public_key)
    except ValueError:
        raise EnrolmentRefused(BAD_KEY) from None
    now = utcnow()
    with writing(engine) as conn:
        # Spent by a conditional update: of two laptops racing with one code, the second
        # waits on the first's row lock, then finds the code used.
        spent = conn.execute(
            update(enrolment_code)
            .where(enrolment_code.c.code_hash == code_hash, enrolment_code.c.used_at.is_(None),
                   enrolment_code.c.expires_at > now)
            .values(used_at=now, used_by=request.device_id)).rowcount == 1
        # The code just spent, or one this laptop spent before and presents again in time.
        code = conn.execute(select(enrolment_code.c.commune_code).where(
            enrolment_code.c.code_hash == code_hash, enrolment_code.c.expires_at > now,
            enrolment_code.c.used_by == request.device_id)).scalar()
        if code is None:
            raise EnrolmentRefused(REFUSED)
        info = commune(code)
        token, expires_at = new_token(), now + timedelta(days=token_days)
        enrolled = conn.execute(select(device).where(device.c.id == request.device_id)).first()
        if enrolled is None:
            conn.execute(insert(device).values(
                id=request.device_id, name=request.device_name, commune_id=commune_id(info.code),
                commune_code=info.code, token_hash=digest(token), public_key=request.public_key,
                enrolled_at=now, expires_at=expires_at))
            action = "enroll"
        else:
            _check_same_laptop(enrolled, request, info.code)
            conn.execute(update(device).where(device.c.id == request.device_id).values(
                name=request.device_name, token_hash=digest(token), expires_at=expires_at))
            action = "reenroll" if spent else "enroll_retry"
        write_audit(conn, request.device_id, action,
                    f"xã {info.code}, máy “{request.device_name}”", commune_id(info.code))
    return EnrollResponse(token=token, expires_at=expires_at, commune_code=info.code,
                          commune_id=commune_id(info.code), commune_name=info.name)


def _check_same_laptop(enrolled: Row[Any], request: EnrollRequest, code: int) -> None:
    """A registered device id gets a new token only as the laptop it was registered as.

    Device ids travel in every synced row, so presenting one proves nothing: a revoked
    laptop stays out, and a request with another key or another commune's code is refused
    rather than allowed to take the registration over."""
    if enrolled.revoked_at is not None:
        raise EnrolmentRefused(REVOKED)
    if enrolled.public_key != request.public_key or enrolled.commune_code != code:
        raise EnrolmentRefused(OTHER_LAPTOP)
