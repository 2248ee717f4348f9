"""The officer assigns hamlets and listed households to volunteers on the web pages; the
volunteer's laptop pulls them, and the volunteer's work list page shows what remains. Real
server over HTTP, SQLite and PostgreSQL."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest
import requests
from openpyxl import Workbook
from sqlalchemy import select

from fieldkit.core.ids import village_id
from fieldkit.core.models import Household, Person, Village, Volunteer
from fieldkit.core.table_files import read_table
from fieldkit_server.assignments import AssignmentRefused, assign
from fieldkit_server.household_import import import_households
from fieldkit_server.ownership import table_of
from fieldkit_server.tables import audit_log
from tests.live_server import LiveServer
from tests.server.laptop import TIMEOUT_S, Laptop, commune_codes, enrol
from tests.server.test_web import csrf_of

LISTED = table_of("listed_household")
DUE = date(2027, 1, 20)


def commune_with_list(server: LiveServer, tmp_path: Path, code: int
                      ) -> tuple[Laptop, Volunteer, Village]:
    """A laptop whose volunteer and hamlet reached the server by push, and the commune's list
    of three households in that hamlet and one in another, imported."""
    laptop = enrol(server, code, "Máy của Linh")
    volunteer = Volunteer(full_name="Lò Thị Linh", commune_id=laptop.commune_id)
    hamlet = Village(id=village_id(laptop.commune_id, "Bản Nà Hẩu"),
                     commune_id=laptop.commune_id, name="Bản Nà Hẩu", kind="ban")
    results = laptop.push_ok([laptop.change(volunteer), laptop.change(hamlet)])
    assert {r["status"] for r in results} == {"applied"}
    book = Workbook()
    for row in (["Họ và tên chủ hộ", "Bản", "Năm sinh"], ["Giàng A Páo", "Nà Hẩu", "1970"],
                ["Lò Văn Pánh", "Nà Hẩu", "1985"], ["Vàng Thị Dợ", "Nà Hẩu", "1990"],
                ["Sùng A Tà", "Tà Xùa", "1988"]):
        book.active.append(row)
    book.save(tmp_path / f"ds-{code}.xlsx")
    import_households(server.engine, code, read_table(tmp_path / f"ds-{code}.xlsx"),
                      "ds.xlsx", "test")
    return laptop, volunteer, hamlet


def listed_ids(server: LiveServer, *names: str) -> list[str]:
    with server.engine.connect() as conn:
        found = dict(conn.execute(select(LISTED.c.head_name, LISTED.c.id)).all())
    return [found[name] for name in names]


def test_a_hamlet_and_single_households_reach_the_volunteers_laptop(live_server: LiveServer,
                                                                    tmp_path: Path):
    laptop, volunteer, hamlet = commune_with_list(live_server, tmp_path, commune_codes()[0])
    assert assign(live_server.engine, "minh", volunteer.id, hamlet.id, [], DUE) == 1
    assert assign(live_server.engine, "minh", volunteer.id, hamlet.id, [], DUE) == 0  # standing
    pao, panh = listed_ids(live_server, "Giàng A Páo", "Lò Văn Pánh")
    assert assign(live_server.engine, "minh", volunteer.id, hamlet.id, [pao, panh], None,
                  "ưu tiên người cao tuổi") == 2
    pulled = [c for c in laptop.pull_all() if c["table"] == "assignment"]
    assert sorted((c["data"]["listed_household_id"] is None, c["data"]["due_on"])
                  for c in pulled) == [(False, None), (False, None), (True, "2027-01-20")]
    assert all(c["data"]["volunteer_id"] == volunteer.id for c in pulled)
    with live_server.engine.connect() as conn:
        actions = list(conn.execute(select(audit_log.c.action)).scalars())
    assert actions.count("assigned") == 2


def test_what_cannot_be_assigned_is_refused_with_the_reason(live_server: LiveServer,
                                                            tmp_path: Path):
    ours, theirs = commune_codes()
    _, volunteer, hamlet = commune_with_list(live_server, tmp_path, ours)
    _, stranger, elsewhere = commune_with_list(live_server, tmp_path, theirs)
    with pytest.raises(AssignmentRefused, match="không thuộc xã"):
        assign(live_server.engine, "minh", stranger.id, hamlet.id, [], None)
    (other_list,) = [i for i in listed_ids(live_server, "Giàng A Páo")]
    with live_server.engine.connect() as conn:
        theirs_listed = conn.execute(select(LISTED.c.id).where(
            LISTED.c.village_id == elsewhere.id)).scalars().first()
    with pytest.raises(AssignmentRefused, match="không thuộc danh sách"):
        assign(live_server.engine, "minh", volunteer.id, hamlet.id, [theirs_listed], None)
    with pytest.raises(AssignmentRefused, match="mật khẩu"):
        assign(live_server.engine, "minh", volunteer.id, hamlet.id, [other_list], None,
               "mật khẩu VNeID là 123456")


def test_the_officer_assigns_on_the_page_and_sees_the_volunteers_work(
        web: LiveServer, browser: requests.Session, tmp_path: Path):
    laptop, volunteer, hamlet = commune_with_list(web, tmp_path, commune_codes()[0])
    # A registered household in the hamlet whose head has no VNeID yet.
    home = Household(village_id=hamlet.id, head_name="Cầm Văn Sáng", address="Số 4",
                     sort_key="cam van sang")
    head = Person(household_id=home.id, full_name="Cầm Văn Sáng", relation_to_head="head",
                  vneid_status="none")
    laptop.push_ok([laptop.change(home), laptop.change(head)])

    page = browser.get(web.url + "/assignments", params={"village": hamlet.id},
                       timeout=TIMEOUT_S)
    assert page.status_code == 200
    offered = re.findall(r'name="(listed_\d+)" value="([^"]+)"> ([^<]+)', page.text)
    assert sorted(name.strip() for _, _, name in offered) == ["Giàng A Páo", "Lò Văn Pánh",
                                                              "Vàng Thị Dợ"]
    field, value, _ = next(o for o in offered if o[2].strip() == "Vàng Thị Dợ")
    made = browser.post(web.url + "/assignments", timeout=TIMEOUT_S, data={
        "csrf_token": csrf_of(page), "village": hamlet.id, "volunteer": volunteer.id,
        "due_on": "2027-01-20", "note": "", field: value})
    assert made.status_code == 200 and "Đã giao 1 việc" in made.text
    assert "Vàng Thị Dợ" in made.text and "0 / 1" in made.text

    work = browser.get(web.url + f"/volunteers/{volunteer.id}/work", timeout=TIMEOUT_S)
    rows = re.findall(r"<tr><td>Bản Nà Hẩu</td><td>([^<]+)</td>", work.text)
    assert rows == ["Vàng Thị Dợ"]  # only what she was given

    whole = browser.post(web.url + "/assignments", timeout=TIMEOUT_S, data={
        "csrf_token": csrf_of(page), "village": hamlet.id, "volunteer": volunteer.id,
        "due_on": "", "note": "cả bản"})
    assert "Đã giao 1 việc" in whole.text
    work = browser.get(web.url + f"/volunteers/{volunteer.id}/work", timeout=TIMEOUT_S)
    rows = re.findall(r"<tr><td>Bản Nà Hẩu</td><td>([^<]+)</td>", work.text)
    assert rows == ["Vàng Thị Dợ", "Giàng A Páo", "Lò Văn Pánh", "Cầm Văn Sáng"]
    assert re.search(r'<div class="value">3</div><div class="label">Hộ được giao chưa đến',
                     work.text)

    withdraw_id = re.search(r'action="/assignments/([^"]+)/withdraw"', whole.text)
    assert withdraw_id
    gone = browser.post(web.url + f"/assignments/{withdraw_id.group(1)}/withdraw",
                        data={"csrf_token": csrf_of(page)}, timeout=TIMEOUT_S)
    assert gone.status_code == 200 and "Đã thu hồi" in gone.text
    pulled = [c for c in laptop.pull_all() if c["table"] == "assignment"]
    assert sorted(c["data"]["deleted"] for c in pulled) == [False, True]


def test_a_bad_date_or_a_missing_token_is_refused(web: LiveServer, browser: requests.Session,
                                                  tmp_path: Path):
    _, volunteer, hamlet = commune_with_list(web, tmp_path, commune_codes()[0])
    page = browser.get(web.url + "/assignments", params={"village": hamlet.id},
                       timeout=TIMEOUT_S)
    bad = browser.post(web.url + "/assignments", timeout=TIMEOUT_S, data={
        "csrf_token": csrf_of(page), "village": hamlet.id, "volunteer": volunteer.id,
        "due_on": "20/01/2027"})
    assert bad.status_code == 422 and "Hạn hoàn thành không hợp lệ" in bad.text
    forged = browser.post(web.url + "/assignments", timeout=TIMEOUT_S, data={
        "village": hamlet.id, "volunteer": volunteer.id})
    assert forged.status_code == 403
