"""The station's clocking dialogs: why the work pauses, and the manager's correction of a
clock entry."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.models import RepairOrder, Staff
from shop_desk.services import workshop
from shop_desk.ui.shell.widgets import ErrorBanner
from shop_desk.ui.station import reads
from shop_desk.ui.station.common import (
    TOUCH_STYLE,
    big_button,
)
from shop_desk.ui.station.dialogs import (
    StationDialog,
    pydt,
    qdt,
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
        self.time_edit = QDateTimeEdit(qdt(row.at), self)
        self.time_edit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.time_edit.setCalendarPopup(True)
        self.time_edit.setMaximumDateTime(qdt(clock.now()))
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
            pydt(self.time_edit.dateTime()),
            self.reason.text(),
        )
