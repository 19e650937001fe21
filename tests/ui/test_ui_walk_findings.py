"""What the walk variants (tests/e2e/test_walk_variants.py) found on the screens, each fixed
and pinned here.

- The appointments page counted "1 appointments" in the day's capacity line (and
  "1 cars expected" on the arrivals tab, "1 booked cars" on the preparation list), seen on
  the day before an appointment walk right after the booking.
"""

from __future__ import annotations

import datetime as dt

from shop_desk import clock
from shop_desk.i18n import counted
from shop_desk.services import appointments

TUE = dt.date(2026, 11, 3)


def _page(make_window, day: dt.date):
    from shop_desk.ui.shell.widgets import app_settings

    app_settings().setValue("main/page", "appointments")
    window = make_window("advisor")
    page = window.show_page("appointments")
    page.show_tab("day")
    page.set_day(day)
    return page


def _book(staff, vehicle, start: dt.datetime):
    return appointments.book_appointment(
        staff["advisor"], vehicle.owner, vehicle, start, "1", "5000公里保养 service"
    )


def test_counted_says_one_thing_in_the_singular():
    assert counted(1, "1 bay", "{n} bays") == "1 bay"
    assert counted(0, "1 bay", "{n} bays") == "0 bays"
    assert counted(8, "1 bay", "{n} bays") == "8 bays"


def test_one_booked_car_is_counted_in_the_singular(make_window, staff, shop_data):
    _book(staff, shop_data["passat"], dt.datetime.combine(TUE, dt.time(10)))
    page = _page(make_window, TUE)
    text = page.capacity_label.text()
    assert "2 service advisors · 8 bays · 1 appointment · " in text, text
    assert "1 appointments" not in text
    assert "1.0 of 76.0 workshop hours booked, 75.0 free" in text

    page.show_tab("preparation")
    assert "1 booked car, 0 with parts short" in page.preparation_summary.text()
    assert "1 booked car · printed" in page.preparation_view.toPlainText()


def test_one_expected_arrival_is_counted_in_the_singular(make_window, staff, shop_data):
    today = clock.today()
    _book(staff, shop_data["passat"], dt.datetime.combine(today, dt.time(10)))
    page = _page(make_window, today)
    page.show_tab("arrivals")
    assert "1 car expected, 1 not arrived yet" in page.arrivals_label.text()
    _book(staff, shop_data["han"], dt.datetime.combine(today, dt.time(11)))
    page.refresh_arrivals()
    assert "2 cars expected, 2 not arrived yet" in page.arrivals_label.text()
