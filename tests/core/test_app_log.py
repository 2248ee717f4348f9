"""The laptop's log file: in the profile's folder, rotating, useful to the IT officer, and
free of citizens' ID numbers, phone numbers and access tokens even when a message carries
one."""

import logging
import secrets
import threading
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from fieldkit.cli import main
from fieldkit.core import app_log
from fieldkit.sync_client.enrol import enrol
from fieldkit.sync_client.runner import sync
from tests.conftest import PASSPHRASE, first_commune_code

ID_NUMBER = "001190012345"
PHONE = "0912345678"
log = logging.getLogger("fieldkit.tests")


@pytest.fixture
def logging_to(tmp_path: Path) -> Iterator[Path]:
    """Logging started the way `fieldkit` starts it, in a profile folder of its own."""
    path = app_log.start_logging(tmp_path / "profile", "test")
    assert path is not None
    try:
        yield path
    finally:
        app_log.stop_logging()


def test_id_numbers_phones_and_tokens_are_redacted_and_the_rest_kept(logging_to: Path):
    token = secrets.token_urlsafe(32)  # as the commune server makes them
    log.info("scanned card %s, phone %s", ID_NUMBER, PHONE)
    log.info("written in groups: 001 190 012 345, +84 912 345 678, 0912.345.678, 84912345678")
    log.warning("request headers {'Authorization': 'Bearer %s'}", token)
    log.info('meta {"device_token": "short-%s"}', token[:6])
    log.info("the server answered with %s", token)
    try:
        raise ValueError(f"not a valid ID number: {ID_NUMBER}")
    except ValueError:
        log.exception("saving failed")
    log.info("sync finished in 1.5 s: pushed 500 applied; device "
             "1b4e28ba-2fa1-11d2-883f-0016d3cca427; FieldKit 0.1.0; schema 0009")

    text = logging_to.read_text(encoding="utf-8")
    for secret in (ID_NUMBER, "001 190 012 345", PHONE, "912 345 678", "0912.345.678",
                   "84912345678", token, token[:6]):
        assert secret not in text
    assert text.count("[id-number]") == 3  # message, grouped, and the traceback's text
    assert text.count("[phone]") == 4
    assert "Bearer [token]" in text and '"device_token": "[token]"' in text
    assert "the server answered with [token]" in text
    # What the IT officer needs stays readable.
    assert "Traceback" in text and "ValueError: not a valid ID number: [id-number]" in text
    assert ("pushed 500 applied; device 1b4e28ba-2fa1-11d2-883f-0016d3cca427; "
            "FieldKit 0.1.0; schema 0009") in text


def test_the_home_folder_is_shortened_as_it_often_bears_the_volunteer_s_name(
        logging_to: Path):
    log.info("cannot read %s", Path.home() / "Documents" / "file.xlsx")

    text = logging_to.read_text(encoding="utf-8")
    assert f"cannot read {Path('~') / 'Documents' / 'file.xlsx'}" in text
    assert str(Path.home()) not in text


def test_the_log_rotates_past_its_size_and_keeps_a_bounded_number_of_files(tmp_path: Path):
    data_dir = tmp_path / "profile"
    app_log.start_logging(data_dir, "test", max_bytes=2_000, backups=2)
    try:
        for n in range(100):
            log.info("line %03d %s", n, "x" * 80)
    finally:
        app_log.stop_logging()

    files = app_log.log_files(data_dir)
    assert [f.name for f in files] == ["fieldkit.log.2", "fieldkit.log.1", "fieldkit.log"]
    assert all(f.stat().st_size <= 2_000 for f in files)
    newest = files[-1].read_text(encoding="utf-8")
    assert "line 099" in newest
    # The oldest lines (the start line among them) went with the third file rotated away.
    everything = "".join(f.read_text(encoding="utf-8") for f in files)
    assert "started (test)" not in everything and "line 000" not in everything


def test_the_cli_logs_into_the_profile_folder_with_versions_and_exit_code(
        tmp_path: Path, monkeypatch):
    data_dir = tmp_path / "profile"
    monkeypatch.delenv("FIELDKIT_PASSPHRASE", raising=False)

    assert main(["--data-dir", str(data_dir), "sync"]) == 1
    log.warning("after the run")  # the file was let go when the command ended

    text = (data_dir / "logs" / "fieldkit.log").read_text(encoding="utf-8")
    assert f"FieldKit {app_log.app_version()} started (sync): Python " in text
    assert text.rstrip().endswith("FieldKit stopped (exit code 1)")


def test_a_wrong_passphrase_is_logged_without_the_passphrase(store, data_dir: Path,
                                                              monkeypatch):
    store.close()
    typed = "wrong-guess-for-the-test"
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", typed)
    assert main(["--data-dir", str(data_dir), "sync"]) == 1
    monkeypatch.setenv("FIELDKIT_PASSPHRASE", PASSPHRASE)
    assert main(["--data-dir", str(data_dir), "sync"]) == 1  # opens; not enrolled

    text = (data_dir / "logs" / "fieldkit.log").read_text(encoding="utf-8")
    assert "unlock refused: wrong passphrase" in text
    assert "store unlocked" in text
    assert "sync stopped" in text and "(NotEnrolled)" in text
    assert typed not in text and PASSPHRASE not in text


def test_a_sync_is_logged_with_its_counts_and_no_personal_data(
        store, data_dir: Path, make_household, sync_server):
    enrol(store, sync_server.url, sync_server.enrolment_code(first_commune_code()), "Máy A")
    make_household("Lò Văn Pao", id_number=ID_NUMBER, phone=PHONE,
                   date_of_birth=date(1990, 1, 5))
    path = app_log.start_logging(data_dir, "test")
    assert path is not None
    try:
        report = sync(store)
    finally:
        app_log.stop_logging()

    text = path.read_text(encoding="utf-8")
    assert "sync started" in text
    assert f"sync finished in {report.seconds:.1f} s: pushed {report.pushed_applied} applied" \
        in text
    assert report.pushed_applied > 0
    for personal in ("Lò Văn Pao", ID_NUMBER, PHONE, "1990-01-05", "05/01/1990"):
        assert personal not in text


# The thread's error also reaches the hook that was there before (pytest's, here).
@pytest.mark.filterwarnings("ignore::pytest.PytestUnhandledThreadExceptionWarning")
def test_an_uncaught_error_in_a_thread_is_logged_with_its_traceback(logging_to: Path):
    def fail() -> None:
        raise RuntimeError(f"worker broke on {ID_NUMBER}")

    worker = threading.Thread(target=fail, name="fieldkit-worker")
    worker.start()
    worker.join()

    text = logging_to.read_text(encoding="utf-8")
    assert "uncaught exception in thread fieldkit-worker" in text
    assert "Traceback" in text and "RuntimeError: worker broke on [id-number]" in text
