"""三包 monitor: days in repair, same-fault counts and serious safety faults, exactly at the
thresholds."""

from __future__ import annotations

import datetime as dt

import pytest

from factories import make_line, make_order, make_vehicle
from shop_desk import clock
from shop_desk.models import LabourOperation, OdometerReading, ShopSettings
from shop_desk.services import sanbao
from shop_desk.states import State
from shop_desk.validation import display_plate

TODAY = dt.date(2026, 11, 2)  # the fixed clock's day
SOLD = dt.date(2026, 1, 5)


def day(month: int, d: int, year: int = 2026) -> dt.date:
    return dt.date(year, month, d)


def repair(
    vehicle,
    first: dt.date,
    days: int | None,
    complaint: str = "左前车窗升不上去",
    op: str | None = "WIN-REG",
    km: int | None = None,
    state: State = State.CLOSED,
    **kw,
):
    """An order checked in on ``first`` at 09:00 and ready ``days`` calendar days later
    (both days counted); ``days=None`` leaves the car in the shop."""
    clock.set_now(dt.datetime.combine(first, dt.time(9, 0)))
    order = make_order(
        state if days else State.IN_PROGRESS,
        vehicle=vehicle,
        lines=False,
        complaint_text=complaint,
        **kw,
    )
    if op:
        labour = LabourOperation.get(LabourOperation.code == op)
        make_line(order, labour.name, labour_op=labour, category=labour.category)
    if days:
        end = dt.datetime.combine(first + dt.timedelta(days=days - 1), dt.time(17, 0))
        order.ready_at = order.delivered_at = end
    if km is not None:
        order.odometer_km = km
    order.save()
    clock.set_now(dt.datetime.combine(TODAY, dt.time(9, 0)))
    return order


def car(**kw):
    kw.setdefault("sale_date", SOLD)
    kw.setdefault("odometer", 20000)
    return make_vehicle(**kw)


def kinds(status: sanbao.SanbaoStatus, kind: str) -> list[sanbao.SanbaoWarning]:
    return [w for w in status.warnings if w.kind == kind]


# ------------------------------------------------------------------- a single long repair


@pytest.mark.parametrize(
    ("days_in", "level"),
    [(4, None), (5, sanbao.APPROACHING), (6, sanbao.REACHED)],
)
def test_car_still_in_the_shop(db, days_in, level):
    v = car()
    order = repair(v, TODAY - dt.timedelta(days=days_in - 1), None)
    status = sanbao.sanbao_status(v)
    assert [r.days for r in status.repairs] == [days_in]
    warnings = kinds(status, "loaner")
    assert [w.level for w in warnings] == ([level] if level else [])
    if level:
        assert warnings[0].evidence[0].order_id == order.id
        assert order.number in warnings[0].message
    if level == sanbao.REACHED:
        assert "loaner car or transport compensation is due" in warnings[0].message


@pytest.mark.parametrize(("days", "warned"), [(4, False), (5, False), (6, True)])
def test_finished_repair_warns_only_beyond_five_days(db, days, warned):
    v = car()
    repair(v, day(3, 2), days)
    status = sanbao.sanbao_status(v)
    assert status.repairs[0].days == days
    assert status.repairs[0].until == day(3, 2) + dt.timedelta(days=days - 1)
    assert [w.level for w in kinds(status, "loaner")] == ([sanbao.REACHED] if warned else [])


def test_same_day_repair_counts_one_day(db):
    v = car()
    repair(v, day(3, 2), 1)
    assert sanbao.sanbao_status(v).cumulative_days == 1


# ------------------------------------------------------------------- cumulative days


@pytest.mark.parametrize(
    ("second", "total", "level"),
    [
        (4, 24, None),
        (5, 25, sanbao.APPROACHING),
        (14, 34, sanbao.APPROACHING),
        (15, 35, sanbao.REACHED),
    ],
)
def test_cumulative_days_thresholds(db, second, total, level):
    v = car()
    repair(v, day(2, 1), 20, "空调不制冷", "AC-REG")
    repair(v, day(6, 1), second, "左前车窗升不上去", "WIN-REG")
    status = sanbao.sanbao_status(v)
    assert status.cumulative_days == total
    warnings = kinds(status, "cumulative_days")
    assert [w.level for w in warnings] == ([level] if level else [])
    if level:
        assert warnings[0].value == total
        assert len(warnings[0].evidence) == 2
        assert "approaching" in warnings[0].message or "is reached" in warnings[0].message


def test_overlapping_repairs_are_not_counted_twice(db):
    v = car()
    repair(v, day(1, 10), 20, "空调不制冷", "AC-REG")  # 10 – 29 Jan
    repair(v, day(1, 25), 16, "左前车窗升不上去", "WIN-REG")  # 25 Jan – 9 Feb
    status = sanbao.sanbao_status(v)
    assert [r.days for r in status.repairs] == [20, 16]
    assert status.cumulative_days == 31  # 10 Jan – 9 Feb, not 36
    assert kinds(status, "cumulative_days")[0].level == sanbao.APPROACHING


# ------------------------------------------------------------------- the same fault


@pytest.mark.parametrize(
    ("repairs", "level"),
    [(2, None), (3, sanbao.APPROACHING), (4, sanbao.APPROACHING), (5, sanbao.REACHED)],
)
def test_repairs_of_the_same_fault(db, repairs, level):
    v = car()
    orders = [repair(v, day(2 + i, 3), 1) for i in range(repairs)]
    repair(v, day(9, 1), 1, "空调不制冷", "AC-REG")  # another fault is not counted with them
    status = sanbao.sanbao_status(v)
    group = max(status.fault_groups, key=lambda g: g.count)
    assert group.count == repairs
    assert [r.order_id for r in group.repairs] == [o.id for o in orders]
    warnings = kinds(status, "same_fault")
    assert [w.level for w in warnings] == ([level] if level else [])
    if level == sanbao.REACHED:
        assert warnings[0].value == 5 and warnings[0].threshold == 5
        assert all(o.number in warnings[0].message for o in orders)


def test_same_fault_found_by_the_complaint_without_a_labour_operation(db):
    v = car()
    texts = ("左前车窗升不上去", "左前车窗又升不上去了", "左前车窗升不上去，有异响")
    for i, text in enumerate(texts):
        repair(v, day(3 + i, 10), 1, text, op="ELE-DIAG" if i == 0 else None)
    status = sanbao.sanbao_status(v)
    assert [w.level for w in kinds(status, "same_fault")] == [sanbao.APPROACHING]
    assert kinds(status, "same_fault")[0].value == 3


def test_routine_services_and_not_covered_work_do_not_count(db):
    v = car()
    for i in range(5):
        repair(v, day(2 + i, 3), 8, "常规保养 routine service", "MNT-5K")
    repair(v, day(8, 3), 9, "右后门被刮花了，需要喷漆", "BODY-PNT", warranty_decision="not_covered")
    repair(v, day(9, 3), 3, "异响", None, state=State.CANCELLED)
    status = sanbao.sanbao_status(v)
    assert status.repairs == [] and status.warnings == []
    assert status.in_period


# ------------------------------------------------------------------- serious safety faults


@pytest.mark.parametrize(
    ("after_sale", "km", "warned"),
    [(59, 2000, True), (60, 2000, False), (30, 3000, True), (30, 3001, False), (10, None, True)],
)
def test_serious_safety_fault_within_the_first_60_days_or_3000_km(db, after_sale, km, warned):
    v = car(odometer=800)  # km=None: the order keeps the car's 800 km
    order = repair(v, SOLD + dt.timedelta(days=after_sale), 1, "刹车失灵，踩不下去", None, km=km)
    warnings = kinds(sanbao.sanbao_status(v), "safety_early")
    if warned:
        assert [w.level for w in warnings] == [sanbao.REACHED]
        assert [r.order_id for r in warnings[0].evidence] == [order.id]
        assert "Brakes" in warnings[0].message and "replacement or a return" in warnings[0].message
    else:
        assert warnings == []


def test_early_rule_only_for_the_faults_it_names(db):
    v = car()
    repair(v, SOLD + dt.timedelta(days=5), 1, "安全气囊灯亮 airbag light", None, km=300)
    status = sanbao.sanbao_status(v)
    assert kinds(status, "safety_early") == []  # airbags are not in the 60-day rule
    assert status.repairs[0].safety == frozenset({"airbag"})
    leak = car()
    repair(leak, SOLD + dt.timedelta(days=5), 1, "车底燃油泄漏 fuel leak", None, km=300)
    assert [w.kind for w in sanbao.sanbao_status(leak).warnings] == ["safety_early"]


def test_serious_safety_faults_repaired_twice_then_coming_back(db):
    v = car()
    first = repair(v, day(4, 1), 1, "刹车异响，制动距离变长", None, km=12000)
    assert kinds(sanbao.sanbao_status(v), "safety_repeat") == []
    second = repair(v, day(6, 1), 1, "方向机漏油，转向沉重", None, km=15000)
    [warning] = kinds(sanbao.sanbao_status(v), "safety_repeat")
    assert (warning.level, warning.value, warning.threshold) == (sanbao.APPROACHING, 2, 3)
    assert "Brakes, Steering" in warning.message
    third = repair(v, day(9, 1), 1, "刹车又失灵", None, km=19000)
    [warning] = kinds(sanbao.sanbao_status(v), "safety_repeat")
    assert (warning.level, warning.value) == (sanbao.REACHED, 3)
    assert [r.order_id for r in warning.evidence] == [first.id, second.id, third.id]
    assert kinds(sanbao.sanbao_status(v), "safety_early") == []  # all after the first 60 days


def test_safety_system_found_by_labour_operation_code(db):
    v = car()
    repair(v, day(4, 1), 1, "异响", "BRK-F", km=12000)
    repair(v, day(4, 20), 1, "还是异响", "BRK-F", km=12500)
    status = sanbao.sanbao_status(v)
    assert [w.value for w in kinds(status, "safety_repeat")] == [2]
    assert status.repairs[0].safety == frozenset({"brake"})


# ------------------------------------------------------------------- the period and the list


def test_period_household_and_kilometres(db):
    business = car(household=False)
    repair(business, day(3, 1), 10)
    st = sanbao.sanbao_status(business)
    assert not st.applies and st.warnings == [] and "household" in st.note

    old = car(sale_date=TODAY - dt.timedelta(days=731))
    repair(old, TODAY - dt.timedelta(days=40), 10)
    st = sanbao.sanbao_status(old)
    assert not st.in_period and "ended" in st.note
    assert sanbao.sanbao_status(old, TODAY - dt.timedelta(days=2)).in_period  # day 729

    far = car(odometer=50001)
    repair(far, day(3, 1), 10, km=49000)
    st = sanbao.sanbao_status(far)
    assert not st.in_period and "50,000 km" in st.note
    assert st.repairs[0].days == 10  # the evidence from within the period is still shown

    near = car(odometer=50000)
    repair(near, day(3, 1), 10, km=49000)
    assert sanbao.sanbao_status(near).in_period


def test_settings_change_the_period(db):
    ShopSettings.update(sanbao_days=100).execute()
    v = car(sale_date=TODAY - dt.timedelta(days=101))
    repair(v, TODAY - dt.timedelta(days=20), 7)
    assert not sanbao.sanbao_status(v).in_period
    assert sanbao.sanbao_watchlist() == []


def test_repairs_after_the_day_looked_at_are_ignored(db):
    v = car()
    repair(v, day(3, 1), 10)
    st = sanbao.sanbao_status(v, day(3, 4))
    assert [(r.days, r.in_shop) for r in st.repairs] == [(4, True)]
    assert sanbao.sanbao_status(v, day(2, 28)).repairs == []


def test_odometer_reading_decides_the_kilometres(db):
    v = car(odometer=1000)
    OdometerReading.create(vehicle=v, km=60000, read_at=dt.datetime(2026, 10, 1))
    repair(v, day(3, 1), 10)
    assert not sanbao.sanbao_status(v).in_period


def test_watchlist_only_cars_with_warnings_reached_first(db):
    quiet = car()
    repair(quiet, day(3, 1), 2)
    approaching = car()
    repair(approaching, TODAY - dt.timedelta(days=4), None)  # day 5 in the shop
    reached = car()
    repair(reached, day(5, 1), 7)
    outside = car(sale_date=TODAY - dt.timedelta(days=800))
    repair(outside, TODAY - dt.timedelta(days=30), 20)
    not_household = car(household=False)
    repair(not_household, day(5, 1), 9)
    listed = sanbao.sanbao_watchlist()
    assert [s.vehicle.id for s in listed] == [reached.id, approaching.id]
    assert listed[0].threshold_reached and not listed[1].threshold_reached
    rows = sanbao.watchlist_rows(listed)
    assert rows[0][0] == "Plate"
    assert rows[1][0] == display_plate(reached.plate) and rows[1][5] == "Threshold reached"
    assert rows[2][5] == "Approaching the threshold"


def test_watchlist_query_count_is_flat(db, monkeypatch):
    def counted() -> int:
        seen = []
        original = db.execute_sql

        def counting(sql, params=None, *a, **kw):
            seen.append(sql)
            return original(sql, params, *a, **kw)

        monkeypatch.setattr(db, "execute_sql", counting)
        try:
            sanbao.sanbao_watchlist()
        finally:
            monkeypatch.undo()
        return len(seen)

    repair(car(), day(5, 1), 7)
    few = counted()
    for i in range(8):
        v = car()
        repair(v, day(4, 1 + i), 7)
        repair(v, day(6, 1 + i), 3, "空调不制冷", "AC-REG")
    assert counted() == few
    assert len(sanbao.sanbao_watchlist()) == 9


def test_evidence_and_status_rows(db):
    v = car()
    done = repair(v, day(5, 1), 7)
    open_order = repair(v, TODAY - dt.timedelta(days=1), None, "空调不制冷", "AC-REG")
    st = sanbao.sanbao_status(v)
    rows = sanbao.evidence_rows(st.repairs)
    assert rows[0][:4] == ("Order", "Check-in time", "Ready or delivered at", "Days in repair")
    assert rows[1][:4] == (done.number, dt.datetime(2026, 5, 1, 9), dt.datetime(2026, 5, 7, 17), 7)
    assert rows[2][0] == open_order.number and rows[2][2] == "still in the shop" and rows[2][3] == 2
    summary = dict(sanbao.status_rows(st))
    assert summary["Cumulative days in repair"] == "9"
    assert summary["Within the period"] == "Yes"
    assert "not by this list" in sanbao.disclaimer()
