"""Command line: `fieldkit` starts the GUI; flags for scripts, tests and benchmarks.

Kept light: nothing heavy is imported before the first window has painted.
"""

import argparse
import logging
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from fieldkit import __version__
from fieldkit.core.console import use_utf8_output

if TYPE_CHECKING:
    from fieldkit.core.store import Store

# The commune revoked this laptop: its store is locked until it enrols again (`fieldkit enroll`
# with a new code from the commune, after the officer readmits it). Nothing is lost meanwhile.
EXIT_DISABLED = 3

logger = logging.getLogger(__name__)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fieldkit",
        description="FieldKit: hỗ trợ người dân VNeID và thủ tục hành chính, không cần mạng.",
    )
    parser.add_argument("--version", action="version", version=f"FieldKit {__version__}")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="where the encrypted store lives (default: the user data folder)")
    parser.add_argument(
        "--smoke-test", nargs="?", const="full", choices=("full", "first-paint"), default=None,
        help="open the store, render the main window offscreen, print timings and exit; "
             "'first-paint' exits once the first window has painted",
    )
    parser.add_argument("--demo", action="store_true",
                        help="open the trainer's practice sandbox (synthetic households, no "
                             "passphrase, kept apart from real data, never synced)")
    parser.add_argument("--lang", choices=("vi", "en"), default=None,
                        help="interface language (default: the saved setting, Vietnamese)")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    forms = commands.add_parser("forms", help="procedure form definitions")
    form_commands = forms.add_subparsers(dest="forms_command", metavar="ACTION", required=True)
    check = form_commands.add_parser(
        "check", help="load and check every form definition, print a summary line per form")
    check.add_argument("directory", nargs="?", type=Path, default=None, metavar="DIR",
                       help="folder of *.json definitions (default: the bundled forms/)")
    xlsform = form_commands.add_parser(
        "import", help="convert an XLSForm workbook (survey, choices, settings) into a definition")
    xlsform.add_argument("workbook", type=Path, metavar="FILE.xlsx|FILE.xls")
    xlsform.add_argument("--out", type=Path, default=None, metavar="DIR",
                         help="folder to write <form_id>.json into (default: the bundled forms/)")
    guides = commands.add_parser("guides", help="step-by-step guides (VNeID, public services)")
    guide_commands = guides.add_subparsers(dest="guides_command", metavar="ACTION", required=True)
    guide_check = guide_commands.add_parser(
        "check", help="load and check every guide, print a summary line per guide")
    guide_check.add_argument("directory", nargs="?", type=Path, default=None, metavar="DIR",
                             help="folder of *.json guides (default: the bundled "
                                  "resources/guides/)")
    enroll = commands.add_parser(
        "enroll", help="register this laptop with the commune server (one-time code)")
    enroll.add_argument("url", metavar="URL",
                        help="server address, e.g. http://192.168.1.10:8000, or the text of "
                             "the enrolment QR (then CODE is not needed)")
    enroll.add_argument("code", nargs="?", default=None, metavar="CODE",
                        help="the one-time enrolment code from the commune")
    enroll.add_argument("--name", default=None, help="this laptop's name on the server "
                                                     "(default: the computer's name)")
    commands.add_parser("sync", help="send queued changes to the commune server, then fetch "
                                     "the others' (progress on stderr, report as JSON); exit "
                                     f"code {EXIT_DISABLED} when the commune revoked this laptop")
    export = commands.add_parser(
        "export-sync", help="write the changes waiting to be sent to an encrypted file (a USB "
                            "stick) for the commune to import, when there is no signal")
    export.add_argument("file", type=Path, metavar="FILE",
                        help="the file to write, or a folder (a name is chosen)")
    answer = commands.add_parser(
        "import-sync", help="read the answer file the commune made from an exported file")
    answer.add_argument("file", type=Path, metavar="FILE")
    return parser


def export_sync(data_dir: Path, target: Path) -> int:
    from datetime import datetime

    from fieldkit.core.store import StoreError
    from fieldkit.core.sync_file import SyncFileError
    from fieldkit.core.usb_sync import default_file_name, export_sync_file

    try:
        store = _open_store(data_dir)
    except StoreError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 1
    try:
        if target.is_dir():
            target = target / default_file_name(store, f"{datetime.now():%Y%m%d-%H%M}")
        report = export_sync_file(store, target)
    except (SyncFileError, OSError) as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    print(f"Đã ghi {report.changes} thay đổi ({report.batches} lô) vào {report.path}. Đưa tệp "
          "cho cán bộ xã nhập trên máy chủ, rồi nhập tệp trả lời bằng "
          "“fieldkit import-sync”.")
    return 0


def import_sync(data_dir: Path, source: Path) -> int:
    from fieldkit.core.store import StoreError
    from fieldkit.core.sync_file import SyncFileError
    from fieldkit.core.usb_sync import import_answer_file

    try:
        store = _open_store(data_dir)
    except StoreError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 1
    try:
        report = import_answer_file(store, source)
    except (SyncFileError, OSError) as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 1
    finally:
        store.close()
    pulled = report.pulled.applied if report.pulled else 0
    print(f"Máy chủ đã nhận {report.applied} thay đổi mới ({report.duplicate} đã có từ trước, "
          f"{report.conflict} xung đột, {report.rejected} bị từ chối); nhận về {pulled} thay "
          "đổi.")
    return 0


def _open_store(data_dir: Path) -> "Store":
    """The real store, unlocked with FIELDKIT_PASSPHRASE; StoreError says why not."""
    from fieldkit.core.store import Store, StoreError

    passphrase = os.environ.get("FIELDKIT_PASSPHRASE")
    if not passphrase:
        raise StoreError("Chưa có cụm mật khẩu: hãy đặt biến môi trường FIELDKIT_PASSPHRASE.")
    return Store.open(data_dir, passphrase)


def enroll_laptop(data_dir: Path, url: str, code: str | None, name: str | None) -> int:
    from fieldkit.core.store import StoreError
    from fieldkit.sync_client.client import SyncError
    from fieldkit.sync_client.enrol import enrol, parse_enrolment_text

    try:
        if code is None:
            url, code = parse_enrolment_text(url)
        store = _open_store(data_dir)
    except (StoreError, SyncError) as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 1
    from fieldkit.core.revocation import revocation_of

    # Enrolling again is the one thing a revoked laptop's store is opened for.
    was_disabled = revocation_of(store) is not None
    try:
        answer = enrol(store, url, code, name)
    except SyncError as exc:
        logger.warning("enrolment with %s failed: %s", url, exc)
        print(f"lỗi: {exc}", file=sys.stderr)
        return EXIT_DISABLED if revocation_of(store) is not None else 1
    finally:
        store.close()
    logger.info("enrolled with %s%s", url, " again after a revocation" if was_disabled else "")
    print(f"Đã đăng ký máy với máy chủ {url} ({answer.commune_name}); mã truy cập hết hạn "
          f"{answer.expires_at:%d/%m/%Y}.")
    if was_disabled:
        print("Máy đã được mở khóa; dữ liệu chưa gửi sẽ được gửi ở lần đồng bộ tới "
              "(fieldkit sync).")
    return 0


def sync_store(data_dir: Path) -> int:
    """One sync with progress lines on stderr and the report as JSON on stdout. Ctrl+C may
    stop it anywhere: every step commits on its own, so the next sync carries on."""
    import json

    from fieldkit.core.store import StoreError
    from fieldkit.sync_client.client import Revoked, SyncError
    from fieldkit.sync_client.runner import sync

    phases = {"push": "Gửi lên", "pull": "Nhận về"}

    def progress(done: int, total: int, phase: str) -> None:
        counted = f"{done}/{total}" if total else str(done)
        print(f"{phases.get(phase, phase)}: {counted}", file=sys.stderr, flush=True)

    try:
        store = _open_store(data_dir)
    except StoreError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 1
    try:
        report = sync(store, progress)
    except Revoked as exc:
        # Locked now (or at an earlier contact); the data stays, encrypted, for when the
        # commune lets the laptop back in.
        print(f"lỗi: {exc}", file=sys.stderr)
        return EXIT_DISABLED
    except SyncError as exc:
        print(f"lỗi: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Đã dừng đồng bộ; lần sau sẽ tiếp tục từ chỗ dừng.", file=sys.stderr)
        return 130
    finally:
        store.close()
    print(json.dumps(report.as_dict(), ensure_ascii=False, indent=2))
    if report.conflicts or report.quarantined:
        print(f"Cần xem lại: {report.conflicts} xung đột, {report.quarantined} bản ghi bị máy "
              "chủ từ chối.", file=sys.stderr)
    return 0


def check_forms(directory: Path) -> int:
    from fieldkit.core.forms.definition import load_forms_reporting

    forms, errors = load_forms_reporting(directory)
    lines = [f"{form.id} {form.version}: pages {len(form.pages)}, "
             f"fields {sum(1 for _ in form.fields())}, repeats {sum(1 for _ in form.repeats())}"
             for form in forms]
    return _report(directory, "forms", "form definitions", lines, errors)


def check_guides(directory: Path) -> int:
    from fieldkit.core.guides import load_guides_reporting

    guides, errors = load_guides_reporting(directory)
    lines = [f"{guide.id} {guide.version}: steps {len(guide.steps)}, "
             f"branches {guide.branch_count()}" for guide in guides]
    return _report(directory, "guides", "guides", lines, errors)


def _report(directory: Path, noun: str, files: str, lines: list[str],
            errors: list[Exception]) -> int:
    """One line per good file and every refusal; non-zero when any file is refused or none
    is found, so a script (or CI) notices."""
    if not lines and not errors:
        print(f"{directory}: no {files} (*.json) found", file=sys.stderr)
        return 1
    for line in lines:
        print(line)
    for error in errors:
        print(f"error: {error}", file=sys.stderr)
    total = len(lines) + len(errors)
    print(f"{len(lines)} of {total} {noun} OK", file=sys.stderr if errors else sys.stdout)
    return 1 if errors else 0


def import_form(workbook: Path, out_dir: Path) -> int:
    """Write the definition and say what was left out, or list every problem that stopped
    the import; each line in Vietnamese, then in English, for the officer fixing the file."""
    from fieldkit.core.forms.import_problems import report
    from fieldkit.core.forms.xlsform import FormImportError, import_workbook

    try:
        imported = import_workbook(workbook, out_dir)
    except FormImportError as exc:
        for language in ("vi", "en"):
            print(report(str(workbook), exc.problems, language), file=sys.stderr)
        return 1
    for warning in imported.warnings:
        print(f"cảnh báo: {warning.describe('vi')}\n  warning: {warning.describe('en')}",
              file=sys.stderr)
    print(f"{workbook} -> {imported.path}")
    return 0


def main(argv: list[str] | None = None) -> int:
    use_utf8_output()
    args = build_parser().parse_args(argv)
    if args.command == "forms":
        from fieldkit.core.paths import forms_dir

        if args.forms_command == "import":
            return import_form(args.workbook, args.out or forms_dir())
        return check_forms(args.directory or forms_dir())
    if args.command == "guides":
        from fieldkit.core.paths import resources_dir

        return check_guides(args.directory or resources_dir() / "guides")
    from fieldkit.core import app_log
    from fieldkit.core.paths import default_data_dir

    data_dir = args.data_dir or default_data_dir()
    app_log.start_logging(data_dir, _run_name(args))
    try:
        code = run_on_profile(args, data_dir)
    except BaseException:
        app_log.logger.critical("FieldKit stopped by an unexpected error", exc_info=True)
        app_log.stop_logging()
        raise
    app_log.logger.info("FieldKit stopped (exit code %d)", code)
    app_log.stop_logging()
    return code


def _run_name(args: argparse.Namespace) -> str:
    """What the log's start line calls this run."""
    if args.command:
        return args.command
    if args.smoke_test:
        return f"smoke-test {args.smoke_test}"
    return "gui, practice mode" if args.demo else "gui"


def run_on_profile(args: argparse.Namespace, data_dir: Path) -> int:
    """The commands that work on the profile in `data_dir`, and the GUI."""
    if args.command == "enroll":
        return enroll_laptop(data_dir, args.url, args.code, args.name)
    if args.command == "sync":
        return sync_store(data_dir)
    if args.command == "export-sync":
        return export_sync(data_dir, args.file)
    if args.command == "import-sync":
        return import_sync(data_dir, args.file)
    if args.smoke_test == "full":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from fieldkit.ui.app import run_gui

    return run_gui(data_dir, smoke=args.smoke_test, language=args.lang, argv=sys.argv[:1],
                   demo=args.demo)
