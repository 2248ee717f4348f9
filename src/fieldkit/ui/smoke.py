"""`fieldkit --smoke-test`: prove on this machine that the store opens and the main window
renders, and say how long each phase took. Used by CI on the bundled build."""

import os
import sys
import time
from pathlib import Path

from PySide6.QtWidgets import QApplication

from fieldkit.core.settings import Settings


def run_smoke_test(app: QApplication, data_dir: Path, settings: Settings, started: float,
                   demo: bool = False) -> int:
    phases: list[tuple[str, float]] = [("start-up", time.perf_counter() - started)]

    def phase(name: str, since: float) -> float:
        now = time.perf_counter()
        phases.append((name, now - since))
        return now

    try:
        passphrase = os.environ.get("FIELDKIT_PASSPHRASE")
        if not passphrase and not demo:
            raise RuntimeError("FIELDKIT_PASSPHRASE is not set: the smoke test needs it to "
                               "open or create the store.")
        t = time.perf_counter()
        from fieldkit.cli import EXIT_DISABLED
        from fieldkit.core import paths
        from fieldkit.core.profile import load_profile
        from fieldkit.core.revocation import StoreDisabled, refuse_if_disabled
        from fieldkit.core.store import Store
        from fieldkit.ui.main_window import MainWindow

        t = phase("imports", t)
        if demo:
            from fieldkit.core.demo import demo_data_dir, open_demo

            seeded = paths.store_exists(demo_data_dir(data_dir))
            store = open_demo(data_dir)
            t = phase("open demo" if seeded else "seed demo", t)
        elif paths.store_exists(data_dir):
            store = Store.open(data_dir, passphrase)
            t = phase("unlock store", t)
            try:
                # The store of a laptop the commune revoked opens only to enrol again.
                refuse_if_disabled(store)
            except StoreDisabled as exc:
                store.close()
                print(f"lỗi: {exc}", file=sys.stderr)
                return EXIT_DISABLED
        else:
            store = Store.create(data_dir, passphrase)
            t = phase("create store", t)
        try:
            window = MainWindow(store, load_profile(store), data_dir, settings)
            t = phase("build main window", t)
            if demo and (not store.is_demo or window.banner is None
                         or window.model.rowCount() == 0):
                raise RuntimeError("the demo opened without its flag, banner or households")
            window.show()
            image = window.grab()
            app.processEvents()
            if image.isNull() or image.width() == 0:
                raise RuntimeError("the main window rendered an empty image")
            phase("render", t)
            window.close()
        finally:
            store.close()
    except Exception as exc:
        print(f"smoke test failed: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    phases.append(("total", time.perf_counter() - started))
    for name, seconds in phases:
        print(f"{name:<18} {seconds * 1000:8.1f} ms")
    print("smoke test passed")
    return 0
