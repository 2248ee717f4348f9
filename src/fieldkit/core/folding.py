"""Vietnamese text folded for searching and sorting.

Volunteers type without diacritics on laptops with no Vietnamese input method, so "nguyen van"
must find "Nguyễn Văn" and "dang" must find "Đặng". Unicode decomposition strips the tone and
vowel marks, but "đ" is a letter of its own with no decomposition, so it is mapped by hand.
"""

import re
import unicodedata

_D = str.maketrans({"đ": "d", "Đ": "d"})
_NON_WORD = re.compile(r"[^0-9a-z]+")


def fold(text: str) -> str:
    """Lower-case ASCII words separated by single spaces."""
    decomposed = unicodedata.normalize("NFD", text.translate(_D))
    stripped = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return _NON_WORD.sub(" ", stripped.lower()).strip()
