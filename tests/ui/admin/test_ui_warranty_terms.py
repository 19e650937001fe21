"""Admin tab "Warranty terms" driven through its widgets: change a policy's period, add a
category, a refusal in words, retire a policy; a manager may, an advisor sees no Admin."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox, QPushButton

from factories import make_vehicle
from shop_desk.models import AuditLog, WarrantyPolicy
from shop_desk.services import warranty
from shop_desk.ui.admin.tab_warranty import PolicyDialog


def _tab(make_window, login="admin"):
    window = make_window(login)
    return window, window.show_page("admin").show_tab("warranty_terms")


def _click(qtbot, button):
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _select(tab, category_label):
    assert tab.select_where(lambda r: r["category"] == category_label and r["active"])


def test_the_tab_lists_the_policies(make_window):
    _window, tab = _tab(make_window)
    assert tab.model.rowCount() == WarrantyPolicy.select().count() == 6
    texts = {tab.model.row_at(r)["category"]: tab.model.row_at(r)["cover"] for r in range(6)}
    assert texts["General"] == "1095 days / 60,000 km"
    assert texts["Wear parts"] == "Excluded"
    assert not tab.edit_button.isEnabled()  # nothing selected yet


def test_changing_a_period_decides_the_next_item(qtbot, make_window):
    car = make_vehicle(sale_date=dt.date(2024, 1, 1), warranty_start=dt.date(2024, 1, 1))
    fitted, later = dt.date(2025, 3, 1), dt.date(2026, 5, 1)
    assert warranty.decide(car, "shop_fitted", 1, later, fitted, fitted_km=0).status == (
        "not_covered"
    )
    _window, tab = _tab(make_window)
    _select(tab, "Shop-fitted parts and labour")
    _click(qtbot, tab.edit_button)
    dialog = next(d for d in tab.findChildren(PolicyDialog) if d.isVisible())
    assert dialog.days_edit.text() == "365" and dialog.basis_combo.currentData() == "fitted"
    assert dialog.width() <= 1366 and dialog.height() <= 700  # fits 1366×768
    dialog.days_edit.clear()
    qtbot.keyClicks(dialog.days_edit, "730")
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button())
    assert tab.selected()["cover"] == "730 days"
    assert "applies from the next decision" in tab.banner.text()
    assert warranty.decide(car, "shop_fitted", 1, later, fitted, fitted_km=0).status == "covered"
    assert AuditLog.select().where(AuditLog.action == "save_policy").count() == 1


def test_a_second_policy_for_a_category_is_refused_inline(qtbot, make_window):
    _window, tab = _tab(make_window, "manager")
    _click(qtbot, tab.new_button)
    dialog = next(d for d in tab.findChildren(PolicyDialog) if d.isVisible())
    dialog.name_edit.setText("车身 Body 5 years")
    dialog.category_combo.setCurrentIndex(dialog.category_combo.findData("body"))
    qtbot.keyClicks(dialog.days_edit, "1825")
    _click(qtbot, dialog.ok_button())
    assert dialog.isVisible()
    assert "Body and paint already has the policy" in dialog.error.text()
    assert dialog.category_combo.property("invalid") is True
    assert dialog.name_edit.text() == "车身 Body 5 years"  # input kept
    # a new category typed as a code, excluded
    dialog.category_combo.setEditText("battery")
    dialog.excluded_box.click()
    assert not dialog.days_edit.isEnabled()
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button())
    assert tab.selected()["category"] == "battery" and tab.selected()["cover"] == "Excluded"


def test_retire_asks_first_and_keeps_the_row(qtbot, make_window):
    _window, tab = _tab(make_window)
    _select(tab, "Accessories")
    _click(qtbot, tab.retire_button)
    box = next(b for b in tab.findChildren(QMessageBox, "askBox") if b.isVisible())
    assert "referred to the manufacturer" in box.text()
    _click(qtbot, box.findChild(QPushButton, "yesButton"))
    qtbot.waitUntil(lambda: "kept for history" in tab.banner.text())
    assert warranty.policy_for("accessory") is None
    assert tab.model.rowCount() == 6
    assert tab.select_where(lambda r: r["category"] == "Accessories")
    assert tab.selected()["state"] == "Retired"
    assert not tab.edit_button.isEnabled() and not tab.retire_button.isEnabled()


def test_advisor_has_no_admin_page(make_window):
    window = make_window("advisor")
    assert "admin" not in window.visible_page_keys()
