"""Household members: added only with consent, then changed one field at a time as typed.

Each field is checked on its own when it is saved (so a completed field is never lost because
another is still wrong); the checks across fields, the ID number against date of birth and
gender, are reported by `person_problems` for the form to show.
"""

import unicodedata
from datetime import date
from typing import Any

from sqlmodel import Session, select

from fieldkit.core.cccd import refuse_card_line, validate_id_number
from fieldkit.core.columns import utcnow
from fieldkit.core.consent import (
    PERSONAL_FIELDS,
    ConsentInput,
    active_consent,
    check_consent_input,
    consented_categories,
    drop_unconsented_household_data,
    record_consent,
    require_consent,
)
from fieldkit.core.dates import validate_past_date
from fieldkit.core.errors import ConsentRequired, FieldError
from fieldkit.core.ethnicity import ETHNIC_GROUPS
from fieldkit.core.folding import fold
from fieldkit.core.i18n import tr
from fieldkit.core.models import Consent, Household, Person
from fieldkit.core.phone import normalize_phone, validate_phone
from fieldkit.core.secret_notes import refuse_secrets
from fieldkit.core.vocabulary import DATA_CATEGORIES, GENDERS, RELATIONS, VNEID_STATUSES, label

# Which consented data category (vocabulary.DATA_CATEGORIES) covers each field.
FIELD_CATEGORIES = {
    "full_name": "identity",
    "date_of_birth": "identity",
    "gender": "identity",
    "relation_to_head": "identity",
    "id_number": "id_number",
    "phone": "contact",
    "ethnicity": "ethnicity",
    "has_smartphone": "vneid",
    "phone_has_nfc": "vneid",
    "phone_in_own_name": "vneid",
    "vneid_status": "vneid",
}
EDITABLE_FIELDS = tuple(FIELD_CATEGORIES)
_ETHNIC_BY_FOLD = {fold(name): name for name in ETHNIC_GROUPS}


def add_person(session: Session, household_id: str, volunteer_id: str, consent: ConsentInput,
               relation_to_head: str = "other") -> Person:
    """A new, still empty member with its consent: personal data comes after, field by field."""
    if relation_to_head not in RELATIONS:
        raise FieldError("relation_to_head", [tr("Hãy chọn quan hệ với chủ hộ.")])
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
        # One spelling for one name: keyboards may send composed or decomposed diacritics.
        value = unicodedata.normalize("NFC", value).strip()
        refuse_card_line(field, value)
        refuse_secrets(field, value)
        if value == "":
            value = None
    if value is None:
        if field == "full_name":
            raise FieldError(field, [tr("Hãy nhập họ và tên.")])
        if field in ("relation_to_head", "vneid_status"):
            raise FieldError(field, [tr("Hãy chọn một giá trị.")])
        return None
    if field == "full_name":
        return " ".join(value.split())
    if field == "id_number":
        if problems := validate_id_number(value):
            raise FieldError(field, problems)
        return value
    if field == "date_of_birth":
        if not isinstance(value, date):
            raise FieldError(field, [tr("Ngày sinh không hợp lệ.")])
        if problems := validate_past_date(value, label=tr("Ngày sinh")):
            raise FieldError(field, problems)
        return value
    if field == "phone":
        if problems := validate_phone(value):
            raise FieldError(field, problems)
        return normalize_phone(value)
    choices = {"gender": GENDERS, "relation_to_head": RELATIONS, "vneid_status": VNEID_STATUSES}
    if field in choices and value not in choices[field]:
        raise FieldError(field, [tr("Giá trị không hợp lệ: {value}.").format(value=value)])
    if field == "ethnicity":
        # "tay" typed without diacritics means "Tày"; only an unknown name is refused.
        if fold(value) not in _ETHNIC_BY_FOLD:
            raise FieldError(field, [tr("Hãy chọn một trong 54 dân tộc trong danh sách.")])
        return _ETHNIC_BY_FOLD[fold(value)]
    if field in ("has_smartphone", "phone_has_nfc", "phone_in_own_name"):
        return bool(value)
    return value


def consented_fields(session: Session, person_id: str) -> set[str]:
    """Fields the person's active consent covers; empty without one."""
    consent = active_consent(session, person_id)
    if consent is None:
        return set()
    categories = consented_categories(consent)
    return {f for f, category in FIELD_CATEGORIES.items() if category in categories}


def update_person(session: Session, person_id: str, field: str, value: Any) -> Person:
    person = session.get(Person, person_id)
    if person is None or person.deleted:
        raise LookupError(person_id)
    consent = require_consent(session, person_id)
    cleaned = clean_person_value(field, value)
    if cleaned is not None and FIELD_CATEGORIES[field] not in consented_categories(consent):
        raise ConsentRequired(
            tr("Người này chưa đồng ý cho ghi “{category}”.").format(
                category=label(DATA_CATEGORIES, FIELD_CATEGORIES[field]))
        )
    household = session.get(Household, person.household_id)
    assert household is not None
    if field == "relation_to_head":
        _check_head_change(session, person, cleaned, household)
    setattr(person, field, cleaned)
    if field == "has_smartphone" and not cleaned:
        person.phone_has_nfc = None  # no smartphone, so no NFC to speak of
    session.add(person)
    if person.relation_to_head == "head" and field in ("full_name", "relation_to_head"):
        household.head_name = person.full_name or ""
        session.add(household)
    session.flush()
    return person


def _check_head_change(session: Session, person: Person, relation: str,
                       household: Household) -> None:
    """One head per household: the list, its sort order and search all use the head's name."""
    if relation == "head" and person.relation_to_head != "head":
        other = session.exec(
            select(Person).where(Person.household_id == person.household_id,
                                 Person.relation_to_head == "head", Person.id != person.id,
                                 Person.deleted == False)  # noqa: E712
        ).first()
        if other is not None:
            raise FieldError("relation_to_head", [
                tr("Hộ này đã có chủ hộ ({name}). Hãy đổi quan hệ của người đó trước, rồi "
                   "chọn chủ hộ mới.").format(name=other.full_name or tr("chưa có tên"))])
    elif relation != "head" and person.relation_to_head == "head":
        household.head_name = ""
        session.add(household)


def person_problems(person: Person) -> dict[str, list[str]]:
    """Problems across fields, shown beside the ID number until they are fixed."""
    if not person.id_number:
        return {}
    problems = validate_id_number(person.id_number, person.date_of_birth, person.gender)
    return {"id_number": problems} if problems else {}


def remove_person(session: Session, person_id: str) -> None:
    """Tombstone a member entered by mistake; the tombstone syncs like any change.

    Personal fields are erased as well, so a removed member's data is gone, not just hidden.
    """
    person = session.get(Person, person_id)
    if person is None or person.deleted:
        raise LookupError(person_id)
    now = utcnow()
    for consent in session.exec(select(Consent).where(Consent.person_id == person_id,
                                                      Consent.withdrawn_at == None)):  # noqa: E711
        consent.withdrawn_at = now
        session.add(consent)
    for name in PERSONAL_FIELDS:
        setattr(person, name, None)
    person.deleted = True
    session.add(person)
    session.flush()
    drop_unconsented_household_data(session, person)
