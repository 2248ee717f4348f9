"""The enrolment code as a QR the laptop's setup screen can read (or a volunteer can paste).

SVG, drawn by qrcode's own SVG factory, so the server needs no imaging library.
"""

import json
from pathlib import Path

import qrcode
import qrcode.image.svg


def enrolment_payload(server_url: str, code: str) -> str:
    """The text the QR holds: compact JSON with the server's address and the code."""
    return json.dumps({"url": server_url.rstrip("/"), "code": code}, separators=(",", ":"))


def write_enrolment_qr(path: Path | str, server_url: str, code: str) -> None:
    image = qrcode.make(enrolment_payload(server_url, code),
                        image_factory=qrcode.image.svg.SvgPathImage)
    with open(path, "wb") as out:
        image.save(out)
