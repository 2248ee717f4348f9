"""Guide runs: one person walked through one guide during a visit, step by step.

Each step the volunteer reaches gets an outcome: done, a problem (one of the step's known
problems, named by id, so the fix can be shown and counted), or skipped with a reason. A
problem keeps the run on the same step: the volunteer applies the fix and records the step
again, done or skipped. Done and skipped move on along the guide's branches for this person's
facts. Finishing a run may set the person's VNeID status, through `people.update_person`, so
the same consent and vocabulary checks apply as when the status is typed by hand.

Runs and outcomes are synced rows: every write is stamped and queued in the outbox by the
store. The guide is kept by id and version, as forms are, since the file may change later.
"""

from datetime import date

from sqlmodel import Session, select

from fieldkit.core.columns import utcnow
from fieldkit.core.consent import consented_categories, require_consent
from fieldkit.core.dates import age_on
from fieldkit.core.errors import ConsentRequired, FieldError
from fieldkit.core.guides import Guide, GuideFacts
from fieldkit.core.i18n import tr
from fieldkit.core.models import GuideRun, GuideStepOutcome, Person, Visit
from fieldkit.core.people import update_person
from fieldkit.core.secret_notes import refuse_secrets
from fieldkit.core.vocabulary import VNEID_STATUSES

OUTCOMES = ("done", "problem", "skipped")
RUN_STATUSES = ("open", "finished", "abandoned")


def facts_of(person: Person, today: date) -> GuideFacts:
    """What the person's record says for choosing a guide's branches; a fact never entered
    stays unknown rather than guessed, so the guide takes its cautious `otherwise` path."""
    return GuideFacts(
        has_smartphone=person.has_smartphone,
        phone_has_nfc=person.phone_has_nfc,
        age=age_on(person.date_of_birth, today) if person.date_of_birth else None,
        number_in_own_name=person.phone_in_own_name,
    )


def _open_visit(session: Session, visit_id: str) -> Visit:
    visit = session.get(Visit, visit_id)
    if visit is None or visit.deleted:
        raise LookupError(visit_id)
    if visit.ended_at is not None:
        raise FieldError("visit", [tr("Buổi hỗ trợ này đã kết thúc; hãy bắt đầu buổi "
                                      "mới để hướng dẫn.")])
    return visit


def start_run(session: Session, guide: Guide, visit_id: str, person_id: str) -> GuideRun:
    """A new run at the guide's first step, or the one of this guide already open for the
    person in this visit (a restart after a crash resumes it).

    The visit must be open, the person a member of the visited household, and the person's
    active consent must cover the VNeID status (the "vneid" category)."""
    visit = _open_visit(session, visit_id)
    person = session.get(Person, person_id)
    if person is None or person.deleted:
        raise LookupError(person_id)
    if person.household_id != visit.household_id:
        raise FieldError("person", [tr("Người này không thuộc hộ đang được hỗ trợ.")])
    _require_vneid_consent(session, person_id)
    existing = session.exec(
        select(GuideRun).where(GuideRun.visit_id == visit_id, GuideRun.person_id == person_id,
                               GuideRun.guide_id == guide.id,
                               GuideRun.status == "open",
                               GuideRun.deleted == False)  # noqa: E712
    ).first()
    if existing is not None and existing.guide_version == str(guide.version):
        return existing
    if existing is not None:
        # The guide was updated since the run began: carry on in the new version when the
        # step it was on still exists there, or close the old run so it is not left open.
        if existing.current_step is None or existing.current_step in guide.steps:
            existing.guide_version = str(guide.version)
            session.add(existing)
            session.flush()
            return existing
        abandon_run(session, existing.id)
    run = GuideRun(visit_id=visit_id, person_id=person_id, guide_id=guide.id,
                   guide_version=str(guide.version), current_step=guide.first_step,
                   status="open", started_at=utcnow())
    session.add(run)
    session.flush()
    return run


def _require_vneid_consent(session: Session, person_id: str) -> None:
    """Checked before every write about the person, not only at the start: consent may be
    withdrawn (from the person's window) while a guide is open on screen."""
    consent = require_consent(session, person_id)
    if "vneid" not in consented_categories(consent):
        raise ConsentRequired(tr("Người này chưa đồng ý cho ghi “Tình trạng tài khoản VNeID”, "
                                 "nên không ghi được quá trình hướng dẫn."))


def _open_run(session: Session, run_id: str) -> GuideRun:
    run = session.get(GuideRun, run_id)
    if run is None or run.deleted:
        raise LookupError(run_id)
    if run.status != "open":
        raise FieldError("run", [tr("Lượt hướng dẫn này đã kết thúc, không ghi thêm được.")])
    return run


def record_outcome(session: Session, run_id: str, guide: Guide, step_id: str, outcome: str,
                   facts: GuideFacts, problem_id: str | None = None,
                   reason: str = "") -> str | None:
    """Record what happened at the run's current step; returns the step the run is now on
    (the same step after a problem, the next one after done/skipped), or None when the guide
    has no step left (the run stays open until `finish_run`)."""
    run = _open_run(session, run_id)
    if (run.guide_id, run.guide_version) != (guide.id, str(guide.version)):
        raise ValueError(f"run is {run.guide_id} {run.guide_version}, "
                         f"not {guide.id} {guide.version}")
    _open_visit(session, run.visit_id)
    _require_vneid_consent(session, run.person_id)
    if run.current_step is None:
        raise FieldError("step", [tr("Đã đi hết các bước; hãy kết thúc lượt hướng dẫn.")])
    if step_id != run.current_step:
        raise FieldError("step", [tr("Chỉ ghi được bước đang làm ({step}).").format(
            step=run.current_step)])
    if outcome not in OUTCOMES:
        raise FieldError("outcome", [tr("Hãy chọn: đã xong, gặp vấn đề, hoặc bỏ qua.")])
    step = guide.step(step_id)
    if outcome == "problem":
        known = {problem.id for problem in step.problems}
        if problem_id not in known:
            raise FieldError("problem_id", [tr("Hãy chọn một vấn đề đã biết của bước này.")])
    elif problem_id is not None:
        raise FieldError("problem_id", [tr("Chỉ chọn vấn đề khi kết quả là “gặp vấn đề”.")])
    reason = reason.strip()
    if outcome == "skipped" and not reason:
        raise FieldError("reason", [tr("Hãy ghi lý do bỏ qua bước này.")])
    if reason:
        refuse_secrets("reason", reason)
    session.add(GuideStepOutcome(run_id=run.id, step_id=step_id, outcome=outcome,
                                 problem_id=problem_id, reason=reason, recorded_at=utcnow()))
    if outcome != "problem":
        run.current_step = guide.next_step(step_id, facts)
        session.add(run)
    session.flush()
    return run.current_step


def finish_run(session: Session, run_id: str, vneid_status: str | None) -> GuideRun:
    """End the run; when `vneid_status` is given it becomes the person's VNeID status."""
    run = _open_run(session, run_id)
    if vneid_status is not None:
        if vneid_status not in VNEID_STATUSES:
            raise FieldError("vneid_status", [tr("Hãy chọn tình trạng tài khoản VNeID.")])
        update_person(session, run.person_id, "vneid_status", vneid_status)
    run.result_status = vneid_status
    run.status = "finished"
    run.ended_at = utcnow()
    session.add(run)
    session.flush()
    return run


def abandon_run(session: Session, run_id: str) -> GuideRun:
    """Stop a run without a result; its outcomes stay as a record of how far it went."""
    run = _open_run(session, run_id)
    run.status = "abandoned"
    run.ended_at = utcnow()
    session.add(run)
    session.flush()
    return run


def runs_of_visit(session: Session, visit_id: str) -> list[GuideRun]:
    return list(session.exec(
        select(GuideRun).where(GuideRun.visit_id == visit_id,
                               GuideRun.deleted == False)  # noqa: E712
        .order_by(GuideRun.started_at, GuideRun.id)  # type: ignore[arg-type]
    ))


def outcomes_of(session: Session, run_id: str) -> list[GuideStepOutcome]:
    """The run's outcomes in the order they were recorded (ids are UUIDv7, so time-ordered)."""
    return list(session.exec(
        select(GuideStepOutcome).where(GuideStepOutcome.run_id == run_id,
                                       GuideStepOutcome.deleted == False)  # noqa: E712
        .order_by(GuideStepOutcome.recorded_at, GuideStepOutcome.id)  # type: ignore[arg-type]
    ))
