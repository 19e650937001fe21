"""Print preview: the real PDF rendered off the GUI thread, shown on white pages, saved, printed."""

from __future__ import annotations

from pypdf import PdfReader
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QFileDialog

from factories import make_order
from shop_desk.states import State
from shop_desk.ui.shell import print_preview
from shop_desk.ui.shell.print_preview import (
    PrintPreviewDialog,
    mark_printed,
    printed_before,
    remember_printer,
    remembered_printer,
    show_print_preview,
)


def _open(qtbot, kind="task-order", number=None, copy_mark=False):
    if number is None:
        number = make_order(State.CHECKED_IN, number="RO261102-005").number
    dialog = show_print_preview(None, kind, number, copy_mark)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=20000)
    return dialog


def test_preview_loads_the_task_order_on_white_pages(qtbot, db):
    dialog = _open(qtbot)
    assert dialog.error_text == ""
    assert dialog.page_count() >= 1
    assert dialog.pdf.startswith(b"%PDF")
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled()
    assert "Task order" in dialog.windowTitle() and "RO261102-005" in dialog.windowTitle()
    assert not dialog.busy.isVisible()
    # a page pixel is white, the area around the pages is not
    dialog.resize(700, 800)
    qtbot.waitUntil(
        lambda: dialog.view.viewport().grab().toImage().pixelColor(350, 300).name() == "#ffffff"
    )
    image = dialog.view.viewport().grab().toImage()
    assert image.pixelColor(1, 1) != QColor("#ffffff")


def test_rendering_is_off_the_gui_thread(qtbot, db, monkeypatch):
    import threading

    import shop_desk.printing as printing

    seen = {}
    real = printing.render_document

    def spy(*args, **kwargs):
        seen["thread"] = threading.current_thread()
        seen["kwargs"] = kwargs
        return real(*args, **kwargs)

    monkeypatch.setattr(printing, "render_document", spy)
    dialog = _open(qtbot, copy_mark=True)
    assert seen["thread"] is not threading.main_thread()
    assert seen["kwargs"] == {"lang": "en", "copy_mark": True}
    assert "copy" in dialog.heading.text()


def test_missing_document_shows_the_reason(qtbot, db):
    dialog = _open(qtbot, kind="gate-pass")
    assert dialog.page_count() == 0
    assert dialog.banner.isVisible() and dialog.banner.kind == "error"
    assert dialog.banner.text() == dialog.error_text != ""
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()


def test_save_as_pdf_writes_the_file_and_remembers_the_folder(qtbot, db, tmp_path, monkeypatch):
    dialog = _open(qtbot)
    target = tmp_path / "out" / "task"
    target.parent.mkdir()
    offered = []

    def fake_save(parent, title, start, filters):
        offered.append(start)
        return str(target), filters

    monkeypatch.setattr(QFileDialog, "getSaveFileName", fake_save)
    qtbot.mouseClick(dialog.save_button, Qt.MouseButton.LeftButton)
    written = tmp_path / "out" / "task.pdf"
    assert written.read_bytes() == dialog.pdf and written.read_bytes().startswith(b"%PDF")
    assert offered[0].endswith("task-order_RO261102-005.pdf")
    assert "Saved as" in dialog.banner.text()
    first_text = "".join(p.extract_text() for p in PdfReader(str(written)).pages)
    assert "Reprint" not in first_text
    # a saved PDF counts as the print: the preview draws the next one as a copy, and nothing
    # is saved while it does
    assert printed_before("task-order", "RO261102-005")
    assert dialog.copy_mark == 2
    assert dialog.save_as_pdf() is None and len(offered) == 1
    qtbot.waitUntil(lambda: not dialog.is_busy())
    # next time the same folder is offered, and the file is the copy
    dialog.save_as_pdf()
    assert offered[1] == str(tmp_path / "out" / "task-order_RO261102-005.pdf")
    copy_text = "".join(p.extract_text() for p in PdfReader(str(written)).pages)
    assert "Reprint: COPY, print no. 2" in copy_text


def test_print_paints_pages_and_marks_a_reprint(qtbot, db, tmp_path):
    dialog = _open(qtbot)
    assert not printed_before("task-order", "RO261102-005")
    printer = dialog.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    printer.setResolution(96)  # quick; real printers are capped at MAX_PRINT_DPI
    with qtbot.waitSignal(dialog.printed):
        assert dialog.print_to(printer) == dialog.page_count()
    assert out.read_bytes().startswith(b"%PDF") and out.stat().st_size > 5_000
    assert printed_before("task-order", "RO261102-005")
    assert not printed_before("settlement", "RO261102-005")
    image = dialog.page_image(0, 50)
    assert image.pixelColor(QPoint(1, 1)).name() == "#ffffff"  # white, not transparent


def test_print_dialog_opens_with_the_document_pages(qtbot, db):
    dialog = _open(qtbot)
    box = dialog.print_button.click() or dialog.print_dialog
    assert box is not None and box.isVisible()
    assert box.maxPage() == dialog.page_count()
    box.reject()


def test_remembered_printer_and_printed_flags(db):
    assert remembered_printer("settlement") == ""
    remember_printer("settlement", "Front desk laser")
    assert remembered_printer("settlement") == "Front desk laser"
    assert remembered_printer("task-order") == ""
    mark_printed("gate-pass", "MP261102-001")
    assert printed_before("gate-pass", "MP261102-001")


def test_closing_while_rendering_is_harmless(qtbot, db):
    order = make_order(State.CHECKED_IN)
    dialog = PrintPreviewDialog(None, "task-order", order.number)
    dialog.close()
    dialog.deleteLater()
    assert print_preview.wait_for_renders()
    qtbot.waitUntil(lambda: not print_preview._PENDING)


def test_a_print_is_recorded_on_the_order_so_another_desk_prints_a_copy(
    qtbot, make_window, staff, tmp_path
):
    from shop_desk.models import OrderEvent
    from shop_desk.ui.shell.widgets import app_settings

    order = make_order(State.SETTLED, paid=True)
    window = make_window("cashier")
    page = window.show_page("checkout")
    page.open_order(order.id, "gate")
    dialog = page.print_document("settlement")
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=20000)
    assert not dialog.copy_mark
    printer = dialog.make_printer()
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "slip.pdf"))
    printer.setResolution(72)
    with qtbot.waitSignal(dialog.printed):
        dialog.print_to(printer)
    event = OrderEvent.get((OrderEvent.order == order) & (OrderEvent.kind == "printed"))
    assert event.by_id == staff["cashier"].id and '"settlement"' in event.data
    dialog.close()
    # another PC: nothing in its own settings, yet the next print is marked as a copy
    app_settings().remove("printed")
    assert printed_before("settlement", order.number)
    assert not printed_before("gate-pass", order.number)
    again = page.print_document("settlement")
    qtbot.waitUntil(lambda: not again.is_busy(), timeout=20000)
    assert again.copy_mark and "copy" in again.heading.text()
    again.close()
