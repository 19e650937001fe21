"""The settlement slip of an insured order prints the split between the insurer and the
customer, in English and (with the branch's translations) in Chinese."""

from __future__ import annotations

import datetime as dt
import io
import re
from decimal import Decimal

import pypdf
import pytest

from factories import make_line, make_order
from shop_desk.printing import render_document
from shop_desk.services import checkout, insurance
from shop_desk.states import State


def text_of(pdf: bytes) -> str:
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return re.sub(r"\s+", "", "".join(p.extract_text() or "" for p in pages))


@pytest.fixture
def tsv_translations():
    """The shipped Chinese of the insurance strings (English source -> translation)."""
    import xml.etree.ElementTree as ET

    from shop_desk.i18n_tools import TS_FILE, entries

    table = {}
    for _ctx, source, msg in entries(ET.parse(TS_FILE)):
        tr = msg.find("translation")
        if tr is not None and (tr.text or "").strip():
            table[source] = tr.text
    return table


@pytest.fixture
def settled_insured(db, staff):
    order = make_order(State.DELIVERED)
    body = make_line(order, "钣金修复 Panel repair", category="body")
    bumper = make_line(order, "前保险杠 Bumper", kind="part", unit_price="100.00")
    company = insurance.save_insurer(staff["admin"], "平安保险 Ping An")
    insurance.record_claim(
        staff["advisor"],
        order,
        company,
        "RPAH0001",
        policy_no="PDAA-77",
        excess="50.00",
        betterment="20.00",
        accident_date=dt.date(2026, 10, 30),
    )
    insurance.record_assessment(
        staff["advisor"],
        order,
        "李定损",
        dt.date(2026, 10, 31),
        {body.id: "150.00", bumper.id: "100.00"},
    )
    insurance.confirm_insurer_part(staff["advisor"], order)
    checkout.take_payment(staff["cashier"], order, "cash", checkout.settlement_preview(order).due)
    checkout.settle(staff["cashier"], order)
    return order


def test_settlement_slip_prints_the_split_in_english(settled_insured, tmp_path):
    pdf = render_document("settlement", settled_insured.number, lang="en")
    (tmp_path / "slip.pdf").write_bytes(pdf)
    text = text_of(pdf)
    for phrase in (
        "Insurance claim: who pays",
        "平安保险PingAn",
        "RPAH0001",
        "PDAA-77",
        "李定损",
        "Insuredwork(shopprice)¥280.00",
        "Lossassessmentcovers¥250.00",
        "Excess(customerpays)¥50.00",
        "Betterment(customerpays)¥20.00",
        "Abovetheassessment(customerpays)¥30.00",
        "Customer'spart¥100.00",
        "Insurerpays¥180.00",
        "Insuredwork:customer'spart¥100.00",
    ):
        assert re.sub(r"\s+", "", phrase) in text, phrase
    assert "AmountDue¥338.00".lower() in text.lower()


def test_settlement_slip_prints_the_split_in_chinese(settled_insured, tsv_translations):
    text = text_of(render_document("settlement", settled_insured.number, lang="zh_CN"))
    for english in (
        "Insurance claim: who pays",
        "Excess (customer pays)",
        "Insurer pays",
        "Claim report no.",
    ):
        chinese = tsv_translations[english]
        assert re.sub(r"\s+", "", chinese) in text, english
        assert re.sub(r"\s+", "", english) not in text
    assert "¥180.00" in text and "¥338.00" in text
    assert Decimal("338.00") == checkout.settlement_preview(settled_insured).customer_total


def test_settlement_slip_marks_a_supplement_as_the_insurers_decision(db, staff):
    """A supplementary assessment line reads as approved by the insurer; the line the insurer
    declined and the customer then chose to pay reads as the customer's additional work."""
    from shop_desk.models import JobLine, RepairOrder

    order = make_order(State.IN_PROGRESS)
    company = insurance.save_insurer(staff["admin"], "平安保险 Ping An")
    insurance.record_claim(staff["advisor"], order, company, "RPAH0002")
    request = insurance.propose_supplement(
        order.technician,
        order,
        [
            {"kind": "labour", "description": "Frame straightening", "hours": "2"},
            {"kind": "labour", "description": "Repaint the wing", "hours": "1"},
        ],
        "hidden damage",
    )
    frame, paint = JobLine.select().where(JobLine.request == request).order_by(JobLine.sort)
    insurance.record_supplement_answer(
        staff["advisor"], request, {frame.id: "300.00", paint.id: "declined"}, "李定损"
    )
    insurance.customer_pays_declined(staff["advisor"], request, [paint.id], "phone", "Sun Li")
    JobLine.update(work_state="done").where(JobLine.order == order).execute()
    RepairOrder.update(state=State.DELIVERED.value).where(RepairOrder.id == order.id).execute()
    insurance.confirm_insurer_part(staff["advisor"], order)
    checkout.take_payment(staff["cashier"], order, "cash", checkout.settlement_preview(order).due)
    checkout.settle(staff["cashier"], order)
    text = text_of(render_document("settlement", order.number, lang="en"))
    assert "(supplementaryassessment,approvedbytheinsurer)" in text, text
    assert text.count("(additionalwork,authorised)") == 1, text
