"""Villages and households: creating them and changing their fields as the volunteer types."""

import unicodedata

from sqlmodel import Session, select

from fieldkit.core.cccd import refuse_card_line
from fieldkit.core.consent import household_consent_problem
from fieldkit.core.errors import ConsentRequired, FieldError
from fieldkit.core.folding import fold
from fieldkit.core.i18n import tr
from fieldkit.core.ids import village_id
from fieldkit.core.models import Household, Person, Village
from fieldkit.core.phone import normalize_phone, validate_phone
from fieldkit.core.secret_notes import refuse_secrets
from fieldkit.core.vocabulary import VILLAGE_KINDS

HOUSEHOLD_FIELDS = ("address", "phone", "notes")


def add_village(session: Session, commune_id: str, name: str, kind: str = "thon") -> Village:
    name = " ".join(unicodedata.normalize("NFC", name).split())
    refuse_card_line("name", name)
    refuse_secrets("name", name)
    if not name:
        raise FieldError("name", [tr("Hãy nhập tên thôn/bản/ấp/tổ dân phố.")])
    if kind not in VILLAGE_KINDS:
        raise FieldError("kind", [tr("Loại địa bàn không hợp lệ: {kind}.").format(kind=kind)])
    # The id comes from the commune and the name, as a commune's comes from its code: two
    # laptops adding the same hamlet offline make one village, not two (sync then sees the
    # second as a duplicate of the first). Names equal but for case are one.
    village = session.get(Village, village_id(commune_id, name))
    duplicate = session.exec(
        select(Village).where(Village.commune_id == commune_id, Village.name == name,
                              Village.deleted == False)  # noqa: E712
    ).first()
    if duplicate is not None or (village is not None and not village.deleted):
        shown = (duplicate or village).name  # type: ignore[union-attr]
        raise FieldError("name", [tr("Đã có “{name}” trong xã này.").format(name=shown)])
    if village is not None:  # removed once, added again: the same village comes back
        village.deleted, village.name, village.kind = False, name, kind
    else:
        village = Village(id=village_id(commune_id, name), commune_id=commune_id, name=name,
                          kind=kind)
    session.add(village)
    session.flush()
    return village


def villages(session: Session, commune_id: str) -> list[Village]:
    rows = session.exec(
        select(Village).where(Village.commune_id == commune_id, Village.deleted == False)  # noqa: E712
    ).all()
    return sorted(rows, key=lambda v: fold(v.name))


def clean_household_value(field: str, value: str) -> str | None:
    """The value as stored, or FieldError saying how to fix it."""
    if field not in HOUSEHOLD_FIELDS:
        raise KeyError(field)
    value = unicodedata.normalize("NFC", value)
    refuse_card_line(field, value)
    refuse_secrets(field, value)
    if field == "phone":
        if not value.strip():
            return None
        if problems := validate_phone(value):
            raise FieldError(field, problems)
        return normalize_phone(value)
    if field == "notes":
        return value.strip()
    return " ".join(value.split())


def update_household(session: Session, household_id: str, field: str, value: str) -> Household:
    household = session.get(Household, household_id)
    if household is None or household.deleted:
        raise LookupError(household_id)
    cleaned = clean_household_value(field, value)
    if cleaned and (problem := household_consent_problem(session, household_id, field)):
        raise ConsentRequired(problem)
    setattr(household, field, cleaned)
    session.add(household)
    session.flush()
    return household


def members(session: Session, household_id: str) -> list[Person]:
    """Living rows of the household, head first, then by date of birth (eldest first)."""
    rows = session.exec(
        select(Person).where(Person.household_id == household_id, Person.deleted == False)  # noqa: E712
    ).all()
    return sorted(rows, key=lambda p: (p.relation_to_head != "head",
                                       p.date_of_birth is None, p.date_of_birth or 0, p.id))
