"""Pieces the field-service tabs share: the table set-up, coloured rows, times and spans in
words, and the way a tab reaches the main window (status line, other desks' screens)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import (
    QDate,
    QDateTime,
    QSortFilterProxyModel,
    Qt,
    QTime,
)
from PySide6.QtWidgets import QHeaderView, QLabel, QTableView, QWidget

from shop_desk.field_states import state_label
from shop_desk.i18n import join_list, translate
from shop_desk.services.field import JobView, quote_total
from shop_desk.services.field_documents import kind_label
from shop_desk.ui.shell.models import RowTableModel
from shop_desk.ui.shell.tables import (  # noqa: F401
    AMBER,
    GREEN,
    RED,
    Colour,
    ColouredModel,
    select_where,
    selected_row,
)
from shop_desk.ui.shell.tables import setup_table as shared_setup_table


def to_qdatetime(value: dt.datetime) -> QDateTime:
    return QDateTime(QDate(value.year, value.month, value.day), QTime(value.hour, value.minute))


def from_qdatetime(value: QDateTime) -> dt.datetime:
    d, t = value.date(), value.time()
    return dt.datetime(d.year(), d.month(), d.day(), t.hour(), t.minute())


def next_quarter(moment: dt.datetime, hours: float = 0) -> dt.datetime:
    """``moment`` plus ``hours``, rounded up to the next quarter of an hour (a time typed)."""
    moment = moment + dt.timedelta(hours=hours)
    moment = moment.replace(second=0, microsecond=0)
    return moment + dt.timedelta(minutes=(-moment.minute) % 15)


def clock_time(value: dt.datetime | None, today: dt.date) -> str:
    """'09:40' for today, '11-01 16:25' for another day (a narrow column), '' for None."""
    if value is None:
        return ""
    return value.strftime("%H:%M") if value.date() == today else value.strftime("%m-%d %H:%M")


def span_text(delta: dt.timedelta) -> str:
    """'25 min' / '3 h 10 min' / '2 d 4 h' for how late or how soon something is."""
    minutes = max(0, int(delta.total_seconds() // 60))
    if minutes < 60:
        return translate("FieldUi", "{n} min").format(n=minutes)
    hours, rest = divmod(minutes, 60)
    if hours < 48:
        if rest:
            return translate("FieldUi", "{h} h {m} min").format(h=hours, m=rest)
        return translate("FieldUi", "{n} h").format(n=hours)
    return translate("FieldUi", "{d} d {h} h").format(d=hours // 24, h=hours % 24)


def warranty_text(view: JobView) -> str:
    """Within warranty (free), or where the quote stands (the customer agrees first)."""
    job = view.job
    if job.within_warranty:
        return translate("FieldUi", "Within warranty (free)")
    total = quote_total(job)
    if total is None:
        return translate("FieldUi", "Outside warranty: not quoted yet")
    if job.agreed_at is None:
        return translate("FieldUi", "Quoted ¥{total}: waiting for the customer").format(
            total=f"{total:,.2f}"
        )
    return translate("FieldUi", "Quoted ¥{total}: agreed by {name}").format(
        total=f"{total:,.2f}", name=job.agreed_by_customer
    )


def customer_text(view: JobView) -> str:
    return " · ".join(x for x in (view.customer, view.vehicle) if x)


def crew_text(view: JobView) -> str:
    return join_list(view.crew) if view.crew else translate("FieldUi", "nobody yet")


def kind_text(view: JobView) -> str:
    return kind_label(view.job.kind)


def state_text(view: JobView) -> str:
    return state_label(view.job.state)


class JobModel(ColouredModel):
    """Rows of :class:`JobView`; ``colour(row)`` gives (foreground, background) or None."""


def setup_table(view: QTableView, model: RowTableModel, stretch: int) -> QSortFilterProxyModel:
    """One row selected, read-only, filterable through the returned proxy; kept in the
    service's order (the most pressing first), the whole text of a cell in its tooltip."""
    proxy = shared_setup_table(view, model, stretch, sorting=False, alternate=False, row_padding=10)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    return proxy


def fit_when_new(view: QTableView, rows: Sequence[JobView], limit: int = 170) -> None:
    """:func:`fit_columns` when other jobs are listed than at the last fitting (a timer's
    re-read of the same jobs keeps the widths the person set)."""
    ids = tuple(r.id for r in rows)
    if view.property("fittedIds") != list(ids):
        view.setProperty("fittedIds", list(ids))
        fit_columns(view, limit)


def fit_columns(view: QTableView, limit: int = 170) -> None:
    """Columns as wide as their text, none wider than ``limit`` pixels (the stretching one
    takes the rest): the list fits a 1280-pixel window without scrolling sideways."""
    view.resizeColumnsToContents()
    header = view.horizontalHeader()
    for column in range(header.count()):
        if (
            header.sectionResizeMode(column) != QHeaderView.ResizeMode.Stretch
            and view.columnWidth(column) > limit
        ):
            view.setColumnWidth(column, limit)


def host_window(widget: QWidget) -> Any:
    """The main window a tab sits in (None outside one, e.g. a tab shown alone in a test)."""
    parent = widget.parentWidget()
    while parent is not None and not hasattr(parent, "open_screen"):
        parent = parent.parentWidget()
    return parent


def say(widget: QWidget, text: str) -> None:
    """A line on the main window's status bar, when there is one."""
    window = host_window(widget)
    if window is not None:
        window.show_status(text)


def heading_label(parent: QWidget, name: str) -> QLabel:
    """The bold line above a job list that counts what is in it."""
    label = QLabel(parent)
    label.setObjectName(name)
    font = label.font()
    font.setBold(True)
    label.setFont(font)
    return label


class JobList:
    """The selected job of a tab's ``table`` and choosing one again after a re-read (mixed
    into the supervisor's job tabs)."""

    table: QTableView

    def selected(self) -> JobView | None:
        return selected_row(self.table)

    def select(self, job_id: int) -> bool:
        return select_where(self.table, lambda row: getattr(row, "id", None) == job_id)

    def reselect(self, current: JobView | None, rows: Sequence[JobView]) -> None:
        """The job chosen before the re-read again, else the first one listed."""
        if (current is None or not self.select(current.id)) and rows:
            self.table.selectRow(0)
