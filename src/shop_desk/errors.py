"""Domain errors: each message is written for the person at the desk, already translated."""

from __future__ import annotations

import errno

#: SQLite's SQLITE_FULL, PostgreSQL's disk_full SQLSTATE, and the OS's "no space" errors.
_SQLITE_FULL = 13
_PG_DISK_FULL = "53100"
_FULL_ERRNOS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EFBIG})


def is_disk_full(exc: BaseException) -> bool:
    """Whether ``exc``, or an error it was raised from or while handling, says the disk is
    full. (After SQLITE_FULL, SQLite has already rolled the transaction back, so the
    rollback that follows fails with "no transaction is active" and hides the cause.)"""
    seen: set[int] = set()
    err: BaseException | None = exc
    while err is not None and id(err) not in seen:
        seen.add(id(err))
        code = getattr(err, "sqlite_errorcode", None)
        if code is not None and code & 0xFF == _SQLITE_FULL:
            return True
        if isinstance(err, OSError) and err.errno in _FULL_ERRNOS:
            return True
        if getattr(err, "pgcode", None) == _PG_DISK_FULL or "disk is full" in str(err).lower():
            return True
        err = err.__cause__ or err.__context__ or getattr(err, "orig", None)
    return False


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
