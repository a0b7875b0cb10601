"""What a service refuses, with a message for a person and, where it helps, the field."""


class ServiceError(Exception):
    def __init__(self, message: str, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field


class AssignmentClosed(ServiceError):
    """The assignment was submitted, skipped or released: its spans can no longer change."""


class SpanRejected(ServiceError):
    """The span cannot be saved as asked (bad offsets, unknown label, overlap)."""


class SpanGone(ServiceError):
    """The span was deleted meanwhile (another tab): there is nothing left to change."""

    def __init__(self):
        super().__init__("This span was deleted meanwhile (in another tab?); nothing was changed.")


class AttributesRejected(ServiceError):
    def __init__(self, errors: dict[str, str]):
        super().__init__("Some attributes are not valid.")
        self.errors = errors


class SubmissionIncomplete(ServiceError):
    """Spans still lack required attributes."""
