"""Withdrawal of consent is an erasure (Decree 13/2023) that must survive sync races: real
commune server (uvicorn on 127.0.0.1), real encrypted laptops, real HTTP."""


import pytest
from sqlalchemy import text

from fieldkit.core.consent import withdraw_consent
from fieldkit.core.people import update_person
from fieldkit.core.sync_apply import conflicts, resolve_conflict
from fieldkit.sync_client.runner import SyncReport, sync
from tests.e2e.sync_laptops import FAST_RETRY, Laptop, server_person

NAME = "Lò Thị Mai"
NEW_PHONE = "0987654321"


def run(laptop: Laptop) -> SyncReport:
    return sync(laptop.store, retry=FAST_RETRY)


def b_edits_while_a_erases(laptop_a: Laptop, laptop_b: Laptop, b_syncs_first: bool) -> str:
    """A registers a head both laptops sync; B changes the phone (syncing it or not), then the
    citizen withdraws consent in front of A's volunteer and A syncs. Returns the head's id."""
    _, head = laptop_a.register(NAME)
    run(laptop_a)
    run(laptop_b)
    with laptop_b.store.write() as session:
        update_person(session, head, "phone", NEW_PHONE)
    if b_syncs_first:
        run(laptop_b)
    with laptop_a.store.write() as session:
        withdraw_consent(session, head)
    run(laptop_a)
    return head


def test_withdrawal_racing_an_edit_still_erases_on_the_server(laptop_a, laptop_b, server):
    head = b_edits_while_a_erases(laptop_a, laptop_b, b_syncs_first=True)
    stored = server_person(server, head)
    with server.engine.connect() as conn:
        withdrawn = conn.execute(text("SELECT withdrawn_at FROM consent WHERE person_id = :i"),
                                 {"i": head}).scalar_one()
    assert withdrawn is not None
    # A's erasure was made from an older version, yet it is applied, not parked as a conflict.
    assert stored["full_name"] is None and stored["phone"] is None, stored
    run(laptop_b)
    assert conflicts(laptop_b.store) == []


def test_keep_mine_on_a_stale_laptop_cannot_restore_erased_data(laptop_a, laptop_b, server):
    head = b_edits_while_a_erases(laptop_a, laptop_b, b_syncs_first=False)
    assert server_person(server, head)["full_name"] is None
    report = run(laptop_b)  # B's edit is refused by the server, the erasure comes back
    assert report.conflicts == 1
    [conflict] = conflicts(laptop_b.store)
    with pytest.raises(ValueError, match="rút lại sự đồng ý"):
        resolve_conflict(laptop_b.store, conflict.seq, "local")
    run(laptop_b)
    assert server_person(server, head)["full_name"] is None, "erased name restored on server"


def test_erased_personal_data_does_not_live_on_in_conflict_copies(laptop_a, laptop_b, server):
    b_edits_while_a_erases(laptop_a, laptop_b, b_syncs_first=False)
    run(laptop_b)
    [conflict] = conflicts(laptop_b.store)
    resolve_conflict(laptop_b.store, conflict.seq, "server")  # the erasure is accepted
    run(laptop_b)
    with laptop_b.store.engine.connect() as conn:
        kept = conn.execute(text("SELECT local_data || server_data FROM sync_conflict")
                            ).scalars().all()
    with server.engine.connect() as conn:
        kept += conn.execute(text("SELECT incoming || \"current\" FROM conflict")
                             ).scalars().all()
    leftovers = [k for k in kept if NAME in k or NEW_PHONE in k]
    assert leftovers == [], "withdrawn person's name/phone still stored in conflict copies"
