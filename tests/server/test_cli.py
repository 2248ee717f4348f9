"""`fieldkit-server` commands, run through the entry point's `main`."""

import json
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest
import zxingcpp
from sqlalchemy import select

from fieldkit.core.paths import forms_dir
from fieldkit_server.admins import check_admin_password
from fieldkit_server.cli import PASSWORD_ENV, main
from fieldkit_server.db import open_database
from fieldkit_server.tables import audit_log, definition, enrolment_code
from fieldkit_server.tokens import digest
from tests.server.laptop import commune_codes

CODE = re.compile(r"^[0-9A-HJKMNP-TV-Z]{4}(-[0-9A-HJKMNP-TV-Z]{4}){3}$")


def qr_text(svg: Path) -> str:
    """Decode the QR drawn by qrcode's SVG path factory: one "M x,y H … z" square per dark
    module, rasterised here and read back with zxing-cpp."""
    root = ET.fromstring(svg.read_text(encoding="utf-8"))
    size = int(root.attrib["viewBox"].split()[2])
    path = next(e for e in root.iter() if e.tag.endswith("path")).attrib["d"]
    scale = 8
    image = np.full((size * scale, size * scale), 255, dtype=np.uint8)
    for x, y in re.findall(r"M(\d+),(\d+)", path):
        x, y = int(x) * scale, int(y) * scale
        image[y:y + scale, x:x + scale] = 0
    found = zxingcpp.read_barcodes(image)
    assert len(found) == 1
    return found[0].text


def test_enroll_prints_a_code_and_writes_a_qr_the_laptop_can_read(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    svg = tmp_path / "enrol.svg"
    assert main(["enroll", "--db", db_url, "--commune", str(commune_codes()[0]),
                 "--url", "http://192.168.1.10:8765/", "--qr", str(svg), "--days", "3"]) == 0
    code = capsys.readouterr().out.strip()
    assert CODE.match(code)
    assert json.loads(qr_text(svg)) == {"url": "http://192.168.1.10:8765", "code": code}
    with open_database(db_url).connect() as conn:
        stored = conn.execute(select(enrolment_code)).one()
    assert stored.code_hash == digest(code)


def test_enroll_refuses_an_unknown_commune_and_a_qr_without_url(
        db_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    assert main(["enroll", "--db", db_url, "--commune", "999999"]) == 1
    assert "999999" in capsys.readouterr().err
    assert main(["enroll", "--db", db_url, "--commune", str(commune_codes()[0]),
                 "--qr", str(tmp_path / "q.svg")]) == 1
    assert "--url" in capsys.readouterr().err
    assert not (tmp_path / "q.svg").exists()


def test_create_admin_publish_and_revoke_are_audited(
        db_url: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]):
    monkeypatch.setenv(PASSWORD_ENV, "mật khẩu đủ dài 2026")
    assert main(["create-admin", "--db", db_url, "--username", "canbo"]) == 0
    assert main(["create-admin", "--db", db_url, "--username", "canbo"]) == 1
    assert main(["publish", "--db", db_url, str(forms_dir())]) == 0
    assert main(["revoke", "--db", db_url, "--device", "no-such-device"]) == 1
    engine = open_database(db_url)
    assert check_admin_password(engine, "canbo", "mật khẩu đủ dài 2026")
    assert not check_admin_password(engine, "canbo", "sai mật khẩu")
    assert not check_admin_password(engine, "khong-co", "mật khẩu đủ dài 2026")
    with engine.connect() as conn:
        actions = conn.execute(select(audit_log.c.action)).scalars().all()
        published = conn.execute(select(definition.c.definition_id)).scalars().all()
    assert actions.count("create_admin") == 1
    assert actions.count("publish_definition") == len(published) > 0
    assert "Đã công bố" in capsys.readouterr().out


@pytest.mark.parametrize("workers", ["2", "0"])
def test_serve_refuses_several_workers_on_sqlite_and_fewer_than_one(tmp_path: Path,
                                                                     workers: str):
    """In a subprocess with a deadline: were the refusal gone, `serve` would serve forever."""
    db = tmp_path / "server.db"
    result = subprocess.run(
        [sys.executable, "-m", "fieldkit_server.cli", "serve", "--db", f"sqlite:///{db}",
         "--port", "0", "--workers", workers], capture_output=True, text=True, timeout=60)
    assert result.returncode == 1
    assert "--workers" in result.stderr
    assert not db.exists()  # refused before the database was created
