"""The board's field strip (外出服务): the field jobs with people out now, each with its crew,
place, the customer's required arrival time and how late it is in words. Read-only: field
jobs are run from the field-service desk; the board shows them so the supervisor sees who
is out of the workshop. The strip hides itself while nobody is out, so the state columns
keep their room on a small screen."""

from __future__ import annotations

import datetime as dt
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QScrollArea, QSizePolicy, QWidget

from shop_desk.field_states import state_label as field_state_label
from shop_desk.i18n import translate
from shop_desk.services.board import FieldCard
from shop_desk.ui.shell.widgets import join_list
from shop_desk.ui.workshop.cards import field_time_colour, field_time_text, promised_text

FIELD_COLOUR = "#00695c"


def field_card_lines(card: FieldCard, now: dt.datetime) -> list[str]:
    """What a field card says, in reading order (plain text): number and plate, state, crew,
    place, the required time, how late."""
    return [
        " · ".join(x for x in (card.number, card.plate) if x),
        field_state_label(card.state),
        join_list(card.crew) or translate("WorkshopBoard", "No crew"),
        card.place,
        translate("WorkshopBoard", "Required on site {time}").format(
            time=promised_text(card.required_at, now)
        ),
        field_time_text(card, now),
    ]


class FieldCardWidget(QFrame):
    """One field job on the board (not draggable: the field desk dispatches it)."""

    WIDTH = 250

    def __init__(self, card: FieldCard, now: dt.datetime, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"fieldCard_{card.job_id}")
        self.setFixedWidth(self.WIDTH)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(6, 3, 6, 3)
        self.label = QLabel(self)
        self.label.setWordWrap(True)
        self.label.setTextFormat(Qt.TextFormat.RichText)
        layout.addWidget(self.label)
        self.card = card
        self.now = now
        self._show()

    def set_card(self, card: FieldCard, now: dt.datetime) -> bool:
        """Show ``card`` at ``now``; False when nothing changed."""
        if card == self.card and now == self.now:
            return False
        self.card, self.now = card, now
        self._show()
        return True

    def lines(self) -> list[str]:
        return field_card_lines(self.card, self.now)

    def _show(self) -> None:
        head, state, crew, place, due, late = (escape(x) for x in self.lines())
        colour = field_time_colour(self.card, self.now).name()
        self.label.setText(
            f"<b>{head}</b> <span style='color:#555'>{state}</span><br>"
            f"{crew} · <span style='color:#555'>{place}</span><br>"
            f"{due} · <span style='color:{colour}; font-weight:bold'>{late}</span>"
        )
        border = "#c62828" if self.card.late else "#c9ced6"
        self.setStyleSheet(
            f"FieldCardWidget {{ background:#ffffff; border:1px solid {border};"
            " border-radius:5px; }"
        )
        text = "; ".join(self.lines())
        self.setToolTip(text)
        self.setAccessibleName(text)


class FieldStrip(QFrame):
    """The field jobs out now, in a row under the board's title (hidden while none)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("fieldStrip")
        self.setStyleSheet(
            f"FieldStrip {{ background:#eef4f3; border-left:4px solid {FIELD_COLOUR};"
            " border-radius:4px; }"
        )
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Maximum)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(8, 4, 4, 4)
        self.header = QLabel(self)
        self.header.setObjectName("fieldHeader")
        font = QFont(self.header.font())
        font.setBold(True)
        self.header.setFont(font)
        self.header.setWordWrap(True)
        self.header.setFixedWidth(90)
        layout.addWidget(self.header)
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
        )
        self.host = QWidget()
        self.cards_layout = QHBoxLayout(self.host)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout.setSpacing(6)
        self.cards_layout.addStretch(1)
        self.scroll.setWidget(self.host)
        layout.addWidget(self.scroll, 1)
        self.widgets: dict[int, FieldCardWidget] = {}
        self.cards: list[FieldCard] = []
        self.set_cards([], dt.datetime.min)

    def title(self) -> str:
        return translate("WorkshopBoard", "Field (out now)")

    def set_cards(self, cards: list[FieldCard], now: dt.datetime) -> int:
        """Show these field jobs in this order; how many cards were made, changed or
        removed."""
        changed = 0
        ids = {c.job_id for c in cards}
        for job_id in [i for i in self.widgets if i not in ids]:
            widget = self.widgets.pop(job_id)
            self.cards_layout.removeWidget(widget)
            widget.deleteLater()
            changed += 1
        for n, card in enumerate(cards):
            widget = self.widgets.get(card.job_id)
            if widget is None:
                widget = FieldCardWidget(card, now, self.host)
                self.widgets[card.job_id] = widget
                changed += 1
            elif widget.set_card(card, now):
                changed += 1
            if self.cards_layout.indexOf(widget) != n:
                self.cards_layout.removeWidget(widget)
                self.cards_layout.insertWidget(n, widget)
        self.cards = list(cards)
        self.header.setText(f"{self.title()}\n({len(cards)})")
        self.header.setAccessibleName(f"{self.title()} ({len(cards)})")
        if cards:
            tallest = max(w.sizeHint().height() for w in self.widgets.values())
            self.scroll.setFixedHeight(
                tallest + 2 + self.scroll.horizontalScrollBar().sizeHint().height()
            )
        self.setVisible(bool(cards))
        return changed

    def set_now(self, now: dt.datetime) -> None:
        """Keep "late by …" current between reads."""
        for widget in self.widgets.values():
            widget.set_card(widget.card, now)

    def card_texts(self) -> list[list[str]]:
        """What each card says, in the strip's order."""
        return [self.widgets[c.job_id].lines() for c in self.cards]
