"""Several stations at once: a busy database is waited for, never shown as SQLite's raw
"database is locked"; two stations saving the same order: the second is refused with a
ConflictError that says who changed it and when, and nothing of it is written.

The other stations are real processes (station.py) on the same file, driven over pipes.
"""

from __future__ import annotations

import types

import peewee
import pytest
from busy_shop import table_counts
from figures import report

from shop_desk import clock
from shop_desk.errors import ConflictError, DomainError
from shop_desk.models import AuditLog, Customer, RepairOrder, Staff
from shop_desk.services import auth, base, customers, reception
from shop_desk.states import State

RACE_ROUNDS = 40


@pytest.fixture
def short_busy_timeout(busy_db):
    """SQLite waits 50 ms (not 10 s) for the lock before the service's own retry starts."""
    busy_db.execute_sql("PRAGMA busy_timeout = 50")
    yield
    busy_db.execute_sql("PRAGMA busy_timeout = 10000")


# ------------------------------------------------------------------------------- busy


def test_busy_database_is_waited_for_and_the_save_goes_through(
    busy_db, people, stations, short_busy_timeout, monkeypatch
):
    other = stations()
    assert other.ask(op="lock")["locked"]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        """The service backs off: let the other station finish its save now."""
        waits.append(seconds)
        if len(waits) == 1:
            assert other.ask(op="release")["released"]

    monkeypatch.setattr(base, "time", types.SimpleNamespace(sleep=sleep))
    customer = customers.create_customer(people["advisor"], "等待 Waiting", "13800001111")
    assert len(waits) == 1, "the first try met the lock, the second went through"
    assert Customer.get_by_id(customer.id).name == "等待 Waiting"


def test_busy_database_gives_up_with_a_clear_message_and_changes_nothing(
    busy_db, people, stations, short_busy_timeout, monkeypatch
):
    other = stations()
    assert other.ask(op="lock")["locked"]
    waits: list[float] = []
    monkeypatch.setattr(base, "time", types.SimpleNamespace(sleep=waits.append))
    before = table_counts(busy_db)
    with pytest.raises(DomainError) as refused:
        customers.create_customer(people["advisor"], "放弃 Given up", "13800002222")
    assert type(refused.value) is DomainError
    assert not isinstance(refused.value, peewee.OperationalError)
    assert "locked" not in str(refused.value) and "another station" in str(refused.value)
    assert len(waits) == base.BUSY_RETRIES - 1
    assert other.ask(op="release")["released"]
    assert table_counts(busy_db) == before


class _ServerRefusal(Exception):
    """What psycopg2 raises, reduced to its SQLSTATE."""

    def __init__(self, pgcode: str) -> None:
        super().__init__(pgcode)
        self.pgcode = pgcode


@pytest.mark.parametrize(
    ("pgcode", "waits_before_second_try"),
    [("40001", 0), ("40P01", 0), ("55P03", 1)],
    ids=["serialization failure", "deadlock victim", "lock not available"],
)
def test_a_server_serialization_failure_is_tried_again_at_once(
    monkeypatch, pgcode, waits_before_second_try
):
    """The other station's save is in: the second try runs without a wait; only a lock still
    held (55P03) and a second failure wait, with the usual backoff."""
    waits: list[float] = []
    monkeypatch.setattr(base, "time", types.SimpleNamespace(sleep=waits.append))
    tries: list[int] = []

    def attempt(fail: int) -> str:
        tries.append(1)
        if len(tries) <= fail:
            raise peewee.OperationalError("could not serialize") from _ServerRefusal(pgcode)
        return "saved"

    assert base.retry_when_busy(lambda: attempt(1)) == "saved"
    assert len(waits) == waits_before_second_try
    tries.clear()
    waits.clear()
    assert base.retry_when_busy(lambda: attempt(3)) == "saved"
    assert len(waits) == 2 + waits_before_second_try
    # a crossing save is short: the waits after it are a few milliseconds, not SQLite's 50+
    assert (max(waits) < 0.05) is (waits_before_second_try == 0)


def test_sign_in_waits_for_a_busy_database(
    busy_db, people, stations, short_busy_timeout, monkeypatch
):
    other = stations()
    assert other.ask(op="lock")["locked"]
    waits: list[float] = []

    def sleep(seconds: float) -> None:
        waits.append(seconds)
        assert other.ask(op="release")["released"]

    monkeypatch.setattr(base, "time", types.SimpleNamespace(sleep=sleep))
    assert auth.authenticate("advisor", "1234").login == "advisor"
    assert len(waits) == 1


# ------------------------------------------------------------------------------- conflicts


def _checked_in_order() -> RepairOrder:
    return RepairOrder.get(RepairOrder.state == State.CHECKED_IN.value)


def test_second_save_with_an_old_version_is_refused_naming_who_and_when(busy_db, people, stations):
    order = _checked_in_order()
    opened = order.version  # both stations opened the order at this version
    other = stations()
    assert other.ask(op="clock", at="2026-11-02T09:05:00")["ok"]
    saved = other.ask(
        op="call",
        service="record_complaint",
        actor="advisor2",
        args=[order.id, "左前轮异响 noise from the front left wheel"],
        kwargs={"expected_version": opened},
    )
    assert saved["ok"], saved
    mine = {"diagnosis": "我的诊断 my diagnosis", "expected_version": opened}
    kept = dict(mine)
    before = table_counts(busy_db)
    clock.set_now(clock.now().replace(minute=7))
    with pytest.raises(ConflictError) as refused:
        reception.record_complaint(people["advisor"], order.id, "我的描述 my words", **mine)
    message = str(refused.value)
    assert people["advisor2"].name in message and "2026-11-02 09:05" in message
    assert table_counts(busy_db) == before
    assert mine == kept, "the refused call must not consume the caller's input"
    row = RepairOrder.get_by_id(order.id)
    assert row.complaint_text == "左前轮异响 noise from the front left wheel"
    assert row.diagnosis != "我的诊断 my diagnosis"
    assert row.version == opened + 1


def test_simultaneous_saves_of_one_order_exactly_one_wins(busy_db, people, stations):
    """Two other stations save the same order at the same moment, many times over."""
    order = _checked_in_order()
    a, b = stations(), stations()
    logins = {"a": "advisor", "b": "advisor2"}
    names = {key: Staff.get(Staff.login == login).name for key, login in logins.items()}
    assert a.ask(op="clock", at="2026-11-02T10:01:00")["ok"]
    assert b.ask(op="clock", at="2026-11-02T10:02:00")["ok"]
    wins = {"a": 0, "b": 0}
    for n in range(RACE_ROUNDS):
        version = RepairOrder.get_by_id(order.id).version
        texts = {key: f"第{n}轮 round {n} by {key}" for key in logins}
        for key, station in (("a", a), ("b", b)):
            station.send(
                op="call",
                service="record_complaint",
                actor=logins[key],
                args=[order.id, texts[key]],
                kwargs={"expected_version": version},
            )
        answers = {"a": a.read(), "b": b.read()}
        winners = [key for key, answer in answers.items() if answer["ok"]]
        assert len(winners) == 1, answers
        winner = winners[0]
        loser = "b" if winner == "a" else "a"
        wins[winner] += 1
        assert answers[loser]["error"] == "ConflictError"
        assert names[winner] in answers[loser]["message"]
        assert ("10:01" if winner == "a" else "10:02") in answers[loser]["message"]
        row = RepairOrder.get_by_id(order.id)
        assert row.complaint_text == texts[winner] and row.version == version + 1
    # every round left exactly one audit entry of the edit
    edits = AuditLog.select().where(
        (AuditLog.action == "record_complaint") & (AuditLog.entity_id == order.id)
    )
    assert edits.count() >= RACE_ROUNDS
    assert sum(wins.values()) == RACE_ROUNDS
    report(
        f"two stations: {RACE_ROUNDS} simultaneous saves of one order, each exactly one "
        f"winner (a {wins['a']}, b {wins['b']}), the other refused naming who and when"
    )
