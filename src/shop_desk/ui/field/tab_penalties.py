"""The penalty register (罚款 / 记大过) for the supervisor and the manager: each case per
person with its kind in words, the amount the shop's settings set, the field job or
complaint it came from and who recorded it; totals per person; the manager's major demerit
from a verified complaint and the supervisor's "did not follow the dispatch"."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import DomainError
from shop_desk.field_states import state_label as job_state_label
from shop_desk.i18n import counted, translate
from shop_desk.models import FieldJobStaff, Penalty, Staff
from shop_desk.money import ZERO, money
from shop_desk.services import penalties
from shop_desk.services.field import CREW_ROLES
from shop_desk.services.reports import cause_label
from shop_desk.ui.field.office_common import Column, fill, list_view, money_text, when
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog, allowed

#: How far back the month filter and the jobs to cite go.
MONTHS_BACK = 12
CITE_DAYS = 90


def months(today: dt.date, count: int = MONTHS_BACK) -> list[dt.date]:
    """The first days of this month and the ``count - 1`` before it, newest first."""
    first = today.replace(day=1)
    out = []
    for _ in range(count):
        out.append(first)
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return out


def month_span(first: dt.date) -> tuple[dt.datetime, dt.datetime]:
    """From the first moment of ``first``'s month to the first of the next."""
    nxt = (first + dt.timedelta(days=32)).replace(day=1)
    return dt.datetime.combine(first, dt.time()), dt.datetime.combine(nxt, dt.time())


class DemeritDialog(FormDialog):
    """The manager turns a verified complaint into a major demerit (记大过) for the person
    it concerns."""

    def __init__(self, actor: Staff, parent: QWidget) -> None:
        super().__init__(
            translate("FieldOffice", "Major demerit from a verified complaint"),
            parent,
            translate("FieldOffice", "Record the major demerit"),
        )
        self.setObjectName("demeritDialog")
        self.actor = actor
        self.complaint_combo = QComboBox(self)
        self.complaint_combo.setMinimumContentsLength(40)
        for c in penalties.demerit_candidates():
            self.complaint_combo.addItem(
                translate("FieldOffice", "{number} · {day} · {name} · {cause}").format(
                    number=c.number,
                    day=c.opened_at.date().isoformat(),
                    name=c.staff_concerned.name,
                    cause=cause_label(c.cause),
                ),
                c,
            )
        self.add_row("complaint", translate("FieldOffice", "Complaint:"), self.complaint_combo)
        self.about = QLabel(self)
        self.about.setObjectName("demeritAbout")
        self.about.setWordWrap(True)
        self.form.addRow(self.about)
        self.complaint_combo.currentIndexChanged.connect(lambda _i: self._show())
        self._show()
        self.resize(600, 240)

    def _show(self) -> None:
        c = self.complaint_combo.currentData()
        self.ok_button().setEnabled(c is not None)
        if c is None:
            self.about.setText(
                translate(
                    "FieldOffice",
                    "No verified complaint about rudeness, money or gifts, delay or a repeat "
                    "repair is waiting: a complaint counts once its investigation is done.",
                )
            )
            return
        self.about.setText(
            translate(
                "FieldOffice", "{description}\nA major demerit of {amount} for {name}."
            ).format(
                description=c.description,
                amount=money_text(penalties.amount_for("major_demerit")),
                name=c.staff_concerned.name,
            )
        )

    def submit(self) -> Any:
        c = self.complaint_combo.currentData()
        return penalties.demerit_from_complaint(self.actor, c.id if c is not None else None)


class DispatchCaseDialog(FormDialog):
    """A person did not follow the service centre's dispatch (不服从统一指挥) on a field job."""

    def __init__(self, actor: Staff, parent: QWidget) -> None:
        super().__init__(
            translate("FieldOffice", "Did not follow the dispatch"),
            parent,
            translate("FieldOffice", "Record the case"),
        )
        self.setObjectName("dispatchCaseDialog")
        self.actor = actor
        self.job_combo = QComboBox(self)
        self.job_combo.setMinimumContentsLength(40)
        since = clock.now() - dt.timedelta(days=CITE_DAYS)
        for job in penalties.jobs_to_cite(since):
            self.job_combo.addItem(
                f"{job.number} · {job.place} · {job_state_label(job.state)}", job.id
            )
        self.add_row("job", translate("FieldOffice", "Field job:"), self.job_combo)
        self.person_combo = QComboBox(self)
        self.add_row("person", translate("FieldOffice", "Person:"), self.person_combo)
        self.reason = QPlainTextEdit(self)
        self.reason.setPlaceholderText(translate("FieldOffice", "What happened"))
        self.reason.setMinimumHeight(80)
        self.add_row("reason", translate("FieldOffice", "What happened:"), self.reason)
        self.amount_label = QLabel(
            translate("FieldOffice", "Amount set by the shop: {amount}.").format(
                amount=money_text(penalties.amount_for("not_following_dispatch"))
            ),
            self,
        )
        self.form.addRow(self.amount_label)
        self.job_combo.currentIndexChanged.connect(lambda _i: self._people())
        self._people()
        self.resize(600, 320)

    def _people(self) -> None:
        """The job's crew first, then every other active technician."""
        job_id = self.job_combo.currentData()
        crew = list(
            Staff.select()
            .join(FieldJobStaff, on=FieldJobStaff.staff == Staff.id)
            .where(FieldJobStaff.job == job_id)
            .order_by(FieldJobStaff.id)
        )
        others = [
            s
            for s in Staff.select().where(Staff.active == True).order_by(Staff.name)  # noqa: E712
            if s.role_set() & CREW_ROLES and all(s.id != c.id for c in crew)
        ]
        self.person_combo.clear()
        for s in crew:
            self.person_combo.addItem(
                translate("FieldOffice", "{name} (on the crew)").format(name=s.name), s.id
            )
        for s in others:
            self.person_combo.addItem(s.name, s.id)

    def submit(self) -> Any:
        return penalties.record_not_following_dispatch(
            self.actor,
            self.person_combo.currentData(),
            self.job_combo.currentData(),
            self.reason.toPlainText(),
        )


class PenaltiesTab(QWidget):
    """The register filtered by person and month, totals per person, and the two actions."""

    def __init__(self, staff: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldPenaltiesTab")
        self.staff = staff
        self.entries: list[Penalty] = []
        outer = QVBoxLayout(self)
        bar = QHBoxLayout()
        bar.addWidget(QLabel(translate("FieldOffice", "Person:"), self))
        self.person_combo = QComboBox(self)
        self.person_combo.setObjectName("penaltyPersonCombo")
        self.person_combo.setMinimumContentsLength(16)
        bar.addWidget(self.person_combo)
        bar.addWidget(QLabel(translate("FieldOffice", "Month:"), self))
        self.month_combo = QComboBox(self)
        self.month_combo.setObjectName("penaltyMonthCombo")
        self.month_combo.addItem(translate("FieldOffice", "All months"), None)
        for first in months(clock.today()):
            self.month_combo.addItem(first.strftime("%Y-%m"), first.isoformat())
        self.month_combo.setCurrentIndex(1)
        bar.addWidget(self.month_combo)
        bar.addStretch(1)
        self.demerit_button = QPushButton(
            translate("FieldOffice", "Major demerit from a verified complaint…"), self
        )
        self.demerit_button.setObjectName("demeritButton")
        self.demerit_button.setVisible(allowed(staff, penalties.demerit_from_complaint))
        self.dispatch_button = QPushButton(
            translate("FieldOffice", "Did not follow the dispatch…"), self
        )
        self.dispatch_button.setObjectName("dispatchCaseButton")
        self.dispatch_button.setVisible(allowed(staff, penalties.record_not_following_dispatch))
        bar.addWidget(self.demerit_button)
        bar.addWidget(self.dispatch_button)
        outer.addLayout(bar)

        split = QSplitter(Qt.Orientation.Vertical, self)
        self.table, self.model, self.proxy = list_view(
            split,
            "penaltiesTable",
            [
                Column(lambda: translate("FieldOffice", "Date"), lambda p: p.at, display=when),
                Column(lambda: translate("FieldOffice", "Person"), lambda p: p.staff.name),
                Column(
                    lambda: translate("FieldOffice", "Kind"),
                    lambda p: penalties.kind_label(p.kind),
                ),
                Column(
                    lambda: translate("FieldOffice", "Amount"),
                    lambda p: p.amount,
                    display=money_text,
                    align_right=True,
                ),
                Column(lambda: translate("FieldOffice", "Case no."), penalties.case_number),
                Column(lambda: translate("FieldOffice", "What happened"), lambda p: p.reason),
                Column(
                    lambda: translate("FieldOffice", "Recorded by"),
                    lambda p: p.by.name if p.by_id else "",
                ),
            ],
            stretch=5,
        )
        self.table.sortByColumn(0, Qt.SortOrder.DescendingOrder)
        split.addWidget(self.table)
        lower = QWidget(split)
        box = QVBoxLayout(lower)
        box.setContentsMargins(0, 4, 0, 0)
        box.addWidget(QLabel("<b>" + translate("FieldOffice", "Totals per person") + "</b>", lower))
        self.totals_table, self.totals_model, _ = list_view(
            lower,
            "penaltyTotalsTable",
            [
                Column(lambda: translate("FieldOffice", "Person"), lambda t: t.name),
                Column(
                    lambda: translate("FieldOffice", "Cases"), lambda t: t.cases, align_right=True
                ),
                Column(
                    lambda: translate("FieldOffice", "Major demerits"),
                    lambda t: t.demerits,
                    align_right=True,
                ),
                Column(
                    lambda: translate("FieldOffice", "Amount"),
                    lambda t: t.amount,
                    display=money_text,
                    align_right=True,
                ),
            ],
            stretch=0,
        )
        box.addWidget(self.totals_table, 1)
        self.total_label = QLabel(lower)
        self.total_label.setObjectName("penaltyTotalLabel")
        box.addWidget(self.total_label)
        split.addWidget(lower)
        split.setStretchFactor(0, 3)
        split.setStretchFactor(1, 2)
        outer.addWidget(split, 1)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("penaltiesBanner")
        outer.addWidget(self.banner)

        self.demerit_button.clicked.connect(self.add_demerit)
        self.dispatch_button.clicked.connect(self.add_dispatch_case)
        self._fill_people()
        self.person_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.month_combo.currentIndexChanged.connect(lambda _i: self.refresh())
        self.refresh()

    def _fill_people(self) -> None:
        chosen = self.person_combo.currentData()
        self.person_combo.blockSignals(True)
        self.person_combo.clear()
        self.person_combo.addItem(translate("FieldOffice", "Everybody"), None)
        for s in Staff.select().order_by(Staff.name):
            if s.active or s.penalties.exists():
                self.person_combo.addItem(s.name, s.id)
        self.person_combo.setCurrentIndex(max(0, self.person_combo.findData(chosen)))
        self.person_combo.blockSignals(False)

    def set_filter(self, person: Staff | int | None = None, month: dt.date | None = None) -> None:
        """Show one person's cases (None: everybody) in one month (None: all months)."""
        person_id = person.id if isinstance(person, Staff) else person
        index = self.month_combo.findData(month.replace(day=1).isoformat()) if month else 0
        for combo, at in (
            (self.person_combo, self.person_combo.findData(person_id)),
            (self.month_combo, index),
        ):
            combo.blockSignals(True)
            combo.setCurrentIndex(max(0, at))
            combo.blockSignals(False)
        self.refresh()

    def month(self) -> dt.date | None:
        """The first day of the month shown (None: all months)."""
        chosen = self.month_combo.currentData()
        return dt.date.fromisoformat(chosen) if chosen else None

    def refresh(self) -> None:
        first = self.month()
        start, end = month_span(first) if first is not None else (None, None)
        try:
            self.entries = penalties.penalties(
                self.staff, person=self.person_combo.currentData(), start=start, end=end
            )
        except DomainError as exc:  # someone the register is not for
            self.entries = []
            self.banner.show_error(str(exc))
        fill(self.table, self.model, self.entries)
        totals = penalties.totals_by_person(self.entries)
        fill(self.totals_table, self.totals_model, totals, key="staff_id")
        self.total_label.setText(
            counted(
                len(self.entries),
                translate("FieldOffice", "{n} case, {amount} in all."),
                translate("FieldOffice", "{n} cases, {amount} in all."),
                amount=money_text(money(sum((t.amount for t in totals), ZERO))),
            )
        )

    def _open(self, dialog: FormDialog, done: str) -> FormDialog:
        def accepted() -> None:
            entry = dialog.result_value
            self._fill_people()
            self.refresh()
            self.banner.show_info(
                done.format(
                    name=entry.staff.name,
                    kind=penalties.kind_label(entry.kind),
                    amount=money_text(entry.amount),
                )
            )

        self.banner.clear_message()
        dialog.accepted.connect(accepted)
        dialog.open()
        return dialog

    def add_demerit(self) -> DemeritDialog:
        return self._open(
            DemeritDialog(self.staff, self),
            translate("FieldOffice", "Recorded for {name}: {kind}, {amount}."),
        )

    def add_dispatch_case(self) -> DispatchCaseDialog:
        return self._open(
            DispatchCaseDialog(self.staff, self),
            translate("FieldOffice", "Recorded for {name}: {kind}, {amount}."),
        )
