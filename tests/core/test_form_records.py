"""Filled forms in the real store: prefill, autosaved answers, completion through the shared
validator, correction with history, and everything queued for sync."""

import json
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import text

from fieldkit.core.consent import withdraw_consent
from fieldkit.core.errors import ConsentRequired, FieldError
from fieldkit.core.forms.definition import load_form
from fieldkit.core.forms.prefill import prefill_answers
from fieldkit.core.forms.records import (
    FormIncomplete,
    complete_record,
    remove_entry,
    reopen_record,
    revisions_of,
    save_answer,
    set_page,
    start_record,
)
from fieldkit.core.models import FormRecord
from fieldkit.core.receipts import make_receipt, public_key_of, verify_receipt
from fieldkit.core.store import Store
from tests.conftest import PASSPHRASE

FORMS = Path(__file__).resolve().parents[2] / "forms"
TODAY = date(2026, 11, 22)


@pytest.fixture
def ct01():
    return load_form(FORMS / "residence_ct01.json")


@pytest.fixture
def household(make_household):
    return make_household("Lò Văn Pao", id_number="011085012345", date_of_birth=date(1985, 3, 15),
                          gender="male", phone="0912345678", address="Số 3, Bản Phiêng Luông")


def _record(store: Store, record_id: str) -> FormRecord:
    with store.read() as session:
        record = session.get(FormRecord, record_id)
    assert record is not None
    return record


def test_a_new_record_is_prefilled_from_the_household(store, ct01, household) -> None:
    with store.write() as session:
        answers = prefill_answers(session, ct01, household.household_id, household.head_id)
        record = start_record(session, ct01, household.household_id, household.head_id, answers)
    assert answers["full_name"] == "Lò Văn Pao"
    assert answers["date_of_birth"] == "1985-03-15"
    assert answers["id_number"] == "011085012345"
    assert (record.form_id, record.form_version, record.status) == (
        "residence_ct01", ct01.version, "draft")


def test_answers_are_saved_one_by_one_and_the_draft_reopens_on_its_page(
    store, ct01, household
) -> None:
    with store.write() as session:
        record = start_record(session, ct01, household.household_id)
    with store.write() as session:
        save_answer(session, record.id, "members[1].member_full_name", "Lò Thị Mai")
    with store.write() as session:
        set_page(session, record.id, 2)
    store.close()
    reopened = Store.open(store.data_dir, PASSPHRASE)
    try:
        saved = _record(reopened, record.id)
        assert saved.page == 2
        assert '"member_full_name":"Lò Thị Mai"' in saved.answers
        assert saved.answers.startswith('{"members":[{},')
    finally:
        reopened.close()


def test_completion_runs_the_shared_validator_and_keeps_history(store, ct01, household) -> None:
    with store.write() as session:
        answers = prefill_answers(session, ct01, household.household_id, household.head_id)
        record = start_record(session, ct01, household.household_id, household.head_id, answers)
    with pytest.raises(FormIncomplete) as refused, store.write() as session:
        complete_record(session, record.id, ct01, TODAY)
    assert refused.value.problems, "an unfinished CT01 has required answers missing"
    assert _record(store, record.id).status == "draft"

    missing = {p.field for p in refused.value.problems}
    for field in ct01.fields():
        if field.name in missing and field.list_name:
            value = ct01.choices[field.list_name][0].name
        elif field.name in missing:
            value = {"text": "Đăng ký thường trú cho con"}.get(field.type, "x")
        else:
            continue
        with store.write() as session:
            save_answer(session, record.id, field.name, value)
    with store.write() as session:
        problems_left = None
        try:
            complete_record(session, record.id, ct01, TODAY)
        except FormIncomplete as exc:
            problems_left = exc.problems
    assert problems_left is None, problems_left
    done = _record(store, record.id)
    assert done.status == "complete" and done.completed_at is not None
    with pytest.raises(FieldError), store.write() as session:
        save_answer(session, record.id, "full_name", "Đổi sau khi xong")

    with store.write() as session:
        reopen_record(session, record.id)
        save_answer(session, record.id, "phone", "0987654321")
        complete_record(session, record.id, ct01, TODAY)
    with store.read() as session:
        history = revisions_of(session, record.id)
    assert [r.number for r in history] == [1, 2]
    assert "0912345678" in history[0].answers and "0987654321" in history[1].answers
    with store.engine.connect() as conn:
        queued = set(conn.execute(text("SELECT DISTINCT table_name FROM outbox")).scalars())
    assert {"form_record", "form_revision"} <= queued


def test_a_repeat_entry_added_by_mistake_is_removed(store, ct01, household) -> None:
    with store.write() as session:
        record = start_record(session, ct01, household.household_id)
        save_answer(session, record.id, "members[0].member_full_name", "Lò Thị Mai")
        save_answer(session, record.id, "members[1].member_full_name", "Nhầm")
        remove_entry(session, record.id, "members", 1)
    assert "Nhầm" not in _record(store, record.id).answers


def test_an_entry_of_a_repeat_inside_a_repeat_is_removed_by_its_path(
    store, household, tmp_path
) -> None:
    path = tmp_path / "census.json"
    path.write_text(json.dumps({
        "id": "census", "version": "1", "title": {"vi": "Điều tra hộ"},
        "survey": [
            {"type": "begin_repeat", "name": "households", "label": {"vi": "Hộ"}},
            {"type": "begin_repeat", "name": "members", "label": {"vi": "Thành viên"}},
            {"type": "text", "name": "name", "label": {"vi": "Họ tên"}},
            {"type": "end_repeat"},
            {"type": "end_repeat"},
        ],
    }, ensure_ascii=False), encoding="utf-8")
    census = load_form(path)
    with store.write() as session:
        record = start_record(session, census, household.household_id)
        for index, name in enumerate(["Lò Thị Mai", "Nhầm", "Lò Văn Tủa"]):
            save_answer(session, record.id, f"households[0].members[{index}].name", name)
        save_answer(session, record.id, "households[1].members[0].name", "Lò Văn Pao")
        remove_entry(session, record.id, "households[0].members", 1)
    assert json.loads(_record(store, record.id).answers) == {"households": [
        {"members": [{"name": "Lò Thị Mai"}, {"name": "Lò Văn Tủa"}]},
        {"members": [{"name": "Lò Văn Pao"}]},
    ]}
    for wrong in ("households[2].members", "households[0].members[0]", "households.members"):
        with pytest.raises(KeyError), store.write() as session:
            remove_entry(session, record.id, wrong, 0)
    with store.write() as session:
        remove_entry(session, record.id, "households", 0)
    assert "Lò Thị Mai" not in _record(store, record.id).answers


def test_forms_need_someones_consent_in_the_household(store, ct01, household) -> None:
    with store.write() as session:
        withdraw_consent(session, household.head_id)
    with pytest.raises(ConsentRequired), store.write() as session:
        start_record(session, ct01, household.household_id)


def test_a_scanned_card_line_is_not_kept_as_an_answer(store, ct01, household) -> None:
    with store.write() as session:
        record = start_record(session, ct01, household.household_id)
    line = "011085012345||Lò Văn Pao|15031985|Nam|Bản Phiêng Luông|20042021"
    with pytest.raises(FieldError), store.write() as session:
        save_answer(session, record.id, "request_content", line)


def test_the_signing_key_is_made_once_and_signs_verifiable_receipts(store) -> None:
    key = store.signing_key()
    assert store.signing_key() == key
    store.close()
    reopened = Store.open(store.data_dir, PASSPHRASE)
    try:
        assert reopened.signing_key() == key
    finally:
        reopened.close()
    from datetime import UTC, datetime

    receipt = make_receipt(form_id="residence_ct01", form_version="2026.1", record_id="r1",
                           answers={"full_name": "Lò Văn Pao"}, device_id=store.device_id,
                           private_key=key, signed_at=datetime(2026, 11, 22, tzinfo=UTC))
    verified = verify_receipt(receipt, {store.device_id: public_key_of(key)})
    assert verified.answers == {"full_name": "Lò Văn Pao"}


def test_answers_hidden_by_relevance_are_not_kept_in_a_completed_record(
    store, household
) -> None:
    birth = load_form(FORMS / "birth_registration.json")
    sample = json.loads((Path(__file__).parent / "form_samples" /
                         "birth_registration.valid.json").read_text(encoding="utf-8"))
    with store.write() as session:
        record = start_record(session, birth, household.household_id, household.head_id)
        for key, value in sample.items():
            save_answer(session, record.id, key, value)
        save_answer(session, record.id, "father_declared", "yes")
        save_answer(session, record.id, "father_full_name", "Tên đã gõ rồi bỏ")
        save_answer(session, record.id, "father_declared", "no")
        complete_record(session, record.id, birth, TODAY)
        history = revisions_of(session, record.id)
    done = _record(store, record.id)
    assert "Tên đã gõ rồi bỏ" not in done.answers
    assert "Tên đã gõ rồi bỏ" not in history[0].answers
    assert json.loads(done.answers)["father_declared"] == "no"
