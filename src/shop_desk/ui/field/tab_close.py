"""To close: jobs back at base (and jobs finished on site with no call to the service centre
recorded, and towed cars not yet received). What the service report still lacks is listed in
words; Close stays disabled with the service's own refusal until it is complete. From here
the supervisor records a crew that left without calling or did not follow the dispatch,
prints the dispatch order and the service report, and an advisor tows a car in: reception
gets its repair order and opens it."""

from __future__ import annotations

import html
import logging

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk.errors import DomainError
from shop_desk.field_states import FieldState, target_state
from shop_desk.i18n import join_list, translate
from shop_desk.models import FieldJob, Staff
from shop_desk.services import field, penalties
from shop_desk.services.field import JobView
from shop_desk.ui.field.common import (
    AMBER,
    RED,
    Colour,
    JobList,
    JobModel,
    crew_text,
    customer_text,
    fit_when_new,
    heading_label,
    host_window,
    say,
    setup_table,
    state_text,
)
from shop_desk.ui.field.dialogs import NotFollowingDialog, ReasonDialog, TowInDialog
from shop_desk.ui.shell.models import Column
from shop_desk.ui.shell.print_preview import show_print_preview
from shop_desk.ui.shell.tables import when
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog, allowed

log = logging.getLogger("shop_desk.ui.field.tab_close")

#: The main window's opener for a repair order at reception (registered by Reception).
RECEPTION_ORDER = "reception_order"


def report_text(view: JobView) -> str:
    if not view.gaps:
        return translate("FieldUi", "Complete")
    return translate("FieldUi", "Missing: {missing}").format(missing=join_list(view.gaps))


def towed_text(view: JobView) -> str:
    if not view.job.towed:
        return ""
    if view.order_number:
        return translate("FieldUi", "Towed in: order {order}").format(order=view.order_number)
    return translate("FieldUi", "Towed: to receive at reception")


def close_state_text(view: JobView) -> str:
    """The state, and for a job finished on site the missing call in words (the row is red)."""
    job = view.job
    text = state_text(view)
    if job.state == FieldState.WORK_DONE.value and job.called_centre_at is None:
        text += " · " + translate("FieldUi", "no call to the service centre yet")
    return text


def close_refusal(view: JobView) -> str:
    """Why the job cannot be closed now, in the close service's words ('' when it can)."""
    job = view.job
    try:
        target_state(job.state, "close")
    except DomainError as exc:
        return str(exc)
    if view.gaps:
        return translate(
            "Field", "Field job {number} cannot be closed; still missing: {missing}."
        ).format(number=job.number, missing=join_list(view.gaps, clauses=True))
    return ""


def _colour(view: JobView) -> Colour:
    if view.job.state == FieldState.WORK_DONE.value:
        return RED  # finished on site, no call recorded: the crew may have left without it
    if view.gaps or (view.job.towed and not view.order_number):
        return AMBER
    return None


class CloseTab(QWidget, JobList):
    """Jobs back at base: the report's gaps, closing, penalty cases, prints and towing in."""

    changed = Signal()

    def __init__(self, staff: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldCloseTab")
        self.actor = staff
        self.dialog: FormDialog | None = None
        self.preview: QDialog | None = None
        layout = QVBoxLayout(self)
        self.heading = heading_label(self, "closeHeading")
        layout.addWidget(self.heading)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        layout.addWidget(self.banner)
        self.model = JobModel(
            [
                Column(lambda: translate("FieldUi", "Number"), lambda r: r.number),
                Column(lambda: translate("FieldUi", "Customer and vehicle"), customer_text),
                Column(lambda: translate("FieldUi", "Crew"), crew_text),
                Column(lambda: translate("FieldUi", "State"), close_state_text),
                Column(lambda: translate("FieldUi", "Returned"), lambda r: when(r.job.returned_at)),
                Column(lambda: translate("FieldUi", "Service report"), report_text),
                Column(lambda: translate("FieldUi", "Towed"), towed_text),
            ],
            self,
            colour=_colour,
        )
        self.table = QTableView(self)
        self.table.setObjectName("closeTable")
        self.proxy = setup_table(self.table, self.model, stretch=5)
        layout.addWidget(self.table, 1)

        self.detail = QLabel(self)
        self.detail.setObjectName("detailLabel")
        self.detail.setWordWrap(True)
        layout.addWidget(self.detail)
        self.gaps_label = QLabel(self)
        self.gaps_label.setObjectName("gapsLabel")
        self.gaps_label.setWordWrap(True)
        layout.addWidget(self.gaps_label)

        row = QHBoxLayout()
        self.close_button = QPushButton(translate("FieldUi", "&Close the job"), self)
        self.close_button.setObjectName("closeJobButton")
        row.addWidget(self.close_button)
        self.close_reason = QLabel(self)
        self.close_reason.setObjectName("closeReasonLabel")
        self.close_reason.setWordWrap(True)
        self.close_reason.setStyleSheet("color:#8a1c12;")
        row.addWidget(self.close_reason, 1)
        layout.addLayout(row)
        buttons = QHBoxLayout()
        self.no_call_button = QPushButton(translate("FieldUi", "Left without &calling…"), self)
        self.no_call_button.setObjectName("noCallButton")
        self.dispatch_case_button = QPushButton(
            translate("FieldUi", "Did &not follow the dispatch…"), self
        )
        self.dispatch_case_button.setObjectName("notFollowingButton")
        self.tow_button = QPushButton(translate("FieldUi", "&Tow in…"), self)
        self.tow_button.setObjectName("towInButton")
        self.print_dispatch_button = QPushButton(
            translate("FieldUi", "Print dispatch &order…"), self
        )
        self.print_dispatch_button.setObjectName("printDispatchButton")
        self.print_report_button = QPushButton(translate("FieldUi", "Print service &report…"), self)
        self.print_report_button.setObjectName("printReportButton")
        for button in (self.no_call_button, self.dispatch_case_button, self.tow_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.print_dispatch_button)
        buttons.addWidget(self.print_report_button)
        layout.addLayout(buttons)

        self.may_close = allowed(staff, field.close_field_job)
        self.may_no_call = allowed(staff, field.record_left_without_call)
        self.may_case = allowed(staff, penalties.record_not_following_dispatch)
        self.may_tow = allowed(staff, field.tow_in)
        self.close_button.clicked.connect(self.close_job)
        self.no_call_button.clicked.connect(self.left_without_call)
        self.dispatch_case_button.clicked.connect(self.not_following)
        self.tow_button.clicked.connect(self.tow_in)
        self.print_dispatch_button.clicked.connect(lambda: self.print_form("dispatch-order"))
        self.print_report_button.clicked.connect(lambda: self.print_form("service-report"))
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._selected())
        self.refresh()

    # -- reading ----------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the jobs again; the chosen one stays chosen."""
        current = self.selected()
        rows = field.views(field.to_close(), with_gaps=True)
        self.model.set_rows(rows)
        fit_when_new(self.table, rows)
        open_gaps = sum(1 for r in rows if r.gaps)
        text = translate("FieldUi", "Back at base and to close: {n}").format(n=len(rows))
        if open_gaps:
            text += " · " + translate("FieldUi", "{n} with the report incomplete").format(
                n=open_gaps
            )
        self.heading.setText(text)
        self.reselect(current, rows)
        self._selected()

    def _selected(self) -> None:
        view = self.selected()
        job = view.job if view is not None else None
        chosen = job is not None
        for button in (self.print_dispatch_button, self.print_report_button):
            button.setEnabled(chosen)
        self.dispatch_case_button.setEnabled(self.may_case and chosen and bool(view and view.crew))
        self.no_call_button.setEnabled(
            self.may_no_call
            and job is not None
            and job.state == FieldState.WORK_DONE.value
            and job.called_centre_at is None
        )
        self.tow_button.setEnabled(
            self.may_tow and job is not None and job.towed and job.order_id is None
        )
        if view is None:
            self.detail.setText(
                "<i>"
                + html.escape(translate("FieldUi", "No job is waiting to be closed."))
                + "</i>"
            )
            self.gaps_label.clear()
            self.close_button.setEnabled(False)
            self.close_reason.clear()
            self.close_button.setToolTip("")
            return
        assert job is not None
        facts = [
            f"<b>{html.escape(job.number)}</b>",
            html.escape(customer_text(view)),
            html.escape(translate("FieldUi", "Crew: {crew}").format(crew=crew_text(view))),
        ]
        if job.work_done:
            facts.append(
                html.escape(translate("FieldUi", "Work done: {work}").format(work=job.work_done))
            )
        if job.left_without_call:
            facts.append(
                "<b>" + html.escape(translate("FieldUi", "Left the site without calling.")) + "</b>"
            )
        self.detail.setText(" · ".join(facts))
        if view.gaps:
            self.gaps_label.setText(
                "<b>"
                + html.escape(translate("FieldUi", "Still missing before closing:"))
                + "</b><ul>"
                + "".join(f"<li>{html.escape(g, quote=False)}</li>" for g in view.gaps)
                + "</ul>"
            )
            self.gaps_label.setStyleSheet("color:#7a4f00;")
        else:
            self.gaps_label.setText(
                translate("FieldUi", "The service report and the survey are complete.")
            )
            self.gaps_label.setStyleSheet("color:#1d5a2b;")
        refusal = (
            close_refusal(view)
            if self.may_close
            else translate("FieldUi", "The workshop supervisor closes field jobs.")
        )
        self.close_button.setEnabled(self.may_close and not refusal)
        self.close_button.setToolTip(refusal)
        self.close_reason.setText(refusal)

    # -- actions ----------------------------------------------------------------------------
    def _done(self, text: str) -> None:
        self.banner.show_info(text)
        say(self, text)
        self.refresh()
        self.changed.emit()

    def close_job(self) -> FieldJob | None:
        view = self.selected()
        if view is None or not self.may_close:
            return None
        self.banner.clear_message()
        try:
            job = field.close_field_job(self.actor, view.id)
        except DomainError as exc:
            self.banner.show_error(str(exc))
            self.refresh()
            return None
        self._done(translate("FieldUi", "Field job {number} closed.").format(number=job.number))
        return job

    def _open(self, dialog: FormDialog, text: str) -> FormDialog:
        self.banner.clear_message()
        dialog.accepted.connect(lambda: self._done(text))
        self.dialog = dialog
        dialog.open()
        return dialog

    def left_without_call(self) -> ReasonDialog | None:
        view = self.selected()
        if view is None or not self.no_call_button.isEnabled():
            return None
        job_id = view.id
        dialog = ReasonDialog(
            view.job,
            translate("FieldUi", "Left the site without calling: {number}").format(
                number=view.number
            ),
            translate("FieldUi", "What happened:"),
            translate("FieldUi", "&Record"),
            lambda note: field.record_left_without_call(self.actor, job_id, note),
            "note",
            note=translate(
                "FieldUi",
                "Leaving the site without calling the service centre is a penalty case for "
                "everyone on the crew: {crew}.",
            ).format(crew=crew_text(view)),
            parent=self,
        )
        return self._open(
            dialog,
            translate(
                "FieldUi",
                "Recorded: the crew of {number} left the site without calling; a penalty case "
                "for each of them.",
            ).format(number=view.number),
        )

    def not_following(self) -> NotFollowingDialog | None:
        view = self.selected()
        if view is None or not self.may_case or not view.crew:
            return None
        dialog = NotFollowingDialog(self.actor, view.job, field.crew(view.job), self)
        return self._open(
            dialog,
            translate("FieldUi", "Recorded in the penalty register (field job {number}).").format(
                number=view.number
            ),
        )

    def tow_in(self) -> TowInDialog | None:
        view = self.selected()
        if view is None or not self.tow_button.isEnabled():
            return None
        dialog = TowInDialog(self.actor, view.job, self)
        dialog.accepted.connect(lambda: self._towed(dialog))
        self.dialog = dialog
        self.banner.clear_message()
        dialog.open()
        return dialog

    def _towed(self, dialog: TowInDialog) -> None:
        order = dialog.result_value.order
        self._done(
            translate("FieldUi", "The towed car is received on order {order}.").format(
                order=order.number
            )
        )
        self.open_order(order.id)

    def open_order(self, order_id: int) -> QWidget | None:
        """Ask the main window to open the order at reception (its summary where this
        person has no reception)."""
        window = host_window(self)
        if window is None:
            return None
        if "reception" in window.visible_page_keys():
            try:
                return window.open_screen(RECEPTION_ORDER, order_id)
            except KeyError:
                log.info("no reception opener registered; showing the order's summary")
        window.order_opened.emit(order_id)
        return None

    def print_form(self, kind: str) -> QDialog | None:
        """The dispatch order or service report in the print preview (print or save)."""
        view = self.selected()
        if view is None:
            return None
        self.preview = show_print_preview(self, kind, view.number)
        return self.preview
