"""`fieldkit enroll` and `fieldkit sync` as real processes against a real server."""

import json
from pathlib import Path

import pytest

from fieldkit.core.store import Store
from tests.conftest import PASSPHRASE, first_commune_code
from tests.e2e.sync_laptops import new_laptop
from tests.e2e.test_cli import run_fieldkit

pytestmark = pytest.mark.slow


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    laptop = new_laptop(tmp_path / "laptop", "A")
    laptop.register("Lò Thị Mai", members=("Cầm Văn Pao",))
    laptop.store.close()
    return tmp_path / "laptop"


def test_enroll_from_the_qr_text_then_sync_prints_progress_and_a_report(data_dir, server):
    qr = json.dumps({"url": server.url, "code": server.enrolment_code(first_commune_code())})
    enrolled = run_fieldkit("--data-dir", str(data_dir), "enroll", qr, "--name", "Máy A",
                            passphrase=PASSPHRASE)
    assert enrolled.returncode == 0, enrolled.stderr
    assert "Đã đăng ký" in enrolled.stdout

    synced = run_fieldkit("--data-dir", str(data_dir), "sync", passphrase=PASSPHRASE)
    assert synced.returncode == 0, synced.stderr
    assert "Gửi lên:" in synced.stderr and "Nhận về:" in synced.stderr
    report = json.loads(synced.stdout)
    assert report["pushed_applied"] >= 6 and report["outbox"] == 0
    store = Store.open(data_dir, PASSPHRASE)
    try:
        assert store.outbox_size() == 0
    finally:
        store.close()


def test_failures_exit_non_zero_with_a_reason_in_vietnamese(data_dir, server):
    not_enrolled = run_fieldkit("--data-dir", str(data_dir), "sync", passphrase=PASSPHRASE)
    assert not_enrolled.returncode == 1
    assert "chưa đăng ký" in not_enrolled.stderr
    wrong_code = run_fieldkit("--data-dir", str(data_dir), "enroll", server.url, "ABCD-EFGH",
                              passphrase=PASSPHRASE)
    assert wrong_code.returncode == 1
    assert "Mã đăng ký không đúng" in wrong_code.stderr
    no_passphrase = run_fieldkit("--data-dir", str(data_dir), "sync")
    assert no_passphrase.returncode == 1 and "FIELDKIT_PASSPHRASE" in no_passphrase.stderr
