"""Appointments area (预约): the day's slots and capacity, the week, arrivals, preparation list.

A phone booking: Book… → find or register the customer and vehicle → pick a free slot (the
slot list shows free advisors and bays) → requested work → Save. The capacity rules live in
:mod:`shop_desk.services.appointments`; a booking beyond capacity is refused with the
service's reason, shown in the dialog with the input kept. Booked appointments can be moved,
cancelled (with a reason) or marked as no-show. The Arrivals tab lists the day's cars with a
"Check in" action for reception; the Preparation tab is the list for the next working day
(booked work, parts against stock, notes from the service archive), printable.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QDate,
    QModelIndex,
    QPersistentModelIndex,
    QStandardPaths,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtGui import QColor, QKeySequence, QPageLayout, QPageSize, QShortcut, QTextDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock, drafts
from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import counted, translate
from shop_desk.models import Appointment, Customer, RepairOrder, Staff, Vehicle
from shop_desk.roles import Role
from shop_desk.services import appointments as appt_service
from shop_desk.services import scheduling
from shop_desk.services.customers import vehicle_label
from shop_desk.services.orders import settings
from shop_desk.states import state_label
from shop_desk.ui.shell.main_window import register_opener, register_page
from shop_desk.ui.shell.models import Column, RowTableModel, filter_proxy, row_of
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.vehicle_picker import CustomerVehicleDialog
from shop_desk.ui.shell.widgets import (
    ErrorBanner,
    FormDialog,
    allowed,
    app_settings,
    ask,
    decimal_validator,
    mark_invalid,
)

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow

DRAFT_KEY = "appointment_booking"


# --------------------------------------------------------------------------- small helpers


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


FULL_COLOUR = "#f8d7d3"
PARTLY_COLOUR = "#fff1cc"
CLOSED_COLOUR = "#eeeeee"


def short_weekday(day: dt.date) -> str:
    names = (
        translate("Appointments", "Mon"),
        translate("Appointments", "Tue"),
        translate("Appointments", "Wed"),
        translate("Appointments", "Thu"),
        translate("Appointments", "Fri"),
        translate("Appointments", "Sat"),
        translate("Appointments", "Sun"),
    )
    return names[day.weekday()]


class WeekSlotModel(QAbstractTableModel):
    """The week as a slot grid: times down, the seven days across; a cell is one slot.

    Full slots are red, partly booked amber, closed days grey, past slots dimmed; the
    tooltip names the cars booked in the slot."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: list[appt_service.DayView] = []
        self.times: list[dt.time] = []
        self.cells: dict[tuple[int, int], appt_service.SlotView] = {}

    def set_days(self, days: list[appt_service.DayView]) -> None:
        self.beginResetModel()
        self.days = list(days)
        self.times = sorted({slot.start.time() for day in self.days for slot in day.slots})
        row_of_time = {t: n for n, t in enumerate(self.times)}
        self.cells = {
            (row_of_time[slot.start.time()], col): slot
            for col, day in enumerate(self.days)
            for slot in day.slots
        }
        self.endResetModel()

    def slot_at(self, index: QModelIndex | QPersistentModelIndex) -> Any:
        """The slot of a cell (None for a closed day or a time the day does not have)."""
        if not index.isValid():
            return None
        return self.cells.get((index.row(), index.column()))

    def day_at(self, column: int) -> dt.date | None:
        return self.days[column].date if 0 <= column < len(self.days) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.times)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.days)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.days):
            day = self.days[section].date
            return f"{short_weekday(day)} {day:%m-%d}"
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.times):
            return self.times[section].strftime("%H:%M")
        return None

    @staticmethod
    def cell_text(slot: appt_service.SlotView) -> str:
        if slot.full:
            return translate("Appointments", "Full ({n})").format(n=slot.arrivals)
        if slot.arrivals:
            return translate("Appointments", "{n} booked").format(n=slot.arrivals)
        return ""

    @staticmethod
    def cell_tooltip(slot: appt_service.SlotView) -> str:
        head = translate(
            "Appointments", "{time}: {advisors} advisors free, {bays} bays free"
        ).format(
            time=slot.start.strftime("%Y-%m-%d %H:%M"),
            advisors=slot.arrivals_free,
            bays=slot.bays_free,
        )
        lines = [head]
        for appt in slot.appointments:
            lines.append(
                f"{vehicle_label(appt.vehicle)} · {appt.customer.name} · {appt.requested_work}"
            )
        return "\n".join(lines)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        slot = self.slot_at(index)
        if slot is None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QColor(CLOSED_COLOUR)
            if role == Qt.ItemDataRole.DisplayRole and index.row() == 0:
                return translate("Appointments", "Shop closed")
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#8a8a8a")
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(slot)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.cell_tooltip(slot)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if slot.full:
                return QColor(FULL_COLOUR)
            if slot.arrivals or slot.bays_in_use:
                return QColor(PARTLY_COLOUR)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and slot.start < clock.now():
            return QColor("#8a8a8a")
        return None


def _table(view: QTableView, model: RowTableModel, stretch: int) -> Any:
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


def _appointment_columns(with_order_state: bool = False, compact: bool = False) -> list[Column]:
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


# --------------------------------------------------------------------------- book / move


class AppointmentDialog(QDialog):
    """Book an appointment, or move a booked one (another day, time, hours or advisor).

    The slot list shows what is free; a full slot can still be chosen and the service
    says why it is refused. Booking drafts are autosaved and offered again."""

    saved = Signal(int)  # appointment id

    def __init__(
        self,
        actor: Staff,
        parent: QWidget | None = None,
        day: dt.date | None = None,
        slot: dt.datetime | None = None,
        appointment: Appointment | None = None,
        customer: Customer | None = None,
        vehicle: Vehicle | None = None,
    ) -> None:
        super().__init__(parent)
        self.actor = actor
        self.appointment = appointment
        self.moving = appointment is not None
        self.setObjectName("appointmentMoveDialog" if self.moving else "appointmentBookDialog")
        self.setWindowTitle(
            translate("Appointments", "Move appointment")
            if self.moving
            else translate("Appointments", "Book appointment")
        )
        self.setModal(True)
        self.customer: Customer | None = customer
        self.vehicle: Vehicle | None = vehicle
        self.picker: CustomerVehicleDialog | None = None
        self.autosave = True  # drafts of bookings in progress (off for screenshots)
        self.slots: list[appt_service.SlotView] = []
        self.advisor_list = appt_service.advisors()

        outer = QVBoxLayout(self)
        self.restore_row = QWidget(self)
        restore_layout = QHBoxLayout(self.restore_row)
        restore_layout.setContentsMargins(0, 0, 0, 0)
        self.restore_label = QLabel(self.restore_row)
        self.restore_label.setWordWrap(True)
        self.restore_button = QPushButton(translate("Appointments", "&Restore"), self.restore_row)
        self.restore_button.setObjectName("restoreDraftButton")
        self.discard_button = QPushButton(translate("Appointments", "Discard"), self.restore_row)
        self.discard_button.setObjectName("discardDraftButton")
        for b in (self.restore_button, self.discard_button):
            b.setAutoDefault(False)
        restore_layout.addWidget(self.restore_label, 1)
        restore_layout.addWidget(self.restore_button)
        restore_layout.addWidget(self.discard_button)
        self.restore_row.setStyleSheet("background:#eef3fb; border-radius:4px;")
        self.restore_row.hide()
        outer.addWidget(self.restore_row)
        self.form = load_form("appointments_book", self)
        outer.addWidget(self.form, 1)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        outer.addWidget(self.banner)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("okButton")
        self.ok_button.setText(
            translate("Appointments", "&Move")
            if self.moving
            else translate("Appointments", "&Book")
        )
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            translate("Appointments", "Cancel")
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        f = self.form
        self.vehicle_label = child(f, QLabel, "vehicleLabel")
        self.choose_button = child(f, QPushButton, "chooseVehicleButton")
        self.date_edit = child(f, QDateEdit, "dateEdit")
        self.slot_combo = child(f, QComboBox, "slotCombo")
        self.day_capacity = child(f, QLabel, "dayCapacityLabel")
        self.hours_edit = child(f, QLineEdit, "hoursEdit")
        self.advisor_combo = child(f, QComboBox, "advisorCombo")
        self.work_edit = child(f, QPlainTextEdit, "workEdit")
        self.notes_edit = child(f, QLineEdit, "notesEdit")
        self.day_capacity.setStyleSheet("color:#5f6670;")
        self.hours_edit.setValidator(decimal_validator(self.hours_edit, 3, 1))
        self.fields: dict[str, QWidget] = {
            "slot_start": self.slot_combo,
            "hours": self.hours_edit,
            "advisor": self.advisor_combo,
            "requested_work": self.work_edit,
        }
        self.advisor_combo.addItem(translate("Appointments", "Any advisor"), None)
        for person in self.advisor_list:
            self.advisor_combo.addItem(person.name, person.id)

        today = clock.today()
        self.date_edit.setMinimumDate(to_qdate(today))
        start_day = slot.date() if slot else (day or today)
        if self.moving:
            assert appointment is not None
            self.customer, self.vehicle = appointment.customer, appointment.vehicle
            start_day = slot.date() if slot else appointment.slot_start.date()
            self.hours_edit.setText(hours_text(appointment.hours))
            self.work_edit.setPlainText(appointment.requested_work)
            self.work_edit.setReadOnly(True)
            self.notes_edit.setText(appointment.notes)
            self.notes_edit.setReadOnly(True)
            self.choose_button.setEnabled(False)
            self.advisor_combo.setCurrentIndex(
                max(0, self.advisor_combo.findData(appointment.advisor_id))
            )
        else:
            self.hours_edit.setText("1.0")
            if Role.ADVISOR.value in actor.role_set():
                self.advisor_combo.setCurrentIndex(max(0, self.advisor_combo.findData(actor.id)))
        self.date_edit.setDate(to_qdate(max(start_day, today)))
        self.fill_slots(keep=slot or (appointment.slot_start if appointment is not None else None))
        self._show_vehicle()

        self.choose_button.clicked.connect(self.choose_vehicle)
        self.date_edit.dateChanged.connect(lambda _d: self.fill_slots())
        self.slot_combo.currentIndexChanged.connect(lambda _i: self._slot_changed())
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(700)
        self._draft_timer.timeout.connect(self.save_draft)
        if not self.moving:
            for signal in (
                self.date_edit.dateChanged,
                self.slot_combo.currentIndexChanged,
                self.hours_edit.textChanged,
                self.advisor_combo.currentIndexChanged,
                self.work_edit.textChanged,
                self.notes_edit.textChanged,
            ):
                signal.connect(lambda *_: self._draft_timer.start())
            self.restore_button.clicked.connect(self.restore_draft)
            self.discard_button.clicked.connect(self.discard_draft)
            self._offer_draft()
        self._slot_changed()
        self.resize(640, self.sizeHint().height())
        if self.moving:
            self.slot_combo.setFocus()
        elif self.vehicle is None:
            self.choose_button.setFocus()
        else:
            self.work_edit.setFocus()

    # -- customer and vehicle ---------------------------------------------------------------
    def choose_vehicle(self) -> CustomerVehicleDialog:
        """Open the find-or-register dialog (window-modal, not blocking)."""
        self.picker = CustomerVehicleDialog(self.actor, self, self.customer, self.vehicle)
        self.picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.picker.accepted.connect(self._picked)
        self.picker.open()
        return self.picker

    def _picked(self) -> None:
        picker = self.sender() or self.picker
        if picker is None:
            return
        self.set_vehicle(picker.result_customer(), picker.result_vehicle())
        self.work_edit.setFocus()

    def set_vehicle(self, customer: Customer | None, vehicle: Vehicle | None) -> None:
        self.customer, self.vehicle = customer, vehicle
        self._show_vehicle()
        mark_invalid(self.choose_button, False)
        self._draft_timer.start()

    def _show_vehicle(self) -> None:
        if self.vehicle is None:
            self.vehicle_label.setText(
                "<i>" + html.escape(translate("Appointments", "No vehicle chosen yet.")) + "</i>"
            )
            return
        customer = self.customer or self.vehicle.owner
        who = " · ".join(x for x in (customer.name, customer.phone) if x) if customer else ""
        self.vehicle_label.setText(
            f"<b>{html.escape(vehicle_label(self.vehicle))}</b><br>{html.escape(who)}"
        )

    # -- slots ------------------------------------------------------------------------------
    def day(self) -> dt.date:
        return self.date_edit.date().toPython()

    def fill_slots(self, keep: dt.datetime | None = None) -> None:
        """The chosen day's future slots with what is free (keeps the chosen time if it can)."""
        keep = keep or self.selected_slot()
        view = appt_service.day_view(self.day())
        now = clock.now()
        self.slots = [s for s in view.slots if s.start >= now]
        self.slot_combo.blockSignals(True)
        self.slot_combo.clear()
        for s in self.slots:
            self.slot_combo.addItem(slot_text(s))
            if s.full:
                self.slot_combo.setItemData(
                    self.slot_combo.count() - 1, QColor("#8a1c12"), Qt.ItemDataRole.ForegroundRole
                )
        index = -1
        if keep is not None:
            index = next((i for i, s in enumerate(self.slots) if s.start == keep), -1)
        if index < 0:
            index = next((i for i, s in enumerate(self.slots) if not s.full), -1)
        self.slot_combo.setCurrentIndex(index)
        self.slot_combo.setPlaceholderText(
            translate("Appointments", "No bookable time on this day")
            if not self.slots
            else translate("Appointments", "Choose a time")
        )
        self.slot_combo.blockSignals(False)
        self.day_capacity.setText(capacity_text(view))
        self._slot_changed()

    def selected_slot(self) -> dt.datetime | None:
        index = self.slot_combo.currentIndex() if hasattr(self, "slot_combo") else -1
        return self.slots[index].start if 0 <= index < len(self.slots) else None

    def select_slot(self, start: dt.datetime) -> bool:
        if start.date() != self.day():
            self.date_edit.setDate(to_qdate(start.date()))
        index = next((i for i, s in enumerate(self.slots) if s.start == start), -1)
        self.slot_combo.setCurrentIndex(index)
        return index >= 0

    def _slot_changed(self) -> None:
        """Advisors already booked at this time are marked (the service refuses them)."""
        index = self.slot_combo.currentIndex()
        booked = self.slots[index].booked_advisor_ids if 0 <= index < len(self.slots) else set()
        current = self.slots[index].start if 0 <= index < len(self.slots) else None
        if (
            self.appointment is not None
            and self.appointment.advisor_id
            and current == self.appointment.slot_start
        ):
            booked = booked - {self.appointment.advisor_id}  # its own booking
        for i in range(1, self.advisor_combo.count()):
            person = self.advisor_list[i - 1]
            text = person.name
            if person.id in booked:
                text = translate("Appointments", "{name} (booked at this time)").format(
                    name=person.name
                )
            self.advisor_combo.setItemText(i, text)

    # -- drafts -----------------------------------------------------------------------------
    def draft_data(self) -> dict[str, Any]:
        slot = self.selected_slot()
        return {
            "customer_id": self.customer.id if self.customer else None,
            "vehicle_id": self.vehicle.id if self.vehicle else None,
            "date": self.day().isoformat(),
            "slot": slot.isoformat() if slot else None,
            "hours": self.hours_edit.text(),
            "advisor_id": self.advisor_combo.currentData(),
            "work": self.work_edit.toPlainText(),
            "notes": self.notes_edit.text(),
        }

    def _has_content(self) -> bool:
        return bool(
            self.vehicle or self.work_edit.toPlainText().strip() or self.notes_edit.text().strip()
        )

    def save_draft(self) -> None:
        if self.moving or not self.autosave:
            return
        if self._has_content():
            drafts.save(
                DRAFT_KEY, translate("Appointments", "Appointment booking"), self.draft_data()
            )
        else:
            drafts.discard(DRAFT_KEY)

    def _offer_draft(self) -> None:
        draft = drafts.load(DRAFT_KEY)
        if draft is None:
            return
        self.restore_label.setText(
            translate(
                "Appointments", "A booking that was not saved ({time}) can be restored."
            ).format(time=draft.saved_at.strftime("%Y-%m-%d %H:%M"))
        )
        self.restore_row.show()

    def restore_draft(self) -> bool:
        draft = drafts.load(DRAFT_KEY)
        self.restore_row.hide()
        if draft is None:
            return False
        data = draft.data
        vehicle = Vehicle.get_or_none(Vehicle.id == data.get("vehicle_id"))
        customer = Customer.get_or_none(Customer.id == data.get("customer_id"))
        if vehicle is not None:
            self.set_vehicle(customer or vehicle.owner, vehicle)
        try:
            day = dt.date.fromisoformat(data.get("date") or "")
        except ValueError:
            day = None
        if day is not None and day >= clock.today():
            self.date_edit.setDate(to_qdate(day))
        if data.get("slot"):
            with contextlib.suppress(ValueError):
                self.select_slot(dt.datetime.fromisoformat(data["slot"]))
        self.hours_edit.setText(str(data.get("hours") or "1.0"))
        self.advisor_combo.setCurrentIndex(
            max(0, self.advisor_combo.findData(data.get("advisor_id")))
        )
        self.work_edit.setPlainText(str(data.get("work") or ""))
        self.notes_edit.setText(str(data.get("notes") or ""))
        return True

    def discard_draft(self) -> None:
        drafts.discard(DRAFT_KEY)
        self.restore_row.hide()

    # -- saving -----------------------------------------------------------------------------
    def submit(self) -> Appointment | None:
        """Book or move through the service; a refusal is shown here and the input stays."""
        self.banner.clear_message()
        for widget in (*self.fields.values(), self.choose_button):
            mark_invalid(widget, False)
        if self.vehicle is None or self.customer is None and self.vehicle.owner_id is None:
            return self._refuse(
                translate("Appointments", "Choose the customer and the vehicle first."),
                self.choose_button,
            )
        customer = self.customer or self.vehicle.owner
        slot = self.selected_slot()
        if slot is None:
            return self._refuse(
                translate("Appointments", "Choose a date and time for the appointment."),
                self.slot_combo,
            )
        hours = self.hours_edit.text().strip() or "0"
        advisor = self.advisor_combo.currentData()
        try:
            if self.moving:
                assert self.appointment is not None
                appt = appt_service.move_appointment(
                    self.actor, self.appointment, slot, hours=hours, advisor=advisor
                )
            else:
                appt = appt_service.book_appointment(
                    self.actor,
                    customer,
                    self.vehicle,
                    slot,
                    hours,
                    self.work_edit.toPlainText(),
                    advisor=advisor,
                    notes=self.notes_edit.text(),
                )
        except DomainError as exc:
            field = exc.field if isinstance(exc, ValidationError) else None
            self.fill_slots(keep=slot)  # another desk may have booked meanwhile
            return self._refuse(str(exc), self.fields.get(field or ""))
        self._draft_timer.stop()
        if not self.moving:
            drafts.discard(DRAFT_KEY)
        self.saved.emit(appt.id)
        self.accept()
        return appt

    def _refuse(self, message: str, widget: QWidget | None) -> None:
        self.banner.show_error(message)
        if widget is not None:
            mark_invalid(widget, True)
            widget.setFocus()
        return None

    def reject(self) -> None:
        """Closing keeps what was typed as a draft (offered again next time)."""
        if self._draft_timer.isActive():
            self._draft_timer.stop()
            self.save_draft()
        super().reject()


class CancelDialog(FormDialog):
    """Cancel a booked appointment: the reason is required and recorded."""

    def __init__(self, actor: Staff, row: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(
            translate("Appointments", "Cancel appointment"),
            parent,
            translate("Appointments", "Cancel appointment"),
        )
        self.setObjectName("cancelAppointmentDialog")
        self.actor, self.row = actor, row
        info = QLabel(
            translate(
                "Appointments",
                "{time} {vehicle}, {customer}. The booked repair order {order} is cancelled too.",
            ).format(
                time=row["start"].strftime("%Y-%m-%d %H:%M"),
                vehicle=row["vehicle"],
                customer=row["customer"],
                order=row["order"] or "—",
            )
        )
        info.setWordWrap(True)
        self.form.addRow(info)
        self.reason = QComboBox()
        self.reason.setEditable(True)
        self.reason.addItems(
            [
                "",
                translate("Appointments", "Customer rescheduled"),
                translate("Appointments", "Customer cancelled by phone"),
                translate("Appointments", "Repair no longer needed"),
            ]
        )
        self.reason.setCurrentIndex(0)
        self.add_row("reason", translate("Appointments", "Reason"), self.reason)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            translate("Appointments", "Keep appointment")
        )
        self.reason.setFocus()
        self.resize(520, self.sizeHint().height())

    def submit(self) -> Appointment:
        return appt_service.cancel_appointment(
            self.actor, self.row["id"], self.reason.currentText()
        )


# --------------------------------------------------------------------------- printing


def _esc(text: Any) -> str:
    return html.escape(str(text or ""))


_PRINT_CSS = (
    "body{font-size:10pt;} h1{font-size:15pt;margin:0;} h2{font-size:11.5pt;margin:10px 0 2px 0;}"
    " table{border-collapse:collapse;} th{background:#e8ebef;text-align:left;}"
    " td,th{padding:2px 6px;border:1px solid #9aa3ad;} .muted{color:#555;} .short{color:#a01c12;"
    "font-weight:bold;} .note{color:#7a4b00;}"
)


def _shop_line() -> str:
    s = settings()
    return " · ".join(x for x in (s.name, s.phone) if x)


def preparation_html(day: dt.date, items: list[appt_service.PreparationItem] | None = None) -> str:
    """The preparation list (接待准备清单) for ``day`` as HTML (screen and print)."""
    if items is None:
        items = appt_service.preparation_list(day)
    title = _esc(translate("Appointments", "Preparation list"))
    out = [
        f"<html><head><style>{_PRINT_CSS}</style></head><body>",
        f"<h1>{title} · {_esc(day_title(day))}</h1>",
        f"<p class='muted'>{_esc(_shop_line())} · "
        + _esc(
            counted(
                len(items),
                translate("Appointments", "1 booked car · printed {time}"),
                translate("Appointments", "{n} booked cars · printed {time}"),
                time=clock.now().strftime("%Y-%m-%d %H:%M"),
            )
        )
        + "</p>",
    ]
    if not items:
        none = translate("Appointments", "No booked cars on this day.")
        out.append(f"<p>{_esc(none)}</p>")
    notes_label = _esc(translate("Appointments", "Notes"))
    archive_label = _esc(translate("Appointments", "From the service archive"))
    for item in items:
        appt = item.appointment
        advisor = appt.advisor.name if appt.advisor_id else translate("Appointments", "any advisor")
        out.append(
            f"<h2>{appt.slot_start:%H:%M} · {_esc(vehicle_label(item.vehicle))} · "
            f"{_esc(item.customer.name)} {_esc(item.customer.phone)}</h2>"
        )
        out.append(
            "<p>"
            + _esc(
                translate(
                    "Appointments",
                    "VIN {vin} · {km} km · service advisor: {advisor} · order {order} · {hours} h",
                ).format(
                    vin=item.vehicle.vin,
                    km=item.archive.last_odometer_km,
                    advisor=advisor,
                    order=item.order.number if item.order else "—",
                    hours=hours_text(appt.hours),
                )
            )
            + "<br><b>"
            + _esc(translate("Appointments", "Requested work"))
            + ":</b> "
            + _esc(item.requested_work)
            + (f"<br><b>{notes_label}:</b> {_esc(appt.notes)}" if appt.notes else "")
            + "</p>"
        )
        if item.parts:
            out.append(
                "<table><tr>"
                + "".join(
                    f"<th>{_esc(h)}</th>"
                    for h in (
                        translate("Appointments", "Part"),
                        translate("Appointments", "Needed"),
                        translate("Appointments", "Reserved"),
                        translate("Appointments", "In stock"),
                        translate("Appointments", "Available"),
                        translate("Appointments", "Short"),
                    )
                )
                + "</tr>"
            )
            for row in item.parts:
                short = row.short
                out.append(
                    f"<tr><td>{_esc(row.part.part_no)} {_esc(row.part.name)}</td>"
                    f"<td align='right'>{row.needed:g}</td><td align='right'>{row.reserved:g}</td>"
                    f"<td align='right'>{row.in_stock:g}</td><td align='right'>{row.available:g}</td>"
                    + (
                        f"<td align='right' class='short'>{short:g}</td>"
                        if short > 0
                        else "<td align='right'>—</td>"
                    )
                    + "</tr>"
                )
            out.append("</table>")
        else:
            hint = translate(
                "Appointments", "No parts on the order yet; check stock for the booked work."
            )
            out.append(f"<p class='muted'>{_esc(hint)}</p>")
        if item.notes:
            out.append(
                f"<p class='note'><b>{archive_label}:"
                "</b><br>" + "<br>".join("• " + _esc(n) for n in item.notes) + "</p>"
            )
    checks = (
        translate("Appointments", "Forms ready"),
        translate("Appointments", "Tools ready"),
        translate(
            "Appointments", "Protective sets (seat cover, steering-wheel cover, floor mat) ready"
        ),
    )
    out.append("<p class='muted'>" + " &nbsp; ".join(f"☐ {_esc(c)}" for c in checks) + "</p>")
    out.append("</body></html>")
    return "".join(out)


def arrivals_html(day: dt.date, rows: list[dict[str, Any]]) -> str:
    """The day's appointment list for printing."""
    title = _esc(translate("Appointments", "Appointments"))
    out = [
        f"<html><head><style>{_PRINT_CSS}</style></head><body>",
        f"<h1>{title} · {_esc(day_title(day))}</h1>",
        f"<p class='muted'>{_esc(_shop_line())}</p><table><tr>",
    ]
    heads = (
        translate("Appointments", "Time"),
        translate("Appointments", "Customer"),
        translate("Appointments", "Phone"),
        translate("Appointments", "Vehicle"),
        translate("Appointments", "Requested work"),
        translate("Appointments", "Service advisor"),
        translate("Appointments", "Status"),
    )
    out.append("".join(f"<th>{_esc(h)}</th>" for h in heads) + "</tr>")
    for r in rows:
        cells = (
            r["time"],
            r["customer"],
            r["phone"],
            r["vehicle"],
            r["work"],
            r["advisor"],
            r["status"],
        )
        out.append("<tr>" + "".join(f"<td>{_esc(c)}</td>" for c in cells) + "</tr>")
    out.append("</table></body></html>")
    return "".join(out)


def print_html_to(text: str, printer: QPrinter) -> None:
    """Lay out ``text`` (HTML) on A4 pages of ``printer``."""
    printer.setPageSize(QPageSize(QPageSize.PageSizeId.A4))
    printer.setPageOrientation(QPageLayout.Orientation.Portrait)
    doc = QTextDocument()
    doc.setHtml(text)
    doc.print_(printer)


def save_html_pdf(text: str, path: str | Path) -> None:
    printer = QPrinter(QPrinter.PrinterMode.HighResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    print_html_to(text, printer)


# --------------------------------------------------------------------------- the page


class AppointmentsPage(QWidget):
    """Day and week views with capacity, booking, arrivals with check-in, preparation list.

    ``check_in_requested(appointment_id)`` fires when an arrival is to be checked in."""

    check_in_requested = Signal(int)

    TABS = ("day", "week", "arrivals", "preparation")

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("appointmentsPage")
        self.window_ = window
        self.day = clock.today()
        self.dialog: QDialog | None = None
        self._preparation_stale = True
        self._splitter_sized = False
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = load_form("appointments_page", self)
        layout.addWidget(self.form)
        f = self.form
        self.date_edit = child(f, QDateEdit, "dateEdit")
        self.prev_button = child(f, QToolButton, "prevButton")
        self.next_button = child(f, QToolButton, "nextButton")
        self.today_button = child(f, QPushButton, "todayButton")
        self.book_button = child(f, QPushButton, "bookButton")
        self.move_button = child(f, QPushButton, "moveButton")
        self.cancel_button = child(f, QPushButton, "cancelButton")
        self.no_show_button = child(f, QPushButton, "noShowButton")
        self.capacity_label = child(f, QLabel, "capacityLabel")
        self.tabs = child(f, QTabWidget, "viewTabs")
        self.splitter = child(f, QSplitter, "daySplitter")
        self.slots_table = child(f, QTableView, "slotsTable")
        self.appointments_table = child(f, QTableView, "appointmentsTable")
        self.week_table = child(f, QTableView, "weekTable")
        self.week_slots_table = child(f, QTableView, "weekSlotsTable")
        self.week_splitter = child(f, QSplitter, "weekSplitter")
        self.arrivals_table = child(f, QTableView, "arrivalsTable")
        self.arrivals_label = child(f, QLabel, "arrivalsLabel")
        self.check_in_button = child(f, QPushButton, "checkInButton")
        self.print_arrivals_button = child(f, QPushButton, "printArrivalsButton")
        self.preparation_date = child(f, QDateEdit, "preparationDateEdit")
        self.preparation_summary = child(f, QLabel, "preparationSummary")
        self.preparation_view = child(f, QTextBrowser, "preparationView")
        self.print_preparation_button = child(f, QPushButton, "printPreparationButton")
        self.save_preparation_button = child(f, QPushButton, "savePreparationButton")
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        f.layout().insertWidget(2, self.banner)
        self.capacity_label.setStyleSheet("padding:2px 0; color:#33475b;")

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
                Column(lambda: translate("Appointments", "State"), self._slot_state),
            ],
            self,
            is_dimmed=lambda s: s.start < clock.now(),
        )
        self.slot_proxy = _table(self.slots_table, self.slot_model, 4)
        self.appt_model = StatusModel(_appointment_columns(compact=True), self)
        self.appt_proxy = _table(
            self.appointments_table, self.appt_model, self.appt_model.columnCount() - 1
        )
        self.week_model = RowTableModel(
            [
                Column(lambda: translate("Appointments", "Date"), lambda d: d.date),
                Column(lambda: translate("Appointments", "Day"), lambda d: weekday_name(d.date)),
                Column(
                    lambda: translate("Appointments", "Appointments"),
                    lambda d: d.appointments,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Appointments", "Booked hours"),
                    lambda d: d.booked_hours,
                    display=hours_text,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Appointments", "Workshop hours"),
                    lambda d: d.capacity_hours,
                    display=hours_text,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Appointments", "Free hours"),
                    lambda d: d.free_hours if d.open else None,
                    display=lambda v: (
                        hours_text(v) if v is not None else translate("Appointments", "Shop closed")
                    ),
                    align_right=True,
                ),
                Column(lambda: translate("Appointments", "Load"), self._load_text),
            ],
            self,
            is_dimmed=lambda d: not d.open or d.date < clock.today(),
        )
        self.week_proxy = _table(self.week_table, self.week_model, 6)
        self.week_slot_model = WeekSlotModel(self)
        grid = self.week_slots_table
        grid.setModel(self.week_slot_model)
        grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        grid.horizontalHeader().setHighlightSections(False)
        grid.verticalHeader().setDefaultSectionSize(grid.fontMetrics().height() + 8)
        grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        grid.setWordWrap(False)
        grid.activated.connect(self._week_slot_double_clicked)  # double-click or Enter
        self.week_splitter.setStretchFactor(0, 0)
        self.week_splitter.setStretchFactor(1, 1)
        rows_height = 8 * (self.week_table.fontMetrics().height() + 8) + 8
        self.week_splitter.setSizes([rows_height, 3 * rows_height])
        self.arrivals_model = StatusModel(_appointment_columns(with_order_state=True), self)
        self.arrivals_proxy = _table(
            self.arrivals_table, self.arrivals_model, self.arrivals_model.columnCount() - 1
        )
        self.splitter.setStretchFactor(0, 0)
        self.splitter.setStretchFactor(1, 1)

        self.date_edit.setDate(to_qdate(self.day))
        self.preparation_date.setDate(to_qdate(next_working_day(clock.today())))
        self.date_edit.dateChanged.connect(lambda d: self.set_day(d.toPython()))
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(lambda: self.set_day(clock.today()))
        self.book_button.clicked.connect(lambda: self.book())
        self.move_button.clicked.connect(lambda: self.move_selected())
        self.cancel_button.clicked.connect(lambda: self.cancel_selected())
        self.no_show_button.clicked.connect(lambda: self.no_show_selected())
        self.check_in_button.clicked.connect(lambda: self.check_in_selected())
        self.print_arrivals_button.clicked.connect(lambda: self.print_arrivals())
        self.print_preparation_button.clicked.connect(lambda: self.print_preparation())
        self.save_preparation_button.clicked.connect(lambda: self.save_preparation_pdf())
        self.preparation_date.dateChanged.connect(lambda _d: self.refresh_preparation())
        self.slots_table.doubleClicked.connect(self._slot_double_clicked)
        self.appointments_table.doubleClicked.connect(lambda _i: self._open_order())
        self.arrivals_table.doubleClicked.connect(lambda _i: self.check_in_selected())
        self.week_table.doubleClicked.connect(self._week_double_clicked)
        for table in (self.appointments_table, self.arrivals_table, self.slots_table):
            table.selectionModel().currentRowChanged.connect(lambda *_: self.update_buttons())
        self.tabs.currentChanged.connect(self._tab_changed)
        book_shortcut = QShortcut(QKeySequence.StandardKey.New, self)
        book_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        book_shortcut.activated.connect(lambda: self.book())

        self.may_book = allowed(window.staff, appt_service.book_appointment)
        self.may_move = allowed(window.staff, appt_service.move_appointment)
        self.may_cancel = allowed(window.staff, appt_service.cancel_appointment)
        self.may_no_show = allowed(window.staff, appt_service.mark_no_show)
        for button, ok in (
            (self.book_button, self.may_book),
            (self.move_button, self.may_move),
            (self.cancel_button, self.may_cancel),
            (self.no_show_button, self.may_no_show),
        ):
            if not ok:
                button.setToolTip(translate("Appointments", "Your roles do not allow this."))
        last = app_settings().value("appointments/tab", "", str)
        if last in self.TABS:
            self.tabs.setCurrentIndex(self.TABS.index(last))
        self.refresh()

    @property
    def actor(self) -> Staff:
        return self.window_.staff

    # -- reading ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the day, the week, the arrivals (and the preparation list when shown)."""
        keep = self.selected_row()
        self.refresh_day()
        self.refresh_week()
        self.refresh_arrivals()
        self._preparation_stale = True
        if self.current_tab() == "preparation":
            self.refresh_preparation()
        if keep is not None:
            self.select_appointment(keep["id"])
        self.update_buttons()

    def refresh_day(self) -> None:
        view = appt_service.day_view(self.day)
        self.day_view_data = view
        self.capacity_label.setText(html.escape(capacity_text(view)))
        self.slot_model.set_rows(view.slots)
        rows = [
            appointment_row(r.appointment, r.order)
            for r in appt_service.arrivals(self.day, appt_service.ACTIVE)
        ]
        self.appt_model.set_rows(rows)
        self.slots_table.resizeColumnsToContents()
        self.appointments_table.resizeColumnsToContents()
        self._cap_widths(self.appointments_table, self.appt_model.columnCount() - 1)
        if not self._splitter_sized:
            table = self.slots_table
            width = sum(table.columnWidth(c) for c in range(self.slot_model.columnCount()))
            width += table.verticalScrollBar().sizeHint().width() + 2 * table.frameWidth() + 4
            self.splitter.setSizes([width, max(600, 3 * width)])
            self._splitter_sized = True

    def refresh_week(self) -> None:
        monday = self.day - dt.timedelta(days=self.day.weekday())
        days = appt_service.week_days(monday)
        self.week_rows = [appt_service.summary_of(view) for view in days]
        self.week_model.set_rows(self.week_rows)
        self.week_slot_model.set_days(days)
        self.week_table.resizeColumnsToContents()
        for r in range(self.week_proxy.rowCount()):
            if row_of(self.week_proxy, self.week_proxy.index(r, 0)).date == self.day:
                self.week_table.selectRow(r)

    def refresh_arrivals(self) -> None:
        rows = [appointment_row(r.appointment, r.order) for r in appt_service.arrivals(self.day)]
        self.arrivals_model.set_rows(rows)
        self.arrivals_table.resizeColumnsToContents()
        self._cap_widths(self.arrivals_table, self.arrivals_model.columnCount() - 1)
        waiting = sum(1 for r in rows if r["status_code"] == "booked")
        self.arrivals_label.setText(
            counted(
                len(rows),
                translate("Appointments", "{day}: 1 car expected, {waiting} not arrived yet."),
                translate("Appointments", "{day}: {n} cars expected, {waiting} not arrived yet."),
                day=day_title(self.day),
                waiting=waiting,
            )
        )

    def refresh_preparation(self) -> None:
        day = self.preparation_date.date().toPython()
        items = appt_service.preparation_list(day)
        self.preparation_items = items
        self.preparation_view.setHtml(preparation_html(day, items))
        short = sum(1 for i in items if i.parts_short)
        self.preparation_summary.setText(
            (
                translate("Appointments", "1 booked car, {short} with parts short")
                if len(items) == 1
                else translate("Appointments", "{n} booked cars, {short} with parts short")
            ).format(n=len(items), short=short)
        )
        self._preparation_stale = False

    def _cap_widths(self, table: QTableView, stretch: int) -> None:
        for col in range(table.model().columnCount()):
            if col != stretch and table.columnWidth(col) > 210:
                table.setColumnWidth(col, 210)

    @staticmethod
    def _slot_state(slot: appt_service.SlotView) -> str:
        if slot.start < clock.now():
            return translate("Appointments", "Past slot")
        if slot.full:
            return translate("Appointments", "Fully booked")
        if slot.arrivals:
            return translate("Appointments", "Partly booked")
        return translate("Appointments", "Bookable")

    @staticmethod
    def _load_text(day: appt_service.DaySummary) -> str:
        if not day.open or not day.capacity_hours:
            return ""
        percent = int(day.booked_hours * 100 / day.capacity_hours)
        return f"{'█' * (percent // 10)}{'░' * (10 - percent // 10)} {percent} %"

    # -- navigation -------------------------------------------------------------------------
    def set_day(self, day: dt.date) -> None:
        if day == self.day and self.date_edit.date().toPython() == day:
            return
        self.day = day
        if self.date_edit.date().toPython() != day:
            self.date_edit.blockSignals(True)
            self.date_edit.setDate(to_qdate(day))
            self.date_edit.blockSignals(False)
        self.refresh()

    def step(self, direction: int) -> None:
        days = 7 if self.current_tab() == "week" else 1
        self.set_day(self.day + dt.timedelta(days=days * direction))

    def current_tab(self) -> str:
        return self.TABS[self.tabs.currentIndex()]

    def show_tab(self, key: str) -> QWidget:
        self.tabs.setCurrentIndex(self.TABS.index(key))
        return self.tabs.currentWidget()

    def _tab_changed(self, index: int) -> None:
        key = self.TABS[index]
        app_settings().setValue("appointments/tab", key)
        if key == "preparation" and self._preparation_stale:
            self.refresh_preparation()
        self.update_buttons()

    def screenshot_views(self) -> list[tuple[str, Callable[[], object]]]:
        return [(key, lambda key=key: self.show_tab(key)) for key in self.TABS]

    def _week_double_clicked(self, index: QModelIndex) -> None:
        day = row_of(self.week_proxy, index)
        if day is not None:
            self.set_day(day.date)
            self.show_tab("day")

    def _week_slot_double_clicked(self, index: QModelIndex) -> None:
        """A free future slot of the week is booked at once; anything else opens its day."""
        slot = self.week_slot_model.slot_at(index)
        if slot is not None and slot.start >= clock.now() and not slot.full and self.may_book:
            self.set_day(slot.start.date())
            self.book(slot.start)
            return
        day = self.week_slot_model.day_at(index.column())
        if day is not None:
            self.set_day(day)
            self.show_tab("day")
            if slot is not None:
                self.select_slot(slot.start)

    def select_slot(self, start: dt.datetime) -> bool:
        """Make ``start`` the current row of the day's slot table."""
        for r in range(self.slot_proxy.rowCount()):
            if row_of(self.slot_proxy, self.slot_proxy.index(r, 0)).start == start:
                self.slots_table.setCurrentIndex(self.slot_proxy.index(r, 0))
                return True
        return False

    def _slot_double_clicked(self, index: QModelIndex) -> None:
        slot = row_of(self.slot_proxy, index)
        if slot is not None and slot.start >= clock.now():
            self.book(slot.start)

    # -- selection --------------------------------------------------------------------------
    def _active_table(self) -> tuple[QTableView, Any] | None:
        tab = self.current_tab()
        if tab == "day":
            return self.appointments_table, self.appt_proxy
        if tab == "arrivals":
            return self.arrivals_table, self.arrivals_proxy
        return None

    def selected_row(self) -> dict[str, Any] | None:
        active = self._active_table()
        if active is None:
            return None
        table, proxy = active
        index = table.currentIndex()
        return row_of(proxy, index) if index.isValid() else None

    def selected_slot(self) -> dt.datetime | None:
        index = self.slots_table.currentIndex()
        slot = row_of(self.slot_proxy, index) if index.isValid() else None
        return slot.start if slot is not None else None

    def select_appointment(self, appointment_id: int) -> bool:
        active = self._active_table()
        if active is None:
            return False
        table, proxy = active
        for r in range(proxy.rowCount()):
            row = row_of(proxy, proxy.index(r, 0))
            if row["id"] == appointment_id:
                table.setCurrentIndex(proxy.index(r, 0))
                table.selectRow(r)
                table.scrollTo(proxy.index(r, 0))
                return True
        return False

    def update_buttons(self) -> None:
        row = self.selected_row()
        booked = row is not None and row["status_code"] == "booked"
        self.book_button.setEnabled(self.may_book)
        self.move_button.setEnabled(self.may_move and booked)
        self.cancel_button.setEnabled(self.may_cancel and booked)
        self.no_show_button.setEnabled(
            self.may_no_show and booked and row is not None and row["start"] <= clock.now()
        )
        self.check_in_button.setEnabled(booked and self.current_tab() == "arrivals")

    # -- actions ----------------------------------------------------------------------------
    def status(self, text: str) -> None:
        self.window_.show_status(text)

    def book(
        self,
        slot: dt.datetime | None = None,
        customer: Customer | None = None,
        vehicle: Vehicle | None = None,
    ) -> AppointmentDialog | None:
        """Open the booking dialog (at the chosen slot, if any)."""
        if not self.may_book:
            return None
        slot = slot or (self.selected_slot() if self.current_tab() == "day" else None)
        if slot is not None and slot < clock.now():
            slot = None
        day = self.day if self.day >= clock.today() else clock.today()
        dialog = AppointmentDialog(
            self.actor, self, day=day, slot=slot, customer=customer, vehicle=vehicle
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._booked)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _booked(self, appointment_id: int) -> None:
        appt = Appointment.get_by_id(appointment_id)
        order = appt_service.order_of(appt)
        self.set_day(appt.slot_start.date())
        self.refresh()
        self.show_tab("day")
        self.select_appointment(appointment_id)
        text = translate(
            "Appointments", "Booked: {vehicle} on {date} at {time} (order {order})."
        ).format(
            vehicle=vehicle_label(appt.vehicle),
            date=appt.slot_start.date().isoformat(),
            time=appt.slot_start.strftime("%H:%M"),
            order=order.number if order else "—",
        )
        self.banner.show_info(text)
        self.status(text)

    def move_selected(self) -> AppointmentDialog | None:
        row = self.selected_row()
        if row is None or row["status_code"] != "booked" or not self.may_move:
            return None
        appt = Appointment.get_by_id(row["id"])
        dialog = AppointmentDialog(self.actor, self, appointment=appt)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._moved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _moved(self, appointment_id: int) -> None:
        appt = Appointment.get_by_id(appointment_id)
        self.set_day(appt.slot_start.date())
        self.refresh()
        self.select_appointment(appointment_id)
        text = translate("Appointments", "Moved: {vehicle} now on {date} at {time}.").format(
            vehicle=vehicle_label(appt.vehicle),
            date=appt.slot_start.date().isoformat(),
            time=appt.slot_start.strftime("%H:%M"),
        )
        self.banner.show_info(text)
        self.status(text)

    def cancel_selected(self) -> CancelDialog | None:
        row = self.selected_row()
        if row is None or row["status_code"] != "booked" or not self.may_cancel:
            return None
        dialog = CancelDialog(self.actor, row, self)
        dialog.accepted.connect(lambda: self._cancelled(row))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _cancelled(self, row: dict[str, Any]) -> None:
        self.refresh()
        text = translate("Appointments", "Cancelled: {vehicle} at {time}.").format(
            vehicle=row["vehicle"], time=row["start"].strftime("%Y-%m-%d %H:%M")
        )
        self.banner.show_info(text)
        self.status(text)

    def no_show_selected(self) -> Any:
        row = self.selected_row()
        if row is None or row["status_code"] != "booked" or not self.may_no_show:
            return None
        return ask(
            self,
            translate("Appointments", "No-show"),
            translate(
                "Appointments",
                "Mark {vehicle} ({customer}, {time}) as not come? The booked order is cancelled; "
                "this cannot be undone.",
            ).format(
                vehicle=row["vehicle"],
                customer=row["customer"],
                time=row["start"].strftime("%H:%M"),
            ),
            translate("Appointments", "Mark as no-show"),
            lambda: self.mark_no_show(row["id"]),
        )

    def mark_no_show(self, appointment_id: int) -> bool:
        try:
            appt = appt_service.mark_no_show(self.actor, appointment_id)
        except DomainError as exc:
            self.banner.show_error(str(exc))
            return False
        self.refresh()
        text = translate("Appointments", "{vehicle} marked as no-show.").format(
            vehicle=vehicle_label(appt.vehicle)
        )
        self.banner.show_info(text)
        self.status(text)
        return True

    def check_in_selected(self) -> bool:
        """Hand the arrival to reception (the main window opens it if reception is built)."""
        if self.current_tab() != "arrivals":
            return False
        row = self.selected_row()
        if row is None or row["status_code"] != "booked":
            return False
        self.check_in_requested.emit(row["id"])
        opener = getattr(self.window_, "open_reception_for_appointment", None)
        if callable(opener):
            opener(row["id"])
        else:
            self.status(
                translate(
                    "Appointments", "Check in {vehicle} at Reception (order {order})."
                ).format(vehicle=row["vehicle"], order=row["order"] or "—")
            )
        return True

    def _open_order(self) -> None:
        row = self.selected_row()
        if row is not None and row["order_id"] is not None:
            self.window_.order_opened.emit(row["order_id"])

    # -- printing ---------------------------------------------------------------------------
    def _print(self, text: str, title: str) -> QPrintDialog:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printDialog")
        dialog.accepted.connect(lambda: self._printed(text, printer, title))
        self.dialog = dialog
        QDialog.open(dialog)
        return dialog

    def _printed(self, text: str, printer: QPrinter, title: str) -> None:
        print_html_to(text, printer)
        self.status(translate("Appointments", "{title} sent to the printer.").format(title=title))

    def print_preparation(self) -> QPrintDialog:
        if self._preparation_stale:
            self.refresh_preparation()
        day = self.preparation_date.date().toPython()
        return self._print(
            self.preparation_view.toHtml(),
            translate("Appointments", "Preparation list {day}").format(day=day.isoformat()),
        )

    def print_arrivals(self) -> QPrintDialog:
        return self._print(
            arrivals_html(self.day, list(self.arrivals_model.rows)),
            translate("Appointments", "Appointments {day}").format(day=self.day.isoformat()),
        )

    def save_preparation_pdf(self) -> str | None:
        if self._preparation_stale:
            self.refresh_preparation()
        day = self.preparation_date.date().toPython()
        store = app_settings()
        folder = str(store.value("print/last_folder", "", str) or "")
        if not folder or not Path(folder).is_dir():
            folder = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
        path, _ = QFileDialog.getSaveFileName(
            self,
            translate("Appointments", "Save as PDF"),
            str(Path(folder) / f"preparation_{day.isoformat()}.pdf"),
            translate("Appointments", "PDF documents (*.pdf)"),
        )
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            save_html_pdf(self.preparation_view.toHtml(), path)
        except OSError as exc:
            self.banner.show_error(str(exc))
            return None
        store.setValue("print/last_folder", str(Path(path).parent))
        text = translate("Appointments", "Saved as {path}.").format(path=path)
        self.banner.show_info(text)
        self.status(text)
        return path


register_page(
    "appointments",
    lambda: translate("Appointments", "Appointments"),
    (Role.ADVISOR, Role.CRM_CLERK, Role.MANAGER),
    AppointmentsPage,
)


def booking_for(
    _window: QWidget,
    parent: QWidget,
    actor: Staff,
    day: dt.date,
    customer: Customer,
    vehicle: Vehicle,
    work: str,
) -> AppointmentDialog:
    """The booking dialog for a known car with its work filled in (a service reminder's "Book
    an appointment"): opened by other desks through the main window."""
    dialog = AppointmentDialog(actor, parent, day=day, customer=customer, vehicle=vehicle)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.autosave = False
    dialog.restore_row.hide()
    dialog.work_edit.setPlainText(work)
    return dialog


register_opener("book_appointment", booking_for)
