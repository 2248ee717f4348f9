"""Journey 1, step 8: a volunteer trying to note an OTP in the visit notes is stopped and told
why, and nothing of it is stored."""

from PySide6.QtCore import Qt

from fieldkit.core.models import Visit
from fieldkit.core.visits import open_visit

from .keyboard import type_text


def test_an_otp_typed_into_visit_notes_is_refused_with_the_reason(
    qtbot, main_window, store, make_household
) -> None:
    made = make_household("Lò Thị Mai")
    main_window.refresh_households(select_id=made.household_id)
    panel = main_window.detail.visit_panel
    qtbot.mouseClick(panel.start_button, Qt.MouseButton.LeftButton)

    panel.notes.setFocus()
    type_text(panel.notes, "OTP 482913")
    panel.save_notes()  # what the pause after typing triggers

    assert panel.error.isVisible()
    assert "OTP" in panel.error.text() and "482913" not in panel.error.text()
    assert "482913" not in panel.notes.toPlainText()
    with store.read() as session:
        visit = open_visit(session, made.household_id)
        assert visit is not None
        assert session.get(Visit, visit.id).notes == ""

    panel.notes.setPlainText("Đã hướng dẫn bà cách nhận OTP trên điện thoại của bà.")
    panel.save_notes()
    with store.read() as session:
        assert "nhận OTP" in session.get(Visit, visit.id).notes
