"""The settlement slip: lines, discounts (with the manager's approval) and printing.

A tab of the checkout page (PROCESS.md §7–§8); it talks to the page only through
:class:`~shop_desk.ui.checkout.step.StepHost`."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QLabel, QPushButton, QTableView, QWidget

from shop_desk.i18n import join_list, translate
from shop_desk.models import Approval, JobLine
from shop_desk.money import ZERO, fmt, to_decimal
from shop_desk.printing import PRO_FORMA, labels
from shop_desk.services import checkout, pricing
from shop_desk.services.orders import settings
from shop_desk.states import State
from shop_desk.ui.checkout.dialogs import ApprovalsPanel, DiscountDialog, payload_of
from shop_desk.ui.checkout.step import Step, StepHost, active_settlement, setup_table, when_text
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.uiload import child
from shop_desk.ui.shell.widgets import allowed


def proposed_notice(proposed: list[checkout.SlipLine]) -> str:
    """Why undecided lines are not on the bill, naming who decides them: the customer, or
    the insurer for a supplementary assessment (追加定损), whose lines alone are proposed with
    pay type insurance (:func:`shop_desk.services.workshop.open_request`)."""
    insurer = [ln.description for ln in proposed if ln.pay_type == "insurance"]
    customer = [ln.description for ln in proposed if ln.pay_type != "insurance"]
    notes = []
    if customer:
        notes.append(
            translate(
                "CheckoutUi",
                "Additional work still awaiting the customer's authorisation is never charged "
                "and blocks settling: {lines}.",
            ).format(lines=join_list(customer))
        )
    if insurer:
        notes.append(
            translate(
                "CheckoutUi",
                "A supplementary assessment still awaiting the insurer's approval is never "
                "charged and blocks settling: {lines}.",
            ).format(lines=join_list(insurer))
        )
    return " ".join(notes)


class SlipStep(Step):
    """The settlement slip (车辆维修结算单) as it stands: only authorised, completed lines;
    warranty, internal and goodwill separated; discounts; tax; the amount in figures and 大写."""

    form_name = "checkout_slip"

    def __init__(self, page: StepHost) -> None:
        super().__init__(page)
        self.state_label = child(self.form, QLabel, "stateLabel")
        self.proposed_label = child(self.form, QLabel, "proposedLabel")
        self.slip_view = child(self.form, QTableView, "slipTable")
        self.line_discount_button = child(self.form, QPushButton, "lineDiscountButton")
        self.total_discount_button = child(self.form, QPushButton, "totalDiscountButton")
        self.limit_label = child(self.form, QLabel, "limitLabel")
        self.print_button = child(self.form, QPushButton, "printButton")
        # the bill as it stands, before payment: for a customer asking "what will I pay?"
        self.pro_forma_button = QPushButton(
            translate("CheckoutUi", "Print pro-&forma (预结算单)…"), self.form
        )
        self.pro_forma_button.setObjectName("proFormaButton")
        self.pro_forma_button.setAutoDefault(False)
        self.pro_forma_button.setToolTip(
            translate(
                "CheckoutUi",
                "The settlement slip as it stands now, marked as pro-forma: not a receipt.",
            )
        )
        row = self.print_button.parentWidget().layout()
        row.insertWidget(row.indexOf(self.print_button), self.pro_forma_button)
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
        setup_table(self.slip_view, self.slip)
        self.values: dict[str, QLabel] = {}
        customer_form = child(self.form, QFormLayout, "customerForm")
        other_form = self.other_form = child(self.form, QFormLayout, "otherForm")
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
            (
                other_form,
                "insurer",
                translate("CheckoutUi", "Insurer pays (billed to the insurer)"),
            ),
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
        self.pro_forma_button.clicked.connect(self.print_pro_forma)
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
                    when=when_text(settlement.settled_at),
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
        self.proposed_label.setText(proposed_notice(p.proposed))
        self.proposed_label.setVisible(bool(p.proposed))
        self.slip.set_rows(p.lines)
        v = self.values
        insured = p.insurance.customer_part if p.insurance is not None else ZERO
        gross = fmt(p.customer_gross + insured)
        if insured:  # the customer's part of the insured work: excess, betterment, above
            gross += "  " + translate(
                "CheckoutUi", "(of which {amount} of the insured work)"
            ).format(amount=fmt(insured))
        v["gross"].setText(gross)
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
        # an insured order: the insurer's part of the split, next to the customer's part above
        v["insurer"].setText(fmt(p.insurance.insurer_part) if p.insurance is not None else "")
        self.other_form.setRowVisible(v["insurer"], p.insurance is not None)
        limit = pricing.order_reduction(order).limit
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
        settled = self.order is not None and active_settlement(self.order) is not None
        self.print_button.setEnabled(settled)
        self.pro_forma_button.setEnabled(
            self.order is not None
            and not settled
            and self.state() not in (State.BOOKED, State.CANCELLED)
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
            expected_version=self.order.version,
            done=translate("CheckoutUi", "Approved discount applied."),
        )

    def print_slip(self) -> None:
        self.page.print_document("settlement")

    def print_pro_forma(self) -> None:
        """The pro-forma slip 预结算单: each print shows the bill of that moment, so none is a
        copy of another."""
        self.page.print_document(PRO_FORMA, copy_mark=False)
