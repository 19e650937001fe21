"""The supervisor's workshop board driven through its widgets: cards, drag-and-drop and menu
dispatch, skill warnings, overdue cards, live refresh from other stations, delays, details."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from PySide6.QtCore import QEvent, QMimeData, QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QMouseEvent
from PySide6.QtWidgets import QApplication

from factories import make_line, make_order
from shop_desk import clock
from shop_desk.models import (
    AdditionalWorkRequest,
    DelayReport,
    JobLine,
    LabourOperation,
    RepairOrder,
    Team,
)
from shop_desk.services import reception, workshop
from shop_desk.states import State
from shop_desk.ui.workshop import cards as board_cards
from shop_desk.ui.workshop.board import WorkshopBoardPage
from shop_desk.ui.workshop.cards import RED
from shop_desk.ui.workshop.dialogs import DetailDialog, DispatchDialog

T0 = dt.datetime(2026, 11, 2, 9, 0, 0)


def team(prefix: str) -> Team:
    return Team.get(Team.name.startswith(prefix))


def board(make_window, login: str = "supervisor") -> tuple[object, WorkshopBoardPage]:
    window = make_window(login)
    page = window.show_page("workshop")
    assert isinstance(page, WorkshopBoardPage)
    return window, page


def electrical_job(order: RepairOrder) -> JobLine:
    op = LabourOperation.get(LabourOperation.code == "AC-REG")
    return JobLine.create(
        order=order,
        kind="labour",
        labour_op=op,
        description=op.name,
        hours=op.standard_hours,
        rate=Decimal("180.00"),
        category=op.category,
        sort=5,
    )


def send_drop(target, mime) -> QDropEvent:
    """Deliver a drag-enter, -move and drop to ``target`` the way Qt's drag loop does."""
    pos = QPointF(target.rect().center())
    actions = Qt.DropAction.MoveAction | Qt.DropAction.CopyAction
    enter = QDragEnterEvent(
        pos.toPoint(), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(target, enter)
    if not enter.isAccepted():
        return enter
    move = QDragMoveEvent(
        pos.toPoint(), actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(target, move)
    drop = QDropEvent(pos, actions, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    QApplication.sendEvent(target, drop)
    return drop


def open_dialog(page: WorkshopBoardPage) -> DispatchDialog:
    dialog = page.dispatch_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def test_cards_sit_in_their_state_columns_with_names_times_and_flags(make_window, staff):
    waiting = make_order(
        State.AWAITING_DISPATCH, customer_waiting=True, warranty_decision="pending"
    )
    working = make_order(State.IN_PROGRESS, priority=1, is_comeback=True)
    ready = make_order(State.READY)
    make_order(State.CHECKED_IN)  # not in the workshop yet
    _window, page = board(make_window)
    assert [c.order_id for c in page.columns["awaiting_dispatch"].cards()] == [waiting.id]
    assert [c.order_id for c in page.columns["in_progress"].cards()] == [working.id]
    assert [c.order_id for c in page.columns["ready"].cards()] == [ready.id]
    assert "(1)" in page.columns["in_progress"].header.text()
    card = page.card_widgets[working.id]
    lines = card.lines()
    assert lines[0] == working.vehicle.plate[:2] + "·" + working.vehicle.plate[2:]
    assert "帕萨特 Passat" in lines
    assert f"{team('机修一组').name} · {staff['tech1'].name}" in lines
    assert f"Advisor: {staff['advisor'].name}" in lines
    assert "13:00 · 4 h 00 min left" in lines
    assert "Comeback" in lines
    assert {"Customer in lounge", "Warranty pending"} <= set(page.card_widgets[waiting.id].lines())
    assert "Urgent" in card.toolTip()
    assert page.summary_label.text() == "3 cars · 1 awaiting dispatch · 0 overdue"
    # the filter hides what does not match
    page.filter_edit.setText(ready.vehicle.plate[-4:])
    assert page.visible_cards("ready") and not page.visible_cards("in_progress")
    assert "0/1" in page.columns["in_progress"].header.text()


def test_dispatch_by_dragging_a_card_onto_a_team(qtbot, make_window, staff, monkeypatch):
    order = make_order(State.AWAITING_DISPATCH)
    window, page = board(make_window)
    card = page.card_widgets[order.id]
    assert card.draggable
    box = page.team_boxes[team("机修一组").id]

    class DragToTeam:
        """QDrag stand-in: exec() delivers the real mime data to the team box (offscreen
        platforms have no drag loop)."""

        def __init__(self, source):
            self.source = source

        def setMimeData(self, mime):
            self.mime = mime

        def setPixmap(self, pixmap):
            self.pixmap = pixmap

        def setHotSpot(self, point):
            pass

        def exec(self, actions):
            drop = send_drop(box, self.mime)
            return drop.dropAction() if drop.isAccepted() else Qt.DropAction.IgnoreAction

    monkeypatch.setattr(board_cards, "QDrag", DragToTeam)
    # press, move past the drag distance: the card starts the drag itself
    qtbot.mousePress(card, Qt.MouseButton.LeftButton, pos=QPoint(20, 20))
    assert page.selected_id == order.id
    far = QPoint(20 + QApplication.startDragDistance() + 10, 30)
    move = QMouseEvent(
        QEvent.Type.MouseMove,
        QPointF(far),
        QPointF(card.mapToGlobal(far)),
        Qt.MouseButton.NoButton,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(card, move)
    dialog = open_dialog(page)
    assert dialog.team_combo.currentData() == box.load.team_id
    assert not dialog.reason_edit.isVisible()
    assert (
        "Electrical" not in dialog.preview_label.text()
        and "has the skills" in dialog.preview_label.text()
    )
    qtbot.mouseClick(dialog.urgent_radio, Qt.MouseButton.LeftButton)
    dialog.select_technician(staff["tech2"].id)
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    order = RepairOrder.get_by_id(order.id)
    assert (order.state, order.team_id, order.technician_id, order.priority) == (
        "in_progress",
        box.load.team_id,
        staff["tech2"].id,
        1,
    )
    assert [c.order_id for c in page.columns["in_progress"].cards()] == [order.id]
    assert page.columns["awaiting_dispatch"].cards() == []
    assert "dispatched to 机修一组" in window.statusBar().currentMessage()
    assert page.banner.kind == "info"
    # the team's hours today include the job now
    assert page.team_boxes[box.load.team_id].load.assigned_hours == Decimal("1.00")


def test_drop_of_something_else_or_a_finished_car_is_refused(make_window):
    done = make_order(State.FINAL_QC)
    _window, page = board(make_window)
    box = next(iter(page.team_boxes.values()))
    text = QMimeData()
    text.setText("hello")
    assert not send_drop(box, text).isAccepted()
    assert not send_drop(box, page.card_widgets[done.id].mime_data()).isAccepted()
    assert not page.card_widgets[done.id].draggable
    assert page.dispatch_dialog is None


def test_dispatch_from_the_context_menu_with_skill_warning(qtbot, make_window, staff):
    order = make_order(State.AWAITING_DISPATCH)
    electrical_job(order)
    _window, page = board(make_window)
    mech = team("机修一组")
    menu = page.build_menu(page.card(order.id))
    action = menu.findChild(type(menu.actions()[0]), f"dispatchTo_{mech.id}")
    assert action is not None and action.isEnabled()
    action.trigger()
    dialog = open_dialog(page)
    assert dialog.team_combo.currentData() == mech.id
    # said before OK ...
    assert "lacks the skill this job needs: Electrical" in dialog.preview_label.text()
    with qtbot.waitSignal(dialog.accepted):
        qtbot.keyClick(dialog.team_combo, Qt.Key.Key_Return)  # Enter = Dispatch
    # ... and the service's warning after it
    assert page.banner.kind == "warning"
    assert "lacks the skill this job needs: electrical" in page.banner.text()
    assert RepairOrder.get_by_id(order.id).team_id == mech.id


def test_reassign_needs_the_current_version_and_offers_reload(qtbot, make_window, staff):
    order = make_order(State.IN_PROGRESS)
    _window, page = board(make_window)
    page.select(order.id)
    assert page.dispatch_button.text() == "&Reassign…"
    qtbot.mouseClick(page.dispatch_button, Qt.MouseButton.LeftButton)
    dialog = open_dialog(page)
    assert dialog.reassign and dialog.reason_edit.isVisible()
    dialog.select_team(team("电工组").id)
    dialog.reason_edit.setText("电工组有空 Electrical team is free")
    # meanwhile another station changes the order
    workshop.report_delay(staff["leader1"], order.id, T0 + dt.timedelta(hours=6), "parts late")
    qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    assert dialog.isVisible() and dialog.reload_button.isVisible()
    assert "Reload" in dialog.banner.text()
    assert RepairOrder.get_by_id(order.id).team_id == team("机修一组").id
    qtbot.mouseClick(dialog.reload_button, Qt.MouseButton.LeftButton)
    assert dialog.team_combo.currentData() == team("电工组").id  # choices kept
    assert dialog.reason_edit.text().startswith("电工组有空")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(dialog.ok_button(), Qt.MouseButton.LeftButton)
    assert RepairOrder.get_by_id(order.id).team_id == team("电工组").id


def test_overdue_card_turns_red_as_time_passes(qtbot, make_window):
    order = make_order(State.IN_PROGRESS)  # promised 13:00
    _window, page = board(make_window)
    card = page.card_widgets[order.id]
    assert not card.overdue and card.time_colour() != RED
    page.timer.setInterval(50)
    clock.set_now(T0 + dt.timedelta(hours=4, minutes=25))
    qtbot.waitUntil(lambda: card.overdue, timeout=3000)  # the page's 1 s tick, no re-read needed
    assert card.time_colour() == RED
    assert "13:00 · Overdue 25 min" in card.lines()
    assert page.summary_label.text().endswith("1 overdue")
    image = card.grab().toImage()
    assert image.pixelColor(card.width() // 2, 1) == RED  # the red border


def test_change_from_another_station_refreshes_only_what_changed(qtbot, make_window, staff):
    first = make_order(State.AWAITING_DISPATCH)
    second = make_order(State.AWAITING_DISPATCH)
    other = make_order(State.FINAL_QC)
    _window, page = board(make_window)
    assert page.watcher is not None
    widgets = dict(page.card_widgets)
    reads = page.refresh_count
    page.timer.setInterval(50)
    # another station (a connection other than the page's watcher) dispatches
    workshop.dispatch(staff["supervisor"], second.id, team("电工组").id)
    qtbot.waitUntil(lambda: page.refresh_count > reads, timeout=3000)
    assert [c.order_id for c in page.columns["in_progress"].cards()] == [second.id]
    assert [c.order_id for c in page.columns["awaiting_dispatch"].cards()] == [first.id]
    assert page.card_widgets[second.id] is widgets[second.id]  # moved, not rebuilt
    assert page.card_widgets[other.id] is widgets[other.id]
    assert page.last_stats == {"created": 0, "updated": 1, "removed": 0, "columns": 2, "teams": 1}
    # nothing changed: the tick does not read again
    count = page.refresh_count
    page.poll()
    page.poll()
    assert page.refresh_count == count
    # hidden, the board lets go of its watcher; shown again, it catches up at once
    page.hide()
    assert page.watcher is None
    workshop.dispatch(staff["supervisor"], first.id, team("机修一组").id)
    page.show()
    assert page.watcher is not None
    assert page.columns["awaiting_dispatch"].cards() == []


def test_report_delay_from_the_board(qtbot, make_window, staff):
    order = make_order(State.IN_PROGRESS)
    window, page = board(make_window)
    page.select(order.id)
    qtbot.mouseClick(page.delay_button, Qt.MouseButton.LeftButton)
    dialog = page.delay_dialog
    assert dialog is not None and dialog.isVisible()
    assert dialog.new_time() == dt.datetime(2026, 11, 2, 14, 0)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)  # no reason yet
    assert dialog.isVisible() and "Reason for the delay" in dialog.banner.text()
    qtbot.keyClicks(dialog.reason_edit, "parts come tomorrow")
    with qtbot.waitSignal(dialog.accepted):
        qtbot.mouseClick(ok, Qt.MouseButton.LeftButton)
    report = DelayReport.get(DelayReport.order == order.id)
    assert report.new_promised_at == dt.datetime(2026, 11, 2, 14, 0)
    assert page.card(order.id).promised_at == dt.datetime(2026, 11, 2, 14, 0)
    assert "The advisor is told" in page.banner.text()


def test_details_show_the_advisors_handover(qtbot, make_window, staff):
    order = make_order(State.CHECKED_IN)
    order.signed_at = T0
    order.save()
    reception.hand_over(
        staff["advisor"], order.id, key=True, documents=True, notes="钥匙在前台 key at desk"
    )
    _window, page = board(make_window)
    card = page.card_widgets[order.id]
    qtbot.mouseDClick(card, Qt.MouseButton.LeftButton)  # awaiting dispatch: double-click dispatches
    assert page.dispatch_dialog is not None
    page.dispatch_dialog.reject()
    menu = page.build_menu(page.card(order.id))
    menu.findChild(type(menu.actions()[0]), "detailsAction").trigger()
    detail = page.detail_dialog
    assert isinstance(detail, DetailDialog) and detail.isVisible()
    assert detail.values["handover_notes"] == "钥匙在前台 key at desk"
    assert detail.values["handover_key"] == "Yes" and detail.values["handover_documents"] == "Yes"
    assert staff["advisor"].name in detail.values["handover"]
    assert "5000" in detail.values["work"] or "5,000" in detail.values["work"]


def test_manager_sees_the_board_but_cannot_dispatch(make_window):
    order = make_order(State.AWAITING_DISPATCH)
    _window, page = board(make_window, "manager")
    page.select(order.id)
    assert not page.dispatch_button.isEnabled() and not page.delay_button.isEnabled()
    assert page.details_button.isEnabled()
    assert not page.card_widgets[order.id].draggable
    box = next(iter(page.team_boxes.values()))
    assert not send_drop(box, page.card_widgets[order.id].mime_data()).isAccepted()
    menu = page.build_menu(page.card(order.id))
    assert not menu.findChild(type(menu.actions()[0]), "dispatchAction").isEnabled()
    assert page.open_dispatch(page.card(order.id)) is None


def test_keyboard_moves_between_cards_and_enter_dispatches(qtbot, make_window):
    first = make_order(State.AWAITING_DISPATCH)
    second = make_order(State.AWAITING_DISPATCH)
    working = make_order(State.IN_PROGRESS)
    window, page = board(make_window)
    window.activateWindow()
    top = page.card_widgets[page.columns["awaiting_dispatch"].cards()[0].order_id]
    top.setFocus()
    qtbot.waitUntil(top.hasFocus)
    qtbot.keyClick(top, Qt.Key.Key_Down)
    lower = page.card_widgets[page.columns["awaiting_dispatch"].cards()[1].order_id]
    assert lower.hasFocus() and page.selected_id == lower.card.order_id
    qtbot.keyClick(lower, Qt.Key.Key_Right)
    assert page.card_widgets[working.id].hasFocus() and page.selected_id == working.id
    qtbot.keyClick(page.card_widgets[working.id], Qt.Key.Key_Left)
    assert top.hasFocus()  # the same row of the column to the left
    qtbot.keyClick(top, Qt.Key.Key_Return)
    dialog = open_dialog(page)
    assert dialog.order_id == top.card.order_id
    assert {top.card.order_id, lower.card.order_id} == {first.id, second.id}
    qtbot.keyClick(dialog, Qt.Key.Key_Escape)
    assert not dialog.isVisible()


def test_team_panel_shows_hours_against_capacity_and_skills_and_warns_while_hovering(
    qtbot, make_window, staff
):
    job = make_order(State.AWAITING_DISPATCH)
    electrical_job(job)
    mech = team("机修一组")
    for _ in range(9):  # 9 × 2.0 h of work dispatched to the mechanical team today
        busy = make_order(State.AWAITING_DISPATCH)
        JobLine.update(hours=Decimal("2.00")).where(
            (JobLine.order == busy) & (JobLine.kind == "labour")
        ).execute()
        workshop.dispatch(staff["supervisor"], busy, mech)
    _window, page = board(make_window)
    box = page.team_boxes[mech.id]
    assert box.load.capacity_hours > 0 and box.load.assigned_hours == Decimal("18.00")
    capacity = f"{box.load.capacity_hours.normalize():f}"
    assert box.hours_label.text() == f"18 / {capacity} h"
    assert box.load.over_capacity and "#c62828" in box.hours_label.styleSheet()  # red
    assert box.skills_label.text().startswith("Skills: ") and "Electrical" not in (
        box.skills_label.text()
    )
    assert staff["tech1"].name in box.members_label.text()
    electric = page.team_boxes[team("电工组").id]
    assert "Electrical" in electric.skills_label.text()
    # a card hovering over the team: the box says what the team lacks before the drop
    mime = page.card_widgets[job.id].mime_data()
    enter = QDragEnterEvent(
        box.rect().center(),
        Qt.DropAction.MoveAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(box, enter)
    assert enter.isAccepted()
    assert box.hint_label.isVisibleTo(box) and box.hint_label.text() == "Lacks: Electrical"
    QApplication.sendEvent(
        electric,
        QDragEnterEvent(
            electric.rect().center(),
            Qt.DropAction.MoveAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        ),
    )
    assert electric.hint_label.text() == f"Drop to dispatch {job.number} here"


def test_detail_names_the_insurer_for_supplement_lines(qtbot, staff):
    order = make_order(State.WAITING_AUTHORISATION)
    asked = AdditionalWorkRequest.create(order=order, reason="x", decided_by="insurer")
    make_line(order, "纵梁校正 Frame", auth_state="proposed", pay_type="insurance", request=asked)
    make_line(order, "喷漆 Paint", auth_state="declined", pay_type="insurance", request=asked)
    make_line(order, "Wiper blades", auth_state="declined")
    detail = DetailDialog(order.id)
    qtbot.addWidget(detail)
    work = detail.values["work"]
    assert "纵梁校正 Frame — 1 h: supplementary assessment, awaiting the insurer's approval" in work
    assert "喷漆 Paint — 1 h: supplementary assessment, declined by the insurer" in work
    assert "Wiper blades — 1 h: declined by the customer" in work
