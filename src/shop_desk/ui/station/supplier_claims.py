"""The parts counter's supplier claims (the rulebook's 篇四 rule 8): a quality problem of a
bought-in part (外协件/配套件), raised from the chosen job's part line or a part on the shelf,
claimed from the supplier and tracked to the answer, with the open claims' age in days. The
parts clerk works here; a manager reads."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QTableView,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import ValidationError
from shop_desk.i18n import translate
from shop_desk.models import Part, RepairOrder, Staff
from shop_desk.purchasing_states import (
    CLOSED_CLAIM_STATES,
    ClaimState,
    claim_actions,
    claim_state_label,
)
from shop_desk.services import supplier_claims
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.widgets import FormDialog, allowed, decimal_edit
from shop_desk.ui.station import reads
from shop_desk.ui.station.common import (
    TOUCH_STYLE,
    big_button,
    fit_table,
    setup_table,
)
from shop_desk.ui.station.dialogs import dec_text, text_edit
from shop_desk.ui.station.list_window import ListWindow
from shop_desk.ui.station.supplier_orders import qty, supplier_box


def answer_label(answer: str) -> str:
    return {
        "accept": translate("Station", "Accepted (credit or replacement to follow)"),
        "credit": translate("Station", "Credited"),
        "replace": translate("Station", "Replaced"),
        "refuse": translate("Station", "Refused"),
    }[answer]


class NewClaimDialog(FormDialog):
    """A quality claim: for a part line of the chosen job or for a part on the shelf."""

    def __init__(self, actor: Staff, order: RepairOrder | None, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "New supplier claim"), parent, translate("Station", "Record")
        )
        self.setObjectName("newClaimDialog")
        self.setStyleSheet(TOUCH_STYLE)
        self.actor = actor
        self.supplier = self.add_row(
            "supplier", translate("Station", "Supplier:"), supplier_box(self)
        )
        self.source = QComboBox(self)
        self.source.setMinimumHeight(40)
        if order is not None:
            for r in reads.part_rows(order.id):
                if r.part_id is not None:
                    self.source.addItem(
                        translate("Station", "{number}: {part}").format(
                            number=order.number, part=f"{r.part_no} {r.description}"
                        ),
                        f"line:{r.line_id}",
                    )
        for p in Part.select().where(Part.active == True).order_by(Part.part_no):  # noqa: E712
            self.source.addItem(
                translate("Station", "Stock: {part}").format(part=f"{p.part_no} {p.name}"),
                f"part:{p.id}",
            )
        self.add_row("part", translate("Station", "Part:"), self.source)
        self.quantity = self.add_row(
            "quantity", translate("Station", "Quantity:"), decimal_edit(self, 2, 5)
        )
        self.quantity.setText("1")
        self.fault = self.add_row(
            "fault",
            translate("Station", "Fault:"),
            text_edit(self, translate("Station", "What is wrong with the part")),
        )
        self.setMinimumWidth(560)

    def submit(self) -> Any:
        supplier = self.supplier.currentData()
        if supplier is None:
            raise ValidationError(
                translate("Station", "Add the supplier first (Supplier orders → New supplier…)."),
                "supplier",
            )
        kind, _, ident = (self.source.currentData() or "part:").partition(":")
        return supplier_claims.open_supplier_claim(
            self.actor,
            supplier,
            self.fault.toPlainText(),
            part=(ident or None) if kind == "part" else None,
            job_line=ident if kind == "line" else None,
            quantity=dec_text(self.quantity.text()),
        )


class AnswerDialog(FormDialog):
    """The supplier's answer to a claim."""

    def __init__(self, actor: Staff, row: supplier_claims.ClaimRow, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Supplier's answer to claim {number}").format(number=row.number),
            parent,
        )
        self.setObjectName("answerDialog")
        self.setStyleSheet(TOUCH_STYLE)
        self.actor, self.row = actor, row
        self.answer = QComboBox(self)
        self.answer.setMinimumHeight(40)
        for action in claim_actions(row.state):
            if action in supplier_claims.ANSWERS:
                self.answer.addItem(answer_label(action), action)
        self.add_row("answer", translate("Station", "Answer:"), self.answer)
        self.credit = self.add_row(
            "credit", translate("Station", "Amount credited (¥):"), decimal_edit(self, 2, 7)
        )
        self.note = QLineEdit(self)
        self.note.setMaxLength(200)
        self.add_row("note", translate("Station", "Note:"), self.note)
        self.answer.currentIndexChanged.connect(self._answer_changed)
        self._answer_changed()
        self.setMinimumWidth(480)

    def _answer_changed(self) -> None:
        self.credit.setEnabled(self.answer.currentData() == "credit")

    def submit(self) -> Any:
        answer = self.answer.currentData()
        credit = self.credit.text().strip() if answer == "credit" else None
        return supplier_claims.answer_supplier_claim(
            self.actor, self.row.id, answer, self.note.text(), credit or None
        )


class SupplierClaimsDialog(ListWindow):
    """The claims list (open ones with their age) and its steps; see the module docstring."""

    def __init__(self, actor: Staff, order: RepairOrder | None, parent: QWidget) -> None:
        super().__init__(
            actor,
            order,
            parent,
            "supplierClaimsDialog",
            translate("Station", "Supplier claims"),
            translate("Station", "Open claims only"),
        )
        layout = self.layout()
        layout.addWidget(self.open_only)
        self.view = QTableView(self)
        self.view.setObjectName("claimsTable")
        self.model = RowTableModel(
            [
                Column(lambda: translate("Station", "Claim no."), lambda r: r.number),
                Column(lambda: translate("Station", "Fault"), lambda r: r.fault),
                Column(lambda: translate("Station", "Part"), lambda r: r.part),
                Column(
                    lambda: translate("Station", "Quantity"),
                    lambda r: r.quantity,
                    display=qty,
                    align_right=True,
                ),
                Column(lambda: translate("Station", "Supplier"), lambda r: r.supplier),
                Column(lambda: translate("Station", "Order"), lambda r: r.repair_order),
                Column(lambda: translate("Station", "State"), lambda r: claim_state_label(r.state)),
                Column(
                    lambda: translate("Station", "Opened"),
                    lambda r: r.opened_at,
                    display=reads.when,
                ),
                Column(
                    lambda: translate("Station", "Claimed"),
                    lambda r: r.sent_at,
                    display=lambda v: reads.when(v) if v else "",
                ),
                Column(
                    lambda: translate("Station", "Age (days)"),
                    lambda r: r.age_days,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Station", "Answer"),
                    lambda r: " ".join(
                        x for x in (f"¥{r.credit:,.2f}" if r.credit else "", r.answer_note) if x
                    ),
                ),
            ],
            self,
            is_dimmed=lambda r: r.state in CLOSED_CLAIM_STATES,
        )
        self.view.setModel(self.model)
        setup_table(self.view, 1, 36)
        self.view.selectionModel().currentRowChanged.connect(lambda *_: self._changed())
        layout.addWidget(self.view, 1)
        buttons = QHBoxLayout()
        self.new_button = big_button(
            translate("Station", "New claim…"), self, "newClaimButton", True
        )
        self.send_button = big_button(
            translate("Station", "Claimed from the supplier"), self, "sendClaimButton"
        )
        self.answer_button = big_button(
            translate("Station", "Supplier's answer…"), self, "answerClaimButton"
        )
        for button in (self.new_button, self.send_button, self.answer_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout.addLayout(buttons)
        self.add_close(layout)
        self.new_button.clicked.connect(self.new_claim)
        self.send_button.clicked.connect(self.send)
        self.answer_button.clicked.connect(self.answer)
        for button, service in (
            (self.new_button, supplier_claims.open_supplier_claim),
            (self.send_button, supplier_claims.send_supplier_claim),
            (self.answer_button, supplier_claims.answer_supplier_claim),
        ):
            button.setVisible(allowed(actor, service))
        self.resize(1060, 560)
        self.refresh()

    def refresh(self) -> None:
        self.show_rows(
            supplier_claims.claim_rows(clock.today(), open_only=self.open_only.isChecked())
        )
        fit_table(self.view, 1, 240)
        self._changed()

    def _changed(self) -> None:
        row = self.selected()
        state = row.state if row is not None else ""
        self.send_button.setEnabled(state == ClaimState.OPEN)
        self.answer_button.setEnabled(state in (ClaimState.SENT, ClaimState.ACCEPTED))

    def new_claim(self) -> FormDialog:
        return self._open(
            NewClaimDialog(self.actor, self.order, self),
            lambda d: translate(
                "Station", "Claim {number} recorded; mark it claimed once it went to {supplier}."
            ).format(number=d.result_value.number, supplier=d.result_value.supplier.name),
            select_result=True,
        )

    def send(self) -> None:
        self._step(
            supplier_claims.send_supplier_claim,
            lambda row: translate("Station", "Claim {number} claimed from {supplier}.").format(
                number=row.number, supplier=row.supplier
            ),
        )

    def answer(self) -> FormDialog | None:
        row = self.selected()
        if row is None:
            return None
        return self._open(
            AnswerDialog(self.actor, row, self),
            lambda d: translate("Station", "Claim {number}: {state}.").format(
                number=row.number, state=claim_state_label(d.result_value.state)
            ),
            select_result=True,
        )
