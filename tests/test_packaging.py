"""The wheel a user installs carries everything the app and the server read at run time.

The rest of the suite runs from the checkout, where `forms/` and `resources/` sit beside the
code; a wheel has to carry its own copies (setup.py puts them under fieldkit/shipped/). The
wheel is built once for this module (`pip wheel --no-deps`, a few seconds) from a clean copy
of the sources, as on a fresh checkout: setuptools reuses build/, where a file from an earlier
build would hide one the package data no longer names. The full install into a fresh
environment is `make wheel-check` (scripts/check_wheel.py).
"""

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[1]
SERVER = ROOT / "sync" / "fieldkit_server"
LAPTOP = ROOT / "src" / "fieldkit"
# What a fresh checkout does not have: environments, build output, caches.
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info",
                                     "__pycache__", ".*_cache", ".hypothesis", ".data")


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    sources = tmp_path_factory.mktemp("checkout") / "fieldkit"
    shutil.copytree(ROOT, sources, ignore=NOT_SOURCES)
    wheelhouse = tmp_path_factory.mktemp("wheelhouse")
    subprocess.run([sys.executable, "-m", "pip", "wheel", str(sources), "--no-deps", "--quiet",
                    "--disable-pip-version-check", "-w", str(wheelhouse)],
                   check=True, cwd=wheelhouse, timeout=300)
    (built,) = wheelhouse.glob("fieldkit-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def expected(folder: Path, pattern: str, inside: str) -> set[str]:
    """Where each file of `folder` matching `pattern` must be in the wheel."""
    return {f"{inside}/{path.relative_to(folder).as_posix()}" for path in folder.glob(pattern)}


def test_wheel_carries_every_form_guide_and_translation(wheel_files: set[str]) -> None:
    shipped = (expected(ROOT / "forms", "*.json", "fieldkit/shipped/forms")
               | expected(ROOT / "resources", "guides/*.json", "fieldkit/shipped/resources")
               | expected(ROOT / "resources", "i18n/*.qm", "fieldkit/shipped/resources")
               | expected(ROOT / "resources", "styles/*.qss", "fieldkit/shipped/resources"))
    assert len(shipped) > 15
    assert shipped - wheel_files == set()


def test_wheel_carries_every_file_of_both_packages(wheel_files: set[str]) -> None:
    """Modules, both migration histories, the server's templates and static files, and any
    data file added beside the code later (translation catalogues)."""
    needed = set()
    for package in (LAPTOP, SERVER):
        needed |= {path.relative_to(package.parent).as_posix()
                   for path in package.rglob("*")
                   if path.is_file() and "__pycache__" not in path.parts}
    assert {"fieldkit_server/web/templates/login.html", "fieldkit_server/web/static/fieldkit.css",
            "fieldkit/core/migrations/env.py"} <= needed
    assert {name for name in needed if "/migrations/versions/" in name}
    assert needed - wheel_files == set()


def test_unpacked_wheel_reads_its_own_forms_not_the_checkouts(wheel: Path,
                                                               tmp_path: Path) -> None:
    """Unpacked where pip would put it, first on the path: `fieldkit forms check` run from
    elsewhere finds the forms inside the package (the checkout's editable install is only
    reached through its import hook, after the path)."""
    site = tmp_path / "site-packages"
    with zipfile.ZipFile(wheel) as archive:
        archive.extractall(site)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {**os.environ, "PYTHONPATH": str(site), "PYTHONUTF8": "1"}
    where = subprocess.run(
        [sys.executable, "-c", "from fieldkit.core.paths import forms_dir, guides_dir; "
                               "print(forms_dir()); print(guides_dir())"],
        capture_output=True, encoding="utf-8", env=env, cwd=elsewhere, check=True, timeout=60)
    assert where.stdout.split() == [str(site / "fieldkit" / "shipped" / "forms"),
                                    str(site / "fieldkit" / "shipped" / "resources" / "guides")]
    check = subprocess.run([sys.executable, "-m", "fieldkit", "forms", "check"],
                           capture_output=True, encoding="utf-8", env=env, cwd=elsewhere,
                           timeout=120)
    assert check.returncode == 0, check.stderr
    listed = {line.split(" ", 1)[0] for line in check.stdout.splitlines()}
    assert {path.stem for path in (ROOT / "forms").glob("*.json")} <= listed
