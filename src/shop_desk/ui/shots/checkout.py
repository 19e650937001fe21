"""Screenshot staging for the checkout desk: every step (as an advisor), its dialogs and the
gate window's three states.

Imported by :func:`shop_desk.ui.shots.screenshots.load_staging_modules`; the pages are
imported when a shot runs (after the main window has registered them)."""

from __future__ import annotations

from shop_desk.models import GatePass, Recommendation, RepairOrder, Staff
from shop_desk.roles import Role
from shop_desk.states import State
from shop_desk.ui.shots.screenshots import (
    ShotContext,
    register_screenshot,
    settle,
    shoot_and_close,
    staff_with,
)


def _desk_staff() -> Staff | None:
    return staff_with(Role.ADVISOR) or staff_with(Role.CASHIER)


def shots(ctx: ShotContext) -> None:
    """Every step of the desk (as an advisor), its dialogs and the gate window's three states."""
    from shop_desk.ui.checkout import dialogs
    from shop_desk.ui.checkout.gate import GateWindow
    from shop_desk.ui.checkout.page import CheckoutPage, first_order
    from shop_desk.ui.shell.main_window import MainWindow

    person = _desk_staff()
    if person is None:
        return
    window = MainWindow(person)
    window.resize(1280, 800)
    window.show()
    settle()
    try:
        page = window.show_page("checkout")
        assert isinstance(page, CheckoutPage)
        has_recs = lambda o: Recommendation.select().where(Recommendation.order == o).exists()  # noqa: E731
        ready = first_order(State.READY)
        delivered = first_order(State.DELIVERED, has_recs) or first_order(State.DELIVERED)
        settled = first_order(State.SETTLED)
        views = [
            ("check", ready, "check"),
            ("notify", ready, "notify"),
            ("delivery", ready, "delivery"),
            ("delivery_done", delivered, "delivery"),
            ("slip", delivered, "slip"),
            ("payment", delivered, "payment"),
            ("slip_settled", settled, "slip"),
            ("payment_settled", settled, "payment"),
            ("gate_pass", settled, "gate"),
        ]
        for name, order, step in views:
            if order is None:
                continue
            page.open_order(order.id, step)
            if name == "payment":
                payment = page.step("payment")
                payment.method_combo.setCurrentIndex(payment.method_combo.findData("cash"))
                due = payment.preview.due if payment.preview else 0
                payment.tendered_edit.setText(f"{(int(due) // 100 + 1) * 100}")
            settle()
            ctx.save(f"checkout_{name}", window)
        if delivered is not None:
            page.open_order(delivered.id, "slip")
            shoot_and_close(
                ctx,
                "checkout_dialog_discount",
                dialogs.DiscountDialog(person, delivered, None, window),
            )
            rec = (
                Recommendation.select()
                .order_by(Recommendation.safety.desc(), Recommendation.id.desc())
                .first()
            )
            if rec is not None:
                shoot_and_close(
                    ctx, "checkout_dialog_decline", dialogs.DeclineDialog(person, rec, window)
                )
        if settled is not None:
            shoot_and_close(
                ctx,
                "checkout_dialog_void",
                dialogs.ManagerApprovalDialog(person, settled, "void", window),
            )
            shoot_and_close(
                ctx,
                "checkout_dialog_refund",
                dialogs.ManagerApprovalDialog(person, settled, "refund", window),
            )
        gate = GateWindow(person, window)
        gate.show()
        pass_valid = _gate_number(settled)
        left = first_order(State.LEFT) or first_order(State.CLOSED)
        for name, text in (
            ("gate_valid", pass_valid),
            ("gate_used", _gate_number(left)),
            ("gate_not_issued", "MP000000-000"),
        ):
            if text:
                gate.check(text)
                settle()
                ctx.save(name, gate)
        gate.close()
    finally:
        window.close()
        window.deleteLater()
        settle()


def _gate_number(order: RepairOrder | None) -> str | None:
    if order is None:
        return None
    gp = GatePass.select().where(GatePass.order == order).order_by(GatePass.id.desc()).first()
    return gp.number if gp else None


register_screenshot("checkout", shots)
