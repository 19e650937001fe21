"""The car diagram of the walk-around inspection, as data the screen and the printed forms share.

``resources/images/car_diagram.svg`` is one box of :data:`WIDTH` × :data:`HEIGHT` units that holds
five views (left side, right side, front, top, rear); :data:`VIEW_RECTS` gives each view's
rectangle in that box.

A damage mark (``DamageMark``) is stored as ``view`` plus ``x``/``y`` = fractions (0..1) of THAT
VIEW's rectangle, origin top-left, y growing downwards (like the SVG). Stored marks therefore do
not depend on where the views sit in the picture: the layout may change without moving marks.
A screen turns a click on the whole picture into a mark with :func:`mark_at`; a form puts a
mark back on the picture with :func:`mark_position`.

Orientation: in the top view and the left side view the front of the car is at the left; the
right side view is the left one mirrored (front at the right); the front view shows the car's
left side on the viewer's right, the rear view on the viewer's left.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from shop_desk.paths import resource_path

WIDTH = 800.0
HEIGHT = 340.0

#: The views in the order a form lists them.
VIEWS: tuple[str, ...] = ("top", "front", "rear", "left", "right")

#: Kinds of damage mark and the symbol each is drawn with (the same on screen and on paper).
MARK_KINDS: tuple[str, ...] = ("scratch", "dent", "crack", "chip", "other")
MARK_SYMBOLS: dict[str, str] = {
    "scratch": "cross",
    "dent": "circle",
    "crack": "triangle",
    "chip": "dot",
    "other": "square",
}
#: Marks found at reception are red; marks the workshop found later are blue.
MARK_COLOUR = "#d0021b"
WORKSHOP_MARK_COLOUR = "#1f5fbf"


@dataclass(frozen=True)
class Rect:
    """A view's rectangle in diagram units (SVG user space)."""

    x: float
    y: float
    w: float
    h: float

    def contains(self, px: float, py: float) -> bool:
        return self.x <= px <= self.x + self.w and self.y <= py <= self.y + self.h

    @property
    def fractions(self) -> tuple[float, float, float, float]:
        """The rectangle as fractions of the whole box: (x, y, w, h)."""
        return (self.x / WIDTH, self.y / HEIGHT, self.w / WIDTH, self.h / HEIGHT)


#: Where each view sits inside the box (kept in step with the SVG's ``view-*`` groups).
VIEW_RECTS: dict[str, Rect] = {
    "left": Rect(10, 10, 380, 140),
    "right": Rect(410, 10, 380, 140),
    "front": Rect(10, 180, 180, 150),
    "top": Rect(210, 180, 380, 150),
    "rear": Rect(610, 180, 180, 150),
}


def svg_path() -> Path:
    """The diagram file (for QSvgRenderer on screen and the form renderer)."""
    return resource_path("images", "car_diagram.svg")


def mark_position(view: str, x: float, y: float) -> tuple[float, float]:
    """Where a stored mark (view, fractions of that view) lies on the picture, in diagram units.

    An unknown view is taken as the top view; fractions are clamped to the view.
    """
    rect = VIEW_RECTS.get(view, VIEW_RECTS["top"])
    fx = min(max(x, 0.0), 1.0)
    fy = min(max(y, 0.0), 1.0)
    return (rect.x + fx * rect.w, rect.y + fy * rect.h)


def view_at(bx: float, by: float) -> str | None:
    """The view a point given as fractions of the WHOLE box falls in, or None between views."""
    ux, uy = bx * WIDTH, by * HEIGHT
    for name, rect in VIEW_RECTS.items():
        if rect.contains(ux, uy):
            return name
    return None


def mark_at(bx: float, by: float) -> tuple[str, float, float] | None:
    """The mark to store for a click at fractions bx/by of the whole box: (view, x, y) with x/y
    as fractions of that view; None for a click between the views or beside the car (marks
    belong on the car, see :func:`on_car`)."""
    view = view_at(bx, by)
    if view is None:
        return None
    x, y = to_view_fraction(bx, by, view)
    x, y = round(min(max(x, 0.0), 1.0), 4), round(min(max(y, 0.0), 1.0), 4)
    return (view, x, y) if on_car(view, x, y) else None


def from_view_fraction(view: str, x: float, y: float) -> tuple[float, float]:
    """A point given as fractions of one view's rectangle → fractions of the whole box."""
    rect = VIEW_RECTS[view]
    return ((rect.x + x * rect.w) / WIDTH, (rect.y + y * rect.h) / HEIGHT)


def to_view_fraction(bx: float, by: float, view: str) -> tuple[float, float]:
    """A point given as fractions of the whole box → fractions of ``view``'s rectangle."""
    rect = VIEW_RECTS[view]
    return ((bx * WIDTH - rect.x) / rect.w, (by * HEIGHT - rect.y) / rect.h)


# --------------------------------------------------------------------------- the car's outline

#: Parts of a view that belong to the car (a mark may sit on them); the rest of the view's
#: rectangle is empty paper.
_CAR_PARTS = ("-body", "-wheel-", "-tyre-", "-mirror")
#: How far (diagram units) outside the drawn outline a mark may still be placed: a click
#: on the outline's line itself is a mark on the car's edge.
OUTLINE_TOLERANCE = 3.0

Shape = tuple[str, tuple[float, ...]] | tuple[str, list[tuple[float, float]]]


def _numbers(text: str) -> list[float]:
    return [float(n) for n in re.findall(r"-?\d+(?:\.\d+)?", text)]


def _path_points(d: str) -> list[tuple[float, float]]:
    """The outline of an SVG path of absolute M, L, H, V, C, Q and Z commands as a polygon
    (curves flattened into short straight pieces)."""
    points: list[tuple[float, float]] = []
    for command, args in re.findall(r"([MLHVCQZ])([^MLHVCQZ]*)", d):
        values = _numbers(args)
        x, y = points[-1] if points else (0.0, 0.0)
        if command in "ML":
            points += list(zip(values[0::2], values[1::2], strict=True))
        elif command == "H":
            points += [(v, y) for v in values]
        elif command == "V":
            points += [(x, v) for v in values]
        elif command in "CQ":
            step = 6 if command == "C" else 4
            for i in range(0, len(values), step):
                ctrl = list(
                    zip(values[i : i + step : 2], values[i + 1 : i + step : 2], strict=True)
                )
                x0, y0 = points[-1] if points else (0.0, 0.0)
                for n in range(1, 9):
                    points.append(_bezier([(x0, y0), *ctrl], n / 8))
    return points


def _bezier(pts: list[tuple[float, float]], t: float) -> tuple[float, float]:
    while len(pts) > 1:
        pts = [
            (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
            for a, b in zip(pts, pts[1:], strict=False)
        ]
    return pts[0]


def _transform(text: str) -> tuple[float, float, float, float]:
    """translate(tx,ty) scale(sx,sy) of a view group as (tx, ty, sx, sy)."""
    tx = ty = 0.0
    sx = sy = 1.0
    move = re.search(r"translate\(([^)]*)\)", text or "")
    if move:
        tx, ty = (_numbers(move.group(1)) + [0.0])[:2]
    scale = re.search(r"scale\(([^)]*)\)", text or "")
    if scale:
        values = _numbers(scale.group(1))
        sx, sy = values[0], values[1] if len(values) > 1 else values[0]
    return tx, ty, sx, sy


@lru_cache(maxsize=1)
def _outlines() -> dict[str, list[Shape]]:
    """Each view's car parts (body, wheels or tyres, mirrors) in diagram units, read from the
    SVG the screen and the forms draw: the outline is the picture's, never a copy of it."""
    root = ET.parse(svg_path()).getroot()
    ns = {"svg": "http://www.w3.org/2000/svg"}
    out: dict[str, list[Shape]] = {}
    for group in root.iterfind("svg:g", ns):
        view = (group.get("id") or "").removeprefix("view-")
        if view not in VIEW_RECTS:
            continue
        tx, ty, sx, sy = _transform(group.get("transform", ""))

        def place(x: float, y: float) -> tuple[float, float]:
            return tx + sx * x, ty + sy * y  # noqa: B023 (used at once, in this pass)

        shapes: list[Shape] = []
        for el in group:
            ident = el.get("id") or ""
            if not any(part in ident for part in _CAR_PARTS):
                continue
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "path":
                shapes.append(("polygon", [place(x, y) for x, y in _path_points(el.get("d", ""))]))
            elif tag == "circle":
                cx, cy = place(float(el.get("cx", 0)), float(el.get("cy", 0)))
                shapes.append(("circle", (cx, cy, float(el.get("r", 0)))))
            elif tag == "rect":
                x, y = float(el.get("x", 0)), float(el.get("y", 0))
                w, h = float(el.get("width", 0)), float(el.get("height", 0))
                corners = [place(x, y), place(x + w, y), place(x + w, y + h), place(x, y + h)]
                shapes.append(("polygon", corners))
        out[view] = shapes
    return out


def _inside(shape: Shape, px: float, py: float) -> bool:
    kind, data = shape
    if kind == "circle":
        cx, cy, r = data  # type: ignore[misc]
        return (px - cx) ** 2 + (py - cy) ** 2 <= r * r
    pts = data
    inside = False
    j = len(pts) - 1
    for i in range(len(pts)):
        (xi, yi), (xj, yj) = pts[i], pts[j]  # type: ignore[misc]
        if (yi > py) != (yj > py) and px < (xj - xi) * (py - yi) / (yj - yi) + xi:
            inside = not inside
        j = i
    return inside


def on_car(view: str, x: float, y: float) -> bool:
    """Does a mark at fractions x/y of ``view`` lie on the car drawn in that view (its body,
    wheels or mirrors, give or take the outline's line), not on the empty paper around it?"""
    if view not in VIEW_RECTS or not (0.0 <= x <= 1.0 and 0.0 <= y <= 1.0):
        return False
    px, py = mark_position(view, x, y)
    t = OUTLINE_TOLERANCE
    probes = [(0.0, 0.0), (t, 0.0), (-t, 0.0), (0.0, t), (0.0, -t)]
    shapes = _outlines().get(view, [])
    return any(_inside(s, px + dx, py + dy) for s in shapes for dx, dy in probes)
