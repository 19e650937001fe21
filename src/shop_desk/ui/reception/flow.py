"""The steps of a reception and what the desk reads to show them (no widgets).

Which steps of an order are done, and where to resume it, follow from
:func:`shop_desk.services.reception.signing_problems`: every problem it names is fixed on one
step before the task order (:func:`step_checks`).
"""

from __future__ import annotations

from dataclasses import dataclass

from shop_desk import clock
from shop_desk.i18n import translate
from shop_desk.models import RepairOrder, Vehicle
from shop_desk.services import appointments as appointment_service
from shop_desk.services import customers as customer_service
from shop_desk.services import reception
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


def step_hint(step: int) -> str:
    """The line under the steps that says how to do this one with the keyboard."""
    hints = (
        translate(
            "ReceptionPage",
            "Type the plate and press Enter to choose the car, Enter again to check it in.",
        ),
        translate(
            "ReceptionPage",
            "Tap damage on the car; type the odometer. Enter saves and goes on.",
        ),
        translate(
            "ReceptionPage",
            "Write what the customer says. A standard job adds its work to the estimate.",
        ),
        translate(
            "ReceptionPage",
            "Type to find labour or parts; Enter adds the highlighted one. Enter on an empty field goes on.",
        ),
        translate(
            "ReceptionPage",
            "The customer signs in the box, or on the printed task order (tick “Signed on paper”).",
        ),
    )
    return hints[step] + "  " + translate("ReceptionPage", "Ctrl+Enter: next step.")


def vehicle_text(vehicle: Vehicle) -> str:
    return customer_service.vehicle_label(vehicle)


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# ------------------------------------------------------------------------------ open steps


def step_checks() -> list[tuple[str, int]]:
    """The signing checks that a step before the task order fixes: (the service's words, step).

    The texts are those of :func:`shop_desk.services.reception.signing_problems`; a promised
    time already past and the payment method are checked on the task order step itself."""
    return [
        (translate("Reception", "the walk-around inspection"), INSPECTION),
        (translate("Reception", "the customer's complaint"), COMPLAINT),
        (translate("Reception", "at least one estimate line (or 'diagnosis needed')"), ESTIMATE),
        (translate("Reception", "the promised completion time"), ESTIMATE),
    ]


def open_steps(order: RepairOrder) -> set[int]:
    """The steps before the task order that still leave something for the signature."""
    missing = set(reception.signing_problems(order))
    return {step for text, step in step_checks() if text in missing}


def first_open_step(order: RepairOrder) -> int:
    """The first step of the flow that is not done yet (the task order when all are)."""
    return min(open_steps(order), default=TASK_ORDER)


def done_steps(order: RepairOrder | None) -> set[int]:
    if order is None:
        return set()
    done = {VEHICLE} | ({INSPECTION, COMPLAINT, ESTIMATE} - open_steps(order))
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


def reception_order_of(vehicle_id: int) -> RepairOrder | None:
    """The vehicle's order that is being received right now (checked in), if any."""
    return (
        RepairOrder.select()
        .where((RepairOrder.vehicle == vehicle_id) & (RepairOrder.state == State.CHECKED_IN.value))
        .first()
    )
