"""Registering a household, adding a member, or editing one: consent first, then details.

Nothing personal exists until consent is recorded; from then on each completed field is saved
at once, so closing the dialog (or losing power) never loses what was typed.
"""

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.commune_list import register_listed
from fieldkit.core.consent import ConsentInput, active_consent, withdraw_consent
from fieldkit.core.models import Person
from fieldkit.core.people import add_person, create_household, remove_person
from fieldkit.core.profile import Profile
from fieldkit.core.store import Store
from fieldkit.ui.consent_page import ConsentPage
from fieldkit.ui.household_form import HouseholdForm
from fieldkit.ui.icons import icon
from fieldkit.ui.person_form import PersonForm
from fieldkit.ui.style import set_role


class PersonDialog(QDialog):
    changed = Signal(str)  # household id

    def __init__(self, store: Store, profile: Profile, *, village_id: str | None = None,
                 household_id: str | None = None, person_id: str | None = None,
                 listed_id: str | None = None, language: str = "vi",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.profile = profile
        self.language = language
        self.village_id = village_id
        self.household_id = household_id
        self.person_id = person_id
        self.listed_id = listed_id  # a household of the commune's list, registered here
        self.person_form: PersonForm | None = None
        self.household_form: HouseholdForm | None = None
        self.setMinimumSize(620, 640)
        self.pages = QStackedWidget()
        self.consent_page = ConsentPage(language)
        self.consent_page.consented.connect(self._consented)
        self.pages.addWidget(self.consent_page)

        self.withdraw = QPushButton(icon("withdraw", "#b3261e"),
                                    self.tr("Rút lại đồng ý và xóa thông tin"))
        set_role(self.withdraw, "danger")
        self.withdraw.clicked.connect(self._withdraw)
        self.withdraw.hide()
        self.remove = QPushButton(self.tr("Xóa thành viên nhập nhầm"))
        set_role(self.remove, "danger")
        self.remove.clicked.connect(self._remove)
        self.remove.hide()
        # Hidden on the consent page, where leaving (Esc) simply records nothing.
        self.done_button = QPushButton(icon("done", "#ffffff"), self.tr("Xong"))
        set_role(self.done_button, "primary")
        self.done_button.clicked.connect(self.accept)
        self.done_button.hide()
        buttons = QHBoxLayout()
        buttons.addWidget(self.withdraw)
        buttons.addWidget(self.remove)
        buttons.addStretch(1)
        buttons.addWidget(self.done_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.pages, 1)
        layout.addLayout(buttons)

        if person_id is not None:
            self.setWindowTitle(self.tr("Thông tin thành viên"))
            self._show_details()
        elif village_id is not None or listed_id is not None:
            self.setWindowTitle(self.tr("Đăng ký hộ mới"))
        else:
            self.setWindowTitle(self.tr("Thêm thành viên"))

    def _consented(self, given: ConsentInput) -> None:
        with self.store.write() as session:
            if self.listed_id is not None and self.household_id is None:
                household, person = register_listed(session, self.listed_id,
                                                    self.profile.volunteer_id, given)
                self.household_id = household.id
            elif self.household_id is None:
                assert self.village_id is not None
                household, person = create_household(
                    session, self.village_id, self.profile.volunteer_id, given)
                self.household_id = household.id
            else:
                person = add_person(session, self.household_id, self.profile.volunteer_id, given)
            self.person_id = person.id
        self.changed.emit(self.household_id)
        self._show_details()

    def _show_details(self) -> None:
        assert self.person_id is not None
        with self.store.read() as session:
            person = session.get(Person, self.person_id)
            assert person is not None
            consent = active_consent(session, self.person_id)
        self.household_id = person.household_id
        page = QWidget()
        column = QVBoxLayout(page)
        if consent is None:
            erased = QLabel(self.tr("Người này đã rút lại đồng ý; thông tin cá nhân đã được xóa. "
                                    "Muốn ghi lại, hãy thêm thành viên mới và xin đồng ý lại."))
            erased.setWordWrap(True)
            set_role(erased, "warning")
            column.addWidget(erased)
        else:
            self.person_form = PersonForm(self.store, self.person_id, self.language)
            self.person_form.saved.connect(lambda _p: self.changed.emit(self.household_id))
            column.addWidget(self.person_form)
            if person.relation_to_head == "head":
                heading = QLabel(self.tr("Thông tin của hộ"))
                set_role(heading, "title")
                self.household_form = HouseholdForm(self.store, person.household_id)
                self.household_form.saved.connect(self.changed.emit)
                self.person_form.card_scanned.connect(
                    lambda card: self.household_form.fill_address_if_empty(card.address))
                self.household_form.saver.on_card_line = self._card_line_in_household_field
                column.addWidget(heading)
                column.addWidget(self.household_form)
            self.withdraw.show()
            self.remove.show()
        self.done_button.show()
        column.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(page)
        self.pages.addWidget(scroll)
        self.pages.setCurrentWidget(scroll)
        if self.person_form is not None:
            self.person_form.scan.setFocus()

    def _card_line_in_household_field(self, line: str) -> None:
        assert self.household_form is not None and self.person_form is not None
        self.household_form.load()
        self.person_form.apply_card_line(line)

    def _confirm(self, title: str, text: str, action: str) -> bool:
        """Qt has no Vietnamese Yes/No, so the buttons say what they do; "Hủy" is the default."""
        box = QMessageBox(QMessageBox.Icon.Warning, title, text,
                          QMessageBox.StandardButton.NoButton, self)
        go = box.addButton(action, QMessageBox.ButtonRole.DestructiveRole)
        cancel = box.addButton(self.tr("Hủy"), QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(cancel)
        box.exec()
        return box.clickedButton() is go

    def _withdraw(self) -> None:
        if self._confirm(
            self.tr("Rút lại đồng ý"),
            self.tr("Xóa toàn bộ thông tin cá nhân của người này? Việc xóa cũng được đồng bộ "
                    "lên máy chủ của xã và không hoàn tác được."),
            self.tr("Rút lại và xóa"),
        ):
            self.withdraw_confirmed()

    def _remove(self) -> None:
        if self._confirm(
            self.tr("Xóa thành viên"),
            self.tr("Xóa người này khỏi hộ vì nhập nhầm? Thông tin của họ bị xóa và việc xóa "
                    "được đồng bộ lên máy chủ của xã."),
            self.tr("Xóa thành viên"),
        ):
            self.remove_confirmed()

    def remove_confirmed(self) -> None:
        assert self.person_id is not None
        with self.store.write() as session:
            remove_person(session, self.person_id)
        self.changed.emit(self.household_id)
        self.accept()

    def withdraw_confirmed(self) -> None:
        assert self.person_id is not None
        with self.store.write() as session:
            withdraw_consent(session, self.person_id)
        self.changed.emit(self.household_id)
        self.accept()
