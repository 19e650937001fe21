"""The warranty policy of what the accessory counter sells (篇五), kept by the shop.

Products are under warranty for a year, accessories (the catalogue's category ``accessory``)
for three months: both periods, the 15-day exchange window and the 3 days a replacement may
take are the shop's settings. Parts of a product the warranty does not cover (the rulebook:
aerial, housing, display panel) are an editable list per category; a removed exclusion is
kept with who removed it, and every change is in the audit log.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from shop_desk import clock
from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import CounterExclusion, ShopSettings, Staff
from shop_desk.models.catalogue import CATEGORIES
from shop_desk.roles import Role
from shop_desk.services.base import audit, get, require_choice, require_text, service, snapshot
from shop_desk.services.orders import settings


def category_label(code: str) -> str:
    return {
        "general": translate("Counter", "General"),
        "wear": translate("Counter", "Wear part"),
        "accessory": translate("Counter", "Accessory"),
        "maintenance": translate("Counter", "Maintenance"),
        "body": translate("Counter", "Body and paint"),
    }.get(code, code)


@dataclass(frozen=True)
class CounterTerms:
    """The shop's counter settings in force."""

    product_days: int
    accessory_days: int
    exchange_days: int
    replacement_days: int


def terms(row: ShopSettings | None = None) -> CounterTerms:
    row = row or settings()
    return CounterTerms(
        product_days=row.counter_product_warranty_days,
        accessory_days=row.counter_accessory_warranty_days,
        exchange_days=row.counter_exchange_days,
        replacement_days=row.counter_replacement_days,
    )


def warranty_days(category: str, row: ShopSettings | None = None) -> int:
    """The warranty a part of ``category`` is sold with: accessories' or products'."""
    shop = terms(row)
    return shop.accessory_days if category == "accessory" else shop.product_days


def warranty_text(days: int) -> str:
    """A warranty period in words (a year, three months, or the days)."""
    if days <= 0:
        return translate("Counter", "no warranty")
    if days % 365 == 0:
        return translate("Counter", "{n} year(s)").format(n=days // 365)
    if days % 30 == 0:
        return translate("Counter", "{n} month(s)").format(n=days // 30)
    return translate("Counter", "{n} days").format(n=days)


def exclusions(category: str | None = None, with_removed: bool = False) -> list[CounterExclusion]:
    """The exclusion list, by category and item; removed rows only when asked."""
    query = CounterExclusion.select()
    if category is not None:
        query = query.where(CounterExclusion.category == category)
    if not with_removed:
        query = query.where(CounterExclusion.active == True)  # noqa: E712
    return list(query.order_by(CounterExclusion.category, CounterExclusion.item))


def excluded_item(category: str, component: str) -> CounterExclusion | None:
    """The exclusion that covers ``component`` of a product of ``category`` (same words,
    case and surrounding spaces ignored), or None."""
    wanted = component.strip().casefold()
    if not wanted:
        return None
    for row in exclusions(category):
        if row.item.strip().casefold() == wanted:
            return row
    return None


def _category(value: Any) -> str:
    return require_choice(value, CATEGORIES, translate("Counter", "Category"), "category")


@service(Role.ADMIN, Role.MANAGER)
def add_exclusion(actor: Staff, category: str, item: str) -> CounterExclusion:
    """Exclude a part of the products of a category from the counter's warranty."""
    category = _category(category)
    text = require_text(item, translate("Counter", "Excluded part"), 80, "item")
    if excluded_item(category, text) is not None:
        raise ValidationError(
            translate("Counter", "{item} is already excluded for {category}.").format(
                item=text, category=category_label(category)
            ),
            "item",
        )
    row = CounterExclusion.create(
        category=category, item=text, added_by=actor, added_at=clock.now()
    )
    audit("counter_exclusion", row.id, None, snapshot(row))
    return row


@service(Role.ADMIN, Role.MANAGER)
def remove_exclusion(actor: Staff, exclusion: CounterExclusion | int) -> CounterExclusion:
    """Cover a part again: the row stays, marked removed with who and when."""
    row = get(CounterExclusion, exclusion, translate("Counter", "Exclusion"))
    if not row.active:
        raise DomainError(
            translate("Counter", "{item} was removed from the list already.").format(item=row.item)
        )
    before = snapshot(row)
    row.active = False
    row.removed_at = clock.now()
    row.removed_by = actor
    row.save()
    audit("counter_exclusion", row.id, before, snapshot(row))
    return row


def warranty_ends(sold_at: dt.datetime, days: int) -> dt.date:
    """The last day a product sold at ``sold_at`` with ``days`` of warranty is covered."""
    return sold_at.date() + dt.timedelta(days=max(days, 0))
