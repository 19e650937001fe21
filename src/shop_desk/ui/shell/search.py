"""The toolbar search box: results as you type in a keyboard-driven popup, and scanner input.

A barcode/VIN scanner acts as a keyboard: many characters arrive a few milliseconds apart,
then Enter. :class:`BurstDetector` tells such a burst from a person typing; the scanned code
opens its vehicle (or order) directly.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from PySide6.QtCore import QEvent, QModelIndex, QPoint, QRect, QSize, Qt, QTimer, Signal
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QStandardItem,
    QStandardItemModel,
)
from PySide6.QtWidgets import (
    QAbstractItemView,
    QLineEdit,
    QListView,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QWidget,
)

from shop_desk.i18n import translate
from shop_desk.services import search as search_service
from shop_desk.services.search import SearchHit

HIT_ROLE = Qt.ItemDataRole.UserRole + 1
DEBOUNCE_MS = 150


def kind_label(kind: str) -> str:
    return {
        "vehicle": translate("Search", "Vehicle"),
        "customer": translate("Search", "Customer"),
        "order": translate("Search", "Repair order"),
    }.get(kind, kind)


_KIND_COLOURS = {"vehicle": "#1f5fa8", "order": "#2e7d32", "customer": "#8e5a00"}


class BurstDetector:
    """Counts characters that arrived less than ``gap_ms`` apart (a scanner's burst)."""

    def __init__(
        self, gap_ms: float = 50.0, min_chars: int = 10, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.gap = gap_ms / 1000.0
        self.min_chars = min_chars
        self.clock = clock
        self.count = 0
        self.last: float | None = None

    def key(self) -> None:
        """A printable character arrived."""
        now = self.clock()
        if self.last is not None and now - self.last < self.gap:
            self.count += 1
        else:
            self.count = 1
        self.last = now

    def enter(self) -> int:
        """Enter arrived: the length of the burst it ends (0 if it was typed by a person)."""
        now = self.clock()
        fast = self.last is not None and now - self.last < self.gap
        length = self.count if fast and self.count >= self.min_chars else 0
        self.reset()
        return length

    def reset(self) -> None:
        self.count = 0
        self.last = None


class HitDelegate(QStyledItemDelegate):
    """Two lines per hit: a coloured kind tag and the bold title, then a grey subtitle."""

    def sizeHint(self, option: QStyleOptionViewItem, index: QModelIndex) -> QSize:
        fm = QFontMetrics(option.font)
        return QSize(420, fm.height() * 2 + 14)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index: QModelIndex) -> None:
        hit: SearchHit | None = index.data(HIT_ROLE)
        if hit is None:
            super().paint(painter, option, index)
            return
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        rect = option.rect
        painter.fillRect(rect, QColor("#dbe8f7") if selected else QColor("white"))
        fm = QFontMetrics(option.font)
        line_h = fm.height()
        x, y = rect.left() + 8, rect.top() + 5
        tag = kind_label(hit.kind)
        tag_font = QFont(option.font)
        tag_font.setPointSizeF(max(7.0, option.font.pointSizeF() * 0.85))
        tfm = QFontMetrics(tag_font)
        tag_rect = QRect(x, y + 1, tfm.horizontalAdvance(tag) + 10, line_h - 2)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(QColor(_KIND_COLOURS.get(hit.kind, "#555")))
        painter.drawRoundedRect(tag_rect, 3, 3)
        painter.setFont(tag_font)
        painter.setPen(QColor("white"))
        painter.drawText(tag_rect, Qt.AlignmentFlag.AlignCenter, tag)
        title_font = QFont(option.font)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(QColor("#111"))
        title_x = tag_rect.right() + 8
        painter.drawText(
            QRect(title_x, y, rect.right() - title_x - 6, line_h),
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            QFontMetrics(title_font).elidedText(
                hit.title, Qt.TextElideMode.ElideRight, rect.right() - title_x - 6
            ),
        )
        painter.setFont(option.font)
        painter.setPen(QColor("#555"))
        sub_rect = QRect(x, y + line_h + 2, rect.width() - 16, line_h)
        painter.drawText(
            sub_rect,
            Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft,
            fm.elidedText(hit.subtitle, Qt.TextElideMode.ElideRight, sub_rect.width()),
        )
        painter.setPen(QColor("#e3e3e3"))
        painter.drawLine(rect.bottomLeft(), rect.bottomRight())
        painter.restore()


class SearchPopup(QListView):
    """The result list under the search box; it never takes the keyboard focus."""

    chosen = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("searchPopup")
        self.setWindowFlags(Qt.WindowType.ToolTip | Qt.WindowType.FramelessWindowHint)
        self.setAttribute(Qt.WidgetAttribute.WA_ShowWithoutActivating)
        self.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setUniformItemSizes(True)
        self.setMouseTracking(True)
        self.setStyleSheet(
            "QListView#searchPopup { border: 1px solid #9aa5b1; background: white; }"
        )
        self.model_ = QStandardItemModel(self)
        self.setModel(self.model_)
        self.setItemDelegate(HitDelegate(self))
        self.clicked.connect(lambda index: self.chosen.emit(index.data(HIT_ROLE)))
        self.empty_text = ""

    def set_hits(self, hits: list[SearchHit]) -> None:
        self.model_.clear()
        for hit in hits:
            item = QStandardItem(f"{kind_label(hit.kind)} {hit.title} {hit.subtitle}")
            item.setData(hit, HIT_ROLE)
            item.setEditable(False)
            self.model_.appendRow(item)
        if hits:
            self.setCurrentIndex(self.model_.index(0, 0))

    def hits(self) -> list[SearchHit]:
        return [self.model_.item(r).data(HIT_ROLE) for r in range(self.model_.rowCount())]

    def current_hit(self) -> SearchHit | None:
        index = self.currentIndex()
        return index.data(HIT_ROLE) if index.isValid() else None

    def move(self, step: int) -> None:  # type: ignore[override]
        rows = self.model_.rowCount()
        if not rows:
            return
        row = self.currentIndex().row() if self.currentIndex().isValid() else -1
        row = max(0, min(rows - 1, row + step))
        self.setCurrentIndex(self.model_.index(row, 0))

    def place_under(self, anchor: QWidget) -> None:
        rows = max(1, min(8, self.model_.rowCount()))
        row_h = self.sizeHintForRow(0) if self.model_.rowCount() else 40
        width = max(anchor.width(), 460)
        self.resize(width, rows * row_h + 4)
        super().move(anchor.mapToGlobal(QPoint(0, anchor.height())))


class SearchBox(QLineEdit):
    """Global search: results as you type; Up/Down/Enter/Esc; a scanner burst opens directly.

    Emits :attr:`hit_chosen` with the :class:`SearchHit` to open and :attr:`status` with a
    sentence for the status bar."""

    hit_chosen = Signal(object)
    status = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("globalSearch")
        self.setPlaceholderText(
            translate("Search", "Plate, VIN, phone, name or order number (Ctrl+F)")
        )
        self.setClearButtonEnabled(True)
        self.setMinimumWidth(340)
        self.setAccessibleName(translate("Search", "Search"))
        self.popup = SearchPopup(self)
        self.popup.chosen.connect(self.choose)
        self.burst = BurstDetector()
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.setInterval(DEBOUNCE_MS)
        self.timer.timeout.connect(self.run_search)
        self.textEdited.connect(self._edited)
        self.last_hits: list[SearchHit] = []

    # -- searching ---------------------------------------------------------------------
    def _edited(self, text: str) -> None:
        if not text.strip():
            self.timer.stop()
            self.hide_popup()
            return
        self.timer.start()

    def run_search(self) -> list[SearchHit]:
        """Search now for the current text and show the popup (or hide it when empty)."""
        self.timer.stop()
        text = self.text()
        self.last_hits = search_service.search(text)
        if self.last_hits:
            self.popup.set_hits(self.last_hits)
            self.popup.place_under(self)
            self.popup.show()
            self.popup.raise_()
        else:
            self.hide_popup()
            if text.strip():
                self.status.emit(
                    translate("Search", "Nothing found for {text}.").format(text=text.strip())
                )
        return self.last_hits

    def hide_popup(self) -> None:
        self.popup.hide()

    def reset(self) -> None:
        self.timer.stop()
        self.burst.reset()
        self.clear()
        self.hide_popup()

    def choose(self, hit: SearchHit | None) -> None:
        if hit is None:
            return
        self.reset()
        self.hit_chosen.emit(hit)

    # -- keyboard ----------------------------------------------------------------------
    def keyPressEvent(self, event: QKeyEvent) -> None:
        key = event.key()
        if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self._enter()
            event.accept()
            return
        if key == Qt.Key.Key_Escape:
            if self.popup.isVisible():
                self.hide_popup()
            elif self.text():
                self.reset()
            else:
                self.burst.reset()
                event.ignore()
                return
            event.accept()
            return
        if key in (Qt.Key.Key_Down, Qt.Key.Key_Up, Qt.Key.Key_PageDown, Qt.Key.Key_PageUp):
            if not self.popup.isVisible() and self.text().strip():
                self.run_search()
            step = {
                Qt.Key.Key_Down: 1,
                Qt.Key.Key_Up: -1,
                Qt.Key.Key_PageDown: 5,
                Qt.Key.Key_PageUp: -5,
            }[key]
            self.popup.move(step)
            event.accept()
            return
        if event.text() and event.text().isprintable():
            self.burst.key()
        super().keyPressEvent(event)

    def _enter(self) -> None:
        burst = self.burst.enter()
        text = self.text()
        if burst:
            code = text[-burst:].strip()
            hit = search_service.resolve_code(code)
            if hit is not None:
                self.status.emit(translate("Search", "Scanned {code}.").format(code=code))
                self.choose(hit)
                return
            self.setText(code)
            self.status.emit(
                translate("Search", "No vehicle or order has the scanned code {code}.").format(
                    code=code
                )
            )
            self.run_search()
            return
        if self.timer.isActive() or not self.popup.isVisible():
            if not text.strip():
                return
            self.run_search()
        hit = self.popup.current_hit()
        if hit is not None:
            self.choose(hit)

    def focusOutEvent(self, event) -> None:
        if not self.popup.underMouse():
            self.hide_popup()
        super().focusOutEvent(event)

    def event(self, event: QEvent) -> bool:
        # Tab must not leave the popup hanging.
        if event.type() == QEvent.Type.KeyPress and event.key() == Qt.Key.Key_Tab:
            self.hide_popup()
        return super().event(event)
