"""Folders of data files (procedure forms, guides), one JSON file each, loaded file by file:
one bad or badly synced file must not take the others away from the volunteer.

The shipped files sit beside the app; those published by the commune arrive by sync into the
profile's `definitions/` folder, named `<id>@<version>.json` so that several versions coexist
(a draft keeps the version it was started on).
"""

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

T = TypeVar("T")
E = TypeVar("E", bound=Exception)


def load_each(directories: Path | str | Iterable[Path | str], load: Callable[[Path], T],
              refusal: type[E]) -> tuple[list[T], list[E]]:
    """Everything that loads from each directory's `*.json`, directory by directory in file
    name order, and the refusals; a directory that does not exist (nothing synced yet) is
    simply empty."""
    if isinstance(directories, Path | str):
        directories = [directories]
    loaded: list[T] = []
    refused: list[E] = []
    for directory in directories:
        for path in sorted(Path(directory).glob("*.json")):
            try:
                loaded.append(load(path))
            except refusal as exc:
                refused.append(exc)
    return loaded, refused


def version_key(version: str) -> tuple[tuple[int, int | str], ...]:
    """"2026.10" is newer than "2026.9": numeric parts compare as numbers."""
    return tuple((0, int(part)) if part.isdigit() else (1, part)
                 for part in version.replace("-", ".").split("."))
