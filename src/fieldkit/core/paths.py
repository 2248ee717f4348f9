"""Where a profile keeps its files.

Kept free of heavy imports: the GUI asks "is there a store yet?" before its first paint, long
before SQLAlchemy is loaded.
"""

import os
from pathlib import Path

DB_NAME = "fieldkit.db"
KEY_NAME = "fieldkit.key.json"
SETTINGS_NAME = "settings.json"


def default_data_dir() -> Path:
    """The per-user data directory; `FIELDKIT_DATA_DIR` overrides it for scripts and tests."""
    override = os.environ.get("FIELDKIT_DATA_DIR")
    if override:
        return Path(override)
    from platformdirs import user_data_dir

    return Path(user_data_dir("FieldKit", "FieldKit"))


def db_path(data_dir: Path) -> Path:
    return data_dir / DB_NAME


def key_path(data_dir: Path) -> Path:
    return data_dir / KEY_NAME


def store_exists(data_dir: Path) -> bool:
    """True once setup has finished: both the encrypted file and its key parameters are there."""
    return db_path(data_dir).exists() and key_path(data_dir).exists()


def resources_dir() -> Path:
    """The stylesheet, translations and guides (`resources/` of the repository)."""
    return _shipped("resources")


def forms_dir() -> Path:
    """The shipped procedure forms (`forms/` of the repository)."""
    return _shipped("forms")


def guides_dir() -> Path:
    """The shipped step-by-step guides."""
    return resources_dir() / "guides"


def synced_definitions(data_dir: Path, kind: str) -> Path:
    """Where definitions published by the commune land after a sync (`kind`: "forms" or
    "guides"), inside the profile so each profile (and the demo sandbox) has its own."""
    return data_dir / "definitions" / kind


def _shipped(folder: str) -> Path:
    """`folder` inside the package, where a wheel (see setup.py) and the PyInstaller bundle
    (build.spec) put it; else at the top of the source checkout, which an editable install
    reads in place."""
    package = Path(__file__).resolve().parents[1]
    installed = package / "shipped" / folder
    if installed.is_dir():
        return installed
    return package.parents[1] / folder
