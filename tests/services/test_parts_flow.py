"""Parts in and out (issue 22 §2): return slips (退料), suppliers and supplier orders (采购单)
with their receipts releasing the orders that waited, and supplier quality claims."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from parts_orders import PNG, add_part, part, reload, working

from factories import make_order
from shop_desk import clock
from shop_desk.errors import (
    NotFound,
    PermissionDenied,
    TransitionRefused,
    ValidationError,
)
from shop_desk.models import (
    AuditLog,
    JobLine,
    PartsReturnLine,
    PartsReturnSlip,
    RepairOrder,
    Signature,
    Supplier,
    SupplierClaim,
    SupplierOrder,
    SupplierOrderLine,
)
from shop_desk.roles import Role
from shop_desk.services import parts, parts_returns, purchasing, supplier_claims
from shop_desk.services.base import REGISTRY
from shop_desk.services.orders import order_totals
from shop_desk.states import State


def waiting_for(staff, no: str, qty: str) -> tuple[RepairOrder, JobLine]:
    """An order waiting for ``qty`` of part ``no`` (more than the free stock)."""
    order = working(staff)
    line = add_part(order, no, qty)
    parts.request_parts(staff["tech1"], line, qty, wait_for_parts=True)
    order = reload(order)
    assert order.state == State.WAITING_PARTS.value
    return order, reload(line)


@pytest.fixture
def supplier(staff) -> Supplier:
    return purchasing.save_supplier(staff["parts"], "博世配件 Bosch parts", "王经理", "13912345678")


EXPECTED_ROLES = {
    "return_parts": ("parts_returns", {Role.PARTS_CLERK}),
    "sign_return_slip": ("parts_returns", {Role.TECHNICIAN, Role.TEAM_LEADER}),
    "save_supplier": ("purchasing", {Role.PARTS_CLERK, Role.ADMIN, Role.MANAGER}),
    "set_reorder_level": ("purchasing", {Role.PARTS_CLERK, Role.ADMIN}),
    "order_shortage": ("purchasing", {Role.PARTS_CLERK}),
    "order_restock": ("purchasing", {Role.PARTS_CLERK}),
    "send_supplier_order": ("purchasing", {Role.PARTS_CLERK}),
    "cancel_supplier_order": ("purchasing", {Role.PARTS_CLERK}),
    "receive_supplier_order": ("purchasing", {Role.PARTS_CLERK}),
    "open_supplier_claim": ("supplier_claims", {Role.PARTS_CLERK}),
    "send_supplier_claim": ("supplier_claims", {Role.PARTS_CLERK}),
    "answer_supplier_claim": ("supplier_claims", {Role.PARTS_CLERK}),
}


@pytest.mark.parametrize("action", sorted(EXPECTED_ROLES))
def test_services_are_declared_with_their_roles(action):
    module, roles = EXPECTED_ROLES[action]
    assert REGISTRY[action].func.__module__ == f"shop_desk.services.{module}"
    assert set(REGISTRY[action].roles) == roles


# ------------------------------------------------------------------------- returns


def issued_order(staff, qty: str = "4") -> tuple[RepairOrder, JobLine]:
    order = working(staff)
    line = add_part(order, "PAD-F", qty)
    parts.issue_parts(staff["parts"], order, {line.id: qty}, staff["tech1"])
    return reload(order), reload(line)


def test_unused_parts_go_back_to_stock_and_the_order_charges_less(db, staff):
    order, line = issued_order(staff, "4")
    assert part("PAD-F").stock_qty == Decimal("8.00")
    before = order_totals(order)
    slip = parts_returns.return_parts(
        staff["parts"], order, {line.id: "1"}, staff["tech1"], "只换了一侧 one side only"
    )
    assert slip.number == "TL261102-001"
    assert slip.received_by_id == staff["parts"].id and slip.technician_id == staff["tech1"].id
    assert part("PAD-F").stock_qty == Decimal("9.00")
    got = reload(line)
    assert got.quantity == Decimal("3.00") and got.parts_issued == Decimal("3.00")
    assert got.parts_requested == Decimal("3.00")
    after = order_totals(order)
    assert before.parts - after.parts == Decimal("460.00")
    assert before.customer_total - after.customer_total == Decimal("460.00")
    row = PartsReturnLine.get(PartsReturnLine.slip == slip)
    assert row.quantity == Decimal("1.00") and row.line_id == line.id
    assert reload(order).version == order.version + 1
    assert (
        AuditLog.select()
        .where((AuditLog.action == "return_parts") & (AuditLog.entity == "part"))
        .exists()
    )


def test_a_whole_line_can_come_back(db, staff):
    order, line = issued_order(staff, "2")
    parts_returns.return_parts(staff["parts"], order, {line.id: "2"}, staff["tech1"])
    got = reload(line)
    assert got.quantity == 0 and got.parts_issued == 0
    assert part("PAD-F").stock_qty == Decimal("12.00")


def test_return_refusals_change_nothing(db, staff):
    order, line = issued_order(staff, "2")
    with pytest.raises(ValidationError, match="Only 2.00"):
        parts_returns.return_parts(staff["parts"], order, {line.id: "3"}, staff["tech1"])
    other, other_line = issued_order(staff, "1")
    with pytest.raises(ValidationError, match="another order"):
        parts_returns.return_parts(staff["parts"], order, {other_line.id: "1"}, staff["tech1"])
    with pytest.raises(ValidationError, match="not an active technician"):
        parts_returns.return_parts(staff["parts"], order, {line.id: "1"}, staff["washer"])
    with pytest.raises(ValidationError):
        parts_returns.return_parts(staff["parts"], order, {}, staff["tech1"])
    with pytest.raises(PermissionDenied):
        parts_returns.return_parts(staff["tech1"], order, {line.id: "1"}, staff["tech1"])
    with pytest.raises(NotFound):
        parts_returns.return_parts(staff["parts"], order, {987654: "1"}, staff["tech1"])
    settled = make_order(State.SETTLED)
    with pytest.raises(TransitionRefused, match="cannot be returned"):
        parts_returns.return_parts(staff["parts"], settled, {line.id: "1"}, staff["tech1"])
    assert PartsReturnSlip.select().count() == 0
    assert part("PAD-F").stock_qty == Decimal("9.00") and reload(line).quantity == 2


def test_only_the_named_technician_signs_the_return_slip_once(db, staff):
    order, line = issued_order(staff, "2")
    slip = parts_returns.return_parts(staff["parts"], order, {line.id: "1"}, staff["tech1"])
    assert parts_returns.unsigned_return_slips(staff["tech1"]) == [slip]
    with pytest.raises(PermissionDenied, match="handed the parts back"):
        parts_returns.sign_return_slip(staff["tech2"], slip, PNG)
    with pytest.raises(ValidationError, match="signature"):
        parts_returns.sign_return_slip(staff["tech1"], slip, b"")
    signed = parts_returns.sign_return_slip(staff["tech1"], slip, PNG)
    assert signed.signed_at == clock.now()
    sig = Signature.get_by_id(signed.signature_id)
    assert sig.document == "parts_return" and sig.order_id == order.id
    with pytest.raises(TransitionRefused, match="already signed"):
        parts_returns.sign_return_slip(staff["tech1"], slip, PNG)
    assert parts_returns.unsigned_return_slips() == []


# ------------------------------------------------------------------------- suppliers


def test_suppliers_are_saved_and_checked(db, staff, supplier):
    assert purchasing.suppliers() == [supplier]
    with pytest.raises(ValidationError, match="already"):
        purchasing.save_supplier(staff["parts"], "博世配件 Bosch parts")
    with pytest.raises(ValidationError, match="phone"):
        purchasing.save_supplier(staff["parts"], "Other", phone="12")
    changed = purchasing.save_supplier(
        staff["manager"], "博世配件 Bosch parts", "李经理", "", False, supplier.id
    )
    assert changed.contact == "李经理" and not changed.active
    assert purchasing.suppliers() == []
    with pytest.raises(ValidationError, match="no longer an active supplier"):
        purchasing.order_restock(staff["parts"], supplier, {part("PAD-F").id: "2"})


# ------------------------------------------------------------------------- supplier orders


def test_a_shortage_is_ordered_received_and_the_waiting_order_goes_on(db, staff, supplier):
    """The walk of issue 22: an order waits for two compressors (one on the shelf, taken by
    the request), a supplier order brings the missing one in two deliveries, and the second
    delivery ends the wait in the same transaction."""
    order, line = waiting_for(staff, "AC-COMP", "3")  # stock 1: 1 reserved, 2 short
    assert [(r.part_no, r.short) for r in purchasing.shortages(order)] == [
        ("AC-COMP", Decimal("2.00"))
    ]
    so = purchasing.order_shortage(staff["parts"], order, supplier, "急件 urgent")
    assert so.number == "CG261102-001" and so.state == "draft" and so.source == "shortage"
    assert so.repair_order_id == order.id
    so_line = SupplierOrderLine.get(SupplierOrderLine.supplier_order == so)
    assert so_line.quantity == Decimal("2.00") and so_line.job_line_id == line.id
    # what is on order is not ordered twice
    with pytest.raises(ValidationError, match="lacks nothing"):
        purchasing.order_shortage(staff["parts"], order, supplier)
    with pytest.raises(TransitionRefused, match="Draft|Sent"):
        purchasing.receive_supplier_order(staff["parts"], so, {so_line.id: "1"})
    purchasing.send_supplier_order(staff["parts"], so)
    assert reload(so).state == "sent" and reload(so).sent_at == clock.now()
    with pytest.raises(ValidationError, match="only 2.00 are still expected"):
        purchasing.receive_supplier_order(staff["parts"], so, {so_line.id: "3"})

    first = purchasing.receive_supplier_order(staff["parts"], so.number, {so_line.id: "1"})
    assert reload(so).state == "part_received"
    assert first.released == [] and first.still_waiting == [order.number]
    assert reload(order).state == State.WAITING_PARTS.value
    assert part("AC-COMP").stock_qty == Decimal("2.00")
    assert reload(line).parts_reserved == Decimal("2.00")

    clock.set_now(clock.now() + dt.timedelta(days=1))
    second = purchasing.receive_supplier_order(staff["parts"], so, {so_line.id: "1"})
    assert reload(so).state == "received" and reload(so_line).received_qty == Decimal("2.00")
    assert second.released == [order.number] and second.still_waiting == []
    assert reload(order).state == State.IN_PROGRESS.value
    assert reload(line).parts_reserved == Decimal("3.00")
    assert part("AC-COMP").stock_qty == Decimal("3.00")
    assert part("AC-COMP").reserved_qty == Decimal("3.00")
    moved = (
        AuditLog.select()
        .where(
            (AuditLog.action == "receive_supplier_order")
            & (AuditLog.entity == "repair_order")
            & (AuditLog.entity_id == order.id)
        )
        .get()
    )
    assert '"in_progress"' in moved.after
    assert order.number in purchasing.receipt_text(second)


def test_a_receipt_that_fails_books_nothing_and_releases_nothing(db, staff, supplier):
    order, _ = waiting_for(staff, "AC-COMP", "2")
    so = purchasing.order_shortage(staff["parts"], order, supplier)
    purchasing.send_supplier_order(staff["parts"], so)
    so_line = SupplierOrderLine.get(SupplierOrderLine.supplier_order == so)
    with pytest.raises(NotFound):
        purchasing.receive_supplier_order(staff["parts"], so, {so_line.id: "1", 987654: "1"})
    assert part("AC-COMP").stock_qty == Decimal("1.00")
    assert reload(order).state == State.WAITING_PARTS.value and reload(so).state == "sent"


def test_a_receipt_releases_other_orders_waiting_for_the_part(db, staff, supplier):
    first, _ = waiting_for(staff, "WIN-MTR", "3")  # stock 2: 1 short
    second, _ = waiting_for(staff, "WIN-MTR", "1")  # nothing free: 1 short
    so = purchasing.order_restock(staff["parts"], supplier, {part("WIN-MTR").id: "2"})
    assert so.source == "reorder" and so.repair_order_id is None
    purchasing.send_supplier_order(staff["parts"], so)
    so_line = SupplierOrderLine.get(SupplierOrderLine.supplier_order == so)
    receipt = purchasing.receive_supplier_order(staff["parts"], so, {so_line.id: "2"})
    assert receipt.released == [first.number, second.number]
    assert reload(first).state == reload(second).state == State.IN_PROGRESS.value


def test_stock_below_its_reorder_level_is_ordered(db, staff, supplier):
    with pytest.raises(ValidationError, match="No part is below"):
        purchasing.order_restock(staff["parts"], supplier)
    purchasing.set_reorder_level(staff["parts"], part("PAD-F"), "15")  # 12 free
    purchasing.set_reorder_level(staff["parts"], part("FLT-OIL"), "10")  # 60 free: fine
    rows = purchasing.reorder_list()
    assert [(r.part_no, r.available, r.suggested) for r in rows] == [
        ("PAD-F", Decimal("12.00"), Decimal("18.00"))
    ]
    so = purchasing.order_restock(staff["parts"], supplier)
    assert [(ln.part.part_no, ln.quantity) for ln in so.lines] == [("PAD-F", Decimal("18.00"))]
    # what is on order counts: nothing more is suggested
    assert purchasing.reorder_list()[0].on_order == Decimal("18.00")
    assert purchasing.reorder_list()[0].suggested == 0
    with pytest.raises(ValidationError):
        purchasing.set_reorder_level(staff["parts"], part("PAD-F"), "-1")
    with pytest.raises(PermissionDenied):
        purchasing.set_reorder_level(staff["tech1"], part("PAD-F"), "3")


def test_cancel_only_before_anything_came_in(db, staff, supplier):
    so = purchasing.order_restock(staff["parts"], supplier, {part("PAD-F").id: "2"})
    with pytest.raises(ValidationError, match="Reason"):
        purchasing.cancel_supplier_order(staff["parts"], so, " ")
    purchasing.cancel_supplier_order(staff["parts"], so, "供应商缺货 out of stock")
    assert reload(so).state == "cancelled" and "out of stock" in reload(so).note
    with pytest.raises(TransitionRefused):
        purchasing.send_supplier_order(staff["parts"], so)
    other = purchasing.order_restock(staff["parts"], supplier, {part("PAD-F").id: "2"})
    purchasing.send_supplier_order(staff["parts"], other)
    purchasing.receive_supplier_order(staff["parts"], other, {other.lines[0].id: "1"})
    with pytest.raises(TransitionRefused, match="Partly received"):
        purchasing.cancel_supplier_order(staff["parts"], other, "too late")
    rows = purchasing.supplier_order_rows(open_only=True)
    assert [r.number for r in rows] == [other.number]
    assert "1/2" in rows[0].items


# ------------------------------------------------------------------------- claims


def test_a_claim_from_a_repair_order_line_is_tracked_to_the_answer(db, staff, supplier):
    order, line = issued_order(staff, "2")
    claim = supplier_claims.open_supplier_claim(
        staff["parts"], supplier, "刹车片异响 pads squeal when new", job_line=line.id
    )
    assert claim.number == "SP261102-001" and claim.state == "open"
    assert claim.part_id == part("PAD-F").id and claim.repair_order_id == order.id
    with pytest.raises(TransitionRefused, match="Recorded"):
        supplier_claims.answer_supplier_claim(staff["parts"], claim, "accept")
    clock.set_now(clock.now() + dt.timedelta(days=2))
    supplier_claims.send_supplier_claim(staff["parts"], claim)
    clock.set_now(clock.now() + dt.timedelta(days=3))
    supplier_claims.answer_supplier_claim(staff["parts"], claim, "accept", "同意 agreed")
    got = reload(claim)
    assert got.state == "accepted" and got.accepted_at == clock.now()
    rows = supplier_claims.claim_rows(dt.date(2026, 11, 12))
    assert [(r.number, r.age_days, r.repair_order) for r in rows] == [
        (claim.number, 10, order.number)
    ]
    with pytest.raises(ValidationError, match="Credit"):
        supplier_claims.answer_supplier_claim(staff["parts"], claim, "credit")
    supplier_claims.answer_supplier_claim(staff["parts"], claim, "credit", credit="920.00")
    got = reload(claim)
    assert got.state == "credited" and got.credit == Decimal("920.00")
    assert got.closed_at == clock.now()
    assert supplier_claims.claim_rows(dt.date(2026, 11, 12)) == []
    closed = supplier_claims.claim_rows(dt.date(2026, 11, 12), open_only=False)
    assert closed[0].age_days == 5  # opened to answered
    with pytest.raises(TransitionRefused):
        supplier_claims.answer_supplier_claim(staff["parts"], claim, "refuse", "no")


def test_a_claim_for_a_stock_part_refused_needs_a_reason(db, staff, supplier):
    claim = supplier_claims.open_supplier_claim(
        staff["parts"], supplier, "包装破损 box damaged", part=part("FLT-OIL").id, quantity="5"
    )
    assert claim.repair_order_id is None and claim.quantity == Decimal("5.00")
    supplier_claims.send_supplier_claim(staff["parts"], claim)
    with pytest.raises(ValidationError, match="why"):
        supplier_claims.answer_supplier_claim(staff["parts"], claim, "refuse")
    supplier_claims.answer_supplier_claim(staff["parts"], claim, "refuse", "运输损坏 transport")
    assert reload(claim).state == "refused"
    with pytest.raises(ValidationError, match="Choose the part"):
        supplier_claims.open_supplier_claim(staff["parts"], supplier, "x")
    with pytest.raises(ValidationError, match="not one of"):
        supplier_claims.answer_supplier_claim(staff["parts"], claim, "maybe")
    with pytest.raises(PermissionDenied):
        supplier_claims.open_supplier_claim(staff["tech1"], supplier, "x", part=part("PAD-F"))
    assert SupplierClaim.select().count() == 1
    assert SupplierOrder.select().count() == 0


# ------------------------------------------------------------------------- shop-desk check


def test_check_reports_unsigned_return_slips_of_cars_handed_over_and_lines_over_returned(db, staff):
    from shop_desk.checks import check_database

    order, line = issued_order(staff, "2")
    slip = parts_returns.return_parts(staff["parts"], order, {line.id: "1"}, staff["tech1"])
    assert check_database(db) == []  # in the workshop: the technician signs it still
    RepairOrder.update(state=State.DELIVERED.value).where(RepairOrder.id == order.id).execute()
    handed_over = check_database(db)  # (the forced state breaks other rules too)
    problems = [p for p in handed_over if "Return slip" in p]
    assert len(problems) == 1 and slip.number in problems[0] and "not signed" in problems[0]
    parts_returns.sign_return_slip(staff["tech1"], slip, PNG)
    assert [p for p in check_database(db) if p not in handed_over] == []
    assert len(check_database(db)) == len(handed_over) - 1
    JobLine.update(parts_issued=Decimal("-1")).where(JobLine.id == line.id).execute()
    problems = [p for p in check_database(db) if p not in handed_over]
    assert len(problems) == 1 and "more parts returned" in problems[0]


def test_a_supplier_order_or_claim_number_no_database_stores_is_not_found(db, staff):
    """A lone surrogate (pasted from a broken file) is a clear "not found", not a crash."""
    from shop_desk.errors import NotFound
    from shop_desk.services import purchasing, supplier_claims

    with pytest.raises(NotFound, match="was not found"):
        purchasing.receive_supplier_order(staff["parts"], "\ud800", {1: 1})
    with pytest.raises(NotFound, match="was not found"):
        supplier_claims.send_supplier_claim(staff["parts"], "\ud800")
