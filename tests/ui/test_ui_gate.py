"""The gate window: scan a gate pass, see the car, let it out once (出门证)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from factories import make_order, make_vehicle
from shop_desk import clock
from shop_desk.models import FollowUp, RepairOrder
from shop_desk.services import approvals, checkout
from shop_desk.states import State
from shop_desk.ui.gate import GateWindow


@pytest.fixture(autouse=True)
def _clock_pinned_after_db(db, fixed_clock):
    """The session's sample-shop template releases the clock when it is built lazily by the
    first test that needs it; pin it again so this test sees Mon 2026-11-02 09:00."""
    clock.set_now(fixed_clock)


def _settled_with_pass(staff, plate="沪B12345"):
    order = make_order(State.SETTLED, paid=True, vehicle=make_vehicle(plate=plate))
    return order, checkout.issue_gate_pass(staff["cashier"], order)


def _gate(qtbot, window) -> GateWindow:
    action = window.findChild(QAction, "tool_gate")
    assert action is not None and action.isEnabled()
    action.trigger()
    gates = [g for g in window.findChildren(GateWindow) if g.isVisible()]
    assert len(gates) == 1
    return gates[0]


def _scan(qtbot, gate: GateWindow, text: str) -> None:
    gate.code_edit.clear()
    if text.isascii():
        qtbot.keyClicks(gate.code_edit, text)
    else:  # QTest cannot type Chinese; a scanner's input method would
        gate.code_edit.insert(text)
    qtbot.keyPress(gate.code_edit, Qt.Key.Key_Return)


def test_gate_lets_a_car_out_once(qtbot, make_window, staff):
    order, gate_pass = _settled_with_pass(staff)
    window = make_window("supervisor")  # no checkout page, but the gate
    assert "checkout" not in window.visible_page_keys()
    gate = _gate(qtbot, window)
    assert not gate.let_out_button.isEnabled()
    _scan(qtbot, gate, gate_pass.code.lower())
    assert gate.status_label.text() == "VALID" and gate.status_label.property("status") == "valid"
    assert (gate.plate_label.text(), gate.model_label.text(), gate.colour_label.text()) == (
        "沪B12345",
        order.vehicle.model,
        order.vehicle.colour,
    )
    assert "#2e7d32" in gate.status_label.styleSheet()  # green
    clock.set_now(dt.datetime(2026, 11, 2, 16, 30))
    with qtbot.waitSignal(gate.car_left):
        qtbot.mouseClick(gate.let_out_button, Qt.MouseButton.LeftButton)
    row = RepairOrder.get_by_id(order.id)
    assert row.state == State.LEFT and row.left_at == dt.datetime(2026, 11, 2, 16, 30)
    assert FollowUp.select().where(FollowUp.order == order).count() == 1
    assert gate.status_label.text() == "LET OUT" and "16:30" in gate.banner.text()
    assert not gate.let_out_button.isEnabled()

    _scan(qtbot, gate, gate_pass.number)  # the same pass again
    assert gate.status_label.text() == "ALREADY USED"
    assert "#c62828" in gate.status_label.styleSheet()  # red
    assert "2026-11-02 16:30" in gate.pass_label.text()
    assert not gate.let_out_button.isEnabled()


def test_a_pass_used_meanwhile_at_another_gate_is_refused(qtbot, make_window, staff):
    _order, gate_pass = _settled_with_pass(staff)
    window = make_window("advisor")
    gate = _gate(qtbot, window)
    _scan(qtbot, gate, gate_pass.number)
    assert gate.let_out_button.isEnabled()
    checkout.use_gate_pass(staff["supervisor"], gate_pass.number)  # the other gate was faster
    qtbot.mouseClick(gate.let_out_button, Qt.MouseButton.LeftButton)
    assert "used already" in gate.banner.text() and gate.banner.kind == "error"
    assert gate.status_label.text() == "ALREADY USED"
    assert FollowUp.select().count() == 1


def test_not_issued_unknown_plate_and_voided(qtbot, make_window, staff):
    window = make_window("cashier")
    gate = _gate(qtbot, window)
    _scan(qtbot, gate, "MP999999-999")
    assert gate.status_label.text() == "NOT ISSUED" and gate.plate_label.text() == "—"
    delivered = make_order(State.DELIVERED, vehicle=make_vehicle(plate="沪C54321"))
    _scan(qtbot, gate, "沪C54321")  # by plate: the car is not settled yet
    assert gate.status_label.text() == "NOT ISSUED"
    assert gate.order_label.text() == delivered.number and not gate.let_out_button.isEnabled()
    order, gate_pass = _settled_with_pass(staff, "沪D11111")
    request = approvals.request_approval(staff["cashier"], "void", order, None, "wrong price")
    approvals.approve(staff["manager"], request, "1234")
    checkout.void_settlement(staff["cashier"], order, request)
    _scan(qtbot, gate, gate_pass.number)
    assert gate.status_label.text() == "NOT ISSUED"
    gate.code_edit.clear()
    qtbot.keyClicks(gate.code_edit, "X")  # typing clears the last verdict
    assert gate.status_label.property("status") == ""


def test_manager_sees_the_status_but_cannot_let_out(qtbot, make_window, staff):
    _order, gate_pass = _settled_with_pass(staff)
    gate = _gate(qtbot, make_window("manager"))
    _scan(qtbot, gate, gate_pass.code)
    assert gate.status_label.text() == "VALID"
    assert not gate.let_out_button.isEnabled()
    assert gate.let_out() is False  # no way around the button
    assert RepairOrder.get_by_id(_order.id).state == State.SETTLED


def test_locking_the_main_window_closes_the_gate(qtbot, make_window):
    window = make_window("advisor")
    gate = _gate(qtbot, window)
    window.lock()
    qtbot.waitUntil(lambda: not any(g.isVisible() for g in window.findChildren(GateWindow)))
    assert not window.findChild(QAction, "tool_gate").isEnabled()
    del gate


def test_technician_has_no_gate(make_window):
    window = make_window("tech1")
    assert window.findChild(QAction, "tool_gate") is None


def test_the_printed_qr_code_is_scanned_at_the_gate(qtbot, make_window, staff, monkeypatch):
    """The gate pass's QR code holds what a scanner then types into the gate window."""
    from shop_desk.printing import gate_pass as form
    from shop_desk.printing import render_document

    order, gate_pass = _settled_with_pass(staff)
    encoded = []
    real = form.QrCode
    monkeypatch.setattr(
        form, "QrCode", lambda value, *a, **kw: encoded.append(value) or real(value, *a, **kw)
    )
    render_document("gate-pass", order.number)
    assert encoded == [f"{gate_pass.number}|{gate_pass.code}"]
    window = make_window("supervisor")
    gate = _gate(qtbot, window)
    _scan(qtbot, gate, encoded[0])
    assert gate.status_label.property("status") == "valid"
    _scan(qtbot, gate, f"{gate_pass.number}|WRONG1")  # a copied number with a made-up code
    assert gate.status_label.property("status") == "not_issued"
    assert not gate.let_out_button.isEnabled()
    _scan(qtbot, gate, f"{gate_pass.number}|{gate_pass.code}")
    with qtbot.waitSignal(gate.car_left):
        qtbot.mouseClick(gate.let_out_button, Qt.MouseButton.LeftButton)
    assert RepairOrder.get_by_id(order.id).state == State.LEFT
