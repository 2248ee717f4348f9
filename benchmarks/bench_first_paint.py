"""Time to the first painted window: `python -m fieldkit` against a bare PySide6 window.

Both are whole processes timed from the outside (interpreter start-up included), run
alternately so that disk cache and CPU frequency drift affect both sides alike. FieldKit opens
its unlock window here, since the store exists: that is what a volunteer waits for at every
start.
"""

import sys
from pathlib import Path

from child_runs import ChildRunner
from measurement import Measurement, median

RATIO_TARGET = 1.5
BARE_WINDOW = Path(__file__).with_name("bare_window.py")


def measure(data_dir: Path, runs: int, runner: ChildRunner) -> list[Measurement]:
    fieldkit = [sys.executable, "-m", "fieldkit", "--smoke-test=first-paint",
                "--data-dir", str(data_dir)]
    bare = [sys.executable, str(BARE_WINDOW)]
    runner.run(fieldkit)  # the first run of each pays for a cold disk cache
    runner.run(bare)
    ours: list[float] = []
    theirs: list[float] = []
    for _ in range(runs):
        ours.append(runner.run(fieldkit).seconds)
        theirs.append(runner.run(bare).seconds)
    value, baseline = median(ours), median(theirs)
    return [Measurement(f"first painted window, median of {runs}", value, baseline, "s",
                        f"≤ {RATIO_TARGET:g}× bare window",
                        value <= RATIO_TARGET * baseline)]
