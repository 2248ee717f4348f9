"""Reading a request body within bounds, gzip or not, before anything else looks at it.

The raw body is counted as it streams in, and a gzip body is inflated in bounded steps, so a
100 MB bomb of zeros costs the server at most MAX_DECOMPRESSED_BYTES of memory before it is
refused. Every refusal happens before the body reaches the database, so nothing is stored.
"""

import json
import re
import zlib
from typing import Any, TypeVar

from fastapi import HTTPException, Request
from pydantic import BaseModel, ValidationError
from starlette.requests import ClientDisconnect

from fieldkit.core.sync_protocol import MAX_BODY_BYTES, MAX_DECOMPRESSED_BYTES

Body = TypeVar("Body", bound=BaseModel)

TOO_LARGE = "Dữ liệu gửi lên quá lớn; hãy gửi thành nhiều lần nhỏ hơn."
BAD_GZIP = "Dữ liệu nén gzip bị hỏng."
BAD_JSON = "Dữ liệu gửi lên không phải JSON hợp lệ."
BAD_ENCODING = "Chỉ nhận dữ liệu không nén hoặc nén gzip."
BAD_TEXT = "Dữ liệu gửi lên chứa ký tự không lưu được (ký tự NUL hoặc mã Unicode lẻ)."
DISCONNECTED = "Kết nối bị ngắt khi đang gửi dữ liệu."
# Text no database column takes: PostgreSQL refuses NUL in text, and a lone UTF-16 surrogate
# (which JSON's \u escapes can spell) is not encodable as UTF-8 at all.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


async def read_body(request: Request, model: type[Body]) -> Body:
    """The request body as `model`: 413 over a bound, 400 for broken gzip or JSON or for text
    no database stores, 422 for JSON that does not fit the model (FastAPI's own shape of
    validation errors)."""
    raw = await _raw(request)
    encoding = request.headers.get("content-encoding", "identity").strip().lower()
    if encoding == "gzip":
        raw = _gunzip(raw)
    elif encoding not in ("", "identity"):
        raise HTTPException(415, BAD_ENCODING)
    try:
        parsed: Any = json.loads(raw)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        # RecursionError: arrays nested thousands deep, which the JSON parser gives up on.
        raise HTTPException(400, BAD_JSON) from None
    if not _storable(parsed):
        raise HTTPException(400, BAD_TEXT)
    try:
        return model.model_validate(parsed)
    except ValidationError as error:
        raise HTTPException(422, error.errors(include_url=False, include_context=False,
                                              include_input=False)) from None


async def _raw(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise HTTPException(413, TOO_LARGE)
    chunks = bytearray()
    try:
        async for chunk in request.stream():
            chunks += chunk
            if len(chunks) > MAX_BODY_BYTES:
                raise HTTPException(413, TOO_LARGE)
    except ClientDisconnect:
        # A link cut mid-upload is routine on a phone connection, and the laptop sends the
        # batch again later: end with an answer no one receives, not a logged traceback.
        raise HTTPException(400, DISCONNECTED) from None
    return bytes(chunks)


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
                raise HTTPException(413, TOO_LARGE)
            pending = inflater.unconsumed_tail
            if inflater.eof:
                break
        if not inflater.eof:
            raise HTTPException(400, BAD_GZIP)
    except zlib.error:
        raise HTTPException(400, BAD_GZIP) from None
    return bytes(out)
