"""The 34 provinces and 3,321 communes after the July 2025 reform, from `vietnam-provinces`.

Loaded on first use: the data is a 0.5 MB JSON file that setup needs and unlock does not.
"""

from dataclasses import dataclass
from functools import cache

from fieldkit.core.folding import fold
from fieldkit.core.i18n import tr


@dataclass(frozen=True)
class CommuneInfo:
    code: int
    name: str
    province_code: int
    province_name: str


@cache
def provinces() -> list[tuple[int, str]]:
    """(code, name) of every province, in Vietnamese alphabetical order of the folded name."""
    from vietnam_provinces import Province

    return sorted(((int(p.code), p.name) for p in Province.iter_all()), key=lambda p: fold(p[1]))


@cache
def communes() -> dict[int, CommuneInfo]:
    from vietnam_provinces import Province, Ward

    province_names = {p.code: p.name for p in Province.iter_all()}
    return {
        int(w.code): CommuneInfo(int(w.code), w.name, int(w.province_code),
                                 province_names[w.province_code])
        for w in Ward.iter_all()
    }


def communes_of(province_code: int) -> list[CommuneInfo]:
    found = [c for c in communes().values() if c.province_code == province_code]
    return sorted(found, key=lambda c: fold(c.name))


def commune(code: int) -> CommuneInfo:
    try:
        return communes()[code]
    except KeyError:
        raise ValueError(tr("Không có xã/phường mã {code}.").format(code=code)) from None
