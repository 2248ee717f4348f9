"""Enrolment codes and device tokens, over real HTTP."""

import uuid
from datetime import timedelta

import pytest
import requests
from sqlalchemy import func, select, update

from fieldkit.core.columns import utcnow
from fieldkit.core.ids import commune_id
from fieldkit.core.sync_protocol import ENROLL_PATH, PING_PATH, PULL_PATH
from fieldkit_server.devices import readmit_device, revoke_device
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


def pings(server: LiveServer, token: str) -> bool:
    """Whether `token` is accepted."""
    answer = requests.get(server.url + PING_PATH, timeout=TIMEOUT_S,
                          headers={"Authorization": f"Bearer {token}"})
    return answer.status_code == 200


def audit_actions(server: LiveServer) -> list[str]:
    with server.engine.connect() as conn:
        return list(conn.execute(select(audit_log.c.action).order_by(audit_log.c.id)).scalars())


def test_a_lost_answer_is_recovered_by_presenting_the_same_code_again(live_server: LiveServer):
    """The first answer never reached the laptop: its retry gets a token, the lost one is dead."""
    body = enrol_request(live_server.enrolment_code(commune_codes()[0]))
    lost = post(live_server, body)
    assert lost.status_code == 200, lost.text
    retry = post(live_server, body)
    assert retry.status_code == 200, retry.text
    assert retry.json()["commune_code"] == lost.json()["commune_code"]
    assert retry.json()["token"] != lost.json()["token"]
    assert pings(live_server, retry.json()["token"])
    assert not pings(live_server, lost.json()["token"])
    with live_server.engine.connect() as conn:
        assert conn.execute(select(device.c.id)).scalars().all() == [body["device_id"]]
    assert audit_actions(live_server)[-2:] == ["enroll", "enroll_retry"]


def test_a_spent_code_is_still_refused_to_anyone_but_the_laptop_that_spent_it(
        live_server: LiveServer):
    body = enrol_request(live_server.enrolment_code(commune_codes()[0]))
    token = post(live_server, body).json()["token"]
    other_laptop = post(live_server, {**body, "device_id": str(uuid.uuid4())})
    assert other_laptop.status_code == 403
    assert "đã được dùng" in other_laptop.json()["detail"]
    other_key = post(live_server, {**body, "public_key": "1e" * 32})
    assert other_key.status_code == 403
    assert "khóa khác" in other_key.json()["detail"]
    assert pings(live_server, token)  # the laptop that holds the registration keeps it
    with live_server.engine.connect() as conn:
        assert conn.execute(select(device.c.public_key)).scalar_one() == body["public_key"]


def test_a_spent_code_cannot_be_presented_again_once_it_has_expired(live_server: LiveServer):
    body = enrol_request(live_server.enrolment_code(commune_codes()[0]))
    token = post(live_server, body).json()["token"]
    with live_server.engine.begin() as conn:
        conn.execute(update(enrolment_code).values(expires_at=utcnow() - timedelta(minutes=1)))
    again = post(live_server, body)
    assert again.status_code == 403
    assert "hết hạn" in again.json()["detail"]
    assert pings(live_server, token)


@pytest.mark.parametrize("token_ran_out", [False, True])
def test_a_new_code_re_enrols_a_registered_laptop(live_server: LiveServer, token_ran_out: bool):
    """A laptop that lost its token (or saw it run out) asks for a new code, as the laptop's
    own 401 message tells the volunteer to; it is re-enrolled, not told to get revoked first."""
    code_number = commune_codes()[0]
    body = enrol_request(live_server.enrolment_code(code_number))
    old_token = post(live_server, body).json()["token"]
    if token_ran_out:
        with live_server.engine.begin() as conn:
            conn.execute(update(device).values(expires_at=utcnow() - timedelta(seconds=1)))
    new_code = live_server.enrolment_code(code_number)
    answer = post(live_server, {**body, "code": new_code, "device_name": "Máy mới tên"})
    assert answer.status_code == 200, answer.text
    assert pings(live_server, answer.json()["token"])
    assert not pings(live_server, old_token)
    with live_server.engine.connect() as conn:
        row = conn.execute(select(device)).one()
        used_by = conn.execute(select(enrolment_code.c.used_by)).scalars().all()
    assert (row.id, row.name, row.token_hash) == (body["device_id"], "Máy mới tên",
                                                   digest(answer.json()["token"]))
    assert used_by == [body["device_id"]] * 2
    assert audit_actions(live_server)[-1] == "reenroll"


def test_a_revoked_laptop_is_not_re_enrolled_and_the_new_code_stays_unspent(
        live_server: LiveServer):
    body = enrol_request(live_server.enrolment_code(commune_codes()[0]))
    assert post(live_server, body).status_code == 200
    assert revoke_device(live_server.engine, body["device_id"])
    for code in (body["code"], live_server.enrolment_code(commune_codes()[0])):
        answer = post(live_server, {**body, "code": code})
        assert answer.status_code == 403
        assert "thu hồi" in answer.json()["detail"]
    with live_server.engine.connect() as conn:
        assert conn.execute(select(func.count()).where(
            enrolment_code.c.used_at.is_(None))).scalar_one() == 1
        assert conn.execute(select(device.c.revoked_at)).scalar_one() is not None


def test_a_new_code_with_another_key_or_of_another_commune_does_not_take_a_laptop_over(
        live_server: LiveServer):
    home, other = commune_codes()
    body = enrol_request(live_server.enrolment_code(home))
    token = post(live_server, body).json()["token"]
    attempts = [{**body, "code": live_server.enrolment_code(home), "public_key": "1e" * 32},
                {**body, "code": live_server.enrolment_code(other)}]
    for attempt in attempts:
        answer = post(live_server, attempt)
        assert answer.status_code == 403
        assert "khóa khác hoặc cho xã khác" in answer.json()["detail"]
    assert pings(live_server, token)
    with live_server.engine.connect() as conn:
        row = conn.execute(select(device)).one()
    assert (row.public_key, row.commune_code) == (body["public_key"], home)


def test_a_readmitted_laptop_enrols_again_and_its_old_token_stays_dead(live_server: LiveServer):
    """A laptop revoked by mistake (or found again) is readmitted by the officer; its old
    token stays dead, and it comes back by enrolling again with a code from the officer."""
    body = enrol_request(live_server.enrolment_code(commune_codes()[0]))
    old_token = post(live_server, body).json()["token"]
    assert revoke_device(live_server.engine, body["device_id"])
    assert readmit_device(live_server.engine, body["device_id"])
    assert not readmit_device(live_server.engine, str(uuid.uuid4()))
    assert not pings(live_server, old_token)
    again = post(live_server, {**body, "code": live_server.enrolment_code(commune_codes()[0])})
    assert again.status_code == 200
    assert pings(live_server, again.json()["token"]) and not pings(live_server, old_token)
    actions = audit_actions(live_server)
    assert actions.index("revoke_device") < actions.index("readmit_device")
    assert actions[-1] == "reenroll"  # then it enrolled again, with the new code


def test_last_seen_is_written_at_most_once_a_minute(live_server: LiveServer):
    """The devices page says when each laptop last called; a sync's every batch writing it
    again would cost each request a commit for a time read to the minute."""
    laptop = enrol(live_server, commune_codes()[0])

    def ping_and_read() -> object:
        answer = requests.get(live_server.url + PING_PATH, headers=laptop.auth,
                              timeout=TIMEOUT_S)
        assert answer.status_code == 200
        with live_server.engine.connect() as conn:
            return conn.execute(select(device.c.last_seen_at).where(
                device.c.id == laptop.device_id)).scalar_one()

    first = ping_and_read()
    assert first is not None
    assert ping_and_read() == first  # seconds later: not written again
    with live_server.engine.begin() as conn:
        conn.execute(update(device).where(device.c.id == laptop.device_id).values(
            last_seen_at=utcnow() - timedelta(minutes=2)))
    later = ping_and_read()
    assert later is not None and later > first
