"""The workshop (PROCESS.md §4–§6): dispatch, acceptance, clocking, delays, additional work,
the three quality checks and the car wash.

Every data change is a ``@service`` with the roles of PROCESS.md's role table; the reads
(``clocked_hours``, ``advisor_alerts``, ``qc_history``) are plain functions. State changes of
the repair order go through :func:`shop_desk.services.orders.move`; the guards here are the
business rules the state machine alone cannot see (signed task order, authorised lines,
issued parts, a passed check before the next one).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from shop_desk import clock, diagram
from shop_desk.errors import NotFound, PermissionDenied, TransitionRefused, ValidationError
from shop_desk.i18n import join_list, translate
from shop_desk.models import (
    AdditionalWorkRequest,
    ClockEvent,
    DamageMark,
    DelayReport,
    Inspection,
    JobLine,
    LabourOperation,
    OrderEvent,
    Part,
    PartsIssueSlip,
    QcCheck,
    Recommendation,
    RepairOrder,
    Signature,
    Staff,
    Team,
    TeamMember,
    TeamSkill,
    Vehicle,
)
from shop_desk.models.orders import PAY_TYPES
from shop_desk.money import money, quantity
from shop_desk.roles import Role
from shop_desk.services import board, certifications, pricing
from shop_desk.services.base import (
    audit,
    get,
    is_datetime,
    jsonable,
    optional_text,
    require_choice,
    require_decimal,
    require_int,
    require_text,
    row_id,
    service,
    shown,
    snapshot,
)
from shop_desk.services.orders import ensure_editable, load_order, move, settings, touch
from shop_desk.skills import skills_text
from shop_desk.states import OPEN_STATES, WORKSHOP_STATES, State, state_label
from shop_desk.validation import display_plate

#: States in which technicians may clock on (start, resume, finish) labour lines.
WORKING_STATES = (State.IN_PROGRESS, State.REWORK)
#: States in which a running line may still be paused (the order may have just stopped).
PAUSABLE_STATES = (
    State.IN_PROGRESS,
    State.REWORK,
    State.WAITING_PARTS,
    State.WAITING_AUTHORISATION,
)
PAUSE_REASONS = ("parts", "authorisation", "break", "other")
AUTH_METHODS = ("in_person", "phone", "signature")
DAMAGE_VIEWS = ("top", "front", "rear", "left", "right")
DAMAGE_KINDS = ("scratch", "dent", "crack", "chip", "other")
#: OrderEvent kinds the service advisor is told about (advisor_alerts).
ADVISOR_EVENT_KINDS = ("new_damage", "wash_start", "wash_end")


# ---------------------------------------------------------------------------------------
# small helpers


def _event(
    order: RepairOrder, actor: Staff, kind: str, data: Mapping[str, Any] | None = None
) -> OrderEvent:
    """A dated step on the order (the advisor's and supervisor's notices read these)."""
    ev = OrderEvent.create(
        order=order,
        kind=kind,
        at=clock.now(),
        by=actor,
        data=json.dumps(jsonable(dict(data or {})), ensure_ascii=False),
    )
    audit("order_event", ev.id, None, snapshot(ev))
    return ev


def _change(order: RepairOrder, actor: Staff, **changes: Any) -> None:
    """Set fields of the order without a state move: version bump plus before/after audit."""
    before = {k: getattr(order, k) for k in changes}
    for key, value in changes.items():
        setattr(order, key, value)
    touch(order, actor)
    audit("repair_order", order.id, before, changes)


def _line(line: JobLine | int) -> JobLine:
    return get(JobLine, line, translate("Workshop", "Job line"))


def _staff(value: Staff | int, what: str) -> Staff:
    return get(Staff, value, what)


def _is_member(team: Team | int | None, staff: Staff) -> bool:
    if team is None:
        return False
    return (
        TeamMember.select().where((TeamMember.team == team) & (TeamMember.staff == staff)).exists()
    )


def _require_state(order: RepairOrder, allowed: Iterable[State], doing: str) -> None:
    allowed = tuple(allowed)
    if State(order.state) not in allowed:
        raise TransitionRefused(
            translate(
                "Workshop",
                "Cannot {doing}: order {number} is {state}; this is possible only when it is {allowed}.",
            ).format(
                doing=doing,
                number=order.number,
                state=state_label(order.state),
                allowed=" / ".join(state_label(s) for s in allowed),
            )
        )


def _pending_authorisation(order: RepairOrder) -> bool:
    """Additional work proposed to the customer and not decided yet."""
    return (
        AdditionalWorkRequest.select()
        .where((AdditionalWorkRequest.order == order) & (AdditionalWorkRequest.state == "pending"))
        .exists()
        or JobLine.select()
        .where((JobLine.order == order) & (JobLine.auth_state == "proposed"))
        .exists()
    )


def _current_round(order: RepairOrder) -> int:
    return order.rework_count + 1


def _latest_team_check(order: RepairOrder) -> QcCheck | None:
    """The newest self- or team-leader check of the current round."""
    return (
        QcCheck.select()
        .where(
            (QcCheck.order == order)
            & (QcCheck.round == _current_round(order))
            & (QcCheck.stage.in_(("self", "leader")))
        )
        .order_by(QcCheck.id.desc())
        .first()
    )


def _labour_lines(order: RepairOrder) -> list[JobLine]:
    return list(
        JobLine.select()
        .where((JobLine.order == order) & (JobLine.kind == "labour"))
        .order_by(JobLine.sort, JobLine.id)
    )


def _signature_image(png: Any, what: str) -> bytes:
    if not isinstance(png, bytes | bytearray) or not png:
        raise ValidationError(
            translate(
                "Workshop", "{what}: the signature image is missing; please sign again."
            ).format(what=what),
            "signature",
        )
    return bytes(png)


def pause_running_lines(order: RepairOrder, reason: str, actor: Staff) -> list[JobLine]:
    """Pause every running labour line of ``order`` (call inside a service).

    Used when the whole order stops (waiting for parts or for the customer's authorisation)
    so the clocked hours do not run on while nobody can work on the car.
    """
    paused = []
    for line in JobLine.select().where(
        (JobLine.order == order)
        & (JobLine.kind == "labour")
        & (JobLine.work_state == "in_progress")
    ):
        ev = ClockEvent.create(
            line=line,
            technician=line.technician or actor,
            kind="pause",
            reason=reason,
            at=clock.now(),
        )
        line.work_state = "paused"
        line.save()
        audit("clock_event", ev.id, None, snapshot(ev))
        paused.append(line)
    return paused


# ---------------------------------------------------------------------------------------
# dispatch


@dataclass
class DispatchResult:
    """The dispatched order and what the supervisor should know (skills, capacity)."""

    order: RepairOrder
    warnings: list[str] = field(default_factory=list)


def _check_team_and_technician(
    team: Team | int, technician: Staff | int | None
) -> tuple[Team, Staff | None]:
    team_row = get(Team, team, translate("Workshop", "Team"))
    if not team_row.active:
        raise ValidationError(
            translate("Workshop", "Team {team} is not active.").format(team=team_row.name), "team"
        )
    tech_row = None
    if technician is not None:
        tech_row = _staff(technician, translate("Workshop", "Technician"))
        if not tech_row.active:
            raise ValidationError(
                translate("Workshop", "{name} is not an active staff member.").format(
                    name=tech_row.name
                ),
                "technician",
            )
        if not _is_member(team_row, tech_row):
            raise ValidationError(
                translate("Workshop", "{name} is not a member of team {team}.").format(
                    name=tech_row.name, team=team_row.name
                ),
                "technician",
            )
        if not (tech_row.role_set() & {Role.TECHNICIAN.value, Role.TEAM_LEADER.value}):
            raise ValidationError(
                translate("Workshop", "{name} is not a technician.").format(name=tech_row.name),
                "technician",
            )
    return team_row, tech_row


def needed_skills(order: RepairOrder | int) -> set[str]:
    """The skills the job's lines need (from their labour operations; declined lines aside)."""
    return {
        op.skill
        for op in LabourOperation.select(LabourOperation.skill)
        .join(JobLine, on=(JobLine.labour_op == LabourOperation.id))
        .where((JobLine.order == order) & (JobLine.auth_state != "declined"))
    }


def uncertified_skills(order: RepairOrder | int, technician: Staff | int | None) -> list[str]:
    """The job's skills the technician has no valid certification for today (rulebook 篇一);
    empty when no technician is named. The dispatch dialog asks for a reason when not empty."""
    if technician is None:
        return []
    return certifications.missing_certifications(technician, needed_skills(order), clock.today())


def _certification_check(
    order: RepairOrder, technician: Staff | None, override_reason: Any
) -> tuple[list[str], str]:
    """Refuse a technician without a valid certification for the job's skills unless the
    supervisor gives the reason to go on; returns the missing skills and that reason."""
    reason = optional_text(
        override_reason, translate("Workshop", "Reason to go on"), 500, "override_reason"
    )
    missing = uncertified_skills(order, technician)
    if missing and not reason:
        raise ValidationError(
            translate(
                "Workshop",
                "{name} has no valid certification for the skill this job needs: {skills}. "
                "To dispatch the job to them anyway, the supervisor must give the reason.",
            ).format(
                name=technician.name,
                skills=skills_text(missing),
            ),
            "override_reason",
        )
    return missing, reason if missing else ""


def _certification_warning(technician: Staff | None, missing: list[str], reason: str) -> list[str]:
    if not missing or technician is None:
        return []
    return [
        translate(
            "Workshop",
            "{name} has no valid certification for: {skills}. Dispatched on the supervisor's "
            "reason: {reason}",
        ).format(
            name=technician.name,
            skills=skills_text(missing),
            reason=reason,
        )
    ]


def _override_data(missing: list[str], reason: str) -> dict[str, Any]:
    """What the order's event keeps of a dispatch past a missing certification."""
    if not missing:
        return {}
    return {"uncertified_skills": missing, "override_reason": reason}


def _dispatch_warnings(order: RepairOrder, team: Team) -> list[str]:
    """Skills the job needs that the team lacks; the team's load today over its capacity."""
    warnings = []
    needed = needed_skills(order)
    have = {s.skill for s in TeamSkill.select(TeamSkill.skill).where(TeamSkill.team == team)}
    missing = sorted(needed - have)
    if missing:
        warnings.append(
            translate("Workshop", "Team {team} lacks the skill this job needs: {skills}.").format(
                team=team.name, skills=join_list(missing)
            )
        )
    load = board.load_of(team, clock.today())
    if load is not None and load.over_capacity:
        warnings.append(
            translate(
                "Workshop",
                "Team {team} is over capacity today: {assigned} of {capacity} hours assigned.",
            ).format(team=team.name, assigned=load.assigned_hours, capacity=load.capacity_hours)
        )
    return warnings


def _require_signed_and_handed_over(order: RepairOrder) -> None:
    if order.signed_at is None and not order.signed_on_paper:
        raise TransitionRefused(
            translate(
                "Workshop",
                "Order {number} cannot be dispatched: the customer has not signed the task order.",
            ).format(number=order.number)
        )
    if order.handed_over_at is None:
        raise TransitionRefused(
            translate(
                "Workshop",
                "Order {number} cannot be dispatched: the advisor has not handed the car over to "
                "the workshop.",
            ).format(number=order.number)
        )


@service(Role.SUPERVISOR)
def dispatch(
    actor: Staff,
    order: RepairOrder | int,
    team: Team | int,
    technician: Staff | int | None = None,
    priority: int = 2,
    expected_version: int | None = None,
    override_reason: str = "",
) -> DispatchResult:
    """Assign a handed-over job to a team (and technician) with a priority (派工).

    A technician without a valid certification for a skill of the job is refused unless
    ``override_reason`` says why the supervisor goes on; the reason is kept on the event."""
    order = load_order(order, expected_version)
    _require_signed_and_handed_over(order)
    priority = require_int(priority, translate("Workshop", "Priority"), 1, 3, "priority")
    team_row, tech_row = _check_team_and_technician(team, technician)
    missing, override = _certification_check(order, tech_row, override_reason)
    move(
        order,
        "dispatch",
        actor,
        team=team_row,
        technician=tech_row,
        priority=priority,
        dispatched_at=clock.now(),
    )
    _event(
        order,
        actor,
        "dispatch",
        {
            "team": team_row.id,
            "technician": tech_row.id if tech_row else None,
            "priority": priority,
            **_override_data(missing, override),
        },
    )
    return DispatchResult(
        order,
        _certification_warning(tech_row, missing, override) + _dispatch_warnings(order, team_row),
    )


@service(Role.SUPERVISOR)
def redispatch(
    actor: Staff,
    order: RepairOrder | int,
    team: Team | int,
    technician: Staff | int | None = None,
    priority: int | None = None,
    reason: str = "",
    expected_version: int | None = None,
    override_reason: str = "",
) -> DispatchResult:
    """Reassign a job already in the workshop; a new team accepts the car again. The
    certification check is the one of :func:`dispatch`."""
    order = load_order(order, expected_version)
    _require_signed_and_handed_over(order)
    priority = (
        order.priority
        if priority is None
        else require_int(priority, translate("Workshop", "Priority"), 1, 3, "priority")
    )
    reason = optional_text(reason, translate("Workshop", "Reason"), 500, "reason")
    team_row, tech_row = _check_team_and_technician(team, technician)
    missing, override = _certification_check(order, tech_row, override_reason)
    changes: dict[str, Any] = {
        "team": team_row,
        "technician": tech_row,
        "priority": priority,
        "dispatched_at": clock.now(),
    }
    if order.team_id != team_row.id:
        changes.update(accepted_at=None, accepted_by=None)
    move(order, "redispatch", actor, **changes)
    _event(
        order,
        actor,
        "redispatch",
        {
            "team": team_row.id,
            "technician": tech_row.id if tech_row else None,
            "priority": priority,
            "reason": reason,
            **_override_data(missing, override),
        },
    )
    return DispatchResult(
        order,
        _certification_warning(tech_row, missing, override) + _dispatch_warnings(order, team_row),
    )


# ---------------------------------------------------------------------------------------
# acceptance of the car (验收)


def _damage_marks(items: Any) -> list[dict[str, Any]]:
    if items is None:
        return []
    if not isinstance(items, list | tuple):
        raise ValidationError(
            translate("Workshop", "New damage must be a list of marks."), "new_damage"
        )
    marks = []
    for item in items:
        if not isinstance(item, Mapping):
            raise ValidationError(
                translate("Workshop", "New damage must be a list of marks."), "new_damage"
            )
        view = require_choice(
            item.get("view", "top"), DAMAGE_VIEWS, translate("Workshop", "View"), "new_damage"
        )
        kind = require_choice(
            item.get("kind"), DAMAGE_KINDS, translate("Workshop", "Kind of damage"), "new_damage"
        )
        coords = []
        for key in ("x", "y"):
            try:
                value = float(item.get(key))
            except (TypeError, ValueError):
                value = -1.0
            if not 0.0 <= value <= 1.0:
                raise ValidationError(
                    translate("Workshop", "A damage mark must lie on the car diagram."),
                    "new_damage",
                )
            coords.append(value)
        if not diagram.on_car(view, coords[0], coords[1]):
            raise ValidationError(
                translate(
                    "Workshop",
                    "A damage mark lies beside the car: place it on the car in the drawing.",
                ),
                "new_damage",
            )
        note = optional_text(item.get("note", ""), translate("Workshop", "Note"), 200, "new_damage")
        marks.append({"view": view, "x": coords[0], "y": coords[1], "kind": kind, "note": note})
    return marks


@service(Role.TEAM_LEADER, Role.TECHNICIAN)
def accept_car(
    actor: Staff,
    order: RepairOrder | int,
    new_damage: list[dict[str, Any]] | None = None,
    notes: str = "",
    expected_version: int | None = None,
) -> RepairOrder:
    """The team accepts the car against the check-in sheet; damage not on it is told to the advisor."""
    order = load_order(order, expected_version)
    _require_state(order, (State.IN_PROGRESS,), translate("Workshop", "accept the car"))
    if order.accepted_at is not None:
        raise TransitionRefused(
            translate("Workshop", "Order {number} was already accepted at {when}.").format(
                number=order.number, when=order.accepted_at.strftime("%Y-%m-%d %H:%M")
            )
        )
    if not _is_member(order.team_id, actor):
        raise PermissionDenied(
            translate(
                "Workshop", "{name} is not a member of the team this job is dispatched to."
            ).format(name=actor.name)
        )
    marks = _damage_marks(new_damage)
    notes = optional_text(notes, translate("Workshop", "Notes"), 2000, "notes")
    if marks:
        inspection = Inspection.get_or_none(Inspection.order == order)
        if inspection is None:
            inspection = Inspection.create(
                order=order,
                recorded_by=actor,
                recorded_at=clock.now(),
                notes=translate("Workshop", "Created at acceptance in the workshop."),
            )
            audit("inspection", inspection.id, None, snapshot(inspection))
        for mark in marks:
            row = DamageMark.create(inspection=inspection, found_in_workshop=True, **mark)
            audit("damage_mark", row.id, None, snapshot(row))
        _event(order, actor, "new_damage", {"marks": marks, "notes": notes})
    _change(order, actor, accepted_at=clock.now(), accepted_by=actor)
    _event(order, actor, "accept", {"notes": notes, "new_damage": len(marks)})
    return order


# ---------------------------------------------------------------------------------------
# clocking per labour line (开工 / 暂停 / 继续 / 完工)


def _clock_line(
    line: JobLine | int, doing: str, states: Iterable[State] = WORKING_STATES
) -> tuple[JobLine, RepairOrder]:
    line = _line(line)
    if line.kind != "labour":
        raise ValidationError(
            translate("Workshop", "Only labour lines are clocked; {line} is a part.").format(
                line=line.description
            )
        )
    order = line.order
    states = tuple(states)
    refusal = (
        None
        if State.WAITING_AUTHORISATION in states
        else (_insurer_wait_refusal(line, order, doing))
    )
    if refusal is not None:
        raise TransitionRefused(refusal)
    _require_state(order, states, doing)
    return line, order


def decider(line: JobLine) -> str:
    """Who decides (or decided) whether ``line`` is done: "insurer" for a supplementary
    assessment (追加定损), else "customer" — so screens and paper name the right party."""
    if line.request_id is None:
        return "customer"
    return line.request.decided_by


def waiting_for(order: RepairOrder | int) -> set[str]:
    """Who the order's pending requests wait for ("customer", "insurer")."""
    return {
        r.decided_by
        for r in AdditionalWorkRequest.select(AdditionalWorkRequest.decided_by).where(
            (AdditionalWorkRequest.order == order) & (AdditionalWorkRequest.state == "pending")
        )
    }


def _insurer_wait_refusal(line: JobLine, order: RepairOrder, doing: str) -> str | None:
    """The refusal of clocking while a supplementary assessment waits for the insurer: the
    state's "Waiting for authorisation" would send the technician to the customer."""
    if State(order.state) != State.WAITING_AUTHORISATION:
        return None
    if line.auth_state == "proposed" and decider(line) == "insurer":
        return translate(
            "Workshop",
            "Cannot {doing}: {line} is in a supplementary assessment waiting for the insurer's "
            "approval (order {number}); the service advisor records the insurer's answer.",
        ).format(doing=doing, line=line.description, number=order.number)
    if waiting_for(order) == {"insurer"}:
        return translate(
            "Workshop",
            "Cannot {doing}: order {number} waits for the insurer's approval of a supplementary "
            "assessment; the service advisor records the insurer's answer.",
        ).format(doing=doing, number=order.number)
    return None


def _require_authorised(line: JobLine) -> None:
    if line.auth_state == "authorised":
        return
    insurer = decider(line) == "insurer"
    if insurer and line.auth_state == "declined":
        msg = translate(
            "Workshop",
            "{line} was declined by the insurer; it cannot be worked on unless the customer "
            "agrees to pay it.",
        )
    elif insurer:
        msg = translate(
            "Workshop",
            "{line} waits for the insurer's approval of the supplementary assessment; it cannot "
            "be worked on.",
        )
    else:
        msg = translate(
            "Workshop",
            "{line} is additional work the customer has not authorised; it cannot be worked on.",
        )
    raise TransitionRefused(msg.format(line=line.description))


def _clock(line: JobLine, actor: Staff, kind: str, reason: str = "") -> ClockEvent:
    ev = ClockEvent.create(line=line, technician=actor, kind=kind, reason=reason, at=clock.now())
    audit("clock_event", ev.id, None, snapshot(ev))
    return ev


def _set_work_state(line: JobLine, state: str, **extra: Any) -> None:
    before = {"work_state": line.work_state, **{k: getattr(line, k) for k in extra}}
    line.work_state = state
    for k, v in extra.items():
        setattr(line, k, v)
    line.save()
    audit("job_line", line.id, before, {"work_state": state, **extra})


def _may_reopen(order: RepairOrder) -> bool:
    """A finished line may be started again in rework or after a failed check.

    The latest check decides, not only the state: a job in rework may have waited for parts
    or authorisation since and be back "in progress".
    """
    if State(order.state) == State.REWORK:
        return True
    latest = QcCheck.select().where(QcCheck.order == order).order_by(QcCheck.id.desc()).first()
    return latest is not None and not latest.passed


@service(Role.TECHNICIAN, Role.TEAM_LEADER)
def clock_start(actor: Staff, line: JobLine | int) -> ClockEvent:
    """Start work on an authorised labour line (开工)."""
    line, order = _clock_line(line, translate("Workshop", "start work"))
    _require_authorised(line)
    if order.accepted_at is None:
        raise TransitionRefused(
            translate(
                "Workshop",
                "Accept the car against the check-in sheet before starting work on order {number}.",
            ).format(number=order.number)
        )
    if line.work_state == "in_progress":
        raise TransitionRefused(
            translate("Workshop", "Work on {line} has already started.").format(
                line=line.description
            )
        )
    if line.work_state == "paused":
        raise TransitionRefused(
            translate(
                "Workshop", "Work on {line} is paused; resume it instead of starting again."
            ).format(line=line.description)
        )
    if line.work_state == "done" and not _may_reopen(order):
        raise TransitionRefused(
            translate("Workshop", "{line} is already finished.").format(line=line.description)
        )
    ev = _clock(line, actor, "start")
    extra = {"technician": actor} if line.technician_id is None else {}
    _set_work_state(line, "in_progress", **extra)
    return ev


@service(Role.TECHNICIAN, Role.TEAM_LEADER)
def clock_pause(actor: Staff, line: JobLine | int, reason: str) -> ClockEvent:
    """Pause running work, saying why (parts, authorisation, break, other)."""
    line, _order = _clock_line(line, translate("Workshop", "pause work"), PAUSABLE_STATES)
    reason = require_choice(
        reason, PAUSE_REASONS, translate("Workshop", "Reason for the pause"), "reason"
    )
    if line.work_state != "in_progress":
        raise TransitionRefused(
            translate("Workshop", "Work on {line} is not running, so it cannot be paused.").format(
                line=line.description
            )
        )
    ev = _clock(line, actor, "pause", reason)
    _set_work_state(line, "paused")
    return ev


@service(Role.TECHNICIAN, Role.TEAM_LEADER)
def clock_resume(actor: Staff, line: JobLine | int) -> ClockEvent:
    """Continue paused work (继续)."""
    line, _order = _clock_line(line, translate("Workshop", "resume work"))
    _require_authorised(line)
    if line.work_state != "paused":
        raise TransitionRefused(
            translate("Workshop", "Work on {line} is not paused.").format(line=line.description)
        )
    ev = _clock(line, actor, "resume")
    _set_work_state(line, "in_progress")
    return ev


def _outstanding_parts(order: RepairOrder) -> list[JobLine]:
    return list(
        JobLine.select()
        .where(
            (JobLine.order == order)
            & (JobLine.kind == "part")
            & (JobLine.auth_state == "authorised")
            & (JobLine.parts_requested > JobLine.parts_issued)
        )
        .order_by(JobLine.sort, JobLine.id)
    )


@service(Role.TECHNICIAN, Role.TEAM_LEADER)
def clock_finish(actor: Staff, line: JobLine | int) -> ClockEvent:
    """Finish a labour line (完工); parts requested for the order must have been issued."""
    line, order = _clock_line(line, translate("Workshop", "finish work"))
    _require_authorised(line)
    if line.work_state not in ("in_progress", "paused"):
        if line.work_state == "done":
            msg = translate("Workshop", "{line} is already finished.")
        else:
            msg = translate("Workshop", "Work on {line} has not started yet.")
        raise TransitionRefused(msg.format(line=line.description))
    missing = _outstanding_parts(order)
    if missing:
        raise TransitionRefused(
            translate(
                "Workshop",
                "{line} cannot be finished: parts requested for this order have not been issued yet ({parts}).",
            ).format(line=line.description, parts=join_list(p.description for p in missing))
        )
    ev = _clock(line, actor, "finish")
    _set_work_state(line, "done")
    return ev


@service(Role.MANAGER)
def edit_clock_event(
    actor: Staff, event: ClockEvent | int, new_at: dt.datetime, reason: str
) -> ClockEvent:
    """Correct a clock time (forgotten clock-off); the original time is kept."""
    ev = get(ClockEvent, event, translate("Workshop", "Clock entry"))
    ensure_editable(ev.line.order)
    reason = require_text(reason, translate("Workshop", "Reason for the correction"), 500, "reason")
    if not is_datetime(new_at):
        raise ValidationError(translate("Workshop", "Give the corrected date and time."), "new_at")
    new_at = new_at.replace(microsecond=0)
    if new_at > clock.now():
        raise ValidationError(
            translate("Workshop", "A clock time cannot lie in the future."), "new_at"
        )
    prev = (
        ClockEvent.select()
        .where((ClockEvent.line == ev.line_id) & (ClockEvent.id < ev.id))
        .order_by(ClockEvent.id.desc())
        .first()
    )
    nxt = (
        ClockEvent.select()
        .where((ClockEvent.line == ev.line_id) & (ClockEvent.id > ev.id))
        .order_by(ClockEvent.id)
        .first()
    )
    if (prev is not None and new_at < prev.at) or (nxt is not None and new_at > nxt.at):
        raise ValidationError(
            translate(
                "Workshop",
                "The corrected time must lie between the entries before and after it on this line.",
            ),
            "new_at",
        )
    before = snapshot(ev)
    if ev.original_at is None:
        ev.original_at = ev.at
    ev.at = new_at
    ev.edited_by = actor
    ev.edited_at = clock.now()
    ev.edit_reason = reason
    ev.save()
    audit("clock_event", ev.id, before, {**snapshot(ev), "reason": reason})
    return ev


def _hours(events: Iterable[ClockEvent], now: dt.datetime) -> Decimal:
    seconds = 0.0
    running_since: dt.datetime | None = None
    for ev in sorted(events, key=lambda e: e.id):
        if ev.kind in ("start", "resume"):
            if running_since is None:
                running_since = ev.at
        elif ev.kind in ("pause", "finish") and running_since is not None:
            seconds += max(0.0, (ev.at - running_since).total_seconds())
            running_since = None
    if running_since is not None:
        seconds += max(0.0, (now - running_since).total_seconds())
    return quantity(Decimal(int(seconds)) / Decimal(3600))


def clocked_hours(target: JobLine | RepairOrder, now: dt.datetime | None = None) -> Decimal:
    """Hours actually worked on a labour line or a whole order (running work counts to now)."""
    now = now or clock.now()
    if isinstance(target, JobLine):
        return _hours(ClockEvent.select().where(ClockEvent.line == target), now)
    if isinstance(target, RepairOrder):
        by_line: dict[int, list[ClockEvent]] = {}
        for ev in ClockEvent.select().join(JobLine).where(JobLine.order == target):
            by_line.setdefault(ev.line_id, []).append(ev)
        return quantity(sum((_hours(evs, now) for evs in by_line.values()), Decimal("0")))
    raise TypeError("clocked_hours needs a JobLine or a RepairOrder")


# ---------------------------------------------------------------------------------------
# delays and the advisor's notices


@service(Role.TECHNICIAN, Role.TEAM_LEADER, Role.SUPERVISOR)
def report_delay(
    actor: Staff, order: RepairOrder | int, new_promised_at: dt.datetime, reason: str
) -> DelayReport:
    """Report that the promised time cannot be kept; the advisor is told to call the customer."""
    order = load_order(order)
    _require_state(
        order,
        [s for s in WORKSHOP_STATES if s != State.READY],
        translate("Workshop", "report a delay"),
    )
    reason = require_text(reason, translate("Workshop", "Reason for the delay"), 1000, "reason")
    if not is_datetime(new_promised_at):
        raise ValidationError(
            translate("Workshop", "Give the new promised completion time."), "new_promised_at"
        )
    new_promised_at = new_promised_at.replace(microsecond=0)
    if new_promised_at <= clock.now():
        raise ValidationError(
            translate("Workshop", "The new promised completion time must lie in the future."),
            "new_promised_at",
        )
    if order.promised_at is not None and new_promised_at <= order.promised_at:
        raise ValidationError(
            translate("Workshop", "A delay moves the promised time later than {when}.").format(
                when=order.promised_at.strftime("%Y-%m-%d %H:%M")
            ),
            "new_promised_at",
        )
    report = DelayReport.create(
        order=order,
        old_promised_at=order.promised_at,
        new_promised_at=new_promised_at,
        reason=reason,
        by=actor,
        at=clock.now(),
    )
    audit("delay_report", report.id, None, snapshot(report))
    _change(order, actor, promised_at=new_promised_at)
    return report


@dataclass(frozen=True)
class Alert:
    """Something the service advisor has to pass on to the customer or look at."""

    kind: str  # delay | new_damage | additional_work | wash_start | wash_end
    ref_id: int
    order_id: int
    order_number: str
    plate: str
    at: dt.datetime
    text: str


def _alert_text(kind: str, data: Mapping[str, Any]) -> str:
    if kind == "new_damage":
        return translate(
            "Workshop", "The workshop found damage not on the check-in sheet ({n} marks)."
        ).format(n=len(data.get("marks", [])))
    if kind == "wash_start":
        return translate("Workshop", "The car wash has started.")
    return translate("Workshop", "The car is washed and parked at {spot}.").format(
        spot=data.get("parking_spot", "")
    )


def advisor_alerts(advisor: Staff | int) -> list[Alert]:
    """The advisor's open notices: unseen delays, new damage, wash steps, work awaiting authorisation."""
    advisor_id = advisor.id if isinstance(advisor, Staff) else int(advisor)
    open_states = [s.value for s in OPEN_STATES]
    mine = (RepairOrder.advisor == advisor_id) & RepairOrder.state.in_(open_states)
    alerts: list[Alert] = []
    delays = (
        DelayReport.select(DelayReport, RepairOrder, Vehicle)
        .join(RepairOrder)
        .join(Vehicle)
        .where(mine & (DelayReport.seen_by_advisor == False))  # noqa: E712
    )
    for d in delays:
        alerts.append(
            Alert(
                "delay",
                d.id,
                d.order.id,
                d.order.number,
                display_plate(d.order.vehicle.plate),
                d.at,
                translate(
                    "Workshop", "Delay: new promised completion {when}. Reason: {reason}"
                ).format(when=d.new_promised_at.strftime("%Y-%m-%d %H:%M"), reason=d.reason),
            )
        )
    events = (
        OrderEvent.select(OrderEvent, RepairOrder, Vehicle)
        .join(RepairOrder)
        .join(Vehicle)
        .where(mine & OrderEvent.kind.in_(ADVISOR_EVENT_KINDS))
    )
    for ev in events:
        data = json.loads(ev.data or "{}")
        if data.get("seen_at"):
            continue
        alerts.append(
            Alert(
                ev.kind,
                ev.id,
                ev.order.id,
                ev.order.number,
                display_plate(ev.order.vehicle.plate),
                ev.at,
                _alert_text(ev.kind, data),
            )
        )
    requests = (
        AdditionalWorkRequest.select(AdditionalWorkRequest, RepairOrder, Vehicle)
        .join(RepairOrder)
        .join(Vehicle)
        .where(mine & (AdditionalWorkRequest.state == "pending"))
    )
    for r in requests:
        waits = (  # a supplementary assessment (追加定损) waits for the insurer, not the customer
            translate(
                "Workshop", "A supplementary assessment waits for the insurer's approval: {reason}"
            )
            if r.decided_by == "insurer"
            else translate(
                "Workshop", "Additional work waits for the customer's authorisation: {reason}"
            )
        )
        alerts.append(
            Alert(
                "additional_work",
                r.id,
                r.order.id,
                r.order.number,
                display_plate(r.order.vehicle.plate),
                r.proposed_at,
                waits.format(reason=r.reason),
            )
        )
    alerts.sort(key=lambda a: (a.at, a.kind, a.ref_id))
    return alerts


#: The customer's answer to a delay's new promised time.
DELAY_ANSWERS = ("agreed", "not_agreed", "not_reached")


def delay_answer_label(code: str) -> str:
    return {
        "agreed": translate("Workshop", "Agreed to the new time"),
        "not_agreed": translate("Workshop", "Did not agree"),
        "not_reached": translate("Workshop", "Not reached: call again"),
    }.get(code, code)


def delay_answers(report: DelayReport) -> list[dict[str, Any]]:
    """The customer's answers recorded for a delay report, oldest first."""
    events = (
        OrderEvent.select()
        .where((OrderEvent.order == report.order_id) & (OrderEvent.kind == "delay_answer"))
        .order_by(OrderEvent.id)
    )
    answers = [{**json.loads(ev.data or "{}"), "at": ev.at, "by": ev.by_id} for ev in events]
    return [a for a in answers if a.get("delay") == report.id]


@service(Role.ADVISOR)
def record_delay_answer(
    actor: Staff, report: DelayReport | int, answer: str, note: str = ""
) -> OrderEvent:
    """The advisor called the customer about a delay: agreed, did not agree (what the
    customer wants then, in the note), or not reached (the notice stays: call again)."""
    row = get(DelayReport, report, translate("Workshop", "Delay report"))
    answer = require_choice(
        answer, DELAY_ANSWERS, translate("Workshop", "The customer's answer"), "answer"
    )
    note = optional_text(note, translate("Workshop", "Notes"), 1000, "note")
    if answer == "not_agreed" and not note:
        raise ValidationError(
            translate("Workshop", "Say what the customer wants when the new time is not agreed."),
            "note",
        )
    if row.seen_by_advisor:
        raise TransitionRefused(
            translate("Workshop", "The customer's answer to this delay is recorded already.")
        )
    event = _event(
        row.order, actor, "delay_answer", {"delay": row.id, "answer": answer, "note": note}
    )
    if answer != "not_reached":
        row.seen_by_advisor = True
        row.save()
        audit("delay_report", row.id, {"seen_by_advisor": False}, {"seen_by_advisor": True})
    return event


@service(Role.ADVISOR)
def acknowledge_alert(actor: Staff, kind: str, ref_id: int) -> None:
    """The advisor has seen a notice (and told the customer where needed)."""
    kind = require_choice(
        kind,
        ("delay", "additional_work", *ADVISOR_EVENT_KINDS),
        translate("Workshop", "Kind of notice"),
        "kind",
    )
    if kind == "additional_work":
        raise ValidationError(
            translate(
                "Workshop",
                "This notice goes away when the customer's decision on the additional work is recorded.",
            ),
            "kind",
        )
    if kind == "delay":
        raise ValidationError(
            translate(
                "Workshop",
                "A delay notice goes away when the customer's answer to the new time is recorded.",
            ),
            "kind",
        )
    ev = get(OrderEvent, ref_id, translate("Workshop", "Notice"))
    if ev.kind != kind:
        raise NotFound(translate("Workshop", "Notice {ident} was not found.").format(ident=ref_id))
    data = json.loads(ev.data or "{}")
    if data.get("seen_at"):
        return
    before = dict(data)
    data.update(seen_at=clock.now().isoformat(), seen_by=actor.id)
    ev.data = json.dumps(data, ensure_ascii=False)
    ev.save()
    audit("order_event", ev.id, before, data)


# ---------------------------------------------------------------------------------------
# additional work (增项) and the customer's authorisation


def _pick(model: type, value: Any, what: str) -> Any:
    return None if value in (None, "") else get(model, value, what)


def _category(item: Mapping[str, Any]) -> str:
    return (
        optional_text(item.get("category"), translate("Workshop", "Category"), 40, "lines")
        or "general"
    )


def _additional_line(
    order: RepairOrder, request: AdditionalWorkRequest, item: Any, sort: int
) -> JobLine:
    if not isinstance(item, Mapping):
        raise ValidationError(
            translate("Workshop", "Each line of additional work needs its details."), "lines"
        )
    kind = require_choice(
        item.get("kind"), ("labour", "part"), translate("Workshop", "Line kind"), "lines"
    )
    pay_type = require_choice(
        item.get("pay_type", "customer"), PAY_TYPES, translate("Workshop", "Pay type"), "lines"
    )
    if (pay_type == "insurance") != (request.decided_by == "insurer"):
        raise ValidationError(
            translate(
                "Workshop",
                "Hidden damage the insurer pays is proposed as a supplementary assessment, and "
                "only that.",
            ),
            "lines",
        )
    values: dict[str, Any] = {"kind": kind, "pay_type": pay_type}
    if kind == "labour":
        op = _pick(
            LabourOperation, item.get("labour_op"), translate("Workshop", "Labour operation")
        )
        desc = item.get("description") or (op.name if op else None)
        hours = item.get("hours", op.standard_hours if op else None)
        values.update(
            labour_op=op,
            description=require_text(desc, translate("Workshop", "Description"), 200, "lines"),
            hours=require_decimal(
                hours, translate("Workshop", "Hours"), Decimal("0.01"), Decimal("500"), "lines"
            ),
            rate=money(
                require_decimal(
                    item.get("rate", settings().labour_rate),
                    translate("Workshop", "Labour rate"),
                    Decimal("0"),
                    Decimal("100000"),
                    "lines",
                )
            ),
            category=op.category if op else _category(item),
        )
    else:
        part = _pick(Part, item.get("part"), translate("Workshop", "Part"))
        if part is None:
            raise ValidationError(
                translate(
                    "Workshop",
                    "Choose the part from the parts catalogue: the parts counter issues only "
                    "catalogue parts.",
                ),
                "lines",
            )
        desc = item.get("description") or part.name
        price = item.get("unit_price", item.get("price", part.unit_price if part else None))
        values.update(
            part=part,
            description=require_text(desc, translate("Workshop", "Description"), 200, "lines"),
            quantity=require_decimal(
                item.get("quantity"),
                translate("Workshop", "Quantity"),
                Decimal("0.01"),
                Decimal("10000"),
                "lines",
            ),
            unit_price=money(
                require_decimal(
                    price,
                    translate("Workshop", "Unit price"),
                    Decimal("0"),
                    Decimal("10000000"),
                    "lines",
                )
            ),
            category=part.category if part else _category(item),
        )
    line = JobLine.create(
        order=order,
        origin="additional",
        auth_state="proposed",
        work_state="pending",
        request=request,
        sort=sort,
        created_at=clock.now(),
        **values,
    )
    audit("job_line", line.id, None, snapshot(line))
    return line


def open_request(
    actor: Staff,
    order: RepairOrder | int,
    lines: Any,
    reason: Any,
    expected_version: int | None = None,
    decided_by: str = "customer",
    decided_at_once: bool = False,
) -> AdditionalWorkRequest:
    """The one waiting rule of additional work (增项): priced lines proposed on a working order,
    which then waits (WAITING_AUTHORISATION, running clocks paused) until ``decided_by`` (the
    customer, or the insurer for a supplementary assessment 追加定损) decides every line.
    Work priced below the list is held to the discount limit (:mod:`~.pricing`).
    ``decided_at_once``: the decision is recorded in the same step (the customer agreed
    already), so running work is not paused for the moment of waiting."""
    order = load_order(order, expected_version)
    waiting = State(order.state) == State.WAITING_AUTHORISATION
    if not waiting:
        _require_state(
            order,
            (State.IN_PROGRESS, State.REWORK, State.WAITING_PARTS),
            translate("Workshop", "propose additional work"),
        )
    reason = require_text(
        reason, translate("Workshop", "Reason for the additional work"), 1000, "reason"
    )
    if not isinstance(lines, list | tuple) or not lines:
        raise ValidationError(
            translate("Workshop", "Add at least one line of additional work."), "lines"
        )
    reduced = pricing.order_reduction(order)
    request = AdditionalWorkRequest.create(
        order=order,
        proposed_by=actor,
        proposed_at=clock.now(),
        reason=reason,
        decided_by=decided_by,
    )
    last = (
        JobLine.select(JobLine.sort)
        .where(JobLine.order == order)
        .order_by(JobLine.sort.desc())
        .first()
    )
    start = (last.sort if last else 0) + 1
    for n, item in enumerate(lines):
        _additional_line(order, request, item, start + n)
    pricing.require_within_limit(order, reduced)
    audit("additional_work_request", request.id, None, snapshot(request))
    if not waiting:
        if not decided_at_once:
            pause_running_lines(order, "authorisation", actor)
        move(order, "request_authorisation", actor)
    return request


@service(Role.TECHNICIAN, Role.TEAM_LEADER, Role.SUPERVISOR)
def propose_additional_work(
    actor: Staff,
    order: RepairOrder | int,
    lines: list[dict[str, Any]],
    reason: str,
    expected_version: int | None = None,
) -> AdditionalWorkRequest:
    """Propose priced additional work; the order waits for the customer's authorisation.
    Work priced below the list (a lower rate or part price, goodwill or internal) is held to
    the same limit and approval as any discount (:mod:`shop_desk.services.pricing`)."""
    return open_request(actor, order, lines, reason, expected_version)


def pending_request(
    request: AdditionalWorkRequest | int, decided_by: str, doing: str
) -> AdditionalWorkRequest:
    """A request still waiting for ``decided_by``'s decision, on an order that waits for it."""
    request = get(AdditionalWorkRequest, request, translate("Workshop", "Additional work request"))
    if request.decided_by != decided_by:
        raise TransitionRefused(
            translate(
                "Workshop",
                "This is a supplementary assessment: the insurer decides it. Record the "
                "insurer's answer instead.",
            )
            if request.decided_by == "insurer"
            else translate(
                "Workshop",
                "This additional work is the customer's to authorise, not the insurer's.",
            )
        )
    if request.state != "pending":
        raise TransitionRefused(
            translate(
                "Workshop", "The customer's decision on this additional work is already recorded."
            )
            if decided_by == "customer"
            else translate(
                "Workshop",
                "The insurer's answer on this supplementary assessment is already recorded.",
            )
        )
    _require_state(request.order, (State.WAITING_AUTHORISATION,), doing)
    return request


def _customer_decision(value: Any) -> str:
    return require_choice(
        value, ("authorised", "declined"), translate("Workshop", "Decision"), "decisions"
    )


def request_decisions(
    request: AdditionalWorkRequest,
    decisions: Any,
    read: Callable[[Any], Any] = _customer_decision,
) -> dict[int, Any]:
    """The decision given for each line of ``request`` (read and checked by ``read``); every
    line needs one, and only its own lines."""
    lines = {line.id: line for line in JobLine.select().where(JobLine.request == request)}
    every_line = (
        translate("Workshop", "Record the customer's decision on every line: {lines}.")
        if request.decided_by == "customer"
        else translate("Workshop", "Record the insurer's answer on every line: {lines}.")
    )
    if decisions is not None and not isinstance(decisions, Mapping):
        raise ValidationError(
            every_line.format(lines=join_list(ln.description for ln in lines.values())),
            "decisions",
        )
    chosen: dict[int, Any] = {}
    for key, value in dict(decisions or {}).items():
        line_id = key.id if isinstance(key, JobLine) else row_id(key)
        if line_id not in lines:
            raise ValidationError(
                translate("Workshop", "Line {line} is not part of this additional work.").format(
                    line=shown(key)
                ),
                "decisions",
            )
        chosen[line_id] = read(value)
    undecided = [line.description for lid, line in lines.items() if lid not in chosen]
    if undecided:
        raise ValidationError(every_line.format(lines=join_list(undecided)), "decisions")
    return chosen


def decide_request(
    actor: Staff,
    request: AdditionalWorkRequest,
    outcome: Mapping[int, str],
    method: str,
    decided_by_name: str,
    signature: Signature | None = None,
) -> AdditionalWorkRequest:
    """Apply the decisions (``authorised``/``declined`` per line id): declined work goes on the
    car's record, the request is decided and the order's work resumes when nothing else waits."""
    order = request.order
    before = snapshot(request)
    lines = {line.id: line for line in JobLine.select().where(JobLine.request == request)}
    for line_id, value in outcome.items():
        line = lines[line_id]
        old = line.auth_state
        line.auth_state = value
        line.save()
        audit("job_line", line.id, {"auth_state": old}, {"auth_state": value})
    if signature is not None:
        request.signature = signature
    _declined_to_record(order, request, [lines[i] for i, v in outcome.items() if v == "declined"])
    request.state = "decided"
    request.auth_method = method
    request.auth_at = clock.now()
    request.auth_by_customer = decided_by_name
    request.recorded_by = actor
    request.save()
    audit("additional_work_request", request.id, before, snapshot(request))
    if not _pending_authorisation(order):
        move(order, "authorisation_recorded", actor)
    return request


@service(Role.ADVISOR)
def record_authorisation(
    actor: Staff,
    request: AdditionalWorkRequest | int,
    decisions: Mapping[Any, str],
    method: str,
    customer_name: str,
    signature_png: bytes | None = None,
) -> AdditionalWorkRequest:
    """Record the customer's decision on each proposed line (顾客授权); work resumes after it."""
    request = pending_request(
        request, "customer", translate("Workshop", "record the authorisation")
    )
    order = request.order
    method = require_choice(
        method, AUTH_METHODS, translate("Workshop", "Authorisation method"), "method"
    )
    customer_name = require_text(
        customer_name, translate("Workshop", "Who authorised"), 60, "customer_name"
    )
    image = (
        _signature_image(signature_png, translate("Workshop", "Authorisation"))
        if method == "signature"
        else None
    )
    chosen = request_decisions(request, decisions)
    sig = None
    if image is not None:
        sig = Signature.create(
            image=image,
            signer=customer_name,
            document="additional_work",
            order_id=order.id,
            signed_at=clock.now(),
            recorded_by=actor,
        )
    return decide_request(actor, request, chosen, method, customer_name, sig)


def _declined_to_record(
    order: RepairOrder, request: AdditionalWorkRequest, declined: list[JobLine]
) -> Recommendation | None:
    """Additional work the customer declined goes on the car's record as declined recommended
    work (with the customer's signature when they signed the decision), so the settlement slip
    states it and the next visit raises it again."""
    if not declined:
        return None
    rec = Recommendation.create(
        vehicle=order.vehicle_id,
        order=order,
        description=_declined_text(request, declined),
        state="declined",
        declined_at=clock.now(),
        signature=request.signature,
        request=request,
        created_at=clock.now(),
    )
    audit("recommendation", rec.id, None, snapshot(rec))
    return rec


def _declined_text(request: AdditionalWorkRequest, declined: list[JobLine]) -> str:
    what = "; ".join(line.description for line in declined)
    reason = " ".join(request.reason.split())
    return (f"{what} — {reason}" if reason else what)[:250]


def update_declined_record(request: AdditionalWorkRequest, still_declined: list[JobLine]) -> None:
    """Some declined lines of ``request`` are done after all (the customer pays what the
    insurer declined): the car's record keeps only ``still_declined``, or is done, so the next
    visit does not raise work that was done."""
    for rec in Recommendation.select().where(
        (Recommendation.request == request) & (Recommendation.state == "declined")
    ):
        before = snapshot(rec)
        if still_declined:
            rec.description = _declined_text(request, still_declined)
        else:
            rec.state = "done"
        rec.save()
        audit("recommendation", rec.id, before, snapshot(rec))


# ---------------------------------------------------------------------------------------
# quality control: self-check, team-leader check, final inspection (自检 / 班组长检验 / 总检)


@dataclass(frozen=True)
class OpenWork:
    """A line of the task order that keeps the car from its checks, and why.

    ``why``: ``labour`` (an authorised labour line not finished), ``part_not_requested`` /
    ``part_not_issued`` (an authorised part not drawn from the parts counter yet),
    ``awaiting_authorisation`` (additional work the customer, or for a supplementary
    assessment the insurer, has not decided on yet: see :attr:`decided_by`).
    """

    line: JobLine
    why: str

    @property
    def awaiting_authorisation(self) -> bool:
        return self.why == "awaiting_authorisation"

    @property
    def decided_by(self) -> str:
        """Who decides the line: "customer", or "insurer" (a supplementary assessment)."""
        return decider(self.line)

    @property
    def text(self) -> str:
        """``雨刮片 Wiper blades (authorised additional work; part not requested yet)``."""
        if self.awaiting_authorisation and self.decided_by == "insurer":
            return translate(
                "Workshop", "{line} (supplementary assessment waiting for the insurer's approval)"
            ).format(line=self.line.description)
        if self.awaiting_authorisation:
            return translate(
                "Workshop", "{line} (additional work waiting for the customer's authorisation)"
            ).format(line=self.line.description)
        what = {
            "labour": translate("Workshop", "work not finished"),
            "part_not_requested": translate("Workshop", "part not requested yet"),
            "part_not_issued": translate("Workshop", "part not issued yet"),
        }[self.why]
        if self.line.origin == "additional":
            return translate("Workshop", "{line} (authorised additional work; {what})").format(
                line=self.line.description, what=what
            )
        return translate("Workshop", "{line} ({what})").format(
            line=self.line.description, what=what
        )


def work_not_done(order: RepairOrder | int) -> list[OpenWork]:
    """What work of ``order`` is not done: the one rule every check uses (self-check,
    team-leader check, final inspection and the internal delivery check).

    Authorised labour lines not finished and authorised catalogue parts not fully issued are
    open; additional work still waiting for the customer's decision is open (named as such);
    declined lines are not required. A part line that is not a catalogue part cannot be drawn
    at the parts counter and is not counted (new additional work must name a catalogue part).
    """
    order_id = order.id if isinstance(order, RepairOrder) else int(order)
    open_work = []
    for line in (
        JobLine.select()
        .where(
            (JobLine.order == order_id)
            & (JobLine.auth_state != "declined")
            & ((JobLine.work_state != "done") | (JobLine.auth_state == "proposed"))
        )
        .order_by(JobLine.sort, JobLine.id)
    ):
        if line.auth_state == "proposed":
            open_work.append(OpenWork(line, "awaiting_authorisation"))
        elif line.auth_state != "authorised":
            continue
        elif line.kind == "labour":
            open_work.append(OpenWork(line, "labour"))
        elif line.part_id is not None:
            asked = line.parts_requested > line.parts_issued
            open_work.append(OpenWork(line, "part_not_issued" if asked else "part_not_requested"))
    return open_work


def work_not_done_refusal(order: RepairOrder, doing: str) -> str | None:
    """Why ``doing`` (a check) must wait for the work, naming the open lines; None: all done."""
    open_work = work_not_done(order)
    if not open_work:
        return None
    named = join_list([w.text for w in open_work], clauses=True)
    waiting = {w.decided_by for w in open_work if w.awaiting_authorisation}
    if waiting:
        advice = " ".join(
            {
                "customer": translate(
                    "Workshop",
                    "The service advisor records the customer's decision on the additional work "
                    "first.",
                ),
                "insurer": translate(
                    "Workshop",
                    "The service advisor records the insurer's answer on the supplementary "
                    "assessment first.",
                ),
            }[who]
            for who in sorted(waiting)
        )
    else:
        advice = translate(
            "Workshop",
            "Finish these lines first: request missing parts on the Parts tab, the parts counter "
            "issues them, then finish the labour.",
        )
    return translate(
        "Workshop", "Cannot {doing} on order {number}. Not done yet: {lines}. {advice}"
    ).format(doing=doing, number=order.number, lines=named, advice=advice)


def _require_work_complete(order: RepairOrder, doing: str) -> None:
    refusal = work_not_done_refusal(order, doing)
    if refusal is not None:
        raise TransitionRefused(refusal)


def self_check_label(code: str) -> str:
    """An item of the self-check list in the technician's words (screens and refusals)."""
    return {
        "work_done": translate("Station", "Every item on the task order is done"),
        "torque": translate("Station", "Bolts and wheel nuts tightened to torque"),
        "no_leaks": translate("Station", "Fluid levels right, no leaks"),
        "warning_lights": translate("Station", "No warning lights on the dashboard"),
        "test_drive": translate("Station", "Test drive done where needed; the fault is gone"),
        "tools_removed": translate("Station", "No tools, rags or nuts left in the car"),
        "protective_set": translate("Station", "Protective set still in place"),
    }.get(code, code)


def _checklist(value: Any) -> dict[str, bool]:
    if value is None:
        return {}
    if not isinstance(value, Mapping) or not all(
        isinstance(k, str) and isinstance(v, bool) for k, v in value.items()
    ):
        raise ValidationError(
            translate("Workshop", "The checklist must list items ticked yes or no."), "checklist"
        )
    return dict(value)


def _qc(
    order: RepairOrder,
    actor: Staff,
    stage: str,
    passed: bool,
    reason: str = "",
    advice: str = "",
    checklist: Mapping[str, bool] | None = None,
) -> QcCheck:
    check = QcCheck.create(
        order=order,
        stage=stage,
        round=_current_round(order),
        passed=bool(passed),
        reason=reason,
        advice=advice,
        checklist=json.dumps(dict(checklist or {}), ensure_ascii=False),
        by=actor,
        at=clock.now(),
    )
    audit("qc_check", check.id, None, snapshot(check))
    return check


@service(Role.TECHNICIAN, Role.TEAM_LEADER)
def self_check(
    actor: Staff,
    order: RepairOrder | int,
    checklist: dict[str, bool],
    passed: bool,
    notes: str = "",
) -> QcCheck:
    """The technician checks his own work when every authorised line is finished (自检)."""
    order = load_order(order)
    doing = translate("Workshop", "record the self-check")
    _require_state(order, WORKING_STATES, doing)
    _require_work_complete(order, doing)
    items = _checklist(checklist)
    notes = optional_text(notes, translate("Workshop", "Notes"), 2000, "notes")
    if passed and not all(items.values()):
        raise ValidationError(
            translate(
                "Workshop", "The self-check cannot pass with items not ticked: {items}."
            ).format(
                items=join_list(
                    [self_check_label(k) for k, v in items.items() if not v], clauses=True
                )
            ),
            "checklist",
        )
    if not passed and not notes:
        raise ValidationError(
            translate("Workshop", "Say what is wrong when the self-check fails."), "notes"
        )
    if passed:
        _require_slips_signed(order)
    return _qc(order, actor, "self", bool(passed), reason=notes, checklist=items)


def unsigned_slips_of(order: RepairOrder | int) -> list[PartsIssueSlip]:
    """The order's parts issue slips the technician has not signed yet (出库单)."""
    return list(
        PartsIssueSlip.select()
        .where((PartsIssueSlip.order == order) & PartsIssueSlip.signed_at.is_null())
        .order_by(PartsIssueSlip.id)
    )


def _require_slips_signed(order: RepairOrder) -> None:
    """The parts drawn are signed for before the work counts as checked: an unsigned slip
    holds the self-check."""
    unsigned = unsigned_slips_of(order)
    if unsigned:
        raise TransitionRefused(
            translate(
                "Workshop",
                "The self-check of {number} waits for the parts issue slip to be signed by the "
                "technician who received the parts: {slips}.",
            ).format(
                number=order.number,
                slips=join_list(
                    f"{slip.number} ({slip.technician.name if slip.technician else '?'})"
                    for slip in unsigned
                ),
            )
        )


def qc_stage_label(code: str) -> str:
    """The words for a check of the 100 % quality control (station and printed slip)."""
    return {
        "self": translate("Station", "Self-check"),
        "leader": translate("Station", "Team-leader check"),
        "final": translate("Station", "Final inspection"),
    }.get(code, code)


def team_leaders(team_id: int | None) -> list[Staff]:
    """The leaders of a team (the people who may do its team-leader check)."""
    if team_id is None:
        return []
    return list(
        Staff.select()
        .join(TeamMember, on=(TeamMember.staff == Staff.id))
        .where((TeamMember.team == team_id) & TeamMember.is_leader & Staff.active)
        .order_by(Staff.name)
    )


def _require_team_leader(order: RepairOrder, actor: Staff) -> None:
    """The rulebook's 班组长检验 is the team's own leader's, not any leader's; only a team
    without a leader of its own is checked by another team's leader."""
    if order.team_id is None:
        raise TransitionRefused(
            translate(
                "Workshop",
                "Order {number} is not dispatched to a team: its team leader checks it once "
                "the supervisor has dispatched it.",
            ).format(number=order.number)
        )
    leaders = team_leaders(order.team_id)
    if not leaders or any(leader.id == actor.id for leader in leaders):
        return  # a team without a leader of its own (a one-man body shop) is any leader's
    raise PermissionDenied(
        translate(
            "Workshop",
            "Order {number} is team {team}'s: its team leader ({leaders}) checks it, not {name}.",
        ).format(
            number=order.number,
            team=order.team.name,
            leaders=join_list(leader.name for leader in leaders),
            name=actor.name,
        )
    )


@service(Role.TEAM_LEADER)
def leader_check(
    actor: Staff,
    order: RepairOrder | int,
    passed: bool,
    advice: str = "",
    notes: str = "",
    expected_version: int | None = None,
) -> QcCheck:
    """The team leader checks after a passed self-check, writes advice; a pass goes to final QC."""
    order = load_order(order, expected_version)
    doing = translate("Workshop", "record the team-leader check")
    _require_state(order, WORKING_STATES, doing)
    _require_team_leader(order, actor)
    latest = _latest_team_check(order)
    if latest is None or latest.stage != "self" or not latest.passed:
        raise TransitionRefused(
            translate(
                "Workshop",
                "The team-leader check needs a passed self-check of the technician first.",
            )
        )
    _require_work_complete(order, doing)
    advice = optional_text(advice, translate("Workshop", "Repair advice"), 2000, "advice")
    notes = optional_text(notes, translate("Workshop", "Notes"), 2000, "notes")
    if not passed and not notes:
        raise ValidationError(
            translate("Workshop", "Say what is wrong when the team-leader check fails."), "notes"
        )
    check = _qc(order, actor, "leader", bool(passed), reason=notes, advice=advice)
    if passed:
        move(order, "submit_final_qc", actor)
    return check


@service(Role.INSPECTOR)
def final_qc(
    actor: Staff,
    order: RepairOrder | int,
    passed: bool,
    reason: str = "",
    advice: str = "",
    expected_version: int | None = None,
) -> QcCheck:
    """The 100% final inspection (总检): fail sends the job to rework, pass to wash or ready."""
    order = load_order(order, expected_version)
    _require_state(order, (State.FINAL_QC,), translate("Workshop", "record the final inspection"))
    latest = _latest_team_check(order)
    if latest is None or latest.stage != "leader" or not latest.passed:
        raise TransitionRefused(
            translate(
                "Workshop",
                "Order {number} has no passed team-leader check in this round; the final inspection "
                "cannot be recorded without it.",
            ).format(number=order.number)
        )
    reason = optional_text(reason, translate("Workshop", "Reason"), 2000, "reason")
    advice = optional_text(advice, translate("Workshop", "Advice"), 2000, "advice")
    if not passed and not reason:
        raise ValidationError(
            translate(
                "Workshop",
                "Give the reason when the final inspection fails; the technician needs it.",
            ),
            "reason",
        )
    if passed:  # a fail stays possible: it sends the job back to the technician
        _require_work_complete(order, translate("Workshop", "pass the final inspection"))
    check = _qc(order, actor, "final", bool(passed), reason=reason, advice=advice)
    if not passed:
        move(order, "qc_fail", actor, rework_count=order.rework_count + 1)
    elif order.free_wash:
        move(order, "qc_pass_wash", actor)
    else:
        move(order, "qc_pass", actor, ready_at=clock.now())
    return check


def qc_history(order: RepairOrder | int) -> list[QcCheck]:
    """All checks of the order, oldest first (for the task order and the QC screen)."""
    order_id = order.id if isinstance(order, RepairOrder) else int(order)
    return list(QcCheck.select().where(QcCheck.order == order_id).order_by(QcCheck.id))


# ---------------------------------------------------------------------------------------
# car wash (洗车)


def done_this_round(order: RepairOrder, kind: str) -> bool:
    """Whether an event of ``kind`` (``wash_start``, ``delivery_check``…) was recorded since the
    car last went back to the workshop: a car sent back is washed and checked again."""
    return order.id in done_this_round_of([order.id], kind)


def done_this_round_of(order_ids: list[int], kind: str) -> set[int]:
    """:func:`done_this_round` for many orders in one query (the station's job list)."""
    latest: dict[int, dict[str, int]] = {}
    for order_id, event_kind, event_id in (
        OrderEvent.select(OrderEvent.order, OrderEvent.kind, OrderEvent.id)
        .where(OrderEvent.order.in_(order_ids) & OrderEvent.kind.in_((kind, "sent_back")))
        .tuples()
    ):
        seen = latest.setdefault(order_id, {})
        seen[event_kind] = max(seen.get(event_kind, 0), event_id)
    return {i for i, seen in latest.items() if seen.get(kind, 0) > seen.get("sent_back", 0)}


def _wash_started(order: RepairOrder) -> bool:
    return done_this_round(order, "wash_start")


@service(Role.WASHER)
def start_wash(actor: Staff, order: RepairOrder | int) -> OrderEvent:
    """Washing starts; the supervisor and the advisor are told."""
    order = load_order(order)
    _require_state(order, (State.WASHING,), translate("Workshop", "start the car wash"))
    if _wash_started(order):
        raise TransitionRefused(
            translate("Workshop", "The wash of order {number} has already started.").format(
                number=order.number
            )
        )
    return _event(order, actor, "wash_start")


#: The washer's checklist (the rulebook: a clean car, parked facing the exit), in order.
WASH_CHECK_ITEMS = ("paint", "cabin", "boot", "engine_bay", "facing_exit")


def wash_check_label(code: str) -> str:
    """An item of the wash checklist in the washer's words (screens and refusals)."""
    return {
        "paint": translate("Station", "Body and paint washed and dried, no marks left"),
        "cabin": translate("Station", "Cabin vacuumed, glass and dashboard wiped"),
        "boot": translate("Station", "Boot clean and tidy"),
        "engine_bay": translate("Station", "Engine bay wiped"),
        "facing_exit": translate("Station", "Parked in the finished-car area facing the exit"),
    }.get(code, code)


@service(Role.WASHER)
def finish_wash(
    actor: Staff, order: RepairOrder | int, parking_spot: str, checklist: Any = None
) -> RepairOrder:
    """Washed and parked in the finished area facing the exit; the car is ready for delivery.
    Every item of :data:`WASH_CHECK_ITEMS` must be ticked: the car leaves the wash clean."""
    order = load_order(order)
    _require_state(order, (State.WASHING,), translate("Workshop", "finish the car wash"))
    if not _wash_started(order):
        raise TransitionRefused(
            translate("Workshop", "Start the wash of order {number} before finishing it.").format(
                number=order.number
            )
        )
    items = _checklist(checklist)
    missing = [wash_check_label(c) for c in WASH_CHECK_ITEMS if items.get(c) is not True]
    if missing:
        raise ValidationError(
            translate(
                "Workshop",
                "The wash of {number} is finished when the car is clean. Not ticked: {items}.",
            ).format(number=order.number, items=join_list(missing)),
            "checklist",
        )
    spot = require_text(parking_spot, translate("Workshop", "Parking spot"), 20, "parking_spot")
    move(order, "finish_wash", actor, parking_spot=spot, ready_at=clock.now())
    _event(order, actor, "wash_end", {"parking_spot": spot, "checklist": items})
    return order


@service(Role.WASHER, Role.SUPERVISOR)
def set_parking_spot(actor: Staff, order: RepairOrder | int, parking_spot: str) -> RepairOrder:
    """Where the finished car stands (竣工停车区), for the advisor at delivery."""
    order = load_order(order)
    _require_state(
        order, (State.WASHING, State.READY), translate("Workshop", "set the parking spot")
    )
    spot = require_text(parking_spot, translate("Workshop", "Parking spot"), 20, "parking_spot")
    _change(order, actor, parking_spot=spot)
    return order


# ---------------------------------------------------------------------------------------
# back to the workshop (a finished car whose work is not done after all)


@service(Role.SUPERVISOR)
def send_back_to_workshop(
    actor: Staff, order: RepairOrder | int, reason: str, expected_version: int | None = None
) -> RepairOrder:
    """A car past the final inspection goes back to its technician for rework, with the reason
    (an authorised line found not done, the fault not gone at the internal delivery check).
    It then passes the self-check, team-leader check and final inspection again."""
    order = load_order(order, expected_version)
    _require_state(
        order,
        (State.WASHING, State.READY),
        translate("Workshop", "send the car back to the workshop"),
    )
    reason = require_text(
        reason, translate("Workshop", "Reason for sending the car back"), 1000, "reason"
    )
    open_work = [w.text for w in work_not_done(order)]
    move(
        order,
        "send_back",
        actor,
        rework_count=order.rework_count + 1,
        ready_at=None,
        parking_spot="",
    )
    _event(order, actor, "sent_back", {"reason": reason, "not_done": open_work})
    return order
