"""Sign-in with PIN under the one PIN rule of :mod:`shop_desk.services.pins` (count per person,
growing lock-out, every failure audited, managers alerted)."""

from __future__ import annotations

from shop_desk.db import write_transaction
from shop_desk.errors import PermissionDenied
from shop_desk.models import Staff
from shop_desk.services import pins
from shop_desk.services.base import retry_when_busy, row_id, shown
from shop_desk.services.pins import hash_pin, verify_pin  # noqa: F401  (importable from here)


def authenticate(login: str | int, pin: str) -> Staff:
    """The staff member for ``login`` (or id) and ``pin``; PermissionDenied with the reason.

    An unknown or inactive login gets the same words as a wrong PIN (a stranger must not learn
    which logins exist); it is audited all the same."""
    staff, result = retry_when_busy(lambda: _try(login, pin))
    if result.ok and staff is not None:
        return staff
    # Raised after the transaction so the failed attempt and the lock are committed.
    raise PermissionDenied(result.message)


def _find(login: str | int) -> Staff | None:
    if isinstance(login, int) and not isinstance(login, bool):
        return Staff.get_or_none(Staff.id == login) if row_id(login) is not None else None
    text = str(login).strip()
    known = text.encode("utf-8", "replace").decode() == text  # no broken Unicode
    return Staff.get_or_none(Staff.login == text) if known and "\x00" not in text else None


def _try(login: str | int, pin: str) -> tuple[Staff | None, pins.PinResult]:
    """One sign-in attempt in one transaction (retried as a whole when the database is busy)."""
    with write_transaction():
        staff = _find(login)
        typed = "" if isinstance(login, int) else shown(login, 60).replace("\x00", "")
        if staff is None or not staff.active:
            return None, pins.check_unknown(typed or shown(login, 60), pin, "sign_in")
        result = pins.check(staff, pin, "sign_in", shown_as=typed)
        if result.ok:
            pins.log(staff, "sign_in", {"result": "ok"})
    return staff, result
