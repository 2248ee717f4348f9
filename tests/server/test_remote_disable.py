"""Remote disable, the server's side: only the holder of a revoked device's own token hears
"revoked" (with when); unknown, expired and missing tokens keep one indistinguishable 401.
Real server over real HTTP, on SQLite and (when configured) PostgreSQL."""

import gzip
from datetime import datetime, timedelta

import orjson
import requests
from sqlalchemy import select, update

from fieldkit.core.columns import as_utc, utcnow
from fieldkit.core.sync_protocol import PING_PATH, PULL_PATH, PUSH_PATH
from fieldkit_server.device_auth import NOT_AUTHENTICATED
from fieldkit_server.devices import readmit_device, revoke_device
from fieldkit_server.tables import audit_log, device
from tests.live_server import LiveServer
from tests.server.laptop import TIMEOUT_S, Laptop, commune_codes, enrol, household, stored_counts

GENERIC = {"detail": NOT_AUTHENTICATED}


def ask(server: LiveServer, token: str | None, path: str = PING_PATH) -> requests.Response:
    headers = {} if token is None else {"Authorization": f"Bearer {token}"}
    return requests.get(server.url + path, headers=headers, timeout=TIMEOUT_S)


def revoked_at(server: LiveServer, laptop: Laptop) -> datetime:
    with server.engine.connect() as conn:
        return as_utc(conn.execute(select(device.c.revoked_at)
                                   .where(device.c.id == laptop.device_id)).scalar_one())


def told(server: LiveServer) -> list[str]:
    with server.engine.connect() as conn:
        return list(conn.execute(select(audit_log.c.actor)
                                 .where(audit_log.c.action == "told_revoked")).scalars())


def test_a_revoked_token_hears_revoked_and_when_on_every_authenticated_route(
        live_server: LiveServer):
    laptop = enrol(live_server, commune_codes()[0])
    assert revoke_device(live_server.engine, laptop.device_id)
    when = revoked_at(live_server, laptop)
    village = laptop.village()
    before = stored_counts(live_server)
    answers = [ask(live_server, laptop.token), ask(live_server, laptop.token, PULL_PATH),
               laptop.push([laptop.change(village), laptop.change(household(village))])]
    for answer in answers:
        assert answer.status_code == 401
        body = answer.json()
        assert body["reason"] == "revoked"
        assert datetime.fromisoformat(body["revoked_at"]) == when
        assert "thu hồi" in body["detail"]
        assert answer.headers["www-authenticate"].startswith("Bearer")
    assert stored_counts(live_server) == before, "a revoked laptop's push stores nothing"
    # The officer can see that the laptop got the word: audited once, however often it asks.
    assert told(live_server) == [laptop.device_id]


def test_a_revoked_push_is_told_after_its_body_is_read(live_server: LiveServer):
    """A gzip push from a revoked laptop gets the revoked answer (not a cut connection) once
    its body has been read, like every other refused push."""
    laptop = enrol(live_server, commune_codes()[0])
    assert revoke_device(live_server.engine, laptop.device_id)
    village = laptop.village()
    raw = orjson.dumps({"batch_id": "b" * 36,
                        "changes": [laptop.change(household(village)) for _ in range(300)]})
    answer = requests.post(live_server.url + PUSH_PATH, data=gzip.compress(raw),
                           timeout=TIMEOUT_S, headers={**laptop.auth,
                                                       "Content-Encoding": "gzip",
                                                       "Content-Type": "application/json"})
    assert answer.status_code == 401 and answer.json()["reason"] == "revoked"


def test_unknown_expired_and_missing_tokens_keep_the_one_generic_answer(live_server: LiveServer):
    code = commune_codes()[0]
    expired, revoked_then_expired = enrol(live_server, code), enrol(live_server, code)
    with live_server.engine.begin() as conn:
        conn.execute(update(device).values(expires_at=utcnow() - timedelta(seconds=1)))
    assert revoke_device(live_server.engine, revoked_then_expired.device_id)
    for token in (None, "not-a-token", expired.token):
        for path in (PING_PATH, PULL_PATH):
            answer = ask(live_server, token, path)
            assert (answer.status_code, answer.json()) == (401, GENERIC)
            assert answer.headers["www-authenticate"] == "Bearer"
            assert "revoked" not in answer.text
    # Revoked wins over expired: a new code alone would not let that laptop back in.
    assert ask(live_server, revoked_then_expired.token).json()["reason"] == "revoked"
    assert told(live_server) == [revoked_then_expired.device_id]


def test_after_readmit_the_old_token_is_just_unknown(live_server: LiveServer):
    laptop = enrol(live_server, commune_codes()[0])
    assert revoke_device(live_server.engine, laptop.device_id)
    assert ask(live_server, laptop.token).json()["reason"] == "revoked"
    assert readmit_device(live_server.engine, laptop.device_id)
    answer = ask(live_server, laptop.token)
    assert (answer.status_code, answer.json()) == (401, GENERIC)
