"""Base45 (RFC 9285): binary data as text a QR code stores in its compact alphanumeric mode.

A QR code holds alphanumeric text in 5.5 bits a character but arbitrary bytes in 8, and a USB
scanner can only type characters, not bytes. Base45 uses exactly the 45 alphanumeric-mode
characters, so a receipt is both as small as a QR code allows and safe to type.
"""

ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:"
_VALUE = {char: value for value, char in enumerate(ALPHABET)}


def encode(data: bytes) -> str:
    """Encode bytes; the result never ends with a space (the last character is at most 'W'),
    so a reader may strip the whitespace a scanner adds without cutting the text."""
    out: list[str] = []
    for start in range(0, len(data), 2):
        chunk = data[start:start + 2]
        n = int.from_bytes(chunk, "big")
        digits = 3 if len(chunk) == 2 else 2
        for _ in range(digits):
            n, digit = divmod(n, 45)
            out.append(ALPHABET[digit])
    return "".join(out)


def decode(text: str) -> bytes:
    """Decode base45 text, refusing anything RFC 9285 calls invalid rather than guessing."""
    if len(text) % 3 == 1:
        raise ValueError("base45 text has a length that no data encodes to")
    out = bytearray()
    for start in range(0, len(text), 3):
        group = text[start:start + 3]
        try:
            values = [_VALUE[char] for char in group]
        except KeyError as exc:
            raise ValueError(f"character {exc.args[0]!r} is not base45") from None
        n = sum(value * 45**power for power, value in enumerate(values))
        width = 2 if len(group) == 3 else 1
        if n >= 256**width:
            raise ValueError(f"base45 group {group!r} is out of range")
        out += n.to_bytes(width, "big")
    return bytes(out)
