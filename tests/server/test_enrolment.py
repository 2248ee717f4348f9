"""Enrolment codes and device tokens, over real HTTP."""

import uuid
from datetime import timedelta

import pytest
import requests
from sqlalchemy import select, update

from fieldkit.core.columns import utcnow
from fieldkit.core.ids import commune_id
from fieldkit.core.sync_protocol import ENROLL_PATH, PING_PATH, PULL_PATH
from fieldkit_server.devices import revoke_device
from fieldkit_server.tables import audit_log, device, enrolment_code
from fieldkit_server.tokens import digest
from tests.live_server import LiveServer, start_server
from tests.server.laptop import TIMEOUT_S, commune_codes, enrol


def enrol_request(code: str, device_id: str | None = None) -> dict[str, str]:
    return {"code": code, "device_id": device_id or str(uuid.uuid4()),
            "device_name": "Máy của Đoàn xã", "public_key": "0f" * 32}


def post(server: LiveServer, body: dict[str, str]) -> requests.Response:
    return requests.post(server.url + ENROLL_PATH, json=body, timeout=TIMEOUT_S)


def test_a_good_code_enrols_the_device_once_and_only_its_hash_is_kept(live_server: LiveServer):
    code_number = commune_codes()[0]
    code = live_server.enrolment_code(code_number)
    body = enrol_request(code.lower().replace("-", " "))  # typed sloppily, still good
    answer = post(live_server, body)
    assert answer.status_code == 200, answer.text
    token = answer.json()["token"]
    assert answer.json()["commune_code"] == code_number
    assert answer.json()["commune_id"] == commune_id(code_number)

    with live_server.engine.connect() as conn:
        row = conn.execute(select(device)).one()
        actions = conn.execute(select(audit_log.c.action)).scalars().all()
        used_by = conn.execute(select(enrolment_code.c.used_by)).scalar_one()
    assert (row.id, row.token_hash) == (body["device_id"], digest(token))
    assert token not in str(tuple(row))
    assert used_by == body["device_id"]
    assert {"create_enrolment_code", "enroll"} <= set(actions)

    ping = requests.get(live_server.url + PING_PATH, timeout=TIMEOUT_S,
                        headers={"Authorization": f"Bearer {token}"})
    assert ping.status_code == 200
    assert ping.json()["commune_code"] == code_number

    again = post(live_server, enrol_request(code))
    assert again.status_code == 403
    assert "đã được dùng" in again.json()["detail"]


def test_wrong_and_expired_codes_are_refused_in_vietnamese(live_server: LiveServer):
    assert post(live_server, enrol_request("AAAA-BBBB-CCCC-DDDD")).status_code == 403
    code = live_server.enrolment_code(commune_codes()[0])
    with live_server.engine.begin() as conn:
        conn.execute(update(enrolment_code).values(expires_at=utcnow() - timedelta(minutes=1)))
    answer = post(live_server, enrol_request(code))
    assert answer.status_code == 403
    assert "hết hạn" in answer.json()["detail"]
    with live_server.engine.connect() as conn:
        assert conn.execute(select(device)).first() is None


def test_enrolment_attempts_are_rate_limited_per_client(db_url: str):
    server = start_server(db_url, enrol_attempts_per_minute=3)
    try:
        statuses = [post(server, enrol_request("AAAA-BBBB-CCCC-DDDD")).status_code
                    for _ in range(4)]
        good = post(server, enrol_request(server.enrolment_code(commune_codes()[0])))
    finally:
        server.stop()
    assert statuses == [403, 403, 403, 429]
    assert good.status_code == 429


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer not-a-token", "Basic abc",
                                    "Bearer " + "x" * 5000])
def test_missing_or_wrong_tokens_get_401(live_server: LiveServer, header: str | None):
    headers = {} if header is None else {"Authorization": header}
    for path in (PING_PATH, PULL_PATH):
        answer = requests.get(live_server.url + path, headers=headers, timeout=TIMEOUT_S)
        assert answer.status_code == 401
        assert answer.headers["www-authenticate"] == "Bearer"


def test_expired_and_revoked_tokens_get_401(live_server: LiveServer):
    code = commune_codes()[0]
    expiring, revoked = enrol(live_server, code), enrol(live_server, code)
    with live_server.engine.begin() as conn:
        conn.execute(update(device).where(device.c.id == expiring.device_id)
                     .values(expires_at=utcnow() - timedelta(seconds=1)))
    assert revoke_device(live_server.engine, revoked.device_id)
    assert not revoke_device(live_server.engine, str(uuid.uuid4()))
    for laptop in (expiring, revoked):
        answer = requests.get(live_server.url + PING_PATH, headers=laptop.auth,
                              timeout=TIMEOUT_S)
        assert answer.status_code == 401
        assert laptop.push([]).status_code == 401
