"""Turning the volunteer's passphrase into the SQLCipher key.

scrypt makes each guess at a stolen laptop's passphrase cost memory and time. The salt and
cost parameters sit beside the database in plain JSON: they are not secret, and keeping them
outside the encrypted file means the key can be derived before the file is touched.
"""

import hashlib
import json
import os
import unicodedata
from dataclasses import dataclass
from pathlib import Path

# n=2**15, r=8 needs 32 MiB and about 0.1 s here: costly per guess, unnoticed at unlock.
DEFAULT_N = 2**15
DEFAULT_R = 8
DEFAULT_P = 1
KEY_BYTES = 32
# scrypt needs 128*n*r bytes; a key file asking for more is damaged, not a slower laptop.
MAX_MEMORY = 256 * 1024 * 1024


@dataclass(frozen=True)
class KeyParams:
    salt: bytes
    n: int = DEFAULT_N
    r: int = DEFAULT_R
    p: int = DEFAULT_P

    @classmethod
    def new(cls) -> "KeyParams":
        return cls(salt=os.urandom(16))

    def to_json(self) -> str:
        return json.dumps(
            {"kdf": "scrypt", "salt": self.salt.hex(), "n": self.n, "r": self.r, "p": self.p},
            indent=2,
        )

    @classmethod
    def load(cls, path: Path) -> "KeyParams":
        """Read and check the parameters; any damage is a ValueError, never a wrong key."""
        data = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(data, dict) or data.get("kdf") != "scrypt":
            raise ValueError(f"{path} does not hold scrypt parameters")
        n, r, p = data.get("n"), data.get("r"), data.get("p")
        costs_ok = all(isinstance(v, int) and v > 0 for v in (n, r, p))
        if (not costs_ok or n & (n - 1) or not 2**10 <= n <= 2**22 or r * p > 64
                or 128 * n * r > MAX_MEMORY):
            raise ValueError(f"{path} holds unusable scrypt costs n={n!r} r={r!r} p={p!r}")
        salt = bytes.fromhex(str(data.get("salt", "")))
        if len(salt) < 16:
            raise ValueError(f"{path} holds a salt that is too short")
        return cls(salt=salt, n=n, r=r, p=p)

    def save(self, path: Path) -> None:
        tmp = path.with_suffix(".tmp")
        tmp.write_text(self.to_json(), encoding="utf-8")
        os.replace(tmp, path)


def derive_key(passphrase: str, params: KeyParams) -> bytes:
    """Derive the 256-bit raw database key; SQLCipher's own slow KDF is skipped with a raw key.

    Vietnamese keyboards (Telex, VNI, Unikey settings) may send the same visible "ậ" as one
    composed character or as a letter plus combining marks; NFC makes both the same key.
    """
    return hashlib.scrypt(
        unicodedata.normalize("NFC", passphrase).encode("utf-8"),
        salt=params.salt,
        n=params.n,
        r=params.r,
        p=params.p,
        maxmem=MAX_MEMORY + 1024 * 1024,
        dklen=KEY_BYTES,
    )
