"""Repair orders with parts on them, shared by the parts service tests (test_parts.py,
test_parts_flow.py): an order in progress, a part line added, a row read again."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from factories import make_order
from shop_desk.models import JobLine, Part, RepairOrder, Team
from shop_desk.services import workshop
from shop_desk.states import State

#: Enough of a PNG for a signature.
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 16


def reload(row: Any) -> Any:
    """The row as the database has it now."""
    return type(row).get_by_id(row.id)


def part(no: str) -> Part:
    return Part.get(Part.part_no == no)


def add_part(order: RepairOrder, no: str, qty: str = "1", **kw: Any) -> JobLine:
    p = part(no)
    return JobLine.create(
        order=order,
        kind="part",
        part=p,
        description=p.name,
        quantity=Decimal(qty),
        unit_price=p.unit_price,
        sort=5,
        **kw,
    )


def working(staff) -> RepairOrder:
    """An order in progress, accepted by tech1 (mechanical team 1)."""
    order = make_order(State.AWAITING_DISPATCH)
    workshop.dispatch(
        staff["supervisor"], order, Team.get(Team.name.startswith("机修一组")), staff["tech1"]
    )
    workshop.accept_car(staff["tech1"], order)
    return reload(order)
