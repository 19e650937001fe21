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
    assert few <= 22  # 20, and two for insurance: the insurers' part billed, receivables open
    assert (small.settled_orders, large.settled_orders) == (2, 27)
    assert large.complaints == 27 and large.follow_ups == 27
    assert large.hours_clocked == D("27.00")  # 60 minutes of work on each order
