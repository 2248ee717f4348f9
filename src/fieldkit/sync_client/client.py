"""HTTP to the commune server, made for a signal that comes and goes.

- Request bodies are gzip-compressed (a village link is slow; JSON of Vietnamese rows shrinks
  to about a fifth) and responses are accepted gzip-compressed.
- Transport failures (refused or cut connections, timeouts, a body cut short), 5xx and 429 are
  tried again with exponential back-off and full jitter, so laptops that regain signal together
  do not hit the server in step; a `Retry-After` from the server is honoured. Attempts are
  bounded: past them the caller gets `Unreachable` and everything stays queued for later.
- Any other 4xx is an answer, not a hiccup: it is raised at once with the server's reason.
  401 means the laptop is not (or no longer) enrolled; a 401 whose body says `"reason":
  "revoked"` means the commune revoked this laptop (the server says so only to the holder of
  the revoked token): `Revoked` is raised, after the client's `on_revoked` hook has run (the
  store's client locks the store there, see `fieldkit.sync_client.store_client`).
- Only idempotent requests are retried after the request may have reached the server: pull,
  and push (the server answers a repeated batch with its stored answer). Enrolment spends a
  one-time code, so it is retried only when the connection was never made.
- Back-off waits on the caller's cancel event, so "Cancel" takes effect at once.
"""

from __future__ import annotations

import gzip
import json
import random
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from email.utils import parsedate_to_datetime
from typing import Any

import orjson
import requests
from requests.adapters import HTTPAdapter

from fieldkit.core.columns import as_utc, utcnow
from fieldkit.core.i18n import current_language, tr
from fieldkit.core.revocation import REVOKED, disabled_message

NOT_ENROLLED = ("Máy chủ không nhận máy này: chưa đăng ký, quyền đồng bộ đã hết hạn, hoặc đã "
                "bị cán bộ xã thu hồi. Hãy xin cán bộ xã một mã đăng ký mới rồi đăng ký lại "
                "máy (máy đã bị thu hồi thì cán bộ xã phải xem lại trước). Dữ liệu vẫn nằm an "
                "toàn trên máy.")
UNREACHABLE = ("Không kết nối được máy chủ xã ({detail}). Dữ liệu vẫn nằm an toàn trên máy; "
               "hãy đồng bộ lại khi có sóng.")
BAD_ANSWER = "Máy chủ xã trả lời không đúng giao thức ({detail})."
REFUSED = "Máy chủ xã từ chối yêu cầu ({status}): {reason}"
# The longest wait a server may ask for before the laptop gives up for this time.
MAX_RETRY_AFTER = 120.0


class SyncError(Exception):
    """A sync problem the volunteer can act on; the message is shown as it is."""


class NotEnrolled(SyncError):
    """401: no device token, or one the server no longer accepts."""


class Revoked(NotEnrolled):
    """401 with reason "revoked": the commune revoked this laptop. Its message is the one the
    volunteer reads (when, which server, data kept, what to do)."""

    def __init__(self, message: str, revoked_at: datetime | None = None) -> None:
        super().__init__(message)
        self.revoked_at = revoked_at


class Refused(SyncError):
    """A 4xx answer: trying again would get the same answer."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(tr(REFUSED).format(status=status, reason=reason))
        self.status = status
        self.reason = reason


class Unreachable(SyncError):
    """Every attempt failed in transport or with a 5xx/429."""


class Cancelled(Exception):
    """The volunteer pressed Cancel; nothing half-done is left behind."""


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 6
    base_delay: float = 0.5
    max_delay: float = 30.0

    def delay(self, attempt: int, rng: random.Random) -> float:
        """Full jitter: anywhere between 0 and the exponential ceiling."""
        return rng.uniform(0.0, min(self.max_delay, self.base_delay * 2 ** attempt))


@dataclass
class Traffic:
    """What a client has done, for reports and for tests that count round trips."""

    requests: int = 0
    retries: int = 0
    bytes_sent: int = 0


class SyncClient:
    """One server, one token, one `requests.Session` (kept-alive connections)."""

    def __init__(self, base_url: str, token: str | None = None, *,
                 timeout: float | tuple[float, float] = (10.0, 60.0),
                 retry: RetryPolicy | None = None, cancel: threading.Event | None = None,
                 rng: random.Random | None = None,
                 on_revoked: Callable[[datetime | None], None] | None = None) -> None:
        self.base_url = base_url.rstrip("/")
        self.token = token
        # Called with the revocation time (or None) before Revoked is raised, whatever the
        # request: the laptop must lock at its first contact, not at its next full sync.
        self.on_revoked = on_revoked
        self.timeout = timeout
        self.retry = retry or RetryPolicy()
        self.cancel = cancel or threading.Event()
        self.traffic = Traffic()
        self._counting = threading.Lock()
        self._rng = rng or random.Random()
        self._http = requests.Session()
        # Retries are ours (with jitter and cancel); urllib3 must not add its own underneath.
        adapter = HTTPAdapter(max_retries=0)
        self._http.mount("http://", adapter)
        self._http.mount("https://", adapter)
        self._http.headers.update({"Accept-Encoding": "gzip", "Accept": "application/json",
                                   "User-Agent": "FieldKit"})

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> SyncClient:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # -- requests ------------------------------------------------------------------------

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        return self._send("GET", path, params=params, idempotent=True)

    def post_json(self, path: str, body: Any, *, idempotent: bool = True,
                  headers: Mapping[str, str] | None = None) -> Any:
        raw = orjson.dumps(body)
        return self.post_compressed(path, gzip.compress(raw, compresslevel=6),
                                    idempotent=idempotent, headers=headers)

    def post_compressed(self, path: str, data: bytes, *, idempotent: bool = True,
                        headers: Mapping[str, str] | None = None,
                        answer_headers: dict[str, str] | None = None) -> Any:
        """POST JSON gzip-compressed already: a push batch is compressed once, for its
        sending and for its saving. `answer_headers`, if given, receives the answer's headers
        (names in lower case)."""
        return self._send("POST", path, data=data,
                          headers={"Content-Type": "application/json",
                                   "Content-Encoding": "gzip", **(headers or {})},
                          idempotent=idempotent, answer_headers=answer_headers)

    def _send(self, method: str, path: str, *, idempotent: bool,
              params: Mapping[str, Any] | None = None, data: bytes | None = None,
              headers: dict[str, str] | None = None,
              answer_headers: dict[str, str] | None = None) -> Any:
        # The server words its refusals and quarantine reasons in the volunteer's language.
        headers = {"Accept-Language": current_language(), **(headers or {})}
        if self.token:
            headers["Authorization"] = f"Bearer {self.token}"
        url = self.base_url + path
        last = ""
        for attempt in range(self.retry.attempts):
            self._check_cancel()
            with self._counting:  # a push may have two requests out at once
                if attempt:
                    self.traffic.retries += 1
                self.traffic.requests += 1
                self.traffic.bytes_sent += len(data or b"")
            wait: float | None = None
            try:
                response = self._http.request(method, url, params=params, data=data,
                                              headers=headers, timeout=self.timeout)
                if response.status_code < 400:
                    body = orjson.loads(response.content)
                    if answer_headers is not None:
                        answer_headers.update(
                            (name.lower(), value) for name, value in response.headers.items())
                    return body
            except (requests.ConnectionError, requests.Timeout,
                    requests.exceptions.ChunkedEncodingError,
                    requests.exceptions.ContentDecodingError) as exc:
                if not idempotent and not _never_sent(exc):
                    raise Unreachable(tr(UNREACHABLE).format(detail=_short(exc))) from exc
                last = _short(exc)
            except ValueError as exc:  # a 2xx body that is not JSON: cut or garbled on the way
                last = f"trả lời không phải JSON: {exc}"
            else:
                status = response.status_code
                if status == 401:
                    raise self._not_enrolled(response)
                if status != 429 and status < 500:
                    raise Refused(status, _reason(response))
                last = f"HTTP {status}"
                wait = _retry_after(response.headers.get("Retry-After"))
            if attempt + 1 < self.retry.attempts:
                self._sleep(wait if wait is not None else
                            self.retry.delay(attempt, self._rng))
        raise Unreachable(tr(UNREACHABLE).format(detail=last))

    def _not_enrolled(self, response: requests.Response) -> NotEnrolled:
        if not self.token or not _says_revoked(response):
            return NotEnrolled(tr(NOT_ENROLLED))
        revoked_at = _revoked_at(response)
        if self.on_revoked is not None:
            self.on_revoked(revoked_at)
        return Revoked(disabled_message(revoked_at, self.base_url), revoked_at)

    def _sleep(self, seconds: float) -> None:
        if self.cancel.wait(seconds):
            raise Cancelled

    def _check_cancel(self) -> None:
        if self.cancel.is_set():
            raise Cancelled


def _never_sent(exc: Exception) -> bool:
    """True when the request cannot have reached the server (no connection was made)."""
    if isinstance(exc, requests.exceptions.ConnectTimeout):
        return True
    text = repr(exc)
    return "NewConnectionError" in text or "Connection refused" in text


def _retry_after(value: str | None) -> float | None:
    """Seconds from a Retry-After header (seconds or an HTTP date), bounded."""
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        try:
            seconds = (parsedate_to_datetime(value) - utcnow()).total_seconds()
        except (TypeError, ValueError):
            return None
    return min(max(seconds, 0.0), MAX_RETRY_AFTER)


def _body(response: requests.Response) -> dict[str, Any]:
    try:
        body = response.json()
    except ValueError:
        return {}
    return body if isinstance(body, dict) else {}


def _says_revoked(response: requests.Response) -> bool:
    return _body(response).get("reason") == REVOKED


def _revoked_at(response: requests.Response) -> datetime | None:
    """The server's revocation time, if it sent a readable one (never in the future)."""
    value = _body(response).get("revoked_at")
    if not isinstance(value, str) or len(value) > 64:
        return None
    try:
        moment = as_utc(datetime.fromisoformat(value))
    except ValueError:
        return None
    return min(moment, utcnow())


def _reason(response: requests.Response) -> str:
    """The server's `detail`, readable; the raw text when it is not FastAPI's shape."""
    try:
        detail = response.json().get("detail")
    except (ValueError, AttributeError):
        return response.text[:300] or response.reason
    if isinstance(detail, str):
        return detail
    if isinstance(detail, list):  # validation errors: where and what
        return "; ".join(f"{'.'.join(map(str, e.get('loc', ())))}: {e.get('msg', '')}"
                         for e in detail if isinstance(e, dict))[:500]
    return json.dumps(detail, ensure_ascii=False)[:300]


def _short(exc: Exception) -> str:
    return f"{type(exc).__name__}: {str(exc)[:160]}"

