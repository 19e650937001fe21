"""What the appointment desk's tabs share: day names and texts, an appointment as the tables
show it, the table models and columns."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCore import QDate, QModelIndex, QPersistentModelIndex, Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QTableView

from shop_desk.i18n import counted, translate
from shop_desk.models import Appointment, RepairOrder
from shop_desk.services import appointments as appt_service
from shop_desk.services import scheduling
from shop_desk.services.customers import vehicle_label
from shop_desk.states import state_label
from shop_desk.ui.shell.models import Column, RowTableModel, filter_proxy


def weekday_name(day: dt.date) -> str:
    names = (
        translate("Appointments", "Monday"),
        translate("Appointments", "Tuesday"),
        translate("Appointments", "Wednesday"),
        translate("Appointments", "Thursday"),
        translate("Appointments", "Friday"),
        translate("Appointments", "Saturday"),
        translate("Appointments", "Sunday"),
    )
    return names[day.weekday()]


def day_title(day: dt.date) -> str:
    return f"{day.isoformat()} {weekday_name(day)}"


def hours_text(value: Decimal) -> str:
    return f"{value:.1f}"


def to_qdate(day: dt.date) -> QDate:
    return QDate(day.year, day.month, day.day)


def next_working_day(day: dt.date) -> dt.date:
    """The day after ``day`` on which the shop is open (the preparation list is for it)."""
    nxt = day + dt.timedelta(days=1)
    while not scheduling.is_working_day(nxt):
        nxt += dt.timedelta(days=1)
    return nxt


def capacity_text(view: appt_service.DayView) -> str:
    """The day's capacity figures in one line (plain text)."""
    if not view.open:
        return translate("Appointments", "{day}: the shop is closed.").format(
            day=day_title(view.date)
        )
    n = len(view.appointments)
    return translate(
        "Appointments",
        "{day}: {advisors} · {bays} · {appointments} · "
        "{booked} of {capacity} workshop hours booked, {free} free",
    ).format(
        day=day_title(view.date),
        advisors=counted(
            len(view.advisors),
            translate("Appointments", "1 service advisor"),
            translate("Appointments", "{n} service advisors"),
        ),
        bays=counted(
            view.bays, translate("Appointments", "1 bay"), translate("Appointments", "{n} bays")
        ),
        appointments=counted(
            n,
            translate("Appointments", "1 appointment"),
            translate("Appointments", "{n} appointments"),
        ),
        booked=hours_text(view.booked_hours),
        capacity=hours_text(view.capacity_hours),
        free=hours_text(view.free_hours),
    )


def slot_text(slot: appt_service.SlotView) -> str:
    """'10:00 · 1 of 2 advisors free · 7 of 8 bays free' (or '… full')."""
    time = slot.start.strftime("%H:%M")
    if slot.full:
        return translate("Appointments", "{time} · full ({arrivals} booked)").format(
            time=time, arrivals=slot.arrivals
        )
    return translate(
        "Appointments", "{time} · {advisors} of {n} advisors free · {bays} of {m} bays free"
    ).format(
        time=time,
        advisors=slot.arrivals_free,
        n=slot.advisors_total,
        bays=slot.bays_free,
        m=slot.bays_total,
    )


def appointment_row(appt: Appointment, order: RepairOrder | None) -> dict[str, Any]:
    """One appointment as the tables show it (``order``: made from it, if any)."""
    vehicle = appt.vehicle
    customer = appt.customer
    return {
        "id": appt.id,
        "start": appt.slot_start,
        "time": appt.slot_start.strftime("%H:%M"),
        "customer": customer.name,
        "phone": customer.phone,
        "vehicle": vehicle_label(vehicle),
        "work": " ".join(appt.requested_work.split()),
        "advisor": appt.advisor.name if appt.advisor_id else "",
        "hours": appt.hours,
        "status_code": appt.status,
        "status": appt_service.status_label(appt.status),
        "order": order.number if order is not None else "",
        "order_id": order.id if order is not None else None,
        "order_state": state_label(order.state) if order is not None else "",
    }


# --------------------------------------------------------------------------- table models


# --------------------------------------------------------------------------- table models

FULL_COLOUR = "#f8d7d3"
PARTLY_COLOUR = "#fff1cc"
CLOSED_COLOUR = "#eeeeee"


class SlotModel(RowTableModel):
    """Slots with a background: full red, partly booked amber, past grey."""

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.BackgroundRole and index.isValid():
            slot: appt_service.SlotView = self.rows[index.row()]
            if slot.full:
                return QColor(FULL_COLOUR)
            if slot.arrivals or slot.bays_in_use:
                return QColor(PARTLY_COLOUR)
            return None
        return super().data(index, role)


class StatusModel(RowTableModel):
    """Appointment rows: cancelled and no-show greyed, arrived green."""

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role == Qt.ItemDataRole.ForegroundRole and index.isValid():
            code = self.rows[index.row()]["status_code"]
            if code in ("cancelled", "no_show"):
                return QColor("#8a8a8a")
            if code == "arrived":
                return QColor("#1d5a2b")
        return super().data(index, role)


def setup_table(view: QTableView, model: RowTableModel, stretch: int) -> Any:
    proxy = filter_proxy(model, view)
    view.setModel(proxy)
    view.setSortingEnabled(True)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(not isinstance(model, SlotModel))
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.sortByColumn(0, Qt.SortOrder.AscendingOrder)
    return proxy


def appointment_columns(with_order_state: bool = False, compact: bool = False) -> list[Column]:
    """The appointment tables; the requested work comes last and takes the spare width.

    ``compact`` (the day view beside the slots) leaves out phone and hours."""
    cols = [
        Column(lambda: translate("Appointments", "Time"), lambda r: r["time"]),
        Column(lambda: translate("Appointments", "Customer"), lambda r: r["customer"]),
        Column(lambda: translate("Appointments", "Phone"), lambda r: r["phone"]),
        Column(lambda: translate("Appointments", "Vehicle"), lambda r: r["vehicle"]),
        Column(lambda: translate("Appointments", "Service advisor"), lambda r: r["advisor"]),
        Column(
            lambda: translate("Appointments", "Hours"),
            lambda r: r["hours"],
            display=lambda v: hours_text(v),
            align_right=True,
        ),
        Column(lambda: translate("Appointments", "Status"), lambda r: r["status"]),
        Column(lambda: translate("Appointments", "Repair order"), lambda r: r["order"]),
    ]
    if with_order_state:
        cols.append(
            Column(lambda: translate("Appointments", "Order state"), lambda r: r["order_state"])
        )
    if compact:
        cols = [c for n, c in enumerate(cols) if n not in (2, 5)]
    cols.append(Column(lambda: translate("Appointments", "Requested work"), lambda r: r["work"]))
    return cols


def cap_widths(table: QTableView, stretch: int) -> None:
    """No column but the stretching one wider than 210 px."""
    for col in range(table.model().columnCount()):
        if col != stretch and table.columnWidth(col) > 210:
            table.setColumnWidth(col, 210)
