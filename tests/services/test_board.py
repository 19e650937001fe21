"""Board read models: the cards of cars in the workshop and each team's load."""

from __future__ import annotations

import datetime as dt
from contextlib import contextmanager
from decimal import Decimal

import pytest

from factories import make_order
from shop_desk import clock
from shop_desk.models import (
    AdditionalWorkRequest,
    JobLine,
    LabourOperation,
    RepairOrder,
    Staff,
    Team,
)
from shop_desk.services import board, workshop
from shop_desk.states import State

T0 = dt.datetime(2026, 11, 2, 9, 0, 0)


def team(prefix: str) -> Team:
    return Team.get(Team.name.startswith(prefix))


@contextmanager
def count_queries(db):
    """Count every SQL statement the code inside runs (wraps the database's execute_sql)."""
    calls: list[str] = []
    original = db.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        calls.append(sql)
        return original(sql, params, *args, **kwargs)

    db.execute_sql = counting
    try:
        yield calls
    finally:
        del db.execute_sql  # back to the class method


def test_board_cards_show_the_workshop_orders_with_names_time_and_flags(db, staff):
    waiting = make_order(
        State.AWAITING_DISPATCH, customer_waiting=True, warranty_decision="pending"
    )
    working = make_order(State.IN_PROGRESS, priority=1, is_comeback=True, advisor=staff["advisor2"])
    AdditionalWorkRequest.create(order=working, reason="pads", proposed_by=staff["tech1"])
    ready = make_order(State.READY, priority=3)
    ready.promised_at = T0 - dt.timedelta(minutes=30)
    ready.save()
    make_order(State.CHECKED_IN)
    make_order(State.DELIVERED)

    cards = board.board_cards(now=T0 + dt.timedelta(minutes=15))
    assert [c.number for c in cards] == [
        working.number,
        waiting.number,
        ready.number,
    ]  # priority 1, 2, 3
    w = cards[0]
    assert w.state == "in_progress" and w.priority == 1
    assert w.plate == working.vehicle.plate[:2] + "·" + working.vehicle.plate[2:]
    assert w.model == "帕萨特 Passat"
    assert w.advisor == staff["advisor2"].name
    assert w.team == team("机修一组").name and w.technician == staff["tech1"].name
    assert w.promised_at == T0 + dt.timedelta(hours=4) and w.minutes_left == 225
    assert (w.customer_waiting, w.warranty_pending, w.comeback, w.additional_work_pending) == (
        False,
        False,
        True,
        True,
    )
    a = cards[1]
    assert (a.customer_waiting, a.warranty_pending, a.comeback, a.additional_work_pending) == (
        True,
        True,
        False,
        False,
    )
    assert a.team == "" and a.technician == "" and a.advisor == staff["advisor"].name
    r = cards[2]
    assert r.minutes_left == -45 and r.overdue
    assert not w.overdue


def test_board_cards_default_to_the_clock_and_decided_requests_do_not_flag(db, staff):
    order = make_order(State.IN_PROGRESS)
    AdditionalWorkRequest.create(
        order=order, reason="done", state="decided", proposed_by=staff["tech1"]
    )
    clock.set_now(T0 + dt.timedelta(hours=5))
    (card,) = board.board_cards()
    assert card.minutes_left == -60 and not card.additional_work_pending


def test_board_cards_without_promised_time(db, staff):
    order = make_order(State.IN_PROGRESS)
    order.promised_at = None
    order.save()
    (card,) = board.board_cards()
    assert card.minutes_left is None and not card.overdue


def _make_orders(db, n: int, staff) -> None:
    states = [State.AWAITING_DISPATCH, State.IN_PROGRESS, State.REWORK, State.READY, State.WASHING]
    with db.atomic():
        for i in range(n):
            order = make_order(states[i % len(states)], customer_waiting=bool(i % 2))
            if i % 3 == 0:
                AdditionalWorkRequest.create(order=order, reason="x", proposed_by=staff["tech1"])


@pytest.mark.parametrize("reader", ["board_cards", "team_load"])
def test_the_number_of_queries_does_not_grow_with_the_number_of_orders(db, staff, reader):
    fn = getattr(board, reader)
    _make_orders(db, 5, staff)
    with count_queries(db) as few:
        result_few = fn()
    _make_orders(db, 45, staff)
    with count_queries(db) as many:
        result_many = fn()
    if reader == "board_cards":
        assert len(result_few) == 5 and len(result_many) == 50
        assert len(few) == 1
    else:
        assert sum(t.assigned_hours for t in result_many) > sum(
            t.assigned_hours for t in result_few
        )
    assert len(few) == len(many), (few, many)


def test_count_queries_does_see_queries(db, staff):
    """The counter itself works (so the test above can fail)."""
    with count_queries(db) as calls:
        list(RepairOrder.select())
        Staff.select().count()
    assert len(calls) == 2


def test_team_load_counts_authorised_hours_of_todays_and_carried_over_jobs(db, staff):
    mech, elec = team("机修一组"), team("电工组")
    today = make_order(State.AWAITING_DISPATCH)  # 1.00 h service
    JobLine.create(
        order=today,
        kind="labour",
        labour_op=LabourOperation.get(code="BRK-F"),
        description="pads",
        hours=Decimal("1.20"),
        rate=Decimal("180"),
    )
    JobLine.create(
        order=today,
        kind="labour",
        description="declined extra",
        hours=Decimal("3.00"),
        rate=Decimal("180"),
        origin="additional",
        auth_state="declined",
    )
    workshop.dispatch(staff["supervisor"], today, mech, staff["tech1"])

    yesterday = T0 - dt.timedelta(days=1)
    carried = make_order(State.IN_PROGRESS)  # team 1 by the factory
    carried.dispatched_at = yesterday
    carried.save()
    finished = make_order(State.FINAL_QC)  # handed to QC: no longer the team's load
    finished.dispatched_at = yesterday
    finished.save()
    electrical = make_order(State.AWAITING_DISPATCH)
    workshop.dispatch(staff["supervisor"], electrical, elec, staff["tech3"])

    loads = {t.name: t for t in board.team_load()}
    m = loads[mech.name]
    assert m.assigned_hours == Decimal("3.20")  # 1.00 + 1.20 today, 1.00 carried over
    assert (
        m.capacity_hours == Decimal("16.00")
        and m.free_hours == Decimal("12.80")
        and not m.over_capacity
    )
    assert m.skills == ["chassis", "mechanical"]
    assert {x.name for x in m.members} == {
        staff["leader1"].name,
        staff["tech1"].name,
        staff["tech2"].name,
    }
    assert m.leader == staff["leader1"].name
    assert loads[elec.name].assigned_hours == Decimal("1.00")
    body = loads[team("钣喷组").name]
    assert body.assigned_hours == Decimal("0.00") and body.leader == ""

    earlier = {t.name: t for t in board.team_load(yesterday.date())}
    assert earlier[mech.name].assigned_hours == Decimal(
        "2.00"
    )  # carried + finished, dispatched yesterday


def test_team_load_flags_over_capacity(db, staff):
    order = make_order(State.AWAITING_DISPATCH)
    JobLine.create(
        order=order, kind="labour", description="paint", hours=Decimal("8.00"), rate=Decimal("180")
    )
    workshop.dispatch(staff["supervisor"], order, team("钣喷组"), staff["tech2"])
    load = board.load_of(team("钣喷组"))
    assert (
        load.assigned_hours == Decimal("9.00")
        and load.over_capacity
        and load.free_hours == Decimal("-1.00")
    )
