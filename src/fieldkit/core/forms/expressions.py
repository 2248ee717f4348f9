"""A safe evaluator for XLSForm expressions (the ODK XPath subset forms actually use).

Form definitions are data written by commune staff, so their expressions are parsed by a
small hand-written parser into closures instead of being handed to `eval`: nothing in a
definition can reach Python. Malformed text fails once, at load time, with the offending
position; evaluation against user answers never raises, because a typo in an answer must
give the ODK result (NaN, false, "") rather than crash the form the volunteer is filling.

Values follow ODK: an unanswered field is "", numbers are floats, a select_multiple answer
is a space-separated string of choice names, a repeat group is a list of its entries, and a
date used in arithmetic or an ordering comparison counts days since 1970-01-01.

Definitions may come from a synced file and answers from anyone, so evaluation is bounded:
a string a function builds (concat, substr, string, format-date) is truncated to its first
MAX_STRING characters, regex() looks at the first MAX_REGEX_SUBJECT characters of its
subject, a pattern whose quantified group itself holds a quantifier (`(a+)+`, `(.*a){3}`)
is refused when written in the form and fails (false) when it comes from an answer, and an
evaluation that still runs out of stack or memory gives "" (false) instead of raising.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any

MAX_LENGTH = 2000
MAX_DEPTH = 50
# Longest string a function builds; longer results are cut to this many characters.
MAX_STRING = 10_000
# regex() only looks at this many leading characters of the text it tests.
MAX_REGEX_SUBJECT = 1_000
# A pattern taken from an answer longer than this is not compiled (the result is false).
MAX_DYNAMIC_PATTERN = 200

_EPOCH = date(1970, 1, 1)
_EPOCH_MOMENT = datetime(1970, 1, 1, tzinfo=UTC)
_TOKEN = re.compile(
    r"(?P<space>\s+)"
    r"|(?P<number>[0-9]+(?:\.[0-9]*)?|\.[0-9]+)"
    r"|(?P<string>'[^']*'|\"[^\"]*\")"
    r"|(?P<ref>\$\{[A-Za-z_][A-Za-z0-9_]*\})"
    r"|(?P<name>(?:jr:)?[A-Za-z_][A-Za-z0-9_]*(?:-[A-Za-z_][A-Za-z0-9_]*)*)"
    r"|(?P<op><=|>=|!=|\.\.|[=<>+\-*(),.])"
)
_NUMERIC = re.compile(r"\s*[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)\s*")
_ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# Lowest precedence first; each level is a left-associative chain of the next one.
_LEVELS: tuple[tuple[str, ...], ...] = (
    ("or",), ("and",), ("=", "!="), ("<", "<=", ">", ">="), ("+", "-"), ("*", "div", "mod"),
)
_KEYWORDS = frozenset({"or", "and", "div", "mod"})


class ExpressionError(ValueError):
    """A malformed expression; `position` is the 0-based offset callers point the author to.

    `message` (also str(error)) is English and `message_vi` the same reason in Vietnamese;
    the Vietnamese one is required so no place that raises can leave officers without it.
    """

    def __init__(self, message: str, position: int, message_vi: str) -> None:
        super().__init__(message)
        self.message = message
        self.message_vi = message_vi
        self.position = position


@dataclass(frozen=True)
class Context:
    """What an expression can see: answers by name, `.`, the date `today()` reports, and
    (for a choice_filter) the choice item whose bare keys such as `province` are tested.

    `today` is explicit so a record validated on the server gives the laptop's result.
    """

    values: Mapping[str, object] = field(default_factory=dict)
    current: object = ""
    today: date = field(default_factory=date.today)
    item: Mapping[str, object] = field(default_factory=dict)
    # Choice labels by select field and choice name, for jr:choice-name().
    labels: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def value(self, name: str) -> object:
        value = self.values.get(name, "")
        # In a choice_filter, codes compare the same with or without leading zeros on both
        # sides: provinces are stored as "1", a choice list may say "01".
        return _strip_code_zeros(value) if self.item else value

    def item_value(self, name: str) -> object:
        return _strip_code_zeros(self.item.get(name, ""))

    def collect(self, name: str) -> list[object]:
        """Every value of `name` in reach: one per repeat entry for a field inside a repeat
        (what sum() and count() read), the entries themselves for a repeat."""
        collect = getattr(self.values, "collect", None)
        if collect is not None:
            return list(collect(name))
        value = self.values.get(name, "")
        return value if isinstance(value, list) else [value]

    def position(self) -> float:
        """position(..): the 1-based number of the repeat entry being evaluated, 0 outside."""
        position = getattr(self.values, "position", None)
        return float(position()) if position is not None else 0.0

    def choice_label(self, value: object, field_name: str) -> str:
        return self.labels.get(field_name, {}).get(to_string(value), "")


def _strip_code_zeros(value: object) -> object:
    """ "01" -> "1" for all-digit text (official codes); anything else unchanged."""
    if isinstance(value, str) and value.isascii() and value.isdigit():
        return value.lstrip("0") or "0"
    return value


_Node = Callable[[Context], object]


class Expression:
    """A compiled expression; what it refers to is known up front so a loader can check
    names and calculation order without evaluating anything."""

    __slots__ = ("_root", "counted", "item_names", "references", "text", "uses_dot")

    def __init__(self, text: str, root: _Node, references: frozenset[str],
                 item_names: frozenset[str], uses_dot: bool,
                 counted: frozenset[str] = frozenset()) -> None:
        self.text = text
        self.references = references
        # References that appear only as the argument of count(), never read as a value.
        self.counted = counted
        # Bare names (`province`), meaningful only in a choice_filter.
        self.item_names = item_names
        self.uses_dot = uses_dot
        self._root = root

    def __repr__(self) -> str:
        return f"Expression({self.text!r})"

    def evaluate(self, context: Context) -> object:
        try:
            return self._root(context)
        except (RecursionError, MemoryError):
            # Hostile data (deeply nested answers, huge values): the ODK "nothing" result.
            return ""

    def evaluate_bool(self, context: Context) -> bool:
        return to_bool(self.evaluate(context))

    def evaluate_number(self, context: Context) -> float:
        return to_number(self.evaluate(context))

    def evaluate_string(self, context: Context) -> str:
        return to_string(self.evaluate(context))


def compile_expression(text: str) -> Expression:
    """Parse once at load time so errors surface when the form is checked, not when filled."""
    if len(text) > MAX_LENGTH:
        raise ExpressionError(f"expression is longer than {MAX_LENGTH} characters", MAX_LENGTH,
                              f"biểu thức dài quá {MAX_LENGTH} ký tự")
    parser = _Parser(text)
    root = parser.parse()
    counted = frozenset(n for n, times in parser.counted.items() if parser.uses[n] == times)
    return Expression(text, root, frozenset(parser.references), frozenset(parser.item_names),
                      parser.uses_dot, counted)


# --- conversions (XPath 1.0 rules, with ODK's treatment of dates) ---------------------------

def to_bool(value: object) -> bool:
    """XPath boolean(): what relevance and constraints test."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float):
        return not (value == 0 or value != value)
    if isinstance(value, str | list):
        return len(value) > 0
    return value is not None


def to_number(value: object) -> float:
    """XPath number(), extended as ODK does so dates count days since 1970-01-01."""
    if isinstance(value, bool):
        return 1.0 if value else 0.0
    if isinstance(value, float):
        return value
    if isinstance(value, int):
        try:
            return float(value)
        except OverflowError:
            return math.inf if value > 0 else -math.inf
    if isinstance(value, datetime):
        return _moment_days(value)
    if isinstance(value, date):
        return float((value - _EPOCH).days)
    if isinstance(value, str):
        if _NUMERIC.fullmatch(value):
            return float(value)
        days = _text_days(value.strip())
        return math.nan if days is None else days
    return math.nan


def to_string(value: object) -> str:
    """XPath string(): how a calculation is stored and how strings are compared."""
    if value is None or isinstance(value, list | dict):
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return _number_string(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _number_string(number: float) -> str:
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number.is_integer():
        return str(int(number))
    text = repr(number)
    return format(Decimal(text), "f") if "e" in text else text


def _moment_days(moment: datetime) -> float:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return (moment - _EPOCH_MOMENT).total_seconds() / 86400


def _text_days(text: str) -> float | None:
    if not _ISO_DATE.match(text):
        return None
    try:
        if len(text) == 10:
            return float((date.fromisoformat(text) - _EPOCH).days)
        return _moment_days(datetime.fromisoformat(text))
    except (ValueError, OverflowError):
        return None


def _is_numeric(value: object) -> bool:
    return isinstance(value, int | float | date) and not isinstance(value, bool)


# --- operators ---------------------------------------------------------------------------

def _equals(left: object, right: object) -> bool:
    if isinstance(left, bool) or isinstance(right, bool):
        return to_bool(left) == to_bool(right)
    if _is_numeric(left) or _is_numeric(right):
        return to_number(left) == to_number(right)
    return to_string(left) == to_string(right)


def _divide(left: object, right: object) -> float:
    x, y = to_number(left), to_number(right)
    if y == 0:
        if x == 0 or math.isnan(x):
            return math.nan
        return math.copysign(math.inf, x) * math.copysign(1.0, y)
    return x / y


def _modulo(left: object, right: object) -> float:
    x, y = to_number(left), to_number(right)
    if math.isnan(y) or not math.isfinite(x) or y == 0:
        return math.nan
    return x if math.isinf(y) else math.fmod(x, y)


_BINARY: dict[str, Callable[[object, object], object]] = {
    "=": _equals,
    "!=": lambda a, b: not _equals(a, b),
    "<": lambda a, b: to_number(a) < to_number(b),
    "<=": lambda a, b: to_number(a) <= to_number(b),
    ">": lambda a, b: to_number(a) > to_number(b),
    ">=": lambda a, b: to_number(a) >= to_number(b),
    "+": lambda a, b: to_number(a) + to_number(b),
    "-": lambda a, b: to_number(a) - to_number(b),
    "*": lambda a, b: to_number(a) * to_number(b),
    "div": _divide,
    "mod": _modulo,
}


# --- functions ---------------------------------------------------------------------------

def _cap(text: str) -> str:
    """A built string longer than MAX_STRING keeps its first MAX_STRING characters, so a chain
    of calculations doubling a text cannot exhaust memory."""
    return text if len(text) <= MAX_STRING else text[:MAX_STRING]


_REPEATS = ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT")


def _exponential(text: str) -> bool:
    """Conservatively: does a group repeated more than once hold a quantifier or an
    alternation (`(a+)+`, `(a*)*`, `(a|a)*`, `(.*a){3}`)? Such patterns can backtrack for
    exponential time on a short answer. Unparseable patterns count as dangerous."""
    try:
        from re import _constants, _parser  # type: ignore[attr-defined]

        tree = _parser.parse(text)
    except Exception:  # a pattern we cannot inspect is not run
        return True
    repeats = {getattr(_constants, name) for name in _REPEATS if hasattr(_constants, name)}
    branch, subpattern = _constants.BRANCH, _constants.SUBPATTERN
    atomic = getattr(_constants, "ATOMIC_GROUP", None)
    assertions = {_constants.ASSERT, _constants.ASSERT_NOT}

    def children(op: object, av: Any) -> list[Any]:
        if op in repeats:
            return [av[2]]
        if op == subpattern:
            return [av[3]]
        if op == branch:
            return list(av[1])
        if op == atomic:
            return [av]
        if op in assertions:
            return [av[1]]
        if op == _constants.GROUPREF_EXISTS:
            return [part for part in av[1:] if part is not None]
        return []

    def holds_choice(items: Any) -> bool:
        # Iterative walk: a quantifier or alternation anywhere below.
        stack = [items]
        while stack:
            for op, av in stack.pop():
                if op in repeats or op == branch:
                    return True
                stack.extend(children(op, av))
        return False

    stack = [tree]
    while stack:
        for op, av in stack.pop():
            if op in repeats and av[1] > 1 and holds_choice(av[2]):
                return True
            stack.extend(children(op, av))
    return False


@lru_cache(maxsize=256)
def _pattern(text: str) -> re.Pattern[str] | None:
    """Patterns that come from answers are compiled once each, and only when short and safe;
    a broken or risky one just fails."""
    if len(text) > MAX_DYNAMIC_PATTERN or _exponential(text):
        return None
    try:
        return re.compile(text)
    except (re.error, RecursionError, OverflowError, MemoryError):
        return None


def _search(compiled: re.Pattern[str], value: object) -> bool:
    return compiled.search(to_string(value)[:MAX_REGEX_SUBJECT]) is not None


def _regex(value: object, pattern: object) -> bool:
    compiled = _pattern(to_string(pattern))
    return compiled is not None and _search(compiled, value)


def _numbers(values: list[object]) -> list[float]:
    return [to_number(v) for v in values]


def _sum(values: list[object]) -> float:
    return math.fsum(_numbers(values))


def _extreme(pick: Callable[[list[float]], float]) -> Callable[..., float]:
    """max()/min() over a repeat's values or over several arguments; NaN if any is not a
    number or there are none, as in ODK."""
    def extreme(*values: object) -> float:
        numbers = _numbers(list(values))
        if not numbers or any(math.isnan(n) for n in numbers):
            return math.nan
        return pick(numbers)
    return extreme


def _selected_at(value: object, index: object) -> str:
    picked = to_string(value).split()
    number = to_number(index)
    if not math.isfinite(number) or not 0 <= int(number) < len(picked):
        return ""
    return picked[int(number)]


def _power(base: object, exponent: object) -> float:
    try:
        return math.pow(to_number(base), to_number(exponent))
    except (OverflowError, ValueError):
        return math.nan


def _root(value: object) -> float:
    number = to_number(value)
    return math.sqrt(number) if number >= 0 else math.nan


def _numeric(method: Callable[..., float]) -> Callable[..., float]:
    """ODK's maths functions: a value outside the function's domain gives NaN, as in
    JavaRosa, rather than an error the volunteer could do nothing about."""
    def apply(*values: object) -> float:
        try:
            return float(method(*(to_number(v) for v in values)))
        except (OverflowError, ValueError, ZeroDivisionError):
            return math.nan
    return apply


def _rounding(method: Callable[[float], int]) -> Callable[[object], float]:
    def apply(value: object) -> float:
        number = to_number(value)
        return float(method(number)) if math.isfinite(number) else number
    return apply


def _boolean_from_string(value: object) -> bool:
    return to_string(value).strip() in ("true", "1")


def _int(value: object) -> float:
    number = to_number(value)
    return float(math.trunc(number)) if math.isfinite(number) else number


def _index(value: object, length: int) -> int:
    number = to_number(value)
    if math.isnan(number):
        return 0
    return int(min(max(number, 0), length))


def _substr(value: object, start: object, end: object = None) -> str:
    """ODK's substr(): 0-based start, exclusive end (not XPath substring's 1-based length)."""
    text = to_string(value)
    return _cap(text[_index(start, len(text)):
                     len(text) if end is None else _index(end, len(text))])


def _round(value: object, digits: object = 0.0) -> float:
    """Half away from zero on the decimal text, so round(2.675, 2) is 2.68 as people expect."""
    number, places = to_number(value), to_number(digits)
    if math.isnan(places):
        return math.nan
    if not math.isfinite(number) or math.isinf(places):
        return number
    try:
        step = Decimal(1).scaleb(-int(places))
        return float(Decimal(repr(number)).quantize(step, rounding=ROUND_HALF_UP))
    except (InvalidOperation, ArithmeticError, ValueError):
        return number


def _date(value: object) -> object:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and _ISO_DATE.match(value.strip()):
        days = _text_days(value.strip())
    else:
        days = to_number(value)
    if days is None or not math.isfinite(days):
        return math.nan
    try:
        return _EPOCH + timedelta(days=math.floor(days))
    except OverflowError:
        return math.nan


_DATE_PARTS = {"%Y": "{:04d}", "%y": "{:02d}", "%m": "{:02d}", "%n": "{:d}", "%d": "{:02d}",
               "%e": "{:d}"}


def _format_date(value: object, pattern: object) -> str:
    """ODK's format-date() for the parts forms need to work out exact ages and years:
    %Y year, %y two-digit year, %m/%n month (padded/not), %d/%e day (padded/not)."""
    day = _date(value)
    if not isinstance(day, date):
        return ""
    parts = {"%Y": day.year, "%y": day.year % 100, "%m": day.month, "%n": day.month,
             "%d": day.day, "%e": day.day}
    return _cap(re.sub(r"%[Yymnde]",
                       lambda m: _DATE_PARTS[m.group()].format(parts[m.group()]),
                       to_string(pattern)[:MAX_STRING]))


# name -> (fewest arguments, most arguments or None for any, implementation on values);
# no implementation means the parser builds the call itself (lazy or context-dependent).
_FUNCTIONS: dict[str, tuple[int, int | None, Callable[..., object] | None]] = {
    "not": (1, 1, lambda v: not to_bool(v)),
    "true": (0, 0, lambda: True),
    "false": (0, 0, lambda: False),
    "selected": (2, 2, lambda v, choice: to_string(choice) in to_string(v).split()),
    "count-selected": (1, 1, lambda v: float(len(to_string(v).split()))),
    "count": (1, 1, None),
    "sum": (1, 1, None),
    "max": (1, None, None),
    "min": (1, None, None),
    "join": (2, 2, None),
    "position": (1, 1, None),
    "jr:choice-name": (2, 2, None),
    "selected-at": (2, 2, _selected_at),
    "pow": (2, 2, _power),
    "sqrt": (1, 1, _root),
    "abs": (1, 1, lambda v: abs(to_number(v))),
    "sin": (1, 1, _numeric(math.sin)),
    "cos": (1, 1, _numeric(math.cos)),
    "tan": (1, 1, _numeric(math.tan)),
    "asin": (1, 1, _numeric(math.asin)),
    "acos": (1, 1, _numeric(math.acos)),
    "atan": (1, 1, _numeric(math.atan)),
    "atan2": (2, 2, _numeric(math.atan2)),
    "log": (1, 1, _numeric(math.log)),
    "log10": (1, 1, _numeric(math.log10)),
    "exp": (1, 1, _numeric(math.exp)),
    "exp10": (1, 1, _numeric(lambda v: math.pow(10, v))),
    "pi": (0, 0, lambda: math.pi),
    "floor": (1, 1, _rounding(math.floor)),
    "ceiling": (1, 1, _rounding(math.ceil)),
    "boolean-from-string": (1, 1, _boolean_from_string),
    "string-length": (1, 1, lambda v: float(len(to_string(v)))),
    "regex": (2, 2, _regex),
    "int": (1, 1, _int),
    "number": (1, 1, to_number),
    "string": (1, 1, lambda v: _cap(to_string(v))),
    "concat": (0, None, lambda *vs: _cap("".join(to_string(v)[:MAX_STRING] for v in vs))),
    "contains": (2, 2, lambda a, b: to_string(b) in to_string(a)),
    "starts-with": (2, 2, lambda a, b: to_string(a).startswith(to_string(b))),
    "substr": (2, 3, _substr),
    "round": (1, 2, _round),
    "date": (1, 1, _date),
    "decimal-date-time": (1, 1, to_number),
    "format-date": (2, 2, _format_date),
    "if": (3, 3, None),
    "coalesce": (2, 2, None),
    "today": (0, 0, None),
}


# Functions that read every value of a field across repeat entries when given one ${field}.
_AGGREGATES = frozenset({"count", "sum", "max", "min", "join"})


# --- parser ------------------------------------------------------------------------------

@dataclass(frozen=True)
class _Token:
    kind: str  # number, string, ref, name, op, end
    text: str
    position: int


def _tokenize(text: str) -> list[_Token]:
    tokens: list[_Token] = []
    position = 0
    while position < len(text):
        match = _TOKEN.match(text, position)
        if match is None:
            char = text[position]
            if char in "'\"":
                raise ExpressionError(f"unterminated string: the opening {char} is never closed",
                                      position,
                                      f"chuỗi ký tự chưa được đóng: thiếu dấu {char} đóng "
                                      "tương ứng với dấu mở")
            if text.startswith("${", position):
                end = text.find("}", position, position + 40)
                written = text[position:end + 1] if end >= 0 else text[position:position + 20]
                raise ExpressionError(f"malformed field reference '{written}': write ${{name}} "
                                      "with a letter or _ then letters, digits or _", position,
                                      f"tham chiếu trường '{written}' không đúng: hãy viết "
                                      "${name}, trong đó name bắt đầu bằng chữ cái hoặc _, "
                                      "tiếp theo là chữ cái, chữ số hoặc _")
            raise ExpressionError(f"unexpected character {char!r}", position,
                                  f"ký tự {char!r} không hợp lệ ở đây")
        kind = match.lastgroup or "space"
        if kind != "space":
            tokens.append(_Token(kind, match.group(), position))
        position = match.end()
    tokens.append(_Token("end", "", len(text)))
    return tokens


def _describe(token: _Token) -> str:
    if token.kind == "end":
        return "end of expression"
    if token.kind == "string":
        return f"string {token.text}"
    return f"'{token.text}'"


def _describe_vi(token: _Token) -> str:
    if token.kind == "end":
        return "phần cuối biểu thức"
    if token.kind == "string":
        return f"chuỗi {token.text}"
    return f"'{token.text}'"


def _constant(value: object) -> _Node:
    return lambda _context: value


class _Parser:
    """Recursive descent with a depth guard, so hostile nesting cannot exhaust the stack;
    operator chains become flat lists, so long `a + b + ...` chains cost no depth at all."""

    def __init__(self, text: str) -> None:
        self.tokens = _tokenize(text)
        self.index = 0
        self.depth = 0
        self.references: set[str] = set()
        # How often each name is referenced, and how often as count()'s whole argument.
        self.counted: Counter[str] = Counter()
        self.uses: Counter[str] = Counter()
        self.item_names: set[str] = set()
        self.uses_dot = False

    def parse(self) -> _Node:
        root = self.binary(0)
        if self.peek().kind != "end":
            raise self.unexpected()
        return root

    def peek(self) -> _Token:
        return self.tokens[min(self.index, len(self.tokens) - 1)]

    def unexpected(self) -> ExpressionError:
        token = self.peek()
        vietnamese = ("biểu thức kết thúc khi chưa viết xong" if token.kind == "end" else
                      f"không được có {_describe_vi(token)} ở vị trí này")
        return ExpressionError(f"unexpected {_describe(token)}", token.position, vietnamese)

    def expect(self, text: str) -> None:
        token = self.peek()
        if token.kind != "op" or token.text != text:
            expected = f"expected '{text}'"
            if token.kind == "end":
                raise ExpressionError(f"{expected} before the end of the expression",
                                      token.position,
                                      f"thiếu '{text}' trước khi kết thúc biểu thức")
            raise ExpressionError(f"{expected}, found {_describe(token)}", token.position,
                                  f"cần '{text}' nhưng lại gặp {_describe_vi(token)}")
        self.index += 1

    def enter(self, position: int) -> None:
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise ExpressionError(f"expression is nested more than {MAX_DEPTH} levels deep",
                                  position, f"biểu thức lồng nhau quá {MAX_DEPTH} cấp")

    def operator(self, level: int) -> str | None:
        token = self.peek()
        if token.kind in ("op", "name") and token.text in _LEVELS[level]:
            return token.text
        return None

    def binary(self, level: int) -> _Node:
        if level == len(_LEVELS):
            return self.unary()
        first = self.binary(level + 1)
        rest: list[tuple[str, _Node]] = []
        while (op := self.operator(level)) is not None:
            self.index += 1
            rest.append((op, self.binary(level + 1)))
        if not rest:
            return first
        operands = [first, *(node for _, node in rest)]
        if rest[0][0] == "or":
            return lambda c: any(to_bool(node(c)) for node in operands)
        if rest[0][0] == "and":
            return lambda c: all(to_bool(node(c)) for node in operands)
        steps = [(_BINARY[op], node) for op, node in rest]

        def chain(context: Context) -> object:
            result = first(context)
            for apply, node in steps:
                result = apply(result, node(context))
            return result

        return chain

    def unary(self) -> _Node:
        token = self.peek()
        if token.kind == "op" and token.text == "-":
            self.index += 1
            self.enter(token.position)
            operand = self.unary()
            self.depth -= 1
            return lambda c: -to_number(operand(c))
        return self.primary()

    def primary(self) -> _Node:
        token = self.peek()
        if token.kind == "number":
            self.index += 1
            return _constant(float(token.text))
        if token.kind == "string":
            self.index += 1
            return _constant(token.text[1:-1])
        if token.kind == "ref":
            self.index += 1
            name = token.text[2:-1]
            self.references.add(name)
            self.uses[name] += 1
            return lambda c: c.value(name)
        if token.kind == "op" and token.text == ".":
            self.index += 1
            self.uses_dot = True
            return lambda c: c.current
        if token.kind == "op" and token.text == "(":
            self.index += 1
            self.enter(token.position)
            inner = self.binary(0)
            self.expect(")")
            self.depth -= 1
            return inner
        if token.kind == "name" and token.text not in _KEYWORDS:
            self.index += 1
            if self.peek().kind == "op" and self.peek().text == "(":
                return self.call(token)
            name = token.text
            self.item_names.add(name)
            return lambda c: c.item_value(name)
        raise self.unexpected()

    def call(self, name_token: _Token) -> _Node:
        name = name_token.text
        if name not in _FUNCTIONS:
            raise ExpressionError(f"unknown function '{name}'", name_token.position,
                                  f"hàm '{name}' không được hỗ trợ")
        fewest, most, implementation = _FUNCTIONS[name]
        self.index += 1  # the "(" primary() saw
        if name == "position":
            # Only position(..) exists in forms: the number of the repeat entry in hand.
            token = self.peek()
            if not (token.kind == "op" and token.text == ".."):
                raise ExpressionError("position() takes '..', as in position(..)",
                                      token.position,
                                      "position() chỉ nhận '..', ví dụ position(..)")
            self.index += 1
            self.expect(")")
            return lambda c: c.position()
        self.enter(name_token.position)
        args: list[_Node] = []
        spans: list[list[_Token]] = []
        if not (self.peek().kind == "op" and self.peek().text == ")"):
            while True:
                start = self.index
                args.append(self.binary(0))
                spans.append(self.tokens[start:self.index])
                if not (self.peek().kind == "op" and self.peek().text == ","):
                    break
                self.index += 1
        self.expect(")")
        self.depth -= 1
        if len(args) < fewest or (most is not None and len(args) > most):
            expected = str(fewest) if fewest == most else (
                f"at least {fewest}" if most is None else f"{fewest} to {most}")
            expected_vi = str(fewest) if fewest == most else (
                f"ít nhất {fewest}" if most is None else f"từ {fewest} đến {most}")
            raise ExpressionError(f"wrong number of arguments for {name}(): expected "
                                  f"{expected}, got {len(args)}", name_token.position,
                                  f"số đối số của {name}() không đúng: cần {expected_vi}, "
                                  f"nhưng có {len(args)}")
        return self.build(name, implementation, args, spans, name_token.position)

    def build(self, name: str, implementation: Callable[..., object] | None, args: list[_Node],
              spans: list[list[_Token]], position: int) -> _Node:
        if name == "if":
            condition, then, otherwise = args
            return lambda c: then(c) if to_bool(condition(c)) else otherwise(c)
        if name == "coalesce":
            first, second = args

            def coalesce(context: Context) -> object:
                value = first(context)
                return value if to_string(value) != "" else second(context)

            return coalesce
        if name == "today":
            return lambda c: c.today
        if name == "jr:choice-name":
            return self.choice_name(args[0], spans[1], position)
        ref_span = (spans[-1] if name == "join" else spans[0]) if spans else []
        single_ref = len(ref_span) == 1 and ref_span[0].kind == "ref"
        if name in ("count", "sum") and not single_ref:
            raise ExpressionError(f"{name}() needs a ${{field}} or ${{repeat}} reference",
                                  position,
                                  f"{name}() cần một tham chiếu ${{field}} (trường) hoặc "
                                  f"${{repeat}} (nhóm lặp)")
        if name in _AGGREGATES and single_ref and (name not in ("max", "min") or len(args) == 1):
            return self.aggregate(name, ref_span[0].text[2:-1], args)
        if name == "join":
            raise ExpressionError("join() needs a separator and a ${field} inside a repeat",
                                  position,
                                  "join() cần một dấu phân cách và một ${field} nằm trong "
                                  "nhóm lặp")
        if name in ("max", "min"):
            pick = max if name == "max" else min
            extreme = _extreme(pick)
            return lambda c: extreme(*(arg(c) for arg in args))
        if name == "regex" and len(spans[1]) == 1 and spans[1][0].kind == "string":
            return self.literal_regex(args[0], spans[1][0])
        assert implementation is not None, name
        return lambda c: implementation(*(arg(c) for arg in args))

    def aggregate(self, name: str, reference: str, args: list[_Node]) -> _Node:
        """count/sum/max/min/join over every value of a field across repeat entries."""
        self.counted[reference] += 1
        if name == "count":
            return lambda c: float(len(c.collect(reference)))
        if name == "sum":
            return lambda c: _sum(c.collect(reference))
        if name == "join":
            separator = args[0]
            return lambda c: _cap(to_string(separator(c)).join(
                to_string(v) for v in c.collect(reference)))
        extreme = _extreme(max if name == "max" else min)
        return lambda c: extreme(*c.collect(reference))

    def choice_name(self, value: _Node, span: list[_Token], position: int) -> _Node:
        """jr:choice-name(value, '${field}'): the label of `value` in that field's list."""
        quoted = span[0].text[1:-1] if len(span) == 1 and span[0].kind == "string" else ""
        match = re.fullmatch(r"\s*\$\{([A-Za-z_][A-Za-z0-9_]*)\}\s*", quoted)
        if match is None:
            raise ExpressionError("jr:choice-name() needs the select field quoted as its "
                                  "second argument, e.g. jr:choice-name(${crop}, '${crop}')",
                                  position,
                                  "jr:choice-name() cần đối số thứ hai là trường lựa chọn "
                                  "đặt trong dấu nháy, ví dụ "
                                  "jr:choice-name(${crop}, '${crop}')")
        field_name = match[1]
        self.references.add(field_name)
        self.uses[field_name] += 1
        return lambda c: c.choice_label(value(c), field_name)

    def literal_regex(self, subject: _Node, pattern: _Token) -> _Node:
        """A pattern written in the form is checked now, so a typo is the author's error."""
        try:
            compiled = re.compile(pattern.text[1:-1])
        except (re.error, RecursionError, OverflowError, MemoryError) as exc:
            reason = getattr(exc, "msg", "too complex")
            # re's own wording stays as a technical detail; it has no Vietnamese version.
            reason_vi = (f"không hợp lệ (chi tiết: {exc.msg})" if isinstance(exc, re.error)
                         else "quá phức tạp")
            raise ExpressionError(f"invalid regular expression {pattern.text}: {reason}",
                                  pattern.position,
                                  f"biểu thức chính quy {pattern.text} {reason_vi}") from None
        if _exponential(pattern.text[1:-1]):
            raise ExpressionError(f"regular expression {pattern.text}: pattern may take "
                                  "exponential time (a repeated group holds a quantifier or "
                                  "an alternation); rewrite it without nesting", pattern.position,
                                  f"biểu thức chính quy {pattern.text} có thể chạy rất lâu (một "
                                  "nhóm được lặp lại có chứa dấu lặp như + * hoặc phép chọn |); "
                                  "hãy viết lại, không lồng các phần lặp vào nhau")
        return lambda c: _search(compiled, subject(c))
