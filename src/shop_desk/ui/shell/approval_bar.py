"""Asking the general manager: the bar a step shows when it needs an approval, and the
order's approval requests worth showing. Used at checkout and in after-sales."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.i18n import translate
from shop_desk.models import Approval, RepairOrder, Staff
from shop_desk.services import approvals
from shop_desk.services.approvals import ApprovalRequired, kind_label


def order_approvals(order: RepairOrder, kinds: tuple[str, ...]) -> list[Approval]:
    """This order's approval requests of ``kinds`` worth showing: waiting, approved and not
    used yet, or refused today."""
    today = dt.datetime.combine(clock.today(), dt.time())
    rows = (
        Approval.select()
        .where((Approval.order == order) & Approval.kind.in_(kinds))
        .order_by(Approval.id)
    )
    return [
        r
        for r in rows
        if r.state in ("pending", "approved")
        or (r.state == "rejected" and r.decided_at and r.decided_at >= today)
    ]


class ApprovalRequestBar(QFrame):
    """Shown when a step needs the general manager: the reason, then "Request manager approval".

    ``requested(approval)`` fires after the request is stored; the manager decides it in the
    in-tray and the step is applied from the approvals list afterwards."""

    requested = Signal(object)

    def __init__(self, actor: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("approvalRequestBar")
        self.setStyleSheet(
            "QFrame#approvalRequestBar { background:#fff8e1; border:1px solid #f0c36d; "
            "border-radius:4px; }"
        )
        self.actor = actor
        self.kind = ""
        self.order: RepairOrder | None = None
        self.amount: Decimal | None = None
        self.payload: dict[str, Any] = {}
        layout = QVBoxLayout(self)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        layout.addWidget(self.message_label)
        row = QHBoxLayout()
        self.reason_edit = QLineEdit(self)
        self.reason_edit.setObjectName("approvalReasonEdit")
        self.reason_edit.setMaxLength(1000)
        self.reason_edit.setPlaceholderText(translate("CheckoutUi", "Why? (the manager reads it)"))
        self.request_button = QPushButton(
            translate("CheckoutUi", "Request manager &approval"), self
        )
        self.request_button.setObjectName("requestApprovalButton")
        self.request_button.setAutoDefault(False)
        row.addWidget(self.reason_edit, 1)
        row.addWidget(self.request_button)
        layout.addLayout(row)
        self.error_label = QLabel(self)
        self.error_label.setStyleSheet("color:#8a1c12;")
        self.error_label.setWordWrap(True)
        self.error_label.hide()
        layout.addWidget(self.error_label)
        self.request_button.clicked.connect(self.request)
        self.reason_edit.returnPressed.connect(self.request)
        self.hide()

    def offer(self, exc: ApprovalRequired, order: RepairOrder, payload: dict[str, Any]) -> None:
        """Show the offer for the approval ``exc`` asks for (a waiting one needs no new request)."""
        self.kind, self.order, self.amount, self.payload = exc.kind, order, exc.amount, payload
        waiting = any(
            a.state == "pending" and a.kind == exc.kind for a in order_approvals(order, (exc.kind,))
        )
        self.message_label.setText(
            translate(
                "CheckoutUi",
                "This needs the general manager's approval ({what}). Say why and request it; "
                "the manager decides in the approvals in-tray.",
            ).format(what=kind_label(exc.kind))
            if not waiting
            else translate(
                "CheckoutUi",
                "A request is already waiting for the general manager. You can request again "
                "for this amount.",
            )
        )
        self.error_label.hide()
        self.show()
        self.reason_edit.setFocus()

    def request(self) -> Approval | None:
        from shop_desk.errors import DomainError

        try:
            row = approvals.request_approval(
                self.actor,
                self.kind,
                self.order,
                self.amount,
                self.reason_edit.text(),
                self.payload,
            )
        except DomainError as exc:
            self.error_label.setText(str(exc))
            self.error_label.show()
            self.reason_edit.setFocus()
            return None
        self.reason_edit.clear()
        self.hide()
        self.requested.emit(row)
        return row
