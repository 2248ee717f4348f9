"""Start-up, unlock and lock.

The first window (setup or unlock) is shown before the store's heavy imports (SQLAlchemy,
SQLModel, Alembic); those load on a background thread while the volunteer types the passphrase.
The thread starts only once that window has painted: PySide6 sets up its enums lazily and not
safely across threads, so the GUI thread must be done importing its own widgets first.
"""

import importlib
import logging
import os
import sys
import threading
import time
from pathlib import Path

import PySide6
from PySide6.QtCore import (
    QEvent,
    QLocale,
    QMessageLogContext,
    QObject,
    Qt,
    QTimer,
    QtMsgType,
    QTranslator,
    qInstallMessageHandler,
    qVersion,
)
from PySide6.QtWidgets import QApplication, QWidget

from fieldkit.core import paths
from fieldkit.core.i18n import set_language
from fieldkit.core.settings import Settings
from fieldkit.ui.style import apply_style

# Qt-free modules first: they are most of the time and cannot race the GUI thread.
HEAVY_MODULES = ("fieldkit.core.profile", "fieldkit.core.people", "fieldkit.core.search",
                 "qtawesome", "fieldkit.ui.main_window")

logger = logging.getLogger(__name__)
QT_LEVELS = {QtMsgType.QtDebugMsg: logging.DEBUG, QtMsgType.QtInfoMsg: logging.INFO,
             QtMsgType.QtWarningMsg: logging.WARNING, QtMsgType.QtCriticalMsg: logging.ERROR,
             QtMsgType.QtFatalMsg: logging.CRITICAL}


class Preloader:
    """Imports the store and main window modules off the GUI thread."""

    def __init__(self) -> None:
        self.error: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="fieldkit-preload", daemon=True)

    def start(self) -> None:
        if not self._thread.is_alive() and self._thread.ident is None:
            self._thread.start()

    def _run(self) -> None:
        try:
            for name in HEAVY_MODULES:
                importlib.import_module(name)
        except BaseException as exc:  # re-raised on the GUI thread by wait()
            self.error = exc

    def wait(self) -> None:
        """Block until the imports are done (doing them here if the thread never started)."""
        if self._thread.ident is None:
            self._run()
        else:
            self._thread.join()
        if self.error is not None:
            raise self.error

    def finish(self) -> None:
        """Let a half-done import end before the interpreter shuts down under it."""
        if self._thread.ident is not None:
            self._thread.join()


class FirstPaint(QObject):
    """Notes when a window has first painted, for `--smoke-test=first-paint`."""

    def __init__(self, window: QWidget, on_paint) -> None:
        super().__init__(window)
        self._on_paint = on_paint
        self._done = False
        window.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.Paint and not self._done:
            self._done = True
            # After this paint has finished, not before.
            QTimer.singleShot(0, self._on_paint)
        return False


def install_translator(app: QApplication, language: str) -> None:
    """Sources are Vietnamese; English comes from `resources/i18n/fieldkit_en.qm`."""
    QLocale.setDefault(QLocale(QLocale.Language.Vietnamese if language == "vi"
                               else QLocale.Language.English, QLocale.Country.Vietnam))
    if language == "vi":
        return
    translator = QTranslator(app)
    if translator.load(str(paths.resources_dir() / "i18n" / f"fieldkit_{language}.qm")):
        app.installTranslator(translator)


class Controller(QObject):
    """Moves between the setup, unlock and main windows, and locks after idle time.

    In demo mode it opens the trainer's sandbox instead (no passphrase, its own directory),
    and switches between the sandbox and the real store on request: one store is open at a
    time, so nothing done in class can land in field data."""

    def __init__(self, app: QApplication, data_dir: Path, settings: Settings,
                 demo: bool = False) -> None:
        super().__init__()
        self.app = app
        self.data_dir = data_dir
        self.settings = settings
        self.demo = demo
        self.preloader = Preloader()
        self.store = None
        self.window: QWidget | None = None
        self.idle = None
        self.marker: QObject | None = None

    def first_window(self) -> QWidget:
        if self.demo:
            return self.open_demo()
        if paths.store_exists(self.data_dir):
            from fieldkit.ui.unlock_window import UnlockWindow

            window = UnlockWindow(self.data_dir, self.preloader.wait)
        else:
            from fieldkit.ui.setup_window import SetupWindow

            window = SetupWindow(self.data_dir, self.preloader.wait)
        window.unlocked.connect(self.show_main)
        FirstPaint(window, self.preloader.start)
        self._replace(window)
        return window

    def show_main(self, store) -> None:
        from fieldkit.core.profile import load_profile
        from fieldkit.core.revocation import revocation_of
        from fieldkit.ui.idle_lock import IdleLock
        from fieldkit.ui.main_window import MainWindow

        self.store = store
        if revocation_of(store) is not None:
            self.show_disabled(store)
            return
        profile = load_profile(store)
        if profile is None:
            from fieldkit.ui.setup_window import SetupWindow

            setup = SetupWindow(self.data_dir, self.preloader.wait, store=store)
            setup.unlocked.connect(self.show_main)
            self._replace(setup)
            return
        window = MainWindow(store, profile, self.data_dir, self.settings)
        window.lock_requested.connect(self.lock)
        window.disabled.connect(self.disable)
        window.demo_requested.connect(self.enter_demo)
        window.leave_demo_requested.connect(self.leave_demo)
        window.reset_demo_requested.connect(self.reset_demo)
        self._replace(window)
        if store.is_demo:
            self._mark_practice(True)
            return  # practice data needs no lock, and a lock would only reopen it
        self.idle = IdleLock(self.app, self.settings.autolock_minutes * 60_000, self.lock)
        window.autolock_changed.connect(lambda minutes: self.idle.set_interval(minutes * 60_000))

    def lock(self) -> None:
        """Close everything that shows data; every valid field is already saved.

        A window holding a value it could not save (a form field typed wrong) refuses to
        close; a lock must not leave personal data on screen, so it is hidden and discarded
        anyway, losing only that invalid value."""
        logger.info("locked")
        self._close_everything()
        self._close_all()
        self.first_window()

    def _close_everything(self) -> None:
        for refused in self._close_windows():
            refused.hide()
            refused.deleteLater()

    # -- remote disable ---------------------------------------------------------------------

    def disable(self) -> None:
        """The commune revoked this laptop (a sync just heard it; the store is marked by now):
        close every window as a lock does, which saves what they hold, and show the locked
        screen over the still-open store, so enrolling again needs no passphrase."""
        from fieldkit.core.revocation import revocation_of

        store = self.store
        if store is None or revocation_of(store) is None:
            return
        logger.warning("the commune revoked this laptop: showing the locked screen")
        self._close_everything()
        self._close_all(keep_store_open=True)
        self.show_disabled(store)

    def show_disabled(self, store) -> None:
        from fieldkit.core.revocation import revocation_of
        from fieldkit.ui.disabled_window import DisabledWindow
        from fieldkit.ui.idle_lock import IdleLock

        revocation = revocation_of(store)
        assert revocation is not None
        self.store = store
        window = DisabledWindow(store, revocation)
        window.reenrolled.connect(self._reenrolled)
        window.lock_requested.connect(self.lock)
        self._replace(window)
        # The store is open behind this screen: left alone, it locks like the main window.
        self.idle = IdleLock(self.app, self.settings.autolock_minutes * 60_000, self.lock)

    def _reenrolled(self, store) -> None:
        """Enrolled again: the app opens as usual and sends the kept work at once."""
        if self.idle is not None:
            self.idle.stop()
            self.idle = None
        self.show_main(store)
        sync_status = getattr(self.window, "sync_status", None)
        if sync_status is not None:
            sync_status.start(auto=True)

    def _close_windows(self) -> list[QWidget]:
        """Close every window but the main one; return those that refused, still open."""
        refused = []
        for widget in self.app.topLevelWidgets():
            if widget is not self.window and widget.isVisible():
                widget.close()
                if widget.isVisible():
                    refused.append(widget)
        return refused

    def _ready_to_switch(self) -> bool:
        """Before switching between real and practice data: every other window closed. One
        that refuses (a value it could not save) stays, is brought forward, and the switch
        waits, so no window of one store is left open beside the other."""
        refused = self._close_windows()
        if not refused:
            return True
        from PySide6.QtWidgets import QMessageBox

        window = refused[0]
        window.raise_()
        window.activateWindow()
        box = QMessageBox(QMessageBox.Icon.Information, "FieldKit", QApplication.translate(
            "Controller", "Cửa sổ này còn một ô chưa lưu được. Hãy sửa hoặc xóa trống ô đó, "
            "đóng cửa sổ, rồi chuyển chế độ lại."), QMessageBox.StandardButton.NoButton, window)
        box.addButton(QApplication.translate("Controller", "Đóng"),
                      QMessageBox.ButtonRole.AcceptRole)
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return False

    def _close_all(self, keep_store_open: bool = False) -> None:
        if self.idle is not None:
            self.idle.stop()
            self.idle = None
        self._close_windows()
        if self.window is not None:
            self.window.close()  # before the store closes: it saves what is pending
        if self.store is not None and not keep_store_open:
            self.store.close()
            self.store = None

    # -- demo mode ----------------------------------------------------------------------

    def open_demo(self, reset=None) -> QWidget:
        """The sandbox, seeded (or `reset`, a demo Store, restored) off the GUI thread."""
        from fieldkit.ui.demo_mode import DemoLoading

        data_dir = self.data_dir

        def work(progress):
            from fieldkit.core import demo

            if reset is not None:
                return demo.reset_demo(reset, progress=progress)
            return demo.open_demo(data_dir, progress=progress)

        loading = DemoLoading(work)
        loading.ready.connect(self._demo_ready)
        loading.retry_requested.connect(self.open_demo)
        loading.leave_requested.connect(self.leave_demo)
        self._replace(loading)
        FirstPaint(loading, self.preloader.start)
        loading.start()
        return loading

    def _demo_ready(self, store) -> None:
        self.preloader.wait()  # the main window's modules, as unlocking waits for them
        self.show_main(store)

    def enter_demo(self) -> None:
        if not self._ready_to_switch():
            return
        self._close_all()
        logger.info("practice mode entered")
        self.demo = True
        self.first_window()

    def leave_demo(self) -> None:
        if not self._ready_to_switch():
            return
        self._close_all()
        logger.info("practice mode left")
        self._mark_practice(False)
        self.demo = False
        self.first_window()

    def reset_demo(self) -> None:
        if not self._ready_to_switch():
            return
        store = self.store
        self._close_all(keep_store_open=True)  # reset_demo closes it on the worker thread
        self.store = None
        self.open_demo(reset=store)

    def _mark_practice(self, on: bool) -> None:
        """Every window shown from now on carries the practice banner (or stops doing so)."""
        from fieldkit.ui.demo_mode import DemoMarker

        if on and self.marker is None:
            self.marker = DemoMarker(self)
            self.app.installEventFilter(self.marker)
        elif not on and self.marker is not None:
            self.app.removeEventFilter(self.marker)
            self.marker = None

    def _replace(self, window: QWidget) -> None:
        old, self.window = self.window, window
        window.show()
        if old is not None:
            old.close()
            old.deleteLater()


def make_app(argv: list[str], settings: Settings) -> QApplication:
    app = QApplication.instance() or QApplication(argv)
    app.setApplicationName("FieldKit")
    app.setOrganizationName("FieldKit")
    apply_style(app, settings.large_text)
    install_translator(app, settings.language)
    set_language(settings.language)  # messages made in core (validation, sync reasons)
    return app


def run_gui(data_dir: Path, smoke: str | None, language: str | None, argv: list[str],
            demo: bool = False) -> int:
    started = time.perf_counter()
    settings = Settings.load(data_dir)
    if language:
        settings.language = language
    app = make_app(argv, settings)
    _log_qt(app)
    if smoke == "full":
        from fieldkit.ui.smoke import run_smoke_test

        return run_smoke_test(app, data_dir, settings, started, demo=demo)
    controller = Controller(app, data_dir, settings, demo=demo)
    window = controller.first_window()
    if smoke == "first-paint":
        def report() -> None:
            print(f"first-paint {time.perf_counter() - started:.3f}s ({type(window).__name__})",
                  flush=True)
            # Nothing is open yet, and tearing down the interpreter while the preload thread is
            # mid-import can crash it; leave at once, as the option promises.
            os._exit(0)

        FirstPaint(window, report)
    elif os.environ.get("FIELDKIT_PASSPHRASE") and hasattr(window, "unlock_with"):
        QTimer.singleShot(0, lambda: window.unlock_with(os.environ["FIELDKIT_PASSPHRASE"]))
    sys.excepthook = _report_unexpected
    code = app.exec()
    if controller.store is not None:
        controller.store.close()
    controller.preloader.finish()
    if sys.stdout is not None:  # None in the Windows build, which has no console
        sys.stdout.flush()
    return code


def qt_versions() -> str:
    """Qt and its Python binding: for the log's start line, the About box and the sent log's
    header. Here rather than with the About box, so start-up does not import a dialog."""
    return f"Qt {qVersion()}, PySide6 {PySide6.__version__}"


def _log_qt(app: QApplication) -> None:
    """The Qt side of the start line, and Qt's own warnings (a missing plugin or font) into
    the log file, where the IT officer finds them; still printed where there is a console."""
    logger.info("GUI on %s, platform plugin %s", qt_versions(), app.platformName())
    qt_logger = logging.getLogger("qt")

    def handle(kind: QtMsgType, context: QMessageLogContext, message: str) -> None:
        if context.category and context.category != "default":
            message = f"{context.category}: {message}"
        qt_logger.log(QT_LEVELS.get(kind, logging.WARNING), "%s", message)
        if sys.stderr is not None:  # None in the Windows build, which has no console
            print(message, file=sys.stderr, flush=True)

    qInstallMessageHandler(handle)


def _report_unexpected(kind: type[BaseException], error: BaseException, tb) -> None:
    """Last resort for an error no screen handled: say so, and say that saved data is safe
    (every completed field was committed on its own)."""
    import traceback

    logger.critical("uncaught exception", exc_info=(kind, error, tb))
    traceback.print_exception(kind, error, tb)
    from PySide6.QtWidgets import QMessageBox

    QMessageBox.critical(
        None, "FieldKit",
        QApplication.translate(
            "Controller", "Đã xảy ra lỗi ngoài dự kiến: {error}\n\nNhững thông tin đã nhập xong "
            "vẫn được lưu. Nếu lỗi lặp lại, hãy báo cho cán bộ kỹ thuật của xã.",
        ).format(error=error),
    )
