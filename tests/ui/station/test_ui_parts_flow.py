"""The parts counter's parts in and out on the station (issue 22 §2), worked like a person:
parts brought back on a return slip the technician signs, a shortage ordered from a supplier
and received (the waiting job goes on), a supplier claim to its answer; a manager reads."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QLabel, QPushButton
from signing import sign
from station_ui import click, ok, open_dialog, reload, station

from factories import make_order
from shop_desk.models import (
    JobLine,
    Part,
    PartsReturnSlip,
    RepairOrder,
    SupplierClaim,
    SupplierOrder,
    Team,
)
from shop_desk.services import parts, purchasing, workshop
from shop_desk.states import State
from shop_desk.ui.station.dialogs_parts import SignSlipDialog
from shop_desk.ui.station.parts_returns import ReturnOrderDialog, ReturnPartsDialog
from shop_desk.ui.station.supplier_claims import (
    AnswerDialog,
    NewClaimDialog,
    SupplierClaimsDialog,
)
from shop_desk.ui.station.supplier_orders import (
    RaiseOrderDialog,
    ReceiveOrderDialog,
    SupplierDialog,
    SupplierOrdersDialog,
)


def sub_dialog(qtbot, panel, button: QPushButton, kind: type):
    click(qtbot, button)
    dialog = panel.sub
    assert isinstance(dialog, kind) and dialog.isVisible()
    qtbot.waitExposed(dialog)
    return dialog


def working(staff) -> RepairOrder:
    order = make_order(State.AWAITING_DISPATCH)
    team = Team.get(Team.name.startswith("机修一组"))
    workshop.dispatch(staff["supervisor"], order, team, staff["tech1"])
    workshop.accept_car(staff["tech1"], order)
    return reload(order)


def with_pads(staff, qty: str) -> tuple[RepairOrder, JobLine]:
    order = working(staff)
    pad = Part.get(Part.part_no == "PAD-F")
    line = JobLine.create(
        order=order,
        kind="part",
        part=pad,
        description=pad.name,
        quantity=Decimal(qty),
        unit_price=pad.unit_price,
    )
    return order, line


def test_parts_come_back_at_the_counter_and_the_technician_signs_the_slip(
    qtbot, make_window, staff
):
    order, line = with_pads(staff, "4")
    parts.issue_parts(staff["parts"], order, {line.id: "4"}, staff["tech1"])
    # at the counter, without choosing the job on the left
    _w, clerk = station(make_window, "parts")
    picker = open_dialog(qtbot, clerk, clerk.counter.return_button, ReturnOrderDialog)
    picker.order.setCurrentIndex(picker.order.findData(order.id))
    ok(qtbot, picker)
    back = clerk.dialog
    assert isinstance(back, ReturnPartsDialog) and back.isVisible()
    qtbot.waitExposed(back)
    assert [r.line_id for r in back.rows] == [line.id]
    back.quantities[0].clear()
    qtbot.keyClicks(back.quantities[0], "1")
    assert back.checks[0].isChecked()  # typing a quantity ticks the line
    assert back.technician.currentText() == staff["tech1"].name
    qtbot.keyClicks(back.reason, "one side only")
    ok(qtbot, back)
    slip = PartsReturnSlip.get()
    assert slip.reason == "one side only" and slip.signed_at is None
    assert reload(line).quantity == Decimal("3.00")
    assert Part.get(Part.part_no == "PAD-F").stock_qty == Decimal("9.00")
    assert slip.number in clerk.banner.text()

    _w2, tech = station(make_window, "tech1", order)
    tech.tabs.setCurrentIndex(tech.TABS.index("parts"))
    panel = tech.parts.returns
    assert not panel.return_button.isVisible()  # the clerk takes parts back
    assert [r.number for r in panel.model.rows] == [slip.number]
    signer = open_dialog(qtbot, tech, panel.sign_button, SignSlipDialog)
    assert slip.number in signer.windowTitle()
    sign(qtbot, signer.pad)
    with qtbot.waitSignal(signer.accepted, timeout=3000):
        click(qtbot, signer.sign_button)
    assert reload(slip).signed_at is not None
    assert not panel.sign_button.isEnabled()
    assert f"{slip.number} signed" in tech.banner.text()


def test_a_shortage_is_ordered_and_received_and_the_job_goes_on(qtbot, make_window, staff):
    order, line = with_pads(staff, "2")
    Part.update(stock_qty=Decimal("1")).where(Part.part_no == "PAD-F").execute()
    parts.request_parts(staff["tech1"], line, "2", wait_for_parts=True)
    assert reload(order).state == State.WAITING_PARTS.value
    _w, clerk = station(make_window, "parts", order)
    orders = open_dialog(qtbot, clerk, clerk.counter.orders_button, SupplierOrdersDialog)
    assert orders.model.rowCount() == 0
    new = sub_dialog(qtbot, orders, orders.supplier_button, SupplierDialog)
    qtbot.keyClicks(new.name, "Bosch parts")
    qtbot.keyClicks(new.phone, "13912345678")
    ok(qtbot, new)
    assert order.number in orders.shortage_button.text()
    raise_ = sub_dialog(qtbot, orders, orders.shortage_button, RaiseOrderDialog)
    assert "PAD-F" in raise_.findChild(QLabel, "whatLabel").text()
    assert "1 short" in raise_.findChild(QLabel, "whatLabel").text()
    ok(qtbot, raise_)
    so = SupplierOrder.get()
    assert so.repair_order_id == order.id and so.lines[0].quantity == Decimal("1.00")
    assert orders.selected().id == so.id
    assert not orders.shortage_button.isEnabled()  # all it lacks is on order now
    click(qtbot, orders.send_button)
    assert reload(so).state == "sent"
    receive = sub_dialog(qtbot, orders, orders.receive_button, ReceiveOrderDialog)
    assert receive.quantities[0].text() == "1"
    ok(qtbot, receive)
    assert reload(so).state == "received"
    assert reload(order).state == State.IN_PROGRESS.value
    assert order.number in orders.banner.text() and "can go on" in orders.banner.text()
    with qtbot.waitSignal(orders.accepted, timeout=3000):
        orders.close()  # closing reads the station again: the job is no longer waiting
    assert clerk.order.state == State.IN_PROGRESS.value


def test_a_claim_is_recorded_claimed_and_refused(qtbot, make_window, staff):
    purchasing.save_supplier(staff["parts"], "马勒 Mahle", "李先生")
    order, line = with_pads(staff, "1")
    parts.issue_parts(staff["parts"], order, {line.id: "1"}, staff["tech1"])
    _w, clerk = station(make_window, "parts")
    claims = open_dialog(qtbot, clerk, clerk.counter.claims_button, SupplierClaimsDialog)
    new = sub_dialog(qtbot, claims, claims.new_button, NewClaimDialog)
    index = new.source.findData(f"part:{Part.get(Part.part_no == 'FLT-OIL').id}")
    assert index >= 0
    new.source.setCurrentIndex(index)
    click(qtbot, new.ok_button())  # no fault written yet
    assert "Fault" in new.error.text() and new.isVisible()
    qtbot.keyClicks(new.fault, "box damaged")
    ok(qtbot, new)
    claim = SupplierClaim.get()
    assert claim.part.part_no == "FLT-OIL" and claim.repair_order_id is None
    assert claims.selected().id == claim.id and claim.number in claims.banner.text()
    assert not claims.answer_button.isEnabled()
    click(qtbot, claims.send_button)
    assert reload(claim).state == "sent"
    answer = sub_dialog(qtbot, claims, claims.answer_button, AnswerDialog)
    answer.answer.setCurrentIndex(answer.answer.findData("refuse"))
    assert not answer.credit.isEnabled()
    qtbot.keyClicks(answer.note, "damaged in transport")
    ok(qtbot, answer)
    assert reload(claim).state == "refused"
    assert claims.model.rowCount() == 0  # open claims only
    claims.open_only.setChecked(False)
    assert [r.number for r in claims.model.rows] == [claim.number]
    with qtbot.waitSignal(claims.accepted, timeout=3000):
        claims.close()
    # with the job chosen, a claim can be for its part line and names the order
    assert clerk.select_order(order.id)
    claims = open_dialog(qtbot, clerk, clerk.counter.claims_button, SupplierClaimsDialog)
    new = sub_dialog(qtbot, claims, claims.new_button, NewClaimDialog)
    assert new.source.currentData() == f"line:{line.id}"
    assert order.number in new.source.currentText()
    qtbot.keyClicks(new.fault, "noise")
    ok(qtbot, new)
    assert SupplierClaim.get(SupplierClaim.fault == "noise").repair_order_id == order.id
    _w2, at_job = station(make_window, "supervisor", order)
    assert not at_job.counter.isVisible()  # the counter's work is the parts clerk's


def test_a_manager_reads_the_supplier_orders_and_claims(qtbot, make_window, staff):
    supplier = purchasing.save_supplier(staff["parts"], "博世配件 Bosch parts")
    purchasing.order_restock(staff["parts"], supplier, {Part.get(Part.part_no == "PAD-F").id: "3"})
    _w, manager = station(make_window, "manager")
    assert not manager.counter.return_button.isVisible()
    orders = open_dialog(qtbot, manager, manager.counter.orders_button, SupplierOrdersDialog)
    assert orders.model.rowCount() == 1
    for button in (
        orders.shortage_button,
        orders.restock_button,
        orders.send_button,
        orders.receive_button,
        orders.cancel_button,
        orders.level_button,
    ):
        assert not button.isVisible(), button.objectName()
    assert orders.supplier_button.isVisible()  # the manager may add a supplier
    orders.close()
    claims = open_dialog(qtbot, manager, manager.counter.claims_button, SupplierClaimsDialog)
    for button in (claims.new_button, claims.send_button, claims.answer_button):
        assert not button.isVisible()


def test_the_supplier_order_is_printed_from_the_dialog(qtbot, make_window, staff):
    from shop_desk.ui.shell.print_preview import PrintPreviewDialog

    supplier = purchasing.save_supplier(staff["parts"], "博世配件 Bosch parts")
    so = purchasing.order_restock(
        staff["parts"], supplier, {Part.get(Part.part_no == "PAD-F"): "3"}
    )
    _w, clerk = station(make_window, "parts")
    orders = open_dialog(qtbot, clerk, clerk.counter.orders_button, SupplierOrdersDialog)
    assert not orders.print_button.isEnabled()  # nothing chosen yet
    assert orders.select(lambda r: r.id == so.id)
    preview = sub_dialog(qtbot, orders, orders.print_button, PrintPreviewDialog)
    qtbot.waitUntil(lambda: not preview.is_busy(), timeout=20_000)
    assert preview.page_count() == 1
    assert preview.number == so.number
    assert preview.kind == "supplier-order"
    preview.close()
