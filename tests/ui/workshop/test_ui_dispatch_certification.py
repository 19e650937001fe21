"""The dispatch dialog and a technician without a valid certification (rulebook 篇一): it says
so before OK, asks for the supervisor's reason, refuses without one and dispatches with it."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import Qt
from test_ui_board import board, electrical_job, open_dialog, team

from factories import make_order
from shop_desk.models import OrderEvent, RepairOrder, StaffCertification
from shop_desk.services import certifications
from shop_desk.states import State


def _expire(staff, login: str, skill: str) -> None:
    row = StaffCertification.get(
        (StaffCertification.staff == staff[login]) & (StaffCertification.skill == skill)
    )
    certifications.renew_certification(
        staff["admin"],
        row.id,
        row.certified_on,
        dt.date(2026, 11, 1),  # yesterday
    )


def test_an_uncertified_technician_needs_the_supervisors_reason(qtbot, make_window, staff):
    order = make_order(State.AWAITING_DISPATCH)
    electrical_job(order)
    _expire(staff, "tech3", "electrical")
    _window, page = board(make_window)
    page.select(order.id)
    qtbot.mouseClick(page.dispatch_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(page)
    dialog.select_team(team("电工组").id)
    # the team leader decides: nothing to certify, no reason asked
    assert dialog.technician_combo.currentData() is None
    assert not dialog.override_edit.isVisible()
    assert "certification" not in dialog.preview_label.text()
    # the leader is certified; the technician's certificate ran out yesterday
    dialog.select_technician(staff["leader2"].id)
    assert not dialog.override_edit.isVisible()
    dialog.select_technician(staff["tech3"].id)
    assert dialog.override_edit.isVisible() and dialog.override_label.isVisible()
    assert (
        "吴昊 Wu Hao has no valid certification for: Electrical. To go on, give the reason below."
        in dialog.preview_label.text()
    )
    # OK without a reason: refused in the dialog, nothing changed
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    assert dialog.isVisible()
    assert "the supervisor must give the reason" in dialog.banner.text()
    assert dialog.override_edit.property("invalid")
    assert RepairOrder.get_by_id(order.id).state == State.AWAITING_DISPATCH.value
    # with the reason it goes on, and the reason is kept on the order's dispatch
    qtbot.keyClicks(dialog.override_edit, "Leader checks every step")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    moved = RepairOrder.get_by_id(order.id)
    assert (moved.state, moved.technician_id) == ("in_progress", staff["tech3"].id)
    event = OrderEvent.get((OrderEvent.order == order) & (OrderEvent.kind == "dispatch"))
    assert json.loads(event.data)["override_reason"] == "Leader checks every step"
    assert page.banner.kind == "warning"
    assert "Dispatched on the supervisor's reason: Leader checks every step" in page.banner.text()


def test_a_certified_technician_is_dispatched_without_a_reason(qtbot, make_window, staff):
    order = make_order(State.AWAITING_DISPATCH)
    electrical_job(order)
    _window, page = board(make_window)
    page.select(order.id)
    qtbot.mouseClick(page.dispatch_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(page)
    dialog.select_team(team("电工组").id)
    dialog.select_technician(staff["tech3"].id)
    assert not dialog.override_edit.isVisible()
    assert "has the skills" in dialog.preview_label.text()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    event = OrderEvent.get((OrderEvent.order == order) & (OrderEvent.kind == "dispatch"))
    assert "override_reason" not in json.loads(event.data)
