"""The trigram index behind the global search stays in step with the tables."""

from __future__ import annotations

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
    assert search_index.match(database.obj, ["王"], 20) is None  # too short: LIKE fallback


def test_search_gives_the_same_answers_with_and_without_the_index(db):
    wang = make_customer("欧阳娜娜", "13912345678")
    car = make_vehicle(wang, vin="LSVAU2A37N2123458", plate="沪B·7K31Q")
    order = make_order("checked_in", vehicle=car, number="RO261102-777")
    queries = ["7K31", "B7K31Q", "123458", "欧阳娜娜", "1391234", "261102-777", "欧阳"]
    with_index = {q: _kinds(search(q)) for q in queries}
    assert any(k == "order" for k, _ in with_index["261102-777"])
    assert any(k == "customer" for k, _ in with_index["1391234"])
    database.obj.execute_sql("DROP TABLE search_index")
    search_index._AVAILABLE.clear()
    without = {q: _kinds(search(q)) for q in queries}
    assert with_index == without
    assert order.number in {t for _k, t in without["261102-777"]}
    assert Customer.select().count() >= 1
