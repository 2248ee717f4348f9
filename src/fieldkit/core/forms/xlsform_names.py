"""Question names as XLSForm writes them, made into FieldKit's one-answer-per-name.

XML names may hold "-" and "." (`label-test`, `tel.office`); FieldKit's hold letters, digits
and "_", so such a name becomes `label_test`. XLSForm also lets two groups each hold a `name`
question (their paths tell them apart: the household head's name and each child's), and a
loop's copies repeat every name; FieldKit keeps one answer per name, so the later one becomes
`<group>_name`. A `${name}` then means the one in the nearest group around the row that names
it, which is how pyxform resolves a name inside a repeat; named from where two could be meant,
it is refused as ambiguous rather than guessed. Early forms wrote a sibling's answer as the
XPath `../zone`; that is `${zone}`.
"""

from __future__ import annotations

import re

from fieldkit.core.forms.import_problems import Reporter
from fieldkit.core.forms.xlsform_loops import Line

_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
_XML_NAME = re.compile(r"^[A-Za-z_][A-Za-z0-9_.-]*$")
# Structure rows, in every spelling pyxform reads (types are compared with spaces collapsed).
_OPENS = re.compile(r"^begin[ _](group|repeat|lgroup|looped[ _]group)$", re.IGNORECASE)
_CLOSES = re.compile(r"^end[ _](group|repeat|lgroup|looped[ _]group)$", re.IGNORECASE)
_REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_.-]*)\}")
_SIBLING_PATH = re.compile(r"(?<![\w.)\]])\.\./([A-Za-z_][A-Za-z0-9_.-]*)(?![\w/(])")

# The groups around a row, each by the index of its opening line.
Chain = tuple[int, ...]


def clean_name(name: str) -> str:
    """`label-test` -> `label_test`; a name that is no XML name either is left for the
    loader to refuse as it stands."""
    if _NAME.match(name) or not _XML_NAME.match(name):
        return name
    return re.sub(r"[.-]", "_", name)


class Names:
    """The names given in one survey sheet, and `${...}` pointed at them."""

    def __init__(self, report: Reporter, sheet: str) -> None:
        self.report = report
        self.sheet = sheet
        # Each name as written -> (groups around it, the name it was given), per use.
        self.homes: dict[str, list[tuple[Chain, str]]] = {}

    def place(self, lines: list[Line], type_at: int, name_at: int | None
              ) -> list[tuple[str | None, Chain]]:
        """Each line's name (None for a line without one) and the groups around it."""
        written = [cells.get(name_at, "") if name_at is not None else "" for _, cells in lines]
        taken = {clean_name(name) for name in written}
        rows_of: dict[str, list[tuple[Chain, int]]] = {}
        chain: list[int] = []
        placed: list[tuple[str | None, Chain]] = []
        for index, ((number, cells), name) in enumerate(zip(lines, written, strict=True)):
            kind = " ".join(cells.get(type_at, "").split())
            outside = tuple(chain)
            if _CLOSES.match(kind):
                if chain:
                    chain.pop()
                placed.append((None, outside))
                continue
            if not name and kind.lower() == "note":
                name = f"generated_note_name_{number}"  # pyxform's name for a nameless note
            if not name:
                placed.append((None, outside))
                if _OPENS.match(kind):
                    chain.append(index)
                continue
            given = self.given_name(number, name, outside, rows_of.get(clean_name(name), []),
                                    placed[chain[-1]][0] if chain else None, taken)
            taken.add(given)
            rows_of.setdefault(clean_name(name), []).append((outside, number))
            self.homes.setdefault(name, []).append((outside, given))
            placed.append((given, outside))
            if _OPENS.match(kind):
                chain.append(index)
        return placed

    def given_name(self, number: int, name: str, outside: Chain,
                   earlier: list[tuple[Chain, int]], parent: str | None,
                   taken: set[str]) -> str:
        given = clean_name(name)
        if given != name:
            self.report.warn(self.sheet, number, "name",
                             f"tên '{name}' được đổi thành '{given}' (FieldKit chỉ dùng chữ, "
                             "số và _)",
                             f"name '{name}' became '{given}' (FieldKit names use letters, "
                             "digits and _)")
        twin = next((row for around, row in earlier if around == outside), None)
        if twin is not None and given != name:
            self.report.refuse(self.sheet, number, "name",
                               f"tên '{name}' cần đổi thành '{given}' nhưng dòng {twin} cùng "
                               "nhóm đã dùng tên đó; hãy đặt tên chỉ gồm chữ, số và _",
                               f"name '{name}' would become '{given}', which row {twin} in "
                               "the same group already uses; use letters, digits and _ only")
        elif twin is not None:
            self.report.refuse(self.sheet, number, "name",
                               f"tên '{name}' đã dùng ở dòng {twin} trong cùng nhóm; hãy đặt "
                               "tên khác",
                               f"name '{name}' is already used on row {twin} in the same "
                               "group; choose another name")
        elif earlier:
            base = f"{parent}_{given}" if parent else f"{given}_2"
            renamed, counter = base, 2
            while renamed in taken:
                counter += 1
                renamed = f"{base}_{counter}"
            self.report.warn(self.sheet, number, "name",
                             f"tên '{name}' đã dùng ở dòng {earlier[0][1]}; câu hỏi này được "
                             f"đổi tên thành '{renamed}' vì FieldKit cần mỗi tên một lần",
                             f"name '{name}' is also used on row {earlier[0][1]}; this one "
                             f"became '{renamed}', as FieldKit needs each name once")
            return renamed
        return given

    def sibling_paths(self, expression: str) -> str:
        """`../zone` -> `${zone}` where the form has a `zone`."""
        return _SIBLING_PATH.sub(
            lambda m: "${" + m[1] + "}" if m[1] in self.homes else m[0], expression)

    def resolve(self, text: str, chain: Chain, number: int, column: str) -> str:
        """`text` with each `${name}` pointed at the name that question was given."""
        def given(match: re.Match[str]) -> str:
            homes = self.homes.get(match[1])
            if not homes:
                return match[0]  # unknown: the loader names it
            around = [(len(home), name) for home, name in homes if chain[:len(home)] == home]
            if len(homes) > 1 and not around:
                self.report.refuse(self.sheet, number, column,
                                   f"${{{match[1]}}} không rõ là câu nào: có {len(homes)} câu "
                                   "cùng tên ở các nhóm khác nhau; hãy đặt tên riêng cho "
                                   "từng câu",
                                   f"${{{match[1]}}} is ambiguous: {len(homes)} questions in "
                                   "different groups have that name; give each its own name")
                return match[0]
            return "${" + (max(around)[1] if around else homes[0][1]) + "}"

        return _REFERENCE.sub(given, text) if "${" in text else text
