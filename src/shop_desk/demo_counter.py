"""The demo shop's accessory counter (配件零售): the rulebook's exclusions, sales of the last
weeks with a gift, a product refunded within the 15 days with the general manager's approval,
one whose replacement is late, and one waiting for the manager. Every change goes through the
services, on the clock of the demo's history."""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from shop_desk import clock
from shop_desk.models import Part, Staff
from shop_desk.services import approvals, counter, counter_policy, counter_returns

#: The rulebook's exclusions for its devices (天线/外壳/液晶板), kept for accessories.
EXCLUSIONS = ("外壳 housing", "天线 aerial", "显示屏 display panel")


def _free(part_no: str, wanted: int) -> bool:
    part = Part.get_or_none(Part.part_no == part_no)
    return part is not None and part.active and part.available_qty >= wanted


class StaffByLogin(Protocol):
    def __getitem__(self, login: str) -> Staff: ...


def stage_counter(staff: StaffByLogin, work_day: dt.date) -> int:
    """Counter sales and cases before ``work_day`` (staff by login); the number of sales."""
    admin, clerk, manager = staff["admin"], staff["parts"], staff["manager"]
    cashier = staff["cashier"]
    start = dt.datetime.combine(work_day, dt.time(10, 0))
    clock.set_now(start - dt.timedelta(days=30))
    for item in EXCLUSIONS:
        counter_policy.add_exclusion(admin, "accessory", item)
    plan = [
        (20, [("DASHCAM", "1", False), ("BULB-H7", "2", True)], "赵女士", "13611112222"),
        (12, [("WPR-SET", "1", False), ("BULB-H7", "2", False)], "", ""),
        (6, [("BAT-60AH", "1", False)], "孙先生", "13912340001"),
        (1, [("DASHCAM", "1", False)], "周小姐", "13712340002"),
    ]
    sales = []
    for days, lines, name, phone in plan:
        if not all(_free(no, int(qty)) for no, qty, _gift in lines):
            continue
        clock.set_now(start - dt.timedelta(days=days))
        sales.append(
            counter.sell(
                clerk,
                [{"part": no, "quantity": qty, "gift": gift} for no, qty, gift in lines],
                "wechat" if phone else "cash",
                customer_name=name,
                customer_phone=phone,
            )
        )
    by_phone = {s.customer_phone: s for s in sales}
    wipers = next((s for s in sales if not s.customer_phone), None)
    if wipers is not None:  # returned on day 10 for a refund, approved, money back
        clock.set_now(start - dt.timedelta(days=2))
        case = counter_returns.receive_product(
            clerk, counter.sale_lines(wipers)[0], "1", "refund", "刮不干净 leaves streaks"
        )
        counter_returns.record_test_report(clerk, case, "JC-DEMO-1", True, "胶条开裂 rubber split")
        asked = counter_returns.request_case_approval(clerk, case)
        approvals.approve(manager, asked, "1234", "同意退货 return agreed")
        counter_returns.refund_case(cashier, case, "cash")
    zhao = by_phone.get("13611112222")
    if zhao is not None:  # sent in 5 days ago, fault confirmed: the replacement is late
        clock.set_now(start - dt.timedelta(days=5))
        case = counter_returns.receive_product(
            clerk, counter.sale_lines(zhao)[0], "1", "exchange", "无法开机 does not switch on"
        )
        counter_returns.record_test_report(clerk, case, "JC-DEMO-2", True, "主板故障 board")
    sun = by_phone.get("13912340001")
    if sun is not None:  # waiting for the general manager
        clock.set_now(start - dt.timedelta(hours=20))
        case = counter_returns.receive_product(
            clerk, counter.sale_lines(sun)[0], "1", "exchange", "亏电 will not hold a charge"
        )
        counter_returns.record_test_report(clerk, case, "JC-DEMO-3", True, "电芯故障 cell")
        counter_returns.request_case_approval(clerk, case)
    return len(sales)
