"""The officer's resolution of a kept conflict: "keep the laptop's side" never silently
undoes changes made to the row after the conflict was found."""

import pytest
from sqlalchemy import select

from fieldkit.core.models import Household
from fieldkit_server.conflicts import ConflictError, resolve_conflict
from fieldkit_server.tables import conflict
from tests.live_server import LiveServer
from tests.server.laptop import commune_codes, enrol, household


def stored_household(server: LiveServer, row_id: str) -> tuple[str, str, int]:
    table = Household.__table__  # type: ignore[attr-defined]
    with server.engine.connect() as conn:
        row = conn.execute(select(table.c.head_name, table.c.address, table.c.version)
                           .where(table.c.id == row_id)).one()
    return row.head_name, row.address, row.version


@pytest.mark.parametrize("moved_on", [False, True])
def test_keeping_the_laptop_side_is_refused_once_the_row_moved_on(live_server: LiveServer,
                                                                  moved_on: bool):
    code = commune_codes()[0]
    first, second = enrol(live_server, code, "Máy 1"), enrol(live_server, code, "Máy 2")
    village = first.village()
    home = household(village)
    first.push_ok([first.change(village), first.change(home)])
    second.push_ok([second.change(home.model_copy(update={"address": "Bản Mới B"}),
                                  base_version=1)])
    from_first = home.model_copy(update={"address": "Bản Mới A"})
    assert first.push_ok([first.change(from_first, base_version=1)])[0]["status"] == "conflict"
    with live_server.engine.connect() as conn:
        conflict_id = conn.execute(select(conflict.c.id)).scalar_one()
    if not moved_on:
        resolve_conflict(live_server.engine, conflict_id, "incoming", "minh")
        assert stored_household(live_server, home.id) == ("Lò Văn Panh", "Bản Mới A", 3)
        return
    # Days later the other laptop corrects the head's name, a field both sides agree on.
    later = home.model_copy(update={"address": "Bản Mới B", "head_name": "Lò Văn Pảnh"})
    second.push_ok([second.change(later, base_version=2)])
    with pytest.raises(ConflictError, match="xem lại"):
        resolve_conflict(live_server.engine, conflict_id, "incoming", "minh")
    assert stored_household(live_server, home.id) == ("Lò Văn Pảnh", "Bản Mới B", 3)
    resolve_conflict(live_server.engine, conflict_id, "server", "minh")  # still possible
    with live_server.engine.connect() as conn:
        assert conn.execute(select(conflict.c.resolution)).scalar_one() == "server"
