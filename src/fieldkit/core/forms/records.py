"""Filled procedure forms: draft -> complete (validated) -> synced, reopened with history.

Every answer is saved as it is given (one transaction each), so a flat battery mid-form loses
nothing already answered and the draft reopens on the page it was left at. Completing runs the
same validator the commune server runs (`forms.answers`); a completed record reopened for a
correction keeps every earlier completion as a `FormRevision`.
"""

import json
import re
from datetime import date
from typing import Any

from sqlmodel import Session, select

from fieldkit.core.cccd import refuse_card_line
from fieldkit.core.columns import utcnow
from fieldkit.core.consent import household_consent_problem
from fieldkit.core.errors import ConsentRequired, FieldError
from fieldkit.core.forms.answers import Problem, evaluate_answers
from fieldkit.core.forms.definition import FormDefinition
from fieldkit.core.i18n import tr
from fieldkit.core.models import FormRecord, FormRevision
from fieldkit.core.secret_notes import refuse_secrets_in_answer

_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?")


class FormIncomplete(ValueError):
    """Completion refused: `problems` say which answers to fix, in the validator's words."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("; ".join(f"{p.field}: {p.message}" for p in problems))
        self.problems = problems


def _answers(record: FormRecord) -> dict[str, Any]:
    return json.loads(record.answers)


def _dump(answers: dict[str, Any]) -> str:
    return json.dumps(answers, ensure_ascii=False, separators=(",", ":"), sort_keys=True)


def start_record(session: Session, form: FormDefinition, household_id: str,
                 person_id: str | None = None,
                 prefilled: dict[str, Any] | None = None) -> FormRecord:
    """A new draft, prefilled from the household; needs someone's active consent there."""
    if problem := household_consent_problem(session, household_id, "notes"):
        raise ConsentRequired(problem)
    record = FormRecord(form_id=form.id, form_version=form.version, household_id=household_id,
                        person_id=person_id, answers=_dump(prefilled or {}))
    session.add(record)
    session.flush()
    return record


def _draft(session: Session, record_id: str) -> FormRecord:
    record = session.get(FormRecord, record_id)
    if record is None or record.deleted:
        raise LookupError(record_id)
    if record.status != "draft":
        raise FieldError("status", [tr("Tờ khai đã hoàn thành; hãy mở lại để sửa trước khi đổi.")])
    return record


def set_path(answers: dict[str, Any], path: str, value: Any) -> None:
    """Put `value` at `members[1].name` (entries of a repeat are created as needed);
    None removes the answer."""
    steps = [_STEP.fullmatch(part) for part in path.split(".")]
    if not steps or any(step is None for step in steps):
        raise KeyError(path)
    node: dict[str, Any] = answers
    for step in steps[:-1]:
        name, index = step.group(1), step.group(2)  # type: ignore[union-attr]
        if index is None:
            raise KeyError(path)
        entries = node.setdefault(name, [])
        while len(entries) <= int(index):
            entries.append({})
        node = entries[int(index)]
    last = steps[-1]
    if last.group(2) is not None:  # type: ignore[union-attr]
        raise KeyError(path)
    if value is None:
        node.pop(last.group(1), None)  # type: ignore[union-attr]
    else:
        node[last.group(1)] = value  # type: ignore[union-attr]


def _holder(answers: dict[str, Any], path: str) -> tuple[dict[str, Any], str] | None:
    """The dict holding the last step of `members[1].name` and that step's name, or None when
    the path names no existing entry; unlike set_path, never creates entries."""
    node: Any = answers
    parts = path.split(".")
    for part in parts[:-1]:
        step = _STEP.fullmatch(part)
        if step is None or step.group(2) is None or not isinstance(node, dict):
            return None
        entries = node.get(step.group(1))
        index = int(step.group(2))
        if not isinstance(entries, list) or index >= len(entries):
            return None
        node = entries[index]
    last = _STEP.fullmatch(parts[-1])
    if last is None or last.group(2) is not None or not isinstance(node, dict):
        return None
    return node, last.group(1)


def drop_path(answers: dict[str, Any], path: str) -> None:
    """Remove the answer at `path` if there is one."""
    holder = _holder(answers, path)
    if holder is not None:
        holder[0].pop(holder[1], None)


def save_answer(session: Session, record_id: str, path: str, value: Any) -> FormRecord:
    record = _draft(session, record_id)
    if isinstance(value, str):
        refuse_card_line(path, value)
        # Not ID-number or phone answers: see refuse_secrets_in_answer for why.
        refuse_secrets_in_answer(path, value)
        value = value.strip() or None
    answers = _answers(record)
    set_path(answers, path, value)
    record.answers = _dump(answers)
    session.add(record)
    session.flush()
    return record


def remove_entry(session: Session, record_id: str, repeat: str, index: int) -> FormRecord:
    """Delete one entry of the repeat at `repeat` (e.g. a household member added by mistake):
    a top-level name such as "members", or the path of a repeat inside an entry of another,
    such as "households[0].members"."""
    record = _draft(session, record_id)
    answers = _answers(record)
    holder = _holder(answers, repeat)
    entries = holder[0].get(holder[1]) if holder is not None else None
    if not isinstance(entries, list) or not 0 <= index < len(entries):
        raise KeyError(f"{repeat}[{index}]")
    del entries[index]
    record.answers = _dump(answers)
    session.add(record)
    session.flush()
    return record


def set_page(session: Session, record_id: str, page: int) -> None:
    record = _draft(session, record_id)
    record.page = max(0, page)
    session.add(record)
    session.flush()


def complete_record(session: Session, record_id: str, form: FormDefinition,
                    today: date | None = None) -> FormRecord:
    """Validate with the shared engine; only a record without problems becomes complete."""
    record = _draft(session, record_id)
    if (record.form_id, record.form_version) != (form.id, form.version):
        raise ValueError(f"record is {record.form_id} {record.form_version}, "
                         f"not {form.id} {form.version}")
    answers = _answers(record)
    evaluation = evaluate_answers(form, answers, today or date.today())
    if evaluation.problems:
        raise FormIncomplete(evaluation.problems)
    # What relevance hid is not part of the declaration: it is neither printed, signed into
    # the receipt nor kept in the history (a father's name typed, then "not declared").
    for path in sorted(evaluation.hidden, key=len, reverse=True):
        drop_path(answers, path)
    record.answers = _dump(answers)
    now = utcnow()
    record.status = "complete"
    record.completed_at = now
    session.add(record)
    number = len(revisions_of(session, record_id)) + 1
    session.add(FormRevision(record_id=record_id, number=number, answers=record.answers,
                             completed_at=now))
    session.flush()
    return record


def reopen_record(session: Session, record_id: str) -> FormRecord:
    """Back to draft for a correction; the completed answers stay in the revisions."""
    record = session.get(FormRecord, record_id)
    if record is None or record.deleted:
        raise LookupError(record_id)
    if record.status == "draft":
        return record
    record.status = "draft"
    record.completed_at = None
    session.add(record)
    session.flush()
    return record


def revisions_of(session: Session, record_id: str) -> list[FormRevision]:
    return list(session.exec(
        select(FormRevision).where(FormRevision.record_id == record_id)
        .order_by(FormRevision.number)  # type: ignore[arg-type]
    ))


def records_of(session: Session, household_id: str) -> list[FormRecord]:
    return list(session.exec(
        select(FormRecord).where(FormRecord.household_id == household_id,
                                 FormRecord.deleted == False)  # noqa: E712
        .order_by(FormRecord.updated_at.desc())  # type: ignore[union-attr]
    ))
