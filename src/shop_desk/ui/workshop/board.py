"""The workshop supervisor's board (车间主管): cars by state, dispatch to teams, live updates.

Columns follow the workshop states; a card shows plate, model, team/technician, advisor,
promised time and time left (red once overdue), priority and flags. The supervisor drags a
card onto a team (or uses the card's context menu / the Dispatch button) and confirms team,
technician and priority in :class:`DispatchDialog`; the teams strip shows each team's hours
today against its capacity and its skills. Warnings of :func:`workshop.dispatch` (a skill
the team lacks, over capacity) are shown after the dispatch.

Other stations' commits are noticed by :class:`shop_desk.changes.ChangeWatcher` polled once
a second; a refresh reads the board with one query and only touches the cards and columns
that changed.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import peewee
from PySide6.QtCore import QDateTime, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QComboBox,
    QDateTimeEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QFrame,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPlainTextEdit,
    QPushButton,
    QRadioButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import ConflictError, DomainError, ValidationError
from shop_desk.i18n import counted, translate
from shop_desk.models import (
    DelayReport,
    JobLine,
    LabourOperation,
    OrderEvent,
    RepairOrder,
    Staff,
    Vehicle,
)
from shop_desk.roles import Role
from shop_desk.services import board, workshop
from shop_desk.services.board import BoardCard, TeamLoad
from shop_desk.states import WORKSHOP_STATES, State, state_label
from shop_desk.ui.shell.main_window import register_page
from shop_desk.ui.shell.prefs import skill_label
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.watcher import close_watcher, current_db_target, make_watcher
from shop_desk.ui.shell.widgets import ErrorBanner, allowed, app_settings, join_list, mark_invalid
from shop_desk.ui.workshop.cards import (
    DISPATCH_STATES,
    PRIORITY_LOW,
    PRIORITY_NORMAL,
    PRIORITY_URGENT,
    REASSIGN_STATES,
    CardWidget,
    priority_label,
    read_card_mime,
    state_colour,
    time_left_text,
)
from shop_desk.validation import display_plate

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow

log = logging.getLogger("shop_desk.ui.workshop.board")

#: How often the page asks the change watcher whether another station committed (ms): twice
#: a second, so another PC's change shows within a second (asking costs microseconds).
POLL_MS = 500
#: Without a change watcher (e.g. an in-memory database) the page re-reads this often (s).
FALLBACK_REFRESH_S = 10

WARNING_STYLE = (
    "background:#fff4e5; color:#7a3e00; border:1px solid #f0c27b; border-radius:4px; padding:6px;"
)


def _hours(value: Decimal) -> str:
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"


def _hours_text(value: Decimal) -> str:
    return translate("WorkshopBoard", "{hours} h").format(hours=_hours(value))


# --- read models -------------------------------------------------------------------------


def needed_skills(order_id: int) -> list[str]:
    """Skills the job's labour lines need (declined additional work left out)."""
    rows = (
        LabourOperation.select(LabourOperation.skill)
        .join(JobLine, on=(JobLine.labour_op == LabourOperation.id))
        .where((JobLine.order == order_id) & (JobLine.auth_state != "declined"))
        .distinct()
        .tuples()
    )
    return sorted({skill for (skill,) in rows if skill})


def order_detail(order_id: int) -> dict[str, Any]:
    """What the supervisor needs to know about one car: handover, dispatch, work, delays.

    A handful of reads; raises peewee.DoesNotExist for an unknown order."""
    order = (
        RepairOrder.select(RepairOrder, Vehicle)
        .join(Vehicle, on=(RepairOrder.vehicle == Vehicle.id))
        .where(RepairOrder.id == order_id)
        .get()
    )
    staff_ids = {
        i for i in (order.advisor_id, order.technician_id, order.accepted_by_id) if i is not None
    }
    handover = (
        OrderEvent.select()
        .where((OrderEvent.order == order_id) & (OrderEvent.kind == "handover"))
        .order_by(OrderEvent.id.desc())
        .first()
    )
    if handover is not None and handover.by_id:
        staff_ids.add(handover.by_id)
    names = {
        s.id: s.name for s in Staff.select(Staff.id, Staff.name).where(Staff.id.in_(staff_ids))
    }
    lines = []
    job_hours = Decimal("0")
    query = (
        JobLine.select(JobLine, LabourOperation.skill.alias("op_skill"))
        .join(LabourOperation, peewee.JOIN.LEFT_OUTER, on=(JobLine.labour_op == LabourOperation.id))
        .where((JobLine.order == order_id) & (JobLine.kind == "labour"))
        .order_by(JobLine.sort, JobLine.id)
        .objects()
    )
    for line in query:
        skill = line.op_skill or ""
        lines.append(
            {
                "description": line.description,
                "hours": line.hours or Decimal("0"),
                "skill": skill,
                "auth_state": line.auth_state,
                "work_state": line.work_state,
            }
        )
        if line.auth_state == "authorised":
            job_hours += line.hours or Decimal("0")
    delay = (
        DelayReport.select()
        .where(DelayReport.order == order_id)
        .order_by(DelayReport.id.desc())
        .first()
    )
    team_name = order.team.name if order.team_id else ""
    return {
        "id": order.id,
        "number": order.number,
        "version": order.version,
        "state": order.state,
        "plate": display_plate(order.vehicle.plate or ""),
        "model": order.vehicle.model or "",
        "make": order.vehicle.make or "",
        "complaint": order.complaint_text or "",
        "advisor": names.get(order.advisor_id, ""),
        "promised_at": order.promised_at,
        "priority": order.priority,
        "customer_waiting": order.customer_waiting,
        "handed_over_at": order.handed_over_at,
        "handed_over_by": names.get(handover.by_id, "") if handover is not None else "",
        "handover_key": order.handover_key,
        "handover_documents": order.handover_documents,
        "handover_notes": order.handover_notes or "",
        "team_id": order.team_id,
        "team": team_name,
        "technician_id": order.technician_id,
        "technician": names.get(order.technician_id, ""),
        "dispatched_at": order.dispatched_at,
        "accepted_at": order.accepted_at,
        "accepted_by": names.get(order.accepted_by_id, ""),
        "parking_spot": order.parking_spot or "",
        "lines": lines,
        "job_hours": job_hours,
        "skills": sorted(
            {ln["skill"] for ln in lines if ln["skill"] and ln["auth_state"] != "declined"}
        ),
        "last_delay": (
            {"at": delay.at, "reason": delay.reason, "new": delay.new_promised_at}
            if delay
            else None
        ),
    }


def _when(value: dt.datetime | None) -> str:
    return value.strftime("%Y-%m-%d %H:%M") if value else "—"


def _yes_no(value: bool) -> str:
    return translate("WorkshopBoard", "Yes") if value else translate("WorkshopBoard", "No")


def _db_file() -> str | None:
    """The SQLite file the application works on (None for an in-memory database)."""
    return current_db_target()


# --- columns and team boxes ----------------------------------------------------------------


class BoardColumn(QFrame):
    """One state of the workshop: a coloured header with the count, cards below."""

    def __init__(self, state: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName(f"column_{state}")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(122)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        colour = state_colour(state).name()
        self.setStyleSheet(
            f"BoardColumn {{ background: #eef1f5; border-radius: 6px; border-top: 4px solid {colour}; }}"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.setSpacing(4)
        self.header = QLabel(self)
        self.header.setObjectName("columnHeader")
        font = QFont(self.header.font())
        font.setBold(True)
        self.header.setFont(font)
        layout.addWidget(self.header)
        self._count = "0"
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
        )
        self.host = QWidget()
        self.cards_layout = QVBoxLayout(self.host)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout.setSpacing(5)
        self.cards_layout.addStretch(1)
        self.scroll.setWidget(self.host)
        layout.addWidget(self.scroll, 1)
        self.widgets: list[CardWidget] = []
        self.set_count(0, 0)

    def title(self) -> str:
        return state_label(self.state)

    def set_count(self, shown: int, total: int) -> None:
        self._count = str(total) if shown == total else f"{shown}/{total}"
        self._elide_header()

    def _elide_header(self) -> None:
        fm = self.header.fontMetrics()
        count = f"  ({self._count})"
        room = max(20, self.width() - 12 - fm.horizontalAdvance(count))
        title = fm.elidedText(self.title(), Qt.TextElideMode.ElideRight, room)
        self.header.setText(title + count)
        self.header.setToolTip(self.title() + count)

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        super().resizeEvent(event)
        self._elide_header()

    def set_widgets(self, widgets: list[CardWidget]) -> bool:
        """Show exactly these cards in this order; False when nothing had to move."""
        if [id(w) for w in widgets] == [id(w) for w in self.widgets]:
            return False
        for w in self.widgets:
            self.cards_layout.removeWidget(w)
        for n, w in enumerate(widgets):
            self.cards_layout.insertWidget(n, w)
        self.widgets = list(widgets)
        return True

    def cards(self) -> list[BoardCard]:
        return [w.card for w in self.widgets]


class LoadBar(QWidget):
    """Assigned hours against capacity: green, amber above 85 %, red over capacity."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.assigned = Decimal("0")
        self.capacity = Decimal("0")
        self.setMinimumHeight(12)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_values(self, assigned: Decimal, capacity: Decimal) -> None:
        self.assigned, self.capacity = assigned, capacity
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(120, 12)

    def colour(self) -> QColor:
        if self.capacity <= 0 or self.assigned > self.capacity:
            return QColor("#c62828")
        if self.assigned > self.capacity * Decimal("0.85"):
            return QColor("#ef6c00")
        return QColor("#2e7d32")

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self.rect().adjusted(0, 1, -1, -1)
        p.setPen(QColor("#b0b7c0"))
        p.setBrush(QColor("#ffffff"))
        p.drawRoundedRect(r, 3, 3)
        share = 1.0 if self.capacity <= 0 else min(1.0, float(self.assigned / self.capacity))
        if share > 0:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(self.colour())
            p.drawRoundedRect(
                QRect(r.left(), r.top(), max(4, int(r.width() * share)), r.height()), 3, 3
            )
        p.end()


class TeamBox(QFrame):
    """A team today: name, leader and members, skills, hours assigned against capacity.

    A drop target: dropping a card emits :attr:`card_dropped(payload, team_id)`; while a
    card hovers over it the box says whether the team has the skills the job needs."""

    card_dropped = Signal(dict, int)

    def __init__(self, load: TeamLoad, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"team_{load.team_id}")
        self.load = load
        self.accepting = False  # set by the page: may this person dispatch?
        self.setAcceptDrops(True)
        self.setMinimumWidth(210)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        top = QHBoxLayout()
        self.name_label = QLabel(self)
        font = QFont(self.name_label.font())
        font.setBold(True)
        self.name_label.setFont(font)
        top.addWidget(self.name_label, 1)
        self.hours_label = QLabel(self)
        self.hours_label.setObjectName("hoursLabel")
        top.addWidget(self.hours_label)
        layout.addLayout(top)
        self.bar = LoadBar(self)
        layout.addWidget(self.bar)
        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("dropHint")
        self.hint_label.setWordWrap(True)
        self.hint_label.hide()
        layout.addWidget(self.hint_label)
        self.members_label = QLabel(self)
        self.members_label.setWordWrap(True)
        layout.addWidget(self.members_label)
        self.skills_label = QLabel(self)
        self.skills_label.setWordWrap(True)
        self.skills_label.setStyleSheet("color:#555;")
        layout.addWidget(self.skills_label)
        self._set_style(False)
        self.set_load(load)

    def _set_style(self, hovering: bool) -> None:
        if hovering:
            css = "TeamBox { background:#e3f0ff; border:2px dashed #1e63c6; border-radius:6px; }"
        else:
            css = "TeamBox { background:#ffffff; border:1px solid #c9ced6; border-radius:6px; }"
        self.setStyleSheet(css)

    def set_load(self, load: TeamLoad) -> bool:
        """Show ``load``; False when nothing changed."""
        if load == self.load and self.name_label.text():
            return False
        self.load = load
        self.name_label.setText(load.name)
        members = [
            translate("WorkshopBoard", "{name} (leader)").format(name=m.name)
            if m.is_leader
            else m.name
            for m in load.members
        ]
        self.members_label.setText(join_list(members) or translate("WorkshopBoard", "No members"))
        self.skills_label.setText(
            translate("WorkshopBoard", "Skills: {skills}").format(
                skills=join_list(skill_label(s) for s in load.skills) or "—"
            )
        )
        self.bar.set_values(load.assigned_hours, load.capacity_hours)
        text = translate("WorkshopBoard", "{assigned} / {capacity} h").format(
            assigned=_hours(load.assigned_hours), capacity=_hours(load.capacity_hours)
        )
        self.hours_label.setText(text)
        self.hours_label.setStyleSheet(
            "color:#c62828; font-weight:bold;" if load.over_capacity else "color:#333;"
        )
        self.setToolTip(
            translate(
                "WorkshopBoard", "{team}: {assigned} of {capacity} hours assigned today"
            ).format(
                team=load.name,
                assigned=_hours(load.assigned_hours),
                capacity=_hours(load.capacity_hours),
            )
        )
        return True

    def missing_skills(self, skills: list[str]) -> list[str]:
        return sorted(set(skills) - set(self.load.skills))

    def _payload(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> dict | None:
        if not self.accepting:
            return None
        data = read_card_mime(event.mimeData())
        if data is None or data.get("state") not in DISPATCH_STATES | REASSIGN_STATES:
            return None
        return data

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        data = self._payload(event)
        if data is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self._set_style(True)
        missing = self.missing_skills(list(data.get("skills") or []))
        if missing:
            self.hint_label.setStyleSheet("color:#c62828; font-weight:bold;")
            self.hint_label.setText(
                translate("WorkshopBoard", "Lacks: {skills}").format(
                    skills=join_list(skill_label(s) for s in missing)
                )
            )
        else:
            self.hint_label.setStyleSheet("color:#2e7d32;")
            self.hint_label.setText(
                translate("WorkshopBoard", "Drop to dispatch {number} here").format(
                    number=data.get("number", "")
                )
            )
        self.members_label.hide()
        self.hint_label.show()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._payload(event) is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._end_hover()
        event.accept()

    def _end_hover(self) -> None:
        self._set_style(False)
        self.hint_label.hide()
        self.members_label.show()

    def dropEvent(self, event: QDropEvent) -> None:
        self._end_hover()
        data = self._payload(event)
        if data is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.card_dropped.emit(data, self.load.team_id)


# --- dialogs -------------------------------------------------------------------------------


def _banner_into(host: QWidget) -> ErrorBanner:
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
        self.preview_label = child(self.form, QLabel, "previewLabel")
        self.reload_button = child(self.form, QPushButton, "reloadButton")
        self.buttons = child(self.form, QDialogButtonBox, "buttonBox")
        self.banner = _banner_into(child(self.form, QWidget, "bannerHost"))
        self.reload_button.hide()
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            translate("Widgets", "Cancel")
        )
        self.ok_button().setDefault(True)
        self.buttons.accepted.connect(self.submit)
        self.buttons.rejected.connect(self.reject)
        self.reload_button.clicked.connect(self.reload)
        self.team_combo.currentIndexChanged.connect(self._team_changed)
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
                    when=_when(d["promised_at"])
                ),
                flags=(" · " + join_list(flags)) if flags else "",
            )
        )
        work = [
            "{desc} — {hours}{skill}".format(
                desc=ln["description"],
                hours=_hours_text(ln["hours"]),
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
                skills=join_list(skill_label(s) for s in d["skills"]) or "—",
                hours=_hours(d["job_hours"]),
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

    def preview_warnings(self) -> list[str]:
        """What the service would warn about for the chosen team, said before OK."""
        load = self.loads.get(self.team_combo.currentData())
        if load is None:
            return []
        out = []
        missing = sorted(set(self.detail.get("skills", [])) - set(load.skills))
        if missing:
            out.append(
                translate(
                    "WorkshopBoard", "{team} lacks the skill this job needs: {skills}."
                ).format(team=load.name, skills=join_list(skill_label(s) for s in missing))
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
                ).format(team=load.name, after=_hours(after), capacity=_hours(load.capacity_hours))
            )
        return out

    def _update_preview(self) -> None:
        warnings = self.preview_warnings()
        if warnings:
            self.preview_label.setStyleSheet("color:#b35c00;")
            self.preview_label.setText("⚠ " + "\n⚠ ".join(warnings))
        else:
            load = self.loads.get(self.team_combo.currentData())
            self.preview_label.setStyleSheet("color:#2e7d32;")
            self.preview_label.setText(
                translate(
                    "WorkshopBoard", "{team} has the skills and {free} free hours today."
                ).format(team=load.name, free=_hours(load.free_hours))
                if load
                else ""
            )

    # -- saving --------------------------------------------------------------------------
    def submit(self) -> None:
        """Run dispatch / redispatch; on success emit :attr:`dispatched` and close."""
        mark_invalid(self.reason_edit, False)
        team_id = self.team_combo.currentData()
        tech_id = self.technician_combo.currentData()
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
                )
            else:
                result = workshop.dispatch(
                    self.staff,
                    self.order_id,
                    team_id,
                    tech_id,
                    priority=self.priority(),
                    expected_version=self.detail["version"],
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
        self.banner = _banner_into(child(self.form, QWidget, "bannerHost"))
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
        self.current_label.setText(_when(d["promised_at"]))
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
            f"{_when(d['promised_at'])} · {time_left_text(left)}",
            "#c62828" if left is not None and left < 0 else "",
        )
        self._row(
            "priority", translate("WorkshopBoard", "Priority:"), priority_label(d["priority"])
        )
        self._row(
            "handover",
            translate("WorkshopBoard", "Handover:"),
            translate("WorkshopBoard", "{when} by {name}").format(
                when=_when(d["handed_over_at"]), name=d["handed_over_by"] or "—"
            )
            if d["handed_over_at"]
            else translate("WorkshopBoard", "Not handed over yet"),
        )
        self._row(
            "handover_key",
            translate("WorkshopBoard", "Key handed over:"),
            _yes_no(d["handover_key"]),
        )
        self._row(
            "handover_documents",
            translate("WorkshopBoard", "Task order and check-in sheet handed over:"),
            _yes_no(d["handover_documents"]),
        )
        self._row(
            "handover_notes", translate("WorkshopBoard", "Handover notes:"), d["handover_notes"]
        )
        self._row("team", translate("WorkshopBoard", "Team:"), d["team"])
        self._row("technician", translate("WorkshopBoard", "Technician:"), d["technician"])
        self._row(
            "dispatched", translate("WorkshopBoard", "Dispatched:"), _when(d["dispatched_at"])
        )
        self._row(
            "accepted",
            translate("WorkshopBoard", "Accepted by the team:"),
            translate("WorkshopBoard", "{when} by {name}").format(
                when=_when(d["accepted_at"]), name=d["accepted_by"] or "—"
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
            if ln["auth_state"] == "proposed":
                state = translate("WorkshopBoard", "waiting for the customer's authorisation")
            elif ln["auth_state"] == "declined":
                state = translate("WorkshopBoard", "declined by the customer")
            skill = f", {skill_label(ln['skill'])}" if ln["skill"] else ""
            work.append(f"{ln['description']} — {_hours_text(ln['hours'])}{skill}: {state}")
        self._row("work", translate("WorkshopBoard", "Work:"), "\n".join(work))
        if d["last_delay"]:
            delay = d["last_delay"]
            self._row(
                "delay",
                translate("WorkshopBoard", "Last delay:"),
                translate("WorkshopBoard", "{when}: {reason} (new time {new})").format(
                    when=_when(delay["at"]), reason=delay["reason"], new=_when(delay["new"])
                ),
            )
        if d["parking_spot"]:
            self._row("parking", translate("WorkshopBoard", "Parking spot:"), d["parking_spot"])


# --- the page ------------------------------------------------------------------------------


class WorkshopBoardPage(QWidget):
    """The supervisor's board: columns per state, the teams strip, dispatch and live refresh."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        self.setObjectName("workshopBoardPage")
        self.form = load_form("workshop_board", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.title_label = child(self.form, QLabel, "titleLabel")
        self.summary_label = child(self.form, QLabel, "summaryLabel")
        self.filter_edit = child(self.form, QLineEdit, "filterEdit")
        self.dispatch_button = child(self.form, QPushButton, "dispatchButton")
        self.delay_button = child(self.form, QPushButton, "delayButton")
        self.details_button = child(self.form, QPushButton, "detailsButton")
        self.splitter = child(self.form, QSplitter, "splitter")
        self.columns_host = child(self.form, QWidget, "columnsHost")
        self.columns_scroll = child(self.form, QScrollArea, "columnsScroll")
        self.teams_box = child(self.form, QGroupBox, "teamsBox")
        self.teams_host = child(self.form, QWidget, "teamsHost")
        self.teams_scroll = child(self.form, QScrollArea, "teamsScroll")
        self.banner = _banner_into(child(self.form, QWidget, "bannerHost"))
        font = QFont(self.title_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title_label.setFont(font)
        self.summary_label.setStyleSheet("color:#555; padding-left:10px;")

        self.columns: dict[str, BoardColumn] = {}
        columns_layout = self.columns_host.layout()
        for state in WORKSHOP_STATES:
            column = BoardColumn(state.value, self.columns_host)
            self.columns[state.value] = column
            columns_layout.addWidget(column, 1)
        self.team_boxes: dict[int, TeamBox] = {}
        self.teams_layout = self.teams_host.layout()
        self.teams_layout.addStretch(1)

        self.card_widgets: dict[int, CardWidget] = {}
        self.cards: list[BoardCard] = []
        self.loads: list[TeamLoad] = []
        self.selected_id: int | None = None
        self.now = clock.now()
        self.last_stats: dict[str, int] = {}
        self.refresh_count = 0
        self._skills_cache: dict[int, list[str]] = {}
        self.dispatch_dialog: DispatchDialog | None = None
        self.delay_dialog: DelayDialog | None = None
        self.detail_dialog: DetailDialog | None = None
        self.menu: QMenu | None = None

        self.filter_edit.textChanged.connect(self._apply_filter)
        self.dispatch_button.clicked.connect(lambda: self.open_dispatch(self.selected_card()))
        self.delay_button.clicked.connect(lambda: self.open_delay(self.selected_card()))
        self.details_button.clicked.connect(lambda: self.open_details(self.selected_card()))

        # the change watcher's own connection lives only while the board is on screen
        self.watcher: Any = None
        self._hidden_at: int | None = None
        self._last_read = dt.datetime.min
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        state = app_settings().value("workshop_board/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([10_000, 1])  # the teams strip gets its minimum height
        self.splitter.splitterMoved.connect(
            lambda *_: app_settings().setValue("workshop_board/splitter", self.splitter.saveState())
        )
        self.refresh()

    # -- permissions ---------------------------------------------------------------------
    @property
    def staff(self) -> Staff:
        return self.window_.staff

    def can_dispatch(self) -> bool:
        return allowed(self.staff, workshop.dispatch)

    def can_report_delay(self) -> bool:
        return allowed(self.staff, workshop.report_delay)

    # -- reading -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the board (one query) and the team loads; update only what changed."""
        now = clock.now()
        try:
            if self.watcher is not None and hasattr(self.watcher, "reset"):
                self.watcher.reset()  # the read below includes everything committed so far
            cards = board.board_cards(now)
            loads = board.team_load(now.date())
        except (peewee.OperationalError, sqlite3.Error) as exc:  # locked past the busy timeout
            log.warning("board refresh failed: %s", exc)
            self.window_.show_status(
                translate("WorkshopBoard", "The board could not be read just now; it tries again.")
            )
            return
        self._last_read = dt.datetime.now()
        self.refresh_count += 1
        self._skills_cache.clear()
        self.now = now
        self.apply(cards, loads, now)

    def apply(self, cards: list[BoardCard], loads: list[TeamLoad], now: dt.datetime) -> None:
        stats = {"created": 0, "updated": 0, "removed": 0, "columns": 0, "teams": 0}
        self.cards = cards
        ids = {c.order_id for c in cards}
        for order_id in [i for i in self.card_widgets if i not in ids]:
            widget = self.card_widgets.pop(order_id)
            for column in self.columns.values():
                if widget in column.widgets:
                    column.widgets.remove(widget)
                    column.cards_layout.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
            stats["removed"] += 1
        may_drag = self.can_dispatch()
        by_state: dict[str, list[CardWidget]] = {s: [] for s in self.columns}
        for card in cards:
            widget = self.card_widgets.get(card.order_id)
            if widget is None:
                widget = CardWidget(card, now)
                widget.selected.connect(self.select)
                widget.activated.connect(self._activated)
                widget.menu_requested.connect(self.show_menu)
                widget.navigate.connect(self.navigate)
                widget.skills_for = self.skills_of
                self.card_widgets[card.order_id] = widget
                stats["created"] += 1
            else:
                if widget.set_card(card):
                    stats["updated"] += 1
                widget.set_now(now)
            widget.draggable = may_drag and card.state in DISPATCH_STATES | REASSIGN_STATES
            widget.set_selected(card.order_id == self.selected_id)
            if card.state in by_state:
                by_state[card.state].append(widget)
        for state, column in self.columns.items():
            if column.set_widgets(by_state[state]):
                stats["columns"] += 1
        stats["teams"] = self._apply_loads(loads)
        self.loads = loads
        if self.selected_id is not None and self.selected_id not in ids:
            self.selected_id = None
        self._apply_filter()
        self._update_buttons()
        self.last_stats = stats

    def _apply_loads(self, loads: list[TeamLoad]) -> int:
        changed = 0
        ids = {t.team_id for t in loads}
        for team_id in [i for i in self.team_boxes if i not in ids]:
            box = self.team_boxes.pop(team_id)
            self.teams_layout.removeWidget(box)
            box.deleteLater()
            changed += 1
        for n, load in enumerate(loads):
            box = self.team_boxes.get(load.team_id)
            if box is None:
                box = TeamBox(load, self.teams_host)
                box.card_dropped.connect(self.card_dropped)
                self.team_boxes[load.team_id] = box
                self.teams_layout.insertWidget(n, box)
                changed += 1
            elif box.set_load(load):
                changed += 1
            box.accepting = self.can_dispatch()
        if changed:
            self.teams_scroll.setMinimumHeight(self.teams_host.sizeHint().height() + 2)
        return changed

    def skills_of(self, order_id: int) -> list[str]:
        if order_id not in self._skills_cache:
            try:
                self._skills_cache[order_id] = needed_skills(order_id)
            except peewee.OperationalError:
                return []
        return self._skills_cache[order_id]

    def poll(self) -> None:
        """Twice a second: refresh when another station committed; keep the times current."""
        if not self.isVisible():
            return
        if self.watcher is not None:
            try:
                changed = bool(self.watcher.changed())
            except Exception:  # the watcher's own connection failed: rebuild it next time
                log.warning("change watcher failed; re-creating it", exc_info=True)
                close_watcher(self.watcher)
                self.watcher = make_watcher(_db_file())
                changed = True
        else:
            changed = (dt.datetime.now() - self._last_read).total_seconds() >= FALLBACK_REFRESH_S
        if changed:
            self.refresh()
            return
        now = clock.now()
        if now.replace(second=0) != self.now.replace(second=0):
            self.now = now
            for widget in self.card_widgets.values():
                widget.set_now(now)
            self._update_summary()

    # -- selection and filter ------------------------------------------------------------
    def card(self, order_id: int) -> BoardCard | None:
        return next((c for c in self.cards if c.order_id == order_id), None)

    def selected_card(self) -> BoardCard | None:
        return self.card(self.selected_id) if self.selected_id is not None else None

    def select(self, card: BoardCard | int | None) -> None:
        order_id = card.order_id if isinstance(card, BoardCard) else card
        self.selected_id = order_id
        for oid, widget in self.card_widgets.items():
            widget.set_selected(oid == order_id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        card = self.selected_card()
        movable = card is not None and card.state in DISPATCH_STATES | REASSIGN_STATES
        self.dispatch_button.setEnabled(movable and self.can_dispatch())
        self.dispatch_button.setText(
            translate("WorkshopBoard", "&Reassign…")
            if card is not None and card.state in REASSIGN_STATES
            else translate("WorkshopBoard", "&Dispatch…")
        )
        self.delay_button.setEnabled(
            card is not None and card.state != State.READY.value and self.can_report_delay()
        )
        self.details_button.setEnabled(card is not None)
        self._update_summary()

    def _update_summary(self) -> None:
        total = len(self.cards)
        overdue = sum(1 for w in self.card_widgets.values() if w.overdue)
        waiting = sum(1 for c in self.cards if c.state == State.AWAITING_DISPATCH.value)
        text = counted(
            total,
            translate("WorkshopBoard", "1 car · {waiting} awaiting dispatch · {overdue} overdue"),
            translate(
                "WorkshopBoard", "{n} cars · {waiting} awaiting dispatch · {overdue} overdue"
            ),
            waiting=waiting,
            overdue=overdue,
        )
        self.summary_label.setText(text)
        self.summary_label.setStyleSheet(
            "color:#c62828; padding-left:10px;" if overdue else "color:#555; padding-left:10px;"
        )

    def _matches(self, card: BoardCard, needle: str) -> bool:
        if not needle:
            return True
        plate_plain = card.plate.replace("·", "")
        hay = " ".join(
            [
                card.plate,
                plate_plain,
                card.number,
                card.model,
                card.team,
                card.technician,
                card.advisor,
            ]
        ).casefold()
        return needle in hay

    def _apply_filter(self) -> None:
        needle = self.filter_edit.text().strip().casefold().replace("·", "")
        for column in self.columns.values():
            shown = 0
            for widget in column.widgets:
                visible = self._matches(widget.card, needle)
                widget.setVisible(visible)
                shown += visible
            column.set_count(shown, len(column.widgets))

    def visible_cards(self, state: str) -> list[BoardCard]:
        return [w.card for w in self.columns[state].widgets if not w.isHidden()]

    def navigate(self, card: BoardCard, key: int) -> None:
        """Arrow keys: up/down within a column, left/right to the next column with cars."""
        states = list(self.columns)
        shown = {s: [w for w in self.columns[s].widgets if not w.isHidden()] for s in states}
        column = states.index(card.state) if card.state in states else 0
        row = next(
            (n for n, w in enumerate(shown[card.state]) if w.card.order_id == card.order_id), 0
        )
        target = None
        if key in (Qt.Key.Key_Up.value, Qt.Key.Key_Down.value):
            row += -1 if key == Qt.Key.Key_Up.value else 1
            if 0 <= row < len(shown[card.state]):
                target = shown[card.state][row]
        else:
            step = -1 if key == Qt.Key.Key_Left.value else 1
            n = column + step
            while 0 <= n < len(states) and not shown[states[n]]:
                n += step
            if 0 <= n < len(states):
                widgets = shown[states[n]]
                target = widgets[min(row, len(widgets) - 1)]
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            self.columns[target.card.state].scroll.ensureWidgetVisible(target)
            self.columns_scroll.ensureWidgetVisible(target)

    # -- actions -------------------------------------------------------------------------
    def _activated(self, card: BoardCard) -> None:
        if card.state in DISPATCH_STATES and self.can_dispatch():
            self.open_dispatch(card)
        else:
            self.open_details(card)

    def card_dropped(self, payload: dict, team_id: int) -> None:
        """A card was dropped on a team: confirm team, technician and priority."""
        card = self.card(int(payload["order_id"]))
        if card is None:
            self.refresh()
            card = self.card(int(payload["order_id"]))
        if card is None:
            self.banner.show_error(
                translate("WorkshopBoard", "Order {number} is no longer in the workshop.").format(
                    number=payload.get("number", "")
                )
            )
            return
        self.select(card)
        self.open_dispatch(card, team_id)

    def open_dispatch(
        self, card: BoardCard | None, team_id: int | None = None
    ) -> DispatchDialog | None:
        if card is None or not self.can_dispatch():
            return None
        if card.state not in DISPATCH_STATES | REASSIGN_STATES:
            self.banner.show_error(
                translate(
                    "WorkshopBoard",
                    "{plate} is {state}; only cars awaiting dispatch or being worked on can be given to a team.",
                ).format(plate=card.plate, state=state_label(card.state))
            )
            return None
        try:
            dialog = DispatchDialog(self.staff, card.order_id, self.loads, team_id, self)
        except peewee.DoesNotExist:
            self.refresh()
            return None
        dialog.dispatched.connect(self._dispatched)
        self.dispatch_dialog = dialog
        dialog.open()
        return dialog

    def _dispatched(self, result: workshop.DispatchResult) -> None:
        order = result.order
        team = next((t.name for t in self.loads if t.team_id == order.team_id), "")
        text = translate("WorkshopBoard", "{plate} ({number}) dispatched to {team}.").format(
            plate=display_plate(order.vehicle.plate or ""), number=order.number, team=team
        )
        self.window_.show_status(text)
        if result.warnings:
            self.banner.show_info(text + " " + " ".join(result.warnings))
            self.banner.setStyleSheet(WARNING_STYLE)
            self.banner.kind = "warning"
        else:
            self.banner.show_info(text)
        self.refresh()

    def open_delay(self, card: BoardCard | None) -> DelayDialog | None:
        if card is None or not self.can_report_delay():
            return None
        dialog = DelayDialog(self.staff, card.order_id, self)
        dialog.reported.connect(self._delay_reported)
        self.delay_dialog = dialog
        dialog.open()
        return dialog

    def _delay_reported(self, report: Any) -> None:
        text = translate(
            "WorkshopBoard",
            "Delay of {number} reported: new promised time {when}. The advisor is told.",
        ).format(number=report.order.number, when=_when(report.new_promised_at))
        self.banner.show_info(text)
        self.window_.show_status(text)
        self.refresh()

    def open_details(self, card: BoardCard | None) -> DetailDialog | None:
        if card is None:
            return None
        dialog = DetailDialog(card.order_id, self)
        self.detail_dialog = dialog
        dialog.show()
        return dialog

    def build_menu(self, card: BoardCard) -> QMenu:
        """The card's context menu: dispatch/reassign to a team, delay, details, open."""
        menu = QMenu(self)
        menu.setObjectName("cardMenu")
        movable = card.state in DISPATCH_STATES | REASSIGN_STATES
        reassign = card.state in REASSIGN_STATES
        sub = menu.addMenu(
            translate("WorkshopBoard", "Reassign to")
            if reassign
            else translate("WorkshopBoard", "Dispatch to")
        )
        sub.setObjectName("dispatchToMenu")
        for load in self.loads:
            action = sub.addAction(
                translate("WorkshopBoard", "{team} — {assigned}/{capacity} h").format(
                    team=load.name,
                    assigned=_hours(load.assigned_hours),
                    capacity=_hours(load.capacity_hours),
                )
            )
            action.setObjectName(f"dispatchTo_{load.team_id}")
            action.triggered.connect(
                lambda _=False, c=card, t=load.team_id: self.open_dispatch(c, t)
            )
        sub.setEnabled(movable and self.can_dispatch())
        dispatch = menu.addAction(
            translate("WorkshopBoard", "Reassign…")
            if reassign
            else translate("WorkshopBoard", "Dispatch…")
        )
        dispatch.setObjectName("dispatchAction")
        dispatch.setEnabled(movable and self.can_dispatch())
        dispatch.triggered.connect(lambda _=False, c=card: self.open_dispatch(c))
        menu.addSeparator()
        delay = menu.addAction(translate("WorkshopBoard", "Report delay…"))
        delay.setObjectName("delayAction")
        delay.setEnabled(card.state != State.READY.value and self.can_report_delay())
        delay.triggered.connect(lambda _=False, c=card: self.open_delay(c))
        details = menu.addAction(translate("WorkshopBoard", "Details…"))
        details.setObjectName("detailsAction")
        details.triggered.connect(lambda _=False, c=card: self.open_details(c))
        open_order = menu.addAction(translate("WorkshopBoard", "Open order"))
        open_order.setObjectName("openOrderAction")
        open_order.triggered.connect(
            lambda _=False, c=card: self.window_.order_opened.emit(c.order_id)
        )
        return menu

    def show_menu(self, card: BoardCard, pos: QPoint) -> None:
        self.select(card)
        self.menu = self.build_menu(card)
        self.menu.popup(pos)

    def showEvent(self, event) -> None:  # noqa: ANN001
        super().showEvent(event)
        if self.watcher is None:
            self.watcher = make_watcher(_db_file())
            if self._hidden_at is not None and self.refresh_count == self._hidden_at:
                self.refresh()  # nobody re-read since it was hidden: catch up on other stations
        self._hidden_at = None

    def hideEvent(self, event) -> None:  # noqa: ANN001
        super().hideEvent(event)
        close_watcher(self.watcher)
        self.watcher = None
        self._hidden_at = self.refresh_count

    def screenshot_views(self) -> list[tuple[str, Callable[[], None]]]:
        """A selected card with its detail state for the screenshots."""

        def pick() -> None:
            card = next(
                (c for c in self.cards if c.state == State.AWAITING_DISPATCH.value),
                self.cards[0] if self.cards else None,
            )
            if card is not None:
                self.select(card)

        return [("selected", pick)]


register_page(
    "workshop",
    lambda: translate("WorkshopBoard", "Workshop"),
    (Role.SUPERVISOR, Role.MANAGER),
    WorkshopBoardPage,
)
