"""How values are written into synced columns, the same way on the laptop and the server."""

import json
from datetime import UTC, datetime


def utcnow() -> datetime:
    """Aware UTC, as SQLModel's datetime columns require on both the laptop and the server."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """A stored time as aware UTC. SQLite keeps the UTC instant written by `utcnow` but not its
    zone, and a naive value would be taken for local time (7 hours off in Vietnam)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


def dumps_codes(codes: list[str]) -> str:
    """JSON list columns are stored compact and sorted, so equal sets compare equal."""
    return json.dumps(sorted(set(codes)), ensure_ascii=False, separators=(",", ":"))


def loads_codes(text: str) -> list[str]:
    return list(json.loads(text))
