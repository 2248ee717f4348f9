"""A laptop as the server sees it: an enrolled device that pushes and pulls over HTTP.

Rows are built from the shared SQLModel classes and encoded with `sync_protocol.row_data`,
the same contract the real sync client uses, so these tests exercise what laptops send.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any, Protocol

import requests
from sqlalchemy import func, select

from fieldkit.core.columns import utcnow
from fieldkit.core.communes import communes_of, provinces
from fieldkit.core.ids import commune_id, uuid7
from fieldkit.core.models import SYNCED_TABLES, Commune, Household, Person, SyncedRow, Village
from fieldkit.core.sync_protocol import ENROLL_PATH, PULL_PATH, PUSH_PATH, row_data
from fieldkit_server.tables import applied_change, change_log, conflict, push_batch
from tests.live_server import LiveServer

TIMEOUT_S = 60


def commune_codes() -> tuple[int, int]:
    """Two real communes of one province."""
    first, second = communes_of(provinces()[0][0])[:2]
    return first.code, second.code


class Server(Protocol):
    """What a laptop needs of a server: its address and one-time enrolment codes (a
    `LiveServer` in a thread, or a `fieldkit-server serve` process)."""

    url: str

    def enrolment_code(self, commune_code: int, days: int = 7) -> str: ...


def enrol(server: Server, commune_code: int, name: str = "Máy thử") -> Laptop:
    device_id = str(uuid.uuid4())
    answer = requests.post(server.url + ENROLL_PATH, timeout=TIMEOUT_S, json={
        "code": server.enrolment_code(commune_code), "device_id": device_id,
        "device_name": name, "public_key": "ab" * 32})
    assert answer.status_code == 200, answer.text
    return Laptop(server, device_id, answer.json()["token"], commune_id(commune_code))


@dataclass
class Laptop:
    server: Server
    device_id: str
    token: str
    commune_id: str
    local_versions: dict[str, int] = field(default_factory=dict)

    @property
    def auth(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"}

    def change(self, row: SyncedRow, base_version: int = 0) -> dict[str, Any]:
        """One change of `row` as this laptop would send it (its own version counter +1)."""
        local = self.local_versions.get(row.id, 0) + 1
        self.local_versions[row.id] = local
        row.device_id, row.version, row.updated_at = self.device_id, local, utcnow()
        return {"table": type(row).__tablename__, "id": row.id, "base_version": base_version,
                "local_version": local, "data": row_data(row)}

    def push(self, changes: list[dict[str, Any]], batch_id: str | None = None
             ) -> requests.Response:
        return requests.post(self.server.url + PUSH_PATH, headers=self.auth, timeout=TIMEOUT_S,
                             json={"batch_id": batch_id or str(uuid.uuid4()),
                                   "changes": changes})

    def push_ok(self, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        answer = self.push(changes)
        assert answer.status_code == 200, answer.text
        return answer.json()["results"]

    def pull(self, since: int = 0, limit: int = 1000) -> dict[str, Any]:
        answer = requests.get(self.server.url + PULL_PATH, headers=self.auth, timeout=TIMEOUT_S,
                              params={"since": since, "limit": limit})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def pull_all(self, limit: int = 1000) -> list[dict[str, Any]]:
        changes: list[dict[str, Any]] = []
        cursor, more = 0, True
        while more:
            page = self.pull(cursor, limit)
            changes += page["changes"]
            cursor, more = page["next_cursor"], page["more"]
        return changes

    def village(self, name: str = "Bản Phiêng Luông") -> Village:
        return Village(id=uuid7(), commune_id=self.commune_id, name=name, kind="ban")


def household(village: Village, head_name: str = "Lò Văn Panh") -> Household:
    return Household(id=uuid7(), village_id=village.id, head_name=head_name,
                     address="Bản Phiêng Luông", sort_key="lo van panh")


def person(home: Household, **fields: Any) -> Person:
    values: dict[str, Any] = {"full_name": "Lò Thị Mai", "gender": "female",
                              "date_of_birth": date(1990, 5, 17), "relation_to_head": "head"}
    values.update(fields)
    return Person(id=uuid7(), household_id=home.id, **values)


def stored_counts(server: LiveServer) -> dict[str, int]:
    """Rows in every table a push could write: equal before and after means nothing stored."""
    tables = [model.__table__ for model in SYNCED_TABLES]  # type: ignore[attr-defined]
    tables += [applied_change, change_log, conflict, push_batch]
    with server.engine.connect() as conn:
        return {t.name: conn.execute(select(func.count()).select_from(t)).scalar_one()
                for t in tables}


def official_commune_row(code: int) -> Commune:
    from fieldkit.core.communes import commune

    info = commune(code)
    return Commune(id=commune_id(code), code=code, name=info.name,
                   province_code=info.province_code, province_name=info.province_name)
