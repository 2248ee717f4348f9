"""The trainer's demo sandbox: a made-up commune to practise on, reset in seconds.

Trainers teach volunteers with the real app, so the sandbox is a real encrypted store, opened
through the same code as a volunteer's, but kept in its own directory (`demo_data_dir`) so that
nothing done in class can touch field data. The store is marked demo when it is created, before
any row exists, and the store's stamping then flags every row it writes `demo`: sync refuses
those rows on both ends.

Everything in it is synthetic: a volunteer profile for a real mountain commune, about 200
households from `synthetic` with a fixed seed, and four prepared households, one for each
situation a trainer wants to show (`scenarios`). The same `today` always gives the same
content, apart from ids and timestamps.

A seed is complete only once its last step has marked it so; a sandbox without that mark (the
laptop was closed mid-seed) is thrown away and seeded again on the next open.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlmodel import select

from fieldkit.core import paths
from fieldkit.core.communes import CommuneInfo, communes
from fieldkit.core.consent import ConsentInput, required_givers
from fieldkit.core.households import update_household, villages
from fieldkit.core.models import Household, Person
from fieldkit.core.people import add_person, create_household, update_person
from fieldkit.core.profile import Profile, set_up_profile
from fieldkit.core.store import Store, StoreError, WrongPassphrase
from fieldkit.core.synthetic import MOUNTAIN_PREFIX, populate, populate_commune_list

# The sandbox's files are encrypted like any store's, but with this fixed, published
# passphrase: the trainer has nothing to type, and there is nothing to protect, since every
# name, ID number and phone number in it is synthetic.
DEMO_PASSPHRASE = "fieldkit-demo-khong-co-du-lieu-that"

SEED = 2025
HOUSEHOLDS = 200
VILLAGES = 6
# Households on the commune's list that nobody has visited yet: the work still to do.
UNVISITED_LISTED = 60
# A H'Mông and Thái commune in Điện Biên, looked up by name: codes are the package's business.
COMMUNE_NAME = "Xã Tủa Chùa"
PROVINCE_NAME = "Điện Biên"
# Circular 07/2016 code of Điện Biên, where the prepared people registered their births.
BIRTH_PROVINCE = "011"
VOLUNTEER_NAME = "Lò Thị Ánh"
VOLUNTEER_PHONE = "0389123456"

SEEDED_KEY = "demo_seeded"
SCENARIO_KEY = "demo_scenario:"

Progress = Callable[[int], None]


@dataclass(frozen=True)
class Scenario:
    """A prepared situation: who to open (`person_id` in `household_id`) and which guide to
    walk them through. For the newborn the person is the mother, who files for the baby."""

    id: str
    title: dict[str, str]
    description: dict[str, str]
    guide_id: str
    household_id: str
    person_id: str


@dataclass(frozen=True)
class _Member:
    relation: str
    full_name: str
    gender: str
    ethnicity: str
    age: int
    # Days before the last birthday, so that the age stays exact whatever `today` is.
    days: int
    # The six random digits of a chip ID card number; None: no card yet.
    id_serial: str | None = None
    phone: str | None = None
    has_smartphone: bool | None = None
    phone_has_nfc: bool | None = None
    phone_in_own_name: bool | None = None
    vneid_status: str = "none"


@dataclass(frozen=True)
class _Prepared:
    id: str
    title: dict[str, str]
    description: dict[str, str]
    guide_id: str
    members: tuple[_Member, ...]  # the head first
    subject: int  # index of the member the scenario is about


PREPARED: tuple[_Prepared, ...] = (
    _Prepared(
        id="grandmother_no_smartphone",
        title={"vi": "Bà cụ không có điện thoại thông minh",
               "en": "Grandmother without a smartphone"},
        description={
            "vi": "Bà Sùng Thị Súa, 72 tuổi, có thẻ căn cước gắn chip nhưng không có điện "
                  "thoại thông minh. Hãy mở hướng dẫn đăng ký VNeID mức 1 và xem cần làm gì "
                  "trong trường hợp này.",
            "en": "Mrs Sùng Thị Súa, 72, has a chip ID card but no smartphone. Open the VNeID "
                  "level-1 guide and see what to do in this case.",
        },
        guide_id="register_level1",
        members=(
            _Member("head", "Sùng Thị Súa", "female", "H'Mông", 72, 95, id_serial="004817",
                    has_smartphone=False),
            _Member("child", "Giàng A Páo", "male", "H'Mông", 46, 210, id_serial="102563",
                    phone="0352718406", has_smartphone=True, phone_has_nfc=True,
                    phone_in_own_name=True, vneid_status="level2"),
        ),
        subject=0,
    ),
    _Prepared(
        id="phone_no_nfc",
        title={"vi": "Điện thoại không có NFC", "en": "Phone without NFC"},
        description={
            "vi": "Anh Lò Văn Pánh, 40 tuổi, có điện thoại thông minh đứng tên mình nhưng máy "
                  "không có NFC để đọc chip thẻ căn cước. Hãy đi theo hướng dẫn đăng ký mức 1 "
                  "đến bước xác thực bằng mã QR trên thẻ.",
            "en": "Mr Lò Văn Pánh, 40, has a smartphone in his own name, but it has no NFC to "
                  "read the ID card's chip. Follow the level-1 guide to the step that uses the "
                  "card's QR code instead.",
        },
        guide_id="register_level1",
        members=(
            _Member("head", "Lò Văn Pánh", "male", "Thái", 40, 130, id_serial="351290",
                    phone="0967305128", has_smartphone=True, phone_has_nfc=False,
                    phone_in_own_name=True),
            _Member("spouse", "Cầm Thị Xiêm", "female", "Thái", 37, 48, id_serial="220714"),
        ),
        subject=0,
    ),
    _Prepared(
        id="newborn",
        title={"vi": "Trẻ sơ sinh cần đăng ký khai sinh",
               "en": "Newborn who needs a birth registration"},
        description={
            "vi": "Chị Lường Thị Ngần sinh con trai được 20 ngày, chưa đăng ký khai sinh cho "
                  "bé. Chị có tài khoản VNeID mức 2: hãy hướng dẫn chị nộp hồ sơ liên thông "
                  "khai sinh – thường trú – thẻ BHYT.",
            "en": "Mrs Lường Thị Ngần had a baby boy 20 days ago and has not registered the "
                  "birth yet. She has a level-2 VNeID account: guide her through the combined "
                  "birth, residence and health card file.",
        },
        guide_id="birth_combined_under6",
        members=(
            _Member("head", "Quàng Văn Inh", "male", "Thái", 28, 160, id_serial="530862",
                    phone="0334916270", has_smartphone=True, phone_has_nfc=True,
                    phone_in_own_name=True, vneid_status="level2"),
            _Member("spouse", "Lường Thị Ngần", "female", "Thái", 25, 75, id_serial="648203",
                    phone="0825473619", has_smartphone=True, phone_has_nfc=True,
                    phone_in_own_name=True, vneid_status="level2"),
            _Member("child", "Quàng Văn Biên", "male", "Thái", 0, 20),
        ),
        subject=1,
    ),
    _Prepared(
        id="number_not_own_name",
        title={"vi": "Số điện thoại không chính chủ",
               "en": "Phone number not in her own name"},
        description={
            "vi": "Chị Triệu Thị Mẩy, 30 tuổi, có điện thoại thông minh có NFC, nhưng số thuê "
                  "bao đứng tên chồng. Hãy xem hướng dẫn đăng ký mức 1 nói gì khi số điện "
                  "thoại không chính chủ.",
            "en": "Mrs Triệu Thị Mẩy, 30, has a smartphone with NFC, but her SIM is registered "
                  "in her husband's name. See what the level-1 guide says when the number is "
                  "not in the citizen's own name.",
        },
        guide_id="register_level1",
        members=(
            _Member("head", "Bàn Văn Lở", "male", "Dao", 33, 301, id_serial="417925",
                    phone="0975284061", has_smartphone=True, phone_has_nfc=False,
                    phone_in_own_name=True, vneid_status="level1"),
            _Member("spouse", "Triệu Thị Mẩy", "female", "Dao", 30, 12, id_serial="786134",
                    phone="0396027745", has_smartphone=True, phone_has_nfc=True,
                    phone_in_own_name=False),
        ),
        subject=1,
    ),
)

def demo_data_dir(data_dir: Path) -> Path:
    """The sandbox's own directory: its files never sit beside the real store's."""
    return data_dir / "demo"


def demo_commune() -> CommuneInfo:
    found = [c for c in communes().values()
             if c.name == COMMUNE_NAME and c.province_name == PROVINCE_NAME]
    if len(found) != 1:
        raise LookupError(f"vietnam-provinces has no single {COMMUNE_NAME}, {PROVINCE_NAME} "
                          f"(found {len(found)}); choose another commune for the demo")
    return found[0]


def open_demo(data_dir: Path, today: date | None = None,
              progress: Progress | None = None) -> Store:
    """The sandbox, seeded first when it is missing or its seed never finished.

    Ages are counted to `today` (the real date by default) when seeding; a sandbox already
    there keeps the day it was seeded until it is reset. `progress` gets a rising percentage
    while seeding, nothing when the sandbox is already there; raising from it cancels, and the
    next call seeds again from the start.
    """
    directory = demo_data_dir(data_dir)
    if paths.store_exists(directory):
        try:
            store = Store.open(directory, DEMO_PASSPHRASE)
        except WrongPassphrase as exc:
            raise StoreError(
                f"Thư mục {directory} chứa dữ liệu không phải của chế độ thực hành. Hãy chuyển "
                "thư mục này đi nơi khác rồi mở lại chế độ thực hành."
            ) from exc
        if not store.is_demo:
            store.close()
            raise StoreError(f"Dữ liệu trong {directory} không phải dữ liệu thực hành; "
                             "FieldKit không dùng nó làm chế độ thực hành.")
        if SEEDED_KEY in store.meta:
            return store
        store.close()
    return _seed(directory, today or date.today(), progress)


def reset_demo(store: Store, today: date | None = None,
               progress: Progress | None = None) -> Store:
    """Close the sandbox, bring back the freshly seeded state and return it opened again.

    It seeds anew rather than copying a saved snapshot: that takes about a second, and the
    ages (the newborn's 20 days) are counted to the day of the reset. `store` is closed
    whatever happens; after a failure or cancel, `open_demo` seeds again.
    Refuses any store that is not the sandbox: a trainer must never wipe field data.
    """
    if not store.is_demo:
        raise ValueError("Chỉ đặt lại được dữ liệu thực hành, không bao giờ dữ liệu thật.")
    store.close()
    return _seed(store.data_dir, today or date.today(), progress)


def scenarios(store: Store) -> list[Scenario]:
    """The prepared situations still present (a trainer may have removed a person in class;
    it comes back on reset). Empty for a store that is not the sandbox."""
    found: list[Scenario] = []
    with store.read() as session:
        for prepared in PREPARED:
            person_id = store.meta.get(SCENARIO_KEY + prepared.id)
            person = session.get(Person, person_id) if person_id else None
            if person is None or person.deleted:
                continue
            found.append(Scenario(prepared.id, prepared.title, prepared.description,
                                  prepared.guide_id, person.household_id, person.id))
    return found


# -- seeding ----------------------------------------------------------------------------------


def _seed(directory: Path, today: date, progress: Progress | None) -> Store:
    """A new sandbox in `directory`, replacing whatever was there.

    The key file goes first: without it the directory no longer counts as a store, so an
    interruption from here on is cleaned up by the next `Store.create`.
    """
    report = progress or (lambda _percent: None)
    paths.key_path(directory).unlink(missing_ok=True)
    store = Store.create(directory, DEMO_PASSPHRASE, demo=True)
    try:
        report(5)
        profile = set_up_profile(store, VOLUNTEER_NAME, VOLUNTEER_PHONE, demo_commune().code)
        report(10)
        populate(store, profile, SEED, HOUSEHOLDS, VILLAGES, as_of=today,
                 progress=lambda written: report(10 + 75 * written // HOUSEHOLDS))
        for number, prepared in enumerate(PREPARED, start=1):
            _add_prepared(store, profile, prepared, today, number)
            report(85 + 10 * number // len(PREPARED))
        populate_commune_list(store, profile, SEED + 1, UNVISITED_LISTED, as_of=today)
        with store.write() as session:
            store.set_meta(session, {SEEDED_KEY: today.isoformat()})
        report(100)
    except BaseException:
        store.close()
        raise
    return store


def _add_prepared(store: Store, profile: Profile, prepared: _Prepared, today: date,
                  number: int) -> None:
    """One scenario household, entered the way a volunteer enters one: consent first (a
    parent's for a child), then field by field through `update_person`."""
    with store.write() as session:
        hamlets = [v for v in villages(session, profile.commune_id)
                   if v.name.startswith(MOUNTAIN_PREFIX)]
        village = hamlets[(number - 1) % len(hamlets)]
        # The next house number in the hamlet, after those `populate` gave out.
        house = 1 + len(session.exec(
            select(Household.id).where(Household.village_id == village.id)).all())
        head = prepared.members[0]
        household, head_row = create_household(session, village.id, profile.volunteer_id,
                                                _consent(head, head, today))
        ids = [head_row.id]
        for member in prepared.members[1:]:
            row = add_person(session, household.id, profile.volunteer_id,
                             _consent(member, head, today), member.relation)
            ids.append(row.id)
        for member, person_id in zip(prepared.members, ids, strict=True):
            for field, value in _values(member, today).items():
                if value is not None:
                    update_person(session, person_id, field, value)
        update_household(session, household.id, "address",
                         f"Số {house}, {village.name}")
        if head.phone:
            update_household(session, household.id, "phone", head.phone)
        store.set_meta(session, {SCENARIO_KEY + prepared.id: ids[prepared.subject]})


def _consent(member: _Member, head: _Member, today: date) -> ConsentInput:
    """The prepared children are the head's own, so the head is the parent who agrees."""
    given_by = required_givers(_born(member, today), today)
    if given_by is None:
        return ConsentInput("self")
    return ConsentInput(given_by, guardian_name=head.full_name)


def _values(member: _Member, today: date) -> dict[str, object]:
    """The member's fields in the order a volunteer fills them (smartphone before NFC, since
    saying "no smartphone" clears the NFC answer)."""
    born = _born(member, today)
    id_number = None
    if member.id_serial is not None:
        # Province, century-and-gender digit, year: what `cccd.validate_id_number` checks.
        century = (born.year // 100 - 19) * 2 + (member.gender == "female")
        id_number = f"{BIRTH_PROVINCE}{century}{born.year % 100:02d}{member.id_serial}"
    return {
        "full_name": member.full_name,
        "date_of_birth": born,
        "gender": member.gender,
        "ethnicity": member.ethnicity,
        "id_number": id_number,
        "phone": member.phone,
        "has_smartphone": member.has_smartphone,
        "phone_has_nfc": member.phone_has_nfc,
        "phone_in_own_name": member.phone_in_own_name,
        "vneid_status": member.vneid_status,
    }


def _born(member: _Member, today: date) -> date:
    try:
        birthday = today.replace(year=today.year - member.age)
    except ValueError:  # 29 February in a year without one
        birthday = today.replace(year=today.year - member.age, day=28)
    return birthday - timedelta(days=member.days)
