"""Install FieldKit the way a user does, from a built wheel, and check that it works.

`make test` runs the code from the checkout (an editable install), so it cannot notice a file
the wheel forgot: a form, a translation, a server template. This script builds the wheel,
installs it with the server extra into a fresh virtual environment in a temporary folder,
and from a working directory outside the checkout runs:

- the laptop's smoke test, creating a store and then unlocking it, and the demo sandbox;
- `fieldkit forms check` and `fieldkit guides check` on the shipped definitions, each of
  which must list every file of the repository's forms/ and resources/guides/;
- `fieldkit-server serve` on a free port: /api/v1/ping refuses a request without a token
  (401) and the login page answers 200;
- the server app imported and serving requests in one interpreter without loading Qt.

Dependencies come from pip's cache after the first run, so a run takes a minute or two.

    .venv/bin/python scripts/check_wheel.py [--keep]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PASSPHRASE = "wheel-check-passphrase"
# What a fresh checkout does not have. The wheel is built from a clean copy because setuptools
# reuses build/, where a file from an earlier build would hide one the package data misses.
NOT_SOURCES = shutil.ignore_patterns(".git", ".venv", "build", "dist", "*.egg-info",
                                     "__pycache__", ".*_cache", ".hypothesis", ".data")
# Generous bounds for a loaded machine; they only turn a hang into a failure.
SERVER_START_TIMEOUT_S = 60.0
COMMAND_TIMEOUT_S = 300.0
# Run by the installed interpreter: the commune server's app serves real requests in-process,
# then nothing of Qt may have been imported (the server runs where Qt's libraries are absent).
QT_FREE_SERVER = """
import json, socket, sys, threading, time, urllib.error, urllib.request
import uvicorn
from fieldkit_server.app import create_app

sock = socket.socket()
sock.bind(("127.0.0.1", 0))
port = sock.getsockname()[1]
server = uvicorn.Server(uvicorn.Config(create_app(sys.argv[1]), log_level="warning"))
thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
thread.start()
deadline = time.monotonic() + 60
while not server.started:
    if not thread.is_alive() or time.monotonic() > deadline:
        sys.exit("the server app did not start")
    time.sleep(0.05)
statuses = []
for path in ("/api/v1/ping", "/login"):
    try:
        statuses.append(urllib.request.urlopen(f"http://127.0.0.1:{port}{path}").status)
    except urllib.error.HTTPError as exc:
        statuses.append(exc.code)
server.should_exit = True
thread.join(30)
qt = sorted(name for name in sys.modules if name.split(".")[0] in ("PySide6", "shiboken6"))
print(json.dumps({"statuses": statuses, "qt": qt}))
"""
# Also run by the installed interpreter: where the shipped files were found.
SHIPPED_PATHS = """
import json
from fieldkit.core.paths import forms_dir, guides_dir, resources_dir
print(json.dumps({"forms": str(forms_dir()), "guides": str(guides_dir()),
                  "translation": str(resources_dir() / "i18n" / "fieldkit_en.qm"),
                  "stylesheet": str(resources_dir() / "styles" / "fieldkit.qss")}))
"""


class CheckFailed(Exception):
    pass


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--keep", action="store_true",
                        help="keep the temporary folder (wheel, environment, data) for a look")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="fieldkit-wheel-check-"))
    started = time.monotonic()
    try:
        run_checks(scratch)
    except CheckFailed as exc:
        print(f"wheel check FAILED: {exc}", file=sys.stderr)
        print(f"(files kept in {scratch})", file=sys.stderr)
        return 1
    if args.keep:
        print(f"files kept in {scratch}")
    else:
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"wheel check passed in {time.monotonic() - started:.0f} s")
    return 0


def run_checks(scratch: Path) -> None:
    wheel = step("build the wheel", lambda: build_wheel(scratch / "wheelhouse"))
    venv = scratch / "venv"
    bin_dir = venv / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / "python"
    step("create a fresh environment",
         lambda: run([sys.executable, "-m", "venv", str(venv)], cwd=scratch))
    step("install the wheel with the server extra",
         lambda: run([str(python), "-m", "pip", "install", "--quiet",
                      "--disable-pip-version-check", f"{wheel}[server]"], cwd=scratch))
    work = scratch / "elsewhere"  # neither the checkout nor the environment
    work.mkdir()
    fieldkit, server = str(bin_dir / "fieldkit"), str(bin_dir / "fieldkit-server")
    step("shipped files are found inside the environment",
         lambda: check_shipped_paths(python, venv, work))
    laptop = {"FIELDKIT_PASSPHRASE": PASSPHRASE, "QT_QPA_PLATFORM": "offscreen"}
    for stage in ("create", "unlock"):
        step(f"laptop smoke test ({stage} the store)",
             lambda: run([fieldkit, "--smoke-test", "--data-dir", str(scratch / "laptop")],
                         cwd=work, env=laptop, expect="smoke test passed"))
    for stage in ("seed", "open"):
        step(f"demo smoke test ({stage} the sandbox)",
             lambda: run([fieldkit, "--demo", "--smoke-test", "--data-dir",
                          str(scratch / "demo")], cwd=work, env={"QT_QPA_PLATFORM": "offscreen"},
                         expect="smoke test passed"))
    step("fieldkit forms check lists every shipped form",
         lambda: check_lists_all([fieldkit, "forms", "check"], ROOT / "forms", work))
    step("fieldkit guides check lists every shipped guide",
         lambda: check_lists_all([fieldkit, "guides", "check"], ROOT / "resources" / "guides",
                                 work))
    step("fieldkit-server serve answers ping and the login page",
         lambda: check_serve(server, scratch / "server.db", work))
    step("the server app serves requests without importing Qt",
         lambda: check_qt_free(python, scratch / "qt-free.db", work))


def step(title: str, action):
    started = time.monotonic()
    print(f"- {title} ...", flush=True)
    result = action()
    print(f"  ok ({time.monotonic() - started:.1f} s)", flush=True)
    return result


def run(command: list[str], cwd: Path, env: dict[str, str] | None = None,
        expect: str | None = None) -> str:
    """Run `command`; its output when it succeeds (and prints `expect`), else CheckFailed."""
    try:
        done = subprocess.run(command, cwd=cwd, env={**os.environ, **(env or {})},
                              capture_output=True, text=True, encoding="utf-8",
                              errors="replace", timeout=COMMAND_TIMEOUT_S)
    except subprocess.TimeoutExpired as exc:
        raise CheckFailed(f"{' '.join(command)} did not finish in {exc.timeout:.0f} s") from None
    if done.returncode != 0 or (expect is not None and expect not in done.stdout):
        raise CheckFailed(f"{' '.join(command)} exited with {done.returncode}\n"
                          f"{done.stdout}{done.stderr}")
    return done.stdout


def build_wheel(wheelhouse: Path) -> Path:
    sources = wheelhouse.parent / "source"
    shutil.copytree(ROOT, sources, ignore=NOT_SOURCES)
    run([sys.executable, "-m", "pip", "wheel", str(sources), "--no-deps", "--quiet",
         "--disable-pip-version-check", "-w", str(wheelhouse)], cwd=wheelhouse.parent)
    wheels = sorted(wheelhouse.glob("fieldkit-*.whl"))
    if len(wheels) != 1:
        raise CheckFailed(f"expected one wheel in {wheelhouse}, found {wheels}")
    return wheels[0]


def check_shipped_paths(python: Path, venv: Path, work: Path) -> None:
    """The installed package must read its own copies, never the checkout's."""
    found = json.loads(run([str(python), "-c", SHIPPED_PATHS], cwd=work))
    for name, location in found.items():
        path = Path(location)
        if not path.exists():
            raise CheckFailed(f"the installed package has no {name}: {path} is missing")
        if not path.resolve().is_relative_to(venv.resolve()):
            raise CheckFailed(f"the installed package reads its {name} from {path}, outside "
                              f"the environment {venv}")


def check_lists_all(command: list[str], source: Path, work: Path) -> None:
    output = run(command, cwd=work)
    listed = {line.split(" ", 1)[0] for line in output.splitlines()}
    missing = sorted(path.stem for path in source.glob("*.json") if path.stem not in listed)
    if missing:
        raise CheckFailed(f"{' '.join(command)} did not list {', '.join(missing)}:\n{output}")


def check_serve(server: str, db_file: Path, work: Path) -> None:
    with socket.socket() as probe:  # a free port, closed again for the server to take
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = work / "server.log"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [server, "serve", "--db", f"sqlite:///{db_file}", "--port", str(port)],
            cwd=work, stdout=output, stderr=subprocess.STDOUT)
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + SERVER_START_TIMEOUT_S
        while (status := http_status(base + "/api/v1/ping")) is None:
            if process.poll() is not None or time.monotonic() > deadline:
                raise CheckFailed("fieldkit-server serve did not start:\n"
                                  + log.read_text(encoding="utf-8", errors="replace"))
            time.sleep(0.2)
        if status != 401:
            raise CheckFailed(f"GET /api/v1/ping without a token answered {status}, not 401")
        if (status := http_status(base + "/login")) != 200:
            raise CheckFailed(f"GET /login answered {status}, not 200")
    finally:
        process.terminate()
        process.wait(30)


def http_status(url: str) -> int | None:
    """The status `url` answers with; None while nothing listens there yet."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except (urllib.error.URLError, ConnectionError):
        return None


def check_qt_free(python: Path, db_file: Path, work: Path) -> None:
    found = json.loads(run([str(python), "-c", QT_FREE_SERVER, f"sqlite:///{db_file}"],
                           cwd=work).splitlines()[-1])
    if found["statuses"] != [401, 200]:
        raise CheckFailed(f"ping and login answered {found['statuses']}, not [401, 200]")
    if found["qt"]:
        raise CheckFailed(f"the server imported Qt: {', '.join(found['qt'])}")


if __name__ == "__main__":
    sys.exit(main())
