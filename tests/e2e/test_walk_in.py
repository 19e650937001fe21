"""A walk-in's whole day at the shop, through the real windows, by nine people at one PC.

Check-in with a new customer and car → walk-around with marks → estimate with a standard job
and a part → signature → dispatch by drag on the board → accept, clock, parts requested, issued
and the slip signed → additional work proposed, authorised by the advisor, done → self-check,
team-leader check, final inspection (with a rework loop in one variant) → wash → delivery
check, notice, delivery → settlement, payment, gate pass → the gate checks the pass and the
plate and lets the car out → the follow-up call the next day.
"""

from __future__ import annotations

import datetime as dt

import pytest
import shop_day as step
from shop_pc import CALENDAR

from shop_desk.models import FollowUp, GatePass, RepairOrder
from shop_desk.states import State

#: The day's walk runs on every day of the calendar in English, on a few in Chinese.
DAYS = [pytest.param(day, id=name) for name, day in CALENDAR.items()]


def walk_in_day(shop, rework: bool = False, sent_back: bool = False) -> RepairOrder:
    car = step.Car()
    order = step.walk_in_to_proposal(shop, car)

    shop.switch_user("李娜 Li Na")
    step.authorise_on_screen(shop, car)

    shop.switch_user("赵磊 Zhao Lei")
    step.request_parts(shop, order, ("Wiper blades",))
    shop.switch_user("何静 He Jing")
    step.issue_parts(shop, order)
    shop.switch_user("赵磊 Zhao Lei")
    step.sign_slip(shop, order, step.number("CK", shop.day, 2))
    shop.at("09:10")
    step.finish_line(shop, order, "5,000 km service")
    step.finish_line(shop, order, "Replace wiper blades", start=True)
    step.checks(shop, order, "陈刚 Chen Gang", passed=not rework)
    if rework:  # back to the technician: the checks run again, counted as rework
        shop.switch_user("赵磊 Zhao Lei")
        step.finish_line(shop, order, "5,000 km service", start=True)
        step.checks(shop, order, "陈刚 Chen Gang")

    shop.switch_user("冯军 Feng Jun")
    shop.at("09:30")
    step.wash(shop, order)
    if sent_back:  # the supervisor sees a fault on the washed car: checks and wash again
        shop.switch_user("刘强 Liu Qiang")
        shop.at("09:35")
        step.send_back(shop, order, "机油液位偏低 engine oil level low")
        shop.switch_user("赵磊 Zhao Lei")
        step.finish_line(shop, order, "5,000 km service", start=True)
        step.checks(shop, order, "陈刚 Chen Gang")
        shop.switch_user("冯军 Feng Jun")
        shop.at("10:05")
        step.wash(shop, order)

    shop.switch_user("李娜 Li Na")
    shop.at("09:40")
    step.deliver(shop, order, car.plate)

    shop.switch_user("马丽 Ma Li")
    step.take_payment(shop, order, "887.00")
    gate_pass = step.number("MP", shop.day)
    step.let_out(shop, car, gate_pass, by=car.plate if shop.lang == "en" else gate_pass)

    shop.at("18:30", shop.day + dt.timedelta(days=1))
    shop.switch_user("林芳 Lin Fang")
    step.follow_up_call(shop, car)
    return RepairOrder.get(RepairOrder.number == order)


@pytest.mark.parametrize("day", DAYS)
def test_walk_in_from_check_in_to_follow_up(shop_factory, lang, day):
    if lang != "en" and day not in (CALENDAR["mon"], CALENDAR["leap-day"]):
        pytest.skip("the Chinese walk runs on a Monday and on 29 February")
    shop = shop_factory(day)
    order = walk_in_day(shop)
    assert order.state == State.CLOSED.value
    assert order.rework_count == 0
    assert GatePass.get(GatePass.order == order).used_at is not None
    assert FollowUp.get(FollowUp.order == order).state == "done"


def test_walk_in_with_a_rework_loop(shop_factory, lang):
    shop = shop_factory(CALENDAR["fri"])
    order = walk_in_day(shop, rework=True)
    assert order.state == State.CLOSED.value
    assert order.rework_count == 1


def test_walk_in_sent_back_after_the_wash(shop_factory, lang):
    """The supervisor sends the washed car back: it passes the three checks and the wash a
    second time before the advisor may deliver it."""
    shop = shop_factory(CALENDAR["month-end"])
    order = walk_in_day(shop, sent_back=True)
    assert order.state == State.CLOSED.value
    assert order.rework_count == 1
    washes = [e for e in order.events if e.kind == "wash_end"]
    assert len(washes) == 2
