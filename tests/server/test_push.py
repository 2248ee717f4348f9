"""Push over real HTTP: idempotent batches, duplicates, conflicts, communes, demo rows."""

import json
import threading
import time
import uuid
from typing import Any

import pytest
import requests
from sqlalchemy import select

from fieldkit.core.columns import utcnow
from fieldkit.core.ids import uuid7
from fieldkit.core.models import FormRecord
from fieldkit.core.sync_protocol import (
    AFTER_HEADER,
    ANSWERS_HEADER,
    IN_ORDER,
    KEEPS_ORDER,
    ORDER_HEADER,
    PING_PATH,
    PUSH_PATH,
    TOO_EARLY,
)
from fieldkit_server.tables import conflict, push_batch
from tests.live_server import LiveServer, start_server
from tests.server.laptop import (
    TIMEOUT_S,
    Laptop,
    commune_codes,
    enrol,
    household,
    official_commune_row,
    person,
    stored_counts,
)


def test_applied_then_the_same_batch_again_gets_the_same_answer_and_nothing_doubles(
        live_server: LiveServer):
    laptop = enrol(live_server, commune_codes()[0])
    village = laptop.village()
    home = household(village)
    changes = [laptop.change(village), laptop.change(home), laptop.change(person(home))]
    batch = str(uuid.uuid4())

    first = laptop.push(changes, batch)
    assert first.status_code == 200
    assert [r["status"] for r in first.json()["results"]] == ["applied"] * 3
    assert [r["version"] for r in first.json()["results"]] == [1, 1, 1]
    counts = stored_counts(live_server)

    again = laptop.push(changes, batch)
    assert again.status_code == 200
    assert again.json() == first.json()
    assert stored_counts(live_server) == counts
    colleague = enrol(live_server, commune_codes()[0], "Máy 2")
    pulled = [c for c in colleague.pull_all() if c["table"] != "commune"]
    assert [c["id"] for c in pulled] == [c["id"] for c in changes]


def test_a_change_resent_in_a_new_batch_is_a_duplicate_with_the_server_version(
        live_server: LiveServer):
    laptop = enrol(live_server, commune_codes()[0])
    village = laptop.village()
    change = laptop.change(village)
    assert laptop.push_ok([change])[0]["status"] == "applied"
    counts = stored_counts(live_server)

    resent = laptop.push_ok([change])
    assert resent == [{"table": "village", "id": village.id, "status": "duplicate",
                       "version": 1, "reason": None}]
    # Only the new batch's stored answer was added.
    assert stored_counts(live_server) == {**counts, "push_batch": counts["push_batch"] + 1}


def test_an_edit_from_the_current_version_is_applied_as_the_next(live_server: LiveServer):
    laptop = enrol(live_server, commune_codes()[0])
    village = laptop.village()
    laptop.push_ok([laptop.change(village)])
    village.name = "Bản Nà Hẩu"
    assert laptop.push_ok([laptop.change(village, base_version=1)])[0]["version"] == 2
    colleague = enrol(live_server, commune_codes()[0], "Máy 2")
    pulled = [c for c in colleague.pull_all() if c["id"] == village.id]
    assert len(pulled) == 1
    assert (pulled[0]["version"], pulled[0]["data"]["name"]) == (2, "Bản Nà Hẩu")


def test_two_devices_editing_one_row_from_one_base_one_applied_one_conflict_both_kept(
        live_server: LiveServer):
    code = commune_codes()[0]
    first, second = enrol(live_server, code, "Máy 1"), enrol(live_server, code, "Máy 2")
    village = first.village()
    first.push_ok([first.change(village)])

    village.name = "Bản Mới của máy 1"
    assert first.push_ok([first.change(village, base_version=1)])[0]["status"] == "applied"
    village.name = "Bản Mới của máy 2"
    answer = second.push_ok([second.change(village, base_version=1)])
    assert answer[0]["status"] == "conflict"
    assert answer[0]["version"] == 2

    with live_server.engine.connect() as conn:
        kept = conn.execute(select(conflict)).one()
    assert (kept.row_id, kept.device_id, kept.base_version, kept.server_version) == (
        village.id, second.device_id, 1, 2)
    assert json.loads(kept.incoming)["name"] == "Bản Mới của máy 2"
    assert json.loads(kept.current)["name"] == "Bản Mới của máy 1"
    pulled = [c for c in second.pull_all() if c["id"] == village.id]
    assert pulled[0]["data"]["name"] == "Bản Mới của máy 1"


def test_the_same_row_made_on_two_devices_is_a_duplicate_not_a_conflict(
        live_server: LiveServer):
    """Two laptops added the same hamlet offline (its id comes from the commune and name):
    the second copy says nothing new, so there is nothing for anyone to review."""
    code = commune_codes()[0]
    first, second = enrol(live_server, code, "Máy 1"), enrol(live_server, code, "Máy 2")
    village = first.village()
    first.push_ok([first.change(village)])
    answer = second.push_ok([second.change(village.model_copy())])
    assert (answer[0]["status"], answer[0]["version"]) == ("duplicate", 1)
    # Sent again (its answer lost), it is still a duplicate; a real difference conflicts.
    again = second.push_ok([second.change(village.model_copy())])
    assert again[0]["status"] == "duplicate"
    different = second.push_ok([second.change(village.model_copy(update={"kind": "thon"}))])
    assert different[0]["status"] == "conflict"
    with live_server.engine.connect() as conn:
        assert len(conn.execute(select(conflict)).all()) == 1


def test_rows_of_another_commune_are_refused_and_never_pulled(live_server: LiveServer):
    ours, theirs = commune_codes()
    mine, other = enrol(live_server, ours), enrol(live_server, theirs)
    their_village = other.village("Thôn Của Xã Bên")
    other.push_ok([other.change(their_village)])
    counts = stored_counts(live_server)

    # Writing a row in the other commune, and attaching a household to its village.
    stolen = mine.village()
    stolen.commune_id = other.commune_id
    results = mine.push_ok([mine.change(stolen), mine.change(household(their_village))])
    assert [r["status"] for r in results] == ["rejected", "rejected"]
    assert all("xã khác" in r["reason"] for r in results)
    # Overwriting the other commune's row while claiming it for our own.
    their_village.commune_id = mine.commune_id
    taken = mine.push_ok([mine.change(their_village, base_version=1)])
    assert taken[0]["status"] == "rejected" and "xã khác" in taken[0]["reason"]
    assert {k: v for k, v in stored_counts(live_server).items() if k != "push_batch"} == {
        k: v for k, v in counts.items() if k != "push_batch"}

    assert their_village.id not in {c["id"] for c in mine.pull_all()}
    assert {c["data"].get("commune_id", c["id"]) for c in mine.pull_all()} == {mine.commune_id}


def test_a_row_whose_parent_the_server_lacks_is_refused_but_the_rest_applies(
        live_server: LiveServer):
    laptop = enrol(live_server, commune_codes()[0])
    village = laptop.village()
    orphan = household(laptop.village("Chưa gửi"))
    results = laptop.push_ok([laptop.change(orphan), laptop.change(village)])
    assert results[0]["status"] == "rejected"
    assert "chưa có dòng cha" in results[0]["reason"]
    assert results[1]["status"] == "applied"


def test_demo_rows_are_refused_and_not_stored(live_server: LiveServer):
    laptop = enrol(live_server, commune_codes()[0])
    village = laptop.village()
    village.demo = True
    counts = stored_counts(live_server)
    results = laptop.push_ok([laptop.change(village)])
    assert results[0]["status"] == "rejected"
    assert "dữ liệu thực hành không bao giờ được đồng bộ" in results[0]["reason"]
    assert stored_counts(live_server)["village"] == counts["village"]
    assert village.id not in {c["id"] for c in laptop.pull_all()}


def test_the_commune_row_is_the_servers_own(live_server: LiveServer):
    ours, theirs = commune_codes()
    laptop = enrol(live_server, ours)
    row = official_commune_row(ours)
    assert laptop.push_ok([laptop.change(row)])[0] == {
        "table": "commune", "id": row.id, "status": "duplicate", "version": 1, "reason": None}
    row.name = "Xã Đổi Tên"
    assert laptop.push_ok([laptop.change(row)])[0]["status"] == "rejected"
    other = official_commune_row(theirs)
    assert laptop.push_ok([laptop.change(other)])[0]["status"] == "rejected"


def test_a_batch_id_used_by_another_device_is_refused(live_server: LiveServer):
    code = commune_codes()[0]
    first, second = enrol(live_server, code), enrol(live_server, code)
    batch = str(uuid.uuid4())
    assert first.push([first.change(first.village())], batch).status_code == 200
    counts = stored_counts(live_server)
    answer = second.push([second.change(second.village())], batch)
    assert answer.status_code == 409
    assert stored_counts(live_server) == counts


def test_unknown_tables_and_rows_that_do_not_fit_are_refused_with_a_reason(
        live_server: LiveServer):
    laptop = enrol(live_server, commune_codes()[0])
    village = laptop.village()
    good = laptop.change(village)
    unknown_table = {**good, "table": "form_definition"}
    extra_column = {**good, "data": {**good["data"], "password": "x"}}
    wrong_type = {**good, "data": {**good["data"], "deleted": "no"}}
    results = laptop.push_ok([unknown_table, extra_column, wrong_type])
    assert [r["status"] for r in results] == ["rejected"] * 3
    assert "form_definition" in results[0]["reason"]
    assert "password" in results[1]["reason"]
    assert "village.deleted" in results[2]["reason"]
    assert laptop.pull_all()[-1]["table"] == "commune"


@pytest.mark.parametrize("page", [2**63, 2**64 - 1, -(2**63) - 1])
def test_a_number_too_large_for_the_database_is_the_rows_reason_not_a_server_error(
        live_server: LiveServer, page: int):
    """A row's integer columns are 64-bit in both databases: a larger number failed the
    write itself and the push got a 500. It is now refused like any bad value, with the
    column named, and the rest of the batch still applies."""
    laptop = enrol(live_server, commune_codes()[0])
    village = laptop.village()
    home = household(village)
    laptop.push_ok([laptop.change(village), laptop.change(home)])
    record = FormRecord(id=uuid7(), form_id="khai-sinh", form_version="1",
                        household_id=home.id, page=page)
    fine = FormRecord(id=uuid7(), form_id="khai-sinh", form_version="1", household_id=home.id)
    results = laptop.push_ok([laptop.change(record), laptop.change(fine)])
    assert [r["status"] for r in results] == ["rejected", "applied"]
    assert "form_record.page" in results[0]["reason"]
    assert record.id not in {c["id"] for c in laptop.pull_all()}


@pytest.mark.parametrize(("field", "value"), [("base_version", False), ("base_version", 1024.0),
                                              ("local_version", True), ("local_version", 2.0),
                                              ("base_version", 2**63)])
def test_a_version_that_is_not_a_plain_integer_is_refused(live_server: LiveServer, field: str,
                                                          value: object):
    """JSON's false and 1024.0 would pass for 0 and 1024 in a lenient reader; a version is an
    integer or the change is malformed, and nothing of it is stored."""
    laptop = enrol(live_server, commune_codes()[0])
    change = laptop.change(laptop.village())
    counts = stored_counts(live_server)
    answer = laptop.push([{**change, field: value}])
    assert answer.status_code == 422, answer.text
    assert any(error["loc"][-1] == field for error in answer.json()["detail"])
    assert stored_counts(live_server) == counts


def test_answers_come_in_order_without_ids_when_the_laptop_asks(live_server: LiveServer):
    """An id per answer is what gzip cannot shrink: asked for, the answers follow the changes'
    order and carry only what the laptop does not know. Asked nothing, they are as before."""
    laptop = enrol(live_server, commune_codes()[0])
    village = laptop.village()
    changes = [laptop.change(village), laptop.change(household(village))]
    batch = str(uuid.uuid4())
    body = {"batch_id": batch, "changes": changes}
    compact = requests.post(live_server.url + PUSH_PATH, json=body, timeout=TIMEOUT_S,
                            headers={**laptop.auth, ANSWERS_HEADER: IN_ORDER})
    assert compact.status_code == 200, compact.text
    assert compact.json() == {"batch_id": batch, "in_order": True, "results": [
        {"status": "applied", "version": 1}, {"status": "applied", "version": 1}]}
    # The same batch again, asked nothing: the stored answer, in full.
    full = laptop.push(changes, batch)
    assert full.json() == {"batch_id": batch, "results": [
        {"table": "village", "id": village.id, "status": "applied",
         "version": 1, "reason": None},
        {"table": "household", "id": changes[1]["id"], "status": "applied", "version": 1,
         "reason": None}]}


def push_after(laptop: Laptop, changes: list[dict[str, Any]], batch_id: str,
               after: str) -> requests.Response:
    """A push sent before the answer to the batch `after` came (see AFTER_HEADER)."""
    return requests.post(laptop.server.url + PUSH_PATH, timeout=TIMEOUT_S,
                         headers={**laptop.auth, AFTER_HEADER: after},
                         json={"batch_id": batch_id, "changes": changes})


def test_a_batch_sent_ahead_waits_for_the_one_it_follows_even_when_it_arrives_first(
        live_server: LiveServer):
    """A laptop sends its next batch before the answer to the one on the wire. Arriving
    first (another connection, another worker), it is applied only once the batch it names
    is stored: its people find their household, none is refused for a missing parent."""
    laptop = enrol(live_server, commune_codes()[0])
    village = laptop.village()
    home = household(village)
    first = [laptop.change(village), laptop.change(home)]
    second = [laptop.change(person(home, full_name=name)) for name in ("Lò Thị Mai", "Lò Văn Pao")]
    first_id, second_id = str(uuid.uuid4()), str(uuid.uuid4())
    answers: list[requests.Response] = []
    ahead = threading.Thread(target=lambda: answers.append(
        push_after(laptop, second, second_id, after=first_id)))
    ahead.start()
    ahead.join(0.5)
    assert ahead.is_alive() and stored_counts(live_server)["person"] == 0  # waiting
    before = laptop.push(first, first_id)
    ahead.join(TIMEOUT_S)
    assert [r["status"] for r in before.json()["results"]] == ["applied"] * 2
    [after] = answers
    assert after.status_code == 200, after.text
    assert [r["status"] for r in after.json()["results"]] == ["applied"] * 2
    assert before.headers[ORDER_HEADER] == after.headers[ORDER_HEADER] == KEEPS_ORDER
    assert stored_counts(live_server)["person"] == 2
    # It waited half a second at least; the time the server reports as the push's own work
    # leaves that wait out, or a slow sync would look like a slow server.
    assert float(after.headers["Server-Timing"].removeprefix("push;dur=")) < 500


def test_a_batch_sent_ahead_of_one_that_never_comes_is_turned_away_whole(
        live_server: LiveServer, monkeypatch: pytest.MonkeyPatch):
    """The batch it names was refused whole or lost: past the server's wait the batch sent
    ahead is answered 425 with a reason and nothing of it is stored, to be sent again. A batch
    of another laptop is never the one it follows: turned away at once. A header that is no
    batch id is a bad request."""
    import fieldkit_server.batch_order as ordering

    monkeypatch.setattr(ordering, "AFTER_WAIT_S", 0.3)
    ours, theirs = enrol(live_server, commune_codes()[0]), enrol(live_server, commune_codes()[1])
    village = ours.village()
    theirs_id = str(uuid.uuid4())
    assert theirs.push([theirs.change(theirs.village())], theirs_id).status_code == 200
    counts = stored_counts(live_server)
    for after, at_most in ((str(uuid.uuid4()), TIMEOUT_S), (theirs_id, 0.25)):
        started = time.monotonic()
        answer = push_after(ours, [ours.change(village)], str(uuid.uuid4()), after)
        assert answer.status_code == TOO_EARLY, answer.text
        assert "chưa đến máy chủ" in answer.json()["detail"]
        assert time.monotonic() - started < at_most
    assert push_after(ours, [ours.change(village)], str(uuid.uuid4()), "lô 1").status_code == 400
    itself = str(uuid.uuid4())
    assert push_after(ours, [ours.change(village)], itself, itself).status_code == 400
    assert stored_counts(live_server) == counts


def test_a_batch_sent_ahead_sees_the_one_it_follows_stored_by_another_process(
        live_server: LiveServer):
    """With several server processes the batch it names may be stored by another one, which
    cannot wake this process: the wait looks at the database again and goes on at once."""
    laptop = enrol(live_server, commune_codes()[0])
    first_id = str(uuid.uuid4())
    answers: list[requests.Response] = []
    ahead = threading.Thread(target=lambda: answers.append(push_after(
        laptop, [laptop.change(laptop.village())], str(uuid.uuid4()), after=first_id)))
    ahead.start()
    ahead.join(0.3)
    assert ahead.is_alive()
    with live_server.engine.begin() as conn:  # as another process stores it: nobody notified
        conn.execute(push_batch.insert().values(batch_id=first_id, device_id=laptop.device_id,
                                                response="{}", received_at=utcnow()))
    stored = time.monotonic()
    ahead.join(TIMEOUT_S)
    assert time.monotonic() - stored < 1.0
    [answer] = answers
    assert answer.status_code == 200 and answer.json()["results"][0]["status"] == "applied"


def test_batches_waiting_for_the_ones_they_follow_hold_no_worker_thread(db_url: str):
    """At the end of a campaign more laptops sync at once than the server has worker threads
    (40), each with a batch sent ahead waiting for the one before it. The batches they wait
    for still get a thread and are stored, a ping is answered, and every batch sent ahead is
    applied after its own: none is turned away because the others held the threads."""
    import fieldkit_server.batch_order as ordering

    server = start_server(db_url, enrol_attempts_per_minute=100)
    try:
        laptops = [enrol(server, commune_codes()[0], f"Máy {n}") for n in range(45)]
        villages = [laptop.village(f"Bản {n}") for n, laptop in enumerate(laptops)]
        firsts = [str(uuid.uuid4()) for _ in laptops]
        answers: dict[int, requests.Response] = {}

        def send_ahead(n: int) -> None:
            laptop = laptops[n]
            answers[n] = push_after(laptop, [laptop.change(household(villages[n]))],
                                    str(uuid.uuid4()), after=firsts[n])

        ahead = [threading.Thread(target=send_ahead, args=(n,)) for n in range(len(laptops))]
        for thread in ahead:
            thread.start()
        deadline = time.monotonic() + TIMEOUT_S
        # The server's own record of waiting pushes: once all wait, every thread they could
        # hold is in use.
        while sum(len(waiting) for waits in ordering._WAITERS._loops.values()
                  for waiting in waits.waiting.values()) < len(laptops):
            assert time.monotonic() < deadline
            time.sleep(0.02)
        ping = requests.get(server.url + PING_PATH, headers=laptops[0].auth, timeout=TIMEOUT_S)
        assert ping.status_code == 200
        for laptop, village, first in zip(laptops, villages, firsts, strict=True):
            before = laptop.push([laptop.change(village)], first)
            assert before.status_code == 200, before.text
        for thread in ahead:
            thread.join(TIMEOUT_S)
    finally:
        server.stop()
    assert sorted(answers) == list(range(len(laptops)))
    for answer in answers.values():
        assert answer.status_code == 200, answer.text
        assert answer.json()["results"][0]["status"] == "applied"
