"""Fill English translations into resources/i18n/fieldkit_en.ts from a JSON map.

    python scripts/translate.py '{"Vietnamese source": "English text"}'

lupdate marks new messages unfinished (sometimes guessing a translation from a similar one);
this writes the given translations and marks them finished, leaving every other entry alone.
"""

import json
import re
import sys
from pathlib import Path
from xml.sax.saxutils import escape

# How lupdate writes text inside <source> and <translation>.
ENTITIES = {"'": "&apos;", '"': "&quot;"}

TS = Path(__file__).resolve().parents[1] / "resources" / "i18n" / "fieldkit_en.ts"


def main(mapping: dict[str, str]) -> int:
    text = TS.read_text(encoding="utf-8")
    missing = []
    for source, english in mapping.items():
        pattern = re.compile(r"(<source>" + re.escape(escape(source, ENTITIES))
                             + r"</source>\s*)<translation[^>]*>[^<]*</translation>")
        translation = escape(english, ENTITIES)
        text, count = pattern.subn(
            lambda m, e=translation: m.group(1) + f"<translation>{e}</translation>", text)
        if count == 0:
            missing.append(source)
    for source in missing:
        print(f"not in {TS.name}: {source!r}", file=sys.stderr)
    if missing:
        return 1  # nothing written: fix the map and run again
    TS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(sys.argv[1])))
