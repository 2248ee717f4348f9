"""A filled form as the officer reads it on paper: sections of (label, value) rows.

The record stores codes ("female", "2025-02-27", "1") because that is what the engine and the
server check; the printout shows what the family said ("Nữ", "27/02/2025", "Thành phố Hà
Nội"), so the officer at the one-stop-shop can compare it with the papers on the desk.

Fields hidden by `relevant` are left out exactly as the validator leaves them out: the
relevance is worked out by `forms.answers` itself, so a branch the volunteer never saw on
screen (the father's details when no father is declared) never reaches the paper either.
Notes (instructions to the volunteer) and calculations (no label, nothing the family said)
are not printed. Labels and titles that show earlier answers (`${name}`) are printed filled,
as the screen showed them, each with the answers of its own repeat entry. This module stays
free of Qt so the commune server could print the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from fieldkit.core.dates import format_vn_date
from fieldkit.core.forms.answers import evaluate_answers
from fieldkit.core.forms.definition import Field, FormDefinition, Group, Node, Repeat
from fieldkit.core.forms.piping import fill

_UNPRINTED_TYPES = frozenset({"note", "calculate"})


@dataclass(frozen=True)
class Row:
    label: str
    value: str


@dataclass(frozen=True)
class Entry:
    """One numbered entry of a repeat (the second household member is number 2)."""

    number: int
    items: tuple[Item, ...]


@dataclass(frozen=True)
class RepeatTable:
    title: str
    entries: tuple[Entry, ...]


Item = Row | RepeatTable


@dataclass(frozen=True)
class Section:
    """A page of the form; its title is empty for rows that stand outside every page."""

    title: str
    items: tuple[Item, ...]


def printout(form: FormDefinition, answers: dict[str, Any], today: date,
             language: str = "vi") -> list[Section]:
    """The answers to print, page by page; `today` is needed because relevance may read it."""
    evaluation = evaluate_answers(form, answers, today, language)
    data, hidden = evaluation.values, set(evaluation.hidden)
    builder = _Builder(form, hidden, language)
    sections: list[Section] = []
    loose: list[Item] = []
    for node in form.children:
        if node.name in hidden:
            continue
        if isinstance(node, Group):
            if loose:
                sections.append(Section("", tuple(loose)))
                loose = []
            sections.append(Section(builder.filled(node.label, data),
                                    builder.items(node.children, data, data, "")))
        else:
            loose.extend(builder.items([node], data, data, ""))
    if loose:
        sections.append(Section("", tuple(loose)))
    return [section for section in sections if section.items]


class _Builder:
    def __init__(self, form: FormDefinition, hidden: set[str], language: str) -> None:
        self.form = form
        self.hidden = hidden
        self.language = language

    def text(self, texts: dict[str, str]) -> str:
        return texts.get(self.language) or texts.get("vi", "")

    def filled(self, texts: dict[str, str], scope: dict[str, Any]) -> str:
        """A label or title with the answers it names (`${name}`) written in, from `scope`."""
        return fill(self.text(texts), scope)

    def items(self, nodes: list[Node], data: dict[str, Any], scope: dict[str, Any],
              prefix: str) -> tuple[Item, ...]:
        """`data` holds this level's answers (the top or one repeat entry); `scope` is what an
        expression here sees: the top-level answers overlaid by each entry on the way."""
        found: list[Item] = []
        for node in nodes:
            path = prefix + node.name
            if path in self.hidden:
                continue
            if isinstance(node, Group):
                found.extend(self.items(node.children, data, scope, prefix))
            elif isinstance(node, Repeat):
                entries = data.get(node.name) or []
                found.append(RepeatTable(self.filled(node.label, scope), tuple(
                    Entry(index + 1, self.items(node.children, entry, {**scope, **entry},
                                                f"{path}[{index}]."))
                    for index, entry in enumerate(entries)
                )))
            elif node.type not in _UNPRINTED_TYPES:
                found.append(Row(self.filled(node.label, scope),
                                 self.value(node, data.get(node.name), scope)))
        return tuple(found)

    def value(self, field: Field, value: Any, scope: dict[str, Any]) -> str:
        """The answer in words; an answer that cannot be read is printed as it was typed, so
        the paper never hides what the record holds."""
        if value is None or value == "":
            return ""
        if field.type in ("select_one", "select_multiple"):
            assert field.list_name is not None
            labels = {c.name: self.filled(c.label, scope)
                      for c in self.form.choices[field.list_name]}
            picked = str(value).split() if field.type == "select_multiple" else [str(value)]
            return ", ".join(labels.get(code, code) for code in picked)
        if field.type == "date" and isinstance(value, str):
            try:
                return format_vn_date(date.fromisoformat(value))
            except ValueError:
                return value
        if field.type == "decimal" and isinstance(value, float):
            # Vietnamese papers write a decimal comma: 2,5 kg.
            return f"{value:g}".replace(".", ",")
        if field.type == "province":
            return _province_name(str(value))
        if field.type == "commune":
            return _commune_name(str(value))
        return str(value)


def _province_name(code: str) -> str:
    from fieldkit.core.communes import provinces

    return next((name for number, name in provinces() if str(number) == code), code)


def _commune_name(code: str) -> str:
    from fieldkit.core.communes import communes

    found = communes().get(int(code)) if code.isdigit() else None
    return f"{found.name}, {found.province_name}" if found else code
