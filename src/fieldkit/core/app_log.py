"""The laptop's log file: what the commune's IT officer needs to see why FieldKit misbehaved
on one laptop (versions, unlocks, syncs, USB transfers, migrations, crashes), and nothing
about the people in the store.

Messages are written to say what happened, never whom it happened to. People slip, though,
and an exception's text can carry a value it was given, so every record is passed through
`Redactor` before it reaches the file: anything shaped like a citizen ID number, a phone
number or an access token is replaced, and the user's home folder (often named after the
volunteer) is shortened to "~". The log lives in `logs/` inside the profile's data
directory, rotating at `MAX_BYTES` with `BACKUPS` old files, so a laptop used for years
keeps a few megabytes at most. Only a file: nothing is printed, so the command line's output
stays what scripts expect.
"""

from __future__ import annotations

import contextlib
import logging
import logging.handlers
import platform
import re
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Any

LOG_DIR_NAME = "logs"
LOG_NAME = "fieldkit.log"
MAX_BYTES = 1_000_000
BACKUPS = 5
INFO_NAME = "fieldkit-info.txt"  # the header inside a sent archive
FORMAT = "%(asctime)s %(levelname)s %(name)s [%(process)d %(threadName)s] %(message)s"

logger = logging.getLogger(__name__)

# Letters and digits around a match must not continue it: a number inside a longer run of
# digits or inside a UUID is something else.
_EDGE_BEFORE = r"(?<![0-9A-Za-z])"
_EDGE_AFTER = r"(?![0-9A-Za-z])"
_REDACTIONS: tuple[tuple[re.Pattern[str], str], ...] = (
    # Bearer tokens in a header, and `token=...`/`"passphrase": "..."` pairs.
    (re.compile(r"(?i)\b(bearer\s+)[^\s\"',;]+"), r"\1[token]"),
    (re.compile(r"(?i)\b((?:device_)?token|passphrase|password)(\W{0,3}?[:=]\s*[\"']?)"
                r"[^\s\"',;&]+"), r"\1\2[token]"),
    # A 12-digit citizen ID number (CCCD), also written in groups of three.
    (re.compile(_EDGE_BEFORE + r"\d{3}([ .]?)\d{3}\1\d{3}\1\d{3}" + _EDGE_AFTER), "[id-number]"),
    # Vietnamese phone numbers: 0xxxxxxxxx, the old 11-digit ones, +84/84..., with spaces,
    # dots or dashes between digits.
    (re.compile(r"(?<![0-9A-Za-z+])(?:\+?84|0)(?:[ .\-]?\d){8,10}" + _EDGE_AFTER), "[phone]"),
    # Random access tokens (the server's are 43 URL-safe characters) wherever they appear.
    (re.compile(r"(?a)(?<![\w-])(?=[\w-]*[A-Z])(?=[\w-]*[a-z])(?=[\w-]*\d)[\w-]{32,}(?![\w-])"),
     "[token]"),
)


def redact(text: str) -> str:
    """`text` without ID numbers, phone numbers, tokens or the home folder's path."""
    for pattern, replacement in _REDACTIONS:
        text = pattern.sub(replacement, text)
    home = str(Path.home())
    if len(home) > 1:
        text = text.replace(home, "~")
    return text


class Redactor(logging.Filter):
    """Applies `redact` to the whole record, its traceback included, before any formatter
    sees it. Attached to the handler, so records of every logger (Alembic's, urllib3's) pass
    through it too."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # arguments that do not fit the message: keep both, redacted
            message = f"{record.msg} {record.args!r}"
        record.msg = redact(message)
        record.args = None
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


def app_version() -> str:
    """The installed version; the package's own constant when running from a checkout or a
    bundle without the installation's metadata. Looking it up takes tens of milliseconds, so
    the start line uses the constant (what `fieldkit --version` prints)."""
    from importlib import metadata

    try:
        return metadata.version("fieldkit")
    except metadata.PackageNotFoundError:
        from fieldkit import __version__

        return __version__


def system_summary() -> str:
    """Python and operating system, for the start line and the sent archive's header. Not
    `platform.platform()`, which reads the interpreter's binary and costs start-up time."""
    return (f"Python {platform.python_version()}, {platform.system()} {platform.release()} "
            f"{platform.version()} {platform.machine()}")


def log_dir(data_dir: Path) -> Path:
    return data_dir / LOG_DIR_NAME


def log_files(data_dir: Path) -> list[Path]:
    """The current log and its rotated predecessors that exist, oldest first."""
    folder = log_dir(data_dir)
    names = [f"{LOG_NAME}.{n}" for n in range(BACKUPS, 0, -1)] + [LOG_NAME]
    return [folder / name for name in names if (folder / name).is_file()]


class _Installed:
    """What `start_logging` changed, so `stop_logging` can put it back."""

    def __init__(self, handler: logging.Handler, level: int) -> None:
        self.handler = handler
        self.level = level
        self.excepthook = sys.excepthook
        self.threading_excepthook = threading.excepthook


_installed: _Installed | None = None


def start_logging(data_dir: Path, what: str, *, max_bytes: int = MAX_BYTES,
                  backups: int = BACKUPS) -> Path | None:
    """Log to the profile's file from now on, and note the start with the versions. `what`
    names the run ("gui", "sync", ...). Returns the file, or None when the folder cannot be
    written (a full or read-only disk must not stop the app from starting)."""
    stop_logging()
    global _installed
    path = log_dir(data_dir) / LOG_NAME
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            path, maxBytes=max_bytes, backupCount=backups, encoding="utf-8")
    except OSError:
        return None
    handler.setFormatter(logging.Formatter(FORMAT))
    handler.addFilter(Redactor())
    # Alembic lists its plugins and dialect choices at every migration: noise to an IT officer,
    # who still sees each upgrade step (from alembic.runtime.migration).
    handler.addFilter(_NotAlembicChatter())
    root = logging.getLogger()
    _installed = _Installed(handler, root.level)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    sys.excepthook = _log_uncaught(sys.excepthook)
    threading.excepthook = _log_uncaught_in_thread(threading.excepthook)
    from fieldkit import __version__

    logger.info("FieldKit %s started (%s): %s", __version__, what, system_summary())
    return path


class _NotAlembicChatter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "alembic.runtime.plugins" or (
            record.name == "alembic.runtime.migration" and record.levelno == logging.INFO
            and not record.getMessage().startswith("Running upgrade")))


def stop_logging() -> None:
    """Let go of the file and put back what `start_logging` changed (tests start and stop
    it many times in one process)."""
    global _installed
    if _installed is None:
        return
    root = logging.getLogger()
    root.removeHandler(_installed.handler)
    _installed.handler.close()
    root.setLevel(_installed.level)
    sys.excepthook = _installed.excepthook
    threading.excepthook = _installed.threading_excepthook
    _installed = None


def flush_log() -> None:
    if _installed is not None:
        _installed.handler.flush()


def _log_uncaught(previous: Callable[..., Any]) -> Callable[..., Any]:
    def hook(kind: type[BaseException], error: BaseException,
             tb: TracebackType | None) -> None:
        logger.critical("uncaught exception", exc_info=(kind, error, tb))
        previous(kind, error, tb)

    return hook


def _log_uncaught_in_thread(previous: Callable[..., Any]) -> Callable[..., Any]:
    def hook(args: threading.ExceptHookArgs) -> None:
        name = args.thread.name if args.thread is not None else "?"
        logger.critical("uncaught exception in thread %s", name,
                        exc_info=(args.exc_type, args.exc_value, args.exc_traceback))
        previous(args)

    return hook


def archive_logs(data_dir: Path, target: Path, header: str) -> Path:
    """One .zip of every log file plus `header` (versions, device id) for the IT officer.

    Each file is redacted once more on the way out, for lines an older version wrote. The
    archive is written beside `target` and renamed once complete, so a stick pulled out
    mid-write leaves no broken file under that name."""
    import zipfile

    flush_log()
    partial = target.with_name(target.name + ".part")
    try:
        with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_DEFLATED) as archive:
            archive.writestr(INFO_NAME, header)
            for path in log_files(data_dir):
                text = path.read_text(encoding="utf-8", errors="replace")
                archive.writestr(path.name, redact(text))
        partial.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            partial.unlink(missing_ok=True)
        raise
    logger.info("error log archived (%d log files) as %s", len(log_files(data_dir)),
                target.name)
    return target
