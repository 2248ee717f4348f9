"""Check that every compiled dependency can be installed on Windows from a ready-made wheel.

FieldKit is meant for ordinary Windows laptops, where nobody has a C compiler: a dependency
that publishes Linux wheels but no Windows one installs here and fails there. This script
walks FieldKit's requirements (with the server and bundle extras, markers evaluated as on
64-bit Windows), and asks PyPI for a win_amd64 wheel of each package that is compiled here,
at the version installed in this environment:

    pip download --only-binary=:all: --platform win_amd64 --python-version 3.11 --no-deps \
        -d TMP PACKAGE==VERSION

Packages only Windows needs (not installed here) are checked at the newest version their
requirement allows, which is what a Windows install would pick. Downloads go through pip's
cache, so a second run is quick. Exits non-zero naming each package without a wheel.

    .venv/bin/python scripts/check_windows_wheels.py
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from importlib import metadata

from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

PROJECT = "fieldkit"
EXTRAS = frozenset({"server", "bundle"})
PLATFORM = "win_amd64"


@dataclass(frozen=True)
class Wanted:
    name: str
    pin: str  # what pip is asked for: "name==version" or a requirement string
    why: str  # "compiled here" or "not installed here"


def windows_environment(python_version: str) -> dict[str, str]:
    """Marker variables of CPython `python_version` on 64-bit Windows."""
    return {"sys_platform": "win32", "platform_system": "Windows", "os_name": "nt",
            "platform_machine": "AMD64", "platform_release": "10", "platform_version": "10",
            "python_version": python_version, "python_full_version": f"{python_version}.0",
            "implementation_name": "cpython", "implementation_version": f"{python_version}.0",
            "platform_python_implementation": "CPython"}


def wanted_on_windows(python_version: str) -> list[Wanted]:
    """The packages of FieldKit's requirement tree on Windows that need a Windows wheel."""
    environment = windows_environment(python_version)
    extras_seen: dict[str, frozenset[str]] = {}
    missing: dict[str, Requirement] = {}
    queue: list[tuple[str, frozenset[str]]] = [(PROJECT, EXTRAS)]
    while queue:
        name, extras = queue.pop()
        key = canonicalize_name(name)
        if key in extras_seen and extras <= extras_seen[key]:
            continue
        extras_seen[key] = extras_seen.get(key, frozenset()) | extras
        for text in metadata.distribution(name).requires or []:
            requirement = Requirement(text)
            marker = requirement.marker
            if marker and not any(marker.evaluate({**environment, "extra": extra})
                                  for extra in (extras or {""})):
                continue
            try:
                metadata.distribution(requirement.name)
            except metadata.PackageNotFoundError:
                missing[canonicalize_name(requirement.name)] = requirement
                continue
            queue.append((requirement.name, frozenset(requirement.extras)))
    found = [Wanted(key, f"{key}=={metadata.version(key)}", "compiled here")
             for key in sorted(extras_seen) if key != PROJECT and compiled(key)]
    found += [Wanted(key, f"{key}{requirement.specifier}", "not installed here")
              for key, requirement in sorted(missing.items())]
    return found


def compiled(name: str) -> bool:
    """True when the installed wheel was built for this platform (a tag other than *-none-any)."""
    wheel = metadata.distribution(name).read_text("WHEEL") or ""
    tags = [line.split(":", 1)[1].strip() for line in wheel.splitlines()
            if line.startswith("Tag:")]
    return any(not tag.endswith("-none-any") for tag in tags)


def has_windows_wheel(wanted: Wanted, python_version: str, folder: str) -> str | None:
    """None when pip finds a Windows wheel for `wanted`, else pip's last words."""
    done = subprocess.run(
        [sys.executable, "-m", "pip", "download", "--only-binary=:all:", "--platform", PLATFORM,
         "--python-version", python_version, "--no-deps", "--disable-pip-version-check",
         "--quiet", "-d", folder, wanted.pin],
        capture_output=True, text=True)
    if done.returncode == 0:
        return None
    lines = [line for line in done.stderr.splitlines() if line.strip()]
    return lines[-1] if lines else f"pip exited with {done.returncode}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--python-version", default="3.11",
                        help="the Python of the Windows laptops (default: 3.11)")
    args = parser.parse_args()
    wanted = wanted_on_windows(args.python_version)
    with tempfile.TemporaryDirectory(prefix="fieldkit-windows-wheels-") as folder, \
            ThreadPoolExecutor(max_workers=4) as pool:
        problems = list(pool.map(
            lambda item: has_windows_wheel(item, args.python_version, folder), wanted))
    failed = 0
    for item, problem in zip(wanted, problems, strict=True):
        if problem is None:
            print(f"ok       {item.pin} ({item.why})")
        else:
            failed += 1
            print(f"MISSING  {item.pin} ({item.why}): no {PLATFORM} wheel for Python "
                  f"{args.python_version} on PyPI; a Windows install would have to compile "
                  f"it. pip said: {problem}", file=sys.stderr)
    if failed:
        print(f"{failed} of {len(wanted)} packages have no Windows wheel", file=sys.stderr)
        return 1
    print(f"all {len(wanted)} packages have a {PLATFORM} wheel for Python {args.python_version}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
