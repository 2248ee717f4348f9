"""Run every benchmark and print one Markdown table: `make benchmarks`.

    QT_QPA_PLATFORM=offscreen .venv/bin/python benchmarks/run_all.py [--quick]

`--quick` uses 5,000 households, 1,000 synced visits (the full run syncs 1,000, 10,000 and
50,000) and fewer repetitions, for a fast check
that the benchmarks still run; only the full run's figures are worth comparing with the targets.
"""

import argparse
import os
import platform
import sys

import sqlcipher3

import bench_first_paint
import bench_forms
import bench_household_import
import bench_search
import bench_sync
import bench_unlock
from cached_store import PASSPHRASE, ensure_store
from child_runs import ChildRunner
from measurement import markdown_table

FULL_HOUSEHOLDS = 50_000
QUICK_HOUSEHOLDS = 5_000
# Synced visits: a commune's first campaign, a district's, a province's week.
FULL_VISITS = (1_000, 10_000, 50_000)
QUICK_VISITS = (1_000,)
# A commune's household list, as issue 11 sizes it.
LIST_ROWS = 5_000


def machine() -> str:
    """What the figures were measured on, printed above the table."""
    model = "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            model = next(line.split(":", 1)[1].strip() for line in cpuinfo
                         if line.startswith("model name"))
    except (OSError, StopIteration):
        model = platform.processor() or model
    return (f"{os.cpu_count()} CPUs ({model}), {platform.system()} {platform.release()}, "
            f"Python {platform.python_version()}, SQLite {sqlcipher3.sqlite_version} (sqlcipher3)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true",
                        help=f"{QUICK_HOUSEHOLDS:,} households and fewer repetitions")
    parser.add_argument("--seed", type=int, default=2025, help="seed of the synthetic store")
    args = parser.parse_args()
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    count = QUICK_HOUSEHOLDS if args.quick else FULL_HOUSEHOLDS
    data_dir = ensure_store(args.seed, count)
    runs = 3 if args.quick else 7
    measurements = bench_search.measure(data_dir, args.seed, passes=3 if args.quick else 10)
    runner = ChildRunner()
    measurements += bench_first_paint.measure(data_dir, runs, runner)
    measurements += bench_unlock.measure(data_dir, PASSPHRASE, count, runs, runner)
    measurements += bench_forms.measure(runs)
    measurements += bench_household_import.measure(LIST_ROWS, args.seed)
    for visits in QUICK_VISITS if args.quick else FULL_VISITS:
        measurements += bench_sync.measure(visits, args.seed,
                                           no_change_runs=5 if args.quick else 11,
                                           sync_runs=1 if args.quick else 3)
    print(f"FieldKit benchmarks: {count:,} synthetic households (seed {args.seed}) "
          f"on {machine()}\n")
    print(markdown_table(measurements))
    if runner.crashes:
        print(f"\n{runner.report()}")
    return 0 if all(m.met for m in measurements) else 1


if __name__ == "__main__":
    sys.exit(main())
