"""A ten-year shop database for measuring speed: bulk inserts, deterministic, about a minute.

``shop-desk demo --no-gui --db PATH --years 10 --orders-per-day 80`` comes here. History is
written straight into the tables in the shape the services produce: closed orders with
appointments, walk-around inspections, lines, clock events, QC checks, settlements, payments,
gate passes, follow-ups, declined recommendations and some complaints; the last days' orders
wait for their follow-up call, and today's workshop (about 200 open orders across the workshop
states at 80 orders a day) makes the board realistic. Staff, teams and catalogues come from
:func:`shop_desk.seed.sample_shop`, as in the small demo.

Why it is fast: every row is a plain tuple of only the values that vary (the constant columns
are literals in the INSERT), times are minute counters turned into text through a lookup table,
random numbers come from one bound ``random()``; the secondary indexes, the search-index
triggers and foreign-key checks are off while the fresh file is filled (no journal, no fsync)
and are rebuilt once at the end, which is much cheaper than maintaining them row by row. Most
of the time goes to sqlite3's binding, so rows go in a hundred to a statement and bind no
``None`` (see :class:`Table`), and the search index's text is made in Python (see
:func:`_fill_search_index`). The same seed and the same ``today`` give the same shop.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import peewee

from shop_desk import clock, search_index
from shop_desk.db import SQLITE_SYNCHRONOUS, close_database, open_database
from shop_desk.demo_data import (
    CARS,
    COLOURS,
    COMPLAINTS,
    GIVEN,
    PROVINCE_PLATES,
    SURNAMES,
    make_vin,
)
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
    Recommendation,
    RepairOrder,
    Settlement,
    ShopSettings,
    Team,
    Vehicle,
)
from shop_desk.seed import sample_shop
from shop_desk.states import State

#: Orders kept in memory before their rows are written.
FLUSH_ORDERS = 20000
#: Rows bound to one INSERT statement at most ...
ROWS_PER_INSERT = 100
#: ... and parameters: 999 is the smallest limit any SQLite has had.
MAX_PARAMS = 999
#: The value a ``nullable`` column of a :class:`Table` row takes for NULL (no id, price,
#: quantity or hours is negative).
NIL = -1
#: Today's workshop at 80 orders a day (scaled with the orders per day).
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
#: Days the shop is shut besides Sundays (month, day).
HOLIDAYS = {(1, 1), (5, 1), (5, 2), (5, 3), *((10, d) for d in range(1, 8))}
RECOMMENDATIONS = (
    "雨刮片老化，建议更换",
    "前刹车片剩余 3 毫米，建议下次更换",
    "轮胎胎纹较浅，建议更换",
    "空调滤芯较脏，建议更换",
    "蓄电池电量偏低，建议检测",
)
COMPLAINT_CAUSES = ("late", "quality", "price", "comeback", "rude")
PAYMENT_METHODS = ("wechat", "wechat", "alipay", "card", "cash")
_MIN_DAY = 1440


def _literal(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, bytes):
        return "X'" + value.hex() + "'"
    return "'" + str(value).replace("'", "''") + "'"


class Table:
    """Rows of one model, written many rows to an INSERT.

    Only ``columns`` are bound; every other column is a literal in the statement (``fixed``
    values, else the model's default). A bound column named in ``nullable`` takes :data:`NIL`
    for NULL (``NULLIF(?, -1)`` in the statement): sqlite3 binds a Python ``None`` through
    its adapter lookup, about ten times slower than a number, and the job lines alone would
    bind millions of them. ``add`` takes a row as a tuple (or a piece of one) and keeps it
    flat, value after value, and :meth:`flush` binds up to :data:`ROWS_PER_INSERT` rows to one
    multi-row INSERT: sqlite3's cost per statement run is a third of a narrow row's."""

    def __init__(
        self,
        model: type[peewee.Model],
        columns: Sequence[str],
        nullable: Sequence[str] = (),
        **fixed: Any,
    ) -> None:
        self.model = model
        fields = {f.column_name: f for f in model._meta.sorted_fields}
        fields.update({f.name: f for f in model._meta.sorted_fields})
        names = [fields[c].column_name for c in columns]
        null_names = {fields[c].column_name for c in nullable}
        rest = []
        for f in model._meta.sorted_fields:
            if f.column_name in names or (f.name == "id" and "id" not in names):
                continue
            if f.name in fixed or f.column_name in fixed:
                value = fixed.get(f.name, fixed.get(f.column_name))
            else:
                value = f.default() if callable(f.default) else f.default
            value = f.db_value(value) if value is not None else None
            if value is None and not f.null:
                raise ValueError(f"{model.__name__}.{f.name} needs a value")
            rest.append((f.column_name, _literal(value)))
        cols = ", ".join(f'"{c}"' for c in [*names, *(c for c, _ in rest)])
        params = [f"NULLIF(?, {NIL})" if n in null_names else "?" for n in names]
        self.row_sql = "(" + ", ".join(params + [v for _, v in rest]) + ")"
        self.head = f'INSERT INTO "{model._meta.table_name}" ({cols}) VALUES '
        self.width = len(names)
        self.per_insert = max(1, min(ROWS_PER_INSERT, MAX_PARAMS // self.width))
        self.values: list = []
        self.add: Callable[[tuple], None] = self.values.extend

    def __len__(self) -> int:
        return len(self.values) // self.width

    def _sql(self, rows: int) -> str:
        return self.head + ", ".join([self.row_sql] * rows)

    def flush(self, conn: sqlite3.Connection) -> None:
        """Write the rows kept (in the order added) and forget them."""
        values, width = self.values, self.width
        rows = len(values) // width
        whole = rows - rows % self.per_insert
        step = self.per_insert * width
        if whole:
            conn.executemany(
                self._sql(self.per_insert),
                (values[i : i + step] for i in range(0, whole * width, step)),
            )
        if rows > whole:
            conn.execute(self._sql(rows - whole), values[whole * width :])
        values.clear()


def _open_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Working days in [start, end): not Sundays, not the public holidays the shop closes."""
    out, day = [], start
    while day < end:
        if day.weekday() != 6 and (day.month, day.day) not in HOLIDAYS:
            out.append(day)
        day += dt.timedelta(days=1)
    return out


def _bulk_off(conn: sqlite3.Connection) -> tuple[list[str], list[str]]:
    """Drop the secondary indexes and the search triggers; returns their SQL to restore."""
    indexes = [
        sql
        for (sql,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL"
        )
    ]
    triggers = [
        sql
        for (sql,) in conn.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name LIKE 'search_%'"
        )
    ]
    for kind, pattern in (("INDEX", "index"), ("TRIGGER", "trigger")):
        names = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = ? AND sql IS NOT NULL", (pattern,)
            )
            if kind == "INDEX" or name.startswith("search_")
        ]
        for name in names:
            conn.execute(f'DROP {kind} "{name}"')
    return indexes, triggers


def _fill_search_index(conn: sqlite3.Connection) -> None:
    """What :func:`search_index.rebuild` writes, with the vehicles' and customers' text made
    in Python: SQLite evaluates the index's SQL (some eighty string functions a vehicle) at
    several seconds for 60,000 vehicles, Python in a fraction of one. The text waits in a
    temporary table so that each kind goes in by one statement in rebuild's order, as FTS5
    cuts its segments per statement: the index comes out the same (the tests compare the two)."""
    table, shift = search_index.TABLE, search_index.KIND_SHIFT
    codes = search_index.KIND_CODES
    vehicle, customer, order = codes["vehicle"], codes["customer"], codes["order"]
    rows = []
    for id_, plate, vin in conn.execute('SELECT id, plate, vin FROM "vehicle" ORDER BY id'):
        rows.append(((vehicle << shift) + id_, search_index.vehicle_text(plate, vin)))
    for id_, name, company, phone, phone2 in conn.execute(
        'SELECT id, name, company, phone, phone2 FROM "customer" ORDER BY id'
    ):
        text = search_index.customer_text(name, company, phone, phone2)
        rows.append(((customer << shift) + id_, text))
    conn.execute("CREATE TEMP TABLE search_body (id INTEGER PRIMARY KEY, body TEXT)")
    conn.executemany("INSERT INTO temp.search_body VALUES (?, ?)", rows)
    conn.execute(f"DELETE FROM {table}")
    for code in (vehicle, customer):
        conn.execute(
            f"INSERT INTO {table} (rowid, body) SELECT id, body FROM temp.search_body"
            f" WHERE id BETWEEN {code << shift} AND {((code + 1) << shift) - 1} ORDER BY id"
        )
    conn.execute(
        f"INSERT INTO {table} (rowid, body) SELECT ({order} << {shift}) + id,"
        " COALESCE(number, '') || ' ' FROM repair_order"
    )
    conn.execute(f"INSERT INTO {table} ({table}) VALUES ('optimize')")
    conn.execute("DROP TABLE temp.search_body")


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
    rand = rng.random
    today = today or dt.date.today()
    say = progress or (lambda _msg: None)
    previous = clock._fixed
    start_day = today - dt.timedelta(days=365 * years)
    db = open_database(path)
    try:
        clock.set_now(dt.datetime.combine(start_day - dt.timedelta(days=30), dt.time(8, 0)))
        staff = sample_shop()
        clock.set_now(dt.datetime.combine(today, dt.time(8, 0)))
        rate = ShopSettings.get().labour_rate
        rate_cents = int(rate * 100)
        ops = list(LabourOperation.select().order_by(LabourOperation.id))
        parts = list(Part.select().order_by(Part.id))
        part_by_no = {p.part_no: p for p in parts}
        op_by_code = {o.code: o for o in ops}
        teams = list(Team.select().order_by(Team.id))
        team_techs = [[m.staff_id for m in t.members if not m.is_leader] for t in teams]
        team_leader = [
            next((m.staff_id for m in t.members if m.is_leader), staff["leader1"].id) for t in teams
        ]
        advisors = (staff["advisor"].id, staff["advisor2"].id)
        inspector, cashier, crm = staff["inspector"].id, staff["cashier"].id, staff["crm"].id

        conn: sqlite3.Connection = db.connection()
        conn.execute("PRAGMA foreign_keys=OFF")
        conn.execute("PRAGMA synchronous=OFF")
        conn.execute("PRAGMA journal_mode=OFF")
        conn.execute("PRAGMA cache_size=-1000000")
        conn.execute("PRAGMA temp_store=MEMORY")
        indexes, triggers = _bulk_off(conn)

        # --- time as minutes since ``origin``; text through lookup tables ------------------
        origin = start_day - dt.timedelta(days=60)
        n_days = (today - origin).days + 60
        day_text = [(origin + dt.timedelta(days=d)).isoformat() + " " for d in range(n_days)]
        hm_text = [f"{m // 60:02d}:{m % 60:02d}:00" for m in range(_MIN_DAY)]

        def ts(minute: int, day: list[str] = day_text, hm: list[str] = hm_text) -> str:
            # some twenty calls an order: the lists as defaults are local lookups
            return day[minute // _MIN_DAY] + hm[minute % _MIN_DAY]

        # the dates in the documents' numbers (RO261102-001): yymmdd of each day
        day_stem = [text[2:10].replace("-", "") for text in day_text]

        now_min = (today - origin).days * _MIN_DAY + 8 * 60

        # --- per-line templates --------------------------------------------------------------
        # A job line is added in three pieces, the last two made once: (id, order, sort), the
        # catalogue item's columns (kind .. category) and the order's (work_state ..).
        t_line = Table(
            JobLine,
            (
                "id",
                "order",
                "sort",
                "kind",
                "labour_op",
                "part",
                "description",
                "hours",
                "rate",
                "quantity",
                "unit_price",
                "pay_type",
                "category",
                "work_state",
                "technician",
                "parts_issued",
                "created_at",
            ),
            nullable=("labour_op", "part", "hours", "rate", "quantity", "unit_price", "technician"),
        )
        op_rows = [
            (o.id, o.name, int(o.standard_hours * 100), o.category, o.code.startswith("MNT"))
            for o in ops
        ]
        # labour_item[op][pay]: kind .. category of a labour line, by pay type
        labour_item = [
            {
                pay: ("labour", o_id, NIL, name, hours, rate_cents, NIL, NIL, pay, category)
                for pay in ("customer", "warranty")
            }
            for o_id, name, hours, category, _maintenance in op_rows
        ]
        op_index = {o.code: i for i, o in enumerate(ops)}
        part_rows = [(p.id, p.name, int(p.unit_price * 100), p.category) for p in parts]
        part_item = [
            {
                pay: ("part", NIL, p_id, name, NIL, NIL, 100, price, pay, category)
                for pay in ("customer", "warranty")
            }
            for p_id, name, price, category in part_rows
        ]
        part_index = {p.part_no: i for i, p in enumerate(parts)}
        complaints = [
            (text, op_index[code], [part_index[n] for n in nos if n in part_by_no])
            for text, code, nos in COMPLAINTS
            if code in op_by_code
        ]

        t_order = Table(
            RepairOrder,
            (
                "id",
                "number",
                "state",
                "customer",
                "vehicle",
                "advisor",
                "appointment",
                "walk_in",
                "created_at",
                "checked_in_at",
                "odometer_km",
                "complaint_text",
                "promised_at",
                "payment_method",
                "signed_at",
                "handed_over_at",
                "team",
                "technician",
                "dispatched_at",
                "accepted_at",
                "accepted_by",
                "customer_waiting",
                "priority",
                "ready_at",
                "delivered_at",
                "settled_at",
                "left_at",
                "closed_at",
                "next_service_km",
                "rework_count",
                "updated_at",
                "cancelled_reason",
            ),
            nullable=("appointment",),  # walk-ins: half the orders
            free_wash=True,
            handover_key=True,
            handover_documents=True,
        )
        t_insp = Table(
            Inspection,
            ("order", "odometer_km", "fuel_level", "recorded_by", "recorded_at"),
            protective_set=True,
        )
        t_odo = Table(OdometerReading, ("vehicle", "km", "read_at", "order_id"))
        t_appt = Table(
            Appointment,
            (
                "id",
                "customer",
                "vehicle",
                "advisor",
                "slot_start",
                "requested_work",
                "status",
                "created_at",
            ),
        )
        t_clock = Table(ClockEvent, ("line", "technician", "kind", "at"))
        t_qc = Table(QcCheck, ("order", "stage", "round", "passed", "reason", "by", "at"))
        t_settle = Table(
            Settlement,
            (
                "order",
                "number",
                "settled_at",
                "settled_by",
                "customer_total",
                "tax_total",
                "warranty_total",
                "paid_total",
            ),
        )
        t_pay = Table(Payment, ("order", "method", "amount", "receipt_no", "at", "by"))
        t_gate = Table(
            GatePass, ("order", "number", "code", "issued_at", "issued_by", "used_at", "used_by")
        )
        t_follow = Table(
            FollowUp,
            (
                "order",
                "customer",
                "due_at",
                "state",
                "attempts",
                "reached",
                "satisfaction",
                "fault_gone",
                "done_at",
                "by",
            ),
        )
        t_complaint = Table(
            Complaint,
            (
                "number",
                "channel",
                "customer",
                "vehicle",
                "order",
                "cause",
                "description",
                "state",
                "opened_at",
                "opened_by",
                "closed_at",
            ),
        )
        t_rec = Table(
            Recommendation,
            ("vehicle", "order", "description", "state", "declined_at", "created_at"),
        )
        tables = (
            t_order,
            t_insp,
            t_odo,
            t_appt,
            t_line,
            t_clock,
            t_qc,
            t_settle,
            t_pay,
            t_gate,
            t_follow,
            t_complaint,
            t_rec,
        )

        def flush_all() -> None:
            conn.execute("BEGIN")
            for table in tables:
                table.flush(conn)
            conn.execute("COMMIT")

        # --- customers and vehicles (written at the end, with their last odometer) ----------
        n_customers = max(200, min(60000, orders_per_day * 750))
        first_customer = (Customer.select(peewee.fn.MAX(Customer.id)).scalar() or 0) + 1
        first_vehicle = (Vehicle.select(peewee.fn.MAX(Vehicle.id)).scalar() or 0) + 1
        sale_back = [rng.randint(30, 365 * (years + 3)) for _ in range(n_customers)]
        # a vehicle's km at its first visit: about 40 km a day since the sale
        sale_min = [(today - origin).days - back for back in sale_back]
        odometer = [0] * n_customers

        order_id = first_order = RepairOrder.select(peewee.fn.MAX(RepairOrder.id)).scalar() or 0
        line_id = first_line = JobLine.select(peewee.fn.MAX(JobLine.id)).scalar() or 0
        appt_id = Appointment.select(peewee.fn.MAX(Appointment.id)).scalar() or 0
        add_line = t_line.add
        # the manufacturer has answered the claims of orders settled over a month ago: their
        # warranty lines, approved or written off at the end
        answered_before = (today - dt.timedelta(days=30)).isoformat()
        answered: list[int] = []
        n_teams, n_ops, n_parts, n_compl = len(teams), len(op_rows), len(part_rows), len(complaints)
        left_v = State.LEFT.value
        state_value = {s: s.value for s in State}
        team_ids = [t.id for t in teams]
        washer = staff["washer"].id
        done_states = {
            State.CLOSED,
            State.LEFT,
            State.READY,
            State.WASHING,
            State.FINAL_QC,
        }

        def add_order(day_index: int, seq: int, state: State, when: int) -> None:
            nonlocal order_id, line_id, appt_id
            order_id = oid = order_id + 1
            no = f"{day_stem[day_index]}-{seq:03d}"
            idx = int(rand() * n_customers)
            cust, veh = first_customer + idx, first_vehicle + idx
            km = max(odometer[idx], (day_index - sale_min[idx]) * 40) + 100 + int(rand() * 2900)
            odometer[idx] = km
            complaint, op_i, part_is = complaints[int(rand() * n_compl)]
            _, _, op_hours, _, maintenance = op_rows[op_i]
            team_i = int(rand() * n_teams)
            techs = team_techs[team_i]
            tech = techs[int(rand() * len(techs))] if techs else team_leader[team_i]
            advisor = advisors[int(rand() * 2)]
            minutes = op_hours * 60 // 100
            cancelled = state == State.CANCELLED
            dispatched = state != State.AWAITING_DISPATCH and not cancelled
            done = state in done_states
            created = ts(when)
            booked = rand() < 0.5
            appointment = NIL
            if booked:
                appt_id += 1
                appointment = appt_id
                t_appt.add(
                    (
                        appt_id,
                        cust,
                        veh,
                        advisor,
                        ts(when - when % 30),
                        complaint,
                        "arrived",
                        ts(when - _MIN_DAY - 300),
                    )
                )
            t_insp.add((oid, km, (25, 50, 75, 100)[int(rand() * 4)], advisor, created))
            t_odo.add((veh, km, created, oid))

            # lines: the main job, then parts and small jobs (about 6.5 lines an order)
            work_state = "done" if done else ("pending" if not dispatched else "in_progress")
            line_tech = tech if dispatched else NIL
            issued = 100 if done else 0
            warranty = not maintenance and rand() < 0.06 and (day_index - sale_min[idx]) < 365 * 3
            pay = "warranty" if warranty else "customer"
            main_line = lid = line_id + 1
            labour = op_hours * rate_cents // 100
            total = 0 if warranty else labour
            warranty_total = labour if warranty else 0
            labour_tail = (work_state, line_tech, 0, created)
            part_tail = (work_state, NIL, issued, created)
            add_line((lid, oid, 1))
            add_line(labour_item[op_i][pay])
            add_line(labour_tail)
            extra = 2 + int(rand() * 8)
            n_own = len(part_is)  # the parts the job needs, then random extras
            warranty_lines = [main_line] if warranty else []
            for k in range(extra):
                lid += 1
                add_line((lid, oid, 2 + k))
                if k < n_own or rand() < 0.7:
                    p_i = part_is[k] if k < n_own else int(rand() * n_parts)
                    price = part_rows[p_i][2]
                    if warranty and k < n_own:
                        warranty_total += price
                        add_line(part_item[p_i]["warranty"])
                        warranty_lines.append(lid)
                    else:
                        total += price
                        add_line(part_item[p_i]["customer"])
                    add_line(part_tail)
                else:
                    s_i = int(rand() * n_ops)
                    total += op_rows[s_i][2] * rate_cents // 100
                    add_line(labour_item[s_i]["customer"])
                    add_line(labour_tail)
            line_id = lid

            start = when + 55
            finish = start + int(minutes * (0.7 + 0.6 * rand())) + 10
            if dispatched:
                t_clock.add((main_line, tech, "start", ts(start)))
                if done:
                    t_clock.add((main_line, tech, "finish", ts(finish)))
            if done or state == State.REWORK:
                t_qc.add((oid, "self", 1, 1, "", tech, ts(finish + 5)))
                t_qc.add((oid, "leader", 1, 1, "", team_leader[team_i], ts(finish + 15)))
                if state != State.FINAL_QC:
                    first_fail = state == State.REWORK or rand() < 0.04
                    t_qc.add(
                        (
                            oid,
                            "final",
                            1,
                            0 if first_fail else 1,
                            "异响未消除" if first_fail else "",
                            inspector,
                            ts(finish + 40),
                        )
                    )
                    if first_fail and state != State.REWORK:
                        finish += 90
                        t_qc.add((oid, "final", 2, 1, "", inspector, ts(finish + 40)))

            ready = (
                finish + 60 + int(rand() * 120) if state in (State.CLOSED, State.READY) else None
            )
            delivered = ready + 20 + int(rand() * 220) if state == State.CLOSED and ready else None
            final_state = state_value[state]
            closed_at = at = left_ts = closed_ts = None
            if delivered is not None:
                at, left_ts = ts(delivered), ts(delivered + 10)
                closed_at = delivered + 3 * _MIN_DAY
                if closed_at > now_min:  # the follow-up call is still to come
                    final_state, closed_at = left_v, None
                else:
                    closed_ts = ts(closed_at)
                if warranty_lines and at < answered_before:
                    answered.extend(warranty_lines)
            t_order.add(
                (
                    oid,
                    "RO" + no,
                    final_state,
                    cust,
                    veh,
                    advisor,
                    appointment,
                    0 if booked else 1,
                    created,
                    created,
                    km,
                    complaint,
                    ts(when + 120 + minutes),
                    PAYMENT_METHODS[int(rand() * 5)],
                    ts(when + 20),
                    ts(when + 25),
                    team_ids[team_i] if dispatched else None,
                    tech if dispatched else None,
                    ts(when + 40) if dispatched else None,
                    ts(when + 50) if dispatched else None,
                    tech if dispatched else None,
                    1 if rand() < 0.15 else 0,
                    (1, 2, 2, 2, 3)[int(rand() * 5)],
                    ts(ready) if ready else None,
                    at,
                    at,
                    left_ts,
                    closed_ts,
                    km + 5000 if delivered else None,
                    1 if state == State.REWORK else 0,
                    closed_ts or left_ts or ts(when + 50),
                    "顾客取消维修" if cancelled else "",
                )
            )
            if delivered is not None:
                net = (total * 200 + 113) // 226  # round half up of total / 1.13
                t_settle.add(
                    (
                        oid,
                        "JS" + no,
                        at,
                        cashier,
                        total,
                        total - net,
                        warranty_total,
                        total,
                    )
                )
                t_pay.add(
                    (
                        oid,
                        PAYMENT_METHODS[int(rand() * 5)],
                        total,
                        "SK" + no,
                        at,
                        cashier,
                    )
                )
                t_gate.add(
                    (
                        oid,
                        "MP" + no,
                        f"{int(rand() * 1000000):06d}",
                        at,
                        cashier,
                        left_ts,
                        washer,
                    )
                )
                due = delivered + 3 * _MIN_DAY
                due_ts = ts(due)
                if closed_at is None:
                    t_follow.add((oid, cust, due_ts, "open", 0, None, None, None, None, None))
                else:
                    reached = rand() < 0.85
                    t_follow.add(
                        (
                            oid,
                            cust,
                            due_ts,
                            "done" if reached else "unreachable",
                            1 if reached else 3,
                            1 if reached else 0,
                            (3, 4, 5, 5, 5)[int(rand() * 5)] if reached else None,
                            1 if reached else None,
                            ts(due + 30),
                            crm,
                        )
                    )
                    if rand() < 0.01:
                        recent = due > now_min - 30 * _MIN_DAY
                        t_complaint.add(
                            (
                                "TS" + no,
                                ("phone", "phone", "visit", "letter")[int(rand() * 4)],
                                cust,
                                veh,
                                oid,
                                COMPLAINT_CAUSES[int(rand() * 5)],
                                "顾客投诉",
                                "investigating" if recent else "closed",
                                due_ts,
                                crm,
                                None if recent else ts(due + 7 * _MIN_DAY),
                            )
                        )
                if rand() < 0.1:
                    t_rec.add(
                        (
                            veh,
                            oid,
                            RECOMMENDATIONS[int(rand() * len(RECOMMENDATIONS))],
                            "declined",
                            at,
                            at,
                        )
                    )

        say("history")
        days = _open_days(start_day, today)
        for n, day in enumerate(days):
            day_index = (day - origin).days
            per_day = max(1, int(rng.gauss(orders_per_day, orders_per_day * 0.1)))
            base = day_index * _MIN_DAY + 8 * 60 + 30
            for seq in range(1, per_day + 1):
                state = State.CANCELLED if rand() < 0.005 else State.CLOSED
                add_order(day_index, seq, state, base + 540 * seq // per_day)
            if len(t_line) > FLUSH_ORDERS * 7:
                flush_all()
            if n % 250 == 0:
                say(f"{day.isoformat()}: {order_id - first_order} orders")
        seq = 0
        today_index = (today - origin).days
        for state, count in OPEN_MIX:
            for _ in range(max(1, count * orders_per_day // 80)):
                seq += 1
                add_order(today_index, seq, state, now_min - int(rand() * 2 * _MIN_DAY))
        # appointments booked for the coming working days
        upcoming = [d for d in _open_days(today + dt.timedelta(days=1), today + dt.timedelta(8))]
        for day in upcoming[:5]:
            day_index = (day - origin).days
            for k in range(max(1, orders_per_day * 2 // 5)):
                appt_id += 1
                idx = int(rand() * n_customers)
                t_appt.add(
                    (
                        appt_id,
                        first_customer + idx,
                        first_vehicle + idx,
                        advisors[k % 2],
                        ts(day_index * _MIN_DAY + 8 * 60 + 30 + 30 * (k % 18)),
                        complaints[int(rand() * n_compl)][0],
                        "booked",
                        ts(now_min - int(rand() * 5 * _MIN_DAY)),
                    )
                )
        flush_all()

        say(f"customers and vehicles: {n_customers}")
        t_cust = Table(Customer, ("id", "name", "phone", "created_at"), kind="person")
        t_veh = Table(
            Vehicle,
            (
                "id",
                "vin",
                "plate",
                "make",
                "model",
                "year",
                "colour",
                "sale_date",
                "warranty_start",
                "owner",
                "last_odometer_km",
                "created_at",
            ),
            household=True,
        )
        plates: set[str] = set()
        plate_chars = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
        n_plate_chars = len(plate_chars)
        n_surnames, n_given, n_prov = len(SURNAMES), len(GIVEN), len(PROVINCE_PLATES)
        for i in range(n_customers):
            created = ts(max(0, sale_min[i]) * _MIN_DAY + 600)
            name = SURNAMES[int(rand() * n_surnames)] + GIVEN[int(rand() * n_given)]
            phone = f"1{'3456789'[int(rand() * 7)]}{(i * 7919 + 12345) % 10**9:09d}"
            t_cust.add((first_customer + i, name, phone, created))
            make, model, prefix = CARS[i % len(CARS)]
            while True:
                plate = PROVINCE_PLATES[int(rand() * n_prov)] + "".join(
                    plate_chars[int(rand() * n_plate_chars)] for _ in range(5)
                )
                if plate not in plates:
                    plates.add(plate)
                    break
            sale = (today - dt.timedelta(days=sale_back[i])).isoformat()
            t_veh.add(
                (
                    first_vehicle + i,
                    make_vin(prefix, 100000 + i),
                    plate,
                    make,
                    model,
                    int(sale[:4]),
                    COLOURS[int(rand() * len(COLOURS))],
                    sale,
                    sale,
                    first_customer + i,
                    odometer[i],
                    created,
                )
            )
        conn.execute("BEGIN")
        t_cust.flush(conn)
        t_veh.flush(conn)
        conn.execute("COMMIT")

        # the answered warranty claims: most approved with a claim number, one in 25 refused
        # and written off by the shop (by id: a search of all the lines costs more)
        conn.execute("BEGIN")
        conn.executemany(
            "UPDATE job_line SET"
            " warranty_claim_state = CASE WHEN id % 25 = 0 THEN 'written_off' ELSE 'approved' END,"
            " warranty_claim_no = CASE WHEN id % 25 = 0 THEN '' ELSE 'WC' || (7000000 + id) END"
            " WHERE id = ?",
            ((line,) for line in answered),
        )
        conn.execute("COMMIT")

        say("indexes")
        # index building is sorting: with its runs in temporary files SQLite sorts on a second
        # thread too (PRAGMA threads does nothing for in-memory sorts): 30 s -> 21 s here
        conn.execute("PRAGMA temp_store=FILE")
        conn.execute("PRAGMA threads=2")
        conn.execute("BEGIN")
        for sql in indexes:
            conn.execute(sql)
        for sql in triggers:
            conn.execute(sql)
        _fill_search_index(conn)
        conn.execute("COMMIT")
        # no ANALYZE: a shop's own file has no statistics either (the app never runs it), and
        # the indexes are chosen so that the plans are right without them
        conn.execute("PRAGMA journal_mode=WAL")
        conn.execute(f"PRAGMA synchronous={SQLITE_SYNCHRONOUS}")
        conn.execute("PRAGMA foreign_keys=ON")
        return {
            "orders": order_id - first_order,
            "lines": line_id - first_line,
            "customers": n_customers,
            "vehicles": n_customers,
        }
    finally:
        clock.set_now(previous)
        close_database()
