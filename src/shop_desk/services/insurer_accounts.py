"""What insurers owe the shop (insurer receivables, on the insurer's statement) and what they
pay, with the age of what is still open.

A receivable opens when an insured order is settled (:func:`open_receivable`, called by
checkout's settle) and is voided with its settlement. An insurer's payment clears one named
receivable or, when none is named, the oldest open ones first; part payments leave the rest
open.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import peewee

from shop_desk import clock
from shop_desk.errors import TransitionRefused, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import (
    InsuranceClaim,
    Insurer,
    InsurerAllocation,
    InsurerPayment,
    InsurerReceivable,
    RepairOrder,
    Settlement,
    Staff,
)
from shop_desk.money import ZERO, fmt, money, total
from shop_desk.roles import Role
from shop_desk.services.base import (
    audit,
    get,
    is_date,
    optional_text,
    require_decimal,
    service,
    snapshot,
)

#: Age brackets of open receivables (days since the order was settled): up to 30, 31–60,
#: 61–90, over 90.
AGE_BRACKETS = (30, 60, 90)


def age_bracket(days: int) -> int:
    """Index into :func:`age_bracket_labels` for an age in days."""
    for n, limit in enumerate(AGE_BRACKETS):
        if days <= limit:
            return n
    return len(AGE_BRACKETS)


def age_bracket_labels() -> list[str]:
    return [
        translate("Insurance", "0–30 days"),
        translate("Insurance", "31–60 days"),
        translate("Insurance", "61–90 days"),
        translate("Insurance", "Over 90 days"),
    ]


#: The insurer's statement (保险公司对账单) is numbered by its date and the insurer, so the same
#: statement printed again (at any desk or from the command line) is a copy: DZ261130-003.
_STATEMENT_NUMBER = re.compile(r"DZ(\d{6})-(\d{3,})")


def statement_number(insurer: Insurer | int, on_date: dt.date) -> str:
    """The number of ``insurer``'s statement as of ``on_date`` (one per insurer and day)."""
    insurer_id = insurer.id if isinstance(insurer, Insurer) else int(insurer)
    return f"DZ{on_date:%y%m%d}-{insurer_id:03d}"


def parse_statement_number(number: object) -> tuple[int, dt.date] | None:
    """(insurer id, statement date) of a statement number; None when it is not one."""
    text = number.strip().upper() if isinstance(number, str) else ""
    found = _STATEMENT_NUMBER.fullmatch(text)
    if found is None:
        return None
    try:
        day = dt.datetime.strptime(found[1], "%y%m%d").date()
    except ValueError:
        return None
    return int(found[2]), day


def open_receivable(
    order: RepairOrder, settlement: Settlement, amount: Decimal
) -> InsurerReceivable | None:
    """The insurer's part of a settled order becomes a receivable (inside settle's
    transaction); nothing when the insurer pays nothing."""
    claim = InsuranceClaim.get_or_none(InsuranceClaim.order == order)
    if claim is None or money(amount) <= 0:
        return None
    row = InsurerReceivable.create(
        insurer=claim.insurer_id,
        order=order,
        settlement=settlement,
        amount=money(amount),
        opened_on=settlement.settled_at.date(),
    )
    audit("insurer_receivable", row.id, None, snapshot(row))
    return row


def _paid(receivable: InsurerReceivable | int) -> Decimal:
    return total(
        a.amount
        for a in InsurerAllocation.select(InsurerAllocation.amount).where(
            InsurerAllocation.receivable == receivable
        )
    )


def void_receivable(settlement: Settlement) -> None:
    """Void the receivable of a settlement being voided; refused once the insurer paid on it
    (that money must be sorted out with the insurer first)."""
    for row in InsurerReceivable.select().where(
        (InsurerReceivable.settlement == settlement) & (InsurerReceivable.void == False)  # noqa: E712
    ):
        if _paid(row) > 0:
            raise TransitionRefused(
                translate(
                    "Insurance",
                    "The insurer has already paid {paid} on order {number}: the settlement "
                    "cannot be voided.",
                ).format(paid=fmt(_paid(row)), number=row.order.number)
            )
        row.void = True
        row.save()
        audit("insurer_receivable", row.id, {"void": False}, {"void": True})


@dataclass(frozen=True)
class ReceivableRow:
    id: int
    insurer_id: int
    insurer: str
    order_number: str
    claim_report_no: str
    opened_on: dt.date
    amount: Decimal
    paid: Decimal
    age_days: int

    @property
    def outstanding(self) -> Decimal:
        return money(self.amount - self.paid)


@dataclass
class InsurerBalance:
    """One insurer's open receivables, oldest first, with the total per age bracket."""

    insurer_id: int
    insurer: str
    rows: list[ReceivableRow] = field(default_factory=list)

    @property
    def outstanding(self) -> Decimal:
        return total(r.outstanding for r in self.rows)

    @property
    def by_age(self) -> list[Decimal]:
        out = [ZERO] * (len(AGE_BRACKETS) + 1)
        for r in self.rows:
            i = age_bracket(r.age_days)
            out[i] = money(out[i] + r.outstanding)
        return out


def open_receivables(
    on_date: dt.date,
    insurer: Insurer | int | None = None,
    known_at: dt.datetime | None = None,
) -> list[ReceivableRow]:
    """Receivables not fully paid as of ``on_date`` (payments received up to that day),
    oldest first, with their age on that day (one query, for the monthly report too).

    ``known_at``: only what had been recorded by then — settlements made and not yet voided,
    payments entered — so that a reprinted statement says what its original said."""
    counted = InsurerPayment.received_on <= on_date
    if known_at is not None:
        counted &= InsurerPayment.at <= known_at
    paid = peewee.fn.COALESCE(
        peewee.fn.SUM(peewee.Case(None, [(counted, InsurerAllocation.amount)], 0)),
        0,
    )
    query = (
        InsurerReceivable.select(
            InsurerReceivable.id,
            Insurer.id,
            Insurer.name,
            RepairOrder.number,
            InsuranceClaim.claim_report_no,
            InsurerReceivable.opened_on,
            InsurerReceivable.amount,
            paid,
        )
        .join(Insurer)
        .switch(InsurerReceivable)
        .join(RepairOrder)
        .join(
            InsuranceClaim,
            peewee.JOIN.LEFT_OUTER,
            on=(InsuranceClaim.order == RepairOrder.id),
        )
        .switch(InsurerReceivable)
        .join(InsurerAllocation, peewee.JOIN.LEFT_OUTER)
        .join(InsurerPayment, peewee.JOIN.LEFT_OUTER)
        .where(InsurerReceivable.opened_on <= on_date)
        .group_by(
            InsurerReceivable.id,
            Insurer.id,
            Insurer.name,
            RepairOrder.number,
            InsuranceClaim.claim_report_no,
            InsurerReceivable.opened_on,
            InsurerReceivable.amount,
        )
        .order_by(InsurerReceivable.opened_on, InsurerReceivable.id)
    )
    if known_at is None:
        query = query.where(InsurerReceivable.void == False)  # noqa: E712
    else:
        settled = Settlement.select(Settlement.id).where(
            (Settlement.settled_at <= known_at)
            & (Settlement.voided_at.is_null() | (Settlement.voided_at > known_at))
        )
        query = query.where(InsurerReceivable.settlement.in_(settled))
    if insurer is not None:
        query = query.where(InsurerReceivable.insurer == insurer)
    to_money = InsurerReceivable.amount.python_value
    rows = []
    for rid, iid, name, number, report_no, opened, amount, got in query.tuples():
        opened_on = opened if isinstance(opened, dt.date) else dt.date.fromisoformat(str(opened))
        row = ReceivableRow(
            rid,
            iid,
            name,
            number,
            report_no or "",
            opened_on,
            money(amount),
            money(to_money(got) if got is not None else ZERO),
            (on_date - opened_on).days,
        )
        if row.outstanding > 0:
            rows.append(row)
    return rows


def balances(on_date: dt.date) -> list[InsurerBalance]:
    """Open receivables grouped by insurer (the receivables view and the monthly report)."""
    if not is_date(on_date):
        raise ValidationError(translate("Insurance", "Give the date."), "on_date")
    by_id: dict[int, InsurerBalance] = {}
    for row in open_receivables(on_date):
        by_id.setdefault(row.insurer_id, InsurerBalance(row.insurer_id, row.insurer)).rows.append(
            row
        )
    return sorted(by_id.values(), key=lambda b: b.insurer)


@service(Role.CASHIER, Role.MANAGER)
def record_insurer_payment(
    actor: Staff,
    insurer: Insurer | int,
    amount: Any,
    received_on: dt.date,
    reference: str = "",
    receivable: InsurerReceivable | int | None = None,
) -> InsurerPayment:
    """Money received from an insurer: it clears the named receivable, or the insurer's
    oldest open receivables first; a part payment leaves the rest open."""
    company = get(Insurer, insurer, translate("Insurance", "Insurer"))
    value = require_decimal(
        amount, translate("Insurance", "Amount"), Decimal("0.01"), Decimal("100000000"), "amount"
    )
    if not is_date(received_on) or received_on > clock.now().date():
        raise ValidationError(
            translate("Insurance", "Give the day the money was received (not a future day)."),
            "received_on",
        )
    ref = optional_text(reference, translate("Insurance", "Reference"), 60, "reference")
    rows = open_receivables(clock.now().date(), company)
    if receivable is not None:
        chosen = get(InsurerReceivable, receivable, translate("Insurance", "Receivable"))
        rows = [r for r in rows if r.id == chosen.id]
        if not rows:
            raise ValidationError(
                translate("Insurance", "This receivable is not an open one of {insurer}.").format(
                    insurer=company.name
                ),
                "receivable",
            )
    open_total = total(r.outstanding for r in rows)
    if value > open_total:
        raise ValidationError(
            translate(
                "Insurance", "{amount} is more than the {open} {insurer} still owes here."
            ).format(amount=fmt(value), open=fmt(open_total), insurer=company.name),
            "amount",
        )
    payment = InsurerPayment.create(
        insurer=company,
        amount=value,
        received_on=received_on,
        reference=ref,
        by=actor,
        at=clock.now(),
    )
    audit("insurer_payment", payment.id, None, snapshot(payment))
    left = value
    for row in rows:
        if left <= 0:
            break
        part = min(left, row.outstanding)
        alloc = InsurerAllocation.create(payment=payment, receivable=row.id, amount=part)
        audit("insurer_allocation", alloc.id, None, snapshot(alloc))
        left = money(left - part)
    return payment


def revenue(start: dt.date, end: dt.date) -> Decimal:
    """The insurers' part of the orders settled in [start, end) (active settlements)."""
    begin = dt.datetime.combine(start, dt.time())
    stop = dt.datetime.combine(end, dt.time())
    fen = (
        Settlement.select(peewee.fn.SUM(Settlement.insurance_total))
        .where(
            (Settlement.state == "active")
            & (Settlement.settled_at >= begin)
            & (Settlement.settled_at < stop)
        )
        .scalar()
    )
    return Settlement.insurance_total.python_value(fen or 0)
