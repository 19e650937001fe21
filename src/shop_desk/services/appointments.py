"""Appointments (预约) and the day's capacity; the preparation list (接待准备清单).

A booking creates the appointment and its repair order in state *booked*. Capacity:

* the day is cut into slots of :data:`SLOT_MINUTES` from ``workday_start`` (settings); the
  shop is closed on Sundays;
* reception: each service advisor (active staff with the advisor role) receives one car
  per slot, so a slot takes at most as many arrivals as there are advisors; an advisor
  named on a booking cannot have two at the same slot;
* bays: a booking occupies a bay from its start for its hours; in no slot of the day may
  more cars be booked than ``bays``;
* workshop hours: the booked hours of a day stay within ``bays`` × working hours;
* a vehicle is booked at most once a day.

A refused booking raises :class:`DomainError` whose message says which limit was hit.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import peewee

from shop_desk import clock
from shop_desk.errors import DomainError, TransitionRefused, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import Appointment, Customer, RepairOrder, Staff, StaffRole, Vehicle
from shop_desk.roles import Role
from shop_desk.services import archive as archive_service
from shop_desk.services import scheduling
from shop_desk.services.base import (
    audit,
    check_version,
    get,
    is_datetime,
    optional_text,
    require_decimal,
    require_text,
    service,
    snapshot,
)
from shop_desk.services.customers import vehicle_label
from shop_desk.services.orders import next_number, settings, touch
from shop_desk.states import State

SLOT_MINUTES = 30
ACTIVE = ("booked", "arrived")
STATUSES = ("booked", "arrived", "cancelled", "no_show")
_UNSET: Any = object()


def status_label(status: str) -> str:
    labels = {
        "booked": translate("Appointments", "Booked"),
        "arrived": translate("Appointments", "Arrived"),
        "cancelled": translate("Appointments", "Cancelled"),
        "no_show": translate("Appointments", "No-show"),
    }
    return labels.get(status, status)


def advisors() -> list[Staff]:
    """Active staff holding the service-advisor role (each receives one car per slot)."""
    return list(
        Staff.select()
        .join(StaffRole)
        .where((StaffRole.role == Role.ADVISOR.value) & (Staff.active == True))  # noqa: E712
        .order_by(Staff.name)
    )


def slot_starts(day: dt.date) -> list[dt.datetime]:
    """Slot start times of a working day (none on Sundays)."""
    if not scheduling.is_working_day(day):
        return []
    start, end = scheduling.day_bounds(day)
    out, t = [], start
    while t < end:
        out.append(t)
        t += dt.timedelta(minutes=SLOT_MINUTES)
    return out


def _end(appt: Appointment) -> dt.datetime:
    return appt.slot_start + dt.timedelta(minutes=float(appt.hours) * 60)


def _on_day(day: dt.date, statuses: tuple[str, ...]) -> peewee.Expression:
    """Bookings of ``day`` in one of ``statuses``."""
    start = dt.datetime.combine(day, dt.time(0, 0))
    return (
        (Appointment.slot_start >= start)
        & (Appointment.slot_start < start + dt.timedelta(days=1))
        & (Appointment.status.in_(statuses))
    )


def _day_appointments(
    day: dt.date, exclude_id: int | None = None, statuses: tuple[str, ...] = ACTIVE
) -> list[Appointment]:
    query = Appointment.select().where(_on_day(day, statuses))
    if exclude_id is not None:
        query = query.where(Appointment.id != exclude_id)
    return list(query.order_by(Appointment.slot_start, Appointment.id))


def _bays_in_use(appts: list[Appointment], start: dt.datetime, end: dt.datetime) -> int:
    return sum(1 for a in appts if a.slot_start < end and _end(a) > start)


def _hhmm(t: dt.datetime | dt.time) -> str:
    return t.strftime("%H:%M")


def _check_booking(
    vehicle: Vehicle,
    slot_start: Any,
    hours: Decimal,
    advisor: Staff | None,
    exclude_id: int | None = None,
) -> None:
    """Refuse a booking that breaks a rule or a capacity limit, saying which one."""
    if not is_datetime(slot_start):
        raise ValidationError(
            translate("Appointments", "Choose a date and time for the appointment."), "slot_start"
        )
    if slot_start < clock.now():
        raise ValidationError(
            translate("Appointments", "The appointment time has already passed."), "slot_start"
        )
    day = slot_start.date()
    if not scheduling.is_working_day(day):
        raise DomainError(
            translate("Appointments", "The shop is closed on Sundays; choose another day.")
        )
    open_at, close_at = scheduling.day_bounds(day)
    if not open_at <= slot_start < close_at:
        raise DomainError(
            translate("Appointments", "Appointments are between {start} and {end}.").format(
                start=_hhmm(open_at), end=_hhmm(close_at)
            )
        )
    if slot_start.second or int((slot_start - open_at).total_seconds()) % (SLOT_MINUTES * 60):
        raise DomainError(
            translate(
                "Appointments", "Appointments start every {minutes} minutes from {start}."
            ).format(minutes=SLOT_MINUTES, start=_hhmm(open_at))
        )
    day_appts = _day_appointments(day, exclude_id)
    for other in day_appts:
        if other.vehicle_id == vehicle.id:
            raise DomainError(
                translate(
                    "Appointments",
                    "The vehicle {vehicle} already has an appointment on {date} at {time}.",
                ).format(
                    vehicle=vehicle_label(vehicle),
                    date=day.isoformat(),
                    time=_hhmm(other.slot_start),
                )
            )
    same_slot = [a for a in day_appts if a.slot_start == slot_start]
    if advisor is not None and any(a.advisor_id == advisor.id for a in same_slot):
        raise DomainError(
            translate(
                "Appointments",
                "{advisor} already has an appointment at {time}; choose another advisor or time.",
            ).format(advisor=advisor.name, time=_hhmm(slot_start))
        )
    n_advisors = len(advisors())
    if len(same_slot) >= n_advisors:
        raise DomainError(
            translate(
                "Appointments",
                "All {n} service advisors are booked at {time}; choose another time.",
            ).format(n=n_advisors, time=_hhmm(slot_start))
        )
    s = settings()
    end = slot_start + dt.timedelta(minutes=float(hours) * 60)
    t = slot_start
    while t < min(end, close_at):
        slot_end = t + dt.timedelta(minutes=SLOT_MINUTES)
        if _bays_in_use(day_appts, t, slot_end) >= s.bays:
            raise DomainError(
                translate(
                    "Appointments", "All {n} bays are booked at {time}; choose another time."
                ).format(n=s.bays, time=_hhmm(t))
            )
        t = slot_end
    capacity = Decimal(s.bays) * scheduling.workday_hours(s)
    booked = sum((a.hours for a in day_appts), Decimal("0"))
    if booked + hours > capacity:
        raise DomainError(
            translate(
                "Appointments",
                "{date} is fully booked: {booked} of {capacity} workshop hours are taken and {free} are "
                "left, but this job needs {hours}.",
            ).format(
                date=day.isoformat(),
                booked=booked,
                capacity=capacity,
                free=max(capacity - booked, Decimal("0")),
                hours=hours,
            )
        )


def _advisor(advisor: Staff | int | None) -> Staff | None:
    if advisor is None:
        return None
    row = get(Staff, advisor, translate("Appointments", "Service advisor"))
    if not row.active or Role.ADVISOR.value not in row.role_set():
        raise ValidationError(
            translate("Appointments", "{name} is not an active service advisor.").format(
                name=row.name
            ),
            "advisor",
        )
    return row


def _hours(hours: Any) -> Decimal:
    return require_decimal(
        hours, translate("Appointments", "Estimated hours"), Decimal("0.1"), Decimal("100"), "hours"
    )


@service(Role.ADVISOR, Role.CRM_CLERK, Role.MANAGER)
def book_appointment(
    actor: Staff,
    customer: Customer | int,
    vehicle: Vehicle | int,
    slot_start: dt.datetime,
    hours: Any,
    requested_work: str,
    advisor: Staff | int | None = None,
    notes: str = "",
) -> Appointment:
    """Book a slot: the appointment and its repair order (state booked) are created together."""
    cust = get(Customer, customer, translate("Appointments", "Customer"))
    veh = get(Vehicle, vehicle, translate("Appointments", "Vehicle"))
    work = require_text(
        requested_work, translate("Appointments", "Requested work"), 2000, "requested_work"
    )
    hrs = _hours(hours)
    adv = _advisor(advisor)
    _check_booking(veh, slot_start, hrs, adv)
    appt = Appointment.create(
        customer=cust,
        vehicle=veh,
        advisor=adv,
        slot_start=slot_start,
        hours=hrs,
        requested_work=work,
        notes=optional_text(notes, translate("Appointments", "Notes"), 2000, "notes"),
        status="booked",
        created_at=clock.now(),
    )
    order = RepairOrder.create(
        number=next_number(RepairOrder, "RO"),
        state=State.BOOKED.value,
        customer=cust,
        vehicle=veh,
        advisor=adv,
        appointment=appt,
        walk_in=False,
        complaint_text=work,
        created_at=clock.now(),
        updated_at=clock.now(),
        updated_by=actor,
    )
    audit("appointment", appt.id, None, snapshot(appt))
    audit("repair_order", order.id, None, snapshot(order))
    return appt


def order_of(appointment: Appointment | int) -> RepairOrder | None:
    """The repair order created with the booking."""
    appt = get(Appointment, appointment, translate("Appointments", "Appointment"))
    return (
        RepairOrder.select().where(RepairOrder.appointment == appt).order_by(RepairOrder.id).first()
    )


def _booked(appointment: Appointment | int) -> Appointment:
    appt = get(Appointment, appointment, translate("Appointments", "Appointment"))
    if appt.status != "booked":
        raise TransitionRefused(
            translate(
                "Appointments",
                "This appointment is {status}; only a booked appointment can be changed.",
            ).format(status=status_label(appt.status))
        )
    return appt


@service(Role.ADVISOR, Role.CRM_CLERK, Role.MANAGER)
def move_appointment(
    actor: Staff,
    appointment: Appointment | int,
    slot_start: dt.datetime,
    hours: Any = None,
    advisor: Any = _UNSET,
    expected_version: int | None = None,
) -> Appointment:
    """Another time (and optionally hours or advisor), checked against capacity like a booking.
    With ``expected_version`` (the version the desk loaded) a move made meanwhile at another
    desk is not overwritten: this one is refused."""
    appt = _booked(appointment)
    check_version(appt, expected_version)
    before = snapshot(appt)
    hrs = _hours(hours) if hours is not None else appt.hours
    adv = appt.advisor if advisor is _UNSET else _advisor(advisor)
    _check_booking(appt.vehicle, slot_start, hrs, adv, exclude_id=appt.id)
    appt.slot_start, appt.hours, appt.advisor = slot_start, hrs, adv
    appt.version += 1
    appt.save()
    order = order_of(appt)
    if order is not None and advisor is not _UNSET and order.state == State.BOOKED.value:
        order.advisor = adv
        touch(order, actor)
    audit("appointment", appt.id, before, snapshot(appt))
    return appt


@service(Role.ADVISOR, Role.CRM_CLERK, Role.MANAGER)
def cancel_appointment(actor: Staff, appointment: Appointment | int, reason: str) -> Appointment:
    """The customer cancelled: the appointment and its booked order are cancelled."""
    from shop_desk.services.reception import cancel_booked_order

    appt = _booked(appointment)
    text = require_text(reason, translate("Appointments", "Reason"), 500, "reason")
    before = snapshot(appt)
    appt.status = "cancelled"
    appt.save()
    order = order_of(appt)
    if order is not None and order.state == State.BOOKED.value:
        cancel_booked_order(actor, order, text)
    audit("appointment", appt.id, before, snapshot(appt))
    return appt


@service(Role.ADVISOR, Role.MANAGER)
def mark_no_show(actor: Staff, appointment: Appointment | int) -> Appointment:
    """The customer did not come: possible once the slot has begun."""
    from shop_desk.services.reception import cancel_booked_order

    appt = _booked(appointment)
    if clock.now() < appt.slot_start:
        raise TransitionRefused(
            translate(
                "Appointments",
                "The appointment at {time} has not begun yet; it cannot be a no-show.",
            ).format(time=appt.slot_start.strftime("%Y-%m-%d %H:%M"))
        )
    before = snapshot(appt)
    appt.status = "no_show"
    appt.save()
    order = order_of(appt)
    if order is not None and order.state == State.BOOKED.value:
        cancel_booked_order(actor, order, translate("Appointments", "No-show"))
    audit("appointment", appt.id, before, snapshot(appt))
    return appt


# ---------------------------------------------------------------------------- read models


@dataclass
class SlotView:
    start: dt.datetime
    end: dt.datetime
    appointments: list[Appointment]  # starting in this slot
    advisors_total: int
    bays_total: int
    bays_in_use: int  # bookings that occupy a bay during this slot

    @property
    def arrivals(self) -> int:
        return len(self.appointments)

    @property
    def arrivals_free(self) -> int:
        return max(0, self.advisors_total - self.arrivals)

    @property
    def bays_free(self) -> int:
        return max(0, self.bays_total - self.bays_in_use)

    @property
    def full(self) -> bool:
        return self.arrivals_free == 0 or self.bays_free == 0

    @property
    def booked_advisor_ids(self) -> set[int]:
        return {a.advisor_id for a in self.appointments if a.advisor_id}


@dataclass
class DayView:
    date: dt.date
    open: bool
    slots: list[SlotView] = field(default_factory=list)
    appointments: list[Appointment] = field(default_factory=list)
    advisors: list[Staff] = field(default_factory=list)
    bays: int = 0
    capacity_hours: Decimal = Decimal("0")
    booked_hours: Decimal = Decimal("0")

    @property
    def free_hours(self) -> Decimal:
        return max(Decimal("0"), self.capacity_hours - self.booked_hours)


def day_view(day: dt.date) -> DayView:
    """The day's slots with their bookings, advisors and bays, and the day's workshop hours."""
    s = settings()
    appts = _day_appointments(day)
    people = advisors()
    is_open = scheduling.is_working_day(day)
    view = DayView(
        day,
        is_open,
        appointments=appts,
        advisors=people,
        bays=s.bays,
        booked_hours=sum((a.hours for a in appts), Decimal("0")),
    )
    if not is_open:
        return view
    view.capacity_hours = Decimal(s.bays) * scheduling.workday_hours(s)
    _, close_at = scheduling.day_bounds(day)
    for start in slot_starts(day):
        end = min(start + dt.timedelta(minutes=SLOT_MINUTES), close_at)
        view.slots.append(
            SlotView(
                start,
                end,
                [a for a in appts if a.slot_start == start],
                len(people),
                s.bays,
                _bays_in_use(appts, start, end),
            )
        )
    return view


@dataclass(frozen=True)
class DaySummary:
    date: dt.date
    open: bool
    appointments: int
    booked_hours: Decimal
    capacity_hours: Decimal

    @property
    def free_hours(self) -> Decimal:
        return max(Decimal("0"), self.capacity_hours - self.booked_hours)


def week_days(start: dt.date) -> list[DayView]:
    """Seven days from ``start`` with their slots (the week's slot grid)."""
    return [day_view(start + dt.timedelta(days=i)) for i in range(7)]


def summary_of(view: DayView) -> DaySummary:
    """A day's bookings and hours in one line of the week view."""
    return DaySummary(
        view.date, view.open, len(view.appointments), view.booked_hours, view.capacity_hours
    )


def week_view(start: dt.date) -> list[DaySummary]:
    """Seven days from ``start``: bookings and free workshop hours per day."""
    return [summary_of(view) for view in week_days(start)]


@dataclass(frozen=True)
class ArrivalRow:
    appointment: Appointment
    order: RepairOrder | None
    customer: Customer
    vehicle: Vehicle
    slot_start: dt.datetime
    status: str
    requested_work: str
    advisor: Staff | None


def arrivals(
    day: dt.date, statuses: tuple[str, ...] = ("booked", "arrived", "no_show")
) -> list[ArrivalRow]:
    """The day's appointment list (printed before the day): who comes when, for what.
    Two queries however many bookings: each with its customer, car and advisor, then the
    orders made from them."""
    advisor = Staff.alias()
    appts = list(
        Appointment.select(Appointment, Customer, Vehicle, advisor)
        .join(Customer)
        .switch(Appointment)
        .join(Vehicle)
        .switch(Appointment)
        .join(advisor, peewee.JOIN.LEFT_OUTER, on=(Appointment.advisor == advisor.id))
        .where(_on_day(day, statuses))
        .order_by(Appointment.slot_start, Appointment.id)
    )
    orders: dict[int, RepairOrder] = {}
    if appts:
        for order in (
            RepairOrder.select()
            .where(RepairOrder.appointment.in_([a.id for a in appts]))
            .order_by(RepairOrder.id)
        ):
            orders.setdefault(order.appointment_id, order)  # as order_of: the first one
    return [
        ArrivalRow(
            appt,
            orders.get(appt.id),
            appt.customer,
            appt.vehicle,
            appt.slot_start,
            appt.status,
            appt.requested_work,
            appt.advisor if appt.advisor_id else None,
        )
        for appt in appts
    ]


@dataclass
class PreparationItem:
    appointment: Appointment
    order: RepairOrder | None
    customer: Customer
    vehicle: Vehicle
    requested_work: str
    parts: list  # reception.StockRow per part line of the booked order
    archive: archive_service.VehicleArchive
    notes: list[str]

    @property
    def parts_short(self) -> bool:
        return any(row.short > 0 for row in self.parts)


def preparation_list(day: dt.date) -> list[PreparationItem]:
    """Per booked car: the work, parts to check against stock, and the archive's notes."""
    from shop_desk.services.reception import stock_status

    items = []
    for appt in _day_appointments(day, statuses=("booked",)):
        order = order_of(appt)
        arch = archive_service.vehicle_archive(appt.vehicle, day)
        items.append(
            PreparationItem(
                appt,
                order,
                appt.customer,
                appt.vehicle,
                appt.requested_work,
                stock_status(order) if order is not None else [],
                arch,
                arch.notes(),
            )
        )
    return items
