"""One step of a guide as the volunteer reads it aloud beside the citizen holding her phone.

The instruction comes first and large; then what the phone should show, so both can tell at a
glance whether they are on the right screen; then the tips, with the secret reminder set apart
because it is the one that must never be missed. Known problems are listed by their titles and
picking one shows its fix before it is recorded, so the volunteer can try the fix at once.
"""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QFont, QPixmap
from PySide6.QtWidgets import (
    QFrame,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.guides import Guide, Step, Texts
from fieldkit.core.vocabulary import in_language
from fieldkit.ui.icons import icon
from fieldkit.ui.receipt_dialog import qr_image
from fieldkit.ui.style import set_role

# The store pages' QR: big enough for an old phone camera across a table, small enough that
# both platforms fit beside each other.
STORE_QR_PIXELS = 200
STORE_NAMES = {"android": "Android — CH Play", "ios": "iPhone — App Store"}


class StepView(QWidget):
    """Shows one step and reports what the volunteer recorded for it."""

    done = Signal()
    problem = Signal(str)  # problem id
    skipped = Signal(str)  # reason

    def __init__(self, language: str = "vi", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.language = language
        self.step: Step | None = None

        self.instruction = QLabel()
        self.instruction.setWordWrap(True)
        font = QFont(self.instruction.font())
        font.setPointSizeF(font.pointSizeF() * 1.3)
        self.instruction.setFont(font)
        self.instruction.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.phone_shows = QLabel()
        self.phone_shows.setWordWrap(True)
        set_role(self.phone_shows, "hint")
        self.secret_tips = QLabel()
        self.secret_tips.setWordWrap(True)
        set_role(self.secret_tips, "warning")
        self.tips = QLabel()
        self.tips.setWordWrap(True)
        self.tips.setTextFormat(Qt.TextFormat.RichText)

        self.store_box = QGroupBox(self.tr("Quét bằng camera điện thoại của người dân"))
        self.store_grid = QGridLayout(self.store_box)

        self.problem_box = QGroupBox(self.tr("Gặp vấn đề?"))
        self.problems = QListWidget()
        self.problems.currentItemChanged.connect(self._show_fix)
        self.fix = QLabel()
        self.fix.setWordWrap(True)
        set_role(self.fix, "warning")
        self.fix.hide()
        self.problem_button = QPushButton(self.tr("Ghi nhận vấn đề này"))
        self.problem_button.setEnabled(False)
        self.problem_button.clicked.connect(self._record_problem)
        problem_layout = QVBoxLayout(self.problem_box)
        problem_layout.addWidget(self.problems)
        problem_layout.addWidget(self.fix)
        problem_layout.addWidget(self.problem_button, 0, Qt.AlignmentFlag.AlignLeft)

        self.reason = QLineEdit()
        self.reason.setPlaceholderText(self.tr("Lý do bỏ qua bước này"))
        self.reason.returnPressed.connect(self._skip)
        self.skip_button = QPushButton(self.tr("Bỏ qua bước"))
        self.skip_button.clicked.connect(self._skip)
        self.done_button = QPushButton(icon("done", "#ffffff"), self.tr("Đã xong, sang bước sau"))
        set_role(self.done_button, "primary")
        self.done_button.setDefault(True)
        self.done_button.clicked.connect(self.done.emit)
        actions = QHBoxLayout()
        actions.addWidget(self.reason, 1)
        actions.addWidget(self.skip_button)
        actions.addWidget(self.done_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.instruction)
        layout.addWidget(self.phone_shows)
        layout.addWidget(self.secret_tips)
        layout.addWidget(self.tips)
        layout.addWidget(self.store_box)
        layout.addWidget(self.problem_box)
        layout.addStretch(1)
        line = QFrame()
        line.setFrameShape(QFrame.Shape.HLine)
        layout.addWidget(line)
        layout.addLayout(actions)

    def show_step(self, guide: Guide, step: Step) -> None:
        self.step = step
        t = self._t
        self.instruction.setText(t(step.instruction))
        shows = t(step.phone_shows) if step.phone_shows else ""
        self.phone_shows.setText(self.tr("Điện thoại sẽ hiện: {screen}").format(screen=shows))
        self.phone_shows.setVisible(bool(shows))
        secret = [t(tip.text) for tip in step.tips if tip.kind == "secret"]
        self.secret_tips.setText("\n".join(secret))
        self.secret_tips.setVisible(bool(secret))
        others = [t(tip.text) for tip in step.tips if tip.kind != "secret"]
        self.tips.setText("<ul style='margin-left: -20px'>"
                          + "".join(f"<li>{html.escape(tip)}</li>" for tip in others) + "</ul>")
        self.tips.setVisible(bool(others))
        self._show_store_links(guide if step.show_store_links else None)
        self.problems.clear()
        for problem in step.problems:
            item = QListWidgetItem(t(problem.title))
            item.setData(Qt.ItemDataRole.UserRole, problem.id)
            self.problems.addItem(item)
        self.problem_box.setVisible(bool(step.problems))
        if step.problems:  # as tall as its rows: an empty box below reads as missing items
            rows = min(len(step.problems), 4)
            self.problems.setFixedHeight(rows * self.problems.sizeHintForRow(0)
                                         + 2 * self.problems.frameWidth() + 2)
        self.fix.hide()
        self.problem_button.setEnabled(False)
        self.reason.clear()
        self.done_button.setFocus()

    def _t(self, texts: Texts) -> str:
        return in_language(texts, self.language)

    def _show_store_links(self, guide: Guide | None) -> None:
        while self.store_grid.count():
            widget = self.store_grid.takeAt(0).widget()
            if widget is not None:
                widget.deleteLater()
        links = guide.store_links if guide is not None else {}
        for column, (platform, link) in enumerate(links.items()):
            code = QLabel()
            code.setPixmap(QPixmap.fromImage(qr_image(link, STORE_QR_PIXELS, alphanumeric=False)))
            code.setAlignment(Qt.AlignmentFlag.AlignCenter)
            code.setAccessibleName(link)
            code.setToolTip(link)
            caption = QLabel(STORE_NAMES.get(platform, platform))
            caption.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.store_grid.addWidget(code, 0, column)
            self.store_grid.addWidget(caption, 1, column)
        self.store_box.setVisible(bool(links))

    def _show_fix(self, item: QListWidgetItem | None, _previous: object = None) -> None:
        if item is None or self.step is None:
            self.fix.hide()
            self.problem_button.setEnabled(False)
            return
        problem = self.step.problem(item.data(Qt.ItemDataRole.UserRole))
        self.fix.setText(self.tr("Cách xử lý: {fix}").format(fix=self._t(problem.fix)))
        self.fix.show()
        self.problem_button.setEnabled(True)

    def _record_problem(self) -> None:
        item = self.problems.currentItem()
        if item is not None:
            self.problem.emit(item.data(Qt.ItemDataRole.UserRole))

    def _skip(self) -> None:
        self.skipped.emit(self.reason.text())
