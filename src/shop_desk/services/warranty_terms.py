"""The shop's own warranty terms: the policies per item category (质量担保政策) the admin
keeps, and a car's warranty card (保卡) that extends, shortens or excludes its cover.

The engine (:mod:`shop_desk.services.warranty`) reads both on every decision, so a change
here decides the next line at once. One policy per category is active (``policy_for`` picks
the active one); a retired policy is kept for history. A car has at most one override per
category (``override_for`` reads the newest): a second card for the same category replaces
nothing silently, the advisor removes the old one first.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import shown_name, translate
from shop_desk.models import Staff, Vehicle, WarrantyOverride, WarrantyPolicy
from shop_desk.models.catalogue import CATEGORIES
from shop_desk.roles import Role
from shop_desk.services.base import (
    audit,
    get,
    is_date,
    require_choice,
    require_int,
    require_text,
    service,
    snapshot,
)

BASES = ("vehicle", "fitted")
#: Sensible limits: a warranty of more than 20 years or 2 million km is a typing error.
MAX_DAYS = 20 * 365
MAX_KM = 2_000_000
_CODE = re.compile(r"^[a-z][a-z0-9_]{1,29}$")


def category_label(code: str) -> str:
    """An item category in words (a category the shop added shows its code)."""
    return {
        "general": translate("WarrantyTerms", "General"),
        "wear": translate("WarrantyTerms", "Wear parts"),
        "accessory": translate("WarrantyTerms", "Accessories"),
        "maintenance": translate("WarrantyTerms", "Routine maintenance"),
        "body": translate("WarrantyTerms", "Body and paint"),
        "shop_fitted": translate("WarrantyTerms", "Shop-fitted parts and labour"),
    }.get(code, code)


def basis_label(code: str) -> str:
    return {
        "vehicle": translate("WarrantyTerms", "From the car's warranty start"),
        "fitted": translate("WarrantyTerms", "From the fitting"),
    }.get(code, code)


def known_categories() -> list[str]:
    """The engine's categories, then any the shop's policies added (in that order)."""
    found = [*CATEGORIES, "shop_fitted"]
    found += [p.category for p in WarrantyPolicy.select().order_by(WarrantyPolicy.id)]
    return list(dict.fromkeys(found))


def policies() -> list[WarrantyPolicy]:
    """All policies, active ones first, by category."""
    return list(
        WarrantyPolicy.select().order_by(
            WarrantyPolicy.active.desc(), WarrantyPolicy.category, WarrantyPolicy.id
        )
    )


def overrides_of(vehicle: Vehicle | int) -> list[WarrantyOverride]:
    """A car's own terms, newest first."""
    return list(
        WarrantyOverride.select()
        .where(WarrantyOverride.vehicle == vehicle)
        .order_by(WarrantyOverride.id.desc())
    )


def terms_text(days: int | None, km: int | None, excluded: bool) -> str:
    """A policy's cover in words: "730 days / 60,000 km", "excluded", "no limit"."""
    if excluded:
        return translate("WarrantyTerms", "Excluded")
    parts = []
    if days is not None:
        parts.append(translate("WarrantyTerms", "{n} days").format(n=days))
    if km is not None:
        parts.append(translate("WarrantyTerms", "{km} km").format(km=f"{km:,}"))
    return " / ".join(parts) if parts else translate("WarrantyTerms", "No limit")


def override_text(row: WarrantyOverride) -> str:
    """A car's own terms in words: "until 2029-05-01 / 150,000 km" or "excluded"."""
    if row.excluded:
        return translate("WarrantyTerms", "Excluded")
    parts = []
    if row.until_date is not None:
        parts.append(
            translate("WarrantyTerms", "until {date}").format(date=row.until_date.isoformat())
        )
    if row.until_km is not None:
        parts.append(translate("WarrantyTerms", "up to {km} km").format(km=f"{row.until_km:,}"))
    return " / ".join(parts)


# --------------------------------------------------------------------------- checks


def _category_code(value: Any) -> str:
    label = translate("WarrantyTerms", "Category")
    text = require_text(value, label, 30, "category")
    if not _CODE.match(text):
        raise ValidationError(
            translate(
                "WarrantyTerms",
                "The category code {code} may have only small letters, digits and _ "
                "(2 to 30 characters, starting with a letter).",
            ).format(code=text),
            "category",
        )
    return text


def _optional_int(value: Any, label: str, maximum: int, field: str) -> int | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    return require_int(value, label, 1, maximum, field)


def _flag(value: Any, label: str, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(
            translate("WarrantyTerms", "{field} must be yes or no.").format(field=label), field
        )
    return value


def _active_other(category: str, row_id: int | None) -> WarrantyPolicy | None:
    query = WarrantyPolicy.select().where(
        (WarrantyPolicy.category == category) & (WarrantyPolicy.active == True)  # noqa: E712
    )
    if row_id is not None:
        query = query.where(WarrantyPolicy.id != row_id)
    return query.first()


# --------------------------------------------------------------------------- policies


@service(Role.ADMIN, Role.MANAGER)
def save_policy(
    actor: Staff,
    policy: WarrantyPolicy | int | None,
    name: str,
    category: str,
    basis: str,
    days: int | str | None = None,
    km: int | str | None = None,
    excluded: bool = False,
) -> WarrantyPolicy:
    """Add a policy (``policy`` None) or change one; it decides the next line at once.

    An excluded category has no period. Otherwise days, km or both (whichever comes first)."""
    row = (
        None
        if policy is None
        else get(WarrantyPolicy, policy, translate("WarrantyTerms", "Policy"))
    )
    if row is not None and not row.active:
        raise DomainError(
            translate(
                "WarrantyTerms",
                "{name} is retired and kept for history; add a new policy instead.",
            ).format(name=shown_name(row.name))
        )
    name = require_text(name, translate("WarrantyTerms", "Policy name"), 80, "name")
    category = _category_code(category)
    basis = require_choice(basis, BASES, translate("WarrantyTerms", "Counted"), "basis")
    excluded = _flag(excluded, translate("WarrantyTerms", "Excluded"), "excluded")
    days = _optional_int(days, translate("WarrantyTerms", "Days"), MAX_DAYS, "days")
    km = _optional_int(km, translate("WarrantyTerms", "Kilometres"), MAX_KM, "km")
    if excluded:
        days = km = None
    elif days is None and km is None:
        raise ValidationError(
            translate(
                "WarrantyTerms",
                "Give the warranty in days, in kilometres or both, or mark the category excluded.",
            ),
            "days",
        )
    other = _active_other(category, row.id if row is not None else None)
    if other is not None:
        raise ValidationError(
            translate(
                "WarrantyTerms",
                "{category} already has the policy {name}. Change that one, or retire it first.",
            ).format(category=category_label(category), name=shown_name(other.name)),
            "category",
        )
    before = snapshot(row) if row is not None else None
    values = {
        "name": name,
        "category": category,
        "basis": basis,
        "days": days,
        "km": km,
        "excluded": excluded,
    }
    if row is None:
        row = WarrantyPolicy.create(**values)
    else:
        for key, value in values.items():
            setattr(row, key, value)
        row.save()
    audit("warranty_policy", row.id, before, snapshot(row))
    return row


@service(Role.ADMIN, Role.MANAGER)
def retire_policy(actor: Staff, policy: WarrantyPolicy | int) -> WarrantyPolicy:
    """Stop using a policy; it stays listed for history. Its category then has no policy
    until a new one is added, so the engine refers such items to the manufacturer."""
    row = get(WarrantyPolicy, policy, translate("WarrantyTerms", "Policy"))
    if not row.active:
        raise DomainError(
            translate("WarrantyTerms", "{name} is retired already.").format(
                name=shown_name(row.name)
            )
        )
    before = snapshot(row)
    row.active = False
    row.save()
    audit("warranty_policy", row.id, before, snapshot(row))
    return row


# --------------------------------------------------------------------------- warranty cards


@service(Role.ADVISOR, Role.MANAGER)
def add_override(
    actor: Staff,
    vehicle: Vehicle | int,
    category: str,
    note: str,
    until_date: dt.date | None = None,
    until_km: int | str | None = None,
    excluded: bool = False,
) -> WarrantyOverride:
    """Record a car's warranty card: its own last day and/or km for a category, or an
    exclusion. The note (the card number, who granted it) is required: it is shown with
    every decision the card makes."""
    car = get(Vehicle, vehicle, translate("WarrantyTerms", "Vehicle"))
    category = require_choice(
        category, known_categories(), translate("WarrantyTerms", "Category"), "category"
    )
    note = require_text(note, translate("WarrantyTerms", "Card number or note"), 120, "note")
    excluded = _flag(excluded, translate("WarrantyTerms", "Excluded"), "excluded")
    if until_date is not None and not is_date(until_date):
        raise ValidationError(
            translate("WarrantyTerms", "The last covered day must be a date."), "until_date"
        )
    until_km = _optional_int(
        until_km, translate("WarrantyTerms", "Last covered km"), MAX_KM, "until_km"
    )
    if excluded:
        until_date = until_km = None
    elif until_date is None and until_km is None:
        raise ValidationError(
            translate(
                "WarrantyTerms",
                "Give the card's last covered day, its kilometres or both, or mark the category "
                "excluded for this car.",
            ),
            "until_date",
        )
    existing = (
        WarrantyOverride.select()
        .where((WarrantyOverride.vehicle == car) & (WarrantyOverride.category == category))
        .first()
    )
    if existing is not None:
        raise ValidationError(
            translate(
                "WarrantyTerms",
                "This car already has its own terms for {category} ({note}). Remove them first.",
            ).format(category=category_label(category), note=existing.note),
            "category",
        )
    row = WarrantyOverride.create(
        vehicle=car,
        category=category,
        until_date=until_date,
        until_km=until_km,
        excluded=excluded,
        note=note,
    )
    audit("warranty_override", row.id, None, snapshot(row))
    return row


@service(Role.ADVISOR, Role.MANAGER)
def remove_override(actor: Staff, override: WarrantyOverride | int) -> None:
    """The card no longer applies: the car's items fall back to the shop's policy. The
    audit log keeps what the card said."""
    row = get(WarrantyOverride, override, translate("WarrantyTerms", "Warranty card"))
    before = snapshot(row)
    row.delete_instance()
    audit("warranty_override", before["id"], before, None)
