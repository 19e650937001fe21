"""The gate pass: issuing it, printing it and opening the gate window.

A tab of the checkout page (PROCESS.md §7–§8); it talks to the page only through
:class:`~shop_desk.ui.checkout.step.StepHost`."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton

from shop_desk.i18n import translate
from shop_desk.models import FollowUp, GatePass
from shop_desk.services import checkout
from shop_desk.states import State
from shop_desk.ui.checkout.step import Step, StepHost, active_settlement, when_text
from shop_desk.ui.shell.uiload import child


class GateStep(Step):
    """The gate pass (出门证): issued for a settled order, printed, used once at the gate."""

    form_name = "checkout_gate"

    def __init__(self, page: StepHost) -> None:
        super().__init__(page)
        self.state_label = child(self.form, QLabel, "stateLabel")
        self.number_label = child(self.form, QLabel, "numberLabel")
        self.code_label = child(self.form, QLabel, "codeLabel")
        self.issued_label = child(self.form, QLabel, "issuedLabel")
        self.status_label = child(self.form, QLabel, "statusLabel")
        self.next_label = child(self.form, QLabel, "nextLabel")
        self.follow_label = child(self.form, QLabel, "followLabel")
        self.issue_button = child(self.form, QPushButton, "issueButton")
        self.print_button = child(self.form, QPushButton, "printButton")
        self.gate_button = child(self.form, QPushButton, "gateButton")
        self.slip_button = QPushButton(translate("CheckoutUi", "Print settlement &slip…"), self)
        self.slip_button.setObjectName("printSlipButton")
        self.slip_button.setAutoDefault(False)
        child(self.form, QHBoxLayout, "gateButtons").insertWidget(0, self.slip_button)
        self.issue_button.clicked.connect(self.issue)
        self.print_button.clicked.connect(lambda: self.page.print_document("gate-pass"))
        self.slip_button.clicked.connect(lambda: self.page.print_document("settlement"))
        self.gate_button.clicked.connect(self.open_gate)
        self.gate_pass: GatePass | None = None

    def fill(self) -> None:
        order = self.order
        state = self.state()
        self.gate_pass = (
            GatePass.select()
            .where((GatePass.order == order) & (GatePass.void == False))  # noqa: E712
            .order_by(GatePass.id.desc())
            .first()
        )
        gp = self.gate_pass
        if state in (State.READY, State.DELIVERED):
            text = translate(
                "CheckoutUi",
                "The gate pass is issued once the order is settled; the car leaves only with it.",
            )
        elif state == State.SETTLED and gp is None:
            text = translate(
                "CheckoutUi", "Settled: issue the gate pass and give it to the customer."
            )
        elif state == State.SETTLED:
            text = translate(
                "CheckoutUi", "The customer shows this gate pass at the gate; it is valid once."
            )
        else:
            text = translate("CheckoutUi", "The car left the shop at {when}.").format(
                when=when_text(order.left_at)
            )
        self.state_label.setText(text)
        self.number_label.setText(gp.number if gp else "—")
        self.code_label.setText(gp.code if gp else "—")
        self.issued_label.setText(
            translate("CheckoutUi", "{when} by {who}").format(
                when=when_text(gp.issued_at), who=gp.issued_by.name if gp.issued_by_id else ""
            )
            if gp
            else "—"
        )
        if gp is None:
            self.status_label.setText("—")
            self.status_label.setStyleSheet("")
        elif gp.used_at:
            self.status_label.setText(
                translate("CheckoutUi", "Used: the car left at {when}").format(
                    when=when_text(gp.used_at)
                )
            )
            self.status_label.setStyleSheet("color:#555; font-weight:bold;")
        else:
            self.status_label.setText(translate("CheckoutUi", "Valid, not used yet"))
            self.status_label.setStyleSheet("color:#1d5a2b; font-weight:bold;")
        if order.next_service_date:
            self.next_label.setText(
                translate("CheckoutUi", "{date} or {km} km, whichever comes first").format(
                    date=order.next_service_date.isoformat(),
                    km=f"{order.next_service_km or 0:,}",
                )
            )
        else:
            self.next_label.setText("—")
        follow = FollowUp.select().where(FollowUp.order == order).order_by(FollowUp.id).first()
        if follow is not None:
            self.follow_label.setText(
                translate("CheckoutUi", "Scheduled for {when}").format(
                    when=when_text(follow.due_at)
                )
            )
        else:
            self.follow_label.setText(
                order.follow_up_time or translate("CheckoutUi", "Scheduled when the car leaves.")
            )
        self.may(self.issue_button, checkout.issue_gate_pass, state == State.SETTLED and gp is None)
        self.print_button.setEnabled(gp is not None and state == State.SETTLED)
        self.slip_button.setEnabled(active_settlement(order) is not None)

    def issue(self) -> GatePass | None:
        gp = self.run(
            checkout.issue_gate_pass,
            self.order,
            done=translate("CheckoutUi", "Gate pass issued. Print it for the customer."),
        )
        return gp

    def open_gate(self):  # noqa: ANN201 - GateWindow
        return self.page.open_gate(self.gate_pass.number if self.gate_pass else None)
