"""The service decorator: one transaction, a role check and an audit entry per operation.

Every function that changes data is declared with ``@service(Role..., ...)``, takes the
acting :class:`Staff` as its first argument and is listed in :data:`REGISTRY` (so tests can
prove each one refuses a role without the right). Inside, :func:`audit` records
before/after of what changed; if an operation records nothing, a generic entry with its
arguments is written.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import functools
import inspect
import json
import random
import re
import time
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, TypeVar

import peewee

from shop_desk import clock
from shop_desk.db import write_transaction
from shop_desk.errors import (
    ConflictError,
    DomainError,
    NotFound,
    PermissionDenied,
    ValidationError,
    is_disk_full,
)
from shop_desk.i18n import join_list, translate
from shop_desk.models import AuditLog, Staff
from shop_desk.roles import Role, role_label
from shop_desk.services import pins

F = TypeVar("F", bound=Callable[..., Any])

BUSY_RETRIES = 8


@dataclass(frozen=True)
class ServiceInfo:
    name: str
    roles: frozenset[Role]
    func: Callable[..., Any]


REGISTRY: dict[str, ServiceInfo] = {}


@dataclass
class _Call:
    actor: Staff
    action: str
    recorded: bool = False
    extra: list[dict] = field(default_factory=list)


_current: contextvars.ContextVar[_Call | None] = contextvars.ContextVar(
    "shop_desk_call", default=None
)


def jsonable(value: Any) -> Any:
    """Plain JSON values for audit entries and snapshots."""
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, bytes):
        return f"<{len(value)} bytes>"
    if isinstance(value, peewee.Model):
        return {"table": value._meta.table_name, "id": value.get_id()}
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [jsonable(v) for v in value]
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def snapshot(instance: peewee.Model | None) -> dict[str, Any]:
    """Field values of a row (foreign keys as ids, blobs as sizes) for before/after."""
    if instance is None:
        return {}
    data = {}
    for name, fld in instance._meta.fields.items():
        if isinstance(fld, peewee.ForeignKeyField):
            data[name] = instance.__data__.get(name)
        else:
            data[name] = jsonable(getattr(instance, name))
    return data


def audit(entity: str, entity_id: int | None, before: Any = None, after: Any = None) -> None:
    """Record what the running operation changed (inside the service's transaction)."""
    call = _current.get()
    if call is None:
        raise RuntimeError("audit() called outside a service operation")
    AuditLog.create(
        at=clock.now(),
        staff=call.actor,
        staff_name=call.actor.name,
        action=call.action,
        entity=entity,
        entity_id=entity_id,
        before=json.dumps(jsonable(before), ensure_ascii=False) if before is not None else "",
        after=json.dumps(jsonable(after), ensure_ascii=False) if after is not None else "",
    )
    call.recorded = True


def current_actor() -> Staff | None:
    call = _current.get()
    return call.actor if call else None


def _check_actor(actor: Staff, roles: frozenset[Role], action: str) -> Staff:
    if not isinstance(actor, Staff):
        raise PermissionDenied(translate("Services", "Please sign in first."))
    staff = Staff.get_or_none(Staff.id == actor.id)
    if staff is None or not staff.active:
        raise PermissionDenied(translate("Services", "This staff account is not active."))
    if roles and not (staff.role_set() & {r.value for r in roles}):
        needed = join_list(role_label(r) for r in sorted(roles))
        raise PermissionDenied(
            translate("Services", "{name} may not do this. It needs the role: {roles}.").format(
                name=staff.name, roles=needed
            )
        )
    return staff


def require_roles(actor: Any, *roles: Role) -> Staff:
    """The active ``actor`` if they have one of ``roles``; PermissionDenied in words if not.
    For reads that are not everybody's (the monthly report, the day's takings)."""
    return _check_actor(actor, frozenset(roles), "")


def action_title(action: str) -> str:
    """A readable name of an operation for messages (falls back to the code name)."""
    return action.replace("_", " ")


#: PostgreSQL's SQLSTATEs for "another transaction got in the way, run yours again":
#: serialization failure, deadlock, lock not available.
PG_RETRY_CODES = frozenset({"40001", "40P01", "55P03"})
#: Of those, the ones raised when another station's save got in the way (a serialization
#: failure, a deadlock victim): tried again at once the first time, as that save has usually
#: committed by then; a wait first would only add to what the user waits for.
PG_AGAIN_AT_ONCE = frozenset({"40001", "40P01"})


def _pgcodes(exc: Exception) -> set[str | None]:
    """The server's SQLSTATEs behind a peewee error (none for SQLite)."""
    return {
        getattr(err, "pgcode", None)
        for err in (getattr(exc, "orig", None), exc.__cause__, exc.__context__)
    }


def _is_busy(exc: Exception) -> bool:
    if _pgcodes(exc) & PG_RETRY_CODES:
        return True
    text = str(exc).lower()
    return "locked" in text or "busy" in text


def _backoff(number: int, collided: bool) -> float:
    """Seconds to wait before try ``number + 2``, with jitter so that two stations part.

    SQLite's busy error comes after its busy timeout: another station is writing at length,
    so wait 50 ms, doubling. A server's serialization failure (``collided``) means another
    station's short save crossed ours: again at once, then 10 ms doubling; every step of the
    waiting is time the user waits (issue 24's load: p95 of a save ≤ 100 ms)."""
    if collided:
        return 0.0 if number == 0 else min(1.0, 0.01 * 2 ** (number - 1)) * (0.5 + random.random())
    return min(2.0, 0.05 * (2**number)) * (0.5 + random.random())


T = TypeVar("T")


def retry_when_busy(attempt: Callable[[], T]) -> T:
    """Run one whole transaction, again (with backoff) while another station holds the write
    lock; after :data:`BUSY_RETRIES` tries a DomainError saying so, never SQLite's raw
    "database is locked". A full disk is a DomainError saying so too (not the "cannot
    rollback" that SQLite's own rollback after SQLITE_FULL leaves behind). ``attempt`` must
    roll back completely when it raises. The waits between tries: :func:`_backoff`."""
    for number in range(BUSY_RETRIES):
        try:
            return attempt()
        except peewee.OperationalError as exc:
            if is_disk_full(exc):
                raise DomainError(
                    translate(
                        "Services",
                        "The disk is full: nothing was saved. Free some space on the disk of "
                        "the shop database (or ask your IT person), then save again.",
                    )
                ) from exc
            if not _is_busy(exc):
                raise
            if number < BUSY_RETRIES - 1:
                wait = _backoff(number, bool(_pgcodes(exc) & PG_AGAIN_AT_ONCE))
                if wait:
                    time.sleep(wait)
    raise DomainError(
        translate(
            "Services",
            "The database is busy because another station is saving. Nothing was changed; "
            "please try again in a moment.",
        )
    )


def _check_pin(actor: Staff, roles: frozenset[Role], action: str, pin: Any) -> None:
    """The actor's PIN under the one PIN rule (:mod:`shop_desk.services.pins`), in a
    transaction of its own that commits a wrong try (count, lock-out, audit) before the
    refusal is raised. The role check comes first: a person without the role leaves no trace."""

    def attempt() -> pins.PinResult:
        with write_transaction():
            staff = _check_actor(actor, roles, action)
            return pins.check(staff, pin, action)

    result = retry_when_busy(attempt)
    if not result.ok:
        raise PermissionDenied(result.message)


def service(*roles: Role, name: str | None = None, pin: str | None = None) -> Callable[[F], F]:
    """Declare a data-changing operation: ``roles`` may run it (empty = any active staff).

    ``pin`` names the parameter holding the actor's re-entered PIN: it is checked under the
    PIN rule before the operation runs (a wrong PIN changes nothing but the PIN count)."""
    allowed = frozenset(roles)

    def decorate(fn: F) -> F:
        action = name or fn.__name__
        signature = inspect.signature(fn) if pin else None

        @functools.wraps(fn)
        def wrapper(actor: Staff, *args: Any, **kwargs: Any) -> Any:
            if signature is not None:
                try:
                    given = signature.bind_partial(actor, *args, **kwargs).arguments.get(pin)
                except TypeError:
                    given = None
                _check_pin(actor, allowed, action, given)

            def attempt() -> Any:
                with write_transaction():
                    staff = _check_actor(actor, allowed, action)
                    call = _Call(staff, action)
                    token = _current.set(call)
                    try:
                        result = fn(staff, *args, **kwargs)
                        if not call.recorded:
                            audit("", None, None, {"args": args, "kwargs": kwargs})
                    finally:
                        _current.reset(token)
                return result

            return retry_when_busy(attempt)

        wrapper.roles = allowed  # type: ignore[attr-defined]
        wrapper.action = action  # type: ignore[attr-defined]
        wrapper.pin = pin  # type: ignore[attr-defined]
        REGISTRY[action] = ServiceInfo(action, allowed, wrapper)
        return wrapper  # type: ignore[return-value]

    return decorate


M = TypeVar("M", bound=peewee.Model)


def get(model: type[M], ident: Any, what: str | None = None) -> M:
    """Fetch by id (or pass an instance through, re-read); NotFound with a readable message."""
    if isinstance(ident, model):
        ident = ident.get_id()
    key = row_id(ident)
    obj = model.get_or_none(model._meta.primary_key == key) if key is not None else None
    if obj is None:
        raise NotFound(
            translate("Services", "{what} {ident} was not found.").format(
                what=what or model.__name__, ident=shown(ident)
            )
        )
    return obj


def get_by_number(model: type[M], ident: Any, what: str | None = None) -> M:
    """:func:`get`, or by the row's printed ``number`` (采购单 CG…, 索赔 SP…) when a text that
    is not an id is given; a text no database can store (a lone surrogate) is simply not
    found."""
    if isinstance(ident, str) and not ident.strip().isdigit():
        text = ident.strip()
        try:
            text.encode("utf-8")
        except UnicodeEncodeError:
            text = ""
        row = model.get_or_none(model.number == text) if text else None
        if row is not None:
            return row
    return get(model, ident, what)


def shown(value: Any, limit: int = 40) -> str:
    """A value the user gave, short and printable, for quoting it in a message."""
    return str(value)[:limit].encode("utf-8", "replace").decode()


#: SQLite's INTEGER range; a larger Python int cannot even be bound as a parameter.
SQLITE_INT_MIN, SQLITE_INT_MAX = -(2**63), 2**63 - 1


def row_id(ident: Any) -> int | None:
    """A row id from an int or a digit string; None for anything else (floats, bools, lists,
    numbers SQLite cannot hold), so a hostile value is "not found" instead of a crash."""
    if isinstance(ident, bool):
        return None
    if isinstance(ident, str):
        try:
            ident = int(ident.strip())
        except ValueError:
            return None
    if not isinstance(ident, int) or not SQLITE_INT_MIN <= ident <= SQLITE_INT_MAX:
        return None
    return ident


#: Characters that show nothing: zero-width and format characters, blank fillers.
_INVISIBLE = frozenset("\u115f\u1160\u2800\u3164\uffa0")
#: Bidirectional controls: they reorder what follows (a name shown backwards, a spoofed
#: number), never typed at the desk.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Surrounding characters trimmed like spaces (harmless: nobody sees them).
_EDGES = re.compile(r"^[\s\u200b\u200c\u200d\u2060\ufeff]+|[\s\u200b\u200c\u200d\u2060\ufeff]+$")


def _storable(value: str, field_label: str, field: str | None) -> str:
    """Refuse text SQLite cannot store faithfully (NUL characters, broken Unicode) and text
    with control characters (other than tab and line breaks) or bidirectional controls, which
    scramble screens and printouts."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        bad = True
    else:
        bad = "\x00" in value
    if bad:
        raise ValidationError(
            translate("Services", "{field} contains characters that cannot be stored.").format(
                field=field_label
            ),
            field,
        )
    if any(c in _BIDI or (unicodedata.category(c) == "Cc" and c not in "\t\n\r") for c in value):
        raise ValidationError(
            translate(
                "Services",
                "{field} contains control characters (for example from a copied text). Please "
                "type it again.",
            ).format(field=field_label),
            field,
        )
    return value


def _visible(text: str) -> bool:
    """Whether ``text`` shows anything: not only spaces, format characters or fillers."""
    return any(
        unicodedata.category(c) not in ("Cf", "Zs", "Zl", "Zp", "Cc", "Mn", "Me")
        and c not in _INVISIBLE
        for c in text
    )


def _trimmed(value: str, field_label: str, field: str | None) -> str:
    """The text without surrounding spaces and zero-width characters; refused when what is
    left shows nothing (a name of only invisible characters)."""
    text = _EDGES.sub("", _storable(value, field_label, field))
    if text and not _visible(text):
        raise ValidationError(
            translate(
                "Services", "{field} has only invisible characters. Please type it again."
            ).format(field=field_label),
            field,
        )
    return text


def require_text(
    value: Any, field_label: str, max_len: int = 2000, field: str | None = None
) -> str:
    """Trimmed non-empty text of sane length, or a ValidationError naming the field."""
    if not isinstance(value, str):
        raise ValidationError(
            translate("Services", "{field} must be text.").format(field=field_label), field
        )
    text = _trimmed(value, field_label, field)
    if not text:
        raise ValidationError(
            translate("Services", "{field} is required.").format(field=field_label), field
        )
    if len(text) > max_len:
        raise ValidationError(
            translate("Services", "{field} is too long (at most {n} characters).").format(
                field=field_label, n=max_len
            ),
            field,
        )
    return text


def optional_text(
    value: Any, field_label: str, max_len: int = 2000, field: str | None = None
) -> str:
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ValidationError(
            translate("Services", "{field} must be text.").format(field=field_label), field
        )
    text = _trimmed(value, field_label, field)
    if len(text) > max_len:
        raise ValidationError(
            translate("Services", "{field} is too long (at most {n} characters).").format(
                field=field_label, n=max_len
            ),
            field,
        )
    return text


def require_int(
    value: Any,
    field_label: str,
    minimum: int | None = None,
    maximum: int | None = None,
    field: str | None = None,
) -> int:
    if isinstance(value, bool) or not isinstance(value, int | str | Decimal | float):
        raise ValidationError(
            translate("Services", "{field} must be a whole number.").format(field=field_label),
            field,
        )
    try:
        number = int(str(value).strip()) if not isinstance(value, int) else value
    except (TypeError, ValueError):
        raise ValidationError(
            translate("Services", "{field} must be a whole number.").format(field=field_label),
            field,
        ) from None
    low = SQLITE_INT_MIN if minimum is None else minimum
    high = SQLITE_INT_MAX if maximum is None else maximum
    if not low <= number <= high:
        raise ValidationError(
            translate("Services", "{field} must be between {lo} and {hi}.").format(
                field=field_label,
                lo=minimum if minimum is not None else "…",
                hi=maximum if maximum is not None else "…",
            ),
            field,
        )
    return number


def require_decimal(
    value: Any,
    field_label: str,
    minimum: Decimal | None = Decimal("0"),
    maximum: Decimal | None = Decimal("10000000"),
    field: str | None = None,
    places: int = 2,
) -> Decimal:
    """A number typed at the desk, kept to ``places`` decimals (amounts, hours, quantities:
    two). More decimals are refused, not rounded: 0.015 is a typing error, not ¥0.02."""
    from shop_desk.money import to_decimal

    step = Decimal(1).scaleb(-places)
    try:
        number = to_decimal(value)
        exact = number.quantize(step)
    except (ValueError, ArithmeticError):
        raise ValidationError(
            translate("Services", "{field} must be a number.").format(field=field_label), field
        ) from None
    if exact != number:
        raise ValidationError(
            translate("Services", "{field} has at most {n} decimal places: {value}.").format(
                field=field_label, n=places, value=shown(value)
            ),
            field,
        )
    number = exact
    if (minimum is not None and number < minimum) or (maximum is not None and number > maximum):
        raise ValidationError(
            translate("Services", "{field} must be between {lo} and {hi}.").format(
                field=field_label,
                lo=minimum if minimum is not None else "…",
                hi=maximum if maximum is not None else "…",
            ),
            field,
        )
    return number


def require_list(value: Any, field_label: str, field: str | None = None) -> list[Any]:
    """A list the UI sends (list, tuple or set; None is empty). A string or a number is
    refused rather than iterated character by character."""
    if value is None:
        return []
    if not isinstance(value, list | tuple | set | frozenset):
        raise ValidationError(
            translate("Services", "{field} must be a list.").format(field=field_label), field
        )
    return list(value)


#: Years a date typed at the desk can have; outside them it is a typing error (and near
#: datetime's own limits, adding a day to it would overflow).
EARLIEST_YEAR, LATEST_YEAR = 1900, 2200


def is_datetime(value: Any) -> bool:
    """A naive local date and time within sane years (what the UI's date-time editors give)."""
    return (
        isinstance(value, dt.datetime)
        and value.tzinfo is None
        and EARLIEST_YEAR <= value.year <= LATEST_YEAR
    )


def is_date(value: Any) -> bool:
    """A calendar date (not a datetime) within sane years."""
    return (
        isinstance(value, dt.date)
        and not isinstance(value, dt.datetime)
        and EARLIEST_YEAR <= value.year <= LATEST_YEAR
    )


def require_choice(
    value: Any, choices: tuple[str, ...] | list[str], field_label: str, field: str | None = None
) -> str:
    if value not in choices:
        raise ValidationError(
            translate("Services", "{field}: {value} is not one of the allowed values.").format(
                field=field_label, value=shown(value)
            ),
            field,
        )
    return value


def check_version(row: peewee.Model, expected_version: int | None) -> None:
    """Refuse a save based on an outdated copy of the row, saying who changed it and when."""
    if expected_version is None:
        return
    if isinstance(expected_version, bool) or not isinstance(expected_version, int):
        raise ValidationError(
            translate("Services", "The record's version is missing or not valid; please reload it.")
        )
    if row.version != expected_version:
        last = (
            AuditLog.select()
            .where((AuditLog.entity == row._meta.table_name) & (AuditLog.entity_id == row.get_id()))
            .order_by(AuditLog.id.desc())
            .first()
        )
        who = last.staff_name if last else "?"
        when = last.at.strftime("%Y-%m-%d %H:%M") if last else "?"
        raise ConflictError(
            translate(
                "Services",
                "{who} changed this record at {when} after you opened it. Reload it to see "
                "their change; your input is kept.",
            ).format(who=who, when=when)
        )


def plain_rows(query: peewee.Query) -> list[tuple]:
    """The rows of ``query`` as the database driver returns them, without the model fields'
    conversion of every value: for long read-only lists of numbers and text, where that
    conversion costs more than the query (select dates as text, see ``day_text``)."""
    return query.model._meta.database.execute(query).fetchall()


def day_text(column: peewee.Node) -> peewee.Node:
    """A date or timestamp column as 'YYYY-MM-DD' text, which SQLite and PostgreSQL both give
    and :func:`datetime.date.fromisoformat` reads; for :func:`plain_rows`."""
    return peewee.fn.SUBSTR(column.cast("TEXT"), 1, 10).coerce(False)
