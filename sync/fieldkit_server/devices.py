"""Admin actions on enrolled laptops."""

from sqlalchemy import Connection, Engine, select, update

from fieldkit.core.columns import utcnow
from fieldkit_server.audit import CLI_ACTOR, write_audit
from fieldkit_server.db import writing
from fieldkit_server.enrolment import CODE_DAYS, EnrolmentCode, add_enrolment_code
from fieldkit_server.tables import device


class NotRevoked(ValueError):
    """The laptop still has its access: there is nothing to readmit it to."""


def revoke_device(engine: Engine, device_id: str, actor: str = CLI_ACTOR) -> bool:
    """Stop the laptop's token working from now on; False if no such device.

    Revoking twice keeps the first time: the audit log tells when access really ended."""
    with writing(engine) as conn:
        row = conn.execute(select(device.c.revoked_at, device.c.commune_id)
                           .where(device.c.id == device_id)).first()
        if row is None:
            return False
        if row.revoked_at is None:
            conn.execute(update(device).where(device.c.id == device_id)
                         .values(revoked_at=utcnow()))
            write_audit(conn, actor, "revoke_device", device_id, row.commune_id)
    return True


def readmit_device(engine: Engine, device_id: str, actor: str = CLI_ACTOR) -> bool:
    """Let a revoked laptop enrol again (found again, or revoked by mistake); False if no
    such device. Its old token stays dead: access comes back only through an enrolment code
    from the officer, so it is handed back in person."""
    with writing(engine) as conn:
        row = conn.execute(select(device.c.revoked_at).where(device.c.id == device_id)).first()
        if row is None:
            return False
        if row.revoked_at is not None:
            _readmit(conn, device_id, actor)
    return True


def readmit_with_code(engine: Engine, device_id: str, actor: str,
                      days: int = CODE_DAYS) -> EnrolmentCode | None:
    """Readmit a revoked laptop and make the one-time code it enrols again with, for its own
    commune; None if no such device, NotRevoked if it was never revoked (or is readmitted
    already). One transaction: a readmitted laptop always has a code to come back with."""
    with writing(engine) as conn:
        row = conn.execute(select(device.c.revoked_at, device.c.commune_code)
                           .where(device.c.id == device_id)).first()
        if row is None:
            return None
        if row.revoked_at is None:
            raise NotRevoked(device_id)
        _readmit(conn, device_id, actor)
        return add_enrolment_code(conn, row.commune_code, actor, days)


def _readmit(conn: Connection, device_id: str, actor: str) -> None:
    commune_id = conn.execute(update(device).where(device.c.id == device_id)
                              .values(revoked_at=None, token_hash=f"readmitted:{device_id}")
                              .returning(device.c.commune_id)).scalar_one()
    write_audit(conn, actor, "readmit_device", device_id, commune_id)
