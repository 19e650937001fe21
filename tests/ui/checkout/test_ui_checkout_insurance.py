"""The checkout desk on an insured order: the split on the payment step, the insurer's
confirmation the car waits for, and the insurer receivables page with a partial payment."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from PySide6.QtCore import Qt

from factories import make_line, make_order
from shop_desk import clock
from shop_desk.models import InsurerPayment, RepairOrder
from shop_desk.services import checkout, insurance
from shop_desk.states import State
from shop_desk.ui.checkout.insurer_receivables import InsurerPaymentDialog
from shop_desk.ui.shell.models import row_of


@pytest.fixture(autouse=True)
def _clock_pinned_after_db(db, fixed_clock):
    clock.set_now(fixed_clock)


def _click(qtbot, button) -> None:
    assert button.isVisible() and button.isEnabled(), button.objectName()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


@pytest.fixture
def insured(staff):
    """Delivered: own lines 238.00; insured 180 + 100 assessed 150 + 100, excess 50."""
    order = make_order(State.DELIVERED)
    body = make_line(order, "钣金修复 Panel repair", category="body")
    bumper = make_line(order, "前保险杠 Bumper", kind="part", unit_price="100.00")
    company = insurance.save_insurer(staff["admin"], "平安保险 Ping An")
    insurance.record_claim(staff["advisor"], order, company, "RPAH0009", excess="50.00")
    insurance.record_assessment(
        staff["advisor"],
        order,
        "李定损",
        dt.date(2026, 11, 1),
        {body.id: "150.00", bumper.id: "100.00"},
    )
    return RepairOrder.get_by_id(order.id)


def _payment_step(qtbot, make_window, order, login="cashier"):
    window = make_window(login)
    page = window.show_page("checkout")
    page.refresh()
    for r in range(page.proxy.rowCount()):
        index = page.proxy.index(r, 0)
        if row_of(page.proxy, index)["id"] == order.id:
            rect = page.table.visualRect(index)
            qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert page.order is not None and page.order.id == order.id
    return window, page, page.show_step("payment")


def test_payment_step_shows_the_split_and_waits_for_the_insurer(qtbot, make_window, insured):
    window, page, step = _payment_step(qtbot, make_window, insured)
    box = step.insurance_box
    assert box.isVisible()
    text = box.table_label.text()
    for part in ("RPAH0009", "Excess (customer pays)", "¥50.00", "¥30.00", "¥200.00", "¥80.00"):
        assert part in text, part
    assert step.due_label.text() == "Due: ¥318.00"  # 238.00 + excess 50.00 + above 30.00
    assert "not confirmed" in box.state_label.text()
    slip = page.show_step("slip")
    assert slip.values["gross"].text() == "¥318.00  (of which ¥80.00 of the insured work)"
    assert slip.values["total"].text() == "¥318.00"
    assert slip.values["insurer"].isVisible()  # the insurer's part, not charged to the customer
    assert slip.values["insurer"].text() == "¥200.00"
    assert slip.other_form.labelForField(slip.values["insurer"]).text() == (
        "Insurer pays (billed to the insurer)"
    )
    step = page.show_step("payment")
    assert "not confirmed" in step.block_label.text()
    step.amount_edit.setText("318.00")
    _click(qtbot, step.take_button)
    _click(qtbot, step.settle_button)  # refused: the insurer has not confirmed
    assert "not confirmed" in page.banner.text()
    assert RepairOrder.get_by_id(insured.id).state == State.DELIVERED.value
    _click(qtbot, box.confirm_button)
    assert box.state_label.text() == "The insurer confirmed ¥200.00."
    assert not box.confirm_button.isEnabled()
    _click(qtbot, step.settle_button)
    assert RepairOrder.get_by_id(insured.id).state == State.SETTLED.value


def test_the_slip_names_the_insurer_for_a_supplement_awaiting_its_approval(
    qtbot, make_window, insured
):
    make_line(insured, "纵梁校正 Frame", auth_state="proposed", pay_type="insurance")
    make_line(insured, "Cabin filter", auth_state="proposed")
    _window, page, _step = _payment_step(qtbot, make_window, insured)
    slip = page.show_step("slip")
    assert slip.proposed_label.isVisible()
    assert slip.proposed_label.text() == (
        "Additional work still awaiting the customer's authorisation is never charged and "
        "blocks settling: Cabin filter. A supplementary assessment still awaiting the "
        "insurer's approval is never charged and blocks settling: 纵梁校正 Frame."
    )


def test_uninsured_order_shows_no_split(qtbot, make_window, db):
    order = make_order(State.DELIVERED)
    _w, page, step = _payment_step(qtbot, make_window, order)
    assert not step.insurance_box.isVisible()
    assert not page.show_step("slip").values["insurer"].isVisible()


def test_receivables_page_by_insurer_with_a_partial_payment(qtbot, make_window, staff, insured):
    insurance.confirm_insurer_part(staff["advisor"], insured)
    checkout.take_payment(staff["cashier"], insured, "cash", "318.00")
    checkout.settle(staff["cashier"], insured)
    clock.set_now(clock.now() + dt.timedelta(days=45))
    window = make_window("cashier")
    page = window.show_page("insurer_receivables")
    page.refresh()
    assert [b.insurer for b in page.insurers.rows] == ["平安保险 Ping An"]
    assert page.insurers.rows[0].by_age[1] == Decimal("200.00")  # 31–60 days
    assert page.total_label.text() == "Insurers owe ¥200.00 in all"
    assert [(r.order_number, r.age_days) for r in page.rows.rows] == [(insured.number, 45)]
    assert page.select_receivable(insured.number)
    _click(qtbot, page.pay_button)
    dialog = page.dialog
    assert isinstance(dialog, InsurerPaymentDialog) and dialog.only_chosen.isChecked()
    assert dialog.amount.text() == "200.00"
    dialog.amount.setText("250.00")
    _click(qtbot, dialog.ok_button())  # more than owed: refused in the dialog
    assert dialog.isVisible() and "more than" in dialog.error.text()
    dialog.amount.setText("120.00")
    dialog.reference.setText("TX-88")
    with qtbot.waitSignal(dialog.accepted):
        _click(qtbot, dialog.ok_button())
    assert InsurerPayment.get().reference == "TX-88"
    assert page.rows.rows[0].outstanding == Decimal("80.00")
    assert "recorded" in page.banner.text()


def test_receivables_page_is_for_the_cashier_and_the_manager(make_window):
    from shop_desk.ui.shell.main_window import _PAGES

    assert _PAGES["insurer_receivables"].roles == frozenset({"cashier", "manager"})


def test_print_statement_shows_the_chosen_insurers_statement(qtbot, make_window, staff, insured):
    """The receivables page prints the chosen insurer's statement as of the day shown,
    through the print preview; printed once, the next one is a copy."""
    import io

    import pypdf

    from shop_desk.services import documents, insurer_accounts
    from shop_desk.ui.shell.print_preview import PrintPreviewDialog

    insurance.confirm_insurer_part(staff["advisor"], insured)
    checkout.take_payment(staff["cashier"], insured, "cash", "318.00")
    checkout.settle(staff["cashier"], insured)
    clock.set_now(clock.now() + dt.timedelta(days=45))
    window = make_window("cashier")
    page = window.show_page("insurer_receivables")
    page.refresh()
    _click(qtbot, page.statement_button)
    preview = page.preview
    assert isinstance(preview, PrintPreviewDialog)
    qtbot.waitUntil(lambda: preview.pdf is not None or bool(preview.error_text), timeout=20_000)
    assert preview.error_text == ""
    insurer_id = page.selected_insurer().insurer_id
    number = insurer_accounts.statement_number(insurer_id, clock.today())
    assert (preview.kind, preview.number, preview.copy_mark) == (
        "insurer-statement",
        number,
        False,
    )
    text = "".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(preview.pdf)).pages)
    for part in ("Insurer's statement", number, insured.number, "RPAH0009", "200.00", "45"):
        assert part in text, part
    preview.close()
    documents.record_printed(staff["cashier"], "insurer-statement", number)
    _click(qtbot, page.statement_button)
    assert page.preview is not preview and page.preview.copy_mark == 2
    qtbot.waitUntil(lambda: page.preview.pdf is not None, timeout=20_000)
    copy = pypdf.PdfReader(io.BytesIO(page.preview.pdf)).pages[0].extract_text()
    assert "COPY" in copy
    page.preview.close()


def test_receivables_date_follows_the_day_unless_the_user_chose_one(make_window, staff, insured):
    """A page left open overnight shows the new day's ages when shown again; a date the
    cashier chose stays."""
    insurance.confirm_insurer_part(staff["advisor"], insured)
    checkout.take_payment(staff["cashier"], insured, "cash", "318.00")
    checkout.settle(staff["cashier"], insured)
    clock.set_now(clock.now() + dt.timedelta(days=45))
    window = make_window("cashier")
    page = window.show_page("insurer_receivables")
    assert [r.age_days for r in page.rows.rows] == [45]
    window.show_page("checkout")
    clock.set_now(clock.now() + dt.timedelta(days=1))  # past midnight, the page still open
    window.show_page("insurer_receivables")
    assert page.day() == clock.today()
    assert [r.age_days for r in page.rows.rows] == [46]
    clock.set_now(clock.now() + dt.timedelta(days=1))  # the page stays the current one
    page.day_timer.timeout.emit()
    assert page.day() == clock.today() and [r.age_days for r in page.rows.rows] == [47]
    chosen = clock.today() - dt.timedelta(days=10)
    page.as_of.setDate(chosen)
    assert [r.age_days for r in page.rows.rows] == [37]
    clock.set_now(clock.now() + dt.timedelta(days=1))
    window.show_page("checkout")
    window.show_page("insurer_receivables")
    page.day_timer.timeout.emit()
    assert page.day() == chosen and [r.age_days for r in page.rows.rows] == [37]
