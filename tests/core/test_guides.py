"""Guides: the shipped walkthroughs and the load-time checks on guide files."""

import copy
import json
from pathlib import Path

import pytest

from fieldkit.core.guides import (
    CONDITIONS,
    GuideError,
    GuideFacts,
    all_facts,
    load_guide,
    load_guides,
    load_guides_reporting,
)
from fieldkit.core.paths import resources_dir

GUIDES = resources_dir() / "guides"
SHIPPED = sorted(GUIDES.glob("*.json"))
EXPECTED = {
    "install_vneid", "register_level1", "activate_account", "prepare_level2",
    "new_phone_unlink", "portal_login", "birth_combined_under6", "health_insurance_renewal",
    "recognise_scams",
}
ADULT = dict(has_smartphone=True, phone_has_nfc=True, age=40, number_in_own_name=True)


def text(vi: str) -> dict:
    return {"vi": vi, "en": vi}


GOOD = {
    "id": "sample",
    "version": "1",
    "title": text("Mẫu"),
    "steps": [
        {"id": "start", "instruction": text("Bắt đầu"),
         "next": [{"when": "no_nfc", "go": "qr"}, {"otherwise": "chip"}]},
        {"id": "qr", "instruction": text("Quét mã"), "next": "done"},
        {"id": "chip", "instruction": text("Đọc chip"),
         "problems": [{"id": "p1", "title": text("Lỗi"), "fix": text("Sửa")}], "next": "done"},
        {"id": "done", "instruction": text("Xong"), "next": None},
    ],
}


def write(tmp_path: Path, data: object, name: str = "sample.json") -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False),
                    encoding="utf-8")
    return path


def broken(change) -> dict:
    data = copy.deepcopy(GOOD)
    change(data)
    return data


def assert_error(tmp_path: Path, data: object, step: str, reason: str) -> GuideError:
    path = write(tmp_path, data)
    with pytest.raises(GuideError) as caught:
        load_guide(path)
    error = caught.value
    assert error.file == str(path)
    assert error.step == step
    assert reason in error.reason
    assert "sample.json" in str(error) and reason in str(error)
    if step:
        assert repr(step) in str(error)
    return error


# --- shipped guides ---------------------------------------------------------------------------

def test_all_nine_guides_are_shipped_and_load():
    guides = load_guides(GUIDES)
    assert {g.id for g in guides} == EXPECTED
    assert [p.stem for p in SHIPPED] == [g.id for g in guides]


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_branch_of_every_guide_is_reachable(path: Path):
    guide = load_guide(path)
    assert guide.reachable_branches() == guide.branches()
    visited = {step for route in guide.paths() for step in route}
    assert visited == set(guide.steps)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_every_text_is_in_vietnamese_and_english(path: Path):
    guide = load_guide(path)
    texts = [guide.title, guide.summary]
    for step in guide.steps.values():
        texts += [step.instruction, *(t.text for t in step.tips)]
        if step.phone_shows:
            texts.append(step.phone_shows)
        for problem in step.problems:
            texts += [problem.title, problem.fix]
    for item in texts:
        assert item.get("vi", "").strip() and item.get("en", "").strip(), (guide.id, item)


def test_level1_takes_the_card_qr_branch_without_nfc():
    guide = load_guide(GUIDES / "register_level1.json")
    route = guide.walk(GuideFacts(**{**ADULT, "phone_has_nfc": False}))
    assert "scan_card_qr_auth" in route and "read_chip_nfc" not in route
    assert guide.next_step("choose_level1", GuideFacts(phone_has_nfc=False)) == \
        "scan_card_qr_auth"
    with_nfc = guide.walk(GuideFacts(**ADULT))
    assert "read_chip_nfc" in with_nfc and "scan_card_qr_auth" not in with_nfc
    assert with_nfc[-1] == "wait_sms"


def test_level1_sends_a_ten_year_old_to_the_parents_account():
    guide = load_guide(GUIDES / "register_level1.json")
    assert guide.walk(GuideFacts(**{**ADULT, "age": 10})) == ["who_for", "child_parent_account"]
    assert guide.next_step("who_for", GuideFacts(age=10)) == "child_parent_account"


def test_level1_sends_a_number_not_in_own_name_to_the_carrier():
    guide = load_guide(GUIDES / "register_level1.json")
    route = guide.walk(GuideFacts(**{**ADULT, "number_in_own_name": False}))
    assert route == ["who_for", "fix_number_owner"]
    assert "19000368" in guide.step("fix_number_owner").instruction["vi"]


def test_unknown_facts_follow_otherwise():
    guide = load_guide(GUIDES / "register_level1.json")
    assert guide.next_step("who_for", GuideFacts()) == "open_app"
    assert guide.next_step("choose_level1", GuideFacts()) == "read_chip_nfc"
    assert guide.next_step("wait_sms", GuideFacts()) is None


def test_install_guide_carries_the_official_store_links_and_publisher():
    guide = load_guide(GUIDES / "install_vneid.json")
    assert guide.store_links == {
        "android": "https://play.google.com/store/apps/details?id=com.vnid",
        "ios": "https://apps.apple.com/vn/app/vneid/id1582750311",
    }
    search = guide.step("search_app").instruction["vi"]
    assert "VNeID" in search and "Trung tâm dữ liệu quốc gia về dân cư" in search
    assert not guide.applies(GuideFacts(has_smartphone=False))
    assert guide.applies(GuideFacts())


def test_unlink_guide_names_the_menu_path():
    guide = load_guide(GUIDES / "new_phone_unlink.json")
    texts = " ".join(s.instruction["vi"] for s in guide.steps.values())
    assert "Cá nhân → Quản lý thiết bị" in texts and "Hủy liên kết" in texts


def test_every_shipped_secret_step_has_a_secret_tip():
    secret = 0
    for guide in load_guides(GUIDES):
        for step in guide.steps.values():
            if "OTP" in step.instruction["vi"] or "mật khẩu" in step.instruction["vi"]:
                secret += 1
                assert any(t.kind == "secret" for t in step.tips), (guide.id, step.id)
    assert secret >= 5


def test_conditions_vocabulary_and_facts_cover_it():
    assert set(CONDITIONS) == {
        "phone_has_nfc", "no_nfc", "under_14", "age_14_plus", "number_in_own_name",
        "number_not_own_name", "has_smartphone", "no_smartphone",
    }
    facts = list(all_facts())
    for condition, test in CONDITIONS.items():
        assert any(test(f) is True for f in facts), condition
        assert any(test(f) is False for f in facts), condition


# --- load-time errors -------------------------------------------------------------------------

def test_the_sample_loads(tmp_path: Path):
    guide = load_guide(write(tmp_path, GOOD))
    assert guide.first_step == "start"
    assert guide.branch_count() == 2
    assert guide.step("chip").problem("p1").fix["vi"] == "Sửa"


def test_bad_json_names_the_file_and_line(tmp_path: Path):
    error = assert_error(tmp_path, '{"id": "sample",\n  "version": }', "", "invalid JSON")
    assert "line 2" in error.reason


def test_missing_step_id(tmp_path: Path):
    assert_error(tmp_path, broken(lambda d: d["steps"][1].pop("id")), "#2", "missing step id")


def test_missing_guide_id(tmp_path: Path):
    assert_error(tmp_path, broken(lambda d: d.pop("id")), "", "missing 'id'")


def test_duplicate_step_id(tmp_path: Path):
    def dup(d):
        d["steps"][2]["id"] = "qr"
    assert_error(tmp_path, broken(dup), "qr", "duplicate step id")


def test_duplicate_problem_id(tmp_path: Path):
    def dup(d):
        d["steps"][2]["problems"].append(copy.deepcopy(d["steps"][2]["problems"][0]))
    assert_error(tmp_path, broken(dup), "chip", "duplicate problem id 'p1'")


@pytest.mark.parametrize("where", ["instruction", "tip", "problem fix", "phone_shows"])
def test_missing_vietnamese_text(tmp_path: Path, where: str):
    def drop(d):
        step = d["steps"][2]
        if where == "instruction":
            step["instruction"] = {"en": "Read the chip"}
        elif where == "tip":
            step["tips"] = [{"en": "A tip"}]
        elif where == "phone_shows":
            step["phone_shows"] = {"vi": " ", "en": "x"}
        else:
            step["problems"][0]["fix"] = {"en": "Fix"}
    assert_error(tmp_path, broken(drop), "chip", "no Vietnamese text")


def test_unknown_condition(tmp_path: Path):
    def bad(d):
        d["steps"][0]["next"][0]["when"] = "has_nfc"
    error = assert_error(tmp_path, broken(bad), "start", "unknown condition 'has_nfc'")
    assert "phone_has_nfc" in error.reason  # the known ones are listed


def test_next_to_an_unknown_step(tmp_path: Path):
    def bad(d):
        d["steps"][1]["next"] = "finish"
    assert_error(tmp_path, broken(bad), "qr", "unknown step 'finish'")


def test_go_to_an_unknown_step(tmp_path: Path):
    def bad(d):
        d["steps"][0]["next"][1]["otherwise"] = "nowhere"
    assert_error(tmp_path, broken(bad), "start", "unknown step 'nowhere'")


def test_branches_without_otherwise(tmp_path: Path):
    def bad(d):
        d["steps"][0]["next"] = [{"when": "no_nfc", "go": "qr"},
                                 {"when": "phone_has_nfc", "go": "chip"}]
    assert_error(tmp_path, broken(bad), "start", "otherwise")


def test_unreachable_step(tmp_path: Path):
    def bad(d):
        d["steps"].append({"id": "orphan", "instruction": text("Lạc"), "next": None})
    assert_error(tmp_path, broken(bad), "orphan", "unreachable")


def test_cycle_with_no_way_to_the_end(tmp_path: Path):
    def bad(d):
        d["steps"][1]["next"] = "start"  # qr -> start
        d["steps"][2]["next"] = "start"  # chip -> start; "done" now unreachable
        d["steps"].pop()
    assert_error(tmp_path, broken(bad), "start", "cycle with no way to the end")


def test_cycle_a_person_would_go_round(tmp_path: Path):
    def bad(d):
        d["steps"][1]["next"] = "start"  # no_nfc people loop start -> qr -> start
    assert_error(tmp_path, broken(bad), "start", "never reaches the end")


def test_a_branch_nobody_can_take(tmp_path: Path):
    def bad(d):
        d["steps"][0]["next"] = [{"when": "no_nfc", "go": "qr"}, {"when": "no_nfc", "go": "chip"},
                                 {"otherwise": "done"}]
    assert_error(tmp_path, broken(bad), "start", "branch 2 can never be taken")


def test_secret_step_without_a_secret_tip_is_refused(tmp_path: Path):
    def bad(d):
        d["steps"][1]["instruction"] = text("Người dân nhập mã OTP vừa nhận")
        d["steps"][1]["tips"] = [text("Chờ tin nhắn")]
    assert_error(tmp_path, broken(bad), "qr", 'no tip of kind "secret"')


@pytest.mark.parametrize("word", ["mật khẩu", "Mã xác thực", "passcode", "OTP"])
def test_secret_step_with_a_secret_tip_loads(tmp_path: Path, word: str):
    def ok(d):
        d["steps"][1]["instruction"] = text(f"Người dân tự nhập {word}")
        d["steps"][1]["tips"] = [{"kind": "secret", **text("Người dân tự nhập; không ghi lại")}]
    guide = load_guide(write(tmp_path, broken(ok)))
    assert guide.step("qr").tips[0].kind == "secret"


def test_secret_word_in_english_only_is_caught_too(tmp_path: Path):
    def bad(d):
        d["steps"][1]["instruction"] = {"vi": "Nhập mã", "en": "Type the password"}
    assert_error(tmp_path, broken(bad), "qr", "password, OTP or passcode")


def test_id_must_match_the_file_name(tmp_path: Path):
    assert_error(tmp_path, broken(lambda d: d.update(id="other")), "", "does not match")


def test_reporting_keeps_good_guides_beside_bad_ones(tmp_path: Path):
    write(tmp_path, GOOD)
    write(tmp_path, "{", name="broken.json")
    guides, errors = load_guides_reporting(tmp_path)
    assert [g.id for g in guides] == ["sample"]
    assert len(errors) == 1 and errors[0].file.endswith("broken.json")


def test_result_status_on_an_end_step_loads(tmp_path: Path):
    guide = load_guide(write(tmp_path, broken(
        lambda d: d["steps"][3].update(result_status="level1"))))
    assert guide.step("done").result_status == "level1"
    assert guide.step("start").result_status is None


def test_result_status_must_be_a_vneid_status(tmp_path: Path):
    with pytest.raises(GuideError, match="'level3' is not a VNeID status"):
        load_guide(write(tmp_path, broken(lambda d: d["steps"][3].update(result_status="level3"))))


def test_result_status_only_on_an_end_step(tmp_path: Path):
    with pytest.raises(GuideError, match=r"step 'qr'.*belongs on an end step"):
        load_guide(write(tmp_path, broken(lambda d: d["steps"][1].update(result_status="level1"))))


def test_store_links_step_needs_the_guide_to_have_links(tmp_path: Path):
    with pytest.raises(GuideError, match=r"step 'start'.*no store_links"):
        load_guide(write(tmp_path, broken(
            lambda d: d["steps"][0].update(show_store_links=True))))
    with pytest.raises(GuideError, match="show_store_links must be true or false"):
        load_guide(write(tmp_path, broken(lambda d: d["steps"][0].update(show_store_links="yes"))))


def test_shipped_guides_offer_the_status_their_end_gives():
    level1 = load_guide(GUIDES / "register_level1.json")
    walked = level1.walk(GuideFacts(**ADULT))
    assert level1.step(walked[-1]).result_status == "level1"
    # No smartphone: the guide ends without an account, so it offers no new status.
    without = level1.walk(GuideFacts(**{**ADULT, "has_smartphone": False}))
    assert level1.step(without[-1]).result_status is None
    activate = load_guide(GUIDES / "activate_account.json")
    assert activate.step(activate.walk(GuideFacts(**ADULT))[-1]).result_status == "activated"
    install = load_guide(GUIDES / "install_vneid.json")
    assert [s.id for s in install.steps.values() if s.show_store_links] == ["open_store"]
