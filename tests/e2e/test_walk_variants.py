"""Three more days at the shop through the real windows, in English and in Chinese.

- additional work (增项) declined: the technician proposes new wiper blades, the customer says
  no on the phone, the original work is done and checked; the slip has no wiper blades and the
  customer signs that they declined a safety item; gate; follow-up call;
- warranty work: a car sold here 14 months ago comes back with a broken window regulator
  (covered by warranty) and for its 5,000 km service (the customer pays); the slip shows the
  warranty lines as not charged to the customer; gate; follow-up call;
- an appointment booked by phone the day before: the car is picked from Reception's list of
  today's appointments the next morning and received without typing the customer again.
"""

from __future__ import annotations

import datetime as dt

import shop_day as step
import shop_steps_more as more
from shop_pc import CALENDAR

from shop_desk.models import Appointment, FollowUp, GatePass, JobLine, RepairOrder
from shop_desk.states import State


def workshop_day(shop, car, order, team, technician, leader, parts, lines) -> None:
    """From dispatch to the washed car in the finished area (no additional work)."""
    shop.switch_user("刘强 Liu Qiang")
    step.dispatch(shop, car, team, technician)
    shop.switch_user(technician)
    shop.at("10:00")
    step.accept_and_start(shop, order, lines[0])
    step.request_parts(shop, order, parts)
    shop.switch_user("何静 He Jing")
    step.issue_parts(shop, order)
    shop.switch_user(technician)
    step.sign_slip(shop, order, step.number("CK", shop.day, 1))
    shop.at("11:00")
    step.finish_line(shop, order, lines[0])
    for line in lines[1:]:
        step.finish_line(shop, order, line, start=True)
    step.checks(shop, order, leader)
    shop.switch_user("冯军 Feng Jun")
    shop.at("11:30")
    step.wash(shop, order)


# -- 1. additional work declined -----------------------------------------------------------------
def test_additional_work_declined(shop_factory, lang):
    shop = shop_factory(CALENDAR["sun"])
    car = step.Car()
    order = step.walk_in_to_proposal(shop, car)

    shop.switch_user("李娜 Li Na")
    more.decline_by_phone(shop, car)

    shop.switch_user("赵磊 Zhao Lei")
    shop.at("09:10")
    step.finish_line(shop, order, "5,000 km service")
    step.checks(shop, order, "陈刚 Chen Gang")
    shop.switch_user("冯军 Feng Jun")
    shop.at("09:30")
    step.wash(shop, order)

    shop.switch_user("李娜 Li Na")
    shop.at("09:40")
    more.deliver_with_declined_item(shop, order, car.plate, "更换雨刮片 Replace wiper blades")
    more.check_slip(shop, order, "701.00", absent=("Wiper blades",))  # 887.00 − 186.00
    more.pay_gate_and_follow_up(shop, car, order, "701.00")

    row = RepairOrder.get(RepairOrder.number == order)
    assert row.state == State.CLOSED.value
    wipers = [
        ln for ln in JobLine.select().where(JobLine.order == row) if "wiper" in ln.description
    ]
    assert wipers and all(ln.auth_state == "declined" for ln in wipers)
    assert GatePass.get(GatePass.order == row).used_at is not None
    assert FollowUp.get(FollowUp.order == row).state == "done"


# -- 2. warranty work ------------------------------------------------------------------------------
def test_warranty_lines_not_charged(shop_factory, lang):
    day = CALENDAR["month-end"]
    shop = shop_factory(day)
    car = more.KnownCar(sale_date=day - dt.timedelta(days=420))
    more.put_on_file(shop, car)
    shop.start("李娜 Li Na")
    shop.at("09:00")
    order = more.receive_known_car_under_warranty(shop, car)

    workshop_day(
        shop,
        car,
        order,
        "电工组 Electrical",
        "吴昊 Wu Hao",
        "周杰 Zhou Jie",
        ("Oil filter", "Engine oil", "Window regulator"),
        ("5,000 km service", "Replace window regulator"),
    )
    shop.switch_user("李娜 Li Na")
    shop.at("11:40")
    step.deliver(shop, order, car.plate)
    # the customer pays the service (1.0 h × 180 + oil 368 + filter 58); the regulator
    # (1.5 h × 180 + 640) is the manufacturer's
    more.check_slip(shop, order, "606.00", not_charged="910.00")
    more.pay_gate_and_follow_up(shop, car, order, "606.00")

    row = RepairOrder.get(RepairOrder.number == order)
    assert row.state == State.CLOSED.value
    assert row.warranty_decision == "covered"
    assert FollowUp.get(FollowUp.order == row).state == "done"


# -- 3. appointment booked the day before ----------------------------------------------------------
def test_appointment_booked_the_day_before(shop_factory, lang):
    day = CALENDAR["year-end"]
    shop = shop_factory(day)
    car = step.Car(customer="孙丽", phone="13655556666", vin="LFV2A21K8M3000777", plate="粤A77777")
    the_day_before = day - dt.timedelta(days=1)
    shop.at("16:00", the_day_before)
    shop.start("李娜 Li Na")
    more.book_by_phone(shop, car, day, "09:00", "5000公里保养 5,000 km service")
    shop.at("17:30", the_day_before)
    more.preparation_list(shop, car)

    shop.at("08:00")  # the next morning
    shop.switch_user("李娜 Li Na")
    shop.at("09:00")
    order = more.receive_appointment(shop, car)

    workshop_day(
        shop,
        car,
        order,
        "机修一组 Mechanical 1",
        "赵磊 Zhao Lei",
        "陈刚 Chen Gang",
        ("Oil filter", "Engine oil", "Air filter"),
        ("5,000 km service",),
    )
    shop.switch_user("李娜 Li Na")
    shop.at("11:40")
    step.deliver(shop, order, car.plate)
    more.pay_gate_and_follow_up(shop, car, order, "701.00")

    row = RepairOrder.get(RepairOrder.number == order)
    assert row.state == State.CLOSED.value
    appointment = Appointment.get(Appointment.vehicle == row.vehicle)
    assert appointment.slot_start == dt.datetime.combine(day, dt.time(9, 0))
    assert row.appointment_id == appointment.id
    assert FollowUp.get(FollowUp.order == row).state == "done"
