"""Row identifiers made on the device.

UUIDv7 puts a millisecond timestamp in the high bits, so ids made offline on many laptops never
collide yet still sort roughly by creation time, which keeps B-tree inserts local on the server.
Python 3.11 has no `uuid.uuid7`, hence this small RFC 9562 implementation.
"""

import os
import time
import uuid


def uuid7() -> str:
    """Return a new RFC 9562 version-7 UUID as its canonical 36-character string."""
    millis = time.time_ns() // 1_000_000
    rand = int.from_bytes(os.urandom(10), "big")
    value = (millis & ((1 << 48) - 1)) << 80
    value |= 0x7 << 76  # version
    value |= (rand >> 68) << 64  # 12 bits rand_a
    value |= 0b10 << 62  # variant
    value |= rand & ((1 << 62) - 1)  # 62 bits rand_b
    return str(uuid.UUID(int=value))


# Fixed namespace for ids derived from official codes (a random UUID, chosen once).
_OFFICIAL = uuid.UUID("5b0f3c9e-6a53-4d0e-9b8e-0c6f2f4c1a77")


def commune_id(code: int) -> str:
    """The commune's row id, the same on every laptop and on the server: each laptop makes its
    commune row at setup, offline, and two laptops of one commune must not make two rows."""
    return str(uuid.uuid5(_OFFICIAL, f"commune:{int(code)}"))


def village_id(commune_row_id: str, name: str) -> str:
    """A village's row id from its commune and its name (ignoring case and spacing, not
    diacritics: "Bản Nà" and "Bản Na" can be two hamlets), so "Bản Phiêng Luông" typed on two
    laptops is one village."""
    import unicodedata

    key = " ".join(unicodedata.normalize("NFC", name).split()).casefold()
    return str(uuid.uuid5(_OFFICIAL, f"village:{commune_row_id}:{key}"))
