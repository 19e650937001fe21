"""The split of an insured order on the payment step: what the insurer pays (billed to the
insurer) and what the customer pays (excess, betterment, above the assessment), and the
insurer's confirmation the car waits for (:func:`shop_desk.services.insurance.confirm_insurer_part`)."""

from __future__ import annotations

from html import escape

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from shop_desk.i18n import translate
from shop_desk.money import fmt
from shop_desk.services import insurance
from shop_desk.services.insurance import InsuranceSplit


def split_rows(split: InsuranceSplit) -> list[tuple[str, str]]:
    """(label, amount) rows of the split, the two parts last."""
    return [
        (translate("CheckoutUi", "Insured work (shop price)"), fmt(split.insured)),
        (translate("CheckoutUi", "Loss assessment covers"), fmt(split.assessed)),
        (translate("CheckoutUi", "Excess (customer pays)"), fmt(split.excess)),
        (translate("CheckoutUi", "Betterment (customer pays)"), fmt(split.betterment)),
        (
            translate("CheckoutUi", "Above the assessment (customer pays)"),
            fmt(split.above_assessment),
        ),
        (translate("CheckoutUi", "Customer's part (in the amount due)"), fmt(split.customer_part)),
        (translate("CheckoutUi", "Insurer pays (billed to the insurer)"), fmt(split.insurer_part)),
    ]


class InsuranceSplitBox(QGroupBox):
    """Shown on an insured order only."""

    confirm_requested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(translate("CheckoutUi", "Insurance claim: who pays"), parent)
        self.setObjectName("insuranceSplitBox")
        layout = QVBoxLayout(self)
        self.table_label = QLabel(self)
        self.table_label.setObjectName("insuranceSplitLabel")
        self.table_label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.table_label)
        self.state_label = QLabel(self)
        self.state_label.setObjectName("insuranceStateLabel")
        self.state_label.setWordWrap(True)
        layout.addWidget(self.state_label)
        self.confirm_button = QPushButton(
            translate("CheckoutUi", "The insurer confirmed its part"), self
        )
        self.confirm_button.setObjectName("confirmInsurerButton")
        self.confirm_button.setAutoDefault(False)
        self.confirm_button.clicked.connect(self.confirm_requested.emit)
        layout.addWidget(self.confirm_button)
        self.hide()

    def show_split(self, split: InsuranceSplit | None, may_confirm: bool) -> None:
        self.setVisible(split is not None)
        if split is None:
            return
        claim = split.claim
        rows = "".join(
            f"<tr><td>{escape(label)}</td><td align='right'>{escape(amount)}</td></tr>"
            for label, amount in split_rows(split)
        )
        head = translate("CheckoutUi", "{insurer}, claim report no. {report_no}").format(
            insurer=claim.insurer.name, report_no=claim.claim_report_no
        )
        self.table_label.setText(f"<b>{escape(head)}</b><table width='100%'>{rows}</table>")
        refusal = insurance.settle_refusal(split)
        if refusal is None and split.insurer_part == 0:
            text = translate(
                "CheckoutUi", "The insurer pays nothing here: the customer pays the insured work."
            )
            self.state_label.setStyleSheet("")
        elif refusal is None:
            text = translate("CheckoutUi", "The insurer confirmed {amount}.").format(
                amount=fmt(claim.confirmed_amount or split.insurer_part)
            )
            self.state_label.setStyleSheet("color:#1d5a2b;")
        else:
            text = refusal
            self.state_label.setStyleSheet("color:#8a1c12;")
        self.state_label.setText(text)
        self.confirm_button.setEnabled(may_confirm and not split.unassessed and not split.confirmed)
