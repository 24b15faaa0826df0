class ApplicationError(Exception):
    """A domain rule refused the action. ``message`` is shown to the user (Dutch);
    ``field`` names the form field it belongs to, when there is one."""

    def __init__(self, message: str, *, field: str | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message
        self.field = field
        self.extra = extra or {}


class PurposeRequired(ApplicationError):
    pass
