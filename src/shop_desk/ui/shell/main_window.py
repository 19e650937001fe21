"""The main window: role-filtered navigation, toolbar search, status bar and the idle lock.

Areas (Reception, Appointments, Workshop, Checkout, Follow-up, Admin) are registered with
:func:`register_page`; the window shows only the areas the signed-in person's roles allow,
and an area nobody registered simply does not appear. Modules that register pages are
listed in :data:`PAGE_MODULES` (imported when the first window opens).
"""

from __future__ import annotations

import importlib
import importlib.util
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass

import peewee
import shiboken6
from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QAction, QCloseEvent, QFont, QFontMetrics, QKeySequence, QShowEvent
from PySide6.QtWidgets import (
    QApplication,
    QDialog,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QSizePolicy,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from shop_desk.i18n import translate
from shop_desk.models import Staff
from shop_desk.roles import Role
from shop_desk.services.orders import settings
from shop_desk.services.search import SearchHit
from shop_desk.ui.shell.fit import fit_to_screen
from shop_desk.ui.shell.login import LoginForm
from shop_desk.ui.shell.search import SearchBox
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import app_settings, roles_text

#: The areas in the order the navigation shows them; other keys follow in registration order.
AREA_ORDER = ("reception", "appointments", "workshop", "checkout", "follow_up", "admin")

#: Modules whose import registers pages. An area whose module is not part of this build is
#: simply absent from the navigation (never an empty page); an error inside a module that
#: exists still surfaces.
PAGE_MODULES: list[str] = [
    "shop_desk.ui.reception.page",
    "shop_desk.ui.appointments.page",
    "shop_desk.ui.workshop.board",
    "shop_desk.ui.station.page",
    "shop_desk.ui.field.tablet",
    "shop_desk.ui.checkout.page",
    "shop_desk.ui.aftercare.pages",
    "shop_desk.ui.field.pages",
    "shop_desk.ui.counter.pages",
    "shop_desk.ui.admin.pages",
]


@dataclass(frozen=True)
class PageSpec:
    """A navigation entry: ``factory(window)`` builds the page widget when first shown.

    A page widget may define ``refresh()`` (called when it is shown again and on F5)."""

    key: str
    title: Callable[[], str]
    roles: frozenset[str]
    factory: Callable[[MainWindow], QWidget]
    order: int

    def visible_to(self, staff_roles: set[str]) -> bool:
        return not self.roles or bool(self.roles & staff_roles)


_PAGES: dict[str, PageSpec] = {}


def register_page(
    key: str,
    title_fn: Callable[[], str],
    roles: Iterable[Role | str],
    factory: Callable[[MainWindow], QWidget],
    order: int | None = None,
) -> None:
    """Plug an area into the navigation; ``roles`` that may see it (empty = everyone).

    ``title_fn`` returns the translated title (called when the navigation is built, so the
    installed language applies). Registering a key again replaces it."""
    if order is None:
        order = AREA_ORDER.index(key) * 10 if key in AREA_ORDER else 1000 + len(_PAGES)
    _PAGES[key] = PageSpec(key, title_fn, frozenset(Role(r).value for r in roles), factory, order)


def unregister_page(key: str) -> None:
    _PAGES.pop(key, None)


@dataclass(frozen=True)
class ToolSpec:
    """A window-level action in the Go menu and the toolbar (e.g. the gate window)."""

    key: str
    title: Callable[[], str]
    roles: frozenset[str]
    slot: Callable[[MainWindow], object]
    shortcut: str | None = None


_TOOLS: dict[str, ToolSpec] = {}


def register_tool(
    key: str,
    title_fn: Callable[[], str],
    roles: Iterable[Role | str],
    slot: Callable[[MainWindow], object],
    shortcut: str | None = None,
) -> None:
    """Add an action ``slot(window)`` for the ``roles`` given (empty = everyone)."""
    _TOOLS[key] = ToolSpec(key, title_fn, frozenset(Role(r).value for r in roles), slot, shortcut)


#: Screens one desk opens for another (``fn(window, *args)`` -> the dialog, not yet shown):
#: a desk asks the main window instead of importing another desk's widgets.
_OPENERS: dict[str, Callable[..., QWidget]] = {}


def register_opener(key: str, fn: Callable[..., QWidget]) -> None:
    """Let other desks open ``key`` through :meth:`MainWindow.open_screen`."""
    _OPENERS[key] = fn


#: ``fn(staff) -> (count, newest text)`` per page key: open items the person should see now
#: (e.g. workshop notices). The navigation shows the count; a rise is announced at once.
_BADGES: dict[str, Callable[[Staff], tuple[int, str]]] = {}

#: How often the window asks the change watcher whether another station committed (ms).
NOTICE_POLL_MS = 1000
#: Without a change watcher the badges are re-read this often (s).
NOTICE_FALLBACK_S = 15


def register_badge(key: str, fn: Callable[[Staff], tuple[int, str]]) -> None:
    """Count open items for the navigation entry ``key`` (see :data:`_BADGES`)."""
    _BADGES[key] = fn


def registered_pages() -> list[PageSpec]:
    load_page_modules()
    return sorted(_PAGES.values(), key=lambda p: (p.order, p.key))


def pages_for(staff: Staff) -> list[PageSpec]:
    """The areas this person may see, in navigation order."""
    roles = staff.role_set()
    return [p for p in registered_pages() if p.visible_to(roles)]


def load_page_modules() -> None:
    for name in PAGE_MODULES:
        if importlib.util.find_spec(name) is not None:
            importlib.import_module(name)


_INPUT_EVENTS = {
    QEvent.Type.KeyPress,
    QEvent.Type.MouseButtonPress,
    QEvent.Type.MouseMove,
    QEvent.Type.Wheel,
    QEvent.Type.TouchBegin,
}


class IdleWatcher(QObject):
    """Emits :attr:`idle` after ``timeout`` ms without keyboard, mouse or touch input."""

    idle = Signal()

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.timer = QTimer(self)
        self.timer.setSingleShot(True)
        self.timer.timeout.connect(self.idle.emit)
        app = QApplication.instance()
        if app is not None:
            app.installEventFilter(self)

    def set_timeout(self, ms: int) -> None:
        """0 switches the lock off."""
        self.timer.stop()
        if ms > 0:
            self.timer.setInterval(ms)
            self.timer.start()

    def poke(self) -> None:
        if self.timer.interval() > 0 and self.timer.isActive():
            self.timer.start()

    def pause(self) -> None:
        self.timer.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() in _INPUT_EVENTS and self.timer.isActive():
            self.timer.start()
        return False


class LockScreen(QWidget):
    """Shown over the work when the window is locked: the sign-in form, nothing else."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("lockScreen")
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        self.panel = QWidget(self)
        self.panel.setMaximumWidth(460)
        self.panel.setMinimumWidth(380)
        panel_layout = QVBoxLayout(self.panel)
        self.login = LoginForm(self.panel, embedded=True)
        self.login.cancel_button.hide()
        self.login.staff_list.setMinimumHeight(320)
        panel_layout.addWidget(self.login)
        row = QWidget(self)
        from PySide6.QtWidgets import QHBoxLayout

        h = QHBoxLayout(row)
        h.addStretch(1)
        h.addWidget(self.panel)
        h.addStretch(1)
        outer.addWidget(row)
        outer.addStretch(1)


class MainWindow(QMainWindow):
    """The shell every page lives in.

    Signals ``vehicle_opened(int)``, ``order_opened(int)`` and ``customer_opened(int)`` fire
    when search or a scanner picks something; until the real screens connect to them the
    window shows read-only summaries."""

    vehicle_opened = Signal(int)
    order_opened = Signal(int)
    customer_opened = Signal(int)
    staff_changed = Signal(object)
    lock_changed = Signal(bool)
    #: (page key, newest text) when a badge count rises, e.g. a new workshop notice
    notice_arrived = Signal(str, str)
    #: another station (or this one) committed a change: pages on screen may re-read
    database_changed = Signal()

    def __init__(self, staff: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mainWindow")
        load_page_modules()
        self.staff = staff
        self.locked = False
        self.specs: list[PageSpec] = []
        self.pages: dict[str, QWidget] = {}
        self.open_dialogs: list[QDialog] = []

        self.frame = load_form("main_window", self)
        self.nav = child(self.frame, QListWidget, "navList")
        self.stack = child(self.frame, QStackedWidget, "pageStack")
        self.home = child(self.frame, QWidget, "homePage")
        self.lock_screen = LockScreen(self)
        self.screens = QStackedWidget(self)
        self.screens.addWidget(self.frame)
        self.screens.addWidget(self.lock_screen)
        self.setCentralWidget(self.screens)

        self._build_toolbar()
        self._build_menus()
        self.statusBar().setObjectName("statusBar")
        self.user_label = QLabel(self)
        self.user_label.setObjectName("userLabel")
        self.user_label.setContentsMargins(8, 0, 8, 0)
        self._user_action = self.toolbar.addWidget(self.user_label)
        self.toolbar.addAction(self.lock_action)

        self.nav.currentRowChanged.connect(self._nav_changed)
        self.lock_screen.login.signed_in.connect(self._unlocked)
        self.vehicle_opened.connect(self.show_vehicle_summary)
        self.order_opened.connect(self.show_order_summary)
        self.customer_opened.connect(self.show_customer_summary)

        self.idle = IdleWatcher(self)
        self.idle.idle.connect(self.lock)
        self.badges: dict[str, int] = {}
        self.watcher: object | None = None
        self._badges_read_at = 0.0
        self.notice_timer = QTimer(self)
        self.notice_timer.setInterval(NOTICE_POLL_MS)
        self.notice_timer.timeout.connect(self.poll_notices)
        self.setTabOrder(self.search_box, self.nav)
        self.resize(1280, 800)
        geometry = app_settings().value("main/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.apply_staff(staff)

    # -- chrome --------------------------------------------------------------------------
    def _build_toolbar(self) -> None:
        self.toolbar = QToolBar(translate("MainWindow", "Main toolbar"), self)
        self.toolbar.setObjectName("mainToolbar")
        self.toolbar.setMovable(False)
        self.toolbar.setFloatable(False)
        self.addToolBar(Qt.ToolBarArea.TopToolBarArea, self.toolbar)
        self.search_box = SearchBox(self.toolbar)
        self.search_box.setMaximumWidth(520)
        self.search_box.hit_chosen.connect(self.open_hit)
        self.search_box.status.connect(self.show_status)
        self.toolbar.addWidget(self.search_box)
        spacer = QWidget(self.toolbar)
        spacer.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.toolbar.addWidget(spacer)

    def _action(
        self,
        text: str,
        slot: Callable[[], None],
        shortcut: QKeySequence | str | None = None,
        name: str = "",
    ) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        action.setObjectName(name)
        self.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        self.find_action = self._action(
            translate("MainWindow", "&Find…"),
            self.focus_search,
            QKeySequence.StandardKey.Find,
            "findAction",
        )
        self.lock_action = self._action(
            translate("MainWindow", "&Lock / switch user"),
            self.switch_user,
            "Ctrl+L",
            "lockAction",
        )
        self.quit_action = self._action(
            translate("MainWindow", "&Quit"), self.close, "Ctrl+Q", "quitAction"
        )
        self.refresh_action = self._action(
            translate("MainWindow", "&Refresh"),
            self.refresh_current,
            QKeySequence.StandardKey.Refresh,
            "refreshAction",
        )
        self.about_action = self._action(
            translate("MainWindow", "&About shop-desk"), self.about, None, "aboutAction"
        )
        self.file_menu = bar.addMenu(translate("MainWindow", "&File"))
        self.file_menu.addAction(self.lock_action)
        self.file_menu.addSeparator()
        self.file_menu.addAction(self.quit_action)
        self.go_menu = bar.addMenu(translate("MainWindow", "&Go"))
        self.help_menu = bar.addMenu(translate("MainWindow", "&Help"))
        self.help_menu.addAction(self.about_action)
        self.page_actions: list[QAction] = []

    def show_status(self, text: str, ms: int = 6000) -> None:
        self.statusBar().showMessage(text, ms)

    def focus_search(self) -> None:
        if self.locked:
            return
        self.search_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.search_box.selectAll()

    def about(self) -> QDialog:
        """The About box (version, schema version, licences), shown without blocking."""
        from shop_desk.ui.shell.about import AboutDialog

        return self._keep(AboutDialog(settings().name or "shop-desk", self))

    # -- staff and pages -----------------------------------------------------------------
    def apply_staff(self, staff: Staff) -> None:
        """Sign ``staff`` in: rebuild the navigation for their roles, restart the idle lock."""
        self.staff = staff
        labels = roles_text(staff.role_set())
        self.user_label.setText(f"{staff.name} · {labels}" if labels else staff.name)
        self.setWindowTitle(
            translate("MainWindow", "shop-desk — {shop}").format(
                shop=settings().name or "shop-desk"
            )
        )
        self._build_navigation()
        self.reload_settings()
        self.staff_changed.emit(staff)
        self.show_status(translate("MainWindow", "Signed in as {name}.").format(name=staff.name))

    def reload_settings(self) -> None:
        """Pick up shop settings that affect the shell (idle lock minutes, shop name)."""
        minutes = settings().idle_lock_minutes
        self.idle.set_timeout(int(minutes) * 60_000 if minutes else 0)
        self.setWindowTitle(
            translate("MainWindow", "shop-desk — {shop}").format(
                shop=settings().name or "shop-desk"
            )
        )

    def _build_navigation(self) -> None:
        self.nav.blockSignals(True)
        self.nav.clear()
        self._tear_down_pages()
        for action in self.page_actions:
            self.go_menu.removeAction(action)
            self.toolbar.removeAction(action)
            self.removeAction(action)
        self.page_actions.clear()
        self.go_menu.clear()
        self.go_menu.addAction(self.find_action)
        self.go_menu.addAction(self.refresh_action)
        self.go_menu.addSeparator()
        roles = self.staff.role_set()
        for tool in _TOOLS.values():
            if tool.roles and not tool.roles & roles:
                continue
            action = self._action(
                tool.title(),
                lambda _=False, t=tool: t.slot(self),
                tool.shortcut,
                f"tool_{tool.key}",
            )
            self.go_menu.addAction(action)
            self.toolbar.insertAction(self._user_action, action)
            self.page_actions.append(action)
        self.specs = pages_for(self.staff)
        for n, spec in enumerate(self.specs):
            title = spec.title()
            item = QListWidgetItem(title)
            item.setData(Qt.ItemDataRole.UserRole, spec.key)
            self.nav.addItem(item)
            shortcut = f"Ctrl+{n + 1}" if n < 9 else None
            action = self._action(
                title, lambda _=False, key=spec.key: self.show_page(key), shortcut, f"go_{spec.key}"
            )
            self.go_menu.addAction(action)
            self.page_actions.append(action)
        self.nav.blockSignals(False)
        self.nav.setVisible(bool(self.specs))
        self.badges = {}
        self.fit_navigation()
        if self.specs:
            self._ensure_watcher()  # before the first count: no commit falls in between
            self.update_badges(announce=False)
            self.notice_timer.start()
        else:
            self.notice_timer.stop()
        if not self.specs:
            self.stack.setCurrentWidget(self.home)
            return
        wanted = app_settings().value("main/page", "", str)
        keys = [s.key for s in self.specs]
        self.show_page(wanted if wanted in keys else keys[0])

    def _tear_down_pages(self) -> None:
        """The previous person's pages go, in one fixed order, before the next one's are built.

        First every dialog of this window (a page's dialog, a print preview, a summary from
        search, a message box) is hidden, silenced and deleted, so no signal of a closing
        dialog reaches a page that is going; then the Python references to them are dropped
        (``open_dialogs``, a page's ``dialog``); then the pages are taken off the stack and
        deleted at once, not at some later turn of the event loop. Nothing of them is left
        for a later switch to find (issue 15: stale wrappers after a print preview or the
        team-leader check)."""
        self.close_dialogs()
        pages = list(self.pages.values())
        self.pages.clear()
        for page in pages:
            if not shiboken6.isValid(page):
                continue
            if hasattr(page, "dialog"):
                page.dialog = None
            page.hide()
            self.stack.removeWidget(page)
        for page in pages:
            _delete_now(page)

    def close_dialogs(self) -> None:
        """Hide, silence and delete every dialog that belongs to this window, now."""
        self.open_dialogs = []
        dialogs = [d for d in self.findChildren(QDialog) if _is_descendant(d, self)]
        for dialog in dialogs:
            if shiboken6.isValid(dialog):
                dialog.blockSignals(True)
                dialog.hide()
        for dialog in dialogs:
            _delete_now(dialog)

    def fit_navigation(self) -> None:
        """The navigation as wide as its longest entry (a count in bold included)."""
        self.nav.ensurePolished()
        font = QFont(self.nav.font())
        font.setBold(True)
        metrics = QFontMetrics(font)
        widest = max(
            (metrics.horizontalAdvance(self.nav.item(r).text()) for r in range(self.nav.count())),
            default=0,
        )
        self.nav.setFixedWidth(max(150, min(300, widest + 2 * 14 + 16)))

    # -- badges: open items announced at once ---------------------------------------------
    def poll_notices(self) -> None:
        """Once a second: when a station committed, say so and count the open items again."""
        if self.locked:
            return
        from shop_desk.ui.shell.watcher import close_watcher

        if self.watcher is None:
            if self._ensure_watcher() is None:  # nothing to watch with: read now and then
                changed = time.monotonic() - self._badges_read_at >= NOTICE_FALLBACK_S
            else:  # a new watcher (after a failure): count once to catch up
                changed = True
        else:
            try:
                changed = bool(self.watcher.changed())  # type: ignore[attr-defined]
            except Exception:  # the watcher's connection failed: a new one next tick
                close_watcher(self.watcher)
                self.watcher = None
                changed = True
        if getattr(self.watcher, "replaced", False):
            self.database_replaced()
            return
        if changed:
            self.update_badges(announce=True)
            self.database_changed.emit()

    def database_replaced(self, detail: str = "") -> None:
        """Another file took the shop database's place (a restore from a backup, here or in
        another window): what the pages show, even who is signed in, may not be in it. Sign
        out with a message saying so; the connection and the watcher start again on the new
        file, and the pages reload."""
        from shop_desk.db import database
        from shop_desk.ui.shell.watcher import close_watcher

        if self.watcher is not None:
            close_watcher(self.watcher)
            self.watcher = None
        if database.obj is not None:
            database.obj.close()  # the next query connects to the restored file
        self.lock()
        heading = translate(
            "MainWindow",
            "The shop database was restored from a backup, so everything entered after that "
            "backup was taken is gone. Please sign in again.",
        )
        self.lock_screen.login.set_heading(f"{heading} {detail}".strip())
        self.show_status(heading, 0)
        self.database_changed.emit()

    def _ensure_watcher(self) -> object | None:
        """The change watcher on the shop database (None where none can be made)."""
        if self.watcher is None:
            from shop_desk.ui.shell.watcher import current_db_target, make_watcher

            self.watcher = make_watcher(current_db_target())
        return self.watcher

    def update_badges(self, announce: bool = True) -> None:
        """Show each page's open-item count in the navigation; announce a rise."""
        self._badges_read_at = time.monotonic()
        for row, spec in enumerate(self.specs):
            fn = _BADGES.get(spec.key)
            if fn is None:
                continue
            try:
                count, newest = fn(self.staff)
            except peewee.OperationalError:  # locked for a moment: next change, next try
                continue
            before = self.badges.get(spec.key, 0)
            self.badges[spec.key] = count
            item = self.nav.item(row)
            if item is not None:
                title = spec.title()
                item.setText(f"{title} ({count})" if count else title)
                font = QFont(self.nav.font())  # the navigation's size, not the default
                font.setBold(bool(count))
                item.setFont(font)
            if count != before:
                self.fit_navigation()
                page = self.pages.get(spec.key)
                if page is not None and page.isVisible() and hasattr(page, "refresh"):
                    page.refresh()
            if announce and count > before and newest:
                self.show_status(translate("MainWindow", "New: {text}").format(text=newest), 20_000)
                QApplication.alert(self)
                self.notice_arrived.emit(spec.key, newest)

    def visible_page_keys(self) -> list[str]:
        return [s.key for s in self.specs]

    def page(self, key: str) -> QWidget:
        """The page widget for ``key`` (built on first use); KeyError if not visible."""
        if key not in self.pages:
            spec = next(s for s in self.specs if s.key == key)
            widget = spec.factory(self)
            widget.setObjectName(widget.objectName() or f"page_{key}")
            self.stack.addWidget(widget)
            self.pages[key] = widget
        return self.pages[key]

    def current_page_key(self) -> str | None:
        row = self.nav.currentRow()
        return self.specs[row].key if 0 <= row < len(self.specs) else None

    def show_page(self, key: str) -> QWidget:
        keys = self.visible_page_keys()
        if key not in keys:
            raise KeyError(key)
        fresh = key not in self.pages
        widget = self.page(key)
        if not fresh and hasattr(widget, "refresh"):
            widget.refresh()
        self.stack.setCurrentWidget(widget)
        row = keys.index(key)
        if self.nav.currentRow() != row:
            self.nav.blockSignals(True)
            self.nav.setCurrentRow(row)
            self.nav.blockSignals(False)
        app_settings().setValue("main/page", key)
        return widget

    def focus_page(self) -> None:
        """The keyboard starts on the current page's first field (Reception: "Find the car"),
        not on the navigation list: the person signed in to type."""
        page = self.pages.get(self.current_page_key() or "")
        start = getattr(page, "focus_start", None)
        if callable(start):
            start()

    def _nav_changed(self, row: int) -> None:
        if 0 <= row < len(self.specs):
            self.show_page(self.specs[row].key)

    def refresh_current(self) -> None:
        key = self.current_page_key()
        if key and hasattr(self.pages.get(key), "refresh"):
            self.pages[key].refresh()
            self.show_status(translate("MainWindow", "Refreshed."))

    # -- opening things ------------------------------------------------------------------
    def open_hit(self, hit: SearchHit) -> None:
        """What search or a scan picked: emit the matching signal."""
        if hit.kind == "vehicle" and hit.vehicle_id is not None:
            self.vehicle_opened.emit(hit.vehicle_id)
        elif hit.kind == "order" and hit.order_id is not None:
            self.order_opened.emit(hit.order_id)
        elif hit.kind == "customer" and hit.customer_id is not None:
            self.customer_opened.emit(hit.customer_id)

    def open_screen(self, key: str, *args: object, **kwargs: object) -> QWidget:
        """Another desk's screen (see :func:`register_opener`), made for the caller to show."""
        return _OPENERS[key](self, *args, **kwargs)

    def _keep(self, dialog: QDialog) -> QDialog:
        self.open_dialogs = [d for d in self.open_dialogs if _alive(d)]
        self.open_dialogs.append(dialog)
        dialog.show()
        dialog.raise_()
        return dialog

    def show_vehicle_summary(self, vehicle_id: int) -> QDialog:
        from shop_desk.ui.shell.summaries import VehicleSummaryDialog

        dialog = VehicleSummaryDialog(vehicle_id, self)
        dialog.order_requested.connect(self.order_opened.emit)
        return self._keep(dialog)

    def show_order_summary(self, order_id: int) -> QDialog:
        from shop_desk.ui.shell.summaries import OrderSummaryDialog

        return self._keep(OrderSummaryDialog(order_id, self))

    def show_customer_summary(self, customer_id: int) -> QDialog:
        from shop_desk.ui.shell.summaries import CustomerSummaryDialog

        dialog = CustomerSummaryDialog(customer_id, self)
        dialog.vehicle_requested.connect(self.vehicle_opened.emit)
        return self._keep(dialog)

    # -- idle lock -----------------------------------------------------------------------
    def switch_user(self) -> None:
        """Lock for the next person: the one who used this PC most recently is picked and the
        list has the focus (type a name, Enter, PIN, Enter: no mouse needed)."""
        self.lock(switching=True)

    def lock(self, switching: bool = False) -> None:
        """Hide the work behind the sign-in form (same or another person continues).

        ``switching``: someone else takes over (see :meth:`switch_user`); else (the idle lock)
        the same person is picked with the PIN field ready."""
        if self.locked:
            return
        self.locked = True
        self.idle.pause()
        self.search_box.reset()
        for widget in QApplication.topLevelWidgets():
            if isinstance(widget, QDialog) and widget.isVisible() and _is_descendant(widget, self):
                widget.reject()
        login = self.lock_screen.login
        if switching:
            login.prepare_switch(self.staff.login)
            login.set_heading(
                translate(
                    "MainWindow",
                    "Who is next? Type the first letters of your name or use the arrow keys, "
                    "press Enter, then your PIN and Enter.",
                )
            )
        else:
            login.reload(preselect_login=self.staff.login)
            login.set_heading(
                translate(
                    "MainWindow",
                    "The screen is locked. {name} or another staff member can sign in to go on.",
                ).format(name=self.staff.name)
            )
        self.screens.setCurrentWidget(self.lock_screen)
        self.menuBar().setEnabled(False)
        self.toolbar.setEnabled(False)
        for action in (self.find_action, self.lock_action, self.refresh_action, *self.page_actions):
            action.setEnabled(False)
        (login.staff_list if switching else login.pin_edit).setFocus()
        self.show_status(translate("MainWindow", "Locked."), 0)
        self.lock_changed.emit(True)

    def _unlocked(self, staff: Staff) -> None:
        self.locked = False
        self.menuBar().setEnabled(True)
        self.toolbar.setEnabled(True)
        for action in (self.find_action, self.lock_action, self.refresh_action, *self.page_actions):
            action.setEnabled(True)
        self.screens.setCurrentWidget(self.frame)
        if staff.id != self.staff.id:
            self.apply_staff(staff)
        else:
            self.staff = staff
            self.reload_settings()
            self.show_status(
                translate("MainWindow", "Signed in as {name}.").format(name=staff.name)
            )
        self.lock_changed.emit(False)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        fit_to_screen(self)  # 1280×800 (or a size saved elsewhere) on a 1280×720 screen

    def closeEvent(self, event: QCloseEvent) -> None:
        app_settings().setValue("main/geometry", self.saveGeometry())
        self.notice_timer.stop()
        if self.watcher is not None:
            from shop_desk.ui.shell.watcher import close_watcher

            close_watcher(self.watcher)
            self.watcher = None
        self.search_box.hide_popup()
        self.idle.pause()
        super().closeEvent(event)


def _delete_now(obj: QObject) -> None:
    """Delete ``obj`` (and its children) at once; nothing when it is gone already."""
    if shiboken6.isValid(obj):
        shiboken6.delete(obj)


def _alive(widget: QWidget) -> bool:
    try:
        return widget.isVisible()
    except RuntimeError:  # deleted on close
        return False


def _is_descendant(widget: QWidget, ancestor: QWidget) -> bool:
    parent = widget.parentWidget()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.parentWidget()
    return False
