"""The cashier's takings of a day (收款汇总): money in per payment method, refunds as their own
figure, the net, and what was put on account — what the cash drawer and the bank should show
at closing. Read only; the figures come from :func:`shop_desk.services.checkout.daily_takings`."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QDate, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QHeaderView,
    QLabel,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.i18n import translate
from shop_desk.money import fmt
from shop_desk.printing import labels
from shop_desk.services import checkout


class TakingsDialog(QDialog):
    """One day's takings; another day is picked with the date field."""

    def __init__(self, parent: QWidget | None = None, day: dt.date | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("takingsDialog")
        self.setWindowTitle(translate("CheckoutUi", "Takings of the day"))
        layout = QVBoxLayout(self)
        form = QFormLayout()
        self.date_edit = QDateEdit(self)
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        form.addRow(translate("CheckoutUi", "Day:"), self.date_edit)
        layout.addLayout(form)
        self.table = QTableWidget(0, 5, self)
        self.table.setHorizontalHeaderLabels(
            [
                translate("CheckoutUi", "Method"),
                translate("CheckoutUi", "Payments"),
                translate("CheckoutUi", "Taken"),
                translate("CheckoutUi", "Refunded"),
                translate("CheckoutUi", "Net"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("takingsTotal")
        self.total_label.setWordWrap(True)
        layout.addWidget(self.total_label)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.resize(560, 360)
        self.date_edit.dateChanged.connect(lambda *_: self.load())
        start = day or clock.today()
        self.date_edit.setDate(QDate(start.year, start.month, start.day))
        self.load()

    def day(self) -> dt.date:
        d = self.date_edit.date()
        return dt.date(d.year(), d.month(), d.day())

    def load(self) -> None:
        takings = checkout.daily_takings(self.day())
        self.table.setRowCount(len(takings.rows))
        for r, row in enumerate(takings.rows):
            cells = (
                labels.payment_method(row.method),
                str(row.count),
                fmt(row.taken),
                fmt(row.refunded),
                fmt(row.net),
            )
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c:  # figures line up on the right
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        self.total_label.setText(
            translate(
                "CheckoutUi",
                "Money in {taken}, refunds {refunded}, net {net}. Put on account (no money in): "
                "{on_account}.",
            ).format(
                taken=fmt(takings.taken),
                refunded=fmt(takings.refunded),
                net=fmt(takings.net),
                on_account=fmt(takings.on_account),
            )
        )
