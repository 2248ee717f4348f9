"""Enrolled laptops: the list, revoking a lost one, and making an enrolment code.

Revoking takes two steps (a confirmation page, then a POST with the CSRF token): it cannot be
undone, and the laptop's volunteer loses sync until the laptop is enrolled again.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection, select

from fieldkit.core.columns import as_utc, utcnow
from fieldkit.core.communes import commune
from fieldkit.core.models import Commune
from fieldkit_server.db import reading
from fieldkit_server.devices import revoke_device
from fieldkit_server.enrolment import create_enrolment_code
from fieldkit_server.tables import device
from fieldkit_server.web.context import Admin, CsrfForm, render, state
from fieldkit_server.web.qr_svg import qr_svg
from fieldkit_server.web.sessions import WebSession

router = APIRouter()
communes = Commune.__table__  # type: ignore[attr-defined]
NO_SUCH_DEVICE = "Không có máy này."


def _devices(conn: Connection) -> list[dict]:
    names = dict(conn.execute(select(communes.c.code, communes.c.name)).all())
    now = utcnow()
    rows = []
    for row in conn.execute(select(device).order_by(device.c.enrolled_at.desc())):
        item = dict(row._mapping)
        item["commune_name"] = names.get(row.commune_code, str(row.commune_code))
        item["expired"] = as_utc(row.expires_at) <= now
        rows.append(item)
    return rows


def _commune_choices(conn: Connection) -> list[tuple[int, str]]:
    return [(code, name) for code, name in conn.execute(
        select(communes.c.code, communes.c.name).where(communes.c.deleted.is_(False))
        .order_by(communes.c.name))]


def _page(request: Request, session: WebSession, status_code: int = 200,
          **values: object) -> Response:
    with reading(state(request).engine) as conn:
        devices = _devices(conn)
        choices = _commune_choices(conn)
    return render(request, "devices.html", session, devices=devices, communes=choices,
                  status_code=status_code, **values)


@router.get("/devices")
def devices_page(request: Request, session: Admin) -> Response:
    return _page(request, session)


@router.get("/devices/{device_id}/revoke")
def confirm_revoke(request: Request, device_id: str,
                   session: Admin) -> Response:
    with reading(state(request).engine) as conn:
        found = conn.execute(select(device).where(device.c.id == device_id)).first()
    if found is None:
        return _page(request, session, error=NO_SUCH_DEVICE, status_code=404)
    return render(request, "revoke.html", session, device=found)


@router.post("/devices/{device_id}/revoke")
def revoke(request: Request, device_id: str, session: Admin,
                 _: CsrfForm) -> Response:
    if not revoke_device(state(request).engine, device_id, actor=session.username or "?"):
        return _page(request, session, error=NO_SUCH_DEVICE, status_code=404)
    return RedirectResponse("/devices?revoked=1", status_code=303)


@router.post("/devices/enrolment-code")
def new_code(request: Request, session: Admin,
                   form: CsrfForm) -> Response:
    typed = str(form.get("commune_code", "")).strip()
    try:
        code = int(typed)
        commune(code)
    except ValueError:
        return _page(request, session, status_code=400,
                     error=f"Không có xã/phường mã “{typed}”. Hãy nhập mã xã chính thức.")
    made = create_enrolment_code(state(request).engine, code, created_by=session.username or "?")
    return _page(request, session, made=made, commune_name=commune(code).name,
                 qr=qr_svg(made.code))
