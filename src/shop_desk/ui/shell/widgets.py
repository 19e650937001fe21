"""Small shared pieces of the GUI: settings store, inline error banner, role checks, inputs."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QDate, QRegularExpression, Qt
from PySide6.QtGui import QRegularExpressionValidator, QShowEvent
from PySide6.QtWidgets import (
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QSizePolicy,
    QVBoxLayout,
    QWidget,
)

from shop_desk.i18n import translate
from shop_desk.roles import Role
from shop_desk.ui.shell.fit import fit_to_screen
from shop_desk.ui.shell.prefs import app_settings, join_list, roles_text  # noqa: F401 (moved there)

if TYPE_CHECKING:  # the login window shows before the models are loaded
    from shop_desk.models import Staff

ORGANISATION = "shop-desk"
APPLICATION = "shop-desk"


def allowed(staff: Staff, operation: Callable[..., Any] | Iterable[Role | str]) -> bool:
    """May ``staff`` run this @service function (or hold one of these roles)?

    The UI uses it to disable what the service would refuse anyway; the service stays the
    authority."""
    roles = getattr(operation, "roles", operation)
    wanted = {Role(r).value for r in roles}
    return not wanted or bool(staff.role_set() & wanted)


class ErrorBanner(QLabel):
    """An inline message above a form or table: red for errors, green for confirmations."""

    _STYLES = {
        "error": "background:#fdecea; color:#8a1c12; border:1px solid #f3b4ad; border-radius:4px; padding:6px;",
        "info": "background:#e8f4ea; color:#1d5a2b; border:1px solid #a9d3b2; border-radius:4px; padding:6px;",
    }

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWordWrap(True)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.hide()
        self.kind = ""

    def show_error(self, text: str) -> None:
        self._show(text, "error")

    def show_info(self, text: str) -> None:
        self._show(text, "info")

    def _show(self, text: str, kind: str) -> None:
        self.kind = kind
        self.setStyleSheet(self._STYLES[kind])
        self.setText(text)
        self.show()

    def clear_message(self) -> None:
        self.kind = ""
        self.clear()
        self.hide()


def message(
    parent: QWidget | None, title: str, text: str, icon: QMessageBox.Icon = QMessageBox.Icon.Warning
) -> QMessageBox:
    """A window-modal message box that does not block the caller (tests can find and close it)."""
    box = QMessageBox(icon, title, text, QMessageBox.StandardButton.Ok, parent)
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.setObjectName("messageBox")
    box.open()
    return box


def ask(
    parent: QWidget | None, title: str, text: str, yes_text: str, on_yes: Callable[[], None]
) -> QMessageBox:
    """Ask before something that cannot be undone; No is the default, nothing blocks.

    ``on_yes`` runs when the user picks ``yes_text``."""
    box = QMessageBox(
        QMessageBox.Icon.Question, title, text, QMessageBox.StandardButton.NoButton, parent
    )
    box.setObjectName("askBox")
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    yes = box.addButton(yes_text, QMessageBox.ButtonRole.AcceptRole)
    yes.setObjectName("yesButton")
    no = box.addButton(translate("Widgets", "Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(no)
    box.setEscapeButton(no)

    def clicked(button) -> None:
        if button is yes:
            on_yes()

    box.buttonClicked.connect(clicked)
    box.open()
    return box


def decimal_validator(
    parent: QWidget, integer_digits: int = 7, places: int = 2
) -> QRegularExpressionValidator:
    """Digits with an optional decimal point: money and hours are typed, never floats."""
    pattern = rf"^\d{{0,{integer_digits}}}([.]\d{{0,{places}}})?$"
    return QRegularExpressionValidator(QRegularExpression(pattern), parent)


def decimal_edit(
    parent: QWidget | None = None, places: int = 2, integer_digits: int = 7
) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setValidator(decimal_validator(edit, integer_digits, places))
    edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return edit


def date_edit(parent: QWidget | None, day: dt.date) -> QDateEdit:
    """A date field with the calendar pop-up, in the ISO form the forms print."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    edit.setDate(QDate(day.year, day.month, day.day))
    return edit


def whole_number_edit(parent: QWidget | None = None, digits: int = 7) -> QLineEdit:
    """Digits only (days, kilometres); empty is left to the service to read as "none"."""
    edit = QLineEdit(parent)
    edit.setValidator(QRegularExpressionValidator(QRegularExpression(rf"^\d{{0,{digits}}}$"), edit))
    edit.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
    return edit


def mark_invalid(widget: QWidget | None, invalid: bool = True) -> None:
    """Outline a field the service named in its ValidationError."""
    if widget is None:
        return
    widget.setProperty("invalid", invalid)
    widget.setStyleSheet("border: 1px solid #c62828;" if invalid else "")


class FormDialog(QDialog):
    """A dialog with a form, an inline error line and OK/Cancel (Enter = OK, Esc = Cancel).

    ``submit`` is called on OK; a DomainError it raises is shown inline and the dialog stays
    open with the user's input."""

    def __init__(
        self, title: str, parent: QWidget | None = None, ok_text: str | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setModal(True)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        outer = QVBoxLayout(self)
        self.form = QFormLayout()
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        outer.addLayout(self.form)
        self.error = ErrorBanner(self)
        self.error.setObjectName("errorBanner")
        outer.addWidget(self.error)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(ok_text or translate("Widgets", "Save"))
        ok.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(
            translate("Widgets", "Cancel")
        )
        self.buttons.accepted.connect(self._on_ok)
        self.buttons.rejected.connect(self.reject)
        outer.addWidget(self.buttons)
        self.fields: dict[str, QWidget] = {}
        self.result_value: Any = None

    def ok_button(self):
        return self.buttons.button(QDialogButtonBox.StandardButton.Ok)

    def showEvent(self, event: QShowEvent) -> None:  # noqa: N802 - Qt's name
        super().showEvent(event)
        fit_to_screen(self)  # a long form on a 1280×720 screen keeps its buttons in sight

    def add_row(self, key: str, label: str, widget: QWidget) -> QWidget:
        widget.setObjectName(key)
        self.form.addRow(label, widget)
        self.fields[key] = widget
        return widget

    def submit(self) -> Any:  # pragma: no cover - overridden
        raise NotImplementedError

    def _on_ok(self) -> None:
        from shop_desk.errors import DomainError, ValidationError

        for widget in self.fields.values():
            if widget.property("invalid"):
                mark_invalid(widget, False)
        try:
            self.result_value = self.submit()
        except DomainError as exc:
            self.error.show_error(str(exc))
            if isinstance(exc, ValidationError) and exc.field in self.fields:
                mark_invalid(self.fields[exc.field])
                self.fields[exc.field].setFocus()
            return
        self.accept()
