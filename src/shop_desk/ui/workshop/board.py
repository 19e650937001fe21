"""The workshop supervisor's board (车间主管): cars by state, dispatch to teams, live updates.

Columns follow the workshop states; a card shows plate, model, team/technician, advisor,
promised time and time left (red once overdue), priority and flags. The supervisor drags a
card onto a team (or uses the card's context menu / the Dispatch button) and confirms team,
technician and priority in :class:`~shop_desk.ui.workshop.dialogs.DispatchDialog`; the teams strip shows each team's hours
today against its capacity and its skills. Warnings of :func:`workshop.dispatch` (a skill
the team lacks, over capacity) are shown after the dispatch.

The page composes its parts: the state columns and the teams strip
(:mod:`~shop_desk.ui.workshop.columns`), the dispatch, delay and detail dialogs
(:mod:`~shop_desk.ui.workshop.dialogs`) and the cards (:mod:`~shop_desk.ui.workshop.cards`);
the reads they share are in :mod:`~shop_desk.ui.workshop.reads`. No part imports the page.

The field strip (:mod:`~shop_desk.ui.workshop.field_strip`) shows the field jobs with
people out (crew, place, the customer's required time, how late), read-only.

Other stations' commits are noticed by :class:`shop_desk.changes.ChangeWatcher` polled once
a second; a refresh reads the board with one query (and the field strip with one more) and
only touches the cards and columns that changed.
"""

from __future__ import annotations

import datetime as dt
import logging
import sqlite3
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import peewee
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QGroupBox,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QScrollArea,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.i18n import counted, translate
from shop_desk.models import Staff
from shop_desk.roles import Role
from shop_desk.services import board, workshop
from shop_desk.services.board import BoardCard, FieldCard, TeamLoad
from shop_desk.states import WORKSHOP_STATES, State, state_label
from shop_desk.ui.shell.main_window import register_page
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.watcher import close_watcher, current_db_target, make_watcher
from shop_desk.ui.shell.widgets import allowed, app_settings
from shop_desk.ui.workshop.cards import (
    DISPATCH_STATES,
    REASSIGN_STATES,
    CardWidget,
)
from shop_desk.ui.workshop.columns import BoardColumn, TeamBox
from shop_desk.ui.workshop.dialogs import DelayDialog, DetailDialog, DispatchDialog, banner_into
from shop_desk.ui.workshop.field_strip import FieldStrip

# order_detail is re-exported for tests/test_query_counts.py.
from shop_desk.ui.workshop.reads import fmt_hours, needed_skills, when_text
from shop_desk.validation import display_plate

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow

log = logging.getLogger("shop_desk.ui.workshop.board")

#: How often the page asks the change watcher whether another station committed (ms): twice
#: a second, so another PC's change shows within a second (asking costs microseconds).
POLL_MS = 500
#: Without a change watcher (e.g. an in-memory database) the page re-reads this often (s).
FALLBACK_REFRESH_S = 10

WARNING_STYLE = (
    "background:#fff4e5; color:#7a3e00; border:1px solid #f0c27b; border-radius:4px; padding:6px;"
)


def _db_file() -> str | None:
    """The SQLite file the application works on (None for an in-memory database)."""
    return current_db_target()


# --- the page ------------------------------------------------------------------------------


class WorkshopBoardPage(QWidget):
    """The supervisor's board: columns per state, the teams strip, dispatch and live refresh."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        self.setObjectName("workshopBoardPage")
        self.form = load_form("workshop_board", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.title_label = child(self.form, QLabel, "titleLabel")
        self.summary_label = child(self.form, QLabel, "summaryLabel")
        self.filter_edit = child(self.form, QLineEdit, "filterEdit")
        self.dispatch_button = child(self.form, QPushButton, "dispatchButton")
        self.delay_button = child(self.form, QPushButton, "delayButton")
        self.details_button = child(self.form, QPushButton, "detailsButton")
        self.splitter = child(self.form, QSplitter, "splitter")
        self.columns_host = child(self.form, QWidget, "columnsHost")
        self.columns_scroll = child(self.form, QScrollArea, "columnsScroll")
        self.teams_box = child(self.form, QGroupBox, "teamsBox")
        self.teams_host = child(self.form, QWidget, "teamsHost")
        self.teams_scroll = child(self.form, QScrollArea, "teamsScroll")
        self.banner = banner_into(child(self.form, QWidget, "bannerHost"))
        font = QFont(self.title_label.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.title_label.setFont(font)
        self.summary_label.setStyleSheet("color:#555; padding-left:10px;")

        self.columns: dict[str, BoardColumn] = {}
        columns_layout = self.columns_host.layout()
        for state in WORKSHOP_STATES:
            column = BoardColumn(state.value, self.columns_host)
            self.columns[state.value] = column
            columns_layout.addWidget(column, 1)
        # the field jobs out now, read-only above the cars (run from the field desk)
        self.field_strip = FieldStrip(self.form)
        outer = self.form.layout()
        outer.insertWidget(outer.indexOf(self.splitter), self.field_strip)
        self.field_cards: list[FieldCard] = []
        self.field_changes = 0
        self.team_boxes: dict[int, TeamBox] = {}
        self.teams_layout = self.teams_host.layout()
        self.teams_layout.addStretch(1)

        self.card_widgets: dict[int, CardWidget] = {}
        self.cards: list[BoardCard] = []
        self.loads: list[TeamLoad] = []
        self.selected_id: int | None = None
        self.now = clock.now()
        self.last_stats: dict[str, int] = {}
        self.refresh_count = 0
        self._skills_cache: dict[int, list[str]] = {}
        self.dispatch_dialog: DispatchDialog | None = None
        self.delay_dialog: DelayDialog | None = None
        self.detail_dialog: DetailDialog | None = None
        self.menu: QMenu | None = None

        self.filter_edit.textChanged.connect(self._apply_filter)
        self.dispatch_button.clicked.connect(lambda: self.open_dispatch(self.selected_card()))
        self.delay_button.clicked.connect(lambda: self.open_delay(self.selected_card()))
        self.details_button.clicked.connect(lambda: self.open_details(self.selected_card()))

        # the change watcher's own connection lives only while the board is on screen
        self.watcher: Any = None
        self._hidden_at: int | None = None
        self._last_read = dt.datetime.min
        self.timer = QTimer(self)
        self.timer.setInterval(POLL_MS)
        self.timer.timeout.connect(self.poll)
        self.timer.start()
        state = app_settings().value("workshop_board/splitter")
        if state is not None:
            self.splitter.restoreState(state)
        else:
            self.splitter.setSizes([10_000, 1])  # the teams strip gets its minimum height
        self.splitter.splitterMoved.connect(
            lambda *_: app_settings().setValue("workshop_board/splitter", self.splitter.saveState())
        )
        self.refresh()

    # -- permissions ---------------------------------------------------------------------
    @property
    def staff(self) -> Staff:
        return self.window_.staff

    def can_dispatch(self) -> bool:
        return allowed(self.staff, workshop.dispatch)

    def can_report_delay(self) -> bool:
        return allowed(self.staff, workshop.report_delay)

    # -- reading -------------------------------------------------------------------------
    def refresh(self) -> None:
        """Read the board (one query) and the team loads; update only what changed."""
        now = clock.now()
        try:
            if self.watcher is not None and hasattr(self.watcher, "reset"):
                self.watcher.reset()  # the read below includes everything committed so far
            cards = board.board_cards(now)
            field_cards = board.field_cards(now)
            loads = board.team_load(now.date())
        except (peewee.OperationalError, sqlite3.Error) as exc:  # locked past the busy timeout
            log.warning("board refresh failed: %s", exc)
            self.window_.show_status(
                translate("WorkshopBoard", "The board could not be read just now; it tries again.")
            )
            return
        self._last_read = dt.datetime.now()
        self.refresh_count += 1
        self._skills_cache.clear()
        self.now = now
        self.apply(cards, loads, now, field_cards)

    def apply(
        self,
        cards: list[BoardCard],
        loads: list[TeamLoad],
        now: dt.datetime,
        field_cards: list[FieldCard] | None = None,
    ) -> None:
        stats = {"created": 0, "updated": 0, "removed": 0, "columns": 0, "teams": 0}
        self.cards = cards
        ids = {c.order_id for c in cards}
        for order_id in [i for i in self.card_widgets if i not in ids]:
            widget = self.card_widgets.pop(order_id)
            for column in self.columns.values():
                if widget in column.widgets:
                    column.widgets.remove(widget)
                    column.cards_layout.removeWidget(widget)
            widget.hide()
            widget.deleteLater()
            stats["removed"] += 1
        may_drag = self.can_dispatch()
        by_state: dict[str, list[CardWidget]] = {s: [] for s in self.columns}
        for card in cards:
            widget = self.card_widgets.get(card.order_id)
            if widget is None:
                widget = CardWidget(card, now)
                widget.selected.connect(self.select)
                widget.activated.connect(self._activated)
                widget.menu_requested.connect(self.show_menu)
                widget.navigate.connect(self.navigate)
                widget.dispatch_requested.connect(self.dispatch_by_key)
                widget.details_requested.connect(self.open_details)
                widget.skills_for = self.skills_of
                self.card_widgets[card.order_id] = widget
                stats["created"] += 1
            else:
                if widget.set_card(card):
                    stats["updated"] += 1
                widget.set_now(now)
            widget.draggable = may_drag and card.state in DISPATCH_STATES | REASSIGN_STATES
            widget.set_selected(card.order_id == self.selected_id)
            if card.state in by_state:
                by_state[card.state].append(widget)
        for state, column in self.columns.items():
            if column.set_widgets(by_state[state]):
                stats["columns"] += 1
        if stats["created"] or stats["columns"]:
            self._chain_tab_order()
        stats["teams"] = self._apply_loads(loads)
        if field_cards is not None:
            self.field_cards = field_cards
            self.field_changes = self.field_strip.set_cards(field_cards, now)
        self.loads = loads
        if self.selected_id is not None and self.selected_id not in ids:
            self.selected_id = None
        self._apply_filter()
        self._update_buttons()
        self.last_stats = stats

    def _apply_loads(self, loads: list[TeamLoad]) -> int:
        changed = 0
        ids = {t.team_id for t in loads}
        for team_id in [i for i in self.team_boxes if i not in ids]:
            box = self.team_boxes.pop(team_id)
            self.teams_layout.removeWidget(box)
            box.deleteLater()
            changed += 1
        for n, load in enumerate(loads):
            box = self.team_boxes.get(load.team_id)
            if box is None:
                box = TeamBox(load, self.teams_host)
                box.card_dropped.connect(self.card_dropped)
                self.team_boxes[load.team_id] = box
                self.teams_layout.insertWidget(n, box)
                changed += 1
            elif box.set_load(load):
                changed += 1
            box.accepting = self.can_dispatch()
        if changed:
            self.teams_scroll.setMinimumHeight(self.teams_host.sizeHint().height() + 2)
        return changed

    def skills_of(self, order_id: int) -> list[str]:
        if order_id not in self._skills_cache:
            try:
                self._skills_cache[order_id] = needed_skills(order_id)
            except peewee.OperationalError:
                return []
        return self._skills_cache[order_id]

    def poll(self) -> None:
        """Twice a second: refresh when another station committed; keep the times current."""
        if not self.isVisible():
            return
        if self.watcher is not None:
            try:
                changed = bool(self.watcher.changed())
            except Exception:  # the watcher's own connection failed: rebuild it next time
                log.warning("change watcher failed; re-creating it", exc_info=True)
                close_watcher(self.watcher)
                self.watcher = make_watcher(_db_file())
                changed = True
        else:
            changed = (dt.datetime.now() - self._last_read).total_seconds() >= FALLBACK_REFRESH_S
        if changed:
            self.refresh()
            return
        now = clock.now()
        if now.replace(second=0) != self.now.replace(second=0):
            self.now = now
            for widget in self.card_widgets.values():
                widget.set_now(now)
            self.field_strip.set_now(now)
            self._update_summary()

    # -- selection and filter ------------------------------------------------------------
    def card(self, order_id: int) -> BoardCard | None:
        return next((c for c in self.cards if c.order_id == order_id), None)

    def selected_card(self) -> BoardCard | None:
        return self.card(self.selected_id) if self.selected_id is not None else None

    def select(self, card: BoardCard | int | None) -> None:
        order_id = card.order_id if isinstance(card, BoardCard) else card
        self.selected_id = order_id
        for oid, widget in self.card_widgets.items():
            widget.set_selected(oid == order_id)
        self._update_buttons()

    def _update_buttons(self) -> None:
        card = self.selected_card()
        movable = card is not None and card.state in DISPATCH_STATES | REASSIGN_STATES
        self.dispatch_button.setEnabled(movable and self.can_dispatch())
        self.dispatch_button.setText(
            translate("WorkshopBoard", "&Reassign…")
            if card is not None and card.state in REASSIGN_STATES
            else translate("WorkshopBoard", "&Dispatch…")
        )
        self.delay_button.setEnabled(
            card is not None and card.state != State.READY.value and self.can_report_delay()
        )
        self.details_button.setEnabled(card is not None)
        self._update_summary()

    def _update_summary(self) -> None:
        total = len(self.cards)
        overdue = sum(1 for w in self.card_widgets.values() if w.overdue)
        waiting = sum(1 for c in self.cards if c.state == State.AWAITING_DISPATCH.value)
        text = counted(
            total,
            translate("WorkshopBoard", "1 car · {waiting} awaiting dispatch · {overdue} overdue"),
            translate(
                "WorkshopBoard", "{n} cars · {waiting} awaiting dispatch · {overdue} overdue"
            ),
            waiting=waiting,
            overdue=overdue,
        )
        self.summary_label.setText(text)
        self.summary_label.setStyleSheet(
            "color:#c62828; padding-left:10px;" if overdue else "color:#555; padding-left:10px;"
        )

    def _matches(self, card: BoardCard, needle: str) -> bool:
        if not needle:
            return True
        plate_plain = card.plate.replace("·", "")
        hay = " ".join(
            [
                card.plate,
                plate_plain,
                card.number,
                card.model,
                card.team,
                card.technician,
                card.advisor,
            ]
        ).casefold()
        return needle in hay

    def _apply_filter(self) -> None:
        needle = self.filter_edit.text().strip().casefold().replace("·", "")
        for column in self.columns.values():
            shown = 0
            for widget in column.widgets:
                visible = self._matches(widget.card, needle)
                widget.setVisible(visible)
                shown += visible
            column.set_count(shown, len(column.widgets))

    def visible_cards(self, state: str) -> list[BoardCard]:
        return [w.card for w in self.columns[state].widgets if not w.isHidden()]

    def navigate(self, card: BoardCard, key: int) -> None:
        """Arrow keys: up/down within a column, left/right to the next column with cars."""
        states = list(self.columns)
        shown = {s: [w for w in self.columns[s].widgets if not w.isHidden()] for s in states}
        column = states.index(card.state) if card.state in states else 0
        row = next(
            (n for n, w in enumerate(shown[card.state]) if w.card.order_id == card.order_id), 0
        )
        target = None
        if key in (Qt.Key.Key_Up.value, Qt.Key.Key_Down.value):
            row += -1 if key == Qt.Key.Key_Up.value else 1
            if 0 <= row < len(shown[card.state]):
                target = shown[card.state][row]
        else:
            step = -1 if key == Qt.Key.Key_Left.value else 1
            n = column + step
            while 0 <= n < len(states) and not shown[states[n]]:
                n += step
            if 0 <= n < len(states):
                widgets = shown[states[n]]
                target = widgets[min(row, len(widgets) - 1)]
        if target is not None:
            target.setFocus(Qt.FocusReason.OtherFocusReason)
            self.columns[target.card.state].scroll.ensureWidgetVisible(target)
            self.columns_scroll.ensureWidgetVisible(target)

    # -- actions -------------------------------------------------------------------------
    def _activated(self, card: BoardCard) -> None:
        if card.state in DISPATCH_STATES and self.can_dispatch():
            self.open_dispatch(card)
        else:
            self.open_details(card)

    def _chain_tab_order(self) -> None:
        """Tab goes through the cards as they stand: column by column, top to bottom."""
        ordered = [w for column in self.columns.values() for w in column.widgets]
        for first, second in zip(ordered, ordered[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def dispatch_by_key(self, card: BoardCard) -> None:
        """D on a card: the dispatch (or reassignment) a drag onto a team would start."""
        if not self.can_dispatch():
            self.banner.show_error(
                translate("WorkshopBoard", "Only the workshop supervisor dispatches cars.")
            )
            return
        self.select(card)
        self.open_dispatch(card)

    def card_dropped(self, payload: dict, team_id: int) -> None:
        """A card was dropped on a team: confirm team, technician and priority."""
        card = self.card(int(payload["order_id"]))
        if card is None:
            self.refresh()
            card = self.card(int(payload["order_id"]))
        if card is None:
            self.banner.show_error(
                translate("WorkshopBoard", "Order {number} is no longer in the workshop.").format(
                    number=payload.get("number", "")
                )
            )
            return
        self.select(card)
        self.open_dispatch(card, team_id)

    def open_dispatch(
        self, card: BoardCard | None, team_id: int | None = None
    ) -> DispatchDialog | None:
        if card is None or not self.can_dispatch():
            return None
        if card.state not in DISPATCH_STATES | REASSIGN_STATES:
            self.banner.show_error(
                translate(
                    "WorkshopBoard",
                    "{plate} is {state}; only cars awaiting dispatch or being worked on can be given to a team.",
                ).format(plate=card.plate, state=state_label(card.state))
            )
            return None
        try:
            dialog = DispatchDialog(self.staff, card.order_id, self.loads, team_id, self)
        except peewee.DoesNotExist:
            self.refresh()
            return None
        dialog.dispatched.connect(self._dispatched)
        self.dispatch_dialog = dialog
        dialog.open()
        return dialog

    def _dispatched(self, result: workshop.DispatchResult) -> None:
        order = result.order
        team = next((t.name for t in self.loads if t.team_id == order.team_id), "")
        text = translate("WorkshopBoard", "{plate} ({number}) dispatched to {team}.").format(
            plate=display_plate(order.vehicle.plate or ""), number=order.number, team=team
        )
        self.window_.show_status(text)
        if result.warnings:
            self.banner.show_info(text + " " + " ".join(result.warnings))
            self.banner.setStyleSheet(WARNING_STYLE)
            self.banner.kind = "warning"
        else:
            self.banner.show_info(text)
        self.refresh()

    def open_delay(self, card: BoardCard | None) -> DelayDialog | None:
        if card is None or not self.can_report_delay():
            return None
        dialog = DelayDialog(self.staff, card.order_id, self)
        dialog.reported.connect(self._delay_reported)
        self.delay_dialog = dialog
        dialog.open()
        return dialog

    def _delay_reported(self, report: Any) -> None:
        text = translate(
            "WorkshopBoard",
            "Delay of {number} reported: new promised time {when}. The advisor is told.",
        ).format(number=report.order.number, when=when_text(report.new_promised_at))
        self.banner.show_info(text)
        self.window_.show_status(text)
        self.refresh()

    def open_details(self, card: BoardCard | None) -> DetailDialog | None:
        if card is None:
            return None
        dialog = DetailDialog(card.order_id, self)
        self.detail_dialog = dialog
        dialog.show()
        return dialog

    def build_menu(self, card: BoardCard) -> QMenu:
        """The card's context menu: dispatch/reassign to a team, delay, details, open."""
        menu = QMenu(self)
        menu.setObjectName("cardMenu")
        movable = card.state in DISPATCH_STATES | REASSIGN_STATES
        reassign = card.state in REASSIGN_STATES
        sub = menu.addMenu(
            translate("WorkshopBoard", "Reassign to")
            if reassign
            else translate("WorkshopBoard", "Dispatch to")
        )
        sub.setObjectName("dispatchToMenu")
        for load in self.loads:
            action = sub.addAction(
                translate("WorkshopBoard", "{team} — {assigned}/{capacity} h").format(
                    team=load.name,
                    assigned=fmt_hours(load.assigned_hours),
                    capacity=fmt_hours(load.capacity_hours),
                )
            )
            action.setObjectName(f"dispatchTo_{load.team_id}")
            action.triggered.connect(
                lambda _=False, c=card, t=load.team_id: self.open_dispatch(c, t)
            )
        sub.setEnabled(movable and self.can_dispatch())
        dispatch = menu.addAction(
            translate("WorkshopBoard", "Reassign…")
            if reassign
            else translate("WorkshopBoard", "Dispatch…")
        )
        dispatch.setObjectName("dispatchAction")
        dispatch.setEnabled(movable and self.can_dispatch())
        dispatch.triggered.connect(lambda _=False, c=card: self.open_dispatch(c))
        menu.addSeparator()
        delay = menu.addAction(translate("WorkshopBoard", "Report delay…"))
        delay.setObjectName("delayAction")
        delay.setEnabled(card.state != State.READY.value and self.can_report_delay())
        delay.triggered.connect(lambda _=False, c=card: self.open_delay(c))
        details = menu.addAction(translate("WorkshopBoard", "Details…"))
        details.setObjectName("detailsAction")
        details.triggered.connect(lambda _=False, c=card: self.open_details(c))
        open_order = menu.addAction(translate("WorkshopBoard", "Open order"))
        open_order.setObjectName("openOrderAction")
        open_order.triggered.connect(
            lambda _=False, c=card: self.window_.order_opened.emit(c.order_id)
        )
        return menu

    def show_menu(self, card: BoardCard, pos: QPoint) -> None:
        self.select(card)
        self.menu = self.build_menu(card)
        self.menu.popup(pos)

    def showEvent(self, event) -> None:  # noqa: ANN001
        super().showEvent(event)
        if self.watcher is None:
            self.watcher = make_watcher(_db_file())
            if self._hidden_at is not None and self.refresh_count == self._hidden_at:
                self.refresh()  # nobody re-read since it was hidden: catch up on other stations
        self._hidden_at = None

    def hideEvent(self, event) -> None:  # noqa: ANN001
        super().hideEvent(event)
        close_watcher(self.watcher)
        self.watcher = None
        self._hidden_at = self.refresh_count

    def screenshot_views(self) -> list[tuple[str, Callable[[], None]]]:
        """A selected card with its detail state for the screenshots."""

        def pick() -> None:
            card = next(
                (c for c in self.cards if c.state == State.AWAITING_DISPATCH.value),
                self.cards[0] if self.cards else None,
            )
            if card is not None:
                self.select(card)

        return [("selected", pick)]


register_page(
    "workshop",
    lambda: translate("WorkshopBoard", "Workshop"),
    (Role.SUPERVISOR, Role.MANAGER),
    WorkshopBoardPage,
)
