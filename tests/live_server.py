"""A real commune server for tests: uvicorn on 127.0.0.1, a free port, in a thread.

Shared by the server tests and the laptop's end-to-end sync tests, so both talk HTTP to the
same code a commune runs (no test client, no mocks):

    server = start_server("sqlite:///" + str(tmp_path / "server.db"))
    try:
        code = server.enrolment_code(commune_code)   # what `fieldkit-server enroll` prints
        requests.post(server.url + ENROLL_PATH, json={...})
    finally:
        server.stop()
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass, field

import uvicorn
from sqlalchemy import Engine

from fieldkit_server.app import create_app
from fieldkit_server.db import open_database
from fieldkit_server.enrolment import create_enrolment_code

# Generous bounds for a loaded CI machine; they only turn a hang into a failure.
START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 30.0


@dataclass
class LiveServer:
    url: str  # "http://127.0.0.1:PORT", no trailing slash
    db_url: str
    engine: Engine
    _server: uvicorn.Server = field(repr=False)
    _thread: threading.Thread = field(repr=False)

    def enrolment_code(self, commune_code: int, days: int = 7) -> str:
        """A fresh one-time code for a laptop of `commune_code`, made the way the CLI makes it."""
        return create_enrolment_code(self.engine, commune_code, days=days).code

    def stop(self) -> None:
        """Stop serving and wait for the thread; safe to call twice."""
        self._server.should_exit = True
        self._thread.join(STOP_TIMEOUT_S)
        if self._thread.is_alive():
            raise RuntimeError("the test server did not stop")
        self.engine.dispose()


def start_server(db_url: str, **app_options: object) -> LiveServer:
    """Migrate the database at `db_url` and serve it; returns once the port accepts requests.

    `app_options` go to `create_app` (e.g. `enrol_attempts_per_minute`)."""
    engine = open_database(db_url)
    app = create_app(db_url, engine=engine, **app_options)  # type: ignore[arg-type]
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Connections accepted from a socket handed to uvicorn do not get asyncio's TCP_NODELAY,
    # and an answer written as headers then body then waits out the laptop's delayed ACK:
    # about 40 ms on every request after a connection's first, which `serve` never pays.
    # Accepted connections inherit the option from the listening socket.
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    config = uvicorn.Config(app, log_level="warning", lifespan="off", access_log=False)
    server = uvicorn.Server(config)
    # Off the main thread uvicorn installs no signal handlers, so it cannot steal pytest's.
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]},
                              name=f"fieldkit-server-{port}", daemon=True)
    thread.start()
    deadline = time.monotonic() + START_TIMEOUT_S
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            server.should_exit = True
            raise RuntimeError("the test server did not start")
        time.sleep(0.01)
    return LiveServer(f"http://127.0.0.1:{port}", db_url, engine, server, thread)
