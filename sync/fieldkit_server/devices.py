"""Admin actions on enrolled laptops."""

from sqlalchemy import Engine, select, update

from fieldkit.core.columns import utcnow
from fieldkit_server.audit import CLI_ACTOR, write_audit
from fieldkit_server.db import writing
from fieldkit_server.tables import device


def revoke_device(engine: Engine, device_id: str, actor: str = CLI_ACTOR) -> bool:
    """Stop the laptop's token working from now on; False if no such device.

    Revoking twice keeps the first time: the audit log tells when access really ended."""
    with writing(engine) as conn:
        row = conn.execute(select(device.c.revoked_at).where(device.c.id == device_id)).first()
        if row is None:
            return False
        if row.revoked_at is None:
            conn.execute(update(device).where(device.c.id == device_id)
                         .values(revoked_at=utcnow()))
            write_audit(conn, actor, "revoke_device", device_id)
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
            conn.execute(update(device).where(device.c.id == device_id)
                         .values(revoked_at=None, token_hash=f"readmitted:{device_id}"))
            write_audit(conn, actor, "readmit_device", device_id)
    return True
