"""The consent step: read aloud, record who agreed, before any personal field can be typed."""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.consent import ConsentInput, check_consent_input
from fieldkit.core.errors import FieldError
from fieldkit.core.vocabulary import CONSENT_GIVERS, CONSENT_PURPOSE, DATA_CATEGORIES, label
from fieldkit.ui.style import set_role


class ConsentPage(QWidget):
    consented = Signal(object)  # ConsentInput

    def __init__(self, language: str = "vi", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        title = QLabel(self.tr("Xin phép ghi thông tin"))
        set_role(title, "title")
        read_aloud = QLabel(self.tr("Đọc cho người dân nghe nội dung sau trước khi ghi bất cứ "
                                    "thông tin cá nhân nào:"))
        read_aloud.setWordWrap(True)
        set_role(read_aloud, "hint")
        self.purpose = CONSENT_PURPOSE[0]
        purpose = QLabel(self.purpose)
        purpose.setWordWrap(True)
        set_role(purpose, "warning")
        # The text is always read in Vietnamese; an English-speaking volunteer sees its meaning.
        meaning = QLabel(CONSENT_PURPOSE[1])
        meaning.setWordWrap(True)
        set_role(meaning, "hint")
        meaning.setVisible(language != "vi")

        categories = QGroupBox(self.tr("Những thông tin được đồng ý ghi"))
        box = QVBoxLayout(categories)
        self.category_boxes: dict[str, QCheckBox] = {}
        for code in DATA_CATEGORIES:
            check = QCheckBox(label(DATA_CATEGORIES, code, language))  # type: ignore[arg-type]
            check.setChecked(True)
            self.category_boxes[code] = check
            box.addWidget(check)

        self.given_by = QComboBox()
        for code in CONSENT_GIVERS:
            self.given_by.addItem(label(CONSENT_GIVERS, code, language), code)  # type: ignore[arg-type]
        self.guardian = QLineEdit()
        self.guardian.setPlaceholderText(self.tr("Họ tên cha/mẹ hoặc người giám hộ"))
        self.given_by.currentIndexChanged.connect(self._update_guardian)
        form = QFormLayout()
        form.addRow(self.tr("Người đồng ý"), self.given_by)
        form.addRow(self.tr("Cha/mẹ, người giám hộ"), self.guardian)
        note = QLabel(self.tr("Trẻ dưới 7 tuổi: cha/mẹ đồng ý. Từ 7 tuổi đến dưới 18 tuổi: cả "
                              "người đó và cha/mẹ cùng đồng ý."))
        note.setWordWrap(True)
        set_role(note, "hint")

        self.confirm = QCheckBox(self.tr("Tôi đã đọc nội dung trên và người dân đồng ý"))
        self.error = QLabel()
        set_role(self.error, "error")
        self.error.hide()
        self.button = QPushButton(self.tr("Ghi nhận đồng ý"))
        set_role(self.button, "primary")
        self.button.setEnabled(False)
        self.confirm.toggled.connect(self.button.setEnabled)
        self.button.clicked.connect(self.submit)

        layout = QVBoxLayout(self)
        for widget in (title, read_aloud, purpose, meaning, categories):
            layout.addWidget(widget)
        layout.addLayout(form)
        for widget in (note, self.confirm, self.error, self.button):
            layout.addWidget(widget)
        layout.addStretch(1)
        self._update_guardian()

    def _update_guardian(self) -> None:
        self.guardian.setEnabled(self.given_by.currentData() != "self")

    def value(self) -> ConsentInput:
        chosen = tuple(c for c, box in self.category_boxes.items() if box.isChecked())
        return ConsentInput(
            given_by=self.given_by.currentData(),
            guardian_name=self.guardian.text() if self.guardian.isEnabled() else None,
            categories=chosen,
            purpose=self.purpose,
        )

    def submit(self) -> None:
        given = self.value()
        try:
            check_consent_input(given)
        except FieldError as exc:
            self.error.setText("\n".join(exc.messages))
            self.error.show()
            return
        self.error.hide()
        self.consented.emit(given)
