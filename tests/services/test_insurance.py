"""Insurance repairs (issue 22 §1): the accident car, the claim and its loss assessment, the
supplementary assessment waiting for the insurer, the settlement split, insurer receivables."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from factories import make_line, make_order
from shop_desk import clock
from shop_desk.errors import PermissionDenied, TransitionRefused, ValidationError
from shop_desk.models import (
    AssessedLine,
    InsurerReceivable,
    JobLine,
    LabourOperation,
    Recommendation,
    RepairOrder,
    Settlement,
)
from shop_desk.services import (
    approvals,
    checkout,
    insurance,
    insurer_accounts,
    reception,
    workshop,
)
from shop_desk.states import State

D = Decimal
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def fresh(order: RepairOrder) -> RepairOrder:
    return RepairOrder.get_by_id(order.id)


@pytest.fixture
def insurer(db, staff):
    return insurance.save_insurer(staff["admin"], "平安保险 Ping An", "定损中心 95511")


def insured(staff, insurer, state=State.DELIVERED, excess="50.00", betterment="20.00"):
    """An order with the factory's customer lines (238.00) and two insurance lines: a body
    repair 1 h × 180.00 assessed at 150.00 and a bumper 100.00 assessed at 100.00."""
    order = make_order(state)
    body = make_line(order, "钣金修复 Panel repair", category="body")
    bumper = make_line(order, "前保险杠 Bumper", kind="part", unit_price="100.00")
    insurance.record_claim(
        staff["advisor"],
        order,
        insurer,
        "RPAH2026110200001",
        policy_no="PDAA2026-0001",
        accident_date=dt.date(2026, 10, 30),
        fault_party="other",
        excess=excess,
        betterment=betterment,
    )
    insurance.record_assessment(
        staff["advisor"],
        order,
        "李定损",
        dt.date(2026, 10, 31),
        {body.id: "150.00", bumper.id: "100.00"},
    )
    return fresh(order)


def test_marking_an_accident_car_makes_the_peak_hour_rule_fire(db, staff):
    order = make_order(State.READY)
    peak = dt.datetime(2026, 11, 2, 17, 30)
    assert checkout.notify_customer(staff["advisor"], order, "phone", peak) is None
    insurance.mark_accident_car(staff["advisor"], order)
    assert fresh(order).accident_car
    warning = checkout.notify_customer(staff["advisor"], fresh(order), "phone", peak)
    assert warning and "accident car" in warning
    with pytest.raises(PermissionDenied):
        insurance.mark_accident_car(staff["tech1"], order)


def test_a_claim_marks_the_accident_car_and_keeps_its_numbers(db, staff, insurer):
    order = make_order(State.CHECKED_IN)
    claim = insurance.record_claim(
        staff["advisor"], order, insurer, " RPAH001 ", accident_date=dt.date(2026, 11, 1)
    )
    assert fresh(order).accident_car
    assert (claim.claim_report_no, claim.fault_party, claim.excess) == ("RPAH001", "unknown", 0)
    with pytest.raises(TransitionRefused, match="stays an accident car"):
        insurance.mark_accident_car(staff["advisor"], order, False)
    with pytest.raises(ValidationError, match="future"):
        insurance.record_claim(
            staff["advisor"], order, insurer, "X", accident_date=dt.date(2026, 12, 1)
        )
    with pytest.raises(ValidationError, match="at fault"):
        insurance.record_claim(staff["advisor"], order, insurer, "X", fault_party="god")
    photos = insurance.add_claim_photos(staff["advisor"], order, [("front.png", _png())])
    assert [p.filename for p in photos] == ["front.png"]
    with pytest.raises(ValidationError, match="not a picture"):
        insurance.add_claim_photos(staff["advisor"], order, [("x.png", b"no picture")])


def _png() -> bytes:
    from shop_desk.demo import signature_png

    return signature_png(3)


def test_insurance_pay_type_needs_a_claim(db, staff, insurer):
    order = make_order(State.CHECKED_IN)
    line = JobLine.get(JobLine.order == order, JobLine.kind == "labour")
    with pytest.raises(ValidationError, match="insurance claim"):
        reception.update_line(staff["advisor"], line, pay_type="insurance")


def test_split_per_line_assessment_excess_and_betterment(db, staff, insurer):
    order = insured(staff, insurer)
    split = insurance.settlement_split(order)
    # insured 180 + 100 = 280; covered 150 + 100 = 250; 30 above the assessment
    assert (split.insured, split.assessed, split.above_assessment) == (D("280"), D("250"), D("30"))
    assert (split.excess, split.betterment) == (D("50.00"), D("20.00"))
    assert split.insurer_part == D("180.00")
    assert split.customer_part == D("100.00")
    assert split.insurer_part + split.customer_part == split.insured
    preview = checkout.settlement_preview(order)
    assert preview.customer_total == D("338.00")  # 238.00 own lines + 100.00 of the insured
    assert preview.insurer_part == D("180.00")


def test_split_total_assessment_and_an_excess_larger_than_the_cover(db, staff, insurer):
    order = make_order(State.DELIVERED)
    make_line(order, "钣金 Panel", pay_type="customer")
    insurance.record_claim(staff["advisor"], order, insurer, "R2", excess="500.00")
    with pytest.raises(ValidationError, match="No line"):
        insurance.record_assessment(staff["advisor"], order, "李", dt.date(2026, 11, 1), None, "9")
    JobLine.update(pay_type="insurance").where(JobLine.order == order).execute()
    insurance.record_assessment(staff["advisor"], order, "李", dt.date(2026, 11, 1), None, "300")
    split = insurance.settlement_split(order)
    assert split.insured == D("418.00") and split.assessed == D("300.00")
    assert split.excess == D("300.00") and split.insurer_part == D("0.00")
    assert split.customer_part == D("418.00")


def test_supplement_waits_for_the_insurer_like_additional_work(db, staff, insurer):
    order = insured(staff, insurer, State.IN_PROGRESS)
    tech = fresh(order).technician
    op = LabourOperation.get(LabourOperation.code == "MNT-5K")
    with pytest.raises(ValidationError, match="supplementary assessment"):
        workshop.propose_additional_work(
            tech, order, [{"kind": "labour", "labour_op": op.id, "pay_type": "insurance"}], "x"
        )
    request = insurance.propose_supplement(
        tech,
        order,
        [{"kind": "labour", "description": "纵梁校正 Frame straightening", "hours": "2"}],
        "拆检发现纵梁变形 frame bent, found on strip-down",
    )
    order = fresh(order)
    assert order.state == State.WAITING_AUTHORISATION.value
    line = JobLine.get(JobLine.request == request)
    assert (line.pay_type, line.auth_state) == ("insurance", "proposed")
    assert any(w.awaiting_authorisation for w in workshop.work_not_done(order))
    with pytest.raises(TransitionRefused, match="insurer decides"):
        workshop.record_authorisation(
            staff["advisor"], request, {line.id: "authorised"}, "phone", "王"
        )
    with pytest.raises(ValidationError, match="insurer's answer on every line"):
        insurance.record_supplement_answer(staff["advisor"], request, {}, "李定损")
    [supplement] = insurance.supplements(order)
    assert supplement.state == "pending"
    insurance.record_supplement_answer(staff["advisor"], request, {line.id: "300.00"}, "李定损")
    assert fresh(order).state == State.IN_PROGRESS.value
    assert JobLine.get_by_id(line.id).auth_state == "authorised"
    assert AssessedLine.get(AssessedLine.line == line).amount == D("300.00")
    [supplement] = insurance.supplements(order)
    assert supplement.state == "approved" and supplement.amounts == {line.id: D("300.00")}
    with pytest.raises(TransitionRefused, match="already recorded"):
        insurance.record_supplement_answer(staff["advisor"], request, {line.id: "1"}, "李")


def test_the_advisor_notice_of_a_supplement_says_it_waits_for_the_insurer(db, staff, insurer):
    order = insured(staff, insurer, State.IN_PROGRESS)
    insurance.propose_supplement(
        fresh(order).technician,
        order,
        [{"kind": "labour", "description": "纵梁校正 Frame straightening", "hours": "2"}],
        "frame bent",
    )
    [notice] = [
        a
        for a in workshop.advisor_alerts(fresh(order).advisor)
        if a.kind == "additional_work" and a.order_id == order.id
    ]
    assert notice.text == "A supplementary assessment waits for the insurer's approval: frame bent"


def test_insurer_declining_a_supplement_line_leaves_it_undone(db, staff, insurer):
    order = insured(staff, insurer, State.IN_PROGRESS)
    request = insurance.propose_supplement(
        fresh(order).technician,
        order,
        [{"kind": "labour", "description": "喷漆 Paint", "hours": "1"}],
        "hidden damage",
    )
    line = JobLine.get(JobLine.request == request)
    insurance.record_supplement_answer(staff["advisor"], request, {line.id: "declined"}, "李")
    assert JobLine.get_by_id(line.id).auth_state == "declined"
    assert insurance.supplements(order)[0].state == "declined"
    assert fresh(order).state == State.IN_PROGRESS.value


def test_checks_waiting_for_a_supplement_name_the_insurer(db, staff, insurer):
    order = insured(staff, insurer, State.IN_PROGRESS)
    for line in JobLine.select().where(JobLine.order == order):
        line.work_state = "done"
        line.save()
    insurance.propose_supplement(
        fresh(order).technician,
        order,
        [{"kind": "labour", "description": "纵梁校正 Frame", "hours": "2"}],
        "hidden damage",
    )
    [open_work] = workshop.work_not_done(order)
    assert open_work.decided_by == "insurer"
    refusal = workshop.work_not_done_refusal(fresh(order), "do the self-check")
    assert "纵梁校正 Frame (supplementary assessment waiting for the insurer's approval)" in refusal
    assert refusal.endswith(
        "The service advisor records the insurer's answer on the supplementary assessment first."
    )
    assert "customer" not in refusal


def test_settling_with_a_supplement_undecided_names_the_insurer(db, staff, insurer):
    order = insured(staff, insurer, State.IN_PROGRESS)
    insurance.propose_supplement(
        fresh(order).technician,
        order,
        [{"kind": "labour", "description": "纵梁校正 Frame", "hours": "2"}],
        "hidden damage",
    )
    RepairOrder.update(state=State.DELIVERED.value).where(RepairOrder.id == order.id).execute()
    with pytest.raises(TransitionRefused) as refused:
        checkout.settle(staff["cashier"], order)
    assert str(refused.value) == (
        "A supplementary assessment is not approved by the insurer yet (纵梁校正 Frame): record "
        "the insurer's answer before settling; unapproved work is never charged."
    )
    assert fresh(order).state == State.DELIVERED.value


def _declined_supplement(staff, insurer):
    """An insured order in progress whose supplement (paint 1 h, frame 2 h) the insurer
    answered: paint declined, frame approved."""
    order = insured(staff, insurer, State.IN_PROGRESS)
    request = insurance.propose_supplement(
        fresh(order).technician,
        order,
        [
            {"kind": "labour", "description": "喷漆 Paint", "hours": "1"},
            {"kind": "labour", "description": "纵梁校正 Frame straightening", "hours": "2"},
        ],
        "hidden damage",
    )
    paint, frame = JobLine.select().where(JobLine.request == request).order_by(JobLine.sort)
    insurance.record_supplement_answer(
        staff["advisor"], request, {paint.id: "declined", frame.id: "300.00"}, "李"
    )
    return fresh(order), request, paint, frame


def test_starting_a_line_waiting_for_the_insurer_names_the_insurer(db, staff, insurer):
    order = insured(staff, insurer, State.IN_PROGRESS)
    tech = fresh(order).technician
    request = insurance.propose_supplement(
        tech, order, [{"kind": "labour", "description": "喷漆 Paint", "hours": "1"}], "dent"
    )
    line = JobLine.get(JobLine.request == request)
    with pytest.raises(TransitionRefused) as refused:
        workshop.clock_start(tech, line)
    assert "waiting for the insurer's approval" in str(refused.value)
    assert order.number in str(refused.value) and "customer" not in str(refused.value)
    body = JobLine.get((JobLine.order == order) & (JobLine.description == "钣金修复 Panel repair"))
    with pytest.raises(TransitionRefused, match="waits for the insurer's approval"):
        workshop.clock_start(tech, body)
    # the customer's own additional work keeps the customer's words
    customer = workshop.propose_additional_work(
        tech, order, [{"kind": "labour", "description": "洗车 Wash", "hours": "1"}], "dirty"
    )
    with pytest.raises(TransitionRefused, match="Waiting for authorisation"):
        workshop.clock_start(tech, JobLine.get(JobLine.request == customer))
    assert workshop.waiting_for(order) == {"insurer", "customer"}


def test_a_line_the_insurer_declined_says_so_when_started(db, staff, insurer):
    order, _request, paint, _frame = _declined_supplement(staff, insurer)
    with pytest.raises(TransitionRefused, match="declined by the insurer"):
        workshop.clock_start(order.technician, paint)


def test_the_customer_pays_a_line_the_insurer_declined(db, staff, insurer):
    order, request, paint, frame = _declined_supplement(staff, insurer)
    assert insurance.declined_by_insurer(request) == [paint]
    with pytest.raises(ValidationError, match="not a line the insurer declined"):
        insurance.customer_pays_declined(staff["advisor"], request, [frame.id], "phone", "孙丽")
    with pytest.raises(PermissionDenied):
        insurance.customer_pays_declined(order.technician, request, [paint.id], "phone", "孙丽")
    own = insurance.customer_pays_declined(
        staff["advisor"], request, [paint.id], "phone", "孙丽 Sun Li"
    )
    assert (own.decided_by, own.state, own.auth_method, own.auth_by_customer) == (
        "customer",
        "decided",
        "phone",
        "孙丽 Sun Li",
    )
    [paid] = list(own.lines)
    assert (paid.description, paid.hours, paid.pay_type, paid.auth_state) == (
        "喷漆 Paint",
        D("1.00"),
        "customer",
        "authorised",
    )
    assert JobLine.get_by_id(paint.id).auth_state == "declined"  # the insurer's answer stays
    assert fresh(order).state == State.IN_PROGRESS.value
    assert insurance.declined_by_insurer(request) == []
    with pytest.raises(TransitionRefused, match="left for the customer"):
        insurance.customer_pays_declined(staff["advisor"], request, [paint.id], "phone", "孙丽")
    insured_ids = {ln.id for ln in insurance.insured_lines(order, done=False)}
    assert paid.id not in insured_ids and frame.id in insured_ids  # the customer pays it


def test_a_declined_line_the_customer_will_not_pay_stays_declined(db, staff, insurer):
    order, request, paint, _frame = _declined_supplement(staff, insurer)
    with pytest.raises(ValidationError, match="Choose the declined lines"):
        insurance.customer_pays_declined(staff["advisor"], request, [], "phone", "孙丽")
    assert JobLine.get_by_id(paint.id).auth_state == "declined"
    assert insurance.declined_by_insurer(request) == [paint]
    assert not insurance.declined_by_insurer(
        insurance.propose_supplement(
            order.technician, order, [{"kind": "labour", "description": "x", "hours": "1"}], "y"
        )
    )


def test_the_record_of_declined_work_follows_what_the_customer_pays(db, staff, insurer):
    order = insured(staff, insurer, State.IN_PROGRESS)
    request = insurance.propose_supplement(
        fresh(order).technician,
        order,
        [
            {"kind": "labour", "description": "喷漆 Paint", "hours": "1"},
            {"kind": "labour", "description": "抛光 Polish", "hours": "0.5"},
        ],
        "hidden damage",
    )
    paint, polish = JobLine.select().where(JobLine.request == request).order_by(JobLine.sort)
    insurance.record_supplement_answer(
        staff["advisor"], request, {paint.id: "declined", polish.id: "declined"}, "李"
    )
    [rec] = checkout.declined_recommendations(order.vehicle_id)
    assert rec.description == "喷漆 Paint; 抛光 Polish — hidden damage"
    insurance.customer_pays_declined(staff["advisor"], request, [paint.id], "phone", "孙丽")
    [rec] = checkout.declined_recommendations(order.vehicle_id)
    assert rec.description == "抛光 Polish — hidden damage"  # paint is done after all
    insurance.customer_pays_declined(staff["advisor"], request, [polish.id], "phone", "孙丽")
    assert checkout.declined_recommendations(order.vehicle_id) == []
    assert Recommendation.get_by_id(rec.id).state == "done"  # not raised at the next visit


def _settled(staff, insurer, **kw) -> RepairOrder:
    order = insured(staff, insurer, **kw)
    insurance.confirm_insurer_part(staff["advisor"], order)
    due = checkout.settlement_preview(order).due
    checkout.take_payment(staff["cashier"], order, "cash", due)
    checkout.settle(staff["cashier"], order)
    return fresh(order)


def test_settle_needs_the_customer_part_paid_and_the_insurer_part_confirmed(db, staff, insurer):
    order = insured(staff, insurer)
    checkout.take_payment(staff["cashier"], order, "card", "338.00")
    with pytest.raises(TransitionRefused, match="not confirmed"):
        checkout.settle(staff["cashier"], order)
    insurance.confirm_insurer_part(staff["advisor"], order)
    settlement = checkout.settle(staff["cashier"], order)
    assert settlement.customer_total == D("338.00")
    assert settlement.insurance_total == D("180.00")
    receivable = InsurerReceivable.get(InsurerReceivable.order == order)
    assert receivable.amount == D("180.00") and receivable.opened_on == clock.now().date()
    assert checkout.issue_gate_pass(staff["cashier"], order)


def test_a_change_after_the_confirmation_needs_it_again(db, staff, insurer):
    order = insured(staff, insurer)
    insurance.confirm_insurer_part(staff["advisor"], order)
    insurance.record_claim(staff["advisor"], order, insurer, "RPAH2026110200001", excess="0")
    assert not checkout.settlement_preview(order).insurance.confirmed
    checkout.take_payment(staff["cashier"], order, "cash", checkout.settlement_preview(order).due)
    with pytest.raises(TransitionRefused, match="not confirmed"):
        checkout.settle(staff["cashier"], order)


def test_unassessed_insurance_lines_block_settling(db, staff, insurer):
    order = insured(staff, insurer)
    make_line(order, "漏定损 Missed", pay_type="insurance")
    with pytest.raises(TransitionRefused, match="no figure for 漏定损"):
        insurance.confirm_insurer_part(staff["advisor"], order)


def test_receivables_by_insurer_with_age_and_partial_payments(db, staff, insurer):
    first = _settled(staff, insurer)
    clock.set_now(clock.now() + dt.timedelta(days=40))
    second = _settled(staff, insurer, excess="0.00", betterment="0.00")  # insurer pays 250
    today = clock.now().date()
    [balance] = insurer_accounts.balances(today)
    assert balance.outstanding == D("430.00")
    assert [r.age_days for r in balance.rows] == [40, 0]
    assert balance.by_age == [D("250.00"), D("180.00"), D("0.00"), D("0.00")]
    with pytest.raises(ValidationError, match="more than"):
        insurer_accounts.record_insurer_payment(staff["cashier"], insurer, "430.01", today)
    insurer_accounts.record_insurer_payment(staff["cashier"], insurer, "200.00", today, "TX1")
    rows = insurer_accounts.open_receivables(today)
    assert [(r.order_number, r.outstanding) for r in rows] == [(second.number, D("230.00"))]
    # a named receivable is cleared in part
    target = InsurerReceivable.get(InsurerReceivable.order == second)
    insurer_accounts.record_insurer_payment(
        staff["manager"], insurer, "30.00", today, receivable=target
    )
    assert insurer_accounts.balances(today)[0].outstanding == D("200.00")
    assert first.number not in [r.order_number for r in insurer_accounts.open_receivables(today)]
    with pytest.raises(PermissionDenied):
        insurer_accounts.record_insurer_payment(staff["tech1"], insurer, "1", today)


def test_void_settlement_voids_an_unpaid_receivable_but_not_a_paid_one(db, staff, insurer):
    order = _settled(staff, insurer)
    asked = approvals.request_approval(staff["advisor"], "void", order, None, "错单 wrong")
    approvals.approve(staff["manager"], asked, "1234")
    insurer_accounts.record_insurer_payment(staff["cashier"], insurer, "1.00", clock.now().date())
    with pytest.raises(TransitionRefused, match="already paid"):
        checkout.void_settlement(staff["manager"], order, asked.id)
    other = _settled(staff, insurer)
    asked = approvals.request_approval(staff["advisor"], "void", other, None, "错单 wrong")
    approvals.approve(staff["manager"], asked, "1234")
    checkout.void_settlement(staff["manager"], other, asked.id)
    assert InsurerReceivable.get(InsurerReceivable.order == other).void
    assert Settlement.get(Settlement.order == other).state == "void"


def test_insurer_catalogue(db, staff, insurer):
    with pytest.raises(ValidationError, match="exists already"):
        insurance.save_insurer(staff["admin"], "平安保险 Ping An")
    insurance.save_insurer(staff["admin"], "人保 PICC", "4001234567")
    insurance.save_insurer(staff["admin"], "平安保险 Ping An", insurer=insurer, active=False)
    assert [i.name for i in insurance.insurers()] == ["人保 PICC"]
    with pytest.raises(PermissionDenied):
        insurance.save_insurer(staff["advisor"], "X")


def test_monthly_report_insurance_revenue_and_receivables_by_age(db, staff, insurer):
    from shop_desk.services import reports

    _settled(staff, insurer)  # 2026-11-02: the insurer owes 180.00
    clock.set_now(dt.datetime(2026, 12, 20, 9, 0))
    december = reports.monthly_report(2026, 12)
    assert december.insurer_billed == D("0.00")
    assert december.insurer_by_age == [D("0.00"), D("180.00"), D("0.00"), D("0.00")]
    november = reports.monthly_report(2026, 11)
    assert november.insurer_billed == D("180.00")
    assert november.pay_type_revenue("insurance") == D("280.00")
    assert november.insurer_outstanding == D("180.00")
    rows = dict(reports.report_rows(november))
    assert rows["Insurance: billed to insurers"] == "¥180.00"
    assert rows["Insurer receivables: 0–30 days"] == "¥180.00"
    table = reports.report_tables(november)["Insurer receivables"]
    assert table[1] == ("平安保险 Ping An", D("180.00"), D("0"), D("0"), D("0"), D("180.00"))


def test_shop_desk_check_finds_receivables_that_do_not_add_up(db, staff, insurer):
    from shop_desk.checks import check_database
    from shop_desk.models import InsurerAllocation

    order = _settled(staff, insurer)
    insurer_accounts.record_insurer_payment(staff["cashier"], insurer, "100.00", clock.now().date())
    assert not [p for p in check_database() if "insurer" in p.lower()]
    InsurerReceivable.update(amount=D("170.00")).where(InsurerReceivable.order == order).execute()
    InsurerAllocation.update(amount=D("99.00")).execute()
    found = [p for p in check_database() if "insurer" in p.lower()]
    assert any(
        f"Order {order.number}: the insurer's part 180.00 is owed as 170.00" in p for p in found
    )
    assert any("is allocated to receivables as 99.00" in p for p in found)
    InsurerReceivable.update(amount=D("50.00")).where(InsurerReceivable.order == order).execute()
    found = [p for p in check_database() if "insurer" in p.lower()]
    assert any(
        f"Order {order.number}: the insurer paid 99.00 on a receivable of 50.00" in p for p in found
    )
