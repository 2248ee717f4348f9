"""Request bodies: size bounds, gzip bombs, broken gzip or JSON, schema errors. In every
refused case nothing is stored.

An oversized push is answered 413 (JSON, with the server's reason) whether or not its token is
valid, and only once the laptop has finished sending: a server that answers early and then
closes the connection cuts the upload off, and the laptop may get a ConnectionError instead of
the answer (issue 10). Uploads here count what they hand to the socket, so "sent in full" is
checked on the client's side, through `requests` as the laptop uses it.
"""

import gzip
import http.client
import json
import os
import socket
import tracemalloc
import uuid
import zlib
from collections.abc import Iterator

import pytest
import requests

from fieldkit.core.sync_protocol import MAX_BODY_BYTES, PING_PATH, PULL_PATH, PUSH_PATH
from fieldkit.sync_client.client import Refused, SyncClient
from fieldkit_server.request_body import DRAIN_LIMIT_BYTES, TOO_LARGE
from tests.live_server import LiveServer
from tests.server.laptop import TIMEOUT_S, Laptop, commune_codes, enrol, stored_counts

OVERSIZED = 5 * 1024 * 1024  # the 5 MB push, over MAX_BODY_BYTES
TOKENS = ["valid token", "no token", "unknown token"]
TOO_LARGE_ANSWER = {"detail": TOO_LARGE}


@pytest.fixture
def laptop(live_server: LiveServer) -> Laptop:
    return enrol(live_server, commune_codes()[0])


def send(laptop: Laptop, body: bytes, gzipped: bool = False,
         token: str = "valid token") -> requests.Response:
    headers = {**auth(laptop, token), "Content-Type": "application/json"}
    if gzipped:
        headers["Content-Encoding"] = "gzip"
    return requests.post(laptop.server.url + PUSH_PATH, data=body, headers=headers,
                         timeout=TIMEOUT_S)


def auth(laptop: Laptop, token: str) -> dict[str, str]:
    """The Authorization header for one of TOKENS."""
    if token == "valid token":
        return laptop.auth
    if token == "unknown token":
        return {"Authorization": "Bearer " + "a" * 43}
    return {}


class Upload:
    """A body of `size` bytes that counts what `requests` took of it: a client cut off
    mid-upload stops taking. Passed as it is it goes out with a Content-Length (it has a
    length); passed as `upload.chunks()` it goes out chunked, its size declared nowhere."""

    CHUNK = 64 * 1024

    def __init__(self, size: int) -> None:
        self.size = size
        self.sent = 0

    def __len__(self) -> int:
        return self.size

    def __iter__(self) -> Iterator[bytes]:
        return self.chunks()

    def chunks(self) -> Iterator[bytes]:
        piece = b"x" * self.CHUNK  # one object, sent again and again: no memory of its own
        while self.sent < self.size:
            n = min(self.CHUNK, self.size - self.sent)
            self.sent += n
            yield piece if n == self.CHUNK else piece[:n]


def gzip_bomb() -> bytes:
    """100 MB of zeros in about 100 KB of gzip: under the raw bound, far over the inflated."""
    squeezer = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    zeros = bytes(1024 * 1024)
    return b"".join(squeezer.compress(zeros) for _ in range(100)) + squeezer.flush()


def raw_request(server: LiveServer, head: str) -> socket.socket:
    """A connection to `server` with the request line and headers `head` sent, no body yet."""
    host, port = server.url.removeprefix("http://").split(":")
    sock = socket.create_connection((host, int(port)), timeout=TIMEOUT_S)
    sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n")
    return sock


def read_answer(sock: socket.socket) -> tuple[str, dict[str, str], bytes]:
    """Status line, headers (lower-case names) and body of one answer with a Content-Length."""
    received = b""
    while b"\r\n\r\n" not in received:
        piece = sock.recv(65536)
        assert piece, f"connection closed before an answer: {received!r}"
        received += piece
    head, _, body = received.partition(b"\r\n\r\n")
    status, *lines = head.decode("latin-1").split("\r\n")
    headers = {name.strip().lower(): value.strip()
               for name, _, value in (line.partition(":") for line in lines)}
    while len(body) < int(headers["content-length"]):
        piece = sock.recv(65536)
        assert piece, "connection closed inside the answer"
        body += piece
    return status, headers, body


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


@pytest.mark.parametrize("token", TOKENS)
def test_a_gzip_bomb_is_413_and_nothing_is_stored(laptop: Laptop, token: str):
    counts = stored_counts(laptop.server)
    bomb = gzip_bomb()
    assert len(bomb) < MAX_BODY_BYTES  # the raw bound alone would not catch it
    answer = send(laptop, bomb, gzipped=True, token=token)
    assert answer.status_code == 413
    assert answer.json() == TOO_LARGE_ANSWER
    assert stored_counts(laptop.server) == counts


@pytest.mark.parametrize("token", TOKENS)
def test_an_oversized_push_is_a_413_json_answer_with_or_without_a_token(laptop: Laptop,
                                                                        token: str):
    """The issue's case: 5 MB, declared in Content-Length. The size is checked before the
    token, so a laptop whose token expired learns first that its batch must be split."""
    counts = stored_counts(laptop.server)
    answer = send(laptop, b"x" * OVERSIZED, token=token)
    assert answer.status_code == 413
    assert answer.headers["content-type"] == "application/json"
    assert answer.json() == TOO_LARGE_ANSWER
    assert stored_counts(laptop.server) == counts


@pytest.mark.parametrize("token", TOKENS)
def test_an_oversized_push_is_read_in_full_before_its_413(laptop: Laptop, token: str):
    """With `Connection: close` (as a reverse proxy or an HTTP/1.0 client sends it) the server
    closes after answering; had it answered early, it would close on unread data and cut the
    laptop off mid-upload. The 413 comes after the whole body, and `requests` gets it."""
    counts = stored_counts(laptop.server)
    upload = Upload(OVERSIZED)
    answer = requests.post(laptop.server.url + PUSH_PATH, data=upload, timeout=TIMEOUT_S,
                           headers={**auth(laptop, token), "Connection": "close"})
    assert upload.sent == upload.size
    assert answer.status_code == 413
    assert answer.json() == TOO_LARGE_ANSWER
    assert stored_counts(laptop.server) == counts


@pytest.mark.parametrize("token", TOKENS)
def test_an_http_1_0_oversized_push_is_not_cut_off(laptop: Laptop, token: str):
    """HTTP/1.0 with `Connection: close` is what nginx sends to the server it proxies by
    default (a commune's TLS proxy): the whole body goes through, then the 413 comes."""
    header = auth(laptop, token)
    authorization = f"Authorization: {header['Authorization']}\n" if header else ""
    sock = raw_request(laptop.server, f"POST {PUSH_PATH} HTTP/1.0\nHost: fieldkit\n"
                       f"Connection: close\nContent-Length: {OVERSIZED}\n{authorization}")
    with sock:
        for piece in Upload(OVERSIZED):
            sock.sendall(piece)  # an early close makes this fail with a reset or broken pipe
        status, _, body = read_answer(sock)
    assert status.split()[1] == "413"
    assert json.loads(body) == TOO_LARGE_ANSWER


@pytest.mark.parametrize("token", TOKENS)
def test_a_chunked_push_over_the_limit_is_413_once_read(laptop: Laptop, token: str):
    """No Content-Length: the size shows only while the body streams in."""
    counts = stored_counts(laptop.server)
    upload = Upload(OVERSIZED)
    answer = requests.post(laptop.server.url + PUSH_PATH, data=upload.chunks(),
                           headers={**auth(laptop, token), "Connection": "close"},
                           timeout=TIMEOUT_S)
    assert upload.sent == upload.size
    assert answer.status_code == 413
    assert answer.json() == TOO_LARGE_ANSWER
    assert stored_counts(laptop.server) == counts


@pytest.mark.parametrize("gzipped", [False, True])
def test_a_push_within_bounds_without_a_token_is_401_once_read(laptop: Laptop,
                                                               gzipped: bool):
    """Reading the body of an unauthenticated push is only to answer it properly: within
    the bounds the answer is still the 401 (not 413, not 400 for the junk it is)."""
    upload = Upload(MAX_BODY_BYTES)
    body = gzip.compress(b"x" * MAX_BODY_BYTES) if gzipped else upload.chunks()
    headers = {"Connection": "close", **({"Content-Encoding": "gzip"} if gzipped else {})}
    answer = requests.post(laptop.server.url + PUSH_PATH, data=body, headers=headers,
                           timeout=TIMEOUT_S)
    assert answer.status_code == 401
    assert answer.headers["www-authenticate"] == "Bearer"
    assert gzipped or upload.sent == upload.size


@pytest.mark.parametrize("token", ["valid token", "no token"])
@pytest.mark.parametrize("extra", [f"Content-Length: {10 * DRAIN_LIMIT_BYTES}\n",
                                   f"Content-Length: {OVERSIZED}\nExpect: 100-continue\n"])
def test_a_body_not_worth_reading_is_refused_at_once(laptop: Laptop, token: str, extra: str):
    """A declared length past the drain limit, or a client waiting for "100 Continue"
    before it sends: the 413 comes without a byte of the body, and says the connection
    closes."""
    header = auth(laptop, token)
    authorization = f"Authorization: {header['Authorization']}\n" if header else ""
    sock = raw_request(laptop.server, f"POST {PUSH_PATH} HTTP/1.1\nHost: fieldkit\n"
                       f"{extra}{authorization}")
    with sock:
        status, headers, body = read_answer(sock)
    assert status.split()[1] == "413"
    assert headers["connection"] == "close"
    assert json.loads(body) == TOO_LARGE_ANSWER


def test_a_body_past_the_drain_limit_is_cut_off(laptop: Laptop):
    """Draining is bounded: past DRAIN_LIMIT_BYTES the server stops reading, answers with
    `Connection: close` and closes. Whether the client still reads that answer is up to its
    operating system (Linux keeps it; Windows may drop it with the reset)."""
    upload = Upload(DRAIN_LIMIT_BYTES + 64 * 1024 * 1024)
    try:
        answer: requests.Response | None = requests.post(
            laptop.server.url + PUSH_PATH, data=upload.chunks(), headers=laptop.auth,
            timeout=TIMEOUT_S)
    except requests.ConnectionError:
        answer = None
    assert upload.sent < upload.size - 32 * 1024 * 1024  # stopped near the limit
    if answer is not None:
        assert answer.status_code == 413
        assert answer.headers["connection"] == "close"


@pytest.mark.parametrize("token", ["valid token", "no token"])
def test_draining_keeps_no_body_in_memory(laptop: Laptop, token: str):
    """30 MB drained (server and client share this process, so this measures both): the
    server keeps at most the MAX_BODY_BYTES it reads before it knows the body is too large,
    and nothing of what it throws away."""
    upload = Upload(30 * 1024 * 1024)
    assert upload.size < DRAIN_LIMIT_BYTES  # read to its end, not cut off
    tracemalloc.start()
    try:
        answer = requests.post(laptop.server.url + PUSH_PATH, data=upload.chunks(),
                               headers=auth(laptop, token), timeout=TIMEOUT_S)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert answer.status_code == 413
    assert upload.sent == upload.size
    assert peak < 2 * MAX_BODY_BYTES


def test_the_connection_serves_again_after_a_413(laptop: Laptop):
    """The refused body was read to its end, so the kept-alive connection is at the start of
    the next request: the laptop's session reuses it."""
    host, port = laptop.server.url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=TIMEOUT_S)
    try:
        connection.request("POST", PUSH_PATH, body=b"x" * OVERSIZED, headers=laptop.auth)
        refused = connection.getresponse()
        assert refused.status == 413
        assert json.loads(refused.read()) == TOO_LARGE_ANSWER
        sock = connection.sock
        assert sock is not None  # not closed after the answer
        connection.request("GET", PING_PATH, headers=laptop.auth)
        pinged = connection.getresponse()
        assert pinged.status == 200, pinged.read()
        pinged.read()
        assert connection.sock is sock  # the same connection, not a new one
    finally:
        connection.close()


def test_the_laptops_client_gets_a_413_as_refused(laptop: Laptop):
    """What push_pending sees: `Refused` with status 413 and the server's reason (so it
    splits the batch), at the first attempt, not `Unreachable` after retries."""
    counts = stored_counts(laptop.server)
    # Random hex: the client gzips every push, and it must still be over the raw bound.
    push = one_village_push(laptop)
    push["changes"][0]["data"]["name"] = os.urandom(MAX_BODY_BYTES).hex()
    with SyncClient(laptop.server.url, laptop.token) as client:
        with pytest.raises(Refused) as refused:
            client.post_json(PUSH_PATH, push)
        assert client.traffic.requests == 1
    assert refused.value.status == 413
    assert refused.value.reason == TOO_LARGE
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
    # Pushed by another laptop of the commune: a laptop is not sent back its own changes.
    sender = enrol(laptop.server, commune_codes()[0], "Máy gửi")
    sender.push_ok([sender.change(sender.village(f"Bản số {n}")) for n in range(30)])
    answer = requests.get(laptop.server.url + PULL_PATH, headers=laptop.auth,
                          timeout=TIMEOUT_S)
    assert answer.headers["content-encoding"] == "gzip"
    assert len(answer.json()["changes"]) == 31
