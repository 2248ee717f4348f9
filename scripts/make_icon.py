"""Draw FieldKit's application icon, resources/icons/fieldkit.ico (the Windows build's .exe).

A white house with a tick on the app's blue (the primary buttons' colour in
resources/styles/fieldkit.qss): a household helped. Drawn from shapes, not a font, so the
result is the same on every machine; run it again only to change the design.

    .venv/bin/python scripts/make_icon.py
"""

import sys
from pathlib import Path

from PIL import Image, ImageDraw

BLUE = "#0b5cad"
WHITE = "#ffffff"
CANVAS = 1024
# Every size Windows asks for: Explorer's lists and tiles, the taskbar, the title bar.
SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]
TARGET = Path(__file__).resolve().parents[1] / "resources" / "icons" / "fieldkit.ico"


def draw() -> Image.Image:
    image = Image.new("RGBA", (CANVAS, CANVAS), (0, 0, 0, 0))
    pen = ImageDraw.Draw(image)
    pen.rounded_rectangle((32, 32, CANVAS - 32, CANVAS - 32), radius=180, fill=BLUE)
    # The house: a roof over a body, thick enough to stay readable at 16 pixels.
    pen.polygon([(512, 170), (850, 470), (174, 470)], fill=WHITE)
    pen.rectangle((260, 440, 764, 840), fill=WHITE)
    # The tick, cut out of the body in the background colour.
    pen.line([(350, 640), (470, 750), (680, 530)], fill=BLUE, width=70, joint="curve")
    return image


def main() -> int:
    TARGET.parent.mkdir(parents=True, exist_ok=True)
    draw().save(TARGET, format="ICO", sizes=SIZES)
    print(TARGET)
    return 0


if __name__ == "__main__":
    sys.exit(main())
