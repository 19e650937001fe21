"""The appointment desk's day lists: the day tab (its slots with free advisors and bays beside
the day's appointments, and the capacity line) and the arrivals tab (the day's cars with
their orders). The page reads which row is selected and acts on it."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QModelIndex, QObject, Signal
from PySide6.QtWidgets import QLabel, QSplitter, QTableView, QWidget

from shop_desk import clock
from shop_desk.i18n import counted, translate
from shop_desk.services import appointments as appt_service
from shop_desk.ui.appointments.common import (
    SlotModel,
    StatusModel,
    appointment_columns,
    appointment_row,
    cap_widths,
    capacity_text,
    day_title,
    setup_table,
)
from shop_desk.ui.shell.models import Column, row_of


def slot_state(slot: appt_service.SlotView) -> str:
    if slot.start < clock.now():
        return translate("Appointments", "Past slot")
    if slot.full:
        return translate("Appointments", "Fully booked")
    if slot.arrivals:
        return translate("Appointments", "Partly booked")
    return translate("Appointments", "Bookable")


class DayList(QObject):
    """The day tab: the slots (a double-click on a future one asks to book it:
    ``book_requested(start)``), the day's active appointments and the capacity line."""

    book_requested = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        capacity_label: QLabel,
        splitter: QSplitter,
        slots_table: QTableView,
        appointments_table: QTableView,
    ) -> None:
        super().__init__(parent)
        self.capacity_label = capacity_label
        self.splitter = splitter
        self.slots_table = slots_table
        self.appointments_table = appointments_table
        self.view: appt_service.DayView | None = None
        self._splitter_sized = False
        self.slot_model = SlotModel(
            [
                Column(
                    lambda: translate("Appointments", "Time"), lambda s: s.start.strftime("%H:%M")
                ),
                Column(
                    lambda: translate("Appointments", "Booked"),
                    lambda s: s.arrivals,
                    display=lambda v: str(v),
                    align_right=True,
                ),
                Column(
                    lambda: translate("Appointments", "Advisors free"),
                    lambda s: s.arrivals_free,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Appointments", "Bays free"),
                    lambda s: s.bays_free,
                    align_right=True,
                ),
                Column(lambda: translate("Appointments", "State"), slot_state),
            ],
            parent,
            is_dimmed=lambda s: s.start < clock.now(),
        )
        self.slot_proxy = setup_table(slots_table, self.slot_model, 4)
        self.appt_model = StatusModel(appointment_columns(compact=True), parent)
        self.appt_proxy = setup_table(
            appointments_table, self.appt_model, self.appt_model.columnCount() - 1
        )
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        slots_table.doubleClicked.connect(self._slot_activated)

    def refresh(self, day: dt.date) -> None:
        view = appt_service.day_view(day)
        self.view = view
        self.capacity_label.setText(html.escape(capacity_text(view)))
        self.slot_model.set_rows(view.slots)
        rows = [
            appointment_row(r.appointment, r.order)
            for r in appt_service.arrivals(day, appt_service.ACTIVE)
        ]
        self.appt_model.set_rows(rows)
        self.slots_table.resizeColumnsToContents()
        self.appointments_table.resizeColumnsToContents()
        cap_widths(self.appointments_table, self.appt_model.columnCount() - 1)
        if not self._splitter_sized:
            table = self.slots_table
            width = sum(table.columnWidth(c) for c in range(self.slot_model.columnCount()))
            width += table.verticalScrollBar().sizeHint().width() + 2 * table.frameWidth() + 4
            self.splitter.setSizes([width, max(600, 3 * width)])
            self._splitter_sized = True

    def select_slot(self, start: dt.datetime) -> bool:
        """Make ``start`` the current row of the day's slot table."""
        for r in range(self.slot_proxy.rowCount()):
            if row_of(self.slot_proxy, self.slot_proxy.index(r, 0)).start == start:
                self.slots_table.setCurrentIndex(self.slot_proxy.index(r, 0))
                return True
        return False

    def selected_slot(self) -> dt.datetime | None:
        index = self.slots_table.currentIndex()
        slot = row_of(self.slot_proxy, index) if index.isValid() else None
        return slot.start if slot is not None else None

    def _slot_activated(self, index: QModelIndex) -> None:
        slot = row_of(self.slot_proxy, index)
        if slot is not None and slot.start >= clock.now():
            self.book_requested.emit(slot.start)


class ArrivalsList(QObject):
    """The arrivals tab: the day's cars (every status) with their orders and a count line."""

    def __init__(self, parent: QWidget, table: QTableView, label: QLabel) -> None:
        super().__init__(parent)
        self.table = table
        self.label = label
        self.model = StatusModel(appointment_columns(with_order_state=True), parent)
        self.proxy = setup_table(table, self.model, self.model.columnCount() - 1)

    def refresh(self, day: dt.date) -> None:
        rows = [appointment_row(r.appointment, r.order) for r in appt_service.arrivals(day)]
        self.model.set_rows(rows)
        self.table.resizeColumnsToContents()
        cap_widths(self.table, self.model.columnCount() - 1)
        waiting = sum(1 for r in rows if r["status_code"] == "booked")
        self.label.setText(
            counted(
                len(rows),
                translate("Appointments", "{day}: 1 car expected, {waiting} not arrived yet."),
                translate("Appointments", "{day}: {n} cars expected, {waiting} not arrived yet."),
                day=day_title(day),
                waiting=waiting,
            )
        )
