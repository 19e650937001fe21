"""The monthly report: every figure against a small hand-built month whose answers are known."""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal

import pytest
from openpyxl import load_workbook

from factories import make_line, make_order
from shop_desk import clock
from shop_desk.errors import ValidationError
from shop_desk.models import (
    ClockEvent,
    Complaint,
    FollowUp,
    JobLine,
    LabourOperation,
    Part,
    QcCheck,
    RepairOrder,
    Team,
)
from shop_desk.services import reports
from shop_desk.services.orders import order_totals
from shop_desk.states import State

D = Decimal


def at(month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    when = dt.datetime(2026, month, day, hour, minute)
    clock.set_now(when)
    return when


def op(code: str) -> LabourOperation:
    return LabourOperation.get(LabourOperation.code == code)


def part(no: str) -> Part:
    return Part.get(Part.part_no == no)


def clock_pair(line: JobLine, tech, start: dt.datetime, *kinds_minutes: tuple[str, int]) -> None:
    """A start entry at ``start`` and further entries ``(kind, minutes after start)``."""
    ClockEvent.create(line=line, technician=tech, kind="start", at=start)
    for kind, minutes in kinds_minutes:
        ClockEvent.create(
            line=line, technician=tech, kind=kind, at=start + dt.timedelta(minutes=minutes)
        )


def complaint(n: int, when: dt.datetime, cause: str, order: RepairOrder, staff_member=None) -> None:
    Complaint.create(
        number=f"TS{n:03d}",
        channel="phone",
        customer=order.customer,
        order=order,
        cause=cause,
        staff_concerned=staff_member,
        description="…",
        opened_at=when,
    )


def follow_up(
    order: RepairOrder, done: dt.datetime | None, state: str, reached=None, sat=None, gone=None
) -> None:
    FollowUp.create(
        order=order,
        customer=order.customer,
        due_at=done or clock.now(),
        state=state,
        reached=reached,
        satisfaction=sat,
        fault_gone=gone,
        done_at=done,
    )


@pytest.fixture
def month(db, staff):
    """November 2026 as described in the comments; returns the orders by letter."""
    team1, team2 = list(Team.select().order_by(Team.id))[:2]
    tech1, tech2, tech3 = staff["tech1"], staff["tech2"], staff["tech3"]

    # A: 3 Nov, closed; customer labour 2.00 h × 180.00 less 10.00 = 350.00, compressor 3,280.00;
    # a declined line never counts; ready an hour after the promise (late); final QC failed once.
    t = at(11, 3)
    a = make_order(State.CLOSED, lines=False, complaint_text="空调不制冷，出风是热的")
    a.team = team1
    a_lab = make_line(
        a,
        "空调系统检修",
        labour_op=op("AC-REG"),
        hours="2.00",
        rate="180.00",
        discount="10.00",
        technician=tech1,
    )
    make_line(
        a,
        "AC-COMP",
        kind="part",
        part=part("AC-COMP"),
        quantity="1",
        unit_price="3280.00",
        category="general",
    )
    make_line(a, "declined", labour_op=op("AC-REG"), hours="5", rate="999", auth_state="declined")
    a.ready_at = a.promised_at + dt.timedelta(hours=1)
    a.save()
    QcCheck.update(passed=False).where((QcCheck.order == a) & (QcCheck.stage == "final")).execute()
    QcCheck.create(order=a, stage="final", round=2, passed=True, by=staff["inspector"], at=t)
    clock_pair(a_lab, tech1, t, ("pause", 60), ("resume", 90), ("finish", 150))  # 2.0 h
    clock_pair(a_lab, tech3, t.replace(hour=14), ("finish", 30))  # rework by tech3: 0.5 h

    # B: 10 Nov, closed, team 2 / tech2; warranty engine mount 2.50 h × 180 = 450.00 + part 860.00;
    # customer labour 1.25 h × 180.50 = 225.625 -> 225.63; order discount 20.00.
    t = at(11, 10)
    b = make_order(
        State.CLOSED, lines=False, complaint_text="发动机怠速抖动厉害", order_discount=D("20.00")
    )
    b.team, b.technician = team2, tech2
    b.save()
    b_eng = make_line(
        b,
        "发动机支架",
        labour_op=op("ENG-MNT"),
        hours="2.50",
        rate="180.00",
        pay_type="warranty",
        technician=tech2,
    )
    make_line(
        b,
        "MNT-ENG",
        kind="part",
        part=part("MNT-ENG"),
        quantity="1",
        unit_price="860.00",
        pay_type="warranty",
    )
    b_cust = make_line(b, "检查 inspection", hours="1.25", rate="180.50", technician=tech2)
    clock_pair(b_eng, tech2, t, ("finish", 180))  # 3.0 h
    clock_pair(b_cust, tech2, t.replace(hour=13), ("finish", 60))  # 1.0 h

    # C: 20 Nov, settled (car still here), tech1 via the order; 0.5 × 99.99 = 49.995 -> 50.00
    # customer, 1.00 h internal labour; order discount 100.00 takes only the 50.00; delivered
    # exactly at the promised time (on time).
    t = at(11, 20)
    c = make_order(
        State.SETTLED,
        lines=False,
        complaint_text="常规保养 routine service",
        order_discount=D("100.00"),
    )
    c.team = team1
    make_line(
        c,
        "H7",
        kind="part",
        part=part("BULB-H7"),
        quantity="0.5",
        unit_price="99.99",
        category="wear",
    )
    c_lab = make_line(c, "内部 internal", hours="1.00", rate="180.00", pay_type="internal")
    make_line(c, "proposed", hours="3", rate="180", auth_state="proposed")
    c.ready_at = None
    c.delivered_at = c.promised_at
    c.save()
    clock_pair(c_lab, tech1, t.replace(hour=10), ("finish", 45))  # 0.75 h

    # G: 20 Nov, delivered (settlement voided: no revenue); on time; maintenance op left out.
    at(11, 20, 11)
    g = make_order(State.DELIVERED, lines=False, complaint_text="发动机怠速抖动")
    make_line(g, "ENG", labour_op=op("ENG-MNT"), hours="2.5")
    make_line(g, "MNT", labour_op=op("MNT-5K"), category="maintenance")

    # E: 25 Nov, in progress, a comeback; AC again with two compressors.
    at(11, 25)
    e = make_order(State.IN_PROGRESS, lines=False, complaint_text="空调不制冷了", is_comeback=True)
    make_line(e, "AC", labour_op=op("AC-REG"))
    make_line(e, "AC-COMP", kind="part", part=part("AC-COMP"), quantity="2", unit_price="3280.00")

    # F: 26 Nov, cancelled.
    at(11, 26)
    make_order(State.CANCELLED, lines=False, complaint_text="预约取消")

    # H: checked in 30 Nov late evening, ready then (on time), settled on 1 Dec.
    at(11, 30, 23, 30)
    h = make_order(State.CLOSED, lines=False, complaint_text="空调不制冷，出风是热的")
    make_line(h, "AC", labour_op=op("AC-REG"))
    h.settled_at = dt.datetime(2026, 12, 1, 9, 0)
    h.save()

    # D: October: checked in and settled on 30/31 Oct (default lines: 180.00 + 58.00).
    at(10, 30)
    d = make_order(State.CLOSED)
    d.settled_at = dt.datetime(2026, 10, 31, 10, 0)
    d.save()
    clock_pair(
        JobLine.get((JobLine.order == d) & (JobLine.kind == "labour")),
        tech1,
        dt.datetime(2026, 10, 30, 10),
        ("finish", 60),
    )

    # follow-up calls finished in November (D's too), one open, one in October
    follow_up(a, dt.datetime(2026, 11, 6, 10), "done", True, 5, True)
    follow_up(b, dt.datetime(2026, 11, 13, 10), "done", True, 2, False)
    follow_up(c, dt.datetime(2026, 11, 23, 10), "unreachable", False)
    follow_up(d, dt.datetime(2026, 11, 3, 10), "done", True, 4, True)
    follow_up(h, None, "open")
    follow_up(d, dt.datetime(2026, 10, 31, 12), "done", True, 1, False)

    # complaints opened in November (one in October)
    complaint(1, dt.datetime(2026, 11, 5), "comeback", a, tech1)
    complaint(2, dt.datetime(2026, 11, 6), "rude", b, staff["advisor"])
    complaint(3, dt.datetime(2026, 11, 28), "comeback", e, tech1)
    complaint(4, dt.datetime(2026, 11, 29), "price", c)
    complaint(5, dt.datetime(2026, 10, 29), "late", d, tech2)
    clock.set_now(dt.datetime(2026, 12, 2, 9))
    return {"a": a, "b": b, "c": c, "d": d, "e": e, "g": g, "h": h, "team1": team1, "team2": team2}


def test_checked_in_figures(month):
    r = reports.monthly_report(2026, 11)
    assert (r.start, r.end) == (dt.date(2026, 11, 1), dt.date(2026, 11, 30))
    assert r.orders_checked_in == 6  # A B C G E H
    assert r.cancelled == 1
    assert r.cars_per_day == [
        (dt.date(2026, 11, 3), 1),
        (dt.date(2026, 11, 10), 1),
        (dt.date(2026, 11, 20), 2),
        (dt.date(2026, 11, 25), 1),
        (dt.date(2026, 11, 30), 1),
    ]
    assert r.cars_per_day_average == D("1.2")
    assert r.busiest_day == (dt.date(2026, 11, 20), 2)
    assert r.comebacks == reports.Rate(1, 6)
    assert r.comebacks.percent == D("16.7")


def test_revenue_by_kind_and_pay_type(month):
    r = reports.monthly_report(2026, 11)
    assert r.settled_orders == 3  # A B C; G was voided, H settled in December
    assert r.revenue["customer"] == {"labour": D("575.63"), "part": D("3330.00")}
    assert r.revenue["warranty"] == {"labour": D("450.00"), "part": D("860.00")}
    assert r.revenue["internal"] == {"labour": D("180.00"), "part": D("0.00")}
    assert r.revenue["goodwill"] == {"labour": D("0.00"), "part": D("0.00")}
    assert r.order_discounts == D("70.00")  # 20.00 + the 50.00 of C's 100.00 that applied
    assert r.labour_revenue == D("1205.63")
    assert r.parts_revenue == D("4190.00")
    assert r.pay_type_revenue("customer") == D("3835.63")
    assert r.total_revenue == D("5325.63")
    assert r.average_ticket == D("1775.21")
    # the same customer total the settlement rule gives, order by order
    settled = [month[k] for k in "abc"]
    assert sum(order_totals(o).customer_total for o in settled) == r.pay_type_revenue("customer")


def test_hours_sold_and_clocked_per_technician_and_team(month, staff):
    r = reports.monthly_report(2026, 11)
    assert r.hours_sold == D("6.75")
    assert r.hours_clocked == D("7.25")
    assert r.efficiency == D("93.1")
    techs = {row.name: (row.sold, row.clocked, row.efficiency) for row in r.technicians}
    assert techs == {
        staff["tech1"].name: (D("3.00"), D("2.75"), D("109.1")),
        staff["tech2"].name: (D("3.75"), D("4.00"), D("93.8")),
        staff["tech3"].name: (D("0"), D("0.50"), D("0.0")),
    }
    teams = {row.key: (row.sold, row.clocked, row.efficiency) for row in r.teams}
    assert teams == {
        month["team1"].id: (D("3.00"), D("3.25"), D("92.3")),
        month["team2"].id: (D("3.75"), D("4.00"), D("93.8")),
    }


def test_quality_and_customer_figures(month, staff):
    r = reports.monthly_report(2026, 11)
    assert r.on_time == reports.Rate(4, 5)  # A late; B C G H on time
    assert r.qc_first_pass == reports.Rate(4, 5)  # A failed round 1
    assert r.follow_ups == 4
    assert r.reached == reports.Rate(3, 4)
    assert r.average_satisfaction == D("3.67")  # (5 + 2 + 4) / 3
    assert (r.dissatisfied, r.fault_not_gone) == (1, 1)
    assert r.complaints == 4
    assert r.complaints_by_cause == [("comeback", 2), ("price", 1), ("rude", 1)]
    assert r.complaints_by_staff == [(staff["tech1"].name, 2), (staff["advisor"].name, 1)]


def test_recurring_faults_and_parts(month):
    r = reports.monthly_report(2026, 11)
    assert r.top_operations == [(op("AC-REG").name, 3), (op("ENG-MNT").name, 2)]
    assert r.top_parts == [
        (part("AC-COMP").name, D("3.00"), 2),
        (part("MNT-ENG").name, D("1.00"), 1),
        (part("BULB-H7").name, D("0.50"), 1),
    ]
    # similar texts grouped, routine services left out, single ones are not "recurring"
    assert r.top_complaints == [("空调不制冷，出风是热的", 3), ("发动机怠速抖动", 2)]


def test_labels_tables_and_progress(month):
    calls: list[tuple[int, int]] = []
    r = reports.monthly_report(2026, 11, progress=lambda done, total: calls.append((done, total)))
    total = calls[0][1]
    assert calls == [(i, total) for i in range(total + 1)]
    rows = dict(reports.report_rows(r))
    assert rows["Total revenue (tax included)"] == "¥5,325.63"
    assert rows["Revenue: Customer pays"] == "¥3,835.63"
    assert rows["Delivered on time"] == "80.0% (4 of 5)"
    assert rows["Average satisfaction (1–5)"] == "3.67"
    assert rows["Efficiency (hours sold / clocked)"] == "93.1%"
    tables = reports.report_tables(r)
    assert list(tables)[0] == "Summary"
    revenue = tables["Revenue"]
    assert revenue[0] == ("Pay type", "Labour", "Parts", "Total")
    assert revenue[-1] == ("Total revenue (tax included)", D("1205.63"), D("4190.00"), D("5325.63"))
    assert tables["Complaints by cause"][1] == ("Comeback (same problem repaired twice)", 2)
    assert reports.report_title(r) == "Monthly report 2026-11"


def test_year_range_has_twelve_months(month):
    r = reports.range_report(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert [m.month for m in r.months] == [f"2026-{m:02d}" for m in range(1, 13)]
    by = {m.month: m for m in r.months}
    assert (by["2026-10"].checked_in, by["2026-10"].settled, by["2026-10"].revenue) == (
        1,
        1,
        D("238.00"),
    )
    assert (by["2026-11"].checked_in, by["2026-11"].settled, by["2026-11"].revenue) == (
        6,
        3,
        D("5325.63"),
    )
    assert (by["2026-12"].checked_in, by["2026-12"].settled) == (0, 1)  # H settled on 1 Dec
    assert r.total_revenue == sum((m.revenue for m in r.months), D("0"))
    assert reports.report_title(r) == "Report 2026-01-01 – 2026-12-31"


def test_wrong_periods_are_refused(db):
    with pytest.raises(ValidationError):
        reports.monthly_report(2026, 13)
    with pytest.raises(ValidationError):
        reports.range_report(dt.date(2026, 2, 1), dt.date(2026, 1, 31))


def test_empty_month(db):
    r = reports.monthly_report(2030, 2)
    assert r.orders_checked_in == r.settled_orders == 0
    assert r.average_ticket is None and r.efficiency is None and r.on_time.percent is None
    rows = dict(reports.report_rows(r))
    assert rows["Average revenue per settled order"] == "—"
    assert rows["Total revenue (tax included)"] == "¥0.00"


def test_cli_text_and_exports(month, tmp_path):
    csv_path, xlsx_path = tmp_path / "nov.csv", tmp_path / "nov.xlsx"
    text = reports.cli_monthly(2026, 11, csv_path=csv_path, xlsx_path=xlsx_path)
    assert text.startswith("Monthly report 2026-11\n")
    assert "¥5,325.63" in text and "空调不制冷，出风是热的" in text
    assert f"Written: {csv_path}" in text
    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh))
    assert lines[0] == ["Monthly report 2026-11"]
    assert ["Total revenue (tax included)", "¥5,325.63"] in lines
    assert ["Total revenue (tax included)", "1205.63", "4190.00", "5325.63"] in lines
    wb = load_workbook(xlsx_path)
    assert wb.sheetnames[:4] == ["Summary", "Cars per day", "Months", "Revenue"]
    last = [c.value for c in list(wb["Revenue"].iter_rows())[-1]]
    assert last[0] == "Total revenue (tax included)"
    assert D(str(last[3])) == D("5325.63")


def _count_queries(db) -> tuple[list[str], object]:
    seen: list[str] = []
    original = db.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        seen.append(sql)
        return original(sql, params, *args, **kwargs)

    return seen, counting


def _busy_day(day: int, n: int, staff) -> None:
    """``n`` settled orders with labour clocked, a follow-up and a complaint each."""
    for i in range(n):
        t = at(11, day, 9 + i % 8)
        o = make_order(State.CLOSED, complaint_text=f"车窗升不上去 {i}")
        ln = make_line(o, "WIN", labour_op=op("WIN-REG"), technician=staff["tech2"])
        make_line(o, "MTR", kind="part", part=part("WIN-MTR"), unit_price="640.00")
        clock_pair(ln, staff["tech2"], t, ("pause", 20), ("resume", 30), ("finish", 70))
        follow_up(o, t + dt.timedelta(days=3), "done", True, 4, True)
        complaint(100 * day + i, t, "quality", o, staff["tech2"])


def test_query_count_does_not_grow_with_the_orders(db, staff, monkeypatch):
    _busy_day(3, 2, staff)
    seen, counting = _count_queries(db)
    monkeypatch.setattr(db, "execute_sql", counting)
    small = reports.monthly_report(2026, 11)
    few = len(seen)
    monkeypatch.undo()
    _busy_day(4, 25, staff)
    seen, counting = _count_queries(db)
    monkeypatch.setattr(db, "execute_sql", counting)
    large = reports.monthly_report(2026, 11)
    assert len(seen) == few, "the report must not query per order"
    # one query per group of figures (counter: one; parts in and out: one; control figures:
    # three; insurance: two)
    assert few <= 27
    assert (small.settled_orders, large.settled_orders) == (2, 27)
    assert large.complaints == 27 and large.follow_ups == 27
    assert large.hours_clocked == D("27.00")  # 60 minutes of work on each order


# ------------------------------------------------------------------------- field service


def _field_month(staff) -> None:
    """Field jobs, claims and penalties made with the services over January–March 2028 (a
    leap year): jobs registered at 23:30 on 31 January and 29 February, their arrivals and
    reports the next month; a cancelled job; claims submitted, approved and paid on either
    side of the month's end; a major demerit from a verified complaint."""
    from factories import make_customer, make_vehicle
    from shop_desk.demo import signature_png
    from shop_desk.services import expenses, field, penalties

    png = signature_png(5)
    crews = [[staff["tech1"]], [staff["tech1"], staff["tech2"]], [staff["tech2"]]]

    def job(when, kind, hours_to_arrive, late_by, report, survey, crew_no=0):
        clock.set_now(when)
        customer = make_customer(name=f"客户 {when:%m%d%H%M}", phone="13912345678")
        car = make_vehicle(owner=customer)
        row = field.register_field_job(
            staff["advisor"],
            customer.id,
            "沪宁高速 G42",
            "抛锚 broke down",
            when + dt.timedelta(hours=hours_to_arrive),
            kind=kind,
            vehicle=car.id,
            within_warranty=True,
        )
        crew = crews[crew_no]
        field.dispatch_field_job(staff["supervisor"], row.id, [p.id for p in crew], "服务车 F1")
        if late_by is None:
            return row
        tech = crew[0]
        field.depart(tech, row.id)
        clock.set_now(when + dt.timedelta(hours=hours_to_arrive + late_by))
        if late_by > 0:
            field.arrive(tech, row.id, "堵车 traffic", personal=late_by > 1)
        else:
            field.arrive(tech, row.id)
        if report is None:
            return row
        field.start_work(tech, row.id)
        field.finish_work(tech, row.id, "修好 fixed")
        field.call_centre(tech, row.id)
        field.leave_site(tech, row.id)
        field.return_to_base(tech, row.id)
        texts = ("亏电", "充电", "", "满意") if report else ("", "充电", "", "")
        field.submit_report(tech, row.id, *texts)
        if survey is not None:
            field.record_survey(tech, row.id, survey, "客户", png)
        return row

    def claim(row, tech, amount, submitted, approved=None, paid=None):
        clock.set_now(submitted)
        c = expenses.submit_expense_claim(
            tech, row.id, [{"kind": "fuel", "amount": amount, "receipt": signature_png(9)}]
        )
        if approved is not None:
            clock.set_now(approved)
            expenses.approve_expense_claim(staff["supervisor"], c.id)
        if paid is not None:
            clock.set_now(paid)
            expenses.pay_expense_claim(staff["cashier"], c.id)

    t, t2 = staff["tech1"], staff["tech2"]
    jan = job(dt.datetime(2028, 1, 31, 23, 30), "breakdown", 2, -0.5, True, 4)
    job(dt.datetime(2028, 2, 1, 0, 0), "fleet_visit", 3, 0, True, 5, crew_no=1)
    a = job(dt.datetime(2028, 2, 10, 8, 0), "fleet_visit", 3, 2, False, None, crew_no=1)
    b = job(dt.datetime(2028, 2, 15, 9, 0), "mobile_service", 4, 0.5, True, 2, crew_no=2)
    job(dt.datetime(2028, 2, 20, 9, 0), "breakdown", 4, None, None, None)  # out, not arrived
    c = job(dt.datetime(2028, 2, 29, 23, 30), "breakdown", 1, 3, False, 3, crew_no=2)
    job(dt.datetime(2028, 3, 1, 0, 0), "breakdown", 2, -1, True, 5)
    clock.set_now(dt.datetime(2028, 2, 21, 9, 0))
    gone = field.register_field_job(
        staff["advisor"],
        make_customer(name="取消 Cancelled").id,
        "浦东",
        "不需要了",
        dt.datetime(2028, 2, 22, 9, 0),
    )
    field.cancel_field_job(staff["supervisor"], gone.id, "客户自己修好了")
    claim(
        jan,
        t,
        "120.00",
        dt.datetime(2028, 2, 1, 10, 0),
        dt.datetime(2028, 2, 3, 10, 0),
        dt.datetime(2028, 3, 1, 9, 0),
    )
    claim(
        a,
        t2,
        "80.50",
        dt.datetime(2028, 2, 11, 10, 0),
        dt.datetime(2028, 2, 29, 23, 59),
        dt.datetime(2028, 2, 29, 23, 59, 30),
    )
    claim(b, t2, "45.00", dt.datetime(2028, 2, 16, 10, 0))
    claim(c, t2, "300.00", dt.datetime(2028, 3, 1, 10, 0), dt.datetime(2028, 3, 2, 10, 0))
    clock.set_now(dt.datetime(2028, 2, 12, 9, 0))
    penalties.record_not_following_dispatch(staff["supervisor"], t.id, a.id, "没有按派遣去")
    case = Complaint.create(
        number="TS-F1",
        channel="phone",
        customer=make_customer(name="投诉 K"),
        cause="rude",
        staff_concerned=t2,
        description="态度差 rude",
        state="measures",
    )
    clock.set_now(dt.datetime(2028, 2, 29, 23, 59, 59))
    penalties.demerit_from_complaint(staff["manager"], case.id)


def _recount(start: dt.datetime, end: dt.datetime) -> dict:
    """The field figures counted row by row in Python, the way a clerk would."""
    from shop_desk.models import ExpenseClaim, FieldJob, Penalty, ServiceReport, Staff

    inside = lambda when: when is not None and start <= when < end  # noqa: E731
    jobs = [j for j in FieldJob.select() if inside(j.registered_at) and j.state != "cancelled"]
    by_kind: dict[str, int] = {}
    for j in jobs:
        by_kind[j.kind] = by_kind.get(j.kind, 0) + 1
    arrived = [j for j in jobs if j.arrived_at is not None]
    written = [r for r in ServiceReport.select() if r.job in jobs and r.written_at]
    scores = [r.satisfaction for r in written if r.satisfaction is not None]
    claims = list(ExpenseClaim.select())
    people: dict[str, list] = {}
    for p in Penalty.select():
        if inside(p.at):
            row = people.setdefault(Staff.get_by_id(p.staff_id).name, [0, 0, D("0")])
            row[1 if p.kind == "major_demerit" else 0] += 1
            row[2] += p.amount
    return {
        "by_kind": sorted(by_kind.items()),
        "on_time": reports.Rate(
            sum(1 for j in arrived if j.arrived_at <= j.required_arrival_at), len(arrived)
        ),
        "complete": reports.Rate(sum(1 for r in written if r.complete), len(written)),
        "satisfaction": ((D(sum(scores)) / len(scores)).quantize(D("0.01")) if scores else None),
        "claimed": sum((c.total for c in claims if inside(c.submitted_at)), D("0")),
        "approved": sum(
            (
                c.approved_total
                for c in claims
                if inside(c.decided_at) and c.state in ("approved", "paid")
            ),
            D("0"),
        ),
        "paid": sum((c.approved_total for c in claims if inside(c.paid_at)), D("0")),
        "people": {name: tuple(v) for name, v in people.items()},
    }


@pytest.mark.parametrize("month", [1, 2, 3])
def test_field_figures_match_a_plain_recount(db, staff, month):
    _field_month(staff)
    report = reports.monthly_report(2028, month)
    last = 29 if month == 2 else 31
    expected = _recount(
        dt.datetime(2028, month, 1), dt.datetime(2028, month, last) + dt.timedelta(days=1)
    )
    assert report.field_jobs_by_kind == expected["by_kind"]
    assert report.field_jobs == sum(n for _k, n in expected["by_kind"])
    assert report.field_on_time == expected["on_time"]
    assert report.field_reports_complete == expected["complete"]
    assert report.field_average_satisfaction == expected["satisfaction"]
    assert report.expenses_claimed == expected["claimed"]
    assert report.expenses_approved == expected["approved"]
    assert report.field_expenses == expected["paid"]
    assert {
        r.name: (r.cases, r.major_demerits, r.amount) for r in report.penalties_by_person
    } == expected["people"]


def test_field_figures_of_february_by_hand(db, staff):
    """The same data, February's answers written out: the 29 February 23:30 job is
    February's although its crew arrived in March; the 31 January 23:30 one is not."""
    _field_month(staff)
    report = reports.monthly_report(2028, 2)
    assert report.field_jobs_by_kind == [
        ("breakdown", 2),
        ("fleet_visit", 2),
        ("mobile_service", 1),
    ]
    # arrived: 1 Feb (on time), 10 Feb (2 h late), 15 Feb (½ h late), 29 Feb (3 h late)
    assert report.field_on_time == reports.Rate(1, 4)
    assert report.field_reports_complete == reports.Rate(2, 4)
    assert report.field_average_satisfaction == D("3.33")  # 5, 2, 3
    assert report.expenses_claimed == D("245.50")  # 120.00 + 80.50 + 45.00
    assert report.expenses_approved == D("200.50")  # 120.00 (3 Feb) + 80.50 (29 Feb)
    assert report.field_expenses == D("80.50")  # the January job's claim is paid 1 March
    people = {r.name: (r.cases, r.major_demerits, r.amount) for r in report.penalties_by_person}
    t1, t2 = staff["tech1"].name, staff["tech2"].name
    # tech1: late for a personal reason (10 Feb, the whole crew), not following the
    # dispatch, the 10 Feb incomplete report; tech2: the 10 Feb lateness and the demerit
    # (29 Feb 23:59:59). The 29 Feb job's lateness and report are entered on 1 March.
    assert people[t1] == (3, 0, D("250.00"))
    assert people[t2] == (1, 1, D("100.00"))
    assert report.penalty_cases == 4 and report.major_demerits == 1
    assert report.penalties_by_person[0].name == t2  # demerits first
    rows = dict(reports.report_rows(report))
    assert rows["Major demerits"] == "1"
    assert rows["Field: expenses approved"] == "¥200.50"
    assert rows["Field jobs: Fleet visit"] == "2"
    tables = reports.report_tables(report)
    assert tables["Penalties per person"][1] == (t2, 1, 1, D("100.00"))
    assert rows["Penalty cases"] == "4" and rows["Penalties (amount)"] == "¥350.00"
    # the command line's text and the CSV carry the same tables
    text = reports.report_text(report)
    assert "== Penalties per person ==" in text and "== Field jobs ==" in text
    assert t2 in text.split("== Penalties per person ==")[1]
    csv_rows = reports.report_csv_rows(report)
    assert ("Penalties per person",) in csv_rows and (t2, 1, 1, D("100.00")) in csv_rows


def test_the_control_figures_against_a_plain_recount(db, staff):
    """Calls answered within 24 h, follow-ups within 3 days of the car leaving, refunds and
    voided settlements, warranty claims by state, complaint closing time: in November 2026,
    with one of each kind just outside (the month, the 24 h, the 3 days)."""
    from shop_desk.models import CallLog, Payment, Settlement

    for received, answered in (
        (at(11, 2, 9), at(11, 2, 19)),  # 10 h: in time
        (at(11, 3, 9), at(11, 4, 9)),  # exactly 24 h: in time
        (at(11, 5, 9), at(11, 6, 15)),  # 30 h: late
        (at(11, 30, 23, 30), None),  # not answered yet
        (at(10, 31, 23, 0), at(11, 1, 8)),  # October's call
    ):
        CallLog.create(
            received_at=received,
            caller="王先生",
            subject="问价 price",
            answer_due_at=received + dt.timedelta(hours=24),
            answered_at=answered,
        )
    for left, done in ((at(11, 2), at(11, 5, 17)), (at(11, 2), at(11, 6, 9))):
        order = make_order(State.LEFT, paid=True)
        RepairOrder.update(left_at=left).where(RepairOrder.id == order.id).execute()
        FollowUp.update(state="done", done_at=done, reached=True).where(
            FollowUp.order == order
        ).execute()
    paid = make_order(State.CLOSED, paid=True)
    settlement = Settlement.get(Settlement.order == paid)
    Payment.create(
        order=paid,
        method="cash",
        amount=D("-30.00"),
        at=at(11, 10),
        taken_by=staff["cashier"],
        receipt_no="SK261110-901",
    )
    Payment.create(
        order=paid,
        method="cash",
        amount=D("-5.00"),
        at=at(11, 10),
        taken_by=staff["cashier"],
        receipt_no="SK261110-902",
        void=True,
    )
    Settlement.update(state="void", voided_at=at(11, 12)).where(
        Settlement.id == settlement.id
    ).execute()
    claimed = make_order(State.IN_PROGRESS)
    RepairOrder.update(checked_in_at=at(11, 20)).where(RepairOrder.id == claimed.id).execute()
    seal = make_line(claimed, "Gearbox seal", pay_type="warranty")
    JobLine.update(warranty_claim_state="approved").where(JobLine.id == seal.id).execute()
    case = Complaint.create(
        number="TS900",
        channel="phone",
        customer=paid.customer,
        description="late",
        opened_at=at(11, 1, 9),
        closed_at=at(11, 4, 21),
        state="closed",
    )
    report = reports.monthly_report(2026, 11)
    assert report.calls_answered_in_24h == reports.Rate(2, 4)
    recount = [
        (f.done_at.date() <= f.order.left_at.date() + dt.timedelta(days=3))
        for f in FollowUp.select()
        if f.state == "done" and f.done_at.month == 11 and f.order.left_at is not None
    ]
    assert report.follow_ups_in_window == reports.Rate(sum(recount), len(recount))
    assert len(recount) >= 2 and sum(recount) == len(recount) - 1  # the 6 November call is late
    assert (report.refunds, report.refunds_total, report.settlements_voided) == (1, D("30.00"), 1)
    assert report.warranty_claims_by_state == [("approved", 1)]
    hours = (case.closed_at - case.opened_at).total_seconds() / 3600
    assert report.complaints_closed == 1
    assert report.complaint_days_average == D(str(round(hours / 24, 1)))
    rows = dict(reports.report_rows(report))
    assert rows["Calls answered within 24 hours"] == "50.0% (2 of 4)"
    assert rows["Warranty claims: Approved"] == "1"


# ------------------------------------------------------------------------- parts in and out


def _parts_month(staff) -> None:
    """Parts in and out made with the services around November 2026, with one of each kind
    just outside the month: parts returned to stock on 31 October 23:30, 3 November and 30
    November 23:59; supplier orders sent in October and received in November, sent and
    partly received in November, sent on 30 November and received in December, cancelled;
    supplier claims opened in October and credited in November, opened and refused in
    November, accepted (not yet answered in full), recorded only."""
    from shop_desk.models import Part, Team
    from shop_desk.services import parts, parts_returns, purchasing, supplier_claims, workshop

    clerk, tech = staff["parts"], staff["tech1"]
    at(10, 30, 8)
    order = make_order(State.AWAITING_DISPATCH)
    workshop.dispatch(staff["supervisor"], order, Team.get(Team.name.startswith("机修一组")), tech)
    workshop.accept_car(tech, order)
    pads = Part.get(Part.part_no == "PAD-F")
    line = JobLine.create(
        order=order,
        kind="part",
        part=pads,
        description=pads.name,
        quantity=D("5"),
        unit_price=D("455.55"),
    )
    parts.issue_parts(clerk, order, {line.id: "5"}, tech)
    for when, qty in (((10, 31, 23, 30), "1"), ((11, 3, 10), "1.5"), ((11, 30, 23, 59), "1")):
        at(*when)
        parts_returns.return_parts(clerk, order, {line.id: qty}, tech, "多领 drawn too many")
    bosch = purchasing.save_supplier(clerk, "博世配件 Bosch parts")
    filters = Part.get(Part.part_no == "FLT-OIL")

    def restock(raised, sent=None, received=(), qty="4"):
        at(*raised)
        so = purchasing.order_restock(clerk, bosch, {filters: qty})
        if sent:
            at(*sent)
            purchasing.send_supplier_order(clerk, so)
        for when, got in received:
            at(*when)
            purchasing.receive_supplier_order(clerk, so, {so.lines[0].id: got})
        return so

    restock((10, 30), (10, 31, 22), [((11, 2), "4")])  # received in full in November
    restock((11, 5), (11, 5, 11), [((11, 6), "1")])  # partly received
    restock((11, 10), (11, 30, 23, 59), [((12, 1, 0, 0), "4")])  # received in December
    cancelled = restock((11, 12))
    purchasing.cancel_supplier_order(clerk, cancelled, "重复 ordered twice")

    def claim(opened, sent=None, answer=None, credit=None):
        at(*opened)
        row = supplier_claims.open_supplier_claim(clerk, bosch, "异响 noise", part=pads)
        if sent:
            at(*sent)
            supplier_claims.send_supplier_claim(clerk, row)
        if answer:
            at(*answer[0])
            supplier_claims.answer_supplier_claim(clerk, row, answer[1], "答复 answer", credit)
        return row

    claim((10, 31), (10, 31, 12), ((11, 4), "credit"), "120.50")
    claim((11, 5), (11, 5, 12), ((11, 6), "refuse"))
    claim((11, 20), (11, 20, 12), ((11, 21), "accept"))
    claim((11, 30, 23))
    claim((11, 30, 8), (11, 30, 9), ((12, 1, 9), "credit"), "99.00")  # answered in December


def _parts_recount(start: dt.datetime, end: dt.datetime) -> dict:
    """The parts figures counted row by row in Python, as a clerk would with the lists."""
    from shop_desk.models import PartsReturnSlip, SupplierClaim, SupplierOrder
    from shop_desk.money import line_amount

    def inside(when):
        return when is not None and start <= when < end

    slips = [s for s in PartsReturnSlip.select() if inside(s.returned_at)]
    claims = list(SupplierClaim.select())
    answered = [
        c for c in claims if inside(c.closed_at) and c.state in ("credited", "replaced", "refused")
    ]
    orders = list(SupplierOrder.select())
    return {
        "slips": len(slips),
        "value": sum(
            (line_amount(r.quantity, r.line.unit_price) for s in slips for r in s.lines), D("0")
        ),
        "sent": sum(1 for o in orders if inside(o.sent_at)),
        "received": sum(1 for o in orders if o.state == "received" and inside(o.received_at)),
        "opened": sum(1 for c in claims if inside(c.opened_at)),
        "answered": len(answered),
        "credits": sum((c.credit or D("0") for c in answered), D("0")),
    }


@pytest.mark.parametrize("month", [10, 11, 12])
def test_parts_flow_figures_against_a_plain_recount(db, staff, month):
    _parts_month(staff)
    report = reports.monthly_report(2026, month)
    start = dt.datetime(2026, month, 1)
    end = dt.datetime(2026 + (month == 12), month % 12 + 1, 1)
    expected = _parts_recount(start, end)
    assert (
        report.parts_return_slips,
        report.parts_returned_value,
        report.supplier_orders_sent,
        report.supplier_orders_received,
        report.supplier_claims_opened,
        report.supplier_claims_answered,
        report.supplier_credits,
    ) == (
        expected["slips"],
        expected["value"],
        expected["sent"],
        expected["received"],
        expected["opened"],
        expected["answered"],
        expected["credits"],
    )
    if month == 11:  # and by hand: 1.5 + 1 pads at ¥455.55 (683.33 rounded half up + 455.55)
        assert report.parts_return_slips == 2
        assert report.parts_returned_value == D("1138.88")
        assert (report.supplier_orders_sent, report.supplier_orders_received) == (2, 1)
        assert (report.supplier_claims_opened, report.supplier_claims_answered) == (4, 2)
        assert report.supplier_credits == D("120.50")
        rows = dict(reports.report_rows(report))
        assert rows["Parts returned to stock: value"] == "¥1,138.88"
        assert rows["Supplier orders received in full"] == "1"
        assert rows["Supplier claims: credited"] == "¥120.50"
