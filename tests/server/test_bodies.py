"""Request bodies: size bounds, gzip bombs, broken gzip or JSON, schema errors. In every
refused case nothing is stored."""

import gzip
import json
import uuid
import zlib

import pytest
import requests

from fieldkit.core.sync_protocol import MAX_BODY_BYTES, PULL_PATH, PUSH_PATH
from tests.live_server import LiveServer
from tests.server.laptop import TIMEOUT_S, Laptop, commune_codes, enrol, stored_counts


@pytest.fixture
def laptop(live_server: LiveServer) -> Laptop:
    return enrol(live_server, commune_codes()[0])


def send(laptop: Laptop, body: bytes, gzipped: bool = False) -> requests.Response:
    headers = {**laptop.auth, "Content-Type": "application/json"}
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    return requests.post(laptop.server.url + PUSH_PATH, data=body, headers=headers,
                         timeout=TIMEOUT_S)


def one_village_push(laptop: Laptop) -> dict:
    return {"batch_id": str(uuid.uuid4()), "changes": [laptop.change(laptop.village())]}


def test_a_gzip_push_is_applied(laptop: Laptop):
    body = gzip.compress(json.dumps(one_village_push(laptop)).encode())
    answer = send(laptop, body, gzipped=True)
    assert answer.status_code == 200
    assert answer.json()["results"][0]["status"] == "applied"


def test_an_oversized_body_is_413_and_nothing_is_stored(laptop: Laptop):
    counts = stored_counts(laptop.server)
    push = one_village_push(laptop)
    push["changes"][0]["data"]["name"] = "x" * (MAX_BODY_BYTES + 1)
    answer = send(laptop, json.dumps(push).encode())
    assert answer.status_code == 413
    assert stored_counts(laptop.server) == counts


def test_a_gzip_bomb_is_413_and_nothing_is_stored(laptop: Laptop):
    counts = stored_counts(laptop.server)
    squeezer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    bomb = b"".join(squeezer.compress(zeros) for _ in range(100)) + squeezer.flush()
    assert len(bomb) < MAX_BODY_BYTES  # the raw bound alone would not catch it
    answer = send(laptop, bomb, gzipped=True)
    assert answer.status_code == 413
    assert stored_counts(laptop.server) == counts


@pytest.mark.parametrize(("body", "gzipped"), [
    (b"{not json", False),
    (gzip.compress(b"{not json"), True),
    (b"this is not gzip at all", True),
    (gzip.compress(b'{"batch_id": "x"}')[:-12], True),  # cut short
    (b"\xff\xfe\x00", False),
])
def test_malformed_json_or_gzip_is_400_and_nothing_is_stored(laptop: Laptop, body: bytes,
                                                              gzipped: bool):
    counts = stored_counts(laptop.server)
    assert send(laptop, body, gzipped).status_code == 400
    assert stored_counts(laptop.server) == counts


def test_schema_violations_are_422_and_nothing_is_stored(laptop: Laptop):
    counts = stored_counts(laptop.server)
    good = one_village_push(laptop)
    change = good["changes"][0]
    broken = [
        [],
        {"batch_id": good["batch_id"]},
        {**good, "extra": 1},
        {**good, "batch_id": "short"},
        {**good, "changes": [{**change, "base_version": -1}]},
        {**good, "changes": [{**change, "local_version": 0}]},
        {**good, "changes": [change] * 501},
        {**good, "changes": [good["changes"][0], {**change, "data": "not an object"}]},
    ]
    for body in broken:
        answer = send(laptop, json.dumps(body).encode())
        assert answer.status_code == 422, body
    assert stored_counts(laptop.server) == counts


@pytest.mark.parametrize("query", ["since=-1", "since=abc", "limit=0", "limit=1001",
                                   "limit=x"])
def test_bad_pull_parameters_are_422(laptop: Laptop, query: str):
    answer = requests.get(f"{laptop.server.url}{PULL_PATH}?{query}", headers=laptop.auth,
                          timeout=TIMEOUT_S)
    assert answer.status_code == 422


def test_large_answers_come_back_gzip_compressed(laptop: Laptop):
    laptop.push_ok([laptop.change(laptop.village(f"Bản số {n}")) for n in range(30)])
    answer = requests.get(laptop.server.url + PULL_PATH, headers=laptop.auth,
                          timeout=TIMEOUT_S)
    assert answer.headers["content-encoding"] == "gzip"
    assert len(answer.json()["changes"]) == 31
