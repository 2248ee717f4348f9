"""`fieldkit forms import` as commune IT staff run it on a workbook from Excel: real processes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.core.test_xlsform import SETTINGS, SURVEY, with_cell, write_workbook

pytestmark = pytest.mark.slow


def run_fieldkit(*args: str | Path) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "FIELDKIT_DATA_DIR"}
    env.update(PYTHONIOENCODING="utf-8", PYTHONUTF8="1")
    return subprocess.run([sys.executable, "-m", "fieldkit", *map(str, args)],
                          capture_output=True, encoding="utf-8", env=env, timeout=120)


def test_an_imported_workbook_is_written_and_then_passes_the_check(tmp_path: Path):
    workbook = write_workbook(tmp_path / "household.xlsx")
    out = tmp_path / "forms"

    imported = run_fieldkit("forms", "import", workbook, "--out", out)

    assert imported.returncode == 0, imported.stderr
    written = out / "household_survey.json"
    assert str(written) in imported.stdout
    definition = json.loads(written.read_text(encoding="utf-8"))
    assert definition["title"] == {"vi": "Khảo sát hộ gia đình", "en": "Household survey"}

    checked = run_fieldkit("forms", "check", out)
    assert checked.returncode == 0, checked.stderr
    assert "household_survey 2026.1: pages 2, fields 10, repeats 1" in checked.stdout


def test_a_broken_workbook_exits_one_naming_the_row_and_writes_nothing(tmp_path: Path):
    broken = with_cell(SURVEY, 14, "relevant", "${insured} = 'yes'")
    workbook = write_workbook(tmp_path / "broken.xlsx", survey=broken)
    out = tmp_path / "forms"

    result = run_fieldkit("forms", "import", workbook, "--out", out)

    assert result.returncode == 1
    assert f"error: {workbook}: survey sheet row 14 (field 'card'): relevant refers to unknown " \
        "field ${insured}" in result.stderr
    assert result.stdout == ""
    assert not out.exists() or not any(out.iterdir())


def test_an_unsupported_type_exits_one_naming_the_row(tmp_path: Path):
    workbook = write_workbook(tmp_path / "gps.xlsx",
                              survey=with_cell(SURVEY, 5, "type", "geopoint"))

    result = run_fieldkit("forms", "import", workbook, "--out", tmp_path / "forms")

    assert result.returncode == 1
    assert "survey sheet row 5: type 'geopoint' is not supported" in result.stderr


def test_importing_the_same_id_and_version_twice_is_refused(tmp_path: Path):
    workbook = write_workbook(tmp_path / "household.xlsx")
    out = tmp_path / "forms"
    assert run_fieldkit("forms", "import", workbook, "--out", out).returncode == 0
    before = (out / "household_survey.json").read_bytes()

    again = run_fieldkit("forms", "import", workbook, "--out", out)

    assert again.returncode == 1
    assert "already holds form 'household_survey' version 2026.1; bump the version" in \
        again.stderr
    assert (out / "household_survey.json").read_bytes() == before

    bumped = write_workbook(tmp_path / "bumped.xlsx",
                            settings=with_cell(SETTINGS, 2, "version", "2026.2"))
    assert run_fieldkit("forms", "import", bumped, "--out", out).returncode == 0
    assert json.loads((out / "household_survey.json").read_text("utf-8"))["version"] == "2026.2"


def test_importing_does_not_load_qt(tmp_path: Path):
    workbook = write_workbook(tmp_path / "household.xlsx")
    code = (
        "import sys; from fieldkit.cli import main; "
        f"code = main(['forms', 'import', {str(workbook)!r}, '--out', "
        f"{str(tmp_path / 'forms')!r}]); "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'; "
        "sys.exit(code)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                            encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
