"""The one rule for every PIN check (sign-in, a manager's approval, any re-entry).

Wrong PINs are counted per person in the database (``Staff.failed_attempts``), so every PC
and process shares the count. Every :data:`MAX_FAILURES` wrong PINs in a row lock the person
out, the first time for :data:`FIRST_LOCKOUT`, each further time twice as long (up to
:data:`LONGEST_LOCKOUT`). The count goes back to 0 only on a correct PIN, never when a
lock-out ends, so guessing slows down for good. Every wrong PIN and every try during a
lock-out is written to the audit log; after :data:`ALERT_AFTER` wrong PINs in a row and at
every lock-out an alert entry (``pin_alert``) is written, which the managers see until one
of them marks them as seen.

This module imports no other service module (the service decorator uses it).
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import hmac
import json
import os
from dataclasses import dataclass

from shop_desk import clock
from shop_desk.errors import ValidationError
from shop_desk.i18n import translate
from shop_desk.models import AuditLog, Staff

MAX_FAILURES = 5
FIRST_LOCKOUT = dt.timedelta(minutes=5)
LONGEST_LOCKOUT = dt.timedelta(hours=24)
ALERT_AFTER = 3

#: Audit actions: the alert managers see, and a manager's note that they saw them.
ALERT_ACTION = "pin_alert"
SEEN_ACTION = "pin_alerts_seen"
#: The audit entity of tries for logins that do not exist (named by the login as typed).
UNKNOWN_ENTITY = "unknown_login"

_N, _R, _P = 2**14, 8, 1


def hash_pin(pin: str) -> str:
    """scrypt (memory-hard) with a random salt, stored as ``scrypt$n$r$p$salt$hash``."""
    if not isinstance(pin, str) or not (4 <= len(pin) <= 64):
        raise ValidationError(translate("Auth", "A PIN must have 4 to 64 characters."), "pin")
    salt = os.urandom(16)
    digest = hashlib.scrypt(pin.encode(), salt=salt, n=_N, r=_R, p=_P, dklen=32)
    return f"scrypt${_N}${_R}${_P}${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    """Whether ``pin`` matches the stored hash (constant-time compare; False for junk)."""
    try:
        scheme, n, r, p, salt_hex, hash_hex = stored.split("$")
        if scheme != "scrypt":
            return False
        digest = hashlib.scrypt(
            str(pin).encode(), salt=bytes.fromhex(salt_hex), n=int(n), r=int(r), p=int(p), dklen=32
        )
    except (ValueError, TypeError, UnicodeEncodeError):
        return False
    return hmac.compare_digest(digest.hex(), hash_hex)


@functools.cache
def _decoy_hash() -> str:
    return hash_pin(os.urandom(8).hex())


def spend_like_a_check(pin: object) -> None:
    """Take as long as a real PIN check (for an unknown login: the answer's timing must not
    tell which logins exist)."""
    verify_pin(str(pin), _decoy_hash())


def lockout_after(failures: int) -> dt.timedelta | None:
    """How long ``failures`` wrong PINs in a row lock the person out (None: not at all)."""
    if failures < MAX_FAILURES or failures % MAX_FAILURES:
        return None
    rounds = failures // MAX_FAILURES - 1
    return min(FIRST_LOCKOUT * (2 ** min(rounds, 20)), LONGEST_LOCKOUT)


def _minutes(delta: dt.timedelta) -> int:
    return max(1, -(-int(delta.total_seconds()) // 60))


def locked_message(name: str, until: dt.datetime, now: dt.datetime) -> str:
    """What the desk shows while the person ``name`` is locked out."""
    return translate(
        "Auth",
        "Too many wrong PINs for {name}: the PIN is locked for {n} more minutes. The general "
        "manager has been alerted.",
    ).format(name=name, n=_minutes(until - now))


def wrong_pin_message() -> str:
    """The refusal for a wrong PIN (and, at sign-in, for an unknown login: the same words)."""
    return translate(
        "Auth",
        "Wrong PIN. After {n} wrong PINs in a row the PIN is locked for a while, longer each time.",
    ).format(n=MAX_FAILURES)


@dataclass(frozen=True)
class PinResult:
    ok: bool
    message: str = ""


def log(staff: Staff | None, action: str, details: dict, unknown_login: str = "") -> None:
    """An audit row about a PIN try (the caller's transaction commits it even on refusal).

    Tries for a login that does not exist are rows of the entity ``unknown_login`` named by
    the login as typed: their count is kept there (see :func:`check_unknown`)."""
    AuditLog.create(
        at=clock.now(),
        staff=staff,
        staff_name=staff.name if staff else unknown_login,
        action=action,
        entity=UNKNOWN_ENTITY if unknown_login else "staff",
        entity_id=staff.id if staff else None,
        after=json.dumps(details, ensure_ascii=False),
    )


def check(staff: Staff, pin: object, purpose: str, shown_as: str = "") -> PinResult:
    """One PIN try by ``staff`` for ``purpose`` (e.g. ``sign_in``, ``approve``), recorded.

    Call inside a write transaction and let it commit even when the result is a refusal
    (raise the refusal after the transaction), so the count and the audit rows stay.
    ``shown_as`` names the person in a lock-out message (a typed login is shown as typed,
    so the words do not tell a real login from a made-up one).
    """
    now = clock.now()
    staff = Staff.get_by_id(staff.id)  # the count as stored now, not as the caller read it
    name = shown_as or staff.name
    if staff.locked_until and staff.locked_until > now:
        log(
            staff,
            f"{purpose}_refused_locked",
            {
                "purpose": purpose,
                "failures": staff.failed_attempts,
                "locked_until": staff.locked_until.isoformat(),
            },
        )
        return PinResult(False, locked_message(name, staff.locked_until, now))
    if isinstance(pin, str) and verify_pin(pin, staff.pin_hash):
        if staff.failed_attempts or staff.locked_until:
            Staff.update(failed_attempts=0, locked_until=None).where(Staff.id == staff.id).execute()
        return PinResult(True)
    failures = staff.failed_attempts + 1
    lockout = lockout_after(failures)
    locked_until = now + lockout if lockout else None
    changes: dict = {Staff.failed_attempts: failures}
    if lockout:
        changes[Staff.locked_until] = locked_until
    Staff.update(changes).where(Staff.id == staff.id).execute()
    details = {"purpose": purpose, "failures": failures}
    if lockout:
        details["locked_until"] = locked_until.isoformat()
        log(staff, f"{purpose}_locked", details)
    else:
        log(staff, f"{purpose}_failed", details)
    if failures == ALERT_AFTER or lockout:
        log(staff, ALERT_ACTION, details)
    if lockout:
        return PinResult(False, locked_message(name, locked_until, now))
    return PinResult(False, wrong_pin_message())


def _unknown_state(login: str) -> tuple[int, dt.datetime | None]:
    """Wrong tries so far for the made-up ``login`` and the end of its lock-out, if any."""
    last = (
        AuditLog.select(AuditLog.after)
        .where((AuditLog.entity == UNKNOWN_ENTITY) & (AuditLog.staff_name == login))
        .order_by(AuditLog.id.desc())
        .first()
    )
    try:
        details = json.loads(last.after) if last is not None else {}
        until = details.get("locked_until")
        return int(details.get("failures") or 0), dt.datetime.fromisoformat(
            until
        ) if until else None
    except (ValueError, TypeError, AttributeError):
        return 0, None


def check_unknown(login: str, pin: object, purpose: str) -> PinResult:
    """A PIN try for a login that does not exist (or is not active): never accepted, but
    counted, locked out and alerted exactly like a real person's tries, so neither the words
    nor the lock-out tell a stranger which logins exist. Same transaction rule as
    :func:`check`."""
    spend_like_a_check(pin)
    now = clock.now()
    failures, locked_until = _unknown_state(login)
    if locked_until and locked_until > now:
        details = {"login": login, "purpose": purpose, "failures": failures}
        details["locked_until"] = locked_until.isoformat()
        log(None, f"{purpose}_unknown_refused_locked", details, unknown_login=login)
        return PinResult(False, locked_message(login, locked_until, now))
    failures += 1
    lockout = lockout_after(failures)
    details = {"login": login, "purpose": purpose, "failures": failures}
    if lockout:
        locked_until = now + lockout
        details["locked_until"] = locked_until.isoformat()
    log(None, f"{purpose}_unknown", details, unknown_login=login)
    if failures == ALERT_AFTER or lockout:
        log(None, ALERT_ACTION, details, unknown_login=login)
    if lockout:
        return PinResult(False, locked_message(login, now + lockout, now))
    return PinResult(False, wrong_pin_message())


@dataclass(frozen=True)
class PinAlert:
    id: int
    at: dt.datetime
    staff_id: int | None
    name: str
    failures: int
    purpose: str
    locked_until: dt.datetime | None

    def text(self) -> str:
        """One line for the manager."""
        if self.locked_until is not None:
            return translate(
                "Auth", "{when}: {name} locked out after {n} wrong PINs in a row ({purpose})."
            ).format(
                when=self.at.strftime("%m-%d %H:%M"),
                name=self.name,
                n=self.failures,
                purpose=purpose_label(self.purpose),
            )
        return translate("Auth", "{when}: {n} wrong PINs in a row for {name} ({purpose}).").format(
            when=self.at.strftime("%m-%d %H:%M"),
            name=self.name,
            n=self.failures,
            purpose=purpose_label(self.purpose),
        )


def purpose_label(purpose: str) -> str:
    labels = {
        "sign_in": translate("Auth", "sign-in"),
        "approve": translate("Auth", "approving"),
        "reject": translate("Auth", "refusing an approval"),
    }
    return labels.get(purpose, purpose.replace("_", " "))


def _seen_up_to() -> int:
    """The newest alert a manager marked as seen (0: none yet)."""
    newest = 0
    rows = (
        AuditLog.select(AuditLog.after)
        .where(AuditLog.action == SEEN_ACTION)
        .order_by(AuditLog.id.desc())
        .limit(20)
    )
    for row in rows:
        try:
            newest = max(newest, int(json.loads(row.after or "{}").get("up_to") or 0))
        except (ValueError, TypeError, AttributeError):
            continue
    return newest


def pin_alerts(limit: int = 50) -> list[PinAlert]:
    """Alerts about repeated wrong PINs a manager has not marked as seen, newest first."""
    query = AuditLog.select().where(
        (AuditLog.action == ALERT_ACTION) & (AuditLog.id > _seen_up_to())
    )
    alerts = []
    for row in query.order_by(AuditLog.id.desc()).limit(limit):
        try:
            details = json.loads(row.after or "{}")
        except ValueError:
            details = {}
        until = details.get("locked_until")
        alerts.append(
            PinAlert(
                id=row.id,
                at=row.at,
                staff_id=row.entity_id,
                name=row.staff_name,
                failures=int(details.get("failures") or 0),
                purpose=str(details.get("purpose") or ""),
                locked_until=dt.datetime.fromisoformat(until) if until else None,
            )
        )
    return alerts
