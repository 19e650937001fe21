"""Counter sales (配件零售): parts and accessories sold over the counter, without a repair order.

A sale takes its lines from stock at the catalogue price (nothing here lowers a price: a
discount is the repair order's, through :mod:`shop_desk.services.pricing`), is paid at once
with the checkout's pay types and cash rule, and its number is the receipt number. Each line
keeps the category and the warranty it was sold with; a gift (赠品) is marked on its line,
costs nothing and is neither exchanged nor under warranty.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shop_desk import clock
from shop_desk.counter_states import COUNTER_ROLES
from shop_desk.errors import ValidationError
from shop_desk.i18n import translate
from shop_desk.models import CounterPayment, CounterSale, CounterSaleLine, Part, Staff
from shop_desk.models.checkout import PAYMENT_METHODS
from shop_desk.money import ZERO, fmt, line_amount, money, total
from shop_desk.services.base import (
    audit,
    optional_text,
    require_choice,
    require_decimal,
    require_list,
    service,
    shown,
    snapshot,
)
from shop_desk.services.checkout import cash_change
from shop_desk.services.counter_policy import warranty_days
from shop_desk.services.orders import next_number
from shop_desk.services.parts import MAX_QTY, find_part
from shop_desk.validation import check_phone

#: Receipt numbers of the counter: LS (零售) + date + sequence.
PREFIX = "LS"
#: Pay types of the counter: the checkout's, less "on account" (a counter sale is paid at once).
COUNTER_METHODS = tuple(m for m in PAYMENT_METHODS if m != "on_account")
MAX_LINES = 100


@dataclass(frozen=True)
class BasketLine:
    """A line of the basket as checked before the sale."""

    part: Part
    quantity: Decimal
    gift: bool

    @property
    def amount(self) -> Decimal:
        return ZERO if self.gift else line_amount(self.quantity, self.part.unit_price)


def _basket(lines: Any) -> list[BasketLine]:
    """The basket's lines, checked: catalogue parts that are sold, quantities in stock."""
    items = require_list(lines, translate("Counter", "Lines"), "lines")
    if not items:
        raise ValidationError(translate("Counter", "Add at least one part to the sale."), "lines")
    if len(items) > MAX_LINES:
        raise ValidationError(
            translate("Counter", "A sale has at most {n} lines.").format(n=MAX_LINES), "lines"
        )
    basket: list[BasketLine] = []
    wanted: dict[int, Decimal] = {}
    for item in items:
        if not isinstance(item, Mapping):
            raise ValidationError(
                translate("Counter", "Each line names a part and a quantity."), "lines"
            )
        part = find_part(item.get("part"))
        if not part.active:
            raise ValidationError(
                translate("Counter", "{part} is no longer sold.").format(part=part.name), "lines"
            )
        qty = require_decimal(
            item.get("quantity", "1"),
            translate("Counter", "Quantity"),
            Decimal("0.01"),
            MAX_QTY,
            "lines",
        )
        gift = item.get("gift", False)
        if not isinstance(gift, bool):
            raise ValidationError(
                translate("Counter", "Say for each line whether it is a gift (yes or no)."),
                "lines",
            )
        wanted[part.id] = wanted.get(part.id, ZERO) + qty
        if wanted[part.id] > part.available_qty:
            raise ValidationError(
                translate(
                    "Counter",
                    "Not enough {part} in stock: {qty} wanted, {free} free (stock {stock}, "
                    "reserved for repair orders {reserved}).",
                ).format(
                    part=part.name,
                    qty=wanted[part.id],
                    free=max(part.available_qty, ZERO),
                    stock=part.stock_qty,
                    reserved=part.reserved_qty,
                ),
                "lines",
            )
        basket.append(BasketLine(part, qty, gift))
    if all(line.gift for line in basket):
        raise ValidationError(
            translate("Counter", "Gifts go with a sale: add at least one line that is sold."),
            "lines",
        )
    return basket


def basket_total(lines: Any) -> Decimal:
    """What the customer pays for ``lines`` (for the desk's running total); refusals as
    :func:`sell` gives them."""
    return total(line.amount for line in _basket(lines))


def _phone(value: Any) -> str:
    text = optional_text(value, translate("Counter", "Customer's phone"), 40, "customer_phone")
    result = check_phone(text, required=False)
    if not result.ok:
        raise ValidationError(result.message, "customer_phone")
    return result.value


@service(*COUNTER_ROLES)
def sell(
    actor: Staff,
    lines: Any,
    method: str,
    tendered: Any = None,
    reference: str = "",
    customer_name: str = "",
    customer_phone: str = "",
) -> CounterSale:
    """Sell parts over the counter: stock goes down, the money is taken, and the sale's
    number is the receipt's. ``lines``: ``{"part": id or part no., "quantity", "gift"}``."""
    basket = _basket(lines)
    if method == "on_account":
        raise ValidationError(
            translate(
                "Counter",
                "A counter sale is paid at once: on account is for company customers' "
                "repair orders.",
            ),
            "method",
        )
    method = require_choice(
        method, COUNTER_METHODS, translate("Counter", "Payment method"), "method"
    )
    name = optional_text(customer_name, translate("Counter", "Customer"), 80, "customer_name")
    phone = _phone(customer_phone)
    ref = optional_text(reference, translate("Counter", "Reference"), 60, "reference")
    amount = total(line.amount for line in basket)
    given, change = cash_change(method, amount, tendered)
    now = clock.now()
    sale = CounterSale.create(
        number=next_number(CounterSale, PREFIX, now),
        sold_at=now,
        sold_by=actor,
        customer_name=name,
        customer_phone=phone,
        total=amount,
    )
    for line in basket:
        part = Part.get_by_id(line.part.id)
        before = {"stock_qty": part.stock_qty}
        part.stock_qty -= line.quantity
        part.save()
        row = CounterSaleLine.create(
            sale=sale,
            part=part,
            description=part.name,
            category=part.category,
            quantity=line.quantity,
            unit_price=part.unit_price,
            amount=line.amount,
            gift=line.gift,
            warranty_days=0 if line.gift else warranty_days(part.category),
        )
        audit("part", part.id, before, {"stock_qty": part.stock_qty, "sold": sale.number})
        audit("counter_sale_line", row.id, None, snapshot(row))
    payment = CounterPayment.create(
        sale=sale,
        method=method,
        amount=amount,
        tendered=given,
        change_given=change,
        reference=ref,
        at=now,
        by=actor,
    )
    audit("counter_payment", payment.id, None, snapshot(payment))
    audit("counter_sale", sale.id, None, snapshot(sale))
    return sale


# --------------------------------------------------------------------------- look-ups


def find_sale(number: Any) -> CounterSale:
    """A sale by its receipt number, or a refusal saying it was not found."""
    text = number.strip() if isinstance(number, str) else ""
    row = CounterSale.get_or_none(CounterSale.number == text.upper()) if text else None
    if row is None:
        raise ValidationError(
            translate("Counter", "There is no counter sale with receipt number {number}.").format(
                number=shown(number)
            ),
            "number",
        )
    return row


def sales_for(key: Any, limit: int = 50) -> list[CounterSale]:
    """Sales found by receipt number or by the customer's phone, newest first."""
    text = key.strip() if isinstance(key, str) else ""
    if not text:
        return []
    by_number = CounterSale.get_or_none(CounterSale.number == text.upper())
    if by_number is not None:
        return [by_number]
    phone = check_phone(text, required=False)
    if not phone.ok or not phone.value:
        return []
    return list(
        CounterSale.select()
        .where(CounterSale.customer_phone == phone.value)
        .order_by(CounterSale.sold_at.desc(), CounterSale.id.desc())
        .limit(limit)
    )


def sale_lines(sale: CounterSale | int) -> list[CounterSaleLine]:
    return list(
        CounterSaleLine.select().where(CounterSaleLine.sale == sale).order_by(CounterSaleLine.id)
    )


def sale_payments(sale: CounterSale | int) -> list[CounterPayment]:
    return list(
        CounterPayment.select().where(CounterPayment.sale == sale).order_by(CounterPayment.id)
    )


def paid_total(sale: CounterSale | int) -> Decimal:
    """What the customer paid for the sale, net of refunds."""
    return total(p.amount for p in sale_payments(sale))


def sales_on(day: dt.date) -> list[CounterSale]:
    """The counter's sales of one day (the Sale tab's list)."""
    start = dt.datetime.combine(day, dt.time())
    return list(
        CounterSale.select()
        .where((CounterSale.sold_at >= start) & (CounterSale.sold_at < start + dt.timedelta(1)))
        .order_by(CounterSale.id.desc())
    )


def sale_summary(sale: CounterSale) -> str:
    """One line about a sale for lists: number, time, customer, total."""
    who = " ".join(x for x in (sale.customer_name, sale.customer_phone) if x)
    return translate("Counter", "{number} · {time} · {customer} · {total}").format(
        number=sale.number,
        time=sale.sold_at.strftime("%Y-%m-%d %H:%M"),
        customer=who or translate("Counter", "walk-in customer"),
        total=fmt(money(sale.total)),
    )
