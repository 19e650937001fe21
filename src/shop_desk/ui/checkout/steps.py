"""The steps of the checkout desk (PROCESS.md §7–§8), one tab each on the checkout page:
internal delivery check, notifying the customer, the delivery with the customer (work,
recommended work, next service, follow-up time), the settlement slip, payments and the gate
pass. Each step shows what the record says, what still blocks it and why; the services decide.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QDateTime, Qt, QTimer
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDateTimeEdit,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock, drafts
from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.models import (
    Approval,
    FollowUp,
    GatePass,
    JobLine,
    OrderEvent,
    Payment,
    QcCheck,
    Recommendation,
    RepairOrder,
    Settlement,
)
from shop_desk.money import ZERO, fmt, money, to_decimal
from shop_desk.printing import labels
from shop_desk.services import checkout
from shop_desk.services.approvals import ApprovalRequired
from shop_desk.services.orders import line_total, settings
from shop_desk.states import FROZEN_STATES, State, state_label
from shop_desk.ui.checkout.dialogs import (
    ApprovalsPanel,
    DeclineDialog,
    DiscountDialog,
    ManagerApprovalDialog,
    RecommendationDialog,
    fill_methods,
    payload_of,
)
from shop_desk.ui.shell.approval_bar import ApprovalRequestBar
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import allowed, app_settings, decimal_validator

if TYPE_CHECKING:
    from shop_desk.ui.checkout.page import CheckoutPage


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else ""


def _setup_table(view: QTableView, model: RowTableModel, stretch: int = 0) -> None:
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


def _clear_layout(layout) -> None:  # noqa: ANN001 - any QLayout
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
    return labels.line_status(line.origin, line.auth_state) or translate("CheckoutUi", "Authorised")


def signature_state(rec: Recommendation) -> str:
    if rec.signature_id is not None:
        return translate("CheckoutUi", "Signed on screen")
    if rec.signed_on_paper:
        return translate("CheckoutUi", "Signed on paper")
    if rec.safety and rec.state == "declined":
        return translate("CheckoutUi", "Missing: the customer must sign")
    return ""


def _events(order: RepairOrder, kind: str) -> list[OrderEvent]:
    return list(
        OrderEvent.select()
        .where((OrderEvent.order == order) & (OrderEvent.kind == kind))
        .order_by(OrderEvent.at, OrderEvent.id)
    )


class Step(QWidget):
    """A tab of the checkout page: its form, the page's order and a way to run a service."""

    form_name = ""

    def __init__(self, page: CheckoutPage) -> None:
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


# --------------------------------------------------------------------------- delivery check


class CheckStep(Step):
    """Internal delivery check (内部交车检查): the record's part is computed, the rest ticked."""

    form_name = "checkout_check"

    def __init__(self, page: CheckoutPage) -> None:
        super().__init__(page)
        self.work_label = child(self.form, QLabel, "workDoneLabel")
        self.lines_view = child(self.form, QTableView, "linesTable")
        self.items_box = child(self.form, QGroupBox, "itemsGroup")
        self.open_label = child(self.form, QLabel, "openLabel")
        self.done_label = child(self.form, QLabel, "doneLabel")
        self.record_button = child(self.form, QPushButton, "recordButton")
        self.lines = RowTableModel(
            [
                Column(lambda: translate("CheckoutUi", "Work"), lambda r: r.description),
                Column(lambda: translate("CheckoutUi", "Kind"), lambda r: labels.line_kind(r.kind)),
                Column(
                    lambda: translate("CheckoutUi", "Status"),
                    lambda r: work_state_label(r.work_state),
                ),
            ],
            self,
            is_dimmed=lambda r: r.work_state == "done",
        )
        _setup_table(self.lines_view, self.lines)
        self.lines_view.setMaximumHeight(170)
        self.boxes: dict[str, QCheckBox] = {}
        self.record_button.clicked.connect(self.record)

    def fill(self) -> None:
        order = self.order
        ok, why = checkout.work_done_and_signed(order)
        final = (
            QcCheck.select()
            .where((QcCheck.order == order) & (QcCheck.stage == "final") & (QcCheck.passed == True))  # noqa: E712
            .order_by(QcCheck.id.desc())
            .first()
        )
        if ok:
            who = final.by.name if final is not None else ""
            self.work_label.setText(
                "✔ "
                + translate(
                    "CheckoutUi",
                    "Every authorised item is done; final inspection passed ({who}, {when}).",
                ).format(who=who, when=_when(final.at if final else None))
            )
            self.work_label.setStyleSheet("color:#1d5a2b;")
        else:
            self.work_label.setText(
                "✘ " + translate("CheckoutUi", "Not yet: {why}.").format(why=why)
            )
            self.work_label.setStyleSheet("color:#8a1c12; font-weight:bold;")
        self.lines.set_rows(
            [
                ln
                for ln in JobLine.select()
                .where((JobLine.order == order) & (JobLine.auth_state == "authorised"))
                .order_by(JobLine.sort, JobLine.id)
            ]
        )
        done = checkout.delivery_check_done(order)
        old = {k: b.isChecked() for k, b in self.boxes.items()} if self.boxes else {}
        if getattr(self, "_box_order", None) != order.id:
            old = {}
        self._box_order = order.id
        layout = self.items_box.layout()
        _clear_layout(layout)
        self.boxes = {}
        for key, label in checkout.delivery_check_items(order):
            box = QCheckBox(label, self.items_box)
            box.setObjectName(f"check_{key}")
            box.setChecked(done or old.get(key, False))
            box.setEnabled(not done and self.state() == State.READY)
            box.toggled.connect(self._update_open)
            layout.addWidget(box)
            self.boxes[key] = box
        events = _events(order, "delivery_check")
        if done and events:
            last = events[-1]
            self.done_label.setText(
                translate("CheckoutUi", "Recorded by {who} at {when}.").format(
                    who=last.by.name if last.by_id else "", when=_when(last.at)
                )
            )
        else:
            self.done_label.setText("")
        self.may(
            self.record_button, checkout.delivery_check, self.state() == State.READY and not done
        )
        self._update_open()

    def open_items(self) -> list[str]:
        """What still blocks the check: the record's problem first, then unticked items."""
        ok, why = checkout.work_done_and_signed(self.order)
        items = [] if ok else [why]
        items += [b.text() for b in self.boxes.values() if not b.isChecked()]
        return items

    def _update_open(self) -> None:
        if self.order is None or checkout.delivery_check_done(self.order):
            self.open_label.setText("")
            return
        items = self.open_items()
        self.open_label.setText(
            translate("CheckoutUi", "Still open: {items}.").format(items="; ".join(items))
            if items
            else ""
        )

    def record(self) -> None:
        items = {key: box.isChecked() for key, box in self.boxes.items()}
        if self.run(
            checkout.delivery_check,
            self.order,
            items,
            done=translate(
                "CheckoutUi", "Internal delivery check recorded. Now notify the customer."
            ),
        ):
            self.page.show_step("notify")


# --------------------------------------------------------------------------- notify


class NotifyStep(Step):
    """Notify the customer (通知顾客) and agree the pickup time; warns about peak hours."""

    form_name = "checkout_notify"

    def __init__(self, page: CheckoutPage) -> None:
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
        _setup_table(self.history_view, self.history, 4)
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
        for event in _events(order, "notify"):
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
            when=_when(self.pickup())
        )
        if warning:
            self.page.banner.show_error(f"{text} {warning}")
        else:
            self.page.banner.show_info(text)
            self.page.show_step("delivery")
        self.page.status(text)


# --------------------------------------------------------------------------- delivery


class DeliveryStep(Step):
    """The delivery with the customer (陪同验车): work explained, recommended work decided,
    next service, follow-up call time; then the car is handed over (READY → DELIVERED)."""

    form_name = "checkout_delivery"

    def __init__(self, page: CheckoutPage) -> None:
        super().__init__(page)
        self.work_view = child(self.form, QTableView, "workTable")
        self.rec_view = child(self.form, QTableView, "recTable")
        self.archive_label = child(self.form, QLabel, "archiveLabel")
        self.add_rec_button = child(self.form, QPushButton, "addRecButton")
        self.accept_rec_button = child(self.form, QPushButton, "acceptRecButton")
        self.decline_rec_button = child(self.form, QPushButton, "declineRecButton")
        self.sign_rec_button = child(self.form, QPushButton, "signRecButton")
        self.walk_box = child(self.form, QGroupBox, "walkGroup")
        self.next_date = child(self.form, QDateEdit, "nextDateEdit")
        self.next_km = child(self.form, QSpinBox, "nextKmSpin")
        self.next_hint = child(self.form, QLabel, "nextHintLabel")
        self.reset_next_button = child(self.form, QPushButton, "resetNextButton")
        self.follow_edit = child(self.form, QLineEdit, "followUpEdit")
        self.follow_hint = child(self.form, QLabel, "followHint")
        self.block_label = child(self.form, QLabel, "blockLabel")
        self.deliver_button = child(self.form, QPushButton, "deliverButton")
        # 首保: proposed from the shop's rule, the advisor may change it (printed on the slip)
        self.first_box = QCheckBox(
            translate("CheckoutUi", "First free service (首保) for this car"), self.form
        )
        self.first_box.setObjectName("firstServiceBox")
        next_form = child(self.form, QGroupBox, "nextGroup").layout()
        next_form.insertRow(2, "", self.first_box)
        self.work = RowTableModel(
            [
                Column(lambda: translate("CheckoutUi", "Work"), lambda r: r.description),
                Column(lambda: translate("CheckoutUi", "Kind"), lambda r: labels.line_kind(r.kind)),
                Column(lambda: translate("CheckoutUi", "Customer's decision"), auth_label),
                Column(
                    lambda: translate("CheckoutUi", "Pay type"),
                    lambda r: labels.pay_type(r.pay_type),
                ),
                Column(
                    lambda: translate("CheckoutUi", "Amount"),
                    lambda r: line_total(r),
                    align_right=True,
                ),
            ],
            self,
            is_dimmed=lambda r: r.auth_state != "authorised",
        )
        _setup_table(self.work_view, self.work)
        self.recs = RowTableModel(
            [
                Column(
                    lambda: translate("CheckoutUi", "Recommended work"), lambda r: r.description
                ),
                Column(
                    lambda: translate("CheckoutUi", "Safety"),
                    lambda r: "⚠ " + translate("CheckoutUi", "Safety") if r.safety else "",
                ),
                Column(
                    lambda: translate("CheckoutUi", "Customer's decision"),
                    lambda r: labels.recommendation_state(r.state),
                ),
                Column(lambda: translate("CheckoutUi", "Signature"), signature_state),
            ],
            self,
        )
        _setup_table(self.rec_view, self.recs)
        self.boxes: dict[str, QCheckBox] = {}
        self.proposal: checkout.NextService | None = None
        self._draft_timer = QTimer(self)
        self._draft_timer.setSingleShot(True)
        self._draft_timer.setInterval(800)
        self._draft_timer.timeout.connect(self.save_draft)
        self._filling = False
        self._loaded_for: int | None = None
        self._build_draft_bar()
        self.add_rec_button.clicked.connect(self.add_recommendation)
        self.accept_rec_button.clicked.connect(self.accept_recommendation)
        self.decline_rec_button.clicked.connect(lambda: self.decline_recommendation(False))
        self.sign_rec_button.clicked.connect(lambda: self.decline_recommendation(True))
        self.rec_view.selectionModel().currentRowChanged.connect(lambda *_: self._rec_buttons())
        self.reset_next_button.clicked.connect(self.use_shop_rule)
        self.deliver_button.clicked.connect(self.deliver)
        self.next_date.dateChanged.connect(lambda _d: self._changed())
        self.next_km.valueChanged.connect(lambda _v: self._changed())
        self.follow_edit.textEdited.connect(lambda _t: self._changed())
        self.first_box.toggled.connect(lambda _on: self._changed())

    # -- drafts ------------------------------------------------------------------------
    def _build_draft_bar(self) -> None:
        self.draft_bar = QWidget(self)
        self.draft_bar.setObjectName("draftBar")
        self.draft_bar.setStyleSheet("background:#e3f2fd; border-radius:4px;")
        row = QHBoxLayout(self.draft_bar)
        row.setContentsMargins(6, 3, 6, 3)
        self.draft_label = QLabel(self.draft_bar)
        self.draft_label.setWordWrap(True)
        self.restore_button = QPushButton(translate("CheckoutUi", "Restore"), self.draft_bar)
        self.restore_button.setObjectName("restoreDraftButton")
        self.discard_button = QPushButton(translate("CheckoutUi", "Discard"), self.draft_bar)
        self.discard_button.setObjectName("discardDraftButton")
        row.addWidget(self.draft_label, 1)
        row.addWidget(self.restore_button)
        row.addWidget(self.discard_button)
        self.layout().insertWidget(0, self.draft_bar)
        self.draft_bar.hide()
        self.restore_button.clicked.connect(self.restore_draft)
        self.discard_button.clicked.connect(self.discard_draft)

    def draft_key(self) -> str:
        return f"checkout-delivery-{self.order.id}"

    def draft_data(self) -> dict[str, Any]:
        return {
            "checks": {k: b.isChecked() for k, b in self.boxes.items()},
            "next_date": self.next_date.date().toPython().isoformat(),
            "next_km": self.next_km.value(),
            "follow_up": self.follow_edit.text(),
            "first_service": self.first_box.isChecked(),
        }

    def _changed(self) -> None:
        if not self._filling and self.order is not None and self.state() == State.READY:
            self._draft_timer.start()

    def save_draft(self) -> None:
        if self.order is None or self.state() != State.READY:
            return
        drafts.save(
            self.draft_key(),
            translate("CheckoutUi", "Delivery of {number}").format(number=self.order.number),
            self.draft_data(),
        )

    def restore_draft(self) -> None:
        draft = drafts.load(self.draft_key())
        self.draft_bar.hide()
        if draft is None:
            return
        data = draft.data
        self._filling = True
        try:
            for key, on in (data.get("checks") or {}).items():
                if key in self.boxes:
                    self.boxes[key].setChecked(bool(on))
            if data.get("next_date"):
                self.next_date.setDate(QDate.fromString(data["next_date"], Qt.DateFormat.ISODate))
            if data.get("next_km"):
                self.next_km.setValue(int(data["next_km"]))
            self.follow_edit.setText(str(data.get("follow_up", "")))
            if "first_service" in data:
                self.first_box.setChecked(bool(data["first_service"]))
        finally:
            self._filling = False

    def discard_draft(self) -> None:
        if self.order is not None:
            drafts.discard(self.draft_key())
        self.draft_bar.hide()

    # -- filling -----------------------------------------------------------------------
    def fill(self) -> None:
        order = self.order
        fresh = self._loaded_for != order.id
        self._loaded_for = order.id
        self._filling = True
        try:
            self._fill(order, fresh)
        finally:
            self._filling = False

    def _fill(self, order: RepairOrder, fresh: bool) -> None:
        ready = self.state() == State.READY
        editable = State(order.state) not in FROZEN_STATES
        self.work.set_rows(
            list(JobLine.select().where(JobLine.order == order).order_by(JobLine.sort, JobLine.id))
        )
        self.recs.set_rows(
            list(
                Recommendation.select()
                .where(Recommendation.order == order)
                .order_by(Recommendation.id)
            )
        )
        earlier = [
            r for r in checkout.declined_recommendations(order.vehicle) if r.order_id != order.id
        ]
        self.archive_label.setText(
            translate("CheckoutUi", "Declined at earlier visits: {items}").format(
                items="; ".join(
                    f"{r.description} ({r.declined_at:%Y-%m-%d})"
                    if r.declined_at
                    else r.description
                    for r in earlier[:5]
                )
            )
            if earlier
            else ""
        )
        self.archive_label.setVisible(bool(earlier))
        self.may(self.add_rec_button, checkout.add_recommendation, editable)
        self._rec_buttons()
        # the walk-around items
        old = {k: b.isChecked() for k, b in self.boxes.items()} if not fresh else {}
        layout = self.walk_box.layout()
        _clear_layout(layout)
        self.boxes = {}
        for key, label in checkout.delivery_walk_items(order):
            box = QCheckBox(label, self.walk_box)
            box.setObjectName(f"walk_{key}")
            box.setChecked(not ready or old.get(key, False))
            box.setEnabled(ready)
            box.toggled.connect(lambda _on: self._changed())
            layout.addWidget(box)
            self.boxes[key] = box
        # next service and follow-up
        odometer = order.odometer_km or order.vehicle.last_odometer_km or 0
        self.proposal = checkout.next_service(
            order.vehicle, odometer, clock.today(), exclude_order=order
        )
        self.next_km.setMinimum(0)
        if ready:
            self.next_km.setMinimum(odometer + 1)
            if fresh:
                self.use_shop_rule()
                self.follow_edit.setText(
                    order.follow_up_time or order.customer.preferred_contact_time
                )
        else:
            if order.next_service_date:
                self.next_date.setDate(QDate(order.next_service_date))
            if order.next_service_km:
                self.next_km.setValue(order.next_service_km)
            self.follow_edit.setText(order.follow_up_time)
            self.first_box.setChecked(bool(order.first_service))
        cfg = settings()
        self.follow_hint.setText(
            translate(
                "CheckoutUi",
                "Tell the customer a follow-up call comes within {days} days. When suits them?",
            ).format(days=cfg.follow_up_days)
        )
        hint = translate(
            "CheckoutUi", "Shop rule: every {months} months or {km} km, whichever comes first."
        ).format(months=cfg.service_interval_months, km=f"{cfg.service_interval_km:,}")
        first = self.proposal.first_service if ready else order.first_service
        if first:
            hint += " " + translate(
                "CheckoutUi",
                "This is the new car's first service: explain that it is free (首保).",
            )
        self.next_hint.setText(hint)
        for widget in (
            self.next_date,
            self.next_km,
            self.follow_edit,
            self.reset_next_button,
            self.first_box,
        ):
            widget.setEnabled(ready)
        # what blocks the hand-over
        blocks = []
        if not ready:
            blocks.append(
                translate("CheckoutUi", "Handed over at {when} ({state}).").format(
                    when=_when(order.delivered_at), state=state_label(order.state)
                )
            )
        else:
            if not checkout.final_qc_passed(order):
                blocks.append(translate("CheckoutUi", "No passed final inspection yet."))
            if not checkout.delivery_check_done(order):
                blocks.append(translate("CheckoutUi", "Do the internal delivery check first."))
        self.block_label.setText(" ".join(blocks))
        self.block_label.setStyleSheet("color:#1d5a2b;" if not ready else "color:#8a1c12;")
        self.may(self.deliver_button, checkout.deliver, ready)
        # a draft left from before
        draft = drafts.load(self.draft_key()) if ready and fresh else None
        if draft is not None:
            self.draft_label.setText(
                translate("CheckoutUi", "Unsaved input from {when} was found.").format(
                    when=draft.saved_at.strftime("%Y-%m-%d %H:%M")
                )
            )
            self.draft_bar.show()
        elif fresh or not ready:
            self.draft_bar.hide()

    def use_shop_rule(self) -> None:
        if self.proposal is not None:
            self.next_date.setDate(QDate(self.proposal.date))
            self.next_km.setValue(self.proposal.km)
            self.first_box.setChecked(self.proposal.first_service)

    # -- recommendations -----------------------------------------------------------------
    def selected_rec(self) -> Recommendation | None:
        index = self.rec_view.currentIndex()
        return self.recs.row_at(index.row()) if index.isValid() else None

    def select_rec(self, rec_id: int) -> bool:
        for row, rec in enumerate(self.recs.rows):
            if rec.id == rec_id:
                self.rec_view.selectRow(row)
                self.rec_view.setCurrentIndex(self.recs.index(row, 0))
                return True
        return False

    def _rec_buttons(self) -> None:
        rec = self.selected_rec()
        editable = self.order is not None and State(self.order.state) not in FROZEN_STATES
        self.may(
            self.accept_rec_button,
            checkout.accept_recommendation,
            editable and rec is not None and rec.state != "accepted",
        )
        self.may(
            self.decline_rec_button,
            checkout.decline_recommendation,
            editable and rec is not None and rec.state != "declined",
        )
        needs_sign = (
            rec is not None
            and rec.safety
            and rec.state == "declined"
            and rec.signature_id is None
            and not rec.signed_on_paper
        )
        self.may(self.sign_rec_button, checkout.decline_recommendation, editable and needs_sign)

    def add_recommendation(self) -> RecommendationDialog:
        dialog = RecommendationDialog(self.actor, self.order, self)
        dialog.accepted.connect(lambda: self._rec_saved(dialog.result_value, None))
        dialog.open()
        return dialog

    def accept_recommendation(self) -> None:
        rec = self.selected_rec()
        if rec is not None and self.run(
            checkout.accept_recommendation,
            rec,
            done=translate("CheckoutUi", "The customer wants: {work}.").format(
                work=rec.description
            ),
        ):
            self.select_rec(rec.id)

    def decline_recommendation(self, sign_only: bool = False) -> DeclineDialog | None:
        rec = self.selected_rec()
        if rec is None:
            return None
        dialog = DeclineDialog(self.actor, rec, self, sign_only=sign_only)
        dialog.accepted.connect(
            lambda: self._rec_saved(
                dialog.result_value,
                translate("CheckoutUi", "Declined by the customer: {work}.").format(
                    work=rec.description
                ),
            )
        )
        dialog.open()
        return dialog

    def _rec_saved(self, rec: Recommendation, text: str | None) -> None:
        self.page.reload()
        self.select_rec(rec.id)
        message = text or translate("CheckoutUi", "Recommended work added: {work}.").format(
            work=rec.description
        )
        if rec in checkout.unsigned_safety_items(self.order):
            self.page.banner.show_error(
                translate(
                    "CheckoutUi",
                    "{work} is safety-relevant: the order cannot be settled until the customer "
                    "signs that they declined it.",
                ).format(work=rec.description)
            )
        else:
            self.page.banner.show_info(message)
        self.page.status(message)

    # -- hand over -----------------------------------------------------------------------
    def deliver(self) -> None:
        checks = {key: box.isChecked() for key, box in self.boxes.items()}
        order = self.order
        key = self.draft_key()
        if self.run(
            checkout.deliver,
            order,
            self.next_date.date().toPython(),
            self.next_km.value(),
            self.follow_edit.text(),
            checks,
            self.first_box.isChecked(),
            done=translate("CheckoutUi", "{number} handed over. Take the payment.").format(
                number=order.number
            ),
        ):
            self._draft_timer.stop()
            drafts.discard(key)
            self.page.show_step("payment")


# --------------------------------------------------------------------------- settlement slip


class SlipStep(Step):
    """The settlement slip (车辆维修结算单) as it stands: only authorised, completed lines;
    warranty, internal and goodwill separated; discounts; tax; the amount in figures and 大写."""

    form_name = "checkout_slip"

    def __init__(self, page: CheckoutPage) -> None:
        super().__init__(page)
        self.state_label = child(self.form, QLabel, "stateLabel")
        self.proposed_label = child(self.form, QLabel, "proposedLabel")
        self.slip_view = child(self.form, QTableView, "slipTable")
        self.line_discount_button = child(self.form, QPushButton, "lineDiscountButton")
        self.total_discount_button = child(self.form, QPushButton, "totalDiscountButton")
        self.limit_label = child(self.form, QLabel, "limitLabel")
        self.print_button = child(self.form, QPushButton, "printButton")
        box = child(self.form, QWidget, "approvalsBox")
        self.approvals = ApprovalsPanel(("discount",), self._apply_text, self.apply_approval, box)
        box.layout().addWidget(self.approvals)
        self.slip = RowTableModel(
            [
                Column(lambda: translate("CheckoutUi", "Work / part"), lambda r: r.description),
                Column(lambda: translate("CheckoutUi", "Kind"), lambda r: labels.line_kind(r.kind)),
                Column(
                    lambda: translate("CheckoutUi", "Hours / qty"),
                    lambda r: r.units,
                    align_right=True,
                ),
                Column(
                    lambda: translate("CheckoutUi", "Unit price"),
                    lambda r: r.unit_price,
                    align_right=True,
                ),
                Column(
                    lambda: translate("CheckoutUi", "Gross"), lambda r: r.gross, align_right=True
                ),
                Column(
                    lambda: translate("CheckoutUi", "Discount"),
                    lambda r: r.discount,
                    align_right=True,
                ),
                Column(
                    lambda: translate("CheckoutUi", "Pay type"),
                    lambda r: labels.pay_type(r.pay_type),
                ),
                Column(
                    lambda: translate("CheckoutUi", "Customer pays"),
                    lambda r: r.customer_amount,
                    align_right=True,
                ),
            ],
            self,
            is_dimmed=lambda r: r.pay_type != "customer",
        )
        _setup_table(self.slip_view, self.slip)
        self.values: dict[str, QLabel] = {}
        customer_form = child(self.form, QFormLayout, "customerForm")
        other_form = child(self.form, QFormLayout, "otherForm")
        rows = [
            (customer_form, "gross", translate("CheckoutUi", "Labour and parts")),
            (customer_form, "discount", translate("CheckoutUi", "Discounts")),
            (customer_form, "total", translate("CheckoutUi", "Total (tax included)")),
            (customer_form, "tax", translate("CheckoutUi", "of which tax")),
            (customer_form, "words", translate("CheckoutUi", "In capitals (大写)")),
            (customer_form, "paid", translate("CheckoutUi", "Paid")),
            (customer_form, "credit", translate("CheckoutUi", "On account")),
            (customer_form, "due", translate("CheckoutUi", "Still due")),
            (other_form, "warranty", translate("CheckoutUi", "Warranty: manufacturer claim")),
            (other_form, "internal", translate("CheckoutUi", "Internal")),
            (other_form, "goodwill", translate("CheckoutUi", "Goodwill")),
        ]
        for form, key, title in rows:
            value = QLabel(self)
            value.setObjectName(f"value_{key}")
            value.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            if key != "words":
                value.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            value.setMinimumWidth(110)
            if key in ("total", "due"):
                value.setStyleSheet("font-weight:bold; font-size:12pt;")
            form.addRow(title, value)
            self.values[key] = value
        self.line_discount_button.clicked.connect(self.discount_line)
        self.total_discount_button.clicked.connect(self.discount_total)
        self.print_button.clicked.connect(self.print_slip)
        self.slip_view.selectionModel().currentRowChanged.connect(lambda *_: self._buttons())
        self.preview: checkout.SettlementPreview | None = None

    def fill(self) -> None:
        order = self.order
        p = self.preview = checkout.settlement_preview(order)
        state = self.state()
        settlement = active_settlement(order)
        if settlement is not None:
            self.state_label.setText(
                translate(
                    "CheckoutUi",
                    "Settled as {number} on {when} by {who}. The order is frozen; a correction "
                    "needs a manager-approved void.",
                ).format(
                    number=settlement.number,
                    when=_when(settlement.settled_at),
                    who=settlement.settled_by.name if settlement.settled_by_id else "",
                )
            )
            self.state_label.setStyleSheet("color:#1d5a2b; font-weight:bold;")
        elif state == State.READY:
            self.state_label.setText(
                translate(
                    "CheckoutUi",
                    "Preview: the bill is settled after the car is handed over to the customer.",
                )
            )
            self.state_label.setStyleSheet("color:#555;")
        else:
            self.state_label.setText(
                translate(
                    "CheckoutUi",
                    "Only authorised and completed work is on the slip; warranty work is free for "
                    "the customer.",
                )
            )
            self.state_label.setStyleSheet("color:#555;")
        self.proposed_label.setText(
            translate(
                "CheckoutUi",
                "Additional work still awaiting the customer's authorisation is never charged "
                "and blocks settling: {lines}.",
            ).format(lines=", ".join(ln.description for ln in p.proposed))
            if p.proposed
            else ""
        )
        self.proposed_label.setVisible(bool(p.proposed))
        self.slip.set_rows(p.lines)
        v = self.values
        v["gross"].setText(fmt(p.customer_gross))
        discount = fmt(-p.discount_total) if p.discount_total else fmt(ZERO)
        if p.line_discounts and p.order_discount:
            discount += "  " + translate("CheckoutUi", "(lines {lines}, total {total})").format(
                lines=fmt(p.line_discounts), total=fmt(p.order_discount)
            )
        v["discount"].setText(discount)
        v["total"].setText(fmt(p.customer_total))
        v["tax"].setText(
            translate("CheckoutUi", "{amount} ({rate}%)").format(
                amount=fmt(p.tax), rate=f"{(settings().tax_rate * 100).normalize():f}"
            )
        )
        v["words"].setText(p.total_in_words)
        v["paid"].setText(fmt(p.paid))
        v["credit"].setText(fmt(p.on_account))
        v["due"].setText(fmt(p.due))
        v["warranty"].setText(fmt(p.warranty_claim))
        v["internal"].setText(fmt(p.internal_total))
        v["goodwill"].setText(fmt(p.goodwill_total))
        limit = money(p.customer_gross * settings().discount_limit_percent / 100)
        self.limit_label.setText(
            translate("CheckoutUi", "Up to {limit} without approval.").format(limit=fmt(limit))
        )
        self.approvals.load(order, self._editable() and allowed(self.actor, checkout.set_discount))
        self._buttons()

    def _editable(self) -> bool:
        return self.order is not None and self.state() in (State.READY, State.DELIVERED)

    def _buttons(self) -> None:
        line = self.selected_line()
        self.may(
            self.line_discount_button,
            checkout.set_discount,
            self._editable() and line is not None and line.pay_type == "customer",
        )
        self.may(self.total_discount_button, checkout.set_discount, self._editable())
        self.print_button.setEnabled(
            self.order is not None and active_settlement(self.order) is not None
        )

    def selected_line(self) -> checkout.SlipLine | None:
        index = self.slip_view.currentIndex()
        return self.slip.row_at(index.row()) if index.isValid() else None

    def select_line(self, description: str) -> bool:
        for row, line in enumerate(self.slip.rows):
            if line.description == description:
                self.slip_view.setCurrentIndex(self.slip.index(row, 0))
                return True
        return False

    def discount_line(self) -> DiscountDialog | None:
        line = self.selected_line()
        if line is None:
            return None
        return self._discount(JobLine.get_by_id(line.id))

    def discount_total(self) -> DiscountDialog:
        return self._discount(None)

    def _discount(self, line: JobLine | None) -> DiscountDialog:
        dialog = DiscountDialog(self.actor, self.order, line, self)
        dialog.accepted.connect(lambda: self._discount_done(dialog.approval))
        dialog.open()
        return dialog

    def _discount_done(self, approval: Approval | None) -> None:
        self.page.reload()
        if approval is not None:
            text = translate(
                "CheckoutUi",
                "Approval requested. The discount is applied once the general manager approves "
                "it (press F5 to look again).",
            )
        else:
            text = translate(
                "CheckoutUi", "Discount applied: the customer now pays {total}."
            ).format(total=fmt(checkout.settlement_preview(self.order).customer_total))
        self.page.banner.show_info(text)
        self.page.status(text)

    def _apply_text(self, approval: Approval) -> str | None:
        data = payload_of(approval)
        if data.get("action") != "discount":
            return None
        return translate("CheckoutUi", "Apply discount of {amount}").format(
            amount=fmt(to_decimal(data.get("amount") or "0"))
        )

    def apply_approval(self, approval: Approval) -> None:
        data = payload_of(approval)
        line = data.get("line")
        self.run(
            checkout.set_discount,
            self.order,
            int(line) if line else None,
            amount=data.get("amount"),
            done=translate("CheckoutUi", "Approved discount applied."),
        )

    def print_slip(self) -> None:
        self.page.print_document("settlement")


def active_settlement(order: RepairOrder) -> Settlement | None:
    return Settlement.get_or_none((Settlement.order == order) & (Settlement.state == "active"))


# --------------------------------------------------------------------------- payment


class PaymentStep(Step):
    """Payments (several per order, several methods), settling, voids and refunds."""

    form_name = "checkout_payment"

    def __init__(self, page: CheckoutPage) -> None:
        super().__init__(page)
        self.due_label = child(self.form, QLabel, "dueLabel")
        self.words_label = child(self.form, QLabel, "dueWordsLabel")
        self.method_combo = child(self.form, QComboBox, "methodCombo")
        self.amount_edit = child(self.form, QLineEdit, "amountEdit")
        self.tendered_edit = child(self.form, QLineEdit, "tenderedEdit")
        self.change_label = child(self.form, QLabel, "changeLabel")
        self.reference_edit = child(self.form, QLineEdit, "referenceEdit")
        self.credit_label = child(self.form, QLabel, "creditLabel")
        self.take_button = child(self.form, QPushButton, "takeButton")
        self.block_label = child(self.form, QLabel, "blockLabel")
        self.settle_button = child(self.form, QPushButton, "settleButton")
        self.payments_view = child(self.form, QTableView, "paymentsTable")
        self.void_button = child(self.form, QPushButton, "voidButton")
        self.refund_button = child(self.form, QPushButton, "refundButton")
        self.take_form = child(self.form, QFormLayout, "takeForm")
        for edit in (self.amount_edit, self.tendered_edit):
            edit.setValidator(decimal_validator(edit, 8, 2))
            edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        fill_methods(self.method_combo)
        last = app_settings().value("checkout/payment_method", "cash", str)
        self.method_combo.setCurrentIndex(max(0, self.method_combo.findData(last)))
        box = child(self.form, QWidget, "approvalsBox")
        self.request_bar = ApprovalRequestBar(self.actor, box)
        box.layout().addWidget(self.request_bar)
        self.approvals = ApprovalsPanel(
            ("credit", "void", "refund"), self._apply_text, self.apply_approval, box
        )
        box.layout().addWidget(self.approvals)
        self.request_bar.requested.connect(self._requested)
        self.payments = RowTableModel(
            [
                Column(lambda: translate("CheckoutUi", "Receipt no."), lambda r: r.receipt_no),
                Column(
                    lambda: translate("CheckoutUi", "Method"),
                    lambda r: labels.payment_method(r.method),
                ),
                Column(
                    lambda: translate("CheckoutUi", "Amount"), lambda r: r.amount, align_right=True
                ),
                Column(
                    lambda: translate("CheckoutUi", "Handed over"),
                    lambda r: r.tendered if r.method == "cash" else None,
                    align_right=True,
                ),
                Column(
                    lambda: translate("CheckoutUi", "Change"),
                    lambda r: r.change_given if r.method == "cash" else None,
                    align_right=True,
                ),
                Column(lambda: translate("CheckoutUi", "Reference"), lambda r: r.reference),
                Column(lambda: translate("CheckoutUi", "Time"), lambda r: r.at),
                Column(
                    lambda: translate("CheckoutUi", "By"), lambda r: r.by.name if r.by_id else ""
                ),
            ],
            self,
            is_dimmed=lambda r: r.void,
        )
        _setup_table(self.payments_view, self.payments, 5)
        self.method_combo.currentIndexChanged.connect(lambda _i: self._method_changed())
        self.amount_edit.textChanged.connect(lambda _t: self._update_change())
        self.tendered_edit.textChanged.connect(lambda _t: self._update_change())
        for edit in (self.amount_edit, self.tendered_edit, self.reference_edit):
            edit.returnPressed.connect(self.take)
        self.take_button.clicked.connect(self.take)
        self.settle_button.clicked.connect(self.settle)
        self.void_button.clicked.connect(lambda: self.correction("void"))
        self.refund_button.clicked.connect(lambda: self.correction("refund"))
        self.preview: checkout.SettlementPreview | None = None
        self._loaded_for: tuple[int, Decimal] | None = None

    def fill(self) -> None:
        order = self.order
        p = self.preview = checkout.settlement_preview(order)
        state = self.state()
        if active_settlement(order) is not None:
            self.due_label.setText(
                translate("CheckoutUi", "Settled: {total}").format(total=fmt(p.customer_total))
            )
            self.due_label.setStyleSheet("font-size:16pt; font-weight:bold; color:#1d5a2b;")
        elif p.due < 0:
            self.due_label.setText(
                translate("CheckoutUi", "Overpaid by {amount}").format(amount=fmt(-p.due))
            )
            self.due_label.setStyleSheet("font-size:16pt; font-weight:bold; color:#8a1c12;")
        else:
            self.due_label.setText(
                translate("CheckoutUi", "Due: {amount}").format(amount=fmt(p.due))
            )
            self.due_label.setStyleSheet("font-size:16pt; font-weight:bold;")
        self.words_label.setText(
            translate("CheckoutUi", "In capitals: {words}").format(
                words=p.due_in_words if active_settlement(order) is None else p.total_in_words
            )
        )
        key = (order.id, p.due)
        if self._loaded_for != key:
            self._loaded_for = key
            self.amount_edit.setText(f"{p.due}" if p.due > 0 else "")
            self.tendered_edit.clear()
            self.reference_edit.clear()
            self.request_bar.hide()
        delivered = state == State.DELIVERED
        self.payments.set_rows(
            list(Payment.select().where(Payment.order == order).order_by(Payment.at, Payment.id))
        )
        for widget in (
            self.method_combo,
            self.amount_edit,
            self.tendered_edit,
            self.reference_edit,
        ):
            widget.setEnabled(delivered and p.due > 0)
        self.may(self.take_button, checkout.take_payment, delivered and p.due > 0)
        blocks = self.blockers(p)
        self.block_label.setText(
            translate("CheckoutUi", "Before settling: {items}").format(items=" ".join(blocks))
            if blocks and delivered
            else (
                translate("CheckoutUi", "Payments are taken after the car is handed over.")
                if state == State.READY
                else ""
            )
        )
        self.may(self.settle_button, checkout.settle, delivered)
        settled = active_settlement(order) is not None and state == State.SETTLED
        self.may(self.void_button, checkout.void_settlement, settled)
        self.may(self.refund_button, checkout.refund, money(p.paid + p.on_account) > 0)
        self.approvals.load(order, True)
        self._method_changed()

    def blockers(self, p: checkout.SettlementPreview) -> list[str]:
        """What settling would refuse now, in the words of the desk."""
        items = []
        if p.proposed:
            items.append(
                translate("CheckoutUi", "additional work not authorised yet ({lines}).").format(
                    lines=", ".join(ln.description for ln in p.proposed)
                )
            )
        unsigned = checkout.unsigned_safety_items(self.order)
        if unsigned:
            items.append(
                translate(
                    "CheckoutUi",
                    "safety-relevant recommended work needs the customer's decision and signature "
                    "({items}).",
                ).format(items=", ".join(r.description for r in unsigned))
            )
        if p.due > 0:
            items.append(translate("CheckoutUi", "{due} still due.").format(due=fmt(p.due)))
        elif p.due < 0:
            items.append(
                translate("CheckoutUi", "{amount} paid too much: refund it.").format(
                    amount=fmt(-p.due)
                )
            )
        return items

    def method(self) -> str:
        return self.method_combo.currentData()

    def _set_row_visible(self, field: QWidget, visible: bool) -> None:
        self.take_form.setRowVisible(field, visible)

    def _method_changed(self) -> None:
        method = self.method()
        self._set_row_visible(self.tendered_edit, method == "cash")
        self._set_row_visible(self.change_label, method == "cash")
        self._set_row_visible(
            self.reference_edit, method in ("card", "wechat", "alipay", "transfer")
        )
        self._set_row_visible(self.credit_label, method == "on_account")
        if method == "on_account" and self.order is not None:
            customer = self.order.customer
            owed = checkout.outstanding_on_account(customer)
            if customer.kind == "company":
                self.credit_label.setText(
                    translate(
                        "CheckoutUi",
                        "{customer}: credit limit {limit}, owed on account {owed}, {left} left.",
                    ).format(
                        customer=customer.name,
                        limit=fmt(customer.credit_limit),
                        owed=fmt(owed),
                        left=fmt(max(money(customer.credit_limit - owed), ZERO)),
                    )
                )
            else:
                self.credit_label.setText(
                    translate(
                        "CheckoutUi",
                        "On account is for company customers; otherwise it needs the general "
                        "manager's approval.",
                    )
                )
        self._update_change()

    def _decimal(self, edit: QLineEdit) -> Decimal | None:
        try:
            return money(edit.text()) if edit.text().strip() else None
        except ValueError:
            return None

    def change(self) -> Decimal | None:
        """The change to give for what is typed (None when not enough or not cash)."""
        amount, tendered = self._decimal(self.amount_edit), self._decimal(self.tendered_edit)
        if self.method() != "cash" or amount is None or tendered is None or tendered < amount:
            return None
        return money(tendered - amount)

    def _update_change(self) -> None:
        amount, tendered = self._decimal(self.amount_edit), self._decimal(self.tendered_edit)
        if self.method() != "cash" or tendered is None or amount is None:
            self.change_label.setText("")
            return
        if tendered < amount:
            self.change_label.setText(
                translate("CheckoutUi", "{missing} short").format(missing=fmt(amount - tendered))
            )
            self.change_label.setStyleSheet("font-size:14pt; font-weight:bold; color:#8a1c12;")
        else:
            self.change_label.setText(fmt(tendered - amount))
            self.change_label.setStyleSheet("font-size:14pt; font-weight:bold; color:#1d5a2b;")

    def take(self) -> Payment | None:
        if not self.take_button.isEnabled():
            return None
        method = self.method()
        app_settings().setValue("checkout/payment_method", method)
        tendered = self.tendered_edit.text().strip() if method == "cash" else None
        reference = self.reference_edit.text() if self.reference_edit.isVisibleTo(self) else ""
        self.request_bar.hide()
        try:
            payment = checkout.take_payment(
                self.actor, self.order, method, self.amount_edit.text(), tendered or None, reference
            )
        except ApprovalRequired as exc:
            self.page.banner.show_error(str(exc))
            self.request_bar.offer(
                exc,
                self.order,
                {"action": "payment", "method": method, "amount": self.amount_edit.text().strip()},
            )
            return None
        except DomainError as exc:
            self.page.banner.show_error(str(exc))
            return None
        self.page.reload()
        text = translate("CheckoutUi", "Receipt {receipt}: {amount} by {method}.").format(
            receipt=payment.receipt_no,
            amount=fmt(payment.amount),
            method=labels.payment_method(payment.method),
        )
        if payment.method == "cash" and payment.change_given:
            text += " " + translate("CheckoutUi", "Give {change} change.").format(
                change=fmt(payment.change_given)
            )
        self.page.banner.show_info(text)
        self.page.status(text)
        return payment

    def _requested(self, _approval: Approval) -> None:
        self.page.reload()
        text = translate(
            "CheckoutUi",
            "Approval requested. Once the general manager approves it, take the payment from "
            "the approvals list (F5 looks again).",
        )
        self.page.banner.show_info(text)
        self.page.status(text)

    def _apply_text(self, approval: Approval) -> str | None:
        data = payload_of(approval)
        if approval.kind == "credit" and data.get("action") == "payment":
            return translate("CheckoutUi", "Put {amount} on account").format(
                amount=fmt(to_decimal(data.get("amount") or "0"))
            )
        if approval.kind == "void":
            return translate("CheckoutUi", "Void now")
        if approval.kind == "refund" and approval.amount is not None:
            return translate("CheckoutUi", "Refund {amount} in cash").format(
                amount=fmt(approval.amount)
            )
        return None

    def apply_approval(self, approval: Approval) -> None:
        data = payload_of(approval)
        if approval.kind == "credit":
            self.run(
                checkout.take_payment,
                self.order,
                "on_account",
                data.get("amount"),
                done=translate("CheckoutUi", "Put on account with the manager's approval."),
            )
        elif approval.kind == "void":
            self.run(
                checkout.void_settlement,
                self.order,
                approval.id,
                done=translate(
                    "CheckoutUi", "Settlement voided: correct the order and settle again."
                ),
            )
        elif approval.kind == "refund":
            self.run(
                checkout.refund,
                self.order,
                approval.amount,
                "cash",
                approval.id,
                done=translate("CheckoutUi", "Refund recorded."),
            )

    def settle(self) -> Settlement | None:
        settlement = self.run(
            checkout.settle,
            self.order,
            done=translate(
                "CheckoutUi", "Settled. Print the settlement slip and issue the gate pass."
            ),
        )
        if settlement:
            self.page.show_step("gate")
        return settlement

    def correction(self, kind: str) -> ManagerApprovalDialog:
        dialog = ManagerApprovalDialog(self.actor, self.order, kind, self)
        done = {
            "void": translate(
                "CheckoutUi", "Settlement voided: correct the order and settle again."
            ),
            "refund": translate("CheckoutUi", "Refund recorded."),
        }[kind]
        dialog.accepted.connect(lambda: self._corrected(done, kind))
        dialog.open()
        return dialog

    def _corrected(self, text: str, kind: str) -> None:
        self.page.reload()
        self.page.banner.show_info(text)
        self.page.status(text)
        if kind == "void":
            self.page.show_step("slip")


# --------------------------------------------------------------------------- gate pass


class GateStep(Step):
    """The gate pass (出门证): issued for a settled order, printed, used once at the gate."""

    form_name = "checkout_gate"

    def __init__(self, page: CheckoutPage) -> None:
        super().__init__(page)
        self.state_label = child(self.form, QLabel, "stateLabel")
        self.number_label = child(self.form, QLabel, "numberLabel")
        self.code_label = child(self.form, QLabel, "codeLabel")
        self.issued_label = child(self.form, QLabel, "issuedLabel")
        self.status_label = child(self.form, QLabel, "statusLabel")
        self.next_label = child(self.form, QLabel, "nextLabel")
        self.follow_label = child(self.form, QLabel, "followLabel")
        self.issue_button = child(self.form, QPushButton, "issueButton")
        self.print_button = child(self.form, QPushButton, "printButton")
        self.gate_button = child(self.form, QPushButton, "gateButton")
        self.slip_button = QPushButton(translate("CheckoutUi", "Print settlement &slip…"), self)
        self.slip_button.setObjectName("printSlipButton")
        self.slip_button.setAutoDefault(False)
        child(self.form, QHBoxLayout, "gateButtons").insertWidget(0, self.slip_button)
        self.issue_button.clicked.connect(self.issue)
        self.print_button.clicked.connect(lambda: self.page.print_document("gate-pass"))
        self.slip_button.clicked.connect(lambda: self.page.print_document("settlement"))
        self.gate_button.clicked.connect(self.open_gate)
        self.gate_pass: GatePass | None = None

    def fill(self) -> None:
        order = self.order
        state = self.state()
        self.gate_pass = (
            GatePass.select()
            .where((GatePass.order == order) & (GatePass.void == False))  # noqa: E712
            .order_by(GatePass.id.desc())
            .first()
        )
        gp = self.gate_pass
        if state in (State.READY, State.DELIVERED):
            text = translate(
                "CheckoutUi",
                "The gate pass is issued once the order is settled; the car leaves only with it.",
            )
        elif state == State.SETTLED and gp is None:
            text = translate(
                "CheckoutUi", "Settled: issue the gate pass and give it to the customer."
            )
        elif state == State.SETTLED:
            text = translate(
                "CheckoutUi", "The customer shows this gate pass at the gate; it is valid once."
            )
        else:
            text = translate("CheckoutUi", "The car left the shop at {when}.").format(
                when=_when(order.left_at)
            )
        self.state_label.setText(text)
        self.number_label.setText(gp.number if gp else "—")
        self.code_label.setText(gp.code if gp else "—")
        self.issued_label.setText(
            translate("CheckoutUi", "{when} by {who}").format(
                when=_when(gp.issued_at), who=gp.issued_by.name if gp.issued_by_id else ""
            )
            if gp
            else "—"
        )
        if gp is None:
            self.status_label.setText("—")
            self.status_label.setStyleSheet("")
        elif gp.used_at:
            self.status_label.setText(
                translate("CheckoutUi", "Used: the car left at {when}").format(
                    when=_when(gp.used_at)
                )
            )
            self.status_label.setStyleSheet("color:#555; font-weight:bold;")
        else:
            self.status_label.setText(translate("CheckoutUi", "Valid, not used yet"))
            self.status_label.setStyleSheet("color:#1d5a2b; font-weight:bold;")
        if order.next_service_date:
            self.next_label.setText(
                translate("CheckoutUi", "{date} or {km} km, whichever comes first").format(
                    date=order.next_service_date.isoformat(),
                    km=f"{order.next_service_km or 0:,}",
                )
            )
        else:
            self.next_label.setText("—")
        follow = FollowUp.select().where(FollowUp.order == order).order_by(FollowUp.id).first()
        if follow is not None:
            self.follow_label.setText(
                translate("CheckoutUi", "Scheduled for {when}").format(when=_when(follow.due_at))
            )
        else:
            self.follow_label.setText(
                order.follow_up_time or translate("CheckoutUi", "Scheduled when the car leaves.")
            )
        self.may(self.issue_button, checkout.issue_gate_pass, state == State.SETTLED and gp is None)
        self.print_button.setEnabled(gp is not None and state == State.SETTLED)
        self.slip_button.setEnabled(active_settlement(order) is not None)

    def issue(self) -> GatePass | None:
        gp = self.run(
            checkout.issue_gate_pass,
            self.order,
            done=translate("CheckoutUi", "Gate pass issued. Print it for the customer."),
        )
        return gp

    def open_gate(self):  # noqa: ANN201 - GateWindow
        return self.page.open_gate(self.gate_pass.number if self.gate_pass else None)
