"""The XLSForm expression evaluator: ODK semantics, load-time errors, and no crashes on data."""

from __future__ import annotations

import math
import re
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from fieldkit.core.forms.expressions import (
    MAX_DEPTH,
    MAX_LENGTH,
    Context,
    Expression,
    ExpressionError,
    compile_expression,
)

TODAY = date(2026, 11, 22)


def run(text: str, current: object = "", **values: object) -> object:
    return compile_expression(text).evaluate(Context(values, current, TODAY))


def truth(text: str, current: object = "", **values: object) -> bool:
    return compile_expression(text).evaluate_bool(Context(values, current, TODAY))


def error(text: str) -> ExpressionError:
    with pytest.raises(ExpressionError) as caught:
        compile_expression(text)
    return caught.value


# --- operators ----------------------------------------------------------------------------

@pytest.mark.parametrize(("text", "expected"), [
    ("1 + 2 * 3", 7.0),
    ("(1 + 2) * 3", 9.0),
    ("10 - 4 - 3", 3.0),
    ("7 div 2", 3.5),
    ("7 mod 3", 1.0),
    ("-7 mod 3", -1.0),
    ("-2 * 3", -6.0),
    ("- -4", 4.0),
    ("2.5 + .5", 3.0),
    ("1 div 0", math.inf),
    ("-1 div 0", -math.inf),
])
def test_arithmetic(text: str, expected: float) -> None:
    assert run(text) == expected


def test_precedence_of_comparison_and_logic() -> None:
    assert truth("1 + 2 * 3 = 7")
    assert truth("${a} or ${b} and ${c}", a="x", b="", c="")
    assert not truth("(${a} or ${b}) and ${c}", a="x", b="", c="")
    assert truth("1 < 2 = 2 > 1")


@pytest.mark.parametrize(("text", "expected"), [
    ("${n} = 5", True),
    ("${n} > 4", True),
    ("${n} <= 4.5", False),
    ("${n} != 5", False),
    ("'10' > '9'", True),
    ("${n} = '5.0'", False),  # two strings compare as text
    ("${s} = 'abc'", True),
    ("${s} = '5'", False),
    ("${s} < 5", False),
    ("${s} >= 5", False),
])
def test_comparisons(text: str, expected: bool) -> None:
    assert truth(text, n="5", s="abc") is expected


def test_string_equality_is_textual_but_numbers_are_not() -> None:
    assert not truth("'5.0' = '5'")
    assert truth("5.0 = '5'")


def test_empty_values() -> None:
    assert truth("${x} = ''", x="")
    assert truth("${missing} = ''")
    assert not truth("${x} = 0", x="")
    assert truth("${x} != 0", x="")
    assert not truth("${x} > 0 or ${x} <= 0", x="")
    assert not truth("${x}", x="")
    assert math.isnan(run("${x} + 1", x=""))


def test_bad_user_data_gives_nan_not_a_crash() -> None:
    assert math.isnan(run("'abc' + 1"))
    assert math.isnan(run("0 div 0"))
    assert math.isnan(run("5 mod 0"))
    assert not truth("'abc' + 1")


def test_boolean_conversion() -> None:
    assert truth("true()") and not truth("false()")
    assert truth("'false'")  # a non-empty string is true in XPath
    assert not truth("0") and truth("0.1")
    assert not truth("not(1)")
    assert truth("true() = 'x'")


# --- functions ----------------------------------------------------------------------------

def test_selected_and_count_selected() -> None:
    assert truth("selected(${x}, 'b')", x="a b c")
    assert not truth("selected(${x}, 'd')", x="a b c")
    assert not truth("selected(${x}, 'a b')", x="a b c")
    assert run("count-selected(${x})", x="a b c") == 3
    assert run("count-selected(${x})", x="") == 0


def test_count_of_a_repeat() -> None:
    members = [{"name": "An"}, {"name": "Bình"}]
    assert run("count(${members})", members=members) == 2
    assert run("count(${members})", members=[]) == 0
    # A field that is not a repeat is one node, as in ODK.
    assert run("count(${members})", members="not a repeat") == 1


def test_string_functions() -> None:
    assert run("string-length(${x})", x="Nguyễn") == 6
    assert run("concat('a', 1, ${x}, true())", x="b") == "a1btrue"
    assert run("concat()") == ""
    assert truth("contains(${x}, 'ễn')", x="Nguyễn")
    assert truth("starts-with(${x}, 'Ng')", x="Nguyễn")
    assert run("substr('abcdef', 1, 3)") == "bc"
    assert run("substr('abcdef', 2)") == "cdef"
    assert run("substr('abc', 5)") == ""
    assert run("string(3)") == "3" and run("string(2.5)") == "2.5"
    assert run("string(1 div 0)") == "Infinity"


def test_number_functions() -> None:
    assert run("int(3.9)") == 3 and run("int(-3.9)") == -3
    assert math.isnan(run("int('x')"))
    assert run("number(' 42 ')") == 42
    assert run("round(2.675, 2)") == 2.68
    assert run("round(2.5)") == 3 and run("round(-2.5)") == -3
    assert run("round(1234, -2)") == 1200


def test_regex_uses_search_semantics() -> None:
    assert truth("regex(${p}, '^0[0-9]{9}$')", p="0912345678")
    assert not truth("regex(${p}, '^0[0-9]{9}$')", p="091234567")
    assert truth("regex(${p}, '[0-9]')", p="ab3")
    assert truth("regex(., ${pattern})", current="abc", pattern="b")
    assert not truth("regex(., ${pattern})", current="abc", pattern="(")


def test_if_and_coalesce() -> None:
    assert run("if(${a} = 'yes', 'Có', 'Không')", a="yes") == "Có"
    assert run("if(${a} = 'yes', 'Có', 'Không')", a="") == "Không"
    assert run("coalesce(${a}, ${b})", a="", b="fallback") == "fallback"
    assert run("coalesce(${a}, ${b})", a="first", b="fallback") == "first"


def test_date_arithmetic() -> None:
    assert run("today()") == TODAY
    assert run("today() - ${dob}", dob="2026-11-01") == 21
    assert truth("${dob} < today()", dob="2026-11-01")
    assert truth("today() - ${dob} < 6 * 365.25", dob="2021-01-01")
    assert run("decimal-date-time('1970-01-02')") == 1
    assert run("decimal-date-time('1970-01-01T12:00:00')") == 0.5
    assert run("date(today() + 10)") == date(2026, 12, 2)
    assert run("date('2024-02-29')") == date(2024, 2, 29)
    assert compile_expression("date(1)").evaluate_string(Context()) == "1970-01-02"
    assert math.isnan(run("date('2024-02-30')"))
    assert math.isnan(run("today() - ${dob}", dob=""))
    assert truth("${a} = today()", a=TODAY)


def test_dot_in_constraints() -> None:
    constraint = compile_expression(". >= 1900 and . <= 2026")
    assert constraint.uses_dot and not constraint.references
    assert constraint.evaluate_bool(Context(current="1985"))
    assert not constraint.evaluate_bool(Context(current="1850"))
    assert not constraint.evaluate_bool(Context(current="abc"))
    assert truth(". <= today() and (today() - .) < 6 * 365.25", current="2024-05-01")


def test_references_and_item_names_are_collected() -> None:
    expression = compile_expression("${a} + count(${members}) > 0 and selected(${b}, 'x')")
    assert expression.references == frozenset({"a", "members", "b"})
    assert not expression.uses_dot and not expression.item_names
    choice_filter = compile_expression("province = ${province}")
    assert choice_filter.item_names == frozenset({"province"})
    assert choice_filter.evaluate_bool(Context({"province": "11"}, item={"province": "11"}))
    assert not choice_filter.evaluate_bool(Context({"province": "11"}, item={"province": "12"}))


def test_evaluate_helpers() -> None:
    expression = compile_expression("${n} * 2")
    context = Context({"n": "21"})
    assert expression.evaluate_number(context) == 42
    assert expression.evaluate_string(context) == "42"
    assert expression.evaluate_bool(context)


# --- compile errors -----------------------------------------------------------------------

@pytest.mark.parametrize(("text", "message", "position"), [
    ("1 + 2)", "unexpected ')'", 5),
    ("(1 + 2", "expected ')' before the end of the expression", 6),
    ("1 +", "unexpected end of expression", 3),
    ("", "unexpected end of expression", 0),
    ("'abc", "unterminated string", 0),
    ("${a} = \"x", "unterminated string", 7),
    ("${a b}", "malformed field reference", 0),
    ("foo(1)", "unknown function 'foo'", 0),
    ("1 + selected(${a})", "wrong number of arguments for selected(): expected 2, got 1", 4),
    ("substr('a')", "expected 2 to 3, got 1", 0),
    ("true(1)", "expected 0, got 1", 0),
    ("1 # 2", "unexpected character '#'", 2),
    ("count('a')", "count() needs a ${field} or ${repeat} reference", 0),
    ("regex(., '[a-')", "invalid regular expression '[a-'", 9),
    ("1 2", "unexpected '2'", 2),
    ("${a} ${b}", "unexpected '${b}'", 5),
    ("1 'x'", "unexpected string 'x'", 2),
    ("and 1", "unexpected 'and'", 0),
    ("f(1, 2", "unknown function 'f'", 0),
    ("not(1, )", "unexpected ')'", 7),
    ("..", "unexpected '..'", 0),
])
def test_compile_errors_name_the_problem_and_position(text: str, message: str,
                                                      position: int) -> None:
    caught = error(text)
    assert message in str(caught)
    assert caught.position == position


def test_limits_protect_the_stack() -> None:
    assert error("1" * (MAX_LENGTH + 1)).position == MAX_LENGTH
    assert "nested" in str(error("(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1)))
    assert "nested" in str(error("-" * (MAX_DEPTH + 1) + "1"))
    assert "nested" in str(error("not(" * (MAX_DEPTH + 1) + "1" + ")" * (MAX_DEPTH + 1)))
    assert run("(" * MAX_DEPTH + "1" + ")" * MAX_DEPTH) == 1
    long_chain = " + ".join(["1"] * 450)  # flat chains cost no depth
    assert len(long_chain) < MAX_LENGTH and run(long_chain) == 450


# --- properties ---------------------------------------------------------------------------

_ALPHABET = st.sampled_from([*"${}()'\". ,=!<>+-*abcdinotmrsel019_", "div", "mod", "or", "and"])


@settings(max_examples=300, deadline=None, database=None)
@given(st.one_of(st.text(max_size=60), st.lists(_ALPHABET, max_size=30).map("".join)))
def test_any_text_compiles_or_raises_expression_error(text: str) -> None:
    try:
        compiled = compile_expression(text)
    except ExpressionError as caught:
        assert 0 <= caught.position <= len(text)
        message = str(caught)
        # Callers add the position; the message itself quotes what is wrong or says where.
        assert re.search(r"['\"]|end of the expression|end of expression|nested|longer", message)
        # ...and officers get the same reason in Vietnamese, with its diacritics.
        assert caught.message_vi and caught.message_vi != message
        assert re.search("[ăâđêôơưàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữự"
                         "ỳýỷỹỵ]", caught.message_vi, re.IGNORECASE), caught.message_vi
    else:
        assert isinstance(compiled, Expression)


_NAMES = ["a", "b", "c", "members"]
_LITERALS = st.one_of(
    st.integers(-1000, 1000).map(str),
    st.sampled_from(["0.5", ".25", "''", "'a b c'", "'2024-01-31'", "'x'", "\"q\""]),
)
_LEAVES = st.one_of(_LITERALS, st.sampled_from([f"${{{n}}}" for n in _NAMES] + [".", "today()"]))
_BINARY_OPS = ["or", "and", "=", "!=", "<", "<=", ">", ">=", "+", "-", "*", "div", "mod"]
_UNARY_CALLS = ["not", "count-selected", "string-length", "int", "number", "string", "date",
                "decimal-date-time", "round", "-"]
_BINARY_CALLS = ["selected", "contains", "starts-with", "substr", "coalesce", "regex", "round",
                 "concat"]


def _extend(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.one_of(
        st.tuples(inner, st.sampled_from(_BINARY_OPS), inner).map(lambda t: " ".join(t)),
        st.tuples(st.sampled_from(_UNARY_CALLS), inner).map(
            lambda t: f"-({t[1]})" if t[0] == "-" else f"{t[0]}({t[1]})"),
        st.tuples(st.sampled_from(_BINARY_CALLS), inner, inner).map(
            lambda t: f"{t[0]}({t[1]}, {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"if({t[0]}, {t[1]}, {t[2]})"),
        st.tuples(inner, inner, inner).map(lambda t: f"substr({t[0]}, {t[1]}, {t[2]})"),
        st.sampled_from(_NAMES).map(lambda n: f"count(${{{n}}})"),
        inner.map(lambda e: f"({e})"),
    )


_EXPRESSIONS = st.recursive(_LEAVES, _extend, max_leaves=12)
_VALUES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(["", "a b", "2024-02-29", "1970-01-01T00:00:00+07:00", "(", "[", "12"]),
    st.integers(),
    st.floats(allow_nan=True, allow_infinity=True),
    st.dates(),
    st.booleans(),
    st.none(),
    st.lists(st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2), max_size=3),
)


@settings(max_examples=300, deadline=None, database=None)
@given(_EXPRESSIONS, st.dictionaries(st.sampled_from(_NAMES), _VALUES), _VALUES, st.dates())
def test_valid_expressions_always_evaluate(text: str, values: dict[str, object],
                                           current: object, today: date) -> None:
    expression = compile_expression(text)
    context = Context(values, current, today)
    expression.evaluate(context)
    assert isinstance(expression.evaluate_bool(context), bool)
    assert isinstance(expression.evaluate_number(context), float)
    assert isinstance(expression.evaluate_string(context), str)


def test_odk_number_and_choice_functions() -> None:
    assert run("max(3, ${x}, 10)", x="12") == 12
    assert run("min(3, ${x})", x="1") == 1
    assert math.isnan(run("max(3, ${x})", x="abc"))
    assert run("selected-at(${x}, 1)", x="rice maize") == "maize"
    assert run("selected-at(${x}, 5)", x="rice maize") == ""
    assert run("pow(2, 10)") == 1024
    assert run("sqrt(16)") == 4
    assert math.isnan(run("sqrt(-1)"))
    assert run("floor(-2.5)") == -3
    assert run("ceiling(2.1)") == 3
    assert truth("boolean-from-string('true')")
    assert not truth("boolean-from-string('yes')")


def test_position_and_choice_name_need_their_odk_forms() -> None:
    with pytest.raises(ExpressionError, match=r"position\(\) takes '\.\.'"):
        compile_expression("position(${x})")
    with pytest.raises(ExpressionError, match="jr:choice-name"):
        compile_expression("jr:choice-name(${crop}, 'crop')")
    assert compile_expression("jr:choice-name(${crop}, '${crop}')").references == {"crop"}
