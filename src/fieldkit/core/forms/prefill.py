"""Answers a form can take from what the household already told the volunteer.

A field's `prefill` names `head.<field>`, `person.<field>` or `household.<field>`; the loader
checked the names. Values are written the way a volunteer's answer would be (dates as ISO
text), so a prefilled answer is validated exactly like a typed one.
"""

from collections.abc import Iterator
from datetime import date
from typing import Any

from sqlmodel import Session, select

from fieldkit.core.forms.definition import Field, FormDefinition, Group, Node
from fieldkit.core.models import Household, Person


def prefill_answers(session: Session, form: FormDefinition, household_id: str,
                    person_id: str | None = None) -> dict[str, Any]:
    household = session.get(Household, household_id)
    if household is None:
        raise LookupError(household_id)
    head = session.exec(
        select(Person).where(Person.household_id == household_id,
                             Person.relation_to_head == "head",
                             Person.deleted == False)  # noqa: E712
    ).first()
    sources: dict[str, object | None] = {
        "household": household,
        "head": head,
        "person": session.get(Person, person_id) if person_id else None,
    }
    answers: dict[str, Any] = {}
    for field in _outside_repeats(form.children):
        if not field.prefill:
            continue
        root, _, name = field.prefill.partition(".")
        source = sources.get(root)
        value = getattr(source, name, None) if source is not None else None
        if isinstance(value, date):
            value = value.isoformat()
        if value not in (None, ""):
            answers[field.name] = value
    return answers


def _outside_repeats(nodes: list[Node]) -> Iterator[Field]:
    """Fields answered once per record: a repeat's fields belong to entries not yet made."""
    for node in nodes:
        if isinstance(node, Field):
            yield node
        elif isinstance(node, Group):
            yield from _outside_repeats(node.children)
