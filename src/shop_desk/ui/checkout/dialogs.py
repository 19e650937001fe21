"""Dialogs and small panels of the checkout desk: discounts, manager approvals (request from the
screen, or the manager's PIN on this PC for voids and refunds), recommended work and the
customer's signature when a safety item is declined.

Every change goes through :mod:`shop_desk.services.checkout` / :mod:`~shop_desk.services.approvals`;
refusals stay in the dialog with the input kept.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk.errors import ValidationError
from shop_desk.i18n import translate
from shop_desk.models import Approval, JobLine, Recommendation, RepairOrder, Staff, StaffRole
from shop_desk.models.checkout import PAYMENT_METHODS
from shop_desk.money import fmt, money
from shop_desk.printing import labels
from shop_desk.services import approvals, checkout, pricing
from shop_desk.services.approvals import ApprovalRequired, kind_label
from shop_desk.services.orders import line_gross, settings
from shop_desk.ui.shell.approval_bar import ApprovalRequestBar, order_approvals
from shop_desk.ui.shell.widgets import FormDialog, decimal_edit

# --------------------------------------------------------------------------- reads


def managers() -> list[Staff]:
    """Active staff who may approve (general manager or deputy approver), by name."""
    return list(
        Staff.select()
        .join(StaffRole)
        .where(
            StaffRole.role.in_([r.value for r in approvals.DECIDERS]) & (Staff.active == True)  # noqa: E712
        )
        .order_by(Staff.name)
        .distinct()
    )


def payload_of(approval: Approval) -> dict[str, Any]:
    try:
        data = json.loads(approval.payload or "{}")
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def method_label(code: str) -> str:
    return labels.payment_method(code)


def fill_methods(combo: QComboBox, methods: tuple[str, ...] = PAYMENT_METHODS) -> None:
    combo.clear()
    for code in methods:
        combo.addItem(method_label(code), code)


# --------------------------------------------------------------------------- approvals list


def approval_text(row: Approval) -> str:
    """One line about a request: what, how much, who asked, and the manager's answer."""
    what = kind_label(row.kind)
    if row.amount is not None:
        what = translate("CheckoutUi", "{what} of {amount}").format(
            what=what, amount=fmt(row.amount)
        )
    who = row.requested_by.name if row.requested_by_id else ""
    when = row.requested_at.strftime("%H:%M") if row.requested_at else ""
    if row.state == "pending":
        return translate(
            "CheckoutUi", "Waiting for the general manager: {what} (asked by {who} at {when})."
        ).format(what=what, who=who, when=when)
    if row.state == "approved":
        return translate("CheckoutUi", "Approved by {manager}: {what}.").format(
            manager=row.decided_by.name if row.decided_by_id else "", what=what
        )
    return translate("CheckoutUi", "Refused by {manager}: {what}. {reason}").format(
        manager=row.decided_by.name if row.decided_by_id else "",
        what=what,
        reason=row.decision_reason or "",
    )


class ApprovalsPanel(QWidget):
    """The order's approval requests of some kinds; approved ones get an "apply" button.

    ``apply_text(approval)`` names the button (None: no button), ``apply(approval)`` runs it."""

    def __init__(
        self,
        kinds: tuple[str, ...],
        apply_text: Callable[[Approval], str | None],
        apply: Callable[[Approval], None],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.kinds = kinds
        self.apply_text = apply_text
        self.apply = apply
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.rows: list[Approval] = []
        self.buttons: dict[int, QPushButton] = {}
        self.enabled_apply = True

    def load(self, order: RepairOrder | None, can_apply: bool = True) -> None:
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons.clear()
        self.rows = order_approvals(order, self.kinds) if order is not None else []
        for row in self.rows:
            line = QFrame(self)
            colour = {"pending": "#fff8e1", "approved": "#e8f4ea", "rejected": "#fdecea"}[row.state]
            line.setStyleSheet(f"QFrame {{ background:{colour}; border-radius:4px; }}")
            h = QHBoxLayout(line)
            h.setContentsMargins(6, 3, 6, 3)
            label = QLabel(approval_text(row), line)
            label.setWordWrap(True)
            label.setObjectName(f"approval_{row.id}")
            h.addWidget(label, 1)
            text = self.apply_text(row) if row.state == "approved" else None
            if text:
                button = QPushButton(text, line)
                button.setObjectName(f"applyApproval_{row.id}")
                button.setAutoDefault(False)
                button.setEnabled(can_apply)
                button.clicked.connect(lambda _=False, r=row: self.apply(r))
                h.addWidget(button)
                self.buttons[row.id] = button
            self.layout_.addWidget(line)
        self.setVisible(bool(self.rows))

    def button_for(self, approval: Approval | int) -> QPushButton | None:
        key = approval.id if isinstance(approval, Approval) else int(approval)
        return self.buttons.get(key)


# --------------------------------------------------------------------------- discount


class DiscountDialog(FormDialog):
    """A discount on one customer line or on the total; above the shop's limit it offers to
    request the manager's approval (the discount is applied once approved)."""

    def __init__(
        self,
        actor: Staff,
        order: RepairOrder,
        line: JobLine | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(
            translate("CheckoutUi", "Discount on a line")
            if line is not None
            else translate("CheckoutUi", "Discount on the total"),
            parent,
            translate("CheckoutUi", "Apply discount"),
        )
        self.setObjectName("discountDialog")
        self.actor, self.order, self.line = actor, order, line
        self.approval: Approval | None = None
        preview = checkout.settlement_preview(order)
        if line is not None:
            what = translate("CheckoutUi", "{line} (gross {amount})").format(
                line=line.description, amount=fmt(line_gross(line))
            )
            current = line.discount
        else:
            what = translate("CheckoutUi", "Total the customer pays, now {amount}").format(
                amount=fmt(preview.customer_total)
            )
            current = order.order_discount
        self.form.addRow(translate("CheckoutUi", "On"), QLabel(what))
        self.amount_edit = self.add_row(
            "amount", translate("CheckoutUi", "Discount (¥)"), decimal_edit(self)
        )
        if current:
            self.amount_edit.setText(f"{money(current)}")
        rule = pricing.order_reduction(order)
        hint = QLabel(
            translate(
                "CheckoutUi",
                "Everything below the list price on this order together (discounts, goodwill, "
                "lower rates and prices; now {now}) up to {pct}% ({limit}) needs no approval.",
            ).format(
                now=fmt(rule.total),
                pct=f"{settings().discount_limit_percent:g}",
                limit=fmt(rule.limit),
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color:#555;")
        self.form.addRow(hint)
        self.approval_bar = ApprovalRequestBar(actor, self)
        self.layout().insertWidget(self.layout().indexOf(self.error) + 1, self.approval_bar)
        self.approval_bar.requested.connect(self._requested)
        self.amount_edit.setFocus()
        self.resize(480, self.sizeHint().height())

    def submit(self) -> RepairOrder:
        self.approval_bar.hide()
        try:
            return checkout.set_discount(
                self.actor,
                self.order,
                self.line,
                amount=self.amount_edit.text(),
                expected_version=self.order.version,  # the order as this desk showed it
            )
        except ApprovalRequired as exc:
            payload = {
                "action": "discount",
                "line": self.line.id if self.line is not None else None,
                "amount": self.amount_edit.text().strip(),
            }
            self.approval_bar.offer(exc, self.order, payload)
            raise

    def _requested(self, approval: Approval) -> None:
        self.approval = approval
        self.result_value = approval
        self.accept()


# --------------------------------------------------------------------------- manager PIN


def _pin_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(64)
    return edit


class ManagerApprovalDialog(FormDialog):
    """A void or refund approved on this PC: the general manager picks their name and types
    the PIN; then the step runs with that approval (each approval covers one step)."""

    def __init__(
        self, actor: Staff, order: RepairOrder, kind: str, parent: QWidget | None = None
    ) -> None:
        titles = {
            "void": translate("CheckoutUi", "Void the settlement of {number}"),
            "refund": translate("CheckoutUi", "Refund on {number}"),
        }
        oks = {
            "void": translate("CheckoutUi", "Approve and void"),
            "refund": translate("CheckoutUi", "Approve and refund"),
        }
        super().__init__(titles[kind].format(number=order.number), parent, oks[kind])
        self.setObjectName(f"{kind}Dialog")
        self.actor, self.order, self.kind = actor, order, kind
        self.approval: Approval | None = None
        self._asked: tuple[Any, ...] | None = None
        intro = QLabel(
            translate(
                "CheckoutUi",
                "The settlement is kept and marked void; the order goes back to 'Delivered' for "
                "a corrected settlement. Payments stay and count again. This needs the general "
                "manager's approval.",
            )
            if kind == "void"
            else translate(
                "CheckoutUi",
                "Money back to the customer is recorded as a negative payment with its own "
                "receipt number. This needs the general manager's approval.",
            )
        )
        intro.setWordWrap(True)
        self.form.addRow(intro)
        if kind == "refund":
            self.amount_edit = self.add_row(
                "amount", translate("CheckoutUi", "Amount (¥)"), decimal_edit(self)
            )
            self.method_combo = self.add_row(
                "method", translate("CheckoutUi", "Paid back by"), QComboBox()
            )
            fill_methods(self.method_combo, tuple(m for m in PAYMENT_METHODS))
            self.return_box = self.add_row(
                "return",
                "",
                QCheckBox(translate("CheckoutUi", "Return of goods (退货): parts taken back")),
            )
        self.reason_edit = self.add_row("reason", translate("CheckoutUi", "Reason"), QLineEdit())
        self.reason_edit.setMaxLength(1000)
        self.manager_combo = self.add_row(
            "manager", translate("CheckoutUi", "General manager"), QComboBox()
        )
        # four eyes: the person asking cannot approve their own request
        for person in managers():
            if person.id != actor.id:
                self.manager_combo.addItem(person.name, person.id)
        self.pin_edit = self.add_row("pin", translate("CheckoutUi", "Manager's PIN"), _pin_edit())
        (self.amount_edit if kind == "refund" else self.reason_edit).setFocus()
        self.resize(500, self.sizeHint().height())

    def submit(self) -> Any:
        manager_id = self.manager_combo.currentData()
        if manager_id is None:
            raise ValidationError(
                translate(
                    "CheckoutUi",
                    "Nobody else may approve this: a second person with the general manager or "
                    "deputy approver role must approve (the administrator assigns the role).",
                ),
                "manager",
            )
        amount = self.amount_edit.text().strip() if self.kind == "refund" else None
        kind = self.approval_kind()
        asked = (kind, amount, self.reason_edit.text().strip())
        if self.approval is None or asked != self._asked or self._stale():
            self.approval = approvals.request_approval(
                self.actor, kind, self.order, amount or None, self.reason_edit.text()
            )
            self._asked = asked
        row = Approval.get_by_id(self.approval.id)
        if row.state == "pending":
            try:
                approvals.approve(Staff.get_by_id(manager_id), row, self.pin_edit.text())
            finally:
                self.pin_edit.clear()
        if self.kind == "void":
            return checkout.void_settlement(self.actor, self.order, row.id)
        return checkout.refund(
            self.actor, self.order, amount, self.method_combo.currentData(), row.id
        )

    def approval_kind(self) -> str:
        """What the manager approves: a void, a refund, or a return of goods (退货)."""
        if self.kind == "refund" and self.return_box.isChecked():
            return "return"
        return self.kind

    def _stale(self) -> bool:
        row = Approval.get_or_none(Approval.id == self.approval.id) if self.approval else None
        return row is None or row.state not in ("pending", "approved")


# --------------------------------------------------------------------------- recommendations


class RecommendationDialog(FormDialog):
    """Recommended work (建议维修项目) found on the car, with the safety flag."""

    def __init__(self, actor: Staff, order: RepairOrder, parent: QWidget | None = None) -> None:
        super().__init__(translate("CheckoutUi", "Recommended work"), parent)
        self.setObjectName("recommendationDialog")
        self.actor, self.order = actor, order
        self.description_edit = self.add_row(
            "description", translate("CheckoutUi", "Work"), QLineEdit()
        )
        self.description_edit.setMaxLength(250)
        self.safety_box = self.add_row(
            "safety",
            "",
            QCheckBox(
                translate("CheckoutUi", "Safety-relevant (brakes, tyres, steering, lights…)")
            ),
        )
        self.description_edit.setFocus()
        self.resize(480, self.sizeHint().height())

    def submit(self) -> Recommendation:
        return checkout.add_recommendation(
            self.actor, self.order, self.description_edit.text(), self.safety_box.isChecked()
        )


class DeclineDialog(FormDialog):
    """The customer declines recommended work; for a safety item the customer signs (pad or
    paper). ``sign_only`` adds the signature to an item declined before."""

    def __init__(
        self,
        actor: Staff,
        rec: Recommendation,
        parent: QWidget | None = None,
        sign_only: bool = False,
    ) -> None:
        super().__init__(
            translate("CheckoutUi", "Customer's signature for declined work")
            if sign_only
            else translate("CheckoutUi", "Declined by the customer"),
            parent,
            translate("CheckoutUi", "Save signature")
            if sign_only
            else translate("CheckoutUi", "Record decline"),
        )
        self.setObjectName("declineDialog")
        self.actor, self.rec, self.sign_only = actor, rec, sign_only
        what = QLabel(f"<b>{_html(rec.description)}</b>")
        what.setWordWrap(True)
        self.form.addRow(translate("CheckoutUi", "Work"), what)
        self.signature = None
        if rec.safety:
            note = QLabel(
                translate(
                    "CheckoutUi",
                    "Safety-relevant: explain the risk. The customer signs that they declined; "
                    "without the signature (here or on paper) the order cannot be settled.",
                )
            )
            note.setWordWrap(True)
            note.setStyleSheet("color:#8a1c12;")
            self.form.addRow(note)
            from shop_desk.ui.shell.signature_pad import SignatureField

            self.signature = SignatureField(self)
            self.signature.setMinimumHeight(190)
            self.add_row("signature", translate("CheckoutUi", "Customer"), self.signature)
        else:
            note = QLabel(
                translate(
                    "CheckoutUi", "The item stays in the vehicle's archive and is raised again."
                )
            )
            note.setWordWrap(True)
            self.form.addRow(note)
        self.resize(620 if rec.safety else 440, self.sizeHint().height())

    def submit(self) -> Recommendation:
        png, paper = None, False
        if self.signature is not None:
            problem = self.signature.problem() if not self.signature.is_empty() else ""
            if problem:
                raise ValidationError(problem, "signature")
            png, paper = self.signature.signature_png(), self.signature.on_paper()
            if self.sign_only and png is None and not paper:
                raise ValidationError(
                    translate(
                        "CheckoutUi",
                        "Let the customer sign in the box, or tick 'Signed on paper'.",
                    ),
                    "signature",
                )
        return checkout.decline_recommendation(self.actor, self.rec, png, paper)


def _html(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


__all__ = [
    "ApprovalRequestBar",
    "ApprovalsPanel",
    "DeclineDialog",
    "DiscountDialog",
    "ManagerApprovalDialog",
    "RecommendationDialog",
]
