"""The searchable lists of households, visits and form records."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fieldkit_server.db import reading
from fieldkit_server.web import lists
from fieldkit_server.web.context import Admin, chosen_commune, render, state
from fieldkit_server.web.form_texts import load_catalogue

router = APIRouter()
MAX_QUERY = 100


@router.get("/households")
def households_page(request: Request, session: Admin, q: str = "",
                    page: int = 1) -> Response:
    q = q[:MAX_QUERY]
    with reading(state(request).engine) as conn:
        result = lists.households(conn, q, page, chosen_commune(session))
    return render(request, "households.html", session, q=q, result=result)


@router.get("/visits")
def visits_page(request: Request, session: Admin, q: str = "",
                page: int = 1) -> Response:
    q = q[:MAX_QUERY]
    with reading(state(request).engine) as conn:
        result = lists.visits(conn, q, page, chosen_commune(session))
    return render(request, "visits.html", session, q=q, result=result)


@router.get("/forms")
def forms_page(request: Request, session: Admin, q: str = "",
               page: int = 1) -> Response:
    q = q[:MAX_QUERY]
    with reading(state(request).engine) as conn:
        result = lists.forms(conn, q, page, load_catalogue(conn), chosen_commune(session))
    return render(request, "forms.html", session, q=q, result=result)
