"""Complaints & calls area: complaint cases (投诉) from record through investigation, measures,
feedback to the customer and follow-up after the fact to closed, each step dated and signed;
and the call log (来电登记) where every customer call waits for its answer within 24 hours and
an overdue one stands out in red.

Changes go through :mod:`shop_desk.services.aftercare` only.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import peewee
from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import DomainError
from shop_desk.i18n import join_list, translate
from shop_desk.models import CallLog, Complaint, Customer, RepairOrder, Staff, Vehicle
from shop_desk.services import aftercare, penalties
from shop_desk.services.customers import vehicle_label
from shop_desk.services.reports import cause_label
from shop_desk.ui.aftercare.common import (
    GREY,
    RED,
    ColouredModel,
    CustomerFinder,
    FormHostDialog,
    channel_label,
    combo_data,
    complaint_state_label,
    customer_text,
    fit_columns,
    hours_text,
    plate_text,
    select_where,
    selected_row,
    setup_table,
    step_title,
    when,
)
from shop_desk.ui.aftercare.complaint_outcome import ComplaintOutcomeDialog, may_record_outcome
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog, allowed, app_settings, ask

if TYPE_CHECKING:
    from shop_desk.ui.aftercare.complaint_outcome import ComplaintOutcomeDialog, may_record_outcome
from shop_desk.ui.shell.main_window import MainWindow

# --------------------------------------------------------------------------- read models


def complaint_row(c: Complaint) -> dict[str, Any]:
    return {
        "id": c.id,
        "number": c.number,
        "opened_at": c.opened_at,
        "channel": channel_label(c.channel),
        "customer": c.customer.name,
        "vehicle": plate_text(c.vehicle) if c.vehicle_id else "",
        "order": c.order.number if c.order_id else "",
        "cause": cause_label(c.cause),
        "staff": c.staff_concerned.name if c.staff_concerned_id else "",
        "state": c.state,
        "state_text": complaint_state_label(c.state),
    }


def complaint_rows(include_closed: bool) -> list[dict[str, Any]]:
    """The complaint list, each case with its customer, car, order and staff (one query)."""
    staff = Staff.alias()
    query = (
        Complaint.select(Complaint, Customer, Vehicle, RepairOrder, staff)
        .join(Customer)
        .switch(Complaint)
        .join(Vehicle, peewee.JOIN.LEFT_OUTER)
        .switch(Complaint)
        .join(RepairOrder, peewee.JOIN.LEFT_OUTER)
        .switch(Complaint)
        .join(staff, peewee.JOIN.LEFT_OUTER, on=(Complaint.staff_concerned == staff.id))
        .order_by(Complaint.opened_at.desc(), Complaint.id.desc())
    )
    if not include_closed:
        query = query.where(Complaint.state != "closed")
    return [complaint_row(c) for c in query]


def steps_of(complaint: Complaint) -> list[dict[str, Any]]:
    try:
        steps = json.loads(complaint.steps or "[]")
    except ValueError:
        return []
    rows = []
    for s in steps:
        try:
            at = dt.datetime.fromisoformat(s.get("at", ""))
        except ValueError:
            at = None
        rows.append(
            {
                "step": step_title(s.get("step", "")),
                "at": at,
                "by": s.get("by", ""),
                "text": s.get("text", ""),
            }
        )
    return rows


def next_steps(state: str) -> list[str]:
    """The steps the case may record now: further notes on the current one, or the next."""
    order = ("open", *aftercare.COMPLAINT_STEPS)
    if state == "closed" or state not in (
        "open",
        "investigating",
        "measures",
        "feedback",
        "follow_up",
    ):
        return []
    current = {"open": 0, "investigating": 1, "measures": 2, "feedback": 3, "follow_up": 4}[state]
    out = []
    if current + 1 < len(order):
        out.append(order[current + 1])
    if current >= 1:
        out.append(order[current])
    return out


def call_row(c: CallLog, now: dt.datetime) -> dict[str, Any]:
    answered = c.answered_at is not None
    overdue = not answered and c.answer_due_at < now
    if answered:
        status = translate("AftercareUi", "Answered {when} by {name}").format(
            when=when(c.answered_at), name=c.answered_by.name if c.answered_by_id else ""
        )
    elif overdue:
        status = translate("AftercareUi", "Overdue by {time}").format(
            time=hours_text(now - c.answer_due_at)
        )
    else:
        status = translate("AftercareUi", "Answer within {time}").format(
            time=hours_text(c.answer_due_at - now)
        )
    return {
        "id": c.id,
        "call": c,
        "received": c.received_at,
        "due": c.answer_due_at,
        "caller": c.caller,
        "phone": c.phone,
        "customer": c.customer.name if c.customer_id else "",
        "order": c.order.number if c.order_id else "",
        "subject": " ".join(c.subject.split()),
        "urgent": c.urgent,
        "answered": answered,
        "answer": c.answer,
        "overdue": overdue,
        "status": status,
    }


def call_rows(include_answered: bool) -> list[dict[str, Any]]:
    now = clock.now()
    calls = aftercare.open_calls()
    if include_answered:
        since = now - dt.timedelta(days=30)
        calls += list(
            CallLog.select()
            .where(CallLog.answered_at.is_null(False) & (CallLog.received_at >= since))
            .order_by(CallLog.answered_at.desc())
        )
    return [call_row(c, now) for c in calls]


def _call_colour(row: dict[str, Any]) -> tuple[str | None, str | None] | None:
    if row["answered"]:
        return GREY
    if row["overdue"]:
        return RED
    return None


def _staff_choices() -> list[Staff]:
    return list(Staff.select().where(Staff.active == True).order_by(Staff.name))  # noqa: E712


# --------------------------------------------------------------------------- dialogs


class ComplaintDialog(FormHostDialog):
    """Record a complaint that came by phone, letter or visit (draft kept until saved)."""

    saved = Signal(object)  # Complaint

    def __init__(self, actor: Staff, parent: QWidget | None = None) -> None:
        super().__init__(
            "aftercare_complaint",
            translate("AftercareUi", "New complaint"),
            translate("AftercareUi", "&Record complaint"),
            parent,
        )
        self.setObjectName("complaintDialog")
        self.actor = actor
        f = self.form
        self.finder = CustomerFinder(self, required=True)
        child(f, QWidget, "finderHost").layout().addWidget(self.finder)
        self.channel_combo = child(f, QComboBox, "channelCombo")
        self.cause_combo = child(f, QComboBox, "causeCombo")
        self.staff_combo = child(f, QComboBox, "staffCombo")
        self.description_edit = child(f, QPlainTextEdit, "descriptionEdit")
        for code in aftercare.CHANNELS:
            self.channel_combo.addItem(channel_label(code), code)
        for code in aftercare.CAUSES:
            self.cause_combo.addItem(cause_label(code), code)
        combo_data(self.cause_combo, "other")
        self.staff_combo.addItem(translate("AftercareUi", "— none —"), None)
        for person in _staff_choices():
            self.staff_combo.addItem(person.name, person.id)
        self.fields = {
            "channel": self.channel_combo,
            "cause": self.cause_combo,
            "description": self.description_edit,
            "customer": self.finder.search_edit,
            "order": self.finder.order_combo,
        }
        for signal in (
            self.channel_combo.currentIndexChanged,
            self.cause_combo.currentIndexChanged,
            self.staff_combo.currentIndexChanged,
            self.description_edit.textChanged,
            self.finder.changed,
        ):
            signal.connect(self.draft_bar.changed)
        self.draft_bar.attach(
            "complaint_new",
            translate("AftercareUi", "New complaint"),
            self.values,
            self.apply_values,
        )
        # a comeback (the same problem repaired twice) is recorded against the first repair
        self.comeback_row = QWidget(self)
        row = QHBoxLayout(self.comeback_row)
        row.setContentsMargins(0, 0, 0, 0)
        self.comeback_label = QLabel(self.comeback_row)
        self.comeback_label.setWordWrap(True)
        self.comeback_label.setStyleSheet("color:#7a4f00;")
        self.comeback_button = QPushButton(
            translate("AftercareUi", "Record as a co&meback"), self.comeback_row
        )
        self.comeback_button.setObjectName("comebackButton")
        self.comeback_button.setAutoDefault(False)
        row.addWidget(self.comeback_label, 1)
        row.addWidget(self.comeback_button)
        self.finder.layout().addRow(self.comeback_row)
        self.comeback_button.clicked.connect(self.record_comeback)
        self.finder.changed.connect(self._show_comeback)
        self._show_comeback()
        self.setTabOrder(self.finder.search_edit, self.finder.vehicle_combo)
        self.setTabOrder(self.finder.vehicle_combo, self.finder.order_combo)
        self.setTabOrder(self.finder.order_combo, self.channel_combo)
        self.resize(640, self.sizeHint().height())
        self.finder.search_edit.setFocus()

    def _comeback_order(self) -> RepairOrder | None:
        order_id = self.finder.order_id()
        order = RepairOrder.get_or_none(RepairOrder.id == order_id) if order_id else None
        return order if order is not None and order.is_comeback else None

    def _show_comeback(self) -> None:
        order = self._comeback_order()
        self.comeback_row.setVisible(order is not None)
        if order is not None:
            first = order.comeback_of
            self.comeback_label.setText(
                translate(
                    "AftercareUi",
                    "Order {number} is a comeback of order {original}: the same problem "
                    "repaired twice.",
                ).format(number=order.number, original=first.number if first else "?")
            )

    def record_comeback(self) -> Complaint | None:
        """The comeback complaint against the first repair (or the order's open case marked
        as one)."""
        order = self._comeback_order()
        if order is None:
            return None
        self.error.clear_message()
        try:
            case = aftercare.complaint_for_comeback(self.actor, order.id)
        except DomainError as exc:
            self.refused(exc)
            return None
        self.result_value = case
        self.draft_bar.discard()
        self.saved.emit(case)
        self.accept()
        return case

    def values(self) -> dict[str, Any]:
        return {
            **self.finder.state(),
            "channel": self.channel_combo.currentData(),
            "cause": self.cause_combo.currentData(),
            "staff_id": self.staff_combo.currentData(),
            "description": self.description_edit.toPlainText(),
        }

    def apply_values(self, data: dict[str, Any]) -> None:
        self.finder.restore(data)
        combo_data(self.channel_combo, data.get("channel"))
        combo_data(self.cause_combo, data.get("cause"))
        combo_data(self.staff_combo, data.get("staff_id"))
        self.description_edit.setPlainText(str(data.get("description") or ""))

    def submit(self) -> Complaint | None:
        if self.finder.customer_id() is None:
            self.error.show_error(
                translate("AftercareUi", "Find the customer first (name, phone, plate or order).")
            )
            self.finder.search_edit.setFocus()
            return None
        case = aftercare.open_complaint(
            self.actor,
            self.channel_combo.currentData(),
            self.finder.customer_id(),
            self.description_edit.toPlainText(),
            self.cause_combo.currentData(),
            vehicle=self.finder.vehicle_id(),
            order=self.finder.order_id(),
            staff_concerned=self.staff_combo.currentData(),
        )
        self.saved.emit(case)
        return case

    def reject(self) -> None:
        self.draft_bar.flush()
        super().reject()


class CallDialog(FormHostDialog):
    """Log a customer call: who, what, which order; answered within 24 hours."""

    saved = Signal(object)  # CallLog

    def __init__(self, actor: Staff, parent: QWidget | None = None) -> None:
        super().__init__(
            "aftercare_call",
            translate("AftercareUi", "Log a call"),
            translate("AftercareUi", "&Log call"),
            parent,
        )
        self.setObjectName("callDialog")
        self.actor = actor
        f = self.form
        self.caller_edit = child(f, QLineEdit, "callerEdit")
        self.phone_edit = child(f, QLineEdit, "phoneEdit")
        self.subject_edit = child(f, QPlainTextEdit, "subjectEdit")
        self.urgent_box = child(f, QCheckBox, "urgentBox")
        self.finder = CustomerFinder(self)
        child(f, QWidget, "finderHost").layout().addWidget(self.finder)
        self.fields = {
            "caller": self.caller_edit,
            "phone": self.phone_edit,
            "subject": self.subject_edit,
        }
        self.finder.changed.connect(self._customer_changed)
        self.setTabOrder(self.urgent_box, self.finder.search_edit)
        self.resize(620, self.sizeHint().height())
        self.caller_edit.setFocus()

    def _customer_changed(self) -> None:
        customer = self.finder.customer
        if customer is None:
            return
        if not self.caller_edit.text().strip():
            self.caller_edit.setText(customer.name)
        if not self.phone_edit.text().strip():
            self.phone_edit.setText(customer.phone or "")

    def submit(self) -> CallLog:
        call = aftercare.log_call(
            self.actor,
            self.caller_edit.text(),
            self.phone_edit.text(),
            self.subject_edit.toPlainText(),
            customer=self.finder.customer_id(),
            order=self.finder.order_id(),
            urgent=self.urgent_box.isChecked(),
        )
        self.saved.emit(call)
        return call


class AnswerDialog(FormDialog):
    """Record the answer given to a caller."""

    def __init__(self, actor: Staff, call: CallLog, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("AftercareUi", "Answer the call of {caller}").format(caller=call.caller),
            parent,
            translate("AftercareUi", "&Save answer"),
        )
        self.setObjectName("answerDialog")
        self.actor, self.call = actor, call
        question = QLabel(
            "<b>"
            + html.escape(f"{when(call.received_at)} · {call.caller} {call.phone}".strip())
            + "</b><br>"
            + html.escape(call.subject)
        )
        question.setWordWrap(True)
        self.form.addRow(question)
        self.answer_edit = self.add_row(
            "answer", translate("AftercareUi", "Answer given:"), QPlainTextEdit()
        )
        self.answer_edit.setTabChangesFocus(True)
        self.answer_edit.setFocus()
        self.resize(520, self.sizeHint().height())

    def submit(self) -> CallLog:
        return aftercare.answer_call(self.actor, self.call.id, self.answer_edit.toPlainText())


# --------------------------------------------------------------------------- the page


class ComplaintsPage(QWidget):
    """Complaint cases with their steps, and the call log, as two tabs."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("complaintsPage")
        self.window_ = window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = load_form("aftercare_complaints", self)
        layout.addWidget(self.form)
        f = self.form
        self.tabs = child(f, QTabWidget, "tabs")
        self.splitter = child(f, QSplitter, "complaintsSplitter")
        self.filter_edit = child(f, QLineEdit, "filterEdit")
        self.show_closed_box = child(f, QCheckBox, "showClosedBox")
        self.count_label = child(f, QLabel, "countLabel")
        self.new_button = child(f, QPushButton, "newButton")
        self.table = child(f, QTableView, "complaintTable")
        self.heading = child(f, QLabel, "headingLabel")
        self.empty_label = child(f, QLabel, "emptyLabel")
        self.facts = child(f, QWidget, "factsPanel")
        self.values = {
            key: child(f, QLabel, f"{key}Value")
            for key in (
                "channel",
                "customer",
                "vehicle",
                "order",
                "cause",
                "staff",
                "opened",
                "description",
            )
        }
        self.steps_title = child(f, QLabel, "stepsTitle")
        self.steps_table = child(f, QTableView, "stepsTable")
        self.next_group = child(f, QWidget, "nextGroup")
        self.step_combo = child(f, QComboBox, "stepCombo")
        self.step_edit = child(f, QPlainTextEdit, "stepEdit")
        self.save_step_button = child(f, QPushButton, "saveStepButton")
        self.close_button = child(f, QPushButton, "closeCaseButton")
        self.order_button = child(f, QPushButton, "orderButton")
        self.outcome_button = QPushButton(
            translate("AftercareUi", "&Outcome for the staff member…"), self.order_button.parent()
        )
        self.outcome_button.setObjectName("outcomeButton")
        self.order_button.parent().layout().addWidget(self.outcome_button)
        self.call_filter = child(f, QLineEdit, "callFilterEdit")
        self.show_answered_box = child(f, QCheckBox, "showAnsweredBox")
        self.call_count = child(f, QLabel, "callCountLabel")
        self.log_call_button = child(f, QPushButton, "logCallButton")
        self.answer_button = child(f, QPushButton, "answerButton")
        self.call_table = child(f, QTableView, "callTable")
        self.call_detail = child(f, QLabel, "callDetailLabel")

        detail = child(f, QWidget, "detailPanel")
        self.banner = ErrorBanner(detail)
        self.banner.setObjectName("complaintBanner")
        detail.layout().insertWidget(1, self.banner)
        self._build_comeback_bar()
        self.call_banner = ErrorBanner(self)
        self.call_banner.setObjectName("callBanner")
        child(f, QWidget, "callsTab").layout().insertWidget(1, self.call_banner)

        self.model = ColouredModel(
            [
                Column(lambda: translate("AftercareUi", "Number"), lambda r: r["number"]),
                Column(lambda: translate("AftercareUi", "Recorded"), lambda r: r["opened_at"]),
                Column(lambda: translate("AftercareUi", "Customer"), lambda r: r["customer"]),
                Column(lambda: translate("AftercareUi", "Plate"), lambda r: r["vehicle"]),
                Column(lambda: translate("AftercareUi", "Cause"), lambda r: r["cause"]),
                Column(lambda: translate("AftercareUi", "State"), lambda r: r["state_text"]),
                Column(lambda: translate("AftercareUi", "Channel"), lambda r: r["channel"]),
                Column(lambda: translate("AftercareUi", "Order"), lambda r: r["order"]),
                Column(lambda: translate("AftercareUi", "Staff concerned"), lambda r: r["staff"]),
            ],
            self,
            lambda r: GREY if r["state"] == "closed" else None,
        )
        self.proxy = setup_table(
            self.table, self.model, stretch=None, sort_column=1, order=Qt.SortOrder.DescendingOrder
        )
        self.steps_model = RowTableModel(
            [
                Column(lambda: translate("AftercareUi", "Step"), lambda r: r["step"]),
                Column(lambda: translate("AftercareUi", "Date"), lambda r: r["at"]),
                Column(lambda: translate("AftercareUi", "By"), lambda r: r["by"]),
                Column(lambda: translate("AftercareUi", "What was done"), lambda r: r["text"]),
            ],
            self,
        )
        setup_table(self.steps_table, self.steps_model, stretch=3, sort_column=None)
        self.steps_table.setWordWrap(True)

        self.call_model = ColouredModel(
            [
                Column(lambda: translate("AftercareUi", "Received"), lambda r: r["received"]),
                Column(lambda: translate("AftercareUi", "Answer by"), lambda r: r["due"]),
                Column(lambda: translate("AftercareUi", "Status"), lambda r: r["status"]),
                Column(lambda: translate("AftercareUi", "Caller"), lambda r: r["caller"]),
                Column(lambda: translate("AftercareUi", "Phone"), lambda r: r["phone"]),
                Column(lambda: translate("AftercareUi", "Order"), lambda r: r["order"]),
                Column(
                    lambda: translate("AftercareUi", "Urgent"),
                    lambda r: r["urgent"],
                    display=lambda v: translate("AftercareUi", "Urgent") if v else "",
                ),
                Column(lambda: translate("AftercareUi", "Subject"), lambda r: r["subject"]),
            ],
            self,
            _call_colour,
        )
        self.call_proxy = setup_table(self.call_table, self.call_model, stretch=7, sort_column=None)

        settings_ = app_settings()
        self.show_closed_box.setChecked(settings_.value("complaints/closed", False, bool))
        self.show_answered_box.setChecked(settings_.value("complaints/answered", False, bool))
        state = settings_.value("complaints/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([560, 600])
        self.splitter.splitterMoved.connect(
            lambda *_: app_settings().setValue("complaints/splitter", self.splitter.saveState())
        )
        self.tabs.setCurrentIndex(1 if settings_.value("complaints/tab", 0, int) == 1 else 0)

        self.can_open = allowed(window.staff, aftercare.open_complaint)
        self.can_progress = allowed(window.staff, aftercare.progress_complaint)
        self.can_close = allowed(window.staff, aftercare.close_complaint)
        self.can_log = allowed(window.staff, aftercare.log_call)
        self.can_answer = allowed(window.staff, aftercare.answer_call)
        self.new_button.setEnabled(self.can_open)
        self.log_call_button.setEnabled(self.can_log)

        self.filter_edit.textChanged.connect(self._filter)
        self.show_closed_box.toggled.connect(self._closed_toggled)
        self.new_button.clicked.connect(lambda: self.new_complaint())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.save_step_button.clicked.connect(lambda: self.save_step())
        self.close_button.clicked.connect(lambda: self.close_case())
        self.order_button.clicked.connect(self._show_order)
        self.outcome_button.clicked.connect(self.record_outcome)
        self.outcome_button.setVisible(allowed(window.staff, penalties.record_complaint_outcome))
        self.call_filter.textChanged.connect(self._call_filter)
        self.show_answered_box.toggled.connect(self._answered_toggled)
        self.log_call_button.clicked.connect(lambda: self.log_call())
        self.answer_button.clicked.connect(lambda: self.answer())
        self.call_table.selectionModel().currentRowChanged.connect(lambda *_: self._call_selected())
        self.call_table.activated.connect(lambda _i: self.answer())
        self.tabs.currentChanged.connect(lambda i: app_settings().setValue("complaints/tab", i))
        self.complaint: Complaint | None = None
        self.dialog: QWidget | None = None
        # calls become overdue as time passes: re-read every minute
        self.tick = QTimer(self)
        self.tick.setInterval(60_000)
        self.tick.timeout.connect(self._tick)
        self.tick.start()
        self.refresh()

    @property
    def actor(self) -> Staff:
        return self.window_.staff

    def _build_comeback_bar(self) -> None:
        """Comebacks the services flagged that have no complaint case yet, with one button."""
        self.comeback_bar = QWidget(self)
        self.comeback_bar.setObjectName("comebackBar")
        self.comeback_bar.setStyleSheet(
            "QWidget#comebackBar { background:#fff8e1; border:1px solid #f0c36d; "
            "border-radius:4px; }"
        )
        row = QHBoxLayout(self.comeback_bar)
        row.setContentsMargins(8, 4, 8, 4)
        self.comeback_label = QLabel(self.comeback_bar)
        self.comeback_label.setObjectName("comebackLabel")
        self.comeback_label.setWordWrap(True)
        self.comebacks_button = QPushButton(
            translate("AftercareUi", "Open the &comeback cases"), self.comeback_bar
        )
        self.comebacks_button.setObjectName("comebacksButton")
        self.comebacks_button.setAutoDefault(False)
        row.addWidget(self.comeback_label, 1)
        row.addWidget(self.comebacks_button)
        child(self.form, QWidget, "complaintsTab").layout().insertWidget(1, self.comeback_bar)
        self.comebacks_button.clicked.connect(lambda: self.open_comebacks())
        self.comeback_bar.hide()

    def _show_comebacks(self) -> None:
        orders = aftercare.comebacks_without_complaint()
        self.comeback_bar.setVisible(bool(orders))
        if not orders:
            return
        numbers = join_list(o.number for o in orders[:8]) + (" …" if len(orders) > 8 else "")
        self.comeback_label.setText(
            translate(
                "AftercareUi",
                "{n} comebacks (the same problem repaired twice) have no complaint case yet: "
                "{orders}.",
            ).format(n=len(orders), orders=numbers)
        )
        self.comebacks_button.setEnabled(allowed(self.actor, aftercare.open_comeback_complaints))

    def open_comebacks(self) -> list[Complaint]:
        """Open (or link) the complaint case of every flagged comeback and show the first."""
        try:
            cases = aftercare.open_comeback_complaints(self.actor)
        except DomainError as exc:
            self.banner.show_error(str(exc))
            return []
        self.refresh_complaints()
        if cases:
            self.open_complaint(cases[0].id)
            text = translate("AftercareUi", "Comeback cases: {numbers}.").format(
                numbers=join_list(c.number for c in cases)
            )
            self.banner.show_info(text)
            self.window_.show_status(text)
        return cases

    def refresh(self) -> None:
        self.refresh_complaints()
        self.refresh_calls()

    # -- complaints ----------------------------------------------------------------------------
    def refresh_complaints(self) -> None:
        current = self.complaint.id if self.complaint is not None else None
        self._show_comebacks()
        self.model.set_rows(complaint_rows(self.show_closed_box.isChecked()))
        fit_columns(self.table, 240)
        if current is None or not self.select(current):
            self.complaint = None
            self._show_selected()
        self._complaint_count()

    def _complaint_count(self) -> None:
        self.count_label.setText(
            translate("AftercareUi", "{n} cases").format(n=self.proxy.rowCount())
        )

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._complaint_count()

    def _closed_toggled(self, on: bool) -> None:
        app_settings().setValue("complaints/closed", on)
        self.refresh_complaints()

    def select(self, complaint_id: int) -> bool:
        return select_where(self.table, lambda r: r["id"] == complaint_id)

    def open_complaint(self, complaint_id: int) -> Complaint | None:
        """Show the case ``complaint_id`` (switching on closed cases if needed)."""
        self.tabs.setCurrentIndex(0)
        self.filter_edit.clear()
        if not self.select(complaint_id):
            self.show_closed_box.setChecked(True)
            self.select(complaint_id)
        return self.complaint

    def _show_selected(self) -> None:
        row = selected_row(self.table)
        self.complaint = Complaint.get_or_none(Complaint.id == row["id"]) if row else None
        c = self.complaint
        for widget in (self.facts, self.steps_title, self.steps_table, self.next_group):
            widget.setVisible(c is not None)
        self.empty_label.setVisible(c is None)
        if c is None:
            self.heading.setText("")
            self.steps_model.set_rows([])
            return
        self.heading.setText(f"{c.number}  —  {complaint_state_label(c.state)}")
        v = self.values
        v["channel"].setText(channel_label(c.channel))
        v["customer"].setText(customer_text(c.customer))
        v["vehicle"].setText(vehicle_label(c.vehicle) if c.vehicle_id else "—")
        v["order"].setText(c.order.number if c.order_id else "—")
        v["cause"].setText(cause_label(c.cause))
        v["staff"].setText(c.staff_concerned.name if c.staff_concerned_id else "—")
        v["opened"].setText(
            " · ".join(
                x for x in (when(c.opened_at), c.opened_by.name if c.opened_by_id else "") if x
            )
        )
        v["description"].setText(c.description)
        self.steps_model.set_rows(steps_of(c))
        self.steps_table.resizeColumnsToContents()
        self.steps_table.resizeRowsToContents()
        self.step_combo.clear()
        for code in next_steps(c.state):
            self.step_combo.addItem(step_title(code), code)
        open_case = c.state != "closed"
        self.step_combo.setEnabled(open_case and self.can_progress)
        self.step_edit.setEnabled(open_case and (self.can_progress or self.can_close))
        self.save_step_button.setEnabled(open_case and self.can_progress)
        self.close_button.setEnabled(c.state == "follow_up" and self.can_close)
        self.order_button.setEnabled(c.order_id is not None)
        self.outcome_button.setEnabled(may_record_outcome(c))
        self.next_group.setTitle(
            translate("AftercareUi", "Next step")
            if open_case
            else translate("AftercareUi", "Closed on {when}").format(when=when(c.closed_at))
        )

    def new_complaint(self) -> ComplaintDialog | None:
        if not self.can_open:
            return None
        dialog = ComplaintDialog(self.actor, self)
        dialog.saved.connect(self._complaint_saved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _complaint_saved(self, case: Complaint) -> None:
        self.refresh_complaints()
        self.open_complaint(case.id)
        text = translate("AftercareUi", "Complaint {number} recorded.").format(number=case.number)
        self.banner.show_info(text)
        self.window_.show_status(text)

    def save_step(self) -> Complaint | None:
        """Record the chosen step with the text typed (kept when refused)."""
        if self.complaint is None:
            return None
        step = self.step_combo.currentData()
        try:
            case = aftercare.progress_complaint(
                self.actor, self.complaint.id, step or "", self.step_edit.toPlainText()
            )
        except DomainError as exc:
            self.banner.show_error(str(exc))
            self.step_edit.setFocus()
            return None
        self.step_edit.clear()
        text = translate("AftercareUi", "{step} recorded for {number}.").format(
            step=step_title(step), number=case.number
        )
        self.refresh_complaints()
        self.banner.show_info(text)
        self.window_.show_status(text)
        return case

    def record_outcome(self) -> ComplaintOutcomeDialog | None:
        """The manager records what the verified complaint means for the person."""
        if not may_record_outcome(self.complaint):
            return None
        dialog = ComplaintOutcomeDialog(self.actor, self.complaint, self)

        def recorded() -> None:
            case = dialog.result_value
            self.refresh_complaints()
            self.open_complaint(case.id)
            text = translate("AftercareUi", "Outcome recorded for {number}.").format(
                number=case.number
            )
            self.banner.show_info(text)
            self.window_.show_status(text)

        dialog.accepted.connect(recorded)
        self.dialog = dialog
        dialog.open()
        return dialog

    def close_case(self) -> None:
        """Closing cannot be undone: ask first."""
        if self.complaint is None:
            return
        number = self.complaint.number
        ask(
            self,
            translate("AftercareUi", "Close the complaint"),
            translate(
                "AftercareUi",
                "Close complaint {number}? A closed case cannot be reopened; the text typed "
                "below is kept as the closing note.",
            ).format(number=number),
            translate("AftercareUi", "Close the case"),
            self._do_close,
        )

    def _do_close(self) -> Complaint | None:
        if self.complaint is None:
            return None
        try:
            case = aftercare.close_complaint(
                self.actor, self.complaint.id, self.step_edit.toPlainText()
            )
        except DomainError as exc:
            self.banner.show_error(str(exc))
            return None
        self.step_edit.clear()
        if not self.show_closed_box.isChecked():
            self.show_closed_box.setChecked(True)  # keep the closed case in view
        self.refresh_complaints()
        self.select(case.id)
        text = translate("AftercareUi", "Complaint {number} closed.").format(number=case.number)
        self.banner.show_info(text)
        self.window_.show_status(text)
        return case

    def _show_order(self) -> None:
        if self.complaint is not None and self.complaint.order_id:
            self.window_.order_opened.emit(self.complaint.order_id)

    # -- call log ------------------------------------------------------------------------------
    def refresh_calls(self) -> None:
        current = selected_row(self.call_table)
        self.call_model.set_rows(call_rows(self.show_answered_box.isChecked()))
        fit_columns(self.call_table, 260)
        if current is not None:
            select_where(self.call_table, lambda r: r["id"] == current["id"])
        self._call_count()
        self._call_selected()

    def _call_count(self) -> None:
        rows = self.call_model.rows
        open_n = sum(1 for r in rows if not r["answered"])
        overdue = sum(1 for r in rows if r["overdue"])
        text = translate("AftercareUi", "{n} calls to answer").format(n=open_n)
        if overdue:
            text += " · " + translate("AftercareUi", "{n} overdue").format(n=overdue)
        self.call_count.setText(text)
        self.call_count.setStyleSheet(
            "color:#8a1c12; font-weight:bold;" if overdue else "color:#666;"
        )

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh_calls()

    def _call_filter(self, text: str) -> None:
        self.call_proxy.setFilterFixedString(text.strip())

    def _answered_toggled(self, on: bool) -> None:
        app_settings().setValue("complaints/answered", on)
        self.refresh_calls()

    def _call_selected(self) -> None:
        row = selected_row(self.call_table)
        self.answer_button.setEnabled(row is not None and not row["answered"] and self.can_answer)
        if row is None:
            self.call_detail.setText("")
            return
        parts = [f"<b>{html.escape(row['caller'])}</b> {html.escape(row['phone'])}"]
        if row["customer"]:
            parts.append(html.escape(row["customer"]))
        if row["order"]:
            parts.append(html.escape(row["order"]))
        text = " · ".join(parts) + "<br>" + html.escape(row["call"].subject)
        if row["answered"]:
            text += "<br><i>" + html.escape(row["answer"]) + "</i>"
        self.call_detail.setText(text)

    def select_call(self, call_id: int) -> bool:
        return select_where(self.call_table, lambda r: r["id"] == call_id)

    def log_call(self) -> CallDialog | None:
        if not self.can_log:
            return None
        dialog = CallDialog(self.actor, self)
        dialog.saved.connect(self._call_saved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _call_saved(self, call: CallLog) -> None:
        self.refresh_calls()
        self.select_call(call.id)
        text = translate("AftercareUi", "Call from {caller} logged; answer by {when}.").format(
            caller=call.caller, when=when(call.answer_due_at)
        )
        self.call_banner.show_info(text)
        self.window_.show_status(text)

    def answer(self) -> AnswerDialog | None:
        row = selected_row(self.call_table)
        if row is None or row["answered"] or not self.can_answer:
            return None
        dialog = AnswerDialog(self.actor, row["call"], self)
        dialog.accepted.connect(lambda: self._answered(row))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _answered(self, row: dict[str, Any]) -> None:
        self.refresh_calls()
        text = translate("AftercareUi", "Answer to {caller} recorded.").format(caller=row["caller"])
        self.call_banner.show_info(text)
        self.window_.show_status(text)

    # -- screenshots -------------------------------------------------------------------------
    def screenshot_views(self) -> list[tuple[str, Callable[[], object]]]:
        def case() -> None:
            self.tabs.setCurrentIndex(0)
            if self.proxy.rowCount() and selected_row(self.table) is None:
                self.table.selectRow(0)

        return [("cases", case), ("calls", lambda: self.tabs.setCurrentIndex(1))]
