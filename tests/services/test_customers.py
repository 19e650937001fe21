"""Customers and vehicles through their services: validation, duplicates, owners, odometer."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

from factories import make_vehicle
from shop_desk import clock
from shop_desk.errors import (
    ConfirmationRequired,
    ConflictError,
    PermissionDenied,
    ValidationError,
)
from shop_desk.models import AuditLog, Customer, OdometerReading, Vehicle, VehicleOwnership
from shop_desk.services import customers

# VINs with a correct check digit, and one with a wrong check digit (9th character).
VINS = ("LSVAU2A35N2123458", "LFV2A21K4M4012340", "LHGCR2651K8001234")
VIN_BAD_CHECK = "LSVAU2A30N2123458"


def _customer(staff, **kw):
    args = {"name": "王先生", "phone": "13800138000"}
    args.update(kw)
    return customers.create_customer(staff["advisor"], **args)


# ---------------------------------------------------------------------------- customers


def test_create_person_normalises_phone_and_contact_time(db, staff):
    c = _customer(
        staff,
        phone="+86 138 0013 8000",
        phone2="010-12345678",
        preferred_contact_time="18:00 - 20:00",
    )
    c = Customer.get_by_id(c.id)
    assert c.kind == "person"
    assert c.phone == "13800138000"
    assert c.phone2 == "010-12345678"
    assert c.preferred_contact_time == "18:00-20:00"
    entry = (
        AuditLog.select()
        .where((AuditLog.entity == "customer") & (AuditLog.entity_id == c.id))
        .get()
    )
    assert entry.action == "create_customer"
    assert entry.staff_name == staff["advisor"].name


@pytest.mark.parametrize("phone", ["12345", "23800138000", "1380013800", "", "abc"])
def test_invalid_phone_is_refused_and_nothing_saved(db, staff, phone):
    before = Customer.select().count()
    with pytest.raises(ValidationError) as err:
        _customer(staff, phone=phone)
    assert err.value.field == "phone"
    assert Customer.select().count() == before


def test_invalid_second_phone_and_contact_range_refused(db, staff):
    with pytest.raises(ValidationError) as err:
        _customer(staff, phone2="999")
    assert err.value.field == "phone2"
    with pytest.raises(ValidationError) as err:
        _customer(staff, preferred_contact_time="20:00-18:00")
    assert err.value.field == "preferred_contact_time"
    assert _customer(staff, preferred_contact_time="weekends").preferred_contact_time == "weekends"


def test_credit_limit_only_for_companies(db, staff):
    with pytest.raises(ValidationError) as err:
        _customer(staff, credit_limit="5000")
    assert err.value.field == "credit_limit"
    company = _customer(
        staff, name="上海某物流有限公司", kind="company", credit_limit="50000", phone="021-64001234"
    )
    assert company.kind == "company"
    assert company.company == "上海某物流有限公司"
    assert Customer.get_by_id(company.id).credit_limit == Decimal("50000.00")
    with pytest.raises(ValidationError):
        _customer(staff, kind="club")


def test_update_customer_changes_only_given_fields(db, staff):
    c = _customer(staff, address="虹梅路 1 号")
    customers.update_customer(staff["crm"], c, preferred_contact_time="09:00-11:00")
    c = Customer.get_by_id(c.id)
    assert c.preferred_contact_time == "09:00-11:00"
    assert c.address == "虹梅路 1 号" and c.phone == "13800138000"
    entry = AuditLog.select().where(AuditLog.action == "update_customer").get()
    assert json.loads(entry.before)["preferred_contact_time"] == ""
    assert json.loads(entry.after)["preferred_contact_time"] == "09:00-11:00"
    with pytest.raises(ValidationError):
        customers.update_customer(staff["advisor"], c, phone="123")
    assert Customer.get_by_id(c.id).phone == "13800138000"


def test_two_desks_editing_the_same_customer_the_second_is_refused(db, staff):
    """Issue 17 item 6: both desks loaded version 1; the second save must not overwrite."""
    c = _customer(staff)
    seen = Customer.get_by_id(c.id).version
    customers.update_customer(staff["advisor"], c, address="虹梅路 1 号", expected_version=seen)
    with pytest.raises(ConflictError, match="after you opened it"):
        customers.update_customer(
            staff["crm"], c, address="漕宝路 9 号", phone="13900139000", expected_version=seen
        )
    row = Customer.get_by_id(c.id)
    assert (row.address, row.phone, row.version) == ("虹梅路 1 号", "13800138000", seen + 1)
    customers.update_customer(staff["crm"], c, address="漕宝路 9 号", expected_version=seen + 1)
    assert Customer.get_by_id(c.id).address == "漕宝路 9 号"


def test_two_desks_editing_the_same_vehicle_the_second_is_refused(db, staff):
    v = make_vehicle()
    seen = Vehicle.get_by_id(v.id).version
    customers.update_vehicle(staff["advisor"], v, colour="白 white", expected_version=seen)
    with pytest.raises(ConflictError):
        customers.update_vehicle(staff["advisor2"], v, colour="黑 black", expected_version=seen)
    with pytest.raises(ConflictError):
        customers.change_owner(
            staff["advisor2"], v, _customer(staff, phone="13900139000"), expected_version=seen
        )
    row = Vehicle.get_by_id(v.id)
    assert (row.colour, row.owner_id, row.version) == ("白 white", v.owner_id, seen + 1)


def test_technician_and_cashier_cannot_create_customers(db, staff):
    for login in ("tech1", "cashier"):
        with pytest.raises(PermissionDenied):
            customers.create_customer(staff[login], "李", "13900000000")
    assert not Customer.select().where(Customer.name == "李").exists()


# ---------------------------------------------------------------------------- vehicles


def test_create_vehicle_stores_plate_key_owner_and_first_reading(db, staff):
    owner = _customer(staff)
    v = customers.create_vehicle(
        staff["advisor"],
        owner,
        VINS[0].lower(),
        "沪A·12345",
        make="大众",
        model="帕萨特",
        year=2024,
        sale_date=dt.date(2025, 5, 1),
        odometer_km=15000,
    )
    v = Vehicle.get_by_id(v.id)
    assert v.vin == VINS[0]
    assert v.plate == "沪A12345"
    assert v.warranty_start == dt.date(2025, 5, 1)  # defaults to the sale date
    assert v.last_odometer_km == 15000
    assert [(o.customer_id, o.since, o.until) for o in customers.ownership_history(v)] == [
        (owner.id, dt.date(2025, 5, 1), None)
    ]
    assert [r.km for r in customers.odometer_history(v)] == [15000]
    assert customers.vehicle_label(v).startswith("沪A·12345")


@pytest.mark.parametrize("vin", ["LSVAU2A37N212345", "LSVAU2A37N2123O58", "LSVAU2A37N21234$8"])
def test_invalid_vin_refused(db, staff, vin):
    with pytest.raises(ValidationError) as err:
        customers.create_vehicle(staff["advisor"], _customer(staff), vin, "沪A12345")
    assert err.value.field == "vin"
    assert not Vehicle.select().exists()


def test_vin_check_digit_mismatch_is_accepted_with_a_warning(db, staff):
    assert customers.vin_warning(VIN_BAD_CHECK)
    assert customers.vin_warning(VINS[0]) == ""
    v = customers.create_vehicle(staff["advisor"], _customer(staff), VIN_BAD_CHECK, "沪B12345")
    assert Vehicle.get_by_id(v.id).vin == VIN_BAD_CHECK


@pytest.mark.parametrize("plate", ["沪12345", "XA12345", "沪A1234", "沪I12345"])
def test_invalid_plate_refused(db, staff, plate):
    with pytest.raises(ValidationError) as err:
        customers.create_vehicle(staff["advisor"], _customer(staff), VINS[0], plate)
    assert err.value.field == "plate"


def test_duplicate_vin_or_plate_names_the_vehicle_and_owner(db, staff):
    owner = _customer(staff, name="赵女士")
    customers.create_vehicle(staff["advisor"], owner, VINS[0], "粤B·D12345")
    other = _customer(staff, name="钱先生", phone="13900000001")
    with pytest.raises(ValidationError) as err:
        customers.create_vehicle(staff["advisor"], other, VINS[0], "沪A11111")
    assert (
        err.value.field == "vin" and "赵女士" in str(err.value) and "粤B·D12345" in str(err.value)
    )
    with pytest.raises(ValidationError) as err:
        customers.create_vehicle(
            staff["advisor"], other, VINS[1], "粤B D12345"
        )  # same plate, other spelling
    assert err.value.field == "plate" and "赵女士" in str(err.value) and VINS[0] in str(err.value)
    assert Vehicle.select().count() == 1


def test_update_vehicle_checks_duplicates_but_not_itself(db, staff):
    a = customers.create_vehicle(staff["advisor"], _customer(staff), VINS[0], "沪A11111")
    customers.create_vehicle(staff["advisor"], _customer(staff), VINS[1], "沪A22222")
    customers.update_vehicle(staff["advisor"], a, plate="沪A·11111", colour="黑 Black")
    assert Vehicle.get_by_id(a.id).colour == "黑 Black"
    with pytest.raises(ValidationError) as err:
        customers.update_vehicle(staff["advisor"], a, plate="沪A22222")
    assert err.value.field == "plate"
    assert Vehicle.get_by_id(a.id).plate == "沪A11111"


def test_future_sale_date_refused(db, staff):
    with pytest.raises(ValidationError) as err:
        customers.create_vehicle(
            staff["advisor"],
            _customer(staff),
            VINS[0],
            "沪A12345",
            sale_date=clock.today() + dt.timedelta(days=1),
        )
    assert err.value.field == "sale_date"


def test_technician_cannot_create_vehicle(db, staff):
    with pytest.raises(PermissionDenied):
        customers.create_vehicle(staff["tech1"], _customer(staff), VINS[0], "沪A12345")


def test_change_owner_keeps_history(db, staff):
    first = _customer(staff, name="甲")
    second = _customer(staff, name="乙", phone="13900000002")
    v = customers.create_vehicle(
        staff["advisor"], first, VINS[0], "沪A12345", sale_date=dt.date(2024, 1, 10)
    )
    customers.change_owner(staff["advisor"], v, second, since=dt.date(2026, 10, 1))
    assert Vehicle.get_by_id(v.id).owner_id == second.id
    history = customers.ownership_history(v)
    assert [(o.customer_id, o.since, o.until) for o in history] == [
        (first.id, dt.date(2024, 1, 10), dt.date(2026, 10, 1)),
        (second.id, dt.date(2026, 10, 1), None),
    ]
    with pytest.raises(ValidationError):
        customers.change_owner(staff["advisor"], v, second)
    with pytest.raises(ValidationError):
        customers.change_owner(
            staff["advisor"], v, first, since=dt.date(2026, 9, 1)
        )  # before current
    assert VehicleOwnership.select().count() == 2


# ---------------------------------------------------------------------------- odometer


def test_odometer_higher_is_recorded(db, staff):
    v = make_vehicle(odometer=12000)
    customers.record_odometer(staff["advisor"], v, 12500)
    v = Vehicle.get_by_id(v.id)
    assert v.last_odometer_km == 12500
    assert [r.km for r in customers.odometer_history(v)] == [12000, 12500]  # baseline + new


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_odometer_lower_needs_a_reason(db, staff, reason):
    v = make_vehicle(odometer=12000)
    with pytest.raises(ConfirmationRequired) as err:
        customers.record_odometer(staff["advisor"], v, 11000, confirm_reason=reason)
    assert err.value.what == "lower_odometer"
    assert "12000" in str(err.value)
    assert Vehicle.get_by_id(v.id).last_odometer_km == 12000
    assert not OdometerReading.select().where(OdometerReading.km == 11000).exists()


def test_odometer_lower_with_reason_is_stored(db, staff):
    v = make_vehicle(odometer=12000)
    reading = customers.record_odometer(
        staff["advisor"], v, 300, confirm_reason="仪表更换 cluster replaced"
    )
    assert reading.lower_reason == "仪表更换 cluster replaced"
    assert Vehicle.get_by_id(v.id).last_odometer_km == 300
    # the next reading compares with the new, lower one
    assert customers.record_odometer(staff["advisor"], v, 400).lower_reason == ""


def test_odometer_must_be_a_sane_number(db, staff):
    v = make_vehicle()
    for bad in ("abc", -5, 3_000_000):
        with pytest.raises(ValidationError):
            customers.record_odometer(staff["advisor"], v, bad)


# ---------------------------------------------------------------------------- plates


@pytest.mark.parametrize(
    ("typed", "shown"),
    [("川A1234学", "川A·1234学"), ("粤B1234挂", "粤B·1234挂"), ("粤b·1234挂", "粤B·1234挂")],
)
def test_learner_and_trailer_plates_are_valid_and_shown_with_the_dot(typed, shown):
    from shop_desk.validation import check_plate, display_plate

    checked = check_plate(typed)
    assert checked.ok, checked.message
    assert display_plate(checked.value) == shown


@pytest.mark.parametrize("typed", ["川A12345学", "川A123学", "粤B1234"])
def test_learner_and_trailer_plates_have_four_characters_before_their_kind(typed):
    from shop_desk.validation import check_plate

    assert not check_plate(typed).ok


def test_a_learner_car_is_registered_with_its_plate(db, staff):
    owner = _customer(staff)
    car = customers.create_vehicle(staff["advisor"], owner, VINS[0], "川A1234学")
    assert Vehicle.get_by_id(car.id).plate == "川A1234学"


# ---------------------------------------------------------------------------- together


def test_customer_and_car_are_saved_together(db, staff):
    person, car = customers.save_customer_and_vehicle(
        staff["advisor"],
        None,
        None,
        {"name": "孙女士", "phone": "13933334444"},
        {"vin": VINS[2], "plate": "沪C12345", "odometer_km": 23000},
    )
    assert car.owner_id == person.id and car.last_odometer_km == 23000
    assert Customer.get_by_id(person.id).name == "孙女士"


def test_no_customer_is_saved_when_the_car_is_refused(db, staff):
    owner = _customer(staff)
    customers.create_vehicle(staff["advisor"], owner, VINS[0], "沪C12345")
    before = (Customer.select().count(), Vehicle.select().count(), AuditLog.select().count())
    with pytest.raises(ValidationError) as err:
        customers.save_customer_and_vehicle(
            staff["advisor"],
            None,
            None,
            {"name": "孙女士", "phone": "13933334444"},
            {"vin": VINS[1], "plate": "沪C·12345"},  # the plate is another car's
        )
    assert err.value.field == "plate"
    after = (Customer.select().count(), Vehicle.select().count(), AuditLog.select().count())
    assert after == before
    assert not Customer.select().where(Customer.name == "孙女士").exists()
