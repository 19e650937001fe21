"""Domain errors: each message is written for the person at the desk, already translated."""

from __future__ import annotations


class DomainError(Exception):
    """A request the process forbids or cannot carry out; ``str(err)`` is user-facing."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:
        return self.message


class ValidationError(DomainError):
    """Input that is wrong or missing; nothing was changed."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(DomainError):
    """The acting staff member does not hold a role that may do this."""


class NotFound(DomainError):
    """The record asked for does not exist."""


class TransitionRefused(DomainError):
    """The repair order's state does not allow this step."""


class ConflictError(DomainError):
    """Someone else changed the record since it was loaded."""


class ConfirmationRequired(DomainError):
    """The step is allowed only when the user explicitly confirms it (e.g. lower odometer)."""

    def __init__(self, message: str, what: str) -> None:
        super().__init__(message)
        self.what = what
