"""The HTTP face of the commune server: enrolment, reachability, push and pull.

Bodies are read by `request_body` (bounded, gzip or plain) rather than by FastAPI's own body
parameters, so an oversized or bomb-like body is refused before it is parsed, and refused only
once the laptop has finished sending it (a laptop cut off mid-upload may never see the answer).
A push is checked for size before its token, so an oversized push is 413 with or without a
valid token, and an unauthenticated push is 401 only once its body was read. Responses are
gzip-compressed when the laptop accepts it: a pull of a thousand rows over a weak phone
connection shrinks several times.
"""

import time
from typing import Annotated

import orjson
from fastapi import Depends, FastAPI, Header, HTTPException, Query, Request, Response
from fastapi.middleware.gzip import GZipMiddleware
from sqlalchemy import Engine
from starlette.concurrency import run_in_threadpool

from fieldkit.core.columns import utcnow
from fieldkit.core.i18n import tr
from fieldkit.core.sync_protocol import (
    AFTER_HEADER,
    ANSWERS_HEADER,
    ENROLL_PATH,
    IN_ORDER,
    KEEPS_ORDER,
    MAX_PULL_LIMIT,
    ORDER_HEADER,
    PING_PATH,
    PULL_PATH,
    PUSH_PATH,
    TOO_EARLY,
    EnrollRequest,
    EnrollResponse,
    PullResponse,
    PushRequest,
    PushResponse,
)
from fieldkit_server.batch_order import EarlierBatchMissing, wait_for_batch
from fieldkit_server.db import open_database
from fieldkit_server.device_auth import Device, TokenRevoked, authenticate, revoked_answer
from fieldkit_server.enrolment import EnrolmentRefused, enroll_device
from fieldkit_server.pull import pull
from fieldkit_server.push import BatchOfAnotherDevice, check_changes, store_checked
from fieldkit_server.rate_limit import RateLimit
from fieldkit_server.request_body import (
    read_body,
    refusal_after_body,
    refuse_declared_oversize,
)

ENROL_ATTEMPTS_PER_MINUTE = 10
TOO_MANY_ATTEMPTS = "Thử đăng ký quá nhiều lần; hãy đợi một phút rồi thử lại."
BATCH_TAKEN = "Mã lô này đã được một máy khác dùng; hãy gửi lại với mã lô mới."
EARLIER_MISSING = ("Lô gửi trước lô này chưa đến máy chủ; không lưu gì của lô này. Hãy gửi lại "
                   "lô này sau khi lô trước đã có trả lời.")
BAD_AFTER = "Tiêu đề {header} phải là mã của lô gửi trước lô này."
# Responses smaller than this are sent as they are: gzip would not pay for its header.
GZIP_MINIMUM_BYTES = 500


def create_app(db_url: str, *, engine: Engine | None = None,
               enrol_attempts_per_minute: int = ENROL_ATTEMPTS_PER_MINUTE) -> FastAPI:
    """The server for the database at `db_url`, migrated first (or `engine`, if the caller
    has one open already)."""
    engine = engine if engine is not None else open_database(db_url)
    enrol_limit = RateLimit(enrol_attempts_per_minute, 60.0)
    app = FastAPI(title="FieldKit – máy chủ xã", docs_url=None, redoc_url=None,
                  openapi_url=None)
    app.state.engine = engine
    app.add_middleware(GZipMiddleware, minimum_size=GZIP_MINIMUM_BYTES)

    # A revoked laptop's own token is told so (see device_auth); any other failure is one 401.
    app.add_exception_handler(TokenRevoked, revoked_answer)

    def authenticated(authorization: Annotated[str | None, Header()] = None) -> Device:
        found = authenticate(engine, authorization)
        if isinstance(found, HTTPException):
            raise found
        return found

    async def authenticated_sender(request: Request,
                                   authorization: Annotated[str | None, Header()] = None
                                   ) -> Device:
        """`authenticated`, for a request with a body: the declared size is checked first, and
        a refusal waits until the body is read (and thrown away), so a laptop is never cut off
        mid-upload and an oversized body is 413 whatever the token."""
        await refuse_declared_oversize(request)
        found = await run_in_threadpool(authenticate, engine, authorization)
        if isinstance(found, HTTPException):
            raise await refusal_after_body(request, found)
        return found

    DeviceDep = Annotated[Device, Depends(authenticated)]
    SenderDep = Annotated[Device, Depends(authenticated_sender)]

    @app.post(ENROLL_PATH, response_model=EnrollResponse)
    async def enroll(request: Request) -> EnrollResponse:
        client = request.client.host if request.client else "unknown"
        if not enrol_limit.allow(client):
            raise HTTPException(429, TOO_MANY_ATTEMPTS, headers={"Retry-After": "60"})
        body = await read_body(request, EnrollRequest)
        try:
            return await run_in_threadpool(enroll_device, engine, body)
        except EnrolmentRefused as refusal:
            raise HTTPException(403, str(refusal)) from None

    @app.get(PING_PATH)
    def ping(device: DeviceDep) -> dict[str, object]:
        return {"server_time": utcnow().isoformat(), "commune_code": device.commune_code}

    @app.post(PUSH_PATH, response_model=PushResponse)
    async def push_changes(request: Request, device: SenderDep) -> Response:
        body = await read_body(request, PushRequest)
        after = request.headers.get(AFTER_HEADER)
        if after is not None and (len(after) != len(body.batch_id) or after == body.batch_id):
            raise HTTPException(400, tr(BAD_AFTER).format(header=AFTER_HEADER))
        # Database work off the event loop: one slow push must not stall other requests. A
        # batch sent ahead waits for the one it follows on the event loop, between the two.
        started = time.perf_counter()
        checked = await run_in_threadpool(check_changes, engine, body.changes)
        worked = time.perf_counter() - started
        if after is not None:
            try:
                await wait_for_batch(engine, device, after)
            except EarlierBatchMissing:
                raise HTTPException(TOO_EARLY, tr(EARLIER_MISSING)) from None
        started = time.perf_counter()
        try:
            answer = await run_in_threadpool(store_checked, engine, device, body, checked)
        except BatchOfAnotherDevice:
            raise HTTPException(409, BATCH_TAKEN) from None
        worked += time.perf_counter() - started
        in_order = request.headers.get(ANSWERS_HEADER, "").strip().lower() == IN_ORDER
        # The standard Server-Timing header: how long the database work took, apart from the
        # network, the upload and any wait for the batch before, for whoever watches a slow
        # sync (and for the benchmark).
        return Response(answer.in_order_json() if in_order else answer.full_json(),
                        media_type="application/json",
                        headers={"Server-Timing": f"push;dur={worked * 1000:.1f}",
                                 ORDER_HEADER: KEEPS_ORDER})

    @app.get(PULL_PATH, response_model=PullResponse)
    # `since` is a change_log seq, a 64-bit integer in both databases.
    def pull_changes(device: DeviceDep, since: Annotated[int, Query(ge=0, le=2**63 - 1)] = 0,
                     limit: Annotated[int, Query(ge=1, le=MAX_PULL_LIMIT)] = 500
                     ) -> Response:
        page = pull(engine, device, since, limit)
        return Response(orjson.dumps(page.model_dump()), media_type="application/json")

    # The commune IT officer's pages, after the API so its routes take precedence.
    from fieldkit_server.web import mount_web

    mount_web(app)
    return app
