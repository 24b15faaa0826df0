from django.http import Http404


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


class PurposeWithoutActivity(PurposeRequired):
    """The stated purpose belongs to no processing activity in the register (AVG art. 30): no
    personal data may be processed for it until the privacy officer maps it onto one."""


class RecordHidden(Http404):
    """A 404 for one record the user may not see (or that does not exist: the two are never told
    apart). Carries the record's kind and id so that the 404 page can offer a holder of
    ``core.break_glass`` the break-glass form for exactly that record."""

    def __init__(self, kind: str, object_id: int):
        super().__init__("")
        self.kind = kind
        self.object_id = object_id
