"""Time to the first painted window: `python -m fieldkit` against a bare PySide6 window.

Both are whole processes timed from the outside (interpreter start-up included), run
alternately so that disk cache and CPU frequency drift affect both sides alike. FieldKit opens
its unlock window here, since the store exists: that is what a volunteer waits for at every
start.
"""

import subprocess
import sys
import time
from pathlib import Path

from measurement import Measurement, median

RATIO_TARGET = 1.5
BARE_WINDOW = Path(__file__).with_name("bare_window.py")


def _wall_time(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True, timeout=120)
    return time.perf_counter() - started


def measure(data_dir: Path, runs: int) -> list[Measurement]:
    fieldkit = [sys.executable, "-m", "fieldkit", "--smoke-test=first-paint",
                "--data-dir", str(data_dir)]
    bare = [sys.executable, str(BARE_WINDOW)]
    _wall_time(fieldkit)  # the first run of each pays for a cold disk cache
    _wall_time(bare)
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(runs):
        ours.append(_wall_time(fieldkit))
        theirs.append(_wall_time(bare))
    value, baseline = median(ours), median(theirs)
    return [Measurement(f"first painted window, median of {runs}", value, baseline, "s",
                        f"≤ {RATIO_TARGET:g}× bare window",
                        value <= RATIO_TARGET * baseline)]
