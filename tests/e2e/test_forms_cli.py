"""`fieldkit forms check` as commune IT staff run it after editing a form: real processes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

REPO_FORMS = Path(__file__).resolve().parents[2] / "forms"

GOOD = {
    "id": "good_form",
    "version": "3",
    "title": {"vi": "Tờ khai tốt"},
    "survey": [
        {"type": "begin_group", "name": "page", "label": {"vi": "Trang"}},
        {"type": "text", "name": "name", "label": {"vi": "Tên"}},
        {"type": "begin_repeat", "name": "kids", "label": {"vi": "Con"}},
        {"type": "text", "name": "kid", "label": {"vi": "Tên con"}},
        {"type": "end_repeat"},
        {"type": "end_group"},
    ],
}


def run_fieldkit(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "FIELDKIT_DATA_DIR"}
    env.update(PYTHONIOENCODING="utf-8", PYTHONUTF8="1")
    return subprocess.run([sys.executable, "-m", "fieldkit", *args], capture_output=True,
                          encoding="utf-8", env=env, timeout=120)


def write(directory: Path, name: str, data: object) -> Path:
    path = directory / name
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_good_forms_print_a_summary_and_exit_zero(tmp_path: Path):
    write(tmp_path, "good_form.json", GOOD)

    result = run_fieldkit("forms", "check", str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert "good_form 3: pages 1, fields 2, repeats 1" in result.stdout
    assert result.stderr == ""


def test_a_broken_form_is_named_and_fails_the_check(tmp_path: Path):
    write(tmp_path, "good_form.json", GOOD)
    broken = json.loads(json.dumps(GOOD))
    broken["survey"][1]["relevant"] = "${nobody} = 'x'"
    bad = write(tmp_path, "broken.json", broken)

    result = run_fieldkit("forms", "check", str(tmp_path))

    assert result.returncode == 1
    assert "good_form 3:" in result.stdout
    assert f"{bad}: field 'name' (row 2): relevant refers to unknown field ${{nobody}}" in \
        result.stderr
    assert "1 of 2 forms OK" in result.stderr


def test_an_empty_folder_is_an_error_not_a_silent_pass(tmp_path: Path):
    result = run_fieldkit("forms", "check", str(tmp_path))
    assert result.returncode == 1
    assert "no form definitions" in result.stderr


def test_checking_forms_does_not_load_qt(tmp_path: Path):
    write(tmp_path, "good_form.json", GOOD)
    code = (
        "import sys; from fieldkit.cli import main; "
        f"code = main(['forms', 'check', {str(tmp_path)!r}]); "
        "assert not any(m.startswith('PySide6') for m in sys.modules), 'Qt was imported'; "
        "sys.exit(code)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True,
                            encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr


def test_the_shipped_forms_pass_by_default():
    result = run_fieldkit("forms", "check")

    assert result.returncode == 0, result.stderr
    shipped = sorted(REPO_FORMS.glob("*.json"))
    assert len(result.stdout.splitlines()) == len(shipped) + 1, result.stdout
    for path in shipped:
        assert json.loads(path.read_text(encoding="utf-8"))["id"] in result.stdout
