"""pyxform's loops: `begin loop over LIST` ... `end loop` asks the rows inside once per choice.

Early Kobo and ODK forms ask "how often is the bus / the boat / the bicycle available?" this
way instead of repeating the question by hand. FieldKit definitions have no loop, so the
import writes out what pyxform builds: a group named after the loop, holding for each choice
(but a select's `none`) a group named and labelled after the choice, with `%(name)s` and
`%(label)s` in the copied cells replaced by the choice's name and label. The copies repeat
the loop's question names; `xlsform_names` gives each its own.
"""

from __future__ import annotations

import re
from typing import Any

from fieldkit.core.forms.import_problems import Reporter

# A survey row: its Excel row number and its non-empty cells by column index.
Line = tuple[int, dict[int, str]]
# Column index -> (FieldKit column, language or None), as the converter resolved the header.
Columns = dict[int, tuple[str, str | None]]
Choices = dict[str, list[dict[str, Any]]]

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_LOOP_BEGIN = re.compile(r"^begin[ _]loop over (\S+)$", re.IGNORECASE)
_LOOP_END = re.compile(r"^end[ _]loop$", re.IGNORECASE)
_LOOP_FIELD = re.compile(r"%\((name|label)\)s")


def expand_loops(report: Reporter, sheet: str, lines: list[Line], columns: Columns,
                 type_at: int, name_at: int | None, choices: Choices,
                 language: str) -> list[Line]:
    """The survey's rows with every loop written out (loops inside loops too)."""
    out: list[Line] = []
    index = 0
    while index < len(lines):
        number, cells = lines[index]
        kind = " ".join(cells.get(type_at, "").split())
        index += 1
        if _LOOP_END.match(kind):
            report.refuse(sheet, number, "type",
                          "'end loop' thừa: không có 'begin loop' nào đang mở",
                          "'end loop' with no 'begin loop' open")
            continue
        opened = _LOOP_BEGIN.match(kind)
        if not opened:
            out.append((number, cells))
            continue
        depth, end = 1, index
        while end < len(lines) and depth:
            inner = " ".join(lines[end][1].get(type_at, "").split())
            depth += 1 if _LOOP_BEGIN.match(inner) else -1 if _LOOP_END.match(inner) else 0
            end += 1
        if depth:
            report.refuse(sheet, number, "type",
                          "'begin loop' chưa được đóng bằng 'end loop'",
                          "'begin loop' is never closed with 'end loop'")
            return out
        body, index = lines[index:end - 1], end
        items = choices.get(opened[1])
        if not items or name_at is None:
            report.refuse(sheet, number, "type",
                          f"vòng lặp theo danh sách '{opened[1]}' nhưng trang choices không "
                          "có danh sách này",
                          f"the loop goes over list '{opened[1]}', which is not on the "
                          "choices sheet")
            continue
        loop_name = cells.get(name_at, "")
        out.append((number, {**cells, type_at: "begin group"}))
        for item in items:
            if item["name"] == "none":
                continue  # pyxform leaves out a select's "none" answer
            out.extend(_loop_copy(report, sheet, number, body, item, loop_name, columns,
                                  type_at, name_at, choices, language))
        out.append((lines[end - 1][0], {type_at: "end group"}))
    return out


def _loop_copy(report: Reporter, sheet: str, number: int, body: list[Line],
               item: dict[str, Any], loop_name: str, columns: Columns, type_at: int,
               name_at: int, choices: Choices, language: str) -> list[Line]:
    """One choice's copy of a loop's rows, wrapped in its group."""
    name = item["name"]
    group = name if _NAME.match(name) else \
        f"{loop_name}_{re.sub(r'[^A-Za-z0-9_]', '_', name)}"

    def label(column_language: str | None) -> str:
        texts = item["label"]
        return texts.get(column_language or language) or texts["vi"]

    def filled(index: int, value: str) -> str:
        column_language = columns.get(index, ("", None))[1]
        return _LOOP_FIELD.sub(
            lambda m: name if m[1] == "name" else label(column_language), value)

    head = {type_at: "begin group", name_at: group}
    for index, (column, column_language) in columns.items():
        if column == "label":
            head[index] = label(column_language)
    copy = [(row, {index: filled(index, value) for index, value in cells.items()})
            for row, cells in body]
    return [(number, head),
            *expand_loops(report, sheet, copy, columns, type_at, name_at, choices, language),
            (number, {type_at: "end group"})]
