"""The one next action of a field job as a big button (Depart → Arrive → the customer's
agreement outside warranty → Start work → Finish work, or Cannot fix on site → Call the
service centre → Leave the site → Return to base), with what that step needs: the reason of
a late arrival and whether it was personal, the work done, what was found. Every step runs
through :mod:`shop_desk.services.field`; a refusal is shown in words in the page."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QFrame,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.i18n import join_list, translate
from shop_desk.models import FieldJob
from shop_desk.services import field
from shop_desk.services.orders import settings
from shop_desk.ui.field.agreement_step import AgreementStep
from shop_desk.ui.field.tablet_common import (
    TabletHost,
    arrival_words,
    label,
    set_role,
    text_box,
    touch_button,
    when,
)

#: The page shown once the crew has nothing left to do on the road.
DONE = "done"
CANNOT_FIX = "cannot_fix"


class StepPanel(QWidget):
    """The next step of the open job; see the module docstring."""

    def __init__(self, host: TabletHost, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepPanel")
        self.host = host
        self.job: FieldJob | None = None
        self.step = ""
        self._shown: tuple[int, str] | None = None
        # one page per step, only the current one shown: the panel is as tall as that step
        # (a stacked widget is as tall as its tallest page, so a short step would scroll)
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.pages: dict[str, QWidget] = {}
        self._current = DONE
        self._build_depart()
        self._build_arrive()
        self.agreement = AgreementStep(host, self.show_cannot_fix, self)
        self._add("agree", self.agreement)
        self._build_start()
        self._build_finish()
        self._build_cannot_fix()
        self._build_call()
        self._build_leave()
        self._build_return()
        self._build_done()
        self._show_page(DONE)

    # -- building ------------------------------------------------------------------------
    def _page(self, key: str, heading: str) -> tuple[QWidget, QVBoxLayout]:
        page = QWidget(self)
        page.setObjectName(f"step_{key}_page")
        layout = QVBoxLayout(page)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(12)
        layout.addWidget(label(heading, page, "heading", f"{key}Heading"))
        self._add(key, page)
        return page, layout

    def _add(self, key: str, page: QWidget) -> None:
        self.pages[key] = page
        self.layout_.addWidget(page)

    def _primary(self, page: QWidget, layout: QVBoxLayout, text: str, name: str) -> QPushButton:
        button = touch_button(text, page, name, "primary")
        layout.addWidget(button)
        return button

    def _cannot_fix_button(self, page: QWidget, layout: QVBoxLayout, name: str) -> QPushButton:
        button = touch_button(translate("FieldTablet", "Cannot fix on site…"), page, name, "danger")
        button.clicked.connect(self.show_cannot_fix)
        layout.addWidget(button)
        return button

    def _build_depart(self) -> None:
        page, layout = self._page("depart", translate("FieldTablet", "Next: set off"))
        self.depart_info = label("", page, "", "departInfo")
        layout.addWidget(self.depart_info)
        self.depart_button = self._primary(
            page, layout, translate("FieldTablet", "Depart now"), "departButton"
        )
        self.depart_button.clicked.connect(self.depart)
        layout.addStretch(1)

    def _build_arrive(self) -> None:
        page, layout = self._page("arrive", translate("FieldTablet", "Next: arrive on site"))
        self.arrive_info = label("", page, "", "arriveInfo")
        layout.addWidget(self.arrive_info)
        self.late_box = QFrame(page)
        self.late_box.setObjectName("lateBox")
        self.late_box.setProperty("role", "alertBox")
        box = QVBoxLayout(self.late_box)
        self.late_label = label("", self.late_box, "alert", "lateLabel")
        box.addWidget(self.late_label)
        self.late_reason_edit = text_box(
            self.late_box,
            "lateReasonEdit",
            translate("FieldTablet", "Why you are late (traffic, the weather, a breakdown…)"),
            90,
        )
        box.addWidget(self.late_reason_edit)
        self.personal_button = touch_button(
            translate("FieldTablet", "Late for a personal reason"),
            self.late_box,
            "personalButton",
            "danger",
            checkable=True,
        )
        box.addWidget(self.personal_button)
        box.addWidget(
            label(
                translate(
                    "FieldTablet",
                    "Late for a personal reason is a penalty case for everyone on the crew.",
                ),
                self.late_box,
                "hint",
            )
        )
        layout.addWidget(self.late_box)
        self.arrive_button = self._primary(
            page, layout, translate("FieldTablet", "Arrived on site"), "arriveButton"
        )
        self.arrive_button.clicked.connect(self.arrive)
        layout.addStretch(1)

    def _build_start(self) -> None:
        page, layout = self._page("start_work", translate("FieldTablet", "Next: start the work"))
        self.start_info = label("", page, "", "startInfo")
        layout.addWidget(self.start_info)
        self.start_button = self._primary(
            page, layout, translate("FieldTablet", "Start work"), "startButton"
        )
        self.start_button.clicked.connect(self.start_work)
        self._cannot_fix_button(page, layout, "cannotFixFromStartButton")
        layout.addStretch(1)

    def _build_finish(self) -> None:
        page, layout = self._page("finish_work", translate("FieldTablet", "Next: finish the work"))
        layout.addWidget(label(translate("FieldTablet", "What was done"), page, "subheading"))
        self.work_done_edit = text_box(
            page, "workDoneEdit", translate("FieldTablet", "The work done on site, in a few words")
        )
        layout.addWidget(self.work_done_edit)
        self.finish_button = self._primary(
            page, layout, translate("FieldTablet", "Work finished"), "finishButton"
        )
        self.finish_button.clicked.connect(self.finish_work)
        self._cannot_fix_button(page, layout, "cannotFixFromWorkButton")
        layout.addStretch(1)

    def _build_cannot_fix(self) -> None:
        page, layout = self._page(
            CANNOT_FIX, translate("FieldTablet", "Cannot fix on site: the car is towed in")
        )
        layout.addWidget(
            label(
                translate(
                    "FieldTablet",
                    "Say what you found. The car is towed to the workshop, where reception "
                    "opens its repair order linked to this job.",
                ),
                page,
                "hint",
            )
        )
        self.finding_edit = text_box(
            page, "findingEdit", translate("FieldTablet", "What you found")
        )
        layout.addWidget(self.finding_edit)
        self.tow_button = touch_button(
            translate("FieldTablet", "Cannot fix on site: tow it in"), page, "towButton", "danger"
        )
        self.tow_button.setMinimumHeight(72)
        self.tow_button.clicked.connect(self.cannot_fix)
        layout.addWidget(self.tow_button)
        self.back_button = touch_button(
            translate("FieldTablet", "Back to the step"), page, "backToStepButton"
        )
        self.back_button.clicked.connect(self._back_to_step)
        layout.addWidget(self.back_button)
        layout.addStretch(1)

    def _build_call(self) -> None:
        page, layout = self._page(
            "call_centre",
            translate("FieldTablet", "Next: call the service centre before you leave"),
        )
        self.call_info = label("", page, "", "callInfo")
        layout.addWidget(self.call_info)
        layout.addWidget(
            label(
                translate(
                    "FieldTablet",
                    "Leaving the site without calling the service centre is a penalty case.",
                ),
                page,
                "alert",
            )
        )
        self.call_button = self._primary(
            page, layout, translate("FieldTablet", "I called the service centre"), "callButton"
        )
        self.call_button.clicked.connect(self.call_centre)
        layout.addStretch(1)

    def _build_leave(self) -> None:
        page, layout = self._page("leave_site", translate("FieldTablet", "Next: leave the site"))
        self.leave_info = label("", page, "ok", "leaveInfo")
        layout.addWidget(self.leave_info)
        self.leave_button = self._primary(
            page, layout, translate("FieldTablet", "Leave the site"), "leaveButton"
        )
        self.leave_button.clicked.connect(self.leave_site)
        layout.addStretch(1)

    def _build_return(self) -> None:
        page, layout = self._page("return", translate("FieldTablet", "Next: return to base"))
        self.return_info = label("", page, "", "returnInfo")
        layout.addWidget(self.return_info)
        self.return_button = self._primary(
            page, layout, translate("FieldTablet", "Back at base"), "returnButton"
        )
        self.return_button.clicked.connect(self.return_to_base)
        layout.addStretch(1)

    def _build_done(self) -> None:
        page, layout = self._page(DONE, translate("FieldTablet", "Back at the shop"))
        self.done_info = label("", page, "", "doneInfo")
        layout.addWidget(self.done_info)
        layout.addStretch(1)

    # -- showing -------------------------------------------------------------------------
    def show_job(self, job: FieldJob) -> None:
        """Show the job's next step; what was typed stays while the step is the same."""
        self.job = job
        self.step = field.crew_next_step(job)
        key = self.step or DONE
        fresh = self._shown != (job.id, key)
        if fresh:
            for edit in (self.late_reason_edit, self.work_done_edit, self.finding_edit):
                edit.clear()
            self.personal_button.setChecked(False)
        self._shown = (job.id, key)
        fill = getattr(self, f"_fill_{key}", None)
        if fill is not None:
            fill(job)
        if key == "agree":
            self.agreement.show_job(job, fresh)
        # a refused towing keeps its page (and the finding typed) in view
        towing = self._current == CANNOT_FIX
        if not (towing and not fresh and key in ("agree", "start_work", "finish_work")):
            self._show_page(key)

    def _show_page(self, key: str) -> None:
        self._current = key
        for name, page in self.pages.items():
            page.setVisible(name == key)

    def current_key(self) -> str:
        return self._current

    def _fill_depart(self, job: FieldJob) -> None:
        parts = [
            f"{p.part.name} × {p.quantity_out.normalize():f}"
            for p in field.parts_out(job)
            if p.quantity_out > 0
        ]
        lines = [
            translate("FieldTablet", "To: {place}").format(place=job.place),
            translate("FieldTablet", "Service vehicle: {vehicle}").format(
                vehicle=job.service_vehicle or "—"
            ),
            translate("FieldTablet", "Tools: {tools}").format(tools=job.tools or "—"),
            translate("FieldTablet", "Parts taken out: {parts}").format(
                parts=join_list(parts) if parts else "—"
            ),
            arrival_words(job)[0],
        ]
        self.depart_info.setText("\n".join(lines))

    def _fill_arrive(self, job: FieldJob) -> None:
        text, role = arrival_words(job)
        self.arrive_info.setText(text)
        set_role(self.arrive_info, role)
        late = field.is_late(job, clock.now())
        self.late_box.setVisible(late)
        self.late_label.setText(
            translate(
                "FieldTablet", "You are late: the customer set {due}. Record why you are late."
            ).format(due=when(job.required_arrival_at))
        )

    def _fill_start_work(self, job: FieldJob) -> None:
        lines = [job.description]
        if not job.within_warranty and job.agreed_at is not None:
            lines.append(
                translate("FieldTablet", "{name} agreed to the quote at {time}.").format(
                    name=job.agreed_by_customer, time=when(job.agreed_at)
                )
            )
        elif job.within_warranty:
            lines.append(translate("FieldTablet", "Within warranty: the work is free."))
        self.start_info.setText("\n".join(lines))

    def _fill_call_centre(self, job: FieldJob) -> None:
        phone = settings().phone
        self.call_info.setText(
            translate("FieldTablet", "Service centre: {phone}").format(phone=phone)
            if phone
            else translate("FieldTablet", "Call the service centre and tell them the job is done.")
        )

    def _fill_leave_site(self, job: FieldJob) -> None:
        self.leave_info.setText(
            translate("FieldTablet", "Service centre called at {time}.").format(
                time=when(job.called_centre_at)
            )
        )

    def _fill_return(self, job: FieldJob) -> None:
        self.return_info.setText(
            translate("FieldTablet", "Left the site at {time}.").format(time=when(job.left_site_at))
        )

    def _fill_done(self, job: FieldJob) -> None:
        missing = field.closing_gaps(job)
        lines = []
        if job.towed:
            lines.append(
                translate("FieldTablet", "The car is towed in; reception opens its repair order.")
            )
        if missing:
            lines.append(
                translate(
                    "FieldTablet",
                    "The supervisor closes the job once the service report and the survey are "
                    "complete. Still missing: {missing}.",
                ).format(missing=join_list(missing))
            )
        else:
            lines.append(
                translate(
                    "FieldTablet",
                    "The service report and the survey are complete: the supervisor closes the job.",
                )
            )
        lines.append(translate("FieldTablet", "Claim your expenses under Expenses."))
        self.done_info.setText("\n".join(lines))

    def show_cannot_fix(self) -> None:
        self._show_page(CANNOT_FIX)
        self.finding_edit.setFocus()

    def _back_to_step(self) -> None:
        self._show_page(self.step or DONE)

    # -- the steps -----------------------------------------------------------------------
    def _run(self, fn, *args, done: str, **kwargs) -> object:  # noqa: ANN001 - a service
        if self.job is None:
            return None
        return self.host.call(fn, self.job.id, *args, done=done, **kwargs)

    def depart(self) -> None:
        self._run(field.depart, done=translate("FieldTablet", "Departed. Drive safely."))

    def arrive(self) -> None:
        result = self._run(
            field.arrive,
            late_reason=self.late_reason_edit.toPlainText(),
            personal=self.personal_button.isChecked(),
            done=translate("FieldTablet", "Arrived on site."),
        )
        if result is None and self.job is not None:
            # refused (late since the page was drawn): the reason box shows now
            self._fill_arrive(self.job)
            if self.late_box.isVisible():
                self.late_reason_edit.setFocus()

    def start_work(self) -> None:
        self._run(field.start_work, done=translate("FieldTablet", "Work started."))

    def finish_work(self) -> None:
        self._run(
            field.finish_work,
            self.work_done_edit.toPlainText(),
            done=translate(
                "FieldTablet", "Work finished. Call the service centre before you leave."
            ),
        )

    def cannot_fix(self) -> None:
        self._run(
            field.cannot_fix_on_site,
            self.finding_edit.toPlainText(),
            done=translate(
                "FieldTablet",
                "Recorded: the car is towed in. Call the service centre before you leave.",
            ),
        )

    def call_centre(self) -> None:
        self._run(
            field.call_centre, done=translate("FieldTablet", "Call to the service centre recorded.")
        )

    def leave_site(self) -> None:
        self._run(field.leave_site, done=translate("FieldTablet", "Left the site."))

    def return_to_base(self) -> None:
        self._run(
            field.return_to_base,
            done=translate(
                "FieldTablet", "Back at base. Hand in the service report and claim your expenses."
            ),
        )
