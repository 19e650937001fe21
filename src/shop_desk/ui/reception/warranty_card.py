"""The car's warranty card (保卡) at reception: the advisor has the car and its owner's card in
front of him, so he records what the card says here — the last covered day and/or km for a
category (an extended warranty), or an exclusion — with the card number, or removes a card
that no longer applies. The warranty engine reads it on the next decision. Changes go
through :mod:`shop_desk.services.warranty_terms` (audited)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
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
from shop_desk.errors import DomainError, ValidationError
from shop_desk.i18n import translate
from shop_desk.models import Staff, Vehicle
from shop_desk.services import warranty, warranty_terms
from shop_desk.ui.reception.flow import vehicle_text
from shop_desk.ui.shell.models import Column, RowTableModel
from shop_desk.ui.shell.widgets import (
    ErrorBanner,
    allowed,
    ask,
    mark_invalid,
    whole_number_edit,
)


def card_rows(vehicle_id: int) -> list[dict[str, Any]]:
    """The car's cards with what the engine decides for each category today."""
    car = Vehicle.get_by_id(vehicle_id)
    rows = []
    for row in warranty_terms.overrides_of(car):
        decision = warranty.decide(car, row.category, car.last_odometer_km, clock.today())
        rows.append(
            {
                "id": row.id,
                "category": warranty_terms.category_label(row.category),
                "terms": warranty_terms.override_text(row),
                "note": row.note,
                "now": warranty.status_label(decision.status),
            }
        )
    return rows


class WarrantyCardDialog(QDialog):
    """The car's warranty cards: the list, one to add, the selected one to remove."""

    changed = Signal()  # a card was added or removed

    def __init__(self, actor: Staff, vehicle_id: int, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("warrantyCardDialog")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setModal(True)
        self.actor, self.vehicle_id = actor, vehicle_id
        car = Vehicle.get_by_id(vehicle_id)
        self.setWindowTitle(
            translate("ReceptionPage", "Warranty card of {car}").format(car=vehicle_text(car))
        )
        may = allowed(actor, warranty_terms.add_override)
        layout = QVBoxLayout(self)
        intro = QLabel(
            translate(
                "ReceptionPage",
                "A warranty card (保卡) gives this car its own terms for a category: they win "
                "over the shop's policy. Today at {km} km:",
            ).format(km=f"{car.last_odometer_km:,}")
        )
        intro.setWordWrap(True)
        layout.addWidget(intro)
        self.banner = ErrorBanner(self)
        self.banner.setObjectName("cardBanner")
        layout.addWidget(self.banner)
        self.model = RowTableModel(
            [
                Column(lambda: translate("ReceptionPage", "Category"), lambda r: r["category"]),
                Column(lambda: translate("ReceptionPage", "Card terms"), lambda r: r["terms"]),
                Column(
                    lambda: translate("ReceptionPage", "Card number or note"), lambda r: r["note"]
                ),
                Column(lambda: translate("ReceptionPage", "Decision today"), lambda r: r["now"]),
            ],
            self,
        )
        self.table = QTableView(self)
        self.table.setObjectName("cardTable")
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self.table.setMinimumHeight(120)
        layout.addWidget(self.table, 1)
        self.remove_button = QPushButton(translate("ReceptionPage", "&Remove the card"), self)
        self.remove_button.setObjectName("removeCardButton")
        self.remove_button.setAutoDefault(False)
        self.remove_button.clicked.connect(self.remove_selected)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.remove_button)
        layout.addLayout(row)

        group = QGroupBox(translate("ReceptionPage", "Add a card"), self)
        form = QFormLayout(group)
        self.category_combo = QComboBox(group)
        self.category_combo.setObjectName("category")
        for code in warranty_terms.known_categories():
            self.category_combo.addItem(warranty_terms.category_label(code), code)
        form.addRow(translate("ReceptionPage", "Category"), self.category_combo)
        self.date_box = QCheckBox(translate("ReceptionPage", "Covered until"), group)
        self.date_box.setObjectName("untilDateBox")
        self.date_edit = QDateEdit(group)
        self.date_edit.setObjectName("until_date")
        self.date_edit.setCalendarPopup(True)
        self.date_edit.setDisplayFormat("yyyy-MM-dd")
        self.date_edit.setDate(QDate(clock.today()).addYears(2))
        self.date_edit.setEnabled(False)
        self.date_box.toggled.connect(self.date_edit.setEnabled)
        form.addRow(self.date_box, self.date_edit)
        self.km_edit = whole_number_edit(group)
        self.km_edit.setObjectName("until_km")
        self.km_edit.setPlaceholderText(translate("ReceptionPage", "e.g. 150000"))
        form.addRow(translate("ReceptionPage", "Covered up to km"), self.km_edit)
        self.excluded_box = QCheckBox(
            translate("ReceptionPage", "Excluded: this category is not covered for this car"),
            group,
        )
        self.excluded_box.setObjectName("excluded")
        self.excluded_box.toggled.connect(self._excluded_changed)
        form.addRow("", self.excluded_box)
        self.note_edit = QLineEdit(group)
        self.note_edit.setObjectName("note")
        self.note_edit.setMaxLength(120)
        self.note_edit.setPlaceholderText(translate("ReceptionPage", "e.g. 延保卡 EW-2026-0815"))
        form.addRow(translate("ReceptionPage", "Card number or note"), self.note_edit)
        self.add_button = QPushButton(translate("ReceptionPage", "&Add the card"), group)
        self.add_button.setObjectName("addCardButton")
        self.add_button.setAutoDefault(False)
        self.add_button.clicked.connect(self.add_card)
        form.addRow("", self.add_button)
        layout.addWidget(group)
        self.fields = {
            "category": self.category_combo,
            "until_date": self.date_edit,
            "until_km": self.km_edit,
            "note": self.note_edit,
        }
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(
            translate("ReceptionPage", "Close")
        )
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        group.setEnabled(may)
        if not may:
            group.setToolTip(translate("ReceptionPage", "Your roles do not allow this."))
        self.may = may
        self.table.selectionModel().currentRowChanged.connect(lambda *_: self._update())
        self.refresh()
        self.resize(640, min(self.sizeHint().height(), 640))

    # -- reading ------------------------------------------------------------------------------
    def refresh(self) -> None:
        self.model.set_rows(card_rows(self.vehicle_id))
        self.table.resizeColumnsToContents()
        self.table.horizontalHeader().setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._update()

    def selected(self) -> dict[str, Any] | None:
        index = self.table.currentIndex()
        return self.model.row_at(index.row()) if index.isValid() else None

    def _update(self) -> None:
        self.remove_button.setEnabled(self.may and self.selected() is not None)

    def _excluded_changed(self, excluded: bool) -> None:
        self.date_box.setEnabled(not excluded)
        self.date_edit.setEnabled(not excluded and self.date_box.isChecked())
        self.km_edit.setEnabled(not excluded)

    # -- changing -----------------------------------------------------------------------------
    def until_date(self) -> dt.date | None:
        if not self.date_box.isChecked():
            return None
        return self.date_edit.date().toPython()

    def add_card(self) -> None:
        for widget in self.fields.values():
            mark_invalid(widget, False)
        try:
            row = warranty_terms.add_override(
                self.actor,
                self.vehicle_id,
                self.category_combo.currentData(),
                self.note_edit.text(),
                self.until_date(),
                self.km_edit.text(),
                self.excluded_box.isChecked(),
            )
        except DomainError as exc:
            self.banner.show_error(exc.message)
            if isinstance(exc, ValidationError) and exc.field in self.fields:
                mark_invalid(self.fields[exc.field])
                self.fields[exc.field].setFocus()
            return
        self.note_edit.clear()
        self.km_edit.clear()
        self.date_box.setChecked(False)
        self.excluded_box.setChecked(False)
        self.refresh()
        self.banner.show_info(
            translate("ReceptionPage", "The card {note} is recorded for {category}.").format(
                note=row.note, category=warranty_terms.category_label(row.category)
            )
        )
        self.changed.emit()

    def remove_selected(self) -> None:
        row = self.selected()
        if row is None:
            return

        def remove() -> None:
            try:
                warranty_terms.remove_override(self.actor, row["id"])
            except DomainError as exc:
                self.banner.show_error(exc.message)
                return
            self.refresh()
            self.banner.show_info(
                translate(
                    "ReceptionPage", "The card {note} is removed; the shop's policy applies."
                ).format(note=row["note"])
            )
            self.changed.emit()

        ask(
            self,
            translate("ReceptionPage", "Remove the card"),
            translate(
                "ReceptionPage",
                "Remove the card {note} ({category})? The shop's policy then decides this "
                "car's {category}.",
            ).format(note=row["note"], category=row["category"]),
            translate("ReceptionPage", "Remove"),
            remove,
        )
