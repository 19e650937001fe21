"""The monthly and yearly reports stay exact (issue 24): every figure against a plain recount
written row by row in Python, on a shop built through the services around 29 February 2028
(settlements, a void and a settlement again, a refund, an insurance split, counter sales,
a backdated correction, orders over the month boundaries)."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal

import pytest

from factories import make_line, make_order, settle_insured
from shop_desk import clock
from shop_desk.models import (
    ClockEvent,
    Complaint,
    CounterPayment,
    CounterSale,
    FollowUp,
    JobLine,
    Payment,
    QcCheck,
    RepairOrder,
    Settlement,
    Team,
)
from shop_desk.money import ZERO, money
from shop_desk.services import approvals, checkout, counter, insurance, reports
from shop_desk.services.orders import line_total
from shop_desk.states import State

D = Decimal
SETTLED = ("settled", "left", "closed")


def at(month: int, day: int, hour: int = 9, minute: int = 0, year: int = 2028) -> dt.datetime:
    when = dt.datetime(year, month, day, hour, minute)
    clock.set_now(when)
    return when


def approved(staff, kind, order, amount=None):
    req = approvals.request_approval(staff["advisor"], kind, order, amount, "needed")
    return approvals.approve(staff["manager"], req, "1234")


def settle(staff, order: RepairOrder) -> RepairOrder:
    """Paid in full and settled now, as the cashier does."""
    due = checkout.settlement_preview(order).due
    if due > 0:
        checkout.take_payment(staff["cashier"], order, "cash", due)
    checkout.settle(staff["cashier"], order)
    return RepairOrder.get_by_id(order.id)


def delivered(staff, tech, **kw) -> RepairOrder:
    """A delivered order with the factory's lines plus a varied set of extra ones."""
    order = make_order(State.DELIVERED, **kw)
    make_line(order, "检查 inspection", hours="1.25", rate="180.50", technician=tech)
    make_line(order, "H7", kind="part", quantity="0.5", unit_price="99.99", discount="0.01")
    make_line(order, "保修 warranty", hours="2.50", pay_type="warranty", category="engine")
    make_line(order, "内部 internal", kind="part", unit_price="33.33", pay_type="internal")
    make_line(order, "declined", hours="9", rate="999", auth_state="declined")
    return order


def clocked(order: RepairOrder, tech, start: dt.datetime, minutes: int) -> None:
    line = JobLine.get((JobLine.order == order) & (JobLine.kind == "labour"))
    ClockEvent.create(line=line, technician=tech, kind="start", at=start)
    ClockEvent.create(line=line, technician=tech, kind="pause", at=start + dt.timedelta(minutes=7))
    ClockEvent.create(line=line, technician=tech, kind="resume", at=start + dt.timedelta(minutes=9))
    ClockEvent.create(
        line=line, technician=tech, kind="finish", at=start + dt.timedelta(minutes=minutes)
    )


@pytest.fixture
def shop(db, staff):
    tech1, tech2 = staff["tech1"], staff["tech2"]
    team2 = list(Team.select().order_by(Team.id))[1]
    insurer = insurance.save_insurer(staff["admin"], "平安保险 Ping An", "定损中心 95511")
    days = [
        (1, 31, 23, 59),
        (2, 1, 0, 0),
        (2, 14, 10, 0),
        (2, 28, 16, 0),
        (2, 29, 8, 30),
        (2, 29, 23, 59),
        (3, 1, 0, 0),
        (3, 2, 11, 0),
    ]
    orders = []
    for n, (month, day, hour, minute) in enumerate(days):
        at(month, day, hour, minute)
        order = delivered(
            staff,
            tech2 if n % 2 else tech1,
            order_discount=D("20.00") if n % 3 == 0 else D("0.00"),
            is_comeback=n == 4,
        )
        if n % 2:
            RepairOrder.update(team=team2, technician=tech2).where(
                RepairOrder.id == order.id
            ).execute()
        if n == 3:  # ready late; the final check failed at first
            RepairOrder.update(ready_at=order.promised_at + dt.timedelta(hours=1)).where(
                RepairOrder.id == order.id
            ).execute()
            QcCheck.update(passed=False).where(
                (QcCheck.order == order) & (QcCheck.stage == "final")
            ).execute()
        if n == 5:  # delivered without a ready time
            RepairOrder.update(ready_at=None).where(RepairOrder.id == order.id).execute()
        if n == 6:  # ready on 29 February, delivered on 1 March: February's
            RepairOrder.update(ready_at=dt.datetime(2028, 2, 29, 22, 0)).where(
                RepairOrder.id == order.id
            ).execute()
        clocked(order, tech2 if n % 2 else tech1, clock.now(), 30 + 11 * n)
        orders.append(settle(staff, order))

    # a void on 29 February, settled again on 1 March (with a changed line in between)
    at(2, 29, 12)
    voided = orders[4]
    checkout.void_settlement(staff["cashier"], voided, approved(staff, "void", voided))
    at(3, 1, 10)
    make_line(RepairOrder.get_by_id(voided.id), "补充 extra", hours="0.50", rate="200.00")
    orders[4] = settle(staff, RepairOrder.get_by_id(voided.id))
    # a refund given on 1 March for an order settled in February
    at(3, 1, 15)
    refunded = orders[2]
    checkout.refund(
        staff["cashier"], refunded, "30.00", "cash", approved(staff, "refund", refunded, "30.00")
    )
    # insurance split settled on 29 February
    at(2, 29, 14)
    settle_insured(staff, insurer, "RPT-0229")
    # a backdated correction: an order settled in March moved to 29 February
    RepairOrder.update(settled_at=dt.datetime(2028, 2, 29, 18, 0)).where(
        RepairOrder.id == orders[7].id
    ).execute()
    # open, cancelled and a year ago
    at(2, 29, 9, 15)
    make_order(State.IN_PROGRESS, complaint_text="空调不制冷")
    make_order(State.CANCELLED)
    at(2, 28, 9, year=2027)
    settle(staff, delivered(staff, tech1))
    # counter sales on both sides of the month's end
    for month, day in ((2, 29), (3, 1), (2, 1)):
        at(month, day, 16)
        counter.sell(staff["cashier"], [{"part": "BULB-H7", "quantity": "2"}], "cash")
    # follow-ups done (in and out of the 3 days) and complaints closed
    for n, order in enumerate(orders[:5]):
        done = order.settled_at + dt.timedelta(days=2 + 2 * n)
        FollowUp.create(
            order=order,
            customer=order.customer,
            due_at=done,
            state="done" if n != 3 else "unreachable",
            reached=n != 3,
            satisfaction=None if n == 3 else 5 - n,
            fault_gone=n != 1,
            done_at=done,
        )
        RepairOrder.update(left_at=order.settled_at).where(RepairOrder.id == order.id).execute()
        Complaint.create(
            number=f"TX{n:03d}",
            channel="phone",
            customer=order.customer,
            order=order,
            cause="quality",
            description="…",
            opened_at=order.settled_at,
            closed_at=order.settled_at + dt.timedelta(days=n, hours=3),
            state="closed",
        )
    JobLine.update(warranty_claim_state="submitted").where(JobLine.pay_type == "warranty").execute()
    clock.set_now(dt.datetime(2028, 3, 5, 9))
    return orders


# ------------------------------------------------------------------------ the plain recount


def _in(value, start: dt.datetime, end: dt.datetime) -> bool:
    return value is not None and start <= value < end


def _hours(seconds: int) -> Decimal:
    return (Decimal(max(0, seconds)) / 3600).quantize(D("0.01"), ROUND_HALF_UP)


def recount(first: dt.date, last: dt.date) -> dict:
    """Every figure from the rows one by one, as the manager would count on paper."""
    start = dt.datetime.combine(first, dt.time())
    end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time())
    orders = list(RepairOrder.select())
    checked = [o for o in orders if _in(o.checked_in_at, start, end) and o.state != "cancelled"]
    settled = [o for o in orders if _in(o.settled_at, start, end) and o.state in SETTLED]
    settled_ids = {o.id for o in settled}
    per_day: dict[dt.date, int] = {}
    for o in checked:
        per_day[o.checked_in_at.date()] = per_day.get(o.checked_in_at.date(), 0) + 1
    revenue: dict[tuple[str, str], Decimal] = {}
    discounts = ZERO
    hours_sold = ZERO
    month_revenue: dict[str, Decimal] = {}
    for o in settled:
        lines = [x for x in o.lines if x.auth_state == "authorised"]
        for x in lines:
            revenue[x.pay_type, x.kind] = revenue.get((x.pay_type, x.kind), ZERO) + line_total(x)
            if x.kind == "labour":
                hours_sold += x.hours
        customer = sum((line_total(x) for x in lines if x.pay_type == "customer"), ZERO)
        applied = o.order_discount if customer > o.order_discount else customer
        discounts += applied
        key = f"{o.settled_at:%Y-%m}"
        if lines:
            net = sum((line_total(x) for x in lines), ZERO) - applied
            month_revenue[key] = month_revenue.get(key, ZERO) + net
    seconds = 0
    for line in JobLine.select().where(JobLine.kind == "labour"):
        if line.order_id not in settled_ids:
            continue
        events = list(ClockEvent.select().where(ClockEvent.line == line).order_by(ClockEvent.id))
        for this, after in zip(events, events[1:], strict=False):
            if this.kind in ("start", "resume") and after.kind in ("pause", "finish"):
                seconds += int((after.at - this.at).total_seconds())
    on_time = [
        (o.ready_at or o.delivered_at) <= o.promised_at
        for o in orders
        if _in(o.ready_at or o.delivered_at, start, end)
        and o.promised_at is not None
        and o.state != "cancelled"
    ]
    finals = [
        q for q in QcCheck.select() if q.stage == "final" and q.round == 1 and _in(q.at, start, end)
    ]
    calls = [f for f in FollowUp.select() if _in(f.done_at, start, end) and f.state != "open"]
    window = [
        f.order.left_at is None or f.done_at.date() <= f.order.left_at.date() + dt.timedelta(days=3)
        for f in calls
        if f.state == "done"
    ]
    refunds = [p for p in Payment.select() if _in(p.at, start, end) and p.amount < 0 and not p.void]
    closed = [c for c in Complaint.select() if _in(c.closed_at, start, end)]
    took = sum(int((c.closed_at - c.opened_at).total_seconds()) for c in closed)
    sales = [s for s in CounterSale.select() if _in(s.sold_at, start, end)]
    claims: dict[str, int] = {}
    checked_ids = {o.id for o in checked}
    for x in JobLine.select():
        if x.warranty_claim_state and x.order_id in checked_ids:
            claims[x.warranty_claim_state] = claims.get(x.warranty_claim_state, 0) + 1
    return {
        "orders_checked_in": len(checked),
        "cancelled": sum(
            1 for o in orders if _in(o.checked_in_at, start, end) and o.state == "cancelled"
        ),
        "comebacks": reports.Rate(sum(1 for o in checked if o.is_comeback), len(checked)),
        "cars_per_day": sorted(per_day.items()),
        "settled_orders": len(settled),
        "revenue": {k: money(v) for k, v in revenue.items() if v},
        "order_discounts": money(discounts),
        "months": {k: money(v) for k, v in month_revenue.items()},
        "hours_sold": hours_sold,
        "hours_clocked": _hours(seconds),
        "on_time": reports.Rate(sum(on_time), len(on_time)),
        "qc_first_pass": reports.Rate(
            len({q.order_id for q in finals if q.passed}), len({q.order_id for q in finals})
        ),
        "follow_ups": len(calls),
        "reached": reports.Rate(sum(1 for f in calls if f.reached), len(calls)),
        "satisfaction_sum": sum(f.satisfaction or 0 for f in calls),
        "follow_ups_in_window": reports.Rate(sum(window), len(window)),
        "refunds": len(refunds),
        "refunds_total": money(-sum((p.amount for p in refunds), ZERO)),
        "settlements_voided": sum(
            1 for s in Settlement.select() if s.state == "void" and _in(s.voided_at, start, end)
        ),
        "complaints_closed": len(closed),
        "complaint_seconds": took,
        "insurer_billed": money(
            sum(
                (
                    s.insurance_total
                    for s in Settlement.select()
                    if s.state == "active" and _in(s.settled_at, start, end)
                ),
                ZERO,
            )
        ),
        "counter_sales": len(sales),
        "counter_revenue": money(sum((s.total for s in sales), ZERO)),
        "counter_refunds": money(
            -sum(
                (
                    p.amount
                    for p in CounterPayment.select()
                    if _in(p.at, start, end) and p.amount < 0
                ),
                ZERO,
            )
        ),
        "warranty_claims_by_state": sorted(claims.items()),
    }


def figures(report: reports.MonthlyReport) -> dict:
    """The report's figures in the recount's shape."""
    closed = report.complaints_closed
    return {
        "orders_checked_in": report.orders_checked_in,
        "cancelled": report.cancelled,
        "comebacks": report.comebacks,
        "cars_per_day": report.cars_per_day,
        "settled_orders": report.settled_orders,
        "revenue": {
            (pay_type, kind): amount
            for pay_type, cell in report.revenue.items()
            for kind, amount in cell.items()
            if amount
        },
        "order_discounts": report.order_discounts,
        "months": {m.month: m.revenue for m in report.months if m.revenue},
        "hours_sold": report.hours_sold,
        "hours_clocked": report.hours_clocked,
        "on_time": report.on_time,
        "qc_first_pass": report.qc_first_pass,
        "follow_ups": report.follow_ups,
        "reached": report.reached,
        "satisfaction_sum": report.satisfaction_sum,
        "follow_ups_in_window": report.follow_ups_in_window,
        "refunds": report.refunds,
        "refunds_total": report.refunds_total,
        "settlements_voided": report.settlements_voided,
        "complaints_closed": closed,
        "complaint_seconds": None,
        "insurer_billed": report.insurer_billed,
        "counter_sales": report.counter_sales,
        "counter_revenue": report.counter_revenue,
        "counter_refunds": report.counter_refunds,
        "warranty_claims_by_state": report.warranty_claims_by_state,
    }


PERIODS = [
    (dt.date(2028, 2, 1), dt.date(2028, 2, 29)),  # February of a leap year
    (dt.date(2028, 3, 1), dt.date(2028, 3, 31)),
    (dt.date(2028, 1, 1), dt.date(2028, 1, 31)),
    (dt.date(2028, 2, 29), dt.date(2028, 3, 1)),  # over the month's end
    (dt.date(2027, 3, 1), dt.date(2028, 2, 29)),  # a year ending on 29 February
    (dt.date(2027, 3, 6), dt.date(2028, 3, 5)),  # the last 365 days, as the yearly benchmark
]


@pytest.mark.parametrize(("first", "last"), PERIODS)
def test_every_figure_matches_a_plain_recount(shop, first, last):
    report = reports.range_report(first, last)
    got, want = figures(report), recount(first, last)
    seconds = want.pop("complaint_seconds")
    got.pop("complaint_seconds")
    assert got == want
    if report.complaints_closed:
        average = Decimal(seconds) / 86400 / report.complaints_closed
        assert report.complaint_days_average == average.quantize(D("0.1"))
    # the derived figures follow from the counted ones
    assert report.total_revenue == money(
        sum(want["revenue"].values(), ZERO) - want["order_discounts"]
    )
    assert sum((m.settled for m in report.months), 0) == want["settled_orders"]
    assert sum((m.checked_in for m in report.months), 0) == want["orders_checked_in"]


def test_the_shop_has_what_the_recount_is_about(shop):
    """The built shop really has each case, so the comparison above is not vacuous."""
    february = recount(dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    march = recount(dt.date(2028, 3, 1), dt.date(2028, 3, 31))
    assert february["settlements_voided"] == 1 and march["refunds"] == 1
    assert february["insurer_billed"] > 0 and february["order_discounts"] > 0
    assert february["counter_sales"] == 2 and march["counter_sales"] == 1
    assert ("warranty", "labour") in february["revenue"]
    assert 0 < february["on_time"].part < february["on_time"].whole
    assert february["follow_ups_in_window"].part > 0
    assert february["hours_clocked"] > 0
    assert dt.date(2028, 2, 29) in dict(february["cars_per_day"])


def test_monthly_report_is_the_month_range(shop):
    assert figures(reports.monthly_report(2028, 2)) == figures(
        reports.range_report(dt.date(2028, 2, 1), dt.date(2028, 2, 29))
    )
