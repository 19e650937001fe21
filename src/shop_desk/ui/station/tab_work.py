"""The station's Work tab: the order's labour lines, clocking on them (start, pause, resume,
finish) and the clock entries of the chosen line, which a manager may correct."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QDialog, QLabel, QPushButton, QTableView, QWidget

from shop_desk.i18n import join_list, translate
from shop_desk.models import RepairOrder
from shop_desk.services import workshop
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.uiload import child
from shop_desk.ui.shell.widgets import allowed
from shop_desk.ui.station import reads
from shop_desk.ui.station.common import (
    StationHost,
    StationTab,
    current_row,
    fit_table,
    reselect,
    set_flag,
    setup_table,
)
from shop_desk.ui.station.dialogs_clock import ClockEditDialog, PauseDialog


class WorkTab(StationTab):
    """Labour lines and clocking; see the module docstring."""

    def __init__(self, body: QWidget, host: StationHost) -> None:
        super().__init__(body, host)
        self.setObjectName("stationWork")
        self.order: RepairOrder | None = None
        self.running_label = child(body, QLabel, "runningLabel")
        self.labour_view = child(body, QTableView, "labourTable")
        self.labour_model = RowTableModel(
            [
                Column(lambda: translate("Station", "Labour line"), lambda r: r.description),
                Column(
                    lambda: translate("Station", "Hours"),
                    lambda r: r.hours,
                    align_right=True,
                ),
                Column(lambda: translate("Station", "Status"), lambda r: r.status_text),
                Column(
                    lambda: translate("Station", "Clocked"),
                    lambda r: r.seconds(),
                    display=reads.hms,
                    align_right=True,
                ),
                Column(lambda: translate("Station", "Technician"), lambda r: r.technician),
                Column(
                    lambda: translate("Station", "Note"),
                    lambda r: " · ".join(
                        x
                        for x in (
                            translate("Station", "additional work")
                            if r.origin == "additional"
                            else "",
                            translate("Station", "clock edited") if r.edited else "",
                        )
                        if x
                    ),
                ),
            ],
            self,
            is_dimmed=lambda r: r.auth_state != "authorised" or r.work_state == "done",
        )
        self.labour_view.setModel(self.labour_model)
        setup_table(self.labour_view, 0, 44)
        self.labour_view.selectionModel().currentRowChanged.connect(
            lambda *_: self._labour_changed()
        )
        self.start_button = child(body, QPushButton, "startButton")
        self.pause_button = child(body, QPushButton, "pauseButton")
        self.resume_button = child(body, QPushButton, "resumeButton")
        self.finish_button = child(body, QPushButton, "finishButton")
        set_flag(self.start_button, "primary", True)
        self.start_button.clicked.connect(self.clock_start)
        self.pause_button.clicked.connect(self.clock_pause)
        self.resume_button.clicked.connect(self.clock_resume)
        self.finish_button.clicked.connect(self.clock_finish)
        self.clock_view = child(body, QTableView, "clockTable")
        self.clock_model = RowTableModel(
            [
                Column(
                    lambda: translate("Station", "Entry"),
                    lambda r: reads.clock_kind_label(r.kind),
                ),
                Column(
                    lambda: translate("Station", "Time"),
                    lambda r: r.at,
                    display=lambda v: v.strftime("%Y-%m-%d %H:%M"),
                ),
                Column(lambda: translate("Station", "Technician"), lambda r: r.technician),
                Column(lambda: translate("Station", "Reason / correction"), lambda r: r.note),
            ],
            self,
        )
        self.clock_view.setModel(self.clock_model)
        setup_table(self.clock_view, 3, 32)
        self.clock_view.setMaximumHeight(190)
        self.clock_view.selectionModel().currentRowChanged.connect(lambda *_: self._clock_changed())
        self.edited_label = child(body, QLabel, "editedLabel")
        self.edit_clock_button = child(body, QPushButton, "editClockButton")
        self.edit_clock_button.clicked.connect(self.edit_clock)
        self._apply_roles()

    def _clock_buttons(self) -> tuple[QPushButton, ...]:
        return (self.start_button, self.pause_button, self.resume_button, self.finish_button)

    def _apply_roles(self) -> None:
        """Hide what the signed-in person's roles cannot use (the services refuse it anyway)."""
        staff = self.host.staff
        clocking = allowed(staff, workshop.clock_start)
        for button in self._clock_buttons():
            button.setVisible(clocking)
        self.edit_clock_button.setVisible(allowed(staff, workshop.edit_clock_event))

    # -- reading -------------------------------------------------------------------------
    def fill(self, order: RepairOrder) -> None:
        self.order = order
        keep = self.selected_labour()
        self.labour_model.set_rows(reads.labour_rows(order.id))
        fit_table(self.labour_view, 0)
        if not (keep and self.select_labour(lambda r: r.line_id == keep.line_id)):
            # the line being worked on, else the next one to do
            self.select_labour(lambda r: r.running_since) or self.select_labour(
                lambda r: r.auth_state == "authorised" and r.work_state != "done"
            ) or self.select_labour(lambda r: True)
        self._labour_changed()

    def clear(self) -> None:
        self.order = None
        self.labour_model.set_rows([])
        self.clock_model.set_rows([])

    def selected_labour(self) -> reads.LabourRow | None:
        return current_row(self.labour_view, self.labour_model)

    def selected_clock(self) -> reads.ClockRow | None:
        return current_row(self.clock_view, self.clock_model)

    def select_labour(self, predicate: Callable[[reads.LabourRow], bool]) -> bool:
        return reselect(self.labour_view, self.labour_model, predicate)

    def select_clock(self, predicate: Callable[[reads.ClockRow], bool]) -> bool:
        return reselect(self.clock_view, self.clock_model, predicate)

    def _labour_changed(self) -> None:
        row = self.selected_labour()
        for button in self._clock_buttons():
            button.setEnabled(row is not None)
        if row is not None:
            # the likely step is the blue one; the others stay usable (the service explains)
            set_flag(self.start_button, "primary", row.work_state in ("pending", "done"))
            set_flag(self.pause_button, "primary", row.work_state == "in_progress")
            set_flag(self.resume_button, "primary", row.work_state == "paused")
        self.clock_model.set_rows(reads.clock_rows(row.line_id) if row else [])
        fit_table(self.clock_view, 3)
        edited = [c for c in self.clock_model.rows if c.original_at is not None]
        self.edited_label.setText(
            translate("Station", "{n} entries of this line were corrected by a manager.").format(
                n=len(edited)
            )
            if edited
            else ""
        )
        self._clock_changed()

    def _clock_changed(self) -> None:
        self.edit_clock_button.setEnabled(self.selected_clock() is not None)

    def tick(self) -> None:
        """The running time of clocked lines (the page calls it every second while shown)."""
        rows = self.labour_model.rows
        running = [r for r in rows if r.running_since is not None]
        if running:
            col = 3
            self.labour_model.dataChanged.emit(
                self.labour_model.index(0, col), self.labour_model.index(len(rows) - 1, col)
            )
            self.running_label.setText(
                "  ".join(
                    translate("Station", "Running: {line} {time}").format(
                        line=r.description, time=reads.hms(r.seconds())
                    )
                    for r in running
                )
            )
        elif self.order is not None:
            paused = [r for r in rows if r.work_state == "paused"]
            self.running_label.setText(
                translate("Station", "Paused: {lines}").format(
                    lines=join_list(r.description for r in paused)
                )
                if paused
                else translate("Station", "No work running on this order.")
            )

    # -- clocking ------------------------------------------------------------------------
    def _line_or_say(self) -> reads.LabourRow | None:
        row = self.selected_labour()
        if row is None:
            self.host.show_error(translate("Station", "Choose a labour line first."))
        return row

    def clock_start(self) -> None:
        row = self._line_or_say()
        if row is not None:
            self.host.call(
                workshop.clock_start,
                row.line_id,
                done=translate("Station", "Work started: {line}.").format(line=row.description),
            )

    def clock_pause(self) -> QDialog | None:
        row = self._line_or_say()
        if row is None:
            return None
        return self.host.open_dialog(
            PauseDialog(self.host.staff, row.line_id, row.description, self),
            lambda d: translate("Station", "Paused: {line}.").format(line=row.description),
        )

    def clock_resume(self) -> None:
        row = self._line_or_say()
        if row is not None:
            self.host.call(
                workshop.clock_resume,
                row.line_id,
                done=translate("Station", "Work resumed: {line}.").format(line=row.description),
            )

    def clock_finish(self) -> None:
        row = self._line_or_say()
        if row is not None:
            self.host.call(
                workshop.clock_finish,
                row.line_id,
                done=translate("Station", "Finished: {line}.").format(line=row.description),
            )

    def edit_clock(self) -> QDialog | None:
        row, line = self.selected_clock(), self.selected_labour()
        order = self.host.need_order()
        if row is None or line is None or order is None:
            return None
        return self.host.open_dialog(
            ClockEditDialog(self.host.staff, order, row, line.description, self),
            lambda d: translate("Station", "Clock time corrected; the entry is marked as edited."),
        )
