"""The gate window: scan a gate pass, see the car, let it out once (出门证)."""

from __future__ import annotations

import datetime as dt

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QAction

from factories import make_order, make_vehicle
from shop_desk import clock
from shop_desk.models import FollowUp, GatePass, RepairOrder
from shop_desk.services import approvals, checkout
from shop_desk.states import State
from shop_desk.ui.checkout.gate import GateWindow


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
        "沪B·12345",
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
    assert gate.status_label.text() == "VOID" and not gate.let_out_button.isEnabled()
    assert "was voided" in gate.banner.text()
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


def _exits(gate: GateWindow) -> list[str]:
    """The order numbers ``car_left`` reports (it fires synchronously; no waiting)."""
    left: list[str] = []
    gate.car_left.connect(left.append)
    return left


def _approved_void(staff, order):
    request = approvals.request_approval(staff["cashier"], "void", order, None, "wrong price")
    return approvals.approve(staff["manager"], request, "1234")


@pytest.mark.parametrize(
    "typed",
    ["粤B12345", "粤B·12345", "粤b 12345", "{number}", "{code_lower}", "{qr}"],
    ids=["plate", "plate-dot", "plate-lower-space", "number", "code", "scanned-qr"],
)
def test_what_the_gate_shows_valid_it_lets_out(qtbot, make_window, staff, typed):
    """Issue 15: the plate showed a green VALID, then "Let out" said "No valid gate pass"."""
    order, gate_pass = _settled_with_pass(staff, "粤B12345")
    text = typed.format(
        number=gate_pass.number,
        code_lower=gate_pass.code.lower(),
        qr=f"{gate_pass.number}|{gate_pass.code}",
    )
    gate = _gate(qtbot, make_window("cashier"))
    left = _exits(gate)
    _scan(qtbot, gate, text)
    assert gate.status_label.text() == "VALID"
    assert (gate.plate_label.text(), gate.pass_label.text(), gate.order_label.text()) == (
        "粤B·12345",
        gate_pass.number,
        order.number,
    )
    assert gate.let_out_button.isEnabled()
    qtbot.mouseClick(gate.let_out_button, Qt.MouseButton.LeftButton)
    assert left == [order.number]
    assert RepairOrder.get_by_id(order.id).state == State.LEFT
    assert GatePass.get_by_id(gate_pass.id).used_at == clock.now()
    assert gate.status_label.text() == "LET OUT" and gate.banner.kind != "error"
    assert "粤B·12345 let out at 09:00" in gate.banner.text()
    _scan(qtbot, gate, text)  # the same text again: used, and nothing to let out
    assert gate.status_label.text() == "ALREADY USED" and not gate.let_out_button.isEnabled()


def test_a_plate_of_several_cars_says_so_and_the_pass_number_decides(qtbot, make_window, staff):
    first, first_pass = _settled_with_pass(staff, "粤B12345")
    second, second_pass = _settled_with_pass(staff, "粤B12345")  # a second record, same plate
    gate = _gate(qtbot, make_window("cashier"))
    left = _exits(gate)
    _scan(qtbot, gate, "粤B12345")
    assert gate.status_label.property("status") == "several"
    assert gate.status_label.text() == "SEVERAL CARS"
    assert "#2e7d32" not in gate.status_label.styleSheet()  # never green
    assert not gate.let_out_button.isEnabled()
    assert gate.banner.kind == "error"
    assert first_pass.number in gate.banner.text() and second_pass.number in gate.banner.text()
    assert gate.let_out() is False
    _scan(qtbot, gate, second_pass.number)
    assert gate.status_label.text() == "VALID" and gate.order_label.text() == second.number
    qtbot.mouseClick(gate.let_out_button, Qt.MouseButton.LeftButton)
    assert left == [second.number]
    assert RepairOrder.get_by_id(second.id).state == State.LEFT
    assert RepairOrder.get_by_id(first.id).state == State.SETTLED


def test_let_out_acts_on_the_pass_the_check_showed(qtbot, make_window, staff):
    """Checked by plate; meanwhile the cashier voided the settlement, settled again and
    issued a new pass. "Let out" must not silently use a pass the guard never saw."""
    order, old_pass = _settled_with_pass(staff, "粤B12345")
    gate = _gate(qtbot, make_window("supervisor"))
    left = _exits(gate)
    _scan(qtbot, gate, "粤B12345")
    assert gate.status_label.text() == "VALID" and gate.pass_label.text() == old_pass.number
    checkout.void_settlement(staff["cashier"], order, _approved_void(staff, order))
    checkout.settle(staff["cashier"], order)
    new_pass = checkout.issue_gate_pass(staff["cashier"], order)
    qtbot.mouseClick(gate.let_out_button, Qt.MouseButton.LeftButton)
    assert RepairOrder.get_by_id(order.id).state == State.SETTLED and left == []
    assert gate.banner.kind == "error" and old_pass.number in gate.banner.text()
    assert gate.pass_label.text() == new_pass.number  # the gate shows what is true now
    qtbot.mouseClick(gate.let_out_button, Qt.MouseButton.LeftButton)
    assert left == [order.number]
    assert GatePass.get_by_id(new_pass.id).used_at is not None
    assert GatePass.get_by_id(old_pass.id).used_at is None


def test_voided_and_used_passes_by_plate_are_refused_alike(qtbot, make_window, staff):
    order, gate_pass = _settled_with_pass(staff, "粤B12345")
    gate = _gate(qtbot, make_window("cashier"))
    checkout.void_settlement(staff["cashier"], order, _approved_void(staff, order))
    _scan(qtbot, gate, "粤B12345")  # the car has no valid pass
    assert gate.status_label.text() == "NOT ISSUED" and not gate.let_out_button.isEnabled()
    for text in (gate_pass.number, gate_pass.code):  # the voided paper says so by name
        _scan(qtbot, gate, text)
        assert gate.status_label.text() == "VOID" and not gate.let_out_button.isEnabled()
    checkout.settle(staff["cashier"], order)
    new_pass = checkout.issue_gate_pass(staff["cashier"], order)
    checkout.use_gate_pass(staff["supervisor"], new_pass.number)
    for text in ("粤B12345", new_pass.number):
        _scan(qtbot, gate, text)
        assert gate.status_label.text() == "ALREADY USED" and not gate.let_out_button.isEnabled()
        assert gate.pass_label.text().startswith(new_pass.number)
