"""Expense claims (报销单) in the back office: the supervisor approves or rejects (a false
receipt becomes a disciplinary case), the cashier pays, the manager reads. Every receipt
shows its photo; a ticket whose place is not the job's destination and a tool not returned
to the warehouse (not reimbursed) are said in words."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QColor, QIcon
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.models import ExpenseClaim, ExpenseItem, Staff
from shop_desk.services import expenses
from shop_desk.ui.field.office_common import (
    Column,
    ReceiptDialog,
    fill,
    list_view,
    money_text,
    photo,
    select_where,
    selected,
    when,
)
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog, allowed, ask

RED = "#8a1c12"
THUMB = QSize(72, 54)
STATES = ("submitted", "approved", "rejected", "paid")


def place_text(item: ExpenseItem, destination: str) -> str:
    """The ticket's place and whether it is the job's destination, in words."""
    match = expenses.ticket_matches(item)
    if match is None:
        return item.place
    if match:
        return translate("FieldOffice", "{place} — matches the destination").format(
            place=item.place
        )
    return translate(
        "FieldOffice", "{place} — does NOT match the destination {destination}"
    ).format(place=item.place or "—", destination=destination)


def tool_text(item: ExpenseItem) -> str:
    """Whether a tool bought on the road came back to the warehouse (and so is reimbursed)."""
    if item.kind != "tool":
        return ""
    if item.tool_returned_at is None:
        return translate("FieldOffice", "Not returned to the warehouse: not reimbursed")
    return translate("FieldOffice", "Returned to the warehouse {time} ({name})").format(
        time=when(item.tool_returned_at),
        name=item.tool_received_by.name if item.tool_received_by_id else "—",
    )


def reimbursed_total(claim: ExpenseClaim) -> Any:
    """What the claim pays back: as approved, or as it stands while it waits."""
    if claim.approved_total is not None:
        return claim.approved_total
    return None if claim.state == "rejected" else expenses.reimbursable(claim)


class RejectDialog(FormDialog):
    """The supervisor's reason for rejecting a claim; a false receipt is also a case in the
    penalty register for the claimant."""

    def __init__(self, actor: Staff, claim: ExpenseClaim, parent: QWidget) -> None:
        super().__init__(
            translate("FieldOffice", "Reject expense claim {number}").format(number=claim.number),
            parent,
            translate("FieldOffice", "Reject the claim"),
        )
        self.setObjectName("rejectClaimDialog")
        self.actor, self.claim = actor, claim
        self.reason = QPlainTextEdit(self)
        self.reason.setPlaceholderText(translate("FieldOffice", "Why it is not paid"))
        self.reason.setMinimumHeight(90)
        self.add_row("reason", translate("FieldOffice", "Reason:"), self.reason)
        self.false_receipt = QCheckBox(
            translate(
                "FieldOffice",
                "A receipt is false: enter a disciplinary case for {name} in the penalty register",
            ).format(name=claim.claimant.name),
            self,
        )
        self.false_receipt.setObjectName("falseReceiptBox")
        self.form.addRow(self.false_receipt)
        self.resize(560, 260)

    def submit(self) -> Any:
        return expenses.reject_expense_claim(
            self.actor,
            self.claim.id,
            self.reason.toPlainText(),
            false_receipt=self.false_receipt.isChecked(),
        )


class ExpensesTab(QWidget):
    """Expense claims by state; the selected claim's receipts, what it reimburses and the
    supervisor's and the cashier's buttons."""

    def __init__(self, staff: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldExpensesTab")
        self.staff = staff
        self.may_decide = allowed(staff, expenses.approve_expense_claim)
        self.may_pay = allowed(staff, expenses.pay_expense_claim)
        self.items: list[ExpenseItem] = []
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(translate("FieldOffice", "Show:"), self))
        self.state_combo = QComboBox(self)
        self.state_combo.setObjectName("claimStateCombo")
        self.state_combo.addItem(translate("FieldOffice", "All claims"), None)
        for state in STATES:
            self.state_combo.addItem(expenses.state_label(state), state)
        default = "submitted" if self.may_decide else "approved" if self.may_pay else None
        self.state_combo.setCurrentIndex(max(0, self.state_combo.findData(default)))
        bar.addWidget(self.state_combo)
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("claimFilterEdit")
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setPlaceholderText(
            translate("FieldOffice", "Filter: claim, field job, claimant")
        )
        bar.addWidget(self.filter_edit, 1)
        outer.addLayout(bar)

        split = QSplitter(Qt.Orientation.Vertical, self)
        self.table, self.model, self.proxy = list_view(
            split,
            "claimsTable",
            [
                Column(lambda: translate("FieldOffice", "Claim no."), lambda c: c.number),
                Column(lambda: translate("FieldOffice", "Field job"), lambda c: c.job.number),
                Column(lambda: translate("FieldOffice", "Destination"), lambda c: c.job.place),
                Column(lambda: translate("FieldOffice", "Claimant"), lambda c: c.claimant.name),
                Column(
                    lambda: translate("FieldOffice", "Submitted"),
                    lambda c: c.submitted_at,
                    display=when,
                ),
                Column(
                    lambda: translate("FieldOffice", "Claimed"),
                    lambda c: c.total,
                    display=money_text,
                    align_right=True,
                ),
                Column(
                    lambda: translate("FieldOffice", "Reimbursable"),
                    reimbursed_total,
                    display=money_text,
                    align_right=True,
                ),
                Column(
                    lambda: translate("FieldOffice", "State"),
                    lambda c: expenses.state_label(c.state),
                ),
            ],
            stretch=2,
        )
        split.addWidget(self.table)

        detail = QWidget(split)
        box = QVBoxLayout(detail)
        box.setContentsMargins(0, 4, 0, 0)
        self.heading = QLabel(detail)
        self.heading.setObjectName("claimHeading")
        self.heading.setWordWrap(True)
        self.heading.setTextFormat(Qt.TextFormat.RichText)
        box.addWidget(self.heading)
        self.items_table = QTableWidget(0, 6, detail)
        self.items_table.setObjectName("receiptsTable")
        self.items_table.setHorizontalHeaderLabels(
            [
                translate("FieldOffice", "Receipt"),
                translate("FieldOffice", "Kind"),
                translate("FieldOffice", "Description"),
                translate("FieldOffice", "Place on the ticket"),
                translate("FieldOffice", "Amount"),
                translate("FieldOffice", "Tool returned?"),
            ]
        )
        self.items_table.setIconSize(THUMB)
        self.items_table.verticalHeader().hide()
        self.items_table.verticalHeader().setDefaultSectionSize(THUMB.height() + 6)
        self.items_table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.items_table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.items_table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.items_table.setToolTip(translate("FieldOffice", "Click a receipt to see it large."))
        self.items_table.cellClicked.connect(self._cell_clicked)
        box.addWidget(self.items_table, 1)
        self.sum_label = QLabel(detail)
        self.sum_label.setObjectName("reimbursableLabel")
        self.sum_label.setWordWrap(True)
        box.addWidget(self.sum_label)
        buttons = QHBoxLayout()
        self.approve_button = QPushButton(translate("FieldOffice", "Approve"), detail)
        self.approve_button.setObjectName("approveClaimButton")
        self.reject_button = QPushButton(translate("FieldOffice", "Reject…"), detail)
        self.reject_button.setObjectName("rejectClaimButton")
        self.pay_button = QPushButton(translate("FieldOffice", "Pay"), detail)
        self.pay_button.setObjectName("payClaimButton")
        for button in (self.approve_button, self.reject_button, self.pay_button):
            button.setMinimumHeight(36)
            buttons.addWidget(button)
        self.approve_button.setVisible(self.may_decide)
        self.reject_button.setVisible(self.may_decide)
        self.pay_button.setVisible(self.may_pay)
        buttons.addStretch(1)
        box.addLayout(buttons)
        split.addWidget(detail)
        split.setStretchFactor(0, 2)
        split.setStretchFactor(1, 3)
        outer.addWidget(split, 1)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("expensesBanner")
        outer.addWidget(self.banner)

        self.approve_button.clicked.connect(self.approve)
        self.reject_button.clicked.connect(self.reject)
        self.pay_button.clicked.connect(self.pay)
        self.state_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.filter_edit.textChanged.connect(self.proxy.setFilterFixedString)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.show_claim())
        self.refresh()

    # -- reading ----------------------------------------------------------------------------
    def refresh(self) -> None:
        fill(self.table, self.model, expenses.claims(self.state_combo.currentData()))
        self.show_claim()

    def current(self) -> ExpenseClaim | None:
        return selected(self.table)

    def select_claim(self, claim_id: int) -> bool:
        """Show one claim (all claims listed when its state is filtered out)."""
        if not select_where(self.table, "id", claim_id):
            self.state_combo.setCurrentIndex(0)
            if not select_where(self.table, "id", claim_id):
                return False
        self.show_claim()
        return True

    def show_claim(self) -> None:
        claim = self.current()
        self.items = expenses.items_of(claim.id) if claim is not None else []
        self._fill_items(claim)
        state = claim.state if claim is not None else ""
        self.approve_button.setEnabled(state == "submitted")
        self.reject_button.setEnabled(state == "submitted")
        self.pay_button.setEnabled(state == "approved")
        if claim is None:
            self.heading.setText(
                "<i>" + translate("FieldOffice", "No expense claim chosen.") + "</i>"
            )
            self.sum_label.clear()
            return
        self.heading.setText(self._heading(claim))
        self.sum_label.setText(self._sum_text(claim))

    def _heading(self, claim: ExpenseClaim) -> str:
        lines = [
            translate(
                "FieldOffice",
                "<b>{number}</b> for field job <b>{job}</b> to {place} — claimed by {name} on "
                "{time}: {state}.",
            ).format(
                number=claim.number,
                job=claim.job.number,
                place=claim.job.place,
                name=claim.claimant.name,
                time=when(claim.submitted_at),
                state=expenses.state_label(claim.state),
            )
        ]
        if claim.decided_at is not None:
            decided = (
                translate("FieldOffice", "Rejected by {name} on {time}: {reason}")
                if claim.state == "rejected"
                else translate("FieldOffice", "Approved by {name} on {time}.")
            )
            lines.append(
                decided.format(
                    name=claim.decided_by.name if claim.decided_by_id else "—",
                    time=when(claim.decided_at),
                    reason=claim.decision_reason,
                )
            )
        if claim.paid_at is not None:
            lines.append(
                translate("FieldOffice", "Paid by {name} on {time}.").format(
                    name=claim.paid_by.name if claim.paid_by_id else "—", time=when(claim.paid_at)
                )
            )
        return "<br>".join(lines)

    def _sum_text(self, claim: ExpenseClaim) -> str:
        if claim.state == "rejected":
            return translate("FieldOffice", "Nothing is reimbursed: the claim was rejected.")
        amount = reimbursed_total(claim)
        text = translate("FieldOffice", "Reimbursable: {amount} of {total} claimed.").format(
            amount=money_text(amount), total=money_text(claim.total)
        )
        if amount != claim.total:
            text += " " + translate(
                "FieldOffice", "Tools not returned to the warehouse are not reimbursed."
            )
        return text

    def _fill_items(self, claim: ExpenseClaim | None) -> None:
        table = self.items_table
        table.setRowCount(len(self.items))
        destination = claim.job.place if claim is not None else ""
        for r, item in enumerate(self.items):
            thumb = QTableWidgetItem(QIcon(photo(item.receipt)), "")
            thumb.setToolTip(translate("FieldOffice", "Click to see the receipt large."))
            table.setItem(r, 0, thumb)
            cells = [
                expenses.kind_label(item.kind),
                item.description,
                place_text(item, destination),
                money_text(item.amount),
                tool_text(item),
            ]
            for c, text in enumerate(cells, start=1):
                cell = QTableWidgetItem(text)
                cell.setToolTip(text)
                if c == 4:
                    cell.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                warn = (c == 3 and expenses.ticket_matches(item) is False) or (
                    c == 5 and item.kind == "tool" and item.tool_returned_at is None
                )
                if warn:
                    cell.setForeground(QColor(RED))
                table.setItem(r, c, cell)
        table.resizeColumnsToContents()
        table.setColumnWidth(0, THUMB.width() + 12)
        table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)

    def _cell_clicked(self, row: int, column: int) -> None:
        if column == 0:
            self.show_receipt(row)

    def show_receipt(self, row: int) -> ReceiptDialog | None:
        """The receipt of line ``row`` at full size."""
        if not 0 <= row < len(self.items):
            return None
        item = self.items[row]
        dialog = ReceiptDialog(
            translate("FieldOffice", "Receipt {n}: {kind} {amount}").format(
                n=row + 1, kind=expenses.kind_label(item.kind), amount=money_text(item.amount)
            ),
            item.receipt,
            self,
        )
        dialog.open()
        return dialog

    # -- acting -----------------------------------------------------------------------------
    def _done(self, text: str, claim_id: int) -> None:
        self.refresh()
        self.select_claim(claim_id)
        self.banner.show_info(text)

    def _run(self, fn: Any, *args: Any, **kwargs: Any) -> Any:
        self.banner.clear_message()
        try:
            return fn(self.staff, *args, **kwargs)
        except DomainError as exc:
            self.banner.show_error(str(exc))
            return None

    def approve(self) -> Any:
        claim = self.current()
        if claim is None:
            return None

        def yes() -> None:
            done = self._run(expenses.approve_expense_claim, claim.id)
            if done is not None:
                self._done(
                    translate("FieldOffice", "{number} approved: {amount} to reimburse.").format(
                        number=done.number, amount=money_text(done.approved_total)
                    ),
                    done.id,
                )

        return ask(
            self,
            translate("FieldOffice", "Approve the claim"),
            translate(
                "FieldOffice", "Approve {number} of {name}: {amount} is reimbursed. {note}"
            ).format(
                number=claim.number,
                name=claim.claimant.name,
                amount=money_text(expenses.reimbursable(claim)),
                note=translate(
                    "FieldOffice", "Tools not returned to the warehouse are not reimbursed."
                ),
            ),
            translate("FieldOffice", "Approve"),
            yes,
        )

    def reject(self) -> RejectDialog | None:
        claim = self.current()
        if claim is None:
            return None
        dialog = RejectDialog(self.staff, claim, self)
        dialog.accepted.connect(
            lambda: self._done(
                translate("FieldOffice", "{number} rejected.").format(number=claim.number),
                claim.id,
            )
        )
        dialog.open()
        return dialog

    def pay(self) -> Any:
        claim = self.current()
        if claim is None:
            return None

        def yes() -> None:
            done = self._run(expenses.pay_expense_claim, claim.id)
            if done is not None:
                self._done(
                    translate("FieldOffice", "{number} paid: {amount} to {name}.").format(
                        number=done.number,
                        amount=money_text(done.approved_total),
                        name=done.claimant.name,
                    ),
                    done.id,
                )

        return ask(
            self,
            translate("FieldOffice", "Pay the claim"),
            translate("FieldOffice", "Pay {amount} to {name} for {number}?").format(
                amount=money_text(claim.approved_total),
                name=claim.claimant.name,
                number=claim.number,
            ),
            translate("FieldOffice", "Pay"),
            yes,
        )
