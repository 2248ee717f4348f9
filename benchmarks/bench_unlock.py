"""Unlock to a painted main window, and the memory of that window, on the benchmark store.

Each run is a fresh child process (this file with `--child`) driving the real start-up path:
`app.Controller` shows the unlock window, then `UnlockWindow.unlock_with` opens the store and
the controller builds the main window listing every household of every village. The clock runs
from the call to `unlock_with` until the main window has finished its first paint. The
background import of the store modules is awaited before the clock starts: a volunteer takes
seconds to type the passphrase, long enough for it to finish.

The baseline for the time is the bare key derivation (`keys.derive_key`, scrypt), the one part
of unlocking that is slow on purpose; for memory it is a bare QApplication with one QWidget.
"""

import json
import os
import sys
import time
from pathlib import Path

from child_runs import ChildRunner
from measurement import Measurement, median

UNLOCK_TARGET_S = 1.0
RSS_TARGET_MB = 250.0
MB = 1024 * 1024
BARE_WINDOW = Path(__file__).with_name("bare_window.py")


def measure(data_dir: Path, passphrase: str, households: int, runs: int,
            runner: ChildRunner) -> list[Measurement]:
    # The passphrase travels in the environment, as for `fieldkit --smoke-test`.
    child = [sys.executable, __file__, "--child", str(data_dir)]
    env = {"FIELDKIT_PASSPHRASE": passphrase}
    results = [json.loads(runner.run(child, env).stdout.splitlines()[-1]) for _ in range(runs)]
    for result in results:
        assert result["rows"] == households, f"main window listed {result['rows']} households"
    bare = [sys.executable, str(BARE_WINDOW)]
    bare_rss = median([float(runner.run(bare).stdout.split()[-1]) for _ in range(runs)])
    unlock = median([r["unlock_s"] for r in results])
    derive = median([r["derive_key_s"] for r in results])
    rss = median([r["rss"] for r in results]) / MB
    return [
        Measurement(f"unlock → main window painted, median of {runs}", unlock, derive, "s",
                    f"< {UNLOCK_TARGET_S:g} s (baseline: key derivation)",
                    unlock < UNLOCK_TARGET_S),
        Measurement(f"RSS, main window listing {households:,} households", rss,
                    bare_rss / MB, "MB", f"< {RSS_TARGET_MB:g} MB", rss < RSS_TARGET_MB),
    ]


# -- the child process ---------------------------------------------------------------------------


def _child(data_dir: Path) -> None:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    passphrase = os.environ["FIELDKIT_PASSPHRASE"]
    import psutil
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QWidget

    from fieldkit.core.keys import KeyParams, derive_key
    from fieldkit.core.paths import key_path
    from fieldkit.core.settings import Settings
    from fieldkit.ui.app import Controller, make_app

    settings = Settings.load(data_dir)
    app = make_app(sys.argv[:1], settings)
    controller = Controller(app, data_dir, settings)
    unlock_window = controller.first_window()
    params = KeyParams.load(key_path(data_dir))
    timings: dict[str, float] = {}

    class MainWindowPainted(QObject):
        """Watches every widget, since the main window does not exist yet when unlocking
        starts; stops the clock once the first paint of any part of it has finished."""

        def eventFilter(self, watched: QObject, event: QEvent) -> bool:
            if (event.type() == QEvent.Type.Paint and "painted" not in timings
                    and isinstance(watched, QWidget)
                    and watched.window() is controller.window is not unlock_window):
                timings["painted"] = 0.0
                QTimer.singleShot(0, finished)
            return False

    def finished() -> None:
        timings["painted"] = time.perf_counter() - timings["started"]
        app.quit()

    def unlock() -> None:
        controller.preloader.wait()  # started at first paint; done while a volunteer types
        started = time.perf_counter()
        derive_key(passphrase, params)
        timings["derive_key"] = time.perf_counter() - started
        timings["started"] = time.perf_counter()
        unlock_window.unlock_with(passphrase)

    watcher = MainWindowPainted()
    app.installEventFilter(watcher)
    QTimer.singleShot(500, unlock)  # once the unlock window has painted and settled
    app.exec()
    from fieldkit.ui.main_window import MainWindow

    window = controller.window
    assert isinstance(window, MainWindow) and window.current_village() is None
    print(json.dumps({"unlock_s": timings["painted"], "derive_key_s": timings["derive_key"],
                      "rss": psutil.Process().memory_info().rss,
                      "rows": window.model.rowCount()}))
    controller.store.close()


if __name__ == "__main__":
    if sys.argv[1:2] != ["--child"]:
        sys.exit("Run benchmarks/run_all.py; this file runs itself with --child.")
    _child(Path(sys.argv[2]))
