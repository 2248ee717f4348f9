"""The end-of-visit summary over the real store: a household where a grandmother registers
level 1 (a problem fixed on the spot, a step skipped), her son has no smartphone, her
daughter's number is not in her own name and her baby's birth form is completed, a residence
form is left as a draft, and one member withdraws consent before the visit ends."""

import json
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from fieldkit.core.consent import withdraw_consent
from fieldkit.core.forms.definition import FormDefinition, load_forms
from fieldkit.core.forms.records import complete_record, start_record
from fieldkit.core.guide_runs import abandon_run, finish_run, record_outcome, start_run
from fieldkit.core.guides import Guide, GuideFacts, load_guides
from fieldkit.core.households import members
from fieldkit.core.people import update_person
from fieldkit.core.receipts import reference_code
from fieldkit.core.visit_summary import PersonSummary, VisitSummary, summarise_visit
from fieldkit.core.visits import end_visit, set_services, start_visit
from fieldkit.core.vocabulary import Language
from tests.conftest import VILLAGE, VOLUNTEER_NAME

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = Path(__file__).parent / "form_samples"
# The birth sample's child was born on 5 November 2026: within the 60 days on this day.
FORM_DAY = date(2026, 11, 22)

GRANDMOTHER = "Lò Thị Xuân"
SON = "Lò Văn Minh"
DAUGHTER = "Lò Thị Hoa"
WITHDRAWN = "Lò Văn Tú"
UNTOUCHED = "Lò Văn Páo"
ADDRESS = "Số 3, Bản Phiêng Luông"
SKIP_REASON = "Tin nhắn duyệt chưa về khi tình nguyện viên rời đi"
WITHDRAWN_REASON = "Anh Tú bận đi nương"

NO_NFC = GuideFacts(has_smartphone=True, phone_has_nfc=False, age=68, number_in_own_name=True)
NO_SMARTPHONE = GuideFacts(has_smartphone=False, age=46)
NOT_OWN_NUMBER = GuideFacts(has_smartphone=True, phone_has_nfc=True, age=30,
                            number_in_own_name=False)


@pytest.fixture(scope="module")
def guides() -> dict[str, Guide]:
    return {guide.id: guide for guide in load_guides(ROOT / "resources" / "guides")}


@pytest.fixture(scope="module")
def forms() -> dict[str, FormDefinition]:
    return {form.id: form for form in load_forms(ROOT / "forms")}


@dataclass(frozen=True)
class Visited:
    household_id: str
    visit_id: str
    ids: dict[str, str]
    birth_record_id: str
    earlier_birth_record_id: str
    draft_record_id: str


def _walk(store, guide: Guide, run_id: str, facts: GuideFacts, until: str | None) -> None:
    """Record "done" from the run's current step up to (not including) `until`."""
    step: str | None = guide.first_step
    while step != until:
        assert step is not None, f"{guide.id} never reached {until}"
        with store.write() as session:
            step = record_outcome(session, run_id, guide, step, "done", facts)


def _record(store, run_id, guide, step, outcome, facts, **kwargs) -> str | None:
    with store.write() as session:
        return record_outcome(session, run_id, guide, step, outcome, facts, **kwargs)


def _start(store, guide: Guide, visit_id: str, person_id: str) -> str:
    with store.write() as session:
        return start_run(session, guide, visit_id, person_id).id


def _completed_birth(store, form: FormDefinition, household_id: str, person_id: str) -> str:
    sample = json.loads((SAMPLES / "birth_registration.valid.json").read_text("utf-8"))
    with store.write() as session:
        record = start_record(session, form, household_id, person_id, prefilled=sample)
        complete_record(session, record.id, form, FORM_DAY)
        return record.id


@pytest.fixture
def visited(store, profile, make_household, guides, forms) -> Visited:
    made = make_household(GRANDMOTHER, date_of_birth=date(1958, 2, 3), gender="female",
                          address=ADDRESS, members=(SON, DAUGHTER, WITHDRAWN, UNTOUCHED))
    with store.read() as session:
        ids = {person.full_name: person.id for person in members(session, made.household_id)}
    for name, born in ((SON, date(1980, 6, 1)), (DAUGHTER, date(1996, 4, 9)),
                       (WITHDRAWN, date(2000, 1, 1)), (UNTOUCHED, date(2002, 1, 1))):
        with store.write() as session:
            update_person(session, ids[name], "date_of_birth", born)
    with store.write() as session:
        update_person(session, ids[SON], "has_smartphone", False)
    # Completed before the visit: it belongs to an earlier summary, not this one.
    earlier = _completed_birth(store, forms["birth_registration"], made.household_id,
                               ids[DAUGHTER])

    with store.write() as session:
        visit_id = start_visit(session, made.household_id, profile.volunteer_id).id
        set_services(session, visit_id, ["vneid_level1", "birth_registration"])
    level1 = guides["register_level1"]

    run = _start(store, level1, visit_id, ids[GRANDMOTHER])
    _walk(store, level1, run, NO_NFC, until="face_photo")
    for _attempt in range(2):
        _record(store, run, level1, "face_photo", "problem", NO_NFC,
                problem_id="face_capture_fails")
    _record(store, run, level1, "face_photo", "done", NO_NFC)
    _record(store, run, level1, "confirm_submit", "done", NO_NFC)
    _record(store, run, level1, "wait_sms", "skipped", NO_NFC, reason=SKIP_REASON)
    with store.write() as session:
        finish_run(session, run, "level1")

    run = _start(store, level1, visit_id, ids[SON])
    _walk(store, level1, run, NO_SMARTPHONE, until=None)
    with store.write() as session:
        finish_run(session, run, None)

    run = _start(store, level1, visit_id, ids[DAUGHTER])
    _walk(store, level1, run, NOT_OWN_NUMBER, until="fix_number_owner")
    _record(store, run, level1, "fix_number_owner", "problem", NOT_OWN_NUMBER,
            problem_id="number_not_own_name")
    with store.write() as session:
        abandon_run(session, run)
    birth = _completed_birth(store, forms["birth_registration"], made.household_id,
                             ids[DAUGHTER])
    with store.write() as session:
        draft = start_record(session, forms["residence_ct01"], made.household_id).id

    run = _start(store, level1, visit_id, ids[WITHDRAWN])
    # Left open: after the withdrawal nothing more may be done, so nothing is advised.
    _record(store, run, level1, "who_for", "skipped", NO_NFC, reason=WITHDRAWN_REASON)
    with store.write() as session:
        withdraw_consent(session, ids[WITHDRAWN])
        end_visit(session, visit_id, "partly")
    return Visited(made.household_id, visit_id, ids, birth, earlier, draft)


def _summary(store, visited: Visited, guides, forms, language: Language = "vi"
             ) -> VisitSummary:
    with store.read() as session:
        return summarise_visit(session, visited.visit_id, guides, forms, language)


def _person(summary: VisitSummary, person_id: str) -> PersonSummary:
    return next(p for p in summary.people if p.person_id == person_id)


def test_the_header_names_the_household_volunteer_outcome_and_services(
    store, visited, guides, forms
) -> None:
    summary = _summary(store, visited, guides, forms)
    assert summary.household.head_name == GRANDMOTHER
    assert summary.household.address == ADDRESS
    assert summary.household.village == VILLAGE
    assert summary.household.commune and summary.household.province
    assert summary.volunteer == VOLUNTEER_NAME
    assert summary.outcome == "Hoàn thành một phần"
    assert set(summary.services) == {"Đăng ký VNeID mức 1", "Đăng ký khai sinh"}
    assert summary.ended_at is not None and summary.started_at <= summary.ended_at
    assert summary.started_at.utcoffset() is not None


def test_only_people_helped_or_with_something_pending_are_listed(
    store, visited, guides, forms
) -> None:
    summary = _summary(store, visited, guides, forms)
    assert [p.name for p in summary.people] == [GRANDMOTHER, SON, DAUGHTER, None]
    assert [p.person_id for p in summary.people] == [
        visited.ids[name] for name in (GRANDMOTHER, SON, DAUGHTER, WITHDRAWN)]
    assert UNTOUCHED not in repr(summary)


def test_the_grandmother_sees_her_problem_its_fix_the_skip_and_activation_next(
    store, visited, guides, forms
) -> None:
    grandmother = _person(_summary(store, visited, guides, forms), visited.ids[GRANDMOTHER])
    assert grandmother.vneid_status == "Mức 1 (đã đăng ký)"
    [run] = grandmother.guides
    assert run.title == "Đăng ký tài khoản định danh điện tử mức 1"
    assert (run.status, run.status_label, run.result) == (
        "finished", "Đã xong", "Mức 1 (đã đăng ký)")
    [problem] = run.problems
    face = guides["register_level1"].step("face_photo").problem("face_capture_fails")
    assert (problem.title, problem.fix) == (face.title["vi"], face.fix["vi"])
    assert (problem.times, problem.resolved) == (2, True)
    assert problem.step == "Chụp ảnh chân dung"
    [skipped] = run.skipped
    assert skipped.reason == SKIP_REASON
    assert skipped.step.startswith("Chờ tin nhắn")
    # Fixed during the visit, so it is no next step; activation, then level 2, are.
    assert [s.situation for s in grandmother.next_steps] == ["vneid_level1", "vneid_level1"]
    activate, level2 = grandmother.next_steps
    assert "kích hoạt tài khoản" in activate.what
    assert "mức 2" in level2.what and "Công an xã" in level2.where
    assert "thẻ căn cước" in level2.where


def test_the_son_without_a_smartphone_is_sent_to_the_commune_police(
    store, visited, guides, forms
) -> None:
    son = _person(_summary(store, visited, guides, forms), visited.ids[SON])
    assert son.vneid_status == "Chưa có tài khoản"
    assert son.guides[0].result is None
    [step] = son.next_steps
    assert step.situation == "vneid_none_no_smartphone"
    assert step.where.startswith("Công an xã")


def test_an_unresolved_problem_gives_its_fix_and_where_to_go_and_forms_their_status(
    store, visited, guides, forms
) -> None:
    summary = _summary(store, visited, guides, forms)
    daughter = _person(summary, visited.ids[DAUGHTER])
    [run] = daughter.guides
    assert (run.status, run.status_label) == ("abandoned", "Dừng giữa chừng")
    [problem] = run.problems
    assert problem.title == "Số điện thoại không đứng tên người dân"
    assert not problem.resolved
    # The earlier completed birth form is not part of this visit.
    [form] = daughter.forms
    assert (form.title, form.status, form.status_label) == (
        "Tờ khai đăng ký khai sinh", "complete", "Đã hoàn thành")
    assert form.reference == reference_code(visited.birth_record_id)
    assert reference_code(visited.earlier_birth_record_id) not in repr(summary)

    situations = [s.situation for s in daughter.next_steps]
    assert situations == ["problem", "vneid_none", "form_complete"]
    fix, register, submit = daughter.next_steps
    assert "Số điện thoại không đứng tên người dân" in fix.what
    assert "cửa hàng nhà mạng" in fix.what
    assert fix.where == "Cửa hàng nhà mạng hoặc công an xã"
    assert "mức 1" in register.what
    assert form.reference in submit.what
    assert "một cửa" in submit.where and "Cổng Dịch vụ công quốc gia" in submit.where

    [draft] = summary.household_forms
    assert (draft.form_id, draft.status, draft.status_label, draft.reference) == (
        "residence_ct01", "draft", "Bản nháp, chưa xong", None)
    [finish] = summary.household_next_steps
    assert finish.situation == "form_draft"
    assert "Mẫu CT01" in finish.what and "tình nguyện viên" in finish.where


def test_a_member_who_withdrew_consent_appears_without_personal_data(
    store, visited, guides, forms
) -> None:
    summary = _summary(store, visited, guides, forms)
    erased = _person(summary, visited.ids[WITHDRAWN])
    assert erased.erased
    assert (erased.name, erased.relation, erased.vneid_status) == (None, None, None)
    [run] = erased.guides
    assert (run.title, run.status) == ("Đăng ký tài khoản định danh điện tử mức 1", "open")
    assert [s.reason for s in run.skipped] == [""]
    assert erased.next_steps == ()
    assert WITHDRAWN not in repr(summary)
    assert WITHDRAWN_REASON not in repr(summary)


def test_english_summary(store, visited, guides, forms) -> None:
    summary = _summary(store, visited, guides, forms, "en")
    assert summary.outcome == "Partly done"
    assert set(summary.services) == {"VNeID level 1 registration", "Birth registration"}
    grandmother = _person(summary, visited.ids[GRANDMOTHER])
    assert grandmother.relation == "Head of household"
    run = grandmother.guides[0]
    assert (run.title, run.status_label, run.result) == (
        "Register a level-1 VNeID account", "Finished", "Level 1 (registered)")
    assert run.problems[0].step == "Portrait photo"
    assert run.problems[0].fix.startswith("Take off glasses and mask")
    assert "activate the account" in grandmother.next_steps[0].what
    assert grandmother.next_steps[1].where == "The commune police; bring the chip ID card"
    daughter = _person(summary, visited.ids[DAUGHTER])
    assert daughter.next_steps[0].where == "The mobile carrier's shop or the commune police"
    assert daughter.forms[0].title == "Birth registration declaration"
    assert "National Public Service Portal" in daughter.next_steps[-1].where
    assert summary.household_forms[0].status_label == "Draft, not finished"


def test_a_later_visit_lists_pending_drafts_but_not_forms_completed_earlier(
    store, profile, visited, guides, forms
) -> None:
    install = guides["install_vneid"]
    with store.write() as session:
        second = start_visit(session, visited.household_id, profile.volunteer_id).id
        start_run(session, install, second, visited.ids[SON])
        start_record(session, forms["birth_registration"], visited.household_id,
                     visited.ids[DAUGHTER])
    with store.read() as session:
        summary = summarise_visit(session, second, guides, forms)
    assert summary.ended_at is None and summary.outcome is None
    son = _person(summary, visited.ids[SON])
    assert [s.situation for s in son.next_steps] == ["guide_open", "vneid_none_no_smartphone"]
    assert "Cài ứng dụng VNeID" in son.next_steps[0].what
    assert son.guides[0].status_label == "Đang làm dở"
    # Seen only through a form: "none" is also the status of anyone not yet asked, so no
    # VNeID advice rests on it.
    daughter = _person(summary, visited.ids[DAUGHTER])
    assert [(f.status, f.reference) for f in daughter.forms] == [("draft", None)]
    assert [s.situation for s in daughter.next_steps] == ["form_draft"]
    assert [f.form_id for f in summary.household_forms] == ["residence_ct01"]


def test_missing_definitions_fall_back_to_ids(store, visited) -> None:
    summary = _summary(store, visited, {}, {})
    grandmother = summary.people[0]
    assert grandmother.guides[0].title == "register_level1"
    assert grandmother.guides[0].problems[0].title == "face_capture_fails"
    assert _person(summary, visited.ids[DAUGHTER]).forms[0].title == "birth_registration"


def test_an_unknown_visit_is_refused(store) -> None:
    with pytest.raises(LookupError), store.read() as session:
        summarise_visit(session, "no-such-visit", {}, {})
