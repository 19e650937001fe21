"""Counter receipt 配件零售收据 (A5 portrait): what was sold over the counter, gifts marked,
the warranty of each line, the payment and any refund, and the counter's policy (篇五)."""

from __future__ import annotations

from reportlab.lib.pagesizes import A5
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from shop_desk.i18n import translate
from shop_desk.printing import labels as L
from shop_desk.printing.layout import (
    Tag,
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
from shop_desk.services.counter_documents import CounterReceiptData

PAGE = A5


def _name(line) -> str:
    if line.gift:
        return translate("Printing", "{name} (gift)").format(name=line.name)
    return line.name


def render(data: CounterReceiptData, copy_mark: bool | int = False) -> bytes:
    ctx = make_context(
        data.shop, translate("Printing", "Counter receipt"), data.number, copy_mark, PAGE
    )
    s = ctx.styles
    story: list[Flowable] = [Tag("receipt")]
    story += header(ctx, data.shop, translate("Printing", "Receipt no."), data.number)
    story.append(
        info_grid(
            ctx,
            [
                (translate("Printing", "Date"), L.when(data.sold_at)),
                (translate("Printing", "Sold by"), data.sold_by),
                (translate("Printing", "Customer"), data.customer_name),
                (translate("Printing", "Phone"), data.customer_phone),
            ],
            columns=2,
        )
    )
    story.append(gap(1.5))
    story.append(section(ctx, translate("Printing", "Parts sold")))
    head = [
        translate("Printing", "No."),
        translate("Printing", "Part no."),
        translate("Printing", "Part"),
        translate("Printing", "Quantity"),
        translate("Printing", "Unit price"),
        translate("Printing", "Amount"),
        translate("Printing", "Warranty"),
    ]
    rows = [
        [
            str(r.no),
            r.part_no,
            _name(r),
            f"{L.number(r.quantity)} {r.unit}".strip(),
            L.amount(r.unit_price),
            L.amount(r.amount),
            r.warranty or "—",
        ]
        for r in data.lines
    ]
    story.append(data_table(ctx, head, rows, [7, 20, 36, 14, 17, 17, 21], "lklrrrc"))
    story.append(gap(1.5))
    totals = [(translate("Printing", "Total"), L.amount(data.total), True)]
    for p in data.payments:
        if p.amount < 0:
            label = translate("Printing", "Refund ({method}, {reference})").format(
                method=L.payment_method(p.method), reference=p.reference
            )
        else:
            label = translate("Printing", "Paid ({method})").format(
                method=L.payment_method(p.method)
            )
        totals.append((label, L.amount(p.amount), False))
        if p.tendered is not None and p.change:
            totals.append((translate("Printing", "Cash handed over"), L.amount(p.tendered), False))
            totals.append((translate("Printing", "Change"), L.amount(p.change), False))
    if any(p.amount < 0 for p in data.payments):
        totals.append((translate("Printing", "Paid after refunds"), L.amount(data.paid), True))
    story.append(totals_table(ctx, totals, width=80 * mm))
    story.append(gap(1))
    story.append(
        Paragraph(
            esc(
                translate("Printing", "Amount in words: {words}").format(
                    words=L.in_capitals(data.total_in_words)
                )
            ),
            s.small,
        )
    )
    story.append(gap(2))
    story.append(section(ctx, translate("Printing", "Exchange and warranty")))
    for text in data.terms:
        story.append(Paragraph(esc(text), s.small))
    story.append(gap(3))
    story.append(
        signature_row(
            ctx,
            [
                (translate("Printing", "Sold by"), None, data.sold_by),
                (translate("Printing", "Customer"), None, data.customer_name),
            ],
            height=14 * mm,
        )
    )
    return build_pdf(story, ctx, PAGE)
