"""Screenshot staging for the parts counter's parts in and out (issue 22 §2): the return slips
under the parts tab and their dialogs, the supplier orders with the reorder list, and the
supplier claims, with demo cases (a supplier, orders in each state, claims, a return slip)
staged in a transaction that is rolled back at the end."""

from __future__ import annotations

from decimal import Decimal

from shop_desk.db import database
from shop_desk.models import (
    JobLine,
    Part,
    RepairOrder,
    Staff,
    Supplier,
)
from shop_desk.roles import Role
from shop_desk.states import State
from shop_desk.ui.shots.screenshots import (
    ShotContext,
    register_screenshot,
    settle,
    shoot_and_reject,
    staff_with,
)


def _stage(clerk: Staff) -> RepairOrder | None:
    """Suppliers, supplier orders, claims and a return slip; returns the order with the slip."""
    from shop_desk.services import parts, parts_returns, purchasing, supplier_claims

    def supplier(name: str, contact: str, phone: str) -> Supplier:
        """The demo shop has its suppliers already; the sample shop gets them here."""
        found = Supplier.get_or_none(Supplier.name == name)
        return found or purchasing.save_supplier(clerk, name, contact, phone)

    bosch = supplier("博世配件 Bosch parts", "王经理", "13912345678")
    supplier("马勒滤清器 Mahle filters", "李先生", "021-64001234")
    by_no = {p.part_no: p for p in Part.select()}
    for no, extra in (("PAD-F", 4), ("FLT-CAB", 6), ("WPR-BLD", 3)):
        part = by_no.get(no)
        if part is not None:
            purchasing.set_reorder_level(clerk, part, part.available_qty + extra)
    for no in ("FLT-AIR", "FLT-OIL"):
        part = by_no.get(no)
        if part is not None:
            sent = purchasing.order_restock(clerk, bosch, {part.id: "10"}, "月度补货 monthly")
            purchasing.send_supplier_order(clerk, sent)
            if no == "FLT-OIL":
                purchasing.receive_supplier_order(clerk, sent, {sent.lines[0].id: "6"})
    waiting = RepairOrder.select().where(RepairOrder.state == State.WAITING_PARTS.value).first()
    if waiting is not None and any(r.to_order > 0 for r in purchasing.shortages(waiting)):
        purchasing.order_shortage(clerk, waiting, bosch, "急件 urgent")
    returned = None
    for order_id, _number, _plate in parts_returns.returnable_orders():
        order = RepairOrder.get_by_id(order_id)
        line = (
            JobLine.select()
            .where(
                (JobLine.order == order) & (JobLine.kind == "part") & (JobLine.parts_issued >= 1)
            )
            .first()
        )
        if order.technician_id and line is not None:
            parts_returns.return_parts(
                clerk, order, {line.id: "1"}, order.technician, "多领了一个 drew one too many"
            )
            returned = order
            break
    if returned is None:  # none issued yet: issue one first on a working order
        order = (
            RepairOrder.select()
            .where(
                (RepairOrder.state == State.IN_PROGRESS.value)
                & RepairOrder.technician.is_null(False)
            )
            .first()
        )
        line = (
            JobLine.select()
            .where(
                (JobLine.order == order)
                & (JobLine.kind == "part")
                & JobLine.part.is_null(False)
                & (JobLine.auth_state == "authorised")
                & (JobLine.parts_issued < JobLine.quantity)
            )
            .first()
            if order is not None
            else None
        )
        if line is not None and Part.get_by_id(line.part_id).available_qty >= 1:
            parts.issue_parts(clerk, order, {line.id: Decimal("1")}, order.technician)
            parts_returns.return_parts(clerk, order, {line.id: "1"}, order.technician)
            returned = order
    pads, air = by_no.get("PAD-F"), by_no.get("FLT-AIR")
    if pads is not None and air is not None:
        supplier_claims.open_supplier_claim(clerk, bosch, "新片异响 new pads squeal", part=pads.id)
        sent = supplier_claims.open_supplier_claim(
            clerk, bosch, "滤纸破损 torn filter paper", part=air.id, quantity="3"
        )
        supplier_claims.send_supplier_claim(clerk, sent)
        taken = supplier_claims.open_supplier_claim(
            clerk, bosch, "卡钳漏油 caliper leaks", part=pads.id
        )
        supplier_claims.send_supplier_claim(clerk, taken)
        supplier_claims.answer_supplier_claim(clerk, taken, "accept", "同意更换 will replace")
    return returned


def shots(ctx: ShotContext) -> None:
    from shop_desk.ui.shell.background import wait_for_jobs
    from shop_desk.ui.station.parts_returns import ReturnPartsDialog
    from shop_desk.ui.station.supplier_claims import (
        AnswerDialog,
        NewClaimDialog,
        SupplierClaimsDialog,
    )
    from shop_desk.ui.station.supplier_orders import (
        RaiseOrderDialog,
        ReceiveOrderDialog,
        SupplierOrdersDialog,
    )

    clerk = staff_with(Role.PARTS_CLERK)
    if clerk is None:
        return
    window = ctx.window
    original = ctx.staff
    with database.obj.atomic() as txn:
        try:
            returned = _stage(clerk)
            if returned is not None and returned.technician_id:
                window.apply_staff(returned.technician)
                page = window.show_page("station")
                settle()
                if page.select_order(returned.id):
                    page.show_tab("parts")
                    page.parts.returns.select(lambda r: True)
                    settle()
                    ctx.save("station_parts_returns", window)
                    dialog = page.parts.returns.sign()
                    if dialog is not None:
                        shoot_and_reject(ctx, "station_dialog_sign_return_slip", dialog)
            window.apply_staff(clerk)
            page = window.show_page("station")
            settle()
            ctx.save("station_parts_counter", window)
            if returned is not None:
                shoot_and_reject(
                    ctx, "station_dialog_return_parts", ReturnPartsDialog(clerk, returned, window)
                )
            orders = SupplierOrdersDialog(clerk, page.order, window)
            orders.show()
            orders.select(lambda r: r.state == "part_received")
            settle()
            ctx.save("station_supplier_orders", orders)
            shoot_and_reject(ctx, "station_dialog_order_restock", RaiseOrderDialog(clerk, orders))
            row = orders.selected()
            if row is not None:
                shoot_and_reject(
                    ctx, "station_dialog_receive_order", ReceiveOrderDialog(clerk, row, orders)
                )
            orders.close()
            claims = SupplierClaimsDialog(clerk, page.order, window)
            claims.show()
            claims.select(lambda r: r.state == "sent")
            settle()
            ctx.save("station_supplier_claims", claims)
            shoot_and_reject(
                ctx, "station_dialog_new_claim", NewClaimDialog(clerk, page.order, claims)
            )
            row = claims.selected()
            if row is not None:
                shoot_and_reject(
                    ctx, "station_dialog_claim_answer", AnswerDialog(clerk, row, claims)
                )
            claims.close()
        finally:
            wait_for_jobs()
            window.apply_staff(original)
            settle()
            txn.rollback()


register_screenshot("parts_flow", shots)
