"""PostgreSQL for the tests: which tests run on both backends, and their databases.

When ``SHOP_DESK_TEST_PG`` holds a ``postgresql://`` URL (``.ci/run`` starts a private
server and sets it), the database-facing tests run twice: on the SQLite file as always and
on PostgreSQL (the ``[postgresql]`` variants):

- the ``db`` tests of tests/services/ and tests/test_checks.py (the sample shop);
- the ``busy_db`` tests of the reliability fuzz and security tests (the busy shop).

The role in the URL needs CREATEDB. The SQLite template of each shop is moved onto the
server once per session with ``migrate-db`` (so both variants see the same rows and ids,
and every run exercises the move), and before every test that database is put back to the
template (see :class:`WorkDatabase`). Tests that need an empty database of their own get
one from :func:`fresh_database`. Without the variable only SQLite runs, and
tests/test_postgres.py reports one skipped test saying so (the GUI tests, the file-level
ones and the crash tests run on SQLite only: they test the desk, not the database).

A test that only makes sense on SQLite (it reads the file, uses PRAGMAs) asks for the
``db_path``/``busy_path`` fixture or carries ``@pytest.mark.sqlite_only``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

ENV = "SHOP_DESK_TEST_PG"
RESTART_ENV = "SHOP_DESK_TEST_PG_RESTART"
BACKENDS = ("sqlite", "postgresql")
SKIP_REASON = (
    f"{ENV} is not set: the PostgreSQL variants were not run "
    "(.ci/run starts a PostgreSQL server and sets it)"
)

_TESTS = Path(__file__).resolve().parent
#: Test files and folders whose ``db`` tests run on both backends.
BOTH_BACKENDS = (_TESTS / "services", _TESTS / "test_checks.py")
#: ... and those whose ``busy_db`` tests do (the service fuzz, roles, PINs).
BUSY_BOTH_BACKENDS = (
    _TESTS / "reliability" / "test_hostile_input.py",
    _TESTS / "reliability" / "test_security.py",
)
#: fixture -> (where its tests run on both backends, the file fixture that pins SQLite)
PARAMETRIZED = {
    "db": (BOTH_BACKENDS, "db_path"),
    "busy_db": (BUSY_BOTH_BACKENDS, "busy_path"),
}

_counter = itertools.count(1)


def server_url() -> str | None:
    url = os.environ.get(ENV, "").strip()
    return url or None


def with_database(url: str, name: str) -> str:
    """``url`` pointing at database ``name`` on the same server."""
    parts = urllib.parse.urlsplit(url)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "sqlite_only: runs on SQLite only, even when PostgreSQL is available"
    )
    config.addinivalue_line(
        "markers", "pg_server_control: restarts the PostgreSQL server (needs " + RESTART_ENV + ")"
    )


def generate_tests(metafunc: pytest.Metafunc) -> None:
    """Parametrize ``db``/``busy_db`` over both backends for the database-facing tests."""
    if server_url() is None or metafunc.definition.get_closest_marker("sqlite_only"):
        return
    path = Path(str(metafunc.definition.path)).resolve()
    for fixture, (where, file_fixture) in PARAMETRIZED.items():
        if fixture not in metafunc.fixturenames or file_fixture in metafunc.fixturenames:
            continue
        if any(path == p or p in path.parents for p in where):
            metafunc.parametrize(fixture, BACKENDS, indirect=True)


def _admin_connection(url: str):  # type: ignore[no-untyped-def]
    import psycopg2

    conn = psycopg2.connect(url, connect_timeout=10)
    conn.autocommit = True
    return conn


def _drop(cur, name: str) -> None:  # type: ignore[no-untyped-def]
    import psycopg2.errors

    try:
        cur.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    except psycopg2.errors.InsufficientPrivilege:
        # FORCE may not end a server worker (autovacuum) that is in it: end our own
        # connections, then a plain DROP, which waits for the worker to leave
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
            "WHERE datname = %s AND usename = current_user",
            (name,),
        )
        cur.execute(f'DROP DATABASE IF EXISTS "{name}"')


def drop_database(url: str, name: str) -> None:
    conn = _admin_connection(url)
    try:
        with conn.cursor() as cur:
            _drop(cur, name)
    finally:
        conn.close()


def create_database(url: str, name: str, template: str | None = None) -> str:
    """A new database ``name`` (a copy of ``template``); its URL."""
    conn = _admin_connection(url)
    try:
        with conn.cursor() as cur:
            _drop(cur, name)
            if template:
                cur.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
            else:
                cur.execute(f'CREATE DATABASE "{name}"')
    finally:
        conn.close()
    return with_database(url, name)


TEMPLATE_SCHEMA = "shop_desk_tpl"


class WorkDatabase:
    """The session's PostgreSQL database with a shop, put back before every test.

    ``CREATE DATABASE ... TEMPLATE`` and ``TRUNCATE`` both cost about a second on a slow
    disk (they create files); deleting the rows and copying the shop's rows back from a
    schema of their own takes milliseconds."""

    def __init__(self, url: str) -> None:
        from shop_desk.models import ALL_MODELS

        self.url = url
        self._resets = 0
        self._conn = _admin_connection(url)
        tables = [m._meta.table_name for m in ALL_MODELS] + ["schema_version"]
        with self._conn.cursor() as cur:
            cur.execute(f'CREATE SCHEMA "{TEMPLATE_SCHEMA}"')
            for table in tables:
                cur.execute(f'CREATE TABLE "{TEMPLATE_SCHEMA}"."{table}" AS TABLE public."{table}"')
        statements = ["ALTER TABLE public.audit_log DISABLE TRIGGER audit_log_no_delete"]
        statements += [f'DELETE FROM public."{t}"' for t in reversed(tables)]
        statements.append("ALTER TABLE public.audit_log ENABLE TRIGGER audit_log_no_delete")
        statements += [
            f'INSERT INTO public."{t}" SELECT * FROM "{TEMPLATE_SCHEMA}"."{t}"' for t in tables
        ]
        statements += [
            f"SELECT setval(pg_get_serial_sequence('public.\"{t}\"', 'id'), "
            f'COALESCE((SELECT MAX(id) FROM public."{t}"), 0) + 1, false)'
            for t in tables[:-1]
        ]
        self._reset_sql = "; ".join(statements)

    #: Every so many resets the tables are vacuumed: each reset leaves a copy of every row
    #: behind, and counting or scanning bloated tables soon costs more than the tests.
    VACUUM_EVERY = 20

    def reset(self) -> None:
        """Only the sample shop again; connections left over from the last test are ended.
        (A test may have restarted the server: then this connection is new.)"""
        import psycopg2

        self._resets += 1
        for attempt in (1, 2):
            try:
                if self._conn.closed:
                    self._conn = _admin_connection(self.url)
                with self._conn.cursor() as cur:
                    cur.execute(
                        "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                        "WHERE datname = current_database() AND usename = current_user "
                        "AND pid <> pg_backend_pid()"
                    )
                    cur.execute("BEGIN; " + self._reset_sql + "; COMMIT")
                    if self._resets % self.VACUUM_EVERY == 0:
                        cur.execute("VACUUM")
                return
            except (psycopg2.OperationalError, psycopg2.InterfaceError):
                if attempt == 2:
                    raise
                self._conn.close()
                self._conn = _admin_connection(self.url)

    def close(self) -> None:
        self._conn.close()


def work_database(build) -> Iterator[WorkDatabase]:  # type: ignore[no-untyped-def]
    """Session fixture body: a database filled by ``build(url)``, dropped at the end."""
    url = server_url()
    assert url is not None
    name = f"shop_desk_work_{os.getpid()}_{next(_counter)}"
    made = create_database(url, name)
    try:
        build(made)
        work = WorkDatabase(made)
        try:
            yield work
        finally:
            work.close()
    finally:
        drop_database(url, name)


def migrated_database(template: Path) -> Iterator[WorkDatabase]:
    """Session fixture body: the shop in the SQLite file ``template`` moved onto the server
    with ``migrate-db`` (same rows, same ids), put back before every test."""
    from shop_desk.migrate_db import migrate

    yield from work_database(lambda url: migrate(f"sqlite:///{template}", url))


@contextlib.contextmanager
def fresh_database(template: str | None) -> Iterator[str]:
    """A throw-away database for one test (copied from ``template``); its URL."""
    url = server_url()
    assert url is not None
    name = f"shop_desk_t{os.getpid()}_{next(_counter)}"
    made = create_database(url, name, template)
    try:
        yield made
    finally:
        drop_database(url, name)
