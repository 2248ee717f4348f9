"""Form definitions: the JSON files in `forms/` read into a checked tree.

The files are written by commune IT staff, not programmers, and a mistake found while a
volunteer is filling a form in a village is found too late. So every check that can be made
without answers is made here, when the file is loaded, and each failure names the file, the
field (or row) and the reason, so the person editing the file knows where to look.

The survey rows stay flat in the file (XLSForm, row for row) and become a tree here: pages
(groups), repeats and fields, each with its expressions compiled once.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fieldkit.core.forms.expressions import Expression, ExpressionError, compile_expression
from fieldkit.core.forms.piping import references

INPUT_TYPES = frozenset({
    "text", "integer", "decimal", "date", "select_one", "select_multiple", "note", "calculate",
    "id_number", "phone", "ethnicity", "province", "commune",
})
SELECT_TYPES = frozenset({"select_one", "select_multiple"})
# Calculated rows have no widget, so nothing to label.
_UNLABELLED_TYPES = frozenset({"calculate"})
_STRUCTURE_TYPES = frozenset({"begin_group", "end_group", "begin_repeat", "end_repeat"})
_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_TEXT_KEYS = ("label", "hint", "constraint_message", "required_message")
_EXPRESSION_KEYS = (
    "required", "relevant", "constraint", "calculation", "default", "choice_filter",
    "repeat_count",
)
# Roots of `prefill` and the model whose columns they may name; a typo here would leave a
# field silently empty on every form opened for a household.
_PREFILL_ROOTS = {"head": "Person", "person": "Person", "household": "Household"}
# Groups and repeats open at once; deeper nesting is refused so walking the tree stays shallow.
MAX_NESTING = 30

Texts = dict[str, str]


class FormError(ValueError):
    """A definition that cannot be used, with where it went wrong and why.

    `reason` is English (and what str(error) shows) and `reason_vi` the same reason in
    Vietnamese; the Vietnamese one is required so no check can leave officers without it.
    `where` is the same in both languages: other code reads it. `also` holds the findings on
    later rows, so an officer importing a workbook can fix them all in one go.
    """

    def __init__(self, file: Path | str, where: str, reason: str, reason_vi: str) -> None:
        super().__init__(f"{file}: {where}: {reason}" if where else f"{file}: {reason}")
        self.file = str(file)
        self.where = where
        self.reason = reason
        self.reason_vi = reason_vi
        self.also: list[FormError] = []


@dataclass(frozen=True)
class Choice:
    name: str
    label: Texts
    # Extra keys (e.g. "province") that a choice_filter refers to by bare name.
    properties: dict[str, Any] = field(default_factory=dict)


@dataclass
class Field:
    name: str
    type: str
    row: int
    list_name: str | None = None
    label: Texts = field(default_factory=dict)
    hint: Texts = field(default_factory=dict)
    constraint_message: Texts = field(default_factory=dict)
    required_message: Texts = field(default_factory=dict)
    # `True` for "yes"; an expression when the need depends on other answers.
    required: Expression | bool = False
    relevant: Expression | None = None
    constraint: Expression | None = None
    calculation: Expression | None = None
    default: Expression | None = None
    choice_filter: Expression | None = None
    prefill: str | None = None
    # On an id_number: the fields holding the same person's date of birth and gender, so the
    # number's century, gender and year digits are checked against them.
    birth_field: str | None = None
    gender_field: str | None = None
    # XLSForm appearance words the renderer honours (`minimal`, `horizontal`, `multiline`).
    appearance: frozenset[str] = frozenset()


@dataclass
class Group:
    """A page of the form; groups nested inside a page only gather fields under one relevance."""

    name: str
    row: int
    label: Texts = field(default_factory=dict)
    relevant: Expression | None = None
    children: list[Node] = field(default_factory=list)
    appearance: frozenset[str] = frozenset()


@dataclass
class Repeat:
    """A block answered once per entry (household members, witnesses)."""

    name: str
    row: int
    label: Texts = field(default_factory=dict)
    hint: Texts = field(default_factory=dict)
    relevant: Expression | None = None
    repeat_count: Expression | None = None
    children: list[Node] = field(default_factory=list)


Node = Field | Group | Repeat


@dataclass
class FormDefinition:
    id: str
    version: str
    title: Texts
    default_language: str
    children: list[Node]
    choices: dict[str, list[Choice]]
    path: Path | None = None

    @property
    def pages(self) -> list[Group]:
        return [node for node in self.children if isinstance(node, Group)]

    def fields(self) -> Iterator[Field]:
        """Every field, in document order, including those inside repeats."""
        return (node for node in walk(self.children) if isinstance(node, Field))

    def repeats(self) -> Iterator[Repeat]:
        return (node for node in walk(self.children) if isinstance(node, Repeat))


def walk(nodes: list[Node]) -> Iterator[Node]:
    for node in nodes:
        yield node
        if isinstance(node, Group | Repeat):
            yield from walk(node.children)


def load_forms(directory: Path | str) -> list[FormDefinition]:
    """Every `*.json` definition in `directory`, in file-name order; the first bad file raises
    (what `forms check` wants)."""
    return [load_form(path) for path in sorted(Path(directory).glob("*.json"))]


def load_forms_reporting(*directories: Path | str
                         ) -> tuple[list[FormDefinition], list[FormError]]:
    """Every definition that loads, and the errors of those that do not, each file on its own."""
    from fieldkit.core.json_files import load_each

    return load_each(directories, load_form, FormError)


def load_form(path: Path | str) -> FormDefinition:
    path = Path(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except json.JSONDecodeError as exc:
        raise FormError(path, f"line {exc.lineno} column {exc.colno}",
                        f"invalid JSON: {exc.msg}",
                        f"JSON không hợp lệ (chi tiết: {exc.msg})") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormError(path, "", f"cannot read the file: {exc}",
                        f"không đọc được tệp: {exc}") from None
    except RecursionError:
        raise FormError(path, "", "invalid JSON: nested too deeply to read",
                        "JSON không hợp lệ: lồng nhau quá sâu, không đọc được") from None
    except ValueError as exc:  # e.g. an integer longer than Python reads
        raise FormError(path, "", f"invalid JSON: {exc}",
                        f"JSON không hợp lệ (chi tiết: {exc})") from None
    try:
        return _Loader(path, data).load()
    except RecursionError:
        raise FormError(path, "", "the definition is nested too deeply to read",
                        "định nghĩa biểu mẫu lồng nhau quá sâu, không đọc được") from None


class _Loader:
    """One pass over a parsed file; holds the file name so every error can name it."""

    def __init__(self, path: Path, data: object) -> None:
        self.path = path
        self.data = data
        self.rows_of: dict[str, int] = {}
        self.kinds: dict[str, str] = {}
        # Findings confined to one row: the rest of the form is still checked.
        self.errors: list[FormError] = []

    def fail(self, where: str, reason: str, reason_vi: str) -> FormError:
        return FormError(self.path, where, reason, reason_vi)

    def load(self) -> FormDefinition:
        if not isinstance(self.data, dict):
            raise self.fail("", "the file must hold one JSON object",
                            "tệp phải chứa đúng một đối tượng JSON")
        data = self.data
        for key in ("id", "version", "title"):
            if not data.get(key):
                raise self.fail("header", f"missing '{key}'", f"thiếu '{key}'")
        for key in ("id", "version"):
            if not isinstance(data[key], str):
                raise self.fail("header", f"'{key}' must be a string",
                                f"'{key}' phải là chuỗi ký tự")
        title = self.texts(data["title"], "header", "title")
        language = data.get("default_language", "vi")
        if not isinstance(language, str) or not language:
            raise self.fail("header", "'default_language' must be a language code such as 'vi'",
                            "'default_language' phải là mã ngôn ngữ, ví dụ 'vi'")
        choices = self.choices(data.get("choices", {}))
        survey = data.get("survey")
        if not isinstance(survey, list) or not survey:
            raise self.fail("header", "'survey' must be a non-empty list of rows",
                            "'survey' phải là danh sách các dòng và không được để trống")
        self.collect_names(survey)
        children = self.build_tree(survey, choices)
        form = FormDefinition(data["id"], data["version"], title, language, children, choices,
                              self.path)
        self.check_references(form)
        if self.errors:
            first, *rest = self.errors
            first.also = rest
            raise first
        self.check_calculation_cycles(form)
        return form

    def where(self, row: int, name: str | None = None) -> str:
        return f"field '{name}' (row {row})" if name else f"row {row}"

    def texts(self, value: object, where: str, key: str) -> Texts:
        if not isinstance(value, dict) or not all(
            isinstance(k, str) and isinstance(v, str) for k, v in value.items()
        ):
            raise self.fail(where, f"'{key}' must be an object of language -> text",
                            f"'{key}' phải là một đối tượng dạng ngôn ngữ -> nội dung")
        if not value.get("vi", "").strip():
            raise self.fail(where, f"'{key}' has no Vietnamese text ('vi')",
                            f"'{key}' chưa có nội dung tiếng Việt ('vi')")
        return dict(value)

    def choices(self, raw: object) -> dict[str, list[Choice]]:
        if not isinstance(raw, dict):
            raise self.fail("choices", "'choices' must be an object of list name -> items",
                            "'choices' phải là một đối tượng dạng tên danh sách -> các mục")
        lists: dict[str, list[Choice]] = {}
        for list_name, items in raw.items():
            where = f"choice list '{list_name}'"
            if not isinstance(items, list) or not items:
                raise self.fail(where, "must be a non-empty list of choices",
                                "phải là danh sách các lựa chọn và không được để trống")
            seen: set[str] = set()
            lists[list_name] = []
            for number, item in enumerate(items, start=1):
                name = item.get("name") if isinstance(item, dict) else None
                if not isinstance(name, str) or not name:
                    raise self.fail(f"{where} item {number}", "missing 'name'", "thiếu 'name'")
                # pyxform's allow_choice_duplicates: the same county name under two states,
                # told apart by the choice_filter that shows only one of them.
                if name in seen and self.data.get("allow_choice_duplicates") is not True:  # type: ignore[union-attr]
                    raise self.fail(f"{where} item {number}", f"duplicate choice name '{name}'",
                                    f"tên lựa chọn '{name}' bị trùng trong danh sách")
                seen.add(name)
                label = self.texts(item.get("label"), f"{where} choice '{name}'", "label")
                extra = {k: v for k, v in item.items() if k not in ("name", "label")}
                lists[list_name].append(Choice(name, label, extra))
        return lists

    def collect_names(self, survey: list[object]) -> None:
        """Learn every name first: XLSForm lets an expression refer to a later field."""
        for row, raw in enumerate(survey, start=1):
            if not isinstance(raw, dict):
                raise self.fail(self.where(row), "a survey row must be a JSON object",
                                "mỗi dòng của 'survey' phải là một đối tượng JSON")
            kind = raw.get("type")
            if not isinstance(kind, str) or not kind.strip():
                raise self.fail(self.where(row, raw.get("name")), "missing 'type'",
                                "thiếu 'type'")
            base = kind.split()[0]
            if base not in INPUT_TYPES and base not in _STRUCTURE_TYPES:
                raise self.fail(self.where(row, raw.get("name")), f"unknown type '{kind}'",
                                f"loại '{kind}' không được hỗ trợ")
            if base.startswith("end_"):
                continue
            name = raw.get("name")
            if not isinstance(name, str) or not name:
                raise self.fail(self.where(row), f"'{kind}' row has no 'name'",
                                f"dòng '{kind}' thiếu 'name'")
            if not _NAME.match(name):
                raise self.fail(self.where(row, name),
                                "invalid name: use letters, digits and _, not starting "
                                "with a digit",
                                "tên không hợp lệ: chỉ dùng chữ cái, chữ số và _, không bắt "
                                "đầu bằng chữ số")
            if name in self.rows_of:
                raise self.fail(self.where(row, name),
                                f"duplicate name, first used on row {self.rows_of[name]}",
                                f"tên trùng, đã dùng ở dòng {self.rows_of[name]}")
            self.rows_of[name] = row
            self.kinds[name] = base

    def build_tree(self, survey: list[dict[str, Any]], choices: dict[str, list[Choice]]
                   ) -> list[Node]:
        root: list[Node] = []
        stack: list[tuple[Group | Repeat, str]] = []
        for row, raw in enumerate(survey, start=1):
            kind = raw["type"].split()
            base = kind[0]
            siblings = stack[-1][0].children if stack else root
            if base in ("end_group", "end_repeat"):
                opened = base.replace("end_", "begin_")
                if not stack or stack[-1][1] != opened:
                    expected = f"'{stack[-1][1].replace('begin_', 'end_')}'" if stack else \
                        "nothing to close"
                    reason_vi = (f"'{base}' không khớp với nhóm đang mở (cần {expected} trước)"
                                 if stack else
                                 f"'{base}' bị thừa: không có nhóm nào đang mở để đóng")
                    raise self.fail(self.where(row), f"unbalanced '{base}' (expected {expected})",
                                    reason_vi)
                stack.pop()
                continue
            name = raw["name"]
            where = self.where(row, name)
            if base not in ("begin_group", "begin_repeat"):
                try:
                    siblings.append(self.field(raw, row, kind, choices))
                except FormError as error:
                    self.errors.append(error)
                continue
            texts = {key: self.texts(raw[key], where, key) for key in _TEXT_KEYS if key in raw}
            exprs = self.expressions(raw, where, base)
            if len(stack) >= MAX_NESTING:
                raise self.fail(where, f"groups and repeats are nested more than "
                                       f"{MAX_NESTING} levels deep",
                                f"nhóm và nhóm lặp lồng nhau quá {MAX_NESTING} cấp")
            node: Node
            if base == "begin_group":
                node = Group(name, row, texts.get("label", {}), exprs.get("relevant"),
                             appearance=self.appearance(raw, where))
            else:
                node = Repeat(name, row, texts.get("label", {}), texts.get("hint", {}),
                              exprs.get("relevant"), exprs.get("repeat_count"))
            siblings.append(node)
            stack.append((node, base))
        if stack:
            opened, base = stack[-1]
            raise self.fail(self.where(opened.row, opened.name),
                            f"'{base}' is never closed with "
                            f"'{base.replace('begin_', 'end_')}'",
                            f"'{base}' chưa được đóng bằng "
                            f"'{base.replace('begin_', 'end_')}'")
        return root

    def field(self, raw: dict[str, Any], row: int, kind: list[str],
              choices: dict[str, list[Choice]]) -> Field:
        base, name = kind[0], raw["name"]
        where = self.where(row, name)
        texts = {key: self.texts(raw[key], where, key) for key in _TEXT_KEYS if key in raw}
        exprs = self.expressions(raw, where, base)
        list_name = None
        if base in SELECT_TYPES:
            if len(kind) != 2:
                raise self.fail(where, f"'{base}' needs one choice list name, "
                                       f"e.g. '{base} gender'",
                                f"'{base}' cần đúng một tên danh sách lựa chọn, "
                                f"ví dụ '{base} gender'")
            list_name = kind[1]
            if list_name not in choices:
                raise self.fail(where, f"choice list '{list_name}' is not in 'choices'",
                                f"danh sách lựa chọn '{list_name}' không có trong 'choices'")
        elif len(kind) != 1:
            raise self.fail(where, f"unknown type '{raw['type']}'",
                            f"loại '{raw['type']}' không được hỗ trợ")
        if base == "calculate" and "calculation" not in exprs:
            raise self.fail(where, "a calculate row needs a 'calculation'",
                            "dòng calculate phải có 'calculation'")
        if base not in _UNLABELLED_TYPES and "label" not in texts:
            raise self.fail(where, "missing 'label'", "thiếu 'label'")
        if "choice_filter" in exprs:
            if base not in SELECT_TYPES and base != "commune":
                raise self.fail(where, "'choice_filter' only applies to select_one, "
                                       "select_multiple and commune",
                                "'choice_filter' chỉ dùng được cho select_one, "
                                "select_multiple và commune")
            keys = ({"name", "province"} if base == "commune" else
                    {"name"}.union(*(c.properties for c in choices[list_name])))
            unknown = sorted(exprs["choice_filter"].item_names - keys)
            if unknown:
                raise self.fail(where, f"choice_filter refers to '{unknown[0]}', which no "
                                       f"choice in list '{list_name or base}' has",
                                f"choice_filter dùng '{unknown[0]}', nhưng không lựa chọn "
                                f"nào trong danh sách '{list_name or base}' có thuộc tính này")
        if "repeat_count" in exprs:
            raise self.fail(where, "'repeat_count' only applies to begin_repeat",
                            "'repeat_count' chỉ dùng được cho begin_repeat")
        prefill = raw.get("prefill")
        if prefill is not None:
            self.check_prefill(prefill, where)
        paired = {key: raw.get(key) for key in ("birth_field", "gender_field")}
        for key, other in paired.items():
            if other is None:
                continue
            if base != "id_number":
                raise self.fail(where, f"'{key}' only applies to id_number fields",
                                f"'{key}' chỉ dùng được cho trường id_number")
            wanted = "date" if key == "birth_field" else "select_one"
            if not isinstance(other, str) or not self.kinds.get(other, "").startswith(wanted):
                raise self.fail(where, f"'{key}' must name a {wanted} field of this form, "
                                       f"not {other!r}",
                                f"'{key}' phải là tên một trường {wanted} của biểu mẫu này, "
                                f"không phải {other!r}")
        required = exprs.get("required", False)
        return Field(
            name, base, row, list_name,
            label=texts.get("label", {}), hint=texts.get("hint", {}),
            constraint_message=texts.get("constraint_message", {}),
            required_message=texts.get("required_message", {}),
            required=required, relevant=exprs.get("relevant"),
            constraint=exprs.get("constraint"), calculation=exprs.get("calculation"),
            default=exprs.get("default"), choice_filter=exprs.get("choice_filter"),
            prefill=prefill, birth_field=paired["birth_field"],
            gender_field=paired["gender_field"], appearance=self.appearance(raw, where),
        )

    def appearance(self, raw: dict[str, Any], where: str) -> frozenset[str]:
        value = raw.get("appearance", "")
        if not isinstance(value, str):
            raise self.fail(where, "'appearance' must be a string of words",
                            "'appearance' phải là một chuỗi gồm các từ khóa")
        return frozenset(value.split())

    def expressions(self, raw: dict[str, Any], where: str, base: str) -> dict[str, Any]:
        compiled: dict[str, Any] = {}
        for key in _EXPRESSION_KEYS:
            if key not in raw:
                continue
            text = raw[key]
            if key == "required" and isinstance(text, bool):
                compiled[key] = text
                continue
            if not isinstance(text, str):
                raise self.fail(where, f"'{key}' must be a string expression",
                                f"'{key}' phải là một biểu thức viết dạng chuỗi")
            if key == "required" and text.strip().lower() in ("yes", "true", "true()", "no",
                                                               "false", "false()", ""):
                compiled[key] = text.strip().lower() in ("yes", "true", "true()")
                continue
            if key == "repeat_count" and base != "begin_repeat":
                raise self.fail(where, "'repeat_count' only applies to begin_repeat",
                                "'repeat_count' chỉ dùng được cho begin_repeat")
            try:
                expression = compile_expression(text)
            except ExpressionError as exc:
                raise self.fail(where, f"malformed {key} {text!r}: {exc} "
                                       f"(at position {exc.position})",
                                f"biểu thức {key} {text!r} không đúng: {exc.message_vi} "
                                f"(tại vị trí {exc.position})") from None
            if expression.item_names and key != "choice_filter":
                bare = sorted(expression.item_names)[0]
                raise self.fail(where, f"{key} uses the bare name '{bare}'; refer to a "
                                       "field as ${name}",
                                f"{key} dùng trực tiếp tên '{bare}'; hãy tham chiếu "
                                "trường theo dạng ${name}")
            if expression.uses_dot and key != "constraint":
                raise self.fail(where, f"'.' (this field's own value) is only allowed in a "
                                       f"constraint, not in {key}",
                                f"'.' (giá trị của chính trường này) chỉ được dùng trong "
                                f"constraint, không được dùng trong {key}")
            compiled[key] = expression
        return compiled

    def check_prefill(self, prefill: object, where: str) -> None:
        from fieldkit.core import models

        if not isinstance(prefill, str) or prefill.count(".") != 1:
            raise self.fail(where, f"unknown prefill source {prefill!r}: use head.FIELD, "
                                   "person.FIELD or household.FIELD",
                            f"nguồn prefill {prefill!r} không hợp lệ: hãy dùng head.FIELD, "
                            "person.FIELD hoặc household.FIELD")
        root, column = prefill.split(".")
        model = _PREFILL_ROOTS.get(root)
        if model is None:
            raise self.fail(where, f"unknown prefill source {prefill!r}: the part before "
                                   "the dot must be head, person or household",
                            f"nguồn prefill {prefill!r} không hợp lệ: phần trước dấu chấm "
                            "phải là head, person hoặc household")
        bookkeeping = set(models.SyncedRow.model_fields)
        known = set(getattr(models, model).model_fields) - bookkeeping
        if column not in known:
            raise self.fail(where, f"unknown prefill source {prefill!r}: {root} has no field "
                                   f"'{column}' (known: {', '.join(sorted(known))})",
                            f"nguồn prefill {prefill!r} không hợp lệ: {root} không có trường "
                            f"'{column}' (các trường hiện có: {', '.join(sorted(known))})")

    def check_references(self, form: FormDefinition) -> None:
        # The repeats around each name, outermost first (for a repeat: those around it).
        inside: dict[str, tuple[str, ...]] = {}

        def place(nodes: list[Node], chain: tuple[str, ...]) -> None:
            for node in nodes:
                inside[node.name] = chain
                if isinstance(node, Group):
                    place(node.children, chain)
                elif isinstance(node, Repeat):
                    place(node.children, (*chain, node.name))

        place(form.children, ())
        for node in walk(form.children):
            try:
                self.check_node_references(node, form, inside)
            except FormError as error:
                self.errors.append(error)

    def check_node_references(self, node: Node, form: FormDefinition,
                              inside: dict[str, tuple[str, ...]]) -> None:
        where = self.where(node.row, node.name)
        for key, expression in _expressions_of(node):
            self.check_repeat_scope(node, key, expression, inside, where)
            unknown = sorted(expression.references - self.rows_of.keys())
            if unknown:
                listed = ', '.join('${' + n + '}' for n in unknown)
                raise self.fail(where, f"{key} refers to unknown field {listed}",
                                f"{key} tham chiếu trường không có trong biểu mẫu: "
                                f"{listed}")
            groups = sorted(n for n in expression.references if self.kinds[n] == "begin_group")
            if groups:
                raise self.fail(where, f"{key} refers to group ${{{groups[0]}}}, which has "
                                       "no value; refer to a field inside it",
                                f"{key} tham chiếu nhóm ${{{groups[0]}}}, nhưng nhóm "
                                "không có giá trị; hãy tham chiếu một trường bên trong "
                                "nhóm")
        texts = [(key, key, getattr(node, key, None) or {}) for key in _TEXT_KEYS]
        if isinstance(node, Field) and node.list_name in form.choices:
            texts += [(f"choice '{c.name}'", f"lựa chọn '{c.name}'", c.label)
                      for c in form.choices[node.list_name]]
        for key, key_vi, text in texts:
            shown = references(text)
            unknown = sorted(shown - self.rows_of.keys())
            if unknown:
                raise self.fail(where, f"{key} shows unknown field ${{{unknown[0]}}}",
                                f"{key_vi} hiển thị ${{{unknown[0]}}}, nhưng biểu mẫu không "
                                "có trường này")
            groups = sorted(n for n in shown if self.kinds[n] in _STRUCTURE_TYPES)
            if groups:
                raise self.fail(where, f"{key} shows ${{{groups[0]}}}, a group or repeat "
                                       "with no single value; show a field inside it",
                                f"{key_vi} hiển thị ${{{groups[0]}}}, là nhóm hoặc nhóm lặp "
                                "không có một giá trị riêng; hãy hiển thị một trường bên "
                                "trong")

    def check_repeat_scope(self, node: Node, key: str, expression: Expression,
                           inside: dict[str, tuple[str, ...]], where: str) -> None:
        """A field inside a repeat has one value per entry, so only expressions inside that
        entry (or a repeat within it) read a single value; from anywhere else only an
        aggregate such as count(${...}) or sum(${...}) can look in."""
        own = inside.get(node.name, ())
        for name in sorted(expression.references - expression.counted):
            chain = inside.get(name, ())
            if name != node.name and own[:len(chain)] != chain:
                repeat = chain[-1]
                raise self.fail(where, f"{key} refers to ${{{name}}}, which is inside repeat "
                                       f"'{repeat}'; from outside it only count(${{{repeat}}}) "
                                       f"or sum(${{{name}}}) can be used",
                                f"{key} tham chiếu ${{{name}}}, là trường nằm trong nhóm lặp "
                                f"'{repeat}'; từ bên ngoài nhóm lặp chỉ dùng được "
                                f"count(${{{repeat}}}) hoặc sum(${{{name}}})")

    def check_calculation_cycles(self, form: FormDefinition) -> None:
        """A calculation that needs its own result can never be computed. Walked with an
        explicit stack, so thousands of chained calculations cannot exhaust Python's."""
        needs = {f.name: sorted(f.calculation.references) for f in form.fields()
                 if f.calculation}
        rows = {f.name: f.row for f in form.fields()}
        done: set[str] = set()
        for start in needs:
            if start in done:
                continue
            trail: list[str] = [start]
            on_trail = {start}
            # (name, index of the next dependency to look at), mirroring `trail`.
            stack: list[tuple[str, int]] = [(start, 0)]
            while stack:
                name, next_index = stack[-1]
                deps = needs[name]
                if next_index == len(deps):
                    stack.pop()
                    trail.pop()
                    on_trail.discard(name)
                    done.add(name)
                    continue
                stack[-1] = (name, next_index + 1)
                other = deps[next_index]
                if other in on_trail:
                    cycle = [*trail[trail.index(other):], other]
                    chain = " -> ".join(f"${{{n}}}" for n in cycle)
                    raise self.fail(self.where(rows[other], other),
                                    f"calculations form a cycle: {chain}",
                                    f"các phép tính phụ thuộc vòng tròn lẫn nhau: {chain}")
                if other in done or other not in needs:
                    continue
                trail.append(other)
                on_trail.add(other)
                stack.append((other, 0))


def _expressions_of(node: Node) -> Iterator[tuple[str, Expression]]:
    for key in _EXPRESSION_KEYS:
        value = getattr(node, key, None)
        if value is not None and not isinstance(value, bool):
            yield key, value
