"""The officer imports a laptop's USB sync file on the web page and downloads its answer:
a real server over HTTP, a real laptop store, SQLite and PostgreSQL."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import select

from fieldkit.core.store import Store
from fieldkit.core.usb_sync import export_sync_file, import_answer_file
from fieldkit.sync_client.enrol import enrol
from fieldkit_server.tables import audit_log
from tests.conftest import first_commune_code
from tests.e2e.sync_laptops import new_laptop
from tests.live_server import LiveServer
from tests.server.laptop import TIMEOUT_S
from tests.server.test_web import csrf_of


@pytest.fixture
def laptop(web: LiveServer, tmp_path: Path) -> Iterator[Store]:
    made = new_laptop(tmp_path / "laptop", "A")
    enrol(made.store, web.url, web.enrolment_code(first_commune_code()), "Máy bản Phiêng")
    made.register("Lò Thị Mai", members=("Cầm Văn Pao",))
    yield made.store
    made.store.close()


def upload(web: LiveServer, browser: requests.Session, name: str, data: bytes
           ) -> requests.Response:
    page = browser.get(web.url + "/sync-files", timeout=TIMEOUT_S)
    return browser.post(web.url + "/sync-files", timeout=TIMEOUT_S,
                        data={"csrf_token": csrf_of(page)}, files={"file": (name, data)})


def test_the_officer_imports_a_file_and_the_answer_brings_the_laptop_up_to_date(
        web: LiveServer, browser: requests.Session, laptop: Store, tmp_path: Path):
    data = export_sync_file(laptop, tmp_path / "a.fksync").path.read_bytes()
    pending = laptop.pending_changes()
    page = upload(web, browser, "a.fksync", data)
    assert page.status_code == 200
    assert "Máy “Máy bản Phiêng”" in page.text and f"{pending - 1} nhận mới" in page.text
    link = re.search(r'href="(/sync-files/[^"]+)" download>Tải tệp trả lời: a-tra-loi', page.text)
    assert link
    answer = browser.get(web.url + link.group(1), timeout=TIMEOUT_S)
    assert answer.status_code == 200 and "a-tra-loi.fksync" in \
        answer.headers["content-disposition"]
    (tmp_path / "answer.fksync").write_bytes(answer.content)
    assert import_answer_file(laptop, tmp_path / "answer.fksync").applied == pending - 1
    assert laptop.pending_changes() == 0

    again = upload(web, browser, "a.fksync", data)
    assert "1 lô (1 lô đã nhập từ trước, không thay đổi gì), 0 thay đổi" in again.text


def test_a_tampered_file_is_refused_on_the_page_and_audited(
        web: LiveServer, browser: requests.Session, laptop: Store, tmp_path: Path):
    data = bytearray(export_sync_file(laptop, tmp_path / "a.fksync").path.read_bytes())
    data[-1] ^= 0xFF
    page = upload(web, browser, "a.fksync", bytes(data))
    assert page.status_code == 422 and "đã bị sửa" in page.text
    with web.engine.connect() as conn:
        assert "sync_file_refused" in conn.execute(select(audit_log.c.action)).scalars().all()
        assert conn.execute(select(audit_log.c.action)).scalars().all().count(
            "sync_file_imported") == 0
    anonymous = requests.get(web.url + "/sync-files", timeout=TIMEOUT_S, allow_redirects=False)
    assert anonymous.status_code == 303
