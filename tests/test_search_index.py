"""The trigram index behind the global search stays in step with the tables."""

from __future__ import annotations

import peewee

from factories import make_customer, make_order, make_vehicle
from shop_desk import search_index
from shop_desk.db import database
from shop_desk.models import Customer, Vehicle
from shop_desk.services.search import search


def _kinds(hits):
    return {(h.kind, h.title) for h in hits}


def test_index_follows_inserts_updates_and_deletes(db):
    wang = make_customer("欧阳娜娜", "13912345678")
    car = make_vehicle(wang, vin="LSVAU2A37N2123458", plate="沪B·7K31Q")
    found = search_index.match(database.obj, ["7K31"], 20)
    assert found["vehicle"] == [car.id]
    assert search_index.match(database.obj, ["2345678"], 20)["customer"] == [wang.id]
    Vehicle.update(plate="沪C99999").where(Vehicle.id == car.id).execute()
    assert search_index.match(database.obj, ["7K31"], 20)["vehicle"] == []
    assert search_index.match(database.obj, ["C9999"], 20)["vehicle"] == [car.id]
    car.delete_instance()
    assert search_index.match(database.obj, ["C9999"], 20)["vehicle"] == []
    assert search_index.match(database.obj, ["a"], 20) is None  # one Latin letter says nothing


def test_one_and_two_characters_find_plates_and_names_anywhere(db):
    wang = make_customer("王建国", "13912345678")
    li = make_customer("李娜", "13800001111")
    car = make_vehicle(wang, vin="LSVAU2A37N2123458", plate="苏E·7K31Q")
    match = search_index.match
    assert match(database.obj, ["建国"], 20)["customer"] == [wang.id]  # not only a prefix
    assert match(database.obj, ["娜"], 20)["customer"] == [li.id]
    assert match(database.obj, ["苏"], 20)["vehicle"] == [car.id]
    assert match(database.obj, ["1q"], 20)["vehicle"] == [car.id]  # case does not matter
    # two digits are not a phone number or a VIN: plates and names only
    assert match(database.obj, ["39"], 20) == {"vehicle": [], "customer": [], "order": []}
    Customer.update(name="王卫国").where(Customer.id == wang.id).execute()
    assert match(database.obj, ["建国"], 20)["customer"] == []
    assert match(database.obj, ["卫国"], 20)["customer"] == [wang.id]


def test_each_kind_gets_its_own_share_of_the_hits(db):
    """Many order numbers containing a word do not crowd out the customer with that number."""
    owner = make_customer("赵敏", "13926111234")
    car = make_vehicle(owner, vin="LSVAU2A37N2123458", plate="沪B·7K31Q")
    for n in range(1, 8):
        make_order("checked_in", vehicle=car, number=f"RO261102-{n:03d}")
    found = search_index.match(database.obj, ["2611"], 3)
    assert found["customer"] == [owner.id]
    assert len(found["order"]) == 3  # the newest three
    assert found["order"] == sorted(found["order"], reverse=True)


def test_search_gives_the_same_answers_with_and_without_the_index(db):
    wang = make_customer("欧阳娜娜", "13912345678")
    car = make_vehicle(wang, vin="LSVAU2A37N2123458", plate="沪B·7K31Q")
    order = make_order("checked_in", vehicle=car, number="RO261102-777")
    queries = [
        "7K31",
        "B7K31Q",
        "123458",
        "欧阳娜娜",
        "1391234",
        "261102-777",
        "欧阳",
        "阳娜",
        "7K",
        "沪",
    ]
    with_index = {q: _kinds(search(q)) for q in queries}
    assert any(k == "order" for k, _ in with_index["261102-777"])
    assert any(k == "customer" for k, _ in with_index["1391234"])
    assert any(k == "customer" for k, _ in with_index["阳娜"])
    assert any(k == "vehicle" for k, _ in with_index["7K"])
    database.obj.execute_sql(f"DROP TABLE {search_index.TABLE}")
    for sql in search_index.triggers_sql():  # the triggers would fail without their table
        name = sql.split("EXISTS ", 1)[1].split()[0]
        database.obj.execute_sql(f"DROP TRIGGER {name}")
    search_index._AVAILABLE.clear()
    without = {q: _kinds(search(q)) for q in queries}
    assert with_index == without
    assert order.number in {t for _k, t in without["261102-777"]}


def test_install_replaces_the_first_layout(db):
    """A file made with the first layout (rowid id*4+kind, table search_index) is rebuilt."""
    wang = make_customer("欧阳娜娜", "13912345678")
    db_obj = database.obj
    for sql in search_index.triggers_sql():
        db_obj.execute_sql(f"DROP TRIGGER {sql.split('EXISTS ', 1)[1].split()[0]}")
    db_obj.execute_sql(f"DROP TABLE {search_index.TABLE}")
    db_obj.execute_sql("CREATE VIRTUAL TABLE search_index USING fts5(body, tokenize='trigram')")
    db_obj.execute_sql(
        "CREATE TRIGGER search_customer_ins AFTER INSERT ON customer BEGIN "
        "INSERT INTO search_index (rowid, body) VALUES (NEW.id * 4 + 2, NEW.name); END"
    )
    search_index.install(db_obj)
    assert "search_index" not in db_obj.get_tables()
    li = make_customer("李娜", "13800001111")  # the old trigger is gone with its table
    assert search_index.match(db_obj, ["娜娜"], 20)["customer"] == [wang.id]
    assert search_index.match(db_obj, ["李娜"], 20)["customer"] == [li.id]
    assert isinstance(db_obj, peewee.SqliteDatabase)
