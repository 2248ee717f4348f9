"""Start a support visit on arrival, tick the services as they are given, end it on leaving."""

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import QDateTime, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from fieldkit.core.columns import as_utc
from fieldkit.core.errors import FieldError
from fieldkit.core.models import Visit
from fieldkit.core.profile import Profile
from fieldkit.core.store import Store
from fieldkit.core.visits import (
    end_visit,
    open_visit,
    set_notes,
    set_services,
    start_visit,
    visit_services,
    visits_of,
)
from fieldkit.core.vocabulary import SERVICES, VISIT_OUTCOMES, label
from fieldkit.ui.icons import icon
from fieldkit.ui.style import set_role

if TYPE_CHECKING:
    from fieldkit.ui.guide_window import GuideWindow
    from fieldkit.ui.visit_summary_dialog import VisitSummaryDialog


def local_time(value: datetime) -> str:
    """Stored times are UTC; QDateTime(datetime) would drop the zone, so go through epoch ms."""
    millis = int(as_utc(value).timestamp() * 1000)
    return QDateTime.fromMSecsSinceEpoch(millis).toLocalTime().toString("dd/MM/yyyy HH:mm")


class VisitPanel(QGroupBox):
    changed = Signal()

    def __init__(self, store: Store, profile: Profile | None, language: str = "vi",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setTitle(self.tr("Buổi hỗ trợ"))
        self.store = store
        self.profile = profile
        self.language = language
        self.household_id: str | None = None
        self.visit_id: str | None = None

        self.state = QLabel()
        self.start_button = QPushButton(icon("start_visit", "#ffffff"),
                                        self.tr("Bắt đầu buổi hỗ trợ"))
        set_role(self.start_button, "primary")
        self.start_button.clicked.connect(self.start)
        self.start_button.setEnabled(profile is not None)

        self.services_box = QWidget()
        grid = QGridLayout(self.services_box)
        grid.setContentsMargins(0, 0, 0, 0)
        self.service_checks: dict[str, QCheckBox] = {}
        for i, code in enumerate(SERVICES):
            check = QCheckBox(label(SERVICES, code, language))  # type: ignore[arg-type]
            check.clicked.connect(self._save_services)
            self.service_checks[code] = check
            grid.addWidget(check, i // 2, i % 2)
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(self.tr("Ghi chú buổi hỗ trợ (không ghi mật khẩu, mã OTP)"))
        self.notes.setMaximumHeight(80)
        self._notes_timer = QTimer(self)
        self._notes_timer.setSingleShot(True)
        self._notes_timer.setInterval(600)
        self._notes_timer.timeout.connect(self.save_notes)
        self.notes.textChanged.connect(self._notes_timer.start)
        self.outcome = QComboBox()
        self.outcome.addItem(self.tr("– Kết quả buổi hỗ trợ –"), None)
        for code in VISIT_OUTCOMES:
            self.outcome.addItem(label(VISIT_OUTCOMES, code, language), code)  # type: ignore[arg-type]
        self.guide_button = QPushButton(icon("guide"), self.tr("Hướng dẫn từng bước…"))
        self.guide_button.setToolTip(self.tr(
            "Hướng dẫn từng người cài VNeID, đăng ký, kích hoạt, làm thủ tục; ghi lại từng bước"))
        self.guide_button.clicked.connect(self.open_guides)
        self.guide_window: GuideWindow | None = None
        self.summary_dialog: VisitSummaryDialog | None = None
        self.summary_button = QPushButton(self.tr("Tóm tắt buổi này…"))
        self.summary_button.setToolTip(self.tr(
            "Việc đã làm cho từng người, việc còn lại và nơi cần đến; in hoặc lưu PDF"))
        self.summary_button.clicked.connect(lambda: self.show_summary(self.visit_id))
        self.end_button = QPushButton(icon("end_visit"), self.tr("Kết thúc buổi hỗ trợ"))
        self.end_button.clicked.connect(self.end)
        self.error = QLabel()
        set_role(self.error, "error")
        self.error.hide()
        self.history = QListWidget()
        self.history.setMaximumHeight(90)
        self.history.setToolTip(self.tr("Bấm đúp vào một buổi để xem lại bản tóm tắt"))
        self.history.itemActivated.connect(
            lambda item: self.show_summary(item.data(Qt.ItemDataRole.UserRole)))

        self.open_part = QWidget()
        open_layout = QVBoxLayout(self.open_part)
        open_layout.setContentsMargins(0, 0, 0, 0)
        for widget in (self.services_box, self.guide_button, self.notes, self.outcome,
                       self.summary_button, self.end_button):
            open_layout.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.addWidget(self.state)
        layout.addWidget(self.error)  # outside the open part: it may explain why that closed
        layout.addWidget(self.start_button)
        layout.addWidget(self.open_part)
        layout.addWidget(QLabel(self.tr("Các buổi trước")))
        layout.addWidget(self.history)
        self.show_household(None)

    def show_household(self, household_id: str | None) -> None:
        self.save_notes()
        self.household_id = household_id
        self.setEnabled(household_id is not None)
        visit = None
        past: list[Visit] = []
        if household_id is not None:
            with self.store.read() as session:
                visit = open_visit(session, household_id)
                past = [v for v in visits_of(session, household_id) if v.ended_at is not None]
        self.visit_id = visit.id if visit else None
        self.start_button.setVisible(visit is None)
        self.open_part.setVisible(visit is not None)
        self.error.hide()
        if visit is not None:
            self.state.setText(self.tr("Đang hỗ trợ từ {time}").format(
                time=local_time(visit.started_at)))
            chosen = set(visit_services(visit))
            for code, check in self.service_checks.items():
                check.setChecked(code in chosen)
            self.notes.blockSignals(True)
            self.notes.setPlainText(visit.notes)
            self.notes.blockSignals(False)
            self.outcome.setCurrentIndex(0)
        else:
            self.state.setText(self.tr("Chưa có buổi hỗ trợ nào đang mở."))
        self.history.clear()
        for past_visit in past:
            names = ", ".join(label(SERVICES, c, self.language)  # type: ignore[arg-type]
                              for c in visit_services(past_visit))
            outcome = label(VISIT_OUTCOMES, past_visit.outcome, self.language)  # type: ignore[arg-type]
            item = QListWidgetItem(f"{local_time(past_visit.started_at)} – {outcome}: {names}")
            item.setData(Qt.ItemDataRole.UserRole, past_visit.id)
            self.history.addItem(item)

    def start(self) -> None:
        assert self.household_id is not None and self.profile is not None
        with self.store.write() as session:
            start_visit(session, self.household_id, self.profile.volunteer_id)
        self.show_household(self.household_id)
        self.changed.emit()

    def open_guides(self) -> "GuideWindow":
        """The guide window of the open visit; one at a time, brought forward if open."""
        from fieldkit.ui.guide_window import GuideWindow

        assert self.visit_id is not None
        window = self.guide_window
        if window is None or window.visit_id != self.visit_id:
            if window is not None:
                window.close()
            window = GuideWindow(self.store, self.visit_id, self.language, parent=self.window())
            window.setWindowFlag(Qt.WindowType.Window)
            window.run_finished.connect(lambda _person: self.changed.emit())
            self.guide_window = window
        else:
            # Members may have been added, or their facts edited, since it was last open.
            window.load_people()
        window.show()
        window.raise_()
        window.activateWindow()
        return window

    def _save_services(self) -> None:
        chosen = [c for c, check in self.service_checks.items() if check.isChecked()]
        self._write(lambda session: set_services(session, self.visit_id, chosen))

    def _write(self, change: Callable[[Session], object]) -> bool:
        """Run one change; if the visit was ended or removed meanwhile, say so and refresh."""
        try:
            with self.store.write() as session:
                change(session)
        except (FieldError, LookupError) as exc:
            messages = exc.messages if isinstance(exc, FieldError) else [
                self.tr("Không tìm thấy buổi hỗ trợ này nữa.")]
            unsaved = self.notes.toPlainText().strip()
            # The visit closed elsewhere: stop writing to it (refreshing would try to save the
            # notes again), and keep unsaved notes on screen to be copied.
            self.visit_id = None
            self._notes_timer.stop()
            self.show_household(self.household_id)
            if unsaved and self.visit_id is None:
                messages.append(self.tr("Ghi chú chưa lưu: {notes}").format(notes=unsaved))
            self.error.setText("\n".join(messages))
            self.error.show()
            return False
        return True

    def save_notes(self) -> None:
        self._notes_timer.stop()
        if self.visit_id is None:
            return
        with self.store.read() as session:
            visit = session.get(Visit, self.visit_id)
        if visit is not None and visit.notes != self.notes.toPlainText().strip():
            text = self.notes.toPlainText()
            self._write(lambda session: set_notes(session, self.visit_id, text))

    def end(self) -> None:
        """End the visit and show its summary, to print or save for the family."""
        self.save_notes()
        outcome = self.outcome.currentData()
        ended = self.visit_id
        if not self._write(lambda session: end_visit(session, ended, outcome)):
            return
        if self.guide_window is not None:
            self.guide_window.close()  # its visit is over: nothing more can be recorded there
        self.show_household(self.household_id)
        self.changed.emit()
        self.show_summary(ended)

    def show_summary(self, visit_id: str | None) -> "VisitSummaryDialog | None":
        from fieldkit.ui.visit_summary_dialog import VisitSummaryDialog

        if visit_id is None:
            return None
        dialog = VisitSummaryDialog(self.store, visit_id, self.language, parent=self.window())
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.summary_dialog = dialog
        dialog.show()
        return dialog
