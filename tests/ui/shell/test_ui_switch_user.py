"""Switching users at a shared PC (issue 19): the people who used this PC lately first, the
most recent other person picked, and the keyboard only (name letters, Enter, PIN, Enter)."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QInputMethodEvent
from PySide6.QtWidgets import QApplication

from shop_desk.ui.shell.login import LoginDialog, name_matches, recent_logins, remember_sign_in


class Clicks(QObject):
    """Counts mouse presses anywhere in the application."""

    def __init__(self) -> None:
        super().__init__()
        self.n = 0

    def eventFilter(self, _watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.MouseButtonPress:
            self.n += 1
        return False


def names(form) -> list[str]:
    return [form.model.item(r).text().split("  —  ")[0] for r in range(form.model.rowCount())]


def test_recent_people_first_most_recent_first(qtbot, db, staff):
    for login in ("washer", "tech1", "advisor", "tech1"):
        remember_sign_in(login)
    assert recent_logins() == ["tech1", "advisor", "washer"]
    dialog = LoginDialog()
    qtbot.addWidget(dialog)
    shown = names(dialog.login)
    assert shown[:3] == [staff["tech1"].name, staff["advisor"].name, staff["washer"].name]
    assert sorted(shown[3:]) == shown[3:]  # the others by name
    assert dialog.login.model.item(0).font().bold() and not dialog.login.model.item(3).font().bold()
    assert dialog.login.selected_staff_id() == staff["tech1"].id


def test_type_ahead_finds_any_word_of_the_name():
    assert name_matches("李娜 Li Na", "li") and name_matches("李娜 Li Na", "na")
    assert name_matches("李娜 Li Na", "李") and name_matches("赵磊 Zhao Lei", "zhao l")
    assert not name_matches("赵磊 Zhao Lei", "ei") and not name_matches("赵磊 Zhao Lei", "")


def test_switch_with_the_keyboard_only(qtbot, make_window, staff):
    remember_sign_in("tech1")
    remember_sign_in("advisor")
    window = make_window("advisor")
    clicks = Clicks()
    QApplication.instance().installEventFilter(clicks)
    try:
        window.lock_action.trigger()  # "Lock / switch user" (Ctrl+L)
        login = window.lock_screen.login
        assert window.locked and window.focusWidget() is login.staff_list
        # the most recent other person is picked: tech1 signed in here before the advisor
        assert login.selected_staff_id() == staff["tech1"].id
        qtbot.keyClicks(login.staff_list, "he")  # 何静 He Jing
        assert login.selected_staff_id() == staff["parts"].id
        event = QInputMethodEvent()
        event.setCommitString("冯")  # a Chinese name from the input method: 冯军 Feng Jun
        QApplication.sendEvent(login.staff_list, event)
        assert login.selected_staff_id() == staff["washer"].id
        qtbot.keyClick(login.staff_list, Qt.Key.Key_Return)
        assert window.focusWidget() is login.pin_edit and window.locked
        qtbot.keyClicks(login.pin_edit, "1234")
        qtbot.keyClick(login.pin_edit, Qt.Key.Key_Return)
    finally:
        QApplication.instance().removeEventFilter(clicks)
    assert not window.locked and window.staff.login == "washer"
    assert clicks.n == 0
    assert recent_logins()[:3] == ["washer", "advisor", "tech1"]


def test_a_digit_in_the_list_starts_the_pin_and_arrows_in_the_pin_pick_the_person(
    qtbot, make_window, staff
):
    remember_sign_in("tech1")
    window = make_window("advisor")
    window.switch_user()
    login = window.lock_screen.login
    assert login.selected_staff_id() == staff["tech1"].id
    qtbot.keyClick(login.staff_list, Qt.Key.Key_1)
    assert window.focusWidget() is login.pin_edit and login.pin_edit.text() == "1"
    row = login.staff_list.currentIndex().row()
    qtbot.keyClick(login.pin_edit, Qt.Key.Key_Down)
    assert login.staff_list.currentIndex().row() == row + 1 and login.pin_edit.text() == ""
    qtbot.keyClick(login.pin_edit, Qt.Key.Key_Up)
    assert login.selected_staff_id() == staff["tech1"].id
    qtbot.keyClicks(login.pin_edit, "1234")
    qtbot.keyClick(login.pin_edit, Qt.Key.Key_Return)
    assert not window.locked and window.staff.login == "tech1"


def test_the_idle_lock_keeps_the_same_person_at_the_pin(qtbot, make_window, staff):
    remember_sign_in("tech1")
    window = make_window("advisor")
    window.lock()
    login = window.lock_screen.login
    assert login.selected_staff_id() == staff["advisor"].id
    assert window.focusWidget() is login.pin_edit
