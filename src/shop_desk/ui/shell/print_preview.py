"""Print preview of a repair order's documents: the real PDF, printed or saved from the desk.

:func:`show_print_preview` opens :class:`PrintPreviewDialog`, which renders the PDF with
:func:`shop_desk.printing.render_document` on a worker thread (the GUI stays responsive and
shows a busy bar), displays it with QtPdf on white pages, and offers Print (the printer chosen
last time for this kind of document is preselected) and Save as PDF.

Reprints: :func:`printed_before` tells whether this document of this order was
printed already (on this PC, or at any desk: each print is recorded on the order with
:func:`shop_desk.services.documents.record_printed`); :func:`show_print_preview` then marks the
paper as a copy.
"""

from __future__ import annotations

import logging
from pathlib import Path

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QObject,
    QPointF,
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
    if app_settings().value(f"printed/{_key(kind)}/{_key(number)}", ""):
        return True
    from shop_desk.services import documents

    return documents.printed_before(kind, number)


def mark_printed(kind: str, number: str, actor: object = None, copy: bool = False) -> None:
    """Remember the print on this PC and, with the signed-in ``actor``, on the order itself."""
    app_settings().setValue(f"printed/{_key(kind)}/{_key(number)}", clock.now().isoformat())
    if actor is None:
        return
    from shop_desk.services import documents

    try:
        documents.record_printed(actor, kind, number, copy)
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

    def __init__(self, kind: str, number: str, lang: str, copy_mark: bool) -> None:
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


# --------------------------------------------------------------------------- the dialog


class PrintPreviewDialog(QDialog):
    """The document as it will print; Print…, Save as PDF…, Close (Esc).

    Signals: ``loaded(pages)`` when the PDF is shown, ``failed(message)`` when the document
    cannot be made (e.g. the order has no gate pass yet), ``printed()`` after printing."""

    loaded = Signal(int)
    failed = Signal(str)
    printed = Signal()

    def __init__(
        self, parent: QWidget | None, kind: str, number: str, copy_mark: bool = False
    ) -> None:
        super().__init__(parent)
        self.setObjectName("printPreviewDialog")
        self.kind, self.number, self.copy_mark = kind, number, copy_mark
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
        heading = f"{title} · {number}"
        if copy_mark:
            heading += " · " + translate("PrintPreview", "reprint, marked as copy")
        self.heading = QLabel(heading, self)
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

    # -- loading --------------------------------------------------------------------------
    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        fit_to_screen(self)  # 860×900 is taller than a 1366×768 screen

    def start(self) -> None:
        """(Re)render the document off the GUI thread."""
        self.banner.clear_message()
        self.busy.show()
        self._set_ready(False)
        self.pdf = None
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
        """Ask where to save (the last folder is offered again); the path written or None."""
        if not self.pdf:
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
        text = translate("PrintPreview", "Saved as {path}.").format(path=path)
        self.banner.show_info(text)
        self._status(text)
        return path

    # -- printing -------------------------------------------------------------------------
    def make_printer(self) -> QPrinter:
        """A printer set up for the document's paper, the remembered printer preselected."""
        printer = QPrinter(QPrinter.PrinterMode.HighResolution)
        name = preferred_printer(self.kind)
        if name and not QPrinterInfo.printerInfo(name).isNull():
            printer.setPrinterName(name)
        printer.setDocName(f"{_document_title(self.kind)} {self.number}")
        if self.page_count():
            size = self.document.pagePointSize(0)
            printer.setPageSize(QPageSize(size, QPageSize.Unit.Point))
            printer.setPageOrientation(
                QPageLayout.Orientation.Landscape
                if size.width() > size.height()
                else QPageLayout.Orientation.Portrait
            )
        printer.setFullPage(True)  # the PDF has its own margins
        printer.setFromTo(1, max(1, self.page_count()))
        return printer

    def print_document(self) -> QPrintDialog | None:
        """Ask for the printer (Qt's print dialog, window-modal) and print on OK."""
        if not self.pdf:
            return None
        printer = self.make_printer()
        dialog = QPrintDialog(printer, self)
        dialog.setObjectName("printDialog")
        dialog.setOption(QPrintDialog.PrintDialogOption.PrintPageRange, True)
        dialog.setMinMax(1, self.page_count())
        dialog.accepted.connect(lambda: self.print_to(printer))
        self.print_dialog = dialog
        QDialog.open(dialog)  # QPrintDialog.open() in PySide wants a receiver; the base does not
        return dialog

    def print_to(self, printer: QPrinter) -> int:
        """Paint the pages (rendered on white) onto ``printer``; the number of pages printed."""
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
                scale = min(target.width() / image.width(), target.height() / image.height())
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
        name = printer.printerName()
        if printer.outputFormat() == QPrinter.OutputFormat.NativeFormat and name:
            remember_printer(self.kind, name)
        mark_printed(self.kind, self.number, self._staff(), self.copy_mark)
        text = translate("PrintPreview", "{document} {number} sent to the printer.").format(
            document=_document_title(self.kind), number=self.number
        )
        self.banner.show_info(text)
        self._status(text)
        self.printed.emit()
        return printed

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
        super().done(result)


def show_print_preview(
    parent: QWidget | None, kind: str, number: str, copy_mark: bool | None = None
) -> PrintPreviewDialog:
    """Open the preview of one document (``kind`` as in shop_desk.printing.KINDS) of an order.

    Window-modal and non-blocking. A document printed before, at any desk, is marked as a copy
    (副本) unless ``copy_mark`` says otherwise: every caller gets the reprint rule without
    having to remember it."""
    if copy_mark is None:
        copy_mark = printed_before(kind, number)
    dialog = PrintPreviewDialog(parent, kind, number, copy_mark)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    dialog.open()
    return dialog
