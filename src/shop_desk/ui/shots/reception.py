"""Screenshot staging of the Reception desk: every step of a reception as an advisor sees it.

Filled from the database through the page's public methods; nothing is saved (the page holds
its drafts, the steps are opened on an order in progress and not submitted)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QPointF, Qt
from PySide6.QtGui import QMouseEvent
from PySide6.QtWidgets import QApplication, QWidget

from shop_desk.i18n import translate
from shop_desk.models import Inspection, RepairOrder, Staff, Vehicle
from shop_desk.services import appointments as appointment_service
from shop_desk.ui.reception.flow import (
    COMPLAINT,
    ESTIMATE,
    INSPECTION,
    TASK_ORDER,
    receptions_in_progress,
)
from shop_desk.ui.reception.inspection import PreviousInspection, previous_inspection
from shop_desk.ui.reception.page import ReceptionPage
from shop_desk.ui.reception.widgets import ReasonDialog
from shop_desk.ui.shots.screenshots import register_screenshot, settle


def scribble(widget: QWidget, strokes: list[list[tuple[float, float]]]) -> None:
    """Draw strokes on a widget with real mouse events (signature pictures and tests)."""
    left, none = Qt.MouseButton.LeftButton, Qt.MouseButton.NoButton
    mods = Qt.KeyboardModifier.NoModifier
    for stroke in strokes:
        points = [QPointF(x, y) for x, y in stroke]
        for n, p in enumerate(points):
            g = QPointF(widget.mapToGlobal(p.toPoint()))
            if n == 0:
                event = QMouseEvent(QEvent.Type.MouseButtonPress, p, g, left, left, mods)
            else:
                event = QMouseEvent(QEvent.Type.MouseMove, p, g, none, left, mods)
            QApplication.sendEvent(widget, event)
        last = points[-1]
        g = QPointF(widget.mapToGlobal(last.toPoint()))
        QApplication.sendEvent(
            widget, QMouseEvent(QEvent.Type.MouseButtonRelease, last, g, left, none, mods)
        )


def signature_strokes(width: int, height: int) -> list[list[tuple[float, float]]]:
    """A handwriting-like scribble across the middle of a pad of this size."""
    import math

    strokes = []
    x0, mid = width * 0.12, height * 0.55
    for k in range(3):
        start = x0 + k * width * 0.25
        stroke = [
            (start + t * 3.0, mid + math.sin(t / 3.0 + k) * height * 0.1 - t * 0.4)
            for t in range(0, 40)
        ]
        strokes.append(stroke)
    return strokes


def _screenshot_advisor() -> Staff | None:
    people = appointment_service.advisors()
    return next((s for s in people if s.login == "advisor"), people[0] if people else None)


def _warranty_card_shot(ctx: Any, page: ReceptionPage) -> None:
    """The chosen car's warranty cards with a card typed in but refused for its missing
    number (nothing saved)."""
    from PySide6.QtCore import QDate

    from shop_desk import clock

    dialog = page.vehicle_step.open_warranty_card()
    if dialog is None:
        return
    dialog.category_combo.setCurrentIndex(max(0, dialog.category_combo.findData("general")))
    dialog.date_box.setChecked(True)
    dialog.date_edit.setDate(QDate(clock.today()).addYears(2))
    dialog.km_edit.setText("150000")
    dialog.add_card()  # refused: the card number is missing
    settle()
    ctx.save("reception_warranty_card", dialog)
    dialog.close()
    settle()


def _shots(ctx: Any) -> None:
    """Every step of a reception as an advisor sees it, filled from the database (nothing saved)."""
    from shop_desk.models import DamageMark
    from shop_desk.ui.shell.main_window import MainWindow

    staff = _screenshot_advisor()
    if staff is None:
        return
    window = MainWindow(staff)
    window.resize(1280, 800)
    window.show()
    settle()
    try:
        page = window.show_page("reception")
        assert isinstance(page, ReceptionPage)
        page.hold_drafts()  # a picture run: no drafts
        page.notice.clear_notice()
        settle()
        ctx.save("reception_1_start", window)
        busy = {r.order.vehicle_id for r in receptions_in_progress()}
        vehicles = sorted(
            (v for v in Vehicle.select() if v.id not in busy and v.plate),
            key=lambda v: -RepairOrder.select().where(RepairOrder.vehicle == v).count(),
        )
        if vehicles:
            vehicle = vehicles[0]
            page.vehicle_step.find(vehicle.plate[:5])
            page.select_vehicle(vehicle.id)
            settle()
            ctx.save("reception_1_vehicle", window)
            _warranty_card_shot(ctx, page)
        rows = receptions_in_progress()
        if not rows:
            return
        with_old = [
            r.order for r in rows if (prev := previous_inspection(r.order.id)) and prev.marks
        ]
        order = with_old[0] if with_old else rows[0].order
        page.open_order(order.id, INSPECTION)
        diagram = page.walk_around.inspection.diagram
        if not DamageMark.select().join(Inspection).where(Inspection.order == order).exists():
            diagram.add_mark("left", 0.32, 0.55, "scratch", "")
            diagram.add_mark("top", 0.78, 0.3, "dent", "")
        if not with_old:  # a picture of what faded marks look like: an earlier walk-around
            earlier = (
                Inspection.select()
                .join(DamageMark)
                .where(Inspection.order < order.id)
                .order_by(Inspection.id.desc())
                .first()
            )
            if earlier is not None:
                marks = [
                    {"view": m.view, "x": float(m.x), "y": float(m.y), "kind": m.kind, "note": ""}
                    for m in DamageMark.select().where(DamageMark.inspection == earlier)
                ]
                page.walk_around.inspection.show_previous(
                    PreviousInspection(earlier.order.number, earlier.recorded_at, marks)
                )
        diagram.add_mark("right", 0.62, 0.5, "chip", "")
        page.walk_around.inspection.note_selected_mark("3 cm")
        settle()
        ctx.save("reception_2_inspection", window)
        ctx.save("reception_2_inspection_widget", page.walk_around.inspection)
        page.open_order(order.id, COMPLAINT)
        settle()
        ctx.save("reception_3_complaint", window)
        page.open_order(order.id, ESTIMATE)
        settle()
        ctx.save("reception_4_estimate", window)
        page.estimate.search.setText("filter")
        settle()
        ctx.save("reception_4_estimate_search", window)
        page.estimate.search.clear()
        page.open_order(order.id, TASK_ORDER)
        settle()
        pad = page.task_order.signature.pad
        scribble(pad, signature_strokes(pad.width(), pad.height()))
        page.update_checklist()
        settle()
        ctx.save("reception_5_signature", window)
        dialog = ReasonDialog(
            translate("ReceptionPage", "Lower odometer reading"),
            translate(
                "Customers",
                "{km} km is lower than the last reading of {last} km. Please check the odometer; if it "
                "is right (e.g. the instrument cluster was replaced), confirm with a reason.",
            ).format(km="45,210", last="54,120"),
            translate("ReceptionPage", "Reason"),
            lambda _reason: None,
            window,
            translate("ReceptionPage", "Confirm the reading"),
        )
        dialog.show()
        settle()
        ctx.save("reception_odometer_reason", dialog)
        dialog.close()
    finally:
        page = window.pages.get("reception")
        if page is not None:
            page.hold_drafts()
        window.close()
        window.deleteLater()
        settle()


register_screenshot("reception_flow", _shots)
