"""The workshop station ("My jobs"): a touch-friendly screen for technicians, team leaders,
QC inspectors, washers, the parts counter and the workshop supervisor (PROCESS.md §4–§6).

Left: the jobs of the signed-in person (dispatched to them or their team; final inspections
for an inspector; cars in the wash for a washer; parts to issue for the parts clerk).
Right: the chosen order — big action buttons for the next steps, and tabs for the clocked
labour lines, parts (request, issue, signed slip), the check-in sheet with its damage
marks, additional work and the quality checks.

Every change goes through :mod:`shop_desk.services.workshop` / :mod:`shop_desk.services.parts`;
a refusal is shown in the banner (or inside the dialog) and changes nothing. Importing this
module also registers the advisor's "Workshop notices" page
(:mod:`shop_desk.ui.station.authorisation`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QEvent, QModelIndex, QObject, Qt, QTimer
from PySide6.QtWidgets import (
    QDialog,
    QGridLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import ConflictError, DomainError
from shop_desk.i18n import translate
from shop_desk.models import RepairOrder, Staff
from shop_desk.roles import Role
from shop_desk.services import parts as parts_service
from shop_desk.services import workshop
from shop_desk.states import WORKSHOP_STATES, State, state_label
from shop_desk.ui.shell.main_window import register_page
from shop_desk.ui.shell.models import Column, RowTableModel, filter_proxy, row_of
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import ErrorBanner, allowed, app_settings, roles_text
from shop_desk.ui.shots.screenshots import ShotContext, register_screenshot, settle
from shop_desk.ui.station import authorisation as station_authorisation  # noqa: F401  (registers the "alerts" page)
from shop_desk.ui.station import reads
from shop_desk.ui.station.damage import DamageDiagram, DiagramMark
from shop_desk.ui.station.dialogs import (
    TOUCH_STYLE,
    AcceptCarDialog,
    ClockEditDialog,
    DelayDialog,
    FinalQcDialog,
    IssuePartsDialog,
    LeaderCheckDialog,
    ParkingDialog,
    PauseDialog,
    ProposeWorkDialog,
    ReceiveStockDialog,
    RequestPartsDialog,
    SelfCheckDialog,
    SendBackDialog,
    SignSlipDialog,
    big_button,
    fit_table,
    print_preview_available,
    set_flag,
    setup_table,
    show_print_preview,
    stock_text,
)
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


def _qty(value: Any) -> str:
    return "" if value is None else f"{value.normalize():f}"


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
        self.action_bar = child(f, QWidget, "actionBar")
        self.tabs = child(f, QTabWidget, "detailTabs")
        self.empty_label = child(f, QLabel, "emptyLabel")
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        f.layout().insertWidget(1, self.banner)

        self._build_jobs()
        self._build_actions()
        self._build_work_tab()
        self._build_parts_tab()
        self._build_sheet_tab()
        self._build_additional_tab()
        self._build_quality_tab()
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

    def _build_actions(self) -> None:
        """The big buttons for the order's steps; a role that cannot do a step never sees it."""
        specs: list[tuple[str, str, Callable[..., Any], Callable[[], Any]]] = [
            (
                "accept",
                translate("Station", "Accept the car…"),
                workshop.accept_car,
                self.accept_car,
            ),
            (
                "self_check",
                translate("Station", "Self-check…"),
                workshop.self_check,
                self.self_check,
            ),
            (
                "leader_check",
                translate("Station", "Team-leader check…"),
                workshop.leader_check,
                self.leader_check,
            ),
            (
                "final_qc",
                translate("Station", "Final inspection…"),
                workshop.final_qc,
                self.final_qc,
            ),
            (
                "start_wash",
                translate("Station", "Start the wash"),
                workshop.start_wash,
                self.start_wash,
            ),
            (
                "finish_wash",
                translate("Station", "Washed and parked…"),
                workshop.finish_wash,
                self.finish_wash,
            ),
            (
                "additional",
                translate("Station", "Additional work…"),
                workshop.propose_additional_work,
                self.propose_work,
            ),
            (
                "delay",
                translate("Station", "Report a delay…"),
                workshop.report_delay,
                self.report_delay,
            ),
            (
                "parking",
                translate("Station", "Parking spot…"),
                workshop.set_parking_spot,
                self.parking_spot,
            ),
            (
                "send_back",
                translate("Station", "Send back to the workshop…"),
                workshop.send_back_to_workshop,
                self.send_back,
            ),
        ]
        grid = QGridLayout(self.action_bar)
        grid.setContentsMargins(0, 4, 0, 4)
        grid.setSpacing(6)
        self.action_buttons: dict[str, QPushButton] = {}
        shown = 0
        for key, text, operation, slot in specs:
            button = big_button(text, self.action_bar, f"{key}Button")
            button.setMinimumHeight(52)
            button.clicked.connect(slot)
            self.action_buttons[key] = button
            if allowed(self.staff, operation):
                grid.addWidget(button, shown // 4, shown % 4)
                shown += 1
            else:
                button.hide()
        self.action_bar.setVisible(shown > 0)

    def _build_work_tab(self) -> None:
        f = self.form
        self.running_label = child(f, QLabel, "runningLabel")
        self.labour_view = child(f, QTableView, "labourTable")
        self.labour_model = RowTableModel(
            [
                Column(lambda: translate("Station", "Labour line"), lambda r: r.description),
                Column(
                    lambda: translate("Station", "Hours"),
                    lambda r: r.hours,
                    align_right=True,
                ),
                Column(lambda: translate("Station", "Status"), lambda r: r.status_text),
                Column(
                    lambda: translate("Station", "Clocked"),
                    lambda r: r.seconds(),
                    display=reads.hms,
                    align_right=True,
                ),
                Column(lambda: translate("Station", "Technician"), lambda r: r.technician),
                Column(
                    lambda: translate("Station", "Note"),
                    lambda r: " · ".join(
                        x
                        for x in (
                            translate("Station", "additional work")
                            if r.origin == "additional"
                            else "",
                            translate("Station", "clock edited") if r.edited else "",
                        )
                        if x
                    ),
                ),
            ],
            self,
            is_dimmed=lambda r: r.auth_state != "authorised" or r.work_state == "done",
        )
        self.labour_view.setModel(self.labour_model)
        setup_table(self.labour_view, 0, 44)
        self.labour_view.selectionModel().currentRowChanged.connect(
            lambda *_: self._labour_changed()
        )
        self.start_button = child(f, QPushButton, "startButton")
        self.pause_button = child(f, QPushButton, "pauseButton")
        self.resume_button = child(f, QPushButton, "resumeButton")
        self.finish_button = child(f, QPushButton, "finishButton")
        set_flag(self.start_button, "primary", True)
        self.start_button.clicked.connect(self.clock_start)
        self.pause_button.clicked.connect(self.clock_pause)
        self.resume_button.clicked.connect(self.clock_resume)
        self.finish_button.clicked.connect(self.clock_finish)
        self.clock_view = child(f, QTableView, "clockTable")
        self.clock_model = RowTableModel(
            [
                Column(
                    lambda: translate("Station", "Entry"),
                    lambda r: reads.clock_kind_label(r.kind),
                ),
                Column(
                    lambda: translate("Station", "Time"),
                    lambda r: r.at,
                    display=lambda v: v.strftime("%Y-%m-%d %H:%M"),
                ),
                Column(lambda: translate("Station", "Technician"), lambda r: r.technician),
                Column(lambda: translate("Station", "Reason / correction"), lambda r: r.note),
            ],
            self,
        )
        self.clock_view.setModel(self.clock_model)
        setup_table(self.clock_view, 3, 32)
        self.clock_view.setMaximumHeight(190)
        self.clock_view.selectionModel().currentRowChanged.connect(lambda *_: self._clock_changed())
        self.edited_label = child(f, QLabel, "editedLabel")
        self.edit_clock_button = child(f, QPushButton, "editClockButton")
        self.edit_clock_button.clicked.connect(self.edit_clock)

    def _build_parts_tab(self) -> None:
        f = self.form
        self.parts_view = child(f, QTableView, "partsTable")
        self.parts_model = RowTableModel(
            [
                Column(lambda: translate("Station", "Part no."), lambda r: r.part_no),
                Column(lambda: translate("Station", "Part"), lambda r: r.description),
                Column(
                    lambda: translate("Station", "Planned"),
                    lambda r: r.planned,
                    display=_qty,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Station", "Requested"),
                    lambda r: r.requested,
                    display=_qty,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Station", "Reserved"),
                    lambda r: r.reserved,
                    display=_qty,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Station", "Issued"),
                    lambda r: r.issued,
                    display=_qty,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Station", "Free in stock"),
                    lambda r: r.available,
                    display=_qty,
                    align_right=True,
                ),
                Column(lambda: translate("Station", "Bin"), lambda r: r.bin_location),
                Column(lambda: translate("Station", "Status"), lambda r: r.status_text),
            ],
            self,
            is_dimmed=lambda r: r.auth_state != "authorised",
        )
        self.parts_view.setModel(self.parts_model)
        setup_table(self.parts_view, 1, 40)
        self.parts_view.selectionModel().currentRowChanged.connect(lambda *_: self._part_changed())
        self.request_parts_button = child(f, QPushButton, "requestPartsButton")
        self.issue_parts_button = child(f, QPushButton, "issuePartsButton")
        self.parts_arrived_button = child(f, QPushButton, "partsArrivedButton")
        self.receive_stock_button = child(f, QPushButton, "receiveStockButton")
        self.stock_label = child(f, QLabel, "stockLabel")
        self.request_parts_button.clicked.connect(self.request_parts)
        self.issue_parts_button.clicked.connect(self.issue_parts)
        self.parts_arrived_button.clicked.connect(self.parts_arrived)
        self.receive_stock_button.clicked.connect(self.receive_stock)
        self.slips_view = child(f, QTableView, "slipsTable")
        self.slips_model = RowTableModel(
            [
                Column(lambda: translate("Station", "Slip no."), lambda r: r.number),
                Column(lambda: translate("Station", "Parts"), lambda r: r.items),
                Column(lambda: translate("Station", "Handed to"), lambda r: r.technician),
                Column(
                    lambda: translate("Station", "Issued"),
                    lambda r: r.issued_at,
                    display=reads.when,
                ),
                Column(
                    lambda: translate("Station", "Signed"),
                    lambda r: r.signed_at,
                    display=lambda v: reads.when(v) if v else translate("Station", "not signed"),
                ),
            ],
            self,
        )
        self.slips_view.setModel(self.slips_model)
        setup_table(self.slips_view, 1, 36)
        self.slips_view.setMaximumHeight(180)
        self.slips_view.selectionModel().currentRowChanged.connect(lambda *_: self._slip_changed())
        self.sign_slip_button = child(f, QPushButton, "signSlipButton")
        self.preview_slip_button = child(f, QPushButton, "previewSlipButton")
        self.sign_slip_button.clicked.connect(self.sign_slip)
        self.preview_slip_button.clicked.connect(self.preview_slip)

    def _build_sheet_tab(self) -> None:
        f = self.form
        self.sheet_label = child(f, QLabel, "sheetLabel")
        holder = child(f, QWidget, "diagramHolder")
        lay = QVBoxLayout(holder)
        lay.setContentsMargins(0, 0, 0, 0)
        self.diagram = DamageDiagram(holder)
        lay.addWidget(self.diagram)
        self.marks_view = child(f, QTableView, "marksTable")
        self.marks_model = RowTableModel(
            [
                Column(lambda: translate("Station", "No."), lambda m: m.number),
                Column(lambda: translate("Station", "View"), lambda m: reads.view_label(m.view)),
                Column(
                    lambda: translate("Station", "Damage"),
                    lambda m: reads.damage_kind_label(m.kind),
                ),
                Column(lambda: translate("Station", "Note"), lambda m: m.note),
                Column(
                    lambda: translate("Station", "Recorded"),
                    lambda m: (
                        translate("Station", "Workshop")
                        if m.found_in_workshop
                        else translate("Station", "At reception")
                    ),
                ),
            ],
            self,
        )
        self.marks_view.setModel(self.marks_model)
        setup_table(self.marks_view, 3, 30)

    def _build_additional_tab(self) -> None:
        f = self.form
        self.additional_label = child(f, QLabel, "additionalLabel")
        self.requests_view = child(f, QTableView, "requestsTable")
        self.requests_model = RowTableModel(
            [
                Column(
                    lambda: translate("Station", "Proposed"),
                    lambda r: r.proposed_at,
                    display=reads.when,
                ),
                Column(lambda: translate("Station", "By"), lambda r: r.proposed_by),
                Column(lambda: translate("Station", "Reason"), lambda r: r.reason),
                Column(
                    lambda: translate("Station", "Amount"),
                    lambda r: r.total,
                    align_right=True,
                ),
                Column(lambda: translate("Station", "State"), lambda r: r.state_text),
                Column(
                    lambda: translate("Station", "Customer's decision"),
                    lambda r: (
                        ""
                        if r.state == "pending"
                        else translate("Station", "{method}, {who}, {time}").format(
                            method=reads.auth_method_label(r.auth_method),
                            who=r.auth_by_customer,
                            time=reads.when(r.auth_at),
                        )
                    ),
                ),
            ],
            self,
        )
        self.requests_view.setModel(self.requests_model)
        setup_table(self.requests_view, 2, 36)
        self.requests_view.setMaximumHeight(200)
        self.requests_view.selectionModel().currentRowChanged.connect(
            lambda *_: self._request_changed()
        )
        self.request_lines_view = child(f, QTableView, "requestLinesTable")
        self.request_lines_model = RowTableModel(
            [
                Column(
                    lambda: translate("Station", "Kind"),
                    lambda r: (
                        translate("Station", "Labour")
                        if r.kind == "labour"
                        else translate("Station", "Part")
                    ),
                ),
                Column(lambda: translate("Station", "Description"), lambda r: r.description),
                Column(
                    lambda: translate("Station", "Hours / quantity"),
                    lambda r: r.amount_basis,
                    align_right=True,
                ),
                Column(
                    lambda: translate("Station", "Amount"), lambda r: r.amount, align_right=True
                ),
                Column(
                    lambda: translate("Station", "Decision"),
                    lambda r: reads.auth_state_label(r.auth_state),
                ),
            ],
            self,
            is_dimmed=lambda r: r.auth_state == "declined",
        )
        self.request_lines_view.setModel(self.request_lines_model)
        setup_table(self.request_lines_view, 1, 34)

    def _build_quality_tab(self) -> None:
        f = self.form
        self.quality_label = child(f, QLabel, "qualityLabel")
        self.qc_view = child(f, QTableView, "qcTable")
        self.qc_model = RowTableModel(
            [
                Column(lambda: translate("Station", "Round"), lambda r: r.round),
                Column(lambda: translate("Station", "Check"), lambda r: reads.stage_label(r.stage)),
                Column(
                    lambda: translate("Station", "Result"),
                    lambda r: (
                        translate("Station", "Passed")
                        if r.passed
                        else translate("Station", "Not passed")
                    ),
                ),
                Column(lambda: translate("Station", "By"), lambda r: r.by),
                Column(lambda: translate("Station", "At"), lambda r: r.at, display=reads.when),
                Column(lambda: translate("Station", "Reason / advice"), lambda r: r.text),
            ],
            self,
        )
        self.qc_view.setModel(self.qc_model)
        setup_table(self.qc_view, 5, 34)

    def _apply_roles(self) -> None:
        """Hide what the signed-in person's roles cannot use (the services refuse it anyway)."""
        staff, roles = self.staff, self.roles()
        clocking = allowed(staff, workshop.clock_start)
        for button in (
            self.start_button,
            self.pause_button,
            self.resume_button,
            self.finish_button,
        ):
            button.setVisible(clocking)
        self.edit_clock_button.setVisible(allowed(staff, workshop.edit_clock_event))
        self.request_parts_button.setVisible(allowed(staff, parts_service.request_parts))
        self.issue_parts_button.setVisible(allowed(staff, parts_service.issue_parts))
        self.parts_arrived_button.setVisible(allowed(staff, parts_service.parts_arrived))
        self.receive_stock_button.setVisible(allowed(staff, parts_service.receive_stock))
        self.sign_slip_button.setVisible(allowed(staff, parts_service.sign_issue_slip))
        self.preview_slip_button.setVisible(print_preview_available())
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
        self.action_bar.setVisible(has and any(not b.isHidden() for b in self._allowed_actions()))
        self.empty_label.setVisible(not has)
        if not has:
            self.empty_label.setText(
                translate("Station", "Choose a job on the left.")
                if self.jobs_model.rowCount()
                else translate("Station", "No jobs for you right now. New jobs appear here.")
            )
            for model in (
                self.labour_model,
                self.clock_model,
                self.parts_model,
                self.slips_model,
                self.marks_model,
                self.requests_model,
                self.request_lines_model,
                self.qc_model,
            ):
                model.set_rows([])
            return
        order = self.order
        vehicle = order.vehicle
        self.order_label.setText(
            f"{order.number} · {display_plate(vehicle.plate)} · "
            + " ".join(x for x in (vehicle.make, vehicle.model, vehicle.colour) if x)
        )
        self.order_info.setText(self._info_html(order))
        self._fill_work(order)
        self._fill_parts(order)
        self._fill_sheet(order)
        self._fill_additional(order)
        self._fill_quality(order)
        self._highlight_next(order)

    def _allowed_actions(self) -> list[QPushButton]:
        return [b for b in self.action_buttons.values() if not b.isHidden()]

    def _info_html(self, order: RepairOrder) -> str:
        from html import escape

        bits = [f"<b>{escape(state_label(order.state))}</b>"]
        priority = {
            1: translate("Station", "Urgent"),
            2: translate("Station", "Normal"),
            3: translate("Station", "Low"),
        }.get(order.priority, "")
        bits.append(translate("Station", "Priority: {p}").format(p=priority))
        if order.promised_at:
            text = translate("Station", "Promised: {when}").format(
                when=order.promised_at.strftime("%m-%d %H:%M")
            )
            if order.promised_at < clock.now() and State(order.state) != State.READY:
                text = (
                    f"<span style='color:#b3261e'><b>{escape(text)} · "
                    + escape(translate("Station", "overdue"))
                    + "</b></span>"
                )
            else:
                text = escape(text)
            bits.append(text)
        team = order.team.name if order.team_id else ""
        tech = order.technician.name if order.technician_id else ""
        if team or tech:
            bits.append(escape(" / ".join(x for x in (team, tech) if x)))
        if order.customer_waiting:
            bits.append(
                "<span style='color:#b3261e'>"
                + escape(translate("Station", "Customer waits in the lounge"))
                + "</span>"
            )
        if order.rework_count:
            bits.append(escape(translate("Station", "Rework: {n}").format(n=order.rework_count)))
        bits.append(
            escape(
                translate("Station", "Wash: yes")
                if order.free_wash
                else translate("Station", "Wash: no")
            )
        )
        if order.parking_spot:
            bits.append(
                escape(translate("Station", "Parked at {spot}").format(spot=order.parking_spot))
            )
        lines = [" · ".join(bits)]
        if order.complaint_text:
            lines.append(
                escape(
                    translate("Station", "Customer's complaint: {text}").format(
                        text=order.complaint_text
                    )
                )
            )
        if order.accepted_at:
            lines.append(
                escape(
                    translate("Station", "Accepted by {name} at {time}.").format(
                        name=order.accepted_by.name if order.accepted_by_id else "",
                        time=order.accepted_at.strftime("%m-%d %H:%M"),
                    )
                )
            )
        unsigned = [s.number for s in reads.slip_rows(order.id) if s.signed_at is None]
        if unsigned:
            lines.append(
                "<span style='color:#8a5a00'>"
                + escape(
                    translate(
                        "Station", "Parts issue slips waiting for the signature: {slips}"
                    ).format(slips=", ".join(unsigned))
                )
                + "</span>"
            )
        return "<br>".join(lines)

    def _fill_work(self, order: RepairOrder) -> None:
        keep = self.selected_labour()
        self.labour_model.set_rows(reads.labour_rows(order.id))
        fit_table(self.labour_view, 0)
        if not (
            keep
            and self._reselect(
                self.labour_view, self.labour_model, lambda r: r.line_id == keep.line_id
            )
        ):
            # the line being worked on, else the next one to do
            self._reselect(self.labour_view, self.labour_model, lambda r: r.running_since) or (
                self._reselect(
                    self.labour_view,
                    self.labour_model,
                    lambda r: r.auth_state == "authorised" and r.work_state != "done",
                )
            ) or self._reselect(self.labour_view, self.labour_model, lambda r: True)
        self._labour_changed()
        self._tick()

    def _fill_parts(self, order: RepairOrder) -> None:
        keep = self.selected_part()
        self.parts_model.set_rows(reads.part_rows(order.id))
        fit_table(self.parts_view, 1)
        if not (
            keep
            and self._reselect(
                self.parts_view, self.parts_model, lambda r: r.line_id == keep.line_id
            )
        ):
            self._reselect(self.parts_view, self.parts_model, lambda r: r.to_issue > 0) or (
                self._reselect(self.parts_view, self.parts_model, lambda r: True)
            )
        keep_slip = self.selected_slip()
        slips = reads.slip_rows(order.id)
        self.slips_model.set_rows(slips)
        fit_table(self.slips_view, 1)
        self._reselect(
            self.slips_view,
            self.slips_model,
            lambda r: (
                (keep_slip and r.slip_id == keep_slip.slip_id)
                or (not keep_slip and r.signed_at is None)
            ),
        )
        self._part_changed()
        self._slip_changed()

    def _fill_sheet(self, order: RepairOrder) -> None:
        sheet = reads.check_in_sheet(order.id)
        self.marks_model.set_rows(sheet.marks)
        fit_table(self.marks_view, 3)
        self.diagram.set_marks(
            [
                DiagramMark(m.number, m.view, m.x, m.y, m.kind, m.found_in_workshop, m.note)
                for m in sheet.marks
            ]
        )
        parts = []
        if sheet.fuel_level is not None:
            parts.append(translate("Station", "fuel {n}%").format(n=sheet.fuel_level))
        if sheet.odometer_km:
            parts.append(translate("Station", "{km} km").format(km=f"{sheet.odometer_km:,}"))
        if sheet.valuables:
            parts.append(translate("Station", "valuables: {text}").format(text=sheet.valuables))
        parts.append(reads.damage_marks_text(len(sheet.marks)))
        self.sheet_label.setText(
            " · ".join(parts)
            + "  "
            + translate("Station", "(red: at reception, blue: found in the workshop)")
        )

    def _fill_additional(self, order: RepairOrder) -> None:
        keep = self.selected_request()
        rows = reads.order_requests(order.id)
        self.requests_model.set_rows(rows)
        fit_table(self.requests_view, 2)
        pending = [r for r in rows if r.state == "pending"]
        if pending:
            text = translate(
                "Station",
                "{n} requests wait for the customer's authorisation; the service advisor records it. "
                "Do not start that work before.",
            ).format(n=len(pending))
        elif rows:
            text = translate("Station", "Every request is decided; declined lines stay on record.")
        else:
            text = translate(
                "Station", "No additional work proposed. Found something? Use Additional work…"
            )
        self.additional_label.setText(text)
        if (
            not self._reselect(
                self.requests_view,
                self.requests_model,
                lambda r: keep and r.request_id == keep.request_id,
            )
            and rows
        ):
            self.requests_view.setCurrentIndex(self.requests_model.index(0, 0))
        self._request_changed()

    def _fill_quality(self, order: RepairOrder) -> None:
        rows = reads.qc_rows(order.id)
        self.qc_model.set_rows(rows)
        fit_table(self.qc_view, 5)
        self.quality_label.setText(
            translate("Station", "Round {round}. Rework so far: {n}.").format(
                round=order.rework_count + 1, n=order.rework_count
            )
            + " "
            + translate(
                "Station",
                "Self-check by the technician → team-leader check → final inspection by the QC inspector.",
            )
        )

    def _reselect(
        self, view: QTableView, model: RowTableModel, predicate: Callable[[Any], Any]
    ) -> bool:
        for r, row in enumerate(model.rows):
            if predicate(row):
                view.setCurrentIndex(model.index(r, 0))
                return True
        return False

    def _highlight_next(self, order: RepairOrder) -> None:
        """The step due next is the blue button (a glance tells what to press)."""
        facts = reads.job_facts([order])[order.id]
        due = reads.due_step(order, facts)
        state = State(order.state)
        working = state in (State.IN_PROGRESS, State.REWORK)
        accepted = order.accepted_at is not None
        applies = {
            "accept": working and not accepted,
            "self_check": working and accepted,
            "leader_check": working and accepted,
            "final_qc": state == State.FINAL_QC,
            "start_wash": state == State.WASHING and not facts.wash_started,
            "finish_wash": state == State.WASHING,
            "additional": state
            in (*reads.WORKING, State.WAITING_PARTS, State.WAITING_AUTHORISATION),
            "delay": state in WORKSHOP_STATES and state != State.READY,
            "parking": state in (State.WASHING, State.READY),
            "send_back": state in (State.WASHING, State.READY),
        }
        for key, button in self.action_buttons.items():
            set_flag(button, "primary", key == due)
            button.setEnabled(applies.get(key, True))

    # -- selections ----------------------------------------------------------------------
    def selected_labour(self) -> reads.LabourRow | None:
        index = self.labour_view.currentIndex()
        return self.labour_model.row_at(index.row()) if index.isValid() else None

    def selected_clock(self) -> reads.ClockRow | None:
        index = self.clock_view.currentIndex()
        return self.clock_model.row_at(index.row()) if index.isValid() else None

    def selected_part(self) -> reads.PartRow | None:
        index = self.parts_view.currentIndex()
        return self.parts_model.row_at(index.row()) if index.isValid() else None

    def selected_slip(self) -> reads.SlipRow | None:
        index = self.slips_view.currentIndex()
        return self.slips_model.row_at(index.row()) if index.isValid() else None

    def selected_request(self) -> reads.RequestRow | None:
        index = self.requests_view.currentIndex()
        return self.requests_model.row_at(index.row()) if index.isValid() else None

    def select_labour(self, predicate: Callable[[reads.LabourRow], bool]) -> bool:
        return self._reselect(self.labour_view, self.labour_model, predicate)

    def select_part(self, predicate: Callable[[reads.PartRow], bool]) -> bool:
        return self._reselect(self.parts_view, self.parts_model, predicate)

    def select_slip(self, predicate: Callable[[reads.SlipRow], bool]) -> bool:
        return self._reselect(self.slips_view, self.slips_model, predicate)

    def _labour_changed(self) -> None:
        row = self.selected_labour()
        for button in (
            self.start_button,
            self.pause_button,
            self.resume_button,
            self.finish_button,
        ):
            button.setEnabled(row is not None)
        if row is not None:
            # the likely step is the blue one; the others stay usable (the service explains)
            set_flag(self.start_button, "primary", row.work_state in ("pending", "done"))
            set_flag(self.pause_button, "primary", row.work_state == "in_progress")
            set_flag(self.resume_button, "primary", row.work_state == "paused")
        self.clock_model.set_rows(reads.clock_rows(row.line_id) if row else [])
        fit_table(self.clock_view, 3)
        edited = [c for c in self.clock_model.rows if c.original_at is not None]
        self.edited_label.setText(
            translate("Station", "{n} entries of this line were corrected by a manager.").format(
                n=len(edited)
            )
            if edited
            else ""
        )
        self._clock_changed()

    def _clock_changed(self) -> None:
        self.edit_clock_button.setEnabled(self.selected_clock() is not None)

    def _part_changed(self) -> None:
        row = self.selected_part()
        self.request_parts_button.setEnabled(row is not None)
        if row is not None and row.part_id is not None:
            self.stock_label.setText(stock_text(parts_service.stock_lookup(row.part_id)))
        else:
            self.stock_label.clear()
        has_lines = any(r.auth_state == "authorised" and r.part_id for r in self.parts_model.rows)
        self.issue_parts_button.setEnabled(has_lines)
        self.parts_arrived_button.setEnabled(
            self.order is not None and State(self.order.state) == State.WAITING_PARTS
        )

    def _slip_changed(self) -> None:
        slip = self.selected_slip()
        self.sign_slip_button.setEnabled(slip is not None and slip.signed_at is None)
        self.preview_slip_button.setEnabled(slip is not None)

    def _request_changed(self) -> None:
        req = self.selected_request()
        self.request_lines_model.set_rows(req.lines if req else [])
        fit_table(self.request_lines_view, 1)

    def _tick(self) -> None:
        """The running time of clocked lines, updated every second."""
        if not self.isVisible():
            return
        rows = self.labour_model.rows
        running = [r for r in rows if r.running_since is not None]
        if running:
            col = 3
            self.labour_model.dataChanged.emit(
                self.labour_model.index(0, col), self.labour_model.index(len(rows) - 1, col)
            )
            self.running_label.setText(
                "  ".join(
                    translate("Station", "Running: {line} {time}").format(
                        line=r.description, time=reads.hms(r.seconds())
                    )
                    for r in running
                )
            )
        elif self.order is not None:
            paused = [r for r in rows if r.work_state == "paused"]
            self.running_label.setText(
                translate("Station", "Paused: {lines}").format(
                    lines=", ".join(r.description for r in paused)
                )
                if paused
                else translate("Station", "No work running on this order.")
            )

    # -- doing ---------------------------------------------------------------------------
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

    def _open(self, dialog: QDialog, done: Callable[[Any], str]) -> QDialog:
        self.dialog = dialog
        dialog.accepted.connect(lambda: self.after_change(done(dialog)))
        dialog.open()
        return dialog

    def _need_order(self) -> RepairOrder | None:
        if self.order is None:
            self.banner.show_error(translate("Station", "Choose a job first."))
            return None
        self.order = RepairOrder.get_by_id(self.order.id)
        return self.order

    # clocking
    def _line_or_say(self) -> reads.LabourRow | None:
        row = self.selected_labour()
        if row is None:
            self.banner.show_error(translate("Station", "Choose a labour line first."))
        return row

    def clock_start(self) -> None:
        row = self._line_or_say()
        if row is not None:
            self.call(
                workshop.clock_start,
                row.line_id,
                done=translate("Station", "Work started: {line}.").format(line=row.description),
            )

    def clock_pause(self) -> QDialog | None:
        row = self._line_or_say()
        if row is None:
            return None
        return self._open(
            PauseDialog(self.staff, row.line_id, row.description, self),
            lambda d: translate("Station", "Paused: {line}.").format(line=row.description),
        )

    def clock_resume(self) -> None:
        row = self._line_or_say()
        if row is not None:
            self.call(
                workshop.clock_resume,
                row.line_id,
                done=translate("Station", "Work resumed: {line}.").format(line=row.description),
            )

    def clock_finish(self) -> None:
        row = self._line_or_say()
        if row is not None:
            self.call(
                workshop.clock_finish,
                row.line_id,
                done=translate("Station", "Finished: {line}.").format(line=row.description),
            )

    def edit_clock(self) -> QDialog | None:
        row, line = self.selected_clock(), self.selected_labour()
        order = self._need_order()
        if row is None or line is None or order is None:
            return None
        return self._open(
            ClockEditDialog(self.staff, order, row, line.description, self),
            lambda d: translate("Station", "Clock time corrected; the entry is marked as edited."),
        )

    # the order's steps
    def accept_car(self) -> QDialog | None:
        order = self._need_order()
        if order is None:
            return None
        return self._open(
            AcceptCarDialog(self.staff, order, self),
            lambda d: (
                translate("Station", "Car {number} accepted.").format(number=order.number)
                + (
                    " "
                    + translate(
                        "Station", "{n} new damage marks recorded; the service advisor is told."
                    ).format(n=len(d.new_marks))
                    if d.new_marks
                    else ""
                )
            ),
        )

    def report_delay(self) -> QDialog | None:
        order = self._need_order()
        if order is None:
            return None
        return self._open(
            DelayDialog(self.staff, order, self),
            lambda d: translate(
                "Station",
                "Delay reported; the service advisor sees it now. New promised time {when}.",
            ).format(when=d.result_value.new_promised_at.strftime("%m-%d %H:%M")),
        )

    def propose_work(self) -> QDialog | None:
        order = self._need_order()
        if order is None:
            return None
        return self._open(
            ProposeWorkDialog(self.staff, order, self),
            lambda d: translate(
                "Station",
                "Additional work sent for the customer's authorisation; order {number} waits for it.",
            ).format(number=order.number),
        )

    def _work_not_done(self, order: RepairOrder, doing: str) -> bool:
        """Say which lines are not done before a check is filled in (the service refuses
        the check for the same reason, :func:`workshop.work_not_done_refusal`)."""
        if State(order.state) not in reads.WORKING:
            return False  # the service explains the state
        refusal = workshop.work_not_done_refusal(order, doing)
        if refusal is None:
            return False
        self.banner.show_error(refusal)
        self.status(refusal)
        return True

    def self_check(self) -> QDialog | None:
        order = self._need_order()
        if order is None or self._work_not_done(
            order, translate("Workshop", "record the self-check")
        ):
            return None
        return self._open(
            SelfCheckDialog(self.staff, order, self),
            lambda d: translate("Station", "Self-check recorded: {result}.").format(
                result=translate("Station", "passed")
                if d.result_value.passed
                else translate("Station", "not passed")
            ),
        )

    def leader_check(self) -> QDialog | None:
        order = self._need_order()
        if order is None or self._work_not_done(
            order, translate("Workshop", "record the team-leader check")
        ):
            return None
        return self._open(
            LeaderCheckDialog(self.staff, order, self),
            lambda d: (
                translate(
                    "Station", "Team-leader check signed; the car goes to the final inspection."
                )
                if d.result_value.passed
                else translate(
                    "Station", "Team-leader check not passed; the technician works on it again."
                )
            ),
        )

    def final_qc(self) -> QDialog | None:
        order = self._need_order()
        if order is None:
            return None

        def done(d: FinalQcDialog) -> str:
            fresh = RepairOrder.get_by_id(order.id)
            if not d.result_value.passed:
                return translate(
                    "Station", "Final inspection failed; order {number} goes back for rework ({n})."
                ).format(number=order.number, n=fresh.rework_count)
            if fresh.state == State.WASHING.value:
                return translate("Station", "Final inspection passed; the car goes to the wash.")
            return translate("Station", "Final inspection passed; the car is ready for delivery.")

        return self._open(FinalQcDialog(self.staff, order, self), done)

    def start_wash(self) -> None:
        order = self._need_order()
        if order is not None:
            self.call(
                workshop.start_wash,
                order.id,
                done=translate(
                    "Station", "Wash of {number} started; the advisor and the supervisor are told."
                ).format(number=order.number),
            )

    def finish_wash(self) -> QDialog | None:
        order = self._need_order()
        if order is None:
            return None
        return self._open(
            ParkingDialog(self.staff, order, self, finish=True),
            lambda d: translate(
                "Station", "{number} is washed and ready for delivery, parked at {spot}."
            ).format(number=order.number, spot=d.result_value.parking_spot),
        )

    def parking_spot(self) -> QDialog | None:
        order = self._need_order()
        if order is None:
            return None
        return self._open(
            ParkingDialog(self.staff, order, self, finish=False),
            lambda d: translate("Station", "{number} is parked at {spot}.").format(
                number=order.number, spot=d.result_value.parking_spot
            ),
        )

    def send_back(self) -> QDialog | None:
        order = self._need_order()
        if order is None:
            return None
        return self._open(
            SendBackDialog(self.staff, order, self),
            lambda d: translate(
                "Station", "{number} goes back to the workshop for rework; the technician sees it."
            ).format(number=order.number),
        )

    # parts
    def request_parts(self) -> QDialog | None:
        row, order = self.selected_part(), self._need_order()
        if row is None or order is None:
            if order is not None:
                self.banner.show_error(translate("Station", "Choose a part line first."))
            return None

        def done(d: RequestPartsDialog) -> str:
            result = d.result_value
            if result.short > 0:
                return translate(
                    "Station",
                    "{part}: {reserved} reserved, {short} short — the parts counter orders it.",
                ).format(
                    part=row.description, reserved=_qty(result.reserved), short=_qty(result.short)
                )
            return translate(
                "Station", "{part} requested and reserved; collect it at the parts counter."
            ).format(part=row.description)

        return self._open(RequestPartsDialog(self.staff, order, row, self), done)

    def issue_parts(self) -> QDialog | None:
        order = self._need_order()
        if order is None:
            return None

        def done(d: IssuePartsDialog) -> str:
            slip = d.result_value
            if self.auto_preview and print_preview_available():
                QTimer.singleShot(0, lambda: self._preview(order.number))
            return translate(
                "Station", "Parts issue slip {slip} made; {name} signs it on the station."
            ).format(slip=slip.number, name=slip.technician.name)

        return self._open(IssuePartsDialog(self.staff, order, self), done)

    def parts_arrived(self) -> None:
        order = self._need_order()
        if order is not None:
            self.call(
                parts_service.parts_arrived,
                order.id,
                done=translate(
                    "Station", "Parts reserved for {number}; the work can go on."
                ).format(number=order.number),
            )

    def receive_stock(self) -> QDialog:
        dialog = ReceiveStockDialog(self.staff, self)
        part = self.selected_part()
        if part is not None and part.part_id is not None:
            dialog.select_part(part.part_id)
        return self._open(dialog, lambda d: stock_text(d.result_value))

    def sign_slip(self) -> QDialog | None:
        slip = self.selected_slip()
        if slip is None:
            self.banner.show_error(translate("Station", "Choose a parts issue slip first."))
            return None
        return self._open(
            SignSlipDialog(self.staff, slip, self),
            lambda d: translate("Station", "Parts issue slip {number} signed.").format(
                number=slip.number
            ),
        )

    def preview_slip(self) -> Any:
        if self.order is not None:
            return self._preview(self.order.number)
        return None

    def _preview(self, number: str) -> Any:
        try:
            return show_print_preview(self, "parts-issue", number)
        except DomainError as exc:
            self.banner.show_error(str(exc))
            return None

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


# ---------------------------------------------------------------------------------------
# screenshots: the station as each workshop role sees it, and its dialogs


def _busiest(role: Role) -> Staff | None:
    """The person holding ``role`` with the most jobs (those with only that role first)."""
    from shop_desk.models import StaffRole

    people = list(
        Staff.select()
        .join(StaffRole)
        .where((StaffRole.role == role.value) & (Staff.active == True))  # noqa: E712
        .order_by(Staff.id)
    )
    if not people:
        return None
    jobs = {s.id: len(reads.jobs_for(s)) for s in people}
    return max(people, key=lambda s: (jobs[s.id] > 0, len(s.role_set()) == 1, jobs[s.id]))


def _as(ctx: ShotContext, staff: Staff) -> StationPage:
    window = ctx.window
    window.apply_staff(staff)
    page = window.show_page("station")
    settle()
    return page


def _pick(page: StationPage, predicate: Callable[[reads.JobRow], bool]) -> bool:
    for row in page.jobs_model.rows:
        if predicate(row):
            return page.select_order(row.order_id)
    return False


def _station_shots(ctx: ShotContext) -> None:
    window = ctx.window
    original = ctx.staff
    try:
        plan: list[tuple[str, Role, Callable[[reads.JobRow], bool], str]] = [
            ("technician", Role.TECHNICIAN, lambda r: r.state == State.IN_PROGRESS.value, "work"),
            (
                "team_leader",
                Role.TEAM_LEADER,
                lambda r: (
                    r.todo == translate("Station", "Team-leader check")
                    or r.state == State.REWORK.value
                ),
                "quality",
            ),
            ("inspector", Role.INSPECTOR, lambda r: True, "quality"),
            ("washer", Role.WASHER, lambda r: True, "sheet"),
            ("parts_clerk", Role.PARTS_CLERK, lambda r: True, "parts"),
            (
                "supervisor",
                Role.SUPERVISOR,
                lambda r: r.state == State.WAITING_AUTHORISATION.value,
                "additional",
            ),
        ]
        for name, role, predicate, tab in plan:
            staff = _busiest(role)
            if staff is None:
                continue
            page = _as(ctx, staff)
            _pick(page, predicate) or _pick(page, lambda r: r.state == State.IN_PROGRESS.value)
            page.tabs.setCurrentIndex(page.TABS.index(tab))
            settle()
            ctx.save(f"station_{name}", window)
        tech = _busiest(Role.TECHNICIAN)
        if tech is not None:
            page = _as(ctx, tech)
            if _pick(page, lambda r: r.state in (State.IN_PROGRESS.value, State.REWORK.value)):
                for key, opener in (
                    ("accept", page.accept_car),
                    ("propose", page.propose_work),
                    ("delay", page.report_delay),
                    ("self_check", page.self_check),
                ):
                    dialog = opener()
                    if dialog is not None:
                        if key == "accept":
                            dialog.add_mark("left", 0.35, 0.55)
                        if key == "propose":
                            dialog.search_edit.setText("BRK")
                            dialog.add_selected()
                            dialog.reason.setPlainText("后刹车片仅剩 2 毫米 rear pads at 2 mm")
                        settle()
                        ctx.save(f"station_dialog_{key}", dialog)
                        if isinstance(dialog, ProposeWorkDialog):
                            dialog.draft_timer.stop()  # a screenshot leaves no draft behind
                        dialog.reject()
                        settle()
                page.select_labour(lambda r: True)
                dialog = page.clock_pause()
                if dialog is not None:
                    ctx.save("station_dialog_pause", dialog)
                    dialog.reject()
        leader = _busiest(Role.TEAM_LEADER)
        if leader is not None:
            page = _as(ctx, leader)
            if _pick(page, lambda r: r.state in (State.IN_PROGRESS.value, State.REWORK.value)):
                dialog = page.leader_check()
                if dialog is not None:
                    ctx.save("station_dialog_leader_check", dialog)
                    dialog.reject()
        inspector = _busiest(Role.INSPECTOR)
        if inspector is not None:
            page = _as(ctx, inspector)
            if _pick(page, lambda r: True):
                dialog = page.final_qc()
                if dialog is not None:
                    ctx.save("station_dialog_final_qc", dialog)
                    dialog.reject()
        clerk = _busiest(Role.PARTS_CLERK)
        if clerk is not None:
            page = _as(ctx, clerk)
            if _pick(page, lambda r: True):
                dialog = page.issue_parts()
                if dialog is not None:
                    ctx.save("station_dialog_issue_parts", dialog)
                    dialog.reject()
            dialog = page.receive_stock()
            ctx.save("station_dialog_goods_received", dialog)
            dialog.reject()
        washer = _busiest(Role.WASHER)
        if washer is not None:
            page = _as(ctx, washer)
            if _pick(page, lambda r: True):
                dialog = page.finish_wash()
                if dialog is not None:
                    ctx.save("station_dialog_parking", dialog)
                    dialog.reject()
        _slip_shot(ctx)
        manager = _busiest(Role.MANAGER)
        if manager is not None:
            page = _as(ctx, manager)
            for row in page.jobs_model.rows:
                page.select_order(row.order_id)
                if page.select_labour(lambda r: r.done_seconds > 0 or r.running_since is not None):
                    page.tabs.setCurrentIndex(0)
                    page.clock_view.setCurrentIndex(page.clock_model.index(0, 0))
                    settle()
                    ctx.save("station_manager_clock", window)
                    dialog = page.edit_clock()
                    if dialog is not None:
                        ctx.save("station_dialog_clock_edit", dialog)
                        dialog.reject()
                    break
    finally:
        window.apply_staff(original)
        settle()


def _slip_shot(ctx: ShotContext) -> None:
    """The signature dialog of a slip (an unsigned one if the demo has it, else the latest)."""
    from shop_desk.models import PartsIssueSlip

    slip = (
        PartsIssueSlip.select()
        .where(PartsIssueSlip.signed_at.is_null())
        .order_by(PartsIssueSlip.id.desc())
        .first()
        or PartsIssueSlip.select().order_by(PartsIssueSlip.id.desc()).first()
    )
    if slip is None or slip.technician_id is None:
        return
    row = next(r for r in reads.slip_rows(slip.order_id) if r.slip_id == slip.id)
    dialog = SignSlipDialog(slip.technician, row, ctx.window)
    dialog.show()
    settle()
    pad = dialog.pad
    w, h = pad.width(), pad.height()
    pad.strokes = [
        [(w * (0.15 + 0.5 * t / 40), h * (0.55 - 0.25 * ((t % 10) / 10)), 0.5) for t in range(41)],
        [(w * 0.3 + 8 * t, h * 0.35 + 3 * t, 0.6) for t in range(25)],
    ]
    pad.update()
    ctx.save("station_dialog_sign_slip", dialog)
    dialog.reject()


register_screenshot("station", _station_shots)
