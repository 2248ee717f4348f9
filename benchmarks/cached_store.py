"""The benchmark store: synthetic households in a real encrypted store, built once and kept.

Building 50,000 households takes minutes, so the store is cached in `benchmarks/.data/` under a
name made of the seed and the count. It is built in a scratch directory and renamed when
complete, so an interrupted build is never mistaken for a finished one. Ages are computed
against `synthetic.REFERENCE_DATE`, not today, so the seed and count alone fix the content and
the benchmark queries drawn from the generator match what is stored.
"""

import shutil
import sys
from pathlib import Path

from fieldkit.core.paths import store_exists
from fieldkit.core.profile import set_up_profile
from fieldkit.core.store import Store
from fieldkit.core.synthetic import REFERENCE_DATE, populate

DATA_DIR = Path(__file__).resolve().with_name(".data")
PASSPHRASE = "benchmark-passphrase-2025"
VILLAGES = 40
COMMUNE_CODE = 3325  # Xã Mường Phăng, Điện Biên: mountain hamlets and lowland villages


def store_dir(seed: int, count: int) -> Path:
    return DATA_DIR / f"store-seed{seed}-households{count}"


def ensure_store(seed: int, count: int) -> Path:
    """The data directory of the cached store, building it first if needed."""
    target = store_dir(seed, count)
    if store_exists(target):
        return target
    scratch = target.with_name(target.name + ".partial")
    shutil.rmtree(scratch, ignore_errors=True)
    print(f"Building the benchmark store ({count:,} households) in {target} …", file=sys.stderr)
    store = Store.create(scratch, PASSPHRASE)
    try:
        profile = set_up_profile(store, "Lò Thị Linh", "0912345678", COMMUNE_CODE)

        def report(done: int) -> None:
            print(f"\r  {done:,} / {count:,} households", end="", file=sys.stderr, flush=True)

        populate(store, profile, seed, count, VILLAGES, as_of=REFERENCE_DATE, progress=report)
        print(file=sys.stderr)
    finally:
        store.close()
    scratch.rename(target)
    return target
