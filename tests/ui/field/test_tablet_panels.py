"""The tablet's service report, satisfaction survey and expense claim panels (issue 21),
filled in by tapping: gaps shown before the report is handed in, the survey signed on the pad
or on paper, and receipts with photos, a ticket for the wrong place refused in words."""

from __future__ import annotations

import pytest
from fieldjobs import (
    click,
    clock_pinned,  # noqa: F401 - a fixture
    dispatched_job,
    fresh,
    open_tablet,
    returned_job,
    settle,
    sign,
)
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QMessageBox, QPushButton

from shop_desk.models import ExpenseClaim, ExpenseItem, Penalty, ServiceReport
from shop_desk.services import field

pytestmark = pytest.mark.usefixtures("clock_pinned")


def open_section(qtbot, page, job, section: str) -> None:
    page.open_job(job.id)
    click(qtbot, page.section_buttons[section])
    assert page.current_section() == section


def photo(path, fmt: str = "PNG", colour: str = "#d8c8a0"):
    """A picture of a receipt, written as a JPEG or PNG file."""
    image = QImage(360, 480, QImage.Format.Format_RGB32)
    image.fill(QColor(colour))
    assert image.save(str(path), fmt)
    return path


def pick_photo(qtbot, panel, path) -> None:
    """Tap "Photo of the receipt…" and choose the file in the picker."""
    click(qtbot, panel.photo_button)
    dialog = panel.file_dialog
    assert dialog is not None and dialog.isVisible()
    dialog.selectFile(str(path))
    dialog.accept()


def add_receipt(qtbot, panel, kind, amount, path, description="", place="") -> None:
    click(qtbot, panel.kind_buttons[kind])
    panel.description_edit.setText(description)
    panel.place_edit.setText(place)
    panel.amount_edit.setText(amount)
    pick_photo(qtbot, panel, path)
    assert not panel.photo_label.pixmap().isNull()  # the thumbnail
    click(qtbot, panel.add_button)


# --------------------------------------------------------------------------- the report


def test_the_report_shows_its_gaps_and_is_handed_in_when_complete(qtbot, make_window, staff):
    job = returned_job(staff, parts=2)
    used = [p.part.name for p in field.parts_out(job)]
    window, page = open_tablet(make_window)
    page.open_job(job.id)
    assert page.current_section() == "report"  # back at the shop: what is missing first
    panel = page.report_panel
    gaps = panel.gaps_label.text()
    for missing in ("fault cause", "solution", "parts replaced", "customer's opinion"):
        assert missing in gaps
    panel.cause_edit.setPlainText("蓄电池亏电 flat battery")
    panel.solution_edit.setPlainText("更换蓄电池 replaced the battery")
    assert "fault cause" not in panel.gaps_label.text()
    assert "parts replaced" in panel.gaps_label.text()

    # handing in with gaps asks first (a penalty case); cancelling hands in nothing
    click(qtbot, panel.submit_button)
    box = panel.findChild(QMessageBox, "askBox")
    assert box is not None and "penalty case" in box.text()
    box.reject()
    assert field.service_report_of(job) is None
    click(qtbot, panel.submit_button)
    box = [b for b in panel.findChildren(QMessageBox, "askBox") if b.isVisible()][0]
    yes = box.findChild(QPushButton, "yesButton")
    assert yes.height() >= 56  # the tablet's touch size reaches the question too
    click(qtbot, yes)
    report = ServiceReport.get(ServiceReport.job == job.id)
    assert not report.complete
    assert Penalty.get(Penalty.kind == "incomplete_report").staff_id == staff["tech1"].id
    assert "incomplete" in panel.status_label.text()

    # the parts taken out are one tap each, once
    chips = panel.chip_buttons
    assert [c.text() for c in chips] == used
    click(qtbot, chips[0])
    click(qtbot, chips[1])
    click(qtbot, chips[0])
    assert panel.parts_edit.toPlainText() == ", ".join(used)
    panel.opinion_edit.setPlainText("满意 satisfied")
    assert panel.gaps_label.text() == "The report is complete."
    click(qtbot, panel.submit_button)
    assert not [b for b in panel.findChildren(QMessageBox, "askBox") if b.isVisible()]
    report = fresh(report)
    assert report.complete and report.parts_replaced == ", ".join(used)
    assert page.banner.kind == "info"
    assert "complete" in panel.status_label.text()
    assert Penalty.select().count() == 1
    assert page.steps.lines["report"].property("done")


def test_the_report_waits_for_the_work(qtbot, make_window, staff):
    job = dispatched_job(staff)
    _window, page = open_tablet(make_window)
    open_section(qtbot, page, job, "report")
    panel = page.report_panel
    assert not panel.submit_button.isEnabled() and not panel.form.isEnabled()
    assert "once the work is finished" in panel.status_label.text()


# --------------------------------------------------------------------------- the survey


def test_the_survey_signed_on_the_tablet(qtbot, make_window, staff):
    job = returned_job(staff)
    window, page = open_tablet(make_window)
    open_section(qtbot, page, job, "survey")
    panel = page.survey_panel
    assert "service report first" in panel.status_label.text()
    assert not panel.save_button.isEnabled()
    field.submit_report(staff["tech1"], job.id, "原因", "办法", "", "满意")
    click(qtbot, page.section_buttons["step"])
    click(qtbot, page.section_buttons["survey"])
    page.refresh()
    assert panel.save_button.isEnabled()
    assert panel.signer_edit.text() == job.customer.name
    click(qtbot, panel.save_button)  # no score chosen: refused in words
    assert page.banner.kind == "error" and "Satisfaction" in page.banner.text()
    click(qtbot, panel.score_buttons[4])
    click(qtbot, panel.score_buttons[5])
    assert panel.score() == 5
    panel.comments_edit.setPlainText("师傅很专业 very professional")
    sign(qtbot, panel.pad)
    click(qtbot, panel.save_button)
    report = ServiceReport.get(ServiceReport.job == job.id)
    assert report.satisfaction == 5 and report.survey_signature_id is not None
    assert not report.survey_on_paper
    assert report.survey_comments == "师傅很专业 very professional"
    assert "Very satisfied" in panel.status_label.text()
    assert field.closing_gaps(job.id) == []
    click(qtbot, page.back_button)
    assert "complete" in page.job_list.card(job.number).text_shown()


def test_the_survey_signed_on_paper(qtbot, make_window, staff):
    job = returned_job(staff)
    field.submit_report(staff["tech1"], job.id, "原因", "办法", "", "满意")
    _window, page = open_tablet(make_window)
    open_section(qtbot, page, job, "survey")
    panel = page.survey_panel
    click(qtbot, panel.score_buttons[3])
    click(qtbot, panel.paper_button)
    assert not panel.pad.isEnabled()
    click(qtbot, panel.save_button)
    report = ServiceReport.get(ServiceReport.job == job.id)
    assert report.satisfaction == 3 and report.survey_on_paper
    assert report.survey_signature_id is None
    assert "signed on paper" in panel.status_label.text()


# --------------------------------------------------------------------------- expenses


def test_an_expense_claim_with_receipt_photos(qtbot, make_window, staff, tmp_path):
    job = returned_job(staff, place="苏州工业园区 Suzhou Industrial Park")
    window, page = open_tablet(make_window)
    open_section(qtbot, page, job, "expenses")
    panel = page.expense_panel
    assert panel.form.isEnabled()
    assert "Suzhou Industrial Park" in panel.place_edit.placeholderText()

    # a file that is no picture is refused in words before it is added
    click(qtbot, panel.kind_buttons["fuel"])
    panel.amount_edit.setText("300.00")
    not_a_picture = tmp_path / "receipt.png"
    not_a_picture.write_bytes(b"not a picture")
    pick_photo(qtbot, panel, not_a_picture)
    assert panel.form_message.isVisible()
    assert "receipt.png is not a JPEG or PNG picture" in panel.form_message.text()
    click(qtbot, panel.add_button)
    assert "Add a photo of the receipt" in panel.form_message.text() and panel.items == []

    add_receipt(qtbot, panel, "fuel", "300.00", photo(tmp_path / "fuel.jpg", "JPEG"))
    add_receipt(
        qtbot,
        panel,
        "ticket",
        "500.00",
        photo(tmp_path / "ticket.png", colour="#a0c8d8"),
        description="高铁票 train ticket",
        place="广州 Guangzhou",
    )
    rows = panel.receipt_rows()
    assert len(rows) == 2 and "广州 Guangzhou" in rows[1].text.text()
    assert panel.total_label.text() == "2 receipts, total ¥800.00"
    assert all(
        not r.findChild(type(panel.photo_label), "receiptThumb").pixmap().isNull() for r in rows
    )
    settle()
    window.grab().save(str(tmp_path / "expenses.png"))

    # the ticket is not for the job's destination: refused in words, nothing claimed
    click(qtbot, panel.submit_button)
    assert page.banner.kind == "error"
    assert "not for the job's destination" in page.banner.text()
    assert "Suzhou Industrial Park" in page.banner.text()
    assert not ExpenseClaim.select().exists()
    assert len(panel.items) == 2  # the receipts stay to be put right

    click(qtbot, rows[1].remove_button)
    add_receipt(
        qtbot,
        panel,
        "ticket",
        "45.50",
        photo(tmp_path / "ticket2.jpg", "JPEG"),
        description="高铁票 train ticket",
        place="苏州园区站 Suzhou Industrial Park station",
    )
    click(qtbot, panel.submit_button)
    claim = ExpenseClaim.get(ExpenseClaim.job == job.id)
    assert claim.total == 345.50 and claim.claimant_id == staff["tech1"].id
    items = list(claim.items.order_by(ExpenseItem.id))
    assert [i.kind for i in items] == ["fuel", "ticket"]
    assert QImage.fromData(items[0].receipt).width() == 360  # the photo itself, as bytes
    assert panel.items == [] and page.banner.kind == "info"
    assert claim.number in page.banner.text()
    assert "waiting for approval" in panel.claims_label.text()

    # the claim's state later, on the job
    from shop_desk.services import expenses

    expenses.reject_expense_claim(staff["supervisor"], claim.id, "发票不清楚 unreadable")
    page.refresh()
    assert "rejected" in panel.claims_label.text() and "unreadable" in panel.claims_label.text()
    click(qtbot, page.back_button)
    assert f"Expense claim {claim.number}: rejected." in (
        page.job_list.card(job.number).text_shown()
    )


def test_expenses_wait_until_the_crew_is_back(qtbot, make_window, staff):
    job = dispatched_job(staff)
    _window, page = open_tablet(make_window)
    open_section(qtbot, page, job, "expenses")
    panel = page.expense_panel
    assert not panel.form.isEnabled()
    assert "once you are back" in panel.status_label.text()
