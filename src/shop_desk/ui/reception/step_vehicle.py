"""Step 1 of a reception: the car (find it, today's appointments, receptions in progress)."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk.i18n import translate
from shop_desk.models import Appointment, Customer, RepairOrder, Staff, Vehicle
from shop_desk.services import appointments as appointment_service
from shop_desk.services import customers as customer_service
from shop_desk.services import reception, warranty_terms
from shop_desk.services import search as search_service
from shop_desk.states import State
from shop_desk.ui.reception.flow import (
    escape,
    reception_order_of,
    receptions_in_progress,
    step_title,
    todays_appointments,
    vehicle_text,
)
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import FormDialog, allowed
from shop_desk.validation import display_plate

FIND_DELAY_MS = 200


class BroughtByDialog(FormDialog):
    """Who brings the car when it is not the owner: a customer on file (by phone) or a new one."""

    def __init__(self, actor: Staff, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("ReceptionPage", "Brought by someone else"),
            parent,
            translate("ReceptionPage", "Use"),
        )
        self.setObjectName("broughtByDialog")
        self.actor = actor
        hint = QLabel(
            translate(
                "ReceptionPage",
                "The person who brings the car signs the task order. A phone number on file "
                "picks that customer; otherwise the person is registered.",
            )
        )
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.phone_edit = self.add_row("phone", translate("ReceptionPage", "Phone"), QLineEdit())
        self.name_edit = self.add_row("name", translate("ReceptionPage", "Name"), QLineEdit())
        self.found_label = QLabel(self)
        self.found_label.setObjectName("foundLabel")
        self.form.addRow(self.found_label)
        self.phone_edit.textChanged.connect(self._phone_changed)
        self.phone_edit.setFocus()
        self.resize(460, self.sizeHint().height())

    def _phone_changed(self, text: str) -> None:
        from shop_desk.ui.shell.vehicle_picker import customer_with_phone

        found = customer_with_phone(text)
        self.found_label.setText(
            translate("ReceptionPage", "On file: {name}").format(name=found.name) if found else ""
        )
        if found is not None and not self.name_edit.text().strip():
            self.name_edit.setText(found.name)

    def submit(self) -> Customer:
        from shop_desk.ui.shell.vehicle_picker import customer_with_phone

        found = customer_with_phone(self.phone_edit.text())
        if found is not None:
            return found
        return customer_service.create_customer(
            self.actor, self.name_edit.text(), self.phone_edit.text()
        )


def _setup_table(table: QTableView, model: RowTableModel, stretch: int) -> None:
    table.setModel(model)
    table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    table.setAlternatingRowColors(True)
    table.verticalHeader().hide()
    table.verticalHeader().setDefaultSectionSize(table.fontMetrics().height() + 12)
    table.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    table.horizontalHeader().setHighlightSections(False)


# ------------------------------------------------------------------------------ the step


class VehicleStep(QWidget):
    """Step 1: find the car (or register it), today's appointments, receptions in progress.

    The step shows the choice the page gives it (:meth:`show_choice`) and tells the page what
    the advisor picked; the page decides what happens (check in, resume an order)."""

    vehicle_chosen = Signal(int, object, object)  # vehicle id, customer id, appointment id
    check_in_requested = Signal()  # Enter again on the chosen car
    order_chosen = Signal(int)  # a reception in progress (or a checked-in appointment's order)
    appointment_chosen = Signal(int)  # today's appointment activated: receive the car
    picked = Signal(int, int)  # customer id, vehicle id from the find-or-create dialog
    brought_by_chosen = Signal(int)  # customer id of the person who brings the car
    warranty_changed = Signal()  # a warranty card of the chosen car was added or removed

    def __init__(self, actor: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("vehicleStep")
        self.actor = actor
        self.may_edit = allowed(actor, customer_service.create_customer)
        self.vehicle_id: int | None = None
        self.customer_id: int | None = None
        self.appointment_id: int | None = None
        self.order_id: int | None = None
        self.picker: QWidget | None = None
        self.form = load_form("reception_vehicle", self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.form)
        f = self.form
        self.find_edit = child(f, QLineEdit, "findEdit")
        self.find_results = child(f, QListWidget, "findResults")
        self.picker_button = child(f, QPushButton, "pickerButton")
        self.vehicle_card = child(f, QLabel, "vehicleCard")
        self.default_card = self.vehicle_card.text()
        self.appointment_note = child(f, QLabel, "appointmentNote")
        self.other_customer_button = child(f, QPushButton, "otherCustomerButton")
        self.edit_vehicle_button = child(f, QPushButton, "editVehicleButton")
        # the owner's warranty card (保卡) is read while the car and its papers are here
        self.warranty_button = QPushButton(translate("ReceptionPage", "&Warranty card…"), self)
        self.warranty_button.setObjectName("warrantyCardButton")
        self.warranty_button.setToolTip(
            translate(
                "ReceptionPage",
                "The car's own warranty terms from its warranty card: extended, shortened or "
                "excluded cover.",
            )
        )
        self.warranty_button.setAutoDefault(False)
        self.warranty_button.setEnabled(False)
        self.warranty_button.clicked.connect(lambda: self.open_warranty_card())
        f.findChild(QHBoxLayout, "chosenButtons").addWidget(self.warranty_button)
        self.find_timer = QTimer(self)
        self.find_timer.setSingleShot(True)
        self.find_timer.setInterval(FIND_DELAY_MS)
        self.find_timer.timeout.connect(self.run_find)
        self.find_edit.textEdited.connect(lambda _t: self.find_timer.start())
        self.find_edit.returnPressed.connect(self._find_enter)
        self.find_results.itemActivated.connect(self._find_item_chosen)
        self.find_results.itemClicked.connect(self._find_item_chosen)
        self.picker_button.clicked.connect(lambda: self.open_picker())
        self.other_customer_button.clicked.connect(self.choose_brought_by)
        self.edit_vehicle_button.clicked.connect(lambda: self.open_picker(edit=True))
        for button in (self.picker_button, self.other_customer_button, self.edit_vehicle_button):
            button.setAutoDefault(False)
            button.setEnabled(self.may_edit)

        self.appointments_model = RowTableModel(
            [
                Column(
                    lambda: translate("ReceptionPage", "Time"),
                    lambda r: r.slot_start.strftime("%H:%M"),
                ),
                Column(
                    lambda: translate("ReceptionPage", "Vehicle"),
                    lambda r: display_plate(r.vehicle.plate) if r.vehicle.plate else r.vehicle.vin,
                ),
                Column(lambda: translate("ReceptionPage", "Customer"), lambda r: r.customer.name),
                Column(
                    lambda: translate("ReceptionPage", "Requested work"), lambda r: r.requested_work
                ),
                Column(
                    lambda: translate("ReceptionPage", "Status"),
                    lambda r: appointment_service.status_label(r.status),
                ),
            ],
            self,
            is_dimmed=lambda r: r.status != "booked",
        )
        self.appointments_table = child(f, QTableView, "appointmentsTable")
        _setup_table(self.appointments_table, self.appointments_model, 3)
        self.appointments_table.activated.connect(self._appointment_activated)
        self.appointments_table.clicked.connect(self._appointment_clicked)

        self.progress_model = RowTableModel(
            [
                Column(lambda: translate("ReceptionPage", "Order"), lambda r: r.order.number),
                Column(lambda: translate("ReceptionPage", "Vehicle"), lambda r: r.vehicle),
                Column(lambda: translate("ReceptionPage", "Customer"), lambda r: r.customer),
                Column(lambda: translate("ReceptionPage", "Advisor"), lambda r: r.advisor),
                Column(
                    lambda: translate("ReceptionPage", "Next step"),
                    lambda r: step_title(r.next_step),
                ),
            ],
            self,
        )
        self.progress_table = child(f, QTableView, "inProgressTable")
        _setup_table(self.progress_table, self.progress_model, 1)
        self.progress_table.activated.connect(self._progress_activated)
        self.progress_table.clicked.connect(self._progress_activated)

    # -- what the page tells the step ----------------------------------------------------------
    def set_choosing(self, enabled: bool) -> None:
        """Finding and picking are open while no order is being received."""
        for widget in (
            self.find_edit,
            self.find_results,
            self.appointments_table,
            self.progress_table,
        ):
            widget.setEnabled(enabled)
        self.picker_button.setEnabled(enabled and self.may_edit)
        self.other_customer_button.setEnabled(
            enabled and self.may_edit and self.vehicle_id is not None
        )
        self.edit_vehicle_button.setEnabled(self.may_edit and self.vehicle_id is not None)
        self.warranty_button.setEnabled(self.vehicle_id is not None)

    def focus_find(self) -> None:
        self.find_edit.setFocus()

    def clear(self) -> None:
        self.find_edit.clear()
        self.find_results.clear()

    def refresh_lists(self) -> None:
        self.appointments_model.set_rows(todays_appointments())
        self.progress_model.set_rows(receptions_in_progress())
        for table in (self.appointments_table, self.progress_table):
            table.resizeColumnsToContents()
            table.horizontalHeader().setSectionResizeMode(
                3 if table is self.appointments_table else 1, QHeaderView.ResizeMode.Stretch
            )

    def show_choice(
        self,
        vehicle_id: int | None,
        customer_id: int | None,
        appointment_id: int | None,
        order_id: int | None,
    ) -> None:
        """The car, the person who brings it and the appointment, as the page has them."""
        self.vehicle_id = vehicle_id
        self.customer_id = customer_id
        self.appointment_id = appointment_id
        self.order_id = order_id
        self.warranty_button.setEnabled(vehicle_id is not None)
        self._show_card()

    # -- finding ---------------------------------------------------------------------------
    def find(self, text: str) -> int:
        """Search for ``text`` as if typed; the number of cars found."""
        self.find_edit.setText(text)
        return self.run_find()

    def run_find(self) -> int:
        """Fill the result list from the search box (vehicles; customers open their cars)."""
        self.find_timer.stop()
        self.find_results.clear()
        text = self.find_edit.text().strip()
        if len(text) < 2:
            return 0
        seen: set[tuple[int, int | None]] = set()
        for hit in search_service.search(text, limit=12):
            if hit.kind == "vehicle" and hit.vehicle_id is not None:
                self._add_find_item(hit.vehicle_id, None, seen)
            elif hit.kind == "customer" and hit.customer_id is not None:
                for vehicle in customer_service.vehicles_of(hit.customer_id):
                    self._add_find_item(vehicle.id, hit.customer_id, seen)
            elif hit.kind == "order" and hit.order_id is not None:
                order = RepairOrder.get_by_id(hit.order_id)
                if order.state in reception.RECEPTION_STATES:
                    self._add_find_item(order.vehicle_id, order.customer_id, seen)
        if self.find_results.count() == 0:
            item = QListWidgetItem(
                translate(
                    "ReceptionPage",
                    "Nothing on file for “{text}”. Press the button to register it.",
                ).format(text=text)
            )
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.find_results.addItem(item)
            return 0
        self.find_results.setCurrentRow(0)
        return self.find_results.count()

    def _add_find_item(
        self, vehicle_id: int, customer_id: int | None, seen: set[tuple[int, int | None]]
    ) -> None:
        if (vehicle_id, customer_id) in seen:
            return
        seen.add((vehicle_id, customer_id))
        vehicle = Vehicle.get_by_id(vehicle_id)
        customer = (
            Customer.get_by_id(customer_id)
            if customer_id
            else (vehicle.owner if vehicle.owner_id else None)
        )
        text = vehicle_text(vehicle)
        if customer is not None:
            text += f" — {customer.name} {customer.phone}".rstrip()
        in_reception = reception_order_of(vehicle_id)
        if in_reception is not None:
            text += " · " + translate("ReceptionPage", "being received on {number}").format(
                number=in_reception.number
            )
        elif reception.todays_appointment(vehicle_id) is not None:
            text += " · " + translate("ReceptionPage", "booked today")
        item = QListWidgetItem(text)
        item.setData(Qt.ItemDataRole.UserRole, (vehicle_id, customer_id))
        self.find_results.addItem(item)

    def _find_enter(self) -> None:
        """Enter: choose the highlighted car; Enter again on the chosen car checks it in."""
        if self.find_timer.isActive() or self.find_results.count() == 0:
            self.run_find()
        item = self.find_results.currentItem() or self.find_results.item(0)
        data = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if not data:
            return
        vehicle_id, customer_id = data
        if vehicle_id == self.vehicle_id and self.order_id is None:
            self.check_in_requested.emit()
            return
        self.vehicle_chosen.emit(vehicle_id, customer_id, None)

    def _find_item_chosen(self, item: QListWidgetItem) -> None:
        data = item.data(Qt.ItemDataRole.UserRole)
        if data:
            vehicle_id, customer_id = data
            self.vehicle_chosen.emit(vehicle_id, customer_id, None)

    def _appointment_clicked(self, index) -> None:  # noqa: ANN001 - QModelIndex
        row = self.appointments_model.row_at(index.row())
        if row.status == "booked":
            self.vehicle_chosen.emit(row.vehicle.id, row.customer.id, row.appointment.id)
        elif row.order is not None and row.order.state == State.CHECKED_IN.value:
            self.order_chosen.emit(row.order.id)

    def _appointment_activated(self, index) -> None:  # noqa: ANN001 - QModelIndex
        row = self.appointments_model.row_at(index.row())
        self.appointment_chosen.emit(row.appointment.id)

    def _progress_activated(self, index) -> None:  # noqa: ANN001 - QModelIndex
        row = self.progress_model.row_at(index.row())
        self.order_chosen.emit(row.order.id)

    # -- the card and the dialogs ---------------------------------------------------------
    def _show_card(self) -> None:
        if self.vehicle_id is None:
            self.vehicle_card.setText(self.default_card)
            self.appointment_note.hide()
            return
        vehicle = Vehicle.get_by_id(self.vehicle_id)
        customer = (
            Customer.get_or_none(Customer.id == self.customer_id) if self.customer_id else None
        )
        lines = [f"<span style='font-size:15pt'><b>{escape(vehicle_text(vehicle))}</b></span>"]
        details = " · ".join(
            x for x in (vehicle.colour, str(vehicle.year or ""), f"VIN {vehicle.vin}") if x
        )
        lines.append(escape(details))
        if vehicle.owner_id:
            owner = vehicle.owner
            lines.append(
                translate("ReceptionPage", "Owner: {name} {phone}").format(
                    name=escape(owner.name), phone=owner.phone
                )
            )
        if customer is not None and customer.id != vehicle.owner_id:
            lines.append(
                "<b>"
                + translate("ReceptionPage", "Brought by: {name} {phone}").format(
                    name=escape(customer.name), phone=customer.phone
                )
                + "</b>"
            )
        if customer is None:
            lines.append(
                "<span style='color:#8a1c12'>"
                + translate(
                    "ReceptionPage",
                    "No owner on file: choose who brings the car (“Brought by someone else”).",
                )
                + "</span>"
            )
        lines.append(
            translate("ReceptionPage", "Last odometer reading: {km} km").format(
                km=f"{vehicle.last_odometer_km:,}"
            )
        )
        for card in warranty_terms.overrides_of(vehicle):
            lines.append(
                translate("ReceptionPage", "Warranty card for {category}: {terms} ({note})").format(
                    category=escape(warranty_terms.category_label(card.category)),
                    terms=escape(warranty_terms.override_text(card)),
                    note=escape(card.note),
                )
            )
        warning = customer_service.vin_warning(vehicle.vin)
        if warning:
            lines.append(f"<span style='color:#8a5300'>{escape(warning)}</span>")
        self.vehicle_card.setText("<br>".join(lines))
        appt = (
            Appointment.get_or_none(Appointment.id == self.appointment_id)
            if self.appointment_id
            else None
        )
        if appt is not None:
            self.appointment_note.setText(
                translate(
                    "ReceptionPage",
                    "Booked today at {time}: {work}. The car is received on this appointment.",
                ).format(time=appt.slot_start.strftime("%H:%M"), work=appt.requested_work)
            )
            self.appointment_note.show()
        else:
            self.appointment_note.setText(
                translate("ReceptionPage", "Walk-in: no appointment today.")
            )
            self.appointment_note.show()

    def open_warranty_card(self) -> QWidget | None:
        """The chosen car's warranty cards: list, add, remove (opened, not blocking)."""
        if self.vehicle_id is None:
            return None
        from shop_desk.ui.reception.warranty_card import WarrantyCardDialog

        dialog = WarrantyCardDialog(self.actor, self.vehicle_id, self)
        dialog.changed.connect(self._show_card)
        dialog.changed.connect(self.warranty_changed.emit)
        self.picker = dialog
        dialog.open()
        return dialog

    def choose_brought_by(self) -> BroughtByDialog:
        """The car is brought by someone other than its owner: pick or register that person."""
        dialog = BroughtByDialog(self.actor, self)
        dialog.accepted.connect(
            lambda: (
                self.brought_by_chosen.emit(dialog.result_value.id)
                if dialog.result_value is not None
                else None
            )
        )
        self.picker = dialog
        dialog.open()
        return dialog

    def open_picker(self, edit: bool = False) -> QWidget:
        """The find-or-create dialog for customer and vehicle (opened, not blocking)."""
        from shop_desk.ui.shell.vehicle_picker import CustomerVehicleDialog

        kwargs: dict[str, Any] = {}
        if edit and self.vehicle_id is not None:
            kwargs["vehicle"] = self.vehicle_id
        # a car found or registered here is the one being received: one click saves and
        # checks it in (no second "Check in" on the step)
        checks_in = not edit and self.order_id is None and allowed(self.actor, reception.check_in)
        dialog = CustomerVehicleDialog(self.actor, self, check_in=checks_in, **kwargs)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        text = self.find_edit.text().strip()
        if not edit and text:
            dialog.search_edit.setText(text)
        dialog.chosen.connect(self.picked.emit)
        if checks_in:
            dialog.chosen.connect(lambda *_ids: self.check_in_requested.emit())
        self.picker = dialog
        dialog.open()
        return dialog
