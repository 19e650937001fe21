"""What a car on the workshop board looks like: texts, colours and the draggable card widget.

Shared by the supervisor's board (:mod:`shop_desk.ui.workshop.board`) and the workshop TV
display (:mod:`shop_desk.ui.workshop.display`) so both say "overdue" the same way and colour the
states alike. Everything here reads only the :class:`~shop_desk.services.board.BoardCard`
it is given; nothing touches the database.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from dataclasses import dataclass

from PySide6.QtCore import QMimeData, QPoint, QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QContextMenuEvent,
    QDrag,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QMouseEvent,
    QPainter,
    QPaintEvent,
    QPen,
)
from PySide6.QtWidgets import QApplication, QFrame, QSizePolicy, QWidget

from shop_desk.i18n import join_list, translate
from shop_desk.services.board import BoardCard, FieldCard
from shop_desk.states import State, state_label

log = logging.getLogger("shop_desk.ui.workshop.cards")

#: MIME type of a card being dragged (JSON: order_id, number, state, skills).
CARD_MIME = "application/x-shop-desk-order"

PRIORITY_URGENT, PRIORITY_NORMAL, PRIORITY_LOW = 1, 2, 3

#: States whose order can be dispatched (first time) or reassigned to another team.
DISPATCH_STATES = frozenset({State.AWAITING_DISPATCH.value})
REASSIGN_STATES = frozenset(
    {State.IN_PROGRESS.value, State.REWORK.value, State.WAITING_PARTS.value}
)

#: Minutes before the promised time from which a card is shown as "due soon".
DUE_SOON_MINUTES = 30

RED = QColor("#c62828")
RED_BG = QColor("#fdecea")
AMBER = QColor("#e65100")
GREEN = QColor("#2e7d32")
GREY = QColor("#6b6b6b")

#: One colour per workshop state (board column headers, TV display state pills).
STATE_COLOURS: dict[str, QColor] = {
    State.AWAITING_DISPATCH.value: QColor("#607d8b"),
    State.IN_PROGRESS.value: QColor("#1565c0"),
    State.WAITING_PARTS.value: QColor("#ef6c00"),
    State.WAITING_AUTHORISATION.value: QColor("#ad6800"),
    State.FINAL_QC.value: QColor("#6a1b9a"),
    State.REWORK.value: QColor("#c62828"),
    State.WASHING.value: QColor("#00838f"),
    State.READY.value: QColor("#2e7d32"),
}


ARROW_KEYS = tuple(
    k.value for k in (Qt.Key.Key_Up, Qt.Key.Key_Down, Qt.Key.Key_Left, Qt.Key.Key_Right)
)


def state_colour(state: str) -> QColor:
    return STATE_COLOURS.get(state, GREY)


def priority_label(priority: int) -> str:
    """派工优先度 as a word."""
    return {
        PRIORITY_URGENT: translate("BoardCards", "Urgent"),
        PRIORITY_NORMAL: translate("BoardCards", "Normal"),
        PRIORITY_LOW: translate("BoardCards", "Low"),
    }.get(priority, str(priority))


def minutes_left(promised_at: dt.datetime | None, now: dt.datetime) -> int | None:
    """Whole minutes until the promised time (negative once overdue), as the board read model."""
    if promised_at is None:
        return None
    return int((promised_at - now).total_seconds() // 60)


def duration_text(minutes: int) -> str:
    """ "2 h 05 min" / "45 min" (always positive)."""
    minutes = abs(minutes)
    hours, rest = divmod(minutes, 60)
    if hours >= 24:
        days, hours = divmod(hours, 24)
        return translate("BoardCards", "{d} d {h} h").format(d=days, h=hours)
    if hours:
        return translate("BoardCards", "{h} h {m:02d} min").format(h=hours, m=rest)
    return translate("BoardCards", "{m} min").format(m=rest)


def time_left_text(minutes: int | None) -> str:
    """What the card says under the promised time."""
    if minutes is None:
        return translate("BoardCards", "No promised time")
    if minutes < 0:
        return translate("BoardCards", "Overdue {time}").format(time=duration_text(minutes))
    return translate("BoardCards", "{time} left").format(time=duration_text(minutes))


def promised_text(promised_at: dt.datetime | None, now: dt.datetime) -> str:
    """The promised time short: "14:30" today, "11-03 09:00" on another day."""
    if promised_at is None:
        return "—"
    if promised_at.date() == now.date():
        return promised_at.strftime("%H:%M")
    return promised_at.strftime("%m-%d %H:%M")


def field_minutes_left(card: FieldCard, now: dt.datetime) -> int | None:
    """Minutes until the customer's required arrival time; None once the crew is on site."""
    return None if card.arrived_at is not None else minutes_left(card.required_at, now)


def field_time_text(card: FieldCard, now: dt.datetime) -> str:
    """The field job's lateness in words: due in / late by (not there yet), arrived late /
    on time."""
    left = field_minutes_left(card, now)
    if left is None:
        if card.minutes_late:
            return translate("BoardCards", "Arrived {time} late").format(
                time=duration_text(card.minutes_late)
            )
        return translate("BoardCards", "Arrived on time")
    if left < 0:
        return translate("BoardCards", "Late by {time}, not on site yet").format(
            time=duration_text(left)
        )
    return translate("BoardCards", "Due on site in {time}").format(time=duration_text(left))


def field_time_colour(card: FieldCard, now: dt.datetime) -> QColor:
    """Red late (not there yet or arrived late), amber due within half an hour, else green."""
    left = field_minutes_left(card, now)
    if (left is not None and left < 0) or (left is None and card.minutes_late):
        return RED
    if left is not None and left < DUE_SOON_MINUTES:
        return AMBER
    return GREEN


def is_overdue(card: BoardCard, now: dt.datetime) -> bool:
    left = minutes_left(card.promised_at, now)
    return left is not None and left < 0


def time_colour(card: BoardCard, now: dt.datetime) -> QColor:
    """Red overdue, amber due within half an hour, green otherwise (grey without a time)."""
    left = minutes_left(card.promised_at, now)
    if left is None:
        return GREY
    if left < 0:
        return RED
    if left < DUE_SOON_MINUTES:
        return AMBER
    return GREEN


@dataclass(frozen=True)
class Flag:
    key: str
    text: str
    colour: QColor


def card_flags(card: BoardCard) -> list[Flag]:
    """The small marks on a card: what the supervisor has to keep in mind about the job."""
    flags = []
    if card.customer_waiting:
        flags.append(
            Flag("waiting", translate("BoardCards", "Customer in lounge"), QColor("#1565c0"))
        )
    if card.warranty_pending:
        flags.append(
            Flag("warranty", translate("BoardCards", "Warranty pending"), QColor("#6a1b9a"))
        )
    if card.comeback:
        flags.append(Flag("comeback", translate("BoardCards", "Comeback"), RED))
    if card.additional_work_pending:
        flags.append(
            Flag("additional", translate("BoardCards", "Additional work"), QColor("#ad6800"))
        )
    if card.rework_count:
        flags.append(
            Flag(
                "rework",
                translate("BoardCards", "Rework ×{n}").format(n=card.rework_count),
                QColor("#8d3b00"),
            )
        )
    return flags


def who_text(card: BoardCard) -> str:
    """Team and technician of a dispatched job, or a dash."""
    if card.team and card.technician:
        return f"{card.team} · {card.technician}"
    return card.team or card.technician or translate("BoardCards", "Not dispatched")


def keys_hint() -> str:
    """The keys of a card on the board (tooltip and screen readers)."""
    return translate(
        "BoardCards",
        "Enter: open · D: dispatch or reassign · Space: details · arrow keys: next card",
    )


def accessible_texts(card: BoardCard, time_text: str) -> tuple[str, str]:
    """What a screen reader says of a card: the name (plate, model, state) and the
    description (order, who, advisor, priority, promised time, flags, keys)."""
    name = join_list(x for x in (card.plate, card.model, state_label(card.state)) if x)
    parts = [
        translate("BoardCards", "Order {number}").format(number=card.number),
        who_text(card),
        translate("BoardCards", "Advisor: {name}").format(name=card.advisor or "—"),
        translate("BoardCards", "Priority: {p}").format(p=priority_label(card.priority)),
        time_text,
        *(f.text for f in card_flags(card)),
        keys_hint(),
    ]
    return name, join_list([p for p in parts if p], clauses=True)


def card_mime(card: BoardCard, skills: list[str] | None = None) -> QMimeData:
    """The data a dragged card carries (what a team box reads on drop)."""
    mime = QMimeData()
    payload = {
        "order_id": card.order_id,
        "number": card.number,
        "state": card.state,
        "skills": sorted(skills or []),
    }
    mime.setData(CARD_MIME, json.dumps(payload).encode("utf-8"))
    mime.setText(f"{card.number} {card.plate}")
    return mime


def read_card_mime(mime: QMimeData | None) -> dict | None:
    """The payload of a dragged card, or None for anything else dropped."""
    if mime is None or not mime.hasFormat(CARD_MIME):
        return None
    try:
        data = json.loads(bytes(mime.data(CARD_MIME).data()).decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("order_id"), int):
        return None
    return data


class CardWidget(QFrame):
    """One car on the supervisor's board, painted compactly; draggable onto a team.

    Signals: ``selected(card)`` on click, ``activated(card)`` on double-click / Enter,
    ``menu_requested(card, QPoint global)`` on right-click or the menu key,
    ``navigate(card, key)`` for the arrow keys, ``dispatch_requested(card)`` for D (dispatch
    or reassign without dragging), ``details_requested(card)`` for Space.

    Painted, so it says what it shows to screen readers and tests through its accessible
    name (plate, model, state) and description (order, team, advisor, priority, times, flags,
    the keys)."""

    selected = Signal(object)
    activated = Signal(object)
    dispatch_requested = Signal(object)
    details_requested = Signal(object)
    menu_requested = Signal(object, QPoint)
    navigate = Signal(object, int)  # card, Qt.Key: arrow keys move between cards

    def __init__(self, card: BoardCard, now: dt.datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"card_{card.order_id}")
        self.card = card
        self.now = now
        self.is_selected = False
        self.draggable = False
        self.skills_for: object = None  # callable(order_id) -> list[str], set by the page
        self._press: QPoint | None = None
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self._update_tooltip()

    # -- state ---------------------------------------------------------------------------
    def set_card(self, card: BoardCard) -> bool:
        """Show ``card``; False (and no repaint) when nothing on it changed."""
        if card == self.card:
            return False
        self.card = card
        self._update_tooltip()
        self.updateGeometry()
        self.update()
        return True

    def set_now(self, now: dt.datetime) -> None:
        if now != self.now:
            self.now = now
            self._update_tooltip()
            self.update()

    def set_selected(self, value: bool) -> None:
        if value != self.is_selected:
            self.is_selected = value
            self.update()

    @property
    def overdue(self) -> bool:
        return is_overdue(self.card, self.now)

    def time_colour(self) -> QColor:
        return time_colour(self.card, self.now)

    def time_text(self) -> str:
        left = minutes_left(self.card.promised_at, self.now)
        if left is None:
            return time_left_text(None)
        return f"{promised_text(self.card.promised_at, self.now)} · {time_left_text(left)}"

    def time_left_short(self, room: int, fm: QFontMetrics) -> str:
        """ "Overdue 1 h 05 min" where it fits, else "−1 h 05 min", else elided."""
        left = minutes_left(self.card.promised_at, self.now)
        if left is None:
            return ""
        full = time_left_text(left)
        if fm.horizontalAdvance(full) <= room:
            return full
        sign = "−" if left < 0 else ""
        short = sign + duration_text(left)
        if fm.horizontalAdvance(short) <= room:
            return short
        hours, minutes = divmod(abs(left), 60)
        compact = f"{sign}{hours}:{minutes:02d}"  # a narrow card: "−1:05", "14:15"
        return fm.elidedText(compact, Qt.TextElideMode.ElideRight, max(0, room))

    def lines(self) -> list[str]:
        """The texts painted on the card, top to bottom (also used by tests)."""
        c = self.card
        out = [c.plate, c.model, who_text(c)]
        if c.advisor:
            out.append(translate("BoardCards", "Advisor: {name}").format(name=c.advisor))
        out.append(self.time_text())
        out.extend(f.text for f in card_flags(c))
        return out

    def _update_tooltip(self) -> None:
        c = self.card
        parts = [
            f"<b>{c.plate}</b> — {c.number}",
            c.model,
            state_label(c.state),
            who_text(c),
            translate("BoardCards", "Advisor: {name}").format(name=c.advisor or "—"),
            translate("BoardCards", "Priority: {p}").format(p=priority_label(c.priority)),
            self.time_text(),
        ]
        parts += [f.text for f in card_flags(c)]
        self.setToolTip("<br>".join(p for p in [*parts, keys_hint()] if p))
        name, description = accessible_texts(c, self.time_text())
        self.setAccessibleName(name)
        self.setAccessibleDescription(description)

    # -- geometry and painting -----------------------------------------------------------
    def _line_height(self) -> int:
        return QFontMetrics(self.font()).height()

    def sizeHint(self) -> QSize:
        lh = self._line_height()
        flags = card_flags(self.card)
        rows = 4 + (1 if self.card.advisor else 0)
        height = 10 + rows * (lh + 1) + lh // 3 + (lh + 6 if flags else 0) + 6
        return QSize(180, height)

    def minimumSizeHint(self) -> QSize:
        return QSize(96, self.sizeHint().height())

    def paintEvent(self, event: QPaintEvent) -> None:
        c = self.card
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = self.rect().adjusted(1, 1, -2, -2)
        overdue = self.overdue
        background = RED_BG if overdue else QColor("#ffffff")
        border = RED if overdue else QColor("#c9ced6")
        if self.is_selected:
            border = QColor("#1e63c6")
        p.setPen(QPen(border, 2 if (self.is_selected or overdue) else 1))
        p.setBrush(background)
        p.drawRoundedRect(rect, 5, 5)
        # priority stripe on the left: red urgent, grey low
        if c.priority != PRIORITY_NORMAL:
            stripe = RED if c.priority == PRIORITY_URGENT else QColor("#9e9e9e")
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(stripe)
            p.drawRoundedRect(QRect(rect.left() + 1, rect.top() + 1, 5, rect.height() - 1), 2, 2)
        fm = QFontMetrics(self.font())
        lh = fm.height()
        x = rect.left() + 10
        width = rect.width() - 16
        y = rect.top() + 6
        bold = QFont(self.font())
        bold.setBold(True)
        bold.setPointSizeF(self.font().pointSizeF() * 1.15)
        bfm = QFontMetrics(bold)
        # plate + priority badge
        badge = priority_label(c.priority) if c.priority != PRIORITY_NORMAL else ""
        badge_w = fm.horizontalAdvance(badge) + 10 if badge else 0
        room = width - badge_w - 4
        if badge and bfm.elidedText(c.plate, Qt.TextElideMode.ElideRight, room) != c.plate:
            badge, badge_w = "", 0  # the plate comes first; the stripe still shows priority
        p.setFont(bold)
        p.setPen(QColor("#111111"))
        p.drawText(
            QRect(x, y, width - badge_w - 4, bfm.height()),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            bfm.elidedText(c.plate, Qt.TextElideMode.ElideRight, width - badge_w - 4),
        )
        if badge:
            p.setFont(self.font())
            colour = RED if c.priority == PRIORITY_URGENT else GREY
            box = QRect(x + width - badge_w, y + (bfm.height() - lh) // 2, badge_w, lh)
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(colour)
            p.drawRoundedRect(box, 3, 3)
            p.setPen(QColor("#ffffff"))
            p.drawText(box, Qt.AlignmentFlag.AlignCenter, badge)
        y += bfm.height() + 1
        p.setFont(self.font())

        def line(text: str, colour: QColor) -> None:
            nonlocal y
            p.setPen(colour)
            p.drawText(
                QRect(x, y, width, lh),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                fm.elidedText(text, Qt.TextElideMode.ElideRight, width),
            )
            y += lh + 1

        line(c.model, QColor("#444444"))
        line(who_text(c), QColor("#111111") if c.team else GREY)
        if c.advisor:
            text = translate("BoardCards", "Advisor: {name}").format(name=c.advisor)
            if fm.horizontalAdvance(text) > width:  # narrow: the name says enough
                text = c.advisor
            line(text, GREY)
        time_font = QFont(self.font())
        time_font.setBold(overdue)
        p.setFont(time_font)
        tfm = QFontMetrics(time_font)
        p.setPen(self.time_colour())
        left = minutes_left(c.promised_at, self.now)
        if left is None:
            p.drawText(
                QRect(x, y, width, lh),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                tfm.elidedText(time_left_text(None), Qt.TextElideMode.ElideRight, width),
            )
        else:
            when = promised_text(c.promised_at, self.now)
            p.drawText(
                QRect(x, y, width, lh),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                when,
            )
            room = width - tfm.horizontalAdvance(when) - 8
            text = self.time_left_short(room, tfm)
            p.drawText(
                QRect(x + width - room, y, room, lh),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                text,
            )
        y += lh + 1
        p.setFont(self.font())
        flags = card_flags(c)
        if flags:
            y += lh // 3
            fx = x
            small = QFont(self.font())
            small.setPointSizeF(self.font().pointSizeF() * 0.85)
            sfm = QFontMetrics(small)
            p.setFont(small)
            for flag in flags:
                w = sfm.horizontalAdvance(flag.text) + 8
                if fx + w > x + width and fx > x:
                    break  # the tooltip lists all of them
                box = QRect(fx, y, min(w, width), sfm.height() + 4)
                p.setPen(Qt.PenStyle.NoPen)
                fill = QColor(flag.colour)
                fill.setAlpha(36)
                p.setBrush(fill)
                p.drawRoundedRect(box, 3, 3)
                p.setPen(flag.colour)
                p.drawText(
                    box,
                    Qt.AlignmentFlag.AlignCenter,
                    sfm.elidedText(flag.text, Qt.TextElideMode.ElideRight, box.width() - 4),
                )
                fx += w + 4
        if self.hasFocus():
            p.setPen(QPen(QColor("#1e63c6"), 1, Qt.PenStyle.DotLine))
            p.setBrush(Qt.BrushStyle.NoBrush)
            p.drawRoundedRect(rect.adjusted(3, 3, -3, -3), 4, 4)
        p.end()

    # -- input ---------------------------------------------------------------------------
    def mousePressEvent(self, event: QMouseEvent) -> None:
        if event.button() in (Qt.MouseButton.LeftButton, Qt.MouseButton.RightButton):
            self.setFocus(Qt.FocusReason.MouseFocusReason)
            self.selected.emit(self.card)
        if event.button() == Qt.MouseButton.LeftButton:
            self._press = event.position().toPoint()
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        if (
            self._press is not None
            and self.draggable
            and event.buttons() & Qt.MouseButton.LeftButton
            and (event.position().toPoint() - self._press).manhattanLength()
            >= QApplication.startDragDistance()
        ):
            self._press = None
            self.start_drag()
            return
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        self._press = None
        super().mouseReleaseEvent(event)

    def mime_data(self) -> QMimeData:
        skills = self.skills_for(self.card.order_id) if callable(self.skills_for) else []
        return card_mime(self.card, skills)

    def start_drag(self) -> Qt.DropAction:
        """Drag this card (onto a team box); returns what the drop did."""
        drag = QDrag(self)
        drag.setMimeData(self.mime_data())
        pixmap = self.grab()
        drag.setPixmap(pixmap)
        drag.setHotSpot(QPoint(pixmap.width() // 2, 12))
        return drag.exec(Qt.DropAction.MoveAction)

    def mouseDoubleClickEvent(self, event: QMouseEvent) -> None:
        if event.button() == Qt.MouseButton.LeftButton:
            self.activated.emit(self.card)
            return
        super().mouseDoubleClickEvent(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
            self.activated.emit(self.card)
            return
        plain = event.modifiers() in (
            Qt.KeyboardModifier.NoModifier,
            Qt.KeyboardModifier.KeypadModifier,
        )
        if plain and event.key() == Qt.Key.Key_D:
            self.dispatch_requested.emit(self.card)
            return
        if plain and event.key() == Qt.Key.Key_Space:
            self.details_requested.emit(self.card)
            return
        key = getattr(event.key(), "value", event.key())
        if key in ARROW_KEYS:
            self.navigate.emit(self.card, key)
            return
        super().keyPressEvent(event)

    def focusInEvent(self, event) -> None:  # noqa: ANN001
        super().focusInEvent(event)
        self.selected.emit(self.card)
        self.update()

    def focusOutEvent(self, event) -> None:  # noqa: ANN001
        super().focusOutEvent(event)
        self.update()

    def contextMenuEvent(self, event: QContextMenuEvent) -> None:
        self.selected.emit(self.card)
        self.menu_requested.emit(self.card, event.globalPos())
        event.accept()
