"""Checkout area (交车 / 结账, PROCESS.md §7–§8): the cars ready, delivered or settled, and for
the one picked the steps as tabs — internal delivery check, notify the customer, delivery with
the customer, settlement slip, payment, gate pass.

The page picks the tab of the next step when an order is opened; every step shows what blocks
it and why. Changes go through :mod:`shop_desk.services.checkout` only.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import DomainError
from shop_desk.i18n import counted, translate
from shop_desk.models import Customer, OrderEvent, RepairOrder, Staff, Vehicle
from shop_desk.roles import Role
from shop_desk.services import checkout
from shop_desk.states import State, state_label
from shop_desk.ui.checkout.check_step import CheckStep
from shop_desk.ui.checkout.delivery_step import DeliveryStep
from shop_desk.ui.checkout.gate_step import GateStep
from shop_desk.ui.checkout.notify_step import NotifyStep
from shop_desk.ui.checkout.payment_step import PaymentStep
from shop_desk.ui.checkout.slip_step import SlipStep
from shop_desk.ui.checkout.step import Step
from shop_desk.ui.shell.main_window import register_page
from shop_desk.ui.shell.models import Column, RowTableModel, filter_proxy, row_of
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import ErrorBanner, app_settings
from shop_desk.validation import display_plate

if TYPE_CHECKING:
    from shop_desk.ui.checkout.gate import GateWindow
    from shop_desk.ui.shell.main_window import MainWindow

#: The cars at the delivery desk: ready, handed over (paying), settled (waiting to leave).
DESK_STATES = (State.READY, State.DELIVERED, State.SETTLED)
STEPS = ("check", "notify", "delivery", "slip", "payment", "gate")


def desk_orders(include_left_today: bool = False) -> list[dict[str, Any]]:
    """Rows of the order list: number, plate, customer, state, pickup time (read model)."""
    states = [s.value for s in DESK_STATES]
    query = (
        RepairOrder.select(RepairOrder, Vehicle, Customer)
        .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
        .switch(RepairOrder)
        .join(Customer, on=(RepairOrder.customer == Customer.id))
    )
    condition = RepairOrder.state.in_(states)
    if include_left_today:
        start = dt.datetime.combine(clock.today(), dt.time())
        condition |= (RepairOrder.state.in_([State.LEFT.value, State.CLOSED.value])) & (
            RepairOrder.left_at >= start
        )
    rows = []
    for o in query.where(condition).order_by(RepairOrder.number):
        rows.append(
            {
                "id": o.id,
                "number": o.number,
                "plate": display_plate(o.vehicle.plate) if o.vehicle.plate else "",
                "model": o.vehicle.model,
                "customer": o.customer.name,
                "state": o.state,
                "state_text": state_label(o.state),
                "pickup": o.pickup_at or o.promised_at,
            }
        )
    return rows


def next_step(order: RepairOrder) -> str:
    """The tab of the step that comes next for ``order``."""
    state = State(order.state)
    if state == State.READY:
        if not checkout.delivery_check_done(order):
            return "check"
        notified = (
            OrderEvent.select()
            .where((OrderEvent.order == order) & (OrderEvent.kind == "notify"))
            .exists()
        )
        return "delivery" if notified else "notify"
    if state == State.DELIVERED:
        return "payment"
    return "gate"


class CheckoutPage(QWidget):
    """The checkout desk: order list on the left, the steps of the picked order on the right."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("checkoutPage")
        self.window_ = window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = load_form("checkout_page", self)
        layout.addWidget(self.form)
        self.splitter = child(self.form, QSplitter, "splitter")
        self.filter_edit = child(self.form, QLineEdit, "filterEdit")
        self.show_left_box = child(self.form, QCheckBox, "showLeftBox")
        self.table = child(self.form, QTableView, "orderTable")
        self.count_label = child(self.form, QLabel, "countLabel")
        self.gate_button = child(self.form, QPushButton, "gateButton")
        self.takings_button = child(self.form, QPushButton, "takingsButton")
        self.heading = child(self.form, QLabel, "headingLabel")
        self.sub_label = child(self.form, QLabel, "subLabel")
        self.empty_label = child(self.form, QLabel, "emptyLabel")
        self.tabs = child(self.form, QTabWidget, "stepTabs")
        detail = child(self.form, QWidget, "detailPanel")
        self.banner = ErrorBanner(detail)
        self.banner.setObjectName("checkoutBanner")
        detail.layout().insertWidget(2, self.banner)

        self.model = RowTableModel(
            [
                Column(lambda: translate("CheckoutUi", "Order"), lambda r: r["number"]),
                Column(lambda: translate("CheckoutUi", "Plate"), lambda r: r["plate"]),
                Column(lambda: translate("CheckoutUi", "Customer"), lambda r: r["customer"]),
                Column(lambda: translate("CheckoutUi", "State"), lambda r: r["state_text"]),
            ],
            self,
            is_dimmed=lambda r: r["state"] in (State.LEFT.value, State.CLOSED.value),
        )
        self.proxy = filter_proxy(self.model, self)
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

        self.steps: dict[str, Step] = {
            "check": CheckStep(self),
            "notify": NotifyStep(self),
            "delivery": DeliveryStep(self),
            "slip": SlipStep(self),
            "payment": PaymentStep(self),
            "gate": GateStep(self),
        }
        titles = {
            "check": translate("CheckoutUi", "1 Delivery check"),
            "notify": translate("CheckoutUi", "2 Notify customer"),
            "delivery": translate("CheckoutUi", "3 Delivery"),
            "slip": translate("CheckoutUi", "4 Settlement slip"),
            "payment": translate("CheckoutUi", "5 Payment"),
            "gate": translate("CheckoutUi", "6 Gate pass"),
        }
        for key in STEPS:
            self.tabs.addTab(self.steps[key], titles[key])
            self.steps[key].setObjectName(f"step_{key}")

        self.order: RepairOrder | None = None
        self.filter_edit.textChanged.connect(self._filter)
        self.show_left_box.setChecked(app_settings().value("checkout/show_left", False, bool))
        self.show_left_box.toggled.connect(self._show_left_toggled)
        self.table.selectionModel().currentRowChanged.connect(self._picked)
        self.gate_button.clicked.connect(lambda: self.open_gate())
        self.takings_button.clicked.connect(self.show_takings)
        state = app_settings().value("checkout/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([440, 800])
        self.splitter.splitterMoved.connect(
            lambda *_: app_settings().setValue("checkout/splitter", self.splitter.saveState())
        )
        self.setTabOrder(self.filter_edit, self.table)
        # approvals decided elsewhere (the manager's in-tray) show up without pressing F5
        self.poll = QTimer(self)
        self.poll.setInterval(20_000)
        self.poll.timeout.connect(self._poll)
        self.poll.start()
        self.refresh()
        self._show_order(None)

    @property
    def actor(self) -> Staff:
        return self.window_.staff

    # -- list ------------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the list and the open order (keeps the tab and the selection)."""
        self.model.set_rows(desk_orders(self.show_left_box.isChecked()))
        self._show_count()
        if self.order is not None:
            self._select_row(self.order.id)
            self.reload()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._show_count()

    def _show_count(self) -> None:
        n = self.proxy.rowCount()
        self.count_label.setText(
            counted(n, translate("CheckoutUi", "1 car"), translate("CheckoutUi", "{n} cars"))
        )

    def _show_left_toggled(self, on: bool) -> None:
        app_settings().setValue("checkout/show_left", on)
        self.refresh()

    def _select_row(self, order_id: int) -> bool:
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            row = row_of(self.proxy, index)
            if row and row["id"] == order_id:
                self.table.blockSignals(True)
                self.table.selectionModel().blockSignals(True)
                self.table.setCurrentIndex(index)
                self.table.selectRow(r)
                self.table.selectionModel().blockSignals(False)
                self.table.blockSignals(False)
                return True
        return False

    def _picked(self, current, _previous) -> None:  # noqa: ANN001 - Qt signature
        row = row_of(self.proxy, current)
        if row is not None and (self.order is None or row["id"] != self.order.id):
            self.open_order(row["id"])

    # -- the open order ----------------------------------------------------------------------
    def open_order(self, order_id: int, step: str | None = None) -> RepairOrder | None:
        """Show ``order_id`` at ``step`` (default: its next step)."""
        try:
            order = RepairOrder.get_by_id(order_id)
        except RepairOrder.DoesNotExist:
            self.banner.show_error(translate("CheckoutUi", "This order does not exist any more."))
            return None
        self.banner.clear_message()
        self.order = order
        if not self._select_row(order.id) and State(order.state) not in DESK_STATES:
            self.show_left_box.setChecked(True)
            self._select_row(order.id)
        self._show_order(order)
        self.show_step(step or next_step(order))
        return order

    def reload(self) -> None:
        """Read the open order again after a change and refill every step."""
        if self.order is None:
            return
        self.order = RepairOrder.get_by_id(self.order.id)
        self._show_order(self.order)

    def _show_order(self, order: RepairOrder | None) -> None:
        self.tabs.setVisible(order is not None)
        self.empty_label.setVisible(order is None)
        if order is None:
            self.heading.setText("")
            self.sub_label.setText("")
            return
        vehicle, customer = order.vehicle, order.customer
        self.heading.setText(
            "  ".join(
                x
                for x in (
                    order.number,
                    display_plate(vehicle.plate) if vehicle.plate else "",
                    vehicle.model,
                    vehicle.colour,
                )
                if x
            )
        )
        parts = [
            f"{customer.name} {customer.phone}".strip(),
            translate("CheckoutUi", "State: {state}").format(state=state_label(order.state)),
        ]
        if order.advisor_id:
            parts.append(translate("CheckoutUi", "Advisor: {name}").format(name=order.advisor.name))
        if order.pickup_at:
            parts.append(
                translate("CheckoutUi", "Pickup: {when}").format(
                    when=order.pickup_at.strftime("%Y-%m-%d %H:%M")
                )
            )
        if order.accident_car:
            parts.append(translate("CheckoutUi", "Accident car"))
        self.sub_label.setText(" · ".join(parts))
        for step in self.steps.values():
            step.load(order)

    def show_step(self, key: str) -> Step:
        step = self.steps[key]
        self.tabs.setCurrentWidget(step)
        return step

    def step(self, key: str) -> Step:
        return self.steps[key]

    def run(self, fn: Callable[..., Any], *args: Any, done: str = "", **kw: Any) -> Any:
        """Call a checkout service as the signed-in person; show the result or the refusal.

        Returns the service's result, or None when it refused (the input stays)."""
        try:
            result = fn(self.actor, *args, **kw)
        except DomainError as exc:
            self.banner.show_error(str(exc))
            return None
        self.refresh()
        if done:
            self.banner.show_info(done)
            self.status(done)
        return result if result is not None else True

    def status(self, text: str) -> None:
        self.window_.show_status(text)

    def _poll(self) -> None:
        if self.isVisible() and self.order is not None:
            for key in ("slip", "payment"):
                step = self.steps[key]
                step.approvals.load(self.order, step.approvals.enabled_apply)

    # -- printing and the gate ---------------------------------------------------------------
    def print_document(self, kind: str, copy_mark: bool | None = None) -> QWidget | None:
        """The print preview of a document of the open order (settlement slip, gate pass, the
        pro-forma slip); ``copy_mark`` None: a reprint is marked as a copy."""
        if self.order is None:
            return None
        try:
            from shop_desk.ui.shell.print_preview import show_print_preview
        except ImportError:
            self.banner.show_error(translate("CheckoutUi", "Printing is not available here."))
            return None
        try:
            number = self.order.number
            return show_print_preview(self, kind, number, copy_mark)
        except DomainError as exc:
            self.banner.show_error(str(exc))
            return None

    def show_takings(self) -> QDialog:
        """The day's takings by payment method, refunds apart (the cashier's closing)."""
        from shop_desk.ui.checkout.takings import TakingsDialog

        dialog = TakingsDialog(self)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.open()
        return dialog

    def open_gate(self, number: str | None = None) -> GateWindow:
        from shop_desk.ui.checkout.gate import open_gate_window

        return open_gate_window(self.window_, number)

    def screenshot_views(self) -> list[tuple[str, Callable[[], object]]]:
        """The desk with a settled car picked (its steps: :mod:`shop_desk.ui.shots.checkout`)."""
        order = first_order(State.SETTLED)
        return [("settled", lambda: self.open_order(order.id, "slip"))] if order else []


def first_order(
    state: State, predicate: Callable[[RepairOrder], bool] | None = None
) -> RepairOrder | None:
    """The newest order in ``state`` (that ``predicate`` accepts)."""
    for order in (
        RepairOrder.select().where(RepairOrder.state == state.value).order_by(RepairOrder.id.desc())
    ):
        if predicate is None or predicate(order):
            return order
    return None


register_page(
    "checkout",
    lambda: translate("CheckoutUi", "Checkout"),
    (Role.ADVISOR, Role.CASHIER, Role.MANAGER),
    CheckoutPage,
)

# the gate window registers its main-window action when imported
import shop_desk.ui.checkout.gate  # noqa: E402, F401

# the insurer receivables page registers itself when imported
import shop_desk.ui.checkout.insurer_receivables  # noqa: E402, F401
