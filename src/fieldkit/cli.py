"""Command line: `fieldkit` starts the GUI; flags for scripts, tests and benchmarks.

Kept light: nothing heavy is imported before the first window has painted.
"""

import argparse
import os
import sys
from pathlib import Path

from fieldkit import __version__


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="fieldkit",
        description="FieldKit: hỗ trợ người dân VNeID và thủ tục hành chính, không cần mạng.",
    )
    parser.add_argument("--version", action="version", version=f"FieldKit {__version__}")
    parser.add_argument("--data-dir", type=Path, default=None,
                        help="where the encrypted store lives (default: the user data folder)")
    parser.add_argument(
        "--smoke-test", nargs="?", const="full", choices=("full", "first-paint"), default=None,
        help="open the store, render the main window offscreen, print timings and exit; "
             "'first-paint' exits once the first window has painted",
    )
    parser.add_argument("--lang", choices=("vi", "en"), default=None,
                        help="interface language (default: the saved setting, Vietnamese)")
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    from fieldkit.core.paths import default_data_dir

    data_dir = args.data_dir or default_data_dir()
    if args.smoke_test == "full":
        os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from fieldkit.ui.app import run_gui

    return run_gui(data_dir, smoke=args.smoke_test, language=args.lang, argv=sys.argv[:1])
