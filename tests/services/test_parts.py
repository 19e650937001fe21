"""Parts services: requests and reservations, the parts issue slip, goods received, signing."""

from __future__ import annotations

from decimal import Decimal

import pytest
from parts_orders import PNG, add_part, part, reload, working

from factories import make_order
from shop_desk.errors import NotFound, PermissionDenied, TransitionRefused, ValidationError
from shop_desk.models import (
    AuditLog,
    ClockEvent,
    JobLine,
    PartsIssueLine,
    PartsIssueSlip,
    RepairOrder,
    Signature,
)
from shop_desk.roles import Role
from shop_desk.services import parts, workshop
from shop_desk.services.base import REGISTRY
from shop_desk.states import State


def fresh(row: JobLine) -> JobLine:
    return JobLine.get_by_id(row.id)


def labour_line(order: RepairOrder) -> JobLine:
    return JobLine.get((JobLine.order == order) & (JobLine.kind == "labour"))


def filter_line(order: RepairOrder) -> JobLine:
    return JobLine.get((JobLine.order == order) & (JobLine.kind == "part"))


EXPECTED_ROLES = {
    "request_parts": {Role.TECHNICIAN, Role.TEAM_LEADER},
    "issue_parts": {Role.PARTS_CLERK},
    "parts_arrived": {Role.PARTS_CLERK, Role.SUPERVISOR},
    "receive_stock": {Role.PARTS_CLERK},
    "sign_issue_slip": {Role.TECHNICIAN, Role.TEAM_LEADER},
}


@pytest.mark.parametrize("action", sorted(EXPECTED_ROLES))
def test_parts_services_are_declared_with_their_roles(action):
    assert REGISTRY[action].func.__module__ == "shop_desk.services.parts"
    assert set(REGISTRY[action].roles) == EXPECTED_ROLES[action]


# ------------------------------------------------------------------------- requests


def test_request_parts_reserves_stock(db, staff):
    order = working(staff)
    row = filter_line(order)
    result = parts.request_parts(staff["tech1"], row, 1)
    assert (
        result.reserved == Decimal("1.00")
        and result.short == Decimal("0")
        and result.order_state == "in_progress"
    )
    got = fresh(row)
    assert got.parts_requested == Decimal("1.00") and got.parts_reserved == Decimal("1.00")
    assert part("FLT-OIL").reserved_qty == Decimal("1.00") and part("FLT-OIL").stock_qty == Decimal(
        "60.00"
    )
    assert parts.stock_lookup("FLT-OIL").available == Decimal("59.00")
    assert reload(order).state == State.IN_PROGRESS


def test_request_parts_refusals(db, staff):
    order = working(staff)
    row = filter_line(order)
    with pytest.raises(ValidationError, match="lists"):
        parts.request_parts(staff["tech1"], row, 2)  # the task order lists 1
    with pytest.raises(ValidationError):
        parts.request_parts(staff["tech1"], row, 0)
    with pytest.raises(ValidationError, match="catalogue part"):
        parts.request_parts(staff["tech1"], labour_line(order), 1)
    proposed = add_part(order, "PAD-F", origin="additional", auth_state="proposed")
    with pytest.raises(TransitionRefused, match="not authorised"):
        parts.request_parts(staff["tech1"], proposed, 1)
    with pytest.raises(PermissionDenied):
        parts.request_parts(staff["parts"], row, 1)
    waiting = make_order(State.AWAITING_DISPATCH)
    with pytest.raises(TransitionRefused):
        parts.request_parts(staff["tech1"], filter_line(waiting), 1)
    assert fresh(row).parts_requested == 0 and part("FLT-OIL").reserved_qty == 0


def test_a_shortage_puts_the_order_waiting_for_parts_and_pauses_the_work(db, staff):
    order = working(staff)
    labour = labour_line(order)
    workshop.clock_start(staff["tech1"], labour)
    compressor = add_part(order, "AC-COMP", "2")  # one in stock
    result = parts.request_parts(staff["tech1"], compressor, 2)
    assert result.reserved == Decimal("1.00") and result.short == Decimal("1.00")
    assert reload(order).state == State.WAITING_PARTS
    assert fresh(labour).work_state == "paused"
    assert (
        ClockEvent.get((ClockEvent.line == labour) & (ClockEvent.kind == "pause")).reason == "parts"
    )
    assert part("AC-COMP").reserved_qty == Decimal("1.00")
    assert parts.stock_lookup(part("AC-COMP")).waiting_orders == [order.number]


def test_a_shortage_without_waiting_keeps_the_order_in_progress(db, staff):
    order = working(staff)
    compressor = add_part(order, "AC-COMP", "2")
    result = parts.request_parts(staff["tech1"], compressor, 2, wait_for_parts=False)
    assert result.short == Decimal("1.00") and reload(order).state == State.IN_PROGRESS


def test_parts_arrived_after_goods_received(db, staff):
    order = working(staff)
    compressor = add_part(order, "AC-COMP", "2")
    parts.request_parts(staff["tech1"], compressor, 2)
    with pytest.raises(TransitionRefused, match="still missing"):
        parts.parts_arrived(staff["parts"], order)
    assert reload(order).state == State.WAITING_PARTS
    with pytest.raises(PermissionDenied):
        parts.receive_stock(staff["tech1"], "AC-COMP", 1)
    with pytest.raises(ValidationError):
        parts.receive_stock(staff["parts"], "AC-COMP", -1)
    info = parts.receive_stock(staff["parts"], "AC-COMP", 1, note="supplier delivery")
    assert info.stock == Decimal("2.00") and info.waiting_orders == [order.number]
    parts.parts_arrived(staff["parts"], order)
    assert reload(order).state == State.IN_PROGRESS
    assert fresh(compressor).parts_reserved == Decimal("2.00")
    assert part("AC-COMP").reserved_qty == Decimal("2.00")
    with pytest.raises(TransitionRefused, match="not waiting"):
        parts.parts_arrived(staff["supervisor"], order)


# ------------------------------------------------------------------------- issue


def test_issue_parts_writes_a_slip_takes_stock_and_releases_the_reservation(db, staff):
    order = working(staff)
    row = filter_line(order)
    parts.request_parts(staff["tech1"], row, 1)
    slip = parts.issue_parts(staff["parts"], order, {row.id: 1}, staff["tech1"])
    assert slip.number == "CK261102-001"
    assert slip.technician_id == staff["tech1"].id and slip.issued_by_id == staff["parts"].id
    issued = PartsIssueLine.get(PartsIssueLine.slip == slip)
    assert (
        issued.line_id == row.id
        and issued.quantity == Decimal("1.00")
        and issued.part_id == part("FLT-OIL").id
    )
    assert part("FLT-OIL").stock_qty == Decimal("59.00") and part(
        "FLT-OIL"
    ).reserved_qty == Decimal("0.00")
    got = fresh(row)
    assert (
        got.parts_issued == Decimal("1.00") and got.parts_reserved == 0 and got.work_state == "done"
    )
    assert (
        AuditLog.select()
        .where((AuditLog.action == "issue_parts") & (AuditLog.entity == "part"))
        .exists()
    )

    other = working(staff)
    slip2 = parts.issue_parts(
        staff["parts"], other, {filter_line(other): "1"}, staff["leader1"]
    )  # no request needed
    assert slip2.number == "CK261102-002"


def test_issue_refused_when_stock_is_reserved_for_another_order(db, staff):
    first = working(staff)
    parts.request_parts(staff["tech1"], add_part(first, "AC-COMP"), 1)  # the only one, reserved
    second = working(staff)
    line2 = add_part(second, "AC-COMP")
    with pytest.raises(ValidationError, match="Not enough"):
        parts.issue_parts(staff["parts"], second, {line2.id: 1}, staff["tech1"])
    assert part("AC-COMP").stock_qty == Decimal("1.00") and PartsIssueSlip.select().count() == 0
    assert fresh(line2).parts_issued == 0


def test_issue_refused_when_stock_is_insufficient_for_two_lines_together(db, staff):
    order = working(staff)
    a = add_part(order, "WIN-MTR", "2")
    b = add_part(order, "WIN-MTR", "1")  # stock 2
    with pytest.raises(ValidationError, match="Not enough"):
        parts.issue_parts(staff["parts"], order, {a.id: 2, b.id: 1}, staff["tech1"])
    assert part("WIN-MTR").stock_qty == Decimal("2.00")
    assert PartsIssueLine.select().count() == 0


def test_issue_refusals(db, staff):
    order = working(staff)
    row = filter_line(order)
    proposed = add_part(order, "PAD-F", origin="additional", auth_state="proposed")
    with pytest.raises(TransitionRefused, match="not authorised"):
        parts.issue_parts(staff["parts"], order, {proposed.id: 1}, staff["tech1"])
    with pytest.raises(ValidationError, match="lists"):
        parts.issue_parts(staff["parts"], order, {row.id: 3}, staff["tech1"])
    other = working(staff)
    with pytest.raises(ValidationError, match="another order"):
        parts.issue_parts(staff["parts"], order, {filter_line(other).id: 1}, staff["tech1"])
    with pytest.raises(ValidationError, match="not an active technician"):
        parts.issue_parts(staff["parts"], order, {row.id: 1}, staff["washer"])
    with pytest.raises(ValidationError):
        parts.issue_parts(staff["parts"], order, {}, staff["tech1"])
    with pytest.raises(PermissionDenied):
        parts.issue_parts(staff["tech1"], order, {row.id: 1}, staff["tech1"])
    with pytest.raises(NotFound):
        parts.issue_parts(staff["parts"], order, {987654: 1}, staff["tech1"])
    ready = make_order(State.READY)
    with pytest.raises(TransitionRefused):
        parts.issue_parts(staff["parts"], ready, {filter_line(ready).id: 1}, staff["tech1"])
    assert PartsIssueSlip.select().count() == 0 and part("FLT-OIL").stock_qty == Decimal("60.00")


# ------------------------------------------------------------------------- signing


def test_the_technician_signs_the_parts_issue_slip(db, staff):
    order = working(staff)
    slip = parts.issue_parts(staff["parts"], order, {filter_line(order).id: 1}, staff["tech1"])
    assert parts.unsigned_slips(staff["tech1"]) == [slip]
    with pytest.raises(ValidationError):
        parts.sign_issue_slip(staff["tech1"], slip, b"")
    with pytest.raises(PermissionDenied):
        parts.sign_issue_slip(staff["tech2"], slip, PNG)
    with pytest.raises(PermissionDenied):
        parts.sign_issue_slip(staff["parts"], slip, PNG)
    assert PartsIssueSlip.get_by_id(slip.id).signed_at is None
    parts.sign_issue_slip(staff["tech1"], slip, PNG)
    signed = PartsIssueSlip.get_by_id(slip.id)
    assert signed.signed_at is not None
    sig = Signature.get_by_id(signed.signature_id)
    assert sig.image == PNG and sig.document == "parts_issue" and sig.order_id == order.id
    assert parts.unsigned_slips(staff["tech1"]) == []
    with pytest.raises(TransitionRefused, match="already signed"):
        parts.sign_issue_slip(staff["tech1"], slip, PNG)


def test_stock_lookup_by_part_number_id_or_row(db, staff):
    by_no = parts.stock_lookup("PAD-F")
    assert by_no.name.endswith("Front brake pads") and by_no.stock == Decimal("12.00")
    assert parts.stock_lookup(by_no.part_id) == by_no == parts.stock_lookup(part("PAD-F"))
    assert by_no.bin_location == "B-01-1" and by_no.waiting_orders == []
    with pytest.raises(NotFound):
        parts.stock_lookup("NO-SUCH-PART")
