"""Screenshot staging for insurance repairs: the reception's "Accident car / insurance"
section with its claim dialog, the split on the checkout payment step, and the insurer
receivables page, with an accident car staged in a transaction rolled back at the end.

Imported by :func:`shop_desk.ui.shots.screenshots.load_staging_modules`."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from shop_desk import clock
from shop_desk.models import InsurerReceivable, JobLine, RepairOrder, Staff, StaffRole
from shop_desk.roles import Role
from shop_desk.states import State
from shop_desk.ui.shots.screenshots import ShotContext, register_screenshot, settle


def _person(role: Role) -> Staff | None:
    return (
        Staff.select()
        .join(StaffRole)
        .where((StaffRole.role == role.value) & (Staff.active == True))  # noqa: E712
        .order_by(Staff.id)
        .first()
    )


def _newest(state: State) -> RepairOrder | None:
    return (
        RepairOrder.select()
        .where(RepairOrder.state == state.value)
        .order_by(RepairOrder.id.desc())
        .first()
    )


def _claim(advisor: Staff, order: RepairOrder, company: object, report_no: str) -> None:
    from shop_desk.demo import signature_png
    from shop_desk.services import insurance

    insurance.record_claim(
        advisor,
        order,
        company,
        report_no,
        policy_no="PDAA202631010000" + str(order.id % 10),
        accident_date=clock.today() - dt.timedelta(days=2),
        fault_party="other",
        excess="300.00",
        betterment="80.00",
    )
    insurance.add_claim_photos(advisor, order, [("front_left.png", signature_png(7))])


def _accident_lines(order: RepairOrder) -> list[JobLine]:
    """The body work of an accident car, done (the demo's delivered cars had a service)."""
    return [
        JobLine.create(
            order=order,
            kind=kind,
            description=text,
            category="body",
            work_state="done",
            sort=90 + n,
            **amounts,
        )
        for n, (kind, text, amounts) in enumerate(
            (
                (
                    "labour",
                    "钣金修复 左前翼子板 Front left wing panel repair",
                    {"hours": Decimal("3.00"), "rate": Decimal("180.00")},
                ),
                (
                    "part",
                    "前保险杠总成 Front bumper assembly",
                    {
                        "quantity": Decimal("1"),
                        "unit_price": Decimal("1280.00"),
                        "parts_issued": Decimal("1"),
                    },
                ),
                (
                    "labour",
                    "喷漆 Paint, two panels",
                    {"hours": Decimal("2.50"), "rate": Decimal("180.00")},
                ),
            )
        )
    ]


def _stage(advisor: Staff, cashier: Staff, manager: Staff) -> tuple[RepairOrder | None, ...]:
    """An accident car at reception, one delivered and assessed, one settled long ago."""
    from shop_desk.money import money
    from shop_desk.services import checkout, insurance
    from shop_desk.services.orders import line_total

    company = insurance.save_insurer(manager, "平安保险 Ping An", "定损中心 95511")
    insurance.save_insurer(manager, "中国人保 PICC", "95518")
    at_reception = _newest(State.CHECKED_IN)
    if at_reception is not None:
        _claim(advisor, at_reception, company, "RPAH2026110200017")
    delivered = [
        o
        for o in RepairOrder.select()
        .where(RepairOrder.state == State.DELIVERED.value)
        .order_by(RepairOrder.id.desc())
        .limit(2)
    ]
    for n, order in enumerate(delivered):
        _claim(advisor, order, company, f"RPAH20261028000{n + 3}")
        lines = _accident_lines(order)
        figures = {ln.id: money(line_total(ln) * 9 / 10) for ln in lines}
        insurance.record_assessment(advisor, order, "李定损", clock.today(), figures)
    if len(delivered) == 2:
        old = delivered[1]
        insurance.confirm_insurer_part(advisor, old)
        due = checkout.settlement_preview(old).due
        if due > 0:
            checkout.take_payment(cashier, old, "card", due, reference="POS 7731")
        checkout.settle(cashier, old)
        InsurerReceivable.update(opened_on=clock.today() - dt.timedelta(days=47)).where(
            InsurerReceivable.order == old
        ).execute()
    return at_reception, (delivered[0] if delivered else None)


def shots(ctx: ShotContext) -> None:
    from shop_desk.db import database
    from shop_desk.ui.reception import page as rp
    from shop_desk.ui.shell.main_window import MainWindow

    advisor, cashier, manager = (_person(r) for r in (Role.ADVISOR, Role.CASHIER, Role.MANAGER))
    if advisor is None or cashier is None or manager is None:
        return
    with database.obj.atomic() as txn:
        windows: list[MainWindow] = []

        def open_window(person: Staff) -> MainWindow:
            window = MainWindow(person)
            window.resize(1280, 800)
            window.show()
            windows.append(window)
            settle()
            return window

        try:
            at_reception, delivered = _stage(advisor, cashier, manager)
            if at_reception is not None:
                window = open_window(advisor)  # the advisor records the claim
                page = window.show_page("reception")
                page.open_order(at_reception.id, rp.COMPLAINT)
                section_dialog = page.open_insurance()
                settle()
                ctx.save("insurance_reception_section", section_dialog)
                section = section_dialog.section
                for name, open_dialog in (
                    ("insurance_claim_dialog", section.open_claim),
                    ("insurance_assessment_dialog", section.open_assessment),
                ):
                    opened = open_dialog()
                    settle()
                    ctx.save(name, opened)
                    opened.reject()
                section_dialog.reject()
            window = open_window(manager)
            if delivered is not None:
                checkout_page = window.show_page("checkout")
                checkout_page.refresh()
                checkout_page.open_order(delivered.id, "payment")
                settle()
                ctx.save("insurance_payment_split", window)
            receivables = window.show_page("insurer_receivables")
            receivables.refresh()
            settle()
            ctx.save("insurance_receivables", window)
        finally:
            for window in windows:
                window.close()
                window.deleteLater()
            settle()
            txn.rollback()


register_screenshot("insurance", shots)
