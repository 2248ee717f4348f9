"""The end-of-visit summary: what was done for each person of the household, and what remains.

The family keeps this page after the volunteer has gone, often for days before anyone can help
them again, so every pending item ends in a next step that says what to do and where to go.
Those next steps come from one table (`NEXT_STEPS`) keyed by the situation a person is left
in, rather than from conditions spread through the code, so commune staff can review the
advice in one place and the Vietnamese and English stay side by side.

Guide and form definitions are passed in, not loaded here: the screen that shows the summary
loads them once (and a missing or damaged file only costs a title, shown as its id), and the
store holds only ids and versions of both.

Nothing secret is ever stored, so nothing secret can appear. A person whose consent was
withdrawn appears only as "a member": no name, no VNeID status, none of the free-text reasons
typed about them, and no advice that would rest on their (erased) facts.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session

from fieldkit.core.columns import as_utc
from fieldkit.core.consent import active_consent
from fieldkit.core.dates import age_on
from fieldkit.core.folding import fold
from fieldkit.core.forms.definition import FormDefinition
from fieldkit.core.forms.records import records_of
from fieldkit.core.guide_runs import outcomes_of, runs_of_visit
from fieldkit.core.guides import Guide, Step
from fieldkit.core.households import members
from fieldkit.core.models import (
    Commune,
    FormRecord,
    GuideRun,
    GuideStepOutcome,
    Household,
    Person,
    Village,
    Visit,
    Volunteer,
)
from fieldkit.core.receipts import reference_code
from fieldkit.core.visits import visit_services
from fieldkit.core.vocabulary import (
    RELATIONS,
    SERVICES,
    VISIT_OUTCOMES,
    VNEID_STATUSES,
    Language,
    in_language,
    label,
)

Pair = tuple[str, str]
"""A text in Vietnamese and in English."""


@dataclass(frozen=True)
class Advice:
    """One next step; `what` may name {guide}, {problem}, {fix}, {form}, {reference} and
    `where` may be {place}, filled in from the situation that called for it."""

    what: Pair
    where: Pair


WITH_VOLUNTEER: Pair = ("Cùng tình nguyện viên, ở lần hỗ trợ sau",
                        "With the volunteer, at the next visit")
_POLICE_WITH_CARD: Pair = ("Công an xã; mang theo thẻ căn cước gắn chip",
                           "The commune police; bring the chip ID card")
_LEVEL2 = Advice(
    ("Đăng ký định danh điện tử mức 2 (chụp ảnh, lấy vân tay trực tiếp)",
     "Register VNeID level 2 (photo and fingerprints taken in person)"),
    _POLICE_WITH_CARD)

NEXT_STEPS: dict[str, tuple[Advice, ...]] = {
    # The VNeID status the person is left with. "none" is also the status of anyone nobody has
    # asked yet, so it is trusted only for a person walked through a guide in this visit.
    "vneid_none": (Advice(
        ("Đăng ký tài khoản định danh điện tử mức 1 trên điện thoại của mình (cần thẻ căn "
         "cước gắn chip và số điện thoại đứng tên mình)",
         "Register a level-1 VNeID account on your own phone (you need the chip ID card and "
         "a phone number in your own name)"),
        ("Cùng tình nguyện viên ở lần hỗ trợ sau, hoặc tại công an xã",
         "With the volunteer at the next visit, or at the commune police")),),
    "vneid_none_no_smartphone": (Advice(
        ("Đăng ký tài khoản định danh điện tử trực tiếp (mức 2), vì chưa có điện thoại "
         "thông minh riêng; tài khoản được kích hoạt khi đã có máy và số điện thoại chính chủ",
         "Apply for the VNeID account in person (level 2), since you have no smartphone of "
         "your own; it is activated once you have a phone and a number in your own name"),
        _POLICE_WITH_CARD),),
    "vneid_none_child": (Advice(
        ("Cha hoặc mẹ đăng ký tài khoản cho trẻ trong ứng dụng VNeID, bằng tài khoản mức 2 "
         "của chính cha/mẹ",
         "A parent registers the child in the VNeID app, with the parent's own level-2 "
         "account"),
        ("Trên điện thoại của cha/mẹ; nếu cha/mẹ chưa có mức 2 thì đến công an xã trước",
         "On the parent's phone; a parent without level 2 goes to the commune police "
         "first")),),
    "vneid_level1": (Advice(
        ("Chờ tin nhắn báo tài khoản đã được duyệt (thường trong 1 ngày làm việc), rồi kích "
         "hoạt tài khoản trong ứng dụng VNeID",
         "Wait for the text message saying the account is approved (usually within one "
         "working day), then activate the account in the VNeID app"),
        ("Trên điện thoại của mình; tình nguyện viên giúp nếu cần",
         "On your own phone; the volunteer helps if needed")), _LEVEL2),
    "vneid_activated": (_LEVEL2,),
    # What this visit left unfinished.
    "problem": (Advice(
        ("Khắc phục: {problem}. {fix}", "To sort out: {problem}. {fix}"),
        ("{place}", "{place}")),),
    "guide_open": (Advice(
        ("Làm tiếp hướng dẫn “{guide}”", "Carry on with the guide “{guide}”"),
        WITH_VOLUNTEER),),
    "form_draft": (Advice(
        ("Hoàn thành tờ khai “{form}”", "Finish the form “{form}”"),
        WITH_VOLUNTEER),),
    "form_complete": (Advice(
        ("Nộp tờ khai “{form}” (mã tham chiếu {reference}), mang theo bản in có mã QR",
         "Submit the form “{form}” (reference {reference}), taking the printout with its QR "
         "code"),
        ("Bộ phận một cửa của UBND xã, hoặc nộp trực tuyến trên Cổng Dịch vụ công quốc gia "
         "(dichvucong.gov.vn)",
         "The one-stop office of the commune People's Committee, or online on the National "
         "Public Service Portal (dichvucong.gov.vn)")),),
}

# Places a problem's fix may send the person to, found in its Vietnamese text (folded, so
# "Công an xã/phường" and "công an xã" both match); lower case, as several may be joined.
PLACES: tuple[tuple[str, Pair], ...] = (
    ("cong an xa", ("công an xã", "the commune police")),
    ("cua hang nha mang", ("cửa hàng nhà mạng", "the mobile carrier's shop")),
    ("trung tam phuc vu hanh chinh cong",
     ("Trung tâm phục vụ hành chính công xã", "the commune public service centre")),
    ("buu dien", ("đại lý thu hoặc bưu điện xã", "a collection agent or the commune post office")),
)

RUN_STATUSES: dict[str, Pair] = {
    "open": ("Đang làm dở", "Not finished yet"),
    "finished": ("Đã xong", "Finished"),
    "abandoned": ("Dừng giữa chừng", "Stopped part-way"),
}
FORM_STATUSES: dict[str, Pair] = {
    "draft": ("Bản nháp, chưa xong", "Draft, not finished"),
    "complete": ("Đã hoàn thành", "Completed"),
}
_OR: Pair = (" hoặc ", " or ")
# Under 14 a child's account hangs off a parent's level-2 account (Decree 69/2024).
_CHILD_AGE = 14
_STEP_NAME_CHARS = 100
_SENTENCE = re.compile(r"(.+?[.:;!?])(?:\s|$)")


@dataclass(frozen=True)
class NextStep:
    """`situation` is the `NEXT_STEPS` key that produced it, for code that needs no text."""

    situation: str
    what: str
    where: str


@dataclass(frozen=True)
class ProblemNote:
    step_id: str
    step: str
    problem_id: str
    title: str
    fix: str
    times: int
    # Done at the same step afterwards: the fix worked during the visit.
    resolved: bool


@dataclass(frozen=True)
class SkippedStep:
    step: str
    reason: str


@dataclass(frozen=True)
class GuideRunSummary:
    guide_id: str
    title: str
    status: str
    status_label: str
    # The VNeID status the run set, as a label; None when it set none.
    result: str | None
    problems: tuple[ProblemNote, ...]
    skipped: tuple[SkippedStep, ...]


@dataclass(frozen=True)
class FormNote:
    form_id: str
    title: str
    status: str
    status_label: str
    # The code the one-stop office looks the record up by; completed forms only.
    reference: str | None


@dataclass(frozen=True)
class PersonSummary:
    person_id: str
    # None when consent was withdrawn (the data is erased) or the name was never typed.
    name: str | None
    erased: bool
    relation: str | None
    vneid_status: str | None
    guides: tuple[GuideRunSummary, ...]
    forms: tuple[FormNote, ...]
    next_steps: tuple[NextStep, ...]


@dataclass(frozen=True)
class HouseholdInfo:
    head_name: str | None
    address: str
    village: str
    commune: str
    province: str


@dataclass(frozen=True)
class VisitSummary:
    visit_id: str
    language: Language
    household: HouseholdInfo
    volunteer: str
    # Aware UTC; the screen shows them in local time.
    started_at: datetime
    ended_at: datetime | None
    # None while the visit is still open.
    outcome: str | None
    services: tuple[str, ...]
    people: tuple[PersonSummary, ...]
    # Forms of the whole household rather than of one member.
    household_forms: tuple[FormNote, ...]
    household_next_steps: tuple[NextStep, ...]


def summarise_visit(session: Session, visit_id: str, guides: Mapping[str, Guide],
                    forms: Mapping[str, FormDefinition],
                    language: Language = "vi") -> VisitSummary:
    """The summary of one visit; `guides` and `forms` map ids to loaded definitions.

    A member is listed when something was done with them in this visit (a guide, a form
    completed) or something of theirs is pending (a draft form, a guide left open). Drafts are
    listed whenever they were started, since they are still to be finished; completed forms
    only when completed during this visit, as earlier ones belong to earlier summaries. The
    VNeID advice follows each person's status as it is now, so a summary reopened days later
    tells what remains then.
    """
    visit = session.get(Visit, visit_id)
    if visit is None or visit.deleted:
        raise LookupError(visit_id)
    household = session.get(Household, visit.household_id)
    assert household is not None, "a visit always belongs to a household"
    started = as_utc(visit.started_at)
    ended = as_utc(visit.ended_at) if visit.ended_at is not None else None

    runs_by_person: dict[str, list[GuideRun]] = {}
    for run in runs_of_visit(session, visit_id):
        runs_by_person.setdefault(run.person_id, []).append(run)
    records_by_person: dict[str | None, list[FormRecord]] = {}
    living = members(session, household.id)
    living_ids = {person.id for person in living}
    for record in records_of(session, household.id):
        if record.status == "draft" or _within(record.completed_at, started, ended):
            owner = record.person_id if record.person_id in living_ids else None
            records_by_person.setdefault(owner, []).append(record)

    people = []
    for person in living:
        runs = runs_by_person.get(person.id, [])
        records = records_by_person.get(person.id, [])
        if runs or records:
            people.append(_person(session, person, runs, records, guides, forms, language,
                                  started.date()))
    shared = records_by_person.get(None, [])
    return VisitSummary(
        visit_id=visit.id,
        language=language,
        household=_household(session, household),
        volunteer=_volunteer_name(session, visit.volunteer_id),
        started_at=started,
        ended_at=ended,
        outcome=label(VISIT_OUTCOMES, visit.outcome, language) or None,
        services=tuple(label(SERVICES, code, language) for code in visit_services(visit)),
        people=tuple(people),
        household_forms=tuple(_form_note(r, forms, language) for r in shared),
        household_next_steps=_form_steps(shared, forms, language),
    )


def _person(session: Session, person: Person, runs: list[GuideRun], records: list[FormRecord],
            guides: Mapping[str, Guide], forms: Mapping[str, FormDefinition],
            language: Language, visit_day: date) -> PersonSummary:
    erased = active_consent(session, person.id) is None
    summaries = []
    steps: list[NextStep] = []
    for run in runs:
        guide = guides.get(run.guide_id)
        summary = _run_summary(run, guide, outcomes_of(session, run.id), language, erased)
        summaries.append(summary)
        for problem in summary.problems:
            if not problem.resolved:
                steps += _advise("problem", language, problem=problem.title,
                                 fix=problem.fix, place=_place(guide, problem, language))
        if run.status == "open":
            steps += _advise("guide_open", language, guide=summary.title)
    situation = _vneid_situation(person, bool(runs), visit_day)
    if situation is not None:
        steps += _advise(situation, language)
    steps += _form_steps(records, forms, language)
    return PersonSummary(
        person_id=person.id,
        name=None if erased else person.full_name,
        erased=erased,
        relation=None if erased else label(RELATIONS, person.relation_to_head, language),
        vneid_status=None if erased else label(VNEID_STATUSES, person.vneid_status, language),
        guides=tuple(summaries),
        forms=tuple(_form_note(r, forms, language) for r in records),
        # Nothing more may be done for someone who withdrew consent, so nothing is advised.
        next_steps=() if erased else _unique(steps),
    )


def _run_summary(run: GuideRun, guide: Guide | None, outcomes: list[GuideStepOutcome],
                 language: Language, erased: bool) -> GuideRunSummary:
    # Positions in recording order of each (step, problem) met.
    problems: dict[tuple[str, str], list[int]] = {}
    skipped = []
    for position, outcome in enumerate(outcomes):
        if outcome.outcome == "problem" and outcome.problem_id:
            problems.setdefault((outcome.step_id, outcome.problem_id), []).append(position)
        elif outcome.outcome == "skipped":
            # A reason is typed free text about the person: erased along with them.
            skipped.append(SkippedStep(_step_name(guide, outcome.step_id, language),
                                       "" if erased else outcome.reason))
    notes = []
    for (step_id, problem_id), met in problems.items():
        title, fix = _problem_texts(guide, step_id, problem_id, language)
        resolved = any(o.step_id == step_id and o.outcome == "done"
                       for o in outcomes[met[-1] + 1:])
        notes.append(ProblemNote(step_id, _step_name(guide, step_id, language), problem_id,
                                 title, fix, len(met), resolved))
    result = None
    if run.result_status is not None and not erased:
        result = label(VNEID_STATUSES, run.result_status, language)
    return GuideRunSummary(
        guide_id=run.guide_id,
        title=in_language(guide.title, language) if guide is not None else run.guide_id,
        status=run.status,
        status_label=_pick(RUN_STATUSES.get(run.status, (run.status, run.status)), language),
        result=result,
        problems=tuple(notes),
        skipped=tuple(skipped),
    )


def _vneid_situation(person: Person, walked: bool, visit_day: date) -> str | None:
    """Which VNeID advice fits the person now, if any (see `NEXT_STEPS`)."""
    status = person.vneid_status
    if status == "none" and not walked:
        return None
    child = (person.date_of_birth is not None
             and age_on(person.date_of_birth, visit_day) < _CHILD_AGE)
    if child:
        # A child's account is registered by a parent; level 2 only when asked for.
        return "vneid_none_child" if status == "none" else None
    if status == "none" and person.has_smartphone is False:
        return "vneid_none_no_smartphone"
    situation = f"vneid_{status}"
    return situation if situation in NEXT_STEPS else None


def _form_steps(records: list[FormRecord], forms: Mapping[str, FormDefinition],
                language: Language) -> tuple[NextStep, ...]:
    steps: list[NextStep] = []
    for record in records:
        title = _form_title(record.form_id, forms, language)
        if record.status == "draft":
            steps += _advise("form_draft", language, form=title)
        else:
            steps += _advise("form_complete", language, form=title,
                             reference=reference_code(record.id))
    return _unique(steps)


def _form_note(record: FormRecord, forms: Mapping[str, FormDefinition],
               language: Language) -> FormNote:
    return FormNote(
        form_id=record.form_id,
        title=_form_title(record.form_id, forms, language),
        status=record.status,
        status_label=_pick(FORM_STATUSES.get(record.status, (record.status, record.status)),
                           language),
        reference=reference_code(record.id) if record.status == "complete" else None,
    )


def _advise(situation: str, language: Language, **values: str) -> list[NextStep]:
    return [NextStep(situation, _pick(advice.what, language).format(**values).strip(),
                     _pick(advice.where, language).format(**values).strip())
            for advice in NEXT_STEPS[situation]]


def _place(guide: Guide | None, problem: ProblemNote, language: Language) -> str:
    """Where the fix of an unresolved problem sends the person, read from its Vietnamese
    text; with the volunteer when it names no place (e.g. "try again later")."""
    folded = fold(_problem_texts(guide, problem.step_id, problem.problem_id, "vi")[1])
    found = sorted((folded.find(key), place) for key, place in PLACES if key in folded)
    if not found:
        return _pick(WITH_VOLUNTEER, language)
    joined = _pick(_OR, language).join(_pick(place, language) for _position, place in found)
    return joined[:1].upper() + joined[1:]


def _problem_texts(guide: Guide | None, step_id: str, problem_id: str,
                   language: Language) -> tuple[str, str]:
    """The problem's title and fix; its id alone when the guide no longer knows it."""
    if guide is None or step_id not in guide.steps:
        return problem_id, ""
    try:
        problem = guide.step(step_id).problem(problem_id)
    except KeyError:
        return problem_id, ""
    return in_language(problem.title, language), in_language(problem.fix, language)


def _step_name(guide: Guide | None, step_id: str, language: Language) -> str:
    """A step has no title, only an instruction: its first sentence names it well enough."""
    step: Step | None = guide.steps.get(step_id) if guide is not None else None
    if step is None:
        return step_id
    text = in_language(step.instruction, language)
    match = _SENTENCE.match(text)
    name = match.group(1) if match else text
    if len(name) > _STEP_NAME_CHARS:
        name = name[:_STEP_NAME_CHARS].rsplit(" ", 1)[0] + "…"
    return name.rstrip(".:;")


def _household(session: Session, household: Household) -> HouseholdInfo:
    village = session.get(Village, household.village_id)
    commune = session.get(Commune, village.commune_id) if village is not None else None
    return HouseholdInfo(
        head_name=household.head_name or None,
        address=household.address,
        village=village.name if village is not None else "",
        commune=commune.name if commune is not None else "",
        province=commune.province_name if commune is not None else "",
    )


def _volunteer_name(session: Session, volunteer_id: str) -> str:
    volunteer = session.get(Volunteer, volunteer_id)
    return volunteer.full_name if volunteer is not None else ""


def _form_title(form_id: str, forms: Mapping[str, FormDefinition], language: Language) -> str:
    form = forms.get(form_id)
    return in_language(form.title, language) if form is not None else form_id


def _unique(steps: list[NextStep]) -> tuple[NextStep, ...]:
    """Two runs stuck on the same problem need one piece of advice, not two."""
    return tuple(dict.fromkeys(steps))


def _within(moment: datetime | None, start: datetime, end: datetime | None) -> bool:
    if moment is None:
        return False
    moment = as_utc(moment)
    return moment >= start and (end is None or moment <= end)


def _pick(pair: Pair, language: Language) -> str:
    return pair[0] if language == "vi" else pair[1]
