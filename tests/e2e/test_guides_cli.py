"""`fieldkit guides check` as a trainer runs it after editing a guide: real processes."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

GOOD = {
    "id": "good_guide",
    "version": "2",
    "title": {"vi": "Hướng dẫn tốt", "en": "A good guide"},
    "steps": [
        {"id": "start", "instruction": {"vi": "Bắt đầu"},
         "next": [{"when": "under_14", "go": "child"}, {"otherwise": "adult"}]},
        {"id": "child", "instruction": {"vi": "Trẻ em"}, "next": None},
        {"id": "adult", "instruction": {"vi": "Người lớn"}, "next": None},
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


def test_the_shipped_guides_pass():
    result = run_fieldkit("guides", "check")

    assert result.returncode == 0, result.stderr
    assert "register_level1 " in result.stdout and "branches" in result.stdout
    assert "9 of 9 guides OK" in result.stdout


def test_good_guides_print_a_summary_and_exit_zero(tmp_path: Path):
    write(tmp_path, "good_guide.json", GOOD)

    result = run_fieldkit("guides", "check", str(tmp_path))

    assert result.returncode == 0, result.stderr
    assert "good_guide 2: steps 3, branches 2" in result.stdout
    assert result.stderr == ""


def test_a_broken_guide_is_named_and_fails_the_check(tmp_path: Path):
    write(tmp_path, "good_guide.json", GOOD)
    bad = json.loads(json.dumps(GOOD))
    bad["id"] = "bad_guide"
    bad["steps"][0]["next"][0]["go"] = "kid"
    path = write(tmp_path, "bad_guide.json", bad)

    result = run_fieldkit("guides", "check", str(tmp_path))

    assert result.returncode == 1
    assert "good_guide 2: steps 3, branches 2" in result.stdout
    assert f"error: {path}: step 'start': next goes to an unknown step 'kid'" in result.stderr
    assert "1 of 2 guides OK" in result.stderr


def test_an_empty_folder_fails(tmp_path: Path):
    result = run_fieldkit("guides", "check", str(tmp_path))

    assert result.returncode == 1
    assert "no guides" in result.stderr
