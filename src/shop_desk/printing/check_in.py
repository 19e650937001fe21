"""Vehicle check-in sheet 接车登记表: the car diagram with the damage marks, fuel, odometer,
warning lights, items present, valuables, photos and the customer's signature."""

from __future__ import annotations

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, Paragraph, Table, TableStyle

from shop_desk import diagram
from shop_desk.i18n import translate
from shop_desk.printing import labels as L
from shop_desk.printing.car_diagram import CarDiagram, DiagramMark, MarkLegend
from shop_desk.printing.layout import (
    GRID,
    FormContext,
    FuelGauge,
    Tag,
    build_pdf,
    data_table,
    esc,
    gap,
    header,
    image,
    info_grid,
    make_context,
    section,
    signature_row,
)
from shop_desk.services.documents import CheckInData

PHOTOS_PER_ROW = 4


def _diagram(ctx: FormContext, data: CheckInData) -> list[Flowable]:
    marks = [DiagramMark(m.no, m.kind, m.view, m.x, m.y, m.found_in_workshop) for m in data.marks]
    drawing = CarDiagram(ctx.width * 0.88, marks, {v: L.view(v) for v in diagram.VIEWS}, ctx.font)
    legend = MarkLegend(
        ctx.width,
        [(k, L.mark_kind(k)) for k in diagram.MARK_KINDS],
        [
            (False, translate("Printing", "at check-in")),
            (True, translate("Printing", "found in the workshop")),
        ],
        ctx.font,
    )
    frame = Table([[drawing], [legend]], colWidths=[ctx.width])
    frame.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), ctx.font, 8),
                ("BOX", (0, 0), (-1, -1), 0.5, GRID),
                ("LINEABOVE", (0, 1), (-1, 1), 0.3, GRID),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                ("TOPPADDING", (0, 0), (-1, 0), 3),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
            ]
        )
    )
    out: list[Flowable] = [section(ctx, translate("Printing", "Walk-around inspection")), frame]
    if data.marks:
        rows = [
            [
                str(m.no),
                L.view(m.view),
                L.mark_kind(m.kind),
                m.note,
                translate("Printing", "Workshop")
                if m.found_in_workshop
                else translate("Printing", "Check-in"),
            ]
            for m in data.marks
        ]
        head = [
            translate("Printing", "No."),
            translate("Printing", "View"),
            translate("Printing", "Damage"),
            translate("Printing", "Note"),
            translate("Printing", "Found at"),
        ]
        out += [gap(1.5), data_table(ctx, head, rows, [8, 30, 18, 90, 20], "lllll")]
    else:
        out += [
            gap(1),
            Paragraph(esc(translate("Printing", "No damage marked.")), ctx.styles.small),
        ]
    return out


def _photos(ctx: FormContext, data: CheckInData) -> list[Flowable]:
    if not data.photos:
        return []
    s = ctx.styles
    cell_w = ctx.width / PHOTOS_PER_ROW
    rows: list[list] = []
    row: list = []
    for p in data.photos:
        img = image(p.image, cell_w - 6 * mm, 24 * mm)
        row.append(
            [
                img or Paragraph(esc(translate("Printing", "(photo cannot be read)")), s.small),
                Paragraph(esc(p.caption or p.filename), s.small),
            ]
        )
        if len(row) == PHOTOS_PER_ROW:
            rows.append(row)
            row = []
    if row:
        rows.append(row + [""] * (PHOTOS_PER_ROW - len(row)))
    table = Table(rows, colWidths=[cell_w] * PHOTOS_PER_ROW)
    table.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), ctx.font, 8),
                ("GRID", (0, 0), (-1, -1), 0.5, GRID),
                ("ALIGN", (0, 0), (-1, -1), "CENTER"),
                ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
                ("TOPPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return [section(ctx, translate("Printing", "Photos")), table]


def render(data: CheckInData, copy_mark: bool | int = False) -> bytes:
    ctx = make_context(
        data.head.shop,
        translate("Printing", "Vehicle check-in sheet"),
        data.head.number,
        copy_mark,
        A4,
    )
    h = data.head
    make_model = " ".join(x for x in (h.make, h.model, str(h.year or "")) if x)
    story: list[Flowable] = [Tag("sheet")]
    story += header(ctx, h.shop, translate("Printing", "Order no."), h.number)
    story.append(
        info_grid(
            ctx,
            [
                (translate("Printing", "Customer"), h.customer_name),
                (translate("Printing", "Phone"), h.customer_phone),
                (translate("Printing", "Plate"), h.plate),
                (translate("Printing", "Make / model"), make_model),
                (translate("Printing", "Colour"), h.colour),
                (translate("Printing", "VIN"), h.vin),
                (
                    translate("Printing", "Check-in time"),
                    L.when(h.checked_in_at or data.recorded_at),
                ),
                (translate("Printing", "Odometer"), L.km(data.odometer_km)),
                (translate("Printing", "Fuel level"), FuelGauge(data.fuel_level, ctx.font)),
            ],
        )
    )
    story.append(gap(1.5))
    story += _diagram(ctx, data)
    story.append(gap(1.5))
    lights = L.join(L.warning_light(c) for c in data.warning_lights) or translate(
        "Printing", "None"
    )
    story.append(section(ctx, translate("Printing", "Condition at check-in")))
    story.append(
        info_grid(
            ctx,
            [
                (translate("Printing", "Warning lights on"), lights),
                (
                    translate("Printing", "Spare wheel"),
                    f"{L.tick(data.spare_wheel)} {L.yes_no(data.spare_wheel)}",
                ),
                (
                    translate("Printing", "Tool kit"),
                    f"{L.tick(data.tool_kit)} {L.yes_no(data.tool_kit)}",
                ),
                (
                    translate("Printing", "Protective set fitted"),
                    f"{L.tick(data.protective_set)} {L.yes_no(data.protective_set)}",
                ),
                (
                    translate("Printing", "Valuables left in the car"),
                    data.valuables or translate("Printing", "None declared"),
                ),
                (translate("Printing", "Notes"), data.notes),
            ],
            columns=2,
            label_width=30 * mm,
        )
    )
    story.append(gap(1.5))
    story += _photos(ctx, data)
    story.append(gap(1.5))
    story.append(
        Paragraph(
            esc(
                translate(
                    "Printing",
                    "The customer confirms the vehicle's condition as recorded above. The shop is not liable for "
                    "valuables not declared here.",
                )
            ),
            ctx.styles.small,
        )
    )
    story.append(gap(1.5))
    story.append(
        signature_row(
            ctx,
            [
                (
                    translate("Printing", "Customer signature"),
                    data.customer_signature,
                    h.customer_name,
                ),
                (translate("Printing", "Service advisor"), None, h.advisor or data.recorded_by),
            ],
        )
    )
    return build_pdf(story, ctx, A4)
