"""The small dialogs of the field-service desk: register a field job, quote the work outside
warranty, a reason (cancel, left the site without calling), a case of not following the
dispatch, and the odometer of a towed car. Each runs one service; a refusal stays inline
with the input (:class:`~shop_desk.ui.shell.widgets.FormDialog`)."""

from __future__ import annotations

import html
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QWidget,
)

from shop_desk import clock
from shop_desk.i18n import translate
from shop_desk.models import Customer, FieldJob, Staff, Vehicle
from shop_desk.services import field, penalties
from shop_desk.services.customers import vehicle_label, vehicles_of
from shop_desk.services.field_documents import kind_label
from shop_desk.ui.field.common import from_qdatetime, next_quarter, to_qdatetime
from shop_desk.ui.shell.vehicle_picker import CustomerVehicleDialog, customer_label
from shop_desk.ui.shell.widgets import FormDialog, decimal_edit, mark_invalid


def datetime_edit(parent: QWidget | None = None) -> QDateTimeEdit:
    edit = QDateTimeEdit(parent)
    edit.setDisplayFormat("yyyy-MM-dd HH:mm")
    edit.setCalendarPopup(True)
    return edit


def _text(edit: QPlainTextEdit) -> str:
    return edit.toPlainText()


def job_heading(job: FieldJob) -> QLabel:
    """The job a dialog is about, in bold, above its form."""
    label = QLabel(
        "<b>"
        + html.escape(f"{job.number} · {kind_label(job.kind)} · {job.place}")
        + "</b><br>"
        + html.escape(" ".join(job.description.split()))
    )
    label.setObjectName("jobHeading")
    label.setWordWrap(True)
    return label


class RegisterDialog(FormDialog):
    """Register a call that needs work outside the workshop: whose car, where, what, by
    when; it goes to the supervisor for dispatch within 24 hours."""

    registered = Signal(object)  # FieldJob

    def __init__(self, actor: Staff, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("FieldUi", "Register a field job"),
            parent,
            translate("FieldUi", "&Register"),
        )
        self.setObjectName("registerFieldJobDialog")
        self.actor = actor
        self.customer: Customer | None = None
        self.picker: CustomerVehicleDialog | None = None
        self.call_combo = self.add_row("call", translate("FieldUi", "From a call:"), QComboBox())
        self.call_combo.addItem(translate("FieldUi", "— not from the call log —"), None)
        self.calls = {c.id: c for c in field.recent_calls()}
        for call in self.calls.values():
            subject = " ".join(call.subject.split())
            self.call_combo.addItem(
                f"{call.received_at:%m-%d %H:%M} · {call.caller} {call.phone} · {subject}"[:90],
                call.id,
            )
        self.call_combo.setEnabled(bool(self.calls))
        self.call_combo.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.call_combo.setMinimumContentsLength(30)
        who = QWidget(self)
        row = QHBoxLayout(who)
        row.setContentsMargins(0, 0, 0, 0)
        self.customer_label = QLabel(who)
        self.customer_label.setObjectName("customerLabel")
        self.customer_label.setWordWrap(True)
        self.choose_button = QPushButton(translate("FieldUi", "&Choose…"), who)
        self.choose_button.setObjectName("chooseCustomerButton")
        self.choose_button.setAutoDefault(False)
        row.addWidget(self.customer_label, 1)
        row.addWidget(self.choose_button)
        self.form.addRow(translate("FieldUi", "Customer:"), who)
        self.fields["customer"] = self.choose_button
        self.vehicle_combo = self.add_row("vehicle", translate("FieldUi", "Vehicle:"), QComboBox())
        self.kind_combo = self.add_row("kind", translate("FieldUi", "Kind of job:"), QComboBox())
        for code in field.KINDS:
            self.kind_combo.addItem(kind_label(code), code)
        self.place_edit = self.add_row("place", translate("FieldUi", "Place:"), QLineEdit())
        self.place_edit.setPlaceholderText(
            translate("FieldUi", "Where to go: road and km, depot address, …")
        )
        self.description_edit = self.add_row(
            "description", translate("FieldUi", "What the customer needs:"), QPlainTextEdit()
        )
        self.description_edit.setTabChangesFocus(True)
        self.description_edit.setFixedHeight(90)
        self.required_edit = self.add_row(
            "required_arrival_at",
            translate("FieldUi", "Customer's required arrival time:"),
            datetime_edit(),
        )
        self.required_edit.setDateTime(to_qdatetime(next_quarter(clock.now(), 2)))
        self.warranty_box = self.add_row(
            "within_warranty",
            "",
            QCheckBox(translate("FieldUi", "Within warranty (the work is free)")),
        )
        self.choose_button.clicked.connect(self.choose_customer)
        self.call_combo.currentIndexChanged.connect(self._call_chosen)
        self._show_customer(None, None)
        self.resize(620, self.sizeHint().height())

    # -- customer and car -------------------------------------------------------------------
    def choose_call(self, call_id: int) -> bool:
        """Register the job from this call of the call log (its customer and words taken)."""
        index = self.call_combo.findData(call_id)
        if index >= 0:
            self.call_combo.setCurrentIndex(index)
        return index >= 0

    def _call_chosen(self) -> None:
        call = self.calls.get(self.call_combo.currentData())
        if call is None:
            return
        if call.customer_id is not None and (
            self.customer is None or self.customer.id != call.customer_id
        ):
            self.set_customer(call.customer)
        if not self.description_edit.toPlainText().strip():
            self.description_edit.setPlainText(call.subject)

    def choose_customer(self) -> CustomerVehicleDialog:
        """The shared find-or-register dialog (window-modal, not blocking)."""
        vehicle_id = self.vehicle_combo.currentData()
        self.picker = CustomerVehicleDialog(
            self.actor, self, customer=self.customer, vehicle=vehicle_id
        )
        self.picker.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.picker.accepted.connect(self._picked)
        self.picker.open()
        return self.picker

    def _picked(self) -> None:
        picker = self.picker
        if picker is not None:
            self.set_customer(picker.result_customer(), picker.result_vehicle())

    def set_customer(self, customer: Customer | None, vehicle: Vehicle | None = None) -> None:
        self.customer = customer
        mark_invalid(self.choose_button, False)
        self._show_customer(customer, vehicle)
        self.place_edit.setFocus()

    def _show_customer(self, customer: Customer | None, vehicle: Vehicle | None) -> None:
        self.customer_label.setText(
            html.escape(customer_label(customer))
            if customer is not None
            else "<i>" + html.escape(translate("FieldUi", "No customer chosen yet.")) + "</i>"
        )
        self.vehicle_combo.clear()
        self.vehicle_combo.addItem(translate("FieldUi", "— no particular vehicle —"), None)
        if customer is not None:
            for v in vehicles_of(customer):
                self.vehicle_combo.addItem(vehicle_label(v), v.id)
        if vehicle is not None:
            if self.vehicle_combo.findData(vehicle.id) < 0:
                self.vehicle_combo.addItem(vehicle_label(vehicle), vehicle.id)
            self.vehicle_combo.setCurrentIndex(self.vehicle_combo.findData(vehicle.id))

    # -- saving -----------------------------------------------------------------------------
    def submit(self) -> FieldJob:
        job = field.register_field_job(
            self.actor,
            self.customer.id if self.customer is not None else None,
            self.place_edit.text(),
            _text(self.description_edit),
            from_qdatetime(self.required_edit.dateTime()),
            kind=self.kind_combo.currentData(),
            vehicle=self.vehicle_combo.currentData(),
            within_warranty=self.warranty_box.isChecked(),
            call=self.call_combo.currentData(),
        )
        self.registered.emit(job)
        return job


def _amount(edit: QLineEdit) -> Decimal | str:
    text = edit.text().strip()
    try:
        return Decimal(text) if text else Decimal("0")
    except InvalidOperation:
        return text


class QuoteDialog(FormDialog):
    """Outside warranty the work is quoted first (parts, labour, travel); the customer
    agrees before work starts."""

    def __init__(self, actor: Staff, job: FieldJob, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("FieldUi", "Quote field job {number}").format(number=job.number),
            parent,
            translate("FieldUi", "Save &quote"),
        )
        self.setObjectName("quoteDialog")
        self.actor, self.job = actor, job
        self.form.addRow(job_heading(job))
        self.parts_edit = self.add_row("parts", translate("FieldUi", "Parts (¥):"), decimal_edit())
        self.labour_edit = self.add_row(
            "labour", translate("FieldUi", "Labour (¥):"), decimal_edit()
        )
        self.travel_edit = self.add_row(
            "travel", translate("FieldUi", "Travel (¥):"), decimal_edit()
        )
        for edit, value in (
            (self.parts_edit, job.quote_parts),
            (self.labour_edit, job.quote_labour),
            (self.travel_edit, job.quote_travel),
        ):
            edit.setText(f"{value:.2f}" if value is not None else "")
            edit.textChanged.connect(self._total)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("totalLabel")
        self.form.addRow(translate("FieldUi", "Total:"), self.total_label)
        note = QLabel(
            translate(
                "FieldUi",
                "The customer agrees to the quote before work starts; a new quote needs "
                "their agreement again.",
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color:#5f6670;")
        self.form.addRow(note)
        self._total()
        self.resize(480, self.sizeHint().height())
        self.parts_edit.setFocus()

    def _total(self) -> None:
        values = [_amount(e) for e in (self.parts_edit, self.labour_edit, self.travel_edit)]
        total = sum((v for v in values if isinstance(v, Decimal)), Decimal("0"))
        self.total_label.setText(f"¥{total:,.2f}")

    def submit(self) -> FieldJob:
        return field.record_quote(
            self.actor,
            self.job.id,
            _amount(self.parts_edit),
            _amount(self.labour_edit),
            _amount(self.travel_edit),
        )


class ReasonDialog(FormDialog):
    """One job, one reason, one service: cancelling a call or recording that the crew left
    the site without calling the service centre."""

    def __init__(
        self,
        job: FieldJob,
        title: str,
        label: str,
        ok_text: str,
        run: Callable[[str], Any],
        field_name: str,
        note: str = "",
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(title, parent, ok_text)
        self.setObjectName("reasonDialog")
        self.job, self.run = job, run
        self.form.addRow(job_heading(job))
        if note:
            hint = QLabel(note)
            hint.setObjectName("noteLabel")
            hint.setWordWrap(True)
            hint.setStyleSheet("color:#7a4f00;")
            self.form.addRow(hint)
        self.reason_edit = self.add_row(field_name, label, QPlainTextEdit())
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(90)
        self.resize(520, self.sizeHint().height())
        self.reason_edit.setFocus()

    def submit(self) -> Any:
        return self.run(self.reason_edit.toPlainText())


class NotFollowingDialog(FormDialog):
    """A person who did not follow the dispatch (不服从统一指挥): a case in the penalty
    register, with what happened."""

    def __init__(
        self, actor: Staff, job: FieldJob, crew: list[Staff], parent: QWidget | None = None
    ) -> None:
        super().__init__(
            translate("FieldUi", "Did not follow the dispatch"),
            parent,
            translate("FieldUi", "&Record the case"),
        )
        self.setObjectName("notFollowingDialog")
        self.actor, self.job = actor, job
        self.form.addRow(job_heading(job))
        self.person_combo = self.add_row("person", translate("FieldUi", "Who:"), QComboBox())
        for person in crew:
            self.person_combo.addItem(person.name, person.id)
        self.reason_edit = self.add_row(
            "reason", translate("FieldUi", "What happened:"), QPlainTextEdit()
        )
        self.reason_edit.setTabChangesFocus(True)
        self.reason_edit.setFixedHeight(90)
        self.resize(520, self.sizeHint().height())
        self.reason_edit.setFocus()

    def submit(self) -> Any:
        return penalties.record_not_following_dispatch(
            self.actor, self.person_combo.currentData(), self.job.id, _text(self.reason_edit)
        )


class TowInDialog(FormDialog):
    """The towed car is received at reception: a repair order linked to the field job."""

    def __init__(self, actor: Staff, job: FieldJob, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("FieldUi", "Tow in field job {number}").format(number=job.number),
            parent,
            translate("FieldUi", "&Tow in and open the order"),
        )
        self.setObjectName("towInDialog")
        self.actor, self.job = actor, job
        self.form.addRow(job_heading(job))
        finding = QLabel(html.escape(job.work_done))
        finding.setWordWrap(True)
        self.form.addRow(translate("FieldUi", "What was found:"), finding)
        self.odometer_edit = self.add_row(
            "odometer_km", translate("FieldUi", "Odometer (km):"), QLineEdit()
        )
        self.odometer_edit.setPlaceholderText(translate("FieldUi", "as read on the car"))
        self.resize(520, self.sizeHint().height())
        self.odometer_edit.setFocus()

    def submit(self) -> Any:
        text = self.odometer_edit.text().strip()
        return field.tow_in(self.actor, self.job.id, odometer_km=text or None)
