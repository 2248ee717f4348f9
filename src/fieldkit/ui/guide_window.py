"""Walking household members through guides during a visit: choose, step, finish.

The volunteer first picks who is being helped and confirms the few facts the guide branches on
(own smartphone, NFC, a number in her own name). Those are saved on the person, so the next
volunteer and the next guide start from them, and the guide list greys out what cannot apply.
Then each step gets an outcome as it happens, written at once: a flat battery mid-guide loses
nothing, and reopening the guide for the same person in the same visit resumes where it was.
At the end the volunteer confirms the VNeID status the guide leads to; it is not set silently,
because the SMS approving level 1 may not have come yet.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QProgressBar,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)
from sqlmodel import Session

from fieldkit.core.dates import age_on
from fieldkit.core.errors import ConsentRequired, FieldError
from fieldkit.core.guide_runs import (
    abandon_run,
    facts_of,
    finish_run,
    outcomes_of,
    record_outcome,
    runs_of_visit,
    start_run,
)
from fieldkit.core.guides import Guide, load_guides_reporting, newest_guides
from fieldkit.core.households import members
from fieldkit.core.models import GuideRun, Person, Visit
from fieldkit.core.paths import guides_dir, synced_definitions
from fieldkit.core.people import update_person
from fieldkit.core.store import Store
from fieldkit.core.vocabulary import VNEID_STATUSES, in_language, label
from fieldkit.ui.guide_step import StepView
from fieldkit.ui.style import set_role

# The person's fields the guides branch on, with the question the volunteer asks.
FACT_FIELDS = ("has_smartphone", "phone_has_nfc", "phone_in_own_name")
OUTCOME_MARKS = {"done": "✓", "problem": "!", "skipped": "→"}


class GuideWindow(QDialog):
    """Non-modal: the volunteer glances at the household screen while a guide is open."""

    run_finished = Signal(str)  # person id: the VNeID status may have changed

    def __init__(self, store: Store, visit_id: str, language: str = "vi",
                 parent: QWidget | None = None,
                 today: Callable[[], date] = date.today) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Hướng dẫn từng bước"))
        self.store = store
        self.visit_id = visit_id
        self.language = language
        self.today = today
        self.run_id: str | None = None
        self.guide: Guide | None = None
        guides, errors = load_guides_reporting(
            guides_dir(), synced_definitions(store.data_dir, "guides"))
        self.guides = newest_guides(guides)
        with store.read() as session:
            visit = session.get(Visit, visit_id)
            assert visit is not None
            self.household_id = visit.household_id

        self.pages = QStackedWidget()
        self.pages.addWidget(self._build_chooser(errors))
        self.pages.addWidget(self._build_steps())
        self.pages.addWidget(self._build_end())
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_role(self.error, "error")
        self.error.hide()
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addWidget(self.error)
        self.resize(760, 720)
        self.load_people()

    # -- page 1: who and which guide ------------------------------------------------------

    def _build_chooser(self, errors: list[Exception]) -> QWidget:
        page = QWidget()
        self.person = QComboBox()
        self.person.currentIndexChanged.connect(self._person_changed)
        self.age = QLabel()
        set_role(self.age, "hint")
        self.facts: dict[str, QComboBox] = {}
        form = QFormLayout()
        form.addRow(self.tr("Người được hỗ trợ"), self.person)
        form.addRow("", self.age)
        questions = {
            "has_smartphone": self.tr("Có điện thoại thông minh riêng?"),
            "phone_has_nfc": self.tr("Máy đọc được chip thẻ (NFC)?"),
            "phone_in_own_name": self.tr("Số điện thoại đứng tên chính người này?"),
        }
        for field in FACT_FIELDS:
            box = QComboBox()
            box.addItem(self.tr("Chưa rõ"), None)
            box.addItem(self.tr("Có"), True)
            box.addItem(self.tr("Không"), False)
            box.activated.connect(lambda _i, f=field: self.save_fact(f))
            self.facts[field] = box
            form.addRow(questions[field], box)
        self.guide_list = QListWidget()
        self.guide_list.itemActivated.connect(lambda _item: self.start())
        self.guide_list.currentItemChanged.connect(self._guide_changed)
        self.guide_summary = QLabel()
        self.guide_summary.setWordWrap(True)
        set_role(self.guide_summary, "hint")
        self.start_button = QPushButton(self.tr("Bắt đầu hướng dẫn"))
        set_role(self.start_button, "primary")
        self.start_button.clicked.connect(self.start)
        self.saved = QLabel()
        self.saved.setWordWrap(True)
        set_role(self.saved, "saved")
        self.saved.hide()
        layout = QVBoxLayout(page)
        layout.addWidget(self.saved)
        layout.addLayout(form)
        layout.addWidget(QLabel(self.tr("Hướng dẫn")))
        layout.addWidget(self.guide_list, 1)
        layout.addWidget(self.guide_summary)
        if errors:
            broken = QLabel(self.tr("Không mở được {count} tệp hướng dẫn; báo cho cán bộ kỹ "
                                    "thuật của xã:\n{errors}").format(
                count=len(errors), errors="\n".join(str(e) for e in errors)))
            broken.setWordWrap(True)
            set_role(broken, "warning")
            layout.addWidget(broken)
        layout.addWidget(self.start_button, 0, Qt.AlignmentFlag.AlignRight)
        return page

    def load_people(self) -> None:
        with self.store.read() as session:
            people = [p for p in members(session, self.household_id) if p.full_name]
        chosen = self.person.currentData()
        self.person.blockSignals(True)
        self.person.clear()
        for person in people:
            self.person.addItem(person.full_name, person.id)
        self.person.blockSignals(False)
        index = self.person.findData(chosen)
        self.person.setCurrentIndex(max(index, 0))
        self._person_changed()

    def _current_person(self, session: Session) -> Person | None:
        person_id = self.person.currentData()
        return session.get(Person, person_id) if person_id else None

    def _person_changed(self) -> None:
        with self.store.read() as session:
            person = self._current_person(session)
            runs = runs_of_visit(session, self.visit_id)
        self.error.hide()
        if person is None:
            self.age.setText(self.tr("Hộ này chưa có thành viên nào được ghi tên."))
            self.start_button.setEnabled(False)
            self.guide_list.clear()
            return
        today = self.today()
        status = label(VNEID_STATUSES, person.vneid_status, self.language)  # type: ignore[arg-type]
        if person.date_of_birth:
            self.age.setText(self.tr("{age} tuổi · VNeID: {status}").format(
                age=age_on(person.date_of_birth, today), status=status))
        else:
            self.age.setText(self.tr("Chưa rõ ngày sinh · VNeID: {status}").format(
                status=status))
        for field, box in self.facts.items():
            box.setCurrentIndex(box.findData(getattr(person, field)))
        self.facts["phone_has_nfc"].setEnabled(person.has_smartphone is not False)
        facts = facts_of(person, today)
        open_guides = {run.guide_id for run in runs
                       if run.person_id == person.id and run.status == "open"}
        chosen = self.guide_list.currentItem()
        chosen_id = chosen.data(Qt.ItemDataRole.UserRole) if chosen else None
        self.guide_list.clear()
        for guide in self.guides.values():
            title = in_language(guide.title, self.language)
            if guide.id in open_guides:
                title = self.tr("{title} — đang làm dở").format(title=title)
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, guide.id)
            if not guide.applies(facts):
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip(self.tr("Không phù hợp với người này (theo thông tin ở trên)."))
            self.guide_list.addItem(item)
            if guide.id == chosen_id and guide.applies(facts):
                self.guide_list.setCurrentItem(item)
        self.start_button.setEnabled(True)

    def _guide_changed(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        guide = self.guides.get(item.data(Qt.ItemDataRole.UserRole)) if item else None
        self.guide_summary.setText(in_language(guide.summary, self.language)
                                   if guide and guide.summary else "")

    def save_fact(self, field: str) -> None:
        person_id = self.person.currentData()
        value = self.facts[field].currentData()
        if self._write(lambda session: update_person(session, person_id, field, value)):
            self._person_changed()
        else:
            message = self.error.text()
            self._person_changed()  # the combo goes back to what is stored
            self._show_error(message)

    def choose(self, person_id: str, guide_id: str) -> None:
        """Select a person and a guide, as a trainer scenario does before starting."""
        self.person.setCurrentIndex(self.person.findData(person_id))
        for row in range(self.guide_list.count()):
            item = self.guide_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == guide_id:
                self.guide_list.setCurrentItem(item)

    def start(self) -> bool:
        """Start (or resume) the chosen guide for the chosen person."""
        item = self.guide_list.currentItem()
        person_id = self.person.currentData()
        if item is None or not item.flags() & Qt.ItemFlag.ItemIsEnabled:
            self._show_error(self.tr("Hãy chọn một hướng dẫn phù hợp trong danh sách."))
            return False
        guide = self.guides[item.data(Qt.ItemDataRole.UserRole)]
        run_ids: list[str] = []
        if not self._write(lambda session: run_ids.append(
                start_run(session, guide, self.visit_id, person_id).id)):
            return False
        self.guide = guide
        self.run_id = run_ids[0]
        self.saved.hide()
        self.show_run()
        return True

    # -- page 2: the steps ----------------------------------------------------------------

    def _build_steps(self) -> QWidget:
        page = QWidget()
        self.heading = QLabel()
        self.heading.setWordWrap(True)
        set_role(self.heading, "title")
        self.progress = QProgressBar()
        self.progress.setTextVisible(True)
        self.step_view = StepView(self.language)
        self.step_view.done.connect(lambda: self.record("done"))
        self.step_view.problem.connect(lambda problem: self.record("problem", problem=problem))
        self.step_view.skipped.connect(lambda reason: self.record("skipped", reason=reason))
        self.history = QListWidget()
        self.history.setMaximumHeight(120)
        self.pause_button = QPushButton(self.tr("Tạm dừng, chọn người khác"))
        self.pause_button.setToolTip(self.tr("Lượt hướng dẫn vẫn mở; chọn lại để làm tiếp."))
        self.pause_button.clicked.connect(self.back_to_chooser)
        self.abandon_button = QPushButton(self.tr("Dừng hẳn hướng dẫn này"))
        set_role(self.abandon_button, "danger")
        self.abandon_button.clicked.connect(self.abandon)
        bottom = QHBoxLayout()
        bottom.addWidget(self.pause_button)
        bottom.addStretch(1)
        bottom.addWidget(self.abandon_button)
        layout = QVBoxLayout(page)
        layout.addWidget(self.heading)
        layout.addWidget(self.progress)
        layout.addWidget(self.step_view, 1)
        layout.addWidget(QLabel(self.tr("Đã ghi nhận")))
        layout.addWidget(self.history)
        layout.addLayout(bottom)
        return page

    def _run(self, session: Session) -> tuple[GuideRun, Person]:
        run = session.get(GuideRun, self.run_id)
        assert run is not None
        person = session.get(Person, run.person_id)
        assert person is not None
        return run, person

    def show_run(self) -> None:
        assert self.guide is not None
        guide = self.guide
        with self.store.read() as session:
            run, person = self._run(session)
            outcomes = outcomes_of(session, run.id)
        self.heading.setText(f"{in_language(guide.title, self.language)} — {person.full_name}")
        self.history.clear()
        for outcome in outcomes:
            self.history.addItem(self._describe(outcome.step_id, outcome.outcome,
                                                outcome.problem_id, outcome.reason))
        self.history.scrollToBottom()
        if run.current_step is None:
            self.show_end(person, outcomes[-1].step_id if outcomes else None)
            return
        route = guide.walk(facts_of(person, self.today()))
        if run.current_step in route:
            number, total = route.index(run.current_step) + 1, len(route)
        else:  # the facts changed after the guide chose this step
            number = len({o.step_id for o in outcomes}) + 1
            total = max(number, len(route))
        self.progress.setRange(0, total)
        self.progress.setValue(number)
        self.progress.setFormat(self.tr("Bước {number}/{total}").format(
            number=number, total=total))
        self.step_view.show_step(guide, guide.step(run.current_step))
        self.pages.setCurrentIndex(1)

    def _describe(self, step_id: str, outcome: str, problem_id: str | None,
                  reason: str) -> str:
        assert self.guide is not None
        step = self.guide.step(step_id)
        what = in_language(step.instruction, self.language)
        what = what if len(what) <= 70 else what[:69] + "…"
        if outcome == "problem" and problem_id:
            detail = self.tr("vấn đề: {problem}").format(
                problem=in_language(step.problem(problem_id).title, self.language))
        elif outcome == "skipped":
            detail = self.tr("bỏ qua: {reason}").format(reason=reason)
        else:
            detail = self.tr("xong")
        return f"{OUTCOME_MARKS[outcome]} {what} ({detail})"

    def record(self, outcome: str, problem: str | None = None, reason: str = "") -> bool:
        assert self.guide is not None and self.run_id is not None
        guide = self.guide
        with self.store.read() as session:
            run, person = self._run(session)
            step_id = run.current_step
            facts = facts_of(person, self.today())
        if step_id is None:
            return False
        if not self._write(lambda session: record_outcome(
                session, self.run_id, guide, step_id, outcome, facts,
                problem_id=problem, reason=reason)):
            return False
        self.error.hide()
        self.show_run()
        return True

    def abandon(self) -> None:
        if self.run_id is not None and self._write(
                lambda session: abandon_run(session, self.run_id)):
            self.back_to_chooser()

    def back_to_chooser(self) -> None:
        self.run_id = None
        self.guide = None
        self.pages.setCurrentIndex(0)
        self._person_changed()

    # -- page 3: the result ---------------------------------------------------------------

    def _build_end(self) -> QWidget:
        page = QWidget()
        self.end_heading = QLabel()
        self.end_heading.setWordWrap(True)
        set_role(self.end_heading, "title")
        explanation = QLabel(self.tr(
            "Đã đi hết các bước. Chọn tình trạng tài khoản VNeID của người này lúc này. "
            "Chỉ chọn mức mới khi ứng dụng đã báo thành công (ví dụ: đã có tin nhắn duyệt)."))
        explanation.setWordWrap(True)
        self.result = QComboBox()
        for code, (vi, en) in VNEID_STATUSES.items():
            self.result.addItem(vi if self.language == "vi" else en, code)
        self.finish_button = QPushButton(self.tr("Lưu kết quả và kết thúc"))
        set_role(self.finish_button, "primary")
        self.finish_button.clicked.connect(self.finish)
        form = QFormLayout()
        form.addRow(self.tr("Tình trạng VNeID"), self.result)
        layout = QVBoxLayout(page)
        layout.addWidget(self.end_heading)
        layout.addWidget(explanation)
        layout.addLayout(form)
        layout.addStretch(1)
        layout.addWidget(self.finish_button, 0, Qt.AlignmentFlag.AlignRight)
        return page

    def show_end(self, person: Person, last_step: str | None) -> None:
        assert self.guide is not None
        self.end_heading.setText(f"{in_language(self.guide.title, self.language)} — "
                                 f"{person.full_name}")
        offered = self.guide.step(last_step).result_status if last_step else None
        self.result.setCurrentIndex(self.result.findData(offered or person.vneid_status))
        self.pages.setCurrentIndex(2)

    def finish(self) -> bool:
        assert self.run_id is not None
        chosen = self.result.currentData()
        with self.store.read() as session:
            _, person = self._run(session)
        person_id, name = person.id, person.full_name
        # An unchanged status is not written again: the run then records that it set none.
        status = chosen if chosen != person.vneid_status else None
        if not self._write(lambda session: finish_run(session, self.run_id, status)):
            return False
        self.back_to_chooser()
        self.saved.setText(self.tr("Đã lưu kết quả cho {name}: {status}.").format(
            name=name, status=self.result.currentText()))
        self.saved.show()
        self.run_finished.emit(person_id)
        return True

    # -- shared ---------------------------------------------------------------------------

    def _write(self, change: Callable[[Session], object]) -> bool:
        try:
            with self.store.write() as session:
                change(session)
        except FieldError as exc:
            self._show_error("\n".join(exc.messages))
            return False
        except ConsentRequired as exc:
            self._show_error(str(exc))
            return False
        except LookupError:
            self._show_error(self.tr("Không tìm thấy người hoặc lượt hướng dẫn này nữa; "
                                     "có thể đã bị xóa."))
            return False
        return True

    def _show_error(self, message: str) -> None:
        self.error.setText(message)
        self.error.show()
