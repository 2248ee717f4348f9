"""Admin accounts for the commune's web pages and their scrypt password hashes.

scrypt from the standard library keeps the server free of native password-hashing packages;
the parameters are stored with each hash so they can be raised later without breaking logins.
"""

import hashlib
import hmac
import secrets

from sqlalchemy import Engine, insert, select

from fieldkit.core.columns import utcnow
from fieldkit_server.audit import CLI_ACTOR, write_audit
from fieldkit_server.db import reading, writing
from fieldkit_server.tables import admin

_N, _R, _P = 2**14, 8, 1
MIN_PASSWORD_LENGTH = 10


class AdminError(ValueError):
    """An admin account that cannot be made; the message is for the person at the keyboard."""


def hash_password(password: str) -> str:
    salt = secrets.token_bytes(16)
    key = hashlib.scrypt(password.encode(), salt=salt, n=_N, r=_R, p=_P)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${key.hex()}"


def password_matches(password: str, stored: str) -> bool:
    try:
        kind, n, r, p, salt, key = stored.split("$")
        if kind != "scrypt":
            return False
        computed = hashlib.scrypt(password.encode(), salt=bytes.fromhex(salt), n=int(n),
                                  r=int(r), p=int(p), maxmem=64 * 1024 * 1024)
    except ValueError:
        return False
    return hmac.compare_digest(computed.hex(), key)


def create_admin(engine: Engine, username: str, password: str,
                 actor: str = CLI_ACTOR) -> None:
    username = username.strip()
    if not username or len(username) > 64:
        raise AdminError("Tên đăng nhập phải có từ 1 đến 64 ký tự.")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AdminError(f"Mật khẩu phải có ít nhất {MIN_PASSWORD_LENGTH} ký tự.")
    with writing(engine) as conn:
        if conn.execute(select(admin.c.username).where(admin.c.username == username)).first():
            raise AdminError(f"Đã có tài khoản quản trị “{username}”.")
        conn.execute(insert(admin).values(username=username, password_hash=hash_password(password),
                                          created_at=utcnow(), disabled=False))
        write_audit(conn, actor, "create_admin", username)


def check_admin_password(engine: Engine, username: str, password: str) -> bool:
    """True only for an enabled admin with this password. A missing user still costs one
    scrypt, so response times do not tell which user names exist."""
    with reading(engine) as conn:
        row = conn.execute(select(admin).where(admin.c.username == username)).first()
    if row is None or row.disabled:
        hash_password(password)
        return False
    return password_matches(password, row.password_hash)
