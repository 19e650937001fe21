"""Shared helpers for repair orders: numbers, loading with version check, state moves, totals."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import peewee

from shop_desk import clock
from shop_desk.errors import TransitionRefused
from shop_desk.i18n import translate
from shop_desk.models import JobLine, RepairOrder, ShopSettings, Staff
from shop_desk.models.orders import PAY_TYPES
from shop_desk.money import ZERO, line_amount, money, tax_part
from shop_desk.services.base import audit, check_version, get
from shop_desk.services.prepared import Prepared
from shop_desk.states import FROZEN_STATES, State, state_label, target_state

_SETTINGS = Prepared(lambda: ShopSettings.select().limit(1))


def settings() -> ShopSettings:
    """The shop's settings row (created with defaults on first use)."""
    row = _SETTINGS.first()
    if row is None:
        row = ShopSettings.create(name="")
    return row


def next_number(
    model: type[peewee.Model], prefix: str, when: dt.datetime | None = None, column: str = "number"
) -> str:
    """Human-friendly numbers per day: PREFIX + yymmdd + '-' + sequence (e.g. RO261127-004)."""
    when = when or clock.now()
    stem = f"{prefix}{when:%y%m%d}-"
    col = getattr(model, column)
    last = model.select(peewee.fn.MAX(col)).where(col.startswith(stem)).scalar()
    seq = int(last.rsplit("-", 1)[1]) + 1 if last else 1
    return f"{stem}{seq:03d}"


def load_order(order_id: int | RepairOrder, expected_version: int | None = None) -> RepairOrder:
    order = get(RepairOrder, order_id, translate("Services", "Repair order"))
    check_version(order, expected_version)
    return order


def ensure_editable(order: RepairOrder) -> None:
    """Settled, left, closed or cancelled orders are frozen."""
    if State(order.state) in FROZEN_STATES:
        raise TransitionRefused(
            translate(
                "Services",
                "Order {number} is {state}; it can no longer be changed. A correction needs a "
                "manager-approved void.",
            ).format(number=order.number, state=state_label(order.state))
        )


def touch(order: RepairOrder, actor: Staff) -> None:
    """Mark the order changed (version + who/when) and save it."""
    order.version += 1
    order.updated_at = clock.now()
    order.updated_by = actor
    order.save()


def move(order: RepairOrder, action: str, actor: Staff, **changes: object) -> State:
    """Apply a state-machine action plus field ``changes``; audit before/after."""
    before = {"state": order.state, **{k: getattr(order, k) for k in changes}}
    new_state = target_state(order.state, action)
    order.state = new_state.value
    for key, value in changes.items():
        setattr(order, key, value)
    touch(order, actor)
    audit("repair_order", order.id, before, {"state": order.state, **changes})
    return new_state


def line_total(line: JobLine) -> Decimal:
    """Gross (tax-inclusive) amount of one job line after its discount."""
    return line_total_of(
        line.kind, line.hours, line.rate, line.quantity, line.unit_price, line.discount
    )


def line_total_of(
    kind: str,
    hours: Decimal | None,
    rate: Decimal | None,
    quantity: Decimal | None,
    unit_price: Decimal | None,
    discount: Decimal | None,
) -> Decimal:
    """:func:`line_total` from a line's columns (long lists read plain rows)."""
    if kind == "labour":
        return line_amount(hours or ZERO, rate or ZERO, discount or ZERO)
    return line_amount(quantity or ZERO, unit_price or ZERO, discount or ZERO)


def line_gross(line: JobLine) -> Decimal:
    if line.kind == "labour":
        return line_amount(line.hours or ZERO, line.rate or ZERO)
    return line_amount(line.quantity or ZERO, line.unit_price or ZERO)


@dataclass
class OrderTotals:
    """Totals derived from the lines; only authorised lines count (proposed shown apart)."""

    labour: Decimal = ZERO  # customer-paid labour
    parts: Decimal = ZERO  # customer-paid parts
    by_pay_type: dict[str, Decimal] = field(default_factory=dict)
    line_discounts: Decimal = ZERO
    order_discount: Decimal = ZERO
    customer_total: Decimal = ZERO  # what the customer pays, tax-inclusive
    tax: Decimal = ZERO
    warranty_claim: Decimal = ZERO
    proposed: Decimal = ZERO  # additional work still waiting for authorisation
    declined: Decimal = ZERO

    @property
    def discount_total(self) -> Decimal:
        return money(self.line_discounts + self.order_discount)


def compute_totals(lines: list[JobLine], order_discount: Decimal, tax_rate: Decimal) -> OrderTotals:
    t = OrderTotals(by_pay_type={p: ZERO for p in PAY_TYPES})
    for line in lines:
        amount = line_total(line)
        if line.auth_state == "proposed":
            t.proposed = money(t.proposed + amount)
            continue
        if line.auth_state == "declined":
            t.declined = money(t.declined + amount)
            continue
        t.by_pay_type[line.pay_type] = money(t.by_pay_type.get(line.pay_type, ZERO) + amount)
        if line.pay_type == "customer":
            t.line_discounts = money(t.line_discounts + money(line.discount or ZERO))
            if line.kind == "labour":
                t.labour = money(t.labour + amount)
            else:
                t.parts = money(t.parts + amount)
    t.order_discount = money(order_discount or ZERO)
    t.customer_total = money(max(ZERO, t.by_pay_type["customer"] - t.order_discount))
    t.tax = tax_part(t.customer_total, tax_rate)
    t.warranty_claim = t.by_pay_type["warranty"]
    return t


def order_totals(order: RepairOrder) -> OrderTotals:
    lines = list(JobLine.select().where(JobLine.order == order).order_by(JobLine.sort, JobLine.id))
    return compute_totals(lines, order.order_discount, settings().tax_rate)
