"""Test data for the printed forms: one order with every field filled, built from model rows.

Used by the printing tests, benchmarks/bench_printing.py and the preview script. The rows are
written directly (the services that write them are tested elsewhere) so the forms can be
checked for every field.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from dataclasses import dataclass, field
from decimal import Decimal

from PIL import Image, ImageDraw

from factories import make_customer, make_order, make_vehicle
from shop_desk import clock
from shop_desk.models import (
    DamageMark,
    FollowUp,
    GatePass,
    Inspection,
    InspectionPhoto,
    JobLine,
    LabourOperation,
    Part,
    PartsIssueLine,
    PartsIssueSlip,
    Payment,
    QcCheck,
    Recommendation,
    RepairOrder,
    Settlement,
    ShopSettings,
    Signature,
    Staff,
)
from shop_desk.money import amount_in_words
from shop_desk.services.orders import order_totals
from shop_desk.states import State


def png(
    width: int = 360,
    height: int = 120,
    seed: int = 1,
    colour: tuple[int, int, int] = (20, 30, 120),
    transparent: bool = True,
) -> bytes:
    """A signature-like squiggle as PNG (transparent background like a signature pad)."""
    img = Image.new(
        "RGBA" if transparent else "RGB",
        (width, height),
        (255, 255, 255, 0) if transparent else (255, 255, 255),
    )
    draw = ImageDraw.Draw(img)
    pts = []
    for i in range(60):
        t = i / 59
        x = 15 + t * (width - 30)
        y = (
            height / 2
            + math.sin(t * (7 + seed) + seed) * height * 0.28
            + math.cos(t * 23 * seed) * 6
        )
        pts.append((x, y))
    draw.line(pts, fill=colour + ((255,) if transparent else ()), width=4)
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


def photo(seed: int = 1, size: tuple[int, int] = (640, 480)) -> bytes:
    """A small JPEG 'photo' (a gradient with a car-ish block)."""
    img = Image.new("RGB", size, (200, 210, 220))
    draw = ImageDraw.Draw(img)
    w, h = size
    for y in range(0, h, 8):
        shade = 150 + (y * 80 // h)
        draw.rectangle([0, y, w, y + 8], fill=(shade - 40 * (seed % 2), shade - 20, shade))
    draw.rounded_rectangle(
        [w * 0.15, h * 0.45, w * 0.85, h * 0.75], radius=30, fill=(180, 30 + seed * 40, 40)
    )
    draw.ellipse([w * 0.22, h * 0.68, w * 0.36, h * 0.86], fill=(30, 30, 30))
    draw.ellipse([w * 0.64, h * 0.68, w * 0.78, h * 0.86], fill=(30, 30, 30))
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=70)
    return buf.getvalue()


def logo_png() -> bytes:
    img = Image.new("RGBA", (240, 160), (255, 255, 255, 0))
    draw = ImageDraw.Draw(img)
    draw.ellipse([10, 10, 150, 150], outline=(180, 20, 30), width=12)
    draw.rectangle([120, 60, 230, 100], fill=(180, 20, 30))
    buf = io.BytesIO()
    img.save(buf, "PNG")
    return buf.getvalue()


@dataclass
class FullOrder:
    """The order and the values each form must show."""

    order: RepairOrder
    expect: dict[str, list[str]] = field(default_factory=dict)
    slip_numbers: list[str] = field(default_factory=list)
    settlement_number: str = ""
    gate_number: str = ""


def _labour(order: RepairOrder, code: str, sort: int, **kw) -> JobLine:
    op = LabourOperation.get(LabourOperation.code == code)
    return JobLine.create(
        order=order,
        kind="labour",
        labour_op=op,
        description=op.name,
        hours=op.standard_hours,
        rate=Decimal("180.00"),
        category=op.category,
        sort=sort,
        work_state="done",
        **kw,
    )


def _part(order: RepairOrder, part_no: str, qty: str, sort: int, **kw) -> JobLine:
    part = Part.get(Part.part_no == part_no)
    return JobLine.create(
        order=order,
        kind="part",
        part=part,
        description=part.name,
        quantity=Decimal(qty),
        unit_price=part.unit_price,
        category=part.category,
        sort=sort,
        work_state="done",
        parts_issued=Decimal(qty),
        **kw,
    )


def build_full_order(extra_lines: int = 0, with_signatures: bool = True) -> FullOrder:
    """A settled order (gate pass issued) with every field of every form filled in."""
    now = clock.now()
    settings = ShopSettings.select().first()
    settings.logo = logo_png()
    settings.save()
    advisor = Staff.get(Staff.login == "advisor")
    tech = Staff.get(Staff.login == "tech1")
    parts_clerk = Staff.get(Staff.login == "parts")
    cashier = Staff.get(Staff.login == "cashier")
    leader = Staff.get(Staff.login == "leader1")
    customer = make_customer(
        "欧阳娜娜", "13912345678", company="星河贸易有限公司", address="上海市徐汇区漕溪北路 88 号"
    )
    vehicle = make_vehicle(
        customer,
        vin="LSVAU2A37N2123458",
        plate="沪B·7K31Q",
        make="大众 Volkswagen",
        model="途观L Tiguan L",
        colour="星空灰 Grey",
        odometer=48210,
        year=2023,
    )
    order = make_order(
        State.DELIVERED,
        vehicle=vehicle,
        advisor=advisor,
        lines=False,
        complaint_text="冷车启动时发动机舱有异响，约30秒后消失 (rattle on cold start)",
    )
    order.diagnosis = "发动机支架老化，需更换 (engine mount worn)"
    order.warranty_decision = "covered"
    order.warranty_reason = "三包期内 within the statutory warranty"
    order.licence_no = "310104198812120036"
    order.booklet_no = "MB-2023-77125"
    order.payment_method = "wechat"
    order.old_parts = "take_home"
    order.free_wash = True
    order.authorisation_via = "phone"
    order.authorisation_phone = "13700001111"
    order.customer_waiting = True
    order.promised_at = now + dt.timedelta(hours=5, minutes=30)
    order.next_service_date = dt.date(2027, 5, 2)
    order.next_service_km = 53210
    order.first_service = True
    order.follow_up_time = "工作日 18:00-20:00"
    order.order_discount = Decimal("20.00")
    order.state = State.SETTLED.value
    order.settled_at = now

    lines = [
        _labour(order, "MNT-10K", 1, discount=Decimal("10.00")),
        _part(order, "OIL-5W30-4L", "1", 2),
        _part(order, "FLT-OIL", "1", 3),
        _labour(order, "ENG-MNT", 4, pay_type="warranty", warranty_claim_no="CLM-2611-0042"),
        _part(order, "MNT-ENG", "1", 5, pay_type="warranty", warranty_claim_no="CLM-2611-0042"),
        _labour(order, "WPR", 6, origin="additional"),
        _part(order, "WPR-SET", "1", 7, origin="additional"),
    ]
    for i in range(extra_lines):
        lines.append(_part(order, "BULB-H7", "2", 8 + i))

    insp = Inspection.get(Inspection.order == order)
    insp.fuel_level = 35
    insp.odometer_km = 48210
    insp.warning_lights = json.dumps(["engine", "tpms", "custom-blinker"])
    insp.spare_wheel = True
    insp.tool_kit = False
    insp.protective_set = True
    insp.valuables = "行车记录仪存储卡 dash-cam SD card"
    insp.notes = "右后轮毂有旧划痕 old kerb rash"
    insp.recorded_by = advisor
    insp.save()
    marks = [
        # view, then x/y as fractions of that view (see shop_desk.diagram)
        ("left", 0.45, 0.66, "scratch", "左前门下部划痕"),
        ("front", 0.30, 0.80, "chip", "前保险杠掉漆"),
        ("top", 0.16, 0.45, "dent", "引擎盖凹陷"),
        ("rear", 0.20, 0.55, "crack", "后尾灯裂纹"),
        ("right", 0.32, 0.55, "other", "右后门贴纸"),
    ]
    for view, x, y, kind, note in marks:
        DamageMark.create(inspection=insp, view=view, x=x, y=y, kind=kind, note=note)
    DamageMark.create(
        inspection=insp,
        view="top",
        x=0.55,
        y=0.30,
        kind="scratch",
        note="车间发现 roof scratch",
        found_in_workshop=True,
    )
    InspectionPhoto.create(
        inspection=insp, filename="front.jpg", image=photo(1), caption="车头 front"
    )
    InspectionPhoto.create(
        inspection=insp, filename="wheel.jpg", image=photo(2), caption="右后轮毂 wheel"
    )

    QcCheck.create(order=order, stage="self", passed=True, by=tech, at=now)
    QcCheck.create(
        order=order,
        stage="leader",
        passed=True,
        by=leader,
        advice="建议3个月内检查刹车片 check brake pads within 3 months",
        at=now,
    )
    QcCheck.create(
        order=order, stage="final", passed=True, by=Staff.get(Staff.login == "inspector"), at=now
    )

    if with_signatures:
        cust_sig = Signature.create(
            image=png(seed=1),
            signer=customer.name,
            document="task_order",
            order_id=order.id,
            signed_at=now,
        )
        order.signature = cust_sig
        order.signed_at = now
        order.signed_on_paper = False
        Signature.create(
            image=png(seed=2, colour=(10, 10, 10)),
            signer=advisor.name,
            document="task_order_advisor",
            order_id=order.id,
            signed_at=now,
        )
    order.save()

    slip1 = PartsIssueSlip.create(
        order=order,
        number="CK261102-001",
        issued_by=parts_clerk,
        technician=tech,
        issued_at=now + dt.timedelta(minutes=40),
    )
    slip2 = PartsIssueSlip.create(
        order=order,
        number="CK261102-002",
        issued_by=parts_clerk,
        technician=tech,
        issued_at=now + dt.timedelta(minutes=95),
    )
    if with_signatures:
        slip1.signature = Signature.create(
            image=png(seed=3), signer=tech.name, document="parts_issue", order_id=order.id
        )
        slip1.signed_at = now + dt.timedelta(minutes=41)
        slip1.save()
    part_lines = [ln for ln in lines if ln.kind == "part"]
    for ln in part_lines[:3]:
        PartsIssueLine.create(slip=slip1, line=ln, part=ln.part, quantity=ln.quantity)
    for ln in part_lines[3:]:
        PartsIssueLine.create(slip=slip2, line=ln, part=ln.part, quantity=ln.quantity)

    totals = order_totals(order)
    wechat = Decimal("300.00")
    cash = totals.customer_total - wechat
    Payment.create(
        order=order,
        method="wechat",
        amount=wechat,
        change_given=Decimal("0"),
        receipt_no="SK261102-101",
        reference="WX4200001234",
        at=now,
        by=cashier,
    )
    Payment.create(
        order=order,
        method="cash",
        amount=cash,
        tendered=cash,
        change_given=Decimal("0"),
        receipt_no="SK261102-102",
        at=now,
        by=cashier,
    )
    settlement = Settlement.create(
        order=order,
        number="JS261102-007",
        settled_at=now,
        settled_by=cashier,
        customer_total=totals.customer_total,
        discount_total=totals.discount_total,
        tax_total=totals.tax,
        warranty_total=totals.warranty_claim,
        internal_total=Decimal("0"),
        goodwill_total=Decimal("0"),
        paid_total=totals.customer_total,
        credit_total=Decimal("0"),
    )
    declined_sig = None
    if with_signatures:
        declined_sig = Signature.create(
            image=png(seed=4, colour=(120, 10, 10)),
            signer=customer.name,
            document="declined_recommendation",
            order_id=order.id,
        )
    Recommendation.create(
        vehicle=vehicle,
        order=order,
        description="更换前刹车片 front brake pads at 2 mm",
        safety=True,
        state="declined",
        declined_at=now,
        signature=declined_sig,
    )
    Recommendation.create(
        vehicle=vehicle,
        order=order,
        description="空调清洗 A/C cleaning",
        safety=False,
        state="open",
    )
    gate = GatePass.create(
        order=order, number="MP261102-003", code="G7Q2KX", issued_at=now, issued_by=cashier
    )
    FollowUp.create(
        order=order,
        customer=customer,
        due_at=now + dt.timedelta(days=3),
        preferred_time="工作日 18:00-20:00",
    )

    head = [order.number, customer.name, vehicle.plate, vehicle.vin]
    full = FullOrder(
        order,
        slip_numbers=[slip1.number, slip2.number],
        settlement_number=settlement.number,
        gate_number=gate.number,
    )
    full.expect = {
        "task-order": head
        + [
            "星河贸易有限公司",
            customer.phone,
            customer.address,
            "途观L Tiguan L",
            "星空灰",
            "48,210",
            "35%",
            order.complaint_text,
            order.diagnosis,
            order.warranty_reason,
            order.licence_no,
            order.booklet_no,
            "13700001111",
            advisor.name,
            (now + dt.timedelta(hours=5, minutes=30)).strftime("%Y-%m-%d %H:%M"),
            now.strftime("%Y-%m-%d %H:%M"),
            "CLM-2611-0042",
            "诚信汽车服务中心",
            "021-64001234",
            "虹梅路",
            "MNT-10K",
            "OIL-5W30-4L",
            "更换雨刮片",
            "10.00",
            "check brake pads",
        ]
        + [ln.description for ln in lines[:7]],
        "check-in": head
        + [
            customer.phone,
            "途观L Tiguan L",
            "星空灰",
            "48,210",
            "35%",
            "dash-cam SD card",
            "old kerb rash",
            "custom-blinker",
            advisor.name,
            "front",
            "wheel",
        ]
        + [m[4] for m in marks]
        + ["roof scratch"],
        "parts-issue": [
            order.number,
            vehicle.plate,
            "CK261102-001",
            "CK261102-002",
            tech.name,
            parts_clerk.name,
            "A-01-1",
            "A-02-3",
            "C-02-2",
            "B-03-1",
            "OIL-5W30-4L",
            "机油滤清器",
            "WPR-SET",
        ],
        "settlement": head
        + [
            settlement.number,
            "CLM-2611-0042",
            "SK261102-101",
            "SK261102-102",
            "WX4200001234",
            f"{totals.customer_total:,.2f}",
            f"{totals.warranty_claim:,.2f}",
            f"{totals.tax:,.2f}",
            "front brake pads at 2 mm",
            "A/C cleaning",
            "2027-05-02",
            "53,210",
            "工作日 18:00-20:00",
            "300.00",
            f"{cash:,.2f}",
            cashier.name,
            "20.00",
            amount_in_words(totals.customer_total),
        ],
        "gate-pass": [
            order.number,
            vehicle.plate,
            "途观L Tiguan L",
            "星空灰",
            gate.number,
            gate.code,
            cashier.name,
            now.strftime("%Y-%m-%d"),
        ],
    }
    return full
