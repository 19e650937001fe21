"""Gate pass 出门证 (A5 landscape): the car leaves only with it; the gate checks the code."""

from __future__ import annotations

from reportlab.lib import colors
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
STAMP_RED = colors.HexColor("#c0392b")


class Stamp(Flowable):
    """已使用 / USED or 作废 / VOID in large red letters across the middle of the page, with
    the why underneath: the paper of a pass that no longer lets a car out says so itself."""

    def __init__(self, font: str, word: str, note: str) -> None:
        super().__init__()
        self.font, self.word, self.note = font, word, note
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        c = self.canv
        x, y = c.absolutePosition(0, 0)
        w, h = c._pagesize
        c.saveState()
        # over the car's details, wherever the story put us; level, so the words stay text a
        # reader (or pdftotext) finds, not a diagonal picture
        c.translate(w / 2 - x, h / 2 + 12 * mm - y)
        c.setFillColor(STAMP_RED)
        c.setStrokeColor(STAMP_RED)
        c.setFillAlpha(0.55)
        c.setStrokeAlpha(0.8)
        size = 64
        box_w = max(
            c.stringWidth(self.word, self.font, size), c.stringWidth(self.note, self.font, 11)
        )
        c.setLineWidth(3)
        c.roundRect(-box_w / 2 - 8 * mm, -16 * mm, box_w + 16 * mm, 38 * mm, 4 * mm)
        c.setFont(self.font, size)
        c.drawCentredString(0, -1 * mm, self.word)
        if self.note:
            c.setFont(self.font, 11)
            c.drawCentredString(0, -11 * mm, self.note)
        c.restoreState()


def stamp_of(data: GatePassData, font: str) -> Stamp | None:
    """The stamp of a pass that no longer lets a car out (voided, or used at the gate)."""
    if data.void:
        return Stamp(
            font,
            translate("Printing", "VOID"),
            translate("Printing", "Voided: this pass does not let the car out."),
        )
    if data.used_at is not None:
        return Stamp(
            font,
            translate("Printing", "USED"),
            translate("Printing", "Used at the gate {time}").format(time=L.when(data.used_at)),
        )
    return None


def render(data: GatePassData, copy_mark: bool | int = False) -> bytes:
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
    stamp = stamp_of(data, ctx.font)
    if stamp is not None:
        story.append(stamp)  # last: drawn over the form
    return build_pdf(story, ctx, PAGE)
