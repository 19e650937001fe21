"""Issue 18: the desk prints each form at its true size (A5 stays A5; A5 on an A4-only printer
at 100 %, never enlarged), hands CUPS the PDF itself, and numbers every reprint."""

from __future__ import annotations

import io
import json
import shutil
import subprocess

import pypdf
import pytest
from PySide6.QtCore import QSizeF
from PySide6.QtGui import QPageLayout, QPageSize
from PySide6.QtPrintSupport import QPrinter

from factories import make_order
from shop_desk.models import OrderEvent
from shop_desk.services import checkout
from shop_desk.states import State
from shop_desk.ui.shell import print_preview
from shop_desk.ui.shell.print_preview import (
    form_paper,
    lp_arguments,
    paper_for,
    show_print_preview,
)

A4 = QPageSize(QPageSize.PageSizeId.A4)
A5 = QPageSize(QPageSize.PageSizeId.A5)
LANDSCAPE = QPageLayout.Orientation.Landscape
PORTRAIT = QPageLayout.Orientation.Portrait
MM = 72 / 25.4


def _preview(qtbot, kind, number, copy_mark=None):
    dialog = show_print_preview(None, kind, number, copy_mark)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=20000)
    assert dialog.error_text == ""
    return dialog


def _gate_pass_order(staff):
    order = make_order(State.SETTLED, paid=True)
    checkout.issue_gate_pass(staff["cashier"], order)
    return order


def _to_pdf(printer: QPrinter, path) -> QPrinter:
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(path))
    printer.setResolution(72)
    return printer


def _mm(size: QSizeF) -> tuple[int, int]:
    return round(size.width()), round(size.height())


# --------------------------------------------------------------------------- paper


def test_the_paper_is_built_from_the_portrait_size():
    """A landscape A5 page's points are not A5 to Qt; its portrait size plus the orientation is."""
    assert QPageSize(QSizeF(595.276, 419.528), QPageSize.Unit.Point).id() != A5.id()
    assert form_paper(QSizeF(595.276, 419.528)) == (A5, LANDSCAPE)
    assert form_paper(QSizeF(419.528, 595.276)) == (A5, PORTRAIT)
    assert form_paper(QSizeF(595.276, 841.89)) == (A4, PORTRAIT)
    assert paper_for(A5, LANDSCAPE, []) == (A5, LANDSCAPE)  # printer unknown: the form's own
    assert paper_for(A5, LANDSCAPE, [A4, A5]) == (A5, LANDSCAPE)
    # only A4: A5 landscape stands upright on A4 portrait, at its true size
    assert paper_for(A5, LANDSCAPE, [A4]) == (A4, PORTRAIT)
    assert paper_for(A4, PORTRAIT, [A5]) == (A5, PORTRAIT)  # too big for any: the largest


@pytest.mark.parametrize(
    ("kind", "paper", "orientation", "size_mm"),
    [
        ("gate-pass", A5, LANDSCAPE, (210, 148)),
        ("task-order", A4, PORTRAIT, (210, 297)),
        ("settlement", A4, PORTRAIT, (210, 297)),
    ],
)
def test_make_printer_sets_the_forms_own_paper(
    qtbot, db, staff, monkeypatch, kind, paper, orientation, size_mm
):
    monkeypatch.setattr(print_preview, "printer_papers", lambda name: [])
    dialog = _preview(qtbot, kind, _gate_pass_order(staff).number)
    printer = dialog.make_printer()
    layout = printer.pageLayout()
    assert layout.pageSize().id() == paper.id()
    assert layout.orientation() == orientation
    assert _mm(layout.fullRect(QPageLayout.Unit.Millimeter).size()) == size_mm
    assert printer.fullPage() and dialog.paper_note == ""


def test_on_an_a4_only_printer_a5_prints_at_100_percent(qtbot, db, staff, monkeypatch, tmp_path):
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    from PIL import Image, ImageOps

    monkeypatch.setattr(print_preview, "printer_papers", lambda name: [A4])
    order = _gate_pass_order(staff)
    dialog = _preview(qtbot, "gate-pass", order.number)
    printer = dialog.make_printer()
    assert printer.pageLayout().pageSize().id() == A4.id()  # what the print dialog shows
    assert printer.pageLayout().orientation() == PORTRAIT
    assert "A4" in dialog.paper_note and "100 %" in dialog.paper_note
    form = pypdf.PdfReader(io.BytesIO(dialog.pdf)).pages[0].mediabox
    # painted on A4 in either orientation, the form keeps its size (the old path: 141 %)
    for turn in (PORTRAIT, LANDSCAPE):
        printer.setPageOrientation(turn)
        out = tmp_path / f"a4-{turn.name}.pdf"
        with qtbot.waitSignal(dialog.printed):
            dialog.print_to(_to_pdf(printer, out))
        qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=20000)
        page = pypdf.PdfReader(out).pages[0].mediabox
        assert sorted((round(page.width / MM), round(page.height / MM))) == [210, 297]
        png = tmp_path / f"a4-{turn.name}"
        subprocess.run(["pdftoppm", "-r", "72", "-png", "-singlefile", out, png], check=True)
        ink = ImageOps.invert(Image.open(f"{png}.png").convert("L")).point(
            lambda v: 255 if v > 40 else 0
        )
        left, top, right, bottom = ink.getbbox()
        # the form's own frame is 187 × 127 mm inside its 12 mm margins (210 × 148 mm page)
        assert abs((right - left) / MM - (float(form.width) - 2 * 12 * MM) / MM) < 3, turn
        assert (bottom - top) / MM < 135, turn


def test_lp_sends_the_pdf_on_the_forms_paper_or_at_100_percent_on_larger_paper(qapp):
    printer = QPrinter()
    printer.setDocName("Gate pass MP1")
    printer.setCopyCount(2)
    form = QSizeF(595.276, 419.528)
    printer.setPageSize(A5)
    printer.setPageOrientation(LANDSCAPE)
    args = lp_arguments(printer, form, "/tmp/x.pdf", 1)
    assert args[-2:] == ["--", "/tmp/x.pdf"]
    assert "media=A5" in args and "print-scaling=none" not in args and "-n" in args
    assert args[args.index("-n") + 1] == "2" and "Gate pass MP1" in args
    printer.setPageSize(A4)
    printer.setPageOrientation(PORTRAIT)
    args = lp_arguments(printer, form, "/tmp/x.pdf", 1)
    assert "media=A4" in args and "print-scaling=none" in args and "fit-to-page" not in args
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 9)
    assert "page-ranges=2-3" in lp_arguments(printer, form, "/tmp/x.pdf", 3)


# --------------------------------------------------------------------------- reprints


def test_a_second_desk_print_is_a_copy_with_its_number(qtbot, make_window, staff, tmp_path):
    order = make_order(State.SETTLED, paid=True)
    window = make_window("cashier")
    page = window.show_page("checkout")
    page.open_order(order.id, "gate")
    dialog = page.print_document("settlement")
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=20000)
    assert not dialog.copy_mark
    with qtbot.waitSignal(dialog.printed):
        dialog.print_to(_to_pdf(dialog.make_printer(), tmp_path / "1.pdf"))
    assert dialog.last_print_path == "image"
    # the preview now shows what a second print would be: copy no. 2
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=20000)
    assert dialog.copy_mark == 2 and "print no. 2" in dialog.heading.text()
    assert "Reprint: COPY, print no. 2, not the original" in _text(dialog.pdf)
    with qtbot.waitSignal(dialog.printed):
        dialog.print_to(_to_pdf(dialog.make_printer(), tmp_path / "2.pdf"))
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=20000)
    dialog.close()
    events = OrderEvent.select().where((OrderEvent.order == order) & (OrderEvent.kind == "printed"))
    records = [json.loads(e.data) for e in events.order_by(OrderEvent.id)]
    assert [(r["print_no"], r["copy"]) for r in records] == [(1, False), (2, True)]
    assert {e.by_id for e in events} == {staff["cashier"].id}
    again = page.print_document("settlement")  # from any desk: the third print
    qtbot.waitUntil(lambda: not again.is_busy(), timeout=20000)
    assert again.copy_mark == 3
    assert "Reprint: COPY, print no. 3, not the original" in _text(again.pdf)
    again.close()


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in pypdf.PdfReader(io.BytesIO(pdf)).pages)
