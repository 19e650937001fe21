"""What the steps of the checkout desk share: the :class:`Step` base class, the
:class:`StepHost` protocol through which a step talks to the page, and small helpers.

The steps themselves (PROCESS.md §7–§8), one tab each on the checkout page, live in one module
each: :mod:`.check_step` (internal delivery check), :mod:`.notify_step` (notifying the
customer), :mod:`.delivery_step` (the delivery with the customer: work, recommended work, next
service, follow-up time), :mod:`.slip_step` (the settlement slip), :mod:`.payment_step`
(payments) and :mod:`.gate_step` (the gate pass). Each step shows what the record says, what
still blocks it and why; the services decide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Protocol

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk.i18n import translate
from shop_desk.models import JobLine, OrderEvent, Recommendation, RepairOrder, Settlement, Staff
from shop_desk.printing import labels
from shop_desk.services import workshop
from shop_desk.states import State
from shop_desk.ui.shell.models import RowTableModel
from shop_desk.ui.shell.uiload import load_form
from shop_desk.ui.shell.widgets import ErrorBanner, allowed


def when_text(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def setup_table(view: QTableView, model: RowTableModel, stretch: int = 0) -> None:
    view.setModel(model)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    view.setAlternatingRowColors(True)
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(view.fontMetrics().height() + 8)
    header = view.horizontalHeader()
    header.setHighlightSections(False)
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def clear_layout(layout) -> None:  # noqa: ANN001 - any QLayout
    while layout.count():
        item = layout.takeAt(0)
        if item.widget() is not None:
            item.widget().deleteLater()


def work_state_label(code: str) -> str:
    return {
        "pending": translate("CheckoutUi", "Not started"),
        "in_progress": translate("CheckoutUi", "In progress"),
        "paused": translate("CheckoutUi", "Paused"),
        "done": translate("CheckoutUi", "Done"),
    }.get(code, code)


def notify_method_label(code: str) -> str:
    return {
        "phone": translate("CheckoutUi", "Phone call"),
        "message": translate("CheckoutUi", "Message"),
        "in_person": translate("CheckoutUi", "In person"),
    }.get(code, code)


def auth_label(line: JobLine) -> str:
    return labels.line_status(line.origin, line.auth_state, workshop.decider(line)) or translate(
        "CheckoutUi", "Authorised"
    )


def signature_state(rec: Recommendation) -> str:
    if rec.signature_id is not None:
        return translate("CheckoutUi", "Signed on screen")
    if rec.signed_on_paper:
        return translate("CheckoutUi", "Signed on paper")
    if rec.safety and rec.state == "declined":
        return translate("CheckoutUi", "Missing: the customer must sign")
    return ""


def order_events(order: RepairOrder, kind: str) -> list[OrderEvent]:
    return list(
        OrderEvent.select()
        .where((OrderEvent.order == order) & (OrderEvent.kind == kind))
        .order_by(OrderEvent.at, OrderEvent.id)
    )


def active_settlement(order: RepairOrder) -> Settlement | None:
    return Settlement.get_or_none((Settlement.order == order) & (Settlement.state == "active"))


class StepHost(Protocol):
    """What a step may ask of the page that shows it: the checkout page's public methods.

    The page passes itself to its steps; a step never imports the page."""

    banner: ErrorBanner

    @property
    def actor(self) -> Staff: ...

    def run(self, fn: Callable[..., Any], *args: Any, done: str = "", **kw: Any) -> Any: ...

    def reload(self) -> None: ...

    def show_step(self, key: str) -> QWidget: ...

    def status(self, text: str) -> None: ...

    def print_document(self, kind: str, copy_mark: bool | None = None) -> QWidget | None: ...

    def open_gate(self, number: str | None = None) -> QWidget: ...


class Step(QWidget):
    """A tab of the checkout page: its form, the page's order and a way to run a service."""

    form_name = ""

    def __init__(self, page: StepHost) -> None:
        super().__init__()
        self.page = page
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 6, 0, 0)
        self.form = load_form(self.form_name, self)
        layout.addWidget(self.form, 1)
        self.order: RepairOrder | None = None

    @property
    def actor(self):  # noqa: ANN201 - Staff
        return self.page.actor

    def load(self, order: RepairOrder) -> None:
        self.order = order
        self.fill()

    def fill(self) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def state(self) -> State:
        assert self.order is not None
        return State(self.order.state)

    def may(self, button: QPushButton, operation: Any, possible: bool) -> None:
        """Enable ``button`` when the step is possible now and the roles allow it."""
        ok = allowed(self.actor, operation)
        button.setEnabled(possible and ok)
        button.setToolTip("" if ok else translate("CheckoutUi", "Your roles do not allow this."))

    def run(self, fn: Callable[..., Any], *args: Any, done: str = "", **kw: Any) -> Any:
        """Call a service; a refusal is shown above the steps and None returned."""
        return self.page.run(fn, *args, done=done, **kw)
