"""The warranty engine: policies, exclusions, overrides, shop-fitted items, exact edges.

Edge rule under test: covered while elapsed days < days and km <= km limit.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from factories import make_order, make_vehicle
from shop_desk import clock
from shop_desk.models import JobLine, Part, WarrantyOverride, WarrantyPolicy
from shop_desk.services import warranty
from shop_desk.states import State

START = dt.date(2024, 1, 1)
GENERAL_DAYS = 3 * 365  # seeded "New-car warranty": 1095 days / 60,000 km


def _vehicle(**kw):
    return make_vehicle(sale_date=START, warranty_start=START, **kw)


@pytest.mark.parametrize(
    ("elapsed", "status"),
    [
        (GENERAL_DAYS - 2, "covered"),
        (GENERAL_DAYS - 1, "covered"),
        (GENERAL_DAYS, "not_covered"),
        (GENERAL_DAYS + 1, "not_covered"),
    ],
)
def test_days_edge(db, elapsed, status):
    v = _vehicle()
    d = warranty.decide(v, "general", 10000, START + dt.timedelta(days=elapsed))
    assert d.status == status
    assert d.policy.name == "新车质保 New-car warranty"
    assert d.last_day == START + dt.timedelta(days=GENERAL_DAYS - 1)
    assert d.reason


@pytest.mark.parametrize(
    ("km", "status"), [(59999, "covered"), (60000, "covered"), (60001, "not_covered")]
)
def test_km_edge(db, km, status):
    v = _vehicle()
    d = warranty.decide(v, "general", km, START + dt.timedelta(days=100))
    assert d.status == status
    assert d.km_limit == 60000
    if status == "not_covered":
        assert "60001" in d.reason


def test_whichever_comes_first(db):
    v = _vehicle()
    late = START + dt.timedelta(days=GENERAL_DAYS)
    assert warranty.decide(v, "general", 100, late).status == "not_covered"
    assert (
        warranty.decide(v, "general", 70000, START + dt.timedelta(days=10)).status == "not_covered"
    )


@pytest.mark.parametrize("category", ["wear", "maintenance"])
def test_exclusions_not_covered(db, category):
    d = warranty.decide(_vehicle(), category, 1000, START + dt.timedelta(days=10))
    assert d.status == "not_covered"
    assert d.policy.excluded


def test_sale_date_used_when_no_warranty_start(db):
    v = make_vehicle(sale_date=START, warranty_start=None)
    v.warranty_start = None
    v.save()
    d = warranty.decide(v, "general", 100, START + dt.timedelta(days=GENERAL_DAYS - 1))
    assert d.status == "covered" and d.start == START


def test_unknown_start_is_pending_with_reason(db):
    v = make_vehicle()
    v.sale_date = v.warranty_start = None
    v.save()
    d = warranty.decide(v, "general", 100, clock.today())
    assert d.status == "pending"
    assert "start" in d.reason


def test_unknown_odometer_with_km_limit_is_pending(db):
    d = warranty.decide(_vehicle(), "general", None, START + dt.timedelta(days=10))
    assert d.status == "pending"


def test_no_policy_for_category_is_pending(db):
    d = warranty.decide(_vehicle(), "electronics", 100, START)
    assert d.status == "pending" and "electronics" in d.reason


def test_inactive_policy_is_ignored(db):
    WarrantyPolicy.update(active=False).where(WarrantyPolicy.category == "body").execute()
    assert warranty.decide(_vehicle(), "body", 100, START).status == "pending"


# ---------------------------------------------------------------------------- overrides


def test_override_extends_and_wins_with_inclusive_until_date(db):
    v = _vehicle()
    until = START + dt.timedelta(days=5 * 365)
    WarrantyOverride.create(
        vehicle=v, category="general", until_date=until, until_km=150000, note="延保卡 extended"
    )
    assert warranty.decide(v, "general", 100000, until).status == "covered"
    after = warranty.decide(v, "general", 100000, until + dt.timedelta(days=1))
    assert after.status == "not_covered" and after.override is not None
    assert warranty.decide(v, "general", 150000, until).status == "covered"
    assert warranty.decide(v, "general", 150001, until).status == "not_covered"


def test_override_exclusion_wins_over_policy(db):
    v = _vehicle()
    WarrantyOverride.create(
        vehicle=v, category="general", excluded=True, note="事故车 accident car"
    )
    d = warranty.decide(v, "general", 100, START + dt.timedelta(days=10))
    assert d.status == "not_covered" and "accident car" in d.reason


def test_override_can_cover_an_excluded_category(db):
    v = _vehicle()
    WarrantyOverride.create(
        vehicle=v, category="wear", until_date=START + dt.timedelta(days=30), note="goodwill"
    )
    assert warranty.decide(v, "wear", 100, START + dt.timedelta(days=30)).status == "covered"
    other = _vehicle()
    assert (
        warranty.decide(other, "wear", 100, START + dt.timedelta(days=30)).status == "not_covered"
    )


# ---------------------------------------------------------------------------- shop-fitted


@pytest.mark.parametrize(
    ("elapsed", "status"), [(88, "covered"), (89, "covered"), (90, "not_covered")]
)
def test_accessory_counts_from_fitting_date(db, elapsed, status):
    fitted = dt.date(2026, 6, 1)
    d = warranty.decide(
        _vehicle(), "accessory", 30000, fitted + dt.timedelta(days=elapsed), fitted_on=fitted
    )
    assert d.status == status
    assert d.start == fitted


def test_shop_fitted_finds_the_earlier_order_line(db):
    v = _vehicle()
    dashcam = Part.get(Part.part_no == "DASHCAM")
    fitted_at = dt.datetime(2026, 9, 1, 15, 0)
    clock.set_now(fitted_at)
    earlier = make_order(State.CLOSED, vehicle=v, lines=False, number="OLD-1")
    JobLine.create(
        order=earlier,
        kind="part",
        part=dashcam,
        description=dashcam.name,
        quantity=Decimal("1"),
        unit_price=dashcam.unit_price,
        category="accessory",
    )
    clock.set_now(dt.datetime(2026, 11, 2, 9, 0))
    d = warranty.decide(v, "accessory", 20000, dt.date(2026, 11, 2), part=dashcam)
    assert d.status == "covered" and d.start == fitted_at.date()
    assert (
        warranty.decide(v, "accessory", 20000, dt.date(2026, 11, 30), part=dashcam).status
        == "not_covered"
    )
    # the same lookup through the shop_fitted policy (365 days)
    assert (
        warranty.decide(v, "shop_fitted", 20000, dt.date(2027, 8, 31), part=dashcam).status
        == "covered"
    )
    assert (
        warranty.decide(v, "shop_fitted", 20000, dt.date(2027, 9, 1), part=dashcam).status
        == "not_covered"
    )
    # the order being decided does not count as its own fitting
    assert (
        warranty.decide(
            v, "accessory", 20000, dt.date(2026, 11, 2), part=dashcam, exclude_order=earlier
        ).status
        == "pending"
    )


def test_shop_fitted_without_any_record_is_pending(db):
    d = warranty.decide(
        _vehicle(), "accessory", 100, clock.today(), part=Part.get(Part.part_no == "DASHCAM")
    )
    assert d.status == "pending" and d.policy is not None


def test_vehicle_status_lists_main_categories(db):
    v = _vehicle(odometer=20000)
    WarrantyOverride.create(vehicle=v, category="battery", until_date=dt.date(2027, 1, 1))
    status = warranty.vehicle_status(v, dt.date(2026, 11, 2))
    assert set(status) == {"general", "body", "battery"}
    assert all(d.status == "covered" for d in status.values())
    assert warranty.status_label("pending")
