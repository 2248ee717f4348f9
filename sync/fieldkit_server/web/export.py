"""CSV and XLSX exports of households, people, visits and forms, for reports to the province.

CSV starts with a UTF-8 byte order mark: without it Excel on a Vietnamese Windows PC reads
the file in the ANSI code page and "Nguyễn" arrives as "Nguyá»…n". Cells are written as text,
never as formulas: a name typed on a laptop as "=HYPERLINK(…)" must stay a name in Excel
(CSV cells that Excel would run get a leading apostrophe; XLSX cells are typed as strings).
On a server shared by several communes an export holds the commune the officer chose, or all.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from openpyxl import Workbook
from openpyxl.cell.cell import TYPE_STRING
from openpyxl.utils import get_column_letter
from sqlalchemy import Connection, Select, func, select

from fieldkit.core.i18n import tr
from fieldkit.core.models import Commune
from fieldkit.core.receipts import reference_code
from fieldkit.core.vocabulary import (
    GENDERS,
    RELATIONS,
    SERVICES,
    VISIT_OUTCOMES,
    VNEID_STATUSES,
)
from fieldkit_server.web.display import code_label, local_date, local_time
from fieldkit_server.web.figures import (
    form_record,
    household,
    live,
    person,
    village,
    visit,
    volunteer,
)
from fieldkit_server.web.form_texts import FormCatalogue

commune = Commune.__table__  # type: ignore[attr-defined]
Row = list[Any]
_FORMULA_START = ("=", "@", "\t", "\r")
FORM_STATUSES = {"draft": "Bản nháp", "complete": "Đã hoàn thành"}


@dataclass(frozen=True)
class Export:
    title: str  # sheet title and page text (Vietnamese source, see `tr`)
    file_stem: str  # ASCII, so the name survives every browser and e-mail client
    headers: list[str]  # Vietnamese sources too
    # (connection, form texts, commune id or None for every commune) → rows
    rows: Callable[[Connection, FormCatalogue, str | None], Iterator[Row]]
    personal: bool  # holds personal data under Decree 13/2023

    def shown_headers(self) -> list[str]:
        """The column headers in the officer's language: the file is theirs to read."""
        return [tr(header) for header in self.headers]


def _place():
    return (village.join(commune, commune.c.id == village.c.commune_id)
            .join(household, household.c.village_id == village.c.id))


def _of(query: Select, commune_id: str | None) -> Select:
    """`query` (which joins `commune`) narrowed to one commune; all when None."""
    return query if commune_id is None else query.where(commune.c.id == commune_id)


def _households(conn: Connection, _: FormCatalogue, commune_id: str | None) -> Iterator[Row]:
    members = (select(person.c.household_id, func.count().label("n")).where(live(person))
               .group_by(person.c.household_id).subquery())
    last = (select(visit.c.household_id, func.max(visit.c.started_at).label("at"))
            .where(live(visit)).group_by(visit.c.household_id).subquery())
    query = (select(commune.c.name, village.c.name, household.c.head_name, household.c.address,
                    household.c.phone, func.coalesce(members.c.n, 0), last.c.at)
             .select_from(_place())
             .outerjoin(members, members.c.household_id == household.c.id)
             .outerjoin(last, last.c.household_id == household.c.id)
             .where(live(household)).order_by(commune.c.name, village.c.name,
                                              household.c.sort_key, household.c.id))
    for *values, at in conn.execute(_of(query, commune_id)):
        yield [*values, local_date(at)]


def _people(conn: Connection, _: FormCatalogue, commune_id: str | None) -> Iterator[Row]:
    query = (select(commune.c.name, village.c.name, household.c.head_name, person.c.full_name,
                    person.c.relation_to_head, person.c.date_of_birth, person.c.gender,
                    person.c.ethnicity, person.c.id_number, person.c.phone,
                    person.c.vneid_status)
             .select_from(_place().join(person, person.c.household_id == household.c.id))
             .where(live(person), live(household))
             .order_by(commune.c.name, village.c.name, household.c.sort_key, household.c.id,
                       person.c.id))
    for (commune_name, village_name, head, name, relation, born, gender, ethnicity, number,
         phone, status) in conn.execute(_of(query, commune_id)):
        yield [commune_name, village_name, head, name, code_label(RELATIONS, relation),
               local_date(born), code_label(GENDERS, gender), ethnicity, number, phone,
               code_label(VNEID_STATUSES, status)]


def _visits(conn: Connection, _: FormCatalogue, commune_id: str | None) -> Iterator[Row]:
    query = (select(commune.c.name, village.c.name, household.c.head_name, visit.c.started_at,
                    visit.c.ended_at, volunteer.c.full_name, visit.c.services, visit.c.outcome)
             .select_from(_place().join(visit, visit.c.household_id == household.c.id)
                          .outerjoin(volunteer, volunteer.c.id == visit.c.volunteer_id))
             .where(live(visit), live(household))
             .order_by(visit.c.started_at, visit.c.id))
    for commune_name, village_name, head, started, ended, who, services, outcome in \
            conn.execute(_of(query, commune_id)):
        codes = json.loads(services or "[]")
        yield [commune_name, village_name, head, local_time(started), local_time(ended), who,
               ", ".join(code_label(SERVICES, str(code)) for code in codes),
               code_label(VISIT_OUTCOMES, outcome)]


def _forms(conn: Connection, catalogue: FormCatalogue,
           commune_id: str | None) -> Iterator[Row]:
    query = (select(commune.c.name, village.c.name, household.c.head_name, form_record.c.id,
                    form_record.c.form_id, form_record.c.form_version, form_record.c.status,
                    form_record.c.completed_at)
             .select_from(_place().join(form_record,
                                        form_record.c.household_id == household.c.id))
             .where(live(form_record), live(household))
             .order_by(commune.c.name, village.c.name, household.c.sort_key, form_record.c.id))
    for commune_name, village_name, head, record_id, form_id, version, status, done in \
            conn.execute(_of(query, commune_id)):
        yield [commune_name, village_name, head, catalogue.texts(form_id, version).title,
               version, reference_code(record_id), tr(FORM_STATUSES.get(status, status)),
               local_time(done)]


EXPORTS: dict[str, Export] = {
    "households": Export("Hộ gia đình", "ho-gia-dinh",
                         ["Xã/phường", "Thôn/bản", "Chủ hộ", "Địa chỉ", "Điện thoại",
                          "Số thành viên", "Lần thăm gần nhất"], _households, True),
    "people": Export("Nhân khẩu", "nhan-khau",
                     ["Xã/phường", "Thôn/bản", "Chủ hộ", "Họ và tên", "Quan hệ với chủ hộ",
                      "Ngày sinh", "Giới tính", "Dân tộc", "Số định danh cá nhân",
                      "Điện thoại", "Tài khoản VNeID"], _people, True),
    "visits": Export("Lượt thăm hộ", "luot-tham",
                     ["Xã/phường", "Thôn/bản", "Chủ hộ", "Bắt đầu", "Kết thúc",
                      "Tình nguyện viên", "Hỗ trợ", "Kết quả"], _visits, False),
    "forms": Export("Tờ khai", "to-khai",
                    ["Xã/phường", "Thôn/bản", "Chủ hộ", "Tờ khai", "Phiên bản", "Mã tra cứu",
                     "Trạng thái", "Hoàn thành lúc"], _forms, False),
}


def file_name(kind: str, extension: str, today: date) -> str:
    return f"fieldkit-{EXPORTS[kind].file_stem}-{today.isoformat()}.{extension}"


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def _csv_safe(value: Any) -> str:
    text = _text(value)
    if text.startswith(_FORMULA_START) or (text[:1] in ("+", "-")
                                           and not text[1:2].isdigit()):
        return "'" + text
    return text


def to_csv(export: Export, rows: Iterator[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(export.shown_headers())
    for row in rows:
        writer.writerow([_csv_safe(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def to_xlsx(export: Export, rows: Iterator[Row]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = tr(export.title)
    headers = export.shown_headers()
    sheet.append(headers)
    widths = [len(header) for header in headers]
    for row_index, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = sheet.cell(row=row_index, column=column)
            if isinstance(value, int) and not isinstance(value, bool):
                cell.value = value
            else:
                cell.value = _text(value)
                cell.data_type = TYPE_STRING
            widths[column - 1] = max(widths[column - 1], len(_text(value)))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = min(width + 2, 60)
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
