"""First launch: who the volunteer is, which commune they serve, and the passphrase."""

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.communes import communes_of, provinces
from fieldkit.ui.folded_completer import folded_match, use_folded_completion
from fieldkit.ui.style import mark_invalid, set_role


class SetupWindow(QWidget):
    """With `store` given (a store made by a script or an interrupted setup), only the
    volunteer and commune are asked for: the passphrase already exists. The same holds once
    this window has made the store and only the profile was refused."""

    unlocked = Signal(object)

    def __init__(self, data_dir: Path, wait_for_imports: Callable[[], None],
                 store: object | None = None) -> None:
        super().__init__()
        self.data_dir = data_dir
        self._wait_for_imports = wait_for_imports
        self.store = store
        self.setWindowTitle(self.tr("FieldKit – thiết lập lần đầu"))
        self.setMinimumWidth(560)
        title = QLabel(self.tr("Chào mừng đến với FieldKit"))
        set_role(title, "title")
        intro = QLabel(self.tr("Thiết lập máy này một lần: tên của bạn, xã bạn hỗ trợ và một cụm "
                               "mật khẩu để mã hóa dữ liệu."))
        intro.setWordWrap(True)
        set_role(intro, "hint")

        self.name = QLineEdit()
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("09xx xxx xxx")
        self.province = QComboBox()
        self.province.addItem(self.tr("– Chọn tỉnh/thành phố –"), None)
        for code, name in provinces():
            self.province.addItem(name, code)
        self.commune = QComboBox()
        use_folded_completion(self.commune)
        self.province.currentIndexChanged.connect(self._fill_communes)
        self.passphrase = QLineEdit()
        self.passphrase.setEchoMode(QLineEdit.EchoMode.Password)
        self.repeat = QLineEdit()
        self.repeat.setEchoMode(QLineEdit.EchoMode.Password)
        self.warning = QLabel(self.tr(
            "Hãy ghi nhớ cụm mật khẩu. Nếu quên, không ai khôi phục được dữ liệu chưa đồng bộ "
            "lên máy chủ của xã, kể cả đội kỹ thuật."))
        self.warning.setWordWrap(True)
        set_role(self.warning, "warning")

        self.form = form = QFormLayout()
        form.addRow(self.tr("Họ và tên tình nguyện viên"), self.name)
        form.addRow(self.tr("Số điện thoại"), self.phone)
        form.addRow(self.tr("Tỉnh/thành phố"), self.province)
        form.addRow(self.tr("Xã/phường"), self.commune)
        form.addRow(self.tr("Cụm mật khẩu (ít nhất 8 ký tự)"), self.passphrase)
        form.addRow(self.tr("Nhập lại cụm mật khẩu"), self.repeat)
        if store is not None:
            self._hide_passphrase()
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_role(self.error, "error")
        self.error.hide()
        self.button = QPushButton(self.tr("Tạo kho dữ liệu và bắt đầu"))
        set_role(self.button, "primary")
        self.button.clicked.connect(self.submit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(32, 24, 32, 24)
        layout.setSpacing(12)
        layout.addWidget(title)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.warning)
        layout.addWidget(self.error)
        layout.addWidget(self.button)

    def _hide_passphrase(self) -> None:
        """The store exists and is open, so its passphrase is settled: asking again would only
        suggest that a different one could still be chosen."""
        self.passphrase.clear()
        self.repeat.clear()
        self.form.setRowVisible(self.passphrase, False)
        self.form.setRowVisible(self.repeat, False)
        self.warning.hide()

    def _fill_communes(self) -> None:
        self.commune.clear()
        code = self.province.currentData()
        if code is None:
            return
        for info in communes_of(code):
            self.commune.addItem(info.name, info.code)
        self.commune.setCurrentIndex(-1)

    def _selected_commune(self) -> int | None:
        """Also a name typed without diacritics and never picked from the list, as long as it
        names one commune of the province."""
        index = folded_match(self.commune)
        return self.commune.itemData(index) if index >= 0 else None

    def problems(self) -> list[tuple[QWidget, str]]:
        from fieldkit.core.phone import validate_phone

        found: list[tuple[QWidget, str]] = []
        if not self.name.text().strip():
            found.append((self.name, self.tr("Hãy nhập họ và tên của bạn.")))
        if self.phone.text().strip():
            found += [(self.phone, p) for p in validate_phone(self.phone.text())]
        if self._selected_commune() is None:
            found.append((self.commune,
                          self.tr("Hãy chọn tỉnh rồi chọn xã/phường trong danh sách.")))
        if self.store is None:
            found += self._passphrase_problems()
        return found

    def _passphrase_problems(self) -> list[tuple[QWidget, str]]:
        if len(self.passphrase.text()) < 8:
            return [(self.passphrase, self.tr("Cụm mật khẩu cần ít nhất 8 ký tự."))]
        if self.passphrase.text() != self.repeat.text():
            return [(self.repeat, self.tr("Hai lần nhập cụm mật khẩu không khớp nhau."))]
        return []

    def submit(self) -> None:
        for widget in (self.name, self.phone, self.commune, self.passphrase, self.repeat):
            mark_invalid(widget, False)
        problems = self.problems()
        if problems:
            for widget, _ in problems:
                mark_invalid(widget, True)
            self.error.setText("\n".join(message for _, message in problems))
            self.error.show()
            problems[0][0].setFocus()
            return
        QApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)
        try:
            self._wait_for_imports()
            from fieldkit.core.errors import FieldError
            from fieldkit.core.profile import set_up_profile
            from fieldkit.core.store import Store, StoreError

            try:
                if self.store is None:
                    # Kept at once: if the profile is refused, the retry must use this store,
                    # since creating it again would be refused as existing data.
                    self.store = Store.create(self.data_dir, self.passphrase.text())
                    self._hide_passphrase()
                set_up_profile(self.store, self.name.text(), self.phone.text(),
                               self._selected_commune())
            except (StoreError, FieldError) as exc:
                messages = exc.messages if isinstance(exc, FieldError) else [str(exc)]
                self.error.setText("\n".join(messages))
                self.error.show()
                return
        finally:
            QApplication.restoreOverrideCursor()
        self.unlocked.emit(self.store)
