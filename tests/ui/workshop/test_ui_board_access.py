"""Board cards a screen reader, a test and the keyboard can reach, and column headers that
fit (issue 19): accessible names and descriptions, Tab between cards, D to dispatch or
reassign without dragging, Space for the details; "Waiting for authorisation" in full."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt

from factories import make_order
from shop_desk import i18n
from shop_desk.states import State, state_label
from shop_desk.ui.workshop.board import WorkshopBoardPage
from shop_desk.ui.workshop.dialogs import DetailDialog, DispatchDialog


def board(make_window, login: str = "supervisor") -> tuple[object, WorkshopBoardPage]:
    window = make_window(login)
    page = window.show_page("workshop")
    assert isinstance(page, WorkshopBoardPage)
    return window, page


def test_a_card_tells_its_plate_model_state_team_and_times(make_window):
    order = make_order(State.IN_PROGRESS, priority=1)
    _window, page = board(make_window)
    card = page.card_widgets[order.id]
    c = card.card
    name = card.accessibleName()
    assert c.plate in name and c.model in name and state_label(c.state) in name
    description = card.accessibleDescription()
    assert f"Order {c.number}" in description
    assert c.team in description and "Priority: Urgent" in description
    assert card.time_text() in description  # promised time and what is left
    assert "D: dispatch or reassign" in description


def test_tab_reaches_the_cards_and_d_dispatches_without_a_drag(qtbot, make_window):
    waiting = make_order(State.AWAITING_DISPATCH)
    working = make_order(State.IN_PROGRESS)
    window, page = board(make_window)
    window.activateWindow()
    first = page.card_widgets[waiting.id]
    first.setFocus()
    qtbot.waitUntil(first.hasFocus)
    qtbot.keyClick(first, Qt.Key.Key_Tab)
    assert page.card_widgets[working.id].hasFocus()  # Tab goes on to the next card
    qtbot.keyClick(page.card_widgets[working.id], Qt.Key.Key_D)
    dialog = page.dispatch_dialog
    assert isinstance(dialog, DispatchDialog) and dialog.isVisible()
    assert dialog.order_id == working.id  # a reassignment, reached from the keyboard
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    qtbot.keyClick(page.card_widgets[working.id], Qt.Key.Key_Space)
    details = page.detail_dialog
    assert isinstance(details, DetailDialog) and details.isVisible()
    details.reject()


def test_d_on_the_board_of_someone_who_may_not_dispatch_says_so(qtbot, make_window):
    order = make_order(State.AWAITING_DISPATCH)
    _window, page = board(make_window, "manager")  # reads the board, does not dispatch
    qtbot.keyClick(page.card_widgets[order.id], Qt.Key.Key_D)
    assert page.dispatch_dialog is None
    assert "Only the workshop supervisor dispatches cars." in page.banner.text()


@pytest.mark.parametrize("lang", ["en", "zh_CN"])
def test_column_headers_show_the_whole_state_name(make_window, lang):
    make_order(State.WAITING_AUTHORISATION)
    i18n.install_language(lang)
    try:
        window, page = board(make_window)
        window.resize(1280, 720)
        window.show_page("workshop")
        heights = set()
        for state, column in page.columns.items():
            text = column.header.text()
            assert "…" not in text and state_label(state) in text, text
            lines = column.header.height() // column.header.fontMetrics().lineSpacing()
            needed = column.header.heightForWidth(column.header.width())
            assert column.header.height() >= needed, (state, lines)
            heights.add(column.header.height())
        assert len(heights) == 1  # the cards below line up
    finally:
        i18n.install_language("en")


def test_tab_follows_the_board_after_a_new_car_arrives(qtbot, make_window):
    first = make_order(State.AWAITING_DISPATCH)
    working = make_order(State.IN_PROGRESS)
    window, page = board(make_window)
    arrived = make_order(State.AWAITING_DISPATCH)  # its card is made after the others
    page.refresh()
    column = [c.order_id for c in page.columns["awaiting_dispatch"].cards()]
    assert set(column) == {first.id, arrived.id}
    window.activateWindow()
    top = page.card_widgets[column[0]]
    top.setFocus()
    qtbot.waitUntil(top.hasFocus)
    qtbot.keyClick(top, Qt.Key.Key_Tab)
    assert page.card_widgets[column[1]].hasFocus()  # the card below, not the oldest widget
    qtbot.keyClick(page.card_widgets[column[1]], Qt.Key.Key_Tab)
    assert page.card_widgets[working.id].hasFocus()  # then the next column
