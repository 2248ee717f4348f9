"""Campaign progress: the officer sets the period and the targets per hamlet, then follows
each commune's hamlets, volunteers and weeks against them, and downloads the report.

Setting targets and downloading are POSTs with the CSRF token, and both are audited: the
targets decide what the commune reports upward, and the report copies figures out.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any
from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from fieldkit.core.i18n import tr
from fieldkit_server.audit import write_audit
from fieldkit_server.campaign import MAX_DAYS, MAX_TARGET, Target, load_campaigns, save_campaign
from fieldkit_server.db import reading, writing
from fieldkit_server.web.context import Admin, CsrfForm, chosen_commune, render, state
from fieldkit_server.web.figures import COMMUNE_TIME
from fieldkit_server.web.progress import communes_shown, hamlets_of, listed_counts, progress
from fieldkit_server.web.progress_export import file_name, to_xlsx
from fieldkit_server.web.sessions import WebSession

router = APIRouter()
CAMPAIGN_DAYS = 45
"""The period offered for a new campaign: the province's 45-day drive."""
# Labels are Vietnamese sources, translated where they are shown (see `tr`).
TARGET_FIELDS = {"households": "Số hộ cần tiếp cận", "level2": "Tài khoản VNeID mức 2",
                 "forms": "Tờ khai hoàn thành"}
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _today() -> date:
    return datetime.now(COMMUNE_TIME).date()


@router.get("/progress")
def progress_page(request: Request, session: Admin) -> Response:
    return _progress_page(request, session)


def _progress_page(request: Request, session: WebSession, status_code: int = 200,
                   error: str | None = None) -> Response:
    with reading(state(request).engine) as conn:
        communes = progress(conn, _today(), chosen_commune(session))
    return render(request, "progress.html", session, communes=communes, error=error,
                  status_code=status_code, saved=request.query_params.get("saved"))


@router.post("/progress/export")
def export(request: Request, session: Admin, _: CsrfForm) -> Response:
    engine, today = state(request).engine, _today()
    with reading(engine) as conn:
        communes = progress(conn, today, chosen_commune(session))
    if not any(c.campaign for c in communes):
        return _progress_page(request, session, 409, tr("Chưa có xã/phường nào đặt chiến dịch: "
                                                        "hãy đặt thời gian và chỉ tiêu trước."))
    content = to_xlsx(communes, today)
    name = file_name(today)
    with writing(engine) as conn:
        write_audit(conn, session.username or "?", "export", f"{name} ({len(content)} byte)",
                    chosen_commune(session))
    return Response(content, media_type=XLSX, headers={
        "Content-Disposition": f"attachment; filename=\"{name}\"; "
                               f"filename*=UTF-8''{quote(name)}",
        "Cache-Control": "no-store"})


@router.get("/progress/targets")
def targets_page(request: Request, session: Admin, commune: str = "") -> Response:
    with reading(state(request).engine) as conn:
        communes = communes_shown(conn)
        chosen = _chosen(communes, commune)
        if chosen is None:
            return render(request, "progress_targets.html", session, communes=communes,
                          chosen=None, status_code=404 if commune else 200,
                          error=tr("Không có xã/phường mã “{code}”.").format(code=commune)
                          if commune else None)
        found = load_campaigns(conn).get(chosen[0])
        hamlets = _hamlet_rows(conn, chosen[0])
    today = _today()
    typed: dict[str, str] = {
        "starts_on": (found.starts_on if found else today).isoformat(),
        "ends_on": (found.ends_on if found
                    else today + timedelta(days=CAMPAIGN_DAYS - 1)).isoformat()}
    for village_id, _, _ in hamlets:
        target = found.target(village_id) if found else Target()
        for field in TARGET_FIELDS:
            value = getattr(target, field)
            typed[f"{field}_{village_id}"] = str(value) if value else ""
    return render(request, "progress_targets.html", session, communes=communes, chosen=chosen,
                  hamlets=hamlets, typed=typed, fields=TARGET_FIELDS, has_campaign=found
                  is not None, campaign_days=CAMPAIGN_DAYS)


@router.post("/progress/targets")
def save_targets(request: Request, session: Admin, form: CsrfForm) -> Response:
    engine = state(request).engine
    typed = {key: str(value).strip() for key, value in form.items() if key != "csrf_token"}
    with reading(engine) as conn:
        communes = communes_shown(conn)
        chosen = _chosen(communes, typed.get("commune", ""))
        hamlets = _hamlet_rows(conn, chosen[0]) if chosen else []
    if chosen is None:
        return render(request, "progress_targets.html", session, communes=communes,
                      chosen=None, status_code=400,
                      error=tr("Hãy chọn xã/phường của chiến dịch."))
    problems: list[str] = []
    starts_on = _day(typed.get("starts_on", ""), tr("Ngày bắt đầu"), problems)
    ends_on = _day(typed.get("ends_on", ""), tr("Ngày kết thúc"), problems)
    if starts_on and ends_on:
        if ends_on < starts_on:
            problems.append(tr("Ngày kết thúc phải trùng hoặc sau ngày bắt đầu."))
        elif (ends_on - starts_on).days + 1 > MAX_DAYS:
            problems.append(tr("Một chiến dịch dài tối đa {days} ngày: hãy sửa ngày kết thúc.")
                            .format(days=MAX_DAYS))
    targets: dict[str, Target] = {}
    for village_id, name, _ in hamlets:
        values = {field: _count(typed.get(f"{field}_{village_id}", ""), name, label, problems)
                  for field, label in TARGET_FIELDS.items()}
        targets[village_id] = Target(**values)
    if problems or starts_on is None or ends_on is None:
        return render(request, "progress_targets.html", session, communes=communes,
                      chosen=chosen, hamlets=hamlets, typed=typed, fields=TARGET_FIELDS,
                      problems=problems, status_code=400, has_campaign=False,
                      campaign_days=CAMPAIGN_DAYS)
    save_campaign(engine, chosen[0], starts_on, ends_on, targets, session.username or "?",
                  f"{chosen[2]} (mã {chosen[1]})")
    return RedirectResponse(f"/progress?saved={chosen[1]}#xa-{chosen[1]}", status_code=303)


def _chosen(communes: list[tuple[str, int, str, str]],
            typed: str) -> tuple[str, int, str, str] | None:
    """The commune named by its official code; the only one when there is one and none is
    named."""
    if not typed and len(communes) == 1:
        return communes[0]
    return next((c for c in communes if str(c[1]) == typed.strip()), None)


def _hamlet_rows(conn: Any, commune_id: str) -> list[tuple[str, str, int]]:
    """(village id, name, households on the commune's list) of the commune's hamlets."""
    listed = listed_counts(conn, commune_id)
    return [(village_id, name, listed.get(village_id, 0))
            for village_id, name in hamlets_of(conn, commune_id)]


def _day(text: str, what: str, problems: list[str]) -> date | None:
    """A date typed as yyyy-mm-dd (what a date field sends) or dd/mm/yyyy (typed by hand)."""
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    if text:
        problems.append(tr("{what}: “{text}” không phải là ngày. Hãy nhập ngày/tháng/năm, ví dụ "
                           "01/11/2025.").format(what=what, text=text))
    else:
        problems.append(tr("Hãy nhập {what} của chiến dịch.").format(what=what.lower()))
    return None


def _count(text: str, hamlet: str, label: str, problems: list[str]) -> int:
    if not text:
        return 0
    cleaned = text.replace(".", "").replace(" ", "")  # "1.200" is how 1200 is written
    if cleaned.isascii() and cleaned.isdigit() and int(cleaned) <= MAX_TARGET:
        return int(cleaned)
    largest = f"{MAX_TARGET:,}".replace(",", ".")
    problems.append(tr("{hamlet} – {label}: “{text}” không hợp lệ. Hãy nhập số nguyên từ 0 đến "
                       "{largest} (để trống nếu không đặt chỉ tiêu).").format(
                           hamlet=hamlet, label=tr(label), text=text, largest=largest))
    return 0
