"""Two laptops pushing at the same moment: both succeed, and a pull sees every row once."""

import threading
import uuid

from tests.live_server import LiveServer
from tests.server.laptop import commune_codes, enrol


def test_concurrent_pushes_all_apply_and_pull_sees_every_row_exactly_once(
        live_server: LiveServer):
    code = commune_codes()[0]
    laptops = [enrol(live_server, code, f"Máy {n}") for n in range(2)]
    shared = laptops[0].village("Bản Chung")
    laptops[0].push_ok([laptops[0].change(shared)])
    rounds = 8
    plans = []
    for laptop in laptops:
        # Each batch makes fresh villages and also edits the one shared row from base 1, each
        # edit different (an edit identical to the stored row is a duplicate, not a conflict).
        batches = []
        for n in range(rounds):
            changes = [laptop.change(laptop.village(f"Bản {laptop.device_id[:4]} {n} {k}"))
                       for k in range(5)]
            edit = shared.model_copy(update={"name": f"Bản Chung {laptop.device_id[:4]} {n}"})
            changes.append(laptop.change(edit, base_version=1))
            batches.append((str(uuid.uuid4()), changes))
        plans.append(batches)
    start = threading.Barrier(len(laptops))
    answers: list[list[dict]] = [[] for _ in laptops]

    def run(index: int) -> None:
        start.wait()
        for batch_id, changes in plans[index]:
            answer = laptops[index].push(changes, batch_id)
            answers[index].append({"status": answer.status_code, **answer.json()})

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(laptops))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    results = [r for mine in answers for a in mine for r in a.get("results", [])]
    assert all(a["status"] == 200 for mine in answers for a in mine)
    fresh = [r for r in results if r["id"] != shared.id]
    assert {r["status"] for r in fresh} == {"applied"}
    edits = [r["status"] for r in results if r["id"] == shared.id]
    # The shared row's first edit from base 1 wins; every later one from base 1 conflicts.
    assert edits.count("applied") == 1
    assert edits.count("conflict") == len(edits) - 1

    # A third laptop of the commune, which pushed nothing, receives every row.
    pulled = enrol(live_server, code, "Máy mới").pull_all(limit=7)
    ids = [c["id"] for c in pulled]
    assert len(ids) == len(set(ids))
    assert set(ids) == {r["id"] for r in results} | {laptops[0].commune_id}
    seqs = [c["seq"] for c in pulled]
    assert seqs == sorted(seqs)
