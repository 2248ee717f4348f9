"""Fixtures for widget tests: the real main window, offscreen, over the shared store fixture."""

import os

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.core.profile import Profile
from fieldkit.core.settings import Settings
from fieldkit.core.store import Store


@pytest.fixture
def main_window(qtbot, store: Store, profile: Profile, data_dir: Path):
    from fieldkit.ui.main_window import MainWindow

    window = MainWindow(store, profile, data_dir, Settings())
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    return window


@pytest.fixture
def open_dialog(qtbot, store: Store, profile: Profile):
    """Opens the details dialog of an existing member, as double-clicking the member does."""
    from fieldkit.ui.person_dialog import PersonDialog

    def open_for(person_id: str) -> PersonDialog:
        dialog = PersonDialog(store, profile, person_id=person_id)
        qtbot.addWidget(dialog)
        dialog.show()
        qtbot.waitExposed(dialog)
        assert dialog.person_form is not None
        return dialog

    return open_for


@pytest.fixture
def english(qapp) -> Iterator[None]:
    """English as the app sets it at start-up (Qt translator and core's language), undone
    after so the other tests keep their Vietnamese."""
    from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

    from fieldkit.core.i18n import set_language
    from fieldkit.ui.app import install_translator

    locale = QLocale()
    before = set(qapp.findChildren(QTranslator))
    install_translator(qapp, "en")
    set_language("en")
    yield
    set_language("vi")
    for translator in set(qapp.findChildren(QTranslator)) - before:
        QCoreApplication.removeTranslator(translator)
        translator.setParent(None)
        translator.deleteLater()
    QLocale.setDefault(locale)
