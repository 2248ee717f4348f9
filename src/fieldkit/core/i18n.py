"""English for the messages core produces (validation, forms, guides, sync reasons).

Vietnamese is the source language: every message is written in Vietnamese where it is made,
wrapped in `tr(...)`, and looked up in plain JSON catalogues {"<vietnamese>": "<english>"} when
the language is English. The laptop sets the language once for the process; the commune
server sets it per request (a ContextVar, so concurrent requests do not see each other's).
A missing translation falls back to the Vietnamese rather than raising: a volunteer should
never lose a message to a gap in the catalogue (tests catch the gaps instead).
"""

import json
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from pathlib import Path

LANGUAGES = ("vi", "en")
SOURCE_LANGUAGE = "vi"
CORE_CATALOGUE = Path(__file__).with_name("i18n_en.json")

_default = SOURCE_LANGUAGE
_current: ContextVar[str | None] = ContextVar("fieldkit_language", default=None)
_catalogue_files: list[Path] = [CORE_CATALOGUE]
_english: dict[str, str] | None = None


def _checked(code: str) -> str:
    if code not in LANGUAGES:
        raise ValueError(f"unknown language {code!r}; expected one of {LANGUAGES}")
    return code


def set_language(code: str) -> None:
    """The process default, used wherever no `language(...)` block is active."""
    global _default
    _default = _checked(code)


def current_language() -> str:
    return _current.get() or _default


@contextmanager
def language(code: str) -> Iterator[None]:
    """Messages made inside the block are in `code`; the previous language comes back after."""
    token = _current.set(_checked(code))
    try:
        yield
    finally:
        _current.reset(token)


def add_catalogue(path: Path) -> None:
    """Merge another part's English catalogue (e.g. the server's web pages) into the lookup,
    so each part keeps its own file."""
    global _english
    path = Path(path)
    if path not in _catalogue_files:
        _catalogue_files.append(path)
        _english = None


def english_catalogue() -> dict[str, str]:
    """Every English entry from every registered catalogue, read once."""
    global _english
    if _english is None:
        merged: dict[str, str] = {}
        for path in _catalogue_files:
            if path.exists():
                merged.update(json.loads(path.read_text(encoding="utf-8")))
        _english = merged
    return _english


def tr(text: str) -> str:
    """`text` (the Vietnamese source, possibly a str.format template) in the current language."""
    if current_language() == SOURCE_LANGUAGE:
        return text
    return english_catalogue().get(text) or text
