"""Whole walks through the services: each test drives one repair order from check-in to the
follow-up call through the public service functions only, every step by the staff member whose
job it is (PROCESS.md's role table), with the clock moving on between the steps.

At each step a walk checks what the next person relies on: the order's state, the amounts in
Decimal, what was recorded and by whom, and the documents' data (``services.documents``). The
steps are shared helpers below; each walk only says what is different about its car:

- happy path: a walk-in service, every step from check-in to the follow-up call;
- rework: the final inspection fails, the job is reworked (counted) and checked again; later
  the internal delivery check finds the fault back and the supervisor sends the car back;
- 增项 declined: additional work proposed and declined — not on the slip, on the car's record as
  declined recommended work, raised again at the next check-in;
- warranty: a car within its warranty, warranty lines at no charge to the customer and the
  manufacturer's claim apart, next to a line the customer pays;
- on account: a company customer, booked by phone, settling on account (挂账);
- void and re-settle: a settlement voided with the general manager's approval, corrected and
  settled again; only the new gate pass lets the car out.

Customers, vehicles and orders are created by the services too (no factories): the data the
walks read is what the services wrote. The audit log has no read model in the services; the
walks read the ``AuditLog`` table directly for who moved the order.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from decimal import Decimal

import pytest
from PIL import Image, ImageDraw

from factories import VINS
from shop_desk import clock
from shop_desk.errors import DomainError, PermissionDenied, TransitionRefused, ValidationError
from shop_desk.models import (
    AuditLog,
    FollowUp,
    GatePass,
    JobLine,
    LabourOperation,
    OrderEvent,
    Part,
    Payment,
    RepairOrder,
    Settlement,
    Staff,
    Team,
    Vehicle,
)
from shop_desk.services import (
    aftercare,
    appointments,
    approvals,
    archive,
    board,
    checkout,
    customers,
    documents,
    orders,
    parts,
    reception,
    reports,
    search,
    workshop,
)
from shop_desk.services.approvals import ApprovalRequired
from shop_desk.states import State

ZERO = Decimal("0.00")
MECHANICAL, ELECTRICAL = "机修一组", "电工组"
#: The technician's self-check list (the station shows these items; see workshop.self_check_label).
SELF_CHECK = {
    "work_done": True,
    "torque": True,
    "no_leaks": True,
    "warning_lights": True,
    "test_drive": True,
    "tools_removed": True,
    "protective_set": True,
}

WASHED = dict.fromkeys(workshop.WASH_CHECK_ITEMS, True)


# ----------------------------------------------------------------------------- test data


def _png(draw, size=(600, 200), mode="RGBA", background=(0, 0, 0, 0)) -> bytes:
    img = Image.new(mode, size, background)
    draw(ImageDraw.Draw(img))
    out = io.BytesIO()
    img.save(out, "PNG")
    return out.getvalue()


#: A customer's signature on the pad: a dark stroke across it.
SIGNATURE = _png(
    lambda d: d.line(
        [(x, 100 + 45 * math.sin(x / 23)) for x in range(90, 480)], fill=(16, 16, 32, 255), width=3
    )
)
#: A photo of the walk-around.
PHOTO = _png(
    lambda d: d.rectangle((8, 8, 56, 40), fill=(200, 30, 30)),
    size=(64, 48),
    mode="RGB",
    background=(240, 240, 240),
)


def later(minutes: int = 0, *, hours: int = 0, days: int = 0) -> dt.datetime:
    """Move the pinned clock on (the shop's day goes by between the steps)."""
    now = clock.now() + dt.timedelta(minutes=minutes, hours=hours, days=days)
    clock.set_now(now)
    return now


def be_at(day: dt.date, hh: int, mm: int = 0) -> dt.datetime:
    when = dt.datetime.combine(day, dt.time(hh, mm))
    assert when >= clock.now(), "the clock only moves forward in a walk"
    clock.set_now(when)
    return when


def fresh(order: RepairOrder) -> RepairOrder:
    return RepairOrder.get_by_id(order.id)


def team(prefix: str) -> Team:
    return Team.get(Team.name.startswith(prefix))


def labour(code: str, pay_type: str = "customer") -> tuple:
    return ("labour", code, None, pay_type)


def part(part_no: str, qty: str = "1", pay_type: str = "customer") -> tuple:
    return ("part", part_no, qty, pay_type)


def lines_of(order: RepairOrder, **where) -> list[JobLine]:
    query = JobLine.select().where(JobLine.order == order)
    for name, value in where.items():
        query = query.where(getattr(JobLine, name) == value)
    return list(query.order_by(JobLine.sort, JobLine.id))


def state_moves(order: RepairOrder) -> list[tuple[str, str]]:
    """(state reached, who moved it) from the audit log, in order."""
    moves: list[tuple[str, str]] = []
    for row in (
        AuditLog.select()
        .where((AuditLog.entity == "repair_order") & (AuditLog.entity_id == order.id))
        .order_by(AuditLog.id)
    ):
        state = json.loads(row.after or "{}").get("state")
        if state and (not moves or moves[-1][0] != state):
            moves.append((state, row.staff_name))
    return moves


def events(order: RepairOrder, *kinds: str) -> list[tuple[str, str]]:
    """(kind, by whom) of the order's dated steps."""
    query = OrderEvent.select().where(OrderEvent.order == order)
    if kinds:
        query = query.where(OrderEvent.kind.in_(kinds))
    return [(e.kind, e.by.name if e.by_id else "") for e in query.order_by(OrderEvent.id)]


def stock(part_no: str) -> tuple[Decimal, Decimal]:
    """(on the shelf, reserved) as the parts counter looks it up."""
    info = parts.stock_lookup(part_no)
    return info.stock, info.reserved


# ----------------------------------------------------------------------------- the customer and car


def new_car(
    s,
    *,
    name: str,
    phone: str,
    vin: str,
    plate: str,
    sold_days_ago: int,
    km: int,
    kind: str = "person",
    credit_limit: str = "0",
    contact: str = "18:00-20:00",
    model: str = "帕萨特 Passat",
) -> Vehicle:
    """The advisor puts a new customer and their car on file."""
    adv = s["advisor"]
    customer = customers.create_customer(
        adv, name, phone, kind=kind, preferred_contact_time=contact, credit_limit=credit_limit
    )
    car = customers.create_vehicle(
        adv,
        customer,
        vin,
        plate=plate,
        make="大众 Volkswagen",
        model=model,
        year=2024,
        colour="白 White",
        sale_date=clock.today() - dt.timedelta(days=sold_days_ago),
        odometer_km=km,
    )
    assert car.owner_id == customer.id and car.last_odometer_km == km
    return car


# ----------------------------------------------------------------------------- reception (接车)


def receive(
    s,
    car: Vehicle,
    *,
    complaint: str,
    km: int,
    estimate: list[tuple],
    payment: str = "wechat",
    old_parts: str = "dispose",
    free_wash: bool = True,
    warranty: str | None = None,
    appointment=None,
    promised_hours: int = 6,
) -> RepairOrder:
    """Check-in to handover: walk-around, complaint, fault confirmation, estimate, task order
    signed on the pad, car handed to the workshop."""
    adv = s["advisor"]
    later(5)
    result = reception.check_in(
        adv, car, appointment=appointment, odometer_km=km, complaint_text=complaint
    )
    order = result.order
    assert order.state == State.CHECKED_IN and order.checked_in_at == clock.now()
    assert order.advisor_id == adv.id and order.customer_id == car.owner_id
    assert order.odometer_km == km and Vehicle.get_by_id(car.id).last_odometer_km == km
    assert order.walk_in is (appointment is None) and not result.is_comeback
    assert "the walk-around inspection" in reception.signing_problems(order)

    later(10)  # walk-around with the three-piece set on
    reception.record_inspection(
        adv,
        order,
        fuel_level=40,
        odometer_km=km,
        warning_lights=[],
        valuables="太阳镜 sunglasses",
        marks=[
            {"view": "left", "x": 0.3, "y": 0.55, "kind": "scratch", "note": "左后门 rear door"}
        ],
        photos=[("left.png", PHOTO)],
    )
    sheet = documents.check_in_data(order.number)
    assert (sheet.fuel_level, sheet.odometer_km, sheet.protective_set) == (40, km, True)
    assert [(m.view, m.kind, m.found_in_workshop) for m in sheet.marks] == [
        ("left", "scratch", False)
    ]
    assert [p.filename for p in sheet.photos] == ["left.png"]
    assert sheet.recorded_by == adv.name and sheet.valuables == "太阳镜 sunglasses"

    later(5)  # the complaint in the customer's words, licence and booklet
    reception.record_complaint(
        adv, order, complaint, licence_no="310101199001011234", booklet_no="BY-2024-0815"
    )
    if warranty is not None:  # fault confirmation (故障确认)
        suggested = reception.suggest_warranty(order)
        assert suggested.status == warranty, suggested.reason
        reception.decide_warranty(adv, order, warranty, suggested.reason)
        assert fresh(order).warranty_decision == warranty

    later(10)  # estimate: labour and parts, stock reserved for the parts
    for kind, code, qty, pay_type in estimate:
        if kind == "labour":
            op = LabourOperation.get(LabourOperation.code == code)
            line = reception.add_labour_line(adv, order, op, pay_type=pay_type)
            assert line.hours == op.standard_hours and line.rate == Decimal("180.00")
        else:
            before = stock(code)
            line = reception.add_part_line(
                adv, order, Part.get(Part.part_no == code), qty, None, pay_type
            )
            assert stock(code) == (before[0], before[1] + Decimal(qty))
    assert all(row.short == 0 for row in reception.stock_status(order))
    hours = reception.estimated_hours(order)
    assert reception.suggested_promised_time(order) > clock.now()

    promised = (clock.now() + dt.timedelta(hours=promised_hours)).replace(minute=0, second=0)
    reception.set_promised_time(adv, order, promised)
    reception.set_task_order_options(
        adv, order, payment, old_parts=old_parts, free_wash=free_wash, authorisation_via="phone"
    )
    assert reception.signing_problems(order) == []

    later(5)  # the customer signs the task order on the pad
    reception.sign_task_order(adv, order, SIGNATURE, car.owner.name)
    task = documents.task_order_data(order.number)
    assert task.customer_signature.image == SIGNATURE
    assert task.customer_signature.signer == car.owner.name
    assert task.head.promised_at == promised and task.payment_method == payment
    assert (task.old_parts, task.free_wash) == (old_parts, free_wash)
    assert (task.complaint, task.licence_no, task.booklet_no) == (
        complaint,
        "310101199001011234",
        "BY-2024-0815",
    )
    assert [r.description for r in task.lines] == [ln.description for ln in lines_of(order)]
    assert sum((r.hours for r in task.lines if r.kind == "labour"), ZERO) == hours

    later(5)  # car, key, task order and check-in sheet to the workshop supervisor
    reception.hand_over(adv, order, key=True, documents=True, notes="客户在休息室等 in the lounge")
    order = fresh(order)
    assert order.state == State.AWAITING_DISPATCH and order.handed_over_at == clock.now()
    assert events(order, "handover") == [("handover", adv.name)]
    return order


# ----------------------------------------------------------------------------- workshop (修理)


def dispatch(s, order: RepairOrder, team_prefix: str, tech: str, priority: int = 2) -> None:
    """The supervisor dispatches to a team and technician; the technician accepts the car."""
    later(10)
    result = workshop.dispatch(s["supervisor"], order, team(team_prefix), s[tech], priority)
    assert result.warnings == []
    order = fresh(order)
    assert order.state == State.IN_PROGRESS and order.technician_id == s[tech].id
    card = next(c for c in board.board_cards() if c.order_id == order.id)
    assert card.team.startswith(team_prefix) and card.technician == s[tech].name
    assert card.priority == priority and card.state == State.IN_PROGRESS

    later(5)  # 验收 against the check-in sheet: nothing new
    workshop.accept_car(s[tech], order)
    order = fresh(order)
    assert order.accepted_by_id == s[tech].id and order.accepted_at == clock.now()
    assert events(order, "dispatch", "accept") == [
        ("dispatch", s["supervisor"].name),
        ("accept", s[tech].name),
    ]


def do_the_work(s, order: RepairOrder, tech: str, minutes: int) -> None:
    """Clock on the authorised labour, draw the parts on a signed issue slip (10 minutes in),
    clock off ``minutes`` after clocking on."""
    who = s[tech]
    started = clock.now()
    rework = fresh(order).state == State.REWORK
    todo = [
        ln
        for ln in lines_of(order, kind="labour", auth_state="authorised")
        if ln.work_state != "done" or rework
    ]
    for ln in todo:
        if ln.work_state == "paused":
            workshop.clock_resume(who, ln)
        elif ln.work_state != "in_progress":
            workshop.clock_start(who, ln)
    wanted = {
        ln.id: ln.quantity - ln.parts_issued
        for ln in lines_of(order, kind="part", auth_state="authorised")
        if ln.parts_issued < ln.quantity
    }
    if wanted:
        later(10)  # 领料: request, the counter issues, the technician signs the slip
        before = {ln.part.part_no: stock(ln.part.part_no) for ln in lines_of(order, kind="part")}
        for line_id, qty in wanted.items():
            request = parts.request_parts(who, line_id, qty)
            assert request.short == 0 and request.order_state == State.IN_PROGRESS
        slip = parts.issue_parts(s["parts"], order, wanted, who)
        parts.sign_issue_slip(who, slip, SIGNATURE)
        printed = next(
            p for p in documents.parts_issue_data(order.number) if p.number == slip.number
        )
        assert (printed.issued_by, printed.technician) == (s["parts"].name, who.name)
        assert printed.signature.image == SIGNATURE and printed.signature.signed_at == clock.now()
        for ln in lines_of(order, kind="part", auth_state="authorised"):
            if ln.id in wanted:
                qty = wanted[ln.id]
                shelf, reserved = before[ln.part.part_no]
                assert stock(ln.part.part_no) == (shelf - qty, reserved - qty)
                assert ln.parts_issued == ln.quantity and ln.work_state == "done"
    clock.set_now(started + dt.timedelta(minutes=minutes))
    for ln in todo:
        workshop.clock_finish(who, ln)
    assert workshop.work_not_done(order) == []
    assert all(JobLine.get_by_id(ln.id).technician_id == who.id for ln in todo)


def team_checks(s, order: RepairOrder, tech: str, leader: str, advice: str) -> None:
    """Self-check (自检) and team-leader check (班组长检验) → final inspection."""
    later(5)
    workshop.self_check(s[tech], order, SELF_CHECK, True)
    later(10)
    workshop.leader_check(s[leader], order, True, advice=advice)
    order = fresh(order)
    assert order.state == State.FINAL_QC
    assert f"{s[leader].name}: {advice}" in documents.task_order_data(order.number).leader_advice


def final_inspection(s, order: RepairOrder, passed: bool = True, reason: str = "") -> State:
    """The QC inspector's 100 % final inspection (总检)."""
    later(15)
    check = workshop.final_qc(s["inspector"], order, passed, reason=reason)
    assert check.by_id == s["inspector"].id and check.passed is passed
    return State(fresh(order).state)


def wash(s, order: RepairOrder, spot: str) -> None:
    """The free wash; the advisor is told when it starts and ends."""
    later(5)
    workshop.start_wash(s["washer"], order)
    later(25)
    workshop.finish_wash(s["washer"], order, spot, WASHED)
    order = fresh(order)
    assert order.state == State.READY and order.parking_spot == spot
    assert order.ready_at == clock.now()
    notices = [a for a in workshop.advisor_alerts(s["advisor"]) if a.order_id == order.id]
    assert [a.kind for a in notices][-2:] == ["wash_start", "wash_end"]
    assert spot in notices[-1].text
    for notice in notices:
        workshop.acknowledge_alert(s["advisor"], notice.kind, notice.ref_id)
    assert not [a for a in workshop.advisor_alerts(s["advisor"]) if a.order_id == order.id]


def workshop_job(s, order, team_prefix, tech, leader, *, minutes=60, advice="") -> None:
    """From dispatch to a passed final inspection and (if accepted) the wash: READY."""
    dispatch(s, order, team_prefix, tech)
    do_the_work(s, order, tech, minutes)
    team_checks(s, order, tech, leader, advice or "按时保养 keep to the service plan")
    after = final_inspection(s, order)
    if fresh(order).free_wash:
        assert after == State.WASHING
        wash(s, order, "竣工区 A3")
    else:
        assert after == State.READY


# ----------------------------------------------------------------------------- delivery and settlement


def hand_back(s, order: RepairOrder, pickup_in: int = 60) -> RepairOrder:
    """Internal delivery check, the customer told, the walk-around delivery with them."""
    adv = s["advisor"]
    later(10)
    checkout.delivery_check(adv, order, {k: True for k, _ in checkout.delivery_check_items(order)})
    assert checkout.delivery_check_done(order)
    later(5)
    pickup = later(0) + dt.timedelta(minutes=pickup_in)
    assert checkout.notify_customer(adv, order, "phone", pickup) is None  # not a peak-hour problem
    assert fresh(order).pickup_at == pickup
    be_at(pickup.date(), pickup.hour, pickup.minute)
    order = fresh(order)
    proposal = checkout.next_service(
        order.vehicle, order.odometer_km, clock.today(), exclude_order=order
    )
    checkout.deliver(adv, order, checks={k: True for k, _ in checkout.delivery_walk_items(order)})
    order = fresh(order)
    assert order.state == State.DELIVERED and order.delivered_at == clock.now()
    assert (order.next_service_date, order.next_service_km) == (proposal.date, proposal.km)
    assert order.next_service_km == order.odometer_km + 5000
    assert order.follow_up_time == order.customer.preferred_contact_time
    assert events(order, "delivery_check", "notify", "delivery") == [
        ("delivery_check", adv.name),
        ("notify", adv.name),
        ("delivery", adv.name),
    ]
    return order


def pay(
    s,
    order: RepairOrder,
    method: str,
    amount: str,
    *,
    tendered: str | None = None,
    who: str = "cashier",
) -> Payment:
    later(3)
    payment = checkout.take_payment(s[who], order, method, amount, tendered, reference="")
    assert payment.amount == Decimal(amount) and payment.by_id == s[who].id
    assert payment.receipt_no.startswith("SK") and payment.at == clock.now()
    return payment


def settle(s, order: RepairOrder, who: str = "cashier") -> Settlement:
    later(2)
    preview = checkout.settlement_preview(order)
    assert preview.due == ZERO and preview.proposed == []
    settlement = checkout.settle(s[who], order)
    order = fresh(order)
    assert order.state == State.SETTLED and order.settled_at == clock.now()
    assert settlement.state == "active" and settlement.settled_by_id == s[who].id
    assert settlement.customer_total == preview.customer_total
    assert settlement.warranty_total == preview.warranty_claim
    slip = documents.settlement_data(order.number)
    assert slip.number == settlement.number and slip.settled_by == s[who].name
    assert slip.customer_total == settlement.customer_total
    assert slip.next_service_date == order.next_service_date
    assert slip.follow_up_time == order.follow_up_time and slip.follow_up_days == 3
    # only authorised, completed work is on the slip
    assert [r.description for r in slip.lines] == [
        ln.description for ln in lines_of(order, auth_state="authorised", work_state="done")
    ]
    return settlement


def let_out(s, order: RepairOrder) -> GatePass:
    """The gate pass (出门证) printed at the desk; the car leaves with it; the call is set."""
    later(2)
    gate_pass = checkout.issue_gate_pass(s["cashier"], order)
    paper = documents.gate_pass_data(order.number)
    assert (paper.number, paper.code, paper.issued_by) == (
        gate_pass.number,
        gate_pass.code,
        s["cashier"].name,
    )
    assert checkout.gate_status(gate_pass.code).status == "valid"
    later(5)
    checkout.use_gate_pass(s["supervisor"], gate_pass.code)
    order = fresh(order)
    assert order.state == State.LEFT and order.left_at == clock.now()
    gate_pass = GatePass.get_by_id(gate_pass.id)
    assert gate_pass.used_at == clock.now() and gate_pass.used_by_id == s["supervisor"].id
    assert checkout.gate_status(gate_pass.code).status == "used"
    with pytest.raises(DomainError, match="used already"):
        checkout.use_gate_pass(s["supervisor"], gate_pass.code)
    return gate_pass


def follow_up_call(s, order: RepairOrder, satisfaction: int = 5) -> FollowUp:
    """The call within 3 days at the customer's preferred time (回访): the order closes."""
    order = fresh(order)
    call = FollowUp.get(FollowUp.order == order)
    due_day = order.left_at.date() + dt.timedelta(days=3)
    start = order.follow_up_time.split("-")[0]
    assert call.due_at == dt.datetime.combine(due_day, dt.time.fromisoformat(start))
    assert call.state == "open" and call.preferred_time == order.follow_up_time
    assert call not in aftercare.due_follow_ups(due_day - dt.timedelta(days=1))
    be_at(due_day, call.due_at.hour, call.due_at.minute)
    assert call in aftercare.due_follow_ups()
    later(5)
    aftercare.record_follow_up(
        s["crm"], call, True, satisfaction=satisfaction, fault_gone=True, comments="满意 happy"
    )
    call = FollowUp.get_by_id(call.id)
    assert (call.state, call.reached, call.satisfaction, call.fault_gone) == (
        "done",
        True,
        satisfaction,
        True,
    )
    assert call.by_id == s["crm"].id and call.done_at == clock.now()
    order = fresh(order)
    assert order.state == State.CLOSED and order.closed_at == clock.now()
    assert call in aftercare.follow_ups_recorded_since(clock.now() - dt.timedelta(hours=1))
    return call


def moved_by(s, *pairs: tuple[State, str]) -> list[tuple[str, str]]:
    return [(state.value, s[login].name) for state, login in pairs]


# ============================================================================= the walks


def test_happy_path_walk_in_service_from_check_in_to_the_follow_up_call(db, staff):
    s = staff
    car = new_car(
        s,
        name="王建国",
        phone="13912345678",
        vin=VINS[0],
        plate="沪A12345",
        sold_days_ago=300,
        km=14600,
    )
    day = clock.today()
    order = receive(
        s,
        car,
        complaint="10000公里保养，换机油机滤 10,000 km service",
        km=15020,
        estimate=[labour("MNT-10K"), part("OIL-5W30-4L"), part("FLT-OIL")],
        payment="cash",
        old_parts="take_home",
    )
    # 1.50 h × 180.00 + 368.00 + 58.00
    task = documents.task_order_data(order.number)
    assert task.totals.labour == Decimal("270.00") and task.totals.parts == Decimal("426.00")
    assert task.totals.customer_total == Decimal("696.00")
    assert task.totals.tax == Decimal("80.07")  # 13 % contained in the total
    assert stock("OIL-5W30-4L") == (Decimal("40"), Decimal("1"))
    # the customer keeps the printed copy; a second print is marked as a copy (副本)
    assert not documents.printed_before("task-order", order.number)
    documents.record_printed(s["advisor"], "task-order", order.number)
    assert documents.printed_before("task-order", order.number)

    workshop_job(s, order, MECHANICAL, "tech1", "leader1", minutes=90, advice="前刹车片剩 5 mm")
    order = fresh(order)
    assert workshop.clocked_hours(order) == Decimal("1.50")
    assert stock("OIL-5W30-4L") == (Decimal("39"), Decimal("0"))
    assert [(c.stage, c.round, c.passed) for c in workshop.qc_history(order)] == [
        ("self", 1, True),
        ("leader", 1, True),
        ("final", 1, True),
    ]
    assert order.rework_count == 0

    order = hand_back(s, order, pickup_in=45)
    assert order.first_service is False  # had no service here, but is past the first interval

    preview = checkout.settlement_preview(order)
    assert (preview.customer_total, preview.due, preview.warranty_claim) == (
        Decimal("696.00"),
        Decimal("696.00"),
        ZERO,
    )
    cash = pay(s, order, "cash", "696.00", tendered="700.00")
    assert (cash.tendered, cash.change_given) == (Decimal("700.00"), Decimal("4.00"))
    settlement = settle(s, order)
    assert (settlement.paid_total, settlement.credit_total, settlement.tax_total) == (
        Decimal("696.00"),
        ZERO,
        Decimal("80.07"),
    )
    slip = documents.settlement_data(order.number)
    assert (slip.labour, slip.parts, slip.customer_total) == (
        Decimal("270.00"),
        Decimal("426.00"),
        Decimal("696.00"),
    )
    assert slip.amount_in_words == "陆佰玖拾陆元整"
    assert [(p.method, p.amount, p.by) for p in slip.payments] == [
        ("cash", Decimal("696.00"), s["cashier"].name)
    ]
    assert slip.recommendations == [] and slip.customer_signature.image is None
    assert documents.available_documents(order.number) == [
        "task-order",
        "check-in",
        "parts-issue",
        "settlement",
    ]
    with pytest.raises(TransitionRefused, match="can no longer be changed"):
        checkout.set_discount(s["cashier"], order, amount="10")

    gate_pass = let_out(s, order)
    assert "gate-pass" in documents.available_documents(order.number)
    follow_up_call(s, order)

    order = fresh(order)
    assert state_moves(order) == moved_by(
        s,
        (State.CHECKED_IN, "advisor"),
        (State.AWAITING_DISPATCH, "advisor"),
        (State.IN_PROGRESS, "supervisor"),
        (State.FINAL_QC, "leader1"),
        (State.WASHING, "inspector"),
        (State.READY, "washer"),
        (State.DELIVERED, "advisor"),
        (State.SETTLED, "cashier"),
        (State.LEFT, "supervisor"),
        (State.CLOSED, "crm"),
    )
    assert order.checked_in_at.date() == day and order.closed_at.date() == day + dt.timedelta(3)
    # every step is on record with who did it and when it happened
    trail = list(AuditLog.select().where(AuditLog.at >= dt.datetime.combine(day, dt.time())))
    assert trail and all(row.staff_id is not None and row.staff_name for row in trail)
    assert {row.staff_name for row in trail} >= {
        s[login].name
        for login in ("advisor", "supervisor", "tech1", "leader1", "parts", "inspector", "washer")
        + ("cashier", "crm")
    }
    assert gate_pass.number.startswith("MP") and settlement.number.startswith("JS")
    visit = archive.vehicle_archive(car).visits[0]
    assert (visit.number, visit.state, visit.odometer_km) == (order.number, "closed", 15020)
    assert search.order_summary(order.id).customer_total == Decimal("696.00")
    report = reports.range_report(day, day + dt.timedelta(days=3))
    assert (report.orders_checked_in, report.settled_orders) == (1, 1)
    assert report.total_revenue == Decimal("696.00") and report.hours_sold == Decimal("1.50")
    assert report.qc_first_pass.part == report.qc_first_pass.whole == 1
    assert report.follow_ups == 1 and report.average_satisfaction == Decimal("5.00")


def test_rework_a_failed_final_inspection_and_a_car_sent_back_are_counted(db, staff):
    s = staff
    car = new_car(
        s,
        name="陈女士",
        phone="13700001111",
        vin=VINS[1],
        plate="沪B67890",
        sold_days_ago=4 * 365,  # out of the 3-year warranty: the customer pays
        km=88000,
        contact="12:00-13:00",
    )
    day = clock.today()
    order = receive(
        s,
        car,
        complaint="空调不制冷 A/C not cooling",
        km=88450,
        estimate=[labour("AC-REG"), part("AC-COMP")],
        warranty="not_covered",
    )
    assert "ended on" in fresh(order).warranty_reason
    dispatch(s, order, ELECTRICAL, "tech3")
    do_the_work(s, order, "tech3", 120)
    team_checks(s, order, "tech3", "leader2", "冷媒已加注 refrigerant filled")

    # 总检 fails: back to the technician with the reason, the rework counted
    assert final_inspection(s, order, False, "出风口 14°C outlet still 14 °C") == State.REWORK
    order = fresh(order)
    assert order.rework_count == 1
    card = next(c for c in board.board_cards() if c.order_id == order.id)
    assert (card.state, card.rework_count) == (State.REWORK, 1)
    with pytest.raises(TransitionRefused, match="is Rework"):
        workshop.final_qc(s["inspector"], order, True)

    do_the_work(s, order, "tech3", 40)  # the finished line is reopened in rework
    team_checks(s, order, "tech3", "leader2", "压缩机离合器已调整 clutch gap set")
    assert final_inspection(s, order) == State.WASHING
    wash(s, order, "竣工区 B1")

    # the internal delivery check: on the test drive the A/C blows warm again
    later(10)
    not_gone = {k: True for k, _ in checkout.delivery_check_items(fresh(order))}
    not_gone["fault_gone"] = False
    with pytest.raises(ValidationError, match="Fault gone"):
        checkout.delivery_check(s["advisor"], order, not_gone)
    assert not checkout.delivery_check_done(order)
    with pytest.raises(TransitionRefused, match="internal delivery check"):
        checkout.deliver(s["advisor"], order, checks={})
    later(5)
    workshop.send_back_to_workshop(
        s["supervisor"], order, "试车空调又不凉 warm again on test drive"
    )
    order = fresh(order)
    assert (order.state, order.rework_count, order.ready_at) == (State.REWORK, 2, None)
    assert events(order, "sent_back") == [("sent_back", s["supervisor"].name)]

    do_the_work(s, order, "tech3", 30)
    team_checks(s, order, "tech3", "leader2", "膨胀阀已更换 expansion valve replaced")
    assert final_inspection(s, order) == State.WASHING
    later(5)
    wash(s, order, "竣工区 B2")  # washed once more, announced like the first wash
    assert fresh(order).state == State.READY

    stages = [(c.stage, c.round, c.passed) for c in workshop.qc_history(order)]
    assert stages == [
        ("self", 1, True),
        ("leader", 1, True),
        ("final", 1, False),
        ("self", 2, True),
        ("leader", 2, True),
        ("final", 2, True),
        ("self", 3, True),
        ("leader", 3, True),
        ("final", 3, True),
    ]
    assert workshop.clocked_hours(fresh(order)) == Decimal("3.17")  # 120 + 40 + 30 minutes

    hand_back(s, order)
    # 2.00 h × 180.00 + 3,280.00; rework is the shop's cost, not the customer's
    pay(s, order, "card", "3640.00")
    settle(s, order)
    let_out(s, order)
    follow_up_call(s, order, satisfaction=3)

    assert fresh(order).rework_count == 2
    report = reports.range_report(day, day + dt.timedelta(days=4))
    assert (report.qc_first_pass.part, report.qc_first_pass.whole) == (0, 1)
    assert report.total_revenue == Decimal("3640.00")
    assert (report.hours_sold, report.hours_clocked) == (Decimal("2.00"), Decimal("3.17"))


def test_additional_work_declined_is_not_charged_and_is_raised_at_the_next_visit(db, staff):
    s = staff
    car = new_car(
        s,
        name="刘先生",
        phone="13600002222",
        vin=VINS[2],
        plate="沪C24680",
        sold_days_ago=500,
        km=24000,
    )
    order = receive(
        s,
        car,
        complaint="5000公里常规保养 routine service",
        km=24800,
        estimate=[labour("MNT-5K"), part("FLT-OIL")],
    )
    dispatch(s, order, MECHANICAL, "tech2")
    service_line = lines_of(order, kind="labour")[0]
    workshop.clock_start(s["tech2"], service_line)

    # 增项: the technician finds worn front pads and proposes priced work
    later(30)
    request = workshop.propose_additional_work(
        s["tech2"],
        order,
        [
            {"kind": "labour", "labour_op": LabourOperation.get(code="BRK-F").id},
            {"kind": "part", "part": Part.get(part_no="PAD-F").id, "quantity": "1"},
        ],
        "前刹车片剩 2 mm front pads at 2 mm",
    )
    order = fresh(order)
    assert order.state == State.WAITING_AUTHORISATION
    assert JobLine.get_by_id(service_line.id).work_state == "paused"  # the clock stops
    brake, pads = lines_of(order, origin="additional")
    assert (brake.auth_state, pads.auth_state) == ("proposed", "proposed")
    task = documents.task_order_data(order.number)
    # work awaiting the customer's decision is not on the task order the customer signed
    assert task.additional == [] and task.totals.proposed == ZERO
    assert task.totals.customer_total == Decimal("238.00")
    assert orders.order_totals(order).proposed == Decimal("676.00")  # 1.20 h × 180.00 + 460.00
    notice = [a for a in workshop.advisor_alerts(s["advisor"]) if a.kind == "additional_work"]
    assert [a.order_id for a in notice] == [order.id]
    card = next(c for c in board.board_cards() if c.order_id == order.id)
    assert card.additional_work_pending
    with pytest.raises(TransitionRefused, match="Waiting for authorisation"):
        workshop.clock_start(s["tech2"], brake)

    # the advisor calls; the customer declines and signs the decision
    later(20)
    workshop.record_authorisation(
        s["advisor"],
        request,
        {brake.id: "declined", pads.id: "declined"},
        "signature",
        car.owner.name,
        signature_png=SIGNATURE,
    )
    order = fresh(order)
    assert order.state == State.IN_PROGRESS
    assert [ln.auth_state for ln in lines_of(order, origin="additional")] == ["declined"] * 2
    # the task order now shows the decision in a section of its own: signed, nothing to pay
    (decided,) = documents.task_order_data(order.number).additional
    assert (decided.method, decided.authorised_by) == ("signature", car.owner.name)
    assert decided.authorised_at == clock.now() and decided.signature is not None
    assert decided.amount == ZERO and [ln.customer_amount for ln in decided.lines] == [ZERO] * 2
    assert not [a for a in workshop.advisor_alerts(s["advisor"]) if a.kind == "additional_work"]
    declined = checkout.declined_recommendations(car)
    assert len(declined) == 1
    rec = declined[0]
    assert rec.order_id == order.id and rec.state == "declined"
    assert rec.declined_at == clock.now() and rec.signature_id is not None
    assert brake.description in rec.description and "2 mm" in rec.description
    with pytest.raises(TransitionRefused, match="not authorised"):
        parts.request_parts(s["tech2"], pads, 1)

    do_the_work(s, order, "tech2", 40)  # the paused service resumes
    assert workshop.clocked_hours(JobLine.get_by_id(service_line.id)) == Decimal("1.17")
    team_checks(s, order, "tech2", "leader1", "刹车片需尽快更换 replace the pads soon")
    assert final_inspection(s, order) == State.WASHING
    wash(s, order, "竣工区 A1")
    order = hand_back(s, order)
    assert stock("PAD-F") == (Decimal("12"), ZERO)  # nothing reserved or drawn for it

    preview = checkout.settlement_preview(order)
    assert preview.customer_total == Decimal("238.00")  # 180.00 + 58.00, the pads not charged
    assert [ln.description for ln in preview.lines] == [
        ln.description for ln in lines_of(order, origin="original")
    ]
    pay(s, order, "wechat", "238.00", who="advisor")
    settle(s, order, who="advisor")
    slip = documents.settlement_data(order.number)
    assert brake.description not in [r.description for r in slip.lines]
    assert [(r.description, r.state) for r in slip.recommendations] == [
        (rec.description, "declined")
    ]
    assert slip.recommendations[0].signature.image == SIGNATURE
    let_out(s, order)
    follow_up_call(s, order)

    # on the car's record, and raised again when the car comes back
    notes = archive.vehicle_archive(car).notes()
    assert f"Declined earlier: {rec.description}" in notes
    assert rec.description in search.vehicle_summary(car.id).recommendations
    be_at(clock.today() + dt.timedelta(days=10), 9, 30)
    again = reception.check_in(
        s["advisor2"], car, odometer_km=25900, complaint_text="刹车有异响 brakes squeal"
    )
    assert [r.id for r in again.declined_recommendations] == [rec.id]
    assert not again.is_comeback  # a routine service before is no comeback
    rec = type(rec).get_by_id(rec.id)
    assert rec.raised_again_in_id == again.order.id and rec.state == "declined"
    assert again.order.advisor_id == s["advisor2"].id
    # this time the customer wants the work: decided at the new visit
    assert checkout.accept_recommendation(s["advisor2"], rec).state == "accepted"


def test_warranty_work_is_free_for_the_customer_and_claimed_from_the_manufacturer(db, staff):
    s = staff
    car = new_car(
        s,
        name="赵女士",
        phone="13500003333",
        vin=VINS[3],
        plate="沪D13579",
        sold_days_ago=420,
        km=20500,
    )
    order = receive(
        s,
        car,
        complaint="左前车窗升不上去 front-left window will not go up",
        km=21000,
        estimate=[
            labour("WIN-REG", pay_type="warranty"),
            part("WIN-MTR", pay_type="warranty"),
            labour("WPR"),
            part("WPR-SET"),
        ],
        warranty="covered",
        free_wash=False,
    )
    assert "60000 km" in fresh(order).warranty_reason
    task = documents.task_order_data(order.number)
    assert [(r.pay_type, r.customer_amount) for r in task.lines] == [
        ("warranty", ZERO),
        ("warranty", ZERO),
        ("customer", Decimal("36.00")),
        ("customer", Decimal("150.00")),
    ]
    assert task.totals.customer_total == Decimal("186.00")
    assert task.totals.warranty_claim == Decimal("910.00")  # 1.50 h × 180.00 + 640.00

    workshop_job(s, order, ELECTRICAL, "tech3", "leader2", minutes=100)
    assert fresh(order).state == State.READY  # no wash asked for
    issued = documents.parts_issue_data(order.number)
    assert sorted((r.part_no, r.pay_type) for p in issued for r in p.lines) == [
        ("WIN-MTR", "warranty"),
        ("WPR-SET", "customer"),
    ]
    hand_back(s, order)

    preview = checkout.settlement_preview(order)
    assert (preview.customer_total, preview.warranty_claim, preview.due) == (
        Decimal("186.00"),
        Decimal("910.00"),
        Decimal("186.00"),
    )
    with pytest.raises(ValidationError, match="more than"):
        checkout.take_payment(s["cashier"], order, "card", "1096.00")
    pay(s, order, "card", "186.00")
    settlement = settle(s, order)
    assert (settlement.customer_total, settlement.warranty_total) == (
        Decimal("186.00"),
        Decimal("910.00"),
    )
    assert settlement.tax_total == Decimal("21.40")  # only of what the customer pays
    slip = documents.settlement_data(order.number)
    assert sum((r.customer_amount for r in slip.lines), ZERO) == Decimal("186.00")
    assert slip.warranty_total == Decimal("910.00") and slip.customer_total == Decimal("186.00")

    # the claim to the manufacturer: the warranty lines, pending until the claim number comes
    claims = aftercare.warranty_claims("pending")
    assert [ln.description for ln in claims] == [
        ln.description for ln in lines_of(order, pay_type="warranty")
    ]
    let_out(s, order)
    later(days=1)
    for line in claims:
        aftercare.approve_claim(s["advisor"], line, "VW-CLM-2026-0815")
    assert aftercare.warranty_claims("pending") == []
    assert [ln.warranty_claim_no for ln in aftercare.warranty_claims("approved")] == [
        "VW-CLM-2026-0815"
    ] * 2
    assert documents.settlement_data(order.number).customer_total == Decimal("186.00")
    follow_up_call(s, order)
    report = reports.range_report(order.checked_in_at.date(), clock.today())
    assert report.pay_type_revenue("warranty") == Decimal("910.00")
    assert report.pay_type_revenue("customer") == Decimal("186.00")


def test_company_customer_books_by_phone_and_settles_on_account(db, staff):
    s = staff
    car = new_car(
        s,
        name="顺达物流有限公司 Shunda Logistics",
        phone="02164005678",
        vin=VINS[0],
        plate="沪E97531",
        sold_days_ago=700,
        km=61000,
        kind="company",
        credit_limit="5000.00",
        contact="09:00-11:00",
    )
    fleet = car.owner
    assert checkout.outstanding_on_account(fleet) == ZERO

    # booked by phone the day before (预约); the order waits as "booked"
    tomorrow = clock.today() + dt.timedelta(days=1)
    later(30)
    appt = appointments.book_appointment(
        s["crm"],
        fleet,
        car,
        dt.datetime.combine(tomorrow, dt.time(9, 0)),
        "2",
        "10000公里保养 10,000 km service",
        advisor=s["advisor"],
    )
    booked = appointments.order_of(appt)
    assert booked.state == State.BOOKED and booked.advisor_id == s["advisor"].id
    assert [a.id for a in appointments.day_view(tomorrow).appointments] == [appt.id]

    be_at(tomorrow, 8, 50)
    order = receive(
        s,
        car,
        complaint="10000公里保养 10,000 km service",
        km=61480,
        estimate=[labour("MNT-10K"), part("OIL-5W30-4L"), part("FLT-OIL"), part("FLT-AIR")],
        payment="on_account",
        appointment=appt,
    )
    assert order.id == booked.id and not order.walk_in
    assert type(appt).get_by_id(appt.id).status == "arrived"
    assert documents.task_order_data(order.number).totals.customer_total == Decimal("791.00")

    workshop_job(s, order, MECHANICAL, "tech1", "leader1", minutes=80)
    hand_back(s, order, pickup_in=90)

    # 挂账: the whole bill on the company's account, within its credit
    payment = pay(s, order, "on_account", "791.00")
    assert payment.tendered is None and payment.change_given == ZERO
    settlement = settle(s, order)
    assert (settlement.customer_total, settlement.paid_total, settlement.credit_total) == (
        Decimal("791.00"),
        ZERO,
        Decimal("791.00"),
    )
    slip = documents.settlement_data(order.number)
    assert [(p.method, p.amount) for p in slip.payments] == [("on_account", Decimal("791.00"))]
    assert (slip.paid_total, slip.credit_total) == (ZERO, Decimal("791.00"))
    assert checkout.outstanding_on_account(fleet) == Decimal("791.00")

    let_out(s, order)  # on account is settled: the car may leave
    follow_up_call(s, order)
    assert state_moves(fresh(order))[0] == (State.BOOKED.value, s["crm"].name)
    assert state_moves(fresh(order))[1] == (State.CHECKED_IN.value, s["advisor"].name)


def test_void_with_the_managers_approval_and_settle_again_one_valid_gate_pass(db, staff):
    s = staff
    car = new_car(
        s,
        name="孙先生",
        phone="13800004444",
        vin=VINS[1],
        plate="沪F11223",
        sold_days_ago=900,
        km=31000,
    )
    order = receive(
        s,
        car,
        complaint="10000公里保养 10,000 km service",
        km=31500,
        estimate=[labour("MNT-10K"), part("OIL-5W30-4L"), part("FLT-OIL")],
        payment="card",
    )
    workshop_job(s, order, MECHANICAL, "tech1", "leader1")
    hand_back(s, order)
    card = pay(s, order, "card", "696.00")
    first = settle(s, order)
    later(2)
    old_pass = checkout.issue_gate_pass(s["cashier"], order)
    assert checkout.gate_status(old_pass.number).status == "valid"

    # the customer's member discount was forgotten: the settlement must be voided
    later(5)
    with pytest.raises(ApprovalRequired, match="request it first"):
        checkout.void_settlement(s["cashier"], order, None)
    void_req = approvals.request_approval(
        s["cashier"], "void", order, None, "会员折扣漏了 member discount forgotten"
    )
    with pytest.raises(ApprovalRequired, match="waits for the general manager"):
        checkout.void_settlement(s["cashier"], order, void_req)
    assert void_req in approvals.pending_approvals()
    later(10)
    with pytest.raises(PermissionDenied, match="Wrong PIN"):
        approvals.approve(s["manager"], void_req, "0000")
    with pytest.raises(PermissionDenied):
        approvals.approve(s["cashier"], void_req, "1234")
    approvals.approve(s["manager"], void_req, "1234", "同意 agreed")
    later(2)
    voided = checkout.void_settlement(s["cashier"], order, void_req)
    order = fresh(order)
    assert order.state == State.DELIVERED and order.settled_at is None
    assert (voided.id, voided.state, voided.voided_at) == (first.id, "void", clock.now())
    assert voided.void_reason == "会员折扣漏了 member discount forgotten"
    assert approvals.approvals_for(s["cashier"])[0].state == "used"
    assert GatePass.get_by_id(old_pass.id).void
    assert checkout.gate_status(old_pass.code).status == "void"
    assert Payment.get_by_id(card.id).void is False  # the card payment stays and counts again
    with pytest.raises(DomainError, match="not been settled"):
        documents.settlement_data(order.number)

    # the correction: 5 % member discount on the total, within the advisor's limit
    later(3)
    checkout.set_discount(s["cashier"], order, amount="34.80")
    preview = checkout.settlement_preview(order)
    assert (preview.customer_total, preview.paid, preview.due) == (
        Decimal("661.20"),
        Decimal("696.00"),
        Decimal("-34.80"),
    )
    with pytest.raises(TransitionRefused, match="refund it first"):
        checkout.settle(s["cashier"], order)
    with pytest.raises(ApprovalRequired):
        checkout.refund(s["cashier"], order, "34.80", "card", None)
    refund_req = approvals.request_approval(
        s["cashier"], "refund", order, "34.80", "退会员折扣 member discount back to the card"
    )
    approvals.approve(s["manager"], refund_req, "1234")
    back = checkout.refund(s["cashier"], order, "34.80", "card", refund_req)
    assert back.amount == Decimal("-34.80") and back.receipt_no != card.receipt_no

    second = settle(s, order)
    assert second.id != first.id and second.number != first.number
    assert (second.customer_total, second.discount_total, second.paid_total) == (
        Decimal("661.20"),
        Decimal("34.80"),
        Decimal("661.20"),
    )
    slip = documents.settlement_data(first.number)  # the old number shows the valid slip
    assert slip.number == second.number and slip.order_discount == Decimal("34.80")
    assert [(p.method, p.amount) for p in slip.payments] == [
        ("card", Decimal("696.00")),
        ("card", Decimal("-34.80")),
    ]
    assert [x.state for x in Settlement.select().where(Settlement.order == order)] == [
        "void",
        "active",
    ]

    # a new gate pass for the new settlement; the old paper lets nobody out
    later(2)
    with pytest.raises(DomainError, match="was voided"):
        checkout.use_gate_pass(s["supervisor"], old_pass.number)
    new_pass = let_out(s, order)
    assert new_pass.id != old_pass.id and new_pass.number != old_pass.number
    assert checkout.gate_status(old_pass.number).status == "void"
    assert documents.gate_pass_data(order.number).number == new_pass.number
    assert [
        g.void for g in GatePass.select().where(GatePass.order == order).order_by(GatePass.id)
    ] == [
        True,
        False,
    ]
    follow_up_call(s, order)
    assert [st for st, _who in state_moves(fresh(order))][-6:] == [
        "delivered",
        "settled",
        "delivered",
        "settled",
        "left",
        "closed",
    ]
    assert (
        Staff.get_by_id(approvals.approvals_for(s["cashier"])[0].decided_by_id).login == "manager"
    )
