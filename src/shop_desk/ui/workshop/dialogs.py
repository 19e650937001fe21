"""The workshop board's dialogs: dispatch a car to a team and technician
(:class:`DispatchDialog`), report a delay with a new promised time (:class:`DelayDialog`) and
one order's details (:class:`DetailDialog`)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDateTime, Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import ConflictError, DomainError, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import Staff
from shop_desk.printing import labels
from shop_desk.services import workshop
from shop_desk.services.board import TeamLoad
from shop_desk.skills import skill_label, skills_text
from shop_desk.states import state_label
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import ErrorBanner, allowed, join_list, mark_invalid
from shop_desk.ui.workshop.cards import (
    PRIORITY_LOW,
    PRIORITY_NORMAL,
    PRIORITY_URGENT,
    REASSIGN_STATES,
    priority_label,
    time_left_text,
)

if TYPE_CHECKING:
    pass
from shop_desk.ui.workshop.reads import fmt_hours, hours_text, order_detail, when_text, yes_no

# --- dialogs -------------------------------------------------------------------------------


def banner_into(host: QWidget) -> ErrorBanner:
    banner = ErrorBanner(host)
    banner.setObjectName("errorBanner")
    host.layout().insertWidget(0, banner, 1)
    return banner


class DispatchDialog(QDialog):
    """Dispatch a handed-over car (派工) or reassign a job: team, technician, priority.

    Shows the job's skills and hours, and before OK whether the chosen team lacks a skill or
    would go over capacity. ``dispatched(DispatchResult)`` fires after the service succeeded;
    a refusal stays in the dialog with the input kept (a conflict offers Reload)."""

    dispatched = Signal(object)

    def __init__(
        self,
        staff: Staff,
        order_id: int,
        loads: list[TeamLoad],
        team_id: int | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.staff = staff
        self.order_id = order_id
        self.loads = {t.team_id: t for t in loads}
        self.result_value: workshop.DispatchResult | None = None
        self.form = load_form("workshop_dispatch", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.order_label = child(self.form, QLabel, "orderLabel")
        self.job_label = child(self.form, QLabel, "jobLabel")
        self.team_combo = child(self.form, QComboBox, "teamCombo")
        self.technician_combo = child(self.form, QComboBox, "technicianCombo")
        self.urgent_radio = child(self.form, QRadioButton, "urgentRadio")
        self.normal_radio = child(self.form, QRadioButton, "normalRadio")
        self.low_radio = child(self.form, QRadioButton, "lowRadio")
        self.reason_label = child(self.form, QLabel, "reasonLabel")
        self.reason_edit = child(self.form, QLineEdit, "reasonEdit")
        self.override_label = child(self.form, QLabel, "overrideLabel")
        self.override_edit = child(self.form, QLineEdit, "overrideEdit")
        self.preview_label = child(self.form, QLabel, "previewLabel")
        self.reload_button = child(self.form, QPushButton, "reloadButton")
        self.buttons = child(self.form, QDialogButtonBox, "buttonBox")
        self.banner = banner_into(child(self.form, QWidget, "bannerHost"))
        self.reload_button.hide()
        self.override_label.hide()
        self.override_edit.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            translate("Widgets", "Cancel")
        )
        self.ok_button().setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.reload_button.clicked.connect(self.reload)
        self.team_combo.currentIndexChanged.connect(self._team_changed)
        self.technician_combo.currentIndexChanged.connect(lambda _i: self._update_preview())
        self.detail: dict[str, Any] = {}
        for load in loads:
            self.team_combo.addItem(load.name, load.team_id)
        self.reload(first=True, team_id=team_id)
        self.resize(max(self.width(), 560), self.sizeHint().height())

    # -- filling -------------------------------------------------------------------------
    @property
    def reassign(self) -> bool:
        return self.detail.get("state") in REASSIGN_STATES

    def ok_button(self) -> QPushButton:
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def reload(self, first: bool = False, team_id: int | None = None) -> None:
        """Read the order again (after a conflict); the choices made so far stay."""
        keep_team = team_id if first else self.team_combo.currentData()
        keep_tech = None if first else self.technician_combo.currentData()
        keep_priority = None if first else self.priority()
        d = order_detail(self.order_id)
        self.detail = d
        self.setWindowTitle(
            translate("WorkshopBoard", "Reassign {number}").format(number=d["number"])
            if self.reassign
            else translate("WorkshopBoard", "Dispatch {number}").format(number=d["number"])
        )
        self.ok_button().setText(
            translate("WorkshopBoard", "Reassign")
            if self.reassign
            else translate("WorkshopBoard", "Dispatch")
        )
        flags = []
        if d["customer_waiting"]:
            flags.append(translate("BoardCards", "Customer in lounge"))
        self.order_label.setText(
            "<b style='font-size:13pt'>{plate}</b> &nbsp; {model} &nbsp; · &nbsp; {number}<br>"
            "{state} · {promised}{flags}".format(
                plate=d["plate"],
                model=d["model"],
                number=d["number"],
                state=state_label(d["state"]),
                promised=translate("WorkshopBoard", "promised {when}").format(
                    when=when_text(d["promised_at"])
                ),
                flags=(" · " + join_list(flags)) if flags else "",
            )
        )
        work = [
            "{desc} — {hours}{skill}".format(
                desc=ln["description"],
                hours=hours_text(ln["hours"]),
                skill=f" ({skill_label(ln['skill'])})" if ln["skill"] else "",
            )
            for ln in d["lines"]
            if ln["auth_state"] != "declined"
        ]
        self.job_label.setText(
            translate("WorkshopBoard", "Work: {lines}").format(
                lines="<br>&nbsp;&nbsp;".join([""] + work) if work else "—"
            )
            + "<br>"
            + translate("WorkshopBoard", "Skills needed: {skills} · {hours} h of work").format(
                skills=skills_text(d["skills"]) or "—",
                hours=fmt_hours(d["job_hours"]),
            )
        )
        wanted = keep_team if keep_team is not None else d["team_id"]
        index = self.team_combo.findData(wanted) if wanted is not None else -1
        if index < 0:
            index = self._best_team_index()
        self.team_combo.blockSignals(True)
        self.team_combo.setCurrentIndex(index)
        self.team_combo.blockSignals(False)
        self._fill_technicians(keep_tech if not first else d["technician_id"])
        self.set_priority(keep_priority if keep_priority is not None else d["priority"])
        self.reason_label.setVisible(self.reassign)
        self.reason_edit.setVisible(self.reassign)
        self._update_preview()
        if not first:
            self.banner.show_info(
                translate(
                    "WorkshopBoard", "Reloaded: the order as it is now. Your choices are kept."
                )
            )
            self.reload_button.hide()
        if not allowed(self.staff, workshop.dispatch):
            self.ok_button().setEnabled(False)
        self.team_combo.setFocus()

    def _best_team_index(self) -> int:
        """The team with the needed skills and the most free hours (a suggestion)."""
        skills = set(self.detail.get("skills", []))
        best, best_key = 0, None
        for n in range(self.team_combo.count()):
            load = self.loads.get(self.team_combo.itemData(n))
            if load is None:
                continue
            key = (len(skills - set(load.skills)), -(load.free_hours))
            if best_key is None or key < best_key:
                best, best_key = n, key
        return best

    def _fill_technicians(self, keep: int | None) -> None:
        self.technician_combo.blockSignals(True)
        self.technician_combo.clear()
        self.technician_combo.addItem(
            translate("WorkshopBoard", "— the team leader decides —"), None
        )
        load = self.loads.get(self.team_combo.currentData())
        for m in load.members if load else []:
            text = (
                translate("WorkshopBoard", "{name} (leader)").format(name=m.name)
                if m.is_leader
                else m.name
            )
            self.technician_combo.addItem(text, m.staff_id)
        index = self.technician_combo.findData(keep) if keep is not None else 0
        self.technician_combo.setCurrentIndex(max(0, index))
        self.technician_combo.blockSignals(False)

    def _team_changed(self) -> None:
        self._fill_technicians(self.technician_combo.currentData())
        self._update_preview()

    def priority(self) -> int:
        if self.urgent_radio.isChecked():
            return PRIORITY_URGENT
        if self.low_radio.isChecked():
            return PRIORITY_LOW
        return PRIORITY_NORMAL

    def set_priority(self, value: int) -> None:
        {PRIORITY_URGENT: self.urgent_radio, PRIORITY_LOW: self.low_radio}.get(
            value, self.normal_radio
        ).setChecked(True)

    def select_team(self, team_id: int) -> None:
        self.team_combo.setCurrentIndex(self.team_combo.findData(team_id))

    def select_technician(self, staff_id: int | None) -> None:
        self.technician_combo.setCurrentIndex(max(0, self.technician_combo.findData(staff_id)))

    def uncertified(self) -> list[str]:
        """The job's skills the chosen technician has no valid certification for today."""
        tech_id = self.technician_combo.currentData()
        if tech_id is None:
            return []
        return workshop.uncertified_skills(self.order_id, tech_id)

    def preview_warnings(self, missing_certs: list[str] | None = None) -> list[str]:
        """What the service would warn about for the chosen team and technician, said
        before OK (a missing certification first: it needs the supervisor's reason)."""
        load = self.loads.get(self.team_combo.currentData())
        if load is None:
            return []
        out = []
        if missing_certs is None:
            missing_certs = self.uncertified()
        if missing_certs:
            out.append(
                translate(
                    "WorkshopBoard",
                    "{name} has no valid certification for: {skills}. To go on, give the "
                    "reason below.",
                ).format(
                    name=self.technician_combo.currentText(),
                    skills=skills_text(missing_certs),
                )
            )
        missing = sorted(set(self.detail.get("skills", [])) - set(load.skills))
        if missing:
            out.append(
                translate(
                    "WorkshopBoard", "{team} lacks the skill this job needs: {skills}."
                ).format(team=load.name, skills=skills_text(missing))
            )
        extra = (
            Decimal("0")
            if self.detail.get("team_id") == load.team_id
            else self.detail.get("job_hours", Decimal("0"))
        )
        after = load.assigned_hours + extra
        if after > load.capacity_hours:
            out.append(
                translate(
                    "WorkshopBoard", "{team} would have {after} of {capacity} hours today."
                ).format(
                    team=load.name, after=fmt_hours(after), capacity=fmt_hours(load.capacity_hours)
                )
            )
        return out

    def _update_preview(self) -> None:
        missing_certs = self.uncertified()  # one read for the reason field and the warning
        needs_reason = bool(missing_certs)
        self.override_label.setVisible(needs_reason)
        self.override_edit.setVisible(needs_reason)
        if not needs_reason:
            mark_invalid(self.override_edit, False)
        warnings = self.preview_warnings(missing_certs)
        if warnings:
            self.preview_label.setStyleSheet("color:#b35c00;")
            self.preview_label.setText("⚠ " + "\n⚠ ".join(warnings))
        else:
            load = self.loads.get(self.team_combo.currentData())
            self.preview_label.setStyleSheet("color:#2e7d32;")
            self.preview_label.setText(
                translate(
                    "WorkshopBoard", "{team} has the skills and {free} free hours today."
                ).format(team=load.name, free=fmt_hours(load.free_hours))
                if load
                else ""
            )

    # -- saving --------------------------------------------------------------------------
    def submit(self) -> None:
        """Run dispatch / redispatch; on success emit :attr:`dispatched` and close."""
        mark_invalid(self.reason_edit, False)
        mark_invalid(self.override_edit, False)
        team_id = self.team_combo.currentData()
        tech_id = self.technician_combo.currentData()
        override = self.override_edit.text() if self.override_edit.isVisibleTo(self) else ""
        try:
            if self.reassign:
                result = workshop.redispatch(
                    self.staff,
                    self.order_id,
                    team_id,
                    tech_id,
                    priority=self.priority(),
                    reason=self.reason_edit.text(),
                    expected_version=self.detail["version"],
                    override_reason=override,
                )
            else:
                result = workshop.dispatch(
                    self.staff,
                    self.order_id,
                    team_id,
                    tech_id,
                    priority=self.priority(),
                    expected_version=self.detail["version"],
                    override_reason=override,
                )
        except ConflictError as exc:
            self.banner.show_error(
                str(exc)
                + " "
                + translate("WorkshopBoard", "Press Reload to see the order as it is now.")
            )
            self.reload_button.show()
            return
        except DomainError as exc:
            self.banner.show_error(str(exc))
            if isinstance(exc, ValidationError) and exc.field == "reason":
                mark_invalid(self.reason_edit)
            if isinstance(exc, ValidationError) and exc.field == "override_reason":
                self._update_preview()
                mark_invalid(self.override_edit)
                self.override_edit.setFocus()
            return
        self.result_value = result
        self.dispatched.emit(result)
        self.accept()


class DelayDialog(QDialog):
    """Report that the promised time cannot be kept (进度延误); the advisor is told."""

    reported = Signal(object)

    def __init__(self, staff: Staff, order_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.staff = staff
        self.order_id = order_id
        self.form = load_form("workshop_delay", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.order_label = child(self.form, QLabel, "orderLabel")
        self.current_label = child(self.form, QLabel, "currentLabel")
        self.new_edit = child(self.form, QDateTimeEdit, "newEdit")
        self.reason_edit = child(self.form, QPlainTextEdit, "reasonEdit")
        self.buttons = child(self.form, QDialogButtonBox, "buttonBox")
        self.banner = banner_into(child(self.form, QWidget, "bannerHost"))
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText(
            translate("WorkshopBoard", "Report delay")
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            translate("Widgets", "Cancel")
        )
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        d = order_detail(order_id)
        self.setWindowTitle(
            translate("WorkshopBoard", "Report a delay: {number}").format(number=d["number"])
        )
        self.order_label.setText(f"<b>{d['plate']}</b> &nbsp; {d['model']} · {d['number']}")
        self.current_label.setText(when_text(d["promised_at"]))
        base = max(d["promised_at"] or clock.now(), clock.now())
        start = (base + dt.timedelta(hours=1)).replace(second=0, microsecond=0)
        self.new_edit.setDateTime(QDateTime(start))
        self.new_edit.setMinimumDateTime(QDateTime(clock.now()))
        self.reason_edit.setFixedHeight(self.reason_edit.fontMetrics().height() * 4)
        self.new_edit.setFocus()

    def new_time(self) -> dt.datetime:
        return self.new_edit.dateTime().toPython().replace(second=0, microsecond=0)

    def submit(self) -> None:
        for w in (self.new_edit, self.reason_edit):
            mark_invalid(w, False)
        try:
            report = workshop.report_delay(
                self.staff, self.order_id, self.new_time(), self.reason_edit.toPlainText()
            )
        except DomainError as exc:
            self.banner.show_error(str(exc))
            if isinstance(exc, ValidationError):
                mark_invalid(
                    {"reason": self.reason_edit, "new_promised_at": self.new_edit}.get(
                        exc.field or ""
                    )
                )
            return
        self.reported.emit(report)
        self.accept()


class DetailDialog(QDialog):
    """Everything about one car on the board, read-only: handover, dispatch, work, delays."""

    def __init__(self, order_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.order_id = order_id
        self.form = load_form("workshop_detail", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.title_label = child(self.form, QLabel, "titleLabel")
        self.details = child(self.form, QFormLayout, "detailsLayout")
        buttons = child(self.form, QDialogButtonBox, "buttonBox")
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(
            translate("WorkshopBoard", "Close")
        )
        buttons.rejected.connect(self.reject)
        self.values: dict[str, str] = {}
        self.fill()
        self.resize(620, min(720, self.sizeHint().height() + 24))

    def _row(self, key: str, label: str, value: str, colour: str = "") -> None:
        widget = QLabel(value or "—", self)
        widget.setObjectName(f"detail_{key}")
        widget.setWordWrap(True)
        widget.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        if colour:
            widget.setStyleSheet(f"color:{colour};")
        self.details.addRow(label, widget)
        self.values[key] = value

    def fill(self) -> None:
        d = order_detail(self.order_id)
        now = clock.now()
        self.setWindowTitle(
            translate("WorkshopBoard", "{plate} — {number}").format(
                plate=d["plate"], number=d["number"]
            )
        )
        self.title_label.setText(
            f"<span style='font-size:15pt; font-weight:bold'>{d['plate']}</span> &nbsp; "
            f"{d['make']} {d['model']} &nbsp; · &nbsp; {d['number']} &nbsp; · &nbsp; "
            f"{state_label(d['state'])}"
        )
        left = (
            None
            if d["promised_at"] is None
            else int((d["promised_at"] - now).total_seconds() // 60)
        )
        self._row("complaint", translate("WorkshopBoard", "Customer's complaint:"), d["complaint"])
        self._row("advisor", translate("WorkshopBoard", "Service advisor:"), d["advisor"])
        self._row(
            "promised",
            translate("WorkshopBoard", "Promised completion time:"),
            f"{when_text(d['promised_at'])} · {time_left_text(left)}",
            "#c62828" if left is not None and left < 0 else "",
        )
        self._row(
            "priority", translate("WorkshopBoard", "Priority:"), priority_label(d["priority"])
        )
        self._row(
            "handover",
            translate("WorkshopBoard", "Handover:"),
            translate("WorkshopBoard", "{when} by {name}, received by {supervisor}").format(
                when=when_text(d["handed_over_at"]),
                name=d["handed_over_by"] or "—",
                supervisor=d["received_by"] or "—",
            )
            if d["handed_over_at"]
            else translate("WorkshopBoard", "Not handed over yet"),
        )
        self._row(
            "handover_key",
            translate("WorkshopBoard", "Key handed over:"),
            yes_no(d["handover_key"]),
        )
        self._row(
            "handover_documents",
            translate("WorkshopBoard", "Task order and check-in sheet handed over:"),
            yes_no(d["handover_documents"]),
        )
        self._row(
            "handover_notes", translate("WorkshopBoard", "Handover notes:"), d["handover_notes"]
        )
        self._row("team", translate("WorkshopBoard", "Team:"), d["team"])
        self._row("technician", translate("WorkshopBoard", "Technician:"), d["technician"])
        self._row(
            "dispatched", translate("WorkshopBoard", "Dispatched:"), when_text(d["dispatched_at"])
        )
        self._row(
            "accepted",
            translate("WorkshopBoard", "Accepted by the team:"),
            translate("WorkshopBoard", "{when} by {name}").format(
                when=when_text(d["accepted_at"]), name=d["accepted_by"] or "—"
            )
            if d["accepted_at"]
            else translate("WorkshopBoard", "Not accepted yet"),
        )
        work = []
        for ln in d["lines"]:
            state = {
                "pending": translate("WorkshopBoard", "work not started"),
                "in_progress": translate("WorkshopBoard", "work in progress"),
                "paused": translate("WorkshopBoard", "work paused"),
                "done": translate("WorkshopBoard", "work done"),
            }.get(ln["work_state"], ln["work_state"])
            if ln["decided_by"] == "insurer" and ln["auth_state"] != "authorised":
                state = labels.line_status("additional", ln["auth_state"], "insurer")
            elif ln["auth_state"] == "proposed":
                state = translate("WorkshopBoard", "waiting for the customer's authorisation")
            elif ln["auth_state"] == "declined":
                state = translate("WorkshopBoard", "declined by the customer")
            skill = f", {skill_label(ln['skill'])}" if ln["skill"] else ""
            work.append(f"{ln['description']} — {hours_text(ln['hours'])}{skill}: {state}")
        self._row("work", translate("WorkshopBoard", "Work:"), "\n".join(work))
        if d["last_delay"]:
            delay = d["last_delay"]
            self._row(
                "delay",
                translate("WorkshopBoard", "Last delay:"),
                translate("WorkshopBoard", "{when}: {reason} (new time {new})").format(
                    when=when_text(delay["at"]), reason=delay["reason"], new=when_text(delay["new"])
                ),
            )
        if d["parking_spot"]:
            self._row("parking", translate("WorkshopBoard", "Parking spot:"), d["parking_spot"])
