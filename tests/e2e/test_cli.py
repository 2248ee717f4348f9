"""`python -m fieldkit` as CI and volunteers' support staff run it: real processes, real files."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from fieldkit.core import paths
from fieldkit.core.store import Store

pytestmark = pytest.mark.slow

PASSPHRASE = "passphrase-for-cli-tests"
SQLITE_HEADER = b"SQLite format 3"
PHASE_LINE = re.compile(r"^(?P<name>\S.*?)\s+(?P<ms>\d+\.\d) ms$")


def run_fieldkit(*args: str, passphrase: str | None = None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items()
           if k not in ("FIELDKIT_PASSPHRASE", "FIELDKIT_DATA_DIR")}
    env.update(QT_QPA_PLATFORM="offscreen", PYTHONIOENCODING="utf-8", PYTHONUTF8="1")
    if passphrase is not None:
        env["FIELDKIT_PASSPHRASE"] = passphrase
    return subprocess.run([sys.executable, "-m", "fieldkit", *args], capture_output=True,
                          encoding="utf-8", env=env, timeout=120)


def phases(stdout: str) -> dict[str, float]:
    found = {}
    for line in stdout.splitlines():
        if match := PHASE_LINE.match(line.strip()):
            found[match["name"]] = float(match["ms"])
    return found


def snapshot(directory: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(directory.iterdir()) if p.is_file()}


@pytest.fixture
def existing_store(tmp_path: Path) -> Path:
    data_dir = tmp_path / "existing"
    Store.create(data_dir, PASSPHRASE).close()
    return data_dir


def test_smoke_test_creates_an_encrypted_store_then_opens_it(tmp_path: Path):
    data_dir = tmp_path / "empty"
    first = run_fieldkit("--smoke-test", "--data-dir", str(data_dir), passphrase=PASSPHRASE)
    assert first.returncode == 0, first.stderr
    assert "smoke test passed" in first.stdout
    timings = phases(first.stdout)
    assert {"start-up", "imports", "create store", "build main window", "render",
            "total"} <= set(timings), first.stdout
    assert "unlock store" not in timings
    assert paths.store_exists(data_dir)
    db = paths.db_path(data_dir).read_bytes()
    assert len(db) > 0 and not db.startswith(SQLITE_HEADER), "the store must be encrypted"

    second = run_fieldkit("--smoke-test", "--data-dir", str(data_dir), passphrase=PASSPHRASE)
    assert second.returncode == 0, second.stderr
    assert "smoke test passed" in second.stdout
    timings = phases(second.stdout)
    assert "unlock store" in timings and "create store" not in timings, second.stdout


def test_smoke_test_with_wrong_passphrase_fails_and_touches_nothing(existing_store: Path):
    before = snapshot(existing_store)
    assert paths.DB_NAME in before and paths.KEY_NAME in before

    result = run_fieldkit("--smoke-test", "--data-dir", str(existing_store),
                          passphrase="not-the-passphrase")

    assert result.returncode != 0
    assert "Sai cụm mật khẩu" in result.stderr
    assert "smoke test passed" not in result.stdout
    assert snapshot(existing_store) == before, "a wrong passphrase must not change a byte"


def test_smoke_test_without_passphrase_says_why(tmp_path: Path):
    data_dir = tmp_path / "empty"
    result = run_fieldkit("--smoke-test", "--data-dir", str(data_dir))
    assert result.returncode != 0
    assert "FIELDKIT_PASSPHRASE" in result.stderr
    assert "smoke test passed" not in result.stdout
    assert not paths.store_exists(data_dir)


def test_first_paint_shows_setup_on_a_new_laptop(tmp_path: Path):
    data_dir = tmp_path / "empty"
    result = run_fieldkit("--smoke-test=first-paint", "--data-dir", str(data_dir))
    assert result.returncode == 0, result.stderr
    assert re.search(r"^first-paint \d+\.\d+s \(SetupWindow\)$", result.stdout, re.MULTILINE), \
        result.stdout
    assert not paths.store_exists(data_dir), "showing the setup window creates no store"


def test_first_paint_shows_unlock_when_a_store_exists(existing_store: Path):
    before = snapshot(existing_store)
    result = run_fieldkit("--smoke-test=first-paint", "--data-dir", str(existing_store))
    assert result.returncode == 0, result.stderr
    assert re.search(r"^first-paint \d+\.\d+s \(UnlockWindow\)$", result.stdout, re.MULTILINE), \
        result.stdout
    assert snapshot(existing_store) == before


def test_demo_smoke_test_seeds_the_sandbox_then_reopens_it_beside_real_data(
        existing_store: Path):
    before = snapshot(existing_store)
    first = run_fieldkit("--demo", "--smoke-test", "--data-dir", str(existing_store))
    assert first.returncode == 0, first.stderr
    assert "smoke test passed" in first.stdout
    assert "seed demo" in phases(first.stdout)
    second = run_fieldkit("--demo", "--smoke-test", "--data-dir", str(existing_store))
    assert second.returncode == 0, second.stderr
    assert "open demo" in phases(second.stdout)
    # The sandbox is its own encrypted store; the real one was not touched.
    sandbox = existing_store / "demo"
    assert paths.store_exists(sandbox)
    assert not paths.db_path(sandbox).read_bytes().startswith(SQLITE_HEADER)
    assert snapshot(existing_store) == before


@pytest.mark.parametrize("command", [["fieldkit", "--help"],
                                     ["fieldkit_server.cli", "--help"]])
def test_vietnamese_output_survives_a_legacy_code_page(command: list[str]) -> None:
    """Windows gives redirected output its legacy code page, which has no Vietnamese letters
    (cp1252 stands in for it here): both commands still print their messages, in UTF-8."""
    result = subprocess.run([sys.executable, "-m", *command], capture_output=True,
                            env={**os.environ, "PYTHONIOENCODING": "cp1252"}, timeout=120)
    assert result.returncode == 0, result.stderr.decode("utf-8", "replace")
    out = result.stdout.decode("utf-8")
    assert re.search("[ạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹđ]", out), out
