"""Admin area: shop settings, staff and roles, teams, labour-operation and parts catalogues.

Every change goes through :mod:`shop_desk.services.admin`; a refusal (DomainError) is shown
inline and the user's input stays. Buttons a role may not use are disabled (the service
would refuse anyway).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, Qt, QTime
from PySide6.QtGui import QImage, QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QTableView,
    QTabWidget,
    QTimeEdit,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import LabourOperation, Part, Staff, StaffRole, Team, TeamMember, TeamSkill
from shop_desk.models.catalogue import CATEGORIES
from shop_desk.roles import Role, role_label
from shop_desk.services import admin
from shop_desk.services.orders import settings
from shop_desk.ui.admin.backups import BackupsTab
from shop_desk.ui.shell.main_window import register_page
from shop_desk.ui.shell.models import Column, RowTableModel, filter_proxy, row_of
from shop_desk.ui.shell.prefs import skill_label
from shop_desk.ui.shell.uiload import child, load_form
from shop_desk.ui.shell.widgets import (
    ErrorBanner,
    FormDialog,
    allowed,
    app_settings,
    ask,
    decimal_edit,
    join_list,
    mark_invalid,
    roles_text,
)

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow


def category_label(code: str) -> str:
    return {
        "general": translate("AdminPages", "General"),
        "wear": translate("AdminPages", "Wear part"),
        "accessory": translate("AdminPages", "Accessory"),
        "maintenance": translate("AdminPages", "Maintenance"),
        "body": translate("AdminPages", "Body and paint"),
    }.get(code, code)


def _roles_text(codes: Sequence[str]) -> str:
    return roles_text(codes)


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
                "roles_text": _roles_text(roles.get(s.id, [])),
                "state": state,
            }
        )
    return rows


def team_rows() -> list[dict[str, Any]]:
    teams = list(Team.select().order_by(Team.name))
    members: dict[int, list[tuple[int, str, bool]]] = {}
    for m in TeamMember.select(TeamMember, Staff).join(Staff).order_by(Staff.name):
        members.setdefault(m.team_id, []).append((m.staff_id, m.staff.name, m.is_leader))
    skills: dict[int, list[str]] = {}
    for sk in TeamSkill.select().order_by(TeamSkill.skill):
        skills.setdefault(sk.team_id, []).append(sk.skill)
    rows = []
    for t in teams:
        ms = members.get(t.id, [])
        leader = next((m for m in ms if m[2]), None)
        rows.append(
            {
                "id": t.id,
                "name": t.name,
                "capacity": t.capacity_hours,
                "active": t.active,
                "member_ids": [m[0] for m in ms],
                "members_text": join_list(m[1] for m in ms),
                "leader_id": leader[0] if leader else None,
                "leader": leader[1] if leader else "",
                "skills": skills.get(t.id, []),
                "skills_text": join_list(skill_label(k) for k in skills.get(t.id, [])),
            }
        )
    return rows


def labour_rows() -> list[LabourOperation]:
    return list(LabourOperation.select().order_by(LabourOperation.code))


def part_rows() -> list[Part]:
    return list(Part.select().order_by(Part.part_no))


def skill_code(text: str) -> str:
    """The stored skill for what the user picked or typed (a label or a code)."""
    text = text.strip()
    for code in known_skills():
        if text in (code, skill_label(code)):
            return code
    return text


def known_skills() -> list[str]:
    found = {s.skill for s in TeamSkill.select(TeamSkill.skill).distinct()}
    found |= {op.skill for op in LabourOperation.select(LabourOperation.skill).distinct()}
    return sorted(found | {"mechanical", "electrical", "chassis", "body"})


def read_text_file(path: str | Path) -> str:
    """A CSV as text: UTF-8 (with or without BOM), else GB18030 (Excel on Chinese Windows)."""
    data = Path(path).read_bytes()
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def csv_keys(text: str, key_column: str) -> list[str]:
    """The key column of a CSV (empty when the header lacks it: the service says why)."""
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    match = next((f for f in (reader.fieldnames or []) if f and f.strip() == key_column), None)
    if match is None:
        return []
    return [(row.get(match) or "").strip() for row in reader]


# --- shared table page ---------------------------------------------------------------------


class TableTab(QWidget):
    """Filter box, buttons, inline message and a sortable table; subclasses fill the rows."""

    def __init__(
        self,
        window: MainWindow,
        columns: Sequence[Column],
        is_dimmed: Callable[[Any], bool] | None = None,
        stretch_column: int = 1,
    ) -> None:
        super().__init__()
        self.window_ = window
        self.stretch_column = stretch_column
        layout = QVBoxLayout(self)
        self.top = QHBoxLayout()
        self.filter_edit = QLineEdit(self)
        self.filter_edit.setObjectName("filterEdit")
        self.filter_edit.setPlaceholderText(translate("AdminPages", "Filter…"))
        self.filter_edit.setClearButtonEnabled(True)
        self.filter_edit.setMaximumWidth(320)
        self.top.addWidget(self.filter_edit)
        self.count_label = QLabel(self)
        self.count_label.setStyleSheet("color: #666;")
        self.top.addWidget(self.count_label)
        self.top.addStretch(1)
        layout.addLayout(self.top)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        layout.addWidget(self.banner)
        self.model = RowTableModel(columns, self, is_dimmed)
        self.proxy = filter_proxy(self.model, self)
        self.table = QTableView(self)
        self.table.setObjectName("table")
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.table.verticalHeader().hide()
        self.table.verticalHeader().setDefaultSectionSize(self.table.fontMetrics().height() + 8)
        self.table.horizontalHeader().setHighlightSections(False)
        self.table.horizontalHeader().setSectionResizeMode(
            stretch_column, QHeaderView.ResizeMode.Stretch
        )
        self.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)
        layout.addWidget(self.table, 1)
        self.filter_edit.textChanged.connect(self._filter)
        self.table.activated.connect(lambda _index: self.edit_selected())
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self.selection_changed())
        self.setTabOrder(self.filter_edit, self.table)

    @property
    def actor(self) -> Staff:
        return self.window_.staff

    def add_button(
        self,
        text: str,
        slot: Callable[[], None],
        name: str,
        operation: Any = None,
        needs_selection: bool = False,
    ) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        button.setProperty("needs_selection", needs_selection)
        if operation is not None and not allowed(self.actor, operation):
            button.setEnabled(False)
            button.setProperty("forbidden", True)
            button.setToolTip(translate("AdminPages", "Your roles do not allow this."))
        self.top.addWidget(button)
        return button

    def read(self) -> list[Any]:  # pragma: no cover - overridden
        raise NotImplementedError

    def refresh(self) -> None:
        """Re-read the rows (keeps the filter, the sort order and the selected row's key)."""
        current = self.selected()
        self.model.set_rows(self.read())
        self.table.resizeColumnsToContents()
        for col in range(self.model.columnCount()):
            if col != self.stretch_column and self.table.columnWidth(col) > 360:
                self.table.setColumnWidth(col, 360)
        if current is not None:
            self.select_where(lambda row: self.key(row) == self.key(current))
        self._update_count()
        self.selection_changed()

    def key(self, row: Any) -> Any:
        return row["id"] if isinstance(row, dict) else row.id

    def select_where(self, predicate: Callable[[Any], bool]) -> bool:
        for r in range(self.proxy.rowCount()):
            index = self.proxy.index(r, 0)
            if predicate(row_of(self.proxy, index)):
                self.table.setCurrentIndex(index)
                self.table.selectRow(r)
                self.table.scrollTo(index)
                return True
        return False

    def selected(self) -> Any:
        return (
            row_of(self.proxy, self.table.currentIndex())
            if self.table.currentIndex().isValid()
            else None
        )

    def _filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        self._update_count()

    def _update_count(self) -> None:
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        text = (
            translate("AdminPages", "{n} entries").format(n=total)
            if shown == total
            else translate("AdminPages", "{shown} of {n} entries").format(shown=shown, n=total)
        )
        self.count_label.setText(text)

    def selection_changed(self) -> None:
        has = self.selected() is not None
        for button in self.findChildren(QPushButton):
            if button.property("needs_selection") and not button.property("forbidden"):
                button.setEnabled(has)

    def edit_selected(self) -> None:
        pass

    def status(self, text: str) -> None:
        self.window_.show_status(text)


# --- settings ------------------------------------------------------------------------------


class SettingsTab(QWidget):
    """The shop settings form (forms/settings_form.ui)."""

    TEXT = {
        "name": "nameEdit",
        "address": "addressEdit",
        "phone": "phoneEdit",
        "peak_hours": "peakHoursEdit",
        "labour_rate": "labourRateEdit",
        "discount_limit_percent": "discountLimitEdit",
    }
    INTS = {
        "service_interval_km": "serviceKmSpin",
        "service_interval_months": "serviceMonthsSpin",
        "comeback_window_days": "comebackDaysSpin",
        "follow_up_days": "followUpDaysSpin",
        "follow_up_retries": "followUpRetriesSpin",
        "sanbao_days": "sanbaoDaysSpin",
        "sanbao_km": "sanbaoKmSpin",
        "bays": "baysSpin",
        "idle_lock_minutes": "idleLockSpin",
    }
    TIMES = {"workday_start": "workdayStartEdit", "workday_end": "workdayEndEdit"}

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.window_ = window
        self.setObjectName("settingsTab")
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        outer.addWidget(self.banner)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        self.form = load_form("settings_form")
        scroll.setWidget(self.form)
        outer.addWidget(scroll, 1)
        self.widgets: dict[str, QWidget] = {}
        for key, name in self.TEXT.items():
            self.widgets[key] = child(self.form, QLineEdit, name)
        for key, name in self.INTS.items():
            self.widgets[key] = child(self.form, QSpinBox, name)
        for key, name in self.TIMES.items():
            self.widgets[key] = child(self.form, QTimeEdit, name)
        self.widgets["tax_rate"] = child(self.form, QSpinBox, "taxRateSpin")
        for key, widget in self.widgets.items():
            if key not in ("name", "address", "phone", "peak_hours"):
                widget.setMaximumWidth(170)
        for key in ("labour_rate", "discount_limit_percent"):
            edit = self.widgets[key]
            assert isinstance(edit, QLineEdit)
            from shop_desk.ui.shell.widgets import decimal_validator

            edit.setValidator(decimal_validator(edit, 6 if key == "labour_rate" else 3, 2))
        self.logo_preview = child(self.form, QLabel, "logoPreview")
        self.widgets["logo"] = self.logo_preview
        child(self.form, QPushButton, "chooseLogoButton").clicked.connect(self.choose_logo)
        child(self.form, QPushButton, "clearLogoButton").clicked.connect(self.clear_logo)
        self.save_button = child(self.form, QPushButton, "saveButton")
        self.save_button.clicked.connect(self.save)
        child(self.form, QPushButton, "revertButton").clicked.connect(self.load)
        if not allowed(window.staff, admin.update_settings):
            self.save_button.setEnabled(False)
        self.loaded: dict[str, Any] = {}
        self.logo: bytes | None = None
        self.load()

    def refresh(self) -> None:
        self.load()

    def load(self) -> None:
        """Show the stored settings (drops unsaved edits)."""
        row = settings()
        for key in self.TEXT:
            value = getattr(row, key)
            self.widgets[key].setText(
                self._decimal_text(value) if isinstance(value, Decimal) else str(value or "")
            )
        for key in self.INTS:
            self.widgets[key].setValue(int(getattr(row, key) or 0))
        for key in self.TIMES:
            hh, mm = (int(x) for x in (getattr(row, key) or "00:00").split(":"))
            self.widgets[key].setTime(QTime(hh, mm))
        self.widgets["tax_rate"].setValue(int((row.tax_rate * 100).to_integral_value()))
        self._set_logo(row.logo)
        self.loaded = self.values()
        for widget in self.widgets.values():
            mark_invalid(widget, False)
        self.banner.clear_message()

    @staticmethod
    def _decimal_text(value: Decimal) -> str:
        return (
            format(value.normalize(), "f")
            if value == value.to_integral_value()
            else format(value, "f")
        )

    def values(self) -> dict[str, Any]:
        """The form as the service takes it (text for decimals, ints, HH:MM, bytes)."""
        out: dict[str, Any] = {}
        for key in self.TEXT:
            out[key] = self.widgets[key].text().strip()
        for key in self.INTS:
            out[key] = self.widgets[key].value()
        for key in self.TIMES:
            out[key] = self.widgets[key].time().toString("HH:mm")
        out["tax_rate"] = str(Decimal(self.widgets["tax_rate"].value()) / 100)
        out["logo"] = self.logo
        return out

    def changes(self) -> dict[str, Any]:
        now = self.values()
        return {k: v for k, v in now.items() if self.loaded.get(k) != v}

    def save(self) -> None:
        changes = self.changes()
        for widget in self.widgets.values():
            mark_invalid(widget, False)
        if not changes:
            self.banner.show_info(translate("AdminPages", "Nothing changed."))
            return
        try:
            admin.update_settings(self.window_.staff, **changes)
        except DomainError as exc:
            self.banner.show_error(str(exc))
            if isinstance(exc, ValidationError) and exc.field in self.widgets:
                mark_invalid(self.widgets[exc.field])
                self.widgets[exc.field].setFocus()
            return
        self.loaded = self.values()
        self.banner.show_info(translate("AdminPages", "Settings saved."))
        self.window_.show_status(translate("AdminPages", "Settings saved."))
        self.window_.reload_settings()

    def choose_logo(self) -> None:
        path, _ = QFileDialog.getOpenFileName(
            self,
            translate("AdminPages", "Choose the shop logo"),
            "",
            translate("AdminPages", "Images (*.png *.jpg *.jpeg *.bmp)"),
        )
        if path:
            self.use_logo_file(path)

    def use_logo_file(self, path: str) -> bool:
        image = QImage(path)
        if image.isNull():
            self.banner.show_error(
                translate("AdminPages", "{name} is not an image shop-desk can read.").format(
                    name=Path(path).name
                )
            )
            return False
        if image.width() > 600:
            image = image.scaledToWidth(600, Qt.TransformationMode.SmoothTransformation)
        data = QByteArray()
        buffer = QBuffer(data)
        buffer.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buffer, "PNG")
        buffer.close()
        self._set_logo(bytes(data.data()))
        return True

    def clear_logo(self) -> None:
        self._set_logo(None)

    def _set_logo(self, data: bytes | None) -> None:
        self.logo = data
        if data:
            pixmap = QPixmap()
            pixmap.loadFromData(data)
            self.logo_preview.setPixmap(
                pixmap.scaled(
                    156,
                    44,
                    Qt.AspectRatioMode.KeepAspectRatio,
                    Qt.TransformationMode.SmoothTransformation,
                )
            )
        else:
            self.logo_preview.setPixmap(QPixmap())
            self.logo_preview.setText(translate("AdminPages", "No logo"))


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


# --- teams ---------------------------------------------------------------------------------


class TeamDialog(FormDialog):
    """Team name, daily capacity, members with the leader, and skills (for dispatch)."""

    def __init__(
        self, actor: Staff, parent: QWidget | None = None, row: dict[str, Any] | None = None
    ) -> None:
        super().__init__(
            translate("AdminPages", "Edit team") if row else translate("AdminPages", "New team"),
            parent,
        )
        self.setObjectName("teamDialog")
        self.actor, self.row = actor, row
        self.name_edit = self.add_row("name", translate("AdminPages", "Team name"), QLineEdit())
        self.capacity_edit = self.add_row(
            "capacity_hours",
            translate("AdminPages", "Capacity (hours per day)"),
            decimal_edit(places=2, integer_digits=3),
        )
        self.members_list = self.add_row(
            "members", translate("AdminPages", "Members"), QListWidget()
        )
        self.members_list.setMinimumHeight(240)
        self.leader_combo = self.add_row(
            "leader", translate("AdminPages", "Team leader"), QComboBox()
        )
        skills_box = QWidget()
        skills_layout = QVBoxLayout(skills_box)
        skills_layout.setContentsMargins(0, 0, 0, 0)
        self.skills_list = QListWidget(skills_box)
        self.skills_list.setObjectName("skillsList")
        self.skills_list.setFixedHeight(self.skills_list.fontMetrics().height() * 5 + 8)
        add_row = QHBoxLayout()
        self.new_skill_edit = QLineEdit(skills_box)
        self.new_skill_edit.setObjectName("newSkillEdit")
        self.new_skill_edit.setPlaceholderText(translate("AdminPages", "Another skill"))
        add_button = QPushButton(translate("AdminPages", "Add"), skills_box)
        add_button.setAutoDefault(False)
        add_button.clicked.connect(self.add_skill)
        self.new_skill_edit.installEventFilter(self)  # Enter adds the skill, not "Save"
        add_row.addWidget(self.new_skill_edit)
        add_row.addWidget(add_button)
        skills_layout.addWidget(self.skills_list)
        skills_layout.addLayout(add_row)
        self.add_row("skills", translate("AdminPages", "Skills"), skills_box)
        chosen = set(row["member_ids"]) if row else set()
        for staff, roles in self._candidates():
            item = QListWidgetItem(f"{staff.name}  ({_roles_text(roles)})")
            item.setData(Qt.ItemDataRole.UserRole, staff.id)
            item.setData(Qt.ItemDataRole.UserRole + 1, staff.name)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                Qt.CheckState.Checked if staff.id in chosen else Qt.CheckState.Unchecked
            )
            self.members_list.addItem(item)
        team_skills = set(row["skills"]) if row else set()
        for skill in sorted(set(known_skills()) | team_skills):
            self._skill_item(skill, skill in team_skills)
        self.members_list.itemChanged.connect(lambda _item: self._fill_leaders())
        if row:
            self.name_edit.setText(row["name"])
            self.capacity_edit.setText(format(row["capacity"], "f"))
        else:
            self.capacity_edit.setText("16")
        self._fill_leaders(row["leader_id"] if row else None)
        self.name_edit.setFocus()
        self.resize(520, self.sizeHint().height())

    @staticmethod
    def _candidates() -> list[tuple[Staff, list[str]]]:
        from shop_desk.ui.shell.login import active_staff

        workshop = {
            Role.TECHNICIAN.value,
            Role.TEAM_LEADER.value,
            Role.WASHER.value,
            Role.INSPECTOR.value,
        }
        people = active_staff()
        return sorted(people, key=lambda p: (not (set(p[1]) & workshop), p[0].name))

    def _skill_item(self, skill: str, checked: bool) -> None:
        item = QListWidgetItem(skill_label(skill))
        item.setData(Qt.ItemDataRole.UserRole, skill)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
        self.skills_list.addItem(item)

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if (
            watched is self.new_skill_edit
            and event.type() == QEvent.Type.KeyPress
            and event.key() in (Qt.Key.Key_Return, Qt.Key.Key_Enter)
        ):
            self.add_skill()
            return True
        return super().eventFilter(watched, event)

    def add_skill(self) -> None:
        skill = skill_code(self.new_skill_edit.text())
        if not skill:
            return
        existing = [
            self.skills_list.item(i)
            for i in range(self.skills_list.count())
            if self.skills_list.item(i).data(Qt.ItemDataRole.UserRole) == skill
        ]
        if existing:
            existing[0].setCheckState(Qt.CheckState.Checked)
        else:
            self._skill_item(skill, True)
        self.new_skill_edit.clear()

    def member_ids(self) -> list[int]:
        return [
            int(self.members_list.item(i).data(Qt.ItemDataRole.UserRole))
            for i in range(self.members_list.count())
            if self.members_list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def skills(self) -> list[str]:
        return [
            self.skills_list.item(i).data(Qt.ItemDataRole.UserRole)
            for i in range(self.skills_list.count())
            if self.skills_list.item(i).checkState() == Qt.CheckState.Checked
        ]

    def _fill_leaders(self, wanted: int | None = None) -> None:
        current = wanted if wanted is not None else self.leader_combo.currentData()
        self.leader_combo.blockSignals(True)
        self.leader_combo.clear()
        self.leader_combo.addItem(translate("AdminPages", "(no leader)"), None)
        for i in range(self.members_list.count()):
            item = self.members_list.item(i)
            if item.checkState() == Qt.CheckState.Checked:
                self.leader_combo.addItem(
                    item.data(Qt.ItemDataRole.UserRole + 1), item.data(Qt.ItemDataRole.UserRole)
                )
        index = self.leader_combo.findData(current) if current is not None else 0
        self.leader_combo.setCurrentIndex(max(0, index))
        self.leader_combo.blockSignals(False)

    def submit(self) -> Team:
        return admin.save_team(
            self.actor,
            self.name_edit.text(),
            self.capacity_edit.text(),
            members=self.member_ids(),
            leader_id=self.leader_combo.currentData(),
            skills=self.skills(),
            team_id=self.row["id"] if self.row else None,
        )


class TeamsTab(TableTab):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(
            window,
            [
                Column(lambda: translate("AdminPages", "Team"), lambda r: r["name"]),
                Column(lambda: translate("AdminPages", "Team leader"), lambda r: r["leader"]),
                Column(lambda: translate("AdminPages", "Members"), lambda r: r["members_text"]),
                Column(lambda: translate("AdminPages", "Skills"), lambda r: r["skills_text"]),
                Column(
                    lambda: translate("AdminPages", "Capacity (hours per day)"),
                    lambda r: r["capacity"],
                    align_right=True,
                ),
            ],
            is_dimmed=lambda r: not r["active"],
            stretch_column=2,
        )
        self.setObjectName("teamsTab")
        self.new_button = self.add_button(
            translate("AdminPages", "&New team…"), self.new, "newButton", admin.save_team
        )
        self.edit_button = self.add_button(
            translate("AdminPages", "&Edit…"),
            self.edit_selected,
            "editButton",
            admin.save_team,
            True,
        )
        self.refresh()

    def read(self) -> list[dict[str, Any]]:
        return team_rows()

    def new(self) -> TeamDialog:
        return self._open(TeamDialog(self.actor, self))

    def edit_selected(self) -> TeamDialog | None:
        row = self.selected()
        if row is None or not self.edit_button.isEnabled():
            return None
        return self._open(TeamDialog(self.actor, self, row))

    def _open(self, dialog: TeamDialog) -> TeamDialog:
        def done() -> None:
            team = dialog.result_value
            self.refresh()
            self.select_where(lambda r: r["id"] == team.id)
            text = translate("AdminPages", "Team {name} saved.").format(name=team.name)
            self.banner.show_info(text)
            self.status(text)

        dialog.accepted.connect(done)
        dialog.open()
        return dialog


# --- catalogues ----------------------------------------------------------------------------


def _category_combo(current: str = "general") -> QComboBox:
    combo = QComboBox()
    for code in CATEGORIES:
        combo.addItem(category_label(code), code)
    if current not in CATEGORIES:
        combo.addItem(current, current)
    combo.setCurrentIndex(combo.findData(current))
    return combo


class LabourDialog(FormDialog):
    def __init__(
        self, actor: Staff, parent: QWidget | None = None, row: LabourOperation | None = None
    ) -> None:
        super().__init__(
            translate("AdminPages", "Edit labour operation")
            if row
            else translate("AdminPages", "New labour operation"),
            parent,
        )
        self.setObjectName("labourDialog")
        self.actor = actor
        self.code_edit = self.add_row("code", translate("AdminPages", "Code"), QLineEdit())
        self.name_edit = self.add_row(
            "name", translate("AdminPages", "Operation name"), QLineEdit()
        )
        self.hours_edit = self.add_row(
            "standard_hours",
            translate("AdminPages", "Standard hours"),
            decimal_edit(places=2, integer_digits=3),
        )
        self.skill_combo = self.add_row("skill", translate("AdminPages", "Skill"), QComboBox())
        self.skill_combo.setEditable(True)
        for code in known_skills():
            self.skill_combo.addItem(skill_label(code), code)
        self.category_combo = self.add_row(
            "category",
            translate("AdminPages", "Category"),
            _category_combo(row.category if row else "general"),
        )
        self.active_box = self.add_row(
            "active",
            translate("AdminPages", "In use"),
            QCheckBox(translate("AdminPages", "offered when adding work")),
        )
        self.active_box.setChecked(True)
        if row is not None:
            self.code_edit.setText(row.code)
            self.code_edit.setEnabled(False)
            self.name_edit.setText(row.name)
            self.hours_edit.setText(format(row.standard_hours, "f"))
            self.skill_combo.setCurrentText(skill_label(row.skill))
            self.active_box.setChecked(row.active)
            self.name_edit.setFocus()
        else:
            self.code_edit.setFocus()
        self.resize(520, self.sizeHint().height())

    def submit(self) -> LabourOperation:
        return admin.save_labour_operation(
            self.actor,
            self.code_edit.text(),
            self.name_edit.text(),
            self.hours_edit.text(),
            skill_code(self.skill_combo.currentText()),
            self.category_combo.currentData(),
            self.active_box.isChecked(),
        )


class PartDialog(FormDialog):
    def __init__(
        self, actor: Staff, parent: QWidget | None = None, row: Part | None = None
    ) -> None:
        super().__init__(
            translate("AdminPages", "Edit part") if row else translate("AdminPages", "New part"),
            parent,
        )
        self.setObjectName("partDialog")
        self.actor = actor
        self.part_no_edit = self.add_row(
            "part_no", translate("AdminPages", "Part number"), QLineEdit()
        )
        self.name_edit = self.add_row("name", translate("AdminPages", "Part name"), QLineEdit())
        self.unit_edit = self.add_row("unit", translate("AdminPages", "Unit"), QLineEdit())
        self.price_edit = self.add_row(
            "unit_price", translate("AdminPages", "Unit price (¥, tax included)"), decimal_edit()
        )
        self.stock_edit = self.add_row(
            "stock_qty", translate("AdminPages", "Stock"), decimal_edit(places=2)
        )
        self.bin_edit = self.add_row(
            "bin_location", translate("AdminPages", "Bin location"), QLineEdit()
        )
        self.category_combo = self.add_row(
            "category",
            translate("AdminPages", "Category"),
            _category_combo(row.category if row else "general"),
        )
        self.active_box = self.add_row(
            "active",
            translate("AdminPages", "In use"),
            QCheckBox(translate("AdminPages", "offered when adding parts")),
        )
        self.active_box.setChecked(True)
        if row is not None:
            self.part_no_edit.setText(row.part_no)
            self.part_no_edit.setEnabled(False)
            self.name_edit.setText(row.name)
            self.unit_edit.setText(row.unit)
            self.price_edit.setText(format(row.unit_price, "f"))
            self.stock_edit.setText(format(row.stock_qty, "f"))
            self.bin_edit.setText(row.bin_location)
            self.active_box.setChecked(row.active)
            self.name_edit.setFocus()
        else:
            self.unit_edit.setText(translate("AdminPages", "pc"))  # default unit: piece
            self.stock_edit.setText("0")
            self.part_no_edit.setFocus()
        self.resize(520, self.sizeHint().height())

    def submit(self) -> Part:
        return admin.save_part(
            self.actor,
            self.part_no_edit.text(),
            self.name_edit.text(),
            self.price_edit.text(),
            self.stock_edit.text() or None,
            self.bin_edit.text(),
            self.category_combo.currentData(),
            self.unit_edit.text(),
            self.active_box.isChecked(),
        )


class CatalogueTab(TableTab):
    """A catalogue with add/edit and CSV import (all or nothing, via the service)."""

    dialog_class: type[FormDialog]
    save_operation: Any
    import_operation: Any
    key_column = ""
    model_class: Any = None
    noun = ""

    def __init__(self, window: MainWindow, columns: Sequence[Column]) -> None:
        super().__init__(window, columns, is_dimmed=lambda r: not r.active)
        self.new_button = self.add_button(
            translate("AdminPages", "&New…"), self.new, "newButton", self.save_operation
        )
        self.edit_button = self.add_button(
            translate("AdminPages", "&Edit…"),
            self.edit_selected,
            "editButton",
            self.save_operation,
            True,
        )
        self.import_button = self.add_button(
            translate("AdminPages", "&Import CSV…"),
            self.import_csv,
            "importButton",
            self.import_operation,
        )
        self.import_button.setToolTip(self.import_hint())
        self.refresh()

    def import_hint(self) -> str:  # pragma: no cover - overridden
        return ""

    def new(self) -> FormDialog:
        return self._open(self.dialog_class(self.actor, self))

    def edit_selected(self) -> FormDialog | None:
        row = self.selected()
        if row is None or not self.edit_button.isEnabled():
            return None
        return self._open(self.dialog_class(self.actor, self, row))

    def _open(self, dialog: FormDialog) -> FormDialog:
        def done() -> None:
            saved = dialog.result_value
            self.refresh()
            self.select_where(lambda r: r.id == saved.id)
            text = translate("AdminPages", "{item} saved.").format(item=self.describe(saved))
            self.banner.show_info(text)
            self.status(text)

        dialog.accepted.connect(done)
        dialog.open()
        return dialog

    def describe(self, row: Any) -> str:
        return str(row.name)

    def import_csv(self) -> None:
        folder = app_settings().value("admin/csv_folder", "", str)
        path, _ = QFileDialog.getOpenFileName(
            self,
            translate("AdminPages", "Import CSV file"),
            folder,
            translate("AdminPages", "CSV files (*.csv);;All files (*)"),
        )
        if path:
            app_settings().setValue("admin/csv_folder", str(Path(path).parent))
            self.import_file(path)

    def import_file(self, path: str | Path) -> None:
        """Read the file; ask first only when existing entries would be overwritten."""
        name = Path(path).name
        self.banner.clear_message()
        try:
            text = read_text_file(path)
        except (OSError, UnicodeDecodeError) as exc:
            self.banner.show_error(
                translate("AdminPages", "{name} cannot be read: {error}").format(
                    name=name, error=exc
                )
            )
            return
        keys = [k for k in csv_keys(text, self.key_column) if k]
        existing = (
            self.model_class.select()
            .where(getattr(self.model_class, self.key_column).in_(keys))
            .count()
            if keys
            else 0
        )
        if existing:
            ask(
                self,
                translate("AdminPages", "Import CSV file"),
                translate(
                    "AdminPages",
                    "{name}: {n} rows. {existing} of them are already in the catalogue and will be overwritten "
                    "with the values from the file. This cannot be undone.",
                ).format(name=name, n=len(keys), existing=existing),
                translate("AdminPages", "Import and overwrite"),
                lambda: self.run_import(text, name),
            )
        else:
            self.run_import(text, name)

    def run_import(self, text: str, name: str) -> int | None:
        try:
            count = self.import_operation(self.actor, text)
        except DomainError as exc:
            self.banner.show_error(
                translate(
                    "AdminPages", "{name} was not imported; nothing was changed. {error}"
                ).format(name=name, error=exc)
            )
            return None
        self.refresh()
        message = translate("AdminPages", "{n} rows imported from {name}.").format(
            n=count, name=name
        )
        self.banner.show_info(message)
        self.status(message)
        return count


class LabourTab(CatalogueTab):
    dialog_class = LabourDialog
    save_operation = staticmethod(admin.save_labour_operation)
    import_operation = staticmethod(admin.import_labour_csv)
    key_column = "code"
    model_class = LabourOperation

    def __init__(self, window: MainWindow) -> None:
        super().__init__(
            window,
            [
                Column(lambda: translate("AdminPages", "Code"), lambda r: r.code),
                Column(lambda: translate("AdminPages", "Operation name"), lambda r: r.name),
                Column(
                    lambda: translate("AdminPages", "Standard hours"),
                    lambda r: r.standard_hours,
                    align_right=True,
                ),
                Column(
                    lambda: translate("AdminPages", "Skill"), lambda r: r.skill, display=skill_label
                ),
                Column(
                    lambda: translate("AdminPages", "Category"),
                    lambda r: r.category,
                    display=category_label,
                ),
                Column(lambda: translate("AdminPages", "In use"), lambda r: r.active),
            ],
        )
        self.setObjectName("labourTab")

    def read(self) -> list[LabourOperation]:
        return labour_rows()

    def import_hint(self) -> str:
        return translate(
            "AdminPages",
            "Columns: code, name, standard_hours; optional: skill, category. UTF-8 or GBK.",
        )

    def describe(self, row: LabourOperation) -> str:
        return f"{row.code} {row.name}"


class PartsTab(CatalogueTab):
    dialog_class = PartDialog
    save_operation = staticmethod(admin.save_part)
    import_operation = staticmethod(admin.import_parts_csv)
    key_column = "part_no"
    model_class = Part

    def __init__(self, window: MainWindow) -> None:
        super().__init__(
            window,
            [
                Column(lambda: translate("AdminPages", "Part number"), lambda r: r.part_no),
                Column(lambda: translate("AdminPages", "Part name"), lambda r: r.name),
                Column(lambda: translate("AdminPages", "Unit"), lambda r: r.unit),
                Column(
                    lambda: translate("AdminPages", "Unit price (¥)"),
                    lambda r: r.unit_price,
                    align_right=True,
                ),
                Column(
                    lambda: translate("AdminPages", "Stock"),
                    lambda r: r.stock_qty,
                    align_right=True,
                ),
                Column(
                    lambda: translate("AdminPages", "Reserved"),
                    lambda r: r.reserved_qty,
                    align_right=True,
                ),
                Column(lambda: translate("AdminPages", "Bin location"), lambda r: r.bin_location),
                Column(
                    lambda: translate("AdminPages", "Category"),
                    lambda r: r.category,
                    display=category_label,
                ),
                Column(lambda: translate("AdminPages", "In use"), lambda r: r.active),
            ],
        )
        self.setObjectName("partsTab")

    def read(self) -> list[Part]:
        return part_rows()

    def import_hint(self) -> str:
        return translate(
            "AdminPages",
            "Columns: part_no, name, unit_price; optional: stock_qty, bin_location, category, unit. "
            "UTF-8 or GBK.",
        )

    def describe(self, row: Part) -> str:
        return f"{row.part_no} {row.name}"


# --- the page ------------------------------------------------------------------------------


class AdminPage(QTabWidget):
    """The Admin area: one tab per kind of master data."""

    TABS = ("settings", "staff", "teams", "labour", "parts", "backups")

    def __init__(self, window: MainWindow) -> None:
        super().__init__()
        self.setObjectName("adminPage")
        self.setDocumentMode(True)
        self.tabs: dict[str, QWidget] = {
            "settings": SettingsTab(window),
            "staff": StaffTab(window),
            "teams": TeamsTab(window),
            "labour": LabourTab(window),
            "parts": PartsTab(window),
            "backups": BackupsTab(window),
        }
        titles = {
            "settings": translate("AdminPages", "Shop settings"),
            "staff": translate("AdminPages", "Staff and roles"),
            "teams": translate("AdminPages", "Teams"),
            "labour": translate("AdminPages", "Labour operations"),
            "parts": translate("AdminPages", "Parts"),
            "backups": translate("AdminPages", "Backups"),
        }
        for key in self.TABS:
            self.addTab(self.tabs[key], titles[key])
        last = app_settings().value("admin/tab", "", str)
        if last in self.TABS:
            self.setCurrentIndex(self.TABS.index(last))
        self.currentChanged.connect(self._changed)

    def tab(self, key: str) -> QWidget:
        return self.tabs[key]

    def screenshot_views(self) -> list[tuple[str, Callable[[], object]]]:
        """One screenshot per tab (see shop_desk.ui.shots.screenshots)."""
        return [(key, lambda key=key: self.show_tab(key)) for key in self.TABS]

    def show_tab(self, key: str) -> QWidget:
        self.setCurrentIndex(self.TABS.index(key))
        return self.tabs[key]

    def _changed(self, index: int) -> None:
        key = self.TABS[index]
        app_settings().setValue("admin/tab", key)
        widget = self.tabs[key]
        if hasattr(widget, "refresh") and not isinstance(widget, SettingsTab):
            widget.refresh()

    def refresh(self) -> None:
        widget = self.currentWidget()
        if hasattr(widget, "refresh"):
            widget.refresh()


register_page(
    "admin", lambda: translate("AdminPages", "Admin"), (Role.ADMIN, Role.MANAGER), AdminPage
)
