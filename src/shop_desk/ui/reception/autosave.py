"""Autosave of the reception in progress: what is typed survives a crash or a closed window.

The page marks input as it changes; a short timer later the whole reception (the car, the
order, the step and the unsaved input of every step) is written to :mod:`shop_desk.drafts`
under the advisor's name. On the next start the page offers it back (Restore / Discard).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, QTimer

from shop_desk import drafts
from shop_desk.i18n import translate
from shop_desk.models import RepairOrder, Vehicle
from shop_desk.states import State
from shop_desk.ui.reception.flow import COMPLAINT, ESTIMATE, INSPECTION, TASK_ORDER, vehicle_text

if TYPE_CHECKING:
    from shop_desk.ui.reception.page import ReceptionPage

DRAFT_DELAY_MS = 600


class ReceptionAutosave(QObject):
    """The draft of one advisor's reception: saved after a pause, offered back, restored."""

    def __init__(self, page: ReceptionPage) -> None:
        super().__init__(page)
        self.page = page
        self.held = False  # while restoring (or for a picture run) nothing is autosaved
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DRAFT_DELAY_MS)
        self.timer.timeout.connect(self.save)

    @property
    def key(self) -> str:
        return f"reception-{self.page.actor.id}"

    def touch(self) -> None:
        """Something changed: save a little later (unless held)."""
        if not self.held:
            self.timer.start()

    def stop(self) -> None:
        self.timer.stop()

    def hold(self) -> None:
        """From now on nothing is autosaved (a picture run leaves the person's drafts alone)."""
        self.held = True
        self.timer.stop()

    def save(self) -> None:
        """Write the reception in progress (unsaved step input included)."""
        page = self.page
        if page.vehicle_id is None and page.order_id is None:
            return  # nothing of this reception yet; an older draft waits for Restore/Discard
        data: dict[str, Any] = {
            "vehicle_id": page.vehicle_id,
            "customer_id": page.customer_id,
            "appointment_id": page.appointment_id,
            "order_id": page.order_id,
            "step": page.step,
            "dirty": sorted(page.dirty),
        }
        for step, name, widget in self._inputs():
            if step in page.dirty:
                data[name] = widget.state()
        vehicle = Vehicle.get_or_none(Vehicle.id == page.vehicle_id) if page.vehicle_id else None
        title = vehicle_text(vehicle) if vehicle is not None else ""
        drafts.save(self.key, title, data)

    def discard(self) -> None:
        drafts.discard(self.key)
        self.page.notice.clear_notice()

    def offer(self) -> bool:
        """Show the notice that offers an unfinished reception back; False when there is none."""
        draft = drafts.load(self.key)
        if draft is None:
            return False
        self.page.notice.show_notice(
            translate(
                "ReceptionPage",
                "A reception was not finished ({title}, {time}). Restore what was typed?",
            ).format(title=draft.title or "?", time=draft.saved_at.strftime("%Y-%m-%d %H:%M")),
            "warning",
            [
                (translate("ReceptionPage", "Restore"), self.restore, "restoreDraftButton"),
                (translate("ReceptionPage", "Discard"), self.discard, "discardDraftButton"),
            ],
        )
        return True

    def restore(self) -> bool:
        """Reopen the draft's order (or car) at its step and put the unsaved input back."""
        page = self.page
        draft = drafts.load(self.key)
        page.notice.clear_notice()
        if draft is None:
            return False
        data = draft.data
        self.held = True
        try:
            order = (
                RepairOrder.get_or_none(RepairOrder.id == data.get("order_id"))
                if data.get("order_id")
                else None
            )
            if order is not None and order.state == State.CHECKED_IN.value:
                page.open_order(order.id, int(data.get("step", 1)))
            elif data.get("vehicle_id") and Vehicle.get_or_none(Vehicle.id == data["vehicle_id"]):
                page.select_vehicle(
                    data["vehicle_id"], data.get("customer_id"), data.get("appointment_id")
                )
            else:
                drafts.discard(self.key)
                return False
            if page.order_id is not None:
                for step, name, widget in self._inputs():
                    if name in data:
                        widget.restore(data[name])
                        page.dirty.add(step)
        finally:
            self.held = False
        page.update_chrome()
        page.banner.show_info(translate("ReceptionPage", "The unfinished reception is back."))
        return True

    def _inputs(self) -> list[tuple[int, str, Any]]:
        """The steps whose unsaved input a draft carries: (step, key in the draft, widget)."""
        page = self.page
        return [
            (INSPECTION, "inspection", page.walk_around),
            (COMPLAINT, "complaint", page.complaint),
            (ESTIMATE, "estimate", page.estimate),
            (TASK_ORDER, "task_order", page.task_order),
        ]
