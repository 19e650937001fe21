"""Appointments: booking with capacity, moves, cancellations, no-shows and the day's read models.

Sample shop: 2 service advisors, 8 bays, 08:30–18:00 (9.5 h), closed on Sundays.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from factories import make_order, make_vehicle
from shop_desk import clock
from shop_desk.errors import (
    ConflictError,
    DomainError,
    PermissionDenied,
    TransitionRefused,
    ValidationError,
)
from shop_desk.models import Appointment, AuditLog, Complaint, Part, Recommendation, RepairOrder
from shop_desk.services import admin, appointments, reception
from shop_desk.states import State

TUE = dt.date(2026, 11, 3)


def at(hh: int, mm: int = 0, day: dt.date = TUE) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(hh, mm))


def book(
    staff,
    vehicle=None,
    slot=None,
    hours="1",
    work="5000公里保养 5,000 km service",
    actor="advisor",
    **kw,
):
    vehicle = vehicle or make_vehicle()
    return appointments.book_appointment(
        staff[actor], vehicle.owner, vehicle, slot or at(10), hours, work, **kw
    )


def test_booking_creates_appointment_and_booked_order(db, staff):
    appt = book(staff, advisor=staff["advisor2"])
    order = appointments.order_of(appt)
    assert appt.status == "booked"
    assert order.state == State.BOOKED.value
    assert order.number == "RO261102-001"
    assert order.appointment_id == appt.id and order.advisor_id == staff["advisor2"].id
    assert order.complaint_text == "5000公里保养 5,000 km service"
    assert not order.walk_in
    assert (
        AuditLog.select()
        .where((AuditLog.action == "book_appointment") & (AuditLog.entity == "repair_order"))
        .exists()
    )


def test_crm_clerk_may_book_but_technician_may_not(db, staff):
    assert book(staff, actor="crm").status == "booked"
    before = Appointment.select().count()
    with pytest.raises(PermissionDenied):
        book(staff, actor="tech1", slot=at(11))
    assert Appointment.select().count() == before


@pytest.mark.parametrize(
    ("slot", "error"),
    [
        (dt.datetime(2026, 11, 2, 8, 30), ValidationError),  # already past (now is Mon 09:00)
        (dt.datetime(2026, 11, 8, 10, 0), DomainError),  # a Sunday
        (at(8, 0), DomainError),  # before opening
        (at(18, 0), DomainError),  # at closing
        (at(10, 10), DomainError),  # not on a slot
    ],
)
def test_time_rules(db, staff, slot, error):
    with pytest.raises(error):
        book(staff, slot=slot)
    assert not Appointment.select().exists() and not RepairOrder.select().exists()


def test_bad_hours_and_missing_work_refused(db, staff):
    with pytest.raises(ValidationError):
        book(staff, hours="0")
    with pytest.raises(ValidationError):
        book(staff, work="  ")


def test_same_vehicle_twice_a_day_refused(db, staff):
    v = make_vehicle()
    book(staff, v, at(9))
    with pytest.raises(DomainError) as err:
        book(staff, v, at(15))
    assert "already has an appointment" in str(err.value)
    assert book(staff, v, at(9, day=TUE + dt.timedelta(days=1))).status == "booked"


def test_advisor_double_booked_refused(db, staff):
    book(staff, slot=at(10), advisor=staff["advisor"])
    with pytest.raises(DomainError) as err:
        book(staff, slot=at(10), advisor=staff["advisor"])
    assert staff["advisor"].name in str(err.value)
    assert book(staff, slot=at(10), advisor=staff["advisor2"]).status == "booked"


def test_non_advisor_cannot_be_the_advisor(db, staff):
    with pytest.raises(ValidationError):
        book(staff, advisor=staff["tech1"])


def test_reception_capacity_is_the_number_of_advisors(db, staff):
    book(staff, slot=at(10))
    book(staff, slot=at(10))
    with pytest.raises(DomainError) as err:
        book(staff, slot=at(10))
    assert "All 2 service advisors" in str(err.value)
    assert Appointment.select().count() == 2
    assert book(staff, slot=at(10, 30)).status == "booked"


def test_bay_capacity_per_slot(db, staff):
    admin.update_settings(staff["admin"], bays=1)
    book(staff, slot=at(10), hours="2")
    with pytest.raises(DomainError) as err:
        book(staff, slot=at(11, 30), hours="1")  # overlaps the first car's bay time
    assert "bays" in str(err.value)
    with pytest.raises(DomainError):
        book(staff, slot=at(9, 30), hours="1")  # would run into it
    assert book(staff, slot=at(12), hours="1").status == "booked"  # right after it


def test_day_hours_capacity(db, staff):
    admin.update_settings(staff["admin"], bays=1)  # 1 bay x 9.5 h
    book(staff, slot=at(8, 30), hours="8")  # bay busy until 16:30
    with pytest.raises(DomainError) as err:
        book(staff, slot=at(16, 30), hours="2")
    assert "fully booked" in str(err.value) and "9.50" in str(err.value)
    assert book(staff, slot=at(16, 30), hours="1.5").status == "booked"  # exactly the capacity


def test_move_appointment_checks_capacity_without_itself(db, staff):
    a = book(staff, slot=at(10))
    b = book(staff, slot=at(10))
    c = book(staff, slot=at(11))
    moved = appointments.move_appointment(
        staff["advisor"], a, at(10), hours="2"
    )  # same slot, longer
    assert moved.hours == Decimal("2.00")
    with pytest.raises(DomainError):
        appointments.move_appointment(staff["advisor"], c, at(10))  # slot is full (2 advisors)
    assert Appointment.get_by_id(c.id).slot_start == at(11)
    appointments.move_appointment(staff["advisor"], b, at(14), advisor=staff["advisor2"])
    assert Appointment.get_by_id(b.id).slot_start == at(14)
    assert appointments.order_of(b).advisor_id == staff["advisor2"].id


def test_two_desks_moving_the_same_appointment_the_second_is_refused(db, staff):
    """Issue 17 item 6: the move carries the version the desk loaded."""
    appt = book(staff, slot=at(10))
    seen = Appointment.get_by_id(appt.id).version
    appointments.move_appointment(staff["advisor"], appt, at(11), expected_version=seen)
    with pytest.raises(ConflictError, match="after you opened it"):
        appointments.move_appointment(staff["crm"], appt, at(14), expected_version=seen)
    assert Appointment.get_by_id(appt.id).slot_start == at(11)


def test_cancel_appointment_cancels_order_and_releases_parts(db, staff):
    appt = book(staff)
    order = appointments.order_of(appt)
    part = Part.get(Part.part_no == "FLT-OIL")
    reception.add_part_line(staff["advisor"], order, part, "2")
    assert Part.get_by_id(part.id).reserved_qty == Decimal("2.00")
    with pytest.raises(ValidationError):
        appointments.cancel_appointment(staff["advisor"], appt, "")
    appointments.cancel_appointment(staff["advisor"], appt, "客户改期 customer will call again")
    order = RepairOrder.get_by_id(order.id)
    assert Appointment.get_by_id(appt.id).status == "cancelled"
    assert order.state == State.CANCELLED.value and "call again" in order.cancelled_reason
    assert Part.get_by_id(part.id).reserved_qty == Decimal("0.00")
    with pytest.raises(TransitionRefused):
        appointments.move_appointment(staff["advisor"], appt, at(15))


def test_no_show_only_after_the_slot_began(db, staff):
    appt = book(staff, slot=at(10))
    with pytest.raises(TransitionRefused):
        appointments.mark_no_show(staff["advisor"], appt)
    assert Appointment.get_by_id(appt.id).status == "booked"
    clock.set_now(at(10, 40))
    appointments.mark_no_show(staff["advisor"], appt)
    assert Appointment.get_by_id(appt.id).status == "no_show"
    assert appointments.order_of(appt).state == State.CANCELLED.value
    with pytest.raises(PermissionDenied):
        appointments.mark_no_show(staff["tech1"], appt)


# ---------------------------------------------------------------------------- read models


def test_day_view_figures(db, staff):
    book(staff, slot=at(10), hours="2")
    book(staff, slot=at(10), hours="1")
    view = appointments.day_view(TUE)
    assert view.open and len(view.slots) == 19  # 08:30 .. 17:30 every 30 minutes
    assert view.capacity_hours == Decimal("76.00") and view.booked_hours == Decimal("3.00")
    assert view.free_hours == Decimal("73.00")
    ten = next(s for s in view.slots if s.start == at(10))
    assert ten.arrivals == 2 and ten.arrivals_free == 0 and ten.full
    assert ten.bays_in_use == 2 and ten.bays_free == 6
    eleven = next(s for s in view.slots if s.start == at(11))
    assert eleven.arrivals == 0 and eleven.bays_in_use == 1 and not eleven.full
    sunday = appointments.day_view(dt.date(2026, 11, 8))
    assert not sunday.open and sunday.slots == []


def test_week_view(db, staff):
    book(staff, slot=at(10), hours="2")
    week = appointments.week_view(dt.date(2026, 11, 2))
    assert [d.date.weekday() for d in week] == list(range(7))
    assert week[1].appointments == 1 and week[1].booked_hours == Decimal("2.00")
    assert not week[6].open and week[6].capacity_hours == Decimal("0")


def test_arrivals_list(db, staff):
    a = book(staff, slot=at(11))
    b = book(staff, slot=at(9))
    c = book(staff, slot=at(12))
    appointments.cancel_appointment(staff["advisor"], c, "sick")
    rows = appointments.arrivals(TUE)
    assert [r.appointment.id for r in rows] == [b.id, a.id]
    assert rows[0].order.state == State.BOOKED.value


def test_preparation_list_shows_parts_and_archive_notes(db, staff):
    v = make_vehicle(odometer=30000)
    clock.set_now(dt.datetime(2026, 10, 20, 10, 0))
    earlier = make_order(State.CLOSED, vehicle=v, number="OLD-1", complaint_text="刹车异响")
    Recommendation.create(
        vehicle=v,
        order=earlier,
        description="更换后刹车片 rear brake pads",
        safety=True,
        state="declined",
        declined_at=clock.now(),
    )
    Complaint.create(
        number="TS-1",
        channel="phone",
        customer=v.owner,
        vehicle=v,
        description="等待时间太长 long wait",
    )
    clock.set_now(dt.datetime(2026, 11, 2, 9, 0))
    appt = book(staff, v, at(10), work="空调不制冷 A/C not cooling")
    order = appointments.order_of(appt)
    compressor = Part.get(Part.part_no == "AC-COMP")  # 1 in stock
    reception.add_part_line(staff["advisor"], order, compressor, "2")
    items = appointments.preparation_list(TUE)
    assert len(items) == 1
    item = items[0]
    assert item.requested_work == "空调不制冷 A/C not cooling"
    assert [(r.part.part_no, r.needed, r.reserved, r.short) for r in item.parts] == [
        ("AC-COMP", Decimal("2.00"), Decimal("1.00"), Decimal("1.00"))
    ]
    assert item.parts_short
    notes = " | ".join(item.notes)
    assert "rear brake pads" in notes and "safety" in notes
    assert "long wait" in notes
    assert "comeback" in notes  # last visit 13 days ago, within the 30-day window
    assert item.archive.visits[0].number == "OLD-1"
