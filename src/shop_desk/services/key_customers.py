"""Periodic visits to key customers (重点客户走访, the rulebook's 篇三 second list §4): a list
of key customers with how often each is visited, the visits due, and the visit records."""

from __future__ import annotations

import datetime as dt
from typing import Any

from peewee import fn

from shop_desk import clock
from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import Customer, KeyCustomer, KeyCustomerVisit, Staff
from shop_desk.roles import Role
from shop_desk.services.base import (
    audit,
    get,
    is_date,
    optional_text,
    require_int,
    require_text,
    service,
    snapshot,
)

_ORGANISERS = (Role.MANAGER, Role.SUPERVISOR, Role.CRM_CLERK)


@service(*_ORGANISERS)
def add_key_customer(
    actor: Staff, customer: Customer | int, interval_days: Any = 90, note: str = ""
) -> KeyCustomer:
    """Put a customer on the visit list; the first visit is due one interval from today."""
    cust = get(Customer, customer, translate("KeyCustomers", "Customer"))
    days = require_int(
        interval_days, translate("KeyCustomers", "Visit every (days)"), 7, 730, "interval_days"
    )
    text = optional_text(note, translate("KeyCustomers", "Note"), 2000, "note")
    row = KeyCustomer.get_or_none(KeyCustomer.customer == cust)
    before = snapshot(row) if row is not None else None
    if row is not None and row.active:
        raise DomainError(
            translate("KeyCustomers", "{name} is on the key-customer list already.").format(
                name=cust.name
            )
        )
    if row is None:
        row = KeyCustomer(customer=cust, added_at=clock.now(), added_by=actor)
    row.interval_days = days
    row.note = text
    row.active = True
    row.next_visit_on = clock.today() + dt.timedelta(days=days)
    row.save()
    audit("key_customer", row.id, before, snapshot(row))
    return row


@service(*_ORGANISERS)
def remove_key_customer(actor: Staff, key_customer: KeyCustomer | int) -> KeyCustomer:
    """Take a customer off the visit list (their visits stay on record)."""
    row = get(KeyCustomer, key_customer, translate("KeyCustomers", "Key customer"))
    if not row.active:
        raise DomainError(translate("KeyCustomers", "This customer is off the list already."))
    before = snapshot(row)
    row.active = False
    row.save()
    audit("key_customer", row.id, before, snapshot(row))
    return row


@service(*_ORGANISERS, Role.ADVISOR, Role.TECHNICIAN, Role.TEAM_LEADER)
def record_key_customer_visit(
    actor: Staff,
    key_customer: KeyCustomer | int,
    visited_on: dt.date,
    usage: str,
    opinions: str = "",
    visited_by: Staff | int | None = None,
) -> KeyCustomerVisit:
    """A visit made: who went (the one recording it, unless named), how the cars are used and
    the customer's opinions; the next visit is due one interval after it."""
    row = get(KeyCustomer, key_customer, translate("KeyCustomers", "Key customer"))
    visitor = (
        get(Staff, visited_by, translate("KeyCustomers", "Staff member"))
        if visited_by is not None
        else actor
    )
    if not visitor.active:
        raise ValidationError(
            translate("KeyCustomers", "{name} no longer works here.").format(name=visitor.name),
            "visited_by",
        )
    if not row.active:
        raise DomainError(translate("KeyCustomers", "This customer is off the list."))
    if not is_date(visited_on):
        raise ValidationError(translate("KeyCustomers", "Give the day of the visit."), "visited_on")
    if visited_on > clock.today():
        raise ValidationError(
            translate("KeyCustomers", "The visit's day lies in the future."), "visited_on"
        )
    visit = KeyCustomerVisit.create(
        key_customer=row,
        visited_on=visited_on,
        visited_by=visitor,
        usage=require_text(
            usage, translate("KeyCustomers", "How the cars are used"), 4000, "usage"
        ),
        opinions=optional_text(
            opinions, translate("KeyCustomers", "Customer's opinions"), 4000, "opinions"
        ),
        recorded_at=clock.now(),
    )
    audit("key_customer_visit", visit.id, None, snapshot(visit))
    before = snapshot(row)
    row.next_visit_on = max(row.next_visit_on, visited_on + dt.timedelta(days=row.interval_days))
    row.save()
    audit("key_customer", row.id, before, snapshot(row))
    return visit


def visits_due(on_date: dt.date | None = None) -> list[KeyCustomer]:
    """Key customers whose visit is due by ``on_date`` (today), the longest overdue first."""
    day = on_date or clock.today()
    return list(
        KeyCustomer.select()
        .where(KeyCustomer.active & (KeyCustomer.next_visit_on <= day))
        .order_by(KeyCustomer.next_visit_on, KeyCustomer.id)
    )


def key_customers() -> list[KeyCustomer]:
    """The visit list (the schedule), by the next visit's day."""
    return list(
        KeyCustomer.select()
        .where(KeyCustomer.active)
        .order_by(KeyCustomer.next_visit_on, KeyCustomer.id)
    )


def visits_of(key_customer: KeyCustomer | int) -> list[KeyCustomerVisit]:
    return list(
        KeyCustomerVisit.select()
        .where(KeyCustomerVisit.key_customer == key_customer)
        .order_by(KeyCustomerVisit.visited_on.desc(), KeyCustomerVisit.id.desc())
    )


def last_visits() -> dict[int, dt.date]:
    """The day of each key customer's latest visit, by key-customer id."""
    query = KeyCustomerVisit.select(
        KeyCustomerVisit.key_customer, fn.MAX(KeyCustomerVisit.visited_on).alias("last")
    ).group_by(KeyCustomerVisit.key_customer)
    return {row.key_customer_id: _day(row.last) for row in query}


def _day(value: dt.date | str) -> dt.date:
    """MAX() over a date column comes back as text on SQLite."""
    return value if isinstance(value, dt.date) else dt.date.fromisoformat(str(value)[:10])
