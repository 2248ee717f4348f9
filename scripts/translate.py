"""Fill English translations into resources/i18n/fieldkit_en.ts from a JSON map.

    python scripts/translate.py '{"Vietnamese source": "English text"}'

lupdate marks new messages unfinished (sometimes guessing a translation from a similar one);
this writes the given translations and marks them finished, leaving every other entry alone.
"""

import json
import re
import sys
from pathlib import Path

TS = Path(__file__).resolve().parents[1] / "resources" / "i18n" / "fieldkit_en.ts"


def main(mapping: dict[str, str]) -> int:
    text = TS.read_text(encoding="utf-8")
    for source, english in mapping.items():
        pattern = re.compile(r"(<source>" + re.escape(source)
                             + r"</source>\s*)<translation[^>]*>[^<]*</translation>")
        text, count = pattern.subn(
            lambda m, e=english: m.group(1) + f"<translation>{e}</translation>", text)
        if count == 0:
            print(f"not in {TS.name}: {source!r}", file=sys.stderr)
            return 1
    TS.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main(json.loads(sys.argv[1])))
