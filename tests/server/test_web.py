"""The commune officer's web pages over real HTTP, against a real uvicorn and database.

Rows reach the server through the real push API (tests/server/laptop.py), the way laptops
send them; expected figures are counted here from the rows the test built, not by the SQL
under test.
"""

from __future__ import annotations

import base64
import csv
import io
import json
import re
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import pytest
import requests
from openpyxl import load_workbook
from sqlalchemy import insert, select

from fieldkit.core import base45
from fieldkit.core.columns import dumps_codes, utcnow
from fieldkit.core.folding import fold
from fieldkit.core.ids import commune_id, uuid7
from fieldkit.core.models import FormRecord, GuideRun, Household, Person, Visit, Volunteer
from fieldkit.core.receipts import generate_device_key, make_receipt, public_key_of
from fieldkit.core.sync_protocol import ENROLL_PATH, PULL_PATH
from fieldkit_server.tables import audit_log, change_log, conflict, device, imported_receipt
from fieldkit_server.web.figures import COMMUNE_TIME, week_start
from tests.live_server import LiveServer
from tests.server.laptop import TIMEOUT_S, Laptop, commune_codes, person

ADMIN, PASSWORD = "minh", "mat-khau-cua-minh"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(page: requests.Response) -> str:
    found = CSRF.search(page.text)
    assert found, page.text
    return found.group(1)


def log_in(server: LiveServer, password: str = PASSWORD) -> tuple[requests.Session,
                                                                   requests.Response]:
    browser = requests.Session()
    form = browser.get(server.url + "/login", timeout=TIMEOUT_S)
    answer = browser.post(server.url + "/login", timeout=TIMEOUT_S, allow_redirects=False,
                          data={"username": ADMIN, "password": password, "next": "/",
                                "csrf_token": csrf_of(form)})
    return browser, answer


def enrol_with_key(server: LiveServer, code: int, name: str) -> tuple[Laptop, bytes]:
    """A laptop enrolled with a real Ed25519 key, so its receipts verify."""
    private = generate_device_key()
    device_id = str(uuid.uuid4())
    answer = requests.post(server.url + ENROLL_PATH, timeout=TIMEOUT_S, json={
        "code": server.enrolment_code(code), "device_id": device_id, "device_name": name,
        "public_key": public_key_of(private).hex()})
    assert answer.status_code == 200, answer.text
    return Laptop(server, device_id, answer.json()["token"], commune_id(code)), private


def pushed(laptop: Laptop, rows: list) -> None:
    results = laptop.push_ok([laptop.change(row) for row in rows])
    assert {r["status"] for r in results} == {"applied"}, results


def audit_actions(server: LiveServer) -> list[str]:
    with server.engine.connect() as conn:
        return list(conn.execute(select(audit_log.c.action).order_by(audit_log.c.id)).scalars())


# -- login ------------------------------------------------------------------------------------

def test_every_page_redirects_to_login_until_logged_in(web: LiveServer):
    for path in ("/", "/households", "/visits?q=lo", "/forms", "/conflicts", "/devices",
                 "/export", "/receipts"):
        answer = requests.get(web.url + path, timeout=TIMEOUT_S, allow_redirects=False)
        assert answer.status_code == 303, path
        assert answer.headers["location"].startswith("/login?next=%2F"), path
    page = requests.get(web.url + "/", timeout=TIMEOUT_S)
    assert "Đăng nhập" in page.text and "Tổng quan" not in page.text


def test_wrong_password_is_refused_and_audited_and_the_right_one_lets_in(web: LiveServer):
    browser, answer = log_in(web, password="sai-mat-khau")
    assert answer.status_code == 401
    assert "Tên đăng nhập hoặc mật khẩu không đúng." in answer.text
    assert browser.get(web.url + "/", timeout=TIMEOUT_S, allow_redirects=False
                       ).status_code == 303

    browser, answer = log_in(web)
    assert answer.status_code == 303
    cookie = answer.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=strict" in cookie
    assert browser.get(web.url + "/", timeout=TIMEOUT_S).status_code == 200
    assert audit_actions(web) == ["create_admin", "login_failed", "login"]


def test_a_tampered_session_cookie_is_not_accepted(web: LiveServer, browser: requests.Session):
    value = browser.cookies["fieldkit_session"]
    body, _, signature = value.rpartition(".")
    data = json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    data["u"] = "someone-else"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    answer = requests.get(web.url + "/", timeout=TIMEOUT_S, allow_redirects=False,
                          cookies={"fieldkit_session": f"{forged}.{signature}"})
    assert answer.status_code == 303


def test_login_is_limited_per_minute(web: LiveServer):
    answers = [log_in(web, password="sai-mat-khau")[1].status_code for _ in range(11)]
    assert answers == [401] * 10 + [429]


def test_a_post_without_the_csrf_token_is_refused(web: LiveServer, browser: requests.Session):
    answer = browser.post(web.url + "/export", timeout=TIMEOUT_S,
                          data={"kind": "people", "format": "csv"})
    assert answer.status_code == 403
    assert "Hãy tải lại trang" in answer.text
    wrong = browser.post(web.url + "/export", timeout=TIMEOUT_S,
                         data={"kind": "people", "format": "csv", "csrf_token": "x" * 32})
    assert wrong.status_code == 403
    assert "export" not in audit_actions(web)


def test_logout_ends_the_session(web: LiveServer, browser: requests.Session):
    page = browser.get(web.url + "/", timeout=TIMEOUT_S)
    browser.post(web.url + "/logout", data={"csrf_token": csrf_of(page)}, timeout=TIMEOUT_S)
    assert browser.get(web.url + "/", timeout=TIMEOUT_S, allow_redirects=False
                       ).status_code == 303


# -- a commune's worth of pushed rows ---------------------------------------------------------

@dataclass
class Commune:
    laptop: Laptop
    village_names: dict[str, str] = field(default_factory=dict)
    volunteers: list[Volunteer] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    runs: list[GuideRun] = field(default_factory=list)
    forms: list[FormRecord] = field(default_factory=list)


def build_commune(server: LiveServer) -> Commune:
    """Two villages, two volunteers, visits over three weeks, guide runs that set VNeID
    statuses, forms in both states, one deleted household with its visit."""
    laptop, _ = enrol_with_key(server, commune_codes()[0], "Máy của Linh")
    made = Commune(laptop)
    upper, lower = laptop.village("Bản Phiêng Luông"), laptop.village("Thôn Nà Sài")
    made.village_names = {upper.id: upper.name, lower.id: lower.name}
    made.volunteers = [Volunteer(id=uuid7(), full_name=name, commune_id=laptop.commune_id)
                       for name in ("Lò Thị Linh", "Giàng A Sử")]
    heads = [("Lò Văn Panh", upper), ("Lò Văn Ún", upper), ("Quàng Thị Dung", upper),
             ("Nguyễn Văn Đức", lower), ("Đặng Thị Hoa", lower)]
    made.households = [Household(id=uuid7(), village_id=v.id, head_name=name,
                                 address=v.name, sort_key=fold(name))
                       for name, v in heads]
    gone = Household(id=uuid7(), village_id=lower.id, head_name="Hộ đã xóa", deleted=True)
    statuses = ["level1", "activated", "level2", "none", "level1", "none", "none", "activated"]
    for index, status in enumerate(statuses):
        home = made.households[index % len(made.households)]
        made.people.append(person(home, full_name=f"Người {index}", vneid_status=status))
    now = utcnow()
    # Visits: households 0,1,3 (reached), household 0 twice, one visit a week ago and one
    # three weeks ago; nothing for households 2 and 4.
    plan = [(0, 0, 0), (0, 1, 7), (1, 0, 21), (3, 1, 0)]
    for home, who, days_ago in plan:
        made.visits.append(Visit(id=uuid7(), household_id=made.households[home].id,
                                 volunteer_id=made.volunteers[who].id,
                                 started_at=now - timedelta(days=days_ago),
                                 services=dumps_codes(["vneid_level1"]), outcome="done"))
    gone_visit = Visit(id=uuid7(), household_id=gone.id, volunteer_id=made.volunteers[0].id,
                       started_at=now, services="[]")
    # Guide runs with people 0 and 1 (both of household 0/1), person 0 twice.
    for visit_index, person_index in [(0, 0), (1, 0), (2, 1)]:
        made.runs.append(GuideRun(id=uuid7(), visit_id=made.visits[visit_index].id,
                                  person_id=made.people[person_index].id,
                                  guide_id="register_level1", guide_version="1",
                                  started_at=now, status="finished",
                                  result_status="level1"))
    # Forms: a complete one for person 5 (helped by a form only), two drafts.
    made.forms = [
        FormRecord(id=uuid7(), form_id="web_test_form", form_version="1",
                   household_id=made.households[0].id, person_id=made.people[5].id,
                   status="complete", answers="{}", completed_at=now),
        FormRecord(id=uuid7(), form_id="residence_ct01", form_version="2026.1",
                   household_id=made.households[3].id, status="draft", answers="{}"),
        FormRecord(id=uuid7(), form_id="residence_ct01", form_version="2026.1",
                   household_id=made.households[4].id, status="draft", answers="{}"),
    ]
    pushed(laptop, [upper, lower, *made.volunteers, *made.households, gone, *made.people,
                    *made.visits, gone_visit, *made.runs, *made.forms])
    return made


def insert_demo_rows(server: LiveServer, made: Commune) -> None:
    """A demo household with a visit, written straight into the database: push refuses demo
    rows, and the dashboard must not count one that got in some other way."""
    home = Household(id=uuid7(), village_id=made.households[0].village_id, head_name="Demo",
                     demo=True, version=1)
    trip = Visit(id=uuid7(), household_id=home.id, volunteer_id=made.volunteers[0].id,
                 started_at=utcnow(), demo=True, version=1)
    with server.engine.begin() as conn:
        for row in (home, trip):
            conn.execute(insert(type(row).__table__).values(row.model_dump()))


def tile(page: requests.Response, name: str) -> int:
    found = re.search(rf'id="{name}">([\d.]+)<', page.text)
    assert found, name
    return int(found.group(1).replace(".", ""))


def table_rows(page: requests.Response, table_id: str) -> list[list[str]]:
    body = page.text.split(f'<table id="{table_id}">', 1)[1].split("</table>", 1)[0]
    return [[re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>",
                                                                         row, re.S)]
            for row in re.findall(r"<tr>(.*?)</tr>", body.split("<tbody>", 1)[1], re.S)]


def test_dashboard_figures_equal_counts_of_the_rows_pushed(web: LiveServer,
                                                          browser: requests.Session):
    made = build_commune(web)
    insert_demo_rows(web, made)
    page = browser.get(web.url + "/", timeout=TIMEOUT_S)
    assert page.status_code == 200

    reached = {v.household_id for v in made.visits}
    helped = {r.person_id for r in made.runs} | {f.person_id for f in made.forms if f.person_id}
    statuses = [p.vneid_status for p in made.people]
    assert tile(page, "households-reached") == len(reached) == 3
    assert tile(page, "people-helped") == len(helped) == 3
    assert tile(page, "vneid-level1") == sum(s != "none" for s in statuses) == 5
    assert tile(page, "vneid-activated") == sum(s in ("activated", "level2")
                                                for s in statuses) == 3
    assert tile(page, "vneid-level2") == statuses.count("level2") == 1
    assert tile(page, "forms-complete") == 1
    assert "2 bản nháp" in page.text

    village_of = {h.id: h.village_id for h in made.households}
    home_of = {p.id: p.household_id for p in made.people}
    expected_villages = {}
    for village_id, name in made.village_names.items():
        homes = [h for h in made.households if h.village_id == village_id]
        trips = [v for v in made.visits if village_of[v.household_id] == village_id]
        expected_villages[name] = [str(len(homes)),
                                   str(len({v.household_id for v in trips})), str(len(trips)),
                                   str(sum(village_of[home_of[p]] == village_id
                                           for p in helped))]
    assert {row[0]: row[1:] for row in table_rows(page, "villages")} == expected_villages
    assert expected_villages == {"Bản Phiêng Luông": ["3", "2", "3", "3"],
                                 "Thôn Nà Sài": ["2", "1", "1", "0"]}
    expected_volunteers = {}
    for who in made.volunteers:
        trips = [v for v in made.visits if v.volunteer_id == who.id]
        trip_ids = {v.id for v in trips}
        expected_volunteers[who.full_name] = [
            str(len(trips)), str(len({v.household_id for v in trips})),
            str(sum(r.visit_id in trip_ids for r in made.runs))]
    assert {row[0]: row[1:] for row in table_rows(page, "volunteers")} == expected_volunteers

    # The weekly chart: one bar per week, this week holding the visits started this week.
    this_week = week_start(utcnow())
    expected_now = sum(week_start(v.started_at) == this_week for v in made.visits)
    label = f"{this_week:%d/%m}: {expected_now}</title>"
    assert label in page.text
    assert page.text.count("<rect") >= 12
    assert "http://" not in page.text.replace('xmlns="http://www.w3.org/2000/svg"', "")


def test_search_without_diacritics_finds_lo_van(web: LiveServer, browser: requests.Session):
    build_commune(web)
    page = browser.get(web.url + "/households", params={"q": "lo van"}, timeout=TIMEOUT_S)
    names = re.findall(r"<td>(Lò Văn [^<]+)</td>", page.text)
    assert sorted(names) == ["Lò Văn Panh", "Lò Văn Ún"]
    assert "Quàng Thị Dung" not in page.text
    assert "2 kết quả" in page.text

    by_d = browser.get(web.url + "/households", params={"q": "dang thi"}, timeout=TIMEOUT_S)
    assert "Đặng Thị Hoa" in by_d.text and "Lò Văn Panh" not in by_d.text

    visits = browser.get(web.url + "/visits", params={"q": "giang a su"}, timeout=TIMEOUT_S)
    assert "2 kết quả" in visits.text and "Đăng ký VNeID mức 1" in visits.text

    forms = browser.get(web.url + "/forms", params={"q": "cu tru"}, timeout=TIMEOUT_S)
    assert "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)" in forms.text
    assert "2 kết quả" in forms.text


# -- conflicts --------------------------------------------------------------------------------

def make_conflict(server: LiveServer) -> tuple[Laptop, Household]:
    """Two laptops edit one household from version 1; the second to push conflicts."""
    first, _ = enrol_with_key(server, commune_codes()[0], "Máy A")
    second, _ = enrol_with_key(server, commune_codes()[0], "Máy B")
    village = first.village()
    home = Household(id=uuid7(), village_id=village.id, head_name="Lò Văn Panh",
                     address="Bản cũ", sort_key="lo van panh")
    pushed(first, [village, home])
    from_second = home.model_copy(update={"address": "Bản Mới B"})
    assert second.push_ok([second.change(from_second, base_version=1)])[0]["status"] == \
        "applied"
    from_first = home.model_copy(update={"address": "Bản Mới A"})
    assert first.push_ok([first.change(from_first, base_version=1)])[0]["status"] == "conflict"
    return first, home


def stored_household(server: LiveServer, row_id: str) -> tuple[str, int, int]:
    table = Household.__table__
    with server.engine.connect() as conn:
        address, version = conn.execute(select(table.c.address, table.c.version)
                                        .where(table.c.id == row_id)).one()
        seq = conn.execute(select(change_log.c.seq).where(change_log.c.row_id == row_id)
                           ).scalar_one()
    return address, version, seq


@pytest.mark.parametrize(("keep", "address", "new_version"),
                         [("incoming", "Bản Mới A", 3), ("server", "Bản Mới B", 2)])
def test_resolving_a_conflict_keeps_the_chosen_side(web: LiveServer, browser: requests.Session,
                                                    keep: str, address: str,
                                                    new_version: int):
    _, home = make_conflict(web)
    before = stored_household(web, home.id)
    assert before[:2] == ("Bản Mới B", 2)
    page = browser.get(web.url + "/conflicts", timeout=TIMEOUT_S)
    assert '<tr class="differs"><th scope="row">Địa chỉ</th><td>Bản Mới B</td>' \
           '<td>Bản Mới A</td></tr>' in page.text
    conflict_id = re.search(r'action="/conflicts/(\d+)/resolve"', page.text).group(1)

    answer = browser.post(web.url + f"/conflicts/{conflict_id}/resolve", timeout=TIMEOUT_S,
                          data={"keep": keep, "csrf_token": csrf_of(page)})
    assert answer.status_code == 200 and "Đã giải quyết xung đột" in answer.text
    assert "Không có xung đột nào đang chờ." in answer.text
    after = stored_household(web, home.id)
    assert after[:2] == (address, new_version)
    assert (after[2] > before[2]) == (keep == "incoming")
    with web.engine.connect() as conn:
        row = conn.execute(select(conflict)).one()
    assert (row.resolution, row.resolved_by) == (keep, ADMIN)
    assert "resolve_conflict" in audit_actions(web)


# -- devices ----------------------------------------------------------------------------------

def test_revoking_a_device_makes_its_token_fail(web: LiveServer, browser: requests.Session):
    laptop, _ = enrol_with_key(web, commune_codes()[0], "Máy bị mất")
    assert requests.get(web.url + PULL_PATH, headers=laptop.auth,
                        timeout=TIMEOUT_S).status_code == 200
    listing = browser.get(web.url + "/devices", timeout=TIMEOUT_S)
    assert "Máy bị mất" in listing.text and "Đang hoạt động" in listing.text
    confirm = browser.get(web.url + f"/devices/{laptop.device_id}/revoke", timeout=TIMEOUT_S)
    assert "Thu hồi máy “Máy bị mất”?" in confirm.text
    # The confirmation page alone changes nothing.
    assert requests.get(web.url + PULL_PATH, headers=laptop.auth,
                        timeout=TIMEOUT_S).status_code == 200

    done = browser.post(web.url + f"/devices/{laptop.device_id}/revoke", timeout=TIMEOUT_S,
                        data={"csrf_token": csrf_of(confirm)})
    assert "Đã thu hồi máy" in done.text
    assert requests.get(web.url + PULL_PATH, headers=laptop.auth,
                        timeout=TIMEOUT_S).status_code == 401
    with web.engine.connect() as conn:
        assert conn.execute(select(device.c.revoked_at)).scalar_one() is not None
    assert "revoke_device" in audit_actions(web)


def test_an_enrolment_code_made_on_the_page_enrols_a_laptop(web: LiveServer,
                                                            browser: requests.Session):
    page = browser.get(web.url + "/devices", timeout=TIMEOUT_S)
    made = browser.post(web.url + "/devices/enrolment-code", timeout=TIMEOUT_S,
                        data={"commune_code": str(commune_codes()[0]),
                              "csrf_token": csrf_of(page)})
    assert made.status_code == 200
    code = re.search(r'id="code">([0-9A-Z-]+)<', made.text).group(1)
    assert '<svg' in made.text and 'aria-label="Mã QR đăng ký máy"' in made.text
    answer = requests.post(web.url + ENROLL_PATH, timeout=TIMEOUT_S, json={
        "code": code, "device_id": str(uuid.uuid4()), "device_name": "Máy mới",
        "public_key": "ab" * 32})
    assert answer.status_code == 200, answer.text
    unknown = browser.post(web.url + "/devices/enrolment-code", timeout=TIMEOUT_S,
                           data={"commune_code": "99999999", "csrf_token": csrf_of(page)})
    assert unknown.status_code == 400 and "Không có xã/phường mã" in unknown.text


# -- export -----------------------------------------------------------------------------------

def export(server: LiveServer, browser: requests.Session, kind: str,
           fmt: str) -> requests.Response:
    page = browser.get(server.url + "/export", timeout=TIMEOUT_S)
    answer = browser.post(server.url + "/export", timeout=TIMEOUT_S,
                          data={"kind": kind, "format": fmt, "csrf_token": csrf_of(page)})
    assert answer.status_code == 200, answer.text
    return answer


def test_exports_read_back_with_vietnamese_intact(web: LiveServer, browser: requests.Session):
    made = build_commune(web)
    page = browser.get(web.url + "/export", timeout=TIMEOUT_S)
    assert "Nghị định 13/2023/NĐ-CP" in page.text

    people = export(web, browser, "people", "csv")
    today = datetime.now(COMMUNE_TIME).date().isoformat()
    assert f'filename="fieldkit-nhan-khau-{today}.csv"' in people.headers["content-disposition"]
    assert people.content.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(people.content.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Xã/phường", "Thôn/bản", "Chủ hộ", "Họ và tên"]
    assert sorted(r[3] for r in rows[1:]) == sorted(p.full_name for p in made.people)
    assert {r[2] for r in rows[1:]} >= {"Lò Văn Panh", "Đặng Thị Hoa"}

    households = export(web, browser, "households", "xlsx")
    sheet = load_workbook(io.BytesIO(households.content)).active
    values = list(sheet.iter_rows(values_only=True))
    assert values[0][2] == "Chủ hộ"
    assert sorted(v[2] for v in values[1:]) == sorted(h.head_name for h in made.households)
    assert sheet.title == "Hộ gia đình"

    visits = export(web, browser, "visits", "xlsx")
    visit_rows = list(load_workbook(io.BytesIO(visits.content)).active.iter_rows(
        values_only=True))
    assert len(visit_rows) - 1 == len(made.visits)
    assert {r[5] for r in visit_rows[1:]} == {"Lò Thị Linh", "Giàng A Sử"}
    assert audit_actions(web).count("export") == 3


# -- receipts ---------------------------------------------------------------------------------

def import_receipt(server: LiveServer, browser: requests.Session,
                   text: str) -> requests.Response:
    page = browser.get(server.url + "/receipts", timeout=TIMEOUT_S)
    return browser.post(server.url + "/receipts", timeout=TIMEOUT_S,
                        data={"receipt": text, "csrf_token": csrf_of(page)})


def test_receipt_import_good_then_again_then_tampered(web: LiveServer,
                                                      browser: requests.Session):
    laptop, private = enrol_with_key(web, commune_codes()[0], "Máy của Linh")
    record_id = uuid7()
    receipt = make_receipt(form_id="residence_ct01", form_version="2026.1",
                           record_id=record_id,
                           answers={"full_name": "Lò Văn Panh", "gender": "male"},
                           device_id=laptop.device_id, private_key=private,
                           signed_at=datetime(2025, 9, 1, 3, 0, tzinfo=UTC))

    first = import_receipt(web, browser, receipt + "\r\n")
    assert first.status_code == 200, first.text
    assert 'id="imported"' in first.text
    assert "Tờ khai thay đổi thông tin cư trú (Mẫu CT01)" in first.text
    assert "<th scope=\"row\">1. Họ, chữ đệm và tên</th><td>Lò Văn Panh</td>" in first.text
    assert "<td>Nam</td>" in first.text
    with web.engine.connect() as conn:
        stored = conn.execute(select(imported_receipt)).one()
    assert (stored.record_id, stored.imported_by) == (record_id, ADMIN)
    assert json.loads(stored.answers) == {"full_name": "Lò Văn Panh", "gender": "male"}

    again = import_receipt(web, browser, receipt)
    assert 'id="already"' in again.text and f"bởi {ADMIN}" in again.text

    raw = bytearray(base45.decode(receipt[4:]))
    raw[5] ^= 0x01
    tampered = import_receipt(web, browser, "FK1:" + base45.encode(bytes(raw)))
    assert tampered.status_code == 422
    assert "Chữ ký của biên nhận không hợp lệ" in tampered.text

    stranger = make_receipt(form_id="residence_ct01", form_version="2026.1",
                            record_id=uuid7(), answers={}, device_id=laptop.device_id,
                            private_key=generate_device_key(), signed_at=utcnow())
    refused = import_receipt(web, browser, stranger)
    assert refused.status_code == 422 and "khóa đã đăng ký" in refused.text
    with web.engine.connect() as conn:
        assert len(conn.execute(select(imported_receipt)).all()) == 1
    assert audit_actions(web).count("import_receipt") == 1
    assert audit_actions(web).count("receipt_refused") == 2
