"""Translations: the UI's sources are Vietnamese, English comes from resources/i18n/fieldkit_en.qm.

If a test here fails after you added or changed a `tr("...")` string, run `make i18n`, translate
the new messages in resources/i18n/fieldkit_en.ts, and run `make i18n` again to rebuild the .qm.
"""

import ast
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QLocale, QTranslator
from PySide6.QtWidgets import QApplication

from fieldkit.core.settings import Settings
from fieldkit.ui.app import install_translator

ROOT = Path(__file__).resolve().parents[2]
UI_SOURCES = ROOT / "src" / "fieldkit" / "ui"
TS_FILE = ROOT / "resources" / "i18n" / "fieldkit_en.ts"
PLACEHOLDER = re.compile(r"\{[A-Za-z_][A-Za-z0-9_]*\}")
MNEMONIC = re.compile(r"&(?!&)\S")  # "&File" has one; "&&" is a literal ampersand
HOW_TO_FIX = ("run `make i18n`, translate the new messages in resources/i18n/fieldkit_en.ts, "
              "then run `make i18n` again")


def _messages() -> list[tuple[str, str, ET.Element | None]]:
    """(context, source, translation element) for every message in the .ts file."""
    found = []
    for context in ET.parse(TS_FILE).getroot().iter("context"):
        name = context.findtext("name", default="")
        for message in context.iter("message"):
            found.append((name, message.findtext("source", default=""),
                          message.find("translation")))
    return found


def _tr_literals() -> Iterator[tuple[str, int, str]]:
    """(file, line, literal) for every `something.tr("literal")` call in the UI code."""
    for path in sorted(UI_SOURCES.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)
                    and node.func.attr == "tr" and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)):
                yield path.name, node.lineno, node.args[0].value


@pytest.fixture
def language(qapp) -> Iterator[Callable[[str], list[QTranslator]]]:
    """Installs a language the way the app does, and undoes it (translator and locale) after."""
    app = QApplication.instance()
    locale = QLocale()
    installed: list[QTranslator] = []

    def use(code: str) -> list[QTranslator]:
        before = set(app.findChildren(QTranslator))
        install_translator(app, code)
        new = [t for t in app.findChildren(QTranslator) if t not in before]
        installed.extend(new)
        return new

    yield use
    for translator in installed:
        QCoreApplication.removeTranslator(translator)
        translator.setParent(None)
        translator.deleteLater()
    QLocale.setDefault(locale)


def _main_window(qtbot, store, profile, data_dir):
    from fieldkit.ui.main_window import MainWindow

    window = MainWindow(store, profile, data_dir, Settings())
    qtbot.addWidget(window)
    return window


def _unlock_window(qtbot, data_dir):
    from fieldkit.ui.unlock_window import UnlockWindow

    window = UnlockWindow(data_dir, lambda: None)
    qtbot.addWidget(window)
    return window


def test_english_translator_translates_the_windows(qtbot, language, store, profile, data_dir):
    translators = language("en")
    assert translators and not translators[0].isEmpty(), \
        f"resources/i18n/fieldkit_en.qm did not load: {HOW_TO_FIX}"

    assert _unlock_window(qtbot, data_dir).button.text() == "Unlock"
    window = _main_window(qtbot, store, profile, data_dir)
    assert window.new_household_button.text() == "Register new household"
    assert window.menuBar().actions()[0].text() == "&File"
    # autosave.py translates through QCoreApplication.translate in context "AutoSaver".
    assert QCoreApplication.translate("AutoSaver", "Đã lưu lúc {time}") == "Saved at {time}"


def test_vietnamese_uses_the_source_strings(qtbot, language, store, profile, data_dir):
    assert language("vi") == [], "Vietnamese needs no translator"

    assert _unlock_window(qtbot, data_dir).button.text() == "Mở khóa"
    window = _main_window(qtbot, store, profile, data_dir)
    assert window.new_household_button.text() == "Đăng ký hộ mới"


def test_every_message_is_translated_with_its_placeholders():
    messages = _messages()
    assert messages, f"{TS_FILE} has no messages"
    problems = []
    for context, source, translation in messages:
        where = f"{context}: {source!r}"
        if translation is None or translation.get("type") in ("unfinished", "obsolete",
                                                               "vanished"):
            kind = "missing" if translation is None else translation.get("type")
            problems.append(f"{where} is {kind}")
            continue
        text = translation.text or ""
        if not text.strip():
            problems.append(f"{where} has an empty translation")
            continue
        if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(text)):
            problems.append(f"{where}: placeholders differ in {text!r}")
        if len(MNEMONIC.findall(source)) != len(MNEMONIC.findall(text)):
            problems.append(f"{where}: '&' shortcut missing or extra in {text!r}")
    assert not problems, f"{HOW_TO_FIX}:\n" + "\n".join(problems)


def test_every_tr_string_in_the_code_is_in_the_ts_file():
    sources = {source for _context, source, _translation in _messages()}
    literals = list(_tr_literals())
    assert literals, f"no tr() calls found under {UI_SOURCES}"
    missing = [f"{name}:{line}: {text!r}" for name, line, text in literals
               if text not in sources]
    assert not missing, f"strings not in {TS_FILE.name}; {HOW_TO_FIX}:\n" + "\n".join(missing)
