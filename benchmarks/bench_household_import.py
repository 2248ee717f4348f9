"""Household list import: a commune's 5,000-household list, read, checked and written.

The list is an `.xlsx` laid out as communes make them (a title row naming nothing, a header,
a row of column numbers, names in capitals, IDs and phones typed as numbers so Excel dropped
their leading zeros, one hamlet column over 20 hamlets), built from the synthetic households
so every ID number passes its checks. It is imported into a freshly migrated server database
with `import_households`, exactly as `fieldkit-server import-households` does: read, every row
validated, duplicates looked up, villages made, rows and change feed written in one
transaction.

Baselines, measured in the same run on the same rows:
- reading the same workbook with openpyxl alone (read-only, values only): the least any
  import of an `.xlsx` costs;
- a raw bulk insert of the imported rows into a freshly migrated server database (one
  `executemany`, one transaction, no checks).
The issue's target is absolute: a 5,000-row list in under 10 s.
"""

from __future__ import annotations

import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from measurement import Measurement

ROOT = Path(__file__).resolve().parents[1]
COMMUNE_CODE = 3325
TARGET_SECONDS = 10.0
HAMLETS = 20
HEADER = ["STT", "Họ và tên chủ hộ", "Thôn/Bản", "Ngày sinh", "Giới tính", "Số CCCD",
          "Số điện thoại", "Địa chỉ"]


def measure(rows: int, seed: int) -> list[Measurement]:
    from fieldkit.core.table_files import read_table
    from fieldkit_server.db import open_database
    from fieldkit_server.household_import import import_households

    with tempfile.TemporaryDirectory() as tmp_dir:
        tmp = Path(tmp_dir)
        path = _workbook(tmp / "danh-sach.xlsx", rows, seed)
        engine = open_database(f"sqlite:///{tmp / 'server.db'}")
        try:
            started = time.perf_counter()
            result = import_households(engine, COMMUNE_CODE, read_table(path), path.name,
                                       "benchmark")
            imported = time.perf_counter() - started
        finally:
            engine.dispose()
        if result.imported != rows:
            raise RuntimeError(f"the benchmark list did not import whole: {result.check.counts}")
        reading = _openpyxl_read(path)
        bulk = _bulk_insert(tmp / "bulk.db", rows)
    return [
        Measurement(f"import a {rows:,}-household list (.xlsx): read, check, write vs "
                    "openpyxl reading the file", imported, reading, "s",
                    f"< {TARGET_SECONDS:.0f} s", imported < TARGET_SECONDS),
        Measurement(f"same import vs raw bulk insert of the {rows:,} rows", imported, bulk, "s",
                    "(reported)", True),
    ]


def _workbook(path: Path, rows: int, seed: int) -> Path:
    from openpyxl import Workbook

    from fieldkit.core.synthetic import households, village_names

    book = Workbook(write_only=True)
    sheet = book.create_sheet("Danh sách")
    sheet.append(["DANH SÁCH HỘ GIA ĐÌNH CẦN HỖ TRỢ ĐĂNG KÝ ĐỊNH DANH ĐIỆN TỬ"])
    sheet.append(HEADER)
    sheet.append([f"({n})" for n in range(1, len(HEADER) + 1)])
    names = village_names(HAMLETS, seed)
    for number, made in enumerate(households(seed, rows, names), start=1):
        head = made.head
        sheet.append([number, head.full_name.upper(), made.village,
                      head.date_of_birth.strftime("%d/%m/%Y"),
                      "Nam" if head.gender == "male" else "Nữ",
                      int(head.id_number) if head.id_number else None,
                      int(made.phone) if made.phone else None, made.address])
    book.save(path)
    return path


def _openpyxl_read(path: Path) -> float:
    from openpyxl import load_workbook

    started = time.perf_counter()
    book = load_workbook(path, read_only=True, data_only=True)
    for sheet in book.worksheets:
        for _ in sheet.iter_rows(values_only=True):
            pass
    book.close()
    return time.perf_counter() - started


def _bulk_insert(db_file: Path, rows: int) -> float:
    """Seconds to insert as many listed households, with a village each, in one executemany."""
    from fieldkit.core.columns import utcnow
    from fieldkit.core.ids import uuid7
    from fieldkit_server.db import open_database

    engine = open_database(f"sqlite:///{db_file}")
    connection = engine.raw_connection()
    now = utcnow().isoformat(sep=" ")
    village = uuid7()
    values: list[tuple[Any, ...]] = [
        (uuid7(), 1, now, "", False, False, village, f"Hộ {n}", None, None, 1980, None, None,
         f"Số {n}", None, None, "bench", None) for n in range(rows)]
    try:
        cursor = connection.cursor()
        cursor.execute("INSERT INTO commune (id, version, updated_at, device_id, deleted, demo, "
                       "code, name, province_code, province_name) VALUES "
                       "('c', 1, ?, '', 0, 0, 1, 'x', 1, 'x')", (now,))
        cursor.execute("INSERT INTO village (id, version, updated_at, device_id, deleted, demo, "
                       "commune_id, name, kind) VALUES (?, 1, ?, '', 0, 0, 'c', 'v', 'thon')",
                       (village, now))
        connection.commit()
        started = time.perf_counter()
        cursor.execute("BEGIN")
        cursor.executemany(
            "INSERT INTO listed_household (id, version, updated_at, device_id, deleted, demo, "
            "village_id, head_name, id_number, date_of_birth, birth_year, gender, phone, "
            "address, household_code, members, source, household_id) VALUES "
            f"({', '.join('?' * 18)})", values)
        cursor.execute("COMMIT")
        return time.perf_counter() - started
    finally:
        connection.close()
        engine.dispose()


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))
    from measurement import markdown_table

    print(markdown_table(measure(int(sys.argv[1]) if len(sys.argv) > 1 else 5_000, 2025)))
