"""After "Record the decision" (增项 authorisation) the advisor is told what was recorded, and
the form does not slip to another customer's request by itself (issue 19)."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QPushButton

from factories import make_order
from shop_desk.models import LabourOperation, RepairOrder, Team
from shop_desk.services import workshop
from shop_desk.states import State


def proposed(staff, n: int) -> list[RepairOrder]:
    orders = []
    for _ in range(n):
        order = make_order(State.AWAITING_DISPATCH)
        team = Team.get(Team.name.startswith("机修一组"))
        workshop.dispatch(staff["supervisor"], order, team, staff["tech1"], priority=1)
        workshop.accept_car(staff["tech1"], order.id)
        workshop.propose_additional_work(
            staff["tech1"],
            order.id,
            [{"kind": "labour", "labour_op": LabourOperation.get(code="WPR").id}],
            "wipers torn",
        )
        orders.append(RepairOrder.get_by_id(order.id))
    return orders


def test_recording_says_what_was_recorded_and_keeps_the_next_request_unpicked(
    qtbot, make_window, staff
):
    first, second = proposed(staff, 2)
    window = make_window("advisor")
    page = window.show_page("alerts")
    panel = page.panel
    assert panel.select_request(panel.pending_model.rows[0].request_id)
    decided = panel.request.order_number
    qtbot.mouseClick(panel.authorise_all_button, Qt.MouseButton.LeftButton)
    panel.set_method("phone")
    with qtbot.waitSignal(panel.recorded):
        qtbot.mouseClick(panel.record_button, Qt.MouseButton.LeftButton)
    said = f"Decision on {decided} recorded: 1 authorised, 0 declined."
    # told where the advisor looks: the page's banner (above the scrolled panel), the status
    # bar and the emptied form itself
    assert page.banner.isVisible() and page.banner.text() == said
    assert window.statusBar().currentMessage() == said
    assert said in panel.request_label.text()
    assert "Choose a request in the list above." in panel.request_label.text()
    # the other customer's request waits in the list, not opened silently in the form
    assert panel.request is None and not panel.decision_group.isEnabled()
    assert not any(b.isVisible() for b in panel.lines_holder.findChildren(QPushButton))
    assert not panel.banner.isVisible()  # said once, on the page's banner
    assert not panel.pending_view.currentIndex().isValid()
    assert panel.pending_model.rowCount() == 1
    page.refresh()  # the page reads again every few seconds: still nothing picked for him
    assert panel.request is None and said in panel.request_label.text()
    # the advisor picks the next one himself
    view = panel.pending_view
    rect = view.visualRect(view.model().index(0, 0))
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert panel.request is not None and panel.request.order_number != decided
    assert said not in panel.request_label.text()
    assert {o.number for o in (first, second)} == {decided, panel.request.order_number}


def test_a_decision_that_declines_everything_asks_who_decided(qtbot, make_window, staff):
    proposed(staff, 1)
    window = make_window("advisor")
    panel = window.show_page("alerts").panel
    assert panel.select_request(panel.pending_model.rows[0].request_id)
    assert panel.customer_label.text() == "&Who authorised:"
    panel.set_all("declined")
    assert panel.customer_label.text() == "&Who decided:"
    panel.set_all("authorised")
    assert panel.customer_label.text() == "&Who authorised:"
