"""XLSForm workbooks (ODK, Kobo, pyxform) turned into FieldKit form definitions.

Commune officers start from forms that already exist: Kobo templates, ODK examples, a
colleague's workbook. So the import reads what XLSForm tools read (`.xlsx` and `.xls`, the
settings sheet optional, old column spellings such as `label:English` or
`bind:jr:constraintMsg`) with pyxform's meaning, and only ever hands back a definition the
loader accepts.

What FieldKit cannot honour is never silently dropped when it changes what is asked or
checked: the import is refused, and the refusal lists every problem it found, each with its
sheet, Excel row, column and fix. What changes nothing a volunteer does (a submission URL, a
style, a media column, a layout appearance the renderer has no use for, device metadata
FieldKit records itself) is left out with a warning the officer sees. `forms/README.md` has
the table of supported, warned and refused features.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldkit.core.forms.definition import FormError, load_form
from fieldkit.core.forms.expressions import ExpressionError, compile_expression
from fieldkit.core.forms.import_problems import (
    FormImportError,
    ImportProblem,
    column_letter,
)
from fieldkit.core.forms.piping import REFERENCE
from fieldkit.core.forms.workbook import Sheet, WorkbookUnreadable, read_workbook
from fieldkit.core.forms.xlsform_loops import expand_loops
from fieldkit.core.forms.xlsform_names import Names

__all__ = ["Conversion", "FormImportError", "Imported", "convert_workbook", "import_workbook",
           "read_form"]

DEFAULT_VERSION = "1"
_TRANSLATED = ("label", "hint", "constraint_message", "required_message")
_EXPRESSIONS = ("required", "relevant", "constraint", "calculation", "default",
                "choice_filter", "repeat_count")
_OUTPUT_ORDER = (
    "type", "name", "label", "hint", "required", "required_message", "relevant", "constraint",
    "constraint_message", "calculation", "default", "choice_filter", "repeat_count", "prefill",
    "birth_field", "gender_field", "appearance",
)
# pyxform's spellings of the survey columns -> ours.
_SURVEY_COLUMNS = {
    "type": "type", "command": "type",
    "name": "name", "value": "name", "tag": "name",
    "label": "label", "caption": "label",
    "hint": "hint",
    "required": "required",
    "required_message": "required_message", "requiredmsg": "required_message",
    "bind:jr:requiredmsg": "required_message", "jr:requiredmsg": "required_message",
    "relevant": "relevant", "relevance": "relevant", "bind:relevant": "relevant",
    "constraint": "constraint", "bind:constraint": "constraint",
    "constraint_message": "constraint_message", "constraining_message": "constraint_message",
    "constraint-msg": "constraint_message", "bind:jr:constraintmsg": "constraint_message",
    "jr:constraintmsg": "constraint_message",
    "calculation": "calculation", "calculate": "calculation", "bind:calculate": "calculation",
    "default": "default",
    "choice_filter": "choice_filter",
    "repeat_count": "repeat_count", "jr:count": "repeat_count", "count": "repeat_count",
    "control:jr:count": "repeat_count",
    "appearance": "appearance", "control:appearance": "appearance",
    "parameters": "parameters",
    "trigger": "trigger",
    # FieldKit's own columns (see forms/README.md).
    "prefill": "prefill", "birth_field": "birth_field", "gender_field": "gender_field",
}
_CHOICE_COLUMNS = {"list_name": "list_name", "list name": "list_name", "name": "name",
                   "value": "name", "label": "label", "caption": "label"}
_MEDIA = ("image", "big-image", "audio", "video", "media")
# Columns that only tune how ODK Collect or an XForm server behaves.
_IGNORED_COLUMNS = ("read_only", "readonly", "guidance_hint", "autoplay", "rows",
                    "noapperrorstring", "no_app_error_string", "save_to", "compact_tag",
                    "disabled", "flat", "intent", "body", "bind", "instance", "control",
                    "sms_field", "sms_option", "sms_separator", "sms_allow_media")
_SETTINGS = {"form_id": "form_id", "id_string": "form_id", "set_form_id": "form_id",
             "version": "version", "form_title": "title", "title": "title",
             "set_form_title": "title", "default_language": "default_language",
             "allow_choice_duplicates": "allow_choice_duplicates"}
# pyxform turns these words in bind columns into XPath booleans.
_BOOLEAN_WORDS = {"yes": "true()", "true": "true()", "true()": "true()", "no": "false()",
                  "false": "false()", "false()": "false()"}
# What the loader reads on a group or repeat row; anything else there is left out, warned
# (repeat_count on a group goes on to the loader, which refuses it: begin_repeat was meant).
_GROUP_COLUMNS = {
    "begin_group": frozenset({"type", "name", "label", "relevant", "appearance",
                              "repeat_count"}),
    "begin_repeat": frozenset({"type", "name", "label", "hint", "relevant", "repeat_count",
                               "appearance"}),
}
_HONOURED_APPEARANCES = frozenset({"minimal", "horizontal", "horizontal-compact", "multiline",
                                   "field-list"})
_LANGUAGES = {
    "vi": "vi", "vietnamese": "vi", "tiếng việt": "vi", "tieng viet": "vi",
    "en": "en", "english": "en", "tiếng anh": "en", "tieng anh": "en",
}
_LANGUAGE_CODE = re.compile(r"\(\s*([A-Za-z]{2,3}(?:-[A-Za-z0-9]+)?)\s*\)\s*$")
_FORM_ID = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.-]*$")
# The version goes into file names (`<form_id>@<version>.json`).
_VERSION = re.compile(r"^[0-9A-Za-z._-]{1,32}$")
# Word and Excel turn typed quotes into these pairs; XPath knows only the straight ones.
_CURLY_PAIRS = ((re.compile("\u201c([^\u201c\u201d\"]*)\u201d"), '"'),
                (re.compile("\u2018([^\u2018\u2019'\"]*)\u2019"), "'"))
# Bare names a choice_filter may use for a choice column.
_PROPERTY = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*$")
_SELECT_SPELLINGS = {
    "select_one": "select_one", "select1": "select_one", "select one": "select_one",
    "select one from": "select_one", "add select one prompt using": "select_one",
    "select_multiple": "select_multiple", "select all that apply": "select_multiple",
    "select all that apply from": "select_multiple", "select multiple": "select_multiple",
    "add select multiple prompt using": "select_multiple",
}
_PLAIN_TYPES = {
    "text": "text", "string": "text", "integer": "integer", "int": "integer",
    "decimal": "decimal", "date": "date", "note": "note", "calculate": "calculate",
    "time": "time", "datetime": "datetime", "barcode": "barcode", "acknowledge": "acknowledge",
    "range": "range", "geopoint": "geopoint", "geotrace": "geotrace", "geoshape": "geoshape",
    "hidden": "hidden", "phone_number": "phone_number",
    "begin_group": "begin_group", "end_group": "end_group",
    "begin_repeat": "begin_repeat", "end_repeat": "end_repeat",
    "id_number": "id_number", "phone": "phone", "ethnicity": "ethnicity",
    "province": "province", "commune": "commune",
}
# pyxform's older spellings of types (`add text prompt`, `q int`, `gps`), spaces as "_".
_TYPE_ALIASES = {
    "q_string": "text", "add_text_prompt": "text", "q_int": "integer",
    "add_integer_prompt": "integer", "q_decimal": "decimal", "add_decimal_prompt": "decimal",
    "q_date": "date", "add_date_prompt": "date", "q_datetime": "datetime",
    "add_datetime_prompt": "datetime", "q_note": "note", "add_note_prompt": "note",
    "q_calculate": "calculate", "add_calculate_prompt": "calculate",
    "q_acknowledge": "acknowledge", "add_acknowledge_prompt": "acknowledge",
    "trigger": "acknowledge",
    "gps": "geopoint", "location": "geopoint", "q_location": "geopoint",
    "q_geopoint": "geopoint", "add_location_prompt": "geopoint", "q_barcode": "barcode",
    "add_barcode_prompt": "barcode", "q_picture": "image", "q_image": "image",
    "add_image_prompt": "image", "add_photo_prompt": "image", "photo": "image",
    "q_audio": "audio", "add_audio_prompt": "audio", "q_video": "video",
    "add_video_prompt": "video", "add_file_prompt": "file", "get_start_time": "start",
    "start_time": "start", "get_end_time": "end", "end_time": "end", "get_today": "today",
    "get_device_id": "deviceid", "device_id": "deviceid", "get_subscriber_id": "subscriberid",
    "subscriber_id": "subscriberid", "get_sim_id": "simserial", "sim_id": "simserial",
    "get_phone_number": "phonenumber", "begin_lgroup": "begin_repeat",
    "end_lgroup": "end_repeat", "begin_looped_group": "begin_repeat",
    "end_looped_group": "end_repeat",
}
# Capture types a laptop cannot serve; the question is shown, marked as skipped.
_SKIPPED_CAPTURE = {
    "image": ("ảnh", "photo"), "audio": ("ghi âm", "audio recording"),
    "video": ("video", "video"), "file": ("tệp đính kèm", "file attachment"),
    "osm": ("thẻ bản đồ OpenStreetMap", "OpenStreetMap tags"),
}
# ODK metadata a phone records by itself; FieldKit records time, volunteer and laptop with
# every record, and a citizen's SIM or phone number is not the laptop's to read.
_METADATA = frozenset({
    "start", "end", "deviceid", "imei", "subscriberid", "simserial", "phonenumber",
    "username", "email", "audit", "uri:deviceid", "uri:email", "uri:username",
    "uri:phonenumber", "uri:subscriberid", "uri:simserial", "start-geopoint",
    "background-geopoint", "background-audio",
})
_REFUSED_TYPES = {
    "rank": ("xếp hạng lựa chọn", "ranking"),
    "select_one_from_file": ("danh sách lựa chọn từ tệp ngoài", "choices from a file"),
    "select_multiple_from_file": ("danh sách lựa chọn từ tệp ngoài", "choices from a file"),
    "xml-external": ("dữ liệu từ tệp XML ngoài", "external XML data"),
    "csv-external": ("dữ liệu từ tệp CSV ngoài", "external CSV data"),
    "include": ("ghép biểu mẫu khác", "including another form"),
}
_KNOWN_SHEETS = ("survey", "choices", "settings", "external_choices", "osm", "entities")
# Lists of the external_choices sheet are kept apart from the choices sheet's, which may use
# the same list names.
_EXTERNAL = "_external"
_OR_OTHER_LABEL = {"vi": "Khác", "en": "Other"}
_SPECIFY_OTHER = {"vi": "Khác, ghi rõ:", "en": "Specify other:"}
_TIME = r"^([01][0-9]|2[0-3]):[0-5][0-9]$"
_DATETIME = r"^[0-9]{4}-[0-9]{2}-[0-9]{2} ([01][0-9]|2[0-3]):[0-5][0-9]$"
_GEOPOINT = r"^-?[0-9]{1,2}(\.[0-9]+)? -?[0-9]{1,3}(\.[0-9]+)?$"


@dataclass
class Conversion:
    definition: dict[str, Any]
    warnings: list[ImportProblem]


@dataclass
class Imported:
    path: Path
    definition: dict[str, Any]
    warnings: list[ImportProblem]


def convert_workbook(path: Path | str) -> dict[str, Any]:
    """The definition a workbook describes, already accepted by the loader."""
    return read_form(path).definition


def read_form(path: Path | str) -> Conversion:
    """The definition and the warnings; FormImportError lists every problem at once."""
    converter = _Converter(Path(path))
    definition = converter.convert()
    with tempfile.TemporaryDirectory() as scratch:
        converter.check(definition, Path(scratch) / "form.json")
    return Conversion(definition, converter.warnings)


def import_workbook(path: Path | str, out_dir: Path | str) -> Imported:
    """Write `<form_id>.json` into `out_dir`; a form already there in this version is kept.

    Replacing a published version in place would leave records and printed receipts that
    name a version whose questions have changed, so the author must bump the version instead.
    The version it replaces stays beside it as `<form_id>@<version>.json`: drafts started on
    it still open and finish on it.
    """
    converter = _Converter(Path(path))
    definition = converter.convert()
    out_dir = Path(out_dir)
    form_id, version = definition["id"], definition["version"]
    for existing in sorted(out_dir.glob("*.json")):
        try:
            held = json.loads(existing.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError, RecursionError):
            continue
        if isinstance(held, dict) and held.get("id") == form_id and \
                held.get("version") == version:
            converter.fail(
                "settings", None, "version",
                f"{existing} đã có biểu mẫu '{form_id}' phiên bản {version}; hãy tăng "
                "version trong trang settings để nhập bản mới",
                f"{existing} already holds form '{form_id}' version {version}; bump the "
                "version in the settings sheet to import a new one")
    out_dir.mkdir(parents=True, exist_ok=True)
    target = out_dir / f"{form_id}.json"
    staging = out_dir / f".{form_id}.json.importing"
    try:
        converter.check(definition, staging)
        if target.exists():
            try:
                previous = load_form(target)
            except FormError as exc:
                converter.fail("", None, None,
                               f"biểu mẫu đang có, {target}, không đọc được ({exc.reason_vi}); "
                               "hãy sửa hoặc chuyển nó đi trước khi nhập",
                               f"the form already in place, {target}, cannot be read "
                               f"({exc.reason}); fix or move it before importing")
            if not _VERSION.match(previous.version):
                converter.fail("", None, None,
                               f"biểu mẫu đang có, {target}, có version {previous.version!r} "
                               "không dùng làm tên tệp được; hãy sửa hoặc chuyển nó đi",
                               f"the form already in place, {target}, has version "
                               f"{previous.version!r}, which cannot name a file; fix or "
                               "move it before importing")
            os.replace(target, out_dir / f"{form_id}@{previous.version}.json")
        os.replace(staging, target)
    finally:
        with contextlib.suppress(FileNotFoundError):
            staging.unlink()
    return Imported(target, definition, converter.warnings)


@dataclass
class _Columns:
    """A sheet's header resolved: index -> (our column, language or None)."""

    used: dict[int, tuple[str, str | None]] = field(default_factory=dict)
    media: set[int] = field(default_factory=set)


class _Converter:
    def __init__(self, path: Path) -> None:
        self.path = path
        self.problems: list[ImportProblem] = []
        self.warnings: list[ImportProblem] = []
        self.language = "vi"
        # Excel row of each definition survey row, and of each choice by list, to restate the
        # loader's findings in the workbook's terms.
        self.survey_rows: list[tuple[str, int]] = []
        self.choice_rows: dict[str, dict[str, int]] = {}
        # Sheet title -> languages shown for want of Vietnamese there.
        self.fell_back: dict[str, set[str]] = {}
        self.duplicates_allowed = False

    # -- reporting -----------------------------------------------------------------------

    def refuse(self, sheet: str, row: int | None, column: str | None, vi: str,
               en: str) -> None:
        self.problems.append(ImportProblem(sheet, row, column, vi, en))

    def warn(self, sheet: str, row: int | None, column: str | None, vi: str, en: str) -> None:
        self.warnings.append(ImportProblem(sheet, row, column, vi, en))

    def fail(self, sheet: str, row: int | None, column: str | None, vi: str, en: str) -> None:
        self.refuse(sheet, row, column, vi, en)
        self.stop()

    def stop(self) -> None:
        raise FormImportError(str(self.path), self.problems, self.warnings)

    # -- the workbook --------------------------------------------------------------------

    def convert(self) -> dict[str, Any]:
        try:
            book = read_workbook(self.path)
        except WorkbookUnreadable as exc:
            self.problems.append(exc.problem)
            self.stop()
        self.problems.extend(book.problems)
        sheets = book.sheets
        if "survey" not in sheets and len(sheets) == 1:
            # pyxform reads a lone sheet of any name as the survey.
            sheets = {"survey": next(iter(sheets.values()))}
        for key, sheet in sheets.items():
            if key == "entities" and sheet.rows:
                # Entities tell ODK Central which lists a submission updates; records here
                # go to the commune server, so nothing a volunteer sees changes.
                self.warn(sheet.title, None, None,
                          "trang entities (danh sách thực thể của ODK Central) được bỏ qua: "
                          "tờ khai FieldKit gửi về máy chủ xã",
                          "the entities sheet (ODK Central entity lists) was ignored: "
                          "FieldKit records go to the commune server")
            elif key == "osm" and sheet.rows:
                self.warn(sheet.title, None, None,
                          "trang osm (thẻ OpenStreetMap) được bỏ qua: câu hỏi osm cần bản đồ "
                          "nên luôn bỏ trống",
                          "the osm sheet (OpenStreetMap tags) was ignored: osm questions need "
                          "a map, so they stay empty")
            elif key not in _KNOWN_SHEETS and sheet.rows:
                self.warn(sheet.title, None, None,
                          "trang này không thuộc XLSForm nên được bỏ qua",
                          "this sheet is not part of XLSForm and was ignored")
        survey = sheets.get("survey")
        if survey is None or not survey.rows:
            self.fail("", None, None,
                      "không có trang 'survey' có câu hỏi; biểu mẫu XLSForm cần trang survey",
                      "no 'survey' sheet with questions; an XLSForm needs a survey sheet")
        assert survey is not None
        header = self.settings(sheets.get("settings"), self.survey_settings(survey))
        choices = self.choices(sheets.get("choices"))
        choices.update(self.choices(sheets.get("external_choices"), _EXTERNAL))
        rows = self.survey(survey, choices)
        for title, found in self.fell_back.items():
            languages = ", ".join(sorted(found))
            self.warn(title, None, None,
                      f"không có chữ tiếng Việt cho một số nhãn; dùng chữ {languages} thay "
                      "thế (thêm cột label::Tiếng Việt (vi) để dịch)",
                      f"some texts have no Vietnamese; the {languages} text is shown instead "
                      "(add a label::Tiếng Việt (vi) column to translate)")
        if self.problems:
            # The loader still looks at what could be read, so its findings on rows not
            # already reported join the list.
            if rows:
                self.loader_problems({**header, "survey": rows, "choices": choices})
            self.stop()
        return {**header, "survey": rows, "choices": choices}

    def check(self, definition: dict[str, Any], file: Path) -> None:
        """Write the definition and load it back: the loader is the one judge of validity."""
        self.loader_problems(definition, file)
        if self.problems:
            self.stop()

    def loader_problems(self, definition: dict[str, Any], file: Path | None = None) -> None:
        with tempfile.TemporaryDirectory() as scratch:
            target = file or Path(scratch) / "form.json"
            target.write_text(json.dumps(definition, ensure_ascii=False, indent=2) + "\n",
                              encoding="utf-8")
            try:
                load_form(target)
            except FormError as exc:
                for error in (exc, *exc.also):
                    found = self.explain(error)
                    if not any((p.sheet, p.row) == (found.sheet, found.row) and
                               p.row is not None for p in self.problems):
                        self.problems.append(found)

    def explain(self, error: FormError) -> ImportProblem:
        """The loader's verdict restated in the workbook's sheet and row."""
        reason_vi = error.reason_vi
        match = re.match(r"^(?:field '(?P<name>[^']*)' \()?row (?P<row>\d+)\)?$", error.where)
        if match and int(match["row"]) <= len(self.survey_rows):
            sheet, row = self.survey_rows[int(match["row"]) - 1]
            return ImportProblem(sheet, row, None, reason_vi, error.reason)
        match = re.match(r"^choice list '(?P<list>[^']*)'(?: choice '(?P<choice>[^']*)')?",
                         error.where)
        if match and match["list"] in self.choice_rows:
            row = self.choice_rows[match["list"]].get(match["choice"] or "")
            return ImportProblem("choices", row, None, reason_vi, error.reason)
        sheet = "settings" if error.where == "header" else ""
        return ImportProblem(sheet, None, None, reason_vi, error.reason)

    # -- columns -------------------------------------------------------------------------

    def columns(self, sheet: Sheet, known: dict[str, str], extra: bool = False) -> _Columns:
        """Resolve the header; warn about columns left out, refuse those that change meaning.

        A column is only reported where it holds something, so an empty `media::image`
        column left by a template does not clutter the report. `extra` keeps unknown plain
        columns (choice properties a choice_filter names) under their own name.
        """
        resolved = _Columns()
        filled = {i for _, cells in sheet.rows for i in cells}
        seen: dict[tuple[str, str | None], str] = {}
        for index in sorted(filled):
            raw = sheet.headers[index] if index < len(sheet.headers) else ""
            letter = column_letter(index)
            if not raw:
                first = next(number for number, cells in sheet.rows if index in cells)
                self.warn(sheet.title, first, letter,
                          "cột không có tiêu đề nhưng có nội dung; nội dung bị bỏ qua",
                          "a column with no header holds content, which was ignored")
                continue
            if raw.startswith("$") or raw.startswith("#"):
                continue  # Kobo's bookkeeping ($kuid, $autoname) and comment columns.
            base, language = _split_header(raw)
            column = known.get(base)
            if column is None and base.split(":")[0] in _MEDIA:
                self.warn(sheet.title, None, letter,
                          f"cột '{raw}' (ảnh, âm thanh, video kèm câu hỏi) được bỏ qua: "
                          "FieldKit chỉ hiện chữ",
                          f"column '{raw}' (media shown with a question) was ignored: "
                          "FieldKit shows text only")
                resolved.media.add(index)
                continue
            if column is None and extra and language is None and _PROPERTY.match(raw.strip()):
                column = raw.strip()
            if column is None:
                self.warn(sheet.title, None, letter,
                          f"cột '{raw}' không dùng trong FieldKit nên được bỏ qua",
                          f"column '{raw}' has no use in FieldKit and was ignored"
                          + (" (it only tunes ODK Collect)"
                             if base.split(":")[0] in _IGNORED_COLUMNS else ""))
                continue
            if language is not None and column not in _TRANSLATED:
                self.warn(sheet.title, None, letter,
                          f"cột '{raw}': '{column}' không có bản dịch; cột bị bỏ qua",
                          f"column '{raw}': '{column}' has no translations; ignored")
                continue
            if language is None and column in _TRANSLATED:
                language = self.language
            key = (column, language)
            if key in seen:
                self.refuse(sheet.title, None, letter,
                            f"các cột '{seen[key]}' và '{raw}' cùng cho {column}"
                            + (f" bằng '{language}'" if language else "") + "; giữ một cột",
                            f"columns '{seen[key]}' and '{raw}' both give {column}"
                            + (f" in '{language}'" if language else "") + "; keep one")
                continue
            seen[key] = raw
            resolved.used[index] = key
        return resolved

    def values(self, cells: dict[int, str], columns: _Columns, sheet: str, row: int
               ) -> tuple[dict[str, str], dict[str, dict[str, str]]]:
        """A row's plain values and its texts as {"vi": ..., "en": ...}."""
        plain: dict[str, str] = {}
        by_language: dict[str, dict[str, str]] = {}
        for index, value in cells.items():
            if index not in columns.used:
                continue
            column, language = columns.used[index]
            if language is None:
                plain[column] = value
            else:
                by_language.setdefault(column, {})[language] = value
        texts = {column: self.texts(found, sheet) for column, found in by_language.items()}
        return plain, texts

    def texts(self, found: dict[str, str], sheet: str) -> dict[str, str]:
        """vi and en kept; without Vietnamese, the default language's (or any) text stands
        in, so a form written in English still has something to show."""
        texts = {code: found[code] for code in ("vi", "en") if code in found}
        if "vi" not in texts:
            fallback = self.language if self.language in found else (
                "en" if "en" in found else next(iter(found)))
            texts["vi"] = found[fallback]
            self.fell_back.setdefault(sheet, set()).add(fallback)
        return texts

    # -- settings ------------------------------------------------------------------------

    def survey_settings(self, survey: Sheet) -> dict[str, str]:
        """Early XLSForms set the title and id with `set form title` / `set form id` rows on
        the survey sheet, the value in the name column; a settings sheet overrides them."""
        found: dict[str, str] = {}
        kinds = {index for index, raw in enumerate(survey.headers)
                 if _split_header(raw) == ("type", None)}
        names = [index for index, raw in enumerate(survey.headers)
                 if _split_header(raw) == ("name", None)]
        for _, cells in survey.rows:
            for index in kinds:
                kind = "_".join(cells.get(index, "").lower().split())
                if kind in ("set_form_title", "set_form_id") and names and \
                        cells.get(names[0]):
                    found["title" if kind == "set_form_title" else "form_id"] = \
                        cells[names[0]]
        return found

    def settings(self, sheet: Sheet | None, early: dict[str, str]) -> dict[str, Any]:
        plain = {key: value for key, value in early.items() if key != "title"}
        titles = {"": early["title"]} if "title" in early else {}
        title_sheet = sheet.title if sheet else "settings"
        if sheet is not None and sheet.rows:
            number, cells = sheet.rows[0]
            for other, _ in sheet.rows[1:]:
                self.warn(sheet.title, other, None,
                          "chỉ dòng settings đầu tiên được đọc; dòng này bị bỏ qua",
                          "only the first settings row is read; this row was ignored")
            for index, value in cells.items():
                raw = sheet.headers[index] if index < len(sheet.headers) else ""
                base, language = _split_header(raw)
                key = _SETTINGS.get(base)
                if key is None:
                    if raw and not raw.startswith("$"):
                        self.warn(sheet.title, number, column_letter(index),
                                  f"thiết lập '{raw}' không có tác dụng trong FieldKit nên "
                                  "được bỏ qua",
                                  f"setting '{raw}' has no effect in FieldKit and was ignored")
                elif key == "title":
                    titles[language or ""] = value
                else:
                    plain[key] = value
        self.duplicates_allowed = plain.get("allow_choice_duplicates", "").strip().lower() in (
            "yes", "true", "true()")
        raw_language = plain.get("default_language", "")
        if raw_language:
            self.language = _language(raw_language)
        titles = {(code or self.language): text for code, text in titles.items()}
        stem = self.path.stem
        form_id = plain.get("form_id") or re.sub(r"[^A-Za-z0-9_.-]", "_", stem).lstrip(".-")
        if not plain.get("form_id"):
            self.warn(title_sheet, None, "form_id",
                      f"không có form_id; dùng tên tệp: '{form_id}'",
                      f"no form_id; the file name is used: '{form_id}'")
        version = plain.get("version", "")
        if not version:
            version = DEFAULT_VERSION
            self.warn(title_sheet, None, "version",
                      f"không có version; nhập là phiên bản {DEFAULT_VERSION}. Khi sửa biểu "
                      "mẫu, hãy thêm cột version trong trang settings và tăng nó",
                      f"no version; imported as version {DEFAULT_VERSION}. When the form "
                      "changes, add a version column to the settings sheet and raise it")
        # Both name the definition file, so characters a file name cannot hold become "_"
        # ("Spec test" -> "Spec_test", a saved date "2022-04-11 16:26" -> "2022-04-11_16_26").
        for column, value, pattern in (("version", version, _VERSION),
                                       ("form_id", form_id, _FORM_ID)):
            if pattern.match(value):
                continue
            cleaned = re.sub(r"[^A-Za-z0-9_.-]+", "_", value).strip("_.-")[:32]
            if not cleaned or not pattern.match(cleaned):
                self.refuse(title_sheet, 2, column,
                            f"{column} '{value}' phải gồm chữ, số, '.', '_' hoặc '-' vì nó "
                            "đặt tên tệp",
                            f"{column} '{value}' must be letters, digits, ., _ or -, as it "
                            "names the definition file")
                continue
            self.warn(title_sheet, 2, column,
                      f"{column} '{value}' được đổi thành '{cleaned}' để đặt tên tệp",
                      f"{column} '{value}' became '{cleaned}' to name the definition file")
            if column == "version":
                version = cleaned
            else:
                form_id = cleaned
        if not titles:
            titles = {"vi": form_id}
            self.warn(title_sheet, None, "form_title",
                      f"không có form_title; tiêu đề tờ khai là '{form_id}'",
                      f"no form_title; the declaration is headed '{form_id}'")
        title = self.texts(titles, title_sheet)
        for language, text in title.items():
            if REFERENCE.search(text):
                self.refuse(title_sheet, 2, "form_title",
                            f"form_title ({language}) hiện câu trả lời bằng ${{...}}, nhưng "
                            "tiêu đề tờ khai giống nhau ở mọi hồ sơ; hãy viết lại",
                            f"form_title ({language}) shows an answer with ${{...}}, but the "
                            "title heads every record alike; reword it")
        header = {"id": form_id, "version": version, "title": title,
                  "default_language": self.language if self.language in ("vi", "en") else "vi"}
        if self.duplicates_allowed:
            header["allow_choice_duplicates"] = True
        return header

    # -- choices -------------------------------------------------------------------------

    def choices(self, sheet: Sheet | None, suffix: str = ""
                ) -> dict[str, list[dict[str, Any]]]:
        if sheet is None:
            return {}
        columns = self.columns(sheet, _CHOICE_COLUMNS, extra=True)
        lists: dict[str, list[dict[str, Any]]] = {}
        for number, cells in sheet.rows:
            plain, texts = self.values(cells, columns, sheet.title, number)
            list_name, name = plain.pop("list_name", ""), plain.pop("name", "")
            list_name += suffix if list_name else ""
            if not list_name and not name and not texts:
                continue  # only ignored columns on this row
            if not name and (not list_name or not (texts or plain)):
                # A stray word left beside the lists, which pyxform passes over too.
                self.warn(sheet.title, number, None,
                          "dòng không có list_name và name nên không phải lựa chọn; dòng bị "
                          "bỏ qua",
                          "the row has no list_name and name, so it is not a choice; it was "
                          "ignored")
                continue
            if not list_name or not name:
                self.refuse(sheet.title, number, None,
                            "lựa chọn cần cả list_name và name",
                            "a choice needs both list_name and name")
                continue
            rows = self.choice_rows.setdefault(list_name, {})
            if name in rows and not self.duplicates_allowed:
                self.refuse(sheet.title, number, None,
                            f"lựa chọn '{name}' bị trùng trong danh sách '{list_name}', lần "
                            f"đầu ở dòng {rows[name]}",
                            f"duplicate choice '{name}' in list '{list_name}', first on row "
                            f"{rows[name]}")
                continue
            rows.setdefault(name, number)
            label = texts.get("label")
            if not label:
                label = {"vi": name}
                self.warn(sheet.title, number, None,
                          f"lựa chọn '{name}' không có nhãn; hiện tên '{name}'",
                          f"choice '{name}' has no label; its name '{name}' is shown")
            lists.setdefault(list_name, []).append({"name": name, "label": label, **plain})
        return lists

    # -- survey --------------------------------------------------------------------------

    def survey(self, sheet: Sheet, choices: dict[str, list[dict[str, Any]]]
               ) -> list[dict[str, Any]]:
        columns = self.columns(sheet, _SURVEY_COLUMNS)
        at = {key: index for index, key in columns.used.items() if key[1] is None}
        if ("type", None) not in at:
            self.fail(sheet.title, 1, None, "không có cột 'type'", "no 'type' column")
        type_at, name_at = at[("type", None)], at.get(("name", None))
        lines = expand_loops(self, sheet.title, list(sheet.rows), columns.used, type_at,
                             name_at, choices, self.language)
        names = Names(self, sheet.title)
        placed = names.place(lines, type_at, name_at)
        rows: list[dict[str, Any]] = []
        for (number, cells), (name, chain) in zip(lines, placed, strict=True):
            plain, texts = self.values(cells, columns, sheet.title, number)
            if name is not None:
                plain["name"] = name
            plain = {key: value if key == "name" else
                     names.resolve(names.sibling_paths(value) if key in _EXPRESSIONS
                                   else value, chain, number, key)
                     for key, value in plain.items()}
            texts = {key: {lang: names.resolve(text, chain, number, key)
                           for lang, text in found.items()}
                     for key, found in texts.items()}
            raw_type = plain.pop("type", "")
            if not raw_type:
                if plain.get("name") or texts.get("label"):
                    self.refuse(sheet.title, number, None,
                                "dòng có tên hoặc nhãn nhưng thiếu type",
                                "the row has a name or label but no type")
                continue  # a comment row, as pyxform reads it
            if "label" not in texts and "hint" in texts:
                texts["label"] = texts.pop("hint")  # pyxform shows a lone hint as the text
            elif "label" not in texts and any(i in columns.media for i in cells):
                texts["label"] = {"vi": plain.get("name", "")}
            for row in self.row(sheet.title, number, raw_type, plain, texts, choices):
                rows.append({key: row[key] for key in _OUTPUT_ORDER if key in row})
                self.survey_rows.append((sheet.title, number))
        return rows

    def row(self, sheet: str, number: int, raw_type: str, plain: dict[str, str],
            texts: dict[str, dict[str, str]], choices: dict[str, list[dict[str, Any]]]
            ) -> list[dict[str, Any]]:
        """The definition rows one survey row becomes (or_other adds a second)."""
        kind, list_name, or_other = self.type(sheet, number, raw_type, plain)
        if kind is None:
            return []
        if kind == "acknowledge":
            # ODK stores "OK" when the box is ticked: a one-choice list stores the same.
            kind, list_name = "select_one", "_acknowledge"
            choices.setdefault(list_name, [{"name": "OK", "label": {"vi": "Đồng ý",
                                                                    "en": "OK"}}])
        name = plain.get("name", "")
        if kind.startswith("end_"):
            return [{"type": kind}]
        row: dict[str, Any] = {**plain, **texts, "type": kind}
        if "trigger" in row:
            self.refuse(sheet, number, "trigger",
                        "'trigger' (tính lại khi câu khác đổi) chưa được hỗ trợ; dùng "
                        "calculation",
                        "'trigger' (recalculate when another answer changes) is not "
                        "supported; use a calculation")
            row.pop("trigger")
        parameters = row.pop("parameters", "")
        if "appearance" in row:
            row["appearance"] = self.appearance(sheet, number, row["appearance"])
            if not row["appearance"]:
                row.pop("appearance")
        if kind in _GROUP_COLUMNS:
            self.drop_group_columns(sheet, number, kind, row)
        if "default" in row:
            row["default"] = _default_expression(row["default"])
        self.adapt(sheet, number, raw_type, row, parameters)
        for column in ("required", "relevant", "constraint"):
            if column in row and row[column].strip().lower() in _BOOLEAN_WORDS:
                row[column] = _BOOLEAN_WORDS[row[column].strip().lower()]
        for column in _EXPRESSIONS:
            if column in row and row[column] and column != "required":
                row[column] = self.expression(sheet, number, column, row[column])
        if list_name is not None:
            row["type"] = f"{kind} {list_name}"
            if list_name not in choices:
                external = list_name.endswith(_EXTERNAL)
                shown = list_name.removesuffix(_EXTERNAL) if external else list_name
                where = "external_choices" if external else "choices"
                self.refuse(sheet, number, "type",
                            f"danh sách lựa chọn '{shown}' không có trong trang {where}",
                            f"choice list '{shown}' is not on the {where} sheet")
        extra: list[dict[str, Any]] = []
        if or_other and list_name is not None and list_name in choices:
            extra.append(self.or_other(row, name, list_name, choices))
        return [row, *extra]

    def drop_group_columns(self, sheet: str, number: int, kind: str,
                           row: dict[str, Any]) -> None:
        """A group is not answered, so what checks or fills an answer does nothing there (in
        ODK Collect neither); the loader would drop it unseen, so the officer is told."""
        for column in [key for key in row if key not in _GROUP_COLUMNS[kind]]:
            row.pop(column)
            self.warn(sheet, number, column,
                      f"cột '{column}' không có tác dụng trên dòng {kind} nên được bỏ qua; "
                      "hãy đặt nó trên từng câu hỏi",
                      f"'{column}' has no effect on a {kind} row and was ignored; put it on "
                      "the questions themselves")

    def type(self, sheet: str, number: int, raw: str, plain: dict[str, str]
             ) -> tuple[str | None, str | None, bool]:
        """(our type, choice list, or_other) for an XLSForm type; None when the row is left
        out (metadata) or refused."""
        words = raw.strip().split()
        spelled = " ".join(words).lower()
        or_other = len(words) > 2 and words[-1].lower() == "or_other"
        if or_other:
            words = words[:-1]
        elif len(words) > 4 and [w.lower() for w in words[-3:]] == ["or", "specify", "other"]:
            or_other, words = True, words[:-3]
        for spelling in sorted(_SELECT_SPELLINGS, key=len, reverse=True):
            parts = spelling.split()
            if [w.lower() for w in words[:len(parts)]] == parts and len(words) == len(parts) + 1:
                return _SELECT_SPELLINGS[spelling], words[-1], or_other
        if [w.lower() for w in words[:1]] == ["select_one_external"] and len(words) == 2:
            # ODK Collect's search box over a long list; here the list itself is asked.
            return "select_one", words[1] + _EXTERNAL, or_other
        for key, (vi, en) in _REFUSED_TYPES.items():
            if words[0].lower() == key or spelled.startswith(key.replace("_", " ")):
                self.refuse(sheet, number, "type",
                            f"loại '{raw}' ({vi}): FieldKit không hỗ trợ; hãy xóa dòng hoặc "
                            "đổi loại câu hỏi",
                            f"type '{raw}' ({en}): not supported by FieldKit; remove the row "
                            "or change its type")
                return None, None, False
        joined = "_".join(w.lower() for w in words)
        joined = _TYPE_ALIASES.get(joined, joined)
        if joined in _SKIPPED_CAPTURE:
            return joined, None, False
        if words[0].lower() == "osm":  # `osm building`: tags from the osm sheet's list
            return "osm", None, False
        if joined in _METADATA:
            self.warn(sheet, number, "type",
                      f"'{raw}' là thông tin điện thoại tự ghi trong ODK; FieldKit tự ghi thời "
                      "gian, tình nguyện viên và máy với mỗi tờ khai nên giá trị này luôn trống",
                      f"'{raw}' is metadata an ODK phone records; FieldKit records the time, "
                      "volunteer and laptop with every record, so this value stays empty")
            plain["calculation"] = "''"
            return "calculate", None, False
        if joined in ("set_form_title", "set_form_id"):
            return None, None, False  # read with the settings (survey_settings)
        if joined == "today":
            plain["calculation"] = "today()"
            return "calculate", None, False
        if joined in _PLAIN_TYPES:
            return _PLAIN_TYPES[joined], None, False
        self.refuse(sheet, number, "type",
                    f"loại câu hỏi '{raw}' không được hỗ trợ; FieldKit nhận text, integer, "
                    "decimal, date, time, select_one, select_multiple, note, calculate, "
                    "acknowledge, range, barcode, geopoint và các nhóm",
                    f"question type '{raw}' is not supported; FieldKit takes text, integer, "
                    "decimal, date, time, select_one, select_multiple, note, calculate, "
                    "acknowledge, range, barcode, geopoint and groups")
        return None, None, False

    def adapt(self, sheet: str, number: int, raw: str, row: dict[str, Any],
              parameters: str) -> None:
        """Types with no widget of their own, asked with one that captures the same value."""
        kind = row["type"]
        if kind in _SKIPPED_CAPTURE:
            vi, en = _SKIPPED_CAPTURE[kind]
            row["type"] = "note"
            for key in ("required", "required_message", "constraint", "constraint_message",
                        "default", "calculation"):
                row.pop(key, None)
            label = row.setdefault("label", {"vi": row.get("name", "")})
            label["vi"] = f"{label.get('vi', '')} ({vi}: không ghi trên máy tính, bỏ qua)"
            if "en" in label:
                label["en"] = f"{label['en']} ({en}: not captured on a laptop, skipped)"
            why_vi, why_en = (("cần bản đồ, máy tính ngoài thực địa không có",
                               "they need a map, which a laptop in the field has not")
                              if kind == "osm" else
                              ("FieldKit không ghi ảnh, âm thanh hay tệp (ảnh giấy tờ là dữ "
                               "liệu nhạy cảm)",
                               "FieldKit captures no photos, sound or files (images of papers "
                               "are sensitive data)"))
            self.warn(sheet, number, "type",
                      f"câu hỏi {vi} được giữ nhưng luôn bỏ trống: {why_vi}",
                      f"the {en} question is kept but always left empty: {why_en}")
        elif kind == "hidden":
            # pyxform: a value with no question, from its calculation or default.
            row["type"] = "calculate"
            row["calculation"] = row.pop("calculation", "") or row.pop("default", "") or "''"
        elif kind == "phone_number":
            # pyxform's "phone number": digits only (not FieldKit's Vietnamese mobile check).
            row["type"] = "text"
            self.add_check(row, "^[0-9]*$", "Chỉ gõ chữ số", "Enter numbers only")
        elif kind == "barcode":
            row["type"] = "text"
            self.warn(sheet, number, "type",
                      "mã vạch được gõ hoặc quét bằng máy quét USB vào ô chữ",
                      "the barcode is typed, or scanned with a USB scanner, into a text box")
        elif kind in ("time", "datetime"):
            pattern, shape = (_TIME, "hh:mm") if kind == "time" else \
                (_DATETIME, "yyyy-mm-dd hh:mm")
            row["type"] = "text"
            self.add_check(row, pattern, f"Nhập theo dạng {shape}",
                           f"Enter as {shape}")
        elif kind in ("geopoint", "geotrace", "geoshape"):
            if kind != "geopoint":
                self.refuse(sheet, number, "type",
                            f"'{raw}' (vẽ đường hoặc vùng trên bản đồ) cần GPS và bản đồ; "
                            "hãy xóa dòng",
                            f"'{raw}' (a line or area on a map) needs GPS and a map; remove "
                            "the row")
                row["type"] = "text"
                return
            row["type"] = "text"
            row.pop("required", None)
            self.add_check(row, _GEOPOINT, "Vĩ độ và kinh độ, ví dụ 21.0285 105.8542 (có thể "
                           "bỏ trống)", "Latitude and longitude, e.g. 21.0285 105.8542 (may "
                           "be left empty)")
            self.warn(sheet, number, "type",
                      "máy tính không có GPS: tọa độ thành ô không bắt buộc, có thể gõ từ "
                      "điện thoại hoặc bỏ trống",
                      "a laptop has no GPS: the location becomes an optional box where "
                      "coordinates read from a phone may be typed, or left empty")
        elif kind == "range":
            self.range(sheet, number, row, parameters)
        elif parameters:
            self.warn(sheet, number, "parameters",
                      f"tham số '{parameters}' không có tác dụng với loại này nên bị bỏ qua",
                      f"parameters '{parameters}' have no effect on this type and were "
                      "ignored")

    def add_check(self, row: dict[str, Any], pattern: str, vi: str, en: str) -> None:
        check = f"regex(., '{pattern}')"
        row["constraint"] = f"({row['constraint']}) and {check}" if row.get("constraint") \
            else check
        row.setdefault("constraint_message", {"vi": vi + ".", "en": en + "."})
        hint = row.setdefault("hint", {"vi": "", "en": ""})
        hint["vi"] = (hint.get("vi", "") + " " if hint.get("vi") else "") + f"({vi})"
        hint["en"] = (hint.get("en", "") + " " if hint.get("en") else "") + f"({en})"

    def range(self, sheet: str, number: int, row: dict[str, Any], parameters: str) -> None:
        """ODK's range widget as a number box holding the same bounds."""
        values = dict(re.findall(r"(start|end|step)\s*=\s*(-?[0-9.]+)", parameters))
        start, end, step = (values.get("start", "1"), values.get("end", "10"),
                            values.get("step", "1"))
        try:
            whole = all(float(v).is_integer() for v in (start, end, step))
        except ValueError:
            whole = False
        row["type"] = "integer" if whole else "decimal"
        check = f". >= {start} and . <= {end}"
        row["constraint"] = f"({row['constraint']}) and {check}" if row.get("constraint") \
            else check
        row.setdefault("constraint_message", {"vi": f"Nhập từ {start} đến {end}.",
                                              "en": f"Enter {start} to {end}."})

    def appearance(self, sheet: str, number: int, value: str) -> str:
        kept = []
        for word in value.split():
            if word.lower() in _HONOURED_APPEARANCES:
                kept.append(word.lower())
            else:
                self.warn(sheet, number, "appearance",
                          f"appearance '{word}' được bỏ qua: FieldKit hiện câu hỏi theo cách "
                          "của mình",
                          f"appearance '{word}' was ignored: FieldKit lays the question out "
                          "its own way")
        return " ".join(kept)

    def expression(self, sheet: str, number: int, column: str, text: str) -> str:
        """The expression as the loader will read it; quotes Word or Excel curled are
        straightened when that is all that stops it (a curled quote inside a string stays)."""
        try:
            compile_expression(text)
            return text
        except ExpressionError as exc:
            error = exc
        straight = text
        for pair, quote in _CURLY_PAIRS:
            straight = pair.sub(lambda m, q=quote: q + m[1] + q, straight)
        if straight != text:
            with contextlib.suppress(ExpressionError):
                compile_expression(straight)
                self.warn(sheet, number, column,
                          f"dấu nháy cong ‘ ’ “ ” trong {column} được đọc là dấu nháy thẳng",
                          f"curly quotes ‘ ’ “ ” in {column} were read as straight quotes")
                return straight
        self.refuse(sheet, number, column,
                    f"biểu thức {column} {text!r} không dùng được: {error.message_vi} (ở ký "
                    f"tự {error.position + 1})",
                    f"{column} {text!r} cannot be used: {error} (at character "
                    f"{error.position + 1})")
        return text

    def or_other(self, row: dict[str, Any], name: str, list_name: str,
                 choices: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
        """pyxform's `or_other`: an "other" choice and a text box shown when it is picked."""
        own = f"{list_name}_or_other"
        if own not in choices:
            items = choices[list_name]
            choices[own] = items + ([] if any(c["name"] == "other" for c in items) else
                                    [{"name": "other", "label": dict(_OR_OTHER_LABEL)}])
            self.choice_rows[own] = self.choice_rows.get(list_name, {})
        kind = row["type"].split()[0]
        row["type"] = f"{kind} {own}"
        return {"type": "text", "name": f"{name}_other", "label": dict(_SPECIFY_OTHER),
                "relevant": f"selected(${{{name}}}, 'other')"}


def _split_header(raw: str) -> tuple[str, str | None]:
    """`label::English (en)` -> ("label", "en"); `label:English` (old pyxform) the same;
    `bind:jr:constraintMsg` -> ("bind:jr:constraintmsg", None)."""
    header = re.sub(r"\s+", " ", raw).strip()
    if "::" in header:
        base, suffix = header.split("::", 1)
        base = base.strip().lower()
        if base in _MEDIA or base.startswith("media"):
            return base, None
        return base.replace(" ", "_"), _language(suffix)
    if ":" in header:
        prefix, rest = header.split(":", 1)
        lowered = prefix.strip().lower()
        if lowered in ("label", "hint", "caption", "constraint_message", "required_message",
                       "constraint message", "required message", "guidance_hint"):
            return lowered.replace(" ", "_"), _language(rest)
        return re.sub(r"\s*:\s*", ":", header.lower()), None
    lowered = header.lower()
    return (lowered if lowered in _CHOICE_COLUMNS else lowered.replace(" ", "_")), None


def _language(name: str) -> str:
    """`Tiếng Việt (vi)`, `English (en)`, `vi`, `English` -> a code; other names lower-cased."""
    if match := _LANGUAGE_CODE.search(name):
        return match[1].lower()
    cleaned = name.strip().lower()
    return _LANGUAGES.get(cleaned, cleaned or "vi")


def _default_expression(value: str) -> str:
    """An XLSForm default is a literal, ours an expression: a plain value is quoted; one that
    names a field or calls a function is already an expression and kept."""
    if "${" in value or "(" in value or (len(value) > 1 and value[0] == value[-1] in "'\""):
        return value
    quote = "'" if "'" not in value else '"'
    return f"{quote}{value.replace(quote, '')}{quote}"
