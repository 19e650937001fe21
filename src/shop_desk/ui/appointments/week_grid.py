"""The appointment desk's week tab: a row per day (appointments, booked and free hours, load)
and the week as a slot grid (times down, days across). A double-click on a day opens it; on a
free future slot it books that slot — the page decides, through the grid's signals."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    Signal,
)
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QSplitter, QTableView, QWidget

from shop_desk import clock
from shop_desk.i18n import translate
from shop_desk.services import appointments as appt_service
from shop_desk.services.customers import vehicle_label
from shop_desk.ui.appointments.common import (
    CLOSED_COLOUR,
    FULL_COLOUR,
    PARTLY_COLOUR,
    hours_text,
    setup_table,
    weekday_name,
)
from shop_desk.ui.shell.models import Column, RowTableModel, row_of


def short_weekday(day: dt.date) -> str:
    names = (
        translate("Appointments", "Mon"),
        translate("Appointments", "Tue"),
        translate("Appointments", "Wed"),
        translate("Appointments", "Thu"),
        translate("Appointments", "Fri"),
        translate("Appointments", "Sat"),
        translate("Appointments", "Sun"),
    )
    return names[day.weekday()]


class WeekSlotModel(QAbstractTableModel):
    """The week as a slot grid: times down, the seven days across; a cell is one slot.

    Full slots are red, partly booked amber, closed days grey, past slots dimmed; the
    tooltip names the cars booked in the slot."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.days: list[appt_service.DayView] = []
        self.times: list[dt.time] = []
        self.cells: dict[tuple[int, int], appt_service.SlotView] = {}

    def set_days(self, days: list[appt_service.DayView]) -> None:
        self.beginResetModel()
        self.days = list(days)
        self.times = sorted({slot.start.time() for day in self.days for slot in day.slots})
        row_of_time = {t: n for n, t in enumerate(self.times)}
        self.cells = {
            (row_of_time[slot.start.time()], col): slot
            for col, day in enumerate(self.days)
            for slot in day.slots
        }
        self.endResetModel()

    def slot_at(self, index: QModelIndex | QPersistentModelIndex) -> Any:
        """The slot of a cell (None for a closed day or a time the day does not have)."""
        if not index.isValid():
            return None
        return self.cells.get((index.row(), index.column()))

    def day_at(self, column: int) -> dt.date | None:
        return self.days[column].date if 0 <= column < len(self.days) else None

    def rowCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.times)

    def columnCount(self, parent: QModelIndex | QPersistentModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.days)

    def headerData(
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.days):
            day = self.days[section].date
            return f"{short_weekday(day)} {day:%m-%d}"
        if orientation == Qt.Orientation.Vertical and 0 <= section < len(self.times):
            return self.times[section].strftime("%H:%M")
        return None

    @staticmethod
    def cell_text(slot: appt_service.SlotView) -> str:
        if slot.full:
            return translate("Appointments", "Full ({n})").format(n=slot.arrivals)
        if slot.arrivals:
            return translate("Appointments", "{n} booked").format(n=slot.arrivals)
        return ""

    @staticmethod
    def cell_tooltip(slot: appt_service.SlotView) -> str:
        head = translate(
            "Appointments", "{time}: {advisors} advisors free, {bays} bays free"
        ).format(
            time=slot.start.strftime("%Y-%m-%d %H:%M"),
            advisors=slot.arrivals_free,
            bays=slot.bays_free,
        )
        lines = [head]
        for appt in slot.appointments:
            lines.append(
                f"{vehicle_label(appt.vehicle)} · {appt.customer.name} · {appt.requested_work}"
            )
        return "\n".join(lines)

    def data(
        self, index: QModelIndex | QPersistentModelIndex, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if not index.isValid():
            return None
        slot = self.slot_at(index)
        if slot is None:
            if role == Qt.ItemDataRole.BackgroundRole:
                return QColor(CLOSED_COLOUR)
            if role == Qt.ItemDataRole.DisplayRole and index.row() == 0:
                return translate("Appointments", "Shop closed")
            if role == Qt.ItemDataRole.ForegroundRole:
                return QColor("#8a8a8a")
            return None
        if role == Qt.ItemDataRole.DisplayRole:
            return self.cell_text(slot)
        if role == Qt.ItemDataRole.ToolTipRole:
            return self.cell_tooltip(slot)
        if role == Qt.ItemDataRole.TextAlignmentRole:
            return int(Qt.AlignmentFlag.AlignCenter)
        if role == Qt.ItemDataRole.BackgroundRole:
            if slot.full:
                return QColor(FULL_COLOUR)
            if slot.arrivals or slot.bays_in_use:
                return QColor(PARTLY_COLOUR)
            return None
        if role == Qt.ItemDataRole.ForegroundRole and slot.start < clock.now():
            return QColor("#8a8a8a")
        return None


def load_text(day: appt_service.DaySummary) -> str:
    """The day's booked share as a bar: '█████░░░░░ 50 %'."""
    if not day.open or not day.capacity_hours:
        return ""
    percent = int(day.booked_hours * 100 / day.capacity_hours)
    return f"{'█' * (percent // 10)}{'░' * (10 - percent // 10)} {percent} %"


class WeekGrid(QObject):
    """The week tab's two tables and their models.

    ``day_opened(date, start)`` asks the page to show a day (and select the slot at ``start``,
    when not None); ``book_requested(start)`` asks it to book a free future slot."""

    day_opened = Signal(object, object)
    book_requested = Signal(object)

    def __init__(
        self,
        parent: QWidget,
        day_table: QTableView,
        slot_table: QTableView,
        splitter: QSplitter,
        may_book: bool,
    ) -> None:
        super().__init__(parent)
        self.day_table = day_table
        self.slot_table = slot_table
        self.may_book = may_book
        self.rows: list[appt_service.DaySummary] = []
        self.model = RowTableModel(
            [
                Column(lambda: translate("Appointments", "Date"), lambda d: d.date),
                Column(lambda: translate("Appointments", "Day"), lambda d: weekday_name(d.date)),
                Column(
                    lambda: translate("Appointments", "Appointments"),
                    lambda d: d.appointments,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Appointments", "Booked hours"),
                    lambda d: d.booked_hours,
                    display=hours_text,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Appointments", "Workshop hours"),
                    lambda d: d.capacity_hours,
                    display=hours_text,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Appointments", "Free hours"),
                    lambda d: d.free_hours if d.open else None,
                    display=lambda v: (
                        hours_text(v) if v is not None else translate("Appointments", "Shop closed")
                    ),
                    align_right=True,
                ),
                Column(lambda: translate("Appointments", "Load"), load_text),
            ],
            parent,
            is_dimmed=lambda d: not d.open or d.date < clock.today(),
        )
        self.proxy = setup_table(day_table, self.model, 6)
        self.slot_model = WeekSlotModel(parent)
        grid = slot_table
        grid.setModel(self.slot_model)
        grid.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        grid.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectItems)
        grid.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        grid.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        grid.horizontalHeader().setHighlightSections(False)
        grid.verticalHeader().setDefaultSectionSize(grid.fontMetrics().height() + 8)
        grid.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        grid.setWordWrap(False)
        grid.activated.connect(self._slot_activated)  # double-click or Enter
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 1)
        rows_height = 8 * (day_table.fontMetrics().height() + 8) + 8
        splitter.setSizes([rows_height, 3 * rows_height])
        day_table.doubleClicked.connect(self._day_activated)

    def refresh(self, day: dt.date) -> None:
        """Read the week of ``day`` (Monday to Sunday) and select ``day``'s row."""
        monday = day - dt.timedelta(days=day.weekday())
        days = appt_service.week_days(monday)
        self.rows = [appt_service.summary_of(view) for view in days]
        self.model.set_rows(self.rows)
        self.slot_model.set_days(days)
        self.day_table.resizeColumnsToContents()
        for r in range(self.proxy.rowCount()):
            if row_of(self.proxy, self.proxy.index(r, 0)).date == day:
                self.day_table.selectRow(r)

    def _day_activated(self, index: QModelIndex) -> None:
        day = row_of(self.proxy, index)
        if day is not None:
            self.day_opened.emit(day.date, None)

    def _slot_activated(self, index: QModelIndex) -> None:
        """A free future slot of the week is booked at once; anything else opens its day."""
        slot = self.slot_model.slot_at(index)
        if slot is not None and slot.start >= clock.now() and not slot.full and self.may_book:
            self.book_requested.emit(slot.start)
            return
        day = self.slot_model.day_at(index.column())
        if day is not None:
            self.day_opened.emit(day, slot.start if slot is not None else None)
