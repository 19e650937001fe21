"""Fixtures of the reliability tests: a busy shop (orders in every state) in a real SQLite file."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

from shop_desk import clock
from shop_desk.db import close_database, open_database

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:
    sys.path.insert(0, str(HERE))


@pytest.fixture(scope="session")
def busy_template(_sample_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample shop plus orders in every state, built once per session through the services."""
    from busy_shop import build_busy_shop

    path = tmp_path_factory.mktemp("busy") / "busy.db"
    shutil.copy(_sample_template, path)
    try:
        db = open_database(path)
        build_busy_shop()
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        clock.set_now(None)
        close_database()
    return path


@pytest.fixture
def busy_path(tmp_path: Path, busy_template: Path) -> Path:
    target = tmp_path / "busy.db"
    shutil.copy(busy_template, target)
    return target


@pytest.fixture
def busy_db(busy_path: Path):
    """The busy shop, open (tests start at the fixed clock, after the shop's history)."""
    database = open_database(busy_path)
    yield database
    close_database()


@pytest.fixture
def people(busy_db) -> dict:
    """Staff by login (the sample staff plus ``fuzzer``, who holds every role)."""
    from shop_desk.models import Staff

    return {s.login: s for s in Staff.select()}


@pytest.fixture
def stations(busy_path, busy_db, tmp_path):
    """A factory of other stations on the busy shop's file; all are closed after the test."""
    from station import Station

    made: list[Station] = []

    def make() -> Station:
        station = Station(busy_path, tmp_path / f"station{len(made)}.log")
        made.append(station)
        return station

    yield make
    for station in made:
        station.close()
