"""A real commune server for tests: uvicorn on 127.0.0.1, a free port, in a thread, or the
real `fieldkit-server serve` in a process of its own (`start_serve`).

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

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

import psutil
import requests
import uvicorn
from sqlalchemy import Engine

from fieldkit.core.sync_protocol import PING_PATH
from fieldkit_server.app import create_app
from fieldkit_server.db import make_engine, open_database
from fieldkit_server.enrolment import create_enrolment_code

# Generous bounds for a loaded CI machine; they only turn a hang into a failure.
START_TIMEOUT_S = 30.0
PROCESS_START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 30.0
# What each uvicorn worker logs once its app is built and it accepts connections.
WORKER_READY = "Application startup complete."


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


@dataclass
class ServerProcess:
    """`fieldkit-server serve` running in a subprocess, and an engine on its database for
    what the CLI would do beside it (enrolment codes) and for checking what it stored."""

    url: str
    db_url: str
    engine: Engine
    process: subprocess.Popen[bytes]
    log: Path

    def enrolment_code(self, commune_code: int, days: int = 7) -> str:
        return create_enrolment_code(self.engine, commune_code, days=days).code

    def workers(self) -> list[psutil.Process]:
        """uvicorn's worker processes (the parent also runs multiprocessing's resource
        tracker, which serves nothing)."""
        children = psutil.Process(self.process.pid).children()
        return [child for child in children if "spawn_main" in " ".join(child.cmdline())]

    def stop(self) -> None:
        """SIGTERM, as systemd stops a service: uvicorn's parent stops its workers and waits
        for them. The whole process group is killed if that hangs."""
        try:
            if self.process.poll() is None:
                self.process.send_signal(signal.SIGTERM)
                try:
                    self.process.wait(STOP_TIMEOUT_S)
                except subprocess.TimeoutExpired:
                    os.killpg(self.process.pid, signal.SIGKILL)
                    self.process.wait(STOP_TIMEOUT_S)
                    raise RuntimeError("the server did not stop on SIGTERM") from None
        finally:
            self.engine.dispose()


def start_serve(db_url: str, workers: int, log: Path) -> ServerProcess:
    """Run `fieldkit-server serve --workers N` on a free port; returns once every worker has
    started (its start-up line is in the log) and the port answers HTTP."""
    with socket.socket() as probe:  # a free port, closed again for the server to take
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    with log.open("wb") as output:
        # Its own session, so a hung server and its workers can be killed as one group.
        process = subprocess.Popen(
            [sys.executable, "-m", "fieldkit_server.cli", "serve", "--db", db_url,
             "--port", str(port), "--workers", str(workers)],
            stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
    server = ServerProcess(url, db_url, make_engine(db_url), process, log)
    deadline = time.monotonic() + PROCESS_START_TIMEOUT_S
    while True:
        if process.poll() is not None or time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"the server did not start:\n{log.read_text(errors='replace')}")
        if log.read_text(errors="replace").count(WORKER_READY) >= workers:
            try:
                requests.get(url + PING_PATH, timeout=5)
                return server
            except requests.ConnectionError:
                pass
        time.sleep(0.1)
