"""The checkout desk driven through its widgets: delivery check, notify, delivery, settlement
slip, payments, approvals, voids and refunds, the gate pass (PROCESS.md §7–§8)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import QDateTime, QPoint, Qt
from PySide6.QtWidgets import QPushButton

from factories import make_customer, make_line, make_order, make_vehicle
from shop_desk import clock, drafts
from shop_desk.models import (
    Approval,
    FollowUp,
    GatePass,
    OrderEvent,
    Payment,
    Recommendation,
    RepairOrder,
    Settlement,
    StaffRole,
)
from shop_desk.services import approvals, checkout
from shop_desk.states import State
from shop_desk.ui.checkout.dialogs import DeclineDialog, DiscountDialog, ManagerApprovalDialog
from shop_desk.ui.checkout.gate import GateWindow
from shop_desk.ui.checkout.takings import TakingsDialog
from shop_desk.ui.shell.models import row_of
from shop_desk.validation import display_plate

ORDER_TOTAL = Decimal("238.00")  # factory order: 1 h × 180.00 + oil filter 58.00
ALL_CHECKS = {
    "fault_gone": True,
    "old_parts_present": True,
    "clean_inside": True,
    "clean_outside": True,
    "nothing_left_in_car": True,
}


@pytest.fixture(autouse=True)
def _clock_pinned_after_db(db, fixed_clock):
    """The session's sample-shop template releases the clock when it is built lazily by the
    first test that needs it; pin it again so this test sees Mon 2026-11-02 09:00."""
    clock.set_now(fixed_clock)


def fresh(order: RepairOrder) -> RepairOrder:
    return RepairOrder.get_by_id(order.id)


def click(qtbot, button: QPushButton) -> None:
    assert button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def tick(qtbot, box) -> None:
    assert box.isEnabled()
    box.click()  # same as clicking the indicator; the label text may be wider than the box


def desk(make_window, login: str, order: RepairOrder | None = None, qtbot=None):
    """The checkout page of a fresh window; ``order`` picked by clicking its row."""
    window = make_window(login)
    page = window.show_page("checkout")
    page.refresh()
    if order is not None:
        pick(qtbot, page, order)
    return window, page


def pick(qtbot, page, order: RepairOrder) -> None:
    for r in range(page.proxy.rowCount()):
        index = page.proxy.index(r, 0)
        if row_of(page.proxy, index)["id"] == order.id:
            rect = page.table.visualRect(index)
            qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
            break
    assert page.order is not None and page.order.id == order.id


def current(page) -> str:
    return next(k for k, w in page.steps.items() if w is page.tabs.currentWidget())


def type_into(qtbot, edit, text: str) -> None:
    edit.clear()
    qtbot.keyClicks(edit, text)


def draw_signature(qtbot, pad) -> None:
    left = Qt.MouseButton.LeftButton
    points = [(40 + i * 9, 70 + (18 if i % 4 < 2 else -18)) for i in range(36)]
    qtbot.mousePress(pad, left, pos=QPoint(*points[0]))
    for p in points[1:]:
        qtbot.mouseMove(pad, QPoint(*p))
    qtbot.mouseRelease(pad, left, pos=QPoint(*points[-1]))


def open_dialog(page, cls):
    found = [d for d in page.findChildren(cls) if d.isVisible()]
    assert len(found) == 1
    return found[0]


# --------------------------------------------------------------------------- the whole desk


def test_whole_checkout_of_one_order(qtbot, make_window, staff, monkeypatch):
    order = make_order(State.READY, old_parts="take_home")
    window, page = desk(make_window, "advisor", order, qtbot)
    assert current(page) == "check"
    check = page.step("check")
    assert "final inspection passed" in check.work_label.text()  # from the record, not ticked
    assert set(check.boxes) == {k for k in ALL_CHECKS}
    click(qtbot, check.record_button)  # nothing ticked: refused with the reason
    assert "not complete" in page.banner.text() and "Car clean inside" in page.banner.text()
    assert not checkout.delivery_check_done(order)
    for box in check.boxes.values():
        tick(qtbot, box)
    assert check.open_label.text() == ""
    click(qtbot, check.record_button)
    assert checkout.delivery_check_done(order)
    assert current(page) == "notify"

    notify = page.step("notify")
    notify.method_combo.setCurrentIndex(notify.method_combo.findData("in_person"))
    notify.pickup_edit.setDateTime(QDateTime(dt.datetime(2026, 11, 2, 15, 0)))
    click(qtbot, notify.record_button)
    assert page.banner.kind == "info", page.banner.text()
    event = OrderEvent.get((OrderEvent.order == order) & (OrderEvent.kind == "notify"))
    assert '"in_person"' in event.data and fresh(order).pickup_at == dt.datetime(2026, 11, 2, 15)
    assert notify.history.rowCount() == 1
    assert current(page) == "delivery"

    delivery = page.step("delivery")
    assert delivery.work.rowCount() == 2
    assert delivery.next_date.date().toPython() == dt.date(2027, 5, 2)  # the shop's rule
    assert delivery.next_km.value() == 17000
    click(qtbot, delivery.deliver_button)  # the walk-around items are not ticked
    assert "not complete" in page.banner.text() and fresh(order).state == State.READY
    for box in delivery.boxes.values():
        tick(qtbot, box)
    delivery.next_km.setValue(16000)  # editable
    type_into(qtbot, delivery.follow_edit, "weekday evenings")
    click(qtbot, delivery.deliver_button)
    row = fresh(order)
    assert row.state == State.DELIVERED and row.next_service_km == 16000
    assert row.follow_up_time == "weekday evenings"
    assert current(page) == "payment"

    payment = page.step("payment")
    assert payment.amount_edit.text() == "238.00"
    payment.method_combo.setCurrentIndex(payment.method_combo.findData("wechat"))
    type_into(qtbot, payment.amount_edit, "100")
    qtbot.keyClicks(payment.reference_edit, "WX-77")
    click(qtbot, payment.take_button)
    assert payment.amount_edit.text() == "138.00"  # the rest is proposed
    payment.method_combo.setCurrentIndex(payment.method_combo.findData("cash"))
    qtbot.keyClicks(payment.tendered_edit, "150")
    assert payment.change_label.text() == "¥12.00"
    click(qtbot, payment.take_button)
    assert payment.payments.rowCount() == 2
    click(qtbot, payment.settle_button)
    assert fresh(order).state == State.SETTLED
    assert current(page) == "gate"

    gate_step = page.step("gate")
    printed = []
    from shop_desk.ui.shell import print_preview

    monkeypatch.setattr(
        print_preview, "show_print_preview", lambda *args, **kw: printed.append(args[1:3])
    )
    click(qtbot, gate_step.slip_button)
    assert printed == [("settlement", order.number)]
    assert not gate_step.print_button.isEnabled()
    click(qtbot, gate_step.issue_button)
    gate_pass = GatePass.get(GatePass.order == order)
    assert gate_step.number_label.text() == gate_pass.number
    click(qtbot, gate_step.print_button)
    assert printed[-1] == ("gate-pass", order.number)

    click(qtbot, gate_step.gate_button)
    gate = next(g for g in window.findChildren(GateWindow) if g.isVisible())
    assert gate.status_label.property("status") == "valid"
    assert gate.plate_label.text() == display_plate(order.vehicle.plate)  # 粤B·12345
    click(qtbot, gate.let_out_button)
    row = fresh(order)
    assert row.state == State.LEFT and row.left_at is not None
    assert FollowUp.get(FollowUp.order == order).state == "open"
    assert page.order.state == State.LEFT  # the desk followed
    assert "left the shop" in gate_step.state_label.text()


# --------------------------------------------------------------------------- payments


def test_split_payment_shows_the_change_while_typing(qtbot, make_window):
    order = make_order(State.DELIVERED)
    _window, page = desk(make_window, "cashier", order, qtbot)
    payment = page.step("payment")
    assert current(page) == "payment"
    payment.method_combo.setCurrentIndex(payment.method_combo.findData("card"))
    assert not payment.tendered_edit.isVisibleTo(payment)
    type_into(qtbot, payment.amount_edit, "200")
    qtbot.keyClicks(payment.reference_edit, "POS 001122")
    click(qtbot, payment.take_button)
    payment.method_combo.setCurrentIndex(payment.method_combo.findData("cash"))
    assert payment.amount_edit.text() == "38.00"
    qtbot.keyClicks(payment.tendered_edit, "20")
    assert payment.change_label.text() == "¥18.00 short"
    qtbot.keyPress(payment.tendered_edit, Qt.Key.Key_Return)  # Enter takes the payment
    assert "less than" in page.banner.text()
    assert payment.tendered_edit.text() == "20"  # the input stays
    type_into(qtbot, payment.tendered_edit, "100")
    assert payment.change_label.text() == "¥62.00"
    click(qtbot, payment.take_button)
    cash = Payment.get((Payment.order == order) & (Payment.method == "cash"))
    assert cash.change_given == Decimal("62.00") and cash.tendered == Decimal("100.00")
    assert "Give ¥62.00 change" in page.banner.text() and cash.receipt_no in page.banner.text()
    receipts = {payment.payments.row_at(r).receipt_no for r in range(2)}
    assert len(receipts) == 2 and all(r.startswith("SK") for r in receipts)
    assert not payment.take_button.isEnabled()  # nothing due
    click(qtbot, payment.settle_button)
    assert Settlement.get(Settlement.order == order).paid_total == ORDER_TOTAL


def test_company_on_account_within_and_over_the_credit_limit(qtbot, make_window, staff):
    company = make_customer("上海某物流有限公司", kind="company", credit_limit=Decimal("300.00"))
    first = make_order(State.DELIVERED, vehicle=make_vehicle(owner=company))
    second = make_order(State.DELIVERED, vehicle=make_vehicle(owner=company))
    _window, page = desk(make_window, "cashier", first, qtbot)
    payment = page.step("payment")
    payment.method_combo.setCurrentIndex(payment.method_combo.findData("on_account"))
    assert "¥300.00 left" in payment.credit_label.text()
    click(qtbot, payment.take_button)
    click(qtbot, payment.settle_button)
    assert fresh(first).state == State.SETTLED

    pick(qtbot, page, second)
    payment.method_combo.setCurrentIndex(payment.method_combo.findData("on_account"))
    assert "¥62.00 left" in payment.credit_label.text()
    click(qtbot, payment.take_button)
    assert "62.00 of credit left" in page.banner.text()
    assert payment.request_bar.isVisible()
    click(qtbot, payment.request_bar.request_button)  # no reason: refused in the bar
    assert payment.request_bar.error_label.isVisible()
    qtbot.keyClicks(payment.request_bar.reason_edit, "fleet contract, pays monthly")
    click(qtbot, payment.request_bar.request_button)
    request = Approval.get((Approval.order == second) & (Approval.kind == "credit"))
    assert request.state == "pending" and request.amount == ORDER_TOTAL
    assert payment.approvals.isVisible() and payment.approvals.button_for(request) is None
    assert Payment.select().where(Payment.order == second).count() == 0

    approvals.approve(staff["manager"], request, "1234")
    page.refresh()  # F5 (or the poll) shows the answer
    apply = payment.approvals.button_for(request)
    assert apply is not None and "¥238.00" in apply.text()
    click(qtbot, apply)
    assert Payment.get(Payment.order == second).method == "on_account"
    click(qtbot, payment.settle_button)
    settlement = Settlement.get(Settlement.order == second)
    assert settlement.credit_total == ORDER_TOTAL and settlement.paid_total == 0


# --------------------------------------------------------------------------- recommended work


def _order_with_safety_item(staff):
    order = make_order(State.DELIVERED)
    rec = checkout.add_recommendation(staff["tech1"], order, "Brake discs worn", safety=True)
    checkout.take_payment(staff["cashier"], order, "card", ORDER_TOTAL)
    return order, rec


def test_declined_safety_item_blocks_settlement_until_the_customer_signs(qtbot, make_window, staff):
    order, rec = _order_with_safety_item(staff)
    _window, page = desk(make_window, "advisor", order, qtbot)
    delivery = page.show_step("delivery")
    assert delivery.select_rec(rec.id)
    assert not delivery.sign_rec_button.isEnabled()
    click(qtbot, delivery.decline_rec_button)
    dialog = open_dialog(page, DeclineDialog)
    assert dialog.signature is not None  # a safety item asks for the signature
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.ok_button())  # declined without signing
    assert Recommendation.get_by_id(rec.id).state == "declined"
    assert "cannot be settled" in page.banner.text()
    assert "Missing" in delivery.recs.data(delivery.recs.index(0, 3))

    payment = page.show_step("payment")
    assert "Brake discs worn" in payment.block_label.text()
    click(qtbot, payment.settle_button)
    assert "signature" in page.banner.text() and fresh(order).state == State.DELIVERED

    delivery = page.show_step("delivery")
    delivery.select_rec(rec.id)
    click(qtbot, delivery.sign_rec_button)
    dialog = open_dialog(page, DeclineDialog)
    click(qtbot, dialog.ok_button())  # an empty pad is not a signature
    assert dialog.isVisible() and "sign" in dialog.error.text()
    draw_signature(qtbot, dialog.signature.pad)
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.ok_button())
    row = Recommendation.get_by_id(rec.id)
    assert row.signature is not None and row.signature.image.startswith(b"\x89PNG")
    click(qtbot, page.show_step("payment").settle_button)
    assert fresh(order).state == State.SETTLED
    assert [r.id for r in checkout.declined_recommendations(order.vehicle)] == [rec.id]


def test_safety_item_declined_and_signed_on_paper(qtbot, make_window, staff):
    order, rec = _order_with_safety_item(staff)
    other = checkout.add_recommendation(staff["advisor"], order, "Wiper blades")
    _window, page = desk(make_window, "advisor", order, qtbot)
    delivery = page.show_step("delivery")
    delivery.select_rec(other.id)
    click(qtbot, delivery.accept_rec_button)
    assert Recommendation.get_by_id(other.id).state == "accepted"
    delivery.select_rec(rec.id)
    click(qtbot, delivery.decline_rec_button)
    dialog = open_dialog(page, DeclineDialog)
    dialog.signature.paper_box.click()
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.ok_button())
    assert Recommendation.get_by_id(rec.id).signed_on_paper
    click(qtbot, page.show_step("payment").settle_button)
    assert fresh(order).state == State.SETTLED


def test_recommended_work_added_at_the_desk(qtbot, make_window):
    order = make_order(State.READY)
    _window, page = desk(make_window, "advisor", order, qtbot)
    delivery = page.show_step("delivery")
    dialog = delivery.add_recommendation()
    qtbot.keyClicks(dialog.description_edit, "Front tyres at 2 mm")
    dialog.safety_box.click()
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.ok_button())
    rec = Recommendation.get(Recommendation.order == order)
    assert rec.safety and delivery.selected_rec().id == rec.id


# --------------------------------------------------------------------------- discounts


def test_a_discount_set_meanwhile_at_another_desk_is_not_overwritten(qtbot, make_window, staff):
    """Issue 17 item 6 at the desk: the dialog saves with the order version it showed."""
    order = make_order(State.DELIVERED)
    _window, page = desk(make_window, "cashier", order, qtbot)
    slip = page.show_step("slip")
    click(qtbot, slip.total_discount_button)
    dialog = open_dialog(page, DiscountDialog)
    checkout.set_discount(staff["advisor"], order, amount="5")  # the other desk, meanwhile
    qtbot.keyClicks(dialog.amount_edit, "20")
    click(qtbot, dialog.ok_button())
    assert dialog.isVisible() and "after you opened it" in dialog.error.text()
    assert fresh(order).order_discount == Decimal("5.00")


def test_discount_above_the_limit_waits_for_the_manager(qtbot, make_window, staff):
    order = make_order(State.DELIVERED)
    _window, page = desk(make_window, "cashier", order, qtbot)
    slip = page.show_step("slip")
    assert slip.values["total"].text() == "¥238.00"
    assert slip.select_line("机油滤清器 Oil filter") or slip.select_line(
        slip.slip.rows[1].description
    )
    click(qtbot, slip.line_discount_button)
    dialog = open_dialog(page, DiscountDialog)
    qtbot.keyClicks(dialog.amount_edit, "8")
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.ok_button())  # within 10 %: applied at once
    assert slip.values["total"].text() == "¥230.00"

    click(qtbot, slip.total_discount_button)
    dialog = open_dialog(page, DiscountDialog)
    qtbot.keyClicks(dialog.amount_edit, "50")
    click(qtbot, dialog.ok_button())
    assert dialog.isVisible() and "request it first" in dialog.error.text()
    assert dialog.approval_bar.isVisible()
    qtbot.keyClicks(dialog.approval_bar.reason_edit, "regular fleet customer")
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.approval_bar.request_button)
    request = Approval.get(Approval.kind == "discount")
    assert request.state == "pending" and request.amount == Decimal("58.00")  # 8 + 50 in all
    assert fresh(order).order_discount == 0
    assert slip.approvals.isVisible() and slip.approvals.button_for(request) is None
    assert (
        "Waiting for the general manager"
        in slip.approvals.findChild(type(slip.limit_label), f"approval_{request.id}").text()
    )

    approvals.approve(staff["manager"], request, "1234")
    page.refresh()
    click(qtbot, slip.approvals.button_for(request))
    assert fresh(order).order_discount == Decimal("50.00")
    assert slip.values["total"].text() == "¥180.00"
    assert Approval.get_by_id(request.id).state == "used"
    assert not slip.approvals.isVisible()


# --------------------------------------------------------------------------- void and refund


def _approval_dialog(qtbot, page, button, cls=ManagerApprovalDialog):
    click(qtbot, button)
    return open_dialog(page, cls)


def test_void_with_the_managers_pin_then_settle_again(qtbot, make_window, staff):
    order = make_order(State.SETTLED, paid=True)
    first = Settlement.get(Settlement.order == order)
    _window, page = desk(make_window, "cashier", order, qtbot)
    slip = page.show_step("slip")
    assert "frozen" in slip.state_label.text() and not slip.total_discount_button.isEnabled()
    payment = page.show_step("payment")
    dialog = _approval_dialog(qtbot, page, payment.void_button)
    qtbot.keyClicks(dialog.reason_edit, "discount forgotten")
    dialog.manager_combo.setCurrentIndex(dialog.manager_combo.findData(staff["manager"].id))
    qtbot.keyClicks(dialog.pin_edit, "0000")
    click(qtbot, dialog.ok_button())
    assert dialog.isVisible() and "Wrong PIN" in dialog.error.text()
    assert fresh(order).state == State.SETTLED
    qtbot.keyClicks(dialog.pin_edit, "1234")
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.ok_button())
    assert fresh(order).state == State.DELIVERED
    assert Settlement.get_by_id(first.id).state == "void"
    assert Approval.select().where(Approval.kind == "void").count() == 1  # retried, not re-asked
    assert current(page) == "slip"

    click(qtbot, slip.total_discount_button)
    discount = open_dialog(page, DiscountDialog)
    qtbot.keyClicks(discount.amount_edit, "20")
    with qtbot.waitSignal(discount.accepted):
        click(qtbot, discount.ok_button())
    payment = page.show_step("payment")
    assert "refund" in payment.block_label.text()
    click(qtbot, payment.settle_button)
    assert "refund it first" in page.banner.text()

    dialog = _approval_dialog(qtbot, page, payment.refund_button)
    qtbot.keyClicks(dialog.amount_edit, "20")
    dialog.method_combo.setCurrentIndex(dialog.method_combo.findData("cash"))
    qtbot.keyClicks(dialog.reason_edit, "discount given after settlement")
    dialog.manager_combo.setCurrentIndex(dialog.manager_combo.findData(staff["manager"].id))
    qtbot.keyClicks(dialog.pin_edit, "1234")
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.ok_button())
    back = Payment.get(Payment.amount < 0)
    assert back.amount == Decimal("-20.00") and back.receipt_no.startswith("SK")
    click(qtbot, payment.settle_button)
    second = Settlement.get((Settlement.order == order) & (Settlement.state == "active"))
    assert second.customer_total == Decimal("218.00") and second.id != first.id


def test_the_cashiers_approval_dialog_says_the_pin_is_locked(qtbot, make_window, staff):
    order = make_order(State.SETTLED, paid=True)
    _window, page = desk(make_window, "cashier", order, qtbot)
    dialog = _approval_dialog(qtbot, page, page.show_step("payment").void_button)
    qtbot.keyClicks(dialog.reason_edit, "discount forgotten")
    dialog.manager_combo.setCurrentIndex(dialog.manager_combo.findData(staff["manager"].id))
    for _ in range(5):
        qtbot.keyClicks(dialog.pin_edit, "0000")
        click(qtbot, dialog.ok_button())
    assert dialog.isVisible() and dialog.error.isVisible()
    assert "locked for 5 more minutes" in dialog.error.text()
    assert staff["manager"].name in dialog.error.text()
    qtbot.keyClicks(dialog.pin_edit, "1234")  # the right PIN, during the lock-out
    click(qtbot, dialog.ok_button())
    assert "locked" in dialog.error.text() and fresh(order).state == State.SETTLED


def test_a_manager_at_the_till_cannot_pick_themselves_to_approve(qtbot, make_window, staff):
    # a shop with one general manager (the sample admin is a manager too: not here)
    StaffRole.delete().where(
        (StaffRole.staff == staff["admin"].id) & (StaffRole.role == "manager")
    ).execute()
    order = make_order(State.SETTLED, paid=True)
    _window, page = desk(make_window, "manager", order, qtbot)
    dialog = _approval_dialog(qtbot, page, page.show_step("payment").void_button)
    assert dialog.manager_combo.findData(staff["manager"].id) == -1
    qtbot.keyClicks(dialog.reason_edit, "wrong price")
    click(qtbot, dialog.ok_button())
    assert "Nobody else may approve" in dialog.error.text()
    assert fresh(order).state == State.SETTLED


# --------------------------------------------------------------------------- notify, roles, drafts


def test_notify_warns_for_an_accident_car_at_peak_hours(qtbot, make_window, staff):
    order = make_order(State.READY, accident_car=True)
    checkout.delivery_check(staff["advisor"], order, ALL_CHECKS)
    _window, page = desk(make_window, "advisor", order, qtbot)
    notify = page.show_step("notify")
    notify.pickup_edit.setDateTime(QDateTime(dt.datetime(2026, 11, 2, 12, 0)))
    assert "peak hours" in notify.peak_label.text()
    click(qtbot, notify.record_button)
    assert page.banner.kind == "error" and "peak hours" in page.banner.text()
    assert current(page) == "notify"  # pick another time
    notify.pickup_edit.setDateTime(QDateTime(dt.datetime(2026, 11, 2, 15, 0)))
    assert "⚠" not in notify.peak_label.text()
    click(qtbot, notify.record_button)
    assert page.banner.kind == "info" and current(page) == "delivery"
    assert notify.history.rowCount() == 2


def test_notify_waits_for_the_delivery_check(qtbot, make_window):
    order = make_order(State.READY)
    _window, page = desk(make_window, "advisor", order, qtbot)
    notify = page.show_step("notify")
    assert not notify.record_button.isEnabled()
    assert "delivery check first" in notify.block_label.text()


@pytest.mark.parametrize("login", ["cashier", "manager"])
def test_desk_buttons_follow_roles(qtbot, make_window, login):
    order = make_order(State.READY)
    _window, page = desk(make_window, login, order, qtbot)
    assert not page.step("check").record_button.isEnabled()
    assert not page.step("delivery").deliver_button.isEnabled()
    assert page.step("delivery").deliver_button.toolTip() == "Your roles do not allow this."


def test_technician_has_no_checkout(make_window):
    assert "checkout" not in make_window("tech1").visible_page_keys()


def test_delivery_input_is_kept_as_a_draft(qtbot, make_window, staff):
    order = make_order(State.READY)
    checkout.delivery_check(staff["advisor"], order, ALL_CHECKS)
    checkout.notify_customer(staff["advisor"], order, "phone", clock.now() + dt.timedelta(hours=1))
    window, page = desk(make_window, "advisor", order, qtbot)
    delivery = page.show_step("delivery")
    tick(qtbot, delivery.boxes["work_explained"])
    type_into(qtbot, delivery.follow_edit, "after 18:00")
    key = delivery.draft_key()
    qtbot.waitUntil(lambda: drafts.load(key) is not None, timeout=10000)
    window.close()

    _window2, page2 = desk(make_window, "advisor", order, qtbot)
    delivery2 = page2.show_step("delivery")
    assert delivery2.draft_bar.isVisible() and not delivery2.boxes["work_explained"].isChecked()
    click(qtbot, delivery2.restore_button)
    assert delivery2.boxes["work_explained"].isChecked()
    assert delivery2.follow_edit.text() == "after 18:00"
    for box in delivery2.boxes.values():
        if not box.isChecked():
            tick(qtbot, box)
    click(qtbot, delivery2.deliver_button)
    assert fresh(order).state == State.DELIVERED and drafts.load(key) is None


def test_delivery_shows_every_line_and_the_first_service_can_be_changed(qtbot, make_window, staff):
    new_car = make_vehicle(sale_date=clock.today() - dt.timedelta(days=60), odometer=4800)
    order = make_order(State.READY, vehicle=new_car)
    make_line(order, "Wiper blades", origin="additional")
    make_line(order, "Brake fluid change", auth_state="declined", origin="original")
    make_line(order, "Cabin filter", auth_state="proposed")
    checkout.delivery_check(staff["advisor"], order, ALL_CHECKS)
    checkout.notify_customer(staff["advisor"], order, "phone", clock.now() + dt.timedelta(hours=1))
    _window, page = desk(make_window, "advisor", order, qtbot)
    delivery = page.show_step("delivery")
    shown = {
        delivery.work.index(r, 0).data(): delivery.work.index(r, 2).data()
        for r in range(delivery.work.rowCount())
    }
    assert shown["Wiper blades"] == "additional work, authorised"
    assert shown["Brake fluid change"] == "declined by the customer"
    assert shown["Cabin filter"] == "additional work, awaiting customer authorisation"
    assert len(shown) == 5  # the two factory lines as well
    # 首保 proposed by the shop's rule (a new car's service visit), shown and changeable
    assert delivery.first_box.isEnabled() and delivery.first_box.isChecked()
    assert "first service" in delivery.next_hint.text()
    assert "within 3 days" in delivery.follow_hint.text()  # the shop's follow-up setting
    delivery.first_box.click()
    for box in delivery.boxes.values():
        tick(qtbot, box)
    click(qtbot, delivery.deliver_button)
    row = fresh(order)
    assert row.state == State.DELIVERED and row.first_service is False
    assert not delivery.first_box.isEnabled() and not delivery.first_box.isChecked()


def test_a_return_of_goods_is_approved_by_the_manager_and_refunded(qtbot, make_window, staff):
    order = make_order(State.SETTLED, paid=True)
    _window, page = desk(make_window, "cashier", order, qtbot)
    payment = page.show_step("payment")
    dialog = _approval_dialog(qtbot, page, payment.refund_button)
    qtbot.keyClicks(dialog.amount_edit, "58")
    dialog.method_combo.setCurrentIndex(dialog.method_combo.findData("cash"))
    tick(qtbot, dialog.return_box)
    qtbot.keyClicks(dialog.reason_edit, "oil filter not needed, taken back")
    dialog.manager_combo.setCurrentIndex(dialog.manager_combo.findData(staff["manager"].id))
    qtbot.keyClicks(dialog.pin_edit, "1234")
    with qtbot.waitSignal(dialog.accepted):
        click(qtbot, dialog.ok_button())
    granted = Approval.get(Approval.order == order)
    assert (granted.kind, granted.state, granted.decided_by_id) == (
        "return",
        "used",
        staff["manager"].id,
    )
    back = Payment.get(Payment.amount < 0)
    assert back.amount == Decimal("-58.00") and back.method == "cash"


def test_the_method_agreed_on_the_task_order_is_preselected_at_payment(qtbot, make_window):
    from shop_desk.ui.shell.widgets import app_settings

    app_settings().setValue("checkout/payment_method", "cash")  # this desk's last was cash
    agreed = make_order(State.DELIVERED, payment_method="wechat")
    unagreed = make_order(State.DELIVERED)
    _window, page = desk(make_window, "cashier", agreed, qtbot)
    payment = page.step("payment")
    assert payment.method_combo.currentData() == "wechat"
    assert payment.reference_edit.isVisibleTo(payment)  # the form follows the method
    pick(qtbot, page, unagreed)
    assert payment.method_combo.currentData() == "cash"
    pick(qtbot, page, agreed)
    assert payment.method_combo.currentData() == "wechat"


def test_takings_of_the_day_show_refunds_as_their_own_figure(qtbot, make_window, staff):
    """The cashier's closing: money in per method, the refund apart, the net."""
    order = make_order(State.DELIVERED)
    due = checkout.settlement_preview(order).due
    checkout.take_payment(staff["cashier"], order, "cash", due)
    checkout.settle(staff["cashier"], order)
    ask = approvals.request_approval(staff["cashier"], "refund", order, "10", "退10元")
    checkout.refund(
        staff["cashier"], order, "10", "wechat", approvals.approve(staff["manager"], ask, "1234")
    )
    _window, page = desk(make_window, "cashier")
    click(qtbot, page.takings_button)
    dialog = page.findChild(TakingsDialog)
    assert dialog is not None and dialog.isVisible()
    rows = {
        dialog.table.item(r, 0).text(): [dialog.table.item(r, c).text() for c in range(1, 5)]
        for r in range(dialog.table.rowCount())
    }
    assert rows["Cash"] == ["1", f"¥{due:,.2f}", "¥0.00", f"¥{due:,.2f}"]
    assert rows["WeChat Pay"] == ["1", "¥0.00", "-¥10.00", "-¥10.00"]
    assert f"net ¥{due - 10:,.2f}" in dialog.total_label.text()
    dialog.date_edit.setDate(dialog.date_edit.date().addDays(-1))  # the day before: nothing
    assert dialog.table.rowCount() == 0
    dialog.close()
