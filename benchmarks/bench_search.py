"""Type-ahead search over the benchmark store: FieldKit's path against the same SQL on a raw
SQLCipher connection.

The FieldKit side is exactly what the household list does on every pause in typing: a store
session, `search.search_households`, the ids back as a list. The baseline runs the identical
statement (same SQL text, same parameters) on a bare `sqlcipher3` connection keyed with the same
raw key, so the ratio is the cost of SQLAlchemy and the session, and the absolute p95 is what a
volunteer waits for.
"""

import time
from collections.abc import Callable
from pathlib import Path

import sqlcipher3
from sqlalchemy import text

from cached_store import PASSPHRASE, VILLAGES
from fieldkit.core.folding import fold
from fieldkit.core.keys import KeyParams, derive_key
from fieldkit.core.paths import db_path, key_path
from fieldkit.core.search import search_households, search_statement
from fieldkit.core.store import Store
from fieldkit.core.synthetic import REFERENCE_DATE, households, village_names
from measurement import Measurement, percentile

P95_TARGET_MS = 30.0
MIRRORED_PRAGMAS = ("cache_size", "mmap_size", "temp_store")
RATIO_TARGET = 3.0

# What volunteers type: partial folded names (common and rare family names, with the middle
# name, cut off mid-word), a given name alone, a village name.
NAME_QUERIES = ("nguyen", "nguyen van", "nguyen van h", "dang thi h", "tran thi", "le", "lo",
                "lo van", "thao", "giang a", "sung thi m", "hoang", "ha", "pao", "phieng")


def queries(seed: int) -> list[str]:
    """Name queries plus ID-number and phone prefixes of real stored people (the first stored
    households are the generator's first, whatever the count)."""
    names = village_names(VILLAGES, seed)
    people = [p for h in households(seed, 50, names, REFERENCE_DATE) for p in h.members]
    number = next(p.id_number for p in people if p.id_number)
    phone = next(p.phone for p in people if p.phone)
    head = next(p.full_name for p in people)
    return [*NAME_QUERIES, fold(head), number[:6], number[:9], number,
            phone[:4], phone[:7], phone]


def raw_connection(data_dir: Path, store: Store) -> sqlcipher3.Connection:
    """Keyed like the store's, with the same read tuning (page cache, memory map, temp store)
    copied from a live store connection: the ratio should be the cost of the code path, not of
    a smaller cache."""
    key = derive_key(PASSPHRASE, KeyParams.load(key_path(data_dir)))
    conn = sqlcipher3.connect(str(db_path(data_dir)), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    with store.engine.connect() as tuned:
        for pragma in MIRRORED_PRAGMAS:
            value = tuned.exec_driver_sql(f"PRAGMA {pragma}").scalar_one()
            conn.execute(f"PRAGMA {pragma} = {int(value)}")
    return conn


def busiest_village(store: Store) -> str:
    with store.read() as session:
        return session.connection().execute(text(
            "SELECT village_id FROM household GROUP BY village_id ORDER BY count(*) DESC LIMIT 1"
        )).scalar_one()


def measure(data_dir: Path, seed: int, passes: int) -> list[Measurement]:
    """Search over the query mix, and the blank-box list (what the main window shows at unlock
    and whenever the search box is cleared), each with and without a village filter."""
    store = Store.open(data_dir, PASSPHRASE)
    raw = raw_connection(data_dir, store)
    try:
        village = busiest_village(store)

        def fieldkit(query: str, village_id: str | None) -> list[str]:
            with store.read() as session:
                return search_households(session.connection(), query, village_id)

        def baseline(query: str, village_id: str | None) -> list[str]:
            sql, params = search_statement(query, village_id)
            return [row[1] for row in raw.execute(sql, params).fetchall()]

        searches = [(q, v) for q in queries(seed) for v in (None, village)]
        lists = [("", None), ("", village)]
        for query, village_id in searches + lists:  # warm both caches; compare the answers
            assert fieldkit(query, village_id) == baseline(query, village_id), query
        ours, theirs = _compare(fieldkit, baseline, searches, passes)
        ours_list, theirs_list = _compare(fieldkit, baseline, lists, passes * 5)
    finally:
        raw.close()
        store.close()
    label = f"search p{{}} ({len(searches)} queries × {passes})"
    return [
        _measurement(label.format(50), ours, theirs, 50, p95_target=False),
        _measurement(label.format(95), ours, theirs, 95, p95_target=True),
        _measurement(f"blank-box list p95 (all villages / one village, × {passes * 5})",
                     ours_list, theirs_list, 95, p95_target=True),
    ]


Run = Callable[[str, str | None], list[str]]


def _compare(fieldkit: Run, baseline: Run, cases: list[tuple[str, str | None]],
             passes: int) -> tuple[list[float], list[float]]:
    """Milliseconds per call, the two sides alternating so that drift hits both alike."""
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(passes):
        for query, village_id in cases:
            ours.append(_time(fieldkit, query, village_id))
            theirs.append(_time(baseline, query, village_id))
    return ours, theirs


def _time(run: Run, query: str, village_id: str | None) -> float:
    started = time.perf_counter()
    run(query, village_id)
    return (time.perf_counter() - started) * 1000


def _measurement(name: str, ours: list[float], theirs: list[float], p: int,
                 p95_target: bool) -> Measurement:
    value, baseline = percentile(ours, p), percentile(theirs, p)
    within = value <= RATIO_TARGET * baseline
    if not p95_target:
        return Measurement(name, value, baseline, "ms", f"≤ {RATIO_TARGET:g}× raw", within)
    return Measurement(name, value, baseline, "ms",
                       f"< {P95_TARGET_MS:g} ms, ≤ {RATIO_TARGET:g}× raw",
                       within and value < P95_TARGET_MS)
