"""Insurer's statement 保险公司对账单 (A4 landscape: many columns): what one insurer still owes
the shop as of a day, sent to the insurer to be paid. One row per open receivable (the order,
the claim report number, the car, the accident and settlement dates, what the assessment
covers, the insurer's part, what it paid so far, what is outstanding and for how long), the
totals, the outstanding by age, and boxes for the shop's signature and the insurer's
confirmation; a reprint is a copy."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from shop_desk.i18n import counted, translate
from shop_desk.money import fmt
from shop_desk.printing import labels as L
from shop_desk.printing.layout import (
    Tag,
    TailTable,
    build_pdf,
    data_table,
    esc,
    gap,
    header,
    info_grid,
    make_context,
    section,
    signature_row,
    totals_table,
)
from shop_desk.services.insurer_statements import InsurerStatementData

#: A4 landscape: eleven columns of figures and numbers side by side.
PAGE = landscape(A4)


def render(data: InsurerStatementData, copy_mark: bool | int = False) -> bytes:
    ctx = make_context(
        data.shop, translate("Printing", "Insurer's statement"), data.number, copy_mark, PAGE
    )
    s = ctx.styles
    on_date = L.when(data.on_date)
    story: list[Flowable] = [Tag("insurer-statement")]
    story += header(
        ctx,
        data.shop,
        translate("Printing", "Statement no."),
        data.number,
        extra_numbers=[(translate("Printing", "Statement date"), on_date)],
    )
    story.append(
        info_grid(
            ctx,
            [
                (translate("Printing", "Insurer"), data.insurer),
                (translate("Printing", "Contact"), data.contact or "—"),
                (translate("Printing", "Statement date"), on_date),
            ],
        )
    )
    story.append(gap(1.5))
    story.append(section(ctx, translate("Printing", "Open receivables")))
    head = [
        translate("Printing", "No."),
        translate("Printing", "Repair order"),
        translate("Printing", "Claim report no."),
        translate("Printing", "Plate"),
        translate("Printing", "Accident date"),
        translate("Printing", "Settled on"),
        translate("Printing", "Assessed (¥)"),
        translate("Printing", "Insurer's part (¥)"),
        translate("Printing", "Paid so far (¥)"),
        translate("Printing", "Outstanding (¥)"),
        translate("Printing", "Age (days)"),
    ]
    rows = [
        [
            str(r.no),
            r.order_number,
            r.claim_report_no,
            r.plate,
            L.when(r.accident_date) or "—",
            L.when(r.settled_on),
            L.amount(r.assessed),
            L.amount(r.insurer_part),
            L.amount(r.paid),
            L.amount(r.outstanding),
            str(r.age_days),
        ]
        for r in data.rows
    ]
    if not rows:
        nothing = translate("Printing", "Nothing is outstanding on {date}.").format(date=on_date)
        rows = [["", "", nothing, *("" for _ in head[3:])]]
    table = data_table(ctx, head, rows, [8, 26, 36, 22, 20, 20, 22, 22, 22, 22, 14], "lkklccrrrrr")
    count = counted(
        len(data.rows),
        translate("Printing", "{n} open receivable"),
        translate("Printing", "{n} open receivables"),
    )
    totals = totals_table(
        ctx,
        [
            (translate("Printing", "Loss assessment covers"), fmt(data.assessed), False),
            (translate("Printing", "Insurer's part in all"), fmt(data.insurer_part), False),
            (translate("Printing", "Paid so far"), fmt(data.paid), False),
            (translate("Printing", "Outstanding"), fmt(data.outstanding), True),
        ],
    )
    ages = data_table(
        ctx,
        [*data.age_labels, translate("Printing", "Total")],
        [[*(fmt(v) for v in data.by_age), fmt(data.outstanding)]],
        [1] * (len(data.age_labels) + 1),
        "r" * (len(data.age_labels) + 1),
        repeat=False,
    )
    words = translate("Printing", "Outstanding in words: {words}").format(
        words=L.in_capitals(data.outstanding_in_words)
    )
    confirm = translate(
        "Printing",
        "Please check the receivables above and confirm them with your signature and stamp; "
        "payments received after {date} are not shown. Pay the outstanding amount to the "
        "shop's account, giving the repair order numbers.",
    ).format(date=on_date)
    tail: list[Flowable] = [
        gap(1),
        section(ctx, count),
        totals,
        gap(1),
        Paragraph(esc(words), s.normal),
        gap(1.5),
        section(ctx, translate("Printing", "Outstanding by age")),
        ages,
        gap(1.5),
        Paragraph(esc(confirm), s.small),
        gap(2),
        signature_row(
            ctx,
            [
                (translate("Printing", "For the shop (signature and stamp)"), None, ""),
                (translate("Printing", "Confirmed by the insurer (signature and stamp)"), None, ""),
            ],
            height=22 * mm,
        ),
    ]
    story.append(TailTable(ctx, table, tail))
    return build_pdf(story, ctx, PAGE)
