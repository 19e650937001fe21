"""After the car left (PROCESS.md §9 and the rules from the other parts): follow-up calls,
complaints, the call log, warranty claims and service reminders.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import re
from dataclasses import dataclass
from typing import Any

import peewee
from peewee import fn

from shop_desk import clock
from shop_desk.clock import add_months
from shop_desk.errors import DomainError, TransitionRefused, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import (
    Appointment,
    CallLog,
    Complaint,
    Customer,
    FollowUp,
    JobLine,
    OdometerReading,
    RepairOrder,
    Staff,
    Vehicle,
)
from shop_desk.roles import Role
from shop_desk.services.approvals import require_approved
from shop_desk.services.base import (
    audit,
    day_text,
    get,
    optional_text,
    plain_rows,
    require_choice,
    require_int,
    require_text,
    service,
    snapshot,
)
from shop_desk.services.customers import vehicle_text
from shop_desk.services.orders import (
    ensure_editable,
    line_total,
    move,
    next_number,
    settings,
    touch,
)
from shop_desk.states import FROZEN_STATES, State
from shop_desk.validation import check_phone

CHANNELS = ("phone", "letter", "visit")
CAUSES = ("rude", "money", "late", "comeback", "quality", "price", "other")
#: Complaint steps in their required order and the state each one leads to.
COMPLAINT_STEPS = ("investigation", "measures", "feedback", "follow_up")
_STEP_STATE = {
    "investigation": "investigating",
    "measures": "measures",
    "feedback": "feedback",
    "follow_up": "follow_up",
}
_STATE_ORDER = ("open", "investigating", "measures", "feedback", "follow_up")
CALL_ANSWER_HOURS = 24
CLAIM_STATES = ("pending", "approved", "rejected", "written_off")


# --------------------------------------------------------------------------- small helpers


def parse_hhmm(text: str) -> dt.time | None:
    """The first HH:MM in ``text`` ('18:00-20:00' → 18:00), or None."""
    match = re.search(r"(\d{1,2})[:：](\d{2})", text or "")
    if not match:
        return None
    hh, mm = int(match.group(1)), int(match.group(2))
    return dt.time(hh, mm) if hh < 24 and mm < 60 else None


def _steps(complaint: Complaint) -> list[dict[str, Any]]:
    return json.loads(complaint.steps or "[]")


def add_step(complaint: Complaint, actor: Staff, step: str, text: str) -> None:
    """One dated, signed entry on the case (call inside a service)."""
    steps = _steps(complaint)
    steps.append(
        {
            "step": step,
            "text": text,
            "at": clock.now().isoformat(timespec="seconds"),
            "by": actor.name,
            "by_id": actor.id,
        }
    )
    complaint.steps = json.dumps(steps, ensure_ascii=False)


# --------------------------------------------------------------------------- follow-up


#: The rulebook's window: the follow-up call is made within 3 days of the car leaving.
FOLLOW_UP_WINDOW_DAYS = 3
#: A customer not reached is called again this long after, the same day, when tomorrow would
#: be outside the window.
SAME_DAY_RETRY = dt.timedelta(hours=2)


def follow_up_window_end(follow_up: FollowUp) -> dt.date:
    """The last day on which the call is within the rulebook's window."""
    order = follow_up.order
    left = order.left_at.date() if order.left_at else follow_up.due_at.date()
    return left + dt.timedelta(days=FOLLOW_UP_WINDOW_DAYS)


def within_window(follow_up: FollowUp) -> bool:
    """Was the customer reached within the window (the share the monthly report shows)?"""
    return (
        follow_up.state == "done"
        and follow_up.done_at is not None
        and follow_up.done_at.date() <= follow_up_window_end(follow_up)
    )


def _next_try(follow_up: FollowUp, now: dt.datetime) -> dt.datetime:
    """When to call a customer not reached again: tomorrow at the customer's time while that is
    inside the window; else later today, before the working day ends; only when neither is
    left, tomorrow (the call is then late and the report counts it so)."""
    cfg = settings()
    at = parse_hhmm(follow_up.preferred_time) or parse_hhmm(cfg.workday_start) or dt.time(9, 0)
    tomorrow = dt.datetime.combine(now.date() + dt.timedelta(days=1), at)
    if tomorrow.date() <= follow_up_window_end(follow_up):
        return tomorrow
    later = now + SAME_DAY_RETRY
    end = parse_hhmm(cfg.workday_end) or dt.time(18, 0)
    if later.date() == now.date() and later.time() <= end:
        return later
    return tomorrow


def follow_up_due(order: RepairOrder, left_at: dt.datetime) -> tuple[dt.datetime, str]:
    """When the follow-up call (回访) is due: settings.follow_up_days after the car left, at the
    customer's preferred time (the order's, else the customer's, else the start of the day)."""
    cfg = settings()
    preferred = order.follow_up_time or order.customer.preferred_contact_time or ""
    at = parse_hhmm(preferred) or parse_hhmm(cfg.workday_start) or dt.time(9, 0)
    day = left_at.date() + dt.timedelta(days=cfg.follow_up_days)
    return dt.datetime.combine(day, at), preferred


def schedule_follow_up(order: RepairOrder, left_at: dt.datetime) -> FollowUp:
    """Create the follow-up call when the car leaves (call inside a service)."""
    due_at, preferred = follow_up_due(order, left_at)
    follow_up = FollowUp.create(
        order=order, customer=order.customer_id, due_at=due_at, preferred_time=preferred
    )
    audit("follow_up", follow_up.id, None, snapshot(follow_up))
    return follow_up


def _follow_ups(where: peewee.Expression) -> peewee.ModelSelect:
    """Follow-up calls with their order, the order's car and the customer (one query)."""
    return (
        FollowUp.select(FollowUp, RepairOrder, Vehicle, Customer)
        .join(RepairOrder)
        .join(Vehicle)
        .switch(FollowUp)
        .join(Customer)
        .where(where)
    )


def due_follow_ups(on_date: dt.date | None = None) -> list[FollowUp]:
    """Open calls due on ``on_date`` or overdue, in order of the customers' preferred times."""
    day = on_date or clock.today()
    end = dt.datetime.combine(day + dt.timedelta(days=1), dt.time())
    rows = _follow_ups((FollowUp.state == "open") & (FollowUp.due_at < end))
    return sorted(rows, key=lambda f: (f.due_at.time(), f.due_at, f.id))


def follow_ups_recorded_since(start: dt.datetime) -> list[FollowUp]:
    """Calls whose result was recorded since ``start`` (done or unreachable), newest first."""
    return list(
        _follow_ups((FollowUp.done_at >= start) & (FollowUp.state != "open")).order_by(
            FollowUp.done_at.desc(), FollowUp.id.desc()
        )
    )


def is_unhappy(follow_up: FollowUp) -> bool:
    """A reached customer who is dissatisfied (1–2 of 5) or whose fault is not gone."""
    return bool(follow_up.reached) and (
        (follow_up.satisfaction is not None and follow_up.satisfaction <= 2)
        or follow_up.fault_gone is False
    )


def _close_order(order: RepairOrder, actor: Staff) -> None:
    if State(order.state) == State.LEFT:
        move(order, "close", actor, closed_at=clock.now())


@service(Role.CRM_CLERK)
def record_follow_up(
    actor: Staff,
    follow_up: FollowUp | int,
    reached: bool,
    satisfaction: int | None = None,
    fault_gone: bool | None = None,
    comments: str = "",
) -> FollowUp:
    """The result of one call. Not reached: try again (next day while that is inside the
    rulebook's 3-day window, else later the same day), until settings.follow_up_retries
    (then 'unreachable'). A finished follow-up closes the order (LEFT → CLOSED)."""
    row = get(FollowUp, follow_up, translate("Aftercare", "Follow-up call"))
    if row.state != "open":
        raise DomainError(translate("Aftercare", "This follow-up call is finished already."))
    before = snapshot(row)
    now = clock.now()
    row.comments = optional_text(comments, translate("Aftercare", "Comments"), 2000, "comments")
    row.by = actor
    if not reached:
        row.attempts += 1
        row.reached = False
        if row.attempts >= settings().follow_up_retries:
            row.state = "unreachable"
            row.done_at = now
        else:
            row.due_at = _next_try(row, now)
    else:
        if not isinstance(fault_gone, bool):
            raise ValidationError(
                translate("Aftercare", "Record whether the fault is gone."), "fault_gone"
            )
        row.satisfaction = require_int(
            satisfaction, translate("Aftercare", "Satisfaction"), 1, 5, "satisfaction"
        )
        row.fault_gone = fault_gone
        row.reached = True
        row.attempts += 1
        row.state = "done"
        row.done_at = now
    row.save()
    audit("follow_up", row.id, before, snapshot(row))
    if row.state != "open":
        _close_order(row.order, actor)
    return row


@service(Role.CRM_CLERK, Role.ADVISOR, Role.MANAGER)
def complaint_from_follow_up(
    actor: Staff, follow_up: FollowUp | int, description: str = ""
) -> Complaint:
    """Open a complaint case from an unhappy follow-up answer, linked to the call and order."""
    row = get(FollowUp, follow_up, translate("Aftercare", "Follow-up call"))
    if row.state != "done":
        raise DomainError(translate("Aftercare", "Record the follow-up call's answer first."))
    if Complaint.select().where(Complaint.follow_up == row).exists():
        raise DomainError(
            translate("Aftercare", "A complaint was opened from this follow-up call already.")
        )
    text = (
        optional_text(description, translate("Aftercare", "Description"), 4000, "description")
        or row.comments
    )
    order = row.order
    complaint = _new_complaint(
        actor,
        "phone",
        row.customer,
        text,
        "quality" if row.fault_gone is False else "other",
        order.vehicle,
        order,
        None,
    )
    complaint.follow_up = row
    complaint.save()
    return complaint


# --------------------------------------------------------------------------- complaints


def _new_complaint(
    actor: Staff,
    channel: str,
    customer: Customer | int,
    description: str,
    cause: str,
    vehicle: Vehicle | int | None,
    order: RepairOrder | int | None,
    staff_concerned: Staff | int | None,
) -> Complaint:
    channel = require_choice(channel, CHANNELS, translate("Aftercare", "Channel"), "channel")
    cause = require_choice(cause, CAUSES, translate("Aftercare", "Cause"), "cause")
    customer = get(Customer, customer, translate("Aftercare", "Customer"))
    text = require_text(description, translate("Aftercare", "Description"), 4000, "description")
    order_row = (
        get(RepairOrder, order, translate("Services", "Repair order"))
        if order is not None
        else None
    )
    if order_row is not None and order_row.customer_id != customer.id:
        raise ValidationError(
            translate("Aftercare", "The order belongs to another customer."), "order"
        )
    vehicle_row = (
        get(Vehicle, vehicle, translate("Aftercare", "Vehicle")) if vehicle is not None else None
    )
    if vehicle_row is None and order_row is not None:
        vehicle_row = order_row.vehicle
    staff_row = (
        get(Staff, staff_concerned, translate("Aftercare", "Staff member"))
        if staff_concerned
        else None
    )
    now = clock.now()
    complaint = Complaint(
        number=next_number(Complaint, "TS"),
        channel=channel,
        customer=customer,
        vehicle=vehicle_row,
        order=order_row,
        cause=cause,
        staff_concerned=staff_row,
        description=text,
        opened_at=now,
        opened_by=actor,
    )
    add_step(complaint, actor, "record", text)
    complaint.save()
    audit("complaint", complaint.id, None, snapshot(complaint))
    return complaint


@service(Role.CRM_CLERK, Role.ADVISOR, Role.MANAGER)
def open_complaint(
    actor: Staff,
    channel: str,
    customer: Customer | int,
    description: str,
    cause: str = "other",
    vehicle: Vehicle | int | None = None,
    order: RepairOrder | int | None = None,
    staff_concerned: Staff | int | None = None,
) -> Complaint:
    """Record a complaint (投诉) that came by phone, letter or visit."""
    return _new_complaint(
        actor, channel, customer, description, cause, vehicle, order, staff_concerned
    )


def step_label(step: str) -> str:
    labels = {
        "investigation": translate("Aftercare", "investigation"),
        "measures": translate("Aftercare", "measures"),
        "feedback": translate("Aftercare", "feedback to the customer"),
        "follow_up": translate("Aftercare", "follow-up after the fact"),
        "outcome": translate("Aftercare", "outcome for the staff member"),
    }
    return labels.get(step, step)


@service(Role.CRM_CLERK, Role.ADVISOR, Role.MANAGER)
def progress_complaint(actor: Staff, complaint: Complaint | int, step: str, text: str) -> Complaint:
    """The next step of the case, in order: investigation → measures → feedback → follow-up.
    The current step may get further notes; steps cannot be skipped."""
    row = get(Complaint, complaint, translate("Aftercare", "Complaint"))
    step = require_choice(step, COMPLAINT_STEPS, translate("Aftercare", "Step"), "step")
    note = require_text(text, translate("Aftercare", "Text"), 4000, "text")
    if row.state == "closed":
        raise DomainError(
            translate("Aftercare", "Complaint {number} is closed.").format(number=row.number)
        )
    current = _STATE_ORDER.index(row.state)
    wanted = COMPLAINT_STEPS.index(step) + 1
    if wanted > current + 1:
        raise DomainError(
            translate("Aftercare", "Record the {step} step first.").format(
                step=step_label(COMPLAINT_STEPS[current])
            )
        )
    if wanted < current:
        raise DomainError(
            translate("Aftercare", "Complaint {number} is past the {step} step.").format(
                number=row.number, step=step_label(step)
            )
        )
    before = snapshot(row)
    row.state = _STEP_STATE[step]
    add_step(row, actor, step, note)
    row.save()
    audit("complaint", row.id, before, snapshot(row))
    return row


@service(Role.CRM_CLERK, Role.ADVISOR, Role.MANAGER)
def close_complaint(actor: Staff, complaint: Complaint | int, text: str = "") -> Complaint:
    """Close the case once the follow-up after the fact is recorded."""
    row = get(Complaint, complaint, translate("Aftercare", "Complaint"))
    if row.state != "follow_up":
        raise DomainError(
            translate(
                "Aftercare", "Complaint {number} can be closed only after the follow-up step."
            ).format(number=row.number)
        )
    before = snapshot(row)
    row.state = "closed"
    row.closed_at = clock.now()
    add_step(
        row, actor, "closed", optional_text(text, translate("Aftercare", "Text"), 4000, "text")
    )
    row.save()
    audit("complaint", row.id, before, snapshot(row))
    return row


@service(Role.CRM_CLERK, Role.ADVISOR, Role.MANAGER)
def complaint_for_comeback(actor: Staff, order: RepairOrder | int) -> Complaint:
    """A comeback (the same problem repaired twice) is a complaint against the repair: open one
    with cause 'comeback', or mark the order's open complaint as one."""
    return _comeback_complaint(actor, order)


def comebacks_without_complaint() -> list[RepairOrder]:
    """Orders the services flagged as comebacks (reception's check, the workshop's labour) that
    have no comeback complaint case yet, oldest first: the case is still to be opened."""
    covered = Complaint.select(Complaint.order).where(
        Complaint.order.is_null(False) & (Complaint.cause == "comeback")
    )
    return list(
        RepairOrder.select()
        .where(
            (RepairOrder.is_comeback == True)  # noqa: E712
            & (RepairOrder.state != State.CANCELLED.value)
            & RepairOrder.id.not_in(covered)
        )
        .order_by(RepairOrder.checked_in_at, RepairOrder.id)
    )


@service(Role.CRM_CLERK, Role.ADVISOR, Role.MANAGER)
def open_comeback_complaints(actor: Staff) -> list[Complaint]:
    """Open (or link) the complaint case of every flagged comeback that has none yet."""
    return [_comeback_complaint(actor, order) for order in comebacks_without_complaint()]


def _comeback_complaint(actor: Staff, order: RepairOrder | int) -> Complaint:
    order = get(RepairOrder, order, translate("Services", "Repair order"))
    if not order.is_comeback:
        raise DomainError(
            translate("Aftercare", "Order {number} is not marked as a comeback.").format(
                number=order.number
            )
        )
    original = order.comeback_of
    existing = (
        Complaint.select()
        .where((Complaint.order == order) & (Complaint.state != "closed"))
        .order_by(Complaint.id)
        .first()
    )
    if existing is not None:
        if existing.cause != "comeback":
            before = snapshot(existing)
            existing.cause = "comeback"
            if existing.staff_concerned_id is None and original is not None:
                existing.staff_concerned = original.technician_id
            add_step(existing, actor, "record", translate("Aftercare", "Marked as a comeback."))
            existing.save()
            audit("complaint", existing.id, before, snapshot(existing))
        return existing
    text = translate(
        "Aftercare",
        "Same problem repaired twice: order {number} comes back after order {original}. "
        "{complaint}",
    ).format(
        number=order.number,
        original=original.number if original else "?",
        complaint=order.complaint_text,
    )
    return _new_complaint(
        actor,
        "visit",
        order.customer_id,
        text,
        "comeback",
        order.vehicle_id,
        order,
        original.technician_id if original is not None else None,
    )


# --------------------------------------------------------------------------- call log


@service(Role.CRM_CLERK, Role.ADVISOR, Role.MANAGER, Role.CASHIER)
def log_call(
    actor: Staff,
    caller: str,
    phone: str,
    subject: str,
    customer: Customer | int | None = None,
    order: RepairOrder | int | None = None,
    urgent: bool = False,
) -> CallLog:
    """Every customer call is logged (来电登记); a request is answered within 24 hours, an urgent
    one at once."""
    check = check_phone(phone, required=False)
    if not check.ok:
        raise ValidationError(check.message, "phone")
    now = clock.now()
    call = CallLog.create(
        received_at=now,
        caller=require_text(caller, translate("Aftercare", "Caller"), 80, "caller"),
        phone=check.value,
        customer=get(Customer, customer, translate("Aftercare", "Customer"))
        if customer is not None
        else None,
        order=get(RepairOrder, order, translate("Services", "Repair order"))
        if order is not None
        else None,
        subject=require_text(subject, translate("Aftercare", "Subject"), 2000, "subject"),
        urgent=bool(urgent),
        answer_due_at=now if urgent else now + dt.timedelta(hours=CALL_ANSWER_HOURS),
        logged_by=actor,
    )
    audit("call_log", call.id, None, snapshot(call))
    return call


@service(Role.CRM_CLERK, Role.ADVISOR, Role.MANAGER, Role.CASHIER)
def answer_call(actor: Staff, call: CallLog | int, answer: str) -> CallLog:
    """Record the answer given to the caller."""
    row = get(CallLog, call, translate("Aftercare", "Call"))
    if row.answered_at is not None:
        raise DomainError(translate("Aftercare", "This call was answered already."))
    before = snapshot(row)
    row.answer = require_text(answer, translate("Aftercare", "Answer"), 4000, "answer")
    row.answered_at = clock.now()
    row.answered_by = actor
    row.save()
    audit("call_log", row.id, before, snapshot(row))
    return row


def open_calls() -> list[CallLog]:
    """Calls still to answer: urgent first, then by due time."""
    return list(
        CallLog.select()
        .where(CallLog.answered_at.is_null())
        .order_by(CallLog.urgent.desc(), CallLog.answer_due_at, CallLog.id)
    )


def overdue_calls(now: dt.datetime | None = None) -> list[CallLog]:
    """Calls not answered by their due time."""
    moment = now or clock.now()
    return list(
        CallLog.select()
        .where(CallLog.answered_at.is_null() & (CallLog.answer_due_at < moment))
        .order_by(CallLog.answer_due_at, CallLog.id)
    )


# --------------------------------------------------------------------------- warranty claims


def claim_state(line: JobLine) -> str:
    return line.warranty_claim_state or "pending"


def claim_state_label(code: str) -> str:
    """A warranty claim's state in words (the warranty page and the monthly report)."""
    return {
        "pending": translate("AftercareUi", "Pending manufacturer approval"),
        "approved": translate("AftercareUi", "Approved"),
        "rejected": translate("AftercareUi", "Rejected: customer pays"),
        "written_off": translate("AftercareUi", "Written off"),
    }.get(code or "pending", code)


def _is_claim(line: JobLine) -> bool:
    return line.auth_state == "authorised" and (
        line.pay_type == "warranty" or line.order.warranty_decision == "pending"
    )


def _claims_where(state: str | None) -> peewee.Expression:
    """Which lines are warranty claims (in ``state``; None: all), for the two reads below."""
    if state is not None:
        require_choice(state, CLAIM_STATES, translate("Aftercare", "Claim state"), "state")
    # indexed reads (warranty lines; lines of orders whose warranty is pending; claims
    # rejected with "the customer pays", no longer warranty lines) instead of one OR across
    # both tables, which would read every line ever written
    claim_ids = (
        JobLine.select(JobLine.id).where(JobLine.pay_type == "warranty")
        | JobLine.select(JobLine.id)
        .join(RepairOrder)
        .where(RepairOrder.warranty_decision == "pending")
        | JobLine.select(JobLine.id).where(JobLine.warranty_claim_state == "rejected")
    )
    where = (
        JobLine.id.in_(claim_ids)
        & (JobLine.auth_state == "authorised")
        & (RepairOrder.state != State.CANCELLED.value)
    )
    if state == "pending":
        where &= JobLine.warranty_claim_state.in_(("", "pending"))
    elif state is not None:
        where &= JobLine.warranty_claim_state == state
    return where


def warranty_claims(state: str | None = None) -> list[JobLine]:
    """Warranty claims (索赔) to the manufacturer: warranty lines, lines of orders whose
    warranty is pending and rejected claims the customer pays; ``state`` filters pending /
    approved / rejected / written_off. Each line comes with its order, the order's car and
    customer (one query for the whole list)."""
    return list(
        JobLine.select(JobLine, RepairOrder, Vehicle, Customer)
        .join(RepairOrder)
        .join_from(RepairOrder, Vehicle)
        .join_from(RepairOrder, Customer)
        .where(_claims_where(state))
        .order_by(RepairOrder.id, JobLine.sort, JobLine.id)
    )


def warranty_claim_rows(state: str | None = None) -> list[dict[str, Any]]:
    """:func:`warranty_claims` as plain rows for the warranty page's list: ten years of claims
    are read in a fraction of the time whole records take. Each row has the line's id, kind,
    description, pay type, amounts, claim state and number, and its order's id, number, state,
    dates, car and customer."""
    query = (
        JobLine.select(
            JobLine.id,
            JobLine.kind,
            JobLine.description,
            JobLine.pay_type,
            JobLine.hours,
            JobLine.rate,
            JobLine.quantity,
            JobLine.unit_price,
            JobLine.discount,
            JobLine.warranty_claim_state,
            JobLine.warranty_claim_no,
            RepairOrder.id.alias("order_id"),
            RepairOrder.number.alias("order"),
            RepairOrder.state.alias("order_state"),
            RepairOrder.checked_in_at,
            RepairOrder.created_at,
            Vehicle.plate,
            Vehicle.vin,
            Vehicle.make,
            Vehicle.model,
            Customer.name.alias("customer"),
        )
        .join(RepairOrder)
        .join_from(RepairOrder, Vehicle)
        .join_from(RepairOrder, Customer)
        .where(_claims_where(state))
        .order_by(RepairOrder.id, JobLine.sort, JobLine.id)
    )
    return list(query.dicts())


def _claim_line(line: JobLine | int) -> JobLine:
    row = get(JobLine, line, translate("Aftercare", "Job line"))
    if not _is_claim(row):
        raise DomainError(
            translate("Aftercare", "{line} is not a warranty claim.").format(line=row.description)
        )
    if claim_state(row) != "pending":
        raise DomainError(
            translate("Aftercare", "The claim for {line} is decided already.").format(
                line=row.description
            )
        )
    return row


@service(Role.ADVISOR, Role.MANAGER)
def approve_claim(actor: Staff, line: JobLine | int, claim_no: str) -> JobLine:
    """The manufacturer accepted the claim; the line is free for the customer."""
    row = _claim_line(line)
    number = require_text(claim_no, translate("Aftercare", "Claim number"), 60, "claim_no")
    before = snapshot(row)
    if row.pay_type != "warranty":
        ensure_editable(row.order)
        row.pay_type = "warranty"
        touch(row.order, actor)
    row.warranty_claim_state = "approved"
    row.warranty_claim_no = number
    row.save()
    audit("job_line", row.id, before, snapshot(row))
    return row


@service(Role.ADVISOR, Role.MANAGER)
def reject_claim(actor: Staff, line: JobLine | int, outcome: str) -> JobLine:
    """The manufacturer refused: the customer pays (only before settlement), or the shop writes
    the amount off with an approved 'write_off' approval."""
    row = _claim_line(line)
    outcome = require_choice(
        outcome, ("customer_pays", "write_off"), translate("Aftercare", "Outcome"), "outcome"
    )
    order = row.order
    before = snapshot(row)
    if outcome == "customer_pays":
        if State(order.state) in FROZEN_STATES:
            raise TransitionRefused(
                translate(
                    "Aftercare",
                    "Order {number} is settled: the customer can no longer be charged for "
                    "{line}. Write it off (manager approval) or void the settlement first.",
                ).format(number=order.number, line=row.description)
            )
        row.pay_type = "customer"
        row.warranty_claim_state = "rejected"
        touch(order, actor)
    else:
        if row.pay_type != "warranty":
            raise DomainError(
                translate(
                    "Aftercare", "The customer pays {line} already; there is nothing to write off."
                ).format(line=row.description)
            )
        require_approved("write_off", order, line_total(row))
        row.warranty_claim_state = "written_off"
    row.save()
    audit("job_line", row.id, before, snapshot(row))
    return row


# --------------------------------------------------------------------------- service reminders


@dataclass(frozen=True)
class Reminder:
    """A service reminder (保养提醒): the car is due by date or by its estimated mileage.

    Plain data (a reminder list may hold thousands of cars); :attr:`vehicle` and
    :attr:`customer` read the records when somebody books one."""

    vehicle_id: int
    customer_id: int | None
    vehicle_text: str  # plate (or VIN) and make/model, as lists show it
    customer_name: str
    customer_phone: str
    due_date: dt.date
    by: str  # date | km
    next_service_date: dt.date
    next_service_km: int
    estimated_km: int | None  # on the due date, from the odometer history

    @property
    def vehicle(self) -> Vehicle:
        return Vehicle.get_by_id(self.vehicle_id)

    @property
    def customer(self) -> Customer | None:
        return Customer.get_or_none(Customer.id == self.customer_id) if self.customer_id else None


#: A car more than this many months past its service date has lapsed: it leaves the reminder
#: list (a reminder is an offer made *before* the service is due, PROCESS.md step 9, and one
#: that went unanswered for half a year is a lost customer, not a reminder to repeat).
LAPSED_MONTHS = 6


def _rate(
    readings: list[tuple[dt.date, int]], last_odometer_km: int | None, sale_date: dt.date | None
) -> tuple[float, dt.date, int] | None:
    """Average km a day between the first and the last odometer reading (day, km; recorded
    order) or since the sale, and the last reading's day and km; None with under a week."""
    if readings:
        last_day, last_km = readings[-1]
    elif last_odometer_km:
        last_day, last_km = clock.today(), last_odometer_km
    else:
        return None
    if readings:
        first_day, first_km = readings[0]
        if (last_day - first_day).days >= 7 and last_km > first_km:
            return (last_km - first_km) / (last_day - first_day).days, last_day, last_km
    if sale_date and (last_day - sale_date).days >= 7 and last_km > 0:
        return last_km / (last_day - sale_date).days, last_day, last_km
    return None


_DONE_STATES = (State.DELIVERED.value, State.SETTLED.value, State.LEFT.value, State.CLOSED.value)
_IN_SHOP = tuple(s.value for s in State if s.value not in _DONE_STATES and s != State.CANCELLED)


def _as_day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _last_visits(since: dt.datetime) -> dict[int, tuple]:
    """Per vehicle, its latest finished order created since ``since``: (served day, order id,
    next service date, next service km, odometer). One indexed range read."""
    latest: dict[int, tuple] = {}
    served = fn.COALESCE(
        RepairOrder.delivered_at, RepairOrder.checked_in_at, RepairOrder.created_at
    )
    rows = plain_rows(
        RepairOrder.select(
            RepairOrder.vehicle,
            day_text(served),
            RepairOrder.id,
            day_text(RepairOrder.next_service_date),
            RepairOrder.next_service_km,
            RepairOrder.odometer_km,
            RepairOrder.state,
        ).where(RepairOrder.created_at >= since)
    )  # the state is tested here: a filter on it would make SQLite walk every finished order
    done = set(_DONE_STATES)
    for vid, day, oid, next_date, next_km, km, state in rows:
        if state not in done:
            continue
        known = latest.get(vid)
        if known is None or (day, oid) > (known[0], known[1]):
            latest[vid] = (day, oid, next_date, next_km, km)
    return latest


def _readings_of(vehicle_ids: peewee.Query) -> dict[int, list[tuple[dt.date, int]]]:
    """The first and the last odometer reading (day, km) of the vehicles ``vehicle_ids``
    selects: all :func:`_rate` needs, read as two per car whatever the history."""
    by_car = (
        OdometerReading.select(
            fn.MIN(OdometerReading.id).alias("first"), fn.MAX(OdometerReading.id).alias("last")
        )
        .where(OdometerReading.vehicle.in_(vehicle_ids))
        .group_by(OdometerReading.vehicle)
    )
    ends = by_car.alias("ends")
    out: dict[int, list[tuple[dt.date, int]]] = {}
    for vid, day, km in plain_rows(
        OdometerReading.select(
            OdometerReading.vehicle, day_text(OdometerReading.read_at), OdometerReading.km
        )
        .join(
            ends,
            on=(OdometerReading.id == ends.c.first) | (OdometerReading.id == ends.c.last),
        )
        .order_by(OdometerReading.id)
    ):
        out.setdefault(vid, []).append((dt.date.fromisoformat(day), km))
    return out


def service_reminders(on_date: dt.date | None = None, weeks: int = 4) -> list[Reminder]:
    """Cars whose next service falls due within ``weeks`` (or is overdue, for up to
    :data:`LAPSED_MONTHS`), by date or by the mileage estimated from their odometer history;
    cars in the shop or booked are left out.

    A fixed handful of queries however long the history: only visits recent enough to be due
    now are read (a next service is at most a year after a visit, or the shop's interval)."""
    day = on_date or clock.today()
    horizon = day + dt.timedelta(weeks=weeks)
    oldest_due = add_months(day, -LAPSED_MONTHS)
    cfg = settings()
    since = add_months(oldest_due, -max(12, cfg.service_interval_months))
    since_dt = dt.datetime.combine(since, dt.time())
    latest = _last_visits(since_dt)
    busy = {
        vid
        for (vid,) in RepairOrder.select(RepairOrder.vehicle)
        .where(RepairOrder.state.in_(_IN_SHOP))
        .tuples()
    }
    busy |= {
        vid
        for (vid,) in Appointment.select(Appointment.vehicle)
        .where(
            (Appointment.status == "booked")
            & (Appointment.slot_start >= dt.datetime.combine(day, dt.time()))
        )
        .tuples()
    }
    visited = RepairOrder.select(RepairOrder.vehicle).where(RepairOrder.created_at >= since_dt)
    readings = _readings_of(visited)
    cars = {
        row[0]: row
        for row in plain_rows(
            Vehicle.select(
                Vehicle.id,
                Vehicle.plate,
                Vehicle.vin,
                Vehicle.make,
                Vehicle.model,
                Vehicle.last_odometer_km,
                day_text(Vehicle.sale_date),
                Customer.id,
                Customer.name,
                Customer.phone,
            )
            .join(Customer, peewee.JOIN.LEFT_OUTER, on=(Vehicle.owner == Customer.id))
            .where(Vehicle.id.in_(visited))
        )
    }
    out = []
    for vehicle_id, (served, _oid, next_text, next_km, odometer) in latest.items():
        car = cars.get(vehicle_id)
        if vehicle_id in busy or car is None:
            continue
        _vid, plate, vin, make, model, last_km_on_file, sale_day, owner_id, name, phone = car
        next_date = _as_day(next_text) or add_months(
            dt.date.fromisoformat(served), cfg.service_interval_months
        )
        next_km = next_km or (odometer or 0) + cfg.service_interval_km
        due, by, est_km = next_date, "date", None
        rate = _rate(readings.get(vehicle_id, []), last_km_on_file, _as_day(sale_day))
        if rate is not None:
            per_day, last_day, last_km = rate
            km_day = last_day + dt.timedelta(days=max(0, math.ceil((next_km - last_km) / per_day)))
            est_km = int(last_km + per_day * max(0, (next_date - last_day).days))
            if km_day < next_date:
                due, by, est_km = km_day, "km", next_km
        if oldest_due <= due <= horizon:
            text = vehicle_text(plate, vin, make, model)
            out.append(
                Reminder(
                    vehicle_id, owner_id, text, name or "", phone or "", due, by, next_date,
                    next_km, est_km,
                )
            )  # fmt: skip
    return sorted(out, key=lambda r: (r.due_date, r.vehicle_id))
