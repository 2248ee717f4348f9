"""Importing a commune's household list on the server: `fieldkit-server import-households`,
the officer's web pages, and what the commune's laptops then pull, over real HTTP and on
SQLite and PostgreSQL."""

from __future__ import annotations

import csv
import io
import re
import threading
from pathlib import Path

import pytest
import requests
from openpyxl import Workbook
from sqlalchemy import Engine, func, select

from fieldkit.core.household_lists import ACCEPTED
from fieldkit.core.ids import commune_id, village_id
from fieldkit.core.models import ListedHousehold, Village
from fieldkit.core.table_files import read_table
from fieldkit_server.cli import main
from fieldkit_server.db import open_database
from fieldkit_server.household_import import import_households
from fieldkit_server.ownership import table_of
from fieldkit_server.tables import audit_log, change_log, list_upload
from tests.live_server import LiveServer
from tests.server.laptop import TIMEOUT_S, commune_codes, enrol, household
from tests.server.test_web import csrf_of

LISTED, VILLAGE = table_of("listed_household"), table_of("village")
HEADER = ["STT", "Họ và tên chủ hộ", "Bản", "Năm sinh", "Giới tính", "Số CCCD",
          "Số điện thoại", "Địa chỉ"]
GOOD = [["1", "LÒ VĂN PÁNH", "Phiêng Luông", "1985", "Nam", "11085000123", "912345678", "Số 1"],
        ["2", "Giàng Thị Mỷ", "Tà Xùa", "1990", "Nữ", "011190000456", "", "Số 2"],
        ["3", "Vàng A Dơ", "Tà Xùa", "1970", "Nam", "", "0987654321", "Số 5"]]
BAD = ["4", "Cầm Văn Sáng", "Tà Xùa", "1988", "Nam", "011088", "", "Số 9"]


def write_xlsx(path: Path, rows: list[list[str]]) -> Path:
    book = Workbook()
    sheet = book.active
    sheet.append(["DANH SÁCH HỘ GIA ĐÌNH CẦN HỖ TRỢ VNEID"])
    sheet.append([])
    for row in [HEADER, *rows]:
        sheet.append(row)
    book.save(path)
    return path


def count(engine: Engine, table: object) -> int:
    with engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(table)).scalar_one()  # type: ignore[arg-type]


def run(db_url: str, *args: str, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["import-households", *args, "--db", db_url])
    out, err = capsys.readouterr()
    return code, out, err


# -- the command ------------------------------------------------------------------------------


def test_the_command_imports_a_list_whole_and_a_second_time_finds_only_duplicates(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    code = commune_codes()[0]
    path = write_xlsx(tmp_path / "ds.xlsx", GOOD)
    status, out, _ = run(db_url, str(path), "--commune", str(code), capsys=capsys)
    assert status == 0, out
    assert "3 hộ đã nhập" in out and "Bản Phiêng Luông, Bản Tà Xùa" in out
    engine = open_database(db_url)
    with engine.connect() as conn:
        listed = conn.execute(select(LISTED).order_by(LISTED.c.head_name)).all()
        villages = dict(conn.execute(select(VILLAGE.c.name, VILLAGE.c.id)).all())
        logged = conn.execute(select(change_log.c.table_name, func.count()).group_by(
            change_log.c.table_name)).all()
        audited = conn.execute(select(audit_log.c.action, audit_log.c.detail)).all()
    assert [(r.head_name, r.id_number, r.phone, r.birth_year) for r in listed] == [
        ("Giàng Thị Mỷ", "011190000456", None, 1990),
        ("Lò Văn Pánh", "011085000123", "0912345678", 1985),
        ("Vàng A Dơ", None, "0987654321", 1970)]
    # The id a laptop gives a hamlet it types: the two become one village.
    assert villages["Bản Tà Xùa"] == village_id(commune_id(code), "Bản Tà Xùa")
    assert dict(logged) == {"commune": 1, "village": 2, "listed_household": 3}
    assert [action for action, _ in audited] == ["households_imported"]
    assert all(row.source.startswith("ds.xlsx, dòng ") for row in listed)

    status, out, _ = run(db_url, str(path), "--commune", str(code), capsys=capsys)
    assert status == 0 and "0 hộ hợp lệ" in out and "3 trùng" in out
    assert "Không có hộ mới nào để nhập." in out
    assert count(engine, LISTED) == 3
    engine.dispose()


def test_one_refused_row_stops_the_whole_list_unless_told_to_skip_it(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    code = str(commune_codes()[0])
    path = write_xlsx(tmp_path / "ds.xlsx", [*GOOD, BAD])
    status, out, err = run(db_url, str(path), "--commune", code, capsys=capsys)
    engine = open_database(db_url)
    assert status == 1 and "Chưa nhập hộ nào" in err
    assert "dòng 7: Bị từ chối: Số định danh phải có đúng 12 chữ số" in out
    assert count(engine, LISTED) == count(engine, change_log) == 0

    report = tmp_path / "ket-qua.csv"
    status, out, _ = run(db_url, str(path), "--commune", code, "--skip-refused", "--report",
                         str(report), capsys=capsys)
    assert status == 0 and "3 hộ đã nhập" in out
    assert count(engine, LISTED) == 3
    text = report.read_bytes()
    assert text.startswith(b"\xef\xbb\xbf")  # Excel shows the diacritics only with the BOM
    rows = list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))
    assert rows[0][:4] == ["Trang", "Dòng", "Kết quả", "Lý do"]
    assert [row[2] for row in rows[1:]] == ["Nhập", "Nhập", "Nhập", "Bị từ chối"]
    engine.dispose()


def test_a_dry_run_writes_nothing_at_all(db_url: str, tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]):
    path = write_xlsx(tmp_path / "ds.xlsx", GOOD)
    status, out, _ = run(db_url, str(path), "--commune", str(commune_codes()[0]),
                         "--dry-run", capsys=capsys)
    assert status == 0 and "3 hộ hợp lệ, chưa nhập" in out
    engine = open_database(db_url)
    for table in (LISTED, VILLAGE, change_log, audit_log, table_of("commune")):
        assert count(engine, table) == 0, table
    engine.dispose()


def test_column_choices_and_a_hamlet_for_the_whole_list(db_url: str, tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]):
    path = tmp_path / "ds.csv"
    path.write_text("Chủ hộ;Mã đoàn viên;Ghi chú\nLò Văn Pánh;1234567;011085000123\n",
                    encoding="utf-8-sig")
    status, out, _ = run(db_url, str(path), "--commune", str(commune_codes()[0]),
                         "--column", "C=id_number", "--village", "Bản Mển", capsys=capsys)
    assert status == 0, out
    engine = open_database(db_url)
    with engine.connect() as conn:
        assert conn.execute(select(LISTED.c.id_number)).scalar_one() == "011085000123"
        assert conn.execute(select(VILLAGE.c.name, VILLAGE.c.kind)).one() == ("Bản Mển", "ban")
    engine.dispose()


def test_unreadable_files_and_unknown_communes_are_said_plainly(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    photo = tmp_path / "anh.xlsx"
    photo.write_bytes(b"PK\x03\x04 not really a zip")
    status, _, err = run(db_url, str(photo), "--commune", str(commune_codes()[0]),
                         capsys=capsys)
    assert status == 1 and err.startswith("Không đọc được tệp: bảng tính bị hỏng")
    status, _, err = run(db_url, str(write_xlsx(tmp_path / "ds.xlsx", GOOD)), "--commune",
                         "999999", capsys=capsys)
    assert status == 1 and "Không có xã/phường mã 999999" in err


# -- against what the server already holds ----------------------------------------------------


def test_households_and_hamlets_laptops_made_are_not_doubled(live_server: LiveServer,
                                                               tmp_path: Path):
    laptop = enrol(live_server, commune_codes()[0])
    village = laptop.village("Bản Phiêng Luông")
    village.id = village_id(laptop.commune_id, village.name)
    home = household(village, head_name="Lò Văn Pánh")
    home.address = "Số 1"
    results = laptop.push_ok([laptop.change(village), laptop.change(home)])
    assert {r["status"] for r in results} == {"applied"}
    table = read_table(write_xlsx(tmp_path / "ds.xlsx", GOOD))
    result = import_households(live_server.engine, commune_codes()[0], table, "ds.xlsx", "test")
    assert [row.status for row in result.check.rows] == ["duplicate", ACCEPTED, ACCEPTED]
    assert "FieldKit" in result.check.rows[0].reasons[0]
    assert result.villages_created == ["Bản Tà Xùa"]
    with live_server.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(VILLAGE)).scalar_one() == 2


def test_the_laptops_of_the_commune_pull_the_list_and_no_other_commune_does(
        live_server: LiveServer, tmp_path: Path):
    ours, theirs = commune_codes()
    laptop, other = enrol(live_server, ours), enrol(live_server, theirs)
    table = read_table(write_xlsx(tmp_path / "ds.xlsx", GOOD))
    import_households(live_server.engine, ours, table, "ds.xlsx", "test")
    pulled = laptop.pull_all()
    listed = [c["data"] for c in pulled if c["table"] == "listed_household"]
    assert sorted(row["head_name"] for row in listed) == ["Giàng Thị Mỷ", "Lò Văn Pánh",
                                                          "Vàng A Dơ"]
    assert {c["table"] for c in pulled} >= {"commune", "village", "listed_household"}
    assert not [c for c in other.pull_all() if c["table"] == "listed_household"]


def test_two_officers_importing_one_list_at_once_add_it_once(db_url: str, tmp_path: Path):
    engine = open_database(db_url)
    table = read_table(write_xlsx(tmp_path / "ds.xlsx", GOOD))
    barrier = threading.Barrier(2)
    done: list[int] = []

    def officer() -> None:
        barrier.wait()
        done.append(import_households(engine, commune_codes()[0], table, "ds.xlsx",
                                      "test").imported)

    threads = [threading.Thread(target=officer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(TIMEOUT_S)
    assert sorted(done) == [0, 3]
    assert count(engine, LISTED) == 3
    engine.dispose()


# -- the web pages ----------------------------------------------------------------------------


def upload(server: LiveServer, browser: requests.Session, path: Path,
           code: int) -> requests.Response:
    page = browser.get(server.url + "/households/import", timeout=TIMEOUT_S)
    assert page.status_code == 200
    with path.open("rb") as handle:
        return browser.post(server.url + "/households/import", timeout=TIMEOUT_S,
                            data={"csrf_token": csrf_of(page), "commune_code": str(code)},
                            files={"file": (path.name, handle)})


def tile(page: requests.Response, label: str) -> int:
    found = re.search(r'<div class="value">([\d.]+)</div><div class="label">' + label,
                      page.text)
    assert found, page.text
    return int(found.group(1).replace(".", ""))


def test_the_officer_uploads_checks_the_columns_and_imports(web: LiveServer,
                                                           browser: requests.Session,
                                                           tmp_path: Path):
    code = commune_codes()[0]
    preview = upload(web, browser, write_xlsx(tmp_path / "ds.xlsx", [*GOOD, BAD]), code)
    assert preview.status_code == 200 and "/households/import/" in preview.url
    assert (tile(preview, "Hộ sẽ nhập"), tile(preview, "Dòng bị từ chối")) == (3, 1)
    assert re.search(r'<option value="id_number" selected>', preview.text)
    assert "Số định danh phải có đúng 12 chữ số" in preview.text

    # Leaving the ID column out makes the bad row good (its ID is no longer read).
    choices = {f"c0_{i}": name for i, name in enumerate(
        ["", "head_name", "village", "date_of_birth", "gender", "", "phone", "address"])}
    rechecked = browser.get(preview.url, params=choices, timeout=TIMEOUT_S)
    assert (tile(rechecked, "Hộ sẽ nhập"), tile(rechecked, "Dòng bị từ chối")) == (4, 0)

    # Confirming with the guessed columns and a refused row asks for the officer's choice.
    form = {"csrf_token": csrf_of(preview), **{f"c0_{i}": name for i, name in enumerate(
        ["", "head_name", "village", "date_of_birth", "gender", "id_number", "phone",
         "address"])}}
    refused = browser.post(preview.url, data=form, timeout=TIMEOUT_S)
    assert refused.status_code == 409 and "nhập các dòng hợp lệ" in refused.text
    assert count(web.engine, LISTED) == 0

    report = browser.get(preview.url + "/report.csv", timeout=TIMEOUT_S)
    assert report.status_code == 200 and "Bị từ chối" in report.content.decode("utf-8-sig")

    imported = browser.post(preview.url, data={**form, "partial": "1"}, timeout=TIMEOUT_S)
    assert imported.status_code == 200 and "Đã nhập 3 hộ" in imported.text
    assert count(web.engine, LISTED) == 3 and count(web.engine, list_upload) == 0
    landing = browser.get(web.url + "/households/import", timeout=TIMEOUT_S)
    assert re.search(r"Bản Tà Xùa</td><td class=\"num\">2</td>", landing.text)
    again = browser.get(preview.url, timeout=TIMEOUT_S)
    assert again.status_code == 404 and "không còn" in again.text


def test_an_upload_that_is_no_spreadsheet_is_refused_on_the_page(web: LiveServer,
                                                                  browser: requests.Session,
                                                                  tmp_path: Path):
    photo = tmp_path / "anh.xls"
    photo.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600)
    answer = upload(web, browser, photo, commune_codes()[0])
    assert answer.status_code == 422 and "Không đọc được tệp" in answer.text
    assert count(web.engine, list_upload) == 0


def test_the_import_pages_need_a_logged_in_officer_and_the_csrf_token(
        web: LiveServer, browser: requests.Session, tmp_path: Path):
    anonymous = requests.get(web.url + "/households/import", timeout=TIMEOUT_S,
                             allow_redirects=False)
    assert anonymous.status_code == 303 and "/login" in anonymous.headers["location"]
    with write_xlsx(tmp_path / "ds.xlsx", GOOD).open("rb") as handle:
        forged = browser.post(web.url + "/households/import", timeout=TIMEOUT_S,
                              data={"commune_code": str(commune_codes()[0])},
                              files={"file": ("ds.xlsx", handle)})
    assert forged.status_code == 403 and count(web.engine, list_upload) == 0


def test_a_laptop_cannot_put_on_the_list_what_the_import_would_refuse(live_server: LiveServer):
    laptop = enrol(live_server, commune_codes()[0])
    village = laptop.village()
    bad = ListedHousehold(village_id=village.id, head_name="Lò Văn Pánh", id_number="011085",
                          phone="0241234567", address="mật khẩu VNeID 123456")
    results = laptop.push_ok([laptop.change(village), laptop.change(bad)])
    assert [r["status"] for r in results] == ["applied", "rejected"]
    reason = results[1]["reason"]
    assert "12 chữ số" in reason and "di động" in reason and "mật khẩu" in reason.lower()


def test_a_laptop_may_only_link_a_listed_household_to_the_one_it_registered(
        live_server: LiveServer, tmp_path: Path):
    from fieldkit.core.models import Assignment, Volunteer

    laptop = enrol(live_server, commune_codes()[0])
    import_households(live_server.engine, commune_codes()[0],
                      read_table(write_xlsx(tmp_path / "ds.xlsx", GOOD[:1])), "ds.xlsx", "t")
    (pulled,) = [c for c in laptop.pull_all() if c["table"] == "listed_household"]
    hamlet = pulled["data"]["village_id"]
    home = household(Village(id=hamlet, commune_id=laptop.commune_id, name="Bản Phiêng Luông"),
                     head_name="Lò Văn Pánh")
    volunteer = Volunteer(full_name="Lò Thị Linh", commune_id=laptop.commune_id)
    assert {r["status"] for r in laptop.push_ok([laptop.change(home),
                                                 laptop.change(volunteer)])} == {"applied"}

    made_up = ListedHousehold(village_id=hamlet, head_name="Hộ tự thêm")
    renamed = ListedHousehold(**{**pulled["data"], "head_name": "Tên khác"})
    given = Assignment(volunteer_id=volunteer.id, village_id=hamlet)
    results = laptop.push_ok([laptop.change(made_up), laptop.change(renamed, 1),
                              laptop.change(given)])
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert all("cán bộ xã" in r["reason"] for r in results)

    linked = ListedHousehold(**{**pulled["data"], "household_id": home.id})
    (result,) = laptop.push_ok([laptop.change(linked, 1)])
    assert result["status"] == "applied"
    with live_server.engine.connect() as conn:
        assert conn.execute(select(LISTED.c.household_id)).scalar_one() == home.id
