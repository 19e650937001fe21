"""Fitting the screen: windows and dialogs no larger than the screen they open on (shop PCs
often have 1366×768 or 1280×720 screens), and tables whose main text column stays readable.

A window calls :func:`fit_to_screen` when it is shown (FormDialog, the print preview, the
main window and the displays do): one that would open larger than the screen's available
area (its default size, or a size saved on a bigger screen) is made to fit, never below
what its layout needs."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator

from PySide6.QtCore import QEvent, QObject, QSize, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QHeaderView,
    QTableView,
    QWidget,
)

QWIDGETSIZE_MAX = 16_777_215

#: Room kept for the title bar and frame the window manager adds around a window.
FRAME_ALLOWANCE = QSize(16, 40)


_assumed_room: QSize | None = None


def assume_room(room: QSize | None) -> None:
    """Fit windows to ``room`` instead of the screen they are on (the screenshots, drawn
    offscreen where there is no real screen, for a 1280×800 one); None: the real screen."""
    global _assumed_room
    _assumed_room = QSize(room) if room is not None else None


@contextlib.contextmanager
def room_of(size: QSize) -> Iterator[None]:
    """Fit windows to ``size`` for a while (the TV boards' screenshots at 1920×1080), then
    to whatever room was assumed before."""
    global _assumed_room
    before = _assumed_room
    _assumed_room = QSize(size)
    try:
        yield
    finally:
        _assumed_room = before


def available_size(widget: QWidget | None = None) -> QSize:
    """The room a window has on the screen it opens on (less its title bar and frame)."""
    if _assumed_room is not None:
        return QSize(_assumed_room)
    if QApplication.platformName() == "offscreen":  # no real screen (tests, screenshots):
        return QSize(QWIDGETSIZE_MAX, QWIDGETSIZE_MAX)  # fit only to an assumed room
    screen = widget.screen() if widget is not None else None
    screen = screen or QApplication.primaryScreen()
    area = screen.availableGeometry().size() if screen is not None else QSize(1280, 720)
    return area - FRAME_ALLOWANCE


def fit_to_screen(window: QWidget) -> None:
    """Shrink ``window`` to the screen's available area (not below what its layout needs)
    and move it back onto the screen when it would stick out."""
    room = available_size(window)
    least = window.minimumSizeHint().expandedTo(window.minimumSize())
    width = min(window.width(), max(room.width(), least.width()))
    height = min(window.height(), max(room.height(), least.height()))
    if (width, height) != (window.width(), window.height()):
        window.resize(width, height)
        screen = window.screen() or QApplication.primaryScreen()
        if screen is not None and window.isWindow():
            area = screen.availableGeometry()
            x = min(max(window.x(), area.left()), area.right() - width - FRAME_ALLOWANCE.width())
            y = min(max(window.y(), area.top()), area.bottom() - height - FRAME_ALLOWANCE.height())
            window.move(max(area.left(), x), max(area.top(), y))


class _ReadableColumn(QObject):
    """Keeps one column of a table at least ``share`` of its width; see readable_column."""

    def __init__(self, view: QTableView, column: int, share: float) -> None:
        super().__init__(view)
        self.view = view
        self.column = column
        self.share = share
        view.viewport().installEventFilter(self)
        model = view.model()
        for signal in (model.modelReset, model.layoutChanged, model.rowsInserted):
            signal.connect(self.fit)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        if event.type() == QEvent.Type.Resize:
            self.fit()
        return False

    def fit(self, *_args: object) -> None:
        view, header = self.view, self.view.horizontalHeader()
        others = [c for c in range(header.count()) if c != self.column]
        natural = {c: max(view.sizeHintForColumn(c), header.sectionSizeHint(c)) for c in others}
        budget = int(view.viewport().width() * (1 - self.share))
        widths = _capped(natural, budget, header.minimumSectionSize())
        for c in others:
            header.setSectionResizeMode(c, QHeaderView.ResizeMode.Fixed)
            header.resizeSection(c, widths[c])
        header.setSectionResizeMode(self.column, QHeaderView.ResizeMode.Stretch)


def _capped(natural: dict[int, int], budget: int, least: int) -> dict[int, int]:
    """Widths within ``budget``: narrow columns (an amount, a kind) keep their natural width,
    the widest ones share what is left equally."""
    widths: dict[int, int] = {}
    left = budget
    ordered = sorted(natural, key=natural.__getitem__)
    for n, c in enumerate(ordered):
        fair = left // (len(ordered) - n)
        widths[c] = max(least, min(natural[c], fair))
        left -= widths[c]
    return widths


def readable_column(view: QTableView, column: int = 0, share: float = 0.36) -> None:
    """The ``column`` (the work, the description) takes the width the others leave but never
    less than ``share`` of the table, and wraps long text over more lines instead of ending in
    "…"; no horizontal scroll bar. The other columns get their natural width, scaled down
    together when the table is narrow."""
    view.setWordWrap(True)
    view.setTextElideMode(Qt.TextElideMode.ElideRight)
    view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    view.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
    view.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    view.horizontalHeader().setTextElideMode(Qt.TextElideMode.ElideRight)  # "Customer's…"
    _ReadableColumn(view, column, share).fit()
