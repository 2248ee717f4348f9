"""What an XLSForm import found wrong or left out, said where the officer will look for it.

An officer fixing a workbook works in Excel, so each problem names the sheet, the row number
Excel shows (the header is row 1) and the column letter, and says how to fix it, in
Vietnamese and in English. A refusal lists every problem at once: fixing one, importing again
and meeting the next would cost an afternoon. Warnings are what the import left out or
changed on purpose (an ignored setting, a media column): the form imports, and the officer is
told.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol


def column_letter(index: int) -> str:
    """0 -> A, 25 -> Z, 26 -> AA: as Excel heads its columns."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


@dataclass(frozen=True)
class ImportProblem:
    sheet: str
    row: int | None
    column: str | None
    vi: str
    en: str

    def place(self, language: str) -> str:
        vi = language == "vi"
        parts = []
        if self.sheet:
            parts.append(f"trang '{self.sheet}'" if vi else f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"dòng {self.row}" if vi else f"row {self.row}")
        if self.column:
            parts.append(f"cột {self.column}" if vi else f"column {self.column}")
        return ", ".join(parts)

    def describe(self, language: str) -> str:
        text = self.vi if language == "vi" else self.en
        place = self.place(language)
        return f"{place}: {text}" if place else text


class Reporter(Protocol):
    """Where the parts of an import say what they found: problems refuse, warnings inform."""

    def refuse(self, sheet: str, row: int | None, column: str | None, vi: str,
               en: str) -> None: ...

    def warn(self, sheet: str, row: int | None, column: str | None, vi: str,
             en: str) -> None: ...


class FormImportError(ValueError):
    """A workbook that cannot become a definition, with every problem found in it."""

    def __init__(self, source: str, problems: list[ImportProblem],
                 warnings: list[ImportProblem] | None = None) -> None:
        self.source = source
        self.problems = problems
        self.warnings = warnings or []
        super().__init__(report(source, problems, "en"))


def report(source: str, problems: list[ImportProblem], language: str) -> str:
    """The refusal as the officer reads it: a heading, then one line per problem."""
    count = len(problems)
    if language == "vi":
        heading = f"{source}: không nhập được, {count} lỗi cần sửa"
    else:
        heading = f"{source}: not imported, {count} problem{'s' if count != 1 else ''} to fix"
    if count == 1 and not problems[0].sheet:
        return f"{source}: {problems[0].describe(language)}"
    return "\n".join([heading, *(f"  - {p.describe(language)}" for p in problems)])
