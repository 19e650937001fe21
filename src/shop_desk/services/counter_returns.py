"""Products brought back to the accessory counter (篇五 and rule 11 of 篇三/篇四).

- Within 15 days of the sale a product with a quality fault is exchanged or refunded; later,
  within its warranty (a year; accessories three months), it is replaced. The shop decides on
  its own test report (检测报告); exterior damage or missing parts void it, a part on the
  shop's exclusion list is not covered, and gifts are neither exchanged nor under warranty.
- A faulty product sent in is received, assessed and, with a quality fault, its replacement
  goes out within 3 days of receipt (``due_at``; late ones are flagged in words); without a
  quality fault it is sent back.
- Every replacement and refund needs the general manager's approval (the approvals in
  :mod:`shop_desk.services.approvals`, kind ``return``); a case closed without it is sent
  back at the customer's cost.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shop_desk import clock
from shop_desk.counter_states import (
    COUNTER_ROLES,
    FINAL_STATES,
    OPEN_STATES,
    TESTER_ROLES,
    CaseState,
    state_label,
    target_state,
)
from shop_desk.errors import DomainError, TransitionRefused, ValidationError
from shop_desk.i18n import counted, translate
from shop_desk.models import Approval, CounterCase, CounterPayment, CounterSaleLine, Part, Staff
from shop_desk.money import ZERO, fmt, line_amount, money
from shop_desk.services.approvals import ApprovalRequired, require_approved
from shop_desk.services.base import (
    audit,
    get,
    optional_text,
    require_choice,
    require_decimal,
    require_text,
    service,
    snapshot,
)
from shop_desk.services.counter import COUNTER_METHODS, paid_total
from shop_desk.services.counter_policy import (
    category_label,
    excluded_item,
    terms,
    warranty_ends,
    warranty_text,
)
from shop_desk.services.orders import next_number
from shop_desk.services.parts import MAX_QTY

#: Case numbers: TH (退换) + date + sequence.
PREFIX = "TH"
REQUESTS = ("exchange", "refund")


def request_label(code: str) -> str:
    return {
        "exchange": translate("Counter", "exchange"),
        "refund": translate("Counter", "refund"),
    }.get(code, code)


# --------------------------------------------------------------------------- the policy


@dataclass(frozen=True)
class Eligibility:
    """What a sold line allows on ``day``, with the reason in words."""

    exchange: bool  # within the exchange window: replacement or refund
    warranty: bool  # within the warranty: a replacement
    text: str


def days_since_sale(line: CounterSaleLine, day: dt.date) -> int:
    return (day - line.sale.sold_at.date()).days


def eligibility(line: CounterSaleLine | int, day: dt.date | None = None) -> Eligibility:
    """Whether a sold line can still be exchanged, refunded or replaced under warranty on
    ``day`` (default today), said the way the counter explains it to the customer."""
    row = get(CounterSaleLine, line, translate("Counter", "Sale line"))
    day = day or clock.today()
    sold = row.sale.sold_at.date()
    if row.gift:
        return Eligibility(
            False,
            False,
            translate(
                "Counter", "{part} was a gift: gifts are neither exchanged nor under warranty."
            ).format(part=row.description),
        )
    shop = terms()
    age = days_since_sale(row, day)
    ends = warranty_ends(row.sale.sold_at, row.warranty_days)
    period = warranty_text(row.warranty_days)
    if age <= shop.exchange_days:
        return Eligibility(
            True,
            True,
            translate(
                "Counter",
                "Sold on {date}, {n} day(s) ago: within the {window}-day exchange (exchange or "
                "refund for a quality fault); warranty ({period}) until {end}.",
            ).format(date=sold, n=age, window=shop.exchange_days, period=period, end=ends),
        )
    if day <= ends:
        return Eligibility(
            False,
            True,
            translate(
                "Counter",
                "Sold on {date}, {n} days ago: the {window}-day exchange is over (no refund); "
                "under warranty ({period}) until {end}: a quality fault gets a replacement.",
            ).format(date=sold, n=age, window=shop.exchange_days, period=period, end=ends),
        )
    return Eligibility(
        False,
        False,
        translate(
            "Counter",
            "Sold on {date}, {n} days ago: the warranty ({period}) ended on {end}. The "
            "customer pays for a repair or a new one.",
        ).format(date=sold, n=age, period=period, end=ends),
    )


def case_value(case: CounterCase) -> Decimal:
    """What the case gives back: the quantity at the price it was sold for."""
    return line_amount(case.quantity, case.line.unit_price)


def _open_quantity(line: CounterSaleLine) -> Decimal:
    rows = CounterCase.select(CounterCase.quantity).where(
        (CounterCase.line == line) & CounterCase.state.in_([s.value for s in OPEN_STATES])
    )
    return sum((r.quantity for r in rows), ZERO)


# --------------------------------------------------------------------------- receiving


@service(*COUNTER_ROLES)
def receive_product(
    actor: Staff, line: CounterSaleLine | int, quantity: Any, request: str, fault: str
) -> CounterCase:
    """A customer brings or sends back a product of a counter sale: the case starts, and a
    replacement is due within the shop's replacement days (3) of receipt."""
    row = get(CounterSaleLine, line, translate("Counter", "Sale line"))
    request = require_choice(request, REQUESTS, translate("Counter", "Request"), "request")
    qty = require_decimal(
        quantity, translate("Counter", "Quantity"), Decimal("0.01"), MAX_QTY, "quantity"
    )
    text = require_text(fault, translate("Counter", "Fault in the customer's words"), 1000, "fault")
    now = clock.now()
    allowed = eligibility(row, now.date())
    if row.gift or not allowed.warranty:
        raise TransitionRefused(allowed.text)
    if request == "refund" and not allowed.exchange:
        raise TransitionRefused(
            translate(
                "Counter",
                "A refund is possible only within {window} days of the sale. {why}",
            ).format(window=terms().exchange_days, why=allowed.text)
        )
    left = row.quantity - row.returned_qty - _open_quantity(row)
    if qty > left:
        raise ValidationError(
            translate(
                "Counter",
                "Receipt {number} sold {sold} of {part}; {left} can still be brought back.",
            ).format(number=row.sale.number, sold=row.quantity, part=row.description, left=left),
            "quantity",
        )
    case = CounterCase.create(
        number=next_number(CounterCase, PREFIX, now),
        line=row,
        quantity=qty,
        request=request,
        fault=text,
        received_at=now,
        received_by=actor,
        due_at=now + dt.timedelta(days=terms().replacement_days),
    )
    audit("counter_case", case.id, None, snapshot(case))
    return case


def _case(case: CounterCase | int) -> CounterCase:
    return get(CounterCase, case, translate("Counter", "Case"))


def _bool(value: Any, label: str, field: str) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(
            translate("Counter", "{field}: answer yes or no.").format(field=label), field
        )
    return value


def _coverage(case: CounterCase) -> tuple[str, str]:
    """(``exchange`` | ``warranty`` | '', the reason in words) for an assessed case."""
    line = case.line
    if not case.quality_fault:
        return "", translate(
            "Counter",
            "Test report {report}: not a quality fault. The product goes back to the customer.",
        ).format(report=case.report_no)
    if case.exterior_damage:
        return "", translate(
            "Counter",
            "The exterior (housing, aerial, display, lens) is damaged: this voids the exchange "
            "and the warranty.",
        )
    if case.parts_missing:
        return "", translate(
            "Counter",
            "Parts, accessories or the packaging are missing: this voids the exchange.",
        )
    excluded = excluded_item(line.category, case.component)
    if excluded is not None:
        return "", translate(
            "Counter",
            "{item} is not under the warranty of {category} (the shop's exclusion list).",
        ).format(item=excluded.item, category=category_label(line.category))
    allowed = eligibility(line, case.received_at.date())
    if allowed.exchange:
        return "exchange", translate(
            "Counter",
            "Quality fault within the exchange window: the customer gets a replacement or the "
            "money back, with the general manager's approval.",
        )
    if case.request == "refund":  # refused at receipt; kept for a case older than the rule
        return "", allowed.text
    return "warranty", translate(
        "Counter",
        "Quality fault under warranty: a replacement goes out within {n} days of receipt, "
        "with the general manager's approval.",
    ).format(n=terms().replacement_days)


@service(*TESTER_ROLES)
def record_test_report(
    actor: Staff,
    case: CounterCase | int,
    report_no: str,
    quality_fault: bool,
    findings: str,
    component: str = "",
    exterior_damage: bool = False,
    parts_missing: bool = False,
) -> CounterCase:
    """The shop's test report (检测报告) decides the case: a covered quality fault goes on to
    the replacement (or refund), anything else is to be sent back, with the reason."""
    row = _case(case)
    target_state(row.state, "confirm_fault")  # refuses a case assessed already
    before = snapshot(row)
    row.report_no = require_text(report_no, translate("Counter", "Test report number"), 40)
    row.quality_fault = _bool(quality_fault, translate("Counter", "Quality fault"), "quality")
    row.findings = require_text(findings, translate("Counter", "Findings"), 2000, "findings")
    row.component = optional_text(component, translate("Counter", "Faulty part"), 80, "component")
    row.exterior_damage = _bool(
        exterior_damage, translate("Counter", "Exterior damaged"), "exterior_damage"
    )
    row.parts_missing = _bool(parts_missing, translate("Counter", "Parts missing"), "parts_missing")
    row.tested_at = clock.now()
    row.tested_by = actor
    row.covered_by, row.decision = _coverage(row)
    row.state = target_state(row.state, "confirm_fault" if row.covered_by else "not_covered").value
    row.save()
    audit("counter_case", row.id, before, snapshot(row))
    return row


# --------------------------------------------------------------------------- approval


def _approval_reason(case: CounterCase) -> str:
    line = case.line
    return translate(
        "Counter",
        "Counter case {case}: {request} of {qty} × {part} from receipt {receipt} ({customer}). "
        "Test report {report}: {findings}",
    ).format(
        case=case.number,
        request=request_label(case.request),
        qty=case.quantity,
        part=line.description,
        receipt=line.sale.number,
        customer=line.sale.customer_name or line.sale.customer_phone or "—",
        report=case.report_no,
        findings=case.findings,
    )


@service(*COUNTER_ROLES)
def request_case_approval(actor: Staff, case: CounterCase | int, note: str = "") -> Approval:
    """Ask the general manager to approve the replacement or refund of a confirmed fault (a
    ``return`` approval for the case's value; the manager decides it with the others)."""
    row = _case(case)
    if CaseState(row.state) != CaseState.FAULT_CONFIRMED:
        raise TransitionRefused(
            translate(
                "Counter",
                "Case {number} is {state}: an approval is asked only for a confirmed quality "
                "fault.",
            ).format(number=row.number, state=state_label(row.state))
        )
    if row.approval_id is not None and row.approval.state in ("pending", "approved"):
        raise DomainError(
            translate(
                "Counter", "The general manager's approval of case {number} is {state}."
            ).format(number=row.number, state=approval_state_label(row.approval.state))
        )
    extra = optional_text(note, translate("Counter", "Note"), 500, "note")
    reason = _approval_reason(row) + (f" — {extra}" if extra else "")
    approval = Approval.create(
        kind="return",
        order=None,
        amount=case_value(row),
        reason=reason[:1000],
        payload=json.dumps({"counter_case": row.id, "number": row.number}),
        requested_by=actor,
        requested_at=clock.now(),
    )
    audit("approval", approval.id, None, snapshot(approval))
    before = snapshot(row)
    row.approval = approval
    row.save()
    audit("counter_case", row.id, before, snapshot(row))
    return approval


def approval_state_label(state: str) -> str:
    return {
        "pending": translate("Counter", "waiting for the general manager"),
        "approved": translate("Counter", "approved"),
        "rejected": translate("Counter", "refused"),
        "used": translate("Counter", "approved and used"),
    }.get(state, state)


def approval_text(case: CounterCase) -> str:
    """Where the case stands with the general manager, in words."""
    if case.approval_id is None:
        if CaseState(case.state) == CaseState.FAULT_CONFIRMED:
            return translate(
                "Counter",
                "Not asked yet: without the general manager's approval the costs stay with the "
                "customer (rule 11).",
            )
        return ""
    approval = case.approval
    text = translate("Counter", "General manager's approval: {state}").format(
        state=approval_state_label(approval.state)
    )
    if approval.decision_reason:
        text += f" ({approval.decision_reason})"
    return text


def _consume_approval(case: CounterCase, doing: str) -> None:
    if case.approval_id is None:
        raise ApprovalRequired(
            translate(
                "Counter",
                "To {doing}, case {number} needs the general manager's approval: request it "
                "first. Without it the costs stay with the customer (rule 11).",
            ).format(doing=doing, number=case.number),
            "return",
            None,
            case_value(case),
        )
    require_approved("return", None, case_value(case), approval=case.approval_id)


# --------------------------------------------------------------------------- closing


def _close(row: CounterCase, action: str, actor: Staff, **changes: Any) -> CounterCase:
    before = snapshot(row)
    row.state = target_state(row.state, action).value
    row.closed_at = clock.now()
    row.closed_by = actor
    for key, value in changes.items():
        setattr(row, key, value)
    row.save()
    audit("counter_case", row.id, before, snapshot(row))
    return row


@service(*COUNTER_ROLES)
def send_replacement(actor: Staff, case: CounterCase | int) -> CounterCase:
    """The replacement goes out (from stock), with the general manager's approval."""
    row = _case(case)
    target_state(row.state, "replace")
    if row.request != "exchange":
        raise TransitionRefused(
            translate(
                "Counter", "The customer of case {number} asked for a refund, not a replacement."
            ).format(number=row.number)
        )
    part = Part.get_by_id(row.line.part_id)
    if part.available_qty < row.quantity:
        raise ValidationError(
            translate(
                "Counter",
                "Not enough {part} in stock for the replacement: {qty} needed, {free} free. "
                "Receive stock first.",
            ).format(part=part.name, qty=row.quantity, free=max(part.available_qty, ZERO))
        )
    _consume_approval(row, translate("Counter", "send the replacement"))
    before = {"stock_qty": part.stock_qty}
    part.stock_qty -= row.quantity
    part.save()
    audit("part", part.id, before, {"stock_qty": part.stock_qty, "replacement": row.number})
    return _close(row, "replace", actor)


@service(*COUNTER_ROLES)
def refund_case(actor: Staff, case: CounterCase | int, method: str) -> CounterPayment:
    """Money back for a product returned within the exchange window, with the general
    manager's approval: a negative payment on the sale."""
    row = _case(case)
    target_state(row.state, "refund")
    if row.request != "refund":
        raise TransitionRefused(
            translate(
                "Counter", "The customer of case {number} asked for an exchange, not a refund."
            ).format(number=row.number)
        )
    method = require_choice(
        method, COUNTER_METHODS, translate("Counter", "Payment method"), "method"
    )
    value = case_value(row)
    sale = row.line.sale
    if value > paid_total(sale):
        raise ValidationError(
            translate(
                "Counter", "Only {paid} was paid on receipt {number}; a refund cannot be more."
            ).format(paid=fmt(max(paid_total(sale), ZERO)), number=sale.number)
        )
    _consume_approval(row, translate("Counter", "refund the product"))
    payment = CounterPayment.create(
        sale=sale,
        method=method,
        amount=-value,
        change_given=ZERO,
        reference=row.number,
        at=clock.now(),
        by=actor,
    )
    audit("counter_payment", payment.id, None, snapshot(payment))
    line = row.line
    line_before = snapshot(line)
    line.returned_qty += row.quantity
    line.save()
    audit("counter_sale_line", line.id, line_before, snapshot(line))
    _close(row, "refund", actor)
    return payment


@service(*COUNTER_ROLES)
def send_back(actor: Staff, case: CounterCase | int, note: str = "") -> CounterCase:
    """The product goes back to the customer: not covered, or closed without the general
    manager's approval, so the costs stay with the customer (rule 11)."""
    row = _case(case)
    target_state(row.state, "send_back")
    text = optional_text(note, translate("Counter", "Note"), 500, "note")
    customer_pays = CaseState(row.state) == CaseState.FAULT_CONFIRMED
    if customer_pays:
        rule = translate(
            "Counter",
            "Sent back without the general manager's approval: the costs stay with the "
            "customer (rule 11).",
        )
        text = f"{rule} {text}".strip()
    return _close(row, "send_back", actor, customer_pays=customer_pays, note=text)


# --------------------------------------------------------------------------- reads


def overdue_text(case: CounterCase, now: dt.datetime | None = None) -> str:
    """'' or the flag of a case whose replacement is late, in words."""
    now = now or clock.now()
    if CaseState(case.state) not in (CaseState.RECEIVED, CaseState.FAULT_CONFIRMED):
        return ""
    if now <= case.due_at:
        return ""
    late = (now.date() - case.due_at.date()).days or 1
    return counted(
        late,
        translate("Counter", "Overdue by {n} day: the replacement was due on {date}."),
        translate("Counter", "Overdue by {n} days: the replacement was due on {date}."),
        date=case.due_at.strftime("%Y-%m-%d %H:%M"),
    )


def open_cases() -> list[CounterCase]:
    """Products the shop holds (sent in, not yet replaced, refunded or sent back), the
    earliest due first."""
    return list(
        CounterCase.select()
        .where(CounterCase.state.in_([s.value for s in OPEN_STATES]))
        .order_by(CounterCase.due_at, CounterCase.id)
    )


def cases_of_sale(sale: Any) -> list[CounterCase]:
    return list(
        CounterCase.select()
        .join(CounterSaleLine)
        .where(CounterSaleLine.sale == sale)
        .order_by(CounterCase.id)
    )


def is_final(case: CounterCase) -> bool:
    return CaseState(case.state) in FINAL_STATES


def case_value_text(case: CounterCase) -> str:
    return fmt(money(case_value(case)))
