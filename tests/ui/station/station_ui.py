"""The station page as the station's UI tests drive it: opened as a person with an order
chosen, a button clicked, a dialog opened and confirmed, a row read again."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from shop_desk.models import RepairOrder


def reload(row):
    """The row as the database has it now."""
    return type(row).get_by_id(row.id)


def click(qtbot, button: QPushButton) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def station(make_window, login: str, order: RepairOrder | None = None):
    window = make_window(login)
    page = window.show_page("station")
    page.auto_preview = False
    if order is not None:
        assert page.select_order(order.id), f"{order.number} is not in {login}'s jobs"
    return window, page


def open_dialog(qtbot, page, button: QPushButton, kind: type):
    """Click ``button`` and return the page's dialog it opened (of type ``kind``)."""
    click(qtbot, button)
    dialog = page.dialog
    assert isinstance(dialog, kind) and dialog.isVisible()
    qtbot.waitExposed(dialog)
    return dialog


def ok(qtbot, dialog) -> None:
    with qtbot.waitSignal(dialog.accepted, timeout=3000):
        click(qtbot, dialog.ok_button())
