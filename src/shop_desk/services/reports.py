"""The monthly report (月度报表) for the general manager, and longer ranges (a year = 12 months).

The rulebook asks the department head to report every month which problems recur, so the
company can improve quality; the figures below are what a service centre's manager reads.
Every figure comes from a fixed set of aggregate SQL queries (GROUP BY / SUM / COUNT, one
window function for clock pairs), so a busy year costs the same number of queries as a quiet
month; only small grouped results (per day, per technician, per cause…) reach Python.
Amounts are summed in SQL as the scaled integers the fields store (hours × rate is scaled by
10⁴, rounded half up to the fen per line exactly like :func:`shop_desk.money.line_amount`)
and become Decimal at the end.

What each figure counts:

- *checked in*: orders checked in during the period (cancelled ones counted apart); the car
  count per day, comebacks and the recurring faults, complaints and parts use these;
- *settled*: orders settled during the period and not voided (settled / left / closed); the
  revenue (authorised job lines: labour hours × rate or quantity × price less the line
  discount; the order discount is taken off the customer's part as the settlement does),
  the average ticket and the hours sold vs clocked use these. Hours sold are the authorised
  labour hours, clocked hours the start/resume → pause/finish pairs of the clock entries on
  those lines; efficiency = sold ÷ clocked;
- *on time*: orders ready (or, without that, delivered) during the period that had a
  promised time; on time when ready/delivered no later than the promised time (the latest
  promise, after any delay the workshop reported);
- *first pass*: final inspections of round 1 during the period that passed;
- follow-up calls finished during the period; complaints opened during the period;
- *field service*: field jobs registered during the period (a job registered at 23:59 on
  the month's last day is that month's), cancelled ones left out, per kind; of those, the
  arrivals on site by the customer's required time, the service reports complete among
  those handed in, and the satisfaction surveys. Expense claims: the amounts claimed
  (submitted), approved and paid during the period, each by the day it happened. Penalties:
  the register's cases entered during the period, per person, major demerits (记大过) apart.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

from peewee import JOIN, Case, fn

from shop_desk import clock
from shop_desk.errors import ValidationError
from shop_desk.export import text_table, write_csv, write_xlsx
from shop_desk.field_states import kind_label as field_kind_label
from shop_desk.i18n import translate
from shop_desk.models import (
    CallLog,
    ClockEvent,
    Complaint,
    CounterCase,
    CounterPayment,
    CounterSale,
    ExpenseClaim,
    FieldJob,
    FollowUp,
    JobLine,
    LabourOperation,
    Part,
    PartsReturnLine,
    PartsReturnSlip,
    Payment,
    Penalty,
    QcCheck,
    RepairOrder,
    ServiceReport,
    Settlement,
    Staff,
    SupplierClaim,
    SupplierOrder,
    Team,
)
from shop_desk.models.orders import PAY_TYPES
from shop_desk.money import ZERO, fmt, money, total
from shop_desk.services import insurer_accounts
from shop_desk.services.reception import ROUTINE_WORDS, texts_match
from shop_desk.states import State

Progress = Callable[[int, int], None]
Row = Sequence[object]

SETTLED_STATES = (State.SETTLED.value, State.LEFT.value, State.CLOSED.value)
CANCELLED = State.CANCELLED.value
#: How many entries the "top" lists show.
TOP_N = 10
#: Distinct complaint texts (most frequent first) grouped into recurring faults.
TEXT_SAMPLE = 500
_ONE_DECIMAL = Decimal("0.1")
_TWO_DECIMALS = Decimal("0.01")


# ----------------------------------------------------------------------------- the figures


@dataclass(frozen=True)
class Rate:
    """``part`` of ``whole`` (e.g. 9 of 10 cars on time)."""

    part: int
    whole: int

    @property
    def percent(self) -> Decimal | None:
        if not self.whole:
            return None
        return (Decimal(self.part) * 100 / Decimal(self.whole)).quantize(
            _ONE_DECIMAL, ROUND_HALF_UP
        )


@dataclass(frozen=True)
class HoursRow:
    """Labour hours sold and clocked for one team or technician."""

    key: int | None
    name: str
    sold: Decimal
    clocked: Decimal

    @property
    def efficiency(self) -> Decimal | None:
        """Hours sold per hour clocked, in percent (None when nothing was clocked)."""
        return _efficiency(self.sold, self.clocked)


@dataclass(frozen=True)
class MonthRow:
    month: str  # YYYY-MM
    checked_in: int
    settled: int
    revenue: Decimal


@dataclass(frozen=True)
class PersonPenalties:
    """One person's entries in the penalty register for the period."""

    name: str
    cases: int  # penalties (罚款) other than major demerits
    major_demerits: int  # 记大过
    amount: Decimal


@dataclass
class MonthlyReport:
    """All figures of one period; labels and tables come from :func:`report_rows` /
    :func:`report_tables` so they follow the interface language."""

    start: dt.date
    end: dt.date  # inclusive
    generated_at: dt.datetime
    orders_checked_in: int = 0
    cancelled: int = 0
    comebacks: Rate = Rate(0, 0)
    cars_per_day: list[tuple[dt.date, int]] = field(default_factory=list)
    months: list[MonthRow] = field(default_factory=list)
    settled_orders: int = 0
    #: pay type -> {"labour": amount, "part": amount}, gross of the order discounts
    revenue: dict[str, dict[str, Decimal]] = field(default_factory=dict)
    order_discounts: Decimal = ZERO
    hours_sold: Decimal = ZERO
    hours_clocked: Decimal = ZERO
    teams: list[HoursRow] = field(default_factory=list)
    technicians: list[HoursRow] = field(default_factory=list)
    on_time: Rate = Rate(0, 0)
    qc_first_pass: Rate = Rate(0, 0)
    follow_ups: int = 0
    reached: Rate = Rate(0, 0)
    satisfaction_sum: int = 0
    satisfaction_count: int = 0
    dissatisfied: int = 0
    fault_not_gone: int = 0
    complaints: int = 0
    complaints_by_cause: list[tuple[str, int]] = field(default_factory=list)
    complaints_by_staff: list[tuple[str, int]] = field(default_factory=list)
    top_operations: list[tuple[str, int]] = field(default_factory=list)
    top_complaints: list[tuple[str, int]] = field(default_factory=list)
    top_parts: list[tuple[str, Decimal, int]] = field(default_factory=list)
    # field service (外出服务), by the month the job was registered in: jobs per kind, on
    # site by the customer's time, service reports complete, the surveys' satisfaction;
    # expense claims by the day each step happened; the penalty register's cases per person
    field_jobs: int = 0
    field_jobs_by_kind: list[tuple[str, int]] = field(default_factory=list)
    field_on_time: Rate = Rate(0, 0)
    field_reports_complete: Rate = Rate(0, 0)
    field_satisfaction_sum: int = 0
    field_satisfaction_count: int = 0
    expenses_claimed: Decimal = ZERO  # claims submitted
    expenses_approved: Decimal = ZERO  # approved amounts of claims approved
    field_expenses: Decimal = ZERO  # expense claims paid
    penalties_by_person: list[PersonPenalties] = field(default_factory=list)
    # the accessory counter (配件零售): see :func:`_counter`
    counter_sales: int = 0
    counter_revenue: Decimal = ZERO
    counter_refunds: Decimal = ZERO  # money given back for returned products (positive)
    counter_cases: int = 0  # products brought or sent back
    counter_replaced: int = 0
    # parts in and out (退料, 采购单, supplier claims): see :func:`_parts_flow`
    parts_return_slips: int = 0
    parts_returned_value: Decimal = ZERO  # at the prices on the orders' lines
    supplier_orders_sent: int = 0
    supplier_orders_received: int = 0  # received in full
    supplier_claims_opened: int = 0
    supplier_claims_answered: int = 0  # credited, replaced or refused
    supplier_credits: Decimal = ZERO  # credited by the suppliers on claims answered
    # the manager's control figures (the rulebook's deadlines and the money given back)
    calls_answered_in_24h: Rate = Rate(0, 0)
    follow_ups_in_window: Rate = Rate(0, 0)
    refunds: int = 0
    refunds_total: Decimal = ZERO  # money given back after settling (positive)
    settlements_voided: int = 0
    warranty_claims_by_state: list[tuple[str, int]] = field(default_factory=list)
    complaints_closed: int = 0
    complaint_days_average: Decimal | None = None
    # insurance repairs: the insurers' part of the orders settled in the period, and what
    # insurers still owe at the period's end, by insurer and age bracket
    insurer_billed: Decimal = ZERO
    insurer_balances: list[tuple[str, list[Decimal]]] = field(default_factory=list)

    @property
    def penalty_cases(self) -> int:
        """Penalties (罚款) in the register; the major demerits are counted apart."""
        return sum(p.cases for p in self.penalties_by_person)

    @property
    def major_demerits(self) -> int:
        return sum(p.major_demerits for p in self.penalties_by_person)

    @property
    def penalty_amount(self) -> Decimal:
        return money(sum((p.amount for p in self.penalties_by_person), ZERO))

    @property
    def insurer_by_age(self) -> list[Decimal]:
        out = [ZERO] * len(insurer_accounts.age_bracket_labels())
        for _name, ages in self.insurer_balances:
            out = [money(a + b) for a, b in zip(out, ages, strict=True)]
        return out

    @property
    def insurer_outstanding(self) -> Decimal:
        return total(self.insurer_by_age)

    # derived ---------------------------------------------------------------------------
    def _kind_total(self, kind: str) -> Decimal:
        return money(sum((cell.get(kind, ZERO) for cell in self.revenue.values()), ZERO))

    @property
    def labour_revenue(self) -> Decimal:
        return self._kind_total("labour")

    @property
    def parts_revenue(self) -> Decimal:
        return self._kind_total("part")

    def pay_type_revenue(self, pay_type: str) -> Decimal:
        """Revenue of one pay type; the customer's is net of the order discounts."""
        cell = self.revenue.get(pay_type, {})
        amount = money(cell.get("labour", ZERO) + cell.get("part", ZERO))
        if pay_type == "customer":
            amount = money(amount - self.order_discounts)
        return amount

    @property
    def total_revenue(self) -> Decimal:
        return money(self.labour_revenue + self.parts_revenue - self.order_discounts)

    @property
    def average_ticket(self) -> Decimal | None:
        if not self.settled_orders:
            return None
        return money(self.total_revenue / self.settled_orders)

    @property
    def days_with_cars(self) -> int:
        return sum(1 for _day, n in self.cars_per_day if n)

    @property
    def cars_per_day_average(self) -> Decimal | None:
        days = self.days_with_cars
        if not days:
            return None
        return (Decimal(self.orders_checked_in) / days).quantize(_ONE_DECIMAL, ROUND_HALF_UP)

    @property
    def busiest_day(self) -> tuple[dt.date, int] | None:
        if not self.cars_per_day:
            return None
        return max(self.cars_per_day, key=lambda item: (item[1], -item[0].toordinal()))

    @property
    def efficiency(self) -> Decimal | None:
        return _efficiency(self.hours_sold, self.hours_clocked)

    @property
    def average_satisfaction(self) -> Decimal | None:
        if not self.satisfaction_count:
            return None
        return (Decimal(self.satisfaction_sum) / self.satisfaction_count).quantize(
            _TWO_DECIMALS, ROUND_HALF_UP
        )

    @property
    def counter_net(self) -> Decimal:
        return money(self.counter_revenue - self.counter_refunds)

    @property
    def field_average_satisfaction(self) -> Decimal | None:
        if not self.field_satisfaction_count:
            return None
        return (Decimal(self.field_satisfaction_sum) / self.field_satisfaction_count).quantize(
            _TWO_DECIMALS, ROUND_HALF_UP
        )


def _efficiency(sold: Decimal, clocked: Decimal) -> Decimal | None:
    if not clocked:
        return None
    return (sold * 100 / clocked).quantize(_ONE_DECIMAL, ROUND_HALF_UP)


# ------------------------------------------------------------------------------ SQL helpers


def _int(value: object) -> int:
    return int(value or 0)


def _month_of(column):
    """SQL: ``YYYY-MM`` of a datetime column (text on SQLite, a timestamp on PostgreSQL;
    both print it as ``YYYY-MM-DD HH:MM:SS``)."""
    return fn.SUBSTR(column.cast("TEXT"), 1, 7).coerce(False)


def _epoch_seconds(column):
    """SQL: a datetime as whole seconds since 1970 (for differences of two of them)."""
    from shop_desk.db import is_postgres

    if is_postgres():
        return fn.date_part("epoch", column).cast("BIGINT")
    return fn.strftime("%s", column)


def _fen(units, price, discount):
    """SQL: units × price (both scaled by 100) rounded half up to the fen, less the discount."""
    product = units * price
    rounded = Case(None, [(product >= 0, (product + 50) / 100)], (product - 50) / 100)
    return rounded - discount


#: SQL: the amount of a job line in fen (what :func:`orders.line_total` computes).
def _line_amount():
    return Case(
        JobLine.kind,
        [("labour", _fen(JobLine.hours, JobLine.rate, JobLine.discount))],
        _fen(JobLine.quantity, JobLine.unit_price, JobLine.discount),
    )


def _yuan(fen: object) -> Decimal:
    return money(Decimal(_int(fen)) / 100)


def _hundredths(value: object) -> Decimal:
    """A SUM of a FixedDecimalField(2) column back to a Decimal."""
    return (Decimal(_int(value)) / 100).quantize(_TWO_DECIMALS)


@dataclass
class _Period:
    start: dt.datetime
    end: dt.datetime  # exclusive

    def has(self, column):
        return (column >= self.start) & (column < self.end)

    def settled(self):
        return self.has(RepairOrder.settled_at) & RepairOrder.state.in_(SETTLED_STATES)

    def checked_in(self):
        return self.has(RepairOrder.checked_in_at) & (RepairOrder.state != CANCELLED)


# ---------------------------------------------------------------------------- the queries


def _checked_in(report: MonthlyReport, p: _Period) -> None:
    """Orders, cancellations and comebacks per day of check-in (one grouped query)."""
    day = fn.DATE(RepairOrder.checked_in_at).coerce(False)
    live = RepairOrder.state != CANCELLED
    rows = (
        RepairOrder.select(
            day.alias("day"),
            fn.SUM(Case(None, [(live, 1)], 0)),
            fn.SUM(Case(None, [(RepairOrder.state == CANCELLED, 1)], 0)),
            fn.SUM(Case(None, [(live & (RepairOrder.is_comeback == True), 1)], 0)),  # noqa: E712
        )
        .where(p.has(RepairOrder.checked_in_at))
        .group_by(day)
        .order_by(day)
        .tuples()
    )
    comebacks = 0
    for day_text, live_n, cancelled_n, comeback_n in rows:
        n = _int(live_n)
        if n:
            report.cars_per_day.append((dt.date.fromisoformat(str(day_text)[:10]), n))
        report.orders_checked_in += n
        report.cancelled += _int(cancelled_n)
        comebacks += _int(comeback_n)
    report.comebacks = Rate(comebacks, report.orders_checked_in)


def _revenue(report: MonthlyReport, p: _Period) -> None:
    """Revenue by pay type and kind, order discounts, settled orders and the months."""
    authorised = JobLine.auth_state == "authorised"
    amount = _line_amount()
    matrix = (
        JobLine.select(JobLine.pay_type, JobLine.kind, fn.SUM(amount))
        .join(RepairOrder)
        .where(p.settled() & authorised)
        .group_by(JobLine.pay_type, JobLine.kind)
        .tuples()
    )
    revenue: dict[str, dict[str, Decimal]] = {
        pt: {"labour": ZERO, "part": ZERO} for pt in PAY_TYPES
    }
    for pay_type, kind, fen in matrix:
        cell = revenue.setdefault(pay_type, {"labour": ZERO, "part": ZERO})
        cell[kind] = money(cell.get(kind, ZERO) + _yuan(fen))
    report.revenue = revenue

    # per order: the customer's lines less the order discount, never below zero (as settled)
    month = _month_of(RepairOrder.settled_at)
    customer = fn.SUM(Case(None, [(JobLine.pay_type == "customer", amount)], 0))
    per_order = (
        JobLine.select(
            JobLine.order.alias("oid"),
            month.alias("month"),
            RepairOrder.order_discount.alias("disc"),
            customer.alias("cust"),
            fn.SUM(amount).alias("total"),
        )
        .join(RepairOrder)
        .where(p.settled() & authorised)
        .group_by(JobLine.order, month, RepairOrder.order_discount)
    ).alias("t")
    applied = Case(
        None, [(per_order.c.cust > per_order.c.disc, per_order.c.disc)], per_order.c.cust
    )
    by_month = (
        RepairOrder.select(per_order.c.month, fn.SUM(per_order.c.total - applied), fn.SUM(applied))
        .from_(per_order)
        .group_by(per_order.c.month)
        .tuples()
    )
    month_revenue: dict[str, Decimal] = {}
    discounts = ZERO
    for key, net, disc in by_month:
        month_revenue[key] = _yuan(net)
        discounts = money(discounts + _yuan(disc))
    report.order_discounts = discounts

    settled = dict(
        RepairOrder.select(month, fn.COUNT(RepairOrder.id))
        .where(p.settled())
        .group_by(month)
        .tuples()
    )
    report.settled_orders = sum(_int(n) for n in settled.values())
    checked: dict[str, int] = {}
    for day, n in report.cars_per_day:
        checked[f"{day:%Y-%m}"] = checked.get(f"{day:%Y-%m}", 0) + n
    report.months = [
        MonthRow(key, checked.get(key, 0), _int(settled.get(key)), month_revenue.get(key, ZERO))
        for key in _month_keys(report.start, report.end)
    ]


def _month_keys(start: dt.date, end: dt.date) -> list[str]:
    keys = []
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def _hours(report: MonthlyReport, p: _Period, names: _Names) -> None:
    """Hours sold (authorised labour) vs clocked (clock pairs) per team and technician."""
    labour = (JobLine.kind == "labour") & (JobLine.auth_state == "authorised")
    tech = fn.COALESCE(JobLine.technician, RepairOrder.technician).coerce(False)
    sold_rows = (
        JobLine.select(tech, RepairOrder.team, fn.SUM(JobLine.hours))
        .join(RepairOrder)
        .where(p.settled() & labour)
        .group_by(tech, RepairOrder.team)
        .tuples()
    )
    # each clock entry with the next one on the same line: start/resume -> pause/finish
    window = {"partition_by": [ClockEvent.line], "order_by": [ClockEvent.id]}
    events = (
        ClockEvent.select(
            ClockEvent.technician.alias("tech"),
            RepairOrder.team.alias("team"),
            ClockEvent.kind.alias("kind"),
            ClockEvent.at.alias("at"),
            fn.LEAD(ClockEvent.kind).over(**window).alias("next_kind"),
            fn.LEAD(ClockEvent.at).over(**window).alias("next_at"),
        )
        .join(JobLine)
        .join(RepairOrder)
        .where(p.settled() & (JobLine.kind == "labour"))
    ).alias("e")
    e = events.c
    seconds = Case(
        None,
        [
            (
                e.kind.in_(("start", "resume")) & e.next_kind.in_(("pause", "finish")),
                _epoch_seconds(e.next_at) - _epoch_seconds(e.at),
            )
        ],
        0,
    )
    clocked_rows = (
        ClockEvent.select(e.tech, e.team, fn.SUM(seconds))
        .from_(events)
        .group_by(e.tech, e.team)
        .tuples()
    )
    sold_tech: dict[int | None, Decimal] = {}
    sold_team: dict[int | None, Decimal] = {}
    for tech_id, team_id, hours in sold_rows:
        h = _hundredths(hours)
        sold_tech[tech_id] = sold_tech.get(tech_id, ZERO) + h
        sold_team[team_id] = sold_team.get(team_id, ZERO) + h
    secs_tech: dict[int | None, int] = {}
    secs_team: dict[int | None, int] = {}
    for tech_id, team_id, secs in clocked_rows:
        secs_tech[tech_id] = secs_tech.get(tech_id, 0) + _int(secs)
        secs_team[team_id] = secs_team.get(team_id, 0) + _int(secs)

    def rows(sold: dict, secs: dict, name: Callable[[int | None], str]) -> list[HoursRow]:
        out = [
            HoursRow(key, name(key), sold.get(key, ZERO), _clock_hours(secs.get(key, 0)))
            for key in set(sold) | set(secs)
        ]
        return sorted(out, key=lambda r: (r.key is None, r.name, r.key or 0))

    report.technicians = rows(sold_tech, secs_tech, names.staff)
    report.teams = rows(sold_team, secs_team, names.team)
    report.hours_sold = sum((r.sold for r in report.technicians), ZERO)
    report.hours_clocked = _clock_hours(sum(secs_tech.values()))


def _clock_hours(seconds: int) -> Decimal:
    return (Decimal(max(0, seconds)) / 3600).quantize(_TWO_DECIMALS, ROUND_HALF_UP)


def _quality(report: MonthlyReport, p: _Period) -> None:
    """On-time delivery and the first-pass rate of the final inspection."""
    finished = fn.COALESCE(RepairOrder.ready_at, RepairOrder.delivered_at)
    # finished in the period, spelt per column so each side of the OR has its own index
    in_period = p.has(RepairOrder.ready_at) | (
        RepairOrder.ready_at.is_null() & p.has(RepairOrder.delivered_at)
    )
    total, on_time = (
        RepairOrder.select(
            fn.COUNT(RepairOrder.id),
            fn.SUM(Case(None, [(finished <= RepairOrder.promised_at, 1)], 0)),
        )
        .where(
            in_period & RepairOrder.promised_at.is_null(False) & (RepairOrder.state != CANCELLED)
        )
        .tuples()
        .get()
    )
    report.on_time = Rate(_int(on_time), _int(total))
    checked, passed = (
        QcCheck.select(
            fn.COUNT(fn.DISTINCT(QcCheck.order)),
            fn.COUNT(fn.DISTINCT(Case(None, [(QcCheck.passed == True, QcCheck.order)]))),  # noqa: E712
        )
        .where((QcCheck.stage == "final") & (QcCheck.round == 1) & p.has(QcCheck.at))
        .tuples()
        .get()
    )
    report.qc_first_pass = Rate(_int(passed), _int(checked))


def _field(report: MonthlyReport, p: _Period, names: _Names) -> None:
    """Field service in three queries: the jobs registered in the period (cancelled ones left
    out) per kind with their arrivals, reports and surveys; the expense claims submitted,
    approved and paid in the period; the penalty register's cases per person and kind."""
    rows = (
        FieldJob.select(
            FieldJob.kind,
            fn.COUNT(FieldJob.id),
            fn.COUNT(FieldJob.arrived_at),
            fn.SUM(Case(None, [(FieldJob.arrived_at <= FieldJob.required_arrival_at, 1)], 0)),
            fn.COUNT(ServiceReport.written_at),
            fn.SUM(Case(None, [(ServiceReport.complete == True, 1)], 0)),  # noqa: E712
            fn.COUNT(ServiceReport.satisfaction),
            fn.SUM(ServiceReport.satisfaction),
        )
        .join(ServiceReport, JOIN.LEFT_OUTER, on=(ServiceReport.job == FieldJob.id))
        .where(p.has(FieldJob.registered_at) & (FieldJob.state != "cancelled"))
        .group_by(FieldJob.kind)
        .order_by(FieldJob.kind)
        .tuples()
    )
    arrived = on_time = written = complete = 0
    for kind, jobs, arrivals, punctual, reports_n, complete_n, surveys, score in rows:
        report.field_jobs_by_kind.append((kind, _int(jobs)))
        arrived += _int(arrivals)
        on_time += _int(punctual)
        written += _int(reports_n)
        complete += _int(complete_n)
        report.field_satisfaction_count += _int(surveys)
        report.field_satisfaction_sum += _int(score)
    report.field_jobs = sum(n for _kind, n in report.field_jobs_by_kind)
    report.field_on_time = Rate(on_time, arrived)
    report.field_reports_complete = Rate(complete, written)
    submitted = p.has(ExpenseClaim.submitted_at)
    approved = p.has(ExpenseClaim.decided_at) & ExpenseClaim.state.in_(("approved", "paid"))
    paid = p.has(ExpenseClaim.paid_at) & (ExpenseClaim.state == "paid")
    claimed_fen, approved_fen, paid_fen = (
        ExpenseClaim.select(
            fn.SUM(Case(None, [(submitted, ExpenseClaim.total)], 0)),
            fn.SUM(Case(None, [(approved, ExpenseClaim.approved_total)], 0)),
            fn.SUM(Case(None, [(paid, ExpenseClaim.approved_total)], 0)),
        )
        .where(submitted | approved | paid)
        .tuples()
        .get()
    )
    report.expenses_claimed = _yuan(claimed_fen)
    report.expenses_approved = _yuan(approved_fen)
    report.field_expenses = _yuan(paid_fen)
    demerit = Penalty.kind == "major_demerit"
    people = (
        Penalty.select(
            Penalty.staff,
            fn.SUM(Case(None, [(demerit, 0)], 1)),
            fn.SUM(Case(None, [(demerit, 1)], 0)),
            fn.SUM(Penalty.amount),
        )
        .where(p.has(Penalty.at))
        .group_by(Penalty.staff)
        .tuples()
    )
    report.penalties_by_person = sorted(
        (
            PersonPenalties(names.staff(staff_id), _int(cases), _int(demerits), _yuan(fen))
            for staff_id, cases, demerits, fen in people
        ),
        key=lambda row: (-row.major_demerits, -row.amount, row.name),
    )


def _counter(report: MonthlyReport, p: _Period) -> None:
    """The accessory counter: sales and their revenue, the money given back for returned
    products, and the products brought or sent back and replaced in the period (one query:
    the other tables' figures as scalar subqueries)."""
    refunded = CounterPayment.select(fn.SUM(CounterPayment.amount)).where(
        p.has(CounterPayment.at) & (CounterPayment.amount < 0)
    )
    cases = CounterCase.select(fn.COUNT(CounterCase.id)).where(p.has(CounterCase.received_at))
    replaced = CounterCase.select(fn.COUNT(CounterCase.id)).where(
        p.has(CounterCase.received_at) & (CounterCase.state == "replaced")
    )
    sales, fen, refund_fen, case_count, replaced_count = (
        CounterSale.select(
            fn.COUNT(CounterSale.id), fn.SUM(CounterSale.total), refunded, cases, replaced
        )
        .where(p.has(CounterSale.sold_at))
        .tuples()
        .get()
    )
    report.counter_sales = _int(sales)
    report.counter_revenue = _yuan(fen)
    report.counter_refunds = -_yuan(refund_fen)
    report.counter_cases = _int(case_count)
    report.counter_replaced = _int(replaced_count)


def _parts_flow(report: MonthlyReport, p: _Period) -> None:
    """Parts in and out: return slips and the value of the parts back in stock (at the prices
    on the orders' lines, which went down with them), supplier orders sent and received in
    full, supplier claims opened and answered with the suppliers' credits (one query: the
    purchasing tables' figures as scalar subqueries)."""
    from shop_desk.purchasing_states import CLOSED_CLAIM_STATES, OrderState

    sent = SupplierOrder.select(fn.COUNT(SupplierOrder.id)).where(p.has(SupplierOrder.sent_at))
    received = SupplierOrder.select(fn.COUNT(SupplierOrder.id)).where(
        p.has(SupplierOrder.received_at) & (SupplierOrder.state == OrderState.RECEIVED.value)
    )
    opened = SupplierClaim.select(fn.COUNT(SupplierClaim.id)).where(p.has(SupplierClaim.opened_at))
    answered = p.has(SupplierClaim.closed_at) & SupplierClaim.state.in_(
        [s.value for s in CLOSED_CLAIM_STATES]
    )
    answers = SupplierClaim.select(fn.COUNT(SupplierClaim.id)).where(answered)
    credits = SupplierClaim.select(fn.SUM(SupplierClaim.credit)).where(answered)
    slips, fen, sent_n, received_n, opened_n, answered_n, credit_fen = (
        PartsReturnLine.select(
            fn.COUNT(fn.DISTINCT(PartsReturnLine.slip)),
            fn.SUM(_fen(PartsReturnLine.quantity, JobLine.unit_price, 0)),
            sent,
            received,
            opened,
            answers,
            credits,
        )
        .join(JobLine)
        .switch(PartsReturnLine)
        .join(PartsReturnSlip)
        .where(p.has(PartsReturnSlip.returned_at))
        .tuples()
        .get()
    )
    report.parts_return_slips = _int(slips)
    report.parts_returned_value = _yuan(fen)
    report.supplier_orders_sent = _int(sent_n)
    report.supplier_orders_received = _int(received_n)
    report.supplier_claims_opened = _int(opened_n)
    report.supplier_claims_answered = _int(answered_n)
    report.supplier_credits = _yuan(credit_fen)


def _refund():
    """SQL: a payment that gave money back (a refund, not voided)."""
    return (Payment.amount < 0) & (Payment.void == False)  # noqa: E712


def _management(report: MonthlyReport, p: _Period) -> None:
    """What the general manager checks against the rulebook: calls answered within 24 hours,
    follow-ups within 3 days of the car leaving, refunds and voided settlements, warranty
    claims by state, and how long closed complaints took."""
    from shop_desk.services.aftercare import FOLLOW_UP_WINDOW_DAYS

    day = 24 * 3600
    answered = Case(
        None,
        [
            (
                CallLog.answered_at.is_null(False)
                & (
                    _epoch_seconds(CallLog.answered_at) - _epoch_seconds(CallLog.received_at) <= day
                ),
                1,
            )
        ],
        0,
    )
    refunds = Payment.select(fn.COUNT(Payment.id)).where(p.has(Payment.at) & _refund())
    refunded = Payment.select(fn.SUM(Payment.amount)).where(p.has(Payment.at) & _refund())
    voided = Settlement.select(fn.COUNT(Settlement.id)).where(
        p.has(Settlement.voided_at) & (Settlement.state == "void")
    )
    closed = Complaint.select(fn.COUNT(Complaint.id)).where(p.has(Complaint.closed_at))
    took = Complaint.select(
        fn.SUM(_epoch_seconds(Complaint.closed_at) - _epoch_seconds(Complaint.opened_at))
    ).where(p.has(Complaint.closed_at))
    # one query: the calls, the other tables' figures as scalar subqueries
    calls, in_time, count, fen, voids, closed_count, seconds = (
        CallLog.select(
            fn.COUNT(CallLog.id), fn.SUM(answered), refunds, refunded, voided, closed, took
        )
        .where(p.has(CallLog.received_at))
        .tuples()
        .get()
    )
    report.calls_answered_in_24h = Rate(_int(in_time), _int(calls))
    done = (
        FollowUp.select(FollowUp.done_at, RepairOrder.left_at)
        .join(RepairOrder)
        .where(p.has(FollowUp.done_at) & (FollowUp.state == "done"))
        .tuples()
    )
    window = dt.timedelta(days=FOLLOW_UP_WINDOW_DAYS)
    inside = total = 0
    for done_at, left_at in done:
        total += 1
        inside += left_at is None or done_at.date() <= left_at.date() + window
    report.follow_ups_in_window = Rate(inside, total)
    report.refunds = _int(count)
    report.refunds_total = -_yuan(fen)
    report.settlements_voided = _int(voids)
    report.warranty_claims_by_state = [
        (state, _int(n))
        for state, n in JobLine.select(JobLine.warranty_claim_state, fn.COUNT(JobLine.id))
        .join(RepairOrder)
        .where(p.checked_in() & (JobLine.warranty_claim_state != ""))
        .group_by(JobLine.warranty_claim_state)
        .order_by(JobLine.warranty_claim_state)
        .tuples()
    ]
    report.complaints_closed = _int(closed_count)
    report.complaint_days_average = (
        (Decimal(_int(seconds)) / day / report.complaints_closed).quantize(Decimal("0.1"))
        if report.complaints_closed
        else None
    )


def management_rows(report: MonthlyReport) -> list[tuple[str, str]]:
    """The control figures' rows of the report."""
    from shop_desk.services.aftercare import claim_state_label

    rows = [
        (
            translate("Reports", "Calls answered within 24 hours"),
            _rate_text(report.calls_answered_in_24h),
        ),
        (
            translate("Reports", "Follow-up calls within 3 days"),
            _rate_text(report.follow_ups_in_window),
        ),
        (translate("Reports", "Refunds"), str(report.refunds)),
        (translate("Reports", "Refunds (amount)"), fmt(report.refunds_total)),
        (translate("Reports", "Settlements voided"), str(report.settlements_voided)),
        *(
            (
                translate("Reports", "Warranty claims: {state}").format(
                    state=claim_state_label(state)
                ),
                str(n),
            )
            for state, n in report.warranty_claims_by_state
        ),
        (translate("Reports", "Complaints closed"), str(report.complaints_closed)),
        (
            translate("Reports", "Complaints: average days to close"),
            _opt(report.complaint_days_average),
        ),
    ]
    return rows


def counter_rows(report: MonthlyReport) -> list[tuple[str, str]]:
    """The accessory counter's rows of the report (kept apart from the workshop's)."""
    return [
        (translate("Reports", "Counter sales"), str(report.counter_sales)),
        (translate("Reports", "Counter sales: revenue"), fmt(report.counter_revenue)),
        (translate("Reports", "Counter sales: refunds"), fmt(report.counter_refunds)),
        (translate("Reports", "Counter sales: net"), fmt(report.counter_net)),
        (translate("Reports", "Counter: products brought back"), str(report.counter_cases)),
        (translate("Reports", "Counter: replacements sent"), str(report.counter_replaced)),
    ]


def _insurance(report: MonthlyReport, p: _Period) -> None:
    """The insurers' part billed in the period; receivables open at its end, by insurer."""
    report.insurer_billed = insurer_accounts.revenue(p.start.date(), p.end.date())
    report.insurer_balances = [
        (b.insurer, b.by_age)
        for b in insurer_accounts.balances(p.end.date() - dt.timedelta(days=1))
    ]


def parts_flow_rows(report: MonthlyReport) -> list[tuple[str, str]]:
    """The rows of parts in and out: returns to stock, supplier orders, supplier claims."""
    return [
        (
            translate("Reports", "Parts returned to stock: return slips"),
            str(report.parts_return_slips),
        ),
        (translate("Reports", "Parts returned to stock: value"), fmt(report.parts_returned_value)),
        (translate("Reports", "Supplier orders sent"), str(report.supplier_orders_sent)),
        (
            translate("Reports", "Supplier orders received in full"),
            str(report.supplier_orders_received),
        ),
        (translate("Reports", "Supplier claims opened"), str(report.supplier_claims_opened)),
        (translate("Reports", "Supplier claims answered"), str(report.supplier_claims_answered)),
        (translate("Reports", "Supplier claims: credited"), fmt(report.supplier_credits)),
    ]


def _customers(report: MonthlyReport, p: _Period, names: _Names) -> None:
    """Follow-up calls finished and complaints opened in the period."""
    finished, reached, sat_sum, sat_n, unhappy, not_gone = (
        FollowUp.select(
            fn.COUNT(FollowUp.id),
            fn.SUM(Case(None, [(FollowUp.reached == True, 1)], 0)),  # noqa: E712
            fn.SUM(FollowUp.satisfaction),
            fn.COUNT(FollowUp.satisfaction),
            fn.SUM(Case(None, [(FollowUp.satisfaction <= 2, 1)], 0)),
            fn.SUM(Case(None, [(FollowUp.fault_gone == False, 1)], 0)),  # noqa: E712
        )
        # finished = not open (done or unreachable); "!=" keeps SQLite on the done_at index,
        # where an IN on the state would send it through every call by state
        .where(p.has(FollowUp.done_at) & (FollowUp.state != "open"))
        .tuples()
        .get()
    )
    report.follow_ups = _int(finished)
    report.reached = Rate(_int(reached), _int(finished))
    report.satisfaction_sum = _int(sat_sum)
    report.satisfaction_count = _int(sat_n)
    report.dissatisfied = _int(unhappy)
    report.fault_not_gone = _int(not_gone)

    rows = (
        Complaint.select(Complaint.cause, Complaint.staff_concerned, fn.COUNT(Complaint.id))
        .where(p.has(Complaint.opened_at))
        .group_by(Complaint.cause, Complaint.staff_concerned)
        .tuples()
    )
    by_cause: dict[str, int] = {}
    by_staff: dict[int, int] = {}
    for cause, staff_id, n in rows:
        by_cause[cause] = by_cause.get(cause, 0) + _int(n)
        if staff_id is not None:
            by_staff[staff_id] = by_staff.get(staff_id, 0) + _int(n)
    report.complaints = sum(by_cause.values())
    report.complaints_by_cause = sorted(by_cause.items(), key=lambda kv: (-kv[1], kv[0]))
    report.complaints_by_staff = sorted(
        ((names.staff(k), n) for k, n in by_staff.items()), key=lambda kv: (-kv[1], kv[0])
    )


def _faults(report: MonthlyReport, p: _Period) -> None:
    """Top recurring labour operations, complaint texts and parts (maintenance left out)."""
    orders = fn.COUNT(fn.DISTINCT(JobLine.order))
    repair = (JobLine.auth_state == "authorised") & (JobLine.category != "maintenance")
    report.top_operations = [
        (name, _int(n))
        for _id, name, n in (
            JobLine.select(LabourOperation.id, LabourOperation.name, orders)
            .join(RepairOrder)
            .switch(JobLine)
            .join(LabourOperation)
            .where(p.checked_in() & repair & (JobLine.kind == "labour"))
            .group_by(LabourOperation.id, LabourOperation.name)
            .order_by(orders.desc(), LabourOperation.name)
            .limit(TOP_N)
            .tuples()
        )
    ]
    qty = fn.SUM(JobLine.quantity)
    report.top_parts = [
        (name, _hundredths(q), _int(n))
        for _id, name, q, n in (
            JobLine.select(Part.id, Part.name, qty, orders)
            .join(RepairOrder)
            .switch(JobLine)
            .join(Part)
            .where(p.checked_in() & repair & (JobLine.kind == "part"))
            .group_by(Part.id, Part.name)
            .order_by(qty.desc(), Part.name)
            .limit(TOP_N)
            .tuples()
        )
    ]
    count = fn.COUNT(RepairOrder.id)
    texts = (
        RepairOrder.select(RepairOrder.complaint_text, count)
        .where(p.checked_in() & (RepairOrder.complaint_text != ""))
        .group_by(RepairOrder.complaint_text)
        .order_by(count.desc(), RepairOrder.complaint_text)
        .limit(TEXT_SAMPLE)
        .tuples()
    )
    report.top_complaints = recurring_texts(list(texts))


def recurring_texts(counted: list[tuple[str, int]], top: int = TOP_N) -> list[tuple[str, int]]:
    """Group complaint texts that describe the same problem (:func:`reception.texts_match`);
    routine service requests are left out. Groups seen at least twice, most frequent first."""
    groups: list[list] = []  # [representative text, count]
    for text, n in sorted(counted, key=lambda tn: (-_int(tn[1]), tn[0])):
        clean = " ".join((text or "").split())
        if not clean or any(word in clean.lower() for word in ROUTINE_WORDS):
            continue
        for group in groups:
            if group[0] == clean or texts_match(group[0], clean):
                group[1] += _int(n)
                break
        else:
            groups.append([clean, _int(n)])
    found = [(text, n) for text, n in groups if n >= 2]
    return sorted(found, key=lambda tn: (-tn[1], tn[0]))[:top]


@dataclass
class _Names:
    """Staff and team names by id (two small queries, whatever the period)."""

    staff_names: dict[int, str]
    team_names: dict[int, str]

    @classmethod
    def load(cls) -> _Names:
        return cls(
            dict(Staff.select(Staff.id, Staff.name).tuples()),
            dict(Team.select(Team.id, Team.name).tuples()),
        )

    def staff(self, key: int | None) -> str:
        if key is None:
            return translate("Reports", "(no technician)")
        return self.staff_names.get(key, f"#{key}")

    def team(self, key: int | None) -> str:
        if key is None:
            return translate("Reports", "(no team)")
        return self.team_names.get(key, f"#{key}")


# ------------------------------------------------------------------------------ public API


def range_report(
    start_date: dt.date, end_date: dt.date, progress: Progress | None = None
) -> MonthlyReport:
    """The report for the days ``start_date`` to ``end_date`` (both included); a year is
    twelve months in the month table. ``progress(done, total)`` is called after each step."""
    if not isinstance(start_date, dt.date) or not isinstance(end_date, dt.date):
        raise ValidationError(
            translate("Reports", "Give the first and the last day of the report.")
        )
    if isinstance(start_date, dt.datetime):
        start_date = start_date.date()
    if isinstance(end_date, dt.datetime):
        end_date = end_date.date()
    if end_date < start_date:
        raise ValidationError(
            translate("Reports", "The last day of the report lies before its first day.")
        )
    period = _Period(
        dt.datetime.combine(start_date, dt.time()),
        dt.datetime.combine(end_date + dt.timedelta(days=1), dt.time()),
    )
    report = MonthlyReport(start=start_date, end=end_date, generated_at=clock.now())
    names: _Names | None = None

    def load_names() -> None:
        nonlocal names
        names = _Names.load()

    steps: list[Callable[[], None]] = [
        load_names,
        lambda: _checked_in(report, period),
        lambda: _revenue(report, period),
        lambda: _hours(report, period, names),
        lambda: _quality(report, period),
        lambda: _customers(report, period, names),
        lambda: _faults(report, period),
        lambda: _field(report, period, names),
        lambda: _counter(report, period),
        lambda: _parts_flow(report, period),
        lambda: _management(report, period),
        lambda: _insurance(report, period),
    ]
    total = len(steps)
    if progress:
        progress(0, total)
    for done, step in enumerate(steps, start=1):
        step()
        if progress:
            progress(done, total)
    return report


def monthly_report(year: int, month: int, progress: Progress | None = None) -> MonthlyReport:
    """The report for one calendar month (what the department head hands the manager)."""
    if not isinstance(year, int) or not 2000 <= year <= 2999:
        raise ValidationError(translate("Reports", "Give the year of the report, e.g. 2026."))
    if not isinstance(month, int) or not 1 <= month <= 12:
        raise ValidationError(translate("Reports", "The month must be between 1 and 12."))
    last = calendar.monthrange(year, month)[1]
    return range_report(dt.date(year, month, 1), dt.date(year, month, last), progress)


# ----------------------------------------------------------------------- labels and tables


def pay_type_label(code: str) -> str:
    return {
        "customer": translate("Reports", "Customer pays"),
        "warranty": translate("Reports", "Warranty"),
        "internal": translate("Reports", "Internal"),
        "goodwill": translate("Reports", "Goodwill"),
        "insurance": translate("Reports", "Insurance"),
    }.get(code, code)


def cause_label(code: str) -> str:
    """Complaint causes (the staff-related ones are those the rulebook names)."""
    return {
        "rude": translate("Reports", "Rude to a customer"),
        "money": translate("Reports", "Asked a customer for money or favours"),
        "late": translate("Reports", "Late because of a staff member"),
        "comeback": translate("Reports", "Comeback (same problem repaired twice)"),
        "quality": translate("Reports", "Quality of the work"),
        "price": translate("Reports", "Price"),
        "other": translate("Reports", "Other"),
    }.get(code, code)


def report_title(report: MonthlyReport) -> str:
    last = calendar.monthrange(report.start.year, report.start.month)[1]
    if report.start.day == 1 and report.end == report.start.replace(day=last):
        return translate("Reports", "Monthly report {month}").format(month=f"{report.start:%Y-%m}")
    return translate("Reports", "Report {start} – {end}").format(
        start=report.start.isoformat(), end=report.end.isoformat()
    )


def _rate_text(rate: Rate) -> str:
    if rate.percent is None:
        return "—"
    return translate("Reports", "{percent}% ({part} of {whole})").format(
        percent=rate.percent, part=rate.part, whole=rate.whole
    )


def _opt(value: Decimal | None, suffix: str = "") -> str:
    return "—" if value is None else f"{value}{suffix}"


def _money_opt(value: Decimal | None) -> str:
    return "—" if value is None else fmt(value)


def report_rows(report: MonthlyReport) -> list[tuple[str, str]]:
    """The headline figures as (label, value) text pairs, in reading order."""
    busiest = report.busiest_day
    rows: list[tuple[str, str]] = [
        (translate("Reports", "Period"), f"{report.start.isoformat()} – {report.end.isoformat()}"),
        (translate("Reports", "Repair orders checked in"), str(report.orders_checked_in)),
        (translate("Reports", "Cancelled orders"), str(report.cancelled)),
        (
            translate("Reports", "Cars per day with check-ins (average)"),
            _opt(report.cars_per_day_average),
        ),
        (
            translate("Reports", "Busiest day"),
            "—"
            if busiest is None
            else translate("Reports", "{date}: {cars} cars").format(
                date=busiest[0].isoformat(), cars=busiest[1]
            ),
        ),
        (translate("Reports", "Settled orders"), str(report.settled_orders)),
        (translate("Reports", "Labour revenue"), fmt(report.labour_revenue)),
        (translate("Reports", "Parts revenue"), fmt(report.parts_revenue)),
    ]
    for code in PAY_TYPES:
        rows.append(
            (
                translate("Reports", "Revenue: {pay_type}").format(pay_type=pay_type_label(code)),
                fmt(report.pay_type_revenue(code)),
            )
        )
    rows += [
        (translate("Reports", "Order discounts"), fmt(report.order_discounts)),
        (translate("Reports", "Total revenue (tax included)"), fmt(report.total_revenue)),
        (
            translate("Reports", "Average revenue per settled order"),
            _money_opt(report.average_ticket),
        ),
        (translate("Reports", "Labour hours sold"), str(report.hours_sold)),
        (translate("Reports", "Labour hours clocked"), str(report.hours_clocked)),
        (translate("Reports", "Efficiency (hours sold / clocked)"), _opt(report.efficiency, "%")),
        (translate("Reports", "Delivered on time"), _rate_text(report.on_time)),
        (
            translate("Reports", "Final inspection passed first time"),
            _rate_text(report.qc_first_pass),
        ),
        (translate("Reports", "Comebacks"), _rate_text(report.comebacks)),
        (translate("Reports", "Follow-up calls finished"), str(report.follow_ups)),
        (translate("Reports", "Customers reached"), _rate_text(report.reached)),
        (translate("Reports", "Average satisfaction (1–5)"), _opt(report.average_satisfaction)),
        (translate("Reports", "Dissatisfied customers"), str(report.dissatisfied)),
        (translate("Reports", "Fault not gone after the repair"), str(report.fault_not_gone)),
        (translate("Reports", "Complaints"), str(report.complaints)),
        (translate("Reports", "Field jobs"), str(report.field_jobs)),
        *(
            (
                translate("Reports", "Field jobs: {kind}").format(kind=field_kind_label(kind)),
                str(n),
            )
            for kind, n in report.field_jobs_by_kind
        ),
        (translate("Reports", "Field: on site on time"), _rate_text(report.field_on_time)),
        (
            translate("Reports", "Field: service reports complete"),
            _rate_text(report.field_reports_complete),
        ),
        (
            translate("Reports", "Field: average satisfaction (1–5)"),
            _opt(report.field_average_satisfaction),
        ),
        (translate("Reports", "Field: expenses claimed"), fmt(report.expenses_claimed)),
        (translate("Reports", "Field: expenses approved"), fmt(report.expenses_approved)),
        (translate("Reports", "Field: expenses paid"), fmt(report.field_expenses)),
        (translate("Reports", "Penalty cases"), str(report.penalty_cases)),
        (translate("Reports", "Major demerits"), str(report.major_demerits)),
        (translate("Reports", "Penalties (amount)"), fmt(report.penalty_amount)),
        (translate("Reports", "Insurance: billed to insurers"), fmt(report.insurer_billed)),
        (
            translate("Reports", "Insurer receivables outstanding"),
            fmt(report.insurer_outstanding),
        ),
    ]
    for label, amount in zip(
        insurer_accounts.age_bracket_labels(), report.insurer_by_age, strict=True
    ):
        rows.append(
            (translate("Reports", "Insurer receivables: {age}").format(age=label), fmt(amount))
        )
    rows += management_rows(report)
    rows += counter_rows(report)
    rows += parts_flow_rows(report)
    return rows


def report_tables(report: MonthlyReport) -> dict[str, list[Row]]:
    """Every table of the report, header row first; cells keep their types (int, Decimal,
    date) so a spreadsheet gets numbers. The keys are the translated table titles."""
    hours_header = (
        translate("Reports", "Hours sold"),
        translate("Reports", "Hours clocked"),
        translate("Reports", "Efficiency (%)"),
    )
    revenue: list[Row] = [
        (
            translate("Reports", "Pay type"),
            translate("Reports", "Labour"),
            translate("Reports", "Parts"),
            translate("Reports", "Total"),
        )
    ]
    for code in PAY_TYPES:
        cell = report.revenue.get(code, {})
        labour, parts = cell.get("labour", ZERO), cell.get("part", ZERO)
        revenue.append((pay_type_label(code), labour, parts, money(labour + parts)))
    revenue.append(
        (translate("Reports", "Order discounts"), None, None, money(-report.order_discounts))
    )
    revenue.append(
        (
            translate("Reports", "Total revenue (tax included)"),
            report.labour_revenue,
            report.parts_revenue,
            report.total_revenue,
        )
    )
    return {
        translate("Reports", "Summary"): [
            (translate("Reports", "Figure"), translate("Reports", "Value")),
            *report_rows(report),
        ],
        translate("Reports", "Cars per day"): [
            (translate("Reports", "Date"), translate("Reports", "Cars checked in")),
            *report.cars_per_day,
        ],
        translate("Reports", "Months"): [
            (
                translate("Reports", "Month"),
                translate("Reports", "Repair orders checked in"),
                translate("Reports", "Settled orders"),
                translate("Reports", "Revenue"),
            ),
            *((m.month, m.checked_in, m.settled, m.revenue) for m in report.months),
        ],
        translate("Reports", "Revenue"): revenue,
        translate("Reports", "Teams"): [
            (translate("Reports", "Team"), *hours_header),
            *((r.name, r.sold, r.clocked, r.efficiency) for r in report.teams),
        ],
        translate("Reports", "Technicians"): [
            (translate("Reports", "Technician"), *hours_header),
            *((r.name, r.sold, r.clocked, r.efficiency) for r in report.technicians),
        ],
        translate("Reports", "Complaints by cause"): [
            (translate("Reports", "Cause"), translate("Reports", "Complaints")),
            *((cause_label(c), n) for c, n in report.complaints_by_cause),
        ],
        translate("Reports", "Complaints by staff"): [
            (translate("Reports", "Staff member"), translate("Reports", "Complaints")),
            *report.complaints_by_staff,
        ],
        translate("Reports", "Recurring work"): [
            (translate("Reports", "Labour operation"), translate("Reports", "Orders")),
            *report.top_operations,
        ],
        translate("Reports", "Recurring complaints"): [
            (translate("Reports", "Customer's complaint"), translate("Reports", "Orders")),
            *report.top_complaints,
        ],
        translate("Reports", "Parts"): [
            (
                translate("Reports", "Part"),
                translate("Reports", "Quantity"),
                translate("Reports", "Orders"),
            ),
            *report.top_parts,
        ],
        translate("Reports", "Field jobs"): [
            (translate("Reports", "Kind of job"), translate("Reports", "Field jobs")),
            *((field_kind_label(kind), n) for kind, n in report.field_jobs_by_kind),
        ],
        translate("Reports", "Penalties per person"): [
            (
                translate("Reports", "Staff member"),
                translate("Reports", "Penalty cases"),
                translate("Reports", "Major demerits"),
                translate("Reports", "Amount"),
            ),
            *((r.name, r.cases, r.major_demerits, r.amount) for r in report.penalties_by_person),
        ],
        translate("Reports", "Insurer receivables"): [
            (
                translate("Reports", "Insurer"),
                *insurer_accounts.age_bracket_labels(),
                translate("Reports", "Total"),
            ),
            *((name, *ages, total(ages)) for name, ages in report.insurer_balances),
        ],
    }


def report_text(report: MonthlyReport) -> str:
    """The whole report as aligned plain text (for the command line)."""
    parts = [report_title(report), ""]
    for title, rows in report_tables(report).items():
        parts.append(f"== {title} ==")
        parts.append(text_table(rows))
        parts.append("")
    return "\n".join(parts).rstrip() + "\n"


def report_csv_rows(report: MonthlyReport) -> list[Row]:
    """All tables in one sheet for CSV: a title line before each, an empty line after."""
    rows: list[Row] = [(report_title(report),), ()]
    for title, table in report_tables(report).items():
        rows.append((title,))
        rows.extend(table)
        rows.append(())
    return rows


def export_report(
    report: MonthlyReport, csv_path: str | Path | None = None, xlsx_path: str | Path | None = None
) -> list[Path]:
    """Write the report as CSV (all tables in one file) and/or XLSX (one sheet per table)."""
    written = []
    if csv_path:
        written.append(write_csv(report_csv_rows(report), csv_path))
    if xlsx_path:
        written.append(write_xlsx(report_tables(report), xlsx_path))
    return written


def cli_monthly(
    year: int, month: int, csv_path: str | Path | None = None, xlsx_path: str | Path | None = None
) -> str:
    """``shop-desk report monthly YYYY-MM [--csv FILE | --xlsx FILE]``: the text to print."""
    report = monthly_report(year, month)
    text = report_text(report)
    for path in export_report(report, csv_path, xlsx_path):
        text += translate("Reports", "Written: {path}").format(path=path) + "\n"
    return text
