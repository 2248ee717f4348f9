"""How values are written into synced columns, the same way on the laptop and the server."""

import json
from datetime import UTC, datetime


def utcnow() -> datetime:
    """Aware UTC, as SQLModel's datetime columns require on both the laptop and the server."""
    return datetime.now(UTC)


def dumps_codes(codes: list[str]) -> str:
    """JSON list columns are stored compact and sorted, so equal sets compare equal."""
    return json.dumps(sorted(set(codes)), ensure_ascii=False, separators=(",", ":"))


def loads_codes(text: str) -> list[str]:
    return list(json.loads(text))
