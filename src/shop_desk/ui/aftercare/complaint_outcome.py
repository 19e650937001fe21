"""The manager's outcome of a verified complaint for the person it concerns (篇四: 查实 →
批评, 扣奖金, 记大过, or not borne out), in one dialog on the complaints page."""

from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QLineEdit, QPlainTextEdit, QWidget

from shop_desk.i18n import translate
from shop_desk.models import Complaint, Staff
from shop_desk.services import penalties
from shop_desk.ui.shell.widgets import FormDialog


def may_record_outcome(case: Complaint | None) -> bool:
    """A case past its investigation that names a person and has no outcome yet."""
    return (
        case is not None
        and case.staff_concerned_id is not None
        and case.state in penalties.VERIFIED_STATES
        and penalties.complaint_outcome(case) is None
    )


class ComplaintOutcomeDialog(FormDialog):
    """Outcome, the amount of a bonus deduction, and what the investigation found."""

    def __init__(self, actor: Staff, case: Complaint, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("AftercareUi", "Outcome of complaint {number} for {name}").format(
                number=case.number, name=case.staff_concerned.name
            ),
            parent,
            translate("AftercareUi", "Record the outcome"),
        )
        self.setObjectName("complaintOutcomeDialog")
        self.actor, self.case = actor, case
        self.outcome = QComboBox(self)
        for code in penalties.COMPLAINT_OUTCOMES:
            self.outcome.addItem(penalties.outcome_label(code), code)
        self.add_row("outcome", translate("AftercareUi", "Outcome:"), self.outcome)
        self.amount = QLineEdit(self)
        self.amount.setPlaceholderText("200.00")
        self.add_row("amount", translate("AftercareUi", "Amount deducted (¥):"), self.amount)
        self.note = QPlainTextEdit(self)
        self.note.setPlaceholderText(
            translate("AftercareUi", "What the investigation found, and what the person was told")
        )
        self.add_row("note", translate("AftercareUi", "Found:"), self.note)
        self.outcome.currentIndexChanged.connect(self._outcome_changed)
        self._outcome_changed()

    def _outcome_changed(self) -> None:
        self.amount.setEnabled(self.outcome.currentData() == "bonus_deduction")

    def submit(self) -> Any:
        amount = self.amount.text() if self.amount.isEnabled() else None
        return penalties.record_complaint_outcome(
            self.actor,
            self.case.id,
            self.outcome.currentData(),
            self.note.toPlainText(),
            amount,
        )
