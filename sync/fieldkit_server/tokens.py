"""Secrets handed out by the server (device tokens, enrolment codes) and how they are kept.

Only SHA-256 digests are stored: a copied database does not let anyone act as a laptop or
enrol a new one. Plain SHA-256 suffices because both secrets are random, not chosen by people.
"""

import hashlib
import secrets

# Crockford's base32 alphabet: no I, L, O or U, so a code read aloud or copied from paper
# cannot be mistyped as a look-alike letter.
_CODE_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_LOOK_ALIKES = str.maketrans({"I": "1", "L": "1", "O": "0", "U": "V"})
CODE_GROUPS = 4
CODE_GROUP_LENGTH = 4


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_token() -> str:
    return secrets.token_urlsafe(32)


def new_enrolment_code() -> str:
    """Four groups of four base32 characters (80 bits), e.g. "7K3M-Q9XD-A2PF-W4TR"."""
    groups = ("".join(secrets.choice(_CODE_ALPHABET) for _ in range(CODE_GROUP_LENGTH))
              for _ in range(CODE_GROUPS))
    return "-".join(groups)


def normalise_code(typed: str) -> str:
    """The canonical form of a code as a person typed it: any case, spaces or dashes, and
    the letters people confuse with digits read as those digits."""
    letters = "".join(c for c in typed.upper() if c.isalnum()).translate(_LOOK_ALIKES)
    size = CODE_GROUP_LENGTH
    return "-".join(letters[i:i + size] for i in range(0, len(letters), size))
