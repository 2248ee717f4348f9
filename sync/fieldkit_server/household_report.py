"""What an import of a household list did, told in the terminal and in a CSV file.

The officer fixes refused rows in the spreadsheet, so the report names each by its sheet and
the row number Excel shows, with every reason. The CSV repeats the row's own cells after the
outcome, and is written with the byte-order mark Excel needs to show Vietnamese correctly.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import TextIO

from fieldkit.core.forms.import_problems import column_letter
from fieldkit.core.household_list_columns import FIELDS
from fieldkit.core.household_lists import (
    ACCEPTED,
    DUPLICATE,
    MEMBER,
    REFUSED,
    STATUS_LABELS,
    ListCheck,
)
from fieldkit_server.household_import import ImportResult

# Rows listed in the terminal; the CSV report has them all.
SHOWN_ROWS = 50


def number(value: int) -> str:
    """1.234: Vietnamese groups thousands with a dot."""
    return f"{value:,}".replace(",", ".")


def print_summary(result: ImportResult, out: TextIO) -> None:
    check, counts = result.check, result.check.counts
    for problem in check.problems:
        print(f"Lưu ý: {problem}", file=out)
    for layout in check.layouts:
        columns = ", ".join(f"{column_letter(i)} “{layout.headers[i]}” → {FIELDS[name][0]}"
                            for i, name in enumerate(layout.mapping) if name)
        print(f"Trang “{layout.sheet}”, tiêu đề ở dòng {layout.header_row}: {columns}",
              file=out)
    done = "đã nhập" if result.imported else "hợp lệ, chưa nhập"
    print(f"{number(counts[ACCEPTED])} hộ {done}; {number(counts[DUPLICATE])} trùng; "
          f"{number(counts[MEMBER])} dòng thành viên hộ; {number(counts[REFUSED])} dòng bị "
          "từ chối.", file=out)
    if result.villages_created:
        print(f"Thôn/bản mới: {', '.join(result.villages_created)}.", file=out)
    flagged = [row for row in check.rows if row.status in (REFUSED, DUPLICATE)]
    for row in flagged[:SHOWN_ROWS]:
        print(f"  Trang “{row.sheet}” dòng {row.row}: {STATUS_LABELS[row.status][0]}: "
              f"{' '.join(row.reasons)}", file=out)
    if len(flagged) > SHOWN_ROWS:
        print(f"  … và {number(len(flagged) - SHOWN_ROWS)} dòng nữa (xem tệp --report).",
              file=out)


def write_report(check: ListCheck, path: Path) -> None:
    path.write_bytes(report_csv(check))


def report_csv(check: ListCheck) -> bytes:
    """Every row's outcome and reasons, then its cells as read; with the byte-order mark."""
    out = io.StringIO()
    writer = csv.writer(out)
    headers = check.layouts[0].headers if len(check.layouts) == 1 else ()
    writer.writerow(["Trang", "Dòng", "Kết quả", "Lý do", *headers])
    for row in check.rows:
        writer.writerow([row.sheet, row.row, STATUS_LABELS[row.status][0],
                         " ".join(row.reasons), *row.cells])
    return out.getvalue().encode("utf-8-sig")
