"""Booking, moving and cancelling an appointment: the booking dialog (customer and car, a
free slot, the requested work; a draft is kept while it is open) and the cancel dialog.

The capacity rules live in :mod:`shop_desk.services.appointments`; a booking beyond capacity
is refused with the service's reason, shown in the dialog with the input kept."""

from __future__ import annotations

import contextlib
import datetime as dt
import html
from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QColor
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock, drafts
from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import Appointment, Customer, Staff, Vehicle
from shop_desk.roles import Role
from shop_desk.services import appointments as appt_service
from shop_desk.services.customers import vehicle_label
from shop_desk.ui.appointments.common import capacity_text, hours_text, slot_text, to_qdate
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.vehicle_picker import CustomerVehicleDialog
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog, decimal_validator, mark_invalid

DRAFT_KEY = "appointment_booking"


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
                    self.actor,
                    self.appointment,
                    slot,
                    hours=hours,
                    advisor=advisor,
                    expected_version=self.appointment.version,
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
