"""Admin tab "Insurers": add one, a duplicate name refused in the dialog, deactivate one."""

from __future__ import annotations

from PySide6.QtCore import Qt

from shop_desk.models import Insurer
from shop_desk.services import insurance
from shop_desk.ui.admin.tab_insurers import InsurerDialog


def _ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)


def test_admin_adds_and_deactivates_an_insurer(qtbot, make_window):
    window = make_window("admin")
    tab = window.show_page("admin").show_tab("insurers")
    qtbot.mouseClick(tab.new_button, Qt.MouseButton.LeftButton)
    dialog = next(d for d in tab.findChildren(InsurerDialog) if d.isVisible())
    dialog.name.setText("平安保险 Ping An")
    dialog.contact.setText("定损中心 95511")
    with qtbot.waitSignal(dialog.accepted):
        _ok(qtbot, dialog)
    assert [r.name for r in tab.model.rows] == ["平安保险 Ping An"]
    assert "saved" in tab.banner.text()
    again = tab.new()
    again.name.setText("平安保险 Ping An")
    _ok(qtbot, again)
    assert again.isVisible() and "exists already" in again.error.text()
    again.reject()
    assert tab.select_where(lambda r: r.name == "平安保险 Ping An")
    edit = tab.edit_selected()
    edit.active.setChecked(False)
    with qtbot.waitSignal(edit.accepted):
        _ok(qtbot, edit)
    assert not Insurer.get().active
    assert insurance.insurers() == []


def test_an_advisor_cannot_edit_insurers(qtbot, make_window, staff):
    from shop_desk.ui.admin.tab_insurers import InsurersTab

    window = make_window("advisor")
    tab = InsurersTab(window)
    qtbot.addWidget(tab)
    assert not tab.new_button.isEnabled()
