"""The customer pays what the insurer declined: the advisor ticks the declined lines of a
supplementary assessment (追加定损) the customer agreed to pay and records how the customer
agreed (:class:`~shop_desk.ui.station.agreement.CustomerAgreement`, as for additional work)
→ :func:`shop_desk.services.insurance.customer_pays_declined`."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QGridLayout, QLabel, QWidget

from shop_desk.i18n import translate
from shop_desk.models import Staff
from shop_desk.money import fmt
from shop_desk.services import insurance
from shop_desk.ui.shell.widgets import FormDialog
from shop_desk.ui.station import reads
from shop_desk.ui.station.agreement import CustomerAgreement
from shop_desk.ui.station.common import TOUCH_STYLE, set_flag


class CustomerPaysDeclinedDialog(FormDialog):
    """The declined lines of ``row`` not offered to the customer yet, each with a checkbox
    and its amount; OK records the customer's agreement (a refusal stays in the dialog)."""

    def __init__(self, actor: Staff, row: reads.RequestRow, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("Station", "Customer pays declined work on {number}").format(
                number=row.order_number
            ),
            parent,
            translate("Station", "Record"),
        )
        self.setObjectName("customerPaysDialog")
        self.setStyleSheet(TOUCH_STYLE)
        set_flag(self.ok_button(), "primary", True)
        self.setMinimumWidth(560)
        self.actor, self.row = actor, row
        heading = QLabel(
            translate(
                "Station",
                "The insurer declined these lines of the supplementary assessment ({reason}). "
                "Tick those the customer agreed to pay: they become the customer's additional "
                "work.",
            ).format(reason=row.reason),
            self,
        )
        heading.setObjectName("dialogHeading")
        heading.setWordWrap(True)
        self.form.addRow(heading)
        still_open = {ln.id for ln in insurance.declined_by_insurer(row.request_id)}
        self.lines = [ln for ln in row.lines if ln.line_id in still_open]
        holder = QWidget(self)
        grid = QGridLayout(holder)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(0, 1)
        self.checks: dict[int, QCheckBox] = {}
        for n, line in enumerate(self.lines):
            check = QCheckBox(f"{line.description}  ({line.amount_basis})", holder)
            check.setObjectName(f"pay_{line.line_id}")
            check.toggled.connect(self._update_total)
            amount = QLabel(fmt(line.amount), holder)
            amount.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            grid.addWidget(check, n, 0)
            grid.addWidget(amount, n, 1)
            self.checks[line.line_id] = check
        self.add_row("lines", translate("Station", "Declined by the insurer:"), holder)
        self.total_label = QLabel(self)
        self.total_label.setObjectName("totalLabel")
        self.form.addRow(self.total_label)
        self.agreement, methods = CustomerAgreement.build(self)
        self.add_row("method", translate("Station", "How the customer agreed:"), methods)
        self.name_edit = self.agreement.name_edit
        self.name_edit.setText(row.customer)
        self.add_row("customer_name", translate("Station", "&Who agreed:"), self.name_edit)
        self.form.addRow(self.agreement.signature_holder)
        self._update_total()

    def chosen(self) -> list[int]:
        return [line_id for line_id, check in self.checks.items() if check.isChecked()]

    def _update_total(self, *_: Any) -> None:
        ids = set(self.chosen())
        amount = sum((ln.amount for ln in self.lines if ln.line_id in ids), start=reads.ZERO)
        self.total_label.setText(
            translate("Station", "The customer pays {amount}").format(amount=fmt(amount))
        )

    def submit(self) -> Any:
        result = insurance.customer_pays_declined(
            self.actor,
            self.row.request_id,
            self.chosen(),
            self.agreement.method(),
            self.name_edit.text(),
            signature_png=self.agreement.signature_png(),
        )
        self.agreement.remember()
        return result
