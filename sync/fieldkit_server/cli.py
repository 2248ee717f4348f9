"""`fieldkit-server`: run the commune server and do its admin chores from a terminal.

Every command takes `--db` (default: a SQLite file in the current directory) and brings the
schema up to date first, so a fresh install is one `serve` away. Admin actions are written to
the audit log by the functions they call, with "cli" as the actor.
"""

import argparse
import getpass
import os
import sys
from pathlib import Path

from fieldkit.core.console import use_utf8_output
from fieldkit.core.forms.workbook import WorkbookUnreadable
from fieldkit.core.household_list_columns import FIELDS, find_layout, parse_choices
from fieldkit.core.household_lists import REFUSED
from fieldkit.core.sync_file import SUFFIX
from fieldkit.core.table_files import read_table
from fieldkit_server.admins import AdminError, create_admin
from fieldkit_server.audit import CLI_ACTOR
from fieldkit_server.db import default_db_url, open_database
from fieldkit_server.definitions import PublishError, publish_directory
from fieldkit_server.devices import readmit_device, revoke_device
from fieldkit_server.enrolment import CODE_DAYS, create_enrolment_code
from fieldkit_server.enrolment_qr import enrolment_payload, write_enrolment_qr
from fieldkit_server.household_import import import_households

PASSWORD_ENV = "FIELDKIT_ADMIN_PASSWORD"
DEFAULT_PORT = 8765


def main(argv: list[str] | None = None) -> int:
    use_utf8_output()
    args = _parser().parse_args(argv)
    try:
        return args.run(args)
    except WorkbookUnreadable as error:
        print(f"Không đọc được tệp: {error.problem.vi}.", file=sys.stderr)
        return 1
    except (AdminError, PublishError, ValueError) as error:
        print(error, file=sys.stderr)
        return 1


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="fieldkit-server",
                                     description="Máy chủ đồng bộ FieldKit của xã.")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name: str, run: object, help_text: str) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=help_text, description=help_text)
        sub.add_argument("--db", default=None,
                         help="sqlite:///đường/dẫn.db hoặc postgresql+psycopg://… "
                              "(mặc định: fieldkit-server.db ở thư mục hiện tại)")
        sub.set_defaults(run=run)
        return sub

    serve = command("serve", _serve, "Chạy máy chủ.")
    serve.add_argument("--host", default="127.0.0.1",
                       help="địa chỉ lắng nghe (0.0.0.0 để phục vụ mạng của xã)")
    serve.add_argument("--port", type=int, default=DEFAULT_PORT)
    serve.add_argument("--workers", type=int, default=1,
                       help="số tiến trình máy chủ (mặc định 1; nhiều hơn 1 chỉ với PostgreSQL)")

    admin = command("create-admin", _create_admin, "Tạo tài khoản quản trị trang web của xã.")
    admin.add_argument("--username", required=True)

    enroll = command("enroll", _enroll, "Tạo mã đăng ký dùng một lần cho một máy tính.")
    enroll.add_argument("--commune", type=int, required=True, help="mã xã/phường chính thức")
    enroll.add_argument("--url", default=None, help="địa chỉ máy chủ mà máy tính sẽ dùng")
    enroll.add_argument("--qr", type=Path, default=None, help="ghi mã QR (SVG) vào tệp này")
    enroll.add_argument("--days", type=int, default=CODE_DAYS, help="số ngày mã còn hiệu lực")

    revoke = command("revoke", _revoke, "Thu hồi quyền đồng bộ của một máy tính.")
    revoke.add_argument("--device", required=True, help="mã máy (device id)")

    readmit = command("readmit", _readmit,
                      "Cho một máy đã bị thu hồi được đăng ký lại bằng mã đăng ký mới.")
    readmit.add_argument("--device", required=True, help="mã máy (device id)")

    households = command("import-households", _import_households,
                         "Nhập danh sách hộ gia đình của xã (.xlsx, .xls, .csv) để tình nguyện "
                         "viên biết hộ nào cần đến.")
    households.add_argument("file", type=Path)
    households.add_argument("--commune", type=int, required=True, help="mã xã/phường chính thức")
    households.add_argument("--village", default=None,
                            help="thôn/bản cho các dòng không ghi thôn nào")
    households.add_argument("--column", action="append", default=[], metavar="CỘT=TRƯỜNG",
                            help="sửa cách hiểu một cột, ví dụ “E=id_number” hoặc “Số CMND=” "
                                 f"(bỏ qua cột); trường: {', '.join(FIELDS)}")
    households.add_argument("--dry-run", action="store_true",
                            help="chỉ kiểm tra, không nhập gì")
    households.add_argument("--skip-refused", action="store_true",
                            help="nhập các dòng hợp lệ dù có dòng bị từ chối")
    households.add_argument("--report", type=Path, default=None,
                            help="ghi kết quả từng dòng vào tệp CSV này (mở bằng Excel)")

    sync_file = command("import-sync", _import_sync,
                        "Nhập tệp đồng bộ một máy tính mang đến bằng USB và ghi tệp trả lời "
                        "cho máy đó.")
    sync_file.add_argument("file", type=Path)
    sync_file.add_argument("--answer", type=Path, default=None,
                           help="tệp trả lời (mặc định: cạnh tệp nhập, đuôi -tra-loi.fksync)")

    publish = command("publish", _publish,
                      "Công bố các biểu mẫu và hướng dẫn (*.json) trong một thư mục.")
    publish.add_argument("directory", type=Path)
    return parser


def _db_url(args: argparse.Namespace) -> str:
    return args.db or default_db_url()


def _serve(args: argparse.Namespace) -> int:
    # Imported here: the admin commands need neither uvicorn nor the web app.
    from fieldkit_server.serving import serve

    serve(_db_url(args), host=args.host, port=args.port, workers=args.workers)
    return 0


def _create_admin(args: argparse.Namespace) -> int:
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = getpass.getpass("Mật khẩu: ")
        if getpass.getpass("Nhập lại mật khẩu: ") != password:
            print("Hai lần nhập mật khẩu không khớp.", file=sys.stderr)
            return 1
    create_admin(open_database(_db_url(args)), args.username, password)
    print(f"Đã tạo tài khoản quản trị “{args.username.strip()}”.")
    return 0


def _enroll(args: argparse.Namespace) -> int:
    if args.qr is not None and not args.url:
        print("Để ghi mã QR, hãy cho biết địa chỉ máy chủ bằng --url.", file=sys.stderr)
        return 1
    made = create_enrolment_code(open_database(_db_url(args)), args.commune, days=args.days)
    print(made.code)
    print(f"Mã dùng một lần cho xã {made.commune_code}, "
          f"hết hạn {made.expires_at:%d/%m/%Y %H:%M} (giờ UTC).", file=sys.stderr)
    if args.url:
        print(enrolment_payload(args.url, made.code), file=sys.stderr)
    if args.qr is not None:
        write_enrolment_qr(args.qr, args.url, made.code)
        print(f"Đã ghi mã QR vào {args.qr}.", file=sys.stderr)
    return 0


def _revoke(args: argparse.Namespace) -> int:
    if not revoke_device(open_database(_db_url(args)), args.device):
        print(f"Không có máy nào mang mã {args.device}.", file=sys.stderr)
        return 1
    print(f"Đã thu hồi máy {args.device}.")
    return 0


def _readmit(args: argparse.Namespace) -> int:
    if not readmit_device(open_database(_db_url(args)), args.device):
        print(f"Không có máy nào mang mã {args.device}.", file=sys.stderr)
        return 1
    print(f"Máy {args.device} đăng ký lại được bằng mã đăng ký do cán bộ xã cấp "
          "(fieldkit-server enroll).")
    return 0


def _import_households(args: argparse.Namespace) -> int:
    from fieldkit_server.household_report import print_summary, write_report

    table = read_table(args.file)
    mappings = parse_choices(
        [layout for sheet in table.sheets if (layout := find_layout(sheet))], args.column)
    result = import_households(open_database(_db_url(args)), args.commune, table,
                               args.file.name, CLI_ACTOR, mappings=mappings,
                               village=args.village, write=not args.dry_run,
                               partial=args.skip_refused)
    print_summary(result, sys.stdout)
    if args.report is not None:
        write_report(result.check, args.report)
        print(f"Kết quả từng dòng: {args.report}")
    if not result.check.layouts:
        return 1
    if result.check.counts[REFUSED] and not args.skip_refused and not args.dry_run:
        print("Chưa nhập hộ nào vì có dòng bị từ chối: sửa các dòng đó trong tệp rồi nhập lại, "
              "hoặc thêm --skip-refused để nhập các dòng hợp lệ.", file=sys.stderr)
        return 1
    if not result.imported and not args.dry_run:
        print("Không có hộ mới nào để nhập.")
    return 0


def _import_sync(args: argparse.Namespace) -> int:
    from fieldkit_server.sync_files import import_sync_file

    answer, done = import_sync_file(open_database(_db_url(args)), args.file.read_bytes(),
                                    CLI_ACTOR)
    target = args.answer or args.file.with_name(f"{args.file.stem}-tra-loi{SUFFIX}")
    target.write_bytes(answer)
    print(f"Máy “{done.device_name or done.device_id}”: {done.summary()}.")
    print(f"Tệp trả lời: {target} (đưa lại cho máy đó, nhập bằng Tệp → Nhập tệp trả lời từ USB).")
    return 0


def _publish(args: argparse.Namespace) -> int:
    report = publish_directory(open_database(_db_url(args)), args.directory)
    for name in report.published:
        print(f"Đã công bố: {name}")
    for name in report.unchanged:
        print(f"Đã có sẵn, không đổi: {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
