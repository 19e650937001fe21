"""The checkout desk and the paper (issue 18 item 8): the team leader's repair advice reaches
the delivery screen, and a pro-forma settlement slip (预结算单) is printed before payment."""

from __future__ import annotations

import io

import pypdf
import pytest
from PySide6.QtCore import Qt
from test_ui_checkout import desk

from factories import make_line, make_order
from shop_desk import clock
from shop_desk.models import QcCheck
from shop_desk.services import checkout
from shop_desk.states import State
from shop_desk.ui.shell.print_preview import PrintPreviewDialog

ADVICE = "建议3个月内检查刹车片 check the brake pads within 3 months"


@pytest.fixture(autouse=True)
def _clock_pinned_after_db(db, fixed_clock):
    clock.set_now(fixed_clock)


def _desk(qtbot, make_window, login, order):
    return desk(make_window, login, order, qtbot)[1]


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)


def test_delivery_screen_shows_the_team_leaders_advice(qtbot, make_window, staff):
    order = make_order(State.READY)
    QcCheck.create(
        order=order, stage="leader", passed=True, by=staff["leader1"], advice=ADVICE, at=clock.now()
    )
    page = _desk(qtbot, make_window, "advisor", order)
    delivery = page.show_step("delivery")
    assert delivery.advice_label.isVisible()
    assert ADVICE in delivery.advice_label.text()


def test_delivery_screen_without_advice_shows_no_advice_line(qtbot, make_window):
    order = make_order(State.READY)
    page = _desk(qtbot, make_window, "advisor", order)
    delivery = page.show_step("delivery")
    assert not delivery.advice_label.isVisible() and delivery.advice_label.text() == ""


def test_pro_forma_slip_before_payment_from_the_desk(qtbot, make_window, staff):
    order = make_order(State.DELIVERED)
    due = checkout.settlement_preview(order).due
    page = _desk(qtbot, make_window, "cashier", order)
    slip = page.show_step("slip")
    assert not slip.print_button.isEnabled()  # no settlement yet: no settlement slip
    assert slip.pro_forma_button.isEnabled()
    qtbot.mouseClick(slip.pro_forma_button, Qt.MouseButton.LeftButton)
    dialogs = page.findChildren(PrintPreviewDialog)
    assert len(dialogs) == 1
    dialog = dialogs[0]
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=20000)
    assert dialog.kind == "pro-forma" and dialog.copy_mark is False
    text = _text(dialog.pdf)
    assert "Pro-forma settlement slip" in text and "NOT A RECEIPT" in text
    assert f"¥{due:,.2f}" in text and order.number in text
    assert "Settlement no." not in text and "Customer signature" not in text
    dialog.reject()
    # once settled, the settlement slip is the paper: no pro-forma any more
    checkout.take_payment(staff["cashier"], order, "card", due)
    checkout.settle(staff["cashier"], order)
    page.reload()
    slip = page.show_step("slip")
    assert slip.print_button.isEnabled() and not slip.pro_forma_button.isEnabled()


def test_delivery_screen_shows_no_amount_for_declined_work(qtbot, make_window):
    order = make_order(State.READY)
    make_line(order, "Clean throttle body", auth_state="declined", origin="additional")
    page = _desk(qtbot, make_window, "advisor", order)
    delivery = page.show_step("delivery")
    rows = {
        delivery.work.index(r, 0).data(): [
            delivery.work.index(r, c).data() for c in range(delivery.work.columnCount())
        ]
        for r in range(delivery.work.rowCount())
    }
    declined = rows["Clean throttle body"]
    assert declined[2] == "declined by the customer"
    assert declined[3:] == ["—", "—"]  # not "Customer pays", no amount
