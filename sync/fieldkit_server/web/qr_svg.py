"""A QR code as inline SVG, so the enrolment code can be scanned from the screen with nothing
loaded from outside the page."""

from __future__ import annotations

import re

import qrcode
import qrcode.image.svg
from markupsafe import Markup, escape

from fieldkit.core.i18n import tr


def qr_svg(text: str, size_px: int = 220) -> Markup:
    code = qrcode.QRCode(border=4, error_correction=qrcode.constants.ERROR_CORRECT_M,
                         image_factory=qrcode.image.svg.SvgPathImage)
    code.add_data(text)
    code.make(fit=True)
    svg = code.make_image().to_string(encoding="unicode")
    svg = re.sub(r"^<\?xml[^>]*\?>\s*", "", svg)
    # Fixed pixel size on screen; the path keeps its own module grid through the viewBox.
    svg = re.sub(r'width="[^"]*" height="[^"]*"',
                 f'width="{size_px}" height="{size_px}" role="img" '
                 f'aria-label="{escape(tr("Mã QR đăng ký máy"))}"', svg, count=1)
    return Markup(svg)
