"""XLSForm workbooks (ODK, Kobo) turned into FieldKit form definitions.

Commune IT staff who already know ODK or Kobo write their forms in Excel; this turns a workbook
(`survey`, `choices` and `settings` sheets) into the JSON definition described in
`forms/README.md`, and only ever hands back a definition the loader accepts.

Anything the workbook asks for that FieldKit cannot honour is refused, never dropped: a volunteer
would otherwise fill a form that quietly lacks a check or a question the author wrote. Each
refusal names the sheet, the row number as Excel shows it (the header is row 1) and the feature:

- types other than ours (`geopoint`, `image`, `audio`, `barcode`, `range`, `rank`,
  `select_one_from_file`, metadata such as `start` or `deviceid`, `or_other` lists, ...);
- columns we have no use for that hold content (`media::image`, `trigger`, `parameters`,
  `read_only`, `body::...`, a translation of a column that has none, a language we cannot
  name); a column whose cells are all empty is harmless and ignored, and so are Kobo's
  bookkeeping columns (`$kuid`, `$autoname`, ...), which carry no behaviour;
- columns a row of that kind cannot use (a `hint` on a group, a `constraint` on an `end_group`);
- `${field}` inside a label, hint or message: our labels are shown as written, not filled in;
- `appearance` values that change what is captured or how choices are found (`month-year`,
  `numbers`, `search(...)`, `table-list`, ...). Purely cosmetic ones (`field-list`, `minimal`,
  `multiline`, `horizontal`, `compact`, `likert`, `quick`, `no-calendar`, ...) are not carried
  over: every group is already a page and the renderer has a single layout for each type;
- the `external_choices`, `entities` and `osm` sheets; other sheets (notes, instructions) are
  not XLSForm and are left alone;
- cells holding Excel formulas (type the value instead), a `version` that is not 1 to 32
  letters, digits, `.`, `_` or `-`, and sheets of more than 5,000 rows or 200 columns;
- a missing `form_id`, `version` or `form_title`, a select whose list is not in `choices`, an
  unknown `${field}` and every other reason the loader gives, with its row number mapped back
  to the workbook's.

An XLSForm `default` is a literal value, while ours is an expression, so a plain default is
quoted; one that refers to a field or calls a function is already an expression and kept.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any
from zipfile import BadZipFile

from fieldkit.core.forms.definition import INPUT_TYPES, SELECT_TYPES, FormError, load_form

_STRUCTURE_TYPES = frozenset({"begin_group", "end_group", "begin_repeat", "end_repeat"})
_TEXT_COLUMNS = ("label", "hint", "constraint_message", "required_message")
_SURVEY_COLUMNS = (
    "type", "name", "label", "hint", "required", "required_message", "relevant", "constraint",
    "constraint_message", "calculation", "default", "choice_filter", "repeat_count", "prefill",
    "birth_field", "gender_field", "appearance",
)
# Columns a row of each structural kind can use; the loader would ignore any other on them.
_STRUCTURE_COLUMNS = {
    "begin_group": frozenset({"type", "name", "label", "relevant", "appearance"}),
    "begin_repeat": frozenset({"type", "name", "label", "hint", "relevant", "repeat_count",
                               "appearance"}),
    "end_group": frozenset({"type", "name"}),
    "end_repeat": frozenset({"type", "name"}),
}
_COSMETIC_APPEARANCES = frozenset({
    "field-list", "minimal", "multiline", "horizontal", "horizontal-compact", "compact",
    "columns", "columns-pack", "likert", "quick", "no-calendar",
})
_SETTINGS_COLUMNS = ("form_id", "version", "form_title", "title", "default_language")
_FEATURE_SHEETS = {
    "external_choices": "choices from an external file",
    "entities": "ODK entities",
    "osm": "OpenStreetMap tags",
}
_LANGUAGES = {
    "vi": "vi", "vietnamese": "vi", "tiếng việt": "vi", "tieng viet": "vi",
    "en": "en", "english": "en", "tiếng anh": "en", "tieng anh": "en",
}
_LANGUAGE_CODE = re.compile(r"\(\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\s*\)\s*$")
# The expression tokenizer's rule for a bare name, which is how a choice_filter names a column.
_PROPERTY_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*$")
_FORM_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
# The version goes into file names (`<form_id>@<version>.json`).
_VERSION = re.compile(r"^[0-9A-Za-z._-]{1,32}$")
# Largest sheet read; a bigger one is refused rather than held in memory.
MAX_ROWS = 5_000
MAX_COLUMNS = 200
_LOADER_ROW = re.compile(r"^(?:field '(?P<name>[^']*)' \()?row (?P<row>\d+)\)?$")
_LOADER_CHOICE = re.compile(r"^choice list '(?P<list>[^']*)' (?:item (?P<item>\d+)|"
                            r"choice '(?P<choice>[^']*)')$")


class FormImportError(ValueError):
    """A workbook that cannot become a definition, with the sheet, row and feature at fault."""


@dataclass
class _Sheet:
    title: str
    headers: list[str]
    # (row number as Excel shows it, header index -> non-empty cell), blank rows left out.
    rows: list[tuple[int, dict[int, Any]]]


@dataclass
class _Origin:
    """Where each part came from, to restate the loader's errors in the workbook's rows."""

    source: Path
    survey_rows: list[int] = field(default_factory=list)
    choice_rows: dict[str, list[tuple[str, int]]] = field(default_factory=dict)

    def fail(self, where: str, reason: str) -> FormImportError:
        return FormImportError(f"{self.source}: {where}: {reason}" if where else
                               f"{self.source}: {reason}")

    def explain(self, error: FormError) -> FormImportError:
        where = error.where
        if where == "header":
            where = "settings sheet"
        elif match := _LOADER_ROW.match(where):
            where = f"survey sheet row {self.survey_rows[int(match['row']) - 1]}"
            if match["name"]:
                where += f" (field '{match['name']}')"
        elif (match := _LOADER_CHOICE.match(where)) and match["list"] in self.choice_rows:
            items = self.choice_rows[match["list"]]
            row = (items[int(match["item"]) - 1][1] if match["item"] else
                   dict(items).get(match["choice"]))
            where = f"choices sheet row {row} (list '{match['list']}')" if row else where
        return self.fail(where, error.reason)


def convert_workbook(path: Path | str) -> dict[str, Any]:
    """The definition a workbook describes, already accepted by the loader."""
    definition, origin = _convert(Path(path))
    with tempfile.TemporaryDirectory() as scratch:
        _check(definition, origin, Path(scratch) / f"{definition['id']}.json")
    return definition


def import_workbook(path: Path | str, out_dir: Path | str) -> Path:
    """Write `<form_id>.json` into `out_dir`; a form already there in this version is kept.

    Replacing a published version in place would leave records and printed receipts that
    name a version whose questions have changed, so the author must bump the version instead.
    The version it replaces stays beside it as `<form_id>@<version>.json`: drafts started on
    it still open and finish on it.
    """
    definition, origin = _convert(Path(path))
    out_dir = Path(out_dir)
    form_id, version = definition["id"], definition["version"]
    for existing in sorted(out_dir.glob("*.json")):
        try:
            held = json.loads(existing.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError):
            continue
        if isinstance(held, dict) and held.get("id") == form_id and \
                held.get("version") == version:
            raise origin.fail("settings sheet",
                              f"{existing} already holds form '{form_id}' version {version}; "
                              "bump the version in the settings sheet to import a new one")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{form_id}.json"
    staging = out_dir / f".{form_id}.json.importing"
    try:
        _check(definition, origin, staging)
        if target.exists():
            try:
                previous = load_form(target)
            except FormError as exc:
                raise origin.fail("", f"the form already in place, {target}, cannot be read "
                                      f"({exc.reason}); fix or move it before importing"
                                  ) from None
            if not _VERSION.match(previous.version):
                raise origin.fail("", f"the form already in place, {target}, has version "
                                      f"{previous.version!r}, which cannot name a file; fix "
                                      "or move it before importing")
            os.replace(target, out_dir / f"{form_id}@{previous.version}.json")
        os.replace(staging, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            staging.unlink()
    return target


def _check(definition: dict[str, Any], origin: _Origin, file: Path) -> None:
    """Write the definition and load it back: the loader is the one judge of validity."""
    file.write_text(json.dumps(definition, ensure_ascii=False, indent=2) + "\n",
                    encoding="utf-8")
    try:
        load_form(file)
    except FormError as exc:
        raise origin.explain(exc) from None


def _convert(path: Path) -> tuple[dict[str, Any], _Origin]:
    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    origin = _Origin(path)
    try:
        # Not data_only: a formula's cached result may be stale or missing (files written by
        # scripts), so formulas are refused and authors type the value they mean.
        book = load_workbook(path, read_only=True, data_only=False)
    except (OSError, BadZipFile, InvalidFileException, KeyError, ValueError) as exc:
        raise origin.fail("", f"cannot read the workbook: {exc}") from None
    try:
        sheets = {name.strip().lower(): name for name in book.sheetnames}
        read = {key: _read_sheet(book[name], origin) for key, name in sheets.items()
                if key in ("survey", "choices", "settings", *_FEATURE_SHEETS)}
    finally:
        book.close()
    for key, feature in _FEATURE_SHEETS.items():
        if key in read and read[key].rows:
            raise origin.fail(f"{read[key].title} sheet", f"{feature} are not supported")
    if "survey" not in read or not read["survey"].rows:
        raise origin.fail("", "no 'survey' sheet with rows")
    if "settings" not in read:
        raise origin.fail("", "no 'settings' sheet: it must give form_id and version")
    header = _settings(read["settings"], origin)
    language = header["default_language"]
    choices = _choices(read.get("choices"), language, origin)
    survey = _survey(read["survey"], language, origin)
    return {**header, "survey": survey, "choices": choices}, origin


def _read_sheet(sheet: Any, origin: _Origin) -> _Sheet:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.formula import ArrayFormula, DataTableFormula

    sheet.reset_dimensions()  # some writers store a wrong size, which read-only mode trusts
    headers: list[str] = []
    kept = []
    for number, row in enumerate(sheet.iter_rows(), start=1):
        values = []
        for index, cell in enumerate(row):
            value = getattr(cell, "value", None)
            if getattr(cell, "data_type", None) == "f" or isinstance(
                    value, ArrayFormula | DataTableFormula) or (
                    isinstance(value, str) and value.startswith("=")):
                raise origin.fail(f"{sheet.title} sheet row {number} column "
                                  f"{get_column_letter(index + 1)}",
                                  "formulas are not supported; type the value")
            values.append(value)
        present = [i for i, value in enumerate(values) if _text(value)]
        if present and present[-1] >= MAX_COLUMNS:
            raise origin.fail(f"{sheet.title} sheet row {number}",
                              f"the sheet has more than {MAX_COLUMNS} columns; FieldKit reads "
                              f"at most {MAX_COLUMNS}")
        if present and number > MAX_ROWS:
            raise origin.fail(f"{sheet.title} sheet row {number}",
                              f"the sheet has more than {MAX_ROWS} rows; FieldKit reads at "
                              f"most {MAX_ROWS}")
        if number == 1:
            headers = [_text(value) for value in values]
            continue
        cells = {i: values[i] for i in present}
        if cells:
            kept.append((number, cells))
    return _Sheet(sheet.title, headers, kept)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true()" if value else "false()"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else \
            value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _language(name: str) -> str | None:
    """`Tiếng Việt (vi)`, `English (en)`, `vi`, `English` -> a language code."""
    if match := _LANGUAGE_CODE.search(name):
        return match[1].lower()
    return _LANGUAGES.get(name.strip().lower())


def _columns(sheet: _Sheet, known: tuple[str, ...], translated: tuple[str, ...],
             default_language: str, origin: _Origin,
             extra: bool = False) -> dict[int, tuple[str, str | None]]:
    """Header index -> (column, language) for the columns used; refuse the others with content.

    A column is only refused where it holds something, so an empty `media::image` column left
    by a template does not stop an import. `extra` keeps unknown plain columns (choice
    properties) under their own name.
    """
    resolved: dict[int, tuple[str, str | None]] = {}
    problems: dict[int, str] = {}
    first_header: dict[tuple[str, str | None], str] = {}
    used = {i for _, cells in sheet.rows for i in cells}
    for index in sorted(used | set(range(len(sheet.headers)))):
        header = sheet.headers[index] if index < len(sheet.headers) else ""
        if header.startswith("$"):
            continue
        base, _, suffix = header.partition("::")
        column = re.sub(r"\s+", "_", base.strip().lower())
        if not header:
            problems[index] = "a column with no header holds content; name it or clear it"
            continue
        if column not in known and not (extra and not suffix):
            problems[index] = f"column '{header}' is not supported"
            continue
        if column not in known:
            if not _PROPERTY_NAME.match(base.strip()):
                problems[index] = (f"column '{header}' cannot be named by a choice_filter: use "
                                   "letters, digits and _")
                continue
            column = base.strip()
        language = None
        if suffix:
            language = _language(suffix)
            if column not in translated:
                problems[index] = f"column '{header}': '{column}' has no translations"
                continue
            if language is None:
                problems[index] = (f"column '{header}': unknown language '{suffix}'; write it "
                                   "as 'Name (code)', e.g. 'Tiếng Việt (vi)' or 'English (en)'")
                continue
        elif column in translated:
            language = default_language
        if index not in used:
            continue
        key = (column, language)
        if key in first_header:
            raise origin.fail(f"{sheet.title} sheet",
                              f"columns '{first_header[key]}' and '{header}' both give "
                              f"{column}" + (f" in '{language}'" if language else ""))
        first_header[key] = header
        resolved[index] = key
    for number, cells in sheet.rows:
        for index in cells:
            if index in problems:
                raise origin.fail(f"{sheet.title} sheet row {number}", problems[index])
    return resolved


def _values(cells: dict[int, Any], columns: dict[int, tuple[str, str | None]]
            ) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
    """A row's plain values and its texts by language."""
    plain: dict[str, str] = {}
    texts: dict[str, dict[str, str]] = {}
    for index, value in cells.items():
        if index not in columns:
            continue
        column, language = columns[index]
        if language is None:
            plain[column] = _text(value)
        else:
            texts.setdefault(column, {})[language] = _text(value)
    return plain, texts


def _refuse_piping(texts: dict[str, dict[str, str]], where: str, origin: _Origin) -> None:
    for column, by_language in texts.items():
        for language, text in by_language.items():
            if "${" in text:
                raise origin.fail(where, f"{column} ({language}) shows an answer with ${{...}}; "
                                         "FieldKit shows labels as written, so reword it")


def _settings(sheet: _Sheet, origin: _Origin) -> dict[str, Any]:
    if not sheet.rows:
        raise origin.fail(f"{sheet.title} sheet", "no row of settings: give form_id and version")
    if len(sheet.rows) > 1:
        raise origin.fail(f"{sheet.title} sheet row {sheet.rows[1][0]}",
                          "only one row of settings is read; remove the others")
    number, cells = sheet.rows[0]
    where = f"{sheet.title} sheet row {number}"
    # The default language decides what a plain column means, so read it before the rest.
    raw_language = next((_text(value) for i, value in cells.items()
                         if i < len(sheet.headers)
                         and sheet.headers[i].strip().lower() == "default_language"), "")
    language = _language(raw_language) if raw_language else "vi"
    if language is None:
        raise origin.fail(where, f"default_language '{raw_language}' is not a language we "
                                 "know; write e.g. 'Tiếng Việt (vi)' or 'en'")
    columns = _columns(sheet, _SETTINGS_COLUMNS, ("form_title", "title"), language, origin)
    plain, texts = _values(cells, columns)
    for key in ("form_id", "version"):
        if not plain.get(key):
            raise origin.fail(where, f"missing {key}")
    if not _VERSION.match(plain["version"]):
        raise origin.fail(where, f"version '{plain['version']}' must be 1 to 32 letters, "
                                 "digits, ., _ or -, as it names the definition file")
    if not _FORM_ID.match(plain["form_id"]):
        raise origin.fail(where, f"form_id '{plain['form_id']}' must be letters, digits, _, . "
                                 "or -, as it names the definition file")
    if "form_title" in texts and "title" in texts:
        raise origin.fail(where, "both form_title and title are given; keep one")
    title = texts.get("form_title") or texts.get("title")
    if not title:
        raise origin.fail(where, "missing form_title: it heads the printed declaration")
    _refuse_piping({"form_title": title}, where, origin)
    return {"id": plain["form_id"], "version": plain["version"], "title": title,
            "default_language": language}


def _choices(sheet: _Sheet | None, language: str, origin: _Origin
             ) -> dict[str, list[dict[str, Any]]]:
    if sheet is None:
        return {}
    columns = _columns(sheet, ("list_name", "name", "label"), ("label",), language, origin,
                       extra=True)
    lists: dict[str, list[dict[str, Any]]] = {}
    for number, cells in sheet.rows:
        where = f"{sheet.title} sheet row {number}"
        plain, texts = _values(cells, columns)
        list_name, name = plain.pop("list_name", ""), plain.pop("name", "")
        if not list_name or not name:
            raise origin.fail(where, "a choice needs both list_name and name")
        rows = origin.choice_rows.setdefault(list_name, [])
        first = dict(rows).get(name)
        if first:
            raise origin.fail(where, f"duplicate choice '{name}' in list '{list_name}', first "
                                     f"on row {first}")
        rows.append((name, number))
        _refuse_piping(texts, where, origin)
        lists.setdefault(list_name, []).append({"name": name, "label": texts.get("label", {}),
                                                **plain})
    return lists


def _survey(sheet: _Sheet, language: str, origin: _Origin) -> list[dict[str, Any]]:
    columns = _columns(sheet, _SURVEY_COLUMNS, _TEXT_COLUMNS, language, origin)
    if ("type", None) not in columns.values():
        raise origin.fail(f"{sheet.title} sheet", "no 'type' column")
    survey = []
    for number, cells in sheet.rows:
        where = f"{sheet.title} sheet row {number}"
        plain, texts = _values(cells, columns)
        if "type" not in plain:
            raise origin.fail(where, "the row has content but no type")
        kind = _type(plain["type"], where, origin)
        base = kind.split()[0]
        allowed = _STRUCTURE_COLUMNS.get(base)
        if allowed is not None:
            stray = sorted(set(plain).union(texts) - allowed)
            if stray:
                raise origin.fail(where, f"'{stray[0]}' cannot be used on a {base} row")
        if "appearance" in plain:
            _check_appearance(plain.pop("appearance"), where, origin)
        _refuse_piping(texts, where, origin)
        if base.startswith("end_"):
            row: dict[str, Any] = {"type": kind}
        else:
            row = {**plain, **texts, "type": kind}
            if "default" in row:
                row["default"] = _default_expression(row["default"], where, origin)
        survey.append({key: row[key] for key in _SURVEY_COLUMNS if key in row})
        origin.survey_rows.append(number)
    return survey


def _type(raw: str, where: str, origin: _Origin) -> str:
    """XLSForm's spellings (`begin group`, `select one x`) -> ours; anything else is refused."""
    words = raw.split()
    first = words[0].lower()
    if first in ("begin", "end", "select") and len(words) > 1:
        words = [f"{first}_{words[1].lower()}", *words[2:]]
        first = words[0]
    if first in SELECT_TYPES:
        if len(words) == 3 and words[2].lower() == "or_other":
            raise origin.fail(where, f"type '{raw}': 'or_other' is not supported; add an "
                                     "'other' choice and a text field relevant to it")
        if len(words) != 2:
            raise origin.fail(where, f"type '{raw}' needs one choice list name, "
                                     f"e.g. '{first} gender'")
        return f"{first} {words[1]}"
    if len(words) == 1 and (first in INPUT_TYPES or first in _STRUCTURE_TYPES):
        return first
    raise origin.fail(where, f"type '{raw}' is not supported; FieldKit forms know "
                             f"{', '.join(sorted(INPUT_TYPES | _STRUCTURE_TYPES))}")


def _check_appearance(appearance: str, where: str, origin: _Origin) -> None:
    for word in appearance.split():
        if word.lower() not in _COSMETIC_APPEARANCES:
            raise origin.fail(where, f"appearance '{word}' is not supported; only layout "
                                     f"hints ({', '.join(sorted(_COSMETIC_APPEARANCES))}) "
                                     "are accepted, and FieldKit lays out every form its own way")


def _default_expression(value: str, where: str, origin: _Origin) -> str:
    if "${" in value or "(" in value or (len(value) > 1 and value[0] == value[-1] in "'\""):
        return value
    for quote in "'\"":
        if quote not in value:
            return f"{quote}{value}{quote}"
    raise origin.fail(where, "a default holding both ' and \" cannot be written as a value")
