"""Test-setup shortcuts: customers, vehicles and repair orders put straight into a state.

Use these to reach a step's preconditions quickly; the step under test itself must be driven
through the public service functions. The full walks in tests/services/test_walks.py go
through every step with services only.
"""

from __future__ import annotations

import datetime as dt
import itertools
from decimal import Decimal

from shop_desk import clock
from shop_desk.models import (
    Customer,
    FollowUp,
    GatePass,
    Inspection,
    JobLine,
    LabourOperation,
    OrderEvent,
    Part,
    Payment,
    QcCheck,
    RepairOrder,
    Settlement,
    Staff,
    Team,
    Vehicle,
)
from shop_desk.services.orders import next_number, order_totals
from shop_desk.states import State

_seq = itertools.count(1)

# Valid VINs (check digit right) for tests.
VINS = ("LSVAU2A37N2123458", "LFV2A21K0M4012340", "LHGCR2650K8001234", "1M8GDM9AXKP042788")


def make_customer(
    name: str = "王先生", phone: str = "13800138000", kind: str = "person", **kw
) -> Customer:
    return Customer.create(name=name, phone=phone, kind=kind, **kw)


def make_vehicle(
    owner: Customer | None = None,
    vin: str | None = None,
    plate: str | None = None,
    sale_date: dt.date | None = None,
    odometer: int = 12000,
    **kw,
) -> Vehicle:
    n = next(_seq)
    owner = owner or make_customer(phone=f"139{n:08d}")
    sale_date = sale_date or (clock.today() - dt.timedelta(days=400))
    return Vehicle.create(
        vin=vin or f"TESTVIN{n:010d}",
        plate=plate or f"沪A{n:05d}",
        make=kw.pop("make", "大众 Volkswagen"),
        model=kw.pop("model", "帕萨特 Passat"),
        year=kw.pop("year", 2024),
        colour=kw.pop("colour", "白 White"),
        sale_date=sale_date,
        warranty_start=kw.pop("warranty_start", sale_date),
        owner=owner,
        last_odometer_km=odometer,
        **kw,
    )


_ORDER_PATH = [
    State.CHECKED_IN,
    State.AWAITING_DISPATCH,
    State.IN_PROGRESS,
    State.FINAL_QC,
    State.READY,
    State.DELIVERED,
    State.SETTLED,
    State.LEFT,
    State.CLOSED,
]


def make_order(
    state: State | str = State.CHECKED_IN,
    vehicle: Vehicle | None = None,
    advisor: Staff | None = None,
    lines: bool = True,
    paid: bool = False,
    **kw,
) -> RepairOrder:
    """An order in ``state`` with plausible records for the steps before it.

    With ``lines`` it gets a labour line (5,000 km service) and a part line (oil filter),
    both authorised, customer-paid; done once the order is past the workshop. With ``paid``
    a SETTLED / LEFT / CLOSED order also gets what the checkout services leave: the active
    settlement with its cash payment and, once the car left, the used gate pass and the
    follow-up call (open for LEFT, done for CLOSED).
    """
    state = State(state)
    now = clock.now()
    vehicle = vehicle or make_vehicle()
    advisor = advisor or Staff.get(Staff.login == "advisor")
    n = next(_seq)
    order = RepairOrder.create(
        number=kw.pop("number", f"RO{now:%y%m%d}-9{n:02d}"),
        state=state.value,
        customer=vehicle.owner,
        vehicle=vehicle,
        advisor=advisor,
        walk_in=True,
        checked_in_at=now if state != State.BOOKED else None,
        odometer_km=vehicle.last_odometer_km,
        complaint_text=kw.pop("complaint_text", "常规保养 routine service"),
        promised_at=now + dt.timedelta(hours=4),
        **kw,
    )
    if state == State.BOOKED:
        return order
    Inspection.create(
        order=order, odometer_km=vehicle.last_odometer_km, fuel_level=50, protective_set=True
    )
    done_workshop = state in (
        State.READY,
        State.DELIVERED,
        State.SETTLED,
        State.LEFT,
        State.CLOSED,
        State.WASHING,
        State.FINAL_QC,
    )
    if lines:
        op = LabourOperation.get(LabourOperation.code == "MNT-5K")
        part = Part.get(Part.part_no == "FLT-OIL")
        JobLine.create(
            order=order,
            kind="labour",
            labour_op=op,
            description=op.name,
            hours=op.standard_hours,
            rate=Decimal("180.00"),
            category=op.category,
            sort=1,
            work_state="done" if done_workshop else "pending",
        )
        JobLine.create(
            order=order,
            kind="part",
            part=part,
            description=part.name,
            quantity=Decimal("1"),
            unit_price=part.unit_price,
            category=part.category,
            sort=2,
            parts_issued=Decimal("1") if done_workshop else Decimal("0"),
            work_state="done" if done_workshop else "pending",
        )
    index = _ORDER_PATH.index(state) if state in _ORDER_PATH else None
    past = lambda s: index is not None and index >= _ORDER_PATH.index(s)  # noqa: E731
    if state in (
        State.AWAITING_DISPATCH,
        State.IN_PROGRESS,
        State.WAITING_PARTS,
        State.WAITING_AUTHORISATION,
        State.FINAL_QC,
        State.REWORK,
        State.WASHING,
    ) or past(State.AWAITING_DISPATCH):
        order.signed_at = now
        order.signed_on_paper = True
        order.handed_over_at = now
    if state in (
        State.IN_PROGRESS,
        State.WAITING_PARTS,
        State.WAITING_AUTHORISATION,
        State.FINAL_QC,
        State.REWORK,
        State.WASHING,
    ) or past(State.IN_PROGRESS):
        order.team = Team.select().first()
        order.technician = Staff.get(Staff.login == "tech1")
        order.dispatched_at = now
    if done_workshop or state == State.REWORK:
        leader = Staff.get(Staff.login == "leader1")
        QcCheck.create(order=order, stage="self", passed=True, by=order.technician)
        QcCheck.create(order=order, stage="leader", passed=True, by=leader)
    if state in (State.READY, State.WASHING) or past(State.READY):
        QcCheck.create(
            order=order, stage="final", passed=True, by=Staff.get(Staff.login == "inspector")
        )
        order.ready_at = now
    if past(State.DELIVERED):
        order.delivered_at = now
        order.next_service_date = order.next_service_date or (now.date() + dt.timedelta(days=182))
        order.next_service_km = order.next_service_km or (order.odometer_km or 0) + 5000
        OrderEvent.create(order=order, kind="delivery_check", at=now, data="{}")
    if past(State.SETTLED):
        order.settled_at = now
        if paid:
            _settle(order, now)
    if past(State.LEFT):
        order.left_at = now
        if paid:
            GatePass.create(
                order=order,
                number=next_number(GatePass, "MP", now),
                code=f"T{next(_seq):05d}",
                issued_at=now,
                used_at=now,
            )
            done = past(State.CLOSED)
            FollowUp.create(
                order=order,
                customer=order.customer,
                due_at=now + dt.timedelta(days=3),
                state="done" if done else "open",
                reached=True if done else None,
                satisfaction=5 if done else None,
                fault_gone=True if done else None,
                attempts=1 if done else 0,
                done_at=now if done else None,
            )
    if past(State.CLOSED):
        order.closed_at = now
    order.save()
    return order


def _settle(order: RepairOrder, now: dt.datetime) -> Settlement:
    """A settlement paid in full in cash, as settle() would leave it (same totals)."""
    totals = order_totals(order)
    if totals.customer_total > 0:
        Payment.create(
            order=order,
            method="cash",
            amount=totals.customer_total,
            tendered=totals.customer_total,
            change_given=Decimal("0.00"),
            receipt_no=next_number(Payment, "SK", now, column="receipt_no"),
            at=now,
        )
    return Settlement.create(
        order=order,
        number=next_number(Settlement, "JS", now),
        settled_at=now,
        customer_total=totals.customer_total,
        discount_total=totals.discount_total,
        tax_total=totals.tax,
        warranty_total=totals.warranty_claim,
        internal_total=totals.by_pay_type["internal"],
        goodwill_total=totals.by_pay_type["goodwill"],
        paid_total=totals.customer_total,
        credit_total=Decimal("0.00"),
    )


def make_line(
    order: RepairOrder,
    description: str | None = None,
    *,
    kind: str = "labour",
    hours: str | Decimal = "1.00",
    rate: str | Decimal = "180.00",
    quantity: str | Decimal = "1",
    unit_price: str | Decimal = "100.00",
    pay_type: str = "customer",
    category: str = "general",
    auth_state: str = "authorised",
    work_state: str | None = None,
    origin: str | None = None,
    **kw,
) -> JobLine:
    """One more job line on ``order`` (labour or part); done when the order is past the workshop."""
    assert kind in ("labour", "part"), kind
    if work_state is None:
        past_workshop = State(order.state) in (
            State.READY,
            State.DELIVERED,
            State.SETTLED,
            State.LEFT,
            State.CLOSED,
            State.WASHING,
            State.FINAL_QC,
        )
        work_state = "done" if past_workshop and auth_state == "authorised" else "pending"
    origin = origin or ("additional" if auth_state != "authorised" else "original")
    sort = (JobLine.select().where(JobLine.order == order).count()) + 1
    if kind == "labour":
        amounts = {
            "description": description or "工时 Labour",
            "hours": Decimal(str(hours)),
            "rate": Decimal(str(rate)),
        }
    else:
        amounts = {
            "description": description or "配件 Part",
            "quantity": Decimal(str(quantity)),
            "unit_price": Decimal(str(unit_price)),
        }
    return JobLine.create(
        order=order,
        kind=kind,
        pay_type=pay_type,
        category=category,
        auth_state=auth_state,
        work_state=work_state,
        origin=origin,
        sort=sort,
        **amounts,
        **kw,
    )


def make_field_job(
    staff: dict,
    place: str = "沪宁高速 G42 km 12",
    due_hours: float = 3,
    crew: tuple[str, ...] | None = ("tech1",),
    plate: str | None = None,
    kind: str = "breakdown",
    customer_name: str | None = None,
):
    """A field job registered now (the advisor) with the customer's required arrival time
    ``due_hours`` later, within warranty, with a car; dispatched to ``crew`` (logins) by the
    supervisor unless ``crew`` is None. Through the field services, as a desk would."""
    from shop_desk.services import field

    customer = make_customer(name=customer_name or f"客户 {place}", phone="13912345678")
    car = make_vehicle(owner=customer, plate=plate)
    job = field.register_field_job(
        staff["advisor"],
        customer.id,
        place,
        "抛锚 broke down",
        clock.now() + dt.timedelta(hours=due_hours),
        kind=kind,
        vehicle=car.id,
        within_warranty=True,
    )
    if crew is not None:
        field.dispatch_field_job(
            staff["supervisor"], job.id, [staff[login].id for login in crew], "服务车 F1"
        )
    return type(job).get_by_id(job.id)


def settle_insured(
    staff: dict[str, Staff],
    insurer,
    claim_report_no: str,
    excess: str = "50.00",
    betterment: str = "20.00",
    accident_date: dt.date | None = None,
) -> RepairOrder:
    """An insured order settled now through the services (claim, assessment, the insurer's
    confirmation, the customer's payment): the factory's own lines plus a body repair
    1 h × 180.00 assessed at 150.00 and a bumper 100.00 assessed at 100.00, so the assessment
    covers 250.00 and the insurer owes 250.00 less ``excess`` and ``betterment``."""
    from shop_desk.services import checkout, insurance

    order = make_order(State.DELIVERED)
    body = make_line(order, "钣金修复 Panel repair", category="body")
    bumper = make_line(order, "前保险杠 Bumper", kind="part", unit_price="100.00")
    insurance.record_claim(
        staff["advisor"],
        order,
        insurer,
        claim_report_no,
        accident_date=accident_date or clock.now().date(),
        excess=excess,
        betterment=betterment,
    )
    insurance.record_assessment(
        staff["advisor"],
        order,
        "李定损",
        clock.now().date(),
        {body.id: "150.00", bumper.id: "100.00"},
    )
    insurance.confirm_insurer_part(staff["advisor"], order)
    checkout.take_payment(staff["cashier"], order, "cash", checkout.settlement_preview(order).due)
    checkout.settle(staff["cashier"], order)
    return RepairOrder.get_by_id(order.id)
