"""Print preview of a repair order's documents: the real PDF, printed or saved from the desk.

:func:`show_print_preview` opens :class:`PrintPreviewDialog`, which renders the PDF with
:func:`shop_desk.printing.render_document` on a worker thread (the GUI stays responsive and
shows a busy bar), displays it with QtPdf on white pages, and offers Print (the printer chosen
last time for this kind of document is preselected) and Save as PDF.

Paper: the printer is set up for the form's own paper (A5 or A4, either orientation; see
:func:`form_paper`). A printer without that paper gets the smallest one it has that holds the
form at its true size (A5 on A4), which the print dialog then shows, and the form is never
enlarged (:func:`paper_for`). Where the print system takes PDF (CUPS: Linux, macOS) the PDF
itself goes to the printer with ``lp`` (small, sharp, with text; see :func:`lp_arguments`),
run without blocking the desk; elsewhere the pages are painted as images.

Reprints: each print is recorded on the order
(:func:`shop_desk.services.documents.record_printed`, and on this PC); the next print of the
same document, from any desk or ``shop-desk print``, is marked 副本 / COPY with its print
number (:func:`next_print_no`). After printing, the preview shows the next copy.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    QPointF,
    QProcess,
    QRectF,
    QSize,
    QSizeF,
    QStandardPaths,
    Qt,
    QThreadPool,
    QTimer,
    Signal,
)
from PySide6.QtGui import (
    QColor,
    QImage,
    QKeySequence,
    QPageLayout,
    QPageSize,
    QPainter,
    QPalette,
    QShowEvent,
)
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPdfWidgets import QPdfView
from PySide6.QtPrintSupport import QPrintDialog, QPrinter, QPrinterInfo
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock, i18n
from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.ui.shell.fit import fit_to_screen
from shop_desk.ui.shell.widgets import ErrorBanner, app_settings

log = logging.getLogger("shop_desk.ui.shell.print_preview")

#: Pages are rasterised for the printer at most at this resolution (enough for forms, and a
#: 1200 dpi printer would otherwise need half a gigabyte per page).
MAX_PRINT_DPI = 300


def _key(text: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in text)


def printed_before(kind: str, number: str) -> bool:
    """Was this document of this order printed before, here or at another desk (so a reprint
    is a copy)?"""
    return next_print_no(kind, number) > 1


def next_print_no(kind: str, number: str) -> int:
    """The number the next print of this document gets (1 = the original): the prints
    recorded on the order, at any desk or from the command line, or at least one more than a
    print remembered only on this PC. A pro-forma slip shows the bill of its moment: every
    print of it is an original, never a copy."""
    from shop_desk.printing import PRO_FORMA
    from shop_desk.services import documents

    if kind == PRO_FORMA:
        return 1

    local = 1 if app_settings().value(f"printed/{_key(kind)}/{_key(number)}", "") else 0
    try:
        recorded = documents.print_count(kind, number)
    except DomainError:
        recorded = 0
    return max(recorded, local) + 1


def mark_printed(
    kind: str, number: str, actor: object = None, copy: bool = False, print_no: int | None = None
) -> None:
    """Remember the print on this PC and, with the signed-in ``actor``, on the order itself."""
    app_settings().setValue(f"printed/{_key(kind)}/{_key(number)}", clock.now().isoformat())
    if actor is None:
        return
    from shop_desk.services import documents

    try:
        documents.record_printed(actor, kind, number, copy, print_no)
    except DomainError:  # the paper is printed; the record is a convenience
        log.exception("recording the print of %s %s failed", kind, number)


def remembered_printer(kind: str) -> str:
    """The printer last used for this kind of document ('' when none)."""
    return str(app_settings().value(f"print/printer/{_key(kind)}", "", str) or "")


def preferred_printer(kind: str) -> str:
    """The printer to preselect: this PC's default for the kind (``shop-desk station``),
    else the one used last ('' when neither)."""
    from shop_desk import station

    return station.printer_for(kind) or remembered_printer(kind)


def remember_printer(kind: str, name: str) -> None:
    if name:
        app_settings().setValue(f"print/printer/{_key(kind)}", name)


def _document_title(kind: str) -> str:
    try:
        from shop_desk.printing import document_title

        return document_title(kind)
    except (ImportError, KeyError):
        return kind


# --------------------------------------------------------------------------- rendering job


class _RenderTask(QObject):
    """Renders the PDF on a pool thread; the result comes back through queued signals.

    The task object lives in the GUI thread (its signals are delivered there) and is kept in
    :data:`_PENDING` until it has reported, so closing the dialog early is harmless."""

    done = Signal(object)  # bytes
    failed = Signal(str)

    def __init__(self, kind: str, number: str, lang: str, copy_mark: bool | int) -> None:
        super().__init__()
        self.kind, self.number, self.lang, self.copy_mark = kind, number, lang, copy_mark
        self.done.connect(self._finished)
        self.failed.connect(self._finished)

    def run(self) -> None:
        """Runs on the pool thread."""
        try:
            from shop_desk.printing import render_document

            pdf = render_document(self.kind, self.number, lang=self.lang, copy_mark=self.copy_mark)
        except DomainError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # shown to the user, full trace in the log
            log.exception("rendering %s %s failed", self.kind, self.number)
            self.failed.emit(
                translate("PrintPreview", "The document could not be prepared: {error}").format(
                    error=exc
                )
            )
        else:
            self.done.emit(pdf)
        finally:
            _close_thread_connection()

    def start(self) -> None:
        _PENDING.add(self)
        render_pool().start(self.run)

    def _finished(self, *_args: object) -> None:
        QTimer.singleShot(0, lambda: _PENDING.discard(self))


_PENDING: set[_RenderTask] = set()
_POOL: QThreadPool | None = None


def render_pool() -> QThreadPool:
    """The previews' own threads: a long job elsewhere in the global pool (a backup, a
    report) never keeps a preview waiting."""
    global _POOL
    if _POOL is None:
        _POOL = QThreadPool()
        _POOL.setObjectName("printPreviewPool")
        _POOL.setMaxThreadCount(2)
    return _POOL


def wait_for_renders(timeout_ms: int = 30000) -> bool:
    """Block until no preview is rendering (screenshots and shutdown); True when idle."""
    return render_pool().waitForDone(timeout_ms)


def _close_thread_connection() -> None:
    """Peewee opened a connection for this pool thread; close it so no file handle lingers."""
    from shop_desk.db import database

    db = database.obj
    if db is not None and not db.is_closed():
        db.close()


# --------------------------------------------------------------------------- paper


def form_paper(points: QSizeF) -> tuple[QPageSize, QPageLayout.Orientation]:
    """The paper of a form page of ``points``: the standard size (A5, A4) built from its
    PORTRAIT dimensions, and the orientation. (Qt does not recognise a size given in landscape
    points as A5: it would become a custom size that printers fit onto A4, enlarged.)"""
    w, h = points.width(), points.height()
    portrait = QSizeF(min(w, h), max(w, h))
    size = QPageSize(portrait, QPageSize.Unit.Point, "", QPageSize.SizeMatchPolicy.FuzzyMatch)
    orientation = (
        QPageLayout.Orientation.Landscape if w > h + 0.5 else QPageLayout.Orientation.Portrait
    )
    return size, orientation


def _fits(form: QSizeF, paper: QSizeF) -> bool:
    return form.width() <= paper.width() + 1 and form.height() <= paper.height() + 1


def paper_for(
    form: QPageSize, orientation: QPageLayout.Orientation, offered: list[QPageSize]
) -> tuple[QPageSize, QPageLayout.Orientation]:
    """The paper to print a form on with a printer offering ``offered`` (empty: not known).

    The form's own paper when the printer has it; otherwise the smallest paper that holds the
    form at its true size, turned so the form stands upright on it (A5 landscape on A4
    portrait); a form larger than any paper goes on the largest one (and is shrunk)."""
    if not offered or any(p.id() == form.id() and p.isValid() for p in offered):
        return form, orientation
    pts = form.size(QPageSize.Unit.Point)
    if orientation == QPageLayout.Orientation.Landscape:
        pts = pts.transposed()
    best: tuple[float, QPageSize, QPageLayout.Orientation] | None = None
    for paper in offered:
        if not paper.isValid():
            continue
        size = paper.size(QPageSize.Unit.Point)
        for turn, paper_pts in (
            (QPageLayout.Orientation.Portrait, size),
            (QPageLayout.Orientation.Landscape, size.transposed()),
        ):
            if _fits(pts, paper_pts):
                area = size.width() * size.height()
                if best is None or area < best[0]:
                    best = (area, paper, turn)
                break
    if best is not None:
        return best[1], best[2]
    largest = max(
        (p for p in offered if p.isValid()),
        key=lambda p: p.size(QPageSize.Unit.Point).width() * p.size(QPageSize.Unit.Point).height(),
        default=form,
    )
    return largest, orientation


def printer_papers(name: str) -> list[QPageSize]:
    """The paper sizes the printer ``name`` offers ([] when unknown)."""
    if not name:
        return []
    info = QPrinterInfo.printerInfo(name)
    return [] if info.isNull() else list(info.supportedPageSizes())


def can_send_pdf(printer: QPrinter) -> bool:
    """Does this printer take the PDF itself? On CUPS (Linux, macOS: ``lp``) it does, and the
    job is then small and keeps its text; Windows printers get the pages as images."""
    name = printer.printerName()
    return (
        printer.outputFormat() == QPrinter.OutputFormat.NativeFormat
        and bool(name)
        and not sys.platform.startswith("win")
        and shutil.which("lp") is not None
        and not QPrinterInfo.printerInfo(name).isNull()
    )


def lp_arguments(printer: QPrinter, form: QSizeF, path: str, pages: int) -> list[str]:
    """The ``lp`` command line sending the PDF at ``path`` to ``printer`` as the print dialog
    left it set up: its paper, copies and pages. A form on larger paper prints at 100 %, never
    enlarged; only a form larger than the paper is shrunk to fit."""
    layout = printer.pageLayout()
    paper = layout.pageSize()
    args = ["-d", printer.printerName(), "-t", printer.docName() or Path(path).stem]
    args += ["-n", str(max(1, printer.copyCount()))]
    args += ["-o", f"media={paper.key()}"]
    form_paper_size, _turn = form_paper(form)
    if paper.id() != form_paper_size.id():
        paper_pts = layout.fullRect(QPageLayout.Unit.Point).size()
        if _fits(form, paper_pts) or _fits(form.transposed(), paper_pts):
            # upright and at its true size: e.g. an A5 form in the middle of an A4 sheet
            args += ["-o", "print-scaling=none", "-o", "nopdfAutoRotate"]
        else:
            args += ["-o", "fit-to-page"]
    if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
        first = max(1, printer.fromPage())
        last = min(pages, max(first, printer.toPage()))
        args += ["-o", f"page-ranges={first}-{last}"]
    return [*args, "--", path]


def _show_paper(dialog: QDialog, paper: QPageSize) -> None:
    """Select ``paper`` in the print dialog's Properties (its page size list), if it has it."""
    for combo in dialog.findChildren(QComboBox, "pageSizeCombo"):
        for index in range(combo.count()):
            data = combo.itemData(index)
            if isinstance(data, QPageSize) and data.id() == paper.id():
                combo.setCurrentIndex(index)
                break


# --------------------------------------------------------------------------- the dialog


class PrintPreviewDialog(QDialog):
    """The document as it will print; Print…, Save as PDF…, Close (Esc).

    Signals: ``loaded(pages)`` when the PDF is shown, ``failed(message)`` when the document
    cannot be made (e.g. the order has no gate pass yet), ``printed()`` after printing."""

    loaded = Signal(int)
    failed = Signal(str)
    printed = Signal()

    def __init__(
        self, parent: QWidget | None, kind: str, number: str, copy_mark: bool | int = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("printPreviewDialog")
        #: ``copy_mark``: False for the original; a reprint's print number (2 = first copy),
        #: or True for a copy of unknown number
        self.kind, self.number, self.copy_mark = kind, number, copy_mark
        self.paper_note = ""
        #: how the last print went out: "pdf" (the PDF to CUPS) or "image" (painted pages)
        self.last_print_path = ""
        self._lp: QProcess | None = None
        self.pdf: bytes | None = None
        self.error_text = ""
        self._task: _RenderTask | None = None
        title = _document_title(kind)
        self.setWindowTitle(
            translate("PrintPreview", "Print preview: {document} {number}").format(
                document=title, number=number
            )
        )
        outer = QVBoxLayout(self)

        top = QHBoxLayout()
        self.heading = QLabel(self)
        self._set_heading()
        self.heading.setObjectName("previewHeading")
        font = self.heading.font()
        font.setBold(True)
        self.heading.setFont(font)
        top.addWidget(self.heading, 1)
        self.pages_label = QLabel(self)
        self.pages_label.setObjectName("pagesLabel")
        top.addWidget(self.pages_label)
        self.zoom_combo = QComboBox(self)
        self.zoom_combo.setObjectName("zoomCombo")
        self.zoom_combo.addItem(translate("PrintPreview", "Fit width"), "width")
        self.zoom_combo.addItem(translate("PrintPreview", "Whole page"), "page")
        self.zoom_combo.addItem("100 %", "100")
        self.zoom_combo.setToolTip(translate("PrintPreview", "Zoom"))
        top.addWidget(self.zoom_combo)
        outer.addLayout(top)

        self.busy = QWidget(self)
        busy_layout = QHBoxLayout(self.busy)
        busy_layout.setContentsMargins(0, 0, 0, 0)
        self.busy_label = QLabel(translate("PrintPreview", "Preparing the document…"), self.busy)
        self.busy_bar = QProgressBar(self.busy)
        self.busy_bar.setRange(0, 0)
        self.busy_bar.setTextVisible(False)
        self.busy_bar.setMaximumHeight(10)
        busy_layout.addWidget(self.busy_label)
        busy_layout.addWidget(self.busy_bar, 1)
        outer.addWidget(self.busy)

        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        outer.addWidget(self.banner)

        self.document = QPdfDocument(self)
        self.view = QPdfView(self)
        self.view.setObjectName("pdfView")
        self.view.setPageMode(QPdfView.PageMode.MultiPage)
        self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        self.view.setPageSpacing(12)
        # the area around the pages is grey; the pages themselves are painted white by the
        # view (and, should a style paint them with the palette, the Base role is white too)
        palette = self.view.palette()
        palette.setColor(QPalette.ColorRole.Dark, QColor("#8e949b"))
        palette.setColor(QPalette.ColorRole.Base, QColor("#ffffff"))
        self.view.setPalette(palette)
        self.view.viewport().setPalette(palette)
        self.view.viewport().setAutoFillBackground(True)
        self.view.setDocument(self.document)
        outer.addWidget(self.view, 1)

        self.buttons = QDialogButtonBox(self)
        self.print_button = QPushButton(translate("PrintPreview", "&Print…"), self)
        self.print_button.setObjectName("printButton")
        self.print_button.setShortcut(QKeySequence.StandardKey.Print)
        self.save_button = QPushButton(translate("PrintPreview", "&Save as PDF…"), self)
        self.save_button.setObjectName("saveButton")
        self.save_button.setShortcut(QKeySequence.StandardKey.Save)
        self.close_button = QPushButton(translate("PrintPreview", "Close"), self)
        self.close_button.setObjectName("closeButton")
        self.buttons.addButton(self.print_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.save_button, QDialogButtonBox.ButtonRole.ActionRole)
        self.buttons.addButton(self.close_button, QDialogButtonBox.ButtonRole.RejectRole)
        outer.addWidget(self.buttons)
        self.print_button.clicked.connect(self.print_document)
        self.save_button.clicked.connect(self.save_as_pdf)
        self.buttons.rejected.connect(self.reject)
        self.zoom_combo.currentIndexChanged.connect(self._zoom_changed)
        self.print_button.setDefault(True)
        self._set_ready(False)

        self._buffer: QBuffer | None = None
        self._data: QByteArray | None = None
        self.print_dialog: QPrintDialog | None = None
        self.resize(860, 900)  # an A4 page at a readable size; fit_to_screen on show
        geometry = app_settings().value("print/preview_geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.start()

    def _set_heading(self) -> None:
        heading = f"{_document_title(self.kind)} · {self.number}"
        if self.copy_mark:
            if type(self.copy_mark) is int and self.copy_mark > 1:
                heading += " · " + translate(
                    "PrintPreview", "reprint, marked as copy (print no. {n})"
                ).format(n=self.copy_mark)
            else:
                heading += " · " + translate("PrintPreview", "reprint, marked as copy")
        self.heading.setText(heading)

    # -- loading --------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        fit_to_screen(self)  # 860×900 is taller than a 1366×768 screen

    def start(self, keep_current: bool = False) -> None:
        """(Re)render the document off the GUI thread. ``keep_current``: the pages shown stay
        (and count) until the new ones arrive, e.g. the next copy after a print."""
        if not keep_current:
            self.banner.clear_message()
            self.pdf = None
        self.busy.show()
        self._set_ready(False)
        self.error_text = ""
        task = _RenderTask(self.kind, self.number, i18n.current_language(), self.copy_mark)
        task.done.connect(self._rendered)
        task.failed.connect(self._failed)
        self._task = task
        task.start()

    def is_busy(self) -> bool:
        return self._task is not None

    def page_count(self) -> int:
        return self.document.pageCount() if self.pdf else 0

    def _rendered(self, pdf: bytes) -> None:
        self._task = None
        self.pdf = bytes(pdf)
        self._data = QByteArray(self.pdf)
        self._buffer = QBuffer(self._data, self)
        self._buffer.open(QIODevice.OpenModeFlag.ReadOnly)
        self.document.load(self._buffer)
        self.busy.hide()
        if self.document.status() != QPdfDocument.Status.Ready or self.document.pageCount() < 1:
            self._failed(translate("PrintPreview", "The PDF could not be displayed."))
            return
        n = self.document.pageCount()
        self.pages_label.setText(translate("PrintPreview", "{n} page(s)").format(n=n))
        self._set_ready(True)
        self.print_button.setFocus()
        self.loaded.emit(n)

    def _failed(self, message: str) -> None:
        self._task = None
        self.error_text = message
        self.busy.hide()
        self.banner.show_error(message)
        self._set_ready(False)
        self.close_button.setFocus()
        self.failed.emit(message)

    def _set_ready(self, ready: bool) -> None:
        self.print_button.setEnabled(ready)
        self.save_button.setEnabled(ready)
        self.zoom_combo.setEnabled(ready)

    def _zoom_changed(self, _index: int) -> None:
        mode = self.zoom_combo.currentData()
        if mode == "width":
            self.view.setZoomMode(QPdfView.ZoomMode.FitToWidth)
        elif mode == "page":
            self.view.setZoomMode(QPdfView.ZoomMode.FitInView)
        else:
            self.view.setZoomMode(QPdfView.ZoomMode.Custom)
            self.view.setZoomFactor(1.0)

    # -- saving ---------------------------------------------------------------------------
    def default_file_name(self) -> str:
        return f"{_key(self.kind)}_{_key(self.number)}.pdf"

    def save_as_pdf(self) -> str | None:
        """Ask where to save (the last folder is offered again); the path written or None.

        Not while the next copy is being drawn: what is saved must be what is recorded."""
        if not self.pdf or self.is_busy():
            return None
        settings = app_settings()
        folder = str(settings.value("print/last_folder", "", str) or "")
        if not folder or not Path(folder).is_dir():
            folder = QStandardPaths.writableLocation(
                QStandardPaths.StandardLocation.DocumentsLocation
            )
        path, _ = QFileDialog.getSaveFileName(
            self,
            translate("PrintPreview", "Save as PDF"),
            str(Path(folder) / self.default_file_name()),
            translate("PrintPreview", "PDF documents (*.pdf)"),
        )
        if not path:
            return None
        if not path.lower().endswith(".pdf"):
            path += ".pdf"
        try:
            Path(path).write_bytes(self.pdf)
        except OSError as exc:
            self.banner.show_error(
                translate("PrintPreview", "The PDF could not be saved to {path}: {error}").format(
                    path=path, error=exc.strerror or exc
                )
            )
            return None
        settings.setValue("print/last_folder", str(Path(path).parent))
        # a saved PDF is paper waiting to be printed: it counts as this print, so the next
        # one says it is a copy
        self._recorded(translate("PrintPreview", "Saved as {path}.").format(path=path))
        return path

    # -- printing -------------------------------------------------------------------------
    def form_size(self) -> QSizeF:
        """The first page's size in points (the form's paper)."""
        return self.document.pagePointSize(0)

    def make_printer(self) -> QPrinter:
        """A printer set up for the document's paper (A5 stays A5, at its true size), the
        remembered printer preselected. A printer without that paper gets the smallest paper
        that holds the form at 100 % (A5 on A4); :attr:`paper_note` then says so."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        name = preferred_printer(self.kind)
        if name and not QPrinterInfo.printerInfo(name).isNull():
            printer.setPrinterName(name)
        printer.setDocName(f"{_document_title(self.kind)} {self.number}")
        self.paper_note = ""
        if self.page_count():
            form, orientation = form_paper(self.form_size())
            paper, turn = paper_for(form, orientation, printer_papers(printer.printerName()))
            printer.setPageSize(paper)
            printer.setPageOrientation(turn)
            if paper.id() != form.id():
                self.paper_note = translate(
                    "PrintPreview",
                    "{printer} has no {form} paper: the form prints at its true size (100 %) "
                    "on {paper}.",
                ).format(printer=printer.printerName(), form=form.name(), paper=paper.name())
        printer.setFullPage(True)  # the PDF has its own margins
        printer.setFromTo(1, max(1, self.page_count()))
        return printer

    def print_document(self) -> QPrintDialog | None:
        """Ask for the printer (Qt's print dialog, window-modal) and print on OK."""
        if not self.pdf or self.is_busy():
            return None
        printer = self.make_printer()
        if self.paper_note:
            self.banner.show_info(self.paper_note)
        paper = printer.pageLayout().pageSize()
        orientation = printer.pageLayout().orientation()
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printDialog")
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setMinMax(1, self.page_count())
        # Qt's own print dialog (Linux) puts the printer's default paper (A4) in place of
        # ours, in its Properties and on OK. When Properties opens, it shows our paper
        # instead; if it never opened, nobody chose another paper and ours is put back after
        # OK. (Native dialogs, Windows and macOS, have no such button and are left alone.)
        properties = dialog.findChild(QPushButton, "properties")
        restore = {"paper": properties is not None}
        if properties is not None:

            def opening() -> None:
                restore["paper"] = False
                QTimer.singleShot(0, lambda: _show_paper(dialog, paper))

            properties.pressed.connect(opening)

        def accepted() -> None:
            if restore["paper"]:
                printer.setPageSize(paper)
                printer.setPageOrientation(orientation)
            self.send_to(printer)

        dialog.accepted.connect(accepted)
        self.print_dialog = dialog
        QDialog.open(dialog)  # QPrintDialog.open() in PySide wants a receiver; the base does not
        return dialog

    def send_to(self, printer: QPrinter) -> None:
        """Print on the printer chosen in the dialog: the PDF itself where the print system
        takes it (CUPS), else the pages as images."""
        if can_send_pdf(printer):
            self.send_pdf(printer)
        else:
            self.print_to(printer)

    def send_pdf(self, printer: QPrinter) -> QProcess | None:
        """Hand the PDF to CUPS with ``lp`` (without waiting for it: the desk stays usable);
        when it has taken the job the print is recorded like any other. If ``lp`` cannot run,
        the pages are painted instead."""
        if not self.pdf or self._lp is not None:
            return None
        handle, path = tempfile.mkstemp(prefix=f"{self.default_file_name()[:-4]}-", suffix=".pdf")
        with os.fdopen(handle, "wb") as out:
            out.write(self.pdf)
        process = QProcess(self)
        process.setProgram("lp")
        process.setArguments(lp_arguments(printer, self.form_size(), path, self.page_count()))
        log.info("printing %s %s: lp %s", self.kind, self.number, " ".join(process.arguments()))
        self._lp = process

        def finished(code: int, _status: QProcess.ExitStatus) -> None:
            self._lp_done(process, printer, path, code)

        def not_started(error: QProcess.ProcessError) -> None:
            if error == QProcess.ProcessError.FailedToStart:
                log.warning("lp could not be started; printing the pages as images")
                self._lp_done(process, printer, path, None)

        process.finished.connect(finished)
        process.errorOccurred.connect(not_started)
        self.print_button.setEnabled(False)
        self.banner.show_info(
            translate("PrintPreview", "Sending to {printer}…").format(printer=printer.printerName())
        )
        process.start()
        return process

    def _lp_done(self, process: QProcess, printer: QPrinter, path: str, code: int | None) -> None:
        if self._lp is not process:
            return
        self._lp = None
        Path(path).unlink(missing_ok=True)
        self.print_button.setEnabled(self.pdf is not None)
        if code is None:  # lp did not start: the image path still prints
            self.print_to(printer)
            return
        if code != 0:
            detail = bytes(process.readAllStandardError().data()).decode(errors="replace").strip()
            self.banner.show_error(
                translate(
                    "PrintPreview", "The printer {name} did not take the job: {error}"
                ).format(name=printer.printerName(), error=detail or code)
            )
            return
        self.last_print_path = "pdf"
        self._printed(printer)

    def print_to(self, printer: QPrinter) -> int:
        """Paint the pages (rendered on white) onto ``printer`` at their true size (shrunk
        only if the paper is smaller, never enlarged); the number of pages printed."""
        if not self.pdf:
            return 0
        count = self.page_count()
        first, last = 0, count - 1
        if printer.printRange() == QPrinter.PrintRange.PageRange and printer.fromPage() > 0:
            first = max(0, printer.fromPage() - 1)
            last = min(count - 1, max(first, printer.toPage() - 1))
        painter = QPainter()
        if not painter.begin(printer):
            self.banner.show_error(
                translate(
                    "PrintPreview", "The printer {name} cannot be used; check that it is on."
                ).format(name=printer.printerName() or "?")
            )
            return 0
        dpi = min(printer.resolution(), MAX_PRINT_DPI)
        printed = 0
        try:
            for page in range(first, last + 1):
                if printed:
                    printer.newPage()
                target = QRectF(printer.paperRect(QPrinter.Unit.DevicePixel))
                image = self.page_image(page, dpi)
                true_size = printer.resolution() / dpi  # device pixels per image pixel
                fit = min(target.width() / image.width(), target.height() / image.height())
                scale = min(true_size, fit)
                w, h = image.width() * scale, image.height() * scale
                painter.drawImage(
                    QRectF(
                        QPointF((target.width() - w) / 2, (target.height() - h) / 2), QSizeF(w, h)
                    ),
                    image,
                )
                printed += 1
        finally:
            painter.end()
        self.last_print_path = "image"
        self._printed(printer)
        return printed

    def _printed(self, printer: QPrinter) -> None:
        """After a print: remember the printer, record the print, say so, and show the next
        copy (a second print from this preview is a copy like any other)."""
        name = printer.printerName()
        if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat and name:
            remember_printer(self.kind, name)
        self._recorded(
            translate("PrintPreview", "{document} {number} sent to the printer.").format(
                document=_document_title(self.kind), number=self.number
            )
        )

    def _recorded(self, text: str) -> None:
        """Record this print (or saved PDF), say so, and show the next copy (a second print
        from this preview is a copy like any other)."""
        number = self.copy_mark if type(self.copy_mark) is int and self.copy_mark > 1 else None
        mark_printed(self.kind, self.number, self._staff(), bool(self.copy_mark), number)
        self.banner.show_info(text)
        self._status(text)
        following = next_print_no(self.kind, self.number)
        self.copy_mark = following if following > 1 else False
        self._set_heading()
        self.printed.emit()
        self.start(keep_current=True)

    def page_image(self, page: int, dpi: int) -> QImage:
        """One page at ``dpi`` on a white background (QtPdf renders transparent pages)."""
        points = self.document.pagePointSize(page)
        size = QSize(
            max(1, round(points.width() * dpi / 72)), max(1, round(points.height() * dpi / 72))
        )
        rendered = self.document.render(page, size)
        image = QImage(size, QImage.Format.Format_RGB32)
        image.fill(Qt.GlobalColor.white)
        painter = QPainter(image)
        painter.drawImage(0, 0, rendered)
        painter.end()
        return image

    # -- closing --------------------------------------------------------------------------
    def _staff(self) -> object:
        """The person signed in to the main window this preview belongs to (None outside one)."""
        window = self.parent()
        while window is not None and getattr(window, "staff", None) is None:
            window = window.parent()
        return getattr(window, "staff", None) if window is not None else None

    def _status(self, text: str) -> None:
        window = self.parent()
        while window is not None and not hasattr(window, "show_status"):
            window = window.parent()
        if window is not None:
            window.show_status(text)

    def done(self, result: int) -> None:
        app_settings().setValue("print/preview_geometry", self.saveGeometry())
        if self._lp is not None:  # closing right after Print: let lp hand the job over first
            self._lp.waitForFinished(10000)
        super().done(result)


def show_print_preview(
    parent: QWidget | None, kind: str, number: str, copy_mark: bool | None = None
) -> PrintPreviewDialog:
    """Open the preview of one document (``kind`` as in shop_desk.printing.KINDS) of an order.

    Window-modal and non-blocking. A document printed before, at any desk or from the command
    line, is marked as a copy (副本) with its print number unless ``copy_mark`` says otherwise:
    every caller gets the reprint rule without having to remember it."""
    if copy_mark is None:
        print_no = next_print_no(kind, number)
        copy_mark = print_no if print_no > 1 else False
    dialog = PrintPreviewDialog(parent, kind, number, copy_mark)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
