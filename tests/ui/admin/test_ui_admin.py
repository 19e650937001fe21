"""Admin pages driven through their widgets: staff, settings, teams, catalogues with CSV import."""

from __future__ import annotations

from decimal import Decimal

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QMessageBox, QPushButton

from shop_desk.models import AuditLog, Part, ShopSettings, Staff, Team
from shop_desk.ui.admin.tab_staff import StaffDialog


def _admin(make_window, login="admin", tab="staff"):
    window = make_window(login)
    page = window.show_page("admin")
    return window, page.show_tab(tab)


def _click(qtbot, button):
    assert button.isEnabled()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_admin_creates_a_staff_member(qtbot, make_window):
    window, tab = _admin(make_window)
    _click(qtbot, tab.new_button)
    dialog = next(d for d in tab.findChildren(StaffDialog) if d.isVisible())
    assert len(tab.findChildren(StaffDialog)) == 1
    qtbot.keyClicks(dialog.name_edit, "Qian Yu")
    qtbot.keyClicks(dialog.login_edit, "qian")
    qtbot.keyClicks(dialog.pin_edit, "5678")
    qtbot.keyClicks(dialog.pin2_edit, "5678")
    dialog.roles_box.boxes["advisor"].click()
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button())
    qian = Staff.get(Staff.login == "qian")
    assert qian.role_set() == {"advisor"} and qian.name == "Qian Yu"
    assert tab.selected()["login"] == "qian"
    assert "Qian Yu can now sign in" in tab.banner.text()
    assert "Qian Yu" in window.statusBar().currentMessage()


def test_admin_appoints_a_deputy_approver(qtbot, make_window, staff):
    """A shop with one general manager gets a second approver (four eyes, issue 17)."""
    _window, tab = _admin(make_window)
    assert tab.select_where(lambda r: r["login"] == "supervisor")
    dialog = tab.edit_selected()
    box = dialog.roles_box.boxes["approver"]
    assert box.text() == "Deputy approver"
    box.click()
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button())
    assert Staff.get_by_id(staff["supervisor"].id).role_set() == {"supervisor", "approver"}
    assert "Deputy approver" in tab.selected()["roles_text"]


def test_staff_refusal_is_shown_inline_and_input_kept(qtbot, make_window):
    _window, tab = _admin(make_window)
    dialog = tab.new()
    dialog.name_edit.setText("Another")
    dialog.login_edit.setText("advisor")  # taken
    dialog.pin_edit.setText("5678")
    dialog.pin2_edit.setText("5678")
    dialog.roles_box.boxes["cashier"].setChecked(True)
    _click(qtbot, dialog.ok_button())
    assert dialog.isVisible()
    assert "The login advisor is taken." in dialog.error.text()
    assert dialog.login_edit.property("invalid") is True
    assert dialog.name_edit.text() == "Another" and dialog.roles_box.roles() == ["cashier"]
    dialog.login_edit.setText("another")
    dialog.roles_box.boxes["cashier"].setChecked(False)
    _click(qtbot, dialog.ok_button())
    assert "at least one role" in dialog.error.text()
    assert not Staff.select().where(Staff.login == "another").exists()


def test_edit_roles_reset_pin_and_deactivate(qtbot, make_window, staff):
    _window, tab = _admin(make_window)
    assert tab.select_where(lambda r: r["login"] == "tech2")
    dialog = tab.edit_selected()
    assert not dialog.login_edit.isEnabled()
    dialog.roles_box.boxes["team_leader"].setChecked(True)
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button())
    assert Staff.get_by_id(staff["tech2"].id).role_set() == {"technician", "team_leader"}

    pin = tab.reset_pin()
    pin.pin_edit.setText("8642")
    pin.pin2_edit.setText("8642")
    with qtbot.waitSignal(pin.accepted):
        _click(qtbot, pin.ok_button())
    from shop_desk.services.auth import authenticate

    assert authenticate("tech2", "8642").id == staff["tech2"].id

    assert tab.active_button.text() == "&Deactivate"
    _click(qtbot, tab.active_button)  # reversible: no confirmation
    assert not Staff.get_by_id(staff["tech2"].id).active
    assert tab.show_inactive.isChecked() and tab.selected()["login"] == "tech2"
    assert tab.active_button.text() == "Re&activate"
    _click(qtbot, tab.active_button)
    assert Staff.get_by_id(staff["tech2"].id).active


def test_admin_cannot_deactivate_itself(qtbot, make_window):
    _window, tab = _admin(make_window)
    tab.select_where(lambda r: r["login"] == "admin")
    _click(qtbot, tab.active_button)
    assert "your own account" in tab.banner.text()
    assert Staff.get(Staff.login == "admin").active


def test_manager_sees_admin_but_cannot_change_staff(make_window):
    _window, tab = _admin(make_window, "manager")
    assert not tab.new_button.isEnabled()
    tab.select_where(lambda r: r["login"] == "tech1")
    assert not tab.edit_button.isEnabled() and not tab.active_button.isEnabled()
    assert tab.edit_selected() is None


def _parts_tab(make_window):
    return _admin(make_window, tab="parts")


def test_catalogue_filter_as_you_type(qtbot, make_window):
    _window, tab = _parts_tab(make_window)
    total = tab.proxy.rowCount()
    qtbot.keyClicks(tab.filter_edit, "filter")
    assert 0 < tab.proxy.rowCount() < total
    assert all(
        "filter" in tab.proxy.index(r, 1).data().lower() for r in range(tab.proxy.rowCount())
    )
    tab.filter_edit.clear()
    qtbot.keyClicks(tab.filter_edit, "b-01")  # bin location column, any case
    assert tab.proxy.rowCount() == 2


def test_import_parts_csv_through_the_button(qtbot, make_window, tmp_path, monkeypatch):
    window, tab = _parts_tab(make_window)
    path = tmp_path / "parts.csv"
    path.write_text(
        "part_no,name,unit_price,stock_qty,bin_location\n"
        "SPK-4,火花塞 Spark plug,38.50,40,A-03-1\nHOSE-1,水管 Hose,66,5,B-02-2\n",
        encoding="utf-8-sig",
    )
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )
    _click(qtbot, tab.import_button)
    assert Part.get(Part.part_no == "SPK-4").unit_price == Decimal("38.50")
    assert tab.select_where(lambda r: r.part_no == "HOSE-1")
    assert tab.banner.kind == "info" and "2 rows imported from parts.csv" in tab.banner.text()


def test_bad_csv_shows_the_clear_error_and_changes_nothing(qtbot, make_window, tmp_path):
    _window, tab = _parts_tab(make_window)
    before = Part.select().count()
    bad = tmp_path / "bad.csv"
    bad.write_text("number,title,price\nX,Y,1\n", encoding="utf-8")
    tab.import_file(bad)
    assert tab.banner.kind == "error"
    assert "bad.csv was not imported" in tab.banner.text()
    assert "lacks the columns: part_no, name, unit_price" in tab.banner.text()
    wrong_price = tmp_path / "price.csv"
    wrong_price.write_text(
        "part_no,name,unit_price\nOK-1,Fine,10\nBAD-1,Broken,ten\n", encoding="utf-8"
    )
    tab.import_file(wrong_price)
    assert "Line 3" in tab.banner.text()
    assert Part.select().count() == before  # all or nothing


def test_gbk_csv_and_overwrite_asks_first(qtbot, make_window, tmp_path):
    _window, tab = _parts_tab(make_window)
    path = tmp_path / "update.csv"
    path.write_bytes("part_no,name,unit_price\nFLT-OIL,机油滤清器 新款,61.00\n".encode("gb18030"))
    tab.import_file(path)
    box = tab.findChild(QMessageBox, "askBox")
    assert box is not None and "overwritten" in box.text()
    assert Part.get(Part.part_no == "FLT-OIL").unit_price == Decimal(
        "58.00"
    )  # not before the answer
    _click(qtbot, box.findChild(QPushButton, "yesButton"))
    part = Part.get(Part.part_no == "FLT-OIL")
    assert part.unit_price == Decimal("61.00") and part.name == "机油滤清器 新款"


def test_labour_operation_add_and_import(qtbot, make_window, tmp_path):
    _window, tab = _admin(make_window, tab="labour")
    dialog = tab.new()
    dialog.code_edit.setText("TYRE-4")
    dialog.name_edit.setText("四轮换胎 Tyre change")
    qtbot.keyClicks(dialog.hours_edit, "0.8")
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button())
    assert tab.selected().code == "TYRE-4" and tab.selected().standard_hours == Decimal("0.80")
    csv_file = tmp_path / "ops.csv"
    csv_file.write_text(
        "code,name,standard_hours,skill\nPDI,新车检查 Pre-delivery inspection,1.5,electrical\n"
    )
    tab.import_file(csv_file)
    assert tab.select_where(lambda r: r.code == "PDI")


def test_part_dialog_keeps_input_on_refusal(qtbot, make_window):
    _window, tab = _parts_tab(make_window)
    dialog = tab.new()
    dialog.part_no_edit.setText("NEW-1")
    _click(qtbot, dialog.ok_button())
    assert dialog.isVisible() and "Name is required" in dialog.error.text()
    assert dialog.part_no_edit.text() == "NEW-1"


def test_team_members_leader_skills(qtbot, make_window, staff):
    _window, tab = _admin(make_window, tab="teams")
    dialog = tab.new()
    dialog.name_edit.setText("快修组 Quick service")
    dialog.capacity_edit.setText("12")
    for i in range(dialog.members_list.count()):
        item = dialog.members_list.item(i)
        if item.data(Qt.ItemDataRole.UserRole) in (staff["tech3"].id, staff["leader2"].id):
            item.setCheckState(Qt.CheckState.Checked)
    dialog.leader_combo.setCurrentIndex(dialog.leader_combo.findData(staff["leader2"].id))
    dialog.new_skill_edit.setText("tyres")
    qtbot.keyClick(
        dialog.new_skill_edit, Qt.Key.Key_Return
    )  # adds the skill, does not close the dialog
    assert dialog.isVisible()
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button())
    team = Team.get(Team.name == "快修组 Quick service")
    assert team.capacity_hours == Decimal("12.00")
    assert {(m.staff_id, m.is_leader) for m in team.members} == {
        (staff["tech3"].id, False),
        (staff["leader2"].id, True),
    }
    assert [s.skill for s in team.skills] == ["tyres"]
    assert tab.selected()["leader"] == staff["leader2"].name


def test_settings_form_saves_changes_only(qtbot, make_window):
    window, tab = _admin(make_window, tab="settings")
    tab.widgets["idle_lock_minutes"].setValue(4)
    tab.widgets["tax_rate"].setValue(9)
    tab.widgets["labour_rate"].setText("200.5")
    audits = AuditLog.select().count()
    _click(qtbot, tab.save_button)
    row = ShopSettings.select().first()
    assert (row.idle_lock_minutes, row.tax_rate, row.labour_rate) == (
        4,
        Decimal("0.0900"),
        Decimal("200.50"),
    )
    assert "Settings saved." in tab.banner.text()
    assert window.idle.timer.interval() == 4 * 60_000
    assert AuditLog.select().count() == audits + 1
    _click(qtbot, tab.save_button)
    assert "Nothing changed." in tab.banner.text()


def test_settings_refusal_is_inline_and_input_kept(qtbot, make_window, staff):
    from shop_desk.services import admin

    _window, tab = _admin(make_window, "manager", tab="settings")
    tab.widgets["phone"].setText("021-99998888")
    admin.update_staff(
        staff["admin"], staff["manager"].id, active=False
    )  # meanwhile, at another desk
    _click(qtbot, tab.save_button)
    assert tab.banner.kind == "error" and "not active" in tab.banner.text()
    assert tab.widgets["phone"].text() == "021-99998888"
    assert ShopSettings.select().first().phone != "021-99998888"


@pytest.mark.parametrize("login", ["parts", "supervisor"])
def test_admin_area_needs_admin_or_manager(make_window, login):
    assert "admin" not in make_window(login).visible_page_keys()
