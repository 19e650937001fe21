"""Admin tab "Staff and roles": people, their roles and PINs, sign-in state."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QLabel,
    QLineEdit,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import Staff, StaffRole
from shop_desk.roles import Role, role_label
from shop_desk.services import admin
from shop_desk.ui.shell.models import Column
from shop_desk.ui.shell.widgets import (
    FormDialog,
    roles_text,
)

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow

from shop_desk.ui.admin.certifications import CertificationsDialog
from shop_desk.ui.admin.common import TableTab

# --- read functions ------------------------------------------------------------------------


def staff_rows(include_inactive: bool = True) -> list[dict[str, Any]]:
    """Staff with roles and sign-in state, for the staff table."""
    query = Staff.select().order_by(Staff.active.desc(), Staff.name)
    if not include_inactive:
        query = query.where(Staff.active == True)  # noqa: E712
    people = list(query)
    roles: dict[int, list[str]] = {}
    for r in StaffRole.select().where(StaffRole.staff.in_([s.id for s in people])):
        roles.setdefault(r.staff_id, []).append(r.role)
    now = clock.now()
    rows = []
    for s in people:
        locked = bool(s.locked_until and s.locked_until > now)
        if not s.active:
            state = translate("AdminPages", "Inactive")
        elif locked:
            state = translate("AdminPages", "Locked until {time}").format(
                time=s.locked_until.strftime("%H:%M")
            )
        else:
            state = translate("AdminPages", "Active")
        rows.append(
            {
                "id": s.id,
                "name": s.name,
                "login": s.login,
                "phone": s.phone,
                "active": s.active,
                "roles": sorted(roles.get(s.id, [])),
                "roles_text": roles_text(roles.get(s.id, [])),
                "state": state,
            }
        )
    return rows


# --- staff ---------------------------------------------------------------------------------


class RolesBox(QWidget):
    """A checkbox per role, two columns."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        self.boxes: dict[str, QCheckBox] = {}
        for n, role in enumerate(Role):
            box = QCheckBox(role_label(role), self)
            box.setObjectName(f"role_{role.value}")
            self.boxes[role.value] = box
            grid.addWidget(box, n // 2, n % 2)

    def set_roles(self, roles: Sequence[str]) -> None:
        for code, box in self.boxes.items():
            box.setChecked(code in roles)

    def roles(self) -> list[str]:
        return [code for code, box in self.boxes.items() if box.isChecked()]


def _pin_edit() -> QLineEdit:
    edit = QLineEdit()
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    edit.setMaxLength(64)
    return edit


class StaffDialog(FormDialog):
    """New staff member (with PIN) or edit name, phone and roles of an existing one."""

    def __init__(
        self, actor: Staff, parent: QWidget | None = None, row: dict[str, Any] | None = None
    ) -> None:
        super().__init__(
            translate("AdminPages", "Edit staff member")
            if row
            else translate("AdminPages", "New staff member"),
            parent,
        )
        self.setObjectName("staffDialog")
        self.actor, self.row = actor, row
        self.name_edit = self.add_row("name", translate("AdminPages", "Name"), QLineEdit())
        self.login_edit = self.add_row("login", translate("AdminPages", "Login"), QLineEdit())
        self.phone_edit = self.add_row("phone", translate("AdminPages", "Phone"), QLineEdit())
        if row is None:
            self.pin_edit = self.add_row("pin", translate("AdminPages", "PIN"), _pin_edit())
            self.pin2_edit = self.add_row(
                "pin2", translate("AdminPages", "Repeat PIN"), _pin_edit()
            )
            self.pin_edit.setPlaceholderText(translate("AdminPages", "at least 4 characters"))
        self.roles_box = self.add_row("roles", translate("AdminPages", "Roles"), RolesBox())
        if row is not None:
            self.name_edit.setText(row["name"])
            self.login_edit.setText(row["login"])
            self.login_edit.setReadOnly(True)
            self.login_edit.setEnabled(False)
            self.phone_edit.setText(row["phone"])
            self.roles_box.set_roles(row["roles"])
        self.name_edit.setFocus()
        self.resize(460, self.sizeHint().height())

    def submit(self) -> Staff:
        if self.row is None:
            if self.pin_edit.text() != self.pin2_edit.text():
                self.pin2_edit.clear()
                raise ValidationError(
                    translate("AdminPages", "The two PINs differ. Type the same PIN twice."), "pin2"
                )
            return admin.create_staff(
                self.actor,
                self.name_edit.text(),
                self.login_edit.text(),
                self.pin_edit.text(),
                self.roles_box.roles(),
                phone=self.phone_edit.text(),
            )
        return admin.update_staff(
            self.actor,
            self.row["id"],
            name=self.name_edit.text(),
            roles=self.roles_box.roles(),
            phone=self.phone_edit.text(),
        )


class ResetPinDialog(FormDialog):
    def __init__(self, actor: Staff, row: dict[str, Any], parent: QWidget | None = None) -> None:
        super().__init__(
            translate("AdminPages", "Reset PIN of {name}").format(name=row["name"]),
            parent,
            translate("AdminPages", "Set new PIN"),
        )
        self.setObjectName("resetPinDialog")
        self.actor, self.row = actor, row
        hint = QLabel(
            translate(
                "AdminPages",
                "The new PIN replaces the old one at once and lifts a lock after wrong PINs.",
            )
        )
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.pin_edit = self.add_row("pin", translate("AdminPages", "New PIN"), _pin_edit())
        self.pin2_edit = self.add_row("pin2", translate("AdminPages", "Repeat PIN"), _pin_edit())
        self.pin_edit.setFocus()
        self.resize(440, self.sizeHint().height())

    def submit(self) -> Staff:
        if self.pin_edit.text() != self.pin2_edit.text():
            self.pin2_edit.clear()
            raise ValidationError(
                translate("AdminPages", "The two PINs differ. Type the same PIN twice."), "pin2"
            )
        return admin.update_staff(self.actor, self.row["id"], pin=self.pin_edit.text())


class StaffTab(TableTab):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(
            window,
            [
                Column(lambda: translate("AdminPages", "Name"), lambda r: r["name"]),
                Column(lambda: translate("AdminPages", "Login"), lambda r: r["login"]),
                Column(lambda: translate("AdminPages", "Roles"), lambda r: r["roles_text"]),
                Column(lambda: translate("AdminPages", "Phone"), lambda r: r["phone"]),
                Column(lambda: translate("AdminPages", "State"), lambda r: r["state"]),
            ],
            is_dimmed=lambda r: not r["active"],
            stretch_column=2,
        )
        self.setObjectName("staffTab")
        self.show_inactive = QCheckBox(translate("AdminPages", "Show inactive"), self)
        self.show_inactive.setObjectName("showInactive")
        self.show_inactive.toggled.connect(lambda _on: self.refresh())
        self.top.insertWidget(2, self.show_inactive)
        self.new_button = self.add_button(
            translate("AdminPages", "&New staff member…"), self.new, "newButton", admin.create_staff
        )
        self.edit_button = self.add_button(
            translate("AdminPages", "&Edit…"),
            self.edit_selected,
            "editButton",
            admin.update_staff,
            True,
        )
        self.pin_button = self.add_button(
            translate("AdminPages", "Reset &PIN…"),
            self.reset_pin,
            "pinButton",
            admin.update_staff,
            True,
        )
        self.certs_button = self.add_button(
            translate("AdminPages", "&Certifications…"),
            self.certifications_of_selected,
            "certificationsButton",
            None,
            True,
        )
        self.active_button = self.add_button(
            translate("AdminPages", "&Deactivate"),
            self.toggle_active,
            "activeButton",
            admin.update_staff,
            True,
        )
        self.refresh()

    def read(self) -> list[dict[str, Any]]:
        return staff_rows(include_inactive=self.show_inactive.isChecked())

    def selection_changed(self) -> None:
        super().selection_changed()
        row = self.selected()
        self.active_button.setText(
            translate("AdminPages", "Re&activate")
            if row and not row["active"]
            else translate("AdminPages", "&Deactivate")
        )

    def new(self) -> StaffDialog:
        dialog = StaffDialog(self.actor, self)
        dialog.accepted.connect(
            lambda: self._saved(
                dialog.result_value, translate("AdminPages", "{name} can now sign in.")
            )
        )
        dialog.open()
        return dialog

    def edit_selected(self) -> StaffDialog | None:
        row = self.selected()
        if row is None or not self.edit_button.isEnabled():
            return None
        dialog = StaffDialog(self.actor, self, row)
        dialog.accepted.connect(
            lambda: self._saved(dialog.result_value, translate("AdminPages", "{name} saved."))
        )
        dialog.open()
        return dialog

    def reset_pin(self) -> ResetPinDialog | None:
        row = self.selected()
        if row is None:
            return None
        dialog = ResetPinDialog(self.actor, row, self)
        dialog.accepted.connect(
            lambda: self._saved(
                dialog.result_value, translate("AdminPages", "New PIN set for {name}.")
            )
        )
        dialog.open()
        return dialog

    def certifications_of_selected(self) -> CertificationsDialog | None:
        """The selected person's certifications per skill (read by dispatch)."""
        row = self.selected()
        if row is None:
            return None
        dialog = CertificationsDialog(self.actor, Staff.get_by_id(row["id"]), self)
        dialog.finished.connect(lambda _code: self.refresh())
        self.certifications_dialog = dialog
        dialog.open()
        return dialog

    def toggle_active(self) -> None:
        row = self.selected()
        if row is None:
            return
        try:
            staff = admin.update_staff(self.actor, row["id"], active=not row["active"])
        except DomainError as exc:
            self.banner.show_error(str(exc))
            return
        if staff.active:
            self._saved(staff, translate("AdminPages", "{name} is active again and can sign in."))
        else:
            self.show_inactive.setChecked(True)
            self._saved(
                staff, translate("AdminPages", "{name} is deactivated and can no longer sign in.")
            )

    def _saved(self, staff: Staff, template: str) -> None:
        text = template.format(name=staff.name)
        self.refresh()
        self.select_where(lambda r: r["id"] == staff.id)
        self.banner.show_info(text)
        self.status(text)
