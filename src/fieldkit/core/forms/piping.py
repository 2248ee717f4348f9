"""Earlier answers shown inside labels and hints, as XLSForm's `${field}` output does.

A form written in ODK or Kobo greets the person by name ("Is ${name} at home?") or repeats a
count back ("You listed ${n} members"). The text is filled in at the moment it is shown, with
the answers as the validator sees them, so what the volunteer reads is what will be printed.
Values are shown the way ODK shows an output: the stored value as text (a choice's name, an
ISO date), with nothing shown for an unanswered field.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from fieldkit.core.forms.expressions import to_string

REFERENCE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def references(texts: Mapping[str, str]) -> set[str]:
    """Every field named by `${...}` in any language of a text."""
    return {name for text in texts.values() for name in REFERENCE.findall(text)}


def fill(text: str, values: Mapping[str, object]) -> str:
    """`text` with each `${name}` replaced by that answer; a text without any is unchanged."""
    if "${" not in text:
        return text
    return REFERENCE.sub(lambda match: to_string(values.get(match[1], "")), text)
