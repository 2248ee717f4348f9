"""The main window: villages, the searchable household list, and the selected household."""

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QObject, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QKeyEvent, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.households import villages
from fieldkit.core.profile import Profile
from fieldkit.core.settings import Settings
from fieldkit.core.store import Store
from fieldkit.core.vocabulary import VILLAGE_KINDS, label
from fieldkit.ui.demo_mode import DemoBanner, practice_title
from fieldkit.ui.household_detail import HouseholdDetail
from fieldkit.ui.household_table import HouseholdTableModel
from fieldkit.ui.icons import icon
from fieldkit.ui.person_dialog import PersonDialog
from fieldkit.ui.style import set_large_text, set_role
from fieldkit.ui.sync_status import SyncStatus
from fieldkit.ui.village_dialog import VillageDialog
from fieldkit.ui.work_list_dialog import WorkListDialog

if TYPE_CHECKING:
    from fieldkit.core.demo import Scenario
    from fieldkit.ui.about_dialog import AboutDialog
    from fieldkit.ui.enrol_dialog import EnrolDialog
    from fieldkit.ui.guide_window import GuideWindow
    from fieldkit.ui.sync_issues_dialog import SyncIssuesDialog
    from fieldkit.ui.tour import Tour

ALL_VILLAGES = None
AUTOLOCK_CHOICES = (1, 5, 10, 15, 30)

PREFERRED_SIZE = QSize(1280, 800)
NO_SCREEN_SIZE = QSize(1280, 720)
# resize() sizes the inside of the window; its frame and title bar need room too.
SCREEN_MARGIN = QSize(32, 64)
KEYS_TO_RESULTS = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Down)


def default_size(available: QRect | None) -> QSize:
    """Many volunteers' laptops are 1366x768 with a task bar: a window taller than the screen
    hides its status bar and the buttons at the bottom."""
    if available is None:
        return NO_SCREEN_SIZE
    return PREFERRED_SIZE.boundedTo(available.size() - SCREEN_MARGIN)


class MainWindow(QMainWindow):
    lock_requested = Signal()
    # The commune revoked this laptop (heard by a sync; the store is marked): the Controller
    # closes this window to the locked screen.
    disabled = Signal()
    autolock_changed = Signal(int)  # minutes
    # Demo mode: switching happens in the Controller, which owns the store.
    demo_requested = Signal()
    leave_demo_requested = Signal()
    reset_demo_requested = Signal()

    def __init__(self, store: Store, profile: Profile | None, data_dir: Path,
                 settings: Settings) -> None:
        super().__init__()
        self.store = store
        self.profile = profile
        self.data_dir = data_dir
        self.settings = settings
        self.language = settings.language
        self.demo = store.is_demo
        self.tour: Tour | None = None
        self.work_list: WorkListDialog | None = None
        self.setWindowTitle(practice_title("FieldKit") if self.demo else "FieldKit")
        screen = self.screen()  # the primary screen until shown; None with no screen at all
        self.resize(default_size(screen.availableGeometry() if screen else None))

        self.village_list = QListWidget()
        self.village_list.setAccessibleName(self.tr("Thôn/bản"))
        self.village_list.currentItemChanged.connect(lambda *_: self.refresh_households())
        self.add_village_button = QPushButton(icon("village"), self.tr("Thêm thôn/bản"))
        self.add_village_button.clicked.connect(self.add_village)
        self.add_village_button.setEnabled(profile is not None)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        heading = QLabel(self.tr("Thôn/bản"))
        set_role(heading, "title")
        left_layout.addWidget(heading)
        left_layout.addWidget(self.village_list, 1)
        left_layout.addWidget(self.add_village_button)

        self.search = QLineEdit()
        self.search.setPlaceholderText(self.tr("Tìm theo tên, số định danh hoặc số điện thoại…"))
        self.search.setClearButtonEnabled(True)
        self.search.addAction(icon("search", "#4a5563"), QLineEdit.ActionPosition.LeadingPosition)
        self.search.setAccessibleName(self.tr("Tìm hộ"))
        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(150)
        self._search_timer.timeout.connect(self.refresh_households)
        self.search.textChanged.connect(self._search_timer.start)
        self.search.installEventFilter(self)
        self.model = HouseholdTableModel(store)
        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.selectionModel().currentRowChanged.connect(self._row_changed)
        self.count_label = QLabel()
        set_role(self.count_label, "hint")
        self.new_household_button = QPushButton(icon("household", "#ffffff"),
                                                self.tr("Đăng ký hộ mới"))
        set_role(self.new_household_button, "primary")
        self.new_household_button.clicked.connect(self.new_household)
        center = QWidget()
        center_layout = QVBoxLayout(center)
        center_layout.addWidget(self.search)
        center_layout.addWidget(self.table, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.count_label)
        bottom.addStretch(1)
        bottom.addWidget(self.new_household_button)
        center_layout.addLayout(bottom)

        self.detail = HouseholdDetail(store, profile, self.language)
        self.detail.add_member.connect(self.add_member)
        self.detail.edit_person.connect(self.edit_person)
        self.detail.changed.connect(self.household_changed)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget in (left, center, self.detail):
            splitter.addWidget(widget)
        splitter.setSizes([220, 520, 540])
        if self.demo:
            central = QWidget()
            central_layout = QVBoxLayout(central)
            central_layout.setContentsMargins(0, 0, 0, 0)
            central_layout.setSpacing(0)
            self.banner: DemoBanner | None = DemoBanner()
            central_layout.addWidget(self.banner)
            central_layout.addWidget(splitter, 1)
            self.setCentralWidget(central)
        else:
            self.banner = None
            self.setCentralWidget(splitter)
        self.sync_status = SyncStatus(store)
        self.sync_status.synced.connect(self._after_sync)
        self.sync_status.revoked.connect(self.disabled.emit)
        self.statusBar().addPermanentWidget(self.sync_status)
        self._build_menus()
        # The pending count reads the outbox: done after the window shows and after a pause in
        # editing, never on the way to the first paint or between two keystrokes.
        self._status_timer = QTimer(self)
        self._status_timer.setSingleShot(True)
        self._status_timer.setInterval(400)
        self._status_timer.timeout.connect(self._update_status)
        self._status_timer.start(0)
        self.load_villages()
        self.search.setFocus()

    # -- menus and status ------------------------------------------------------------------

    def _build_menus(self) -> None:
        self._autolock_actions: dict[int, QAction] = {}
        file_menu = self.menuBar().addMenu(self.tr("&Tệp"))
        self.new_household_action = QAction(icon("household"), self.tr("Đăng ký hộ mới"), self)
        self.new_household_action.setShortcut(QKeySequence.StandardKey.New)
        self.new_household_action.triggered.connect(self.new_household)
        find = QAction(icon("search"), self.tr("Tìm hộ"), self)
        find.setShortcut(QKeySequence.StandardKey.Find)
        find.triggered.connect(self.focus_search)
        self.work_list_action = QAction(self.tr("Việc cần làm…"), self)
        self.work_list_action.setShortcut(QKeySequence("Ctrl+J"))
        self.work_list_action.triggered.connect(self.open_work_list)
        self.work_list_action.setEnabled(self.profile is not None)
        file_menu.addAction(self.new_household_action)
        file_menu.addAction(find)
        file_menu.addAction(self.work_list_action)
        file_menu.addSeparator()
        self.sync_action = QAction(icon("sync"), self.tr("Đồng bộ ngay"), self)
        self.sync_action.setShortcut(QKeySequence("F5"))
        self.sync_action.triggered.connect(lambda: self.sync_status.start(auto=False))
        self.enrol_action = QAction(self.tr("Đăng ký với máy chủ xã…"), self)
        self.enrol_action.triggered.connect(self.open_enrolment)
        self.sync_issues_action = QAction(self.tr("Xung đột đồng bộ…"), self)
        self.sync_issues_action.triggered.connect(self.open_sync_issues)
        self.usb_export_action = QAction(self.tr("Xuất dữ liệu ra USB…"), self)
        self.usb_export_action.triggered.connect(lambda: self.export_to_usb())
        self.usb_import_action = QAction(self.tr("Nhập tệp trả lời từ USB…"), self)
        self.usb_import_action.triggered.connect(lambda: self.import_from_usb())
        for action in (self.sync_action, self.enrol_action, self.sync_issues_action,
                       self.usb_export_action, self.usb_import_action):
            action.setEnabled(not self.demo)  # practice data never syncs
            file_menu.addAction(action)
        file_menu.addSeparator()
        lock = QAction(icon("lock"), self.tr("Khóa máy"), self)
        lock.setShortcut(QKeySequence("Ctrl+L"))
        lock.triggered.connect(self.lock_requested.emit)
        quit_action = QAction(self.tr("Thoát"), self)
        quit_action.setShortcut(QKeySequence.StandardKey.Quit)
        quit_action.triggered.connect(QApplication.quit)
        file_menu.addAction(lock)
        file_menu.addAction(quit_action)
        view_menu = self.menuBar().addMenu(self.tr("&Hiển thị"))
        self.large_text_action = QAction(self.tr("Chữ lớn"), self)
        self.large_text_action.setCheckable(True)
        self.large_text_action.setChecked(self.settings.large_text)
        self.large_text_action.toggled.connect(self.set_large_text)
        view_menu.addAction(self.large_text_action)
        autolock_menu = view_menu.addMenu(self.tr("Tự khóa khi không dùng"))
        autolock_menu.menuAction().setVisible(not self.demo)  # practice data never locks
        for minutes in AUTOLOCK_CHOICES:
            action = QAction(self.tr("Sau {n} phút").format(n=minutes), self)
            action.setCheckable(True)
            action.setChecked(minutes == self.settings.autolock_minutes)
            action.triggered.connect(lambda _c, m=minutes: self.set_autolock(m))
            autolock_menu.addAction(action)
            self._autolock_actions[minutes] = action
        language_menu = view_menu.addMenu(self.tr("Ngôn ngữ"))
        for code, caption in (("vi", "Tiếng Việt"), ("en", "English")):
            action = QAction(caption, self)
            action.setCheckable(True)
            action.setChecked(code == self.settings.language)
            action.triggered.connect(lambda _c, code=code: self.set_language(code))
            language_menu.addAction(action)
        if self.demo:
            self._build_demo_menu()
        help_menu = self.menuBar().addMenu(self.tr("Trợ &giúp"))
        self.tour_action = QAction(self.tr("Hướng dẫn sử dụng (tour)"), self)
        self.tour_action.triggered.connect(self.start_tour)
        help_menu.addAction(self.tour_action)
        if not self.demo:
            self.demo_action = QAction(self.tr("Mở chế độ thực hành (dữ liệu mẫu)…"), self)
            self.demo_action.setToolTip(self.tr(
                "Dành cho tập huấn: một xã mẫu riêng, không đụng tới dữ liệu thật"))
            self.demo_action.triggered.connect(self.demo_requested.emit)
            help_menu.addAction(self.demo_action)
        help_menu.addSeparator()
        self.send_log_action = QAction(self.tr("Gửi nhật ký lỗi…"), self)
        self.send_log_action.setToolTip(self.tr(
            "Lưu nhật ký hoạt động của phần mềm thành một tệp để gửi cho cán bộ kỹ thuật; "
            "tệp không chứa thông tin cá nhân"))
        self.send_log_action.triggered.connect(lambda: self.send_error_log())
        self.about_action = QAction(self.tr("Giới thiệu FieldKit"), self)
        self.about_action.triggered.connect(self.open_about)
        help_menu.addAction(self.send_log_action)
        help_menu.addAction(self.about_action)

    def send_error_log(self, path: Path | None = None) -> bool:
        """The log files as one .zip for the IT officer; `path` skips the file dialog."""
        from fieldkit.ui.log_export import send_error_log

        return send_error_log(self, self.data_dir, self.store.device_id, self.demo, path)

    def open_about(self) -> "AboutDialog":
        from fieldkit.ui.about_dialog import AboutDialog

        dialog = AboutDialog(self.data_dir, self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.show()
        return dialog

    def _build_demo_menu(self) -> None:
        from fieldkit.core.demo import scenarios

        menu = self.menuBar().addMenu(self.tr("Thực hà&nh"))
        self.scenario_actions: dict[str, QAction] = {}
        for scenario in scenarios(self.store):
            text = scenario.title.get(self.language) or scenario.title["vi"]
            action = QAction(self.tr("Tình huống: {title}").format(title=text), self)
            action.setToolTip(scenario.description.get(self.language)
                              or scenario.description["vi"])
            action.triggered.connect(lambda _c, s=scenario: self.start_scenario(s))
            menu.addAction(action)
            self.scenario_actions[scenario.id] = action
        menu.addSeparator()
        reset = QAction(self.tr("Khôi phục dữ liệu thực hành ban đầu…"), self)
        reset.triggered.connect(self.confirm_reset_demo)
        leave = QAction(self.tr("Thoát chế độ thực hành"), self)
        leave.triggered.connect(self.leave_demo_requested.emit)
        menu.addAction(reset)
        menu.addAction(leave)

    def open_enrolment(self) -> "EnrolDialog":
        from fieldkit.ui.enrol_dialog import EnrolDialog

        dialog = EnrolDialog(self.store, self)
        dialog.finished.connect(lambda _result: self.sync_status.show_state())
        dialog.show()
        return dialog

    def open_work_list(self) -> WorkListDialog:
        """Who to visit next; one window, brought forward if already open."""
        assert self.profile is not None
        if self.work_list is None:
            self.work_list = WorkListDialog(self.store, self.profile, self.language, self)
            self.work_list.open_household.connect(self.show_household)
            self.work_list.register_listed.connect(self.register_listed)
        else:
            self.work_list.refresh()
        self.work_list.show()
        self.work_list.raise_()
        self.work_list.activateWindow()
        return self.work_list

    def show_household(self, household_id: str) -> None:
        """Select a household in the list, whichever hamlet or search is showing."""
        self.search.clear()
        self.load_villages()
        self.refresh_households(select_id=household_id)
        self.activateWindow()
        self.table.setFocus()

    def register_listed(self, listed_id: str) -> PersonDialog:
        """Register a household of the commune's list: consent first (see commune_list)."""
        assert self.profile is not None
        dialog = PersonDialog(self.store, self.profile, listed_id=listed_id,
                              language=self.language, parent=self)
        self._open(dialog)
        return dialog

    def open_sync_issues(self) -> "SyncIssuesDialog":
        from fieldkit.ui.sync_issues_dialog import SyncIssuesDialog

        dialog = SyncIssuesDialog(self.store, self)
        dialog.resolved.connect(lambda: self._after_sync(None))
        dialog.show()
        return dialog

    def export_to_usb(self, path: Path | None = None) -> bool:
        """For hamlets with no signal: the pending work to a file for the commune."""
        # Imported on use: its cryptography would add 50 ms to every start-up.
        from fieldkit.ui.usb_sync import export_to_usb

        return export_to_usb(self, self.store, path)

    def import_from_usb(self, path: Path | None = None) -> bool:
        """The commune's answer to an exported file: as if a sync had just ended."""
        from fieldkit.ui.usb_sync import import_from_usb

        if not import_from_usb(self, self.store, path):
            return False
        self._after_sync(None)
        self.sync_status.show_state()
        return True

    def _after_sync(self, _report: object) -> None:
        """A pull may have brought villages, households and members from other laptops, and
        the commune's list and assignments."""
        self.load_villages(self.current_village())
        if self.work_list is not None:
            self.work_list.refresh()
        if self.detail.household_id is not None:
            self.detail.show_household(self.detail.household_id)
        self._status_timer.start()

    def start_tour(self) -> "Tour":
        from fieldkit.ui.tour import Tour

        if self.tour is None:
            self.tour = Tour(self)
        self.tour.start()
        return self.tour

    def start_scenario(self, scenario: "Scenario") -> "GuideWindow | None":
        """Open the prepared household, start a visit if none is open, and start the guide
        for the person the situation is about, as the trainer would by hand."""
        self.search.clear()
        self.village_list.setCurrentRow(0)  # every village: the household may be in any
        self.refresh_households(select_id=scenario.household_id)
        if self.detail.household_id != scenario.household_id:
            return None
        panel = self.detail.visit_panel
        if panel.visit_id is None:
            panel.start()
        window = panel.open_guides()
        window.back_to_chooser()
        window.choose(scenario.person_id, scenario.guide_id)
        window.start()
        return window

    def confirm_reset_demo(self) -> None:
        box = QMessageBox(QMessageBox.Icon.Question, practice_title("FieldKit"), self.tr(
            "Xóa mọi thứ đã làm trong buổi thực hành và đưa dữ liệu mẫu về như ban đầu?"),
            QMessageBox.StandardButton.NoButton, self)
        reset = box.addButton(self.tr("Khôi phục"), QMessageBox.ButtonRole.AcceptRole)
        box.addButton(self.tr("Hủy"), QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is reset:
            self.reset_demo_requested.emit()

    def _update_status(self) -> None:
        if self.profile is None:
            who = self.tr("Máy chưa được thiết lập tình nguyện viên và xã.")
        else:
            who = f"{self.profile.volunteer_name} · {self.profile.commune_name}, " \
                  f"{self.profile.province_name}"
        if self.demo:
            waiting = self.tr("Dữ liệu thực hành: không bao giờ đồng bộ")
        else:
            waiting = self.tr("Chờ đồng bộ: {n} bản ghi").format(
                n=self.store.pending_changes())
        self.statusBar().showMessage(f"{who}   |   {waiting}")

    def set_large_text(self, large: bool) -> None:
        self.settings.large_text = large
        self.settings.save(self.data_dir)
        set_large_text(QApplication.instance(), large)

    def set_autolock(self, minutes: int) -> None:
        self.settings.autolock_minutes = minutes
        self.settings.save(self.data_dir)
        for choice, action in self._autolock_actions.items():
            action.setChecked(choice == minutes)
        self.autolock_changed.emit(minutes)

    def set_language(self, code: str) -> None:
        self.settings.language = code
        self.settings.save(self.data_dir)
        box = QMessageBox(QMessageBox.Icon.Information, "FieldKit", self.tr(
            "Ngôn ngữ mới được dùng từ lần mở FieldKit sau. / "
            "The new language applies the next time FieldKit starts."),
            QMessageBox.StandardButton.NoButton, self)
        # A standard OK button would say "OK" in English: Qt ships no Vietnamese for it.
        box.addButton(self.tr("Đóng"), QMessageBox.ButtonRole.AcceptRole)
        box.exec()

    def closeEvent(self, event) -> None:
        # The visit notes save after a pause in typing; a lock or quit must not drop the rest.
        self.detail.visit_panel.save_notes()
        # A sync still writing must finish its step before the store closes under it.
        self.sync_status.stop()
        super().closeEvent(event)

    # -- keyboard ------------------------------------------------------------------------------

    def focus_search(self) -> None:
        """Selected, so the next search is typed over the last one."""
        self.search.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search.selectAll()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (watched is self.search and event.type() == QEvent.Type.KeyPress
                and isinstance(event, QKeyEvent) and event.key() in KEYS_TO_RESULTS):
            return self._go_to_results()
        return super().eventFilter(watched, event)

    def _go_to_results(self) -> bool:
        """Enter or Down leaves the search box for its results, so the keyboard alone reaches a
        household. With no results the key stays with the search box."""
        if self._search_timer.isActive():
            self.refresh_households()  # Enter straight after typing must not see old results
        if self.model.rowCount() == 0:
            return False
        self.table.setFocus(Qt.FocusReason.OtherFocusReason)
        self.table.setCurrentIndex(self.model.index(0, 0))
        return True

    # -- villages and households -------------------------------------------------------------

    def load_villages(self, select_id: str | None = None) -> None:
        self.village_list.blockSignals(True)
        self.village_list.clear()
        everything = QListWidgetItem(self.tr("Tất cả thôn/bản"))
        everything.setData(Qt.ItemDataRole.UserRole, ALL_VILLAGES)
        self.village_list.addItem(everything)
        current = everything
        if self.profile is not None:
            with self.store.read() as session:
                rows = villages(session, self.profile.commune_id)
            for village in rows:
                kind = label(VILLAGE_KINDS, village.kind, self.language)  # type: ignore[arg-type]
                name = village.name if village.name.lower().startswith(kind.lower()) \
                    else f"{kind} {village.name}"
                item = QListWidgetItem(name)
                item.setData(Qt.ItemDataRole.UserRole, village.id)
                self.village_list.addItem(item)
                if village.id == select_id or (select_id is None and current is everything
                                               and len(rows) == 1):
                    current = item
        self.village_list.setCurrentItem(current)
        self.village_list.blockSignals(False)
        self.refresh_households()

    def current_village(self) -> str | None:
        item = self.village_list.currentItem()
        return item.data(Qt.ItemDataRole.UserRole) if item else None

    def refresh_households(self, select_id: str | None = None) -> None:
        self._search_timer.stop()
        keep = select_id or self.detail.household_id
        self.model.search(self.search.text(), self.current_village())
        self.count_label.setText(self.tr("{n} hộ").format(n=self.model.rowCount()))
        self.new_household_button.setEnabled(self.current_village() is not None)
        self.new_household_action.setEnabled(self.current_village() is not None)
        self.new_household_button.setToolTip(
            "" if self.current_village() else self.tr("Chọn một thôn/bản trước."))
        row = self.model.row_of(keep) if keep else -1
        if row >= 0:
            self.table.selectRow(row)
            self.table.scrollTo(self.model.index(row, 0))
        else:
            self.detail.show_household(None)

    def _row_changed(self, current, _previous) -> None:
        self.detail.show_household(self.model.household_id(current.row())
                                   if current.isValid() else None)

    def household_changed(self, household_id: str) -> None:
        self.model.refresh_row(household_id)
        if household_id == self.detail.household_id:
            self.detail.show_household(household_id)
        self._status_timer.start()

    def add_village(self) -> None:
        assert self.profile is not None
        dialog = VillageDialog(self.store, self.profile.commune_id, self.language, self)
        if dialog.exec():
            self.load_villages(select_id=dialog.village_id)
            self._status_timer.start()

    def new_household(self) -> PersonDialog:
        assert self.profile is not None
        dialog = PersonDialog(self.store, self.profile, village_id=self.current_village(),
                              language=self.language, parent=self)
        self._open(dialog)
        return dialog

    def add_member(self, household_id: str) -> PersonDialog:
        assert self.profile is not None
        dialog = PersonDialog(self.store, self.profile, household_id=household_id,
                              language=self.language, parent=self)
        self._open(dialog)
        return dialog

    def edit_person(self, person_id: str) -> PersonDialog:
        assert self.profile is not None
        dialog = PersonDialog(self.store, self.profile, person_id=person_id,
                              language=self.language, parent=self)
        self._open(dialog)
        return dialog

    def _open(self, dialog: PersonDialog) -> None:
        """Non-modal, so tests and the idle lock can reach it; the list follows its saves."""
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.changed.connect(self._dialog_changed)
        dialog.finished.connect(lambda _r: self._dialog_changed(dialog.household_id))
        dialog.show()

    def _dialog_changed(self, household_id: str | None) -> None:
        if household_id is None:
            return
        if self.work_list is not None:
            self.work_list.refresh()
        if self.model.row_of(household_id) < 0:
            self.refresh_households(select_id=household_id)
        else:
            self.household_changed(household_id)
