"""Prepared reads give exactly what the plain query gives, for the values of each run."""

from __future__ import annotations

import pytest

from factories import make_customer, make_order, make_vehicle
from shop_desk.models import Customer, RepairOrder, Vehicle
from shop_desk.services.prepared import Prepared

BY_NUMBER = Prepared(
    lambda number: (
        RepairOrder.select(RepairOrder, Customer, Vehicle)
        .join(Customer)
        .switch(RepairOrder)
        .join(Vehicle)
        .where(RepairOrder.number == number)
    ),
    str,
)
PLATES_OF = Prepared(
    lambda owner_id, not_plate: (
        Vehicle.select(Vehicle.plate)
        .where((Vehicle.owner == owner_id) & (Vehicle.plate != not_plate))
        .order_by(Vehicle.plate)
        .tuples()
    ),
    int,
    str,
)


def test_rows_are_those_of_the_plain_query_for_each_value(db):
    first = make_order()
    second = make_order(vehicle=make_vehicle(make_customer("李女士", "13900139000")))
    for order in (first, second, first):
        got = BY_NUMBER.first(order.number)
        assert got.id == order.id
        # the joined customer and car come with the row, as from the plain query
        assert (got.customer.name, got.vehicle.plate) == (
            order.customer.name,
            order.vehicle.plate,
        )
        assert got.created_at == order.created_at  # converted like any model read
    assert BY_NUMBER.first("RO-NO-SUCH") is None
    assert BY_NUMBER.all("") == []


def test_several_values_and_plain_tuples(db):
    owner = make_customer("赵先生", "13700137000")
    for plate in ("沪A·00001", "沪A·00002", "沪A·00003"):
        make_vehicle(owner, plate=plate)
    assert PLATES_OF.all(owner.id, "沪A·00002") == [("沪A·00001",), ("沪A·00003",)]
    assert PLATES_OF.all(owner.id, "沪A·00001") == [("沪A·00002",), ("沪A·00003",)]
    assert PLATES_OF.all(owner.id + 1000, "") == []


def test_a_value_that_does_not_reach_the_sql_once_is_refused(db):
    twice = Prepared(
        lambda plate: Vehicle.select().where((Vehicle.plate == plate) | (Vehicle.vin == plate)),
        str,
    )
    with pytest.raises(ValueError, match="2 times"):
        twice.all("沪A·00001")
    unused = Prepared(lambda plate: Vehicle.select(), str)
    with pytest.raises(ValueError, match="0 times"):
        unused.all("沪A·00001")


def test_only_text_and_whole_numbers_can_be_values():
    with pytest.raises(TypeError):
        Prepared(lambda when: Vehicle.select(), float)
