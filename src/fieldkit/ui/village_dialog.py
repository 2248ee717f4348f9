"""Adding a village (thôn, bản, ấp or tổ dân phố) to the commune."""

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.errors import FieldError
from fieldkit.core.households import add_village
from fieldkit.core.store import Store
from fieldkit.core.vocabulary import VILLAGE_KINDS, label
from fieldkit.ui.style import set_role


class VillageDialog(QDialog):
    def __init__(self, store: Store, commune_id: str, language: str = "vi",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.commune_id = commune_id
        self.village_id: str | None = None
        self.setWindowTitle(self.tr("Thêm thôn/bản"))
        self.kind = QComboBox()
        for code in VILLAGE_KINDS:
            self.kind.addItem(label(VILLAGE_KINDS, code, language), code)  # type: ignore[arg-type]
        self.name = QLineEdit()
        self.name.setPlaceholderText(self.tr("Ví dụ: Thôn Nà Hang"))
        self.error = QLabel()
        set_role(self.error, "error")
        self.error.hide()
        # Not QDialogButtonBox's standard buttons: Qt ships no Vietnamese for "OK"/"Cancel".
        self.add_button = QPushButton(self.tr("Thêm"))
        set_role(self.add_button, "primary")
        self.add_button.setDefault(True)
        self.add_button.clicked.connect(self.save)
        self.cancel_button = QPushButton(self.tr("Hủy"))
        self.cancel_button.clicked.connect(self.reject)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.cancel_button)
        form = QFormLayout()
        form.addRow(self.tr("Loại"), self.kind)
        form.addRow(self.tr("Tên"), self.name)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

    def save(self) -> None:
        try:
            with self.store.write() as session:
                village = add_village(session, self.commune_id, self.name.text(),
                                      self.kind.currentData())
                self.village_id = village.id
        except FieldError as exc:
            self.error.setText("\n".join(exc.messages))
            self.error.show()
            return
        self.accept()
