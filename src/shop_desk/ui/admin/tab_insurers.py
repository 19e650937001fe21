"""Admin tab "Insurers" (保险公司): the insurers accident repairs are claimed from."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QLineEdit, QWidget

from shop_desk.i18n import translate
from shop_desk.models import Insurer, Staff
from shop_desk.services import insurance
from shop_desk.ui.admin.common import TableTab
from shop_desk.ui.shell.models import Column
from shop_desk.ui.shell.widgets import FormDialog

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow


class InsurerDialog(FormDialog):
    def __init__(self, actor: Staff, parent: QWidget, row: Insurer | None = None) -> None:
        super().__init__(
            translate("AdminPages", "Insurer") if row else translate("AdminPages", "New insurer"),
            parent,
        )
        self.actor, self.row = actor, row
        self.name = self.add_row(
            "name", translate("AdminPages", "Name"), QLineEdit(row.name if row else "")
        )
        self.contact = self.add_row(
            "contact",
            translate("AdminPages", "Contact (person, phone)"),
            QLineEdit(row.contact if row else ""),
        )
        self.active = QCheckBox(translate("AdminPages", "Active (offered at reception)"))
        self.active.setChecked(row.active if row else True)
        self.add_row("active", "", self.active)
        self.setMinimumWidth(440)

    def submit(self) -> Insurer:
        return insurance.save_insurer(
            self.actor,
            self.name.text(),
            self.contact.text(),
            insurer=self.row.id if self.row else None,
            active=self.active.isChecked(),
        )


class InsurersTab(TableTab):
    def __init__(self, window: MainWindow) -> None:
        super().__init__(
            window,
            [
                Column(lambda: translate("AdminPages", "Insurer"), lambda r: r.name),
                Column(lambda: translate("AdminPages", "Contact"), lambda r: r.contact),
                Column(lambda: translate("AdminPages", "Active"), lambda r: r.active),
            ],
            is_dimmed=lambda r: not r.active,
            stretch_column=1,
        )
        self.setObjectName("insurersTab")
        self.new_button = self.add_button(
            translate("AdminPages", "&New insurer…"), self.new, "newButton", insurance.save_insurer
        )
        self.edit_button = self.add_button(
            translate("AdminPages", "&Edit…"),
            self.edit_selected,
            "editButton",
            insurance.save_insurer,
            True,
        )
        self.refresh()

    def read(self) -> list[Insurer]:
        return insurance.insurers(active_only=False)

    def new(self) -> InsurerDialog:
        return self._open(InsurerDialog(self.actor, self))

    def edit_selected(self) -> InsurerDialog | None:
        row = self.selected()
        if row is None or not self.edit_button.isEnabled():
            return None
        return self._open(InsurerDialog(self.actor, self, row))

    def _open(self, dialog: InsurerDialog) -> InsurerDialog:
        def done() -> None:
            saved = dialog.result_value
            self.refresh()
            self.select_where(lambda r: r.id == saved.id)
            text = translate("AdminPages", "{item} saved.").format(item=saved.name)
            self.banner.show_info(text)
            self.status(text)

        dialog.accepted.connect(done)
        dialog.open()
        return dialog

    def describe(self, row: Any) -> str:
        return str(row.name)
