"""Filling one procedure form, generated from its definition: a page per group.

Every answer is saved the moment it is complete (its own transaction) and the page is saved
on every turn, so a laptop that dies mid-form reopens the draft where it was. After each save
the core validator (`forms.answers`) runs again, and its verdict drives the screen: which
fields and pages are shown, which calculated values are displayed, and the inline messages.
Messages appear only for fields the volunteer has touched, or everywhere once "Hoàn thành"
was pressed, so a fresh form does not open covered in red.

Everything on screen is keyed by its answer path: `members[1].name`, and for a repeat inside
a repeat `households[0].members[1].name`; each repeat (at any depth) shows its entries with
their own "Thêm" and "Xóa" buttons. Texts naming earlier answers (`${name}`) are filled in on
every redraw with the answers an expression at that place sees, so inside an entry they show
that entry's values.
"""

from __future__ import annotations

import errno
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QStandardPaths, QTime, QUrl, Signal
from PySide6.QtGui import QDesktopServices, QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QDialog,
    QFileDialog,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QScrollArea,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from fieldkit.core.columns import as_utc
from fieldkit.core.errors import ConsentRequired, FieldError
from fieldkit.core.forms.answers import evaluate_answers
from fieldkit.core.forms.definition import Field, FormDefinition, Group, Node, Repeat
from fieldkit.core.forms.expressions import Context, to_string
from fieldkit.core.forms.piping import fill
from fieldkit.core.forms.records import (
    FormIncomplete,
    complete_record,
    remove_entry,
    reopen_record,
    save_answer,
    set_page,
)
from fieldkit.core.models import FormRecord
from fieldkit.core.profile import load_profile
from fieldkit.core.receipts import make_receipt, reference_code
from fieldkit.core.store import Store
from fieldkit.ui.form_pdf import write_pdf
from fieldkit.ui.form_widgets import (
    ComboInput,
    FieldView,
    MultiInput,
    choice_items,
    commune_items,
    text_of,
)
from fieldkit.ui.receipt_dialog import ReceiptDialog
from fieldkit.ui.style import set_role

_Held = TypeVar("_Held", Field, Repeat)
_STEP = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)(?:\[(\d+)\])?")


def value_at(answers: dict[str, Any], path: str) -> Any:
    """The answer at `members[1].name`, or None when there is none."""
    node: Any = answers
    for part in path.split("."):
        step = _STEP.fullmatch(part)
        if step is None or not isinstance(node, dict):
            return None
        node = node.get(step.group(1))
        if step.group(2) is not None:
            index = int(step.group(2))
            if not isinstance(node, list) or index >= len(node):
                return None
            node = node[index]
    return node


def scoped_values(values: dict[str, Any], path: str) -> dict[str, Any]:
    """What an expression at `path` sees: the top-level answers, overlaid by those of each
    repeat entry on the way (`${age}` inside `members[1]` is that member's age)."""
    scope = dict(values)
    node: Any = values
    for part in path.split(".")[:-1]:
        node = value_at(node, part) if isinstance(node, dict) else None
        if not isinstance(node, dict):
            break
        scope.update(node)
    return scope


def entry_count(entries: Any) -> int:
    """How many entries a repeat's answer holds (none when it is missing or unreadable)."""
    return len(entries) if isinstance(entries, list) else 0


def entry_nodes(nodes: list[Node], kind: type[_Held]) -> list[_Held]:
    """The fields (or repeats) directly in a repeat entry, through its groups but not inside
    nested repeats: what one entry itself holds."""
    found: list[_Held] = []
    for node in nodes:
        if isinstance(node, kind):
            found.append(node)
        elif isinstance(node, Group):
            found.extend(entry_nodes(node.children, kind))
    return found


def default_answers(fields: list[Field], known: dict[str, Any], today: date) -> dict[str, Any]:
    """Values of the `default` expressions for fields not answered yet ("Việt Nam")."""
    found: dict[str, Any] = {}
    for item in fields:
        if item.default is None or known.get(item.name) not in (None, ""):
            continue
        value = item.default.evaluate(Context(known, "", today))
        if value not in (None, ""):
            found[item.name] = value
    return found


@dataclass(eq=False)  # a page is found by identity (`pages.index`), never by its contents
class _Page:
    title: str  # may name answers (`${name}`): filled in when shown
    key: str | None  # the group or repeat whose relevance hides the page
    widget: QWidget
    views: list[FieldView] = field(default_factory=list)


class _RepeatView(QFrame):
    """The entries of a repeat, each a small sub-form with its own "Xóa" button."""

    def __init__(self, repeat: Repeat, language: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.repeat = repeat
        self.entries: list[QFrame] = []
        self.remove_buttons: list[QPushButton] = []
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.title = QLabel(text_of(repeat.label, language))
        set_role(self.title, "title")
        layout.addWidget(self.title)
        self.hint = QLabel(text_of(repeat.hint, language))
        self.hint.setWordWrap(True)
        set_role(self.hint, "hint")
        self.hint.setVisible(bool(repeat.hint))
        layout.addWidget(self.hint)
        self.entry_layout = QVBoxLayout()
        layout.addLayout(self.entry_layout)
        self.error = QLabel()
        self.error.setWordWrap(True)
        set_role(self.error, "error")
        self.error.hide()
        layout.addWidget(self.error)
        self.add_button = QPushButton(self.tr("Thêm"))
        self.add_button.setAutoDefault(False)
        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addStretch(1)
        layout.addLayout(buttons)


class FormWindow(QDialog):
    """One record of one form. Open with `FormWindow(store, form, record_id).show()`; the form
    must be the definition at the record's own version (a draft finishes on its version)."""

    changed = Signal(str)  # record id, after every save
    completed = Signal(str)  # record id

    def __init__(self, store: Store, form: FormDefinition, record_id: str,
                 language: str = "vi", today: date | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.store = store
        self.form = form
        self.record_id = record_id
        self.language = language
        self.today = today or date.today()
        self.views: dict[str, FieldView] = {}
        self.page_of: dict[str, int] = {}
        self.repeats: dict[str, _RepeatView] = {}
        self.groups: dict[str, QWidget] = {}
        # A group's questions and repeats (through inner groups): with all of them hidden,
        # its heading would stand over nothing, so it is hidden too.
        self.group_members: dict[str, list[str]] = {}
        # Group and repeat titles naming answers: (path, label, text with `${...}`).
        self.piped_titles: list[tuple[str, QLabel, str]] = []
        self.commune_province: dict[str, str] = {}
        self.touched: set[str] = set()
        self.input_errors: dict[str, list[str]] = {}
        self.show_all = False
        self.hidden: set[str] = set()
        self.answers: dict[str, Any] = {}
        # The answers as the validator last saw them, for filling in `${name}`.
        self.values: dict[str, Any] = {}
        self.status = "draft"
        self.setWindowTitle(text_of(form.title, language))
        self.resize(760, 640)

        self.banner = QLabel()
        self.banner.setWordWrap(True)
        self.banner.hide()
        self.page_title = QLabel()
        set_role(self.page_title, "title")
        self.progress_label = QLabel()
        self.progress = QProgressBar()
        self.progress.setTextVisible(False)
        self.stack = QStackedWidget()
        self.pages: list[_Page] = []
        self._build_pages()

        self.back_button = QPushButton(self.tr("Trang trước"))
        self.next_button = QPushButton(self.tr("Trang sau"))
        self.complete_button = QPushButton(self.tr("Hoàn thành"))
        self.reopen_button = QPushButton(self.tr("Mở lại để sửa"))
        # A completed record's outputs: the paper for the one-stop-shop, or its QR on screen.
        self.pdf_button = QPushButton(self.tr("Lưu PDF để in"))
        self.qr_button = QPushButton(self.tr("Hiện mã QR"))
        self.receipt_dialog: ReceiptDialog | None = None
        self.saved_label = QLabel()
        set_role(self.saved_label, "saved")
        # Enter belongs to the fields (next field); it must never press a button by itself.
        for button in (self.back_button, self.next_button, self.complete_button,
                       self.reopen_button, self.pdf_button, self.qr_button):
            button.setAutoDefault(False)
        self.back_button.clicked.connect(self.previous_page)
        self.next_button.clicked.connect(self.next_page)
        self.complete_button.clicked.connect(self.complete)
        self.reopen_button.clicked.connect(self.reopen)
        self.pdf_button.clicked.connect(self.choose_pdf_path)
        self.qr_button.clicked.connect(self.show_qr)
        for keys, slot in (("PgDown", self.next_page), ("Alt+Right", self.next_page),
                           ("PgUp", self.previous_page), ("Alt+Left", self.previous_page)):
            QShortcut(QKeySequence(keys), self, slot)

        header = QHBoxLayout()
        header.addWidget(self.page_title, 1)
        header.addWidget(self.progress_label)
        buttons = QHBoxLayout()
        buttons.addWidget(self.back_button)
        buttons.addWidget(self.next_button)
        buttons.addWidget(self.saved_label, 1)
        buttons.addWidget(self.pdf_button)
        buttons.addWidget(self.qr_button)
        buttons.addWidget(self.reopen_button)
        buttons.addWidget(self.complete_button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.banner)
        layout.addLayout(header)
        layout.addWidget(self.progress)
        layout.addWidget(self.stack, 1)
        layout.addLayout(buttons)

        page = self.refresh(load_values=True)
        self.go_to_page(page, save=False)

    # -- building ----------------------------------------------------------------------------

    def _build_pages(self) -> None:
        loose: list[Node] = []
        for node in self.form.children:
            if isinstance(node, Group | Repeat):
                self._flush_loose(loose)
                loose = []
                self._add_page(text_of(node.label, self.language), node.name,
                               node.children if isinstance(node, Group) else [node])
            else:
                loose.append(node)
        self._flush_loose(loose)

    def _flush_loose(self, nodes: list[Node]) -> None:
        # Rows outside any group share one page; unlabelled calculations need none.
        if any(not (isinstance(n, Field) and n.type == "calculate" and not n.label)
               for n in nodes):
            self._add_page(text_of(self.form.title, self.language), None, nodes)

    def _add_page(self, title: str, key: str | None, nodes: list[Node]) -> None:
        content = QWidget()
        layout = QVBoxLayout(content)
        page = _Page(title, key, content)
        self.pages.append(page)
        self._add_nodes(layout, nodes, "", page)
        layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(content)
        self.stack.addWidget(scroll)
        self._link_communes(page)

    def _add_nodes(self, layout: QVBoxLayout, nodes: list[Node], prefix: str,
                   page: _Page) -> None:
        index = self.pages.index(page)
        for node in nodes:
            path = prefix + node.name
            if isinstance(node, Field):
                if node.type == "calculate" and not node.label:
                    continue
                view = FieldView(node, path, self.form, self.language)
                self.views[path] = view
                self.page_of[path] = index
                page.views.append(view)
                if view.input is not None:
                    view.input.committed.connect(lambda p=path: self.commit(p))
                    view.input.advance.connect(self._next_field)
                layout.addWidget(view)
            elif isinstance(node, Group):
                box = QWidget()
                inner = QVBoxLayout(box)
                inner.setContentsMargins(0, 0, 0, 0)
                if node.label:
                    label = QLabel(text_of(node.label, self.language))
                    set_role(label, "title")
                    self._pipe(path, label)
                    inner.addWidget(label)
                self._add_nodes(inner, node.children, prefix, page)
                self.groups[path] = box
                self.group_members[path] = [
                    prefix + inner.name for kind in (Field, Repeat)
                    for inner in entry_nodes(node.children, kind)]
                layout.addWidget(box)
            else:
                view_r = _RepeatView(node, self.language)
                self._pipe(path, view_r.title)
                self._pipe(path, view_r.hint)
                view_r.add_button.clicked.connect(lambda _c=False, p=path: self.add_entry(p))
                self.repeats[path] = view_r
                self.page_of[path] = index
                layout.addWidget(view_r)
                # A repeat inside an entry shows its own entries as soon as the entry does.
                self._build_entries(path, entry_count(value_at(self.answers, path)))

    def _pipe(self, path: str, label: QLabel) -> None:
        """Have `refresh` fill in the answers `label` names, as seen from `path`."""
        if "${" in label.text():
            self.piped_titles.append((path, label, label.text()))

    def _link_communes(self, page: _Page) -> None:
        """A commune list follows the province its own choice_filter names
        (`province = ${registration_province}`); without one it lists the whole country."""
        types = {f.name: f.type for f in self.form.fields()}
        for view in page.views:
            expression = view.field.choice_filter
            if view.field.type != "commune" or expression is None:
                continue
            names = sorted(expression.references)
            named = [n for n in names if types.get(n) == "province"] or names
            if named:
                self.commune_province[view.path] = named[0]

    def _build_entries(self, path: str, count: int) -> None:
        """Show `count` entries for the repeat at `path`, replacing those shown before (and
        every repeat inside them, which builds its own entries anew)."""
        repeat_view = self.repeats[path]
        page = self.pages[self.page_of[path]]
        for frame in repeat_view.entries:
            frame.deleteLater()
        self._forget(f"{path}[", page)
        repeat_view.entries = []
        repeat_view.remove_buttons = []
        for index in range(count):
            frame = QFrame()
            frame.setFrameShape(QFrame.Shape.StyledPanel)
            inner = QVBoxLayout(frame)
            heading = QHBoxLayout()
            heading.addWidget(QLabel(self.tr("Mục {n}").format(n=index + 1)), 1)
            remove = QPushButton(self.tr("Xóa"))
            remove.setAutoDefault(False)
            remove.clicked.connect(lambda _c=False, p=path, i=index: self.remove_entry(p, i))
            heading.addWidget(remove)
            inner.addLayout(heading)
            self._add_nodes(inner, repeat_view.repeat.children, f"{path}[{index}].", page)
            repeat_view.entry_layout.addWidget(frame)
            repeat_view.entries.append(frame)
            repeat_view.remove_buttons.append(remove)
        self._link_communes(page)

    def _forget(self, prefix: str, page: _Page) -> None:
        """Let go of every widget under `prefix` (entries about to be deleted)."""
        registries: tuple[dict[str, Any], ...] = (
            self.views, self.groups, self.group_members, self.repeats, self.page_of,
            self.commune_province)
        for registry in registries:
            for key in [k for k in registry if k.startswith(prefix)]:
                del registry[key]
        self.piped_titles = [t for t in self.piped_titles if not t[0].startswith(prefix)]
        page.views = [v for v in page.views if not v.path.startswith(prefix)]

    # -- state -------------------------------------------------------------------------------

    def refresh(self, load_values: bool = False) -> int:
        """Show the stored record as the validator sees it; returns the saved page."""
        with self.store.read() as session:
            record = session.get(FormRecord, self.record_id)
            if record is None or record.deleted:
                self.stack.setEnabled(False)
                self._banner(_message(LookupError(self.record_id)), "error")
                return 0
            self.answers = json.loads(record.answers)
            self.status = record.status
            page = record.page
        # Outer repeats come first; one rebuilt has already rebuilt the repeats inside it.
        rebuilt = load_values
        for path, repeat_view in list(self.repeats.items()):
            if self.repeats.get(path) is not repeat_view:
                continue
            count = entry_count(value_at(self.answers, path))
            if load_values or count != len(repeat_view.entries):
                self._build_entries(path, count)
                rebuilt = True
        if rebuilt:
            self.touched |= {p for p in self.views if value_at(self.answers, p) not in (None, "")}
        # One validator pass gives what to hide, the calculated values and the problems, so
        # the screen can never disagree with the verdict of "Hoàn thành".
        evaluation = evaluate_answers(self.form, self.answers, self.today, self.language)
        hidden, values, problems = set(evaluation.hidden), evaluation.values, evaluation.problems
        self.values = values
        messages: dict[str, list[str]] = {}
        for problem in problems:
            messages.setdefault(problem.field, []).append(
                fill(problem.message, scoped_values(values, problem.field)))
        for path, commune_view in self.views.items():
            if path in self.commune_province and isinstance(commune_view.input, ComboInput):
                scope = scoped_values(self.answers, path)
                province = scope.get(self.commune_province[path])
                if getattr(commune_view.input, "province", None) != province:
                    commune_view.input.set_items(commune_items(province))
                    commune_view.input.province = province  # type: ignore[attr-defined]
                    commune_view.input.set_value(value_at(self.answers, path))
        self._filter_choices(values)
        for path, view in self.views.items():
            if rebuilt and view.input is not None:
                view.input.set_value(value_at(self.answers, path))
            if view.piped:
                view.show_values(scoped_values(values, path))
            view.setVisible(path not in hidden)
            if view.field.type == "calculate":
                # As XPath writes it: 2018, not 2018.0; 0 shows, an empty value does not.
                view.hint.setText(to_string(value_at(values, path)))
                view.hint.show()
            shown = self.input_errors.get(path) or (
                messages.get(path, []) if self.show_all or path in self.touched else [])
            view.show_errors(shown)
        for path, box in self.groups.items():
            shown = [widget for member in self.group_members[path]
                     if (widget := self.views.get(member) or self.repeats.get(member))]
            box.setVisible(path not in hidden and any(not w.isHidden() for w in shown))
        for path, label, text in self.piped_titles:
            label.setText(fill(text, scoped_values(values, path)))
        for path, repeat_view in self.repeats.items():
            repeat_view.setVisible(path not in hidden)
            shown = messages.get(path, []) if self.show_all else []
            repeat_view.error.setText("\n".join(shown))
            repeat_view.error.setVisible(bool(shown))
        self.hidden = hidden
        self.problems = problems
        self._show_status()
        return page

    def _filter_choices(self, values: dict[str, Any]) -> None:
        """Offer only the choices a field's choice_filter allows, over the answers as the
        validator sees them; a list is redrawn only when what it allows changed."""
        for path, view in self.views.items():
            item = view.field
            if (item.choice_filter is None or item.list_name is None
                    or item.type not in ("select_one", "select_multiple")):
                continue
            choices = self.form.choices.get(item.list_name, [])
            scope = scoped_values(values, path)
            allowed: list[Any] = []
            for choice in choices:
                try:
                    keep = item.choice_filter.evaluate_bool(Context(
                        scope, "", self.today, {"name": choice.name, **choice.properties}))
                except (ValueError, TypeError, ArithmeticError, LookupError):
                    keep = False
                if keep:
                    allowed.append(choice)
            names = tuple(c.name for c in allowed)
            if getattr(view.input, "allowed", None) == names:
                continue
            if isinstance(view.input, ComboInput):
                view.input.set_items(choice_items(allowed, self.language))
                view.input.set_value(value_at(self.answers, path))
            elif isinstance(view.input, MultiInput):
                view.input.set_allowed(set(names))
            else:
                continue
            view.input.allowed = names  # type: ignore[attr-defined]

    def _show_status(self) -> None:
        draft = self.status == "draft"
        for index in range(self.stack.count()):
            self.pages[index].widget.setEnabled(draft)
        self.complete_button.setVisible(draft)
        self.reopen_button.setVisible(not draft)
        self.pdf_button.setVisible(not draft)
        self.qr_button.setVisible(not draft)
        if not draft:
            self._banner(self.tr("Tờ khai đã hoàn thành. Muốn sửa, bấm “Mở lại để sửa”."),
                         "saved")
        elif self.banner.property("role") == "saved":
            self.banner.hide()
        self._update_progress()

    def _banner(self, text: str, role: str) -> None:
        self.banner.setText(text)
        set_role(self.banner, role)
        self.banner.show()

    # -- pages -------------------------------------------------------------------------------

    def visible_pages(self) -> list[int]:
        return [i for i, page in enumerate(self.pages)
                if page.key is None or page.key not in self.hidden]

    def go_to_page(self, index: int, save: bool = True) -> None:
        index = max(0, min(index, len(self.pages) - 1))
        self.stack.setCurrentIndex(index)
        if save and self.status == "draft":
            try:
                with self.store.write() as session:
                    set_page(session, self.record_id, index)
            except (FieldError, LookupError) as exc:
                self._banner(_message(exc), "error")
        self._update_progress()
        first = next((v for v in self.pages[index].views
                      if v.input is not None and not v.isHidden()), None)
        if first is not None:
            first.input.focus_target().setFocus()  # type: ignore[union-attr]

    def _update_progress(self) -> None:
        visible = self.visible_pages()
        current = self.stack.currentIndex()
        position = sum(1 for i in visible if i <= current)
        self.page_title.setText(fill(self.pages[current].title, self.values))
        self.progress_label.setText(self.tr("Trang {n}/{total}").format(
            n=position, total=len(visible)))
        self.progress.setRange(0, max(len(visible), 1))
        self.progress.setValue(position)
        self.back_button.setEnabled(any(i < current for i in visible))
        self.next_button.setEnabled(any(i > current for i in visible))

    def next_page(self) -> None:
        if self._refuse_unsaved():
            return
        later = [i for i in self.visible_pages() if i > self.stack.currentIndex()]
        if later:
            self.go_to_page(later[0])

    def previous_page(self) -> None:
        if self._refuse_unsaved():
            return
        earlier = [i for i in self.visible_pages() if i < self.stack.currentIndex()]
        if earlier:
            self.go_to_page(earlier[-1])

    def _refuse_unsaved(self) -> bool:
        """True, after pointing at it, while a typed value could not be saved.

        Such a value is only on screen: moving on would leave the old answer in the record
        (or none), so the volunteer fixes or clears it first.
        """
        if self.status != "draft" or self._torn_down():
            return False
        self._commit_focused()
        # A field since removed (its entry deleted) or hidden by an answer holds nothing to fix.
        self.input_errors = {p: m for p, m in self.input_errors.items()
                             if p in self.views and p not in self.hidden}
        path = next((p for p in self.views if p in self.input_errors), None)
        if path is None:
            return False
        label = fill(self.views[path].label_text, scoped_values(self.values, path))
        reason = " ".join(self.input_errors[path])
        self._banner(self.tr("Ô “{label}” có giá trị chưa đúng nên chưa được lưu: {reason} "
                             "Hãy sửa lại (hoặc xóa trống ô đó) rồi làm tiếp.").format(
                                 label=label, reason=reason), "error")
        self._jump_to(path)
        return True

    def _next_field(self) -> None:
        self.focusNextChild()

    # -- saving ------------------------------------------------------------------------------

    def commit(self, path: str) -> bool:
        """Save the answer at `path` if it changed, then redraw from the validator's verdict."""
        view = self.views.get(path)
        if (view is None or view.input is None or self.status != "draft"
                or self._torn_down()):
            return False
        try:
            value = view.input.value()
            stored = value_at(self.answers, path)
            if value != ("" if stored is None else stored):
                with self.store.write() as session:
                    save_answer(session, self.record_id, path, value)
                self.saved_label.setText(self.tr("Đã lưu lúc {time}").format(
                    time=QTime.currentTime().toString("HH:mm:ss")))
            self.input_errors.pop(path, None)
            self.touched.add(path)
            self.refresh()
        except (FieldError, ConsentRequired, LookupError) as exc:
            self.input_errors[path] = _messages(exc)
            view.show_errors(self.input_errors[path])
            return False
        self.changed.emit(self.record_id)
        return True

    def _torn_down(self) -> bool:
        """Qt deletes a closing window's children one by one, and an input losing focus
        meanwhile reports its edit: there is no window left to redraw."""
        return not all(shiboken6.isValid(w) for w in (
            self.stack, self.banner, self.back_button, self.next_button, self.complete_button,
            self.reopen_button, self.saved_label, self.progress, self.progress_label,
            self.pdf_button, self.qr_button))

    def _commit_focused(self) -> None:
        for path, view in list(self.views.items()):
            if view.input is not None and view.input.focus_target().hasFocus():
                self.commit(path)

    def add_entry(self, path: str) -> None:
        """Save a new, last entry of the repeat at `path` ("members", or a repeat inside an
        entry such as "households[0].members") and put the cursor in it."""
        repeat = self.repeats[path].repeat
        index = entry_count(value_at(self.answers, path))
        # Fields may sit in groups inside the entry; groups add nothing to an answer's path.
        fields = entry_nodes(repeat.children, Field)
        answerable = [f for f in fields if f.type not in ("note", "calculate")] or fields
        # An entry that only holds a repeat of its own is created through that repeat's name.
        names = [f.name for f in answerable] or [
            r.name for r in entry_nodes(repeat.children, Repeat)]
        if not names:
            self._banner(self.tr("Danh sách này chưa có ô nào để điền nên không thêm mục "
                                 "được."), "error")
            return
        defaults = default_answers(fields, {}, self.today)
        try:
            with self.store.write() as session:
                # Saving "no answer" still creates the entry, so an empty entry survives a
                # restart like any other answer.
                for name, value in defaults.items() or [(names[0], None)]:
                    save_answer(session, self.record_id, f"{path}[{index}].{name}", value)
        except (FieldError, ConsentRequired, LookupError) as exc:
            self._banner(_message(exc), "error")
            return
        self.refresh()
        first = next((v for p, v in self.views.items()
                      if p.startswith(f"{path}[{index}].") and v.input is not None), None)
        if first is not None:
            first.input.focus_target().setFocus()  # type: ignore[union-attr]
        self.changed.emit(self.record_id)

    def remove_entry(self, path: str, index: int) -> None:
        """Delete one entry of the repeat at `path`; the refresh rebuilds that repeat, since
        its count changed, and the entries after the removed one move up."""
        try:
            with self.store.write() as session:
                remove_entry(session, self.record_id, path, index)
        except (FieldError, LookupError) as exc:
            self._banner(_message(exc), "error")
            return
        # Paths after the removed entry now name other entries: their marks start afresh.
        self.input_errors = {p: m for p, m in self.input_errors.items()
                             if not p.startswith(f"{path}[")}
        self.refresh()
        self.changed.emit(self.record_id)

    # -- lifecycle ---------------------------------------------------------------------------

    def complete(self) -> None:
        if self._refuse_unsaved():
            return
        self.show_all = True
        try:
            with self.store.write() as session:
                complete_record(session, self.record_id, self.form, self.today)
        except FormIncomplete as exc:
            self.refresh()
            self._banner(self.tr("Chưa hoàn thành được: còn {n} chỗ cần sửa, đánh dấu đỏ bên "
                                 "dưới.").format(n=len(exc.problems)), "error")
            self._jump_to(exc.problems[0].field)
            return
        except (FieldError, ConsentRequired, LookupError, ValueError) as exc:
            self._banner(_message(exc), "error")
            return
        self.refresh()
        self.changed.emit(self.record_id)
        self.completed.emit(self.record_id)

    def _jump_to(self, path: str) -> None:
        page = self.page_of.get(path)
        if page is None:
            page = self.page_of.get(path.split("[")[0].split(".")[0], 0)
        self.go_to_page(page)
        view = self.views.get(path)
        if view is not None and view.input is not None:
            view.input.focus_target().setFocus()

    def reopen(self) -> None:
        try:
            with self.store.write() as session:
                reopen_record(session, self.record_id)
        except LookupError as exc:
            self._banner(_message(exc), "error")
            return
        self.banner.hide()
        self.refresh()
        self.changed.emit(self.record_id)

    # -- output ------------------------------------------------------------------------------

    def receipt(self) -> tuple[FormRecord, str, str]:
        """The completed record, its signed receipt and its reference code.

        The receipt is signed at the moment of completion, and Ed25519 signatures are
        deterministic, so the PDF and the QR on screen always carry the very same text.
        """
        with self.store.read() as session:
            record = session.get(FormRecord, self.record_id)
            if record is None or record.deleted:
                raise LookupError(self.record_id)
            session.expunge(record)
        if record.status == "draft" or record.completed_at is None:
            raise ValueError(self.tr("Tờ khai chưa hoàn thành nên chưa có biên nhận."))
        signed_at = as_utc(record.completed_at)
        receipt = make_receipt(
            form_id=record.form_id, form_version=record.form_version, record_id=record.id,
            answers=json.loads(record.answers), device_id=self.store.device_id,
            private_key=self.store.signing_key(), signed_at=signed_at)
        return record, receipt, reference_code(record.id)

    def default_pdf_path(self) -> Path:
        """`<form id>-<reference>.pdf` in the volunteer's Documents folder."""
        folder = QStandardPaths.writableLocation(
            QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        return Path(folder) / f"{self.form.id}-{reference_code(self.record_id)}.pdf"

    def choose_pdf_path(self) -> None:
        """"Lưu PDF để in": ask where, save, then offer to open it for printing."""
        self._commit_focused()
        path, _filter = QFileDialog.getSaveFileName(
            self, self.tr("Lưu tờ khai thành PDF"), str(self.default_pdf_path()),
            self.tr("Tệp PDF (*.pdf)"))
        if not path:
            return
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        if not self.save_pdf(path):
            return
        answer = QMessageBox.question(
            self, self.tr("Đã lưu PDF"),
            self.tr("Đã lưu tờ khai vào {path}. Mở tệp để in ngay?").format(path=path),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes)
        if answer == QMessageBox.StandardButton.Yes:
            self.open_file(path)

    def open_file(self, path: Path | str) -> bool:
        """Hand the PDF to the system viewer, where the volunteer prints it."""
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            return True
        self._banner(self.tr("Không mở được tệp PDF. Hãy mở tệp {path} bằng trình xem PDF "
                             "để in.").format(path=path), "error")
        return False

    def save_pdf(self, path: Path | str) -> bool:
        """Write the printable declaration to `path`; on failure say why, inline."""
        try:
            record, receipt, reference = self.receipt()
            profile = load_profile(self.store)
            volunteer = profile.volunteer_name if profile is not None else ""
            # Opening the file first gives the system's reason (permission, full disk, no such
            # folder), which QPdfWriter would swallow.
            with open(path, "ab"):
                pass
            write_pdf(path, self.form, record, receipt, reference, volunteer,
                      practice=self.store.is_demo)
            # Qt's PDF writer does not report a full disk: an empty file is the only sign.
            if Path(path).stat().st_size == 0:
                raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        except OSError as exc:
            reason = self._os_reason(exc)
            self._banner(self.tr("Không lưu được tệp PDF ({reason}). Hãy kiểm tra ổ đĩa còn "
                                 "chỗ trống hoặc chọn thư mục khác.").format(reason=reason),
                         "error")
            return False
        except (LookupError, ValueError) as exc:
            self._banner(_message(exc), "error")
            return False
        self._banner(self.tr("Đã lưu PDF: {path}").format(path=path), "saved")
        return True

    def _os_reason(self, exc: OSError) -> str:
        """Why a file could not be written, in words a volunteer can act on."""
        if isinstance(exc, PermissionError) or exc.errno in (errno.EACCES, errno.EPERM,
                                                              errno.EROFS):
            return self.tr("không có quyền ghi vào thư mục này, hoặc tệp đang mở trong "
                           "chương trình khác")
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            return self.tr("ổ đĩa đã đầy")
        if isinstance(exc, FileNotFoundError) or exc.errno == errno.ENOENT:
            return self.tr("thư mục không tồn tại")
        if exc.strerror:
            return exc.strerror
        return self.tr("không ghi được tệp")

    def show_qr(self) -> ReceiptDialog | None:
        """"Hiện mã QR": the receipt large on screen, for scanning or a phone photo."""
        try:
            _record, receipt, reference = self.receipt()
        except (LookupError, ValueError) as exc:
            self._banner(_message(exc), "error")
            return None
        if self.receipt_dialog is not None and shiboken6.isValid(self.receipt_dialog):
            self.receipt_dialog.close()
        self.receipt_dialog = ReceiptDialog(receipt, reference,
                                            text_of(self.form.title, self.language), self)
        self.receipt_dialog.show()
        return self.receipt_dialog

    def done(self, result: int) -> None:
        # Closing while a field is being typed must not lose that field; one that cannot be
        # saved keeps the window open, pointing at it.
        if self._refuse_unsaved():
            return
        super().done(result)


def _messages(exc: Exception) -> list[str]:
    if isinstance(exc, FieldError):
        return exc.messages
    return [_message(exc)]


def _message(exc: Exception) -> str:
    if isinstance(exc, LookupError) and not isinstance(exc, KeyError):
        return QCoreApplication.translate("FormWindow",
                                          "Tờ khai này đã bị xóa nên không lưu được nữa.")
    if isinstance(exc, FieldError):
        return " ".join(exc.messages)
    return str(exc)
