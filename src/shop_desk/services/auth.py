"""Sign-in with PIN: scrypt hashes with salt, lockout after 5 wrong PINs."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os

from shop_desk import clock
from shop_desk.db import write_transaction
from shop_desk.errors import PermissionDenied, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import AuditLog, Staff
from shop_desk.services.base import retry_when_busy, row_id

MAX_FAILURES = 5
LOCKOUT = dt.timedelta(minutes=5)
_N, _R, _P = 2**14, 8, 1


def hash_pin(pin: str) -> str:
    """scrypt (memory-hard) with a random salt, stored as ``scrypt$n$r$p$salt$hash``."""
    if not isinstance(pin, str) or not (4 <= len(pin) <= 64):
        raise ValidationError(translate("Auth", "A PIN must have 4 to 64 characters."), "pin")
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        scheme, n, r, p, salt_hex, hash_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            str(pin).encode(), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(digest.hex(), hash_hex)


def _log(staff: Staff | None, action: str, note: str) -> None:
    AuditLog.create(
        at=clock.now(),
        staff=staff,
        staff_name=staff.name if staff else "",
        action=action,
        entity="staff",
        entity_id=staff.id if staff else None,
        after=note,
    )


def authenticate(login: str | int, pin: str) -> Staff:
    """The staff member for ``login`` (or id) and ``pin``; PermissionDenied with the reason."""
    staff, now, ok = retry_when_busy(lambda: _check_pin(login, pin))
    if ok:
        return staff
    # Raised after the transaction so the failed attempt and the lock are committed.
    if staff.locked_until and staff.locked_until > now:
        raise PermissionDenied(
            translate(
                "Auth", "Wrong PIN five times: this account is locked for {n} minutes."
            ).format(n=int(LOCKOUT.total_seconds() // 60))
        )
    raise PermissionDenied(
        translate("Auth", "Wrong PIN. {n} tries left before the account is locked.").format(
            n=MAX_FAILURES - staff.failed_attempts
        )
    )


def _check_pin(login: str | int, pin: str) -> tuple[Staff, dt.datetime, bool]:
    """One sign-in attempt in one transaction (retried as a whole when the database is busy)."""
    with write_transaction():
        if isinstance(login, int) and not isinstance(login, bool):
            staff = Staff.get_or_none(Staff.id == login) if row_id(login) is not None else None
        else:
            text = str(login).strip()
            known = text.encode("utf-8", "replace").decode() == text  # no broken Unicode
            staff = Staff.get_or_none(Staff.login == text) if known else None
        if staff is None or not staff.active:
            raise PermissionDenied(translate("Auth", "Unknown or inactive staff member."))
        now = clock.now()
        if staff.locked_until and staff.locked_until > now:
            minutes = max(1, int((staff.locked_until - now).total_seconds() // 60) + 1)
            raise PermissionDenied(
                translate("Auth", "Too many wrong PINs. Try again in {n} minutes.").format(
                    n=minutes
                )
            )
        if verify_pin(pin, staff.pin_hash):
            staff.failed_attempts = 0
            staff.locked_until = None
            staff.save()
            _log(staff, "sign_in", "ok")
            return staff, now, True
        staff.failed_attempts += 1
        if staff.failed_attempts >= MAX_FAILURES:
            staff.locked_until = now + LOCKOUT
            staff.failed_attempts = 0
            staff.save()
            _log(staff, "sign_in_locked", "locked after 5 wrong PINs")
        else:
            staff.save()
            _log(staff, "sign_in_failed", f"attempt {staff.failed_attempts}")
    return staff, now, False
