"""Several PCs on one PostgreSQL server: conflicts between stations, change notifications to
the boards and open windows (also across a cut connection and a server restart), the server's
own checks and text rules, PCs starting at once on a new database, the v1 -> current upgrade
and ``migrate-db`` from a single-PC file (the sample shop and the whole demo shop).

Runs only when ``SHOP_DESK_TEST_PG`` names a server (``.ci/run`` starts one); otherwise the
whole module is one skipped test saying so. The tests that restart the server need
``SHOP_DESK_TEST_PG_RESTART`` too (a server only the tests use).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import queue
import sqlite3
import subprocess
import sys
import threading
import time
from decimal import Decimal
from pathlib import Path

import pytest

import pg_support

if pg_support.server_url() is None:
    pytest.skip(pg_support.SKIP_REASON, allow_module_level=True)

import peewee  # noqa: E402

from factories import make_order, make_vehicle  # noqa: E402
from shop_desk import clock, migrations  # noqa: E402
from shop_desk.changes_pg import PgChangeWatcher, make_watcher, redacted  # noqa: E402
from shop_desk.checks import check_database  # noqa: E402
from shop_desk.cli import main as cli_main  # noqa: E402
from shop_desk.db import close_database, database, open_database  # noqa: E402
from shop_desk.errors import ConflictError, DomainError  # noqa: E402
from shop_desk.migrate_db import MigrationRefused, figures, migrate  # noqa: E402
from shop_desk.models import (  # noqa: E402
    ALL_MODELS,
    AuditLog,
    Customer,
    Inspection,
    InspectionPhoto,
    Payment,
    RepairOrder,
    Signature,
    Staff,
    Team,
)
from shop_desk.services import base, customers, reception  # noqa: E402
from shop_desk.states import State  # noqa: E402

ON_PG = pytest.mark.parametrize("db", ["postgresql"], indirect=True)
STATION = Path(__file__).with_name("pg_station.py")
V1_FIXTURE = Path(__file__).parent / "fixtures" / "shopdesk-schema-v1.sqlite3"


class Process:
    """Another PC: ``pg_station.py`` in a process of its own, answering over a pipe."""

    def __init__(self, mode: str, url: str, log: Path) -> None:
        self._log = log.open("w")
        self.proc = subprocess.Popen(
            [sys.executable, str(STATION), mode, url],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self._log,
            text=True,
            encoding="utf-8",
            env=dict(os.environ, PYTHONIOENCODING="utf-8"),
        )
        self.lines: queue.Queue[str] = queue.Queue()
        threading.Thread(target=self._pump, daemon=True).start()
        assert self.read(60)["ready"]

    def _pump(self) -> None:
        for line in self.proc.stdout:
            self.lines.put(line)
        self.lines.put("")

    def read(self, timeout: float) -> dict:
        line = self.lines.get(timeout=timeout)
        if not line:
            raise RuntimeError("the process died: " + Path(self._log.name).read_text())
        return json.loads(line)

    def ask(self, **cmd) -> dict:
        self.send(**cmd)
        return self.read(60)

    def send(self, **cmd) -> None:
        self.proc.stdin.write(json.dumps(cmd, ensure_ascii=False) + "\n")
        self.proc.stdin.flush()

    def close(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()  # our own child, by its handle
            self.proc.wait(timeout=30)
        self.proc.stdout.close()
        self.proc.stdin.close()
        self._log.close()


@pytest.fixture
def other_pcs(tmp_path):
    """A factory of other PCs (``station`` or ``board``) on the test's PostgreSQL database."""
    made: list[Process] = []

    def make(mode: str = "station") -> Process:
        proc = Process(mode, database.obj.url, tmp_path / f"{mode}{len(made)}.log")
        made.append(proc)
        return proc

    yield make
    for proc in made:
        proc.close()


def _restart_server() -> None:
    command = os.environ.get(pg_support.RESTART_ENV)
    if not command:
        pytest.skip(f"{pg_support.RESTART_ENV} is not set: this test restarts the server")
    subprocess.run(command, shell=True, check=True, capture_output=True, timeout=120)


def _counts() -> dict[str, int]:
    return {m._meta.table_name: m.select().count() for m in ALL_MODELS}


# --------------------------------------------------------------------------- stations


@ON_PG
def test_second_station_saving_an_old_version_gets_a_conflict(db, staff, other_pcs):
    order = make_order(State.CHECKED_IN)
    opened = order.version  # both PCs opened the order at this version
    other = other_pcs()
    assert other.ask(op="clock", at="2026-11-02T09:05:00")["ok"]
    saved = other.ask(
        op="call",
        service="record_complaint",
        actor="advisor2",
        args=[order.id, "左前轮异响 noise from the front left wheel"],
        kwargs={"expected_version": opened},
    )
    assert saved["ok"], saved
    before = _counts()
    clock.set_now(clock.now().replace(minute=7))
    with pytest.raises(ConflictError) as refused:
        reception.record_complaint(
            staff["advisor"], order.id, "我的描述 my words", expected_version=opened
        )
    assert staff["advisor2"].name in str(refused.value)
    assert "2026-11-02 09:05" in str(refused.value)
    assert _counts() == before
    row = RepairOrder.get_by_id(order.id)
    assert row.complaint_text == "左前轮异响 noise from the front left wheel"
    assert row.version == opened + 1


@ON_PG
def test_simultaneous_saves_of_one_order_exactly_one_wins(db, other_pcs):
    """Two PCs save the same order at the same moment: SERIALIZABLE plus the retry make one
    of them win and the other see the winner's change as a conflict, every round."""
    order = make_order(State.CHECKED_IN)
    a, b = other_pcs(), other_pcs()
    logins = {"a": "advisor", "b": "advisor2"}
    for n in range(8):
        version = RepairOrder.get_by_id(order.id).version
        texts = {key: f"第{n}轮 round {n} by {key}" for key in logins}
        for key, pc in (("a", a), ("b", b)):
            pc.send(
                op="call",
                service="record_complaint",
                actor=logins[key],
                args=[order.id, texts[key]],
                kwargs={"expected_version": version},
            )
        answers = {"a": a.read(60), "b": b.read(60)}
        winners = [key for key, answer in answers.items() if answer["ok"]]
        assert len(winners) == 1, answers
        loser = "b" if winners[0] == "a" else "a"
        assert answers[loser]["error"] == "ConflictError", answers
        row = RepairOrder.get_by_id(order.id)
        assert row.complaint_text == texts[winners[0]] and row.version == version + 1


@ON_PG
def test_serialization_failures_and_deadlocks_count_as_busy(db):
    """What the services retry: a real serialization failure between two PCs, and
    PostgreSQL's deadlock code."""
    import psycopg2

    order = make_order(State.CHECKED_IN)
    other = psycopg2.connect(db.url)
    try:
        with pytest.raises(peewee.OperationalError) as caught, db.atomic("SERIALIZABLE"):
            db.execute_sql("SELECT version FROM repair_order WHERE id = %s", (order.id,))
            with other, other.cursor() as cur:  # another PC saves the order meanwhile
                cur.execute(
                    "UPDATE repair_order SET version = version + 1 WHERE id = %s", (order.id,)
                )
            db.execute_sql(
                "UPDATE repair_order SET version = version + 1 WHERE id = %s", (order.id,)
            )
    finally:
        other.close()
    assert base._is_busy(caught.value)

    class Deadlock(Exception):
        pgcode = "40P01"

    assert base._is_busy(peewee.OperationalError(Deadlock("deadlock detected")))
    assert not base._is_busy(peewee.OperationalError(Exception("syntax error")))


# --------------------------------------------------------------------- notifications


@ON_PG
def test_a_board_in_another_process_hears_of_a_change_within_a_second(db, staff, other_pcs):
    board = other_pcs("board")
    started = time.perf_counter()
    customers.create_customer(staff["advisor"], name="陈先生 Mr Chen", phone="13912345678")
    saved = time.perf_counter()
    heard = board.read(5)
    assert heard["changed"] and time.perf_counter() - saved < 1.0, time.perf_counter() - started
    with pytest.raises(queue.Empty):  # one commit, one notice
        board.read(0.3)


@ON_PG
def test_the_workshop_display_shows_another_pcs_dispatch_within_a_second(qtbot, db, other_pcs):
    from shop_desk.ui.workshop.display import DisplayWindow

    order = make_order(State.AWAITING_DISPATCH)
    window = DisplayWindow(database.obj.url)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    assert [c.state for c in window.cards] == ["awaiting_dispatch"]
    reads = window.reads
    team = Team.get(Team.name.startswith("电工组"))
    other = other_pcs()
    done = other.ask(
        op="call",
        service="dispatch",
        actor="supervisor",
        args=[order.id, team.id],
        kwargs={"priority": 1},
    )
    assert done["ok"], done
    qtbot.waitUntil(lambda: window.cards[0].state == "in_progress", timeout=1000)
    assert window.reads == reads + 1
    assert "***" in window.link.path and "shop_desk:shop_desk@" not in window.link.path
    window.close()


@ON_PG
def test_an_open_workshop_board_shows_another_pcs_dispatch_within_a_second(qtbot, db, other_pcs):
    """The board page of a desk's main window (not only the TV display) listens too."""
    from shop_desk.ui.shell.main_window import MainWindow
    from shop_desk.ui.workshop.board import WorkshopBoardPage

    order = make_order(State.AWAITING_DISPATCH)
    window = MainWindow(Staff.get(Staff.login == "supervisor"))
    qtbot.addWidget(window)
    window.show()
    page = window.show_page("workshop")
    assert isinstance(page, WorkshopBoardPage) and isinstance(page.watcher, PgChangeWatcher)
    assert [c.order_id for c in page.columns["awaiting_dispatch"].cards()] == [order.id]
    team = Team.get(Team.name.startswith("电工组"))
    done = other_pcs().ask(
        op="call", service="dispatch", actor="supervisor", args=[order.id, team.id]
    )
    assert done["ok"], done
    qtbot.waitUntil(
        lambda: [c.order_id for c in page.columns["in_progress"].cards()] == [order.id],
        timeout=1000,
    )
    window.close()


@ON_PG
def test_watcher_reconnects_when_its_connection_is_cut(db, staff):
    """The server ends the watcher's connection (as when the network drops): the next look
    reconnects, says "changed" once, and it hears the next commit again."""
    watcher = make_watcher()
    assert isinstance(watcher, PgChangeWatcher) and not watcher.changed()
    assert _cut_connections(db.url, "shop-desk watcher") == 1
    assert watcher.wait(10)
    assert watcher.reconnects == 1
    assert not watcher.changed()
    customers.create_customer(staff["advisor"], name="周女士 Ms Zhou", phone="13712345678")
    assert watcher.wait(1)
    watcher.close()


def _cut_connections(url: str, application: str) -> int:
    """End the server side of ``application``'s connections (as a restart or a dropped
    network does); how many."""
    import psycopg2

    conn = psycopg2.connect(url)
    try:
        conn.autocommit = True
        with conn.cursor() as cur:
            cur.execute(
                "SELECT COUNT(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND application_name = %s",
                (application,),
            )
            return cur.fetchone()[0]
    finally:
        conn.close()


@ON_PG
def test_the_desk_connection_comes_back_between_transactions(db, staff):
    assert _cut_connections(db.url, "shop-desk") == 1
    assert Staff.select().count() == 15  # a read runs again on a new connection
    assert _cut_connections(db.url, "shop-desk") == 1
    customer = customers.create_customer(
        staff["advisor"], name="孙先生 Mr Sun", phone="13612345678"
    )
    assert Customer.get_by_id(customer.id).name == "孙先生 Mr Sun"


@ON_PG
@pytest.mark.pg_server_control
def test_server_restart_during_use(qtbot, db, staff, other_pcs):
    """The server restarts while a board process, the display and this desk are open:
    all of them come back by themselves and hear the next change within a second."""
    from shop_desk.ui.workshop.display import DisplayWindow

    board = other_pcs("board")
    watcher = make_watcher()
    window = DisplayWindow(database.obj.url)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    _restart_server()
    assert board.read(30) == {"changed": True, "reconnects": 1}
    assert watcher.wait(30) and watcher.reconnects == 1
    qtbot.waitUntil(lambda: window.reads >= 2 and not window.reconnecting, timeout=30000)
    reads = window.reads
    # this desk's next step reconnects by itself (its old connection died with the server)
    customers.create_customer(staff["advisor"], name="吴先生 Mr Wu", phone="13312345678")
    saved = time.perf_counter()
    assert board.read(5)["changed"] and time.perf_counter() - saved < 1.0
    assert watcher.wait(1)
    order = make_order(State.AWAITING_DISPATCH)
    qtbot.waitUntil(lambda: order.number in {c.number for c in window.cards}, timeout=1000)
    assert window.reads > reads
    window.close()
    watcher.close()


def test_passwords_stay_out_of_logs():
    assert redacted("postgresql://shop:s3cret@db.local:5432/shop") == (
        "postgresql://shop:***@db.local:5432/shop"
    )
    assert redacted("postgresql://db.local/shop") == "postgresql://db.local/shop"


# ------------------------------------------------------------------ schema and checks


@ON_PG
def test_schema_extras_on_the_server(db):
    long_text = "很长的地址 a long address " * 40  # > 255 characters, as SQLite keeps it
    customer = Customer.create(name="钱先生 Mr Qian", address=long_text)
    assert Customer.get_by_id(customer.id).address == long_text
    signature = Signature.create(image=b"\x89PNG\x00\x01" * 100, signer="钱", document="t")
    assert Signature.get_by_id(signature.id).image == b"\x89PNG\x00\x01" * 100
    triggers = {
        name
        for (name,) in db.execute_sql(
            "SELECT DISTINCT tgname FROM pg_trigger WHERE NOT tgisinternal"
        ).fetchall()
    }
    assert {"audit_log_no_update", "audit_log_no_delete", "audit_log_no_truncate"} <= triggers
    assert "shop_desk_notify" in triggers
    if db.execute_sql("SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'").fetchone():
        indexes = {name for (name,) in db.execute_sql("SELECT indexname FROM pg_indexes")}
        assert {"vehicle_plate_key_trgm", "customer_name_trgm", "repair_order_number_trgm"} <= (
            indexes
        )
    with pytest.raises(peewee.DatabaseError, match="append-only"), db.atomic():
        AuditLog.update(action="forged").execute()
    with pytest.raises(peewee.DatabaseError, match="append-only"), db.atomic():
        AuditLog.truncate_table()  # TRUNCATE fires no row triggers: a statement trigger
    assert AuditLog.select().count() > 0


@ON_PG
def test_text_with_nul_finds_nothing_and_is_never_stored(db, staff):
    """PostgreSQL text cannot hold NUL (the driver refuses it): a lookup with one finds
    nothing, as on SQLite, and a write is refused, never stored altered."""
    from shop_desk.services import checkout

    assert Customer.get_or_none(Customer.name == "王\x00先生") is None
    with pytest.raises(DomainError, match="No valid gate pass"):
        checkout.use_gate_pass(staff["advisor"], "GP\x00001")
    with pytest.raises(DomainError):
        customers.create_customer(staff["advisor"], name="王\x00先生", phone="13812345670")
    with pytest.raises(peewee.DataError, match="NUL"), db.atomic():
        Customer.create(name="王\x00先生", phone="13812345670")
    assert not Customer.select().where(Customer.phone == "13812345670").exists()


@ON_PG
def test_global_search_on_the_server(db):
    """No FTS5 on the server: the search's portable ILIKE conditions answer (with the
    trigram indexes when the server has pg_trgm)."""
    from shop_desk.services.search import search

    owner = Customer.create(name="欧阳娜娜 Ouyang Nana", phone="13698765432")
    vehicle = make_vehicle(owner=owner, plate="沪K·8Q7W6", vin="LSVAU2A37N2123458")
    order = make_order(State.IN_PROGRESS, vehicle=vehicle)
    assert ("vehicle", vehicle.id) in {(h.kind, h.id) for h in search("k8q7")}
    assert ("vehicle", vehicle.id) in {(h.kind, h.id) for h in search("123458")}
    assert ("customer", owner.id) in {(h.kind, h.id) for h in search("98765")}
    assert ("customer", owner.id) in {(h.kind, h.id) for h in search("ouyang")}
    assert ("order", order.id) in {(h.kind, h.id) for h in search(order.number.lower())}


@ON_PG
def test_check_finds_orphans_and_an_unprotected_audit_log(db):
    order = make_order(State.IN_PROGRESS)
    assert check_database(db) == []
    with db.atomic() as damage:  # damaged by hand, then put back
        (constraint,) = db.execute_sql(
            "SELECT conname FROM pg_constraint WHERE contype = 'f' "
            "AND conrelid = 'job_line'::regclass AND conkey = ARRAY[("
            "SELECT attnum FROM pg_attribute WHERE attrelid = 'job_line'::regclass "
            "AND attname = 'order_id')]"
        ).fetchone()
        db.execute_sql(f'ALTER TABLE job_line DROP CONSTRAINT "{constraint}"')
        db.execute_sql("UPDATE job_line SET order_id = 999999 WHERE order_id = %s", (order.id,))
        db.execute_sql("ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_delete")
        problems = check_database(db)
        damage.rollback()
    text = "\n".join(problems)
    assert "order_id of table job_line is not protected" in text
    assert "of table job_line refers to a missing row in repair_order" in text
    assert "audit_log_no_delete" in text
    assert len(problems) == 3, problems
    assert check_database(db) == []


def test_upgrade_from_schema_v1_on_the_server():
    """A server database in the v1 layout (tables and columns as in the v1 file) is
    upgraded in place by add_missing_schema and the v2 step, keeping its rows."""
    con = sqlite3.connect(V1_FIXTURE)
    try:
        v1 = {
            table: {row[1] for row in con.execute(f'PRAGMA table_info("{table}")')}
            for (table,) in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
        }
    finally:
        con.close()
    with pg_support.fresh_database(None) as url:
        db = open_database(url)
        try:
            Customer.create(name="老客户 old customer", phone="13500000000")
            for model in reversed(ALL_MODELS):
                table = model._meta.table_name
                if table not in v1:
                    db.execute_sql(f'DROP TABLE "{table}" CASCADE')
                    continue
                for field in model._meta.sorted_fields:
                    if field.column_name not in v1[table]:
                        db.execute_sql(f'ALTER TABLE "{table}" DROP COLUMN "{field.column_name}"')
            db.execute_sql("DROP TRIGGER audit_log_no_update ON audit_log")
            db.execute_sql("DROP TRIGGER audit_log_no_delete ON audit_log")
            db.execute_sql("UPDATE schema_version SET version = 1")
        finally:
            close_database()
        dropped = sum(
            1
            for m in ALL_MODELS
            for f in m._meta.sorted_fields
            if m._meta.table_name in v1 and f.column_name not in v1[m._meta.table_name]
        )
        assert dropped, "the v1 file should lack some of today's columns"
        db = open_database(url)  # the upgrade
        try:
            assert migrations.schema_version(db) == migrations.LATEST
            for model in ALL_MODELS:
                have = {c.name for c in db.get_columns(model._meta.table_name)}
                assert {f.column_name for f in model._meta.sorted_fields} <= have
            assert Customer.get(Customer.phone == "13500000000").name == "老客户 old customer"
            assert check_database(db) == []
        finally:
            close_database()


# ------------------------------------------------------------------------- migrate-db


#: Texts the move must carry as they are: CSV's quote and separators, COPY's escape and its
#: NULL marker, line breaks of both kinds, an empty text (not NULL).
TRICKY_NAME = '王 "老三", \\N \\ 1\t2'
TRICKY_NOTES = '第一行\r\n第二行\n"引号"\\x00,;'


@pytest.fixture
def single_pc_shop(db_path: Path) -> Path:
    """The sample shop file plus orders in every state, photos, signatures and a comeback
    that points at a later order (ids kept must allow that)."""
    open_database(db_path)
    try:
        paid = (State.SETTLED, State.LEFT, State.CLOSED)
        orders = [make_order(state, paid=state in paid) for state in State]
        first, last = orders[0], orders[-1]
        first.comeback_of = last
        first.save()
        inspection = Inspection.get_or_none() or Inspection.create(order=orders[1])
        for n in range(3):
            InspectionPhoto.create(
                inspection=inspection, filename=f"p{n}.jpg", image=bytes(range(256)) * (n + 5)
            )
        Signature.create(image=b"\x89PNG\r\n\x1a\n" + bytes(4000), signer="王", document="x")
        make_vehicle()
        AuditLog.create(action="note", entity="shop", after="{}")
        Customer.create(name=TRICKY_NAME, notes=TRICKY_NOTES, phone="13500000009", address="\\N")
        assert check_database() == []
    finally:
        close_database()
    return db_path


def _file_counts(path: Path) -> dict[str, int]:
    db = open_database(path, migrate=False)
    try:
        return {m._meta.table_name: figures(db, m).rows for m in ALL_MODELS}
    finally:
        close_database()


def test_migrate_db_moves_a_single_pc_shop(single_pc_shop, capsys):
    want = _file_counts(single_pc_shop)
    with pg_support.fresh_database(None) as url:
        code = cli_main(["migrate-db", "--from", f"sqlite:///{single_pc_shop}", "--to", url])
        out = capsys.readouterr()
        assert code == 0, out.err
        assert "repair_order: " in out.out and "match" in out.out

        db = open_database(url)
        try:
            have = {m._meta.table_name: figures(db, m).rows for m in ALL_MODELS}
            assert have == want
            assert want["repair_order"] >= len(State) and want["inspection_photo"] == 3
            assert check_database(db) == []
            photos = [p.image for p in InspectionPhoto.select().order_by(InspectionPhoto.id)]
            assert photos == [bytes(range(256)) * (n + 5) for n in range(3)]
            tricky = Customer.get(Customer.name == TRICKY_NAME)
            assert (tricky.notes, tricky.address, tricky.phone2) == (TRICKY_NOTES, "\\N", "")
            comeback = RepairOrder.get(RepairOrder.comeback_of.is_null(False))
            assert comeback.comeback_of.id > comeback.id
            # the sequences continue after the copied ids
            top = Customer.select(peewee.fn.MAX(Customer.id)).scalar()
            advisor = Staff.get(Staff.login == "advisor")
            added = customers.create_customer(advisor, name="新客户 new", phone="13400000000")
            assert added.id == top + 1
            with pytest.raises(peewee.DatabaseError, match="append-only"), db.atomic():
                AuditLog.delete().execute()
        finally:
            close_database()

        # a second run finds data there and changes nothing
        with pytest.raises(MigrationRefused, match="already holds shop data"):
            migrate(str(single_pc_shop), url)
        db = open_database(url)
        try:
            assert Customer.select().count() == want["customer"] + 1
        finally:
            close_database()


@pytest.mark.parametrize(
    ("model", "figure", "shown"),
    [(AuditLog, "rows", "rows"), (Payment, "amounts", "sums of the amounts")],
)
def test_migrate_db_rolls_back_when_a_figure_differs(
    single_pc_shop, monkeypatch, model, figure, shown
):
    from shop_desk import migrate_db

    real = migrate_db.figures

    def one_lost(db, table):
        found = real(db, table)
        if table is model and isinstance(db, peewee.PostgresqlDatabase):
            if figure == "rows":
                return dataclasses.replace(found, rows=found.rows - 1)
            return dataclasses.replace(found, amounts=(found.amounts[0] - 1, *found.amounts[1:]))
        return found

    monkeypatch.setattr(migrate_db, "figures", one_lost)
    table = model._meta.table_name
    with pg_support.fresh_database(None) as url:
        with pytest.raises(MigrationRefused, match=rf"{table} differs after copying \({shown}: "):
            migrate(f"sqlite:///{single_pc_shop}", url)
        db = open_database(url, migrate=False)
        try:
            assert db.get_tables() == []  # the whole copy, tables included, rolled back
        finally:
            close_database()


def test_migrate_db_accepts_a_server_database_a_pc_opened_once(single_pc_shop):
    """A PC pointed at the new server before the move created the tables and defaults
    only: that still counts as empty."""
    with pg_support.fresh_database(None) as url:
        open_database(url)
        close_database()
        result = migrate(str(single_pc_shop), url)
        assert result.tables["staff"].rows == 15
        assert result.tables["warranty_policy"] == _figures_in_file(
            single_pc_shop, "warranty_policy"
        )


def _figures_in_file(path: Path, table: str):
    db = open_database(path, migrate=False)
    try:
        model = next(m for m in ALL_MODELS if m._meta.table_name == table)
        return figures(db, model)
    finally:
        close_database()


def _contents(url: str | Path) -> dict[str, list[tuple]]:
    """Every row of every table, as Python values, in id order."""
    open_database(url, migrate=False)
    try:
        return {
            m._meta.table_name: list(m.select().order_by(m._meta.primary_key).tuples())
            for m in ALL_MODELS
        }
    finally:
        close_database()


def test_migrate_db_of_the_demo_shop_loses_nothing(tmp_path, capsys):
    """The demo shop as ``shop-desk demo --no-gui`` builds it, moved with ``shop-desk
    migrate-db``: every row of every table equal (money, times, signature images, the audit
    log), ``shop-desk check`` clean on the server, new rows continue the ids and numbers."""
    demo = tmp_path / "demo.db"
    assert cli_main(["demo", "--no-gui", "--db", str(demo)]) == 0
    want = _contents(demo)
    assert len(want["repair_order"]) > 50 and len(want["signature"]) > 50
    assert sum(len(r) for r in want.values()) > 5000
    capsys.readouterr()
    with pg_support.fresh_database(None) as url:
        assert cli_main(["migrate-db", "--from", f"sqlite:///{demo}", "--to", url]) == 0
        out = capsys.readouterr().out
        for table, rows in want.items():
            assert f"{table}: {len(rows)} rows copied" in out
        assert f"Moved {sum(len(r) for r in want.values())} rows in {len(want)} tables" in out

        have = _contents(url)
        for table, rows in want.items():
            assert have[table] == rows, table

        assert cli_main(["check", "--db", url]) == 0
        out = capsys.readouterr().out
        assert out.startswith("OK: no problems found in postgresql://shop_desk:***@")

        db = open_database(url)
        try:
            paid = sum((row.amount for row in Payment.select()), Decimal(0))
            (fen,) = db.execute_sql("SELECT SUM(amount) FROM payment").fetchone()
            assert paid > 0 and paid == Decimal(fen) / 100  # exact to the fen
            assert min(len(s.image) for s in Signature.select()) > 0  # every image whole
            last = RepairOrder.select().order_by(RepairOrder.created_at.desc()).first()
            clock.set_now(last.created_at + dt.timedelta(minutes=1))
            advisor = Staff.get(Staff.login == "advisor")
            top = {m: m.select(peewee.fn.MAX(m.id)).scalar() for m in (Customer, RepairOrder)}
            owner = customers.create_customer(advisor, name="新客户 new", phone="13400000001")
            numbers = {o.number for o in RepairOrder.select(RepairOrder.number)}
            vehicle = make_vehicle(owner=owner)
            order = reception.check_in(advisor, vehicle.id, odometer_km=12500).order
            assert owner.id == top[Customer] + 1 and order.id == top[RepairOrder] + 1
            stem = order.number.rsplit("-", 1)[0] + "-"
            same_day = [n for n in numbers if n.startswith(stem)]
            assert same_day and order.number > max(same_day)  # the day's next number
            assert check_database(db) == []
        finally:
            close_database()


def test_several_pcs_opening_a_new_server_database_at_once(tmp_path):
    """The morning every PC starts at once on a new (or just upgraded) server database: one
    of them creates the tables, the others wait for it and find them made."""
    code = (
        "import sys\n"
        "from shop_desk.db import open_database\n"
        "from shop_desk.migrations import LATEST, schema_version\n"
        "print(schema_version(open_database(sys.argv[1])) == LATEST)\n"
    )
    with pg_support.fresh_database(None) as url:
        pcs = [
            subprocess.Popen(
                [sys.executable, "-c", code, url],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
            )
            for _ in range(4)
        ]
        answers = [pc.communicate(timeout=120) for pc in pcs]
        assert [out.strip() for out, _ in answers] == ["True"] * 4, [e for _, e in answers]
        db = open_database(url)
        try:
            assert Staff.select().count() == 0 and check_database(db) == []
        finally:
            close_database()
