"""The demo shop builds on any date it is given, whole or not at all.

Each date of the calendar builds a short history (the date-dependent parts — the workshop's
day, the comeback, the calls, the bookings on open days — are built in full); one build has
the full six weeks, through the ``shop-desk demo`` command. None of them reads the machine's
date: the dates are chosen for what is hard about them.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import peewee
import pytest

from shop_desk import cli, clock, demo, i18n
from shop_desk.checks import check_database
from shop_desk.db import close_database, open_database
from shop_desk.errors import DomainError
from shop_desk.models import Appointment, AuditLog, RepairOrder
from shop_desk.services import scheduling
from shop_desk.states import State

#: date -> why it is on the calendar (each weekday once, Monday first).
CALENDAR = {
    dt.date(2026, 11, 30): "Monday, a month end",
    dt.date(2028, 2, 29): "Tuesday, the leap day",
    dt.date(2026, 9, 30): "Wednesday, a quarter end",
    dt.date(2026, 12, 31): "Thursday, the year end",
    dt.date(2027, 1, 1): "Friday, New Year's Day",
    dt.date(2027, 1, 2): "Saturday, the open day before a closed one",
    dt.date(2028, 12, 31): "Sunday (closed), the year end",
}
#: The full-size build: the Sunday the demo used to fail on.
FULL_SIZE_DATE = dt.date(2026, 12, 6)
#: States the demo promises an order in on its workshop day (besides closed and left).
WORKSHOP_DAY_STATES = {
    State.SETTLED,
    State.DELIVERED,
    State.READY,
    State.WASHING,
    State.FINAL_QC,
    State.REWORK,
    State.WAITING_AUTHORISATION,
    State.IN_PROGRESS,
    State.WAITING_PARTS,
    State.AWAITING_DISPATCH,
    State.CHECKED_IN,
}


def test_the_calendar_covers_every_weekday():
    days = sorted(d.weekday() for d in [*CALENDAR, FULL_SIZE_DATE])
    assert set(days) == set(range(7))
    assert any(not scheduling.is_working_day(d) for d in CALENDAR)


def _day(moment: dt.datetime | None) -> dt.date | None:
    return moment.date() if moment is not None else None


def assert_complete(path: Path, today: dt.date) -> None:
    """What the demo promises on ``today``: a sound shop, the workshop's day with a car in
    every state, bookings only on open days, nothing after ``today``."""
    assert path.is_file()
    assert not demo.building_files(path), "a temporary build file was left behind"
    assert not Path(f"{path}-wal").exists()
    db = open_database(path, migrate=False)
    try:
        assert check_database(db) == []
        work_day = demo.demo_work_day(today)
        assert work_day == today or not scheduling.is_working_day(today)
        assert work_day > today - dt.timedelta(days=7)
        orders = list(RepairOrder.select())
        on_work_day = {o.state for o in orders if _day(o.checked_in_at) == work_day}
        assert {State(s) for s in on_work_day} >= WORKSHOP_DAY_STATES
        states = {o.state for o in orders}
        assert {State.CLOSED.value, State.LEFT.value, State.CANCELLED.value} <= states
        # the shop receives cars only on the days it is open
        for order in orders:
            if order.checked_in_at is not None:
                assert scheduling.is_working_day(order.checked_in_at.date()), order.number
        appts = list(Appointment.select())
        assert all(scheduling.is_working_day(a.slot_start.date()) for a in appts)
        booked = sorted(a.slot_start for a in appts if a.status == "booked")
        next_day = demo.open_day_after(today)
        second_day = demo.open_day_after(next_day)
        ahead = [b.date() for b in booked if b.date() > today]
        later_today = [b for b in booked if b.date() == today]
        if work_day == today:
            assert [b.time() for b in later_today] == [dt.time(15, 0)]
            assert ahead == [next_day] * 3 + [second_day] * 3
        else:
            assert later_today == []
            assert ahead == [next_day] * 4 + [second_day] * 3
        assert any(a.status == "cancelled" for a in appts)
        # the follow-up call of the car closed on the workshop's day is not made in the future
        last = AuditLog.select(peewee.fn.MAX(AuditLog.at)).scalar()
        assert last.date() <= today
    finally:
        close_database()


@pytest.mark.parametrize("today", sorted(CALENDAR), ids=lambda d: f"{d}-{d:%a}")
def test_demo_builds_on_the_date(tmp_path, today):
    target = tmp_path / "demo.db"
    lines: list[str] = []
    before = clock.now()
    counts = demo.build_demo(target, today, history_days=4, progress=lines.append)
    assert clock.now() == before  # the builder's clock is put back
    assert counts["orders"] >= 25 and counts["customers"] == 48
    assert len(lines) == demo.STEPS
    assert lines[0].startswith("Building the demo shop: 1/7")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db"]
    assert_complete(target, today)


def test_full_size_demo_through_the_command(qapp, capsys, tmp_path):
    """``shop-desk demo --no-gui --force --date D``: six weeks of history, progress on stderr,
    and an old demo (with a journal of its own) replaced only by the complete new one."""
    target = tmp_path / "demo.db"
    target.write_text("an old demo")
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").write_bytes(b"stale journal of the old file")
    day = FULL_SIZE_DATE.isoformat()
    try:
        code = cli.main(
            ["--lang", "en", "demo", "--no-gui", "--force", "--db", str(target), "--date", day]
        )
    finally:
        i18n.install_language("en")
    out, err = capsys.readouterr()
    assert code == 0, err
    assert f"Demo shop built: {target}" in out
    steps = [line for line in err.splitlines() if line.startswith("Building the demo shop:")]
    assert len(steps) == demo.STEPS and "42 days of history" in steps[2]
    assert "Traceback" not in err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["demo.db"]
    assert_complete(target, FULL_SIZE_DATE)
    open_database(target, migrate=False)
    try:
        assert RepairOrder.select().count() >= 90
        assert RepairOrder.select().where(RepairOrder.is_comeback == True).exists()  # noqa: E712
    finally:
        close_database()


class Interrupted(Exception):
    """Stands for whatever stops a build midway."""


def _break_at_the_calls(monkeypatch, error: BaseException) -> None:
    def refuse(*args, **kwargs):
        raise error

    monkeypatch.setattr(demo.aftercare, "log_call", refuse)


def test_a_build_that_fails_midway_leaves_no_demo_file(tmp_path, monkeypatch):
    target = tmp_path / "demo.db"
    _break_at_the_calls(monkeypatch, Interrupted("disk full"))
    with pytest.raises(Interrupted):
        demo.build_demo(target, dt.date(2026, 11, 2), history_days=3)
    assert not target.exists()
    assert list(tmp_path.iterdir()) == []


def test_an_interrupted_rebuild_keeps_the_old_demo(tmp_path, monkeypatch):
    target = tmp_path / "demo.db"
    target.write_text("the demo that was there")
    _break_at_the_calls(monkeypatch, KeyboardInterrupt())
    with pytest.raises(KeyboardInterrupt):
        demo.build_demo(target, dt.date(2026, 12, 6), history_days=3, replace=True)
    assert target.read_text() == "the demo that was there"
    assert [p.name for p in tmp_path.iterdir()] == ["demo.db"]


def test_an_existing_demo_is_not_overwritten_unasked(tmp_path):
    target = tmp_path / "demo.db"
    target.write_text("keep")
    with pytest.raises(DomainError):
        demo.build_demo(target, dt.date(2026, 11, 2), history_days=3)
    assert target.read_text() == "keep"


def test_a_killed_build_leaves_nothing_taken_for_a_demo(tmp_path):
    """A build killed outright leaves its hidden file: never at the demo's name, and removed
    by a later build once it has not changed for a while (a running build's is kept)."""
    target = tmp_path / "demo.db"
    dead = tmp_path / f".{target.name}.k1ll3d.building"
    dead_wal = Path(f"{dead}-wal")
    running = tmp_path / f".{target.name}.runn1ng.building"
    for item in (dead, dead_wal, running):
        item.write_bytes(b"half a shop")
    now = time.time()
    old = now - demo.STALE_BUILD.total_seconds() - 60
    for item in (dead, dead_wal):
        os.utime(item, (old, old))
    assert demo.building_files(target) == sorted([dead, dead_wal, running])
    assert not target.exists()
    assert demo.remove_stale_builds(target, now) == [dead, dead_wal]
    assert sorted(tmp_path.iterdir()) == [running]
