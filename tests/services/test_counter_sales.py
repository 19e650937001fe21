"""The accessory counter (issue 22 §3): counter sales from stock with their payment, the
warranty policy per category (篇五), exchanges within 15 days on the shop's test report with
the general manager's approval (rule 11), and faulty products sent in (3-day replacement)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from shop_desk import clock
from shop_desk.counter_states import TRANSITIONS, CaseState
from shop_desk.errors import DomainError, PermissionDenied, TransitionRefused, ValidationError
from shop_desk.models import Approval, AuditLog, CounterPayment, CounterSaleLine, Part
from shop_desk.services import (
    admin,
    approvals,
    counter,
    counter_policy,
    counter_returns,
    documents,
    reports,
)
from shop_desk.services.approvals import ApprovalRequired
from shop_desk.services.base import REGISTRY

NOW = dt.datetime(2026, 11, 2, 9, 0)


def part(no: str) -> Part:
    return Part.get(Part.part_no == no)


def on_day(days: int, hours: float = 0) -> dt.datetime:
    moment = NOW + dt.timedelta(days=days, hours=hours)
    clock.set_now(moment)
    return moment


def sale_with_dashcam(staff, gift: bool = True):
    """A dash camera (accessory) and a battery (product), a bulb as a gift, paid in cash."""
    lines = [
        {"part": "DASHCAM", "quantity": "1"},
        {"part": part("BAT-60AH").id, "quantity": "1"},
    ]
    if gift:
        lines.append({"part": "BULB-H7", "quantity": "2", "gift": True})
    return counter.sell(
        staff["parts"],
        lines,
        "cash",
        tendered="1400.00",
        customer_name="王先生 Wang",
        customer_phone="139 1234 5678",
    )


def line_of(sale, part_no: str) -> CounterSaleLine:
    return next(line for line in counter.sale_lines(sale) if line.part.part_no == part_no)


def approved(staff, case) -> Approval:
    asked = counter_returns.request_case_approval(staff["parts"], case)
    return approvals.approve(staff["manager"], asked, "1234", "同意 ok")


# --------------------------------------------------------------------------- the sale


def test_a_counter_sale_takes_stock_and_money_and_numbers_its_receipt(db, staff):
    stock = {no: part(no).stock_qty for no in ("DASHCAM", "BAT-60AH", "BULB-H7")}
    sale = sale_with_dashcam(staff)
    assert sale.number == "LS261102-001"
    assert sale.total == Decimal("1319.00")  # 599 + 720, the gift bulbs at nothing
    assert sale.customer_phone == "13912345678"
    assert part("DASHCAM").stock_qty == stock["DASHCAM"] - 1
    assert part("BAT-60AH").stock_qty == stock["BAT-60AH"] - 1
    assert part("BULB-H7").stock_qty == stock["BULB-H7"] - 2
    (payment,) = counter.sale_payments(sale)
    assert (payment.method, payment.amount, payment.tendered, payment.change_given) == (
        "cash",
        Decimal("1319.00"),
        Decimal("1400.00"),
        Decimal("81.00"),
    )
    lines = {line.part.part_no: line for line in counter.sale_lines(sale)}
    assert lines["DASHCAM"].warranty_days == 90  # accessories: three months
    assert lines["BAT-60AH"].warranty_days == 365  # products: a year
    assert lines["BULB-H7"].gift and lines["BULB-H7"].warranty_days == 0
    assert lines["BULB-H7"].amount == Decimal("0.00")
    second = counter.sell(staff["cashier"], [{"part": "BULB-H7", "quantity": "1"}], "wechat")
    assert second.number == "LS261102-002"
    assert AuditLog.select().where(AuditLog.action == "sell").count() >= 2


def test_the_sale_is_refused_in_words(db, staff):
    with pytest.raises(ValidationError, match="Not enough .*Dash camera"):
        counter.sell(staff["parts"], [{"part": "DASHCAM", "quantity": "9"}], "cash")
    with pytest.raises(ValidationError, match="Gifts go with a sale"):
        counter.sell(staff["parts"], [{"part": "DASHCAM", "gift": True}], "cash")
    with pytest.raises(ValidationError, match="less than the amount"):
        counter.sell(staff["parts"], [{"part": "DASHCAM"}], "cash", tendered="500")
    with pytest.raises(ValidationError, match="paid at once"):
        counter.sell(staff["parts"], [{"part": "DASHCAM"}], "on_account")
    with pytest.raises(ValidationError, match="not one of the allowed"):
        counter.sell(staff["parts"], [{"part": "DASHCAM"}], "bitcoin")
    with pytest.raises(ValidationError, match="not a valid phone"):
        counter.sell(staff["parts"], [{"part": "DASHCAM"}], "card", customer_phone="12")
    with pytest.raises(ValidationError, match="at least one part"):
        counter.sell(staff["parts"], [], "card")
    with pytest.raises(PermissionDenied):
        counter.sell(staff["tech1"], [{"part": "DASHCAM"}], "card")
    assert part("DASHCAM").stock_qty == Decimal("8.00")  # nothing was sold


def test_stock_reserved_for_repair_orders_is_not_sold(db, staff):
    comp = part("AC-COMP")
    comp.reserved_qty = comp.stock_qty
    comp.save()
    with pytest.raises(ValidationError, match="reserved for repair orders"):
        counter.sell(staff["parts"], [{"part": "AC-COMP"}], "card")


def test_find_the_sale_by_receipt_number_or_phone(db, staff):
    sale = sale_with_dashcam(staff)
    assert counter.sales_for(sale.number.lower()) == [sale]
    assert counter.sales_for("13912345678") == [sale]
    assert counter.sales_for("13800000000") == []
    with pytest.raises(ValidationError, match="no counter sale"):
        counter.find_sale("LS000000-999")


# --------------------------------------------------------------------------- the policy


def test_the_exclusion_list_is_kept_by_the_shop_and_audited(db, staff):
    row = counter_policy.add_exclusion(staff["admin"], "accessory", "外壳 housing")
    assert counter_policy.excluded_item("accessory", " 外壳 HOUSING ") == row
    assert counter_policy.excluded_item("general", "外壳 housing") is None
    with pytest.raises(ValidationError, match="already excluded"):
        counter_policy.add_exclusion(staff["manager"], "accessory", "外壳 Housing")
    with pytest.raises(PermissionDenied):
        counter_policy.add_exclusion(staff["parts"], "accessory", "天线 aerial")
    counter_policy.remove_exclusion(staff["manager"], row)
    assert counter_policy.exclusions("accessory") == []
    assert counter_policy.exclusions("accessory", with_removed=True)[0].removed_by_id == (
        staff["manager"].id
    )
    actions = [a.action for a in AuditLog.select().where(AuditLog.entity == "counter_exclusion")]
    assert actions == ["add_exclusion", "remove_exclusion"]


def test_the_periods_are_the_shops_settings(db, staff):
    admin.update_settings(staff["admin"], counter_accessory_warranty_days=180)
    sale = counter.sell(staff["parts"], [{"part": "DASHCAM"}], "card")
    assert counter.sale_lines(sale)[0].warranty_days == 180
    assert counter_policy.warranty_text(180) == "6 month(s)"


# --------------------------------------------------------------------------- returns


def test_returned_on_day_14_with_approval_and_refused_on_day_16(db, staff):
    """The issue's walk: a counter sale returned on day 14, another refused on day 16."""
    sale = sale_with_dashcam(staff)
    other = counter.sell(staff["parts"], [{"part": "DASHCAM"}], "alipay")
    on_day(14)
    dashcam = line_of(sale, "DASHCAM")
    assert counter_returns.eligibility(dashcam).exchange
    case = counter_returns.receive_product(
        staff["parts"], dashcam, "1", "refund", "无法开机 does not switch on"
    )
    assert case.due_at == clock.now() + dt.timedelta(days=3)
    case = counter_returns.record_test_report(
        staff["tech1"], case, "JC-001", True, "主板故障 main board faulty", component="主板"
    )
    assert case.state == CaseState.FAULT_CONFIRMED
    assert case.covered_by == "exchange"
    with pytest.raises(ApprovalRequired, match="general manager's approval"):
        counter_returns.refund_case(staff["cashier"], case, "cash")
    asked = counter_returns.request_case_approval(staff["parts"], case)
    assert asked.kind == "return" and asked.amount == Decimal("599.00")
    assert case.number in asked.reason and sale.number in asked.reason
    assert asked in approvals.pending_approvals()
    with pytest.raises(ApprovalRequired, match="waits for the general manager"):
        counter_returns.refund_case(staff["cashier"], case, "cash")
    approvals.approve(staff["manager"], asked, "1234")
    refund = counter_returns.refund_case(staff["cashier"], case, "cash")
    assert refund.amount == Decimal("-599.00") and refund.reference == case.number
    assert counter.paid_total(sale) == Decimal("720.00")
    assert Approval.get_by_id(asked.id).state == "used"
    case = counter_returns._case(case.id)
    assert case.state == CaseState.REFUNDED
    assert line_of(sale, "DASHCAM").returned_qty == Decimal("1.00")
    with pytest.raises(ValidationError, match="0.00 can still be brought back"):
        counter_returns.receive_product(staff["parts"], dashcam, "1", "exchange", "again")
    on_day(16)
    late = counter.sale_lines(other)[0]
    with pytest.raises(TransitionRefused, match="only within 15 days.*16 days ago"):
        counter_returns.receive_product(staff["parts"], late, "1", "refund", "坏了 broken")


def test_after_the_window_a_warranty_replacement_goes_out_within_three_days(db, staff):
    sale = sale_with_dashcam(staff)
    stock = part("BAT-60AH").stock_qty
    on_day(100)
    battery = line_of(sale, "BAT-60AH")
    text = counter_returns.eligibility(battery).text
    assert "exchange is over" in text and "2027-11-02" in text
    case = counter_returns.receive_product(staff["advisor"], battery, "1", "exchange", "没电 flat")
    case = counter_returns.record_test_report(
        staff["parts"], case, "JC-002", True, "电芯故障 cell failure"
    )
    assert case.covered_by == "warranty"
    on_day(104)
    assert counter_returns.overdue_text(case) == (
        "Overdue by 1 day: the replacement was due on 2027-02-13 09:00."
    )
    assert case in counter_returns.open_cases()
    with pytest.raises(TransitionRefused, match="asked for an exchange, not a refund"):
        counter_returns.refund_case(staff["cashier"], case, "cash")
    approved(staff, case)
    case = counter_returns.send_replacement(staff["parts"], case)
    assert case.state == CaseState.REPLACED
    assert part("BAT-60AH").stock_qty == stock - 1
    assert counter_returns.overdue_text(case) == ""
    assert case not in counter_returns.open_cases()


def test_the_test_report_refuses_what_the_policy_does_not_cover(db, staff):
    counter_policy.add_exclusion(staff["admin"], "accessory", "显示屏 display panel")
    sale = sale_with_dashcam(staff)
    dashcam = line_of(sale, "DASHCAM")
    on_day(3)
    cases = [
        counter_returns.receive_product(staff["parts"], dashcam, "1", "exchange", "花屏")
        for _ in range(1)
    ]
    case = counter_returns.record_test_report(
        staff["parts"], cases[0], "JC-3", True, "屏坏", component="显示屏 Display panel"
    )
    assert case.state == CaseState.NOT_COVERED
    assert "exclusion list" in case.decision
    with pytest.raises(TransitionRefused, match="Cannot confirm a quality fault"):
        counter_returns.record_test_report(staff["parts"], case, "JC-3", True, "again")
    case = counter_returns.send_back(staff["parts"], case)
    assert case.state == CaseState.SENT_BACK and not case.customer_pays

    battery = line_of(sale, "BAT-60AH")
    damaged = counter_returns.receive_product(staff["parts"], battery, "1", "exchange", "坏")
    damaged = counter_returns.record_test_report(
        staff["parts"], damaged, "JC-4", True, "外壳破裂", exterior_damage=True
    )
    assert damaged.state == CaseState.NOT_COVERED and "exterior" in damaged.decision
    missing = counter_returns.receive_product(
        staff["parts"],
        counter.sell(staff["parts"], [{"part": "DASHCAM"}], "card").lines[0],
        "1",
        "exchange",
        "坏",
    )
    missing = counter_returns.record_test_report(
        staff["parts"], missing, "JC-5", True, "缺配件", parts_missing=True
    )
    assert "missing" in missing.decision
    no_fault = counter_returns.receive_product(
        staff["parts"],
        counter.sell(staff["parts"], [{"part": "DASHCAM"}], "card").lines[0],
        "1",
        "exchange",
        "不会用",
    )
    no_fault = counter_returns.record_test_report(
        staff["parts"], no_fault, "JC-6", False, "功能正常 works"
    )
    assert no_fault.state == CaseState.NOT_COVERED and "not a quality fault" in no_fault.decision


def test_gifts_are_not_exchanged(db, staff):
    sale = sale_with_dashcam(staff)
    gift = line_of(sale, "BULB-H7")
    with pytest.raises(TransitionRefused, match="was a gift"):
        counter_returns.receive_product(staff["parts"], gift, "1", "exchange", "不亮")


def test_without_the_managers_approval_the_costs_stay_with_the_customer(db, staff):
    sale = sale_with_dashcam(staff)
    on_day(2)
    case = counter_returns.receive_product(
        staff["parts"], line_of(sale, "DASHCAM"), "1", "exchange", "不录像"
    )
    case = counter_returns.record_test_report(staff["parts"], case, "JC-7", True, "坏")
    assert "rule 11" in counter_returns.approval_text(case)
    asked = counter_returns.request_case_approval(staff["parts"], case)
    with pytest.raises(DomainError, match="waiting for the general manager"):
        counter_returns.request_case_approval(staff["parts"], case)
    approvals.reject(staff["manager"], asked, "1234", "人为损坏 user damage")
    with pytest.raises(DomainError, match="rejected"):
        counter_returns.send_replacement(staff["parts"], case)
    case = counter_returns._case(case.id)
    assert "refused (人为损坏 user damage)" in counter_returns.approval_text(case)
    case = counter_returns.send_back(staff["parts"], case, "客户取回")
    assert case.customer_pays and "rule 11" in case.note
    assert case.state == CaseState.SENT_BACK


def test_every_move_of_the_case_table_has_its_service():
    for move in TRANSITIONS:
        module, name = move.service.split(".")
        info = REGISTRY[name]
        assert info.func.__module__ == f"shop_desk.services.{module}"
        assert move.roles <= info.roles


# --------------------------------------------------------------------------- reprints, report


def test_a_reprinted_receipt_is_a_copy(db, staff):
    sale = sale_with_dashcam(staff)
    assert documents.next_print_no("counter-receipt", sale.number) == 1
    documents.record_printed(staff["parts"], "counter-receipt", sale.number)
    assert documents.next_print_no("counter-receipt", sale.number) == 2
    documents.record_command_line_print("counter-receipt", sale.number, 2)
    assert documents.print_count("counter-receipt", sale.number) == 2
    assert documents.print_count("counter-receipt", "LS000000-001") == 0


def test_the_monthly_report_counts_counter_sales_and_returns(db, staff):
    sale = sale_with_dashcam(staff)
    counter.sell(staff["parts"], [{"part": "BULB-H7", "quantity": "2"}], "card")
    on_day(1)
    case = counter_returns.receive_product(
        staff["parts"], line_of(sale, "DASHCAM"), "1", "refund", "坏"
    )
    counter_returns.record_test_report(staff["parts"], case, "JC-8", True, "坏")
    approved(staff, case)
    counter_returns.refund_case(staff["cashier"], case, "card")
    report = reports.monthly_report(2026, 11)
    assert report.counter_sales == 2
    assert report.counter_revenue == Decimal("1409.00")
    assert report.counter_refunds == Decimal("599.00")
    assert report.counter_cases == 1
    assert report.counter_net == Decimal("810.00")
    rows = dict(reports.report_rows(report))
    assert rows["Counter sales: revenue"] == "¥1,409.00"
    assert rows["Counter sales: refunds"] == "¥599.00"
    assert CounterPayment.select().count() == 3


def test_shop_desk_check_sees_a_counter_sale_that_does_not_add_up(db, staff):
    from shop_desk.checks import check_database
    from shop_desk.models import CounterSale

    sale = sale_with_dashcam(staff)
    assert check_database() == []
    CounterSale.update(total=Decimal("1000.00")).where(CounterSale.id == sale.id).execute()
    problems = check_database()
    assert f"Counter receipt {sale.number}: its total 1,000.00 is not its lines' 1,319.00." in (
        problems
    )
    assert any("1,319.00 was paid after refunds" in p for p in problems)


def test_the_demo_counter_has_a_case_in_every_step(db, staff):
    from shop_desk.demo_counter import stage_counter
    from shop_desk.models import CounterCase

    assert stage_counter(staff, dt.date(2026, 11, 2)) == 4
    states = sorted(c.state for c in CounterCase.select())
    assert states == ["fault_confirmed", "fault_confirmed", "refunded"]
    on_day(0, 2)
    late = [c for c in counter_returns.open_cases() if counter_returns.overdue_text(c)]
    assert len(late) == 1 and late[0].line.sale.customer_phone == "13611112222"
    assert [a.kind for a in approvals.pending_approvals() if a.order_id is None] == ["return"]
    assert len(counter_policy.exclusions("accessory")) == 3
