"""Appointments area (预约): the day's slots and capacity, the week, arrivals, preparation list.

A phone booking: Book… → find or register the customer and vehicle → pick a free slot (the
slot list shows free advisors and bays) → requested work → Save. The capacity rules live in
:mod:`shop_desk.services.appointments`; a booking beyond capacity is refused with the
service's reason, shown in the dialog with the input kept. Booked appointments can be moved,
cancelled (with a reason) or marked as no-show. The Arrivals tab lists the day's cars with a
"Check in" action for reception; the Preparation tab is the list for the next working day
(booked work, parts against stock, notes from the service archive), printable.

The page composes its tabs: :mod:`.day_list` (day and arrivals), :mod:`.week_grid`,
:mod:`.preparation` (with its print page in :mod:`.preparation_print`); the dialogs are in
:mod:`.booking`, what they share in :mod:`.common`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QStandardPaths, Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QFileDialog,
    QLabel,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.models import Appointment, Customer, Staff, Vehicle
from shop_desk.roles import Role
from shop_desk.services import appointments as appt_service
from shop_desk.services.customers import vehicle_label
from shop_desk.ui.appointments.booking import AppointmentDialog, CancelDialog, booking_for
from shop_desk.ui.appointments.common import to_qdate
from shop_desk.ui.appointments.day_list import ArrivalsList, DayList
from shop_desk.ui.appointments.preparation import PreparationPanel
from shop_desk.ui.appointments.preparation_print import arrivals_html, print_html_to, save_html_pdf
from shop_desk.ui.appointments.week_grid import WeekGrid
from shop_desk.ui.shell.main_window import register_opener, register_page
from shop_desk.ui.shell.models import row_of
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import ErrorBanner, allowed, app_settings, ask

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow


class AppointmentsPage(QWidget):
    """Day and week views with capacity, booking, arrivals with check-in, preparation list.

    ``check_in_requested(appointment_id)`` fires when an arrival is to be checked in."""

    check_in_requested = Signal(int)

    TABS = ("day", "week", "arrivals", "preparation")

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("appointmentsPage")
        self.window_ = window
        self.day = clock.today()
        self.dialog: QDialog | None = None
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.form = load_form("appointments_page", self)
        layout.addWidget(self.form)
        f = self.form
        self.date_edit = child(f, QDateEdit, "dateEdit")
        self.prev_button = child(f, QToolButton, "prevButton")
        self.next_button = child(f, QToolButton, "nextButton")
        self.today_button = child(f, QPushButton, "todayButton")
        self.book_button = child(f, QPushButton, "bookButton")
        self.move_button = child(f, QPushButton, "moveButton")
        self.cancel_button = child(f, QPushButton, "cancelButton")
        self.no_show_button = child(f, QPushButton, "noShowButton")
        self.capacity_label = child(f, QLabel, "capacityLabel")
        self.tabs = child(f, QTabWidget, "viewTabs")
        self.splitter = child(f, QSplitter, "daySplitter")
        self.slots_table = child(f, QTableView, "slotsTable")
        self.appointments_table = child(f, QTableView, "appointmentsTable")
        self.week_table = child(f, QTableView, "weekTable")
        self.week_slots_table = child(f, QTableView, "weekSlotsTable")
        self.week_splitter = child(f, QSplitter, "weekSplitter")
        self.arrivals_table = child(f, QTableView, "arrivalsTable")
        self.arrivals_label = child(f, QLabel, "arrivalsLabel")
        self.check_in_button = child(f, QPushButton, "checkInButton")
        self.print_arrivals_button = child(f, QPushButton, "printArrivalsButton")
        self.preparation_date = child(f, QDateEdit, "preparationDateEdit")
        self.preparation_summary = child(f, QLabel, "preparationSummary")
        self.preparation_view = child(f, QTextBrowser, "preparationView")
        self.print_preparation_button = child(f, QPushButton, "printPreparationButton")
        self.save_preparation_button = child(f, QPushButton, "savePreparationButton")
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        f.layout().insertWidget(2, self.banner)
        self.capacity_label.setStyleSheet("padding:2px 0; color:#33475b;")

        self.may_book = allowed(window.staff, appt_service.book_appointment)
        self.day_list = DayList(
            self, self.capacity_label, self.splitter, self.slots_table, self.appointments_table
        )
        self.week = WeekGrid(
            self, self.week_table, self.week_slots_table, self.week_splitter, self.may_book
        )
        self.arrivals = ArrivalsList(self, self.arrivals_table, self.arrivals_label)
        self.preparation = PreparationPanel(
            self, self.preparation_date, self.preparation_summary, self.preparation_view
        )
        self.day_list.book_requested.connect(lambda start: self.book(start))
        self.week.book_requested.connect(self._book_in_week)
        self.week.day_opened.connect(self._open_day)

        self.date_edit.setDate(to_qdate(self.day))
        self.date_edit.dateChanged.connect(lambda d: self.set_day(d.toPython()))
        self.prev_button.clicked.connect(lambda: self.step(-1))
        self.next_button.clicked.connect(lambda: self.step(1))
        self.today_button.clicked.connect(lambda: self.set_day(clock.today()))
        self.book_button.clicked.connect(lambda: self.book())
        self.move_button.clicked.connect(lambda: self.move_selected())
        self.cancel_button.clicked.connect(lambda: self.cancel_selected())
        self.no_show_button.clicked.connect(lambda: self.no_show_selected())
        self.check_in_button.clicked.connect(lambda: self.check_in_selected())
        self.print_arrivals_button.clicked.connect(lambda: self.print_arrivals())
        self.print_preparation_button.clicked.connect(lambda: self.print_preparation())
        self.save_preparation_button.clicked.connect(lambda: self.save_preparation_pdf())
        self.preparation_date.dateChanged.connect(lambda _d: self.refresh_preparation())
        self.appointments_table.doubleClicked.connect(lambda _i: self._open_order())
        self.arrivals_table.doubleClicked.connect(lambda _i: self.check_in_selected())
        for table in (self.appointments_table, self.arrivals_table, self.slots_table):
            table.selectionModel().currentRowChanged.connect(lambda *_: self.update_buttons())
        self.tabs.currentChanged.connect(self._tab_changed)
        book_shortcut = QShortcut(QKeySequence.StandardKey.New, self)
        book_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        book_shortcut.activated.connect(lambda: self.book())

        self.may_move = allowed(window.staff, appt_service.move_appointment)
        self.may_cancel = allowed(window.staff, appt_service.cancel_appointment)
        self.may_no_show = allowed(window.staff, appt_service.mark_no_show)
        for button, ok in (
            (self.book_button, self.may_book),
            (self.move_button, self.may_move),
            (self.cancel_button, self.may_cancel),
            (self.no_show_button, self.may_no_show),
        ):
            if not ok:
                button.setToolTip(translate("Appointments", "Your roles do not allow this."))
        last = app_settings().value("appointments/tab", "", str)
        if last in self.TABS:
            self.tabs.setCurrentIndex(self.TABS.index(last))
        self.refresh()

    @property
    def actor(self) -> Staff:
        return self.window_.staff

    # -- reading ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Re-read the day, the week, the arrivals (and the preparation list when shown)."""
        keep = self.selected_row()
        self.refresh_day()
        self.refresh_week()
        self.refresh_arrivals()
        self.preparation.stale = True
        if self.current_tab() == "preparation":
            self.refresh_preparation()
        if keep is not None:
            self.select_appointment(keep["id"])
        self.update_buttons()

    def refresh_day(self) -> None:
        self.day_list.refresh(self.day)

    def refresh_week(self) -> None:
        self.week.refresh(self.day)

    def refresh_arrivals(self) -> None:
        self.arrivals.refresh(self.day)

    def refresh_preparation(self) -> None:
        self.preparation.refresh()

    # -- navigation -------------------------------------------------------------------------
    def set_day(self, day: dt.date) -> None:
        if day == self.day and self.date_edit.date().toPython() == day:
            return
        self.day = day
        if self.date_edit.date().toPython() != day:
            self.date_edit.blockSignals(True)
            self.date_edit.setDate(to_qdate(day))
            self.date_edit.blockSignals(False)
        self.refresh()

    def step(self, direction: int) -> None:
        days = 7 if self.current_tab() == "week" else 1
        self.set_day(self.day + dt.timedelta(days=days * direction))

    def current_tab(self) -> str:
        return self.TABS[self.tabs.currentIndex()]

    def show_tab(self, key: str) -> QWidget:
        self.tabs.setCurrentIndex(self.TABS.index(key))
        return self.tabs.currentWidget()

    def _tab_changed(self, index: int) -> None:
        key = self.TABS[index]
        app_settings().setValue("appointments/tab", key)
        if key == "preparation" and self.preparation.stale:
            self.refresh_preparation()
        self.update_buttons()

    def screenshot_views(self) -> list[tuple[str, Callable[[], object]]]:
        return [(key, lambda key=key: self.show_tab(key)) for key in self.TABS]

    def _open_day(self, day: dt.date, start: dt.datetime | None) -> None:
        """A day of the week grid (and a slot in it) opened in the day tab."""
        self.set_day(day)
        self.show_tab("day")
        if start is not None:
            self.select_slot(start)

    def _book_in_week(self, start: dt.datetime) -> None:
        self.set_day(start.date())
        self.book(start)

    def select_slot(self, start: dt.datetime) -> bool:
        """Make ``start`` the current row of the day's slot table."""
        return self.day_list.select_slot(start)

    # -- selection --------------------------------------------------------------------------
    def _active_table(self) -> tuple[QTableView, Any] | None:
        tab = self.current_tab()
        if tab == "day":
            return self.appointments_table, self.day_list.appt_proxy
        if tab == "arrivals":
            return self.arrivals_table, self.arrivals.proxy
        return None

    def selected_row(self) -> dict[str, Any] | None:
        active = self._active_table()
        if active is None:
            return None
        table, proxy = active
        index = table.currentIndex()
        return row_of(proxy, index) if index.isValid() else None

    def selected_slot(self) -> dt.datetime | None:
        return self.day_list.selected_slot()

    def select_appointment(self, appointment_id: int) -> bool:
        active = self._active_table()
        if active is None:
            return False
        table, proxy = active
        for r in range(proxy.rowCount()):
            row = row_of(proxy, proxy.index(r, 0))
            if row["id"] == appointment_id:
                table.setCurrentIndex(proxy.index(r, 0))
                table.selectRow(r)
                table.scrollTo(proxy.index(r, 0))
                return True
        return False

    def update_buttons(self) -> None:
        row = self.selected_row()
        booked = row is not None and row["status_code"] == "booked"
        self.book_button.setEnabled(self.may_book)
        self.move_button.setEnabled(self.may_move and booked)
        self.cancel_button.setEnabled(self.may_cancel and booked)
        self.no_show_button.setEnabled(
            self.may_no_show and booked and row is not None and row["start"] <= clock.now()
        )
        self.check_in_button.setEnabled(booked and self.current_tab() == "arrivals")

    # -- actions ----------------------------------------------------------------------------
    def status(self, text: str) -> None:
        self.window_.show_status(text)

    def book(
        self,
        slot: dt.datetime | None = None,
        customer: Customer | None = None,
        vehicle: Vehicle | None = None,
    ) -> AppointmentDialog | None:
        """Open the booking dialog (at the chosen slot, if any)."""
        if not self.may_book:
            return None
        slot = slot or (self.selected_slot() if self.current_tab() == "day" else None)
        if slot is not None and slot < clock.now():
            slot = None
        day = self.day if self.day >= clock.today() else clock.today()
        dialog = AppointmentDialog(
            self.actor, self, day=day, slot=slot, customer=customer, vehicle=vehicle
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._booked)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _booked(self, appointment_id: int) -> None:
        appt = Appointment.get_by_id(appointment_id)
        order = appt_service.order_of(appt)
        self.set_day(appt.slot_start.date())
        self.refresh()
        self.show_tab("day")
        self.select_appointment(appointment_id)
        text = translate(
            "Appointments", "Booked: {vehicle} on {date} at {time} (order {order})."
        ).format(
            vehicle=vehicle_label(appt.vehicle),
            date=appt.slot_start.date().isoformat(),
            time=appt.slot_start.strftime("%H:%M"),
            order=order.number if order else "—",
        )
        self.banner.show_info(text)
        self.status(text)

    def move_selected(self) -> AppointmentDialog | None:
        row = self.selected_row()
        if row is None or row["status_code"] != "booked" or not self.may_move:
            return None
        appt = Appointment.get_by_id(row["id"])
        dialog = AppointmentDialog(self.actor, self, appointment=appt)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.saved.connect(self._moved)
        self.dialog = dialog
        dialog.open()
        return dialog

    def _moved(self, appointment_id: int) -> None:
        appt = Appointment.get_by_id(appointment_id)
        self.set_day(appt.slot_start.date())
        self.refresh()
        self.select_appointment(appointment_id)
        text = translate("Appointments", "Moved: {vehicle} now on {date} at {time}.").format(
            vehicle=vehicle_label(appt.vehicle),
            date=appt.slot_start.date().isoformat(),
            time=appt.slot_start.strftime("%H:%M"),
        )
        self.banner.show_info(text)
        self.status(text)

    def cancel_selected(self) -> CancelDialog | None:
        row = self.selected_row()
        if row is None or row["status_code"] != "booked" or not self.may_cancel:
            return None
        dialog = CancelDialog(self.actor, row, self)
        dialog.accepted.connect(lambda: self._cancelled(row))
        self.dialog = dialog
        dialog.open()
        return dialog

    def _cancelled(self, row: dict[str, Any]) -> None:
        self.refresh()
        text = translate("Appointments", "Cancelled: {vehicle} at {time}.").format(
            vehicle=row["vehicle"], time=row["start"].strftime("%Y-%m-%d %H:%M")
        )
        self.banner.show_info(text)
        self.status(text)

    def no_show_selected(self) -> Any:
        row = self.selected_row()
        if row is None or row["status_code"] != "booked" or not self.may_no_show:
            return None
        return ask(
            self,
            translate("Appointments", "No-show"),
            translate(
                "Appointments",
                "Mark {vehicle} ({customer}, {time}) as not come? The booked order is cancelled; "
                "this cannot be undone.",
            ).format(
                vehicle=row["vehicle"],
                customer=row["customer"],
                time=row["start"].strftime("%H:%M"),
            ),
            translate("Appointments", "Mark as no-show"),
            lambda: self.mark_no_show(row["id"]),
        )

    def mark_no_show(self, appointment_id: int) -> bool:
        try:
            appt = appt_service.mark_no_show(self.actor, appointment_id)
        except DomainError as exc:
            self.banner.show_error(str(exc))
            return False
        self.refresh()
        text = translate("Appointments", "{vehicle} marked as no-show.").format(
            vehicle=vehicle_label(appt.vehicle)
        )
        self.banner.show_info(text)
        self.status(text)
        return True

    def check_in_selected(self) -> bool:
        """Hand the arrival to reception (the main window opens it if reception is built)."""
        if self.current_tab() != "arrivals":
            return False
        row = self.selected_row()
        if row is None or row["status_code"] != "booked":
            return False
        self.check_in_requested.emit(row["id"])
        opener = getattr(self.window_, "open_reception_for_appointment", None)
        if callable(opener):
            opener(row["id"])
        else:
            self.status(
                translate(
                    "Appointments", "Check in {vehicle} at Reception (order {order})."
                ).format(vehicle=row["vehicle"], order=row["order"] or "—")
            )
        return True

    def _open_order(self) -> None:
        row = self.selected_row()
        if row is not None and row["order_id"] is not None:
            self.window_.order_opened.emit(row["order_id"])

    # -- printing ---------------------------------------------------------------------------
    def _print(self, text: str, title: str) -> QPrintDialog:
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        printer.setDocName(title)
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printDialog")
        dialog.accepted.connect(lambda: self._printed(text, printer, title))
        self.dialog = dialog
        QDialog.open(dialog)
        return dialog

    def _printed(self, text: str, printer: QPrinter, title: str) -> None:
        print_html_to(text, printer)
        self.status(translate("Appointments", "{title} sent to the printer.").format(title=title))

    def print_preparation(self) -> QPrintDialog:
        text = self.preparation.current_html()
        day = self.preparation.day()
        return self._print(
            text,
            translate("Appointments", "Preparation list {day}").format(day=day.isoformat()),
        )

    def print_arrivals(self) -> QPrintDialog:
        return self._print(
            arrivals_html(self.day, list(self.arrivals.model.rows)),
            translate("Appointments", "Appointments {day}").format(day=self.day.isoformat()),
        )

    def save_preparation_pdf(self) -> str | None:
        text = self.preparation.current_html()
        day = self.preparation.day()
        store = app_settings()
        folder = str(store.value("print/last_folder", "", str) or "")
        if not folder or not Path(folder).is_dir():
            folder = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
        path, _ = QFileDialog.getSaveFileName(
            self,
            translate("Appointments", "Save as PDF"),
            str(Path(folder) / f"preparation_{day.isoformat()}.pdf"),
            translate("Appointments", "PDF documents (*.pdf)"),
        )
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            save_html_pdf(text, path)
        except OSError as exc:
            self.banner.show_error(str(exc))
            return None
        store.setValue("print/last_folder", str(Path(path).parent))
        text = translate("Appointments", "Saved as {path}.").format(path=path)
        self.banner.show_info(text)
        self.status(text)
        return path


register_page(
    "appointments",
    lambda: translate("Appointments", "Appointments"),
    (Role.ADVISOR, Role.CRM_CLERK, Role.MANAGER),
    AppointmentsPage,
)
register_opener("book_appointment", booking_for)
