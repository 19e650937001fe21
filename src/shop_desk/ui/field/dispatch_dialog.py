"""The supervisor's dispatch (派遣) of one field job: who goes (one or more technicians or
team leaders; those out on another job say so), with which service vehicle and tools, and
the arrival time promised to the customer. The dispatch service decides; its refusals are
shown in its words and everything typed stays."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCompleter,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QWidget,
)

from shop_desk.i18n import translate
from shop_desk.models import FieldJob, Staff
from shop_desk.services import field
from shop_desk.ui.field.common import from_qdatetime, to_qdatetime
from shop_desk.ui.field.dialogs import datetime_edit, job_heading
from shop_desk.ui.field.office_common import when
from shop_desk.ui.shell.widgets import FormDialog, roles_text


class DispatchDialog(FormDialog):
    """Dispatch a field job: crew, service vehicle, tools, promised arrival time."""

    dispatched = Signal(object)  # FieldJob

    def __init__(self, actor: Staff, job: FieldJob, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("FieldUi", "Dispatch field job {number}").format(number=job.number),
            parent,
            translate("FieldUi", "&Dispatch"),
        )
        self.setObjectName("dispatchDialog")
        self.actor, self.job = actor, job
        self.form.addRow(job_heading(job))
        required = QLabel(
            "<b>"
            + html.escape(when(job.required_arrival_at))
            + "</b> · "
            + html.escape(translate("FieldUi", "the customer's time: be on site by then"))
        )
        required.setObjectName("requiredLabel")
        self.form.addRow(translate("FieldUi", "Required arrival:"), required)
        self.crew_list = self.add_row("crew", translate("FieldUi", "Crew:"), QListWidget())
        self.crew_list.setMinimumHeight(150)
        for person, busy in field.crew_candidates():
            text = f"{person.name} · {roles_text(person.role_set())}"
            if busy:
                text += " · " + translate("FieldUi", "out on {number}").format(number=busy)
            item = QListWidgetItem(text, self.crew_list)
            item.setData(Qt.ItemDataRole.UserRole, person.id)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.vehicle_edit = self.add_row(
            "service_vehicle", translate("FieldUi", "Service vehicle:"), QLineEdit()
        )
        used = field.service_vehicles_used()
        if used:
            completer = QCompleter(used, self.vehicle_edit)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            completer.setFilterMode(Qt.MatchFlag.MatchContains)
            self.vehicle_edit.setCompleter(completer)
            self.vehicle_edit.setPlaceholderText(used[0])
        self.tools_edit = self.add_row("tools", translate("FieldUi", "Tools:"), QPlainTextEdit())
        self.tools_edit.setTabChangesFocus(True)
        self.tools_edit.setFixedHeight(70)
        self.promised_edit = self.add_row(
            "promised_arrival_at", translate("FieldUi", "Promised arrival:"), datetime_edit()
        )
        self.promised_edit.setDateTime(to_qdatetime(job.required_arrival_at))
        note = QLabel(
            translate(
                "FieldUi",
                "Parts for the job are taken out at the parts counter, like any parts issue.",
            )
        )
        note.setWordWrap(True)
        note.setStyleSheet("color:#5f6670;")
        self.form.addRow(note)
        self.resize(600, self.sizeHint().height())
        self.crew_list.setFocus()

    def set_crew(self, staff_ids: list[int]) -> None:
        """Tick exactly these people."""
        for row in range(self.crew_list.count()):
            item = self.crew_list.item(row)
            wanted = item.data(Qt.ItemDataRole.UserRole) in staff_ids
            item.setCheckState(Qt.CheckState.Checked if wanted else Qt.CheckState.Unchecked)

    def crew(self) -> list[int]:
        return [
            self.crew_list.item(row).data(Qt.ItemDataRole.UserRole)
            for row in range(self.crew_list.count())
            if self.crew_list.item(row).checkState() == Qt.CheckState.Checked
        ]

    def submit(self) -> FieldJob:
        job = field.dispatch_field_job(
            self.actor,
            self.job.id,
            self.crew(),
            self.vehicle_edit.text(),
            self.tools_edit.toPlainText(),
            from_qdatetime(self.promised_edit.dateTime()),
            expected_version=self.job.version,
        )
        self.dispatched.emit(job)
        return job
