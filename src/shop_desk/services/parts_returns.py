"""Parts returned to stock (退料, PROCESS.md §4): parts issued to a repair order and not used go
back on the shelf on a return slip (退料单) the technician signs and the parts clerk makes.

Stock goes up by what comes back, and the order's part line goes down with it: its quantity
(what the customer is charged for), what was requested and what was issued. The order's totals
are derived from its lines, so they follow by themselves.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from shop_desk import clock
from shop_desk.errors import TransitionRefused, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import (
    JobLine,
    Part,
    PartsReturnLine,
    PartsReturnSlip,
    RepairOrder,
    Staff,
    Vehicle,
)
from shop_desk.roles import Role
from shop_desk.services.base import audit, get, optional_text, require_decimal, service, snapshot
from shop_desk.services.orders import load_order, next_number, touch
from shop_desk.services.parts import MAX_QTY, ZERO, require_technician, sign_slip
from shop_desk.states import State, state_label
from shop_desk.validation import display_plate

#: States in which unused parts can come back: the car is in the workshop, not yet delivered.
RETURN_STATES = (
    State.IN_PROGRESS,
    State.REWORK,
    State.WAITING_PARTS,
    State.WAITING_AUTHORISATION,
    State.FINAL_QC,
    State.WASHING,
    State.READY,
)


def _plan(order: RepairOrder, items: Any) -> list[tuple[JobLine, Decimal]]:
    if not isinstance(items, Mapping) or not items:
        raise ValidationError(
            translate("Parts", "Choose at least one line whose parts come back."), "items"
        )
    plan: list[tuple[JobLine, Decimal]] = []
    for key, qty_value in dict(items).items():
        line = get(
            JobLine, key.id if isinstance(key, JobLine) else key, translate("Parts", "Job line")
        )
        if line.order_id != order.id:
            raise ValidationError(
                translate("Parts", "{line} belongs to another order.").format(
                    line=line.description
                ),
                "items",
            )
        if line.kind != "part" or line.part_id is None:
            raise ValidationError(
                translate("Parts", "{line} is not a catalogue part line.").format(
                    line=line.description
                ),
                "items",
            )
        if any(planned.id == line.id for planned, _ in plan):
            raise ValidationError(
                translate("Parts", "{line} is listed twice.").format(line=line.description),
                "items",
            )
        qty = require_decimal(
            qty_value, translate("Parts", "Quantity"), Decimal("0.01"), MAX_QTY, "items"
        )
        if qty > line.parts_issued:
            raise ValidationError(
                translate(
                    "Parts",
                    "Only {issued} of {line} were issued to order {number}; {qty} cannot come back.",
                ).format(
                    issued=line.parts_issued, line=line.description, number=order.number, qty=qty
                ),
                "items",
            )
        plan.append((line, qty))
    return plan


@service(Role.PARTS_CLERK)
def return_parts(
    actor: Staff,
    order: RepairOrder | int,
    items: Mapping[Any, Any],
    technician: Staff | int,
    reason: str = "",
) -> PartsReturnSlip:
    """Take unused parts back from the technician on one return slip (退料单): stock goes up,
    the order's part lines (and so what the customer pays) go down."""
    order = load_order(order)
    if State(order.state) not in RETURN_STATES:
        raise TransitionRefused(
            translate(
                "Parts", "Parts cannot be returned to stock: order {number} is {state}."
            ).format(number=order.number, state=state_label(order.state))
        )
    tech = require_technician(technician)
    reason = optional_text(reason, translate("Parts", "Reason"), 200, "reason")
    plan = _plan(order, items)
    slip = PartsReturnSlip.create(
        order=order,
        number=next_number(PartsReturnSlip, "TL"),
        received_by=actor,
        technician=tech,
        returned_at=clock.now(),
        reason=reason,
    )
    for line, qty in plan:
        part = Part.get_by_id(line.part_id)
        line_before = snapshot(line)
        stock_before = part.stock_qty
        part.stock_qty += qty
        part.save()
        line.parts_issued -= qty
        line.quantity = (line.quantity or ZERO) - qty
        line.parts_requested = max(
            line.parts_issued + line.parts_reserved, line.parts_requested - qty
        )
        if line.work_state == "done" and line.parts_issued < line.quantity:
            line.work_state = "pending"
        line.save()
        row = PartsReturnLine.create(slip=slip, line=line, part=part, quantity=qty)
        audit(
            "part",
            part.id,
            {"stock_qty": stock_before},
            {"stock_qty": part.stock_qty, "returned": qty, "slip": slip.number},
        )
        audit("job_line", line.id, line_before, snapshot(line))
        audit("parts_return_line", row.id, None, snapshot(row))
    touch(order, actor)
    audit("parts_return_slip", slip.id, None, snapshot(slip))
    return slip


@service(Role.TECHNICIAN, Role.TEAM_LEADER)
def sign_return_slip(
    actor: Staff, slip: PartsReturnSlip | int, signature_png: bytes
) -> PartsReturnSlip:
    """The technician who handed the parts back signs the return slip."""
    slip = get(PartsReturnSlip, slip, translate("Parts", "Return slip"))
    return sign_slip(
        actor,
        slip,
        signature_png,
        "parts_return",
        translate("Parts", "Only {name}, who handed the parts back, signs return slip {number}."),
        translate("Parts", "Return slip {number} is already signed."),
    )


def unsigned_return_slips(technician: Staff | int | None = None) -> list[PartsReturnSlip]:
    """Return slips still waiting for the technician's signature (newest first)."""
    q = PartsReturnSlip.select().where(PartsReturnSlip.signed_at.is_null())
    if technician is not None:
        q = q.where(PartsReturnSlip.technician == technician)
    return list(q.order_by(PartsReturnSlip.id.desc()))


def returnable_orders() -> list[tuple[int, str, str]]:
    """Orders in the workshop with parts issued that could come back: (id, number, plate),
    by number (the parts counter picks one when the technician brings parts back)."""
    rows = (
        RepairOrder.select(RepairOrder.id, RepairOrder.number, Vehicle.plate)
        .join(Vehicle)
        .where(
            RepairOrder.state.in_([s.value for s in RETURN_STATES])
            & RepairOrder.id.in_(
                JobLine.select(JobLine.order).where(
                    (JobLine.kind == "part") & (JobLine.parts_issued > 0)
                )
            )
        )
        .order_by(RepairOrder.number)
        .tuples()
    )
    return [(i, n, display_plate(p) if p else "") for i, n, p in rows]
