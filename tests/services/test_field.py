"""Field service (issue 21): registration, dispatch, the road, the report and survey, the
quote outside warranty, towing in, and the penalty register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from factories import make_customer, make_vehicle
from shop_desk import clock
from shop_desk.demo import signature_png
from shop_desk.errors import DomainError, PermissionDenied, TransitionRefused, ValidationError
from shop_desk.field_states import TRANSITIONS, FieldState
from shop_desk.models import (
    AuditLog,
    Complaint,
    ExpenseClaim,
    ExpenseItem,
    FieldJob,
    Part,
    Penalty,
    RepairOrder,
)
from shop_desk.services import aftercare, archive, expenses, field, penalties
from shop_desk.services.base import REGISTRY
from shop_desk.states import State

NOW = dt.datetime(2026, 11, 2, 9, 0)
PNG = signature_png(5)


def at(hours: float) -> dt.datetime:
    moment = NOW + dt.timedelta(hours=hours)
    clock.set_now(moment)
    return moment


def fresh(row):
    return type(row).get_by_id(row.id)


def new_job(staff, within_warranty=True, kind="breakdown", vehicle=None, call=None):
    customer = make_customer(name="李师傅 Li", phone="13912345678")
    vehicle = vehicle or make_vehicle(owner=customer)
    return field.register_field_job(
        staff["advisor"],
        customer.id,
        "沪宁高速 G42 km 12",
        "发动机无法启动 engine will not start",
        NOW + dt.timedelta(hours=3),
        kind=kind,
        vehicle=vehicle.id,
        within_warranty=within_warranty,
        call=call,
    )


def dispatched(staff, **kw):
    job = new_job(staff, **kw)
    field.dispatch_field_job(
        staff["supervisor"],
        job.id,
        [staff["tech1"].id, staff["tech2"].id],
        "服务车 沪A-F001",
        tools="诊断仪 diagnostic tester",
    )
    return fresh(job)


def on_site(staff, **kw):
    job = dispatched(staff, **kw)
    at(0.5)
    field.depart(staff["tech1"], job.id)
    at(2)
    field.arrive(staff["tech1"], job.id)
    return fresh(job)


def complete_report(staff, job, parts=""):
    field.submit_report(
        staff["tech1"],
        job.id,
        "蓄电池亏电 flat battery",
        "更换蓄电池 replaced the battery",
        parts,
        "满意 satisfied",
    )
    field.record_survey(staff["tech1"], job.id, 5, "李师傅 Li", PNG)


def test_breakdown_fixed_on_site(db, staff):
    call = aftercare.log_call(staff["crm"], "李师傅", "13912345678", "车坏在路上 broke down")
    job = new_job(staff, call=call.id)
    assert job.state == "registered" and job.call_id == call.id
    assert job.dispatch_due_at == NOW + dt.timedelta(hours=24)
    assert field.waiting_for_dispatch() == [job]
    field.dispatch_field_job(
        staff["supervisor"], job.id, [staff["tech1"].id], "服务车 沪A-F001", "万用表 multimeter"
    )
    assert not field.dispatched_late(fresh(job))
    battery = Part.select().where(Part.stock_qty >= 2).order_by(Part.id).first()
    stock = battery.stock_qty
    field.issue_field_parts(staff["parts"], job.id, {battery.part_no: "2"})
    assert fresh(battery).stock_qty == stock - 2
    at(0.5)
    field.depart(staff["tech1"], job.id)
    at(2.5)
    field.arrive(staff["tech1"], job.id)
    assert not fresh(job).arrived_late
    field.start_work(staff["tech1"], job.id)
    field.finish_work(staff["tech1"], job.id, "更换蓄电池 replaced the battery")
    field.call_centre(staff["tech1"], job.id)
    field.leave_site(staff["tech1"], job.id)
    at(4)
    field.return_to_base(staff["tech1"], job.id)
    field.return_field_parts(staff["parts"], job.id, {battery.id: "1"})
    assert fresh(battery).stock_qty == stock - 1
    complete_report(staff, job, parts=battery.name)
    closed = field.close_field_job(staff["supervisor"], job.id)
    assert closed.state == "closed"
    assert not Penalty.select().exists()
    assert AuditLog.select().where(AuditLog.action == "close_field_job").exists()


def test_breakdown_towed_in_becomes_a_repair_order(db, staff):
    job = on_site(staff)
    field.cannot_fix_on_site(staff["tech2"], job.id, "变速箱故障 gearbox failure")
    result = field.tow_in(staff["advisor"], job.id, odometer_km=13000)
    order = result.order
    assert order.state == State.CHECKED_IN.value and order.vehicle_id == job.vehicle_id
    assert job.number in order.complaint_text
    assert fresh(job).order_id == order.id
    with pytest.raises(DomainError, match=order.number):
        field.tow_in(staff["advisor"], job.id)
    assert RepairOrder.select().where(RepairOrder.vehicle == job.vehicle).count() == 1
    shown = archive.vehicle_archive(job.vehicle_id)
    assert [j.id for j in shown.field_jobs] == [job.id]
    assert shown.field_jobs[0].order_id == order.id


def test_tow_in_only_for_a_towed_job(db, staff):
    job = on_site(staff)
    with pytest.raises(DomainError, match="not recorded as towed"):
        field.tow_in(staff["advisor"], job.id)


def test_fleet_visit_late_arrival_and_incomplete_report(db, staff):
    job = dispatched(staff, kind="fleet_visit")
    at(1)
    field.depart(staff["tech2"], job.id)
    at(4)  # the customer set NOW + 3 h
    with pytest.raises(ValidationError, match="reason for the late arrival"):
        field.arrive(staff["tech2"], job.id)
    assert fresh(job).state == "en_route"
    field.arrive(staff["tech2"], job.id, "睡过头 overslept", personal=True)
    row = fresh(job)
    assert row.arrived_late and row.late_personal
    late = Penalty.select().where(Penalty.kind == "late_arrival")
    assert {p.staff_id for p in late} == {staff["tech1"].id, staff["tech2"].id}
    assert all(p.amount == Decimal("100.00") and p.job_id == job.id for p in late)
    field.start_work(staff["tech2"], job.id)
    field.finish_work(staff["tech2"], job.id, "车队保养 fleet service")
    field.call_centre(staff["tech2"], job.id)
    field.leave_site(staff["tech2"], job.id)
    field.return_to_base(staff["tech2"], job.id)
    report = field.submit_report(staff["tech2"], job.id, "", "保养 service", "", "")
    assert not report.complete
    incomplete = Penalty.get(Penalty.kind == "incomplete_report")
    assert incomplete.staff_id == staff["tech2"].id and incomplete.amount == Decimal("50.00")
    with pytest.raises(ValidationError) as refused:
        field.close_field_job(staff["supervisor"], job.id)
    message = str(refused.value)
    assert "fault cause" in message and "customer's opinion" in message
    assert "satisfaction survey" in message and "solution" not in message
    assert fresh(job).state == "returned"


def test_late_for_a_work_reason_is_no_penalty(db, staff):
    job = dispatched(staff)
    field.depart(staff["tech1"], job.id)
    at(5)
    field.arrive(staff["tech1"], job.id, "堵车 traffic jam on the ring road")
    assert fresh(job).arrived_late and not Penalty.select().exists()


def test_leaving_without_the_call_is_refused_then_a_penalty_case(db, staff):
    job = on_site(staff)
    field.start_work(staff["tech1"], job.id)
    field.finish_work(staff["tech1"], job.id, "修好 fixed")
    with pytest.raises(DomainError, match="Call the service centre before leaving"):
        field.leave_site(staff["tech1"], job.id)
    assert fresh(job).state == "work_done"
    field.record_left_without_call(staff["supervisor"], job.id, "未来电就走了 left without calling")
    assert fresh(job).left_without_call
    assert Penalty.select().where(Penalty.kind == "no_call").count() == 2


def test_work_outside_warranty_needs_the_customers_agreement(db, staff):
    job = on_site(staff, within_warranty=False)
    with pytest.raises(DomainError, match="must agree to the quote"):
        field.start_work(staff["tech1"], job.id)
    with pytest.raises(DomainError, match="Quote the work first"):
        field.record_agreement(staff["tech1"], job.id, "in_person", "李师傅")
    field.record_quote(staff["supervisor"], job.id, "420.00", "180.00", "150.00")
    assert field.quote_total(fresh(job)) == Decimal("750.00")
    with pytest.raises(ValidationError):
        field.record_agreement(staff["tech1"], job.id, "signature", "李师傅", b"not a png")
    field.record_agreement(staff["tech1"], job.id, "signature", "李师傅", PNG)
    assert field.start_work(staff["tech1"], job.id).state == "working"
    with pytest.raises(TransitionRefused):
        field.record_quote(staff["supervisor"], job.id, "1.00", "1.00", "1.00")


def test_refusals_wrong_role_and_not_on_the_crew(db, staff):
    job = new_job(staff)
    with pytest.raises(PermissionDenied):
        field.dispatch_field_job(staff["tech1"], job.id, [staff["tech1"].id], "车")
    with pytest.raises(ValidationError, match="not an active technician"):
        field.dispatch_field_job(staff["supervisor"], job.id, [staff["advisor"].id], "车")
    field.dispatch_field_job(staff["supervisor"], job.id, [staff["tech1"].id], "车")
    with pytest.raises(PermissionDenied, match="was not dispatched"):
        field.depart(staff["tech3"], job.id)
    with pytest.raises(TransitionRefused, match="Cannot record the arrival"):
        field.arrive(staff["tech1"], job.id)
    with pytest.raises(PermissionDenied):
        penalties.penalties(staff["tech1"])
    assert fresh(job).state == "dispatched"


def test_registration_refuses_bad_input(db, staff):
    customer = make_customer()
    with pytest.raises(ValidationError, match="in the past"):
        field.register_field_job(
            staff["advisor"], customer.id, "厂区", "保养", NOW - dt.timedelta(hours=1)
        )
    with pytest.raises(ValidationError):
        field.register_field_job(staff["advisor"], customer.id, "", "保养", NOW)
    with pytest.raises(ValidationError, match="customer"):
        field.register_field_job(staff["advisor"], None, "厂区", "保养", NOW)
    assert not FieldJob.select().exists()
    call = aftercare.log_call(staff["crm"], "车队 Fleet", "", "保养 service", customer=customer.id)
    job = field.register_field_job(staff["crm"], None, "厂区", "保养", NOW, call=call.id)
    assert job.customer_id == customer.id


def test_survey_on_paper_and_report_needs_parts_by_name(db, staff):
    job = on_site(staff)
    part = Part.select().where(Part.stock_qty >= 1).order_by(Part.id).first()
    field.issue_field_parts(staff["parts"], job.id, {part.id: "1"})
    field.start_work(staff["tech1"], job.id)
    field.finish_work(staff["tech1"], job.id, "修好 fixed")
    report = field.submit_report(staff["tech1"], job.id, "原因", "办法", "", "满意")
    assert not report.complete
    assert "parts replaced" in " ".join(field.closing_gaps(job.id))
    report = field.submit_report(staff["tech1"], job.id, "原因", "办法", part.name, "满意")
    assert report.complete
    survey = field.record_survey(staff["tech1"], job.id, 4, "李师傅", on_paper=True)
    assert survey.survey_on_paper and survey.survey_signature_id is None
    assert field.closing_gaps(job.id) == []


def test_major_demerit_from_a_verified_complaint(db, staff):
    customer = make_customer()
    complaint = Complaint.create(
        number="TS-1",
        channel="phone",
        customer=customer,
        cause="money",
        staff_concerned=staff["tech1"],
        description="索要红包 asked for a tip",
        state="open",
    )
    with pytest.raises(DomainError, match="not verified"):
        penalties.demerit_from_complaint(staff["manager"], complaint.id)
    Complaint.update(state="measures").where(Complaint.id == complaint.id).execute()
    with pytest.raises(PermissionDenied):
        penalties.demerit_from_complaint(staff["supervisor"], complaint.id)
    demerit = penalties.demerit_from_complaint(staff["manager"], complaint.id)
    assert demerit.kind == "major_demerit" and demerit.staff_id == staff["tech1"].id
    assert penalties.demerit_from_complaint(staff["manager"], complaint.id).id == demerit.id
    assert penalties.penalties(staff["manager"], person=staff["tech1"].id) == [demerit]


def test_penalty_amounts_are_the_shops_settings(db, staff):
    from shop_desk.services import admin

    admin.update_settings(staff["admin"], penalty_late_arrival="300.00")
    job = dispatched(staff)
    field.depart(staff["tech1"], job.id)
    at(6)
    field.arrive(staff["tech1"], job.id, "私事 personal errand", personal=True)
    assert {p.amount for p in Penalty.select()} == {Decimal("300.00")}


def test_every_field_state_has_a_mover_registered_with_its_roles():
    import shop_desk.services.field  # noqa: F401

    moved_from = set()
    for t in TRANSITIONS:
        info = REGISTRY[t.service.split(".", 1)[1]]
        assert info.roles == t.roles, t.action
        moved_from |= t.sources
    assert moved_from == set(FieldState) - {FieldState.CLOSED, FieldState.CANCELLED}


def test_field_figures_in_the_monthly_report(db, staff):
    from shop_desk.services import reports

    done = on_site(staff)  # arrives on time (the customer set NOW + 3 h)
    field.start_work(staff["tech1"], done.id)
    field.finish_work(staff["tech1"], done.id, "修好 fixed")
    complete_report(staff, done)  # a 5 on the survey
    late = dispatched(staff)
    field.depart(staff["tech1"], late.id)
    at(6)
    field.arrive(staff["tech1"], late.id, "私事 personal errand", personal=True)
    field.start_work(staff["tech1"], late.id)
    field.finish_work(staff["tech1"], late.id, "修好 fixed")
    field.submit_report(staff["tech1"], late.id, "", "", "", "")
    report = reports.monthly_report(2026, 11)
    assert report.field_jobs == 2
    assert report.field_on_time == reports.Rate(1, 2)
    assert report.field_reports_complete == reports.Rate(1, 2)
    assert report.field_average_satisfaction == Decimal("5.00")
    # late: two on the crew at 100.00; the incomplete report: its author at 50.00
    assert report.penalty_cases == 3 and report.penalty_amount == Decimal("250.00")
    rows = dict(reports.report_rows(report))
    assert rows["Field: on site on time"] == "50.0% (1 of 2)"
    assert rows["Penalties (amount)"] == "¥250.00"


# --------------------------------------------------------------------------- expenses


def returned_job(staff):
    job = on_site(staff)
    field.start_work(staff["tech1"], job.id)
    field.finish_work(staff["tech1"], job.id, "修好 fixed")
    field.call_centre(staff["tech1"], job.id)
    field.leave_site(staff["tech1"], job.id)
    field.return_to_base(staff["tech1"], job.id)
    return fresh(job)


def receipt(kind, amount, **kw):
    return {"kind": kind, "amount": amount, "receipt": signature_png(9), **kw}


def test_expense_claim_tool_not_returned_is_not_reimbursed(db, staff):
    job = returned_job(staff)
    claim = expenses.submit_expense_claim(
        staff["tech1"],
        job.id,
        [
            receipt("ticket", "45.50", place="沪宁高速 G42"),
            receipt("fuel", "300.00"),
            receipt("tool", "80.00", description="套筒扳手 socket set"),
            receipt("tool", "20.00", description="胶带 tape"),
        ],
    )
    assert claim.total == Decimal("445.50") and claim.state == "submitted"
    socket = claim.items.where(ExpenseItem.description == "套筒扳手 socket set").get()
    expenses.record_tool_returned(staff["parts"], socket.id)
    approved = expenses.approve_expense_claim(staff["supervisor"], claim.id)
    assert approved.approved_total == Decimal("425.50")  # the tape was not returned
    with pytest.raises(PermissionDenied):
        expenses.pay_expense_claim(staff["supervisor"], claim.id)
    paid = expenses.pay_expense_claim(staff["cashier"], claim.id)
    assert paid.state == "paid" and paid.paid_by_id == staff["cashier"].id
    with pytest.raises(TransitionRefused, match="paid"):
        expenses.pay_expense_claim(staff["cashier"], claim.id)
    from shop_desk.services import reports

    assert reports.monthly_report(2026, 11).field_expenses == Decimal("425.50")


def test_expense_refusals_and_a_false_receipt(db, staff):
    job = returned_job(staff)
    with pytest.raises(ValidationError, match="not for the job's destination"):
        expenses.submit_expense_claim(
            staff["tech1"], job.id, [receipt("ticket", "500.00", place="广州 Guangzhou")]
        )
    with pytest.raises(ValidationError, match="photo of the receipt"):
        expenses.submit_expense_claim(
            staff["tech1"], job.id, [{"kind": "fuel", "amount": "10.00", "receipt": b"x"}]
        )
    with pytest.raises(PermissionDenied, match="was not dispatched"):
        expenses.submit_expense_claim(staff["tech3"], job.id, [receipt("fuel", "10.00")])
    assert not ExpenseClaim.select().exists()
    claim = expenses.submit_expense_claim(staff["tech2"], job.id, [receipt("lodging", "280.00")])
    expenses.reject_expense_claim(
        staff["supervisor"], claim.id, "发票是伪造的 forged invoice", false_receipt=True
    )
    case = Penalty.get(Penalty.kind == "false_receipt")
    assert case.staff_id == staff["tech2"].id and case.job_id == job.id
    assert fresh(claim).state == "rejected"


def test_expenses_only_once_the_crew_is_back(db, staff):
    job = on_site(staff)
    with pytest.raises(TransitionRefused, match="once the crew is back"):
        expenses.submit_expense_claim(staff["tech1"], job.id, [receipt("fuel", "10.00")])


# --------------------------------------------------------------------------- key customers


def test_key_customer_visits_list_schedule_and_record(db, staff):
    from shop_desk.services import key_customers

    fleet = make_customer(name="顺丰车队 SF Fleet", kind="company")
    row = key_customers.add_key_customer(staff["manager"], fleet.id, 30, "十辆车 ten vans")
    assert row.next_visit_on == dt.date(2026, 12, 2)
    assert key_customers.visits_due(dt.date(2026, 12, 1)) == []
    assert [k.id for k in key_customers.visits_due(dt.date(2026, 12, 2))] == [row.id]
    with pytest.raises(DomainError, match="already"):
        key_customers.add_key_customer(staff["manager"], fleet.id)
    with pytest.raises(ValidationError, match="future"):
        key_customers.record_key_customer_visit(
            staff["tech1"], row.id, dt.date(2026, 11, 3), "用得很多"
        )
    with pytest.raises(PermissionDenied):
        key_customers.add_key_customer(staff["cashier"], make_customer(name="X").id)
    at(24 * 40)
    visit = key_customers.record_key_customer_visit(
        staff["tech1"], row.id, dt.date(2026, 12, 12), "每天跑两百公里 200 km a day", "座椅偏硬"
    )
    assert visit.visited_by_id == staff["tech1"].id
    assert fresh(row).next_visit_on == dt.date(2027, 1, 11)
    assert key_customers.visits_of(row.id) == [visit]


def test_a_job_called_off_gives_its_parts_back_first(db, staff):
    job = dispatched(staff)
    part = Part.select().where(Part.stock_qty >= 1).order_by(Part.id).first()
    stock = part.stock_qty
    field.issue_field_parts(staff["parts"], job.id, {part.id: "1"})
    with pytest.raises(DomainError, match="Return the parts"):
        field.cancel_field_job(staff["supervisor"], job.id, "客户自己修好了 fixed it himself")
    field.return_field_parts(staff["parts"], job.id, {part.id: "1"})
    assert fresh(part).stock_qty == stock
    assert (
        field.cancel_field_job(staff["supervisor"], job.id, "客户自己修好了").state == "cancelled"
    )


def test_supervisor_timeline_reads(db, staff):
    waiting = new_job(staff)
    out = dispatched(staff)
    assert field.waiting_for_dispatch() == [waiting]
    assert field.out_now() == [out]
    assert field.jobs_of(staff["tech2"]) == [out]
    assert not field.arrival_overdue(out)
    at(3.5)
    assert field.arrival_overdue(out) and not field.dispatched_late(fresh(out))
    at(25)
    assert field.dispatched_late(waiting)


def test_the_archive_links_a_towed_in_order_and_its_field_job(db, staff):
    """The order's summary and the vehicle's archive show the field job (number, kind,
    dates, report state); the field job's forms show the order number."""
    from shop_desk.services import field_documents, search

    job = on_site(staff)
    field.cannot_fix_on_site(staff["tech1"], job.id, "变速箱故障 gearbox failure")
    order = field.tow_in(staff["advisor"], job.id, odometer_km=13000).order
    (link,) = archive.field_job_links(order=order.id)
    assert (link.id, link.number, link.order_id, link.order_number) == (
        job.id,
        job.number,
        order.id,
        order.number,
    )
    assert link.kind == "Breakdown on the road (rescue)" and link.state == "Work finished"
    assert link.registered_at == NOW and link.arrived_at == NOW + dt.timedelta(hours=2)
    assert link.report == "service report not handed in"
    assert link.text().startswith(f"{job.number} · Breakdown on the road (rescue) · 2026-11-02")
    summary = search.order_summary(order.id)
    assert [j.number for j in summary.field_jobs] == [job.number]
    assert archive.vehicle_archive(job.vehicle_id).field_links == [link]
    assert field_documents.dispatch_order_data(job.number).head.order_number == order.number
    assert field_documents.service_report_data(job.number).head.order_number == order.number
    field.call_centre(staff["tech1"], job.id)
    field.leave_site(staff["tech1"], job.id)
    field.return_to_base(staff["tech1"], job.id)
    field.submit_report(staff["tech1"], job.id, "变速箱 gearbox", "拖回 towed", "", "")
    assert archive.field_job_links(order=order)[0].report == "service report incomplete"
    field.submit_report(staff["tech1"], job.id, "变速箱 gearbox", "拖回 towed", "", "好 ok")
    assert (
        archive.field_job_links(order=order)[0].report == "service report complete, survey missing"
    )
    field.record_survey(staff["tech1"], job.id, 4, "李师傅 Li", PNG)
    at(5)
    field.close_field_job(staff["supervisor"], job.id)
    closed = archive.field_job_links(order=order)[0]
    assert closed.report == "service report and survey complete" and closed.state == "Closed"
    assert closed.closed_at == NOW + dt.timedelta(hours=5)
    assert " · 2026-11-02 – 2026-11-02 · Closed · " in closed.text()
    # a later field job of the same car belongs to no order: the order shows only its own
    at(0)
    other = on_site(staff, vehicle=job.vehicle)
    assert [j.id for j in archive.field_job_links(order=order)] == [job.id]
    assert [j.id for j in archive.field_job_links(vehicle=job.vehicle_id)] == [other.id, job.id]
