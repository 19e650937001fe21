"""The appointment desk's preparation tab: the list for a working day (booked work, parts
against stock, notes from the service archive), shown as the page it prints."""

from __future__ import annotations

import datetime as dt

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QDateEdit, QLabel, QTextBrowser, QWidget

from shop_desk import clock
from shop_desk.i18n import translate
from shop_desk.services import appointments as appt_service
from shop_desk.ui.appointments.common import next_working_day, to_qdate
from shop_desk.ui.appointments.preparation_print import preparation_html


class PreparationPanel(QObject):
    """The preparation list of the day in ``date_edit`` (the next working day at first).

    It is read when shown: the page marks it stale on every change and asks for it when the
    tab is visible or the list is printed."""

    def __init__(
        self, parent: QWidget, date_edit: QDateEdit, summary: QLabel, view: QTextBrowser
    ) -> None:
        super().__init__(parent)
        self.date_edit = date_edit
        self.summary = summary
        self.view = view
        self.items: list[appt_service.PreparationItem] = []
        self.stale = True
        date_edit.setDate(to_qdate(next_working_day(clock.today())))

    def day(self) -> dt.date:
        return self.date_edit.date().toPython()

    def refresh(self) -> None:
        day = self.day()
        items = appt_service.preparation_list(day)
        self.items = items
        self.view.setHtml(preparation_html(day, items))
        short = sum(1 for i in items if i.parts_short)
        self.summary.setText(
            (
                translate("Appointments", "1 booked car, {short} with parts short")
                if len(items) == 1
                else translate("Appointments", "{n} booked cars, {short} with parts short")
            ).format(n=len(items), short=short)
        )
        self.stale = False

    def current_html(self) -> str:
        """The list as shown (read first if stale), for printing or a PDF."""
        if self.stale:
            self.refresh()
        return self.view.toHtml()
