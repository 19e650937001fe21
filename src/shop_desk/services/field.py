"""Field service (外出服务, the rulebook's 篇三/篇四): a call that needs work is registered and
goes to the supervisor, who dispatches (派遣) people, a vehicle, tools and parts; the crew
records departure, arrival (late: why), the work, the call to the service centre before
leaving the site, and the return; the service report (售后服务报告单) with the customer's
satisfaction survey (满意度调查表) must be complete before the job is closed. Outside warranty
the customer agrees to a quote before work starts. A car that cannot be fixed on site is
towed in and becomes a repair order. Broken rules become cases in the penalty register
(:mod:`shop_desk.services.penalties`).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from decimal import Decimal
from typing import Any

from shop_desk import clock
from shop_desk.errors import DomainError, PermissionDenied, TransitionRefused, ValidationError
from shop_desk.field_states import OUT_STATES, FieldState, state_label, target_state
from shop_desk.i18n import join_list, translate
from shop_desk.models import (
    CallLog,
    Customer,
    FieldJob,
    FieldJobStaff,
    FieldPart,
    Part,
    RepairOrder,
    ServiceReport,
    Signature,
    Staff,
    StaffRole,
    Vehicle,
)
from shop_desk.money import ZERO, money
from shop_desk.roles import Role
from shop_desk.services import reception
from shop_desk.services.base import (
    audit,
    check_version,
    get,
    is_datetime,
    optional_text,
    require_choice,
    require_decimal,
    require_int,
    require_list,
    require_text,
    row_id,
    service,
    snapshot,
)
from shop_desk.services.customers import vehicle_label
from shop_desk.services.orders import next_number
from shop_desk.services.parts import MAX_QTY
from shop_desk.services.parts import _part as find_part
from shop_desk.services.penalties import add_penalty
from shop_desk.services.workshop import AUTH_METHODS

KINDS = ("breakdown", "fleet_visit", "mobile_service")
#: The rulebook: a service call is answered (dispatched) within 24 hours.
DISPATCH_HOURS = 24
CREW_ROLES = frozenset({Role.TECHNICIAN.value, Role.TEAM_LEADER.value})
_CREW = (Role.TECHNICIAN, Role.TEAM_LEADER)
#: States in which parts may be taken out for the job / brought back.
PARTS_OUT_STATES = (
    FieldState.DISPATCHED,
    FieldState.EN_ROUTE,
    FieldState.ON_SITE,
    FieldState.WORKING,
)
#: (also before setting off: a job called off with parts already out gives them back)
PARTS_BACK_STATES = tuple(s for s in FieldState if s is not FieldState.REGISTERED)
#: The quote and the customer's agreement come before the work starts.
BEFORE_WORK = (
    FieldState.REGISTERED,
    FieldState.DISPATCHED,
    FieldState.EN_ROUTE,
    FieldState.ON_SITE,
)
#: The service report and survey are filled in after the work.
REPORT_STATES = (FieldState.WORK_DONE, FieldState.RETURNING, FieldState.RETURNED)


# --------------------------------------------------------------------------- helpers


def job_by_number(number: Any) -> FieldJob | None:
    """The field job with this number (FW…), or None (also for text no database can hold)."""
    text = number.strip() if isinstance(number, str) else ""
    if not text or text.encode("utf-8", "replace").decode() != text:
        return None
    return FieldJob.get_or_none(FieldJob.number == text)


def _job(job: FieldJob | int | str, expected_version: int | None = None) -> FieldJob:
    """A field job by instance, id or number."""
    if isinstance(job, str) and not job.strip().isdigit():
        row = job_by_number(job)
        if row is not None:
            check_version(row, expected_version)
            return row
    row = get(FieldJob, job, translate("Field", "Field job"))
    check_version(row, expected_version)
    return row


def _touch(job: FieldJob) -> None:
    job.version += 1
    job.save()


def _move(job: FieldJob, action: str, **changes: Any) -> FieldState:
    """Apply a state-machine action plus field ``changes``; audit before/after."""
    before = {"state": job.state, **{k: getattr(job, k) for k in changes}}
    new_state = target_state(job.state, action)
    job.state = new_state.value
    for key, value in changes.items():
        setattr(job, key, value)
    _touch(job)
    audit("field_job", job.id, before, {"state": job.state, **changes})
    return new_state


def _change(job: FieldJob, **changes: Any) -> None:
    before = {k: getattr(job, k) for k in changes}
    for key, value in changes.items():
        setattr(job, key, value)
    _touch(job)
    audit("field_job", job.id, before, changes)


def _require_state(job: FieldJob, allowed: tuple[FieldState, ...], doing: str) -> None:
    if FieldState(job.state) not in allowed:
        raise TransitionRefused(
            translate("Field", "Cannot {doing}: field job {number} is {state}.").format(
                doing=doing, number=job.number, state=state_label(job.state)
            )
        )


def crew(job: FieldJob | int) -> list[Staff]:
    """Who went out on the job, in the order they were dispatched."""
    return list(
        Staff.select()
        .join(FieldJobStaff, on=FieldJobStaff.staff == Staff.id)
        .where(FieldJobStaff.job == job)
        .order_by(FieldJobStaff.id)
    )


def _require_crew(job: FieldJob, actor: Staff) -> None:
    """The dispatch record is kept by the people sent out, nobody else."""
    if (
        not FieldJobStaff.select()
        .where((FieldJobStaff.job == job) & (FieldJobStaff.staff == actor))
        .exists()
    ):
        raise PermissionDenied(
            translate(
                "Field", "{name} was not dispatched on field job {number}; the crew records it."
            ).format(name=actor.name, number=job.number)
        )


def crew_job(job: FieldJob | int, actor: Staff) -> FieldJob:
    """The job, when ``actor`` is on its crew."""
    row = _job(job)
    _require_crew(row, actor)
    return row


def _when(value: Any, label: str, field: str) -> dt.datetime:
    if not is_datetime(value):
        raise ValidationError(
            translate("Field", "{field} must be a date and time.").format(field=label), field
        )
    if value < clock.now():
        raise ValidationError(
            translate("Field", "{field} is in the past: {when}.").format(
                field=label, when=value.strftime("%Y-%m-%d %H:%M")
            ),
            field,
        )
    return value


# --------------------------------------------------------------------------- registration


@service(Role.CRM_CLERK, Role.ADVISOR, Role.SUPERVISOR, Role.MANAGER)
def register_field_job(
    actor: Staff,
    customer: Customer | int | None,
    place: str,
    description: str,
    required_arrival_at: dt.datetime,
    kind: str = "breakdown",
    call: CallLog | int | None = None,
    vehicle: Vehicle | int | None = None,
    within_warranty: bool = False,
) -> FieldJob:
    """A call that needs work outside the workshop goes to the supervisor for dispatch (派遣),
    due within 24 hours; the customer's required arrival time is kept from the start."""
    call_row = get(CallLog, call, translate("Field", "Call")) if call is not None else None
    if customer is None and call_row is not None and call_row.customer_id is not None:
        customer = call_row.customer_id
    if customer is None:
        raise ValidationError(translate("Field", "Choose the customer."), "customer")
    cust = get(Customer, customer, translate("Field", "Customer"))
    veh = get(Vehicle, vehicle, translate("Field", "Vehicle")) if vehicle is not None else None
    kind = require_choice(kind, KINDS, translate("Field", "Kind of job"), "kind")
    now = clock.now()
    job = FieldJob.create(
        number=next_number(FieldJob, "FW", now),
        kind=kind,
        state=FieldState.REGISTERED.value,
        call=call_row,
        customer=cust,
        vehicle=veh,
        place=require_text(place, translate("Field", "Place"), 200, "place"),
        description=require_text(
            description, translate("Field", "What the customer needs"), 4000, "description"
        ),
        within_warranty=bool(within_warranty),
        registered_at=now,
        registered_by=actor,
        dispatch_due_at=now + dt.timedelta(hours=DISPATCH_HOURS),
        required_arrival_at=_when(
            required_arrival_at,
            translate("Field", "Customer's required arrival time"),
            "required_arrival_at",
        ),
    )
    audit("field_job", job.id, None, snapshot(job))
    return job


# --------------------------------------------------------------------------- dispatch


def _crew_members(value: Any) -> list[Staff]:
    items = require_list(value, translate("Field", "Crew"), "crew")
    members: list[Staff] = []
    for item in items:
        person = get(
            Staff, item.id if isinstance(item, Staff) else item, translate("Field", "Staff member")
        )
        if not person.active or not (person.role_set() & CREW_ROLES):
            raise ValidationError(
                translate("Field", "{name} is not an active technician.").format(name=person.name),
                "crew",
            )
        if any(m.id == person.id for m in members):
            raise ValidationError(
                translate("Field", "{name} is listed twice.").format(name=person.name), "crew"
            )
        members.append(person)
    if not members:
        raise ValidationError(translate("Field", "Choose at least one person to send."), "crew")
    return members


@service(Role.SUPERVISOR)
def dispatch_field_job(
    actor: Staff,
    job: FieldJob | int,
    crew_members: list[Staff | int],
    service_vehicle: str,
    tools: str = "",
    promised_arrival_at: dt.datetime | None = None,
    expected_version: int | None = None,
) -> FieldJob:
    """The supervisor's dispatch (派遣): who goes, with which vehicle and tools, and the
    arrival time promised to the customer (parts are taken out at the parts counter)."""
    row = _job(job, expected_version)
    target_state(row.state, "dispatch")
    members = _crew_members(crew_members)
    vehicle_text = require_text(
        service_vehicle, translate("Field", "Service vehicle"), 80, "service_vehicle"
    )
    tools_text = optional_text(tools, translate("Field", "Tools"), 2000, "tools")
    promised = (
        _when(
            promised_arrival_at, translate("Field", "Promised arrival time"), "promised_arrival_at"
        )
        if promised_arrival_at is not None
        else row.required_arrival_at
    )
    for person in members:
        link = FieldJobStaff.create(job=row, staff=person)
        audit("field_job_staff", link.id, None, snapshot(link))
    _move(
        row,
        "dispatch",
        dispatched_at=clock.now(),
        dispatched_by=actor,
        service_vehicle=vehicle_text,
        tools=tools_text,
        promised_arrival_at=promised,
    )
    return row


@service(Role.SUPERVISOR)
def cancel_field_job(actor: Staff, job: FieldJob | int, reason: str) -> FieldJob:
    """The call was settled without going out (the customer fixed it, came in themselves)."""
    row = _job(job)
    target_state(row.state, "cancel")
    if (
        FieldPart.select()
        .where((FieldPart.job == row) & (FieldPart.quantity_out > FieldPart.quantity_returned))
        .exists()
    ):
        raise DomainError(
            translate("Field", "Return the parts taken out for {number} to stock first.").format(
                number=row.number
            )
        )
    text = require_text(reason, translate("Field", "Reason"), 2000, "reason")
    _move(row, "cancel", cancel_reason=text)
    return row


# --------------------------------------------------------------------------- parts


def _part_items(items: Any) -> list[tuple[Part, Decimal]]:
    if not isinstance(items, Mapping) or not items:
        raise ValidationError(translate("Field", "Choose at least one part."), "items")
    plan: list[tuple[Part, Decimal]] = []
    for key, qty_value in dict(items).items():
        part = find_part(key)
        if any(p.id == part.id for p, _ in plan):
            raise ValidationError(
                translate("Field", "{part} is listed twice.").format(part=part.name), "items"
            )
        qty = require_decimal(
            qty_value, translate("Field", "Quantity"), Decimal("0.01"), MAX_QTY, "items"
        )
        plan.append((part, qty))
    return plan


@service(Role.PARTS_CLERK)
def issue_field_parts(
    actor: Staff, job: FieldJob | int, items: Mapping[Any, Any]
) -> list[FieldPart]:
    """Parts taken out for the job (issued like any parts issue: off the shelf, never stock
    reserved for an order)."""
    row = _job(job)
    _require_state(row, PARTS_OUT_STATES, translate("Field", "take parts out"))
    rows: list[FieldPart] = []
    for part, qty in _part_items(items):
        part = Part.get_by_id(part.id)
        free = part.stock_qty - part.reserved_qty
        if qty > free:
            raise ValidationError(
                translate("Field", "Not enough {part} in stock: {qty} wanted, {free} free.").format(
                    part=part.name, qty=qty, free=max(ZERO, free)
                ),
                "items",
            )
        before = {"stock_qty": part.stock_qty}
        part.stock_qty -= qty
        part.save()
        audit("part", part.id, before, {"stock_qty": part.stock_qty, "field_job": row.number})
        out = FieldPart.get_or_none((FieldPart.job == row) & (FieldPart.part == part))
        if out is None:
            out = FieldPart.create(
                job=row, part=part, quantity_out=qty, issued_at=clock.now(), issued_by=actor
            )
            audit("field_part", out.id, None, snapshot(out))
        else:
            old = snapshot(out)
            out.quantity_out += qty
            out.save()
            audit("field_part", out.id, old, snapshot(out))
        rows.append(out)
    return rows


@service(Role.PARTS_CLERK)
def return_field_parts(
    actor: Staff, job: FieldJob | int, items: Mapping[Any, Any]
) -> list[FieldPart]:
    """Parts taken out and not used come back to stock (退料)."""
    row = _job(job)
    _require_state(row, PARTS_BACK_STATES, translate("Field", "return parts to stock"))
    rows: list[FieldPart] = []
    for part, qty in _part_items(items):
        out = FieldPart.get_or_none((FieldPart.job == row) & (FieldPart.part == part))
        if out is None or qty > out.quantity_used:
            raise ValidationError(
                translate(
                    "Field", "{qty} of {part} cannot come back: {out} were taken out for {number}."
                ).format(
                    qty=qty,
                    part=part.name,
                    out=out.quantity_used if out else ZERO,
                    number=row.number,
                ),
                "items",
            )
        old = snapshot(out)
        out.quantity_returned += qty
        out.save()
        audit("field_part", out.id, old, snapshot(out))
        part = Part.get_by_id(part.id)
        before = {"stock_qty": part.stock_qty}
        part.stock_qty += qty
        part.save()
        audit("part", part.id, before, {"stock_qty": part.stock_qty, "field_job": row.number})
        rows.append(out)
    return rows


def parts_out(job: FieldJob | int) -> list[FieldPart]:
    return list(FieldPart.select().where(FieldPart.job == job).order_by(FieldPart.id))


# --------------------------------------------------------------------------- quote and agreement


def quote_total(job: FieldJob) -> Decimal | None:
    if job.quoted_at is None:
        return None
    return money(
        (job.quote_parts or ZERO) + (job.quote_labour or ZERO) + (job.quote_travel or ZERO)
    )


@service(Role.SUPERVISOR, Role.ADVISOR)
def record_quote(
    actor: Staff, job: FieldJob | int, parts: Any, labour: Any, travel: Any
) -> FieldJob:
    """Outside warranty the work is quoted first (parts, labour, travel); a new quote needs
    the customer's agreement again."""
    row = _job(job)
    if row.within_warranty:
        raise DomainError(
            translate("Field", "Field job {number} is within warranty: the work is free.").format(
                number=row.number
            )
        )
    _require_state(row, BEFORE_WORK, translate("Field", "quote the work"))
    amounts = {
        "quote_parts": require_decimal(parts, translate("Field", "Parts"), field="parts"),
        "quote_labour": require_decimal(labour, translate("Field", "Labour"), field="labour"),
        "quote_travel": require_decimal(travel, translate("Field", "Travel"), field="travel"),
    }
    _change(
        row,
        **amounts,
        quoted_at=clock.now(),
        agreed_at=None,
        agreed_by_customer="",
        agreement_method="",
        agreement_signature=None,
    )
    return row


@service(Role.TECHNICIAN, Role.TEAM_LEADER, Role.SUPERVISOR, Role.ADVISOR)
def record_agreement(
    actor: Staff,
    job: FieldJob | int,
    method: str,
    customer_name: str,
    signature_png: bytes | None = None,
) -> FieldJob:
    """The customer agrees to the quote (the same rule as additional work, 增项: in person,
    by phone, or signed on the pad)."""
    row = _job(job)
    if row.within_warranty:
        raise DomainError(
            translate("Field", "Field job {number} is within warranty: the work is free.").format(
                number=row.number
            )
        )
    _require_state(row, BEFORE_WORK, translate("Field", "record the customer's agreement"))
    if row.quoted_at is None:
        raise DomainError(
            translate(
                "Field", "Quote the work first (parts, labour, travel); then the customer agrees."
            )
        )
    method = require_choice(
        method, AUTH_METHODS, translate("Field", "How the customer agreed"), "method"
    )
    who = require_text(customer_name, translate("Field", "Who agreed"), 60, "customer_name")
    signature = None
    if method == "signature":
        report = reception.analyse_signature(signature_png)
        if not report.ok:
            raise ValidationError(report.message, "signature")
        signature = Signature.create(
            image=bytes(signature_png or b""),
            signer=who,
            document="field_quote",
            order_id=None,
            signed_at=clock.now(),
            recorded_by=actor,
        )
    _change(
        row,
        agreed_at=clock.now(),
        agreed_by_customer=who,
        agreement_method=method,
        agreement_signature=signature,
    )
    return row


# --------------------------------------------------------------------------- on the road


@service(*_CREW)
def depart(actor: Staff, job: FieldJob | int) -> FieldJob:
    """The crew sets off."""
    row = crew_job(job, actor)
    _move(row, "depart", departed_at=clock.now())
    return row


def is_late(job: FieldJob, at: dt.datetime) -> bool:
    """On site by the time the customer set (the rulebook), else late."""
    return at > job.required_arrival_at


@service(*_CREW)
def arrive(
    actor: Staff, job: FieldJob | int, late_reason: str = "", personal: bool = False
) -> FieldJob:
    """Arrival on site. Late (after the customer's time) needs the reason; late for a
    personal reason is a penalty case for everyone on the crew."""
    row = crew_job(job, actor)
    target_state(row.state, "arrive")
    now = clock.now()
    late = is_late(row, now)
    reason = optional_text(
        late_reason, translate("Field", "Reason for the late arrival"), 2000, "late_reason"
    )
    if late and not reason:
        raise ValidationError(
            translate(
                "Field",
                "The crew arrived after the customer's time ({due}); record the reason for the late arrival.",
            ).format(due=row.required_arrival_at.strftime("%Y-%m-%d %H:%M")),
            "late_reason",
        )
    personal = bool(personal) and late
    _move(
        row,
        "arrive",
        arrived_at=now,
        arrived_late=late,
        late_reason=reason if late else "",
        late_personal=personal,
    )
    if personal:
        for person in crew(row):
            add_penalty(actor, person, "late_arrival", reason, job=row)
    return row


@service(*_CREW)
def start_work(actor: Staff, job: FieldJob | int) -> FieldJob:
    """Work starts on site; outside warranty only after the customer agreed to the quote."""
    row = crew_job(job, actor)
    target_state(row.state, "start_work")
    if not row.within_warranty and row.agreed_at is None:
        raise DomainError(
            translate(
                "Field",
                "Field job {number} is outside warranty: the customer must agree to the quote "
                "(parts, labour, travel) before work starts.",
            ).format(number=row.number)
        )
    _move(row, "start_work", work_started_at=clock.now())
    return row


@service(*_CREW)
def finish_work(actor: Staff, job: FieldJob | int, work_done: str) -> FieldJob:
    """The work done on site."""
    row = crew_job(job, actor)
    target_state(row.state, "finish_work")
    text = require_text(work_done, translate("Field", "Work done"), 4000, "work_done")
    _move(row, "finish_work", work_done=text, work_done_at=clock.now())
    return row


@service(*_CREW)
def cannot_fix_on_site(actor: Staff, job: FieldJob | int, finding: str) -> FieldJob:
    """The car cannot be fixed on site: it is towed in (reception then opens its repair order)."""
    row = crew_job(job, actor)
    target_state(row.state, "cannot_fix")
    if row.vehicle_id is None:
        raise ValidationError(
            translate("Field", "Record which vehicle is towed in first."), "vehicle"
        )
    text = require_text(finding, translate("Field", "What was found"), 4000, "finding")
    _move(row, "cannot_fix", work_done=text, work_done_at=clock.now(), towed=True)
    return row


@service(*_CREW)
def call_centre(actor: Staff, job: FieldJob | int) -> FieldJob:
    """The call to the service centre before leaving the site (服务结束来电总部)."""
    row = crew_job(job, actor)
    _require_state(
        row, (FieldState.WORK_DONE,), translate("Field", "record the call to the service centre")
    )
    if row.called_centre_at is None:
        _change(row, called_centre_at=clock.now())
    return row


@service(*_CREW)
def leave_site(actor: Staff, job: FieldJob | int) -> FieldJob:
    """Leaving the site, only after calling the service centre."""
    row = crew_job(job, actor)
    target_state(row.state, "leave_site")
    if row.called_centre_at is None:
        raise DomainError(
            translate(
                "Field",
                "Call the service centre before leaving the site (field job {number}); leaving "
                "without the call is a penalty case.",
            ).format(number=row.number)
        )
    _move(row, "leave_site", left_site_at=clock.now())
    return row


@service(Role.SUPERVISOR)
def record_left_without_call(actor: Staff, job: FieldJob | int, note: str) -> FieldJob:
    """The crew left the site without calling the service centre: recorded by the supervisor,
    a penalty case for everyone on the crew."""
    row = _job(job)
    target_state(row.state, "left_without_call")
    if row.called_centre_at is not None:
        raise DomainError(
            translate("Field", "The crew of {number} did call the service centre.").format(
                number=row.number
            )
        )
    text = require_text(note, translate("Field", "What happened"), 2000, "note")
    _move(row, "left_without_call", left_site_at=clock.now(), left_without_call=True)
    for person in crew(row):
        add_penalty(actor, person, "no_call", text, job=row)
    return row


@service(*_CREW)
def return_to_base(actor: Staff, job: FieldJob | int) -> FieldJob:
    """Back at the shop."""
    row = crew_job(job, actor)
    _move(row, "return", returned_at=clock.now())
    return row


# --------------------------------------------------------------------------- towed in


@service(Role.ADVISOR)
def tow_in(actor: Staff, job: FieldJob | int, odometer_km: Any = None) -> reception.CheckInResult:
    """The towed car is received at reception: a new repair order, linked to the field job
    (the archive shows both)."""
    row = _job(job)
    if not row.towed:
        raise DomainError(
            translate("Field", "Field job {number} was not recorded as towed in.").format(
                number=row.number
            )
        )
    if row.order_id is not None:
        raise DomainError(
            translate("Field", "The car of {number} was received already on order {order}.").format(
                number=row.number, order=row.order.number
            )
        )
    result = reception.check_in(
        actor,
        row.vehicle_id,
        customer=row.customer_id,
        odometer_km=odometer_km,
        complaint_text=translate("Field", "Towed in (field job {number}): {finding}").format(
            number=row.number, finding=row.work_done
        )[:4000],
    )
    _change(row, order=result.order)
    return result


# --------------------------------------------------------------------------- report and survey


def _report(job: FieldJob) -> ServiceReport | None:
    return ServiceReport.get_or_none(ServiceReport.job == job)


def report_gaps(job: FieldJob, report: ServiceReport | None) -> list[str]:
    """What the service report still lacks (the rulebook: fault cause, solution, parts
    replaced by name, the customer's opinion)."""
    if report is None:
        return [translate("Field", "the service report")]
    missing = []
    if not report.fault_cause:
        missing.append(translate("Field", "the fault cause"))
    if not report.solution:
        missing.append(translate("Field", "the solution"))
    used = any(p.quantity_out > 0 for p in parts_out(job))
    if used and not report.parts_replaced:
        missing.append(translate("Field", "the parts replaced, by name"))
    if not report.customer_opinion:
        missing.append(translate("Field", "the customer's opinion"))
    return missing


def closing_gaps(job: FieldJob | int) -> list[str]:
    """Everything that keeps the job from being closed: the report's gaps and the survey."""
    row = _job(job)
    report = _report(row)
    missing = report_gaps(row, report)
    if report is None or report.satisfaction is None:
        missing.append(translate("Field", "the customer's satisfaction survey"))
    return missing


@service(*_CREW)
def submit_report(
    actor: Staff,
    job: FieldJob | int,
    fault_cause: str,
    solution: str,
    parts_replaced: str,
    customer_opinion: str,
) -> ServiceReport:
    """The service report (售后服务报告单) handed in after the job. An incomplete one is kept
    (it can be completed) but is a penalty case for the one who handed it in."""
    row = crew_job(job, actor)
    _require_state(row, REPORT_STATES, translate("Field", "hand in the service report"))
    report = _report(row)
    before = snapshot(report) if report is not None else None
    if report is None:
        report = ServiceReport(job=row)
    report.fault_cause = optional_text(
        fault_cause, translate("Field", "Fault cause"), 4000, "fault_cause"
    )
    report.solution = optional_text(solution, translate("Field", "Solution"), 4000, "solution")
    report.parts_replaced = optional_text(
        parts_replaced, translate("Field", "Parts replaced"), 2000, "parts_replaced"
    )
    report.customer_opinion = optional_text(
        customer_opinion, translate("Field", "Customer's opinion"), 2000, "customer_opinion"
    )
    report.written_by = actor
    report.written_at = clock.now()
    missing = report_gaps(row, report)
    report.complete = not missing
    report.save()
    audit("service_report", report.id, before, snapshot(report))
    if missing:
        add_penalty(
            actor,
            actor,
            "incomplete_report",
            translate("Field", "Missing: {missing}.").format(missing=join_list(missing)),
            job=row,
        )
    return report


@service(*_CREW)
def record_survey(
    actor: Staff,
    job: FieldJob | int,
    satisfaction: Any,
    signer: str,
    signature_png: bytes | None = None,
    on_paper: bool = False,
    comments: str = "",
) -> ServiceReport:
    """The customer's satisfaction survey (满意度调查表), signed on the tablet, or on paper
    (scanned later) with ``on_paper``."""
    row = crew_job(job, actor)
    _require_state(row, REPORT_STATES, translate("Field", "record the satisfaction survey"))
    report = _report(row)
    if report is None:
        raise DomainError(translate("Field", "Hand in the service report first."))
    score = require_int(satisfaction, translate("Field", "Satisfaction"), 1, 5, "satisfaction")
    who = require_text(signer, translate("Field", "Signed by"), 80, "signer")
    text = optional_text(comments, translate("Field", "Customer's comments"), 2000, "comments")
    signature = None
    if signature_png or not on_paper:
        ink = reception.analyse_signature(signature_png)
        if not ink.ok:
            raise ValidationError(ink.message, "signature")
        signature = Signature.create(
            image=bytes(signature_png or b""),
            signer=who,
            document="field_survey",
            order_id=None,
            signed_at=clock.now(),
            recorded_by=actor,
        )
    before = snapshot(report)
    report.satisfaction = score
    report.survey_comments = text
    report.survey_signer = who
    report.survey_signature = signature
    report.survey_on_paper = signature is None
    report.survey_at = clock.now()
    report.save()
    audit("service_report", report.id, before, snapshot(report))
    return report


@service(Role.SUPERVISOR)
def close_field_job(actor: Staff, job: FieldJob | int) -> FieldJob:
    """The supervisor files the job (存档) once the crew is back and the report is complete."""
    row = _job(job)
    target_state(row.state, "close")
    missing = closing_gaps(row)
    if missing:
        raise ValidationError(
            translate(
                "Field", "Field job {number} cannot be closed; still missing: {missing}."
            ).format(number=row.number, missing=join_list(missing, clauses=True))
        )
    _move(row, "close", closed_at=clock.now(), closed_by=actor)
    return row


# --------------------------------------------------------------------------- lists


def waiting_for_dispatch() -> list[FieldJob]:
    """Jobs the supervisor still has to dispatch, the most pressing first."""
    return list(
        FieldJob.select()
        .where(FieldJob.state == FieldState.REGISTERED.value)
        .order_by(FieldJob.dispatch_due_at, FieldJob.id)
    )


def out_now() -> list[FieldJob]:
    """Jobs with people out, by the customer's required arrival time."""
    return list(
        FieldJob.select()
        .where(FieldJob.state.in_([s.value for s in OUT_STATES]))
        .order_by(FieldJob.required_arrival_at, FieldJob.id)
    )


def jobs_of(person: Staff | int) -> list[FieldJob]:
    """A technician's open field jobs (their tablet view)."""
    return list(
        FieldJob.select()
        .join(FieldJobStaff, on=FieldJobStaff.job == FieldJob.id)
        .where(
            (
                FieldJobStaff.staff
                == (row_id(person) if not isinstance(person, Staff) else person.id)
            )
            & FieldJob.state.not_in([FieldState.CLOSED.value, FieldState.CANCELLED.value])
        )
        .order_by(FieldJob.required_arrival_at, FieldJob.id)
    )


def arrival_overdue(job: FieldJob, now: dt.datetime | None = None) -> bool:
    """Not on site yet and the customer's time has passed (the supervisor's timeline)."""
    return job.arrived_at is None and (now or clock.now()) > job.required_arrival_at


def dispatched_late(job: FieldJob) -> bool:
    """Not dispatched within 24 hours of the call (or still waiting past that)."""
    moment = job.dispatched_at or clock.now()
    return moment > job.dispatch_due_at


# --------------------------------------------------------------------------- read models


@dataclass
class JobView:
    """One field job as the supervisor's desk lists it (read only): the job, its customer
    and car, the crew's names, and for jobs back at base what still keeps it open."""

    job: FieldJob
    customer: str
    phone: str
    vehicle: str
    crew: list[str]
    order_number: str = ""
    gaps: list[str] = dataclass_field(default_factory=list)

    @property
    def id(self) -> int:
        return self.job.id

    @property
    def number(self) -> str:
        return self.job.number


def views(jobs: Iterable[FieldJob], with_gaps: bool = False) -> list[JobView]:
    """The jobs with their customer, car and crew read in a few queries (not per row);
    ``with_gaps``: also what keeps each from being closed (:func:`closing_gaps`)."""
    rows = list(jobs)
    if not rows:
        return []
    ids = [j.id for j in rows]
    names: dict[int, list[str]] = {i: [] for i in ids}
    for job_id, name in (
        FieldJobStaff.select(FieldJobStaff.job, Staff.name)
        .join(Staff, on=FieldJobStaff.staff == Staff.id)
        .where(FieldJobStaff.job.in_(ids))
        .order_by(FieldJobStaff.id)
        .tuples()
    ):
        names[job_id].append(name)
    customers = {
        c.id: c for c in Customer.select().where(Customer.id.in_({j.customer_id for j in rows}))
    }
    vehicle_ids = {j.vehicle_id for j in rows if j.vehicle_id is not None}
    vehicles = (
        {v.id: v for v in Vehicle.select().where(Vehicle.id.in_(vehicle_ids))}
        if vehicle_ids
        else {}
    )
    order_ids = {j.order_id for j in rows if j.order_id is not None}
    orders = (
        dict(
            RepairOrder.select(RepairOrder.id, RepairOrder.number)
            .where(RepairOrder.id.in_(order_ids))
            .tuples()
        )
        if order_ids
        else {}
    )
    out = []
    for job in rows:
        customer = customers.get(job.customer_id)
        vehicle = vehicles.get(job.vehicle_id) if job.vehicle_id is not None else None
        out.append(
            JobView(
                job=job,
                customer=customer.name if customer else "",
                phone=(customer.phone or "") if customer else "",
                vehicle=vehicle_label(vehicle) if vehicle is not None else "",
                crew=names[job.id],
                order_number=orders.get(job.order_id, ""),
                gaps=closing_gaps(job) if with_gaps else [],
            )
        )
    return out


#: States of a job the supervisor looks at to close: back at base, or finished on site
#: without the call to the service centre (the crew cannot record leaving without it).
TO_CLOSE_STATES = (FieldState.RETURNED, FieldState.WORK_DONE)


def to_close() -> list[FieldJob]:
    """Jobs back at base waiting to be closed, jobs finished on site with no call to the
    service centre recorded, and towed cars not yet received at reception."""
    query = FieldJob.select().where(
        (FieldJob.state == FieldState.RETURNED.value)
        | ((FieldJob.state == FieldState.WORK_DONE.value) & FieldJob.called_centre_at.is_null(True))
        | (
            (FieldJob.towed == True)  # noqa: E712
            & FieldJob.order.is_null(True)
            & (FieldJob.state != FieldState.CANCELLED.value)
        )
    )
    return list(query.order_by(FieldJob.required_arrival_at, FieldJob.id))


def crew_candidates() -> list[tuple[Staff, str]]:
    """Who can be sent out (active technicians and team leaders), each with the number of
    a field job they are out on now ('' when free), for the dispatch dialog."""
    people = list(
        Staff.select()
        .join(StaffRole, on=StaffRole.staff == Staff.id)
        .where((Staff.active == True) & StaffRole.role.in_(sorted(CREW_ROLES)))  # noqa: E712
        .distinct()
        .order_by(Staff.name)
    )
    busy: dict[int, str] = {}
    for staff_id, number in (
        FieldJobStaff.select(FieldJobStaff.staff, FieldJob.number)
        .join(FieldJob, on=FieldJobStaff.job == FieldJob.id)
        .where(FieldJob.state.in_([s.value for s in OUT_STATES]))
        .order_by(FieldJob.id)
        .tuples()
    ):
        busy.setdefault(staff_id, number)
    return [(p, busy.get(p.id, "")) for p in people]


#: Calls this recent are offered when a field job is registered from the call log.
RECENT_CALLS = dt.timedelta(hours=48)


def recent_calls() -> list[CallLog]:
    """Calls of the last two days that no field job came from yet, newest first: the call a
    job is registered from (the call log keeps who rang and when)."""
    since = clock.now() - RECENT_CALLS
    taken = FieldJob.select(FieldJob.call).where(FieldJob.call.is_null(False))
    return list(
        CallLog.select()
        .where((CallLog.received_at >= since) & CallLog.id.not_in(taken))
        .order_by(CallLog.received_at.desc(), CallLog.id.desc())
        .limit(50)
    )


def service_vehicles_used(limit: int = 20) -> list[str]:
    """The service vehicles named on earlier dispatches, most recent first (offered again)."""
    seen: list[str] = []
    for (name,) in (
        FieldJob.select(FieldJob.service_vehicle)
        .where(FieldJob.service_vehicle != "")
        .order_by(FieldJob.dispatched_at.desc())
        .limit(200)
        .tuples()
    ):
        if name not in seen:
            seen.append(name)
        if len(seen) >= limit:
            break
    return seen


# --------------------------------------------------------------------------- the crew's tablet (reads)
# (the technician's view of their field jobs, ui/field/tablet.py; read-only)

#: The crew's steps on a job in the order they come (``crew_next_step`` names the next one).
CREW_STEPS = (
    "depart",
    "arrive",
    "agree",
    "start_work",
    "finish_work",
    "call_centre",
    "leave_site",
    "return",
)


def service_report_of(job: FieldJob | int) -> ServiceReport | None:
    """The job's service report with its survey, or None before one was handed in."""
    return _report(job)


def draft_report_gaps(
    job: FieldJob,
    fault_cause: str,
    solution: str,
    parts_replaced: str,
    customer_opinion: str,
) -> list[str]:
    """What a report with these texts would still lack, shown while it is written (handing
    in an incomplete one is a penalty case)."""
    draft = ServiceReport(
        job=job,
        fault_cause=(fault_cause or "").strip(),
        solution=(solution or "").strip(),
        parts_replaced=(parts_replaced or "").strip(),
        customer_opinion=(customer_opinion or "").strip(),
    )
    return report_gaps(job, draft)


def crew_next_step(job: FieldJob) -> str:
    """The one thing the crew does next (one of :data:`CREW_STEPS`): outside warranty the
    customer agrees to the quote ("agree") before work starts, and the service centre is
    called before leaving the site; '' once the crew is back (or the job is over)."""
    state = FieldState(job.state)
    if state is FieldState.DISPATCHED:
        return "depart"
    if state is FieldState.EN_ROUTE:
        return "arrive"
    if state is FieldState.ON_SITE:
        return "agree" if not job.within_warranty and job.agreed_at is None else "start_work"
    if state is FieldState.WORKING:
        return "finish_work"
    if state is FieldState.WORK_DONE:
        return "call_centre" if job.called_centre_at is None else "leave_site"
    if state is FieldState.RETURNING:
        return "return"
    return ""


def jobs_at_parts_counter() -> list[FieldJob]:
    """Jobs the parts counter serves: dispatched and not yet closed or called off (parts go
    out until the work starts; unused ones come back after), by required arrival."""
    states = [
        s.value for s in PARTS_BACK_STATES if s not in (FieldState.CLOSED, FieldState.CANCELLED)
    ]
    return list(
        FieldJob.select()
        .where(FieldJob.state.in_(states))
        .order_by(FieldJob.required_arrival_at, FieldJob.id)
    )
