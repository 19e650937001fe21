"""Admin tabs "Labour operations" and "Parts": the catalogues, edited one by one or imported
from CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QLineEdit,
    QWidget,
)

from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.models import LabourOperation, Part, Staff
from shop_desk.models.catalogue import CATEGORIES
from shop_desk.services import admin
from shop_desk.skills import skill_label
from shop_desk.ui.shell.models import Column
from shop_desk.ui.shell.widgets import (
    FormDialog,
    app_settings,
    ask,
    decimal_edit,
)

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow

from shop_desk.ui.admin.common import TableTab, known_skills, skill_code


def category_label(code: str) -> str:
    return {
        "general": translate("AdminPages", "General"),
        "wear": translate("AdminPages", "Wear part"),
        "accessory": translate("AdminPages", "Accessory"),
        "maintenance": translate("AdminPages", "Maintenance"),
        "body": translate("AdminPages", "Body and paint"),
    }.get(code, code)


def labour_rows() -> list[LabourOperation]:
    return list(LabourOperation.select().order_by(LabourOperation.code))


def part_rows() -> list[Part]:
    return list(Part.select().order_by(Part.part_no))


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
