"""Enrolled laptops: the list, revoking a lost one, readmitting it, making enrolment codes.

Revoking takes two steps (a confirmation page, then a POST with the CSRF token): it cannot be
undone, and the laptop's volunteer loses sync until the laptop is enrolled again. Readmitting
takes two steps too, and ends on a new one-time code for that laptop's commune, shown once
with its QR like any enrolment code: its old token stays dead, so access comes back only
through the officer.
"""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Connection, select

from fieldkit.core.columns import as_utc, utcnow
from fieldkit.core.communes import commune
from fieldkit.core.i18n import tr
from fieldkit.core.models import Commune
from fieldkit_server.db import reading
from fieldkit_server.devices import NotRevoked, readmit_with_code, revoke_device
from fieldkit_server.enrolment import create_enrolment_code
from fieldkit_server.tables import device
from fieldkit_server.web.context import Admin, CsrfForm, chosen_commune, render, state
from fieldkit_server.web.lists import Page, paged
from fieldkit_server.web.qr_svg import qr_svg
from fieldkit_server.web.sessions import WebSession

router = APIRouter()
communes = Commune.__table__  # type: ignore[attr-defined]
NO_SUCH_DEVICE = "Không có máy này."
NOT_REVOKED = "Máy này chưa bị thu hồi nên không cần đăng ký lại."


def _devices(conn: Connection, commune_id: str | None, page: int) -> Page:
    """A page of the laptops (the chosen commune's, or all), newest enrolment first."""
    names = dict(conn.execute(select(communes.c.code, communes.c.name)).all())
    now = utcnow()
    query = select(device).order_by(device.c.enrolled_at.desc(), device.c.id)
    if commune_id is not None:
        query = query.where(device.c.commune_id == commune_id)
    result = paged(conn, query, page)
    for item in result.rows:
        item["commune_name"] = names.get(item["commune_code"], str(item["commune_code"]))
        item["expired"] = as_utc(item["expires_at"]) <= now
    return result


def _commune_choices(conn: Connection) -> list[tuple[int, str]]:
    return [(code, name) for code, name in conn.execute(
        select(communes.c.code, communes.c.name).where(communes.c.deleted.is_(False))
        .order_by(communes.c.name))]


def _page(request: Request, session: WebSession, status_code: int = 200, page: int = 1,
          **values: object) -> Response:
    with reading(state(request).engine) as conn:
        result = _devices(conn, chosen_commune(session), page)
        choices = _commune_choices(conn)
    return render(request, "devices.html", session, devices=result.rows, result=result,
                  communes=choices, status_code=status_code, **values)


@router.get("/devices")
def devices_page(request: Request, session: Admin, page: int = 1) -> Response:
    return _page(request, session, page=page)


@router.get("/devices/{device_id}/revoke")
def confirm_revoke(request: Request, device_id: str,
                   session: Admin) -> Response:
    with reading(state(request).engine) as conn:
        found = conn.execute(select(device).where(device.c.id == device_id)).first()
    if found is None:
        return _page(request, session, error=tr(NO_SUCH_DEVICE), status_code=404)
    return render(request, "revoke.html", session, device=found)


@router.post("/devices/{device_id}/revoke")
def revoke(request: Request, device_id: str, session: Admin,
                 _: CsrfForm) -> Response:
    if not revoke_device(state(request).engine, device_id, actor=session.username or "?"):
        return _page(request, session, error=tr(NO_SUCH_DEVICE), status_code=404)
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
                     error=tr("Không có xã/phường mã “{code}”. Hãy nhập mã xã chính thức.")
                     .format(code=typed))
    made = create_enrolment_code(state(request).engine, code, created_by=session.username or "?")
    return _page(request, session, made=made, commune_name=commune(code).name,
                 qr=qr_svg(made.code))


@router.get("/devices/{device_id}/readmit")
def confirm_readmit(request: Request, device_id: str, session: Admin) -> Response:
    with reading(state(request).engine) as conn:
        found = conn.execute(select(device).where(device.c.id == device_id)).first()
    if found is None:
        return _page(request, session, error=tr(NO_SUCH_DEVICE), status_code=404)
    if found.revoked_at is None:
        return _page(request, session, error=tr(NOT_REVOKED), status_code=409)
    return render(request, "readmit.html", session, device=found,
                  commune_name=_commune_name(found.commune_code))


@router.post("/devices/{device_id}/readmit")
def readmit(request: Request, device_id: str, session: Admin, _: CsrfForm) -> Response:
    engine = state(request).engine
    try:
        made = readmit_with_code(engine, device_id, session.username or "?")
    except NotRevoked:
        return _page(request, session, error=tr(NOT_REVOKED), status_code=409)
    if made is None:
        return _page(request, session, error=tr(NO_SUCH_DEVICE), status_code=404)
    with reading(engine) as conn:
        found = conn.execute(select(device).where(device.c.id == device_id)).one()
    return render(request, "readmitted.html", session, device=found, made=made,
                  commune_name=_commune_name(made.commune_code), qr=qr_svg(made.code))


def _commune_name(code: int) -> str:
    try:
        return commune(code).name
    except ValueError:
        return str(code)
