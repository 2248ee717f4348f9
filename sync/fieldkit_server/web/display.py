"""How stored values are written on the pages and in exports: office time, labels of codes.

Times are stored as UTC instants; the officer reads them in Vietnam time as dd/mm/yyyy, the
way dates are written on every Vietnamese form. Codes read as their label in the officer's
language (see `language`).
"""

from __future__ import annotations

from datetime import date, datetime

from fieldkit.core.columns import as_utc
from fieldkit.core.i18n import current_language
from fieldkit.core.vocabulary import Labels, label
from fieldkit_server.web.figures import COMMUNE_TIME


def local_time(moment: datetime | None) -> str:
    if moment is None:
        return ""
    return as_utc(moment).astimezone(COMMUNE_TIME).strftime("%d/%m/%Y %H:%M")


def local_date(day: date | datetime | None) -> str:
    if day is None:
        return ""
    if isinstance(day, datetime):
        day = as_utc(day).astimezone(COMMUNE_TIME).date()
    return day.strftime("%d/%m/%Y")


def code_label(table: Labels, code: str | None) -> str:
    """A stored code as the officer reads it, in the page's language."""
    return label(table, code, "en" if current_language() == "en" else "vi")
