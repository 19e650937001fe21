"""Insurer receivables (保险应收): what each insurer still owes for settled insured orders,
by age, and the insurer's payments (partial ones too) that clear them; the insurer's statement
(保险公司对账单) printed for the chosen insurer as of the day shown. For the cashier and the
general manager; figures from :mod:`shop_desk.services.insurer_accounts`."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QSignalBlocker, QTimer
from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
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
from shop_desk.money import fmt, total
from shop_desk.roles import Role
from shop_desk.services import insurer_accounts
from shop_desk.services.insurer_accounts import InsurerBalance, ReceivableRow
from shop_desk.ui.checkout.step import setup_table
from shop_desk.ui.shell.main_window import register_page
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog, allowed, date_edit, decimal_edit

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow


class InsurerPaymentDialog(FormDialog):
    """Money received from one insurer: the oldest open receivables first, or only the one
    picked in the list."""

    def __init__(
        self, actor: Any, balance: InsurerBalance, chosen: ReceivableRow | None, parent: QWidget
    ) -> None:
        super().__init__(
            translate("CheckoutUi", "Payment from {insurer}").format(insurer=balance.insurer),
            parent,
            translate("CheckoutUi", "Record the payment"),
        )
        self.actor, self.balance, self.chosen = actor, balance, chosen
        self.amount = decimal_edit(self, 2, 9)
        self.amount.setText(str(chosen.outstanding if chosen else balance.outstanding))
        self.add_row("amount", translate("CheckoutUi", "Amount received"), self.amount)
        self.received_on = date_edit(self, clock.today())
        self.add_row("received_on", translate("CheckoutUi", "Received on"), self.received_on)
        self.reference = QLineEdit(self)
        self.add_row("reference", translate("CheckoutUi", "Transfer reference"), self.reference)
        self.only_chosen = QCheckBox(
            translate("CheckoutUi", "Only for order {number}").format(number=chosen.order_number)
            if chosen
            else "",
            self,
        )
        self.only_chosen.setChecked(chosen is not None)
        self.only_chosen.setVisible(chosen is not None)
        self.add_row("receivable", "", self.only_chosen)
        self.setMinimumWidth(460)

    def submit(self) -> Any:
        return insurer_accounts.record_insurer_payment(
            self.actor,
            self.balance.insurer_id,
            self.amount.text() or "0",
            self.received_on.date().toPython(),
            self.reference.text(),
            receivable=self.chosen.id if self.chosen and self.only_chosen.isChecked() else None,
        )


class InsurerReceivablesPage(QWidget):
    """Insurers with what they owe by age (top); the open receivables of the chosen one."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("insurerReceivablesPage")
        self.window_ = window
        self.actor = window.staff
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        as_of_label = QLabel(translate("CheckoutUi", "Owed as of:"), self)
        top.addWidget(as_of_label)
        self.as_of = date_edit(self, clock.today())
        #: the day the date was last set to by itself: while it shows that day (not one the
        #: user chose), it follows the day, so a page left open overnight ages correctly
        self.followed = clock.today()
        self.as_of.setObjectName("asOfDate")
        as_of_label.setBuddy(self.as_of)  # the label names the field (screen readers, Alt)
        top.addWidget(self.as_of)
        top.addStretch(1)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("receivablesTotal")
        self.total_label.setStyleSheet("font-weight:bold;")
        top.addWidget(self.total_label)
        layout.addLayout(top)
        self.banner = ErrorBanner(self)
        layout.addWidget(self.banner)
        ages = insurer_accounts.age_bracket_labels()
        self.insurers = RowTableModel(
            [
                Column(lambda: translate("CheckoutUi", "Insurer"), lambda b: b.insurer),
                *(
                    Column(lambda label=label: label, lambda b, i=i: b.by_age[i], align_right=True)
                    for i, label in enumerate(ages)
                ),
                Column(
                    lambda: translate("CheckoutUi", "Outstanding"),
                    lambda b: b.outstanding,
                    align_right=True,
                ),
            ],
            self,
        )
        self.insurers_view = QTableView(self)
        self.insurers_view.setObjectName("insurersTable")
        setup_table(self.insurers_view, self.insurers, 0)
        layout.addWidget(self.insurers_view, 1)
        self.rows = RowTableModel(
            [
                Column(lambda: translate("CheckoutUi", "Order"), lambda r: r.order_number),
                Column(
                    lambda: translate("CheckoutUi", "Claim report no."), lambda r: r.claim_report_no
                ),
                Column(lambda: translate("CheckoutUi", "Settled on"), lambda r: r.opened_on),
                Column(
                    lambda: translate("CheckoutUi", "Amount"), lambda r: r.amount, align_right=True
                ),
                Column(lambda: translate("CheckoutUi", "Paid"), lambda r: r.paid, align_right=True),
                Column(
                    lambda: translate("CheckoutUi", "Outstanding"),
                    lambda r: r.outstanding,
                    align_right=True,
                ),
                Column(
                    lambda: translate("CheckoutUi", "Age (days)"),
                    lambda r: r.age_days,
                    align_right=True,
                ),
            ],
            self,
        )
        self.rows_view = QTableView(self)
        self.rows_view.setObjectName("receivablesTable")
        setup_table(self.rows_view, self.rows, 1)
        layout.addWidget(self.rows_view, 2)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.statement_button = QPushButton(translate("CheckoutUi", "Print statement…"), self)
        self.statement_button.setObjectName("insurerStatementButton")
        self.statement_button.setToolTip(
            translate(
                "CheckoutUi",
                "The insurer's statement of what it owes on the day shown, to send it for payment",
            )
        )
        buttons.addWidget(self.statement_button)
        self.pay_button = QPushButton(translate("CheckoutUi", "Record insurer payment…"), self)
        self.pay_button.setObjectName("insurerPaymentButton")
        buttons.addWidget(self.pay_button)
        layout.addLayout(buttons)
        self.dialog: InsurerPaymentDialog | None = None
        self.preview: QDialog | None = None
        self.as_of.dateChanged.connect(lambda *_: self.refresh())
        self.insurers_view.selectionModel().currentRowChanged.connect(lambda *_: self._show_rows())
        self.pay_button.clicked.connect(self.record_payment)
        self.statement_button.clicked.connect(self.print_statement)
        self.day_timer = QTimer(self)  # a page left open (current) across midnight
        self.day_timer.setInterval(60_000)
        self.day_timer.timeout.connect(self._new_day)
        self.day_timer.start()
        self.refresh()

    def _new_day(self) -> None:
        if self.isVisible() and self.day() == self.followed != clock.today():
            self.refresh()

    def day(self) -> dt.date:
        return self.as_of.date().toPython()

    def follow_today(self) -> None:
        today = clock.today()
        if self.day() == self.followed and today != self.followed:
            self.followed = today
            with QSignalBlocker(self.as_of):
                self.as_of.setDate(today)

    def refresh(self) -> None:
        """Read the balances again (on showing the page too), as of the day shown."""
        self.follow_today()
        keep = self.selected_insurer()
        balances = insurer_accounts.balances(self.day())
        self.insurers.set_rows(balances)
        self.total_label.setText(
            translate("CheckoutUi", "Insurers owe {amount} in all").format(
                amount=fmt(total(b.outstanding for b in balances))
            )
        )
        row = 0
        if keep is not None:
            row = next((i for i, b in enumerate(balances) if b.insurer_id == keep.insurer_id), 0)
        if balances:
            self.insurers_view.selectRow(row)
        self._show_rows()

    def selected_insurer(self) -> InsurerBalance | None:
        index = self.insurers_view.currentIndex()
        return self.insurers.rows[index.row()] if index.isValid() else None

    def selected_row(self) -> ReceivableRow | None:
        index = self.rows_view.currentIndex()
        return self.rows.rows[index.row()] if index.isValid() else None

    def _show_rows(self) -> None:
        balance = self.selected_insurer()
        self.rows.set_rows(balance.rows if balance else [])
        self.pay_button.setEnabled(
            balance is not None and allowed(self.actor, insurer_accounts.record_insurer_payment)
        )
        self.statement_button.setEnabled(balance is not None)

    def select_receivable(self, order_number: str) -> bool:
        for i, row in enumerate(self.rows.rows):
            if row.order_number == order_number:
                self.rows_view.selectRow(i)
                return True
        return False

    def record_payment(self) -> InsurerPaymentDialog | None:
        balance = self.selected_insurer()
        if balance is None:
            return None
        self.dialog = InsurerPaymentDialog(self.actor, balance, self.selected_row(), self)
        self.dialog.accepted.connect(self._paid)
        self.dialog.open()
        return self.dialog

    def print_statement(self) -> QDialog | None:
        """The chosen insurer's statement as of the day shown, through the print preview (a
        statement printed before, here or elsewhere, is a copy)."""
        balance = self.selected_insurer()
        if balance is None:
            return None
        from shop_desk.ui.shell.print_preview import show_print_preview

        number = insurer_accounts.statement_number(balance.insurer_id, self.day())
        self.preview = show_print_preview(self, "insurer-statement", number)
        return self.preview

    def _paid(self) -> None:
        text = translate("CheckoutUi", "The insurer's payment is recorded.")
        self.refresh()
        self.banner.show_info(text)
        self.window_.show_status(text)


register_page(
    "insurer_receivables",
    lambda: translate("CheckoutUi", "Insurer receivables"),
    (Role.CASHIER, Role.MANAGER),
    InsurerReceivablesPage,
    order=35,
)
