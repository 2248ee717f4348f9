"""Choosing a commune in first-launch setup by typing its name without diacritics."""

from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QComboBox

from fieldkit.core.communes import communes_of, provinces
from fieldkit.core.folding import fold
from fieldkit.core.profile import load_profile
from fieldkit.ui.folded_completer import folded_match, use_folded_completion
from fieldkit.ui.setup_window import SetupWindow

from .keyboard import type_text

MUONG_PHANG = "Xã Mường Phăng"


def no_wait() -> None:
    """The heavy modules are already imported in the test process."""


def _province_code(name: str) -> int:
    return next(code for code, province in provinces() if province == name)


def _commune_code(province: str, name: str) -> int:
    return next(info.code for info in communes_of(_province_code(province)) if info.name == name)


@pytest.fixture
def window(qtbot, tmp_path: Path) -> SetupWindow:
    window = SetupWindow(tmp_path / "fresh", no_wait)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.province.setCurrentIndex(window.province.findText("Điện Biên"))
    return window


def _offered(combo: QComboBox) -> list[str]:
    popup = combo.completer().popup()
    model = popup.model()
    return [model.index(row, 0).data() for row in range(model.rowCount())] \
        if popup.isVisible() else []


def _keys(qtbot, combo: QComboBox, *keys: Qt.Key) -> None:
    for key in keys:
        # As with a real keyboard, an open completer popup takes the keys first.
        qtbot.keyClick(QApplication.activePopupWidget() or combo.lineEdit(), key)


@pytest.mark.parametrize("typed", ["muong phang", "phang", "MUONG PHANG"])
def test_typing_without_diacritics_offers_the_commune(qtbot, window, typed):
    combo = window.commune
    combo.setFocus()
    qtbot.keyClicks(combo.lineEdit(), typed)
    qtbot.waitUntil(lambda: MUONG_PHANG in _offered(combo))
    assert all(fold(typed) in fold(name) for name in _offered(combo))


def test_down_and_enter_pick_the_offered_commune(qtbot, window):
    combo = window.commune
    combo.setFocus()
    qtbot.keyClicks(combo.lineEdit(), "muong phang")
    qtbot.waitUntil(lambda: _offered(combo) == [MUONG_PHANG])
    _keys(qtbot, combo, Qt.Key.Key_Down, Qt.Key.Key_Return)
    assert not combo.completer().popup().isVisible()
    assert combo.currentText() == MUONG_PHANG, "the real name replaces the typed one"
    assert combo.currentData() == _commune_code("Điện Biên", MUONG_PHANG)
    assert window._selected_commune() == combo.currentData()


def test_typing_with_diacritics_still_completes(qtbot, window):
    combo = window.commune
    combo.setFocus()
    type_text(combo.lineEdit(), "Mường Ph")
    qtbot.waitUntil(lambda: MUONG_PHANG in _offered(combo))


def test_a_typed_name_that_names_one_commune_is_taken_without_picking(qtbot, window):
    combo = window.commune
    combo.setFocus()
    qtbot.keyClicks(combo.lineEdit(), "phang")
    _keys(qtbot, combo, Qt.Key.Key_Escape)
    assert combo.currentIndex() == -1, "nothing was picked from the list"
    assert window._selected_commune() == _commune_code("Điện Biên", MUONG_PHANG)


def test_setup_with_a_typed_folded_commune_name(qtbot, window):
    type_text(window.name, "Lò Thị Linh")
    window.commune.setFocus()
    qtbot.keyClicks(window.commune.lineEdit(), "muong phang")
    _keys(qtbot, window.commune, Qt.Key.Key_Escape)
    type_text(window.passphrase, "cụm mật khẩu dài")
    type_text(window.repeat, "cụm mật khẩu dài")
    with qtbot.waitSignal(window.unlocked, timeout=20_000) as blocker:
        qtbot.mouseClick(window.button, Qt.MouseButton.LeftButton)
    created = blocker.args[0]
    try:
        profile = load_profile(created)
        assert profile is not None
        assert (profile.commune_name, profile.province_name) == (MUONG_PHANG, "Điện Biên")
    finally:
        created.close()


def test_ambiguous_or_unknown_typed_names_are_refused(qtbot, window):
    combo = window.commune
    combo.setFocus()
    qtbot.keyClicks(combo.lineEdit(), "muong")  # Mường Phăng, Mường Ảng, Mường Nhé, ...
    _keys(qtbot, combo, Qt.Key.Key_Escape)
    assert window._selected_commune() is None
    assert any("xã/phường" in message for _, message in window.problems())
    combo.lineEdit().clear()
    qtbot.keyClicks(combo.lineEdit(), "no such commune")
    assert window._selected_commune() is None


def test_communes_sharing_a_folded_name_need_the_exact_name(qtbot):
    # Quảng Ngãi has two communes that read "xa ba to" once the diacritics are gone.
    names = [info.name for info in communes_of(_province_code("Quảng Ngãi"))]
    twins = [name for name in names if name.lower().startswith("xã ba t")]
    assert len(twins) >= 2
    combo = QComboBox()
    qtbot.addWidget(combo)
    combo.addItems(names)
    use_folded_completion(combo)
    assert folded_match(combo, "xa ba to") == -1
    for name in twins:
        assert folded_match(combo, name) == names.index(name)


def test_the_completer_follows_a_new_province(qtbot, window):
    combo = window.commune
    window.province.setCurrentIndex(window.province.findText("Quảng Ngãi"))
    combo.setFocus()
    qtbot.keyClicks(combo.lineEdit(), "phang")
    _keys(qtbot, combo, Qt.Key.Key_Escape)
    assert MUONG_PHANG not in _offered(combo)
    assert window._selected_commune() is None
