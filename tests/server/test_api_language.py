"""The server answers the laptop in the laptop's language: the client sends `Accept-Language`
from the volunteer's setting, and refusals and quarantine reasons come back in it, Vietnamese
unless English is asked for. Real server over real HTTP. The server runs in this process, so
the laptop's English is set for the calling thread only (`with language`): the server's threads
stay Vietnamese and only the header can change their answer."""

import pytest
import requests

from fieldkit.core.i18n import language
from fieldkit.core.sync_protocol import PING_PATH, PUSH_PATH
from fieldkit.sync_client.client import Refused, SyncClient
from tests.live_server import LiveServer
from tests.server.laptop import TIMEOUT_S, commune_codes, enrol


def ping(server: LiveServer, accept: str | None) -> str:
    headers = {} if accept is None else {"Accept-Language": accept}
    answer = requests.get(server.url + PING_PATH, headers=headers, timeout=TIMEOUT_S)
    assert answer.status_code == 401
    return answer.json()["detail"]


def test_refusals_are_vietnamese_unless_english_is_asked_for(live_server: LiveServer):
    assert ping(live_server, None).startswith("Máy chưa được đăng ký")
    assert ping(live_server, "vi").startswith("Máy chưa được đăng ký")
    assert ping(live_server, "fr, de;q=0.8").startswith("Máy chưa được đăng ký")
    assert ping(live_server, "en").startswith("The laptop is not enrolled")
    assert ping(live_server, "en-GB,en;q=0.9,vi;q=0.5").startswith("The laptop is not enrolled")
    assert ping(live_server, "vi, en;q=0.3").startswith("Máy chưa được đăng ký")


def test_an_english_laptop_hears_its_push_reasons_in_english(live_server: LiveServer):
    laptop = enrol(live_server, commune_codes()[0])
    village = laptop.village()
    village.demo = True
    with language("en"), SyncClient(live_server.url, laptop.token) as client:
        answer = client.post_json(PUSH_PATH, {"batch_id": "0192f3a4-0000-7000-8000-00000000e001",
                                              "changes": [laptop.change(village)]})
    reason = answer["results"][0]["reason"]
    assert reason == "This is practice data: practice data is never synced."


def test_an_english_laptop_hears_the_body_refusal_in_english(live_server: LiveServer):
    laptop = enrol(live_server, commune_codes()[0])
    with (language("en"), SyncClient(live_server.url, laptop.token) as client,
          pytest.raises(Refused) as refused):
        client.post_compressed(PUSH_PATH, b"not gzip at all")
    assert "The gzip-compressed data is damaged." in str(refused.value)
