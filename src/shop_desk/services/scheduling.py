"""Working time and the promised completion time (预估完工时间) from the workshop's load.

The shop works ``workday_start``–``workday_end`` (settings) every day except Sunday.
:func:`suggest_promised_time` queues the new job behind the open labour hours of the cars
already in the workshop, spread over all teams' daily capacity, then adds the job's own
hours (one technician works it start to finish) and rounds up to the next quarter hour.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shop_desk import clock
from shop_desk.errors import ValidationError
from shop_desk.i18n import translate
from shop_desk.models import JobLine, RepairOrder, ShopSettings, Team
from shop_desk.services.base import require_decimal
from shop_desk.services.orders import settings
from shop_desk.states import WORKSHOP_STATES

ZERO_H = Decimal("0.00")
QUARTER = 15  # minutes


def parse_hhmm(text: str) -> dt.time:
    """'08:30' -> time(8, 30); settings are validated on save, so this only guards old data."""
    try:
        hh, mm = (int(x) for x in str(text).split(":"))
        return dt.time(hh, mm)
    except (ValueError, TypeError):
        raise ValidationError(
            translate("Scheduling", "The working hours in the settings are not written HH:MM.")
        ) from None


def working_hours(s: ShopSettings | None = None) -> tuple[dt.time, dt.time]:
    """(start, end) of a working day from the settings."""
    s = s or settings()
    start, end = parse_hhmm(s.workday_start), parse_hhmm(s.workday_end)
    if end <= start:
        raise ValidationError(
            translate("Scheduling", "The working day in the settings ends before it starts.")
        )
    return start, end


def is_working_day(day: dt.date) -> bool:
    """The shop is closed on Sundays."""
    return day.weekday() != 6


def day_bounds(day: dt.date, s: ShopSettings | None = None) -> tuple[dt.datetime, dt.datetime]:
    start, end = working_hours(s)
    return dt.datetime.combine(day, start), dt.datetime.combine(day, end)


def workday_minutes(s: ShopSettings | None = None) -> int:
    start, end = day_bounds(dt.date(2000, 1, 3), s)
    return int((end - start).total_seconds() // 60)


def workday_hours(s: ShopSettings | None = None) -> Decimal:
    return (Decimal(workday_minutes(s)) / Decimal(60)).quantize(Decimal("0.01"))


def next_working_start(when: dt.datetime, s: ShopSettings | None = None) -> dt.datetime:
    """``when`` if it is inside working time, else the start of the next working period."""
    day = when.date()
    while True:
        if is_working_day(day):
            start, end = day_bounds(day, s)
            if when < start:
                return start
            if when < end:
                return when
        day += dt.timedelta(days=1)
        when = dt.datetime.combine(day, dt.time(0, 0))


def add_working_minutes(
    start: dt.datetime, minutes: float, s: ShopSettings | None = None
) -> dt.datetime:
    """The moment ``minutes`` of working time after ``start`` (nights and Sundays skipped)."""
    s = s or settings()
    left = dt.timedelta(minutes=max(0.0, float(minutes)))
    current = next_working_start(start, s)
    while True:
        _, end = day_bounds(current.date(), s)
        room = end - current
        if left <= room:
            return current + left
        left -= room
        current = next_working_start(end, s)


def round_up_quarter(when: dt.datetime) -> dt.datetime:
    """Up to the next quarter hour (a time already on a quarter stays)."""
    base = when.replace(second=0, microsecond=0)
    if base < when:
        base += dt.timedelta(minutes=1)
    extra = (-base.minute) % QUARTER
    return base + dt.timedelta(minutes=extra)


@dataclass(frozen=True)
class WorkshopLoad:
    """Open labour hours in the workshop against the teams' capacity per working day."""

    assigned_hours: Decimal
    unassigned_hours: Decimal
    capacity_hours: Decimal  # all active teams, per working day
    workday_hours: Decimal

    @property
    def open_hours(self) -> Decimal:
        return self.assigned_hours + self.unassigned_hours

    @property
    def days_of_work(self) -> Decimal:
        """How many working days the open hours fill (0 when there is no capacity)."""
        if self.capacity_hours <= 0:
            return ZERO_H
        return (self.open_hours / self.capacity_hours).quantize(Decimal("0.01"))


def workshop_load() -> WorkshopLoad:
    """Labour still to do on cars in the workshop, split by dispatched (team set) or not."""
    rows = (
        JobLine.select(JobLine.hours, RepairOrder.team)
        .join(RepairOrder)
        .where(
            (JobLine.kind == "labour")
            & (JobLine.auth_state == "authorised")
            & (JobLine.work_state != "done")
            & (RepairOrder.state.in_([s.value for s in WORKSHOP_STATES]))
        )
        .tuples()
    )
    assigned = unassigned = ZERO_H
    for hours, team_id in rows:  # tuples() converts the fixed-decimal column already
        hours = hours or ZERO_H
        if team_id is None:
            unassigned += hours
        else:
            assigned += hours
    capacity = sum((t.capacity_hours for t in Team.select().where(Team.active == True)), ZERO_H)  # noqa: E712
    return WorkshopLoad(assigned, unassigned, capacity, workday_hours())


def suggest_promised_time(hours: Any, now: dt.datetime | None = None) -> dt.datetime:
    """When a job of ``hours`` labour hours is likely done, given the workshop's current load.

    Queue time = open hours / (team capacity per working hour); then the job's own hours;
    counted in working time only, rounded up to the next quarter hour. With no team
    capacity configured the load cannot be spread and only the job's hours count.
    """
    job_hours = require_decimal(
        hours, translate("Scheduling", "Estimated hours"), Decimal("0"), Decimal("500")
    )
    now = now or clock.now()
    s = settings()
    load = workshop_load()
    minutes = float(job_hours) * 60
    if load.capacity_hours > 0 and load.workday_hours > 0:
        per_hour = load.capacity_hours / load.workday_hours
        minutes += float(load.open_hours / per_hour) * 60
    return round_up_quarter(add_working_minutes(now, minutes, s))
