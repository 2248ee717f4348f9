"""Completion for editable combo boxes that ignores Vietnamese diacritics.

Many field laptops have no Vietnamese input method, so "muong phang" must offer
"Xã Mường Phăng". QCompleter compares the typed text with one data role of its model; here that
role holds the folded name (fieldkit.core.folding) and the typed text is folded the same way,
while the popup and the line edit keep showing the real names.
"""

from PySide6.QtCore import (
    QAbstractItemModel,
    QIdentityProxyModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)
from PySide6.QtWidgets import QComboBox, QCompleter

from fieldkit.core.folding import fold

# Clear of Qt.UserRole, which QComboBox uses for item data.
FOLDED_ROLE = Qt.ItemDataRole.UserRole + 0x0F01


class _FoldedNames(QIdentityProxyModel):
    """The combo's own model seen through, plus FOLDED_ROLE. A proxy rather than a copy, so the
    completer follows the combo when its items change (a new province, a new language)."""

    def data(self, index: QModelIndex | QPersistentModelIndex,
             role: int = Qt.ItemDataRole.DisplayRole) -> object:
        if role == FOLDED_ROLE:
            return fold(str(super().data(index, Qt.ItemDataRole.DisplayRole) or ""))
        return super().data(index, role)


class FoldedCompleter(QCompleter):
    """Offers every item whose folded text contains the folded typed text."""

    def __init__(self, model: QAbstractItemModel, parent: QObject | None = None) -> None:
        super().__init__(parent)
        names = _FoldedNames(self)
        names.setSourceModel(model)
        self.setModel(names)
        self.setCompletionRole(FOLDED_ROLE)
        self.setFilterMode(Qt.MatchFlag.MatchContains)
        self.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.setCompletionMode(QCompleter.CompletionMode.PopupCompletion)

    def splitPath(self, path: str) -> list[str]:
        return [fold(path)]

    def pathFromIndex(self, index: QModelIndex | QPersistentModelIndex) -> str:
        # By default the completion role is written back into the line edit: the folded text.
        return str(index.data(Qt.ItemDataRole.DisplayRole) or "")


def use_folded_completion(combo: QComboBox) -> FoldedCompleter:
    """Make `combo` editable, never adding typed text as an item, and complete against its
    items ignoring diacritics. Call again after `combo.setModel(...)`."""
    combo.setEditable(True)
    combo.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
    completer = FoldedCompleter(combo.model(), combo)
    combo.setCompleter(completer)
    return completer


def folded_match(combo: QComboBox, text: str | None = None) -> int:
    """The row of `combo` that `text` (by default what is typed in it) names, or -1.

    Typed text that was never completed still counts when it names exactly one item, as the
    popup would have offered: an exact name first (two communes of a province can share a name
    once folded), then a unique folded name, then a unique folded substring.
    """
    if text is None:
        text = combo.currentText()
        if combo.currentIndex() >= 0 and combo.itemText(combo.currentIndex()) == text:
            return combo.currentIndex()
    exact = combo.findText(text.strip(), Qt.MatchFlag.MatchFixedString)
    if exact >= 0:
        return exact
    typed = fold(text)
    if not typed:
        return -1
    names = [fold(combo.itemText(row)) for row in range(combo.count())]
    for candidates in ([row for row, name in enumerate(names) if name == typed],
                       [row for row, name in enumerate(names) if typed in name]):
        if candidates:
            return candidates[0] if len(candidates) == 1 else -1
    return -1
