"""Synthetic Vietnamese households for benchmarks, demos and tests.

A benchmark over 50,000 households only means something if the data looks like a real commune:
a third of all heads named Nguyễn, Lò and Giàng in mountain villages, children too young for an
ID card, elderly people without a smartphone. Search cost depends on exactly those token
frequencies. Everything is drawn from one seeded `random.Random` and a fixed reference date, so
the same seed always gives the same households and a cached benchmark store stays comparable.

`households` is a pure generator; `populate` writes its output into a real store.
"""

import random
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import islice

from sqlmodel import Session, select

from fieldkit.core.columns import dumps_codes, utcnow
from fieldkit.core.consent import ConsentInput, check_consent_input, required_givers
from fieldkit.core.households import add_village, clean_household_value
from fieldkit.core.households import villages as existing_villages
from fieldkit.core.models import Assignment, Consent, Household, ListedHousehold, Person
from fieldkit.core.people import clean_person_value
from fieldkit.core.profile import Profile
from fieldkit.core.store import Store

# Ages are computed against this date unless the caller passes another, so output never
# depends on the day the generator runs.
REFERENCE_DATE = date(2025, 9, 1)

Weighted = dict[str, int]

# Share of the population, in per mille (General Statistics Office surname studies).
KINH_FAMILY: Weighted = {
    "Nguyễn": 380, "Trần": 110, "Lê": 95, "Phạm": 70, "Hoàng": 35, "Huỳnh": 16, "Phan": 45,
    "Vũ": 20, "Võ": 19, "Đặng": 21, "Bùi": 20, "Đỗ": 14, "Hồ": 13, "Ngô": 13, "Dương": 10,
    "Lý": 5, "Đinh": 8, "Trịnh": 6, "Đào": 5, "Mai": 4, "Cao": 4, "Lương": 4,
}
MINORITY_FAMILY: dict[str, Weighted] = {
    "Tày": {"Hoàng": 25, "Nông": 20, "Lương": 10, "Ma": 8, "Hà": 10, "Lục": 5, "Triệu": 5,
            "Vi": 5, "Đàm": 5, "Lộc": 5},
    "Thái": {"Lò": 25, "Lường": 15, "Quàng": 12, "Cầm": 12, "Hà": 10, "Vi": 8, "Tòng": 8,
             "Lù": 5, "Điêu": 5},
    "H'Mông": {"Giàng": 22, "Sùng": 18, "Vàng": 18, "Thào": 15, "Lý": 10, "Hờ": 5, "Mùa": 5,
               "Sình": 4, "Cứ": 3},
    "Dao": {"Triệu": 30, "Bàn": 20, "Đặng": 15, "Lý": 15, "Chảo": 10, "Phùng": 10},
    "Mường": {"Bùi": 30, "Đinh": 25, "Quách": 15, "Hà": 15, "Xa": 5},
    "Nùng": {"Hoàng": 25, "Nông": 20, "Lương": 10, "Vi": 10, "Lăng": 10, "Chu": 10},
}

# Middle names by naming tradition and gender. "Văn" and "Thị" dominate older generations;
# younger Kinh parents choose more freely.
MIDDLE: dict[tuple[str, str], Weighted] = {
    ("kinh_old", "male"): {"Văn": 70, "Đức": 8, "Hữu": 6, "Công": 5, "Quang": 5, "Xuân": 3,
                           "Ngọc": 3},
    ("kinh_old", "female"): {"Thị": 80, "Ngọc": 6, "Thu": 5, "Kim": 4, "Hồng": 5},
    ("kinh_young", "male"): {"Văn": 30, "Minh": 15, "Đức": 12, "Quang": 8, "Hoàng": 6, "Gia": 8,
                             "Thành": 7, "Tuấn": 5, "Bảo": 5, "Ngọc": 4},
    ("kinh_young", "female"): {"Thị": 35, "Ngọc": 12, "Thu": 8, "Thanh": 8, "Minh": 8,
                               "Khánh": 6, "Phương": 7, "Bảo": 6, "Kim": 5, "Hồng": 5},
    ("thai", "male"): {"Văn": 90, "Đức": 10},
    ("thai", "female"): {"Thị": 100},
    ("hmong", "male"): {"A": 45, "Seo": 25, "Mí": 10, "Văn": 10, "Chứ": 10},
    ("hmong", "female"): {"Thị": 60, "Mí": 40},
    ("dao", "male"): {"Văn": 50, "Láo": 20, "Tả": 15, "Seo": 15},
    ("dao", "female"): {"Thị": 100},
}

GIVEN: dict[tuple[str, str], tuple[str, ...]] = {
    ("kinh", "male"): ("An", "Bình", "Cường", "Dũng", "Đức", "Hải", "Hùng", "Huy", "Khang",
                       "Khoa", "Long", "Minh", "Nam", "Phong", "Quân", "Sơn", "Thắng", "Thành",
                       "Tuấn", "Tùng", "Việt", "Vinh", "Hiếu", "Trung", "Tiến", "Đạt", "Phúc",
                       "Bảo", "Lộc", "Kiên", "Hưng", "Toàn"),
    ("kinh", "female"): ("Anh", "Chi", "Dung", "Giang", "Hà", "Hạnh", "Hằng", "Hoa", "Hương",
                         "Huyền", "Lan", "Linh", "Mai", "Nga", "Ngọc", "Nhung", "Oanh", "Phương",
                         "Quỳnh", "Thảo", "Thu", "Trang", "Tuyết", "Vân", "Yến", "Hiền", "Loan",
                         "My", "Vy", "Thúy"),
    ("thai", "male"): ("Pánh", "Hặc", "Ún", "Inh", "Biên", "Khiêm", "Phóng", "Xôm", "Pọm",
                       "Chăn", "Tiến", "Thanh", "Hùng", "Dũng"),
    ("thai", "female"): ("Xiêm", "Ỏn", "Pên", "Hoa", "Xuân", "Ngần", "Phương", "Biên", "Ánh",
                         "Lả", "Lếch", "Ín"),
    ("hmong", "male"): ("Páo", "Dế", "Lử", "Phủ", "Chứ", "Sính", "Pó", "Tủa", "Vừ", "Dình",
                        "Cở", "Lầu", "Chơ", "Chúng"),
    ("hmong", "female"): ("Mỷ", "Súa", "Dợ", "Sủa", "Chá", "Xúa", "Pà", "Ly", "Mai", "Dở",
                          "Dung", "Và"),
    ("dao", "male"): ("Tòn", "Lở", "Chòi", "Sinh", "Quẩy", "Phin", "Kiềm", "Chàn", "Phấu",
                      "Dùn"),
    ("dao", "female"): ("Mẩy", "Kiều", "Nái", "Chạn", "Mùi", "Dua", "Liều", "Phây", "Xe"),
}
TRADITION = {"Thái": "thai", "H'Mông": "hmong", "Dao": "dao"}

FAMILY_NAMES = frozenset(KINH_FAMILY).union(*MINORITY_FAMILY.values())
MIDDLE_NAMES = {
    gender: frozenset().union(*(names for (_, g), names in MIDDLE.items() if g == gender))
    for gender in ("male", "female")
}
GIVEN_NAMES = {
    gender: frozenset().union(*(names for (_, g), names in GIVEN.items() if g == gender))
    for gender in ("male", "female")
}

# Must be names in `ethnicity.ETHNIC_GROUPS`.
MOUNTAIN_ETHNICITIES: Weighted = {"H'Mông": 30, "Thái": 29, "Tày": 14, "Dao": 12, "Kinh": 10,
                                  "Mường": 3, "Nùng": 2}
LOWLAND_ETHNICITIES: Weighted = {"Kinh": 92, "Tày": 2, "Mường": 2, "Thái": 1, "Hoa": 1,
                                 "Nùng": 1, "Khơ Me": 1}

# Pre-merger province codes of birth registration (Circular 07/2016) near mountain and
# lowland villages; a few people were born anywhere else.
MOUNTAIN_PROVINCES = ("002", "004", "006", "008", "010", "011", "012", "014", "015", "020")
LOWLAND_PROVINCES = ("001", "019", "024", "025", "026", "027", "030", "033", "034", "035",
                     "036", "037", "038", "040", "042")
ANY_PROVINCE = MOUNTAIN_PROVINCES + LOWLAND_PROVINCES + ("031", "046", "048", "079", "092")

# Mobile prefixes every number of which `phonenumbers` accepts (089, 099 and 052 are only
# partly allocated, so they are left out rather than retried).
MOBILE_PREFIXES = ("032", "033", "034", "035", "036", "037", "038", "039", "086", "096", "097",
                   "098", "081", "082", "083", "084", "085", "088", "091", "094", "070", "076",
                   "077", "078", "079", "090", "093", "056", "058", "092", "059")

MOUNTAIN_PLACE = (("Phiêng", "Nà", "Huổi", "Nậm", "Pác", "Co", "Khau", "Bó", "Lũng", "Pá", "Hua",
                   "Mường", "Sảng", "Tả", "Séo", "Lao", "Sín"),
                  ("Luông", "Hang", "Só", "Chải", "Mò", "Cang", "Pục", "Lếch", "Phìn", "Chồ",
                   "Mạ", "Sáng", "Hẹ", "Nọi", "Ten", "Sản", "Cượm", "Khoang", "Pao", "Lình"))
LOWLAND_PLACE = (("Đông", "Tây", "Nam", "Bắc", "Trung", "Tân", "An", "Phú", "Hòa", "Thượng",
                  "Hạ", "Yên", "Vĩnh", "Phúc"),
                 ("Lập", "Bình", "Thịnh", "Lợi", "Hòa", "Phú", "Xuân", "Hưng", "Thành", "Lộc",
                  "Khánh"))
MOUNTAIN_PREFIX = "Bản "


@dataclass(frozen=True)
class SyntheticPerson:
    full_name: str
    gender: str
    date_of_birth: date
    ethnicity: str
    relation_to_head: str
    id_number: str | None
    phone: str | None
    has_smartphone: bool | None
    phone_has_nfc: bool | None
    vneid_status: str


@dataclass(frozen=True)
class SyntheticHousehold:
    village: str
    address: str
    phone: str | None
    members: tuple[SyntheticPerson, ...]  # the head first

    @property
    def head(self) -> SyntheticPerson:
        return self.members[0]


def village_names(count: int, seed: int) -> list[str]:
    """Distinct village names, half of them mountain hamlets (bản), half lowland (thôn)."""
    rng = random.Random(seed)
    mountain = [f"{MOUNTAIN_PREFIX}{a} {b}" for a in MOUNTAIN_PLACE[0] for b in MOUNTAIN_PLACE[1]]
    lowland = [f"Thôn {a} {b}" for a in LOWLAND_PLACE[0] for b in LOWLAND_PLACE[1] if a != b]
    names = rng.sample(mountain, (count + 1) // 2) + rng.sample(lowland, count // 2)
    rng.shuffle(names)
    return names


def _pick(rng: random.Random, weighted: Weighted) -> str:
    return rng.choices(tuple(weighted), weights=tuple(weighted.values()))[0]


class _Generator:
    """State shared across households: the random stream and the numbers already issued."""

    def __init__(self, seed: int, as_of: date) -> None:
        self.rng = random.Random(seed)
        self.as_of = as_of
        self.id_numbers: set[str] = set()
        self.phones: set[str] = set()
        self.home = {True: self.rng.choice(MOUNTAIN_PROVINCES),
                     False: self.rng.choice(LOWLAND_PROVINCES)}

    # -- who lives in a household ------------------------------------------------------------

    def household(self, village: str, number: int) -> SyntheticHousehold:
        rng = self.rng
        mountain = village.startswith(MOUNTAIN_PREFIX)
        ethnicity = self.ethnicity(mountain)
        head_age = rng.choices((25, 35, 45, 55, 65, 75), weights=(12, 24, 24, 20, 13, 7))[0]
        head_age += rng.randrange(10)
        head_gender = "male" if rng.random() < 0.78 else "female"
        head_family = self.family(ethnicity)
        spec: list[tuple[str, str, int, str, str]] = [
            ("head", head_gender, head_age, ethnicity, head_family)]
        father_family, mother_age = head_family, head_age
        if rng.random() < (0.9 if head_age < 65 else 0.6 if head_age < 80 else 0.35):
            gap = rng.randint(-2, 7)
            age = max(18, head_age - gap if head_gender == "male" else head_age + gap)
            spouse_ethnicity = ethnicity if rng.random() < 0.9 else self.ethnicity(mountain)
            family = self.family(spouse_ethnicity)
            spouse_gender = "female" if head_gender == "male" else "male"
            spec.append(("spouse", spouse_gender, age, spouse_ethnicity, family))
            if head_gender == "female":
                father_family = family
            else:
                mother_age = age
        if mother_age <= 60:
            # Mountain families are larger (GSO: fertility well above the national average).
            extra = int(mountain and rng.random() < 0.4)
            for _ in range(rng.choices((0, 1, 2, 3, 4), weights=(10, 25, 38, 19, 8))[0] + extra):
                age = rng.randint(0, min(mother_age - 18, 24))
                spec.append(("child", self.gender(), age, ethnicity, father_family))
        elif rng.random() < 0.55:
            son_age = rng.randint(22, min(40, head_age - 20))
            spec.append(("child", "male", son_age, ethnicity, father_family))
            spec.append(("child_in_law", "female", max(18, son_age - rng.randint(-1, 5)),
                         ethnicity, self.family(ethnicity)))
            for _ in range(rng.choices((1, 2, 3), weights=(35, 45, 20))[0]):
                age = rng.randint(0, min(son_age - 19, 15))
                spec.append(("grandchild", self.gender(), age, ethnicity, father_family))
        if head_age <= 55 and rng.random() < 0.2:
            age, gender = min(95, head_age + rng.randint(20, 32)), self.gender()
            # The head carries the father's family name; the mother kept her own.
            family = head_family if gender == "male" else self.family(ethnicity)
            spec.append(("parent", gender, age, ethnicity, family))
        taken: set[str] = set()
        members = tuple(self.person(*fields, mountain=mountain, taken=taken) for fields in spec)
        phone = next((m.phone for m in members[:2] if m.phone), None)
        return SyntheticHousehold(village, f"Số {number}, {village}", phone, members)

    def ethnicity(self, mountain: bool) -> str:
        return _pick(self.rng, MOUNTAIN_ETHNICITIES if mountain else LOWLAND_ETHNICITIES)

    def family(self, ethnicity: str) -> str:
        return _pick(self.rng, MINORITY_FAMILY.get(ethnicity, KINH_FAMILY))

    def gender(self) -> str:
        return "male" if self.rng.random() < 0.51 else "female"

    # -- one person --------------------------------------------------------------------------

    def person(self, relation: str, gender: str, age: int, ethnicity: str, family: str, *,
               mountain: bool, taken: set[str]) -> SyntheticPerson:
        """`taken` holds the names already used in the household: parents do not give two
        children the same full name."""
        rng = self.rng
        born = self.as_of - timedelta(days=int(age * 365.25) + rng.randint(1, 364))
        tradition = TRADITION.get(ethnicity, "kinh")
        middle_key = tradition if tradition != "kinh" else (
            "kinh_old" if born.year < 1985 else "kinh_young")
        name = ""
        while not name or name in taken:
            name = f"{family} {_pick(rng, MIDDLE[middle_key, gender])} " \
                   f"{rng.choice(GIVEN[tradition, gender])}"
        taken.add(name)
        id_chance = 0.93 if age >= 14 else 0.45 if age >= 6 else 0.3
        id_number = self.id_number(born, gender, mountain) if rng.random() < id_chance else None
        owns_phone = rng.random() < (0 if age < 14 else 0.5 if age < 16 else 0.9 if age < 60
                                     else 0.6 if age < 75 else 0.3)
        smart = owns_phone and rng.random() < (0.92 if age < 40 else 0.78 if age < 60
                                               else 0.45 if age < 75 else 0.2)
        phone = self.phone() if owns_phone and rng.random() < 0.85 else None
        return SyntheticPerson(
            full_name=name,
            gender=gender,
            date_of_birth=born,
            ethnicity=ethnicity,
            relation_to_head=relation,
            id_number=id_number,
            phone=phone,
            has_smartphone=smart if age >= 14 else None,
            phone_has_nfc=(rng.random() < 0.65) if smart else None,
            vneid_status=self.vneid_status(age, id_number is not None, phone is not None),
        )

    def id_number(self, born: date, gender: str, mountain: bool) -> str:
        """Province of birth registration, century-and-gender digit, year, six random digits:
        exactly what `cccd.validate_id_number` checks against date of birth and gender."""
        province = self.home[mountain] if self.rng.random() < 0.85 else \
            self.rng.choice(ANY_PROVINCE)
        century = (born.year // 100 - 19) * 2 + (gender == "female")
        while True:
            number = f"{province}{century}{born.year % 100:02d}{self.rng.randrange(10**6):06d}"
            if number not in self.id_numbers:
                self.id_numbers.add(number)
                return number

    def phone(self) -> str:
        while True:
            number = f"{self.rng.choice(MOBILE_PREFIXES)}{self.rng.randrange(10**7):07d}"
            if number not in self.phones:
                self.phones.add(number)
                return number

    def vneid_status(self, age: int, has_id: bool, has_phone: bool) -> str:
        if age < 14:
            level1 = 0.25 if age >= 6 else 0.08
            return "level1" if has_id and self.rng.random() < level1 else "none"
        if not has_id:
            return "none"
        if not has_phone:
            return _pick(self.rng, {"none": 75, "level2": 25})
        if age >= 60:
            return _pick(self.rng, {"none": 50, "level1": 10, "activated": 10, "level2": 30})
        return _pick(self.rng, {"none": 20, "level1": 15, "activated": 20, "level2": 45})


def households(seed: int, count: int, village_names: Sequence[str],
               as_of: date = REFERENCE_DATE, first_number: int = 1
               ) -> Iterator[SyntheticHousehold]:
    """`count` households spread unevenly over the villages, house numbers counted from
    `first_number` in each; the same arguments always give the same households. Villages
    named "Bản …" are treated as mountain hamlets."""
    generator = _Generator(seed, as_of)
    rng = generator.rng
    sizes = [rng.uniform(0.5, 1.5) for _ in village_names]
    numbers = dict.fromkeys(village_names, first_number - 1)
    for _ in range(count):
        village = rng.choices(village_names, weights=sizes)[0]
        numbers[village] += 1
        yield generator.household(village, numbers[village])


# -- writing into a store ---------------------------------------------------------------------

COMMUNE_LIST_SOURCE = "Danh sách hộ của xã (dữ liệu mẫu)"
# A campaign's 45 days, as the commune sets them.
ASSIGNMENT_DAYS = 45

CHUNK = 500
PERSON_FIELDS = ("full_name", "id_number", "date_of_birth", "gender", "ethnicity", "phone",
                 "has_smartphone", "phone_has_nfc", "vneid_status")


def populate(store: Store, profile: Profile, seed: int, household_count: int, villages: int,
             as_of: date | None = None,
             progress: Callable[[int], None] | None = None) -> None:
    """Write synthetic villages and households into `store`, ~500 households per transaction.

    Rows go through the store's own session, so stamping, the outbox and the search index are
    maintained by the same events as in real use. Values pass the same `clean_*_value` checks
    as typed input, but each row is built whole and flushed once per chunk: entering every
    field with `update_person` (one flush and one search reindex per field) takes about 30
    times longer, close to an hour for 50,000 households instead of two minutes.

    Ages are computed against `as_of` (today by default), so the consent each person needs
    matches their age today. `progress` gets the number of households written so far.
    """
    as_of = as_of or date.today()
    names = village_names(villages, seed)
    with store.write() as session:
        # A village the volunteer already entered under the same name is filled, not doubled.
        village_ids = {v.name: v.id for v in existing_villages(session, profile.commune_id)}
        for name in names:
            if name not in village_ids:
                kind = "ban" if name.startswith(MOUNTAIN_PREFIX) else "thon"
                village_ids[name] = add_village(session, profile.commune_id, name, kind).id
    stream = households(seed, household_count, names, as_of)
    written = 0
    while chunk := list(islice(stream, CHUNK)):
        with store.write() as session:
            _add_chunk(session, chunk, village_ids, profile.volunteer_id, as_of)
        written += len(chunk)
        if progress is not None:
            progress(written)


def _add_chunk(session: Session, chunk: list[SyntheticHousehold], village_ids: dict[str, str],
               volunteer_id: str, as_of: date) -> None:
    """Flushed table by table: without ORM relationships SQLAlchemy does not order inserts by
    foreign key, so a consent could otherwise reach SQLite before its person."""
    rows: list[tuple[SyntheticHousehold, Household]] = []
    for synthetic in chunk:
        household = Household(
            village_id=village_ids[synthetic.village],
            head_name=clean_person_value("full_name", synthetic.head.full_name),
            address=clean_household_value("address", synthetic.address),
            phone=clean_household_value("phone", synthetic.phone or ""),
        )
        session.add(household)
        rows.append((synthetic, household))
    session.flush()
    consents: list[Consent] = []
    for synthetic, household in rows:
        for member in synthetic.members:
            person = Person(household_id=household.id, relation_to_head=member.relation_to_head,
                            **{f: clean_person_value(f, getattr(member, f))
                               for f in PERSON_FIELDS})
            session.add(person)
            consents.append(_consent(person.id, volunteer_id,
                                     _consent_input(member, synthetic, as_of)))
    session.flush()
    session.add_all(consents)


def _consent_input(member: SyntheticPerson, synthetic: SyntheticHousehold,
                   as_of: date) -> ConsentInput:
    """Children need a parent's consent too (Decree 13/2023): the head for their own
    children, the head's son living with them for grandchildren."""
    given_by = required_givers(member.date_of_birth, as_of)
    if given_by is None:
        return ConsentInput("self")
    guardian = synthetic.head
    if member.relation_to_head == "grandchild":
        guardian = next((m for m in synthetic.members if m.relation_to_head == "child"), guardian)
    return ConsentInput(given_by, guardian_name=guardian.full_name)


def _consent(person_id: str, volunteer_id: str, given: ConsentInput) -> Consent:
    """The row `consent.record_consent` makes, without its per-row flush."""
    check_consent_input(given)
    return Consent(person_id=person_id, purpose=given.purpose,
                   data_categories=dumps_codes(list(given.categories)), given_by=given.given_by,
                   guardian_name=given.guardian_name, volunteer_id=volunteer_id,
                   given_at=utcnow())


def populate_commune_list(store: Store, profile: Profile, seed: int, unvisited: int,
                          as_of: date | None = None) -> None:
    """The commune's own household list, as its server would import it: one entry for every
    household already in the store (linked to it, as if registered from the list), and
    `unvisited` more households of the same villages nobody has visited yet. Entries carry
    only what a commune list holds: the head's name, ID number, birth date and gender, the
    phone, the address and the number of members. Then the officer's assignments for the
    store's volunteer: the first hamlet whole, and three unvisited households of another."""
    as_of = as_of or date.today()
    with store.write() as session:
        by_name = {v.name: v.id for v in existing_villages(session, profile.commune_id)}
        names = sorted(by_name)
        entries: list[ListedHousehold] = []
        for household in session.exec(select(Household).where(
                Household.deleted == False)).all():  # noqa: E712
            head = session.exec(select(Person).where(
                Person.household_id == household.id,
                Person.relation_to_head == "head")).first()
            size = len(session.exec(select(Person.id).where(
                Person.household_id == household.id, Person.deleted == False)).all())  # noqa: E712
            entries.append(ListedHousehold(
                village_id=household.village_id, head_name=household.head_name,
                id_number=head.id_number if head else None,
                date_of_birth=head.date_of_birth if head else None,
                birth_year=head.date_of_birth.year if head and head.date_of_birth else None,
                gender=head.gender if head else None, phone=household.phone,
                address=household.address, members=size, source=COMMUNE_LIST_SOURCE,
                household_id=household.id))
        # Numbered after the store's own households, so no address repeats.
        for synthetic in households(seed, unvisited, names, as_of,
                                    first_number=len(entries) + 1):
            head = synthetic.head
            entries.append(ListedHousehold(
                village_id=by_name[synthetic.village], head_name=head.full_name,
                id_number=head.id_number, date_of_birth=head.date_of_birth,
                birth_year=head.date_of_birth.year, gender=head.gender, phone=synthetic.phone,
                address=synthetic.address, members=len(synthetic.members),
                source=COMMUNE_LIST_SOURCE))
        session.add_all(entries)
        session.flush()  # before the assignments naming them (no ORM relationships order them)
        if not names:
            return
        first = by_name[names[0]]
        session.add(Assignment(volunteer_id=profile.volunteer_id, village_id=first,
                               due_on=as_of + timedelta(days=ASSIGNMENT_DAYS)))
        waiting = [e for e in entries if e.household_id is None and e.village_id != first]
        for entry in waiting[:3]:
            session.add(Assignment(volunteer_id=profile.volunteer_id,
                                   village_id=entry.village_id, listed_household_id=entry.id,
                                   due_on=as_of + timedelta(days=ASSIGNMENT_DAYS),
                                   note="Hộ chưa có ai đến hỗ trợ"))
