"""Assigning hamlets and listed households to volunteers, and each volunteer's work list.

The work list is the laptop's own (`fieldkit.core.work_list`) drawn from the server's copy of
the synced tables, limited to what the volunteer was given: what the officer sees for Linh is
what Linh's laptop shows her after its last sync.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import select

from fieldkit.core.i18n import tr
from fieldkit.core.work_list import KINDS, UNITS, work_list
from fieldkit_server.assignments import (
    COMMUNE,
    LISTED,
    VILLAGE,
    VOLUNTEER,
    AssignmentRefused,
    assign,
    standing_assignments,
    withdraw,
)
from fieldkit_server.db import reading
from fieldkit_server.web.context import Admin, CsrfForm, chosen_commune, render, state

router = APIRouter()
# Households offered as checkboxes when a hamlet is chosen; a bigger hamlet is given whole.
MAX_OFFERED = 300


@router.get("/assignments")
def assignments_page(request: Request, session: Admin, village: str = "",
                     volunteer: str = "") -> Response:
    return _page(request, session, village, volunteer)


@router.post("/assignments")
def make_assignment(request: Request, session: Admin, form: CsrfForm) -> Response:
    volunteer, village = str(form.get("volunteer", "")), str(form.get("village", ""))
    due = str(form.get("due_on", "")).strip()
    try:
        due_on = date.fromisoformat(due) if due else None
    except ValueError:
        return _page(request, session, village, volunteer, 422,
                     tr("Hạn hoàn thành không hợp lệ: chọn một ngày."))
    listed = [str(value) for key, value in form.items() if key.startswith("listed_")]
    try:
        made = assign(state(request).engine, session.username or "?", volunteer, village,
                      listed, due_on, str(form.get("note", "")))
    except AssignmentRefused as refused:
        return _page(request, session, village, volunteer, 422, str(refused))
    return RedirectResponse(f"/assignments?made={made}", status_code=303)


@router.post("/assignments/{assignment_id}/withdraw")
def withdraw_assignment(request: Request, session: Admin, assignment_id: str,
                        form: CsrfForm) -> Response:
    del form  # the CSRF check is the point
    if not withdraw(state(request).engine, session.username or "?", assignment_id):
        return _page(request, session, "", "", 404, tr("Không còn việc được giao này."))
    return RedirectResponse("/assignments?withdrawn=1", status_code=303)


@router.get("/volunteers/{volunteer_id}/work")
def volunteer_work(request: Request, session: Admin, volunteer_id: str) -> Response:
    with reading(state(request).engine) as conn:
        volunteer = conn.execute(select(VOLUNTEER.c.full_name, VOLUNTEER.c.commune_id,
                                        COMMUNE.c.name.label("commune"))
                                 .join(COMMUNE, COMMUNE.c.id == VOLUNTEER.c.commune_id)
                                 .where(VOLUNTEER.c.id == volunteer_id)).first()
        if volunteer is None:
            return render(request, "error.html", session, status_code=404,
                          message=tr("Không có tình nguyện viên này."))
        work = work_list(conn, volunteer.commune_id, volunteer_id, assigned_only=True)
        given = standing_assignments(conn, volunteer_id)
    return render(request, "volunteer_work.html", session, volunteer=volunteer, work=work,
                  kinds=KINDS, units=UNITS, given=given)


def _page(request: Request, session: Any, village: str, volunteer: str,
          status_code: int = 200, error: str | None = None) -> Response:
    # The chosen commune's (or every commune's) volunteers, hamlets and assignments.
    only = chosen_commune(session)
    here = [COMMUNE.c.id == only] if only is not None else []
    with reading(state(request).engine) as conn:
        volunteers = conn.execute(
            select(VOLUNTEER.c.id, VOLUNTEER.c.full_name, COMMUNE.c.name.label("commune"))
            .join(COMMUNE, COMMUNE.c.id == VOLUNTEER.c.commune_id)
            .where(VOLUNTEER.c.deleted.is_(False), VOLUNTEER.c.demo.is_(False), *here)
            .order_by(COMMUNE.c.name, VOLUNTEER.c.full_name)).all()
        villages = conn.execute(
            select(VILLAGE.c.id, VILLAGE.c.name, COMMUNE.c.name.label("commune"))
            .join(COMMUNE, COMMUNE.c.id == VILLAGE.c.commune_id)
            .where(VILLAGE.c.deleted.is_(False), VILLAGE.c.demo.is_(False), *here)
            .order_by(COMMUNE.c.name, VILLAGE.c.name)).all()
        offered = conn.execute(
            select(LISTED.c.id, LISTED.c.head_name, LISTED.c.address)
            .where(LISTED.c.village_id == village, LISTED.c.household_id.is_(None),
                   LISTED.c.deleted.is_(False))
            .order_by(LISTED.c.head_name).limit(MAX_OFFERED + 1)).all() if village else []
        given = standing_assignments(conn, commune_id=only)
    return render(request, "assignments.html", session, status_code=status_code, error=error,
                  volunteers=volunteers, villages=villages, chosen_village=village,
                  chosen_volunteer=volunteer, offered=offered[:MAX_OFFERED],
                  too_many=len(offered) > MAX_OFFERED, given=given,
                  today=date.today().isoformat())
