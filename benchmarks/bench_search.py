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
from fieldkit.core.search import LIST_SQL, SEARCH_SQL, match_expression, search_households
from fieldkit.core.store import Store
from fieldkit.core.synthetic import REFERENCE_DATE, households, village_names
from measurement import Measurement, percentile

P95_TARGET_MS = 30.0
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


def sql_for(query: str, village_id: str | None) -> tuple[str, dict[str, str]]:
    """The statement `search_households` runs, built the same way."""
    village = " AND h.village_id = :v" if village_id else ""
    params = {"v": village_id} if village_id else {}
    expression = match_expression(query)
    if expression is None:
        return LIST_SQL.format(village=village), params
    params["q"] = expression
    return SEARCH_SQL.format(village=village), params


def raw_connection(data_dir: Path) -> sqlcipher3.Connection:
    key = derive_key(PASSPHRASE, KeyParams.load(key_path(data_dir)))
    conn = sqlcipher3.connect(str(db_path(data_dir)), isolation_level=None)
    conn.execute(f"PRAGMA key = \"x'{key.hex()}'\"")
    return conn


def busiest_village(store: Store) -> str:
    with store.read() as session:
        return session.connection().execute(text(
            "SELECT village_id FROM household GROUP BY village_id ORDER BY count(*) DESC LIMIT 1"
        )).scalar_one()


def measure(data_dir: Path, seed: int, passes: int) -> list[Measurement]:
    store = Store.open(data_dir, PASSPHRASE)
    raw = raw_connection(data_dir)
    try:
        village = busiest_village(store)

        def fieldkit(query: str, village_id: str | None) -> list[str]:
            with store.read() as session:
                return search_households(session.connection(), query, village_id)

        def baseline(query: str, village_id: str | None) -> list[str]:
            sql, params = sql_for(query, village_id)
            return [row[0] for row in raw.execute(sql, params).fetchall()]

        cases = [(q, v) for q in queries(seed) for v in (None, village)]
        for query, village_id in cases:  # warm both caches; check both give the same answer
            assert fieldkit(query, village_id) == baseline(query, village_id), query
        ours: list[float] = []
        theirs: list[float] = []
        for _ in range(passes):
            for query, village_id in cases:
                ours.append(_time(fieldkit, query, village_id))
                theirs.append(_time(baseline, query, village_id))
    finally:
        raw.close()
        store.close()
    p50, p95 = percentile(ours, 50), percentile(ours, 95)
    raw50, raw95 = percentile(theirs, 50), percentile(theirs, 95)
    label = f"search p{{}}, {len(cases)} queries × {passes}"
    return [
        Measurement(label.format(50), p50, raw50, "ms", f"≤ {RATIO_TARGET:g}× raw",
                    p50 <= RATIO_TARGET * raw50),
        Measurement(label.format(95), p95, raw95, "ms",
                    f"< {P95_TARGET_MS:g} ms, ≤ {RATIO_TARGET:g}× raw",
                    p95 < P95_TARGET_MS and p95 <= RATIO_TARGET * raw95),
    ]


def _time(run: Callable[[str, str | None], list[str]], query: str,
          village_id: str | None) -> float:
    started = time.perf_counter()
    run(query, village_id)
    return (time.perf_counter() - started) * 1000
