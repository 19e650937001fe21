"""Issue 18: each of the five forms sent through the desk's own print path (preview → print
dialog → printer) to a CUPS PDF queue comes out at its true paper size, as a PDF job.

Needs CUPS with the CUPS-PDF backend (Debian: ``cups printer-driver-cups-pdf``). The fixture
starts the scheduler when it is not running and adds its own queue, both only as root (CI);
otherwise, or without CUPS, the test is skipped with the reason.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
from pathlib import Path

import pypdf
import pytest
from print_fixtures import build_full_order
from PySide6.QtCore import Qt
from PySide6.QtGui import QPageSize

from shop_desk.printing import KINDS
from shop_desk.ui.shell.print_preview import remember_printer, show_print_preview

QUEUE = "ShopDeskTestPDF"
#: CUPS-PDF reads cups-pdf-<device URI path>.conf: this queue writes into OUT_DIR
DEVICE = "cups-pdf:/shopdesktest"
OUT_DIR = Path("/var/spool/cups-pdf-shopdesktest")
PPD_DIRS = (Path("/usr/share/ppd/cups-pdf"), Path("/usr/share/cups/model"))


def _run(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(args, capture_output=True, text=True, timeout=60, check=False)


def _scheduler_running() -> bool:
    return "is running" in _run("lpstat", "-r").stdout


def _ppd() -> Path | None:
    for folder in PPD_DIRS:
        for name in ("CUPS-PDF_opt.ppd", "CUPS-PDF.ppd", "CUPS-PDF_noopt.ppd"):
            if (folder / name).is_file():
                return folder / name
    return None


@pytest.fixture(scope="module")
def cups_queue() -> str:
    """A CUPS-PDF queue writing into OUT_DIR: the scheduler started and the queue added when
    needed (root only); skipped with the reason when that cannot be done."""
    for tool in ("lp", "lpstat"):
        if shutil.which(tool) is None:
            pytest.skip(f"CUPS is not installed ({tool} missing)")
    root = hasattr(os, "geteuid") and os.geteuid() == 0
    if not _scheduler_running():
        if not root or shutil.which("cupsd") is None:
            pytest.skip("the CUPS scheduler is not running (and cannot be started here)")
        _run("cupsd")  # returns once the scheduler is ready to take jobs
        if not _scheduler_running():
            pytest.skip("the CUPS scheduler did not start")
    if QUEUE not in _run("lpstat", "-v", QUEUE).stdout:
        ppd = _ppd()
        if not root or ppd is None or shutil.which("lpadmin") is None:
            pytest.skip("no CUPS-PDF queue and none can be added (printer-driver-cups-pdf, root)")
        OUT_DIR.mkdir(parents=True, exist_ok=True)
        OUT_DIR.chmod(0o1777)
        conf = Path("/etc/cups") / f"cups-pdf-{DEVICE.rsplit('/', 1)[1]}.conf"
        conf.write_text(f"Out {OUT_DIR}\nAnonDirName {OUT_DIR}\nLabel 1\n")
        added = _run("lpadmin", "-p", QUEUE, "-v", DEVICE, "-P", str(ppd), "-E")
        if added.returncode != 0:
            pytest.skip(f"the CUPS-PDF queue could not be added: {added.stderr.strip()}")
    return QUEUE


def _job_done(before: set[Path]) -> Path | None:
    """The queue's new output file once CUPS has finished the job (None while it works)."""
    if _run("lpstat", "-o", QUEUE).stdout.strip():
        return None
    new = [p for p in OUT_DIR.glob("*.pdf") if p not in before and p.stat().st_size > 0]
    return max(new, key=lambda p: p.stat().st_mtime) if new else None


def _wait_for_output(qtbot, before: set[Path]) -> Path:
    """Wait (through Qt's event loop) for the job's PDF in OUT_DIR."""
    found: list[Path] = []

    def done() -> bool:
        path = _job_done(before)
        if path is not None:
            found.append(path)
        return path is not None

    qtbot.waitUntil(done, timeout=60000)
    return found[0]


def test_each_form_prints_through_the_desk_to_cups_at_its_true_size(qtbot, db, cups_queue):
    full = build_full_order()
    printed = {}
    for kind in KINDS:
        remember_printer(kind, cups_queue)  # the dialog preselects it, as at a desk
        dialog = show_print_preview(None, kind, full.order.number)
        qtbot.addWidget(dialog)
        qtbot.waitUntil(lambda d=dialog: not d.is_busy(), timeout=30000)
        assert dialog.error_text == "", kind
        form = pypdf.PdfReader(io.BytesIO(dialog.pdf)).pages[0].mediabox
        before = set(OUT_DIR.glob("*.pdf"))
        box = dialog.print_document()
        assert box.printer().printerName() == cups_queue, kind
        with qtbot.waitSignal(dialog.printed, timeout=60000):
            box.accept()  # OK in the print dialog
        assert dialog.last_print_path == "pdf", kind  # the PDF itself, not page images
        page = pypdf.PdfReader(_wait_for_output(qtbot, before)).pages[0].mediabox
        printed[kind] = (
            sorted((float(form.width), float(form.height))),
            sorted((float(page.width), float(page.height))),
        )
        qtbot.waitUntil(lambda d=dialog: not d.is_busy(), timeout=30000)
    for kind, (form_pts, job_pts) in printed.items():
        # A5 stays A5 (420 × 595 pt), A4 stays A4 (595 × 842 pt), within rounding
        assert all(abs(a - b) < 3 for a, b in zip(form_pts, job_pts, strict=True)), (
            kind,
            form_pts,
            job_pts,
        )


def test_the_print_dialog_shows_the_forms_paper(qtbot, db, cups_queue):
    """Qt's dialog would offer the printer's default (A4) for an A5 gate pass: its Properties
    show A5, and OK after looking there keeps it."""
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QComboBox, QPushButton

    full = build_full_order()
    remember_printer("gate-pass", cups_queue)
    dialog = show_print_preview(None, "gate-pass", full.order.number)
    qtbot.addWidget(dialog)
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=30000)
    box = dialog.print_document()
    shown = []

    def look_and_close() -> None:
        combos = box.findChildren(QComboBox, "pageSizeCombo")
        shown.extend(c.currentData().id() for c in combos if c.currentData() is not None)
        QApplication.activeModalWidget().accept()

    QTimer.singleShot(300, look_and_close)
    qtbot.mouseClick(box.findChild(QPushButton, "properties"), Qt.MouseButton.LeftButton)
    assert shown == [QPageSize.PageSizeId.A5]
    before = set(OUT_DIR.glob("*.pdf"))
    with qtbot.waitSignal(dialog.printed, timeout=60000):
        box.accept()
    assert box.printer().pageLayout().pageSize().id() == QPageSize.PageSizeId.A5
    page = pypdf.PdfReader(_wait_for_output(qtbot, before)).pages[0].mediabox
    assert sorted(round(float(x)) for x in (page.width, page.height))[1] < 600  # A5, not A4
    qtbot.waitUntil(lambda: not dialog.is_busy(), timeout=30000)
