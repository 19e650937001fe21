"""The shop's warranty terms: policies the admin keeps and a car's warranty card (保卡), as the
engine reads them on the next decision."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from factories import make_vehicle
from shop_desk.errors import DomainError, PermissionDenied, ValidationError
from shop_desk.models import AuditLog, WarrantyOverride, WarrantyPolicy
from shop_desk.services import warranty, warranty_terms

START = dt.date(2024, 1, 1)


def _policy(category: str) -> WarrantyPolicy:
    return warranty.policy_for(category)


def _car():
    return make_vehicle(sale_date=START, warranty_start=START)


# --------------------------------------------------------------------------- policies


def test_a_longer_period_decides_the_next_item_at_once(db, staff):
    car = _car()
    fitted = dt.date(2025, 3, 1)
    later = fitted + dt.timedelta(days=400)  # past the seeded 365 days

    def decision():
        return warranty.decide(car, "shop_fitted", 30000, later, fitted, fitted_km=20000)

    assert decision().status == "not_covered"
    policy = _policy("shop_fitted")
    warranty_terms.save_policy(
        staff["admin"], policy.id, policy.name, "shop_fitted", "fitted", 730, None, False
    )
    now = decision()
    assert now.status == "covered"
    assert now.last_day == fitted + dt.timedelta(days=729)
    entry = AuditLog.select().where(AuditLog.action == "save_policy").get()
    assert json.loads(entry.before)["days"] == 365 and json.loads(entry.after)["days"] == 730
    assert entry.staff_name == staff["admin"].name


def test_a_new_category_and_its_exclusion(db, staff):
    car = _car()
    warranty_terms.save_policy(
        staff["manager"], None, "蓄电池 Battery", "battery", "vehicle", "", "", True
    )
    d = warranty.decide(car, "battery", 1000, START + dt.timedelta(days=5))
    assert d.status == "not_covered" and "excluded" in d.reason
    assert "battery" in warranty_terms.known_categories()
    saved = _policy("battery")
    assert saved.days is None and saved.km is None


def test_one_active_policy_per_category(db, staff):
    with pytest.raises(ValidationError, match="already has the policy") as info:
        warranty_terms.save_policy(staff["admin"], None, "Second", "general", "vehicle", 30)
    assert info.value.field == "category"
    body = _policy("body")
    with pytest.raises(ValidationError, match="already has the policy"):  # moved onto general
        warranty_terms.save_policy(staff["admin"], body.id, body.name, "general", "vehicle", 30)
    assert WarrantyPolicy.select().where(WarrantyPolicy.category == "general").count() == 1


def test_retired_policy_is_kept_and_the_category_can_start_again(db, staff):
    car = _car()
    old = _policy("general")
    warranty_terms.retire_policy(staff["admin"], old.id)
    assert warranty.decide(car, "general", 100, START).status == "pending"
    old = WarrantyPolicy.get_by_id(old.id)
    assert not old.active  # kept for history
    with pytest.raises(DomainError, match="retired already"):
        warranty_terms.retire_policy(staff["admin"], old.id)
    with pytest.raises(DomainError, match="kept for history"):
        warranty_terms.save_policy(staff["admin"], old.id, old.name, "general", "vehicle", 30)
    new = warranty_terms.save_policy(
        staff["admin"], None, "新车质保 4 years", "general", "vehicle", 4 * 365, 100000
    )
    d = warranty.decide(car, "general", 80000, START + dt.timedelta(days=3 * 365 + 10))
    assert d.status == "covered" and d.policy.id == new.id
    assert warranty_terms.policies()[-1].id == old.id  # retired ones listed last


@pytest.mark.parametrize(
    ("days", "km", "message"),
    [
        (None, None, "in days, in kilometres or both"),
        (0, None, "between 1 and"),
        (20 * 365 + 1, None, "between 1 and"),
        (None, 2_000_001, "between 1 and"),
        ("a year", None, "whole number"),
    ],
)
def test_periods_in_sensible_ranges(db, staff, days, km, message):
    policy = _policy("accessory")
    with pytest.raises(ValidationError, match=message):
        warranty_terms.save_policy(
            staff["admin"], policy.id, policy.name, "accessory", "fitted", days, km
        )
    assert WarrantyPolicy.get_by_id(policy.id).days == 90


@pytest.mark.parametrize(
    ("name", "category", "basis", "message"),
    [
        ("", "general2", "vehicle", "Policy name is required"),
        ("X", "Big Cat", "vehicle", "small letters"),
        ("X", "tyres", "sold", "Counted"),
    ],
)
def test_policy_fields_refused_in_words(db, staff, name, category, basis, message):
    with pytest.raises(ValidationError, match=message):
        warranty_terms.save_policy(staff["admin"], None, name, category, basis, 30)


@pytest.mark.parametrize("login", ["advisor", "tech1", "cashier"])
def test_policies_are_the_admins_and_managers(db, staff, login):
    policy = _policy("general")
    with pytest.raises(PermissionDenied):
        warranty_terms.save_policy(
            staff[login], policy.id, policy.name, "general", "vehicle", 9999, None
        )
    with pytest.raises(PermissionDenied):
        warranty_terms.retire_policy(staff[login], policy.id)
    assert _policy("general").days == 3 * 365


# --------------------------------------------------------------------------- warranty cards


def test_a_warranty_card_extends_the_cover_beyond_the_policy(db, staff):
    car = _car()
    on = START + dt.timedelta(days=4 * 365)
    assert warranty.decide(car, "general", 90000, on).status == "not_covered"
    card = warranty_terms.add_override(
        staff["advisor"], car.id, "general", "延保卡 EW-2024-0815", dt.date(2028, 12, 31), 150000
    )
    d = warranty.decide(car, "general", 90000, on)
    assert d.status == "covered" and d.override.id == card.id
    assert "EW-2024-0815" in d.reason
    assert warranty.decide(car, "general", 150001, on).status == "not_covered"
    assert warranty_terms.override_text(card) == "until 2028-12-31 / up to 150,000 km"
    entry = AuditLog.select().where(AuditLog.action == "add_override").get()
    assert entry.entity == "warranty_override" and entry.entity_id == card.id


def test_an_excluded_card_refuses_cover_within_the_policy(db, staff):
    car = _car()
    on = START + dt.timedelta(days=100)
    assert warranty.decide(car, "body", 5000, on).status == "covered"
    warranty_terms.add_override(
        staff["manager"], car, "body", "水淹车 flood damage, manager's note", excluded=True
    )
    d = warranty.decide(car, "body", 5000, on)
    assert d.status == "not_covered" and "flood damage" in d.reason
    assert warranty.decide(car, "general", 5000, on).status == "covered"  # only that category


def test_removing_a_card_falls_back_to_the_policy(db, staff):
    car = _car()
    on = START + dt.timedelta(days=100)
    card = warranty_terms.add_override(
        staff["advisor"], car, "general", "short card", dt.date(2024, 2, 1)
    )
    assert warranty.decide(car, "general", 5000, on).status == "not_covered"  # shortened
    warranty_terms.remove_override(staff["advisor"], card.id)
    assert warranty.decide(car, "general", 5000, on).status == "covered"
    assert warranty_terms.overrides_of(car) == []
    entry = AuditLog.select().where(AuditLog.action == "remove_override").get()
    assert json.loads(entry.before)["note"] == "short card" and entry.after == ""
    with pytest.raises(DomainError, match="was not found"):
        warranty_terms.remove_override(staff["advisor"], card.id)


def test_card_refusals_in_words(db, staff):
    car = _car()
    adv = staff["advisor"]
    with pytest.raises(ValidationError, match="Card number or note is required"):
        warranty_terms.add_override(adv, car, "general", "  ", dt.date(2030, 1, 1))
    with pytest.raises(ValidationError, match="last covered day, its kilometres or both"):
        warranty_terms.add_override(adv, car, "general", "EW-1")
    with pytest.raises(ValidationError, match="must be a date"):
        warranty_terms.add_override(adv, car, "general", "EW-1", "2030-01-01")
    with pytest.raises(ValidationError, match="not one of the allowed values"):
        warranty_terms.add_override(adv, car, "tyres", "EW-1", dt.date(2030, 1, 1))
    warranty_terms.add_override(adv, car, "general", "EW-1", dt.date(2030, 1, 1))
    with pytest.raises(ValidationError, match=r"already has its own terms .*EW-1"):
        warranty_terms.add_override(adv, car, "general", "EW-2", None, 200000)
    assert WarrantyOverride.select().count() == 1


@pytest.mark.parametrize("login", ["inspector", "tech1", "cashier"])
def test_cards_are_the_advisors_and_managers(db, staff, login):
    car = _car()
    with pytest.raises(PermissionDenied):
        warranty_terms.add_override(staff[login], car, "general", "EW-1", dt.date(2030, 1, 1))
    assert WarrantyOverride.select().count() == 0
