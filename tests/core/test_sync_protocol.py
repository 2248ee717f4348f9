"""Rows as they travel between laptop and server: exact round trips, and refusals that name
the table and column."""

import re
import uuid
from datetime import UTC, date

import pytest

from fieldkit.core.models import SYNCED_TABLES, Person
from fieldkit.core.sync_apply import match_answers
from fieldkit.core.sync_protocol import (
    TABLES,
    ChangeResult,
    PushRequest,
    PushResponse,
    RowError,
    row_data,
    row_values,
)


def test_every_synced_table_travels(store, make_household) -> None:
    made = make_household("Lò Thị Mai", date_of_birth=date(1968, 4, 2), gender="female")
    with store.read() as session:
        person = session.get(Person, made.head_id)
    data = row_data(person)
    assert data["date_of_birth"] == "1968-04-02"
    assert data["updated_at"].endswith("+00:00")
    values = row_values("person", data)
    assert values["date_of_birth"] == date(1968, 4, 2)
    assert values["updated_at"] == person.updated_at.replace(tzinfo=UTC)
    assert values["full_name"] == "Lò Thị Mai"
    assert row_data(Person(**values)) == data
    assert set(TABLES) == {t.__tablename__ for t in SYNCED_TABLES}


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: d.update(nickname="Mai"), "person: unknown column(s) nickname"),
    (lambda d: d.pop("gender"), "person: missing column(s) gender"),
    (lambda d: d.update(date_of_birth="02/04/1968"), "person.date_of_birth"),
    (lambda d: d.update(deleted="no"), "person.deleted"),
    (lambda d: d.update(version="3"), "person.version"),
    (lambda d: d.update(household_id=None), "person.household_id must not be empty"),
    (lambda d: d.update(id_number="0" * 13), "person.id_number: longer than 12"),
])
def test_bad_rows_are_refused_naming_the_column(store, make_household, change, message) -> None:
    made = make_household("Lò Thị Mai")
    with store.read() as session:
        data = row_data(session.get(Person, made.head_id))
    change(data)
    with pytest.raises(RowError, match=re.escape(message)):
        row_values("person", data)


def test_unknown_tables_and_extra_fields_are_refused() -> None:
    with pytest.raises(RowError, match="unknown table 'outbox'"):
        row_values("outbox", {})
    with pytest.raises(ValueError, match="extra"):
        PushRequest.model_validate({"batch_id": "0" * 36, "changes": [], "token": "x"})


def test_an_answer_in_order_is_matched_to_the_changes_sent_or_refused_if_it_cannot_be():
    changes = [{"table": "village", "id": str(uuid.uuid4()), "base_version": 0,
                "local_version": 1, "data": {}} for _ in range(3)]
    answer = PushResponse.model_validate_json(
        '{"batch_id": "b", "in_order": true, "results": [{"status": "applied", "version": 1},'
        ' {"status": "rejected", "reason": "Sai"}, {"status": "duplicate", "version": 4}]}')
    matched = match_answers(changes, answer)
    assert [(a.change["id"], a.status, a.version) for a in matched] == [
        (changes[0]["id"], "applied", 1), (changes[1]["id"], "rejected", None),
        (changes[2]["id"], "duplicate", 4)]
    with pytest.raises(ValueError, match="2 answers for 3 changes"):
        match_answers(changes, PushResponse(batch_id="b", in_order=True,
                                            results=answer.results[:2]))
    # An answer in full (an older server) is matched by table and id, whatever its order.
    full = PushResponse(batch_id="b", results=[
        ChangeResult(table="village", id=changes[2]["id"], status="conflict", version=2),
        ChangeResult(table="village", id=changes[0]["id"], status="applied", version=1)])
    assert [(a.change["id"], a.status) for a in match_answers(changes, full)] == [
        (changes[2]["id"], "conflict"), (changes[0]["id"], "applied")]
