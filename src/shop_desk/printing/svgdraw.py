"""Draw the hand-made car diagram (a small SVG subset) as vectors, with the damage marks on it.

ReportLab has no SVG reader; the diagram only uses ``g`` (translate/scale/matrix), ``path``
(M L H V C S Q T Z, absolute and relative), ``rect`` (with rx), ``circle``, ``ellipse``,
``line``, ``polyline`` and ``polygon`` with fill/stroke attributes, which this module turns
into canvas paths. Anything else raises ``ValueError`` so a change to the file that the form
cannot draw is caught by the tests.
"""

from __future__ import annotations

import functools
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib import colors
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import Flowable

from shop_desk import diagram

_SVG_NS = "{http://www.w3.org/2000/svg}"
_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_TOKEN = re.compile(r"[MmLlHhVvCcSsQqTtZzAa]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")
_STYLE_KEYS = ("fill", "stroke", "stroke-width")

Matrix = tuple[float, float, float, float, float, float]
IDENTITY: Matrix = (1.0, 0.0, 0.0, 1.0, 0.0, 0.0)


@dataclass
class Shape:
    """One drawable: a list of path operations in local units plus its resolved style."""

    ops: list[tuple]
    fill: str | None
    stroke: str | None
    width: float


@dataclass
class Group:
    transform: Matrix
    items: list = field(default_factory=list)


def _mul(m: Matrix, n: Matrix) -> Matrix:
    a, b, c, d, e, f = m
    a2, b2, c2, d2, e2, f2 = n
    return (
        a * a2 + c * b2,
        b * a2 + d * b2,
        a * c2 + c * d2,
        b * c2 + d * d2,
        a * e2 + c * f2 + e,
        b * e2 + d * f2 + f,
    )


def parse_transform(text: str | None) -> Matrix:
    m = IDENTITY
    if not text:
        return m
    for name, args in re.findall(r"(\w+)\s*\(([^)]*)\)", text):
        nums = [float(x) for x in _NUM.findall(args)]
        if name == "translate":
            t = (1.0, 0.0, 0.0, 1.0, nums[0], nums[1] if len(nums) > 1 else 0.0)
        elif name == "scale":
            sx = nums[0]
            sy = nums[1] if len(nums) > 1 else sx
            t = (sx, 0.0, 0.0, sy, 0.0, 0.0)
        elif name == "matrix":
            t = tuple(nums[:6])  # type: ignore[assignment]
        else:
            raise ValueError(f"unsupported SVG transform {name!r}")
        m = _mul(m, t)
    return m


def parse_path(d: str) -> list[tuple]:
    """SVG path data → absolute ops: ('M', x, y), ('L', x, y), ('C', x1, y1, x2, y2, x, y), ('Z',)."""
    tokens = _TOKEN.findall(d)
    ops: list[tuple] = []
    i = 0
    cmd = ""
    cx = cy = sx = sy = 0.0
    last_ctrl: tuple[float, float] | None = None
    last_q: tuple[float, float] | None = None

    def take(n: int) -> list[float]:
        nonlocal i
        vals = [float(t) for t in tokens[i : i + n]]
        if len(vals) != n:
            raise ValueError("truncated SVG path data")
        i += n
        return vals

    while i < len(tokens):
        tok = tokens[i]
        if tok.isalpha():
            cmd = tok
            i += 1
            if cmd in "Zz":
                ops.append(("Z",))
                cx, cy = sx, sy
                last_ctrl = last_q = None
                continue
        elif not cmd:
            raise ValueError("SVG path data must start with a command")
        rel = cmd.islower()
        c = cmd.upper()
        ox, oy = (cx, cy) if rel else (0.0, 0.0)
        if c == "M":
            x, y = take(2)
            cx, cy = x + ox, y + oy
            sx, sy = cx, cy
            ops.append(("M", cx, cy))
            cmd = "l" if rel else "L"  # further pairs are line-tos
            last_ctrl = last_q = None
        elif c == "L":
            x, y = take(2)
            cx, cy = x + ox, y + oy
            ops.append(("L", cx, cy))
            last_ctrl = last_q = None
        elif c == "H":
            (x,) = take(1)
            cx = x + ox
            ops.append(("L", cx, cy))
            last_ctrl = last_q = None
        elif c == "V":
            (y,) = take(1)
            cy = y + oy
            ops.append(("L", cx, cy))
            last_ctrl = last_q = None
        elif c in "CS":
            if c == "C":
                x1, y1, x2, y2, x, y = take(6)
                x1, y1 = x1 + ox, y1 + oy
            else:
                x2, y2, x, y = take(4)
                x1, y1 = (2 * cx - last_ctrl[0], 2 * cy - last_ctrl[1]) if last_ctrl else (cx, cy)
            x2, y2, x, y = x2 + ox, y2 + oy, x + ox, y + oy
            ops.append(("C", x1, y1, x2, y2, x, y))
            last_ctrl = (x2, y2)
            last_q = None
            cx, cy = x, y
        elif c in "QT":
            if c == "Q":
                qx, qy, x, y = take(4)
                qx, qy = qx + ox, qy + oy
            else:
                x, y = take(2)
                qx, qy = (2 * cx - last_q[0], 2 * cy - last_q[1]) if last_q else (cx, cy)
            x, y = x + ox, y + oy
            # the quadratic as a cubic
            ops.append(
                (
                    "C",
                    cx + 2 / 3 * (qx - cx),
                    cy + 2 / 3 * (qy - cy),
                    x + 2 / 3 * (qx - x),
                    y + 2 / 3 * (qy - y),
                    x,
                    y,
                )
            )
            last_q = (qx, qy)
            last_ctrl = None
            cx, cy = x, y
        else:
            raise ValueError(f"unsupported SVG path command {cmd!r}")
    return ops


def _num(el: ET.Element, name: str, default: float = 0.0) -> float:
    value = el.get(name)
    return float(value) if value is not None else default


def _shape_ops(el: ET.Element, tag: str) -> list[tuple]:
    if tag == "path":
        return parse_path(el.get("d", ""))
    if tag == "rect":
        x, y, w, h = _num(el, "x"), _num(el, "y"), _num(el, "width"), _num(el, "height")
        rx = min(_num(el, "rx", _num(el, "ry")), w / 2, h / 2)
        return [("RRECT", x, y, w, h, rx)]
    if tag == "circle":
        r = _num(el, "r")
        return [("ELLIPSE", _num(el, "cx"), _num(el, "cy"), r, r)]
    if tag == "ellipse":
        return [("ELLIPSE", _num(el, "cx"), _num(el, "cy"), _num(el, "rx"), _num(el, "ry"))]
    if tag == "line":
        return [("M", _num(el, "x1"), _num(el, "y1")), ("L", _num(el, "x2"), _num(el, "y2"))]
    if tag in ("polyline", "polygon"):
        nums = [float(n) for n in _NUM.findall(el.get("points", ""))]
        pts = list(zip(nums[0::2], nums[1::2], strict=False))
        ops: list[tuple] = [("M", *pts[0])] + [("L", *p) for p in pts[1:]]
        if tag == "polygon":
            ops.append(("Z",))
        return ops
    raise ValueError(f"unsupported SVG element {tag!r}")


def _walk(el: ET.Element, style: dict[str, str]) -> list:
    items: list = []
    for child in el:
        if not isinstance(child.tag, str):  # comments, processing instructions
            continue
        tag = child.tag.replace(_SVG_NS, "")
        if tag in ("title", "desc", "defs", "metadata"):
            continue
        own = dict(style)
        for key in _STYLE_KEYS:
            if child.get(key) is not None:
                own[key] = child.get(key)
        if tag == "g":
            group = Group(parse_transform(child.get("transform")))
            group.items = _walk(child, own)
            items.append(group)
            continue
        if child.get("transform"):
            group = Group(parse_transform(child.get("transform")))
            group.items = [_to_shape(child, tag, own)]
            items.append(group)
        else:
            items.append(_to_shape(child, tag, own))
    return items


def _to_shape(el: ET.Element, tag: str, style: dict[str, str]) -> Shape:
    fill = style.get("fill", "black")
    stroke = style.get("stroke", "none")
    return Shape(
        _shape_ops(el, tag),
        None if fill == "none" else fill,
        None if stroke == "none" else stroke,
        float(style.get("stroke-width", "1")),
    )


@functools.lru_cache(maxsize=4)
def load_svg(path: str | Path) -> tuple[tuple[float, float, float, float], list]:
    """Parse an SVG file once: (viewBox, drawing tree)."""
    root = ET.parse(str(path)).getroot()
    vb = [float(v) for v in _NUM.findall(root.get("viewBox", ""))] or [
        0.0,
        0.0,
        float(root.get("width", 100)),
        float(root.get("height", 100)),
    ]
    style = {k: root.get(k) for k in _STYLE_KEYS if root.get(k) is not None}
    return (vb[0], vb[1], vb[2], vb[3]), _walk(root, style)


@functools.lru_cache(maxsize=64)
def _colour(value: str) -> colors.Color:
    return colors.HexColor(value) if value.startswith("#") else colors.toColor(value)


def draw_items(canvas: Canvas, items: list) -> None:
    """Draw a parsed tree on ``canvas`` in the current user space (SVG units, y down)."""
    for item in items:
        if isinstance(item, Group):
            canvas.saveState()
            canvas.transform(*item.transform)
            draw_items(canvas, item.items)
            canvas.restoreState()
            continue
        path = canvas.beginPath()
        for op in item.ops:
            kind = op[0]
            if kind == "M":
                path.moveTo(op[1], op[2])
            elif kind == "L":
                path.lineTo(op[1], op[2])
            elif kind == "C":
                path.curveTo(*op[1:])
            elif kind == "Z":
                path.close()
            elif kind == "RRECT":
                _, x, y, w, h, rx = op
                if rx > 0:
                    path.roundRect(x, y, w, h, rx)
                else:
                    path.rect(x, y, w, h)
            elif kind == "ELLIPSE":
                _, cx, cy, rx, ry = op
                path.ellipse(cx - rx, cy - ry, 2 * rx, 2 * ry)
        if item.fill:
            canvas.setFillColor(_colour(item.fill))
        if item.stroke:
            canvas.setStrokeColor(_colour(item.stroke))
            canvas.setLineWidth(item.width)
        canvas.drawPath(path, stroke=1 if item.stroke else 0, fill=1 if item.fill else 0)


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
        svg: str | Path | None = None,
    ) -> None:
        super().__init__()
        self.svg = str(svg or diagram.svg_path())
        self.box, self.items = load_svg(self.svg)
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
        c.setLineJoin(1)
        c.setLineCap(1)
        c.translate(0, self.height)
        c.scale(s, -s)
        c.translate(-self.box[0], -self.box[1])
        draw_items(c, self.items)
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
