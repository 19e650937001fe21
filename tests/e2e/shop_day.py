"""The shop's process as steps a walk strings together, each done by the person whose job it is.

Every step works the real windows through what is written on them (see driver.py); the walk
itself says who signs in and in what order, like a day at the shop.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import Qt
from shop_pc import Shop

from shop_desk.validation import display_plate

#: The advisor's panel heading over the requests waiting for the customer (or the insurer).
WAITING_FOR_A_DECISION = (
    "Waiting for a decision: the customer's additional work, the insurer's "
    "supplementary assessments ({n})"
)

SELF_CHECK = (
    "Every item on the task order is done",
    "Bolts and wheel nuts tightened to torque",
    "Fluid levels right, no leaks",
    "No warning lights on the dashboard",
    "Test drive done where needed; the fault is gone",
    "No tools, rags or nuts left in the car",
    "Protective set still in place",
)
GATE_PROMPT = "Scan the gate pass or type its number, check code or the plate:"


@dataclass
class Car:
    """A walk-in customer's car, new to the shop."""

    customer: str = "赵敏"
    phone: str = "13912345678"
    vin: str = "LHGCR2651K8001234"
    plate: str = "粤B12345"
    make: str = "本田 Honda"
    model: str = "雅阁 Accord"
    odometer: str = "30000"


def number(prefix: str, day: dt.date, n: int = 1) -> str:
    """A document number as the shop gives them (RO261102-001: the day's first order)."""
    return f"{prefix}{day:%y%m%d}-{n:03d}"


# -- reception (service advisor) -------------------------------------------------------------
def receive_walk_in(shop: Shop, car: Car) -> str:
    """New customer and car, walk-around with two marks, a standard job and a part, the task
    order previewed, the customer signs on the screen and the car goes to the workshop; the
    order number. Done as the counter does it at the customer's pace: what the VIN tells and
    what was typed once is not typed again; Enter goes on where the hands are on the keys."""
    shop.go("Reception")
    return take_in_walk_in(shop, car)


def take_in_walk_in(shop: Shop, car: Car) -> str:
    """:func:`receive_walk_in` on the Reception page (what the counter walk counts)."""

    def register() -> None:
        shop.type("Name", car.customer)
        shop.type("Phone", car.phone)
        shop.type("VIN", car.vin)  # make, model, year: from the VIN and the shop's cars
        shop.type("Plate", car.plate)
        for name, value in (("Make", car.make), ("Model", car.model)):
            if not shop.field(name).text():  # what the VIN did not tell
                shop.type(name, value)
        shop.type("Odometer (km)", car.odometer)
        shop.click("Save and check in")

    shop.click("New customer or vehicle", then=register)
    assert shop.field("Odometer (km)").text() == car.odometer, shop.describe()  # typed once
    shop.tap_car("left", 0.3, 0.5)  # a scratch: the tool the walk-around starts with
    shop.click("Dent")
    shop.tap_car("front", 0.6, 0.4)
    shop.click("1/2")
    shop.type("Valuables", "行车记录仪 dash camera", enter=True)  # Enter saves and goes on
    assert shop.sees("Maintenance is due (at {km} km)."), shop.describe()  # no sale date known
    shop.type("Customer's complaint, in the customer's own words", "雨刮器刮不干净，需要保养")
    shop.click("Standard 5,000 km service")  # the rules suggest: not covered (maintenance)
    shop.click("Next ▶")
    shop.type("Labour operation or part: type a code or a name", "FLT-AIR", enter=True)
    assert shop.sees("空气滤清器 Air filter")
    shop.press(Qt.Key.Key_Return)  # Enter on the empty field goes on
    shop.click("Print task order", then=lambda: preview(shop))
    shop.sign()
    shop.click("Sign and hand over")
    order = number("RO", shop.day)
    assert shop.sees(order), shop.describe()
    return order


def preview(shop: Shop) -> None:
    """Read the document in the print preview, then Esc."""
    from shop_desk.ui.shell.print_preview import PrintPreviewDialog

    dialog = shop.modal()
    assert isinstance(dialog, PrintPreviewDialog), shop.describe()
    shop.qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=20_000)
    assert dialog.page_count() >= 1, shop.describe()
    shop.press(Qt.Key.Key_Escape, dialog)


# -- workshop board (supervisor) ---------------------------------------------------------------
def dispatch(shop: Shop, car: Car, team: str, technician: str) -> None:
    """Drag the car's card onto the team and pick the technician."""
    shop.go("Workshop")

    def choose() -> None:
        shop.choose("Technician", technician)
        shop.click("Dispatch")

    assert shop.sees("1 car · {waiting} awaiting dispatch · {overdue} overdue"), shop.describe()
    shop.drag(shop.card(display_plate(car.plate)), shop.drop_zone(team), then=choose)
    assert shop.sees("{plate} ({number}) dispatched to {team}."), shop.describe()


# -- station (technician, parts clerk, team leader, QC inspector, washer) ----------------------
def open_job(shop: Shop, order: str, tab: str | None = None) -> None:
    shop.go("My jobs")
    shop.select_row(order)
    if tab:
        shop.click(tab)


def accept_and_start(shop: Shop, order: str, line: str) -> None:
    open_job(shop, order)
    shop.click("Accept the car", then=lambda: shop.click("Accept the car"))
    shop.click("Work")
    shop.select_row(line)
    shop.click("Start")


def request_parts(shop: Shop, order: str, parts: tuple[str, ...]) -> None:
    open_job(shop, order, "Parts")
    for part in parts:
        shop.select_row(part)
        shop.click("Request parts", then=lambda: shop.click("Request"))


def issue_parts(shop: Shop, order: str) -> None:
    open_job(shop, order)
    shop.click("Issue parts", then=lambda: shop.click("Issue and print the slip"))


def sign_slip(shop: Shop, order: str, slip: str) -> None:
    open_job(shop, order, "Parts")
    shop.select_row(slip)
    shop.click("Sign the slip", then=lambda: (shop.sign(), shop.click("Sign the slip")))


def propose_wiper_blades(shop: Shop, order: str) -> None:
    """Additional work (增项): the wiper blades, with their labour, for the customer to decide."""
    open_job(shop, order)

    def propose() -> None:
        shop.type("Catalogue", "WPR")
        shop.click("Replace wiper blades")
        shop.click("WPR-SET")
        shop.type("Reason", "雨刮片老化开裂 wiper blades cracked")
        shop.click("Send for authorisation")

    shop.click("Additional work", then=propose)


def finish_line(shop: Shop, order: str, line: str, start: bool = False) -> None:
    open_job(shop, order, "Work")
    shop.select_row(line)
    if start:
        shop.click("Start")
    shop.click("Finish")


def self_check(shop: Shop, order: str) -> None:
    open_job(shop, order)

    def checklist() -> None:
        shop.tick("All checked")  # every point at once (issue 19)
        assert all(shop.button(item).isChecked() for item in SELF_CHECK)
        shop.click("Self-check passed")

    shop.click("Self-check", then=checklist)


def leader_check(shop: Shop, order: str) -> None:
    open_job(shop, order)

    def sign() -> None:
        shop.type("Repair advice", "下次保养 5,000 km 后 next service in 5,000 km")
        shop.click("Passed — sign as {name}")

    shop.click("Team-leader check", then=sign)


def final_inspection(shop: Shop, order: str, passed: bool = True) -> None:
    open_job(shop, order)

    def decide() -> None:
        if passed:
            shop.click("Passed")
        else:
            shop.type("Reason", "左前轮螺栓未按扭矩拧紧 front left wheel nuts not torqued")
            shop.click("Failed: rework")

    shop.click("Final inspection", then=decide)


def wash(shop: Shop, order: str) -> None:
    open_job(shop, order)
    shop.click("Start the wash")

    def park() -> None:
        shop.click("All checked")  # paint, cabin, boot, engine bay, facing the exit
        shop.type("Parking spot", "P07")
        shop.click("Washed and parked")

    shop.click("Washed and parked", then=park)


def send_back(shop: Shop, order: str, reason: str) -> None:
    """The supervisor sends a washed car back to the workshop from its job on the station."""
    open_job(shop, order)

    def why() -> None:
        shop.type("Reason:", reason)
        shop.click("Send back for rework")

    shop.click("Send back to the workshop…", then=why)


# -- advisor's notices -------------------------------------------------------------------------
def authorise_on_screen(shop: Shop, car: Car) -> None:
    """The customer agrees to all the additional work and signs on the screen."""
    shop.go("Workshop notices")
    table = shop.table_under(WAITING_FOR_A_DECISION)
    shop.select_row(display_plate(car.plate), within=table)
    shop.click("Authorise all")
    shop.click("Signature on screen")
    shop.sign()
    shop.click("Record the decision")
    assert shop.sees("Decision on {number} recorded: {yes} authorised, {no} declined.")


# -- checkout (advisor and cashier) ------------------------------------------------------------
def deliver(
    shop: Shop, order: str, plate: str, at_the_car: Callable[[], None] | None = None
) -> None:
    """Delivery check, the customer told, the walk-around with the customer (``at_the_car``:
    what else is shown there), hand-over."""
    shop.go("Checkout")
    shop.type("Filter by order, plate or customer", plate)  # typed without the middle dot
    shop.select_row(order)
    shop.tick_all("Checked on the car")
    shop.click("Record delivery check")
    shop.click("2 Notify customer")
    shop.choose("How", "Phone call")
    shop.click("Record notice")
    shop.click("3 Delivery")
    if at_the_car is not None:
        at_the_car()
    shop.tick_all("At the car with the customer")
    shop.click("Use the shop's rule")
    shop.type("e.g. 18:00-20:00 or weekday evenings", "工作日晚上 weekday evenings")
    shop.click("Hand over the car")


def take_payment(shop: Shop, order: str, amount: str) -> None:
    shop.go("Checkout")
    shop.select_row(order)
    shop.click("4 Settlement slip")
    assert shop.sees(f"¥{amount}"), shop.describe()
    shop.click("5 Payment")
    shop.choose("Method", "WeChat Pay")
    shop.type("Amount (¥)", amount)
    shop.click("Take payment")
    shop.click("Settle")
    shop.click("6 Gate pass")
    shop.click("Issue gate pass")
    assert shop.sees("Valid, not used yet"), shop.describe()


def let_out(shop: Shop, car: Car, gate_pass: str, by: str) -> None:
    """At the gate window: the pass and the plate both check VALID; the car leaves by ``by``."""
    shop.click("Gate")
    gate = shop.label(GATE_PROMPT).window()
    for text in (gate_pass, car.plate):
        shop.type(GATE_PROMPT, text, within=gate, enter=True)
        assert shop.sees("VALID", within=gate), shop.describe()
    shop.type(GATE_PROMPT, by, within=gate, enter=True)
    shop.click("Let out", within=gate)
    assert shop.sees("{plate} let out at {time}. The follow-up call is scheduled.", within=gate)
    shop.click("Close", within=gate)


# -- after-sales (customer-relations clerk) ----------------------------------------------------
def follow_up_call(shop: Shop, car: Car) -> None:
    shop.go("Follow-up")
    shop.choose("Show", "Due within 3 days")
    shop.select_row(car.customer)

    def record() -> None:
        shop.click("Customer reached")
        shop.click("5 Satisfied")
        shop.click("Yes, the fault is gone")
        shop.type("Comments (the customer's words)", "很满意 very happy")
        shop.click("Save result")

    shop.click("Record the call", then=record)


# -- parts of the day that several walks share ---------------------------------------------------
def walk_in_to_proposal(shop: Shop, car: Car) -> str:
    """The morning of a walk-in: received by 李娜, dispatched by 刘强 to 赵磊, who accepts the
    car, starts the service, draws its parts (issued by 何静, slip signed) and proposes the
    wiper blades as additional work; the order number."""
    shop.start("李娜 Li Na")
    shop.at("08:30")
    order = receive_walk_in(shop, car)
    shop.switch_user("刘强 Liu Qiang")
    dispatch(shop, car, "机修一组 Mechanical 1", "赵磊 Zhao Lei")
    shop.switch_user("赵磊 Zhao Lei")
    shop.at("08:45")
    accept_and_start(shop, order, "5,000 km service")
    request_parts(shop, order, ("Oil filter", "Engine oil", "Air filter"))
    propose_wiper_blades(shop, order)
    shop.switch_user("何静 He Jing")
    issue_parts(shop, order)
    shop.switch_user("赵磊 Zhao Lei")
    sign_slip(shop, order, number("CK", shop.day, 1))
    return order


def checks(shop: Shop, order: str, leader: str, passed: bool = True) -> None:
    """Self-check by the signed-in technician, team-leader check, final inspection."""
    self_check(shop, order)
    shop.switch_user(leader)
    leader_check(shop, order)
    shop.switch_user("郑涛 Zheng Tao")
    final_inspection(shop, order, passed=passed)
