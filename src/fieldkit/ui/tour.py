"""The trainer's guided tour: the real main window, dimmed but for one widget at a time, with a
bubble that explains it.

A trainer shows it on a projector to a room of new volunteers, so it points at the screens they
will use rather than at pictures of them, and it only presents: while it runs, clicks and
shortcuts never reach the window underneath.
"""

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QEvent, QObject, QPoint, QRect, QRectF, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPainterPath,
    QPaintEvent,
    QPen,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from fieldkit.ui.style import set_role

if TYPE_CHECKING:
    from fieldkit.ui.main_window import MainWindow

DIM = QColor(15, 23, 42, 180)
RING = QColor("#ffc533")  # warm on the dark dim: blue rings vanish on a washed-out projector
RING_WIDTH = 4
RING_PAD = 5  # the ring sits just outside the widget, so it never hides the widget's edge
RADIUS = 8
GAP = 14  # between the ring and the bubble, and between the bubble and the window's edge
BUBBLE_BORDER = QColor("#0b5cad")
BUBBLE_CHARS = 44  # the bubble's width in average characters: it grows with large text

NEXT_KEYS = (Qt.Key.Key_Right, Qt.Key.Key_Return, Qt.Key.Key_Enter)


@dataclass(frozen=True)
class Step:
    """One stop of the tour. `target` finds the real widget, or None where this window has none
    (the practice banner outside demo mode); `prepare` drives the real UI until that widget is
    on screen. A step whose widget still is not (no household to open) is left out."""

    title: str
    text: str
    target: Callable[["MainWindow"], QWidget | None]
    prepare: Callable[["MainWindow"], None] | None = None


def show_a_household(window: "MainWindow") -> None:
    """The household's widgets only show with a household open. A list filtered down to nothing
    is widened (search cleared, then all villages) rather than left empty."""
    if window.detail.household_id is not None:
        return
    if window.model.rowCount() == 0 and window.search.text():
        window.search.clear()
        window.refresh_households()
    if window.model.rowCount() == 0 and window.village_list.currentRow() != 0:
        window.village_list.setCurrentRow(0)  # "all villages"; the window refreshes the list
    if window.model.rowCount():
        window.table.selectRow(0)


def place_bubble(size: QSize, ring: QRect, bounds: QRect) -> QPoint:
    """Beside the ring where there is room (right, left, below, above), slid along that side to
    stay inside `bounds`. A widget that leaves room on no side (it fills the window) gets the
    bubble over its lower right corner rather than off-window."""
    inner = bounds.adjusted(GAP, GAP, -GAP, -GAP)

    def inside(point: QPoint) -> QPoint:
        x = max(inner.left(), min(point.x(), inner.right() + 1 - size.width()))
        y = max(inner.top(), min(point.y(), inner.bottom() + 1 - size.height()))
        return QPoint(x, y)

    beside = (
        QPoint(ring.right() + 1 + GAP, ring.top()),
        QPoint(ring.left() - GAP - size.width(), ring.top()),
        QPoint(ring.left(), ring.bottom() + 1 + GAP),
        QPoint(ring.left(), ring.top() - GAP - size.height()),
    )
    for point in beside:
        placed = inside(point)
        if not QRect(placed, size).intersects(ring):
            return placed
    return inside(QPoint(ring.right() + 1 - size.width(), ring.bottom() + 1 - size.height()))


def mapped_geometry(widget: QWidget, onto: QWidget) -> QRect:
    """`widget`'s rectangle in `onto`'s coordinates, through their common window (the overlay
    is not an ancestor of the widgets it points at, so `mapTo` alone cannot do it)."""
    window = onto.window()
    return QRect(onto.mapFrom(window, widget.mapTo(window, QPoint(0, 0))), widget.size())


class TourBubble(QFrame):
    """The explanation beside the highlight, with the only controls that work during the tour.
    The buttons take no focus, so the arrow keys and Esc keep going to the overlay."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.title = QLabel()
        set_role(self.title, "title")
        self.title.setWordWrap(True)
        self.text = QLabel()
        self.text.setWordWrap(True)
        self.counter = QLabel()
        set_role(self.counter, "hint")
        self.back_button = QPushButton(self.tr("Quay lại"))
        self.back_button.setToolTip(self.tr("Phím ←"))
        self.exit_button = QPushButton(self.tr("Thoát tour"))
        self.exit_button.setToolTip(self.tr("Phím Esc"))
        self.next_button = QPushButton()
        self.next_button.setToolTip(self.tr("Phím → hoặc Enter"))
        set_role(self.next_button, "primary")
        for button in (self.back_button, self.exit_button, self.next_button):
            button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        buttons = QHBoxLayout()
        buttons.addWidget(self.counter)
        buttons.addStretch(1)
        buttons.addWidget(self.exit_button)
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(18, 14, 18, 14)
        layout.addWidget(self.title)
        layout.addWidget(self.text)
        layout.addSpacing(6)
        layout.addLayout(buttons)

    def show_step(self, step: Step, number: int, count: int) -> None:
        self.title.setText(step.title)
        self.text.setText(step.text)
        self.counter.setText(f"{number}/{count}")
        self.back_button.setEnabled(number > 1)
        self.next_button.setText(self.tr("Xong") if number == count else self.tr("Tiếp"))

    def fitted_size(self, room: QSize) -> QSize:
        width = min(self.fontMetrics().averageCharWidth() * BUBBLE_CHARS
                    + self.layout().contentsMargins().left() * 2,
                    max(room.width() - 2 * GAP, self.minimumSizeHint().width()))
        height = self.heightForWidth(width)
        return QSize(width, height if height > 0 else self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        # Painted here rather than styled: the app has one stylesheet, and this card is the
        # tour's alone.
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(QPen(BUBBLE_BORDER, 2))
        painter.setBrush(QColor("#ffffff"))
        painter.drawRoundedRect(QRectF(self.rect()).adjusted(1, 1, -1, -1), RADIUS, RADIUS)


class TourOverlay(QWidget):
    """Covers the whole main window (menus and status bar too): dims it, rings the target,
    holds the bubble, and swallows every click, wheel turn, key and shortcut meant for the
    window underneath."""

    forward = Signal()
    backward = Signal()
    leave = Signal()

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.bubble = TourBubble(self)
        self.bubble.next_button.clicked.connect(self.forward)
        self.bubble.back_button.clicked.connect(self.backward)
        self.bubble.exit_button.clicked.connect(self.leave)
        self.highlight = QRect()
        self._target: QWidget | None = None
        self._watched: list[QWidget] = []
        self.setGeometry(window.rect())

    def point_at(self, target: QWidget, step: Step, number: int, count: int) -> None:
        self._unwatch()
        self._target = target
        # The target, and every widget between it and the window: a splitter drag or a resize
        # moves the target inside the window without moving it inside its own parent.
        widget: QWidget | None = target
        while widget is not None:
            widget.installEventFilter(self)
            self._watched.append(widget)
            widget = None if widget.isWindow() else widget.parentWidget()
        self.bubble.show_step(step, number, count)
        self.raise_()  # above widgets the step's preparation may have created
        self._place()

    def close_tour(self) -> None:
        self._unwatch()
        self._target = None

    def _unwatch(self) -> None:
        for widget in self._watched:
            if shiboken6.isValid(widget):
                widget.removeEventFilter(self)
        self._watched = []

    def _place(self) -> None:
        if self._target is None or not shiboken6.isValid(self._target):
            return
        self.highlight = mapped_geometry(self._target, self)
        ring = self._ring()
        size = self.bubble.fitted_size(self.size())
        self.bubble.setGeometry(QRect(place_bubble(size, ring, self.rect()), size))
        self.update()

    def _ring(self) -> QRect:
        """Around the highlight, but pulled inside the window: the status bar sits on its lower
        edge, and a ring half off-screen looks like a mistake."""
        inset = RING_WIDTH // 2
        return self.highlight.adjusted(-RING_PAD, -RING_PAD, RING_PAD, RING_PAD).intersected(
            self.rect().adjusted(inset, inset, -inset, -inset))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.parentWidget() and event.type() == QEvent.Type.Resize:
            self.setGeometry(self.parentWidget().rect())
        elif event.type() in (QEvent.Type.Move, QEvent.Type.Resize):
            self._place()
        return False

    def resizeEvent(self, event: QResizeEvent) -> None:
        self._place()

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        shade = QPainterPath()
        shade.addRect(QRectF(self.rect()))
        if self.highlight.isNull():
            painter.fillPath(shade, DIM)
            return
        ring = QRectF(self._ring())
        hole = QPainterPath()
        hole.addRoundedRect(ring, RADIUS, RADIUS)
        painter.fillPath(shade.subtracted(hole), DIM)
        painter.setPen(QPen(RING, RING_WIDTH))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawRoundedRect(ring, RADIUS, RADIUS)

    # -- nothing gets through ------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ShortcutOverride:
            # Accepted, the key comes here as a key press instead of firing the window's
            # shortcuts (Ctrl+N would open a registration under the tour).
            event.accept()
            return True
        return super().event(event)

    def focusNextPrevChild(self, next_child: bool) -> bool:
        return False  # Tab must not walk focus out to the widgets under the dim

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in NEXT_KEYS:
            self.forward.emit()
        elif event.key() == Qt.Key.Key_Left:
            self.backward.emit()
        elif event.key() == Qt.Key.Key_Escape:
            self.leave.emit()
        event.accept()

    def mousePressEvent(self, event: QMouseEvent) -> None:
        event.accept()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        event.accept()

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        event.accept()

    def wheelEvent(self, event: QWheelEvent) -> None:
        event.accept()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        event.accept()


class Tour(QObject):
    """Walks the main window's steps. Keep one per window and call `start()` again for the next
    group: each run recomputes which steps the window can show."""

    finished = Signal()

    def __init__(self, window: "MainWindow") -> None:
        super().__init__(window)
        self.main_window = window
        self.all_steps = self._main_window_steps()
        self.steps: list[Step] = []  # those this run can show; the counter counts these
        self.current = -1
        self.overlay: TourOverlay | None = None
        self._return_focus: QWidget | None = None

    def _main_window_steps(self) -> list[Step]:
        return [
            Step(self.tr("Chế độ thực hành"),
                 self.tr("Dải màu cam này cho biết mọi thứ trên màn hình là dữ liệu mẫu để tập, "
                         "không phải người thật. Cứ thử, làm sai cũng không sao: không gì ở đây "
                         "được gửi lên máy chủ của xã."),
                 lambda w: w.banner),
            Step(self.tr("Tìm hộ"),
                 self.tr("Gõ tên, số định danh hoặc số điện thoại để tìm hộ. Gõ không dấu cũng "
                         "được: “lo thi” vẫn ra “Lò Thị”; nhấn Ctrl+F để về ô tìm từ bất cứ "
                         "đâu."),
                 lambda w: w.search),
            Step(self.tr("Thôn/bản"),
                 self.tr("Chọn một thôn/bản để chỉ xem các hộ ở đó, hoặc “Tất cả thôn/bản” để "
                         "xem cả xã. Thôn/bản mới được thêm bằng nút bên dưới."),
                 lambda w: w.village_list),
            Step(self.tr("Danh sách hộ"),
                 self.tr("Các hộ khớp với ô tìm và thôn/bản đang chọn. Bấm vào một hộ, hoặc "
                         "nhấn Enter ngay trong ô tìm, để mở hộ đó."),
                 lambda w: w.table),
            Step(self.tr("Đăng ký hộ mới"),
                 self.tr("Tìm không thấy thì chọn thôn/bản của hộ rồi bấm nút này (Ctrl+N). "
                         "Trước khi lưu, đọc cho gia đình nghe nội dung xin phép và ghi lại ai "
                         "đã đồng ý."),
                 lambda w: w.new_household_button),
            Step(self.tr("Thành viên trong hộ"),
                 self.tr("Mỗi dòng là một người trong hộ. Cột VNeID cho biết tài khoản định "
                         "danh điện tử của người đó đã làm đến đâu; bấm đúp vào một người để "
                         "xem hoặc sửa."),
                 lambda w: w.detail.members, show_a_household),
            Step(self.tr("Thêm thành viên"),
                 self.tr("Thêm một người vào hộ đang mở, ví dụ em bé mới sinh hay người mới "
                         "chuyển đến ở cùng."),
                 lambda w: w.detail.add_button, show_a_household),
            Step(self.tr("Tờ khai"),
                 self.tr("Làm tờ khai thủ tục (khai sinh, cư trú, …) cho người trong hộ, với "
                         "thông tin đã có được điền sẵn. Tờ khai làm dở được tự lưu để làm "
                         "tiếp lần sau."),
                 lambda w: w.detail.forms_button, show_a_household),
            Step(self.tr("Buổi hỗ trợ"),
                 self.tr("Đến nhà dân thì bấm “Bắt đầu buổi hỗ trợ”, đánh dấu những việc đã "
                         "giúp và kết thúc khi ra về. Ghi chú tuyệt đối không ghi mật khẩu hay "
                         "mã OTP của người dân."),
                 lambda w: w.detail.visit_panel, show_a_household),
            Step(self.tr("Trạng thái và khóa máy"),
                 self.tr("Dòng dưới cùng cho biết ai đang dùng máy và tình trạng đồng bộ dữ "
                         "liệu. Khi rời máy, nhấn Ctrl+L để khóa; dữ liệu trên máy luôn được mã "
                         "hóa."),
                 lambda w: w.statusBar()),
        ]

    def start(self) -> None:
        """From the first step; a tour already running starts over."""
        if self.overlay is None:
            self._return_focus = self.main_window.focusWidget()
        self.steps = [step for step in self.all_steps if self._can_show(step)]
        if not self.steps:  # only a window that is not on screen shows nothing
            if self.overlay is not None:
                self.exit()
            else:
                self.finished.emit()
            return
        if self.overlay is None:
            self.overlay = TourOverlay(self.main_window)
            self.overlay.forward.connect(self.next)
            self.overlay.backward.connect(self.back)
            self.overlay.leave.connect(self.exit)
            self.overlay.show()
        self._go(0)

    def next(self) -> None:
        """The last step's "next" ends the tour."""
        if self.overlay is None:
            return
        if self.current + 1 < len(self.steps):
            self._go(self.current + 1)
        else:
            self.exit()

    def back(self) -> None:
        if self.overlay is not None and self.current > 0:
            self._go(self.current - 1)

    def exit(self) -> None:
        """Removes the overlay entirely (a later `start()` builds a fresh one) and gives the
        keyboard back to where it was."""
        overlay, self.overlay = self.overlay, None
        if overlay is None:
            return
        self.current = -1
        overlay.close_tour()
        focus = self._return_focus
        if focus is not None and shiboken6.isValid(focus) and focus.isVisible():
            focus.setFocus(Qt.FocusReason.OtherFocusReason)
        overlay.hide()
        overlay.setParent(None)  # gone from the window's children now, not at the next loop
        overlay.deleteLater()
        self.finished.emit()

    def _can_show(self, step: Step) -> bool:
        if step.prepare is not None:
            step.prepare(self.main_window)
        target = step.target(self.main_window)
        return target is not None and target.isVisible() and not target.size().isEmpty()

    def _go(self, index: int) -> None:
        assert self.overlay is not None
        step = self.steps[index]
        if step.prepare is not None:
            step.prepare(self.main_window)
        target = step.target(self.main_window)
        assert target is not None, "start() left out the steps without a widget"
        self.current = index
        self.overlay.point_at(target, step, index + 1, len(self.steps))
        self.overlay.setFocus(Qt.FocusReason.OtherFocusReason)
