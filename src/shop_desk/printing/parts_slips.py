"""The frame both parts slips print in (issue slip 出库单, return slip 退料单): A5 landscape
like the pre-printed slips at the parts counter, one slip per page group, the order's facts,
the parts and, on the page of the slip's last lines, the count and the two signatures."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, PageBreak

from shop_desk.i18n import counted, translate
from shop_desk.printing import labels as L
from shop_desk.printing.layout import (
    FormContext,
    SignatureImage,
    Tag,
    TailTable,
    build_pdf,
    gap,
    header,
    info_grid,
    make_context,
    section,
    signature_row,
)

#: Half A4 (A5 landscape), like the pre-printed slips at the parts counter.
PAGE = landscape(A5)

#: A signature box: what the signer does, the signature image (None: signed on paper), name.
Signature = tuple[str, SignatureImage | None, str]


def render_slips(
    slips: Sequence[Any],
    title: str,
    number_label: str,
    facts: Callable[[Any], list[tuple[str, str]]],
    parts_heading: str,
    parts: Callable[[FormContext, Any], Flowable],
    signatures: Callable[[Any], list[Signature]],
    copy_mark: bool | int = False,
) -> bytes:
    """``slips`` (each with ``number``, ``head`` and ``lines``) under ``title``: ``facts``
    are the slip's own lines after the order's, ``parts`` its table of parts and
    ``signatures`` who signs it."""
    first = slips[0]
    number = first.number if len(slips) == 1 else first.head.number
    ctx = make_context(first.head.shop, title, number, copy_mark, PAGE)
    story: list[Flowable] = []
    for i, slip in enumerate(slips):
        h = slip.head
        if i:
            story.append(PageBreak())
        story.append(Tag(slip.number, slip.number if len(slips) > 1 else ""))
        story += header(
            ctx,
            h.shop,
            number_label,
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
                    *facts(slip),
                ],
            )
        )
        story.append(gap(1.5))
        story.append(section(ctx, parts_heading))
        table = parts(ctx, slip)
        total_qty = sum((r.quantity for r in slip.lines), Decimal("0"))
        count = counted(
            len(slip.lines),
            translate("Printing", "{n} item, total quantity {qty}"),
            translate("Printing", "{n} items, total quantity {qty}"),
            qty=L.number(total_qty),
        )
        # the count and the signatures stay on the page of the slip's last lines
        tail: list[Flowable] = [gap(1), section(ctx, count), gap(2)]
        tail.append(signature_row(ctx, signatures(slip), height=20 * mm))
        story.append(TailTable(ctx, table, tail))
    return build_pdf(story, ctx, PAGE)
