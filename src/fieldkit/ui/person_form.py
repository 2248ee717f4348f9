"""A member's details, each saved as soon as it is completed, with a card-scan shortcut.

A USB 2D scanner reading the chip ID card's QR types one `|`-separated line and Enter. The
"scan card" field takes it, but so does any other text field (see `autosave`). A card that
names someone else than the person already entered is not applied until the volunteer says so:
a second card scanned by mistake must not overwrite a grandmother's details with her son's.
Fields outside the recorded consent are shown but cannot be filled.
"""

from datetime import date
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.cccd import CardData, parse_card_qr
from fieldkit.core.consent import active_consent, consent_problem
from fieldkit.core.dates import format_vn_date, parse_vn_date
from fieldkit.core.errors import ConsentRequired, FieldError
from fieldkit.core.ethnicity import ETHNIC_GROUPS
from fieldkit.core.folding import fold
from fieldkit.core.models import Person
from fieldkit.core.people import consented_fields, person_problems, update_person
from fieldkit.core.store import Store
from fieldkit.core.vocabulary import GENDERS, RELATIONS, VNEID_STATUSES, label
from fieldkit.ui.autosave import AutoSaver
from fieldkit.ui.folded_completer import use_folded_completion
from fieldkit.ui.style import set_role


def _date_or_none(text: str) -> date | None:
    if not text.strip():
        return None
    try:
        return parse_vn_date(text)
    except ValueError as exc:
        raise FieldError("date_of_birth", [str(exc)]) from exc


class PersonForm(QWidget):
    saved = Signal(str)  # person id
    card_scanned = Signal(object)  # CardData

    def __init__(self, store: Store, person_id: str, language: str = "vi",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.person_id = person_id
        self.scan = QLineEdit()
        self.scan.setPlaceholderText(self.tr("Quét mã QR trên thẻ căn cước, hoặc dán dòng mã"))
        self.scan.setAccessibleName(self.tr("Quét thẻ căn cước"))
        self.scan.returnPressed.connect(lambda: self.apply_card_line(self.scan.text()))
        self.scan_error = QLabel()
        self.scan_error.setWordWrap(True)
        set_role(self.scan_error, "error")
        self.scan_error.hide()
        self.pending_card: CardData | None = None
        self.card_question = QLabel()
        self.card_question.setWordWrap(True)
        self.replace_button = QPushButton(self.tr("Thay bằng thông tin trên thẻ"))
        self.replace_button.clicked.connect(self._replace_confirmed)
        self.keep_button = QPushButton(self.tr("Giữ thông tin đang có"))
        self.keep_button.clicked.connect(self._replace_declined)
        # The scanner ends its line with Enter; that Enter must not answer the question.
        for button in (self.replace_button, self.keep_button):
            button.setAutoDefault(False)
        self.card_bar = QFrame()
        bar = QVBoxLayout(self.card_bar)
        bar.addWidget(self.card_question)
        buttons = QHBoxLayout()
        buttons.addWidget(self.replace_button)
        buttons.addWidget(self.keep_button)
        buttons.addStretch(1)
        bar.addLayout(buttons)
        set_role(self.card_question, "warning")
        self.card_bar.hide()

        self.full_name = QLineEdit()
        self.id_number = QLineEdit()
        self.id_number.setPlaceholderText(self.tr("12 chữ số"))
        self.date_of_birth = QLineEdit()
        self.date_of_birth.setPlaceholderText(self.tr("ngày/tháng/năm, ví dụ 15/03/1985"))
        self.gender = self._choices(GENDERS, language, blank=True)
        self.ethnicity = QComboBox()
        self.ethnicity.addItem("", None)
        for name in ETHNIC_GROUPS:
            self.ethnicity.addItem(name, name)
        use_folded_completion(self.ethnicity)  # "tay" offers "Tày"
        self.phone = QLineEdit()
        self.phone.setPlaceholderText("09xx xxx xxx")
        self.relation = self._choices(RELATIONS, language)
        self.has_smartphone = QCheckBox(self.tr("Có điện thoại thông minh"))
        self.phone_has_nfc = QCheckBox(self.tr("Điện thoại có NFC (đọc chip thẻ căn cước)"))
        # VNeID level 1 needs a number registered in the person's own name.
        self.phone_in_own_name = QCheckBox(self.tr("Số điện thoại đứng tên chính người này"))
        self.vneid_status = self._choices(VNEID_STATUSES, language)

        self.consent_warning = QLabel()
        self.consent_warning.setWordWrap(True)
        set_role(self.consent_warning, "warning")
        self.consent_warning.hide()
        self.status = QLabel(self.tr("Mọi thông tin được lưu ngay khi nhập xong từng ô."))
        self.saver = AutoSaver(self._save, self.status)
        self.saver.after_save = self._after_save
        self.saver.on_card_line = self.apply_card_line
        rows = [
            (self.tr("Họ và tên"), self.saver.bind_line("full_name", self.full_name)),
            (self.tr("Số định danh cá nhân"), self.saver.bind_line("id_number", self.id_number)),
            (self.tr("Ngày sinh"),
             self.saver.bind_line("date_of_birth", self.date_of_birth, _date_or_none)),
            (self.tr("Giới tính"), self.saver.bind_combo("gender", self.gender)),
            (self.tr("Dân tộc"), self.saver.bind_combo("ethnicity", self.ethnicity)),
            (self.tr("Số điện thoại"), self.saver.bind_line("phone", self.phone)),
            ("", self.saver.bind_check("phone_in_own_name", self.phone_in_own_name)),
            (self.tr("Quan hệ với chủ hộ"),
             self.saver.bind_combo("relation_to_head", self.relation)),
            ("", self.saver.bind_check("has_smartphone", self.has_smartphone)),
            ("", self.saver.bind_check("phone_has_nfc", self.phone_has_nfc)),
            (self.tr("Tài khoản VNeID"), self.saver.bind_combo("vneid_status", self.vneid_status)),
        ]
        for edit in (self.full_name, self.id_number, self.date_of_birth, self.phone):
            edit.returnPressed.connect(self.focusNextChild)

        form = QFormLayout()
        form.addRow(self.tr("Quét thẻ"), self.scan)
        form.addRow("", self.scan_error)
        form.addRow("", self.card_bar)
        for caption, row in rows:
            form.addRow(caption, row.widget)
            form.addRow("", row.error)
        layout = QVBoxLayout(self)
        layout.addWidget(self.consent_warning)
        layout.addLayout(form)
        layout.addWidget(self.status)
        self.has_smartphone.toggled.connect(self.phone_has_nfc.setEnabled)
        self.load()

    def _choices(self, table: dict[str, tuple[str, str]], language: str,
                 blank: bool = False) -> QComboBox:
        combo = QComboBox()
        if blank:
            combo.addItem("—", None)
        for code in table:
            combo.addItem(label(table, code, language), code)  # type: ignore[arg-type]
        return combo

    def load(self) -> None:
        with self.store.read() as session:
            person = session.get(Person, self.person_id)
            allowed = consented_fields(session, self.person_id)
        assert person is not None
        for name, row in self.saver.rows.items():
            row.widget.setEnabled(name in allowed)
            row.widget.setToolTip("" if name in allowed else self.tr(
                "Người này chưa đồng ý cho ghi thông tin này."))
        self.full_name.setText(person.full_name or "")
        self.id_number.setText(person.id_number or "")
        self.date_of_birth.setText(format_vn_date(person.date_of_birth)
                                   if person.date_of_birth else "")
        self.gender.setCurrentIndex(max(0, self.gender.findData(person.gender)))
        self.ethnicity.setCurrentIndex(max(0, self.ethnicity.findData(person.ethnicity)))
        self.phone.setText(person.phone or "")
        self.phone_in_own_name.setChecked(bool(person.phone_in_own_name))
        self.relation.setCurrentIndex(max(0, self.relation.findData(person.relation_to_head)))
        self.has_smartphone.setChecked(bool(person.has_smartphone))
        self.phone_has_nfc.setChecked(bool(person.phone_has_nfc))
        self.phone_has_nfc.setEnabled(bool(person.has_smartphone)
                                      and "phone_has_nfc" in allowed)
        self.vneid_status.setCurrentIndex(max(0, self.vneid_status.findData(person.vneid_status)))
        self._show_cross_checks(person)

    def _save(self, name: str, value: Any) -> None:
        with self.store.write() as session:
            update_person(session, self.person_id, name, value)

    def _after_save(self, name: str) -> None:
        with self.store.read() as session:
            person = session.get(Person, self.person_id)
        assert person is not None
        if name == "has_smartphone":
            self.phone_has_nfc.setChecked(bool(person.phone_has_nfc))
        self._show_cross_checks(person)
        self.saved.emit(self.person_id)

    def _show_cross_checks(self, person: Person) -> None:
        problems = person_problems(person).get("id_number", [])
        self.saver.rows["id_number"].show_errors(problems)
        with self.store.read() as session:
            consent = active_consent(session, person.id)
        warning = consent_problem(consent, person.date_of_birth)
        self.consent_warning.setText(warning or "")
        self.consent_warning.setVisible(warning is not None)

    def apply_card_line(self, line: str) -> None:
        """Fill name, ID number, date of birth and gender from a scanned card, in one save."""
        self.load()  # whichever field the scanner typed into gets its saved value back
        self.scan.clear()
        try:
            card = parse_card_qr(line)
        except ValueError as exc:
            self._scan_failed(str(exc))
            return
        with self.store.read() as session:
            person = session.get(Person, self.person_id)
        assert person is not None
        differs = (person.full_name and fold(person.full_name) != fold(card.full_name)) or (
            person.id_number and person.id_number != card.id_number)
        if differs:
            self.pending_card = card
            self.card_question.setText(self.tr(
                "Thẻ vừa quét là của {card} ({card_id}), khác với người đang nhập: {name} "
                "({number}). Thay thông tin bằng thẻ này?").format(
                    card=card.full_name, card_id=card.id_number, name=person.full_name or "",
                    number=person.id_number or self.tr("chưa có số")))
            self.card_bar.show()
            self.replace_button.setFocus()
            return
        self._apply_card(card)

    def _replace_confirmed(self) -> None:
        card, self.pending_card = self.pending_card, None
        self.card_bar.hide()
        if card is not None:
            self._apply_card(card)

    def _replace_declined(self) -> None:
        self.pending_card = None
        self.card_bar.hide()
        self.status.setText(self.tr("Đã bỏ qua thẻ vừa quét; thông tin cũ được giữ nguyên."))

    def _apply_card(self, card: CardData) -> None:
        values = {"full_name": card.full_name, "date_of_birth": card.date_of_birth,
                  "gender": card.gender, "id_number": card.id_number}
        try:
            with self.store.write() as session:
                allowed = consented_fields(session, self.person_id)
                for name, value in values.items():
                    if name in allowed:
                        update_person(session, self.person_id, name, value)
        except (FieldError, ConsentRequired) as exc:
            messages = exc.messages if isinstance(exc, FieldError) else [str(exc)]
            self._scan_failed(" ".join(messages))
            return
        self.scan_error.hide()
        self.load()
        skipped = [name for name in values if name not in allowed]
        self.status.setText(self.tr("Đã điền từ thẻ căn cước và lưu.") if not skipped else
                            self.tr("Đã điền từ thẻ những thông tin được đồng ý và lưu."))
        self.saved.emit(self.person_id)
        self.card_scanned.emit(card)

    def _scan_failed(self, message: str) -> None:
        self.scan_error.setText(message)
        self.scan_error.show()
