"""Golden calls: for each operation, one call that succeeds on the busy shop as built.

The mutation fuzz starts from these and replaces one or more arguments with hostile values,
so every argument is attacked *after* the checks before it have passed (a random call is
mostly refused at its first argument). ``test_golden_calls_succeed`` keeps them valid.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from busy_shop import IMPORT_SOURCE, INSURER, order_team, returnable_lines

from shop_desk.demo import signature_png
from shop_desk.demo_data import make_vin
from shop_desk.models import (
    AdditionalWorkRequest,
    Appointment,
    Approval,
    CallLog,
    ClockEvent,
    Complaint,
    Customer,
    DelayReport,
    ExpenseClaim,
    ExpenseItem,
    FieldJob,
    FollowUp,
    GatePass,
    ImportBatch,
    Insurer,
    InsurerReceivable,
    JobLine,
    KeyCustomer,
    LabourOperation,
    OrderEvent,
    Part,
    PartsIssueSlip,
    PartsReturnSlip,
    Recommendation,
    RepairOrder,
    Staff,
    Supplier,
    SupplierClaim,
    SupplierOrder,
    Team,
    Vehicle,
)
from shop_desk.services import checkout, workshop
from shop_desk.services.import_files import Table
from shop_desk.states import State

TODAY = dt.datetime(2026, 11, 2, 9, 0)
PNG = signature_png(11)


@dataclass
class Call:
    actor: Staff
    args: list[Any]
    kwargs: dict[str, Any] = field(default_factory=dict)


def staff(login: str) -> Staff:
    return Staff.get(Staff.login == login)


def order_in(state: State, **where: Any) -> RepairOrder:
    query = RepairOrder.select().where(RepairOrder.state == state.value)
    for key, value in where.items():
        query = query.where(getattr(RepairOrder, key) == value)
    return query.order_by(RepairOrder.id).first()


def scenario(name: str) -> RepairOrder:
    return scenario_of("场景 " + name)


def scenario_of(customer_name: str) -> RepairOrder:
    customer = Customer.get(Customer.name == customer_name)
    return (
        RepairOrder.select()
        .where(RepairOrder.customer == customer)
        .order_by(RepairOrder.id.desc())
        .first()
    )


def line_of(order: RepairOrder, kind: str, **where: Any) -> JobLine:
    query = JobLine.select().where((JobLine.order == order) & (JobLine.kind == kind))
    for key, value in where.items():
        query = query.where(getattr(JobLine, key) == value)
    return query.order_by(JobLine.id).first()


def free_vehicle() -> Vehicle:
    """A vehicle with no open order and no appointment."""
    busy = {o.vehicle_id for o in RepairOrder.select(RepairOrder.vehicle)}
    return next(v for v in Vehicle.select().order_by(Vehicle.id) if v.id not in busy)


def unsigned_at_reception() -> RepairOrder:
    return (
        RepairOrder.select()
        .where(
            (RepairOrder.state == State.CHECKED_IN.value)
            & RepairOrder.signed_at.is_null()
            & (RepairOrder.signed_on_paper == False)  # noqa: E712
        )
        .first()
    )


def _customers() -> dict[str, Call]:
    cust = Customer.select().order_by(Customer.id).first()
    vehicle = free_vehicle()
    other = Customer.select().where(Customer.id != vehicle.owner_id).order_by(Customer.id).first()
    return {
        "create_customer": Call(staff("advisor"), ["新客户 New", "13800009999"]),
        "update_customer": Call(
            staff("advisor"), [cust.id], {"name": "改名 Renamed", "phone": "13800009998"}
        ),
        "create_vehicle": Call(
            staff("advisor"),
            [cust.id, make_vin("LFV2A21K", 424242), "沪B12345"],
            {"make": "大众", "year": 2020, "sale_date": dt.date(2020, 5, 1), "odometer_km": 30000},
        ),
        "update_vehicle": Call(
            staff("advisor"), [vehicle.id], {"colour": "黑 Black", "plate": "沪C54321"}
        ),
        "change_owner": Call(staff("advisor"), [vehicle.id, other.id]),
        "record_odometer": Call(staff("advisor"), [vehicle.id, vehicle.last_odometer_km + 100]),
        "save_customer_and_vehicle": Call(
            staff("advisor"),
            [
                None,
                None,
                {"name": "一起 Together", "phone": "13800009997"},
                {"vin": make_vin("LFV2A21K", 434343), "plate": "沪D24680", "make": "大众"},
            ],
        ),
    }


def _appointments() -> dict[str, Call]:
    future = Appointment.get(Appointment.slot_start > TODAY)
    past = (
        Appointment.select()
        .where((Appointment.slot_start < TODAY) & (Appointment.status == "booked"))
        .first()
    )
    vehicle = free_vehicle()
    adv = staff("advisor")
    return {
        "book_appointment": Call(
            adv,
            [vehicle.owner_id, vehicle.id, dt.datetime(2026, 11, 3, 10, 0), "1.00", "保养 service"],
            {"advisor": adv.id},
        ),
        "move_appointment": Call(adv, [future.id, dt.datetime(2026, 11, 4, 14, 0)]),
        "cancel_appointment": Call(adv, [future.id, "改期 rescheduled"]),
        "mark_no_show": Call(adv, [past.id]),
    }


def _reception() -> dict[str, Call]:
    adv = staff("advisor")
    open_order = unsigned_at_reception()
    signed = scenario("signed at reception")
    labour = line_of(open_order, "labour")
    vehicle = free_vehicle()
    return {
        "check_in": Call(
            adv,
            [vehicle.id],
            {"odometer_km": vehicle.last_odometer_km + 10, "complaint_text": "异响 noise"},
        ),
        "record_inspection": Call(
            adv,
            [open_order.id, 50, open_order.odometer_km],
            {
                "marks": [{"view": "left", "x": 0.4, "y": 0.5, "kind": "scratch", "note": "旧伤"}],
                "warning_lights": ["engine"],
                "photos": [("front.png", PNG)],
            },
        ),
        "record_complaint": Call(
            adv, [open_order.id, "刹车软 soft brakes"], {"diagnosis": "刹车油少"}
        ),
        "decide_warranty": Call(adv, [open_order.id, "not_covered", "易损件 wear part"]),
        "add_labour_line": Call(
            adv, [open_order.id, LabourOperation.get(LabourOperation.code == "WPR").id]
        ),
        "add_part_line": Call(adv, [open_order.id, Part.get(Part.part_no == "FLT-AIR").id, "1"]),
        "update_line": Call(adv, [labour.id], {"hours": "2.00"}),
        "remove_line": Call(adv, [labour.id]),
        "set_promised_time": Call(adv, [open_order.id, TODAY + dt.timedelta(hours=6)]),
        "set_task_order_options": Call(
            adv,
            [open_order.id, "cash"],
            {
                "old_parts": "take_home",
                "free_wash": False,
                "authorisation_via": "phone",
                "authorisation_phone": "13800138000",
            },
        ),
        "sign_task_order": Call(adv, [open_order.id, PNG, "王先生"]),
        "reopen_task_order": Call(adv, [signed.id, "加项目 more work"]),
        "hand_over": Call(
            adv, [signed.id], {"notes": "钥匙两把 two keys", "received_by": staff("supervisor").id}
        ),
        "cancel_order": Call(adv, [open_order.id, "顾客改主意 changed mind"]),
    }


def _workshop() -> dict[str, Call]:
    sup = staff("supervisor")
    waiting = order_in(State.AWAITING_DISPATCH)
    team = order_team(waiting)
    tech = [m.staff for m in team.members if not m.is_leader][0]
    dispatched = scenario("dispatched")
    accepted = scenario("accepted")
    working = next(
        o
        for o in RepairOrder.select().where(RepairOrder.state == State.IN_PROGRESS.value)
        if line_of(o, "labour", work_state="paused") is not None
    )
    paused = line_of(working, "labour", work_state="paused")
    running_order = next(
        o
        for o in RepairOrder.select().where(RepairOrder.state == State.IN_PROGRESS.value)
        if line_of(o, "labour", work_state="in_progress") is not None
    )
    running = line_of(running_order, "labour", work_state="in_progress")
    event = (
        ClockEvent.select().where(ClockEvent.line == running).order_by(ClockEvent.id.desc()).first()
    )
    other_team = Team.select().where(Team.id != running_order.team_id).order_by(Team.id).first()
    done = scenario("work done")
    checked = scenario("self-checked")
    wash = order_in(State.WASHING)
    started = scenario("wash started")
    delay = DelayReport.select().order_by(DelayReport.id.desc()).first()
    request = AdditionalWorkRequest.get(
        (AdditionalWorkRequest.state == "pending")
        & (AdditionalWorkRequest.decided_by == "customer")
    )
    wash_event = OrderEvent.get((OrderEvent.order == started) & (OrderEvent.kind == "wash_start"))
    leader = next(m.staff for m in RepairOrder.get_by_id(checked.id).team.members if m.is_leader)
    return {
        "dispatch": Call(sup, [waiting.id, team.id, tech.id], {"priority": 1}),
        "redispatch": Call(
            sup,
            [running_order.id, other_team.id, other_team.members.first().staff_id],
            {"reason": "换组 other team"},
        ),
        "accept_car": Call(dispatched.technician, [dispatched.id], {"notes": "已验收 checked"}),
        "clock_start": Call(accepted.technician, [line_of(accepted, "labour").id]),
        "clock_pause": Call(running_order.technician, [running.id, "break"]),
        "clock_resume": Call(working.technician, [paused.id]),
        "clock_finish": Call(running_order.technician, [running.id]),
        "edit_clock_event": Call(
            staff("manager"), [event.id, event.at - dt.timedelta(minutes=5), "忘记打卡 forgot"]
        ),
        "report_delay": Call(
            sup, [running_order.id, TODAY + dt.timedelta(days=2), "等配件 waiting for parts"]
        ),
        "acknowledge_alert": Call(started.advisor, ["wash_start", wash_event.id]),
        "record_delay_answer": Call(delay.order.advisor, [delay.id, "agreed"]),
        "propose_additional_work": Call(
            running_order.technician,
            [
                running_order.id,
                [
                    {
                        "kind": "labour",
                        "labour_op": LabourOperation.get(LabourOperation.code == "BRK-R").id,
                    },
                    {"kind": "part", "part": Part.get(Part.part_no == "PAD-R").id, "quantity": "1"},
                ],
                "后刹车片 2 mm rear pads at 2 mm",
            ],
        ),
        "record_authorisation": Call(
            request.order.advisor,
            [request.id, {ln.id: "authorised" for ln in request.lines}, "phone", "王先生"],
        ),
        "self_check": Call(done.technician, [done.id, {"work_done": True}, True]),
        "leader_check": Call(leader, [checked.id, True], {"advice": "下次换空调滤芯"}),
        "final_qc": Call(staff("inspector"), [order_in(State.FINAL_QC).id, True]),
        "start_wash": Call(staff("washer"), [wash.id]),
        "finish_wash": Call(
            staff("washer"),
            [started.id, "P07", dict.fromkeys(workshop.WASH_CHECK_ITEMS, True)],
        ),
        "set_parking_spot": Call(sup, [order_in(State.READY).id, "P09"]),
        "send_back_to_workshop": Call(
            sup, [order_in(State.READY).id, "雨刮片未装 wiper blades not fitted"]
        ),
    }


def _parts() -> dict[str, Call]:
    accepted = scenario("accepted")
    part_line = line_of(accepted, "part")
    slip = PartsIssueSlip.get(PartsIssueSlip.signed_at.is_null())
    return {
        "request_parts": Call(accepted.technician, [part_line.id, part_line.quantity]),
        "issue_parts": Call(
            staff("parts"),
            [accepted.id, {part_line.id: part_line.quantity}, accepted.technician_id],
        ),
        "parts_arrived": Call(staff("parts"), [order_in(State.WAITING_PARTS).id]),
        "receive_stock": Call(
            staff("parts"), [Part.get(Part.part_no == "AC-COMP").id, "3", "到货 delivery"]
        ),
        "sign_issue_slip": Call(slip.technician, [slip.id, PNG]),
    }


def _parts_flow() -> dict[str, Call]:
    clerk = staff("parts")
    line = returnable_lines()[0]
    back = PartsReturnSlip.get(PartsReturnSlip.signed_at.is_null())
    bosch = Supplier.get()
    draft = SupplierOrder.get(SupplierOrder.state == "draft")
    sent = SupplierOrder.get(SupplierOrder.state == "sent")
    pads = Part.get(Part.part_no == "PAD-F")
    return {
        "return_parts": Call(
            clerk, [line.order_id, {line.id: "1"}, line.order.technician_id], {"reason": "多领"}
        ),
        "sign_return_slip": Call(back.technician, [back.id, PNG]),
        "save_supplier": Call(clerk, ["马勒 Mahle", "李先生", "13800001111"]),
        "set_reorder_level": Call(clerk, [pads.id, "10"]),
        "order_shortage": Call(clerk, [order_in(State.WAITING_PARTS).id, bosch.id, "急 urgent"]),
        "order_restock": Call(clerk, [bosch.id, {pads.id: "5"}]),
        "send_supplier_order": Call(clerk, [draft.id]),
        "cancel_supplier_order": Call(clerk, [draft.id, "缺货 out of stock"]),
        "receive_supplier_order": Call(clerk, [sent.id, {sent.lines[0].id: "1"}, "送货单 1"]),
        "open_supplier_claim": Call(
            clerk, [bosch.id, "异响 noise"], {"job_line": line.id, "quantity": "1"}
        ),
        "send_supplier_claim": Call(clerk, [SupplierClaim.get(SupplierClaim.state == "open").id]),
        "answer_supplier_claim": Call(
            clerk, [SupplierClaim.get(SupplierClaim.state == "sent").id, "credit", "ok", "50.00"]
        ),
    }


def _approvals() -> dict[str, Call]:
    pending = Approval.get(Approval.state == "pending")
    return {
        "request_approval": Call(
            staff("advisor"), ["refund", order_in(State.SETTLED).id, "20.00", "多收 overcharged"]
        ),
        "approve": Call(staff("manager"), [pending.id, "1234"], {"reason": "同意 ok"}),
        "reject": Call(staff("manager"), [pending.id, "1234", "不同意 no"]),
        "pin_alerts_seen": Call(staff("manager"), [1]),
    }


def _aftercare() -> dict[str, Call]:
    crm = staff("crm")
    follow_up = FollowUp.get(FollowUp.state == "open")
    done = FollowUp.get(FollowUp.state == "done")
    complaint = Complaint.get(Complaint.state == "open")
    last_step = Complaint.get(Complaint.state == "follow_up")
    claim = line_of(scenario("warranty delivered"), "labour")
    return {
        "record_follow_up": Call(crm, [follow_up.id, True, 5, True, "满意 happy"]),
        "complaint_from_follow_up": Call(crm, [done.id, "回访不满意 unhappy"]),
        "open_complaint": Call(crm, ["phone", follow_up.customer_id, "等太久 waited long", "late"]),
        "progress_complaint": Call(
            crm, [complaint.id, "investigation", "查明原因 found the cause"]
        ),
        "close_complaint": Call(crm, [last_step.id, "已解决 solved"]),
        "log_call": Call(crm, ["钱先生", "13611112222", "问价格 asks for prices"]),
        "answer_call": Call(
            crm, [CallLog.get(CallLog.answered_at.is_null()).id, "已回复 answered"]
        ),
        "approve_claim": Call(staff("advisor"), [claim.id, "CLM-2026-1"]),
        "reject_claim": Call(staff("advisor"), [claim.id, "customer_pays"]),
    }


def job_customer(job_id: int) -> int:
    return FieldJob.get_by_id(job_id).customer_id


def _field() -> dict[str, Call]:
    sup, tech, parts_clerk = staff("supervisor"), staff("tech1"), staff("parts")

    def job(name: str) -> int:
        return FieldJob.get(FieldJob.description == name).id

    part = Part.select().where(Part.stock_qty >= 5).order_by(Part.id).first()
    demerit = Complaint.get((Complaint.cause == "money") & (Complaint.state == "measures"))
    return {
        "register_field_job": Call(
            staff("crm"),
            [Customer.select().order_by(Customer.id).first().id, "工地 site", "抛锚 broke down"],
            {"required_arrival_at": TODAY + dt.timedelta(hours=3)},
        ),
        "dispatch_field_job": Call(
            sup, [job("reg warranty"), [tech.id], "服务车 F-01"], {"tools": "扳手 spanners"}
        ),
        "cancel_field_job": Call(sup, [job("reg warranty"), "客户自己来了 customer came in"]),
        "issue_field_parts": Call(parts_clerk, [job("dispatched"), {part.id: "1"}]),
        "return_field_parts": Call(parts_clerk, [job("returned"), {part.id: "1"}]),
        "record_quote": Call(sup, [job("reg quote"), "100.00", "180.00", "60.00"]),
        "record_agreement": Call(tech, [job("quoted"), "signature", "客户 customer", PNG]),
        "depart": Call(tech, [job("dispatched")]),
        "arrive": Call(tech, [job("en route")]),
        "start_work": Call(tech, [job("on site")]),
        "finish_work": Call(tech, [job("working"), "修好 fixed"]),
        "cannot_fix_on_site": Call(tech, [job("on site"), "需拖回 needs the workshop"]),
        "call_centre": Call(tech, [job("work done")]),
        "leave_site": Call(tech, [job("work done called")]),
        "record_left_without_call": Call(sup, [job("work done"), "未来电 no call"]),
        "return_to_base": Call(tech, [job("returning")]),
        "tow_in": Call(staff("advisor"), [job("towed")]),
        "submit_report": Call(
            tech, [job("returned"), "磨损 wear", "更换 replaced", part.name, "满意 happy"]
        ),
        "record_survey": Call(
            tech, [job("returned reported"), 5, "客户 customer"], {"signature_png": PNG}
        ),
        "close_field_job": Call(sup, [job("returned complete")]),
        "record_not_following_dispatch": Call(
            sup, [tech.id, job("dispatched"), "没按派遣去 did not go as dispatched"]
        ),
        "demerit_from_complaint": Call(staff("manager"), [demerit.id]),
        "record_complaint_outcome": Call(
            staff("manager"), [demerit.id, "bonus_deduction", "扣奖金 bonus cut", "100"]
        ),
        "submit_expense_claim": Call(
            tech,
            [job("returned"), [{"kind": "fuel", "amount": "100.00", "receipt": PNG}]],
        ),
        "record_tool_returned": Call(parts_clerk, [ExpenseItem.get(ExpenseItem.kind == "tool").id]),
        "approve_expense_claim": Call(
            sup, [ExpenseClaim.get(ExpenseClaim.state == "submitted").id]
        ),
        "reject_expense_claim": Call(
            sup,
            [ExpenseClaim.get(ExpenseClaim.state == "submitted").id, "假发票 false receipt"],
            {"false_receipt": True},
        ),
        "add_key_customer": Call(
            staff("manager"), [job_customer(job("reg warranty")), 90, "重点 key"]
        ),
        "remove_key_customer": Call(staff("manager"), [KeyCustomer.get().id]),
        "record_key_customer_visit": Call(
            staff("manager"),
            [KeyCustomer.get().id, TODAY.date(), "每天跑 daily runs"],
            {"opinions": "好 good", "visited_by": tech.id},
        ),
        "pay_expense_claim": Call(
            staff("cashier"), [ExpenseClaim.get(ExpenseClaim.state == "approved").id]
        ),
    }


def _counter() -> dict[str, Call]:
    from shop_desk.models import CounterCase, CounterExclusion, CounterSale

    clerk = staff("parts")

    def case(fault: str) -> int:
        return CounterCase.get(CounterCase.fault == fault).id

    sale = CounterSale.get(CounterSale.customer_phone == "13700001111")
    bulbs = next(line for line in sale.lines if not line.gift and line.quantity > 5)
    return {
        "sell": Call(
            staff("cashier"),
            [[{"part": "BULB-H7", "quantity": "2"}, {"part": "FLT-OIL", "gift": True}], "cash"],
            {"tendered": "100.00", "customer_name": "客 Guest", "customer_phone": "13900001234"},
        ),
        "add_exclusion": Call(staff("admin"), ["accessory", "天线 aerial"]),
        "remove_exclusion": Call(staff("manager"), [CounterExclusion.get().id]),
        "receive_product": Call(clerk, [bulbs.id, "1", "exchange", "不亮 does not light"]),
        "record_test_report": Call(
            staff("tech1"),
            [case("busy received"), "JC-100", True, "灯丝断 filament broken"],
            {"component": "灯丝 filament", "exterior_damage": False, "parts_missing": False},
        ),
        "request_case_approval": Call(clerk, [case("busy confirmed")], {"note": "老客户 loyal"}),
        "send_replacement": Call(clerk, [case("busy approved exchange")]),
        "refund_case": Call(staff("cashier"), [case("busy approved refund"), "cash"]),
        "send_back": Call(clerk, [case("busy not covered")], {"note": "已取回 collected"}),
    }


def _warranty_terms() -> dict[str, Call]:
    from shop_desk.models import WarrantyOverride
    from shop_desk.services.warranty import policy_for

    general = policy_for("general")
    return {
        "save_policy": Call(
            staff("admin"),
            [general.id, "新车质保 New-car warranty", "general", "vehicle", 4 * 365, 100000],
            {"excluded": False},
        ),
        "retire_policy": Call(staff("manager"), [policy_for("accessory").id]),
        "add_override": Call(
            staff("advisor"),
            [free_vehicle().id, "general", "延保卡 EW-2026-0002", dt.date(2029, 12, 31), 150000],
            {"excluded": False},
        ),
        "remove_override": Call(staff("advisor"), [WarrantyOverride.get().id]),
    }


def _certifications() -> dict[str, Call]:
    from shop_desk.models import StaffCertification

    def cert_of(login: str, skill: str) -> int:
        return StaffCertification.get(
            (StaffCertification.staff == staff(login)) & (StaffCertification.skill == skill)
        ).id

    return {
        "record_certification": Call(
            staff("admin"),
            [staff("washer").id, "mechanical", dt.date(2026, 10, 1), dt.date(2028, 9, 30)],
            {"issued_by": "厂家培训 Maker's course", "note": "CERT-2026-7"},
        ),
        "renew_certification": Call(
            staff("manager"),
            [cert_of("tech1", "mechanical"), dt.date(2026, 11, 1), dt.date(2029, 10, 31)],
            {"note": "CERT-2026-8"},
        ),
        "withdraw_certification": Call(
            staff("admin"), [cert_of("tech2", "body"), "记错了 recorded by mistake"]
        ),
    }


def _checkout() -> dict[str, Call]:
    adv, cashier, manager = staff("advisor"), staff("cashier"), staff("manager")
    ready = next(
        o
        for o in RepairOrder.select().where(RepairOrder.state == State.READY.value)
        if not o.customer.name.startswith("场景")
    )
    told = scenario("told to collect")
    rec = Recommendation.get(Recommendation.state == "open")
    delivered = order_in(State.DELIVERED)
    due = checkout.settlement_preview(delivered).due
    paid = scenario("paid")
    settled = order_in(State.SETTLED)
    no_pass = scenario("settled no pass")
    approved = {a.kind: a for a in Approval.select().where(Approval.state == "approved")}
    gate = GatePass.get(GatePass.used_at.is_null())
    return {
        "delivery_check": Call(
            ready.advisor, [ready.id, {k: True for k, _ in checkout.delivery_check_items(ready)}]
        ),
        "notify_customer": Call(ready.advisor, [ready.id, "phone", TODAY + dt.timedelta(hours=2)]),
        "add_recommendation": Call(adv, [ready.id, "轮胎裂纹 tyre cracks"], {"safety": True}),
        "accept_recommendation": Call(adv, [rec.id]),
        "decline_recommendation": Call(adv, [rec.id, PNG]),
        "deliver": Call(
            told.advisor,
            [told.id],
            {
                "checks": {k: True for k, _ in checkout.delivery_walk_items(told)},
                "follow_up_time": "09:00-11:00",
            },
        ),
        "set_discount": Call(cashier, [delivered.id], {"amount": "10.00"}),
        "take_payment": Call(cashier, [delivered.id, "cash", due], {"tendered": due}),
        "settle": Call(cashier, [paid.id]),
        "void_settlement": Call(manager, [settled.id, approved["void"].id]),
        "refund": Call(manager, [settled.id, "10.00", "cash", approved["refund"].id]),
        "issue_gate_pass": Call(cashier, [no_pass.id]),
        "use_gate_pass": Call(staff("supervisor"), [gate.number]),
        "record_printed": Call(cashier, ["settlement", settled.number]),
    }


def _insurance() -> dict[str, Call]:
    def insured(step: str) -> RepairOrder:
        return scenario_of("保险 " + step)

    adv = staff("advisor")
    company = Insurer.get(Insurer.name == INSURER)
    at_reception = insured("reception")
    working = insured("working")
    waiting = AdditionalWorkRequest.get(
        (AdditionalWorkRequest.order == insured("waiting insurer"))
        & (AdditionalWorkRequest.state == "pending")
    )
    declined = AdditionalWorkRequest.get(
        AdditionalWorkRequest.order == insured("insurer declined")
    )
    receivable = InsurerReceivable.get(InsurerReceivable.order == insured("settled"))
    return {
        "save_insurer": Call(staff("admin"), ["人保 PICC", "95518"]),
        "mark_accident_car": Call(adv, [order_in(State.CHECKED_IN).id], {"accident": True}),
        "record_claim": Call(
            adv,
            [at_reception.id, company.id, "RPAH0001"],
            {
                "policy_no": "PDAA-1",
                "accident_date": dt.date(2026, 10, 30),
                "fault_party": "other",
                "excess": "100.00",
                "betterment": "0",
            },
        ),
        "add_claim_photos": Call(adv, [at_reception.id, [("front.png", PNG)]]),
        "record_assessment": Call(
            adv,
            [at_reception.id, "李定损", dt.date(2026, 11, 1)],
            {"line_amounts": {line_of(at_reception, "labour").id: "300.00"}},
        ),
        "propose_supplement": Call(
            working.technician,
            [
                working.id,
                [{"kind": "labour", "description": "纵梁校正 Frame", "hours": "2"}],
                "拆检发现 hidden damage",
            ],
        ),
        "record_supplement_answer": Call(
            adv, [waiting.id, {ln.id: "500.00" for ln in waiting.lines}, "李定损"]
        ),
        "customer_pays_declined": Call(
            adv,
            [declined.id, [ln.id for ln in declined.lines], "phone", "保险 insurer declined"],
        ),
        "confirm_insurer_part": Call(adv, [insured("delivered").id]),
        "record_insurer_payment": Call(
            staff("cashier"),
            [company.id, "50.00", dt.date(2026, 11, 2)],
            {"reference": "TX-1", "receivable": receivable.id},
        ),
    }


def _admin(sandbox: Path) -> dict[str, Call]:
    admin = staff("admin")
    return {
        "create_staff": Call(admin, ["新员工 Newbie", "newbie", "4321", ["washer"]]),
        "update_staff": Call(
            admin,
            [staff("washer").id],
            {"phone": "13800000000", "roles": ["washer", "parts_clerk"]},
        ),
        "update_settings": Call(
            admin, [], {"name": "新名字 New name", "bays": 6, "workday_start": "08:00"}
        ),
        "save_team": Call(
            admin,
            ["新班组 New team", "16"],
            {"members": [staff("tech3").id], "leader_id": staff("tech3").id, "skills": ["body"]},
        ),
        "save_labour_operation": Call(admin, ["NEW-OP", "新工时 New op", "1.5"]),
        "save_part": Call(admin, ["NEW-PART", "新配件 New part", "99.00"], {"stock_qty": "3"}),
        "import_parts_csv": Call(admin, ["part_no,name,unit_price,stock_qty\nP-1,名称,1.00,2\n"]),
        "import_labour_csv": Call(admin, ["code,name,standard_hours\nL-1,名称,1.0\n"]),
        "export_customers": Call(staff("manager"), [str(sandbox / "customers.csv")]),
        "save_mapping": Call(
            admin, ["旧系统 DMS", "customers", {"客户名称": "name", "联系电话": "phone"}]
        ),
        "apply_import": Call(
            admin,
            [
                "customers",
                Table(["客户名称", "联系电话"], [["新导入 Imported", "13800007777"]], "new.csv"),
                {"客户名称": "name", "联系电话": "phone"},
            ],
        ),
        "undo_import": Call(admin, [ImportBatch.get(ImportBatch.source == IMPORT_SOURCE).id]),
    }


def golden_calls(sandbox: Path) -> dict[str, Call]:
    """Operation name -> a call that succeeds on the pristine busy shop."""
    calls: dict[str, Call] = {}
    makers: list[Callable[[], dict[str, Call]]] = [
        _customers,
        _appointments,
        _reception,
        _workshop,
        _parts,
        _parts_flow,
        _approvals,
        _aftercare,
        _checkout,
        _field,
        _counter,
        _insurance,
        _warranty_terms,
        _certifications,
    ]
    for make in makers:
        calls.update(make())
    calls.update(_admin(sandbox))
    return calls
