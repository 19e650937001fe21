"""The gate window (出门证 check at the exit): scan or type a gate pass, see the car, let it out.

The guard (or whoever stands at the gate) scans the pass or types its number, check code or
the plate; the window shows plate, model and colour with VALID / ALREADY USED / VOID /
NOT ISSUED / SEVERAL CARS in large letters (:func:`shop_desk.services.checkout.gate_status`).
"Let out" records the exit with the pass that check showed (``checkout.use_gate_pass``, which reads
the text exactly as the check does), closes the workshop part of the order and schedules the
follow-up call.

Opened from the main window's Go menu / toolbar ("Gate", Ctrl+G) and from the checkout page.
It is a non-modal dialog of the main window, so locking the main window closes it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.models import Staff
from shop_desk.roles import Role
from shop_desk.services import checkout
from shop_desk.services.checkout import GateStatus
from shop_desk.ui.shell.main_window import register_tool
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import ErrorBanner, allowed, app_settings

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow

_COLOURS = {
    "valid": ("#2e7d32", "#ffffff"),
    "left": ("#2e7d32", "#ffffff"),
    "used": ("#c62828", "#ffffff"),
    "void": ("#c62828", "#ffffff"),
    "not_issued": ("#c62828", "#ffffff"),
    "several": ("#e65100", "#ffffff"),
    "": ("#eceff1", "#455a64"),
}


def status_word(status: str) -> str:
    """The large word the gate shows for a pass status."""
    return {
        "valid": translate("Gate", "VALID"),
        "used": translate("Gate", "ALREADY USED"),
        "void": translate("Gate", "VOID"),
        "not_issued": translate("Gate", "NOT ISSUED"),
        "left": translate("Gate", "LET OUT"),
        "several": translate("Gate", "SEVERAL CARS"),
    }.get(status, translate("Gate", "Scan a gate pass"))


class GateWindow(QDialog):
    """Check a gate pass and let the car out; ``car_left(order_number)`` fires after an exit."""

    car_left = Signal(str)

    def __init__(self, staff: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("gateWindow")
        self.setWindowTitle(translate("Gate", "Gate — check the gate pass"))
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(False)
        self.staff = staff
        self.status: GateStatus | None = None
        self.key = ""
        outer = QVBoxLayout(self)
        self.form = load_form("gate_window", self)
        outer.addWidget(self.form)
        self.code_edit = child(self.form, QLineEdit, "codeEdit")
        self.check_button = child(self.form, QPushButton, "checkButton")
        self.status_label = child(self.form, QLabel, "statusLabel")
        self.plate_label = child(self.form, QLabel, "plateLabel")
        self.model_label = child(self.form, QLabel, "modelLabel")
        self.colour_label = child(self.form, QLabel, "colourLabel")
        self.order_label = child(self.form, QLabel, "orderLabel")
        self.pass_label = child(self.form, QLabel, "passLabel")
        self.let_out_button = child(self.form, QPushButton, "letOutButton")
        self.close_button = child(self.form, QPushButton, "closeButton")
        self.banner = ErrorBanner(self.form)
        self.banner.setObjectName("gateBanner")
        layout = self.form.layout()
        layout.insertWidget(layout.indexOf(self.status_label) + 1, self.banner)
        for button in (self.let_out_button, self.check_button, self.close_button):
            button.setAutoDefault(False)
            button.setDefault(False)
        self.may_let_out = allowed(staff, checkout.use_gate_pass)
        if not self.may_let_out:
            self.let_out_button.setToolTip(translate("Gate", "Your roles do not allow this."))
        self.code_edit.returnPressed.connect(self.check)
        self.check_button.clicked.connect(self.check)
        self.let_out_button.clicked.connect(self.let_out)
        self.close_button.clicked.connect(self.close)
        self.code_edit.textEdited.connect(self._edited)
        self._show(None)
        self.resize(560, 520)
        geometry = app_settings().value("gate/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        self.code_edit.setFocus()

    def check(self, text: str | None = None) -> GateStatus | None:
        """Look the pass up (``text`` or what is typed) and show what the gate sees."""
        if text is not None:
            self.code_edit.setText(text)
        key = self.code_edit.text().strip()
        self.banner.clear_message()
        if not key:
            self._show(None)
            return None
        self.key = key
        self.status = checkout.gate_status(key)
        self._show(self.status)
        if self.status.status in ("several", "void"):  # name the cars / the voided pass
            self.banner.show_error(self.status.message)
        self.code_edit.selectAll()  # the next scan replaces it; Enter never lets a car out
        return self.status

    def let_out(self) -> bool:
        """Record the exit with the pass the check showed (found by plate, number, code or QR);
        if that pass is no longer valid, say why and show what the gate sees now."""
        if self.status is None or self.status.status != "valid" or not self.status.number:
            return False
        try:
            gate_pass = checkout.use_gate_pass(self.staff, self.status.number)
        except DomainError as exc:
            self.banner.show_error(str(exc))
            self.check(self.key)
            self.banner.show_error(str(exc))
            return False
        shown = self.status
        self.status = checkout.gate_status(gate_pass.number)
        self._show(self.status, word=status_word("left"), colour="left")
        when = gate_pass.used_at.strftime("%H:%M") if gate_pass.used_at else ""
        self.banner.show_info(
            translate(
                "Gate",
                "{plate} let out at {time}. The follow-up call is scheduled.",
            ).format(plate=shown.plate, time=when)
        )
        self.car_left.emit(shown.order_number)
        self.code_edit.selectAll()
        self.code_edit.setFocus()
        return True

    def _edited(self, _text: str) -> None:
        if self.status is not None:
            self.status = None
            self._show(None)
            self.banner.clear_message()

    def _show(self, status: GateStatus | None, word: str = "", colour: str = "") -> None:
        code = colour or (status.status if status else "")
        bg, fg = _COLOURS.get(code, _COLOURS[""])
        size = "40pt" if status is not None else "16pt"
        self.status_label.setStyleSheet(
            f"background:{bg}; color:{fg}; font-size:{size}; font-weight:bold; "
            "border-radius:6px; padding:12px;"
        )
        self.status_label.setText(word or status_word(status.status if status else ""))
        self.status_label.setProperty("status", code)
        self.plate_label.setText(status.plate if status and status.plate else "—")
        self.model_label.setText(status.model if status and status.model else "—")
        self.colour_label.setText(status.colour if status and status.colour else "—")
        self.order_label.setText(status.order_number if status and status.order_number else "—")
        if status is None or not status.number:
            self.pass_label.setText("—")
        elif status.used_at is not None:
            self.pass_label.setText(
                translate("Gate", "{number}, used at {when}").format(
                    number=status.number, when=status.used_at.strftime("%Y-%m-%d %H:%M")
                )
            )
        else:
            self.pass_label.setText(status.number)
        valid = status is not None and status.status == "valid" and not colour
        self.let_out_button.setEnabled(valid and self.may_let_out)

    def closeEvent(self, event) -> None:  # noqa: ANN001 - Qt signature
        app_settings().setValue("gate/geometry", self.saveGeometry())
        super().closeEvent(event)


def open_gate_window(window: MainWindow, text: str | None = None) -> GateWindow:
    """Show the gate window of ``window`` (reusing an open one); ``text`` is checked at once."""
    gate = next((g for g in window.findChildren(GateWindow) if g.isVisible()), None)
    if gate is None:
        gate = GateWindow(window.staff, window)
        gate.car_left.connect(lambda _number: _refresh_checkout(window))
    gate.show()
    gate.raise_()
    gate.activateWindow()
    if text:
        gate.check(text)
    return gate


def _refresh_checkout(window: MainWindow) -> None:
    page = window.pages.get("checkout")
    if page is not None and hasattr(page, "refresh"):
        page.refresh()


register_tool(
    "gate",
    lambda: translate("Gate", "&Gate"),
    (Role.ADVISOR, Role.CASHIER, Role.SUPERVISOR, Role.ADMIN, Role.MANAGER),
    open_gate_window,
    "Ctrl+G",
)
