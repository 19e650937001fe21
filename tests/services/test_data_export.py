"""Customer data leaves the shop only for the roles allowed, and every export is audited."""

from __future__ import annotations

import csv

import pytest

from factories import make_customer, make_vehicle
from shop_desk.errors import PermissionDenied
from shop_desk.models import AuditLog
from shop_desk.services.data_export import export_customers


def test_manager_exports_customers_and_vehicles(db, staff, tmp_path):
    wang = make_customer("王建国", "13800138000")
    make_vehicle(wang, vin="LSVAU2A37N2123458", plate="沪A88K21")
    target = tmp_path / "customers.csv"
    assert export_customers(staff["manager"], target) == 1
    rows = list(csv.reader(target.open(encoding="utf-8-sig")))
    assert rows[1][:3] == ["王建国", "", "13800138000"] and "沪A88K21" in rows[1]
    entry = AuditLog.select().where(AuditLog.action == "export_customers").get()
    assert entry.staff_name == staff["manager"].name and "customers.csv" in entry.after


@pytest.mark.parametrize("login", ["advisor", "tech1", "cashier", "parts"])
def test_other_roles_cannot_export(db, staff, tmp_path, login):
    make_customer("李四", "13900139000")
    with pytest.raises(PermissionDenied):
        export_customers(staff[login], tmp_path / "x.csv")
    assert not (tmp_path / "x.csv").exists()
