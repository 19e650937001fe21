"""Supplier order 采购单 (A5 landscape, like the parts slips): the supplier and whom to call,
what is ordered and for which repair order, what came in so far, the parts clerk who ordered
and a box for the supplier's confirmation. Faxed or handed over; a reprint is a copy."""

from __future__ import annotations

from decimal import Decimal

from reportlab.lib.units import mm
from reportlab.platypus import Flowable

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
    text_box,
)
from shop_desk.printing.parts_slips import PAGE
from shop_desk.services.purchasing_documents import SupplierOrderData


def render(data: SupplierOrderData, copy_mark: bool | int = False) -> bytes:
    ctx = make_context(
        data.shop, translate("Printing", "Supplier order"), data.number, copy_mark, PAGE
    )
    extra = (
        [(translate("Printing", "Repair order"), data.repair_order)] if data.repair_order else []
    )
    story: list[Flowable] = [Tag("supplier-order")]
    story += header(
        ctx,
        data.shop,
        translate("Printing", "Supplier order no."),
        data.number,
        extra_numbers=extra,
    )
    purpose = data.purpose
    if data.plate:
        purpose += f" ({data.plate})"
    story.append(
        info_grid(
            ctx,
            [
                (translate("Printing", "Supplier"), data.supplier),
                (translate("Printing", "Contact"), data.contact or "—"),
                (translate("Printing", "Phone"), data.phone or "—"),
                (translate("Printing", "Ordered at"), L.when(data.raised_at)),
                (translate("Printing", "Sent at"), L.when(data.sent_at) or "—"),
                (translate("Printing", "Last received"), L.when(data.received_at) or "—"),
                (translate("Printing", "State"), data.state),
                (translate("Printing", "For"), purpose),
            ],
            spans=(7,),
        )
    )
    if data.note:
        story.append(gap(1))
        story.append(text_box(ctx, translate("Printing", "Note"), data.note))
    story.append(gap(1.5))
    story.append(section(ctx, translate("Printing", "Parts ordered")))
    head = [
        translate("Printing", "No."),
        translate("Printing", "Part no."),
        translate("Printing", "Part"),
        translate("Printing", "Unit"),
        translate("Printing", "Ordered"),
        translate("Printing", "Received"),
        translate("Printing", "Still expected"),
    ]
    rows = [
        [
            str(r.no),
            r.part_no,
            r.name,
            r.unit,
            L.number(r.quantity),
            L.number(r.received),
            L.number(r.expected),
        ]
        for r in data.lines
    ]
    table = data_table(ctx, head, rows, [8, 28, 66, 12, 20, 20, 22], "lklcrrr")
    ordered = sum((r.quantity for r in data.lines), Decimal("0"))
    count = counted(
        len(data.lines),
        translate("Printing", "{n} item, total quantity {qty}"),
        translate("Printing", "{n} items, total quantity {qty}"),
        qty=L.number(ordered),
    )
    tail: list[Flowable] = [gap(1), section(ctx, count), gap(2)]
    tail.append(
        signature_row(
            ctx,
            [
                (translate("Printing", "Ordered by (parts clerk)"), None, data.raised_by),
                (translate("Printing", "Confirmed by the supplier"), None, ""),
            ],
            height=20 * mm,
        )
    )
    story.append(TailTable(ctx, table, tail))
    return build_pdf(story, ctx, PAGE)
