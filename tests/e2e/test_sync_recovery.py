"""Sync recovering from what happens in the field: a token that expired, the same hamlet
added on two laptops offline, a published form this laptop's release cannot read yet.

Real commune server (uvicorn on 127.0.0.1), real encrypted laptop stores, real HTTP.
"""

import json
from datetime import timedelta

import pytest
from sqlalchemy import update

from fieldkit.core.columns import utcnow
from fieldkit.core.households import villages
from fieldkit.core.paths import forms_dir, synced_definitions
from fieldkit.core.people import update_person
from fieldkit.sync_client.client import NotEnrolled
from fieldkit.sync_client.enrol import enrol
from fieldkit.sync_client.runner import sync
from fieldkit_server.definitions import publish_directory
from fieldkit_server.tables import device
from tests.conftest import first_commune_code
from tests.e2e.sync_laptops import FAST_RETRY, Laptop, enrolled, new_laptop, server_person

NAME = "Lò Thị Mai"


def run(laptop: Laptop):
    return sync(laptop.store, retry=FAST_RETRY)


# -- a laptop whose token expired enrols again and syncs ---------------------------------------

def test_a_laptop_whose_token_expired_can_enrol_again_and_sync(laptop_a, server):
    _, head = laptop_a.register(NAME)
    run(laptop_a)
    # 180 days later (TOKEN_DAYS): the token has expired.
    with server.engine.begin() as conn:
        conn.execute(update(device).values(expires_at=utcnow() - timedelta(minutes=1)))
    with laptop_a.store.write() as session:
        update_person(session, head, "phone", "0987654321")
    with pytest.raises(NotEnrolled) as told:
        run(laptop_a)
    # What the volunteer is told to do: get a new code and enrol again. Doing so must work,
    # or every record on this laptop is stranded for good.
    assert "đăng ký lại" in str(told.value)
    enrol(laptop_a.store, server.url, server.enrolment_code(first_commune_code()),
          device_name="Máy A", retry=FAST_RETRY)
    report = run(laptop_a)
    assert report.pushed_applied == 1
    assert server_person(server, head)["phone"] == "0987654321"


# -- two laptops adding the same village make one village --------------------------------------

def test_the_same_village_made_on_two_laptops_is_one_village(tmp_path, server):
    a = enrolled(new_laptop(tmp_path / "a", "A"), server, "Máy A")
    b = enrolled(new_laptop(tmp_path / "b", "B", volunteer="Cầm Văn Sáng"), server, "Máy B")
    try:
        a.register(NAME)
        b.register("Cầm Văn Pao")
        for laptop in (a, b, a):
            run(laptop)
        with b.store.read() as session:
            names = [v.name for v in villages(session, b.profile.commune_id)]
        # The laptop itself refuses a second "Bản Phiêng Luông"; sync makes one anyway, and the
        # hamlet's households (and the per-hamlet figures) are split between the two.
        assert names.count("Bản Phiêng Luông") == 1, names
    finally:
        a.store.close()
        b.store.close()


# -- a definition this release cannot read is tried again after an update ---------------------

def test_a_form_refused_by_an_older_laptop_arrives_after_its_upgrade(tmp_path, laptop_a, server,
                                                                     monkeypatch):
    import fieldkit.core.forms.definition as definition
    from fieldkit.core.forms.definition import FormError

    shipped = json.loads((forms_dir() / "birth_registration.json").read_text(encoding="utf-8"))
    newer = dict(shipped, version="2026.2")
    folder = tmp_path / "publish"
    folder.mkdir()
    (folder / "birth_registration.json").write_text(json.dumps(newer, ensure_ascii=False),
                                                    encoding="utf-8")
    publish_directory(server.engine, folder)

    real_load_form = definition.load_form

    def older_build(path):  # this laptop's release does not know a feature of the new form
        raise FormError(path, "survey", "unknown question type",
                        "loại câu hỏi không được hỗ trợ")

    monkeypatch.setattr(definition, "load_form", older_build)
    first = run(laptop_a)
    assert first.refused  # told, and...
    monkeypatch.setattr(definition, "load_form", real_load_form)  # the laptop is updated
    run(laptop_a)
    target = synced_definitions(laptop_a.store.data_dir, "forms") / "birth_registration@2026.2.json"
    assert target.exists(), "the new form never arrives: the cursor moved past it"
