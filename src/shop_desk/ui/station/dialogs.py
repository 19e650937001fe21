"""The base of the station's dialogs (:class:`StationDialog`, :class:`PassFailDialog`) and
their small helpers. The dialogs themselves live by subject: the car (accept, delay, send
back, parking: :mod:`.dialogs_car`), clocking (:mod:`.dialogs_clock`), the checks
(:mod:`.dialogs_checks`), parts (:mod:`.dialogs_parts`) and additional work
(:mod:`.dialogs_additional`).

Each dialog calls one service on OK; a refusal (DomainError) stays in the dialog with the
user's input (see :class:`~shop_desk.ui.shell.widgets.FormDialog`). Dialogs open with ``open()``
(window-modal, non-blocking) so tests drive them like a person would.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDateTime
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QWidget,
)

from shop_desk.errors import ConflictError
from shop_desk.i18n import translate
from shop_desk.models import RepairOrder, Staff
from shop_desk.ui.shell.widgets import FormDialog
from shop_desk.ui.station.common import (
    TOUCH_STYLE,
    set_flag,
)


def qdt(value: dt.datetime) -> QDateTime:
    return QDateTime(value.date(), value.time().replace(microsecond=0))


def pydt(value: QDateTime) -> dt.datetime:
    return value.toPython().replace(microsecond=0)


def text_edit(parent: QWidget, placeholder: str = "", height: int = 70) -> QPlainTextEdit:
    edit = QPlainTextEdit(parent)
    edit.setPlaceholderText(placeholder)
    edit.setTabChangesFocus(True)
    edit.setMinimumHeight(height)
    edit.setMaximumHeight(max(height, 120))
    return edit


def dec_text(text: str) -> str:
    return text.strip() or "0"


class StationDialog(FormDialog):
    """A FormDialog for one order: on a conflict (someone changed the order meanwhile) it
    offers Reload, which re-reads the order's version and keeps everything typed."""

    def __init__(
        self, title: str, actor: Staff, order: RepairOrder, parent: QWidget, ok_text: str
    ) -> None:
        super().__init__(title, parent, ok_text)
        self.setStyleSheet(TOUCH_STYLE)
        self.actor = actor
        self.order = order
        self.expected_version = order.version
        self.reload_button = self.buttons.addButton(
            translate("Station", "Reload"), QDialogButtonBox.ButtonRole.ResetRole
        )
        self.reload_button.setObjectName("reloadButton")
        self.reload_button.hide()
        self.reload_button.clicked.connect(self.reload_order)
        self.ok_button().setMinimumHeight(44)
        self.setMinimumWidth(520)

    def heading(self, text: str) -> QLabel:
        label = QLabel(text, self)
        label.setObjectName("dialogHeading")
        label.setWordWrap(True)
        label.setStyleSheet("font-weight: bold;")
        self.form.addRow(label)
        return label

    def reload_order(self) -> None:
        self.order = RepairOrder.get_by_id(self.order.id)
        self.expected_version = self.order.version
        self.reload_button.hide()
        self.error.show_info(
            translate(
                "Station", "Reloaded order {number}; your input is kept. Check and save again."
            ).format(number=self.order.number)
        )

    def run(self, fn, *args: Any, **kwargs: Any) -> Any:
        """Call a service; a conflict shows the Reload button (the input stays)."""
        try:
            return fn(self.actor, *args, **kwargs)
        except ConflictError:
            self.reload_button.show()
            raise


class PassFailDialog(StationDialog):
    """A check with two outcomes: OK = passed, a second button = failed (with a reason)."""

    def __init__(
        self,
        title: str,
        actor: Staff,
        order: RepairOrder,
        parent: QWidget,
        pass_text: str,
        fail_text: str,
    ) -> None:
        super().__init__(title, actor, order, parent, pass_text)
        self.passed = True
        self.fail_button = self.buttons.addButton(fail_text, QDialogButtonBox.ButtonRole.ActionRole)
        self.fail_button.setObjectName("failButton")
        self.fail_button.setAutoDefault(False)
        self.fail_button.setMinimumHeight(44)
        set_flag(self.fail_button, "danger", True)
        self.fail_button.clicked.connect(self._fail)
        set_flag(self.ok_button(), "primary", True)

    def _fail(self) -> None:
        self.passed = False
        try:
            self._on_ok()
        finally:
            self.passed = True
