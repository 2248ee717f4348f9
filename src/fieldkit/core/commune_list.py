"""A household of the commune's list registered at the visit.

The list came from the commune's own records, but on the laptop it becomes a household of
people who were asked: the head's consent is recorded first, as for any new household, and
only then are the list's values copied in, each only if that consent covers its kind of data
(a head who agreed to name and birth date only gets no ID number or phone copied). The list
entry then points at the household, so the work list and the commune's progress count it as
visited; all of it in the transaction that records the consent.
"""

from __future__ import annotations

from sqlmodel import Session

from fieldkit.core.consent import ConsentInput, household_consent_problem
from fieldkit.core.households import update_household
from fieldkit.core.i18n import tr
from fieldkit.core.models import Household, ListedHousehold, Person
from fieldkit.core.people import consented_fields, create_household, update_person

# What the list holds about the head, by the person's field it fills.
_HEAD_FIELDS = (("full_name", "head_name"), ("id_number", "id_number"),
                ("date_of_birth", "date_of_birth"), ("gender", "gender"), ("phone", "phone"))


def register_listed(session: Session, listed_id: str, volunteer_id: str,
                    consent: ConsentInput) -> tuple[Household, Person]:
    """The household and its head, made from the list entry once the head has consented."""
    entry = session.get(ListedHousehold, listed_id)
    if entry is None or entry.deleted:
        raise LookupError(listed_id)
    if entry.household_id is not None:
        raise ValueError(tr("Hộ này đã được đăng ký từ danh sách."))
    household, head = create_household(session, entry.village_id, volunteer_id, consent)
    allowed = consented_fields(session, head.id)
    for field, source in _HEAD_FIELDS:
        value = getattr(entry, source)
        if value is not None and field in allowed:
            update_person(session, head.id, field, value)
    for field in ("address", "phone"):
        value = getattr(entry, field)
        if value and household_consent_problem(session, household.id, field) is None:
            update_household(session, household.id, field, value)
    entry.household_id = household.id
    session.add(entry)
    session.flush()
    session.refresh(head)
    return household, head
