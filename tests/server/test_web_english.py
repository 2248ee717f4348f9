"""The officer's pages in English: the header switch, Accept-Language, every page and export
free of Vietnamese but for data, and a catalogue entry for every text the pages translate.

Test data is built with ASCII names, so any Vietnamese letter left on an English page is
interface text that was not translated. Commune and province names come from the official
list and are data: they are taken out before the check.
"""

from __future__ import annotations

import ast
import csv
import html
import io
import json
import re
from datetime import timedelta
from pathlib import Path

import requests
from openpyxl import load_workbook
from sqlalchemy import select

from fieldkit.core.columns import dumps_codes, utcnow
from fieldkit.core.communes import commune
from fieldkit.core.folding import fold
from fieldkit.core.ids import uuid7
from fieldkit.core.models import FormRecord, Household, Visit, Volunteer
from fieldkit_server.tables import audit_log
from tests.live_server import LiveServer
from tests.server.laptop import TIMEOUT_S, commune_codes, person
from tests.server.test_web import csrf_of, enrol_with_key, pushed

WEB = Path(__file__).resolve().parents[2] / "sync" / "fieldkit_server" / "web"
CATALOGUE = WEB / "i18n_en.json"
VIETNAMESE = re.compile("[àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữự"
                        "ỳýỷỹỵ]", re.IGNORECASE)
PLACEHOLDER = re.compile(r"\{(\w*)\}")
TEMPLATE_TR = re.compile(r"""\btr\(\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)')""")
TEMPLATE_CODE = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.S)
TEMPLATE_STRING = re.compile(r""""((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'""")
# Calls whose text goes into the audit log, a record kept in the language it was written in.
RECORDS = {"write_audit", "save_campaign"}
# Vietnamese kept on purpose: each language's name in the header switch is written in that
# language, and a USB sync answer's summary is stored with the answer (a record, like audit).
KEPT = {"Tiếng Việt", "Máy “"}


# -- the pages, switched to English ------------------------------------------------------------

def build_ascii_commune(server: LiveServer) -> dict[str, str]:
    """A hamlet, two volunteers, households with visits and forms, and an open conflict, all
    named in ASCII."""
    code = commune_codes()[0]
    first, _ = enrol_with_key(server, code, "Laptop A")
    second, _ = enrol_with_key(server, code, "Laptop B")
    village = first.village("Ban Phieng Luong")
    volunteers = [Volunteer(id=uuid7(), full_name=name, commune_id=first.commune_id)
                  for name in ("Lo Thi Linh", "Giang A Su")]
    homes = [Household(id=uuid7(), village_id=village.id, head_name=name, address="Upper lane",
                       sort_key=fold(name)) for name in ("Lo Van Panh", "Quang Thi Dung")]
    people = [person(homes[0], full_name="Lo Van Panh", vneid_status="level2"),
              person(homes[1], full_name="Quang Thi Dung", vneid_status="none")]
    now = utcnow()
    visits = [Visit(id=uuid7(), household_id=homes[0].id, volunteer_id=volunteers[0].id,
                    started_at=now - timedelta(days=1), ended_at=now - timedelta(hours=23),
                    services=dumps_codes(["vneid_level1"]), outcome="done")]
    forms = [FormRecord(id=uuid7(), form_id="residence_ct01", form_version="2026.1",
                        household_id=homes[0].id, person_id=people[0].id, status="draft",
                        answers="{}")]
    pushed(first, [village, *volunteers, *homes, *people, *visits, *forms])
    from_second = homes[1].model_copy(update={"address": "Lower lane"})
    assert second.push_ok([second.change(from_second, base_version=1)])[0]["status"] == \
        "applied"
    from_first = homes[1].model_copy(update={"address": "Middle lane", "phone": "0912345678"})
    assert first.push_ok([first.change(from_first, base_version=1)])[0]["status"] == "conflict"
    return {"code": str(code), "village": village.id, "volunteer": volunteers[0].id}


def switch(browser: requests.Session, server: LiveServer, code: str,
           back_to: str = "/") -> requests.Response:
    page = browser.get(f"{server.url}/language/{code}", params={"next": back_to},
                       timeout=TIMEOUT_S)
    assert page.status_code == 200, page.text
    return page


def visible_text(page: str) -> str:
    """What a reader sees: no scripts, styles, tags or attributes, and not the language
    switch (each language is named in itself there)."""
    page = re.sub(r"<(script|style)\b.*?</\1>", " ", page, flags=re.S | re.I)
    page = re.sub(r'<div class="languages".*?</div>', " ", page, flags=re.S)
    return html.unescape(re.sub(r"<[^>]+>", " ", page))


def untranslated(text: str, data: list[str]) -> list[str]:
    """Each Vietnamese word left once `data` is taken out, in its surroundings."""
    for value in sorted(data, key=len, reverse=True):
        text = text.replace(value, " ")
    text = " ".join(text.split())
    words = re.finditer(rf"\S*{VIETNAMESE.pattern}\S*", text, re.IGNORECASE)
    return list(dict.fromkeys(text[max(0, m.start() - 40):m.end() + 40] for m in words))[:15]


def data_values(server: LiveServer, code: str) -> list[str]:
    """Texts that are data, not interface: the official commune and province names, and
    the audit log's details (records kept as they were written)."""
    found = commune(int(code))
    with server.engine.connect() as conn:
        details = [d for d in conn.execute(select(audit_log.c.detail)).scalars() if d]
    return [found.name, found.province_name, *details]


def test_every_page_reads_in_english_once_the_officer_switches(web: LiveServer,
                                                               browser: requests.Session):
    made = build_ascii_commune(web)
    code = made["code"]
    targets = browser.get(f"{web.url}/progress/targets?commune={code}", timeout=TIMEOUT_S)
    saved = browser.post(f"{web.url}/progress/targets", timeout=TIMEOUT_S, data={
        "csrf_token": csrf_of(targets), "commune": code,
        "starts_on": (utcnow() - timedelta(days=3)).date().isoformat(),
        "ends_on": (utcnow() + timedelta(days=40)).date().isoformat(),
        f"households_{made['village']}": "10"})
    assert saved.status_code == 200, saved.text
    assigned = browser.post(f"{web.url}/assignments", timeout=TIMEOUT_S, data={
        "csrf_token": csrf_of(targets), "village": made["village"],
        "volunteer": made["volunteer"], "note": "old people first"})
    assert assigned.status_code == 200, assigned.text

    home = switch(browser, web, "en")
    assert '<html lang="en">' in home.text and "Overview" in home.text
    pages = ["/", "/devices", "/households", "/visits", "/forms", "/conflicts", "/export",
             "/progress", f"/progress/targets?commune={code}", "/progress/targets",
             "/assignments", f"/volunteers/{made['volunteer']}/work", "/sync-files",
             "/receipts", "/households/import"]
    if browser.get(f"{web.url}/audit", timeout=TIMEOUT_S).status_code == 200:
        pages.append("/audit")
    problems = {}
    for path in pages:
        page = browser.get(web.url + path, timeout=TIMEOUT_S)
        assert page.status_code == 200, (path, page.status_code)
        assert '<html lang="en">' in page.text, path
        left = untranslated(visible_text(page.text), data_values(web, code))
        if left:
            problems[path] = left
    login = requests.get(f"{web.url}/login", timeout=TIMEOUT_S,
                         cookies={"fieldkit_language": "en"})
    if left := untranslated(visible_text(login.text), []):
        problems["/login"] = left
    assert not problems, json.dumps(problems, ensure_ascii=False, indent=1)


def test_the_switch_is_remembered_and_vietnamese_stays_the_default(web: LiveServer,
                                                                  browser: requests.Session):
    first = browser.get(web.url + "/households", timeout=TIMEOUT_S)
    assert '<html lang="vi">' in first.text and "Hộ gia đình" in first.text
    assert 'href="/language/en?next=/households"' in first.text

    back = switch(browser, web, "en", "/households?q=lo")
    assert back.url == f"{web.url}/households?q=lo"
    assert "Households" in back.text and "Hộ gia đình" not in back.text
    assert "Households" in browser.get(web.url + "/households", timeout=TIMEOUT_S).text

    again = switch(browser, web, "vi", "/households")
    assert '<html lang="vi">' in again.text and "Hộ gia đình" in again.text
    # Only paths on this server: anything else goes home, as after logging in.
    elsewhere = browser.get(f"{web.url}/language/en", params={"next": "//evil.example/"},
                            timeout=TIMEOUT_S, allow_redirects=False)
    assert elsewhere.headers["location"] == "/"


def test_without_a_choice_the_browser_language_decides(web: LiveServer):
    def title(accept: str | None) -> str:
        headers = {"Accept-Language": accept} if accept else {}
        page = requests.get(f"{web.url}/login", headers=headers, timeout=TIMEOUT_S)
        return re.search(r"<h1>(.*?)</h1>", page.text).group(1)

    assert title(None) == "Đăng nhập"
    assert title("en-GB,en;q=0.9") == "Log in"
    assert title("vi-VN,vi;q=0.9,en;q=0.8") == "Đăng nhập"
    assert title("fr-FR,en;q=0.7,vi;q=0.5") == "Log in"
    assert title("fr-FR,de;q=0.5") == "Đăng nhập"


def test_a_message_made_by_a_handler_follows_the_language(web: LiveServer,
                                                         browser: requests.Session):
    switch(browser, web, "en")
    page = browser.get(web.url + "/devices", timeout=TIMEOUT_S)
    refused = browser.post(f"{web.url}/devices/enrolment-code", timeout=TIMEOUT_S,
                           data={"csrf_token": csrf_of(page), "commune_code": "x"})
    assert refused.status_code == 400
    assert "There is no commune with code “x”. Enter the official commune code." in refused.text
    forged = browser.post(f"{web.url}/export", timeout=TIMEOUT_S, data={"kind": "people"})
    assert forged.status_code == 403 and "The form has expired" in forged.text


def test_exports_have_english_headers_for_an_english_officer(web: LiveServer,
                                                            browser: requests.Session):
    build_ascii_commune(web)
    switch(browser, web, "en")
    page = browser.get(web.url + "/export", timeout=TIMEOUT_S)

    def download(kind: str, fmt: str) -> bytes:
        answer = browser.post(f"{web.url}/export", timeout=TIMEOUT_S,
                              data={"csrf_token": csrf_of(page), "kind": kind, "format": fmt})
        assert answer.status_code == 200, answer.text
        return answer.content

    rows = list(csv.reader(io.StringIO(download("visits", "csv").decode("utf-8-sig"))))
    assert rows[0] == ["Commune", "Hamlet", "Head of household", "Started", "Ended",
                       "Volunteer", "Support given", "Result"]
    assert rows[1][6:] == ["VNeID level 1 registration", "All done"]
    book = load_workbook(io.BytesIO(download("people", "xlsx")))
    sheet = book.active
    assert sheet.title == "People"
    headers = [cell.value for cell in sheet[1]]
    assert headers[:4] == ["Commune", "Hamlet", "Head of household", "Full name"]
    assert [sheet.cell(row=2, column=5).value, sheet.cell(row=2, column=11).value] == \
        ["Head of household", "Level 2"]


# -- the catalogue ------------------------------------------------------------------------------

def _python_texts(path: Path) -> tuple[set[str], list[str]]:
    """(texts passed to tr(...), other Vietnamese literals) of one module: docstrings and
    texts written into the audit log left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    wrapped: set[str] = set()
    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(body, list) and body and isinstance(body[0], ast.Expr) \
                and isinstance(body[0].value, ast.Constant):
            skipped.add(id(body[0].value))
        if isinstance(node, ast.Call):
            name = getattr(node.func, "id", None) or getattr(node.func, "attr", "")
            if name == "tr" and node.args and isinstance(node.args[0], ast.Constant):
                wrapped.add(node.args[0].value)
            if name in RECORDS:
                skipped.update(id(inner) for arg in node.args for inner in ast.walk(arg))
    others = []
    for node in ast.walk(tree):
        if isinstance(node, ast.JoinedStr) and id(node) not in skipped:
            # A Vietnamese f-string cannot be looked up: it must be tr("…").format(…).
            literal = "".join(part.value for part in node.values
                              if isinstance(part, ast.Constant))
            if VIETNAMESE.search(literal) and not any(
                    isinstance(part, ast.Constant) and part.value in KEPT
                    for part in node.values):
                others.append(f"f-string: {ast.unparse(node)}")
            skipped.update(id(part) for part in node.values)
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) \
                and id(node) not in skipped and VIETNAMESE.search(node.value) \
                and node.value not in wrapped and node.value not in KEPT:
            others.append(node.value)
    return wrapped, others


def _template_texts(path: Path) -> tuple[set[str], list[str]]:
    """(texts passed to tr(...), Vietnamese left outside tr) of one template."""
    source = path.read_text(encoding="utf-8")
    wrapped = {double if double is not None else single
               for double, single in TEMPLATE_TR.findall(source)}
    bare = [" ".join(text.split()) for text in TEMPLATE_CODE.split(source)
            if VIETNAMESE.search(text)]
    for code in TEMPLATE_CODE.findall(source):
        for found in TEMPLATE_STRING.finditer(code):
            literal = found.group(1) if found.group(1) is not None else found.group(2)
            before = code[:found.start()].rstrip()
            if VIETNAMESE.search(literal) and not before.endswith("tr("):
                bare.append(literal)
    return wrapped, bare


def test_every_translated_text_has_english_with_the_same_placeholders():
    english = json.loads(CATALOGUE.read_text(encoding="utf-8"))
    missing, mismatched, unwrapped = [], [], []
    for path in sorted([*WEB.glob("*.py"), *(WEB / "templates").glob("*.html")]):
        wrapped, others = (_python_texts(path) if path.suffix == ".py"
                           else _template_texts(path))
        # Texts kept in tables (column headers, labels) are translated where they are shown,
        # so they need an entry as much as a tr("…") literal does.
        needed = wrapped | ({text for text in others if not text.startswith("f-string: ")}
                            if path.suffix == ".py" else set())
        for text in sorted(needed):
            if text not in english:
                missing.append(f"{path.name}: {text}")
            elif set(PLACEHOLDER.findall(text)) != set(PLACEHOLDER.findall(english[text])):
                mismatched.append(f"{path.name}: {text} → {english[text]}")
        if path.suffix == ".html":
            unwrapped += [f"{path.name}: {text}" for text in others]
        else:
            unwrapped += [f"{path.name}: {text}" for text in others
                          if text.startswith("f-string: ")]
    assert not missing, "no English for:\n" + "\n".join(missing)
    assert not mismatched, "placeholders differ:\n" + "\n".join(mismatched)
    assert not unwrapped, "Vietnamese outside tr(…):\n" + "\n".join(unwrapped)
    assert not [text for text, value in english.items() if not value.strip()]
