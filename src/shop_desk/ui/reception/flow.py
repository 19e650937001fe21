"""The steps of a reception and what the desk reads to show them (no widgets)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from shop_desk import clock
from shop_desk.i18n import translate
from shop_desk.models import Appointment, Inspection, JobLine, RepairOrder, Vehicle
from shop_desk.services import appointments as appointment_service
from shop_desk.services import customers as customer_service
from shop_desk.states import State

VEHICLE, INSPECTION, COMPLAINT, ESTIMATE, TASK_ORDER = range(5)
STEP_KEYS = ("vehicle", "inspection", "complaint", "estimate", "task_order")


def step_title(step: int) -> str:
    return (
        translate("ReceptionPage", "Vehicle"),
        translate("ReceptionPage", "Walk-around"),
        translate("ReceptionPage", "Complaint & warranty"),
        translate("ReceptionPage", "Estimate"),
        translate("ReceptionPage", "Task order & signature"),
    )[step]


def vehicle_text(vehicle: Vehicle) -> str:
    return customer_service.vehicle_label(vehicle)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def first_open_step(order: RepairOrder) -> int:
    """The first step of the flow that is not done yet (the task order when all are)."""
    if not Inspection.select().where(Inspection.order == order).exists():
        return INSPECTION
    if not order.complaint_text.strip():
        return COMPLAINT
    has_lines = (
        JobLine.select()
        .where((JobLine.order == order) & (JobLine.auth_state != "declined"))
        .exists()
    )
    if (not has_lines and not order.diagnosis_needed) or order.promised_at is None:
        return ESTIMATE
    return TASK_ORDER


def done_steps(order: RepairOrder | None) -> set[int]:
    if order is None:
        return set()
    done = {VEHICLE}
    if Inspection.select().where(Inspection.order == order).exists():
        done.add(INSPECTION)
    if order.complaint_text.strip():
        done.add(COMPLAINT)
    has_lines = (
        JobLine.select()
        .where((JobLine.order == order) & (JobLine.auth_state != "declined"))
        .exists()
    )
    if (has_lines or order.diagnosis_needed) and order.promised_at is not None:
        done.add(ESTIMATE)
    if order.signed_at is not None:
        done.add(TASK_ORDER)
    return done


# ------------------------------------------------------------------------------ read models


@dataclass(frozen=True)
class InProgressRow:
    order: RepairOrder
    next_step: int
    vehicle: str = ""
    customer: str = ""
    advisor: str = ""


def receptions_in_progress() -> list[InProgressRow]:
    """Orders checked in and not handed over yet (any advisor), oldest first."""
    orders = (
        RepairOrder.select()
        .where(RepairOrder.state == State.CHECKED_IN.value)
        .order_by(RepairOrder.checked_in_at, RepairOrder.id)
    )
    return [
        InProgressRow(
            o,
            first_open_step(o),
            vehicle_text(o.vehicle),
            o.customer.name,
            o.advisor.name if o.advisor_id else "",
        )
        for o in orders
    ]


def todays_appointments() -> list[appointment_service.ArrivalRow]:
    return [
        row
        for row in appointment_service.arrivals(clock.today())
        if row.status in ("booked", "arrived")
    ]


def todays_appointment(vehicle_id: int) -> Appointment | None:
    start = dt.datetime.combine(clock.today(), dt.time(0, 0))
    return (
        Appointment.select()
        .where(
            (Appointment.vehicle == vehicle_id)
            & (Appointment.status == "booked")
            & (Appointment.slot_start >= start)
            & (Appointment.slot_start < start + dt.timedelta(days=1))
        )
        .order_by(Appointment.slot_start)
        .first()
    )


def reception_order_of(vehicle_id: int) -> RepairOrder | None:
    """The vehicle's order that is being received right now (checked in), if any."""
    return (
        RepairOrder.select()
        .where((RepairOrder.vehicle == vehicle_id) & (RepairOrder.state == State.CHECKED_IN.value))
        .first()
    )
