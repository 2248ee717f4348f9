"""Preferences read before unlocking (language, text size, auto-lock), so they live in plain
JSON beside the store; nothing personal belongs here."""

import json
import os
from dataclasses import asdict, dataclass
from pathlib import Path

from fieldkit.core.paths import SETTINGS_NAME


@dataclass
class Settings:
    language: str = "vi"
    large_text: bool = False
    autolock_minutes: int = 5

    @classmethod
    def load(cls, data_dir: Path) -> "Settings":
        try:
            raw = json.loads((data_dir / SETTINGS_NAME).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return cls()
        if not isinstance(raw, dict):
            return cls()
        settings = cls()
        # A hand-edited or damaged file never stops the app from starting: bad values fall
        # back to their defaults one by one.
        if raw.get("language") in ("vi", "en"):
            settings.language = raw["language"]
        if isinstance(raw.get("large_text"), bool):
            settings.large_text = raw["large_text"]
        minutes = raw.get("autolock_minutes")
        if isinstance(minutes, int) and not isinstance(minutes, bool) and minutes >= 1:
            settings.autolock_minutes = minutes
        return settings

    def save(self, data_dir: Path) -> None:
        data_dir.mkdir(parents=True, exist_ok=True)
        target = data_dir / SETTINGS_NAME
        tmp = target.with_suffix(".tmp")
        tmp.write_text(json.dumps(asdict(self), indent=2), encoding="utf-8")
        os.replace(tmp, target)
