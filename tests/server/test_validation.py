"""The server refuses what the laptop's own validators would have refused, with reasons."""

import json
import shutil
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from fieldkit.core.ids import uuid7
from fieldkit.core.models import FormRecord
from fieldkit.core.paths import forms_dir
from fieldkit_server.definitions import publish_directory
from tests.live_server import LiveServer
from tests.server.laptop import Laptop, commune_codes, enrol, household, person, stored_counts


def laptop_with_a_household(server: LiveServer) -> tuple[Laptop, object]:
    laptop = enrol(server, commune_codes()[0])
    village = laptop.village()
    home = household(village)
    assert [r["status"] for r in laptop.push_ok([laptop.change(village),
                                                 laptop.change(home)])] == ["applied"] * 2
    return laptop, home


def completed_record(home: object, form_id: str, version: str, answers: dict) -> FormRecord:
    return FormRecord(id=uuid7(), form_id=form_id, form_version=version,
                      household_id=home.id, status="complete",  # type: ignore[attr-defined]
                      answers=json.dumps(answers), completed_at=datetime.now(UTC))


def test_a_bad_id_number_and_a_secret_in_a_note_are_refused_with_reasons(
        live_server: LiveServer):
    laptop, home = laptop_with_a_household(live_server)
    counts = stored_counts(live_server)
    bad_id = person(home, id_number="12345")
    home.notes = "Bà đọc mã OTP 482913 cho cháu"  # type: ignore[attr-defined]
    untidy = person(home, full_name="  Lò   Thị Mai ")
    results = laptop.push_ok([laptop.change(bad_id), laptop.change(home, base_version=1),
                              laptop.change(untidy)])
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert "id_number" in results[0]["reason"] and "12" in results[0]["reason"]
    assert "OTP" in results[1]["reason"]
    assert "Lò Thị Mai" in results[2]["reason"]
    unchanged = {k: v for k, v in stored_counts(live_server).items() if k != "push_batch"}
    assert unchanged == {k: v for k, v in counts.items() if k != "push_batch"}


def test_a_valid_person_is_applied(live_server: LiveServer):
    laptop, home = laptop_with_a_household(live_server)
    good = person(home, id_number="001190012345", phone="0912345678")
    assert laptop.push_ok([laptop.change(good)])[0]["status"] == "applied"


def test_a_completed_form_its_definition_rejects_is_refused(live_server: LiveServer):
    laptop, home = laptop_with_a_household(live_server)
    empty = completed_record(home, "residence_ct01", "2026.1", {})
    draft = completed_record(home, "residence_ct01", "2026.1", {})
    draft.status, draft.completed_at = "draft", None
    secret = completed_record(home, "residence_ct01", "2026.1", {"declarant": {
        "request": "mật khẩu là Abc@12345"}})
    secret.status, secret.completed_at = "draft", None
    results = laptop.push_ok([laptop.change(empty), laptop.change(draft),
                              laptop.change(secret)])
    assert [r["status"] for r in results] == ["rejected", "applied", "rejected"]
    assert "Bắt buộc nhập “1. Họ, chữ đệm và tên”" in results[0]["reason"]
    assert "mật khẩu" in results[2]["reason"]


def test_forms_published_by_the_commune_are_checked_too(live_server: LiveServer,
                                                        tmp_path: Path):
    data = json.loads((forms_dir() / "residence_ct01.json").read_text("utf-8"))
    data["id"], data["version"] = "commune_ct01", "7"
    (tmp_path / "commune_ct01.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    shutil.copy(forms_dir() / "birth_registration.json", tmp_path / "birth.json")
    publish_directory(live_server.engine, tmp_path)
    laptop, home = laptop_with_a_household(live_server)
    unknown = completed_record(home, "never_published", "1", {})
    results = laptop.push_ok([laptop.change(completed_record(home, "commune_ct01", "7", {})),
                              laptop.change(unknown)])
    assert results[0]["status"] == "rejected"
    # A form the server does not know cannot be checked here; the laptop checked it.
    assert results[1]["status"] == "applied"


def test_the_checks_are_warmed_up_before_the_first_push() -> None:
    """`serve` checks made-up rows when it starts, so the first laptop after a restart does
    not wait while the phone numbering plans load: in a fresh interpreter the warm-up loads
    Vietnam's, and its rows pass every check (the path real rows take)."""
    code = (
        "import sys\n"
        "from fieldkit_server.db import make_engine, reading\n"
        "from fieldkit_server.row_checks import _WARM_UP_ROWS, row_problems, warm_up\n"
        "assert 'phonenumbers.data.region_VN' not in sys.modules\n"
        "with reading(make_engine('sqlite://')) as conn:\n"
        "    warm_up(conn)\n"
        "    assert 'phonenumbers.data.region_VN' in sys.modules\n"
        "    print([row_problems(conn, table, row) for table, row in _WARM_UP_ROWS.items()])\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[[], [], []]"
