"""The delivery with the customer: the work done, recommended work, next service and follow-up time.

A tab of the checkout page (PROCESS.md §7–§8); it talks to the page only through
:class:`~shop_desk.ui.checkout.step.StepHost`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QDate, Qt, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDateEdit,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableView,
    QWidget,
)

from shop_desk import clock, drafts
from shop_desk.i18n import join_list, translate
from shop_desk.models import JobLine, Recommendation, RepairOrder
from shop_desk.printing import labels
from shop_desk.services import checkout, workshop
from shop_desk.services.orders import line_total, settings
from shop_desk.states import FROZEN_STATES, State, state_label
from shop_desk.ui.checkout.dialogs import DeclineDialog, RecommendationDialog
from shop_desk.ui.checkout.step import (
    Step,
    StepHost,
    auth_label,
    clear_layout,
    setup_table,
    signature_state,
    when_text,
)
from shop_desk.ui.shell.fit import readable_column
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.uiload import child


class DeliveryStep(Step):
    """The delivery with the customer (陪同验车): work explained, recommended work decided,
    next service, follow-up call time; then the car is handed over (READY → DELIVERED)."""

    form_name = "checkout_delivery"

    def __init__(self, page: StepHost) -> None:
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
        # the team leader's repair advice (班组长建议), to pass on to the customer here
        self.advice_label = QLabel(self.form)
        self.advice_label.setObjectName("leaderAdviceLabel")
        self.advice_label.setWordWrap(True)
        self.advice_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.advice_label.setStyleSheet("color:#7a4b00;")
        rec_layout = child(self.form, QGroupBox, "recGroup").layout()
        rec_layout.insertWidget(1, self.advice_label)
        next_form = child(self.form, QGroupBox, "nextGroup").layout()
        next_form.insertRow(2, "", self.first_box)
        self.work = RowTableModel(
            [
                Column(lambda: translate("CheckoutUi", "Work"), lambda r: r.description),
                Column(lambda: translate("CheckoutUi", "Kind"), lambda r: labels.line_kind(r.kind)),
                Column(lambda: translate("CheckoutUi", "Customer's decision"), auth_label),
                Column(  # declined work is not paid for: no pay type, no amount
                    lambda: translate("CheckoutUi", "Pay type"),
                    lambda r: "—" if r.auth_state == "declined" else labels.pay_type(r.pay_type),
                ),
                Column(
                    lambda: translate("CheckoutUi", "Amount"),
                    lambda r: "—" if r.auth_state == "declined" else line_total(r),
                    align_right=True,
                ),
            ],
            self,
            is_dimmed=lambda r: r.auth_state != "authorised",
        )
        setup_table(self.work_view, self.work)
        readable_column(self.work_view, 0)  # the work wraps, never "…" with a scroll bar
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
        setup_table(self.rec_view, self.recs)
        readable_column(self.rec_view, 0)
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
                items=join_list(
                    [
                        f"{r.description} ({r.declined_at:%Y-%m-%d})"
                        if r.declined_at
                        else r.description
                        for r in earlier[:5]
                    ],
                    clauses=True,
                )
            )
            if earlier
            else ""
        )
        self.archive_label.setVisible(bool(earlier))
        advice = [c.advice for c in workshop.qc_history(order) if c.stage == "leader" and c.advice]
        self.advice_label.setText(
            translate("CheckoutUi", "Team leader's advice for the customer: {advice}").format(
                advice=" · ".join(advice)
            )
            if advice
            else ""
        )
        self.advice_label.setVisible(bool(advice))
        self.may(self.add_rec_button, checkout.add_recommendation, editable)
        self._rec_buttons()
        # the walk-around items
        old = {k: b.isChecked() for k, b in self.boxes.items()} if not fresh else {}
        layout = self.walk_box.layout()
        clear_layout(layout)
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
                    when=when_text(order.delivered_at), state=state_label(order.state)
                )
            )
        else:
            if not checkout.final_qc_passed(order):
                blocks.append(translate("CheckoutUi", "No passed final inspection yet."))
            if not checkout.delivery_check_done(order):
                blocks.append(translate("CheckoutUi", "Do the internal delivery check first."))
            if not checkout.customer_told(order):
                blocks.append(
                    translate("CheckoutUi", "Tell the customer first (2 Notify customer).")
                )
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
