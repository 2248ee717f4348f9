"""The laptop's record that its commune revoked it ("remote disable").

When the commune IT officer revokes a laptop (lost, stolen, or a volunteer who left), the
server tells the laptop so at its next contact, and only that laptop: the answer goes to the
holder of the revoked token alone. The laptop then writes the mark below into its own
encrypted metadata and forgets its device token, in one transaction, and from then on the app
and the command line refuse normal use of the store.

Nothing else is touched: households, the outbox and a batch saved for sending all stay, still
encrypted. Field data is irreplaceable and a laptop may be revoked by mistake, so the way back
is the way in: the officer readmits the laptop and gives a new enrolment code; enrolling with
it at the same server clears the mark (in the transaction that keeps the new token) and the
kept work syncs as if nothing had happened.

Qt-free and network-free: the sync client writes the mark, the GUI and the CLI read it.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, event
from sqlmodel import Session

from fieldkit.core.columns import as_utc, utcnow
from fieldkit.core.i18n import tr
from fieldkit.core.outbox import local_meta
from fieldkit.core.store import Store, StoreError

REVOKED = "revoked"
REASON_KEY = "disabled_reason"
AT_KEY = "disabled_at"  # when the commune revoked the laptop, by the server's clock
NOTICED_KEY = "disabled_noticed_at"  # when the laptop learned of it
SERVER_KEY = "disabled_server_url"
MARK_KEYS = (REASON_KEY, AT_KEY, NOTICED_KEY, SERVER_KEY)
# What the laptop forgets: a revoked token opens nothing, and a lost laptop should not carry it.
TOKEN_KEYS = ("device_token", "token_expires_at")


class StoreDisabled(StoreError):
    """The store of a revoked laptop, opened for anything but enrolling again."""


@dataclass(frozen=True)
class Revocation:
    reason: str
    revoked_at: datetime | None  # aware UTC; None if the server did not say
    noticed_at: datetime  # aware UTC
    server_url: str
    commune: str  # the commune's name as the server gave it at enrolment ("" if unknown)

    def message(self) -> str:
        """Vietnamese, as the volunteer reads it: what happened, when, where, and what next."""
        return disabled_message(self.revoked_at or self.noticed_at, self.server_url)


def local_time(moment: datetime) -> str:
    """A UTC instant as the laptop's wall clock shows it, e.g. "14:05 ngày 03/11/2025"."""
    return as_utc(moment).astimezone().strftime(tr("%H:%M ngày %d/%m/%Y"))


def disabled_message(revoked_at: datetime | None, server_url: str) -> str:
    when = local_time(revoked_at) if revoked_at else tr("không rõ giờ")
    return tr("Máy này đã bị cán bộ xã vô hiệu hóa (thu hồi quyền đồng bộ) lúc {when}, trên "
              "máy chủ {server}. Dữ liệu chưa gửi vẫn được giữ nguyên, mã hóa trên máy này. Hãy "
              "gặp cán bộ kỹ thuật của xã để được cho phép đăng ký lại, rồi đăng ký lại máy bằng "
              "mã đăng ký mới.").format(when=when, server=server_url or "?")


def revocation_of(store: Store) -> Revocation | None:
    """The mark, if this store's laptop was revoked (and not enrolled again since)."""
    meta = store.meta
    reason = meta.get(REASON_KEY)
    if not reason:
        return None
    return Revocation(reason=reason, revoked_at=_time(meta.get(AT_KEY)),
                      noticed_at=_time(meta.get(NOTICED_KEY)) or utcnow(),
                      server_url=meta.get(SERVER_KEY, ""),
                      commune=meta.get("server_commune", ""))


def refuse_if_disabled(store: Store) -> None:
    """StoreDisabled, with the whole story, when the store may not be used as it is."""
    found = revocation_of(store)
    if found is not None:
        raise StoreDisabled(found.message())


def mark_revoked(store: Store, server_url: str, revoked_at: datetime | None) -> Revocation:
    """Write the mark and forget the device token, in one transaction. A second call (two
    requests answered "revoked") keeps the first mark. The practice store never syncs, so it
    is never marked."""
    if store.is_demo:
        raise StoreError(tr("Dữ liệu thực hành không bao giờ đồng bộ nên không bị thu hồi."))
    existing = revocation_of(store)
    if existing is not None:
        return existing
    values = {REASON_KEY: REVOKED, NOTICED_KEY: utcnow().isoformat(), SERVER_KEY: server_url}
    if revoked_at is not None:
        values[AT_KEY] = as_utc(revoked_at).isoformat()
    with store.write() as session:
        forget_meta(store, session, TOKEN_KEYS)
        store.set_meta(session, values)
    found = revocation_of(store)
    assert found is not None
    return found


def clear_mark(store: Store, session: Session) -> None:
    """Lift the mark inside the caller's transaction (the one keeping the new token)."""
    forget_meta(store, session, MARK_KEYS)


def forget_meta(store: Store, session: Session, keys: Iterable[str]) -> None:
    """Delete laptop settings inside the caller's transaction; `store.meta` follows on commit.
    The store runs with `secure_delete`, so a forgotten token is overwritten on disk."""
    keys = tuple(keys)
    session.connection().execute(delete(local_meta).where(local_meta.c.key.in_(keys)))

    @event.listens_for(session, "after_commit", once=True)
    def _forget(_session: Session) -> None:
        for key in keys:
            store.meta.pop(key, None)


def _time(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return as_utc(datetime.fromisoformat(value))
    except ValueError:
        return None
