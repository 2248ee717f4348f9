"""Errors the volunteer can act on. Messages are made in the current language (written in
Vietnamese, English through `fieldkit.core.i18n`) and shown as they are."""


class FieldError(ValueError):
    """A value refused for one field; `messages` say what is wrong and how to fix it."""

    def __init__(self, field: str, messages: list[str]) -> None:
        super().__init__(f"{field}: {'; '.join(messages)}")
        self.field = field
        self.messages = messages


class ConsentRequired(PermissionError):
    """Personal data may only be written after a recorded, unwithdrawn consent."""
