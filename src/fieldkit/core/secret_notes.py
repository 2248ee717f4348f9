"""Passwords, OTPs, passcodes and security answers never enter FieldKit.

During VNeID activation the citizen chooses a password (8–20 characters with upper- and
lower-case letters, a digit and a special character), a 6-digit passcode and two security
questions, and receives an OTP by SMS. She types all of them on her own phone. A volunteer who
writes one "to help her remember" puts the account at risk and keeps data that Decree
13/2023/NĐ-CP does not allow us to hold, so free text that looks like such a secret is refused
with an explanation, wherever it is typed.

False alarms would teach volunteers to ignore the message, so a number is only taken for a
secret when a keyword (OTP, mật khẩu, passcode, mã PIN, …) stands right before it, and the
keyword alone ("đã hướng dẫn cách nhận OTP") is fine. Phone numbers, ID numbers, dates, times,
amounts and house numbers have no such keyword and a digit count or shape no secret has. The only
check without a keyword is a single token shaped like a VNeID password, which needs upper and
lower case, a digit and a special character together: names, addresses and card numbers never do.

Keywords are matched on a folded copy (no diacritics, lower case) that keeps every character in
place, so what follows a keyword is still read in its original case and punctuation.

Kept free of Qt and third-party imports, like `cccd`, so the server can run the same check.
"""

from __future__ import annotations

import re
import unicodedata

from fieldkit.core.errors import FieldError
from fieldkit.core.folding import fold
from fieldkit.core.i18n import tr


def message(kind: str) -> str:
    """Worded when refused, so it is in the language of whoever reads it."""
    what = {
        "otp": tr("Nội dung có vẻ chứa mã OTP / mã xác thực."),
        "password": tr("Nội dung có vẻ chứa mật khẩu."),
        "passcode": tr("Nội dung có vẻ chứa passcode hoặc mã PIN."),
        "security": tr("Nội dung có vẻ chứa câu hỏi hoặc câu trả lời bảo mật."),
    }[kind]
    why = tr("Theo Nghị định 13/2023/NĐ-CP và để giữ an toàn tài khoản VNeID, người dân tự "
             "nhập mật khẩu, mã OTP và passcode trên điện thoại của mình; không ai được ghi lại "
             "các mã này, kể cả để giúp bà con nhớ. Hãy xoá phần đó rồi lưu lại.")
    return f"{what} {why}"


_ORDER = ("otp", "password", "passcode", "security")

# Between a keyword and its value: punctuation and a few short words ("mã OTP của bà là ...").
_WORDS = (
    r"\b(?:la|so|cua|ba|ong|anh|chi|em|moi|vua|nhan|duoc|gui|ve|sms|tin|dang|nhap|vneid|cu)\b"
)
_GAP = r"(?:[\s:=\-–—.,\"'“”()]|" + _WORDS + r")*"
# An explicit "here comes the value": needed where the keyword is also an everyday word.
_SAYS = r"\s*(?:[:=]|\bla\b)\s*"
# 4–8 digits, possibly typed in groups ("4829 13"), and not part of a longer number, a date,
# a time ("8h30") or an amount ("1.200.000").
_CODE = (
    r"(?<![\w./:,])(?<!\d[ -])(?P<code>\d+(?:[ -]\d+)*)(?![ -]?\d)(?!\w)(?![./:,]\d)"
)

_OTP = re.compile(
    r"(?:\b(?:ma\s+)?otp\b|\bma\s+xac\s+(?:thuc|nhan)\b)" + _GAP + _CODE
)
_PASSCODE = re.compile(r"(?:\b(?:ma\s+)?passcode\b|\bma\s+pin\b)" + _GAP + _CODE)
# "pin" alone is also a battery ("pin 5000 mAh"): only with an explicit ":" or "là".
_PIN = re.compile(r"\bpin" + _SAYS + _CODE)
_PASSWORD = re.compile(
    r"\b(?:mat\s+khau|password|passwd|pass|pwd|mk)\b" + _GAP
    + r"(?!" + _WORDS + r")(?P<token>[^\s\"'“”]+)"
)
_SECURITY = re.compile(
    r"\b(?:cau\s+(?:hoi|tra\s+loi)\s+bao\s+mat|security\s+(?:answer|question))"
    r"(?:\s*(?:so\s*)?[12])?\s*(?:[:=\-–]|\bla\b)\s*(?P<answer>[^\s?.!,;].*)"
)
# Where every pattern above starts: a server checks tens of thousands of names, addresses and
# notes a push, nearly all without any of these, and one search rules the patterns out.
_ANY_KEYWORD = re.compile(
    r"otp|ma\s+xac|passcode|pin|mat\s+khau|pass|pwd|mk|cau\s+(?:hoi|tra)|security")
_NOT_AN_ANSWER = re.compile(r"(?:gi|nao|the\s+nao|sao)\b.*|\W*")
_EMAIL_OR_URL = re.compile(r"[^@\s]+@[^@\s]+\.[a-z]{2,}|.*://.*|www\..*", re.IGNORECASE)
_WRAPPING = "\"'“”‘’«»()[]{}<>"
_SENTENCE_END = ".,;:"


class _AlignedFolds(dict[int, str]):
    """Each character's fold, worked out the first time `str.translate` meets it: a fold of
    more than one character (a ligature) keeps the character, so positions stay aligned."""

    def __missing__(self, code: int) -> str:
        folded = fold(chr(code))
        folded = folded if len(folded) == 1 else chr(code)
        if len(self) < _MOST_FOLDS:  # text from anyone must not grow the table for ever
            self[code] = folded
        return folded


_MOST_FOLDS = 8192


_ALIGNED_FOLDS = _AlignedFolds()


def _aligned_fold(text: str) -> str:
    """`fold` character by character: same length as `text`, so a match's span is valid in
    both. Letters lose case and diacritics ("Đ" -> "d"); everything else is kept. A table
    lookup in C per character: a server checks every name of every pushed row."""
    return text.translate(_ALIGNED_FOLDS)


def _looks_like_password(token: str) -> bool:
    """8–20 characters mixing upper, lower, digit and special, as VNeID requires."""
    token = token.strip(_WRAPPING).rstrip(_SENTENCE_END).strip(_WRAPPING)
    if not 8 <= len(token) <= 20 or _EMAIL_OR_URL.fullmatch(token):
        return False
    return (any(c.isupper() for c in token) and any(c.islower() for c in token)
            and any(c.isdigit() for c in token) and any(not c.isalnum() for c in token))


def _password_value(token: str) -> bool:
    """What follows "mật khẩu"/"mk"/"pass": a password has a digit, a symbol or mixed case;
    an ordinary next word ("mật khẩu của bà đã đổi") has none of them."""
    token = token.strip(_WRAPPING).rstrip(_SENTENCE_END).strip(_WRAPPING)
    if len(token) < 4 or _EMAIL_OR_URL.fullmatch(token):
        return False
    has_digit = any(c.isdigit() for c in token)
    mixed_case = any(c.isupper() for c in token[1:]) and any(c.islower() for c in token)
    # A symbol alone is not enough: "v.v." or "(xem" are words, not passwords.
    return has_digit or mixed_case


def _digits(code: str) -> int:
    return sum(c.isdigit() for c in code)


def find_secrets(text: str) -> list[str]:
    """Why `text` may not be stored (Vietnamese, one message per kind of secret); empty if clean.
    """
    original = unicodedata.normalize("NFC", text)
    folded = _aligned_fold(original)
    found: set[str] = set()
    if _ANY_KEYWORD.search(folded):
        found |= _keyword_secrets(original, folded)
    # A VNeID password has a digit and a symbol: text without both (most names, addresses,
    # ID and phone numbers) skips this.
    if not original.isalnum() and any(map(str.isdigit, original)) and any(
            _looks_like_password(token) for token in original.split()):
        found.add("password")
    return [message(kind) for kind in _ORDER if kind in found]


def _keyword_secrets(original: str, folded: str) -> set[str]:
    """The kinds of secret a keyword in `folded` introduces (see the module docstring)."""
    found: set[str] = set()
    if any(4 <= _digits(m["code"]) <= 8 for m in _OTP.finditer(folded)):
        found.add("otp")
    codes = [*_PASSCODE.finditer(folded), *_PIN.finditer(folded)]
    if any(4 <= _digits(m["code"]) <= 8 for m in codes):
        found.add("passcode")
    for m in _PASSWORD.finditer(folded):
        token = original[m.start("token"):m.end("token")]
        # Rules about passwords ("mật khẩu 8-20 ký tự") are not passwords.
        if re.fullmatch(r"\d{1,2}\s*[-–]\s*\d{1,2}", token):
            continue
        if _password_value(token):
            found.add("password")
    for m in _SECURITY.finditer(folded):
        if not _NOT_AN_ANSWER.fullmatch(m["answer"].strip()):
            found.add("security")
    return found


def refuse_secrets(field: str, text: str) -> None:
    """Raise FieldError for `field` if `text` looks like it holds a password, OTP, passcode
    or security answer."""
    if messages := find_secrets(text):
        raise FieldError(field, messages)


def refuse_secrets_in_answer(path: str, value: str) -> None:
    """`refuse_secrets` for a form answer at `path` (e.g. "members[0].phone").

    `save_answer` does not know the field's type, so every string answer is checked except
    those whose last path part ends with "id_number" or "phone": those fields hold numbers with
    their own validators, never free text, and the issue requires no false alarm on phone or ID
    numbers entered in their own fields: whatever odd text is typed there, the field's own
    validator is the one to explain it, not a message about passwords."""
    last = re.sub(r"\[\d+\]$", "", path.rsplit(".", 1)[-1])
    if last.endswith(("id_number", "phone")):
        return
    refuse_secrets(path, value)
