"""What the shop's defaults and lists in messages look like in the interface language."""

from __future__ import annotations

import datetime as dt

import pytest

from factories import make_vehicle
from shop_desk import i18n
from shop_desk.services import archive, warranty


@pytest.fixture
def chinese(qapp):
    i18n.install_language("zh_CN")
    yield
    i18n.install_language("en")


def test_lists_in_messages_are_joined_as_the_language_writes_them(chinese):
    assert i18n.join_list(["机油", "机滤"]) == "机油、机滤"
    assert i18n.join_list(["左前门划痕", "右后轮异响"], clauses=True) == "左前门划痕；右后轮异响"


def test_lists_in_english_keep_their_commas_and_semicolons(qapp):
    i18n.install_language("en")
    assert i18n.join_list(["oil", "filter"]) == "oil, filter"
    assert i18n.join_list(["a", "b"], clauses=True) == "a; b"


@pytest.mark.parametrize(
    ("name", "zh", "en"),
    [
        ("易损件 Wear parts", "易损件", "Wear parts"),
        ("本店安装的零件和工时 Shop-fitted parts and labour", "本店安装的零件和工时", "Shop-fitted parts and labour"),
        ("Castrol 5W-30", "Castrol 5W-30", "Castrol 5W-30"),
        ("机油", "机油", "机油"),
    ],
)
def test_a_default_named_in_both_languages_shows_in_the_interface_language(qapp, name, zh, en):
    try:
        i18n.install_language("zh_CN")
        assert i18n.shown_name(name) == zh
        i18n.install_language("en")
        assert i18n.shown_name(name) == en
    finally:
        i18n.install_language("en")


def test_the_warranty_rules_name_the_policy_in_chinese_without_english(db, chinese):
    car = make_vehicle()
    decision = warranty.decide(car, "wear", 20000, dt.date(2026, 11, 2))
    assert decision.status == warranty.NOT_COVERED
    assert "易损件" in decision.reason and "Wear parts" not in decision.reason


def test_maintenance_due_of_a_car_without_a_sale_date_says_only_the_mileage(db):
    car = make_vehicle(odometer=6000)
    car.sale_date = car.warranty_start = None
    car.save()
    due = archive.maintenance_due(car, dt.date(2026, 11, 2))
    assert due.due_date is None
    assert due.text == "Maintenance is due (at 5000 km)."
    assert "?" not in due.text and "or on" not in due.text


def test_a_covered_decision_joins_its_limits_as_chinese_writes_them(db, chinese):
    """The warranty answer on screen and on the task order: 截至…、…公里以内, no ASCII comma."""
    car = make_vehicle()
    decision = warranty.decide(car, "general", 20000, dt.date(2026, 11, 2))
    assert decision.status == warranty.COVERED
    assert "、" in decision.reason and ", " not in decision.reason
