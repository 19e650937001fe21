"""The number of SQL statements behind opening an order, refreshing the workshop board, the
station's job list and a search keystroke does not grow with the lines of the order or the
orders in the shop.

Not timed (timings are in benchmarks/run.py): a statement per line or per order is what makes
a screen slow on a ten-year database, and counting catches it on any machine.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from decimal import Decimal

import pytest

from factories import make_customer, make_order, make_vehicle
from shop_desk.db import database
from shop_desk.models import JobLine, LabourOperation, Part, RepairOrder, Staff, Team
from shop_desk.services import board, documents
from shop_desk.services.search import order_summary, search
from shop_desk.states import State
from shop_desk.ui.workshop.reads import order_detail


class Counter:
    def __init__(self) -> None:
        self.statements: list[str] = []

    def __call__(self, sql: str) -> None:
        # statements run inside triggers and FTS5's own lookups are reported as "-- ..."
        if not sql.lstrip().startswith("--"):
            self.statements.append(sql)

    @property
    def count(self) -> int:
        return len(self.statements)


@contextlib.contextmanager
def counting() -> Iterator[Counter]:
    """Every SQL statement the app's connection runs inside the block."""
    counter = Counter()
    conn = database.obj.connection()
    conn.set_trace_callback(counter)
    try:
        yield counter
    finally:
        conn.set_trace_callback(None)


def add_lines(order: RepairOrder, n: int) -> None:
    """``n`` more lines alternating labour and parts, with technicians on the labour."""
    op = LabourOperation.get(LabourOperation.code == "MNT-5K")
    parts = list(Part.select().limit(5))
    tech = Staff.get(Staff.login == "tech1")
    start = JobLine.select().where(JobLine.order == order).count()
    rows = []
    for i in range(n):
        if i % 2:
            part = parts[i % len(parts)]
            rows.append(
                {
                    "order": order.id,
                    "kind": "part",
                    "part": part.id,
                    "description": part.name,
                    "quantity": Decimal("1.00"),
                    "unit_price": part.unit_price,
                    "sort": start + i + 1,
                }
            )
        else:
            rows.append(
                {
                    "order": order.id,
                    "kind": "labour",
                    "labour_op": op.id,
                    "description": op.name,
                    "hours": op.standard_hours,
                    "rate": Decimal("180.00"),
                    "technician": tech.id,
                    "sort": start + i + 1,
                }
            )
    JobLine.insert_many(rows).execute()


def _dispatched(order: RepairOrder) -> RepairOrder:
    team = Team.select().first()
    RepairOrder.update(team=team, technician=Staff.get(Staff.login == "tech1")).where(
        RepairOrder.id == order.id
    ).execute()
    return RepairOrder.get_by_id(order.id)


OPENERS = {
    "task order data": lambda o: documents.task_order_data(o.number),
    "order summary": lambda o: order_summary(o.id),
    "board detail": lambda o: order_detail(o.id),
}


@pytest.mark.parametrize("name", sorted(OPENERS))
def test_opening_an_order_runs_as_many_statements_for_60_lines_as_for_2(db, name):
    order = _dispatched(make_order(State.IN_PROGRESS))
    open_order = OPENERS[name]
    open_order(order)  # first use: caches of the process are filled
    with counting() as few:
        open_order(order)
    add_lines(order, 58)
    assert JobLine.select().where(JobLine.order == order).count() == 60
    with counting() as many:
        open_order(order)
    assert few.count > 0
    assert many.count == few.count, many.statements


def test_board_refresh_runs_as_many_statements_for_40_orders_as_for_2(db):
    for _ in range(2):
        _dispatched(make_order(State.IN_PROGRESS))
    board.board_cards()
    with counting() as few_cards:
        cards = board.board_cards()
    with counting() as few_load:
        board.team_load()
    assert len(cards) == 2
    for n in range(38):
        order = make_order(State.IN_PROGRESS if n % 3 else State.FINAL_QC)
        _dispatched(order)
        add_lines(order, 3)
    with counting() as many_cards:
        cards = board.board_cards()
    with counting() as many_load:
        board.team_load()
    assert len(cards) == 40
    assert many_cards.count == few_cards.count == 1
    assert many_load.count == few_load.count


def test_the_boards_field_strip_is_one_statement_for_20_jobs_as_for_2(db):
    """The field jobs out now (with their crews) are read in one query, whatever their
    number, so the board's refresh stays bounded."""
    import datetime as dt

    from shop_desk import clock
    from shop_desk.services import field

    people = {s.login: s for s in Staff.select()}

    def out(n: int) -> None:
        customer = make_customer(f"车队 {n}", f"1391234{n:04d}")
        job = field.register_field_job(
            people["advisor"],
            customer.id,
            f"场地 {n}",
            "保养",
            clock.now() + dt.timedelta(hours=2),
            vehicle=make_vehicle(customer, vin=f"LSVAU2A37N29{n:05d}", plate=f"沪F·{n:05d}").id,
        )
        field.dispatch_field_job(
            people["supervisor"], job.id, [people["tech1"].id, people["tech2"].id], "服务车"
        )

    for n in range(2):
        out(n)
    board.field_cards()
    with counting() as few:
        cards = board.field_cards()
    assert len(cards) == 2
    for n in range(2, 20):
        out(n)
    with counting() as many:
        cards = board.field_cards()
    assert len(cards) == 20 and all(len(c.crew) == 2 for c in cards)
    assert many.count == few.count == 1, many.statements


def test_a_search_keystroke_runs_as_many_statements_for_many_hits_as_for_one(db):
    owner = make_customer("欧阳娜娜", "13912345678")
    make_vehicle(owner, vin="LSVAU2A37N2123458", plate="沪B·7K31Q")
    search("1391234")
    with counting() as one:
        hits = search("1391234")
    assert len(hits) >= 1
    for n in range(30):
        other = make_customer(f"欧阳{n:02d}", f"139123{n:05d}")
        make_vehicle(other, vin=f"LSVAU2A37N21{n:05d}", plate=f"沪C·{n:05d}")
    with counting() as many:
        hits = search("139123")
    assert len(hits) == 20
    assert many.count <= one.count + 1  # at most the "open orders of these cars" part
    assert many.count <= 4, many.statements


def test_the_station_job_list_runs_as_many_statements_for_30_jobs_as_for_2(db):
    from shop_desk.ui.station.reads import jobs_for

    supervisor = Staff.get(Staff.login == "supervisor")
    for state in (State.IN_PROGRESS, State.WASHING):
        _dispatched(make_order(state))
    jobs_for(supervisor)
    with counting() as few:
        assert len(jobs_for(supervisor)) == 2
    for n in range(28):
        order = _dispatched(make_order((State.IN_PROGRESS, State.FINAL_QC, State.WASHING)[n % 3]))
        add_lines(order, 4)
    with counting() as many:
        rows = jobs_for(supervisor)
    assert len(rows) == 30
    assert many.count == few.count <= 9, many.statements  # 9: unsigned slips, who decides


def test_the_day_arrivals_run_as_many_statements_for_12_bookings_as_for_2(db):
    import datetime as dt

    from shop_desk.models import Appointment
    from shop_desk.services.appointments import arrivals

    day = dt.date(2026, 11, 30)

    def book(n: int) -> None:
        owner = make_customer(f"客户{n:02d}", f"1381234{n:04d}")
        car = make_vehicle(owner, vin=f"LSVAU2A37N20{n:05d}", plate=f"沪D·{n:05d}")
        slot = dt.datetime.combine(day, dt.time(8)) + dt.timedelta(minutes=30 * n)
        appt = Appointment.create(customer=owner, vehicle=car, slot_start=slot)
        if n % 2:
            make_order(State.IN_PROGRESS, vehicle=car, appointment=appt)

    for n in range(2):
        book(n)
    with counting() as few:
        assert len(arrivals(day)) == 2
    for n in range(2, 12):
        book(n)
    with counting() as many:
        rows = arrivals(day)
    assert len(rows) == 12 and sum(r.order is not None for r in rows) == 6
    assert many.count == few.count == 2, many.statements
