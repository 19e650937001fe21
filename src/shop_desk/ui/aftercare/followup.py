"""Follow-up area (回访, PROCESS.md §9): today's and overdue follow-up calls in the order of the
customers' preferred times, the call's result, a complaint from an unhappy answer in one
click, and the service reminders (保养提醒) with booking straight from the list.

Changes go through :mod:`shop_desk.services.aftercare` (and
:func:`shop_desk.services.appointments.book_appointment` through the booking dialog).
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import DomainError
from shop_desk.i18n import counted, translate
from shop_desk.models import Complaint, FollowUp, Staff
from shop_desk.money import fmt
from shop_desk.services import aftercare
from shop_desk.services import search as reads
from shop_desk.services.appointments import book_appointment
from shop_desk.services.customers import vehicle_label
from shop_desk.services.orders import settings
from shop_desk.services.reports import pay_type_label
from shop_desk.ui.aftercare.common import (
    AMBER,
    GREEN,
    GREY,
    RED,
    ColouredModel,
    FormHostDialog,
    fit_columns,
    plate_text,
    select_where,
    selected_row,
    setup_table,
    today_start,
    when,
)
from shop_desk.ui.shell.background import LatestRead
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.tab_reads import TabReads
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import ErrorBanner, allowed, app_settings

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow

#: The choices of the "Show" box: (key, days ahead) — "done" lists today's recorded calls.
DUE_CHOICES = (("due", 0), ("due", 3), ("due", 7), ("done", 0))


def _due_text(key: str, days: int) -> str:
    if key == "done":
        return translate("AftercareUi", "Recorded today")
    if days == 0:
        return translate("AftercareUi", "Due today and overdue")
    if days == 3:
        return translate("AftercareUi", "Due within 3 days")
    return translate("AftercareUi", "Due within a week")


def result_text(fu: FollowUp) -> str:
    """What the call brought, in one line."""
    if fu.state == "open":
        if fu.attempts:
            return translate("AftercareUi", "Not reached yet ({n} tries)").format(n=fu.attempts)
        return translate("AftercareUi", "To call")
    if fu.state == "unreachable":
        return translate("AftercareUi", "Unreachable after {n} tries").format(n=fu.attempts)
    parts = [
        translate("AftercareUi", "Satisfaction {n} of 5").format(n=fu.satisfaction)
        if fu.satisfaction is not None
        else ""
    ]
    if fu.fault_gone is False:
        parts.append(translate("AftercareUi", "fault not gone"))
    elif fu.fault_gone:
        parts.append(translate("AftercareUi", "fault gone"))
    return " · ".join(p for p in parts if p)


def follow_up_row(fu: FollowUp, complained: set[int]) -> dict[str, Any]:
    order, customer = fu.order, fu.customer
    vehicle = order.vehicle
    return {
        "id": fu.id,
        "follow_up": fu,
        "due_at": fu.due_at,
        "overdue": fu.state == "open" and fu.due_at < clock.now(),
        "preferred": fu.preferred_time or customer.preferred_contact_time or "",
        "customer": customer.name,
        "phone": customer.phone,
        "plate": plate_text(vehicle),
        "order": order.number,
        "order_id": order.id,
        "attempts": fu.attempts,
        "state": fu.state,
        "result": result_text(fu),
        "unhappy": aftercare.is_unhappy(fu),
        "complained": fu.id in complained,
    }


def follow_up_rows(key: str, days: int) -> list[dict[str, Any]]:
    """Open calls due by the end of ``today + days`` (preferred-time order), or today's
    recorded calls (newest first)."""
    if key == "done":
        rows = aftercare.follow_ups_recorded_since(today_start())
    else:
        rows = aftercare.due_follow_ups(clock.today() + dt.timedelta(days=days))
    ids = [f.id for f in rows]
    complained = (
        {
            c.follow_up_id
            for c in Complaint.select(Complaint.follow_up).where(Complaint.follow_up.in_(ids))
        }
        if ids
        else set()
    )
    return [follow_up_row(f, complained) for f in rows]


def _follow_up_colour(row: dict[str, Any]) -> tuple[str | None, str | None] | None:
    if row["state"] == "open":
        return RED if row["overdue"] else None
    if row["unhappy"]:
        return GREEN if row["complained"] else AMBER
    return GREY


def reminder_rows(weeks: int) -> list[dict[str, Any]]:
    rows = []
    today = clock.today()
    for r in aftercare.service_reminders(today, weeks):
        rows.append(
            {
                "id": r.vehicle_id,
                "reminder": r,
                "due": r.due_date,
                "overdue": r.due_date < today,
                "by": translate("AftercareUi", "Mileage")
                if r.by == "km"
                else translate("AftercareUi", "Date"),
                "vehicle": r.vehicle_text,
                "customer": r.customer_name,
                "phone": r.customer_phone,
                "next_date": r.next_service_date,
                "next_km": r.next_service_km,
                "estimated_km": r.estimated_km,
            }
        )
    return rows


# --------------------------------------------------------------------------- record dialog


class RecordFollowUpDialog(FormHostDialog):
    """The result of one follow-up call: reached or not, satisfaction 1–5 (满意 / 一般 /
    不满意), fault gone, comments. The comments are kept as a draft until saved."""

    recorded = Signal(object)  # FollowUp

    def __init__(self, actor: Staff, follow_up: FollowUp, parent: QWidget | None = None) -> None:
        super().__init__(
            "aftercare_record",
            translate("AftercareUi", "Follow-up call: {customer}").format(
                customer=follow_up.customer.name
            ),
            translate("AftercareUi", "&Save result"),
            parent,
        )
        self.setObjectName("recordFollowUpDialog")
        self.actor, self.follow_up = actor, follow_up
        f = self.form
        self.who_label = child(f, QLabel, "whoLabel")
        self.reached_radio = child(f, QRadioButton, "reachedRadio")
        self.not_reached_radio = child(f, QRadioButton, "notReachedRadio")
        self.attempt_label = child(f, QLabel, "attemptLabel")
        self.answers = child(f, QWidget, "answersGroup")
        self.sat = {n: child(f, QRadioButton, f"sat{n}") for n in range(1, 6)}
        self.fault_gone_radio = child(f, QRadioButton, "faultGoneRadio")
        self.fault_not_gone_radio = child(f, QRadioButton, "faultNotGoneRadio")
        self.comments_edit = child(f, QPlainTextEdit, "commentsEdit")
        self.fields = {
            "satisfaction": child(f, QWidget, "satisfactionRow"),
            "fault_gone": child(f, QWidget, "faultRow"),
            "comments": self.comments_edit,
        }
        order, customer = follow_up.order, follow_up.customer
        preferred = follow_up.preferred_time or customer.preferred_contact_time
        lines = [
            f"<b>{html.escape(customer.name)}</b> · {html.escape(customer.phone or '')}",
            html.escape(f"{order.number} · {vehicle_label(order.vehicle)}"),
        ]
        if preferred:
            lines.append(
                html.escape(
                    translate("AftercareUi", "Preferred call time: {time}").format(time=preferred)
                )
            )
        self.who_label.setText("<br>".join(lines))
        retries = settings().follow_up_retries
        self.attempt_label.setText(
            translate(
                "AftercareUi",
                "Call attempt {n} of {max}. Not reached: the call comes back tomorrow; after "
                "{max} tries the customer counts as unreachable.",
            ).format(n=follow_up.attempts + 1, max=retries)
        )
        self.reached_radio.toggled.connect(self._reached_changed)
        for widget in (*self.sat.values(), self.fault_gone_radio, self.fault_not_gone_radio):
            widget.toggled.connect(self.draft_bar.changed)
        self.reached_radio.toggled.connect(self.draft_bar.changed)
        self.comments_edit.textChanged.connect(self.draft_bar.changed)
        self.draft_bar.attach(
            f"follow_up_{follow_up.id}",
            translate("AftercareUi", "Follow-up call"),
            self.values,
            self.apply_values,
        )
        self._reached_changed(True)
        self.resize(600, self.sizeHint().height())
        self.reached_radio.setFocus()

    def _reached_changed(self, _on: bool = True) -> None:
        self.answers.setEnabled(self.reached_radio.isChecked())

    def satisfaction(self) -> int | None:
        return next((n for n, radio in self.sat.items() if radio.isChecked()), None)

    def fault_gone(self) -> bool | None:
        if self.fault_gone_radio.isChecked():
            return True
        if self.fault_not_gone_radio.isChecked():
            return False
        return None

    def values(self) -> dict[str, Any]:
        return {
            "reached": self.reached_radio.isChecked(),
            "satisfaction": self.satisfaction(),
            "fault_gone": self.fault_gone(),
            "comments": self.comments_edit.toPlainText(),
        }

    def apply_values(self, data: dict[str, Any]) -> None:
        (self.reached_radio if data.get("reached", True) else self.not_reached_radio).setChecked(
            True
        )
        if data.get("satisfaction") in self.sat:
            self.sat[data["satisfaction"]].setChecked(True)
        if data.get("fault_gone") is True:
            self.fault_gone_radio.setChecked(True)
        elif data.get("fault_gone") is False:
            self.fault_not_gone_radio.setChecked(True)
        self.comments_edit.setPlainText(str(data.get("comments") or ""))

    def submit(self) -> FollowUp:
        reached = self.reached_radio.isChecked()
        row = aftercare.record_follow_up(
            self.actor,
            self.follow_up.id,
            reached,
            self.satisfaction() if reached else None,
            self.fault_gone() if reached else None,
            self.comments_edit.toPlainText(),
        )
        self.recorded.emit(row)
        return row

    def reject(self) -> None:
        self.draft_bar.flush()
        super().reject()


# --------------------------------------------------------------------------- the page


class FollowUpPage(QWidget):
    """Follow-up calls (list + the order picked) and service reminders, as two tabs."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("followUpPage")
        self.window_ = window
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = load_form("aftercare_followup", self)
        layout.addWidget(self.form)
        f = self.form
        self.tabs = child(f, QTabWidget, "tabs")
        self.splitter = child(f, QSplitter, "callsSplitter")
        self.due_combo = child(f, QComboBox, "dueCombo")
        self.filter_edit = child(f, QLineEdit, "filterEdit")
        self.table = child(f, QTableView, "followUpTable")
        self.count_label = child(f, QLabel, "countLabel")
        self.heading = child(f, QLabel, "headingLabel")
        self.sub_label = child(f, QLabel, "subLabel")
        self.empty_label = child(f, QLabel, "emptyLabel")
        self.work_title = child(f, QLabel, "workTitle")
        self.work_table = child(f, QTableView, "workTable")
        self.result_label = child(f, QLabel, "resultLabel")
        self.record_button = child(f, QPushButton, "recordButton")
        self.complaint_button = child(f, QPushButton, "complaintButton")
        self.order_button = child(f, QPushButton, "orderButton")
        self.weeks_combo = child(f, QComboBox, "weeksCombo")
        self.reminder_filter = child(f, QLineEdit, "reminderFilterEdit")
        self.reminder_count = child(f, QLabel, "reminderCountLabel")
        self.book_button = child(f, QPushButton, "bookButton")
        self.reminder_table = child(f, QTableView, "reminderTable")

        detail = child(f, QWidget, "detailPanel")
        self.banner = ErrorBanner(detail)
        self.banner.setObjectName("followUpBanner")
        detail.layout().insertWidget(2, self.banner)
        self.unhappy_bar = QFrame(detail)
        self.unhappy_bar.setObjectName("unhappyBar")
        self.unhappy_bar.setStyleSheet(
            "QFrame#unhappyBar { background:#fff8e1; border:1px solid #f0c36d; border-radius:4px; }"
        )
        bar = QHBoxLayout(self.unhappy_bar)
        self.unhappy_label = QLabel(self.unhappy_bar)
        self.unhappy_label.setWordWrap(True)
        self.unhappy_button = QPushButton(
            translate("AftercareUi", "Open a &complaint case"), self.unhappy_bar
        )
        self.unhappy_button.setObjectName("unhappyComplaintButton")
        self.unhappy_button.setAutoDefault(False)
        bar.addWidget(self.unhappy_label, 1)
        bar.addWidget(self.unhappy_button)
        self.unhappy_bar.hide()
        detail.layout().insertWidget(3, self.unhappy_bar)
        self.list_banner = ErrorBanner(self)
        self.list_banner.setObjectName("reminderBanner")
        child(f, QWidget, "remindersTab").layout().insertWidget(1, self.list_banner)

        for key, days in DUE_CHOICES:
            self.due_combo.addItem(_due_text(key, days), (key, days))
        self.model = ColouredModel(
            [
                Column(lambda: translate("AftercareUi", "Due"), lambda r: r["due_at"]),
                Column(
                    lambda: translate("AftercareUi", "Preferred time"), lambda r: r["preferred"]
                ),
                Column(lambda: translate("AftercareUi", "Customer"), lambda r: r["customer"]),
                Column(lambda: translate("AftercareUi", "Phone"), lambda r: r["phone"]),
                Column(lambda: translate("AftercareUi", "Plate"), lambda r: r["plate"]),
                Column(lambda: translate("AftercareUi", "Order"), lambda r: r["order"]),
                Column(lambda: translate("AftercareUi", "Result"), lambda r: r["result"]),
            ],
            self,
            _follow_up_colour,
        )
        # no header sorting: the list keeps the service's order (the customers' preferred times)
        self.proxy = setup_table(self.table, self.model, stretch=6, sort_column=None)
        self.work_model = RowTableModel(
            [
                Column(lambda: translate("AftercareUi", "Item"), lambda r: r.description),
                Column(
                    lambda: translate("AftercareUi", "Pay type"),
                    lambda r: pay_type_label(r.pay_type),
                ),
                Column(
                    lambda: translate("AftercareUi", "Amount"),
                    lambda r: r.amount,
                    display=fmt,
                    align_right=True,
                ),
            ],
            self,
        )
        setup_table(self.work_table, self.work_model, stretch=0, sort_column=None)

        for weeks in (2, 4, 6, 8):
            self.weeks_combo.addItem(translate("AftercareUi", "{n} weeks").format(n=weeks), weeks)
        self.reminder_model = ColouredModel(
            [
                Column(lambda: translate("AftercareUi", "Due"), lambda r: r["due"]),
                Column(lambda: translate("AftercareUi", "Due by"), lambda r: r["by"]),
                Column(lambda: translate("AftercareUi", "Vehicle"), lambda r: r["vehicle"]),
                Column(lambda: translate("AftercareUi", "Customer"), lambda r: r["customer"]),
                Column(lambda: translate("AftercareUi", "Phone"), lambda r: r["phone"]),
                Column(
                    lambda: translate("AftercareUi", "Next service date"), lambda r: r["next_date"]
                ),
                Column(
                    lambda: translate("AftercareUi", "Next service km"),
                    lambda r: r["next_km"],
                    display=lambda v: f"{v:,}" if v else "",
                    align_right=True,
                ),
                Column(
                    lambda: translate("AftercareUi", "Estimated km then"),
                    lambda r: r["estimated_km"],
                    display=lambda v: f"{v:,}" if v else "",
                    align_right=True,
                ),
            ],
            self,
            lambda r: RED if r["overdue"] else None,
        )
        self.reminder_proxy = setup_table(self.reminder_table, self.reminder_model, stretch=2)

        settings_ = app_settings()
        choice = settings_.value("followup/due", 0, int)
        self.due_combo.setCurrentIndex(choice if 0 <= choice < len(DUE_CHOICES) else 0)
        self.weeks_combo.setCurrentIndex(
            max(0, self.weeks_combo.findData(settings_.value("followup/weeks", 4, int)))
        )
        state = settings_.value("followup/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([620, 520])
        self.splitter.splitterMoved.connect(
            lambda *_: app_settings().setValue("followup/splitter", self.splitter.saveState())
        )

        self.due_combo.currentIndexChanged.connect(self._due_changed)
        self.filter_edit.textChanged.connect(self._filter)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._show_selected())
        self.table.activated.connect(lambda _i: self.record())
        self.record_button.clicked.connect(lambda: self.record())
        self.complaint_button.clicked.connect(lambda: self.open_complaint())
        self.unhappy_button.clicked.connect(lambda: self.open_complaint(self.last_recorded))
        self.order_button.clicked.connect(self.show_order)
        self.weeks_combo.currentIndexChanged.connect(self._weeks_changed)
        self.reminder_filter.textChanged.connect(self._reminder_filter)
        self.reminder_table.selectionModel().currentRowChanged.connect(
            lambda *_: self._reminder_selected()
        )
        self.reminder_table.activated.connect(lambda _i: self.book())
        self.book_button.clicked.connect(lambda: self.book())
        # every car due a service is a long read: only when its tab is shown
        self.tab_reads = TabReads(
            self.tabs, "followup/tab", (self.refresh_calls, self.refresh_reminders)
        )

        self.can_record = allowed(window.staff, aftercare.record_follow_up)
        self.can_complain = allowed(window.staff, aftercare.complaint_from_follow_up)
        self.can_book = allowed(window.staff, book_appointment)
        for button, ok in (
            (self.record_button, self.can_record),
            (self.complaint_button, self.can_complain),
            (self.unhappy_button, self.can_complain),
            (self.book_button, self.can_book),
        ):
            if not ok:
                button.setToolTip(translate("AftercareUi", "Your roles do not allow this."))
        self.last_recorded: FollowUp | None = None
        self.dialog: RecordFollowUpDialog | None = None
        self.booking: QWidget | None = None
        self.reminder_reader = LatestRead(translate("AftercareUi", "The service reminders"), self)
        self.reminder_reader.ready.connect(self._reminders_read)
        self.reminder_reader.failed.connect(self._reminders_failed)
        # overdue marks follow the clock
        self.tick = QTimer(self)
        self.tick.setInterval(60_000)
        self.tick.timeout.connect(self._tick)
        self.tick.start()
        self.refresh()

    @property
    def actor(self) -> Staff:
        return self.window_.staff

    # -- follow-up list ----------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the list of the tab on show, the other's when shown (keeps the selection)."""
        self.tab_reads.refresh()

    def refresh_calls(self) -> None:
        self.tab_reads.read(0)
        current = selected_row(self.table)
        key, days = self.due_combo.currentData()
        self.model.set_rows(follow_up_rows(key, days))
        fit_columns(self.table, 260)
        if current is None or not select_where(self.table, lambda r: r["id"] == current["id"]):
            self._show_selected()
        self._update_count()

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh_calls()

    def _due_changed(self, index: int) -> None:
        app_settings().setValue("followup/due", index)
        self.refresh_calls()

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._update_count()

    def _update_count(self) -> None:
        rows = self.model.rows
        overdue = sum(1 for r in rows if r["overdue"])
        text = counted(
            len(rows), translate("AftercareUi", "1 call"), translate("AftercareUi", "{n} calls")
        )
        if overdue:
            text += " · " + translate("AftercareUi", "{n} overdue").format(n=overdue)
        self.count_label.setText(text)

    def selected(self) -> dict[str, Any] | None:
        return selected_row(self.table)

    def select(self, follow_up_id: int) -> bool:
        return select_where(self.table, lambda r: r["id"] == follow_up_id)

    def _show_selected(self) -> None:
        row = self.selected()
        has = row is not None
        for widget in (self.work_title, self.work_table, self.result_label):
            widget.setVisible(has)
        self.empty_label.setVisible(not has)
        self.record_button.setEnabled(has and self.can_record and row["state"] == "open")
        self.complaint_button.setEnabled(
            has and self.can_complain and row["unhappy"] and not row["complained"]
        )
        self.order_button.setEnabled(has)
        if not has:
            self.heading.setText("")
            self.sub_label.setText("")
            self.work_model.set_rows([])
            return
        summary = reads.order_summary(row["order_id"])
        self.heading.setText(
            f"{summary.number}  {summary.plate or summary.vin}  {summary.make_model}"
        )
        parts = [
            html.escape(
                " · ".join(x for x in (summary.customer_name, summary.customer_phone) if x)
            ),
            html.escape(
                translate("AftercareUi", "Service advisor: {name}").format(
                    name=summary.advisor or "—"
                )
            ),
        ]
        if summary.team or summary.technician:
            parts.append(
                html.escape(
                    translate("AftercareUi", "Team / technician: {who}").format(
                        who=" / ".join(x for x in (summary.team, summary.technician) if x)
                    )
                )
            )
        if summary.complaint:
            parts.append(
                html.escape(
                    translate("AftercareUi", "Customer's complaint: {text}").format(
                        text=summary.complaint
                    )
                )
            )
        if row["preferred"]:
            parts.append(
                "<b>"
                + html.escape(
                    translate("AftercareUi", "Preferred call time: {time}").format(
                        time=row["preferred"]
                    )
                )
                + "</b>"
            )
        self.sub_label.setText("<br>".join(parts))
        self.work_model.set_rows(summary.lines)
        fit_columns(self.work_table, 420)
        fu: FollowUp = row["follow_up"]
        result = [
            translate("AftercareUi", "Due: {when}").format(when=when(fu.due_at)),
            row["result"],
        ]
        if fu.comments:
            result.append(translate("AftercareUi", "Comments: {text}").format(text=fu.comments))
        if row["overdue"]:
            result.insert(0, translate("AftercareUi", "Overdue."))
        self.result_label.setText(html.escape(" · ".join(result)))
        self.result_label.setStyleSheet("color:#8a1c12;" if row["overdue"] else "")

    def show_order(self) -> None:
        row = self.selected()
        if row is not None:
            self.window_.order_opened.emit(row["order_id"])

    # -- recording ---------------------------------------------------------------------------
    def record(self, follow_up_id: int | None = None) -> RecordFollowUpDialog | None:
        """Open the result dialog for the selected call (or ``follow_up_id``)."""
        if follow_up_id is None:
            row = self.selected()
            if row is None or row["state"] != "open" or not self.can_record:
                return None
            follow_up_id = row["id"]
        fu = FollowUp.get_or_none(FollowUp.id == follow_up_id)
        if fu is None:
            return None
        self.banner.clear_message()
        self.dialog = RecordFollowUpDialog(self.actor, fu, self)
        self.dialog.recorded.connect(self._recorded)
        self.dialog.open()
        return self.dialog

    def _recorded(self, fu: FollowUp) -> None:
        self.last_recorded = fu
        if fu.state == "open":
            text = translate(
                "AftercareUi", "{customer} not reached; the call is due again on {when}."
            ).format(customer=fu.customer.name, when=when(fu.due_at))
        elif fu.state == "unreachable":
            text = translate(
                "AftercareUi", "{customer} could not be reached after {n} tries."
            ).format(customer=fu.customer.name, n=fu.attempts)
        else:
            text = translate("AftercareUi", "Follow-up call with {customer} recorded.").format(
                customer=fu.customer.name
            )
        self.banner.show_info(text)
        self.window_.show_status(text)
        self.refresh_calls()
        if aftercare.is_unhappy(fu):
            self.unhappy_label.setText(
                translate(
                    "AftercareUi",
                    "{customer} is not happy ({result}). Open a complaint case for order {number}?",
                ).format(customer=fu.customer.name, result=result_text(fu), number=fu.order.number)
            )
            self.unhappy_button.setEnabled(self.can_complain)
            self.unhappy_bar.show()
            self.unhappy_button.setFocus()
        else:
            self.unhappy_bar.hide()

    def open_complaint(self, follow_up: FollowUp | None = None) -> Complaint | None:
        """One click: a complaint case from an unhappy answer (linked to the call and order)."""
        if follow_up is None:
            row = self.selected()
            if row is None:
                return None
            follow_up = row["follow_up"]
        try:
            case = aftercare.complaint_from_follow_up(self.actor, follow_up.id)
        except DomainError as exc:
            self.banner.show_error(str(exc))
            return None
        self.unhappy_bar.hide()
        text = translate(
            "AftercareUi", "Complaint {number} opened; it is on the Complaints page."
        ).format(number=case.number)
        self.banner.show_info(text)
        self.window_.show_status(text)
        self.refresh_calls()
        return case

    # -- reminders ---------------------------------------------------------------------------
    def refresh_reminders(self) -> None:
        """Read the reminders on a pool thread (thousands of cars on a big database); the
        list stays usable meanwhile."""
        weeks = self.weeks_combo.currentData() or 4
        self.tab_reads.read(1)
        self.reminder_count.setText(translate("AftercareUi", "Reading the service reminders…"))
        self.reminder_reader.start(lambda _progress: reminder_rows(weeks))

    @property
    def reading(self) -> bool:
        """The reminders are being read (tests and screenshots wait for them)."""
        return self.reminder_reader.busy

    def _reminders_read(self, rows: list[dict[str, Any]]) -> None:
        current = selected_row(self.reminder_table)
        self.reminder_model.set_rows(rows)
        fit_columns(self.reminder_table, 300)
        if current is not None:
            select_where(self.reminder_table, lambda r: r["id"] == current["id"])
        self._reminder_count()
        self._reminder_selected()

    def _reminders_failed(self, message: str) -> None:
        self.reminder_count.setText("")
        self.list_banner.show_error(message)

    def _reminder_count(self) -> None:
        self.reminder_count.setText(
            counted(
                self.reminder_proxy.rowCount(),
                translate(
                    "AftercareUi",
                    "1 car (due in the chosen weeks or overdue up to {months} months)",
                ),
                translate(
                    "AftercareUi",
                    "{n} cars (due in the chosen weeks or overdue up to {months} months)",
                ),
                months=aftercare.LAPSED_MONTHS,
            )
        )

    def _weeks_changed(self, _index: int) -> None:
        app_settings().setValue("followup/weeks", self.weeks_combo.currentData())
        self.refresh_reminders()

    def _reminder_filter(self, text: str) -> None:
        self.reminder_proxy.setFilterFixedString(text.strip())
        if not self.reading:
            self._reminder_count()

    def _reminder_selected(self) -> None:
        self.book_button.setEnabled(self.can_book and selected_row(self.reminder_table) is not None)

    def select_reminder(self, vehicle_id: int) -> bool:
        return select_where(self.reminder_table, lambda r: r["id"] == vehicle_id)

    def book(self) -> QWidget | None:
        """The booking dialog (slot picker) for the selected car, its work filled in."""
        row = selected_row(self.reminder_table)
        if row is None or not self.can_book:
            return None
        reminder: aftercare.Reminder = row["reminder"]
        work = translate("AftercareUi", "Scheduled service (due {date}, {km} km)").format(
            date=reminder.next_service_date.isoformat(), km=f"{reminder.next_service_km:,}"
        )
        dialog = self.window_.open_screen(
            "book_appointment",
            self,
            self.actor,
            max(reminder.due_date, clock.today()),
            reminder.customer,
            reminder.vehicle,
            work,
        )
        dialog.saved.connect(lambda _id: self._booked(row))
        self.booking = dialog
        dialog.open()
        return dialog

    def _booked(self, row: dict[str, Any]) -> None:
        text = translate("AftercareUi", "Appointment booked for {vehicle}.").format(
            vehicle=row["vehicle"]
        )
        self.list_banner.show_info(text)
        self.window_.show_status(text)
        self.refresh_reminders()

    # -- screenshots -------------------------------------------------------------------------
    def screenshot_views(self) -> list[tuple[str, Callable[[], object]]]:
        def calls() -> None:
            self.tabs.setCurrentIndex(0)
            if self.model.rowCount() == 0:
                self.due_combo.setCurrentIndex(1)
            if self.proxy.rowCount():
                self.table.selectRow(0)

        return [
            ("calls", calls),
            ("reminders", lambda: self.tabs.setCurrentIndex(1)),
        ]
