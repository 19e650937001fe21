"""Step 2 of a reception: the walk-around (环车检查), saved with the order version last seen.

:class:`~shop_desk.ui.reception.inspection.InspectionWidget` collects the marks and readings;
this step saves them through :func:`shop_desk.services.reception.record_inspection` and asks
for a reason when the odometer reads lower than last time."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QVBoxLayout, QWidget

from shop_desk.errors import ConfirmationRequired, DomainError
from shop_desk.i18n import translate
from shop_desk.services import reception
from shop_desk.ui.reception.estimate import OrderRunner
from shop_desk.ui.reception.inspection import InspectionWidget
from shop_desk.ui.reception.widgets import ReasonDialog
from shop_desk.ui.shell.widgets import mark_invalid


class WalkAroundStep(QWidget):
    """The walk-around step: the inspection form and its saving."""

    changed = Signal()  # an unsaved input changed: drafts
    submit_requested = Signal()  # Enter in the odometer, valuables or notes field
    problem = Signal(str)  # a hint of the form (a photo too large…)
    failed = Signal(object)  # a refusal of the service (DomainError)
    saved = Signal()  # the walk-around is stored (before it is shown again)
    status = Signal(str)

    def __init__(self, runner: OrderRunner, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("walkAroundStep")
        self.runner = runner
        self.reason_dialog: ReasonDialog | None = None
        self.inspection = InspectionWidget(self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.inspection)
        self.inspection.changed.connect(self.changed.emit)
        self.inspection.problem.connect(self.problem.emit)
        self.inspection.submit_requested.connect(self.submit_requested.emit)

    # -- what the page asks ----------------------------------------------------------------
    def load(self, order_id: int) -> None:
        self.inspection.load(order_id)

    def clear(self) -> None:
        self.inspection.clear()

    def state(self) -> dict[str, Any]:
        return self.inspection.state()

    def restore(self, data: dict[str, Any]) -> None:
        self.inspection.restore(data)

    def focus_first(self) -> None:
        self.inspection.focus_first()

    def field_widget(self, field: str) -> QWidget | None:
        return self.inspection.field_widget(field)

    def clear_marks(self) -> None:
        for widget in (self.inspection.odometer, self.inspection.valuables, self.inspection.notes):
            if widget.property("invalid"):
                mark_invalid(widget, False)

    # -- saving ----------------------------------------------------------------------------
    def save(self, then: Callable[[], None]) -> None:
        """Store the walk-around, then run ``then``; a lower odometer asks for a reason first."""
        values = self.inspection.values()
        try:
            self.runner.attempt(reception.record_inspection, self.runner.order_id, **values)
        except ConfirmationRequired as exc:
            self.ask_odometer_reason(exc, values, then)
            return
        except DomainError as exc:
            self.failed.emit(exc)
            return
        self._saved(then)

    def ask_odometer_reason(
        self, exc: ConfirmationRequired, values: dict[str, Any], then: Callable[[], None]
    ) -> ReasonDialog:
        """A lower odometer needs the advisor's confirmation with a reason; then save again."""

        def submit(reason: str) -> Any:
            return self.runner.attempt(
                reception.record_inspection,
                self.runner.order_id,
                confirm_lower_odometer_reason=reason,
                **values,
            )

        dialog = odometer_reason_dialog(str(exc), submit, self)
        dialog.accepted.connect(lambda: self._saved(then))
        self.reason_dialog = dialog
        dialog.open()
        return dialog

    def _saved(self, then: Callable[[], None]) -> None:
        self.saved.emit()
        self.status.emit(translate("ReceptionPage", "Walk-around saved."))
        assert self.runner.order_id is not None
        self.inspection.load(self.runner.order_id)
        then()


def odometer_reason_dialog(
    text: str, submit: Callable[[str], Any], parent: QWidget | None = None
) -> ReasonDialog:
    """The question for a reading lower than the last one (``submit(reason)`` saves)."""
    dialog = ReasonDialog(
        translate("ReceptionPage", "Lower odometer reading"),
        text,
        translate("ReceptionPage", "Reason"),
        submit,
        parent,
        translate("ReceptionPage", "Confirm the reading"),
    )
    dialog.reason_edit.setPlaceholderText(
        translate("ReceptionPage", "e.g. instrument cluster replaced")
    )
    return dialog
