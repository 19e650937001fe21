"""The technician's view of their field jobs (我的外出服务), made for a tablet: large type,
buttons at least 56 px high, one job at a time, nothing to act on in a small table cell.

First the signed-in person's open field jobs as large cards
(:mod:`~shop_desk.ui.field.job_cards`); a tap opens one job: its header, the steps down the
side (:mod:`~shop_desk.ui.field.step_strip`) and four big tabs — the next step as one big
button (:mod:`~shop_desk.ui.field.step_panel`), the service report
(:mod:`~shop_desk.ui.field.report_panel`), the satisfaction survey
(:mod:`~shop_desk.ui.field.survey_panel`) and the expense claim
(:mod:`~shop_desk.ui.field.expense_panel`). Every change goes through
:mod:`shop_desk.services.field` / :mod:`shop_desk.services.expenses` as the signed-in person;
a refusal is shown in words in the banner of the job and changes nothing.

Importing this module registers the page with the main window for technicians and team
leaders (its screenshots are staged in :mod:`shop_desk.ui.shots.field_tablet`).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import (
    QButtonGroup,
    QFrame,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shop_desk.errors import ConflictError, DomainError
from shop_desk.field_states import FINAL_STATES, FieldState, state_label
from shop_desk.i18n import translate
from shop_desk.models import FieldJob, Staff
from shop_desk.roles import Role
from shop_desk.services import field
from shop_desk.services.field_documents import kind_label
from shop_desk.ui.field.expense_panel import ExpensePanel
from shop_desk.ui.field.job_cards import CARD_STYLE, JobList
from shop_desk.ui.field.report_panel import ReportPanel
from shop_desk.ui.field.step_panel import StepPanel
from shop_desk.ui.field.step_strip import StepStrip
from shop_desk.ui.field.survey_panel import SurveyPanel
from shop_desk.ui.field.tablet_common import (
    TABLET_STYLE,
    arrival_words,
    label,
    scrolling,
    set_role,
    touch_button,
    when,
)
from shop_desk.ui.shell.main_window import register_page
from shop_desk.ui.shell.widgets import ErrorBanner
from shop_desk.validation import display_plate

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow

#: The job's tabs, in order.
SECTIONS = ("step", "report", "survey", "expenses")
#: Late and overdue words follow the clock while the page is shown.
AUTO_REFRESH_MS = 60_000
#: The steps down the side (the rest of the width is the open section's).
STRIP_WIDTH = 290


class FieldTabletPage(QWidget):
    """My field jobs, and one job at a time; see the module docstring."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("fieldTabletPage")
        self.window_ = window
        self.job: FieldJob | None = None
        self.setStyleSheet(TABLET_STYLE + CARD_STYLE)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(12, 8, 12, 8)
        self.stack = QStackedWidget(self)
        outer.addWidget(self.stack)
        self.job_list = JobList(self.stack)
        self.job_list.opened.connect(self.open_job)
        self.job_list.refresh_button.clicked.connect(self.refresh)
        self.stack.addWidget(self.job_list)
        self.job_view = QWidget(self.stack)
        self.job_view.setObjectName("fieldJobView")
        self._build_job_view()
        self.stack.addWidget(self.job_view)
        self.timer = QTimer(self)
        self.timer.setInterval(AUTO_REFRESH_MS)
        self.timer.timeout.connect(self._tick)
        self.timer.start()
        self.show_list()

    @property
    def staff(self) -> Staff:
        return self.window_.staff

    # -- building ------------------------------------------------------------------------
    def _build_job_view(self) -> None:
        view = QVBoxLayout(self.job_view)
        view.setContentsMargins(0, 0, 0, 0)
        view.setSpacing(8)
        header = QFrame(self.job_view)
        header.setObjectName("jobHeader")
        head = QHBoxLayout(header)
        head.setContentsMargins(8, 6, 12, 6)
        self.back_button = touch_button(
            translate("FieldTablet", "‹ My field jobs"), header, "backButton"
        )
        self.back_button.clicked.connect(self.show_list)
        head.addWidget(self.back_button, 0, Qt.AlignmentFlag.AlignTop)
        facts = QVBoxLayout()
        facts.setSpacing(2)
        self.title_label = label("", header, "heading", "jobTitle")
        self.customer_label = label("", header, "subheading", "jobCustomer")
        self.arrival_label = label("", header, "hint", "jobArrival")
        facts.addWidget(self.title_label)
        facts.addWidget(self.customer_label)
        facts.addWidget(self.arrival_label)
        head.addLayout(facts, 1)
        self.state_label = QLabel(header)
        self.state_label.setObjectName("cardState")
        head.addWidget(self.state_label, 0, Qt.AlignmentFlag.AlignTop)
        view.addWidget(header)

        sections = QHBoxLayout()
        self.section_group = QButtonGroup(self)
        self.section_buttons: dict[str, QPushButton] = {}
        titles = {
            "step": translate("FieldTablet", "Next step"),
            "report": translate("FieldTablet", "Service report"),
            "survey": translate("FieldTablet", "Survey"),
            "expenses": translate("FieldTablet", "Expenses"),
        }
        for n, key in enumerate(SECTIONS):
            button = touch_button(titles[key], self.job_view, f"{key}SectionButton", checkable=True)
            self.section_group.addButton(button, n)
            self.section_buttons[key] = button
            sections.addWidget(button)
        self.section_group.idClicked.connect(lambda n: self.show_section(SECTIONS[n]))
        view.addLayout(sections)

        self.banner = ErrorBanner(self.job_view)
        self.banner.setObjectName("banner")
        view.addWidget(self.banner)

        body = QHBoxLayout()
        body.setSpacing(12)
        self.steps = StepStrip(self.job_view)
        strip = scrolling(self.steps, self.job_view)
        strip.setObjectName("stepsArea")
        strip.setFixedWidth(STRIP_WIDTH)
        body.addWidget(strip, 0)
        self.panels = QStackedWidget(self.job_view)
        self.step_panel = StepPanel(self)
        self.report_panel = ReportPanel(self)
        self.survey_panel = SurveyPanel(self)
        self.expense_panel = ExpensePanel(self)
        self.section_panels = {
            "step": self.step_panel,
            "report": self.report_panel,
            "survey": self.survey_panel,
            "expenses": self.expense_panel,
        }
        self.section_areas = {}
        for key, panel in self.section_panels.items():
            area = scrolling(panel, self.panels)
            area.setObjectName(f"{key}Area")
            self.section_areas[key] = area
            self.panels.addWidget(area)
        body.addWidget(self.panels, 1)
        view.addLayout(body, 1)

    # -- the list and one job ------------------------------------------------------------
    def show_list(self) -> None:
        """Back to the cards, read again."""
        self.job = None
        self.banner.clear_message()
        self.job_list.show_jobs(self.staff)
        self.stack.setCurrentWidget(self.job_list)

    def open_job(self, job_id: int) -> None:
        """Open one of the person's jobs at the section that needs them now."""
        try:
            self.job = field.crew_job(job_id, self.staff)
        except DomainError as exc:
            self.show_list()
            self.window_.show_status(str(exc))
            return
        self.banner.clear_message()
        self._fill()
        self.show_section(self.start_section())
        self.stack.setCurrentWidget(self.job_view)

    def start_section(self) -> str:
        """The next step while on the road; back at the shop what is still missing."""
        if self.job is None or field.crew_next_step(self.job):
            return "step"
        report = field.service_report_of(self.job)
        if report is None or not report.complete:
            return "report"
        if report.satisfaction is None:
            return "survey"
        return "expenses"

    def show_section(self, key: str) -> None:
        self.section_buttons[key].setChecked(True)
        self.panels.setCurrentWidget(self.section_areas[key])

    def current_section(self) -> str:
        return next(k for k, a in self.section_areas.items() if a is self.panels.currentWidget())

    def reload(self) -> None:
        """Read the open job again and show it everywhere on the page."""
        if self.job is None:
            return
        try:
            job = field.crew_job(self.job.id, self.staff)
        except DomainError as exc:
            self.show_list()
            self.window_.show_status(str(exc))
            return
        self.job = job
        if FieldState(job.state) in FINAL_STATES:
            self.show_list()
            self.window_.show_status(
                translate("FieldTablet", "Field job {number} is {state}.").format(
                    number=job.number, state=state_label(job.state)
                )
            )
            return
        self._fill()

    def _fill(self) -> None:
        job = self.job
        assert job is not None
        report = field.service_report_of(job)
        self.title_label.setText(f"{job.number} · {kind_label(job.kind)}")
        who = job.customer.name
        if job.vehicle_id is not None and job.vehicle.plate:
            who += f" · {display_plate(job.vehicle.plate)}"
        self.customer_label.setText(f"{who} · {job.place}")
        text, role = arrival_words(job)
        promised = job.promised_arrival_at
        if promised is not None and promised != job.required_arrival_at and job.arrived_at is None:
            text += " " + translate("FieldTablet", "Promised: {time}.").format(time=when(promised))
        self.arrival_label.setText(text)
        set_role(self.arrival_label, role)
        self.state_label.setText(state_label(job.state))
        next_step = field.crew_next_step(job)
        self.steps.show_job(job, report, next_step)
        self.step_panel.show_job(job)
        self.report_panel.show_job(job, report)
        self.survey_panel.show_job(job, report)
        self.expense_panel.show_job(job)

    # -- what the panels ask of the page (TabletHost) -----------------------------------
    def call(self, fn: Callable[..., Any], *args: Any, done: str = "", **kwargs: Any) -> Any:
        """Run a service as the signed-in person; a refusal goes to the banner in words."""
        self.banner.clear_message()
        try:
            result = fn(self.staff, *args, **kwargs)
        except ConflictError as exc:
            self.reload()
            self.show_error(str(exc))
            return None
        except DomainError as exc:
            self.show_error(str(exc))
            return None
        self.reload()
        if done:
            self.show_info(done)
        return result

    def show_error(self, text: str) -> None:
        self.banner.show_error(text)
        self.window_.show_status(text)

    def show_info(self, text: str) -> None:
        self.banner.show_info(text)
        self.window_.show_status(text)

    # -- the main window's calls ---------------------------------------------------------
    def refresh(self) -> None:
        """Shown again or F5: read again what is on the screen."""
        if self.job is not None:
            self.reload()
        else:
            self.show_list()

    def _tick(self) -> None:
        if self.isVisible():
            self.refresh()


register_page(
    "field_tablet",
    lambda: translate("FieldTablet", "My field jobs"),
    (Role.TECHNICIAN, Role.TEAM_LEADER),
    FieldTabletPage,
    order=26,
)
