"""The server checks what it receives with the laptop's own validators.

A laptop that is out of date, damaged or written by someone else must not get past the server
what the app would have refused: a malformed ID number, a password or OTP in a note, a
procedure form marked complete with answers its definition rejects. Each check returns the
volunteer-readable reasons (Vietnamese, from the core validators); none means the row is fine.
"""

import json
from collections.abc import Iterator, Mapping
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from sqlalchemy import Connection

from fieldkit.core.errors import FieldError
from fieldkit.core.forms.answers import evaluate_answers
from fieldkit.core.households import HOUSEHOLD_FIELDS, clean_household_value
from fieldkit.core.people import EDITABLE_FIELDS, clean_person_value
from fieldkit.core.secret_notes import find_secrets, refuse_secrets_in_answer
from fieldkit_server.definitions import known_form

# Vietnam keeps one offset all year; a form's "today" is the day it was completed there.
_VIETNAM = timezone(timedelta(hours=7))
# Free-text columns the laptop runs through the secret filter before storing them.
_FREE_TEXT = {
    "household": ("head_name",),
    "listed_household": ("head_name", "address", "source"),
    "assignment": ("note",),
    "village": ("name",),
    "visit": ("notes",),
    "guide_step_outcome": ("reason",),
}
NOT_AS_CLEANED = "“{field}”: giá trị không đúng dạng FieldKit lưu (phải là “{cleaned}”)."
BAD_ANSWERS = "Câu trả lời của biểu mẫu không phải JSON hợp lệ."


# What a check said of a value, kept for one push: a batch repeats the same village names,
# sexes, ethnic groups, relations and birth dates many times over.
Verdicts = dict[tuple[str, str, Any], list[str]]


def row_problems(conn: Connection, table: str, values: Mapping[str, Any],
                 verdicts: Verdicts | None = None) -> list[str]:
    """Why `values` (a row of `table`, as `row_values` made it) may not be stored.
    `verdicts` carries what was found of each value across the rows of one batch."""
    seen: Verdicts = {} if verdicts is None else verdicts
    problems: list[str] = []
    for column in _FREE_TEXT.get(table, ()):
        if isinstance(values[column], str):
            key = ("secrets", "", values[column])
            if key not in seen:
                seen[key] = find_secrets(values[column])
            problems += seen[key]
    if table == "person":
        problems += _cleaned_problems("person", clean_person_value, EDITABLE_FIELDS, values,
                                      seen)
    elif table == "household":
        problems += _cleaned_problems("household", clean_household_value, HOUSEHOLD_FIELDS,
                                      values, seen)
    elif table == "listed_household":
        problems += _cleaned_problems("listed_household", _clean_listed, tuple(_LISTED_AS),
                                      values, seen)
    elif table in ("form_record", "form_revision"):
        problems += _answer_problems(conn, table, values)
    return list(dict.fromkeys(problems))


# A listed household's head is checked as the person it names: the same validators the
# import ran, so a laptop cannot put on the list what the officer's import would refuse.
_LISTED_AS = {"head_name": "full_name", "id_number": "id_number", "date_of_birth":
              "date_of_birth", "gender": "gender", "phone": "phone"}


def _clean_listed(field: str, value: Any) -> Any:
    return clean_person_value(_LISTED_AS[field], value)


def _cleaned_problems(table: str, clean: Any, fields: tuple[str, ...],
                      values: Mapping[str, Any], seen: Verdicts) -> list[str]:
    """Each field must be exactly what the laptop's cleaner would have stored."""
    problems: list[str] = []
    for field in fields:
        value = values[field]
        if value is None:
            continue  # erased when consent was withdrawn, or never given
        key = (table, field, value)
        if key not in seen:
            seen[key] = _cleaned_problem(clean, field, value)
        problems += seen[key]
    return problems


def _cleaned_problem(clean: Any, field: str, value: Any) -> list[str]:
    try:
        cleaned = clean(field, value)
    except FieldError as error:
        return [f"“{field}”: {message}" for message in error.messages]
    return [] if cleaned == value else [NOT_AS_CLEANED.format(field=field, cleaned=cleaned)]


def _answer_problems(conn: Connection, table: str, values: Mapping[str, Any]) -> list[str]:
    try:
        answers = json.loads(values["answers"])
    except (ValueError, RecursionError):
        return [BAD_ANSWERS]
    if not isinstance(answers, dict):
        return [BAD_ANSWERS]
    problems: list[str] = []
    try:
        texts = list(_text_answers(answers, ""))
    except RecursionError:
        return [BAD_ANSWERS]
    for path, text in texts:
        try:
            refuse_secrets_in_answer(path, text)
        except FieldError as error:
            problems += [f"“{path}”: {message}" for message in error.messages]
    if table == "form_record" and values["status"] == "complete":
        form = known_form(conn, values["form_id"], values["form_version"])
        if form is not None:
            evaluation = evaluate_answers(form, answers, _completion_day(values["completed_at"]))
            problems += [f"“{p.field}”: {p.message}" if p.field else p.message
                         for p in evaluation.problems]
    return problems


# Made-up rows of the kinds a push is mostly made of, checked once at start-up (`warm_up`).
_WARM_UP_ROWS: dict[str, dict[str, Any]] = {
    "person": {"full_name": "Nguyễn Thị Lan", "date_of_birth": date(1990, 1, 2),
               "gender": "female", "relation_to_head": "head", "id_number": "001190012345",
               "phone": "0912345678", "ethnicity": "Kinh", "has_smartphone": True,
               "phone_has_nfc": True, "phone_in_own_name": True, "vneid_status": "none"},
    "household": {"head_name": "Nguyễn Thị Lan", "address": "Thôn Đông, xóm 2",
                  "phone": "0912345678", "notes": "Đã hướng dẫn cách nhận OTP."},
    "visit": {"notes": "Đã hướng dẫn đổi mật khẩu; pin 5000 mAh."},
}


def warm_up(conn: Connection) -> None:
    """Check a made-up row of each common kind once, when the server starts: otherwise the
    first push after a restart pays for importing the phone numbering plans and compiling
    the validators' patterns, about 20 ms of its 500 rows (a tenth of a 1,000-visit sync)."""
    for table, values in _WARM_UP_ROWS.items():
        row_problems(conn, table, values)


def _completion_day(completed_at: datetime | None) -> date:
    moment = completed_at or datetime.now(UTC)
    return moment.astimezone(_VIETNAM).date()


def _text_answers(value: Any, path: str) -> Iterator[tuple[str, str]]:
    """(path, text) of every string answer, paths written as the form engine writes them
    ("members[0].phone")."""
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, inner in value.items():
            yield from _text_answers(inner, f"{path}.{key}" if path else str(key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _text_answers(inner, f"{path}[{index}]")
