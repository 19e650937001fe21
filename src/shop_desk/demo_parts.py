"""The demo shop's parts in and out (issue 22 §2), made through the services on the demo's
day: two suppliers, reorder levels with parts below them, a supplier order for the car waiting
for parts (sent), a restock order partly received, quality claims at each step and a signed
return slip on a car in the workshop (a part drawn and not needed after all)."""

from __future__ import annotations

import datetime as dt

from shop_desk import clock
from shop_desk.models import JobLine, Part, RepairOrder, Staff
from shop_desk.services import parts_returns, purchasing, supplier_claims
from shop_desk.states import State


def build_parts_flow(
    clerk: Staff, waiting: RepairOrder | None, start: dt.datetime, signature: bytes
) -> None:
    """Stage the counter's purchasing and returns from ``start`` on (a few minutes apart)."""

    def at(minutes: int) -> None:
        clock.set_now(start + dt.timedelta(minutes=minutes))

    at(0)
    bosch = purchasing.save_supplier(clerk, "博世配件 Bosch parts", "王经理", "13912345678")
    mahle = purchasing.save_supplier(clerk, "马勒滤清器 Mahle filters", "李先生", "021-64001234")
    by_no = {p.part_no: p for p in Part.select()}
    for no, above in (("PAD-F", 4), ("FLT-CAB", 6), ("FLT-OIL", -20), ("FLT-AIR", -5)):
        part = by_no.get(no)
        if part is not None:
            purchasing.set_reorder_level(clerk, part, max(1, part.available_qty + above))
    still_waiting = (
        waiting is not None and RepairOrder.get_by_id(waiting.id).state == State.WAITING_PARTS.value
    )
    if still_waiting and any(r.to_order > 0 for r in purchasing.shortages(waiting)):
        at(5)
        urgent = purchasing.order_shortage(clerk, waiting, bosch, "急件 urgent")
        purchasing.send_supplier_order(clerk, urgent)
    air = by_no.get("FLT-AIR")
    if air is not None:
        at(10)
        restock = purchasing.order_restock(clerk, mahle, {air.id: "20"}, "月度补货 monthly")
        purchasing.send_supplier_order(clerk, restock)
        at(40)
        purchasing.receive_supplier_order(clerk, restock, {restock.lines[0].id: "12"}, "送货单 1")
    pads = by_no.get("PAD-F")
    if pads is not None and air is not None:
        at(45)
        supplier_claims.open_supplier_claim(clerk, bosch, "新片异响 new pads squeal", part=pads.id)
        sent = supplier_claims.open_supplier_claim(
            clerk, mahle, "滤纸破损 torn filter paper", part=air.id, quantity="3"
        )
        supplier_claims.send_supplier_claim(clerk, sent)
    # the cheapest part drawn for a car in the workshop comes back (a filter, not a compressor)
    ids = [i for i, _n, _p in parts_returns.returnable_orders()]
    line = (
        JobLine.select()
        .join(RepairOrder)
        .where(
            JobLine.order.in_(ids)
            & RepairOrder.state.in_(
                (State.IN_PROGRESS.value, State.REWORK.value, State.FINAL_QC.value)
            )
            & RepairOrder.technician.is_null(False)
            & (JobLine.kind == "part")
            & (JobLine.parts_issued >= 1)
        )
        .order_by(JobLine.unit_price, JobLine.id)
        .first()
    )
    if line is not None:
        at(50)
        order = RepairOrder.get_by_id(line.order_id)
        slip = parts_returns.return_parts(
            clerk, order, {line.id: "1"}, order.technician, "没用上 not needed after all"
        )
        parts_returns.sign_return_slip(order.technician, slip, signature)
