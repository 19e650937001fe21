"""The station's dialogs: accept the car, pause, delay, additional work, the three checks,
the wash, parts request / issue / signature, goods received and the manager's clock edit.

Each dialog calls one service on OK; a refusal (DomainError) stays in the dialog with the
user's input (see :class:`~shop_desk.ui.shell.widgets.FormDialog`). Dialogs open with ``open()``
(window-modal, non-blocking) so tests drive them like a person would.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
from decimal import Decimal, InvalidOperation
from typing import Any

from PySide6.QtCore import QDateTime, QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QCheckBox,
    QComboBox,
    QCompleter,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QTableView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock, drafts
from shop_desk.errors import ConflictError, DomainError, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import LabourOperation, Part, RepairOrder, Staff, TeamMember
from shop_desk.money import fmt, line_amount, money
from shop_desk.roles import Role
from shop_desk.services import parts as parts_service
from shop_desk.services import workshop
from shop_desk.services.orders import settings
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog, app_settings, decimal_edit
from shop_desk.ui.station import reads
from shop_desk.ui.station.damage import DamageDiagram, DiagramMark

#: Bigger targets for a workshop tablet or a PC used with gloves on.
TOUCH_STYLE = """
QPushButton { min-height: 38px; padding: 4px 14px; }
QPushButton[primary="true"] {
    background-color: #1f5fbf; color: white; border: 1px solid #174a94;
    border-radius: 4px; font-weight: bold;
}
QPushButton[primary="true"]:disabled { background-color: #9db3d6; border-color: #9db3d6; }
QPushButton[danger="true"] {
    background-color: #fbeceb; color: #8a1c12; border: 1px solid #e3a39c; border-radius: 4px;
}
QPushButton:checked {
    background-color: #1f5fbf; color: white; border: 1px solid #174a94; border-radius: 4px;
}
QCheckBox, QRadioButton { spacing: 10px; min-height: 30px; }
QListWidget::item { min-height: 30px; }
QCheckBox::indicator, QRadioButton::indicator { width: 22px; height: 22px; }
"""


def set_flag(button: QPushButton, name: str, on: bool) -> None:
    """Set a style flag (primary / danger) and re-polish so the look follows at once."""
    if bool(button.property(name)) == on:
        return
    button.setProperty(name, on)
    button.style().unpolish(button)
    button.style().polish(button)


def big_button(text: str, parent: QWidget, name: str, primary: bool = False) -> QPushButton:
    button = QPushButton(text, parent)
    button.setObjectName(name)
    button.setAutoDefault(False)
    button.setMinimumHeight(44)
    if primary:
        set_flag(button, "primary", True)
    return button


def setup_table(view: QTableView, stretch: int, row_height: int = 36) -> None:
    """A read-only, row-selecting table with rows high enough for a finger."""
    view.verticalHeader().hide()
    view.verticalHeader().setDefaultSectionSize(row_height)
    view.horizontalHeader().setHighlightSections(False)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)
    view.setWordWrap(False)
    view.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)


def fit_table(view: QTableView, stretch: int, limit: int = 320) -> None:
    """Columns fit their contents (capped), the ``stretch`` column takes the rest."""
    view.resizeColumnsToContents()
    model = view.model()
    for col in range(model.columnCount() if model else 0):
        if col != stretch and view.columnWidth(col) > limit:
            view.setColumnWidth(col, limit)
    view.horizontalHeader().setSectionResizeMode(stretch, QHeaderView.ResizeMode.Stretch)


def print_preview_available() -> bool:
    """The print preview is a separate module; without it the station offers no preview."""
    return importlib.util.find_spec("shop_desk.ui.shell.print_preview") is not None


def show_print_preview(parent: QWidget, kind: str, number: str) -> Any:
    from shop_desk.ui.shell import print_preview

    return print_preview.show_print_preview(parent, kind, number)


def _qdt(value: dt.datetime) -> QDateTime:
    return QDateTime(value.date(), value.time().replace(microsecond=0))


def _pydt(value: QDateTime) -> dt.datetime:
    return value.toPython().replace(microsecond=0)


def _text_edit(parent: QWidget, placeholder: str = "", height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    edit.setMaximumHeight(max(height, 120))
    return edit


def _dec(text: str) -> str:
    return text.strip() or "0"


class StationDialog(FormDialog):
    """A FormDialog for one order: on a conflict (someone changed the order meanwhile) it
    offers Reload, which re-reads the order's version and keeps everything typed."""

    def __init__(
        self, title: str, actor: Staff, order: RepairOrder, parent: QWidget, ok_text: str
    ) -> None:
        super().__init__(title, parent, ok_text)
        self.setStyleSheet(TOUCH_STYLE)
        self.actor = actor
        self.order = order
        self.expected_version = order.version
        self.reload_button = self.buttons.addButton(
            translate("Station", "Reload"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.reload_button.setObjectName("reloadButton")
        self.reload_button.hide()
        self.reload_button.clicked.connect(self.reload_order)
        self.ok_button().setMinimumHeight(44)
        self.setMinimumWidth(520)

    def heading(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("dialogHeading")
        label.setWordWrap(True)
        label.setStyleSheet("font-weight: bold;")
        self.form.addRow(label)
        return label

    def reload_order(self) -> None:
        self.order = RepairOrder.get_by_id(self.order.id)
        self.expected_version = self.order.version
        self.reload_button.hide()
        self.error.show_info(
            translate(
                "Station", "Reloaded order {number}; your input is kept. Check and save again."
            ).format(number=self.order.number)
        )

    def run(self, fn, *args: Any, **kwargs: Any) -> Any:
        """Call a service; a conflict shows the Reload button (the input stays)."""
        try:
            return fn(self.actor, *args, **kwargs)
        except ConflictError:
            self.reload_button.show()
            raise


class PassFailDialog(StationDialog):
    """A check with two outcomes: OK = passed, a second button = failed (with a reason)."""

    def __init__(
        self,
        title: str,
        actor: Staff,
        order: RepairOrder,
        parent: QWidget,
        pass_text: str,
        fail_text: str,
    ) -> None:
        super().__init__(title, actor, order, parent, pass_text)
        self.passed = True
        self.fail_button = self.buttons.addButton(fail_text, QDialogButtonBox.ButtonRole.ActionRole)
        self.fail_button.setObjectName("failButton")
        self.fail_button.setAutoDefault(False)
        self.fail_button.setMinimumHeight(44)
        set_flag(self.fail_button, "danger", True)
        self.fail_button.clicked.connect(self._fail)
        set_flag(self.ok_button(), "primary", True)

    def _fail(self) -> None:
        self.passed = False
        try:
            self._on_ok()
        finally:
            self.passed = True


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
        self.notes = _text_edit(
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
# clocking


class PauseDialog(QDialog):
    """Why the work stops: one big button per reason; a tap pauses the line at once."""

    def __init__(self, actor: Staff, line_id: int, description: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("pauseDialog")
        self.setWindowTitle(translate("Station", "Pause work"))
        self.setModal(True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setStyleSheet(TOUCH_STYLE)
        self.actor = actor
        self.line_id = line_id
        self.result_value: Any = None
        layout = QVBoxLayout(self)
        label = QLabel(translate("Station", "Pause {line}. Why?").format(line=description), self)
        label.setWordWrap(True)
        layout.addWidget(label)
        grid = QGridLayout()
        self.reason_buttons: dict[str, QPushButton] = {}
        for n, code in enumerate(workshop.PAUSE_REASONS):
            button = big_button(reads.pause_reason_label(code), self, f"reason_{code}")
            button.setMinimumHeight(64)
            button.clicked.connect(lambda _=False, code=code: self.pause(code))
            grid.addWidget(button, n // 2, n % 2)
            self.reason_buttons[code] = button
        layout.addLayout(grid)
        self.error = ErrorBanner(self)
        self.error.setObjectName("errorBanner")
        layout.addWidget(self.error)
        box = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        box.button(QDialogButtonBox.StandardButton.Cancel).setText(translate("Widgets", "Cancel"))
        box.rejected.connect(self.reject)
        layout.addWidget(box)
        self.setMinimumWidth(460)

    def pause(self, reason: str) -> None:
        try:
            self.result_value = workshop.clock_pause(self.actor, self.line_id, reason)
        except DomainError as exc:
            self.error.show_error(str(exc))
            return
        self.accept()


class ClockEditDialog(StationDialog):
    """A manager corrects a clock time (forgotten clock-off); the entry is marked as edited."""

    def __init__(
        self, actor: Staff, order: RepairOrder, row: reads.ClockRow, line: str, parent: QWidget
    ) -> None:
        super().__init__(
            translate("Station", "Correct a clock time"),
            actor,
            order,
            parent,
            translate("Station", "Save the correction"),
        )
        self.setObjectName("clockEditDialog")
        self.row = row
        self.heading(
            translate("Station", "{kind} on {line} by {name}, recorded {time}.").format(
                kind=reads.clock_kind_label(row.kind),
                line=line,
                name=row.technician,
                time=row.at.strftime("%Y-%m-%d %H:%M"),
            )
        )
        self.time_edit = QDateTimeEdit(_qdt(row.at), self)
        self.time_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.time_edit.setCalendarPopup(True)
        self.time_edit.setMaximumDateTime(_qdt(clock.now()))
        self.add_row("new_at", translate("Station", "Correct time:"), self.time_edit)
        self.reason = QLineEdit(self)
        self.reason.setPlaceholderText(translate("Station", "e.g. forgot to clock off"))
        self.reason.setMaxLength(500)
        self.add_row("reason", translate("Station", "Reason:"), self.reason)
        self.reason.setFocus()

    def submit(self) -> Any:
        return self.run(
            workshop.edit_clock_event,
            self.row.event_id,
            _pydt(self.time_edit.dateTime()),
            self.reason.text(),
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
        self.time_edit = QDateTimeEdit(_qdt(proposal), self)
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
            _pydt(self.time_edit.dateTime()),
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
                lines="; ".join(w.text for w in open_work)
            )
            if open_work
            else translate(
                "Station",
                "The car goes back to its technician; it passes the self-check, the team-leader "
                "check and the final inspection again.",
            )
        )
        self.reason = _text_edit(self, translate("Station", "Why the car goes back"))
        if open_work:
            self.reason.setPlainText(
                translate("Station", "Not done yet: {lines}").format(
                    lines="; ".join(w.line.description for w in open_work)
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
# additional work (增项)


class ProposeWorkDialog(StationDialog):
    """Lines from the catalogue (or a free labour line), hours / quantity, and the reason.

    Typing is kept in a draft until the proposal is saved."""

    COLS = 5

    def __init__(self, actor: Staff, order: RepairOrder, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Propose additional work on {number}").format(number=order.number),
            actor,
            order,
            parent,
            translate("Station", "Send for authorisation"),
        )
        self.setObjectName("proposeWorkDialog")
        set_flag(self.ok_button(), "primary", True)
        self.draft_key = f"station-additional-{order.id}"
        self.rate = settings().labour_rate
        self.lines: list[dict[str, Any]] = []
        self.heading(
            translate(
                "Station",
                "Additional work is done only after the customer has agreed: the order waits for "
                "the customer's authorisation, which the service advisor records.",
            )
        )
        search_row = QWidget(self)
        h = QHBoxLayout(search_row)
        h.setContentsMargins(0, 0, 0, 0)
        self.search_edit = QLineEdit(search_row)
        self.search_edit.setObjectName("catalogueSearch")
        self.search_edit.setPlaceholderText(
            translate("Station", "Search labour operations and parts (code or name)…")
        )
        self.search_edit.setClearButtonEnabled(True)
        self.search_edit.setMinimumHeight(36)
        h.addWidget(self.search_edit, 1)
        self.free_button = QPushButton(translate("Station", "Add as free labour line"), search_row)
        self.free_button.setObjectName("freeLineButton")
        self.free_button.setAutoDefault(False)
        h.addWidget(self.free_button)
        self.form.addRow(translate("Station", "Catalogue:"), search_row)
        hint = QLabel(
            translate(
                "Station",
                "Tap a result to add it; change the hours or quantity in the table below.",
            ),
            self,
        )
        hint.setStyleSheet("color: #5f6670;")
        self.form.addRow("", hint)
        self.results = QListWidget(self)
        self.results.setObjectName("catalogueResults")
        self.results.setMinimumHeight(120)
        self.results.setMaximumHeight(170)
        self.form.addRow(self.results)
        self.table = QTableWidget(0, self.COLS, self)
        self.table.setObjectName("linesTable")
        self.table.setHorizontalHeaderLabels(
            [
                translate("Station", "Kind"),
                translate("Station", "Description"),
                translate("Station", "Hours / quantity"),
                translate("Station", "Unit price"),
                translate("Station", "Amount"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setMinimumHeight(150)
        self.form.addRow(self.table)
        row = QWidget(self)
        h2 = QHBoxLayout(row)
        h2.setContentsMargins(0, 0, 0, 0)
        self.remove_button = QPushButton(translate("Station", "Remove the selected line"), row)
        self.remove_button.setObjectName("removeLineButton")
        self.remove_button.setAutoDefault(False)
        h2.addWidget(self.remove_button)
        h2.addStretch(1)
        self.total_label = QLabel(row)
        self.total_label.setObjectName("totalLabel")
        self.total_label.setStyleSheet("font-weight: bold;")
        h2.addWidget(self.total_label)
        self.form.addRow(row)
        self.reason = _text_edit(
            self, translate("Station", "What was found, and why the work is needed"), 60
        )
        self.add_row("reason", translate("Station", "Reason:"), self.reason)
        self.fields["lines"] = self.table
        self.search_edit.textChanged.connect(self.search)
        self.search_edit.installEventFilter(self)
        self.results.itemClicked.connect(lambda _item: self.add_selected())
        self.free_button.clicked.connect(self.add_free_line)
        self.remove_button.clicked.connect(self.remove_selected)
        self.table.itemChanged.connect(self._cell_changed)
        self.reason.textChanged.connect(self._changed)
        self.draft_timer = QTimer(self)
        self.draft_timer.setSingleShot(True)
        self.draft_timer.setInterval(800)
        self.draft_timer.timeout.connect(self.save_draft)
        self.search("")
        self._refresh_table()
        self.discard_button = self.buttons.addButton(
            translate("Station", "Discard the draft"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.discard_button.setObjectName("discardDraftButton")
        self.discard_button.clicked.connect(self.discard_draft)
        self.restored = self.restore_draft()
        self.discard_button.setVisible(self.restored)
        self.resize(820, 760)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        """In the search box Enter adds the highlighted result (not OK), arrows move in it."""
        if watched is self.search_edit and event.type() == QEvent.Type.KeyPress:
            key = event.key()
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self.add_selected()
                return True
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up) and self.results.count():
                step = 1 if key == Qt.Key.Key_Down else -1
                row = min(max(self.results.currentRow() + step, 0), self.results.count() - 1)
                self.results.setCurrentRow(row)
                return True
        return super().eventFilter(watched, event)

    # -- catalogue --------------------------------------------------------------------
    def search(self, text: str) -> None:
        text = text.strip()
        self.results.clear()
        ops = LabourOperation.select().where(LabourOperation.active == True)  # noqa: E712
        parts = Part.select().where(Part.active == True)  # noqa: E712
        if text:
            ops = ops.where(
                LabourOperation.code.contains(text) | LabourOperation.name.contains(text)
            )
            parts = parts.where(Part.part_no.contains(text) | Part.name.contains(text))
        for op in ops.order_by(LabourOperation.code).limit(30):
            item = QListWidgetItem(
                translate("Station", "Labour · {code} {name} · {hours} h").format(
                    code=op.code, name=op.name, hours=op.standard_hours
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, ("labour", op.id))
            self.results.addItem(item)
        for part in parts.order_by(Part.part_no).limit(30):
            item = QListWidgetItem(
                translate("Station", "Part · {code} {name} · {price} · {free} in stock").format(
                    code=part.part_no,
                    name=part.name,
                    price=fmt(part.unit_price),
                    free=f"{part.available_qty.normalize():f}",
                )
            )
            item.setData(Qt.ItemDataRole.UserRole, ("part", part.id))
            self.results.addItem(item)
        if self.results.count():
            self.results.setCurrentRow(0)

    def add_catalogue(self, kind: str, ident: int) -> None:
        if kind == "labour":
            op = LabourOperation.get_by_id(ident)
            self.lines.append(
                {
                    "kind": "labour",
                    "labour_op": op.id,
                    "description": op.name,
                    "amount": str(op.standard_hours),
                    "price": str(self.rate),
                }
            )
        else:
            part = Part.get_by_id(ident)
            self.lines.append(
                {
                    "kind": "part",
                    "part": part.id,
                    "description": part.name,
                    "amount": "1",
                    "price": str(part.unit_price),
                }
            )
        self._refresh_table()
        self._changed()

    def add_selected(self) -> None:
        item = self.results.currentItem()
        if item is None:
            return
        kind, ident = item.data(Qt.ItemDataRole.UserRole)
        self.add_catalogue(kind, ident)

    def add_free_line(self) -> None:
        """A labour line not in the catalogue, described by what was typed in the search."""
        text = self.search_edit.text().strip()
        if not text:
            self.error.show_error(
                translate("Station", "Type the description of the free labour line first.")
            )
            self.search_edit.setFocus()
            return
        self.lines.append(
            {"kind": "labour", "description": text, "amount": "1.00", "price": str(self.rate)}
        )
        self.search_edit.clear()
        self._refresh_table()
        self._changed()

    def remove_selected(self) -> None:
        row = self.table.currentRow()
        if 0 <= row < len(self.lines):
            del self.lines[row]
            self._refresh_table()
            self._changed()

    # -- the table ----------------------------------------------------------------------
    def _refresh_table(self) -> None:
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.lines))
        for r, line in enumerate(self.lines):
            kind = (
                translate("Station", "Labour")
                if line["kind"] == "labour"
                else translate("Station", "Part")
            )
            cells = [kind, line["description"], line["amount"], fmt(Decimal(line["price"])), ""]
            for c, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if c != 2:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                if c >= 2:
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        self.table.blockSignals(False)
        self._update_amounts()
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

    def _cell_changed(self, item: QTableWidgetItem) -> None:
        if item.column() == 2 and 0 <= item.row() < len(self.lines):
            self.lines[item.row()]["amount"] = item.text().strip()
            self._update_amounts()
            self._changed()

    def _update_amounts(self) -> None:
        total = Decimal("0.00")
        self.table.blockSignals(True)
        for r, line in enumerate(self.lines):
            try:
                amount = line_amount(Decimal(_dec(line["amount"])), Decimal(line["price"]))
                text = fmt(amount)
                total += amount
            except (InvalidOperation, ValueError):
                text = "?"
            cell = self.table.item(r, 4)
            if cell is not None:
                cell.setText(text)
        self.table.blockSignals(False)
        self.total_label.setText(
            translate("Station", "Lines: {n} · estimated {amount}").format(
                n=len(self.lines), amount=fmt(money(total))
            )
        )

    # -- drafts -------------------------------------------------------------------------
    def _changed(self) -> None:
        self.draft_timer.start()

    def draft_data(self) -> dict[str, Any]:
        return {"lines": self.lines, "reason": self.reason.toPlainText()}

    def save_draft(self) -> None:
        if self.lines or self.reason.toPlainText().strip():
            drafts.save(
                self.draft_key,
                translate("Station", "Additional work on {number}").format(
                    number=self.order.number
                ),
                self.draft_data(),
            )
        else:
            drafts.discard(self.draft_key)

    def restore_draft(self) -> bool:
        """Offer what was typed last time (the dialog opens with it and says so)."""
        draft = drafts.load(self.draft_key)
        if draft is None or not (draft.data.get("lines") or draft.data.get("reason")):
            return False
        self.lines = [dict(x) for x in draft.data.get("lines", []) if isinstance(x, dict)]
        self.reason.blockSignals(True)
        self.reason.setPlainText(str(draft.data.get("reason", "")))
        self.reason.blockSignals(False)
        self._refresh_table()
        self.error.show_info(
            translate(
                "Station",
                "Restored the unsaved proposal from {time}. Remove lines you do not want.",
            ).format(time=draft.saved_at.strftime("%Y-%m-%d %H:%M"))
        )
        return True

    def discard_draft(self) -> None:
        """Start afresh: the restored lines and reason go, and so does the saved draft."""
        self.discard_button.hide()
        self.draft_timer.stop()
        drafts.discard(self.draft_key)
        self.lines = []
        self.reason.clear()
        self._refresh_table()
        self.error.clear_message()

    def service_lines(self) -> list[dict[str, Any]]:
        out = []
        for line in self.lines:
            item: dict[str, Any] = {"kind": line["kind"], "description": line["description"]}
            if line["kind"] == "labour":
                if line.get("labour_op"):
                    item["labour_op"] = line["labour_op"]
                item["hours"] = line["amount"]
            else:
                item["part"] = line["part"]
                item["quantity"] = line["amount"]
            out.append(item)
        return out

    def submit(self) -> Any:
        request = self.run(
            workshop.propose_additional_work,
            self.order.id,
            self.service_lines(),
            self.reason.toPlainText(),
            expected_version=self.expected_version,
        )
        self.draft_timer.stop()
        drafts.discard(self.draft_key)
        return request

    def reject(self) -> None:
        if self.draft_timer.isActive():
            self.draft_timer.stop()
            self.save_draft()
        super().reject()


# ---------------------------------------------------------------------------------------
# the checks (自检 / 班组长检验 / 总检)


class SelfCheckDialog(PassFailDialog):
    """The technician ticks the checklist; passed only with every item ticked."""

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
        self.heading(translate("Station", "Check your own work before the team leader checks it."))
        self.boxes: dict[str, QCheckBox] = {}
        for code in reads.SELF_CHECK_ITEMS:
            box = QCheckBox(reads.self_check_label(code), self)
            box.setObjectName(f"check_{code}")
            self.form.addRow(box)
            self.boxes[code] = box
        self.fields["checklist"] = self.boxes[reads.SELF_CHECK_ITEMS[0]]
        self.notes = _text_edit(
            self, translate("Station", "What is wrong (needed when not passed)")
        )
        self.add_row("notes", translate("Station", "Notes:"), self.notes)

    def checklist(self) -> dict[str, bool]:
        return {code: box.isChecked() for code, box in self.boxes.items()}

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
        self.advice = _text_edit(
            self, translate("Station", "Repair advice printed on the task order (for the customer)")
        )
        self.add_row("advice", translate("Station", "Repair advice:"), self.advice)
        self.notes = _text_edit(self, translate("Station", "Notes; what is wrong when not passed"))
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
        self.reason = _text_edit(
            self, translate("Station", "Why it failed (the technician needs it)")
        )
        self.add_row("reason", translate("Station", "Reason:"), self.reason)
        self.advice = _text_edit(self, translate("Station", "Advice for the customer (optional)"))
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
        self.add_row("parking_spot", translate("Station", "Parking spot:"), self.spot)
        self.spot.setFocus()

    def submit(self) -> Any:
        fn = workshop.finish_wash if self.finish else workshop.set_parking_spot
        result = self.run(fn, self.order.id, self.spot.text())
        _remember_spot(self.spot.text().strip())
        return result


# ---------------------------------------------------------------------------------------
# parts


class RequestPartsDialog(StationDialog):
    """Ask the parts counter for a line's parts; stock is reserved at once."""

    def __init__(
        self, actor: Staff, order: RepairOrder, row: reads.PartRow, parent: QWidget
    ) -> None:
        super().__init__(
            translate("Station", "Request parts"),
            actor,
            order,
            parent,
            translate("Station", "Request"),
        )
        self.setObjectName("requestPartsDialog")
        self.row = row
        set_flag(self.ok_button(), "primary", True)
        free = row.available if row.available is not None else Decimal("0")
        self.heading(
            translate(
                "Station",
                "{part} ({code}): {planned} on the task order, {requested} requested, {free} free in "
                "stock at {bin}.",
            ).format(
                part=row.description,
                code=row.part_no,
                planned=f"{row.planned.normalize():f}",
                requested=f"{row.requested.normalize():f}",
                free=f"{free.normalize():f}",
                bin=row.bin_location or "—",
            )
        )
        left = max(Decimal("0"), row.planned - row.requested)
        self.quantity = decimal_edit(self, 2, 5)
        self.quantity.setText(f"{left.normalize():f}" if left else "")
        self.quantity.setMinimumHeight(40)
        self.add_row("quantity", translate("Station", "Quantity:"), self.quantity)
        self.wait_box = QCheckBox(
            translate("Station", "If stock is short, stop the job until the parts arrive"), self
        )
        self.wait_box.setChecked(True)
        self.form.addRow(self.wait_box)

    def submit(self) -> Any:
        return self.run(
            parts_service.request_parts,
            self.row.line_id,
            _dec(self.quantity.text()),
            wait_for_parts=self.wait_box.isChecked(),
        )


def technicians_of(order: RepairOrder) -> list[Staff]:
    """Who may receive the parts: the order's team members holding a technician role."""
    people: dict[int, Staff] = {}
    if order.technician_id:
        people[order.technician_id] = order.technician
    if order.team_id:
        for m in TeamMember.select().where(TeamMember.team == order.team_id):
            s = m.staff
            if s.active and s.role_set() & {Role.TECHNICIAN.value, Role.TEAM_LEADER.value}:
                people.setdefault(s.id, s)
    return list(people.values())


class IssuePartsDialog(StationDialog):
    """The parts clerk hands parts to the technician on one parts issue slip (出库单)."""

    def __init__(self, actor: Staff, order: RepairOrder, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Issue parts for {number}").format(number=order.number),
            actor,
            order,
            parent,
            translate("Station", "Issue and print the slip"),
        )
        self.setObjectName("issuePartsDialog")
        set_flag(self.ok_button(), "primary", True)
        self.rows = [
            r
            for r in reads.part_rows(order.id)
            if r.auth_state == "authorised" and r.part_id is not None and r.not_issued > 0
        ]
        self.heading(
            translate(
                "Station",
                "Tick the lines handed out now. Requested quantities come first; stock reserved for "
                "other orders cannot be taken.",
            )
        )
        self.table = QTableWidget(len(self.rows), 6, self)
        self.table.setObjectName("issueTable")
        self.table.setHorizontalHeaderLabels(
            [
                translate("Station", "Issue"),
                translate("Station", "Part"),
                translate("Station", "Bin"),
                translate("Station", "Requested / planned"),
                translate("Station", "Free in stock"),
                translate("Station", "Quantity now"),
            ]
        )
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(40)
        self.checks: list[QCheckBox] = []
        self.quantities: list[QLineEdit] = []
        for r, row in enumerate(self.rows):
            box = QCheckBox(self.table)
            box.setChecked(row.to_issue > 0)
            self.table.setCellWidget(r, 0, box)
            self.checks.append(box)
            for c, text in enumerate(
                [
                    f"{row.part_no} {row.description}",
                    row.bin_location,
                    f"{row.requested.normalize():f} / {row.planned.normalize():f}",
                    f"{(row.available or Decimal('0')).normalize():f}",
                ],
                start=1,
            ):
                item = QTableWidgetItem(text)
                item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEditable)
                self.table.setItem(r, c, item)
            qty = decimal_edit(self.table, 2, 5)
            default = row.to_issue if row.to_issue > 0 else row.not_issued
            qty.setText(f"{default.normalize():f}")
            self.table.setCellWidget(r, 5, qty)
            self.quantities.append(qty)
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(160)
        self.form.addRow(self.table)
        self.fields["items"] = self.table
        self.technician = QComboBox(self)
        self.technician.setMinimumHeight(40)
        for person in technicians_of(order):
            self.technician.addItem(person.name, person.id)
        self.add_row("technician", translate("Station", "Handed to:"), self.technician)
        self.resize(780, 460)

    def items(self) -> dict[int, str]:
        return {
            row.line_id: _dec(qty.text())
            for row, box, qty in zip(self.rows, self.checks, self.quantities, strict=True)
            if box.isChecked()
        }

    def submit(self) -> Any:
        tech = self.technician.currentData()
        if tech is None:
            raise ValidationError(
                translate("Station", "Choose the technician who receives the parts."), "technician"
            )
        return self.run(parts_service.issue_parts, self.order.id, self.items(), tech)


class SignSlipDialog(QDialog):
    """The technician who drew the parts signs the parts issue slip on screen."""

    signed = Signal(int)

    def __init__(self, actor: Staff, slip: reads.SlipRow, parent: QWidget) -> None:
        from shop_desk.ui.shell.signature_pad import SignaturePad

        super().__init__(parent)
        self.setObjectName("signSlipDialog")
        self.setWindowTitle(
            translate("Station", "Sign parts issue slip {number}").format(number=slip.number)
        )
        self.setModal(True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setStyleSheet(TOUCH_STYLE)
        self.actor = actor
        self.slip = slip
        self.result_value: Any = None
        layout = QVBoxLayout(self)
        info = QLabel(
            translate("Station", "{number} · issued {time} by {clerk} to {name}:\n{items}").format(
                number=slip.number,
                time=slip.issued_at.strftime("%Y-%m-%d %H:%M"),
                clerk=slip.issued_by,
                name=slip.technician,
                items=slip.items,
            ),
            self,
        )
        info.setWordWrap(True)
        layout.addWidget(info)
        layout.addWidget(
            QLabel(
                translate("Station", "I received these parts — signed {name}:").format(
                    name=actor.name
                ),
                self,
            )
        )
        self.pad = SignaturePad(self)
        self.pad.setMinimumSize(520, 180)
        layout.addWidget(self.pad, 1)
        self.error = ErrorBanner(self)
        self.error.setObjectName("errorBanner")
        layout.addWidget(self.error)
        self.buttons = QDialogButtonBox(self)
        self.sign_button = self.buttons.addButton(
            translate("Station", "Sign the slip"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.sign_button.setObjectName("signButton")
        set_flag(self.sign_button, "primary", True)
        self.sign_button.setMinimumHeight(44)
        self.clear_button = self.buttons.addButton(
            translate("Station", "Clear"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.clear_button.setObjectName("clearButton")
        cancel = self.buttons.addButton(
            translate("Widgets", "Cancel"), QDialogButtonBox.ButtonRole.RejectRole
        )
        cancel.setMinimumHeight(44)
        self.clear_button.clicked.connect(self.pad.clear)
        self.sign_button.clicked.connect(self.sign)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(640, 420)

    def sign(self) -> None:
        from shop_desk.services.reception import analyse_signature

        png = self.pad.signature_png()
        if png is None:
            self.error.show_error(translate("Station", "Sign in the box first."))
            return
        report = analyse_signature(png)
        if not report.ok:
            self.error.show_error(report.message)
            return
        try:
            self.result_value = parts_service.sign_issue_slip(self.actor, self.slip.slip_id, png)
        except DomainError as exc:
            self.error.show_error(str(exc))
            return
        self.signed.emit(self.slip.slip_id)
        self.accept()


class ReceiveStockDialog(FormDialog):
    """Goods received at the parts counter; orders waiting for the part are listed after."""

    def __init__(self, actor: Staff, parent: QWidget) -> None:
        super().__init__(
            translate("Station", "Goods received"), parent, translate("Station", "Book into stock")
        )
        self.setObjectName("receiveStockDialog")
        self.setStyleSheet(TOUCH_STYLE)
        self.actor = actor
        self.part = QComboBox(self)
        self.part.setEditable(True)
        self.part.setInsertPolicy(QComboBox.InsertPolicy.NoInsert)
        self.part.setMinimumHeight(40)
        for p in Part.select().where(Part.active == True).order_by(Part.part_no):  # noqa: E712
            self.part.addItem(f"{p.part_no} {p.name}", p.id)
        self.part.completer().setFilterMode(Qt.MatchFlag.MatchContains)
        self.part.completer().setCompletionMode(QCompleter.CompletionMode.PopupCompletion)
        self.add_row("part", translate("Station", "Part:"), self.part)
        self.stock_label = QLabel(self)
        self.stock_label.setObjectName("stockLabel")
        self.stock_label.setWordWrap(True)
        self.form.addRow("", self.stock_label)
        self.quantity = decimal_edit(self, 2, 5)
        self.quantity.setMinimumHeight(40)
        self.add_row("quantity", translate("Station", "Quantity received:"), self.quantity)
        self.note = QLineEdit(self)
        self.note.setMaxLength(200)
        self.note.setPlaceholderText(translate("Station", "Delivery note number, supplier"))
        self.add_row("note", translate("Station", "Note:"), self.note)
        self.part.currentIndexChanged.connect(self.show_stock)
        self.show_stock()
        self.setMinimumWidth(540)

    def select_part(self, part_id: int) -> None:
        index = self.part.findData(part_id)
        if index >= 0:
            self.part.setCurrentIndex(index)

    def show_stock(self) -> None:
        part_id = self.part.currentData()
        if part_id is None:
            self.stock_label.clear()
            return
        info = parts_service.stock_lookup(part_id)
        self.stock_label.setText(stock_text(info))

    def submit(self) -> Any:
        part_id = self.part.currentData()
        if part_id is None:
            raise ValidationError(translate("Station", "Choose the part that came in."), "part")
        return parts_service.receive_stock(
            self.actor, part_id, _dec(self.quantity.text()), self.note.text()
        )


def stock_text(info: parts_service.StockInfo) -> str:
    """Stock, reservations, bin and the orders waiting for a part, in one sentence."""
    text = translate(
        "Station", "Stock {stock} {unit}, reserved {reserved}, free {free}; bin {bin}."
    ).format(
        stock=f"{info.stock.normalize():f}",
        unit=info.unit,
        reserved=f"{info.reserved.normalize():f}",
        free=f"{info.available.normalize():f}",
        bin=info.bin_location or "—",
    )
    if info.waiting_orders:
        text += " " + translate("Station", "Orders waiting for it: {orders}.").format(
            orders=", ".join(info.waiting_orders)
        )
    return text
