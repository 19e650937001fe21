"""The station's action bar: the big buttons for the chosen order's steps — accept the car,
the self-check, the team-leader check, the final inspection, the wash and the parking spot,
sending a car back, additional work and a delay. A role that cannot do a step never sees
its button; the step due next is the blue one."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from PySide6.QtWidgets import QDialog, QGridLayout, QPushButton, QWidget

from shop_desk.i18n import translate
from shop_desk.models import RepairOrder
from shop_desk.services import workshop
from shop_desk.states import WORKSHOP_STATES, State
from shop_desk.ui.shell.widgets import allowed
from shop_desk.ui.station import reads
from shop_desk.ui.station.common import StationHost, big_button, set_flag
from shop_desk.ui.station.dialogs_additional import ProposeWorkDialog
from shop_desk.ui.station.dialogs_car import (
    AcceptCarDialog,
    DelayDialog,
    ParkingDialog,
    SendBackDialog,
)
from shop_desk.ui.station.dialogs_checks import FinalQcDialog, LeaderCheckDialog, SelfCheckDialog


class ActionBar(QWidget):
    """The order's step buttons and what each opens; see the module docstring."""

    def __init__(self, host: StationHost, parent: QWidget) -> None:
        super().__init__(parent)
        self.setObjectName("actionBar")
        self.host = host
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
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 4, 0, 4)
        grid.setSpacing(6)
        self.buttons: dict[str, QPushButton] = {}
        shown = 0
        staff = host.staff
        for key, text, operation, slot in specs:
            button = big_button(text, self, f"{key}Button")
            button.setMinimumHeight(52)
            button.clicked.connect(slot)
            self.buttons[key] = button
            if allowed(staff, operation):
                grid.addWidget(button, shown // 4, shown % 4)
                shown += 1
            else:
                button.hide()

    def has_buttons(self) -> bool:
        """Whether the signed-in person's roles may do any of the steps."""
        return any(not b.isHidden() for b in self.buttons.values())

    def show_order(self, order: RepairOrder) -> None:
        """Enable the steps that apply to ``order``; the step due next is the blue button
        (a glance tells what to press)."""
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
        for key, button in self.buttons.items():
            set_flag(button, "primary", key == due)
            button.setEnabled(applies.get(key, True))

    # -- the steps -----------------------------------------------------------------------
    def accept_car(self) -> QDialog | None:
        order = self.host.need_order()
        if order is None:
            return None
        return self.host.open_dialog(
            AcceptCarDialog(self.host.staff, order, self),
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
        order = self.host.need_order()
        if order is None:
            return None
        return self.host.open_dialog(
            DelayDialog(self.host.staff, order, self),
            lambda d: translate(
                "Station",
                "Delay reported; the service advisor sees it now. New promised time {when}.",
            ).format(when=d.result_value.new_promised_at.strftime("%m-%d %H:%M")),
        )

    def propose_work(self) -> QDialog | None:
        order = self.host.need_order()
        if order is None:
            return None
        return self.host.open_dialog(
            ProposeWorkDialog(self.host.staff, order, self),
            lambda d: (
                translate(
                    "Station",
                    "Supplementary assessment sent to the insurer; order {number} waits for the "
                    "insurer's approval.",
                )
                if d.result_value.decided_by == "insurer"
                else translate(
                    "Station",
                    "Additional work sent for the customer's authorisation; order {number} waits "
                    "for it.",
                )
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
        self.host.show_error(refusal)
        self.host.status(refusal)
        return True

    def self_check(self) -> QDialog | None:
        order = self.host.need_order()
        if order is None or self._work_not_done(
            order, translate("Workshop", "record the self-check")
        ):
            return None
        return self.host.open_dialog(
            SelfCheckDialog(self.host.staff, order, self),
            lambda d: translate("Station", "Self-check recorded: {result}.").format(
                result=translate("Station", "passed")
                if d.result_value.passed
                else translate("Station", "not passed")
            ),
        )

    def leader_check(self) -> QDialog | None:
        order = self.host.need_order()
        if order is None or self._work_not_done(
            order, translate("Workshop", "record the team-leader check")
        ):
            return None
        return self.host.open_dialog(
            LeaderCheckDialog(self.host.staff, order, self),
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
        order = self.host.need_order()
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

        return self.host.open_dialog(FinalQcDialog(self.host.staff, order, self), done)

    def start_wash(self) -> None:
        order = self.host.need_order()
        if order is not None:
            self.host.call(
                workshop.start_wash,
                order.id,
                done=translate(
                    "Station", "Wash of {number} started; the advisor and the supervisor are told."
                ).format(number=order.number),
            )

    def finish_wash(self) -> QDialog | None:
        order = self.host.need_order()
        if order is None:
            return None
        return self.host.open_dialog(
            ParkingDialog(self.host.staff, order, self, finish=True),
            lambda d: translate(
                "Station", "{number} is washed and ready for delivery, parked at {spot}."
            ).format(number=order.number, spot=d.result_value.parking_spot),
        )

    def parking_spot(self) -> QDialog | None:
        order = self.host.need_order()
        if order is None:
            return None
        return self.host.open_dialog(
            ParkingDialog(self.host.staff, order, self, finish=False),
            lambda d: translate("Station", "{number} is parked at {spot}.").format(
                number=order.number, spot=d.result_value.parking_spot
            ),
        )

    def send_back(self) -> QDialog | None:
        order = self.host.need_order()
        if order is None:
            return None
        return self.host.open_dialog(
            SendBackDialog(self.host.staff, order, self),
            lambda d: translate(
                "Station", "{number} goes back to the workshop for rework; the technician sees it."
            ).format(number=order.number),
        )
