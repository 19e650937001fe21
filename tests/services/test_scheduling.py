"""Promised completion time from the workshop's load (sample shop: 08:30–18:00, teams 16+16+8 h)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from factories import make_order
from shop_desk.errors import ValidationError
from shop_desk.models import JobLine, LabourOperation
from shop_desk.services import admin, scheduling
from shop_desk.states import State

MON = dt.datetime(2026, 11, 2, 9, 0)


def _load(order, hours, **kw):
    op = LabourOperation.get(LabourOperation.code == "ENG-MNT")
    return JobLine.create(
        order=order,
        kind="labour",
        labour_op=op,
        description=op.name,
        hours=Decimal(hours),
        rate=Decimal("180"),
        category="general",
        **kw,
    )


def test_round_up_quarter():
    r = scheduling.round_up_quarter
    assert r(dt.datetime(2026, 11, 2, 9, 0)) == dt.datetime(2026, 11, 2, 9, 0)
    assert r(dt.datetime(2026, 11, 2, 9, 0, 1)) == dt.datetime(2026, 11, 2, 9, 15)
    assert r(dt.datetime(2026, 11, 2, 9, 14, 59)) == dt.datetime(2026, 11, 2, 9, 15)
    assert r(dt.datetime(2026, 11, 2, 9, 45, 30)) == dt.datetime(2026, 11, 2, 10, 0)
    assert r(dt.datetime(2026, 11, 2, 23, 50)) == dt.datetime(2026, 11, 3, 0, 0)


def test_empty_workshop_promises_the_job_hours(db):
    assert scheduling.suggest_promised_time("2", now=MON) == dt.datetime(2026, 11, 2, 11, 0)
    assert scheduling.suggest_promised_time(Decimal("1.1"), now=MON) == dt.datetime(
        2026, 11, 2, 10, 15
    )
    assert scheduling.suggest_promised_time(0, now=MON) == MON


def test_working_hours_skip_nights_and_sundays(db):
    assert scheduling.suggest_promised_time(2, now=dt.datetime(2026, 11, 2, 17, 0)) == dt.datetime(
        2026, 11, 3, 9, 30
    )
    saturday = dt.datetime(2026, 11, 7, 17, 0)
    assert scheduling.suggest_promised_time(2, now=saturday) == dt.datetime(2026, 11, 9, 9, 30)
    assert scheduling.suggest_promised_time(1, now=dt.datetime(2026, 11, 2, 7, 0)) == dt.datetime(
        2026, 11, 2, 9, 30
    )
    sunday = dt.datetime(2026, 11, 8, 10, 0)
    assert scheduling.suggest_promised_time(1, now=sunday) == dt.datetime(2026, 11, 9, 9, 30)


def test_working_hours_follow_the_settings(db, staff):
    admin.update_settings(staff["admin"], workday_start="09:00", workday_end="17:00")
    assert scheduling.suggest_promised_time(2, now=dt.datetime(2026, 11, 2, 16, 0)) == dt.datetime(
        2026, 11, 3, 10, 0
    )
    assert scheduling.workday_hours() == Decimal("8.00")


def test_load_of_assigned_and_unassigned_hours_delays_the_promise(db):
    working = make_order(State.IN_PROGRESS, number="LOAD-1")  # factory line: 1.00 h, team set
    _load(working, "19")
    waiting = make_order(State.AWAITING_DISPATCH, number="LOAD-2")  # 1.00 h, no team yet
    _load(waiting, "19")
    load = scheduling.workshop_load()
    assert load.assigned_hours == Decimal("20.00")
    assert load.unassigned_hours == Decimal("20.00")
    assert load.capacity_hours == Decimal("40.00")
    assert load.days_of_work == Decimal("1.00")
    # 40 open hours fill one working day (9.5 h); then the 1 h job: Mon 09:00 + 10.5 h -> Tue 10:00
    assert scheduling.suggest_promised_time(1, now=MON) == dt.datetime(2026, 11, 3, 10, 0)


def test_done_declined_and_not_yet_handed_over_work_do_not_count(db):
    working = make_order(State.IN_PROGRESS, number="LOAD-3", lines=False)
    _load(working, "5", work_state="done")
    _load(working, "5", auth_state="proposed")
    _load(working, "5", auth_state="declined")
    reception = make_order(State.CHECKED_IN, number="LOAD-4", lines=False)
    _load(reception, "30")
    load = scheduling.workshop_load()
    assert load.open_hours == Decimal("0")
    assert scheduling.suggest_promised_time(1, now=MON) == dt.datetime(2026, 11, 2, 10, 0)


def test_without_team_capacity_only_the_job_counts(db, staff):
    working = make_order(State.IN_PROGRESS, number="LOAD-5")
    _load(working, "50")
    from shop_desk.models import Team

    Team.update(active=False).execute()
    assert scheduling.workshop_load().capacity_hours == Decimal("0")
    assert scheduling.suggest_promised_time(1, now=MON) == dt.datetime(2026, 11, 2, 10, 0)


@pytest.mark.parametrize("hours", ["abc", -1, "600"])
def test_bad_hours_refused(db, hours):
    with pytest.raises(ValidationError):
        scheduling.suggest_promised_time(hours, now=MON)
