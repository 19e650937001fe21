"""Every screen renders offscreen to a PNG, filled from the database."""

from __future__ import annotations

from PySide6.QtGui import QImage

from shop_desk import i18n
from shop_desk.models import ALL_MODELS, Staff
from shop_desk.ui.shots.screenshots import render_all


def test_render_all_writes_every_screen(qapp, db, db_path, shop_data, tmp_path):
    before = {m._meta.table_name: m.select().count() for m in ALL_MODELS}
    paths = render_all(tmp_path / "shots", db_path, "en")
    # the stagings record work on a scratch copy: the shop's own file is only read
    assert {m._meta.table_name: m.select().count() for m in ALL_MODELS} == before
    names = {p.stem for p in paths}
    expected = {
        "login",
        "login_wrong_pin",
        "first_start",
        "main_admin",
        "search_popup",
        "vehicle_summary",
        "order_summary",
        "customer_summary",
        "dialog_staff_new",
        "dialog_staff_edit",
        "dialog_reset_pin",
        "dialog_team",
        "dialog_labour",
        "dialog_part",
        "locked",
        *(f"main_admin_{tab}" for tab in ("settings", "staff", "teams", "labour", "parts")),
        # the accessory counter, staged in ui/shots/counter.py
        "main_counter",
        *(f"main_counter_{tab}" for tab in ("sale", "returns", "sent_in")),
        "counter_sale_basket",
        "counter_returns_case",
        "counter_dialog_receive",
        "counter_dialog_test_report",
        "counter_sent_in",
        "admin_counter_policy",
        # the warranty terms (ui/shots/admin.py) and the car's warranty card (ui/shots/reception.py)
        "main_admin_warranty_terms",
        "admin_warranty_policy",
        "admin_warranty_policy_refused",
        "reception_warranty_card",
    }
    assert expected <= names
    for path in paths:
        image = QImage(str(path))
        assert not image.isNull() and image.width() >= 250 and image.height() >= 100, path.name
    assert QImage(str(tmp_path / "shots" / "main_admin.png")).width() == 1280
    # the test's own database binding and language are back
    assert Staff.select().count() == 15
    assert i18n.current_language() == "en"
