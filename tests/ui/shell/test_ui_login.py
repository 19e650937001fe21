"""Sign-in dialog, lockout after wrong PINs, first start of an empty database."""

from __future__ import annotations

from PySide6.QtCore import Qt

from shop_desk.models import Staff
from shop_desk.ui.shell.login import FirstStartDialog, LoginDialog
from shop_desk.ui.shell.widgets import app_settings


def _dialog(qtbot, login: str | None = None) -> LoginDialog:
    dialog = LoginDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    if login:
        assert dialog.login.select_login(login)
    return dialog


def _type_pin(qtbot, dialog: LoginDialog, pin: str) -> None:
    dialog.login.pin_edit.setFocus()
    qtbot.keyClicks(dialog.login.pin_edit, pin)
    qtbot.keyClick(dialog.login.pin_edit, Qt.Key.Key_Return)


def test_lists_active_staff_only_and_masks_the_pin(qtbot, db, staff):
    from shop_desk.services import admin

    admin.update_staff(staff["admin"], staff["washer"].id, active=False)
    dialog = _dialog(qtbot)
    names = [dialog.login.model.item(r).text() for r in range(dialog.login.model.rowCount())]
    assert len(names) == 14
    assert not any("Feng Jun" in n for n in names)
    assert any("Li Na" in n and "Service advisor" in n for n in names)
    assert dialog.login.pin_edit.echoMode() == dialog.login.pin_edit.EchoMode.Password


def test_enter_signs_in_and_remembers_the_person(qtbot, db, staff):
    dialog = _dialog(qtbot, "advisor")
    with qtbot.waitSignal(dialog.accepted):
        _type_pin(qtbot, dialog, "1234")
    assert dialog.staff.login == "advisor"
    assert app_settings().value("login/last_staff") == "advisor"
    again = _dialog(qtbot)
    assert again.login.selected_staff_id() == staff["advisor"].id


def test_wrong_pin_shows_the_service_message_then_locks(qtbot, db, staff):
    dialog = _dialog(qtbot, "tech1")
    _type_pin(qtbot, dialog, "9999")
    assert dialog.isVisible() and dialog.staff is None
    # no "n tries left": an unknown login gets the same words (issue 17, item 10)
    assert "Wrong PIN. After 5 wrong PINs" in dialog.login.error_label.text()
    assert dialog.login.pin_edit.text() == ""
    for _ in range(4):
        _type_pin(qtbot, dialog, "9999")
    assert "locked for 5 more minutes" in dialog.login.error_label.text()
    _type_pin(qtbot, dialog, "1234")  # the right PIN no longer helps
    assert "Too many wrong PINs" in dialog.login.error_label.text()
    assert dialog.staff is None and dialog.isVisible()


def test_empty_pin_is_not_an_attempt(qtbot, db, staff):
    dialog = _dialog(qtbot, "tech1")
    _type_pin(qtbot, dialog, "")
    assert dialog.login.error_label.text() == "Enter your PIN."
    assert Staff.get_by_id(staff["tech1"].id).failed_attempts == 0


def test_escape_cancels(qtbot, db, staff):
    dialog = _dialog(qtbot, "advisor")
    with qtbot.waitSignal(dialog.rejected):
        qtbot.keyClick(dialog.login.pin_edit, Qt.Key.Key_Escape)
    assert dialog.staff is None


def test_first_start_creates_the_administrator(qtbot, empty_db):
    dialog = FirstStartDialog()
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.name_edit.setText("张经理")  # QTest cannot type non-Latin-1 characters
    dialog.login_edit.setText("boss")
    qtbot.keyClicks(dialog.pin_edit, "2468")
    qtbot.keyClicks(dialog.pin2_edit, "2460")
    qtbot.mouseClick(dialog.create_button, Qt.MouseButton.LeftButton)
    assert "differ" in dialog.error_label.text()
    assert not Staff.select().exists()
    assert dialog.name_edit.text() == "张经理"  # input kept
    qtbot.keyClicks(dialog.pin2_edit, "2468")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.pin2_edit, Qt.Key.Key_Return)
    boss = Staff.get(Staff.login == "boss")
    assert boss.role_set() == {"admin", "manager"}
    assert dialog.staff.id == boss.id
