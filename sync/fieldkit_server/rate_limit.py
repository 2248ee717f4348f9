"""A per-client limit on attempts, for the one endpoint open without a token (enrolment).

Kept in memory: a restart forgets it, which only helps someone already allowed in. With
80-bit codes the limit is not what keeps guessers out; it keeps a broken or hostile client
from filling the audit log and the database's attention.
"""

import threading
import time
from collections import defaultdict, deque


class RateLimit:
    def __init__(self, attempts: int, per_seconds: float) -> None:
        self.attempts = attempts
        self.per_seconds = per_seconds
        self._seen: dict[str, deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def allow(self, client: str) -> bool:
        """Count one attempt by `client`; False once it has used up its window."""
        now = time.monotonic()
        with self._lock:
            seen = self._seen[client]
            while seen and seen[0] <= now - self.per_seconds:
                seen.popleft()
            if len(seen) >= self.attempts:
                return False
            seen.append(now)
            return True
