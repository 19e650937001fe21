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

from dataclasses import dataclass
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
    as fractions of that view; None for a click between the views."""
    view = view_at(bx, by)
    if view is None:
        return None
    x, y = to_view_fraction(bx, by, view)
    return (view, round(min(max(x, 0.0), 1.0), 4), round(min(max(y, 0.0), 1.0), 4))


def from_view_fraction(view: str, x: float, y: float) -> tuple[float, float]:
    """A point given as fractions of one view's rectangle → fractions of the whole box."""
    rect = VIEW_RECTS[view]
    return ((rect.x + x * rect.w) / WIDTH, (rect.y + y * rect.h) / HEIGHT)


def to_view_fraction(bx: float, by: float, view: str) -> tuple[float, float]:
    """A point given as fractions of the whole box → fractions of ``view``'s rectangle."""
    rect = VIEW_RECTS[view]
    return ((bx * WIDTH - rect.x) / rect.w, (by * HEIGHT - rect.y) / rect.h)
