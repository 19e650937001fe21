"""The board's state columns and its teams strip: one box per team with a load bar (hours
today against capacity) and its skills; a card dropped on a box asks for a dispatch
(:attr:`TeamBox.card_dropped`)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from PySide6.QtCore import QRect, QSize, Qt, Signal
from PySide6.QtGui import (
    QColor,
    QDragEnterEvent,
    QDragLeaveEvent,
    QDragMoveEvent,
    QDropEvent,
    QFont,
    QPainter,
    QPaintEvent,
)
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from shop_desk.i18n import translate
from shop_desk.services.board import BoardCard, TeamLoad
from shop_desk.skills import skills_text
from shop_desk.states import state_label
from shop_desk.ui.shell.widgets import join_list
from shop_desk.ui.workshop.cards import (
    DISPATCH_STATES,
    REASSIGN_STATES,
    CardWidget,
    read_card_mime,
    state_colour,
)

if TYPE_CHECKING:
    pass
from shop_desk.ui.workshop.reads import fmt_hours

# --- columns and team boxes ----------------------------------------------------------------


class BoardColumn(QFrame):
    """One state of the workshop: a coloured header with the count, cards below."""

    def __init__(self, state: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.state = state
        self.setObjectName(f"column_{state}")
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setMinimumWidth(122)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        colour = state_colour(state).name()
        self.setStyleSheet(
            f"BoardColumn {{ background: #eef1f5; border-radius: 6px; border-top: 4px solid {colour}; }}"
        )
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 6, 4, 4)
        layout.setSpacing(4)
        self.header = QLabel(self)
        self.header.setObjectName("columnHeader")
        font = QFont(self.header.font())
        font.setBold(True)
        self.header.setFont(font)
        self.header.setWordWrap(True)
        self.header.setAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        layout.addWidget(self.header)
        self._count = "0"
        self.scroll = QScrollArea(self)
        self.scroll.setWidgetResizable(True)
        self.scroll.setFrameShape(QFrame.Shape.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.scroll.setStyleSheet(
            "QScrollArea, QScrollArea > QWidget > QWidget { background: transparent; }"
        )
        self.host = QWidget()
        self.cards_layout = QVBoxLayout(self.host)
        self.cards_layout.setContentsMargins(0, 0, 0, 0)
        self.cards_layout.setSpacing(5)
        self.cards_layout.addStretch(1)
        self.scroll.setWidget(self.host)
        layout.addWidget(self.scroll, 1)
        self.widgets: list[CardWidget] = []
        self.set_count(0, 0)

    def title(self) -> str:
        return state_label(self.state)

    def set_count(self, shown: int, total: int) -> None:
        self._count = str(total) if shown == total else f"{shown}/{total}"
        self._show_header()

    def header_text(self) -> str:
        return f"{self.title()}  ({self._count})"

    def header_lines(self) -> int:
        """Lines the header needs at this width: the state's name wraps rather than ending
        in "…" ("Waiting for authorisation" on a narrow column); at most two."""
        fm = self.header.fontMetrics()
        room = max(20, self.width() - 12)
        words = self.header_text().split()
        if any(fm.horizontalAdvance(w) > room for w in words):
            return 2
        flags = Qt.TextFlag.TextWordWrap
        height = fm.boundingRect(QRect(0, 0, room, 10_000), flags, self.header_text()).height()
        return min(2, max(1, round(height / fm.lineSpacing())))

    def _show_header(self) -> None:
        fm = self.header.fontMetrics()
        room = max(20, self.width() - 12)
        text = self.header_text()
        if any(fm.horizontalAdvance(w) > room for w in text.split()):  # a word wider than
            text = fm.elidedText(text, Qt.TextElideMode.ElideRight, room)  # the column
        self.header.setText(text)
        self.header.setToolTip(self.header_text())
        self.header.setAccessibleName(self.header_text())
        # the columns side by side keep their headers equally tall, so the cards line up
        columns = [self]
        if self.parentWidget() is not None:
            columns = self.parentWidget().findChildren(BoardColumn) or columns
        lines = max(c.header_lines() for c in columns)
        height = lines * fm.lineSpacing() + 2
        for column in columns:
            if column.header.height() != height or column.header.minimumHeight() != height:
                column.header.setFixedHeight(height)

    def resizeEvent(self, event) -> None:  # noqa: ANN001
        super().resizeEvent(event)
        self._show_header()

    def set_widgets(self, widgets: list[CardWidget]) -> bool:
        """Show exactly these cards in this order; False when nothing had to move."""
        if [id(w) for w in widgets] == [id(w) for w in self.widgets]:
            return False
        for w in self.widgets:
            self.cards_layout.removeWidget(w)
        for n, w in enumerate(widgets):
            self.cards_layout.insertWidget(n, w)
        self.widgets = list(widgets)
        return True

    def cards(self) -> list[BoardCard]:
        return [w.card for w in self.widgets]


class LoadBar(QWidget):
    """Assigned hours against capacity: green, amber above 85 %, red over capacity."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.assigned = Decimal("0")
        self.capacity = Decimal("0")
        self.setMinimumHeight(12)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_values(self, assigned: Decimal, capacity: Decimal) -> None:
        self.assigned, self.capacity = assigned, capacity
        self.update()

    def sizeHint(self) -> QSize:
        return QSize(120, 12)

    def colour(self) -> QColor:
        if self.capacity <= 0 or self.assigned > self.capacity:
            return QColor("#c62828")
        if self.assigned > self.capacity * Decimal("0.85"):
            return QColor("#ef6c00")
        return QColor("#2e7d32")

    def paintEvent(self, event: QPaintEvent) -> None:
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        r = self.rect().adjusted(0, 1, -1, -1)
        p.setPen(QColor("#b0b7c0"))
        p.setBrush(QColor("#ffffff"))
        p.drawRoundedRect(r, 3, 3)
        share = 1.0 if self.capacity <= 0 else min(1.0, float(self.assigned / self.capacity))
        if share > 0:
            p.setPen(Qt.PenStyle.NoPen)
            p.setBrush(self.colour())
            p.drawRoundedRect(
                QRect(r.left(), r.top(), max(4, int(r.width() * share)), r.height()), 3, 3
            )
        p.end()


class TeamBox(QFrame):
    """A team today: name, leader and members, skills, hours assigned against capacity.

    A drop target: dropping a card emits :attr:`card_dropped(payload, team_id)`; while a
    card hovers over it the box says whether the team has the skills the job needs."""

    card_dropped = Signal(dict, int)

    def __init__(self, load: TeamLoad, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName(f"team_{load.team_id}")
        self.load = load
        self.accepting = False  # set by the page: may this person dispatch?
        self.setAcceptDrops(True)
        self.setMinimumWidth(210)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.setSpacing(2)
        top = QHBoxLayout()
        self.name_label = QLabel(self)
        font = QFont(self.name_label.font())
        font.setBold(True)
        self.name_label.setFont(font)
        top.addWidget(self.name_label, 1)
        self.hours_label = QLabel(self)
        self.hours_label.setObjectName("hoursLabel")
        top.addWidget(self.hours_label)
        layout.addLayout(top)
        self.bar = LoadBar(self)
        layout.addWidget(self.bar)
        self.hint_label = QLabel(self)
        self.hint_label.setObjectName("dropHint")
        self.hint_label.setWordWrap(True)
        self.hint_label.hide()
        layout.addWidget(self.hint_label)
        self.members_label = QLabel(self)
        self.members_label.setWordWrap(True)
        layout.addWidget(self.members_label)
        self.skills_label = QLabel(self)
        self.skills_label.setWordWrap(True)
        self.skills_label.setStyleSheet("color:#555;")
        layout.addWidget(self.skills_label)
        self._set_style(False)
        self.set_load(load)

    def _set_style(self, hovering: bool) -> None:
        if hovering:
            css = "TeamBox { background:#e3f0ff; border:2px dashed #1e63c6; border-radius:6px; }"
        else:
            css = "TeamBox { background:#ffffff; border:1px solid #c9ced6; border-radius:6px; }"
        self.setStyleSheet(css)

    def set_load(self, load: TeamLoad) -> bool:
        """Show ``load``; False when nothing changed."""
        if load == self.load and self.name_label.text():
            return False
        self.load = load
        self.name_label.setText(load.name)
        members = [
            translate("WorkshopBoard", "{name} (leader)").format(name=m.name)
            if m.is_leader
            else m.name
            for m in load.members
        ]
        self.members_label.setText(join_list(members) or translate("WorkshopBoard", "No members"))
        self.skills_label.setText(
            translate("WorkshopBoard", "Skills: {skills}").format(
                skills=skills_text(load.skills) or "—"
            )
        )
        self.bar.set_values(load.assigned_hours, load.capacity_hours)
        text = translate("WorkshopBoard", "{assigned} / {capacity} h").format(
            assigned=fmt_hours(load.assigned_hours), capacity=fmt_hours(load.capacity_hours)
        )
        self.hours_label.setText(text)
        self.hours_label.setStyleSheet(
            "color:#c62828; font-weight:bold;" if load.over_capacity else "color:#333;"
        )
        self.setToolTip(
            translate(
                "WorkshopBoard", "{team}: {assigned} of {capacity} hours assigned today"
            ).format(
                team=load.name,
                assigned=fmt_hours(load.assigned_hours),
                capacity=fmt_hours(load.capacity_hours),
            )
        )
        return True

    def missing_skills(self, skills: list[str]) -> list[str]:
        return sorted(set(skills) - set(self.load.skills))

    def _payload(self, event: QDragEnterEvent | QDragMoveEvent | QDropEvent) -> dict | None:
        if not self.accepting:
            return None
        data = read_card_mime(event.mimeData())
        if data is None or data.get("state") not in DISPATCH_STATES | REASSIGN_STATES:
            return None
        return data

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        data = self._payload(event)
        if data is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self._set_style(True)
        missing = self.missing_skills(list(data.get("skills") or []))
        if missing:
            self.hint_label.setStyleSheet("color:#c62828; font-weight:bold;")
            self.hint_label.setText(
                translate("WorkshopBoard", "Lacks: {skills}").format(skills=skills_text(missing))
            )
        else:
            self.hint_label.setStyleSheet("color:#2e7d32;")
            self.hint_label.setText(
                translate("WorkshopBoard", "Drop to dispatch {number} here").format(
                    number=data.get("number", "")
                )
            )
        self.members_label.hide()
        self.hint_label.show()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if self._payload(event) is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()

    def dragLeaveEvent(self, event: QDragLeaveEvent) -> None:
        self._end_hover()
        event.accept()

    def _end_hover(self) -> None:
        self._set_style(False)
        self.hint_label.hide()
        self.members_label.show()

    def dropEvent(self, event: QDropEvent) -> None:
        self._end_hover()
        data = self._payload(event)
        if data is None:
            event.ignore()
            return
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.card_dropped.emit(data, self.load.team_id)
