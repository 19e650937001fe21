"""The workshop station ("My jobs"): a touch-friendly screen for technicians, team leaders,
QC inspectors, washers, the parts counter and the workshop supervisor (PROCESS.md §4–§6).

Left: the jobs of the signed-in person (dispatched to them or their team; final inspections
for an inspector; cars in the wash for a washer; parts to issue for the parts clerk).
Right: the chosen order — big action buttons for the next steps
(:mod:`~shop_desk.ui.station.actions`), and tabs for the clocked labour lines
(:mod:`~shop_desk.ui.station.tab_work`), parts: request, issue, signed slip
(:mod:`~shop_desk.ui.station.tab_parts`), the check-in sheet with its damage marks
(:mod:`~shop_desk.ui.station.tab_sheet`), additional work
(:mod:`~shop_desk.ui.station.tab_additional`) and the quality checks
(:mod:`~shop_desk.ui.station.tab_checks`). The page keeps the job list and the chosen order;
its parts run their steps through it (:class:`~shop_desk.ui.station.common.StationHost`).

Every change goes through :mod:`shop_desk.services.workshop` / :mod:`shop_desk.services.parts`;
a refusal is shown in the banner (or inside the dialog) and changes nothing. Importing this
module also registers the advisor's "Workshop notices" page
(:mod:`shop_desk.ui.station.authorisation`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shop_desk.errors import ConflictError, DomainError
from shop_desk.i18n import translate
from shop_desk.models import RepairOrder, Staff
from shop_desk.roles import Role
from shop_desk.states import State, state_label
from shop_desk.ui.shell.main_window import register_page
from shop_desk.ui.shell.models import Column, RowTableModel, filter_proxy, row_of
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import ErrorBanner, app_settings, roles_text
from shop_desk.ui.station import authorisation as station_authorisation  # noqa: F401  (registers the "alerts" page)
from shop_desk.ui.station import reads
from shop_desk.ui.station.actions import ActionBar
from shop_desk.ui.station.common import TOUCH_STYLE, StationTab, fit_table, setup_table
from shop_desk.ui.station.order_info import order_info_html
from shop_desk.ui.station.parts_counter import CounterBar
from shop_desk.ui.station.tab_additional import AdditionalTab
from shop_desk.ui.station.tab_checks import ChecksTab
from shop_desk.ui.station.tab_parts import PartsTab
from shop_desk.ui.station.tab_sheet import SheetTab
from shop_desk.ui.station.tab_work import WorkTab
from shop_desk.validation import display_plate

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow

#: Roles that see the station (a manager for clock corrections and a look at the floor).
STATION_ROLES = (
    Role.TECHNICIAN,
    Role.TEAM_LEADER,
    Role.INSPECTOR,
    Role.WASHER,
    Role.PARTS_CLERK,
    Role.SUPERVISOR,
    Role.MANAGER,
)
TECH_ROLES = {Role.TECHNICIAN.value, Role.TEAM_LEADER.value}
FLOOR_ROLES = {Role.SUPERVISOR.value, Role.MANAGER.value}
AUTO_REFRESH_MS = 30_000

T = TypeVar("T", bound=StationTab)


class StationPage(QWidget):
    """My jobs and the chosen job's steps; see the module docstring."""

    TABS = ("work", "parts", "sheet", "additional", "quality")

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("stationPage")
        self.window_ = window
        self.order: RepairOrder | None = None
        self.dialog: QWidget | None = None
        self.auto_preview = True
        self.setStyleSheet(TOUCH_STYLE)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.form = load_form("station_page", self)
        outer.addWidget(self.form)
        f = self.form
        self.title_label = child(f, QLabel, "titleLabel")
        self.who_label = child(f, QLabel, "whoLabel")
        self.refresh_button = child(f, QPushButton, "refreshButton")
        self.filter_edit = child(f, QLineEdit, "filterEdit")
        self.jobs_view = child(f, QTableView, "jobsTable")
        self.count_label = child(f, QLabel, "countLabel")
        self.splitter = child(f, QSplitter, "splitter")
        self.order_label = child(f, QLabel, "orderLabel")
        self.order_info = child(f, QLabel, "orderInfoLabel")
        self.order_info.setTextFormat(Qt.TextFormat.RichText)
        self.tabs = child(f, QTabWidget, "detailTabs")
        self.empty_label = child(f, QLabel, "emptyLabel")
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        f.layout().insertWidget(1, self.banner)

        self._build_jobs()
        self.counter = CounterBar(self, f)
        header = f.findChild(QHBoxLayout, "headerLayout")
        header.insertWidget(header.indexOf(self.refresh_button), self.counter)
        # the action bar takes the place the form keeps for it
        placeholder = child(f, QWidget, "actionBar")
        self.actions = ActionBar(self, placeholder.parentWidget())
        placeholder.parentWidget().layout().replaceWidget(placeholder, self.actions)
        placeholder.setParent(None)
        placeholder.deleteLater()
        # each tab takes over its page of the form
        self.work = self._adopt("workTab", WorkTab)
        self.parts = self._adopt("partsTab", PartsTab)
        self.sheet = self._adopt("sheetTab", SheetTab)
        self.additional = self._adopt("additionalTab", AdditionalTab)
        self.checks = self._adopt("qualityTab", ChecksTab)
        self.detail_tabs: tuple[StationTab, ...] = (
            self.work,
            self.parts,
            self.sheet,
            self.additional,
            self.checks,
        )
        self._apply_roles()

        self.tick = QTimer(self)
        self.tick.setInterval(1000)
        self.tick.timeout.connect(self._tick)
        self.tick.start()
        self.auto_refresh = QTimer(self)
        self.auto_refresh.setInterval(AUTO_REFRESH_MS)
        self.auto_refresh.timeout.connect(self._auto_refresh)
        self.auto_refresh.start()
        self.refresh_button.clicked.connect(self.refresh)
        state = app_settings().value("station/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([420, 860])
        self.splitter.splitterMoved.connect(
            lambda *_: app_settings().setValue("station/splitter", self.splitter.saveState())
        )
        last_tab = app_settings().value("station/tab", "", str)
        if last_tab in self.TABS and self.tabs.isTabVisible(self.TABS.index(last_tab)):
            self.tabs.setCurrentIndex(self.TABS.index(last_tab))
        self.tabs.currentChanged.connect(
            lambda i: app_settings().setValue("station/tab", self.TABS[i])
        )
        self.refresh()

    # -- who and what --------------------------------------------------------------------
    @property
    def staff(self) -> Staff:
        return self.window_.staff

    def roles(self) -> set[str]:
        return self.staff.role_set()

    def status(self, text: str) -> None:
        self.window_.show_status(text)

    def show_error(self, text: str) -> None:
        self.banner.show_error(text)

    # -- building ------------------------------------------------------------------------
    def _build_jobs(self) -> None:
        self.jobs_model = RowTableModel(
            [
                Column(lambda: translate("Station", "Order"), lambda r: r.number),
                Column(lambda: translate("Station", "Plate"), lambda r: r.plate),
                Column(lambda: translate("Station", "To do"), lambda r: r.todo),
                Column(
                    lambda: translate("Station", "Promised"),
                    lambda r: r.promised_at,
                    display=reads.when,
                ),
                Column(
                    lambda: translate("Station", "Priority"),
                    lambda r: r.priority,
                    display=lambda p: {
                        1: translate("Station", "Urgent"),
                        2: translate("Station", "Normal"),
                        3: translate("Station", "Low"),
                    }.get(p, str(p)),
                ),
                Column(lambda: translate("Station", "Vehicle"), lambda r: r.vehicle),
                Column(lambda: translate("Station", "State"), lambda r: state_label(r.state)),
                Column(lambda: translate("Station", "Team"), lambda r: r.team),
            ],
            self,
            is_dimmed=lambda r: r.state in (State.WAITING_PARTS, State.WAITING_AUTHORISATION),
        )
        self.jobs_proxy = filter_proxy(self.jobs_model, self)
        self.jobs_view.setModel(self.jobs_proxy)
        setup_table(self.jobs_view, 2, 44)
        self.jobs_view.setSortingEnabled(False)
        self.jobs_view.selectionModel().currentRowChanged.connect(self._job_changed)
        self.filter_edit.textChanged.connect(self._filter)
        self.jobs_view.installEventFilter(self)

    #: Job columns shown only when the list is wide (the order panel shows them anyway).
    WIDE_COLUMNS = (5, 6, 7)  # vehicle, state, team
    WIDE_FROM = 760

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.jobs_view and event.type() == QEvent.Type.Resize:
            self._fit_job_columns()
        return super().eventFilter(watched, event)

    def _fit_job_columns(self) -> None:
        """A narrow list keeps order, plate, to-do, time and priority without scrolling."""
        narrow = self.jobs_view.width() < self.WIDE_FROM
        for column in self.WIDE_COLUMNS:
            self.jobs_view.setColumnHidden(column, narrow)

    def _adopt(self, name: str, make: Callable[[QWidget, Any], T]) -> T:
        """Put the tab widget made by ``make`` in place of the form's tab page ``name``
        (same position and title; the page's widgets live on inside it)."""
        body = child(self.form, QWidget, name)
        index = self.tabs.indexOf(body)
        title = self.tabs.tabText(index)
        self.tabs.removeTab(index)
        tab = make(body, self)
        self.tabs.insertTab(index, tab, title)
        return tab

    def _apply_roles(self) -> None:
        """Show the tabs the signed-in person's roles use, their own tab first."""
        staff, roles = self.staff, self.roles()
        tech_or_floor = bool(roles & (TECH_ROLES | FLOOR_ROLES))
        visible = {
            "work": tech_or_floor,
            "parts": tech_or_floor or Role.PARTS_CLERK.value in roles,
            "sheet": True,
            "additional": tech_or_floor or Role.INSPECTOR.value in roles,
            "quality": True,
        }
        for n, key in enumerate(self.TABS):
            self.tabs.setTabVisible(n, visible[key])
        self.who_label.setText(f"{staff.name} · {roles_text(roles)}")
        if roles & TECH_ROLES:
            first = "work"
        elif Role.PARTS_CLERK.value in roles:
            first = "parts"
        elif Role.INSPECTOR.value in roles:
            first = "quality"
        else:
            first = "sheet"
        self.tabs.setCurrentIndex(self.TABS.index(first))

    def show_tab(self, key: str) -> None:
        """Bring tab ``key`` (one of :attr:`TABS`) to the front."""
        self.tabs.setCurrentIndex(self.TABS.index(key))

    # -- reading -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the jobs again and the chosen order (keeps the selection and the filter)."""
        keep = self.order.id if self.order is not None else None
        rows = reads.jobs_for(self.staff)
        self.jobs_view.selectionModel().blockSignals(True)
        self.jobs_model.set_rows(rows)
        self.jobs_view.selectionModel().blockSignals(False)
        fit_table(self.jobs_view, 2, 200)
        self._fit_job_columns()
        self._update_count()
        if keep is not None and self.select_order(keep):
            return
        if keep is not None:
            self.show_order(keep)  # no longer in my list (e.g. washed): still show the result
        elif self.jobs_proxy.rowCount():
            self.jobs_view.selectRow(0)
            self.jobs_view.setCurrentIndex(self.jobs_proxy.index(0, 0))
        else:
            self.show_order(None)

    def _auto_refresh(self) -> None:
        """Pick up new dispatches and changes from other stations (not while a dialog is open)."""
        if not self.isVisible() or (self.dialog is not None and _alive(self.dialog)):
            return
        self.refresh()

    def _filter(self, text: str) -> None:
        self.jobs_proxy.setFilterFixedString(text.strip())
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.jobs_proxy.rowCount(), self.jobs_model.rowCount()
        self.count_label.setText(
            translate("Station", "Jobs: {n}").format(n=total)
            if shown == total
            else translate("Station", "Jobs: {shown} of {n}").format(shown=shown, n=total)
        )

    def job_rows(self) -> list[reads.JobRow]:
        """The jobs listed, in the list's order."""
        return list(self.jobs_model.rows)

    def select_order(self, order_id: int) -> bool:
        """Select the job row of ``order_id`` (and show it); False when it is not in the list."""
        for r in range(self.jobs_proxy.rowCount()):
            index = self.jobs_proxy.index(r, 0)
            row = row_of(self.jobs_proxy, index)
            if row is not None and row.order_id == order_id:
                if self.jobs_view.currentIndex().row() == r:
                    self.show_order(order_id)
                else:
                    self.jobs_view.setCurrentIndex(index)
                self.jobs_view.scrollTo(index)
                return True
        return False

    def _job_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        row = row_of(self.jobs_proxy, current)
        new_id = row.order_id if row is not None else None
        if self.order is None or self.order.id != new_id:
            self.banner.clear_message()  # a message belongs to the job it was about
        self.show_order(new_id)

    def show_order(self, order_id: int | None) -> None:
        """Fill the right-hand side with one order (None: nothing chosen)."""
        self.order = RepairOrder.get_or_none(RepairOrder.id == order_id) if order_id else None
        has = self.order is not None
        for widget in (self.order_label, self.order_info, self.tabs):
            widget.setVisible(has)
        self.actions.setVisible(has and self.actions.has_buttons())
        self.empty_label.setVisible(not has)
        if not has:
            self.empty_label.setText(
                translate("Station", "Choose a job on the left.")
                if self.jobs_model.rowCount()
                else translate("Station", "No jobs for you right now. New jobs appear here.")
            )
            for tab in self.detail_tabs:
                tab.clear()
            return
        order = self.order
        vehicle = order.vehicle
        self.order_label.setText(
            f"{order.number} · {display_plate(vehicle.plate)} · "
            + " ".join(x for x in (vehicle.make, vehicle.model, vehicle.colour) if x)
        )
        self.order_info.setText(order_info_html(order))
        for tab in self.detail_tabs:
            tab.fill(order)
        self._tick()
        self.actions.show_order(order)

    def _tick(self) -> None:
        """The running time of clocked lines, updated every second while the page is shown."""
        if self.isVisible():
            self.work.tick()

    # -- doing (for the tabs and the action bar: :class:`~.common.StationHost`) ----------
    def call(self, fn: Callable[..., Any], *args: Any, done: str = "", **kwargs: Any) -> Any:
        """Run a service as the signed-in person; a refusal goes to the banner."""
        self.banner.clear_message()
        try:
            result = fn(self.staff, *args, **kwargs)
        except ConflictError as exc:
            self.refresh()
            self.banner.show_error(str(exc))
            return None
        except DomainError as exc:
            self.banner.show_error(str(exc))
            self.status(str(exc))
            return None
        self.after_change(done)
        return result

    def after_change(self, message: str) -> None:
        self.refresh()
        if message:
            self.banner.show_info(message)
            self.status(message)

    def open_dialog(self, dialog: QDialog, done: Callable[[Any], str]) -> QDialog:
        """Open ``dialog``; when accepted, read everything again and say ``done(dialog)``."""
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.after_change(done(dialog)))
        dialog.open()
        return dialog

    def need_order(self) -> RepairOrder | None:
        """The chosen order read afresh, or None (and the banner says to choose one)."""
        if self.order is None:
            self.banner.show_error(translate("Station", "Choose a job first."))
            return None
        self.order = RepairOrder.get_by_id(self.order.id)
        return self.order

    # -- screenshots ---------------------------------------------------------------------
    def screenshot_views(self) -> list[tuple[str, Callable[[], object]]]:
        return [
            (key, lambda n=n: self.tabs.setCurrentIndex(n))
            for n, key in enumerate(self.TABS)
            if self.tabs.isTabVisible(n)
        ]


def _alive(widget: QWidget) -> bool:
    try:
        return widget.isVisible()
    except RuntimeError:
        return False


register_page(
    "station",
    lambda: translate("Station", "My jobs"),
    STATION_ROLES,
    StationPage,
    order=25,
)
