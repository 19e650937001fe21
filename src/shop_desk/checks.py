"""Consistency check of a shop database: SQLite's own checks (on PostgreSQL: foreign keys and
the audit log's protection, see :mod:`shop_desk.postgres`) plus the process rules.

The services refuse every step that would break these rules, so a problem found here means
the file was edited by hand, damaged, or a bug slipped through. ``shop-desk check`` prints
the problems; each sentence names the repair order (or part) concerned. All rules run as a
fixed number of aggregate queries, however many orders the shop has.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal

import peewee

from shop_desk.db import database, is_postgres, is_sqlite
from shop_desk.i18n import translate
from shop_desk.migrations import LATEST, missing_protection, schema_version
from shop_desk.models import (
    Approval,
    AuditLog,
    CounterPayment,
    CounterSale,
    CounterSaleLine,
    GatePass,
    JobLine,
    Part,
    PartsIssueSlip,
    PartsReturnSlip,
    Payment,
    QcCheck,
    RepairOrder,
    Settlement,
)
from shop_desk.states import State, state_label

#: States in which the customer has paid (or been given credit) for the order.
PAID_STATES = (State.SETTLED, State.LEFT, State.CLOSED)
#: States reached only through a passed final inspection.
AFTER_FINAL_QC = (State.WASHING, State.READY, State.DELIVERED, *PAID_STATES)
#: States in which the workshop has the car, so the task order must be signed.
NEEDS_SIGNATURE = tuple(
    s for s in State if s not in (State.BOOKED, State.CHECKED_IN, State.CANCELLED)
)
#: States after dispatch: a team must be assigned.
NEEDS_TEAM = tuple(s for s in NEEDS_SIGNATURE if s != State.AWAITING_DISPATCH)
#: Manager approvals that put (part of) a bill on the customer's account.
CREDIT_APPROVED = ("approved", "used")


def _label(state: str) -> str:
    try:
        return state_label(state)
    except ValueError:
        return state


def _yuan(fen: int | None) -> str:
    return f"{(Decimal(int(fen or 0)) / 100).quantize(Decimal('0.01')):,}"


def _count(column: peewee.Field) -> peewee.Function:
    return peewee.fn.COUNT(column)


def _raw_sum(column: peewee.Field) -> peewee.Function:
    """SUM of a scaled-integer money column, kept as the integer (fen)."""
    return peewee.fn.SUM(column).coerce(False)


def sqlite_problems(db: peewee.Database) -> list[str]:
    """SQLite's integrity_check and foreign_key_check, one sentence per finding."""
    problems = []
    rows = db.execute_sql("PRAGMA integrity_check").fetchall()
    if [tuple(r) for r in rows] != [("ok",)]:
        for (detail,) in rows:
            problems.append(
                translate("Checks", "The database file is damaged: {detail}").format(detail=detail)
            )
    for table, rowid, parent, _fkid in db.execute_sql("PRAGMA foreign_key_check").fetchall():
        problems.append(
            translate(
                "Checks", "Row {rowid} of table {table} refers to a missing row in {parent}."
            ).format(rowid=rowid, table=table, parent=parent)
        )
    return problems


def protection_problems(db: peewee.Database) -> list[str]:
    """Every protecting trigger of the audit log that is missing (or disabled on a server):
    without them the log could be changed or emptied without a trace."""
    return [
        translate(
            "Checks",
            "The audit log is not protected against changes: its trigger {name} "
            "is missing or disabled.",
        ).format(name=name)
        for name in missing_protection(db)
    ]


def _kept_here() -> peewee.Expression:
    """Orders worked in shop-desk: history imported from an old system (closed, with no
    settlement, inspection or signature recorded here) is not held to the process rules."""
    return RepairOrder.import_batch.is_null()


def _invalid_states() -> list[str]:
    valid = [s.value for s in State]
    query = (
        RepairOrder.select(RepairOrder.number, RepairOrder.state)
        .where(RepairOrder.state.not_in(valid) | RepairOrder.state.is_null())
        .order_by(RepairOrder.number)
        .tuples()
    )
    return [
        translate("Checks", "Order {number} has an unknown state “{state}”.").format(
            number=n, state=s
        )
        for n, s in query
    ]


def _settlements() -> list[str]:
    paid_states = [s.value for s in PAID_STATES]
    in_paid = RepairOrder.state.in_(paid_states)
    settled = {
        oid: (count, total, credit, refunded)
        for oid, count, total, credit, refunded in Settlement.select(
            Settlement.order,
            _count(Settlement.id),
            _raw_sum(Settlement.customer_total),
            _raw_sum(Settlement.credit_total),
            _raw_sum(Settlement.refunded_total),
        )
        .join(RepairOrder)
        .where((Settlement.state == "active") & in_paid)
        .group_by(Settlement.order)
        .tuples()
    }
    refund = peewee.Case(None, [(Payment.amount < 0, 0 - Payment.amount)], 0)
    paid = {
        oid: (amount, refunds)
        for oid, amount, refunds in Payment.select(
            Payment.order, _raw_sum(Payment.amount), _raw_sum(refund)
        )
        .join(RepairOrder)
        .where((Payment.void == False) & in_paid)  # noqa: E712
        .group_by(Payment.order)
        .tuples()
    }
    credit = {
        oid: (amount, open_amount)
        for oid, amount, open_amount in Approval.select(
            Approval.order,
            _raw_sum(Approval.amount),
            peewee.fn.SUM(peewee.Case(None, [(Approval.amount.is_null(), 1)], 0)),
        )
        .join(RepairOrder)
        .where((Approval.kind == "credit") & Approval.state.in_(CREDIT_APPROVED) & in_paid)
        .group_by(Approval.order)
        .tuples()
    }
    problems = []
    orders = RepairOrder.select(RepairOrder.id, RepairOrder.number, RepairOrder.state).where(
        in_paid & _kept_here()
    )
    for oid, number, state in orders.order_by(RepairOrder.number).tuples():
        if oid not in settled:
            problems.append(
                translate(
                    "Checks", "Order {number} is {state} but has no active settlement."
                ).format(number=number, state=_label(state))
            )
            continue
        count, total, credit_total, refunded = settled[oid]
        if count > 1:
            problems.append(
                translate(
                    "Checks",
                    "Order {number} has {count} active settlements; only one may be active.",
                ).format(number=number, count=count)
            )
            continue
        amount, open_amount = credit.get(oid, (0, 0))
        approved = int(amount or 0) + (int(credit_total or 0) if open_amount else 0)
        received, refunds = (int(x or 0) for x in paid.get(oid, (0, 0)))
        refunded = int(refunded or 0)
        if refunded > refunds:
            problems.append(
                translate(
                    "Checks",
                    "Order {number}: its settlement records {refunded} refunded but its refund "
                    "payments come to {refunds}.",
                ).format(number=number, refunded=_yuan(refunded), refunds=_yuan(refunds))
            )
        # refunds the manager approved after settling lower what the customer had to pay
        if received + approved + refunded < int(total or 0):
            problems.append(
                translate(
                    "Checks",
                    "Order {number} is {state} but payments ({paid}) and approved credit ({credit}) do "
                    "not cover the customer total ({total}).",
                ).format(
                    number=number,
                    state=_label(state),
                    paid=_yuan(received),
                    credit=_yuan(approved),
                    total=_yuan(total),
                )
            )
    return problems


def _final_qc() -> list[str]:
    states = [s.value for s in AFTER_FINAL_QC]
    ranked = (
        QcCheck.select(
            QcCheck.order.alias("order_id"),
            QcCheck.passed.alias("passed"),
            peewee.fn.ROW_NUMBER()
            .over(partition_by=[QcCheck.order], order_by=[QcCheck.at.desc(), QcCheck.id.desc()])
            .alias("rank"),
        )
        .join(RepairOrder)
        .where((QcCheck.stage == "final") & RepairOrder.state.in_(states))
    )
    last = {
        oid: bool(passed)
        for oid, passed in peewee.Select([ranked], [ranked.c.order_id, ranked.c.passed])
        .where(ranked.c.rank == 1)
        .bind(database)
        .tuples()
    }
    problems = []
    orders = RepairOrder.select(RepairOrder.id, RepairOrder.number, RepairOrder.state).where(
        RepairOrder.state.in_(states) & _kept_here()
    )
    for oid, number, state in orders.order_by(RepairOrder.number).tuples():
        if oid not in last:
            problems.append(
                translate(
                    "Checks", "Order {number} is {state} but has no final inspection."
                ).format(number=number, state=_label(state))
            )
        elif not last[oid]:
            problems.append(
                translate(
                    "Checks", "Order {number} is {state} but its last final inspection failed."
                ).format(number=number, state=_label(state))
            )
    return problems


def _unsigned() -> list[str]:
    query = (
        RepairOrder.select(RepairOrder.number, RepairOrder.state)
        .where(
            RepairOrder.state.in_([s.value for s in NEEDS_SIGNATURE])
            & RepairOrder.signed_at.is_null()
            & (RepairOrder.signed_on_paper == False)  # noqa: E712
            & _kept_here()
        )
        .order_by(RepairOrder.number)
        .tuples()
    )
    return [
        translate(
            "Checks", "Order {number} is {state} but the customer has not signed the task order."
        ).format(number=n, state=_label(s))
        for n, s in query
    ]


def _unsigned_slips() -> list[str]:
    """A parts issue slip unsigned past the self-check (the self-check waits for it)."""
    states = [State.FINAL_QC.value, *(s.value for s in AFTER_FINAL_QC)]
    query = (
        PartsIssueSlip.select(PartsIssueSlip.number, RepairOrder.number, RepairOrder.state)
        .join(RepairOrder)
        .where(PartsIssueSlip.signed_at.is_null() & RepairOrder.state.in_(states) & _kept_here())
        .order_by(RepairOrder.number, PartsIssueSlip.number)
        .tuples()
    )
    return [
        translate(
            "Checks",
            "Order {number} is {state} but its parts issue slip {slip} was never signed by the "
            "technician.",
        ).format(number=n, state=_label(s), slip=slip)
        for slip, n, s in query
    ]


def _no_team() -> list[str]:
    query = (
        RepairOrder.select(RepairOrder.number, RepairOrder.state)
        .where(
            RepairOrder.state.in_([s.value for s in NEEDS_TEAM])
            & RepairOrder.team.is_null()
            & _kept_here()
        )
        .order_by(RepairOrder.number)
        .tuples()
    )
    return [
        translate("Checks", "Order {number} is {state} but no team is assigned to it.").format(
            number=n, state=_label(s)
        )
        for n, s in query
    ]


def _stock() -> list[str]:
    problems = []
    query = (
        Part.select(Part.part_no, Part.stock_qty, Part.reserved_qty)
        .where(
            (Part.stock_qty < 0) | (Part.reserved_qty < 0) | (Part.reserved_qty > Part.stock_qty)
        )
        .order_by(Part.part_no)
        .tuples()
    )
    for part_no, stock, reserved in query:
        if stock < 0:
            problems.append(
                translate("Checks", "Part {part} has a negative stock ({stock}).").format(
                    part=part_no, stock=stock
                )
            )
        else:
            problems.append(
                translate(
                    "Checks", "Part {part} has {reserved} reserved but only {stock} in stock."
                ).format(part=part_no, reserved=reserved, stock=stock)
            )
    return problems


def _returns() -> list[str]:
    """Parts returned to stock: no line gives back more than it drew, and a return slip is
    signed by the technician before the car is handed over."""
    problems = [
        translate(
            "Checks",
            "Order {number}: line {line} has more parts returned to stock than were issued.",
        ).format(number=n, line=d)
        for n, d in JobLine.select(RepairOrder.number, JobLine.description)
        .join(RepairOrder)
        .where((JobLine.parts_issued < 0) | (JobLine.quantity < 0))
        .order_by(RepairOrder.number)
        .tuples()
    ]
    handed_over = (State.DELIVERED, *PAID_STATES)
    problems += [
        translate(
            "Checks",
            "Return slip {slip} of order {number} is not signed by the technician, but the car "
            "is {state}.",
        ).format(slip=slip, number=n, state=_label(st))
        for slip, n, st in PartsReturnSlip.select(
            PartsReturnSlip.number, RepairOrder.number, RepairOrder.state
        )
        .join(RepairOrder)
        .where(
            PartsReturnSlip.signed_at.is_null()
            & RepairOrder.state.in_([x.value for x in handed_over])
        )
        .order_by(PartsReturnSlip.number)
        .tuples()
    ]
    return problems


def _unauthorised_done() -> list[str]:
    query = (
        JobLine.select(RepairOrder.number, JobLine.description)
        .join(RepairOrder)
        .where(JobLine.auth_state.in_(["proposed", "declined"]) & (JobLine.work_state == "done"))
        .order_by(RepairOrder.number, JobLine.sort, JobLine.id)
        .tuples()
    )
    return [
        translate(
            "Checks",
            "Order {number}: the line “{line}” is done but the customer has not authorised it.",
        ).format(number=n, line=d)
        for n, d in query
    ]


def _gate_passes() -> list[str]:
    query = (
        GatePass.select(RepairOrder.number, RepairOrder.state, GatePass.number)
        .join(RepairOrder)
        .where(
            GatePass.used_at.is_null(False)
            & RepairOrder.state.not_in([State.LEFT.value, State.CLOSED.value])
        )
        .order_by(RepairOrder.number)
        .tuples()
    )
    return [
        translate(
            "Checks", "Order {number} is {state} but its gate pass {gate_pass} has been used."
        ).format(number=n, state=_label(s), gate_pass=g)
        for n, s, g in query
    ]


def _audit_trail(db: peewee.Database) -> list[str]:
    """The last state recorded in an order's audit trail must be its current state."""
    if is_sqlite(db):
        has_state = peewee.SQL(
            "(CASE WHEN json_valid(\"after\") THEN json_type(\"after\", '$.state') END) = 'text'"
        )
    else:
        has_state = AuditLog.after.contains('"state"')
    latest = (
        AuditLog.select(AuditLog.entity_id, peewee.fn.MAX(AuditLog.id).alias("last_id"))
        .where((AuditLog.entity == "repair_order") & has_state)
        .group_by(AuditLog.entity_id)
    )
    query = (
        AuditLog.select(RepairOrder.number, RepairOrder.state, AuditLog.after)
        .join(latest, on=(AuditLog.id == latest.c.last_id))
        .join(RepairOrder, on=(RepairOrder.id == AuditLog.entity_id))
        .order_by(RepairOrder.number)
        .tuples()
    )
    problems = []
    for number, state, after in query:
        try:
            logged = json.loads(after).get("state")
        except (ValueError, AttributeError):
            continue
        if isinstance(logged, str) and logged != state:
            problems.append(
                translate(
                    "Checks",
                    "Order {number} is {state} but its audit log last recorded it as {logged}.",
                ).format(number=number, state=_label(state), logged=_label(logged))
            )
    return problems


#: The process rules, each one function of a few aggregate queries.
def _counter_sales() -> list[str]:
    """The accessory counter: a sale's total is the sum of its lines, and what was paid for
    it, less refunds, is neither negative nor more than the total (two grouped queries)."""
    problems = []
    lines = (
        CounterSaleLine.select(CounterSaleLine.sale, _raw_sum(CounterSaleLine.amount).alias("s"))
        .group_by(CounterSaleLine.sale)
        .alias("l")
    )
    query = (
        CounterSale.select(CounterSale.number, CounterSale.total, lines.c.s)
        .join(lines, peewee.JOIN.LEFT_OUTER, on=(lines.c.sale_id == CounterSale.id))
        .where(peewee.fn.COALESCE(lines.c.s, 0) != CounterSale.total)
        .order_by(CounterSale.number)
        .tuples()
    )
    for number, sale_total, lines_fen in query:
        problems.append(
            translate(
                "Checks", "Counter receipt {number}: its total {total} is not its lines' {lines}."
            ).format(number=number, total=f"{sale_total:,}", lines=_yuan(lines_fen))
        )
    payments = (
        CounterPayment.select(CounterPayment.sale, _raw_sum(CounterPayment.amount).alias("p"))
        .group_by(CounterPayment.sale)
        .alias("pay")
    )
    query = (
        CounterSale.select(CounterSale.number, CounterSale.total, payments.c.p)
        .join(payments, on=(payments.c.sale_id == CounterSale.id))
        .where((payments.c.p < 0) | (payments.c.p > CounterSale.total))
        .order_by(CounterSale.number)
        .tuples()
    )
    for number, sale_total, paid_fen in query:
        problems.append(
            translate(
                "Checks",
                "Counter receipt {number}: {paid} was paid after refunds, which is not between "
                "nothing and its total {total}.",
            ).format(number=number, paid=_yuan(paid_fen), total=f"{sale_total:,}")
        )
    return problems


DOMAIN_RULES: tuple[Callable[[], list[str]], ...] = (
    _invalid_states,
    _settlements,
    _final_qc,
    _unsigned,
    _unsigned_slips,
    _no_team,
    _stock,
    _returns,
    _unauthorised_done,
    _gate_passes,
    _counter_sales,
)


def check_database(db: peewee.Database | None = None) -> list[str]:
    """All problems found in the open shop database (empty list: consistent)."""
    db = db or database.obj
    problems: list[str] = []
    if is_sqlite(db):
        problems += sqlite_problems(db)
    elif is_postgres(db):
        from shop_desk.postgres import postgres_problems

        problems += postgres_problems(db)
    problems += protection_problems(db)
    version = schema_version(db)
    if version > LATEST:
        problems.append(
            translate(
                "Checks",
                "The database has schema {found}, made by a newer version of shop-desk (this "
                "program knows up to {latest}); its rules were not checked.",
            ).format(found=version, latest=LATEST)
        )
        return problems
    if version != LATEST:
        problems.append(
            translate(
                "Checks",
                "The database has schema {found}; this program uses schema {latest}. Open it once "
                "with shop-desk to upgrade it, then check again.",
            ).format(found=version, latest=LATEST)
        )
        return problems
    try:
        for rule in DOMAIN_RULES:
            problems += rule()
        problems += _audit_trail(db)
    except peewee.DatabaseError as exc:
        problems.append(
            translate("Checks", "The process rules could not be checked: {error}").format(error=exc)
        )
    return problems
