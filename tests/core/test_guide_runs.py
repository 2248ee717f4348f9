"""Guide runs in the real store: a grandmother without NFC walked through level-1
registration, a problem recorded and fixed, her status set, and everything queued for sync."""

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from fieldkit.core import paths
from fieldkit.core.consent import ConsentInput
from fieldkit.core.errors import ConsentRequired, FieldError
from fieldkit.core.guide_runs import (
    abandon_run,
    finish_run,
    outcomes_of,
    record_outcome,
    runs_of_visit,
    start_run,
)
from fieldkit.core.guides import GuideFacts, load_guide
from fieldkit.core.keys import KeyParams, derive_key
from fieldkit.core.models import GuideRun
from fieldkit.core.people import add_person
from fieldkit.core.store import SCHEMA_HEAD, _make_engine, migrate
from fieldkit.core.visits import end_visit, start_visit
from fieldkit.core.vocabulary import VISIT_OUTCOMES
from tests.conftest import PASSPHRASE, person_row

GUIDES = Path(__file__).resolve().parents[2] / "resources" / "guides"
# A grandmother holding her own smartphone, which has no NFC; the number is in her name.
GRANDMOTHER = GuideFacts(has_smartphone=True, phone_has_nfc=False, age=68,
                         number_in_own_name=True)


@pytest.fixture
def level1():
    return load_guide(GUIDES / "register_level1.json")


@pytest.fixture
def household(make_household):
    return make_household("Lò Thị Xuân", date_of_birth=date(1958, 2, 3), gender="female")


@pytest.fixture
def visit_id(store, profile, household) -> str:
    with store.write() as session:
        return start_visit(session, household.household_id, profile.volunteer_id).id


def _run(store, run_id: str) -> GuideRun:
    with store.read() as session:
        run = session.get(GuideRun, run_id)
    assert run is not None
    return run


def _start(store, guide, visit_id: str, person_id: str) -> str:
    with store.write() as session:
        return start_run(session, guide, visit_id, person_id).id


def _record(store, run_id, guide, step_id, outcome="done", **kwargs) -> str | None:
    with store.write() as session:
        return record_outcome(session, run_id, guide, step_id, outcome, GRANDMOTHER, **kwargs)


def test_a_level1_run_walks_the_card_qr_branch_with_a_problem_and_sets_the_status(
    store, level1, household, visit_id
) -> None:
    before = store.outbox_size()
    run_id = _start(store, level1, visit_id, household.head_id)
    started = _run(store, run_id)
    assert (started.status, started.current_step, started.guide_id) == (
        "open", "who_for", "register_level1")
    assert started.guide_version == str(level1.version)
    assert started.started_at is not None and started.ended_at is None

    walked = []
    step: str | None = "who_for"
    while step != "face_photo":
        assert step is not None
        walked.append(step)
        step = _record(store, run_id, level1, step)
    assert "scan_card_qr_auth" in walked and "read_chip_nfc" not in walked

    assert _record(store, run_id, level1, "face_photo", "problem",
                   problem_id="face_capture_fails") == "face_photo"
    assert _run(store, run_id).current_step == "face_photo"
    assert _record(store, run_id, level1, "face_photo") == "confirm_submit"
    assert _record(store, run_id, level1, "confirm_submit") == "wait_sms"
    assert _record(store, run_id, level1, "wait_sms") is None
    assert _run(store, run_id).current_step is None

    with store.write() as session:
        finish_run(session, run_id, "level1")
    run = _run(store, run_id)
    assert (run.status, run.result_status) == ("finished", "level1")
    assert run.ended_at is not None
    assert person_row(store, household.head_id).vneid_status == "level1"

    with store.read() as session:
        outcomes = outcomes_of(session, run_id)
        runs = runs_of_visit(session, visit_id)
    assert [r.id for r in runs] == [run_id]
    assert [(o.step_id, o.outcome, o.problem_id) for o in outcomes[-4:]] == [
        ("face_photo", "problem", "face_capture_fails"),
        ("face_photo", "done", None),
        ("confirm_submit", "done", None),
        ("wait_sms", "done", None),
    ]
    assert [o.step_id for o in outcomes[:len(walked)]] == walked
    assert all(o.version >= 1 and o.updated_at is not None and o.device_id == store.device_id
               for o in [*outcomes, run])
    with store.engine.connect() as conn:
        queued = set(conn.execute(text("SELECT table_name FROM outbox")).scalars())
        rows = set(conn.execute(text("SELECT row_id FROM outbox")).scalars())
    assert {"guide_run", "guide_step_outcome", "person"} <= queued
    assert {run_id, *(o.id for o in outcomes)} <= rows
    assert store.outbox_size() > before


def test_starting_again_resumes_the_open_run(store, level1, household, visit_id) -> None:
    first = _start(store, level1, visit_id, household.head_id)
    assert _start(store, level1, visit_id, household.head_id) == first
    with store.write() as session:
        abandon_run(session, first)
    assert _run(store, first).status == "abandoned"
    assert _run(store, first).ended_at is not None
    assert _start(store, level1, visit_id, household.head_id) != first


def test_a_consent_without_vneid_refuses_the_run(store, profile, level1, household,
                                                 visit_id) -> None:
    with store.write() as session:
        member = add_person(session, household.household_id, profile.volunteer_id,
                            ConsentInput(given_by="self", categories=("identity",)), "child")
        member_id = member.id
    with pytest.raises(ConsentRequired), store.write() as session:
        start_run(session, level1, visit_id, member_id)
    with store.read() as session:
        assert runs_of_visit(session, visit_id) == []


def test_a_person_of_another_household_or_an_ended_visit_is_refused(
    store, level1, make_household, household, visit_id
) -> None:
    other = make_household("Vàng A Páo")
    with pytest.raises(FieldError), store.write() as session:
        start_run(session, level1, visit_id, other.head_id)
    with store.write() as session:
        end_visit(session, visit_id, next(iter(VISIT_OUTCOMES)))
    with pytest.raises(FieldError), store.write() as session:
        start_run(session, level1, visit_id, household.head_id)


@pytest.mark.parametrize("reason", ["", "   ", "OTP 482913"])
def test_a_skip_needs_a_reason_without_secrets(store, level1, household, visit_id,
                                               reason) -> None:
    run_id = _start(store, level1, visit_id, household.head_id)
    with pytest.raises(FieldError) as refused:
        _record(store, run_id, level1, "who_for", "skipped", reason=reason)
    assert refused.value.field == "reason"
    assert _run(store, run_id).current_step == "who_for"
    with store.read() as session:
        assert outcomes_of(session, run_id) == []


def test_a_skip_with_a_reason_moves_on(store, level1, household, visit_id) -> None:
    run_id = _start(store, level1, visit_id, household.head_id)
    assert _record(store, run_id, level1, "who_for", "skipped",
                   reason="Bà đã biết dùng điện thoại") == "open_app"
    with store.read() as session:
        [outcome] = outcomes_of(session, run_id)
    assert (outcome.outcome, outcome.reason) == ("skipped", "Bà đã biết dùng điện thoại")


def test_only_the_current_step_and_known_problems_are_recorded(
    store, level1, household, visit_id
) -> None:
    run_id = _start(store, level1, visit_id, household.head_id)
    with pytest.raises(FieldError) as refused:
        _record(store, run_id, level1, "open_app")
    assert refused.value.field == "step"
    _record(store, run_id, level1, "who_for")
    with pytest.raises(FieldError) as refused:
        _record(store, run_id, level1, "open_app", "problem", problem_id="face_capture_fails")
    assert refused.value.field == "problem_id"
    with pytest.raises(FieldError):
        _record(store, run_id, level1, "open_app", "problem")
    with pytest.raises(FieldError):
        _record(store, run_id, level1, "open_app", "maybe")
    assert _record(store, run_id, level1, "open_app", "problem",
                   problem_id="system_overload") == "open_app"


def test_finish_refuses_an_unknown_status_and_a_closed_run(store, level1, household,
                                                           visit_id) -> None:
    run_id = _start(store, level1, visit_id, household.head_id)
    with pytest.raises(FieldError), store.write() as session:
        finish_run(session, run_id, "level9")
    assert _run(store, run_id).status == "open"
    with store.write() as session:
        finish_run(session, run_id, None)
    run = _run(store, run_id)
    assert (run.status, run.result_status) == ("finished", None)
    assert person_row(store, household.head_id).vneid_status == "none"
    with pytest.raises(FieldError):
        _record(store, run_id, level1, "who_for")
    with pytest.raises(FieldError), store.write() as session:
        abandon_run(session, run_id)


def test_a_store_at_0004_upgrades_to_0005(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    params = KeyParams.new()
    engine = _make_engine(paths.db_path(data_dir), derive_key(PASSPHRASE, params))
    try:
        migrate(engine, "0004")

        def state() -> tuple[str, set[str]]:
            with engine.connect() as conn:
                head = conn.execute(text("SELECT version_num FROM alembic_version")).scalar_one()
                tables = set(conn.execute(
                    text("SELECT name FROM sqlite_master WHERE type = 'table'")).scalars())
            return head, tables

        head, tables = state()
        assert head == "0004" and "guide_run" not in tables
        migrate(engine)
        head, tables = state()
        assert head == SCHEMA_HEAD
        assert {"guide_run", "guide_step_outcome"} <= tables
    finally:
        engine.dispose()
