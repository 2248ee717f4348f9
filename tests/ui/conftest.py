"""Fixtures for widget tests: a real encrypted store and the real main window, offscreen."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.core.communes import communes_of, provinces
from fieldkit.core.households import add_village
from fieldkit.core.profile import Profile, load_profile, set_up_profile
from fieldkit.core.settings import Settings
from fieldkit.core.store import Store

PASSPHRASE = "passphrase-for-ui-tests"
VILLAGE = "Bản Phiêng Luông"


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def store(data_dir: Path) -> Iterator[Store]:
    opened = Store.create(data_dir, PASSPHRASE)
    code = communes_of(provinces()[0][0])[0].code
    profile = set_up_profile(opened, "Lò Thị Linh", "0912345678", code)
    with opened.write() as session:
        add_village(session, profile.commune_id, VILLAGE, kind="ban")
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def profile(store: Store) -> Profile:
    loaded = load_profile(store)
    assert loaded is not None
    return loaded


@pytest.fixture
def main_window(qtbot, store: Store, profile: Profile, data_dir: Path):
    from fieldkit.ui.main_window import MainWindow

    window = MainWindow(store, profile, data_dir, Settings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window
