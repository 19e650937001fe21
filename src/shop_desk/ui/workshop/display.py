"""The workshop display (车间看板): a read-only full-screen board for a TV, no sign-in.

``shop-desk board [--db PATH] [--screen N] [--lounge]`` runs :func:`run_display`. The
window shows each car in the workshop (plate, model, team, state, promised time; overdue in
red) in type readable from five metres on a 1920×1080 screen, the field jobs with people out
after them (外出服务: plate, place, crew, the customer's required time, late in red), a clock,
a "ready for pickup" strip, and rotates pages when more cars are on the floor than fit. The ``lounge`` variant is
for customers: plates and state only, no names and no prices.

It works on its own *read-only* SQLite connection (``mode=ro``), so it cannot change data
and never creates an empty database where the shop's file was. A
:class:`shop_desk.changes.ChangeWatcher` tells it within a poll (½ s) that another process
committed; only then is the board read again (one query). When the file is locked, renamed
away or replaced (a restored backup), the last good cards stay on screen with a small
"reconnecting" mark and the display reconnects by itself.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import sqlite3
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import peewee
from PySide6.QtCore import QRect, QRectF, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetrics,
    QGuiApplication,
    QKeySequence,
    QPainter,
    QPaintEvent,
    QPen,
    QScreen,
    QShortcut,
)
from PySide6.QtWidgets import QWidget

from shop_desk import clock
from shop_desk.db import is_postgres_url
from shop_desk.field_states import state_label as field_state_label
from shop_desk.i18n import current_language, join_list, translate
from shop_desk.models import ALL_MODELS, ShopSettings
from shop_desk.services import board
from shop_desk.services.board import BoardCard, FieldCard
from shop_desk.states import State, state_label
from shop_desk.ui.shell.fit import fit_to_screen
from shop_desk.ui.shell.watcher import close_watcher, make_watcher
from shop_desk.ui.workshop.cards import (
    duration_text,
    field_minutes_left,
    minutes_left,
    promised_text,
    state_colour,
)

log = logging.getLogger("shop_desk.ui.workshop.display")

T = TypeVar("T")

#: How often the display asks whether the database changed (ms); well inside 2 s.
POLL_MS = 500
#: Seconds each page stays before the next one when the cars do not fit on one.
PAGE_SECONDS = 12
#: Busy timeout of the display's read connection: a locked file must not freeze the screen.
BUSY_TIMEOUT_MS = 250

BACKGROUND = QColor("#0f1419")
ROW_A = QColor("#161d24")
ROW_B = QColor("#1c252e")
TEXT = QColor("#f5f7fa")
MUTED = QColor("#9aa5b1")
READY_GREEN = QColor("#2e9d48")
OVERDUE = QColor("#ff5b52")
AMBER = QColor("#ffb300")
FIELD = QColor("#00897b")  # the field jobs' state pill (外出服务)


class DatabaseGone(Exception):
    """The database file is missing or was replaced by another file."""


def _identity(path: str) -> tuple[int, int]:
    """Which file is at ``path`` now (device, inode); a restore or move changes it."""
    try:
        st = os.stat(path)
    except FileNotFoundError as exc:
        raise DatabaseGone(path) from exc
    return st.st_dev, st.st_ino


def _plain_path(db_path: str | os.PathLike[str]) -> str:
    """A file path for SQLite (``sqlite:///`` removed); a PostgreSQL URL as it is."""
    text = str(db_path)
    return text[len("sqlite:///") :] if text.startswith("sqlite:///") else text


class ReadOnlyLink:
    """The display's own read-only connection to the shop's database file plus its change
    watcher (``shop_desk.changes_pg.PgReadOnlyLink`` is the counterpart for a server).

    :meth:`read` runs a read function of the services with the models bound to this
    connection for the duration of the call (the application's own binding is left alone,
    so a display can run inside the desk application or a test)."""

    def __init__(self, path: str) -> None:
        self.path = str(Path(path).resolve())
        self.db: peewee.SqliteDatabase | None = None
        self.watcher: Any = None
        self.identity: tuple[int, int] | None = None

    @property
    def connected(self) -> bool:
        return self.db is not None

    def connect(self) -> None:
        """Open the file read-only (never creating it) and start watching it."""
        self.close()
        identity = _identity(self.path)
        uri = Path(self.path).as_uri() + "?mode=ro"
        db = peewee.SqliteDatabase(
            uri,
            uri=True,
            timeout=BUSY_TIMEOUT_MS / 1000,
            pragmas={"busy_timeout": BUSY_TIMEOUT_MS, "query_only": 1},
        )
        db.connect()
        try:
            db.execute_sql("SELECT count(*) FROM sqlite_master").fetchone()
        except Exception:
            db.close()
            raise
        self.db = db
        self.identity = identity
        self.watcher = make_watcher(self.path)
        self._version = self._data_version()

    def _data_version(self) -> int:
        assert self.db is not None
        return int(self.db.execute_sql("PRAGMA data_version").fetchone()[0])

    def close(self) -> None:
        if self.watcher is not None:
            close_watcher(self.watcher)
        self.watcher = None
        if self.db is not None:
            try:
                self.db.close()
            except Exception:  # closing a connection to a vanished file
                log.debug("closing the display connection failed", exc_info=True)
        self.db = None
        self.identity = None

    def changed(self) -> bool:
        """Did another connection commit since the last call? DatabaseGone if the file left."""
        if _identity(self.path) != self.identity:
            raise DatabaseGone(self.path)
        if self.watcher is not None:
            return bool(self.watcher.changed())
        version = self._data_version()  # no watcher available: the same pragma, here
        changed, self._version = version != self._version, version
        return changed

    def reset(self) -> None:
        """Forget commits seen so far (called just before a read, which will include them)."""
        if self.watcher is not None and hasattr(self.watcher, "reset"):
            self.watcher.reset()
        elif self.db is not None:
            self._version = self._data_version()

    def read(self, fn: Callable[..., T], *args: Any) -> T:
        if self.db is None:
            raise DatabaseGone(self.path)
        with self.db.bind_ctx(ALL_MODELS, bind_refs=False, bind_backrefs=False):
            return fn(*args)


def _link_for(db_path: str | os.PathLike[str]) -> Any:
    """The read-only link for a file, or for a PostgreSQL server (LISTEN/NOTIFY)."""
    if is_postgres_url(db_path):
        from shop_desk.changes_pg import PgReadOnlyLink

        return PgReadOnlyLink(str(db_path))
    return ReadOnlyLink(_plain_path(db_path))


def _shop_name() -> str:
    row = ShopSettings.select(ShopSettings.name).first()  # never settings(): that may write
    return row.name if row is not None else ""


def _font(px: float, bold: bool = False, base: QFont | None = None) -> QFont:
    font = QFont(base) if base is not None else QFont()
    font.setPixelSize(max(8, int(px)))
    font.setBold(bold)
    return font


class DisplayWindow(QWidget):
    """The TV board. ``lounge=True`` is the customers' variant (plates and state only).

    Read-only by construction; everything drawn goes through :meth:`_text`, which records
    it in :attr:`painted_texts` (tests read what is on the screen from there)."""

    def __init__(
        self,
        db_path: str | os.PathLike[str],
        lounge: bool = False,
        parent: QWidget | None = None,
        page_seconds: int = PAGE_SECONDS,
        poll_ms: int = POLL_MS,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loungeDisplay" if lounge else "workshopDisplay")
        self.lounge = lounge
        self.link = _link_for(db_path)
        self.cards: list[BoardCard] = []
        self.field: list[FieldCard] = []
        self.shop_name = ""
        self.page = 0
        self.strip_page = 0
        self.reads = 0
        self.reconnecting = False
        self.last_error = ""
        self.loaded = False
        self._pending = False
        self.painted_texts: list[str] = []
        self.setWindowTitle(
            translate("Display", "Customer lounge display")
            if lounge
            else translate("Display", "Workshop display")
        )
        self.setAttribute(Qt.WidgetAttribute.WA_OpaquePaintEvent)
        self.setMinimumSize(640, 360)
        self.resize(1920, 1080)

        self.poll_timer = QTimer(self)
        self.poll_timer.setInterval(poll_ms)
        self.poll_timer.timeout.connect(self.poll)
        self.page_timer = QTimer(self)
        self.page_timer.setInterval(page_seconds * 1000)
        self.page_timer.timeout.connect(self.next_page)
        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(1000)
        self.clock_timer.timeout.connect(self.update)
        for timer in (self.poll_timer, self.page_timer, self.clock_timer):
            timer.start()
        quit_shortcut = QShortcut(QKeySequence("Ctrl+Q"), self)
        quit_shortcut.activated.connect(self.close)
        self.poll()

    # -- data ----------------------------------------------------------------------------
    def poll(self) -> None:
        """Reconnect if needed; re-read only when another process committed."""
        try:
            if not self.link.connected:
                self.link.connect()
                self._read()
            elif self.link.changed() or self._pending:
                self._read()
        except DatabaseGone as exc:
            self._lost(exc, keep_connection=False)
            return
        except (peewee.OperationalError, sqlite3.OperationalError) as exc:
            locked = "locked" in str(exc) or "busy" in str(exc)
            self._lost(exc, keep_connection=locked)
            return
        except Exception as exc:  # a TV display never stops: anything else, try again
            self._lost(exc, keep_connection=False)
            return
        if self.reconnecting:
            self.reconnecting = False
            self.last_error = ""
            log.info("display reconnected to %s", self.link.path)
            self.update()

    def _read(self) -> None:
        now = clock.now()
        self._pending = True
        self.link.reset()
        cards = self.link.read(board.board_cards, now)
        # the field jobs out now follow the cars (not on the customers' lounge screen)
        field = [] if self.lounge else self.link.read(board.field_cards, now)
        self.shop_name = self.link.read(_shop_name)
        self._pending = False
        self.reads += 1
        self.loaded = True
        self.cards = cards
        self.field = field
        self.page = self.page if self.page < self.page_count() else 0
        self.update()

    def _lost(self, exc: BaseException, keep_connection: bool) -> None:
        if not self.reconnecting:
            log.warning("display lost the database %s: %s", self.link.path, exc)
        self.last_error = str(exc)
        self._pending = True
        if not keep_connection:
            self.link.close()
        self.reconnecting = True
        self.update()

    # -- what is shown -------------------------------------------------------------------
    def table_cards(self) -> list[BoardCard]:
        """The cars in the table: everything not yet ready (those are in the strip)."""
        cards = [c for c in self.cards if c.state != State.READY.value]
        if self.lounge:
            cards.sort(key=lambda c: c.plate)
        return cards

    def table_rows(self) -> list[BoardCard | FieldCard]:
        """The table's rows: the cars, then the field jobs with people out (外出服务)."""
        return [*self.table_cards(), *self.field]

    def ready_cards(self) -> list[BoardCard]:
        return sorted(
            (c for c in self.cards if c.state == State.READY.value), key=lambda c: c.plate
        )

    def scale(self) -> float:
        return min(self.width() / 1920, self.height() / 1080)

    def _layout(self) -> dict[str, float]:
        s = self.scale()
        header = 124 * s
        col_header = 58 * s
        strip = 168 * s
        row = (104 if self.lounge else 92) * s
        top = header + col_header
        available = self.height() - top - strip
        return {
            "s": s,
            "header": header,
            "col_header": col_header,
            "strip": strip,
            "row": row,
            "top": top,
            "available": available,
        }

    def rows_per_page(self) -> int:
        geo = self._layout()
        return max(1, int(geo["available"] // geo["row"]))

    def page_count(self) -> int:
        n = len(self.table_rows())
        per = self.rows_per_page()
        return max(1, (n + per - 1) // per)

    def page_rows(self) -> list[BoardCard | FieldCard]:
        per = self.rows_per_page()
        start = self.page * per
        return self.table_rows()[start : start + per]

    def next_page(self) -> None:
        """Show the next page (and the next part of the ready strip)."""
        count = self.page_count()
        self.page = (self.page + 1) % count
        self.strip_page += 1
        self.update()

    def columns(self) -> list[tuple[str, float]]:
        """Column titles and their share of the width."""
        if self.lounge:
            return [
                (translate("Display", "Plate"), 0.45),
                (translate("Display", "Status"), 0.55),
            ]
        return [
            (translate("Display", "Plate"), 0.17),
            (translate("Display", "Model"), 0.19),
            (translate("Display", "Team"), 0.25),
            (translate("Display", "Status"), 0.24),
            (translate("Display", "Promised"), 0.15),
        ]

    def row_texts(self, card: BoardCard | FieldCard) -> list[str]:
        """The main text of each column for ``card`` (the lounge: plate and state only). A
        field job: its plate (or number), the place, the crew, "Field: state" and the
        customer's required arrival time."""
        if isinstance(card, FieldCard):
            return [
                card.plate or card.number,
                card.place,
                join_list(card.crew) or "—",
                translate("Display", "Field: {state}").format(state=field_state_label(card.state)),
                promised_text(card.required_at, clock.now()),
            ]
        if self.lounge:
            return [card.plate, self.lounge_state(card.state)]
        now = clock.now()
        return [
            card.plate,
            card.model,
            card.team or "—",
            state_label(card.state),
            promised_text(card.promised_at, now),
        ]

    @staticmethod
    def lounge_state(state: str) -> str:
        """Customer words for the states (no internal steps like rework)."""
        return {
            State.AWAITING_DISPATCH.value: translate("Display", "Waiting for a bay"),
            State.IN_PROGRESS.value: translate("Display", "Being worked on"),
            State.WAITING_PARTS.value: translate("Display", "Waiting for parts to arrive"),
            State.WAITING_AUTHORISATION.value: translate("Display", "Waiting for your approval"),
            State.FINAL_QC.value: translate("Display", "Quality check"),
            State.REWORK.value: translate("Display", "Being worked on"),
            State.WASHING.value: translate("Display", "Car wash"),
            State.READY.value: translate("Display", "Ready for pickup"),
        }.get(state, state_label(state))

    def is_overdue(self, card: BoardCard | FieldCard) -> bool:
        if isinstance(card, FieldCard):
            left = field_minutes_left(card, clock.now())
            return (left is not None and left < 0) or (left is None and card.minutes_late > 0)
        left = minutes_left(card.promised_at, clock.now())
        return left is not None and left < 0

    def small_time_text(self, card: BoardCard | FieldCard) -> str:
        """Under the time: how long until it or how late (a field job: arrival on site)."""
        now = clock.now()
        if isinstance(card, FieldCard):
            left = field_minutes_left(card, now)
            if left is None:
                if card.minutes_late:
                    return translate("Display", "arrived {time} late").format(
                        time=duration_text(card.minutes_late)
                    )
                return translate("Display", "on site")
        else:
            left = minutes_left(card.promised_at, now)
        if left is None:
            return ""
        if left < 0:
            return translate("Display", "overdue {time}").format(time=duration_text(left))
        return translate("Display", "in {time}").format(time=duration_text(left))

    # -- painting ------------------------------------------------------------------------
    def _text(
        self,
        p: QPainter,
        rect: QRect | QRectF,
        text: str,
        font: QFont,
        colour: QColor,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
    ) -> None:
        r = QRect(int(rect.x()), int(rect.y()), int(rect.width()), int(rect.height()))
        fm = QFontMetrics(font)
        shown = fm.elidedText(text, Qt.TextElideMode.ElideRight, max(0, r.width()))
        p.setFont(font)
        p.setPen(colour)
        p.drawText(r, int(align), shown)
        self.painted_texts.append(shown)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.painted_texts = []
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        p.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        p.fillRect(self.rect(), BACKGROUND)
        geo = self._layout()
        self._paint_header(p, geo)
        self._paint_table(p, geo)
        self._paint_strip(p, geo)
        p.end()

    def _paint_header(self, p: QPainter, geo: dict[str, float]) -> None:
        s = geo["s"]
        w = self.width()
        margin = 40 * s
        base = self.font()
        now = clock.now()
        title = (
            translate("Display", "Service progress")
            if self.lounge
            else translate("Display", "Workshop")
        )
        self._text(
            p,
            QRectF(margin, 14 * s, w * 0.62, 58 * s),
            self.shop_name or "shop-desk",
            _font(44 * s, True, base),
            TEXT,
        )
        self._text(
            p, QRectF(margin, 72 * s, w * 0.62, 40 * s), title, _font(30 * s, False, base), MUTED
        )
        clock_rect = QRectF(w - margin - 260 * s, 10 * s, 260 * s, 76 * s)
        self._text(
            p,
            clock_rect,
            now.strftime("%H:%M"),
            _font(68 * s, True, base),
            TEXT,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
        )
        self._text(
            p,
            QRectF(w - margin - 520 * s, 82 * s, 520 * s, 34 * s),
            self._date_text(now),
            _font(26 * s, False, base),
            MUTED,
            Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
        )
        if self.reconnecting:
            mark = translate("Display", "● Reconnecting…")
            self._text(
                p,
                QRectF(w - margin - 820 * s, 24 * s, 520 * s, 40 * s),
                mark,
                _font(26 * s, True, base),
                AMBER,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            )
        p.setPen(QPen(QColor("#2a3540"), max(1.0, 2 * s)))
        p.drawLine(int(margin), int(geo["header"]), int(w - margin), int(geo["header"]))

    @staticmethod
    def _date_text(now: dt.datetime) -> str:
        if current_language() == "zh_CN":
            days = "一二三四五六日"
            return f"{now.year}年{now.month}月{now.day}日 星期{days[now.weekday()]}"
        return now.strftime("%A %d %B %Y")

    def _column_rects(self, geo: dict[str, float], y: float, h: float) -> list[QRectF]:
        s = geo["s"]
        margin = 40 * s
        width = self.width() - 2 * margin
        x = margin
        rects = []
        for _title, share in self.columns():
            rects.append(QRectF(x + 18 * s, y, width * share - 24 * s, h))
            x += width * share
        return rects

    def _paint_table(self, p: QPainter, geo: dict[str, float]) -> None:
        s = geo["s"]
        base = self.font()
        margin = 40 * s
        y0 = geo["header"]
        head_font = _font(28 * s, False, base)
        for (title, _share), rect in zip(
            self.columns(),
            self._column_rects(geo, y0 + 6 * s, geo["col_header"] - 6 * s),
            strict=True,
        ):
            self._text(p, rect, title, head_font, MUTED)
        count = self.page_count()
        if count > 1:
            self._text(
                p,
                QRectF(
                    self.width() - margin - 300 * s, y0 + 6 * s, 300 * s, geo["col_header"] - 6 * s
                ),
                translate("Display", "Page {n} / {count}").format(n=self.page + 1, count=count),
                head_font,
                MUTED,
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            )
        rows = self.page_rows()
        if not rows:
            text = (
                translate("Display", "Connecting to the database…")
                if not self.loaded
                else translate("Display", "No cars in the workshop right now.")
            )
            self._text(
                p,
                QRectF(margin, geo["top"] + 40 * s, self.width() - 2 * margin, 80 * s),
                text,
                _font(40 * s, False, base),
                MUTED,
                Qt.AlignmentFlag.AlignCenter,
            )
            return
        row_h = geo["row"]
        for n, card in enumerate(rows):
            top = geo["top"] + n * row_h
            band = QRectF(margin, top + 3 * s, self.width() - 2 * margin, row_h - 6 * s)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(ROW_A if n % 2 == 0 else ROW_B)
            p.drawRoundedRect(band, 8 * s, 8 * s)
            overdue = self.is_overdue(card)
            if overdue and not self.lounge:
                p.setBrush(OVERDUE)
                p.drawRoundedRect(QRectF(band.x(), band.y(), 10 * s, band.height()), 4 * s, 4 * s)
            rects = self._column_rects(geo, band.y(), band.height())
            texts = self.row_texts(card)
            plate_font = _font((56 if self.lounge else 48) * s, True, base)
            body_font = _font((44 if self.lounge else 38) * s, False, base)
            self._text(p, rects[0], texts[0], plate_font, TEXT)
            if self.lounge:
                self._paint_state(p, rects[1], texts[1], card.state, body_font, s)
                continue
            field = isinstance(card, FieldCard)
            self._text(p, rects[1], texts[1], body_font, TEXT)
            staffed = card.crew if field else card.team
            self._text(p, rects[2], texts[2], body_font, TEXT if staffed else MUTED)
            self._paint_state(
                p,
                rects[3],
                texts[3],
                card.state,
                _font(30 * s, True, base),
                s,
                colour=FIELD if field else None,
            )
            time_rect = rects[4]
            colour = OVERDUE if overdue else TEXT
            upper = QRectF(
                time_rect.x(), time_rect.y() + 4 * s, time_rect.width(), time_rect.height() * 0.58
            )
            self._text(p, upper, texts[4], _font(42 * s, True, base), colour)
            small = self.small_time_text(card)
            if small:
                lower = QRectF(
                    time_rect.x(),
                    upper.bottom() - 2 * s,
                    time_rect.width(),
                    time_rect.height() * 0.36,
                )
                self._text(
                    p, lower, small, _font(24 * s, overdue, base), OVERDUE if overdue else MUTED
                )

    def _paint_state(
        self,
        p: QPainter,
        rect: QRectF,
        text: str,
        state: str,
        font: QFont,
        s: float,
        colour: QColor | None = None,
    ) -> None:
        fm = QFontMetrics(font)
        width = min(rect.width(), fm.horizontalAdvance(text) + 36 * s)
        height = min(rect.height() - 16 * s, fm.height() + 16 * s)
        pill = QRectF(rect.x(), rect.y() + (rect.height() - height) / 2, width, height)
        p.setPen(Qt.PenStyle.NoPen)
        if self.lounge and state == State.REWORK.value:
            state = State.IN_PROGRESS.value  # customers see "being worked on", also in colour
        p.setBrush(colour or state_colour(state))
        p.drawRoundedRect(pill, height / 2, height / 2)
        self._text(
            p,
            pill.adjusted(14 * s, 0, -14 * s, 0),
            text,
            font,
            QColor("#ffffff"),
            Qt.AlignmentFlag.AlignCenter,
        )

    def strip_pages(
        self, width: float, font: QFont, gap: float, start_x: float
    ) -> list[list[BoardCard]]:
        """The ready cars split into what fits on the strip at once."""
        fm = QFontMetrics(font)
        pages: list[list[BoardCard]] = [[]]
        x = start_x
        for card in self.ready_cards():
            w = fm.horizontalAdvance(card.plate) + gap * 2
            if pages[-1] and x + w > width:
                pages.append([])
                x = start_x
            pages[-1].append(card)
            x += w + gap
        return pages

    def _paint_strip(self, p: QPainter, geo: dict[str, float]) -> None:
        s = geo["s"]
        base = self.font()
        margin = 40 * s
        top = self.height() - geo["strip"]
        area = QRectF(margin, top + 10 * s, self.width() - 2 * margin, geo["strip"] - 26 * s)
        p.setPen(Qt.PenStyle.NoPen)
        p.setBrush(QColor("#12301c"))
        p.drawRoundedRect(area, 12 * s, 12 * s)
        label_rect = QRectF(area.x() + 26 * s, area.y() + 8 * s, area.width() - 52 * s, 40 * s)
        self._text(
            p,
            label_rect,
            translate("Display", "Ready for pickup"),
            _font(30 * s, True, base),
            QColor("#7ddc93"),
        )
        font = _font(48 * s, True, base)
        fm = QFontMetrics(font)
        gap = 22 * s
        pages = self.strip_pages(area.right() - 26 * s, font, gap, area.x() + 26 * s)
        shown = pages[self.strip_page % len(pages)]
        if not shown:
            self._text(
                p,
                QRectF(area.x() + 26 * s, area.y() + 54 * s, area.width() - 52 * s, 64 * s),
                "—",
                _font(40 * s, False, base),
                MUTED,
            )
            return
        x = area.x() + 26 * s
        y = area.y() + 52 * s
        h = fm.height() + 12 * s
        for card in shown:
            w = fm.horizontalAdvance(card.plate) + gap * 2
            pill = QRectF(x, y, w, h)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(READY_GREEN)
            p.drawRoundedRect(pill, 10 * s, 10 * s)
            self._text(p, pill, card.plate, font, QColor("#ffffff"), Qt.AlignmentFlag.AlignCenter)
            x += w + gap
        if len(pages) > 1:
            more = translate("Display", "{n} / {count}").format(
                n=self.strip_page % len(pages) + 1, count=len(pages)
            )
            self._text(
                p,
                QRectF(area.right() - 200 * s, area.y() + 8 * s, 174 * s, 40 * s),
                more,
                _font(26 * s, False, base),
                QColor("#7ddc93"),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
            )

    # -- lifetime ------------------------------------------------------------------------
    def showEvent(self, event) -> None:  # noqa: ANN001, N802 - Qt's name
        super().showEvent(event)
        fit_to_screen(self)  # a 1920×1080 TV board shown on a smaller screen

    def closeEvent(self, event) -> None:  # noqa: ANN001
        for timer in (self.poll_timer, self.page_timer, self.clock_timer):
            timer.stop()
        self.link.close()
        super().closeEvent(event)


def choose_screen(screen: int | None) -> QScreen | None:
    """``QGuiApplication.screens()[screen]``; the primary screen (with a warning) otherwise."""
    screens = QGuiApplication.screens()
    if screen is not None and 0 <= screen < len(screens):
        return screens[screen]
    if screen is not None:
        print(
            translate(
                "Display", "Screen {n} does not exist (screens 0 to {last}); using the main screen."
            ).format(n=screen, last=len(screens) - 1),
            file=sys.stderr,
        )
    return QGuiApplication.primaryScreen()


def show_on(window: QWidget, screen: QScreen | None, full_screen: bool = True) -> None:
    """Full screen on ``screen`` (the mouse cursor hidden: nobody operates a TV)."""
    if screen is not None:
        window.setScreen(screen)
        window.setGeometry(screen.geometry())
    window.setCursor(Qt.CursorShape.BlankCursor)
    if full_screen:
        window.showFullScreen()
    else:
        window.show()


def run_display(
    db_path: str, lang: str | None, screen: int | None = None, lounge: bool = False
) -> int:
    """Run the workshop (or lounge) display until closed; the process exit code."""
    from shop_desk.app import create_application
    from shop_desk.logsetup import install_excepthook, setup_logging

    setup_logging()
    install_excepthook(None)
    app = create_application(lang)
    path = _plain_path(db_path)
    if not is_postgres_url(path) and not Path(path).is_file():
        print(
            translate("Display", "Database file not found: {path}").format(path=path),
            file=sys.stderr,
        )
        return 2
    window = DisplayWindow(path, lounge=lounge)
    show_on(window, choose_screen(screen))
    return int(app.exec())
