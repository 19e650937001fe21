"""Field service (外出服务) as steps a walk strings together: the call registered and
dispatched on the supervisor's Field service desk, the technician's steps, service report and
satisfaction survey on "My field jobs" (the tablet page), closing, towing in and the penalty
register back on the desk.

Like shop_day.py, every step works the real windows through what is written on them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import shop_day as step
from PySide6.QtCore import Qt
from shop_pc import Shop
from shop_steps_more import KnownCar

from shop_desk.validation import display_plate

SEARCH = "Phone, plate, VIN or name — Enter picks the first match"


@dataclass
class Call:
    """A customer's call that sends people out: whose car, what kind of job, where, what,
    and the customer's time (``HH:MM`` on the walk's day)."""

    car: KnownCar
    kind: str
    place: str
    need: str
    required: str
    within_warranty: bool = True


@dataclass
class Report:
    """The service report (售后服务报告单) as the technician writes it; an empty field is one
    the report still lacks."""

    cause: str = "蓄电池亏电 flat battery"
    solution: str = "更换蓄电池 replaced the battery"
    parts: str = "蓄电池 Battery"
    opinion: str = "满意，来得及时 satisfied"
    missing: list[str] = field(default_factory=list)


# -- the Field service desk (CRM clerk, supervisor, advisor) -----------------------------------
def desk(shop: Shop, tab: str) -> None:
    shop.go("Field service")
    shop.click(tab)


def register_call(shop: Shop, call: Call) -> str:
    """Register the call on Calls: the customer and car found by the plate, the kind, place,
    what the customer needs and their time; the field job's number."""
    desk(shop, "Calls")

    def pick() -> None:
        shop.type(SEARCH, call.car.plate, enter=True)  # Enter picks the car on file
        shop.click("Use")

    def fill() -> None:
        shop.click("Choose", then=pick)
        assert shop.sees(call.car.customer), shop.describe()
        vehicle = shop.field("Vehicle").currentText()  # the car found is the one chosen
        assert display_plate(call.car.plate) in vehicle, shop.describe()
        shop.choose("Kind of job", call.kind)
        shop.type("Place", call.place)
        shop.type("What the customer needs", call.need)
        shop.type("Customer's required arrival time", f"{shop.day:%Y-%m-%d} {call.required}")
        shop.tick("Within warranty (the work is free)", call.within_warranty)
        shop.click("Register")

    shop.click("Register a field job", then=fill)
    number = step.number("FW", shop.day)
    assert shop.sees("Field job {number} registered: it waits for dispatch."), shop.describe()
    assert shop.sees(number), shop.describe()
    return number


def dispatch(shop: Shop, number: str, technician: str, service_vehicle: str) -> None:
    """The supervisor sends ``technician`` with the service vehicle (Dispatch dialog)."""
    desk(shop, "Calls")
    shop.select_row(number)

    def crew() -> None:
        shop.select_row(technician)  # the crew list: the person ticked with the space bar
        shop.press(Qt.Key.Key_Space)
        shop.type("Service vehicle", service_vehicle)
        shop.type("Tools", "诊断仪、搭电线 diagnostic tester, jump leads")
        shop.click("Dispatch")

    shop.click("Dispatch", then=crew)
    assert shop.sees("Field job {number} dispatched."), shop.describe()
    desk(shop, "Out now")
    assert shop.sees(number), shop.describe()


def close(shop: Shop, number: str) -> None:
    """The supervisor closes the job on To close."""
    desk(shop, "To close")
    shop.select_row(number)
    assert shop.sees("The service report and the survey are complete."), shop.describe()
    shop.click("Close the job")
    assert shop.sees("Field job {number} closed."), shop.describe()


def penalties_of(shop: Shop, person: str, kinds: tuple[str, ...]) -> None:
    """The penalty register (Penalties tab) shown for ``person``: one case of each of
    ``kinds``, each on a row of that person, and nothing else."""
    desk(shop, "Penalties")
    shop.choose("Person", person)
    cases, _ = shop.cell(kinds[0], contains=False)
    model = cases.model()
    rows = [
        [str(model.index(row, col).data()) for col in range(model.columnCount())]
        for row in range(model.rowCount())
    ]
    assert len(rows) == len(kinds), rows
    for kind in kinds:
        row = next((r for r in rows if any(shop.matches(kind, cell) for cell in r)), None)
        assert row is not None, f"no {kind!r} in the register: {rows}"
        assert any(shop.matches(person, cell, data=True) for cell in row), row
    assert shop.sees(person, within=shop.table_under("Totals per person")), shop.describe()


def tow_in(shop: Shop, number: str, odometer: str) -> None:
    """The advisor receives the towed car: its repair order opens at reception."""
    desk(shop, "To close")
    shop.select_row(number)
    assert shop.sees("Towed: to receive at reception"), shop.describe()

    def receive() -> None:
        shop.type("Odometer (km)", odometer)
        shop.click("Tow in and open the order")

    shop.click("Tow in", then=receive)


# -- My field jobs (the technician's tablet page) ----------------------------------------------
def open_job(shop: Shop, number: str) -> None:
    """The technician's page, the job's card tapped."""
    shop.go("My field jobs")
    if shop.has_button("‹ My field jobs"):
        shop.click("‹ My field jobs")
    shop.tap(number)
    assert shop.sees("{number} · {kind}"), shop.describe()


def step_on(shop: Shop, button: str, done: str) -> None:
    shop.click("Next step")
    shop.click(button)
    assert shop.sees(done), shop.describe()


def depart(shop: Shop) -> None:
    step_on(shop, "Depart now", "Departed. Drive safely.")


def arrive(shop: Shop, late_reason: str = "", personal: bool = False) -> None:
    """Arrive on site; late, the page asks why (and whether it was personal) first."""
    shop.click("Next step")
    if late_reason:
        shop.click("Arrived on site")  # refused: the reason of the late arrival comes first
        assert shop.sees(
            "The crew arrived after the customer's time ({due}); record the reason for the "
            "late arrival."
        ), shop.describe()
        assert shop.sees("You are late: the customer set {due}. Record why you are late."), (
            shop.describe()
        )
        shop.type("Why you are late (traffic, the weather, a breakdown…)", late_reason)
        shop.tick("Late for a personal reason", personal)
    shop.click("Arrived on site")
    assert shop.sees("Arrived on site."), shop.describe()


def work(shop: Shop, done: str) -> None:
    step_on(shop, "Start work", "Work started.")
    shop.type("The work done on site, in a few words", done)
    shop.click("Work finished")
    assert shop.sees("Work finished. Call the service centre before you leave."), shop.describe()


def cannot_fix(shop: Shop, finding: str) -> None:
    shop.click("Next step")
    shop.click("Cannot fix on site")
    shop.type("What you found", finding)
    shop.click("Cannot fix on site: tow it in")
    assert shop.sees("Recorded: the car is towed in. Call the service centre before you leave."), (
        shop.describe()
    )


def call_leave_return(shop: Shop, back_at: str) -> None:
    """Call the service centre, leave the site, and back at base at ``back_at``."""
    step_on(shop, "I called the service centre", "Call to the service centre recorded.")
    step_on(shop, "Leave the site", "Left the site.")
    shop.at(back_at)
    step_on(
        shop, "Back at base", "Back at base. Hand in the service report and claim your expenses."
    )


def hand_in_report(shop: Shop, report: Report) -> None:
    """Write the service report; an incomplete one is handed in after the warning."""
    shop.click("Service report")
    for label, text in (
        ("Fault cause", report.cause),
        ("Solution", report.solution),
        ("Parts replaced (by name)", report.parts),
        ("Customer's opinion", report.opinion),
    ):
        shop.type(label, text)

    if report.missing:
        assert shop.sees("Still missing: {missing}."), shop.describe()
        for gap in report.missing:
            assert shop.sees(gap), shop.describe()

        def anyway() -> None:
            assert shop.sees(
                "Still missing: {missing}. An incomplete report is a penalty case and the job "
                "cannot be closed until it is complete. Hand it in anyway?"
            ), shop.describe()
            shop.click("Hand in incomplete")

        shop.click("Hand in the service report", then=anyway)
        assert shop.sees("Handed in incomplete at {time}: complete it and hand it in again."), (
            shop.describe()
        )
    else:
        assert shop.sees("The report is complete."), shop.describe()
        shop.click("Hand in the service report")
        assert shop.sees("Handed in complete at {time}."), shop.describe()
    assert shop.sees("Service report handed in."), shop.describe()


def survey(shop: Shop, customer: str) -> None:
    """The customer answers the satisfaction survey and signs on the tablet."""
    shop.click("Survey")
    shop.click("Very satisfied", contains=True)
    shop.type("Comments", "师傅很专业 the technician knew his job")
    assert shop.field("Signed by").text() == customer, shop.describe()
    shop.sign()
    shop.click("Save the survey")
    assert shop.sees("Satisfaction survey saved. Thank the customer."), shop.describe()
    assert shop.sees("signed on the tablet"), shop.describe()
