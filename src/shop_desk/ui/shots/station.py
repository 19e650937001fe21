"""Screenshot staging for the station desk: "My jobs" as each workshop role sees it, with its
dialogs, and the advisor's "Workshop notices" with the authorisation panel mid-decision.
Registered with :func:`~shop_desk.ui.shots.screenshots.register_screenshot`; uses only the
pages' public methods (and those of the station's tabs and action bar)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from shop_desk.i18n import translate
from shop_desk.models import AdditionalWorkRequest, PartsIssueSlip, RepairOrder, Staff, StaffRole
from shop_desk.roles import Role
from shop_desk.services import workshop
from shop_desk.states import State
from shop_desk.ui.shots.screenshots import ShotContext, register_screenshot, settle
from shop_desk.ui.station import reads
from shop_desk.ui.station.authorisation import AdditionalWorkAuthorisationPanel, advisors
from shop_desk.ui.station.dialogs_additional import ProposeWorkDialog
from shop_desk.ui.station.dialogs_checks import SelfCheckDialog
from shop_desk.ui.station.dialogs_parts import SignSlipDialog

if TYPE_CHECKING:
    from PySide6.QtWidgets import QDialog

    from shop_desk.ui.station.page import StationPage


# -- the advisor's notices and the panel with a decision in progress -----------------------
def _advisor_shots(ctx: ShotContext) -> None:
    window = ctx.window
    original = ctx.staff
    pending = (
        AdditionalWorkRequest.select(AdditionalWorkRequest)
        .join(RepairOrder)
        .where(AdditionalWorkRequest.state == "pending")
        .order_by(AdditionalWorkRequest.id)
        .first()
    )
    advisor = pending.order.advisor if pending is not None and pending.order.advisor_id else None
    if advisor is None:
        people = advisors()
        advisor = max(people, key=lambda a: len(workshop.advisor_alerts(a))) if people else None
    if advisor is None:
        return
    try:
        window.apply_staff(advisor)
        page = window.show_page("alerts")
        settle()
        ctx.save("alerts_page", window)
        panel = page.panel
        if panel.request is not None:
            lines = list(panel.line_buttons)
            for n, line_id in enumerate(lines):
                panel.set_decision(
                    line_id, "declined" if n == len(lines) - 1 and n else "authorised"
                )
            panel.set_method("signature")
            settle()
            pad = panel.pad
            w, h = pad.width(), pad.height()
            pad.strokes = [
                [
                    (w * (0.2 + 0.45 * t / 40), h * (0.5 - 0.2 * ((t % 8) / 8)), 0.5)
                    for t in range(41)
                ]
            ]
            pad.update()
            settle()
            ctx.save("authorisation_panel", panel)
        standalone = AdditionalWorkAuthorisationPanel(advisor)
        standalone.resize(980, 760)
        ctx.save("authorisation_panel_standalone", standalone)
        standalone.close()
        standalone.deleteLater()
    finally:
        window.apply_staff(original)
        settle()


# -- the station, role by role ---------------------------------------------------------------
def _busiest(role: Role) -> Staff | None:
    """The person holding ``role`` with the most jobs (those with only that role first)."""
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
    for row in page.job_rows():
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
            page.show_tab(tab)
            settle()
            ctx.save(f"station_{name}", window)
        tech = _busiest(Role.TECHNICIAN)
        if tech is not None:
            page = _as(ctx, tech)
            if _pick(page, lambda r: r.state in (State.IN_PROGRESS.value, State.REWORK.value)):
                for key, opener in (
                    ("accept", page.actions.accept_car),
                    ("propose", page.actions.propose_work),
                    ("delay", page.actions.report_delay),
                    ("self_check", page.actions.self_check),
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
                        if isinstance(dialog, SelfCheckDialog):  # all checked but one
                            dialog.all_box.click()
                            dialog.boxes[reads.SELF_CHECK_ITEMS[2]].click()
                            settle()
                            ctx.save("station_dialog_self_check_exception", dialog)
                        if isinstance(dialog, ProposeWorkDialog):
                            dialog.draft_timer.stop()  # a screenshot leaves no draft behind
                        dialog.reject()
                        settle()
                page.work.select_labour(lambda r: True)
                _shoot(ctx, "station_dialog_pause", page.work.clock_pause())
        working = (State.IN_PROGRESS.value, State.REWORK.value)
        for role, predicate, name, opener in (
            (
                Role.TEAM_LEADER,
                lambda r: r.state in working,
                "leader_check",
                lambda p: p.actions.leader_check(),
            ),
            (Role.INSPECTOR, lambda r: True, "final_qc", lambda p: p.actions.final_qc()),
            (Role.PARTS_CLERK, lambda r: True, "issue_parts", lambda p: p.parts.issue_parts()),
            (Role.WASHER, lambda r: True, "parking", lambda p: p.actions.finish_wash()),
        ):
            person = _busiest(role)
            if person is None:
                continue
            page = _as(ctx, person)
            if _pick(page, predicate):
                _shoot(ctx, f"station_dialog_{name}", opener(page))
            if role == Role.PARTS_CLERK:
                _shoot(ctx, "station_dialog_goods_received", page.parts.receive_stock())
        _slip_shot(ctx)
        manager = _busiest(Role.MANAGER)
        if manager is not None:
            page = _as(ctx, manager)
            for row in page.job_rows():
                page.select_order(row.order_id)
                if page.work.select_labour(
                    lambda r: r.done_seconds > 0 or r.running_since is not None
                ):
                    page.show_tab("work")
                    page.work.select_clock(lambda r: True)
                    settle()
                    ctx.save("station_manager_clock", window)
                    _shoot(ctx, "station_dialog_clock_edit", page.work.edit_clock())
                    break
    finally:
        window.apply_staff(original)
        settle()


def _shoot(ctx: ShotContext, name: str, dialog: QDialog | None) -> None:
    """Save a dialog the page opened, then close it (nothing when the page offered none)."""
    if dialog is not None:
        ctx.save(name, dialog)
        dialog.reject()


def _slip_shot(ctx: ShotContext) -> None:
    """The signature dialog of a slip (an unsigned one if the demo has it, else the latest)."""
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


register_screenshot("alerts", _advisor_shots)
register_screenshot("station", _station_shots)
