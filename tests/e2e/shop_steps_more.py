"""More of the shop's steps for the walk variants: additional work declined, warranty work,
an appointment booked by phone the day before.

Like shop_day.py, every step works the real windows through what is written on them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import shop_day as step
from shop_day import WAITING_FOR_A_DECISION, Car
from shop_pc import Shop

from shop_desk.validation import display_plate


# -- the shop's records (read, never written, by the walk once the app runs) -------------------
def newest_order_number() -> str:
    """The number of the order the last check-in opened (as the status bar and lists show it)."""
    from shop_desk.models import RepairOrder

    return RepairOrder.select().order_by(RepairOrder.id.desc()).get().number


@dataclass
class KnownCar(Car):
    """A customer's car on file since it was sold here (``sale_date``: its warranty start)."""

    customer: str = "钱伟"
    phone: str = "13722223333"
    vin: str = "LSVAU2181N2105678"
    plate: str = "粤B67890"
    make: str = "大众 Volkswagen"
    model: str = "帕萨特 Passat"
    odometer: str = "24000"
    sale_date: dt.date | None = None


def put_on_file(shop: Shop, car: KnownCar) -> None:
    """Before the shop opens: the car and its owner are in the shop's records (sold here)."""
    from factories import make_customer, make_vehicle
    from shop_desk.db import close_database, open_database

    open_database(shop.db_file)
    try:
        owner = make_customer(name=car.customer, phone=car.phone)
        make_vehicle(
            owner,
            vin=car.vin,
            plate=car.plate,
            sale_date=car.sale_date,
            odometer=int(car.odometer),
            make=car.make,
            model=car.model,
        )
    finally:
        close_database()


# -- driver helpers -----------------------------------------------------------------------------
def table_named(shop: Shop, english: str):  # noqa: ANN201 - a QAbstractItemView
    """The table a screen reader announces as ``english`` (its accessible name): for a table
    whose heading text also appears in a longer label nearby (table_under finds both)."""
    from PySide6.QtWidgets import QAbstractItemView

    found = [
        view
        for view in shop._widgets(QAbstractItemView, None)
        if view.accessibleName() and shop.matches(english, view.accessibleName())
    ]
    return shop._one(found, "table", english)


# -- reception (service advisor) ---------------------------------------------------------------
def walk_around(shop: Shop, car: Car) -> None:
    """The walk-around: a scratch, fuel, valuables, the odometer; on to the complaint."""
    shop.click("Scratch")
    shop.tap_car("left", 0.3, 0.5)
    shop.click("1/2")
    shop.type("Valuables", "无 none")
    shop.type("Odometer (km)", str(int(car.odometer) + 420))
    shop.click("Next ▶")


def sign_and_hand_over(shop: Shop) -> str:
    shop.click("Next ▶")
    shop.sign()
    shop.click("Sign and hand over")
    order = newest_order_number()
    assert shop.sees(order), shop.describe()
    return order


def receive_known_car_under_warranty(shop: Shop, car: KnownCar) -> str:
    """A car on file, found by its plate; the window regulator fails (covered by warranty)
    and the car is due its 5,000 km service (the customer pays for that)."""
    shop.go("Reception")
    shop.type("Find the car: plate, VIN, phone or name", car.plate)
    shop.wait_for(car.customer)
    shop.select_row(car.customer)
    shop.click("Check in ▶")
    walk_around(shop, car)
    shop.type(
        "Customer's complaint, in the customer's own words",
        "左前车窗升不上去，有异响；顺便做保养",
    )
    shop.click("Standard 5,000 km service")
    shop.click("Covered by warranty")
    shop.click("Next ▶")
    shop.type("Labour operation or part: type a code or a name", "WIN-REG", enter=True)
    shop.type("Labour operation or part: type a code or a name", "WIN-MTR", enter=True)
    assert shop.sees("车窗升降器 Window regulator"), shop.describe()
    assert shop.sees("Warranty claim {amount}"), shop.describe()
    return sign_and_hand_over(shop)


def book_by_phone(shop: Shop, car: Car, day: dt.date, time: str, work: str) -> None:
    """The customer calls: a new customer and car, a slot on ``day`` at ``time``."""
    shop.go("Appointments")
    for _ in range((day - shop_today()).days):  # the next day: ▶
        shop.click("▶")

    def register() -> None:
        shop.type("Name", car.customer)
        shop.type("Phone", car.phone)
        shop.type("VIN", car.vin)
        shop.type("Plate", car.plate)
        shop.type("Make", car.make)
        shop.type("Model", car.model)
        shop.type("Odometer (km)", car.odometer)
        shop.click("Save and use")

    def booking() -> None:
        shop.click("Find or register", then=register)
        assert shop.sees(car.customer), shop.describe()
        shop.choose("Time", time + "{rest}")
        shop.type("Requested work", work)
        shop.click("Book")

    shop.click("Book", then=booking)
    assert shop.sees(car.customer), shop.describe()
    assert shop.sees("1 appointment"), shop.describe()  # the day's capacity line


def preparation_list(shop: Shop, car: Car) -> None:
    """Before the day (接待准备): the next working day's list shows the booked car."""
    shop.go("Appointments")
    shop.click("Preparation list")
    assert shop.sees("1 booked car, {short} with parts short"), shop.describe()
    assert shop.sees(car.customer), shop.describe()


def shop_today() -> dt.date:
    from shop_desk import clock

    return clock.today()


def receive_appointment(shop: Shop, car: Car) -> str:
    """Reception on the morning of the booking: the car is picked from today's list,
    customer and car come from the booking (nothing typed again)."""
    shop.go("Reception")
    table = table_named(shop, "Today's appointments")
    shop.select_row(car.customer, within=table)
    assert shop.sees(car.plate[2:]), shop.describe()
    assert shop.sees("Booked today at {time}: {work}. The car is received on this appointment."), (
        shop.describe()
    )
    shop.click("Check in ▶")
    walk_around(shop, car)
    shop.type("Customer's complaint, in the customer's own words", "5000公里保养 5,000 km service")
    shop.click("Standard 5,000 km service")
    shop.click("Not covered")
    shop.click("Next ▶")
    shop.type("Labour operation or part: type a code or a name", "FLT-AIR", enter=True)
    assert shop.sees("空气滤清器 Air filter")
    return sign_and_hand_over(shop)


# -- advisor's notices -------------------------------------------------------------------------
def decline_by_phone(shop: Shop, car: Car) -> None:
    """The customer, called by the advisor, declines the additional work."""
    shop.go("Workshop notices")
    table = shop.table_under(WAITING_FOR_A_DECISION)
    shop.select_row(display_plate(car.plate), within=table)
    shop.click("Decline all")
    shop.click("By phone")
    shop.type("Who decided", car.customer)  # all declined: nobody authorised
    shop.click("Record the decision")
    assert shop.sees("Decision on {number} recorded: {yes} authorised, {no} declined."), (
        shop.describe()
    )


# -- checkout (advisor and cashier) ------------------------------------------------------------
def deliver_with_declined_item(shop: Shop, order: str, plate: str, work: str) -> None:
    """Delivery as in the walk-in; at the car the declined additional work is shown as declined
    on the task order and is already on the car's record as declined recommended work."""

    def shown_declined() -> None:
        explained = shop.box("Work to explain (against the task order)")
        view, wipers = shop.cell(work, within=explained)
        decision = view.model().index(wipers.row(), 2).data()
        assert shop.matches("declined by the customer", decision), decision
        shop.select_row(work, within=shop.box("Recommended work"))

    step.deliver(shop, order, plate, at_the_car=shown_declined)


def check_slip(
    shop: Shop,
    order: str,
    customer_pays: str,
    absent: tuple[str, ...] = (),
    not_charged: str | None = None,
) -> None:
    """The settlement slip: what the customer pays, what is not on it, what is not charged."""
    shop.go("Checkout")
    shop.select_row(order)
    shop.click("4 Settlement slip")
    pays = shop.box("The customer pays")
    assert shop.sees(f"¥{customer_pays}", within=pays), shop.describe()
    slip = table_named(shop, "Settlement slip lines")
    assert shop._cells(slip, "5,000 km service", contains=True), "the slip has no lines"
    for line in absent:
        found = [i.data() for i in shop._cells(slip, line, contains=True)]
        assert not found, f"{line!r} is on the settlement slip: {found}"
    if not_charged is not None:
        box = shop.box("Not charged to the customer")
        assert shop.sees(f"¥{not_charged}", within=box), shop.describe()


def pay_gate_and_follow_up(shop: Shop, car: Car, order: str, amount: str) -> None:
    """The cashier takes the payment and issues the gate pass, the car leaves by the gate,
    the follow-up call the next evening."""
    shop.switch_user("马丽 Ma Li")
    step.take_payment(shop, order, amount)
    gate_pass = step.number("MP", shop.day)
    step.let_out(shop, car, gate_pass, by=car.plate if shop.lang == "en" else gate_pass)
    shop.at("18:30", shop.day + dt.timedelta(days=1))
    shop.switch_user("林芳 Lin Fang")
    step.follow_up_call(shop, car)
