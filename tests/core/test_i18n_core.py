"""English for the messages core and the server's API make: every `tr("...")` has an entry,
the entries keep their placeholders, and switching the language switches the words."""

import ast
import json
import re
import string
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from fieldkit.core.cccd import validate_id_number
from fieldkit.core.dates import parse_vn_date
from fieldkit.core.errors import FieldError
from fieldkit.core.forms.answers import evaluate_answers
from fieldkit.core.forms.definition import load_form
from fieldkit.core.i18n import (
    CORE_CATALOGUE,
    current_language,
    english_catalogue,
    language,
    set_language,
    tr,
)
from fieldkit.core.people import clean_person_value
from fieldkit.core.phone import validate_phone
from fieldkit.core.secret_notes import find_secrets

ROOT = Path(__file__).resolve().parents[2]
# The server's web pages keep their own catalogue (registered with add_catalogue).
SOURCES = [*sorted((ROOT / "src" / "fieldkit").rglob("*.py")),
           *sorted(p for p in (ROOT / "sync" / "fieldkit_server").rglob("*.py")
                   if "web" not in p.relative_to(ROOT / "sync" / "fieldkit_server").parts)]
VIETNAMESE_ONLY = re.compile("[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]",
                             re.IGNORECASE)


def _module_constants(tree: ast.Module) -> dict[str, str]:
    """`NAME = "..."` at module level: a message kept as a constant and wrapped as tr(NAME)."""
    found = {}
    for node in tree.body:
        if (isinstance(node, ast.Assign) and len(node.targets) == 1
                and isinstance(node.targets[0], ast.Name)
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)):
            found[node.targets[0].id] = node.value.value
    return found


def tr_sources() -> Iterator[tuple[str, int, str]]:
    """(file, line, Vietnamese source) of every `tr("...")` or `tr(CONSTANT)` call; the UI's
    `self.tr(...)` (Qt's translator) is an attribute call and is not counted."""
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        constants = _module_constants(tree)
        for node in ast.walk(tree):
            if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
                    and node.func.id == "tr" and node.args):
                continue
            argument = node.args[0]
            where = str(path.relative_to(ROOT))
            if isinstance(argument, ast.Constant) and isinstance(argument.value, str):
                yield where, node.lineno, argument.value
            elif isinstance(argument, ast.Name) and argument.id in constants:
                yield where, node.lineno, constants[argument.id]


def _placeholders(text: str) -> list[str]:
    return sorted(name for _, name, _, _ in string.Formatter().parse(text) if name is not None)


@pytest.fixture
def english() -> Iterator[None]:
    with language("en"):
        yield


def test_the_scan_finds_the_messages_it_must_cover() -> None:
    """Guards the scan itself: a scan finding nothing would let every other check pass."""
    found = {source for _, _, source in tr_sources()}
    assert "Hãy nhập họ và tên." in found  # a literal in core
    assert any(source.startswith("Máy chủ không nhận máy này") for source in found)  # tr(NAME)
    assert len(found) > 150


def test_every_core_message_has_english() -> None:
    catalogue = json.loads(CORE_CATALOGUE.read_text(encoding="utf-8"))
    missing = sorted({f"{where}:{line}: {source!r}" for where, line, source in tr_sources()
                      if not catalogue.get(source, "").strip()})
    assert not missing, "add English to src/fieldkit/core/i18n_en.json for:\n" + "\n".join(
        missing)


def test_english_keeps_the_placeholders_and_drops_the_vietnamese() -> None:
    catalogue = json.loads(CORE_CATALOGUE.read_text(encoding="utf-8"))
    wrong = [f"{source!r} -> {english!r}" for source, english in catalogue.items()
             if _placeholders(source) != _placeholders(english)
             or VIETNAMESE_ONLY.search(english)]
    assert not wrong, "\n".join(wrong)


def test_the_catalogue_holds_only_messages_still_in_use() -> None:
    used = {source for _, _, source in tr_sources()}
    stale = sorted(set(json.loads(CORE_CATALOGUE.read_text(encoding="utf-8"))) - used)
    assert not stale, "remove from src/fieldkit/core/i18n_en.json:\n" + "\n".join(stale)


def test_vietnamese_is_the_default_and_unchanged() -> None:
    assert current_language() == "vi"
    assert validate_phone("024 3825 1234") == [
        "Số 02438251234 là số máy bàn (cố định), không phải số di động. "
        "VNeID cần số di động để nhận mã OTP qua tin nhắn."]


def test_validation_speaks_english_with_its_values_filled_in(english: None) -> None:
    assert validate_phone("024 3825 1234") == [
        "02438251234 is a landline number, not a mobile. VNeID needs a mobile number to "
        "receive the OTP by text message."]
    with pytest.raises(ValueError) as bad_date:
        parse_vn_date("31/02/1990")
    assert str(bad_date.value) == ("Day 31 in '31/02/1990' does not exist: month 2/1990 has "
                                   "only 28 days.")
    problems = validate_id_number("001234567890", date(1990, 1, 1), "female")
    assert problems and not any(VIETNAMESE_ONLY.search(p) for p in problems)
    with pytest.raises(FieldError) as no_name:
        clean_person_value("full_name", "  ")
    assert no_name.value.messages == ["Enter the full name."]
    assert find_secrets("mã OTP là 482913")[0].startswith("This looks like an OTP")


def test_a_language_block_ends_where_it_ends() -> None:
    with language("en"):
        assert tr("Hãy nhập họ và tên.") == "Enter the full name."
    assert tr("Hãy nhập họ và tên.") == "Hãy nhập họ và tên."
    set_language("en")
    try:
        with language("vi"):
            assert tr("Hãy nhập họ và tên.") == "Hãy nhập họ và tên."
        assert tr("Hãy nhập họ và tên.") == "Enter the full name."
    finally:
        set_language("vi")


def test_a_missing_translation_shows_the_vietnamese(english: None) -> None:
    assert "Một câu chưa dịch." not in english_catalogue()
    assert tr("Một câu chưa dịch.") == "Một câu chưa dịch."


def test_form_problems_follow_the_language(english: None) -> None:
    form = load_form(ROOT / "forms" / "birth_registration.json")
    problems = evaluate_answers(form, {}, date(2026, 1, 1)).problems
    assert problems
    shown = [p.message for p in problems]
    assert not [m for m in shown if VIETNAMESE_ONLY.search(m)], shown
    assert any(m == "“Requester's full name” is required." for m in shown), shown
