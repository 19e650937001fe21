"""Gate pass 出门证 (A5 landscape): the car leaves only with it; the gate checks the code."""

from __future__ import annotations

from reportlab.lib.pagesizes import A5, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from shop_desk.i18n import translate
from shop_desk.printing import labels as L
from shop_desk.printing.layout import (
    GRID,
    LABEL_BG,
    QrCode,
    Tag,
    build_pdf,
    esc,
    gap,
    header,
    make_context,
    signature_row,
)
from shop_desk.services.documents import GatePassData

PAGE = landscape(A5)


def render(data: GatePassData, copy_mark: bool = False) -> bytes:
    ctx = make_context(
        data.head.shop, translate("Printing", "Gate pass"), data.number, copy_mark, PAGE
    )
    s = ctx.styles
    h = data.head
    story: list[Flowable] = [Tag("pass")]
    story += header(ctx, h.shop, translate("Printing", "Pass no."), data.number, code="")
    qr_w = 42 * mm
    info_w = ctx.width - qr_w - 3 * mm
    plate_style = ParagraphStyle("plate", parent=s.normal, fontSize=20, leading=25)
    code_style = ParagraphStyle("code", parent=s.copy, fontSize=15, leading=19)
    pairs = [
        (translate("Printing", "Plate"), Paragraph(esc(h.plate), plate_style)),
        (
            translate("Printing", "Make / model"),
            Paragraph(esc(" ".join(x for x in (h.make, h.model) if x)), s.normal),
        ),
        (translate("Printing", "Colour"), Paragraph(esc(h.colour), s.normal)),
        (translate("Printing", "Date"), Paragraph(esc(L.when(data.issued_at)), s.normal)),
        (translate("Printing", "Repair order"), Paragraph(esc(h.number), s.normal)),
        (translate("Printing", "Issued by"), Paragraph(esc(data.issued_by), s.normal)),
    ]
    info = Table(
        [[Paragraph(esc(k), s.label), v] for k, v in pairs], colWidths=[26 * mm, info_w - 26 * mm]
    )
    info.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), ctx.font, 8),
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("BACKGROUND", (0, 0), (0, -1), LABEL_BG),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 2.5),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    code_cell = [
        QrCode(f"{data.number}|{data.code}", 32 * mm),
        gap(1),
        Paragraph(esc(translate("Printing", "Exit code")), s.head),
        Paragraph(esc(data.code), code_style),
    ]
    body = Table([[info, code_cell]], colWidths=[info_w + 3 * mm, qr_w])
    body.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), ctx.font, 8),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("ALIGN", (1, 0), (1, 0), "CENTER"),
                ("LEFTPADDING", (0, 0), (0, 0), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 3 * mm),
                ("BOX", (1, 0), (1, 0), 0.5, GRID),
            ]
        )
    )
    story.append(body)
    story.append(gap(2))
    story.append(
        Paragraph(
            esc(
                translate(
                    "Printing",
                    "The car has been settled and may leave the premises. The gate keeps this pass.",
                )
            ),
            s.small,
        )
    )
    story.append(gap(2))
    story.append(
        signature_row(
            ctx,
            [
                (translate("Printing", "Issued by"), None, data.issued_by),
                (translate("Printing", "Checked out at the gate"), None, ""),
            ],
            height=16 * mm,
        )
    )
    return build_pdf(story, ctx, PAGE)
