"""The station's dialogs about the car: accept it (验收) with damage found now, report a
delay, send it back to the workshop, the wash and the parking spot."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QButtonGroup,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QWidget,
)

from shop_desk import clock
from shop_desk.i18n import join_list, translate
from shop_desk.models import RepairOrder, Staff
from shop_desk.services import workshop
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.widgets import app_settings
from shop_desk.ui.station import reads
from shop_desk.ui.station.common import (
    fit_table,
    set_flag,
    setup_table,
)
from shop_desk.ui.station.damage import DamageDiagram, DiagramMark
from shop_desk.ui.station.dialogs import (
    StationDialog,
    pydt,
    qdt,
    text_edit,
)
from shop_desk.ui.station.ticklist import TickList

# ---------------------------------------------------------------------------------------
# accepting the car (验收)


class AcceptCarDialog(StationDialog):
    """The check-in sheet's marks and condition; tap the diagram to add damage found now."""

    def __init__(self, actor: Staff, order: RepairOrder, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Accept the car {number}").format(number=order.number),
            actor,
            order,
            parent,
            translate("Station", "Accept the car"),
        )
        self.setObjectName("acceptCarDialog")
        set_flag(self.ok_button(), "primary", True)
        self.sheet = reads.check_in_sheet(order.id)
        self.new_marks: list[dict[str, Any]] = []
        self.heading(
            translate(
                "Station",
                "Walk round the car with the check-in sheet. Damage already recorded is red; tap the "
                "picture to add damage you find now (blue) — the service advisor is told.",
            )
        )
        condition = QLabel(self._condition_text(), self)
        condition.setObjectName("conditionLabel")
        condition.setWordWrap(True)
        self.form.addRow(translate("Station", "Check-in sheet:"), condition)
        self.diagram = DamageDiagram(self, editable=True)
        self.diagram.setMinimumSize(560, 238)
        self.form.addRow(self.diagram)
        kinds = QWidget(self)
        row = QHBoxLayout(kinds)
        row.setContentsMargins(0, 0, 0, 0)
        self.kind_group = QButtonGroup(self)
        self.kind_buttons: dict[str, QPushButton] = {}
        for code in workshop.DAMAGE_KINDS:
            button = QPushButton(reads.damage_kind_label(code), kinds)
            button.setObjectName(f"kind_{code}")
            button.setCheckable(True)
            button.setAutoDefault(False)
            button.setMinimumHeight(40)
            self.kind_group.addButton(button)
            self.kind_buttons[code] = button
            row.addWidget(button)
        self.kind_buttons["scratch"].setChecked(True)
        self.form.addRow(translate("Station", "Kind of the next mark:"), kinds)
        self.mark_note = QLineEdit(self)
        self.mark_note.setObjectName("markNoteEdit")
        self.mark_note.setPlaceholderText(translate("Station", "e.g. rear bumper, 5 cm"))
        self.mark_note.setMaxLength(200)
        self.form.addRow(translate("Station", "Note for the next mark:"), self.mark_note)
        self.marks_model = RowTableModel(
            [
                Column(lambda: translate("Station", "No."), lambda m: m.number),
                Column(lambda: translate("Station", "View"), lambda m: reads.view_label(m.view)),
                Column(
                    lambda: translate("Station", "Damage"),
                    lambda m: reads.damage_kind_label(m.kind),
                ),
                Column(lambda: translate("Station", "Note"), lambda m: m.note),
                Column(
                    lambda: translate("Station", "Recorded"),
                    lambda m: (
                        translate("Station", "New, now")
                        if m.new
                        else (
                            translate("Station", "Workshop")
                            if m.workshop
                            else translate("Station", "At reception")
                        )
                    ),
                ),
            ],
            self,
        )
        self.marks_view = QTableView(self)
        self.marks_view.setObjectName("marksTable")
        self.marks_view.setModel(self.marks_model)
        setup_table(self.marks_view, 3, 28)
        self.marks_view.setMaximumHeight(150)
        self.form.addRow(self.marks_view)
        self.remove_button = QPushButton(translate("Station", "Remove the last new mark"), self)
        self.remove_button.setObjectName("removeMarkButton")
        self.remove_button.setAutoDefault(False)
        self.remove_button.setEnabled(False)
        self.remove_button.clicked.connect(self.remove_last)
        self.form.addRow("", self.remove_button)
        self.notes = text_edit(
            self, translate("Station", "Fault confirmed? Test drive? Anything to tell the advisor")
        )
        self.notes.setObjectName("notesEdit")
        self.add_row("notes", translate("Station", "Notes:"), self.notes)
        self.diagram.mark_added.connect(self.add_mark)
        self._show_marks()
        self.resize(760, 820)

    def _condition_text(self) -> str:
        s = self.sheet
        yes, no = translate("Station", "yes"), translate("Station", "no")
        parts = []
        if s.fuel_level is not None:
            parts.append(translate("Station", "fuel {n}%").format(n=s.fuel_level))
        if s.odometer_km:
            parts.append(translate("Station", "{km} km").format(km=f"{s.odometer_km:,}"))
        if s.spare_wheel is not None:
            parts.append(
                translate("Station", "spare wheel: {v}").format(v=yes if s.spare_wheel else no)
            )
        if s.tool_kit is not None:
            parts.append(translate("Station", "tool kit: {v}").format(v=yes if s.tool_kit else no))
        if s.valuables:
            parts.append(translate("Station", "valuables: {text}").format(text=s.valuables))
        parts.append(reads.damage_marks_text(len(s.marks)))
        return " · ".join(parts)

    def kind(self) -> str:
        for code, button in self.kind_buttons.items():
            if button.isChecked():
                return code
        return "other"

    def add_mark(self, view: str, x: float, y: float) -> None:
        """A tap on the diagram: a new mark of the chosen kind with the note typed."""
        self.new_marks.append(
            {"view": view, "x": x, "y": y, "kind": self.kind(), "note": self.mark_note.text()}
        )
        self.mark_note.clear()
        self._show_marks()

    def remove_last(self) -> None:
        if self.new_marks:
            self.new_marks.pop()
            self._show_marks()

    def _show_marks(self) -> None:
        marks = [
            DiagramMark(m.number, m.view, m.x, m.y, m.kind, m.found_in_workshop, m.note)
            for m in self.sheet.marks
        ]
        start = len(marks)
        for n, m in enumerate(self.new_marks):
            marks.append(
                DiagramMark(
                    start + n + 1, m["view"], m["x"], m["y"], m["kind"], True, m["note"], new=True
                )
            )
        self.diagram.set_marks(marks)
        self.marks_model.set_rows(marks)
        fit_table(self.marks_view, 3)
        self.remove_button.setEnabled(bool(self.new_marks))

    def submit(self) -> Any:
        return self.run(
            workshop.accept_car,
            self.order.id,
            new_damage=list(self.new_marks),
            notes=self.notes.toPlainText(),
            expected_version=self.expected_version,
        )


# ---------------------------------------------------------------------------------------
# delay


class DelayDialog(StationDialog):
    """A new promised completion time and why; the service advisor sees it at once."""

    def __init__(self, actor: Staff, order: RepairOrder, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Report a delay on {number}").format(number=order.number),
            actor,
            order,
            parent,
            translate("Station", "Report the delay"),
        )
        self.setObjectName("delayDialog")
        set_flag(self.ok_button(), "primary", True)
        promised = order.promised_at
        self.heading(
            translate("Station", "Promised completion now: {when}.").format(
                when=promised.strftime("%Y-%m-%d %H:%M")
                if promised
                else translate("Station", "not set")
            )
        )
        base = max(promised or clock.now(), clock.now())
        proposal = (base + dt.timedelta(hours=1)).replace(second=0, microsecond=0)
        proposal = proposal.replace(minute=(proposal.minute // 15) * 15)
        self.time_edit = QDateTimeEdit(qdt(proposal), self)
        self.time_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.time_edit.setCalendarPopup(True)
        self.time_edit.setMinimumHeight(40)
        self.add_row(
            "new_promised_at", translate("Station", "New promised completion:"), self.time_edit
        )
        self.reason = QComboBox(self)
        self.reason.setEditable(True)
        self.reason.addItems(
            [
                "",
                translate("Station", "Parts are late"),
                translate("Station", "Additional work found"),
                translate("Station", "Diagnosis takes longer than planned"),
                translate("Station", "Rework after the final inspection"),
            ]
        )
        self.reason.setMinimumHeight(40)
        self.reason.lineEdit().setPlaceholderText(translate("Station", "Reason for the delay"))
        self.add_row("reason", translate("Station", "Reason:"), self.reason)

    def submit(self) -> Any:
        return self.run(
            workshop.report_delay,
            self.order.id,
            pydt(self.time_edit.dateTime()),
            self.reason.currentText(),
        )


class SendBackDialog(StationDialog):
    """The supervisor sends a finished car back to its technician (rework), saying why; the
    lines not done are named and proposed as the reason."""

    def __init__(self, actor: Staff, order: RepairOrder, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Send {number} back to the workshop").format(number=order.number),
            actor,
            order,
            parent,
            translate("Station", "Send back for rework"),
        )
        self.setObjectName("sendBackDialog")
        set_flag(self.ok_button(), "danger", True)
        open_work = workshop.work_not_done(order)
        self.heading(
            translate("Station", "Not done yet: {lines}").format(
                lines=join_list([w.text for w in open_work], clauses=True)
            )
            if open_work
            else translate(
                "Station",
                "The car goes back to its technician; it passes the self-check, the team-leader "
                "check and the final inspection again.",
            )
        )
        self.reason = text_edit(self, translate("Station", "Why the car goes back"))
        if open_work:
            self.reason.setPlainText(
                translate("Station", "Not done yet: {lines}").format(
                    lines=join_list([w.line.description for w in open_work], clauses=True)
                )
            )
        self.add_row("reason", translate("Station", "Reason:"), self.reason)

    def submit(self) -> Any:
        return self.run(
            workshop.send_back_to_workshop,
            self.order.id,
            self.reason.toPlainText(),
            expected_version=self.expected_version,
        )


# ---------------------------------------------------------------------------------------
# wash and parking


def _recent_spots() -> list[str]:
    value = app_settings().value("station/parking_spots", [], list)
    return [str(v) for v in (value or []) if str(v).strip()][:20]


def _remember_spot(spot: str) -> None:
    spots = [spot, *[s for s in _recent_spots() if s != spot]][:20]
    app_settings().setValue("station/parking_spots", spots)


class ParkingDialog(StationDialog):
    """Finish the wash and park (finish=True), or just say where the car stands."""

    def __init__(
        self, actor: Staff, order: RepairOrder, parent: QWidget, finish: bool = True
    ) -> None:
        super().__init__(
            translate("Station", "Finish the wash of {number}").format(number=order.number)
            if finish
            else translate("Station", "Parking spot of {number}").format(number=order.number),
            actor,
            order,
            parent,
            translate("Station", "Washed and parked") if finish else translate("Widgets", "Save"),
        )
        self.setObjectName("parkingDialog")
        self.finish = finish
        set_flag(self.ok_button(), "primary", True)
        self.heading(
            translate(
                "Station",
                "Park in the finished-car area facing the exit; the service advisor is told where.",
            )
        )
        self.spot = QLineEdit(order.parking_spot, self)
        self.spot.setMaxLength(20)
        self.spot.setMinimumHeight(40)
        self.spot.setPlaceholderText(translate("Station", "e.g. P07"))
        completer = QCompleter(_recent_spots(), self.spot)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.spot.setCompleter(completer)
        self.ticks: TickList | None = None
        if finish:  # the car leaves the wash clean: every item ticked
            self.ticks = TickList(workshop.WASH_CHECK_ITEMS, workshop.wash_check_label, self)
            self.form.addRow(self.ticks)
            self.fields["checklist"] = self.ticks.all_box
        self.add_row("parking_spot", translate("Station", "Parking spot:"), self.spot)
        self.spot.setFocus()

    def submit(self) -> Any:
        if self.ticks is not None:
            result = self.run(
                workshop.finish_wash, self.order.id, self.spot.text(), self.ticks.checklist()
            )
        else:
            result = self.run(workshop.set_parking_spot, self.order.id, self.spot.text())
        _remember_spot(self.spot.text().strip())
        return result
