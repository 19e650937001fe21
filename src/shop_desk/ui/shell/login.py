"""Sign-in: pick a staff member, type the PIN; and the first-start dialog of an empty database.

The same :class:`LoginForm` serves the start-up dialog and the idle-lock screen of the main
window (shared front-desk PCs).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListView,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from shop_desk.dburl import sqlite_file
from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.login_preview import (
    LoginPreview,
    StaffEntry,
    database_key,
    from_lines,
    to_lines,
)
from shop_desk.roles import role_order
from shop_desk.ui.shell.prefs import app_settings, roles_text
from shop_desk.ui.shell.uiload import child, load_form, load_simple_form

if TYPE_CHECKING:  # models and services load after the login window is up (see app.run_gui)
    from PySide6.QtCore import QEvent, QModelIndex, QSettings

    from shop_desk.models import Staff

# Qt.ItemDataRole values as plain numbers: the first use of PySide6's Qt namespace builds all
# of its enums (30-70 ms), and the login window is shown before anything needs them.
TOOLTIP_ROLE = 3  # TOOLTIP_ROLE
STAFF_ID_ROLE = 0x0100 + 1  # Qt.ItemDataRole.UserRole + 1
LAST_STAFF_KEY = "login/last_staff"
RECENT_STAFF_KEY = "login/recent_staff"
RECENT_MAX = 6  # the people of one shift at a shared PC
LIST_KEY = "login/list"  # the login list as this PC last read it (shop_desk.login_preview)
LIST_DB_KEY = "login/list_db"  # of which database
# QEvent.Type and Qt.Key values as plain numbers (see above)
KEY_PRESS, INPUT_METHOD = 6, 83
KEY_UP, KEY_DOWN, KEY_RETURN, KEY_ENTER = 0x01000013, 0x01000015, 0x01000004, 0x01000005
CTRL_OR_ALT = 0x04000000 | 0x08000000
TYPE_AHEAD_SECONDS = 1.0  # letters typed within this time add up to one name
RECENT_ROLE = 0x0100 + 2  # Qt.ItemDataRole.UserRole + 2: rank in this PC's recent sign-ins
NAME_ROLE = 0x0100 + 3  # the staff member's name alone (type-ahead)


def active_staff() -> list[tuple[Staff, list[str]]]:
    """Active staff members by name, with their role codes (read for the login list)."""
    from shop_desk.models import Staff, StaffRole

    people = list(Staff.select().where(Staff.active == True).order_by(Staff.name))  # noqa: E712
    roles: dict[int, list[str]] = {}
    for row in StaffRole.select().where(StaffRole.staff.in_([s.id for s in people])):
        roles.setdefault(row.staff_id, []).append(row.role)
    return [(s, role_order(roles.get(s.id, []))) for s in people]


def current_preview() -> LoginPreview:
    """The shop's name and its active staff as the open database has them now."""
    from shop_desk.services.orders import settings

    return LoginPreview(
        settings().name,
        [StaffEntry(s.id, s.name, s.login, roles) for s, roles in active_staff()],
    )


def remembered_list(db_path: str) -> LoginPreview | None:
    """The login list this PC showed for ``db_path`` when it last had the database open (see
    :mod:`shop_desk.login_preview`); None if it has none for that database. A file that is no
    longer there has no list: its first start asks for the administrator."""
    path = sqlite_file(db_path)
    if path is not None and not path.is_file():
        return None
    return _kept_list(app_settings(), database_key(db_path))


def _kept_list(settings: QSettings, key: str) -> LoginPreview | None:
    """The list kept in ``settings`` if it is that of the database ``key`` (database_key)."""
    if settings.value(LIST_DB_KEY, "", str) != key:
        return None
    lines = settings.value(LIST_KEY, [])
    return from_lines(lines if isinstance(lines, list) else [])


def remember_list(db_path: str, preview: LoginPreview) -> None:
    """Keep ``preview`` as the list to show at the next start with ``db_path`` (an empty list
    is not kept: that start reads the database first)."""
    settings = app_settings()
    if not preview.staff:
        settings.remove(LIST_DB_KEY)
        settings.remove(LIST_KEY)
        return
    key = database_key(db_path)
    if _kept_list(settings, key) == preview:
        return  # as it was: the settings file is not written again at every start
    settings.setValue(LIST_DB_KEY, key)
    settings.setValue(LIST_KEY, to_lines(preview))


def recent_logins() -> list[str]:
    """Who signed in at this PC lately, most recent first (kept per PC in app_settings)."""
    value = app_settings().value(RECENT_STAFF_KEY, [])
    if isinstance(value, str):  # QSettings gives a one-element list back as a string
        value = [value] if value else []
    recent = [str(v) for v in value or [] if v]
    last = app_settings().value(LAST_STAFF_KEY, "", str)
    if last and last not in recent:  # signed in before this list was kept
        recent.insert(0, last)
    return recent[:RECENT_MAX]


def remember_sign_in(login: str) -> None:
    """``login`` signed in at this PC: first in the recent list (and the last one used)."""
    recent = [login, *(x for x in recent_logins() if x != login)][:RECENT_MAX]
    settings = app_settings()
    settings.setValue(RECENT_STAFF_KEY, recent)
    settings.setValue(LAST_STAFF_KEY, login)


def name_matches(name: str, typed: str) -> bool:
    """Does the start of ``name`` or of one of its words read ``typed``? ("li" finds
    "李娜 Li Na", "李" and "zhao l" too; letters in any case)."""
    name, typed = name.casefold(), typed.casefold()
    if not typed:
        return False
    starts = [0, *(i + 1 for i, ch in enumerate(name) if ch.isspace())]
    return any(name.startswith(typed, i) for i in starts)


class _Keys(QObject):
    """The keyboard of the sign-in form: in the staff list, letters (or a Chinese name from
    the input method) find a person by any word of the name and a digit starts the PIN; in
    the PIN field, the arrow keys pick the person above or below."""

    def __init__(self, form: LoginForm) -> None:
        super().__init__(form)
        self.form = form
        self.typed = ""
        self.typed_at = 0.0

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 - Qt's name
        kind = event.type()
        if kind not in (KEY_PRESS, INPUT_METHOD):
            return False
        if watched is self.form.staff_list:
            if kind == INPUT_METHOD:
                text = event.commitString()  # type: ignore[attr-defined]
                return bool(text) and self.find(text)
            if event.key() in (KEY_RETURN, KEY_ENTER):  # type: ignore[attr-defined]
                self.form.pin_edit.setFocus()  # the person is chosen: the PIN next
                return True
            text = event.text()  # type: ignore[attr-defined]
            held = event.modifiers().value & CTRL_OR_ALT  # type: ignore[attr-defined]
            if len(text) != 1 or not text.isprintable() or held:
                return False  # Ctrl/Alt combinations and keys without text: the list's own
            if text.isdigit():  # no name has digits: the PIN of the one picked
                self.typed = ""
                self.form.pin_edit.setFocus()
                self.form.pin_edit.insert(text)
                return True
            return self.find(text)
        if watched is self.form.pin_edit and kind == KEY_PRESS:
            key = event.key()  # type: ignore[attr-defined]
            if key in (KEY_UP, KEY_DOWN):
                self.form.step_person(-1 if key == KEY_UP else 1)
                return True
        return False

    def find(self, text: str) -> bool:
        """Add ``text`` to what was typed lately and select the next person it finds."""
        now = time.monotonic()
        typed = self.typed + text if now - self.typed_at <= TYPE_AHEAD_SECONDS else text
        self.typed_at = now
        if not self.form.select_typed(typed):
            typed = text.lstrip()  # a new start: the person whose name begins with this
            if not typed or not self.form.select_typed(typed):
                typed = ""
        self.typed = typed
        return True


class LoginForm(QWidget):
    """Staff list + PIN; emits :attr:`signed_in` with the Staff who passed authentication."""

    signed_in = Signal(object)
    cancelled = Signal()

    def __init__(
        self,
        parent: QWidget | None = None,
        embedded: bool = False,
        preview: LoginPreview | None = None,
        keys_later: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginForm")
        self.embedded = embedded
        #: Called before a PIN is checked; False stops the sign-in (the database is not open).
        self.before_sign_in: Callable[[], bool] | None = None
        self.form = load_simple_form("login", self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.form)
        self.shop_label = child(self.form, QLabel, "shopLabel")
        self.heading_label = child(self.form, QLabel, "headingLabel")
        self.staff_list = child(self.form, QListView, "staffList")
        self.pin_edit = child(self.form, QLineEdit, "pinEdit")
        self.error_label = child(self.form, QLabel, "errorLabel")
        self.sign_in_button = child(self.form, QPushButton, "signInButton")
        self.cancel_button = child(self.form, QPushButton, "cancelButton")
        font = self.shop_label.font()
        font.setPointSizeF(font.pointSizeF() * 1.35)
        font.setBold(True)
        self.shop_label.setFont(font)
        self.model = QStandardItemModel(self)
        self.staff_list.setModel(self.model)
        self.error_label.hide()
        self.sign_in_button.clicked.connect(self.try_sign_in)
        self.cancel_button.clicked.connect(self.cancelled.emit)
        self.staff_list.activated.connect(self._staff_activated)
        self.staff_list.doubleClicked.connect(self._staff_activated)
        self._keys = _Keys(self)
        if not keys_later:
            self.listen_to_keys()
        if embedded:
            # No dialog default button on the lock screen: Enter in the PIN field signs in.
            self.pin_edit.returnPressed.connect(self.try_sign_in)
            self.sign_in_button.setDefault(False)
            self.sign_in_button.setAutoDefault(False)
        self.reload(preview=preview)

    def listen_to_keys(self) -> None:
        """Let the keyboard find people and step through the list (:class:`_Keys`). The start-up
        calls it itself once the window has painted (``keys_later``): no key reaches the form
        before, and while the window is first shown every event of the list and the PIN field
        would pass through Python, PySide building a class for each kind of event
        (milliseconds before the login window, issue 24)."""
        self.staff_list.installEventFilter(self._keys)
        self.pin_edit.installEventFilter(self._keys)

    def reload(
        self, preselect_login: str | None = None, preview: LoginPreview | None = None
    ) -> None:
        """Fill the list with active staff; select ``preselect_login`` or the last one used.

        ``preview``: the shop name and staff already read (at start, before the models load)."""
        if preview is None:
            preview = current_preview()
        self.shown = preview
        self.shop_label.setText(preview.shop_name or "shop-desk")
        self.model.clear()
        recent = recent_logins()
        rank = {login: n for n, login in enumerate(recent)}
        bold = self.staff_list.font()
        bold.setBold(True)
        # the people who used this PC lately first (most recent first), then everyone by name
        people = sorted(preview.staff, key=lambda s: rank.get(s.login, len(rank)))
        for staff in people:
            item = QStandardItem(f"{staff.name}  —  {roles_text(staff.roles)}")
            item.setData(staff.id, STAFF_ID_ROLE)
            item.setData(staff.login, TOOLTIP_ROLE)
            item.setData(staff.name, NAME_ROLE)
            if staff.login in rank:
                item.setData(rank[staff.login], RECENT_ROLE)
                item.setFont(bold)
            item.setEditable(False)
            self.model.appendRow(item)
        wanted = preselect_login or (recent[0] if recent else "")
        if not (wanted and self.select_login(wanted)) and self.model.rowCount():
            self.staff_list.setCurrentIndex(self.model.index(0, 0))
        self.pin_edit.clear()
        self.clear_error()

    def update_staff(self, preview: LoginPreview) -> None:
        """Put the list right from the database (the window showed what this PC remembered):
        the person picked and the PIN typed so far stay, unless that person is gone."""
        if preview == self.shown:
            return
        index = self.staff_list.currentIndex()
        picked = str(index.data(TOOLTIP_ROLE)) if index.isValid() else None
        pin, focus = self.pin_edit.text(), self.pin_edit.hasFocus()
        self.reload(preselect_login=picked, preview=preview)
        if picked is not None and any(s.login == picked for s in preview.staff):
            self.pin_edit.setText(pin)
            if focus:
                self.pin_edit.setFocus()

    def select_login(self, login: str) -> bool:
        for row in range(self.model.rowCount()):
            item = self.model.item(row)
            if item.data(TOOLTIP_ROLE) == login:
                self.staff_list.setCurrentIndex(item.index())
                self.staff_list.scrollTo(item.index())
                return True
        return False

    def select_typed(self, typed: str) -> bool:
        """Select the person whose name (a word of it) begins with ``typed``: the one
        selected if it still fits, else the next one in the list."""
        rows = self.model.rowCount()
        current = self.staff_list.currentIndex().row()
        for step in range(rows):
            row = (max(current, 0) + step) % rows
            item = self.model.item(row)
            if name_matches(str(item.data(NAME_ROLE) or item.text()), typed):
                if row != current:
                    self.staff_list.setCurrentIndex(item.index())
                    self.staff_list.scrollTo(item.index())
                    self.pin_edit.clear()
                return True
        return False

    def step_person(self, step: int) -> None:
        """The person above (-1) or below (+1) in the list; the PIN typed so far is dropped."""
        row = self.staff_list.currentIndex().row() + step
        if 0 <= row < self.model.rowCount():
            self.staff_list.setCurrentIndex(self.model.index(row, 0))
            self.staff_list.scrollTo(self.model.index(row, 0))
            self.pin_edit.clear()

    def prepare_switch(self, current_login: str) -> None:
        """Someone else is about to sign in: the one who used this PC most recently after
        ``current_login`` is selected and the list has the focus (type a name to pick another
        one, Enter, the PIN, Enter; or a digit to start the PIN of the selected one)."""
        other = next((x for x in recent_logins() if x != current_login), None)
        self.reload(preselect_login=other or current_login)
        self.staff_list.setFocus()

    def selected_staff_id(self) -> int | None:
        index = self.staff_list.currentIndex()
        if not index.isValid():
            return None
        return int(index.data(STAFF_ID_ROLE))

    def focus_start(self) -> None:
        """PIN first when someone is already picked (the usual case), else the list."""
        if self.selected_staff_id() is not None and app_settings().value(LAST_STAFF_KEY, "", str):
            self.pin_edit.setFocus()
        else:
            self.staff_list.setFocus()

    def set_heading(self, text: str) -> None:
        self.heading_label.setText(text)

    def show_error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()

    def clear_error(self) -> None:
        self.error_label.clear()
        self.error_label.hide()

    def _staff_activated(self, _index: QModelIndex) -> None:
        self.pin_edit.setFocus()

    def try_sign_in(self) -> None:
        """Check the PIN through services.auth; the service's message on refusal."""
        if self.before_sign_in is not None and not self.before_sign_in():
            return
        from shop_desk.services import auth

        if self.staff_list.hasFocus() and not self.pin_edit.text():
            self.pin_edit.setFocus()
            return
        staff_id = self.selected_staff_id()
        if staff_id is None:
            self.show_error(translate("Login", "Pick your name in the list."))
            self.staff_list.setFocus()
            return
        pin = self.pin_edit.text()
        if not pin:
            self.show_error(translate("Login", "Enter your PIN."))
            self.pin_edit.setFocus()
            return
        try:
            staff = auth.authenticate(staff_id, pin)
        except DomainError as exc:
            self.pin_edit.clear()
            self.show_error(str(exc))
            self.pin_edit.setFocus()
            return
        remember_sign_in(staff.login)
        self.pin_edit.clear()
        self.clear_error()
        self.signed_in.emit(staff)


class LoginDialog(QDialog):
    """The start-up sign-in (Enter signs in, Esc cancels); :attr:`staff` after accept."""

    def __init__(
        self,
        parent: QWidget | None = None,
        preview: LoginPreview | None = None,
        keys_later: bool = False,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("loginDialog")
        self.setWindowTitle(translate("Login", "Sign in — shop-desk"))
        self.staff: Staff | None = None
        layout = QVBoxLayout(self)
        self.login = LoginForm(self, preview=preview, keys_later=keys_later)
        layout.addWidget(self.login)
        self.login.signed_in.connect(self._signed_in)
        self.login.cancelled.connect(self.reject)
        self.resize(440, 540)
        self.login.focus_start()

    def _signed_in(self, staff: Staff) -> None:
        self.staff = staff
        self.accept()


class FirstStartDialog(QDialog):
    """An empty database: create the administrator (services.admin.bootstrap_admin)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("firstStartDialog")
        self.setWindowTitle(translate("Login", "First start — shop-desk"))
        self.staff: Staff | None = None
        self.form = load_form("first_start", self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.form)
        self.name_edit = child(self.form, QLineEdit, "nameEdit")
        self.login_edit = child(self.form, QLineEdit, "loginEdit")
        self.pin_edit = child(self.form, QLineEdit, "pinEdit")
        self.pin2_edit = child(self.form, QLineEdit, "pin2Edit")
        self.error_label = child(self.form, QLabel, "errorLabel")
        self.create_button = child(self.form, QPushButton, "createButton")
        child(self.form, QPushButton, "cancelButton").clicked.connect(self.reject)
        self.create_button.clicked.connect(self.create)
        self.error_label.hide()
        self.resize(500, self.sizeHint().height())
        self.name_edit.setFocus()

    def create(self) -> None:
        if self.pin_edit.text() != self.pin2_edit.text():
            self._error(translate("Login", "The two PINs differ. Type the same PIN twice."))
            self.pin2_edit.clear()
            self.pin2_edit.setFocus()
            return
        from shop_desk.services import admin

        try:
            self.staff = admin.bootstrap_admin(
                self.name_edit.text(), self.login_edit.text(), self.pin_edit.text()
            )
        except DomainError as exc:
            self._error(str(exc))
            return
        remember_sign_in(self.staff.login)
        self.accept()

    def _error(self, text: str) -> None:
        self.error_label.setText(text)
        self.error_label.show()
