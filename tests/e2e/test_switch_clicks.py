"""A switch of user at a shared PC costs one click (issue 19: 13 switches took 39 clicks in one
car's day): "Lock / switch user", then the keyboard only, a person who was here a moment ago
picked already."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QObject
from PySide6.QtWidgets import QApplication
from test_switching_day import ADVISOR, LEADER, SUPERVISOR, TECHNICIAN, TUESDAY


class MouseClicks(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.n = 0

    def eventFilter(self, _watched, event) -> bool:  # noqa: ANN001, N802 - Qt's name
        if event.type() == QEvent.Type.MouseButtonPress:
            self.n += 1
        return False


def test_a_switch_is_one_click_and_the_keyboard(shop_factory) -> None:
    shop = shop_factory(TUESDAY)
    shop.at("08:00")
    shop.start(ADVISOR)
    clicks = MouseClicks()
    app = QApplication.instance()
    per_switch = []
    for who in (TECHNICIAN, SUPERVISOR, TECHNICIAN, LEADER, ADVISOR, TECHNICIAN):
        app.installEventFilter(clicks)
        try:
            shop.switch_user(who)
        finally:
            app.removeEventFilter(clicks)
        per_switch.append(clicks.n)
        clicks.n = 0
        assert shop.window.staff.name.startswith(who)
    assert per_switch == [1] * len(per_switch)  # was 4: lock, the name, the PIN field, Sign in
