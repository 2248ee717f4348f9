"""Pull: commit order, cursor, `more`, limit; definitions published by the commune."""

import json
import shutil
from pathlib import Path

import pytest

from fieldkit.core.paths import forms_dir, resources_dir
from fieldkit_server.definitions import PublishError, publish_directory
from tests.live_server import LiveServer
from tests.server.laptop import commune_codes, enrol, stored_counts


def test_pages_follow_the_cursor_in_order_with_more_and_limit(live_server: LiveServer):
    sender = enrol(live_server, commune_codes()[0], "Máy gửi")
    laptop = enrol(live_server, commune_codes()[0])
    villages = [sender.village(f"Bản {n}") for n in range(7)]
    sender.push_ok([sender.change(v) for v in villages[:4]])
    sender.push_ok([sender.change(v) for v in villages[4:]])

    pages, cursor, more = [], 0, True
    while more:
        page = laptop.pull(cursor, limit=3)
        assert len(page["changes"]) <= 3
        pages.append(page)
        cursor, more = page["next_cursor"], page["more"]
    seqs = [c["seq"] for page in pages for c in page["changes"]]
    assert seqs == sorted(seqs) and len(set(seqs)) == len(seqs)
    assert [page["more"] for page in pages] == [True, True, False]
    assert [c["id"] for page in pages for c in page["changes"]][1:] == [v.id for v in villages]
    assert all(page["next_cursor"] == page["changes"][-1]["seq"] for page in pages)

    empty = laptop.pull(cursor)
    assert empty == {"changes": [], "next_cursor": cursor, "more": False}


def test_a_changed_row_moves_to_the_end_and_is_pulled_once_at_its_newest(
        live_server: LiveServer):
    sender = enrol(live_server, commune_codes()[0], "Máy gửi")
    laptop = enrol(live_server, commune_codes()[0])
    first, second = sender.village("Bản Một"), sender.village("Bản Hai")
    sender.push_ok([sender.change(first), sender.change(second)])
    cursor = laptop.pull()["next_cursor"]
    first.name = "Bản Một Mới"
    sender.push_ok([sender.change(first, base_version=1)])

    everything = laptop.pull_all()
    assert [c["id"] for c in everything][1:] == [second.id, first.id]
    assert everything[-1]["version"] == 2
    since = laptop.pull(cursor)["changes"]
    assert [(c["id"], c["data"]["name"]) for c in since] == [(first.id, "Bản Một Mới")]


def test_published_definitions_reach_every_commune_and_republishing_changes_nothing(
        live_server: LiveServer):
    ours, theirs = commune_codes()
    mine, other = enrol(live_server, ours), enrol(live_server, theirs)
    forms = publish_directory(live_server.engine, forms_dir())
    guides = publish_directory(live_server.engine, resources_dir() / "guides")
    assert forms.published and guides.published

    for laptop in (mine, other):
        pulled = [c for c in laptop.pull_all() if c["table"] in ("form_definition",
                                                                 "guide_definition")]
        assert len(pulled) == len(forms.published) + len(guides.published)
        ct01 = next(c for c in pulled if c["data"]["id"] == "residence_ct01")
        assert ct01["table"] == "form_definition"
        assert set(ct01["data"]) == {"id", "version", "body"}
        assert ct01["data"]["body"] == (forms_dir() / "residence_ct01.json").read_text("utf-8")
        assert json.loads(ct01["data"]["body"])["version"] == ct01["data"]["version"]

    counts = stored_counts(live_server)
    again = publish_directory(live_server.engine, forms_dir())
    assert again.published == [] and len(again.unchanged) == len(forms.published)
    assert stored_counts(live_server) == counts


def test_a_bad_definition_is_named_and_nothing_is_published(live_server: LiveServer,
                                                          tmp_path: Path):
    shutil.copy(forms_dir() / "residence_ct01.json", tmp_path / "a_good.json")
    (tmp_path / "b_broken.json").write_text('{"id": "x", "version": "1"', encoding="utf-8")
    with pytest.raises(PublishError, match=r"b_broken\.json"):
        publish_directory(live_server.engine, tmp_path)
    laptop = enrol(live_server, commune_codes()[0])
    assert {c["table"] for c in laptop.pull_all()} == {"commune"}


def test_a_changed_body_under_a_published_version_is_refused(live_server: LiveServer,
                                                            tmp_path: Path):
    source = forms_dir() / "residence_ct01.json"
    shutil.copy(source, tmp_path / "ct01.json")
    publish_directory(live_server.engine, tmp_path)
    data = json.loads(source.read_text("utf-8"))
    data["title"]["vi"] = "Tờ khai đã sửa"
    (tmp_path / "ct01.json").write_text(json.dumps(data, ensure_ascii=False), "utf-8")
    with pytest.raises(PublishError, match="tăng số phiên bản"):
        publish_directory(live_server.engine, tmp_path)


def test_a_laptop_is_not_sent_back_the_rows_it_pushed(live_server: LiveServer):
    """The push answer gave the laptop each row's server version; pulling the rows again
    would double what a phone link carries for nothing. What another laptop changed, and
    what the server itself made of a pushed row, still come down."""
    code = commune_codes()[0]
    laptop, colleague = enrol(live_server, code, "Máy 1"), enrol(live_server, code, "Máy 2")
    mine = [laptop.village(f"Bản {n}") for n in range(3)]
    answers = laptop.push_ok([laptop.change(v) for v in mine])
    assert [a["version"] for a in answers] == [1, 1, 1]
    first = laptop.pull()
    assert [c["table"] for c in first["changes"]] == ["commune"]
    assert first["more"] is False

    theirs = colleague.village("Bản Của Máy 2")
    colleague.push_ok([colleague.change(theirs)])
    mine[0].name = "Bản 0 (sửa ở máy 2)"
    colleague.push_ok([colleague.change(mine[0], base_version=1)])
    later = laptop.pull(first["next_cursor"])
    assert [(c["id"], c["version"]) for c in later["changes"]] == [(theirs.id, 1),
                                                                    (mine[0].id, 2)]
    # The cursor passed the laptop's own rows too: asking again walks over nothing.
    assert laptop.pull(later["next_cursor"]) == {
        "changes": [], "next_cursor": later["next_cursor"], "more": False}
    assert [c["id"] for c in colleague.pull_all() if c["table"] == "village"] == [
        mine[1].id, mine[2].id]


def test_the_cursor_moves_past_a_page_of_the_laptops_own_rows(live_server: LiveServer):
    code = commune_codes()[0]
    laptop, colleague = enrol(live_server, code, "Máy 1"), enrol(live_server, code, "Máy 2")
    laptop.push_ok([laptop.change(laptop.village(f"Bản {n}")) for n in range(5)])
    theirs = colleague.village("Bản Của Máy 2")
    colleague.push_ok([colleague.change(theirs)])
    pages, cursor, more = [], 0, True
    while more:
        page = laptop.pull(cursor, limit=2)
        pages.append(page)
        assert page["next_cursor"] >= cursor
        cursor, more = page["next_cursor"], page["more"]
    assert [c["id"] for p in pages for c in p["changes"]][1:] == [theirs.id]
