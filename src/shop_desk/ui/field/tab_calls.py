"""Calls: register a field job, and the jobs waiting for dispatch with their 24-hour dispatch
due time (overdue in red, in words), dispatched, quoted (outside warranty) or called off
from here. Changes go through :mod:`shop_desk.services.field` only."""

from __future__ import annotations

import datetime as dt
import html
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.i18n import translate
from shop_desk.models import FieldJob, Staff
from shop_desk.services import field
from shop_desk.services.field import JobView
from shop_desk.ui.field.common import (
    AMBER,
    RED,
    Colour,
    JobList,
    JobModel,
    clock_time,
    customer_text,
    fit_when_new,
    heading_label,
    kind_text,
    say,
    setup_table,
    span_text,
    warranty_text,
)
from shop_desk.ui.field.dialogs import QuoteDialog, ReasonDialog, RegisterDialog
from shop_desk.ui.field.dispatch_dialog import DispatchDialog
from shop_desk.ui.shell.models import Column
from shop_desk.ui.shell.tables import when
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog, allowed

#: Dispatch due within this long: shown amber (past it: red).
SOON = dt.timedelta(hours=4)


def dispatch_status(view: JobView, now: dt.datetime) -> str:
    """The 24-hour dispatch rule in words (never colour only)."""
    due = view.job.dispatch_due_at
    if now > due:
        return translate("FieldUi", "Overdue by {time}").format(time=span_text(now - due))
    return translate("FieldUi", "Within {time}").format(time=span_text(due - now))


def _colour(now_fn: Any) -> Any:
    def colour(view: JobView) -> Colour:
        now = now_fn()
        if now > view.job.dispatch_due_at:
            return RED
        if view.job.dispatch_due_at - now < SOON:
            return AMBER
        return None

    return colour


class CallsTab(QWidget, JobList):
    """The supervisor's list of calls waiting for dispatch, and registering new ones."""

    changed = Signal()

    def __init__(self, staff: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldCallsTab")
        self.actor = staff
        self.now = clock.now()
        self.dialog: FormDialog | None = None
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = heading_label(self, "callsHeading")
        top.addWidget(self.heading)
        top.addStretch(1)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("filterEdit")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(translate("FieldUi", "Filter: customer, place, number"))
        self.filter_edit.setMaximumWidth(280)
        top.addWidget(self.filter_edit)
        self.register_button = QPushButton(translate("FieldUi", "&Register a field job…"), self)
        self.register_button.setObjectName("registerButton")
        top.addWidget(self.register_button)
        layout.addLayout(top)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        layout.addWidget(self.banner)

        self.model = JobModel(
            [
                Column(lambda: translate("FieldUi", "Number"), lambda r: r.number),
                Column(lambda: translate("FieldUi", "Kind"), kind_text),
                Column(lambda: translate("FieldUi", "Customer and vehicle"), customer_text),
                Column(lambda: translate("FieldUi", "Place"), lambda r: r.job.place),
                Column(
                    lambda: translate("FieldUi", "Required arrival"),
                    lambda r: clock_time(r.job.required_arrival_at, self.now.date()),
                ),
                Column(
                    lambda: translate("FieldUi", "Dispatch due"),
                    lambda r: clock_time(r.job.dispatch_due_at, self.now.date()),
                ),
                Column(
                    lambda: translate("FieldUi", "Dispatch"),
                    lambda r: dispatch_status(r, self.now),
                ),
                Column(lambda: translate("FieldUi", "Warranty / quote"), warranty_text),
            ],
            self,
            colour=_colour(lambda: self.now),
        )
        self.table = QTableView(self)
        self.table.setObjectName("callsTable")
        self.proxy = setup_table(self.table, self.model, stretch=3)
        layout.addWidget(self.table, 1)

        self.detail = QLabel(self)
        self.detail.setObjectName("detailLabel")
        self.detail.setWordWrap(True)
        self.detail.setMinimumHeight(48)
        layout.addWidget(self.detail)
        buttons = QHBoxLayout()
        self.dispatch_button = QPushButton(translate("FieldUi", "&Dispatch…"), self)
        self.dispatch_button.setObjectName("dispatchButton")
        self.quote_button = QPushButton(translate("FieldUi", "&Quote…"), self)
        self.quote_button.setObjectName("quoteButton")
        self.cancel_button = QPushButton(translate("FieldUi", "Call &off…"), self)
        self.cancel_button.setObjectName("cancelJobButton")
        for button in (self.dispatch_button, self.quote_button, self.cancel_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)

        self.may_register = allowed(staff, field.register_field_job)
        self.may_dispatch = allowed(staff, field.dispatch_field_job)
        self.may_quote = allowed(staff, field.record_quote)
        self.may_cancel = allowed(staff, field.cancel_field_job)
        self.register_button.setEnabled(self.may_register)
        self.register_button.clicked.connect(self.register)
        self.dispatch_button.clicked.connect(self.dispatch)
        self.quote_button.clicked.connect(self.quote)
        self.cancel_button.clicked.connect(self.cancel)
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        self.refresh()

    # -- reading ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the waiting jobs again; the chosen one stays chosen."""
        current = self.selected()
        self.now = clock.now()
        self.model.set_rows(field.views(field.waiting_for_dispatch()))
        fit_when_new(self.table, self.model.rows)
        overdue = sum(1 for r in self.model.rows if self.now > r.job.dispatch_due_at)
        text = translate("FieldUi", "Waiting for dispatch: {n}").format(n=len(self.model.rows))
        if overdue:
            text += " · " + translate("FieldUi", "{n} overdue").format(n=overdue)
        self.heading.setText(text)
        self.reselect(current, self.model.rows)
        self._selected()

    def _selected(self) -> None:
        view = self.selected()
        self.dispatch_button.setEnabled(self.may_dispatch and view is not None)
        self.cancel_button.setEnabled(self.may_cancel and view is not None)
        self.quote_button.setEnabled(
            self.may_quote and view is not None and not view.job.within_warranty
        )
        if view is None:
            self.detail.setText(
                "<i>"
                + html.escape(translate("FieldUi", "No call is waiting for dispatch."))
                + "</i>"
                if not self.model.rows
                else ""
            )
            return
        job = view.job
        registered = translate("FieldUi", "Registered {when} by {name}").format(
            when=when(job.registered_at),
            name=job.registered_by.name if job.registered_by_id else "",
        )
        dispatch = translate("FieldUi", "Dispatch: {status}").format(
            status=dispatch_status(view, self.now)
        )
        self.detail.setText(
            f"<b>{html.escape(job.number)}</b> · {html.escape(view.customer)} "
            f"{html.escape(view.phone)} · {html.escape(registered)}<br>"
            + html.escape(f"{kind_text(view)} · {job.place}")
            + "<br>"
            + html.escape(" ".join(job.description.split()))
            + "<br><b>"
            + html.escape(f"{dispatch} · {warranty_text(view)}")
            + "</b>"
        )

    # -- actions ----------------------------------------------------------------------------
    def _open(self, dialog: FormDialog, done: str) -> FormDialog:
        self.banner.clear_message()
        dialog.accepted.connect(lambda: self._done(dialog, done))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _done(self, dialog: FormDialog, text: str) -> None:
        job: FieldJob = dialog.result_value
        message = text.format(number=job.number)
        self.banner.show_info(message)
        say(self, message)
        self.refresh()
        self.select(job.id)  # still waiting (registered, quoted) stays chosen
        self.changed.emit()

    def register(self) -> RegisterDialog | None:
        if not self.may_register:
            return None
        dialog = RegisterDialog(self.actor, self)
        self._open(
            dialog, translate("FieldUi", "Field job {number} registered: it waits for dispatch.")
        )
        return dialog

    def dispatch(self) -> DispatchDialog | None:
        view = self.selected()
        if view is None or not self.may_dispatch:
            return None
        dialog = DispatchDialog(self.actor, view.job, self)
        self._open(dialog, translate("FieldUi", "Field job {number} dispatched."))
        return dialog

    def quote(self) -> QuoteDialog | None:
        view = self.selected()
        if view is None or not self.may_quote or view.job.within_warranty:
            return None
        dialog = QuoteDialog(self.actor, view.job, self)
        self._open(
            dialog,
            translate(
                "FieldUi", "Quote of {number} saved: the customer agrees before work starts."
            ),
        )
        return dialog

    def cancel(self) -> ReasonDialog | None:
        view = self.selected()
        if view is None or not self.may_cancel:
            return None
        job_id = view.id
        dialog = ReasonDialog(
            view.job,
            translate("FieldUi", "Call off field job {number}").format(number=view.number),
            translate("FieldUi", "Why:"),
            translate("FieldUi", "Call &off the job"),
            lambda reason: field.cancel_field_job(self.actor, job_id, reason),
            "reason",
            parent=self,
        )
        self._open(dialog, translate("FieldUi", "Field job {number} called off."))
        return dialog
