"""Who uses this laptop and for which commune: set once at first launch."""

from dataclasses import dataclass

from sqlmodel import Session, select

from fieldkit.core.communes import commune
from fieldkit.core.errors import FieldError
from fieldkit.core.i18n import tr
from fieldkit.core.ids import commune_id
from fieldkit.core.models import Commune, Volunteer
from fieldkit.core.phone import normalize_phone, validate_phone
from fieldkit.core.store import Store


@dataclass(frozen=True)
class Profile:
    volunteer_id: str
    volunteer_name: str
    commune_id: str
    commune_name: str
    province_name: str


def set_up_profile(store: Store, full_name: str, phone: str, commune_code: int) -> Profile:
    """Record the volunteer and the commune they serve, in one transaction."""
    full_name = " ".join(full_name.split())
    if not full_name:
        raise FieldError("full_name", [tr("Hãy nhập họ và tên tình nguyện viên.")])
    if phone.strip() and (problems := validate_phone(phone)):
        raise FieldError("phone", problems)
    info = commune(commune_code)
    with store.write() as session:
        row = session.exec(select(Commune).where(Commune.code == info.code)).first()
        if row is None:
            row = Commune(id=commune_id(info.code), code=info.code, name=info.name,
                          province_code=info.province_code,
                          province_name=info.province_name)
            session.add(row)
        volunteer = Volunteer(full_name=full_name, commune_id=row.id,
                              phone=normalize_phone(phone) if phone.strip() else None)
        session.add(volunteer)
        session.flush()
        store.set_meta(session, {"volunteer_id": volunteer.id, "commune_id": row.id})
        return _profile(session, volunteer.id)


def load_profile(store: Store) -> Profile | None:
    """The laptop's profile, or None before setup (e.g. a store made by `--smoke-test`)."""
    volunteer_id = store.meta.get("volunteer_id")
    if volunteer_id is None:
        return None
    with store.read() as session:
        return _profile(session, volunteer_id)


def _profile(session: Session, volunteer_id: str) -> Profile:
    volunteer = session.get(Volunteer, volunteer_id)
    assert volunteer is not None, "local_meta names a volunteer the store does not hold"
    row = session.get(Commune, volunteer.commune_id)
    assert row is not None
    return Profile(volunteer.id, volunteer.full_name, row.id, row.name, row.province_name)
