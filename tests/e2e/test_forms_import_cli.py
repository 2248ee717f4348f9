"""`fieldkit forms import` as commune IT staff run it on a workbook from Excel: real processes."""

import json
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.core.test_xlsform import SETTINGS, SURVEY, with_cell, write_workbook

pytestmark = pytest.mark.slow
CORPUS = Path(__file__).parents[1] / "data" / "xlsforms" / "pyxform"


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


def test_a_broken_workbook_exits_one_naming_the_row_in_both_languages_and_writes_nothing(
        tmp_path: Path):
    broken = with_cell(SURVEY, 14, "relevant", "${insured} = 'yes'")
    workbook = write_workbook(tmp_path / "broken.xlsx", survey=broken)
    out = tmp_path / "forms"

    result = run_fieldkit("forms", "import", workbook, "--out", out)

    assert result.returncode == 1
    assert result.stderr.splitlines() == [
        f"{workbook}: không nhập được, 1 lỗi cần sửa",
        "  - trang 'survey', dòng 14: relevant tham chiếu trường không có trong biểu mẫu: "
        "${insured}",
        f"{workbook}: not imported, 1 problem to fix",
        "  - sheet 'survey', row 14: relevant refers to unknown field ${insured}",
    ]
    assert result.stdout == ""
    assert not out.exists() or not any(out.iterdir())


def test_every_problem_is_listed_with_its_row_in_vietnamese_then_english(tmp_path: Path):
    survey = with_cell(SURVEY, 5, "type", "rank")
    survey = with_cell(survey, 12, "constraint", "frobnicate(.) < 150")
    survey = with_cell(survey, 13, "type", "select_one insured")
    workbook = write_workbook(tmp_path / "three.xlsx", survey=survey)

    result = run_fieldkit("forms", "import", workbook, "--out", tmp_path / "forms")

    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines[0] == f"{workbook}: không nhập được, 3 lỗi cần sửa"
    assert lines[4] == f"{workbook}: not imported, 3 problems to fix"
    vietnamese, english = lines[1:4], lines[5:8]
    assert [line.split(":")[0] for line in vietnamese] == [
        "  - trang 'survey', dòng 5, cột type", "  - trang 'survey', dòng 12, cột constraint",
        "  - trang 'survey', dòng 13, cột type"]
    assert [line.split(":")[0] for line in english] == [
        "  - sheet 'survey', row 5, column type", "  - sheet 'survey', row 12, column constraint",
        "  - sheet 'survey', row 13, column type"]
    assert "xếp hạng" in vietnamese[0] and "ranking" in english[0]
    assert "hàm 'frobnicate'" in vietnamese[1] and "unknown function 'frobnicate'" in english[1]
    assert "'insured' không có trong trang choices" in vietnamese[2]
    assert "'insured' is not on the choices sheet" in english[2]
    assert len(lines) == 8 and "Traceback" not in result.stderr


def test_an_unsupported_type_exits_one_naming_the_row(tmp_path: Path):
    workbook = write_workbook(tmp_path / "rank.xlsx",
                              survey=with_cell(SURVEY, 5, "type", "rank"))

    result = run_fieldkit("forms", "import", workbook, "--out", tmp_path / "forms")

    assert result.returncode == 1
    assert "sheet 'survey', row 5, column type: type 'rank' (ranking): not supported" \
        in result.stderr
    assert "trang 'survey', dòng 5, cột type: loại 'rank'" in result.stderr


def test_an_adapted_type_imports_and_each_warning_is_printed_in_both_languages(tmp_path: Path):
    workbook = write_workbook(tmp_path / "gps.xlsx",
                              survey=with_cell(SURVEY, 5, "type", "geopoint"))
    out = tmp_path / "forms"

    result = run_fieldkit("forms", "import", workbook, "--out", out)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{workbook} -> {out / 'household_survey.json'}"
    assert result.stderr.splitlines() == [
        "cảnh báo: trang 'survey', dòng 5, cột type: máy tính không có GPS: tọa độ thành ô "
        "không bắt buộc, có thể gõ từ điện thoại hoặc bỏ trống",
        "  warning: sheet 'survey', row 5, column type: a laptop has no GPS: the location "
        "becomes an optional box where coordinates read from a phone may be typed, or left "
        "empty",
    ]


def empty_file(path: Path) -> None:
    path.write_bytes(b"")


def text_renamed(path: Path) -> None:
    path.write_text("type,name,label\ntext,name,Tên\n", encoding="utf-8")


def truncated_workbook(path: Path) -> None:
    whole = write_workbook(path.with_name("whole.xlsx")).read_bytes()
    path.write_bytes(whole[: len(whole) // 2])


def damaged_xls(path: Path) -> None:
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600)


def truncated_xls(path: Path) -> None:
    whole = (CORPUS / "tutorial.xls").read_bytes()
    path.write_bytes(whole[: len(whole) // 2])


@pytest.mark.parametrize(("name", "make", "vi", "en"), [
    ("form.xlsx", empty_file, "tệp rỗng", "the file is empty"),
    ("form.xlsx", text_renamed, "không phải bảng tính Excel", "not an Excel workbook"),
    ("form.xlsx", truncated_workbook, "bảng tính bị hỏng", "the workbook is damaged"),
    ("form.xls", damaged_xls, "tệp .xls bị hỏng", "the .xls file is damaged"),
    ("form.xls", truncated_xls, "tệp .xls bị hỏng", "the .xls file is damaged"),
], ids=["empty", "text-renamed", "truncated", "damaged-xls", "truncated-xls"])
def test_a_file_that_cannot_be_read_gets_one_line_per_language_and_no_traceback(
        tmp_path: Path, name: str, make: Callable[[Path], None], vi: str, en: str):
    workbook = tmp_path / name
    make(workbook)
    out = tmp_path / "forms"

    result = run_fieldkit("forms", "import", workbook, "--out", out)

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    vietnamese, english = result.stderr.splitlines()
    assert vietnamese.startswith(f"{workbook}: ") and vi in vietnamese
    assert english.startswith(f"{workbook}: ") and en in english
    assert result.stdout == ""
    assert not out.exists() or not any(out.iterdir())


def test_an_xls_workbook_imports_and_its_warnings_are_printed(tmp_path: Path):
    workbook = Path(shutil.copy(CORPUS / "tutorial.xls", tmp_path / "tutorial.xls"))
    out = tmp_path / "forms"

    result = run_fieldkit("forms", "import", workbook, "--out", out)

    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"{workbook} -> {out / 'tutorial.json'}"
    assert "  warning: sheet 'settings', column version: no version; imported as version 1" \
        in result.stderr
    assert "cảnh báo: trang 'settings', cột version: không có version" in result.stderr
    checked = run_fieldkit("forms", "check", out)
    assert checked.returncode == 0, checked.stderr
    assert "tutorial 1: " in checked.stdout


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
