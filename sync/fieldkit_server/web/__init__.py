"""The commune IT officer's web pages: dashboard, lists, conflicts, devices, export, receipts.

Server-rendered HTML in Vietnamese, or English for an officer who picks it (see `language`),
with its CSS and charts inside the package: the office may have no internet, so the pages load
nothing from outside. `mount_web(app)` adds them to the app `create_app` made, using the
engine it keeps in `app.state.engine`.
"""

from __future__ import annotations

from fastapi import FastAPI, Request
from fastapi.responses import Response
from fastapi.staticfiles import StaticFiles

from fieldkit.core.i18n import add_catalogue, tr
from fieldkit_server.web import (
    assignment_pages,
    audit_pages,
    commune_pages,
    conflict_pages,
    dashboard_page,
    device_pages,
    export_pages,
    import_pages,
    language,
    list_pages,
    login,
    progress_pages,
    receipt_pages,
    sync_file_pages,
)
from fieldkit_server.web.context import (
    STATIC_DIR,
    CsrfRefused,
    LoginRequired,
    current_session,
    login_redirect,
    make_state,
    render,
)


def mount_web(app: FastAPI) -> None:
    """Add the pages, their static files and the login redirect to `app` (once)."""
    if getattr(app.state, "web", None) is not None:
        raise RuntimeError("mount_web(app) was already called for this app")
    app.state.web = make_state(app.state.engine)
    add_catalogue(language.CATALOGUE)
    language.install(app.state.web.templates.env)
    app.add_middleware(language.LanguageMiddleware)
    app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    for module in (login, language, dashboard_page, import_pages, list_pages, conflict_pages,
                   device_pages, export_pages, receipt_pages, progress_pages,
                   assignment_pages, sync_file_pages, commune_pages, audit_pages):
        app.include_router(module.router)

    @app.exception_handler(LoginRequired)
    def to_login(_: Request, exc: LoginRequired) -> Response:
        return login_redirect(exc.next_path)

    @app.exception_handler(CsrfRefused)
    def refuse(request: Request, _: CsrfRefused) -> Response:
        return render(request, "error.html", current_session(request), status_code=403,
                      message=tr("Biểu mẫu đã hết hạn hoặc không được gửi từ trang của máy "
                                 "chủ này. Hãy tải lại trang rồi thử lại."))
