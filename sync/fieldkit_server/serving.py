"""Running the server: one process (the default), or several on one PostgreSQL database.

One process is what an office PC needs, and `serve` then runs exactly as it always has: the
app is built here and handed to uvicorn. With `--workers N`, uvicorn starts each worker as a
fresh interpreter (multiprocessing "spawn"), so no app object or engine can be handed over:
each worker imports `worker_app` and builds its own, from settings this process leaves in the
environment, which a spawned process inherits. The schema is migrated here, once, before any
worker starts; workers only open the database, so N migrations never race each other. The key
that signs the officers' login cookies is in the database too (see `web.session_secret`), so
every worker accepts a cookie another one signed.

Each process moves what start-up built (modules, the app, the official commune list) out of
the garbage collector's sight once the app is made (`_settle_start_up`). A push allocates tens
of thousands of short-lived objects, so the collector's oldest generation is walked every few
pushes; with start-up's objects in it, each walk cost about 100 ms, 15% of a laptop's sync
(measured with `gc.callbacks` in a served process: 0.38 s of 4.2 s at 10,000 visits, 0.06 s
after the freeze).

Several processes are refused on SQLite. They would be correct (every write begins with
`BEGIN IMMEDIATE` and waits on the busy timeout) but gain nothing: SQLite lets one writer in at
a time, and one process already runs pushes and pulls side by side in its thread pool.
"""

from __future__ import annotations

import gc
import os

import uvicorn
from fastapi import FastAPI
from sqlalchemy.engine import make_url

from fieldkit_server.app import create_app
from fieldkit_server.db import make_engine, open_database, reading
from fieldkit_server.row_checks import warm_up

# Where the parent leaves the database URL for its workers (read by `worker_app`).
DB_URL_ENV = "FIELDKIT_SERVER_DB_URL"
SQLITE_WORKERS = ("--workers > 1 chỉ dùng được với PostgreSQL: SQLite chỉ cho một tiến trình "
                  "ghi mỗi lúc, nên nhiều tiến trình không nhanh hơn. Hãy bỏ --workers, hoặc "
                  "dùng --db postgresql+psycopg://…")
# The only address allowed to set X-Forwarded-For: a TLS reverse proxy on the same machine.
TRUSTED_PROXY = "127.0.0.1"
BAD_WORKERS = "--workers phải là một số nguyên từ 1 trở lên."


def serve(db_url: str, *, host: str, port: int, workers: int = 1) -> None:
    """Serve `db_url` on host:port with `workers` processes until interrupted.

    ValueError (printed by the CLI) for fewer than one worker, or several on SQLite."""
    if workers < 1:
        raise ValueError(BAD_WORKERS)
    if workers == 1:
        # Forwarded headers are trusted from 127.0.0.1 only (uvicorn's default): behind a local
        # TLS proxy the rate limits see each client's address; nobody else can claim one.
        app = create_app(db_url)
        _settle_start_up(app)
        uvicorn.run(app, host=host, port=port, proxy_headers=True,
                    forwarded_allow_ips=TRUSTED_PROXY)
        return
    if make_url(db_url).get_backend_name() == "sqlite":
        raise ValueError(SQLITE_WORKERS)
    open_database(db_url).dispose()  # migrated once, here; no connection kept open
    os.environ[DB_URL_ENV] = db_url
    uvicorn.run(f"{__name__}:worker_app", factory=True, workers=workers, host=host, port=port,
                proxy_headers=True, forwarded_allow_ips=TRUSTED_PROXY)


def worker_app() -> FastAPI:
    """The app of one worker process (uvicorn calls it after spawning the worker): the
    database `serve` migrated, opened without migrating again."""
    db_url = os.environ.get(DB_URL_ENV)
    if not db_url:
        raise RuntimeError(f"{DB_URL_ENV} is not set: worker processes are started by "
                           "`fieldkit-server serve --workers N`, which sets it")
    app = create_app(db_url, engine=make_engine(db_url))
    _settle_start_up(app)
    return app


def _settle_start_up(app: FastAPI) -> None:
    """Warm the push's checks up (see `row_checks.warm_up`), then freeze what exists now: it
    lives as long as the process, and the collector need never walk it again (see the module
    notes). Only in a served process: a test building many apps in one interpreter would
    freeze each one's garbage for good."""
    with reading(app.state.engine) as conn:
        warm_up(conn)
    gc.collect()
    gc.freeze()
