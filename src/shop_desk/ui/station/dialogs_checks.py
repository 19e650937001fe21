"""The station's check dialogs: the technician's self-check (自检), the team leader's check
(班组长检验) and the QC inspector's final inspection (总检)."""

from __future__ import annotations

from typing import Any

from PySide6.QtGui import QShowEvent
from PySide6.QtWidgets import (
    QLabel,
    QWidget,
)

from shop_desk.i18n import translate
from shop_desk.models import RepairOrder, Staff
from shop_desk.services import workshop
from shop_desk.ui.shell.prefs import join_list
from shop_desk.ui.station import reads
from shop_desk.ui.station.common import set_flag
from shop_desk.ui.station.dialogs import (
    PassFailDialog,
    text_edit,
)
from shop_desk.ui.station.ticklist import TickList

# ---------------------------------------------------------------------------------------
# the checks (自检 / 班组长检验 / 总检)


class SelfCheckDialog(PassFailDialog):
    """The technician checks his own work: "All checked" ticks every point at once, then he
    unticks what was not OK (an exception needs a note and makes the check "Not passed").

    "Self-check passed" is the default button (Enter) only with every point ticked; with an
    exception "Not passed" is, and with nothing ticked Enter does nothing."""

    def __init__(self, actor: Staff, order: RepairOrder, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Self-check of {number}").format(number=order.number),
            actor,
            order,
            parent,
            translate("Station", "Self-check passed"),
            translate("Station", "Not passed"),
        )
        self.setObjectName("selfCheckDialog")
        self.heading(
            translate(
                "Station",
                'Check your own work before the team leader checks it. "All checked" ticks '
                "every point; then untick what was not OK.",
            )
        )
        self.ticks = TickList(reads.SELF_CHECK_ITEMS, reads.self_check_label, self)
        self.ticks.changed.connect(self._ticks_changed)
        self.form.addRow(self.ticks)
        self.all_box, self.boxes = self.ticks.all_box, self.ticks.boxes
        self.fields["checklist"] = self.all_box
        self.exceptions = QLabel(self)
        self.exceptions.setObjectName("selfCheckExceptions")
        self.exceptions.setWordWrap(True)
        self.form.addRow(self.exceptions)
        self.notes = text_edit(self, translate("Station", "What is wrong (needed when not passed)"))
        self.add_row("notes", translate("Station", "Notes:"), self.notes)
        for button in self.buttons.buttons():  # else Qt makes the first one default on show
            button.setAutoDefault(False)
        self._ticks_changed()

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        self._ticks_changed()  # the button box makes OK the default when it is shown

    def not_ticked(self) -> list[str]:
        """The points not ticked, in the technician's words."""
        return self.ticks.not_ticked()

    def _ticks_changed(self) -> None:
        """Keep the exceptions line and the default button in step with the ticks."""
        ticked = self.ticks.ticked()
        everything = self.ticks.everything()
        missing = self.not_ticked()
        self.exceptions.setVisible(bool(ticked) and not everything)
        self.exceptions.setText(
            translate(
                "Station", "Not OK: {points}. Say what is wrong in the notes, then Not passed."
            ).format(points=join_list(missing))
            if ticked and not everything
            else ""
        )
        ok = self.ok_button()
        ok.setAutoDefault(everything)
        ok.setDefault(everything)
        self.fail_button.setDefault(bool(ticked) and not everything)
        set_flag(ok, "primary", everything)

    def checklist(self) -> dict[str, bool]:
        return self.ticks.checklist()

    def submit(self) -> Any:
        return self.run(
            workshop.self_check,
            self.order.id,
            self.checklist(),
            self.passed,
            self.notes.toPlainText(),
        )


class LeaderCheckDialog(PassFailDialog):
    """The team leader checks the team's work, writes advice for the task order and signs."""

    def __init__(self, actor: Staff, order: RepairOrder, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Team-leader check of {number}").format(number=order.number),
            actor,
            order,
            parent,
            translate("Station", "Passed — sign as {name}").format(name=actor.name),
            translate("Station", "Not passed: back to the technician"),
        )
        self.setObjectName("leaderCheckDialog")
        rows = [r for r in reads.qc_rows(order.id) if r.round == order.rework_count + 1]
        last_self = next((r for r in reversed(rows) if r.stage == "self"), None)
        if last_self is None:
            text = translate("Station", "No self-check recorded in this round yet.")
        else:
            text = translate("Station", "Self-check by {name} at {time}: {result}.").format(
                name=last_self.by,
                time=last_self.at.strftime("%H:%M"),
                result=translate("Station", "passed")
                if last_self.passed
                else translate("Station", "not passed"),
            )
        self.heading(text)
        self.advice = text_edit(
            self, translate("Station", "Repair advice printed on the task order (for the customer)")
        )
        self.add_row("advice", translate("Station", "Repair advice:"), self.advice)
        self.notes = text_edit(self, translate("Station", "Notes; what is wrong when not passed"))
        self.add_row("notes", translate("Station", "Notes:"), self.notes)

    def submit(self) -> Any:
        return self.run(
            workshop.leader_check,
            self.order.id,
            self.passed,
            advice=self.advice.toPlainText(),
            notes=self.notes.toPlainText(),
            expected_version=self.expected_version,
        )


class FinalQcDialog(PassFailDialog):
    """The 100% final inspection: pass (to the wash or ready), or fail with the reason (rework)."""

    def __init__(self, actor: Staff, order: RepairOrder, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Final inspection of {number}").format(number=order.number),
            actor,
            order,
            parent,
            translate("Station", "Passed"),
            translate("Station", "Failed: rework"),
        )
        self.setObjectName("finalQcDialog")
        after = (
            translate(
                "Station", "After a pass the car goes to the wash (the customer accepted it)."
            )
            if order.free_wash
            else translate("Station", "After a pass the car is ready for delivery (no wash).")
        )
        rework = (
            translate("Station", "Rework so far: {n}.").format(n=order.rework_count)
            if order.rework_count
            else ""
        )
        self.heading(" ".join(x for x in (after, rework) if x))
        self.reason = text_edit(
            self, translate("Station", "Why it failed (the technician needs it)")
        )
        self.add_row("reason", translate("Station", "Reason:"), self.reason)
        self.advice = text_edit(self, translate("Station", "Advice for the customer (optional)"))
        self.add_row("advice", translate("Station", "Advice:"), self.advice)

    def submit(self) -> Any:
        return self.run(
            workshop.final_qc,
            self.order.id,
            self.passed,
            reason=self.reason.toPlainText(),
            advice=self.advice.toPlainText(),
            expected_version=self.expected_version,
        )
