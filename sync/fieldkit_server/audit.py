"""The audit trail: who did what on the server, written in the same transaction as the deed,
so an action and its record stand or fall together."""

from sqlalchemy import Connection, insert

from fieldkit.core.columns import utcnow
from fieldkit_server.tables import audit_log

CLI_ACTOR = "cli"


def write_audit(conn: Connection, actor: str, action: str, detail: str = "",
                commune_id: str | None = None) -> None:
    """Record `action` by `actor` (an admin user name, a device id or "cli"); `commune_id`
    names the commune it concerns, when it concerns one, so a shared server's officer can
    read one commune's entries."""
    conn.execute(insert(audit_log).values(at=utcnow(), actor=actor[:64], action=action[:32],
                                          detail=detail, commune_id=commune_id))
