"""Read models of the workshop station: whose jobs these are, and the rows its tables show.

Plain reads (no changes): the station page and the advisor's panel turn them into tables.
Every change goes through :mod:`shop_desk.services.workshop` and :mod:`shop_desk.services.parts`.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import operator
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

import peewee
from peewee import fn

from shop_desk import clock
from shop_desk.i18n import counted, join_list, translate
from shop_desk.models import (
    AdditionalWorkRequest,
    ClockEvent,
    DamageMark,
    Inspection,
    JobLine,
    Part,
    PartsIssueLine,
    PartsIssueSlip,
    PartsReturnLine,
    PartsReturnSlip,
    QcCheck,
    RepairOrder,
    Staff,
    Team,
    TeamMember,
    Vehicle,
)
from shop_desk.roles import Role
from shop_desk.services import workshop
from shop_desk.services.orders import line_total
from shop_desk.services.parts import PARTS_STATES
from shop_desk.services.workshop import qc_stage_label as stage_label  # noqa: F401
from shop_desk.services.workshop import self_check_label  # noqa: F401 - the station reads its labels here
from shop_desk.states import OPEN_STATES, WORKSHOP_STATES, State, state_label
from shop_desk.validation import display_plate

#: States in which a technician or team leader has something to do with a dispatched job.
TECH_STATES = (
    State.IN_PROGRESS,
    State.WAITING_PARTS,
    State.WAITING_AUTHORISATION,
    State.REWORK,
    State.FINAL_QC,
)
WORKING = (State.IN_PROGRESS, State.REWORK)
ZERO = Decimal("0.00")

#: The technician's self-check (自检) items: code (stored) and label.
SELF_CHECK_ITEMS = (
    "work_done",
    "torque",
    "no_leaks",
    "warning_lights",
    "test_drive",
    "tools_removed",
    "protective_set",
)


def damage_marks_text(n: int) -> str:
    """How many damage marks the check-in sheet has, in words."""
    return counted(
        n, translate("Station", "1 damage mark"), translate("Station", "{n} damage marks")
    )


def pause_reason_label(code: str) -> str:
    return {
        "parts": translate("Station", "Waiting for parts"),
        "authorisation": translate("Station", "Waiting for authorisation"),
        "break": translate("Station", "Break"),
        "other": translate("Station", "Other"),
    }.get(code, code)


def work_state_label(code: str) -> str:
    return {
        "pending": translate("Station", "Not started"),
        "in_progress": translate("Station", "Running"),
        "paused": translate("Station", "Paused"),
        "done": translate("Station", "Finished"),
    }.get(code, code)


def auth_state_label(code: str) -> str:
    return {
        "proposed": translate("Station", "Awaiting authorisation"),
        "authorised": translate("Station", "Authorised"),
        "declined": translate("Station", "Declined"),
    }.get(code, code)


def clock_kind_label(code: str) -> str:
    return {
        "start": translate("Station", "Start"),
        "pause": translate("Station", "Pause"),
        "resume": translate("Station", "Resume"),
        "finish": translate("Station", "Finish"),
    }.get(code, code)


def damage_kind_label(code: str) -> str:
    return {
        "scratch": translate("Station", "Scratch"),
        "dent": translate("Station", "Dent"),
        "crack": translate("Station", "Crack"),
        "chip": translate("Station", "Chip"),
        "other": translate("Station", "Other"),
    }.get(code, code)


def view_label(code: str) -> str:
    return {
        "top": translate("Station", "Top"),
        "front": translate("Station", "Front"),
        "rear": translate("Station", "Rear"),
        "left": translate("Station", "Left side"),
        "right": translate("Station", "Right side"),
    }.get(code, code)


def auth_method_label(code: str) -> str:
    return {
        "in_person": translate("Station", "In person"),
        "phone": translate("Station", "By phone"),
        "signature": translate("Station", "Signature"),
        "insurer": translate("Station", "Insurer (supplementary assessment)"),
    }.get(code, code)


def hms(seconds: float) -> str:
    """0:12:05 — the running time on a clocked line."""
    total = max(0, int(seconds))
    return f"{total // 3600}:{total % 3600 // 60:02d}:{total % 60:02d}"


def when(value: dt.datetime | None) -> str:
    return value.strftime("%m-%d %H:%M") if value else ""


def _name(staff: Staff | None) -> str:
    return staff.name if staff is not None else ""


# ---------------------------------------------------------------------------------------
# my jobs


@dataclass
class JobRow:
    """One order in the station's job list, with what this person should do next."""

    order_id: int
    number: str
    plate: str
    vehicle: str
    state: str
    priority: int
    promised_at: dt.datetime | None
    team: str
    technician: str
    todo: str
    customer_waiting: bool
    version: int

    @property
    def state_text(self) -> str:
        return state_label(self.state)

    @property
    def priority_text(self) -> str:
        return {
            1: translate("Station", "Urgent"),
            2: translate("Station", "Normal"),
            3: translate("Station", "Low"),
        }.get(self.priority, str(self.priority))

    @property
    def overdue(self) -> bool:
        return self.promised_at is not None and self.promised_at < clock.now()


def my_team_ids(staff: Staff) -> list[int]:
    return [m.team_id for m in TeamMember.select().where(TeamMember.staff == staff)]


@dataclass(frozen=True)
class JobFacts:
    """What an order's next workshop step depends on besides the order itself."""

    open_labour: int = 0  # authorised labour lines not finished yet
    self_check_passed: bool = False  # the newest team check of this round: a passed self-check
    wash_started: bool = False
    parts_requested: int = 0  # catalogue part lines with a request not yet issued
    open_parts: int = 0  # authorised catalogue part lines not fully issued (not done)
    unsigned_slips: int = 0  # parts issue slips the technician has not signed (hold the self-check)
    #: only a supplementary assessment (追加定损) waits, for the insurer, not the customer
    waits_for_insurer: bool = False


def job_facts(orders: Iterable[RepairOrder]) -> dict[int, JobFacts]:
    """:class:`JobFacts` per order id: six queries however many orders (a job list)."""
    by_id = {o.id: o for o in orders}
    if not by_id:
        return {}
    ids = list(by_id)
    open_labour = dict(
        JobLine.select(JobLine.order, fn.COUNT(JobLine.id))
        .where(
            JobLine.order.in_(ids)
            & (JobLine.kind == "labour")
            & (JobLine.auth_state == "authorised")
            & (JobLine.work_state != "done")
        )
        .group_by(JobLine.order)
        .tuples()
    )
    newest_check: dict[int, tuple[str, bool]] = {}
    for order_id, stage, passed, round_ in (
        QcCheck.select(QcCheck.order, QcCheck.stage, QcCheck.passed, QcCheck.round)
        .where(QcCheck.order.in_(ids) & QcCheck.stage.in_(("self", "leader")))
        .order_by(QcCheck.id)
        .tuples()
    ):
        if round_ == by_id[order_id].rework_count + 1:
            newest_check[order_id] = (stage, bool(passed))
    washing = workshop.done_this_round_of(ids, "wash_start")
    requested: dict[int, int] = {}
    open_parts: dict[int, int] = {}
    for order_id, asked, issued, work_state in (
        JobLine.select(
            JobLine.order, JobLine.parts_requested, JobLine.parts_issued, JobLine.work_state
        )
        .where(
            JobLine.order.in_(ids)
            & (JobLine.kind == "part")
            & (JobLine.auth_state == "authorised")
            & JobLine.part.is_null(False)
        )
        .tuples()
    ):
        if asked > issued:  # Decimals already (tuples() converts)
            requested[order_id] = requested.get(order_id, 0) + 1
        if work_state != "done":  # as workshop.work_not_done counts a part line
            open_parts[order_id] = open_parts.get(order_id, 0) + 1
    unsigned = dict(
        PartsIssueSlip.select(PartsIssueSlip.order, fn.COUNT(PartsIssueSlip.id))
        .where(PartsIssueSlip.order.in_(ids) & PartsIssueSlip.signed_at.is_null())
        .group_by(PartsIssueSlip.order)
        .tuples()
    )
    deciders: dict[int, set[str]] = {}
    for order_id, decided_by in (
        AdditionalWorkRequest.select(AdditionalWorkRequest.order, AdditionalWorkRequest.decided_by)
        .where(AdditionalWorkRequest.order.in_(ids) & (AdditionalWorkRequest.state == "pending"))
        .tuples()
    ):
        deciders.setdefault(order_id, set()).add(decided_by)
    return {
        i: JobFacts(
            waits_for_insurer=deciders.get(i) == {"insurer"},
            unsigned_slips=unsigned.get(i, 0),
            open_labour=open_labour.get(i, 0),
            self_check_passed=newest_check.get(i) == ("self", True),
            wash_started=i in washing,
            parts_requested=requested.get(i, 0),
            open_parts=open_parts.get(i, 0),
        )
        for i in ids
    }


def due_step(order: RepairOrder, facts: JobFacts | None = None) -> str | None:
    """The order's next workshop step as an action key of the station (None: work goes on).
    ``facts``: read already for a list (else read here)."""
    facts = facts or job_facts([order])[order.id]
    state = State(order.state)
    if state in WORKING:
        if order.accepted_at is None:
            return "accept"
        if facts.open_labour or facts.open_parts:
            return None  # the checks wait for the work (workshop.work_not_done)
        if facts.self_check_passed:
            return "leader_check"
        return "sign_slip" if facts.unsigned_slips else "self_check"
    if state == State.FINAL_QC:
        return "final_qc"
    if state in (State.WASHING, State.READY) and (facts.open_labour or facts.open_parts):
        return "send_back"  # finished with work not done (older records): back to the workshop
    if state == State.WASHING:
        return "finish_wash" if facts.wash_started else "start_wash"
    if state == State.READY and not order.parking_spot:
        return "parking"  # passed without a wash: someone still says where the car stands
    return None


def next_step(order: RepairOrder, roles: set[str], facts: JobFacts | None = None) -> str:
    """What this person should do next on the order (the job list's "To do" column)."""
    facts = facts or job_facts([order])[order.id]
    state = State(order.state)
    if Role.PARTS_CLERK.value in roles and state in PARTS_STATES and facts.parts_requested:
        return translate("Station", "Issue parts: {n} requested").format(n=facts.parts_requested)
    if state == State.WAITING_PARTS:
        return translate("Station", "Waiting for parts")
    if state == State.WAITING_AUTHORISATION and facts.waits_for_insurer:
        return translate("Station", "Waiting for the insurer's approval (supplementary assessment)")
    if state == State.WAITING_AUTHORISATION:
        return translate("Station", "Waiting for the customer's authorisation")
    due = due_step(order, facts)
    if state in WORKING:
        if due == "accept":
            return translate("Station", "Accept the car")
        if due is None and not facts.open_labour:
            return translate("Station", "Parts not drawn yet: {n} — request them").format(
                n=facts.open_parts
            )
        if due is None:
            return translate("Station", "Work: {n} open").format(n=facts.open_labour)
        if due == "leader_check":
            return translate("Station", "Team-leader check")
        if due == "sign_slip":
            return translate("Station", "Sign the parts issue slip")
        if state == State.REWORK:
            return translate("Station", "Rework, then self-check")
        return translate("Station", "Self-check")
    if state == State.FINAL_QC:
        if Role.INSPECTOR.value in roles:
            return translate("Station", "Final inspection")
        return translate("Station", "Waiting for the final inspection")
    if due == "send_back":
        if roles & {Role.SUPERVISOR.value, Role.MANAGER.value}:
            return translate("Station", "Work not done: send the car back to the workshop")
        due = None if state == State.READY else ("finish_wash" if facts.wash_started else "")
    if state == State.WASHING:
        if due == "finish_wash":
            return translate("Station", "Washing: finish and park")
        return translate("Station", "Start the wash")
    if state == State.READY:
        if order.parking_spot:
            return translate("Station", "Ready for delivery, parked at {spot}").format(
                spot=order.parking_spot
            )
        return translate("Station", "Ready for delivery: record the parking spot")
    if state == State.AWAITING_DISPATCH:
        return translate("Station", "Awaiting dispatch")
    return state_label(state)


def _whose_jobs(staff: Staff) -> peewee.Expression | None:
    """Which orders are this person's jobs, by role (None: none)."""
    roles = staff.role_set()
    mine: list[peewee.Expression] = []
    if roles & {Role.SUPERVISOR.value, Role.MANAGER.value}:
        states = [s.value for s in WORKSHOP_STATES if s != State.AWAITING_DISPATCH]
        mine.append(RepairOrder.state.in_(states))
    if roles & {Role.TECHNICIAN.value, Role.TEAM_LEADER.value}:
        teams = my_team_ids(staff)
        assigned = RepairOrder.technician == staff
        if teams:
            assigned = assigned | RepairOrder.team.in_(teams)
        mine.append(assigned & RepairOrder.state.in_([s.value for s in TECH_STATES]))
    if Role.INSPECTOR.value in roles:
        mine.append(RepairOrder.state == State.FINAL_QC.value)
    if Role.WASHER.value in roles:
        mine.append(RepairOrder.state == State.WASHING.value)
    if Role.PARTS_CLERK.value in roles:
        in_parts_states = RepairOrder.state.in_([s.value for s in PARTS_STATES])
        # lines of open orders only: the table holds every line ever written
        with_parts = JobLine.select(JobLine.order).where(
            JobLine.order.in_(RepairOrder.select(RepairOrder.id).where(in_parts_states))
            & (JobLine.kind == "part")
            & (JobLine.auth_state == "authorised")
            & JobLine.part.is_null(False)
            & (JobLine.parts_issued < JobLine.quantity)
        )
        mine.append(in_parts_states & RepairOrder.id.in_(with_parts))
    return functools.reduce(operator.or_, mine) if mine else None


def jobs_for(staff: Staff) -> list[JobRow]:
    """The station's job list for ``staff``: by role (see the module doc), urgent first.
    Six queries however many jobs."""
    whose = _whose_jobs(staff)
    if whose is None:
        return []
    roles = staff.role_set()
    technician = Staff.alias()
    orders = list(
        RepairOrder.select(RepairOrder, Vehicle, Team, technician)
        .join(Vehicle)
        .switch(RepairOrder)
        .join(Team, peewee.JOIN.LEFT_OUTER)
        .switch(RepairOrder)
        .join(technician, peewee.JOIN.LEFT_OUTER, on=(RepairOrder.technician == technician.id))
        .where(whose)
    )
    facts = job_facts(orders)
    rows = []
    for order in orders:
        vehicle = order.vehicle
        rows.append(
            JobRow(
                order_id=order.id,
                number=order.number,
                plate=display_plate(vehicle.plate),
                vehicle=" ".join(x for x in (vehicle.make, vehicle.model) if x),
                state=order.state,
                priority=order.priority,
                promised_at=order.promised_at,
                team=order.team.name if order.team_id else "",
                technician=_name(order.technician) if order.technician_id else "",
                todo=next_step(order, roles, facts[order.id]),
                customer_waiting=order.customer_waiting,
                version=order.version,
            )
        )
    far = dt.datetime.max
    rows.sort(key=lambda r: (r.priority, r.promised_at or far, r.number))
    return rows


# ---------------------------------------------------------------------------------------
# one order


@dataclass
class LabourRow:
    line_id: int
    description: str
    hours: Decimal | None
    technician: str
    origin: str
    auth_state: str
    work_state: str
    done_seconds: float  # clocked before the running stretch
    running_since: dt.datetime | None
    edited: bool

    def seconds(self, now: dt.datetime | None = None) -> float:
        if self.running_since is None:
            return self.done_seconds
        now = now or clock.now()
        return self.done_seconds + max(0.0, (now - self.running_since).total_seconds())

    @property
    def status_text(self) -> str:
        if self.auth_state != "authorised":
            return auth_state_label(self.auth_state)
        return work_state_label(self.work_state)


def _clock_span(events: list[ClockEvent]) -> tuple[float, dt.datetime | None]:
    seconds = 0.0
    since: dt.datetime | None = None
    for ev in sorted(events, key=lambda e: e.id):
        if ev.kind in ("start", "resume"):
            if since is None:
                since = ev.at
        elif ev.kind in ("pause", "finish") and since is not None:
            seconds += max(0.0, (ev.at - since).total_seconds())
            since = None
    return seconds, since


def labour_rows(order_id: int) -> list[LabourRow]:
    lines = list(
        JobLine.select()
        .where((JobLine.order == order_id) & (JobLine.kind == "labour"))
        .order_by(JobLine.sort, JobLine.id)
    )
    events: dict[int, list[ClockEvent]] = {}
    for ev in ClockEvent.select().where(ClockEvent.line.in_([ln.id for ln in lines])):
        events.setdefault(ev.line_id, []).append(ev)
    rows = []
    for line in lines:
        evs = events.get(line.id, [])
        done, since = _clock_span(evs)
        rows.append(
            LabourRow(
                line_id=line.id,
                description=line.description,
                hours=line.hours,
                technician=_name(line.technician) if line.technician_id else "",
                origin=line.origin,
                auth_state=line.auth_state,
                work_state=line.work_state,
                done_seconds=done,
                running_since=since if line.work_state == "in_progress" else None,
                edited=any(e.original_at is not None for e in evs),
            )
        )
    return rows


@dataclass
class ClockRow:
    event_id: int
    kind: str
    at: dt.datetime
    technician: str
    reason: str
    original_at: dt.datetime | None
    edited_by: str
    edit_reason: str

    @property
    def note(self) -> str:
        parts = []
        if self.reason:
            parts.append(pause_reason_label(self.reason))
        if self.original_at is not None:
            parts.append(
                translate("Station", "Edited by {name} (was {time}): {reason}").format(
                    name=self.edited_by,
                    time=self.original_at.strftime("%H:%M"),
                    reason=self.edit_reason,
                )
            )
        return " · ".join(parts)


def clock_rows(line_id: int) -> list[ClockRow]:
    return [
        ClockRow(
            ev.id,
            ev.kind,
            ev.at,
            _name(ev.technician),
            ev.reason,
            ev.original_at,
            _name(ev.edited_by) if ev.edited_by_id else "",
            ev.edit_reason,
        )
        for ev in ClockEvent.select().where(ClockEvent.line == line_id).order_by(ClockEvent.id)
    ]


@dataclass
class PartRow:
    line_id: int
    part_id: int | None
    part_no: str
    description: str
    unit: str
    planned: Decimal
    requested: Decimal
    reserved: Decimal
    issued: Decimal
    available: Decimal | None
    bin_location: str
    auth_state: str

    @property
    def to_issue(self) -> Decimal:
        """Requested and not issued yet (what the parts clerk hands out first)."""
        return max(ZERO, self.requested - self.issued)

    @property
    def not_issued(self) -> Decimal:
        return max(ZERO, self.planned - self.issued)

    @property
    def status_text(self) -> str:
        if self.auth_state != "authorised":
            return auth_state_label(self.auth_state)
        if self.part_id is None:
            return translate("Station", "Not a catalogue part")
        if self.issued >= self.planned and self.planned > 0:
            return translate("Station", "Issued")
        if self.requested > self.issued:
            if self.reserved >= self.requested - self.issued:
                return translate("Station", "Requested, reserved")
            return translate("Station", "Requested, short")
        return translate("Station", "Not requested")


def part_rows(order_id: int) -> list[PartRow]:
    rows = []
    for line in (
        JobLine.select()
        .where((JobLine.order == order_id) & (JobLine.kind == "part"))
        .order_by(JobLine.sort, JobLine.id)
    ):
        part = line.part if line.part_id else None
        rows.append(
            PartRow(
                line_id=line.id,
                part_id=line.part_id,
                part_no=part.part_no if part else "",
                description=line.description,
                unit=part.unit if part else "",
                planned=line.quantity or ZERO,
                requested=line.parts_requested,
                reserved=line.parts_reserved,
                issued=line.parts_issued,
                available=part.available_qty if part else None,
                bin_location=part.bin_location if part else "",
                auth_state=line.auth_state,
            )
        )
    return rows


@dataclass
class SlipRow:
    slip_id: int
    number: str
    issued_at: dt.datetime
    issued_by: str
    technician_id: int | None
    technician: str
    items: str
    signed_at: dt.datetime | None


def slip_rows(order_id: int) -> list[SlipRow]:
    rows = []
    for slip in (
        PartsIssueSlip.select()
        .where(PartsIssueSlip.order == order_id)
        .order_by(PartsIssueSlip.id.desc())
    ):
        items = join_list(
            f"{ln.part.name} × {ln.quantity.normalize():f}"
            for ln in slip.lines.order_by(PartsIssueLine.id)
        )
        rows.append(
            SlipRow(
                slip.id,
                slip.number,
                slip.issued_at,
                _name(slip.issued_by) if slip.issued_by_id else "",
                slip.technician_id,
                _name(slip.technician) if slip.technician_id else "",
                items,
                slip.signed_at,
            )
        )
    return rows


def return_slip_rows(order_id: int) -> list[SlipRow]:
    """The order's return slips (退料单), newest first, as slip rows: ``issued_at`` is when the
    parts came back, ``issued_by`` the parts clerk who took them. Two reads however many."""
    slips = list(
        PartsReturnSlip.select()
        .where(PartsReturnSlip.order == order_id)
        .order_by(PartsReturnSlip.id.desc())
    )
    items: dict[int, list[str]] = {}
    for slip_id, name, quantity in (
        PartsReturnLine.select(PartsReturnLine.slip, Part.name, PartsReturnLine.quantity)
        .join(Part)
        .where(PartsReturnLine.slip.in_([s.id for s in slips]))
        .order_by(PartsReturnLine.id)
        .tuples()
    ):
        items.setdefault(slip_id, []).append(f"{name} × {quantity.normalize():f}")
    names = dict(
        Staff.select(Staff.id, Staff.name)
        .where(
            Staff.id.in_(list({s.received_by_id for s in slips} | {s.technician_id for s in slips}))
        )
        .tuples()
    )
    return [
        SlipRow(
            slip.id,
            slip.number,
            slip.returned_at,
            names.get(slip.received_by_id, ""),
            slip.technician_id,
            names.get(slip.technician_id, ""),
            join_list(items.get(slip.id, [])),
            slip.signed_at,
        )
        for slip in slips
    ]


@dataclass
class MarkRow:
    number: int
    view: str
    kind: str
    note: str
    x: float
    y: float
    found_in_workshop: bool


@dataclass
class CheckInSheet:
    """What the check-in sheet recorded: the damage marks and the car's condition."""

    marks: list[MarkRow] = field(default_factory=list)
    fuel_level: int | None = None
    odometer_km: int | None = None
    spare_wheel: bool | None = None
    tool_kit: bool | None = None
    valuables: str = ""
    notes: str = ""


def check_in_sheet(order_id: int) -> CheckInSheet:
    inspection = Inspection.get_or_none(Inspection.order == order_id)
    if inspection is None:
        return CheckInSheet()
    marks = [
        MarkRow(n + 1, m.view, m.kind, m.note, m.x, m.y, m.found_in_workshop)
        for n, m in enumerate(
            DamageMark.select().where(DamageMark.inspection == inspection).order_by(DamageMark.id)
        )
    ]
    return CheckInSheet(
        marks,
        inspection.fuel_level,
        inspection.odometer_km,
        inspection.spare_wheel,
        inspection.tool_kit,
        inspection.valuables,
        inspection.notes,
    )


@dataclass
class RequestLineRow:
    line_id: int
    kind: str
    description: str
    amount_basis: str  # "1.20 h" / "× 1"
    amount: Decimal
    auth_state: str
    pay_type: str


@dataclass
class RequestRow:
    """An additional-work request (增项) with its lines and, once decided, who decided how."""

    request_id: int
    order_id: int
    order_number: str
    plate: str
    vehicle: str
    customer: str
    phone: str
    reason: str
    proposed_by: str
    proposed_at: dt.datetime
    state: str
    auth_method: str
    auth_at: dt.datetime | None
    auth_by_customer: str
    recorded_by: str
    lines: list[RequestLineRow]
    #: who decides: the customer (增项) or the insurer (a supplementary assessment 追加定损)
    decided_by: str = "customer"

    @property
    def total(self) -> Decimal:
        return sum((ln.amount for ln in self.lines), ZERO)

    @property
    def decider_text(self) -> str:
        if self.decided_by == "insurer":
            return translate("Station", "Insurer (supplementary assessment)")
        return translate("Station", "Customer (additional work)")

    @property
    def state_text(self) -> str:
        if self.state == "pending" and self.decided_by == "insurer":
            return translate("Station", "Waiting for the insurer")
        if self.state == "pending":
            return translate("Station", "Awaiting authorisation")
        authorised = sum(1 for ln in self.lines if ln.auth_state == "authorised")
        return translate("Station", "Decided: {yes} authorised, {no} declined").format(
            yes=authorised, no=len(self.lines) - authorised
        )


def _request_row(req: AdditionalWorkRequest) -> RequestRow:
    order = req.order
    customer = order.customer
    lines = []
    for ln in req.lines.order_by(JobLine.sort, JobLine.id):
        if ln.kind == "labour":
            basis = translate("Station", "{hours} h").format(hours=ln.hours)
        else:
            basis = f"× {(ln.quantity or ZERO).normalize():f}"
        lines.append(
            RequestLineRow(
                ln.id, ln.kind, ln.description, basis, line_total(ln), ln.auth_state, ln.pay_type
            )
        )
    return RequestRow(
        request_id=req.id,
        order_id=order.id,
        order_number=order.number,
        plate=display_plate(order.vehicle.plate),
        vehicle=" ".join(x for x in (order.vehicle.make, order.vehicle.model) if x),
        customer=customer.name,
        phone=order.authorisation_phone or customer.phone,
        reason=req.reason,
        proposed_by=_name(req.proposed_by) if req.proposed_by_id else "",
        proposed_at=req.proposed_at,
        state=req.state,
        auth_method=req.auth_method,
        auth_at=req.auth_at,
        auth_by_customer=req.auth_by_customer,
        recorded_by=_name(req.recorded_by) if req.recorded_by_id else "",
        lines=lines,
        decided_by=req.decided_by,
    )


def order_requests(order_id: int) -> list[RequestRow]:
    """Every additional-work request of one order, newest first."""
    return [
        _request_row(r)
        for r in AdditionalWorkRequest.select()
        .where(AdditionalWorkRequest.order == order_id)
        .order_by(AdditionalWorkRequest.id.desc())
    ]


def authorisation_requests(
    staff: Staff, order_id: int | None = None, decided_days: int = 7
) -> tuple[list[RequestRow], list[RequestRow]]:
    """(pending, recently decided) requests for the advisor's panel.

    An advisor sees the orders they look after; others (a manager) see every open order;
    with ``order_id`` only that order's requests."""
    q = AdditionalWorkRequest.select(AdditionalWorkRequest).join(RepairOrder)
    if order_id is not None:
        q = q.where(AdditionalWorkRequest.order == order_id)
    else:
        q = q.where(RepairOrder.state.in_([s.value for s in OPEN_STATES]))
        if Role.ADVISOR.value in staff.role_set():
            q = q.where(RepairOrder.advisor == staff)
    pending, decided = [], []
    since = clock.now() - dt.timedelta(days=decided_days)
    for req in q.order_by(AdditionalWorkRequest.proposed_at, AdditionalWorkRequest.id):
        if req.state == "pending":
            pending.append(_request_row(req))
        elif order_id is not None or (req.auth_at is not None and req.auth_at >= since):
            decided.append(_request_row(req))
    decided.sort(key=lambda r: r.auth_at or r.proposed_at, reverse=True)
    return pending, decided


@dataclass
class QcRow:
    round: int
    stage: str
    passed: bool
    by: str
    at: dt.datetime
    text: str
    checklist: dict[str, bool]


def qc_rows(order_id: int) -> list[QcRow]:
    rows = []
    for c in QcCheck.select().where(QcCheck.order == order_id).order_by(QcCheck.id):
        try:
            items = json.loads(c.checklist or "{}")
        except ValueError:
            items = {}
        text = " · ".join(
            x
            for x in (
                c.reason,
                translate("Station", "Advice: {text}").format(text=c.advice) if c.advice else "",
            )
            if x
        )
        rows.append(QcRow(c.round, c.stage, c.passed, _name(c.by), c.at, text, items))
    return rows
