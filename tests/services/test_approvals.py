"""Manager approvals (总经理审批): request, decide with the PIN, consume once."""

from __future__ import annotations

from decimal import Decimal

import pytest

from factories import make_order
from shop_desk.errors import DomainError, PermissionDenied, ValidationError
from shop_desk.models import Approval, Payment
from shop_desk.services import approvals, checkout
from shop_desk.services.approvals import ApprovalRequired
from shop_desk.states import State


def test_request_then_manager_approves_with_pin(db, staff):
    order = make_order(State.SETTLED, paid=True)
    req = approvals.request_approval(
        staff["cashier"], "refund", order, "50", "scratch found after delivery", {"method": "cash"}
    )
    assert req.state == "pending"
    assert [a.id for a in approvals.pending_approvals()] == [req.id]
    done = approvals.approve(staff["manager"], req, "1234", "ok")
    assert done.state == "approved" and done.decided_by_id == staff["manager"].id
    assert approvals.pending_approvals() == []
    assert [a.state for a in approvals.approvals_for(staff["cashier"])] == ["approved"]


def test_wrong_pin_is_refused_and_nothing_changes(db, staff):
    order = make_order(State.DELIVERED)
    req = approvals.request_approval(staff["advisor"], "discount", order, "30", "wrong price")
    with pytest.raises(PermissionDenied, match="Wrong PIN"):
        approvals.approve(staff["manager"], req, "9999")
    assert Approval.get_by_id(req.id).state == "pending"


def test_only_the_manager_decides(db, staff):
    req = approvals.request_approval(
        staff["advisor"], "discount", make_order(State.DELIVERED), "100", "loyal"
    )
    with pytest.raises(PermissionDenied):
        approvals.approve(staff["advisor"], req, "1234")
    with pytest.raises(PermissionDenied):
        approvals.reject(staff["cashier"], req, "1234", "no")
    assert Approval.get_by_id(req.id).state == "pending"


def test_reject_needs_a_reason_and_a_decision_is_final(db, staff):
    req = approvals.request_approval(
        staff["advisor"], "credit", make_order(State.DELIVERED), "900", "fleet"
    )
    with pytest.raises(ValidationError):
        approvals.reject(staff["manager"], req, "1234", "  ")
    approvals.reject(staff["manager"], req, "1234", "over their limit twice this year")
    assert Approval.get_by_id(req.id).state == "rejected"
    with pytest.raises(DomainError, match="decided already"):
        approvals.approve(staff["manager"], req, "1234")


def test_request_validates_kind_and_reason(db, staff):
    order = make_order(State.DELIVERED)
    with pytest.raises(ValidationError):
        approvals.request_approval(staff["advisor"], "bonus", order, None, "why not")
    with pytest.raises(ValidationError):
        approvals.request_approval(staff["advisor"], "refund", order, "10", "")
    # any active staff member may ask (e.g. a technician for a return)
    assert (
        approvals.request_approval(staff["tech1"], "return", order, "10", "part returned").state
        == "pending"
    )


def _refund(staff, order, approval=None):
    return checkout.refund(staff["cashier"], order, "50", "cash", approval)


def test_an_approval_is_consumed_once(db, staff):
    order = make_order(State.SETTLED, paid=True)  # paid in full in cash by the factory
    req = approvals.request_approval(staff["cashier"], "refund", order, "50", "goodwill refund")
    with pytest.raises(ApprovalRequired, match="waits for the general manager"):
        _refund(staff, order, req)
    approvals.approve(staff["manager"], req, "1234")
    payment = _refund(staff, order, req)
    assert payment.amount == Decimal("-50.00")
    assert Approval.get_by_id(req.id).state == "used"
    with pytest.raises(DomainError, match="cannot be used"):
        _refund(staff, order, req)
    assert Payment.select().where(Payment.amount < 0).count() == 1


def test_approval_must_cover_the_amount_and_fit_the_order(db, staff):
    order, other = make_order(State.SETTLED, paid=True), make_order(State.SETTLED, paid=True)
    small = approvals.request_approval(staff["cashier"], "refund", order, "20", "part of it")
    approvals.approve(staff["manager"], small, "1234")
    with pytest.raises(ApprovalRequired, match="allows at most ¥20.00, not ¥50.00"):
        _refund(staff, order, small)
    with pytest.raises(ValidationError, match="something else"):
        _refund(staff, other, small)
    void = approvals.request_approval(staff["cashier"], "void", order, None, "typo")
    approvals.approve(staff["manager"], void, "1234")
    with pytest.raises(ValidationError, match="something else"):
        _refund(staff, order, void)
    assert Approval.get_by_id(small.id).state == "approved"


def test_require_approved_without_a_request_says_to_ask(db, staff):
    order = make_order(State.DELIVERED)
    with pytest.raises(ApprovalRequired, match="request it first") as err:
        checkout.set_discount(staff["advisor"], order, amount="100")
    assert err.value.kind == "discount" and err.value.amount == Decimal("100.00")


@pytest.mark.parametrize("kind", ["refund", "return", "discount", "write_off", "credit"])
def test_a_money_approval_names_its_amount_and_its_order(db, staff, kind):
    order = make_order(State.SETTLED, paid=True)
    for amount in (None, "", "  "):
        with pytest.raises(ValidationError, match="Give the amount"):
            approvals.request_approval(staff["cashier"], kind, order, amount, "退1元")
    with pytest.raises(ValidationError, match="Name the repair order"):
        approvals.request_approval(staff["cashier"], kind, None, "1", "退1元")
    assert Approval.select().count() == 0


def test_a_void_approval_is_for_the_settled_total(db, staff):
    order = make_order(State.SETTLED, paid=True)
    void = approvals.request_approval(staff["cashier"], "void", order, None, "typo")
    assert void.amount == checkout.settlement_preview(order).customer_total


def test_an_approval_allows_at_most_its_amount(db, staff):
    """The issue's case: an approval for 1.00 (with or without naming it) never covers 824."""
    order = make_order(State.SETTLED, paid=True)
    one = approvals.request_approval(staff["cashier"], "refund", order, "1.00", "退1元")
    approvals.approve(staff["manager"], one, "1234")
    for approval in (one, None):
        with pytest.raises(ApprovalRequired, match="allows at most ¥1.00, not ¥200.00"):
            checkout.refund(staff["cashier"], order, "200.00", "cash", approval)
    assert Payment.select().where(Payment.amount < 0).count() == 0
    assert checkout.refund(staff["cashier"], order, "1.00", "cash", None).amount == Decimal("-1.00")
    assert Approval.get_by_id(one.id).state == "used"


def test_an_old_approval_without_an_amount_allows_nothing(db, staff):
    order = make_order(State.SETTLED, paid=True)
    legacy = Approval.create(
        kind="refund", order=order, amount=None, reason="old", requested_by=staff["cashier"],
        state="approved",
    )
    with pytest.raises(ApprovalRequired):
        checkout.refund(staff["cashier"], order, "10", "cash", legacy)
    with pytest.raises(ApprovalRequired):
        checkout.refund(staff["cashier"], order, "10", "cash", None)
    assert Approval.get_by_id(legacy.id).state == "approved"


def test_nobody_approves_their_own_request(db, staff):
    """Four eyes (issue 17, item 5): the general manager included; a deputy approver decides."""
    from shop_desk.services import admin

    order = make_order(State.SETTLED, paid=True)
    own = approvals.request_approval(staff["manager"], "refund", order, "30", "my own mistake")
    with pytest.raises(PermissionDenied, match="asked for this approval yourself"):
        approvals.approve(staff["manager"], own, "1234")
    assert Approval.get_by_id(own.id).state == "pending"
    deputy = admin.create_staff(staff["admin"], "赵副 Zhao", "deputy", "4321", ["approver"])
    assert approvals.approve(deputy, own, "4321").decided_by_id == deputy.id
    theirs = approvals.request_approval(deputy, "void", order, None, "deputy's own request")
    with pytest.raises(PermissionDenied, match="four eyes"):
        approvals.approve(deputy, theirs, "4321")
    assert approvals.approve(staff["manager"], theirs, "1234").state == "approved"
