"""The ethnicity list offered on forms."""

from __future__ import annotations

import unicodedata

from fieldkit.core.ethnicity import ETHNIC_GROUPS


def test_exactly_54_groups_without_duplicates() -> None:
    assert len(ETHNIC_GROUPS) == 54
    assert len(set(ETHNIC_GROUPS)) == 54


def test_duplicates_are_not_hidden_by_case_or_unicode_form() -> None:
    folded = {unicodedata.normalize("NFC", name).casefold() for name in ETHNIC_GROUPS}
    assert len(folded) == 54


def test_kinh_comes_first_then_the_largest_groups() -> None:
    assert ETHNIC_GROUPS[:8] == ("Kinh", "Tày", "Thái", "Mường", "Khơ Me", "Hoa", "Nùng", "H'Mông")


def test_smallest_groups_are_present() -> None:
    for name in ("Brâu", "Ơ Đu", "Rơ Măm", "Pu Péo", "Si La", "Ngái"):
        assert name in ETHNIC_GROUPS


def test_names_are_nfc_with_no_stray_spaces() -> None:
    for name in ETHNIC_GROUPS:
        assert unicodedata.is_normalized("NFC", name)
        assert name == " ".join(name.split())


def test_names_keep_their_diacritics() -> None:
    for name in ("Tày", "Mường", "Ê Đê", "Xơ Đăng", "Giẻ Triêng", "Pà Thẻn", "Lự", "Chứt"):
        assert name in ETHNIC_GROUPS
    assert "Tay" not in ETHNIC_GROUPS
    assert "Muong" not in ETHNIC_GROUPS
