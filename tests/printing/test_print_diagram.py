"""The car diagram: the SVG, the view rectangles in shop_desk.diagram and the vector renderer
agree with each other."""

from __future__ import annotations

import io

import pytest
from reportlab.pdfgen.canvas import Canvas

from shop_desk import diagram
from shop_desk.printing import svgdraw


def _apply(m: svgdraw.Matrix, x: float, y: float) -> tuple[float, float]:
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _points(item, m: svgdraw.Matrix):
    """Every point (ends and control points, circle and rect extents) of a drawing tree."""
    if isinstance(item, svgdraw.Group):
        mm = svgdraw._mul(m, item.transform)
        for child in item.items:
            yield from _points(child, mm)
        return
    for op in item.ops:
        if op[0] in ("M", "L", "C"):
            coords = op[1:]
            for i in range(0, len(coords), 2):
                yield _apply(m, coords[i], coords[i + 1])
        elif op[0] == "RRECT":
            _, x, y, w, h, _rx = op
            yield _apply(m, x, y)
            yield _apply(m, x + w, y + h)
        elif op[0] == "ELLIPSE":
            _, cx, cy, rx, ry = op
            yield _apply(m, cx - rx, cy - ry)
            yield _apply(m, cx + rx, cy + ry)


def _groups() -> dict[str, svgdraw.Group]:
    box, items = svgdraw.load_svg(str(diagram.svg_path()))
    assert box == (0.0, 0.0, diagram.WIDTH, diagram.HEIGHT)
    import xml.etree.ElementTree as ET

    root = ET.parse(diagram.svg_path()).getroot()
    ids = [g.get("id") for g in root if g.tag.endswith("g")]
    return dict(zip(ids, items, strict=True))


def test_every_view_is_drawn_inside_its_rectangle():
    groups = _groups()
    assert set(groups) == {f"view-{v}" for v in diagram.VIEWS}
    for view, rect in diagram.VIEW_RECTS.items():
        pts = list(_points(groups[f"view-{view}"], svgdraw.IDENTITY))
        assert len(pts) > 10
        xs, ys = [p[0] for p in pts], [p[1] for p in pts]
        assert rect.x - 0.01 <= min(xs) and max(xs) <= rect.x + rect.w + 0.01, view
        assert rect.y - 0.01 <= min(ys) and max(ys) <= rect.y + rect.h + 0.01, view
        # and it fills most of its rectangle (the rectangles describe the drawing, not empty space)
        assert (max(xs) - min(xs)) > 0.85 * rect.w and (max(ys) - min(ys)) > 0.75 * rect.h, view


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


def test_path_parser_handles_the_usual_commands():
    ops = svgdraw.parse_path("M10 10 h5 v5 H 0 V 0 l 1,1 q 2 0 2 2 t 2 2 c 1 1 2 2 3 3 s 1 1 2 2 z")
    kinds = [op[0] for op in ops]
    assert kinds == ["M", "L", "L", "L", "L", "L", "C", "C", "C", "C", "Z"]
    assert ops[1][1:] == (15.0, 10.0) and ops[2][1:] == (15.0, 15.0)
    assert ops[5][1:] == (1.0, 1.0)
    assert ops[6][-2:] == (3.0, 3.0)  # q ends relative to (1, 1)
    with pytest.raises(ValueError):
        svgdraw.parse_path("M 0 0 A 5 5 0 0 1 10 10")
    assert svgdraw.parse_transform("translate(790,10) scale(-1,1)") == (
        -1.0,
        0.0,
        0.0,
        1.0,
        790.0,
        10.0,
    )


def test_unsupported_svg_is_refused(tmp_path):
    bad = tmp_path / "bad.svg"
    bad.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><text>x</text></svg>'
    )
    with pytest.raises(ValueError):
        svgdraw.load_svg(str(bad))


def test_the_diagram_draws_with_marks_of_every_kind():
    from shop_desk.printing.fonts import bundled_font

    marks = [
        svgdraw.DiagramMark(i, kind, view, 0.5, 0.5, workshop=i % 2 == 0)
        for i, (kind, view) in enumerate(zip(diagram.MARK_KINDS, diagram.VIEWS, strict=True), 1)
    ]
    flow = svgdraw.CarDiagram(500, marks, {v: v for v in diagram.VIEWS}, bundled_font())
    buf = io.BytesIO()
    canvas = Canvas(buf, initialFontName=bundled_font())
    w, h = flow.wrap(500, 800)
    assert w == 500 and h > 500 * diagram.HEIGHT / diagram.WIDTH
    flow.drawOn(canvas, 20, 200)
    canvas.showPage()
    canvas.save()
    assert buf.getvalue().startswith(b"%PDF")
