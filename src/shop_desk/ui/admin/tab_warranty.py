"""Admin tab "Warranty terms": the shop's warranty policy per item category (质量担保政策) —
its period in days and/or kilometres, counted from the car's warranty start or from the
fitting, or the category excluded. The warranty engine reads them on its next decision;
retired policies stay listed, greyed, for history. Changes go through
:mod:`shop_desk.services.warranty_terms` (audited)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QLineEdit, QWidget

from shop_desk.errors import DomainError
from shop_desk.i18n import shown_name, translate
from shop_desk.models import Staff, WarrantyPolicy
from shop_desk.services import warranty_terms
from shop_desk.ui.admin.common import TableTab
from shop_desk.ui.shell.models import Column
from shop_desk.ui.shell.widgets import FormDialog, ask, whole_number_edit

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow


def category_combo(current: str | None = None, parent: QWidget | None = None) -> QComboBox:
    """The known categories in words; editable in the policy dialog for a new code."""
    combo = QComboBox(parent)
    for code in warranty_terms.known_categories():
        label = warranty_terms.category_label(code)
        combo.addItem(label if label == code else f"{label} ({code})", code)
    if current is not None:
        index = combo.findData(current)
        if index >= 0:
            combo.setCurrentIndex(index)
    return combo


def chosen_category(combo: QComboBox) -> str:
    """The code of the picked category, or the code typed into an editable combo."""
    index = combo.findText(combo.currentText())
    return combo.itemData(index) if index >= 0 else combo.currentText().strip()


def policy_rows() -> list[dict[str, Any]]:
    return [
        {
            "id": p.id,
            "row": p,
            "name": shown_name(p.name),
            "category": warranty_terms.category_label(p.category),
            "basis": warranty_terms.basis_label(p.basis),
            "cover": warranty_terms.terms_text(p.days, p.km, p.excluded),
            "active": p.active,
            "state": translate("AdminPages", "In force")
            if p.active
            else translate("AdminPages", "Retired"),
        }
        for p in warranty_terms.policies()
    ]


class PolicyDialog(FormDialog):
    """A new policy or a change of one: name, category, how it is counted, the period."""

    def __init__(
        self, actor: Staff, parent: QWidget | None = None, row: WarrantyPolicy | None = None
    ) -> None:
        super().__init__(
            translate("AdminPages", "Change warranty policy")
            if row
            else translate("AdminPages", "New warranty policy"),
            parent,
        )
        self.setObjectName("policyDialog")
        self.actor, self.row = actor, row
        self.name_edit = self.add_row("name", translate("AdminPages", "Policy name"), QLineEdit())
        self.category_combo = self.add_row(
            "category",
            translate("AdminPages", "Category"),
            category_combo(row.category if row else None),
        )
        self.category_combo.setEditable(True)
        self.category_combo.setToolTip(
            translate(
                "AdminPages",
                "Pick a category, or type the code of a new one (small letters, e.g. battery).",
            )
        )
        self.basis_combo = self.add_row("basis", translate("AdminPages", "Counted"), QComboBox())
        for code in warranty_terms.BASES:
            self.basis_combo.addItem(warranty_terms.basis_label(code), code)
        self.days_edit = self.add_row(
            "days", translate("AdminPages", "Days"), whole_number_edit(self)
        )
        self.km_edit = self.add_row(
            "km", translate("AdminPages", "Kilometres"), whole_number_edit(self)
        )
        self.excluded_box = self.add_row(
            "excluded",
            translate("AdminPages", "Excluded"),
            QCheckBox(translate("AdminPages", "this category is not under warranty")),
        )
        hint = QLabel(
            translate(
                "AdminPages",
                "Days, kilometres or both (whichever comes first). The next warranty decision "
                "uses the new terms; orders already decided keep theirs.",
            )
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #666;")
        self.form.addRow(hint)
        self.excluded_box.toggled.connect(self._excluded_changed)
        if row is not None:
            self.name_edit.setText(row.name)
            self.basis_combo.setCurrentIndex(self.basis_combo.findData(row.basis))
            self.days_edit.setText("" if row.days is None else str(row.days))
            self.km_edit.setText("" if row.km is None else str(row.km))
            self.excluded_box.setChecked(row.excluded)
        self.name_edit.setFocus()
        self.resize(520, self.sizeHint().height())

    def _excluded_changed(self, excluded: bool) -> None:
        self.days_edit.setEnabled(not excluded)
        self.km_edit.setEnabled(not excluded)

    def submit(self) -> WarrantyPolicy:
        return warranty_terms.save_policy(
            self.actor,
            self.row.id if self.row is not None else None,
            self.name_edit.text(),
            chosen_category(self.category_combo),
            self.basis_combo.currentData(),
            self.days_edit.text(),
            self.km_edit.text(),
            self.excluded_box.isChecked(),
        )


class WarrantyTermsTab(TableTab):
    """The policies, in force first; new, change and retire."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(
            window,
            [
                Column(lambda: translate("AdminPages", "Policy"), lambda r: r["name"]),
                Column(lambda: translate("AdminPages", "Category"), lambda r: r["category"]),
                Column(lambda: translate("AdminPages", "Counted"), lambda r: r["basis"]),
                Column(lambda: translate("AdminPages", "Cover"), lambda r: r["cover"]),
                Column(lambda: translate("AdminPages", "State"), lambda r: r["state"]),
            ],
            is_dimmed=lambda r: not r["active"],
            stretch_column=0,
        )
        self.setObjectName("warrantyTermsTab")
        self.new_button = self.add_button(
            translate("AdminPages", "&New policy…"),
            self.new,
            "newPolicyButton",
            warranty_terms.save_policy,
        )
        self.edit_button = self.add_button(
            translate("AdminPages", "&Change…"),
            self.edit_selected,
            "changePolicyButton",
            warranty_terms.save_policy,
            needs_selection=True,
        )
        self.retire_button = self.add_button(
            translate("AdminPages", "&Retire"),
            self.retire_selected,
            "retirePolicyButton",
            warranty_terms.retire_policy,
            needs_selection=True,
        )
        self.refresh()

    def read(self) -> list[dict[str, Any]]:
        return policy_rows()

    def selection_changed(self) -> None:
        super().selection_changed()
        row = self.selected()
        if row is not None and not row["active"]:
            self.edit_button.setEnabled(False)
            self.retire_button.setEnabled(False)

    def new(self) -> PolicyDialog:
        return self._open(PolicyDialog(self.actor, self))

    def edit_selected(self) -> PolicyDialog | None:
        row = self.selected()
        if row is None or not self.edit_button.isEnabled():
            return None
        return self._open(PolicyDialog(self.actor, self, WarrantyPolicy.get_by_id(row["id"])))

    def _open(self, dialog: PolicyDialog) -> PolicyDialog:
        def saved() -> None:
            policy = dialog.result_value
            self.refresh()
            self.select_where(lambda r: r["id"] == policy.id)
            self.banner.show_info(
                translate(
                    "AdminPages", "{name} is saved; it applies from the next decision."
                ).format(name=shown_name(policy.name))
            )

        dialog.accepted.connect(saved)
        dialog.open()
        return dialog

    def retire_selected(self) -> None:
        row = self.selected()
        if row is None or not row["active"]:
            return

        def retire() -> None:
            try:
                warranty_terms.retire_policy(self.actor, row["id"])
            except DomainError as exc:
                self.banner.show_error(exc.message)
                return
            self.refresh()
            self.banner.show_info(
                translate("AdminPages", "{name} is retired and kept for history.").format(
                    name=row["name"]
                )
            )

        ask(
            self,
            translate("AdminPages", "Retire the policy"),
            translate(
                "AdminPages",
                "Retire {name}? Until a new policy for {category} is added, the warranty of "
                "such items is referred to the manufacturer.",
            ).format(name=row["name"], category=row["category"]),
            translate("AdminPages", "Retire"),
            retire,
        )
