"""Parts issue slip 出库单: the parts drawn against the task order, their bin locations and the
technician's signature; one slip per page group."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from shop_desk.i18n import counted, translate
from shop_desk.printing import labels as L
from shop_desk.printing.layout import (
    Tag,
    TailTable,
    build_pdf,
    gap,
    header,
    info_grid,
    make_context,
    parts_table,
    section,
    signature_row,
)
from shop_desk.services.documents import PartsSlipData

#: Half A4 (A5 landscape), like the pre-printed slips at the parts counter.
PAGE = landscape(A5)


def render(slips: list[PartsSlipData], copy_mark: bool | int = False) -> bytes:
    first = slips[0]
    number = first.number if len(slips) == 1 else first.head.number
    ctx = make_context(
        first.head.shop, translate("Printing", "Parts issue slip"), number, copy_mark, PAGE
    )
    story: list[Flowable] = []
    for i, slip in enumerate(slips):
        h = slip.head
        if i:
            story.append(PageBreak())
        story.append(Tag(slip.number, slip.number if len(slips) > 1 else ""))
        story += header(
            ctx,
            h.shop,
            translate("Printing", "Slip no."),
            slip.number,
            extra_numbers=[(translate("Printing", "Repair order"), h.number)],
        )
        story.append(
            info_grid(
                ctx,
                [
                    (translate("Printing", "Repair order"), h.number),
                    (translate("Printing", "Plate"), h.plate),
                    (
                        translate("Printing", "Make / model"),
                        " ".join(x for x in (h.make, h.model) if x),
                    ),
                    (translate("Printing", "Issued at"), L.when(slip.issued_at)),
                    (translate("Printing", "Issued by"), slip.issued_by),
                    (translate("Printing", "Technician"), slip.technician),
                ],
            )
        )
        story.append(gap(1.5))
        story.append(section(ctx, translate("Printing", "Parts issued")))
        table = parts_table(
            ctx,
            [
                [
                    r.no,
                    r.part_no,
                    r.name,
                    r.unit,
                    L.number(r.quantity),
                    r.bin_location,
                    L.pay_type(r.pay_type),
                ]
                for r in slip.lines
            ],
            [
                translate("Printing", "Quantity"),
                translate("Printing", "Bin location"),
                translate("Printing", "Pay type"),
            ],
            [16, 22, 22],
            "rcc",
            name_width=68,
        )
        total_qty = sum((r.quantity for r in slip.lines), Decimal("0"))
        count = counted(
            len(slip.lines),
            translate("Printing", "{n} item, total quantity {qty}"),
            translate("Printing", "{n} items, total quantity {qty}"),
            qty=L.number(total_qty),
        )
        # the count and the signatures stay on the page of the slip's last lines
        tail: list[Flowable] = [gap(1), section(ctx, count), gap(2)]
        tail.append(
            signature_row(
                ctx,
                [
                    (
                        translate("Printing", "Received by (technician)"),
                        slip.signature,
                        slip.technician,
                    ),
                    (translate("Printing", "Issued by (parts clerk)"), None, slip.issued_by),
                ],
                height=20 * mm,
            )
        )
        story.append(TailTable(ctx, table, tail))
    return build_pdf(story, ctx, PAGE)
