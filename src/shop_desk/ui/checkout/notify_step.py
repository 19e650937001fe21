"""Notifying the customer that the car is ready (phone, message or in person) and the pickup time.

A tab of the checkout page (PROCESS.md §7–§8); it talks to the page only through
:class:`~shop_desk.ui.checkout.step.StepHost`."""

from __future__ import annotations

import datetime as dt
import json

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import QComboBox, QDateTimeEdit, QLabel, QPushButton, QTableView

from shop_desk import clock
from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.services import checkout
from shop_desk.services.orders import settings
from shop_desk.states import State, state_label
from shop_desk.ui.checkout.step import (
    Step,
    StepHost,
    notify_method_label,
    order_events,
    setup_table,
    when_text,
)
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.uiload import child
from shop_desk.ui.shell.widgets import app_settings


class NotifyStep(Step):
    """Notify the customer (通知顾客) and agree the pickup time; warns about peak hours."""

    form_name = "checkout_notify"

    def __init__(self, page: StepHost) -> None:
        super().__init__(page)
        self.customer_label = child(self.form, QLabel, "customerLabel")
        self.method_combo = child(self.form, QComboBox, "methodCombo")
        self.pickup_edit = child(self.form, QDateTimeEdit, "pickupEdit")
        self.peak_label = child(self.form, QLabel, "peakLabel")
        self.block_label = child(self.form, QLabel, "blockLabel")
        self.record_button = child(self.form, QPushButton, "recordButton")
        self.history_view = child(self.form, QTableView, "historyTable")
        for code in checkout.NOTIFY_METHODS:
            self.method_combo.addItem(notify_method_label(code), code)
        last = app_settings().value("checkout/notify_method", "phone", str)
        self.method_combo.setCurrentIndex(max(0, self.method_combo.findData(last)))
        self.history = RowTableModel(
            [
                Column(lambda: translate("CheckoutUi", "When"), lambda r: r["at"]),
                Column(
                    lambda: translate("CheckoutUi", "How"),
                    lambda r: notify_method_label(r["method"]),
                ),
                Column(lambda: translate("CheckoutUi", "Pickup time"), lambda r: r["pickup_at"]),
                Column(lambda: translate("CheckoutUi", "By"), lambda r: r["by"]),
                Column(lambda: translate("CheckoutUi", "Warning"), lambda r: r["warning"]),
            ],
            self,
        )
        setup_table(self.history_view, self.history, 4)
        self.pickup_edit.dateTimeChanged.connect(lambda _v: self._update_peak())
        self.record_button.clicked.connect(self.record)
        self._loaded_for: int | None = None

    def fill(self) -> None:
        order = self.order
        customer = order.customer
        phones = " / ".join(p for p in (customer.phone, customer.phone2) if p)
        self.customer_label.setText(f"{customer.name}  {phones}".strip())
        now = clock.now()
        if self._loaded_for != order.id:
            self._loaded_for = order.id
            if order.pickup_at and order.pickup_at > now:
                start = order.pickup_at
            else:
                start = now + dt.timedelta(minutes=30)
                start = start.replace(second=0, microsecond=0)
                start += dt.timedelta(minutes=(15 - start.minute % 15) % 15)
            self.pickup_edit.setDateTime(QDateTime(start))
        self.pickup_edit.setMinimumDateTime(QDateTime(now.replace(second=0, microsecond=0)))
        rows = []
        for event in order_events(order, "notify"):
            data = json.loads(event.data or "{}")
            rows.append(
                {
                    "at": event.at,
                    "method": data.get("method", ""),
                    "pickup_at": (data.get("pickup_at") or "").replace("T", " ")[:16],
                    "by": event.by.name if event.by_id else "",
                    "warning": data.get("warning", ""),
                }
            )
        self.history.set_rows(rows)
        ready = self.state() == State.READY
        checked = checkout.delivery_check_done(order)
        if not ready:
            self.block_label.setText(
                translate("CheckoutUi", "The car was handed over already ({state}).").format(
                    state=state_label(order.state)
                )
            )
        elif not checked:
            self.block_label.setText(
                translate(
                    "CheckoutUi", "Do the internal delivery check first, then call the customer."
                )
            )
        else:
            self.block_label.setText("")
        self.may(self.record_button, checkout.notify_customer, ready and checked)
        self.method_combo.setEnabled(ready)
        self.pickup_edit.setEnabled(ready)
        self._update_peak()

    def pickup(self) -> dt.datetime:
        return self.pickup_edit.dateTime().toPython().replace(second=0, microsecond=0)

    def _update_peak(self) -> None:
        if self.order is None:
            return
        major = checkout.is_major_repair(self.order)
        hours = settings().peak_hours
        if major and checkout.in_peak_hours(self.pickup()):
            self.peak_label.setText(
                "⚠ "
                + translate(
                    "CheckoutUi",
                    "A major repair or accident car at peak hours ({hours}): agree another time.",
                ).format(hours=hours)
            )
            self.peak_label.setStyleSheet("color:#b35c00; font-weight:bold;")
        elif major:
            self.peak_label.setText(
                translate(
                    "CheckoutUi",
                    "Major repair or accident car: hand it over outside the peak hours ({hours}).",
                ).format(hours=hours)
            )
            self.peak_label.setStyleSheet("color:#555;")
        else:
            self.peak_label.setText("")

    def record(self) -> None:
        method = self.method_combo.currentData()
        app_settings().setValue("checkout/notify_method", method)
        try:
            warning = checkout.notify_customer(self.actor, self.order, method, self.pickup())
        except DomainError as exc:
            self.page.banner.show_error(str(exc))
            return
        self.page.reload()
        text = translate("CheckoutUi", "Notice recorded: pickup at {when}.").format(
            when=when_text(self.pickup())
        )
        if warning:
            self.page.banner.show_error(f"{text} {warning}")
        else:
            self.page.banner.show_info(text)
            self.page.show_step("delivery")
        self.page.status(text)
