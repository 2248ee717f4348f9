"""Campaign progress: targets set on the officer's page, progress per hamlet, volunteer and
week, and the XLSX report, over real HTTP against a real uvicorn on SQLite and PostgreSQL.

Rows reach the server the way they do in a commune: laptops push them (tests/server/laptop.py)
and the commune's list is imported with `import_households`. Demo rows, which push refuses,
are written straight into the database, as a figure must not count one that got in some
other way. Expected figures are counted here from the rows the test built.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path

import pytest
import requests
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, insert, select

from fieldkit.core.columns import as_utc, dumps_codes
from fieldkit.core.folding import fold
from fieldkit.core.ids import uuid7, village_id
from fieldkit.core.models import (
    FormRecord,
    GuideRun,
    Household,
    ListedHousehold,
    Person,
    SyncedRow,
    Visit,
    Volunteer,
)
from fieldkit.core.table_files import read_table
from fieldkit_server.household_import import import_households
from fieldkit_server.ownership import table_of
from fieldkit_server.tables import audit_log, campaign, campaign_target
from fieldkit_server.web.figures import COMMUNE_TIME
from tests.live_server import LiveServer
from tests.server.laptop import TIMEOUT_S, Laptop, commune_codes, enrol, person
from tests.server.test_web import csrf_of, table_rows

LISTED = table_of("listed_household")
TODAY = datetime.now(COMMUNE_TIME).date()
START = TODAY - timedelta(days=20)
END = START + timedelta(days=44)  # a 45-day campaign, today on its 21st day


def office_time(day: date, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=COMMUNE_TIME)


def audit(server: LiveServer) -> list[tuple[str, str]]:
    with server.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(  # type: ignore[misc]
            select(audit_log.c.action, audit_log.c.detail).order_by(audit_log.c.id))]


def write_direct(server: LiveServer, rows: list[SyncedRow]) -> None:
    """Rows written straight into the database (demo rows, which push refuses)."""
    with server.engine.begin() as conn:
        for row in rows:
            row.version = 1
            conn.execute(insert(type(row).__table__).values(row.model_dump()))  # type: ignore[attr-defined]


# -- a commune's campaign worth of rows -------------------------------------------------------

@dataclass
class Built:
    code: int
    laptop: Laptop
    villages: dict[str, str] = field(default_factory=dict)  # id → name
    volunteers: list[Volunteer] = field(default_factory=list)
    households: list[Household] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    visits: list[Visit] = field(default_factory=list)
    runs: list[GuideRun] = field(default_factory=list)
    forms: list[FormRecord] = field(default_factory=list)
    listed: list[dict] = field(default_factory=list)  # rows as stored, after linking


def list_file(tmp_path: Path, heads: list[tuple[str, str, str]]) -> Path:
    """The commune's list: (head name, hamlet, phone) per household."""
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH HỘ GIA ĐÌNH CẦN HỖ TRỢ VNEID"])
    sheet.append(["STT", "Họ và tên chủ hộ", "Thôn/bản", "Năm sinh", "Số điện thoại",
                  "Địa chỉ"])
    for number, (head, hamlet, phone) in enumerate(heads, start=1):
        sheet.append([str(number), head, hamlet, "1980", phone, f"Số {number}"])
    path = tmp_path / f"ds-{len(heads)}-{uuid7()[-6:]}.xlsx"
    book.save(path)
    return path


def build(server: LiveServer, tmp_path: Path, code: int, hamlets: tuple[str, str],
          volunteer_names: tuple[str, str]) -> Built:
    """Two hamlets, two volunteers, visits before and inside the period (one a minute before
    it starts, one a minute after), VNeID statuses, forms completed before and inside the
    period and drafts, the commune's list with two households linked to FieldKit ones; and
    rows that must not count: tombstones pushed by the laptop, demo rows written directly."""
    laptop = enrol(server, code, "Máy của Linh")
    made = Built(code, laptop)
    upper, lower = (laptop.village(name) for name in hamlets)
    for village in (upper, lower):
        village.id = village_id(laptop.commune_id, village.name)
    made.villages = {upper.id: upper.name, lower.id: lower.name}
    made.volunteers = [Volunteer(id=uuid7(), full_name=name, commune_id=laptop.commune_id)
                       for name in volunteer_names]
    heads = [("Lò Văn Panh", upper), ("Lò Văn Ún", upper), ("Quàng Thị Dung", upper),
             ("Nguyễn Văn Đức", lower), ("Đặng Thị Hoa", lower), ("Vàng A Dơ", lower)]
    made.households = [Household(id=uuid7(), village_id=v.id, head_name=name,
                                 address=v.name, sort_key=fold(name)) for name, v in heads]
    gone = Household(id=uuid7(), village_id=lower.id, head_name="Hộ đã xóa", deleted=True)
    made.households.append(gone)
    for index, status in enumerate(["level2", "level2", "level1", "level2", "none",
                                    "level2", "activated", "level2"]):
        home = made.households[index % 6]
        made.people.append(person(home, full_name=f"Người {index}", vneid_status=status))
    made.people.append(person(made.households[0], full_name="Người đã xóa",
                              vneid_status="level2", deleted=True))
    made.people.append(person(gone, full_name="Người của hộ đã xóa", vneid_status="level2"))
    linh, su = made.volunteers
    plan = [  # (household, volunteer, started at)
        (0, linh, office_time(START, 0, 1)),  # the first minute of the period
        (0, su, office_time(START + timedelta(days=8))),
        (1, linh, office_time(START + timedelta(days=3))),
        (2, su, office_time(START - timedelta(days=1), 23, 59)),  # a minute too early
        (3, su, office_time(START + timedelta(days=15))),
        (3, linh, office_time(START + timedelta(days=16))),
        (4, linh, office_time(TODAY, 7)),
        (6, linh, office_time(START + timedelta(days=2))),  # the deleted household
    ]
    made.visits = [Visit(id=uuid7(), household_id=made.households[home].id,
                         volunteer_id=who.id, started_at=at, outcome="done",
                         services=dumps_codes(["vneid_level1"])) for home, who, at in plan]
    made.visits.append(Visit(id=uuid7(), household_id=made.households[5].id,
                             volunteer_id=su.id, started_at=office_time(START + timedelta(1)),
                             deleted=True))
    made.runs = [GuideRun(id=uuid7(), visit_id=made.visits[v].id, person_id=made.people[p].id,
                          guide_id="register_level1", guide_version="1",
                          started_at=made.visits[v].started_at, status="finished")
                 for v, p in [(0, 0), (2, 1), (5, 3), (3, 2)]]
    made.runs.append(GuideRun(id=uuid7(), visit_id=made.visits[1].id,
                              person_id=made.people[0].id, guide_id="register_level1",
                              guide_version="1", started_at=made.visits[1].started_at,
                              deleted=True))

    def form(home: int, status: str, done: datetime | None, **extra: object) -> FormRecord:
        return FormRecord(id=uuid7(), form_id="campaign_test_form", form_version="1",
                          household_id=made.households[home].id, status=status,
                          answers="{}", completed_at=done, **extra)

    made.forms = [
        form(0, "complete", office_time(START + timedelta(days=1))),
        form(1, "complete", office_time(START + timedelta(days=9))),
        form(3, "complete", office_time(TODAY, 8)),
        form(3, "complete", office_time(START - timedelta(days=2))),  # before the period
        form(4, "draft", None),
        form(1, "complete", office_time(START + timedelta(days=4)), deleted=True),
        form(6, "complete", office_time(START + timedelta(days=4))),  # deleted household
    ]
    rows = [upper, lower, *made.volunteers, *made.households, *made.people, *made.visits,
            *made.runs, *made.forms]
    results = laptop.push_ok([laptop.change(row) for row in rows])
    assert {r["status"] for r in results} == {"applied"}, [
        r.get("reason") for r in results if r["status"] != "applied"]

    # The commune's list: three households in the upper hamlet, two in the lower one.
    phones = [f"098765{code % 1000:03d}{n}" for n in range(6)]
    table = read_table(list_file(tmp_path, [
        ("Lò Văn Pánh", upper.name, phones[0]), ("Lò Văn Ún", upper.name, phones[1]),
        ("Cầm Thị Én", upper.name, phones[2]), ("Nguyễn Văn Đức", lower.name, phones[3]),
        ("Hà Văn Khiêm", lower.name, phones[4])]))
    result = import_households(server.engine, code, table, "ds.xlsx", "test")
    assert result.imported == 5, [r.reasons for r in result.check.rows]
    with server.engine.connect() as conn:
        stored = {row.head_name: dict(row._mapping) for row in conn.execute(
            select(LISTED).where(LISTED.c.village_id.in_(list(made.villages))))}
    # A laptop links two of them to the households it registered (one reached in the period,
    # one only before it), and strikes one off the list.
    links = {"Lò Văn Pánh": made.households[0].id, "Lò Văn Ún": made.households[2].id}
    changes = []
    for head, home_id in links.items():
        stored[head]["household_id"] = home_id
        changes.append(laptop.change(ListedHousehold(**stored[head]), base_version=1))
    stored["Hà Văn Khiêm"]["deleted"] = True
    changes.append(laptop.change(ListedHousehold(**stored["Hà Văn Khiêm"]), base_version=1))
    assert {r["status"] for r in laptop.push_ok(changes)} == {"applied"}
    made.listed = list(stored.values())

    # Demo rows that would count if they were not demo.
    demo_home = Household(id=uuid7(), village_id=upper.id, head_name="Demo", demo=True)
    write_direct(server, [
        demo_home,
        Visit(id=uuid7(), household_id=demo_home.id, volunteer_id=linh.id,
              started_at=office_time(START + timedelta(days=2)), demo=True),
        Visit(id=uuid7(), household_id=made.households[5].id, volunteer_id=su.id,
              started_at=office_time(START + timedelta(days=2)), demo=True),
        person(made.households[1], full_name="Demo", vneid_status="level2", demo=True),
        form(2, "complete", office_time(START + timedelta(days=2)), demo=True),
        ListedHousehold(id=uuid7(), village_id=upper.id, head_name="Demo", source="demo",
                        demo=True),
    ])
    return made


def counted(row: SyncedRow) -> bool:
    return not row.deleted and not row.demo


def in_period(moment: datetime | None) -> bool:
    if moment is None:
        return False
    day = as_utc(moment).astimezone(COMMUNE_TIME).date()
    return START <= day <= END


def expected(made: Built) -> dict[str, dict[str, int]]:
    """Per hamlet: reached households, level-2 people, forms, listed, listed reached."""
    homes = {h.id: h for h in made.households if counted(h)}
    visits = [v for v in made.visits if counted(v) and v.household_id in homes
              and in_period(v.started_at)]
    reached = {v.household_id for v in visits}
    figures = {}
    for village, name in made.villages.items():
        here = {h for h, home in homes.items() if home.village_id == village}
        listed = [row for row in made.listed if row["village_id"] == village
                  and not row["deleted"]]
        figures[name] = {
            "reached": len(reached & here),
            "level2": sum(p.household_id in here and counted(p) and p.vneid_status == "level2"
                          for p in made.people),
            "forms": sum(f.household_id in here and counted(f) and f.status == "complete"
                         and in_period(f.completed_at) for f in made.forms),
            "listed": len(listed),
            "listed_reached": sum(row["household_id"] in reached for row in listed),
        }
    return figures


TARGETS = {  # hamlet index → (households, level-2 accounts, forms)
    0: ("3", "4", "5"),
    1: ("4", "", "2"),
}


def set_targets(server: LiveServer, browser: requests.Session, made: Built,
                targets: dict[int, tuple[str, str, str]] = TARGETS,
                starts_on: str = START.isoformat(), ends_on: str = END.isoformat()
                ) -> requests.Response:
    page = browser.get(server.url + "/progress/targets", params={"commune": made.code},
                       timeout=TIMEOUT_S)
    assert page.status_code == 200, page.text
    data = {"csrf_token": csrf_of(page), "commune": str(made.code), "starts_on": starts_on,
            "ends_on": ends_on}
    for index, village in enumerate(made.villages):
        for field_name, value in zip(("households", "level2", "forms"),
                                     targets.get(index, ("", "", "")), strict=True):
            data[f"{field_name}_{village}"] = value
    return browser.post(server.url + "/progress/targets", data=data, timeout=TIMEOUT_S,
                        allow_redirects=False)


def share(achieved: int, target: int) -> str:
    return f"{round(100 * achieved / target)}%" if target else "chưa đặt"


# -- setting targets --------------------------------------------------------------------------

def test_targets_set_on_the_page_are_stored_audited_and_shown_again(
        web: LiveServer, browser: requests.Session, tmp_path: Path):
    made = build(web, tmp_path, commune_codes()[0], ("Bản Phiêng Luông", "Thôn Nà Sài"),
                 ("Lò Thị Linh", "Giàng A Sử"))
    page = browser.get(web.url + "/progress/targets", params={"commune": made.code},
                       timeout=TIMEOUT_S)
    assert "Bản Phiêng Luông" in page.text and "Thôn Nà Sài" in page.text
    # A new campaign is offered as 45 days from today.
    assert f'value="{TODAY.isoformat()}"' in page.text
    assert f'value="{(TODAY + timedelta(days=44)).isoformat()}"' in page.text
    # The list's size beside each hamlet, as the denominator to choose targets against.
    assert [row[:2] for row in table_rows(page, "targets")] == [
        ["Bản Phiêng Luông", "3"], ["Thôn Nà Sài", "1"]]

    answer = set_targets(web, browser, made)
    assert answer.status_code == 303 and answer.headers["location"].startswith("/progress?")
    upper, lower = made.villages
    with web.engine.connect() as conn:
        assert conn.execute(select(campaign.c.commune_id, campaign.c.starts_on,
                                   campaign.c.ends_on)).all() == [
            (made.laptop.commune_id, START, END)]
        assert sorted(conn.execute(select(
            campaign_target.c.village_id, campaign_target.c.households,
            campaign_target.c.level2, campaign_target.c.forms)).all()) == sorted([
                (upper, 3, 4, 5), (lower, 4, 0, 2)])
    action, detail = audit(web)[-1]
    assert action == "campaign_targets"
    assert f"{START:%d/%m/%Y}–{END:%d/%m/%Y}" in detail and "tổng 7 hộ" in detail

    again = browser.get(web.url + "/progress/targets", params={"commune": made.code},
                        timeout=TIMEOUT_S)
    assert f'name="households_{upper}" value="3"' in again.text
    assert f'name="level2_{lower}" value=""' in again.text
    assert f'value="{START.isoformat()}"' in again.text

    # Saving again replaces the targets whole: a hamlet left empty has none any more.
    assert set_targets(web, browser, made, {1: ("1.200", "0", "1")},
                       starts_on=f"{START:%d/%m/%Y}").status_code == 303
    with web.engine.connect() as conn:
        assert conn.execute(select(campaign_target.c.village_id, campaign_target.c.households,
                                   campaign_target.c.forms)).all() == [(lower, 1200, 1)]
        assert conn.execute(select(func.count()).select_from(campaign)).scalar_one() == 1


def test_bad_targets_are_refused_with_what_to_fix_and_nothing_is_stored(
        web: LiveServer, browser: requests.Session, tmp_path: Path):
    made = build(web, tmp_path, commune_codes()[0], ("Bản Phiêng Luông", "Thôn Nà Sài"),
                 ("Lò Thị Linh", "Giàng A Sử"))
    before = audit(web)
    answer = set_targets(web, browser, made, {0: ("ba mươi", "-4", "2"),
                                              1: ("100001", "1", "2")})
    assert answer.status_code == 400
    assert "Chưa lưu được: hãy sửa 3 chỗ" in answer.text
    assert "Bản Phiêng Luông – Số hộ cần tiếp cận: “ba mươi” không hợp lệ" in answer.text
    assert "Bản Phiêng Luông – Tài khoản VNeID mức 2: “-4” không hợp lệ" in answer.text
    assert "Thôn Nà Sài – Số hộ cần tiếp cận: “100001” không hợp lệ" in answer.text
    assert "số nguyên từ 0 đến 100.000" in answer.text
    assert 'value="ba mươi"' in answer.text  # what was typed stays, to be corrected

    backwards = set_targets(web, browser, made, starts_on=END.isoformat(),
                            ends_on=START.isoformat())
    assert backwards.status_code == 400
    assert "Ngày kết thúc phải trùng hoặc sau ngày bắt đầu." in backwards.text
    too_long = set_targets(web, browser, made, ends_on=(START + timedelta(days=400)).isoformat())
    assert too_long.status_code == 400 and "tối đa 366 ngày" in too_long.text
    not_a_day = set_targets(web, browser, made, starts_on="31/02/2026")
    assert not_a_day.status_code == 400
    assert "Ngày bắt đầu: “31/02/2026” không phải là ngày" in not_a_day.text
    empty = set_targets(web, browser, made, ends_on="")
    assert empty.status_code == 400 and "Hãy nhập ngày kết thúc của chiến dịch." in empty.text

    page = browser.get(web.url + "/progress/targets", timeout=TIMEOUT_S)
    unknown = browser.post(web.url + "/progress/targets", timeout=TIMEOUT_S, data={
        "csrf_token": csrf_of(page), "commune": "999999", "starts_on": START.isoformat(),
        "ends_on": END.isoformat()})
    assert unknown.status_code == 400 and "Hãy chọn xã/phường của chiến dịch." in unknown.text
    with web.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(campaign)).scalar_one() == 0
        assert conn.execute(select(func.count()).select_from(campaign_target)
                            ).scalar_one() == 0
    assert audit(web) == before


# -- progress ---------------------------------------------------------------------------------

def test_progress_equals_counts_of_the_rows_without_demo_or_deleted_ones(
        web: LiveServer, browser: requests.Session, tmp_path: Path):
    made = build(web, tmp_path, commune_codes()[0], ("Bản Phiêng Luông", "Thôn Nà Sài"),
                 ("Lò Thị Linh", "Giàng A Sử"))
    before = browser.get(web.url + "/progress", timeout=TIMEOUT_S)
    assert "Chưa đặt chiến dịch cho xã/phường này." in before.text
    assert set_targets(web, browser, made).status_code == 303
    page = browser.get(web.url + "/progress", timeout=TIMEOUT_S)
    assert page.status_code == 200 and 'href="/progress" aria-current="page"' in page.text

    want = expected(made)
    assert want == {"Bản Phiêng Luông": {"reached": 2, "level2": 3, "forms": 2, "listed": 3,
                                         "listed_reached": 1},
                    "Thôn Nà Sài": {"reached": 2, "level2": 2, "forms": 1, "listed": 1,
                                    "listed_reached": 0}}
    targets = {name: [int(value or 0) for value in TARGETS[index]]
               for index, name in enumerate(made.villages.values())}
    rows = {row[0]: row[1:] for row in table_rows(page, f"hamlets-{made.code}")}
    for name, figures in want.items():
        cells = []
        for target, achieved in zip(targets[name], (figures["reached"], figures["level2"],
                                                    figures["forms"]), strict=True):
            cells += [str(target) if target else "—", str(achieved), share(achieved, target)]
        assert rows[name] == [*cells, str(figures["listed"]), str(figures["listed_reached"])]
    # The total row: targets and achievements added up, the share of the sums.
    total = re.search(r'<tr class="total">(.*?)</tr>', page.text, re.S)
    assert total
    cells = [re.sub(r"<[^>]+>", "", cell).strip()
             for cell in re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", total.group(1), re.S)]
    sums = [sum(targets[n][i] for n in want) for i in range(3)]
    achieved = [sum(want[n][key] for n in want) for key in ("reached", "level2", "forms")]
    assert cells == ["Tổng cộng", "7", "4", "57%", "4", "5", "125%", "7", "3", "43%", "4", "1"]
    assert cells[1:10] == [str(sums[0]), str(achieved[0]), share(achieved[0], sums[0]),
                           str(sums[1]), str(achieved[1]), share(achieved[1], sums[1]),
                           str(sums[2]), str(achieved[2]), share(achieved[2], sums[2])]
    # A bar per measure with a target, full at the target even when it is passed.
    assert '<progress max="4" value="4" aria-label="125%">' in total.group(1)
    assert '<progress max="4" value="3" aria-label="75%">' in page.text
    assert f'id="days-left-{made.code}">{(END - TODAY).days}<' in page.text
    assert f"ngày 21/45, còn {(END - TODAY).days} ngày" in page.text

    homes = {h.id for h in made.households if counted(h)}
    trips = [v for v in made.visits if counted(v) and v.household_id in homes
             and in_period(v.started_at)]
    runs = [r for r in made.runs if counted(r)]
    volunteers = {row[0]: row[1:] for row in table_rows(page, f"volunteers-{made.code}")}
    assert volunteers == {who.full_name: [
        str(sum(v.volunteer_id == who.id for v in trips)),
        str(len({v.household_id for v in trips if v.volunteer_id == who.id})),
        str(sum(r.visit_id in {v.id for v in trips if v.volunteer_id == who.id}
                for r in runs))] for who in made.volunteers}
    assert volunteers["Lò Thị Linh"] == ["4", "4", "3"]

    weeks = table_rows(page, f"weeks-{made.code}")
    assert [row[0] for row in weeks] == [
        f"Tuần {n + 1} ({START + timedelta(weeks=n):%d/%m}–"
        f"{START + timedelta(weeks=n, days=6):%d/%m})" for n in range(3)]
    first_visit: dict[str, datetime] = {}
    for trip in sorted(trips, key=lambda v: as_utc(v.started_at)):
        first_visit.setdefault(trip.household_id, trip.started_at)

    def week(moment: datetime) -> int:
        return (as_utc(moment).astimezone(COMMUNE_TIME).date() - START).days // 7

    forms_done = [f for f in made.forms if counted(f) and f.household_id in homes
                  and f.status == "complete" and in_period(f.completed_at)]
    so_far = 0
    for number, row in enumerate(weeks):
        new = sum(week(at) == number for at in first_visit.values())
        so_far += new
        assert row[1:] == [str(sum(week(v.started_at) == number for v in trips)), str(new),
                           str(so_far), str(sum(week(f.completed_at) == number
                                                for f in forms_done))], row
    assert so_far == sum(figures["reached"] for figures in want.values())

    # The dashboard sums the campaign up and links to this page.
    dashboard = browser.get(web.url + "/", timeout=TIMEOUT_S)
    summary = dashboard.text.split('id="campaigns"', 1)[1].split("</section>", 1)[0]
    assert f'href="/progress#xa-{made.code}"' in summary and "ngày 21/45" in summary
    assert "4 / 7" in summary and "57%" in summary and "5 / 4" in summary


def test_two_communes_are_shown_apart_even_with_a_hamlet_of_the_same_name(
        web: LiveServer, browser: requests.Session, tmp_path: Path):
    ours, theirs = commune_codes()
    first = build(web, tmp_path, ours, ("Bản Phiêng Luông", "Thôn Nà Sài"),
                  ("Lò Thị Linh", "Giàng A Sử"))
    second = build(web, tmp_path, theirs, ("Bản Phiêng Luông", "Bản Tà Xùa"),
                   ("Mùa A Chu", "Sùng Thị Pà"))
    # The second commune's upper hamlet gets one more visit: the two must differ.
    extra = Visit(id=uuid7(), household_id=second.households[2].id,
                  volunteer_id=second.volunteers[0].id,
                  started_at=office_time(START + timedelta(days=5)))
    assert second.laptop.push_ok([second.laptop.change(extra)])[0]["status"] == "applied"
    second.visits.append(extra)
    assert set_targets(web, browser, first).status_code == 303
    assert set_targets(web, browser, second, {0: ("10", "10", "10")}).status_code == 303

    page = browser.get(web.url + "/progress", timeout=TIMEOUT_S)
    for made in (first, second):
        rows = {row[0]: row[1:] for row in table_rows(page, f"hamlets-{made.code}")}
        assert set(rows) == set(made.villages.values())
        for name, figures in expected(made).items():
            assert [rows[name][1], rows[name][4], rows[name][7], rows[name][9],
                    rows[name][10]] == [str(figures[key]) for key in (
                        "reached", "level2", "forms", "listed", "listed_reached")], name
        volunteers = {row[0] for row in table_rows(page, f"volunteers-{made.code}")}
        assert volunteers == {v.full_name for v in made.volunteers}
    first_rows = {row[0]: row for row in table_rows(page, f"hamlets-{first.code}")}
    second_rows = {row[0]: row for row in table_rows(page, f"hamlets-{second.code}")}
    assert first_rows["Bản Phiêng Luông"][2] == "2"
    assert second_rows["Bản Phiêng Luông"][2] == "3"
    assert second_rows["Bản Phiêng Luông"][1:4] == ["10", "3", "30%"]


# -- the report -------------------------------------------------------------------------------

def download(server: LiveServer, browser: requests.Session) -> requests.Response:
    page = browser.get(server.url + "/progress", timeout=TIMEOUT_S)
    return browser.post(server.url + "/progress/export", data={"csrf_token": csrf_of(page)},
                        timeout=TIMEOUT_S)


def test_the_report_reads_back_with_vietnamese_intact_and_the_right_totals(
        web: LiveServer, browser: requests.Session, tmp_path: Path):
    ours, theirs = commune_codes()
    first = build(web, tmp_path, ours, ("Bản Phiêng Luông", "Thôn Nà Sài"),
                  ("Lò Thị Linh", "Giàng A Sử"))
    refused = download(web, browser)
    assert refused.status_code == 409 and "Chưa có xã/phường nào đặt chiến dịch" in refused.text
    second = build(web, tmp_path, theirs, ("Bản Phiêng Luông", "Bản Tà Xùa"),
                   ("Mùa A Chu", "Sùng Thị Pà"))
    assert set_targets(web, browser, first).status_code == 303
    assert set_targets(web, browser, second, {1: ("8", "2", "")}).status_code == 303

    answer = download(web, browser)
    assert answer.status_code == 200, answer.text
    name = f"fieldkit-tien-do-chien-dich-{TODAY.isoformat()}.xlsx"
    assert f'filename="{name}"' in answer.headers["content-disposition"]
    book = load_workbook(io.BytesIO(answer.content))
    with web.engine.connect() as conn:
        names = dict(conn.execute(select(table_of("commune").c.code,
                                         table_of("commune").c.name)).all())
    assert book.sheetnames == [*sorted([names[ours], names[theirs]]), "Theo tình nguyện viên",
                               "Theo tuần"]
    for made, targets in ((first, TARGETS), (second, {1: ("8", "2", "")})):
        sheet = book[names[made.code]]
        rows = list(sheet.iter_rows(values_only=True))
        title = rows[0][0]
        assert names[made.code] in title
        assert f"từ {START:%d/%m/%Y} đến {END:%d/%m/%Y} (45 ngày)" in title
        assert f"lập ngày {TODAY:%d/%m/%Y}" in title
        header = next(i for i, row in enumerate(rows) if row[1] == "Thôn/bản")
        assert rows[header][2:11:3] == ("Hộ đã tiếp cận", "Tài khoản VNeID mức 2",
                                        "Tờ khai đã hoàn thành")
        assert rows[header + 1][2:5] == ("Chỉ tiêu", "Đạt", "Tỷ lệ")
        want = expected(made)
        body = rows[header + 2:header + 2 + len(want)]
        assert [row[1] for row in body] == sorted(want)
        sums = [0] * 11
        for number, row in enumerate(body, start=1):
            index = list(made.villages.values()).index(row[1])
            target = [int(v or 0) for v in targets.get(index, ("", "", ""))]
            figures = want[row[1]]
            achieved = [figures["reached"], figures["level2"], figures["forms"]]
            assert row[0] == number
            for m in range(3):
                assert row[2 + 3 * m:4 + 3 * m] == (target[m], achieved[m])
                assert row[4 + 3 * m] == (pytest.approx(achieved[m] / target[m])
                                          if target[m] else None)
            assert row[11:13] == (figures["listed"], figures["listed_reached"])
            for column in range(2, 13):
                if (column - 4) % 3 or column > 10:
                    sums[column - 2] += row[column]
        total = rows[header + 2 + len(want)]
        assert total[1] == "Tổng cộng"
        assert [total[c] for c in (2, 3, 5, 6, 8, 9, 11, 12)] == [
            sums[c - 2] for c in (2, 3, 5, 6, 8, 9, 11, 12)]
        for m in range(3):
            target_sum, achieved_sum = total[2 + 3 * m], total[3 + 3 * m]
            assert total[4 + 3 * m] == (pytest.approx(achieved_sum / target_sum)
                                        if target_sum else None)
        assert sheet.cell(row=header + 3, column=5).number_format == "0%"
    first_total = list(book[names[ours]].iter_rows(values_only=True))
    assert ("Tổng cộng", 7, 4) in [row[1:4] for row in first_total]

    volunteers = list(book["Theo tình nguyện viên"].iter_rows(values_only=True))
    assert volunteers[2][:3] == ("Xã/phường", "Thời gian chiến dịch", "Tình nguyện viên")
    by_name = {row[2]: row for row in volunteers[3:]}
    assert set(by_name) == {"Lò Thị Linh", "Giàng A Sử", "Mùa A Chu", "Sùng Thị Pà"}
    assert by_name["Lò Thị Linh"][0] == names[ours]
    assert by_name["Lò Thị Linh"][3:] == (4, 4, 3)
    weeks = list(book["Theo tuần"].iter_rows(values_only=True))
    ours_weeks = [row for row in weeks[3:] if row[0] == names[ours]]
    assert [row[1] for row in ours_weeks] == ["Tuần 1", "Tuần 2", "Tuần 3"]
    assert ours_weeks[-1][6] == sum(f["reached"] for f in expected(first).values())
    assert sum(row[7] for row in ours_weeks) == sum(f["forms"]
                                                   for f in expected(first).values())
    action, detail = audit(web)[-1]
    assert action == "export" and name in detail


# -- login and CSRF ---------------------------------------------------------------------------

def test_the_progress_pages_need_a_logged_in_officer_and_the_csrf_token(
        web: LiveServer, browser: requests.Session, tmp_path: Path):
    made = build(web, tmp_path, commune_codes()[0], ("Bản Phiêng Luông", "Thôn Nà Sài"),
                 ("Lò Thị Linh", "Giàng A Sử"))
    before = audit(web)
    for path in ("/progress", f"/progress/targets?commune={made.code}"):
        answer = requests.get(web.url + path, timeout=TIMEOUT_S, allow_redirects=False)
        assert answer.status_code == 303 and answer.headers["location"].startswith(
            "/login?next=%2Fprogress"), path
    form = {"commune": str(made.code), "starts_on": START.isoformat(),
            "ends_on": END.isoformat(), **{f"households_{v}": "5" for v in made.villages}}
    stranger = requests.post(web.url + "/progress/targets", data=form, timeout=TIMEOUT_S,
                             allow_redirects=False)
    assert stranger.status_code == 303 and stranger.headers["location"].startswith("/login")
    assert requests.post(web.url + "/progress/export", timeout=TIMEOUT_S,
                         allow_redirects=False).status_code == 303

    assert browser.post(web.url + "/progress/targets", data=form,
                        timeout=TIMEOUT_S).status_code == 403
    forged = browser.post(web.url + "/progress/targets", timeout=TIMEOUT_S,
                          data={**form, "csrf_token": "x" * 32})
    assert forged.status_code == 403 and "Hãy tải lại trang" in forged.text
    assert browser.post(web.url + "/progress/export", timeout=TIMEOUT_S,
                        data={"csrf_token": "x" * 32}).status_code == 403
    with web.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(campaign)).scalar_one() == 0
    assert audit(web) == before
    # With the token the same form is saved.
    page = browser.get(web.url + "/progress/targets", timeout=TIMEOUT_S)
    saved = browser.post(web.url + "/progress/targets", data={**form, "csrf_token":
                                                             csrf_of(page)}, timeout=TIMEOUT_S)
    assert saved.status_code == 200 and 'id="saved"' in saved.text
