"""Sync over a link that breaks: thousands of records pushed through a proxy that cuts
requests and answers mid-way, resets connections and delays packets. The assertion is exact:
the server ends with every record once, none lost, none doubled, and the laptop's queue empty.
"""

import time

import pytest
from sqlalchemy import text

from fieldkit.core.models import SYNCED_TABLES
from fieldkit.core.synthetic import populate
from fieldkit.sync_client.client import RetryPolicy, SyncError
from fieldkit.sync_client.runner import sync
from tests.e2e.fault_proxy import FaultProxy, FaultSchedule
from tests.e2e.sync_laptops import Laptop, enrolled, new_laptop

SEED = 20261122
# Most exchanges break one way or another; a sync gives up after RETRY's attempts and is
# simply started again. Cuts come within the first 300 bytes, so even a push's answer (a few
# hundred bytes, given in order) can be lost after the server committed it.
SCHEDULE = FaultSchedule(cut_request=0.15, cut_response=0.25, reset=0.15, delay=0.1,
                         max_cut_bytes=300)
# ~5,000 rows: households, their members and each member's consent.
HOUSEHOLDS = 545
RECORDS = 5000
# Few attempts, so some syncs give up mid-way and the next one resends the saved batch.
RETRY = RetryPolicy(attempts=3, base_delay=0.05, max_delay=0.5)
MAX_SYNCS = 40


def ids_by_table(engine) -> dict[str, list[str]]:
    with engine.connect() as conn:
        return {t.__tablename__: sorted(conn.execute(text(
            f"SELECT id FROM {t.__tablename__} WHERE demo = 0")).scalars())
            for t in SYNCED_TABLES}


def sync_until_done(laptop: Laptop, proxy: FaultProxy) -> tuple[int, int]:
    """Sync again and again, as the app does when signal returns; (syncs, failed syncs)."""
    failures = 0
    for attempt in range(1, MAX_SYNCS + 1):
        try:
            report = sync(laptop.store, retry=RETRY, timeout=(2.0, 10.0))
        except SyncError:
            failures += 1
            continue
        if report.outbox == 0 and not report.cancelled:
            return attempt, failures
    raise AssertionError(f"still not through after {MAX_SYNCS} syncs; faults {proxy.injected}")


@pytest.mark.slow
def test_thousands_of_records_arrive_exactly_once_through_a_breaking_link(tmp_path, server):
    laptop = new_laptop(tmp_path / "a", "A")
    populate(laptop.store, laptop.profile, seed=SEED, household_count=HOUSEHOLDS, villages=5)
    laptop_ids = ids_by_table(laptop.store.engine)
    records = sum(len(ids) for ids in laptop_ids.values())
    assert records >= RECORDS
    host, port = server.url.removeprefix("http://").split(":")
    with FaultProxy((host, int(port)), seed=SEED, schedule=SCHEDULE) as proxy:
        enrolled(laptop, server, "Máy A")  # enrolment spends a code: not through the faults
        # The proxy stands between laptop and server from here on.
        with laptop.store.write() as session:
            laptop.store.set_meta(session, {"server_url": proxy.url})
        started = time.monotonic()
        syncs, failed = sync_until_done(laptop, proxy)
        # A colleague's laptop then pulls every record down through the same broken link
        # (the laptop that pushed them is not sent its own rows back).
        colleague = new_laptop(tmp_path / "b", "B", village=None)
        own = ids_by_table(colleague.store.engine)  # its commune and volunteer rows
        enrolled(colleague, server, "Máy B")
        with colleague.store.write() as session:
            colleague.store.set_meta(session, {"server_url": proxy.url})
        pulls, pulls_failed = sync_until_done(colleague, proxy)
        syncs, failed = syncs + pulls, failed + pulls_failed
        seconds = time.monotonic() - started
        faults = sum(v for k, v in proxy.injected.items())
        print(f"\n{records} records, {faults} faults injected {dict(proxy.injected)}, "
              f"{proxy.exchanges} exchanges over {proxy.connections} connections, "
              f"{syncs} syncs ({failed} given up), {seconds:.1f} s")
    assert faults >= 10, proxy.injected
    assert proxy.injected["cut_response"] > 0 and proxy.injected["reset"] > 0
    server_ids = ids_by_table(server.engine)
    for table, ids in laptop_ids.items():
        # Same ids: none lost, none extra.
        assert server_ids[table] == sorted({*ids, *own[table]}), table
    with server.engine.connect() as conn:
        # Every row written once on the server: at its first version, and one applied change
        # per row sent (a resent batch or change was recognised, not applied again).
        for table in laptop_ids:
            doubled = conn.execute(text(f"SELECT count(*) FROM {table} WHERE version > 1"))
            assert doubled.scalar_one() == 0, table
        applied = conn.execute(text("SELECT count(*) FROM applied_change")).scalar_one()
    # Each commune row is the server's own, answered duplicate.
    assert applied == records - 1 + sum(len(ids) for ids in own.values()) - 1
    assert laptop.store.outbox_size() == 0
    assert laptop.count("sync_quarantine") == 0 and laptop.count("sync_conflict") == 0
    pulled = ids_by_table(colleague.store.engine)
    for table, ids in laptop_ids.items():
        assert set(ids) <= set(pulled[table]), table  # every record reached the colleague
