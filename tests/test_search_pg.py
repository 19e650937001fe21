"""The global search's own table on a PostgreSQL server gives the SQLite file's answers.

One shop is made in an SQLite file and moved onto the server with ``migrate-db`` (same rows,
same ids); then the index (:func:`shop_desk.search_index.match`) and the whole search list
(:func:`shop_desk.services.search.search`) must answer alike for words of one, two and more
characters, before and after the same inserts, updates and deletes on both. Also: the table
and its trigram indexes are there after ``migrate-db`` and after the upgrade of a server
database made before them. Runs only when ``SHOP_DESK_TEST_PG`` names a server.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import pg_support

if pg_support.server_url() is None:
    pytest.skip(pg_support.SKIP_REASON, allow_module_level=True)

from factories import make_order  # noqa: E402
from shop_desk import migrations, search_index, search_index_pg  # noqa: E402
from shop_desk.db import close_database, database, open_database  # noqa: E402
from shop_desk.migrate_db import migrate  # noqa: E402
from shop_desk.models import Customer, RepairOrder, Vehicle  # noqa: E402
from shop_desk.services.search import search  # noqa: E402
from shop_desk.states import State  # noqa: E402

NAMES = ["王", "王建国", "李娜", "欧阳娜娜", "张伟", "王芳", "建国", "Ouyang Nana", "Li-Na"]
COMPANIES = ["", "上海(浦东)汽车-服务有限公司", "", "苏州·王记车行", ""]
#: words of one, two and more characters: names, plate pieces, phone pieces, VIN tails,
#: order numbers (with and without the RO), punctuation, either case
TERMS = [
    "王", "娜", "沪", "苏", "浦", "A", "7",
    "建国", "娜娜", "王建", "A1", "K3", "1Q", "b7", "12", "-N", "(浦", "O2",
    "王建国", "欧阳娜", "12345", "7K31", "沪B7K31", "0001234", "5678", "34567",
    "123458", "N2123", "2611", "611-0", "1101-0", "RO26110", "ro261102-01", "(浦东)",
    "浦东)汽", "汽车-服", "OUYANG", "li-na", "NA", "王记", "%", "_", "A_1", "\\",
]  # fmt: skip


def _fill() -> None:
    """Customers, vehicles and orders enough that common words have more hits than the
    limits and the newest-rows window below."""
    for n in range(60):
        owner = Customer.create(
            name=NAMES[n % len(NAMES)] + ("" if n < 20 else str(n % 3)),
            company=COMPANIES[n % len(COMPANIES)],
            phone=f"138{n:04d}{1234 + n:04d}",
            phone2="" if n % 4 else f"021-{5678 + n:04d}-{n}",
            kind="company" if COMPANIES[n % len(COMPANIES)] else "person",
        )
        province = "沪苏浙"[n % 3]
        car = Vehicle.create(
            owner=owner,
            vin=f"LSVAU2A{n:02d}N2123458"[:17],
            plate=f"{province}{'AB'[n % 2]}·{n % 7}K3{n % 10}Q" if n % 9 else "",
            make="VW",
            model="Passat",
        )
        if n % 3 == 0:
            make_order(
                State.CHECKED_IN, vehicle=car, lines=False, number=f"RO2611{n % 4:02d}-{n:03d}"
            )


def _answers(limits=(3, 20)) -> dict:
    """The index's ids per kind and the search list, per term and limit."""
    out = {}
    for term in TERMS:
        for limit in limits:
            hits = search(term, limit)
            out[term, limit] = (
                search_index.match(database.obj, [term.upper()], limit),
                [(h.kind, h.id, h.title, h.subtitle) for h in hits],
            )
    return out


def _change() -> None:
    """The same edits on either database: new rows, renamed ones, deleted ones."""
    first = Customer.select().order_by(Customer.id).first()
    Customer.update(name="王卫国", phone="13999990000").where(Customer.id == first.id).execute()
    car = Vehicle.select().where(Vehicle.plate != "").order_by(Vehicle.id.desc()).first()
    Vehicle.update(plate="苏E·7K31Q").where(Vehicle.id == car.id).execute()
    order = RepairOrder.select().order_by(RepairOrder.id).first()
    RepairOrder.update(number="RO261199-777").where(RepairOrder.id == order.id).execute()
    newcomer = Customer.create(name="建国", phone="13612345678", kind="person")
    Vehicle.create(owner=newcomer, vin="LFV2A21K8N4123458", plate="沪B·12345", make="VW")
    gone = Vehicle.select().where(Vehicle.owner.is_null()).order_by(Vehicle.id).first()
    if gone is not None:
        gone.delete_instance()
    lonely = (
        Customer.select()
        .where(~Customer.id.in_(Vehicle.select(Vehicle.owner).where(Vehicle.owner.is_null(False))))
        .where(~Customer.id.in_(RepairOrder.select(RepairOrder.customer)))
        .order_by(Customer.id.desc())
        .first()
    )
    if lonely is not None:
        lonely.delete_instance()


@pytest.fixture
def shop_on_both(db_path: Path):
    """(file, server URL) holding the same shop."""
    open_database(db_path)
    try:
        _fill()
    finally:
        close_database()
    with pg_support.fresh_database(None) as url:
        migrate(f"sqlite:///{db_path}", url)
        yield db_path, url


def _on(where, what, *args):
    open_database(where)
    try:
        return what(*args)
    finally:
        close_database()


def _table_is_current() -> None:
    """The table holds what a rebuild from the rows would write, row for row."""
    db = database.obj
    kept = db.execute_sql("SELECT kind, id, body FROM search_text ORDER BY 1, 2").fetchall()
    with db.atomic() as txn:
        search_index_pg.rebuild(db)
        rebuilt = db.execute_sql("SELECT kind, id, body FROM search_text ORDER BY 1, 2").fetchall()
        txn.rollback()
    assert kept == rebuilt
    counts = {
        kind: n
        for kind, n in db.execute_sql("SELECT kind, count(*) FROM search_text GROUP BY kind")
    }
    want = {1: Vehicle.select().count(), 2: Customer.select().count()}
    want[3] = RepairOrder.select().count()
    assert counts == {kind: n for kind, n in want.items() if n}


def _trigram_indexes(db) -> set[str]:
    return {
        name
        for (name,) in db.execute_sql(
            "SELECT indexname FROM pg_indexes WHERE tablename = 'search_text'"
        ).fetchall()
    }


def test_server_answers_like_the_file_before_and_after_changes(shop_on_both, monkeypatch):
    path, url = shop_on_both
    on_file = _on(path, _answers)
    assert _on(url, _answers) == on_file
    # a tiny window: the trigram index answers what the newest rows do not
    monkeypatch.setattr(search_index_pg, "WINDOW", 4)
    assert _on(url, _answers) == on_file
    # the file's answers are not trivial: every kind, hits of each length of word
    found = {term: a[0] for (term, limit), a in on_file.items() if limit == 20}
    assert len(found["王"]["customer"]) == 20 and found["沪"]["vehicle"]
    assert found["建国"]["customer"] and found["K3"]["vehicle"] and not found["K3"]["order"]
    assert found["2611"]["order"] and found["1101-0"]["order"] and found["(浦东)"]["customer"]
    assert found["0001234"]["customer"] and found["123458"]["vehicle"]

    monkeypatch.setattr(search_index_pg, "WINDOW", 1000)
    _on(path, _change)
    _on(url, _change)
    on_file = _on(path, _answers)
    assert _on(url, _answers) == on_file
    monkeypatch.setattr(search_index_pg, "WINDOW", 4)
    assert _on(url, _answers) == on_file
    found = {term: a[0] for (term, limit), a in on_file.items() if limit == 20}
    assert found["7K31"]["vehicle"] and found["RO26110"]["order"]
    _on(url, _table_is_current)


def test_migrate_db_fills_and_indexes_the_table(shop_on_both):
    _path, url = shop_on_both
    db = open_database(url)
    try:
        _table_is_current()
        if db.execute_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone():
            assert {f"search_text_{k}_trgm" for k in search_index_pg.KIND_CODES} <= (
                _trigram_indexes(db)
            )
        # the triggers work again after the load (they are off during its COPY)
        added = Customer.create(name="司马光", phone="13700001111", kind="person")
        assert search_index.match(db, ["司马"], 20)["customer"] == [added.id]
        RepairOrder.delete().where(RepairOrder.id.in_(RepairOrder.select(RepairOrder.id))).execute()
        assert search_index.match(db, ["RO2611"], 20)["order"] == []
    finally:
        close_database()


def test_upgrade_of_a_server_database_made_before_the_table():
    with pg_support.fresh_database(None) as url:
        db = open_database(url)
        try:
            for table in ("vehicle", "customer", "repair_order"):
                db.execute_sql(f"DROP TRIGGER search_text_sync ON {table}")
                db.execute_sql(f"DROP TRIGGER search_text_change ON {table}")
                db.execute_sql(f"DROP TRIGGER search_text_truncate ON {table}")
            db.execute_sql("DROP TABLE search_text")
            db.execute_sql(f"UPDATE {migrations.SCHEMA_TABLE} SET version = 13")
            wang = Customer.create(name="王建国", phone="13912345678", kind="person")
            car = Vehicle.create(owner=wang, vin="LSVAU2A37N2123458", plate="沪B·7K31Q")
        finally:
            close_database()
        search_index_pg._AVAILABLE.clear()
        db = open_database(url)  # upgrades to the current schema
        try:
            assert migrations.schema_version(db) == migrations.LATEST >= 14
            _table_is_current()
            if db.execute_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone():
                assert len(_trigram_indexes(db)) == 4  # the key and one per kind
            assert search_index.match(db, ["建国"], 20)["customer"] == [wang.id]
            assert search_index.match(db, ["沪"], 20)["vehicle"] == [car.id]
            assert [h.id for h in search("7K31") if h.kind == "vehicle"] == [car.id]
        finally:
            close_database()


def test_search_after_the_connection_was_lost(shop_on_both):
    """The prepared statement is made again on the new connection."""
    _path, url = shop_on_both
    db = open_database(url)
    try:
        before = search_index.match(db, ["王"], 5)
        admin = pg_support._admin_connection(url)
        try:
            with admin.cursor() as cur:
                cur.execute(
                    "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                    "WHERE datname = current_database() AND pid <> pg_backend_pid()"
                )
        finally:
            admin.close()
        assert search_index.match(db, ["王"], 5) == before
    finally:
        close_database()
