"""The domain stays free of the GUI toolkit: only `fieldkit.ui` may import PySide6.

The commune server and the sync code reuse `fieldkit.core`, and the CLI must start without
loading Qt before it needs it. A static check names the offending file and line; a dynamic
check catches imports hidden behind other modules.
"""

import ast
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "fieldkit"
UI = SRC / "ui"
GUI_PACKAGE = "PySide6"


def gui_imports(source: str) -> list[tuple[int, str]]:
    """(line, statement) of every import of the GUI toolkit in `source`, however nested."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names = [node.module]
        else:
            continue
        if any(n == GUI_PACKAGE or n.startswith(GUI_PACKAGE + ".") for n in names):
            found.append((node.lineno, ast.unparse(node)))
    return found


def checked_files() -> list[Path]:
    roots = [SRC] + [d for d in (ROOT / "sync",) if d.is_dir()]
    files = [f for root in roots for f in sorted(root.rglob("*.py"))]
    return [f for f in files if UI not in f.parents]


def test_the_checker_finds_toolkit_imports_wherever_they_hide():
    source = textwrap.dedent("""
        import os
        from fieldkit import ui
        import fieldkit.ui.app
        from PySide6.QtCore import QTimer

        def later():
            import PySide6.QtWidgets as widgets
            from PySide6 import QtGui
            return widgets, QtGui
        import PySide6xyz
    """)
    assert [line for line, _ in gui_imports(source)] == [5, 8, 9]


def test_no_toolkit_import_outside_the_ui_package():
    files = checked_files()
    assert SRC / "cli.py" in files and SRC / "core" / "store.py" in files
    offenders = [
        f"{path.relative_to(ROOT)}:{line}: {statement}"
        for path in files
        for line, statement in gui_imports(path.read_text(encoding="utf-8"))
    ]
    assert offenders == [], "PySide6 imported outside src/fieldkit/ui/:\n" + "\n".join(offenders)


IMPORT_EVERYTHING = textwrap.dedent("""
    import importlib
    import pkgutil
    import sys

    import fieldkit.core

    imported = []
    for info in pkgutil.walk_packages(fieldkit.core.__path__, "fieldkit.core."):
        if info.name.startswith("fieldkit.core.migrations"):
            continue
        importlib.import_module(info.name)
        imported.append(info.name)
    import fieldkit.cli

    imported.append("fieldkit.cli")
    print("\\n".join(imported))
    leaked = sorted(m for m in sys.modules if m == "PySide6" or m.startswith("PySide6."))
    print("LEAKED " + " ".join(leaked))
""")


@pytest.mark.slow
def test_importing_core_and_cli_loads_no_toolkit():
    result = subprocess.run([sys.executable, "-c", IMPORT_EVERYTHING], capture_output=True,
                            text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    imported = set(lines[:-1])
    assert {"fieldkit.core.store", "fieldkit.core.people", "fieldkit.core.consent",
            "fieldkit.cli"} <= imported
    assert lines[-1].startswith("LEAKED")
    assert lines[-1].split()[1:] == [], f"PySide6 loaded by core or cli: {lines[-1]}"


def module_imports(source: str) -> set[str]:
    """Top-level package names `source` imports (absolute imports only)."""
    names: set[str] = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
    return names


# Core is shared by the laptop and the server: no network client, no web framework in it.
CORE_FORBIDDEN = ("requests", "fastapi", "uvicorn", "starlette", "fieldkit.sync_client",
                  "fieldkit.ui", "fieldkit_server")
# The server never reaches into the laptop's GUI or its sync client.
SERVER_FORBIDDEN = ("fieldkit.ui", "fieldkit.sync_client", "PySide6")


def forbidden_imports(root: Path, forbidden: tuple[str, ...]) -> list[str]:
    return [
        f"{path.relative_to(root)}: {name}"
        for path in sorted(root.rglob("*.py"))
        for name in sorted(module_imports(path.read_text(encoding="utf-8")))
        if any(name == f or name.startswith(f + ".") for f in forbidden)
    ]


def test_core_imports_no_network_web_or_gui_code():
    assert forbidden_imports(SRC / "core", CORE_FORBIDDEN) == []


def test_the_server_imports_no_laptop_gui_or_client_code():
    server = ROOT / "sync" / "fieldkit_server"
    assert (server / "tables.py").exists()
    assert forbidden_imports(server, SERVER_FORBIDDEN) == []


def test_the_layer_checker_sees_nested_imports(tmp_path: Path):
    module = tmp_path / "sample.py"
    module.write_text("def f():\n    import requests.adapters\n", encoding="utf-8")
    assert forbidden_imports(tmp_path, ("requests",)) == ["sample.py: requests.adapters"]
    assert forbidden_imports(tmp_path, ("request",)) == []  # whole names, not prefixes
