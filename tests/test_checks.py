"""The consistency check: a clean shop passes, and each rule catches a deliberately broken row."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from factories import make_order
from shop_desk import clock, i18n
from shop_desk.checks import check_database
from shop_desk.migrations import LATEST
from shop_desk.models import (
    Approval,
    AuditLog,
    GatePass,
    JobLine,
    Part,
    PartsIssueSlip,
    Payment,
    QcCheck,
    RepairOrder,
    Settlement,
)
from shop_desk.services.orders import order_totals
from shop_desk.states import State


@pytest.fixture(autouse=True)
def _english(qapp):
    """Messages are compared in English whatever another test installed before."""
    i18n.install_language("en")


def paid_order(state: State) -> RepairOrder:
    """An order in a paid state with exactly one active settlement, paid in full in cash, and a
    used gate pass once it left (kept from the factory if it already recorded them)."""
    order = make_order(state)
    active = Settlement.select().where((Settlement.order == order) & (Settlement.state == "active"))
    if not active.exists():
        total = order_totals(order).customer_total
        Settlement.create(
            order=order, number=f"ST-{order.number}", customer_total=total, paid_total=total
        )
        Payment.create(order=order, method="cash", amount=total, receipt_no=f"R-{order.number}")
    used = GatePass.select().where((GatePass.order == order) & GatePass.used_at.is_null(False))
    if state in (State.LEFT, State.CLOSED) and not used.exists():
        GatePass.create(order=order, number=f"GP-{order.number}", code="1234", used_at=clock.now())
    return order


def pay_only(order: RepairOrder, amount: Decimal) -> None:
    """Leave ``amount`` as the only valid payment of the order."""
    Payment.update(void=True).where(Payment.order == order).execute()
    Payment.create(order=order, method="cash", amount=amount, receipt_no=f"R-part-{order.number}")


def customer_total(order: RepairOrder) -> Decimal:
    return Settlement.get(
        (Settlement.order == order) & (Settlement.state == "active")
    ).customer_total


@pytest.fixture
def shop(db):
    """A sample shop with a consistent order in every state."""
    orders = {}
    for state in State:
        if state in (State.SETTLED, State.LEFT, State.CLOSED):
            orders[state] = paid_order(state)
        else:
            orders[state] = make_order(state)
    return orders


def only(problems: list[str], *words: str) -> str:
    assert len(problems) == 1, problems
    for word in words:
        assert word in problems[0], problems
    return problems[0]


def test_clean_shop_has_no_problems(db, shop):
    assert check_database(db) == []


def test_clean_shop_with_audit_trail_passes(db, shop):
    order = shop[State.READY]
    AuditLog.create(
        action="move",
        entity="repair_order",
        entity_id=order.id,
        before=json.dumps({"state": "final_qc"}),
        after=json.dumps({"state": "ready"}),
    )
    AuditLog.create(action="edit", entity="repair_order", entity_id=order.id, after="")
    assert check_database(db) == []


def test_settled_order_without_settlement(db):
    order = paid_order(State.SETTLED)
    Settlement.delete().where(Settlement.order == order).execute()
    only(check_database(db), order.number, "no active settlement")


def test_voided_settlement_does_not_count(db):
    order = paid_order(State.LEFT)
    Settlement.update(state="void").where(Settlement.order == order).execute()
    only(check_database(db), order.number, "no active settlement")


def test_two_active_settlements(db):
    order = paid_order(State.SETTLED)
    Settlement.create(order=order, number="ST-second", customer_total=Decimal("1.00"))
    only(check_database(db), order.number, "2 active settlements")


def test_underpaid_settlement(db):
    order = paid_order(State.SETTLED)
    pay_only(order, Decimal("50.00"))
    text = only(check_database(db), order.number, "do not cover")
    assert "(50.00)" in text


def test_void_payment_does_not_count(db):
    order = paid_order(State.CLOSED)
    Payment.update(void=True).where(Payment.order == order).execute()
    only(check_database(db), order.number, "do not cover")


def test_approved_credit_covers_the_rest(db, staff):
    order = paid_order(State.SETTLED)
    pay_only(order, Decimal("50.00"))
    approval = Approval.create(
        kind="credit",
        order=order,
        amount=customer_total(order) - Decimal("50.00"),
        reason="on account",
        state="pending",
        requested_by=staff["advisor"],
    )
    only(check_database(db), order.number, "do not cover")
    approval.state = "approved"
    approval.save()
    assert check_database(db) == []


def test_delivered_without_final_inspection(db):
    order = make_order(State.DELIVERED)
    QcCheck.delete().where((QcCheck.order == order) & (QcCheck.stage == "final")).execute()
    only(check_database(db), order.number, "no final inspection")


def test_last_final_inspection_failed(db, staff):
    order = make_order(State.READY)
    later = clock.now() + dt.timedelta(minutes=5)
    QcCheck.create(
        order=order, stage="final", passed=False, reason="noise", by=staff["inspector"], at=later
    )
    only(check_database(db), order.number, "last final inspection failed")
    QcCheck.create(
        order=order,
        stage="final",
        passed=True,
        by=staff["inspector"],
        at=later + dt.timedelta(hours=1),
    )
    assert check_database(db) == []


def test_workshop_order_without_signature(db):
    order = make_order(State.IN_PROGRESS)
    make_order(State.CHECKED_IN)  # not signed yet: allowed before the handover
    RepairOrder.update(signed_at=None, signed_on_paper=False).where(
        RepairOrder.id == order.id
    ).execute()
    only(check_database(db), order.number, "not signed")


def test_signature_on_paper_is_enough(db):
    order = make_order(State.AWAITING_DISPATCH)
    RepairOrder.update(signed_at=None, signed_on_paper=True).where(
        RepairOrder.id == order.id
    ).execute()
    assert check_database(db) == []


def test_dispatched_order_without_team(db):
    order = make_order(State.WAITING_PARTS)
    RepairOrder.update(team=None).where(RepairOrder.id == order.id).execute()
    only(check_database(db), order.number, "no team")


def test_parts_issue_slip_never_signed_past_the_self_check(db, staff):
    order = make_order(State.READY)
    slip = PartsIssueSlip.create(
        order=order, number="CK261102-099", issued_by=staff["parts"], technician=staff["tech1"]
    )
    only(check_database(db), order.number, slip.number, "never signed")
    waiting = make_order(State.IN_PROGRESS)  # still before the self-check: not a problem
    PartsIssueSlip.create(order=waiting, number="CK261102-098", technician=staff["tech1"])
    only(check_database(db), order.number)


def test_negative_stock(db):
    Part.update(stock_qty=Decimal("-1")).where(Part.part_no == "FLT-AIR").execute()
    only(check_database(db), "FLT-AIR", "negative stock")


def test_more_reserved_than_in_stock(db):
    Part.update(stock_qty=Decimal("2"), reserved_qty=Decimal("3")).where(
        Part.part_no == "PAD-F"
    ).execute()
    only(check_database(db), "PAD-F", "3.00 reserved", "2.00 in stock")


def test_unauthorised_line_done(db):
    order = make_order(State.IN_PROGRESS)
    JobLine.create(
        order=order,
        kind="labour",
        description="更换雨刮片 Replace wiper blades",
        hours=Decimal("0.2"),
        rate=Decimal("180"),
        origin="additional",
        auth_state="proposed",
        work_state="done",
    )
    only(check_database(db), order.number, "Replace wiper blades", "not authorised")


def test_unknown_state(db):
    order = make_order(State.IN_PROGRESS)
    RepairOrder.update(state="teleported").where(RepairOrder.id == order.id).execute()
    only(check_database(db), order.number, "unknown state", "teleported")


def test_gate_pass_used_before_the_order_left(db):
    order = paid_order(State.SETTLED)
    GatePass.create(order=order, number="GP-early", code="9", used_at=clock.now())
    only(check_database(db), order.number, "GP-early")


def test_unused_gate_pass_is_fine(db):
    order = paid_order(State.SETTLED)
    GatePass.create(order=order, number="GP-printed", code="9")
    assert check_database(db) == []


def test_state_differs_from_audit_log(db, staff):
    order = make_order(State.READY)
    AuditLog.create(
        action="move",
        entity="repair_order",
        entity_id=order.id,
        after=json.dumps({"state": "in_progress"}),
    )
    # a later entry that does not touch the state does not hide the mismatch
    AuditLog.create(
        action="edit",
        entity="repair_order",
        entity_id=order.id,
        after=json.dumps({"diagnosis": "state of the brakes"}),
    )
    only(check_database(db), order.number, "audit log", "In progress")
    AuditLog.create(
        action="move",
        entity="repair_order",
        entity_id=order.id,
        after=json.dumps({"state": "ready"}),
    )
    assert check_database(db) == []


@pytest.mark.sqlite_only  # the PostgreSQL variant is in tests/test_postgres.py
def test_foreign_key_check(db):
    order = make_order(State.IN_PROGRESS)
    line = JobLine.get(JobLine.order == order)
    db.execute_sql("PRAGMA foreign_keys = OFF")
    try:
        db.execute_sql("UPDATE job_line SET order_id = 999999 WHERE id = ?", (line.id,))
    finally:
        db.execute_sql("PRAGMA foreign_keys = ON")
    only(check_database(db), f"Row {line.id}", "job_line", "repair_order")


@pytest.mark.sqlite_only
def test_integrity_check(db):
    db.execute_sql("CREATE TABLE scratch (x INTEGER CHECK (x > 0))")
    db.execute_sql("PRAGMA ignore_check_constraints = ON")
    try:
        db.execute_sql("INSERT INTO scratch VALUES (-1)")
    finally:
        db.execute_sql("PRAGMA ignore_check_constraints = OFF")
    only(check_database(db), "damaged", "scratch")


def test_old_schema_is_reported(db):
    db.execute_sql(f"UPDATE schema_version SET version = {db.param}", (LATEST - 1,))
    only(check_database(db), f"schema {LATEST - 1}", "upgrade")


def test_newer_schema_is_reported(db):
    db.execute_sql(f"UPDATE schema_version SET version = {db.param}", (LATEST + 1,))
    only(check_database(db), f"schema {LATEST + 1}", "newer version")


def test_query_count_does_not_grow_with_the_orders(db, monkeypatch):
    """Aggregate queries only: ten times the orders, the same number of statements."""
    calls = []
    real = db.execute_sql

    def counting(sql, params=None, *args, **kwargs):
        calls.append(sql)
        return real(sql, params, *args, **kwargs)

    def count() -> int:
        calls.clear()
        monkeypatch.setattr(db, "execute_sql", counting)
        try:
            assert check_database(db) == []
        finally:
            monkeypatch.setattr(db, "execute_sql", real)
        return len(calls)

    for state in (State.SETTLED, State.READY, State.IN_PROGRESS):
        paid_order(state) if state == State.SETTLED else make_order(state)
    few = count()
    for _ in range(10):
        for state in (State.SETTLED, State.READY, State.IN_PROGRESS):
            paid_order(state) if state == State.SETTLED else make_order(state)
    assert RepairOrder.select().count() == 33
    assert count() == few


def test_missing_audit_triggers_are_reported_and_put_back_on_open(db):
    """Issue 17 item 9: every protecting trigger of the audit log is checked, on a file as on
    a server, and opening the database puts the missing ones back with an audit entry."""
    from shop_desk.db import close_database, database_url, is_sqlite, open_database
    from shop_desk.migrations import missing_protection

    dropped = ["audit_log_no_delete", "audit_log_no_update"]
    where = "" if is_sqlite(db) else " ON audit_log"
    for name in dropped:
        db.execute_sql(f"DROP TRIGGER {name}{where}")
    problems = check_database(db)
    assert len(problems) == 2, problems
    assert all("not protected" in p for p in problems)
    assert {name for name in dropped for p in problems if name in p} == set(dropped)
    url = database_url(db)
    close_database()
    db = open_database(url)
    assert missing_protection(db) == []
    assert check_database(db) == []
    entry = AuditLog.get(AuditLog.action == "restore_audit_protection")
    assert sorted(json.loads(entry.before)["missing_triggers"]) == sorted(dropped)
    assert entry.at == clock.now()
    close_database()
    db = open_database(url)  # nothing missing: no second entry
    assert AuditLog.select().where(AuditLog.action == "restore_audit_protection").count() == 1
    with pytest.raises(Exception, match="append-only"), db.atomic():
        AuditLog.delete().where(AuditLog.id == entry.id).execute()
