"""A day of switching at one shop PC: every role signs in and out in turn, with print
previews and dialogs opened and closed between the switches (issue 15).

The walk locks the window ("Lock / switch user") and lets the next person sign in more than
two hundred times per language; between the switches each person does what they do at the
front desk: the service advisor opens the task order's print preview, the team leader signs
the team-leader check ("Passed — sign as …") and the parts-issue slip's preview at the
station, the supervisor starts a dispatch on the board and cancels it, the cashier previews
the settlement slip, anyone opens a summary from search. The garbage collector runs after
every switch (``switch_user``); no crash, no error box.
"""

from __future__ import annotations

import datetime as dt
import time
from dataclasses import dataclass, field

from shop_desk.models import JobLine, RepairOrder, Staff, Team
from shop_desk.states import State
from shop_desk.validation import display_plate

#: The walk's day (CALENDAR["tue"] of tests/e2e/conftest.py; not imported from there, as
#: ``conftest`` is another module when tests/ui runs in the same session).
TUESDAY = dt.date(2026, 11, 3)

#: The people of the day, each with their roles' errands (names as the sign-in list shows them).
ADVISOR = "李娜"
SUPERVISOR = "刘强"
LEADER = "陈刚"
TECHNICIAN = "赵磊"
INSPECTOR = "郑涛"
WASHER = "冯军"
PARTS = "何静"
CASHIER = "马丽"
CRM = "林芳"
MANAGER = "王总"
ADMIN = "系统管理员"
EVERYONE = [
    ADVISOR,
    "张伟",
    SUPERVISOR,
    LEADER,
    TECHNICIAN,
    "孙鹏",
    "周杰",
    "吴昊",
    INSPECTOR,
    WASHER,
    PARTS,
    CASHIER,
    CRM,
    MANAGER,
    ADMIN,
]


@dataclass
class Day:
    """The orders the walk's errands work on (prepared before the shop opens)."""

    leader_checks: list[str] = field(default_factory=list)  # plates awaiting 陈刚's check
    slips: list[str] = field(default_factory=list)  # plates with a parts-issue slip
    slip_numbers: list[str] = field(default_factory=list)  # their slips' numbers
    at_reception: list[str] = field(default_factory=list)  # plates checked in, not dispatched
    at_checkout: list[str] = field(default_factory=list)  # numbers of orders settled, at the desk
    to_dispatch: list[str] = field(default_factory=list)  # plates awaiting dispatch


def prepare(db_file, leader_checks: int) -> Day:
    """Orders in the states the walk's dialogs are offered in, made with the services."""
    from factories import make_order, make_vehicle
    from shop_desk.db import close_database, open_database
    from shop_desk.services import parts, workshop

    open_database(db_file)
    try:
        staff = {s.login: s for s in Staff.select()}
        team = Team.get(Team.name.startswith("机修一组"))
        day = Day()
        for n in range(leader_checks):
            order = make_order(
                State.AWAITING_DISPATCH, vehicle=make_vehicle(plate=f"粤C{n + 1:05d}")
            )
            workshop.dispatch(staff["supervisor"], order, team, staff["tech1"], priority=1)
            workshop.accept_car(staff["tech1"], order.id)
            part_line = JobLine.get((JobLine.order == order) & (JobLine.kind == "part"))
            parts.request_parts(staff["tech1"], part_line, 1)
            slip = parts.issue_parts(
                staff["parts"], RepairOrder.get_by_id(order.id), {part_line.id: 1}, staff["tech1"]
            )
            # signed for: an unsigned slip would hold the self-check
            parts.sign_issue_slip(staff["tech1"], slip, b"\x89PNG\r\n\x1a\n" + b"\x00" * 32)
            for line in JobLine.select().where(
                (JobLine.order == order) & (JobLine.kind == "labour")
            ):
                workshop.clock_start(staff["tech1"], line.id)
                workshop.clock_finish(staff["tech1"], line.id)
            from shop_desk.ui.station.reads import SELF_CHECK_ITEMS

            workshop.self_check(
                staff["tech1"], order.id, dict.fromkeys(SELF_CHECK_ITEMS, True), True
            )
            day.leader_checks.append(order.vehicle.plate)
            day.slips.append(order.vehicle.plate)
            day.slip_numbers.append(slip.number)
        for n in range(2):
            order = make_order(State.CHECKED_IN, vehicle=make_vehicle(plate=f"粤D{n + 1:05d}"))
            day.at_reception.append(order.vehicle.plate)
        for n in range(2):
            order = make_order(
                State.AWAITING_DISPATCH, vehicle=make_vehicle(plate=f"粤E{n + 1:05d}")
            )
            day.to_dispatch.append(order.vehicle.plate)
        for n in range(2):
            order = make_order(
                State.SETTLED, paid=True, vehicle=make_vehicle(plate=f"粤F{n + 1:05d}")
            )
            day.at_checkout.append(order.number)
        return day
    finally:
        close_database()


def close_preview(shop) -> None:  # noqa: ANN001 - the walk's Shop
    """Wait until the print preview shows the document (or says why not), then Close it."""
    from shop_desk.ui.shell.print_preview import PrintPreviewDialog

    preview = shop.modal()
    assert isinstance(preview, PrintPreviewDialog), shop.describe()
    shop.qtbot.waitUntil(lambda: not preview.is_busy(), timeout=15_000)
    assert preview.pdf is not None, preview.error_text
    shop.click("Close", within=preview)


class Errands:
    """What each person does at the PC between two switches (one errand per sign-in)."""

    def __init__(self, shop, day: Day) -> None:  # noqa: ANN001
        self.shop = shop
        self.day = day
        self.done: dict[str, int] = {}

    def _count(self, what: str) -> None:
        self.done[what] = self.done.get(what, 0) + 1

    def advisor(self) -> None:
        """The task order's print preview of a reception in progress."""
        shop = self.shop
        shop.go("Reception")
        shop.open_row(display_plate(self.day.at_reception[0]))
        shop.click("Print task &order…", then=lambda: close_preview(shop))
        self._count("task order preview")

    def leader(self) -> None:
        """The team-leader check of the next car: signed while cars wait for it."""
        shop = self.shop
        shop.go("My jobs")
        if self.day.leader_checks:
            plate = self.day.leader_checks.pop(0)
            shop.select_row(display_plate(plate))
            shop.click("Team-leader check…", then=lambda: shop.click("Passed — sign as {name}"))
            shop.wait_for("Team-leader check signed; the car goes to the final inspection.")
            self._count("team-leader check signed")
        else:
            self.technician()

    def technician(self) -> None:
        """The parts-issue slip's print preview at the station."""
        shop = self.shop
        shop.go("My jobs")
        shop.select_row(display_plate(self.day.slips[0]))
        shop.click("Parts")
        shop.select_row(self.day.slip_numbers[0])
        shop.click("Print pre&view", then=lambda: close_preview(shop))
        self._count("parts-issue slip preview")

    def supervisor(self) -> None:
        """A car dragged onto a team on the board; the dispatch dialog is cancelled."""
        shop = self.shop
        shop.go("Workshop")
        card = shop.card(display_plate(self.day.to_dispatch[0]))
        shop.drag(card, shop.drop_zone("机修一组 Mechanical 1"), then=lambda: shop.click("Cancel"))
        self._count("dispatch dialog cancelled")

    def cashier(self) -> None:
        """The settlement slip's print preview at the delivery desk."""
        shop = self.shop
        shop.go("Checkout")
        shop.wait_for(self.day.at_checkout[0])
        shop.select_row(self.day.at_checkout[0])
        shop.click("Print settlement &slip…", then=lambda: close_preview(shop))
        self._count("settlement slip preview")

    def search(self) -> None:
        """An order's summary opened from the search box, then closed."""
        from shop_desk.ui.shell.summaries import OrderSummaryDialog

        shop = self.shop
        number = self.day.at_checkout[-1]
        shop.type("Plate, VIN, phone, name or order number (Ctrl+F)", number, enter=True)
        shop.click("Close", within=shop.window_of(OrderSummaryDialog))
        self._count("order summary from search")

    def nothing(self) -> None:
        """Signs in and looks at the first page (built anew for them)."""
        self._count("plain sign-in")


def test_a_day_of_switching(shop_factory, lang: str) -> None:
    """Every role signs in and out in turn at one PC, previews and dialogs in between."""
    shop = shop_factory(TUESDAY)
    shop.at("07:30")
    day = prepare(shop.db_file, leader_checks=6)
    shop.at("08:00")
    errands = Errands(shop, day)
    round_ = [
        (ADVISOR, errands.advisor),
        (LEADER, errands.leader),
        (SUPERVISOR, errands.supervisor),
        (TECHNICIAN, errands.technician),
        (CASHIER, errands.cashier),
        (CRM, errands.search),
        (INSPECTOR, errands.nothing),
        (LEADER, errands.technician),
        (WASHER, errands.nothing),
        (PARTS, errands.search),
        (MANAGER, errands.nothing),
        ("张伟", errands.advisor),
        ("孙鹏", errands.nothing),
        ("周杰", errands.nothing),
        ("吴昊", errands.nothing),
        (ADMIN, errands.nothing),
    ]
    shop.start(EVERYONE[-1])
    started = time.monotonic()
    switches = 0
    while switches < SWITCHES:
        for who, errand in round_:
            shop.switch_user(who)  # locks, signs in, gc.collect()
            switches += 1
            errand()
            if switches >= SWITCHES:
                break
    took = time.monotonic() - started
    print(f"{lang}: {switches} switches in {took:.1f} s; {errands.done}")
    assert errands.done["team-leader check signed"] == 6
    assert shop.status()


#: Sign-ins per language (issue 15 asks for at least 200).
SWITCHES = 200
