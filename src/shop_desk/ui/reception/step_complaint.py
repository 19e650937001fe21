"""Step 3 of a reception: what the customer says, diagnosis, documents and the warranty decision.

The step collects; it saves through :mod:`shop_desk.services.reception` with the page's
:class:`~shop_desk.ui.reception.estimate.OrderRunner` (a refusal goes to the runner's
``failed``). A standard job button asks the page (``quick_job_requested``): it also adds
estimate lines."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk.i18n import translate
from shop_desk.models import RepairOrder
from shop_desk.services import reception, warranty
from shop_desk.ui.reception.estimate import OrderRunner, quick_jobs
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import mark_invalid


class ComplaintStep(QWidget):
    """The complaint and warranty step; the page loads, saves and restores it."""

    changed = Signal()  # an unsaved input changed: drafts
    submit_requested = Signal()  # Enter in a line field, Ctrl+Enter in a text field
    quick_job_requested = Signal(object)  # a standard job (QuickJob)
    status = Signal(str)

    def __init__(self, runner: OrderRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("complaintStep")
        self.runner = runner
        self.warranty_touched = False  # the advisor chose a decision: no more suggestions
        self.form = load_form("reception_complaint", self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.form)
        f = self.form
        self.complaint_edit = child(f, QPlainTextEdit, "complaintEdit")
        self.diagnosis_needed = child(f, QCheckBox, "diagnosisNeededCheck")
        self.diagnosis_edit = child(f, QPlainTextEdit, "diagnosisEdit")
        self.suggestion_label = child(f, QLabel, "suggestionLabel")
        self.warranty_radios = {
            warranty.COVERED: child(f, QRadioButton, "coveredRadio"),
            warranty.NOT_COVERED: child(f, QRadioButton, "notCoveredRadio"),
            warranty.PENDING: child(f, QRadioButton, "pendingRadio"),
        }
        self.warranty_group = QButtonGroup(self)
        for radio in self.warranty_radios.values():
            self.warranty_group.addButton(radio)
            radio.toggled.connect(self._warranty_toggled)
        self.reason_edit = child(f, QLineEdit, "reasonEdit")
        self.licence_edit = child(f, QLineEdit, "licenceEdit")
        self.booklet_edit = child(f, QLineEdit, "bookletEdit")
        for edit in (self.complaint_edit, self.diagnosis_edit):
            edit.textChanged.connect(self.changed.emit)
            edit.installEventFilter(self)  # Ctrl+Enter goes on; plain Enter is a new line
        self.diagnosis_needed.toggled.connect(lambda _on: self.changed.emit())
        for edit in (self.reason_edit, self.licence_edit, self.booklet_edit):
            edit.textEdited.connect(lambda _t: self.changed.emit())
            edit.returnPressed.connect(self.submit_requested.emit)
        self.reason_edit.textEdited.connect(lambda _t: setattr(self, "warranty_touched", True))
        quick = child(f, QWidget, "quickHost").layout()
        self.complaint_quick: dict[str, QPushButton] = {}
        for job in quick_jobs():
            button = QPushButton(job.title, f)
            button.setObjectName(f"complaintQuick_{job.code}")
            button.setMinimumHeight(38)
            button.setAutoDefault(False)
            button.setToolTip(
                translate("ReceptionPage", "Adds {op} and its usual parts to the estimate.").format(
                    op=job.op.name
                )
            )
            button.clicked.connect(lambda _=False, j=job: self.quick_job_requested.emit(j))
            quick.addWidget(button)
            self.complaint_quick[job.code] = button
        quick.addStretch(1)
        self.fields: dict[str, QWidget] = {
            "complaint_text": self.complaint_edit,
            "diagnosis": self.diagnosis_edit,
            "licence_no": self.licence_edit,
            "booklet_no": self.booklet_edit,
            "decision": child(f, QWidget, "warrantyGroup"),
            "reason": self.reason_edit,
        }

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            event.type() == QEvent.Type.KeyPress
            and isinstance(watched, QPlainTextEdit)
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)  # type: ignore[attr-defined]
            and event.modifiers() & Qt.KeyboardModifier.ControlModifier  # type: ignore[attr-defined]
        ):
            self.submit_requested.emit()
            return True
        return super().eventFilter(watched, event)

    # -- filling ---------------------------------------------------------------------------
    def load(self, order: RepairOrder, editable: bool) -> None:
        """Show what is stored on the order (unsaved input is replaced)."""
        self.complaint_edit.setPlainText(order.complaint_text)
        self.diagnosis_edit.setPlainText(order.diagnosis)
        self.diagnosis_needed.setChecked(order.diagnosis_needed)
        self.licence_edit.setText(order.licence_no)
        self.booklet_edit.setText(order.booklet_no)
        self.set_decision(order.warranty_decision, order.warranty_reason)
        self.warranty_touched = bool(order.warranty_decision)
        self.suggestion_label.clear()
        self.suggestion_label.hide()
        for widget in (*self.fields.values(), self.diagnosis_needed):
            widget.setEnabled(editable)
        for button in self.complaint_quick.values():
            button.setEnabled(editable)

    def clear(self) -> None:
        self.warranty_touched = False
        self.complaint_edit.clear()
        self.diagnosis_edit.clear()
        self.diagnosis_needed.setChecked(False)
        self.set_decision("", "")
        self.suggestion_label.clear()
        self.licence_edit.clear()
        self.booklet_edit.clear()

    def state(self) -> dict[str, Any]:
        """What is typed, for the draft."""
        return {
            "complaint_text": self.complaint_edit.toPlainText(),
            "diagnosis": self.diagnosis_edit.toPlainText(),
            "diagnosis_needed": self.diagnosis_needed.isChecked(),
            "licence_no": self.licence_edit.text(),
            "booklet_no": self.booklet_edit.text(),
            "decision": self.chosen_decision(),
            "reason": self.reason_edit.text(),
        }

    def restore(self, c: dict[str, Any]) -> None:
        """Put a draft's input (:meth:`state`) back."""
        self.complaint_edit.setPlainText(c.get("complaint_text", ""))
        self.diagnosis_edit.setPlainText(c.get("diagnosis", ""))
        self.diagnosis_needed.setChecked(bool(c.get("diagnosis_needed")))
        self.licence_edit.setText(c.get("licence_no", ""))
        self.booklet_edit.setText(c.get("booklet_no", ""))
        self.set_decision(c.get("decision", ""), c.get("reason", ""))
        self.warranty_touched = bool(c.get("decision"))

    def add_request(self, title: str) -> None:
        """A standard job the customer asked for with nothing else said: its title is the
        request. What the customer did say stays in their own words (the job goes on the
        estimate, not into the complaint)."""
        if not self.complaint_edit.toPlainText().strip():
            self.complaint_edit.setPlainText(title)

    def focus_first(self) -> None:
        self.complaint_edit.setFocus()

    def field_widget(self, field: str) -> QWidget | None:
        return self.fields.get(field)

    def clear_marks(self) -> None:
        for widget in self.fields.values():
            if widget.property("invalid"):
                mark_invalid(widget, False)

    # -- warranty --------------------------------------------------------------------------
    def set_decision(self, decision: str, reason: str) -> None:
        self.warranty_group.setExclusive(False)
        for code, radio in self.warranty_radios.items():
            radio.blockSignals(True)
            radio.setChecked(code == decision)
            radio.blockSignals(False)
        self.warranty_group.setExclusive(True)
        self.reason_edit.setText(reason)

    def chosen_decision(self) -> str:
        return next((c for c, r in self.warranty_radios.items() if r.isChecked()), "")

    def _warranty_toggled(self, on: bool) -> None:
        if on:
            self.warranty_touched = True
            self.changed.emit()

    def prefill_warranty(self, order: RepairOrder | None) -> None:
        """The warranty engine's suggestion for the main work, pre-selected (still changeable)."""
        if order is None:
            return
        decision = reception.suggest_warranty(order)
        self.suggestion_label.show()
        self.suggestion_label.setText(
            translate("ReceptionPage", "The warranty rules suggest: {status}. {reason}").format(
                status=warranty.status_label(decision.status), reason=decision.reason
            )
        )
        if not order.warranty_decision:
            self.set_decision(decision.status, decision.reason)

    # -- saving ----------------------------------------------------------------------------
    def needs_save(self, order: RepairOrder) -> bool:
        """Nothing stored yet, or a decision chosen that is not stored."""
        return not order.complaint_text.strip() or (
            self.chosen_decision() != (order.warranty_decision or "")
        )

    def save(self) -> bool:
        """Record the complaint, then the warranty decision when it changed."""
        result = self.runner.call(
            reception.record_complaint,
            self.runner.order_id,
            self.complaint_edit.toPlainText(),
            diagnosis=self.diagnosis_edit.toPlainText(),
            diagnosis_needed=self.diagnosis_needed.isChecked(),
            licence_no=self.licence_edit.text(),
            booklet_no=self.booklet_edit.text(),
        )
        if result is None:
            return False
        decision = self.chosen_decision()
        order = self.runner.order()
        reason = self.reason_edit.text().strip()
        changed = decision != order.warranty_decision or reason != order.warranty_reason
        if (
            decision
            and changed
            and self.runner.call(reception.decide_warranty, self.runner.order_id, decision, reason)
            is None
        ):
            return False
        self.status.emit(translate("ReceptionPage", "Complaint and warranty saved."))
        return True
