"""GUI test fixtures: sample customers/vehicles/orders and a main window factory."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from factories import make_customer, make_order, make_vehicle
from shop_desk.states import State


class FakeClock:
    """Stands in for time.monotonic in the scanner detector: each reading moves ``step`` s."""

    def __init__(self, step: float) -> None:
        self.t = 1000.0
        self.step = step

    def __call__(self) -> float:
        self.t += self.step
        return self.t


@pytest.fixture
def shop_data(db):
    """Two customers, three vehicles (plates stored with and without the middle dot), orders."""
    wang = make_customer("王建国", "13800138000")
    company = make_customer("顺达物流 Shunda Logistics", "021-64001111", kind="company")
    passat = make_vehicle(wang, vin="LSVAU2A37N2123458", plate="沪A·88K21")
    han = make_vehicle(
        company, vin="LFV2A21K0M4012340", plate="沪BD12345", make="比亚迪 BYD", model="汉 Han"
    )
    transit = make_vehicle(
        company, vin="1M8GDM9AXKP042788", plate="沪B7M203", make="福特 Ford", model="Transit"
    )
    open_order = make_order(State.CHECKED_IN, vehicle=passat, number="RO261102-001")
    old_order = make_order(State.CLOSED, vehicle=passat, number="RO260615-003")
    han_order = make_order(State.IN_PROGRESS, vehicle=han, number="RO261102-002")
    return {
        "wang": wang,
        "company": company,
        "passat": passat,
        "han": han,
        "transit": transit,
        "open_order": open_order,
        "old_order": old_order,
        "han_order": han_order,
    }


@pytest.fixture
def make_window(qtbot, staff) -> Callable:
    """``make_window("advisor")``: a shown main window signed in as that sample account."""
    from shop_desk.ui.shell.main_window import MainWindow

    def make(login: str = "admin") -> MainWindow:
        window = MainWindow(staff[login])
        qtbot.addWidget(window)
        window.show()
        qtbot.waitExposed(window)
        return window

    return make


@pytest.fixture
def fake_clock() -> type[FakeClock]:
    return FakeClock
