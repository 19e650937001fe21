"""Admin tab "Counter warranty": the parts of a product the accessory counter's warranty does
not cover, per category (篇五 excludes aerial, housing and display panel; the shop keeps its
own list). Removed entries stay listed, greyed, with who removed them; every change is in the
audit log through :mod:`shop_desk.services.counter_policy`."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QWidget,
)

from shop_desk.errors import DomainError
from shop_desk.i18n import translate
from shop_desk.models import CounterExclusion, Staff
from shop_desk.models.catalogue import CATEGORIES
from shop_desk.services import admin, counter_policy
from shop_desk.ui.admin.common import TableTab
from shop_desk.ui.shell.models import Column
from shop_desk.ui.shell.widgets import FormDialog, allowed, ask

if TYPE_CHECKING:
    from shop_desk.ui.shell.main_window import MainWindow


def exclusion_rows() -> list[dict[str, Any]]:
    rows = []
    for row in counter_policy.exclusions(with_removed=True):
        rows.append(
            {
                "id": row.id,
                "category": counter_policy.category_label(row.category),
                "item": row.item,
                "active": row.active,
                "added": row.added_at,
                "added_by": row.added_by.name if row.added_by_id else "",
                "removed": row.removed_at,
                "removed_by": row.removed_by.name if row.removed_by_id else "",
            }
        )
    return rows


class ExclusionDialog(FormDialog):
    """A category and the part of its products that is not under warranty."""

    def __init__(self, actor: Staff, parent: QWidget | None = None) -> None:
        super().__init__(
            translate("AdminPages", "Exclude a part from the warranty"),
            parent,
            translate("AdminPages", "Exclude"),
        )
        self.setObjectName("exclusionDialog")
        self.actor = actor
        self.category = QComboBox(self)
        for code in CATEGORIES:
            self.category.addItem(counter_policy.category_label(code), code)
        self.category.setCurrentIndex(CATEGORIES.index("accessory"))
        self.add_row("category", translate("AdminPages", "Category"), self.category)
        self.item = QLineEdit(self)
        self.item.setPlaceholderText(translate("AdminPages", "e.g. 外壳 housing"))
        self.add_row("item", translate("AdminPages", "Part not covered"), self.item)

    def submit(self) -> CounterExclusion:
        return counter_policy.add_exclusion(
            self.actor, self.category.currentData(), self.item.text()
        )


class CounterPolicyTab(TableTab):
    """The exclusion list per category, with the counter's periods from the shop settings."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(
            window,
            [
                Column(lambda: translate("AdminPages", "Category"), lambda r: r["category"]),
                Column(lambda: translate("AdminPages", "Part not covered"), lambda r: r["item"]),
                Column(lambda: translate("AdminPages", "Added"), lambda r: r["added"]),
                Column(lambda: translate("AdminPages", "Added by"), lambda r: r["added_by"]),
                Column(lambda: translate("AdminPages", "Removed"), lambda r: r["removed"]),
                Column(lambda: translate("AdminPages", "Removed by"), lambda r: r["removed_by"]),
            ],
            is_dimmed=lambda r: not r["active"],
        )
        self.setObjectName("counterPolicyTab")
        self.add_button(
            translate("AdminPages", "Exclude a part…"),
            self.add_exclusion,
            "addExclusionButton",
            counter_policy.add_exclusion,
        )
        self.remove_button = self.add_button(
            translate("AdminPages", "Cover it again"),
            self.remove_selected,
            "removeExclusionButton",
            counter_policy.remove_exclusion,
            needs_selection=True,
        )
        self.periods = QLabel(self)
        self.periods.setObjectName("periodsLabel")
        self.periods.setWordWrap(True)
        self.layout().insertWidget(1, self.periods)
        row = QHBoxLayout()
        self.spins: dict[str, QSpinBox] = {}
        for key, label in (
            ("counter_product_warranty_days", translate("AdminPages", "Product warranty (days)")),
            (
                "counter_accessory_warranty_days",
                translate("AdminPages", "Accessory warranty (days)"),
            ),
            ("counter_exchange_days", translate("AdminPages", "Exchange within (days)")),
            ("counter_replacement_days", translate("AdminPages", "Replacement within (days)")),
        ):
            spin = QSpinBox(self)
            spin.setObjectName(key)
            spin.setRange(0, 3650)
            row.addWidget(QLabel(label, self))
            row.addWidget(spin)
            self.spins[key] = spin
        self.save_periods_button = QPushButton(translate("AdminPages", "Save the periods"), self)
        self.save_periods_button.setObjectName("savePeriodsButton")
        self.save_periods_button.setEnabled(allowed(window.staff, admin.update_settings))
        self.save_periods_button.clicked.connect(self.save_periods)
        row.addWidget(self.save_periods_button)
        row.addStretch(1)
        self.layout().insertLayout(2, row)
        self.refresh()

    def read(self) -> list[dict[str, Any]]:
        return exclusion_rows()

    def refresh(self) -> None:
        shop = counter_policy.terms()
        self.periods.setText(
            translate(
                "AdminPages",
                "Warranty of what the counter sells: products {product}, accessories "
                "{accessory}; exchange within {exchange} days; a replacement goes out within "
                "{days} days of receipt. Gifts are not covered.",
            ).format(
                product=counter_policy.warranty_text(shop.product_days),
                accessory=counter_policy.warranty_text(shop.accessory_days),
                exchange=shop.exchange_days,
                days=shop.replacement_days,
            )
        )
        values = {
            "counter_product_warranty_days": shop.product_days,
            "counter_accessory_warranty_days": shop.accessory_days,
            "counter_exchange_days": shop.exchange_days,
            "counter_replacement_days": shop.replacement_days,
        }
        for key, spin in self.spins.items():
            spin.setValue(values[key])
        super().refresh()

    def save_periods(self) -> None:
        try:
            admin.update_settings(
                self.actor, **{key: spin.value() for key, spin in self.spins.items()}
            )
        except DomainError as exc:
            self.banner.show_error(exc.message)
            return
        self.refresh()
        self.banner.show_info(translate("AdminPages", "The counter's periods are saved."))

    def selection_changed(self) -> None:
        super().selection_changed()
        row = self.selected()
        if row is not None and not row["active"]:
            self.remove_button.setEnabled(False)

    def add_exclusion(self) -> None:
        dialog = ExclusionDialog(self.actor, self)

        def saved() -> None:
            self.refresh()
            row = dialog.result_value
            self.select_where(lambda r: r["id"] == row.id)
            self.banner.show_info(
                translate(
                    "AdminPages", "{item} is no longer under warranty for {category}."
                ).format(item=row.item, category=counter_policy.category_label(row.category))
            )

        dialog.accepted.connect(saved)
        dialog.open()

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None or not row["active"]:
            return

        def remove() -> None:
            try:
                counter_policy.remove_exclusion(self.actor, row["id"])
            except DomainError as exc:
                self.banner.show_error(exc.message)
                return
            self.refresh()
            self.banner.show_info(
                translate("AdminPages", "{item} is under warranty again.").format(item=row["item"])
            )

        ask(
            self,
            translate("AdminPages", "Cover it again"),
            translate(
                "AdminPages", "Put {item} ({category}) back under the counter's warranty?"
            ).format(item=row["item"], category=row["category"]),
            translate("AdminPages", "Cover it again"),
            remove,
        )
