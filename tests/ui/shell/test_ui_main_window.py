"""Main window: role-filtered navigation, page registry, shortcuts, idle lock."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QLabel

from shop_desk.roles import Role
from shop_desk.ui.shell import main_window as mw


@pytest.fixture(autouse=True)
def only_admin_area(monkeypatch):
    """These tests check the shell's mechanics with just the Admin area registered (the real
    areas are tested in their own files; test_real_areas_follow_roles below uses them all)."""
    mw.load_page_modules()
    monkeypatch.setattr(mw, "_PAGES", {k: v for k, v in mw._PAGES.items() if k == "admin"})
    monkeypatch.setattr(mw, "PAGE_MODULES", ["shop_desk.ui.admin.pages"])


@pytest.fixture
def fake_reception():
    """A stand-in Reception page (the real one comes in a later task)."""
    built = []

    def factory(window):
        label = QLabel("reception")
        built.append(label)
        return label

    mw.register_page("reception", lambda: "Reception", [Role.ADVISOR], factory)
    yield built
    mw.unregister_page("reception")


def test_unimplemented_areas_are_absent(make_window):
    window = make_window("admin")
    assert window.visible_page_keys() == ["admin"]
    assert [window.nav.item(i).text() for i in range(window.nav.count())] == ["Admin"]


def test_technician_sees_neither_admin_nor_reception(make_window, fake_reception):
    window = make_window("tech1")
    assert window.visible_page_keys() == []
    assert window.nav.isHidden()
    assert window.stack.currentWidget() is window.home
    with pytest.raises(KeyError):
        window.show_page("admin")
    assert fake_reception == []  # never built for someone who may not see it


def test_pages_follow_roles_and_order(make_window, fake_reception):
    advisor = make_window("advisor")
    assert advisor.visible_page_keys() == ["reception"]
    assert advisor.stack.currentWidget() is fake_reception[0]
    manager = make_window("manager")
    assert manager.visible_page_keys() == ["admin"]
    mw.register_page(
        "reception", lambda: "Reception", [Role.ADVISOR, Role.MANAGER], lambda w: QLabel("r")
    )
    both = make_window("manager")
    assert both.visible_page_keys() == ["reception", "admin"]  # AREA_ORDER, not registration order


def test_standard_shortcuts(qtbot, make_window):
    window = make_window("admin")
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window)
    window.nav.setFocus()
    qtbot.keyClick(window.nav, Qt.Key.Key_F, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(window.search_box.hasFocus)
    qtbot.keyClick(window.search_box, Qt.Key.Key_L, Qt.KeyboardModifier.ControlModifier)
    assert window.locked
    window.lock_screen.login.pin_edit.setText("1234")
    qtbot.keyClick(window.lock_screen.login.pin_edit, Qt.Key.Key_Return)
    assert not window.locked
    qtbot.keyClick(window.nav, Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier)
    qtbot.waitUntil(lambda: not window.isVisible())


def test_idle_lock_and_sign_in_as_someone_else(qtbot, make_window):
    window = make_window("admin")
    assert window.visible_page_keys() == ["admin"]
    window.idle.set_timeout(30)
    with qtbot.waitSignal(window.lock_changed, timeout=3000) as blocker:
        pass
    assert blocker.args == [True]
    assert window.locked and window.screens.currentWidget() is window.lock_screen
    assert not window.toolbar.isEnabled()
    login = window.lock_screen.login
    assert login.selected_staff_id() == window.staff.id  # the same person is preselected
    assert login.select_login("tech1")
    qtbot.keyClicks(login.pin_edit, "1234")
    with qtbot.waitSignal(window.staff_changed):
        qtbot.keyClick(login.pin_edit, Qt.Key.Key_Return)
    assert not window.locked
    assert window.staff.login == "tech1"
    assert window.visible_page_keys() == []  # the technician's navigation, not the admin's
    assert "Zhao Lei" in window.user_label.text()


def test_idle_time_comes_from_the_settings(make_window, staff):
    from shop_desk.services import admin

    admin.update_settings(staff["admin"], idle_lock_minutes=3)
    window = make_window("admin")
    assert window.idle.timer.interval() == 3 * 60_000 and window.idle.timer.isActive()
    admin.update_settings(staff["admin"], idle_lock_minutes=0)
    window.reload_settings()
    assert not window.idle.timer.isActive()  # 0 = never lock


def test_real_areas_follow_roles(make_window, monkeypatch):
    monkeypatch.undo()  # all areas of this build
    mw.load_page_modules()
    tech = make_window("tech1")
    assert "reception" not in tech.visible_page_keys()
    assert "admin" not in tech.visible_page_keys()
    advisor = make_window("advisor")
    assert "reception" in advisor.visible_page_keys()
    assert "admin" not in advisor.visible_page_keys()


def test_window_size_and_last_area_are_remembered(qtbot, make_window):
    mw.register_page("appointments", lambda: "Appointments", [Role.ADMIN], lambda w: QLabel("a"))
    try:
        window = make_window("admin")
        assert window.current_page_key() == "appointments"  # first in the navigation order
        window.resize(760, 640)
        qtbot.waitUntil(lambda: window.size().toTuple() == (760, 640))
        window.nav.setCurrentRow(window.visible_page_keys().index("admin"))  # a click on Admin
        window.close()
        again = make_window("admin")
        # not the 1280×800 of a first start (the offscreen platform's frame rounding moves
        # the width a little)
        assert again.height() == 640 and abs(again.width() - 760) <= 40
        assert again.current_page_key() == "admin"
        assert again.stack.currentWidget() is again.pages["admin"]
    finally:
        mw.unregister_page("appointments")


def test_the_about_box_gives_versions_and_the_licences_of_what_is_bundled(qtbot, make_window):
    from PySide6.QtWidgets import QLabel, QTextBrowser

    from shop_desk import __version__
    from shop_desk.migrations import LATEST

    window = make_window("admin")
    dialog = window.about()
    qtbot.waitExposed(dialog)
    summary = dialog.findChild(QLabel, "aboutSummary").text()
    assert f"shop-desk {__version__}" in summary
    assert f"{LATEST} (this version writes schema {LATEST})" in summary
    components = dialog.findChild(QTextBrowser, "aboutLicences").toPlainText()
    for name, licence in (
        ("PySide6", "LGPL-3.0-only"),
        ("ReportLab", "BSD-3-Clause"),
        ("WenQuanYi Micro Hei", "Apache-2.0 OR GPL-3.0-or-later WITH Font-exception-2.0"),
    ):
        assert name in components and licence in components
    font = dialog.findChild(QTextBrowser, "aboutFontLicence").toPlainText()
    assert "WenQuanYi" in font and "Apache-2.0 or GPL-3+ with Font exception" in font
    assert dialog.width() <= 1366 and dialog.height() <= 768
    dialog.close()
