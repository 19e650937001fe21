"""A map-less timeline of the jobs out now: one line per job over the hours of the day, the
time on the road, on site and on the way back drawn as a bar, the customer's time marked in
red, the promised time dashed and the present moment as a line. Drawn, not a picture: the
words stay in the table beside it (late and overdue are never colour only)."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QMouseEvent, QPainter, QPaintEvent, QPen, QPolygonF
from PySide6.QtWidgets import QSizePolicy, QWidget

from shop_desk import clock
from shop_desk.i18n import translate
from shop_desk.services.field import JobView

ROW = 26
TOP = 22
LABEL = 190
WAITING = QColor("#b7bec8")
ROAD = QColor("#3b7dd8")
SITE = QColor("#2e8b57")
BACK = QColor("#8fb8ea")
LATE = QColor("#c62828")
PROMISED = QColor("#5f6670")


def day_range(rows: list[JobView], now: dt.datetime) -> tuple[dt.datetime, dt.datetime]:
    """Whole hours from the earliest moment shown to the latest: at least the working day
    (07:00–19:00) around ``now``, longer when a job started earlier or is due later."""
    start = now.replace(hour=7, minute=0, second=0, microsecond=0)
    end = now.replace(hour=19, minute=0, second=0, microsecond=0)
    moments = [now]
    for view in rows:
        job = view.job
        moments += [
            m
            for m in (
                job.dispatched_at,
                job.departed_at,
                job.required_arrival_at,
                job.promised_arrival_at,
                job.left_site_at,
            )
            if m is not None
        ]
    start = min(start, min(moments).replace(minute=0, second=0, microsecond=0))
    latest = max(moments)
    end = max(end, latest.replace(minute=0, second=0, microsecond=0) + dt.timedelta(hours=1))
    return start, end


class DayTimeline(QWidget):
    """The jobs out now over the day; a click on a line chooses that job (``chosen(id)``)."""

    chosen = Signal(int)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dayTimeline")
        self.rows: list[JobView] = []
        self.now = clock.now()
        self.start, self.end = day_range([], self.now)
        self.selected_id: int | None = None
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setMouseTracking(False)

    def set_rows(self, rows: list[JobView], now: dt.datetime) -> None:
        self.rows, self.now = list(rows), now
        self.start, self.end = day_range(self.rows, now)
        self.setFixedHeight(self.sizeHint().height())
        self.update()

    def set_selected(self, job_id: int | None) -> None:
        self.selected_id = job_id
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 - Qt's name
        return QSize(600, TOP + ROW * max(1, len(self.rows)) + 6)

    # -- geometry ---------------------------------------------------------------------------
    def x_of(self, moment: dt.datetime) -> float:
        width = max(1, self.width() - LABEL - 10)
        span = (self.end - self.start).total_seconds() or 1
        share = (moment - self.start).total_seconds() / span
        return LABEL + max(0.0, min(1.0, share)) * width

    def row_at(self, y: float) -> JobView | None:
        index = int((y - TOP) // ROW)
        return self.rows[index] if 0 <= index < len(self.rows) and y >= TOP else None

    def mousePressEvent(self, event: QMouseEvent) -> None:  # noqa: N802 - Qt's name
        view = self.row_at(event.position().y())
        if view is not None:
            self.set_selected(view.id)
            self.chosen.emit(view.id)
        super().mousePressEvent(event)

    # -- drawing ----------------------------------------------------------------------------
    def paintEvent(self, _event: QPaintEvent) -> None:  # noqa: N802 - Qt's name
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.fillRect(self.rect(), QColor("#ffffff"))
        small = QFont(self.font())
        small.setPointSizeF(max(7.0, small.pointSizeF() * 0.85))
        p.setFont(small)
        self._hours(p)
        if not self.rows:
            p.setPen(PROMISED)
            p.drawText(
                QRectF(LABEL, TOP, self.width() - LABEL, ROW),
                Qt.AlignmentFlag.AlignVCenter,
                translate("FieldUi", "Nobody is out now."),
            )
        for n, view in enumerate(self.rows):
            self._row(p, view, TOP + n * ROW)
        x = self.x_of(self.now)
        p.setPen(QPen(QColor("#222222"), 1.5))
        p.drawLine(QPointF(x, TOP - 6), QPointF(x, self.height()))
        p.end()

    def _hours(self, p: QPainter) -> None:
        hours = int((self.end - self.start).total_seconds() // 3600)
        step = 1 if hours <= 14 else 2 if hours <= 28 else 6
        p.setPen(QColor("#e3e6ea"))
        for h in range(hours + 1):
            moment = self.start + dt.timedelta(hours=h)
            x = self.x_of(moment)
            p.setPen(QColor("#e3e6ea"))
            p.drawLine(QPointF(x, TOP - 4), QPointF(x, self.height()))
            if h % step == 0:
                p.setPen(QColor("#5f6670"))
                text = moment.strftime("%H:%M") if moment.hour else moment.strftime("%m-%d")
                p.drawText(QRectF(x - 30, 0, 60, TOP - 4), Qt.AlignmentFlag.AlignCenter, text)

    def _row(self, p: QPainter, view: JobView, y: float) -> None:
        job = view.job
        if view.id == self.selected_id:
            p.fillRect(QRectF(0, y, self.width(), ROW), QColor("#dbe8f9"))
        p.setPen(QColor("#1f2328"))
        label = f"{job.number} · {view.crew[0] if view.crew else ''}"
        p.drawText(
            QRectF(6, y, LABEL - 12, ROW),
            Qt.AlignmentFlag.AlignVCenter,
            p.fontMetrics().elidedText(label, Qt.TextElideMode.ElideRight, LABEL - 12),
        )
        mid = y + ROW / 2
        bar = QRectF(0, mid - 5, 0, 10)

        def segment(start: dt.datetime | None, end: dt.datetime | None, colour: QColor) -> None:
            if start is None:
                return
            x1, x2 = self.x_of(start), self.x_of(end or self.now)
            if x2 - x1 < 1:
                x2 = x1 + 1
            p.fillRect(QRectF(x1, bar.top(), x2 - x1, bar.height()), colour)

        now = self.now
        segment(job.dispatched_at, job.departed_at or now, WAITING)
        segment(job.departed_at, job.arrived_at or now, ROAD)
        # on the road past the customer's time: that stretch is late, drawn red
        if job.departed_at is not None:
            reached = job.arrived_at or now
            if reached > job.required_arrival_at:
                segment(max(job.required_arrival_at, job.departed_at), reached, LATE)
        segment(job.arrived_at, job.left_site_at or now, SITE)
        segment(job.left_site_at, job.returned_at or now, BACK)
        # the customer's time: a red mark with a small triangle above it
        x = self.x_of(job.required_arrival_at)
        p.setPen(QPen(LATE, 2))
        p.drawLine(QPointF(x, y + 3), QPointF(x, y + ROW - 3))
        p.setBrush(LATE)
        p.drawPolygon(QPolygonF([QPointF(x - 4, y + 1), QPointF(x + 4, y + 1), QPointF(x, y + 6)]))
        p.setBrush(Qt.BrushStyle.NoBrush)
        if (
            job.promised_arrival_at is not None
            and job.promised_arrival_at != job.required_arrival_at
        ):
            x = self.x_of(job.promised_arrival_at)
            pen = QPen(PROMISED, 1.5, Qt.PenStyle.DashLine)
            p.setPen(pen)
            p.drawLine(QPointF(x, y + 3), QPointF(x, y + ROW - 3))


def legend_text() -> str:
    """What the colours and marks of the timeline mean (under it)."""
    return translate(
        "FieldUi",
        "Bar: grey waiting to set off, blue on the road (red once past the customer's time), "
        "green on site, light blue on the way back. Red mark: the customer's required arrival "
        "time; dashed mark: the promised time; black line: now.",
    )
