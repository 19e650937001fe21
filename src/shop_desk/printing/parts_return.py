"""Return slip 退料单: parts issued to a repair order and not used, back on the shelf, with what
the order's line keeps, the technician's signature and the parts clerk who took them; A5 like
the parts issue slip, one slip per page group."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from shop_desk.i18n import counted, translate
from shop_desk.printing import labels as L
from shop_desk.printing.layout import (
    Tag,
    TailTable,
    build_pdf,
    data_table,
    gap,
    header,
    info_grid,
    make_context,
    section,
    signature_row,
)
from shop_desk.printing.parts_issue import PAGE
from shop_desk.services.documents import PartsReturnData


def render(slips: list[PartsReturnData], copy_mark: bool | int = False) -> bytes:
    first = slips[0]
    number = first.number if len(slips) == 1 else first.head.number
    ctx = make_context(
        first.head.shop, translate("Printing", "Return slip"), number, copy_mark, PAGE
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
            translate("Printing", "Return slip no."),
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
                    (translate("Printing", "Returned at"), L.when(slip.returned_at)),
                    (translate("Printing", "Technician"), slip.technician),
                    (translate("Printing", "Reason"), slip.reason or "—"),
                ],
            )
        )
        story.append(gap(1.5))
        rows = [
            [
                str(r.no),
                r.part_no,
                r.name,
                r.unit,
                L.number(r.quantity),
                r.bin_location,
                L.number(r.line_left),
            ]
            for r in slip.lines
        ]
        head = [
            translate("Printing", "No."),
            translate("Printing", "Part no."),
            translate("Printing", "Part"),
            translate("Printing", "Unit"),
            translate("Printing", "Returned"),
            translate("Printing", "Bin location"),
            translate("Printing", "Left on the order"),
        ]
        story.append(section(ctx, translate("Printing", "Parts returned to stock")))
        table = data_table(ctx, head, rows, [8, 28, 62, 12, 18, 22, 26], "lklcrcr")
        total_qty = sum((r.quantity for r in slip.lines), Decimal("0"))
        count = counted(
            len(slip.lines),
            translate("Printing", "{n} item, total quantity {qty}"),
            translate("Printing", "{n} items, total quantity {qty}"),
            qty=L.number(total_qty),
        )
        tail: list[Flowable] = [gap(1), section(ctx, count), gap(2)]
        tail.append(
            signature_row(
                ctx,
                [
                    (
                        translate("Printing", "Returned by (technician)"),
                        slip.signature,
                        slip.technician,
                    ),
                    (translate("Printing", "Received by (parts clerk)"), None, slip.received_by),
                ],
                height=20 * mm,
            )
        )
        story.append(TailTable(ctx, table, tail))
    return build_pdf(story, ctx, PAGE)
