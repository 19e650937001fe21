"""A person's certifications per skill (rulebook 篇一: staff are trained before they work),
opened from the admin desk's staff tab: see them with their expiry and state, add, renew and
withdraw. Dispatch reads them; changes go through :mod:`shop_desk.services.certifications`
(audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QPushButton,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from shop_desk import clock
from shop_desk.i18n import shown_name, translate
from shop_desk.models import Staff, StaffCertification
from shop_desk.services import certifications
from shop_desk.skills import skill_label
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.widgets import ErrorBanner, FormDialog, allowed, date_edit


def _day(edit: QDateEdit) -> dt.date:
    return edit.date().toPython()


def certification_rows(staff: Staff | int, day: dt.date) -> list[dict[str, Any]]:
    """The person's certifications for the list: in words, with their state on ``day``."""
    rows = []
    for c in certifications.certifications_of(staff):
        rows.append(
            {
                "id": c.id,
                "skill": skill_label(c.skill),
                "certified_on": c.certified_on.isoformat(),
                "expires_on": c.expires_on.isoformat()
                if c.expires_on
                else translate("Certifications", "No expiry"),
                "issued_by": shown_name(c.issued_by),
                "note": c.note
                if c.withdrawn_at is None
                else translate("Certifications", "{note} — withdrawn: {reason}").format(
                    note=c.note, reason=c.withdrawn_reason
                ),
                "state": certifications.status_text(c, day),
                "in_force": c.withdrawn_at is None,
                "valid": c.valid_on(day),
            }
        )
    return rows


class _ExpiryField(QWidget):
    """The expiry date, or "No expiry" ticked: the list's own word for a certification that
    does not lapse (the row's label says "Expires on" already)."""

    def __init__(self, day: dt.date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.date_edit = date_edit(self, day)
        self.date_edit.setObjectName("expiresEdit")
        self.no_expiry_box = QCheckBox(translate("Certifications", "No expiry"), self)
        self.no_expiry_box.setObjectName("noExpiryBox")
        layout.addWidget(self.date_edit, 1)
        layout.addWidget(self.no_expiry_box)
        self.no_expiry_box.toggled.connect(lambda on: self.date_edit.setEnabled(not on))

    def value(self) -> dt.date | None:
        return None if self.no_expiry_box.isChecked() else _day(self.date_edit)


class CertificationDialog(FormDialog):
    """Record a certification: skill, from when, until when, who issued it, its number."""

    def __init__(self, actor: Staff, person: Staff, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("Certifications", "New certification for {name}").format(
                name=shown_name(person.name)
            ),
            parent,
        )
        self.setObjectName("certificationDialog")
        self.actor, self.person = actor, person
        today = clock.today()
        self.skill_combo = self.add_row("skill", translate("Certifications", "Skill"), QComboBox())
        for code in certifications.known_skills():
            self.skill_combo.addItem(skill_label(code), code)
        self.certified_edit = self.add_row(
            "certified_on",
            translate("Certifications", "Certified on"),
            date_edit(self, today),
        )
        self.expiry = self.add_row(
            "expires_on",
            translate("Certifications", "Expires on"),
            _ExpiryField(_two_years_on(today), self),
        )
        self.issued_edit = self.add_row(
            "issued_by", translate("Certifications", "Issued by"), QLineEdit()
        )
        self.issued_edit.setPlaceholderText(
            translate("Certifications", "training course or issuing body")
        )
        self.note_edit = self.add_row(
            "note", translate("Certifications", "Certificate number or note"), QLineEdit()
        )
        self.skill_combo.setFocus()
        self.resize(480, self.sizeHint().height())

    def submit(self) -> StaffCertification:
        return certifications.record_certification(
            self.actor,
            self.person.id,
            self.skill_combo.currentData(),
            _day(self.certified_edit),
            self.expiry.value(),
            issued_by=self.issued_edit.text(),
            note=self.note_edit.text(),
        )


def _two_years_on(day: dt.date) -> dt.date:
    """The usual validity of a training certificate, offered as the expiry (29 February
    becomes 28 February two years on)."""
    try:
        return day.replace(year=day.year + 2)
    except ValueError:
        return day.replace(year=day.year + 2, day=28)


class RenewDialog(FormDialog):
    """The person passed the training again: new dates (and a new certificate number)."""

    def __init__(
        self, actor: Staff, row: StaffCertification, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            translate("Certifications", "Renew the {skill} certification of {name}").format(
                skill=skill_label(row.skill), name=shown_name(row.staff.name)
            ),
            parent,
            translate("Certifications", "Renew"),
        )
        self.setObjectName("renewDialog")
        self.actor, self.row = actor, row
        today = clock.today()
        self.certified_edit = self.add_row(
            "certified_on", translate("Certifications", "Certified on"), date_edit(self, today)
        )
        self.expiry = self.add_row(
            "expires_on",
            translate("Certifications", "Expires on"),
            _ExpiryField(_two_years_on(today), self),
        )
        self.note_edit = self.add_row(
            "note", translate("Certifications", "Certificate number or note"), QLineEdit()
        )
        self.note_edit.setText(row.note)
        self.resize(480, self.sizeHint().height())

    def submit(self) -> StaffCertification:
        return certifications.renew_certification(
            self.actor,
            self.row.id,
            _day(self.certified_edit),
            self.expiry.value(),
            note=self.note_edit.text(),
        )


class WithdrawDialog(FormDialog):
    """Withdraw a certification, with the reason (kept for history)."""

    def __init__(
        self, actor: Staff, row: StaffCertification, parent: QWidget | None = None
    ) -> None:
        super().__init__(
            translate("Certifications", "Withdraw the {skill} certification of {name}").format(
                skill=skill_label(row.skill), name=shown_name(row.staff.name)
            ),
            parent,
            translate("Certifications", "Withdraw"),
        )
        self.setObjectName("withdrawDialog")
        self.actor, self.row = actor, row
        hint = QLabel(
            translate(
                "Certifications",
                "From now on dispatch treats the skill as missing for this person. The "
                "certification stays listed for history.",
            )
        )
        hint.setWordWrap(True)
        self.form.addRow(hint)
        self.reason_edit = self.add_row(
            "reason", translate("Certifications", "Reason"), QLineEdit()
        )
        self.reason_edit.setFocus()
        self.resize(480, self.sizeHint().height())

    def submit(self) -> StaffCertification:
        return certifications.withdraw_certification(
            self.actor, self.row.id, self.reason_edit.text()
        )


class CertificationsDialog(QDialog):
    """One person's certifications: the list with their state today, add, renew, withdraw."""

    def __init__(self, actor: Staff, person: Staff, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("certificationsDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setWindowTitle(
            translate("Certifications", "Certifications of {name}").format(
                name=shown_name(person.name)
            )
        )
        self.actor, self.person = actor, person
        self.child: FormDialog | None = None
        layout = QVBoxLayout(self)
        hint = QLabel(
            translate(
                "Certifications",
                "Dispatch checks these: a technician without a valid certification for a "
                "skill of the job needs the supervisor's reason to be given the job.",
            ),
            self,
        )
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("banner")
        layout.addWidget(self.banner)
        self.model = RowTableModel(
            [
                Column(lambda: translate("Certifications", "Skill"), lambda r: r["skill"]),
                Column(
                    lambda: translate("Certifications", "Certified on"),
                    lambda r: r["certified_on"],
                ),
                Column(
                    lambda: translate("Certifications", "Expires on"), lambda r: r["expires_on"]
                ),
                Column(lambda: translate("Certifications", "Issued by"), lambda r: r["issued_by"]),
                Column(
                    lambda: translate("Certifications", "Certificate number or note"),
                    lambda r: r["note"],
                ),
                Column(lambda: translate("Certifications", "State"), lambda r: r["state"]),
            ],
            self,
            lambda r: not r["valid"],
        )
        self.table = QTableView(self)
        self.table.setObjectName("table")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(4, QHeaderView.ResizeMode.Stretch)
        layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        self.add_button = self._button(
            translate("Certifications", "&Add…"), self.add, "addCertButton"
        )
        self.renew_button = self._button(
            translate("Certifications", "&Renew…"), self.renew_selected, "renewCertButton"
        )
        self.withdraw_button = self._button(
            translate("Certifications", "&Withdraw…"), self.withdraw_selected, "withdrawCertButton"
        )
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.renew_button)
        buttons.addWidget(self.withdraw_button)
        buttons.addStretch(1)
        close = QPushButton(translate("Certifications", "Close"), self)
        close.setObjectName("closeButton")
        close.setAutoDefault(False)
        close.clicked.connect(self.accept)
        buttons.addWidget(close)
        layout.addLayout(buttons)
        self.may_change = allowed(actor, certifications.record_certification)
        self.add_button.setEnabled(self.may_change)
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update_buttons())
        self.refresh()
        self.resize(820, 380)

    def _button(self, text: str, slot: Any, name: str) -> QPushButton:
        button = QPushButton(text, self)
        button.setObjectName(name)
        button.setAutoDefault(False)
        button.clicked.connect(slot)
        return button

    def refresh(self, select_id: int | None = None) -> None:
        self.model.set_rows(certification_rows(self.person, clock.today()))
        self.table.resizeColumnsToContents()
        if select_id is not None:
            for r, row in enumerate(self.model.rows):
                if row["id"] == select_id:
                    self.table.selectRow(r)
        self._update_buttons()

    def selected(self) -> dict[str, Any] | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update_buttons(self) -> None:
        row = self.selected()
        usable = self.may_change and row is not None and row["in_force"]
        self.renew_button.setEnabled(usable)
        self.withdraw_button.setEnabled(usable)

    def _open(self, dialog: FormDialog, said: str) -> FormDialog:
        def saved() -> None:
            row = dialog.result_value
            self.refresh(row.id)
            self.banner.show_info(
                said.format(skill=skill_label(row.skill), name=shown_name(self.person.name))
            )

        dialog.accepted.connect(saved)
        self.child = dialog
        dialog.open()
        return dialog

    def add(self) -> FormDialog:
        return self._open(
            CertificationDialog(self.actor, self.person, self),
            translate("Certifications", "The {skill} certification of {name} is recorded."),
        )

    def _selected_row(self) -> StaffCertification | None:
        row = self.selected()
        if row is None or not row["in_force"] or not self.may_change:
            return None
        return StaffCertification.get_or_none(StaffCertification.id == row["id"])

    def renew_selected(self) -> FormDialog | None:
        row = self._selected_row()
        if row is None:
            return None
        return self._open(
            RenewDialog(self.actor, row, self),
            translate("Certifications", "The {skill} certification of {name} is renewed."),
        )

    def withdraw_selected(self) -> FormDialog | None:
        row = self._selected_row()
        if row is None:
            return None
        return self._open(
            WithdrawDialog(self.actor, row, self),
            translate("Certifications", "The {skill} certification of {name} is withdrawn."),
        )
