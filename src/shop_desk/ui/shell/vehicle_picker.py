"""Find or register the customer and the vehicle (基本信息登录) in one dialog.

Used for phone bookings, walk-ins and wherever a screen needs "which car, whose". Typing a
phone number, plate, VIN or name finds what is on file (Enter takes the first match); with
no match the same text starts a new customer or vehicle. Phone, VIN and plate are checked
as they are typed (:mod:`shop_desk.validation`): an invalid one is marked, a VIN whose
check digit does not match only warns. Saving goes through
:mod:`shop_desk.services.customers`; their refusals, such as a VIN or plate already on file
with another vehicle, are shown inline and the input stays.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QIntValidator, QKeyEvent
from PySide6.QtWidgets import (
    QComboBox,
    QCompleter,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import join_list, translate
from shop_desk.models import Customer, Staff, Vehicle
from shop_desk.services import customers as customer_service
from shop_desk.services import vin as vin_service
from shop_desk.services.search import SearchHit, search
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import ErrorBanner, allowed, app_settings, mark_invalid
from shop_desk.validation import (
    check_phone,
    check_plate,
    check_vin,
    display_plate,
    normalise_vin,
    plate_key,
)

_COLOURS = {"error": "#8a1c12", "warning": "#8a5a00", "ok": "#1d5a2b", "hint": "#5f6670"}
_NEW = -1


def _say(label: QLabel, text: str, kind: str = "hint") -> None:
    label.setText(text)
    label.setProperty("kind", kind if text else "")
    label.setStyleSheet(f"color: {_COLOURS[kind]};")
    label.setVisible(bool(text))


def customer_label(customer: Customer) -> str:
    return " · ".join(x for x in (customer.name, customer.phone) if x)


def customer_with_phone(phone: str, exclude_id: int | None = None) -> Customer | None:
    """A customer on file with this phone number (to avoid registering the same person twice)."""
    checked = check_phone(phone, required=False)
    if not checked.ok or not checked.value:
        return None
    query = Customer.select().where(
        (Customer.phone == checked.value) | (Customer.phone2 == checked.value)
    )
    if exclude_id is not None:
        query = query.where(Customer.id != exclude_id)
    return query.order_by(Customer.id).first()


def vehicle_on_file(
    vin: str = "", plate: str = "", exclude_id: int | None = None
) -> Vehicle | None:
    """The vehicle that already has this VIN or plate (None when neither is taken)."""
    for column, value in ((Vehicle.vin, normalise_vin(vin)), (Vehicle.plate, plate_key(plate))):
        if not value:
            continue
        query = Vehicle.select().where(column == value)
        if exclude_id is not None:
            query = query.where(Vehicle.id != exclude_id)
        found = query.first()
        if found is not None:
            return found
    return None


def known_makes() -> list[str]:
    return sorted(
        {v.make for v in Vehicle.select(Vehicle.make).distinct() if v.make}, key=str.casefold
    )


class _KeyFilter(QObject):
    """Enter in the search box or the result list picks a match instead of pressing OK;
    Down in the search box moves into the list."""

    def __init__(self, dialog: CustomerVehicleDialog) -> None:
        super().__init__(dialog)
        self.dialog = dialog

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() != QEvent.Type.KeyPress or not isinstance(event, QKeyEvent):
            return False
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            if watched is self.dialog.search_edit:
                self.dialog.search_entered()
                return True
            if watched is self.dialog.results:
                self.dialog.pick_current()
                return True
        if (
            key == Qt.Key.Key_Down
            and watched is self.dialog.search_edit
            and self.dialog.results.count()
        ):
            self.dialog.results.setFocus()
            if self.dialog.results.currentRow() < 0:
                self.dialog.results.setCurrentRow(0)
            return True
        return False


class CustomerVehicleDialog(QDialog):
    """Find or create the customer and the vehicle; ``result_customer()`` / ``result_vehicle()``.

    ``chosen(customer_id, vehicle_id)`` fires when the dialog is accepted."""

    chosen = Signal(int, int)

    def __init__(
        self,
        actor: Staff,
        parent: QWidget | None = None,
        customer: Customer | int | None = None,
        vehicle: Vehicle | int | None = None,
        check_in: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("customerVehicleDialog")
        self.checks_in = check_in  # at reception: the button also checks the car in
        self.setWindowTitle(translate("VehiclePicker", "Customer and vehicle"))
        self.setModal(True)
        self.actor = actor
        self.customer: Customer | None = None
        self.vehicle: Vehicle | None = None
        self._loading = False

        outer = QVBoxLayout(self)
        self.form = load_form("vehicle_picker", self)
        outer.addWidget(self.form, 1)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        outer.addWidget(self.banner)
        self.use_on_file_button = QPushButton(self)
        self.use_on_file_button.setObjectName("useOnFileButton")
        self.use_on_file_button.setAutoDefault(False)
        self.use_on_file_button.hide()
        self.use_on_file_button.clicked.connect(self._use_on_file)
        outer.addWidget(self.use_on_file_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("okButton")
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            translate("VehiclePicker", "Cancel")
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)

        f = self.form
        self.search_edit = child(f, QLineEdit, "searchEdit")
        self.results = child(f, QListWidget, "resultsList")
        self.new_customer_button = child(f, QPushButton, "newCustomerButton")
        self.customer_group = child(f, QGroupBox, "customerGroup")
        self.vehicle_group = child(f, QGroupBox, "vehicleGroup")
        self.customer_state = child(f, QLabel, "customerStateLabel")
        self.name_edit = child(f, QLineEdit, "nameEdit")
        self.phone_edit = child(f, QLineEdit, "phoneEdit")
        self.phone_message = child(f, QLabel, "phoneMessage")
        self.kind_combo = child(f, QComboBox, "kindCombo")
        self.vehicle_combo = child(f, QComboBox, "vehicleCombo")
        self.vin_edit = child(f, QLineEdit, "vinEdit")
        self.vin_message = child(f, QLabel, "vinMessage")
        self.plate_edit = child(f, QLineEdit, "plateEdit")
        self.plate_message = child(f, QLabel, "plateMessage")
        self.make_edit = child(f, QLineEdit, "makeEdit")
        self.model_edit = child(f, QLineEdit, "modelEdit")
        self.year_edit = child(f, QLineEdit, "yearEdit")
        self.odometer_edit = child(f, QLineEdit, "odometerEdit")
        self.year_edit.setValidator(QIntValidator(1950, 2100, self.year_edit))
        # where a make, model or year the VIN proposed came from (stays editable)
        self.source_label = QLabel(self)
        self.source_label.setObjectName("vinSourceLabel")
        self.source_label.setWordWrap(True)
        vehicle_form = self.vehicle_group.layout()
        assert isinstance(vehicle_form, QFormLayout)
        row, _role = vehicle_form.getWidgetPosition(self.year_edit)
        vehicle_form.insertRow(row + 1, "", self.source_label)
        self._proposed: dict[str, tuple[str, str]] = {}  # field -> (value filled in, source)
        self.odometer_edit.setValidator(QIntValidator(0, 2_000_000, self.odometer_edit))
        self.kind_combo.addItem(translate("VehiclePicker", "Person"), "person")
        self.kind_combo.addItem(translate("VehiclePicker", "Company"), "company")
        completer = QCompleter(known_makes(), self.make_edit)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        completer.setFilterMode(Qt.MatchFlag.MatchContains)
        self.make_edit.setCompleter(completer)
        for label in (self.phone_message, self.vin_message, self.plate_message, self.source_label):
            _say(label, "")

        self.customer_fields: dict[str, QWidget] = {
            "name": self.name_edit,
            "phone": self.phone_edit,
            "kind": self.kind_combo,
        }
        self.vehicle_fields: dict[str, QWidget] = {
            "vin": self.vin_edit,
            "plate": self.plate_edit,
            "make": self.make_edit,
            "model": self.model_edit,
            "year": self.year_edit,
            "odometer_km": self.odometer_edit,
        }
        self.may_create_vehicle = allowed(actor, customer_service.create_vehicle)
        self.may_edit_customer = allowed(actor, customer_service.create_customer)

        self._search_timer = QTimer(self)
        self._search_timer.setSingleShot(True)
        self._search_timer.setInterval(250)
        self._search_timer.timeout.connect(self.run_search)
        self.search_edit.textChanged.connect(lambda _t: self._search_timer.start())
        self.results.itemActivated.connect(
            lambda item: self.pick(item.data(Qt.ItemDataRole.UserRole))
        )
        self.results.itemDoubleClicked.connect(
            lambda item: self.pick(item.data(Qt.ItemDataRole.UserRole))
        )
        self._keys = _KeyFilter(self)
        self.search_edit.installEventFilter(self._keys)
        self.results.installEventFilter(self._keys)
        self.new_customer_button.clicked.connect(self.new_customer)
        self.vehicle_combo.currentIndexChanged.connect(self._vehicle_chosen)
        self.phone_edit.textChanged.connect(lambda _t: self.check_phone_field())
        self.phone_edit.editingFinished.connect(lambda: self.check_phone_field(final=True))
        self.vin_edit.textEdited.connect(self._vin_typed)
        self.vin_edit.editingFinished.connect(lambda: self.check_vin_field(final=True))
        self.plate_edit.textChanged.connect(lambda _t: self.check_plate_field())
        self.plate_edit.editingFinished.connect(lambda: self.check_plate_field(final=True))
        self._refused: QWidget | None = None
        for widget in (*self.customer_fields.values(), *self.vehicle_fields.values()):
            if isinstance(widget, QLineEdit):
                widget.textChanged.connect(self._update_ok_text)
                widget.textEdited.connect(lambda _t, w=widget: self._field_edited(w))
        self.kind_combo.currentIndexChanged.connect(self._update_ok_text)
        for key in ("make", "model", "year"):
            self.vehicle_fields[key].textEdited.connect(  # type: ignore[attr-defined]
                lambda _t, k=key: self._own_value(k)
            )
        self.setTabOrder(self.form.findChild(QPushButton, "newCustomerButton"), self.ok_button)

        self._on_file: Vehicle | Customer | None = None
        if vehicle is not None:
            self.load_vehicle(
                vehicle if isinstance(vehicle, Vehicle) else Vehicle.get_by_id(vehicle)
            )
        elif customer is not None:
            self.load_customer(
                customer if isinstance(customer, Customer) else Customer.get_by_id(customer)
            )
        else:
            self.new_customer(focus=False)
        self.resize(840, 560)
        geometry = app_settings().value("vehicle_picker/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.search_edit.setFocus()

    # -- results ----------------------------------------------------------------------------
    def result_customer(self) -> Customer | None:
        return self.customer

    def result_vehicle(self) -> Vehicle | None:
        return self.vehicle

    # -- searching --------------------------------------------------------------------------
    def run_search(self) -> list[SearchHit]:
        self._search_timer.stop()
        text = self.search_edit.text().strip()
        hits = [h for h in search(text, limit=12) if h.kind in ("vehicle", "customer")]
        self.results.clear()
        for hit in hits:
            prefix = (
                translate("VehiclePicker", "Vehicle")
                if hit.kind == "vehicle"
                else translate("VehiclePicker", "Customer")
            )
            item = QListWidgetItem(f"{prefix}: {hit.title} — {hit.subtitle}")
            item.setData(Qt.ItemDataRole.UserRole, hit)
            self.results.addItem(item)
        if text and not hits:
            item = QListWidgetItem(
                translate(
                    "VehiclePicker",
                    "Nothing on file for {text}. Press Enter to register it as new.",
                ).format(text=text)
            )
            item.setFlags(Qt.ItemFlag.NoItemFlags)
            self.results.addItem(item)
        elif hits:
            self.results.setCurrentRow(0)
        return hits

    def search_entered(self) -> None:
        """Enter in the search box: take the first match, or start a new record with the text."""
        hits = self.run_search()
        if hits:
            self.pick(hits[0])
        elif self.search_edit.text().strip():
            self.prefill_new(self.search_edit.text().strip())

    def pick_current(self) -> None:
        item = self.results.currentItem()
        if item is not None and item.data(Qt.ItemDataRole.UserRole) is not None:
            self.pick(item.data(Qt.ItemDataRole.UserRole))

    def pick(self, hit: SearchHit | None) -> None:
        if hit is None:
            return
        if hit.kind == "vehicle" and hit.vehicle_id is not None:
            self.load_vehicle(Vehicle.get_by_id(hit.vehicle_id))
            self.ok_button.setFocus()
        elif hit.kind == "customer" and hit.customer_id is not None:
            self.load_customer(Customer.get_by_id(hit.customer_id))
            if self.vehicle is None and self.vehicle_combo.count() > 1:
                self.vehicle_combo.setFocus()
            elif self.vehicle is None:
                self.vin_edit.setFocus()
            else:
                self.ok_button.setFocus()

    def prefill_new(self, text: str) -> None:
        """Nothing found: put the searched text where it belongs in a new record."""
        if self.customer is not None:
            self.new_customer(focus=False)
        if check_phone(text).ok:
            self.phone_edit.setText(text)
        elif check_plate(text).ok:
            self.plate_edit.setText(text)
        elif check_vin(text).ok:
            self.vin_edit.setText(normalise_vin(text))
            self.check_vin_field(final=True)
        elif not any(c.isdigit() for c in text):
            self.name_edit.setText(text)
        for widget in (self.name_edit, self.phone_edit, self.vin_edit, self.plate_edit):
            if not widget.text().strip():
                widget.setFocus()
                return
        self.make_edit.setFocus()

    # -- loading records --------------------------------------------------------------------
    def new_customer(self, focus: bool = True) -> None:
        """Start a new customer (and a new vehicle for them)."""
        self._loading = True
        self.customer = None
        for edit in (self.name_edit, self.phone_edit):
            edit.clear()
        self.kind_combo.setCurrentIndex(0)
        self._fill_vehicle_combo([])
        self._loading = False
        self._load_vehicle_fields(None)
        self._set_customer_state()
        self._clear_marks()
        if focus:
            self.name_edit.setFocus()

    def load_customer(self, customer: Customer, vehicle: Vehicle | None = None) -> None:
        self._loading = True
        self.customer = customer
        self.name_edit.setText(customer.name)
        self.phone_edit.setText(customer.phone)
        self.kind_combo.setCurrentIndex(max(0, self.kind_combo.findData(customer.kind)))
        vehicles = customer_service.vehicles_of(customer)
        self._fill_vehicle_combo(vehicles)
        if vehicle is None and len(vehicles) == 1:
            vehicle = vehicles[0]
        index = (
            self.vehicle_combo.findData(vehicle.id)
            if vehicle is not None
            else (self.vehicle_combo.findData(_NEW) if not vehicles else -1)
        )
        self.vehicle_combo.setCurrentIndex(index)
        self._loading = False
        self._load_vehicle_fields(vehicle)
        self._set_customer_state()
        self._clear_marks()

    def load_vehicle(self, vehicle: Vehicle) -> None:
        if vehicle.owner_id:
            self.load_customer(vehicle.owner, vehicle)
        else:
            self.new_customer(focus=False)
            self._load_vehicle_fields(vehicle)

    def _fill_vehicle_combo(self, vehicles: list[Vehicle]) -> None:
        self.vehicle_combo.blockSignals(True)
        self.vehicle_combo.clear()
        for v in vehicles:
            self.vehicle_combo.addItem(customer_service.vehicle_label(v), v.id)
        self.vehicle_combo.addItem(translate("VehiclePicker", "New vehicle"), _NEW)
        self.vehicle_combo.setCurrentIndex(self.vehicle_combo.count() - 1 if not vehicles else -1)
        self.vehicle_combo.setPlaceholderText(translate("VehiclePicker", "Choose the vehicle…"))
        self.vehicle_combo.blockSignals(False)

    def _vehicle_chosen(self, _index: int) -> None:
        if self._loading:
            return
        data = self.vehicle_combo.currentData()
        vehicle = Vehicle.get_or_none(Vehicle.id == data) if data not in (None, _NEW) else None
        self._load_vehicle_fields(vehicle)
        if vehicle is None:
            self.vin_edit.setFocus()

    def _load_vehicle_fields(self, vehicle: Vehicle | None) -> None:
        self.vehicle = vehicle
        self._proposed.clear()
        _say(self.source_label, "")
        self._loading = True
        self.vin_edit.setText(vehicle.vin if vehicle else "")
        self.plate_edit.setText(display_plate(vehicle.plate) if vehicle and vehicle.plate else "")
        self.make_edit.setText(vehicle.make if vehicle else "")
        self.model_edit.setText(vehicle.model if vehicle else "")
        self.year_edit.setText(str(vehicle.year) if vehicle and vehicle.year else "")
        self.odometer_edit.setText(
            str(vehicle.last_odometer_km) if vehicle and vehicle.last_odometer_km else ""
        )
        # readings of a car on file are recorded at reception, not here
        self.odometer_edit.setEnabled(vehicle is None)
        self._loading = False
        for label in (self.vin_message, self.plate_message):
            _say(label, "")
        for widget in self.vehicle_fields.values():
            mark_invalid(widget, False)
        if vehicle is not None:
            self.check_vin_field(final=True)
        can_edit = self.may_create_vehicle
        for widget in self.vehicle_fields.values():
            widget.setEnabled(can_edit and (widget is not self.odometer_edit or vehicle is None))
        if not can_edit and vehicle is None:
            _say(
                self.vin_message,
                translate(
                    "VehiclePicker",
                    "Only service advisors register vehicles; choose a vehicle on file.",
                ),
                "hint",
            )
        self._update_ok_text()

    def _set_customer_state(self) -> None:
        if self.customer is None:
            _say(self.customer_state, translate("VehiclePicker", "New customer"), "hint")
        else:
            _say(
                self.customer_state,
                translate("VehiclePicker", "On file: {customer}").format(
                    customer=customer_label(self.customer)
                ),
                "ok",
            )
        for widget in self.customer_fields.values():
            widget.setEnabled(self.may_edit_customer)

    # -- live checks ------------------------------------------------------------------------
    def check_phone_field(self, final: bool = False) -> bool:
        """While typing only a complete number is judged; leaving the field judges any."""
        text = self.phone_edit.text()
        if not text.strip():
            _say(self.phone_message, "")
            mark_invalid(self.phone_edit, False)
            return False
        result = check_phone(text)
        if not result.ok:
            digits = sum(c.isdigit() for c in text)
            if final or digits >= 11:
                _say(self.phone_message, result.message, "error")
                mark_invalid(self.phone_edit, True)
            else:
                _say(self.phone_message, "")
                mark_invalid(self.phone_edit, False)
            return False
        mark_invalid(self.phone_edit, False)
        other = customer_with_phone(text, self.customer.id if self.customer else None)
        if other is not None and not self._loading:
            _say(
                self.phone_message,
                translate("VehiclePicker", "This number belongs to {customer} on file.").format(
                    customer=customer_label(other)
                ),
                "warning",
            )
            self._offer_on_file(other)
        else:
            _say(self.phone_message, "")
            if isinstance(self._on_file, Customer):
                self._offer_on_file(None)
        return True

    def _vin_typed(self, text: str) -> None:
        upper = text.upper()
        if upper != text:
            pos = self.vin_edit.cursorPosition()
            self.vin_edit.setText(upper)
            self.vin_edit.setCursorPosition(pos)
        if len(normalise_vin(upper)) >= 17:
            self.check_vin_field(final=True)
        else:
            _say(self.vin_message, "")
            mark_invalid(self.vin_edit, False)

    def check_vin_field(self, final: bool = False) -> bool:
        text = self.vin_edit.text()
        if not text.strip():
            _say(self.vin_message, "")
            mark_invalid(self.vin_edit, False)
            return False
        result = check_vin(text)
        if not result.ok:
            if final:
                _say(self.vin_message, result.message, "error")
                mark_invalid(self.vin_edit, True)
            return False
        mark_invalid(self.vin_edit, False)
        if self._duplicate_message("vin"):
            return False
        if result.warning:
            _say(self.vin_message, result.warning, "warning")
        else:
            _say(self.vin_message, "")
        if not self._loading and (self.vehicle is None or result.value != self.vehicle.vin):
            self.propose_from_vin()
        return True

    # -- what the VIN tells ------------------------------------------------------------------
    def propose_from_vin(self) -> None:
        """Fill make, model and year from the VIN where they are empty (or hold what an earlier
        VIN proposed); each says where it came from and stays editable."""
        exclude = self.vehicle.id if self.vehicle is not None else None
        proposal = vin_service.propose(self.vin_edit.text(), exclude_id=exclude)
        for key in ("make", "model", "year"):
            edit = self.vehicle_fields[key]
            assert isinstance(edit, QLineEdit)
            ours = self._proposed.get(key)
            if edit.text().strip() and (ours is None or edit.text() != ours[0]):
                continue  # typed by hand (or on file): left alone
            found = getattr(proposal, key)
            if found is None:
                if ours is not None:
                    edit.clear()
                    del self._proposed[key]
                continue
            edit.setText(found.value)
            self._proposed[key] = (found.value, found.source)
        self._show_sources()

    def _own_value(self, key: str) -> None:
        """The advisor changed a proposed value: it is theirs now."""
        if self._proposed.pop(key, None) is not None:
            self._show_sources()

    def _show_sources(self) -> None:
        names = {
            "make": translate("VehiclePicker", "Make"),
            "model": translate("VehiclePicker", "Model"),
            "year": translate("VehiclePicker", "Model year"),
        }
        by_source: dict[str, list[str]] = {}
        for key in ("make", "model", "year"):
            if key in self._proposed:
                by_source.setdefault(self._proposed[key][1], []).append(names[key])
        parts = [
            translate("VehiclePicker", "{field}: {source}").format(
                field=join_list(fields), source=source
            )
            for source, fields in by_source.items()
        ]
        _say(self.source_label, " · ".join(parts), "hint")

    def check_plate_field(self, final: bool = False) -> bool:
        text = self.plate_edit.text()
        if not text.strip():
            _say(self.plate_message, "")
            mark_invalid(self.plate_edit, False)
            return True
        result = check_plate(text)
        if not result.ok:
            judged = final or len(plate_key(text)) >= 7
            # while a plate is being corrected, an earlier error does not stay on it
            _say(self.plate_message, result.message if judged else "", "error")
            mark_invalid(self.plate_edit, judged)
            if not judged and isinstance(self._on_file, Vehicle):
                self._offer_on_file(None)
            return False
        mark_invalid(self.plate_edit, False)
        if self._duplicate_message("plate"):
            return False
        _say(self.plate_message, "")
        return True

    def _duplicate_message(self, field: str) -> bool:
        """Show the service's own "already on file" refusal before Save is pressed."""
        if self._loading:
            return False
        vin = normalise_vin(self.vin_edit.text()) if field == "vin" else ""
        plate = plate_key(self.plate_edit.text()) if field == "plate" else ""
        exclude = self.vehicle.id if self.vehicle is not None else None
        try:
            customer_service._duplicate_check(vin, plate, exclude)
        except ValidationError as exc:
            label = self.vin_message if field == "vin" else self.plate_message
            _say(label, str(exc), "error")
            mark_invalid(self.vehicle_fields[field], True)
            self._offer_on_file(vehicle_on_file(vin, plate, exclude))
            return True
        if isinstance(self._on_file, Vehicle):
            self._offer_on_file(None)
        return False

    def _offer_on_file(self, record: Vehicle | Customer | None) -> None:
        self._on_file = record
        if record is None:
            self.use_on_file_button.hide()
            return
        if isinstance(record, Vehicle):
            text = translate("VehiclePicker", "Use the vehicle on file: {vehicle}").format(
                vehicle=customer_service.vehicle_label(record)
            )
        else:
            text = translate("VehiclePicker", "Use the customer on file: {customer}").format(
                customer=customer_label(record)
            )
        self.use_on_file_button.setText(text)
        self.use_on_file_button.show()

    def _use_on_file(self) -> None:
        record = self._on_file
        self._offer_on_file(None)
        self.banner.clear_message()
        if isinstance(record, Vehicle):
            self.load_vehicle(record)
        elif isinstance(record, Customer):
            self.load_customer(record)
        self.ok_button.setFocus()

    def _clear_marks(self) -> None:
        for widget in (*self.customer_fields.values(), *self.vehicle_fields.values()):
            mark_invalid(widget, False)
        for label in (self.phone_message,):
            _say(label, "")
        self._offer_on_file(None)

    # -- saving -----------------------------------------------------------------------------
    def customer_values(self) -> dict[str, Any]:
        return {
            "name": self.name_edit.text().strip(),
            "phone": self.phone_edit.text().strip(),
            "kind": self.kind_combo.currentData(),
        }

    def vehicle_values(self) -> dict[str, Any]:
        return {
            "vin": self.vin_edit.text().strip(),
            "plate": self.plate_edit.text().strip(),
            "make": self.make_edit.text().strip(),
            "model": self.model_edit.text().strip(),
            "year": self.year_edit.text().strip() or None,
        }

    def customer_changes(self) -> dict[str, Any]:
        if self.customer is None:
            return {}
        c = self.customer
        now = self.customer_values()
        was = {"name": c.name, "phone": c.phone, "kind": c.kind}
        changed = {}
        for key, value in now.items():
            if key == "phone":
                if check_phone(value).value != c.phone:
                    changed[key] = value
            elif value != was[key]:
                changed[key] = value
        return changed

    def vehicle_changes(self) -> dict[str, Any]:
        if self.vehicle is None:
            return {}
        v = self.vehicle
        now = self.vehicle_values()
        changed: dict[str, Any] = {}
        if normalise_vin(now["vin"]) != v.vin:
            changed["vin"] = now["vin"]
        if plate_key(now["plate"]) != plate_key(v.plate or ""):
            changed["plate"] = now["plate"]
        for key in ("make", "model"):
            if now[key] != (getattr(v, key) or ""):
                changed[key] = now[key]
        if (now["year"] or None) != (str(v.year) if v.year else None):
            changed["year"] = now["year"]
        return changed

    def _vehicle_started(self) -> bool:
        return any(self.vehicle_values()[k] for k in ("vin", "plate", "make", "model"))

    def _update_ok_text(self, *_args: object) -> None:
        saving = (
            self.customer is None
            or self.vehicle is None
            or bool(self.customer_changes())
            or bool(self.vehicle_changes())
        )
        if self.checks_in:
            text = (
                translate("VehiclePicker", "&Save and check in")
                if saving
                else translate("VehiclePicker", "&Check in")
            )
        else:
            text = (
                translate("VehiclePicker", "&Save and use")
                if saving
                else translate("VehiclePicker", "&Use")
            )
        self.ok_button.setText(text)

    def submit(self) -> bool:
        """Save what is new or changed, then accept. Refusals are shown inline; input stays."""
        self.banner.clear_message()
        for widget in (*self.customer_fields.values(), *self.vehicle_fields.values()):
            mark_invalid(widget, False)
        if self.vehicle is None and not self._vehicle_started():
            if self.vehicle_combo.currentIndex() < 0 and self.vehicle_combo.count() > 1:
                return self._refuse(
                    translate(
                        "VehiclePicker", "Choose one of the customer's vehicles or New vehicle."
                    ),
                    self.vehicle_combo,
                )
            return self._refuse(
                translate("VehiclePicker", "Enter the vehicle: at least its VIN."), self.vin_edit
            )
        if self.vehicle is None:
            vehicle_values = self.vehicle_values()
            vehicle_values["odometer_km"] = self.odometer_edit.text().strip() or 0
        else:
            vehicle_values = self.vehicle_changes()
        customer_values = (
            self.customer_values() if self.customer is None else self.customer_changes()
        )
        saving = (
            self.customer is None
            or self.vehicle is None
            or customer_values
            or vehicle_values
            or self.vehicle.owner_id is None
        )
        try:
            if saving:  # one service call: the customer is not saved when the car is refused
                self.customer, self.vehicle = customer_service.save_customer_and_vehicle(
                    self.actor,
                    self.customer,
                    self.vehicle,
                    customer_values,
                    vehicle_values,
                    customer_version=self.customer.version if self.customer else None,
                    vehicle_version=self.vehicle.version if self.vehicle else None,
                )
        except DomainError as exc:
            field = exc.field if isinstance(exc, ValidationError) else None
            widget = self.customer_fields.get(field or "") or self.vehicle_fields.get(field or "")
            message = str(exc)
            if field in ("vin", "plate"):
                label = self.vin_message if field == "vin" else self.plate_message
                _say(label, message, "error")
                exclude = self.vehicle.id if self.vehicle is not None else None
                values = self.vehicle_values()
                if field == "vin":
                    self._offer_on_file(vehicle_on_file(values["vin"], "", exclude))
                else:
                    self._offer_on_file(vehicle_on_file("", values["plate"], exclude))
            return self._refuse(message, widget)
        self._set_customer_state()
        self._update_ok_text()
        app_settings().setValue("vehicle_picker/geometry", self.saveGeometry())
        self.chosen.emit(self.customer.id, self.vehicle.id)
        self.accept()
        return True

    def _field_edited(self, widget: QWidget) -> None:
        """A refused field is being corrected: the refusal no longer stands."""
        if widget is self._refused:
            self._refused = None
            self.banner.clear_message()

    def _refuse(self, message: str, widget: QWidget | None) -> bool:
        self.banner.show_error(message)
        self._refused = widget
        if widget is not None:
            mark_invalid(widget, True)
            widget.setFocus()
        return False
