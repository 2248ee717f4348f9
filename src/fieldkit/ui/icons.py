"""Icons from the bundled Font Awesome font (qtawesome): crisp at any text size, one style.

qtawesome takes about 0.2 s to import, so `fieldkit.ui.app` imports it on the preload thread.
"""

from PySide6.QtGui import QIcon

NAMES = {
    "search": "fa6s.magnifying-glass",
    "village": "fa6s.map-location-dot",
    "household": "fa6s.house-chimney-user",
    "add_member": "fa6s.user-plus",
    "edit_member": "fa6s.user-pen",
    "start_visit": "fa6s.person-walking-arrow-right",
    "end_visit": "fa6s.flag-checkered",
    "lock": "fa6s.lock",
    "withdraw": "fa6s.user-xmark",
    "done": "fa6s.check",
    "forms": "fa6s.file-lines",
    "guide": "fa6s.list-check",
    "sync": "fa6s.rotate",
}


def icon(name: str, color: str = "#1b1f24") -> QIcon:
    import qtawesome

    return qtawesome.icon(NAMES[name], color=color)
