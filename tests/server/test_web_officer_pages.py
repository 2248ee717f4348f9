"""The officer's pages of issue 12 over real HTTP: readmitting a revoked laptop, the commune
selector of a shared server, the audit log page, sessions that survive a restart, and pages
of long lists. A real uvicorn and database (SQLite, and PostgreSQL when configured); rows
reach the server through the push API as laptops send them.
"""

from __future__ import annotations

import csv
import io
import re
import uuid

import pytest
import requests
from sqlalchemy import func, select

from fieldkit.core.columns import utcnow
from fieldkit.core.communes import commune
from fieldkit.core.folding import fold
from fieldkit.core.ids import uuid7
from fieldkit.core.models import Household, Visit, Volunteer
from fieldkit.core.receipts import public_key_of
from fieldkit.core.sync_protocol import ENROLL_PATH, PULL_PATH
from fieldkit_server.tables import audit_log
from fieldkit_server.web.sessions import SECRET_ENV
from tests.live_server import LiveServer, start_server
from tests.server.laptop import TIMEOUT_S, commune_codes, enrol
from tests.server.test_web import (
    audit_actions,
    build_commune,
    csrf_of,
    enrol_with_key,
    export,
    log_in,
    pushed,
    table_rows,
    tile,
)


def get(server: LiveServer, browser: requests.Session, path: str) -> requests.Response:
    page = browser.get(server.url + path, timeout=TIMEOUT_S)
    assert page.status_code == 200, page.text
    return page


def choose_commune(server: LiveServer, browser: requests.Session, code: int | None) -> None:
    """What the header's commune selector sends (None: every commune)."""
    page = get(server, browser, "/")
    answer = browser.post(server.url + "/commune", timeout=TIMEOUT_S, allow_redirects=False,
                          data={"commune": "" if code is None else str(code), "next": "/",
                                "csrf_token": csrf_of(page)})
    assert answer.status_code == 303 and answer.headers["location"] == "/"


# -- readmitting a revoked laptop -------------------------------------------------------------

def test_a_revoked_laptop_readmitted_on_the_page_enrols_again_with_the_new_code(
        web: LiveServer, browser: requests.Session):
    laptop, private = enrol_with_key(web, commune_codes()[0], "Máy tìm lại")
    confirm = get(web, browser, f"/devices/{laptop.device_id}/revoke")
    browser.post(web.url + f"/devices/{laptop.device_id}/revoke", timeout=TIMEOUT_S,
                 data={"csrf_token": csrf_of(confirm)})
    listing = get(web, browser, "/devices")
    assert f'href="/devices/{laptop.device_id}/readmit"' in listing.text
    assert "Cho đăng ký lại" in listing.text

    asked = get(web, browser, f"/devices/{laptop.device_id}/readmit")
    assert "Cho máy “Máy tìm lại” đăng ký lại?" in asked.text
    # The confirmation page alone readmits nothing.
    assert "readmit_device" not in audit_actions(web)
    refused = browser.post(web.url + f"/devices/{laptop.device_id}/readmit",
                           timeout=TIMEOUT_S, data={"csrf_token": "x" * 32})
    assert refused.status_code == 403 and "readmit_device" not in audit_actions(web)

    done = browser.post(web.url + f"/devices/{laptop.device_id}/readmit", timeout=TIMEOUT_S,
                        data={"csrf_token": csrf_of(asked)})
    assert done.status_code == 200, done.text
    code = re.search(r'id="code">([0-9A-Z-]+)<', done.text).group(1)
    assert "<svg" in done.text and commune(commune_codes()[0]).name in done.text
    actions = audit_actions(web)
    assert actions[-2:] == ["readmit_device", "create_enrolment_code"]
    # The old token stays dead: only the new code brings the laptop back.
    assert requests.get(web.url + PULL_PATH, headers=laptop.auth,
                        timeout=TIMEOUT_S).status_code == 401

    again = requests.post(web.url + ENROLL_PATH, timeout=TIMEOUT_S, json={
        "code": code, "device_id": laptop.device_id, "device_name": "Máy tìm lại",
        "public_key": public_key_of(private).hex()})
    assert again.status_code == 200, again.text
    assert requests.get(web.url + PULL_PATH, timeout=TIMEOUT_S, headers={
        "Authorization": f"Bearer {again.json()['token']}"}).status_code == 200
    assert "Đang hoạt động" in get(web, browser, "/devices").text
    # An active laptop has nothing to be readmitted to.
    assert browser.get(web.url + f"/devices/{laptop.device_id}/readmit",
                       timeout=TIMEOUT_S).status_code == 409


# -- several communes on one server -----------------------------------------------------------

def second_commune(server: LiveServer) -> dict[str, object]:
    """One hamlet of the other commune, one volunteer, two households, one of them visited."""
    laptop = enrol(server, commune_codes()[1], "Máy của Tú")
    hamlet = laptop.village("Thôn Khe Mạ")
    who = Volunteer(id=uuid7(), full_name="Hà Văn Tú", commune_id=laptop.commune_id)
    homes = [Household(id=uuid7(), village_id=hamlet.id, head_name=name, address=hamlet.name,
                       sort_key=fold(name)) for name in ("Hà Thị Nga", "Lường Văn Chiến")]
    trip = Visit(id=uuid7(), household_id=homes[0].id, volunteer_id=who.id,
                 started_at=utcnow(), services="[]", outcome="done")
    pushed(laptop, [hamlet, who, *homes, trip])
    return {"village": hamlet.name, "volunteer": who.full_name,
            "households": sorted(h.head_name for h in homes)}


def households_exported(server: LiveServer, browser: requests.Session) -> list[str]:
    answer = export(server, browser, "households", "csv")
    return sorted(row[2] for row in csv.reader(io.StringIO(answer.content.decode("utf-8-sig")))
                  if row[2] != "Chủ hộ")


def test_the_commune_selector_changes_the_dashboard_lists_and_exports(
        web: LiveServer, browser: requests.Session):
    first = build_commune(web)
    # One commune: no selector, nothing changes.
    assert 'id="commune-choice"' not in get(web, browser, "/").text
    other = second_commune(web)
    every = get(web, browser, "/")
    assert 'id="commune-choice"' in every.text
    assert tile(every, "households-reached") == 3 + 1
    mixed = {row[0] for row in table_rows(every, "villages")}
    assert f"{other['village']} ({commune(commune_codes()[1]).name})" in mixed

    choose_commune(web, browser, commune_codes()[1])
    mine = get(web, browser, "/")
    assert tile(mine, "households-reached") == 1
    assert [row[0] for row in table_rows(mine, "villages")] == [other["village"]]
    assert [row[:3] for row in table_rows(mine, "villages")] == [[other["village"], "2", "1"]]
    assert [row[0] for row in table_rows(mine, "volunteers")] == [other["volunteer"]]
    assert households_exported(web, browser) == other["households"]
    listed = get(web, browser, "/households").text
    assert "Hà Thị Nga" in listed and "Lò Văn Panh" not in listed
    devices = get(web, browser, "/devices").text
    assert "Máy của Tú" in devices and "Máy của Linh" not in devices

    choose_commune(web, browser, commune_codes()[0])
    theirs = get(web, browser, "/")
    assert tile(theirs, "households-reached") == 3
    assert {row[0] for row in table_rows(theirs, "villages")} == set(
        first.village_names.values())
    assert households_exported(web, browser) == sorted(h.head_name for h in first.households)

    choose_commune(web, browser, None)
    assert tile(get(web, browser, "/"), "households-reached") == 4
    assert len(households_exported(web, browser)) == len(first.households) + 2
    # The selection is the officer's own: another officer's session still sees every commune.
    other_officer, _ = log_in(web)
    assert tile(get(web, other_officer, "/"), "households-reached") == 4


# -- the audit log ----------------------------------------------------------------------------

def audit_rows(page: requests.Response) -> list[list[str]]:
    return table_rows(page, "audit")


def test_the_audit_page_shows_logins_a_revoke_and_an_export_newest_first(
        web: LiveServer, browser: requests.Session):
    log_in(web, password="sai-mat-khau")
    laptop, _ = enrol_with_key(web, commune_codes()[0], "Máy bị mất")
    confirm = get(web, browser, f"/devices/{laptop.device_id}/revoke")
    browser.post(web.url + f"/devices/{laptop.device_id}/revoke", timeout=TIMEOUT_S,
                 data={"csrf_token": csrf_of(confirm)})
    export(web, browser, "people", "csv")

    rows = audit_rows(get(web, browser, "/audit"))
    actions = [row[2] for row in rows]
    assert actions[0] == "Đã xuất dữ liệu"
    assert actions.index("Đã xuất dữ liệu") < actions.index("Đã thu hồi máy") \
        < actions.index("Máy đăng ký") < actions.index("Tạo mã đăng ký máy") \
        < actions.index("Đăng nhập không thành công") < actions.index("Đã đăng nhập")
    revoke = rows[actions.index("Đã thu hồi máy")]
    assert revoke[1] == "minh" and revoke[3] == commune(commune_codes()[0]).name
    assert laptop.device_id in revoke[4]
    enrolled = rows[actions.index("Máy đăng ký")]
    assert enrolled[1] == "máy “Máy bị mất”"

    only_revokes = audit_rows(get(web, browser, "/audit?action=revoke_device"))
    assert [row[2] for row in only_revokes] == ["Đã thu hồi máy"]
    # By commune: what concerned it (the code, the laptop, its revoke), not the logins.
    of_commune = [row[2] for row in audit_rows(
        get(web, browser, f"/audit?commune={commune_codes()[0]}"))]
    assert of_commune == ["Đã thu hồi máy", "Máy đăng ký", "Tạo mã đăng ký máy"]


# -- the session survives a restart -----------------------------------------------------------

def test_a_restarted_server_keeps_the_officer_logged_in(
        web: LiveServer, browser: requests.Session, monkeypatch: pytest.MonkeyPatch):
    get(web, browser, "/")
    web.stop()
    again = start_server(web.db_url)
    try:
        page = browser.get(again.url + "/", timeout=TIMEOUT_S, allow_redirects=False)
        assert page.status_code == 200 and 'id="households-reached"' in page.text
    finally:
        again.stop()
    # A key set in the environment overrides the stored one: the old cookie no longer works.
    monkeypatch.setenv(SECRET_ENV, "a-key-the-province-manages-" + uuid.uuid4().hex)
    configured = start_server(web.db_url)
    try:
        assert browser.get(configured.url + "/", timeout=TIMEOUT_S,
                           allow_redirects=False).status_code == 303
    finally:
        configured.stop()


# -- long lists -------------------------------------------------------------------------------

def test_the_audit_log_comes_in_pages_that_keep_the_filter(web: LiveServer,
                                                           browser: requests.Session):
    for _ in range(60):
        web.enrolment_code(commune_codes()[0])
    with web.engine.connect() as conn:
        total = conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
    first = get(web, browser, "/audit")
    assert "Trang 1 / 2" in first.text and len(audit_rows(first)) == 50
    second = get(web, browser, "/audit?page=2")
    assert "Trang 2 / 2" in second.text and len(audit_rows(second)) == total - 50
    assert "Trang trước" in second.text

    codes = get(web, browser, "/audit?action=create_enrolment_code")
    assert 'href="?action=create_enrolment_code&amp;page=2"' in codes.text
    rest = get(web, browser, "/audit?action=create_enrolment_code&page=2")
    assert [row[2] for row in audit_rows(rest)] == ["Tạo mã đăng ký máy"] * 10
