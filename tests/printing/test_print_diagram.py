"""The car diagram: the SVG, the view rectangles in shop_desk.diagram and the printed drawing
agree with each other."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfgen.canvas import Canvas

from shop_desk import diagram
from shop_desk.printing import car_diagram


def _view_bounds() -> dict[str, tuple[float, float, float, float]]:
    """Each view group's bounds in diagram units (x0, y0, x1, y1), as svglib reads the file."""
    drawing = car_diagram.load_drawing(str(diagram.svg_path()))
    found = {}

    def walk(node) -> None:
        for child in getattr(node, "contents", []):
            svgid = getattr(child, "svgid", "") or ""
            if svgid.startswith("view-"):
                found[svgid] = child.getBounds()
            walk(child)

    walk(drawing)
    return found


def test_every_view_is_drawn_inside_its_rectangle():
    bounds = _view_bounds()
    assert set(bounds) == {f"view-{v}" for v in diagram.VIEWS}
    for view, rect in diagram.VIEW_RECTS.items():
        x0, y0, x1, y1 = bounds[f"view-{view}"]
        assert rect.x - 0.01 <= x0 and x1 <= rect.x + rect.w + 0.01, view
        assert rect.y - 0.01 <= y0 and y1 <= rect.y + rect.h + 0.01, view
        # and it fills most of its rectangle (the rectangles describe the drawing, not empty space)
        assert (x1 - x0) > 0.85 * rect.w and (y1 - y0) > 0.75 * rect.h, view


def test_view_rectangles_do_not_overlap_and_fit_the_box():
    rects = list(diagram.VIEW_RECTS.values())
    for r in rects:
        assert r.x >= 0 and r.x + r.w <= diagram.WIDTH and r.y >= 0 and r.y + r.h <= diagram.HEIGHT
    for i, a in enumerate(rects):
        for b in rects[i + 1 :]:
            assert a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y


@pytest.mark.parametrize("view", diagram.VIEWS)
def test_clicks_map_to_marks_and_back(view):
    # a click at 25 % / 60 % of the view, given as fractions of the whole picture
    bx, by = diagram.from_view_fraction(view, 0.25, 0.6)
    assert diagram.view_at(bx, by) == view
    assert diagram.mark_at(bx, by) == (view, 0.25, 0.6)
    ux, uy = diagram.mark_position(view, 0.25, 0.6)
    assert (ux / diagram.WIDTH, uy / diagram.HEIGHT) == pytest.approx((bx, by))
    assert diagram.VIEW_RECTS[view].contains(ux, uy)


def test_a_click_between_the_views_is_no_mark_and_marks_stay_in_their_view():
    assert diagram.view_at(0.5, 165 / diagram.HEIGHT) is None
    assert diagram.mark_at(0.5, 165 / diagram.HEIGHT) is None
    rect = diagram.VIEW_RECTS["front"]
    assert diagram.mark_position("front", 1.5, -1) == (rect.x + rect.w, rect.y)
    top = diagram.VIEW_RECTS["top"]
    assert diagram.mark_position("nowhere", 0, 0) == (top.x, top.y)


def test_the_diagram_draws_with_marks_of_every_kind():
    from shop_desk.printing.fonts import bundled_font

    marks = [
        car_diagram.DiagramMark(i, kind, view, 0.5, 0.5, workshop=i % 2 == 0)
        for i, (kind, view) in enumerate(zip(diagram.MARK_KINDS, diagram.VIEWS, strict=True), 1)
    ]
    flow = car_diagram.CarDiagram(500, marks, {v: v for v in diagram.VIEWS}, bundled_font())
    buf = io.BytesIO()
    canvas = Canvas(buf, initialFontName=bundled_font())
    w, h = flow.wrap(500, 800)
    assert w == 500 and h > 500 * diagram.HEIGHT / diagram.WIDTH
    flow.drawOn(canvas, 20, 200)
    canvas.showPage()
    canvas.save()
    assert buf.getvalue().startswith(b"%PDF")
    import pypdf

    content = pypdf.PdfReader(io.BytesIO(buf.getvalue())).pages[0].get_contents().get_data()
    ops = content.split()
    # the car's outlines (curves and fills from the SVG), then one numbered mark per kind
    assert ops.count(b"c") > 100 and ops.count(b"f") + ops.count(b"B") > 20
    for no in range(1, len(diagram.MARK_KINDS) + 1):
        assert f"({no}) Tj".encode() in content
