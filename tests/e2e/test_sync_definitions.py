"""A form shipped with FieldKit keeps its content for its id@version: the commune cannot
publish a different body under it, and a laptop prefers the shipped file anyway."""

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from fieldkit.core.paths import forms_dir, synced_definitions
from fieldkit.sync_client.runner import sync
from fieldkit.ui.form_picker import available_forms
from fieldkit_server.definitions import PublishError, publish_directory
from tests.e2e.sync_laptops import FAST_RETRY, Laptop, enrolled, new_laptop
from tests.live_server import LiveServer


@pytest.fixture
def laptop(tmp_path: Path, sync_server: LiveServer) -> Iterator[Laptop]:
    made = enrolled(new_laptop(tmp_path / "a", "A"), sync_server, "Máy A")
    yield made
    made.store.close()


def changed_birth_form(folder: Path) -> dict:
    """The shipped birth registration form, retitled, written into `folder`; returns the
    shipped one."""
    shipped = json.loads((forms_dir() / "birth_registration.json").read_text(encoding="utf-8"))
    changed = dict(shipped, title={"vi": "Tờ khai ĐÃ ĐỔI", "en": "CHANGED"})
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "birth_registration.json").write_text(json.dumps(changed, ensure_ascii=False),
                                                    encoding="utf-8")
    return shipped


def test_a_published_form_cannot_replace_a_shipped_version(tmp_path, laptop, sync_server):
    changed_birth_form(tmp_path / "publish")
    with pytest.raises(PublishError, match=r"birth_registration\.json.*tăng số phiên bản"):
        publish_directory(sync_server.engine, tmp_path / "publish")
    # The shipped file itself may be published: same content, nothing replaced.
    assert publish_directory(sync_server.engine, forms_dir()).published
    assert sync(laptop.store, retry=FAST_RETRY).refused == []


def test_the_laptop_keeps_the_shipped_form_over_a_synced_one_of_the_same_version(laptop):
    """A copy published before the server refused such files may already be on a laptop."""
    synced = synced_definitions(laptop.store.data_dir, "forms")
    shipped = changed_birth_form(synced)
    forms = available_forms(forms_dir(), synced)
    assert forms[(shipped["id"], shipped["version"])].title == shipped["title"]
