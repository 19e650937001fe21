"""The car diagram on the check-in sheet, with the damage marks on it.

The drawing itself (resources/images/car_diagram.svg, the file the screens show through
QSvgRenderer) is read by ``svglib`` into a ReportLab drawing and drawn as vectors; the marks,
their numbers and the view labels in the user's language are drawn here on top. svglib
replaced a hand-written reader of an SVG subset: rendered with both, the check-in sheet's
pages were the same (pdftoppm at 100 dpi: 35 pixels of 967,590 differ, by at most 19 of 255 in
one channel, all on the diagram's anti-aliased edges).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from shop_desk import diagram


@functools.lru_cache(maxsize=4)
def load_drawing(path: str) -> Drawing:
    """The SVG file as a ReportLab drawing, read once per process.

    svglib gives sizes in points (an SVG pixel is 0.75 pt); callers scale to diagram units."""
    from svglib.svglib import svg2rlg  # lxml and the SVG reader: only when a sheet is printed

    drawing = svg2rlg(path)
    if drawing is None:
        raise ValueError(f"cannot read the car diagram {path}")
    return drawing


def draw_symbol(
    canvas: Canvas,
    kind: str,
    x: float,
    y: float,
    size: float,
    colour: colors.Color,
    line_width: float,
) -> None:
    """A damage-mark symbol centred at x/y (any y direction): × ○ △ ● □ by kind."""
    symbol = diagram.MARK_SYMBOLS.get(kind, "square")
    r = size / 2
    canvas.saveState()
    canvas.setStrokeColor(colour)
    canvas.setFillColor(colour)
    canvas.setLineWidth(line_width)
    if symbol == "cross":
        canvas.line(x - r, y - r, x + r, y + r)
        canvas.line(x - r, y + r, x + r, y - r)
    elif symbol == "circle":
        canvas.circle(x, y, r, stroke=1, fill=0)
    elif symbol == "dot":
        canvas.circle(x, y, r * 0.8, stroke=0, fill=1)
    elif symbol == "triangle":
        p = canvas.beginPath()
        p.moveTo(x, y + r)
        p.lineTo(x + r, y - r)
        p.lineTo(x - r, y - r)
        p.close()
        canvas.drawPath(p, stroke=1, fill=0)
    else:
        canvas.rect(x - r, y - r, size, size, stroke=1, fill=0)
    canvas.restoreState()


@dataclass
class DiagramMark:
    no: int
    kind: str
    view: str
    x: float  # fractions of the view's rectangle (see shop_desk.diagram)
    y: float
    workshop: bool = False


class CarDiagram(Flowable):
    """The five-view car drawing, the marks on it (numbered) and view labels under each view."""

    LABEL_GAP = 10.0  # points under the lower row for its labels

    def __init__(
        self,
        width: float,
        marks: list[DiagramMark],
        view_labels: dict[str, str],
        font: str,
        svg: str | None = None,
    ) -> None:
        super().__init__()
        self.drawing = load_drawing(str(svg or diagram.svg_path()))
        self.box = (0.0, 0.0, float(diagram.WIDTH), float(diagram.HEIGHT))
        self.marks = marks
        self.view_labels = view_labels
        self.font = font
        self.scale = width / self.box[2]
        self.width = width
        self.height = self.box[3] * self.scale + self.LABEL_GAP

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def _pt(self, ux: float, uy: float) -> tuple[float, float]:
        """Diagram units → flowable points (y up)."""
        return ux * self.scale, self.height - uy * self.scale

    def draw(self) -> None:
        c = self.canv
        s = self.scale
        c.saveState()
        c.translate(0, self.LABEL_GAP)
        d = self.drawing
        # ReportLab's drawing renderer starts with Helvetica selected, which would put a font
        # that is not embedded into the PDF (the drawing has no text): start with the form's.
        d.initialFontName = self.font
        c.scale(s * diagram.WIDTH / d.width, s * diagram.HEIGHT / d.height)
        renderPDF.draw(d, c, 0, 0)
        c.restoreState()
        # view labels: upper row in the gap under it, lower row under the box
        c.saveState()
        c.setFillColor(colors.HexColor("#555555"))
        c.setFont(self.font, 7)
        for name, rect in diagram.VIEW_RECTS.items():
            label = self.view_labels.get(name, name)
            x, y = self._pt(rect.x + rect.w / 2, rect.y + rect.h)
            c.drawCentredString(x, y - 8, label)
        c.restoreState()
        red = colors.HexColor(diagram.MARK_COLOUR)
        blue = colors.HexColor(diagram.WORKSHOP_MARK_COLOUR)
        for m in self.marks:
            ux, uy = diagram.mark_position(m.view, m.x, m.y)
            x, y = self._pt(ux, uy)
            col = blue if m.workshop else red
            draw_symbol(c, m.kind, x, y, 7, col, 1.2)
            c.saveState()
            c.setFillColor(col)
            c.setFont(self.font, 7)
            c.drawString(x + 4.5, y + 2.5, str(m.no))
            c.restoreState()


class MarkLegend(Flowable):
    """One line: each kind's symbol and name, and what red and blue mean."""

    def __init__(
        self, width: float, kinds: list[tuple[str, str]], notes: list[tuple[bool, str]], font: str
    ) -> None:
        super().__init__()
        self.width = width
        self.height = 12
        self.kinds = kinds
        self.notes = notes
        self.font = font

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return self.width, self.height

    def draw(self) -> None:
        c = self.canv
        red = colors.HexColor(diagram.MARK_COLOUR)
        blue = colors.HexColor(diagram.WORKSHOP_MARK_COLOUR)
        x = 2.0
        y = 4.0
        c.setFont(self.font, 8)
        for kind, label in self.kinds:
            draw_symbol(c, kind, x + 3, y + 2.5, 6, red, 1)
            c.setFillColor(colors.black)
            c.drawString(x + 9, y, label)
            x += 9 + c.stringWidth(label, self.font, 8) + 12
        x += 8
        for workshop, label in self.notes:
            c.setFillColor(blue if workshop else red)
            c.rect(x, y, 6, 6, stroke=0, fill=1)
            c.setFillColor(colors.black)
            c.drawString(x + 9, y, label)
            x += 9 + c.stringWidth(label, self.font, 8) + 12
