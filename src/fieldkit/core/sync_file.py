"""Sync by file, for hamlets with no signal for weeks: the laptop's pending batches carried to
the commune on a USB stick, and the commune's answer carried back.

A file is sealed for one enrolled laptop and its commune server:
- encrypted with AES-256-GCM under a key both ends derive from the laptop's device token
  (the laptop holds the token, the server its SHA-256 digest, and the key comes from that
  digest), so a stick lost on the road shows nobody the households on it;
- authenticated by the same cipher: a file changed by one bit, or made for another laptop,
  does not open;
- and, laptop to commune, signed with the laptop's Ed25519 key (the one its QR receipts are
  signed with), which the server learned at enrolment.

The header (what kind of file, which laptop, when) is readable without the key, so the
server knows which laptop's key to use, and is bound into the cipher as associated data. The
body inside is the same JSON the HTTP sync sends: the server runs each batch through the
very `push` an online sync reaches, so importing a file twice, or a file and then an online
sync, applies every change once.
"""

from __future__ import annotations

import hashlib
import os
import struct
import zlib
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import orjson
from cryptography.exceptions import InvalidSignature, InvalidTag
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from fieldkit.core.columns import utcnow
from fieldkit.core.i18n import tr

MAGIC = b"FIELDKIT-SYNC\n"
FORMAT_VERSION = 1
PUSH, ANSWER = "push", "answer"
SUFFIX = ".fksync"
# A province's week of work compresses far below this; a bigger body is refused unread.
MAX_BODY_BYTES = 256 * 1024 * 1024
_KEY_INFO = b"fieldkit sync file v1"
# The laptop's key also signs QR receipts: what it signs here is marked as a sync file, so no
# signature made for one can pass for the other.
_SIGNED = b"fieldkit sync file signature v1\x00"


def _not_a_file() -> str:
    return tr("Đây không phải tệp đồng bộ FieldKit.")


def _not_opened() -> str:
    return tr("Không mở được tệp đồng bộ: tệp đã bị sửa, bị hỏng, hoặc không phải của máy này "
              "(hay máy đã đăng ký lại với mã mới sau khi tạo tệp).")


def _bad_signature() -> str:
    return tr("Chữ ký của máy tính trên tệp không đúng: tệp đã bị sửa hoặc giả mạo.")


class SyncFileError(ValueError):
    """A file that cannot be used; the message says why, in Vietnamese."""


@dataclass(frozen=True)
class SyncFileHeader:
    kind: str
    device_id: str
    made_at: datetime


def token_digest(token: str) -> str:
    """The digest the commune server keeps of a device token (hex SHA-256)."""
    return hashlib.sha256(token.encode()).hexdigest()


def file_key(digest: str) -> bytes:
    """The AES-256 key of a laptop's files, from its token's digest; SyncFileError when the
    server holds no token for the laptop (readmitted and not enrolled again yet)."""
    if len(digest) != 64 or any(c not in "0123456789abcdef" for c in digest):
        raise SyncFileError(tr("Máy này đã được cho đăng ký lại nhưng chưa đăng ký bằng mã "
                               "mới: hãy đăng ký lại máy rồi xuất tệp mới."))
    return HKDF(algorithm=hashes.SHA256(), length=32, salt=None,
                info=_KEY_INFO).derive(bytes.fromhex(digest))


def seal(kind: str, device_id: str, body: dict[str, Any], key: bytes,
         signing_key: bytes | None = None) -> bytes:
    header = orjson.dumps({"format": "fieldkit-sync-file", "version": FORMAT_VERSION,
                           "kind": kind, "device_id": device_id,
                           "made_at": utcnow().isoformat()})
    nonce = os.urandom(12)
    sealed = AESGCM(key).encrypt(nonce, zlib.compress(orjson.dumps(body), 6), header)
    signature = b""
    if signing_key is not None:
        signature = Ed25519PrivateKey.from_private_bytes(signing_key).sign(
            _SIGNED + header + nonce + sealed)
    return (MAGIC + struct.pack(">I", len(header)) + header + nonce
            + struct.pack(">H", len(signature)) + signature + sealed)


def read_header(data: bytes) -> SyncFileHeader:
    header, _, _, _ = _parts(data)
    try:
        fields = orjson.loads(header)
        if not isinstance(fields, dict) or fields.get("format") != "fieldkit-sync-file":
            raise SyncFileError(_not_a_file())
        if fields.get("version") != FORMAT_VERSION:
            raise SyncFileError(tr("Tệp đồng bộ do phiên bản FieldKit khác tạo; hãy cập nhật "
                                   "FieldKit rồi thử lại."))
        return SyncFileHeader(str(fields["kind"]), str(fields["device_id"]),
                              datetime.fromisoformat(fields["made_at"]))
    except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
        if isinstance(error, SyncFileError):
            raise
        raise SyncFileError(_not_a_file()) from None


def open_sealed(data: bytes, key: bytes, public_key: bytes | None = None) -> dict[str, Any]:
    """The body of a file sealed with `key`; with `public_key`, its signature must verify."""
    header, nonce, signature, sealed = _parts(data)
    if public_key is not None:
        try:
            Ed25519PublicKey.from_public_bytes(public_key).verify(
                signature, _SIGNED + header + nonce + sealed)
        except (InvalidSignature, ValueError):
            raise SyncFileError(_bad_signature()) from None
    try:
        compressed = AESGCM(key).decrypt(nonce, sealed, header)
    except InvalidTag:
        raise SyncFileError(_not_opened()) from None
    inflater = zlib.decompressobj()
    try:
        body = inflater.decompress(compressed, MAX_BODY_BYTES)
    except zlib.error:
        raise SyncFileError(_not_opened()) from None
    if inflater.unconsumed_tail:
        raise SyncFileError(tr("Tệp đồng bộ quá lớn."))
    if not inflater.eof:
        raise SyncFileError(_not_opened())
    try:
        loaded = orjson.loads(body)
    except orjson.JSONDecodeError:
        raise SyncFileError(_not_a_file()) from None
    if not isinstance(loaded, dict):
        raise SyncFileError(_not_a_file())
    return loaded


def _parts(data: bytes) -> tuple[bytes, bytes, bytes, bytes]:
    if not data.startswith(MAGIC):
        raise SyncFileError(_not_a_file())
    try:
        at = len(MAGIC)
        (header_length,) = struct.unpack_from(">I", data, at)
        at += 4
        header = data[at:at + header_length]
        at += header_length
        nonce = data[at:at + 12]
        at += 12
        (signature_length,) = struct.unpack_from(">H", data, at)
        at += 2
        signature = data[at:at + signature_length]
        at += signature_length
    except struct.error:
        raise SyncFileError(_not_a_file()) from None
    if len(header) != header_length or len(nonce) != 12 or len(signature) != signature_length \
            or at >= len(data):
        raise SyncFileError(_not_a_file())
    return header, nonce, signature, data[at:]
