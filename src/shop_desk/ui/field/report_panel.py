"""The service report (售后服务报告单) on the tablet: fault cause, solution, the parts
replaced by name (the parts taken out for the job are one-tap choices) and the customer's
opinion. What is still missing shows while it is written; handing in an incomplete report
is a penalty case (asked first) and keeps the job from being closed."""

from __future__ import annotations

from decimal import Decimal

from PySide6.QtWidgets import QGridLayout, QPlainTextEdit, QPushButton, QWidget

from shop_desk.field_states import FieldState
from shop_desk.i18n import current_language, join_list, translate
from shop_desk.models import FieldJob, ServiceReport
from shop_desk.services import field
from shop_desk.ui.field.tablet_common import (
    TabletHost,
    TabletPanel,
    label,
    set_role,
    text_box,
    touch_button,
    when,
)
from shop_desk.ui.shell.widgets import ask

CHIP_COLUMNS = 3


def part_choice(name: str, used: Decimal) -> str:
    """A part as the report names it: the name, and how many when more than one."""
    return name if used == 1 else f"{name} × {used.normalize():f}"


class ReportPanel(TabletPanel):
    """See the module docstring."""

    def __init__(self, host: TabletHost, parent: QWidget | None = None) -> None:
        super().__init__(
            host,
            parent,
            "reportPanel",
            translate("FieldTablet", "Service report"),
            "reportStatus",
        )
        layout = self.outer
        # what is still missing stays in sight at the top while the report is written
        self.gaps_label = label("", self, "alert", "reportGaps")
        layout.addWidget(self.gaps_label)
        form = self.make_form(6)
        form.addWidget(label(translate("FieldTablet", "Fault cause"), self.form, "subheading"))
        self.cause_edit = text_box(
            self.form, "faultCauseEdit", translate("FieldTablet", "What caused the fault"), 72, 96
        )
        form.addWidget(self.cause_edit)
        form.addWidget(label(translate("FieldTablet", "Solution"), self.form, "subheading"))
        self.solution_edit = text_box(
            self.form, "solutionEdit", translate("FieldTablet", "How it was solved"), 72, 96
        )
        form.addWidget(self.solution_edit)
        form.addWidget(
            label(translate("FieldTablet", "Parts replaced (by name)"), self.form, "subheading")
        )
        self.chips_hint = label(
            translate("FieldTablet", "Parts taken out for this job: tap one to add it."),
            self.form,
            "hint",
        )
        form.addWidget(self.chips_hint)
        self.chips = QWidget(self.form)
        self.chips_layout = QGridLayout(self.chips)
        self.chips_layout.setContentsMargins(0, 0, 0, 0)
        self.chip_buttons: list[QPushButton] = []
        form.addWidget(self.chips)
        self.parts_edit = text_box(
            self.form,
            "partsReplacedEdit",
            translate("FieldTablet", "None, or the parts by name"),
            72,
            96,
        )
        form.addWidget(self.parts_edit)
        form.addWidget(
            label(translate("FieldTablet", "Customer's opinion"), self.form, "subheading")
        )
        self.opinion_edit = text_box(
            self.form, "opinionEdit", translate("FieldTablet", "What the customer says"), 72, 96
        )
        form.addWidget(self.opinion_edit)
        layout.addWidget(self.form)
        self.submit_button = touch_button(
            translate("FieldTablet", "Hand in the service report"),
            self,
            "submitReportButton",
            "primary",
        )
        self.submit_button.clicked.connect(self.submit)
        layout.addWidget(self.submit_button)
        layout.addStretch(1)
        for edit in self.edits():
            edit.textChanged.connect(self.update_gaps)

    def edits(self) -> list[QPlainTextEdit]:
        return [self.cause_edit, self.solution_edit, self.parts_edit, self.opinion_edit]

    def texts(self) -> list[str]:
        return [e.toPlainText() for e in self.edits()]

    # -- showing -------------------------------------------------------------------------
    def show_job(self, job: FieldJob, report: ServiceReport | None) -> None:
        self.job = job
        open_ = FieldState(job.state) in field.REPORT_STATES
        if self._loaded != job.id:
            self._loaded = job.id
            values = (
                [
                    report.fault_cause,
                    report.solution,
                    report.parts_replaced,
                    report.customer_opinion,
                ]
                if report is not None
                else ["", "", "", ""]
            )
            for edit, value in zip(self.edits(), values, strict=True):
                edit.setPlainText(value)
        self._fill_chips(job)
        self.form.setEnabled(open_)
        self.submit_button.setEnabled(open_)
        if not open_:
            self.status_label.setText(
                translate("FieldTablet", "The service report is written once the work is finished.")
            )
            set_role(self.status_label, "hint")
        elif report is None:
            self.status_label.setText(translate("FieldTablet", "Not handed in yet."))
            set_role(self.status_label, "hint")
        elif report.complete:
            self.status_label.setText(
                translate("FieldTablet", "Handed in complete at {time}.").format(
                    time=when(report.written_at)
                )
            )
            set_role(self.status_label, "ok")
        else:
            self.status_label.setText(
                translate(
                    "FieldTablet",
                    "Handed in incomplete at {time}: complete it and hand it in again.",
                ).format(time=when(report.written_at))
            )
            set_role(self.status_label, "alert")
        self.update_gaps()

    def _fill_chips(self, job: FieldJob) -> None:
        for button in self.chip_buttons:
            button.setParent(None)
            button.deleteLater()
        self.chip_buttons = []
        parts = [p for p in field.parts_out(job) if p.quantity_used > 0]
        for n, out in enumerate(parts):
            choice = part_choice(out.part.name, out.quantity_used)
            button = touch_button(choice, self.chips, f"partChip{n}")
            button.setToolTip(out.part.part_no)
            button.clicked.connect(lambda _=False, text=choice: self.add_part(text))
            self.chips_layout.addWidget(button, n // CHIP_COLUMNS, n % CHIP_COLUMNS)
            button.show()
            self.chip_buttons.append(button)
        self.chips.setVisible(bool(parts))
        self.chips_hint.setVisible(bool(parts))

    def add_part(self, text: str) -> None:
        """Add a part taken out to the parts replaced (once)."""
        current = self.parts_edit.toPlainText().strip()
        if text in current:
            return
        sep = "、" if current_language().startswith("zh") else ", "
        self.parts_edit.setPlainText(f"{current}{sep}{text}" if current else text)

    def gaps(self) -> list[str]:
        if self.job is None:
            return []
        return field.draft_report_gaps(self.job, *self.texts())

    def update_gaps(self) -> None:
        missing = self.gaps()
        if missing:
            self.gaps_label.setText(
                translate("FieldTablet", "Still missing: {missing}.").format(
                    missing=join_list(missing)
                )
            )
            set_role(self.gaps_label, "alert")
        else:
            self.gaps_label.setText(translate("FieldTablet", "The report is complete."))
            set_role(self.gaps_label, "ok")

    # -- handing in ----------------------------------------------------------------------
    def submit(self) -> None:
        missing = self.gaps()
        if not missing:
            self._hand_in()
            return
        ask(
            self,
            translate("FieldTablet", "Incomplete service report"),
            translate(
                "FieldTablet",
                "Still missing: {missing}. An incomplete report is a penalty case and the job "
                "cannot be closed until it is complete. Hand it in anyway?",
            ).format(missing=join_list(missing)),
            translate("FieldTablet", "Hand in incomplete"),
            self._hand_in,
        )

    def _hand_in(self) -> None:
        if self.job is None:
            return
        self.host.call(
            field.submit_report,
            self.job.id,
            *self.texts(),
            done=translate("FieldTablet", "Service report handed in."),
        )
