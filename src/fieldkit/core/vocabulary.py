"""Codes stored in the database and their labels in Vietnamese and English.

The codes live in core because the commune server shows and exports the same values; the
labels sit beside them so both ends word them identically.
"""

from collections.abc import Mapping
from typing import Literal

from fieldkit.core.i18n import current_language

Language = Literal["vi", "en"]
Labels = dict[str, tuple[str, str]]

GENDERS: Labels = {"male": ("Nam", "Male"), "female": ("Nữ", "Female")}

VILLAGE_KINDS: Labels = {
    "thon": ("Thôn", "Village (thôn)"),
    "ban": ("Bản", "Hamlet (bản)"),
    "ap": ("Ấp", "Hamlet (ấp)"),
    "to_dan_pho": ("Tổ dân phố", "Residential group"),
}

RELATIONS: Labels = {
    "head": ("Chủ hộ", "Head of household"),
    "spouse": ("Vợ/chồng", "Spouse"),
    "child": ("Con", "Child"),
    "parent": ("Cha/mẹ", "Parent"),
    "grandparent": ("Ông/bà", "Grandparent"),
    "grandchild": ("Cháu", "Grandchild"),
    "sibling": ("Anh/chị/em", "Sibling"),
    "child_in_law": ("Con dâu/con rể", "Child-in-law"),
    "other": ("Khác", "Other"),
}

VNEID_STATUSES: Labels = {
    "none": ("Chưa có tài khoản", "No account"),
    "level1": ("Mức 1 (đã đăng ký)", "Level 1 (registered)"),
    "activated": ("Đã kích hoạt", "Activated"),
    "level2": ("Mức 2", "Level 2"),
}

CONSENT_GIVERS: Labels = {
    "self": ("Chính người đó", "The person themself"),
    "parent": ("Cha/mẹ hoặc người giám hộ", "Parent or guardian"),
    "self_and_parent": ("Người đó và cha/mẹ", "The person and a parent"),
}

DATA_CATEGORIES: Labels = {
    "identity": ("Họ tên, ngày sinh, giới tính", "Name, date of birth, gender"),
    "id_number": ("Số định danh cá nhân", "Personal ID number"),
    "contact": ("Số điện thoại, địa chỉ", "Phone number, address"),
    "ethnicity": ("Dân tộc", "Ethnicity"),
    "vneid": ("Tình trạng tài khoản VNeID", "VNeID account status"),
}

SERVICES: Labels = {
    "vneid_level1": ("Đăng ký VNeID mức 1", "VNeID level 1 registration"),
    "vneid_activation": ("Kích hoạt tài khoản VNeID", "VNeID account activation"),
    "vneid_level2_prep": ("Hướng dẫn chuẩn bị mức 2", "Level 2 preparation"),
    "device_unlink": ("Đăng nhập máy mới / hủy liên kết", "New phone log-in / unlink"),
    "portal_login": ("Đăng nhập Cổng Dịch vụ công", "Public Service Portal log-in"),
    "birth_registration": ("Đăng ký khai sinh", "Birth registration"),
    "residence": ("Khai báo cư trú (CT01)", "Residence declaration (CT01)"),
    "marriage": ("Đăng ký kết hôn", "Marriage registration"),
    "death": ("Đăng ký khai tử", "Death registration"),
    "health_insurance": ("Gia hạn BHYT hộ gia đình", "Household health insurance renewal"),
    "scam_awareness": ("Cảnh báo lừa đảo", "Scam awareness"),
    "other": ("Hỗ trợ khác", "Other support"),
}

VISIT_OUTCOMES: Labels = {
    "done": ("Đã hoàn thành", "All done"),
    "partly": ("Hoàn thành một phần", "Partly done"),
    "revisit": ("Cần quay lại", "Needs another visit"),
    "nobody_home": ("Không có người ở nhà", "Nobody at home"),
    "declined": ("Gia đình từ chối", "Household declined"),
}

# Read aloud before any personal data is written down (Decree 13/2023, Law 91/2025).
CONSENT_PURPOSE: tuple[str, str] = (
    "Tình nguyện viên ghi lại thông tin của anh/chị để hỗ trợ đăng ký tài khoản định danh điện tử "
    "VNeID và chuẩn bị hồ sơ thủ tục hành chính. Thông tin được mã hóa trên máy, chỉ chuyển cho "
    "Ủy ban nhân dân xã, không dùng vào mục đích khác. Anh/chị có thể rút lại đồng ý bất cứ lúc "
    "nào; khi đó thông tin cá nhân sẽ bị xóa.",
    "The volunteer records your details to help you register a VNeID electronic identity and "
    "prepare administrative forms. The data is encrypted on this laptop, shared only with the "
    "commune People's Committee and used for nothing else. You may withdraw consent at any time; "
    "your personal data is then erased.",
)


def label(table: Labels, code: str | None, language: Language | None = None) -> str:
    """The label for a stored code, in `language` or else the current one (so a message built
    in core names the code in the reader's language); an unknown code is shown as itself
    rather than hidden."""
    if code is None:
        return ""
    pair = table.get(code)
    if pair is None:
        return code
    return pair[0] if (language or current_language()) == "vi" else pair[1]


def in_language(texts: Mapping[str, str], language: str) -> str:
    """A text of a guide or form in the interface language. Those files must have Vietnamese
    and may lack English, so Vietnamese is the fallback."""
    return texts.get(language) or texts.get("vi", "")
