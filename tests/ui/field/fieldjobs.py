"""Field jobs for the tablet tests, made through the services as the supervisor, the parts
clerk and the crew would, and the tablet page opened as a technician."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from signing import sign  # noqa: F401 - the tablet tests take it from here

from factories import make_customer, make_vehicle
from shop_desk import clock
from shop_desk.models import FieldJob, Part
from shop_desk.services import field

NOW = dt.datetime(2026, 11, 2, 9, 0)


@pytest.fixture
def clock_pinned(db):
    """Pin the clock after the database exists (building the sample template may reset it);
    a module uses it with ``pytestmark = pytest.mark.usefixtures("clock_pinned")``."""
    clock.set_now(NOW)


def settle() -> None:
    for _ in range(6):
        QApplication.processEvents()


def at(hours: float) -> dt.datetime:
    """Move the pinned clock to ``hours`` after NOW."""
    moment = NOW + dt.timedelta(hours=hours)
    clock.set_now(moment)
    return moment


def fresh(row):
    """The row read again from the database."""
    return type(row).get_by_id(row.id)


def dispatched_job(
    staff,
    crew=("tech1",),
    place="沪宁高速 G42 昆山段 km 12",
    within_warranty=True,
    customer_name="李师傅 Li",
    hours_to_arrive=3.0,
    parts: int = 0,
) -> FieldJob:
    """A breakdown registered by the advisor and dispatched by the supervisor to ``crew``;
    ``parts`` parts taken out at the counter."""
    customer = make_customer(name=customer_name, phone="13912345678")
    vehicle = make_vehicle(owner=customer)
    job = field.register_field_job(
        staff["advisor"],
        customer.id,
        place,
        "发动机无法启动 engine will not start",
        clock.now() + dt.timedelta(hours=hours_to_arrive),
        vehicle=vehicle.id,
        within_warranty=within_warranty,
    )
    field.dispatch_field_job(
        staff["supervisor"],
        job.id,
        [staff[login].id for login in crew],
        "服务车 沪A-F001",
        tools="诊断仪 diagnostic tester",
    )
    if parts:
        chosen = Part.select().where(Part.stock_qty >= 2).order_by(Part.id).limit(parts)
        field.issue_field_parts(staff["parts"], job.id, {p.id: "1" for p in chosen})
    return fresh(job)


def open_tablet(make_window, login: str = "tech1"):
    """A main window signed in as ``login`` showing "My field jobs" at a tablet's size."""
    from shop_desk.ui.shell.widgets import app_settings

    app_settings().setValue("main/page", "field_tablet")
    window = make_window(login)
    window.resize(1280, 800)
    page = window.show_page("field_tablet")
    return window, page


def click(qtbot, widget) -> None:
    """Tap a button the way a finger does (it must be there and enabled)."""
    assert widget.isVisible(), widget.objectName()
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def returned_job(staff, parts: int = 0, login: str = "tech1", **kw) -> FieldJob:
    """A job whose crew (``login``) has done the work, called, left the site and is back."""
    job = dispatched_job(staff, crew=(login,), parts=parts, **kw)
    person = staff[login]
    field.depart(person, job.id)
    field.arrive(person, job.id)
    field.start_work(person, job.id)
    field.finish_work(person, job.id, "更换蓄电池 replaced the battery")
    field.call_centre(person, job.id)
    field.leave_site(person, job.id)
    field.return_to_base(person, job.id)
    return fresh(job)
