"""Signed QR receipts printed on a declaration, and their verification at the commune office.

The officer's USB scanner types the QR content into a text field, so a receipt is plain text
from the QR alphanumeric alphabet: "FK1:" followed by base45 of

    format version (1 byte) | zlib(payload JSON) | Ed25519 signature (64) | public key (32)

The signature covers the version byte and the compressed payload, so neither can be changed
without the device's private key. A declaration too long for a QR code that scans from paper
carries the SHA-256 of its answers instead of the answers: the signed receipt still proves the
record and, through sync, which answers were declared. The public key travels along so that a
receipt verifies offline; on its own that only proves the receipt is intact, not who made it,
so the commune server passes the enrolled devices' keys as `trusted_keys` to tie it to a
known laptop.
"""

import json
import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from hashlib import sha256
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import (
    Ed25519PrivateKey,
    Ed25519PublicKey,
)

from fieldkit.core import base45
from fieldkit.core.i18n import tr

PREFIX = "FK1:"
FORMAT_VERSION = 1
SIGNATURE_BYTES = 64
PUBLIC_KEY_BYTES = 32
# A real declaration is a few KiB of JSON; anything larger is a forged zip bomb, refused
# before it is inflated into memory.
MAX_PAYLOAD_BYTES = 64 * 1024
CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
# Longer receipts need QR versions too dense to scan reliably from a printed A4 page.
MAX_RECEIPT_CHARS = 2_000
# The most a QR code can hold in alphanumeric mode; anything longer was never a receipt.
MAX_SCANNED_CHARS = 4_296

# Short keys: every byte saved here is 1.5 characters less in the QR code.
_FIELDS = {
    "f": "form_id",
    "v": "form_version",
    "r": "record_id",
    "d": "device_id",
    "t": "signed_at",
}


class ReceiptError(ValueError):
    """A receipt refused; the message is Vietnamese and shown to the officer as it is.

    `reason` is a stable code (not_receipt, damaged, version, signature, too_large, fields,
    untrusted) so the server can log and count refusals without parsing the message.
    """

    def __init__(self, reason: str, message: str) -> None:
        super().__init__(message)
        self.reason = reason


@dataclass(frozen=True)
class Receipt:
    form_id: str
    form_version: str
    record_id: str
    # The declared answers, or None when the receipt only carries their digest.
    answers: dict[str, Any] | None
    answers_sha256: str
    device_id: str
    signed_at: datetime
    public_key: bytes
    reference: str


def generate_device_key() -> bytes:
    """A new raw Ed25519 private key; raw bytes so the caller can keep it in the encrypted
    store like any other secret, without a PEM wrapper."""
    return Ed25519PrivateKey.generate().private_bytes_raw()


def public_key_of(private: bytes) -> bytes:
    """The raw public key the commune server enrols for this device."""
    return Ed25519PrivateKey.from_private_bytes(private).public_key().public_bytes_raw()


def reference_code(record_id: str) -> str:
    """An 8-character code a person can read over the phone, "XXXX-XXXX".

    Crockford base32 leaves out I, L, O and U, so the code survives being read aloud and
    written by hand. 40 bits of a hash make two records of one commune sharing a code unlikely,
    and the code only finds a record; the QR receipt is what proves it.
    """
    number = int.from_bytes(sha256(record_id.encode("utf-8")).digest()[:5], "big")
    chars = [CROCKFORD[(number >> shift) & 31] for shift in range(35, -1, -5)]
    return "".join(chars[:4]) + "-" + "".join(chars[4:])


def answers_digest(answers: dict[str, Any]) -> str:
    """SHA-256 of the answers in one canonical JSON form, to compare a synced record with a
    receipt that carries only the digest."""
    canonical = json.dumps(answers, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return sha256(canonical.encode("utf-8")).hexdigest()


def make_receipt(
    *,
    form_id: str,
    form_version: str,
    record_id: str,
    answers: dict[str, Any],
    device_id: str,
    private_key: bytes,
    signed_at: datetime,
) -> str:
    """The text to put in the declaration's QR code.

    `signed_at` must carry a time zone, so the receipt names the same instant in any office,
    and it is kept to the second because finer precision only lengthens the code. `answers`
    must be JSON values, as the form engine stores them.
    """
    if signed_at.utcoffset() is None:
        raise ValueError("signed_at needs a time zone")
    common = {
        "f": form_id,
        "v": form_version,
        "r": record_id,
        "d": device_id,
        "t": signed_at.isoformat(timespec="seconds"),
    }
    key = Ed25519PrivateKey.from_private_bytes(private_key)
    full = _signed({**common, "a": answers}, key)
    if len(full) <= MAX_RECEIPT_CHARS:
        return full
    return _signed({**common, "h": answers_digest(answers)}, key)


def _signed(payload: dict[str, Any], key: Ed25519PrivateKey) -> str:
    body = json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    signed = bytes([FORMAT_VERSION]) + zlib.compress(body.encode("utf-8"), 9)
    raw = signed + key.sign(signed) + key.public_key().public_bytes_raw()
    return PREFIX + base45.encode(raw)


def verify_receipt(text: str, trusted_keys: Mapping[str, bytes] | None = None) -> Receipt:
    """Check a scanned receipt and decode it, or raise ReceiptError saying why it is refused.

    Scanners add line endings and some send lower case; base45 has no lower case and never
    ends with a space, so stripping and upper-casing cannot turn a good receipt bad.
    `trusted_keys` maps device ids to their enrolled public keys; without it a receipt is only
    known to be unaltered since some key signed it.
    """
    text = text.strip().upper()
    if not text.startswith(PREFIX):
        raise ReceiptError("not_receipt", tr("Đây không phải mã biên nhận của FieldKit."))
    if len(text) > len(PREFIX) + MAX_SCANNED_CHARS:
        raise ReceiptError("too_large",
                           tr("Mã quá dài so với một mã QR; đây không phải biên nhận."))
    try:
        raw = base45.decode(text[len(PREFIX):])
    except ValueError:
        raise ReceiptError(
            "damaged", tr("Mã biên nhận bị hỏng, không đọc được. Hãy quét lại mã QR.")
        ) from None
    if len(raw) < 1 + SIGNATURE_BYTES + PUBLIC_KEY_BYTES:
        raise ReceiptError("damaged", tr("Mã biên nhận bị cắt ngắn. Hãy quét lại mã QR."))
    if raw[0] != FORMAT_VERSION:
        raise ReceiptError(
            "version",
            tr("Biên nhận dùng định dạng phiên bản {version}, phần mềm này chưa đọc được. "
               "Hãy cập nhật FieldKit.").format(version=raw[0]),
        )
    signed = raw[: -SIGNATURE_BYTES - PUBLIC_KEY_BYTES]
    signature = raw[len(signed):-PUBLIC_KEY_BYTES]
    public_key = raw[-PUBLIC_KEY_BYTES:]
    try:
        Ed25519PublicKey.from_public_bytes(public_key).verify(signature, signed)
    except InvalidSignature:
        raise ReceiptError(
            "signature",
            tr("Chữ ký của biên nhận không hợp lệ: nội dung đã bị sửa hoặc mã bị hỏng."),
        ) from None
    payload = _inflate(signed[1:])
    receipt = _receipt_from(payload, public_key)
    if trusted_keys is not None and trusted_keys.get(receipt.device_id) != public_key:
        raise ReceiptError(
            "untrusted",
            tr("Biên nhận không được ký bằng khóa đã đăng ký của thiết bị «{device}»; không "
               "thể xác nhận nguồn gốc.").format(device=receipt.device_id),
        )
    return receipt


def _inflate(compressed: bytes) -> bytes:
    """Decompress with a hard output bound: a signature proves nothing about size, since
    anyone can sign a bomb with a key of their own."""
    inflater = zlib.decompressobj()
    try:
        body = inflater.decompress(compressed, MAX_PAYLOAD_BYTES + 1)
    except zlib.error:
        raise ReceiptError("fields", tr("Nội dung biên nhận không giải nén được.")) from None
    if len(body) > MAX_PAYLOAD_BYTES or inflater.unconsumed_tail:
        raise ReceiptError(
            "too_large",
            tr("Nội dung biên nhận lớn hơn {size} KiB; biên nhận bị từ chối."
               ).format(size=MAX_PAYLOAD_BYTES // 1024),
        )
    if not inflater.eof or inflater.unused_data:
        raise ReceiptError("fields", tr("Nội dung biên nhận không giải nén được."))
    return body


def _receipt_from(body: bytes, public_key: bytes) -> Receipt:
    """Build the Receipt, refusing a signed payload that lacks a field or has the wrong type;
    a well-signed receipt from a faulty or foreign program must still not crash the reader."""
    try:
        payload = json.loads(body.decode("utf-8"))
    except ValueError:
        raise ReceiptError("fields", tr("Nội dung biên nhận không đúng cấu trúc.")) from None
    if not isinstance(payload, dict):
        raise ReceiptError("fields", tr("Nội dung biên nhận không đúng cấu trúc."))
    missing = [name for key, name in _FIELDS.items() if not isinstance(payload.get(key), str)]
    answers = payload.get("a")
    digest = payload.get("h")
    if not isinstance(answers, dict) and not isinstance(digest, str):
        missing.append("answers")
    if missing:
        raise ReceiptError(
            "fields", tr("Biên nhận thiếu hoặc sai trường: {fields}.").format(
                fields=", ".join(missing))
        )
    try:
        signed_at = datetime.fromisoformat(payload["t"])
    except ValueError:
        raise ReceiptError("fields", tr("Biên nhận có thời điểm ký không hợp lệ.")) from None
    return Receipt(
        form_id=payload["f"],
        form_version=payload["v"],
        record_id=payload["r"],
        answers=answers if isinstance(answers, dict) else None,
        answers_sha256=answers_digest(answers) if isinstance(answers, dict) else digest,
        device_id=payload["d"],
        signed_at=signed_at,
        public_key=public_key,
        reference=reference_code(payload["r"]),
    )
