"""One rule for every reduction below the list price (issue 17 item 4): discount, goodwill,
internal, a lower labour rate or part price, a free part, a pay type changed after signing and
a technician's additional work (增项) — one limit, one 'discount' approval."""

from __future__ import annotations

from decimal import Decimal

import pytest

from factories import make_order
from shop_desk import clock
from shop_desk.errors import TransitionRefused
from shop_desk.models import (
    AdditionalWorkRequest,
    Approval,
    JobLine,
    LabourOperation,
    Part,
    RepairOrder,
    Team,
)
from shop_desk.services import approvals, checkout, pricing, reception, workshop
from shop_desk.services.approvals import ApprovalRequired
from shop_desk.states import State

# The factory order: 1.00 h × 180.00 (the shop's rate) + oil filter 58.00 (catalogue) = 238.00;
# the limit is 10 % of that: 23.80.


def op(code: str) -> LabourOperation:
    return LabourOperation.get(LabourOperation.code == code)


def part(no: str) -> Part:
    return Part.get(Part.part_no == no)


def lines(order: RepairOrder) -> int:
    return JobLine.select().where(JobLine.order == order).count()


def approve_discount(staff, order: RepairOrder, amount: str) -> Approval:
    req = approvals.request_approval(staff["advisor"], "discount", order, amount, "老客户")
    return approvals.approve(staff["manager"], req, "1234")


def refused(call, *args, **kwargs) -> ApprovalRequired:
    with pytest.raises(ApprovalRequired) as err:
        call(*args, **kwargs)
    assert err.value.kind == "discount"
    return err.value


def test_the_factory_order_is_at_list_price(db, staff):
    order = make_order(State.CHECKED_IN)
    rule = pricing.order_reduction(order)
    assert (rule.list_total, rule.total, rule.limit) == (
        Decimal("238.00"),
        Decimal("0.00"),
        Decimal("23.80"),
    )


def test_a_goodwill_line_above_the_limit_needs_the_approval(db, staff):
    order = make_order(State.CHECKED_IN)
    add = reception.add_labour_line
    err = refused(add, staff["advisor"], order, op("BRK-F"), pay_type="goodwill")
    assert err.amount == Decimal("216.00")  # 1.2 h × 180 given away
    assert lines(order) == 2
    approval = approve_discount(staff, order, "216")
    assert add(staff["advisor"], order, op("BRK-F"), pay_type="goodwill").pay_type == "goodwill"
    assert Approval.get_by_id(approval.id).state == "used"


def test_an_internal_line_counts_as_well(db, staff):
    order = make_order(State.CHECKED_IN)
    refused(reception.add_part_line, staff["advisor"], order, part("PAD-F"), pay_type="internal")
    assert lines(order) == 2


def test_a_labour_line_at_rate_zero_needs_the_approval_a_small_reduction_does_not(db, staff):
    order = make_order(State.CHECKED_IN)
    err = refused(
        reception.add_labour_line,
        staff["advisor"],
        order,
        description="检查异响 check noise",
        hours="1",
        rate="0",
    )
    assert err.amount == Decimal("180.00") and lines(order) == 2
    small = reception.add_labour_line(
        staff["advisor"], order, description="检查异响 check noise", hours="1", rate="170"
    )
    assert small.rate == Decimal("170.00")  # 10.00 below list: within the limit
    assert Approval.select().count() == 0


def test_a_part_below_its_catalogue_price_or_free_needs_the_approval(db, staff):
    order = make_order(State.CHECKED_IN)
    refused(reception.add_part_line, staff["advisor"], order, part("PAD-F"), "1", "300")
    assert lines(order) == 2
    filter_line = JobLine.get((JobLine.order == order) & (JobLine.kind == "part"))
    refused(reception.update_line, staff["advisor"], filter_line, unit_price="0")
    assert JobLine.get_by_id(filter_line.id).unit_price == Decimal("58.00")


def test_a_pay_type_changed_after_signing_needs_the_approval(db, staff):
    order = make_order(State.CHECKED_IN)
    labour = JobLine.get((JobLine.order == order) & (JobLine.kind == "labour"))
    order.signed_at, order.signed_on_paper = clock.now(), True
    order.save()
    with pytest.raises(TransitionRefused):
        reception.update_line(staff["advisor"], labour, pay_type="goodwill")
    reception.reopen_task_order(staff["advisor"], order, "customer asked for goodwill")
    refused(reception.update_line, staff["advisor"], labour, pay_type="goodwill")
    assert JobLine.get_by_id(labour.id).pay_type == "customer"


def test_discount_and_goodwill_share_one_limit(db, staff):
    order = make_order(State.CHECKED_IN)
    checkout.set_discount(staff["advisor"], order, amount="20")  # within 23.80
    # a free oil filter on top: 20.00 + 58.00 against a limit of 29.60 (list 296.00)
    err = refused(
        reception.add_part_line, staff["advisor"], order, part("FLT-OIL"), pay_type="goodwill"
    )
    assert err.amount == Decimal("78.00")
    assert lines(order) == 2


def test_warranty_lines_keep_their_own_rules(db, staff):
    order = make_order(State.CHECKED_IN)
    reception.decide_warranty(staff["advisor"], order, "covered", "new-car warranty")
    line = reception.add_part_line(staff["advisor"], order, part("AC-COMP"), pay_type="warranty")
    assert line.pay_type == "warranty" and Approval.select().count() == 0


def _dispatched(staff) -> RepairOrder:
    order = make_order(State.AWAITING_DISPATCH)
    team = Team.get(Team.name.startswith("机修一组"))
    workshop.dispatch(staff["supervisor"], order, team, staff["tech1"])
    workshop.accept_car(staff["tech1"], order)
    return RepairOrder.get_by_id(order.id)


def test_additional_work_at_rate_zero_needs_the_approval(db, staff):
    order = _dispatched(staff)
    free = [{"kind": "labour", "description": "Clean throttle body", "hours": "1", "rate": "0"}]
    err = refused(
        workshop.propose_additional_work, staff["tech1"], order, free, "throttle body dirty"
    )
    assert err.amount == Decimal("180.00")
    assert AdditionalWorkRequest.select().count() == 0
    assert RepairOrder.get_by_id(order.id).state == State.IN_PROGRESS.value
    approve_discount(staff, order, "180")
    request = workshop.propose_additional_work(staff["tech1"], order, free, "throttle body dirty")
    assert request.order_id == order.id
    assert RepairOrder.get_by_id(order.id).state == State.WAITING_AUTHORISATION.value
