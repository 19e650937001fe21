"""Test report 检测报告 (A5 portrait, like the counter receipt): the shop's assessment of a
product brought back to the accessory counter, handed to the customer. What was sold and when,
the fault in the customer's words, what the shop found, the checks that decide (quality fault,
exterior, parts complete) and what follows, with the general manager's approval; a reprint is
a copy."""

from __future__ import annotations

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph

from shop_desk.i18n import translate
from shop_desk.printing import labels as L
from shop_desk.printing.counter_receipt import PAGE
from shop_desk.printing.layout import (
    Tag,
    build_pdf,
    esc,
    gap,
    header,
    info_grid,
    make_context,
    section,
    signature_row,
    text_box,
)
from shop_desk.services.counter_documents import TestReportData


def render(data: TestReportData, copy_mark: bool | int = False) -> bytes:
    ctx = make_context(
        data.shop, translate("Printing", "Test report"), data.report_no, copy_mark, PAGE
    )
    s = ctx.styles
    story: list[Flowable] = [Tag("test-report")]
    story += header(
        ctx,
        data.shop,
        translate("Printing", "Test report no."),
        data.report_no,
        extra_numbers=[(translate("Printing", "Case"), data.case_number)],
    )
    story.append(
        info_grid(
            ctx,
            [
                (translate("Printing", "Receipt no."), data.receipt),
                (translate("Printing", "Sold on"), L.when(data.sold_at)),
                (translate("Printing", "Customer"), data.customer_name or "—"),
                (translate("Printing", "Phone"), data.customer_phone or "—"),
                (translate("Printing", "Product"), f"{data.part_no} {data.product}"),
                (translate("Printing", "Category"), data.category),
                (translate("Printing", "Quantity"), L.number(data.quantity)),
                (translate("Printing", "The customer asks for"), data.request),
                (translate("Printing", "Received at"), L.when(data.received_at)),
                (
                    translate("Printing", "Days after the sale"),
                    str(data.days_after_sale),
                ),
                (translate("Printing", "Warranty"), data.warranty),
                (translate("Printing", "Warranty until"), L.when(data.warranty_until)),
            ],
            columns=2,
        )
    )
    story.append(gap(1.5))
    story.append(text_box(ctx, translate("Printing", "Fault in the customer's words"), data.fault))
    story.append(gap(1))
    story.append(text_box(ctx, translate("Printing", "Findings"), data.findings))
    story.append(gap(1.5))
    story.append(section(ctx, translate("Printing", "Assessment")))
    story.append(
        info_grid(
            ctx,
            [
                (translate("Printing", "Quality fault"), L.yes_no(data.quality_fault)),
                (translate("Printing", "Faulty part"), data.component or "—"),
                (translate("Printing", "Exterior damaged"), L.yes_no(data.exterior_damage)),
                (translate("Printing", "Parts missing"), L.yes_no(data.parts_missing)),
                (translate("Printing", "Tested"), L.when(data.tested_at)),
                (translate("Printing", "Tested by"), data.tested_by),
            ],
            columns=2,
        )
    )
    story.append(gap(1.5))
    story.append(section(ctx, translate("Printing", "Decision")))
    for text in (data.decision, data.approval, data.state):
        if text:
            story.append(Paragraph(esc(text), s.normal))
    story.append(gap(1))
    story.append(
        Paragraph(
            esc(
                translate(
                    "Printing",
                    "Every exchange, refund or replacement needs the general manager's approval; "
                    "without it the costs stay with the customer.",
                )
            ),
            s.small,
        )
    )
    story.append(gap(3))
    story.append(
        signature_row(
            ctx,
            [
                (translate("Printing", "Tested by"), None, data.tested_by),
                (translate("Printing", "Customer"), None, data.customer_name),
            ],
            height=14 * mm,
        )
    )
    return build_pdf(story, ctx, PAGE)
