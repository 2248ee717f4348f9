"""Reading a request body within bounds, gzip or not, before anything else looks at it.

The raw body is counted as it streams in, and a gzip body is inflated in bounded steps, so a
100 MB bomb of zeros costs the server at most MAX_DECOMPRESSED_BYTES of memory before it is
refused. Every refusal happens before the body reaches the database, so nothing is stored.

A refusal is answered only once the laptop has finished sending. Answering while it is still
uploading is legal HTTP, but whenever the connection is then closed (the client or a reverse
proxy asked for `Connection: close` or spoke HTTP/1.0, uvicorn's keep-alive timer ran out
during a stall, the server is shutting down) the unread body makes the server's TCP stack send
a reset: the laptop's upload fails with a broken pipe, and on Windows, or when the reset
overtakes the answer on a real link, the answer is lost too. The laptop then sees a
ConnectionError instead of a 413, retries the same batch and never splits it. So the rest of a
refused body is read and thrown away (a chunk at a time, none of it kept) up to
DRAIN_LIMIT_BYTES; only a body beyond even that is cut off, with `Connection: close` said
outright.
"""

import re
import zlib
from collections.abc import AsyncIterator
from typing import Any, TypeVar

import orjson
from fastapi import HTTPException, Request
from pydantic import BaseModel, ValidationError
from starlette.requests import ClientDisconnect

from fieldkit.core.i18n import tr
from fieldkit.core.sync_protocol import MAX_BODY_BYTES, MAX_DECOMPRESSED_BYTES

Body = TypeVar("Body", bound=BaseModel)

TOO_LARGE = "Dữ liệu gửi lên quá lớn; hãy gửi thành nhiều lần nhỏ hơn."
BAD_GZIP = "Dữ liệu nén gzip bị hỏng."
BAD_JSON = "Dữ liệu gửi lên không phải JSON hợp lệ."
BAD_ENCODING = "Chỉ nhận dữ liệu không nén hoặc nén gzip."
BAD_TEXT = "Dữ liệu gửi lên chứa ký tự không lưu được (ký tự NUL hoặc mã Unicode lẻ)."
DISCONNECTED = "Kết nối bị ngắt khi đang gửi dữ liệu."
# How much of a refused body is read and thrown away so that the laptop gets its answer: any
# body of JSON up to MAX_DECOMPRESSED_BYTES, plain or gzip (which adds a few bytes per 64 KiB
# to incompressible data), so every batch refused only for its raw size is answered. A body
# past it is cut off: draining costs bandwidth and holds a connection for as long as it lasts.
DRAIN_LIMIT_BYTES = MAX_DECOMPRESSED_BYTES + 64 * 1024
# Inflation is done in steps of at most this much output, so even a bomb's 1000:1 chunk
# never produces more than this at once.
_INFLATE_STEP = 256 * 1024
# Text no database column takes: PostgreSQL refuses NUL in text, and a lone UTF-16 surrogate
# (which JSON's \u escapes can spell) is not encodable as UTF-8 at all.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Valid JSON can only spell those as \u escapes (a raw NUL or surrogate makes the parser
# refuse the body), so a body without such an escape needs no walk through its strings. A
# match may be a false alarm (an escaped backslash before "u0000"): the walk then decides.
_MAY_BE_UNSTORABLE = re.compile(rb"\\u(?:0000|d[89a-f])", re.IGNORECASE)


async def read_body(request: Request, model: type[Body]) -> Body:
    """The request body as `model`: 413 over a bound, 400 for broken gzip or JSON or for text
    no database stores, 422 for JSON that does not fit the model (FastAPI's own shape of
    validation errors)."""
    raw = await _raw(request)
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding == "gzip":
        raw = _gunzip(raw)
    elif encoding not in ("", "identity"):
        raise HTTPException(415, tr(BAD_ENCODING))
    try:
        # orjson: several times faster on a 500-row push; it refuses nesting past 1,024
        # levels and invalid UTF-8 as bad JSON, as the standard parser did.
        parsed: Any = orjson.loads(raw)
    except (UnicodeDecodeError, orjson.JSONDecodeError, RecursionError):
        # RecursionError: arrays nested thousands deep, which the JSON parser gives up on.
        raise HTTPException(400, tr(BAD_JSON)) from None
    if _MAY_BE_UNSTORABLE.search(raw) and not _storable(parsed):
        raise HTTPException(400, tr(BAD_TEXT))
    try:
        return model.model_validate(parsed)
    except ValidationError as error:
        raise HTTPException(422, error.errors(include_url=False, include_context=False,
                                              include_input=False)) from None


async def refuse_declared_oversize(request: Request) -> None:
    """Raise 413 for a body whose Content-Length is over MAX_BODY_BYTES, once the body has
    been read through (see the module docstring).

    Called before authentication too, so a laptop with or without a valid token gets the same
    413: the size is known from the headers alone."""
    refusal = await _declared_oversize(request)
    if refusal is not None:
        raise refusal


async def refusal_after_body(request: Request, refusal: HTTPException) -> HTTPException:
    """`refusal` (e.g. a 401) to raise once the body has been read through and thrown away,
    or 413 if the body turned out to be over a bound on the way.

    For requests refused before their body is needed: the laptop is not cut off mid-upload
    (see the module docstring), and an oversized push gets the same 413 with or without a
    valid token. Nothing is kept: the raw body is only counted, a gzip body only inflated in
    bounded steps to be counted, so an unauthenticated caller costs no memory."""
    declared = await _declared_oversize(request)
    if declared is not None:
        return declared
    gzipped = request.headers.get("content-encoding", "").strip().lower() == "gzip"
    inflated = _InflatedSize() if gzipped else None
    seen = 0
    stream = request.stream()
    try:
        async for chunk in stream:
            seen += len(chunk)
            if seen > MAX_BODY_BYTES:
                return _too_large(read_through=await _drain(stream, seen))
            if inflated is not None:
                inflated.feed(chunk)
                if inflated.size > MAX_DECOMPRESSED_BYTES:
                    return _too_large(read_through=await _drain(stream, seen))
    except ClientDisconnect:
        return HTTPException(400, tr(DISCONNECTED))
    return refusal


async def _declared_oversize(request: Request) -> HTTPException | None:
    """The 413 for a Content-Length over MAX_BODY_BYTES, the body read through first unless
    even the declared length is past DRAIN_LIMIT_BYTES; None for any other length."""
    declared = request.headers.get("content-length", "").strip()
    if not declared.isdigit() or int(declared) <= MAX_BODY_BYTES:
        return None
    expects_continue = request.headers.get("expect", "").strip().lower() == "100-continue"
    if int(declared) > DRAIN_LIMIT_BYTES or expects_continue:
        # Reading would only delay the same cut-off; and a client waiting for
        # "100 Continue" has sent no body, so nothing is lost by answering at once.
        return _too_large(read_through=False)
    try:
        return _too_large(read_through=await _drain(request.stream(), 0))
    except ClientDisconnect:
        return HTTPException(400, tr(DISCONNECTED))


async def _raw(request: Request) -> bytes:
    await refuse_declared_oversize(request)
    chunks = bytearray()
    stream = request.stream()
    try:
        async for chunk in stream:
            chunks += chunk
            if len(chunks) > MAX_BODY_BYTES:
                seen = len(chunks)
                chunks.clear()  # drained, not kept: the memory goes back now
                raise _too_large(read_through=await _drain(stream, seen))
    except ClientDisconnect:
        # A link cut mid-upload is routine on a phone connection, and the laptop sends the
        # batch again later: end with an answer no one receives, not a logged traceback.
        raise HTTPException(400, tr(DISCONNECTED)) from None
    return bytes(chunks)


async def _drain(stream: AsyncIterator[bytes], seen: int) -> bool:
    """Read the rest of a refused body and throw it away, up to DRAIN_LIMIT_BYTES in all
    (`seen` already read). True when the body was read to its end, False when cut off.

    A disconnect on the way raises ClientDisconnect, as when reading."""
    async for chunk in stream:
        seen += len(chunk)
        if seen > DRAIN_LIMIT_BYTES:
            return False
    return True


def _too_large(*, read_through: bool) -> HTTPException:
    """The 413, with `Connection: close` when the body was not read to its end: the
    connection cannot carry another request, and the laptop learns so from the answer."""
    return HTTPException(413, tr(TOO_LARGE),
                         headers=None if read_through else {"Connection": "close"})


class _InflatedSize:
    """How large a gzip stream inflates to, counted chunk by chunk and never kept."""

    def __init__(self) -> None:
        self._inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
        self._done = False
        self.size = 0

    def feed(self, data: bytes) -> None:
        """Inflate `data`, counting the output, until the size is past MAX_DECOMPRESSED_BYTES;
        broken gzip just stops the count (a caller refused anyway gets its first refusal)."""
        pending = data
        try:
            while pending and not self._done:
                self.size += len(self._inflater.decompress(pending, _INFLATE_STEP))
                pending = self._inflater.unconsumed_tail
                self._done = self._inflater.eof or self.size > MAX_DECOMPRESSED_BYTES
        except zlib.error:
            self._done = True


def _storable(parsed: Any) -> bool:
    """Whether every string in `parsed`, keys included, can be stored as text.

    Checked here, once for every body, because a row's `data` reaches the database untyped:
    otherwise PostgreSQL would fail on a NUL the SQLite of a test run takes in silence."""
    pending = [parsed]
    while pending:  # a loop, not recursion: bodies may be nested as deep as the parser allows
        item = pending.pop()
        if isinstance(item, str):
            if _UNSTORABLE.search(item):
                return False
        elif isinstance(item, dict):
            pending.extend(item)
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return True


def _gunzip(compressed: bytes) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    out = bytearray()
    pending = compressed
    try:
        while pending:
            # At most one byte past the bound per step: enough to know it is exceeded.
            out += inflater.decompress(pending, MAX_DECOMPRESSED_BYTES + 1 - len(out))
            if len(out) > MAX_DECOMPRESSED_BYTES:
                raise HTTPException(413, tr(TOO_LARGE))
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
        if not inflater.eof:
            raise HTTPException(400, tr(BAD_GZIP))
    except zlib.error:
        raise HTTPException(400, tr(BAD_GZIP)) from None
    return bytes(out)
