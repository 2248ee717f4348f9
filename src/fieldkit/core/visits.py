"""Support visits to a household: started on arrival, services ticked, ended on leaving."""

from sqlmodel import Session, select

from fieldkit.core.cccd import refuse_card_line
from fieldkit.core.columns import dumps_codes, loads_codes, utcnow
from fieldkit.core.errors import FieldError
from fieldkit.core.i18n import tr
from fieldkit.core.models import Visit
from fieldkit.core.secret_notes import refuse_secrets
from fieldkit.core.vocabulary import SERVICES, VISIT_OUTCOMES


def open_visit(session: Session, household_id: str) -> Visit | None:
    return session.exec(
        select(Visit).where(Visit.household_id == household_id, Visit.ended_at == None,  # noqa: E711
                            Visit.deleted == False)  # noqa: E712
    ).first()


def start_visit(session: Session, household_id: str, volunteer_id: str) -> Visit:
    """Start a visit, or return the one already open (a restart after a crash resumes it)."""
    existing = open_visit(session, household_id)
    if existing is not None:
        return existing
    visit = Visit(household_id=household_id, volunteer_id=volunteer_id, started_at=utcnow())
    session.add(visit)
    session.flush()
    return visit


def set_services(session: Session, visit_id: str, services: list[str]) -> Visit:
    unknown = set(services) - set(SERVICES)
    if unknown:
        raise FieldError("services", [tr("Dịch vụ không hợp lệ: {codes}.").format(
            codes=", ".join(sorted(unknown)))])
    visit = _editable(session, visit_id)
    visit.services = dumps_codes(services)
    session.add(visit)
    session.flush()
    return visit


def set_notes(session: Session, visit_id: str, notes: str) -> Visit:
    refuse_card_line("notes", notes)
    refuse_secrets("notes", notes)
    visit = _editable(session, visit_id)
    visit.notes = notes.strip()
    session.add(visit)
    session.flush()
    return visit


def end_visit(session: Session, visit_id: str, outcome: str) -> Visit:
    if outcome not in VISIT_OUTCOMES:
        raise FieldError("outcome", [tr("Hãy chọn kết quả của buổi hỗ trợ.")])
    visit = _editable(session, visit_id)
    visit.outcome = outcome
    visit.ended_at = utcnow()
    session.add(visit)
    session.flush()
    return visit


def visit_services(visit: Visit) -> list[str]:
    return loads_codes(visit.services)


def visits_of(session: Session, household_id: str) -> list[Visit]:
    return list(session.exec(
        select(Visit).where(Visit.household_id == household_id, Visit.deleted == False)  # noqa: E712
        .order_by(Visit.started_at.desc())  # type: ignore[attr-defined]
    ))


def _editable(session: Session, visit_id: str) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None or visit.deleted:
        raise LookupError(visit_id)
    if visit.ended_at is not None:
        raise FieldError("visit", [tr("Buổi hỗ trợ này đã kết thúc, không sửa được nữa.")])
    return visit
