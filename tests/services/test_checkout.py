"""Delivery and settlement: delivery check, notify, recommendations, deliver, settlement,
payments, discounts, voids, refunds and the gate pass (PROCESS.md §7–§8)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from factories import make_customer, make_line, make_order, make_vehicle
from shop_desk import clock
from shop_desk.checks import check_database
from shop_desk.errors import (
    ConflictError,
    DomainError,
    PermissionDenied,
    TransitionRefused,
    ValidationError,
)
from shop_desk.models import (
    FollowUp,
    GatePass,
    JobLine,
    OrderEvent,
    Payment,
    QcCheck,
    Recommendation,
    RepairOrder,
    Settlement,
)
from shop_desk.money import amount_in_words
from shop_desk.services import approvals, checkout
from shop_desk.services.approvals import ApprovalRequired
from shop_desk.states import State

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
ALL_CHECKS = {
    "fault_gone": True,
    "old_parts_present": True,
    "clean_inside": True,
    "clean_outside": True,
    "nothing_left_in_car": True,
}
WALK = {
    "work_explained": True,
    "old_parts_shown": True,
    "spare_wheel_tools": True,
    "car_clean": True,
    "care_advice": True,
    "protective_set_removed": True,
}
# The factory order: 1.00 h × 180.00 labour + oil filter 58.00 = 238.00
ORDER_TOTAL = Decimal("238.00")


def checked_and_told(staff, order: RepairOrder) -> None:
    """The internal delivery check done and the customer told (both come before delivery)."""
    checkout.delivery_check(staff["advisor"], order, ALL_CHECKS)
    checkout.notify_customer(staff["advisor"], order, "phone", clock.now() + dt.timedelta(hours=1))


def fresh(order: RepairOrder) -> RepairOrder:
    return RepairOrder.get_by_id(order.id)


def approved(staff, kind, order, amount=None, reason="needed"):
    req = approvals.request_approval(staff["advisor"], kind, order, amount, reason)
    return approvals.approve(staff["manager"], req, "1234")


# --------------------------------------------------------------------------- delivery check


def test_delivery_check_records_the_ticked_items(db, staff):
    order = make_order(State.READY, old_parts="take_home")
    event = checkout.delivery_check(staff["advisor"], order, ALL_CHECKS)
    assert event.kind == "delivery_check"
    assert json.loads(event.data)["lines_done_qc"] is True
    assert checkout.delivery_check_done(order)


def test_delivery_check_refuses_an_unticked_item_with_its_name(db, staff):
    order = make_order(State.READY)
    items = {**ALL_CHECKS, "clean_inside": False}
    with pytest.raises(ValidationError, match="Car clean inside"):
        checkout.delivery_check(staff["advisor"], order, items)
    assert not checkout.delivery_check_done(order)


def test_old_parts_are_checked_always_in_the_customers_choice(db, staff):
    """Present for a customer who takes them; else kept for disposal, none left in the car."""
    items = {k: v for k, v in ALL_CHECKS.items() if k != "old_parts_present"}
    with pytest.raises(ValidationError, match="kept for the shop's disposal"):
        checkout.delivery_check(
            staff["advisor"], make_order(State.READY, old_parts="dispose"), items
        )
    with pytest.raises(ValidationError, match="Old parts present"):
        checkout.delivery_check(
            staff["advisor"], make_order(State.READY, old_parts="take_home"), items
        )
    checkout.delivery_check(
        staff["advisor"], make_order(State.READY, old_parts="dispose"), ALL_CHECKS
    )


def test_the_walk_with_the_customer_explains_the_service_booklet(db, staff):
    order = make_order(State.READY, old_parts="take_home")
    checked_and_told(staff, order)
    with pytest.raises(ValidationError, match="Service booklet"):
        checkout.deliver(staff["advisor"], order, checks={**WALK, "care_advice": False})
    assert fresh(order).state == State.READY


def test_work_done_and_qc_signed_is_computed_from_the_record(db, staff):
    order = make_order(State.READY)
    make_line(order, description="Brake pads", work_state="in_progress")
    with pytest.raises(ValidationError, match="work not done: Brake pads"):
        checkout.delivery_check(staff["advisor"], order, {**ALL_CHECKS, "lines_done_qc": True})
    other = make_order(State.READY)
    QcCheck.create(order=other, stage="final", passed=False, reason="noise", by=staff["inspector"])
    with pytest.raises(ValidationError, match="no passed final inspection"):
        checkout.delivery_check(staff["advisor"], other, ALL_CHECKS)


def test_delivery_check_only_for_a_ready_car_and_an_advisor(db, staff):
    with pytest.raises(TransitionRefused):
        checkout.delivery_check(staff["advisor"], make_order(State.IN_PROGRESS), ALL_CHECKS)
    with pytest.raises(PermissionDenied):
        checkout.delivery_check(staff["cashier"], make_order(State.READY), ALL_CHECKS)


# --------------------------------------------------------------------------- notify


def test_notify_sets_pickup_and_warns_for_big_jobs_at_peak_hours(db, staff):
    order = make_order(State.READY)
    make_line(order, description="钣金喷漆 Body and paint", hours="3.00", category="body")
    noon = dt.datetime(2026, 11, 2, 12, 0)
    warning = checkout.notify_customer(staff["advisor"], order, "phone", noon)
    assert warning and "peak hours" in warning
    assert fresh(order).pickup_at == noon
    assert OrderEvent.get((OrderEvent.order == order) & (OrderEvent.kind == "notify"))
    assert checkout.notify_customer(staff["advisor"], order, "phone", noon.replace(hour=15)) is None


def test_notify_no_warning_for_a_small_job_at_peak_but_for_an_accident_car(db, staff):
    noon = dt.datetime(2026, 11, 2, 17, 30)
    assert (
        checkout.notify_customer(staff["advisor"], make_order(State.READY), "message", noon) is None
    )
    assert checkout.notify_customer(
        staff["advisor"], make_order(State.READY, accident_car=True), "message", noon
    )
    big = make_order(State.READY)
    make_line(big, hours="3.00")  # 1 + 3 = 4 hours
    assert checkout.notify_customer(staff["advisor"], big, "in_person", noon)


def test_notify_refuses_bad_input(db, staff):
    order = make_order(State.READY)
    with pytest.raises(ValidationError):
        checkout.notify_customer(
            staff["advisor"], order, "pigeon", clock.now() + dt.timedelta(hours=1)
        )
    with pytest.raises(ValidationError, match="past"):
        checkout.notify_customer(
            staff["advisor"], order, "phone", clock.now() - dt.timedelta(hours=1)
        )


# --------------------------------------------------------------------------- next service


def new_car(**kw):
    """A car sold two months ago with 4,800 km: still inside its first service interval."""
    return make_vehicle(sale_date=clock.today() - dt.timedelta(days=60), odometer=4800, **kw)


def test_next_service_first_service_and_intervals(db, staff):
    vehicle = new_car()
    ns = checkout.next_service(vehicle, 4800, dt.date(2026, 11, 2))
    assert ns == checkout.NextService(dt.date(2027, 5, 2), 9800, True)
    make_order(State.CLOSED, vehicle=vehicle)  # a 5,000 km service (maintenance line)
    assert checkout.next_service(vehicle, 9800, dt.date(2026, 11, 2)).first_service is False
    assert checkout.add_months(dt.date(2026, 8, 31), 6) == dt.date(2027, 2, 28)
    assert checkout.add_months(dt.date(2027, 8, 31), 6) == dt.date(2028, 2, 29)


def test_first_service_only_for_a_new_car_within_its_first_interval(db, staff):
    young = new_car()
    assert checkout.next_service(young, 5000, clock.today()).first_service is True
    assert checkout.next_service(young, 5001, clock.today()).first_service is False  # km
    sold = clock.today() - dt.timedelta(days=200)  # more than 6 months ago
    old = make_vehicle(sale_date=sold, odometer=3000)
    assert checkout.next_service(old, 3000, clock.today()).first_service is False
    # a car with 12,000 km that never came here before had its first service elsewhere
    assert checkout.next_service(make_vehicle(), 12000, clock.today()).first_service is False


def test_next_service_ignores_the_current_order(db, staff):
    order = make_order(State.READY, vehicle=new_car())
    ns = checkout.next_service(order.vehicle, 4800, clock.today(), exclude_order=order)
    assert ns.first_service is True


def test_a_repair_visit_is_not_the_first_service(db, staff):
    order = make_order(State.READY, vehicle=new_car())
    JobLine.update(category="general").where(JobLine.order == order).execute()
    ns = checkout.next_service(order.vehicle, 4800, clock.today(), exclude_order=order)
    assert ns.first_service is False


# --------------------------------------------------------------------------- recommendations


def test_recommendations_by_workshop_and_advisor_roles(db, staff):
    order = make_order(State.IN_PROGRESS)
    rec = checkout.add_recommendation(
        staff["tech1"], order, "后刹车片剩 3 mm Rear pads 3 mm", safety=True
    )
    assert rec.vehicle_id == order.vehicle_id and rec.state == "open"
    checkout.add_recommendation(staff["inspector"], order, "Wiper blades worn")
    with pytest.raises(PermissionDenied):
        checkout.add_recommendation(staff["washer"], order, "Tyres")
    with pytest.raises(PermissionDenied):
        checkout.decline_recommendation(staff["tech1"], rec)


def _delivered_with_safety_item(staff):
    order = make_order(State.DELIVERED)
    rec = checkout.add_recommendation(staff["advisor"], order, "Brake discs worn", safety=True)
    checkout.take_payment(staff["cashier"], order, "card", ORDER_TOTAL)
    return order, rec


def test_declined_safety_item_without_signature_blocks_settlement(db, staff):
    order, rec = _delivered_with_safety_item(staff)
    with pytest.raises(TransitionRefused, match="Brake discs worn"):
        checkout.settle(staff["cashier"], order)  # still undecided
    checkout.decline_recommendation(staff["advisor"], rec)
    with pytest.raises(TransitionRefused, match="signature"):
        checkout.settle(staff["cashier"], order)
    assert fresh(order).state == State.DELIVERED


def test_declined_safety_item_signed_allows_settlement_and_stays_in_archive(db, staff):
    order, rec = _delivered_with_safety_item(staff)
    with pytest.raises(ValidationError, match="PNG"):
        checkout.decline_recommendation(staff["advisor"], rec, signature_png=b"GIF89a")
    checkout.decline_recommendation(staff["advisor"], rec, signature_png=PNG)
    row = Recommendation.get_by_id(rec.id)
    assert (
        row.state == "declined"
        and row.signature.image == PNG
        and row.signature.document == "declined_recommendation"
    )
    checkout.settle(staff["cashier"], order)
    assert [r.id for r in checkout.declined_recommendations(order.vehicle)] == [rec.id]
    with pytest.raises(TransitionRefused):  # frozen after settlement
        checkout.accept_recommendation(staff["advisor"], rec)


def test_declined_safety_item_signed_on_paper(db, staff):
    order, rec = _delivered_with_safety_item(staff)
    checkout.decline_recommendation(staff["advisor"], rec, on_paper=True)
    assert checkout.settle(staff["cashier"], order).state == "active"


def test_accepted_or_non_safety_items_do_not_block(db, staff):
    order = make_order(State.DELIVERED)
    safety = checkout.add_recommendation(staff["advisor"], order, "Tyres at the limit", safety=True)
    checkout.add_recommendation(staff["advisor"], order, "Wash the engine bay")  # open, not safety
    checkout.accept_recommendation(staff["advisor"], safety)
    checkout.take_payment(staff["cashier"], order, "wechat", ORDER_TOTAL, reference="WX1")
    assert checkout.settle(staff["cashier"], order)


# --------------------------------------------------------------------------- deliver


def test_deliver_sets_next_service_and_follow_up_time(db, staff):
    customer = make_customer(preferred_contact_time="18:00-20:00")
    order = make_order(State.READY, vehicle=new_car(owner=customer))
    checked_and_told(staff, order)
    checkout.deliver(staff["advisor"], order, checks=WALK)
    row = fresh(order)
    assert row.state == State.DELIVERED and row.delivered_at == clock.now()
    assert row.next_service_date == dt.date(2027, 5, 2) and row.next_service_km == 9800
    assert row.first_service is True and row.follow_up_time == "18:00-20:00"


def test_deliver_first_service_can_be_changed_by_the_advisor(db, staff):
    order = make_order(State.READY, vehicle=new_car())
    checked_and_told(staff, order)
    with pytest.raises(ValidationError, match="yes or no"):
        checkout.deliver(staff["advisor"], order, checks=WALK, first_service="maybe")
    assert fresh(order).state == State.READY
    checkout.deliver(staff["advisor"], order, checks=WALK, first_service=False)
    assert fresh(order).first_service is False


def test_deliver_refused_before_a_passed_final_qc(db, staff):
    order = make_order(State.READY)
    checked_and_told(staff, order)
    QcCheck.create(order=order, stage="final", passed=False, reason="rattle", by=staff["inspector"])
    with pytest.raises(TransitionRefused, match="passed final inspection"):
        checkout.deliver(staff["advisor"], order, checks=WALK)
    assert fresh(order).state == State.READY


def test_deliver_refused_without_delivery_check_or_walk_items(db, staff):
    order = make_order(State.READY)
    with pytest.raises(TransitionRefused, match="internal delivery check"):
        checkout.deliver(staff["advisor"], order, checks=WALK)
    checkout.delivery_check(staff["advisor"], order, ALL_CHECKS)
    with pytest.raises(TransitionRefused, match="Notify customer"):  # nobody told the customer
        checkout.deliver(staff["advisor"], order, checks=WALK)
    checkout.notify_customer(staff["advisor"], order, "phone", clock.now() + dt.timedelta(hours=1))
    with pytest.raises(ValidationError, match="Protective set removed"):
        checkout.deliver(staff["advisor"], order, checks={**WALK, "protective_set_removed": False})
    with pytest.raises(ValidationError, match="next service date"):
        checkout.deliver(staff["advisor"], order, next_service_date=clock.today(), checks=WALK)
    checkout.deliver(staff["advisor"], order, dt.date(2027, 3, 1), 20000, "weekday evenings", WALK)
    row = fresh(order)
    assert (row.next_service_date, row.next_service_km, row.follow_up_time) == (
        dt.date(2027, 3, 1),
        20000,
        "weekday evenings",
    )


# --------------------------------------------------------------------------- settlement preview


def test_preview_counts_only_authorised_done_lines_and_separates_pay_types(db, staff):
    order = make_order(State.DELIVERED)
    make_line(order, "Warranty: window regulator", hours="1.50", pay_type="warranty")
    make_line(
        order, kind="part", description="Window regulator", unit_price="640.00", pay_type="warranty"
    )
    make_line(order, "Internal: re-check", hours="0.50", pay_type="internal")
    make_line(
        order, kind="part", description="Goodwill bulb", unit_price="45.00", pay_type="goodwill"
    )
    make_line(order, "Extra, not authorised", hours="2.00", auth_state="proposed")
    make_line(order, "Declined extra", hours="2.00", auth_state="declined")
    make_line(order, "Authorised but not done", hours="2.00", work_state="pending")
    p = checkout.settlement_preview(order)
    assert [ln.description for ln in p.proposed] == ["Extra, not authorised"]
    assert len(p.lines) == 6  # two factory lines + four done lines
    assert p.customer_total == ORDER_TOTAL
    assert sum(ln.customer_amount for ln in p.lines) == p.customer_total
    assert all(ln.customer_amount == 0 for ln in p.lines if ln.pay_type != "customer")
    assert p.warranty_claim == Decimal("910.00")  # 1.5 × 180 + 640
    assert p.internal_total == Decimal("90.00") and p.goodwill_total == Decimal("45.00")
    assert p.tax == Decimal("27.38")  # 238 − 238 / 1.13
    assert p.due == ORDER_TOTAL and p.due_in_words == "贰佰叁拾捌元整"


# --------------------------------------------------------------------------- discounts


def test_discount_within_the_limit_is_allowed(db, staff):
    order = make_order(State.DELIVERED)
    line = order.lines.where(~(order.lines.model.kind == "labour")).get()  # the oil filter
    checkout.set_discount(staff["cashier"], order, line, amount="8.00")
    checkout.set_discount(staff["advisor"], order, amount="15.80")  # 8 + 15.80 = 23.80 = 10 %
    p = checkout.settlement_preview(order)
    assert p.discount_total == Decimal("23.80") and p.customer_total == Decimal("214.20")
    with pytest.raises(ValidationError, match="more than the line"):
        checkout.set_discount(staff["advisor"], order, line, amount="60")
    for extra in (
        make_line(order, "Proposed extra", auth_state="proposed"),
        make_line(order, "Warranty line", pay_type="warranty"),
    ):
        with pytest.raises(ValidationError, match="Only authorised lines the customer pays"):
            checkout.set_discount(staff["advisor"], order, extra, amount="1")


def test_discount_over_the_limit_waits_for_the_manager(db, staff):
    order = make_order(State.DELIVERED)
    with pytest.raises(ApprovalRequired, match="request it first"):
        checkout.set_discount(staff["advisor"], order, amount="50")
    req = approvals.request_approval(
        staff["advisor"], "discount", order, "50", "regular fleet customer"
    )
    with pytest.raises(ApprovalRequired, match="waits for"):
        checkout.set_discount(staff["advisor"], order, amount="50")
    assert fresh(order).order_discount == Decimal("0.00")
    approvals.approve(staff["manager"], req, "1234")
    checkout.set_discount(staff["advisor"], order, amount="50")
    assert checkout.settlement_preview(order).customer_total == Decimal("188.00")
    assert approvals.Approval.get_by_id(req.id).state == "used"
    with pytest.raises(PermissionDenied):
        checkout.set_discount(staff["tech1"], order, amount="1")


# --------------------------------------------------------------------------- payments


def test_split_payment_with_cash_change(db, staff):
    order = make_order(State.DELIVERED)
    card = checkout.take_payment(staff["cashier"], order, "card", "200.00", reference="POS 001122")
    with pytest.raises(ValidationError, match="less than"):
        checkout.take_payment(staff["cashier"], order, "cash", "38.00", tendered="20")
    with pytest.raises(ValidationError, match="more than"):
        checkout.take_payment(staff["cashier"], order, "cash", "50.00", tendered="100")
    cash = checkout.take_payment(staff["cashier"], order, "cash", "38.00", tendered="100")
    assert cash.change_given == Decimal("62.00") and cash.tendered == Decimal("100.00")
    assert card.receipt_no.startswith("SK") and card.receipt_no != cash.receipt_no
    assert checkout.settlement_preview(order).due == 0
    with pytest.raises(ValidationError, match="more than"):
        checkout.take_payment(staff["cashier"], order, "card", "0.01")


def test_payment_only_after_delivery(db, staff):
    with pytest.raises(TransitionRefused):
        checkout.take_payment(staff["cashier"], make_order(State.READY), "cash", "10")
    with pytest.raises(PermissionDenied):
        checkout.take_payment(staff["tech1"], make_order(State.DELIVERED), "cash", "10")


def test_company_on_account_within_and_over_the_limit(db, staff):
    company = make_customer("上海某物流有限公司", kind="company", credit_limit=Decimal("300.00"))
    first = make_order(State.DELIVERED, vehicle=make_vehicle(owner=company))
    checkout.take_payment(staff["cashier"], first, "on_account", ORDER_TOTAL)
    assert checkout.outstanding_on_account(company) == ORDER_TOTAL
    checkout.settle(staff["cashier"], first)
    second = make_order(State.DELIVERED, vehicle=make_vehicle(owner=company))
    with pytest.raises(ApprovalRequired, match="62.00 of credit left") as err:
        checkout.take_payment(staff["cashier"], second, "on_account", ORDER_TOTAL)
    assert err.value.kind == "credit"
    approved(staff, "credit", second, ORDER_TOTAL)
    checkout.take_payment(staff["cashier"], second, "on_account", ORDER_TOTAL)
    s = checkout.settle(staff["cashier"], second)
    assert s.credit_total == ORDER_TOTAL and s.paid_total == 0


def test_on_account_is_for_companies(db, staff):
    order = make_order(State.DELIVERED)
    with pytest.raises(ApprovalRequired, match="company customers"):
        checkout.take_payment(staff["cashier"], order, "on_account", "10")
    assert Payment.select().count() == 0


# --------------------------------------------------------------------------- settle


def test_settle_freezes_the_order_with_a_snapshot(db, staff):
    order = make_order(State.DELIVERED)
    with pytest.raises(TransitionRefused, match="still due"):
        checkout.settle(staff["cashier"], order)
    checkout.take_payment(staff["cashier"], order, "alipay", ORDER_TOTAL)
    s = checkout.settle(staff["advisor"], order)
    assert (
        s.number.startswith("JS")
        and s.customer_total == ORDER_TOTAL
        and s.paid_total == ORDER_TOTAL
    )
    assert s.tax_total == Decimal("27.38")
    snap = json.loads(s.snapshot)
    assert [ln["amount"] for ln in snap["lines"]] == ["180.00", "58.00"]
    assert snap["total_in_words"] == amount_in_words(ORDER_TOTAL)
    assert fresh(order).state == State.SETTLED and fresh(order).settled_at == clock.now()
    with pytest.raises(TransitionRefused, match="manager-approved void"):
        checkout.set_discount(staff["advisor"], order, amount="1")


def test_technician_cannot_settle(db, staff):
    order = make_order(State.DELIVERED)
    checkout.take_payment(staff["cashier"], order, "cash", ORDER_TOTAL)
    for login in ("tech1", "leader1", "inspector"):
        with pytest.raises(PermissionDenied):
            checkout.settle(staff[login], order)
    assert fresh(order).state == State.DELIVERED


def test_unauthorised_additional_work_is_never_settled(db, staff):
    order = make_order(State.DELIVERED)
    make_line(order, "增项 Replace shock absorbers", hours="2.20", auth_state="proposed")
    checkout.take_payment(staff["cashier"], order, "cash", ORDER_TOTAL)
    with pytest.raises(TransitionRefused, match="not authorised"):
        checkout.settle(staff["cashier"], order)
    assert Settlement.select().count() == 0


def test_settle_refused_when_more_was_paid_than_due(db, staff):
    order = make_order(State.DELIVERED)
    checkout.take_payment(staff["cashier"], order, "cash", ORDER_TOTAL)
    checkout.set_discount(staff["cashier"], order, amount="10")
    with pytest.raises(TransitionRefused, match="refund"):
        checkout.settle(staff["cashier"], order)


def test_warranty_only_order_settles_at_zero(db, staff):
    order = make_order(State.DELIVERED, lines=False)
    make_line(order, "Warranty repair", hours="2.00", pay_type="warranty")
    s = checkout.settle(staff["cashier"], order)
    assert s.customer_total == 0 and s.warranty_total == Decimal("360.00")


# --------------------------------------------------------------------------- void and refund


def test_void_and_resettle_keeps_every_row(db, staff):
    order = make_order(State.DELIVERED)
    checkout.take_payment(staff["cashier"], order, "cash", ORDER_TOTAL)
    first = checkout.settle(staff["cashier"], order)
    pass_ = checkout.issue_gate_pass(staff["cashier"], order)
    req = approvals.request_approval(staff["cashier"], "void", order, None, "discount forgotten")
    with pytest.raises(ApprovalRequired, match="waits for"):
        checkout.void_settlement(staff["cashier"], order, req)
    assert fresh(order).state == State.SETTLED
    approvals.approve(staff["manager"], req, "1234")
    checkout.void_settlement(staff["cashier"], order, req)
    assert Settlement.get_by_id(first.id).state == "void"
    assert Settlement.get_by_id(first.id).void_reason == "discount forgotten"
    assert fresh(order).state == State.DELIVERED
    assert GatePass.get_by_id(pass_.id).void and checkout.gate_status(pass_.number).status == "void"
    # correct the price, refund the difference, settle again: payments stay and count
    checkout.set_discount(staff["advisor"], order, amount="20")
    refund_ok = approved(staff, "refund", order, "20")
    back = checkout.refund(staff["cashier"], order, "20", "cash", refund_ok)
    assert back.amount == Decimal("-20.00") and back.receipt_no.startswith("SK")
    second = checkout.settle(staff["cashier"], order)
    assert second.customer_total == Decimal("218.00") and second.paid_total == Decimal("218.00")
    assert Settlement.select().where(Settlement.order == order).count() == 2
    assert Payment.select().where(Payment.order == order).count() == 2


def test_void_needs_a_settled_order_and_the_right_role(db, staff):
    order = make_order(State.DELIVERED)
    with pytest.raises(ValidationError, match="no settlement to void"):
        approved(staff, "void", order)
    with pytest.raises(TransitionRefused):
        checkout.void_settlement(staff["cashier"], order, None)
    settled = make_order(State.SETTLED, paid=True)
    with pytest.raises(PermissionDenied):
        checkout.void_settlement(staff["tech1"], settled, approved(staff, "void", settled))


def test_refund_without_approval_or_beyond_what_was_paid(db, staff):
    order = make_order(State.SETTLED, paid=True)
    with pytest.raises(ApprovalRequired):
        checkout.refund(staff["cashier"], order, "10", "cash", None)
    too_much = approved(staff, "refund", order, "500")
    with pytest.raises(ValidationError, match="cannot be more"):
        checkout.refund(staff["cashier"], order, "500", "cash", too_much)
    assert Payment.select().where(Payment.amount < 0).count() == 0


def test_an_approved_refund_on_a_settled_order_keeps_the_books_consistent(db, staff):
    """Issue 17 item 3: after an approved 10 yuan refund `shop-desk check` stays clean, the
    settlement says what was paid and refunded, and the day's takings show the refund."""
    order = make_order(State.DELIVERED)
    checkout.take_payment(staff["cashier"], order, "cash", ORDER_TOTAL)
    settlement = checkout.settle(staff["cashier"], order)
    assert check_database(db) == []
    back = checkout.refund(
        staff["cashier"], order, "10", "wechat", approved(staff, "refund", order, "10")
    )
    assert check_database(db) == []
    row = Settlement.get_by_id(settlement.id)
    assert (row.customer_total, row.paid_total, row.refunded_total) == (
        ORDER_TOTAL,
        ORDER_TOTAL - 10,
        Decimal("10.00"),
    )
    day = checkout.daily_takings(back.at.date())
    assert (day.taken, day.refunded, day.net) == (
        ORDER_TOTAL,
        Decimal("-10.00"),
        ORDER_TOTAL - 10,
    )
    assert {(r.method, r.taken, r.refunded) for r in day.rows} == {
        ("cash", ORDER_TOTAL, Decimal("0.00")),
        ("wechat", Decimal("0.00"), Decimal("-10.00")),
    }
    # void and re-settle: the corrected bill takes the refund into account
    checkout.void_settlement(staff["cashier"], order, approved(staff, "void", order))
    assert checkout.settlement_preview(order).due == Decimal("10.00")
    checkout.set_discount(staff["advisor"], order, amount="10")
    second = checkout.settle(staff["cashier"], order)
    assert (second.customer_total, second.paid_total, second.refunded_total) == (
        ORDER_TOTAL - 10,
        ORDER_TOTAL - 10,
        Decimal("0.00"),
    )
    assert check_database(db) == []


def test_the_check_refuses_a_refund_the_payments_do_not_show(db, staff):
    order = make_order(State.DELIVERED)
    checkout.take_payment(staff["cashier"], order, "cash", ORDER_TOTAL)
    settlement = checkout.settle(staff["cashier"], order)
    Settlement.update(refunded_total=Decimal("10.00")).where(
        Settlement.id == settlement.id
    ).execute()
    (problem,) = check_database(db)
    assert order.number in problem and "refunded" in problem


def test_daily_takings_leave_out_voided_payments_and_other_days(db, staff):
    order = make_order(State.DELIVERED)
    paid = checkout.take_payment(staff["cashier"], order, "card", "100")
    Payment.create(order=order, method="cash", amount=Decimal("5"), receipt_no="X1", void=True)
    Payment.create(
        order=order,
        method="cash",
        amount=Decimal("7"),
        receipt_no="X2",
        at=paid.at - dt.timedelta(days=1),
    )
    day = checkout.daily_takings(paid.at.date())
    assert (day.taken, day.refunded, day.net, day.on_account) == (
        Decimal("100.00"),
        Decimal("0.00"),
        Decimal("100.00"),
        Decimal("0.00"),
    )
    with pytest.raises(ValidationError):
        checkout.daily_takings("today")


def test_two_desks_setting_the_discount_the_second_is_refused(db, staff):
    """Issue 17 item 6: the discount carries the order version the desk saw."""
    order = make_order(State.DELIVERED)
    seen = fresh(order).version
    checkout.set_discount(staff["advisor"], order, amount="10", expected_version=seen)
    with pytest.raises(ConflictError, match="after you opened it"):
        checkout.set_discount(staff["cashier"], order, amount="20", expected_version=seen)
    assert fresh(order).order_discount == Decimal("10.00")
    assert fresh(order).version == seen + 1


# --------------------------------------------------------------------------- gate pass


def test_gate_pass_issue_use_once_and_follow_up(db, staff):
    customer = make_customer(preferred_contact_time="19:00-21:00")
    order = make_order(
        State.SETTLED, paid=True, vehicle=make_vehicle(owner=customer, plate="沪B12345")
    )
    with pytest.raises(TransitionRefused):
        checkout.issue_gate_pass(staff["cashier"], make_order(State.DELIVERED))
    gate = checkout.issue_gate_pass(staff["cashier"], order)
    assert gate.number.startswith("MP") and len(gate.code) == 6
    with pytest.raises(DomainError, match="has a gate pass already"):
        checkout.issue_gate_pass(staff["cashier"], order)
    status = checkout.gate_status(gate.code.lower())
    assert (status.status, status.plate, status.order_number) == (
        "valid",
        "沪B·12345",
        order.number,
    )
    assert checkout.gate_status("沪B·12345").status == "valid"
    clock.set_now(dt.datetime(2026, 11, 2, 16, 30))
    checkout.use_gate_pass(staff["supervisor"], gate.number)
    row = fresh(order)
    assert row.state == State.LEFT and row.left_at == clock.now()
    follow_up = FollowUp.get(FollowUp.order == order)
    assert follow_up.due_at == dt.datetime(2026, 11, 5, 19, 0) and follow_up.state == "open"
    with pytest.raises(DomainError, match="used already"):
        checkout.use_gate_pass(staff["advisor"], gate.code)
    assert checkout.gate_status(gate.number).status == "used"
    assert FollowUp.select().where(FollowUp.order == order).count() == 1


def test_gate_status_not_issued_and_unknown(db, staff):
    order = make_order(State.DELIVERED, vehicle=make_vehicle(plate="沪C54321"))
    assert checkout.gate_status("沪C54321").status == "not_issued"
    assert checkout.gate_status("NOPE42").status == "not_issued"
    with pytest.raises(DomainError, match="No valid gate pass"):
        checkout.use_gate_pass(staff["cashier"], "NOPE42")
    with pytest.raises(PermissionDenied):
        checkout.use_gate_pass(staff["tech1"], "NOPE42")
    assert fresh(order).state == State.DELIVERED


def test_gate_pass_found_by_its_printed_qr_code(db, staff):
    order = make_order(State.SETTLED, paid=True)
    gate = checkout.issue_gate_pass(staff["cashier"], order)
    qr = f"{gate.number}|{gate.code}"  # what the printed QR code holds
    assert checkout.gate_status(qr).status == "valid"
    assert checkout.gate_status(f" {qr.lower()} ").status == "valid"
    assert checkout.gate_status(f"{gate.number}|ZZZZZZ").status == "not_issued"
    assert checkout.gate_status(f"|{gate.code}").status == "not_issued"
    with pytest.raises(DomainError, match="No valid gate pass"):
        checkout.use_gate_pass(staff["supervisor"], f"{gate.number}|ZZZZZZ")
    checkout.use_gate_pass(staff["supervisor"], qr)
    assert fresh(order).state == State.LEFT
    assert checkout.gate_status(qr).status == "used"


def _settled_pass(staff, plate="粤B12345", vehicle=None):
    order = make_order(State.SETTLED, paid=True, vehicle=vehicle or make_vehicle(plate=plate))
    return order, checkout.issue_gate_pass(staff["cashier"], order)


@pytest.mark.parametrize(
    "typed",
    [
        "粤B12345",
        "粤B·12345",
        " 粤b 123 45 ",
        "粤B•12345",
        "{number}",
        "{number_lower}",
        "{code_lower}",
        "{qr}",
    ],
)
def test_whatever_the_gate_shows_valid_it_lets_out(db, staff, typed):
    """Issue 15: the plate showed VALID but let-out said "No valid gate pass 粤B12345"."""
    order, gate_pass = _settled_pass(staff)
    text = typed.format(
        number=gate_pass.number,
        number_lower=gate_pass.number.lower(),
        code_lower=gate_pass.code.lower(),
        qr=f"{gate_pass.number}|{gate_pass.code}",
    )
    status = checkout.gate_status(text)
    assert (status.status, status.number, status.order_number) == (
        "valid",
        gate_pass.number,
        order.number,
    )
    used = checkout.use_gate_pass(staff["supervisor"], text)
    assert used.id == gate_pass.id and fresh(order).state == State.LEFT
    assert checkout.gate_status(text).status == "used"
    with pytest.raises(DomainError, match="used already"):
        checkout.use_gate_pass(staff["supervisor"], text)


def test_a_plate_stored_with_its_middle_dot_is_found_by_plate(db, staff):
    """Imported vehicles may keep the dot (粤B·12345); the gate reads the plate either way."""
    order, gate_pass = _settled_pass(staff, vehicle=make_vehicle(plate="粤B·12345"))
    assert checkout.gate_status("粤b12345").number == gate_pass.number
    assert checkout.use_gate_pass(staff["cashier"], "粤B 12345").id == gate_pass.id
    assert fresh(order).state == State.LEFT


def test_a_plate_matching_several_cars_is_not_guessed(db, staff):
    """Two vehicles on file with the same plate (an import, a plate moved to a new car)."""
    first, first_pass = _settled_pass(staff)
    second, second_pass = _settled_pass(staff)
    status = checkout.gate_status("粤B·12345")
    assert status.status == "several" and not status.number
    assert {m.number for m in status.matches} == {first_pass.number, second_pass.number}
    assert first_pass.number in status.message and second_pass.number in status.message
    assert "several" in status.message
    with pytest.raises(DomainError, match="several") as refused:
        checkout.use_gate_pass(staff["supervisor"], "粤B12345")
    assert second_pass.number in str(refused.value)
    assert fresh(first).state == fresh(second).state == State.SETTLED
    checkout.use_gate_pass(staff["supervisor"], second_pass.number)  # the pass itself decides
    assert fresh(second).state == State.LEFT
    # one car left: the plate now means the car still inside
    status = checkout.gate_status("粤B12345")
    assert (status.status, status.number) == ("valid", first_pass.number)
    assert checkout.use_gate_pass(staff["supervisor"], "粤B12345").id == first_pass.id


def test_by_plate_a_pass_still_counts_after_the_next_visit_is_booked(db, staff):
    """At delivery the advisor books the next service (a BOOKED order of the same car): the
    car at the gate still holds its pass, by plate as by number."""
    order, gate_pass = _settled_pass(staff)
    make_order(State.BOOKED, vehicle=order.vehicle)
    assert checkout.gate_status(gate_pass.number).status == "valid"
    status = checkout.gate_status("粤B12345")
    assert (status.status, status.number) == ("valid", gate_pass.number)
    assert checkout.use_gate_pass(staff["advisor"], "粤B12345").id == gate_pass.id
    assert fresh(order).state == State.LEFT


def test_by_plate_used_voided_and_reissued_passes_agree_with_let_out(db, staff):
    order, old_pass = _settled_pass(staff)
    checkout.void_settlement(staff["cashier"], order, approved(staff, "void", order))
    assert checkout.gate_status("粤B12345").status == "not_issued"  # no valid pass for the car
    with pytest.raises(DomainError, match="No valid gate pass"):
        checkout.use_gate_pass(staff["supervisor"], "粤B12345")
    for text in (old_pass.number, old_pass.code, f"{old_pass.number}|{old_pass.code}"):
        assert checkout.gate_status(text).status == "void"  # the paper itself: voided
        with pytest.raises(DomainError, match=f"Gate pass {old_pass.number} was voided"):
            checkout.use_gate_pass(staff["supervisor"], text)
    checkout.settle(staff["cashier"], order)
    new_pass = checkout.issue_gate_pass(staff["cashier"], order)
    assert checkout.gate_status(old_pass.number).status == "void"
    status = checkout.gate_status("粤B12345")
    assert (status.status, status.number) == ("valid", new_pass.number)
    with pytest.raises(DomainError, match="was voided"):
        checkout.use_gate_pass(staff["supervisor"], old_pass.code)  # the void paper's code
    assert checkout.use_gate_pass(staff["supervisor"], "粤B12345").id == new_pass.id
    status = checkout.gate_status("粤B12345")
    assert (status.status, status.number) == ("used", new_pass.number)
    with pytest.raises(DomainError, match="used already"):
        checkout.use_gate_pass(staff["supervisor"], "粤B12345")


def test_a_pass_of_an_order_that_is_not_settled_is_never_shown_valid(db, staff):
    """A stray pass row (imported, or left over) must not show VALID when let-out would refuse."""
    order = make_order(State.DELIVERED, vehicle=make_vehicle(plate="粤B12345"))
    stray = GatePass.create(order=order, number="MP-STRAY-1", code="STRAY2")
    for text in (stray.number, stray.code, "粤B12345"):
        assert checkout.gate_status(text).status != "valid"
        with pytest.raises(DomainError, match="No valid gate pass"):
            checkout.use_gate_pass(staff["supervisor"], text)
    assert fresh(order).state == State.DELIVERED


# --------------------------------------------------------------------------- the whole desk


def test_walk_from_ready_to_left(db, staff):
    """Ready car → delivery check → notify → deliver → split payment → settle → gate pass → gate."""
    order = make_order(State.READY, old_parts="take_home")
    advisor, cashier = staff["advisor"], staff["cashier"]
    checkout.delivery_check(advisor, order, ALL_CHECKS)
    assert (
        checkout.notify_customer(advisor, order, "phone", dt.datetime(2026, 11, 2, 15, 0)) is None
    )
    checkout.deliver(advisor, order, follow_up_time="10:00", checks=WALK)
    checkout.take_payment(cashier, order, "wechat", "100.00", reference="WX-77")
    checkout.take_payment(cashier, order, "cash", "138.00", tendered="150.00")
    settlement = checkout.settle(cashier, order)
    gate = checkout.issue_gate_pass(cashier, order)
    checkout.use_gate_pass(staff["supervisor"], gate.code)
    row = fresh(order)
    assert row.state == State.LEFT and settlement.paid_total == ORDER_TOTAL
    assert FollowUp.get(FollowUp.order == order).due_at.time() == dt.time(10, 0)


def test_a_declined_recommendation_raised_again_is_decided_at_the_new_visit(db, staff):
    """Declined at a visit long closed, raised again at check-in: the customer now accepts it
    (or declines it again, signing) at the new visit, not refused as 'order closed'."""
    from shop_desk.models import Recommendation
    from shop_desk.services import reception

    old = make_order(State.CLOSED, paid=True)
    rec = Recommendation.create(
        vehicle=old.vehicle, order=old, description="前刹车片 front pads", state="declined"
    )
    with pytest.raises(TransitionRefused):  # not raised again yet: the closed visit decides
        checkout.accept_recommendation(staff["advisor"], rec)
    visit = reception.check_in(staff["advisor"], old.vehicle, odometer_km=13000)
    assert [r.id for r in visit.declined_recommendations] == [rec.id]
    accepted = checkout.accept_recommendation(staff["advisor"], rec)
    assert accepted.state == "accepted"
