"""The dashboard: the commune's figures at a glance, with charts drawn as inline SVG."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from fieldkit.core.i18n import tr
from fieldkit_server.db import reading
from fieldkit_server.web.charts import column_chart, row_chart
from fieldkit_server.web.context import Admin, chosen_commune, render, state
from fieldkit_server.web.figures import dashboard
from fieldkit_server.web.progress import progress

router = APIRouter()


@router.get("/")
def dashboard_page(request: Request, session: Admin) -> Response:
    with reading(state(request).engine) as conn:
        figures = dashboard(conn, commune_id=chosen_commune(session))
        campaigns = [c for c in progress(conn, only=chosen_commune(session))
                     if c.campaign is not None]
    weekly = column_chart(tr("Lượt thăm hộ mỗi tuần (12 tuần gần nhất)"),
                          [(f"{monday:%d/%m}", count) for monday, count in figures.weeks])
    per_village = row_chart(tr("Hộ đã được thăm theo thôn/bản"),
                            [(v.name, v.reached) for v in figures.villages])
    return render(request, "dashboard.html", session, figures=figures, weekly=weekly,
                  per_village=per_village, campaigns=campaigns)
