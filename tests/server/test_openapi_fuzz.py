"""Schemathesis against the real server: generated requests for every `/api/v1` operation,
valid and invalid, over HTTP, each answer checked (no 5xx, a documented status, a body and
headers that fit the schema, invalid input refused, valid input not).

The server publishes no `/openapi.json` (`openapi_url=None`: a commune server advertises no
API documentation), so the schema is the one its app would publish, made by the same
`create_app`. FastAPI cannot see two things the server does by hand, and they are added to it
here from the sources the server itself uses: the request bodies, which `request_body` reads
(bounded, gzip or plain) instead of FastAPI, and the refusals it answers by design.

Each operation is driven through its Hypothesis strategy (`as_strategy`) rather than
`schemathesis.pytest.from_fixture`, which needs a schema at import time or, from a fixture,
fails on pytest 9 (it sets `request.node._nodeid`, which pytest no longer has).

The HTML pages of the commune officer are left out: without a session each one only
redirects to the login page, which says nothing about them.
"""

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, assume, given, settings
from pydantic import BaseModel
from schemathesis import GenerationMode

from fieldkit.core.sync_protocol import (
    API_PREFIX,
    ENROLL_PATH,
    PING_PATH,
    PULL_PATH,
    PUSH_PATH,
    EnrollRequest,
    PushRequest,
)
from fieldkit_server.app import create_app
from fieldkit_server.request_body import BAD_JSON, BAD_TEXT
from tests.live_server import LiveServer, start_server
from tests.server.laptop import TIMEOUT_S, Laptop, commune_codes, enrol, stored_counts

# Per operation and kind of data: about a second each, and the same requests every run.
MAX_EXAMPLES = 25
POSITIVE, NEGATIVE = GenerationMode.POSITIVE, GenerationMode.NEGATIVE
BODIES: dict[str, type[BaseModel]] = {ENROLL_PATH: EnrollRequest, PUSH_PATH: PushRequest}
# What the server refuses with on purpose: bad bodies (request_body), tokens (device_auth),
# codes (enrolment), too many attempts (rate_limit) and a batch id of another laptop (push).
BODY_REFUSALS = (400, 413, 415, 422)
REFUSALS: dict[tuple[str, str], tuple[int, ...]] = {
    ("POST", ENROLL_PATH): (*BODY_REFUSALS, 403, 429),
    ("GET", PING_PATH): (401,),
    ("POST", PUSH_PATH): (*BODY_REFUSALS, 401, 409),
    ("GET", PULL_PATH): (401, 422),
}
AUTHENTICATED = {PING_PATH, PUSH_PATH, PULL_PATH}
# Ping's one parameter is the token, fixed to a valid one: there is nothing to make invalid.
CASES = [(method, path, mode) for method, path in REFUSALS
         for mode in (POSITIVE, NEGATIVE) if (path, mode) != (PING_PATH, NEGATIVE)]
REFUSAL_BODY = {"type": "object", "required": ["detail"], "properties": {"detail": {}}}
# Valid data may still be refused: 400 for a NUL or a lone surrogate, which a JSON Schema
# string allows but no database column stores; 403 for a made-up enrolment code; 409 for a
# batch id another laptop used. A valid token is sent, so a 401 (or a 429) would be a bug.
ACCEPTED = ["2xx", "400", "403", "409"]


@pytest.fixture
def fuzzed(db_url: str) -> Iterator[Laptop]:
    """A laptop enrolled through the enrol endpoint of a server of its own.

    The enrolment limit is lifted, or after ten generated attempts every answer would be a
    429 and the fuzzer would test the limiter instead of enrolment."""
    server = start_server(db_url, enrol_attempts_per_minute=1_000_000)
    try:
        yield enrol(server, commune_codes()[0])
    finally:
        server.stop()


def published_schema(server: LiveServer) -> dict[str, Any]:
    """The OpenAPI document of the app `server` runs, with its bodies and refusals added."""
    document = create_app(server.db_url, engine=server.engine).openapi()
    components = document.setdefault("components", {}).setdefault("schemas", {})
    for path, model in BODIES.items():
        body = model.model_json_schema(ref_template="#/components/schemas/{model}")
        components.update(body.pop("$defs", {}))
        document["paths"][path]["post"]["requestBody"] = {
            "required": True, "content": {"application/json": {"schema": body}}}
    for (method, path), statuses in REFUSALS.items():
        responses = document["paths"][path][method.lower()]["responses"]
        for status in statuses:
            responses.setdefault(str(status), {
                "description": "refused",
                "content": {"application/json": {"schema": REFUSAL_BODY}}})
    return document


def api_operations(document: dict[str, Any]) -> set[tuple[str, str]]:
    return {(method.upper(), path) for path, methods in document["paths"].items()
            if path.startswith(API_PREFIX + "/") for method in methods}


def test_every_api_operation_is_fuzzed(fuzzed: Laptop):
    """A new endpoint must join REFUSALS (and so CASES), or it would go untested."""
    assert api_operations(published_schema(fuzzed.server)) == set(REFUSALS)


@pytest.mark.parametrize(("method", "path", "mode"), CASES,
                         ids=[f"{m} {p} {mode.value}" for m, p, mode in CASES])
def test_generated_requests_get_answers_true_to_the_schema(
        fuzzed: Laptop, method: str, path: str, mode: GenerationMode):
    server = fuzzed.server
    config = schemathesis.Config.from_dict({
        "base-url": server.url,
        "checks": {"positive_data_acceptance": {"expected-statuses": ACCEPTED}}})
    schema = schemathesis.openapi.from_dict(published_schema(server), config=config)
    # A valid token, so generated pushes and pulls reach the code behind the token check.
    headers = {"authorization": f"Bearer {fuzzed.token}"} if path in AUTHENTICATED else None

    @settings(max_examples=MAX_EXAMPLES, derandomize=True, database=None, deadline=None,
              suppress_health_check=[HealthCheck.too_slow])
    @given(case=schema[path][method].as_strategy(mode, headers=headers))
    def answer_is_true_to_the_schema(case: schemathesis.Case) -> None:
        # JSON Schema counts 29341.0 as an integer; the protocol does not (a version is
        # never a float), and no schema can say so: such a valid-looking body is refused
        # with 422 on purpose (see test_push's strict-integer test), so it is not generated.
        assume(mode == NEGATIVE or not _integral_float_versions(case.body))
        case.call_and_validate()

    answer_is_true_to_the_schema()


def _integral_float_versions(body: object) -> bool:
    changes = body.get("changes") if isinstance(body, dict) else None
    return any(isinstance(change.get(key), float) for change in changes or []
               if isinstance(change, dict) for key in ("base_version", "local_version"))


def push_of_a_village(laptop: Laptop, name: str, batch_id: str | None = None) -> str:
    """A push of one complete village row, as the laptop would send it."""
    return json.dumps({"batch_id": batch_id or str(uuid.uuid4()),
                       "changes": [laptop.change(laptop.village(name))]})


def breaking_body(laptop: Laptop, kind: str) -> tuple[str, str]:
    """(path, body) of a request that made the server answer 500 before it read bodies with
    care: NUL on PostgreSQL, which refuses it in text; lone surrogates (no UTF-8 at all) and
    deep nesting on both databases."""
    if kind == "enrol-nul":
        return ENROLL_PATH, json.dumps({"code": "AAAA-BBBB", "device_id": "a" * 35 + "\x00",
                                        "public_key": "ab" * 32})
    if kind == "batch-id-nul":
        return PUSH_PATH, push_of_a_village(laptop, "Bản Mường", "a" * 35 + "\x00")
    if kind == "row-nul":
        return PUSH_PATH, push_of_a_village(laptop, "Bản\x00Mường")
    if kind == "row-surrogate":
        return PUSH_PATH, push_of_a_village(laptop, "Bản \udb7a")
    return PUSH_PATH, "[" * 100_000


@pytest.mark.parametrize("kind", ["enrol-nul", "batch-id-nul", "row-nul", "row-surrogate",
                                  "deep-nesting"])
def test_bodies_that_broke_the_server_are_refused_and_nothing_is_stored(
        fuzzed: Laptop, kind: str):
    server = fuzzed.server
    before = stored_counts(server)
    path, body = breaking_body(fuzzed, kind)
    answer = requests.post(server.url + path, data=body.encode(), timeout=TIMEOUT_S,
                           headers={**fuzzed.auth, "Content-Type": "application/json"})
    assert answer.status_code == 400, answer.text
    assert answer.json()["detail"] in (BAD_TEXT, BAD_JSON)
    assert stored_counts(server) == before
