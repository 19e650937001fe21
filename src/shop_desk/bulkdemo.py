"""A ten-year shop database for measuring speed: bulk inserts, deterministic, about a minute.

``shop-desk demo --no-gui --db PATH --years 10 --orders-per-day 80`` comes here. History is
written straight into the tables (executemany on the raw connection) in the shape the services
produce: closed orders with inspections, lines, clock events, QC checks, settlements, payments,
gate passes, follow-ups, appointments and some complaints. Today's workshop (about 200 open
orders across the workshop states) makes the board realistic. The sample staff, teams and
catalogues come from :func:`shop_desk.seed.sample_shop`, as in the small demo.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import peewee

from shop_desk import clock
from shop_desk.db import close_database, open_database
from shop_desk.demo import CARS, COLOURS, COMPLAINTS, GIVEN, PROVINCE_PLATES, SURNAMES, make_vin
from shop_desk.models import (
    Appointment,
    ClockEvent,
    Complaint,
    Customer,
    FollowUp,
    GatePass,
    Inspection,
    JobLine,
    LabourOperation,
    OdometerReading,
    Part,
    Payment,
    QcCheck,
    RepairOrder,
    Settlement,
    ShopSettings,
    Team,
    Vehicle,
)
from shop_desk.seed import sample_shop
from shop_desk.states import State

BATCH = 5000
OPEN_MIX = (
    (State.AWAITING_DISPATCH, 30),
    (State.IN_PROGRESS, 80),
    (State.WAITING_PARTS, 20),
    (State.WAITING_AUTHORISATION, 15),
    (State.FINAL_QC, 20),
    (State.REWORK, 5),
    (State.WASHING, 10),
    (State.READY, 20),
)


class Table:
    """Fast row tuples for one model: every column, Python defaults already in DB form."""

    def __init__(self, model: type[peewee.Model]) -> None:
        self.model = model
        fields = [f for f in model._meta.sorted_fields if f.name != "id"]
        self.columns = [f.column_name for f in fields]
        self.index = {f.name: i for i, f in enumerate(fields)}
        self.index.update({f.column_name: i for i, f in enumerate(fields)})
        defaults = []
        for f in fields:
            value = f.default() if callable(f.default) else f.default
            defaults.append(f.db_value(value) if value is not None else None)
        self.defaults = defaults
        cols = ", ".join(f'"{c}"' for c in self.columns)
        marks = ", ".join("?" for _ in self.columns)
        self.sql = f'INSERT INTO "{model._meta.table_name}" ({cols}) VALUES ({marks})'
        self.pending: list[tuple] = []

    def row(self, **values: Any) -> tuple:
        out = list(self.defaults)
        for key, value in values.items():
            out[self.index[key]] = value
        return tuple(out)

    def add(self, **values: Any) -> None:
        self.pending.append(self.row(**values))

    def flush(self, conn: Any) -> None:
        if self.pending:
            conn.executemany(self.sql, self.pending)
            self.pending.clear()


def _ts(value: dt.datetime) -> str:
    # isoformat, not strftime: strftime imports a module on every call, which is slow under
    # PySide6's import hook.
    return value.isoformat(" ")


def _cents(value: Decimal | int | float) -> int:
    return int(round(Decimal(str(value)) * 100))


def _working_days(start: dt.date, end: dt.date) -> Iterator[dt.date]:
    day = start
    while day < end:
        if day.weekday() != 6:
            yield day
        day += dt.timedelta(days=1)


def build_large(
    path: str | Path,
    seed: int = 20261127,
    years: int = 10,
    orders_per_day: int = 80,
    today: dt.date | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, int]:
    """Write a shop with ``years`` of history at ``orders_per_day`` into a new file."""
    rng = random.Random(seed)
    today = today or dt.date.today()
    say = progress or (lambda _msg: None)
    previous = clock._fixed
    db = open_database(path)
    try:
        clock.set_now(
            dt.datetime.combine(today - dt.timedelta(days=365 * years + 30), dt.time(8, 0))
        )
        staff = sample_shop()
        clock.set_now(previous)
        conn = db.connection()
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA journal_mode=MEMORY")
        rate = _cents(ShopSettings.get().labour_rate)
        ops = list(LabourOperation.select())
        parts = {p.part_no: p for p in Part.select()}
        op_by_code = {o.code: o for o in ops}
        teams = list(Team.select())
        team_techs = {t.id: [m.staff_id for m in t.members] for t in teams}
        team_leader = {
            t.id: next((m.staff_id for m in t.members if m.is_leader), staff["leader1"].id)
            for t in teams
        }
        advisors = [staff["advisor"].id, staff["advisor2"].id]
        inspector, cashier, crm = staff["inspector"].id, staff["cashier"].id, staff["crm"].id

        n_customers = max(200, min(60000, orders_per_day * 750))
        say(f"customers and vehicles: {n_customers}")
        t_cust, t_veh = Table(Customer), Table(Vehicle)
        first_customer_id = (Customer.select(peewee.fn.MAX(Customer.id)).scalar() or 0) + 1
        first_vehicle_id = (Vehicle.select(peewee.fn.MAX(Vehicle.id)).scalar() or 0) + 1
        plates: set[str] = set()
        vehicle_sale: list[dt.date] = []
        created = _ts(dt.datetime.combine(today - dt.timedelta(days=365 * years), dt.time(9)))
        for i in range(n_customers):
            name = rng.choice(SURNAMES) + rng.choice(GIVEN)
            t_cust.add(
                name=name,
                phone=f"1{rng.choice('3456789')}{i:09d}",
                kind="person",
                created_at=created,
            )
            make, model, prefix = CARS[i % len(CARS)]
            while True:
                plate = rng.choice(PROVINCE_PLATES) + "".join(
                    rng.choice("ABCDEFGHJKLMNPQRSTUVWXYZ0123456789") for _ in range(5)
                )
                if plate not in plates:
                    plates.add(plate)
                    break
            sale = today - dt.timedelta(days=rng.randint(30, 365 * (years + 3)))
            vehicle_sale.append(sale)
            t_veh.add(
                vin=make_vin(prefix, 100000 + i),
                plate=plate,
                make=make,
                model=model,
                year=sale.year,
                colour=rng.choice(COLOURS),
                sale_date=sale.isoformat(),
                warranty_start=sale.isoformat(),
                household=1,
                owner=first_customer_id + i,
                last_odometer_km=0,
                created_at=created,
            )
        conn.execute("BEGIN")
        t_cust.flush(conn)
        t_veh.flush(conn)
        conn.execute("COMMIT")

        tables = {
            m: Table(m)
            for m in (
                RepairOrder,
                Inspection,
                JobLine,
                ClockEvent,
                QcCheck,
                Settlement,
                Payment,
                GatePass,
                FollowUp,
                Appointment,
                OdometerReading,
                Complaint,
            )
        }
        order_id = RepairOrder.select(peewee.fn.MAX(RepairOrder.id)).scalar() or 0
        line_id = JobLine.select(peewee.fn.MAX(JobLine.id)).scalar() or 0
        odometer = [0] * n_customers
        counts = {"orders": 0, "lines": 0}
        start_day = today - dt.timedelta(days=365 * years)
        say("history")

        def flush_all() -> None:
            conn.execute("BEGIN")
            for table in tables.values():
                table.flush(conn)
            conn.execute("COMMIT")

        def add_order(day: dt.date, seq: int, state: State, when: dt.datetime) -> None:
            nonlocal order_id, line_id
            stem = day.isoformat()[2:].replace("-", "")
            order_id += 1
            idx = rng.randrange(n_customers)
            cust, veh = first_customer_id + idx, first_vehicle_id + idx
            odometer[idx] = max(odometer[idx], (day - vehicle_sale[idx]).days * 40) + rng.randint(
                100, 3000
            )
            km = odometer[idx]
            complaint, op_code, part_nos = COMPLAINTS[rng.randrange(len(COMPLAINTS))]
            op = op_by_code[op_code]
            team = teams[rng.randrange(len(teams))]
            tech = rng.choice(team_techs[team.id]) if team_techs[team.id] else None
            advisor = advisors[rng.randrange(2)]
            hours = float(op.standard_hours)
            promised = when + dt.timedelta(hours=2 + hours)
            done = state in (
                State.CLOSED,
                State.LEFT,
                State.SETTLED,
                State.DELIVERED,
                State.READY,
                State.WASHING,
                State.FINAL_QC,
            )
            ready_at = (
                when + dt.timedelta(hours=1 + hours + rng.random() * 2)
                if state in (State.CLOSED, State.READY)
                else None
            )
            closed = state == State.CLOSED
            delivered_at = (
                ready_at + dt.timedelta(minutes=rng.randint(20, 240))
                if closed and ready_at
                else None
            )
            booked = rng.random() < 0.5
            r = tables[RepairOrder]
            r.add(
                number=f"RO{stem}-{seq:03d}",
                state=state.value,
                customer=cust,
                vehicle=veh,
                advisor=advisor,
                walk_in=0 if booked else 1,
                created_at=_ts(when),
                checked_in_at=_ts(when),
                odometer_km=km,
                complaint_text=complaint,
                promised_at=_ts(promised),
                payment_method="wechat",
                free_wash=1,
                signed_at=_ts(when + dt.timedelta(minutes=20)),
                handed_over_at=_ts(when + dt.timedelta(minutes=25)),
                handover_key=1,
                handover_documents=1,
                team=team.id if state != State.AWAITING_DISPATCH else None,
                technician=tech if state != State.AWAITING_DISPATCH else None,
                dispatched_at=_ts(when + dt.timedelta(minutes=40))
                if state != State.AWAITING_DISPATCH
                else None,
                accepted_at=_ts(when + dt.timedelta(minutes=50))
                if state != State.AWAITING_DISPATCH
                else None,
                customer_waiting=1 if rng.random() < 0.15 else 0,
                priority=rng.choice((1, 2, 2, 2, 3)),
                ready_at=_ts(ready_at) if ready_at else None,
                delivered_at=_ts(delivered_at) if delivered_at else None,
                settled_at=_ts(delivered_at) if delivered_at else None,
                left_at=_ts(delivered_at + dt.timedelta(minutes=10)) if delivered_at else None,
                closed_at=_ts(delivered_at + dt.timedelta(days=3)) if delivered_at else None,
                next_service_km=km + 5000 if closed else None,
                rework_count=1 if state == State.REWORK else 0,
                updated_at=_ts(when),
            )
            tables[Inspection].add(
                order=order_id,
                odometer_km=km,
                fuel_level=rng.choice((25, 50, 75)),
                protective_set=1,
                recorded_by=advisor,
                recorded_at=_ts(when),
            )
            tables[OdometerReading].add(vehicle=veh, km=km, read_at=_ts(when), order_id=order_id)
            if booked:
                tables[Appointment].add(
                    customer=cust,
                    vehicle=veh,
                    advisor=advisor,
                    slot_start=_ts(when),
                    requested_work=complaint,
                    status="arrived",
                    created_at=_ts(when - dt.timedelta(days=1)),
                )
            total = 0
            work_state = "done" if done else "in_progress"
            line_id += 1
            labour_cents = _cents(op.standard_hours) * rate // 100
            total += labour_cents
            tables[JobLine].add(
                order=order_id,
                kind="labour",
                labour_op=op.id,
                description=op.name,
                hours=_cents(op.standard_hours),
                rate=rate,
                category=op.category,
                sort=1,
                work_state=work_state,
                technician=tech,
                created_at=_ts(when),
            )
            if tech and state not in (State.AWAITING_DISPATCH,):
                start = when + dt.timedelta(minutes=55)
                tables[ClockEvent].add(line=line_id, technician=tech, kind="start", at=_ts(start))
                if done:
                    tables[ClockEvent].add(
                        line=line_id,
                        technician=tech,
                        kind="finish",
                        at=_ts(start + dt.timedelta(hours=hours * rng.uniform(0.7, 1.3))),
                    )
            extra = rng.randint(2, 9)  # parts and small jobs: about 6.5 lines per order on average
            for k in range(extra):
                line_id += 1
                if k < len(part_nos) or rng.random() < 0.7:
                    part = (
                        parts[part_nos[k]] if k < len(part_nos) else parts[rng.choice(list(parts))]
                    )
                    price = _cents(part.unit_price)
                    total += price
                    tables[JobLine].add(
                        order=order_id,
                        kind="part",
                        part=part.id,
                        description=part.name,
                        quantity=100,
                        unit_price=price,
                        parts_issued=100 if done else 0,
                        category=part.category,
                        sort=2 + k,
                        work_state=work_state,
                        created_at=_ts(when),
                    )
                else:
                    small = ops[rng.randrange(len(ops))]
                    cents = _cents(small.standard_hours) * rate // 100
                    total += cents
                    tables[JobLine].add(
                        order=order_id,
                        kind="labour",
                        labour_op=small.id,
                        description=small.name,
                        hours=_cents(small.standard_hours),
                        rate=rate,
                        category=small.category,
                        sort=2 + k,
                        work_state=work_state,
                        technician=tech,
                        created_at=_ts(when),
                    )
            counts["lines"] += 1 + extra
            if done or state == State.REWORK:
                t = when + dt.timedelta(hours=1 + hours)
                tables[QcCheck].add(
                    order=order_id, stage="self", passed=1, by=tech or inspector, at=_ts(t)
                )
                tables[QcCheck].add(
                    order=order_id, stage="leader", passed=1, by=team_leader[team.id], at=_ts(t)
                )
                if state != State.FINAL_QC:
                    first_fail = state == State.REWORK or rng.random() < 0.04
                    tables[QcCheck].add(
                        order=order_id,
                        stage="final",
                        passed=0 if first_fail else 1,
                        reason="异响未消除" if first_fail else "",
                        by=inspector,
                        at=_ts(t),
                    )
                    if first_fail and state != State.REWORK:
                        tables[QcCheck].add(
                            order=order_id,
                            stage="final",
                            round=2,
                            passed=1,
                            by=inspector,
                            at=_ts(t),
                        )
            if closed and delivered_at:
                number = f"JS{stem}-{seq:03d}"
                tax = total - int(round(total / 1.13))
                tables[Settlement].add(
                    order=order_id,
                    number=number,
                    settled_at=_ts(delivered_at),
                    settled_by=cashier,
                    customer_total=total,
                    tax_total=tax,
                    paid_total=total,
                    snapshot="{}",
                )
                tables[Payment].add(
                    order=order_id,
                    method=rng.choice(("wechat", "alipay", "card", "cash")),
                    amount=total,
                    receipt_no=f"SK{stem}-{seq:03d}",
                    at=_ts(delivered_at),
                    by=cashier,
                )
                tables[GatePass].add(
                    order=order_id,
                    number=f"MP{stem}-{seq:03d}",
                    code=f"{rng.randrange(10**6):06d}",
                    issued_at=_ts(delivered_at),
                    issued_by=cashier,
                    used_at=_ts(delivered_at + dt.timedelta(minutes=10)),
                )
                reached = rng.random() < 0.85
                tables[FollowUp].add(
                    order=order_id,
                    customer=cust,
                    due_at=_ts(delivered_at + dt.timedelta(days=3)),
                    state="done" if reached else "unreachable",
                    attempts=1 if reached else 3,
                    reached=1 if reached else 0,
                    satisfaction=rng.choice((3, 4, 5, 5, 5)) if reached else None,
                    fault_gone=1 if reached else None,
                    done_at=_ts(delivered_at + dt.timedelta(days=3)),
                    by=crm,
                )
                if rng.random() < 0.01:
                    tables[Complaint].add(
                        number=f"TS{stem}-{seq:03d}",
                        channel="phone",
                        customer=cust,
                        vehicle=veh,
                        order=order_id,
                        cause=rng.choice(("late", "quality", "price", "comeback", "rude")),
                        description="顾客投诉",
                        state="closed",
                        opened_at=_ts(delivered_at + dt.timedelta(days=3)),
                        opened_by=crm,
                        closed_at=_ts(delivered_at + dt.timedelta(days=10)),
                    )
            counts["orders"] += 1

        days = list(_working_days(start_day, today))
        for n, day in enumerate(days):
            per_day = max(1, int(rng.gauss(orders_per_day, orders_per_day * 0.1)))
            for seq in range(1, per_day + 1):
                when = dt.datetime.combine(day, dt.time(8, 30)) + dt.timedelta(
                    minutes=int(540 * seq / per_day)
                )
                add_order(day, seq, State.CLOSED, when)
            if len(tables[JobLine].pending) > BATCH * 10:
                flush_all()
            if n % 250 == 0:
                say(f"{day.isoformat()}: {counts['orders']} orders")
        seq = 0
        now = dt.datetime.combine(today, dt.time(8, 0))
        for state, count in OPEN_MIX:
            for _ in range(count * max(1, orders_per_day) // 80):
                seq += 1
                when = now - dt.timedelta(minutes=rng.randint(0, 60 * 24 * 2))
                add_order(today, seq, state, when)
        flush_all()
        # vehicles' last odometer from their readings (one statement)
        conn.execute(
            "UPDATE vehicle SET last_odometer_km = COALESCE((SELECT MAX(km) FROM odometer_reading r "
            "WHERE r.vehicle_id = vehicle.id), 0)"
        )
        conn.execute("PRAGMA synchronous=NORMAL")
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute("ANALYZE")
        counts["customers"] = n_customers
        return counts
    finally:
        clock.set_now(previous)
        close_database()
