"""Shared fixtures: a real SQLite file per test, copied from a sample shop built once."""

from __future__ import annotations

import datetime as dt
import os
import shutil
import sys
from pathlib import Path

import pytest

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
os.environ.setdefault("QT_LOGGING_RULES", "qt.qpa.*=false")

import pg_support  # noqa: E402
from shop_desk import clock  # noqa: E402
from shop_desk.db import close_database, open_database  # noqa: E402

#: A Monday morning; tests move the clock explicitly when time matters.
START = dt.datetime(2026, 11, 2, 9, 0, 0)


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--slow", action="store_true", default=False, help="run the long variants too")


def pytest_configure(config: pytest.Config) -> None:
    pg_support.configure(config)


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """With SHOP_DESK_TEST_PG set, the database-facing tests run on PostgreSQL too."""
    pg_support.generate_tests(metafunc)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if config.getoption("--slow"):
        return
    skip = pytest.mark.skip(reason="long variant: run with --slow")
    for item in items:
        if "slow" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _isolated_user_data(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Never touch the real user data folder or database from a test."""
    monkeypatch.setenv("SHOP_DESK_DATA_DIR", str(tmp_path_factory.mktemp("userdata")))
    monkeypatch.delenv("SHOP_DESK_DB", raising=False)


@pytest.fixture(autouse=True)
def fixed_clock():
    clock.set_now(START)
    yield START
    clock.set_now(None)


@pytest.fixture(scope="session")
def _sample_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from shop_desk.seed import sample_shop

    path = tmp_path_factory.mktemp("template") / "sample.db"
    previous = clock._fixed  # the autouse fixed_clock may already be pinned: put it back after
    clock.set_now(START - dt.timedelta(days=30))
    try:
        db = open_database(path)
        sample_shop()
        db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    finally:
        clock.set_now(previous)
    return path


@pytest.fixture
def empty_db(tmp_path: Path):
    """A new, empty shop database (only defaults seeded)."""
    db = open_database(tmp_path / "shop.db")
    yield db
    close_database()


@pytest.fixture
def db_path(tmp_path: Path, _sample_template: Path) -> Path:
    target = tmp_path / "shop.db"
    shutil.copy(_sample_template, target)
    return target


@pytest.fixture(scope="session")
def _pg_sample_shop(_sample_template: Path):
    """The sample shop moved onto the PostgreSQL server once per session (see pg_support)."""
    yield from pg_support.migrated_database(_sample_template)


@pytest.fixture
def db(request: pytest.FixtureRequest):
    """The sample shop (staff with PIN 1234, teams, catalogues) in a real SQLite file, or on
    the PostgreSQL server for the ``[postgresql]`` variants (see pg_support)."""
    if getattr(request, "param", "sqlite") == "postgresql":
        work = request.getfixturevalue("_pg_sample_shop")
        work.reset()
        database = open_database(work.url)
    else:
        database = open_database(request.getfixturevalue("db_path"))
    yield database
    if "shop_desk.ui.shell.background" in sys.modules:
        # no background read may outlive its test (the next test binds another database)
        from shop_desk.ui.shell.background import wait_for_jobs

        assert wait_for_jobs(10000), "a background read was still running 10 s after its test"
    close_database()


@pytest.fixture
def staff(db):
    """Sample staff by login: admin, manager, advisor, supervisor, leader1, tech1, inspector, ..."""
    from shop_desk.models import Staff

    return {s.login: s for s in Staff.select()}


@pytest.fixture(autouse=True)
def _no_windows_left_behind():
    """Delete every top-level window a test leaves, so its timers and event filters do not
    slow down (or answer in) the tests after it."""
    yield
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QTimer
    from PySide6.QtWidgets import QApplication

    app = QApplication.instance()
    if app is None:
        return
    for widget in QApplication.topLevelWidgets():
        widget.close()
        widget.deleteLater()
    QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
    # an application told to quit outside its exec() makes every later event loop (and so
    # every qtbot wait) return at once: say so here rather than as timeouts in later tests
    loop = QEventLoop()
    QTimer.singleShot(0, loop.quit)
    assert loop.exec() == 0, "QApplication.exit() was called outside exec(): event loops are dead"
