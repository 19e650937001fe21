"""Parts in and out and the accessory counter (issue 22) through the real windows, by the
people whose job each step is, at one PC, in English and in Chinese:

- a shortage ordered and received: the technician's service waits for engine oil and an oil
  filter the shelf lacks; the parts clerk raises a supplier order for what the job lacks from
  the parts counter, sends it, prints it for the supplier and books it in in two deliveries
  (the oil filter first: the job still waits; then the oil: the job goes on);
- a counter sale returned on day 14 and refused on day 16: a dash camera sold with its receipt
  comes back on day 14 with a quality fault, the test report confirms it, the general manager
  approves in the Approvals in-tray and the replacement goes out; a battery of another sale
  brought back for the money on day 16 is refused, in words.
"""

from __future__ import annotations

import datetime as dt

import shop_day as step
import shop_parts as pp
from shop_pc import CALENDAR

from shop_desk.models import CounterCase, CounterSale, Part, RepairOrder, SupplierOrder
from shop_desk.states import State

TECH = "赵磊 Zhao Lei"
OIL, FILTER = "Engine oil", "Oil filter"


# -- 1. a shortage ordered and received --------------------------------------------------------------
def test_a_shortage_is_ordered_and_received(shop_factory, lang):
    shop = shop_factory(CALENDAR["wed"])
    pp.out_of_stock(shop, "OIL-5W30-4L", "FLT-OIL")
    car = step.Car()
    shop.start("李娜 Li Na")
    shop.at("08:30")
    order = step.receive_walk_in(shop, car)
    shop.switch_user("刘强 Liu Qiang")
    step.dispatch(shop, car, "机修一组 Mechanical 1", TECH)
    shop.switch_user(TECH)
    shop.at("08:45")
    step.accept_and_start(shop, order, "5,000 km service")
    step.request_parts(shop, order, (FILTER, OIL))
    assert shop.sees("Waiting for parts"), shop.describe()
    assert RepairOrder.get(RepairOrder.number == order).state == State.WAITING_PARTS.value

    shop.switch_user(pp.CLERK)
    shop.at("09:00")
    numbers: list[str] = []

    def raise_and_send() -> None:
        pp.new_supplier(shop, pp.SUPPLIER, "13912345678")
        numbers.append(pp.order_what_the_job_lacks(shop, order, (FILTER, OIL)))
        pp.send(shop, numbers[0])
        pp.print_order(shop, numbers[0])

    pp.supplier_orders(shop, order, raise_and_send)
    number = numbers[0]
    so = SupplierOrder.get(SupplierOrder.number == number)
    assert so.state == "sent" and so.repair_order.number == order
    assert so.supplier.name == pp.SUPPLIER
    assert sorted(line.part.part_no for line in so.lines) == ["FLT-OIL", "OIL-5W30-4L"]

    shop.at("14:00")  # the oil filter comes first

    def first_delivery() -> None:
        pp.receive(shop, number, "送货单 A-0917", not_yet=(OIL,))
        assert shop.sees("Still waiting for other parts: {orders}."), shop.describe()
        assert shop.sees("Partly received"), shop.describe()

    pp.supplier_orders(shop, order, first_delivery)
    assert SupplierOrder.get_by_id(so.id).state == "part_received"
    assert RepairOrder.get(RepairOrder.number == order).state == State.WAITING_PARTS.value
    assert shop.sees("Waiting for parts"), shop.describe()

    shop.at("16:30")  # then the oil

    def second_delivery() -> None:
        pp.receive(shop, number, "送货单 A-0921")
        assert shop.sees("These orders can go on: {orders}."), shop.describe()
        assert shop.sees(order), shop.describe()

    pp.supplier_orders(shop, order, second_delivery)
    assert shop.sees("In progress"), shop.describe()  # the station read the job again
    assert not shop.sees("Waiting for parts"), shop.describe()
    so = SupplierOrder.get_by_id(so.id)
    assert so.state == "received"
    assert [(line.part.part_no, line.received_qty) for line in so.lines] == [
        (line.part.part_no, line.quantity) for line in so.lines
    ]
    repair = RepairOrder.get(RepairOrder.number == order)
    assert repair.state == State.IN_PROGRESS.value
    for part_no in ("FLT-OIL", "OIL-5W30-4L"):
        part = Part.get(Part.part_no == part_no)
        assert part.stock_qty == part.reserved_qty > 0  # booked in and kept for the job


# -- 2. a counter sale returned on day 14, another refused on day 16 ----------------------------------
def test_a_counter_sale_returned_on_day_14_and_refused_on_day_16(shop_factory, lang):
    shop = shop_factory(CALENDAR["mon"])
    sold_on = shop.day
    dash_cam = pp.Sale("DASHCAM 行车记录仪 Dash camera", "陈明", "13800138000")
    battery = pp.Sale("BAT-60AH 蓄电池 60Ah Battery", "刘洋", "13900139000", reference="WX-4200002")
    shop.at("09:10")
    shop.start(pp.CLERK)
    first = pp.sell(shop, dash_cam, 1)
    shop.at("10:40")
    second = pp.sell(shop, battery, 2)
    sale = CounterSale.get(CounterSale.number == first)
    assert (sale.customer_name, sale.customer_phone, sale.sold_by.name) == (
        dash_cam.customer,
        dash_cam.phone,
        pp.CLERK,
    )
    assert str(sale.total) == "599.00"

    # day 14: the dash camera comes back with a quality fault
    day14 = sold_on + dt.timedelta(days=14)
    shop.at("10:00", day14)
    pp.find_sale(shop, first, "Dash camera")
    assert shop.sees(
        "Sold on {date}, {n} day(s) ago: within the {window}-day exchange (exchange or refund "
        "for a quality fault); warranty ({period}) until {end}."
    ), shop.describe()
    assert shop.sees("14"), shop.describe()
    case = pp.take_back(shop, "exchange", "开机后黑屏 the screen stays black")
    pp.test_report(
        shop, "JC-2611-01", "通电检测：主板故障，外观完好 main board fault, housing intact"
    )
    assert shop.sees(
        "Quality fault within the exchange window: the customer gets a replacement or the "
        "money back, with the general manager's approval."
    ), shop.describe()
    shop.click("Ask the general manager")
    assert shop.sees("Asked the general manager to approve {amount} for case {number}."), (
        shop.describe()
    )
    shop.click("Send the replacement")  # too early: the general manager has not decided
    assert shop.sees("The {what} waits for the general manager's approval."), shop.describe()
    assert CounterCase.get(CounterCase.number == case).state == "fault_confirmed"

    shop.switch_user(pp.MANAGER)
    shop.at("10:20", day14)
    pp.approve_in_tray(shop, case)

    shop.switch_user(pp.CLERK)
    shop.at("10:30", day14)
    pp.find_sale(shop, first)
    shop.select_row(case)
    shop.click("Send the replacement")
    assert shop.sees("The replacement for case {number} went out."), shop.describe()
    assert shop.sees("Replacement sent"), shop.describe()
    row = CounterCase.get(CounterCase.number == case)
    assert row.state == "replaced" and row.quality_fault and row.report_no == "JC-2611-01"
    assert row.approval.state == "used" and row.approval.decided_by.name == pp.MANAGER
    assert row.closed_by.name == pp.CLERK and row.received_at.date() == day14

    # day 16: the battery of the other sale is brought back for the money: refused, in words
    day16 = sold_on + dt.timedelta(days=16)
    shop.at("11:00", day16)
    pp.find_sale(shop, second, "Battery")
    words = (
        "Sold on {date}, {n} days ago: the {window}-day exchange is over (no refund); under "
        "warranty ({period}) until {end}: a quality fault gets a replacement."
    )
    assert shop.sees(words), shop.describe()

    def ask_for_the_money() -> None:
        shop.choose("The customer asks for", "refund")
        shop.type("Fault in the customer's words", "电量不足 it does not hold its charge")
        shop.click("Take it back")
        assert shop.sees("A refund is possible only within {window} days of the sale. {why}"), (
            shop.describe()
        )
        assert shop.sees("16"), shop.describe()
        shop.click("Cancel")

    shop.click("Take the product back…", then=ask_for_the_money)
    battery_sale = CounterSale.get(CounterSale.number == second)
    assert (
        not CounterCase.select()
        .join_from(CounterCase, CounterCase.line.rel_model)
        .where(CounterCase.line.rel_model.sale == battery_sale)
        .exists()
    )
