"""Consent to process a person's data: recorded before anything personal is written, and
withdrawable, in which case the person's personal fields are erased (and the erasure syncs).

Decree 13/2023 and Law 91/2025: consent must be informed and reproducible, so the exact text
read aloud is stored with it; children from 7 need both their own and a parent's consent.
"""

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import Connection, update
from sqlmodel import Session, select

from fieldkit.core.columns import dumps_codes, loads_codes, utcnow
from fieldkit.core.dates import age_on
from fieldkit.core.errors import ConsentRequired, FieldError
from fieldkit.core.i18n import tr
from fieldkit.core.models import Consent, Household, Person
from fieldkit.core.outbox import sync_conflict
from fieldkit.core.vocabulary import CONSENT_GIVERS, CONSENT_PURPOSE, DATA_CATEGORIES

PERSONAL_FIELDS = ("full_name", "id_number", "date_of_birth", "gender", "ethnicity", "phone",
                   "has_smartphone", "phone_has_nfc", "phone_in_own_name")


@dataclass(frozen=True)
class ConsentInput:
    given_by: str
    guardian_name: str | None = None
    categories: tuple[str, ...] = field(default_factory=lambda: tuple(DATA_CATEGORIES))
    purpose: str = CONSENT_PURPOSE[0]


def required_givers(date_of_birth: date | None, today: date | None = None) -> str | None:
    """Who must agree for a person of this age: None when any giver is acceptable."""
    if date_of_birth is None:
        return None
    age = age_on(date_of_birth, today or date.today())
    if age < 7:
        return "parent"
    if age < 18:
        return "self_and_parent"
    return None


def consent_problem(consent: Consent | None, date_of_birth: date | None) -> str | None:
    """Why a recorded consent does not cover a person of this age, or None when it does.

    Age is often known only after consent (the date of birth is typed afterwards), so this is
    checked again whenever the date of birth changes.
    """
    needed = required_givers(date_of_birth)
    if consent is None or needed is None or consent.given_by == "self_and_parent":
        return None
    if consent.given_by == needed:
        return None
    if needed == "parent":
        return tr("Trẻ dưới 7 tuổi: cần cha/mẹ hoặc người giám hộ đồng ý. "
                  "Hãy rút lại và xin đồng ý lại của cha/mẹ.")
    return tr("Người từ 7 đến dưới 18 tuổi: cần cả người đó và cha/mẹ cùng đồng ý. "
              "Hãy rút lại và xin đồng ý lại.")


def check_consent_input(given: ConsentInput) -> None:
    if given.given_by not in CONSENT_GIVERS:
        raise FieldError("given_by", [tr("Hãy chọn ai là người đồng ý.")])
    if given.given_by != "self" and not (given.guardian_name or "").strip():
        raise FieldError("guardian_name", [tr("Hãy ghi họ tên cha/mẹ hoặc người giám hộ đồng ý.")])
    unknown = set(given.categories) - set(DATA_CATEGORIES)
    if not given.categories or unknown:
        raise FieldError("categories", [tr("Hãy chọn ít nhất một loại thông tin được đồng ý.")])


def record_consent(session: Session, person_id: str, volunteer_id: str,
                   given: ConsentInput) -> Consent:
    check_consent_input(given)
    row = Consent(
        person_id=person_id,
        purpose=given.purpose,
        data_categories=dumps_codes(list(given.categories)),
        given_by=given.given_by,
        guardian_name=(given.guardian_name or "").strip() or None,
        volunteer_id=volunteer_id,
        given_at=utcnow(),
    )
    session.add(row)
    session.flush()
    return row


def active_consent(session: Session, person_id: str) -> Consent | None:
    return session.exec(
        select(Consent)
        .where(Consent.person_id == person_id, Consent.withdrawn_at == None,  # noqa: E711
               Consent.deleted == False)  # noqa: E712
        .order_by(Consent.given_at.desc())  # type: ignore[union-attr]
    ).first()


def require_consent(session: Session, person_id: str) -> Consent:
    consent = active_consent(session, person_id)
    if consent is None:
        raise ConsentRequired(
            tr("Chưa có sự đồng ý của người này (hoặc đã rút lại), "
               "nên không được ghi thông tin cá nhân.")
        )
    return consent


def consented_categories(consent: Consent) -> set[str]:
    return set(loads_codes(consent.data_categories))


def household_consent_problem(session: Session, household_id: str, field: str) -> str | None:
    """The household's address and phone are the contact data of the people living there:
    they are written only while a member's active consent covers contact data."""
    needed = "notes" if field == "notes" else "contact"
    living = session.exec(
        select(Person.id).where(Person.household_id == household_id,
                                Person.deleted == False)  # noqa: E712
    )
    for person_id in living:
        consent = active_consent(session, person_id)
        if consent is not None and (needed == "notes"
                                    or needed in consented_categories(consent)):
            return None
    if needed == "notes":
        return tr("Chưa có thành viên nào của hộ đồng ý cho ghi thông tin.")
    return tr("Chưa có thành viên nào của hộ đồng ý cho ghi số điện thoại, địa chỉ.")


def withdraw_consent(session: Session, person_id: str) -> Person:
    """Withdraw every active consent of the person and erase their personal fields.

    The row stays (as an erased member) so that the erasure reaches the server by sync.
    """
    now = utcnow()
    found = False
    for consent in session.exec(
        select(Consent).where(Consent.person_id == person_id,
                              Consent.withdrawn_at == None)  # noqa: E711
    ):
        consent.withdrawn_at = now
        session.add(consent)
        found = True
    person = session.get(Person, person_id)
    if person is None or not found:
        raise ConsentRequired(tr("Người này không có sự đồng ý nào đang hiệu lực để rút lại."))
    for name in PERSONAL_FIELDS:
        setattr(person, name, None)
    person.vneid_status = "none"
    session.add(person)
    session.flush()
    drop_unconsented_household_data(session, person)
    return person


def drop_unconsented_household_data(session: Session, leaving: Person) -> None:
    """After a person's consent ends (withdrawn, or the person removed), erase what no one
    living in the household still agrees to: the head's name if they were the head, the
    address and phone without a contact consent, the notes without any consent. The copies
    of the person's and the household's rows kept in sync conflicts lose the same fields."""
    household = session.get(Household, leaving.household_id)
    assert household is not None
    erased: dict[str, Any] = {}
    if leaving.relation_to_head == "head":
        erased.update(head_name="", sort_key="")
    if household_consent_problem(session, household.id, "address"):
        erased.update(address="", phone=None)
    if household_consent_problem(session, household.id, "notes"):
        erased["notes"] = ""
    for name, value in erased.items():
        setattr(household, name, value)
    session.add(household)
    session.flush()
    conn = session.connection()
    forget_conflict_copies(conn, "person", leaving.id, dict.fromkeys(PERSONAL_FIELDS))
    forget_conflict_copies(conn, "household", household.id, erased)


def forget_conflict_copies(conn: Connection, table: str, row_id: str,
                           erased: Mapping[str, Any]) -> None:
    """Overwrite the `erased` fields in every copy of the row kept in sync conflicts, open or
    settled: a conflict keeps both sides of a row, and erased data must not live on there."""
    if not erased:
        return
    kept = conn.execute(select(sync_conflict.c.seq, sync_conflict.c.local_data,
                               sync_conflict.c.server_data).where(
        sync_conflict.c.table_name == table, sync_conflict.c.row_id == row_id)).all()
    for seq, local, server in kept:
        conn.execute(update(sync_conflict).where(sync_conflict.c.seq == seq).values(
            local_data=_forgotten(local, erased), server_data=_forgotten(server, erased)))


def _forgotten(kept: str, erased: Mapping[str, Any]) -> str:
    row = json.loads(kept)
    if isinstance(row, dict):  # "null" until that side is known
        row.update({name: value for name, value in erased.items() if name in row})
    return json.dumps(row, ensure_ascii=False, sort_keys=True)
