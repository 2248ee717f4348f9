"""The command lines' output streams, able to carry Vietnamese wherever they point.

On Windows, output redirected to a file or a pipe (and older consoles) uses the legacy code
page, which has no Vietnamese letters: the first message with "ủ" would end the command with
a UnicodeEncodeError instead of saying what happened. UTF-8 is what a log file, PowerShell and
every later Windows console read, so both commands switch to it before printing anything.
"""

import sys


def use_utf8_output() -> None:
    """Make stdout and stderr write UTF-8 (those that exist: a windowed Windows build has
    neither)."""
    for stream in (sys.stdout, sys.stderr):
        encoding = (getattr(stream, "encoding", None) or "").replace("-", "").lower()
        if stream is not None and encoding != "utf8" and hasattr(stream, "reconfigure"):
            stream.reconfigure(encoding="utf-8")
