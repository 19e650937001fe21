"""Parts in the workshop (PROCESS.md §4): requests, reservations, the parts issue slip (出库单)
and goods received.

Stock rules: ``Part.stock_qty`` is what is on the shelf, ``Part.reserved_qty`` what is set
aside for orders (``JobLine.parts_reserved`` per line). Issuing takes the part off the shelf
and releases the line's reservation; nobody can take stock reserved for another order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shop_desk import clock
from shop_desk.errors import PermissionDenied, TransitionRefused, ValidationError
from shop_desk.i18n import join_list, translate
from shop_desk.models import (
    JobLine,
    Part,
    PartsIssueLine,
    PartsIssueSlip,
    RepairOrder,
    Signature,
    Staff,
)
from shop_desk.roles import Role
from shop_desk.services.base import audit, get, optional_text, require_decimal, service, snapshot
from shop_desk.services.orders import load_order, move, next_number
from shop_desk.services.workshop import pause_running_lines
from shop_desk.states import State, state_label

ZERO = Decimal("0.00")
MAX_QTY = Decimal("100000")

#: States in which parts may be requested for / issued to an order.
PARTS_STATES = (
    State.IN_PROGRESS,
    State.REWORK,
    State.WAITING_PARTS,
    State.WAITING_AUTHORISATION,
)


def _part(part: Part | int | str) -> Part:
    """A part by instance, id or part number."""
    text = part.strip() if isinstance(part, str) else ""
    if text and not text.isdigit() and text.encode("utf-8", "replace").decode() == text:
        row = Part.get_or_none(Part.part_no == text)
        if row is not None:
            return row
    return get(Part, part, translate("Parts", "Part"))


def find_part(part: Part | int | str) -> Part:
    """A part by instance, id or part number, or NotFound saying so (the counter's basket
    names its parts the same way)."""
    return _part(part)


def _require_parts_state(order: RepairOrder, doing: str) -> None:
    if State(order.state) not in PARTS_STATES:
        raise TransitionRefused(
            translate("Parts", "Cannot {doing}: order {number} is {state}.").format(
                doing=doing, number=order.number, state=state_label(order.state)
            )
        )


def _require_part_line(line: JobLine) -> Part:
    if line.kind != "part" or line.part_id is None:
        raise ValidationError(
            translate(
                "Parts",
                "{line} is not a catalogue part line; parts are drawn only for catalogue parts.",
            ).format(line=line.description),
            "line",
        )
    if line.auth_state != "authorised":
        raise TransitionRefused(
            translate(
                "Parts",
                "{line} is additional work the customer has not authorised; no parts are drawn for it.",
            ).format(line=line.description)
        )
    return line.part


def shortfall(line: JobLine) -> Decimal:
    """Requested but neither issued nor reserved yet."""
    return max(ZERO, line.parts_requested - line.parts_issued - line.parts_reserved)


def reserve(line: JobLine, part: Part, wanted: Decimal) -> Decimal:
    """Reserve up to ``wanted`` of the free stock for ``line``; returns what was reserved."""
    take = max(ZERO, min(wanted, part.available_qty))
    if take > 0:
        before = {
            "part_reserved_qty": part.reserved_qty,
            "line_parts_reserved": line.parts_reserved,
        }
        part.reserved_qty += take
        part.save()
        line.parts_reserved += take
        line.save()
        audit(
            "part",
            part.id,
            before,
            {
                "part_reserved_qty": part.reserved_qty,
                "line_parts_reserved": line.parts_reserved,
                "line": line.id,
            },
        )
    return take


def cover_shortfalls(order: RepairOrder) -> list[str]:
    """Reserve free stock for every authorised part line of ``order`` still short; returns what
    is still missing after that ("part: n short"), empty when the order has all its parts."""
    still_short = []
    for line in JobLine.select().where(
        (JobLine.order == order)
        & (JobLine.kind == "part")
        & (JobLine.auth_state == "authorised")
        & JobLine.part.is_null(False)
    ):
        need = shortfall(line)
        if need <= 0:
            continue
        part = Part.get_by_id(line.part_id)
        got = reserve(line, part, need)
        if got < need:
            still_short.append(
                translate("Parts", "{part}: {short} short").format(part=part.name, short=need - got)
            )
    return still_short


def require_technician(technician: Staff | int) -> Staff:
    """The active technician (or team leader) who receives or hands back parts."""
    tech = get(Staff, technician, translate("Parts", "Technician"))
    if not tech.active or not (tech.role_set() & {Role.TECHNICIAN.value, Role.TEAM_LEADER.value}):
        raise ValidationError(
            translate("Parts", "{name} is not an active technician.").format(name=tech.name),
            "technician",
        )
    return tech


@dataclass(frozen=True)
class PartsRequest:
    """What a request achieved: reserved now, and what is still short (to be ordered)."""

    line: JobLine
    reserved: Decimal
    short: Decimal
    order_state: str


@service(Role.TECHNICIAN, Role.TEAM_LEADER)
def request_parts(
    actor: Staff, line: JobLine | int, quantity: Any, wait_for_parts: bool = True
) -> PartsRequest:
    """Ask the parts counter for a line's parts; stock is reserved, a shortfall can stop the job."""
    line = get(JobLine, line, translate("Parts", "Job line"))
    order = line.order
    _require_parts_state(order, translate("Parts", "request parts"))
    part = _require_part_line(line)
    qty = require_decimal(
        quantity, translate("Parts", "Quantity"), Decimal("0.01"), MAX_QTY, "quantity"
    )
    planned = line.quantity or ZERO
    if line.parts_requested + qty > planned:
        raise ValidationError(
            translate(
                "Parts",
                "The task order lists {planned} of {line}; {requested} are requested already.",
            ).format(planned=planned, line=line.description, requested=line.parts_requested),
            "quantity",
        )
    before = snapshot(line)
    line.parts_requested += qty
    line.save()
    audit("job_line", line.id, before, snapshot(line))
    reserve(line, part, shortfall(line))
    line = JobLine.get_by_id(line.id)
    short = shortfall(line)
    if short > 0 and wait_for_parts and State(order.state) in (State.IN_PROGRESS, State.REWORK):
        pause_running_lines(order, "parts", actor)
        move(order, "wait_parts", actor)
    return PartsRequest(line, line.parts_reserved, short, order.state)


@service(Role.PARTS_CLERK)
def issue_parts(
    actor: Staff, order: RepairOrder | int, items: Mapping[Any, Any], technician: Staff | int
) -> PartsIssueSlip:
    """Hand parts to the technician against the task order on one parts issue slip (出库单)."""
    order = load_order(order)
    _require_parts_state(order, translate("Parts", "issue parts"))
    tech = require_technician(technician)
    if not isinstance(items, Mapping) or not items:
        raise ValidationError(
            translate("Parts", "Choose at least one line to issue parts for."), "items"
        )
    plan: list[tuple[JobLine, Decimal]] = []
    for key, qty_value in dict(items).items():
        line = get(
            JobLine, key.id if isinstance(key, JobLine) else key, translate("Parts", "Job line")
        )
        if any(planned_line.id == line.id for planned_line, _ in plan):
            raise ValidationError(
                translate("Parts", "{line} is listed twice.").format(line=line.description),
                "items",
            )
        if line.order_id != order.id:
            raise ValidationError(
                translate("Parts", "{line} belongs to another order.").format(
                    line=line.description
                ),
                "items",
            )
        _require_part_line(line)
        qty = require_decimal(
            qty_value, translate("Parts", "Quantity"), Decimal("0.01"), MAX_QTY, "items"
        )
        planned = line.quantity or ZERO
        if line.parts_issued + qty > planned:
            raise ValidationError(
                translate(
                    "Parts",
                    "The task order lists {planned} of {line}; {issued} were issued already.",
                ).format(planned=planned, line=line.description, issued=line.parts_issued),
                "items",
            )
        plan.append((line, qty))
    slip = PartsIssueSlip.create(
        order=order,
        number=next_number(PartsIssueSlip, "CK"),
        issued_by=actor,
        technician=tech,
        issued_at=clock.now(),
    )
    parts: dict[int, Part] = {}
    for line, qty in plan:
        part = parts.setdefault(line.part_id, Part.get_by_id(line.part_id))
        own = min(line.parts_reserved, qty)
        free = part.stock_qty - part.reserved_qty + own
        if qty > free:
            raise ValidationError(
                translate(
                    "Parts",
                    "Not enough {part} in stock: {qty} wanted, {free} free (stock {stock}, reserved for "
                    "other orders {other}).",
                ).format(
                    part=part.name,
                    qty=qty,
                    free=max(ZERO, free),
                    stock=part.stock_qty,
                    other=part.reserved_qty - own,
                ),
                "items",
            )
        part_before = {"stock_qty": part.stock_qty, "reserved_qty": part.reserved_qty}
        line_before = snapshot(line)
        part.stock_qty -= qty
        part.reserved_qty -= own
        part.save()
        line.parts_reserved -= own
        line.parts_issued += qty
        if line.parts_issued >= (line.quantity or ZERO):
            line.work_state = "done"
        line.save()
        row = PartsIssueLine.create(slip=slip, line=line, part=part, quantity=qty)
        audit(
            "part",
            part.id,
            part_before,
            {"stock_qty": part.stock_qty, "reserved_qty": part.reserved_qty},
        )
        audit("job_line", line.id, line_before, snapshot(line))
        audit("parts_issue_line", row.id, None, snapshot(row))
    audit("parts_issue_slip", slip.id, None, snapshot(slip))
    return slip


@service(Role.PARTS_CLERK, Role.SUPERVISOR)
def parts_arrived(actor: Staff, order: RepairOrder | int) -> RepairOrder:
    """The missing parts came in: reserve them for the order and let the work go on."""
    order = load_order(order)
    if State(order.state) != State.WAITING_PARTS:
        raise TransitionRefused(
            translate("Parts", "Order {number} is {state}, not waiting for parts.").format(
                number=order.number, state=state_label(order.state)
            )
        )
    still_short = cover_shortfalls(order)
    if still_short:
        raise TransitionRefused(
            translate("Parts", "Parts are still missing for order {number}: {parts}.").format(
                number=order.number, parts=join_list(still_short, clauses=True)
            )
        )
    move(order, "parts_arrived", actor)
    return order


@dataclass(frozen=True)
class StockInfo:
    part_id: int
    part_no: str
    name: str
    unit: str
    stock: Decimal
    reserved: Decimal
    available: Decimal
    bin_location: str
    waiting_orders: list[str]  # orders waiting for parts that need this part


def _waiting_orders(part: Part) -> list[str]:
    """Numbers of the orders waiting for parts that still need ``part``. Read from the few
    waiting orders' lines (a filter on the part would read every line that ever used it)."""
    rows = (
        JobLine.select(JobLine.part, RepairOrder.number)
        .join(RepairOrder)
        .where(
            (RepairOrder.state == State.WAITING_PARTS.value)
            & (JobLine.parts_requested > JobLine.parts_issued + JobLine.parts_reserved)
        )
        .tuples()
    )
    return sorted({number for part_id, number in rows if part_id == part.id})


@service(Role.PARTS_CLERK)
def receive_stock(actor: Staff, part: Part | int | str, quantity: Any, note: str = "") -> StockInfo:
    """Goods received: stock goes up; the orders waiting for this part are listed for the clerk."""
    row = _part(part)
    qty = require_decimal(
        quantity, translate("Parts", "Quantity"), Decimal("0.01"), MAX_QTY, "quantity"
    )
    note = optional_text(note, translate("Parts", "Note"), 200, "note")
    before = {"stock_qty": row.stock_qty}
    row.stock_qty += qty
    row.save()
    audit("part", row.id, before, {"stock_qty": row.stock_qty, "received": qty, "note": note})
    return stock_lookup(row)


@service(Role.TECHNICIAN, Role.TEAM_LEADER)
def sign_issue_slip(
    actor: Staff, slip: PartsIssueSlip | int, signature_png: bytes
) -> PartsIssueSlip:
    """The technician who drew the parts signs the parts issue slip."""
    slip = get(PartsIssueSlip, slip, translate("Parts", "Parts issue slip"))
    return sign_slip(
        actor,
        slip,
        signature_png,
        "parts_issue",
        translate("Parts", "Only {name}, who received the parts, signs slip {number}."),
        translate("Parts", "Parts issue slip {number} is already signed."),
    )


def sign_slip(
    actor: Staff,
    slip: PartsIssueSlip | Any,
    signature_png: Any,
    document: str,
    not_yours: str,
    already: str,
) -> Any:
    """The named technician's signature on a parts slip (issue or return): only he signs, once.
    ``not_yours`` and ``already`` are the refusals, with ``{name}`` and ``{number}``."""
    if not isinstance(signature_png, bytes | bytearray) or not signature_png:
        raise ValidationError(
            translate("Parts", "The signature image is missing; please sign again."), "signature"
        )
    if slip.technician_id is not None and slip.technician_id != actor.id:
        raise PermissionDenied(not_yours.format(name=slip.technician.name, number=slip.number))
    if slip.signed_at is not None:
        raise TransitionRefused(already.format(number=slip.number))
    before = snapshot(slip)
    sig = Signature.create(
        image=bytes(signature_png),
        signer=actor.name,
        document=document,
        order_id=slip.order_id,
        signed_at=clock.now(),
        recorded_by=actor,
    )
    slip.signature = sig
    slip.signed_at = clock.now()
    slip.save()
    audit(slip._meta.table_name, slip.id, before, snapshot(slip))
    return slip


def stock_lookup(part: Part | int | str) -> StockInfo:
    """Stock, reservations and bin of a part (at reception and at the parts counter)."""
    row = _part(part)
    row = Part.get_by_id(row.id)
    return StockInfo(
        part_id=row.id,
        part_no=row.part_no,
        name=row.name,
        unit=row.unit,
        stock=row.stock_qty,
        reserved=row.reserved_qty,
        available=row.available_qty,
        bin_location=row.bin_location,
        waiting_orders=_waiting_orders(row),
    )


def unsigned_slips(technician: Staff | int | None = None) -> list[PartsIssueSlip]:
    """Slips still waiting for the technician's signature (newest first)."""
    q = PartsIssueSlip.select().where(PartsIssueSlip.signed_at.is_null())
    if technician is not None:
        q = q.where(PartsIssueSlip.technician == technician)
    return list(q.order_by(PartsIssueSlip.id.desc()))
