"""Read model of the counter receipt (配件零售收据): everything the printed form needs.

The printing package reads only through this function (as the order's forms read through
:mod:`shop_desk.services.documents`, which also counts the receipt's prints so a reprint is
a copy). The receipt carries the sale, its payments and refunds, and the warranty terms the
customer bought under (篇五), in the interface language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from shop_desk.i18n import translate
from shop_desk.money import amount_in_words, money, total
from shop_desk.services.counter import find_sale, sale_lines, sale_payments
from shop_desk.services.counter_policy import category_label, exclusions, terms, warranty_text
from shop_desk.services.documents import ShopHeader, shop_header, unit_label


@dataclass
class ReceiptLine:
    no: int
    part_no: str
    name: str
    unit: str
    quantity: Decimal
    unit_price: Decimal
    amount: Decimal
    gift: bool
    warranty: str  # the period in words ('' for a gift)


@dataclass
class ReceiptPayment:
    method: str
    amount: Decimal  # negative for a refund
    tendered: Decimal | None
    change: Decimal
    reference: str
    at: dt.datetime


@dataclass
class CounterReceiptData:
    shop: ShopHeader
    number: str
    sold_at: dt.datetime
    sold_by: str
    customer_name: str
    customer_phone: str
    lines: list[ReceiptLine]
    total: Decimal
    total_in_words: str
    payments: list[ReceiptPayment]
    paid: Decimal  # net of refunds
    terms: list[str] = field(default_factory=list)  # the policy printed under the lines


def _terms_text(categories: list[str]) -> list[str]:
    shop = terms()
    out = [
        translate(
            "Printing",
            "Exchange or refund within {n} days of the sale for a quality fault, on the shop's "
            "test report; exterior damage or missing parts void the exchange. Keep this "
            "receipt and the packaging.",
        ).format(n=shop.exchange_days),
        translate(
            "Printing",
            "Warranty: products {product}, accessories {accessory}. A faulty product sent in "
            "is assessed; with a quality fault the replacement goes out within {days} days of "
            "receipt.",
        ).format(
            product=warranty_text(shop.product_days),
            accessory=warranty_text(shop.accessory_days),
            days=shop.replacement_days,
        ),
        translate(
            "Printing",
            "Gifts are neither exchanged nor under warranty. Every return needs the general "
            "manager's approval; without it the costs stay with the customer.",
        ),
    ]
    for category in categories:
        items = [row.item for row in exclusions(category)]
        if items:
            out.append(
                translate("Printing", "Not under warranty ({category}): {items}.").format(
                    category=category_label(category), items=", ".join(items)
                )
            )
    return out


def counter_receipt_data(number: str) -> CounterReceiptData:
    """The receipt of one counter sale (by its receipt number)."""
    sale = find_sale(number)
    lines = sale_lines(sale)
    rows = [
        ReceiptLine(
            no=i,
            part_no=line.part.part_no,
            name=line.description,
            unit=unit_label(line.part.unit),
            quantity=line.quantity,
            unit_price=money(line.unit_price),
            amount=money(line.amount),
            gift=line.gift,
            warranty="" if line.gift else warranty_text(line.warranty_days),
        )
        for i, line in enumerate(lines, start=1)
    ]
    payments = [
        ReceiptPayment(p.method, money(p.amount), p.tendered, p.change_given, p.reference, p.at)
        for p in sale_payments(sale)
    ]
    categories = sorted({line.category for line in lines if not line.gift})
    return CounterReceiptData(
        shop=shop_header(),
        number=sale.number,
        sold_at=sale.sold_at,
        sold_by=sale.sold_by.name if sale.sold_by_id else "",
        customer_name=sale.customer_name,
        customer_phone=sale.customer_phone,
        lines=rows,
        total=money(sale.total),
        total_in_words=amount_in_words(money(sale.total)),
        payments=payments,
        paid=total(p.amount for p in payments),
        terms=_terms_text(categories),
    )
