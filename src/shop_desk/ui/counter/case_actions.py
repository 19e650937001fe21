"""The steps of a returned product's case, shared by the "Exchanges & returns" and the "Sent in
for repair" tabs: the test report (检测报告, printed for the customer), the general manager's
approval, then the replacement, the refund or sending it back. Which buttons are enabled
follows the case's state table (:mod:`shop_desk.counter_states`); the service still decides
and says why not."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk.counter_states import allowed_actions, state_label
from shop_desk.i18n import translate
from shop_desk.models import CounterCase, Staff
from shop_desk.services import counter, counter_returns
from shop_desk.ui.counter.common import method_label, run, text_label
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog, allowed, ask

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow


class TestReportDialog(FormDialog):
    """The shop's test report: number, findings, quality fault or not, exterior and parts."""

    def __init__(self, actor: Staff, case: CounterCase, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("CounterUi", "Test report for case {number}").format(number=case.number),
            parent,
            translate("CounterUi", "Record the test report"),
        )
        self.setObjectName("testReportDialog")
        self.actor, self.case = actor, case
        self.report_edit = self.add_row(
            "report_no", translate("CounterUi", "Test report no."), QLineEdit(self)
        )
        self.findings_edit = self.add_row(
            "findings", translate("CounterUi", "Findings"), QPlainTextEdit(self)
        )
        self.findings_edit.setMaximumHeight(90)
        self.component_edit = self.add_row(
            "component", translate("CounterUi", "Faulty part"), QLineEdit(self)
        )
        self.quality_check = self.add_row(
            "quality", "", QCheckBox(translate("CounterUi", "A quality fault (not caused by use)"))
        )
        self.exterior_check = self.add_row(
            "exterior_damage",
            "",
            QCheckBox(translate("CounterUi", "Exterior damaged (housing, aerial, display, lens)")),
        )
        self.missing_check = self.add_row(
            "parts_missing",
            "",
            QCheckBox(translate("CounterUi", "Parts, accessories or packaging missing")),
        )

    def submit(self) -> CounterCase:
        return counter_returns.record_test_report(
            self.actor,
            self.case.id,
            self.report_edit.text(),
            self.quality_check.isChecked(),
            self.findings_edit.toPlainText(),
            component=self.component_edit.text(),
            exterior_damage=self.exterior_check.isChecked(),
            parts_missing=self.missing_check.isChecked(),
        )


class RefundDialog(FormDialog):
    """How the money goes back."""

    def __init__(self, actor: Staff, case: CounterCase, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("CounterUi", "Refund {amount} for case {number}").format(
                amount=counter_returns.case_value_text(case), number=case.number
            ),
            parent,
            translate("CounterUi", "Refund"),
        )
        self.setObjectName("refundDialog")
        self.actor, self.case = actor, case
        self.method_combo = self.add_row(
            "method", translate("CounterUi", "Payment method"), QComboBox(self)
        )
        for code in counter.COUNTER_METHODS:
            self.method_combo.addItem(method_label(code), code)

    def submit(self) -> object:
        return counter_returns.refund_case(
            self.actor, self.case.id, self.method_combo.currentData()
        )


class CaseActions(QWidget):
    """The selected case in words and the buttons for its next step."""

    changed = Signal()

    def __init__(self, window: MainWindow, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.window_ = window
        self.case: CounterCase | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("caseBanner")
        layout.addWidget(self.banner)
        self.details = text_label(self, "caseDetails", 5)
        layout.addWidget(self.details)
        row = QHBoxLayout()
        layout.addLayout(row)
        self.buttons: dict[str, QPushButton] = {}
        for key, text, slot, operation in (
            ("test", translate("CounterUi", "Test report…"), self.test_report,
             counter_returns.record_test_report),
            ("approval", translate("CounterUi", "Ask the general manager"), self.ask_approval,
             counter_returns.request_case_approval),
            ("replace", translate("CounterUi", "Send the replacement"), self.replace,
             counter_returns.send_replacement),
            ("refund", translate("CounterUi", "Refund…"), self.refund,
             counter_returns.refund_case),
            ("send_back", translate("CounterUi", "Send back to the customer"), self.send_back,
             counter_returns.send_back),
        ):  # fmt: skip
            button = QPushButton(text, self)
            button.setObjectName(f"{key}Button")
            button.setAutoDefault(False)
            button.clicked.connect(slot)
            button.setProperty("operation_allowed", allowed(window.staff, operation))
            row.addWidget(button)
            self.buttons[key] = button
        self.print_button = QPushButton(translate("CounterUi", "Print test report"), self)
        self.print_button.setObjectName("printReportButton")
        self.print_button.setAutoDefault(False)
        self.print_button.clicked.connect(self.print_report)
        row.addWidget(self.print_button)
        row.addStretch(1)
        self.show_case(None)

    @property
    def actor(self) -> Staff:
        return self.window_.staff

    def show_case(self, case: CounterCase | None) -> None:
        self.case = CounterCase.get_by_id(case.id) if case is not None else None
        self.banner.clear_message()
        if self.case is None:
            self.details.setText(translate("CounterUi", "Choose a case to see its steps."))
        else:
            self.details.setText(case_text(self.case))
        self._enable()

    def _enable(self) -> None:
        case = self.case
        moves = set(allowed_actions(case.state)) if case is not None else set()
        approval = case.approval.state if case is not None and case.approval_id else None
        wants = {
            "test": "confirm_fault" in moves,
            "approval": "replace" in moves and approval not in ("pending", "approved"),
            "replace": "replace" in moves and case.request == "exchange",
            "refund": "refund" in moves and case.request == "refund",
            "send_back": "send_back" in moves,
        }
        for key, button in self.buttons.items():
            button.setEnabled(wants[key] and bool(button.property("operation_allowed")))
        self.print_button.setEnabled(case is not None and case.tested_at is not None)

    def _done(self, text: str) -> None:
        self.changed.emit()  # the tab re-reads its lists first (they may show the case again)
        self.show_case(self.case)
        self.banner.show_info(text)

    def _open(self, dialog: FormDialog, done: Callable[[], None]) -> FormDialog:
        dialog.accepted.connect(done)
        dialog.open()
        return dialog

    # -- steps --------------------------------------------------------------------------
    def test_report(self) -> FormDialog | None:
        if self.case is None:
            return None
        dialog = TestReportDialog(self.actor, self.case, self)
        return self._open(
            dialog,
            lambda: self._done(
                translate("CounterUi", "Test report recorded: {decision}").format(
                    decision=dialog.result_value.decision
                )
            ),
        )

    def print_report(self):  # noqa: ANN201 - the preview dialog
        """The test report the customer is handed; printed before, it is a copy."""
        if self.case is None or self.case.tested_at is None:
            return None
        from shop_desk.ui.shell.print_preview import show_print_preview

        return show_print_preview(self, "test-report", self.case.number)

    def ask_approval(self) -> None:
        if self.case is None:
            return
        asked = run(
            self.banner, lambda: counter_returns.request_case_approval(self.actor, self.case.id)
        )
        if asked is not None:
            self._done(
                translate(
                    "CounterUi", "Asked the general manager to approve {amount} for case {number}."
                ).format(amount=counter_returns.case_value_text(self.case), number=self.case.number)
            )

    def replace(self) -> None:
        if self.case is None:
            return
        done = run(self.banner, lambda: counter_returns.send_replacement(self.actor, self.case.id))
        if done is not None:
            self._done(
                translate("CounterUi", "The replacement for case {number} went out.").format(
                    number=done.number
                )
            )

    def refund(self) -> FormDialog | None:
        if self.case is None:
            return None
        dialog = RefundDialog(self.actor, self.case, self)
        return self._open(
            dialog,
            lambda: self._done(
                translate("CounterUi", "Refunded {amount} for case {number}.").format(
                    amount=counter_returns.case_value_text(self.case), number=self.case.number
                )
            ),
        )

    def send_back(self) -> None:
        case = self.case
        if case is None:
            return

        def go() -> None:
            done = run(self.banner, lambda: counter_returns.send_back(self.actor, case.id))
            if done is not None:
                self._done(
                    translate("CounterUi", "Case {number}: the product goes back. {note}").format(
                        number=done.number, note=done.note
                    )
                )

        text = translate("CounterUi", "Send the product of case {number} back to the customer?")
        if case.state == "fault_confirmed":
            text += " " + translate(
                "CounterUi",
                "Without the general manager's approval the costs stay with the customer.",
            )
        ask(
            self,
            translate("CounterUi", "Send back"),
            text.format(number=case.number),
            translate("CounterUi", "Send back"),
            go,
        )


def case_text(case: CounterCase) -> str:
    """A case in words: what, where it stands, the test report's decision, the approval,
    and whether its replacement is late."""
    line = case.line
    parts = [
        translate(
            "CounterUi",
            "Case {number}: {request} of {qty} × {part} (receipt {receipt}), received {received}; "
            "{state}.",
        ).format(
            number=case.number,
            request=counter_returns.request_label(case.request),
            qty=case.quantity,
            part=line.description,
            receipt=line.sale.number,
            received=case.received_at.strftime("%Y-%m-%d %H:%M"),
            state=state_label(case.state),
        )
    ]
    if case.decision:
        parts.append(case.decision)
    approval = counter_returns.approval_text(case)
    if approval:
        parts.append(approval)
    late = counter_returns.overdue_text(case)
    if late:
        parts.append(late)
    if case.note:
        parts.append(case.note)
    return "\n".join(parts)
