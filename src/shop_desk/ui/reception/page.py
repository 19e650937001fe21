"""The Reception area (接车): the service advisor's window for receiving a car (PROCESS.md §3).

A guided flow with its steps always visible — Vehicle → Walk-around → Complaint & warranty →
Estimate → Task order & signature — for walk-ins and booked cars alike, with the vehicle's
service archive beside it. Each step is saved through :mod:`shop_desk.services.reception`
when the advisor goes on (Enter / Ctrl+Enter / Next), with the order version this station
last saw; a refusal is shown and the input stays. Finishing signs the task order and hands
the car to the workshop, then a fresh reception starts. What is typed is autosaved as a
draft and offered back after a crash.

Fast path for a known car and a routine service: type the plate, Enter, Enter (check in);
odometer, Enter; a standard job button; Next; Next; the customer signs; Sign and hand over.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from shop_desk import drafts
from shop_desk.errors import ConflictError, DomainError, ValidationError
from shop_desk.i18n import join_list, translate
from shop_desk.models import (
    Appointment,
    Customer,
    Inspection,
    Recommendation,
    RepairOrder,
    Staff,
    Vehicle,
)
from shop_desk.roles import Role
from shop_desk.services import appointments as appointment_service
from shop_desk.services import reception
from shop_desk.states import FROZEN_STATES, State, state_label
from shop_desk.ui.reception.archive import ArchivePanel
from shop_desk.ui.reception.autosave import ReceptionAutosave
from shop_desk.ui.reception.estimate import EstimateEditor, OrderRunner
from shop_desk.ui.reception.flow import (
    COMPLAINT,
    ESTIMATE,
    INSPECTION,
    STEP_KEYS,
    TASK_ORDER,
    VEHICLE,
    done_steps,
    escape,
    first_open_step,
    reception_order_of,
    receptions_in_progress,
    step_hint,
    vehicle_text,
)
from shop_desk.ui.reception.insurance import InsuranceDialog
from shop_desk.ui.reception.step_complaint import ComplaintStep
from shop_desk.ui.reception.step_inspection import WalkAroundStep
from shop_desk.ui.reception.step_task_order import TaskOrderStep
from shop_desk.ui.reception.step_vehicle import VehicleStep
from shop_desk.ui.reception.widgets import NoticeBar, ReasonDialog, StepBar
from shop_desk.ui.shell.main_window import register_opener, register_page
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import (
    ErrorBanner,
    allowed,
    app_settings,
    ask,
    mark_invalid,
)

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow

# ------------------------------------------------------------------------------ the page


class ReceptionPage(QWidget):
    """Reception of one car at a time, from finding it to handing it to the workshop."""

    handed_over = Signal(int)  # order id

    def __init__(self, window: MainWindow, staff: Staff | None = None) -> None:
        super().__init__()
        self.setObjectName("receptionPage")
        self.window_ = window
        self.actor = staff or window.staff
        self.may_receive = allowed(self.actor, reception.check_in)
        self.runner = OrderRunner(self.actor, self)
        self.runner.failed.connect(self.show_failure)
        self.vehicle_id: int | None = None
        self.customer_id: int | None = None
        self.appointment_id: int | None = None
        self.order_id: int | None = None
        self.step = VEHICLE
        self.dirty: set[int] = set()
        self.autosave = ReceptionAutosave(self)
        self._loading_step = False
        self.reason_dialog: ReasonDialog | None = None

        self.form = load_form("reception_page", self)
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.form)
        f = self.form
        self.title_label = child(f, QLabel, "titleLabel")
        self.state_label = child(f, QLabel, "stateLabel")
        self.new_button = child(f, QPushButton, "newButton")
        self.cancel_button = child(f, QPushButton, "cancelButton")
        self.insurance_button = QPushButton(translate("ReceptionPage", "Insurance…"), f)
        self.insurance_button.setObjectName("insuranceButton")
        self.insurance_button.setToolTip(
            translate(
                "ReceptionPage",
                "Accident car: the insurance claim, photos for the insurer and the loss assessment",
            )
        )
        header = f.findChild(QHBoxLayout, "headerRow")
        header.insertWidget(header.indexOf(self.cancel_button), self.insurance_button)
        self.insurance_dialog: InsuranceDialog | None = None
        self.step_bar = StepBar(self)
        child(f, QWidget, "stepBarHost").layout().addWidget(self.step_bar)
        notices = child(f, QWidget, "noticeHost").layout()
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("receptionBanner")
        notices.addWidget(self.banner)
        self.notice = NoticeBar(self)
        notices.addWidget(self.notice)
        self.splitter = child(f, QSplitter, "mainSplitter")
        self.stack = child(f, QStackedWidget, "stepStack")
        self.archive_host = child(f, QWidget, "archiveHost")
        self.archive = ArchivePanel(self)
        self.archive_host.layout().addWidget(self.archive)
        self.back_button = child(f, QPushButton, "backButton")
        self.next_button = child(f, QPushButton, "nextButton")
        self.next_button.setAutoDefault(True)
        self.step_hint = child(f, QLabel, "stepHint")

        self.vehicle_step = VehicleStep(self.actor, self)
        self.stack.addWidget(self.vehicle_step)
        self.walk_around = WalkAroundStep(self.runner, self)
        self.stack.addWidget(self.walk_around)
        self.complaint = ComplaintStep(self.runner, self)
        self.stack.addWidget(self.complaint)
        self.estimate = EstimateEditor(self.actor, self.runner, self)
        self.stack.addWidget(self.estimate)
        self.task_order = TaskOrderStep(self.runner, self)
        self.stack.addWidget(self.task_order)
        self.splitter.setSizes([820, 290])
        state = app_settings().value("reception/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        self.splitter.splitterMoved.connect(
            lambda *_: app_settings().setValue("reception/splitter", self.splitter.saveState())
        )

        self.walk_around.changed.connect(lambda: self._mark_dirty(INSPECTION))
        self.walk_around.problem.connect(self.banner.show_error)
        self.walk_around.submit_requested.connect(self.next)
        self.walk_around.failed.connect(self.show_failure)
        self.walk_around.saved.connect(lambda: self.dirty.discard(INSPECTION))
        self.walk_around.status.connect(self.status)
        self.complaint.changed.connect(lambda: self._mark_dirty(COMPLAINT))
        self.complaint.submit_requested.connect(self.next)
        self.complaint.quick_job_requested.connect(self.use_quick_job)
        self.complaint.status.connect(self.status)
        self.estimate.changed.connect(lambda: self._mark_dirty(ESTIMATE))
        self.estimate.lines_changed.connect(self._lines_changed)
        self.estimate.status.connect(self.status)
        self.estimate.submit_requested.connect(self.next)
        self.task_order.changed.connect(self._options_changed)
        self.task_order.signature_changed.connect(self._signature_changed)
        self.task_order.step_requested.connect(self.go_to)
        self.task_order.print_requested.connect(self.print_document)
        self.archive.add_requested.connect(self.raise_again)
        self.vehicle_step.vehicle_chosen.connect(self.select_vehicle)
        self.vehicle_step.check_in_requested.connect(self.next)
        self.vehicle_step.order_chosen.connect(self.open_order)
        self.vehicle_step.appointment_chosen.connect(self.start_from_appointment)
        self.vehicle_step.picked.connect(self._picker_chosen)
        self.vehicle_step.brought_by_chosen.connect(self._other_customer_chosen)
        self.vehicle_step.warranty_changed.connect(self.archive.refresh)
        self.step_bar.step_clicked.connect(self.go_to)
        self.next_button.clicked.connect(self.next)
        self.back_button.clicked.connect(self.back)
        self.new_button.clicked.connect(lambda: self.new_reception(ask_first=True))
        self.cancel_button.clicked.connect(self.cancel_reception)
        self.insurance_button.clicked.connect(self.open_insurance)
        for keys in ("Ctrl+Return", "Ctrl+Enter"):
            shortcut = QShortcut(QKeySequence(keys), self)
            shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            shortcut.activated.connect(self.next)
        new_shortcut = QShortcut(QKeySequence.StandardKey.New, self)
        new_shortcut.setContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        new_shortcut.activated.connect(lambda: self.new_reception(ask_first=True))

        self.new_reception(ask_first=False, keep_draft=True)
        self.autosave.offer()
        changed = getattr(window, "database_changed", None)
        if changed is not None:
            changed.connect(self.database_changed)

    # ================================================================== building the steps
    # ================================================================== helpers
    @property
    def order(self) -> RepairOrder | None:
        return RepairOrder.get_or_none(RepairOrder.id == self.order_id) if self.order_id else None

    def status(self, text: str) -> None:
        self.window_.show_status(text)

    def focus_start(self) -> None:
        """Where the keyboard starts when the page opens after sign-in: "Find the car"."""
        if self.step == VEHICLE:
            self.vehicle_step.focus_find()

    def _mark_dirty(self, step: int) -> None:
        if self._loading_step:
            return
        self.dirty.add(step)
        self.autosave.touch()

    def _field_widget(self, field: str | None) -> QWidget | None:
        if not field:
            return None
        if self.step == INSPECTION:
            return self.walk_around.field_widget(field)
        if self.step == COMPLAINT:
            return self.complaint.field_widget(field)
        if self.step == TASK_ORDER:
            return self.task_order.field_widget(field)
        return None

    def show_failure(self, exc: DomainError) -> None:
        """A refusal from a service: conflicts offer a reload, the rest is shown inline."""
        if isinstance(exc, ConflictError):
            self.notice.show_notice(
                str(exc)
                + " "
                + translate(
                    "ReceptionPage",
                    "Reload to see the other change; what you typed on this step stays.",
                ),
                "error",
                [
                    (
                        translate("ReceptionPage", "Reload"),
                        self.reload_after_conflict,
                        "reloadButton",
                    )
                ],
            )
            return
        self.banner.show_error(str(exc))
        widget = self._field_widget(exc.field if isinstance(exc, ValidationError) else None)
        if widget is not None:
            mark_invalid(widget, True)
            widget.setFocus()

    def _clear_marks(self) -> None:
        self.banner.clear_message()
        self.complaint.clear_marks()
        self.task_order.clear_marks()
        self.walk_around.clear_marks()

    # ================================================================== header, bar, nav
    def update_chrome(self) -> None:
        order = self.order
        vehicle = Vehicle.get_or_none(Vehicle.id == self.vehicle_id) if self.vehicle_id else None
        customer = (
            Customer.get_or_none(Customer.id == self.customer_id) if self.customer_id else None
        )
        if vehicle is None:
            self.title_label.setText(
                "<b>{}</b>".format(translate("ReceptionPage", "Reception — a new car"))
            )
        else:
            parts = [f"<b>{escape(vehicle_text(vehicle))}</b>"]
            if customer is not None:
                parts.append(escape(" ".join(x for x in (customer.name, customer.phone) if x)))
            if order is not None:
                parts.append(f"<b>{order.number}</b>")
            self.title_label.setText(" · ".join(parts))
        chips = []
        if order is not None:
            chips.append(state_label(order.state))
            chips.append(
                translate("ReceptionPage", "Walk-in")
                if order.walk_in
                else translate("ReceptionPage", "Appointment")
            )
            if order.is_comeback:
                chips.append(translate("ReceptionPage", "Comeback"))

        self.state_label.setText(" · ".join(chips))
        self.state_label.setVisible(bool(chips))
        self.insurance_button.setVisible(order is not None)
        accident = order is not None and order.accident_car
        self.insurance_button.setProperty("accident", accident)
        self.insurance_button.setStyleSheet(  # an accident car shows on the header
            "color: #8a1c12; font-weight: bold;" if accident else ""
        )
        self.cancel_button.setVisible(order is not None)
        self.cancel_button.setEnabled(
            order is not None and allowed(self.actor, reception.cancel_order)
        )
        self.step_bar.set_state(self.step, done_steps(order), order is not None)
        self._update_nav()

    def _update_nav(self) -> None:
        order = self.order
        self.back_button.setEnabled(self.step > VEHICLE)
        if self.step == VEHICLE:
            text = (
                translate("ReceptionPage", "Continue ▶")
                if order is not None
                else translate("ReceptionPage", "Check in ▶")
            )
            enabled = self.may_receive and (order is not None or self.vehicle_id is not None)
        elif self.step == TASK_ORDER:
            signed = order is not None and order.signed_at is not None
            text = (
                translate("ReceptionPage", "Hand over to the workshop")
                if signed
                else translate("ReceptionPage", "Sign and hand over")
            )
            enabled = self.may_receive and order is not None
        else:
            text = translate("ReceptionPage", "Next ▶")
            enabled = self.may_receive and order is not None
        self.next_button.setText(text)
        self.next_button.setEnabled(enabled)
        self.step_hint.setText(step_hint(self.step))

    # ================================================================== navigation
    def go_to(self, step: int, save: bool = True) -> bool:
        """Show ``step``; the current step is saved first when it has unsaved input."""
        if step != VEHICLE and self.order_id is None:
            self.banner.show_error(translate("ReceptionPage", "Check the car in first (step 1)."))
            return False
        if save and step != self.step and self.order_id is not None and self.needs_save(self.step):
            self.save_step(self.step, lambda: self.go_to(step, save=False))
            return False
        self.step = step
        self.stack.setCurrentIndex(step)
        self.archive_host.setVisible(step not in (INSPECTION, TASK_ORDER))
        self._enter_step(step)
        self.update_chrome()
        self.autosave.touch()
        return True

    def _enter_step(self, step: int) -> None:
        self.archive.set_can_add(self._editable())
        if step == VEHICLE:
            self.vehicle_step.set_choosing(self.order_id is None)
            self.vehicle_step.focus_find()
        elif step == INSPECTION:
            self.walk_around.focus_first()
        elif step == COMPLAINT:
            if not self.complaint.warranty_touched and COMPLAINT not in self.dirty:
                self.complaint.prefill_warranty(self.order)
            self.complaint.focus_first()
        elif step == ESTIMATE:
            self.estimate.reload()
            self.estimate.search.setFocus()
        elif step == TASK_ORDER:
            self.update_checklist()
            self._update_signed_state()

    def next(self) -> None:
        """Save this step and go on (Enter / Ctrl+Enter / the Next button)."""
        if not self.next_button.isEnabled():
            return
        self._clear_marks()
        if self.step == VEHICLE:
            if self.order_id is not None:
                self.go_to(INSPECTION, save=False)
            else:
                self.check_in()
            return
        if self.step == TASK_ORDER:
            self.finish()
            return
        target = self.step + 1
        self.save_step(self.step, lambda: self.go_to(target, save=False))

    def back(self) -> None:
        if self.step > VEHICLE:
            self._clear_marks()
            self.go_to(self.step - 1)

    def needs_save(self, step: int) -> bool:
        order = self.order
        if order is None or not self._editable():
            return False
        if step in self.dirty:
            return True
        if step == INSPECTION:
            return not Inspection.select().where(Inspection.order == order).exists()
        if step == COMPLAINT:
            return self.complaint.needs_save(order)
        if step == ESTIMATE:
            return order.promised_at is None
        return False

    def save_step(self, step: int, then: Callable[[], None]) -> None:
        if not self._editable() or not self.needs_save(step):
            then()
            return
        if step == INSPECTION:
            self.walk_around.save(then)
        elif step == COMPLAINT:
            if self.complaint.save():
                self.dirty.discard(COMPLAINT)
                then()
        elif step == ESTIMATE:
            if self.estimate.save_promised():
                self.dirty.discard(ESTIMATE)
                then()
        elif step == TASK_ORDER:
            if self.task_order.save_options():
                then()
        else:
            then()

    def open_insurance(self) -> InsuranceDialog | None:
        """The order's "Accident car / insurance" section (claim, photos, loss assessment)."""
        order = self.order
        if order is None:
            return None
        editable = State(order.state) not in FROZEN_STATES
        dialog = self.insurance_dialog = InsuranceDialog(self.actor, order, editable, self)
        dialog.section.saved.connect(self._insurance_saved)
        dialog.open()
        return dialog

    def _insurance_saved(self) -> None:
        self.runner.reload_version()  # the section's saves count the order's version up
        self.update_chrome()
        self.status(translate("ReceptionPage", "Accident car / insurance saved."))

    def _editable(self) -> bool:
        order = self.order
        return (
            self.may_receive
            and order is not None
            and order.state == State.CHECKED_IN.value
            and order.signed_at is None
        )

    # ================================================================== step 1: vehicle
    def select_vehicle(
        self,
        vehicle_id: int,
        customer_id: int | None = None,
        appointment_id: int | None = None,
    ) -> bool:
        """Choose the car to receive (no order yet); a car being received is resumed instead."""
        self._clear_marks()
        in_reception = reception_order_of(vehicle_id)
        if in_reception is not None:
            return self.open_order(in_reception.id)
        vehicle = Vehicle.get_by_id(vehicle_id)
        appt = (
            Appointment.get_or_none(Appointment.id == appointment_id)
            if appointment_id
            else reception.todays_appointment(vehicle_id)
        )
        self.vehicle_id = vehicle.id
        self.appointment_id = appt.id if appt is not None else None
        self.customer_id = customer_id or (
            appt.customer_id if appt is not None else vehicle.owner_id
        )
        self.order_id = None
        self.runner.set_order(None)
        self._show_choice()
        self.archive.show_vehicle(vehicle.id)
        self.archive.set_can_add(False)
        if self.step != VEHICLE:
            self.go_to(VEHICLE, save=False)
        else:
            self.vehicle_step.set_choosing(True)
            self.update_chrome()
        self.next_button.setFocus()
        self.autosave.touch()
        return True

    def _show_choice(self) -> None:
        self.vehicle_step.show_choice(
            self.vehicle_id, self.customer_id, self.appointment_id, self.order_id
        )

    def _picker_chosen(self, customer_id: int, vehicle_id: int) -> None:
        if self.order_id is not None:  # edited data of the car being received
            self.update_chrome()
            self.archive.refresh()
            return
        self.select_vehicle(vehicle_id, customer_id)
        self.status(
            translate("ReceptionPage", "Chosen: {vehicle}.").format(
                vehicle=vehicle_text(Vehicle.get_by_id(vehicle_id))
            )
        )

    def _other_customer_chosen(self, customer_id: int) -> None:
        if self.vehicle_id is None or self.order_id is not None:
            return
        self.customer_id = customer_id
        self._show_choice()
        self.update_chrome()

    def check_in(self) -> bool:
        """Receive the chosen car: on today's appointment, or as a walk-in."""
        if self.vehicle_id is None:
            self.banner.show_error(translate("ReceptionPage", "Choose the car first."))
            return False
        try:
            result = reception.check_in(
                self.actor,
                self.vehicle_id,
                customer=self.customer_id,
                appointment=self.appointment_id,
            )
        except DomainError as exc:
            self.show_failure(exc)
            return False
        order = result.order
        self.open_order(order.id, INSPECTION)
        notes = []
        if result.is_comeback:
            assert result.comeback_of is not None
            notes.append(
                translate(
                    "ReceptionPage",
                    "This looks like a comeback of order {number}: the same problem again. "
                    "It is counted as a comeback.",
                ).format(number=result.comeback_of.number)
            )
        if result.declined_recommendations:
            notes.append(
                translate(
                    "ReceptionPage", "Raise again what the customer declined last time: {work}."
                ).format(
                    work=join_list(
                        (r.description for r in result.declined_recommendations), clauses=True
                    )
                )
            )
        if notes:
            self.notice.show_notice(" ".join(notes), "warning")
        self.status(
            translate("ReceptionPage", "{vehicle} checked in on order {number}.").format(
                vehicle=vehicle_text(order.vehicle), number=order.number
            )
        )
        self.vehicle_step.refresh_lists()
        return True

    def start_from_appointment(self, appointment_id: int) -> bool:
        """Receive a booked car (from the appointments page or today's list): check it in."""
        appt = Appointment.get_or_none(Appointment.id == appointment_id)
        if appt is None:
            self.banner.show_error(translate("ReceptionPage", "The appointment no longer exists."))
            return False
        order = appointment_service.order_of(appt)
        if order is not None and order.state == State.CHECKED_IN.value:
            return self.open_order(order.id)
        if self.order_id is not None and (order is None or order.id != self.order_id):
            self.new_reception(ask_first=False, keep_draft=False)
        self.select_vehicle(appt.vehicle_id, appt.customer_id, appt.id)
        if not self.may_receive:
            return False
        return self.check_in()

    def open_reception_for_appointment(self, appointment_id: int) -> bool:
        """The window hook for the appointments page: show Reception and receive the car."""
        if "reception" in self.window_.visible_page_keys():
            self.window_.show_page("reception")
        return self.start_from_appointment(appointment_id)

    def open_vehicle(self, vehicle_id: int) -> bool:
        """A car picked in the global search: resume its reception, or choose it for a new one."""
        if self.order_id is not None and self.order is not None:
            current = self.order
            if current.vehicle_id == vehicle_id:
                return True
            if self.dirty:
                ask(
                    self,
                    translate("ReceptionPage", "Start another reception?"),
                    translate(
                        "ReceptionPage",
                        "Order {number} stays checked in and can be continued later; what you typed on "
                        "this step and have not saved is dropped.",
                    ).format(number=current.number),
                    translate("ReceptionPage", "Start another"),
                    lambda: self._switch_to_vehicle(vehicle_id),
                )
                return False
        self._switch_to_vehicle(vehicle_id)
        return True

    def _switch_to_vehicle(self, vehicle_id: int) -> None:
        if self.order_id is not None:
            self.new_reception(ask_first=False, keep_draft=False)
        self.select_vehicle(vehicle_id)

    def vehicle_opened(self, vehicle_id: int) -> None:
        """MainWindow.vehicle_opened: Reception takes the car when it is on screen."""
        if self.window_.current_page_key() == "reception" and self.may_receive:
            self.open_vehicle(vehicle_id)
        else:
            self.window_.show_vehicle_summary(vehicle_id)

    # ================================================================== opening an order
    def open_order(self, order_id: int, step: int | None = None) -> bool:
        """Continue receiving a checked-in order at ``step`` (default: the first open one)."""
        order = RepairOrder.get_or_none(RepairOrder.id == order_id)
        if order is None:
            self.banner.show_error(translate("ReceptionPage", "The order no longer exists."))
            return False
        if order.state == State.BOOKED.value and order.appointment_id:
            return self.start_from_appointment(order.appointment_id)
        if order.state != State.CHECKED_IN.value:
            self.banner.show_error(
                translate(
                    "ReceptionPage", "Order {number} is {state}; it is no longer at reception."
                ).format(number=order.number, state=state_label(order.state))
            )
            return False
        self._clear_marks()
        self.order_id = order.id
        self.vehicle_id = order.vehicle_id
        self.customer_id = order.customer_id
        self.appointment_id = order.appointment_id
        self.runner.set_order(order.id)
        self.dirty.clear()
        self.load_steps(order)
        self._show_choice()
        self.archive.show_vehicle(order.vehicle_id)
        target = step if step is not None else first_open_step(order)
        if order.signed_at is not None:
            target = TASK_ORDER
        self.go_to(target, save=False)
        return True

    def load_steps(self, order: RepairOrder) -> None:
        """Fill every step from the stored order (unsaved input is replaced)."""
        self._loading_step = True
        try:
            self.walk_around.load(order.id)
            self.complaint.load(order, self._editable())
            self.estimate.set_order(order.id)
            self.task_order.load(order)
            self._update_signed_state()
        finally:
            self._loading_step = False

    # ================================================================== step 3: complaint
    def use_quick_job(self, job: Any) -> None:
        """A standard job from the complaint step: its labour and parts go on the estimate; the
        complaint stays as the customer said it (an empty one takes the job's title)."""
        if not self._editable():
            return
        self.complaint.add_request(job.title)
        if self.estimate.add_quick_job(job):
            order = self.order
            if not self.complaint.warranty_touched or not (order and order.warranty_decision):
                self.complaint.prefill_warranty(order)
                self._mark_dirty(COMPLAINT)
            self.update_chrome()

    # ================================================================== step 4: estimate
    def _lines_changed(self) -> None:
        self.update_chrome()

    def raise_again(self, recommendation_id: int) -> None:
        """One click in the archive adds a declined recommendation to the estimate."""
        rec = Recommendation.get_or_none(Recommendation.id == recommendation_id)
        if rec is None or not self._editable():
            return
        line = self.estimate.add_description(rec.description)
        if line is not None:
            self.status(
                translate("ReceptionPage", "Added to the estimate: {work}.").format(
                    work=rec.description
                )
            )
            button = self.archive.add_buttons.get(recommendation_id)
            if button is not None:
                button.setEnabled(False)
                button.setText(translate("ReceptionPage", "Added"))
            self.update_chrome()

    # ================================================================== step 5: task order
    def _options_changed(self) -> None:
        self._mark_dirty(TASK_ORDER)
        if self.step == TASK_ORDER:
            self.update_checklist()

    def _signature_changed(self) -> None:
        if self.step == TASK_ORDER:
            self.update_checklist()

    def _update_signed_state(self) -> None:
        order = self.order
        signed = order is not None and order.signed_at is not None
        self.task_order.set_editable(self._editable(), self.may_receive, order is not None)
        if signed and order is not None:
            how = (
                translate("ReceptionPage", "on paper")
                if order.signed_on_paper
                else translate("ReceptionPage", "on the pad")
            )
            self.banner.show_info(
                translate(
                    "ReceptionPage", "The customer signed the task order at {time} ({how})."
                ).format(time=order.signed_at.strftime("%H:%M"), how=how)
            )

    def update_checklist(self) -> None:
        self.task_order.show_checklist(self.order)

    def print_document(self, kind: str) -> QWidget | None:
        """Print preview of the task order or the check-in sheet (options saved first)."""
        from shop_desk.ui.shell.print_preview import show_print_preview

        order = self.order
        if order is None:
            return None
        if kind == "task-order" and self._editable() and not self.task_order.save_options():
            return None
        if kind == "check-in" and not Inspection.select().where(Inspection.order == order).exists():
            self.banner.show_error(
                translate(
                    "ReceptionPage", "Save the walk-around first; the check-in sheet shows it."
                )
            )
            return None
        return show_print_preview(self, kind, order.number)

    def finish(self) -> bool:
        """Sign the task order (pad or paper) and hand the car to the workshop; then start afresh."""
        order = self.order
        if order is None:
            return False
        if order.signed_at is None:
            if not self.task_order.save_options():
                return False
            self.update_checklist()
            if not self.task_order.sign():
                self.update_checklist()
                return False
            self.dirty.discard(TASK_ORDER)
        if not self.task_order.hand_over():
            self.update_chrome()
            self._update_signed_state()
            self.update_checklist()
            return False
        number, order_id = order.number, order.id
        vehicle = vehicle_text(order.vehicle)
        self.new_reception(ask_first=False, keep_draft=False)
        self.notice.show_notice(
            translate(
                "ReceptionPage",
                "{number} ({vehicle}) is signed and handed over to the workshop; it waits for dispatch.",
            ).format(number=number, vehicle=vehicle),
            "info",
            [
                (
                    translate("ReceptionPage", "Print the task order"),
                    lambda: self._print_number("task-order", number),
                    "printLastTaskOrder",
                ),
                (
                    translate("ReceptionPage", "Print the check-in sheet"),
                    lambda: self._print_number("check-in", number),
                    "printLastCheckIn",
                ),
            ],
        )
        self.status(
            translate("ReceptionPage", "{number} handed over to the workshop.").format(
                number=number
            )
        )
        self.handed_over.emit(order_id)
        return True

    def _print_number(self, kind: str, number: str) -> None:
        from shop_desk.ui.shell.print_preview import show_print_preview

        show_print_preview(self, kind, number)

    # ================================================================== new / cancel / reload
    def has_unsaved_input(self) -> bool:
        return bool(self.dirty) and self.order_id is not None

    def new_reception(self, ask_first: bool = True, keep_draft: bool = False) -> None:
        """Clear the flow for the next car (the current order stays checked in if not finished)."""
        if ask_first and self.has_unsaved_input():
            ask(
                self,
                translate("ReceptionPage", "Start a new reception?"),
                translate(
                    "ReceptionPage",
                    "What you typed on this step is not saved yet. The order stays checked in and can "
                    "be continued from the list.",
                ),
                translate("ReceptionPage", "Start a new reception"),
                lambda: self.new_reception(ask_first=False),
            )
            return
        self.autosave.stop()
        if not keep_draft:
            drafts.discard(self.autosave.key)
        self._loading_step = True
        try:
            self.vehicle_id = self.customer_id = self.appointment_id = self.order_id = None
            self.runner.set_order(None)
            self.dirty.clear()
            self.walk_around.clear()
            self.complaint.clear()
            self.estimate.set_order(None)
            self.task_order.clear()
            self.vehicle_step.clear()
        finally:
            self._loading_step = False
        self._clear_marks()
        self.notice.clear_notice()
        self._show_choice()
        self.archive.show_vehicle(None)
        self.vehicle_step.refresh_lists()
        self.step = -1
        self.go_to(VEHICLE, save=False)

    def cancel_reception(self) -> ReasonDialog | None:
        order = self.order
        if order is None:
            return None
        number = order.number

        def submit(reason: str) -> Any:
            return self.runner.attempt(reception.cancel_order, self.order_id, reason)

        dialog = ReasonDialog(
            translate("ReceptionPage", "Cancel reception"),
            translate(
                "ReceptionPage",
                "Cancel order {number}? Reserved parts go back to the stock. This cannot be undone.",
            ).format(number=number),
            translate("ReceptionPage", "Reason"),
            submit,
            self,
            translate("ReceptionPage", "Cancel the order"),
        )

        def done() -> None:
            self.new_reception(ask_first=False)
            self.notice.show_notice(
                translate("ReceptionPage", "Order {number} was cancelled.").format(number=number),
                "info",
            )

        dialog.accepted.connect(done)
        self.reason_dialog = dialog
        dialog.open()
        return dialog

    def reload_after_conflict(self) -> None:
        """Take the other station's change; keep what is typed on the current step."""
        self.notice.clear_notice()
        order = self.order
        if order is None or order.state != State.CHECKED_IN.value:
            self.new_reception(ask_first=False)
            return
        self.runner.reload_version()
        self._loading_step = True
        try:
            if self.step != INSPECTION and INSPECTION not in self.dirty:
                self.walk_around.load(order.id)
            if self.step != COMPLAINT and COMPLAINT not in self.dirty:
                self.complaint.load(order, self._editable())
            self.estimate.reload()
            if self.step != TASK_ORDER and TASK_ORDER not in self.dirty:
                self.task_order.load(order)
                self._update_signed_state()
        finally:
            self._loading_step = False
        self.archive.refresh()
        self.update_chrome()
        self.banner.show_info(
            translate("ReceptionPage", "Reloaded. Your input on this step is kept; save it again.")
        )

    def database_changed(self) -> None:
        """Another desk committed: today's lists and the estimate's stock follow at once."""
        if not self.isVisible():
            return
        self.vehicle_step.refresh_lists()
        if self.step == ESTIMATE:
            self.estimate.refresh_stock()

    def refresh(self) -> None:
        """Shown again or F5: lists, stock and archive follow; typed input stays."""
        self.vehicle_step.refresh_lists()
        self.archive.refresh()
        self.archive.set_can_add(self._editable())
        if self.order_id is not None:
            order = self.order
            if order is None or order.state != State.CHECKED_IN.value:
                self.new_reception(ask_first=False)
                return
            self.estimate.reload()
        self.update_chrome()

    # ================================================================== screenshots
    def hold_drafts(self) -> None:
        """From now on nothing is autosaved or counted as unsaved input (a picture run)."""
        self.autosave.hold()
        self._loading_step = True

    def screenshot_views(self) -> list[tuple[str, Callable[[], object]]]:
        """One picture per step of the oldest reception in progress (read only, nothing saved)."""
        rows = receptions_in_progress()
        if not rows:
            return []
        order_id = rows[0].order.id
        self.autosave.hold()  # a picture run: leave the person's drafts alone
        views: list[tuple[str, Callable[[], object]]] = [
            (STEP_KEYS[n], lambda n=n: self.open_order(order_id, n)) for n in range(1, 5)
        ]
        views.append(("new", lambda: self.new_reception(ask_first=False, keep_draft=True)))
        return views


# ------------------------------------------------------------------------------ registration


def _factory(window: MainWindow) -> ReceptionPage:
    page = ReceptionPage(window)
    window.open_reception_for_appointment = page.open_reception_for_appointment  # type: ignore[attr-defined]
    window.open_reception_for_vehicle = page.open_vehicle  # type: ignore[attr-defined]
    if not getattr(window, "_reception_takes_vehicles", False):
        # pages are rebuilt when another person signs in: take the signal over only once
        with contextlib.suppress(RuntimeError, TypeError):
            window.vehicle_opened.disconnect(window.show_vehicle_summary)
        window._reception_takes_vehicles = True  # type: ignore[attr-defined]
    window.vehicle_opened.connect(page.vehicle_opened)
    return page


def _window_opens_reception(window: MainWindow, appointment_id: int) -> bool:
    """``window.open_reception_for_appointment`` before the Reception page was first built."""
    if "reception" not in window.visible_page_keys():
        window.show_status(
            translate("ReceptionPage", "Reception is not open to {name}.").format(
                name=window.staff.name
            )
        )
        return False
    page = window.show_page("reception")
    assert isinstance(page, ReceptionPage)
    return page.start_from_appointment(appointment_id)


def _open_order_at_reception(window: MainWindow, order_id: int) -> QWidget:
    """The window opener ``reception_order`` (e.g. a towed car the field desk received):
    show Reception with that checked-in order."""
    page = window.show_page("reception")
    assert isinstance(page, ReceptionPage)
    page.open_order(order_id)
    return page


def register() -> None:
    """Plug the Reception area into the navigation (service advisors and managers).

    Windows get ``open_reception_for_appointment(appointment_id)`` (the appointments page's
    "Check in"): it shows Reception and receives the booked car."""
    from shop_desk.ui.shell.main_window import MainWindow

    if not hasattr(MainWindow, "open_reception_for_appointment"):
        MainWindow.open_reception_for_appointment = _window_opens_reception  # type: ignore[attr-defined]
    register_page(
        "reception",
        lambda: translate("ReceptionPage", "Reception"),
        (Role.ADVISOR, Role.MANAGER),
        _factory,
    )
    register_opener("reception_order", _open_order_at_reception)


register()
