"""Payments, settling, and corrections (void, refund) with the manager's approval.

A tab of the checkout page (PROCESS.md §7–§8); it talks to the page only through
:class:`~shop_desk.ui.checkout.step.StepHost`."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk.errors import DomainError
from shop_desk.i18n import join_list, translate
from shop_desk.models import Approval, Payment, RepairOrder, Settlement
from shop_desk.money import ZERO, fmt, money, to_decimal
from shop_desk.printing import labels
from shop_desk.services import checkout, insurance
from shop_desk.services.approvals import ApprovalRequired
from shop_desk.states import State
from shop_desk.ui.checkout.dialogs import (
    ApprovalsPanel,
    ManagerApprovalDialog,
    fill_methods,
    payload_of,
)
from shop_desk.ui.checkout.insurance_split import InsuranceSplitBox
from shop_desk.ui.checkout.step import Step, StepHost, active_settlement, setup_table
from shop_desk.ui.shell.approval_bar import ApprovalRequestBar
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.uiload import child
from shop_desk.ui.shell.widgets import allowed, app_settings, decimal_validator


class PaymentStep(Step):
    """Payments (several per order, several methods), settling, voids and refunds."""

    form_name = "checkout_payment"

    def __init__(self, page: StepHost) -> None:
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
        setup_table(self.payments_view, self.payments, 5)
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
        self.insurance_box = InsuranceSplitBox(self.form)
        self.form.findChild(QVBoxLayout, "takeColumn").insertWidget(2, self.insurance_box)
        self.insurance_box.confirm_requested.connect(self.confirm_insurer)

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
        if self._loaded_for is None or self._loaded_for[0] != order.id:
            self.preselect_method(order)
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
        self.insurance_box.show_split(
            p.insurance,
            delivered and allowed(self.actor, insurance.confirm_insurer_part),
        )
        settled = active_settlement(order) is not None and state == State.SETTLED
        self.may(self.void_button, checkout.void_settlement, settled)
        self.may(self.refund_button, checkout.refund, money(p.paid + p.on_account) > 0)
        self.approvals.load(order, True)
        self._method_changed()

    def preselect_method(self, order: RepairOrder) -> None:
        """The method agreed on the task order (asked once, at reception); else this desk's last."""
        agreed = self.method_combo.findData(order.payment_method or "")
        if agreed < 0:
            agreed = self.method_combo.findData(
                app_settings().value("checkout/payment_method", "cash", str)
            )
        self.method_combo.setCurrentIndex(max(0, agreed))

    def blockers(self, p: checkout.SettlementPreview) -> list[str]:
        """What settling would refuse now, in the words of the desk."""
        items = []
        if p.proposed:
            items.append(
                translate("CheckoutUi", "additional work not authorised yet ({lines}).").format(
                    lines=join_list(ln.description for ln in p.proposed)
                )
            )
        insured = insurance.settle_refusal(p.insurance)
        if insured is not None:
            items.append(insured)
        unsigned = checkout.unsigned_safety_items(self.order)
        if unsigned:
            items.append(
                translate(
                    "CheckoutUi",
                    "safety-relevant recommended work needs the customer's decision and signature "
                    "({items}).",
                ).format(items=join_list(r.description for r in unsigned))
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

    def confirm_insurer(self) -> None:
        """The insurer confirmed what it pays (by phone or its statement): record it."""
        if self.order is None:
            return
        self.run(
            insurance.confirm_insurer_part,
            self.order.id,
            done=translate("CheckoutUi", "The insurer's confirmation is recorded."),
        )

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
