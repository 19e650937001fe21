"""Delivery and settlement (PROCESS.md §7–§8): internal delivery check, notifying the customer,
recommended work, the walk-around delivery, the settlement slip, payments, voids, refunds and
the gate pass.

Money rules: only authorised and completed lines are settled; warranty lines cost the
customer nothing and are totalled as the manufacturer claim; unauthorised (proposed) work is
never settled. After settlement the order is frozen; corrections go through a
manager-approved void, which keeps every row (nothing is deleted).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from shop_desk import clock
from shop_desk.errors import DomainError, TransitionRefused, ValidationError
from shop_desk.i18n import join_list, translate
from shop_desk.models import (
    Customer,
    GatePass,
    JobLine,
    OrderEvent,
    PartsReturnSlip,
    Payment,
    QcCheck,
    Recommendation,
    RepairOrder,
    Settlement,
    Signature,
    Staff,
    Vehicle,
)
from shop_desk.models.checkout import PAYMENT_METHODS
from shop_desk.money import ZERO, amount_in_words, fmt, money, tax_part, total
from shop_desk.roles import Role
from shop_desk.services import insurance, insurer_accounts, pricing, workshop
from shop_desk.services.aftercare import add_months, parse_hhmm, schedule_follow_up
from shop_desk.services.approvals import ApprovalRequired, require_approved
from shop_desk.services.base import (
    audit,
    get,
    is_date,
    is_datetime,
    jsonable,
    optional_text,
    require_choice,
    require_decimal,
    require_int,
    require_text,
    service,
    shown,
    snapshot,
)
from shop_desk.services.orders import (
    compute_totals,
    ensure_editable,
    line_gross,
    line_total,
    load_order,
    move,
    next_number,
    settings,
    touch,
)
from shop_desk.states import State, state_label
from shop_desk.validation import display_plate, plate_key

NOTIFY_METHODS = ("phone", "message", "in_person")
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
_CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read out at the gate


# --------------------------------------------------------------------------- helpers


def _require_state(order: RepairOrder, states: tuple[State, ...], what: str) -> None:
    """Refuse a step that is not a state-machine move when the order is in the wrong state."""
    if State(order.state) not in states:
        raise TransitionRefused(
            translate(
                "Checkout",
                "Cannot {what}: order {number} is {state}; this is possible only when it is "
                "{allowed}.",
            ).format(
                what=what,
                number=order.number,
                state=state_label(order.state),
                allowed=" / ".join(state_label(s) for s in states),
            )
        )


def _event(order: RepairOrder, actor: Staff, kind: str, data: dict[str, Any]) -> OrderEvent:
    event = OrderEvent.create(
        order=order,
        kind=kind,
        at=clock.now(),
        by=actor,
        data=json.dumps(jsonable(data), ensure_ascii=False),
    )
    audit("order_event", event.id, None, snapshot(event))
    return event


def _lines(order: RepairOrder) -> list[JobLine]:
    return list(JobLine.select().where(JobLine.order == order).order_by(JobLine.sort, JobLine.id))


def _checklist(
    items: dict[str, bool] | None, required: list[tuple[str, str]], known: tuple[str, ...] = ()
) -> list[str]:
    """Labels of the required items not ticked; keys neither required nor ``known`` are refused
    (``known``: items this order does not need, or computed ones, which are ignored)."""
    if items is not None and not isinstance(items, Mapping):
        raise ValidationError(
            translate("Checkout", "The check items must be ticked yes or no."), "items"
        )
    items = dict(items or {})
    keys = {k for k, _ in required} | set(known)
    unknown = sorted(str(k) for k in set(items) - keys)
    if unknown:
        raise ValidationError(
            translate("Checkout", "Unknown check item: {items}.").format(items=", ".join(unknown)),
            "items",
        )
    return [label for key, label in required if items.get(key) is not True]


def final_qc_passed(order: RepairOrder) -> bool:
    """True when the latest final inspection (总检) of the order passed."""
    last = (
        QcCheck.select()
        .where((QcCheck.order == order) & (QcCheck.stage == "final"))
        .order_by(QcCheck.id.desc())
        .first()
    )
    return bool(last and last.passed)


def _work_not_done(order: RepairOrder) -> list[workshop.OpenWork]:
    """The workshop's one rule (:func:`workshop.work_not_done`). Additional work still
    undecided at delivery is not done and never settled; it does not hold the car back
    (the checks before the final inspection already wait for the customer's decision)."""
    return [w for w in workshop.work_not_done(order) if not w.awaiting_authorisation]


def lines_not_done(order: RepairOrder) -> list[JobLine]:
    """Authorised lines whose work is not done."""
    return [w.line for w in _work_not_done(order)]


# --------------------------------------------------------------------------- delivery check


def delivery_check_items(order: RepairOrder) -> list[tuple[str, str]]:
    """The items the advisor ticks in the internal delivery check (内部交车检查) of ``order``."""
    items = [
        ("fault_gone", translate("Checkout", "Fault gone (test drive if needed)")),
        # the rulebook checks the old parts always: there for a customer who takes them,
        # else kept for the shop's disposal and not left in the car
        (
            "old_parts_present",
            translate("Checkout", "Old parts present for the customer")
            if order.old_parts == "take_home"
            else translate(
                "Checkout", "Old parts kept for the shop's disposal, none left in the car"
            ),
        ),
    ]
    items += [
        ("clean_inside", translate("Checkout", "Car clean inside")),
        ("clean_outside", translate("Checkout", "Car clean outside")),
        (
            "nothing_left_in_car",
            translate("Checkout", "No rags, tools, nuts or bolts left in the car"),
        ),
    ]
    return items


def work_done_and_signed(order: RepairOrder) -> tuple[bool, str]:
    """The computed item: every authorised line done and a passed final inspection."""
    problems = []
    open_work = _work_not_done(order)
    if open_work:
        problems.append(
            translate(
                "Checkout",
                "work not done: {lines} — the workshop supervisor sends the car back to the "
                "workshop",
            ).format(lines=join_list([w.text for w in open_work], clauses=True))
        )
    if not final_qc_passed(order):
        problems.append(translate("Checkout", "no passed final inspection"))
    return (not problems, join_list(problems, clauses=True))


def delivery_check_done(order: RepairOrder) -> bool:
    return workshop.done_this_round(order, "delivery_check")


def customer_told(order: RepairOrder) -> bool:
    """The customer was told the car is ready, with a pickup time (通知顾客), this round."""
    return workshop.done_this_round(order, "notify")


@service(Role.ADVISOR)
def delivery_check(actor: Staff, order: RepairOrder | int, items: dict[str, bool]) -> OrderEvent:
    """Internal delivery check before the customer is called; refused while any item is open."""
    order = load_order(order)
    _require_state(order, (State.READY,), translate("Checkout", "do the internal delivery check"))
    missing = _checklist(items, delivery_check_items(order), known=("lines_done_qc",))
    ok, why = work_done_and_signed(order)
    if not ok:
        missing.insert(
            0,
            translate("Checkout", "Every item on the task order done and QC-signed ({why})").format(
                why=why
            ),
        )
    if missing:
        raise ValidationError(
            translate(
                "Checkout",
                "The internal delivery check of order {number} is not complete: {items}.",
            ).format(number=order.number, items=join_list(missing, clauses=True))
        )
    data = {key: True for key, _ in delivery_check_items(order)}
    data["lines_done_qc"] = True
    return _event(order, actor, "delivery_check", data)


# --------------------------------------------------------------------------- notify


def peak_windows(text: str | None = None) -> list[tuple[dt.time, dt.time]]:
    """The shop's peak hours ('11:30-13:30,17:00-18:00'); malformed parts are skipped."""
    windows = []
    for part in (settings().peak_hours if text is None else text).split(","):
        if "-" not in part:
            continue
        start, end = (parse_hhmm(x) for x in part.split("-", 1))
        if start and end and start < end:
            windows.append((start, end))
    return windows


def in_peak_hours(when: dt.datetime) -> bool:
    t = when.time()
    return any(start <= t < end for start, end in peak_windows())


def is_major_repair(order: RepairOrder) -> bool:
    """A big job (4 labour hours or more, or body work) or an accident car."""
    lines = [ln for ln in _lines(order) if ln.auth_state == "authorised"]
    hours = sum((ln.hours or ZERO for ln in lines if ln.kind == "labour"), ZERO)
    return (
        bool(order.accident_car)
        or hours >= Decimal("4")
        or any(ln.category == "body" for ln in lines)
    )


@service(Role.ADVISOR)
def notify_customer(
    actor: Staff, order: RepairOrder | int, method: str, pickup_at: dt.datetime
) -> str | None:
    """Tell the customer the car is ready and agree a pickup time; returns a warning for a big
    repair or an accident car set for peak hours (then the advisor should pick another time)."""
    order = load_order(order)
    _require_state(order, (State.READY,), translate("Checkout", "notify the customer"))
    method = require_choice(
        method, NOTIFY_METHODS, translate("Checkout", "How the customer was told"), "method"
    )
    if not is_datetime(pickup_at):
        raise ValidationError(
            translate("Checkout", "Give the agreed pickup date and time."), "pickup_at"
        )
    if pickup_at < clock.now():
        raise ValidationError(translate("Checkout", "The pickup time is in the past."), "pickup_at")
    before = {"pickup_at": order.pickup_at}
    order.pickup_at = pickup_at
    touch(order, actor)
    audit("repair_order", order.id, before, {"pickup_at": pickup_at})
    warning = None
    if is_major_repair(order) and in_peak_hours(pickup_at):
        warning = translate(
            "Checkout",
            "Order {number} is a major repair or an accident car: avoid handing it over at peak hours ({hours}).",
        ).format(number=order.number, hours=settings().peak_hours)
    _event(
        order, actor, "notify", {"method": method, "pickup_at": pickup_at, "warning": warning or ""}
    )
    return warning


# --------------------------------------------------------------------------- next service


@dataclass(frozen=True)
class NextService:
    date: dt.date
    km: int
    first_service: bool


def had_maintenance(vehicle: Vehicle, exclude_order: RepairOrder | int | None = None) -> bool:
    """Did the car have a maintenance (保养) order here before?"""
    query = (
        JobLine.select()
        .join(RepairOrder)
        .where(
            (RepairOrder.vehicle == vehicle)
            & (JobLine.category == "maintenance")
            & (JobLine.auth_state == "authorised")
            & (RepairOrder.state != State.CANCELLED.value)
        )
    )
    if exclude_order is not None:
        query = query.where(
            RepairOrder.id
            != (exclude_order.id if isinstance(exclude_order, RepairOrder) else int(exclude_order))
        )
    return query.exists()


def has_maintenance_work(order: RepairOrder | int) -> bool:
    """Is this visit a service (保养): authorised maintenance work on the order?"""
    return (
        JobLine.select()
        .where(
            (JobLine.order == order)
            & (JobLine.category == "maintenance")
            & (JobLine.auth_state == "authorised")
        )
        .exists()
    )


def within_first_interval(vehicle: Vehicle, odometer_km: int, on_date: dt.date) -> bool:
    """A new car: still inside the first service interval (at most the interval's km on the
    odometer and, when the sale date is known, not later than the interval's months after it)."""
    cfg = settings()
    start = vehicle.warranty_start or vehicle.sale_date
    if int(odometer_km or 0) > cfg.service_interval_km:
        return False
    return start is None or on_date <= add_months(start, cfg.service_interval_months)


def next_service(
    vehicle: Vehicle | int,
    odometer_km: int,
    on_date: dt.date,
    exclude_order: RepairOrder | int | None = None,
) -> NextService:
    """Next service date and mileage (whichever comes first) from the shop's interval rule.

    ``first_service`` (首保, the new car's free first service) is proposed when the car is
    still inside its first interval and had no earlier maintenance order here; with
    ``exclude_order`` (the current visit) that visit must itself be a service. It is only a
    proposal: the advisor may change it at the delivery."""
    vehicle = get(Vehicle, vehicle, translate("Checkout", "Vehicle"))
    cfg = settings()
    first = not had_maintenance(vehicle, exclude_order) and within_first_interval(
        vehicle, odometer_km, on_date
    )
    if first and exclude_order is not None:
        first = has_maintenance_work(exclude_order)
    return NextService(
        date=add_months(on_date, cfg.service_interval_months),
        km=int(odometer_km or 0) + cfg.service_interval_km,
        first_service=first,
    )


# --------------------------------------------------------------------------- recommendations


@service(Role.ADVISOR, Role.TECHNICIAN, Role.TEAM_LEADER, Role.INSPECTOR)
def add_recommendation(
    actor: Staff, order: RepairOrder | int, description: str, safety: bool = False
) -> Recommendation:
    """Recommended work (建议维修项目) found on the car; safety items need a signed decline."""
    order = load_order(order)
    ensure_editable(order)
    rec = Recommendation.create(
        vehicle=order.vehicle_id,
        order=order,
        description=require_text(
            description, translate("Checkout", "Recommended work"), 250, "description"
        ),
        safety=bool(safety),
        created_at=clock.now(),
    )
    audit("recommendation", rec.id, None, snapshot(rec))
    return rec


def _rec_for_decision(rec: Recommendation | int) -> tuple[Recommendation, dict[str, Any]]:
    row = get(Recommendation, rec, translate("Checkout", "Recommendation"))
    # decided at the visit that raised it again when there is one (the visit that found it is
    # long settled then), else at the visit that found it
    ensure_editable(row.raised_again_in if row.raised_again_in_id else row.order)
    return row, snapshot(row)


@service(Role.ADVISOR)
def accept_recommendation(actor: Staff, rec: Recommendation | int) -> Recommendation:
    """The customer wants the recommended work (it becomes a job line or an appointment)."""
    row, before = _rec_for_decision(rec)
    row.state = "accepted"
    row.declined_at = None
    row.save()
    audit("recommendation", row.id, before, snapshot(row))
    return row


@service(Role.ADVISOR)
def decline_recommendation(
    actor: Staff,
    rec: Recommendation | int,
    signature_png: bytes | None = None,
    on_paper: bool = False,
) -> Recommendation:
    """The customer declines; for a safety item the customer signs (image or on paper), which
    may also be added later by calling this again. Declined items stay in the archive."""
    row, before = _rec_for_decision(rec)
    if signature_png is not None:
        if not isinstance(signature_png, bytes) or not signature_png.startswith(PNG_MAGIC):
            raise ValidationError(
                translate("Checkout", "The signature must be a PNG image."), "signature_png"
            )
        sig = Signature.create(
            image=signature_png,
            signer=row.order.customer.name,
            document="declined_recommendation",
            order_id=row.order_id,
            recorded_by=actor,
            signed_at=clock.now(),
        )
        row.signature = sig
    if on_paper:
        row.signed_on_paper = True
    if row.state != "declined":
        row.state = "declined"
        row.declined_at = clock.now()
    row.save()
    audit("recommendation", row.id, before, snapshot(row))
    return row


def unsigned_safety_items(order: RepairOrder) -> list[Recommendation]:
    """Safety recommendations that block settlement: still undecided, or declined unsigned."""
    rows = Recommendation.select().where(
        (Recommendation.order == order) & (Recommendation.safety == True)  # noqa: E712
    )
    return [
        r
        for r in rows
        if r.state == "open"
        or (r.state == "declined" and r.signature_id is None and not r.signed_on_paper)
    ]


def declined_recommendations(vehicle: Vehicle | int) -> list[Recommendation]:
    """The vehicle archive's declined recommendations, newest first (raised again next visit)."""
    return list(
        Recommendation.select()
        .where((Recommendation.vehicle == vehicle) & (Recommendation.state == "declined"))
        .order_by(Recommendation.created_at.desc(), Recommendation.id.desc())
    )


# --------------------------------------------------------------------------- delivery


def delivery_walk_items(order: RepairOrder) -> list[tuple[str, str]]:
    """What the advisor shows and checks with the customer at the car (陪同验车)."""
    items = [
        (
            "work_explained",
            translate("Checkout", "Work explained against the task order and check-in sheet"),
        )
    ]
    if order.old_parts == "take_home":
        items.append(("old_parts_shown", translate("Checkout", "Old parts shown to the customer")))
    items += [
        ("spare_wheel_tools", translate("Checkout", "Spare wheel and tool kit checked")),
        ("car_clean", translate("Checkout", "Car shown clean inside and out")),
        (
            "care_advice",
            translate("Checkout", "Service booklet (保养手册), care and usage advice explained"),
        ),
        (
            "protective_set_removed",
            translate("Checkout", "Protective set removed in front of the customer"),
        ),
    ]
    return items


@service(Role.ADVISOR)
def deliver(
    actor: Staff,
    order: RepairOrder | int,
    next_service_date: dt.date | None = None,
    next_service_km: int | None = None,
    follow_up_time: str = "",
    checks: dict[str, bool] | None = None,
    first_service: bool | None = None,
) -> RepairOrder:
    """Hand the car over with the customer (READY → DELIVERED), after a passed final inspection
    and the internal delivery check; records next service, the follow-up call time and whether
    this was the free first service (首保; None takes the proposal of :func:`next_service`)."""
    order = load_order(order)
    _require_state(order, (State.READY,), translate("Checkout", "deliver"))
    if not final_qc_passed(order):
        raise TransitionRefused(
            translate(
                "Checkout", "No delivery before a passed final inspection: order {number} has none."
            ).format(number=order.number)
        )
    if not delivery_check_done(order):
        raise TransitionRefused(
            translate(
                "Checkout", "Do the internal delivery check of order {number} before the delivery."
            ).format(number=order.number)
        )
    unsigned = [
        slip.number
        for slip in PartsReturnSlip.select(PartsReturnSlip.number).where(
            (PartsReturnSlip.order == order) & PartsReturnSlip.signed_at.is_null()
        )
    ]
    if unsigned:
        raise TransitionRefused(
            translate(
                "Checkout",
                "The return slip {slips} of order {number} waits for the technician's "
                "signature: the car is handed over after it is signed.",
            ).format(slips=join_list(unsigned), number=order.number)
        )
    if not customer_told(order):
        raise TransitionRefused(
            translate(
                "Checkout",
                "Tell the customer that order {number} is ready and agree the pickup time "
                "(Notify customer) before the delivery.",
            ).format(number=order.number)
        )
    missing = _checklist(checks, delivery_walk_items(order), known=("old_parts_shown",))
    if missing:
        raise ValidationError(
            translate(
                "Checkout", "The delivery with the customer is not complete: {items}."
            ).format(items=join_list(missing, clauses=True))
        )
    today = clock.today()
    odometer = order.odometer_km or order.vehicle.last_odometer_km or 0
    proposal = next_service(order.vehicle, odometer, today, exclude_order=order)
    when = proposal.date if next_service_date is None else next_service_date
    if not is_date(when) or when <= today:
        raise ValidationError(
            translate("Checkout", "The next service date must be a day after today."),
            "next_service_date",
        )
    km = (
        proposal.km
        if next_service_km is None
        else require_int(
            next_service_km,
            translate("Checkout", "Next service mileage"),
            odometer + 1,
            10_000_000,
            "next_service_km",
        )
    )
    contact = optional_text(
        follow_up_time, translate("Checkout", "Follow-up call time"), 60, "follow_up_time"
    )
    contact = contact or order.customer.preferred_contact_time
    if first_service is not None and not isinstance(first_service, bool):
        raise ValidationError(
            translate("Checkout", "First free service must be yes or no."), "first_service"
        )
    move(
        order,
        "deliver",
        actor,
        delivered_at=clock.now(),
        next_service_date=when,
        next_service_km=km,
        first_service=proposal.first_service if first_service is None else first_service,
        follow_up_time=contact,
    )
    _event(order, actor, "delivery", {key: True for key, _ in delivery_walk_items(order)})
    return order


# --------------------------------------------------------------------------- settlement


@dataclass
class SlipLine:
    """One line on the settlement slip."""

    id: int
    kind: str
    description: str
    units: Decimal
    unit_price: Decimal
    gross: Decimal
    discount: Decimal
    amount: Decimal  # after the line discount
    pay_type: str
    customer_amount: Decimal  # 0 for warranty, internal and goodwill lines
    claim_state: str = ""

    @classmethod
    def of(cls, line: JobLine) -> SlipLine:
        amount = line_total(line)
        return cls(
            id=line.id,
            kind=line.kind,
            description=line.description,
            units=(line.hours if line.kind == "labour" else line.quantity) or ZERO,
            unit_price=(line.rate if line.kind == "labour" else line.unit_price) or ZERO,
            gross=line_gross(line),
            discount=money(line.discount or ZERO),
            amount=amount,
            pay_type=line.pay_type,
            customer_amount=amount if line.pay_type == "customer" else ZERO,
            claim_state=line.warranty_claim_state,
        )


@dataclass
class SettlementPreview:
    """What the settlement slip (车辆维修结算单) shows; all amounts tax-inclusive Decimals."""

    order: RepairOrder
    lines: list[SlipLine]
    proposed: list[SlipLine]  # additional work still waiting for authorisation: never settled
    customer_gross: Decimal
    line_discounts: Decimal
    order_discount: Decimal
    discount_total: Decimal
    customer_total: Decimal
    tax: Decimal
    warranty_claim: Decimal  # the manufacturer's share
    internal_total: Decimal
    goodwill_total: Decimal
    paid: Decimal  # cash, card, ... net of refunds
    on_account: Decimal
    due: Decimal
    due_in_words: str
    total_in_words: str
    recommendations: list[Recommendation] = field(default_factory=list)
    #: an insured order: who pays the insurance lines (the customer's part is in
    #: ``customer_total``, the insurer's part is a receivable from the insurer)
    insurance: insurance.InsuranceSplit | None = None

    @property
    def insurer_part(self) -> Decimal:
        return self.insurance.insurer_part if self.insurance is not None else ZERO


def _payment_sums(order: RepairOrder) -> tuple[Decimal, Decimal]:
    rows = list(Payment.select().where((Payment.order == order) & (Payment.void == False)))  # noqa: E712
    paid = total(p.amount for p in rows if p.method != "on_account")
    credit = total(p.amount for p in rows if p.method == "on_account")
    return paid, credit


def settlement_preview(order: RepairOrder | int) -> SettlementPreview:
    """The slip as it stands: only authorised, completed lines; warranty at no charge to the
    customer; discounts, tax part, payments and what is still due, in figures and words."""
    order = load_order(order)
    all_lines = _lines(order)
    settled = [ln for ln in all_lines if ln.auth_state == "authorised" and ln.work_state == "done"]
    proposed = [ln for ln in all_lines if ln.auth_state == "proposed"]
    tax_rate = settings().tax_rate
    totals = compute_totals(settled, order.order_discount, tax_rate)
    customer_lines = [ln for ln in settled if ln.pay_type == "customer"]
    split = insurance.settlement_split(order, settled)
    if split is not None:  # the customer pays the excess, betterment and above the assessment
        totals.customer_total = money(totals.customer_total + split.customer_part)
        totals.tax = tax_part(totals.customer_total, tax_rate)
    paid, credit = _payment_sums(order)
    due = money(totals.customer_total - paid - credit)
    return SettlementPreview(
        order=order,
        lines=[SlipLine.of(ln) for ln in settled],
        proposed=[SlipLine.of(ln) for ln in proposed],
        customer_gross=total(line_gross(ln) for ln in customer_lines),
        line_discounts=totals.line_discounts,
        order_discount=totals.order_discount,
        discount_total=totals.discount_total,
        customer_total=totals.customer_total,
        tax=totals.tax,
        warranty_claim=totals.warranty_claim,
        internal_total=totals.by_pay_type["internal"],
        goodwill_total=totals.by_pay_type["goodwill"],
        paid=paid,
        on_account=credit,
        due=due,
        due_in_words=amount_in_words(max(due, ZERO)),
        total_in_words=amount_in_words(totals.customer_total),
        recommendations=list(
            Recommendation.select().where(Recommendation.order == order).order_by(Recommendation.id)
        ),
        insurance=split,
    )


def _authorised_customer_lines(order: RepairOrder) -> list[JobLine]:
    return [
        ln for ln in _lines(order) if ln.auth_state == "authorised" and ln.pay_type == "customer"
    ]


@service(Role.ADVISOR, Role.CASHIER)
def set_discount(
    actor: Staff,
    order: RepairOrder | int,
    line: JobLine | int | None = None,
    *,
    amount: Any,
    expected_version: int | None = None,
) -> RepairOrder:
    """A discount on one customer line or on the total. Together with every other reduction
    below the list price (:mod:`shop_desk.services.pricing`) it stays within the shop's limit,
    or needs an approved 'discount' approval (总经理审批) for the whole reduction.
    ``expected_version`` is the order's version the desk saw: a discount set meanwhile by
    another desk is not overwritten."""
    order = load_order(order, expected_version)
    ensure_editable(order)
    value = require_decimal(
        amount, translate("Checkout", "Discount"), ZERO, Decimal("100000000"), "amount"
    )
    lines = _authorised_customer_lines(order)
    if line is not None:
        row = get(JobLine, line, translate("Checkout", "Job line"))
        if row.order_id != order.id:
            raise ValidationError(
                translate("Checkout", "This line belongs to another order."), "line"
            )
        if row.pay_type != "customer" or row.auth_state != "authorised":
            raise ValidationError(
                translate("Checkout", "Only authorised lines the customer pays can be discounted."),
                "line",
            )
        if value > line_gross(row):
            raise ValidationError(
                translate(
                    "Checkout", "The discount is more than the line's amount {amount}."
                ).format(amount=fmt(line_gross(row))),
                "amount",
            )
        before = {"line": row.id, "discount": row.discount}
        line_discounts = total(value if ln.id == row.id else (ln.discount or ZERO) for ln in lines)
        order_discount = money(order.order_discount)
    else:
        row = None
        before = {"order_discount": order.order_discount}
        line_discounts = total(ln.discount or ZERO for ln in lines)
        order_discount = value
    gross = total(line_gross(ln) for ln in lines)
    if order_discount > money(gross - line_discounts):
        raise ValidationError(
            translate(
                "Checkout", "The discount is more than the customer's total {amount}."
            ).format(amount=fmt(gross - line_discounts)),
            "amount",
        )
    reduced = pricing.order_reduction(order)
    if row is not None:
        row.discount = value
        row.save()
        after = {"line": row.id, "discount": value}
    else:
        order.order_discount = value
        after = {"order_discount": value}
    rule = pricing.require_within_limit(order, reduced)
    touch(order, actor)
    audit(
        "repair_order",
        order.id,
        before,
        {**after, "reduction_total": rule.total, "limit": rule.limit},
    )
    return order


def outstanding_on_account(customer: Customer | int) -> Decimal:
    """What a customer owes on account (挂账) across orders: on-account payments not voided."""
    rows = (
        Payment.select(Payment.amount)
        .join(RepairOrder)
        .where(
            (RepairOrder.customer == customer)
            & (Payment.method == "on_account")
            & (Payment.void == False)  # noqa: E712
        )
    )
    return total(p.amount for p in rows)


def _new_payment(
    order: RepairOrder,
    actor: Staff,
    method: str,
    amount: Decimal,
    tendered: Decimal | None,
    change: Decimal,
    reference: str,
) -> Payment:
    payment = Payment.create(
        order=order,
        method=method,
        amount=amount,
        tendered=tendered,
        change_given=change,
        receipt_no=next_number(Payment, "SK", column="receipt_no"),
        reference=reference,
        at=clock.now(),
        by=actor,
    )
    audit("payment", payment.id, None, snapshot(payment))
    return payment


def cash_change(method: str, amount: Decimal, tendered: Any) -> tuple[Decimal | None, Decimal]:
    """The cash rule of every payment (the order's and the accessory counter's): cash handed
    over (the amount itself when not typed) is at least the amount, and the difference is the
    change. Other methods hand over no cash and get no change."""
    if method != "cash":
        return None, ZERO
    given = (
        amount
        if tendered is None
        else require_decimal(
            tendered,
            translate("Checkout", "Cash handed over"),
            ZERO,
            Decimal("100000000"),
            "tendered",
        )
    )
    if given < amount:
        raise ValidationError(
            translate(
                "Checkout",
                "The cash handed over ({tendered}) is less than the amount {amount}.",
            ).format(tendered=fmt(given), amount=fmt(amount)),
            "tendered",
        )
    return given, money(given - amount)


@service(Role.CASHIER, Role.ADVISOR)
def take_payment(
    actor: Staff,
    order: RepairOrder | int,
    method: str,
    amount: Any,
    tendered: Any = None,
    reference: str = "",
) -> Payment:
    """One payment (split payments are several calls), each with its receipt number. Cash gives
    change; on account only for companies within their credit, else with approved credit."""
    order = load_order(order)
    _require_state(order, (State.DELIVERED,), translate("Checkout", "take a payment"))
    method = require_choice(
        method, PAYMENT_METHODS, translate("Checkout", "Payment method"), "method"
    )
    value = require_decimal(
        amount, translate("Checkout", "Amount"), Decimal("0.01"), Decimal("100000000"), "amount"
    )
    due = settlement_preview(order).due
    if value > due:
        raise ValidationError(
            translate(
                "Checkout", "{amount} is more than the {due} still due on order {number}."
            ).format(amount=fmt(value), due=fmt(max(due, ZERO)), number=order.number),
            "amount",
        )
    given, change = cash_change(method, value, tendered)
    if method == "on_account":
        customer = order.customer
        available = money(customer.credit_limit - outstanding_on_account(customer))
        if customer.kind != "company" or value > available:
            if customer.kind == "company":
                why = translate("Checkout", "{customer} has {available} of credit left.").format(
                    customer=customer.name, available=fmt(max(available, ZERO))
                )
            else:
                why = translate("Checkout", "On account is for company customers.")
            try:
                require_approved("credit", order, value)
            except ApprovalRequired as exc:
                raise ApprovalRequired(
                    f"{why} {exc.message}", exc.kind, exc.order, exc.amount
                ) from None
    ref = optional_text(reference, translate("Checkout", "Reference"), 60, "reference")
    payment = _new_payment(order, actor, method, value, given, change, ref)
    touch(order, actor)
    return payment


def _active_settlement(order: RepairOrder) -> Settlement | None:
    return Settlement.get_or_none((Settlement.order == order) & (Settlement.state == "active"))


@service(Role.CASHIER, Role.ADVISOR)
def settle(actor: Staff, order: RepairOrder | int) -> Settlement:
    """Close the bill (DELIVERED → SETTLED) with a frozen snapshot; only when everything is
    authorised, safety declines are signed and the total is paid or on approved credit."""
    order = load_order(order)
    _require_state(order, (State.DELIVERED,), translate("Checkout", "settle"))
    preview = settlement_preview(order)
    # supplementary assessments (追加定损) alone are proposed with pay type insurance
    customer = [ln.description for ln in preview.proposed if ln.pay_type != "insurance"]
    insurer = [ln.description for ln in preview.proposed if ln.pay_type == "insurance"]
    if customer:
        raise TransitionRefused(
            translate(
                "Checkout",
                "Additional work is not authorised yet ({lines}): record the customer's decision "
                "before settling; unauthorised work is never charged.",
            ).format(lines=join_list(customer))
        )
    if insurer:
        raise TransitionRefused(
            translate(
                "Checkout",
                "A supplementary assessment is not approved by the insurer yet ({lines}): record "
                "the insurer's answer before settling; unapproved work is never charged.",
            ).format(lines=join_list(insurer))
        )
    unsigned = unsigned_safety_items(order)
    if unsigned:
        raise TransitionRefused(
            translate(
                "Checkout",
                "Safety-relevant recommended work needs the customer's decision, and a declined "
                "item the customer's signature, before settling: {items}.",
            ).format(items=join_list(r.description for r in unsigned))
        )
    refusal = insurance.settle_refusal(preview.insurance)
    if refusal is not None:
        raise TransitionRefused(refusal)
    if preview.due > 0:
        raise TransitionRefused(
            translate(
                "Checkout",
                "{due} is still due on order {number}: take the payment or put it on account "
                "first.",
            ).format(due=fmt(preview.due), number=order.number)
        )
    if preview.due < 0:
        raise TransitionRefused(
            translate(
                "Checkout",
                "{excess} more was paid than order {number} costs: refund it first (needs the "
                "general manager's approval).",
            ).format(excess=fmt(-preview.due), number=order.number)
        )
    snap = {
        "lines": [vars(ln) for ln in preview.lines],
        "customer_gross": preview.customer_gross,
        "discount_total": preview.discount_total,
        "order_discount": preview.order_discount,
        "customer_total": preview.customer_total,
        "tax": preview.tax,
        "total_in_words": preview.total_in_words,
        "insurer_part": preview.insurer_part,
        "recommendations": [
            {"id": r.id, "description": r.description, "safety": r.safety, "state": r.state}
            for r in preview.recommendations
        ],
    }
    now = clock.now()
    settlement = Settlement.create(
        order=order,
        number=next_number(Settlement, "JS"),
        settled_at=now,
        settled_by=actor,
        customer_total=preview.customer_total,
        discount_total=preview.discount_total,
        tax_total=preview.tax,
        warranty_total=preview.warranty_claim,
        internal_total=preview.internal_total,
        goodwill_total=preview.goodwill_total,
        insurance_total=preview.insurer_part,
        paid_total=preview.paid,
        credit_total=preview.on_account,
        snapshot=json.dumps(jsonable(snap), ensure_ascii=False),
    )
    audit("settlement", settlement.id, None, {**snapshot(settlement), "snapshot": "…"})
    insurer_accounts.open_receivable(order, settlement, preview.insurer_part)
    move(order, "settle", actor, settled_at=now)
    return settlement


@service(Role.CASHIER, Role.ADVISOR, Role.MANAGER)
def void_settlement(actor: Staff, order: RepairOrder | int, approval: Any) -> Settlement:
    """Undo a settlement for a correction, with an approved 'void' approval: the settlement is
    marked void (kept), the order goes back to DELIVERED, payments stay and count again."""
    order = load_order(order)
    settlement = _active_settlement(order)
    if settlement is None or State(order.state) != State.SETTLED:
        raise TransitionRefused(
            translate(
                "Checkout",
                "Order {number} is {state}: only a settled order whose car has not left can be "
                "voided.",
            ).format(number=order.number, state=state_label(order.state))
        )
    granted = require_approved("void", order, money(settlement.customer_total), approval=approval)
    insurer_accounts.void_receivable(settlement)
    before = snapshot(settlement)
    settlement.state = "void"
    settlement.voided_at = clock.now()
    settlement.void_reason = granted.reason
    settlement.void_approval_id = granted.id
    settlement.save()
    audit("settlement", settlement.id, before, snapshot(settlement))
    for gate_pass in GatePass.select().where((GatePass.order == order) & (GatePass.void == False)):  # noqa: E712
        gate_pass.void = True
        gate_pass.save()
        audit("gate_pass", gate_pass.id, {"void": False}, {"void": True})
    move(order, "void_settlement", actor, settled_at=None)
    return settlement


@service(Role.CASHIER, Role.ADVISOR, Role.MANAGER)
def refund(
    actor: Staff, order: RepairOrder | int, amount: Any, method: str, approval: Any
) -> Payment:
    """Money back to the customer (退款) with an approved 'refund' (or 'return') approval: a
    negative payment with its own receipt number. On a settled order the active settlement
    records it (paid total down, refunded total up), so the settlement, the payments and
    ``shop-desk check`` keep agreeing: the customer paid the settled total, less what the
    manager approved to give back."""
    order = load_order(order)
    method = require_choice(
        method, PAYMENT_METHODS, translate("Checkout", "Payment method"), "method"
    )
    value = require_decimal(
        amount, translate("Checkout", "Amount"), Decimal("0.01"), Decimal("100000000"), "amount"
    )
    paid, credit = _payment_sums(order)
    if value > money(paid + credit):
        raise ValidationError(
            translate(
                "Checkout", "Only {paid} was paid on order {number}; a refund cannot be more."
            ).format(paid=fmt(max(money(paid + credit), ZERO)), number=order.number),
            "amount",
        )
    require_approved(("refund", "return"), order, value, approval=approval)
    payment = _new_payment(order, actor, method, -value, None, ZERO, "")
    settlement = _active_settlement(order)
    if settlement is not None:
        before = snapshot(settlement)
        if method == "on_account":
            settlement.credit_total = money(settlement.credit_total - value)
        else:
            settlement.paid_total = money(settlement.paid_total - value)
        settlement.refunded_total = money(settlement.refunded_total + value)
        settlement.save()
        audit(
            "settlement",
            settlement.id,
            {k: before[k] for k in ("paid_total", "credit_total", "refunded_total")},
            {
                "paid_total": settlement.paid_total,
                "credit_total": settlement.credit_total,
                "refunded_total": settlement.refunded_total,
                "refund_receipt": payment.receipt_no,
            },
        )
    return payment


# --------------------------------------------------------------------------- daily takings


@dataclass(frozen=True)
class TakingsRow:
    """One payment method on the day's takings: money taken, money given back, net."""

    method: str
    taken: Decimal
    refunded: Decimal  # negative: refunds (退款) are their own figure, never hidden in ``taken``
    count: int

    @property
    def net(self) -> Decimal:
        return money(self.taken + self.refunded)


@dataclass(frozen=True)
class Takings:
    """The cashier's day (收款汇总): per method, then money in, refunds and the net; what was put
    on account is shown apart (no money came in for it)."""

    day: dt.date
    rows: list[TakingsRow]
    taken: Decimal
    refunded: Decimal  # negative
    net: Decimal
    on_account: Decimal


def daily_takings(day: dt.date) -> Takings:
    """Payments and refunds recorded on ``day`` (voided payments do not count), by method."""
    if not is_date(day):
        raise ValidationError(translate("Checkout", "Give the day of the takings."), "day")
    start = dt.datetime.combine(day, dt.time())
    rows = list(
        Payment.select(Payment.method, Payment.amount)
        .where(
            (Payment.at >= start)
            & (Payment.at < start + dt.timedelta(days=1))
            & (Payment.void == False)  # noqa: E712
        )
        .tuples()
    )
    by_method = []
    for method in PAYMENT_METHODS:
        amounts = [money(a) for m, a in rows if m == method]
        if amounts:
            by_method.append(
                TakingsRow(
                    method,
                    total(a for a in amounts if a > 0),
                    total(a for a in amounts if a < 0),
                    len(amounts),
                )
            )
    cash_in = [r for r in by_method if r.method != "on_account"]
    taken = total(r.taken for r in cash_in)
    refunded = total(r.refunded for r in cash_in)
    return Takings(
        day=day,
        rows=by_method,
        taken=taken,
        refunded=refunded,
        net=money(taken + refunded),
        on_account=total(r.net for r in by_method if r.method == "on_account"),
    )


# --------------------------------------------------------------------------- gate pass


@dataclass(frozen=True)
class GateStatus:
    """What the gate shows for the typed or scanned text, and why a car may not leave.

    The gate window shows it and :func:`use_gate_pass` refuses with ``message`` unless
    ``status`` is "valid": both come from :func:`_at_gate`, so they never disagree.
    """

    status: str  # valid | used | void | not_issued | several
    number: str = ""
    order_number: str = ""
    plate: str = ""
    model: str = ""
    colour: str = ""
    used_at: dt.datetime | None = None
    message: str = ""  # empty when valid; otherwise the refusal, in the clerk's words
    matches: tuple[GateStatus, ...] = ()  # for "several": each valid pass the text matched


def _new_code() -> str:
    for _ in range(20):
        code = "".join(secrets.choice(_CODE_ALPHABET) for _ in range(6))
        if not GatePass.select().where(GatePass.code == code).exists():
            return code
    raise DomainError(
        translate("Checkout", "Could not make a unique gate pass code; please try again.")
    )


@service(Role.CASHIER, Role.ADVISOR)
def issue_gate_pass(actor: Staff, order: RepairOrder | int) -> GatePass:
    """The gate pass (出门证): the car leaves only with it; one per settled order."""
    order = load_order(order)
    _require_state(order, (State.SETTLED,), translate("Checkout", "issue a gate pass"))
    if GatePass.select().where((GatePass.order == order) & (GatePass.void == False)).exists():  # noqa: E712
        raise DomainError(
            translate(
                "Checkout", "Order {number} has a gate pass already; reprint that one."
            ).format(number=order.number)
        )
    gate_pass = GatePass.create(
        order=order,
        number=next_number(GatePass, "MP"),
        code=_new_code(),
        issued_at=clock.now(),
        issued_by=actor,
    )
    audit("gate_pass", gate_pass.id, None, snapshot(gate_pass))
    return gate_pass


def _scanned(value: Any) -> str:
    """What the gate typed or scanned, as text any database can look up ("" for broken Unicode
    or a NUL character, which no pass, code or plate holds)."""
    text = str(value or "").strip()
    return text if "\x00" not in text and text.encode("utf-8", "replace").decode() == text else ""


def _find_pass(key: str) -> GatePass | None:
    """The pass by its number, its check code, or the printed QR code ("NUMBER|CODE", which
    must match both: a QR with a wrong code finds nothing)."""
    key = key.upper()
    if "|" in key:
        number, _sep, code = (part.strip() for part in key.partition("|"))
        where = (GatePass.number == number) & (GatePass.code == code)
    else:
        where = (GatePass.number == key) | (GatePass.code == key)
    return GatePass.select().where(where).order_by(GatePass.void, GatePass.id.desc()).first()


def _current_visit(vehicle: Vehicle) -> tuple[RepairOrder | None, GatePass | None]:
    """The car's latest visit (a booking of its next visit or a cancelled one does not count
    while there is a real one) and that visit's gate pass, if one was issued and not voided."""
    orders = RepairOrder.select().where(RepairOrder.vehicle == vehicle)
    order = (
        orders.where(RepairOrder.state.not_in([State.BOOKED.value, State.CANCELLED.value]))
        .order_by(RepairOrder.id.desc())
        .first()
    ) or orders.order_by(RepairOrder.id.desc()).first()
    if order is None:
        return None, None
    gate_pass = (
        GatePass.select()
        .where((GatePass.order == order) & (GatePass.void == False))  # noqa: E712
        .order_by(GatePass.id.desc())
        .first()
    )
    return order, gate_pass


def _pass_status(gate_pass: GatePass, typed: str) -> GateStatus:
    """One pass as the gate sees it: valid only if the car may leave with it right now."""
    order = gate_pass.order
    vehicle = order.vehicle
    if gate_pass.void:  # its paper says 作废 / VOID; the gate says so too, by name
        status = "void"
        message = translate(
            "Checkout", "Gate pass {number} was voided: the car may not leave with it."
        ).format(number=gate_pass.number)
    elif gate_pass.used_at is None and State(order.state) != State.SETTLED:
        status, message = "not_issued", _no_valid_pass(typed)
    elif gate_pass.used_at is not None:
        status = "used"
        message = translate(
            "Checkout",
            "Gate pass {number} was used already at {when}: the car may not leave again.",
        ).format(number=gate_pass.number, when=gate_pass.used_at.strftime("%Y-%m-%d %H:%M"))
    else:
        status, message = "valid", ""
    return GateStatus(
        status,
        gate_pass.number,
        order.number,
        display_plate(vehicle.plate) if vehicle.plate else "",
        vehicle.model,
        vehicle.colour,
        gate_pass.used_at,
        message,
    )


def _no_valid_pass(typed: str) -> str:
    return translate("Checkout", "No valid gate pass {code}: the car may not leave.").format(
        code=shown(typed)
    )


def _at_gate(number_or_code: Any) -> tuple[GateStatus, GatePass | None]:
    """THE reading of what the gate typed or scanned — used by :func:`gate_status` (the check)
    and :func:`use_gate_pass` (the let-out), so whatever is checked VALID is let out.

    The text may be a pass number, its check code, the printed QR code ("NUMBER|CODE") or a
    plate (any case, with or without the middle dot or spaces); a plate stands for the current
    visit of each car on file with it. If the text finds more than one valid pass, the answer is
    "several" (naming them) instead of a guess. Returns the status and, when valid, the pass.
    """
    typed = str(number_or_code or "").strip()
    key = _scanned(number_or_code)
    if not key:
        return GateStatus("not_issued", message=_no_valid_pass(typed)), None
    found: list[tuple[GateStatus, GatePass | None, int]] = []  # (…, order id): direct first
    direct = _find_pass(key)
    if direct is not None:
        found.append((_pass_status(direct, typed), direct, direct.order_id))
    plate = plate_key(key)
    if plate:
        stored = {plate, display_plate(plate)}  # as saved: 粤B12345, or 粤B·12345 (imports)
        for vehicle in Vehicle.select().where(Vehicle.plate.in_(stored)).order_by(Vehicle.id):
            order, gate_pass = _current_visit(vehicle)
            if gate_pass is not None:
                found.append((_pass_status(gate_pass, typed), gate_pass, order.id))
            elif order is not None:
                no_pass = GateStatus(
                    "not_issued",
                    "",
                    order.number,
                    display_plate(vehicle.plate),
                    vehicle.model,
                    vehicle.colour,
                    message=_no_valid_pass(typed),
                )
                found.append((no_pass, None, order.id))
    valid = {gp.id: (st, gp) for st, gp, _o in found if gp is not None and st.status == "valid"}
    if len(valid) == 1:
        return next(iter(valid.values()))
    if len(valid) > 1:
        matches = tuple(st for st, _gp in valid.values())
        plates = {st.plate for st in matches}
        cars = join_list(
            [
                translate("Checkout", "{plate} {model}: order {order}, gate pass {number}").format(
                    plate=st.plate, model=st.model, order=st.order_number, number=st.number
                )
                for st in matches
            ],
            clauses=True,
        )
        message = translate(
            "Checkout",
            "{code} matches several cars with a valid gate pass ({cars}). Scan the customer's "
            "gate pass or type its number.",
        ).format(code=shown(typed), cars=cars)
        return GateStatus(
            "several",
            plate=plates.pop() if len(plates) == 1 else "",
            message=message,
            matches=matches,
        ), None
    if direct is not None:
        return found[0][0], None
    if found:  # by plate, nothing valid: the most recent visit says why
        return max(found, key=lambda item: item[2])[0], None
    return GateStatus("not_issued", message=_no_valid_pass(typed)), None


def gate_status(number_or_code: str) -> GateStatus:
    """What the gate sees for a pass number, its check code, its QR code or a plate: valid,
    used, not issued, or several (see :func:`_at_gate`)."""
    return _at_gate(number_or_code)[0]


@service(Role.ADVISOR, Role.CASHIER, Role.SUPERVISOR, Role.ADMIN)
def use_gate_pass(actor: Staff, number_or_code: str) -> GatePass:
    """The car passes the gate: the pass is used (once), the order becomes LEFT and the
    follow-up call is scheduled at the customer's preferred time. ``number_or_code`` is read
    exactly as the gate's check reads it (:func:`_at_gate`): the car may leave if and only if
    :func:`gate_status` says "valid", and it leaves with the pass the check shows."""
    status, gate_pass = _at_gate(number_or_code)
    if status.status != "valid" or gate_pass is None:
        raise DomainError(status.message or _no_valid_pass(str(number_or_code or "").strip()))
    before = snapshot(gate_pass)
    now = clock.now()
    gate_pass.used_at = now
    gate_pass.used_by = actor
    gate_pass.save()
    audit("gate_pass", gate_pass.id, before, snapshot(gate_pass))
    order = gate_pass.order
    move(order, "gate_exit", actor, left_at=now)
    schedule_follow_up(order, now)
    return gate_pass
