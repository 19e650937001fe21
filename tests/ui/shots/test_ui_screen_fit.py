"""Every window and dialog fits a 1280×720 and a 1366×768 screen with its buttons in sight
(issue 19): the screenshot staging opens them all; instead of writing PNGs each one is
measured against the screen's available area."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, QSize
from PySide6.QtWidgets import QAbstractButton, QDialog, QDialogButtonBox, QMainWindow, QWidget

from shop_desk.ui.shell import fit
from shop_desk.ui.shots import screenshots
from shop_desk.ui.shots.screenshots import render_all


def problems_of(name: str, window: QWidget, room: QSize) -> list[str]:
    """What does not fit: the window (a main window: what its layout needs), or a button
    outside the window."""
    found = []
    size = window.minimumSizeHint() if isinstance(window, QMainWindow) else window.size()
    if size.width() > room.width() or size.height() > room.height():
        found.append(f"{name}: {size.width()}×{size.height()} on {room.width()}×{room.height()}")
    if isinstance(window, QDialog):
        inside = window.rect()
        for box in window.findChildren(QDialogButtonBox):
            for button in box.findChildren(QAbstractButton):
                if not button.isVisibleTo(window):
                    continue
                corner = button.mapTo(window, QPoint(0, 0))
                if not inside.contains(QRect(corner, button.size())):
                    found.append(f"{name}: the button {button.text()!r} is cut off")
    return found


@pytest.mark.parametrize("screen", [QSize(1280, 720), QSize(1366, 768)], ids=["720p", "768p"])
def test_every_window_and_dialog_fits_the_screen(
    qapp, db, db_path, shop_data, tmp_path, monkeypatch, screen
):
    room = screen - fit.FRAME_ALLOWANCE  # less the title bar and the frame
    monkeypatch.setattr(fit, "available_size", lambda widget=None: room)
    measured: dict[str, str] = {}
    problems: list[str] = []

    def measure(ctx, name: str, what) -> None:  # noqa: ANN001 - instead of writing a PNG
        if not isinstance(what, QWidget):
            return
        if not what.isVisible():
            what.show()
        window = what.window()
        if window is not what or not isinstance(window, (QDialog, QMainWindow)):
            return  # a part of a window, or a panel staged on its own
        screenshots.settle()
        measured[name] = type(window).__name__
        problems.extend(problems_of(name, window, room))

    monkeypatch.setattr(screenshots, "_save", measure)
    render_all(tmp_path, db_path, "en")
    # the sample shop stages the dialogs of every desk, among them the two that were too tall
    assert {"login", "main_admin", "dialog_staff_edit", "print_preview_task_order"} <= set(
        measured
    ), sorted(measured)
    assert problems == []


def test_the_dialogs_the_sample_shop_does_not_stage_fit_too(qtbot, make_window, staff, monkeypatch):
    """The checks, the car's dialogs at the station and the checkout's dialogs, opened
    directly on orders in the right state."""
    from factories import make_order
    from shop_desk.models import Recommendation
    from shop_desk.states import State
    from shop_desk.ui.checkout.dialogs import (
        DeclineDialog,
        DiscountDialog,
        ManagerApprovalDialog,
        RecommendationDialog,
    )
    from shop_desk.ui.station.dialogs_car import (
        AcceptCarDialog,
        DelayDialog,
        ParkingDialog,
        SendBackDialog,
    )
    from shop_desk.ui.station.dialogs_checks import (
        FinalQcDialog,
        LeaderCheckDialog,
        SelfCheckDialog,
    )

    room = QSize(1280, 720) - fit.FRAME_ALLOWANCE
    monkeypatch.setattr(fit, "available_size", lambda widget=None: room)
    window = make_window("admin")
    working = make_order(State.IN_PROGRESS)
    delivered = make_order(State.DELIVERED)
    rec = Recommendation.create(
        order=delivered, vehicle=delivered.vehicle, description="刹车片 Brake pads", safety=True
    )
    dialogs = {
        "accept": AcceptCarDialog(staff["tech1"], working, window),
        "self_check": SelfCheckDialog(staff["tech1"], working, window),
        "leader_check": LeaderCheckDialog(staff["leader1"], working, window),
        "final_qc": FinalQcDialog(staff["inspector"], working, window),
        "delay": DelayDialog(staff["tech1"], working, window),
        "send_back": SendBackDialog(staff["supervisor"], working, window),
        "parking": ParkingDialog(staff["washer"], working, window),
        "discount": DiscountDialog(staff["advisor"], delivered, None, window),
        "recommendation": RecommendationDialog(staff["advisor"], delivered, window),
        "decline": DeclineDialog(staff["advisor"], rec, window),
        "void": ManagerApprovalDialog(staff["advisor"], delivered, "void", window),
    }
    problems = []
    for name, dialog in dialogs.items():
        dialog.show()
        qtbot.waitExposed(dialog)
        problems += problems_of(name, dialog, room)
        dialog.reject()
    assert problems == []
