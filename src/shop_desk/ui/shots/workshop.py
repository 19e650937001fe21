"""Screenshot staging for the workshop desk: the board's dialogs (dispatch, the same with a
missing skill, the job's detail, a delay) and both variants of the wall display.

Imported by :func:`shop_desk.ui.shots.screenshots.load_staging_modules`; the pages are
imported when a shot runs (after the main window has registered them)."""

from __future__ import annotations

from PySide6.QtCore import QSize

from shop_desk.i18n import translate
from shop_desk.models import Staff, StaffRole
from shop_desk.roles import Role
from shop_desk.states import State
from shop_desk.ui.shell import fit
from shop_desk.ui.shots.screenshots import ShotContext, register_screenshot, settle


def _supervisor(default: Staff) -> Staff:
    row = (
        Staff.select()
        .join(StaffRole)
        .where((StaffRole.role == Role.SUPERVISOR.value) & (Staff.active == True))  # noqa: E712
        .first()
    )
    return row or default


def shot_dispatch(ctx: ShotContext) -> None:
    from shop_desk.services import board
    from shop_desk.ui.workshop.cards import REASSIGN_STATES
    from shop_desk.ui.workshop.dialogs import DelayDialog, DetailDialog, DispatchDialog

    cards = board.board_cards()
    card = next(
        (c for c in cards if c.state == State.AWAITING_DISPATCH.value),
        next((c for c in cards if c.state in REASSIGN_STATES), None),
    )
    if card is None:
        return
    loads = board.team_load()
    dialog = DispatchDialog(_supervisor(ctx.staff), card.order_id, loads, None, ctx.window)
    dialog.show()
    settle()
    ctx.save("dialog_workshop_dispatch", dialog)
    # the same with a team that lacks a skill, if the job needs one some team lacks
    for load in loads:
        if set(dialog.detail["skills"]) - set(load.skills):
            dialog.select_team(load.team_id)
            settle()
            ctx.save("dialog_workshop_dispatch_warning", dialog)
            break
    dialog.close()
    settle()
    detail = DetailDialog(card.order_id, ctx.window)
    detail.show()
    settle()
    ctx.save("dialog_workshop_detail", detail)
    detail.close()
    in_work = next((c for c in cards if c.state == State.IN_PROGRESS.value), None)
    if in_work is not None:
        delay = DelayDialog(_supervisor(ctx.staff), in_work.order_id, ctx.window)
        delay.reason_edit.setPlainText(translate("WorkshopBoard", "Parts arrive tomorrow morning."))
        delay.show()
        settle()
        ctx.save("dialog_workshop_delay", delay)
        delay.close()
    settle()


def shot_displays(ctx: ShotContext) -> None:
    """Both variants of the wall display at 1920×1080 (and their second page, if any)."""
    from shop_desk.db import database_url
    from shop_desk.ui.workshop.display import DisplayWindow

    path = database_url()
    if not path:
        return
    for lounge, name in ((False, "display_workshop"), (True, "display_lounge")):
        window = DisplayWindow(path, lounge=lounge)
        window.resize(1920, 1080)
        with fit.room_of(QSize(1920, 1080)):  # drawn for the TV, not the desk's screen
            window.show()
            settle()
        ctx.save(name, window)
        if window.page_count() > 1:
            window.next_page()
            settle()
            ctx.save(f"{name}_page2", window)
        window.close()
        window.deleteLater()
        settle()


register_screenshot("workshop_dispatch", shot_dispatch)
register_screenshot("workshop_display", shot_displays)
