"""The job's steps down the side of the tablet view: done (ticked, with the time), the one
to do now (marked) and those still to come — the dispatch record as the crew walks it."""

from __future__ import annotations

import datetime as dt

from PySide6.QtWidgets import QLabel, QVBoxLayout, QWidget

from shop_desk.i18n import translate
from shop_desk.models import FieldJob, ServiceReport
from shop_desk.ui.field.tablet_common import label, set_role, when


def step_rows(
    job: FieldJob, report: ServiceReport | None
) -> list[tuple[str, str, dt.datetime | None]]:
    """(key, words, done at) for each step of this job, in order."""
    rows: list[tuple[str, str, dt.datetime | None]] = [
        ("depart", translate("FieldTablet", "Depart"), job.departed_at),
        (
            "arrive",
            translate("FieldTablet", "Arrive on site (late)")
            if job.arrived_late
            else translate("FieldTablet", "Arrive on site"),
            job.arrived_at,
        ),
    ]
    if not job.within_warranty:
        rows.append(
            ("agree", translate("FieldTablet", "Customer agrees to the quote"), job.agreed_at)
        )
    if job.towed:
        rows.append(
            (
                "finish_work",
                translate("FieldTablet", "Cannot fix on site: towed in"),
                job.work_done_at,
            )
        )
    else:
        rows.append(("start_work", translate("FieldTablet", "Start work"), job.work_started_at))
        rows.append(("finish_work", translate("FieldTablet", "Finish work"), job.work_done_at))
    rows += [
        ("call_centre", translate("FieldTablet", "Call the service centre"), job.called_centre_at),
        ("leave_site", translate("FieldTablet", "Leave the site"), job.left_site_at),
        ("return", translate("FieldTablet", "Return to base"), job.returned_at),
        (
            "report",
            translate("FieldTablet", "Service report"),
            report.written_at if report is not None and report.complete else None,
        ),
        (
            "survey",
            translate("FieldTablet", "Satisfaction survey"),
            report.survey_at if report is not None else None,
        ),
    ]
    return rows


class StepStrip(QWidget):
    """One line per step: ✓ done at …, ▶ now, ○ still to come."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("stepStrip")
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(8, 8, 8, 8)
        self.layout_.setSpacing(10)
        self.title = label(translate("FieldTablet", "Steps"), self, "subheading")
        self.layout_.addWidget(self.title)
        self.lines: dict[str, QLabel] = {}
        self.layout_.addStretch(1)

    def show_job(self, job: FieldJob, report: ServiceReport | None, next_step: str) -> None:
        for line in self.lines.values():
            line.setParent(None)
            line.deleteLater()
        self.lines = {}
        for n, (key, words, done_at) in enumerate(step_rows(job, report), start=1):
            if done_at is not None:
                text, role = f"✓ {words}\n    {when(done_at)}", "ok"
            elif key == next_step:
                text, role = f"▶ {words}", "subheading"
            else:
                text, role = f"○ {words}", "hint"
            line = label(text, self, "", f"step_{key}")
            set_role(line, role)
            line.setProperty("done", done_at is not None)
            self.layout_.insertWidget(n, line)
            line.show()
            self.lines[key] = line
