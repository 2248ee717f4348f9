"""Server test fixtures: a database per test on SQLite, and on PostgreSQL when
`FIELDKIT_TEST_PG_URL` names a server (e.g. postgresql+psycopg://fieldkit@127.0.0.1/fieldkit_test;
the role needs CREATEDB). Each PostgreSQL test gets a fresh database, dropped afterwards."""

import os
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError

from tests.live_server import LiveServer, start_server

PG_ENV = "FIELDKIT_TEST_PG_URL"
DROP_ATTEMPTS = 10
BACKENDS = ["sqlite", *(["postgresql"] if os.environ.get(PG_ENV) else [])]


@pytest.fixture(params=BACKENDS)
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'server.db'}"
        return
    yield from _fresh_postgres_database(os.environ[PG_ENV])


def _fresh_postgres_database(url: str) -> Iterator[str]:
    base = make_url(url)
    name = f"fieldkit_test_{uuid.uuid4().hex[:12]}"
    # CREATE/DROP DATABASE cannot run inside a transaction, nor while connected to it.
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            yield base.set(database=name).render_as_string(hide_password=False)
        finally:
            _drop(admin, name)
    finally:
        admin.dispose()


def _drop(admin: Engine, name: str) -> None:
    """FORCE ends the test's leftover connections, but not an autovacuum worker that happens
    to be in the fresh database (a non-superuser may not signal it): wait for it and retry."""
    for attempt in range(DROP_ATTEMPTS):
        try:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            return
        except DBAPIError:
            if attempt == DROP_ATTEMPTS - 1:
                raise
            time.sleep(0.5)


@pytest.fixture
def live_server(db_url: str) -> Iterator[LiveServer]:
    server = start_server(db_url)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def web(db_url: str) -> Iterator[LiveServer]:
    """A live server with the officer's pages and an admin account (see test_web.log_in)."""
    from fieldkit_server.admins import create_admin
    from tests.server.test_web import ADMIN, PASSWORD

    server = start_server(db_url)
    create_admin(server.engine, ADMIN, PASSWORD)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def browser(web: LiveServer) -> requests.Session:
    """A browser session logged in to `web` as the admin."""
    from tests.server.test_web import log_in

    session, answer = log_in(web)
    assert answer.status_code == 303, answer.text
    return session
