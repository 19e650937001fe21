"""Settlement slip 车辆维修结算单: the work done with pay types (warranty lines at no charge,
with the claim total), discounts, tax, the amount due in figures and Chinese capitals,
payments, recommended work with the customer's decision, next service and follow-up call."""

from __future__ import annotations

from dataclasses import replace

from reportlab.lib import colors
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Table, TableStyle

from shop_desk.i18n import translate
from shop_desk.money import ZERO, fmt
from shop_desk.printing import labels as L
from shop_desk.printing.layout import (
    GRID,
    HEAD_BG,
    INK,
    LABEL_BG,
    FormContext,
    Tag,
    TailTable,
    build_pdf,
    data_table,
    esc,
    gap,
    header,
    image,
    info_grid,
    make_context,
    para,
    section,
    signature_row,
    text_box,
    totals_table,
)
from shop_desk.services.documents import SettlementData
from shop_desk.services.workshop import qc_stage_label


def _work(ctx: FormContext, data: SettlementData) -> tuple[Flowable, Table]:
    s = ctx.styles
    rows = []
    for ln in data.lines:
        desc: object = ln.description
        note = L.line_status(ln.origin, ln.auth_state, ln.decided_by)
        if ln.claim_no:
            note = (note + "; " if note else "") + translate("Printing", "claim no. {no}").format(
                no=ln.claim_no
            )
        if note:
            desc = para(
                f"{esc(ln.description)}<br/><font size='7' color='#555555'>({esc(note)})</font>",
                s.cell,
            )
        if ln.kind == "labour":
            qty, price = L.number(ln.hours), L.amount(ln.rate)
        else:
            qty, price = f"{L.number(ln.quantity)} {ln.unit}".strip(), L.amount(ln.unit_price)
        rows.append(
            [
                str(ln.no),
                ln.code,
                desc,
                qty,
                price,
                L.amount(ln.discount) if ln.discount else "",
                L.amount(ln.amount),
                L.pay_type(ln.pay_type),
                L.amount(ln.customer_amount),
            ]
        )
    head = [
        translate("Printing", "No."),
        translate("Printing", "Code"),
        translate("Printing", "Work done / part"),
        translate("Printing", "Hours / qty"),
        translate("Printing", "Rate / unit price (¥)"),
        translate("Printing", "Discount (¥)"),
        translate("Printing", "Amount (¥)"),
        translate("Printing", "Pay type"),
        translate("Printing", "Customer pays (¥)"),
    ]
    table = data_table(ctx, head, rows, [8, 21, 55, 14, 18, 15, 18, 22, 19], "lklrrrrcr")
    return section(ctx, translate("Printing", "Work done")), table


def _money_block(ctx: FormContext, data: SettlementData) -> list[Flowable]:
    """Payments (left) beside the totals (right), then the amount due in figures and in words."""
    s = ctx.styles
    tot: list[tuple[str, str, bool]] = [
        (translate("Printing", "Labour (customer pays)"), fmt(data.labour), False),
        (translate("Printing", "Parts (customer pays)"), fmt(data.parts), False),
        (translate("Printing", "Line discounts (included above)"), fmt(data.line_discounts), False),
        (translate("Printing", "Order discount"), fmt(-data.order_discount), False),
        (
            translate("Printing", "Warranty claim total (no charge to the customer)"),
            fmt(data.warranty_total),
            False,
        ),
    ]
    if data.internal_total:
        tot.append(
            (
                translate("Printing", "Internal (no charge to the customer)"),
                fmt(data.internal_total),
                False,
            )
        )
    if data.goodwill_total:
        tot.append(
            (
                translate("Printing", "Goodwill (no charge to the customer)"),
                fmt(data.goodwill_total),
                False,
            )
        )
    if data.insurance is not None:
        tot.append(
            (
                translate("Printing", "Insured work: customer's part"),
                fmt(data.insurance.customer_part),
                False,
            )
        )
    tot.append(
        (
            translate("Printing", "of which tax ({rate}%)").format(
                rate=L.number(data.tax_rate * 100)
            ),
            fmt(data.tax_total),
            False,
        )
    )
    right_w = 86 * mm
    left_w = ctx.width - right_w - 4 * mm
    totals = totals_table(ctx, tot, width=right_w)

    pay_ctx = replace(ctx, width=left_w)
    rows = [
        [L.payment_method(p.method), L.amount(p.amount), p.receipt_no, p.reference]
        for p in data.payments
    ]
    if not rows:
        rows = [[translate("Printing", "No payments."), "", "", ""]]
    balance = max(data.customer_total - data.paid_total - data.credit_total, ZERO)
    summary = translate("Printing", "Paid {paid}; balance {balance}").format(
        paid=fmt(data.paid_total), balance=fmt(balance)
    )
    if data.credit_total:
        summary = translate(
            "Printing", "Paid {paid}; on account {credit}; balance {balance}"
        ).format(paid=fmt(data.paid_total), credit=fmt(data.credit_total), balance=fmt(balance))
    n = len(rows) + 1
    rows.append([Paragraph(esc(summary), s.cell_r), "", "", ""])
    payments = data_table(
        pay_ctx,
        [
            translate("Printing", "Payment method"),
            translate("Printing", "Amount (¥)"),
            translate("Printing", "Receipt no."),
            translate("Printing", "Reference"),
        ],
        rows,
        [20, 18, 25, 27],
        "crll",
        repeat=False,
        extra_style=[
            ("SPAN", (0, n), (-1, n)),
            ("ALIGN", (0, n), (-1, n), "RIGHT"),
            ("BACKGROUND", (0, n), (-1, n), LABEL_BG),
        ],
    )
    side = Table(
        [[[section(pay_ctx, translate("Printing", "Payments")), payments], totals]],
        colWidths=[left_w + 4 * mm, right_w],
    )
    side.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), ctx.font, 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 4 * mm),
                ("TOPPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (1, 0), (1, 0), 5.2 * mm),
            ]
        )
    )
    big_r = ParagraphStyle("due", parent=s.big_r, fontSize=13, leading=16)
    words_style = ParagraphStyle("words", parent=s.normal, fontSize=12, leading=15)
    due = Table(
        [
            [
                Paragraph(esc(translate("Printing", "Amount due")), s.big),
                Paragraph(esc(fmt(data.customer_total)), big_r),
                Paragraph(esc(translate("Printing", "In Chinese capitals")), s.label),
                Paragraph(esc(L.in_capitals(data.amount_in_words)), words_style),
            ]
        ],
        colWidths=[30 * mm, 34 * mm, 28 * mm, ctx.width - 92 * mm],
    )
    due.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), ctx.font, 8),
                ("BOX", (0, 0), (-1, -1), 1.0, INK),
                ("INNERGRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (0, 0), HEAD_BG),
                ("BACKGROUND", (2, 0), (2, 0), LABEL_BG),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 4),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 5),
            ]
        )
    )
    return [side, gap(2), due]


def _insurance(ctx: FormContext, data: SettlementData) -> list[Flowable]:
    """Who pays the insured work: the insurer's part (billed to the insurer) and the
    customer's part (excess, betterment, the price above the loss assessment)."""
    ins = data.insurance
    if ins is None:
        return []
    split = [
        (translate("Printing", "Insured work (shop price)"), fmt(ins.insured), False),
        (translate("Printing", "Loss assessment covers"), fmt(ins.assessed), False),
        (translate("Printing", "Excess (customer pays)"), fmt(ins.excess), False),
        (translate("Printing", "Betterment (customer pays)"), fmt(ins.betterment), False),
        (
            translate("Printing", "Above the assessment (customer pays)"),
            fmt(ins.above_assessment),
            False,
        ),
        (translate("Printing", "Customer's part"), fmt(ins.customer_part), True),
        (
            translate("Printing", "Insurer pays"),
            fmt(ins.insurer_part),
            True,
        ),
    ]
    right_w = 86 * mm
    left_w = ctx.width - right_w - 4 * mm
    facts = info_grid(
        replace(ctx, width=left_w),
        [
            (translate("Printing", "Insurer"), ins.insurer),
            (translate("Printing", "Claim report no."), ins.claim_report_no),
            (translate("Printing", "Policy no."), ins.policy_no),
            (translate("Printing", "Loss assessor"), ins.assessor),
        ],
        columns=1,
    )
    side = Table(
        [[facts, totals_table(ctx, split, width=right_w)]],
        colWidths=[left_w + 4 * mm, right_w],
    )
    side.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 4 * mm),
            ]
        )
    )
    return [
        KeepTogether([section(ctx, translate("Printing", "Insurance claim: who pays")), side]),
        gap(1.5),
    ]


def _recommendations(ctx: FormContext, data: SettlementData) -> list[Flowable]:
    if not data.recommendations:
        return []
    rows = []
    for r in data.recommendations:
        signature: object = ""
        if r.state == "declined":
            img = image(r.signature.image, 34 * mm, 9 * mm)
            if img is not None:
                signature = img
            elif r.signature.on_paper:
                signature = translate("Printing", "signed on paper")
        rows.append(
            [
                str(r.no),
                r.description,
                (translate("Printing", "Safety-relevant") if r.safety else ""),
                L.recommendation_state(r.state),
                signature,
            ]
        )
    head = [
        translate("Printing", "No."),
        translate("Printing", "Recommended work"),
        translate("Printing", "Safety"),
        translate("Printing", "Customer's decision"),
        translate("Printing", "Customer signature (declined)"),
    ]
    out: list[Flowable] = [
        section(ctx, translate("Printing", "Recommended work")),
        data_table(ctx, head, rows, [8, 70, 22, 34, 42], "llccc"),
        gap(1),
    ]
    if any(r.safety and r.state == "declined" for r in data.recommendations):
        out.append(
            Paragraph(
                esc(
                    translate(
                        "Printing",
                        "Safety-relevant work was explained to the customer, including the possible consequences of not "
                        "repairing it; the customer declined it and signed above.",
                    )
                ),
                ctx.styles.small,
            )
        )
    return [KeepTogether(out)]


def _first_service(ctx: FormContext, data: SettlementData) -> list[Flowable]:
    """The first service (首保) note: "free" only when the slip's numbers say so."""
    if not data.first_service:
        return []
    if data.first_service_free:
        label = translate("Printing", "First free service")
        text = translate(
            "Printing",
            "This was the car's first service, which is free of charge. The warranty terms and the "
            "importance of regular maintenance were explained to the customer.",
        )
    else:
        label = translate("Printing", "First service")
        text = translate(
            "Printing",
            "This was the car's first service, charged as listed above. The warranty terms and the "
            "importance of regular maintenance were explained to the customer.",
        )
    return [gap(1), text_box(ctx, label, text)]


def _pro_forma_notice(ctx: FormContext) -> Flowable:
    notice = ParagraphStyle(
        "pro_forma", parent=ctx.styles.big, textColor=colors.HexColor("#9b1c1c")
    )
    box = Table(
        [
            [
                Paragraph(
                    esc(
                        translate(
                            "Printing",
                            "PRO-FORMA: NOT A RECEIPT. The bill as it stands before payment; the "
                            "amounts may still change until the order is settled.",
                        )
                    ),
                    notice,
                )
            ]
        ],
        colWidths=[ctx.width],
    )
    box.setStyle(
        TableStyle(
            [
                ("BOX", (0, 0), (-1, -1), 1.2, colors.HexColor("#9b1c1c")),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
            ]
        )
    )
    return box


def render(data: SettlementData, copy_mark: bool = False) -> bytes:
    """The settlement slip, or (``data.pro_forma``) the pro-forma slip 预结算单 before payment."""
    title = (
        translate("Printing", "Pro-forma settlement slip")
        if data.pro_forma
        else translate("Printing", "Settlement slip")
    )
    ctx = make_context(data.head.shop, title, data.number, copy_mark, A4)
    h = data.head
    make_model = " ".join(x for x in (h.make, h.model, str(h.year or "")) if x)
    customer = h.customer_name + (f" ({h.customer_company})" if h.customer_company else "")
    story: list[Flowable] = [Tag("settlement")]
    if data.pro_forma:
        story += header(ctx, h.shop, translate("Printing", "Repair order"), data.number)
        story.append(_pro_forma_notice(ctx))
        story.append(gap(1.5))
    else:
        story += header(
            ctx,
            h.shop,
            translate("Printing", "Settlement no."),
            data.number,
            extra_numbers=[(translate("Printing", "Repair order"), h.number)],
        )
    story.append(
        info_grid(
            ctx,
            [
                (translate("Printing", "Customer"), customer),
                (translate("Printing", "Phone"), h.customer_phone),
                (translate("Printing", "Plate"), h.plate),
                (translate("Printing", "Make / model"), make_model),
                (translate("Printing", "VIN"), h.vin),
                (translate("Printing", "Odometer"), L.km(h.odometer_km)),
                (translate("Printing", "Check-in time"), L.when(h.checked_in_at)),
                (translate("Printing", "Delivered"), L.when(h.delivered_at)),
                (translate("Printing", "Settled"), L.when(data.settled_at)),
                (translate("Printing", "Service advisor"), h.advisor),
                (translate("Printing", "Cashier"), data.settled_by),
                (translate("Printing", "Repair order"), h.number),
            ],
        )
    )
    story.append(gap(1.5))
    heading, table = _work(ctx, data)
    story.append(heading)
    # the totals, the terms and the signatures stay with the last lines of the work done
    tail: list[Flowable] = [gap(1.5), *_insurance(ctx, data), *_money_block(ctx, data), gap(1)]
    tail += _recommendations(ctx, data)
    if data.checked_by or data.leader_advice:
        # the rulebook's 100 % quality control by name, with the team leaders' advice
        checks = "  ·  ".join(f"{qc_stage_label(stage)}: {name}" for stage, name in data.checked_by)
        tail.append(gap(1))
        tail.append(
            text_box(
                ctx,
                translate("Printing", "Quality checks"),
                "\n".join(filter(None, [checks, *data.leader_advice])),
            )
        )
    tail.append(gap(1.5))
    tail.append(section(ctx, translate("Printing", "Next service and follow-up")))
    tail.append(
        info_grid(
            ctx,
            [
                (translate("Printing", "Next service date"), L.when(data.next_service_date)),
                (translate("Printing", "Next service mileage"), L.km(data.next_service_km)),
                (translate("Printing", "Follow-up call time"), data.follow_up_time),
            ],
        )
    )
    tail += _first_service(ctx, data)
    tail.append(gap(1))
    tail.append(
        Paragraph(
            esc(
                translate(
                    "Printing",
                    "We will call you within {days} days at the time above to ask whether you are satisfied. "
                    "Please keep this slip; the car leaves the premises with the gate pass.",
                ).format(days=data.follow_up_days)
            ),
            ctx.styles.small,
        )
    )
    if not data.pro_forma:  # nothing is signed or received on a pro-forma
        tail.append(gap(2))
        tail.append(
            signature_row(
                ctx,
                [
                    (
                        translate("Printing", "Customer signature"),
                        data.customer_signature,
                        h.customer_name,
                    ),
                    (translate("Printing", "Cashier"), None, data.settled_by),
                ],
                height=18 * mm,
            )
        )
    story.append(TailTable(ctx, table, tail))
    return build_pdf(story, ctx, A4)
