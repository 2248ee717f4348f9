"""Open conflicts side by side, and the officer's choice of which side to keep."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from fieldkit_server.conflicts import ConflictError, resolve_conflict
from fieldkit_server.db import reading
from fieldkit_server.web.conflict_view import open_conflicts
from fieldkit_server.web.context import Admin, CsrfForm, chosen_commune, render, state
from fieldkit_server.web.sessions import WebSession

router = APIRouter()


def _page(request: Request, session: WebSession, status_code: int = 200, page: int = 1,
          **values: object) -> Response:
    with reading(state(request).engine) as conn:
        result = open_conflicts(conn, chosen_commune(session), page)
    return render(request, "conflicts.html", session, conflicts=result.rows, result=result,
                  status_code=status_code, **values)


@router.get("/conflicts")
def conflicts_page(request: Request, session: Admin, page: int = 1) -> Response:
    return _page(request, session, page=page)


@router.post("/conflicts/{conflict_id}/resolve")
def resolve(request: Request, conflict_id: int,
                  session: Admin,
                  form: CsrfForm) -> Response:
    choice = str(form.get("keep", ""))
    try:
        resolve_conflict(state(request).engine, conflict_id, choice,  # type: ignore[arg-type]
                         session.username or "?")
    except ConflictError as error:
        return _page(request, session, status_code=409, error=str(error))
    return RedirectResponse("/conflicts?resolved=1", status_code=303)
