"""Staff trained before they work (rulebook 篇一), through the real windows in both languages.

The administrator withdraws 赵磊's mechanical certification on the admin desk (his training
lapsed); a walk-in's service is then dispatched to him by drag on the board: the dispatch
dialog warns that he has no valid certification for the job's skill, OK without a reason is
refused and changes nothing, and the job goes to him on the supervisor's recorded reason, kept
on the order's dispatch event.
"""

from __future__ import annotations

import json

import shop_day as step
from shop_pc import CALENDAR

from shop_desk.models import OrderEvent, RepairOrder, StaffCertification
from shop_desk.validation import display_plate

TECH = "赵磊 Zhao Lei"
REASON = "培训已报名，本周考核 retraining booked this week"


def withdraw_certification(shop, person: str, skill: str, reason: str) -> None:
    """Admin ▸ Staff and roles ▸ the person ▸ Certifications… ▸ the skill ▸ Withdraw…"""
    shop.go("Admin")
    shop.click("Staff and roles")
    shop.select_row(person)

    def certifications() -> None:
        shop.select_row(skill)

        def withdraw() -> None:
            shop.type("Reason", reason)
            shop.click("Withdraw")

        shop.click("Withdraw…", then=withdraw)
        assert shop.sees("The {skill} certification of {name} is withdrawn."), shop.describe()
        shop.click("Close")

    shop.click("Certifications…", then=certifications)


def dispatch_on_reason(shop, car: step.Car, team: str, technician: str, reason: str) -> None:
    """Drag the card onto the team, pick the uncertified technician: warned, refused without a
    reason, dispatched with one."""
    shop.go("Workshop")

    def choose() -> None:
        shop.choose("Technician", technician)
        assert shop.sees(
            "{name} has no valid certification for: {skills}. To go on, give the reason below."
        ), shop.describe()
        shop.click("Dispatch")  # no reason: refused, the dialog stays
        assert shop.sees(
            "{name} has no valid certification for the skill this job needs: {skills}. To "
            "dispatch the job to them anyway, the supervisor must give the reason."
        ), shop.describe()
        shop.type("Reason to go on:", reason)
        shop.click("Dispatch")

    shop.drag(shop.card(display_plate(car.plate)), shop.drop_zone(team), then=choose)
    assert shop.sees("{plate} ({number}) dispatched to {team}."), shop.describe()


def test_dispatch_to_an_uncertified_technician_needs_the_supervisors_reason(shop_factory, lang):
    shop = shop_factory(CALENDAR["mon"])
    shop.start("系统管理员 Admin")
    withdraw_certification(shop, TECH, "Mechanical", "培训过期 training lapsed")
    withdrawn = StaffCertification.get(
        StaffCertification.skill == "mechanical", StaffCertification.withdrawn_at.is_null(False)
    )
    assert withdrawn.staff.name == TECH

    car = step.Car()
    shop.switch_user("李娜 Li Na")
    shop.at("08:30")
    order = step.receive_walk_in(shop, car)
    shop.switch_user("刘强 Liu Qiang")
    dispatch_on_reason(shop, car, "机修一组 Mechanical 1", TECH, REASON)

    row = RepairOrder.get(RepairOrder.number == order)
    assert row.dispatched_at is not None and row.technician.name == TECH
    event = (
        OrderEvent.select().where((OrderEvent.order == row) & (OrderEvent.kind == "dispatch")).get()
    )
    data = event.data if isinstance(event.data, dict) else json.loads(event.data)
    assert data["override_reason"] == REASON and data["uncertified_skills"] == ["mechanical"]
