"""A busy sample shop for the reliability tests: orders in every state, built through the services.

Used by the conftest (a session template the fuzz and security tests copy) and by the crash
worker, which keeps driving orders through the flow with :class:`FlowDriver` until it is killed.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

import peewee

from shop_desk import clock
from shop_desk.demo import Cast, DemoBuilder
from shop_desk.demo_data import make_vin
from shop_desk.errors import DomainError
from shop_desk.models import (
    Appointment,
    FieldJob,
    FollowUp,
    GatePass,
    JobLine,
    Part,
    RepairOrder,
    Staff,
    Vehicle,
)
from shop_desk.roles import Role
from shop_desk.services import (
    admin,
    aftercare,
    appointments,
    approvals,
    checkout,
    customers,
    parts,
    reception,
)
from shop_desk.states import OPEN_STATES, State

#: The day the template's history ends; the tests' fixed clock (2026-11-02 09:00) is after it.
HISTORY_START = dt.datetime(2026, 10, 26, 8, 30)

#: (target state, walk options) for the template: one or more orders in every state.
PLAN: tuple[tuple[State, dict], ...] = (
    (State.CLOSED, {}),
    (State.LEFT, {}),
    (State.SETTLED, {}),
    (State.DELIVERED, {}),
    (State.READY, {"wash": False}),
    (State.WASHING, {"wash": True}),
    (State.FINAL_QC, {}),
    (State.REWORK, {"rework": True}),
    (State.WAITING_AUTHORISATION, {"additional": True}),
    (State.IN_PROGRESS, {"warranty": True}),
    (State.IN_PROGRESS, {}),
    (State.AWAITING_DISPATCH, {}),
    (State.CHECKED_IN, {}),
    (State.BOOKED, {}),
)

FUZZER_LOGIN = "fuzzer"


def builder(seed: int) -> DemoBuilder:
    b = DemoBuilder(seed, clock.today())
    b.staff = Cast({s.login: s for s in Staff.select()})
    return b


def new_car(b: DemoBuilder, name: str | None = None) -> Vehicle:
    """A new customer (called ``name``) with a new car (a VIN and plate no other vehicle has)."""
    rng = b.rng
    for _ in range(20):
        serial = rng.randrange(1, 999_999)
        vin = make_vin("LSVAU2A3", serial)
        plate = "沪A" + "".join(rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(5))
        if Vehicle.select().where((Vehicle.vin == vin) | (Vehicle.plate == plate)).exists():
            continue
        adv = b.staff["advisor"]
        owner = customers.create_customer(
            adv,
            name or "测试" + rng.choice("王李张刘陈杨") + str(serial),
            f"139{rng.randrange(10**8):08d}",
            preferred_contact_time="09:00-11:00",
        )
        sale = clock.today() - dt.timedelta(days=rng.randint(90, 1500))
        return customers.create_vehicle(
            adv,
            owner,
            vin,
            plate,
            make="大众 Volkswagen",
            model="帕萨特 Passat",
            year=sale.year,
            colour="白 White",
            sale_date=sale,
            warranty_start=sale,
            odometer_km=1000 + rng.randrange(80_000),
        )
    raise RuntimeError("no free VIN/plate found")


def build_busy_shop(seed: int = 7) -> dict[str, int]:
    """Fill the open (sample) shop: orders in every state plus the loose ends the services act
    on (an open follow-up, a complaint, a call, a pending approval, a recommendation, an unsigned
    parts slip, a paused clock, an order waiting for parts) and a staff member with every role."""
    b = builder(seed)
    clock.set_now(HISTORY_START - dt.timedelta(days=3))
    admin.create_staff(
        b.staff["admin"], "全能 Fuzzer", FUZZER_LOGIN, "1234", [r.value for r in Role]
    )
    cars = [new_car(b) for _ in range(len(PLAN) + 4)]
    for i, (target, options) in enumerate(PLAN):
        start = HISTORY_START + dt.timedelta(minutes=30 * (i % 8))
        b.walk(cars[i], start, target, booked=(i % 3 == 0), **options)
    # loose ends
    clock.set_now(HISTORY_START + dt.timedelta(days=1, hours=8))
    crm, adv = b.staff["crm"], b.staff["advisor"]
    left = RepairOrder.get(RepairOrder.state == State.LEFT.value)
    aftercare.open_complaint(
        crm, "phone", left.customer, "等太久了 waited too long", "late", order=left
    )
    aftercare.log_call(crm, "赵女士", "13917654321", "询问保养价格 asks for service prices")
    settled = RepairOrder.get(RepairOrder.state == State.SETTLED.value)
    approvals.request_approval(adv, "refund", settled, Decimal("10.00"), "多收 overcharged")
    approvals.request_approval(adv, "void", settled, None, "开错单 wrong order")
    ready = RepairOrder.get(RepairOrder.state == State.READY.value)
    checkout.add_recommendation(adv, ready, "后刹车片剩余3毫米 rear pads at 3 mm", safety=True)
    working = list(RepairOrder.select().where(RepairOrder.state == State.IN_PROGRESS.value))
    # an unsigned parts issue slip and a paused job on the first working order
    order = working[0]
    line = (
        JobLine.select()
        .where(
            (JobLine.order == order)
            & (JobLine.kind == "labour")
            & (JobLine.work_state == "in_progress")
        )
        .first()
    )
    from shop_desk.services import workshop

    if line is not None:
        workshop.clock_pause(order.technician, line, "break")
    # an order that waits for parts: ask for more than the stock holds
    comp = Part.get(Part.part_no == "AC-COMP")
    other = cars[len(PLAN)]
    waiting = b.walk(
        other,
        HISTORY_START + dt.timedelta(hours=5),
        State.AWAITING_DISPATCH,
        complaint_no=3,
        booked=False,
    )
    b.dispatch(waiting)
    b.start_work(waiting)
    ac_line = JobLine.select().where((JobLine.order == waiting) & (JobLine.part == comp)).first()
    if ac_line is not None:
        comp = Part.get_by_id(comp.id)
        admin.save_part(
            b.staff["parts"],
            comp.part_no,
            comp.name,
            comp.unit_price,
            comp.reserved_qty,
            comp.bin_location,
            comp.category,
            comp.unit,
        )
        parts.request_parts(b.tech(waiting), ac_line, ac_line.quantity, wait_for_parts=True)
        parts.receive_stock(b.staff["parts"], comp, ac_line.quantity, "到货 delivered")
    # a cancelled order
    gone = b.walk(
        cars[len(PLAN) + 1], HISTORY_START + dt.timedelta(hours=6), State.CHECKED_IN, booked=False
    )
    reception.cancel_order(adv, gone, "顾客改主意 customer changed their mind")
    # a future appointment
    appointments.book_appointment(
        adv,
        cars[-1].owner,
        cars[-1],
        dt.datetime(2026, 11, 4, 10, 0),
        Decimal("1.00"),
        "保养 service",
        advisor=adv,
    )
    _scenarios(b)
    _purchasing(b)
    _field_jobs(b)
    _counter_sales(b)
    _warranty_card(b)
    _import_batch(b)
    _insurance(b)
    return {
        "orders": RepairOrder.select().count(),
        "follow_ups": FollowUp.select().count(),
        "gate_passes": GatePass.select().count(),
        "appointments": Appointment.select().count(),
    }


#: Customers of the scenario orders (the golden calls of the fuzz find their orders by them).
SCENARIOS = (
    "signed at reception",
    "dispatched",
    "accepted",
    "work done",
    "self-checked",
    "wash started",
    "told to collect",
    "paid",
    "settled no pass",
    "warranty delivered",
    "complaint at follow-up",
    "slip unsigned",
)


def _scenarios(b: DemoBuilder) -> None:
    """One order just before each step the history walks do not leave open."""
    from shop_desk.services import workshop

    cars = {name: new_car(b, "场景 " + name) for name in SCENARIOS}
    day = dt.datetime(2026, 10, 31, 8, 30)
    adv, sup = b.staff["advisor"], b.staff["supervisor"]
    b.receive(cars["signed at reception"], day, 0, booked=False)
    order = b.walk(cars["dispatched"], day, State.AWAITING_DISPATCH, complaint_no=2, booked=False)
    team = order_team(order)
    workshop.dispatch(sup, order, team, [m.staff for m in team.members][0])
    order = b.walk(cars["accepted"], day, State.AWAITING_DISPATCH, complaint_no=1, booked=False)
    b.dispatch(order)
    order = b.walk(
        cars["slip unsigned"], day, State.AWAITING_DISPATCH, complaint_no=1, booked=False
    )
    b.dispatch(order)
    parts.issue_parts(b.staff["parts"], order, _open_part_items(order), b.tech(order))
    for name in ("work done", "self-checked"):
        order = b.walk(cars[name], day, State.IN_PROGRESS, complaint_no=0, booked=False)
        b.finish_work(order)
        b.issue_parts(order)
    tech = b.tech(order)
    workshop.self_check(tech, order, {"work_done": True}, True)
    order = b.walk(cars["wash started"], day, State.WASHING, wash=True, booked=False)
    workshop.start_wash(b.staff["washer"], order)
    order = b.walk(cars["told to collect"], day, State.READY, wash=False, booked=False)
    checkout.delivery_check(
        order.advisor, order, {k: True for k, _ in checkout.delivery_check_items(order)}
    )
    checkout.notify_customer(order.advisor, order, "phone", clock.now() + dt.timedelta(hours=1))
    for name in ("paid", "settled no pass"):
        order = b.walk(cars[name], day, State.DELIVERED, booked=False)
        due = checkout.settlement_preview(order).due
        if due > 0:
            checkout.take_payment(b.staff["cashier"], order, "card", due, reference="POS1")
    checkout.settle(b.staff["cashier"], order)
    b.walk(cars["warranty delivered"], day, State.DELIVERED, warranty=True, booked=False)
    # decided approvals for the void and the refund of the settled order, one pending
    settled = RepairOrder.get(RepairOrder.state == State.SETTLED.value)
    manager = b.staff["manager"]
    for kind, amount in (("void", None), ("refund", Decimal("10.00"))):
        asked = approvals.request_approval(adv, kind, settled, amount, "多收 overcharged")
        approvals.approve(manager, asked, "1234")
    approvals.request_approval(adv, "discount", settled, Decimal("50.00"), "老客户 loyal customer")
    # a complaint at its last step, a delay report
    left = RepairOrder.get(RepairOrder.state == State.LEFT.value)
    crm = b.staff["crm"]
    case = aftercare.open_complaint(
        crm, "visit", left.customer, "洗车不干净 car not clean", "quality", order=left
    )
    for step in ("investigation", "measures", "feedback", "follow_up"):
        aftercare.progress_complaint(crm, case, step, "已处理 handled")
    working = RepairOrder.get(RepairOrder.state == State.IN_PROGRESS.value)
    later = max(working.promised_at or clock.now(), clock.now()) + dt.timedelta(hours=3)
    workshop.report_delay(sup, working, later, "等配件 parts late")
    # the unsigned task order can be signed on the test day: its promised time lies ahead
    clock.set_now(dt.datetime(2026, 11, 2, 8, 0))
    unsigned = RepairOrder.get(
        (RepairOrder.state == State.CHECKED_IN.value)
        & RepairOrder.signed_at.is_null()
        & (RepairOrder.signed_on_paper == False)  # noqa: E712
    )
    reception.set_promised_time(unsigned.advisor, unsigned, dt.datetime(2026, 11, 2, 16, 0))


#: Field jobs left just before each step of the crew (their description).
_FIELD_STEPS = (
    "dispatched",
    "en route",
    "on site",
    "working",
    "work done",
    "work done called",
    "returning",
    "returned",
    "returned reported",
    "returned complete",
)

#: Field jobs for the golden calls of the fuzz: the steps above plus the registered ones
#: and a car towed in.
FIELD_JOBS = ("reg warranty", "reg quote", "quoted", *_FIELD_STEPS, "towed")


#: Insured orders (their customer's name is "保险 " + the step), one before each insurance step.
INSURED = ("reception", "working", "waiting insurer", "insurer declined", "delivered", "settled")
INSURER = "平安保险 Ping An"


def _insurance(b: DemoBuilder) -> None:
    """An insurer and an accident car before each step of an insurance repair: the claim at
    reception, hidden damage in the workshop, the insurer's answer, the insurer's confirmation
    and a settled order whose receivable the insurer has not paid."""
    from shop_desk.services import insurance
    from shop_desk.services.orders import line_total

    back = clock.now()
    b.rng.seed(22)  # its own draws (a licence number with the security test's PIN in it once)
    company = insurance.save_insurer(b.staff["admin"], INSURER, "定损中心 95511")
    day = dt.datetime(2026, 11, 1, 8, 30)
    until = {
        "reception": State.CHECKED_IN,
        "working": State.IN_PROGRESS,
        "waiting insurer": State.IN_PROGRESS,
        "insurer declined": State.IN_PROGRESS,
        "delivered": State.DELIVERED,
        "settled": State.DELIVERED,
    }
    for name in INSURED:
        order = b.walk(new_car(b, "保险 " + name), day, until[name], complaint_no=10, booked=False)
        adv = order.advisor
        insurance.record_claim(adv, order, company, f"RPAH{order.id:08d}", excess="100.00")
        if name == "reception":
            continue
        lines = JobLine.select().where(JobLine.order == order)
        insurance.record_assessment(
            adv, order, "李定损", day.date(), {ln.id: line_total(ln) for ln in lines}
        )
        if name in ("waiting insurer", "insurer declined"):
            request = insurance.propose_supplement(
                order.technician,
                order,
                [{"kind": "labour", "description": "纵梁校正 Frame straightening", "hours": "2"}],
                "拆检发现 found on strip-down",
            )
            if name == "insurer declined":
                insurance.record_supplement_answer(
                    adv, request, {ln.id: "declined" for ln in request.lines}, "李定损"
                )
        if name == "settled":
            insurance.confirm_insurer_part(adv, order)
            due = checkout.settlement_preview(order).due
            if due > 0:
                checkout.take_payment(b.staff["cashier"], order, "cash", due)
            checkout.settle(b.staff["cashier"], order)
    clock.set_now(back)


IMPORT_SOURCE = "旧系统 busy"


def returnable_lines() -> list[JobLine]:
    """Part lines with parts issued, on orders still in the workshop (parts can come back)."""
    from shop_desk.services.parts_returns import RETURN_STATES

    return list(
        JobLine.select()
        .join(RepairOrder)
        .where(
            (JobLine.kind == "part")
            & (JobLine.parts_issued >= 1)
            & RepairOrder.state.in_([s.value for s in RETURN_STATES])
        )
        .order_by(JobLine.id)
    )


def _purchasing(b: DemoBuilder) -> None:
    """A supplier with a draft and a sent supplier order, an open and a sent quality claim, a
    reorder level, and an unsigned return slip (the golden calls start from these)."""
    from shop_desk.services import parts_returns, purchasing, supplier_claims

    clerk = b.staff["parts"]
    bosch = purchasing.save_supplier(clerk, "博世配件 Bosch parts", "王经理", "13912345678")
    pads, air = Part.get(Part.part_no == "PAD-F"), Part.get(Part.part_no == "FLT-AIR")
    purchasing.set_reorder_level(clerk, pads, pads.stock_qty + 2)
    purchasing.order_restock(clerk, bosch, {pads.id: "4"}, "草稿 draft")
    sent = purchasing.order_restock(clerk, bosch, {air.id: "6", pads.id: "2"})
    purchasing.send_supplier_order(clerk, sent)
    supplier_claims.open_supplier_claim(clerk, bosch, "包装破损 box damaged", part=air.id)
    claim = supplier_claims.open_supplier_claim(clerk, bosch, "异响 squeals", part=pads.id)
    supplier_claims.send_supplier_claim(clerk, claim)
    # on a car still being worked on: the unsigned slip is not yet a problem for the check
    line = [ln for ln in returnable_lines() if ln.order.state == State.IN_PROGRESS.value][-1]
    parts_returns.return_parts(clerk, line.order, {line.id: "1"}, line.order.technician)


#: The accessory counter's cases of the busy shop, by the fault the customer gave: one just
#: before each step (the golden calls find them by it).
COUNTER_CASES = (
    "busy received",
    "busy confirmed",
    "busy approved exchange",
    "busy approved refund",
    "busy not covered",
)


def _counter_sales(b: DemoBuilder) -> None:
    """A counter sale three days before the test day with a gift on it, an exclusion, and one
    returned product before each step of its case."""
    from shop_desk.services import counter, counter_policy, counter_returns

    clock.set_now(dt.datetime(2026, 10, 30, 10, 0))
    clerk, manager = b.staff["parts"], b.staff["manager"]
    counter_policy.add_exclusion(b.staff["admin"], "accessory", "外壳 housing")
    sale = counter.sell(
        clerk,
        [
            {"part": "BULB-H7", "quantity": "10"},
            {"part": "WPR-SET", "quantity": "1"},
            {"part": "FLT-CAB", "quantity": "1", "gift": True},
        ],
        "cash",
        customer_name="零售 Counter customer",
        customer_phone="13700001111",
    )
    bulbs = next(line for line in counter.sale_lines(sale) if line.part.part_no == "BULB-H7")
    clock.set_now(dt.datetime(2026, 11, 1, 10, 0))
    for fault in COUNTER_CASES:
        request = "refund" if fault.endswith("refund") else "exchange"
        case = counter_returns.receive_product(clerk, bulbs, "1", request, fault)
        if fault == "busy received":
            continue
        case = counter_returns.record_test_report(
            clerk, case, "JC-" + str(case.id), fault != "busy not covered", "检测 tested"
        )
        if "approved" in fault:
            asked = counter_returns.request_case_approval(clerk, case)
            approvals.approve(manager, asked, "1234")


def _warranty_card(b: DemoBuilder) -> None:
    """An extended warranty card (延保卡) on the car of the "warranty delivered" scenario."""
    from shop_desk.models import Customer
    from shop_desk.services import warranty_terms

    clock.set_now(dt.datetime(2026, 11, 1, 11, 0))
    owner = Customer.get(Customer.name == "场景 warranty delivered")
    car = Vehicle.get(Vehicle.owner == owner)
    warranty_terms.add_override(
        b.staff["advisor"], car, "body", "延保卡 EW-2026-0001", dt.date(2030, 12, 31)
    )


def _import_batch(b: DemoBuilder) -> None:
    """One customer brought in from an old system, as a batch nothing is built on (undoable)."""
    from shop_desk.services import importing
    from shop_desk.services.import_files import Table

    table = Table(["客户名称", "联系电话"], [["旧客户 Old customer", "13800006666"]], "old.csv")
    importing.apply_import(
        b.staff["admin"],
        "customers",
        table,
        {"客户名称": "name", "联系电话": "phone"},
        IMPORT_SOURCE,
    )


def _field_jobs(b: DemoBuilder) -> None:
    """One field job just before each step of the field service, on the test day's morning,
    and a verified complaint about money asked for (a major demerit)."""
    from shop_desk.demo import signature_png
    from shop_desk.services import field

    clock.set_now(dt.datetime(2026, 11, 2, 7, 0))
    adv, sup, tech = b.staff["advisor"], b.staff["supervisor"], b.staff["tech1"]
    due = dt.datetime(2026, 11, 2, 12, 0)
    part = Part.select().where(Part.stock_qty >= 5).order_by(Part.id).first()
    for name in FIELD_JOBS:
        car = new_car(b, "外勤 " + name)
        job = field.register_field_job(
            adv,
            car.owner,
            "客户车队 fleet depot",
            name,
            due,
            kind="fleet_visit",
            vehicle=car,
            within_warranty=name not in ("reg quote", "quoted"),
        )
        if name == "quoted":
            field.record_quote(sup, job, "100.00", "180.00", "60.00")
        reached = name == "towed" or name in _FIELD_STEPS
        if not reached:
            continue
        field.dispatch_field_job(sup, job, [tech], "服务车 F-01", "诊断仪 tester")
        steps = _FIELD_STEPS.index(name) if name in _FIELD_STEPS else 2
        if name.startswith("returned"):
            field.issue_field_parts(b.staff["parts"], job, {part.id: "1"})
        if steps >= 1:
            field.depart(tech, job)
        if steps >= 2:
            field.arrive(tech, job)
        if name == "towed":
            field.cannot_fix_on_site(tech, job, "变速箱故障 gearbox failure")
            continue
        if steps >= 3:
            field.start_work(tech, job)
        if steps >= 4:
            field.finish_work(tech, job, "保养 serviced")
        if steps >= 5:
            field.call_centre(tech, job)
        if steps >= 6:
            field.leave_site(tech, job)
        if steps >= 7:
            field.return_to_base(tech, job)
        if steps >= 8:
            field.submit_report(tech, job, "磨损 wear", "更换 replaced", part.name, "满意 happy")
        if steps >= 9:
            field.record_survey(tech, job, 5, "客户 customer", signature_png(21))
    # expense claims of the job that is back: one waiting for approval with a tool bought on
    # the road, one approved and waiting to be paid
    from shop_desk.services import expenses

    back = FieldJob.get(FieldJob.description == "returned complete")
    photo = signature_png(22)
    expenses.submit_expense_claim(
        tech,
        back,
        [
            {"kind": "fuel", "amount": "200.00", "receipt": photo},
            {"kind": "tool", "amount": "35.00", "description": "扳手 spanner", "receipt": photo},
        ],
    )
    approved = expenses.submit_expense_claim(
        tech, back, [{"kind": "lodging", "amount": "260.00", "receipt": photo}]
    )
    expenses.approve_expense_claim(sup, approved)
    # a key customer on the visit list
    from shop_desk.services import key_customers

    key_customers.add_key_customer(b.staff["manager"], back.customer, 60, "车队 fleet")
    left = RepairOrder.get(RepairOrder.state == State.LEFT.value)
    crm = b.staff["crm"]
    case = aftercare.open_complaint(
        crm, "phone", left.customer, "索要红包 asked for a tip", "money", staff_concerned=tech
    )
    for step in ("investigation", "measures"):
        aftercare.progress_complaint(crm, case, step, "查实 verified")
    clock.set_now(dt.datetime(2026, 11, 2, 8, 0))


def order_team(order: RepairOrder):
    """The first team with the skills the order's labour needs."""
    from shop_desk.models import Team

    order = RepairOrder.get_by_id(order.id)
    skills = {ln.labour_op.skill for ln in order.lines if ln.labour_op_id}
    teams = list(Team.select().order_by(Team.id))
    return next((t for t in teams if skills <= {s.skill for s in t.skills}), teams[0])


def _open_part_items(order: RepairOrder) -> dict[int, Decimal]:
    return {
        ln.id: ln.quantity - ln.parts_issued
        for ln in JobLine.select().where(
            (JobLine.order == order)
            & (JobLine.kind == "part")
            & (JobLine.auth_state == "authorised")
        )
        if ln.parts_issued < ln.quantity
    }


class FlowDriver:
    """Moves the shop on, one realistic step at a time: check in a new car, or take a random
    open order one step further (the DemoBuilder's steps). Refusals (DomainError) are normal:
    a step may have been half-way when the previous worker was killed."""

    def __init__(self, seed: int) -> None:
        self.b = builder(seed)
        self.rng = random.Random(seed)
        self.refused = 0

    def step(self) -> str:
        rng = self.rng
        open_orders = list(
            RepairOrder.select(RepairOrder.id, RepairOrder.state).where(
                RepairOrder.state.in_([s.value for s in OPEN_STATES | {State.LEFT}])
            )
        )
        try:
            if (
                not open_orders
                or len(open_orders) < 6
                and rng.random() < 0.5
                or rng.random() < 0.15
            ):
                self._new_order()
                return "new"
            order = RepairOrder.get_by_id(rng.choice(open_orders).id)
            return self._advance(order)
        except DomainError:
            self.refused += 1
            return "refused"

    def _start(self) -> dt.datetime:
        now = clock.now()
        start = now.replace(minute=0 if now.minute < 30 else 30, second=0, microsecond=0)
        start += dt.timedelta(minutes=30)
        if start.hour >= 17 or start.hour < 8:
            day = start.date() + dt.timedelta(days=1 if start.hour >= 17 else 0)
            start = dt.datetime.combine(day, dt.time(8, 30))
        return start

    def _new_order(self) -> None:
        b, rng = self.b, self.rng
        vehicle = new_car(b)
        b.receive(
            vehicle,
            self._start(),
            rng.randrange(11),
            booked=rng.random() < 0.3,
            warranty=rng.random() < 0.1,
        )

    def _advance(self, order: RepairOrder) -> str:
        b, rng = self.b, self.rng
        state = State(order.state)
        if state == State.BOOKED:
            if order.appointment_id and rng.random() < 0.5:
                appointments.cancel_appointment(
                    order.advisor, order.appointment_id, "改期 rescheduled"
                )
            else:
                reception.check_in(
                    order.advisor,
                    order.vehicle,
                    appointment=order.appointment_id,
                    odometer_km=order.vehicle.last_odometer_km + 500,
                    complaint_text="保养 service",
                )
        elif state == State.CHECKED_IN:
            if order.signed_at or order.signed_on_paper:
                b.hand_over(order)
            elif JobLine.select().where(JobLine.order == order).exists() and rng.random() < 0.7:
                reception.sign_task_order(
                    order.advisor, order, None, signer=order.customer.name, on_paper=True
                )
            else:
                reception.cancel_order(
                    order.advisor, order, "顾客改主意 customer changed their mind"
                )
        elif state == State.AWAITING_DISPATCH:
            b.dispatch(order)
            b.start_work(order)
        elif state in (State.IN_PROGRESS, State.REWORK):
            if order.accepted_at is None:
                from shop_desk.services import workshop

                workshop.accept_car(order.technician, order)
            if state == State.IN_PROGRESS and rng.random() < 0.15:
                b.propose(order)
            else:
                b.issue_parts(order)
                b.finish_work(order)
                b.checks(order)
        elif state == State.WAITING_PARTS:
            for line in JobLine.select().where((JobLine.order == order) & (JobLine.kind == "part")):
                parts.receive_stock(b.staff["parts"], line.part_id, line.quantity, "到货 delivery")
            parts.parts_arrived(b.staff["parts"], order)
        elif state == State.WAITING_AUTHORISATION:
            b.authorise(order)
        elif state == State.FINAL_QC:
            b.final_qc(order, passed=rng.random() < 0.8)
        elif state == State.WASHING:
            b.wash(order)
        elif state == State.READY:
            b.deliver(order)
        elif state == State.DELIVERED:
            b.settle(order)
        elif state == State.SETTLED:
            if not GatePass.select().where(GatePass.order == order).exists():
                checkout.issue_gate_pass(b.staff["cashier"], order)
            b.leave(order)
        elif state == State.LEFT:
            b.follow_up(order, happy=rng.random() < 0.8)
        return state.value


# ------------------------------------------------------------------ helpers for the tests


def table_counts(db) -> tuple[int, ...]:
    """Row count of every table, in one query."""
    from shop_desk.models import ALL_MODELS

    sql = "SELECT " + ", ".join(
        f'(SELECT COUNT(*) FROM "{m._meta.table_name}")' for m in ALL_MODELS
    )
    return tuple(db.execute_sql(sql).fetchone())


def install_write_log(db) -> None:
    """Temporary triggers on this connection that note every row written in ``temp.writes``.

    The notes are part of the same transaction: when a refused call is rolled back its notes
    go too, so any note left after a refusal is a write that survived it."""
    from shop_desk.models import ALL_MODELS

    if isinstance(db, peewee.PostgresqlDatabase):  # no temporary triggers on a server
        _install_pg_write_log(db, [m._meta.table_name for m in ALL_MODELS])
        return
    db.execute_sql("CREATE TEMP TABLE IF NOT EXISTS writes (tbl TEXT, op TEXT)")
    for model in ALL_MODELS:
        table = model._meta.table_name
        for op in ("INSERT", "UPDATE", "DELETE"):
            db.execute_sql(
                f'CREATE TEMP TRIGGER IF NOT EXISTS "w_{table}_{op}" AFTER {op} ON main."{table}" '
                f"BEGIN INSERT INTO writes VALUES ('{table}', '{op}'); END"
            )


def _install_pg_write_log(db, tables: list[str]) -> None:
    """The server's write log: a row trigger on every shop table (made once per database)
    notes each write in this connection's temporary ``writes`` table; connections without
    one (the fixtures putting the shop back) note nothing. The notes roll back with the
    transaction like on SQLite."""
    db.execute_sql("CREATE TEMP TABLE IF NOT EXISTS writes (tbl TEXT, op TEXT)")
    if db.execute_sql("SELECT to_regproc('public.note_write')").fetchone()[0] is not None:
        return
    with db.atomic():
        db.execute_sql(
            "CREATE FUNCTION public.note_write() RETURNS trigger AS $$ BEGIN "
            "IF to_regclass('pg_temp.writes') IS NOT NULL THEN "
            "INSERT INTO pg_temp.writes VALUES (TG_TABLE_NAME, TG_OP); END IF; "
            "RETURN NULL; END; $$ LANGUAGE plpgsql"
        )
        for table in tables:
            db.execute_sql(
                f'CREATE TRIGGER note_write AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
                "FOR EACH ROW EXECUTE FUNCTION public.note_write()"
            )


def clear_writes(db) -> None:
    db.execute_sql("DELETE FROM writes")


def writes(db) -> list[tuple[str, str]]:
    """The writes noted since the write log was last emptied (see :func:`install_write_log`)."""
    return [tuple(r) for r in db.execute_sql("SELECT tbl, op FROM writes")]


def load_registry() -> dict:
    """services.base.REGISTRY with every module of the service package imported."""
    import importlib
    import pkgutil

    import shop_desk.services as package

    for module in pkgutil.iter_modules(package.__path__):
        importlib.import_module(f"{package.__name__}.{module.name}")
    from shop_desk.services.base import REGISTRY

    return REGISTRY
