"""Type-ahead household search as volunteers use it: typed without diacritics, by part of a
name, an ID number or a phone number, within one village or all of them."""

import unicodedata
from collections.abc import Callable
from typing import Any

import pytest

from fieldkit.core.folding import fold
from fieldkit.core.households import add_village, update_household
from fieldkit.core.models import Household
from fieldkit.core.people import remove_person, update_person
from fieldkit.core.profile import Profile
from fieldkit.core.search import match_expression, search_households
from fieldkit.core.store import Store


def search(store: Store, query: str, village_id: str | None = None) -> list[str]:
    with store.read() as session:
        return search_households(session.connection(), query, village_id)


# -- fold ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "folded"),
    [
        ("Nguyễn Văn An", "nguyen van an"),
        ("Đặng Thị Hoa", "dang thi hoa"),
        ("ĐẶNG THỊ HOA", "dang thi hoa"),
        ("đường", "duong"),
        ("Ưng Ơn Ấp", "ung on ap"),
        ("Lò Thị Linh", "lo thi linh"),
        ("  Hà   Giang\t", "ha giang"),
        ("H'Mông", "h mong"),
        ("Bru-Vân Kiều", "bru van kieu"),
        ("0912 345 678", "0912 345 678"),
        ("Tổ 7, phường Ba Đình", "to 7 phuong ba dinh"),
        ("", ""),
        ("  ,.;  ", ""),
    ],
)
def test_fold(typed: str, folded: str) -> None:
    assert fold(typed) == folded


def test_fold_treats_composed_and_decomposed_input_alike() -> None:
    name = "Nguyễn Thị Ánh Đào"
    assert fold(unicodedata.normalize("NFD", name)) == fold(unicodedata.normalize("NFC", name))
    assert fold(unicodedata.normalize("NFD", name)) == "nguyen thi anh dao"


def test_match_expression_only_quotes_plain_words() -> None:
    assert match_expression("Nguyễn  Văn") == 'body : "nguyen"* AND body : "van"*'
    assert match_expression("dang", "0192-ab") == 'body : "dang"* AND village : "0192ab"'
    assert match_expression('" * ( ) -') is None
    assert match_expression("   ") is None


# -- finding households ----------------------------------------------------------------------


@pytest.fixture
def people(make_household: Callable[..., Any]) -> dict[str, str]:
    """Household ids by head name."""
    return {
        "Nguyễn Văn An": make_household(
            "Nguyễn Văn An", id_number="001085012345", phone="0912 345 678"
        ).household_id,
        "Đặng Thị Hoa": make_household(
            "Đặng Thị Hoa", members=("Lường Văn Tú",)
        ).household_id,
        "Hoàng Văn Dũng": make_household("Hoàng Văn Dũng", phone="0987654321").household_id,
        "Bùi Thị Mai": make_household("Bùi Thị Mai", address="Thôn Nà Hang").household_id,
    }


@pytest.mark.parametrize(
    ("query", "head"),
    [
        ("nguyen van", "Nguyễn Văn An"),
        ("nguyen van an", "Nguyễn Văn An"),
        ("Nguyễn Văn", "Nguyễn Văn An"),
        ("nguy", "Nguyễn Văn An"),
        ("van an", "Nguyễn Văn An"),
        ("dang", "Đặng Thị Hoa"),
        ("đặng", "Đặng Thị Hoa"),
        ("DANG THI", "Đặng Thị Hoa"),
        ("ĐẶNG", "Đặng Thị Hoa"),
        ("tHi HoA", "Đặng Thị Hoa"),
        ("dung", "Hoàng Văn Dũng"),
        ("bui mai", "Bùi Thị Mai"),
        ("na hang", "Bùi Thị Mai"),
        ("001085", "Nguyễn Văn An"),
        ("001085012345", "Nguyễn Văn An"),
        ("0912", "Nguyễn Văn An"),
        ("0912345", "Nguyễn Văn An"),
        ("09876", "Hoàng Văn Dũng"),
        ("luong van tu", "Đặng Thị Hoa"),
        ("tu", "Đặng Thị Hoa"),
    ],
)
def test_query_finds_the_household(
    store: Store, people: dict[str, str], query: str, head: str
) -> None:
    assert search(store, query) == [people[head]]


def test_every_word_must_match(store: Store, people: dict[str, str]) -> None:
    assert search(store, "nguyen hoa") == []
    assert search(store, "nguyen 0987") == []
    assert search(store, "xyz") == []
    assert sorted(search(store, "van")) == sorted(
        [people["Nguyễn Văn An"], people["Hoàng Văn Dũng"], people["Đặng Thị Hoa"]]
    )


def test_a_blank_query_lists_every_household_in_vietnamese_order(
    store: Store, make_household: Callable[..., Any]
) -> None:
    names = ["Hoàng Văn Dũng", "Đặng Thị Hoa", "Bùi Thị Mai", "Dương Văn Nam", "Âu Thị Lan",
             "Nguyễn Văn An"]
    ids = {name: make_household(name).household_id for name in names}
    expected = ["Âu Thị Lan", "Bùi Thị Mai", "Đặng Thị Hoa", "Dương Văn Nam", "Hoàng Văn Dũng",
                "Nguyễn Văn An"]
    for blank in ("", "   ", "\t"):
        assert search(store, blank) == [ids[name] for name in expected]


def test_results_are_sorted_by_head_name_too(
    store: Store, make_household: Callable[..., Any]
) -> None:
    ids = {n: make_household(n).household_id for n in ("Hoàng Thị Hoa", "Đặng Thị Hoa",
                                                        "Bùi Văn Hoà")}
    assert search(store, "hoa") == [ids["Bùi Văn Hoà"], ids["Đặng Thị Hoa"], ids["Hoàng Thị Hoa"]]


def test_renaming_the_head_moves_the_household_in_the_list(
    store: Store, make_household: Callable[..., Any]
) -> None:
    first = make_household("Bùi Thị Mai")
    second = make_household("Hoàng Văn Dũng")
    assert search(store, "") == [first.household_id, second.household_id]
    with store.write() as session:
        update_person(session, first.head_id, "full_name", "Vũ Thị Mai")
    assert search(store, "") == [second.household_id, first.household_id]
    assert search(store, "bui") == []
    assert search(store, "vu thi") == [first.household_id]


def test_village_filter_excludes_other_villages(
    store: Store, profile: Profile, village_id: str, make_household: Callable[..., Any]
) -> None:
    with store.write() as session:
        other = add_village(session, profile.commune_id, "Thôn Nà Hang").id
    here = make_household("Nguyễn Văn An").household_id
    there = make_household("Nguyễn Văn Ba", village=other).household_id
    assert sorted(search(store, "nguyen")) == sorted([here, there])
    assert search(store, "nguyen", village_id) == [here]
    assert search(store, "nguyen", other) == [there]
    assert search(store, "", village_id) == [here]
    assert search(store, "", other) == [there]
    assert search(store, "ba", village_id) == []


def test_a_tombstoned_household_disappears(
    store: Store, people: dict[str, str]
) -> None:
    gone = people["Nguyễn Văn An"]
    with store.write() as session:
        household = session.get(Household, gone)
        assert household is not None
        household.deleted = True
        session.add(household)
    assert search(store, "nguyen") == []
    assert search(store, "001085") == []
    assert search(store, "0912") == []
    assert gone not in search(store, "")
    assert len(search(store, "")) == 3


def test_a_removed_member_no_longer_finds_the_household(
    store: Store, make_household: Callable[..., Any], village_id: str
) -> None:
    made = make_household("Đặng Thị Hoa", members=("Lường Văn Tú",))
    assert search(store, "luong") == [made.household_id]
    with store.read() as session:
        from fieldkit.core.households import members

        member = next(p for p in members(session, made.household_id) if p.id != made.head_id)
    with store.write() as session:
        remove_person(session, member.id)
    assert search(store, "luong") == []
    assert search(store, "dang") == [made.household_id]


def test_changing_the_household_phone_updates_search(
    store: Store, make_household: Callable[..., Any]
) -> None:
    made = make_household("Bùi Thị Mai")
    assert search(store, "0978") == []
    with store.write() as session:
        update_household(session, made.household_id, "phone", "+84 978 123 456")
    assert search(store, "0978") == [made.household_id]


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"nguyen',
        'nguyen"',
        '""',
        "*",
        "nguyen*",
        "(",
        ")",
        "(nguyen",
        "nguyen)",
        "OR",
        "nguyen OR dang",
        "AND",
        "NOT",
        "NEAR",
        "NEAR(nguyen dang)",
        "-",
        "-nguyen",
        "nguyen -dang",
        "^nguyen",
        "head_name:nguyen",
        "body:nguyen",
        "{body}: nguyen",
        "nguyen + van",
        "'; DROP TABLE household; --",
        "\\",
        "%_",
        "\x00",
    ],
)
def test_fts_syntax_in_the_query_never_raises(
    store: Store, people: dict[str, str], query: str
) -> None:
    found = search(store, query)
    assert set(found) <= set(people.values())
    if fold(query) == "nguyen":
        assert found == [people["Nguyễn Văn An"]]


def test_typed_fts_keywords_are_searched_as_words(
    store: Store, make_household: Callable[..., Any]
) -> None:
    made = make_household("Đinh Văn Or", members=("Lò Thị Not",))
    assert search(store, "OR") == [made.household_id]
    assert search(store, "not") == [made.household_id]
    assert search(store, "dinh OR") == [made.household_id]
