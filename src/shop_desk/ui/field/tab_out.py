"""Out now: the jobs with people out, one row per job (crew, place, the customer's and the
promised arrival, departed / arrived / left times, where it stands in words) and the day's
timeline under it. A timer reads them again every half minute; the chosen job stays chosen.
Read only: the crew records the road on their tablet."""

from __future__ import annotations

import datetime as dt
import html

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTableView, QVBoxLayout, QWidget

from shop_desk import clock
from shop_desk.field_states import FieldState
from shop_desk.i18n import translate
from shop_desk.models import Staff
from shop_desk.services import field
from shop_desk.services.field import JobView
from shop_desk.ui.field.common import (
    AMBER,
    GREEN,
    RED,
    Colour,
    JobList,
    JobModel,
    clock_time,
    crew_text,
    fit_when_new,
    heading_label,
    setup_table,
    span_text,
    state_text,
)
from shop_desk.ui.field.timeline import DayTimeline, legend_text
from shop_desk.ui.shell.models import Column
from shop_desk.ui.shell.tables import when

#: How often the list is read again (ms).
REFRESH_MS = 30_000
#: Due on site within this long: shown amber.
SOON = dt.timedelta(minutes=30)


def punctuality(view: JobView, now: dt.datetime) -> tuple[str, Colour]:
    """Where the job stands against the customer's time, in words, and its row colour."""
    job = view.job
    required = job.required_arrival_at
    if job.arrived_at is not None:
        if job.arrived_late:
            text = translate("FieldUi", "Arrived {time} late").format(
                time=span_text(job.arrived_at - required)
            )
            if job.late_reason:
                text += translate("FieldUi", ": {reason}").format(reason=job.late_reason)
            colour: Colour = RED
        else:
            text, colour = translate("FieldUi", "Arrived on time"), GREEN
        if job.state == FieldState.WORK_DONE.value and job.called_centre_at is None:
            text += " · " + translate("FieldUi", "no call to the service centre yet")
            colour = colour if colour is RED else AMBER
        return text, colour
    if now > required:
        return (
            translate("FieldUi", "Overdue: not on site, {time} past the customer's time").format(
                time=span_text(now - required)
            ),
            RED,
        )
    promised = job.promised_arrival_at
    if promised is not None and promised > required:
        return (
            translate("FieldUi", "Promised {time} after the customer's time").format(
                time=span_text(promised - required)
            ),
            AMBER,
        )
    due = translate("FieldUi", "Due on site in {time}").format(time=span_text(required - now))
    return due, AMBER if required - now < SOON else None


class OutTab(QWidget, JobList):
    """The jobs out now, as a table and a timeline over the day."""

    changed = Signal()

    def __init__(self, staff: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldOutTab")
        self.actor = staff
        self.now = clock.now()
        layout = QVBoxLayout(self)
        top = QHBoxLayout()
        self.heading = heading_label(self, "outHeading")
        top.addWidget(self.heading)
        top.addStretch(1)
        self.read_label = QLabel(self)
        self.read_label.setObjectName("readLabel")
        self.read_label.setStyleSheet("color:#5f6670;")
        top.addWidget(self.read_label)
        layout.addLayout(top)

        today = lambda: self.now.date()  # noqa: E731 - read when a cell is drawn
        self.model = JobModel(
            [
                Column(lambda: translate("FieldUi", "Number"), lambda r: r.number),
                Column(lambda: translate("FieldUi", "Crew"), crew_text),
                Column(
                    lambda: translate("FieldUi", "Customer and place"),
                    lambda r: f"{r.customer} · {r.job.place}",
                ),
                Column(
                    lambda: translate("FieldUi", "Required"),
                    lambda r: clock_time(r.job.required_arrival_at, today()),
                ),
                Column(
                    lambda: translate("FieldUi", "Promised"),
                    lambda r: clock_time(r.job.promised_arrival_at, today()),
                ),
                Column(
                    lambda: translate("FieldUi", "Departed"),
                    lambda r: clock_time(r.job.departed_at, today()),
                ),
                Column(
                    lambda: translate("FieldUi", "Arrived"),
                    lambda r: clock_time(r.job.arrived_at, today()),
                ),
                Column(
                    lambda: translate("FieldUi", "Left site"),
                    lambda r: clock_time(r.job.left_site_at, today()),
                ),
                Column(lambda: translate("FieldUi", "State"), state_text),
                Column(
                    lambda: translate("FieldUi", "On time?"),
                    lambda r: punctuality(r, self.now)[0],
                ),
            ],
            self,
            colour=lambda r: punctuality(r, self.now)[1],
        )
        self.table = QTableView(self)
        self.table.setObjectName("outTable")
        self.proxy = setup_table(self.table, self.model, stretch=2)
        layout.addWidget(self.table, 1)
        self.detail = QLabel(self)
        self.detail.setObjectName("detailLabel")
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        self.timeline = DayTimeline(self)
        layout.addWidget(self.timeline)
        legend = QLabel(legend_text(), self)
        legend.setObjectName("legendLabel")
        legend.setWordWrap(True)
        legend.setStyleSheet("color:#5f6670;")
        layout.addWidget(legend)

        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        self.timeline.chosen.connect(self.select)
        self.timer = QTimer(self)
        self.timer.setObjectName("refreshTimer")
        self.timer.setInterval(REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self.refresh()

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh()

    def refresh(self) -> None:
        """Read the jobs out now again; the chosen job stays chosen."""
        current = self.selected()
        self.now = clock.now()
        rows = field.views(field.out_now())
        self.model.set_rows(rows)
        fit_when_new(self.table, rows)
        late = sum(1 for r in rows if punctuality(r, self.now)[1] is RED)
        text = translate("FieldUi", "Out now: {n}").format(n=len(rows))
        if late:
            text += " · " + translate("FieldUi", "{n} late or overdue").format(n=late)
        self.heading.setText(text)
        self.read_label.setText(
            translate("FieldUi", "As of {time}").format(time=self.now.strftime("%H:%M"))
        )
        self.timeline.set_rows(rows, self.now)
        self.reselect(current, rows)
        self._selected()

    def _selected(self) -> None:
        view = self.selected()
        self.timeline.set_selected(view.id if view else None)
        if view is None:
            self.detail.setText("")
            return
        job = view.job
        parts = [
            f"<b>{html.escape(job.number)}</b>",
            html.escape(view.customer + (" " + view.phone if view.phone else "")),
            html.escape(view.vehicle),
            html.escape(
                translate("FieldUi", "Service vehicle: {vehicle}").format(
                    vehicle=job.service_vehicle
                )
            ),
        ]
        if job.tools:
            parts.append(
                html.escape(translate("FieldUi", "Tools: {tools}").format(tools=job.tools))
            )
        times = translate("FieldUi", "Required {required} · promised {promised}").format(
            required=when(job.required_arrival_at), promised=when(job.promised_arrival_at)
        )
        self.detail.setText(" · ".join(p for p in parts if p) + "<br>" + html.escape(times))
