"""Pieces shared by the after-care, approvals and report pages: table set-up, coloured rows,
dialogs around a .ui form, autosaved drafts and the customer / vehicle / order finder."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import (
    QEvent,
    QObject,
    QSortFilterProxyModel,
    Qt,
    QTimer,
    Signal,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock, drafts
from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import Customer, RepairOrder, Vehicle
from shop_desk.services.aftercare import claim_state_label  # noqa: F401 - the pages' label
from shop_desk.services.customers import vehicle_label
from shop_desk.services.search import search
from shop_desk.states import state_label
from shop_desk.ui.shell.models import RowTableModel
from shop_desk.ui.shell.tables import (  # noqa: F401 - the pages' names for them
    AMBER,
    GREEN,
    GREY,
    RED,
    ColouredModel,
    select_where,
    selected_row,
    when,
)
from shop_desk.ui.shell.tables import setup_table as shared_setup_table
from shop_desk.ui.shell.uiload import load_form
from shop_desk.ui.shell.widgets import ErrorBanner, mark_invalid
from shop_desk.validation import display_plate


def plate_text(vehicle: Vehicle | None) -> str:
    """The plate as written on forms (the VIN when there is none) — short enough for a list."""
    if vehicle is None:
        return ""
    return display_plate(vehicle.plate) if vehicle.plate else vehicle.vin


def hours_text(delta: dt.timedelta) -> str:
    """'3 h' / '2 d 4 h' / '25 min' for how late or how soon something is."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return translate("AftercareUi", "{n} min").format(n=minutes)
    hours = minutes // 60
    if hours < 48:
        return translate("AftercareUi", "{n} h").format(n=hours)
    return translate("AftercareUi", "{d} d {h} h").format(d=hours // 24, h=hours % 24)


def setup_table(
    view: QTableView,
    model: RowTableModel,
    stretch: int | None = None,
    sort_column: int | None = 0,
    order: Qt.SortOrder = Qt.SortOrder.AscendingOrder,
) -> QSortFilterProxyModel:
    """Model/view the way every list of these pages behaves: sortable, one row selected,
    read-only, filterable through the returned proxy."""
    proxy = shared_setup_table(
        view,
        model,
        stretch,
        sorting=sort_column is not None,
        alternate=not isinstance(model, ColouredModel),
    )
    if sort_column is not None:
        view.sortByColumn(sort_column, order)
    return proxy


#: Rows measured when columns are fitted to their text (the visible ones are measured too).
FIT_ROWS = 200


class _FitWhenShown(QObject):
    """Fits a hidden table's columns when it is first shown: Qt measures every row of a
    hidden table (it cannot tell which are visible), seconds for a list of thousands."""

    def __init__(self, view: QTableView, limit: int) -> None:
        super().__init__(view)
        self.view, self.limit = view, limit
        view.installEventFilter(self)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt's name)
        if watched is self.view and event.type() == QEvent.Type.Show:
            self.view.removeEventFilter(self)
            self.view.setProperty("fitPending", False)
            QTimer.singleShot(0, self.view, lambda: fit_columns(self.view, self.limit))
            self.deleteLater()
        return False


def fit_columns(view: QTableView, limit: int = 320) -> None:
    """Columns as wide as their text, none wider than ``limit`` pixels; measured on the first
    rows and the visible ones, not on every row of a list of thousands (a hidden table is
    fitted when it is shown)."""
    if not view.isVisible() and view.model() is not None and view.model().rowCount() > FIT_ROWS:
        if not view.property("fitPending"):
            view.setProperty("fitPending", True)
            _FitWhenShown(view, limit)
        return
    view.verticalHeader().setResizeContentsPrecision(FIT_ROWS)
    view.resizeColumnsToContents()
    model = view.model()
    header = view.horizontalHeader()
    for col in range(model.columnCount() if model is not None else 0):
        if (
            header.sectionResizeMode(col) != QHeaderView.ResizeMode.Stretch
            and view.columnWidth(col) > limit
        ):
            view.setColumnWidth(col, limit)


def combo_data(combo: QComboBox, value: Any) -> bool:
    """Choose the item whose data is ``value``."""
    index = combo.findData(value)
    if index >= 0:
        combo.setCurrentIndex(index)
    return index >= 0


# ------------------------------------------------------------------------------ labels


def channel_label(code: str) -> str:
    return {
        "phone": translate("AftercareUi", "By phone"),
        "letter": translate("AftercareUi", "By letter"),
        "visit": translate("AftercareUi", "In person"),
    }.get(code, code)


def complaint_state_label(code: str) -> str:
    return {
        "open": translate("AftercareUi", "Recorded"),
        "investigating": translate("AftercareUi", "Investigation"),
        "measures": translate("AftercareUi", "Measures"),
        "feedback": translate("AftercareUi", "Feedback to the customer"),
        "follow_up": translate("AftercareUi", "Follow-up after the fact"),
        "closed": translate("AftercareUi", "Closed"),
    }.get(code, code)


def step_title(code: str) -> str:
    """A step of a complaint case as its table shows it."""
    return {
        "record": translate("AftercareUi", "Complaint recorded"),
        "investigation": translate("AftercareUi", "Investigation"),
        "measures": translate("AftercareUi", "Measures"),
        "feedback": translate("AftercareUi", "Feedback to the customer"),
        "follow_up": translate("AftercareUi", "Follow-up after the fact"),
        "closed": translate("AftercareUi", "Closed"),
    }.get(code, code)


def approval_state_label(code: str) -> str:
    return {
        "pending": translate("AftercareUi", "Waiting"),
        "approved": translate("AftercareUi", "Approved"),
        "rejected": translate("AftercareUi", "Refused"),
        "used": translate("AftercareUi", "Approved and used"),
    }.get(code, code)


# ------------------------------------------------------------------------------ dialogs


class FormHostDialog(QDialog):
    """A dialog around ``forms/<form>.ui``: inline error banner and OK / Cancel.

    ``submit()`` does the work; a DomainError it raises is shown inline, the field the
    service named is outlined and everything typed stays. Opened with ``open()`` so tests
    and the main window never block."""

    def __init__(self, form: str, title: str, ok_text: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        outer = QVBoxLayout(self)
        self.draft_bar = DraftBar(self)
        outer.addWidget(self.draft_bar)
        self.form = load_form(form, self)
        outer.addWidget(self.form, 1)
        self.error = ErrorBanner(self)
        self.error.setObjectName("errorBanner")
        outer.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setObjectName("okButton")
        self.ok_button.setText(ok_text)
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            translate("AftercareUi", "Cancel")
        )
        self.buttons.accepted.connect(self.on_ok)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.fields: dict[str, QWidget] = {}
        self.result_value: Any = None

    def submit(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def on_ok(self) -> None:
        for widget in self.fields.values():
            mark_invalid(widget, False)
        self.error.clear_message()
        try:
            self.result_value = self.submit()
        except DomainError as exc:
            self.refused(exc)
            return
        if self.result_value is not None:
            self.draft_bar.discard()
            self.accept()

    def refused(self, exc: DomainError) -> None:
        self.error.show_error(str(exc))
        field = exc.field if isinstance(exc, ValidationError) else None
        if field in self.fields:
            mark_invalid(self.fields[field])
            self.fields[field].setFocus()


class DraftBar(QFrame):
    """Autosaved draft of a form in progress: saved on change (debounced), offered again
    when the form opens, discarded when the form is saved."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("draftBar")
        self.setStyleSheet("QFrame#draftBar { background:#eef3fb; border-radius:4px; }")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.restore_button = QPushButton(translate("AftercareUi", "&Restore"), self)
        self.restore_button.setObjectName("restoreDraftButton")
        self.discard_button = QPushButton(translate("AftercareUi", "Discard"), self)
        self.discard_button.setObjectName("discardDraftButton")
        for button in (self.restore_button, self.discard_button):
            button.setAutoDefault(False)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.restore_button)
        layout.addWidget(self.discard_button)
        self.key = ""
        self.title = ""
        self.collect: Callable[[], dict[str, Any]] | None = None
        self.apply: Callable[[dict[str, Any]], None] | None = None
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(600)
        self.timer.timeout.connect(self.save)
        self.restore_button.clicked.connect(self.restore)
        self.discard_button.clicked.connect(self.discard)
        self.hide()

    def attach(
        self,
        key: str,
        title: str,
        collect: Callable[[], dict[str, Any]],
        apply: Callable[[dict[str, Any]], None],
    ) -> None:
        """Start keeping drafts under ``key``; offer one left from before."""
        self.key, self.title, self.collect, self.apply = key, title, collect, apply
        draft = drafts.load(key)
        if draft is not None:
            self.label.setText(
                translate(
                    "AftercareUi", "What you typed on {time} was not saved. Restore it?"
                ).format(time=draft.saved_at.strftime("%Y-%m-%d %H:%M"))
            )
            self.show()

    def changed(self, *_args: object) -> None:
        if self.key:
            self.timer.start()

    def save(self) -> None:
        if not self.key or self.collect is None:
            return
        data = self.collect()
        if any(v not in (None, "", False) for v in data.values()):
            drafts.save(self.key, self.title, data)

    def restore(self) -> bool:
        draft = drafts.load(self.key) if self.key else None
        self.hide()
        if draft is None or self.apply is None:
            return False
        self.apply(draft.data)
        return True

    def discard(self) -> None:
        self.timer.stop()
        if self.key:
            drafts.discard(self.key)
        self.hide()

    def flush(self) -> None:
        """Save now if a save is waiting (the dialog closes without saving for real)."""
        if self.timer.isActive():
            self.timer.stop()
            self.save()


# ------------------------------------------------------------------------------ finder


def customer_text(customer: Customer | None) -> str:
    if customer is None:
        return ""
    return " · ".join(x for x in (customer.name, customer.phone) if x)


class CustomerFinder(QWidget):
    """Find the customer (and optionally the vehicle and the order) by name, phone, plate,
    VIN or order number: type, press Enter, pick. ``changed()`` fires on every change."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None, required: bool = False) -> None:
        super().__init__(parent)
        self.setObjectName("customerFinder")
        self.required = required
        self.customer: Customer | None = None
        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        row = QHBoxLayout()
        self.search_edit = QLineEdit(self)
        self.search_edit.setObjectName("finderSearchEdit")
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setPlaceholderText(
            translate("AftercareUi", "Name, phone, plate, VIN or order number, then Enter")
        )
        self.hits_combo = QComboBox(self)
        self.hits_combo.setObjectName("finderHitsCombo")
        self.hits_combo.setMinimumContentsLength(24)
        self.hits_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.hits_combo.hide()
        row.addWidget(self.search_edit, 1)
        row.addWidget(self.hits_combo, 1)
        form.addRow(translate("AftercareUi", "Find"), row)
        self.customer_label = QLabel(self)
        self.customer_label.setObjectName("finderCustomerLabel")
        self.customer_label.setWordWrap(True)
        form.addRow(translate("AftercareUi", "Customer"), self.customer_label)
        self.vehicle_combo = QComboBox(self)
        self.vehicle_combo.setObjectName("finderVehicleCombo")
        form.addRow(translate("AftercareUi", "Vehicle"), self.vehicle_combo)
        self.order_combo = QComboBox(self)
        self.order_combo.setObjectName("finderOrderCombo")
        form.addRow(translate("AftercareUi", "Repair order"), self.order_combo)
        self._hits: list[Any] = []
        self.search_edit.returnPressed.connect(self.run_search)
        self.hits_combo.activated.connect(lambda i: self.pick(i))
        self.vehicle_combo.currentIndexChanged.connect(lambda _i: self._vehicle_changed())
        self.order_combo.currentIndexChanged.connect(lambda _i: self.changed.emit())
        self.set_customer(None)

    # -- searching -------------------------------------------------------------------------
    def run_search(self) -> int:
        """Search what was typed; with one hit (or on Enter) the first one is taken."""
        self._hits = search(self.search_edit.text(), 12)
        self.hits_combo.clear()
        for hit in self._hits:
            self.hits_combo.addItem(f"{hit.title} — {hit.subtitle}".strip(" —"))
        self.hits_combo.setVisible(len(self._hits) > 1)
        if not self._hits:
            self.customer_label.setText(
                "<i>"
                + translate("AftercareUi", "Nothing found. Try the phone or the plate.")
                + "</i>"
            )
            return 0
        self.pick(0)
        return len(self._hits)

    def pick(self, index: int) -> None:
        if not 0 <= index < len(self._hits):
            return
        hit = self._hits[index]
        order = RepairOrder.get_or_none(RepairOrder.id == hit.order_id) if hit.order_id else None
        vehicle = Vehicle.get_or_none(Vehicle.id == hit.vehicle_id) if hit.vehicle_id else None
        customer_id = hit.customer_id
        if customer_id is None and order is not None:
            customer_id = order.customer_id
        if customer_id is None and vehicle is not None:
            customer_id = vehicle.owner_id
        customer = Customer.get_or_none(Customer.id == customer_id) if customer_id else None
        self.set_customer(customer, vehicle or (order.vehicle if order else None), order)

    # -- chosen ----------------------------------------------------------------------------
    def set_customer(
        self,
        customer: Customer | None,
        vehicle: Vehicle | None = None,
        order: RepairOrder | None = None,
    ) -> None:
        self.customer = customer
        self.customer_label.setText(
            customer_text(customer)
            if customer
            else "<i>" + translate("AftercareUi", "No customer chosen yet.") + "</i>"
        )
        self.vehicle_combo.blockSignals(True)
        self.vehicle_combo.clear()
        self.vehicle_combo.addItem(translate("AftercareUi", "— none —"), None)
        if customer is not None:
            for v in Vehicle.select().where(Vehicle.owner == customer).order_by(Vehicle.id):
                self.vehicle_combo.addItem(vehicle_label(v), v.id)
        if vehicle is not None and self.vehicle_combo.findData(vehicle.id) < 0:
            self.vehicle_combo.addItem(vehicle_label(vehicle), vehicle.id)
        combo_data(self.vehicle_combo, vehicle.id if vehicle else None)
        self.vehicle_combo.blockSignals(False)
        self._fill_orders(order)
        self.changed.emit()

    def _vehicle_changed(self) -> None:
        self._fill_orders(None)
        self.changed.emit()

    def _fill_orders(self, order: RepairOrder | None) -> None:
        self.order_combo.blockSignals(True)
        self.order_combo.clear()
        self.order_combo.addItem(translate("AftercareUi", "— none —"), None)
        if self.customer is not None:
            query = RepairOrder.select().where(RepairOrder.customer == self.customer)
            vehicle_id = self.vehicle_combo.currentData()
            if vehicle_id is not None:
                query = query.where(RepairOrder.vehicle == vehicle_id)
            for o in query.order_by(RepairOrder.id.desc()).limit(30):
                day = (o.checked_in_at or o.created_at).date().isoformat()
                self.order_combo.addItem(f"{o.number} · {day} · {state_label(o.state)}", o.id)
        if order is not None and self.order_combo.findData(order.id) < 0:
            self.order_combo.addItem(order.number, order.id)
        combo_data(self.order_combo, order.id if order else None)
        self.order_combo.blockSignals(False)

    def customer_id(self) -> int | None:
        return self.customer.id if self.customer is not None else None

    def vehicle_id(self) -> int | None:
        return self.vehicle_combo.currentData()

    def order_id(self) -> int | None:
        return self.order_combo.currentData()

    def state(self) -> dict[str, Any]:
        return {
            "customer_id": self.customer_id(),
            "vehicle_id": self.vehicle_id(),
            "order_id": self.order_id(),
        }

    def restore(self, data: dict[str, Any]) -> None:
        customer = (
            Customer.get_or_none(Customer.id == data.get("customer_id"))
            if data.get("customer_id")
            else None
        )
        vehicle = (
            Vehicle.get_or_none(Vehicle.id == data.get("vehicle_id"))
            if data.get("vehicle_id")
            else None
        )
        order = (
            RepairOrder.get_or_none(RepairOrder.id == data.get("order_id"))
            if data.get("order_id")
            else None
        )
        self.set_customer(customer, vehicle, order)


def today_start() -> dt.datetime:
    return dt.datetime.combine(clock.today(), dt.time())
