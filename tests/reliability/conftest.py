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


def pytest_terminal_summary(terminalreporter) -> None:
    import figures

    if figures.LINES:
        terminalreporter.section("reliability figures")
        for line in figures.LINES:
            terminalreporter.write_line(line)


@pytest.fixture(scope="session")
def busy_template(_sample_template: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The sample shop plus orders in every state, built once per session through the services."""
    from busy_shop import build_busy_shop

    path = tmp_path_factory.mktemp("busy") / "busy.db"
    shutil.copy(_sample_template, path)
    previous = clock._fixed  # the test that first asks for it runs on the pinned clock: keep it
    try:
        db = open_database(path)
        build_busy_shop()
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        clock.set_now(previous)
        close_database()
    return path


@pytest.fixture
def busy_path(tmp_path: Path, busy_template: Path) -> Path:
    target = tmp_path / "busy.db"
    shutil.copy(busy_template, target)
    return target


@pytest.fixture(scope="session")
def _pg_busy_shop(busy_template: Path):
    """The busy shop moved onto the PostgreSQL server once per session (see pg_support)."""
    import pg_support

    yield from pg_support.migrated_database(busy_template)


@pytest.fixture
def busy_db(request: pytest.FixtureRequest):
    """The busy shop, open (tests start at the fixed clock, after the shop's history): a copy
    of the file, or on the PostgreSQL server for the ``[postgresql]`` variants."""
    if getattr(request, "param", "sqlite") == "postgresql":
        work = request.getfixturevalue("_pg_busy_shop")
        work.reset()
        database = open_database(work.url)
    else:
        database = open_database(request.getfixturevalue("busy_path"))
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
