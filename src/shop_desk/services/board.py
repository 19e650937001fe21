"""Read models of the workshop: the supervisor's board (and the TV display), the field jobs
out now (its field column) and team load.

Plain functions (no @service): they change nothing. Each runs a fixed number of SQL queries
however many orders are on the floor, so the board can refresh every few seconds on a busy
day without hammering the shared database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import peewee
from peewee import JOIN, fn

from shop_desk import clock
from shop_desk.field_states import OUT_STATES
from shop_desk.models import (
    AdditionalWorkRequest,
    FieldJob,
    FieldJobStaff,
    JobLine,
    RepairOrder,
    Staff,
    Team,
    TeamMember,
    TeamSkill,
    Vehicle,
)
from shop_desk.money import quantity
from shop_desk.states import WORKSHOP_STATES, State
from shop_desk.validation import display_plate

ZERO_HOURS = Decimal("0.00")

#: States in which a dispatched job still occupies its team (work not yet handed to QC).
TEAM_BUSY_STATES: tuple[State, ...] = (
    State.IN_PROGRESS,
    State.WAITING_PARTS,
    State.WAITING_AUTHORISATION,
    State.REWORK,
)


@dataclass(frozen=True)
class BoardCard:
    """One car on the workshop board."""

    order_id: int
    number: str
    state: str
    plate: str
    model: str
    advisor: str
    team: str
    technician: str
    promised_at: dt.datetime | None
    minutes_left: int | None  # negative = overdue; None when no promised time was given
    priority: int
    customer_waiting: bool
    warranty_pending: bool
    comeback: bool
    additional_work_pending: bool
    rework_count: int

    @property
    def overdue(self) -> bool:
        return self.minutes_left is not None and self.minutes_left < 0


def _minutes_left(promised_at: dt.datetime | None, now: dt.datetime) -> int | None:
    if promised_at is None:
        return None
    return int((promised_at - now).total_seconds() // 60)


def board_cards(now: dt.datetime | None = None) -> list[BoardCard]:
    """Every order in the workshop, most urgent first (priority, then promised time).

    One SQL query: joins for names, a correlated EXISTS for pending additional work.
    """
    now = now or clock.now()
    advisor = Staff.alias("advisor")
    tech = Staff.alias("tech")
    pending = AdditionalWorkRequest.select(AdditionalWorkRequest.id).where(
        (AdditionalWorkRequest.order == RepairOrder.id) & (AdditionalWorkRequest.state == "pending")
    )
    rows = (
        RepairOrder.select(
            RepairOrder.id,
            RepairOrder.number,
            RepairOrder.state,
            RepairOrder.promised_at,
            RepairOrder.priority,
            RepairOrder.customer_waiting,
            RepairOrder.warranty_decision,
            RepairOrder.is_comeback,
            RepairOrder.rework_count,
            Vehicle.plate.alias("plate"),
            Vehicle.model.alias("model"),
            advisor.name.alias("advisor_name"),
            Team.name.alias("team_name"),
            tech.name.alias("tech_name"),
            fn.EXISTS(pending).alias("aw_pending"),
        )
        .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
        .switch(RepairOrder)
        .join(advisor, JOIN.LEFT_OUTER, on=(RepairOrder.advisor == advisor.id))
        .switch(RepairOrder)
        .join(Team, JOIN.LEFT_OUTER, on=(RepairOrder.team == Team.id))
        .switch(RepairOrder)
        .join(tech, JOIN.LEFT_OUTER, on=(RepairOrder.technician == tech.id))
        .where(RepairOrder.state.in_([s.value for s in WORKSHOP_STATES]))
        .dicts()
    )
    cards = [
        BoardCard(
            order_id=r["id"],
            number=r["number"],
            state=r["state"],
            plate=display_plate(r["plate"] or ""),
            model=r["model"] or "",
            advisor=r["advisor_name"] or "",
            team=r["team_name"] or "",
            technician=r["tech_name"] or "",
            promised_at=r["promised_at"],
            minutes_left=_minutes_left(r["promised_at"], now),
            priority=r["priority"],
            customer_waiting=bool(r["customer_waiting"]),
            warranty_pending=r["warranty_decision"] == "pending",
            comeback=bool(r["is_comeback"]),
            additional_work_pending=bool(r["aw_pending"]),
            rework_count=r["rework_count"],
        )
        for r in rows
    ]
    far = dt.datetime.max
    cards.sort(key=lambda c: (c.priority, c.promised_at or far, c.number))
    return cards


@dataclass(frozen=True)
class FieldCard:
    """One field job with people out (外出服务), for the board's field column and the TV."""

    job_id: int
    number: str
    kind: str
    state: str
    place: str
    plate: str
    crew: tuple[str, ...]
    required_at: dt.datetime  # the customer's required arrival time
    promised_at: dt.datetime | None
    arrived_at: dt.datetime | None
    #: minutes until the required arrival (negative: late and not there yet); None once on site
    minutes_left: int | None

    @property
    def overdue(self) -> bool:
        """Not on site and the customer's time has passed."""
        return self.minutes_left is not None and self.minutes_left < 0

    @property
    def minutes_late(self) -> int:
        """How late the crew arrived (0 on time or not arrived yet)."""
        if self.arrived_at is None or self.arrived_at <= self.required_at:
            return 0
        return int((self.arrived_at - self.required_at).total_seconds() // 60)

    @property
    def late(self) -> bool:
        return self.overdue or (self.arrived_at is not None and self.arrived_at > self.required_at)


def field_cards(now: dt.datetime | None = None) -> list[FieldCard]:
    """Field jobs with people out now, by the customer's required arrival time.

    One SQL query: the crew comes joined, one row per person, gathered here."""
    now = now or clock.now()
    rows = (
        FieldJob.select(
            FieldJob.id,
            FieldJob.number,
            FieldJob.kind,
            FieldJob.state,
            FieldJob.place,
            FieldJob.required_arrival_at,
            FieldJob.promised_arrival_at,
            FieldJob.arrived_at,
            Vehicle.plate.alias("plate"),
            Staff.name.alias("crew_name"),
        )
        .join(Vehicle, JOIN.LEFT_OUTER, on=(FieldJob.vehicle == Vehicle.id))
        .switch(FieldJob)
        .join(FieldJobStaff, JOIN.LEFT_OUTER, on=(FieldJobStaff.job == FieldJob.id))
        .join(Staff, JOIN.LEFT_OUTER, on=(FieldJobStaff.staff == Staff.id))
        .where(FieldJob.state.in_([s.value for s in OUT_STATES]))
        .order_by(FieldJob.required_arrival_at, FieldJob.id, FieldJobStaff.id)
        .dicts()
    )
    jobs: dict[int, dict] = {}
    crews: dict[int, list[str]] = {}
    for r in rows:
        jobs.setdefault(r["id"], r)
        if r["crew_name"]:
            crews.setdefault(r["id"], []).append(r["crew_name"])
    return [
        FieldCard(
            job_id=job_id,
            number=r["number"],
            kind=r["kind"],
            state=r["state"],
            place=r["place"],
            plate=display_plate(r["plate"] or ""),
            crew=tuple(crews.get(job_id, ())),
            required_at=r["required_arrival_at"],
            promised_at=r["promised_arrival_at"],
            arrived_at=r["arrived_at"],
            minutes_left=None
            if r["arrived_at"] is not None
            else _minutes_left(r["required_arrival_at"], now),
        )
        for job_id, r in jobs.items()
    ]


@dataclass(frozen=True)
class MemberInfo:
    staff_id: int
    name: str
    is_leader: bool


@dataclass(frozen=True)
class TeamLoad:
    """One team's day: hours of work assigned against what the team can do."""

    team_id: int
    name: str
    capacity_hours: Decimal
    assigned_hours: Decimal
    skills: list[str] = field(default_factory=list)
    members: list[MemberInfo] = field(default_factory=list)

    @property
    def free_hours(self) -> Decimal:
        return self.capacity_hours - self.assigned_hours

    @property
    def over_capacity(self) -> bool:
        return self.assigned_hours > self.capacity_hours

    @property
    def leader(self) -> str:
        return next((m.name for m in self.members if m.is_leader), "")


def _assigned_hours(day: dt.date) -> dict[int, Decimal]:
    """Authorised labour hours per team: jobs dispatched on ``day`` plus older jobs still open."""
    start = dt.datetime.combine(day, dt.time.min)
    end = start + dt.timedelta(days=1)
    busy = [s.value for s in TEAM_BUSY_STATES]
    # two indexed reads (the day's dispatches, the orders still being worked on) rather than
    # one condition with OR, which would make SQLite walk every order ever dispatched
    of_the_day = RepairOrder.select(RepairOrder.id).where(
        (RepairOrder.dispatched_at >= start) & (RepairOrder.dispatched_at < end)
    )
    carried_over = RepairOrder.select(RepairOrder.id).where(
        RepairOrder.state.in_(busy) & (RepairOrder.dispatched_at < start)
    )
    rows = (
        JobLine.select(RepairOrder.team, fn.SUM(JobLine.hours).coerce(False))
        .join(RepairOrder, on=(JobLine.order == RepairOrder.id))
        .where(
            RepairOrder.id.in_(of_the_day | carried_over)
            & RepairOrder.team.is_null(False)
            & (RepairOrder.state != State.CANCELLED.value)
            & (JobLine.kind == "labour")
            & (JobLine.auth_state == "authorised")
        )
        .group_by(RepairOrder.team)
        .tuples()
    )
    scale = Decimal(10) ** JobLine.hours.places
    return {team_id: quantity(Decimal(int(total or 0)) / scale) for team_id, total in rows}


def team_load(day: dt.date | None = None) -> list[TeamLoad]:
    """Per active team: assigned hours on ``day`` (default today) vs capacity, skills, members.

    Assigned = authorised labour hours of orders dispatched to the team that day, plus
    orders dispatched earlier that are still being worked on. Four queries in all.
    """
    day = day or clock.today()
    teams = list(Team.select().where(Team.active == True).order_by(Team.name))  # noqa: E712
    skills: dict[int, list[str]] = {}
    for team_id, skill in (
        TeamSkill.select(TeamSkill.team, TeamSkill.skill).order_by(TeamSkill.skill).tuples()
    ):
        skills.setdefault(team_id, []).append(skill)
    members: dict[int, list[MemberInfo]] = {}
    member_rows = (
        TeamMember.select(TeamMember.team, Staff.id, Staff.name, TeamMember.is_leader)
        .join(Staff, on=(TeamMember.staff == Staff.id))
        .where(Staff.active == True)  # noqa: E712
        .order_by(TeamMember.is_leader.desc(), Staff.name)
        .tuples()
    )
    for team_id, staff_id, name, is_leader in member_rows:
        members.setdefault(team_id, []).append(MemberInfo(staff_id, name, bool(is_leader)))
    hours = _assigned_hours(day)
    return [
        TeamLoad(
            team_id=t.id,
            name=t.name,
            capacity_hours=t.capacity_hours,
            assigned_hours=hours.get(t.id, ZERO_HOURS),
            skills=skills.get(t.id, []),
            members=members.get(t.id, []),
        )
        for t in teams
    ]


def load_of(team: Team | int, day: dt.date | None = None) -> TeamLoad | None:
    """The load of one team (None for an inactive or unknown team)."""
    team_id = team.id if isinstance(team, peewee.Model) else int(team)
    return next((t for t in team_load(day) if t.team_id == team_id), None)
