"""Read model of the printed supplier order (采购单): everything the form needs.

The printing package reads only through this function (as the order's forms read through
:mod:`shop_desk.services.documents`, which also counts the supplier order's prints so a
reprint is a copy). The paper goes to the supplier (fax, or handed to the driver) and stays in
the parts counter's file: what is ordered, what came in so far, and for which repair order.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from shop_desk.errors import NotFound
from shop_desk.i18n import translate
from shop_desk.models import Part, SupplierOrder, SupplierOrderLine
from shop_desk.purchasing_states import order_state_label
from shop_desk.services.base import shown
from shop_desk.services.documents import ShopHeader, shop_header, unit_label
from shop_desk.validation import display_plate


@dataclass
class SupplierOrderLineData:
    no: int
    part_no: str
    name: str
    unit: str
    quantity: Decimal
    received: Decimal

    @property
    def expected(self) -> Decimal:
        """What is still to come on this line."""
        return max(self.quantity - self.received, Decimal("0"))


@dataclass
class SupplierOrderData:
    shop: ShopHeader
    number: str
    state: str  # in words
    supplier: str
    contact: str
    phone: str
    purpose: str  # for which repair order, or to restock, in words
    repair_order: str  # its number, or ''
    plate: str
    raised_at: dt.datetime
    raised_by: str
    sent_at: dt.datetime | None
    received_at: dt.datetime | None
    note: str
    lines: list[SupplierOrderLineData]


def find_supplier_order(number: str) -> SupplierOrder:
    """A supplier order by its number (CG…), or NotFound in the user's words."""
    text = number.strip().upper() if isinstance(number, str) else ""
    row = SupplierOrder.get_or_none(SupplierOrder.number == text) if text else None
    if row is None:
        raise NotFound(
            translate("Purchasing", "There is no supplier order {number}.").format(
                number=shown(number)
            )
        )
    return row


def supplier_order_data(number: str) -> SupplierOrderData:
    """The printed supplier order of ``number`` (CG…), with its lines and what came in."""
    row = find_supplier_order(number)
    supplier = row.supplier
    lines = [
        SupplierOrderLineData(i, part_no, name, unit_label(unit), qty, got)
        for i, (part_no, name, unit, qty, got) in enumerate(
            SupplierOrderLine.select(
                Part.part_no,
                Part.name,
                Part.unit,
                SupplierOrderLine.quantity,
                SupplierOrderLine.received_qty,
            )
            .join(Part)
            .where(SupplierOrderLine.supplier_order == row)
            .order_by(SupplierOrderLine.id)
            .tuples(),
            start=1,
        )
    ]
    order = row.repair_order if row.repair_order_id else None
    if order is not None:
        purpose = translate("Printing", "Repair order {number} waits for these parts").format(
            number=order.number
        )
    else:
        purpose = translate("Printing", "To restock the shelf (below the reorder level)")
    return SupplierOrderData(
        shop=shop_header(),
        number=row.number,
        state=order_state_label(row.state),
        supplier=supplier.name,
        contact=supplier.contact,
        phone=supplier.phone,
        purpose=purpose,
        repair_order=order.number if order is not None else "",
        plate=display_plate(order.vehicle.plate) if order is not None else "",
        raised_at=row.raised_at,
        raised_by=row.raised_by.name if row.raised_by_id else "",
        sent_at=row.sent_at,
        received_at=row.received_at,
        note=row.note,
        lines=lines,
    )
