"""Purchasing at the parts counter (PROCESS.md §4): suppliers, supplier orders (采购单) raised
from a repair order waiting for parts or from stock below its reorder level, and receiving
them. Receiving books the parts into stock (partial receipts too), reserves them for the
repair orders that waited and lets those orders go on, all in the same transaction.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from shop_desk import clock
from shop_desk.errors import TransitionRefused, ValidationError
from shop_desk.i18n import join_list, translate
from shop_desk.models import (
    JobLine,
    Part,
    RepairOrder,
    Staff,
    Supplier,
    SupplierOrder,
    SupplierOrderLine,
)
from shop_desk.purchasing_states import OPEN_ORDER_STATES, OrderState, order_target
from shop_desk.roles import Role
from shop_desk.services.base import (
    audit,
    get,
    get_by_number,
    optional_text,
    require_decimal,
    require_text,
    service,
    snapshot,
)
from shop_desk.services.orders import load_order, move, next_number
from shop_desk.services.parts import MAX_QTY, ZERO, cover_shortfalls, shortfall
from shop_desk.states import State, state_label
from shop_desk.validation import check_phone

# --------------------------------------------------------------------------- suppliers


@service(Role.PARTS_CLERK, Role.ADMIN, Role.MANAGER)
def save_supplier(
    actor: Staff,
    name: str,
    contact: str = "",
    phone: str = "",
    active: bool = True,
    supplier: Supplier | int | None = None,
) -> Supplier:
    """Add a supplier, or change one (``supplier``): name, contact person and phone."""
    name = require_text(name, translate("Purchasing", "Supplier"), 120, "name")
    values = {
        "name": name,
        "contact": optional_text(contact, translate("Purchasing", "Contact"), 80, "contact"),
        "phone": _phone(phone),
        "active": active,
    }
    if not isinstance(active, bool):
        raise ValidationError(
            translate("Purchasing", "Say whether the supplier is still used (yes or no)."),
            "active",
        )
    row = get(Supplier, supplier, translate("Purchasing", "Supplier")) if supplier else None
    other = Supplier.get_or_none(Supplier.name == name)
    if other is not None and (row is None or other.id != row.id):
        raise ValidationError(
            translate("Purchasing", "There is a supplier called {name} already.").format(name=name),
            "name",
        )
    before = snapshot(row) if row else None
    if row is None:
        row = Supplier.create(**values, created_at=clock.now())
    else:
        for key, value in values.items():
            setattr(row, key, value)
        row.save()
    audit("supplier", row.id, before, snapshot(row))
    return row


def _phone(value: Any) -> str:
    if value is not None and not isinstance(value, str):
        raise ValidationError(translate("Purchasing", "Phone must be text."), "phone")
    result = check_phone(optional_text(value, translate("Purchasing", "Phone"), 40), False)
    if not result.ok:
        raise ValidationError(result.message, "phone")
    return result.value


def suppliers(active_only: bool = True) -> list[Supplier]:
    q = Supplier.select().order_by(Supplier.name)
    if active_only:
        q = q.where(Supplier.active == True)  # noqa: E712
    return list(q)


@service(Role.PARTS_CLERK, Role.ADMIN)
def set_reorder_level(actor: Staff, part: Part | int, level: Any) -> Part:
    """Below this much free stock the part shows on the reorder list (0: not kept in stock)."""
    row = get(Part, part, translate("Parts", "Part"))
    value = require_decimal(level, translate("Purchasing", "Reorder level"), ZERO, MAX_QTY, "level")
    before = {"reorder_level": row.reorder_level}
    row.reorder_level = value
    row.save()
    audit("part", row.id, before, {"reorder_level": value})
    return row


# --------------------------------------------------------------------------- reading


def on_order(part_ids: list[int] | None = None) -> dict[int, Decimal]:
    """What is still expected from suppliers, per part id (open orders, less what came in)."""
    q = (
        SupplierOrderLine.select(
            SupplierOrderLine.part, SupplierOrderLine.quantity, SupplierOrderLine.received_qty
        )
        .join(SupplierOrder)
        .where(SupplierOrder.state.in_([s.value for s in OPEN_ORDER_STATES]))
    )
    if part_ids is not None:
        q = q.where(SupplierOrderLine.part.in_(part_ids))
    coming: dict[int, Decimal] = {}
    for part_id, qty, got in q.tuples():
        coming[part_id] = coming.get(part_id, ZERO) + qty - got
    return coming


def _on_order_for_line(line: JobLine) -> Decimal:
    rows = (
        SupplierOrderLine.select(SupplierOrderLine.quantity, SupplierOrderLine.received_qty)
        .join(SupplierOrder)
        .where(
            (SupplierOrderLine.job_line == line.id)
            & SupplierOrder.state.in_([s.value for s in OPEN_ORDER_STATES])
        )
        .tuples()
    )
    return sum((q - r for q, r in rows), ZERO)


@dataclass(frozen=True)
class ReorderRow:
    part_id: int
    part_no: str
    name: str
    unit: str
    available: Decimal
    reorder_level: Decimal
    on_order: Decimal
    suggested: Decimal  # up to twice the reorder level, less what is on order


def reorder_list() -> list[ReorderRow]:
    """Parts whose free stock is below their reorder level, with a suggested quantity."""
    parts = list(
        Part.select()
        .where(
            (Part.active == True)  # noqa: E712
            & (Part.reorder_level > 0)
            & (Part.stock_qty - Part.reserved_qty < Part.reorder_level)
        )
        .order_by(Part.part_no)
    )
    ordered = on_order([p.id for p in parts])
    rows = []
    for p in parts:
        coming = ordered.get(p.id, ZERO)
        suggested = max(ZERO, p.reorder_level * 2 - p.available_qty - coming)
        rows.append(
            ReorderRow(
                p.id,
                p.part_no,
                p.name,
                p.unit,
                p.available_qty,
                p.reorder_level,
                coming,
                suggested,
            )
        )
    return rows


@dataclass(frozen=True)
class ShortageRow:
    line_id: int
    part_id: int
    part_no: str
    name: str
    short: Decimal
    on_order: Decimal

    @property
    def to_order(self) -> Decimal:
        return max(ZERO, self.short - self.on_order)


def shortages(order: RepairOrder | int) -> list[ShortageRow]:
    """The part lines of a repair order still short (requested, neither reserved nor issued),
    with what open supplier orders already bring for them."""
    order = load_order(order)
    rows = []
    for line in (
        JobLine.select(JobLine, Part)
        .join(Part)
        .where(
            (JobLine.order == order)
            & (JobLine.kind == "part")
            & (JobLine.auth_state == "authorised")
        )
        .order_by(JobLine.sort, JobLine.id)
    ):
        short = shortfall(line)
        if short > 0:
            rows.append(
                ShortageRow(
                    line.id,
                    line.part_id,
                    line.part.part_no,
                    line.part.name,
                    short,
                    _on_order_for_line(line),
                )
            )
    return rows


# --------------------------------------------------------------------------- raising


def active_supplier(supplier: Supplier | int) -> Supplier:
    row = get(Supplier, supplier, translate("Purchasing", "Supplier"))
    if not row.active:
        raise ValidationError(
            translate("Purchasing", "{name} is no longer an active supplier.").format(
                name=row.name
            ),
            "supplier",
        )
    return row


def _create(
    actor: Staff,
    supplier: Supplier,
    lines: list[tuple[Part, Decimal, JobLine | None]],
    source: str,
    repair_order: RepairOrder | None,
    note: str,
) -> SupplierOrder:
    row = SupplierOrder.create(
        number=next_number(SupplierOrder, "CG"),
        supplier=supplier,
        state=OrderState.DRAFT.value,
        source=source,
        repair_order=repair_order,
        note=note,
        raised_by=actor,
        raised_at=clock.now(),
    )
    for part, qty, job_line in lines:
        line = SupplierOrderLine.create(
            supplier_order=row, part=part, quantity=qty, job_line=job_line
        )
        audit("supplier_order_line", line.id, None, snapshot(line))
    audit("supplier_order", row.id, None, snapshot(row))
    return row


@service(Role.PARTS_CLERK)
def order_shortage(
    actor: Staff, order: RepairOrder | int, supplier: Supplier | int, note: str = ""
) -> SupplierOrder:
    """A supplier order for what a repair order waiting for parts still lacks (less what open
    supplier orders already bring); its lines remember the order's lines they are for."""
    order = load_order(order)
    if State(order.state) != State.WAITING_PARTS:
        raise TransitionRefused(
            translate("Parts", "Order {number} is {state}, not waiting for parts.").format(
                number=order.number, state=state_label(order.state)
            )
        )
    supplier = active_supplier(supplier)
    note = optional_text(note, translate("Purchasing", "Note"), 200, "note")
    wanted = [r for r in shortages(order) if r.to_order > 0]
    if not wanted:
        raise ValidationError(
            translate(
                "Purchasing",
                "Order {number} lacks nothing that is not on a supplier order already.",
            ).format(number=order.number),
            "order",
        )
    lines = [(Part.get_by_id(r.part_id), r.to_order, JobLine.get_by_id(r.line_id)) for r in wanted]
    return _create(actor, supplier, lines, "shortage", order, note)


@service(Role.PARTS_CLERK)
def order_restock(
    actor: Staff,
    supplier: Supplier | int,
    items: Mapping[Any, Any] | None = None,
    note: str = "",
) -> SupplierOrder:
    """A supplier order to fill the shelf: ``items`` (part → quantity), or without them every
    part below its reorder level with its suggested quantity."""
    supplier = active_supplier(supplier)
    note = optional_text(note, translate("Purchasing", "Note"), 200, "note")
    lines: list[tuple[Part, Decimal, JobLine | None]] = []
    if items is None:
        lines = [
            (Part.get_by_id(r.part_id), r.suggested, None)
            for r in reorder_list()
            if r.suggested > 0
        ]
        if not lines:
            raise ValidationError(
                translate("Purchasing", "No part is below its reorder level."), "items"
            )
    else:
        if not isinstance(items, Mapping) or not items:
            raise ValidationError(
                translate("Purchasing", "Choose at least one part to order."), "items"
            )
        for key, value in dict(items).items():
            part = get(Part, key.id if isinstance(key, Part) else key, translate("Parts", "Part"))
            if any(p.id == part.id for p, _, _ in lines):
                raise ValidationError(
                    translate("Purchasing", "{part} is listed twice.").format(part=part.name),
                    "items",
                )
            qty = require_decimal(
                value, translate("Parts", "Quantity"), Decimal("0.01"), MAX_QTY, "items"
            )
            lines.append((part, qty, None))
    return _create(actor, supplier, lines, "reorder", None, note)


def _supplier_order(supplier_order: SupplierOrder | int | str) -> SupplierOrder:
    return get_by_number(SupplierOrder, supplier_order, translate("Purchasing", "Supplier order"))


def _move(row: SupplierOrder, action: str, **changes: Any) -> None:
    before = snapshot(row)
    row.state = order_target(row.state, action, row.number).value
    for key, value in changes.items():
        setattr(row, key, value)
    row.save()
    audit("supplier_order", row.id, before, snapshot(row))


@service(Role.PARTS_CLERK)
def send_supplier_order(actor: Staff, supplier_order: SupplierOrder | int) -> SupplierOrder:
    """The order went to the supplier (phone, fax or the supplier's portal)."""
    row = _supplier_order(supplier_order)
    _move(row, "send", sent_at=clock.now())
    return row


@service(Role.PARTS_CLERK)
def cancel_supplier_order(
    actor: Staff, supplier_order: SupplierOrder | int, reason: str
) -> SupplierOrder:
    """Call off an order nothing of which has come in."""
    row = _supplier_order(supplier_order)
    reason = require_text(reason, translate("Purchasing", "Reason"), 200, "reason")
    _move(row, "cancel", cancelled_at=clock.now(), note=(row.note + " · " + reason).strip(" ·"))
    return row


@dataclass(frozen=True)
class Receipt:
    """What a receipt did: the supplier order, the orders that can go on, those still waiting."""

    supplier_order: SupplierOrder
    released: list[str]
    still_waiting: list[str]


def _waiting_orders_for(part_ids: set[int], first: RepairOrder | None) -> list[RepairOrder]:
    """Orders waiting for parts that lack any of ``part_ids``: the supplier order's own repair
    order first, then the others in the order they began waiting (oldest order first)."""
    rows = (
        JobLine.select(JobLine.order, JobLine.part)
        .join(RepairOrder)
        .where(
            (RepairOrder.state == State.WAITING_PARTS.value)
            & (JobLine.parts_requested > JobLine.parts_issued + JobLine.parts_reserved)
        )
        .tuples()
    )
    ids = sorted({order_id for order_id, part_id in rows if part_id in part_ids})
    if first is not None and first.id in ids:
        ids.remove(first.id)
        ids.insert(0, first.id)
    return [RepairOrder.get_by_id(i) for i in ids]


@service(Role.PARTS_CLERK)
def receive_supplier_order(
    actor: Staff, supplier_order: SupplierOrder | int, items: Mapping[Any, Any], note: str = ""
) -> Receipt:
    """Book what came in (line → quantity, a part of what was ordered too) into stock; the
    repair orders waiting for these parts get them reserved and go on when nothing else is
    missing."""
    row = _supplier_order(supplier_order)
    note = optional_text(note, translate("Purchasing", "Note"), 200, "note")
    if not isinstance(items, Mapping) or not items:
        raise ValidationError(
            translate("Purchasing", "Enter what came in for at least one line."), "items"
        )
    plan: list[tuple[SupplierOrderLine, Decimal]] = []
    for key, value in dict(items).items():
        line = get(
            SupplierOrderLine,
            key.id if isinstance(key, SupplierOrderLine) else key,
            translate("Purchasing", "Supplier order line"),
        )
        if line.supplier_order_id != row.id:
            raise ValidationError(
                translate("Purchasing", "That line belongs to another supplier order."), "items"
            )
        if any(planned.id == line.id for planned, _ in plan):
            raise ValidationError(
                translate("Purchasing", "{part} is listed twice.").format(part=line.part.name),
                "items",
            )
        qty = require_decimal(
            value, translate("Parts", "Quantity"), Decimal("0.01"), MAX_QTY, "items"
        )
        left = line.quantity - line.received_qty
        if qty > left:
            raise ValidationError(
                translate(
                    "Purchasing",
                    "{qty} of {part} came in, but only {left} are still expected on {number}.",
                ).format(qty=qty, part=line.part.name, left=left, number=row.number),
                "items",
            )
        plan.append((line, qty))
    complete = all(
        line.received_qty + dict((p.id, q) for p, q in plan).get(line.id, ZERO) >= line.quantity
        for line in row.lines
    )
    for line, qty in plan:
        part = Part.get_by_id(line.part_id)
        before = {"stock_qty": part.stock_qty}
        part.stock_qty += qty
        part.save()
        line_before = snapshot(line)
        line.received_qty += qty
        line.save()
        audit(
            "part",
            part.id,
            before,
            {"stock_qty": part.stock_qty, "received": qty, "supplier_order": row.number},
        )
        audit("supplier_order_line", line.id, line_before, snapshot(line))
    _move(
        row,
        "receive_all" if complete else "receive_part",
        received_at=clock.now(),
        note=(row.note + " · " + note).strip(" ·") if note else row.note,
    )
    released, waiting = [], []
    for order in _waiting_orders_for({line.part_id for line, _ in plan}, row.repair_order):
        if cover_shortfalls(order):
            waiting.append(order.number)
        else:
            move(order, "supplier_delivery", actor)
            released.append(order.number)
    return Receipt(row, released, waiting)


def receipt_text(receipt: Receipt) -> str:
    """One sentence for the desk: booked in, which orders go on, which still wait."""
    text = translate("Purchasing", "Supplier order {number} booked into stock.").format(
        number=receipt.supplier_order.number
    )
    if receipt.released:
        text += " " + translate("Purchasing", "These orders can go on: {orders}.").format(
            orders=join_list(receipt.released)
        )
    if receipt.still_waiting:
        text += " " + translate("Purchasing", "Still waiting for other parts: {orders}.").format(
            orders=join_list(receipt.still_waiting)
        )
    return text


@dataclass(frozen=True)
class SupplierOrderRow:
    id: int
    number: str
    supplier: str
    state: str
    source: str
    repair_order: str
    raised_at: dt.datetime
    sent_at: dt.datetime | None
    received_at: dt.datetime | None
    items: str
    lines: list[tuple[int, str, Decimal, Decimal]]  # line id, part, ordered, received


def supplier_order_rows(open_only: bool = False) -> list[SupplierOrderRow]:
    """Supplier orders, newest first, with their lines (the parts counter's list)."""
    q = (
        SupplierOrder.select(SupplierOrder, Supplier)
        .join(Supplier)
        .order_by(SupplierOrder.raised_at.desc(), SupplierOrder.id.desc())
    )
    if open_only:
        q = q.where(SupplierOrder.state.in_([s.value for s in OPEN_ORDER_STATES]))
    orders = list(q.limit(500))
    lines: dict[int, list[tuple[int, str, Decimal, Decimal]]] = {}
    for line_id, so_id, part_no, name, qty, got in (
        SupplierOrderLine.select(
            SupplierOrderLine.id,
            SupplierOrderLine.supplier_order,
            Part.part_no,
            Part.name,
            SupplierOrderLine.quantity,
            SupplierOrderLine.received_qty,
        )
        .join(Part)
        .where(SupplierOrderLine.supplier_order.in_([o.id for o in orders]))
        .order_by(SupplierOrderLine.id)
        .tuples()
    ):
        lines.setdefault(so_id, []).append((line_id, f"{part_no} {name}", qty, got))
    numbers = dict(
        RepairOrder.select(RepairOrder.id, RepairOrder.number)
        .where(RepairOrder.id.in_([o.repair_order_id for o in orders if o.repair_order_id]))
        .tuples()
    )
    rows = []
    for o in orders:
        mine = lines.get(o.id, [])
        rows.append(
            SupplierOrderRow(
                o.id,
                o.number,
                o.supplier.name,
                o.state,
                o.source,
                numbers.get(o.repair_order_id, ""),
                o.raised_at,
                o.sent_at,
                o.received_at,
                "; ".join(
                    f"{name} {got.normalize():f}/{qty.normalize():f}" for _, name, qty, got in mine
                ),
                mine,
            )
        )
    return rows
