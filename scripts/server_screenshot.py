"""Screenshot the commune server's dashboard with synthetic data, for the README.

    .venv/bin/python scripts/server_screenshot.py docs/screenshots/dashboard.png

Starts a real server on a temporary SQLite database, fills it with synthetic households
(fieldkit.core.synthetic; no real person appears), logs in over HTTP like a browser, and has
headless Chromium render the dashboard. The page is saved with its stylesheet inlined and
rendered from that file, so Chromium needs no session cookie and the server needs no special
login path that would weaken it in production.
"""

from __future__ import annotations

import random
import re
import socket
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

import requests
import uvicorn
from sqlalchemy import Engine, insert

from fieldkit.core.columns import dumps_codes, utcnow
from fieldkit.core.communes import communes_of, provinces
from fieldkit.core.folding import fold
from fieldkit.core.ids import commune_id, uuid7
from fieldkit.core.models import (
    FormRecord,
    GuideRun,
    Household,
    Person,
    SyncedRow,
    Village,
    Visit,
    Volunteer,
)
from fieldkit.core.synthetic import households, village_names
from fieldkit_server.admins import create_admin
from fieldkit_server.app import create_app
from fieldkit_server.db import open_database, writing
from fieldkit_server.enrolment import ensure_commune

SEED = 2025
HOUSEHOLDS = 640
VOLUNTEERS = ("Lò Thị Linh", "Giàng A Sử", "Quàng Văn Thắng", "Nguyễn Thu Hà", "Sùng Thị Mai")
ADMIN, PASSWORD = "minh", "chi-dung-de-chup-man-hinh"
SERVICES_BY_STATUS = {"level1": "vneid_level1", "activated": "vneid_activation",
                      "level2": "vneid_level2_prep"}


def fill(engine: Engine) -> None:
    """A commune twelve weeks into its campaign: visits ramp up, guides set VNeID statuses."""
    rng = random.Random(SEED)
    code = communes_of(provinces()[0][0])[0].code
    now = utcnow()
    rows: list[SyncedRow] = []
    with writing(engine) as conn:
        ensure_commune(conn, code)
    owner = commune_id(code)
    volunteers = [Volunteer(id=uuid7(), full_name=name, commune_id=owner) for name in VOLUNTEERS]
    names = village_names(6, SEED)
    villages = {name: Village(id=uuid7(), commune_id=owner, name=name,
                              kind="ban" if name.startswith("Bản") else "thon")
                for name in names}
    rows += [*volunteers, *villages.values()]
    for made in households(SEED, HOUSEHOLDS, names):
        home = Household(id=uuid7(), village_id=villages[made.village].id,
                         head_name=made.head.full_name, address=made.address, phone=made.phone,
                         sort_key=fold(made.head.full_name))
        people = [Person(id=uuid7(), household_id=home.id, full_name=p.full_name,
                         id_number=p.id_number, date_of_birth=p.date_of_birth, gender=p.gender,
                         ethnicity=p.ethnicity, phone=p.phone, relation_to_head=p.relation_to_head,
                         vneid_status=p.vneid_status) for p in made.members]
        rows += [home, *people]
        if rng.random() > 0.55:
            continue
        # Later weeks busier than the first: the campaign gathers pace.
        days_ago = int(84 * (1 - rng.random() ** 0.7))
        started = now - timedelta(days=days_ago, hours=rng.randrange(8))
        who = rng.choice(volunteers)
        trip = Visit(id=uuid7(), household_id=home.id, volunteer_id=who.id, started_at=started,
                     ended_at=started + timedelta(minutes=rng.randrange(20, 90)),
                     outcome=rng.choice(["done", "done", "partly", "revisit"]), services="[]")
        rows.append(trip)  # before its guide runs: they name it
        services = set()
        for helped in people:
            if helped.vneid_status in SERVICES_BY_STATUS and rng.random() < 0.6:
                services.add(SERVICES_BY_STATUS[helped.vneid_status])
                rows.append(GuideRun(id=uuid7(), visit_id=trip.id, person_id=helped.id,
                                     guide_id="register_level1", guide_version="1",
                                     started_at=started, ended_at=started, status="finished",
                                     result_status=helped.vneid_status))
        if rng.random() < 0.3:
            services.add("residence")
            done = rng.random() < 0.6
            rows.append(FormRecord(id=uuid7(), form_id="residence_ct01", form_version="2026.1",
                                   household_id=home.id, person_id=people[0].id,
                                   status="complete" if done else "draft", answers="{}",
                                   completed_at=started if done else None))
        trip.services = dumps_codes(sorted(services) or ["other"])
    with writing(engine) as conn:
        for row in rows:
            row.version, row.updated_at = 1, now
            conn.execute(insert(type(row).__table__).values(row.model_dump()))


def serve(engine: Engine, db_url: str) -> tuple[str, uvicorn.Server, threading.Thread]:
    app = create_app(db_url, engine=engine)  # with the web pages mounted
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline:
            raise SystemExit("the server did not start")
        time.sleep(0.05)
    return f"http://127.0.0.1:{sock.getsockname()[1]}", server, thread


def dashboard_html(url: str) -> str:
    """The dashboard as a logged-in browser gets it, with the stylesheet inlined."""
    browser = requests.Session()
    form = browser.get(url + "/login", timeout=30)
    token = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)  # type: ignore[union-attr]
    answer = browser.post(url + "/login", timeout=30, data={
        "username": ADMIN, "password": PASSWORD, "next": "/", "csrf_token": token})
    answer.raise_for_status()
    css = browser.get(url + "/static/fieldkit.css", timeout=30).text
    return answer.text.replace('<link rel="stylesheet" href="/static/fieldkit.css">',
                               f"<style>{css}</style>")


def main(out: Path) -> None:
    with tempfile.TemporaryDirectory() as folder:
        db_url = f"sqlite:///{Path(folder) / 'server.db'}"
        engine = open_database(db_url)
        create_admin(engine, ADMIN, PASSWORD)
        fill(engine)
        url, server, thread = serve(engine, db_url)
        try:
            page = Path(folder) / "dashboard.html"
            page.write_text(dashboard_html(url), encoding="utf-8")
        finally:
            server.should_exit = True
            thread.join(30)
            engine.dispose()
        out.parent.mkdir(parents=True, exist_ok=True)
        subprocess.run(["chromium", "--headless", "--disable-gpu", "--no-sandbox",
                        "--hide-scrollbars", f"--screenshot={out.resolve()}",
                        "--window-size=1366,900", page.as_uri()],
                       check=True, capture_output=True, timeout=120)
    print(f"wrote {out}")


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: server_screenshot.py OUT.png")
    main(Path(sys.argv[1]))
