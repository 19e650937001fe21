"""ChangeWatcher: read-only displays notice other stations' saves cheaply (PRAGMA data_version)."""

from __future__ import annotations

import sqlite3
import time

import pytest

from shop_desk.changes import ChangeWatcher
from shop_desk.models import RepairOrder
from shop_desk.services import customers


def test_a_save_by_another_process_is_noticed_once(busy_db, busy_path, stations):
    other = stations()
    with ChangeWatcher(busy_path) as watcher:
        assert watcher.changed() is False  # nothing since it was opened
        answer = other.ask(
            op="call",
            service="create_customer",
            actor="advisor",
            args=["远程 Remote", "13800003333"],
        )
        assert answer["ok"], answer
        assert watcher.changed() is True
        assert watcher.changed() is False  # reported once
        # a refused save commits nothing: nothing to reload
        refused = other.ask(op="call", service="create_customer", actor="advisor", args=["", "1"])
        assert refused["ok"] is False
        assert watcher.changed() is False


def test_this_stations_own_saves_count_too(busy_db, busy_path, people):
    """The display shows every saved change, also those made through the main connection."""
    with ChangeWatcher() as watcher:  # the file the models are bound to
        assert watcher.path.resolve() == busy_path.resolve()
        customers.create_customer(people["advisor"], "本站 Here", "13800004444")
        assert watcher.changed() is True
        RepairOrder.select().count()  # reading changes nothing
        assert watcher.changed() is False


def test_idle_check_costs_well_under_a_millisecond(busy_db, busy_path):
    with ChangeWatcher(busy_path) as watcher:
        watcher.changed()
        rounds = 2000
        start = time.perf_counter()
        for _ in range(rounds):
            watcher.changed()
        per_call = (time.perf_counter() - start) / rounds
    assert per_call < 0.001, f"{per_call * 1e6:.0f} µs per idle check"


def test_the_watcher_cannot_write(busy_db, busy_path):
    with (
        ChangeWatcher(busy_path) as watcher,
        pytest.raises(sqlite3.OperationalError, match="readonly|read-only"),
    ):
        watcher._conn.execute("DELETE FROM customer")
    watcher.close()  # closing twice is harmless
    with pytest.raises(RuntimeError):
        watcher.changed()
