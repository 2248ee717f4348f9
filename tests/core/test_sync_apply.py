"""The store's side of sync over real encrypted stores: what is pushed, what each answer does to
the queue, and how pulled rows land on another laptop (search included) without ever
overwriting a local edit."""

import gzip
import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import orjson
import pytest
from sqlalchemy import select, text

from fieldkit.core.consent import withdraw_consent
from fieldkit.core.households import update_household
from fieldkit.core.models import SYNCED_TABLES, Consent, Household, Person
from fieldkit.core.outbox import outbox, sync_conflict, sync_state
from fieldkit.core.paths import forms_dir, guides_dir
from fieldkit.core.people import update_person
from fieldkit.core.search import search_households
from fieldkit.core.store import Store
from fieldkit.core.sync_apply import (
    BATCH_KEY,
    PushQueue,
    apply_pulled,
    conflicts,
    make_batch,
    pending_changes,
    quarantined,
    record_results,
    resolve_conflict,
    saved_batch,
)
from fieldkit.core.sync_protocol import (
    MAX_CHANGES,
    TABLES,
    ChangeResult,
    PulledChange,
    PushRequest,
    PushResponse,
    row_data,
)
from tests.conftest import PASSPHRASE, person_row

BATCH = "0" * 36


@pytest.fixture
def other(tmp_path: Path) -> Iterator[Store]:
    """A second laptop with nothing on it yet."""
    opened = Store.create(tmp_path / "other", PASSPHRASE)
    try:
        yield opened
    finally:
        opened.close()


def answer(changes, status="applied", version=1, reason=None) -> PushResponse:
    return PushResponse(batch_id=BATCH, results=[
        ChangeResult(table=c.table, id=c.id, status=status,
                     version=None if status == "rejected" else version, reason=reason)
        for c in changes])


def everything(store: Store, version: int = 1) -> list[PulledChange]:
    """Every synced row of `store` as a server would send it, in cursor order."""
    changes = []
    with store.read() as session:
        for model in SYNCED_TABLES:
            for row in session.exec(select(model)).scalars():
                changes.append(PulledChange(seq=len(changes) + 1, table=model.__tablename__,
                                            id=row.id, version=version, data=row_data(row)))
    return changes


def queued(store: Store, row_id: str) -> list[int]:
    with store.engine.connect() as conn:
        return list(conn.execute(select(outbox.c.version).where(outbox.c.row_id == row_id))
                    .scalars())


def test_pending_changes_go_parents_first_with_the_row_as_it_is(store, make_household):
    made = make_household("Lò Thị Mai", members=("Lò Văn Pao",))
    changes = pending_changes(store)
    tables = [c.table for c in changes]
    order = [t.__tablename__ for t in SYNCED_TABLES]
    assert tables == sorted(tables, key=order.index)
    assert {"commune", "volunteer", "village", "household", "person", "consent"} <= set(tables)
    head = next(c for c in changes if c.id == made.head_id)
    assert head.base_version == 0
    assert head.local_version == person_row(store, made.head_id).version
    assert head.data["full_name"] == "Lò Thị Mai"
    # One change per row however many times it was edited.
    assert len({c.id for c in changes}) == len(changes) == store.pending_changes()
    assert [c.id for c in pending_changes(store, limit=3)] == [c.id for c in changes[:3]]


def test_pushed_rows_are_sent_exactly_as_the_protocol_encodes_them(store, make_household):
    """The push reads rows with plain SQL, not through the models: each value must come out as
    `row_data` gives it (times with and without microseconds, or stored without a fraction;
    dates; flags; nulls), the columns in their order, and a batch's body must be the very
    bytes the protocol's models would send."""
    made = make_household("Lò Thị Mai", date_of_birth=date(1990, 5, 17),
                          members=("Lò Văn Pao",))
    with store.engine.begin() as conn:  # around the stamping session: exact stored values
        conn.execute(text("UPDATE person SET has_smartphone = 1, phone_has_nfc = 0, "
                          "updated_at = '2025-01-02 03:04:05.000000' WHERE id = :id"),
                     {"id": made.head_id})
        conn.execute(text("UPDATE consent SET given_at = '2025-01-02 03:04:05'"))
    changes = pending_changes(store)
    assert {"person", "consent"} <= {c.table for c in changes}
    with store.read() as session:
        for change in changes:
            expected = row_data(session.get(TABLES[change.table], change.id))
            # As JSON, so that a flag read as 1 instead of true, or columns in another order,
            # count as different.
            assert orjson.dumps(change.data) == orjson.dumps(expected), change.table
    head = next(c for c in changes if c.id == made.head_id)
    assert head.data["updated_at"] == "2025-01-02T03:04:05+00:00"
    assert head.data["has_smartphone"] is True and head.data["phone_has_nfc"] is False
    assert head.data["date_of_birth"] == "1990-05-17"
    queue = PushQueue(store)
    queue.read_order()
    batch = make_batch(queue.take(MAX_CHANGES))
    request = PushRequest(batch_id=batch.batch_id, changes=changes)
    assert gzip.decompress(batch.body) == orjson.dumps(request.model_dump(mode="json"))


def test_a_batch_saved_by_an_earlier_release_goes_out_again_as_it_was(store, make_household):
    """Earlier releases kept the batch on the wire as plain JSON: after an update it must
    still be sent again with its id and its changes."""
    make_household("Lò Thị Mai")
    request = PushRequest(batch_id=BATCH, changes=pending_changes(store))
    with store.write() as session:
        store.set_meta(session, {BATCH_KEY: request.model_dump_json()})
    saved = saved_batch(store)
    assert saved is not None and saved.batch_id == BATCH
    assert gzip.decompress(saved.body) == orjson.dumps(request.model_dump(mode="json"))


def test_applied_changes_leave_the_queue_but_an_edit_made_in_flight_stays(store,
                                                                          make_household):
    made = make_household("Lò Thị Mai")
    sent = pending_changes(store)
    with store.write() as session:  # typed while the push was on the wire
        update_person(session, made.head_id, "phone", "0912345679")
    outcome = record_results(store, sent, answer(sent, version=1))
    assert outcome.applied == len(sent)
    again = pending_changes(store)
    [head] = again
    assert head.id == made.head_id
    assert head.base_version == 1
    assert head.data["phone"] == "0912345679"
    record_results(store, again, answer(again, status="duplicate", version=2))
    assert store.outbox_size() == 0
    with store.engine.connect() as conn:
        assert conn.execute(select(sync_state.c.server_version)
                            .where(sync_state.c.row_id == made.head_id)).scalar() == 2


def test_a_refused_row_is_quarantined_and_blocks_nothing_until_edited(store, make_household):
    made = make_household("Lò Thị Mai")
    sent = pending_changes(store)
    response = PushResponse(batch_id=BATCH, results=[
        ChangeResult(table=c.table, id=c.id, status="rejected", reason="person.gender: sai")
        if c.id == made.head_id else ChangeResult(table=c.table, id=c.id, status="applied",
                                                  version=1)
        for c in sent])
    outcome = record_results(store, sent, response)
    assert (outcome.applied, outcome.rejected) == (len(sent) - 1, 1)
    assert store.outbox_size() == 0
    [held] = quarantined(store)
    assert (held.row_id, held.table, held.reason) == (made.head_id, "person",
                                                      "person.gender: sai")
    assert pending_changes(store) == []
    with store.write() as session:
        update_person(session, made.head_id, "gender", "female")
    assert [c.id for c in pending_changes(store)] == [made.head_id]
    resent = pending_changes(store)
    record_results(store, resent, answer(resent))
    assert quarantined(store) == []


def test_a_push_conflict_keeps_both_sides_and_the_local_row(store, make_household):
    made = make_household("Lò Thị Mai")
    sent = pending_changes(store)
    record_results(store, sent, answer(sent))
    with store.write() as session:
        update_person(session, made.head_id, "phone", "0912345679")
    [change] = [c for c in pending_changes(store) if c.table == "person"]
    record_results(store, [change], answer([change], status="conflict", version=3))
    assert queued(store, made.head_id) == []
    [conflict] = conflicts(store)
    assert conflict.local_data["phone"] == "0912345679"
    assert conflict.server_data is None
    with pytest.raises(ValueError, match="máy chủ"):
        resolve_conflict(store, conflict.seq, "server")
    # The server's side arrives with the next pull: kept beside, never over, the local row.
    server_side = dict(change.data, phone="0987654321", version=3)
    outcome = apply_pulled(store, [PulledChange(seq=9, table="person", id=made.head_id,
                                                version=3, data=server_side)])
    assert (outcome.applied, outcome.conflicts) == (0, 0)  # the open conflict is updated
    [conflict] = conflicts(store)
    assert conflict.server_data["phone"] == "0987654321"
    assert person_row(store, made.head_id).phone == "0912345679"

    resolve_conflict(store, conflict.seq, "server")
    assert person_row(store, made.head_id).phone == "0987654321"
    assert conflicts(store) == [] and len(conflicts(store, include_resolved=True)) == 1
    assert queued(store, made.head_id) == []


def test_keeping_the_local_side_queues_it_on_top_of_the_server_version(store, make_household):
    made = make_household("Lò Thị Mai")
    sent = pending_changes(store)
    record_results(store, sent, answer(sent))
    with store.write() as session:
        update_person(session, made.head_id, "phone", "0912345679")
    [change] = pending_changes(store)
    record_results(store, [change], answer([change], status="conflict", version=3))
    apply_pulled(store, [PulledChange(seq=9, table="person", id=made.head_id, version=3,
                                      data=dict(change.data, phone="0987654321"))])
    [conflict] = conflicts(store)
    resolve_conflict(store, conflict.seq, "local")
    [again] = pending_changes(store)
    assert (again.id, again.base_version, again.data["phone"]) == (made.head_id, 3,
                                                                   "0912345679")
    assert again.local_version > change.local_version


def kept_copies(store: Store) -> str:
    """Both sides of every conflict, open or settled, as stored."""
    with store.engine.connect() as conn:
        return " ".join(conn.execute(select(sync_conflict.c.local_data + " "
                                            + sync_conflict.c.server_data)).scalars())


def a_person_conflict(store: Store, make_household) -> tuple[str, str]:
    """A synced head whose phone was changed both here and on the server: (head id, the
    server's phone)."""
    made = make_household("Lò Thị Mai")
    sent = pending_changes(store)
    record_results(store, sent, answer(sent))
    with store.write() as session:
        update_person(session, made.head_id, "phone", "0912345679")
    [change] = [c for c in pending_changes(store) if c.table == "person"]
    record_results(store, [change], answer([change], status="conflict", version=2))
    apply_pulled(store, [PulledChange(seq=9, table="person", id=made.head_id, version=2,
                                      data=dict(change.data, phone="0987654321"))])
    return made.head_id, "0987654321"


def test_withdrawing_consent_erases_the_person_from_conflict_copies(store, make_household):
    head, server_phone = a_person_conflict(store, make_household)
    with store.read() as session:
        household_id = session.get(Person, head).household_id
    with store.write() as session:  # the household clashes too: its copies hold the head's name
        update_household(session, household_id, "address", "Bản Mường Lay")
    [change] = [c for c in pending_changes(store) if c.table == "household"]
    record_results(store, [change], answer([change], status="conflict", version=2))
    assert kept_copies(store).count("Lò Thị Mai") == 3
    with store.write() as session:
        withdraw_consent(session, head)
    kept = kept_copies(store)
    assert "Lò Thị Mai" not in kept and server_phone not in kept and "0912345679" not in kept
    person_side, household_side = conflicts(store)
    assert person_side.local_data["full_name"] is None
    assert person_side.server_data["phone"] is None
    assert household_side.local_data["head_name"] == ""


def test_a_pulled_withdrawal_erases_conflict_copies_and_keep_mine_is_refused(
        store, make_household):
    head, _ = a_person_conflict(store, make_household)
    with store.read() as session:
        consent = session.exec(select(Consent).where(Consent.person_id == head)).scalar_one()
        withdrawn = dict(row_data(consent), withdrawn_at="2026-01-05T03:00:00+00:00")
    # Another laptop withdrew consent: the withdrawal arrives, the erased row pages later.
    apply_pulled(store, [PulledChange(seq=10, table="consent", id=consent.id, version=2,
                                      data=withdrawn)])
    assert "Lò Thị Mai" not in kept_copies(store)
    [conflict] = conflicts(store)
    # Keeping this laptop's row would send the erased name and phone back to the server.
    with pytest.raises(ValueError, match="rút lại sự đồng ý"):
        resolve_conflict(store, conflict.seq, "local")
    assert person_row(store, head).full_name == "Lò Thị Mai"  # nothing changed by the refusal
    assert queued(store, head) == []
    resolve_conflict(store, conflict.seq, "server")
    assert person_row(store, head).full_name is None
    assert "Lò Thị Mai" not in kept_copies(store)


def test_pulled_rows_land_unqueued_and_searchable_on_another_laptop(store, make_household,
                                                                   other):
    made = make_household("Lò Thị Mai", members=("Cầm Văn Pao",))
    pulled = everything(store, version=4)
    outcome = apply_pulled(other, pulled, cursor=len(pulled))
    assert outcome.applied == len(pulled) and outcome.refused == []
    assert other.outbox_size() == 0
    assert other.meta["pull_cursor"] == str(len(pulled))
    assert person_row(other, made.head_id).version == 4
    with other.engine.connect() as conn:
        assert search_households(conn, "cam van") == [made.household_id]
        assert search_households(conn, "lo thi") == [made.household_id]
    # The same page again (a resumed pull) changes nothing.
    again = apply_pulled(other, pulled)
    assert (again.applied, again.echoes) == (0, len(pulled))


def test_a_pulled_member_moving_household_leaves_the_old_ones_search(store, make_household,
                                                                    other):
    first = make_household("Lò Thị Mai", members=("Cầm Văn Pao",))
    second = make_household("Vì Văn Sinh")
    apply_pulled(other, everything(store))
    with store.read() as session:
        pao = session.exec(select(Person).where(Person.full_name == "Cầm Văn Pao")).scalar_one()
    moved = dict(row_data(pao), household_id=second.household_id)
    apply_pulled(other, [PulledChange(seq=99, table="person", id=pao.id, version=2,
                                      data=moved)])
    with other.engine.connect() as conn:
        assert search_households(conn, "cam van") == [second.household_id]
    assert first.household_id != second.household_id


def test_a_pulled_row_never_overwrites_a_local_edit(store, make_household, other):
    made = make_household("Lò Thị Mai")
    apply_pulled(other, everything(store))
    with other.write() as session:
        update_household(session, made.household_id, "address", "Bản Mường Lay")
    with store.read() as session:
        household = session.get(Household, made.household_id)
        server_side = dict(row_data(household), address="Bản Na Sang")
    outcome = apply_pulled(other, [PulledChange(seq=50, table="household",
                                                id=made.household_id, version=2,
                                                data=server_side)])
    assert (outcome.applied, outcome.conflicts) == (0, 1)
    [conflict] = conflicts(other)
    assert conflict.local_data["address"] == "Bản Mường Lay"
    assert conflict.server_data["address"] == "Bản Na Sang"
    with other.read() as session:
        assert session.get(Household, made.household_id).address == "Bản Mường Lay"


def test_the_laptop_version_of_a_row_never_goes_down(store, make_household):
    made = make_household("Lò Thị Mai", phone="0912345678", gender="female")
    sent = pending_changes(store)
    record_results(store, sent, answer(sent))
    local = person_row(store, made.head_id).version
    assert local > 2
    data = dict(row_data(person_row(store, made.head_id)), full_name="Lò Thị Mây")
    apply_pulled(store, [PulledChange(seq=7, table="person", id=made.head_id, version=2,
                                      data=data)])
    row = person_row(store, made.head_id)
    assert (row.full_name, row.version) == ("Lò Thị Mây", local + 1)


def test_members_pulled_before_their_household_wait_for_it(store, make_household, other):
    made = make_household("Lò Thị Mai", members=("Cầm Văn Pao",))
    pulled = everything(store)
    household = [c for c in pulled if c.table == "household"]
    rest = [c for c in pulled if c.table != "household"]
    first = apply_pulled(other, rest)
    assert first.held == len([c for c in rest if c.table in ("person", "consent")])
    with other.read() as session:
        assert session.get(Person, made.head_id) is None
    second = apply_pulled(other, household)
    assert (second.applied, second.held) == (1 + first.held, 0)
    assert person_row(other, made.head_id).full_name == "Lò Thị Mai"
    with other.engine.connect() as conn:
        assert search_households(conn, "cam") == [made.household_id]
        assert conn.execute(text("PRAGMA foreign_key_check")).all() == []


def test_bad_and_demo_rows_are_refused_without_stopping_the_page(store, make_household,
                                                                 other):
    make_household("Lò Thị Mai")
    pulled = everything(store)
    village = next(c for c in pulled if c.table == "village")
    broken = village.model_copy(update={"data": dict(village.data, kind=None)})
    demo = next(c for c in pulled if c.table == "household")
    demo = demo.model_copy(update={"data": dict(demo.data, demo=True)})
    rest = [c for c in pulled if c.id not in (village.id, demo.id)]
    outcome = apply_pulled(other, [broken, demo, *rest])
    assert len(outcome.refused) == 2
    assert any("village.kind" in reason for reason in outcome.refused)
    # Rows under the refused ones wait; the rest landed.
    assert outcome.held > 0
    assert outcome.applied == len(rest) - outcome.held


def definition(table: str, path: Path, **changes: str) -> PulledChange:
    body = json.loads(path.read_text(encoding="utf-8"))
    data = {"id": body["id"], "version": str(body["version"]),
            "body": json.dumps(body, ensure_ascii=False)}
    data.update(changes)
    return PulledChange(seq=1, table=table, id="1" * 36, version=1, data=data)


def test_published_definitions_are_checked_then_written_by_id_and_version(other):
    form = definition("form_definition", forms_dir() / "birth_registration.json")
    guide = definition("guide_definition", guides_dir() / "install_vneid.json")
    broken = definition("form_definition", forms_dir() / "residence_ct01.json",
                        body='{"id": "residence_ct01"')
    escape = definition("guide_definition", guides_dir() / "install_vneid.json",
                        id="../../evil")
    mislabelled = definition("form_definition", forms_dir() / "birth_registration.json",
                             version="9999")
    outcome = apply_pulled(other, [form, guide, broken, escape, mislabelled])
    root = other.data_dir / "definitions"
    written = sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())
    assert written == [f"forms/birth_registration@{form.data['version']}.json",
                       f"guides/install_vneid@{guide.data['version']}.json"]
    assert len(outcome.refused) == 3
    assert any("residence_ct01" in r for r in outcome.refused)
