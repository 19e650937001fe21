"""Read models of the counter's papers: the receipt (配件零售收据) and the test report (检测报告)
of a product brought back, everything the printed forms need.

The printing package reads only through these functions (as the order's forms read through
:mod:`shop_desk.services.documents`, which also counts their prints so a reprint is a copy).
The receipt carries the sale, its payments and refunds, and the warranty terms the customer
bought under (篇五); the test report what the customer said, what the shop found and what
follows; both in the interface language.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from shop_desk.counter_states import state_label
from shop_desk.errors import NotFound, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import CounterCase
from shop_desk.money import amount_in_words, money, total
from shop_desk.services.base import shown
from shop_desk.services.counter import find_sale, sale_lines, sale_payments
from shop_desk.services.counter_policy import (
    category_label,
    exclusions,
    terms,
    warranty_ends,
    warranty_text,
)
from shop_desk.services.counter_returns import approval_text, request_label
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


# --------------------------------------------------------------------------- the test report


@dataclass
class TestReportData:
    """The shop's test report (检测报告) of a product brought back: what the customer said,
    what the shop found, whether it is a quality fault and what follows, in words."""

    __test__ = False  # not a pytest test class

    shop: ShopHeader
    case_number: str
    report_no: str
    tested_at: dt.datetime | None
    tested_by: str
    receipt: str
    sold_at: dt.datetime
    customer_name: str
    customer_phone: str
    part_no: str
    product: str
    category: str
    quantity: Decimal
    request: str
    received_at: dt.datetime
    received_by: str
    days_after_sale: int
    warranty: str  # the period in words
    warranty_until: dt.date
    fault: str  # the customer's words
    findings: str
    component: str
    quality_fault: bool
    exterior_damage: bool
    parts_missing: bool
    decision: str
    state: str
    approval: str


def find_case(number: str) -> CounterCase:
    """A counter case by its number (TH…) or its test report's number, or NotFound."""
    text = number.strip() if isinstance(number, str) else ""
    row = None
    if text:
        row = CounterCase.get_or_none(
            CounterCase.number == text.upper()
        ) or CounterCase.get_or_none(CounterCase.report_no == text)
    if row is None:
        raise NotFound(
            translate("Printing", "There is no counter case or test report {number}.").format(
                number=shown(number)
            )
        )
    return row


def test_report_data(number: str) -> TestReportData:
    """The test report of one counter case (by the case's or the report's number)."""
    case = find_case(number)
    if case.tested_at is None:
        raise ValidationError(
            translate("Printing", "Case {number} has no test report yet: record it first.").format(
                number=case.number
            ),
            "number",
        )
    line = case.line
    sale = line.sale
    return TestReportData(
        shop=shop_header(),
        case_number=case.number,
        report_no=case.report_no,
        tested_at=case.tested_at,
        tested_by=case.tested_by.name if case.tested_by_id else "",
        receipt=sale.number,
        sold_at=sale.sold_at,
        customer_name=sale.customer_name,
        customer_phone=sale.customer_phone,
        part_no=line.part.part_no,
        product=line.description,
        category=category_label(line.category),
        quantity=case.quantity,
        request=request_label(case.request),
        received_at=case.received_at,
        received_by=case.received_by.name if case.received_by_id else "",
        days_after_sale=(case.received_at.date() - sale.sold_at.date()).days,
        warranty=warranty_text(line.warranty_days),
        warranty_until=warranty_ends(sale.sold_at, line.warranty_days),
        fault=case.fault,
        findings=case.findings,
        component=case.component,
        quality_fault=bool(case.quality_fault),
        exterior_damage=case.exterior_damage,
        parts_missing=case.parts_missing,
        decision=case.decision,
        state=state_label(case.state),
        approval=approval_text(case),
    )
