"""Household members: added only with consent, then changed one field at a time as typed.

Each field is checked on its own when it is saved (so a completed field is never lost because
another is still wrong); the checks across fields, the ID number against date of birth and
gender, are reported by `person_problems` for the form to show.
"""

from datetime import date
from typing import Any

from sqlmodel import Session

from fieldkit.core.cccd import validate_id_number
from fieldkit.core.consent import (
    ConsentInput,
    check_consent_input,
    record_consent,
    require_consent,
)
from fieldkit.core.dates import validate_past_date
from fieldkit.core.errors import FieldError
from fieldkit.core.ethnicity import ETHNIC_GROUPS
from fieldkit.core.models import Household, Person
from fieldkit.core.phone import normalize_phone, validate_phone
from fieldkit.core.vocabulary import GENDERS, RELATIONS, VNEID_STATUSES

EDITABLE_FIELDS = ("full_name", "id_number", "date_of_birth", "gender", "ethnicity", "phone",
                   "relation_to_head", "has_smartphone", "phone_has_nfc", "vneid_status")


def add_person(session: Session, household_id: str, volunteer_id: str, consent: ConsentInput,
               relation_to_head: str = "other") -> Person:
    """A new, still empty member with its consent: personal data comes after, field by field."""
    if relation_to_head not in RELATIONS:
        raise FieldError("relation_to_head", ["Hãy chọn quan hệ với chủ hộ."])
    # Checked before anything is added, so a refused consent leaves no half-made member even
    # if the caller carries on with the transaction.
    check_consent_input(consent)
    household = session.get(Household, household_id)
    if household is None or household.deleted:
        raise LookupError(household_id)
    person = Person(household_id=household_id, relation_to_head=relation_to_head)
    session.add(person)
    session.flush()
    record_consent(session, person.id, volunteer_id, consent)
    return person


def create_household(session: Session, village_id: str, volunteer_id: str,
                     consent: ConsentInput) -> tuple[Household, Person]:
    """A household and its head, started the moment the head's consent is recorded."""
    check_consent_input(consent)
    household = Household(village_id=village_id)
    session.add(household)
    session.flush()
    head = add_person(session, household.id, volunteer_id, consent, relation_to_head="head")
    return household, head


def clean_person_value(field: str, value: Any) -> Any:
    """The value as stored, or FieldError saying what is wrong and how to fix it."""
    if field not in EDITABLE_FIELDS:
        raise KeyError(field)
    if isinstance(value, str):
        value = value.strip()
        if value == "":
            value = None
    if value is None:
        if field == "full_name":
            raise FieldError(field, ["Hãy nhập họ và tên."])
        if field in ("relation_to_head", "vneid_status"):
            raise FieldError(field, ["Hãy chọn một giá trị."])
        return None
    if field == "full_name":
        return " ".join(value.split())
    if field == "id_number":
        if problems := validate_id_number(value):
            raise FieldError(field, problems)
        return value
    if field == "date_of_birth":
        if not isinstance(value, date):
            raise FieldError(field, ["Ngày sinh không hợp lệ."])
        if problems := validate_past_date(value, label="Ngày sinh"):
            raise FieldError(field, problems)
        return value
    if field == "phone":
        if problems := validate_phone(value):
            raise FieldError(field, problems)
        return normalize_phone(value)
    choices = {"gender": GENDERS, "relation_to_head": RELATIONS, "vneid_status": VNEID_STATUSES}
    if field in choices and value not in choices[field]:
        raise FieldError(field, [f"Giá trị không hợp lệ: {value}."])
    if field == "ethnicity" and value not in ETHNIC_GROUPS:
        raise FieldError(field, ["Hãy chọn một trong 54 dân tộc."])
    if field in ("has_smartphone", "phone_has_nfc"):
        return bool(value)
    return value


def update_person(session: Session, person_id: str, field: str, value: Any) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.deleted:
        raise LookupError(person_id)
    require_consent(session, person_id)
    setattr(person, field, clean_person_value(field, value))
    session.add(person)
    if person.relation_to_head == "head" and field in ("full_name", "relation_to_head"):
        household = session.get(Household, person.household_id)
        assert household is not None
        household.head_name = person.full_name or ""
        session.add(household)
    session.flush()
    return person


def person_problems(person: Person) -> dict[str, list[str]]:
    """Problems across fields, shown beside the ID number until they are fixed."""
    if not person.id_number:
        return {}
    problems = validate_id_number(person.id_number, person.date_of_birth, person.gender)
    return {"id_number": problems} if problems else {}


def remove_person(session: Session, person_id: str) -> None:
    """Tombstone a member entered by mistake; the tombstone syncs like any change."""
    person = session.get(Person, person_id)
    if person is None:
        raise LookupError(person_id)
    person.deleted = True
    session.add(person)
    session.flush()
