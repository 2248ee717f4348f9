"""Checking a filled form record: the one validator the renderer and the server both run.

A record is checked exactly as the volunteer saw it: calculations are worked out first (in
the order their dependencies need), then fields and pages hidden by `relevant` are dropped
with their values, as the form did on screen, and only what remains is checked for required
answers, types and constraints. The server runs the same code on what it receives, so a
record accepted in the village is never refused at the commune for a different reason.

Answers map field names to values and repeat names to lists of entries (dicts of the same
shape). Problems name the field by the path `records.set_path` writes to, repeat entries
counted from 0: "members[2].member_name" is the third member's name.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from typing import Any

from fieldkit.core.forms.definition import (
    SELECT_TYPES,
    Field,
    FormDefinition,
    Group,
    Node,
    Repeat,
)
from fieldkit.core.forms.expressions import Context, Expression
from fieldkit.core.i18n import LANGUAGES, current_language, tr
from fieldkit.core.i18n import language as in_language

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_INTEGER = re.compile(r"^[+-]?\d+$")
_DECIMAL = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
# Longest numeric text read as a number (or code); anything longer is reported, not parsed.
MAX_NUMBER_TEXT = 30


@dataclass(frozen=True)
class Problem:
    field: str
    message: str


@dataclass(frozen=True)
class Evaluation:
    """One pass of the validator: what is wrong, what relevance hides (paths like
    `members[0].member_name`), and the answers as expressions see them (typed, calculated,
    hidden ones dropped). The form screen and the printout show exactly this."""

    problems: list[Problem]
    hidden: frozenset[str]
    values: dict[str, Any]


def evaluate_answers(form: FormDefinition, answers: dict[str, Any], today: date,
                     language: str | None = None) -> Evaluation:
    """Never raises on JSON-like answers: what cannot be read is reported as a Problem, worded
    in `language` (the current language when not given) like the labels it quotes."""
    language = language or current_language()
    with in_language(language if language in LANGUAGES else current_language()):
        if not isinstance(answers, dict):
            return Evaluation([Problem("", tr("Dữ liệu câu trả lời không hợp lệ."))],
                              frozenset(), {})
        try:
            return _Checker(form, today, language).evaluate(answers)
        except RecursionError:
            return Evaluation([Problem("", tr("Dữ liệu câu trả lời lồng nhau quá sâu."))],
                              frozenset(), {})


def check_answers(form: FormDefinition, answers: dict[str, Any], today: date,
                  language: str | None = None) -> list[Problem]:
    """Everything wrong with `answers`, in form order; an empty list means complete."""
    return evaluate_answers(form, answers, today, language).problems


Scope = tuple[frozenset[str], dict[str, Any]]


class _ScopedValues(Mapping[str, object]):
    """Answers as an expression sees them: a name resolves in the innermost repeat entry
    that holds it, so `${member_age}` inside a repeat means this member's age."""

    def __init__(self, scopes: list[Scope],
                 chains: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.scopes = scopes
        # The repeats around each name, outermost first: how to reach every value of it.
        self.chains = chains or {}

    def collect(self, name: str) -> list[object]:
        """Every value of `name` below the innermost entry that encloses it: a field of a
        nested repeat read from a household entry gives that household's members only."""
        chain = self.chains.get(name, ())
        for depth in range(len(chain), -1, -1):
            target = chain[depth] if depth < len(chain) else name
            for names, data in self.scopes:
                if target in names:
                    return _gather(data, chain[depth:], name)
        return []

    def position(self) -> int:
        """The 1-based number of the innermost repeat entry, found among its siblings."""
        if len(self.scopes) < 2:
            return 0
        entry, parent = self.scopes[0][1], self.scopes[1][1]
        for value in parent.values():
            if isinstance(value, list):
                for index, item in enumerate(value):
                    if item is entry:
                        return index + 1
        return 0

    def __getitem__(self, name: str) -> object:
        for names, data in self.scopes:
            if name in names:
                return data.get(name, "")
        raise KeyError(name)

    def __iter__(self) -> Iterator[str]:
        return iter({name for names, _ in self.scopes for name in names})

    def __len__(self) -> int:
        return sum(1 for _ in self)


class _Checker:
    def __init__(self, form: FormDefinition, today: date, language: str) -> None:
        self.form = form
        self.today = today
        self.language = language
        self.top_names = frozenset(_names_in(form.children))
        self.repeat_chain: dict[str, list[Repeat]] = {}
        self.fields: dict[str, Field] = {}
        self.chains: dict[str, tuple[str, ...]] = {}
        self._index(form.children, [])
        self.labels = {f.name: {c.name: self.text(c.label) for c in form.choices[f.list_name]}
                       for f in self.fields.values() if f.list_name in form.choices}
        self.calculation_order = _calculation_order(form)
        # Values that did not parse, by path: reported where the field stands in the form,
        # and only if the field is shown.
        self.unreadable: dict[str, list[str]] = {}
        self.unreadable_names: set[str] = set()

    def _index(self, nodes: list[Node], chain: list[Repeat]) -> None:
        for node in nodes:
            self.chains[node.name] = tuple(r.name for r in chain)
            if isinstance(node, Field):
                self.fields[node.name] = node
                self.repeat_chain[node.name] = chain
            elif isinstance(node, Group):
                self._index(node.children, chain)
            else:
                self._index(node.children, [*chain, node])

    def evaluate(self, answers: dict[str, Any]) -> Evaluation:
        data = copy.deepcopy(answers)
        self._normalise(self.form.children, data, "")
        top: list[Scope] = [(self.top_names, data)]
        hidden: set[str] = set()
        self._calculate(top, hidden)
        # Hiding a field can change a calculation that decides another field's relevance
        # (a hidden -> c = ${a} * 2 -> b relevant when ${c} > 5), so hide and recalculate
        # until nothing new is hidden. Hiding only ever adds, so this ends; the bound is a
        # guard, one round per node that could be hidden.
        for _ in range(self._node_count(self.form.children, data) + 1):
            before = len(hidden)
            self._hide(self.form.children, top, "", hidden)
            self._calculate(top, hidden)
            if len(hidden) == before:
                break
        problems: list[Problem] = []
        self._validate(self.form.children, top, "", hidden, problems)
        return Evaluation(problems, frozenset(hidden), data)

    def _node_count(self, nodes: list[Node], data: dict[str, Any]) -> int:
        """How many paths could be hidden: every node, repeat children once per entry."""
        total = 0
        for node in nodes:
            total += 1
            if isinstance(node, Group):
                total += self._node_count(node.children, data)
            elif isinstance(node, Repeat):
                for entry in data.get(node.name) or []:
                    total += self._node_count(node.children, entry)
        return total

    # -- values ------------------------------------------------------------------------------

    def _normalise(self, nodes: list[Node], data: dict[str, Any], prefix: str) -> None:
        """Turn typed-in text into numbers so `${age} > 5` compares numbers, not strings.

        A value that does not parse is left as typed and reported once, at its field, rather
        than through every expression that reads it.
        """
        for node in nodes:
            if isinstance(node, Group):
                self._normalise(node.children, data, prefix)
            elif isinstance(node, Repeat):
                entries = data.get(node.name)
                if entries in (None, ""):
                    data[node.name] = []
                elif not isinstance(entries, list) or not all(isinstance(e, dict)
                                                              for e in entries):
                    self.unreadable[prefix + node.name] = [
                        tr("Danh sách phải gồm các mục (mỗi mục một bộ câu trả lời).")]
                    data[node.name] = []
                for index, entry in enumerate(data[node.name]):
                    self._normalise(node.children, entry, f"{prefix}{node.name}[{index}].")
            elif node.name in data and node.type not in ("note", "calculate"):
                value, messages = _typed(node, data[node.name])
                data[node.name] = value
                if messages:
                    self.unreadable[prefix + node.name] = messages
                    self.unreadable_names.add(node.name)

    def _calculate(self, top: list[Scope], hidden: set[str]) -> None:
        for name in self.calculation_order:
            field = self.fields[name]
            assert field.calculation is not None
            if self._reads_unreadable(field.calculation):
                self.unreadable_names.add(name)
            for scopes, prefix in self._instances(self.repeat_chain[name], top, ""):
                data = scopes[0][1]
                if prefix + name in hidden:
                    data[name] = ""
                    continue
                result = field.calculation.evaluate(self.context(scopes))
                data[name] = "" if result is None else result

    def _instances(self, chain: list[Repeat], scopes: list[Scope], prefix: str
                   ) -> Iterator[tuple[list[Scope], str]]:
        """Every entry (nested through `chain`) in which a repeat-level field has a value."""
        if not chain:
            yield scopes, prefix
            return
        repeat, rest = chain[0], chain[1:]
        names = frozenset(_names_in(repeat.children))
        entries = scopes[0][1].get(repeat.name) or []
        for index, entry in enumerate(entries):
            yield from self._instances(rest, [(names, entry), *scopes],
                                       f"{prefix}{repeat.name}[{index}].")

    # -- relevance ---------------------------------------------------------------------------

    def _relevant(self, node: Node, scopes: list[Scope]) -> bool:
        return node.relevant is None or bool(
            node.relevant.evaluate_bool(self.context(scopes)))

    def _hide(self, nodes: list[Node], scopes: list[Scope], prefix: str,
              hidden: set[str]) -> None:
        """Drop hidden fields' values in form order, as the screen did while it was filled."""
        data = scopes[0][1]
        for node in nodes:
            path = prefix + node.name
            if not self._relevant(node, scopes):
                hidden.update(_paths_of(node, prefix))
                _clear(node, data)
            elif isinstance(node, Group):
                self._hide(node.children, scopes, prefix, hidden)
            elif isinstance(node, Repeat):
                names = frozenset(_names_in(node.children))
                for index, entry in enumerate(data[node.name]):
                    self._hide(node.children, [(names, entry), *scopes],
                               f"{path}[{index}].", hidden)

    # -- checks ------------------------------------------------------------------------------

    def _validate(self, nodes: list[Node], scopes: list[Scope], prefix: str, hidden: set[str],
                  problems: list[Problem]) -> None:
        data = scopes[0][1]
        for node in nodes:
            path = prefix + node.name
            if path in hidden:
                continue
            if isinstance(node, Group):
                self._validate(node.children, scopes, prefix, hidden, problems)
            elif isinstance(node, Repeat):
                entries = data[node.name]
                problems.extend(Problem(path, m) for m in self.unreadable.get(path, []))
                if node.repeat_count is not None and not self._reads_unreadable(
                        node.repeat_count):
                    wanted = node.repeat_count.evaluate(self.context(scopes))
                    if _as_count(wanted) is not None and len(entries) != _as_count(wanted):
                        problems.append(Problem(path, tr(
                            "Cần đúng {wanted} mục “{label}”, hiện có {count}.").format(
                                wanted=_as_count(wanted), label=self.text(node.label),
                                count=len(entries))))
                names = frozenset(_names_in(node.children))
                for index, entry in enumerate(entries):
                    self._validate(node.children, [(names, entry), *scopes],
                                   f"{path}[{index}].", hidden, problems)
            elif node.type not in ("note", "calculate"):
                self._check_field(node, scopes, path, problems)

    def _check_field(self, field: Field, scopes: list[Scope], path: str,
                     problems: list[Problem]) -> None:
        if path in self.unreadable:
            # A value that did not parse: its type problem says what to fix.
            problems.extend(Problem(path, m) for m in self.unreadable[path])
            return
        value = scopes[0][1].get(field.name, "")
        if _is_empty(value):
            required = field.required
            if not isinstance(required, bool):
                required = bool(required.evaluate_bool(self.context(scopes)))
            if required:
                message = (self.text(field.required_message)
                           or tr("Bắt buộc nhập “{label}”.").format(
                               label=self.text(field.label)))
                problems.append(Problem(path, message))
            return
        messages = self._domain_problems(field, value, scopes)
        constraint = field.constraint
        if (not messages and constraint is not None and not self._reads_unreadable(constraint)
                and not constraint.evaluate_bool(self.context(scopes, current=value))):
            messages = [self.text(field.constraint_message)
                        or tr("Giá trị của “{label}” không hợp lệ.").format(
                            label=self.text(field.label))]
        problems.extend(Problem(path, m) for m in messages)

    def _domain_problems(self, field: Field, value: Any, scopes: list[Scope]) -> list[str]:
        label = self.text(field.label)
        if field.type in SELECT_TYPES:
            assert field.list_name is not None
            choices = self.form.choices[field.list_name]
            if field.choice_filter is not None:
                # Only what the filtered list offered: a commune of another province is wrong.
                values = _ScopedValues(scopes)
                choices = [c for c in choices if field.choice_filter.evaluate_bool(
                    Context(values, "", self.today, {"name": c.name, **c.properties}))]
            allowed = {c.name for c in choices}
            picked = value.split() if field.type == "select_multiple" else [value]
            wrong = [v for v in picked if v not in allowed]
            return [tr("“{label}”: lựa chọn {choices} không có trong danh sách; hãy chọn lại."
                       ).format(label=label, choices=", ".join(map(repr, wrong)))] if wrong else []
        if field.type == "id_number":
            from fieldkit.core.cccd import validate_id_number

            values = _ScopedValues(scopes)
            born = values.get(field.birth_field) if field.birth_field else None
            gender = values.get(field.gender_field) if field.gender_field else None
            return validate_id_number(value, _iso_date(born),
                                      gender if gender in ("male", "female") else None)
        if field.type == "phone":
            from fieldkit.core.phone import validate_phone

            return validate_phone(value)
        if field.type == "ethnicity":
            from fieldkit.core.ethnicity import ETHNIC_GROUPS

            return [] if value in ETHNIC_GROUPS else [
                tr("“{label}”: “{value}” không phải tên một trong 54 dân tộc; hãy chọn trong "
                   "danh sách.").format(label=label, value=value)]
        if field.type == "province":
            return [] if value in _province_codes() else [
                tr("“{label}”: không có tỉnh/thành phố mã {value}; hãy chọn trong danh sách."
                   ).format(label=label, value=value)]
        if field.type == "commune":
            if value not in _commune_codes():
                return [tr("“{label}”: không có xã/phường mã {value}; hãy chọn trong danh sách."
                           ).format(label=label, value=value)]
            if field.choice_filter is not None and not field.choice_filter.evaluate_bool(
                    Context(_ScopedValues(scopes), "", self.today,
                            {"name": value, "province": _province_of_commune(value)})):
                return [tr("“{label}”: xã/phường này không thuộc tỉnh/thành phố đã chọn; "
                           "hãy chọn lại.").format(label=label)]
            return []
        return []

    def _reads_unreadable(self, expression: Expression) -> bool:
        """A check that reads a mistyped answer would only repeat that answer's problem."""
        return not expression.references.isdisjoint(self.unreadable_names)

    def context(self, scopes: list[Scope], current: object = "") -> Context:
        return Context(_ScopedValues(scopes, self.chains), current, self.today,
                       labels=self.labels)

    def text(self, texts: dict[str, str]) -> str:
        return texts.get(self.language) or texts.get("vi", "")


def _typed(field: Field, raw: Any) -> tuple[Any, list[str]]:
    """The value as expressions use it, and why it could not be read if it could not."""
    label = field.label.get(current_language()) or field.label.get("vi", field.name)
    if raw is None:
        return "", []
    if field.type == "select_multiple":
        if isinstance(raw, list | tuple) and all(isinstance(v, str) for v in raw):
            return " ".join(raw), []
        if isinstance(raw, str):
            return " ".join(raw.split()), []
        return raw, [tr("“{label}”: cần một danh sách lựa chọn.").format(label=label)]
    if isinstance(raw, bool):
        return raw, [tr("“{label}”: giá trị không hợp lệ.").format(label=label)]
    if field.type == "integer":
        if isinstance(raw, int):
            return raw, []
        if isinstance(raw, str) and _INTEGER.match(raw.strip()):
            if len(raw.strip()) > MAX_NUMBER_TEXT:
                return raw, [_too_long(label)]
            return int(raw.strip()), []
        if isinstance(raw, str) and not raw.strip():
            return "", []
        return raw, [tr("“{label}” phải là số nguyên (không có dấu phẩy), ví dụ 3.").format(
            label=label)]
    if field.type == "decimal":
        if isinstance(raw, int | float):
            return raw, []
        if isinstance(raw, str) and _DECIMAL.match(raw.strip()):
            if len(raw.strip()) > MAX_NUMBER_TEXT:
                return raw, [_too_long(label)]
            return float(raw.strip().replace(",", ".")), []
        if isinstance(raw, str) and not raw.strip():
            return "", []
        return raw, [tr("“{label}” phải là một số, ví dụ 2,5.").format(label=label)]
    if field.type == "date":
        if isinstance(raw, date):
            return raw.isoformat(), []
        if isinstance(raw, str) and not raw.strip():
            return "", []
        if isinstance(raw, str) and _ISO_DATE.match(raw.strip()):
            try:
                return date.fromisoformat(raw.strip()).isoformat(), []
            except ValueError:
                pass
        return raw, [tr("“{label}”: ngày không hợp lệ ({value}); cần dạng năm-tháng-ngày, "
                        "ví dụ 2024-03-15.").format(label=label, value=repr(raw))]
    if field.type in ("province", "commune"):
        # Official codes are written with leading zeros ("01") or without (1).
        if not isinstance(raw, str | int) or isinstance(raw, bool):
            return raw, [tr("“{label}”: hãy chọn trong danh sách.").format(label=label)]
        if isinstance(raw, int) and abs(raw) >= 10 ** MAX_NUMBER_TEXT:
            return raw, [_too_long(label)]
        text = raw.strip() if isinstance(raw, str) else str(raw)
        if len(text) > MAX_NUMBER_TEXT and text.isascii() and text.isdigit():
            return raw, [_too_long(label)]
        return (text.lstrip("0") or "0" if text.isascii() and text.isdigit() else text), []
    if isinstance(raw, str):
        return raw.strip(), []
    if field.type == "select_one":
        return raw, [tr("“{label}”: hãy chọn một trong các lựa chọn.").format(label=label)]
    return raw, [tr("“{label}”: cần nhập chữ.").format(label=label)]


def _too_long(label: str) -> str:
    return tr("“{label}”: số quá dài (tối đa {limit} chữ số).").format(label=label,
                                                                      limit=MAX_NUMBER_TEXT)


def _gather(data: dict[str, Any], chain: tuple[str, ...], name: str) -> list[object]:
    if not chain:
        value = data.get(name, "")
        return list(value) if isinstance(value, list) else [value]
    found: list[object] = []
    for entry in data.get(chain[0]) or []:
        if isinstance(entry, dict):
            found.extend(_gather(entry, chain[1:], name))
    return found


def _iso_date(value: object) -> date | None:
    """A date answer as `date` (answers hold ISO text); anything unreadable as None."""
    if isinstance(value, str) and _ISO_DATE.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _is_empty(value: Any) -> bool:
    return value is None or value == "" or value == [] or (
        isinstance(value, str) and not value.strip())


def _as_count(value: object) -> int | None:
    """A repeat_count result as a whole number of entries; NaN, infinity and text that is not
    a short number give None (no check) rather than raising."""
    if isinstance(value, str) and len(value.strip()) > MAX_NUMBER_TEXT:
        return None
    try:
        return int(value)  # type: ignore[call-overload]
    except (TypeError, ValueError, OverflowError):
        return None


def _clear(node: Node, data: dict[str, Any]) -> None:
    if isinstance(node, Field):
        data[node.name] = ""
    elif isinstance(node, Repeat):
        data[node.name] = []
    else:
        for child in node.children:
            _clear(child, data)


def _paths_of(node: Node, prefix: str) -> Iterator[str]:
    """The node's path and, through groups, the paths of the values it holds."""
    yield prefix + node.name
    if isinstance(node, Group):
        for child in node.children:
            yield from _paths_of(child, prefix)


def _names_in(nodes: list[Node]) -> Iterator[str]:
    """Names holding a value at this level: fields and repeats, seen through groups."""
    for node in nodes:
        if isinstance(node, Group):
            yield from _names_in(node.children)
        else:
            yield node.name


def _calculation_order(form: FormDefinition) -> list[str]:
    """Calculated fields, each after the calculations it reads (the loader refused cycles)."""
    needs = {f.name: sorted(f.calculation.references) for f in form.fields() if f.calculation}
    order: list[str] = []
    placed: set[str] = set()
    # Depth-first with an explicit stack: thousands of chained calculations stay cheap.
    for start in needs:
        stack: list[tuple[str, int]] = [(start, 0)]
        on_stack = {start}
        while stack:
            name, next_index = stack[-1]
            if name in placed:
                stack.pop()
                on_stack.discard(name)
                continue
            deps = needs[name]
            if next_index == len(deps):
                stack.pop()
                on_stack.discard(name)
                placed.add(name)
                order.append(name)
                continue
            stack[-1] = (name, next_index + 1)
            other = deps[next_index]
            if other in needs and other not in placed and other not in on_stack:
                on_stack.add(other)
                stack.append((other, 0))
    return order


@cache
def _province_codes() -> frozenset[str]:
    from fieldkit.core.communes import provinces

    return frozenset(str(code) for code, _ in provinces())


def _province_of_commune(code: str) -> str:
    from fieldkit.core.communes import communes

    return str(communes()[int(code)].province_code)


@cache
def _commune_codes() -> frozenset[str]:
    from fieldkit.core.communes import communes

    return frozenset(str(code) for code in communes())

