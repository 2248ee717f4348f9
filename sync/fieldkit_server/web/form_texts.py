"""Titles and field labels of procedure forms, for the pages that show form records.

A record names its form by id and version and keeps them for life, so the labels must come
from that version: the ones the commune published (the `definition` table) first, then the
forms shipped with FieldKit. Only the texts are read, straight from the JSON rows, rather
than loading the full definition with its expressions: a page that lists forms must not fail
because one old version no longer passes today's checks.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import Connection, select

from fieldkit.core.i18n import current_language
from fieldkit.core.paths import forms_dir
from fieldkit.core.vocabulary import in_language
from fieldkit_server.tables import definition


@dataclass
class FormTexts:
    title: str
    # Field name → label; select fields also map their value codes to choice labels.
    labels: dict[str, str] = field(default_factory=dict)
    choices: dict[str, dict[str, str]] = field(default_factory=dict)

    def answer(self, name: str, value: Any) -> str:
        """An answer as the officer reads it: choice codes turned into their labels."""
        if isinstance(value, list):
            return ", ".join(self.answer(name, item) for item in value)
        if isinstance(value, dict):
            return "; ".join(f"{self.labels.get(k, k)}: {self.answer(k, v)}"
                             for k, v in value.items())
        text = "" if value is None else str(value)
        options = self.choices.get(name)
        if options is not None:
            return ", ".join(options.get(code, code) for code in text.split())
        return text


def texts_from_body(data: dict[str, Any]) -> FormTexts:
    """The texts in the page's language; a form without that language reads in Vietnamese."""
    shown = current_language()
    choice_lists = {
        name: {str(c.get("name")): in_language(c.get("label") or {}, shown) for c in rows
               if isinstance(c, dict)}
        for name, rows in (data.get("choices") or {}).items() if isinstance(rows, list)}
    texts = FormTexts(title=in_language(data.get("title") or {}, shown) or str(data.get("id")))
    for row in data.get("survey") or []:
        if not isinstance(row, dict) or not row.get("name"):
            continue
        name = str(row["name"])
        label = row.get("label")
        if isinstance(label, dict):
            texts.labels[name] = in_language(label, shown)
        kind = str(row.get("type", "")).split()
        if len(kind) == 2 and kind[0] in ("select_one", "select_multiple"):
            texts.choices[name] = choice_lists.get(kind[1], {})
    return texts


class FormCatalogue:
    """Texts per (form id, version), with the newest known title per form id."""

    def __init__(self, bodies: list[dict[str, Any]]) -> None:
        self.by_version: dict[tuple[str, str], FormTexts] = {}
        self.newest_title: dict[str, str] = {}
        for data in bodies:
            key = (str(data.get("id")), str(data.get("version")))
            self.by_version.setdefault(key, texts_from_body(data))
        for (form_id, _), texts in sorted(self.by_version.items()):
            self.newest_title[form_id] = texts.title

    def texts(self, form_id: str, version: str) -> FormTexts:
        found = self.by_version.get((form_id, version))
        if found is not None:
            return found
        return FormTexts(title=self.title(form_id))

    def title(self, form_id: str) -> str:
        return self.newest_title.get(form_id, form_id)


def load_catalogue(conn: Connection, shipped: Path | None = None) -> FormCatalogue:
    """Published definitions take precedence over shipped files of the same version."""
    bodies: list[dict[str, Any]] = []
    for (body,) in conn.execute(select(definition.c.body).where(definition.c.kind == "form")):
        try:
            data = json.loads(body)
        except ValueError:
            continue
        if isinstance(data, dict):
            bodies.append(data)
    folder = shipped or forms_dir()
    for path in sorted(folder.glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if isinstance(data, dict):
            bodies.append(data)
    return FormCatalogue(bodies)
