"""Folders of data files (procedure forms, guides), one JSON file each, loaded file by file:
one bad or badly synced file must not take the others away from the volunteer."""

from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
E = TypeVar("E", bound=Exception)


def load_each(directory: Path | str, load: Callable[[Path], T],
              refusal: type[E]) -> tuple[list[T], list[E]]:
    """Everything that loads from `directory/*.json` in file-name order, and the refusals."""
    loaded: list[T] = []
    refused: list[E] = []
    for path in sorted(Path(directory).glob("*.json")):
        try:
            loaded.append(load(path))
        except refusal as exc:
            refused.append(exc)
    return loaded, refused
